/*
 * probe kprobe.function("ksys_write") { }
 * probe kprobe.function("no_such_function_xyz") { println("hit") }
 * probe begin { println("begin must not run") }
 *
 * The mandatory probe on a missing symbol fails the start: an ERROR, no
 * begin probe, every probe armed so far disarmed, exit status 1.
 */
#define STP_MODULE_NAME "kprobe_missing"
#include "runtime.h"

union stp_frame {
	char unused;
};

static void stp_probe_0(struct context *c)
{
}

static void stp_probe_1(struct context *c)
{
	if (stp_action(c, 1, "identifier 'println' at <input>:2:51"))
		return;
	stp_print_str(c, "hit\n");
}

static void stp_probe_2(struct context *c)
{
	if (stp_action(c, 1, "identifier 'println' at <input>:3:15"))
		return;
	stp_print_str(c, "begin must not run\n");
}

static const struct stp_probe stp_probes[] = {
	{ .handler = stp_probe_0, .pp = "kprobe.function(\"ksys_write\")",
	  .location = "<input>:1:7" },
	{ .handler = stp_probe_1, .pp = "kprobe.function(\"no_such_function_xyz\")",
	  .location = "<input>:2:7" },
	{ .handler = stp_probe_2, .pp = "begin", .location = "<input>:3:7" },
};

static struct stp_be_probe stp_be[] = {
	{ .probe = &stp_probes[2], .type = STP_BEGIN },
};

static struct stp_kprobe_probe stp_kprobes[] = {
	{ .probe = &stp_probes[0], .symbol = "ksys_write" },
	{ .probe = &stp_probes[1], .symbol = "no_such_function_xyz" },
};

static struct stp_module stp_module = {
	.frame_size = sizeof(union stp_frame),
	.be = stp_be,
	.nbe = ARRAY_SIZE(stp_be),
	.kprobes = stp_kprobes,
	.nkprobes = ARRAY_SIZE(stp_kprobes),
	.families = { [STP_FAM_KPROBE] = &stp_family_kprobe, },
};
