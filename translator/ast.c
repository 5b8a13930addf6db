// ast.c: making, copying and walking AST nodes.
#include "stap.h"

#include <string.h>

Node *node_new(NodeKind kind, Token *tok)
{
	Node *n = NEW(Node);
	n->kind = kind;
	n->tok = tok;
	return n;
}

static void copy_vec(Vec *v)
{
	Vec old = *v;
	memset(v, 0, sizeof(*v));
	for (int i = 0; i < old.len; i++)
		vec_push(v, node_copy(VEC_AT(&old, i)));
}

// A deep copy: each derived probe gets its own body, so resolution and
// types can differ between probes made from one declaration.
Node *node_copy(Node *n)
{
	if (!n)
		return NULL;
	Node *c = NEW(Node);
	*c = *n;
	c->lhs = node_copy(n->lhs);
	c->rhs = node_copy(n->rhs);
	c->cond = node_copy(n->cond);
	c->body = node_copy(n->body);
	c->els = node_copy(n->els);
	copy_vec(&c->list);
	copy_vec(&c->args);
	switch (n->kind) {
	case N_FOREACH:
		c->value_var = node_copy(n->value_var);
		copy_vec(&c->keys);
		c->limit = node_copy(n->limit);
		break;
	case N_FOR:
		c->init = node_copy(n->init);
		c->incr = node_copy(n->incr);
		break;
	case N_TARGET:
	case N_CAST:
	case N_ATVAR:
	case N_AUTOCAST:
		c->target = NULL;
		c->tstate = 0;
		if (n->nmembers) {
			c->members = arena_alloc(sizeof(Member) * n->nmembers);
			for (int i = 0; i < n->nmembers; i++) {
				c->members[i] = n->members[i];
				c->members[i].index = node_copy(n->members[i].index);
			}
		}
		break;
	case N_SYMBOL:
	case N_CALL:
		c->var = NULL;
		c->func = NULL;
		break;
	default:
		break;
	}
	return c;
}

// Calls fn on every direct child node (expressions and statements).
void node_children(Node *n, void (*fn)(Node *child, void *arg), void *arg)
{
#define VISIT(x)                      \
	do {                          \
		if (x)                \
			fn(x, arg);   \
	} while (0)
	VISIT(n->lhs);
	VISIT(n->rhs);
	VISIT(n->cond);
	VISIT(n->body);
	VISIT(n->els);
	for (int i = 0; i < n->list.len; i++)
		VISIT((Node *)VEC_AT(&n->list, i));
	for (int i = 0; i < n->args.len; i++)
		VISIT((Node *)VEC_AT(&n->args, i));
	switch (n->kind) {
	case N_FOREACH:
		VISIT(n->value_var);
		for (int i = 0; i < n->keys.len; i++)
			VISIT((Node *)VEC_AT(&n->keys, i));
		VISIT(n->limit);
		break;
	case N_FOR:
		VISIT(n->init);
		VISIT(n->incr);
		break;
	case N_TARGET:
	case N_CAST:
	case N_ATVAR:
	case N_AUTOCAST:
		for (int i = 0; i < n->nmembers; i++)
			VISIT(n->members[i].index);
		break;
	default:
		break;
	}
#undef VISIT
}
