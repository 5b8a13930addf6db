// dump2.c: the -p2 printer, in SystemTap's layout:
//
//   # globals                      name:type, arrays name[size]:type [keys]
//   # functions                    name:type (param:type, ...)
//   # probes                       point /* <- derivation chain */
//
// each function and probe followed by its "# locals"; -v adds the bodies.
#include "stap.h"

#include <stdlib.h>
#include <string.h>

extern bool dump_resolved;
void dump_stmt(Buf *b, Node *n);
const char *type_text(Type t);
bool opt_reduced(Session *s, Probe *p);

static void var_line(Buf *b, Var *v, const char *indent, bool verbose)
{
	buf_printf(b, "%s%s", indent, v->name);
	if (v->wrap)
		buf_putc(b, '%');
	if (v->arity > 0 && v->size)
		buf_printf(b, "[%lld]", (long long)v->size);
	buf_printf(b, ":%s", type_text(v->type));
	if (v->arity > 0) {
		buf_puts(b, " [");
		for (int i = 0; i < v->arity; i++)
			buf_printf(b, "%s%s", i ? ", " : "", type_text(v->key_types[i]));
		buf_putc(b, ']');
	}
	if (verbose && v->decl && v->decl->kind == N_GLOBAL && v->decl->gl_init) {
		buf_puts(b, " = ");
		dump_node(b, v->decl->gl_init);
	}
	buf_putc(b, '\n');
}

static void locals(Buf *b, Vec *v)
{
	if (!v->len)
		return;
	buf_puts(b, "  # locals\n");
	for (int i = 0; i < v->len; i++)
		var_line(b, VEC_AT(v, i), "  ", false);
}

// { body }.  SystemTap's optimizer reduces a body block to its single
// statement, or to ";" when empty; ours keeps the block (pass 3 wants
// one), so the printer shows the reduced form when the optimizer ran.
static void body(Buf *b, Node *n, bool reduced)
{
	buf_puts(b, "{ ");
	if (reduced && n->kind == N_BLOCK && n->list.len == 1)
		dump_stmt(b, VEC_AT(&n->list, 0));
	else if (reduced && n->kind == N_BLOCK && !n->list.len)
		buf_putc(b, ';');
	else
		dump_stmt(b, n);
	buf_puts(b, " }\n");
}

static int cmp_func(const void *a, const void *b)
{
	const Func *x = *(Func *const *)a, *y = *(Func *const *)b;
	// SystemTap's order is that of the C names: __global_NAME, then
	// __private_FILE_NAME
	if (x->decl->is_private != y->decl->is_private)
		return x->decl->is_private ? 1 : -1;
	if (x->decl->is_private && x->file != y->file)
		return x->file->index - y->file->index;
	int c = strcmp(x->name, y->name);
	if (c)
		return c;
	return x->overload - y->overload;
}

// SystemTap's name of a derived probe (-p2 and pp()): the point with its
// '?'/'!' and its condition, "timer.ms(20)? if ((__global_x) > (0))".
void probe_pp_text(Buf *b, Probe *p)
{
	bool saved = dump_resolved;
	dump_resolved = true;
	buf_puts(b, p->pp);
	if (p->cond) {
		buf_puts(b, " if (");
		dump_node(b, p->cond);
		buf_putc(b, ')');
	}
	dump_resolved = saved;
}

static void chain(Buf *b, Probe *p)
{
	buf_puts(b, " /* <- ");
	for (int i = p->chain_aliases.len - 1; i >= 0; i--) {
		Node *a = VEC_AT(&p->chain_aliases, i);
		for (int k = 0; k < a->names.len; k++) {
			if (k)
				buf_puts(b, " = ");
			point_print(b, VEC_AT(&a->names, k), true);
		}
		buf_puts(b, a->is_append ? " += " : " = ");
		for (int k = 0; k < a->points.len; k++) {
			if (k)
				buf_puts(b, ", ");
			point_print(b, VEC_AT(&a->points, k), true);
		}
		buf_puts(b, " <- ");
	}
	if (p->decl) {
		for (int k = 0; k < p->decl->points.len; k++) {
			Node *pt = VEC_AT(&p->decl->points, k);
			if (k)
				buf_putc(b, ',');
			// the condition prints resolved, from the probe's own copy
			// (not through aliases: there SystemTap shows it as written)
			Node *cond = pt->cond;
			if (cond && p->cond && !p->chain_aliases.len)
				pt->cond = p->cond;
			point_print(b, pt, true);
			pt->cond = cond;
		}
	} else {
		buf_puts(b, p->chain ? p->chain : p->pp);
	}
	buf_puts(b, " */\n");
}

void dump_pass2(FILE *out, Session *s)
{
	Buf b = {0};
	bool verbose = s->verbose > 0;
	dump_resolved = true;
	if (s->embeds.len) {
		buf_puts(&b, "# global embedded code\n");
		for (int i = 0; i < s->embeds.len; i++) {
			Node *e = VEC_AT(&s->embeds, i);
			buf_printf(&b, "%%{%s%%}\n", e->code);
		}
	}
	if (s->globals.len) {
		buf_puts(&b, "# globals\n");
		for (int i = 0; i < s->globals.len; i++)
			var_line(&b, VEC_AT(&s->globals, i), "", verbose);
	}
	Vec funcs = {0};
	for (int i = 0; i < s->funcs.len; i++) {
		Func *f = VEC_AT(&s->funcs, i);
		if (f->used)
			vec_push(&funcs, f);
	}
	if (funcs.len)
		qsort(funcs.items, funcs.len, sizeof(void *), cmp_func);
	if (funcs.len) {
		buf_puts(&b, "# functions\n");
		for (int i = 0; i < funcs.len; i++) {
			Func *f = VEC_AT(&funcs, i);
			buf_printf(&b, "%s:%s (", f->name, type_text(f->type));
			for (int k = 0; k < f->params.len; k++) {
				Var *p = VEC_AT(&f->params, k);
				buf_printf(&b, "%s%s:%s", k ? ", " : "", p->name, type_text(p->type));
			}
			buf_puts(&b, ")\n");
			locals(&b, &f->locals);
			if (verbose) {
				if (f->decl->is_embedded)
					buf_printf(&b, "{ %%{%s%%} }\n", f->decl->code);
				else
					body(&b, f->decl->body, !s->unoptimized);
			}
		}
	}
	bool any = false;
	for (int i = 0; i < s->probes.len; i++) {
		Probe *p = VEC_AT(&s->probes, i);
		if (p->elided)
			continue;
		if (!any)
			buf_puts(&b, "# probes\n");
		any = true;
		probe_pp_text(&b, p);
		if (p->note)
			buf_printf(&b, " /* %s*/", p->note);
		chain(&b, p);
		locals(&b, &p->locals);
		if (verbose)
			body(&b, p->body, opt_reduced(s, p));
	}
	dump_resolved = false;
	fputs(b.s ? b.s : "", out);
	free(b.s);
}
