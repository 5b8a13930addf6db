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
#include <ctype.h>
#include "translate.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

const char *const rt_family_names[RT_NFAM] = {"kprobe", "procfs", "profile", "timer", "tracepoint"};

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
	buf_printf(code, "/* function %s (%s) */\nstatic void fn_%d(struct context *c, struct fr_fn_%d *l)\n{\n%sout: __attribute__((unused));\n%s\t(void)l;\n}\n\n",
		   f->name, loc.s, f->index, f->index, body.s ? body.s : "", tail);
	free(frame.s);
	free(body.s);
	free(loc.s);
}

static void gen_probe(Gen *G, Buf *decls, Buf *code, Probe *p, int idx)
{
	Buf frame = {0}, body = {0};
	start_body(G, &body, NULL, p);
	frame_vars(&frame, &p->locals, "l_");
	tr_line(G, "struct fr_probe_%d *l = stp_frame0(c);", idx);
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
// Shared handlers.  The probes derived from one declaration (syscall.*:
// hundreds) have bodies that end alike: the user's statements, after
// each alias's prologue.  That common end is translated once, as
// probe_N_body (N: the first of them); each probe's own statements before
// it become either a row of a table read by one handler for all of them
// (prologues that only set locals to literals, like name = "openat") or a
// small handler of its own that then calls probe_N_body (identical ones
// are written once).  The body's frame, fr_probe_N_body (the locals it
// uses, its temporaries), starts every handler's frame as an anonymous
// struct of the same members; what a prologue alone uses follows it.
// Each probe keeps its own stp_probes[] entry (pp(), pn(), locks): only
// the code is shared.
//

typedef struct {
	Probe *lead;       // the first member: names the body and its frame
	int nshared;       // statements at the end of every member's body
	bool counted;      // no MAXACTION accounting (see check_actions)
	unsigned pending;  // statements a prologue counted, not yet subtracted
	PtrMap body_vars;  // interned name -> Var*: the locals the body uses
	Vec body_slots;    // Slot*: the body's temporaries
	Vec cols;          // Var*: the table's columns (the locals its rows set)
	Vec table_locals;  // Var*: the table handler's locals
	int table;         // live index of the first tabled member, or -1
	int nrows;
} Share;

// Do a and b translate to the same C, in frames laid out alike?  The
// same source tokens (so the same comments and messages), values,
// globals and functions, locals by name and type.  What a provider
// resolves for its own probe ($target, @entry...) never is.
static bool same_code(Node *a, Node *b);

static bool same_vec(Vec *a, Vec *b)
{
	if (a->len != b->len)
		return false;
	for (int i = 0; i < a->len; i++)
		if (!same_code(VEC_AT(a, i), VEC_AT(b, i)))
			return false;
	return true;
}

static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

static bool same_code(Node *a, Node *b)
{
	if (!a || !b)
		return a == b;
	if (a->kind != b->kind || a->type != b->type || a->tok != b->tok || a->num != b->num ||
	    a->len != b->len || !same_str(a->op, b->op) || !same_str(a->name, b->name) ||
	    !same_str(a->code, b->code) ||
	    (a->str != b->str && (!a->str || !b->str ||
				  (a->len ? memcmp(a->str, b->str, a->len) : strcmp(a->str, b->str)))))
		return false;
	switch (a->kind) {
	case N_SYMBOL:
	case N_CALL:
		if (a->func != b->func || !a->var != !b->var)
			return false;
		if (a->var && (a->var->scope != b->var->scope || a->var->type != b->var->type ||
			       (a->var->scope == V_GLOBAL ? a->var != b->var
							  : strcmp(a->var->name, b->var->name))))
			return false;
		break;
	case N_FOREACH:
		if (!same_code(a->value_var, b->value_var) || !same_vec(&a->keys, &b->keys) ||
		    !same_code(a->limit, b->limit) || a->sort.sort_col != b->sort.sort_col ||
		    a->sort.sort_dir != b->sort.sort_dir || !same_str(a->sort.sort_agg, b->sort.sort_agg))
			return false;
		break;
	case N_FOR:
		if (!same_code(a->init, b->init) || !same_code(a->incr, b->incr))
			return false;
		break;
	case N_PRINT:
		if (a->format.items != b->format.items || a->format.len != b->format.len ||
		    a->print_ln != b->print_ln || a->print_delim != b->print_delim ||
		    a->print_to_string != b->print_to_string || a->print_format != b->print_format)
			return false;
		break;
	case N_TARGET:
	case N_CAST:
	case N_ATVAR:
	case N_AUTOCAST:
	case N_ENTRY:
	case N_DEFINED:
	case N_PROBEWRITE:
	case N_PERF:
	case N_REGISTER:
	case N_DEREF:
	case N_ENUM:
		return false;
	default:
		break;
	}
	return same_code(a->lhs, b->lhs) && same_code(a->rhs, b->rhs) && same_code(a->cond, b->cond) &&
	       same_code(a->body, b->body) && same_code(a->els, b->els) && same_vec(&a->list, &b->list) &&
	       same_vec(&a->args, &b->args);
}

// How many statements p's and q's bodies end with alike.
static int common_end(Probe *p, Probe *q)
{
	Vec *a = &p->body->list, *b = &q->body->list;
	int k = 0;
	while (k < a->len && k < b->len && same_code(VEC_AT(a, a->len - 1 - k), VEC_AT(b, b->len - 1 - k)))
		k++;
	return k;
}

static bool countable(Probe *p)
{
	return tr_act_count(p->body) != ACT_INF;
}

static void gen_prologue(Gen *G, Share *S, Probe *p)
{
	Vec *list = &p->body->list;
	for (int i = 0; i < list->len - S->nshared; i++)
		tr_stmt(G, VEC_AT(list, i));
}

// What p's prologue leaves counted but not subtracted (the shared body
// starts from it, as p's whole body would go on); *flushes: it
// subtracts some itself.  A trial translation, undone.
static unsigned prologue_pending(Gen *G, Share *S, Probe *p, bool *flushes)
{
	Buf tmp = {0};
	int nregex = G->nregex, nspec = G->nspec;
	size_t glen = G->globals_code->len;
	start_body(G, &tmp, NULL, p);
	G->counted = S->counted;
	gen_prologue(G, S, p);
	unsigned n = S->counted ? 0 : G->actions; // counted: never subtracted
	*flushes = tmp.s && strstr(tmp.s, "stp_actions(");
	G->nregex = nregex;
	G->nspec = nspec;
	G->globals_code->len = glen;
	if (G->globals_code->s)
		G->globals_code->s[glen] = '\0';
	free(tmp.s);
	return n;
}

// A prologue that only sets locals to literals, each once: its locals in
// order (the table's columns), or false.
static bool literal_prologue(Share *S, Probe *p, Vec *cols)
{
	Vec *list = &p->body->list;
	for (int i = 0; i < list->len - S->nshared; i++) {
		Node *st = VEC_AT(list, i), *e = st->lhs;
		if (st->kind != N_EXPR_STMT || e->kind != N_ASSIGN || strcmp(e->op, "=") ||
		    e->lhs->kind != N_SYMBOL || !e->lhs->var || e->lhs->var->scope != V_LOCAL ||
		    !(e->rhs->kind == N_STRING ? e->lhs->type == T_STRING
					       : e->rhs->kind == N_NUMBER && e->lhs->type == T_LONG))
			return false;
		for (int k = 0; k < cols->len; k++)
			if (!strcmp(((Var *)VEC_AT(cols, k))->name, e->lhs->var->name))
				return false;
		vec_push(cols, e->lhs->var);
	}
	return true;
}

static bool same_cols(Vec *a, Vec *b)
{
	if (a->len != b->len)
		return false;
	for (int i = 0; i < a->len; i++) {
		Var *x = VEC_AT(a, i), *y = VEC_AT(b, i);
		if (strcmp(x->name, y->name) || x->type != y->type)
			return false;
	}
	return true;
}

// The table handler's locals: p's too, unless a name has another type.
static bool merge_locals(Vec *into, Probe *p)
{
	for (int pass = 0; pass < 2; pass++) {
		for (int i = 0; i < p->locals.len; i++) {
			Var *v = VEC_AT(&p->locals, i), *have = NULL;
			for (int k = 0; k < into->len && !have; k++)
				if (!strcmp(((Var *)VEC_AT(into, k))->name, v->name))
					have = VEC_AT(into, k);
			if (!pass && have && have->type != v->type)
				return false;
			if (pass && !have)
				vec_push(into, v);
		}
	}
	return true;
}

static void body_var(Node *n, void *arg)
{
	Share *S = arg;
	if (n->kind == N_SYMBOL && n->var && n->var->scope == V_LOCAL)
		ptrmap_put(&S->body_vars, intern0(n->var->name), n->var);
	node_children(n, body_var, S);
}

// Group the live probes: share[i] is probe i's group (NULL: on its own),
// tabled[i] whether its prologue is a row of the group's table.
static void plan_shares(Gen *G, Vec *live, Share **share, bool *tabled)
{
	for (int i = 0; i < live->len; i++) {
		Probe *p = VEC_AT(live, i);
		if (share[i] || !p->decl || p->body->kind != N_BLOCK)
			continue;
		int nshared = INT_MAX;
		for (int j = i + 1; j < live->len; j++) {
			Probe *q = VEC_AT(live, j);
			if (share[j] || q->decl != p->decl || q->body->kind != N_BLOCK)
				continue;
			int k = common_end(p, q);
			if (k && k < nshared)
				nshared = k;
		}
		if (nshared == INT_MAX)
			continue;
		Share *S = NEW(Share);
		S->lead = p;
		S->nshared = nshared;
		S->counted = countable(p);
		S->table = -1;
		bool flushes;
		S->pending = prologue_pending(G, S, p, &flushes);
		share[i] = S;
		int members = 1;
		for (int j = i + 1; j < live->len; j++) {
			Probe *q = VEC_AT(live, j);
			if (share[j] || q->decl != p->decl || q->body->kind != N_BLOCK ||
			    common_end(p, q) < nshared || countable(q) != S->counted ||
			    prologue_pending(G, S, q, &flushes) != S->pending)
				continue;
			share[j] = S;
			members++;
		}
		if (members == 1) {
			share[i] = NULL;
			continue;
		}
		Vec *list = &p->body->list;
		for (int k = list->len - nshared; k < list->len; k++)
			body_var(VEC_AT(list, k), S);
		for (int j = i; j < live->len; j++) {
			Probe *q = VEC_AT(live, j);
			Vec cols = {0};
			if (share[j] != S || !literal_prologue(S, q, &cols))
				continue;
			prologue_pending(G, S, q, &flushes);
			if (flushes || (S->table >= 0 && !same_cols(&S->cols, &cols)) ||
			    !merge_locals(&S->table_locals, q))
				continue;
			if (S->table < 0) {
				S->table = j;
				S->cols = cols;
			}
			tabled[j] = true;
			S->nrows++;
		}
	}
}

// Start a handler of group S (fresh: its body) for probe p: the frame,
// and the body's temporaries laid out first.
static void start_shared(Gen *G, Buf *o, Share *S, Probe *p, bool fresh)
{
	start_body(G, o, NULL, p);
	if (!fresh) {
		for (int i = 0; i < S->body_slots.len; i++) {
			Slot *sl = VEC_AT(&S->body_slots, i);
			sl->busy = false;
			vec_push(&G->slots, sl);
		}
	}
	G->counted = S->counted;
	tr_line(G, "struct fr_probe_%d%s *l = stp_frame0(c);", fresh ? S->lead->index : p->index,
		fresh ? "_body" : "");
}

static void end_function(Buf *code, const char *comment, const char *name, Buf *body)
{
	buf_printf(code, "/* %s */\nstatic void %s(struct context *c)\n{\n%sout: __attribute__((unused));\n\t(void)l;\n}\n\n",
		   comment, name, body->s ? body->s : "");
	free(body->s);
	*body = (Buf){0};
}

// The frame of a handler of group S for probe idx: the body's frame, then
// the locals not in it and the temporaries after the body's.
static void shared_frame(Gen *G, Buf *decls, Share *S, Buf *body_frame, int idx, const char *what,
			 Vec *locals)
{
	buf_printf(decls, "struct fr_probe_%d {\t/* %s */\n\tstruct {\t/* fr_probe_%d_body */\n",
		   idx, what, S->lead->index);
	for (const char *l = body_frame->s; *l;) {
		const char *e = strchr(l, '\n');
		buf_printf(decls, "\t%.*s\n", (int)(e - l), l);
		l = e + 1;
	}
	buf_puts(decls, "\t};\n");
	for (int i = 0; i < locals->len; i++) {
		Var *v = VEC_AT(locals, i);
		if (ptrmap_get(&S->body_vars, intern0(v->name)))
			continue;
		if (v->type == T_STRING)
			buf_printf(decls, "\tchar l_%s[MAXSTRINGLEN];\n", tr_cname(v->name));
		else
			buf_printf(decls, "\ts64 l_%s;\n", tr_cname(v->name));
	}
	for (int i = S->body_slots.len; i < G->slots.len; i++) {
		Slot *sl = VEC_AT(&G->slots, i);
		buf_printf(decls, "\t%s t%d%s;\n", sl->ctype, i, sl->dims);
	}
	buf_puts(decls, "};\n");
}

// v = r->COLUMN: the statement a table row stands for.
static Node *row_assign(Var *v)
{
	Node *e = node_new(N_EMBED_EXPR, NULL);
	e->code = tr_fmt("r->%s", tr_cname(v->name));
	e->type = v->type;
	Node *sym = node_new(N_SYMBOL, NULL);
	sym->name = v->name;
	sym->var = v;
	sym->type = v->type;
	Node *as = node_new(N_ASSIGN, NULL);
	as->op = intern0("=");
	as->lhs = sym;
	as->rhs = e;
	as->type = v->type;
	Node *st = node_new(N_EXPR_STMT, NULL);
	st->lhs = as;
	return st;
}

// The rows of S's table: the literals of each tabled member's prologue.
static void gen_rows(Buf *decls, Buf *rows, Vec *live, Share **share, bool *tabled, Share *S,
		     const char **data)
{
	int n = S->lead->index;
	buf_printf(decls, "struct probe_%d_row {\t/* the literals the alias prologues set */\n", n);
	for (int k = 0; k < S->cols.len; k++) {
		Var *v = VEC_AT(&S->cols, k);
		buf_printf(decls, "\t%s%s;\n", v->type == T_STRING ? "const char *" : "s64 ", tr_cname(v->name));
	}
	buf_puts(decls, "};\n");
	buf_printf(rows, "static const struct probe_%d_row probe_%d_rows[] = {\n", n, n);
	for (int i = n, row = 0; i < live->len; i++) {
		if (share[i] != S || !tabled[i])
			continue;
		Probe *p = VEC_AT(live, i);
		Vec *pl = &p->body->list;
		buf_puts(rows, "\t{");
		for (int k = 0; k < S->cols.len; k++) {
			Node *e = ((Node *)VEC_AT(pl, k))->lhs->rhs;
			buf_printf(rows, "%s %s", k ? "," : "",
				   e->kind == N_STRING ? tr_lit_escaped(e->str, e->len, NULL) : tr_number(e->num));
		}
		Buf at = {0};
		location(&at, ((Node *)VEC_AT(pl, 0))->tok);
		buf_printf(rows, " },\t/* %d: %s (%s) */\n", row, p->pp, at.s);
		free(at.s);
		data[i] = tr_fmt("&probe_%d_rows[%d]", n, row++);
	}
	buf_puts(rows, "};\n\n");
}

// The code of group S: its body, the table handler and rows, the
// handlers of the other members; handler[i] names each member's,
// data[i] its row.  framed[i]: a struct fr_probe_i was written.
static void gen_share(Gen *G, Buf *decls, Buf *code, Buf *rows, Vec *live, Share **share, bool *tabled,
		      Share *S, const char **handler, const char **data, bool *framed)
{
	Probe *lead = S->lead;
	int n = lead->index, members = 0;
	for (int i = n; i < live->len; i++)
		members += share[i] == S;
	Buf loc = {0}, body = {0}, body_frame = {0};
	location(&loc, lead->decl->tok);

	// the statements they share
	start_shared(G, &body, S, lead, true);
	G->actions = S->pending;
	Vec *list = &lead->body->list;
	for (int i = list->len - S->nshared; i < list->len; i++)
		tr_stmt(G, VEC_AT(list, i));
	tr_record(G, 0, lead->body->tok, true);
	end_function(code, tr_fmt("probe at %s: the body of its %d derived probes below, after their own prologues",
				  loc.s, members), tr_fmt("probe_%d_body", n), &body);
	for (int i = 0; i < G->slots.len; i++)
		vec_push(&S->body_slots, VEC_AT(&G->slots, i));
	buf_puts(&body_frame, "\tchar unused_;\n");
	for (int i = 0; i < lead->locals.len; i++) {
		Var *v = VEC_AT(&lead->locals, i);
		if (ptrmap_get(&S->body_vars, intern0(v->name)))
			buf_printf(&body_frame, v->type == T_STRING ? "\tchar l_%s[MAXSTRINGLEN];\n" : "\ts64 l_%s;\n",
				   tr_cname(v->name));
	}
	frame_slots(G, &body_frame);
	buf_printf(decls, "struct fr_probe_%d_body {\t/* the body of the probe at %s */\n%s};\n", n, loc.s,
		   body_frame.s);

	// the table: one row per tabled member, read by one handler
	if (S->table >= 0) {
		int t = S->table;
		start_shared(G, &body, S, VEC_AT(live, t), false);
		if (S->cols.len)
			tr_line(G, "const struct probe_%d_row *r = c->probe->data;", n);
		init_locals(G, &S->table_locals);
		if (S->cols.len)
			tr_line(G, "/* the alias prologue: its probe's row of probe_%d_rows */", n);
		for (int k = 0; k < S->cols.len; k++)
			tr_stmt(G, row_assign(VEC_AT(&S->cols, k)));
		tr_line(G, "probe_%d_body(c);", n);
		const char *what = tr_fmt("probe at %s: %d of its derived probes, their prologues from a table",
					  loc.s, S->nrows);
		shared_frame(G, decls, S, &body_frame, t, what, &S->table_locals);
		framed[t] = true;
		end_function(code, what, tr_fmt("probe_%d", t), &body);
		if (S->cols.len)
			gen_rows(decls, rows, live, share, tabled, S, data);
		for (int i = n; i < live->len; i++)
			if (share[i] == S && tabled[i])
				handler[i] = tr_fmt("probe_%d", t);
	}

	// the others: their own prologue, then the body; an alias for
	// several system calls gives them the same prologue, written once
	Vec texts = {0}, names = {0};
	for (int i = n; i < live->len; i++) {
		if (share[i] != S || tabled[i])
			continue;
		Probe *p = VEC_AT(live, i);
		start_shared(G, &body, S, p, false);
		init_locals(G, &p->locals);
		gen_prologue(G, S, p);
		tr_line(G, "probe_%d_body(c);", n);
		// the same code but for the frame's name
		const char *key = strchr(body.s, '\n') + 1;
		handler[i] = NULL;
		for (int k = 0; k < texts.len && !handler[i]; k++)
			if (!strcmp(VEC_AT(&texts, k), key))
				handler[i] = VEC_AT(&names, k);
		if (handler[i]) {
			free(body.s);
			body = (Buf){0};
			continue;
		}
		handler[i] = tr_fmt("probe_%d", i);
		vec_push(&texts, arena_strdup(key));
		vec_push(&names, (void *)handler[i]);
		shared_frame(G, decls, S, &body_frame, i, tr_fmt("%s at %s", p->pp, loc.s), &p->locals);
		framed[i] = true;
		end_function(code, tr_fmt("probe %s (%s): its prologue, then probe_%d_body", p->pp, loc.s, n),
			     handler[i], &body);
	}
	free(body_frame.s);
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

// The locks of probe idx: a table locks_N, shared with the earlier probes
// that lock alike (seen: their tables' contents, by N).
static void gen_locks(Session *s, Buf *b, Probe *p, int idx, PtrMap *seen)
{
	Locks L = {.mode = calloc(s->globals.len + 1, 1)};
	lock_walk(&L, p->body);
	Buf t = {0};
	for (int i = 0; i < s->globals.len; i++)
		if (L.mode[i])
			buf_printf(&t, "\t{ .global = &stp_globals[%d], .mode = %s },\t/* %s */\n", i,
				   L.mode[i] == 2 ? "STP_LOCK_WRITE" : "STP_LOCK_READ",
				   ((Var *)VEC_AT(&s->globals, i))->name);
	p->locks_table = -1;
	if (t.s) {
		const char *key = intern0(t.s);
		intptr_t n = (intptr_t)ptrmap_get(seen, key);
		if (!n) {
			buf_printf(b, "static const struct stp_lock_req locks_%d[] = {\n%s};\n", idx, t.s);
			n = idx + 1;
			ptrmap_put(seen, key, (void *)n);
		}
		p->locks_table = (int)n - 1;
	}
	free(t.s);
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

	// top-level %{ %}: a library file's only when something of it is
	// left after optimization (a function, a probe or alias, a global);
	// our tapset files' %{ %} include what their own C needs, and the
	// syscall tapset's headers are most of a module's compile
	PtrMap in_use = {0};
	for (int i = 0; i < funcs.len; i++)
		ptrmap_put(&in_use, ((Func *)VEC_AT(&funcs, i))->file, (void *)1);
	for (int i = 0; i < live.len; i++) {
		Probe *p = VEC_AT(&live, i);
		if (p->decl && p->decl->tok)
			ptrmap_put(&in_use, p->decl->tok->file, (void *)1);
		for (int k = 0; k < p->chain_aliases.len; k++)
			ptrmap_put(&in_use, ((Node *)VEC_AT(&p->chain_aliases, k))->file, (void *)1);
	}
	for (int i = 0; i < s->globals.len; i++)
		ptrmap_put(&in_use, ((Var *)VEC_AT(&s->globals, i))->file, (void *)1);
	for (int i = 0; i < s->embeds.len; i++) {
		Node *e = VEC_AT(&s->embeds, i);
		SrcFile *f = e->tok ? e->tok->file : NULL;
		if (!f || !f->library || ptrmap_get(&in_use, f))
			buf_printf(&head, "%s\n", e->code);
	}
	free(in_use.keys);
	free(in_use.vals);

	for (int i = 0; i < funcs.len; i++)
		gen_function(&G, &decls, &code, VEC_AT(&funcs, i));
	// probes: on their own, or sharing code (see gen_share)
	Share **share = arena_alloc(sizeof(Share *) * (live.len + 1));
	bool *tabled = arena_alloc(sizeof(bool) * (live.len + 1));
	const char **handler = arena_alloc(sizeof(char *) * (live.len + 1));
	const char **data = arena_alloc(sizeof(char *) * (live.len + 1));
	bool *framed = arena_alloc(sizeof(bool) * (live.len + 1));
	Buf rows = {0};
	plan_shares(&G, &live, share, tabled);
	for (int i = 0; i < live.len; i++) {
		Probe *p = VEC_AT(&live, i);
		if (!share[i]) {
			gen_probe(&G, &decls, &code, p, i);
			handler[i] = tr_fmt("probe_%d", i);
			framed[i] = true;
		} else if (share[i]->lead == p) {
			gen_share(&G, &decls, &code, &rows, &live, share, tabled, share[i], handler, data, framed);
		}
	}

	// the frame union
	Buf frame_union = {0};
	buf_puts(&frame_union, "union stp_frame {\n\tchar unused_;\n");
	for (int i = 0; i < funcs.len; i++)
		buf_printf(&frame_union, "\tstruct fr_fn_%d fn_%d;\n", i, i);
	for (int i = 0; i < live.len; i++)
		if (framed[i])
			buf_printf(&frame_union, "\tstruct fr_probe_%d probe_%d;\n", i, i);
	buf_puts(&frame_union, "};\n\n");

	// forward declarations of functions (calls may precede definitions)
	Buf fwd = {0};
	for (int i = 0; i < funcs.len; i++)
		buf_printf(&fwd, "static void fn_%d(struct context *c, struct fr_fn_%d *l);\n", i, i);

	// probe table and locks
	PtrMap lock_tables = {0};
	for (int i = 0; i < live.len; i++)
		gen_locks(s, &tables, VEC_AT(&live, i), i, &lock_tables);
	free(lock_tables.keys);
	free(lock_tables.vals);
	if (rows.s)
		buf_printf(&tables, "\n%s", rows.s);
	free(rows.s);
	buf_puts(&tables, "\nstatic const struct stp_probe stp_probes[] = {\n");
	for (int i = 0; i < live.len; i++) {
		Probe *p = VEC_AT(&live, i);
		Buf loc = {0};
		location(&loc, p->tok);
		// pp(): as -p2 names it; pn(): the alias point the script wrote
		// (with its suffix, without '?'/'!' and condition), else the same
		Buf pp = {0};
		probe_pp_text(&pp, p);
		buf_printf(&tables, "\t{ .handler = %s, .pp = %s, .location = %s", handler[i], tr_lit(pp.s), tr_lit(loc.s));
		if (p->chain_aliases.len && p->list_pp && strcmp(p->list_pp, pp.s))
			buf_printf(&tables, ", .pn = %s", tr_lit(p->list_pp));
		free(pp.s);
		if (data[i])
			buf_printf(&tables, ", .data = %s", data[i]);
		if (p->locks_table >= 0)
			buf_printf(&tables, ", .locks = locks_%d, .nlocks = ARRAY_SIZE(locks_%d)",
				   p->locks_table, p->locks_table);
		buf_puts(&tables, " },\n");
		free(loc.s);
	}
	if (!live.len)
		buf_puts(&tables, "\t{ 0 },\n");
	buf_puts(&tables, "};\n\n");
	Buf fields = {0};
	s->rt_families = 0;
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
	fprintf(out, "\t.init_globals = stp_init_globals, .free_globals = stp_free_globals,\n%s",
		fields.s ? fields.s : "");
	// the runtime's probe families this module arms (and links)
	fputs("\t.families = {", out);
	for (int i = 0; i < RT_NFAM; i++)
		if (s->rt_families & (1u << i))
		{
			char up[16];
			snprintf(up, sizeof(up), "%s", rt_family_names[i]);
			for (char *c = up; *c; c++)
				*c = (char)toupper((unsigned char)*c);
			fprintf(out, " [STP_FAM_%s] = &stp_family_%s,", up, rt_family_names[i]);
		}
	fputs(" },\n};\n", out);
	return 0;
}
