/*
 * global n, mine
 * probe kprobe.function("ksys_write") { n++; if (pid() == target()) mine++ }
 * probe end { printf("writes>0=%d mine=%d target>0=%d\n", n > 0, mine, target() > 0) }
 *
 * Run with -c 'echo a; echo b; echo c': mine counts the command's writes.
 */
#define STP_MODULE_NAME "kprobe_count"
#include "runtime.h"

static s64 g_n;
static s64 g_mine;

static struct stp_global stp_globals[] = {
	STP_GLOBAL("n"),
	STP_GLOBAL("mine"),
};

union stp_frame {
	char unused;
};

static void stp_probe_0(struct context *c)	/* kprobe.function("ksys_write") */
{
	if (stp_action(c, 1, "identifier 'n' at <input>:2:39"))
		return;
	g_n++;
	if (stp_action(c, 1, "keyword at <input>:2:44"))
		return;
	if (current->tgid == stp_target) {	/* pid() == target() */
		if (stp_action(c, 1, "identifier 'mine' at <input>:2:67"))
			return;
		g_mine++;
	}
}

static void stp_probe_1(struct context *c)	/* end */
{
	if (stp_action(c, 1, "identifier 'printf' at <input>:3:13"))
		return;
	stp_print_fmt(c, "writes>0=%d mine=%lld target>0=%d\n", g_n > 0,
		      g_mine, stp_target > 0);
}

static const struct stp_lock_req stp_locks_0[] = {
	{ .global = &stp_globals[0], .mode = STP_LOCK_WRITE },
	{ .global = &stp_globals[1], .mode = STP_LOCK_WRITE },
};

static const struct stp_probe stp_probes[] = {
	{ .handler = stp_probe_0, .pp = "kprobe.function(\"ksys_write\")",
	  .location = "<input>:2:7",
	  .locks = stp_locks_0, .nlocks = ARRAY_SIZE(stp_locks_0) },
	{ .handler = stp_probe_1, .pp = "end", .location = "<input>:3:7" },
};

static struct stp_be_probe stp_be[] = {
	{ .probe = &stp_probes[1], .type = STP_END },
};

static struct stp_kprobe_probe stp_kprobes[] = {
	{ .probe = &stp_probes[0], .symbol = "ksys_write" },
};

static struct stp_module stp_module = {
	.frame_size = sizeof(union stp_frame),
	.globals = stp_globals,
	.nglobals = ARRAY_SIZE(stp_globals),
	.be = stp_be,
	.nbe = ARRAY_SIZE(stp_be),
	.kprobes = stp_kprobes,
	.nkprobes = ARRAY_SIZE(stp_kprobes),
	.families = { [STP_FAM_KPROBE] = &stp_family_kprobe, },
};
