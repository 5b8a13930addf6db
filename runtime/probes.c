// SPDX-License-Identifier: GPL-2.0
/*
 * probes.c - arming and disarming every probe family, in a fixed order;
 * disarming is the exact reverse.  A mandatory probe that fails to register
 * fails the start and everything armed so far is disarmed again.
 */

STP_RT_SHARED void stp_probe_reg_error(const struct stp_probe *p, bool optional, int rc)
{
	stp_ctl_printf(optional ? STP_MSG_TEXT : STP_MSG_ERROR,
		       "%s: probe %s at %s registration error (rc %d)%s\n",
		       optional ? "WARNING" : "ERROR", p->pp, p->location, rc,
		       optional ? ", skipped" : "");
}

#ifndef STP_RUNTIME_OBJ		/* else objects of their own */
#include "probe_kprobe.c"
#include "probe_procfs.c"
#include "probe_profile.c"
#include "probe_timer.c"
#include "probe_tracepoint.c"
#endif

static int stp_register_probes(void)
{
	int i, rc;

	for (i = 0; i < STP_NFAM; i++) {
		const struct stp_family *f = stp_module.families[i];

		if (!f)
			continue;
		rc = f->reg();
		if (rc) {
			while (i--)
				if (stp_module.families[i])
					stp_module.families[i]->unreg();
			return rc;
		}
	}
	return 0;
}

static void stp_unregister_probes(void)
{
	int i = STP_NFAM;

	while (i--)
		if (stp_module.families[i])
			stp_module.families[i]->unreg();
}

static void stp_report_probe_stats(void)
{
	int i;

	for (i = 0; i < STP_NFAM; i++)
		if (stp_module.families[i] && stp_module.families[i]->report)
			stp_module.families[i]->report();
}
