// translate_code.c: pass 3 for expressions and statements (the rest is
// in translate.c; shared names in translate.h).
//
// An expression becomes a C expression; what must run first (calls, map
// reads, string operations, anything that can fail) is written before it
// into temporaries.  Operands are evaluated left to right, as SystemTap
// does; statements are counted against MAXACTION where SystemTap counts
// them; errors name the tokens SystemTap names.
#include "translate.h"
#include "probes/btfvar.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

//
// Expressions
//

char *tr_number(int64_t v)
{
	if (v == INT64_MIN)
		return "(-9223372036854775807LL - 1)";
	return tr_fmt("%" PRId64 "LL", v);
}

static char *string_literal(Node *n)
{
	return tr_lit_escaped(n->str, n->len, NULL);
}

static bool side_effects(Node *n);

static void side_effects_child(Node *c, void *arg)
{
	*(bool *)arg |= side_effects(c);
}

// Does evaluating n change anything another operand could see?
static bool side_effects(Node *n)
{
	if (!n)
		return false;
	switch (n->kind) {
	case N_ASSIGN:
	case N_PRE_INC:
	case N_POST_INC:
	case N_CALL:
	case N_REGEX:
	case N_EMBED_EXPR:
		return true;
	case N_PRINT:
		if (!n->print_to_string)
			return true;
		break;
	default:
		break;
	}
	bool r = false;
	node_children(n, side_effects_child, &r);
	return r;
}

// The value of operand i of a list, kept in a temporary when a later
// operand could change it (operands are evaluated left to right).
static char *operand(Gen *G, Vec *list, int i)
{
	Node *a = VEC_AT(list, i);
	char *e = tr_expr(G, a);
	if (a->kind == N_NUMBER || a->kind == N_STRING)
		return e;
	bool later = false;
	for (int k = i + 1; k < list->len; k++)
		later |= side_effects(VEC_AT(list, k));
	if (!later || !strncmp(e, "l->t", 4))
		return e;
	char *t = tr_tmp(G, a->type);
	if (a->type == T_STRING)
		tr_line(G, "stp_str_copy(%s, %s);", t, e);
	else
		tr_line(G, "%s = %s;", t, e);
	return t;
}

// Evaluate the keys (NULL entries are '*' in slices) into a key array;
// *wild gets the slice mask.  A key's value stays put until the access is
// done: tr_expr() gives stable storage (temporaries, variables, literals).
static char *keys(Gen *G, Vec *args, unsigned *wild)
{
	char **vals = arena_alloc(sizeof(char *) * (args->len + 1));
	unsigned w = 0;
	for (int i = 0; i < args->len; i++) {
		if (!VEC_AT(args, i))
			w |= 1u << i;
		else
			vals[i] = operand(G, args, i);
	}
	char *arr = tr_slot(G, "union stp_key", tr_fmt("[%d]", args->len ? args->len : 1));
	for (int i = 0; i < args->len; i++) {
		Node *k = VEC_AT(args, i);
		if (k)
			tr_line(G, "%s[%d].%c = %s;", arr, i, k->type == T_STRING ? 's' : 'n', vals[i]);
	}
	if (wild)
		*wild = w;
	return arr;
}

// The aggregated data of a statistic (scalar or element) into a temporary.
static char *stat_data(Gen *G, Node *of, const char **hist)
{
	Var *v = tr_array_of(of);
	char *d = tr_slot(G, "struct stp_stat_data *", NULL);
	if (of->kind == N_SYMBOL) {
		tr_line(G, "%s = stp_stat_get(&%s);", d, tr_global(v));
		if (hist)
			*hist = tr_fmt("&%s.hist", tr_global(v));
	} else {
		char *k = keys(G, &of->args, NULL);
		tr_line(G, "%s = stp_pmap_get(&%s, %s);", d, tr_global(v), k);
		if (hist)
			*hist = tr_fmt("&%s_desc.hist", tr_global(v));
	}
	return d;
}

// The key of an element of a map of longs with one long key, as a C
// expression for the runtime's *_l1 calls (no key array); NULL for any
// other element.  later: what is evaluated after the key, before the access.
static char *l1_key(Gen *G, Node *ix, Node *later)
{
	Var *g = ix->lhs->var;
	if (ix->lhs->kind != N_SYMBOL || !g || g->type != T_LONG || ix->args.len != 1)
		return NULL;
	Node *k = VEC_AT(&ix->args, 0);
	if (!k || k->type != T_LONG)
		return NULL;
	char *e = tr_expr(G, k);
	if (later && side_effects(later) && k->kind != N_NUMBER && strncmp(e, "l->t", 4)) {
		char *t = tr_tmp(G, T_LONG);
		tr_line(G, "%s = %s;", t, e);
		e = t;
	}
	return e;
}

static char *index_read(Gen *G, Node *n)
{
	Node *base = n->lhs;
	if (base->kind == N_HIST) {
		// @hist_log(s)[i]: a bucket count
		const char *hist;
		char *d = stat_data(G, base->lhs, &hist);
		char *i = tr_expr(G, VEC_AT(&n->args, 0));
		char *msg = tr_slot(G, "const char *", NULL);
		char *t = tr_tmp(G, T_LONG);
		tr_line(G, "if (stp_sd_bucket(%s, %s, %s, &%s, &%s)) {", d, hist, i, t, msg);
		tr_line(G, "\tstp_error_str(c, %s, %s);", tr_where(n->tok), msg);
		tr_line(G, "\tgoto %s;", G->fail);
		tr_line(G, "}");
		return t;
	}
	Var *v = base->var;
	char *k1 = l1_key(G, n, NULL);
	if (k1) {
		char *t = tr_tmp(G, T_LONG);
		tr_line(G, "%s = stp_map_get_l1(&%s, %s);", t, tr_global(v), k1);
		return t;
	}
	char *k = keys(G, &n->args, NULL);
	char *t = tr_tmp(G, v->type);
	if (v->type == T_STRING)
		tr_line(G, "stp_str_copy(%s, stp_map_get_str(&%s, %s));", t, tr_global(v), k);
	else
		tr_line(G, "%s = stp_map_get_long(&%s, %s);", t, tr_global(v), k);
	return t;
}

