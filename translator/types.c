// types.c: type inference over long, string and stats.
//
// Every expression gets a type from its operator, its operands and what
// the context expects; variables, array keys and values, function
// parameters and returns take the first type they are seen with.  The
// walk repeats until nothing new is learned, then runs once more to report
// conflicts (naming both places) and what stayed unknown.
#include "stap.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
	Session *s;
	bool changed;
	bool report;
	Func *func;   // function being walked
	Probe *probe; // probe being walked
	PtrMap hists; // Var* -> the first N_HIST on it (report walk)
	PtrMap shifts; // Var* -> the first non-zero @variance shift (report walk)
} Infer;

static const char *type_name(Type t)
{
	switch (t) {
	case T_LONG:
		return "long";
	case T_STRING:
		return "string";
	case T_STATS:
		return "stats";
	default:
		return "unknown";
	}
}

const char *type_text(Type t)
{
	return type_name(t);
}

static Type infer(Infer *I, Node *n, Type want);

// A slot that holds a type learned once: variables, keys, returns.
static void learn(Infer *I, Type *slot, Token **slot_tok, Type t, Token *tok)
{
	if (!t || t == T_VOID)
		return;
	if (!*slot) {
		*slot = t;
		if (slot_tok)
			*slot_tok = tok;
		I->changed = true;
	}
}

static void mismatch_var(Infer *I, Token *at, Type got, Type first, Token *first_tok)
{
	if (!I->report)
		return;
	diag(DIAG_SEMANTIC, at, "saw", "type mismatch (%s)", type_name(got));
	if (first_tok)
		diag_note(DIAG_SEMANTIC, first_tok, "type was first inferred here (%s)", type_name(first));
}

// The variable a node stands for, if it is a name or an array element.
static Var *var_of(Node *n)
{
	if (n->kind == N_SYMBOL)
		return n->var;
	if (n->kind == N_INDEX && n->lhs->kind == N_SYMBOL)
		return n->lhs->var;
	return NULL;
}

// n must have type t.
static void require(Infer *I, Node *n, Type t)
{
	Type got = infer(I, n, t);
	if (!got || got == t || !I->report)
		return;
	Var *v = var_of(n);
	if (v && v->type_tok && v->type == got) {
		mismatch_var(I, n->tok, t, got, v->type_tok);
		return;
	}
	if (n->kind == N_CALL && n->func && n->func->type_tok && n->func->type == got) {
		mismatch_var(I, n->tok, t, got, n->func->type_tok);
		return;
	}
	Buf b = {0};
	token_describe(&b, n->tok);
	diag(DIAG_SEMANTIC, n->tok, "saw", "type mismatch: expected %s but found %s", type_name(t),
	     type_name(got));
	free(b.s);
}

// The value of a variable (or of an array element) is used as type t.
static Type var_value(Infer *I, Var *v, Node *at, Type want)
{
	if (!v)
		return T_UNKNOWN;
	if (want && want != T_VOID) {
		if (!v->type)
			learn(I, &v->type, &v->type_tok, want, at->tok);
	}
	return v->type;
}

static void keys(Infer *I, Var *v, Vec *args)
{
	if (!v)
		return;
	for (int i = 0; i < args->len && i < 9; i++) {
		Node *k = VEC_AT(args, i);
		if (!k)
			continue; // '*'
		Type t = infer(I, k, v->key_types[i]);
		if (t && !v->key_types[i]) {
			learn(I, &v->key_types[i], &v->key_tok[i], t, k->tok);
		} else if (t && t != v->key_types[i] && I->report) {
			diag(DIAG_SEMANTIC, k->tok, "saw", "type mismatch (%s) for index %d of '%s'",
			     type_name(t), i + 1, v->name);
			diag_note(DIAG_SEMANTIC, v->key_tok[i], "index type was first inferred here (%s)",
				  type_name(v->key_types[i]));
		}
	}
}

