// opt.c: pass 2's optimizer (off with -u) and the automatic printing of
// globals that are written but never read.
//
// Like SystemTap it elides assignments to locals nobody reads, statements
// without side effects, branches with constant conditions and probes left
// empty, each with a warning; unused globals and locals disappear.
#include "stap.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
	Session *s;
	bool changed;
	Probe *probe;
	Func *func;
} Opt;

//
// Who reads what
//

static void mark_reads(Node *n, bool value);

static void mark_child(Node *c, void *arg)
{
	(void)arg;
	mark_reads(c, true);
}

// Every variable read anywhere gets read = true; a plain assignment's
// target is not a read.
static void mark_reads(Node *n, bool value)
{
	if (!n)
		return;
	switch (n->kind) {
	case N_SYMBOL:
		if (n->var)
			n->var->read |= value;
		if (n->var)
			n->var->used = true;
		return;
	case N_ASSIGN:
		mark_reads(n->rhs, true);
		if (n->lhs->kind == N_INDEX) {
			for (int i = 0; i < n->lhs->args.len; i++)
				mark_reads(VEC_AT(&n->lhs->args, i), true);
			mark_reads(n->lhs->lhs, strcmp(n->op, "=") && strcmp(n->op, "<<<"));
		} else {
			mark_reads(n->lhs, strcmp(n->op, "=") && strcmp(n->op, "<<<"));
		}
		return;
	case N_DELETE:
		if (n->lhs->kind == N_INDEX) {
			for (int i = 0; i < n->lhs->args.len; i++)
				mark_reads(VEC_AT(&n->lhs->args, i), true);
			mark_reads(n->lhs->lhs, false);
		} else {
			mark_reads(n->lhs, false);
		}
		return;
	case N_FOREACH:
		mark_reads(n->lhs, true);
		for (int i = 0; i < n->args.len; i++)
			mark_reads(VEC_AT(&n->args, i), true);
		for (int i = 0; i < n->keys.len; i++)
			mark_reads(VEC_AT(&n->keys, i), false);
		mark_reads(n->value_var, false);
		mark_reads(n->limit, true);
		mark_reads(n->body, true);
		return;
	case N_TRY:
		mark_reads(n->body, true);
		mark_reads(n->lhs, false);
		mark_reads(n->els, true);
		return;
	default:
		node_children(n, mark_child, NULL);
	}
}

static void reset_marks(Session *s)
{
	for (int i = 0; i < s->globals.len; i++) {
		Var *v = VEC_AT(&s->globals, i);
		v->read = v->used = false;
	}
	for (int i = 0; i < s->probes.len; i++) {
		Probe *p = VEC_AT(&s->probes, i);
		for (int k = 0; k < p->locals.len; k++) {
			Var *v = VEC_AT(&p->locals, k);
			v->read = v->used = false;
		}
	}
	for (int i = 0; i < s->funcs.len; i++) {
		Func *f = VEC_AT(&s->funcs, i);
		for (int k = 0; k < f->locals.len; k++) {
			Var *v = VEC_AT(&f->locals, k);
			v->read = v->used = false;
		}
		for (int k = 0; k < f->params.len; k++) {
			Var *v = VEC_AT(&f->params, k);
			v->read = v->used = true;
		}
	}
}

static void mark_all(Session *s)
{
	reset_marks(s);
	for (int i = 0; i < s->probes.len; i++) {
		Probe *p = VEC_AT(&s->probes, i);
		if (p->elided)
			continue;
		mark_reads(p->cond, true);
		mark_reads(p->body, true);
	}
	for (int i = 0; i < s->funcs.len; i++) {
		Func *f = VEC_AT(&s->funcs, i);
		if (f->used && !f->decl->is_embedded)
			mark_reads(f->decl->body, true);
	}
}

//
// Side effects
//

static bool func_pure(Func *f, int depth);

static bool has_effects(Node *n, int depth);

typedef struct {
	int depth;
	bool effects;
} Eff;

static void eff_child(Node *c, void *arg)
{
	Eff *e = arg;
	if (!e->effects && has_effects(c, e->depth))
		e->effects = true;
}