// Store a value (a C expression of the element's type) into an element.
static void index_store(Gen *G, Node *ix, char *val, char *k)
{
	Var *v = ix->lhs->var;
	tr_line(G, "if (stp_map_set_%s(&%s, %s, %s)) {", v->type == T_STRING ? "str" : "long",
	     tr_global(v), k, val);
	tr_raise_at(G, ix->tok, tr_overflow_msg(v));
	tr_line(G, "}");
}

// Arithmetic with SystemTap's semantics (wrapping, shifts modulo 64,
// division by 0 an error at `t`).
static char *arith(Gen *G, const char *op, char *a, char *b, Token *t)
{
	if (!strcmp(op, "/") || !strcmp(op, "%")) {
		char *r = tr_tmp(G, T_LONG);
		tr_line(G, "%s = %s(c, %s, %s, %s);", r, op[0] == '/' ? "stp_div" : "stp_mod", a, b, tr_where(t));
		tr_fail_if_error(G);
		return r;
	}
	if (!strcmp(op, "<<"))
		return tr_fmt("stp_shl(%s, %s)", a, b);
	if (!strcmp(op, ">>"))
		return tr_fmt("stp_shr(%s, %s)", a, b);
	if (!strcmp(op, ">>>"))
		return tr_fmt("stp_lshr(%s, %s)", a, b);
	if (!strcmp(op, "+") || !strcmp(op, "-") || !strcmp(op, "*"))
		return tr_fmt("((s64)((u64)(%s) %s (u64)(%s)))", a, op, b);
	return tr_fmt("((%s) %s (%s))", a, op, b);
}

static bool has_next(Node *n);

static void has_next_child(Node *c, void *arg)
{
	*(bool *)arg |= has_next(c);
}

// Does the body of f contain `next` (it may ask for the next overload)?
static bool has_next(Node *n)
{
	if (!n)
		return false;
	if (n->kind == N_NEXT)
		return true;
	bool r = false;
	node_children(n, has_next_child, &r);
	return r;
}

bool tr_has_next(Func *f)
{
	return !f->decl->is_embedded && has_next(f->decl->body);
}

// A function call: arguments first, left to right, into temporaries (they
// may call too); then each overload in turn, in a frame one deeper, until
// one does not ask for the next with `next`.
static char *call(Gen *G, Node *n)
{
	Func *f = n->func;
	char **args = arena_alloc(sizeof(char *) * (n->args.len + 1));
	for (int i = 0; i < n->args.len; i++) {
		Node *a = VEC_AT(&n->args, i);
		char *e = tr_expr(G, a);
		// a local string can be read in place; anything else could change
		// before the callee sees it
		if (a->kind != N_NUMBER && a->kind != N_STRING && strncmp(e, "l->", 3)) {
			char *t = tr_tmp(G, a->type);
			if (a->type == T_STRING)
				tr_line(G, "stp_str_copy(%s, %s);", t, e);
			else
				tr_line(G, "%s = %s;", t, e);
			e = t;
		}
		args[i] = e;
	}
	char *r = f->type == T_STRING || f->type == T_LONG ? tr_tmp(G, f->type) : NULL;
	const char *end = f->next_overload ? tr_label(G, "fc_end") : NULL;
	Func *last = f;
	for (Func *g = f; g; g = g->next_overload) {
		last = g;
		Token *name = g->decl->tok->next ? g->decl->tok->next : g->decl->tok;
		tr_line(G, "{");
		G->ind++;
		// from a probe body the depth is known: 1
		if (G->func)
			tr_line(G, "struct fr_fn_%d *callee = stp_callee(c, l, %s);", g->index, tr_where(name));
		else
			tr_line(G, "struct fr_fn_%d *callee = stp_callee0(c, %s);", g->index, tr_where(name));
		tr_line(G, "if (!callee)");
		tr_line(G, "\tgoto %s;", G->fail);
		for (int i = 0; i < n->args.len && i < g->params.len; i++) {
			Var *p = VEC_AT(&g->params, i);
			if (p->type == T_STRING)
				tr_line(G, "stp_str_copy(callee->a_%s, %s);", tr_cname(p->name), args[i]);
			else
				tr_line(G, "callee->a_%s = %s;", tr_cname(p->name), args[i]);
		}
		tr_line(G, "fn_%d(c, callee);", g->index);
		tr_fail_if_error(G);
		if (r && g->type == T_STRING)
			tr_line(G, "stp_str_copy(%s, callee->retval);", r);
		else if (r)
			tr_line(G, "%s = callee->retval;", r);
		if (tr_has_next(g)) {
			if (g->next_overload) {
				tr_line(G, "if (!callee->next_)");
				tr_line(G, "\tgoto %s;", end);
			} else {
				tr_line(G, "if (callee->next_) {");
				tr_raise_at(G, n->tok, "\"all functions exhausted\"");
				tr_line(G, "}");
			}
		} else if (g->next_overload) {
			tr_line(G, "goto %s;", end);
		} else if (!r) {
			tr_line(G, "(void)callee;");
		}
		G->ind--;
		tr_line(G, "}");
		if (!tr_has_next(g))
			break;
	}
	if (end)
		tr_line(G, "%s: __attribute__((unused));", end);
	// a callee without loops is counted here; any call ends a run of
	// statements (SystemTap subtracts what is pending)
	for (Func *g = f; g; g = g->next_overload) {
		if (!g->decl->is_embedded) {
			unsigned k = tr_act_count(g->decl->body);
			if (k != ACT_INF)
				tr_record(G, k, n->tok, true);
		} else {
			tr_record(G, 0, n->tok, true);
		}
		if (g == last)
			break;
	}
	return r ? r : "0";
}

