// parse.c: tokens to AST, by recursive descent.
//
// The grammar and its precedence table are SystemTap's (lowest first):
//
//   assignment    = ternary [assign-op assignment]        (right assoc.)
//   ternary       = logical-or ['?' expression ':' ternary]
//   logical-or    = logical-and ('||' logical-and)*
//   logical-and   = bit-or ('&&' bit-or)*
//   bit-or / bit-xor / bit-and: '|' '^' '&'
//   array-in      = comparison ['in' array]   |  '[' index-list ']' 'in' array
//                   |  '[' comparison ']'       (index: comparison or '*')
//   comparison    = shift ('=~' | '!~') string  |  shift (('<' '>' '<=' '>=' '==' '!=') shift)*
//   shift         = concat (('<<' '>>' '>>>') concat)*
//   concat        = additive ('.' additive)*
//   additive      = multiplicative (('+' '-') multiplicative)*
//   multiplicative= unary (('*' '/' '%') unary)*
//   unary         = ('-' '+' '~' '!' '&') unary | ('++' '--') unary | postfix
//   postfix       = value ['++' | '--']
//
// A syntax error abandons the current top-level declaration (longjmp) and
// parsing resumes at the next 'probe', 'global', 'private', 'function' or
// '%{', so one run reports several errors.
#include "stap.h"

#include <limits.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>


typedef struct {
	Token *tok;
	SrcFile *file;
	Session *s;
	jmp_buf recover;
	bool in_function;
	bool guru;
} Parser;

NORETURN static void error_at(Parser *P, Token *t, const char *label, const char *fmt, ...) PRINTF(4, 5);
static void error_at(Parser *P, Token *t, const char *label, const char *fmt, ...)
{
	// at a junk token, the error it stands for (the lexer's), or none
	// when the preprocessor reported it already
	if (!lex_junk_error(t)) {
		va_list ap;
		va_start(ap, fmt);
		diag_v(DIAG_PARSE, t, label, fmt, ap);
		va_end(ap);
	}
	longjmp(P->recover, 1);
}


#define peek(P) ((P)->tok)
static Token *next(Parser *P)
{
	Token *t = P->tok;
	if (t->kind != TK_EOF)
		P->tok = t->next;
	return t;
}

#define at(P, op) tok_is((P)->tok, op)
#define accept(P, op) (at(P, op) ? (next(P), true) : false)

static Token *expect_(Parser *P, bool ok, const char *op)
{
	if (!ok)
		error_at(P, P->tok, "saw", "expected '%s'", op);
	return next(P);
}
#define expect(P, op) expect_(P, at(P, op), op)

static Node *new_node(NodeKind kind, Token *t)
{
	Node *n = NEW(Node);
	n->kind = kind;
	n->tok = t;
	return n;
}

static Token *expect_ident(Parser *P)
{
	if (P->tok->kind != TK_IDENT)
		error_at(P, P->tok, "saw", "expected identifier");
	return next(P);
}

// Take a number token, which must be well formed and in range.
static Token *number(Parser *P)
{
	Token *t = next(P);
	if (!lex_number_valid(t))
		error_at(P, t, "saw", "number invalid or out of range");
	return t;
}

// Adjacent string literals are one string.
static Node *string_literal(Parser *P)
{
	Token *t = next(P);
	Node *n = new_node(N_STRING, t);
	if (t->next->kind != TK_STRING) {
		n->str = t->text;
		n->len = t->len;
		return n;
	}
	Buf b = {0};
	buf_putn(&b, t->text, t->len);
	while (P->tok->kind == TK_STRING) {
		Token *u = next(P);
		buf_putn(&b, u->text, u->len);
	}
	n->str = intern(b.s, b.len);
	n->len = b.len;
	free(b.s);
	return n;
}

static Node *expect_string(Parser *P)
{
	if (P->tok->kind != TK_STRING)
		error_at(P, P->tok, "saw", "expected literal string");
	return string_literal(P);
}

// A literal: number (optionally negated) or string.  A negated number may
// go down to INT64_MIN, no further.
static Node *literal(Parser *P, bool allow_negative)
{
	Token *t = P->tok;
	if (t->kind == TK_STRING)
		return string_literal(P);
	bool neg = allow_negative && tok_is(t, "-");
	if (neg)
		next(P);
	if (P->tok->kind != TK_NUMBER)
		error_at(P, P->tok, "saw", "expected literal string or number");
	Token *nt = number(P);
	if (neg && (uint64_t)nt->num > (uint64_t)1 << 63)
		error_at(P, nt, "saw", "number invalid or out of range");
	Node *n = new_node(N_NUMBER, neg ? t : nt);
	n->num = neg ? (int64_t)(0 - (uint64_t)nt->num) : nt->num;
	return n;
}

// The register number of @kregister/@uregister and the size of
// @kderef/@uderef: a literal number, kept as SystemTap does in 32 bits
// unsigned (-1 is 4294967295).
static Node *number_literal(Parser *P);
static Node *u32_literal(Parser *P)
{
	Node *n = number_literal(P);
	n->num = (uint32_t)n->num;
	return n;
}

static Node *expression(Parser *P);
static Node *statement(Parser *P);
static Node *block(Parser *P);
static Node *unary(Parser *P);
static Node *value(Parser *P);

static bool is_print_name(const char *n)
{
	if (n[0] != 'p' && n[0] != 's')
		return false;
	static const char *const names[] = {
		"print", "println", "printf", "printd", "printdln",
		"sprint", "sprintln", "sprintf", "sprintd", "sprintdln",
	};
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (strcmp(n, names[i]) == 0)
			return true;
	return false;
}

static bool is_stat_op(const char *n)
{
	return !strcmp(n, "@count") || !strcmp(n, "@sum") || !strcmp(n, "@min") ||
	       !strcmp(n, "@max") || !strcmp(n, "@avg") || !strcmp(n, "@variance");
}

static bool is_hist_op(const char *n)
{
	return !strcmp(n, "@hist_log") || !strcmp(n, "@hist_linear");
}

// Index lists of arrays may hold '*' (slices); NULL stands for it.
static void index_list(Parser *P, Vec *args, bool allow_star)
{
	do {
		if (allow_star && at(P, "*")) {
			next(P);
			vec_push(args, NULL);
		} else {
			vec_push(args, expression(P));
		}
	} while (accept(P, ","));
	expect(P, "]");
}

