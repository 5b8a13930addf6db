// kfunc.c: kernel.function("PATTERN")[.call|.return[.maxactive(N)]] without
// debuginfo.  The functions and their parameters come from the kernel's
// BTF (FUNC and FUNC_PROTO records: names and types); each function is a
// kprobe (kretprobe for .return) on its symbol, registered at module load
// like kprobe.function (runtime/probe_kprobe.c, table stp_kfuncs).
//
// Target variables: $param, its members and $/$$ forms (btfvar.c), read from
// the x86-64 argument registers at entry (rdi rsi rdx rcx r8 r9); $$parms,
// $$vars (the same here), $$locals (empty).  In .return: $return and
// $$return typed by the prototype, and $param is its value at entry (the
// kretprobe's entry handler keeps the argument registers, as SystemTap
// keeps entry values); @entry(expr) works as for kprobe.function.
//
// What differs from SystemTap 4.8 with debuginfo:
//  - points print without "@file:line" (BTF has none): -l prints
//    kernel.function("vfs_read"), not kernel.function("vfs_read@fs/read_
//    write.c:450"), and so does pp();
//  - only functions with a BTF FUNC record (not inlined, one prototype):
//    no inline instances, no NAME@FILE / NAME:LINE, no .statement/.inline;
//  - only parameters: no local variables ($$vars is $$parms, $$locals is
//    ""), and -L lists parameters only;
//  - a parameter not passed in one general register (a struct or union by
//    value, a float, the 7th and later) is a semantic error when used.
#include "stap.h"
#include "btfvar.h"
#include "debuginfo/kinfo.h"
#include "../translate.h"

#include <stdlib.h>
#include <string.h>

static const char *const kf_patterns[] = {
	"kernel.function(string)",
	"kernel.function(string).call",
	"kernel.function(string).return",
	"kernel.function(string).return.maxactive(number)",
	NULL,
};

enum { KF_RETURN = 1 };

#define KF_NREGS 6

// A function as a probe sees it: its prototype and where each parameter is.
typedef struct {
	struct kinfo_func fn;
	int *reg;              // per parameter: argument register 0..5, or -1
	const char **why;      // per parameter: why it has no register
} KFunc;

static const char *decoded(Node *s)
{
	Buf b = {0};
	string_decode(s->str, s->len, &b);
	const char *r = arena_strdup(b.s ? b.s : "");
	free(b.s);
	return r;
}

// The x86-64 SysV classification, for what the kernel passes: integers,
// enums and pointers take one register each; aggregates of up to 16 bytes
// two at most (and are not readable as one value), larger ones and floats
// none; what does not fit in the six registers goes on the stack.
static KFunc *kfunc_of(Session *s, const struct kinfo_func *fn)
{
	KFunc *k = NEW(KFunc);
	k->fn = *fn;
	int n = fn->nargs > 0 ? fn->nargs : 0;
	k->reg = arena_alloc(sizeof(int) * (n + 1));
	k->why = arena_alloc(sizeof(char *) * (n + 1));
	struct kinfo *ki = session_kinfo(s);
	int next = 0;
	for (int i = 0; i < n; i++) {
		struct kinfo_type ti = {0};
		struct kinfo_err err = {{0}};
		int need = 1;
		k->reg[i] = -1;
		k->why[i] = NULL;
		if (kinfo_type_info(ki, fn->args[i].type_id, &ti, &err)) {
			k->why[i] = "its type is unknown";
			need = 0;
		} else if (ti.kind == KINFO_K_FLOAT) {
			k->why[i] = "a floating-point value (passed in an SSE register)";
			need = 0;
		} else if (ti.kind == KINFO_K_STRUCT || ti.kind == KINFO_K_UNION || ti.size > 8) {
			need = ti.size > 16 ? 0 : (int)(ti.size + 7) / 8;
			k->why[i] = arena_printf("a %s passed by value", fn->args[i].type);
		}
		if (!need)
			continue;
		if (next + need > KF_NREGS) {
			if (!k->why[i])
				k->why[i] = "passed on the stack";
			continue;
		}
		if (!k->why[i])
			k->reg[i] = next;
		next += need;
	}
	return k;
}

