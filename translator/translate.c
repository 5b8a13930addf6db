// translate.c: pass 3, the checked program to one C file in the shape the
// runtime expects (runtime/README.md).
//
// Every probe body and function becomes a C function working on its frame
// (a struct in the per-CPU context holding locals and temporaries).  An
// expression is compiled to a C expression; what needs statements first
// (calls, map reads, string operations, anything that can fail) is written
// before it into temporaries.  Errors put the context in the error state
// and jump to the innermost catch label, or out.
//
// The semantics follow SystemTap 4.8 where scripts can see them: operands
// and arguments are evaluated left to right into temporaries, statements
// are counted against MAXACTION at the same places (see "Statement
// accounting"), error messages name the same tokens.
#include "translate.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

//
// Small helpers
//

void tr_line(Gen *G, const char *fmt, ...) PRINTF(2, 3);
void tr_line(Gen *G, const char *fmt, ...)
{
	for (int i = 0; i < G->ind; i++)
		buf_putc(G->o, '\t');
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(G->o, fmt, ap);
	va_end(ap);
	buf_putc(G->o, '\n');
}

// A C string literal for bytes.
void c_string(Buf *b, const char *s, size_t len)
{
	buf_putc(b, '"');
	for (size_t i = 0; i < len; i++) {
		unsigned char c = s[i];
		if (c == '"' || c == '\\')
			buf_printf(b, "\\%c", c);
		else if (c == '\n')
			buf_puts(b, "\\n");
		else if (c == '\t')
			buf_puts(b, "\\t");
		else if (c < 0x20 || c >= 0x7f || c == '?')
			buf_printf(b, "\\%03o", c);
		else
			buf_putc(b, c);
	}
	buf_putc(b, '"');
}

char *tr_lit(const char *s)
{
	Buf b = {0};
	c_string(&b, s, strlen(s));
	char *r = arena_strdup(b.s);
	free(b.s);
	return r;
}

// The bytes of a script string literal (escaped form) as a C literal.
char *tr_lit_escaped(const char *s, size_t len, size_t *nbytes)
{
	Buf raw = {0}, b = {0};
	string_decode(s, len, &raw);
	c_string(&b, raw.s ? raw.s : "", raw.len);
	char *r = arena_strdup(b.s);
	if (nbytes)
		*nbytes = raw.len;
	free(raw.s);
	free(b.s);
	return r;
}

// SystemTap's "near" text for a token, as a C literal:
// "operator '/' at FILE:L:C"; NULL (no "near" part) without a token.
char *tr_where(Token *t)
{
	if (!t)
		return "NULL";
	Buf b = {0};
	token_describe(&b, t);
	if (t->file)
		buf_printf(&b, " at %s:%d:%d", t->file->name, t->line, t->col);
	char *r = tr_lit(b.s);
	free(b.s);
	return r;
}

char *tr_fmt(const char *f, ...) PRINTF(1, 2);
char *tr_fmt(const char *f, ...)
{
	Buf b = {0};
	va_list ap;
	va_start(ap, f);
	buf_vprintf(&b, f, ap);
	va_end(ap);
	char *r = arena_strdup(b.s ? b.s : "");
	free(b.s);
	return r;
}

// C-safe names: script identifiers may contain '$'.
const char *tr_cname(const char *name)
{
	if (!strchr(name, '$'))
		return name;
	Buf b = {0};
	for (const char *p = name; *p; p++)
		if (*p == '$')
			buf_puts(&b, "_S_");
		else
			buf_putc(&b, *p);
	char *r = arena_strdup(b.s);
	free(b.s);
	return r;
}

const char *tr_label(Gen *G, const char *base)
{
	return tr_fmt("%s_%d", base, G->nlabel++);
}

void tr_fail_if_error(Gen *G)
{
	tr_line(G, "if (c->last_error)");
	tr_line(G, "\tgoto %s;", G->fail);
}

// An error with a constant message at a token.
void tr_raise_at(Gen *G, Token *t, const char *msg_c)
{
	tr_line(G, "\tstp_error_str(c, %s, %s);", tr_where(t), msg_c);
	tr_line(G, "\tgoto %s;", G->fail);
}

//
// Temporaries
//