// A conversion of printf's format and the type it takes.
static Type conv_type(char conv)
{
	return conv == 's' ? T_STRING : T_LONG;
}

static void print_args(Infer *I, Node *n)
{
	if (n->print_format) {
		int a = 1;
		for (int i = 0; i < n->format.len; i++) {
			FormatSpec *f = VEC_AT(&n->format, i);
			if (f->kind != FMT_CONV || f->conv == '%')
				continue;
			if (f->width == -2 && a < n->args.len)
				require(I, VEC_AT(&n->args, a++), T_LONG);
			if (f->prec == -2 && a < n->args.len)
				require(I, VEC_AT(&n->args, a++), T_LONG);
			if (a < n->args.len)
				require(I, VEC_AT(&n->args, a++), conv_type(f->conv));
			else if (I->report) {
				diag(DIAG_SEMANTIC, n->tok, "saw", "not enough arguments for the format string");
				return;
			}
		}
		if (a < n->args.len && I->report)
			diag(DIAG_SEMANTIC, ((Node *)VEC_AT(&n->args, a))->tok, "saw",
			     "too many arguments for the format string");
		return;
	}
	int first = 0;
	if (n->print_delim) {
		require(I, VEC_AT(&n->args, 0), T_STRING);
		first = 1;
	}
	for (int i = first; i < n->args.len; i++) {
		Node *a = VEC_AT(&n->args, i);
		if (a->kind == N_HIST) {
			infer(I, a, T_UNKNOWN);
			continue;
		}
		Type t = infer(I, a, T_UNKNOWN);
		if (t == T_STATS && I->report)
			diag(DIAG_SEMANTIC, a->tok, "saw",
			     "a statistic cannot be printed: use @count, @sum, @avg ... or @hist_*");
	}
}

// A statistic keeps one histogram: @hist_log, or @hist_linear with one
// set of bounds.
static void one_histogram(Infer *I, Var *v, Node *h)
{
	Node *first = ptrmap_get(&I->hists, v);
	if (!first) {
		ptrmap_put(&I->hists, v, h);
		return;
	}
	bool same = first->op == h->op && first->args.len == h->args.len;
	for (int i = 0; same && i < h->args.len; i++) {
		Node *a = VEC_AT(&first->args, i), *b = VEC_AT(&h->args, i);
		same = a->kind == N_NUMBER && b->kind == N_NUMBER && a->num == b->num;
	}
	if (!same) {
		diag(DIAG_SEMANTIC, h->tok, "saw", "multiple histogram types declared on '%s'", v->name);
		diag_note(DIAG_SEMANTIC, first->tok, "first histogram declared here");
	}
}

// A statistic keeps one @variance shift: the first non-zero one (0, given
// or not, decides nothing until then), as in SystemTap.
static void one_shift(Infer *I, Var *v, Node *n)
{
	int64_t shift = n->args.len ? ((Node *)VEC_AT(&n->args, 0))->num : 0;
	int64_t first = (int64_t)(intptr_t)ptrmap_get(&I->shifts, v);
	if (!first)
		ptrmap_put(&I->shifts, v, (void *)(intptr_t)shift);
	else if (shift != first)
		diag(DIAG_SEMANTIC, n->tok, "saw", "conflicting bit shifts declared (previously %lld)",
		     (long long)first);
}

