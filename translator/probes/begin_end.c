// begin_end.c: begin, end and error probes (with an optional priority),
// and never.
#include "stap.h"

static const char *const be_patterns[] = {
	"begin", "begin(number)", "end", "end(number)", "error", "error(number)", NULL,
};

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