char *tr_slot(Gen *G, const char *ctype, const char *dims)
{
	dims = dims ? dims : "";
	int n = -1;
	for (int i = 0; i < G->slots.len; i++) {
		Slot *s = VEC_AT(&G->slots, i);
		if (!s->busy && !strcmp(s->ctype, ctype) && !strcmp(s->dims, dims)) {
			n = i;
			break;
		}
	}
	if (n < 0) {
		Slot *s = NEW(Slot);
		s->ctype = ctype;
		s->dims = dims;
		n = G->slots.len;
		vec_push(&G->slots, s);
	}
	((Slot *)VEC_AT(&G->slots, n))->busy = true;
	vec_push(&G->taken, (void *)(intptr_t)n);
	return tr_fmt("l->t%d", n);
}

char *tr_tmp(Gen *G, Type t)
{
	if (t == T_STRING)
		return tr_slot(G, "char", "[MAXSTRINGLEN]");
	return tr_slot(G, "s64", NULL);
}

// Temporaries taken since mark are free again (the statement is done).
void tr_release(Gen *G, int mark)
{
	while (G->taken.len > mark) {
		int n = (int)(intptr_t)G->taken.items[--G->taken.len];
		((Slot *)VEC_AT(&G->slots, n))->busy = false;
	}
}

static void frame_slots(Gen *G, Buf *b)
{
	for (int i = 0; i < G->slots.len; i++) {
		Slot *s = VEC_AT(&G->slots, i);
		buf_printf(b, "\t%s t%d%s;\n", s->ctype, i, s->dims);
	}
}

//
// Statement accounting (MAXACTION), as SystemTap 4.8 does it
//
// A probe or function whose statements can be counted before it runs (no
// loops, no recursion) checks at its entry that MAXACTION leaves room for
// all of them and counts nothing inside; its callers subtract them after
// the call.  Other bodies subtract as they go: statements are queued and
// subtracted at the end of each basic block (or every 10), and running out
// is "MAXACTION exceeded" near the token of the place that subtracted.
//

static unsigned act_add(unsigned a, unsigned b)
{
	return a > ACT_INF - b ? ACT_INF : a + b;
}

typedef struct {
	Vec active; // Func*: calls being walked (recursion is unbounded)
	unsigned n;
} ActWalk;

static unsigned act_stmt(ActWalk *A, Node *n);

static void act_calls(Node *n, void *arg)
{
	ActWalk *A = arg;
	if (!n)
		return;
	node_children(n, act_calls, A);
	if (n->kind != N_CALL || !n->func)
		return;
	for (Func *f = n->func; f; f = f->next_overload) {
		bool recursive = false;
		for (int i = 0; i < A->active.len; i++)
			recursive |= VEC_AT(&A->active, i) == (void *)f;
		if (recursive) {
			A->n = ACT_INF;
			continue;
		}
		if (f->decl->is_embedded)
			continue;
		vec_push(&A->active, f);
		unsigned saved = A->n;
		A->n = 0;
		unsigned body = act_stmt(A, f->decl->body);
		A->n = act_add(saved, body);
		A->active.len--;
	}
}

// Statements the calls in expression n run.
static unsigned act_expr(ActWalk *A, Node *n)
{
	unsigned saved = A->n;
	A->n = 0;
	act_calls(n, A);
	unsigned r = A->n;
	A->n = saved;
	return r;
}

// The most statements n can run, or ACT_INF.  Like SystemTap, the values
// of return, delete and the like are not looked into.
static unsigned act_stmt(ActWalk *A, Node *n)
{
	if (!n)
		return 0;
	switch (n->kind) {
	case N_BLOCK: {
		unsigned r = 0;
		for (int i = 0; i < n->list.len; i++)
			r = act_add(r, act_stmt(A, VEC_AT(&n->list, i)));
		return r;
	}
	case N_EXPR_STMT:
		if (n->lhs->kind == N_EMBED_EXPR)
			return 0;
		return act_add(1, act_expr(A, n->lhs));
	case N_IF: {
		unsigned a = act_stmt(A, n->body), b = act_stmt(A, n->els);
		return act_add(act_add(1, act_expr(A, n->cond)), a > b ? a : b);
	}
	case N_FOR:
	case N_FOREACH:
		return ACT_INF;
	case N_TRY:
		return act_add(act_stmt(A, n->body), act_stmt(A, n->els));
	case N_EMBED_STMT:
		return 0;
	default: // null, return, delete, next, break, continue
		return 1;
	}
}