// A format conversion as a constant spec at file scope.
static char *fmt_spec(Gen *G, FormatSpec *f)
{
	static const struct {
		char c;
		const char *t;
	} types[] = {
		{'d', "STP_FMT_D"}, {'i', "STP_FMT_D"}, {'u', "STP_FMT_U"}, {'o', "STP_FMT_O"},
		{'x', "STP_FMT_X"}, {'X', "STP_FMT_XX"}, {'p', "STP_FMT_P"}, {'s', "STP_FMT_S"},
		{'c', "STP_FMT_C"}, {'b', "STP_FMT_B"}, {'m', "STP_FMT_M"}, {'M', "STP_FMT_MM"},
		{'%', "STP_FMT_PERCENT"},
	};
	const char *type = "STP_FMT_D";
	for (size_t i = 0; i < ARRAY_SIZE(types); i++)
		if (types[i].c == f->conv)
			type = types[i].t;
	Buf flags = {0};
	if (f->flag == '-')
		buf_puts(&flags, "STP_FMT_LEFT | ");
	if (f->flag == '+')
		buf_puts(&flags, "STP_FMT_PLUS | ");
	if (f->flag == ' ')
		buf_puts(&flags, "STP_FMT_SPACE | ");
	if (f->flag == '#')
		buf_puts(&flags, "STP_FMT_ALT | ");
	if (f->zero && !f->flag)	// after a flag, a 0 is part of the width (%+05d)
		buf_puts(&flags, "STP_FMT_ZERO | ");
	buf_puts(&flags, "0");
	char *name = tr_fmt("fmt_%d", G->nspec++);
	buf_printf(G->globals_code, "static const struct stp_fmt_spec %s = { %s, %s, %s, %s };\n", name,
		   type, flags.s,
		   f->width == -2 ? "STP_FMT_STAR" : f->width < 0 ? "STP_FMT_NONE" : tr_fmt("%d", f->width),
		   f->prec == -2 ? "STP_FMT_STAR" : f->prec < 0 ? "STP_FMT_NONE" : tr_fmt("%d", f->prec));
	free(flags.s);
	return name;
}

// print(@hist_*(s)) and friends: the chart into `o`; an error prints
// nothing.
static void print_hist(Gen *G, Node *n, Node *h, const char *o)
{
	const char *hist;
	char *d = stat_data(G, h->lhs, &hist);
	char *msg = tr_slot(G, "const char *", NULL);
	tr_line(G, "if (stp_hist_print(%s, %s, %s, &%s)) {", o, d, hist, msg);
	tr_line(G, "\tstp_error_str(c, %s, %s);", tr_where(n->tok), msg);
	tr_line(G, "\tgoto %s;", G->fail);
	tr_line(G, "}");
}

// Print into an stp_out `o` (already open) the values already evaluated.
static void print_values(Gen *G, Node *n, const char *o, char **vals)
{
	if (n->print_format) {
		int a = 1;
		for (int i = 0; i < n->format.len; i++) {
			FormatSpec *f = VEC_AT(&n->format, i);
			if (f->kind == FMT_LITERAL) {
				size_t len;
				char *lit = tr_lit_escaped(f->text, f->len, &len);
				if (len)
					tr_line(G, "stp_out_bytes(%s, %s, %zu);", o, lit, len);
				continue;
			}
			if (f->conv == '%') {
				tr_line(G, "stp_out_char(%s, '%%');", o);
				continue;
			}
			char *spec = fmt_spec(G, f);
			char *w = NULL, *p = NULL;
			if (f->width == -2 && a < n->args.len)
				w = vals[a++];
			if (f->prec == -2 && a < n->args.len)
				p = vals[a++];
			if (a >= n->args.len)
				break;
			char *v = vals[a++];
			if (w || p) {
				char *sp = tr_slot(G, "struct stp_fmt_spec", NULL);
				tr_line(G, "%s = %s;", sp, spec);
				tr_line(G, "stp_fmt_star(&%s, %s, %s);", sp, w ? w : "0", p ? p : "0");
				spec = tr_fmt("(%s)", sp);
			}
			if (f->conv == 's')
				tr_line(G, "stp_fmt_str(%s, &%s, %s);", o, spec, v);
			else if (f->conv == 'm' || f->conv == 'M') {
				char *err = tr_tmp(G, T_STRING);
				tr_line(G, "if (stp_fmt_mem(%s, &%s, %s, %s)) {", o, spec, v, err);
				tr_line(G, "\t(%s)->len = 0;\t/* nothing of a failed printf */", o);
				tr_line(G, "\tstp_error(c, %s, \"%%s\", %s);", tr_where(n->tok), err);
				tr_line(G, "\tgoto %s;", G->fail);
				tr_line(G, "}");
			} else
				tr_line(G, "stp_fmt_long(%s, &%s, %s);", o, spec, v);
		}
		return;
	}
	int first = n->print_delim ? 1 : 0;
	for (int i = first; i < n->args.len; i++) {
		Node *a = VEC_AT(&n->args, i);
		if (i > first && n->print_delim)
			tr_line(G, "stp_out_str(%s, %s);", o, vals[0]);
		if (a->type == T_STRING)
			tr_line(G, "stp_out_str(%s, %s);", o, vals[i]);
		else
			tr_line(G, "stp_fmt_print_long(%s, %s);", o, vals[i]);
	}
	if (n->print_ln)
		tr_line(G, "stp_out_char(%s, '\\n');", o);
}

