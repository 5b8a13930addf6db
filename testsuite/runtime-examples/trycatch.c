/*
 * function f:long(n:long) { return f(n + 1) }
 * probe begin {
 *   try { f(1) } catch (msg) { println("caught: ", msg) }
 *   try { x = 1 / y } catch { println("caught division") }
 *   f(1)
 * }
 */
#define STP_MODULE_NAME "trycatch"
#include "runtime.h"

struct stp_locals_fn_f {
	s64 l_n;
	s64 retval;
};

struct stp_locals_probe_0 {
	s64 l_x;
	s64 l_y;
	char l_msg[MAXSTRINGLEN];
};

union stp_frame {
	struct stp_locals_fn_f fn_f;
	struct stp_locals_probe_0 probe_0;
};

static void stp_fn_f(struct context *c, struct stp_locals_fn_f *l)
{
	struct stp_locals_fn_f *callee;

	if (stp_action(c, 1, "keyword at <input>:1:27"))
		goto out;
	/* f(n + 1) */
	callee = stp_callee(c, l, "identifier 'f' at <input>:1:10");
	if (!callee)
		goto out;
	callee->l_n = l->l_n + 1;
	stp_fn_f(c, callee);
	if (c->last_error)
		goto out;
	l->retval = callee->retval;
out:
	return;
}

/* from the probe body */
static void stp_call_f(struct context *c, s64 n, const char *where)
{
	struct stp_locals_fn_f *callee = stp_callee0(c, where);

	if (!callee)
		return;
	callee->l_n = n;
	stp_fn_f(c, callee);
}

static void stp_probe_0(struct context *c)	/* begin */
{
	struct stp_locals_probe_0 *l = stp_frame0(c);

	/* try { f(1) } catch (msg) { println("caught: ", msg) } */
	if (stp_action(c, 1, "keyword at <input>:3:3"))
		goto out;
	if (stp_action(c, 1, "identifier 'f' at <input>:3:9"))
		goto catch_0;
	stp_call_f(c, 1, "identifier 'f' at <input>:1:10");
	if (c->last_error)
		goto catch_0;
	goto end_0;
catch_0:
	strscpy(l->l_msg, c->last_error, MAXSTRINGLEN);
	stp_error_clear(c);
	if (stp_action(c, 1, "identifier 'println' at <input>:3:30"))
		goto out;
	stp_print_str(c, "caught: ");
	stp_print_str(c, l->l_msg);
	stp_print_char(c, '\n');
end_0:
	/* try { x = 1 / y } catch { println("caught division") } */
	if (stp_action(c, 1, "keyword at <input>:4:3"))
		goto out;
	if (stp_action(c, 1, "identifier 'x' at <input>:4:9"))
		goto catch_1;
	l->l_x = stp_div(c, 1, l->l_y, "operator '/' at <input>:4:15");
	if (c->last_error)
		goto catch_1;
	goto end_1;
catch_1:
	stp_error_clear(c);
	if (stp_action(c, 1, "identifier 'println' at <input>:4:31"))
		goto out;
	stp_print_str(c, "caught division\n");
end_1:
	/* f(1), uncaught */
	if (stp_action(c, 1, "identifier 'f' at <input>:5:3"))
		goto out;
	stp_call_f(c, 1, "identifier 'f' at <input>:1:10");
	if (c->last_error)
		goto out;
out:
	return;
}

static const struct stp_probe stp_probes[] = {
	{ .handler = stp_probe_0, .pp = "begin", .location = "<input>:2:7" },
};

static struct stp_be_probe stp_be[] = {
	{ .probe = &stp_probes[0], .type = STP_BEGIN },
};

static struct stp_module stp_module = {
	.frame_size = sizeof(union stp_frame),
	.be = stp_be,
	.nbe = ARRAY_SIZE(stp_be),
};