static bool has_effects(Node *n, int depth)
{
	if (!n)
		return false;
	switch (n->kind) {
	case N_ASSIGN:
	case N_PRE_INC:
	case N_POST_INC:
	case N_DELETE:
	case N_NEXT:
	case N_BREAK:
	case N_CONTINUE:
	case N_RETURN:
	case N_EMBED_EXPR:
	case N_EMBED_STMT:
		return true;
	case N_PRINT:
		if (!n->print_to_string)
			return true;
		break;
	case N_CALL:
		if (!n->func || !func_pure(n->func, depth + 1))
			return true;
		break;
	// as in SystemTap, an error an expression could raise (division by
	// zero, an empty aggregate) does not keep it alive
	default:
		break;
	}
	Eff e = {.depth = depth};
	node_children(n, eff_child, &e);
	return e.effects;
}

static bool func_pure(Func *f, int depth)
{
	if (depth > 20)
		return false;
	if (f->decl->is_embedded)
		return strstr(f->decl->code, "/* pure */") != NULL;
	return !has_effects(f->decl->body, depth);
}

//
// Rewriting
//

static Node *opt_stmt(Opt *O, Node *n);

// A statement list without the statements that do nothing.
static void opt_block(Opt *O, Node *b)
{
	Vec out = {0};
	for (int i = 0; i < b->list.len; i++) {
		Node *st = opt_stmt(O, VEC_AT(&b->list, i));
		if (st)
			vec_push(&out, st);
	}
	b->list = out;
}

static bool is_const(Node *n, int64_t *v)
{
	if (n && n->kind == N_NUMBER) {
		*v = n->num;
		return true;
	}
	return false;
}

static Node *opt_stmt(Opt *O, Node *n)
{
	if (!n)
		return NULL;
	switch (n->kind) {
	case N_BLOCK:
		opt_block(O, n);
		return n->list.len ? n : NULL;
	case N_NULL:
		return NULL;
	case N_EXPR_STMT: {
		Node *e = n->lhs;
		// an assignment to a local that nobody reads
		if (e->kind == N_ASSIGN && (!strcmp(e->op, "=") || !strcmp(e->op, "<<<")) &&
		    e->lhs->kind == N_SYMBOL && e->lhs->var && e->lhs->var->scope == V_LOCAL &&
		    !e->lhs->var->read) {
			diag(DIAG_WARNING, e->tok, NULL, "Eliding assignment to '%s'", e->lhs->name);
			O->changed = true;
			if (has_effects(e->rhs, 0)) {
				n->lhs = e->rhs;
				return n;
			}
			diag(DIAG_WARNING, e->lhs->tok, NULL, "Eliding side-effect-free expression ");
			return NULL;
		}
		if (!has_effects(e, 0)) {
			diag(DIAG_WARNING, e->tok, NULL, "Eliding side-effect-free expression ");
			O->changed = true;
			return NULL;
		}
		return n;
	}
	case N_IF: {
		int64_t v;
		n->body = opt_stmt(O, n->body);
		n->els = opt_stmt(O, n->els);
		if (is_const(n->cond, &v)) {
			O->changed = true;
			return v ? n->body : n->els;
		}
		if (!n->body && !n->els && !has_effects(n->cond, 0))
			return NULL;
		if (!n->body)
			n->body = node_new(N_NULL, n->tok);
		return n;
	}
	case N_FOR:
		n->body = opt_stmt(O, n->body);
		if (!n->body)
			n->body = node_new(N_NULL, n->tok);
		return n;
	case N_FOREACH:
		n->body = opt_stmt(O, n->body);
		if (!n->body)
			n->body = node_new(N_NULL, n->tok);
		return n;
	case N_TRY:
		n->body = opt_stmt(O, n->body);
		n->els = opt_stmt(O, n->els);
		if (!n->body)
			return NULL;
		if (!n->els)
			n->els = node_new(N_BLOCK, n->tok);
		if (n->body->kind != N_BLOCK) {
			Node *b = node_new(N_BLOCK, n->body->tok);
			vec_push(&b->list, n->body);
			n->body = b;
		}
		if (n->els->kind != N_BLOCK) {
			Node *b = node_new(N_BLOCK, n->els->tok);
			vec_push(&b->list, n->els);
			n->els = b;
		}
		return n;
	default:
		return n;
	}
}

//
// Globals written but never read are printed at the end, as SystemTap
// does: one end probe each.
//

static Token *synth_tok(Var *v)
{
	return v->tok;
}