static Probe *for_function(Session *s, Probe *p, const char *name, const struct kinfo_func *fn)
{
	Probe *q = NEW(Probe);
	*q = *p;
	q->sarg[0] = name;
	q->data = kfunc_of(s, fn);
	Buf b = {0};
	buf_printf(&b, "kernel.function(\"%s\")", name);
	for (int i = 2; i < p->point->components.len; i++) {
		Node *c = VEC_AT(&p->point->components, i);
		buf_printf(&b, ".%s", c->name);
		if (c->arg)
			buf_printf(&b, "(%lld)", (long long)c->arg->num);
	}
	q->pp = arena_strdup(b.s);
	free(b.s);
	return q;
}

typedef struct {
	Session *s;
	Probe *proto;
	Vec *out;
	const struct kinfo_symtab *st; // for refusals; NULL: none known
	int n;
} Collect;

static int collect(const char *name, void *arg)
{
	Collect *c = arg;
	enum kinfo_refusal why = KINFO_OK;
	// a glob takes what kprobes accept and the kernel has as a symbol
	if (c->st && (!kinfo_symtab_lookup(c->st, name, &why) || why != KINFO_OK))
		return 0;
	struct kinfo_func fn;
	struct kinfo_err err = {{0}};
	if (kinfo_function_proto(session_kinfo(c->s), name, &fn, &err))
		return 0;
	vec_push(c->out, for_function(c->s, c->proto, name, &fn));
	c->n++;
	return 0;
}

static bool kf_derive(Session *s, Probe *p, int pattern, Vec *out)
{
	Node *fc = VEC_AT(&p->point->components, 1);
	const char *spec = decoded(fc->arg);
	p->flags = 0;
	for (int i = 2; i < p->point->components.len; i++) {
		Node *c = VEC_AT(&p->point->components, i);
		if (!strcmp(c->name, "return"))
			p->flags |= KF_RETURN;
		else if (!strcmp(c->name, "maxactive")) {
			if (c->arg->num < 0)
				return probe_error(p, c->arg->tok, "maxactive must not be negative%s", "");
			p->arg[0] = c->arg->num;
		}
	}
	if (!*spec)
		return probe_error(p, fc->arg->tok, "empty function name%s", "");
	if (strpbrk(spec, "@:"))
		return probe_error(p, fc->arg->tok,
				   "'%s': source files and lines need kernel debuginfo (the BTF has none)", spec);
	struct kinfo *ki = session_kinfo(s);
	struct kinfo_err err = {{0}};
	if (!ki || !kinfo_btf_source(ki, NULL, &err))
		return probe_error(p, fc->arg->tok, "kernel functions are unknown: %s",
				   ki ? err.msg : "the target kernel's BTF cannot be read");
	const struct kinfo_symtab *st = kinfo_kernel_symtab(ki, &err);
	if (st && kinfo_symtab_source(st) == KINFO_SRC_BTF)
		st = NULL; // the BTF itself: it tells nothing more
	if (strpbrk(spec, "*?[")) {
		Collect c = {.s = s, .proto = p, .out = out, .st = st};
		if (kinfo_match_btf_functions(ki, spec, collect, &c, &err) < 0)
			return probe_error(p, fc->arg->tok, "kernel functions are unknown: %s", err.msg);
		if (!c.n && !p->optional)
			return probe_error(p, fc->arg->tok, "no match for '%s'", spec);
		return true;
	}
	struct kinfo_func fn;
	if (kinfo_function_proto(ki, spec, &fn, &err)) {
		if (p->optional)
			return true;
		Closest sim = {.want = spec};
		kinfo_match_btf_functions(ki, "*", closest_visit, &sim, &err);
		return probe_error(p, fc->arg->tok, "no match (similar functions: %s)", closest_list(&sim));
	}
	enum kinfo_refusal why = KINFO_OK;
	if (st && kinfo_symtab_lookup(st, spec, &why) && why != KINFO_OK)
		return probe_error(p, fc->arg->tok, "function cannot be probed: %s",
				   arena_printf("'%s' %s", spec, kinfo_refusal_str(why)));
	vec_push(out, for_function(s, p, spec, &fn));
	return true;
}

