/*
 * global seq
 * probe timer.profile { for (i = 0; i < 20; i++) printf("%d %d\n", ++seq, cpu()) }
 * probe timer.s(3) { exit() }
 * probe end { printf("last %d\n", seq) }
 *
 * Every CPU prints into its own ring; stapio must merge the records so that
 * the numbers come out in order (records are flushed under the lock of seq).
 * Compiled as with stap -DMAXACTION=10000 -DMAXTRYLOCK=1000000
 * -DMAXSKIPPED=1000000: the CPUs contend for seq all the time, and under
 * single-threaded TCG the vCPU holding it may sit out a whole time slice,
 * so some handlers time out on the lock (counted and reported, and allowed
 * by run.sh); what this test checks is the order of what is printed.
 */
#define MAXACTION 10000
#define MAXTRYLOCK 1000000
#define MAXSKIPPED 1000000
#define STP_MODULE_NAME "smp_order"
#include "runtime.h"

static s64 g_seq;

static struct stp_global stp_globals[] = {
	STP_GLOBAL("seq"),
};

struct stp_locals_probe_0 {
	s64 l_i;
};

union stp_frame {
	struct stp_locals_probe_0 probe_0;
};

static void stp_probe_0(struct context *c)	/* timer.profile */
{
	struct stp_locals_probe_0 *l = stp_frame0(c);

	if (stp_action(c, 1, "keyword at <input>:2:23"))
		goto out;
	for (l->l_i = 0; l->l_i < 20; l->l_i++) {
		if (stp_action(c, 1, "identifier 'printf' at <input>:2:51"))
			goto out;
		stp_print_fmt(c, "%lld %d\n", ++g_seq, smp_processor_id());
	}
out:
	return;
}

static void stp_probe_1(struct context *c)	/* timer.s(3) */
{
	if (stp_action(c, 1, "identifier 'exit' at <input>:3:20"))
		return;
	stp_exit();
}

static void stp_probe_2(struct context *c)	/* end */
{
	if (stp_action(c, 1, "identifier 'printf' at <input>:4:13"))
		return;
	stp_print_fmt(c, "last %lld\n", g_seq);
}

static const struct stp_lock_req stp_locks_0[] = {
	{ .global = &stp_globals[0], .mode = STP_LOCK_WRITE },
};

static const struct stp_probe stp_probes[] = {
	{ .handler = stp_probe_0, .pp = "timer.profile", .location = "<input>:2:7",
	  .locks = stp_locks_0, .nlocks = ARRAY_SIZE(stp_locks_0) },
	{ .handler = stp_probe_1, .pp = "timer.s(3)", .location = "<input>:3:7" },
	{ .handler = stp_probe_2, .pp = "end", .location = "<input>:4:7" },
};

static struct stp_be_probe stp_be[] = {
	{ .probe = &stp_probes[2], .type = STP_END },
};

static struct stp_profile_probe stp_profiles[] = {
	{ .probe = &stp_probes[0] },
};

static struct stp_timer_probe stp_timers[] = {
	{ .probe = &stp_probes[1], .kind = STP_TIMER_HR, .period = 3000000000ULL },
};

static struct stp_module stp_module = {
	.frame_size = sizeof(union stp_frame),
	.globals = stp_globals,
	.nglobals = ARRAY_SIZE(stp_globals),
	.be = stp_be,
	.nbe = ARRAY_SIZE(stp_be),
	.profiles = stp_profiles,
	.nprofiles = ARRAY_SIZE(stp_profiles),
	.timers = stp_timers,
	.ntimers = ARRAY_SIZE(stp_timers),
	.families = { [STP_FAM_PROFILE] = &stp_family_profile, [STP_FAM_TIMER] = &stp_family_timer, },
};
