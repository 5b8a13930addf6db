// tracepoint.c: kernel.trace("NAME") and kernel.trace("SYSTEM:NAME"),
// globs in both, for every tracepoint of the target kernel.  Names,
// systems and arguments come from the kernel's BTF (kinfo), not from
// debuginfo: $arg is the argument, $arg->field... follows struct members
// with offsets from BTF, read without faulting.
#include "stap.h"
#include "debuginfo/kinfo.h"

#include <stdlib.h>
#include <string.h>

static const char *const tp_patterns[] = {"kernel.trace(string)", NULL};

static bool fail_at(Probe *p, Token *at, const char *fmt, const char *a)
{
	Node *first = VEC_AT(&p->point->components, 0);
	diag(DIAG_SEMANTIC, first->tok, "saw", "while resolving probe point");
	diag(DIAG_SEMANTIC, at, "saw", fmt, a);
	return false;
}

typedef struct {
	Probe *proto;
	Vec *out;
} Collect;

static Probe *for_tracepoint(Probe *proto, const struct kinfo_tracepoint *tp)
{
	Probe *q = NEW(Probe);
	*q = *proto;
	q->sarg[0] = tp->name;
	q->sarg[1] = tp->system;
	q->data = (void *)tp;
	q->pp = tp->system ? arena_printf("kernel.trace(\"%s:%s\")", tp->system, tp->name)
			   : arena_printf("kernel.trace(\"%s\")", tp->name);
	return q;
}

static int collect(const struct kinfo_tracepoint *tp, void *arg)
{
	Collect *c = arg;
	vec_push(c->out, for_tracepoint(c->proto, tp));
	return 0;
}

static bool tp_derive(Session *s, Probe *p, int pattern, Vec *out)
{
	Node *arg = point_arg(p->point, 1);
	Buf b = {0};
	string_decode(arg->str, arg->len, &b);
	char *spec = arena_strdup(b.s ? b.s : "");
	free(b.s);
	char *colon = strchr(spec, ':');
	const char *system = NULL, *name = spec;
	if (colon) {
		*colon = 0;
		system = spec;
		name = colon + 1;
	}
	struct kinfo *ki = session_kinfo(s);
	struct kinfo_err err = {{0}};
	if (!ki)
		return fail_at(p, arg->tok, "tracepoints are unknown: %s",
			       "the target kernel's BTF cannot be read");
	Collect c = {.proto = p, .out = out};
	long n = kinfo_match_tracepoints(ki, system, name, collect, &c, &err);
	if (n < 0)
		return fail_at(p, arg->tok, "tracepoints are unknown: %s", err.msg);
	if (n == 0) {
		if (p->optional)
			return true;
		return fail_at(p, arg->tok, "no match for tracepoint '%s'", arena_strdup(spec[0] ? (colon ? arena_printf("%s:%s", system, name) : name) : ""));
	}
	return true;
}

// -L: the arguments, "$prev:struct task_struct*".
const char *tracepoint_vars(Probe *p)
{
	const struct kinfo_tracepoint *tp = p->data;
	Buf b = {0};
	for (int i = 0; i < tp->nargs; i++)
		buf_printf(&b, "%s$%s:%s", i ? " " : "", tp->args[i].name, tp->args[i].type);
	const char *r = arena_strdup(b.s ? b.s : "");
	free(b.s);
	return r;
}

// Pass 3: one handler per probe with the tracepoint's arguments as
// unsigned longs (every argument is a register or a stack slot of 8
// bytes on x86-64; narrower types are masked when read).
static const char *tp_emit(Session *s, Buf *b, Vec *probes)
{
	for (int i = 0; i < probes->len; i++) {
		Probe *p = VEC_AT(probes, i);
		const struct kinfo_tracepoint *tp = p->data;
		buf_printf(b, "static void tp_handler_%d(void *data", p->index);
		for (int k = 0; k < tp->nargs; k++)
			buf_printf(b, ", unsigned long a%d", k);
		buf_puts(b, ")\n{\n");
		if (tp->nargs) {
			buf_puts(b, "\tunsigned long args[] = {");
			for (int k = 0; k < tp->nargs; k++)
				buf_printf(b, "%s a%d", k ? "," : "", k);
			buf_puts(b, " };\n\n");
			buf_printf(b, "\tstp_run_probe_args(&stp_probes[%d], args);\n}\n\n", p->index);
		} else {
			buf_printf(b, "\tstp_run_probe_args(&stp_probes[%d], NULL);\n}\n\n", p->index);
		}
	}
	buf_puts(b, "static struct stp_tracepoint_probe stp_tracepoints[] = {\n");
	for (int i = 0; i < probes->len; i++) {
		Probe *p = VEC_AT(probes, i);
		buf_printf(b, "\t{ .probe = &stp_probes[%d], .name = \"%s\", .handler = (void *)tp_handler_%d%s },\n",
			   p->index, p->sarg[0], p->index, p->optional ? ", .optional = true" : "");
	}
	buf_puts(b, "};\n");
	return ".tracepoints = stp_tracepoints, .ntracepoints = ARRAY_SIZE(stp_tracepoints),";
}

const Provider provider_tracepoint = {
	.name = "tracepoint",
	.patterns = tp_patterns,
	.derive = tp_derive,
	.emit = tp_emit,
};
