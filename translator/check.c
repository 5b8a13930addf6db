// check.c: pass 2's semantic checks after types are known: lvalues,
// loops, arrays changed while iterated, statistics only in globals,
// values of void functions, target variables without debuginfo.
#include "stap.h"

#include <string.h>

typedef struct {
	Session *s;
	Probe *probe;
	Func *func;
	int loops;          // loop nesting (break/continue)
	Vec iterating;      // Var* of the arrays of enclosing foreach loops
	bool used_as_value; // the node's value is consumed
} Check;

static void check(Check *C, Node *n, bool value);

static bool is_lvalue(Node *n)
{
	switch (n->kind) {
	case N_SYMBOL:
		return true;
	case N_INDEX:
		return n->lhs->kind == N_SYMBOL;
	case N_TARGET:
	case N_CAST:
		return !n->addr_of; // the provider decides (target_report)
	default:
		return false;
	}
}

static Var *var_of(Node *n)
{
	if (n->kind == N_SYMBOL)
		return n->var;
	if (n->kind == N_INDEX && n->lhs->kind == N_SYMBOL)
		return n->lhs->var;
	return NULL;
}

// Writes to an array that an enclosing foreach iterates are refused.
static void modifies(Check *C, Node *target)
{
	Var *v = var_of(target);
	if (!v || v->scope != V_GLOBAL)
		return;
	v->written = true;
	for (int i = 0; i < C->iterating.len; i++)
		if (VEC_AT(&C->iterating, i) == v) {
			diag(DIAG_SEMANTIC, target->tok, "saw",
			     "variable '%s' modified during 'foreach' iteration", v->name);
			return;
		}
}

static void lvalue(Check *C, Node *n, Token *op)
{
	if (!is_lvalue(n)) {
		diag(DIAG_SEMANTIC, op, "saw", "Expecting lvalue for assignment");
		return;
	}
	if (n->kind == N_TARGET || n->kind == N_CAST) {
		check(C, n, true);
		return;
	}
	modifies(C, n);
	Var *v = var_of(n);
	if (v)
		v->written = true;
}

static void children(Check *C, Node *n);