static bool is_pretty_token(const Token *t)
{
	return t->kind == TK_IDENT && (!strcmp(t->text, "$") || !strcmp(t->text, "$$"));
}

static bool ends_pretty(const Node *n)
{
	return n->nmembers && n->members[n->nmembers - 1].kind >= M_PRETTY;
}

static void add_member(Vec *ms, MemberKind kind, const char *name, Node *index)
{
	Member *m = NEW(Member);
	m->kind = kind;
	m->name = name;
	m->index = index;
	vec_push(ms, m);
}

// A pretty-printing suffix of n '$'.  SystemTap 4.8 accepts (and prints)
// any number; three and more keep their text in name for the dump.
static void add_pretty(Vec *ms, const char *dollars, size_t n)
{
	add_member(ms, n == 1 ? M_PRETTY : M_PRETTY2, n > 2 ? intern(dollars, n) : NULL, NULL);
}

// Where the pretty-printing suffix of a word starts ("$var$$" -> 4,
// "field$" -> 5): the first '$' after the prefix and one more character,
// when only '$' follow; len when there is none.
static size_t pretty_split(const char *s, size_t len, size_t prefix)
{
	if (prefix >= len || s[prefix] == '$')
		return len;
	const char *d = memchr(s + prefix + 1, '$', len - prefix - 1);
	if (!d)
		return len;
	for (const char *q = d; q < s + len; q++)
		if (*q != '$')
			return len;
	return d - s;
}

// What may follow a value: ->field, [index], and the pretty-printing
// suffixes: "->$", "->$$", "->field$", or a "$"/"$$" token of its own
// ("$var $$").  A pretty-printed value takes nothing more.
static void members(Parser *P, Node *n)
{
	Vec ms = {0};
	bool pretty = ends_pretty(n);
	for (;;) {
		if (pretty) {
			if (at(P, "->") || at(P, "["))
				error_at(P, P->tok, "saw", "-> and [ are not accepted for a pretty-printing variable");
			break;
		}
		if (is_pretty_token(P->tok)) {
			add_pretty(&ms, P->tok->text, P->tok->len);
			next(P);
			pretty = true;
		} else if (at(P, "->")) {
			next(P);
			Token *t = P->tok;
			if (is_pretty_token(t)) {
				add_pretty(&ms, t->text, t->len);
				pretty = true;
			} else if (t->kind == TK_IDENT || t->kind == TK_KEYWORD) {
				size_t base = pretty_split(t->text, t->len, 0);
				add_member(&ms, M_FIELD, intern(t->text, base), NULL);
				if (base < t->len) {
					add_pretty(&ms, t->text + base, t->len - base);
					pretty = true;
				}
			} else {
				error_at(P, t, "saw", "expected field name");
			}
			next(P);
		} else if (at(P, "[")) {
			next(P);
			add_member(&ms, M_INDEX, NULL, expression(P));
			expect(P, "]");
		} else {
			break;
		}
	}
	if (!ms.len)
		return;
	Member *all = arena_alloc(sizeof(Member) * (n->nmembers + ms.len));
	if (n->nmembers)
		memcpy(all, n->members, sizeof(Member) * n->nmembers);
	for (int i = 0; i < ms.len; i++)
		all[n->nmembers + i] = *(Member *)VEC_AT(&ms, i);
	n->members = all;
	n->nmembers += ms.len;
}

// $var, $var$, $$vars, $$parms$$ ...: a trailing $ or $$ is a
// pretty-print request, split off the name ("$", "$$", "$$$" are names).
static Node *target_symbol(Parser *P)
{
	Token *t = next(P);
	Node *n = new_node(N_TARGET, t);
	size_t base = pretty_split(t->text, t->len, t->text[1] == '$' ? 2 : 1);
	n->name = intern(t->text, base);
	if (base < t->len) {
		Vec ms = {0};
		add_pretty(&ms, t->text + base, t->len - base);
		n->members = VEC_AT(&ms, 0);
		n->nmembers = 1;
	}
	members(P, n);
	return n;
}

static void check_guru(Parser *P, Token *t, const char *what)
{
	if (!P->guru)
		diag(DIAG_PARSE, t, "saw", "%s in unprivileged script; need stap -g", what);
}

// @const, @kregister, @kderef
static void check_guru_operator(Parser *P, Token *t)
{
	if (!P->guru)
		diag(DIAG_PARSE, t, "saw", "using %s operator not permitted; need stap -g", t->text);
}

static Node *hist_op(Parser *P);
static bool is_pretty_token(const Token *t);

// "@hist_log(s)[i]": a bucket of a histogram.
static Node *hist_bucket(Parser *P, Token *t, Node *h)
{
	expect(P, "[");
	Node *n = new_node(N_INDEX, t);
	n->lhs = h;
	index_list(P, &n->args, true);
	return n;
}

// "(" args ")" of a function call.
static void call_args(Parser *P, Vec *args)
{
	expect(P, "(");
	if (accept(P, ")"))
		return;
	for (;;) {
		vec_push(args, expression(P));
		if (accept(P, ")"))
			return;
		if (!at(P, ","))
			error_at(P, P->tok, "saw", "expected one of ', )'");
		next(P);
	}
}