unsigned tr_act_count(Node *body)
{
	ActWalk A = {0};
	unsigned r = act_stmt(&A, body);
	return r;
}

// Queue n statements; subtract the queue at the end of a basic block
// (update) or when it grows.
void tr_record(Gen *G, unsigned n, Token *t, bool update)
{
	G->actions += n;
	if (((update && G->actions > 0) || G->actions >= 10) && !G->counted) {
		tr_line(G, "if (stp_actions(c, %u, %s))", G->actions, tr_where(t));
		tr_line(G, "\tgoto %s;", G->fail);
		G->actions = 0;
	}
}

//
// Variables
//

const char *tr_global(Var *v)
{
	return tr_fmt("g_%s", tr_cname(v->name));
}

static const char *local_name(Var *v)
{
	if (v->scope == V_PARAM)
		return tr_fmt("l->a_%s", tr_cname(v->name));
	return tr_fmt("l->l_%s", tr_cname(v->name));
}

const char *tr_var(Var *v)
{
	return v->scope == V_GLOBAL ? tr_global(v) : local_name(v);
}

static const char *rt_types[] = {"STP_T_NONE", "STP_T_LONG", "STP_T_STR", "STP_T_STAT"};

static int rt_type(Type t)
{
	return t == T_STRING ? 2 : t == T_STATS ? 3 : 1;
}

// The array a node refers to (a symbol, an element, a histogram of either).
Var *tr_array_of(Node *n)
{
	if (n->kind == N_HIST || n->kind == N_STAT)
		n = n->lhs;
	if (n->kind == N_INDEX)
		n = n->lhs;
	return n->kind == N_SYMBOL ? n->var : NULL;
}

// "Array overflow, check ..." as SystemTap words it for this array.
const char *tr_overflow_msg(Var *v)
{
	if (v->size > 0)
		return tr_lit(tr_fmt("Array overflow, check size limit (%lld)", (long long)v->size));
	return "STP_MSG_MAP_FULL";
}
//
// Frames, probes and functions
//

static void frame_vars(Buf *b, Vec *vars, const char *prefix)
{
	for (int i = 0; i < vars->len; i++) {
		Var *v = VEC_AT(vars, i);
		if (v->type == T_STRING)
			buf_printf(b, "\tchar %s%s[MAXSTRINGLEN];\n", prefix, tr_cname(v->name));
		else
			buf_printf(b, "\ts64 %s%s;\n", prefix, tr_cname(v->name));
	}
}

// Locals start as 0 and "" at each run.
static void init_locals(Gen *G, Vec *vars)
{
	for (int i = 0; i < vars->len; i++) {
		Var *v = VEC_AT(vars, i);
		if (v->type == T_STRING)
			tr_line(G, "l->l_%s[0] = '\\0';", tr_cname(v->name));
		else
			tr_line(G, "l->l_%s = 0;", tr_cname(v->name));
	}
}

static void location(Buf *b, Token *t)
{
	if (t && t->file)
		buf_printf(b, "%s:%d:%d", t->file->name, t->line, t->col);
	else
		buf_puts(b, "<synthesized>");
}

static void start_body(Gen *G, Buf *body, Func *f, Probe *p)
{
	G->o = body;
	G->slots.len = 0;
	G->taken.len = 0;
	G->nlabel = 0;
	G->func = f;
	G->probe = p;
	G->fail = "out";
	G->ind = 1;
	G->actions = 0;
	G->counted = false;
	G->loc_file = NULL;
	G->loc_line = 0;
}

// A body whose statements can all be counted (no loops, also in what it
// calls) is not accounted at all, as in SystemTap: a call of such a
// function from an accounted body counts its statements there.
static void check_actions(Gen *G, Node *body, Token *t)
{
	(void)t;
	if (tr_act_count(body) != ACT_INF)
		G->counted = true;
}

