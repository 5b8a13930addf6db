// preproc.c: %( conditionals %) and @define macros.
//
// One walk over a file's tokens, in order, as SystemTap reads them (script
// arguments were pasted by the lexer already, so they may hold macro calls
// or conditionals):
//  - %( condition %? ... %: ... %) keeps the walk of its chosen branch; the
//    other branch is skipped unread, so nothing in it counts (a @define
//    there defines nothing, a bad $N there is no error);
//  - @define defines its macro from there on: a macro must be defined
//    before it is used (its body, expanded where it is used, may use the
//    macros defined by then);
//  - a macro invocation is replaced by the walk of its body, its @params
//    by the walk of its arguments in the caller's context.
// .stpm library files hold only @define's, possibly inside conditionals
// (collect_library); their macros are visible everywhere.
#include "stap.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define MAX_EXPANSION_DEPTH 64


// Tokens made by macro expansion in the current file: expansions can
// grow exponentially (a macro using another twice, 40 levels deep), so
// there is a budget.
static long expanded_tokens;
#define MAX_EXPANDED_TOKENS 1000000

static Token *copy_token(const Token *t, const Token *chain)
{
	expanded_tokens++;
	Token *c = NEW(Token);
	*c = *t;
	c->next = NULL;
	if (chain)
		c->chain = chain;
	return c;
}

// A junk token stands where an error was reported, so that the parser
// recovers there without a second message (num 0: no error of its own).
static Token *junk(const Token *at)
{
	Token *j = copy_token(at, NULL);
	j->kind = TK_JUNK;
	j->num = 0;
	return j;
}

static Token *eof_after(const Token *t)
{
	Token *e = NEW(Token);
	e->kind = TK_EOF;
	e->text = intern0("");
	e->file = t->file;
	e->line = t->line;
	e->col = t->col;
	return e;
}

// An error at t; at a junk token, the error that token stands for.
static void pp_error(const Token *t, const char *label, const char *fmt, ...) PRINTF(3, 4);
static void pp_error(const Token *t, const char *label, const char *fmt, ...)
{
	if (lex_junk_error(t))
		return;
	va_list ap;
	va_start(ap, fmt);
	diag_v(DIAG_PARSE, t, label, fmt, ap);
	va_end(ap);
}

//
// Conditions: %( COND %? ... %: ... %)
//

typedef struct {
	Session *s;
	SrcFile *file;
	Token *open;  // the %(
	Token *end, *end_copy; // the token that ended the condition (%? or
			       // another marker, or EOF), and its copy ending
			       // the condition's token list
	bool ok;
	bool at_eof;  // a complete condition ran into the end of the file (not
		      // reported)
} Cond;

static bool is_cmp(const Token *t)
{
	static const char *const cmps[] = {"==", "!=", "<", "<=", ">", ">="};
	if (t->kind != TK_OP)
		return false;
	for (size_t i = 0; i < ARRAY_SIZE(cmps); i++)
		if (strcmp(t->text, cmps[i]) == 0)
			return true;
	return false;
}

static bool cmp_result(const char *op, int c)
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

static int cmp_numbers(int64_t a, int64_t b)
{
	return a < b ? -1 : a > b;
}

