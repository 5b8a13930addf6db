// tracepoint.c: kernel.trace("NAME") and kernel.trace("SYSTEM:NAME"),
// globs in both, for every tracepoint of the target kernel.  Names,
// systems and arguments come from the kernel's BTF (kinfo), not from
// debuginfo: $arg is the argument, $arg->field... follows struct members
// with offsets from BTF, read without faulting.
//
// Also the syscall dispatch the syscall tapset is built on:
// __syscall(NR) and __syscall(NR).return (NR -1: every system call) run on
// the raw_syscalls sys_enter/sys_exit tracepoints, one handler each that
// looks the call's number up in a table, so `syscall.*` costs two
// tracepoints, not hundreds of kprobes.  The handler sees the user registers (c->regs):
// stp_syscall_arg(c, n) gives the n-th argument, the return value is in
// them at .return.  With .name("__x64_sys_openat") (the syscall tapset
// gives the kernel's entry point) pp() says kprobe.function("...")? as
// SystemTap 4.8's syscall probes do; without it kernel.trace("raw_syscalls:
// sys_enter") (or sys_exit), what the probe really is.
#include "stap.h"
#include "btfvar.h"
#include "debuginfo/kinfo.h"
#include "../translate.h"

#include <stdlib.h>
#include <string.h>

static const char *const tp_patterns[] = {
	"kernel.trace(string)", "__syscall(number)", "__syscall(number).return",
	"__syscall(number).name(string)", "__syscall(number).name(string).return",
	// an alias suffix (syscall.read.return.maxactive(10)): SystemTap's
	// kretprobe needs it; the sys_exit tracepoint misses no return
	"__syscall(number).return.maxactive(number)",
	"__syscall(number).name(string).return.maxactive(number)", NULL,
};

enum { TP_TRACE = 0, TP_SYSCALL = 1, TP_SYSCALL_RETURN = 2, TP_SYSCALL_NAMED = 3,
       TP_SYSCALL_NAMED_RETURN = 4, TP_SYSCALL_RETURN_MAXACTIVE = 5,
       TP_SYSCALL_NAMED_RETURN_MAXACTIVE = 6 };