// Declarations and bodies of a function; retval comes first, then the
// parameters.
static void gen_function(Gen *G, Buf *decls, Buf *code, Func *f)
{
	Buf frame = {0}, body = {0};
	start_body(G, &body, f, NULL);
	Token *name = f->decl->tok->next ? f->decl->tok->next : f->decl->tok;
	if (f->type == T_STRING)
		buf_puts(&frame, "\tchar retval[MAXSTRINGLEN];\n");
	else
		buf_puts(&frame, "\ts64 retval;\n");
	if (tr_has_next(f))
		buf_puts(&frame, "\tint next_;\t/* `next`: try the next overload */\n");
	frame_vars(&frame, &f->params, "a_");
	frame_vars(&frame, &f->locals, "l_");
	Buf loc = {0};
	location(&loc, f->decl->tok);
	tr_line(G, "struct fr_fn_%d *l = stp_frame(c, c->nesting);", f->index);
	if (f->decl->is_embedded) {
		for (int i = 0; i < f->params.len; i++) {
			Var *p = VEC_AT(&f->params, i);
			tr_line(G, "#define STAP_ARG_%s (l->a_%s)", tr_cname(p->name), tr_cname(p->name));
		}
		tr_line(G, "#define STAP_RETVALUE (l->retval)");
		if (f->type == T_STRING)
			tr_line(G, "#define STAP_RETURN(v) do { strscpy(STAP_RETVALUE, (v), MAXSTRINGLEN); goto out; } while (0)");
		else if (f->type == T_LONG)
			tr_line(G, "#define STAP_RETURN(v) do { STAP_RETVALUE = (s64)(v); goto out; } while (0)");
		else
			tr_line(G, "#define STAP_RETURN() do { goto out; } while (0)");
		tr_line(G, "#define STAP_ERROR(...) do { stp_error(c, %s, __VA_ARGS__); goto out; } while (0)",
		     tr_where(name));
		tr_line(G, "#define STAP_PRINTF(...) stp_print_fmt(c, __VA_ARGS__)");
		tr_line(G, "#define CONTEXT c");
		tr_line(G, "#define THIS l");
		if (f->type == T_STRING)
			tr_line(G, "l->retval[0] = '\\0';");
		else if (f->type == T_LONG)
			tr_line(G, "l->retval = 0;");
		buf_printf(&body, "\t{\n%s\n\t}\n", f->decl->code);
		tr_line(G, "goto out;");
		tr_line(G, "#undef STAP_RETURN");
		tr_line(G, "#undef STAP_ERROR");
		tr_line(G, "#undef STAP_PRINTF");
		tr_line(G, "#undef STAP_RETVALUE");
		tr_line(G, "#undef CONTEXT");
		tr_line(G, "#undef THIS");
		for (int i = 0; i < f->params.len; i++) {
			Var *p = VEC_AT(&f->params, i);
			tr_line(G, "#undef STAP_ARG_%s", tr_cname(p->name));
		}
	} else {
		if (tr_has_next(f))
			tr_line(G, "l->next_ = 0;");
		init_locals(G, &f->locals);
		if (f->type == T_STRING)
			tr_line(G, "l->retval[0] = '\\0';");
		else
			tr_line(G, "l->retval = 0;");
		check_actions(G, f->decl->body, name);
		tr_stmt(G, f->decl->body);
		tr_record(G, 0, f->decl->body->tok, true);
	}
	frame_slots(G, &frame);
	buf_printf(decls, "struct fr_fn_%d {\t/* function %s at %s */\n%s};\n", f->index, f->name, loc.s,
		   frame.s ? frame.s : "");
	// an error an embedded function raised without a location (setting
	// CONTEXT->last_error) is near its definition, as in SystemTap
	char *tail = f->decl->is_embedded
		? tr_fmt("\tif (unlikely(c->last_error && !c->last_where))\n\t\tc->last_where = %s;\n", tr_where(name))
		: "";
	buf_printf(code, "/* function %s (%s) */\nstatic void fn_%d(struct context *c)\n{\n%sout: __attribute__((unused));\n%s\t(void)l;\n}\n\n",
		   f->name, loc.s, f->index, body.s ? body.s : "", tail);
	free(frame.s);
	free(body.s);
	free(loc.s);
}