// %m/%M print at most a page per conversion.
static void check_mem_sizes(Gen *G, Node *n, char **vals)
{
	int a = 1;
	for (int i = 0; i < n->format.len; i++) {
		FormatSpec *f = VEC_AT(&n->format, i);
		if (f->kind == FMT_LITERAL || f->conv == '%')
			continue;
		if (f->width == -2)
			a++;
		const char *prec = NULL;
		Token *where = n->tok; // SystemTap names the precision argument
		if (f->prec == -2) {
			where = ((Node *)VEC_AT(&n->args, a))->tok;
			prec = vals[a++];
		} else if (f->prec > 0) {
			prec = tr_fmt("%dLL", f->prec);
		}
		a++;
		if ((f->conv == 'm' || f->conv == 'M') && prec) {
			tr_line(G, "if (%s > PAGE_SIZE) {", prec);
			tr_line(G, "\tstp_error(c, %s, \"%%lld is too many bytes for a memory dump\", (long long)%s);",
			     tr_where(where), prec);
			tr_line(G, "\tgoto %s;", G->fail);
			tr_line(G, "}");
		}
	}
}

static char *print(Gen *G, Node *n)
{
	Node *h = n->args.len ? VEC_AT(&n->args, n->args.len - 1) : NULL;
	if (h && h->kind == N_HIST) {
		// print(@hist_*(s)): nothing after the chart, not even println's
		// newline; sprint gives at most MAXSTRINGLEN - 1 bytes of it
		if (n->print_to_string) {
			char *t = tr_tmp(G, T_STRING);
			char *o = tr_slot(G, "struct stp_out", NULL);
			tr_line(G, "stp_out_init(&%s, %s, MAXSTRINGLEN - 1);", o, t);
			print_hist(G, n, h, tr_fmt("&%s", o));
			tr_line(G, "stp_out_cstr(&%s);", o);
			return t;
		}
		char *o = tr_slot(G, "struct stp_out", NULL);
		tr_line(G, "stp_print_out_open(c, &%s);", o);
		print_hist(G, n, h, tr_fmt("&%s", o));
		tr_line(G, "stp_print_out_close(c, &%s);", o);
		return "0";
	}
	// the arguments, left to right, then the output
	char **vals = arena_alloc(sizeof(char *) * (n->args.len + 1));
	for (int i = n->print_format ? 1 : 0; i < n->args.len; i++)
		vals[i] = operand(G, &n->args, i);
	if (n->print_format)
		check_mem_sizes(G, n, vals);
	char *o = tr_slot(G, "struct stp_out", NULL);
	if (n->print_to_string) {
		char *t = tr_tmp(G, T_STRING);
		tr_line(G, "stp_out_init(&%s, %s, MAXSTRINGLEN - 1);", o, t);
		print_values(G, n, tr_fmt("&%s", o), vals);
		tr_line(G, "stp_out_cstr(&%s);", o);
		return t;
	}
	tr_line(G, "stp_print_out_open(c, &%s);", o);
	print_values(G, n, tr_fmt("&%s", o), vals);
	tr_line(G, "stp_print_out_close(c, &%s);", o);
	return "0";
}

static const char *stat_op_name(const char *op)
{
	if (!strcmp(op, "@count"))
		return "STP_STAT_COUNT";
	if (!strcmp(op, "@sum"))
		return "STP_STAT_SUM";
	if (!strcmp(op, "@min"))
		return "STP_STAT_MIN";
	if (!strcmp(op, "@max"))
		return "STP_STAT_MAX";
	if (!strcmp(op, "@avg"))
		return "STP_STAT_AVG";
	return "STP_STAT_VAR";
}

static char *stat_value(Gen *G, Node *n)
{
	Var *v = tr_array_of(n->lhs);
	char *d = stat_data(G, n->lhs, NULL);
	char *msg = tr_slot(G, "const char *", NULL);
	char *t = tr_tmp(G, T_LONG);
	tr_line(G, "if (stp_sd_get(%s, %s, %d, &%s, &%s)) {", d, stat_op_name(n->op), v->shift, t, msg);
	tr_line(G, "\tstp_error_str(c, %s, %s);", tr_where(n->tok), msg);
	tr_line(G, "\tgoto %s;", G->fail);
	tr_line(G, "}");
	return t;
}

// op= as the plain operator ("+=" -> "+").
static const char *plain_op(const char *op)
{
	return tr_fmt("%.*s", (int)strlen(op) - 1, op);
}

