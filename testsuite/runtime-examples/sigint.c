/*
 * global ticks
 * probe begin { println("start") }
 * probe timer.ms(50) { ticks++ }
 * probe end { printf("end ran, ticks>0=%d\n", ticks > 0) }
 *
 * Runs until a signal (SIGINT/SIGTERM/SIGHUP), -T or -c stops it.
 */
#define STP_MODULE_NAME "sigint"
#include "runtime.h"

static s64 g_ticks;

static struct stp_global stp_globals[] = {
	STP_GLOBAL("ticks"),
};

union stp_frame {
	char unused;
};

static void stp_probe_0(struct context *c)	/* begin */
{
	if (stp_action(c, 1, "identifier 'println' at <input>:2:15"))
		return;
	stp_print_str(c, "start\n");
}

static void stp_probe_1(struct context *c)	/* timer.ms(50) */
{
	if (stp_action(c, 1, "identifier 'ticks' at <input>:3:22"))
		return;
	g_ticks++;
}

static void stp_probe_2(struct context *c)	/* end */
{
	if (stp_action(c, 1, "identifier 'printf' at <input>:4:13"))
		return;
	stp_print_fmt(c, "end ran, ticks>0=%d\n", g_ticks > 0);
}

static const struct stp_lock_req stp_locks_1[] = {
	{ .global = &stp_globals[0], .mode = STP_LOCK_WRITE },
};

static const struct stp_probe stp_probes[] = {
	{ .handler = stp_probe_0, .pp = "begin", .location = "<input>:2:7" },
	{ .handler = stp_probe_1, .pp = "timer.ms(50)", .location = "<input>:3:7",
	  .locks = stp_locks_1, .nlocks = ARRAY_SIZE(stp_locks_1) },
	{ .handler = stp_probe_2, .pp = "end", .location = "<input>:4:7" },
};

static struct stp_be_probe stp_be[] = {
	{ .probe = &stp_probes[0], .type = STP_BEGIN },
	{ .probe = &stp_probes[2], .type = STP_END },
};

static struct stp_timer_probe stp_timers[] = {
	{ .probe = &stp_probes[1], .kind = STP_TIMER_HR, .period = 50000000 },
};

static struct stp_module stp_module = {
	.frame_size = sizeof(union stp_frame),
	.globals = stp_globals,
	.nglobals = ARRAY_SIZE(stp_globals),
	.be = stp_be,
	.nbe = ARRAY_SIZE(stp_be),
	.timers = stp_timers,
	.ntimers = ARRAY_SIZE(stp_timers),
	.families = { [STP_FAM_TIMER] = &stp_family_timer, },
};