static void gen_probe(Gen *G, Buf *decls, Buf *code, Probe *p, int idx)
{
	Buf frame = {0}, body = {0};
	start_body(G, &body, NULL, p);
	frame_vars(&frame, &p->locals, "l_");
	tr_line(G, "struct fr_probe_%d *l = stp_frame(c, 0);", idx);
	init_locals(G, &p->locals);
	check_actions(G, p->body, NULL);
	tr_stmt(G, p->body);
	tr_record(G, 0, p->body->tok, true);
	frame_slots(G, &frame);
	Buf loc = {0};
	location(&loc, p->decl ? p->decl->tok : p->tok);
	buf_printf(decls, "struct fr_probe_%d {\t/* %s at %s */\n\tchar unused_;\n%s};\n", idx, p->pp, loc.s,
		   frame.s ? frame.s : "");
	buf_printf(code, "/* probe %s (%s) */\nstatic void probe_%d(struct context *c)\n{\n%sout: __attribute__((unused));\n\t(void)l;\n}\n\n",
		   p->pp, loc.s, idx, body.s ? body.s : "");
	free(frame.s);
	free(body.s);
	free(loc.s);
}

//
// Locks: every global a probe (or anything it calls) touches.  As in
// SystemTap, statistics flip: `<<<` only reads (the data is per CPU),
// reading an aggregate writes (it merges the CPUs).
//

typedef struct {
	unsigned char *mode; // per global: 0 none, 1 read, 2 write
	PtrMap seen_funcs;
} Locks;

static void lock_walk(Locks *L, Node *n);

static void lock_child(Node *c, void *arg)
{
	lock_walk(arg, c);
}

static void lock_var(Locks *L, Var *v, int mode)
{
	if (v && v->scope == V_GLOBAL && L->mode[v->index] < mode)
		L->mode[v->index] = mode;
}

static void lock_walk(Locks *L, Node *n)
{
	if (!n)
		return;
	switch (n->kind) {
	case N_SYMBOL:
		lock_var(L, n->var, n->var && n->var->type == T_STATS ? 2 : 1);
		return;
	case N_ASSIGN:
		if (!strcmp(n->op, "<<<")) {
			lock_var(L, tr_array_of(n->lhs), 1);
			if (n->lhs->kind == N_INDEX)
				for (int i = 0; i < n->lhs->args.len; i++)
					lock_walk(L, VEC_AT(&n->lhs->args, i));
			lock_walk(L, n->rhs);
			return;
		}
		if (n->lhs->kind == N_SYMBOL || n->lhs->kind == N_INDEX)
			lock_var(L, tr_array_of(n->lhs), 2);
		break;
	case N_PRE_INC:
	case N_POST_INC:
	case N_DELETE:
	case N_FOREACH:
		// foreach: sorting reorders the array
		if (n->lhs->kind == N_SYMBOL || n->lhs->kind == N_INDEX)
			lock_var(L, tr_array_of(n->lhs), 2);
		break;
	case N_CALL:
		if (n->func && !ptrmap_get(&L->seen_funcs, n->func)) {
			ptrmap_put(&L->seen_funcs, n->func, (void *)1);
			for (Func *f = n->func; f; f = f->next_overload)
				if (!f->decl->is_embedded)
					lock_walk(L, f->decl->body);
		}
		break;
	default:
		break;
	}
	node_children(n, lock_child, L);
}

static void gen_locks(Session *s, Buf *b, Probe *p, int idx)
{
	Locks L = {.mode = calloc(s->globals.len + 1, 1)};
	lock_walk(&L, p->body);
	bool any = false;
	for (int i = 0; i < s->globals.len; i++)
		any |= L.mode[i] != 0;
	if (any) {
		buf_printf(b, "static const struct stp_lock_req locks_%d[] = {\n", idx);
		for (int i = 0; i < s->globals.len; i++)
			if (L.mode[i])
				buf_printf(b, "\t{ .global = %d, .mode = %s },\t/* %s */\n", i,
					   L.mode[i] == 2 ? "STP_LOCK_WRITE" : "STP_LOCK_READ",
					   ((Var *)VEC_AT(&s->globals, i))->name);
		buf_puts(b, "};\n");
	}
	p->has_locks = any;
	free(L.mode);
	free(L.seen_funcs.keys);
	free(L.seen_funcs.vals);
}