static bool has_wildcard(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

static const char *decoded(const Token *t)
{
	Buf b = {0};
	string_decode(t->text, t->len, &b);
	const char *r = intern(b.s ? b.s : "", b.len);
	free(b.s);
	return r;
}

static bool cond_error(Cond *c, Token *t, const char *label, const char *msg)
{
	pp_error(t, label, "%s", msg);
	c->ok = false;
	return false;
}

// A number in a condition is read as a decimal int64, as SystemTap does
// ("010" is 10).  (SystemTap 4.8 stops with "bad lexical cast" on others.)
static bool cond_number(Cond *c, Token *t, int64_t *v)
{
	char *end;
	errno = 0;
	long long n = strtoll(t->text, &end, 10);
	if (end != t->text + t->len)
		return cond_error(c, t, "saw", "expected decimal number");
	if (errno == ERANGE)
		return cond_error(c, t, "saw", "number invalid or out of range");
	*v = n;
	return true;
}

#define EXPECTED_CONDITION                                                      \
	"expected 'arch', 'kernel_v', 'kernel_vr', 'systemtap_v',\n"            \
	"'runtime', 'systemtap_privilege', 'CONFIG_...', or\n"                  \
	"comparison between strings or integers"

// The value of a condition name, or NULL when it is not one.
static const char *fact(PPEnv *env, const char *name)
{
	if (!strcmp(name, "kernel_v"))
		return env->kernel_v;
	if (!strcmp(name, "kernel_vr"))
		return env->kernel_vr;
	if (!strcmp(name, "systemtap_v"))
		return env->systemtap_v;
	if (!strcmp(name, "arch"))
		return env->arch;
	if (!strcmp(name, "runtime"))
		return env->runtime;
	if (!strcmp(name, "systemtap_privilege"))
		return env->privilege;
	return NULL;
}

// CONFIG_A == "y" (a glob, with == and != only), CONFIG_A < 300 (the value
// as a C integer, unset is 0), CONFIG_A == CONFIG_B (integers when both
// are, else strings).
static bool config_comparison(Cond *c, Token *l, Token *op, Token *r)
{
	PPEnv *env = &c->s->pp;
	const char *lv = env->config ? env->config(l->text) : "";
	if (r->kind == TK_STRING) {
		if (strcmp(op->text, "==") && strcmp(op->text, "!="))
			return cond_error(c, op, "at", "expected '==' or '!='");
		bool m = glob_match(decoded(r), lv);
		return !strcmp(op->text, "==") ? m : !m;
	}
	char *le, *re;
	if (r->kind == TK_NUMBER) {
		int64_t rn;
		if (!cond_number(c, r, &rn))
			return false;
		errno = 0;
		long long ln = strtoll(lv, &le, 0);
		if (*le || errno)
			return cond_error(c, l, "at", "Config option value not a number");
		return cmp_result(op->text, cmp_numbers(ln, rn));
	}
	const char *rv = env->config ? env->config(r->text) : "";
	long long ln = strtoll(lv, &le, 0), rn = strtoll(rv, &re, 0);
	if (*lv && *rv && !*le && !*re)
		return cmp_result(op->text, cmp_numbers(ln, rn));
	return cmp_result(op->text, strcmp(lv, rv));
}

// SystemTap reads a comparison as three tokens, past the end marker if need
// be: when the end of the file is among them, the condition is incomplete.
static bool cut_by_eof(Cond *c, Token *l)
{
	Token *t = l;
	for (int i = 0; i < 3; i++) {
		if (t->kind == TK_EOF)
			return true;
		t = t == c->end_copy ? c->end->next : t->next;
	}
	return false;
}

// One comparison; *pt advances past it.  The condition's token list ends
// with the token that ended it (normally '%?'), then TK_EOF.
static bool eval_comparison(Cond *c, Token **pt)
{
	Token *l = *pt;
	PPEnv *env = &c->s->pp;
	Token *op = l->kind == TK_EOF ? l : l->next;
	Token *r = op->kind == TK_EOF ? op : op->next;
	*pt = r->kind == TK_EOF ? r : r->next;
	if (cut_by_eof(c, l))
		return cond_error(c, c->open, "at", "incomplete condition after '%('");
	if (l->kind != TK_IDENT && l->kind != TK_NUMBER && l->kind != TK_STRING)
		return cond_error(c, l, "at", EXPECTED_CONDITION);
	// (SystemTap 4.8 stops with "bad lexical cast" here)
	for (Token *n = l; n; n = n == l ? r : NULL)
		if (n->kind == TK_NUMBER && !lex_number_valid(n))
			return cond_error(c, n, "saw", "number invalid or out of range");
	bool eq = tok_is(op, "==") || tok_is(op, "!=");

	if (l->kind == TK_NUMBER || l->kind == TK_STRING) {
		TokenKind want = l->kind;
		if (!is_cmp(op))
			return cond_error(c, l, "at", EXPECTED_CONDITION);
		if (r->kind != want) {
			if (r->kind != TK_NUMBER && r->kind != TK_STRING && r->kind != TK_IDENT)
				return cond_error(c, l, "at", EXPECTED_CONDITION);
			return cond_error(c, r, "at", want == TK_NUMBER ? "expected number literal as right value"
					  : "expected string literal as right value");
		}
		if (want == TK_STRING)
			return cmp_result(op->text, strcmp(decoded(l), decoded(r)));
		int64_t ln, rn;
		if (!cond_number(c, l, &ln) || !cond_number(c, r, &rn))
			return false;
		return cmp_result(op->text, cmp_numbers(ln, rn));
	}

	const char *name = l->text;
	if (!is_cmp(op))
		return cond_error(c, op, "at", "expected comparison operator");
	if (!strcmp(name, "guru_mode")) {
		if (r->kind != TK_NUMBER)
			return cond_error(c, r, "at", "expected number");
		if (!eq)
			return cond_error(c, op, "at", "expected '==' or '!='");
		if (r->num != 0 && r->num != 1)
			return cond_error(c, r, "at", "expected 0 or 1");
		return cmp_result(op->text, (int64_t)env->guru != r->num);
	}
	if (!strncmp(name, "CONFIG_", 7)) {
		if (r->kind != TK_STRING && r->kind != TK_NUMBER &&
		    !(r->kind == TK_IDENT && !strncmp(r->text, "CONFIG_", 7)))
			return cond_error(c, r, "at", "expected string, number literal or other "
					  "CONFIG_... as right side operand");
		return config_comparison(c, l, op, r);
	}
	const char *have = fact(env, name);
	if (!have)
		return cond_error(c, l, "at", EXPECTED_CONDITION);
	if (r->kind != TK_STRING)
		return cond_error(c, r, "at", "expected string literal");
	const char *want = decoded(r);
	// versions compare as versions, or as globs with == and != when the
	// pattern has wildcards; the other names are globs
	bool version = !strcmp(name, "kernel_v") || !strcmp(name, "kernel_vr") ||
		       !strcmp(name, "systemtap_v");
	if (!version && !eq)
		return cond_error(c, op, "at", "expected '==' or '!='");
	if (eq && (!version || has_wildcard(want))) {
		bool m = glob_match(want, have);
		return tok_is(op, "==") ? m : !m;
	}
	return cmp_result(op->text, version_compare(have, want));
}

// COND := AND ('||' AND)* ; AND := CMP ('&&' CMP)*, then '%?'.
static bool eval_condition(Cond *c, Token *tok)
{
	bool any = false;
	Token *t = tok;
	while (c->ok) {
		bool all = true;
		for (;;) {
			bool v = eval_comparison(c, &t);
			if (!c->ok)
				return false;
			all = all && v;
			if (!tok_is(t, "&&"))
				break;
			t = t->next;
		}
		any = any || all;
		if (!tok_is(t, "||"))
			break;
		t = t->next;
	}
	if (c->ok && t->kind == TK_EOF) {
		c->ok = false;
		c->at_eof = true;
	} else if (c->ok && !tok_is(t, "%?")) {
		cond_error(c, t, "saw", "expected '%?' marker for conditional");
	}
	return any;
}

//
// Token list building helpers
//

typedef struct {
	Token head, *tail;
} List;

static void list_init(List *l)
{
	l->head.next = NULL;
	l->tail = &l->head;
}

static void list_add(List *l, Token *t)
{
	t->next = NULL;
	l->tail->next = t;
	l->tail = t;
}

// The token that ends a branch: %: or %) at depth 0, or EOF.
static Token *skip_branch(Token *t)
{
	int depth = 0;
	for (; t->kind != TK_EOF; t = t->next) {
		if (tok_is(t, "%("))
			depth++;
		else if (tok_is(t, "%)")) {
			if (depth == 0)
				break;
			depth--;
		} else if (tok_is(t, "%:") && depth == 0) {
			break;
		}
	}
	return t;
}

//
// Macros
//

static Macro *find_macro(const char *name, SrcFile *f, Session *s)
{
	for (int i = 0; i < f->macros.len; i++) {
		Macro *m = VEC_AT(&f->macros, i);
		if (m->name == name)
			return m;
	}
	for (int i = 0; i < s->library_macros.len; i++) {
		Macro *m = VEC_AT(&s->library_macros, i);
		if (m->name == name)
			return m;
	}
	return NULL;
}

// After an error in a @define: skip what is left of it, up to the end of
// its %( body %) when one follows before the next declaration.
static Token *skip_bad_define(Token *t)
{
	for (; t->kind != TK_EOF; t = t->next) {
		if (tok_is(t, "probe") || tok_is(t, "global") || tok_is(t, "function") ||
		    tok_is(t, "private") || tok_is_ident(t, "@define") || t->kind == TK_EMBEDDED)
			return t;
		if (tok_is(t, "%(")) {
			int depth = 0;
			for (t = t->next; t->kind != TK_EOF; t = t->next) {
				if (tok_is(t, "%("))
					depth++;
				else if (tok_is(t, "%)") && depth-- == 0)
					return t->next;
			}
			return t;
		}
	}
	return t;
}

static Token *define_error(Token *t, const char *msg)
{
	pp_error(t, "at", "%s", msg);
	// "@define probe %( %)": the keyword is the bad name, not the next
	// declaration
	return skip_bad_define(t->kind == TK_KEYWORD ? t->next : t);
}

// Parse "@define NAME [(a, b)] %( body %)" starting at the @define token;
// returns the token after it.
static Token *define_macro(Token *t, SrcFile *f, Session *s, bool library)
{
	Token *name = t->next;
	if (name->kind != TK_IDENT || name->text[0] == '@')
		return define_error(name, "expected identifier");
	Macro *m = NEW(Macro);
	m->name = name->text;
	m->name_tok = name;
	m->file = f;
	Token *p = name->next;
	bool has_params = tok_is(p, "(");
	if (has_params) {
		do {
			p = p->next;
			if (p->kind != TK_IDENT || p->text[0] == '@')
				return define_error(p, "expected identifier");
			vec_push(&m->params, (void *)p->text);
			p = p->next;
		} while (tok_is(p, ","));
		if (!tok_is(p, ")"))
			return define_error(p, "expected ',' or ')'");
		p = p->next;
	}
	if (!tok_is(p, "%("))
		return define_error(p, has_params ? "expected '%('" : "expected '%(' or '('");
	int depth = 0;
	List body;
	list_init(&body);
	for (p = p->next; p->kind != TK_EOF; p = p->next) {
		if (tok_is(p, "%("))
			depth++;
		else if (tok_is(p, "%)")) {
			if (depth == 0)
				break;
			depth--;
		}
		list_add(&body, copy_token(p, NULL));
	}
	if (p->kind == TK_EOF) {
		diag(DIAG_PARSE, name, "at", "incomplete macro definition - missing '%%)'");
		return p;
	}
	list_add(&body, eof_after(p));
	m->body = body.head.next;

	Macro *old = NULL;
	Vec *where = library ? &s->library_macros : &f->macros;
	for (int i = 0; i < where->len; i++) {
		Macro *o = VEC_AT(where, i);
		if (o->name == m->name && (!library || o->file == f))
			old = o;
	}
	if (old) {
		diag(DIAG_PARSE, name, "at", "attempt to redefine macro '@%s' in the same file", m->name);
		diag_note(DIAG_PARSE, old->name_tok, "macro '@%s' first defined here", m->name);
	} else {
		vec_push(where, m);
	}
	return p->next;
}

// A .stpm file holds only @define's, possibly inside conditionals that
// choose which exist.  Collect from tok up to (not including) stop.
static void collect_library(Token *tok, Token *stop, SrcFile *f, Session *s)
{
	for (Token *t = tok; t != stop && t->kind != TK_EOF;) {
		if (tok_is_ident(t, "@define")) {
			t = define_macro(t, f, s, true);
			continue;
		}
		if (!tok_is(t, "%(")) {
			diag(DIAG_PARSE, t, "saw", "expected '@define' or '%%(' in a macro library file");
			do
				t = t->next;
			while (t != stop && t->kind != TK_EOF && !tok_is_ident(t, "@define") &&
			       !tok_is(t, "%("));
			continue;
		}
		Token *open = t;
		List cond;
		list_init(&cond);
		for (t = t->next; t->kind != TK_EOF && !tok_is(t, "%?"); t = t->next)
			list_add(&cond, copy_token(t, NULL));
		Cond cs = {.s = s, .file = f, .open = open, .end = t, .ok = true};
		list_add(&cond, cs.end_copy = copy_token(t, NULL));
		if (t->kind == TK_EOF) {
			diag(DIAG_PARSE, open, "at", "incomplete conditional at end of file");
			return;
		}
		list_add(&cond, eof_after(t));
		bool v = eval_condition(&cs, cond.head.next);
		Token *then_end = skip_branch(t->next), *else_end = NULL, *close = then_end;
		if (tok_is(then_end, "%:"))
			close = else_end = skip_branch(then_end->next);
		if (!tok_is(close, "%)")) {
			diag(DIAG_PARSE, open, "at", "incomplete conditional at end of file");
			return;
		}
		if (cs.ok) {
			if (v)
				collect_library(t->next, then_end, f, s);
			else if (else_end)
				collect_library(then_end->next, else_end, f, s);
		}
		t = close->next;
	}
}

// The @define's of a .stpm file.  (Other files define their macros as
// preprocess() walks them.)
Token *collect_macros(Token *tok, SrcFile *f, Session *s)
{
	collect_library(tok, NULL, f, s);
	return NULL;
}

// Gather the actual arguments of a macro call; t is at '('.  Returns the
// token after the closing ')'; *ok is false after an error (reported).
static Token *macro_args(Token *t, Macro *m, Token *call, Vec *actuals, bool *ok)
{
	int nparams = m->params.len;
	List cur;
	list_init(&cur);
	int depth = 0;
	*ok = true;
	for (Token *p = t->next;; p = p->next) {
		if (p->kind == TK_EOF) {
			diag(DIAG_PARSE, call, "at", "could not find end of macro invocation");
			*ok = false;
			return p;
		}
		if (depth == 0 && (tok_is(p, ",") || tok_is(p, ")"))) {
			list_add(&cur, eof_after(p));
			vec_push(actuals, cur.head.next);
			list_init(&cur);
			if (tok_is(p, ")")) {
				if (*ok && actuals->len < nparams) {
					diag(DIAG_PARSE, p, "at", "too few parameters for macro '@%s' (expected %d)",
					     m->name, nparams);
					*ok = false;
				}
				return p->next;
			}
			if (*ok && actuals->len == nparams) {
				diag(DIAG_PARSE, p, "at", "too many parameters for macro '@%s' (expected %d)",
				     m->name, nparams);
				*ok = false;
			}
			continue;
		}
		if (tok_is(p, "(") || tok_is(p, "[") || tok_is(p, "{"))
			depth++;
		else if (tok_is(p, ")") || tok_is(p, "]") || tok_is(p, "}"))
			depth--;
		list_add(&cur, copy_token(p, NULL));
	}
}

//
// The walk
//

// Where the walk is: in a file, or in the body of a macro (with the
// arguments of its invocation).
typedef struct {
	SrcFile *f;      // the file being preprocessed
	Session *s;
	Macro *in_macro; // the macro whose body is walked, or NULL
	Vec *actuals;    // its arguments (walked token lists)
	int depth;       // macro nesting
} Ctx;

static bool walk(List *out, Token *t, Ctx *c);

// %( COND %? THEN [%: ELSE] %) at open: walk the chosen branch into out;
// returns the token after the conditional, or NULL to give up on the file.  After an error the whole
// conditional is dropped (a junk token stands for it).
static Token *conditional(List *out, Token *open, Ctx *ctx)
{
	// the condition, up to its end marker, walked on its own (it may use
	// macros)
	List raw;
	list_init(&raw);
	Token *c = open->next;
	while (c->kind != TK_EOF && !tok_is(c, "%?") && !tok_is(c, "%(") && !tok_is(c, "%)") &&
	       !tok_is(c, "%:")) {
		Token *n = c->next;
		list_add(&raw, copy_token(c, NULL));
		c = n;
	}
	list_add(&raw, eof_after(c));
	List cond;
	list_init(&cond);
	if (!walk(&cond, raw.head.next, ctx))
		return NULL;
	// the token that ended the condition stays as its end marker
	Cond cs = {.s = ctx->s, .file = ctx->f, .open = open, .end = c, .ok = true};
	list_add(&cond, cs.end_copy = copy_token(c, NULL));
	if (c->kind != TK_EOF)
		list_add(&cond, eof_after(c));
	bool v = eval_condition(&cs, cond.head.next);
	if (cs.at_eof)
		diag(DIAG_PARSE, open, "at", "incomplete conditional at end of file");
	if (!cs.ok)
		list_add(out, junk(open));
	if (!tok_is(c, "%?")) {
		// drop to the matching %)
		Token *end = skip_branch(c);
		while (tok_is(end, "%:"))
			end = skip_branch(end->next);
		return end->kind == TK_EOF ? end : end->next;
	}

	Token *then_start = c->next, *then_end = skip_branch(then_start);
	Token *else_start = NULL, *else_end = NULL, *close = then_end;
	if (tok_is(then_end, "%:")) {
		else_start = then_end->next;
		close = else_end = skip_branch(else_start);
		if (tok_is(close, "%:")) {
			diag(DIAG_PARSE, close, "at", "invalid conditional - duplicate '%%:'");
			while (tok_is(close, "%:"))
				close = skip_branch(close->next);
		}
	}
	if (close->kind == TK_EOF) {
		diag(DIAG_PARSE, open, "at", "incomplete conditional at end of file");
		if (cs.ok)
			list_add(out, junk(open));
		return close;
	}
	Token *bs = v ? then_start : else_start;
	Token *be = v ? then_end : else_end;
	if (cs.ok && bs && bs != be) {
		// walk the chosen branch on its own: cut it before its end marker
		Token *after = close->next, *prev = bs;
		while (prev->next != be)
			prev = prev->next;
		prev->next = eof_after(be);
		if (!walk(out, bs, ctx))
			return NULL;
		return after;
	}
	return close->next;
}

// The invocation of macro m at t: its body, walked, goes to out.  Returns
// the token after the invocation, or NULL to give up on the file.
static Token *expand(List *out, Token *t, Macro *m, Ctx *c)
{
	// a macro used in its own expansion never ends (SystemTap 4.8 loops
	// until it runs out of memory)
	bool recursive = false;
	for (const Token *u = t->chain; u && !recursive; u = u->chain)
		recursive = u->kind == TK_IDENT && u->text[0] == '@' && !strcmp(u->text + 1, m->name);
	if (recursive || c->depth >= MAX_EXPANSION_DEPTH) {
		if (recursive)
			diag(DIAG_PARSE, t, "at", "recursive macro invocation '@%s'", m->name);
		else
			diag(DIAG_PARSE, t, "at", "macro '@%s' expands too deeply", m->name);
		list_add(out, junk(t));
		return t->next;
	}
	if (expanded_tokens > MAX_EXPANDED_TOKENS) {
		diag(DIAG_PARSE, t, "at", "macro expansions of this file exceed %d tokens",
		     MAX_EXPANDED_TOKENS);
		list_add(out, junk(t));
		return NULL;
	}
	Vec acts = {0};
	Token *after = t->next;
	if (m->params.len) {
		if (!tok_is(t->next, "(")) {
			pp_error(t->next, "at", "expected '(' in invocation of macro '@%s' taking %d parameter%s",
				 m->name, m->params.len, m->params.len == 1 ? "" : "s");
			list_add(out, junk(t));
			return t->next;
		}
		bool ok;
		after = macro_args(t->next, m, t, &acts, &ok);
		if (!ok) {
			list_add(out, junk(t));
			return after;
		}
		// arguments are expanded in the caller's context first
		for (int i = 0; i < acts.len; i++) {
			List a;
			list_init(&a);
			if (!walk(&a, VEC_AT(&acts, i), c))
				return NULL;
			list_add(&a, eof_after(t));
			acts.items[i] = a.head.next;
		}
	}
	// copy the body, marking every token with this invocation
	List body;
	list_init(&body);
	for (Token *b = m->body; b->kind != TK_EOF; b = b->next)
		list_add(&body, copy_token(b, t));
	list_add(&body, eof_after(t));
	Ctx inner = {.f = c->f, .s = c->s, .in_macro = m, .actuals = &acts, .depth = c->depth + 1};
	return walk(out, body.head.next, &inner) ? after : NULL;
}

// Walk the tokens from t to the end of their list into out; false when
// the file is given up (expansion budget).
static bool walk(List *out, Token *t, Ctx *c)
{
	while (t && t->kind != TK_EOF) {
		if (tok_is(t, "%(")) {
			t = conditional(out, t, c);
			if (!t)
				return false;
			continue;
		}
		if (tok_is(t, "%?") || tok_is(t, "%:") || tok_is(t, "%)")) {
			diag(DIAG_PARSE, t, "at", "incomplete conditional - missing '%%('");
			t = t->next;
			continue;
		}
		if (t->kind != TK_IDENT || t->text[0] != '@' || !t->text[1]) {
			Token *n = t->next;
			list_add(out, t);
			t = n;
			continue;
		}
		if (tok_is_ident(t, "@define")) {
			if (c->in_macro) {
				diag(DIAG_PARSE, t, "at", "'@define' forbidden inside macro body");
				list_add(out, junk(t));
				t = skip_bad_define(t->next);
			} else {
				t = define_macro(t, c->f, c->s, false);
			}
			continue;
		}
		const char *name = intern0(t->text + 1);
		// a parameter of the macro being expanded: its argument, showing
		// it came through @param
		if (c->in_macro) {
			int idx = -1;
			for (int i = 0; i < c->in_macro->params.len; i++)
				if (VEC_AT(&c->in_macro->params, i) == name)
					idx = i;
			if (idx >= 0) {
				if (idx < c->actuals->len)
					for (Token *a = VEC_AT(c->actuals, idx); a->kind != TK_EOF; a = a->next)
						list_add(out, copy_token(a, t));
				t = t->next;
				continue;
			}
		}
		Macro *m = find_macro(name, c->in_macro ? c->in_macro->file : c->f, c->s);
		if (!m) {
			Token *n = t->next;
			list_add(out, t);
			t = n;
			continue;
		}
		t = expand(out, t, m, c);
		if (!t)
			return false;
	}
	return true;
}

Token *preprocess(Token *tok, SrcFile *f, Session *s)
{
	if (f->macros_only) {
		collect_library(tok, NULL, f, s);
		return NULL;
	}
	if (!f->has_at_words && !f->has_conditionals)
		return tok;
	expanded_tokens = 0;
	Token *eof = tok;
	while (eof->kind != TK_EOF)
		eof = eof->next;
	List out;
	list_init(&out);
	Ctx c = {.f = f, .s = s};
	walk(&out, tok, &c);
	list_add(&out, eof);
	return out.head.next;
}
