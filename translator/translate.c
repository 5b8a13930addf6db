// translate.c: pass 3, the checked program to one C file in the shape the
// runtime expects (runtime/README.md).
//
// Every probe body and function becomes a C function working on its frame
// (a struct in the per-CPU context holding locals and temporaries).  An
// expression is compiled to a C expression; what needs statements first
// (calls, map reads, string operations, anything that can fail) is written
// before it into temporaries.  Errors put the context in the error state
// and jump to the innermost catch label, or out.
#include "stap.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
	Session *s;
	Buf *o;            // code being written
	int ind;           // indentation
	Probe *probe;      // the probe being translated, or NULL
	Func *func;        // the function being translated, or NULL
	Buf *frame;        // fields of the frame struct being built
	int ntmp;          // temporaries so far in this frame
	const char *fail;  // where an error jumps: "out" or "catch_N"
	int nlabel;        // label counter in this C function
	const char *brk, *cont; // innermost loop's labels
	int nregex;        // regexes so far (module-wide)
	Buf *globals_code; // declarations at file scope (format specs, regexes)
} Gen;

static char *expr(Gen *G, Node *n);
static void stmt(Gen *G, Node *n);

//
// Small helpers
//

static void line(Gen *G, const char *fmt, ...) PRINTF(2, 3);
static void line(Gen *G, const char *fmt, ...)
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

static char *c_lit(const char *s)
{
	Buf b = {0};
	c_string(&b, s, strlen(s));
	char *r = arena_strdup(b.s);
	free(b.s);
	return r;
}

// SystemTap's "near" text for a token: "operator '/' at FILE:L:C".
static char *where(Token *t)
{
	if (!t)
		return "NULL";
	Buf b = {0};
	token_describe(&b, t);
	if (t->file)
		buf_printf(&b, " at %s:%d:%d", t->file->name, t->line, t->col);
	char *r = c_lit(b.s);
	free(b.s);
	return r;
}

static char *fmt(const char *f, ...) PRINTF(1, 2);
static char *fmt(const char *f, ...)
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
static const char *cname(const char *name)
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

static char *tmp(Gen *G, Type t)
{
	int n = G->ntmp++;
	if (t == T_STRING)
		buf_printf(G->frame, "\tchar t%d[MAXSTRINGLEN];\n", n);
	else
		buf_printf(G->frame, "\ts64 t%d;\n", n);
	return fmt("l->t%d", n);
}

// A frame field of any C type.
static char *frame_field(Gen *G, const char *ctype, const char *suffix)
{
	int n = G->ntmp++;
	buf_printf(G->frame, "\t%s t%d%s;\n", ctype, n, suffix ? suffix : "");
	return fmt("l->t%d", n);
}

static void check_error(Gen *G)
{
	line(G, "if (c->last_error)");
	line(G, "\tgoto %s;", G->fail);
}

static const char *new_label(Gen *G, const char *base)
{
	return fmt("%s_%d", base, G->nlabel++);
}

//
// Variables
//

static const char *global_name(Var *v)
{
	return fmt("g_%s", cname(v->name));
}

static const char *local_name(Var *v)
{
	if (v->scope == V_PARAM)
		return fmt("l->a_%s", cname(v->name));
	return fmt("l->l_%s", cname(v->name));
}

static const char *var_ref(Var *v)
{
	return v->scope == V_GLOBAL ? global_name(v) : local_name(v);
}

static const char *stat_types[] = {"STP_T_NONE", "STP_T_LONG", "STP_T_STR", "STP_T_STAT"};

static int rt_type(Type t)
{
	return t == T_STRING ? 2 : t == T_STATS ? 3 : 1;
}

//
// Keys of array accesses: an array of union stp_key in the frame
//

// Evaluate the keys (NULL entries are '*' in slices) into a key array;
// *wild gets the slice mask.
static char *keys(Gen *G, Vec *args, unsigned *wild)
{
	char *arr = frame_field(G, "union stp_key", fmt("[%d]", args->len ? args->len : 1));
	unsigned w = 0;
	for (int i = 0; i < args->len; i++) {
		Node *k = VEC_AT(args, i);
		if (!k) {
			w |= 1u << i;
			continue;
		}
		char *e = expr(G, k);
		if (k->type == T_STRING)
			line(G, "%s[%d].s = %s;", arr, i, e);
		else
			line(G, "%s[%d].n = %s;", arr, i, e);
	}
	if (wild)
		*wild = w;
	return arr;
}

// String keys point into buffers: a key expression's value must stay put
// until the access is done.  expr() returns stable storage (temporaries,
// variables, literals), so this holds within one access.

//
// Expressions
//

static char *number(int64_t v)
{
	if (v == INT64_MIN)
		return "(-9223372036854775807LL - 1)";
	return fmt("%" PRId64 "LL", v);
}

static char *string_literal(Node *n)
{
	Buf raw = {0}, b = {0};
	string_decode(n->str, n->len, &raw);
	c_string(&b, raw.s ? raw.s : "", raw.len);
	char *r = arena_strdup(b.s);
	free(raw.s);
	free(b.s);
	return r;
}

// Which map API call reads/writes a global array of this value type.
static char *map_ref(Var *v)
{
	return fmt("&%s", global_name(v));
}