//
// Globals
//

static void gen_globals(Session *s, Buf *b, Buf *init, Buf *fini)
{
	for (int i = 0; i < s->globals.len; i++) {
		Var *v = VEC_AT(&s->globals, i);
		v->index = i;
		const char *g = tr_global(v);
		Node *iv = v->decl ? v->decl->gl_init : NULL;
		if (v->arity > 0) {
			const char *type = v->type == T_STATS ? "struct stp_pmap" : "struct stp_map";
			buf_printf(b, "static %s %s;\t/* global %s */\n", type, g, v->name);
			buf_printf(b, "static struct stp_map_desc %s_desc = { .nkeys = %d, .ktype = { ", g, v->arity);
			for (int k = 0; k < v->arity; k++)
				buf_printf(b, "%s%s", k ? ", " : "", rt_types[rt_type(v->key_types[k])]);
			buf_printf(b, " }, .vtype = %s, .wrap = %d, .maxent = %lld", rt_types[rt_type(v->type)],
				   v->wrap, (long long)v->size);
			if (v->type == T_STATS)
				buf_printf(b, ", .stat_ops = STP_STAT_VARIANCE, .shift = %d", v->shift);
			buf_puts(b, " };\n");
			buf_printf(init, "\trc = %s_init(&%s, &%s_desc);\n\tif (rc)\n\t\treturn rc;\n",
				   v->type == T_STATS ? "stp_pmap" : "stp_map", g, g);
			buf_printf(fini, "\t%s_free(&%s);\n", v->type == T_STATS ? "stp_pmap" : "stp_map", g);
			continue;
		}
		if (v->type == T_STATS) {
			buf_printf(b, "static struct stp_stat %s;\t/* global %s */\n", g, v->name);
			buf_printf(b, "static struct stp_hist %s_hist;\t/* set from its @hist_* */\n", g);
			buf_printf(init, "\trc = stp_stat_init(&%s, &%s_hist, STP_STAT_VARIANCE, %d);\n\tif (rc)\n\t\treturn rc;\n",
				   g, g, v->shift);
			buf_printf(fini, "\tstp_stat_free(&%s);\n", g);
			continue;
		}
		if (v->type == T_STRING) {
			char *lit = iv ? tr_lit_escaped(iv->str, iv->len, NULL) : NULL;
			buf_printf(b, "static char %s[MAXSTRINGLEN]%s%s;\t/* global %s */\n", g, iv ? " = " : "",
				   iv ? lit : "", v->name);
			buf_printf(b, "STP_PARAM_STRING(%s, %s);\n", tr_cname(v->name), g);
		} else {
			buf_printf(b, "static s64 %s%s%s;\t/* global %s */\n", g, iv ? " = " : "",
				   iv ? tr_number(iv->num) : "", v->name);
			buf_printf(b, "STP_PARAM_LONG(%s, %s);\n", tr_cname(v->name), g);
		}
	}
	if (s->globals.len) {
		buf_puts(b, "\nstatic struct stp_global stp_globals[] = {\n");
		for (int i = 0; i < s->globals.len; i++) {
			Var *v = VEC_AT(&s->globals, i);
			buf_printf(b, "\tSTP_GLOBAL(%s),\n", tr_lit(v->name));
		}
		buf_puts(b, "};\n");
	}
}

// The histograms of statistics are known from their @hist_* uses, their
// shift from @variance(s, N).
typedef struct {
	Session *s;
	Buf *init;
	PtrMap done; // Var* -> 1: histogram decided
} Hists;

static void hist_walk(Hists *H, Node *n);

static void hist_child(Node *c, void *arg)
{
	hist_walk(arg, c);
}

