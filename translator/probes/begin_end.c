// begin_end.c: begin, end and error probes (with an optional priority),
// and never.
#include "stap.h"

static const char *const be_patterns[] = {
	"begin", "begin(number)", "end", "end(number)", "error", "error(number)", NULL,
};

static const char *be_emit(Session *s, Buf *b, Vec *probes);

static bool be_derive(Session *s, Probe *p, int pattern, Vec *out)
{
	p->flags = pattern / 2; // 0 begin, 1 end, 2 error
	Node *prio = point_arg(p->point, 0);
	p->arg[0] = prio ? prio->num : 0;
	vec_push(out, p);
	return true;
}

const Provider provider_begin_end = {
	.name = "begin/end/error",
	.patterns = be_patterns,
	.derive = be_derive,
	.emit = be_emit,
};

static const char *const never_patterns[] = {"never", NULL};

static bool never_derive(Session *s, Probe *p, int pattern, Vec *out)
{
	vec_push(out, p);
	return true;
}

const Provider provider_never = {
	.name = "never",
	.patterns = never_patterns,
	.derive = never_derive,
};

// Pass 3 tables, in the runtime's shapes (runtime/README.md).
static const char *be_emit(Session *s, Buf *b, Vec *probes)
{
	static const char *const types[] = {"STP_BEGIN", "STP_END", "STP_ERROR"};
	buf_puts(b, "static struct stp_be_probe stp_be[] = {\n");
	for (int i = 0; i < probes->len; i++) {
		Probe *p = VEC_AT(probes, i);
		buf_printf(b, "\t{ .probe = &stp_probes[%d], .type = %s, .priority = %lldLL },\n",
			   p->index, types[p->flags], (long long)p->arg[0]);
	}
	buf_puts(b, "};\n");
	return ".be = stp_be, .nbe = ARRAY_SIZE(stp_be),";
}