static Node *print_call(Parser *P, Token *t)
{
	Node *n = new_node(N_PRINT, t);
	const char *name = t->text;
	n->name = name;
	n->print_to_string = name[0] == 's';
	const char *base = n->print_to_string ? name + 1 : name;
	n->print_format = !strcmp(base, "printf");
	n->print_delim = !strncmp(base, "printd", 6);
	n->print_ln = base[strlen(base) - 2] == 'l' && base[strlen(base) - 1] == 'n';
	expect(P, "(");
	if (n->print_format || n->print_delim) {
		Node *fmt = expect_string(P);
		vec_push(&n->args, fmt);
		if (n->print_format) {
			const char *err = parse_format(fmt->str, fmt->len, &n->format);
			if (err)
				error_at(P, P->tok, "saw", "%s", err);
		}
		if (!at(P, ")") && !at(P, ","))
			error_at(P, P->tok, "saw", "expected one of ', )'");
		while (accept(P, ","))
			vec_push(&n->args, expression(P));
		expect(P, ")");
		// printd needs a delimiter and two values at least
		if (n->print_delim && n->args.len < 3)
			error_at(P, P->tok, "saw", "expected literal string or number");
		return n;
	}
	if (at(P, ")")) {
		// only println() and sprintln() may go without arguments
		if (!n->print_ln)
			error_at(P, P->tok, "saw", "expected literal string or number");
		next(P);
		return n;
	}
	// the first argument may be a whole histogram, then the only one, or
	// a bucket (taking no operators)
	if (P->tok->kind == TK_IDENT && is_hist_op(P->tok->text)) {
		Token *h = P->tok;
		Node *hist = hist_op(P);
		if (!at(P, "[")) {
			vec_push(&n->args, hist);
			expect(P, ")");
			return n;
		}
		vec_push(&n->args, hist_bucket(P, h, hist));
		if (accept(P, ")"))
			return n;
		if (!at(P, ","))
			error_at(P, P->tok, "saw", "expected one of ', )'");
		next(P);
	}
	for (;;) {
		vec_push(&n->args, expression(P));
		if (accept(P, ")"))
			break;
		if (!at(P, ","))
			error_at(P, P->tok, "saw", "expected one of ', )'");
		next(P);
	}
	return n;
}

// A literal number, maybe negative (not a string).
static Node *number_literal(Parser *P)
{
	if (P->tok->kind != TK_NUMBER && !at(P, "-"))
		error_at(P, P->tok, "saw", "expected number");
	return literal(P, true);
}

// @hist_log(v) / @hist_linear(v, lo, hi, step)
static Node *hist_op(Parser *P)
{
	Token *t = next(P);
	Node *n = new_node(N_HIST, t);
	n->op = t->text;
	expect(P, "(");
	n->lhs = expression(P);
	if (!strcmp(t->text, "@hist_linear")) {
		for (int i = 0; i < 3; i++) {
			expect(P, ",");
			vec_push(&n->args, number_literal(P));
		}
	}
	expect(P, ")");
	return n;
}

// @count(s) ... @variance(s[, shift]): nparams literals may follow the
// value.
static Node *stat_op(Parser *P, Token *t)
{
	next(P);
	Node *n = new_node(N_STAT, t);
	n->op = t->text;
	expect(P, "(");
	n->lhs = expression(P);
	int extra = !strcmp(t->text, "@variance");
	for (int i = 0; i < extra && accept(P, ","); i++)
		vec_push(&n->args, number_literal(P));
	if (at(P, ","))
		error_at(P, P->tok, "at", extra ? "not more than %d parameters allowed"
			 : "not more than %d parameter allowed", extra + 1);
	expect(P, ")");
	return n;
}

static Node *string_arg(Parser *P)
{
	if (P->tok->kind != TK_STRING)
		error_at(P, P->tok, "saw", "expected string");
	return string_literal(P);
}

// @cast(addr, "type"[, "module"]) and @var("name"[, "module"])
static Node *cast_or_var(Parser *P, Token *t)
{
	next(P);
	bool cast = !strcmp(t->text, "@cast");
	Node *n = new_node(cast ? N_CAST : N_ATVAR, t);
	expect(P, "(");
	if (cast) {
		n->lhs = expression(P);
		expect(P, ",");
	}
	n->str = string_arg(P)->str;
	if (accept(P, ","))
		n->module = string_arg(P)->str;
	expect(P, ")");
	return n;
}

// The @operators (and @words that are none: an error).
static Node *at_operator(Parser *P)
{
	Token *t = P->tok;
	const char *name = t->text;
	if (is_hist_op(name)) {
		Node *h = hist_op(P);
		if (!at(P, "["))
			error_at(P, t, "at", "base histogram operator where expression expected");
		return hist_bucket(P, t, h);
	}
	if (is_stat_op(name))
		return stat_op(P, t);
	if (!strcmp(name, "@cast") || !strcmp(name, "@var"))
		return cast_or_var(P, t);
	if (!strcmp(name, "@entry") || !strcmp(name, "@defined")) {
		next(P);
		Node *n = new_node(name[1] == 'e' ? N_ENTRY : N_DEFINED, t);
		expect(P, "(");
		n->lhs = expression(P);
		expect(P, ")");
		return n;
	}
	if (!strcmp(name, "@probewrite")) {
		// of a variable only
		next(P);
		Node *n = new_node(N_PROBEWRITE, t);
		expect(P, "(");
		Token *v = expect_ident(P);
		n->lhs = new_node(N_SYMBOL, v);
		n->lhs->name = v->text;
		expect(P, ")");
		return n;
	}
	if (!strcmp(name, "@perf")) {
		next(P);
		Node *n = new_node(N_PERF, t);
		expect(P, "(");
		n->str = expect_string(P)->str;
		expect(P, ")");
		return n;
	}
	if (!strcmp(name, "@kregister") || !strcmp(name, "@uregister")) {
		if (name[1] == 'k')
			check_guru_operator(P, t);
		next(P);
		Node *n = new_node(N_REGISTER, t);
		n->op = name;
		expect(P, "(");
		n->lhs = u32_literal(P);
		expect(P, ")");
		return n;
	}
	if (!strcmp(name, "@kderef") || !strcmp(name, "@uderef")) {
		if (name[1] == 'k')
			check_guru_operator(P, t);
		next(P);
		Node *n = new_node(N_DEREF, t);
		n->op = name;
		expect(P, "(");
		vec_push(&n->args, u32_literal(P));
		expect(P, ",");
		vec_push(&n->args, expression(P));
		expect(P, ")");
		return n;
	}
	if (!strcmp(name, "@const")) {
		check_guru_operator(P, t);
		next(P);
		expect(P, "(");
		Node *s = expect_string(P);
		expect(P, ")");
		Node *n = new_node(N_EMBED_EXPR, t);
		n->code = arena_printf("/* pure */ /* unprivileged */ /* stable */ %s", s->str);
		return n;
	}
	if (!strcmp(name, "@enum")) {
		// An extension over SystemTap 4.8 (which has no @enum): the value
		// of an enumerator, resolved like @const.
		next(P);
		Node *n = new_node(N_ENUM, t);
		expect(P, "(");
		n->str = expect_string(P)->str;
		if (accept(P, ","))
			n->module = expect_string(P)->str;
		expect(P, ")");
		return n;
	}
	error_at(P, t, "saw", "unknown operator %s", name);
}