static void hist_walk(Hists *H, Node *n)
{
	if (!n)
		return;
	if (n->kind == N_STAT && !strcmp(n->op, "@variance") && n->args.len) {
		Var *v = tr_array_of(n->lhs);
		if (v)
			v->shift = (int)((Node *)VEC_AT(&n->args, 0))->num;
	}
	if (n->kind == N_HIST) {
		Var *v = tr_array_of(n->lhs);
		if (v && !ptrmap_get(&H->done, v)) {
			// the first histogram of this statistic decides its buckets
			ptrmap_put(&H->done, v, (void *)1);
			const char *g = tr_fmt("g_%s", tr_cname(v->name));
			const char *h = v->arity > 0 ? tr_fmt("%s_desc.hist", g) : tr_fmt("%s_hist", g);
			if (!strcmp(n->op, "@hist_log")) {
				buf_printf(H->init, "\tstp_hist_log(&%s);\n", h);
			} else {
				Node *lo = VEC_AT(&n->args, 0), *hi = VEC_AT(&n->args, 1), *st = VEC_AT(&n->args, 2);
				buf_printf(H->init, "\tif (stp_hist_linear(&%s, %lldLL, %lldLL, %lldLL, &hist_msg)) {\n"
					   "\t\tstp_init_fail(hist_msg, \"__global_%s\");\n"
					   "\t\treturn -EINVAL;\n\t}\n", h,
					   (long long)lo->num, (long long)hi->num, (long long)st->num, v->name);
			}
		}
	}
	node_children(n, hist_child, H);
}

static void mark_calls(Node *n, void *arg)
{
	PtrMap *called = arg;
	if (!n)
		return;
	if (n->kind == N_CALL && n->func) {
		for (Func *f = n->func; f; f = f->next_overload) {
			if (ptrmap_get(called, f))
				break;
			ptrmap_put(called, f, (void *)1);
			if (!f->decl->is_embedded)
				mark_calls(f->decl->body, called);
		}
	}
	node_children(n, mark_calls, called);
}

