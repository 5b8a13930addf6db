// SPDX-License-Identifier: GPL-2.0
/*
 * probe_kprobe.c - kprobe.function(S), kprobe.function(S).return (kretprobe)
 * and kprobe.statement(ADDR).absolute; kernel.function(S)[.return] (a
 * table of its own, registered after them, the same way).  Handlers see the
 * registers in c->regs (stp_arg(), stp_return_value()); a kretprobe with
 * save_args keeps the argument registers at entry in its instance's data
 * (stp_func_arg()).
 */
#include <linux/kprobes.h>

/*
 * The kprobe handler sees the instruction pointer just past the breakpoint
 * (probed address + 1); the probe sees the probed address (addr(), the
 * first frame of a backtrace, print_regs()), as in SystemTap.
 */
static int stp_kprobe_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct stp_kprobe_probe *k = container_of(kp, struct stp_kprobe_probe, kp);
	unsigned long ip = instruction_pointer(regs);

	instruction_pointer_set(regs, (unsigned long)kp->addr);
	stp_run_probe(k->probe, regs, NULL, NULL, NULL);
	instruction_pointer_set(regs, ip);
	return 0;
}

static int stp_kretprobe_fn(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct kretprobe *rp = get_kretprobe(ri);
	struct stp_kprobe_probe *k;

	if (!rp)
		return 0;
	k = container_of(rp, struct stp_kprobe_probe, rp);
	stp_run_probe(k->probe, regs, ri, NULL, NULL);
	return 0;
}

static int stp_kretprobe_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	unsigned long *saved = (unsigned long *)ri->data;
	unsigned int i;

	for (i = 0; i < STP_SAVED_ARGS; i++)
		saved[i] = regs_get_kernel_argument(regs, i);
	return 0;
}

static void stp_kprobe_fill(struct stp_kprobe_probe *k, struct kprobe *kp)
{
	memset(kp, 0, sizeof(*kp));
	if (k->symbol) {
		kp->symbol_name = k->symbol;
		kp->offset = k->offset;
	} else {
		kp->addr = (kprobe_opcode_t *)k->address;
	}
}

static int stp_kprobe_register_one(struct stp_kprobe_probe *k)
{
	int rc;

	if (k->is_return) {
		memset(&k->rp, 0, sizeof(k->rp));
		stp_kprobe_fill(k, &k->rp.kp);
		k->rp.handler = stp_kretprobe_fn;
		k->rp.maxactive = k->maxactive;
		if (k->save_args) {
			k->rp.entry_handler = stp_kretprobe_entry;
			k->rp.data_size = STP_SAVED_ARGS * sizeof(unsigned long);
		}
		rc = register_kretprobe(&k->rp);
	} else {
		stp_kprobe_fill(k, &k->kp);
		k->kp.pre_handler = stp_kprobe_pre;
		rc = register_kprobe(&k->kp);
	}
	k->registered = rc == 0;
	return rc;
}

static void stp_kprobe_unregister_one(struct stp_kprobe_probe *k)
{
	if (!k->registered)
		return;
	if (k->is_return)
		unregister_kretprobe(&k->rp);
	else
		unregister_kprobe(&k->kp);
	k->registered = false;
}

static void stp_kprobe_table_unregister(struct stp_kprobe_probe *t, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		stp_kprobe_unregister_one(&t[i]);
}

static int stp_kprobe_table_register(struct stp_kprobe_probe *t, unsigned int n)
{
	unsigned int i;
	int rc;

	for (i = 0; i < n; i++) {
		struct stp_kprobe_probe *k = &t[i];

		rc = stp_kprobe_register_one(k);
		if (!rc)
			continue;
		stp_probe_reg_error(k->probe, k->optional, rc);
		if (!k->optional) {
			stp_kprobe_table_unregister(t, n);
			return rc;
		}
	}
	return 0;
}

static void stp_kprobes_unregister(void)
{
	stp_kprobe_table_unregister(stp_module.kfuncs, stp_module.nkfuncs);
	stp_kprobe_table_unregister(stp_module.kprobes, stp_module.nkprobes);
}

static int stp_kprobes_register(void)
{
	int rc;

	rc = stp_kprobe_table_register(stp_module.kprobes, stp_module.nkprobes);
	if (rc)
		return rc;
	rc = stp_kprobe_table_register(stp_module.kfuncs, stp_module.nkfuncs);
	if (rc)
		stp_kprobe_table_unregister(stp_module.kprobes, stp_module.nkprobes);
	return rc;
}

/* Missed kretprobe instances (maxactive too small) count as skipped. */
static void stp_kprobe_table_report(struct stp_kprobe_probe *t, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct stp_kprobe_probe *k = &t[i];

		if (!k->is_return || !k->rp.nmissed)
			continue;
		stp_warn("Skipped due to missed kretprobe on '%s': %d",
			 k->probe->pp, k->rp.nmissed);
		stp_count_skipped(k->rp.nmissed);
	}
}

static void stp_kprobes_report(void)
{
	stp_kprobe_table_report(stp_module.kprobes, stp_module.nkprobes);
	stp_kprobe_table_report(stp_module.kfuncs, stp_module.nkfuncs);
}

STP_FAMILY(kprobe) = {
	.reg = stp_kprobes_register,
	.unreg = stp_kprobes_unregister,
	.report = stp_kprobes_report,
};
