/*
 * probe begin { while (1) x++ }
 */
#define STP_MODULE_NAME "maxaction"
#include "runtime.h"

struct stp_locals_probe_0 {
	s64 l_x;
};

union stp_frame {
	struct stp_locals_probe_0 probe_0;
};

static void stp_probe_0(struct context *c)	/* begin */
{
	struct stp_locals_probe_0 *l = stp_frame0(c);

	if (stp_action(c, 1, "keyword at <input>:1:15"))
		goto out;
	while (1) {
		/* every iteration is accounted: one statement in the body */
		if (stp_action(c, 1, "identifier 'x' at <input>:1:25"))
			goto out;
		l->l_x++;
	}
out:
	return;
}

static const struct stp_probe stp_probes[] = {
	{ .handler = stp_probe_0, .pp = "begin", .location = "<input>:1:7" },
};

static struct stp_be_probe stp_be[] = {
	{ .probe = &stp_probes[0], .type = STP_BEGIN },
};

static struct stp_module stp_module = {
	.frame_size = sizeof(union stp_frame),
	.be = stp_be,
	.nbe = ARRAY_SIZE(stp_be),
};