static char *index_read(Gen *G, Node *n)
{
	Node *base = n->lhs;
	if (base->kind == N_HIST) {
		// @hist_log(s)[i]: a bucket count
		char *i = expr(G, VEC_AT(&n->args, 0));
		char *d = frame_field(G, "struct stp_stat_data *", NULL);
		char *msg = frame_field(G, "const char *", NULL);
		char *t = tmp(G, T_LONG);
		Node *of = base->lhs;
		Var *v = of->kind == N_SYMBOL ? of->var : of->lhs->var;
		if (of->kind == N_SYMBOL) {
			line(G, "%s = stp_stat_get(&%s);", d, global_name(v));
			line(G, "if (stp_sd_bucket(%s, &%s.hist, %s, &%s, &%s)) {", d, global_name(v), i, t, msg);
		} else {
			char *k = keys(G, &of->args, NULL);
			line(G, "%s = stp_pmap_get(&%s, %s);", d, global_name(v), k);
			line(G, "if (stp_sd_bucket(%s, &%s_desc.hist, %s, &%s, &%s)) {", d, global_name(v),
			     i, t, msg);
		}
		line(G, "\tstp_error(c, %s, \"%%s\", %s);", where(base->tok), msg);
		line(G, "\tgoto %s;", G->fail);
		line(G, "}");
		return t;
	}
	Var *v = base->var;
	char *k = keys(G, &n->args, NULL);
	char *t = tmp(G, v->type);
	if (v->type == T_STRING)
		line(G, "stp_str_copy(%s, stp_map_get_str(%s, %s));", t, map_ref(v), k);
	else
		line(G, "%s = stp_map_get_long(%s, %s);", t, map_ref(v), k);
	return t;
}

// Store value (already a C expression of the right type) into an array
// element; errors when the array is full.
static void index_store(Gen *G, Node *ix, const char *op, char *val, char *k)
{
	Var *v = ix->lhs->var;
	const char *fn = v->type == T_STRING ? "stp_map_set_str" : !strcmp(op, "+=") ? "stp_map_add_long"
										 : "stp_map_set_long";
	line(G, "if (%s(%s, %s, %s)) {", fn, map_ref(v), k, val);
	line(G, "\tstp_error_str(c, %s, STP_MSG_MAP_FULL);", where(ix->lhs->tok));
	line(G, "\tgoto %s;", G->fail);
	line(G, "}");
}

// Arithmetic with SystemTap's semantics (wrapping, defined shifts).
static char *arith(Gen *G, const char *op, char *a, char *b, Token *t)
{
	if (!strcmp(op, "/") || !strcmp(op, "%")) {
		char *r = tmp(G, T_LONG);
		line(G, "%s = %s(c, %s, %s, %s);", r, op[0] == '/' ? "stp_div" : "stp_mod", a, b, where(t));
		check_error(G);
		return r;
	}
	if (!strcmp(op, "<<"))
		return fmt("stp_shl(%s, %s)", a, b);
	if (!strcmp(op, ">>"))
		return fmt("stp_shr(%s, %s)", a, b);
	if (!strcmp(op, ">>>"))
		return fmt("stp_lshr(%s, %s)", a, b);
	if (!strcmp(op, "+") || !strcmp(op, "-") || !strcmp(op, "*"))
		return fmt("((s64)((u64)(%s) %s (u64)(%s)))", a, op, b);
	return fmt("((%s) %s (%s))", a, op, b);
}

// A function call: arguments first (they may call too), then the callee's
// frame at the next depth.
static char *call(Gen *G, Node *n)
{
	Func *f = n->func;
	char **args = arena_alloc(sizeof(char *) * (n->args.len + 1));
	for (int i = 0; i < n->args.len; i++) {
		Node *a = VEC_AT(&n->args, i);
		char *e = expr(G, a);
		// values of variables may change before the call: copy
		if (a->kind != N_NUMBER && a->kind != N_STRING && a->type != T_STRING) {
			char *t = tmp(G, T_LONG);
			line(G, "%s = %s;", t, e);
			e = t;
		}
		args[i] = e;
	}
	Node *def = f->decl;
	Token *deftok = def->tok->next ? def->tok->next : def->tok; // its name
	line(G, "if (stp_nest_enter(c, %s))", where(deftok));
	line(G, "\tgoto %s;", G->fail);
	line(G, "{");
	G->ind++;
	line(G, "struct fr_fn_%d *callee = stp_frame(c, c->nesting);", f->index);
	for (int i = 0; i < n->args.len && i < f->params.len; i++) {
		Var *p = VEC_AT(&f->params, i);
		if (p->type == T_STRING)
			line(G, "stp_str_copy(callee->a_%s, %s);", cname(p->name), args[i]);
		else
			line(G, "callee->a_%s = %s;", cname(p->name), args[i]);
	}
	line(G, "fn_%d(c);", f->index);
	line(G, "stp_nest_leave(c);");
	if (f->type != T_STRING && f->type != T_LONG)
		line(G, "(void)callee;");
	char *r = NULL;
	if (f->type == T_STRING) {
		r = tmp(G, T_STRING);
		line(G, "stp_str_copy(%s, callee->retval);", r);
	} else if (f->type == T_LONG) {
		r = tmp(G, T_LONG);
		line(G, "%s = callee->retval;", r);
	}
	G->ind--;
	line(G, "}");
	check_error(G);
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
	if (f->zero)
		buf_puts(&flags, "STP_FMT_ZERO | ");
	buf_puts(&flags, "0");
	static int nspec;
	char *name = fmt("fmt_%d", nspec++);
	buf_printf(G->globals_code, "static const struct stp_fmt_spec %s = { %s, %s, %s, %s };\n", name,
		   type, flags.s,
		   f->width == -2 ? "STP_FMT_STAR" : f->width < 0 ? "STP_FMT_NONE" : fmt("%d", f->width),
		   f->prec == -2 ? "STP_FMT_STAR" : f->prec < 0 ? "STP_FMT_NONE" : fmt("%d", f->prec));
	free(flags.s);
	return name;
}

