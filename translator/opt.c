// opt.c: pass 2's optimizer (off with -u), the decision of @defined, the
// warnings about variables never assigned, and the automatic printing of
// globals that are written but never read.
//
// Like SystemTap it folds constants, drops branches with constant
// conditions, elides assignments to locals nobody reads and statements
// without side effects, flattens nested blocks and elides probes left
// empty, each with a warning; unused globals and locals disappear.  The
// top block of a probe or function body stays a block (pass 3 wants one);
// the -p2 printer shows it the way SystemTap's reduced bodies look.
#include "stap.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
	Session *s;
	bool changed;
	Probe *probe;
	Func *func;
} Opt;

// Like SystemTap, the optimizer says nothing about library code.
static void warning(const Token *t, const char *fmt, ...) PRINTF(2, 3);
static void warning(const Token *t, const char *fmt, ...)
{
	if (t && t->file && t->file->library)
		return;
	va_list ap;
	va_start(ap, fmt);
	diag_v(DIAG_WARNING, t, NULL, fmt, ap);
	va_end(ap);
}

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

static void reset_vars(Vec *v, bool value)
{
	for (int k = 0; k < v->len; k++) {
		Var *x = VEC_AT(v, k);
		x->read = x->used = value;
	}
}

static void reset_marks(Session *s)
{
	reset_vars(&s->globals, false);
	for (int i = 0; i < s->probes.len; i++)
		reset_vars(&((Probe *)VEC_AT(&s->probes, i))->locals, false);
	for (int i = 0; i < s->funcs.len; i++) {
		Func *f = VEC_AT(&s->funcs, i);
		reset_vars(&f->locals, false);
		reset_vars(&f->params, true);
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

// A variable of the function being walked (a parameter or a local):
// writing it is no effect of the call, as in SystemTap.
static bool fn_local(Node *lhs, int depth)
{
	return depth > 0 && lhs && lhs->kind == N_SYMBOL && lhs->var &&
	       lhs->var->scope != V_GLOBAL;
}

static bool has_effects(Node *n, int depth)
{
	if (!n)
		return false;
	switch (n->kind) {
	case N_ASSIGN:
		if (fn_local(n->lhs, depth))
			return has_effects(n->rhs, depth);
		return true;
	case N_PRE_INC:
	case N_POST_INC:
		return !fn_local(n->lhs, depth);
	case N_BREAK:
	case N_CONTINUE:
		// in a function body, they only leave its own loops
		return !depth;
	case N_DELETE:
	case N_NEXT:
	case N_EMBED_EXPR:
	case N_EMBED_STMT:
		return true;
	case N_RETURN:
		// in a function body (depth > 0) returning is what it does
		if (!depth)
			return true;
		break;
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
// Rewriting children in place
//

typedef Node *(*Rewrite)(Node *n, void *arg);

// Replace each child c of n by fn(c) (statements may become NULL).
static void rewrite_children(Node *n, Rewrite fn, void *arg)
{
#define RW(x)                          \
	do {                           \
		if (x)                 \
			x = fn(x, arg); \
	} while (0)
	RW(n->lhs);
	RW(n->rhs);
	RW(n->cond);
	RW(n->body);
	RW(n->els);
	Vec out = {0};
	if (n->list.len) {
		for (int i = 0; i < n->list.len; i++) {
			Node *c = fn(VEC_AT(&n->list, i), arg);
			if (c)
				vec_push(&out, c);
		}
		n->list = out;
	}
	for (int i = 0; i < n->args.len; i++)
		RW(n->args.items[i]);
	switch (n->kind) {
	case N_FOREACH:
		RW(n->limit);
		break;
	case N_FOR:
		RW(n->init);
		RW(n->incr);
		break;
	case N_TARGET:
	case N_CAST:
	case N_ATVAR:
	case N_AUTOCAST:
		for (int i = 0; i < n->nmembers; i++)
			RW(n->members[i].index);
		break;
	default:
		break;
	}
#undef RW
}

//
// Constant folding
//

static bool num_of(Node *n, int64_t *v)
{
	if (n && n->kind == N_NUMBER) {
		*v = n->num;
		return true;
	}
	return false;
}

static Node *number(Node *at, Token *tok, int64_t v)
{
	Node *n = node_new(N_NUMBER, tok ? tok : at->tok);
	n->num = v;
	n->type = T_LONG;
	return n;
}

static bool pure_expr(Node *n)
{
	return !has_effects(n, 0);
}

static bool binary_value(const char *op, int64_t a, int64_t b, int64_t *r)
{
	uint64_t ua = a, ub = b;
	switch (op[0]) {
	case '+': *r = (int64_t)(ua + ub); return true;
	case '-': *r = (int64_t)(ua - ub); return true;
	case '*': *r = (int64_t)(ua * ub); return true;
	case '/':
	case '%':
		if (!b || (a == INT64_MIN && b == -1))
			return false; // left for run time (an error there)
		*r = op[0] == '/' ? a / b : a % b;
		return true;
	case '&': *r = a & b; return true;
	case '|': *r = a | b; return true;
	case '^': *r = a ^ b; return true;
	case '<':
	case '>':
		// at run time the count is taken mod 64 (as x86 does); folded,
		// a count outside 0..63 leaves the value as it is (SystemTap 4.8:
		// 3 << -1 is 3, 1 << 65 is 1; it refuses to fold >>>)
		if (!strcmp(op, ">>>"))
			*r = (int64_t)(ua >> (b & 63));
		else if (b < 0 || b > 63)
			*r = a;
		else
			*r = op[0] == '<' ? (int64_t)(ua << b) : a >> b;
		return true;
	}
	return false;
}

// As SystemTap folds it: the literals' text as written, escapes and all
// ("a" < "\xff" is 0: '\\' sorts before 'a').
static int str_cmp(Node *a, Node *b)
{
	size_t n = a->len < b->len ? a->len : b->len;
	int c = n ? memcmp(a->str, b->str, n) : 0;
	if (!c)
		c = a->len < b->len ? -1 : a->len > b->len;
	return c;
}

static bool compare_value(const char *op, int c)
{
	if (!strcmp(op, "=="))
		return c == 0;
	if (!strcmp(op, "!="))
		return c != 0;
	if (!strcmp(op, "<"))
		return c < 0;
	if (!strcmp(op, "<="))
		return c <= 0;
	if (!strcmp(op, ">"))
		return c > 0;
	return c >= 0;
}

// Fold n (its children first); returns its replacement.
static Node *fold(Node *n, void *arg)
{
	if (!n)
		return NULL;
	rewrite_children(n, fold, arg);
	int64_t a = 0, b = 0, r = 0;
	switch (n->kind) {
	case N_UNARY:
		if (!num_of(n->lhs, &a))
			break;
		switch (n->op[0]) {
		case '-': r = (int64_t)(0 - (uint64_t)a); break;
		case '~': r = ~a; break;
		case '!': r = !a; break;
		default: r = a; break;
		}
		return number(n, n->lhs->tok, r);
	case N_BINARY: {
		bool l = num_of(n->lhs, &a), rt = num_of(n->rhs, &b);
		if (l && rt && binary_value(n->op, a, b, &r))
			return number(n, n->lhs->tok, r);
		const char *op = n->op;
		// x op 0 / 0 op x / x op 1 ... the way SystemTap simplifies them
		if ((l && a == 0 && (!strcmp(op, "+") || !strcmp(op, "|") || !strcmp(op, "^"))) ||
		    (l && a == 1 && !strcmp(op, "*")))
			return n->rhs;
		if ((rt && b == 0 && (!strcmp(op, "+") || !strcmp(op, "-") || !strcmp(op, "|") ||
				      !strcmp(op, "^") || !strcmp(op, "<<") || !strcmp(op, ">>") ||
				      !strcmp(op, ">>>"))) ||
		    (rt && b == 1 && (!strcmp(op, "*") || !strcmp(op, "/"))))
			return n->lhs;
		if (l && a == 0 && (!strcmp(op, "*") || !strcmp(op, "&") || !strcmp(op, "<<") ||
				    !strcmp(op, ">>") || !strcmp(op, ">>>")) && pure_expr(n->rhs))
			return number(n, n->lhs->tok, 0);
		if (rt && ((b == 0 && (!strcmp(op, "*") || !strcmp(op, "&"))) ||
			   (b == 1 && !strcmp(op, "%"))) && pure_expr(n->lhs))
			return number(n, n->lhs->tok, 0);
		break;
	}
	case N_LOGICAL: {
		bool l = num_of(n->lhs, &a), rt = num_of(n->rhs, &b);
		bool and = n->op[0] == '&';
		if (l && rt)
			return number(n, n->lhs->tok, and ? (a && b) : (a || b));
		if (l && and && !a)
			return number(n, n->lhs->tok, 0);
		if (l && !and && a)
			return number(n, n->lhs->tok, 1);
		break;
	}
	case N_COMPARE:
		if (num_of(n->lhs, &a) && num_of(n->rhs, &b))
			return number(n, n->lhs->tok, compare_value(n->op, a < b ? -1 : a > b));
		if (n->lhs->kind == N_STRING && n->rhs->kind == N_STRING)
			return number(n, n->lhs->tok, compare_value(n->op, str_cmp(n->lhs, n->rhs)));
		break;
	case N_CONCAT:
		if (n->lhs->kind == N_STRING && n->rhs->kind == N_STRING) {
			Node *c = node_new(N_STRING, n->lhs->tok);
			c->str = arena_printf("%s%s", n->lhs->str, n->rhs->str);
			c->len = n->lhs->len + n->rhs->len;
			c->type = T_STRING;
			return c;
		}
		break;
	case N_TERNARY:
		if (num_of(n->cond, &a))
			return a ? n->lhs : n->rhs;
		break;
	default:
		break;
	}
	return n;
}

//
// @defined: decided before types and checks
//

typedef struct {
	Session *s;
	Probe *probe;
} Defined;

// Can x be resolved here?  Target variables: if the provider says so;
// literals are; any other expression is not (SystemTap 4.8: @defined(t),
// @defined(-1), @defined($p + 1) are all 0).
static bool defined_value(Defined *D, Node *x)
{
	switch (x->kind) {
	case N_TARGET:
	case N_CAST:
		return target_resolve(D->s, D->probe, x, TV_DEFINED) != T_UNKNOWN;
	case N_NUMBER:
	case N_STRING:
		return true;
	default:
		return false;
	}
}

// Variables named in @defined(): SystemTap 4.8 elides their dead stores
// without a warning.
static void quiet_vars(Node *n, void *arg)
{
	if (n->kind == N_SYMBOL && n->var)
		n->var->quiet = true;
	node_children(n, quiet_vars, arg);
}

static Node *fold_defined_node(Node *n, void *arg)
{
	Defined *D = arg;
	if (n->kind == N_DEFINED) {
		quiet_vars(n->lhs, NULL);
		return number(n, n->tok, defined_value(D, n->lhs));
	}
	rewrite_children(n, fold_defined_node, arg);
	// a condition that became constant decides its statement
	int64_t v;
	if (n->kind == N_IF && n->cond) {
		Node *c = fold(node_copy(n->cond), NULL);
		if (num_of(c, &v)) {
			Node *b = v ? n->body : n->els;
			return b ? b : node_new(N_NULL, n->tok);
		}
	}
	if (n->kind == N_TERNARY) {
		Node *c = fold(node_copy(n->cond), NULL);
		if (num_of(c, &v))
			return v ? n->lhs : n->rhs;
	}
	return n;
}

static bool any_defined;

static void find_defined(Node *n, void *arg)
{
	if (n->kind == N_DEFINED)
		any_defined = true;
	if (!any_defined)
		node_children(n, find_defined, arg);
}

static bool has_defined(Node *n)
{
	any_defined = false;
	if (n)
		find_defined(n, NULL);
	return any_defined;
}

// Also under -u (SystemTap too): @defined, and the branches a constant
// condition rules out.
void fold_defined(Session *s)
{
	Defined D = {.s = s};
	bool all = s->unoptimized; // else the optimizer prunes the rest
	for (int i = 0; i < s->probes.len; i++) {
		Probe *p = VEC_AT(&s->probes, i);
		D.probe = p;
		if (all || has_defined(p->body))
			rewrite_children(p->body, fold_defined_node, &D);
	}
	D.probe = NULL;
	for (int i = 0; i < s->funcs.len; i++) {
		Func *f = VEC_AT(&s->funcs, i);
		if (!f->decl->is_embedded && (all || has_defined(f->decl->body)))
			rewrite_children(f->decl->body, fold_defined_node, &D);
	}
}

//
// Statements
//

static Node *opt_stmt(Opt *O, Node *n);
static Node *stmt_of(Node *e);

// An expression whose value nobody uses, reduced to what it does, as
// SystemTap reduces them: an operator to its operands' effects (!a++ is
// a++), && || and ?: to an if, sprintf() to its arguments; NULL when it
// stays as it is (/ and % by what may be 0 stay for their error).
static Node *reduce_void(Opt *O, Node *e)
{
	int64_t v;
	Node *l = e->lhs, *r = e->rhs, *out;
	switch (e->kind) {
	case N_BINARY:
		if ((!strcmp(e->op, "/") || !strcmp(e->op, "%")) && !(num_of(r, &v) && v))
			return NULL;
		/* fall through */
	case N_COMPARE:
	case N_CONCAT:
	case N_UNARY:
		if (e->kind == N_UNARY || !has_effects(r, 0))
			out = stmt_of(l);
		else if (!has_effects(l, 0))
			out = stmt_of(r);
		else {
			out = node_new(N_BLOCK, e->tok);
			vec_push(&out->list, stmt_of(l));
			vec_push(&out->list, stmt_of(r));
		}
		break;
	case N_LOGICAL:
		out = node_new(N_IF, e->tok);
		if (!strcmp(e->op, "||")) {
			out->cond = node_new(N_UNARY, e->tok);
			out->cond->op = "!";
			out->cond->lhs = l;
			out->cond->type = T_LONG;
		} else {
			out->cond = l;
		}
		out->body = stmt_of(r);
		break;
	case N_TERNARY:
		// (the parts without effects go silently)
		out = node_new(N_IF, e->tok);
		out->cond = e->cond;
		out->body = has_effects(l, 0) ? stmt_of(l) : NULL;
		out->els = has_effects(r, 0) ? stmt_of(r) : NULL;
		break;
	case N_PRINT:
		if (e->name[0] != 's')	/* sprint, sprintf, sprintln, sprintd... */
			return NULL;
		out = node_new(N_BLOCK, e->tok);
		for (int i = 0; i < e->args.len; i++)
			if (has_effects(VEC_AT(&e->args, i), 0))
				vec_push(&out->list, stmt_of(VEC_AT(&e->args, i)));
		break;
	default:
		return NULL;
	}
	O->changed = true;
	return opt_stmt(O, out);
}

// A statement list without the statements that do nothing; nested blocks
// are flattened into it.
static void opt_block(Opt *O, Node *b)
{
	Vec out = {0};
	for (int i = 0; i < b->list.len; i++) {
		Node *st = opt_stmt(O, VEC_AT(&b->list, i));
		if (!st)
			continue;
		if (st->kind == N_BLOCK) {
			for (int k = 0; k < st->list.len; k++)
				vec_push(&out, VEC_AT(&st->list, k));
			O->changed = true;
		} else {
			vec_push(&out, st);
		}
		// nothing after a jump runs
		Node *last = VEC_AT(&out, out.len - 1);
		if (last->kind == N_NEXT || last->kind == N_RETURN || last->kind == N_BREAK ||
		    last->kind == N_CONTINUE) {
			O->changed |= i + 1 < b->list.len;
			break;
		}
	}
	b->list = out;
}

// A statement in a branch or loop: a block of one statement is that
// statement; nothing is an empty statement.
static Node *opt_sub(Opt *O, Node *n, Token *t)
{
	n = opt_stmt(O, n);
	if (n && n->kind == N_BLOCK && n->list.len == 1)
		return VEC_AT(&n->list, 0);
	return n;
}

// A for loop's initialization that assigns a local nobody reads: what is
// left of it (its right side when that has effects).
static Node *drop_dead_store(Opt *O, Node *e)
{
	if (!e || e->kind != N_ASSIGN || strcmp(e->op, "=") || e->lhs->kind != N_SYMBOL ||
	    !e->lhs->var || e->lhs->var->scope != V_LOCAL || e->lhs->var->read)
		return e;
	if (!e->lhs->var->quiet)
		warning(e->tok, "Eliding assignment to '%s'", e->lhs->name);
	O->changed = true;
	return has_effects(e->rhs, 0) ? e->rhs : NULL;
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
		n->lhs = fold(n->lhs, NULL);
		Node *e = n->lhs;
		// an assignment to a local that nobody reads
		if (e->kind == N_ASSIGN && (!strcmp(e->op, "=") || !strcmp(e->op, "<<<")) &&
		    e->lhs->kind == N_SYMBOL && e->lhs->var && e->lhs->var->scope == V_LOCAL &&
		    !e->lhs->var->read) {
			bool quiet = e->lhs->var->quiet;
			if (!quiet)
				warning(e->tok, "Eliding assignment to '%s'", e->lhs->name);
			O->changed = true;
			if (has_effects(e->rhs, 0)) {
				n->lhs = e->rhs;
				n->tok = e->rhs->tok;
				return n;
			}
			if (!quiet)
				warning(e->lhs->tok, "Eliding side-effect-free expression ");
			return NULL;
		}
		if (!has_effects(e, 0)) {
			warning(n->tok, "Eliding side-effect-free expression ");
			O->changed = true;
			return NULL;
		}
		Node *r = reduce_void(O, e);
		return r ? r : n;
	}
	case N_IF: {
		int64_t v;
		n->cond = fold(n->cond, NULL);
		n->body = opt_sub(O, n->body, n->tok);
		n->els = opt_sub(O, n->els, n->tok);
		if (num_of(n->cond, &v)) {
			O->changed = true;
			return v ? n->body : n->els;
		}
		if (!n->body && !n->els && !has_effects(n->cond, 0))
			return NULL;
		if (!n->body && !n->els) {
			// only the condition's effects are left
			O->changed = true;
			return opt_stmt(O, stmt_of(n->cond));
		}
		if (!n->body)
			n->body = node_new(N_NULL, n->tok);
		return n;
	}
	case N_FOR: {
		int64_t v;
		n->init = fold(n->init, NULL);
		n->init = drop_dead_store(O, n->init);
		n->cond = fold(n->cond, NULL);
		if (num_of(n->cond, &v) && !v) {
			// never loops: only the initialization is left
			O->changed = true;
			if (!n->init || !has_effects(n->init, 0))
				return NULL;
			Node *st = node_new(N_EXPR_STMT, n->init->tok);
			st->lhs = n->init;
			return st;
		}
		n->incr = fold(n->incr, NULL);
		n->body = opt_sub(O, n->body, n->tok);
		// as in SystemTap, a loop that does nothing is gone, even an
		// endless one
		if (!n->body && !has_effects(n->init, 0) && !has_effects(n->cond, 0) &&
		    !has_effects(n->incr, 0)) {
			O->changed = true;
			return NULL;
		}
		if (!n->body)
			n->body = node_new(N_NULL, n->tok);
		return n;
	}
	case N_FOREACH:
		n->limit = fold(n->limit, NULL);
		n->body = opt_sub(O, n->body, n->tok);
		// so is a foreach with an empty body, with its sort (a later
		// unsorted foreach keeps the insertion order) and the side
		// effects of its limit and slice
		if (!n->body) {
			O->changed = true;
			return NULL;
		}
		return n;
	case N_TRY:
		n->body = opt_sub(O, n->body, n->tok);
		n->els = opt_sub(O, n->els, n->tok);
		if (!n->body)
			return NULL;
		if (!n->els)
			n->els = node_new(N_NULL, n->tok);
		return n;
	case N_RETURN:
		n->lhs = fold(n->lhs, NULL);
		return n;
	default:
		rewrite_children(n, fold, NULL);
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

static PtrMap auto_probes; // Probe* -> 1: made here, after the optimizer

// Did the optimizer reduce this probe's body (see dump2.c)?
bool opt_reduced(Session *s, Probe *p)
{
	return !s->unoptimized && !ptrmap_get(&auto_probes, p);
}

static void auto_print(Session *s, Var *g)
{
	Token *t = synth_tok(g);
	Probe *p = end_probe(s, t);
	Buf f = {0};
	if (g->arity == 0 && g->type != T_STATS) {
		buf_printf(&f, g->type == T_STRING ? "%s=\"%%#s\"\\n" : "%s=%%d\\n", g->name);
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
			buf_puts(&f, g->key_types[i] == T_STRING ? "\"%#s\"" : "%#d");
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
			buf_puts(&f, g->type == T_STRING ? "=\"%#s\"\\n" : "=%d\\n");
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
	ptrmap_put(&auto_probes, p, (void *)1);
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

//
// Stable functions: a call of a function marked "/* stable */" (no
// arguments, same value all through a handler) becomes a local set once.
// SystemTap's placement rules, which -p2 shows: the assignment goes at the
// start of the innermost block that is not inside a loop (an if branch
// that is a single statement becomes a block for it), and is not repeated
// while that block's earlier assignment is in scope.
//

typedef struct {
	Vec *locals;      // of the probe or function
	Vec *pending;     // assignments for the start of the current scope
	int loops;
	Vec in_scope;     // Func* whose variable an enclosing block sets
} Stable;

static bool is_stable(Func *f)
{
	return f && f->decl->is_embedded && !f->params.len && f->type != T_VOID &&
	       strstr(f->decl->code, "/* stable */");
}

static Var *stable_var(Stable *S, Func *f, Token *t)
{
	const char *name = intern0(arena_printf("__stable___global_%s__overload_%d_value", f->name, f->overload));
	for (int i = 0; i < S->locals->len; i++) {
		Var *v = VEC_AT(S->locals, i);
		if (v->name == name)
			return v;
	}
	Var *v = NEW(Var);
	v->name = name;
	v->scope = V_LOCAL;
	v->tok = t;
	v->type = f->type;
	v->arity = 0;
	v->read = v->written = v->used = true;
	v->index = S->locals->len;
	vec_push(S->locals, v);
	return v;
}

static Node *var_sym(Var *v, Token *t)
{
	Node *n = node_new(N_SYMBOL, t);
	n->name = v->name;
	n->var = v;
	n->type = v->type;
	return n;
}

static Node *stable_rw(Node *n, void *arg);

// The statements of block b as a scope; true when assignments were added
// at its start.
static bool stable_block(Stable *S, Node *b)
{
	Vec pending = {0}, out = {0};
	Vec *saved = S->pending;
	int in_scope = S->in_scope.len;
	S->pending = &pending;
	for (int i = 0; i < b->list.len; i++) {
		Node *c = stable_rw(VEC_AT(&b->list, i), S);
		if (c)
			vec_push(&out, c);
	}
	S->pending = saved;
	S->in_scope.len = in_scope; // what the block set ends with it
	for (int i = 0; i < out.len; i++)
		vec_push(&pending, VEC_AT(&out, i));
	b->list = pending;
	return pending.len > out.len;
}

// An if branch: a block, or a statement that becomes one if it needs an
// assignment.
static Node *stable_scope(Stable *S, Node *n)
{
	if (n->kind == N_BLOCK) {
		stable_block(S, n);
		return n;
	}
	Node *b = node_new(N_BLOCK, n->tok);
	vec_push(&b->list, n);
	return stable_block(S, b) ? b : VEC_AT(&b->list, 0);
}

static Node *stable_rw(Node *n, void *arg)
{
	Stable *S = arg;
	switch (n->kind) {
	case N_BLOCK:
		if (!S->loops) {
			stable_block(S, n);
			return n;
		}
		break;
	case N_IF:
		n->cond = stable_rw(n->cond, S);
		if (!S->loops) {
			n->body = stable_scope(S, n->body);
			if (n->els)
				n->els = stable_scope(S, n->els);
			return n;
		}
		break;
	case N_FOR:
	case N_FOREACH:
		S->loops++;
		rewrite_children(n, stable_rw, S);
		S->loops--;
		return n;
	case N_CALL:
		rewrite_children(n, stable_rw, S);
		if (!n->args.len && is_stable(n->func)) {
			Var *v = stable_var(S, n->func, n->tok);
			bool set = false;
			for (int i = 0; i < S->in_scope.len && !set; i++)
				set = VEC_AT(&S->in_scope, i) == n->func;
			if (!set) {
				Node *a = node_new(N_ASSIGN, n->tok);
				a->op = intern0("=");
				a->lhs = var_sym(v, n->tok);
				a->rhs = n;
				a->type = v->type;
				Node *st = node_new(N_EXPR_STMT, n->tok);
				st->lhs = a;
				vec_push(S->pending, st);
				vec_push(&S->in_scope, n->func);
			}
			return var_sym(v, n->tok);
		}
		return n;
	default:
		break;
	}
	rewrite_children(n, stable_rw, S);
	return n;
}

// A body is the top scope (SystemTap's reduced body: a lone statement
// gains a block when it needs one, which a body block already is).
static void stable_body(Node *body, Vec *locals)
{
	Stable S = {.locals = locals};
	stable_block(&S, body);
}

static void stable_calls(Session *s)
{
	for (int i = 0; i < s->probes.len; i++) {
		Probe *p = VEC_AT(&s->probes, i);
		if (!p->elided)
			stable_body(p->body, &p->locals);
	}
	for (int i = 0; i < s->funcs.len; i++) {
		Func *f = VEC_AT(&s->funcs, i);
		if (f->used && !f->decl->is_embedded)
			stable_body(f->decl->body, &f->locals);
	}
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
			if (p->cond)
				p->cond = fold(p->cond, NULL);
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
	// empty probes go (except the synthetic ones, which have no
	// declaration: the begin probe of the conditions)
	for (int i = 0; i < s->probes.len; i++) {
		Probe *p = VEC_AT(&s->probes, i);
		if (!p->elided && !p->body->list.len && p->decl) {
			// SystemTap names the probe by its first component, at the
			// "probe" keyword, or at the point written for an alias
			Node *c0 = VEC_AT(&p->point->components, 0);
			Token *t = p->chain_aliases.len ? p->tok : p->decl->tok;
			warning(t, "Probe '%s' has been elided", c0->name);
			p->elided = true;
		}
	}
	stable_calls(s);
	mark_all(s);
}

//
// Variables read but never assigned (SystemTap warns, when optimizing)
//

typedef struct {
	PtrMap written;  // Var* -> 1
	PtrMap read;
} Use2;

static void use_walk(Node *n, void *arg);

static void use_target(Use2 *u, Node *t, bool also_read)
{
	Node *base = t->kind == N_INDEX ? t->lhs : t;
	if (t->kind == N_INDEX)
		for (int i = 0; i < t->args.len; i++)
			if (VEC_AT(&t->args, i))
				use_walk(VEC_AT(&t->args, i), u);
	if (base->kind == N_SYMBOL && base->var) {
		ptrmap_put(&u->written, base->var, (void *)1);
		if (also_read)
			ptrmap_put(&u->read, base->var, (void *)1);
	} else {
		use_walk(base, u);
	}
}

static void use_walk(Node *n, void *arg)
{
	Use2 *u = arg;
	switch (n->kind) {
	case N_SYMBOL:
		if (n->var)
			ptrmap_put(&u->read, n->var, (void *)1);
		return;
	case N_ASSIGN:
		use_walk(n->rhs, u);
		use_target(u, n->lhs, strcmp(n->op, "=") && strcmp(n->op, "<<<"));
		return;
	case N_PRE_INC:
	case N_POST_INC:
		use_target(u, n->lhs, true);
		return;
	case N_DELETE:
		use_target(u, n->lhs, false);
		return;
	case N_FOREACH:
		for (int i = 0; i < n->keys.len; i++)
			use_target(u, VEC_AT(&n->keys, i), false);
		if (n->value_var)
			use_target(u, n->value_var, false);
		use_walk(n->lhs, u);
		for (int i = 0; i < n->args.len; i++)
			if (VEC_AT(&n->args, i))
				use_walk(VEC_AT(&n->args, i), u);
		if (n->limit)
			use_walk(n->limit, u);
		use_walk(n->body, u);
		return;
	case N_TRY:
		use_walk(n->body, u);
		if (n->lhs)
			use_target(u, n->lhs, false);
		if (n->els)
			use_walk(n->els, u);
		return;
	default:
		node_children(n, use_walk, u);
	}
}

int similar_max(const char *name); // elaborate.c

// "(similar: ...)": the closest other names of these variables.
static const char *similar_vars(Var *v, Vec *a, Vec *b)
{
	const char *best[5] = {0};
	int dist[5];
	int max = similar_max(v->name);
	Vec *lists[2] = {a, b};
	for (int l = 0; l < 2; l++) {
		for (int i = 0; lists[l] && i < lists[l]->len; i++) {
			Var *w = VEC_AT(lists[l], i);
			if (w == v || w->name == v->name || w->name[0] == '_')
				continue;
			int d = edit_distance(v->name, w->name);
			if (d > max)
				continue;
			for (int k = 0; k < 5; k++) {
				if (best[k] == w->name)
					break;
				if (!best[k] || d < dist[k]) {
					for (int m = 4; m > k; m--) {
						best[m] = best[m - 1];
						dist[m] = dist[m - 1];
					}
					best[k] = w->name;
					dist[k] = d;
					break;
				}
			}
		}
	}
	if (!best[0])
		return "";
	Buf t = {0};
	buf_puts(&t, " (similar: ");
	for (int k = 0; k < 5 && best[k]; k++)
		buf_printf(&t, "%s%s", k ? ", " : "", best[k]);
	buf_putc(&t, ')');
	const char *r = arena_strdup(t.s);
	free(t.s);
	return r;
}

static void never_assigned(Use2 *u, Vec *locals, Vec *globals, const char *what)
{
	for (int i = 0; i < locals->len; i++) {
		Var *v = VEC_AT(locals, i);
		if (!ptrmap_get(&u->read, v) || ptrmap_get(&u->written, v))
			continue;
		if (v->scope == V_GLOBAL && v->decl && v->decl->gl_init)
			continue;
		if (v->name[0] == '_' && v->name[1] == '_')
			continue; // synthetic
		warning(v->tok, "never-assigned %s variable '%s'%s", what, v->name,
		     similar_vars(v, what[0] == 'g' ? NULL : locals, globals));
	}
}

void warn_never_assigned(Session *s)
{
	Use2 u = {0};
	for (int i = 0; i < s->probes.len; i++) {
		Probe *p = VEC_AT(&s->probes, i);
		use_walk(p->body, &u);
		if (p->cond)
			use_walk(p->cond, &u);
	}
	for (int i = 0; i < s->funcs.len; i++) {
		Func *f = VEC_AT(&s->funcs, i);
		if (f->used && !f->decl->is_embedded)
			use_walk(f->decl->body, &u);
	}
	for (int i = 0; i < s->probes.len; i++)
		never_assigned(&u, &((Probe *)VEC_AT(&s->probes, i))->locals, &s->globals, "local");
	for (int i = 0; i < s->funcs.len; i++)
		never_assigned(&u, &((Func *)VEC_AT(&s->funcs, i))->locals, &s->globals, "local");
	never_assigned(&u, &s->globals, &s->globals, "global");
	free(u.written.keys);
	free(u.written.vals);
	free(u.read.keys);
	free(u.read.vals);
}

//
// Automatic printing: SystemTap's rule is "written, and never used"; ++,
// -- and op= as statements write without using, delete uses.
//

static void print_use_walk(Node *n, void *arg);

static void print_use_target(PtrMap *used, Node *t)
{
	if (t->kind == N_INDEX) {
		for (int i = 0; i < t->args.len; i++)
			if (VEC_AT(&t->args, i))
				print_use_walk(VEC_AT(&t->args, i), used);
	} else if (t->kind != N_SYMBOL) {
		print_use_walk(t, used);
	}
}

// An expression whose value nobody uses: x++ and x op= v there only write
// (whose value is used, they also read, as SystemTap counts it).
static void print_use_stmt(Node *e, PtrMap *used)
{
	if (e->kind == N_PRE_INC || e->kind == N_POST_INC) {
		print_use_target(used, e->lhs);
	} else if (e->kind == N_ASSIGN) {
		print_use_walk(e->rhs, used);
		print_use_target(used, e->lhs);
	} else {
		print_use_walk(e, used);
	}
}

static void print_use_walk(Node *n, void *arg)
{
	PtrMap *used = arg;
	switch (n->kind) {
	case N_SYMBOL:
		if (n->var)
			ptrmap_put(used, n->var, (void *)1);
		return;
	case N_ASSIGN:
		// x op= v whose value is used also reads x, as x++ does
		print_use_walk(n->rhs, used);
		if (strcmp(n->op, "=") && strcmp(n->op, "<<<"))
			print_use_walk(n->lhs, used);
		else
			print_use_target(used, n->lhs);
		return;
	case N_EXPR_STMT:
		print_use_stmt(n->lhs, used);
		return;
	case N_FOR:
		if (n->init)
			print_use_walk(n->init, used);
		if (n->cond)
			print_use_walk(n->cond, used);
		if (n->incr)
			print_use_stmt(n->incr, used);
		if (n->body)
			print_use_walk(n->body, used);
		return;
	default:
		node_children(n, print_use_walk, used);
	}
}

// The automatic printing happens even under -u.
void auto_print_globals(Session *s)
{
	mark_all(s);
	PtrMap used = {0};
	for (int i = 0; i < s->probes.len; i++) {
		Probe *p = VEC_AT(&s->probes, i);
		if (p->elided)
			continue;
		print_use_walk(p->body, &used);
		if (p->cond)
			print_use_walk(p->cond, &used);
	}
	for (int i = 0; i < s->funcs.len; i++) {
		Func *f = VEC_AT(&s->funcs, i);
		if (f->used && !f->decl->is_embedded)
			print_use_walk(f->decl->body, &used);
	}
	int n = s->globals.len;
	for (int i = 0; i < n; i++) {
		Var *g = VEC_AT(&s->globals, i);
		// not the library's own globals (SystemTap: RHBZ 468139)
		if (g->used && g->written && !ptrmap_get(&used, g) && g->type && g->arity >= 0 &&
		    !(g->file && g->file->library))
			auto_print(s, g);
	}
	free(used.keys);
	free(used.vals);
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
