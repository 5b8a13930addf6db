/*
 * global n, m
 * probe timer.ms(10) { n++; if (n == 20) exit() }
 * probe timer.jiffies(1).randomize(1) { m++ }
 * probe end { printf("n=%d m>0=%d\n", n, m > 0) }
 */
#define STP_MODULE_NAME "timer_end"
#include "runtime.h"

static s64 g_n;
static s64 g_m;

static struct stp_global stp_globals[] = {
	STP_GLOBAL("n"),
	STP_GLOBAL("m"),
};

union stp_frame {
	char unused;
};

static void stp_probe_0(struct context *c)	/* timer.ms(10) */
{
	if (stp_action(c, 1, "identifier 'n' at <input>:2:22"))
		return;
	g_n++;
	if (stp_action(c, 1, "keyword at <input>:2:27"))
		return;
	if (g_n == 20) {
		if (stp_action(c, 1, "identifier 'exit' at <input>:2:41"))
			return;
		stp_exit();
	}
}

static void stp_probe_1(struct context *c)	/* timer.jiffies(1).randomize(1) */
{
	if (stp_action(c, 1, "identifier 'm' at <input>:3:39"))
		return;
	g_m++;
}

static void stp_probe_2(struct context *c)	/* end */
{
	if (stp_action(c, 1, "identifier 'printf' at <input>:4:13"))
		return;
	stp_print_fmt(c, "n=%lld m>0=%d\n", g_n, g_m > 0);
}

static const struct stp_lock_req stp_locks_0[] = {
	{ .global = &stp_globals[0], .mode = STP_LOCK_WRITE },
};
static const struct stp_lock_req stp_locks_1[] = {
	{ .global = &stp_globals[1], .mode = STP_LOCK_WRITE },
};
static const struct stp_lock_req stp_locks_2[] = {
	{ .global = &stp_globals[0], .mode = STP_LOCK_READ },
	{ .global = &stp_globals[1], .mode = STP_LOCK_READ },
};

static const struct stp_probe stp_probes[] = {
	{ .handler = stp_probe_0, .pp = "timer.ms(10)", .location = "<input>:2:7",
	  .locks = stp_locks_0, .nlocks = ARRAY_SIZE(stp_locks_0) },
	{ .handler = stp_probe_1, .pp = "timer.jiffies(1).randomize(1)",
	  .location = "<input>:3:7",
	  .locks = stp_locks_1, .nlocks = ARRAY_SIZE(stp_locks_1) },
	{ .handler = stp_probe_2, .pp = "end", .location = "<input>:4:7",
	  .locks = stp_locks_2, .nlocks = ARRAY_SIZE(stp_locks_2) },
};

static struct stp_be_probe stp_be[] = {
	{ .probe = &stp_probes[2], .type = STP_END },
};

static struct stp_timer_probe stp_timers[] = {
	{ .probe = &stp_probes[0], .kind = STP_TIMER_HR, .period = 10000000 },
	{ .probe = &stp_probes[1], .kind = STP_TIMER_JIFFIES, .period = 1,
	  .randomize = 1 },
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
