/*
 * probe begin { x = 5; y = 0; printf("%d\n", x / y) } probe error { println("error probe") } probe end { println("end") }
 */
#define STP_MODULE_NAME "divzero"
#include "runtime.h"

struct stp_locals_probe_0 {
	s64 l_x;
	s64 l_y;
	s64 tmp_0;
};

union stp_frame {
	struct stp_locals_probe_0 probe_0;
};

static void stp_probe_0(struct context *c)	/* begin */
{
	struct stp_locals_probe_0 *l = stp_frame0(c);

	if (stp_action(c, 1, "identifier 'x' at <input>:1:15"))
		goto out;
	l->l_x = 5;
	if (stp_action(c, 1, "identifier 'y' at <input>:1:22"))
		goto out;
	l->l_y = 0;
	if (stp_action(c, 1, "identifier 'printf' at <input>:1:29"))
		goto out;
	l->tmp_0 = stp_div(c, l->l_x, l->l_y, "operator '/' at <input>:1:46");
	if (c->last_error)
		goto out;
	stp_print_fmt(c, "%lld\n", l->tmp_0);
out:
	return;
}

static void stp_probe_1(struct context *c)	/* error */
{
	if (stp_action(c, 1, "identifier 'println' at <input>:1:67"))
		return;
	stp_print_str(c, "error probe\n");
}

static void stp_probe_2(struct context *c)	/* end */
{
	if (stp_action(c, 1, "identifier 'println' at <input>:1:107"))
		return;
	stp_print_str(c, "end\n");
}

static const struct stp_probe stp_probes[] = {
	{ .handler = stp_probe_0, .pp = "begin", .location = "<input>:1:7" },
	{ .handler = stp_probe_1, .pp = "error", .location = "<input>:1:59" },
	{ .handler = stp_probe_2, .pp = "end", .location = "<input>:1:101" },
};

static struct stp_be_probe stp_be[] = {
	{ .probe = &stp_probes[0], .type = STP_BEGIN },
	{ .probe = &stp_probes[1], .type = STP_ERROR },
	{ .probe = &stp_probes[2], .type = STP_END },
};

static struct stp_module stp_module = {
	.frame_size = sizeof(union stp_frame),
	.be = stp_be,
	.nbe = ARRAY_SIZE(stp_be),
};
