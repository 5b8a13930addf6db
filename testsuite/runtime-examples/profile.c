/*
 * global p
 * probe timer.profile { p++ }
 * probe timer.ms(300) { exit() }
 * probe end { printf("profile>0=%d regs=%d\n", p > 0, 1) }
 */
#define STP_MODULE_NAME "profile"
#include "runtime.h"

static s64 g_p;
static s64 g_regs;

static struct stp_global stp_globals[] = {
	STP_GLOBAL("p"),
};

union stp_frame {
	char unused;
};

static void stp_probe_0(struct context *c)	/* timer.profile */
{
	if (stp_action(c, 1, "identifier 'p' at <input>:2:23"))
		return;
	g_p++;
	if (c->regs)
		g_regs++;
}

static void stp_probe_1(struct context *c)	/* timer.ms(300) */
{
	if (stp_action(c, 1, "identifier 'exit' at <input>:3:23"))
		return;
	stp_exit();
}

static void stp_probe_2(struct context *c)	/* end */
{
	if (stp_action(c, 1, "identifier 'printf' at <input>:4:13"))
		return;
	stp_print_fmt(c, "profile>0=%d regs=%d\n", g_p > 0, g_regs == g_p);
}

static const struct stp_lock_req stp_locks_0[] = {
	{ .global = &stp_globals[0], .mode = STP_LOCK_WRITE },
};

static const struct stp_probe stp_probes[] = {
	{ .handler = stp_probe_0, .pp = "timer.profile", .location = "<input>:2:7",
	  .locks = stp_locks_0, .nlocks = ARRAY_SIZE(stp_locks_0) },
	{ .handler = stp_probe_1, .pp = "timer.ms(300)", .location = "<input>:3:7" },
	{ .handler = stp_probe_2, .pp = "end", .location = "<input>:4:7" },
};

static struct stp_be_probe stp_be[] = {
	{ .probe = &stp_probes[2], .type = STP_END },
};

static struct stp_profile_probe stp_profiles[] = {
	{ .probe = &stp_probes[0] },
};

static struct stp_timer_probe stp_timers[] = {
	{ .probe = &stp_probes[1], .kind = STP_TIMER_HR, .period = 300000000 },
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
