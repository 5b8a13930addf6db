/* stap -e 'probe begin { print("hello world\n"); exit() }' */
#define STP_MODULE_NAME "hello"
#include "runtime.h"

union stp_frame {			/* no locals */
	char unused;
};

/* begin at <input>:1:7 */
static void stp_probe_0(struct context *c)
{
	if (stp_action(c, 2, "identifier 'print' at <input>:1:15"))
		return;
	stp_print_str(c, "hello world\n");
	stp_exit();
}

static const struct stp_probe stp_probes[] = {
	{ .handler = stp_probe_0, .pp = "begin", .location = "<input>:1:7" },
};

static struct stp_be_probe stp_be[] = {
	{ .probe = &stp_probes[0], .type = STP_BEGIN, .priority = 0 },
};

static struct stp_module stp_module = {
	.frame_size = sizeof(union stp_frame),
	.be = stp_be,
	.nbe = ARRAY_SIZE(stp_be),
};
