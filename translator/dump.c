// dump.c: the -p1 printer, in SystemTap's layout.
//
// Every expression is fully parenthesized ("(a) + (b)"), statements inside
// a block end with ";\n", and a file prints its embedded code, globals,
// aliases, probes and functions in that order.  The output parses again.
#include "stap.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static void stmt(Buf *b, Node *n);

// After pass 2, names print as SystemTap prints resolved ones:
// __global_NAME for globals, __global_NAME__overload_N for functions.
bool dump_resolved;

// A string literal's escaped form, with the quote escaped for printing.
static void quoted(Buf *b, const char *s, size_t len)
{
	buf_putc(b, '"');
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '"')
			buf_putc(b, '\\');
		buf_putc(b, s[i]);
	}
	buf_putc(b, '"');
}

static void paren(Buf *b, Node *n)
{
	buf_putc(b, '(');
	dump_node(b, n);
	buf_putc(b, ')');
}

static void list(Buf *b, Vec *v)
{
	for (int i = 0; i < v->len; i++) {
		if (i)
			buf_puts(b, ", ");
		Node *a = VEC_AT(v, i);
		if (a)
			dump_node(b, a);
		else
			buf_putc(b, '*');
	}
}

static void members(Buf *b, Node *n)
{
	for (int i = 0; i < n->nmembers; i++) {
		Member *m = &n->members[i];
		switch (m->kind) {
		case M_FIELD:
			buf_printf(b, "->%s", m->name);
			break;
		case M_INDEX:
			buf_putc(b, '[');
			dump_node(b, m->index);
			buf_putc(b, ']');
			break;
		case M_PRETTY:
			buf_puts(b, "->$");
			break;
		case M_PRETTY2: // "$$$"... keep their text in name
			buf_printf(b, "->%s", m->name ? m->name : "$$");
			break;
		}
	}
}

// A printf format prints as written, with its backslashes and quotes
// escaped once more, as SystemTap prints it.
static void format_string(Buf *b, Node *fmt)
{
	buf_putc(b, '"');
	for (size_t i = 0; i < fmt->len; i++) {
		if (fmt->str[i] == '\\' || fmt->str[i] == '"')
			buf_putc(b, '\\');
		buf_putc(b, fmt->str[i]);
	}
	buf_putc(b, '"');
}

