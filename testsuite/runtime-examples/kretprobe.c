/*
 * probe kprobe.function("ksys_read") { if (pid() == target()) printf("count=%d\n", ulong_arg(3)) }
 * probe kprobe.function("ksys_read").return { if (pid() == target()) printf("ret=%d\n", returnval()) }
 *
 * Run with -c 'dd if=/etc/passwd of=/dev/null bs=7 count=1'.
 */
#define STP_MODULE_NAME "kretprobe"
#include "runtime.h"

union stp_frame {
	char unused;
};

static void stp_probe_0(struct context *c)	/* ksys_read entry */
{
	if (stp_action(c, 1, "keyword at <input>:1:39"))
		return;
	if (current->tgid != stp_target)
		return;
	if (stp_action(c, 1, "identifier 'printf' at <input>:1:65"))
		return;
	/* ksys_read(unsigned int fd, char __user *buf, size_t count) */
	stp_print_fmt(c, "count=%lu\n", stp_arg(c, 2));
}

static void stp_probe_1(struct context *c)	/* ksys_read return */
{
	if (stp_action(c, 1, "keyword at <input>:2:46"))
		return;
	if (current->tgid != stp_target)
		return;
	if (stp_action(c, 1, "identifier 'printf' at <input>:2:72"))
		return;
	stp_print_fmt(c, "ret=%ld\n", (long)stp_return_value(c));
}

static const struct stp_probe stp_probes[] = {
	{ .handler = stp_probe_0, .pp = "kprobe.function(\"ksys_read\")",
	  .location = "<input>:1:7" },
	{ .handler = stp_probe_1, .pp = "kprobe.function(\"ksys_read\").return",
	  .location = "<input>:2:7" },
};

static struct stp_kprobe_probe stp_kprobes[] = {
	{ .probe = &stp_probes[0], .symbol = "ksys_read" },
	{ .probe = &stp_probes[1], .symbol = "ksys_read", .is_return = true,
	  .maxactive = 20 },
};

static struct stp_module stp_module = {
	.frame_size = sizeof(union stp_frame),
	.kprobes = stp_kprobes,
	.nkprobes = ARRAY_SIZE(stp_kprobes),
	.families = { [STP_FAM_KPROBE] = &stp_family_kprobe, },
};
