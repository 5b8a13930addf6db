/*
 * global seq, lines = 100
 * probe timer.us(500) { for (i = 0; i < lines; i++) printf("storm %d %s\n", ++seq, "0123456789abcdef0123456789abcdef") }
 * probe end { printf("last %d\n", seq) }
 *
 * A print storm: `lines` lines of about 50 bytes per hit, 2000 hits/s.
 * Run with -T SECS -o FILE; the checker verifies that the numbers run
 * 1..last without a gap.  Compiled as with stap -DMAXACTION=10000.
 */
#define MAXACTION 10000
#define STP_MODULE_NAME "storm"
#include "runtime.h"

static s64 g_seq;
static s64 g_lines = 100;
STP_PARAM_LONG(lines, g_lines);

static struct stp_global stp_globals[] = {
	STP_GLOBAL("seq"),
	STP_GLOBAL("lines"),
};

struct stp_locals_probe_0 {
	s64 l_i;
	struct stp_out o;		/* printf output state: a temporary */
};

union stp_frame {
	struct stp_locals_probe_0 probe_0;
};

static const struct stp_fmt_spec stp_fmt_0 = {
	STP_FMT_D, 0, STP_FMT_NONE, STP_FMT_NONE	/* %d */
};
static const struct stp_fmt_spec stp_fmt_1 = {
	STP_FMT_S, 0, STP_FMT_NONE, STP_FMT_NONE	/* %s */
};

static void stp_probe_0(struct context *c)	/* timer.us(500) */
{
	struct stp_locals_probe_0 *l = stp_frame0(c);

	if (stp_action(c, 1, "keyword at <input>:2:23"))
		goto out;
	for (l->l_i = 0; l->l_i < g_lines; l->l_i++) {
		if (stp_action(c, 1, "identifier 'printf' at <input>:2:52"))
			goto out;
		/* printf("storm %d %s\n", ...) with the pre-parsed format */
		stp_print_out_open(c, &l->o);
		stp_out_bytes(&l->o, "storm ", 6);
		stp_fmt_long(&l->o, &stp_fmt_0, ++g_seq);
		stp_out_bytes(&l->o, " ", 1);
		stp_fmt_str(&l->o, &stp_fmt_1, "0123456789abcdef0123456789abcdef");
		stp_out_bytes(&l->o, "\n", 1);
		stp_print_out_close(c, &l->o);
	}
out:
	return;
}

static void stp_probe_1(struct context *c)	/* end */
{
	if (stp_action(c, 1, "identifier 'printf' at <input>:3:13"))
		return;
	stp_print_fmt(c, "last %lld\n", g_seq);
}

static const struct stp_lock_req stp_locks_0[] = {
	{ .global = &stp_globals[0], .mode = STP_LOCK_WRITE },
	{ .global = &stp_globals[1], .mode = STP_LOCK_READ },
};

static const struct stp_probe stp_probes[] = {
	{ .handler = stp_probe_0, .pp = "timer.us(500)", .location = "<input>:2:7",
	  .locks = stp_locks_0, .nlocks = ARRAY_SIZE(stp_locks_0) },
	{ .handler = stp_probe_1, .pp = "end", .location = "<input>:3:7" },
};

static struct stp_be_probe stp_be[] = {
	{ .probe = &stp_probes[1], .type = STP_END },
};

static struct stp_timer_probe stp_timers[] = {
	{ .probe = &stp_probes[0], .kind = STP_TIMER_HR, .period = 500000 },
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
