/*
 * probe kprobe.function("no_such_function_xyz")? { println("hit") }
 * probe begin { println("begin ran"); exit() }
 */
#define STP_MODULE_NAME "kprobe_optional"
#include "runtime.h"

union stp_frame {
	char unused;
};

static void stp_probe_0(struct context *c)
{
	if (stp_action(c, 1, "identifier 'println' at <input>:1:52"))
		return;
	stp_print_str(c, "hit\n");
}

static void stp_probe_1(struct context *c)
{
	if (stp_action(c, 1, "identifier 'println' at <input>:2:15"))
		return;
	stp_print_str(c, "begin ran\n");
	if (stp_action(c, 1, "identifier 'exit' at <input>:2:38"))
		return;
	stp_exit();
}

static const struct stp_probe stp_probes[] = {
	{ .handler = stp_probe_0, .pp = "kprobe.function(\"no_such_function_xyz\")?",
	  .location = "<input>:1:7" },
	{ .handler = stp_probe_1, .pp = "begin", .location = "<input>:2:7" },
};

static struct stp_be_probe stp_be[] = {
	{ .probe = &stp_probes[1], .type = STP_BEGIN },
};

static struct stp_kprobe_probe stp_kprobes[] = {
	{ .probe = &stp_probes[0], .symbol = "no_such_function_xyz",
	  .optional = true },
};

static struct stp_module stp_module = {
	.frame_size = sizeof(union stp_frame),
	.be = stp_be,
	.nbe = ARRAY_SIZE(stp_be),
	.kprobes = stp_kprobes,
	.nkprobes = ARRAY_SIZE(stp_kprobes),
	.families = { [STP_FAM_KPROBE] = &stp_family_kprobe, },
};