static void check(Check *C, Node *n, bool value)
{
	if (!n)
		return;
	switch (n->kind) {
	case N_SYMBOL:
		if (n->var)
			n->var->read = true;
		if (n->var && n->var->arity > 0 && value)
			diag(DIAG_SEMANTIC, n->tok, "saw", "array '%s' used as a scalar", n->name);
		return;
	case N_ASSIGN:
		check(C, n->rhs, true);
		if (!strcmp(n->op, "<<<")) {
			Var *v = var_of(n->lhs);
			if (v && v->scope != V_GLOBAL)
				diag(DIAG_SEMANTIC, n->lhs->tok, "saw",
				     "stat locals not supported, missing global declaration? ");
			if (n->lhs->kind == N_INDEX)
				for (int i = 0; i < n->lhs->args.len; i++)
					check(C, VEC_AT(&n->lhs->args, i), true);
			modifies(C, n->lhs);
			if (v)
				v->written = true;
			return;
		}
		if (strcmp(n->op, "="))
			check(C, n->lhs, true);
		else if (n->lhs->kind == N_INDEX)
			for (int i = 0; i < n->lhs->args.len; i++)
				check(C, VEC_AT(&n->lhs->args, i), true);
		lvalue(C, n->lhs, n->tok);
		return;
	case N_PRE_INC:
	case N_POST_INC:
		check(C, n->lhs, true);
		lvalue(C, n->lhs, n->tok);
		return;
	case N_DELETE:
		if (n->lhs->kind == N_SYMBOL || n->lhs->kind == N_INDEX) {
			if (n->lhs->kind == N_INDEX)
				for (int i = 0; i < n->lhs->args.len; i++)
					check(C, VEC_AT(&n->lhs->args, i), true);
			modifies(C, n->lhs);
		} else {
			diag(DIAG_SEMANTIC, n->lhs->tok, "saw", "delete needs a variable or an array element");
		}
		return;
	case N_CALL:
		for (int i = 0; i < n->args.len; i++)
			check(C, VEC_AT(&n->args, i), true);
		if (value && n->func && n->func->type == T_VOID)
			diag(DIAG_SEMANTIC, n->tok, "saw", "function '%s' returns no value", n->name);
		return;
	case N_FOREACH: {
		Var *v = n->lhs->kind == N_SYMBOL ? n->lhs->var : NULL;
		if (n->lhs->kind == N_HIST)
			check(C, n->lhs, true);
		for (int i = 0; i < n->args.len; i++)
			check(C, VEC_AT(&n->args, i), true);
		if (v && n->keys.len != v->arity && v->arity > 0)
			diag(DIAG_SEMANTIC, n->tok, "saw", "foreach has %d key variables, array '%s' has %d keys",
			     n->keys.len, v->name, v->arity);
		for (int i = 0; i < n->keys.len; i++) {
			Var *k = ((Node *)VEC_AT(&n->keys, i))->var;
			if (k)
				k->written = true;
		}
		if (n->value_var && n->value_var->var)
			n->value_var->var->written = true;
		if (v)
			v->read = true;
		check(C, n->limit, true);
		if (v)
			vec_push(&C->iterating, v);
		C->loops++;
		check(C, n->body, false);
		C->loops--;
		if (v)
			C->iterating.len--;
		return;
	}
	case N_FOR:
		check(C, n->init, false);
		check(C, n->cond, true);
		check(C, n->incr, false);
		C->loops++;
		check(C, n->body, false);
		C->loops--;
		return;
	case N_INDEX:
	case N_IN:
	case N_STAT:
	case N_HIST:
		// the array (or statistic) itself is not a scalar value here
		if (n->lhs->kind == N_SYMBOL) {
			if (n->lhs->var)
				n->lhs->var->read = true;
		} else {
			check(C, n->lhs, true);
		}
		for (int i = 0; i < n->args.len; i++)
			check(C, VEC_AT(&n->args, i), true);
		return;
	case N_DEFINED:
		// decided before the checks (opt.c, fold_defined)
		return;
	case N_BREAK:
	case N_CONTINUE:
		if (!C->loops)
			diag(DIAG_SEMANTIC, n->tok, "saw", "'%s' outside of a loop", n->kind == N_BREAK ? "break" : "continue");
		return;
	case N_NEXT:
		if (C->func && !C->func->next_overload) {
			// SystemTap: next in a function with no further overload
			// ends the probe handler (documented behaviour)
		}
		return;
	case N_EXPR_STMT:
		check(C, n->lhs, false);
		return;
	case N_TRY:
		check(C, n->body, false);
		if (n->lhs && n->lhs->var)
			n->lhs->var->written = true;
		check(C, n->els, false);
		return;
	case N_RETURN:
		check(C, n->lhs, true);
		return;
	case N_TARGET:
		// resolved by the provider (target_report)
		for (int i = 0; i < n->nmembers; i++)
			check(C, n->members[i].index, true);
		return;
	case N_CAST:
		// typed by BTF (target_report)
		check(C, n->lhs, true);
		for (int i = 0; i < n->nmembers; i++)
			check(C, n->members[i].index, true);
		return;
	case N_ATVAR:
	case N_AUTOCAST:
		diag(DIAG_SEMANTIC, n->tok, "saw",
		     "type information for %s is not available yet (no debuginfo or BTF support)",
		     n->kind == N_ATVAR ? "@var" : "'->'");
		return;
	case N_PRINT: {
		// the runtime's formatter takes at most 32 values (SystemTap
		// says so in pass 3)
		int values = n->args.len - (n->print_format || n->print_delim);
		if (values > 32)
			diag(DIAG_SEMANTIC, n->tok, "saw", "too many arguments to print (%d)", values);
		children(C, n);
		return;
	}
	case N_ENTRY:
		// @entry(expr): the value expr had when the function was entered
		if (!probe_is_return(C->probe))
			diag(DIAG_SEMANTIC, n->tok, "saw", "@entry is only valid in .return probes");
		check(C, n->lhs, true);
		return;
	case N_PERF:
		diag(DIAG_SEMANTIC, n->tok, "saw", "@perf is not supported yet");
		return;
	default:
		children(C, n);
	}
}

