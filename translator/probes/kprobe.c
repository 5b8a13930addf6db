// kprobe.c: kprobe.function("f")[.call|.return[.maxactive(N)]],
// kprobe.module("m").function("f")..., kprobe.statement(ADDR).absolute.
//
// Function names (and globs) are checked against the target kernel's
// function list (translator/debuginfo/kinfo): a glob becomes one probe per
// function, refused functions (kprobe blacklist, .noinstr/.entry/.kprobes
// text, __init code) are errors when named and skipped in globs.  Without a
// list the check waits for load time, where registration fails clearly.
#include "stap.h"
#include "debuginfo/kinfo.h"
#include "../translate.h"

#include <stdlib.h>
#include <string.h>

static const char *const kprobe_patterns[] = {
	"kprobe.function(string)",
	"kprobe.function(string).call",
	"kprobe.function(string).return",
	"kprobe.function(string).return.maxactive(number)",
	"kprobe.module(string).function(string)",
	"kprobe.module(string).function(string).call",
	"kprobe.module(string).function(string).return",
	"kprobe.module(string).function(string).return.maxactive(number)",
	"kprobe.statement(number).absolute",
	NULL,
};

enum { KP_RETURN = 1, KP_ABSOLUTE = 2, KP_MODULE = 4 };

static bool fail_at(Probe *p, Token *at, const char *fmt, const char *a)
{
	return probe_error(p, at, fmt, a);
}

static const char *decoded(Node *s)
{
	Buf b = {0};
	string_decode(s->str, s->len, &b);
	const char *r = arena_strdup(b.s ? b.s : "");
	free(b.s);
	return r;
}

typedef struct {
	Vec names;
	struct kinfo *ki;
	const struct kinfo_symtab *st;
} Collect;

static int collect(const char *name, void *arg)
{
	Collect *c = arg;
	enum kinfo_refusal why = KINFO_OK;
	kinfo_symtab_lookup(c->st, name, &why);
	if (why == KINFO_OK)
		vec_push(&c->names, arena_strdup(name));
	return 0;
}

// A copy of p for function `name`.
static Probe *for_function(Probe *p, const char *module, const char *name)
{
	Probe *q = NEW(Probe);
	*q = *p;
	q->sarg[0] = name;
	q->sarg[1] = module;
	Buf b = {0};
	buf_puts(&b, "kprobe.");
	if (module)
		buf_printf(&b, "module(\"%s\").", module);
	buf_printf(&b, "function(\"%s\")", name);
	// the rest of the point after function("...")
	int after = module ? 3 : 2;
	for (int i = after; i < p->point->components.len; i++) {
		Node *c = VEC_AT(&p->point->components, i);
		buf_printf(&b, ".%s", c->name);
		if (c->arg)
			buf_printf(&b, "(%lld)", (long long)c->arg->num);
	}
	q->pp = arena_strdup(b.s);
	free(b.s);
	q->note = module ? arena_printf(" name = %s:%s", module, name) : arena_printf(" name = %s", name);
	return q;
}