// Assignments of every kind; returns the assigned value.
static char *assign(Gen *G, Node *n)
{
	const char *op = n->op;
	Node *lhs = n->lhs;
	if (!strcmp(op, "<<<")) {
		Var *g = tr_array_of(lhs);
		if (lhs->kind == N_SYMBOL) {
			char *v = tr_expr(G, n->rhs);
			tr_line(G, "stp_stat_add(&%s, %s);", tr_global(g), v);
			return v;
		}
		char *k = keys(G, &lhs->args, NULL);
		char *v = tr_expr(G, n->rhs);
		tr_line(G, "if (stp_pmap_add(&%s, %s, %s)) {", tr_global(g), k, v);
		tr_raise_at(G, lhs->tok, tr_overflow_msg(g));
		tr_line(G, "}");
		return v;
	}
	if (lhs->kind == N_TARGET) {
		// the provider writes (pass 2 checked that it can)
		char *v = tr_expr(G, n->rhs);
		G->probe->provider->target_assign(G, G->probe, lhs, op, v);
		return v;
	}
	if (lhs->kind == N_CAST) {
		char *v = tr_expr(G, n->rhs);
		btfvar_assign(G, lhs, lhs->target, v);
		return v;
	}
	bool str = lhs->type == T_STRING;
	if (lhs->kind == N_INDEX) {
		// keys first, then the value; read, compute, write back
		Var *g = lhs->lhs->var;
		bool add = !str && (!strcmp(op, "+=") || !strcmp(op, "-="));
		char *k1 = add ? l1_key(G, lhs, n->rhs) : NULL;
		if (k1) {
			// one long key: add in place, the key as it is
			char *v = tr_expr(G, n->rhs);
			char *cur = tr_tmp(G, T_LONG);
			tr_line(G, "if (stp_map_add_l1(&%s, %s, %s, &%s)) {", tr_global(g), k1,
				op[0] == '-' ? tr_fmt("(s64)(0 - (u64)(%s))", v) : v, cur);
			tr_raise_at(G, lhs->tok, tr_overflow_msg(g));
			tr_line(G, "}");
			return cur;
		}
		char *k = keys(G, &lhs->args, NULL);
		char *v = tr_expr(G, n->rhs);
		if (!strcmp(op, "=")) {
			index_store(G, lhs, v, k);
			return v;
		}
		char *cur = tr_tmp(G, g->type);
		if (!str && (!strcmp(op, "+=") || !strcmp(op, "-="))) {
			// one lookup: add in place
			tr_line(G, "if (stp_map_add_long(&%s, %s, %s, &%s)) {", tr_global(g), k,
				op[0] == '-' ? tr_fmt("(s64)(0 - (u64)(%s))", v) : v, cur);
			tr_raise_at(G, lhs->tok, tr_overflow_msg(g));
			tr_line(G, "}");
			return cur;
		}
		if (str) {
			tr_line(G, "stp_str_copy(%s, stp_map_get_str(&%s, %s));", cur, tr_global(g), k);
			tr_line(G, "stp_str_cat(%s, %s);", cur, v);
		} else {
			tr_line(G, "%s = stp_map_get_long(&%s, %s);", cur, tr_global(g), k);
			char *nv = arith(G, plain_op(op), cur, v, n->rhs->tok);
			tr_line(G, "%s = %s;", cur, nv);
		}
		index_store(G, lhs, cur, k);
		return cur;
	}
	// a scalar local or global
	char *v = tr_expr(G, n->rhs);
	const char *dst = tr_var(lhs->var);
	if (str) {
		if (!strcmp(op, ".="))
			tr_line(G, "stp_str_cat(%s, %s);", dst, v);
		else if (strcmp(v, dst))
			tr_line(G, "stp_str_copy(%s, %s);", dst, v);
		return (char *)dst;
	}
	if (!strcmp(op, "="))
		tr_line(G, "%s = %s;", dst, v);
	else {
		char *nv = arith(G, plain_op(op), (char *)dst, v, n->rhs->tok);
		tr_line(G, "%s = %s;", dst, nv);
	}
	return (char *)dst;
}

// discard: a statement of its own, whose old value nobody reads
static char *increment(Gen *G, Node *n, bool discard)
{
	bool pre = n->kind == N_PRE_INC || discard;
	const char *delta = n->op[0] == '+' ? "1" : "-1";
	Node *lhs = n->lhs;
	char *r = tr_tmp(G, T_LONG);
	if (lhs->kind == N_INDEX) {
		Var *g = lhs->lhs->var;
		char *k1 = l1_key(G, lhs, NULL);
		// one lookup: add in place (r: the new value, then the old one)
		if (k1)
			tr_line(G, "if (stp_map_add_l1(&%s, %s, %s, &%s)) {", tr_global(g), k1, delta, r);
		else
			tr_line(G, "if (stp_map_add_long(&%s, %s, %s, &%s)) {", tr_global(g),
				keys(G, &lhs->args, NULL), delta, r);
		tr_raise_at(G, lhs->tok, tr_overflow_msg(g));
		tr_line(G, "}");
		if (!pre)
			tr_line(G, "%s = (s64)((u64)%s - (u64)%s);", r, r, delta);
		return r;
	}
	const char *v = tr_var(lhs->var);
	if (discard) {
		tr_line(G, "%s = (s64)((u64)%s + (u64)%s);", v, v, delta);
		return (char *)v;
	} else if (pre) {
		tr_line(G, "%s = (s64)((u64)%s + (u64)%s);", v, v, delta);
		tr_line(G, "%s = %s;", r, v);
	} else {
		tr_line(G, "%s = %s;", r, v);
		tr_line(G, "%s = (s64)((u64)%s + (u64)%s);", v, v, delta);
	}
	return r;
}

static char *regex_match(Gen *G, Node *n)
{
	// compiled at module start
	char *lit = tr_lit_escaped(n->str, n->len, NULL);
	int id = G->nregex++;
	buf_printf(G->globals_code, "static struct stp_re re_%d;\n", id);
	buf_printf(G->globals_code, "#define RE_%d_PATTERN %s\n", id, lit);
	char *s = tr_expr(G, n->lhs);
	char *r = tr_tmp(G, T_LONG);
	tr_line(G, "%s = %sstp_regex_match(c, &re_%d, %s);", r, strcmp(n->op, "!~") ? "" : "!", id, s);
	return r;
}

static char *in_array(Gen *G, Node *n)
{
	Node *base = n->lhs;
	if (base->kind == N_HIST) {
		// i in @hist_*(s) is the bucket's count, @hist_*(s)[i], as in
		// SystemTap
		Node ix = {.kind = N_INDEX, .tok = n->tok, .lhs = base, .args = n->args, .type = T_LONG};
		return index_read(G, &ix);
	}
	unsigned wild;
	char *k = keys(G, &n->args, &wild);
	Var *v = base->var;
	char *t = tr_tmp(G, T_LONG);
	if (v->type == T_STATS && wild) {
		tr_line(G, "if (stp_pmap_agg(&%s)) {", tr_global(v));
		tr_raise_at(G, n->tok, tr_lit(tr_fmt("aggregation overflow in %s", v->name)));
		tr_line(G, "}");
		tr_line(G, "%s = stp_map_exists_slice(&%s.agg, %s, 0x%x);", t, tr_global(v), k, wild);
	} else if (v->type == T_STATS) {
		tr_line(G, "%s = stp_pmap_exists(&%s, %s);", t, tr_global(v), k);
	} else if (wild) {
		tr_line(G, "%s = stp_map_exists_slice(&%s, %s, 0x%x);", t, tr_global(v), k, wild);
	} else {
		tr_line(G, "%s = stp_map_exists(&%s, %s);", t, tr_global(v), k);
	}
	return t;
}