static const char *kf_emit(Session *s, Buf *b, Vec *probes)
{
	buf_puts(b, "static struct stp_kprobe_probe stp_kfuncs[] = {\n");
	for (int i = 0; i < probes->len; i++) {
		Probe *p = VEC_AT(probes, i);
		buf_printf(b, "\t{ .probe = &stp_probes[%d], .symbol = \"%s\"", p->index, p->sarg[0]);
		if (p->flags & KF_RETURN)
			buf_printf(b, ", .is_return = true, .maxactive = %lld, .save_args = true",
				   (long long)p->arg[0]);
		if (p->optional)
			buf_puts(b, ", .optional = true");
		buf_puts(b, " },\n");
	}
	buf_puts(b, "};\n");
	s->rt_families |= 1u << RT_FAM_KPROBE;
	return ".kfuncs = stp_kfuncs, .nkfuncs = ARRAY_SIZE(stp_kfuncs),";
}

// -L: "$return:ssize_t" in .return, then the parameters.
static const char *kf_target_list(Session *s, Probe *p)
{
	KFunc *k = p->data;
	if (!k)
		return NULL;
	Buf b = {0};
	if ((p->flags & KF_RETURN) && k->fn.ret_type_id)
		buf_printf(&b, "$return:%s", k->fn.ret_type);
	for (int i = 0; i < k->fn.nargs; i++)
		buf_printf(&b, "%s$%s:%s", b.len ? " " : "", k->fn.args[i].name, k->fn.args[i].type);
	const char *r = arena_strdup(b.s ? b.s : "");
	free(b.s);
	return r;
}

//
// Target variables
//

typedef enum { KT_VALUE, KT_PARMS, KT_LOCALS, KT_RETURN_TEXT } KfTargetKind;

typedef struct {
	KfTargetKind kind;
	int pretty;          // KT_PARMS, KT_RETURN_TEXT: 0, 1 ($), 2 ($$)
	BtfVar *var;         // KT_VALUE
} KfTarget;

static bool kf_fail(TargetUse use, Token *at, const char *fmt, const char *a)
{
	if (use != TV_DEFINED)
		diag(DIAG_SEMANTIC, at, "saw", fmt, a);
	return false;
}

// Parameter i as an s64 of its own width.
static const char *param_value(Session *s, KFunc *k, int i)
{
	return btfvar_narrow(s, k->fn.args[i].type_id, arena_printf("stp_func_arg(c, %d)", k->reg[i]));
}

static const char *return_value(Session *s, KFunc *k)
{
	return btfvar_narrow(s, k->fn.ret_type_id, "stp_return_value(c)");
}

static Type kf_target_type(Session *s, Probe *p, Node *n, TargetUse use)
{
	KFunc *k = p->data;
	bool ret = p->flags & KF_RETURN;
	const char *name = n->name;
	bool is_return = ret && k->fn.ret_type_id && !strcmp(name, "$return");
	KfTargetKind kind = KT_VALUE;
	if (!strcmp(name, "$$parms") || !strcmp(name, "$$vars"))
		kind = KT_PARMS;
	else if (!strcmp(name, "$$locals"))
		kind = KT_LOCALS;
	else if (ret && k->fn.ret_type_id && !strcmp(name, "$$return"))
		kind = KT_RETURN_TEXT;
	int arg = -1;
	for (int i = 0; kind == KT_VALUE && !is_return && i < k->fn.nargs && arg < 0; i++)
		if (name[0] == '$' && !strcmp(name + 1, k->fn.args[i].name))
			arg = i;
	if (kind == KT_VALUE && !is_return && arg < 0) {
		if (use == TV_DEFINED)
			return T_UNKNOWN;
		Vec alts = {0};
		for (int i = 0; i < k->fn.nargs; i++)
			vec_push(&alts, arena_printf("$%s", k->fn.args[i].name));
		sort_alternatives(&alts, name);
		Buf b = {0};
		for (int i = 0; i < alts.len; i++)
			buf_printf(&b, "%s%s", i ? ", " : "", (const char *)VEC_AT(&alts, i));
		diag(DIAG_SEMANTIC, n->tok, "saw", "unable to find local '%s' in %s (BTF knows parameters only%s%s)",
		     name + 1, k->fn.name, b.s ? "; alternatives: " : "", b.s ? b.s : "");
		free(b.s);
		return T_UNKNOWN;
	}
	const char *what = arena_printf("target variable '%s'", name);
	if (n->addr_of)
		return kf_fail(use, n->tok, "cannot take address of %s", what);
	if (use == TV_WRITE && (kind != KT_VALUE || !s->guru))
		return kf_fail(use, n->tok, "write to %s not permitted; need stap -g", what);
	KfTarget *t = NEW(KfTarget);
	t->kind = kind;
	if (kind != KT_VALUE) {
		for (int i = 0; i < n->nmembers; i++) {
			Member *m = &n->members[i];
			if ((m->kind == M_PRETTY || m->kind == M_PRETTY2) && kind != KT_LOCALS) {
				t->pretty = m->kind == M_PRETTY ? 1 : 2;
			} else {
				return kf_fail(use, member_token(n, i),
					       m->kind == M_FIELD ? "%s may not be used as a structure"
								  : "%s may not be used as array",
					       what);
			}
		}
		n->target = t;
		return T_STRING;
	}
	if (arg >= 0 && k->reg[arg] < 0)
		return kf_fail(use, n->tok,
			       arena_printf("%%s is not available without debuginfo: %s (only parameters passed in one "
					    "general register are)", k->why[arg] ? k->why[arg] : "no register"),
			       arena_printf("parameter '%s' of %s", name, k->fn.name));
	if (ret && arg >= 0 && use == TV_WRITE)
		return kf_fail(use, n->tok, "%s is its value at entry: it may not be written", what);
	int32_t type = is_return ? k->fn.ret_type_id : k->fn.args[arg].type_id;
	const char *root = is_return ? return_value(s, k) : param_value(s, k, arg);
	Type ty = btfvar_resolve(s, n, root, type, what, use, &t->var);
	if (ty && use == TV_WRITE && !btfvar_writable(s, t->var))
		return kf_fail(use, n->tok, "%s may not be written (only a member it points to, with -g)", what);
	if (ty)
		n->target = t;
	// (resolved once per use; reads come here as TV_DEFINED from types.c)
	if (ty && ret && arg >= 0)
		diag(DIAG_WARNING, n->tok, NULL,
		     "confusing usage, value is captured as @entry(%s) in .return probe [man stapprobes] RETURN PROBES",
		     name);
	return ty;
}