// The atoms of expressions, before members.
static Node *primary(Parser *P)
{
	Token *t = P->tok;
	switch (t->kind) {
	case TK_NUMBER: {
		number(P);
		Node *n = new_node(N_NUMBER, t);
		n->num = t->num;
		return n;
	}
	case TK_STRING:
		return string_literal(P);
	case TK_EMBEDDED: {
		next(P);
		check_guru(P, t, "embedded expression code");
		Node *n = new_node(N_EMBED_EXPR, t);
		n->code = t->text;
		return n;
	}
	case TK_OP:
		if (at(P, "(")) {
			next(P);
			Node *e = expression(P);
			expect(P, ")");
			return e;
		}
		error_at(P, t, "saw", "expected literal string or number");
	case TK_IDENT:
		break;
	default:
		error_at(P, t, "saw", "expected literal string or number");
	}

	const char *name = t->text;
	if (name[0] == '$')
		return target_symbol(P);
	if (name[0] == '@')
		return at_operator(P);

	next(P);
	if (is_print_name(name)) // print & co. are calls only
		return print_call(P, t);
	if (at(P, "(")) {
		Node *n = new_node(N_CALL, t);
		n->name = name;
		call_args(P, &n->args);
		return n;
	}
	Node *sym = new_node(N_SYMBOL, t);
	sym->name = name;
	if (at(P, "[")) {
		next(P);
		Node *n = new_node(N_INDEX, t);
		n->lhs = sym;
		index_list(P, &n->args, true);
		return n;
	}
	return sym;
}

// A value with its members: target values and casts take them directly;
// any other value (a parenthesized target value too) followed by ->, [ or
// $ is cast automatically: "(p)->a", "f()[1]", "a[1][2]", "($a)$".
// (Under '&', SystemTap takes "&($a)->b" as "&$a->b": addr says so.)
static Node *value_(Parser *P, bool addr)
{
	Token *t = P->tok;
	bool parenthesized = at(P, "(") && !addr;
	Node *e = primary(P);
	if (!parenthesized && (e->kind == N_TARGET || e->kind == N_CAST || e->kind == N_ATVAR)) {
		members(P, e);
		return e;
	}
	if (!at(P, "->") && !at(P, "[") && !is_pretty_token(P->tok))
		return e;
	Node *a = new_node(N_AUTOCAST, t);
	a->lhs = e;
	members(P, a);
	return a;
}

// A value, or '&' and a value (SystemTap's place for it: "&x++" is
// "(&x)++", and "&-1" takes -1 as one literal).
static Node *value(Parser *P)
{
	if (!at(P, "&"))
		return value_(P, false);
	Token *t = next(P);
	Node *e = at(P, "-") ? literal(P, true) : value_(P, true);
	if ((e->kind == N_TARGET || e->kind == N_CAST || e->kind == N_ATVAR ||
	     (e->kind == N_AUTOCAST && e->nmembers)) && !e->addr_of) {
		e->addr_of = true;
		return e;
	}
	Node *n = new_node(N_AUTOCAST, t);
	n->lhs = e;
	n->addr_of = true;
	return n;
}

static Node *postfix(Parser *P)
{
	Node *e = value(P);
	if (at(P, "++") || at(P, "--")) {
		Token *t = next(P);
		Node *n = new_node(N_POST_INC, t);
		n->op = t->text;
		n->lhs = e;
		return n;
	}
	return e;
}

static Node *unary(Parser *P)
{
	Token *t = P->tok;
	if (at(P, "++") || at(P, "--")) {
		next(P);
		Node *n = new_node(N_PRE_INC, t);
		n->op = t->text;
		n->lhs = unary(P);
		return n;
	}
	if (at(P, "-") || at(P, "+") || at(P, "~") || at(P, "!")) {
		next(P);
		Node *n = new_node(N_UNARY, t);
		n->op = t->text;
		n->lhs = unary(P);
		return n;
	}
	return postfix(P);
}

static Node *binary(Token *t, NodeKind kind, Node *l, Node *r)
{
	Node *n = new_node(kind, t);
	n->op = t->text;
	n->lhs = l;
	n->rhs = r;
	return n;
}

static Node *multiplicative(Parser *P)
{
	Node *n = unary(P);
	while (at(P, "*") || at(P, "/") || at(P, "%")) {
		Token *t = next(P);
		n = binary(t, N_BINARY, n, unary(P));
	}
	return n;
}

static Node *additive(Parser *P)
{
	Node *n = multiplicative(P);
	while (at(P, "+") || at(P, "-")) {
		Token *t = next(P);
		n = binary(t, N_BINARY, n, multiplicative(P));
	}
	return n;
}

static Node *concatenation(Parser *P)
{
	Node *n = additive(P);
	while (at(P, ".")) {
		Token *t = next(P);
		n = binary(t, N_CONCAT, n, additive(P));
	}
	return n;
}

static Node *shift(Parser *P)
{
	Node *n = concatenation(P);
	while (at(P, "<<") || at(P, ">>") || at(P, ">>>")) {
		Token *t = next(P);
		n = binary(t, N_BINARY, n, concatenation(P));
	}
	return n;
}

// A regular expression match takes a shift expression and ends the
// comparison: "a < b =~ c" and "a =~ b == c" do not parse (as in SystemTap).
static Node *comparison(Parser *P)
{
	Node *n = shift(P);
	if (at(P, "=~") || at(P, "!~")) {
		Token *t = next(P);
		Node *r = new_node(N_REGEX, t);
		r->op = t->text;
		r->lhs = n;
		Node *s = expect_string(P);
		r->str = s->str;
		r->len = s->len;
		return r;
	}
	while (at(P, "<") || at(P, ">") || at(P, "<=") || at(P, ">=") || at(P, "==") ||
	       at(P, "!=")) {
		Token *t = next(P);
		n = binary(t, N_COMPARE, n, shift(P));
	}
	return n;
}