char *tr_expr(Gen *G, Node *n)
{
	// only the outermost expression of an expression statement
	bool discard = G->void_value;
	G->void_value = false;
	switch (n->kind) {
	case N_NUMBER:
		return tr_number(n->num);
	case N_STRING:
		return string_literal(n);
	case N_SYMBOL:
		return (char *)tr_var(n->var);
	case N_EMBED_EXPR:
		if (n->type == T_STRING)
			return tr_fmt("((const char *)(%s))", n->code);
		return tr_fmt("((s64)(%s))", n->code);
	case N_BINARY: {
		char *a = tr_expr(G, n->lhs);
		if (side_effects(n->rhs) && strncmp(a, "l->t", 4) && n->lhs->kind != N_NUMBER) {
			char *t = tr_tmp(G, T_LONG);
			tr_line(G, "%s = %s;", t, a);
			a = t;
		}
		return arith(G, n->op, a, tr_expr(G, n->rhs), n->tok);
	}
	case N_UNARY: {
		char *a = tr_expr(G, n->lhs);
		if (n->op[0] == '-')
			return tr_fmt("((s64)(0 - (u64)(%s)))", a);
		if (n->op[0] == '+')
			return a;
		return tr_fmt("(%s(%s))", n->op, a);
	}
	case N_PRE_INC:
	case N_POST_INC:
		return increment(G, n, discard);
	case N_LOGICAL: {
		// the right side only runs when needed
		char *r = tr_tmp(G, T_LONG);
		char *a = tr_expr(G, n->lhs);
		bool and = !strcmp(n->op, "&&");
		tr_line(G, "%s = (%s) != 0;", r, a);
		tr_line(G, "if (%s%s) {", and ? "" : "!", r);
		G->ind++;
		char *b = tr_expr(G, n->rhs);
		tr_line(G, "%s = (%s) != 0;", r, b);
		G->ind--;
		tr_line(G, "}");
		return r;
	}
	case N_COMPARE: {
		char *a = tr_expr(G, n->lhs);
		if (side_effects(n->rhs) && strncmp(a, "l->t", 4) && n->lhs->kind != N_NUMBER &&
		    n->lhs->kind != N_STRING) {
			char *t = tr_tmp(G, n->lhs->type);
			if (n->lhs->type == T_STRING)
				tr_line(G, "stp_str_copy(%s, %s);", t, a);
			else
				tr_line(G, "%s = %s;", t, a);
			a = t;
		}
		char *b = tr_expr(G, n->rhs);
		if (n->lhs->type == T_STRING)
			return tr_fmt("((s64)(strcmp(%s, %s) %s 0))", a, b, n->op);
		return tr_fmt("((s64)((%s) %s (%s)))", a, n->op, b);
	}
	case N_CONCAT: {
		char *t = tr_tmp(G, T_STRING);
		char *a = tr_expr(G, n->lhs);
		tr_line(G, "stp_str_copy(%s, %s);", t, a);
		char *b = tr_expr(G, n->rhs);
		tr_line(G, "stp_str_cat(%s, %s);", t, b);
		return t;
	}
	case N_REGEX:
		return regex_match(G, n);
	case N_TERNARY: {
		char *r = tr_tmp(G, n->type == T_STRING ? T_STRING : T_LONG);
		char *c = tr_expr(G, n->cond);
		tr_line(G, "if (%s) {", c);
		G->ind++;
		char *a = tr_expr(G, n->lhs);
		if (n->type == T_STRING)
			tr_line(G, "stp_str_copy(%s, %s);", r, a);
		else
			tr_line(G, "%s = %s;", r, a);
		G->ind--;
		tr_line(G, "} else {");
		G->ind++;
		char *b = tr_expr(G, n->rhs);
		if (n->type == T_STRING)
			tr_line(G, "stp_str_copy(%s, %s);", r, b);
		else
			tr_line(G, "%s = %s;", r, b);
		G->ind--;
		tr_line(G, "}");
		return r;
	}
	case N_ASSIGN:
		return assign(G, n);
	case N_INDEX:
		return index_read(G, n);
	case N_IN:
		return in_array(G, n);
	case N_CALL:
		return call(G, n);
	case N_PRINT:
		return print(G, n);
	case N_STAT:
		return stat_value(G, n);
	case N_TARGET:
		return G->probe->provider->target_expr(G, G->probe, n);
	case N_CAST:
		return btfvar_expr(G, n, n->target);
	case N_DEFINED:
		return n->num ? "1LL" : "0LL";
	case N_ENTRY:
		return tr_expr(G, n->lhs);
	case N_REGISTER:
		return tr_fmt("stp_register(c, %s, %d)", tr_expr(G, n->lhs), !strcmp(n->op, "@uregister"));
	case N_DEREF: {
		char *size = tr_expr(G, VEC_AT(&n->args, 0));
		char *addr = tr_expr(G, VEC_AT(&n->args, 1));
		char *t = tr_tmp(G, T_LONG);
		tr_line(G, "if (stp_deref(c, %s, %s, %s, &%s, %s))", addr, size,
		     !strcmp(n->op, "@uderef") ? "true" : "false", t, tr_where(n->tok));
		tr_line(G, "\tgoto %s;", G->fail);
		return t;
	}
	default:
		return "0LL";
	}
}

//
// Statements
//

static void sub_stmt(Gen *G, Node *n)
{
	G->ind++;
	tr_stmt(G, n);
	G->ind--;
}

// The token SystemTap names for the end of a block: its own, or for a
// statement standing alone, that statement's.
static Token *block_tok(Node *n)
{
	return n ? n->tok : NULL;
}