// Print into an stp_out `o` (already open): printf-style or print-style.
static void print_into(Gen *G, Node *n, const char *o)
{
	if (n->print_format) {
		int a = 1;
		for (int i = 0; i < n->format.len; i++) {
			FormatSpec *f = VEC_AT(&n->format, i);
			if (f->kind == FMT_LITERAL) {
				Buf raw = {0}, lit = {0};
				string_decode(f->text, f->len, &raw);
				c_string(&lit, raw.s ? raw.s : "", raw.len);
				line(G, "stp_out_bytes(%s, %s, %zu);", o, lit.s, raw.len);
				free(raw.s);
				free(lit.s);
				continue;
			}
			char *spec = fmt_spec(G, f);
			if (f->conv == '%') {
				line(G, "stp_out_char(%s, '%%');", o);
				continue;
			}
			char *w = NULL, *p = NULL;
			if (f->width == -2 && a < n->args.len)
				w = expr(G, VEC_AT(&n->args, a++));
			if (f->prec == -2 && a < n->args.len)
				p = expr(G, VEC_AT(&n->args, a++));
			if (a >= n->args.len)
				break;
			Node *arg = VEC_AT(&n->args, a++);
			char *v = expr(G, arg);
			if (w || p) {
				char *sp = frame_field(G, "struct stp_fmt_spec", NULL);
				line(G, "%s = %s;", sp, spec);
				line(G, "stp_fmt_star(&%s, %s, %s);", sp, w ? w : "0", p ? p : "0");
				spec = fmt("(%s)", sp);
			}
			if (f->conv == 's')
				line(G, "stp_fmt_str(%s, &%s, %s);", o, spec, v);
			else if (f->conv == 'm' || f->conv == 'M') {
				char *err = tmp(G, T_STRING);
				line(G, "if (stp_fmt_mem(%s, &%s, %s, %s)) {", o, spec, v, err);
				line(G, "\tstp_error(c, %s, \"%%s\", %s);", where(n->tok), err);
				line(G, "\tgoto %s;", G->fail);
				line(G, "}");
			} else
				line(G, "stp_fmt_long(%s, &%s, %s);", o, spec, v);
		}
		return;
	}
	int first = 0;
	char *delim = NULL;
	if (n->print_delim) {
		delim = expr(G, VEC_AT(&n->args, 0));
		first = 1;
	}
	for (int i = first; i < n->args.len; i++) {
		Node *a = VEC_AT(&n->args, i);
		if (i > first && delim)
			line(G, "stp_out_str(%s, %s);", o, delim);
		if (a->kind == N_HIST) {
			Node *of = a->lhs;
			Var *v = of->kind == N_SYMBOL ? of->var : of->lhs->var;
			char *msg = frame_field(G, "const char *", NULL);
			char *d = frame_field(G, "struct stp_stat_data *", NULL);
			if (of->kind == N_SYMBOL) {
				line(G, "%s = stp_stat_get(&%s);", d, global_name(v));
				line(G, "if (stp_hist_print(%s, %s, &%s.hist, &%s)) {", o, d, global_name(v), msg);
			} else {
				char *k = keys(G, &of->args, NULL);
				line(G, "%s = stp_pmap_get(&%s, %s);", d, global_name(v), k);
				line(G, "if (stp_hist_print(%s, %s, &%s_desc.hist, &%s)) {", o, d,
				     global_name(v), msg);
			}
			line(G, "\tstp_error(c, %s, \"%%s\", %s);", where(a->tok), msg);
			line(G, "\tgoto %s;", G->fail);
			line(G, "}");
			continue;
		}
		char *e = expr(G, a);
		if (a->type == T_STRING)
			line(G, "stp_out_str(%s, %s);", o, e);
		else
			line(G, "stp_fmt_print_long(%s, %s);", o, e);
	}
	if (n->print_ln) {
		// println adds nothing after a histogram
		Node *last = n->args.len ? VEC_AT(&n->args, n->args.len - 1) : NULL;
		if (!last || last->kind != N_HIST)
			line(G, "stp_out_char(%s, '\\n');", o);
	}
}

static char *print(Gen *G, Node *n)
{
	if (n->print_to_string) {
		char *t = tmp(G, T_STRING);
		char *o = frame_field(G, "struct stp_out", NULL);
		line(G, "stp_out_init(&%s, %s, MAXSTRINGLEN - 1);", o, t);
		print_into(G, n, fmt("&%s", o));
		line(G, "stp_out_cstr(&%s);", o);
		return t;
	}
	char *o = frame_field(G, "struct stp_out", NULL);
	line(G, "stp_print_out_open(c, &%s);", o);
	print_into(G, n, fmt("&%s", o));
	line(G, "stp_print_out_close(c, &%s);", o);
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
	Node *of = n->lhs;
	Var *v = of->kind == N_SYMBOL ? of->var : of->lhs->var;
	char *d = frame_field(G, "struct stp_stat_data *", NULL);
	char *msg = frame_field(G, "const char *", NULL);
	char *t = tmp(G, T_LONG);
	int shift = n->args.len ? (int)((Node *)VEC_AT(&n->args, 0))->num : 0;
	if (of->kind == N_SYMBOL) {
		line(G, "%s = stp_stat_get(&%s);", d, global_name(v));
	} else {
		char *k = keys(G, &of->args, NULL);
		line(G, "%s = stp_pmap_get(&%s, %s);", d, global_name(v), k);
	}
	line(G, "if (stp_sd_get(%s, %s, %d, &%s, &%s)) {", d, stat_op_name(n->op), shift, t, msg);
	line(G, "\tstp_error_str(c, %s, %s);", where(n->tok), msg);
	line(G, "\tgoto %s;", G->fail);
	line(G, "}");
	return t;
}