// The array of "in" and foreach: a name, or a histogram.
static Node *array_ref(Parser *P)
{
	if (P->tok->kind == TK_IDENT && is_hist_op(P->tok->text))
		return hist_op(P);
	Token *t = expect_ident(P);
	if (t->text[0] == '$' || t->text[0] == '@')
		error_at(P, t, "saw", "expected an array name");
	Node *n = new_node(N_SYMBOL, t);
	n->name = t->text;
	return n;
}

// "[i, j] in a" (the indexes are comparisons, or '*'), "i in a"; a
// bracketed single expression without 'in' is that expression.
static Node *array_in(Parser *P)
{
	Token *t = P->tok;
	if (at(P, "[")) {
		next(P);
		Node *n = new_node(N_IN, t);
		for (;;) {
			vec_push(&n->args, accept(P, "*") ? NULL : comparison(P));
			if (accept(P, "]"))
				break;
			if (!accept(P, ","))
				error_at(P, P->tok, "saw", "expected ',' or ']'");
		}
		if (!at(P, "in")) {
			if (n->args.len > 1)
				error_at(P, P->tok, "saw", "unexpected comma-separated expression list");
			// ("[*]" alone crashes SystemTap 4.8)
			if (!VEC_AT(&n->args, 0))
				error_at(P, P->tok, "saw", "expected 'in'");
			return VEC_AT(&n->args, 0);
		}
		next(P);
		n->lhs = array_ref(P);
		return n;
	}
	Node *e = comparison(P);
	if (at(P, "in")) {
		Token *in = next(P);
		Node *n = new_node(N_IN, in);
		vec_push(&n->args, e);
		n->lhs = array_ref(P);
		return n;
	}
	return e;
}

static Node *bit_and(Parser *P)
{
	Node *n = array_in(P);
	while (at(P, "&")) {
		Token *t = next(P);
		n = binary(t, N_BINARY, n, array_in(P));
	}
	return n;
}

static Node *bit_xor(Parser *P)
{
	Node *n = bit_and(P);
	while (at(P, "^")) {
		Token *t = next(P);
		n = binary(t, N_BINARY, n, bit_and(P));
	}
	return n;
}

static Node *bit_or(Parser *P)
{
	Node *n = bit_xor(P);
	while (at(P, "|")) {
		Token *t = next(P);
		n = binary(t, N_BINARY, n, bit_xor(P));
	}
	return n;
}

static Node *logical_and(Parser *P)
{
	Node *n = bit_or(P);
	while (at(P, "&&")) {
		Token *t = next(P);
		n = binary(t, N_LOGICAL, n, bit_or(P));
	}
	return n;
}

static Node *logical_or(Parser *P)
{
	Node *n = logical_and(P);
	while (at(P, "||")) {
		Token *t = next(P);
		n = binary(t, N_LOGICAL, n, logical_and(P));
	}
	return n;
}

static Node *ternary(Parser *P)
{
	Node *c = logical_or(P);
	if (!at(P, "?"))
		return c;
	Token *t = next(P);
	Node *n = new_node(N_TERNARY, t);
	n->cond = c;
	n->lhs = expression(P);
	expect(P, ":");
	n->rhs = ternary(P);
	return n;
}

static bool is_assign_op(const Token *t)
{
	if (t->kind != TK_OP)
		return false;
	const char *x = t->text;
	size_t n = t->len;
	// "=", "op=" for the compound operators, and "<<<"
	return (n == 1 && x[0] == '=') ||
	       (n == 2 && x[1] == '=' && strchr("+-*/%&^|.", x[0])) ||
	       (n == 3 && (!strcmp(x, "<<=") || !strcmp(x, ">>=") || !strcmp(x, "<<<")));
}

static Node *expression(Parser *P)
{
	Node *l = ternary(P);
	if (!is_assign_op(P->tok))
		return l;
	Token *t = next(P);
	Node *n = new_node(N_ASSIGN, t);
	n->op = t->text;
	n->lhs = l;
	n->rhs = expression(P);
	return n;
}

//
// Statements
//

static Node *simple(Parser *P, NodeKind kind)
{
	Token *t = next(P);
	Node *n = new_node(kind, t);
	accept(P, ";");
	return n;
}

static Node *foreach_stmt(Parser *P)
{
	Token *t = next(P);
	Node *n = new_node(N_FOREACH, t);
	expect(P, "(");
	Token *sort_tok = NULL;

	// a sort marker right after a key or value variable
	#define SORT_MARK(col)                                                   \
		do {                                                             \
			if (at(P, "+") || at(P, "-")) {                          \
				Token *m = next(P);                              \
				if (n->sort.sort_col)                            \
					error_at(P, m, "saw", "multiple sort directives"); \
				n->sort.sort_col = (col);                        \
				n->sort.sort_dir = m->text[0] == '+' ? 1 : -1;   \
				sort_tok = m;                                    \
			}                                                        \
		} while (0)

	// value variable: "v =" (or "v+ =")
	if (P->tok->kind == TK_IDENT && (tok_is(P->tok->next, "=") ||
	    ((tok_is(P->tok->next, "+") || tok_is(P->tok->next, "-")) && tok_is(P->tok->next->next, "=")))) {
		Token *v = next(P);
		n->value_var = new_node(N_SYMBOL, v);
		n->value_var->name = v->text;
		SORT_MARK(-1);
		expect(P, "=");
	}
	if (accept(P, "[")) {
		do {
			Token *k = expect_ident(P);
			Node *kv = new_node(N_SYMBOL, k);
			kv->name = k->text;
			vec_push(&n->keys, kv);
			SORT_MARK(n->keys.len);
		} while (accept(P, ","));
		expect(P, "]");
	} else {
		Token *k = expect_ident(P);
		Node *kv = new_node(N_SYMBOL, k);
		kv->name = k->text;
		vec_push(&n->keys, kv);
		SORT_MARK(1);
	}
	if (!at(P, "in"))
		error_at(P, P->tok, "saw", "expected 'in'");
	next(P);
	n->lhs = array_ref(P);
	if (n->lhs->kind == N_SYMBOL && at(P, "[")) {
		next(P);
		index_list(P, &n->args, true);
	}
	SORT_MARK(-1);
	if (P->tok->kind == TK_IDENT && is_stat_op(P->tok->text) &&
	    (tok_is(P->tok->next, "+") || tok_is(P->tok->next, "-"))) {
		Token *a = next(P);
		Token *m = next(P);
		if (n->sort.sort_col)
			error_at(P, m, "saw", "multiple sort directives");
		n->sort.sort_col = -1;
		n->sort.sort_dir = m->text[0] == '+' ? 1 : -1;
		// SystemTap 4.8 takes "@variance" as no aggregate at all: the
		// default sort of a statistic (by @count)
		n->sort.sort_agg = strcmp(a->text, "@variance") ? a->text : NULL;
	}
	(void)sort_tok;
	if (accept(P, "limit"))
		n->limit = expression(P);
	expect(P, ")");
	n->body = statement(P);
	return n;
	#undef SORT_MARK
}