// for (init; cond; incr) body, and while.
static void for_stmt(Gen *G, Node *n)
{
	// as SystemTap counts: the initialization and the loop before it, the
	// increment once after it
	if (n->init)
		tr_expr(G, n->init);
	tr_record(G, n->init ? 2 : 1, n->tok, true);
	const char *top = tr_label(G, "top"), *brk = tr_label(G, "break"),
		   *cont = tr_label(G, "continue");
	const char *ob = G->brk, *oc = G->cont;
	G->brk = brk;
	G->cont = cont;
	tr_line(G, "%s: __attribute__((unused));", top);
	tr_record(G, 1, n->tok, false);
	if (n->cond) {
		int mark = G->taken.len;
		char *c = tr_expr(G, n->cond);
		tr_line(G, "if (!(%s))", c);
		tr_line(G, "\tgoto %s;", brk);
		tr_release(G, mark);
	}
	tr_stmt(G, n->body);
	tr_record(G, 0, block_tok(n->body), true);
	tr_line(G, "%s: __attribute__((unused));", cont);
	if (n->incr) {
		int mark = G->taken.len;
		tr_expr(G, n->incr);
		tr_release(G, mark);
	}
	tr_line(G, "goto %s;", top);
	tr_line(G, "%s: __attribute__((unused));", brk);
	if (n->incr)
		tr_record(G, 1, n->tok, false);
	G->brk = ob;
	G->cont = oc;
}

static void foreach_hist(Gen *G, Node *n)
{
	Node *h = n->lhs;
	char *limit = NULL, *count = NULL;
	if (n->limit) {
		limit = tr_tmp(G, T_LONG);
		tr_line(G, "%s = %s;", limit, tr_expr(G, n->limit));
		count = tr_tmp(G, T_LONG);
		tr_line(G, "%s = 0;", count);
	}
	const char *hist;
	char *d = stat_data(G, h->lhs, &hist);
	Node *key = VEC_AT(&n->keys, 0);
	const char *i = tr_var(key->var);
	tr_record(G, 1, n->tok, true);
	const char *brk = tr_label(G, "break"), *cont = tr_label(G, "continue");
	const char *ob = G->brk, *oc = G->cont;
	G->brk = brk;
	G->cont = cont;
	tr_line(G, "for (%s = 0; %s < stp_hist_nbuckets(%s); %s++) {", i, i, hist, i);
	G->ind++;
	if (limit) {
		tr_line(G, "if (%s++ >= %s)", count, limit);
		tr_line(G, "\tgoto %s;", brk);
	}
	if (n->value_var && n->value_var->var)
		tr_line(G, "%s = %s ? %s->hist[%s] : 0;", tr_var(n->value_var->var), d, d, i);
	tr_stmt(G, n->body);
	tr_record(G, 1, block_tok(n->body), true);
	G->ind--;
	tr_line(G, "%s: __attribute__((unused));", cont);
	tr_line(G, "}");
	tr_line(G, "%s: __attribute__((unused));", brk);
	G->brk = ob;
	G->cont = oc;
}

static void foreach_stmt(Gen *G, Node *n)
{
	if (n->lhs->kind == N_HIST) {
		foreach_hist(G, n);
		return;
	}
	Var *v = n->lhs->var;
	const char *m = tr_fmt("&%s", tr_global(v));
	char *limit = NULL;
	if (n->limit) {
		limit = tr_tmp(G, T_LONG);
		tr_line(G, "%s = %s;", limit, tr_expr(G, n->limit));
	}
	if (v->type == T_STATS) {
		tr_line(G, "if (stp_pmap_agg(&%s)) {", tr_global(v));
		tr_raise_at(G, n->tok, tr_lit(tr_fmt("aggregation overflow in %s", v->name)));
		tr_line(G, "}");
		m = tr_fmt("&%s.agg", tr_global(v));
	}
	if (n->sort.sort_col) {
		int key = n->sort.sort_col > 0 ? n->sort.sort_col : 0;
		const char *op = n->sort.sort_agg ? stat_op_name(n->sort.sort_agg) : "STP_STAT_COUNT";
		tr_line(G, "{");
		tr_line(G, "\tstatic const struct stp_map_sort srt = { .key = %d, .dir = %d, .op = %s };", key,
		     n->sort.sort_dir, op);
		tr_line(G, "\tstp_map_sort(%s, &srt, %s);", m, limit ? tr_fmt("%s > 0 ? %s : 0", limit, limit) : "0");
		tr_line(G, "}");
	}
	char *count = NULL;
	if (limit) {
		count = tr_tmp(G, T_LONG);
		tr_line(G, "%s = 0;", count);
	}
	char *it = tr_slot(G, "struct stp_map_iter", NULL);
	char *slice = "NULL";
	unsigned wild = 0;
	if (n->args.len)
		slice = keys(G, &n->args, &wild);
	tr_line(G, "stp_map_iter_start(%s, &%s, -1, %s, 0x%x);", m, it, slice, wild);
	tr_record(G, 1, n->tok, true);
	const char *top = tr_label(G, "top"), *brk = tr_label(G, "break"),
		   *cont = tr_label(G, "continue");
	const char *ob = G->brk, *oc = G->cont;
	G->brk = brk;
	G->cont = cont;
	tr_line(G, "%s: __attribute__((unused));", top);
	tr_record(G, 1, n->tok, false);
	tr_line(G, "if (!stp_map_iter_next(%s, &%s))", m, it);
	tr_line(G, "\tgoto %s;", brk);
	tr_line(G, "{");
	G->ind++;
	if (limit) {
		tr_line(G, "if (%s++ >= %s)", count, limit);
		tr_line(G, "\tgoto %s;", brk);
	}
	for (int i = 0; i < n->keys.len; i++) {
		Node *k = VEC_AT(&n->keys, i);
		if (!k->var)
			continue;
		if (k->var->type == T_STRING)
			tr_line(G, "stp_str_copy(%s, stp_map_key_str(%s, %s.e, %d));", tr_var(k->var), m, it, i);
		else
			tr_line(G, "%s = stp_map_key_long(%s, %s.e, %d);", tr_var(k->var), m, it, i);
	}
	if (n->value_var && n->value_var->var) {
		Var *vv = n->value_var->var;
		if (vv->type == T_STRING)
			tr_line(G, "stp_str_copy(%s, stp_map_val_str(%s, %s.e));", tr_var(vv), m, it);
		else
			tr_line(G, "%s = *stp_map_val_long(%s, %s.e);", tr_var(vv), m, it);
	}
	tr_stmt(G, n->body);
	tr_record(G, 0, block_tok(n->body), true);
	G->ind--;
	tr_line(G, "}");
	tr_line(G, "%s: __attribute__((unused));", cont);
	tr_line(G, "goto %s;", top);
	tr_line(G, "%s: __attribute__((unused));", brk);
	G->brk = ob;
	G->cont = oc;
}