// Assignments of every kind; returns the assigned value.
static char *assign(Gen *G, Node *n)
{
	const char *op = n->op;
	Node *lhs = n->lhs;
	if (!strcmp(op, "<<<")) {
		char *v = expr(G, n->rhs);
		Var *g = lhs->kind == N_SYMBOL ? lhs->var : lhs->lhs->var;
		if (lhs->kind == N_SYMBOL) {
			line(G, "stp_stat_add(&%s, %s);", global_name(g), v);
		} else {
			char *k = keys(G, &lhs->args, NULL);
			line(G, "if (stp_pmap_add(&%s, %s, %s)) {", global_name(g), k, v);
			line(G, "\tstp_error_str(c, %s, STP_MSG_MAP_FULL);", where(lhs->tok));
			line(G, "\tgoto %s;", G->fail);
			line(G, "}");
		}
		return v;
	}
	if (lhs->kind == N_TARGET) {
		// procfs's $value
		char *v = expr(G, n->rhs);
		if (!strcmp(op, ".="))
			line(G, "stp_procfs_append_value(c, %s);", v);
		else
			line(G, "stp_procfs_set_value(c, %s);", v);
		return v;
	}
	bool str = lhs->type == T_STRING || n->rhs->type == T_STRING;
	if (lhs->kind == N_INDEX) {
		Var *g = lhs->lhs->var;
		char *k = keys(G, &lhs->args, NULL);
		char *v = expr(G, n->rhs);
		if (!strcmp(op, "=")) {
			index_store(G, lhs, "=", v, k);
			return v;
		}
		if (!strcmp(op, "+=") && !str) {
			index_store(G, lhs, "+=", v, k);
			char *t = tmp(G, T_LONG);
			line(G, "%s = stp_map_get_long(%s, %s);", t, map_ref(g), k);
			return t;
		}
		// read, compute, write back
		char *cur = tmp(G, g->type);
		if (str) {
			line(G, "stp_str_copy(%s, stp_map_get_str(%s, %s));", cur, map_ref(g), k);
			line(G, "stp_str_cat(%s, %s);", cur, v);
		} else {
			line(G, "%s = stp_map_get_long(%s, %s);", cur, map_ref(g), k);
			char *nv = arith(G, fmt("%.*s", (int)strlen(op) - 1, op), cur, v, n->tok);
			line(G, "%s = %s;", cur, nv);
		}
		index_store(G, lhs, "=", cur, k);
		return cur;
	}
	// a scalar local or global
	char *v = expr(G, n->rhs);
	const char *dst = var_ref(lhs->var);
	if (str) {
		if (!strcmp(op, ".="))
			line(G, "stp_str_cat(%s, %s);", dst, v);
		else
			line(G, "stp_str_copy(%s, %s);", dst, v);
		return (char *)dst;
	}
	if (!strcmp(op, "="))
		line(G, "%s = %s;", dst, v);
	else {
		char *nv = arith(G, fmt("%.*s", (int)strlen(op) - 1, op), (char *)dst, v, n->tok);
		line(G, "%s = %s;", dst, nv);
	}
	return (char *)dst;
}

static char *increment(Gen *G, Node *n)
{
	bool pre = n->kind == N_PRE_INC;
	const char *delta = n->op[0] == '+' ? "1" : "-1";
	Node *lhs = n->lhs;
	char *r = tmp(G, T_LONG);
	if (lhs->kind == N_INDEX) {
		Var *g = lhs->lhs->var;
		char *k = keys(G, &lhs->args, NULL);
		line(G, "%s = stp_map_get_long(%s, %s);", r, map_ref(g), k);
		char *nv = fmt("((s64)((u64)%s + (u64)%s))", r, delta);
		if (pre) {
			line(G, "%s = %s;", r, nv);
			index_store(G, lhs, "=", r, k);
		} else {
			index_store(G, lhs, "=", nv, k);
		}
		return r;
	}
	const char *v = var_ref(lhs->var);
	if (pre) {
		line(G, "%s = (s64)((u64)%s + (u64)%s);", v, v, delta);
		line(G, "%s = %s;", r, v);
	} else {
		line(G, "%s = %s;", r, v);
		line(G, "%s = (s64)((u64)%s + (u64)%s);", v, v, delta);
	}
	return r;
}

static char *regex_match(Gen *G, Node *n)
{
	// compiled at module start; matched with scratch in the frame
	Buf raw = {0}, lit = {0};
	string_decode(n->str, n->len, &raw);
	c_string(&lit, raw.s ? raw.s : "", raw.len);
	int id = G->nregex++;
	buf_printf(G->globals_code, "static struct stp_re re_%d;\t/* %s */\n", id, lit.s);
	buf_printf(G->globals_code, "#define RE_%d_PATTERN %s\n", id, lit.s);
	free(raw.s);
	free(lit.s);
	char *s = expr(G, n->lhs);
	char *r = tmp(G, T_LONG);
	line(G, "%s = stp_regex_match(c, &re_%d, %s);", r, id, s);
	if (!strcmp(n->op, "!~"))
		line(G, "%s = !%s;", r, r);
	return r;
}