void dump_node(Buf *b, Node *n)
{
	switch (n->kind) {
	case N_NUMBER:
		buf_printf(b, "%" PRId64, n->num);
		break;
	case N_STRING:
		quoted(b, n->str, n->len);
		break;
	case N_SYMBOL:
		if (dump_resolved && n->var && n->var->scope == V_GLOBAL)
			buf_printf(b, "__global_%s", n->name);
		else
			buf_puts(b, n->name);
		break;
	case N_BINARY:
	case N_LOGICAL:
	case N_COMPARE:
	case N_CONCAT:
	case N_ASSIGN:
		paren(b, n->lhs);
		buf_printf(b, " %s ", n->op);
		paren(b, n->rhs);
		break;
	case N_UNARY:
	case N_PRE_INC:
		buf_puts(b, n->op);
		paren(b, n->lhs);
		break;
	case N_POST_INC:
		paren(b, n->lhs);
		buf_puts(b, n->op);
		break;
	case N_REGEX:
		paren(b, n->lhs);
		buf_printf(b, " %s ", n->op);
		quoted(b, n->str, n->len);
		break;
	case N_TERNARY:
		paren(b, n->cond);
		buf_putc(b, '?');
		paren(b, n->lhs);
		buf_putc(b, ':');
		paren(b, n->rhs);
		break;
	case N_IN:
		buf_putc(b, '[');
		list(b, &n->args);
		buf_puts(b, "] in ");
		dump_node(b, n->lhs);
		break;
	case N_INDEX:
		dump_node(b, n->lhs);
		buf_putc(b, '[');
		list(b, &n->args);
		buf_putc(b, ']');
		break;
	case N_CALL:
		if (dump_resolved && n->func)
			buf_printf(b, "__global_%s__overload_%d(", n->name, n->func->overload);
		else
			buf_printf(b, "%s(", n->name);
		list(b, &n->args);
		buf_putc(b, ')');
		break;
	case N_PRINT:
		buf_printf(b, "%s(", n->name);
		if (n->print_format) {
			format_string(b, VEC_AT(&n->args, 0));
			for (int i = 1; i < n->args.len; i++) {
				buf_puts(b, ", ");
				dump_node(b, VEC_AT(&n->args, i));
			}
		} else {
			list(b, &n->args);
		}
		buf_putc(b, ')');
		break;
	case N_STAT:
	case N_HIST:
		buf_printf(b, "%s(", n->op);
		dump_node(b, n->lhs);
		for (int i = 0; i < n->args.len; i++) {
			buf_puts(b, ", ");
			dump_node(b, VEC_AT(&n->args, i));
		}
		buf_putc(b, ')');
		break;
	case N_TARGET:
		if (n->addr_of)
			buf_putc(b, '&');
		buf_puts(b, n->name);
		members(b, n);
		break;
	case N_CAST:
		if (n->addr_of)
			buf_putc(b, '&');
		buf_puts(b, "@cast(");
		dump_node(b, n->lhs);
		buf_puts(b, ", ");
		quoted(b, n->str, strlen(n->str));
		if (n->module) {
			buf_puts(b, ", ");
			quoted(b, n->module, strlen(n->module));
		}
		buf_putc(b, ')');
		members(b, n);
		break;
	case N_ATVAR:
		if (n->addr_of)
			buf_putc(b, '&');
		buf_puts(b, "@var(");
		quoted(b, n->str, strlen(n->str));
		if (n->module) {
			buf_puts(b, ", ");
			quoted(b, n->module, strlen(n->module));
		}
		buf_putc(b, ')');
		members(b, n);
		break;
	case N_AUTOCAST:
		if (n->addr_of)
			buf_putc(b, '&');
		paren(b, n->lhs);
		members(b, n);
		break;
	case N_ENTRY:
		buf_puts(b, "@entry(");
		dump_node(b, n->lhs);
		buf_putc(b, ')');
		break;
	case N_DEFINED:
		buf_puts(b, "@defined(");
		dump_node(b, n->lhs);
		buf_putc(b, ')');
		break;
	case N_PROBEWRITE:
		buf_puts(b, "@probewrite(");
		dump_node(b, n->lhs);
		buf_putc(b, ')');
		break;
	case N_PERF:
		buf_puts(b, "@perf(");
		quoted(b, n->str, strlen(n->str));
		buf_putc(b, ')');
		break;
	case N_REGISTER:
		buf_printf(b, "%s(", n->op);
		dump_node(b, n->lhs);
		buf_putc(b, ')');
		break;
	case N_DEREF:
		buf_printf(b, "%s(", n->op);
		list(b, &n->args);
		buf_putc(b, ')');
		break;
	case N_ENUM:
		buf_puts(b, "@enum(");
		quoted(b, n->str, strlen(n->str));
		if (n->module) {
			buf_puts(b, ", ");
			quoted(b, n->module, strlen(n->module));
		}
		buf_putc(b, ')');
		break;
	case N_EMBED_EXPR:
		buf_printf(b, "%%{ %s %%}", n->code);
		break;
	default:
		stmt(b, n);
	}
}

static void block_body(Buf *b, Node *n)
{
	buf_puts(b, "{\n");
	for (int i = 0; i < n->list.len; i++) {
		stmt(b, VEC_AT(&n->list, i));
		buf_puts(b, ";\n");
	}
	buf_putc(b, '}');
}

static void foreach_stmt(Buf *b, Node *n)
{
	buf_puts(b, "foreach (");
	if (n->value_var)
		buf_printf(b, "%s = ", n->value_var->name);
	buf_putc(b, '[');
	for (int i = 0; i < n->keys.len; i++) {
		Node *k = VEC_AT(&n->keys, i);
		if (i)
			buf_puts(b, ", ");
		buf_puts(b, k->name);
		if (n->sort.sort_col == i + 1)
			buf_putc(b, n->sort.sort_dir > 0 ? '+' : '-');
	}
	buf_puts(b, "] in ");
	dump_node(b, n->lhs);
	if (n->args.len) {
		buf_putc(b, '[');
		list(b, &n->args);
		buf_putc(b, ']');
	}
	if (n->sort.sort_col == -1) {
		if (n->sort.sort_agg)
			buf_printf(b, " %s", n->sort.sort_agg);
		buf_putc(b, n->sort.sort_dir > 0 ? '+' : '-');
	}
	if (n->limit) {
		buf_puts(b, " limit ");
		dump_node(b, n->limit);
	}
	buf_puts(b, ") ");
	stmt(b, n->body);
}