static bool kprobe_derive(Session *s, Probe *p, int pattern, Vec *out)
{
	Node *pt = p->point;
	Node *c1 = VEC_AT(&pt->components, 1);
	if (!strcmp(c1->name, "statement")) {
		if (!s->guru)
			return fail_at(p, p->decl->tok, "absolute statement probe in unprivileged script; need stap -g%s", "");
		p->flags = KP_ABSOLUTE;
		p->arg[0] = c1->arg->num;
		// SystemTap prints the address in hex, with an empty name
		p->pp = arena_printf("kprobe.statement(%#llx).absolute%s", (unsigned long long)p->arg[0],
				     p->pp + strcspn(p->pp, "!?"));
		p->note = " name = ";
		vec_push(out, p);
		return true;
	}
	bool module = !strcmp(c1->name, "module");
	const char *mod = module ? decoded(c1->arg) : NULL;
	Node *fc = VEC_AT(&pt->components, module ? 2 : 1);
	const char *fn = decoded(fc->arg);
	p->flags = module ? KP_MODULE : 0;
	for (int i = module ? 3 : 2; i < pt->components.len; i++) {
		Node *c = VEC_AT(&pt->components, i);
		if (!strcmp(c->name, "return"))
			p->flags |= KP_RETURN;
		else if (!strcmp(c->name, "maxactive")) {
			if (c->arg->num < 0)
				return fail_at(p, c->arg->tok, "maxactive must not be negative%s", "");
			p->arg[0] = c->arg->num;
		}
	}
	if (!*fn)
		return fail_at(p, fc->arg->tok, "empty function name%s", "");

	struct kinfo_err err = {{0}};
	struct kinfo *ki = session_kinfo(s);
	const struct kinfo_symtab *st = NULL;
	if (ki)
		st = module ? kinfo_module_symtab(ki, mod, &err) : kinfo_kernel_symtab(ki, &err);
	bool glob = strpbrk(fn, "*?[") != NULL;
	if (!st) {
		// no list: the name is checked when the probe registers
		if (glob)
			return fail_at(p, fc->arg->tok,
				       "cannot expand the wildcard without the target's function list (%s)",
				       err.msg[0] ? err.msg : "no source");
		vec_push(out, for_function(p, mod, fn));
		return true;
	}
	if (!glob) {
		enum kinfo_refusal why = KINFO_OK;
		if (!kinfo_symtab_lookup(st, fn, &why)) {
			if (p->optional)
				return true;
			Closest sim = {.want = fn};
			kinfo_symtab_match(st, "*", closest_visit, &sim);
			return fail_at(p, fc->arg->tok, "no match (similar functions: %s)", closest_list(&sim));
		}
		if (why != KINFO_OK)
			return fail_at(p, fc->arg->tok, "function cannot be probed: %s",
				       arena_printf("'%s' %s", fn, kinfo_refusal_str(why)));
		vec_push(out, for_function(p, mod, fn));
		return true;
	}
	Collect c = {.ki = ki, .st = st};
	kinfo_symtab_match(st, fn, collect, &c);
	if (!c.names.len) {
		if (p->optional)
			return true;
		return fail_at(p, fc->arg->tok, "no match for '%s'", fn);
	}
	for (int i = 0; i < c.names.len; i++)
		vec_push(out, for_function(p, mod, VEC_AT(&c.names, i)));
	return true;
}

static const char *kprobe_emit(Session *s, Buf *b, Vec *probes)
{
	buf_puts(b, "static struct stp_kprobe_probe stp_kprobes[] = {\n");
	for (int i = 0; i < probes->len; i++) {
		Probe *p = VEC_AT(probes, i);
		buf_printf(b, "\t{ .probe = &stp_probes[%d], ", p->index);
		if (p->flags & KP_ABSOLUTE) {
			buf_printf(b, ".address = 0x%llxULL", (unsigned long long)p->arg[0]);
		} else {
			// a module's function: "module:function" for the kprobe API
			if (p->sarg[1])
				buf_printf(b, ".symbol = \"%s:%s\"", p->sarg[1], p->sarg[0]);
			else
				buf_printf(b, ".symbol = \"%s\"", p->sarg[0]);
		}
		if (p->flags & KP_RETURN)
			buf_printf(b, ", .is_return = true, .maxactive = %lld", (long long)p->arg[0]);
		if (p->optional)
			buf_puts(b, ", .optional = true");
		buf_puts(b, " },\n");
	}
	buf_puts(b, "};\n");
	s->rt_families |= 1u << RT_FAM_KPROBE;
	return ".kprobes = stp_kprobes, .nkprobes = ARRAY_SIZE(stp_kprobes),";
}

// $return in a .return probe: the function's return value (the
// register the ABI returns it in), a long; needs no debuginfo.  SystemTap
// 4.8 has no target variables in kprobe.* probes at all.
static Type kprobe_target_type(Session *s, Probe *p, Node *n, TargetUse use)
{
	bool ret = (p->flags & KP_RETURN) && !strcmp(n->name, "$return");
	if (ret && !n->nmembers && !n->addr_of && use != TV_WRITE)
		return T_LONG;
	if (use == TV_DEFINED)
		return T_UNKNOWN;
	if (ret && use == TV_WRITE)
		diag(DIAG_SEMANTIC, n->tok, "saw", "write to target variable '$return' not permitted");
	else if (ret && n->addr_of)
		diag(DIAG_SEMANTIC, n->tok, "saw", "cannot take address of '$return'");
	else if (ret)
		diag(DIAG_SEMANTIC, member_token(n, 0), "saw", "'$return' is a long: it has no members");
	else
		diag(DIAG_SEMANTIC, n->tok, "saw", "unresolved target-symbol expression");
	return T_UNKNOWN;
}

static char *kprobe_target_expr(Gen *G, Probe *p, Node *n)
{
	return "((s64)stp_return_value(c))";
}

const Provider provider_kprobe = {
	.name = "kprobe",
	.patterns = kprobe_patterns,
	.derive = kprobe_derive,
	.emit = kprobe_emit,
	.target_type = kprobe_target_type,
	.target_expr = kprobe_target_expr,
	.return_flag = KP_RETURN,
};