static char *expr(Gen *G, Node *n)
{
	switch (n->kind) {
	case N_NUMBER:
		return number(n->num);
	case N_STRING:
		return string_literal(n);
	case N_SYMBOL:
		return (char *)var_ref(n->var);
	case N_EMBED_EXPR:
		if (n->type == T_STRING)
			return fmt("((const char *)(%s))", n->code);
		return fmt("((s64)(%s))", n->code);
	case N_BINARY:
		return arith(G, n->op, expr(G, n->lhs), expr(G, n->rhs), n->tok);
	case N_UNARY: {
		char *a = expr(G, n->lhs);
		if (n->op[0] == '-')
			return fmt("((s64)(0 - (u64)(%s)))", a);
		if (n->op[0] == '+')
			return a;
		return fmt("(%s(%s))", n->op, a);
	}
	case N_PRE_INC:
	case N_POST_INC:
		return increment(G, n);
	case N_LOGICAL: {
		// the right side only runs when needed
		char *r = tmp(G, T_LONG);
		char *a = expr(G, n->lhs);
		bool and = !strcmp(n->op, "&&");
		line(G, "%s = (%s) != 0;", r, a);
		line(G, "if (%s%s) {", and ? "" : "!", r);
		G->ind++;
		char *b = expr(G, n->rhs);
		line(G, "%s = (%s) != 0;", r, b);
		G->ind--;
		line(G, "}");
		return r;
	}
	case N_COMPARE: {
		char *a = expr(G, n->lhs);
		char *b = expr(G, n->rhs);
		if (n->lhs->type == T_STRING)
			return fmt("(strcmp(%s, %s) %s 0)", a, b, n->op);
		return fmt("((s64)(%s %s %s))", a, n->op, b);
	}
	case N_CONCAT: {
		char *a = expr(G, n->lhs);
		char *b = expr(G, n->rhs);
		char *t = tmp(G, T_STRING);
		line(G, "stp_str_copy(%s, %s);", t, a);
		line(G, "stp_str_cat(%s, %s);", t, b);
		return t;
	}
	case N_REGEX:
		return regex_match(G, n);
	case N_TERNARY: {
		char *r = tmp(G, n->type == T_STRING ? T_STRING : T_LONG);
		char *c = expr(G, n->cond);
		line(G, "if (%s) {", c);
		G->ind++;
		char *a = expr(G, n->lhs);
		if (n->type == T_STRING)
			line(G, "stp_str_copy(%s, %s);", r, a);
		else
			line(G, "%s = %s;", r, a);
		G->ind--;
		line(G, "} else {");
		G->ind++;
		char *b = expr(G, n->rhs);
		if (n->type == T_STRING)
			line(G, "stp_str_copy(%s, %s);", r, b);
		else
			line(G, "%s = %s;", r, b);
		G->ind--;
		line(G, "}");
		return r;
	}
	case N_ASSIGN:
		return assign(G, n);
	case N_INDEX:
		return index_read(G, n);
	case N_IN: {
		Node *base = n->lhs;
		unsigned wild;
		char *k = keys(G, &n->args, &wild);
		Var *v = base->var;
		if (v->type == T_STATS) {
			if (wild)
				return fmt("((s64)(stp_pmap_agg(&%s), stp_map_exists_slice(&%s.agg, %s, 0x%x)))",
					   global_name(v), global_name(v), k, wild);
			return fmt("((s64)stp_pmap_exists(&%s, %s))", global_name(v), k);
		}
		if (wild)
			return fmt("((s64)stp_map_exists_slice(%s, %s, 0x%x))", map_ref(v), k, wild);
		return fmt("((s64)stp_map_exists(%s, %s))", map_ref(v), k);
	}
	case N_CALL:
		return call(G, n);
	case N_PRINT:
		return print(G, n);
	case N_STAT:
		return stat_value(G, n);
	case N_TARGET:
		if (!strcmp(n->name, "$value"))
			return "stp_procfs_value(c)";
		return "0";
	case N_DEFINED:
		return n->num ? "1LL" : "0LL";
	case N_ENTRY:
		return expr(G, n->lhs);
	case N_REGISTER:
		return fmt("stp_register(c, %s, %d)", expr(G, n->lhs), !strcmp(n->op, "@uregister"));
	case N_DEREF: {
		char *size = expr(G, VEC_AT(&n->args, 0));
		char *addr = expr(G, VEC_AT(&n->args, 1));
		char *t = tmp(G, T_LONG);
		line(G, "if (stp_deref(c, %s, %s, %s, &%s, %s))", addr, size,
		     !strcmp(n->op, "@uderef") ? "true" : "false", t, where(n->tok));
		line(G, "\tgoto %s;", G->fail);
		return t;
	}
	default:
		return "0";
	}
}

//
// Statements
//

// One statement of the script costs one MAXACTION unit.
static void action(Gen *G, Node *n)
{
	line(G, "if (stp_action(c, 1, %s))", where(n->tok));
	line(G, "\tgoto %s;", G->fail);
}

static void block(Gen *G, Node *n)
{
	for (int i = 0; i < n->list.len; i++)
		stmt(G, VEC_AT(&n->list, i));
}

static void sub_stmt(Gen *G, Node *n)
{
	G->ind++;
	if (n)
		stmt(G, n);
	G->ind--;
}