static Node *sym(Var *v, Token *t)
{
	Node *n = node_new(N_SYMBOL, t);
	n->name = v->name;
	n->var = v;
	n->type = v->type;
	return n;
}

static Node *str_lit(const char *s, Token *t)
{
	Node *n = node_new(N_STRING, t);
	n->str = intern0(s);
	n->len = strlen(s);
	n->type = T_STRING;
	return n;
}

static Node *printf_node(const char *fmt, Token *t)
{
	Node *p = node_new(N_PRINT, t);
	p->name = intern0("printf");
	p->print_format = true;
	Node *f = str_lit(fmt, t);
	vec_push(&p->args, f);
	parse_format(f->str, f->len, &p->format);
	return p;
}

static Node *stat_op(const char *op, Node *of, Token *t)
{
	Node *n = node_new(N_STAT, t);
	n->op = intern0(op);
	n->lhs = of;
	n->type = T_LONG;
	return n;
}

static const char *const stat_ops[] = {"@count", "@min", "@max", "@sum", "@avg"};

static void add_stats_args(Node *pf, Node *(*of)(void *), void *arg, Token *t)
{
	for (size_t i = 0; i < ARRAY_SIZE(stat_ops); i++)
		vec_push(&pf->args, stat_op(stat_ops[i], of(arg), t));
}

typedef struct {
	Var *g;
	Vec keys;
	Token *t;
} IdxArg;

static Node *scalar_of(void *arg)
{
	IdxArg *a = arg;
	return sym(a->g, a->t);
}

static Node *elem_of(void *arg)
{
	IdxArg *a = arg;
	Node *ix = node_new(N_INDEX, a->t);
	ix->lhs = sym(a->g, a->t);
	for (int i = 0; i < a->keys.len; i++)
		vec_push(&ix->args, sym(VEC_AT(&a->keys, i), a->t));
	ix->type = T_STATS;
	return ix;
}

static Node *stmt_of(Node *e)
{
	Node *s = node_new(N_EXPR_STMT, e->tok);
	s->lhs = e;
	return s;
}

static Probe *end_probe(Session *s, Token *t)
{
	Probe *p = NEW(Probe);
	p->provider = providers[0]; // begin/end/error
	p->flags = 1;               // end
	p->pp = "end";
	p->chain = "end";
	p->tok = t;
	p->body = node_new(N_BLOCK, t);
	Node *pt = node_new(N_PROBE_POINT, t);
	Node *c = node_new(N_COMPONENT, t);
	c->name = intern0("end");
	vec_push(&pt->components, c);
	p->point = pt;
	return p;
}

static Var *synth_local(Probe *p, const char *name, Type t, Token *tok)
{
	Var *v = NEW(Var);
	v->name = intern0(name);
	v->scope = V_LOCAL;
	v->tok = tok;
	v->type = t;
	v->arity = 0;
	v->read = v->used = v->written = true;
	v->index = p->locals.len;
	vec_push(&p->locals, v);
	return v;
}

