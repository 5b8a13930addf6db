// SPDX-License-Identifier: GPL-2.0
/*
 * probe_kprobe.c - kprobe.function(S), kprobe.function(S).return (kretprobe)
 * and kprobe.statement(ADDR).absolute.  Handlers see the registers in
 * c->regs (stp_arg(), stp_return_value()).
 */
#include <linux/kprobes.h>

static int stp_kprobe_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct stp_kprobe_probe *k = container_of(kp, struct stp_kprobe_probe, kp);

	stp_run_probe(k->probe, regs, NULL, NULL);
	return 0;
}

static int stp_kretprobe_fn(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct kretprobe *rp = get_kretprobe(ri);
	struct stp_kprobe_probe *k;

	if (!rp)
		return 0;
	k = container_of(rp, struct stp_kprobe_probe, rp);
	stp_run_probe(k->probe, regs, ri, NULL);
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

static void stp_kprobes_unregister(void)
{
	unsigned int i;

	for (i = 0; i < stp_module.nkprobes; i++)
		stp_kprobe_unregister_one(&stp_module.kprobes[i]);
}

static int stp_kprobes_register(void)
{
	unsigned int i;
	int rc;

	for (i = 0; i < stp_module.nkprobes; i++) {
		struct stp_kprobe_probe *k = &stp_module.kprobes[i];

		rc = stp_kprobe_register_one(k);
		if (!rc)
			continue;
		stp_probe_reg_error(k->probe, k->optional, rc);
		if (!k->optional) {
			stp_kprobes_unregister();
			return rc;
		}
	}
	return 0;
}

/* Missed kretprobe instances (maxactive too small) count as skipped. */
static void stp_kprobes_report(void)
{
	unsigned int i;

	for (i = 0; i < stp_module.nkprobes; i++) {
		struct stp_kprobe_probe *k = &stp_module.kprobes[i];

		if (!k->is_return || !k->rp.nmissed)
			continue;
		stp_warn("Skipped due to missed kretprobe on '%s': %d",
			 k->probe->pp, k->rp.nmissed);
		atomic_add(k->rp.nmissed, &stp_skipped);
	}
}