static void foreach_hist(Gen *G, Node *n)
{
	Node *h = n->lhs;
	Node *of = h->lhs;
	Var *v = of->kind == N_SYMBOL ? of->var : of->lhs->var;
	char *d = frame_field(G, "struct stp_stat_data *", NULL);
	char *i = tmp(G, T_LONG);
	const char *hist;
	if (of->kind == N_SYMBOL) {
		line(G, "%s = stp_stat_get(&%s);", d, global_name(v));
		hist = fmt("&%s.hist", global_name(v));
	} else {
		char *k = keys(G, &of->args, NULL);
		line(G, "%s = stp_pmap_get(&%s, %s);", d, global_name(v), k);
		hist = fmt("&%s_desc.hist", global_name(v));
	}
	char *limit = n->limit ? expr(G, n->limit) : NULL;
	const char *brk = new_label(G, "break"), *cont = new_label(G, "next");
	const char *ob = G->brk, *oc = G->cont;
	G->brk = brk;
	G->cont = cont;
	line(G, "for (%s = 0; %s && %s < stp_hist_nbuckets(%s); %s++) {", i, d, i, hist, i);
	G->ind++;
	if (limit) {
		line(G, "if (%s >= %s)", i, limit);
		line(G, "\tbreak;");
	}
	action(G, n);
	Node *key = VEC_AT(&n->keys, 0);
	line(G, "%s = %s;", var_ref(key->var), i);
	if (n->value_var) {
		char *msg = frame_field(G, "const char *", NULL);
		line(G, "if (stp_sd_bucket(%s, %s, %s, &%s, &%s)) {", d, hist, i,
		     var_ref(n->value_var->var), msg);
		line(G, "\tstp_error(c, %s, \"%%s\", %s);", where(h->tok), msg);
		line(G, "\tgoto %s;", G->fail);
		line(G, "}");
	}
	stmt(G, n->body);
	G->ind--;
	line(G, "%s: __attribute__((unused));", cont);
	line(G, "}");
	line(G, "%s: __attribute__((unused));", brk);
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
	const char *m = map_ref(v);
	if (v->type == T_STATS) {
		line(G, "if (stp_pmap_agg(&%s)) {", global_name(v));
		line(G, "\tstp_error_str(c, %s, STP_MSG_MAP_FULL);", where(n->lhs->tok));
		line(G, "\tgoto %s;", G->fail);
		line(G, "}");
		m = fmt("&%s.agg", global_name(v));
	}
	char *limit = n->limit ? expr(G, n->limit) : NULL;
	if (n->sort.sort_col) {
		int key = n->sort.sort_col > 0 ? n->sort.sort_col : 0;
		const char *op = "STP_STAT_COUNT";
		if (n->sort.sort_agg)
			op = stat_op_name(n->sort.sort_agg);
		line(G, "{");
		line(G, "\tstatic const struct stp_map_sort srt = { .key = %d, .dir = %d, .op = %s };", key,
		     n->sort.sort_dir, op);
		line(G, "\tstp_map_sort((struct stp_map *)%s, &srt, %s > 0 ? %s : 0);", m,
		     limit ? limit : "0", limit ? limit : "0");
		line(G, "}");
	}
	char *it = frame_field(G, "struct stp_map_iter", NULL);
	char *slice = "NULL";
	unsigned wild = 0;
	if (n->args.len)
		slice = keys(G, &n->args, &wild);
	line(G, "stp_map_iter_start(%s, &%s, %s, %s, 0x%x);", m, it, limit ? fmt("((%s) < 0 ? 0 : (%s))", limit, limit) : "-1",
	     slice, wild);
	const char *brk = new_label(G, "break"), *cont = new_label(G, "next");
	const char *ob = G->brk, *oc = G->cont;
	G->brk = brk;
	G->cont = cont;
	line(G, "while (stp_map_iter_next(%s, &%s)) {", m, it);
	G->ind++;
	action(G, n);
	for (int i = 0; i < n->keys.len; i++) {
		Node *k = VEC_AT(&n->keys, i);
		if (!k->var)
			continue;
		if (k->var->type == T_STRING)
			line(G, "stp_str_copy(%s, stp_map_key_str(%s, %s.e, %d));", var_ref(k->var), m, it, i);
		else
			line(G, "%s = stp_map_key_long(%s, %s.e, %d);", var_ref(k->var), m, it, i);
	}
	if (n->value_var && n->value_var->var) {
		Var *vv = n->value_var->var;
		if (vv->type == T_STRING)
			line(G, "stp_str_copy(%s, stp_map_val_str(%s, %s.e));", var_ref(vv), m, it);
		else
			line(G, "%s = *stp_map_val_long(%s, %s.e);", var_ref(vv), m, it);
	}
	stmt(G, n->body);
	G->ind--;
	line(G, "%s: __attribute__((unused));", cont);
	line(G, "}");
	line(G, "%s: __attribute__((unused));", brk);
	G->brk = ob;
	G->cont = oc;
}

static void delete_stmt(Gen *G, Node *n)
{
	Node *t = n->lhs;
	if (t->kind == N_SYMBOL) {
		Var *v = t->var;
		if (v->arity > 0 || v->arity < 0) {
			if (v->type == T_STATS)
				line(G, "stp_pmap_clear(&%s);", global_name(v));
			else
				line(G, "stp_map_clear(%s);", map_ref(v));
		} else if (v->type == T_STATS) {
			line(G, "stp_stat_clear(&%s);", global_name(v));
		} else if (v->type == T_STRING) {
			line(G, "%s[0] = '\\0';", var_ref(v));
		} else {
			line(G, "%s = 0;", var_ref(v));
		}
		return;
	}
	if (t->kind == N_INDEX && t->lhs->kind == N_SYMBOL) {
		Var *v = t->lhs->var;
		unsigned wild;
		char *k = keys(G, &t->args, &wild);
		const char *pre = v->type == T_STATS ? "stp_pmap" : "stp_map";
		const char *m = v->type == T_STATS ? fmt("&%s", global_name(v)) : map_ref(v);
		if (wild)
			line(G, "%s_delete_slice(%s, %s, 0x%x);", pre, m, k, wild);
		else
			line(G, "%s_delete(%s, %s);", pre, m, k);
	}
}

static void stmt(Gen *G, Node *n)
{
	if (!n)
		return;
	switch (n->kind) {
	case N_BLOCK:
		block(G, n);
		return;
	case N_NULL:
		return;
	case N_EXPR_STMT:
		if (n->lhs->kind == N_EMBED_EXPR) {
			line(G, "{");
			buf_printf(G->o, "%s\n", n->lhs->code);
			line(G, "}");
			return;
		}
		action(G, n);
		expr(G, n->lhs);
		return;
	case N_IF: {
		action(G, n);
		char *c = expr(G, n->cond);
		line(G, "if (%s) {", c);
		sub_stmt(G, n->body);
		if (n->els) {
			line(G, "} else {");
			sub_stmt(G, n->els);
		}
		line(G, "}");
		return;
	}
	case N_FOR: {
		action(G, n);
		if (n->init)
			expr(G, n->init);
		const char *brk = new_label(G, "break"), *cont = new_label(G, "next");
		const char *ob = G->brk, *oc = G->cont;
		G->brk = brk;
		G->cont = cont;
		line(G, "for (;;) {");
		G->ind++;
		if (n->cond) {
			char *c = expr(G, n->cond);
			line(G, "if (!(%s))", c);
			line(G, "\tbreak;");
		}
		action(G, n->body);
		stmt(G, n->body);
		line(G, "%s: __attribute__((unused));", cont);
		if (n->incr)
			expr(G, n->incr);
		G->ind--;
		line(G, "}");
		line(G, "%s: __attribute__((unused));", brk);
		G->brk = ob;
		G->cont = oc;
		return;
	}
	case N_FOREACH:
		action(G, n);
		foreach_stmt(G, n);
		return;
	case N_RETURN:
		action(G, n);
		if (n->lhs && G->func) {
			char *v = expr(G, n->lhs);
			if (G->func->type == T_STRING)
				line(G, "stp_str_copy(l->retval, %s);", v);
			else
				line(G, "l->retval = %s;", v);
		}
		line(G, "goto out;");
		return;
	case N_NEXT:
		action(G, n);
		if (G->func && G->func->next_overload) {
			// the next overload runs on this same frame (same layout
			// of return value and parameters)
			line(G, "fn_%d(c);", G->func->next_overload->index);
			line(G, "goto out;");
		} else {
			line(G, "goto out;");
		}
		return;
	case N_BREAK:
		action(G, n);
		line(G, "goto %s;", G->brk);
		return;
	case N_CONTINUE:
		action(G, n);
		line(G, "goto %s;", G->cont);
		return;
	case N_DELETE:
		action(G, n);
		delete_stmt(G, n);
		return;
	case N_TRY: {
		action(G, n);
		const char *catch = new_label(G, "catch"), *end = new_label(G, "end_try");
		const char *outer = G->fail;
		G->fail = catch;
		line(G, "{");
		sub_stmt(G, n->body);
		line(G, "}");
		G->fail = outer;
		line(G, "goto %s;", end);
		line(G, "%s: __attribute__((unused));", catch);
		if (n->lhs && n->lhs->var)
			line(G, "stp_str_copy(%s, c->last_error ? c->last_error : \"\");", var_ref(n->lhs->var));
		line(G, "stp_error_clear(c);");
		line(G, "{");
		sub_stmt(G, n->els);
		line(G, "}");
		line(G, "%s: __attribute__((unused));", end);
		return;
	}
	default:
		expr(G, n);
		return;
	}
}