static void delete_stmt(Gen *G, Node *n)
{
	Node *t = n->lhs;
	if (t->kind == N_SYMBOL) {
		Var *v = t->var;
		if (v->arity > 0)
			tr_line(G, "%s_clear(&%s);", v->type == T_STATS ? "stp_pmap" : "stp_map", tr_global(v));
		else if (v->type == T_STATS)
			tr_line(G, "stp_stat_clear(&%s);", tr_global(v));
		else if (v->type == T_STRING)
			tr_line(G, "%s[0] = '\\0';", tr_var(v));
		else
			tr_line(G, "%s = 0;", tr_var(v));
		return;
	}
	if (t->kind == N_INDEX && t->lhs->kind == N_SYMBOL) {
		Var *v = t->lhs->var;
		unsigned wild;
		char *k = keys(G, &t->args, &wild);
		const char *pre = v->type == T_STATS ? "stp_pmap" : "stp_map";
		if (wild)
			tr_line(G, "%s_delete_slice(&%s, %s, 0x%x);", pre, tr_global(v), k, wild);
		else
			tr_line(G, "%s_delete(&%s, %s);", pre, tr_global(v), k);
	}
}

static void try_stmt(Gen *G, Node *n)
{
	tr_record(G, 0, n->tok, true);
	const char *catch = tr_label(G, "catch"), *end = tr_label(G, "end_try");
	const char *outer = G->fail;
	G->fail = catch;
	tr_line(G, "{");
	sub_stmt(G, n->body);
	if (n->body)
		tr_record(G, 0, n->body->tok, true);
	tr_line(G, "}");
	G->fail = outer;
	tr_line(G, "goto %s;", end);
	tr_line(G, "%s: __attribute__((unused));", catch);
	// MAXACTION and abort() cannot be caught
	tr_line(G, "if (c->actionremaining <= 0 || c->last_error == stp_msg_abort)");
	tr_line(G, "\tgoto %s;", G->fail);
	if (n->lhs && n->lhs->var)
		tr_line(G, "stp_str_copy(%s, c->last_error);", tr_var(n->lhs->var));
	tr_line(G, "stp_error_clear(c);");
	tr_record(G, 1, n->tok, true);
	tr_line(G, "{");
	sub_stmt(G, n->els);
	if (n->els)
		tr_record(G, 0, n->els->tok, true);
	tr_line(G, "}");
	tr_line(G, "%s: __attribute__((unused));", end);
}

// "/* FILE:LINE */" before the statements of each new line.
static void location_comment(Gen *G, Token *t)
{
	if (!t || !t->file || (G->loc_file == t->file->name && G->loc_line == t->line))
		return;
	G->loc_file = t->file->name;
	G->loc_line = t->line;
	tr_line(G, "/* %s:%d */", t->file->name, t->line);
}

void tr_stmt(Gen *G, Node *n)
{
	if (!n)
		return;
	if (n->kind == N_BLOCK) {
		for (int i = 0; i < n->list.len; i++)
			tr_stmt(G, VEC_AT(&n->list, i));
		return;
	}
	location_comment(G, n->tok);
	int mark = G->taken.len;
	switch (n->kind) {
	case N_NULL:
		break;
	case N_EXPR_STMT:
		if (n->lhs->kind == N_EMBED_EXPR) {
			tr_line(G, "{");
			buf_printf(G->o, "%s\n", n->lhs->code);
			tr_line(G, "}");
			break;
		}
		G->void_value = true;
		tr_expr(G, n->lhs);
		G->void_value = false;
		tr_record(G, 1, n->tok, false);
		break;
	case N_IF: {
		tr_record(G, 1, n->tok, true);
		char *c = tr_expr(G, n->cond);
		tr_line(G, "if (%s) {", c);
		sub_stmt(G, n->body);
		G->ind++;
		tr_record(G, 0, block_tok(n->body), true);
		G->ind--;
		if (n->els) {
			tr_line(G, "} else {");
			sub_stmt(G, n->els);
			G->ind++;
			tr_record(G, 0, block_tok(n->els), true);
			G->ind--;
		}
		tr_line(G, "}");
		break;
	}
	case N_FOR:
		for_stmt(G, n);
		break;
	case N_FOREACH:
		foreach_stmt(G, n);
		break;
	case N_RETURN:
		if (n->lhs && G->func) {
			char *v = tr_expr(G, n->lhs);
			if (G->func->type == T_STRING)
				tr_line(G, "stp_str_copy(l->retval, %s);", v);
			else
				tr_line(G, "l->retval = %s;", v);
		}
		tr_record(G, 1, n->tok, true);
		tr_line(G, "goto out;");
		break;
	case N_NEXT:
		if (G->func)
			tr_line(G, "l->next_ = 1;");
		tr_record(G, 1, n->tok, true);
		tr_line(G, "goto out;");
		break;
	case N_BREAK:
		tr_record(G, 1, n->tok, true);
		tr_line(G, "goto %s;", G->brk);
		break;
	case N_CONTINUE:
		tr_record(G, 1, n->tok, true);
		tr_line(G, "goto %s;", G->cont);
		break;
	case N_DELETE:
		delete_stmt(G, n);
		tr_record(G, 1, n->tok, false);
		break;
	case N_TRY:
		try_stmt(G, n);
		break;
	default:
		tr_expr(G, n);
		break;
	}
	tr_release(G, mark);
}