static bool fail_at(Probe *p, Token *at, const char *fmt, const char *a)
{
	// silent while a glob's matches or an optional point are derived
	return probe_error(p, at, fmt, a);
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
	if (pattern != TP_TRACE) {
		Node *nr = point_arg(p->point, 0);
		if (nr->num < -1 || nr->num > 4095)
			return fail_at(p, nr->tok, "invalid system call number %s",
				       arena_printf("%lld", (long long)nr->num));
		bool named = pattern == TP_SYSCALL_NAMED || pattern == TP_SYSCALL_NAMED_RETURN ||
			     pattern == TP_SYSCALL_NAMED_RETURN_MAXACTIVE;
		bool ret = pattern != TP_SYSCALL && pattern != TP_SYSCALL_NAMED;
		const char *maxactive = "";
		if (pattern == TP_SYSCALL_RETURN_MAXACTIVE || pattern == TP_SYSCALL_NAMED_RETURN_MAXACTIVE) {
			Node *n = point_arg(p->point, named ? 3 : 2);
			if (n->num < 0)
				return fail_at(p, n->tok, "maxactive must not be negative%s", "");
			maxactive = arena_printf(".maxactive(%lld)", (long long)n->num);
		}
		p->flags = ret ? TP_SYSCALL_RETURN : TP_SYSCALL;
		p->arg[0] = nr->num;
		if (named) {
			Node *fn = point_arg(p->point, 1);
			Buf b = {0};
			string_decode(fn->str, fn->len, &b);
			p->pp = arena_printf("kprobe.function(\"%s\")%s%s?", b.s ? b.s : "",
					     ret ? ".return" : "", maxactive);
			free(b.s);
		} else {
			p->pp = ret ? "kernel.trace(\"raw_syscalls:sys_exit\")"
				    : "kernel.trace(\"raw_syscalls:sys_enter\")";
		}
		vec_push(out, p);
		return true;
	}
	p->flags = TP_TRACE;
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
static const char *tp_target_list(Session *s, Probe *p)
{
	const struct kinfo_tracepoint *tp = p->data;
	if (p->flags != TP_TRACE || !tp)
		return NULL;
	Buf b = {0};
	for (int i = 0; i < tp->nargs; i++)
		buf_printf(&b, "%s$%s:%s", i ? " " : "", tp->args[i].name, tp->args[i].type);
	const char *r = arena_strdup(b.s ? b.s : "");
	free(b.s);
	return r;
}

// The dispatch of __syscall(NR)[.return] probes: one function per
// tracepoint; the probes of call NR are PROBES[AT[NR]] up to
// PROBES[AT[NR + 1]] (two tables: cheaper to compile than a switch of
// hundreds of cases, and one lookup per call).
static void syscall_dispatch(Buf *b, Vec *probes, int kind)
{
	const char *fn = kind == TP_SYSCALL ? "stp_sys_enter" : "stp_sys_exit";
	int max = -1, n = 0;
	for (int i = 0; i < probes->len; i++) {
		Probe *p = VEC_AT(probes, i);
		if (p->flags == kind && p->arg[0] > max)
			max = (int)p->arg[0];
	}
	if (max >= 0) {
		Buf list = {0};
		buf_printf(b, "static const unsigned int %s_at[] = {", fn);
		for (int nr = 0; nr <= max + 1; nr++) {
			if (nr % 8 == 0)
				buf_printf(b, "\n\t/* %d */", nr);
			buf_printf(b, " %d,", n);
			for (int i = 0; i < probes->len && nr <= max; i++) {
				Probe *p = VEC_AT(probes, i);
				if (p->flags == kind && p->arg[0] == nr) {
					buf_printf(&list, "\t%d,\t/* %d: %s */\n", p->index, nr, p->pp);
					n++;
				}
			}
		}
		buf_printf(b, "\n};\n\nstatic const unsigned int %s_probes[] = {\n%s};\n\n", fn, list.s);
		free(list.s);
	}
	buf_printf(b, "static void %s(void *data, struct pt_regs *regs, long arg)\n{\n", fn);
	if (kind == TP_SYSCALL)
		buf_puts(b, "\tlong nr = arg;\n");
	else
		buf_puts(b, "\tlong nr = syscall_get_nr(current, regs);\n");
	if (max >= 0)
		buf_puts(b, "\tunsigned int i;\n");
	buf_puts(b, "\n");
	if (kind != TP_SYSCALL)
		buf_puts(b, "\t(void)arg;\n");
	if (max < 0)
		buf_puts(b, "\t(void)nr;\n");
	// every-call probes first, then the tables
	for (int i = 0; i < probes->len; i++) {
		Probe *p = VEC_AT(probes, i);
		if (p->flags == kind && p->arg[0] == -1)
			buf_printf(b, "\tstp_run_probe_regs(&stp_probes[%d], regs);\n", p->index);
	}
	if (max >= 0) {
		// numbers are the native table's: 32-bit tasks' calls are not these
		buf_puts(b, "\tif (in_compat_syscall())\n\t\treturn;\n");
		buf_printf(b, "\tif ((unsigned long)nr >= ARRAY_SIZE(%s_at) - 1)\n\t\treturn;\n", fn);
		buf_printf(b, "\tfor (i = %s_at[nr]; i < %s_at[nr + 1]; i++)\n", fn, fn);
		buf_printf(b, "\t\tstp_run_probe_regs(&stp_probes[%s_probes[i]], regs);\n", fn);
	}
	buf_puts(b, "}\n\n");
}

// Pass 3: one handler per kernel.trace probe with the tracepoint's
// arguments as unsigned longs (every argument is a register or a stack
// slot of 8 bytes on x86-64; narrower types are masked when read), and the
// syscall dispatchers.
static const char *tp_emit(Session *s, Buf *b, Vec *probes)
{
	bool enter = false, exit_ = false;
	for (int i = 0; i < probes->len; i++) {
		Probe *p = VEC_AT(probes, i);
		enter |= p->flags == TP_SYSCALL;
		exit_ |= p->flags == TP_SYSCALL_RETURN;
		if (p->flags != TP_TRACE)
			continue;
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
	if (enter)
		syscall_dispatch(b, probes, TP_SYSCALL);
	if (exit_)
		syscall_dispatch(b, probes, TP_SYSCALL_RETURN);
	buf_puts(b, "static struct stp_tracepoint_probe stp_tracepoints[] = {\n");
	for (int i = 0; i < probes->len; i++) {
		Probe *p = VEC_AT(probes, i);
		if (p->flags != TP_TRACE)
			continue;
		buf_printf(b, "\t{ .probe = &stp_probes[%d], .name = \"%s\", .handler = (void *)tp_handler_%d%s },\n",
			   p->index, p->sarg[0], p->index, p->optional ? ", .optional = true" : "");
	}
	// the dispatchers stand for every syscall probe: the first one names them
	for (int kind = TP_SYSCALL; kind <= TP_SYSCALL_RETURN; kind++) {
		if (kind == TP_SYSCALL ? !enter : !exit_)
			continue;
		for (int i = 0; i < probes->len; i++) {
			Probe *p = VEC_AT(probes, i);
			if (p->flags != kind)
				continue;
			buf_printf(b, "\t{ .probe = &stp_probes[%d], .name = \"%s\", .handler = (void *)%s },\n",
				   p->index, kind == TP_SYSCALL ? "sys_enter" : "sys_exit",
				   kind == TP_SYSCALL ? "stp_sys_enter" : "stp_sys_exit");
			break;
		}
	}
	buf_puts(b, "};\n");
	s->rt_families |= 1u << RT_FAM_TRACEPOINT;
	return ".tracepoints = stp_tracepoints, .ntracepoints = ARRAY_SIZE(stp_tracepoints),";
}

//
// Target variables: $arg (the argument, a long: pointers too), its
// members through BTF ($prev->comm, $p->se->on_rq, $a[i]), $ and $$
// pretty-printing, and $$name, $$parms / $$vars ("prev=0x... next=0x...").
//

typedef enum { TT_ARG, TT_NAME, TT_PARMS } TpTargetKind;

typedef struct {
	TpTargetKind kind;
	int pretty;          // TT_PARMS: 0, 1 ($), 2 ($$)
	BtfVar *var;         // TT_ARG
} TpTarget;

// The argument as an s64 of its own width: the handler receives every
// argument as an unsigned long, whose upper bits are undefined for
// narrower types.
static const char *arg_value(Session *s, const struct kinfo_tracepoint *tp, int i)
{
	return btfvar_narrow(s, tp->args[i].type_id, arena_printf("c->tp_args[%d]", i));
}

static bool tp_fail(TargetUse use, Token *at, const char *fmt, const char *a)
{
	if (use != TV_DEFINED)
		diag(DIAG_SEMANTIC, at, "saw", fmt, a);
	return false;
}

static Type tp_target_type(Session *s, Probe *p, Node *n, TargetUse use)
{
	const struct kinfo_tracepoint *tp = p->data;
	if (p->flags != TP_TRACE || !tp) {
		if (use != TV_DEFINED)
			diag(DIAG_SEMANTIC, n->tok, "saw", "unresolved target-symbol expression");
		return T_UNKNOWN;
	}
	TpTarget *t = NEW(TpTarget);
	bool special = !strcmp(n->name, "$$name") || !strcmp(n->name, "$$parms") || !strcmp(n->name, "$$vars");
	int arg = -1;
	for (int i = 0; i < tp->nargs && !special && arg < 0; i++)
		if (n->name[0] == '$' && !strcmp(n->name + 1, tp->args[i].name))
			arg = i;
	if (!special && arg < 0) {
		if (use == TV_DEFINED)
			return T_UNKNOWN;
		Vec alts = {0};
		for (int i = 0; i < tp->nargs; i++)
			vec_push(&alts, arena_printf("$%s", tp->args[i].name));
		vec_push(&alts, "$$name");
		vec_push(&alts, "$$vars");
		vec_push(&alts, "$$parms");
		sort_alternatives(&alts, n->name);
		Buf b = {0};
		for (int i = 0; i < alts.len; i++)
			buf_printf(&b, "%s%s", i ? ", " : "", (const char *)VEC_AT(&alts, i));
		diag(DIAG_SEMANTIC, n->tok, "saw", "unable to find tracepoint variable '%s' (alternatives: %s)", n->name,
		     b.s);
		free(b.s);
		return T_UNKNOWN;
	}
	if (n->addr_of)
		return tp_fail(use, n->tok, "cannot take address of tracepoint variable%s", "");
	if (use == TV_WRITE && !s->guru)
		return tp_fail(use, n->tok, "write to tracepoint variable '%s' not permitted; need stap -g", n->name);
	const char *what = arena_printf("tracepoint variable '%s'", n->name);
	n->target = t;
	if (special) {
		t->kind = !strcmp(n->name, "$$name") ? TT_NAME : TT_PARMS;
		for (int i = 0; i < n->nmembers; i++) {
			Member *m = &n->members[i];
			if (m->kind == M_PRETTY || m->kind == M_PRETTY2) {
				if (t->kind == TT_NAME)
					return tp_fail(use, n->tok, "%s may not be pretty-printed", what);
				t->pretty = m->kind == M_PRETTY ? 1 : 2;
			} else {
				return tp_fail(use, member_token(n, i),
					       m->kind == M_FIELD ? "%s may not be used as a structure"
								  : "%s may not be used as array",
					       what);
			}
		}
		if (use == TV_WRITE)
			return tp_fail(use, n->tok, "%s may not be written", what);
		return T_STRING;
	}
	t->kind = TT_ARG;
	Type ty = btfvar_resolve(s, n, arg_value(s, tp, arg), tp->args[arg].type_id, what, use, &t->var);
	if (ty && use == TV_WRITE && !btfvar_writable(s, t->var))
		return tp_fail(use, n->tok, "%s may not be written (only a member it points to, with -g)", what);
	return ty;
}

static char *tp_target_expr(Gen *G, Probe *p, Node *n)
{
	const struct kinfo_tracepoint *tp = p->data;
	TpTarget *t = n->target;
	if (t->kind == TT_ARG)
		return btfvar_expr(G, n, t->var);
	if (t->kind == TT_NAME)
		return tr_lit(tp->name);
	char *str = tr_tmp(G, T_STRING);
	if (!t->pretty) {
		// "prev=0xffff... next=0x..." (every argument in hex, as a u64)
		Buf fmt = {0}, vals = {0};
		for (int i = 0; i < tp->nargs; i++) {
			buf_printf(&fmt, "%s%s=0x%%llx", i ? " " : "", tp->args[i].name);
			buf_printf(&vals, ", (unsigned long long)%s", arg_value(G->s, tp, i));
		}
		tr_line(G, "snprintf(%s, MAXSTRINGLEN, %s%s);", str, tr_lit(fmt.s ? fmt.s : ""), vals.s ? vals.s : "");
		free(fmt.s);
		free(vals.s);
		return str;
	}
	// "prev={...} prev_state=1": each argument pretty-printed
	tr_line(G, "%s[0] = '\\0';", str);
	for (int i = 0; i < tp->nargs; i++) {
		int mark = G->taken.len;
		char *v = btfvar_pretty_value(G, n, arg_value(G->s, tp, i), tp->args[i].type_id, t->pretty == 2);
		tr_line(G, "stp_str_cat(%s, %s);", str, tr_lit(arena_printf("%s%s=", i ? " " : "", tp->args[i].name)));
		tr_line(G, "stp_str_cat(%s, %s);", str, v);
		tr_release(G, mark);
	}
	return str;
}

static void tp_target_assign(Gen *G, Probe *p, Node *n, const char *op, const char *value)
{
	TpTarget *t = n->target;
	btfvar_assign(G, n, t->var, value);
}

// @entry in a syscall's return probe: the entry probe is the same call's
// sys_enter side.
static bool tp_is_return(Probe *p)
{
	return p->flags == TP_SYSCALL_RETURN;
}

static void tp_make_entry(Probe *p, Probe *q)
{
	q->flags = TP_SYSCALL;
	const char *cut = strstr(p->pp, ".return");
	q->pp = strncmp(p->pp, "kprobe.", 7) || !cut ? "kernel.trace(\"raw_syscalls:sys_enter\")"
						     : arena_printf("%.*s?", (int)(cut - p->pp), p->pp);
	q->point = node_new(N_PROBE_POINT, p->point->tok);
	for (int i = 0; i < p->point->components.len; i++) {
		Node *c = VEC_AT(&p->point->components, i);
		if (!strcmp(c->name, "return"))
			break;
		vec_push(&q->point->components, c);
	}
}

const Provider provider_tracepoint = {
	.name = "tracepoint",
	.patterns = tp_patterns,
	.derive = tp_derive,
	.emit = tp_emit,
	.target_type = tp_target_type,
	.target_expr = tp_target_expr,
	.target_assign = tp_target_assign,
	.target_list = tp_target_list,
	.is_return = tp_is_return,
	.make_entry = tp_make_entry,
};
