/*
 * global n probe timer.ms(10) { n++; if (n == 3) { y = 0; printf("%d\n", 1/y) } } probe end { println("end n=", n) } probe error { println("error n=", n) }
 */
#define STP_MODULE_NAME "timer_error"
#include "runtime.h"

static s64 g_n;

static struct stp_global stp_globals[] = {
	STP_GLOBAL("n"),
};

struct stp_locals_probe_0 {
	s64 l_y;
	s64 tmp_0;
};

union stp_frame {
	struct stp_locals_probe_0 probe_0;
};

static void stp_probe_0(struct context *c)	/* timer.ms(10) */
{
	struct stp_locals_probe_0 *l = stp_frame0(c);

	if (stp_action(c, 1, "identifier 'n' at <input>:1:31"))
		goto out;
	g_n++;
	if (stp_action(c, 1, "keyword at <input>:1:36"))
		goto out;
	if (g_n == 3) {
		if (stp_action(c, 1, "identifier 'y' at <input>:1:51"))
			goto out;
		l->l_y = 0;
		if (stp_action(c, 1, "identifier 'printf' at <input>:1:58"))
			goto out;
		l->tmp_0 = stp_div(c, 1, l->l_y, "operator '/' at <input>:1:73");
		if (c->last_error)
			goto out;
		stp_print_fmt(c, "%lld\n", l->tmp_0);
	}
out:
	return;
}

static void stp_probe_1(struct context *c)	/* end */
{
	if (stp_action(c, 1, "identifier 'println' at <input>:1:96"))
		return;
	stp_print_fmt(c, "end n=%lld\n", g_n);
}

static void stp_probe_2(struct context *c)	/* error */
{
	if (stp_action(c, 1, "identifier 'println' at <input>:1:133"))
		return;
	stp_print_fmt(c, "error n=%lld\n", g_n);
}

static const struct stp_lock_req stp_locks_0[] = {
	{ .global = &stp_globals[0], .mode = STP_LOCK_WRITE },
};

static const struct stp_probe stp_probes[] = {
	{ .handler = stp_probe_0, .pp = "timer.ms(10)", .location = "<input>:1:16",
	  .locks = stp_locks_0, .nlocks = ARRAY_SIZE(stp_locks_0) },
	{ .handler = stp_probe_1, .pp = "end", .location = "<input>:1:90" },
	{ .handler = stp_probe_2, .pp = "error", .location = "<input>:1:125" },
};

static struct stp_be_probe stp_be[] = {
	{ .probe = &stp_probes[1], .type = STP_END },
	{ .probe = &stp_probes[2], .type = STP_ERROR },
};

static struct stp_timer_probe stp_timers[] = {
	{ .probe = &stp_probes[0], .kind = STP_TIMER_HR, .period = 10000000 },
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