static Type infer(Infer *I, Node *n, Type want)
{
	if (!n)
		return T_UNKNOWN;
	Type t = T_UNKNOWN;
	switch (n->kind) {
	case N_NUMBER:
		t = T_LONG;
		break;
	case N_STRING:
		t = T_STRING;
		break;
	case N_EMBED_EXPR:
		t = strstr(n->code, "/* string */") ? T_STRING : T_LONG;
		break;
	case N_SYMBOL:
		t = var_value(I, n->var, n, want);
		break;
	case N_INDEX:
		if (n->lhs->kind == N_HIST) {
			infer(I, n->lhs, T_UNKNOWN);
			require(I, VEC_AT(&n->args, 0), T_LONG);
			t = T_LONG;
			break;
		}
		if (n->lhs->kind != N_SYMBOL) {
			infer(I, n->lhs, T_UNKNOWN);
			t = T_LONG;
			break;
		}
		keys(I, n->lhs->var, &n->args);
		t = var_value(I, n->lhs->var, n->lhs, want);
		break;
	case N_IN:
		if (n->lhs->kind == N_SYMBOL)
			keys(I, n->lhs->var, &n->args);
		else
			infer(I, n->lhs, T_UNKNOWN);
		t = T_LONG;
		break;
	case N_BINARY:
		require(I, n->lhs, T_LONG);
		require(I, n->rhs, T_LONG);
		t = T_LONG;
		break;
	case N_UNARY:
	case N_PRE_INC:
	case N_POST_INC:
		require(I, n->lhs, T_LONG);
		t = T_LONG;
		break;
	case N_LOGICAL:
		require(I, n->lhs, T_LONG);
		require(I, n->rhs, T_LONG);
		t = T_LONG;
		break;
	case N_COMPARE: {
		// the right operand first, as SystemTap (it decides which side a
		// mismatch blames)
		Type b = infer(I, n->rhs, T_UNKNOWN);
		Type a = infer(I, n->lhs, b);
		if (!b && a)
			b = infer(I, n->rhs, a);
		if (a && b && a != b)
			require(I, n->lhs, b);
		else if (a == T_STATS && I->report)
			diag(DIAG_SEMANTIC, n->lhs->tok, "saw", "a statistic cannot be compared");
		t = T_LONG;
		break;
	}
	case N_CONCAT:
		require(I, n->lhs, T_STRING);
		require(I, n->rhs, T_STRING);
		t = T_STRING;
		break;
	case N_REGEX:
		require(I, n->lhs, T_STRING);
		t = T_LONG;
		break;
	case N_TERNARY: {
		require(I, n->cond, T_LONG);
		Type a = infer(I, n->lhs, want);
		Type b = infer(I, n->rhs, a ? a : want);
		if (!a && b)
			a = infer(I, n->lhs, b);
		if (a && b && a != b)
			require(I, n->rhs, a);
		t = a ? a : b;
		break;
	}
	case N_ASSIGN: {
		const char *op = n->op;
		if (!strcmp(op, "=")) {
			Type a = infer(I, n->lhs, T_UNKNOWN);
			Type b = infer(I, n->rhs, a);
			if (!a && b)
				a = infer(I, n->lhs, b);
			if (a && b && a != b && I->report) {
				Var *v = var_of(n->lhs);
				if (v && v->type == a && v->type_tok)
					mismatch_var(I, n->lhs->tok, b, a, v->type_tok);
				else
					require(I, n->rhs, a);
			} else if (a == T_STATS && I->report)
				diag(DIAG_SEMANTIC, n->tok, "saw",
				     "a statistic can only be added to with '<<<'");
			t = a ? a : b;
		} else if (!strcmp(op, "<<<")) {
			Var *v = var_of(n->lhs);
			if (v && !v->type) {
				learn(I, &v->type, &v->type_tok, T_STATS, n->lhs->tok);
			}
			if (n->lhs->kind == N_INDEX)
				keys(I, v, &n->lhs->args);
			if (v && v->type != T_STATS && I->report)
				mismatch_var(I, n->lhs->tok, T_STATS, v->type, v->type_tok);
			require(I, n->rhs, T_LONG);
			t = T_LONG;
		} else if (!strcmp(op, ".=")) {
			require(I, n->lhs, T_STRING);
			require(I, n->rhs, T_STRING);
			t = T_STRING;
		} else {
			require(I, n->lhs, T_LONG);
			require(I, n->rhs, T_LONG);
			t = T_LONG;
		}
		break;
	}
	case N_CALL: {
		Func *f = n->func;
		if (!f)
			break;
		for (int i = 0; i < n->args.len && i < f->params.len; i++) {
			Var *p = VEC_AT(&f->params, i);
			Node *a = VEC_AT(&n->args, i);
			Type at = infer(I, a, p->type);
			if (at && !p->type)
				learn(I, &p->type, &p->type_tok, at, a->tok);
			else if (at && p->type && at != p->type)
				mismatch_var(I, a->tok, at, p->type, p->type_tok);
		}
		if (!f->type && want && want != T_VOID)
			learn(I, &f->type, &f->type_tok, want, n->tok);
		t = f->type == T_VOID ? T_UNKNOWN : f->type;
		break;
	}
	case N_PRINT:
		print_args(I, n);
		t = n->print_to_string ? T_STRING : T_UNKNOWN;
		break;
	case N_STAT:
		if (n->lhs->kind == N_INDEX && n->lhs->lhs->kind == N_SYMBOL)
			keys(I, n->lhs->lhs->var, &n->lhs->args);
		{
			Var *v = var_of(n->lhs);
			if (v && !v->type)
				learn(I, &v->type, &v->type_tok, T_STATS, n->lhs->tok);
			if (v && v->type != T_STATS && I->report)
				mismatch_var(I, n->lhs->tok, T_STATS, v->type, v->type_tok);
			else if (!v && I->report)
				diag(DIAG_SEMANTIC, n->lhs->tok, "saw", "%s needs a statistic", n->op);
			if (v && I->report && !strcmp(n->op, "@variance"))
				one_shift(I, v, n);
		}
		t = T_LONG;
		break;
	case N_HIST: {
		if (n->lhs->kind == N_INDEX && n->lhs->lhs->kind == N_SYMBOL)
			keys(I, n->lhs->lhs->var, &n->lhs->args);
		Var *v = var_of(n->lhs);
		if (v && !v->type)
			learn(I, &v->type, &v->type_tok, T_STATS, n->lhs->tok);
		if (v && v->type != T_STATS && I->report)
			mismatch_var(I, n->lhs->tok, T_STATS, v->type, v->type_tok);
		for (int i = 0; i < n->args.len; i++)
			require(I, VEC_AT(&n->args, i), T_LONG);
		if (v && I->report)
			one_histogram(I, v, n);
		t = T_UNKNOWN;
		break;
	}
	case N_CAST:
	case N_TARGET:
		// @cast's pointer is a number
		if (n->kind == N_CAST)
			require(I, n->lhs, T_LONG);
		// the provider (or BTF) says (quietly: what does not resolve is
		// reported after the optimizer, if it is still there)
		t = target_resolve(I->s, I->probe, n, TV_DEFINED);
		if (!t)
			t = T_LONG;
		for (int i = 0; i < n->nmembers; i++)
			if (n->members[i].index)
				infer(I, n->members[i].index, T_UNKNOWN);
		break;
	case N_ENTRY:
		t = infer(I, n->lhs, want);
		break;
	case N_DEFINED:
	case N_PROBEWRITE:
	case N_PERF:
	case N_ENUM:
		t = T_LONG;
		break;
	case N_REGISTER:
		require(I, n->lhs, T_LONG);
		t = T_LONG;
		break;
	case N_DEREF:
		for (int i = 0; i < n->args.len; i++)
			require(I, VEC_AT(&n->args, i), T_LONG);
		t = T_LONG;
		break;
	case N_ATVAR:
	case N_AUTOCAST:
		if (n->lhs)
			infer(I, n->lhs, T_UNKNOWN);
		t = T_LONG;
		break;

	// statements
	case N_BLOCK:
		for (int i = 0; i < n->list.len; i++)
			infer(I, VEC_AT(&n->list, i), T_UNKNOWN);
		break;
	case N_EXPR_STMT:
		infer(I, n->lhs, T_UNKNOWN);
		break;
	case N_IF:
		require(I, n->cond, T_LONG);
		infer(I, n->body, T_UNKNOWN);
		infer(I, n->els, T_UNKNOWN);
		break;
	case N_FOR:
		infer(I, n->init, T_UNKNOWN);
		if (n->cond)
			require(I, n->cond, T_LONG);
		infer(I, n->incr, T_UNKNOWN);
		infer(I, n->body, T_UNKNOWN);
		break;
	case N_FOREACH: {
		Node *base = n->lhs;
		if (base->kind == N_HIST) {
			infer(I, base, T_UNKNOWN);
			for (int i = 0; i < n->keys.len; i++)
				require(I, VEC_AT(&n->keys, i), T_LONG);
			if (n->value_var)
				require(I, n->value_var, T_LONG);
		} else {
			Var *v = base->var;
			if (v) {
				keys(I, v, &n->args);
				for (int i = 0; i < n->keys.len; i++) {
					Node *k = VEC_AT(&n->keys, i);
					Type kt = infer(I, k, v->key_types[i]);
					if (kt && !v->key_types[i])
						learn(I, &v->key_types[i], &v->key_tok[i], kt, k->tok);
					else if (kt && v->key_types[i] && kt != v->key_types[i])
						require(I, k, v->key_types[i]);
				}
				if (n->value_var) {
					Type vt = v->type == T_STATS ? T_UNKNOWN : v->type;
					Type got = infer(I, n->value_var, vt);
					if (got && !v->type)
						learn(I, &v->type, &v->type_tok, got, n->value_var->tok);
					if (v->type == T_STATS && I->report)
						diag(DIAG_SEMANTIC, n->value_var->tok, "saw",
						     "the value of a statistics array cannot be iterated; "
						     "use an aggregate such as @count(%s[...])", v->name);
				}
			}
		}
		if (n->limit)
			require(I, n->limit, T_LONG);
		infer(I, n->body, T_UNKNOWN);
		break;
	}
	case N_RETURN:
		if (I->func && n->lhs) {
			Func *f = I->func;
			Type rt = infer(I, n->lhs, f->type == T_VOID ? T_UNKNOWN : f->type);
			if (rt && !f->type)
				learn(I, &f->type, &f->type_tok, rt, n->lhs->tok);
			else if (rt && f->type && rt != f->type)
				mismatch_var(I, n->lhs->tok, rt, f->type, f->type_tok);
		} else if (I->func && I->report && I->func->type && I->func->type != T_VOID) {
			Func *f = I->func;
			diag(DIAG_SEMANTIC, n->tok, "saw", "'return' without a value in function '%s' returning %s",
			     f->name, type_name(f->type));
			if (f->type_tok)
				diag_note(DIAG_SEMANTIC, f->type_tok, "type was first inferred here (%s)",
					  type_name(f->type));
		}
		break;
	case N_DELETE:
		if (n->lhs->kind == N_INDEX && n->lhs->lhs->kind == N_SYMBOL)
			keys(I, n->lhs->lhs->var, &n->lhs->args);
		else if (n->lhs->kind != N_SYMBOL)
			infer(I, n->lhs, T_UNKNOWN);
		break;
	case N_TRY:
		infer(I, n->body, T_UNKNOWN);
		if (n->lhs)
			require(I, n->lhs, T_STRING);
		infer(I, n->els, T_UNKNOWN);
		break;
	default:
		break;
	}
	if (t)
		n->type = t;
	return t;
}