static Node *statement(Parser *P)
{
	Token *t = P->tok;
	if (at(P, "{"))
		return block(P);
	if (at(P, ";")) {
		next(P);
		return new_node(N_NULL, t);
	}
	if (t->kind == TK_EMBEDDED) {
		// a statement-level %{ %} is an expression statement, as in SystemTap
		check_guru(P, t, "embedded expression code");
		next(P);
		Node *e = new_node(N_EMBED_EXPR, t);
		e->code = t->text;
		Node *n = new_node(N_EXPR_STMT, t);
		n->lhs = e;
		accept(P, ";");
		return n;
	}
	if (at(P, "if")) {
		next(P);
		Node *n = new_node(N_IF, t);
		expect(P, "(");
		n->cond = expression(P);
		expect(P, ")");
		n->body = statement(P);
		if (at(P, "else")) {
			next(P);
			n->els = statement(P);
		}
		return n;
	}
	if (at(P, "for")) {
		next(P);
		Node *n = new_node(N_FOR, t);
		expect(P, "(");
		if (!at(P, ";"))
			n->init = expression(P);
		expect(P, ";");
		if (!at(P, ";"))
			n->cond = expression(P);
		expect(P, ";");
		if (!at(P, ")"))
			n->incr = expression(P);
		expect(P, ")");
		n->body = statement(P);
		return n;
	}
	if (at(P, "while")) {
		next(P);
		Node *n = new_node(N_FOR, t);
		expect(P, "(");
		n->cond = expression(P);
		expect(P, ")");
		n->body = statement(P);
		return n;
	}
	if (at(P, "foreach"))
		return foreach_stmt(P);
	if (at(P, "return")) {
		if (!P->in_function)
			error_at(P, t, "saw", "found 'return' not in function context");
		next(P);
		Node *n = new_node(N_RETURN, t);
		if (!at(P, ";") && !at(P, "}"))
			n->lhs = expression(P);
		accept(P, ";");
		return n;
	}
	if (at(P, "delete")) {
		next(P);
		Node *n = new_node(N_DELETE, t);
		n->lhs = expression(P);
		accept(P, ";");
		return n;
	}
	if (at(P, "next"))
		return simple(P, N_NEXT);
	if (at(P, "break"))
		return simple(P, N_BREAK);
	if (at(P, "continue"))
		return simple(P, N_CONTINUE);
	if (at(P, "try")) {
		next(P);
		Node *n = new_node(N_TRY, t);
		if (!at(P, "{"))
			error_at(P, P->tok, "saw", "expected '{'");
		n->body = block(P);
		if (!at(P, "catch"))
			error_at(P, P->tok, "saw", "expected 'catch'");
		next(P);
		if (accept(P, "(")) {
			Token *v = expect_ident(P);
			n->lhs = new_node(N_SYMBOL, v);
			n->lhs->name = v->text;
			expect(P, ")");
		}
		if (!at(P, "{"))
			error_at(P, P->tok, "saw", "expected '{'");
		n->els = block(P);
		return n;
	}
	// anything else starts an expression ("expected literal string or
	// number" at an operator that cannot)
	if (t->kind == TK_KEYWORD || t->kind == TK_EOF || t->kind == TK_JUNK)
		error_at(P, t, "saw", "expected statement");
	Node *n = new_node(N_EXPR_STMT, t);
	n->lhs = expression(P);
	accept(P, ";");
	return n;
}

static Node *block(Parser *P)
{
	Token *t = expect(P, "{");
	Node *n = new_node(N_BLOCK, t);
	while (!at(P, "}")) {
		if (P->tok->kind == TK_EOF)
			error_at(P, P->tok, "saw", "expected '}'");
		vec_push(&n->list, statement(P));
	}
	next(P);
	return n;
}

//
// Declarations
//

// A component name starts with an identifier, a keyword or '*' (not a
// number, not an @word).
static bool is_component_start(const Token *t)
{
	return (t->kind == TK_IDENT && t->text[0] != '@') || t->kind == TK_KEYWORD || tok_is(t, "*");
}

// Words and '*' written without space between them make one component
// name: foo*bar, *at, **.
static bool glues_to(const Token *t, const Buf *name)
{
	if (t->space_before)
		return false;
	if (tok_is(t, "*"))
		return true;
	return name->s[name->len - 1] == '*' && is_component_start(t);
}

static bool decorated(const Node *p)
{
	return p->optional || p->sufficient || p->cond;
}

static Node *copy_point(Node *p)
{
	Node *c = new_node(N_PROBE_POINT, p->tok);
	for (int i = 0; i < p->components.len; i++)
		vec_push(&c->components, VEC_AT(&p->components, i));
	c->optional = p->optional;
	c->sufficient = p->sufficient;
	c->cond = p->cond;
	return c;
}

static void probe_point_list(Parser *P, Vec *out);