static void auto_print(Session *s, Var *g)
{
	Token *t = synth_tok(g);
	Probe *p = end_probe(s, t);
	Buf f = {0};
	if (g->arity == 0 && g->type != T_STATS) {
		buf_printf(&f, g->type == T_STRING ? "%s=\\\"%%#s\\\"\\n" : "%s=%%d\\n", g->name);
		Node *pf = printf_node(f.s, t);
		vec_push(&pf->args, sym(g, t));
		vec_push(&p->body->list, stmt_of(pf));
	} else if (g->arity == 0) {
		// s @count=... (or @count=0x0 when empty)
		IdxArg a = {.g = g, .t = t};
		Node *iff = node_new(N_IF, t);
		Node *cmp = node_new(N_COMPARE, t);
		cmp->op = intern0("==");
		cmp->lhs = stat_op("@count", sym(g, t), t);
		Node *zero = node_new(N_NUMBER, t);
		zero->type = T_LONG;
		cmp->rhs = zero;
		cmp->type = T_LONG;
		iff->cond = cmp;
		buf_printf(&f, "%s @count=0x0\\n", g->name);
		iff->body = stmt_of(printf_node(f.s, t));
		buf_reset(&f);
		buf_printf(&f, "%s @count=%%#d @min=%%#d @max=%%#d @sum=%%#d @avg=%%#d\\n", g->name);
		Node *pf = printf_node(f.s, t);
		add_stats_args(pf, scalar_of, &a, t);
		iff->els = stmt_of(pf);
		vec_push(&p->body->list, iff);
	} else {
		// foreach ([__idx0, ...] in g-) printf("g[%#d,\"%#s\"]=%d\n", ...)
		Node *fe = node_new(N_FOREACH, t);
		fe->lhs = sym(g, t);
		fe->sort.sort_col = -1;
		fe->sort.sort_dir = -1;
		IdxArg a = {.g = g, .t = t};
		buf_printf(&f, "%s[", g->name);
		for (int i = 0; i < g->arity; i++) {
			Var *k = synth_local(p, arena_printf("__idx%d", i), g->key_types[i], t);
			vec_push(&a.keys, k);
			vec_push(&fe->keys, sym(k, t));
			buf_puts(&f, g->key_types[i] == T_STRING ? "\\\"%#s\\\"" : "%#d");
			if (i + 1 < g->arity)
				buf_putc(&f, ',');
		}
		buf_putc(&f, ']');
		Node *pf;
		if (g->type == T_STATS) {
			buf_puts(&f, " @count=%#d @min=%#d @max=%#d @sum=%#d @avg=%#d\\n");
			pf = printf_node(f.s, t);
			for (int i = 0; i < a.keys.len; i++)
				vec_push(&pf->args, sym(VEC_AT(&a.keys, i), t));
			add_stats_args(pf, elem_of, &a, t);
		} else {
			Var *val = synth_local(p, "__val", g->type, t);
			fe->value_var = sym(val, t);
			buf_puts(&f, g->type == T_STRING ? "=\\\"%#s\\\"\\n" : "=%d\\n");
			pf = printf_node(f.s, t);
			for (int i = 0; i < a.keys.len; i++)
				vec_push(&pf->args, sym(VEC_AT(&a.keys, i), t));
			vec_push(&pf->args, sym(val, t));
		}
		fe->body = stmt_of(pf);
		vec_push(&p->body->list, fe);
	}
	free(f.s);
	g->read = g->used = true;
	p->index = s->probes.len;
	vec_push(&s->probes, p);
}

static void drop_unused(Vec *vars)
{
	Vec out = {0};
	for (int i = 0; i < vars->len; i++) {
		Var *v = VEC_AT(vars, i);
		if (v->used || v->read) {
			v->index = out.len;
			vec_push(&out, v);
		}
	}
	*vars = out;
}

void optimize(Session *s)
{
	Opt O = {.s = s};
	for (int round = 0; round < 10; round++) {
		mark_all(s);
		O.changed = false;
		for (int i = 0; i < s->probes.len; i++) {
			Probe *p = VEC_AT(&s->probes, i);
			if (p->elided)
				continue;
			O.probe = p;
			opt_block(&O, p->body);
		}
		for (int i = 0; i < s->funcs.len; i++) {
			Func *f = VEC_AT(&s->funcs, i);
			if (f->decl->is_embedded)
				continue;
			O.func = f;
			opt_block(&O, f->decl->body);
		}
		if (!O.changed)
			break;
	}
	mark_all(s);
	// empty probes go (except never, which never runs anyway)
	for (int i = 0; i < s->probes.len; i++) {
		Probe *p = VEC_AT(&s->probes, i);
		if (!p->elided && !p->body->list.len && !p->cond) {
			Token *t = p->decl ? p->decl->tok : p->tok;
			diag(DIAG_WARNING, t, NULL, "Probe '%s' has been elided", p->pp);
			p->elided = true;
		}
	}
	mark_all(s);
}

// The automatic printing happens even under -u.
void auto_print_globals(Session *s)
{
	mark_all(s);
	int n = s->globals.len;
	for (int i = 0; i < n; i++) {
		Var *g = VEC_AT(&s->globals, i);
		if (g->used && !g->read && g->written && g->type && g->arity >= 0)
			auto_print(s, g);
	}
}

void drop_unused_vars(Session *s)
{
	mark_all(s);
	for (int i = 0; i < s->probes.len; i++)
		drop_unused(&((Probe *)VEC_AT(&s->probes, i))->locals);
	for (int i = 0; i < s->funcs.len; i++)
		drop_unused(&((Func *)VEC_AT(&s->funcs, i))->locals);
	drop_unused(&s->globals);
}