int translate(Session *s, FILE *out)
{
	Gen G = {.s = s};
	Buf head = {0}, decls = {0}, code = {0}, tables = {0}, filescope = {0}, init = {0}, fini = {0},
	    hists = {0};
	G.globals_code = &filescope;

	// number the live probes (their place in stp_probes[]) and functions
	Vec live = {0};
	for (int i = 0; i < s->probes.len; i++) {
		Probe *p = VEC_AT(&s->probes, i);
		if (p->elided || !p->provider->emit)
			continue;
		p->index = live.len;
		vec_push(&live, p);
	}
	// the functions the probes call (the optimizer may have dropped calls
	// since pass 2 marked them used), in pass 2's order
	PtrMap called = {0};
	for (int i = 0; i < live.len; i++) {
		Probe *p = VEC_AT(&live, i);
		mark_calls(p->body, &called);
	}
	Vec funcs = {0};
	for (int i = 0; i < s->funcs.len; i++) {
		Func *f = VEC_AT(&s->funcs, i);
		if (ptrmap_get(&called, f)) {
			f->index = funcs.len;
			vec_push(&funcs, f);
		}
	}
	free(called.keys);
	free(called.vals);

	buf_puts(&head, "/* Generated by stap (SystemTap-compatible translator). */\n");
	buf_puts(&head, "#include \"runtime.h\"\n#include \"regex.h\"\n#include \"stp_lang.h\"\n#include \"tvar.c\"\n\n");

	// statistics: histograms and shifts, from the uses
	Hists H = {.s = s, .init = &hists};
	for (int i = 0; i < live.len; i++)
		hist_walk(&H, ((Probe *)VEC_AT(&live, i))->body);
	for (int i = 0; i < funcs.len; i++) {
		Func *f = VEC_AT(&funcs, i);
		if (!f->decl->is_embedded)
			hist_walk(&H, f->decl->body);
	}
	free(H.done.keys);
	free(H.done.vals);
	Buf gl = {0};
	gen_globals(s, &gl, &init, &fini);

	// top-level %{ %}
	for (int i = 0; i < s->embeds.len; i++) {
		Node *e = VEC_AT(&s->embeds, i);
		buf_printf(&head, "%s\n", e->code);
	}

	for (int i = 0; i < funcs.len; i++)
		gen_function(&G, &decls, &code, VEC_AT(&funcs, i));
	for (int i = 0; i < live.len; i++)
		gen_probe(&G, &decls, &code, VEC_AT(&live, i), i);

	// the frame union
	Buf frame_union = {0};
	buf_puts(&frame_union, "union stp_frame {\n\tchar unused_;\n");
	for (int i = 0; i < funcs.len; i++)
		buf_printf(&frame_union, "\tstruct fr_fn_%d fn_%d;\n", i, i);
	for (int i = 0; i < live.len; i++)
		buf_printf(&frame_union, "\tstruct fr_probe_%d probe_%d;\n", i, i);
	buf_puts(&frame_union, "};\n\n");

	// forward declarations of functions (calls may precede definitions)
	Buf fwd = {0};
	for (int i = 0; i < funcs.len; i++)
		buf_printf(&fwd, "static void fn_%d(struct context *c);\n", i);

	// probe table and locks
	for (int i = 0; i < live.len; i++)
		gen_locks(s, &tables, VEC_AT(&live, i), i);
	buf_puts(&tables, "\nstatic const struct stp_probe stp_probes[] = {\n");
	for (int i = 0; i < live.len; i++) {
		Probe *p = VEC_AT(&live, i);
		Buf loc = {0};
		location(&loc, p->tok);
		// pp(): as -p2 names it; pn(): the alias point the script wrote
		// (with its suffix, without '?'/'!' and condition), else the same
		Buf pp = {0};
		probe_pp_text(&pp, p);
		buf_printf(&tables, "\t{ .handler = probe_%d, .pp = %s, .location = %s", i, tr_lit(pp.s), tr_lit(loc.s));
		if (p->chain_aliases.len && p->list_pp && strcmp(p->list_pp, pp.s))
			buf_printf(&tables, ", .pn = %s", tr_lit(p->list_pp));
		free(pp.s);
		if (p->has_locks)
			buf_printf(&tables, ", .locks = locks_%d, .nlocks = ARRAY_SIZE(locks_%d)", i, i);
		buf_puts(&tables, " },\n");
		free(loc.s);
	}
	if (!live.len)
		buf_puts(&tables, "\t{ 0 },\n");
	buf_puts(&tables, "};\n\n");
	Buf fields = {0};
	for (int k = 0; providers[k]; k++) {
		Vec mine = {0};
		for (int i = 0; i < live.len; i++) {
			Probe *p = VEC_AT(&live, i);
			if (p->provider == providers[k])
				vec_push(&mine, p);
		}
		if (!mine.len || !providers[k]->emit)
			continue;
		const char *f = providers[k]->emit(s, &tables, &mine);
		if (f && *f)
			buf_printf(&fields, "\t%s\n", f);
	}

	// regexes compile at module start
	for (int i = 0; i < G.nregex; i++)
		buf_printf(&init, "\trc = stp_regex_init(&re_%d, RE_%d_PATTERN);\n\tif (rc)\n\t\treturn rc;\n", i, i);
	if (G.nregex)
		buf_puts(&fini, "\tstp_regex_free();\n");

	fputs(head.s, out);
	fputs(gl.s ? gl.s : "", out);
	fputs("\n", out);
	fputs(filescope.s ? filescope.s : "", out);
	fputs("\n", out);
	fputs(decls.s ? decls.s : "", out);
	fputs("\n", out);
	fputs(frame_union.s, out);
	fputs(fwd.s ? fwd.s : "", out);
	fputs("\n", out);
	fputs(code.s ? code.s : "", out);
	fputs(tables.s ? tables.s : "", out);
	fprintf(out, "\nstatic int stp_init_globals(void)\n{\n\tint rc = 0;\n\tconst char *hist_msg = NULL;\n\n%s%s\t(void)hist_msg;\n\treturn rc;\n}\n",
		hists.s ? hists.s : "", init.s ? init.s : "");
	fprintf(out, "\nstatic void stp_free_globals(void)\n{\n%s}\n", fini.s ? fini.s : "");
	fprintf(out, "\nstatic struct stp_module stp_module = {\n\t.frame_size = sizeof(union stp_frame),\n");
	if (s->globals.len)
		fprintf(out, "\t.globals = stp_globals, .nglobals = ARRAY_SIZE(stp_globals),\n");
	fprintf(out, "\t.init_globals = stp_init_globals, .free_globals = stp_free_globals,\n%s};\n",
		fields.s ? fields.s : "");
	return 0;
}