// "name=0x..." of each value (hex, as a u64), or each pretty-printed.
static char *kf_text(Gen *G, Node *n, KfTarget *t, KFunc *k)
{
	char *str = tr_tmp(G, T_STRING);
	int nv = t->kind == KT_RETURN_TEXT ? 1 : k->fn.nargs;
	tr_line(G, "%s[0] = '\\0';", str);
	for (int i = 0; i < nv; i++) {
		bool isret = t->kind == KT_RETURN_TEXT;
		const char *name = isret ? "return" : k->fn.args[i].name;
		const char *sep = i ? " " : "";
		if (!isret && k->reg[i] < 0) {
			tr_line(G, "stp_str_cat(%s, %s);", str, tr_lit(arena_printf("%s%s=?", sep, name)));
			continue;
		}
		const char *v = isret ? return_value(G->s, k) : param_value(G->s, k, i);
		int32_t type = isret ? k->fn.ret_type_id : k->fn.args[i].type_id;
		int mark = G->taken.len;
		tr_line(G, "stp_str_cat(%s, %s);", str, tr_lit(arena_printf("%s%s=", sep, name)));
		if (t->pretty) {
			char *pv = btfvar_pretty_value(G, n, v, type, t->pretty == 2);
			tr_line(G, "stp_str_cat(%s, %s);", str, pv);
		} else {
			char *hex = tr_tmp(G, T_STRING);
			tr_line(G, "snprintf(%s, MAXSTRINGLEN, \"0x%%llx\", (unsigned long long)%s);", hex, v);
			tr_line(G, "stp_str_cat(%s, %s);", str, hex);
		}
		tr_release(G, mark);
	}
	return str;
}

static char *kf_target_expr(Gen *G, Probe *p, Node *n)
{
	KfTarget *t = n->target;
	if (t->kind == KT_VALUE)
		return btfvar_expr(G, n, t->var);
	if (t->kind == KT_LOCALS)
		return tr_lit("");
	return kf_text(G, n, t, p->data);
}

static void kf_target_assign(Gen *G, Probe *p, Node *n, const char *op, const char *value)
{
	KfTarget *t = n->target;
	btfvar_assign(G, n, t->var, value);
}

const Provider provider_kfunc = {
	.name = "kernel.function",
	.patterns = kf_patterns,
	.derive = kf_derive,
	.emit = kf_emit,
	.target_type = kf_target_type,
	.target_expr = kf_target_expr,
	.target_assign = kf_target_assign,
	.target_list = kf_target_list,
	.return_flag = KF_RETURN,
};