//
// Frames, probes and functions
//

static void frame_vars(Buf *b, Vec *vars, const char *prefix)
{
	for (int i = 0; i < vars->len; i++) {
		Var *v = VEC_AT(vars, i);
		if (v->type == T_STRING)
			buf_printf(b, "\tchar %s%s[MAXSTRINGLEN];\n", prefix, cname(v->name));
		else
			buf_printf(b, "\ts64 %s%s;\n", prefix, cname(v->name));
	}
}

static void location(Buf *b, Token *t)
{
	if (t && t->file)
		buf_printf(b, "%s:%d:%d", t->file->name, t->line, t->col);
	else
		buf_puts(b, "<synthesized>");
}

// Declarations and bodies of a function; retval comes first, then the
// parameters, so the overloads `next` walks share a layout.
static void gen_function(Gen *G, Buf *decls, Buf *code, Func *f)
{
	Buf frame = {0}, body = {0};
	G->o = &body;
	G->frame = &frame;
	G->ntmp = 0;
	G->nlabel = 0;
	G->func = f;
	G->probe = NULL;
	G->fail = "out";
	G->ind = 1;
	if (f->type == T_STRING)
		buf_puts(&frame, "\tchar retval[MAXSTRINGLEN];\n");
	else
		buf_puts(&frame, "\ts64 retval;\n");
	frame_vars(&frame, &f->params, "a_");
	frame_vars(&frame, &f->locals, "l_");
	Buf loc = {0};
	location(&loc, f->decl->tok);
	if (f->decl->is_embedded) {
		line(G, "struct fr_fn_%d *l = stp_frame(c, c->nesting);", f->index);
		for (int i = 0; i < f->params.len; i++) {
			Var *p = VEC_AT(&f->params, i);
			line(G, "#define STAP_ARG_%s (l->a_%s)", cname(p->name), cname(p->name));
		}
		line(G, "#define STAP_RETVALUE (l->retval)");
		if (f->type == T_STRING)
			line(G, "#define STAP_RETURN(v) do { stp_str_copy(STAP_RETVALUE, (v)); goto out; } while (0)");
		else
			line(G, "#define STAP_RETURN(v) do { STAP_RETVALUE = (v); goto out; } while (0)");
		line(G, "#define STAP_ERROR(...) do { stp_error(c, NULL, __VA_ARGS__); goto out; } while (0)");
		line(G, "#define CONTEXT c");
		line(G, "#define THIS l");
		buf_printf(&body, "\t{\n%s\n\t}\n", f->decl->code);
		line(G, "goto out;");
		line(G, "#undef STAP_RETURN");
		line(G, "#undef STAP_ERROR");
		line(G, "#undef STAP_RETVALUE");
		line(G, "#undef CONTEXT");
		line(G, "#undef THIS");
		for (int i = 0; i < f->params.len; i++) {
			Var *p = VEC_AT(&f->params, i);
			line(G, "#undef STAP_ARG_%s", cname(p->name));
		}
	} else {
		line(G, "struct fr_fn_%d *l = stp_frame(c, c->nesting);", f->index);
		block(G, f->decl->body);
	}
	buf_printf(decls, "struct fr_fn_%d {\t/* function %s at %s */\n%s};\n", f->index, f->name, loc.s,
		   frame.s ? frame.s : "");
	buf_printf(code, "/* function %s (%s) */\nstatic void fn_%d(struct context *c)\n{\n%sout: __attribute__((unused));\n\t(void)l;\n}\n\n",
		   f->name, loc.s, f->index, body.s ? body.s : "");
	free(frame.s);
	free(body.s);
	free(loc.s);
}