static void child(Node *c, void *arg)
{
	Check *C = arg;
	bool stmt = c->kind == N_BLOCK || c->kind == N_IF || c->kind == N_FOR || c->kind == N_FOREACH ||
		    c->kind == N_EXPR_STMT || c->kind == N_NULL || c->kind == N_RETURN || c->kind == N_DELETE ||
		    c->kind == N_NEXT || c->kind == N_BREAK || c->kind == N_CONTINUE || c->kind == N_TRY;
	check(C, c, !stmt);
}

static void children(Check *C, Node *n)
{
	if (n->kind == N_IF) {
		check(C, n->cond, true);
		check(C, n->body, false);
		check(C, n->els, false);
		return;
	}
	node_children(n, child, C);
}

int check_program(Session *s)
{
	int before = diag_semantic_errors;
	Check C = {.s = s};
	for (int i = 0; i < s->probes.len; i++) {
		Probe *p = VEC_AT(&s->probes, i);
		C.probe = p;
		C.func = NULL;
		check(&C, p->body, false); // with the guard of p->cond
	}
	for (int i = 0; i < s->funcs.len; i++) {
		Func *f = VEC_AT(&s->funcs, i);
		C.probe = NULL;
		C.func = f;
		if (!f->decl->is_embedded)
			check(&C, f->decl->body, false);
	}
	return diag_semantic_errors - before;
}

//
// Values of void functions (run by types.c before it reports what stayed
// untyped: such a value is the reason)
//

static int void_walk(Node *n, bool value);

typedef struct {
	int errors;
} VoidWalk;

static void void_child(Node *c, void *arg)
{
	VoidWalk *w = arg;
	bool stmt = c->kind == N_BLOCK || c->kind == N_IF || c->kind == N_FOR || c->kind == N_FOREACH ||
		    c->kind == N_EXPR_STMT || c->kind == N_NULL || c->kind == N_RETURN || c->kind == N_DELETE ||
		    c->kind == N_NEXT || c->kind == N_BREAK || c->kind == N_CONTINUE || c->kind == N_TRY;
	w->errors += void_walk(c, !stmt);
}

static int void_walk(Node *n, bool value)
{
	if (!n)
		return 0;
	VoidWalk w = {0};
	switch (n->kind) {
	case N_CALL:
		if (value && n->func && n->func->type == T_VOID) {
			diag(DIAG_SEMANTIC, n->tok, "saw", "function '%s' returns no value", n->name);
			w.errors++;
		}
		break;
	case N_EXPR_STMT:
		return void_walk(n->lhs, false);
	case N_FOR:
		w.errors += void_walk(n->init, false);
		w.errors += void_walk(n->cond, true);
		w.errors += void_walk(n->incr, false);
		return w.errors + void_walk(n->body, false);
	default:
		break;
	}
	node_children(n, void_child, &w);
	return w.errors;
}

int check_void_values(Session *s)
{
	int errors = 0;
	for (int i = 0; i < s->probes.len; i++) {
		Probe *p = VEC_AT(&s->probes, i);
		errors += void_walk(p->body, false);
	}
	for (int i = 0; i < s->funcs.len; i++) {
		Func *f = VEC_AT(&s->funcs, i);
		if (!f->decl->is_embedded)
			errors += void_walk(f->decl->body, false);
	}
	return errors;
}