// One dotted probe point with its "?"/"!" and "if (cond)" suffix.  {a,b}
// alternatives are expanded here, as SystemTap does at parse time, into
// the points they stand for; an alternative may carry its own suffix only
// when its group ends the point.
static void probe_point(Parser *P, Vec *out)
{
	Vec cur = {0}; // the points so far
	vec_push(&cur, new_node(N_PROBE_POINT, P->tok));
	Node *misplaced = NULL; // a decorated point that got more components
	for (;;) {
		if (at(P, "{")) {
			next(P);
			Vec alts = {0};
			probe_point_list(P, &alts);
			expect(P, "}");
			Vec prod = {0};
			for (int i = 0; i < cur.len; i++) {
				Node *c = VEC_AT(&cur, i);
				if (decorated(c) && !misplaced)
					misplaced = c;
				for (int j = 0; j < alts.len; j++) {
					Node *a = VEC_AT(&alts, j);
					Node *n = copy_point(c);
					n->optional |= a->optional;
					n->sufficient |= a->sufficient;
					if (a->cond)
						n->cond = a->cond;
					for (int k = 0; k < a->components.len; k++)
						vec_push(&n->components, VEC_AT(&a->components, k));
					vec_push(&prod, n);
				}
			}
			cur = prod;
		} else {
			Token *t = P->tok;
			if (!is_component_start(t))
				error_at(P, t, "saw", "expected identifier or '*' or '{'");
			Buf b = {0};
			buf_puts(&b, next(P)->text);
			while (glues_to(P->tok, &b))
				buf_puts(&b, next(P)->text);
			Node *c = new_node(N_COMPONENT, t);
			c->name = intern(b.s, b.len);
			free(b.s);
			if (at(P, "(")) {
				next(P);
				c->arg = literal(P, true);
				expect(P, ")");
			}
			for (int i = 0; i < cur.len; i++) {
				Node *p = VEC_AT(&cur, i);
				if (decorated(p) && !misplaced)
					misplaced = p;
				vec_push(&p->components, c);
			}
		}
		if (!at(P, "."))
			break;
		next(P);
	}
	if (misplaced) {
		Node *first = VEC_AT(&misplaced->components, 0);
		error_at(P, first->tok, "at", "'?', '!' or condition must only be specified in suffix");
	}
	if (at(P, "?") || at(P, "!")) {
		Token *t = next(P);
		for (int i = 0; i < cur.len; i++) {
			Node *p = VEC_AT(&cur, i);
			if (p->optional || p->sufficient)
				error_at(P, t, "saw", "'?' or '!' respecified");
			p->optional = true;
			p->sufficient = t->text[0] == '!';
		}
	}
	if (at(P, "if")) {
		next(P);
		expect(P, "(");
		Node *cond = expression(P);
		Token *close = expect(P, ")");
		for (int i = 0; i < cur.len; i++) {
			Node *p = VEC_AT(&cur, i);
			if (p->cond)
				error_at(P, close, "saw", "condition respecified");
			p->cond = cond;
		}
	}
	for (int i = 0; i < cur.len; i++)
		vec_push(out, VEC_AT(&cur, i));
}

// Probe points separated by commas, up to what follows a list: '{' (a
// body), '}' (the end of alternatives), '=' or '+=' (an alias).
static void probe_point_list(Parser *P, Vec *out)
{
	for (;;) {
		probe_point(P, out);
		if (accept(P, ","))
			continue;
		if (at(P, "{") || at(P, "}") || at(P, "=") || at(P, "+="))
			return;
		error_at(P, P->tok, "saw", "expected one of ', { } = +='");
	}
}

// "probe POINTS { }", or an alias "probe NAME = [NAME = ...] POINTS { }"
// with "+=" for an epilogue alias, and an optional epilogue block after
// a comma: "probe NAME = POINTS { prologue }, { epilogue }".
static Node *probe_decl(Parser *P, Token *t)
{
	Vec names = {0};
	Vec pts = {0};
	bool is_append = false;
	for (;;) {
		pts = (Vec){0};
		probe_point_list(P, &pts);
		if (!at(P, "=") && !at(P, "+="))
			break;
		Node *p0 = VEC_AT(&pts, 0);
		if (pts.len != 1)
			error_at(P, P->tok, "saw", "expected probe point specifier");
		if (p0->optional || p0->sufficient)
			error_at(P, ((Node *)VEC_AT(&p0->components, 0))->tok, "at",
				 "probe point alias name cannot be optional nor sufficient");
		vec_push(&names, p0);
		is_append |= at(P, "+=");
		next(P);
	}
	if (!at(P, "{"))
		error_at(P, P->tok, "saw", "expected probe point specifier");
	if (!names.len) {
		Node *n = new_node(N_PROBE, t);
		n->points = pts;
		n->body = block(P);
		return n;
	}
	Node *a = new_node(N_ALIAS, t);
	a->names = names;
	a->is_append = is_append;
	a->points = pts;
	a->body = block(P);
	if (at(P, ",")) {
		if (is_append)
			error_at(P, P->tok, "saw", "Combined prologue and epilogue cannot be defined with '+='");
		next(P);
		a->epilogue = block(P);
	}
	return a;
}

static Type type_name(Parser *P)
{
	if (accept(P, "long"))
		return T_LONG;
	if (accept(P, "string"))
		return T_STRING;
	error_at(P, P->tok, "saw", "expected type 'long' or 'string'");
}

static Node *function_decl(Parser *P, Token *t)
{
	Token *name = expect_ident(P);
	Node *f = new_node(N_FUNCTION, t);
	f->name = name->text;
	if (accept(P, ":"))
		f->ret_type = type_name(P);
	expect(P, "(");
	if (!at(P, ")")) {
		do {
			Token *pn = expect_ident(P);
			Node *p = new_node(N_PARAM, pn);
			p->name = pn->text;
			if (accept(P, ":"))
				p->type = type_name(P);
			vec_push(&f->params, p);
		} while (accept(P, ","));
	}
	expect(P, ")");
	if (accept(P, ":")) {
		// a priority: a literal number > 0
		bool neg = accept(P, "-");
		if (P->tok->kind == TK_STRING)
			error_at(P, P->tok, "saw", "expected literal number");
		if (P->tok->kind != TK_NUMBER)
			error_at(P, P->tok, "saw", "expected literal string or number");
		Token *nt = number(P);
		if (neg || nt->num <= 0)
			error_at(P, nt, "saw", "specified priority must be > 0");
		f->priority = nt->num;
		f->has_priority = true;
	}
	if (P->tok->kind == TK_EMBEDDED) {
		Token *c = next(P);
		check_guru(P, c, "embedded code");
		f->is_embedded = true;
		f->code = c->text;
		return f;
	}
	P->in_function = true;
	f->body = block(P);
	P->in_function = false;
	return f;
}