static void stmt(Buf *b, Node *n)
{
	switch (n->kind) {
	case N_BLOCK:
		block_body(b, n);
		break;
	case N_NULL:
		buf_putc(b, ';');
		break;
	case N_EXPR_STMT:
		dump_node(b, n->lhs);
		break;
	case N_EMBED_STMT:
		buf_printf(b, "%%{%s%%}", n->code);
		break;
	case N_IF:
		buf_puts(b, "if (");
		dump_node(b, n->cond);
		buf_puts(b, ") ");
		stmt(b, n->body);
		buf_putc(b, '\n');
		if (n->els) {
			buf_puts(b, "else ");
			stmt(b, n->els);
			buf_putc(b, '\n');
		}
		break;
	case N_FOR:
		buf_puts(b, "for (");
		if (n->init)
			dump_node(b, n->init);
		buf_puts(b, "; ");
		if (n->cond)
			dump_node(b, n->cond);
		else
			buf_putc(b, '1');
		buf_puts(b, "; ");
		if (n->incr)
			dump_node(b, n->incr);
		buf_puts(b, ") ");
		stmt(b, n->body);
		break;
	case N_FOREACH:
		foreach_stmt(b, n);
		break;
	case N_RETURN:
		buf_puts(b, "return");
		if (n->lhs) {
			buf_putc(b, ' ');
			dump_node(b, n->lhs);
		}
		break;
	case N_DELETE:
		buf_puts(b, "delete ");
		dump_node(b, n->lhs);
		break;
	case N_NEXT:
		buf_puts(b, "next");
		break;
	case N_BREAK:
		buf_puts(b, "break");
		break;
	case N_CONTINUE:
		buf_puts(b, "continue");
		break;
	case N_TRY:
		buf_puts(b, "try {\n");
		stmt(b, n->body);
		buf_puts(b, "\n} catch");
		if (n->lhs)
			buf_printf(b, " (%s)", n->lhs->name);
		buf_puts(b, " {\n");
		stmt(b, n->els);
		buf_puts(b, "\n}\n");
		break;
	default:
		dump_node(b, n);
	}
}

static void point(Buf *b, Node *p)
{
	for (int i = 0; i < p->components.len; i++) {
		Node *c = VEC_AT(&p->components, i);
		if (i)
			buf_putc(b, '.');
		buf_puts(b, c->name);
		if (c->arg) {
			buf_putc(b, '(');
			dump_node(b, c->arg);
			buf_putc(b, ')');
		}
	}
	if (p->sufficient)
		buf_putc(b, '!');
	else if (p->optional)
		buf_putc(b, '?');
	if (p->cond) {
		buf_puts(b, " if (");
		dump_node(b, p->cond);
		buf_putc(b, ')');
	}
}

static void points(Buf *b, Vec *v, const char *sep)
{
	for (int i = 0; i < v->len; i++) {
		if (i)
			buf_puts(b, sep);
		point(b, VEC_AT(v, i));
	}
}

static void decl(Buf *b, Node *n)
{
	switch (n->kind) {
	case N_EMBED:
		buf_printf(b, "%%{%s%%}", n->code);
		break;
	case N_GLOBAL:
		buf_printf(b, "global %s", n->name);
		if (n->wrap)
			buf_putc(b, '%');
		if (n->size)
			buf_printf(b, "[%" PRId64 "]", n->size);
		if (n->gl_init) {
			buf_puts(b, " = ");
			dump_node(b, n->gl_init);
		}
		buf_putc(b, '\n');
		break;
	case N_ALIAS:
		// several names: "probe a = b += c" (the last operator tells
		// whether it is an epilogue alias)
		buf_puts(b, "probe ");
		points(b, &n->names, " = ");
		buf_puts(b, n->is_append ? " += " : " = ");
		points(b, &n->points, ", ");
		block_body(b, n->body);
		buf_putc(b, '\n');
		break;
	case N_PROBE:
		buf_puts(b, "probe ");
		points(b, &n->points, ",");
		block_body(b, n->body);
		buf_putc(b, '\n');
		break;
	case N_FUNCTION:
		buf_printf(b, "function %s (", n->name);
		for (int i = 0; i < n->params.len; i++) {
			Node *p = VEC_AT(&n->params, i);
			buf_printf(b, "%s%s", i ? ", " : "", p->name);
		}
		buf_puts(b, ")\n");
		if (n->is_embedded)
			buf_printf(b, "%%{%s%%}", n->code);
		else
			block_body(b, n->body);
		buf_putc(b, '\n');
		break;
	default:
		break;
	}
}

void dump_stmt(Buf *b, Node *n)
{
	stmt(b, n);
}

void dump_file(FILE *out, Node *file)
{
	static const NodeKind order[] = {N_EMBED, N_GLOBAL, N_ALIAS, N_PROBE, N_FUNCTION};
	Buf b = {0};
	buf_printf(&b, "# file %s\n", file->file->name);
	for (size_t k = 0; k < ARRAY_SIZE(order); k++) {
		for (int i = 0; i < file->list.len; i++) {
			Node *n = VEC_AT(&file->list, i);
			if (n->kind == order[k])
				decl(&b, n);
		}
	}
	fputs(b.s, out);
	free(b.s);
}
