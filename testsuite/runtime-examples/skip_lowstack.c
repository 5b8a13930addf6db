/*
 * stap -DMINSTACKSPACE=100000 -DMAXSKIPPED=5 -e '
 * global n
 * probe kprobe.function("ksys_write") { n++ }
 * probe error { println("error probe, n=", n) }'
 *
 * No task stack has 100000 free bytes: every hit is skipped (low stack);
 * the 6th skip passes MAXSKIPPED and fails the session.
 */
#define MINSTACKSPACE 100000
#define MAXSKIPPED 5
#define STP_MODULE_NAME "skip_lowstack"
#include "runtime.h"

static s64 g_n;

static struct stp_global stp_globals[] = {
	STP_GLOBAL("n"),
};

union stp_frame {
	char unused;
};

static void stp_probe_0(struct context *c)	/* kprobe.function("ksys_write") */
{
	if (stp_action(c, 1, "identifier 'n' at <input>:3:39"))
		return;
	g_n++;
}

static void stp_probe_1(struct context *c)	/* error */
{
	if (stp_action(c, 1, "identifier 'println' at <input>:4:15"))
		return;
	stp_print_fmt(c, "error probe, n=%lld\n", g_n);
}

static const struct stp_lock_req stp_locks_0[] = {
	{ .global = &stp_globals[0], .mode = STP_LOCK_WRITE },
};

static const struct stp_probe stp_probes[] = {
	{ .handler = stp_probe_0, .pp = "kprobe.function(\"ksys_write\")",
	  .location = "<input>:3:7",
	  .locks = stp_locks_0, .nlocks = ARRAY_SIZE(stp_locks_0) },
	{ .handler = stp_probe_1, .pp = "error", .location = "<input>:4:7" },
};

static struct stp_be_probe stp_be[] = {
	{ .probe = &stp_probes[1], .type = STP_ERROR },
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
