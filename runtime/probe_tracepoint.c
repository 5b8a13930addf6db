// SPDX-License-Identifier: GPL-2.0
/*
 * probe_tracepoint.c - kernel.trace("NAME"): the kernel's tracepoints,
 * found by name with for_each_kernel_tracepoint() and hooked with
 * tracepoint_probe_register().  The generated handler takes the arguments
 * as unsigned longs and passes them to the probe (c->tp_args).
 */
#include <linux/tracepoint.h>
#include <asm/syscall.h>

struct stp_tp_lookup {
	const char *name;
	struct tracepoint *tp;
};

static void stp_tp_find(struct tracepoint *tp, void *priv)
{
	struct stp_tp_lookup *l = priv;

	if (!l->tp && !strcmp(tp->name, l->name))
		l->tp = tp;
}

static void stp_tracepoints_unregister(void)
{
	unsigned int i;
	bool any = false;

	for (i = 0; i < stp_module.ntracepoints; i++) {
		struct stp_tracepoint_probe *t = &stp_module.tracepoints[i];

		if (!t->registered)
			continue;
		tracepoint_probe_unregister(t->tp, t->handler, t);
		t->registered = false;
		any = true;
	}
	/* no handler may still be running once the module goes */
	if (any)
		tracepoint_synchronize_unregister();
}

static int stp_tracepoints_register(void)
{
	unsigned int i;
	int rc;

	for (i = 0; i < stp_module.ntracepoints; i++) {
		struct stp_tracepoint_probe *t = &stp_module.tracepoints[i];
		struct stp_tp_lookup l = { .name = t->name };

		for_each_kernel_tracepoint(stp_tp_find, &l);
		rc = l.tp ? tracepoint_probe_register(l.tp, t->handler, t) : -ENOENT;
		if (rc) {
			stp_probe_reg_error(t->probe, t->optional, rc);
			if (t->optional)
				continue;
			stp_tracepoints_unregister();
			return rc;
		}
		t->tp = l.tp;
		t->registered = true;
	}
	return 0;
}

STP_FAMILY(tracepoint) = {
	.reg = stp_tracepoints_register,
	.unreg = stp_tracepoints_unregister,
	.report = NULL,
};
