/*
 * probe begin { exit() } probe end { println("e1"); x = 0; println(1/x) } probe end { println("e2") } probe error { println("err") }
 *
 * An error in an end probe fails the session: later end probes are skipped
 * and the error probes run (SystemTap 4.8 prints e1, err).
 */
#define STP_MODULE_NAME "end_error"
#include "runtime.h"

struct stp_locals_probe_1 {
	s64 l_x;
	s64 tmp_0;
};

union stp_frame {
	struct stp_locals_probe_1 probe_1;
};

static void stp_probe_0(struct context *c)	/* begin */
{
	if (stp_action(c, 1, "identifier 'exit' at <input>:1:15"))
		return;
	stp_exit();
}

static void stp_probe_1(struct context *c)	/* end */
{
	struct stp_locals_probe_1 *l = stp_frame0(c);

	if (stp_action(c, 1, "identifier 'println' at <input>:1:36"))
		goto out;
	stp_print_str(c, "e1\n");
	if (stp_action(c, 1, "identifier 'x' at <input>:1:51"))
		goto out;
	l->l_x = 0;
	if (stp_action(c, 1, "identifier 'println' at <input>:1:58"))
		goto out;
	l->tmp_0 = stp_div(c, 1, l->l_x, "operator '/' at <input>:1:67");
	if (c->last_error)
		goto out;
	stp_print_long(c, l->tmp_0);
	stp_print_char(c, '\n');
out:
	return;
}

static void stp_probe_2(struct context *c)	/* end */
{
	if (stp_action(c, 1, "identifier 'println' at <input>:1:86"))
		return;
	stp_print_str(c, "e2\n");
}

static void stp_probe_3(struct context *c)	/* error */
{
	if (stp_action(c, 1, "identifier 'println' at <input>:1:118"))
		return;
	stp_print_str(c, "err\n");
}

static const struct stp_probe stp_probes[] = {
	{ .handler = stp_probe_0, .pp = "begin", .location = "<input>:1:7" },
	{ .handler = stp_probe_1, .pp = "end", .location = "<input>:1:30" },
	{ .handler = stp_probe_2, .pp = "end", .location = "<input>:1:80" },
	{ .handler = stp_probe_3, .pp = "error", .location = "<input>:1:110" },
};

static struct stp_be_probe stp_be[] = {
	{ .probe = &stp_probes[0], .type = STP_BEGIN },
	{ .probe = &stp_probes[1], .type = STP_END },
	{ .probe = &stp_probes[2], .type = STP_END },
	{ .probe = &stp_probes[3], .type = STP_ERROR },
};

static struct stp_module stp_module = {
	.frame_size = sizeof(union stp_frame),
	.be = stp_be,
	.nbe = ARRAY_SIZE(stp_be),
};