static void global_decl(Parser *P, Node *file, bool is_private)
{
	do {
		Token *name = expect_ident(P);
		Node *g = new_node(N_GLOBAL, name);
		g->name = name->text;
		g->is_private = is_private;
		g->file = P->file;
		if (accept(P, "%"))
			g->wrap = true;
		if (accept(P, "[")) {
			// a literal from 1 to INT_MAX (a '-' is taken, then refused)
			Token *st = P->tok;
			bool neg = accept(P, "-");
			if (P->tok->kind != TK_NUMBER)
				error_at(P, P->tok, "saw", "expected number");
			g->size = number(P)->num;
			if (neg || g->size <= 0 || g->size > INT_MAX)
				error_at(P, st, "saw", "array size out of range");
			expect(P, "]");
		}
		if (at(P, "=")) {
			Token *eq = next(P);
			if (g->size)
				error_at(P, eq, "saw", "only scalar globals can be initialized");
			g->gl_init = literal(P, true);
		}
		vec_push(&file->list, g);
	} while (accept(P, ","));
	accept(P, ";");
}

static bool at_declaration(Parser *P)
{
	Token *t = P->tok;
	return t->kind == TK_EOF || t->kind == TK_EMBEDDED || tok_is(t, "probe") ||
	       tok_is(t, "global") || tok_is(t, "function") || tok_is(t, "private");
}

Node *parse_file(SrcFile *f, Token *tok, Session *s)
{
	Parser P = {.tok = tok, .file = f, .s = s, .guru = f->guru || f->library};
	Node *file = new_node(N_FILE, tok);
	file->file = f;
	for (;;) {
		if (setjmp(P.recover)) {
			// skip to something that can start a declaration
			P.in_function = false;
			if (!at_declaration(&P))
				next(&P);
			while (!at_declaration(&P))
				next(&P);
		}
		Token *t = P.tok;
		if (t->kind == TK_EOF)
			break;
		if (t->kind == TK_EMBEDDED) {
			next(&P);
			check_guru(&P, t, "embedded code");
			Node *e = new_node(N_EMBED, t);
			e->code = t->text;
			e->file = f;
			vec_push(&file->list, e);
			continue;
		}
		bool is_private = false;
		if (at(&P, "private")) {
			next(&P);
			is_private = true;
			if (!at(&P, "global") && !at(&P, "function") && P.tok->kind != TK_IDENT)
				error_at(&P, P.tok, "saw", "expected 'global', 'function' or identifier after 'private'");
		}
		if (at(&P, "probe") && !is_private) {
			next(&P);
			Node *n = probe_decl(&P, t);
			n->file = f;
			vec_push(&file->list, n);
		} else if (at(&P, "global")) {
			next(&P);
			global_decl(&P, file, is_private);
		} else if (is_private && P.tok->kind == TK_IDENT) {
			global_decl(&P, file, true);
		} else if (at(&P, "function")) {
			next(&P);
			Node *n = function_decl(&P, t);
			n->file = f;
			n->is_private = is_private;
			vec_push(&file->list, n);
		} else {
			error_at(&P, t, "saw", "expected 'probe', 'global', 'private', 'function', or '%%{'");
		}
	}
	return file;
}

//
// printf format strings
//

// SystemTap's format grammar: %[flag][0][width][.prec][l]conv, where flag
// is at most one of '-', '+', ' ', '#' (combinations such as "%-+5d" are
// refused), width and precision are digits (saturating at INT_MAX) or
// '*', and a single 'l' length modifier is allowed and ignored.  "%%"
// takes none of them.  At the very end of the format, a conversion with
// only '.' or 'l' ("%l", "%.") is taken as literal text, as SystemTap 4.8
// does; with more it is "trailing incomplete".  Returns NULL or the error
// message.
static void format_literal(Vec *out, const char *s, size_t n)
{
	if (!n)
		return;
	FormatSpec *l = NEW(FormatSpec);
	l->kind = FMT_LITERAL;
	l->text = arena_strndup(s, n);
	l->len = n;
	vec_push(out, l);
}

static int format_number(const char *s, size_t len, size_t *i)
{
	long long v = 0;
	while (*i < len && s[*i] >= '0' && s[*i] <= '9') {
		v = v * 10 + (s[(*i)++] - '0');
		if (v > INT_MAX)
			v = INT_MAX;
	}
	return (int)v;
}

const char *parse_format(const char *s, size_t len, Vec *out)
{
	size_t i = 0, lit = 0;
	while (i < len) {
		if (s[i] != '%') {
			i++;
			continue;
		}
		format_literal(out, s + lit, i - lit);
		lit = i;
		FormatSpec *c = NEW(FormatSpec);
		c->kind = FMT_CONV;
		c->width = c->prec = -1;
		size_t start = ++i;
		bool dot = false;
		if (i < len && strchr("-+ #", s[i]))
			c->flag = s[i++];
		if (i < len && s[i] == '0') {
			c->zero = true;
			while (i < len && s[i] == '0')
				i++;
		}
		if (i < len && s[i] == '*') {
			c->width = -2;
			i++;
		} else if (i < len && s[i] >= '1' && s[i] <= '9') {
			c->width = format_number(s, len, &i);
		}
		if (i < len && s[i] == '.') {
			dot = true;
			i++;
			if (i < len && s[i] == '*') {
				c->prec = -2;
				i++;
			} else {
				bool digits = i < len && s[i] >= '0' && s[i] <= '9';
				c->prec = format_number(s, len, &i);
				if (!digits)
					c->prec = -3; // "." alone: precision 0, not "specified"
			}
		}
		if (i < len && s[i] == 'l') {
			c->lmod = true;
			i++;
		}
		bool specified = c->flag || c->zero || c->width != -1 || (c->prec != -1 && c->prec != -3);
		if (c->prec == -3)
			c->prec = 0;
		if (i >= len) {
			if (i == start)
				return "invalid or missing conversion specifier";
			if (specified)
				return "trailing incomplete print format conversion";
			break; // "%l", "%.": literal text
		}
		if (!s[i] || !strchr("diuoxXscpbmM%", s[i]))
			return "invalid or missing conversion specifier";
		if (s[i] == '%' && (specified || dot || c->lmod))
			return "invalid or missing conversion specifier";
		c->conv = s[i++];
		vec_push(out, c);
		lit = i;
	}
	format_literal(out, s + lit, len - lit);
	return NULL;
}
