/*
 * probe begin(10) { println("third"); exit(); println("after exit") }
 * probe begin(20) { println("never: exit() stops later begin probes") }
 * probe begin { println("second") }
 * probe begin(-5) { println("first") }
 * probe end(2) { println("end b") }
 * probe end(1) { println("end a") }
 * probe never { println("never") }
 */
#define STP_MODULE_NAME "begin_prio"
#include "runtime.h"

union stp_frame {
	char unused;
};

static void stp_println(struct context *c, const char *s, const char *where)
{
	if (stp_action(c, 1, where))
		return;
	stp_print_str(c, s);
	stp_print_char(c, '\n');
}

static void stp_probe_0(struct context *c)	/* begin(10) */
{
	stp_println(c, "third", "identifier 'println' at <input>:1:19");
	if (c->last_error)
		return;
	if (stp_action(c, 1, "identifier 'exit' at <input>:1:38"))
		return;
	stp_exit();
	stp_println(c, "after exit", "identifier 'println' at <input>:1:46");
}

static void stp_probe_1(struct context *c)	/* begin(20) */
{
	stp_println(c, "never: exit() stops later begin probes",
		    "identifier 'println' at <input>:2:19");
}

static void stp_probe_2(struct context *c)	/* begin */
{
	stp_println(c, "second", "identifier 'println' at <input>:3:15");
}

static void stp_probe_3(struct context *c)	/* begin(-5) */
{
	stp_println(c, "first", "identifier 'println' at <input>:4:19");
}

static void stp_probe_4(struct context *c)	/* end(2) */
{
	stp_println(c, "end b", "identifier 'println' at <input>:5:16");
}

static void stp_probe_5(struct context *c)	/* end(1) */
{
	stp_println(c, "end a", "identifier 'println' at <input>:6:16");
}

static const struct stp_probe stp_probes[] = {
	{ .handler = stp_probe_0, .pp = "begin(10)", .location = "<input>:1:7" },
	{ .handler = stp_probe_1, .pp = "begin(20)", .location = "<input>:2:7" },
	{ .handler = stp_probe_2, .pp = "begin", .location = "<input>:3:7" },
	{ .handler = stp_probe_3, .pp = "begin(-5)", .location = "<input>:4:7" },
	{ .handler = stp_probe_4, .pp = "end(2)", .location = "<input>:5:7" },
	{ .handler = stp_probe_5, .pp = "end(1)", .location = "<input>:6:7" },
};

static struct stp_be_probe stp_be[] = {
	{ .probe = &stp_probes[0], .type = STP_BEGIN, .priority = 10 },
	{ .probe = &stp_probes[1], .type = STP_BEGIN, .priority = 20 },
	{ .probe = &stp_probes[2], .type = STP_BEGIN, .priority = 0 },
	{ .probe = &stp_probes[3], .type = STP_BEGIN, .priority = -5 },
	{ .probe = &stp_probes[4], .type = STP_END, .priority = 2 },
	{ .probe = &stp_probes[5], .type = STP_END, .priority = 1 },
};

static struct stp_module stp_module = {
	.frame_size = sizeof(union stp_frame),
	.be = stp_be,
	.nbe = ARRAY_SIZE(stp_be),
};
