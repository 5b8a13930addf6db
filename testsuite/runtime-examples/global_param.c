/*
 * global n = 3, s = "default"
 * probe begin { printf("n=%d s=%s\n", n, s); exit() }
 *
 * staprun global_param.ko n=42 s=hello  ->  n=42 s=hello
 */
#define STP_MODULE_NAME "global_param"
#include "runtime.h"

static s64 g_n = 3;
static char g_s[MAXSTRINGLEN] = "default";
STP_PARAM_LONG(n, g_n);
STP_PARAM_STRING(s, g_s);

static struct stp_global stp_globals[] = {
	STP_GLOBAL("n"),
	STP_GLOBAL("s"),
};

union stp_frame {
	char unused;
};

static void stp_probe_0(struct context *c)	/* begin */
{
	if (stp_action(c, 1, "identifier 'printf' at <input>:2:15"))
		return;
	stp_print_fmt(c, "n=%lld s=%s\n", g_n, g_s);
	if (stp_action(c, 1, "identifier 'exit' at <input>:2:44"))
		return;
	stp_exit();
}

static const struct stp_probe stp_probes[] = {
	{ .handler = stp_probe_0, .pp = "begin", .location = "<input>:2:7" },
};

static struct stp_be_probe stp_be[] = {
	{ .probe = &stp_probes[0], .type = STP_BEGIN },
};

static struct stp_module stp_module = {
	.frame_size = sizeof(union stp_frame),
	.globals = stp_globals,
	.nglobals = ARRAY_SIZE(stp_globals),
	.be = stp_be,
	.nbe = ARRAY_SIZE(stp_be),
};