static void gen_probe(Gen *G, Buf *decls, Buf *code, Probe *p, int idx)
{
	Buf frame = {0}, body = {0};
	G->o = &body;
	G->frame = &frame;
	G->ntmp = 0;
	G->nlabel = 0;
	G->func = NULL;
	G->probe = p;
	G->fail = "out";
	G->ind = 1;
	frame_vars(&frame, &p->locals, "l_");
	line(G, "struct fr_probe_%d *l = stp_frame(c, 0);", idx);
	if (p->cond) {
		char *c = expr(G, p->cond);
		line(G, "if (!(%s))", c);
		line(G, "\tgoto out;");
	}
	block(G, p->body);
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
// Locks: every global a probe (or anything it calls) touches
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

static Var *target_var(Node *n)
{
	if (n->kind == N_SYMBOL)
		return n->var;
	if (n->kind == N_INDEX && n->lhs->kind == N_SYMBOL)
		return n->lhs->var;
	return NULL;
}

static void lock_walk(Locks *L, Node *n)
{
	if (!n)
		return;
	switch (n->kind) {
	case N_SYMBOL:
		lock_var(L, n->var, 1);
		return;
	case N_ASSIGN:
		// <<< only needs the read lock: statistics are per CPU
		lock_var(L, target_var(n->lhs), strcmp(n->op, "<<<") ? 2 : 1);
		break;
	case N_PRE_INC:
	case N_POST_INC:
	case N_DELETE:
		lock_var(L, target_var(n->lhs), 2);
		break;
	case N_FOREACH:
		// sorting reorders the array; statistics arrays aggregate
		if (n->lhs->kind == N_SYMBOL)
			lock_var(L, n->lhs->var, 2);
		break;
	case N_STAT:
	case N_HIST:
	case N_IN:
		if (n->lhs->kind == N_SYMBOL && n->lhs->var && n->lhs->var->type == T_STATS)
			lock_var(L, n->lhs->var, 2);
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
	lock_walk(&L, p->cond);
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
		const char *g = global_name(v);
		Node *iv = v->decl ? v->decl->gl_init : NULL;
		if (v->arity > 0) {
			const char *type = v->type == T_STATS ? "struct stp_pmap" : "struct stp_map";
			buf_printf(b, "static %s %s;\t/* global %s */\n", type, g, v->name);
			buf_printf(b, "static struct stp_map_desc %s_desc = { .nkeys = %d, .ktype = { ", g, v->arity);
			for (int k = 0; k < v->arity; k++)
				buf_printf(b, "%s%s", k ? ", " : "", stat_types[rt_type(v->key_types[k])]);
			buf_printf(b, " }, .vtype = %s, .wrap = %d, .maxent = %lld", stat_types[rt_type(v->type)],
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
			Buf lit = {0};
			if (iv) {
				Buf raw = {0};
				string_decode(iv->str, iv->len, &raw);
				c_string(&lit, raw.s ? raw.s : "", raw.len);
				free(raw.s);
			}
			buf_printf(b, "static char %s[MAXSTRINGLEN]%s%s;\t/* global %s */\n", g, iv ? " = " : "",
				   iv ? lit.s : "", v->name);
			buf_printf(b, "STP_PARAM_STRING(%s, %s);\n", cname(v->name), g);
			free(lit.s);
		} else {
			buf_printf(b, "static s64 %s%s%s;\t/* global %s */\n", g, iv ? " = " : "",
				   iv ? number(iv->num) : "", v->name);
			buf_printf(b, "STP_PARAM_LONG(%s, %s);\n", cname(v->name), g);
		}
	}
	if (s->globals.len) {
		buf_puts(b, "\nstatic struct stp_global stp_globals[] = {\n");
		for (int i = 0; i < s->globals.len; i++) {
			Var *v = VEC_AT(&s->globals, i);
			buf_printf(b, "\tSTP_GLOBAL(%s),\n", c_lit(v->name));
		}
		buf_puts(b, "};\n");
	}
}

// The histograms of statistics are known from their @hist_* uses.
typedef struct {
	Session *s;
	Buf *init;
	int errors;
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
		Node *of = n->lhs;
		Var *v = of->kind == N_SYMBOL ? of->var : of->kind == N_INDEX ? of->lhs->var : NULL;
		if (v)
			v->shift = (int)((Node *)VEC_AT(&n->args, 0))->num;
	}
	if (n->kind == N_HIST) {
		Node *of = n->lhs;
		Var *v = of->kind == N_SYMBOL ? of->var : of->kind == N_INDEX ? of->lhs->var : NULL;
		if (v && !v->read) {
			// first histogram of this statistic decides its buckets
			v->read = true;
			const char *g = fmt("g_%s", cname(v->name));
			const char *h = v->arity > 0 ? fmt("%s_desc.hist", g) : fmt("%s_hist", g);
			if (!strcmp(n->op, "@hist_log")) {
				buf_printf(H->init, "\tstp_hist_log(&%s);\n", h);
			} else {
				Node *lo = VEC_AT(&n->args, 0), *hi = VEC_AT(&n->args, 1), *st = VEC_AT(&n->args, 2);
				buf_printf(H->init, "\tif (stp_hist_linear(&%s, %lldLL, %lldLL, %lldLL, &hist_msg)) {\n"
					   "\t\tstp_warn(\"%%s\", hist_msg);\n\t\treturn -EINVAL;\n\t}\n", h,
					   (long long)lo->num, (long long)hi->num, (long long)st->num);
			}
		}
	}
	node_children(n, hist_child, H);
}

void dump_pass2(FILE *out, Session *s);

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
	Vec funcs = {0};
	for (int i = 0; i < s->funcs.len; i++) {
		Func *f = VEC_AT(&s->funcs, i);
		if (f->used) {
			f->index = funcs.len;
			vec_push(&funcs, f);
		}
	}

	buf_puts(&head, "/* Generated by stap (SystemTap-compatible translator). */\n");
	buf_puts(&head, "#include \"runtime.h\"\n#include \"regex.h\"\n#include \"stp_lang.h\"\n\n");

	// statistics with histograms: which kind, from the uses
	for (int i = 0; i < s->globals.len; i++)
		((Var *)VEC_AT(&s->globals, i))->read = false;
	Hists H = {.s = s, .init = &hists};
	for (int i = 0; i < live.len; i++)
		hist_walk(&H, ((Probe *)VEC_AT(&live, i))->body);
	for (int i = 0; i < funcs.len; i++) {
		Func *f = VEC_AT(&funcs, i);
		if (!f->decl->is_embedded)
			hist_walk(&H, f->decl->body);
	}
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
		buf_printf(&tables, "\t{ .handler = probe_%d, .pp = %s, .location = %s", i, c_lit(p->pp), c_lit(loc.s));
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
