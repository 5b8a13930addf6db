// SPDX-License-Identifier: GPL-2.0
/*
 * probes.c - arming and disarming every probe family, in a fixed order;
 * disarming is the exact reverse.  A mandatory probe that fails to register
 * fails the start and everything armed so far is disarmed again.
 */

static void stp_probe_reg_error(const struct stp_probe *p, bool optional,
				int rc)
{
	stp_ctl_printf(optional ? STP_MSG_TEXT : STP_MSG_ERROR,
		       "%s: probe %s at %s registration error (rc %d)%s\n",
		       optional ? "WARNING" : "ERROR", p->pp, p->location, rc,
		       optional ? ", skipped" : "");
}

#include "probe_kprobe.c"
#include "probe_procfs.c"
#include "probe_profile.c"
#include "probe_timer.c"
#include "probe_tracepoint.c"

static int stp_register_probes(void)
{
	int rc;

	rc = stp_kprobes_register();
	if (rc)
		goto out;
	rc = stp_procfs_register();
	if (rc)
		goto out_kprobes;
	rc = stp_profiles_register();
	if (rc)
		goto out_procfs;
	rc = stp_timers_register();
	if (rc)
		goto out_profiles;
	rc = stp_tracepoints_register();
	if (rc)
		goto out_timers;
	return 0;
out_timers:
	stp_timers_unregister();
out_profiles:
	stp_profiles_unregister();
out_procfs:
	stp_procfs_unregister();
out_kprobes:
	stp_kprobes_unregister();
out:
	return rc;
}

static void stp_unregister_probes(void)
{
	stp_tracepoints_unregister();
	stp_timers_unregister();
	stp_profiles_unregister();
	stp_procfs_unregister();
	stp_kprobes_unregister();
}

static void stp_report_probe_stats(void)
{
	stp_kprobes_report();
}