static void walk_all(Infer *I)
{
	Session *s = I->s;
	for (int i = 0; i < s->probes.len; i++) {
		Probe *p = VEC_AT(&s->probes, i);
		I->probe = p;
		I->func = NULL;
		// p->cond is only printed: its guard is in the body
		infer(I, p->body, T_UNKNOWN);
	}
	for (int i = 0; i < s->funcs.len; i++) {
		Func *f = VEC_AT(&s->funcs, i);
		I->probe = NULL;
		I->func = f;
		if (!f->decl->is_embedded)
			infer(I, f->decl->body, T_UNKNOWN);
	}
}

// Functions without a declared type that never return a value are void.
static void void_functions(Session *s)
{
	for (int i = 0; i < s->funcs.len; i++) {
		Func *f = VEC_AT(&s->funcs, i);
		if (!f->type && f->decl->is_embedded)
			f->type = T_VOID;
	}
}

// The overloads `next` walks through share their return and parameter types.
static void overloads_agree(Infer *I)
{
	Session *s = I->s;
	for (int i = 0; i < s->funcs.len; i++) {
		Func *f = VEC_AT(&s->funcs, i);
		for (Func *g = f->next_overload; g; g = g->next_overload) {
			if (f->type && f->type != T_VOID && !g->type)
				learn(I, &g->type, &g->type_tok, f->type, f->type_tok);
			if (g->type && g->type != T_VOID && !f->type)
				learn(I, &f->type, &f->type_tok, g->type, g->type_tok);
			for (int k = 0; k < f->params.len && k < g->params.len; k++) {
				Var *a = VEC_AT(&f->params, k), *b = VEC_AT(&g->params, k);
				if (a->type && !b->type)
					learn(I, &b->type, &b->type_tok, a->type, a->type_tok);
				if (b->type && !a->type)
					learn(I, &a->type, &a->type_tok, b->type, b->type_tok);
			}
		}
	}
}

int check_void_values(Session *s);

static void unresolved(Var *v, Token *at)
{
	diag(DIAG_SEMANTIC, at ? at : v->tok, "saw", "unresolved type ");
}

int types_infer(Session *s)
{
	int before = diag_semantic_errors;
	Infer I = {.s = s};
	for (int round = 0; round < 100; round++) {
		I.changed = false;
		walk_all(&I);
		overloads_agree(&I);
		if (!I.changed)
			break;
	}
	void_functions(s);
	// functions that never got a return type return nothing
	for (int i = 0; i < s->funcs.len; i++) {
		Func *f = VEC_AT(&s->funcs, i);
		if (!f->type)
			f->type = T_VOID;
	}
	I.report = true;
	walk_all(&I);
	free(I.hists.keys);
	free(I.hists.vals);
	free(I.shifts.keys);
	free(I.shifts.vals);
	if (diag_semantic_errors != before)
		return diag_semantic_errors - before;
	// a value of a void function leaves its user untyped: say why first
	if (check_void_values(s))
		return diag_semantic_errors - before;
	// what stayed unknown
	for (int i = 0; i < s->globals.len; i++) {
		Var *v = VEC_AT(&s->globals, i);
		if (v->read || v->written || v->key_tok[0]) {
			if (!v->type && v->key_tok[0])
				unresolved(v, v->key_tok[0]);
			for (int k = 0; k < v->arity && v->type; k++)
				if (!v->key_types[k]) {
					unresolved(v, v->key_tok[0]);
					break;
				}
		}
	}
	for (int i = 0; i < s->probes.len; i++) {
		Probe *p = VEC_AT(&s->probes, i);
		for (int k = 0; k < p->locals.len; k++) {
			Var *v = VEC_AT(&p->locals, k);
			if (!v->type)
				unresolved(v, v->tok);
		}
	}
	for (int i = 0; i < s->funcs.len; i++) {
		Func *f = VEC_AT(&s->funcs, i);
		for (int k = 0; k < f->params.len; k++) {
			Var *v = VEC_AT(&f->params, k);
			if (!v->type)
				unresolved(v, v->tok);
		}
		for (int k = 0; k < f->locals.len; k++) {
			Var *v = VEC_AT(&f->locals, k);
			if (!v->type)
				unresolved(v, v->tok);
		}
	}
	return diag_semantic_errors - before;
}
