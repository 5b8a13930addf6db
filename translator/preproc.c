// preproc.c: @define macros, %( conditionals %), and script arguments.
//
// The order is SystemTap's: macro definitions are collected from the whole
// file first (so a @define inside an untaken conditional branch still
// counts, except in .stpm library files where conditionals choose), then
// macros are expanded, then conditionals are evaluated, and last the script
// arguments $N/@N/$#/@# are pasted into the tokens that survived (so an
// argument referenced only in an untaken branch is no error).
#include "stap.h"

#include <stdlib.h>
#include <string.h>

#define MAX_EXPANSION_DEPTH 64

// lex.c (to move to stap.h)
bool lex_number_valid(const Token *t);

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
// recovers there without a second message.
static Token *junk(const Token *at)
{
	Token *j = copy_token(at, NULL);
	j->kind = TK_JUNK;
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

//
// Conditions: %( COND %? ... %: ... %)
//

typedef struct {
	Session *s;
	SrcFile *file;
	bool ok;
	bool at_eof; // the condition ran into the end of the file (not reported)
} Cond;

static Token *subst_args(Token *tok, SrcFile *f, Session *s);

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
	diag(DIAG_PARSE, t, label, "%s", msg);
	c->ok = false;
	return false;
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

// CONFIG_A == "y", CONFIG_A < 300, CONFIG_A == CONFIG_B: integers when
// both sides are, else strings (globs with == and !=).
static bool config_comparison(Cond *c, Token *l, Token *op, Token *r)
{
	PPEnv *env = &c->s->pp;
	const char *lv = env->config ? env->config(l->text) : "";
	const char *rv = r->kind == TK_STRING ? decoded(r)
		: r->kind == TK_NUMBER ? r->text
		: env->config ? env->config(r->text) : "";
	if (r->kind == TK_STRING) {
		if (strcmp(op->text, "==") && strcmp(op->text, "!="))
			return cond_error(c, op, "at", "expected '==' or '!='");
		bool m = glob_match(rv, lv);
		return !strcmp(op->text, "==") ? m : !m;
	}
	char *le, *re;
	long long ln = strtoll(lv, &le, 0), rn = strtoll(rv, &re, 0);
	if (*lv && *rv && !*le && !*re)
		return cmp_result(op->text, ln < rn ? -1 : ln > rn);
	return cmp_result(op->text, strcmp(lv, rv));
}

// One comparison; *pt advances past it.  The condition's token list ends
// with the token that ended it (normally '%?'), then TK_EOF.
static bool eval_comparison(Cond *c, Token **pt)
{
	Token *l = *pt;
	PPEnv *env = &c->s->pp;
	if (l->kind != TK_IDENT && l->kind != TK_NUMBER && l->kind != TK_STRING)
		return cond_error(c, l, "at", EXPECTED_CONDITION);
	Token *op = l->next;
	Token *r = op->kind == TK_EOF ? op : op->next;
	*pt = r->kind == TK_EOF ? r : r->next;
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
		if (want == TK_NUMBER)
			return cmp_result(op->text, l->num < r->num ? -1 : l->num > r->num);
		return cmp_result(op->text, strcmp(decoded(l), decoded(r)));
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

static void list_add_all(List *l, Token *t)
{
	while (t && t->kind != TK_EOF) {
		Token *n = t->next;
		list_add(l, t);
		t = n;
	}
}

// Evaluate conditionals in a token list.  On error the rest of that
// conditional is dropped so parsing can go on.
static Token *do_conditionals(Token *tok, SrcFile *f, Session *s, Token **stop);

static Token *skip_branch(Token *t, Token **end_tok)
{
	// returns the token that ends this branch (%: or %) at depth 0, or EOF
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
	*end_tok = t;
	return t;
}

static Token *do_conditionals(Token *tok, SrcFile *f, Session *s, Token **stop)
{
	List out;
	list_init(&out);
	Token *t = tok;
	while (t->kind != TK_EOF) {
		if (stop && (tok_is(t, "%:") || tok_is(t, "%)")))
			break;
		if (tok_is(t, "%?") || tok_is(t, "%:") || tok_is(t, "%)")) {
			diag(DIAG_PARSE, t, "at", "incomplete conditional - missing '%%('");
			t = t->next;
			continue;
		}
		if (!tok_is(t, "%(")) {
			Token *n = t->next;
			list_add(&out, t);
			t = n;
			continue;
		}
		// %( COND %? THEN [%: ELSE] %)
		Token *open = t;
		List cond;
		list_init(&cond);
		Token *c = t->next;
		while (c->kind != TK_EOF && !tok_is(c, "%?") && !tok_is(c, "%(") &&
		       !tok_is(c, "%)") && !tok_is(c, "%:")) {
			Token *n = c->next;
			list_add(&cond, copy_token(c, NULL));
			c = n;
		}
		// the token that ended the condition stays as its end marker
		list_add(&cond, copy_token(c, NULL));
		if (c->kind != TK_EOF)
			list_add(&cond, eof_after(c));
		Cond cs = {.s = s, .file = f, .ok = true};
		Token *ct = subst_args(cond.head.next, f, s);
		bool v = eval_condition(&cs, ct);
		if (cs.at_eof)
			diag(DIAG_PARSE, open, "at", "incomplete conditional at end of file");
		if (!cs.ok)
			list_add(&out, junk(open));
		if (!tok_is(c, "%?")) {
			// drop to the matching %)
			Token *end;
			skip_branch(c, &end);
			while (tok_is(end, "%:"))
				skip_branch(end->next, &end);
			t = end->kind == TK_EOF ? end : end->next;
			continue;
		}

		// find the branches
		Token *then_start = c->next, *then_end, *else_start = NULL, *else_end = NULL;
		skip_branch(then_start, &then_end);
		Token *close = then_end;
		if (tok_is(then_end, "%:")) {
			else_start = then_end->next;
			skip_branch(else_start, &else_end);
			close = else_end;
			if (tok_is(close, "%:")) {
				diag(DIAG_PARSE, close, "at", "invalid conditional - duplicate '%%:'");
				while (tok_is(close, "%:"))
					skip_branch(close->next, &close);
			}
		}
		if (close->kind == TK_EOF) {
			diag(DIAG_PARSE, open, "at", "incomplete conditional at end of file");
			if (cs.ok)
				list_add(&out, junk(open));
			t = close;
			continue;
		}
		Token *after = close->next;
		if (cs.ok) {
			Token *bs = v ? then_start : else_start;
			Token *be = v ? then_end : else_end;
			if (bs && bs != be) {
				// process the chosen branch on its own (it may nest):
				// cut the list before its end marker
				Token *prev = bs;
				while (prev->next != be)
					prev = prev->next;
				prev->next = eof_after(be);
				list_add_all(&out, do_conditionals(bs, f, s, NULL));
			}
		}
		t = after;
	}
	if (stop)
		*stop = t;
	List *o = &out;
	list_add(o, t->kind == TK_EOF ? t : eof_after(t));
	return out.head.next;
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
	diag(DIAG_PARSE, t, "at", "%s", msg);
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
		list_add(&cond, copy_token(t, NULL));
		if (t->kind == TK_EOF) {
			diag(DIAG_PARSE, open, "at", "incomplete conditional at end of file");
			return;
		}
		list_add(&cond, eof_after(t));
		Cond cs = {.s = s, .file = f, .ok = true};
		bool v = eval_condition(&cs, cond.head.next);
		Token *then_end, *else_end = NULL, *close;
		skip_branch(t->next, &then_end);
		close = then_end;
		if (tok_is(then_end, "%:"))
			skip_branch(then_end->next, &else_end), close = else_end;
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

Token *collect_macros(Token *tok, SrcFile *f, Session *s)
{
	if (f->macros_only) {
		collect_library(tok, NULL, f, s);
		return NULL;
	}
	List out;
	list_init(&out);
	for (Token *t = tok; t;) {
		if (tok_is_ident(t, "@define")) {
			t = define_macro(t, f, s, false);
			continue;
		}
		Token *n = t->next;
		list_add(&out, t);
		t = n;
	}
	return out.head.next;
}

static bool expand_list(List *out, Token *tok, SrcFile *f, Session *s, int depth,
			Macro *in_macro, Vec *actuals);

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

static bool expand_list(List *out, Token *tok, SrcFile *f, Session *s, int depth,
			Macro *in_macro, Vec *actuals)
{
	for (Token *t = tok; t && t->kind != TK_EOF;) {
		if (t->kind != TK_IDENT || t->text[0] != '@' || t->text[1] == 0) {
			Token *n = t->next;
			list_add(out, t);
			t = n;
			continue;
		}
		const char *name = intern0(t->text + 1);
		// a parameter of the macro being expanded
		if (in_macro) {
			int idx = -1;
			for (int i = 0; i < in_macro->params.len; i++)
				if (VEC_AT(&in_macro->params, i) == name)
					idx = i;
			if (idx >= 0) {
				// the argument's tokens show they came through @param
				if (idx < actuals->len) {
					for (Token *a = VEC_AT(actuals, idx); a->kind != TK_EOF; a = a->next)
						list_add(out, copy_token(a, t));
				}
				t = t->next;
				continue;
			}
		}
		Macro *m = find_macro(name, in_macro ? in_macro->file : f, s);
		if (!m) {
			Token *n = t->next;
			list_add(out, t);
			t = n;
			continue;
		}
		// a macro used in its own expansion never ends (SystemTap 4.8
		// loops until it runs out of memory)
		bool recursive = false;
		for (const Token *c = t->chain; c && !recursive; c = c->chain)
			recursive = c->kind == TK_IDENT && c->text[0] == '@' && !strcmp(c->text + 1, m->name);
		if (recursive || depth >= MAX_EXPANSION_DEPTH) {
			if (recursive)
				diag(DIAG_PARSE, t, "at", "recursive macro invocation '@%s'", m->name);
			else
				diag(DIAG_PARSE, t, "at", "macro '@%s' expands too deeply", m->name);
			list_add(out, junk(t));
			t = t->next;
			continue;
		}
		if (expanded_tokens > MAX_EXPANDED_TOKENS) {
			diag(DIAG_PARSE, t, "at", "macro expansions of this file exceed %d tokens",
			     MAX_EXPANDED_TOKENS);
			list_add(out, junk(t));
			return false;
		}
		Vec acts = {0};
		Token *after = t->next;
		if (m->params.len) {
			if (!tok_is(t->next, "(")) {
				diag(DIAG_PARSE, t->next, "at", "expected '(' in invocation of macro '@%s' taking %d parameter%s",
				     m->name, m->params.len, m->params.len == 1 ? "" : "s");
				list_add(out, junk(t));
				t = t->next;
				continue;
			}
			bool ok;
			after = macro_args(t->next, m, t, &acts, &ok);
			if (!ok) {
				list_add(out, junk(t));
				t = after;
				continue;
			}
			// arguments are expanded in the caller's context first
			for (int i = 0; i < acts.len; i++) {
				List a;
				list_init(&a);
				if (!expand_list(&a, VEC_AT(&acts, i), f, s, depth + 1, in_macro, actuals))
					return false;
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
		if (!expand_list(out, body.head.next, f, s, depth + 1, m, &acts))
			return false;
		t = after;
	}
	return true;
}

//
// Script arguments
//

// The escaped string form of raw argument text.
static Token *arg_string(const char *text, const Token *at)
{
	Buf b = {0};
	for (const char *p = text; *p; p++) {
		switch (*p) {
		case '\\': buf_puts(&b, "\\\\"); break;
		case '\n': buf_puts(&b, "\\n"); break;
		case '\t': buf_puts(&b, "\\t"); break;
		case '\r': buf_puts(&b, "\\r"); break;
		default:
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				buf_printf(&b, "\\%03o", (unsigned char)*p);
			else
				buf_putc(&b, *p);
		}
	}
	Token *t = copy_token(at, NULL);
	t->kind = TK_STRING;
	t->text = intern(b.s ? b.s : "", b.len);
	t->len = b.len;
	t->from_arg = true;
	free(b.s);
	return t;
}

static Token *subst_args(Token *tok, SrcFile *f, Session *s)
{
	List out;
	list_init(&out);
	int nargs = s->args.len;
	for (Token *t = tok; t;) {
		Token *n = t->next;
		if (t->kind != TK_IDENT || (t->text[0] != '$' && t->text[0] != '@')) {
			list_add(&out, t);
			t = n;
			continue;
		}
		const char *w = t->text + 1;
		bool str = t->text[0] == '@';
		if (!strcmp(w, "#")) {
			Token *c = copy_token(t, NULL);
			if (str) {
				c->kind = TK_STRING;
				c->text = intern0(arena_printf("%d", nargs));
			} else {
				c->kind = TK_NUMBER;
				c->num = nargs;
				c->text = intern0(arena_printf("%d", nargs));
			}
			c->len = strlen(c->text);
			list_add(&out, c);
			t = n;
			continue;
		}
		bool digits = *w != 0;
		for (const char *p = w; *p; p++)
			if (*p < '0' || *p > '9')
				digits = false;
		if (!digits || w[0] == '0') {
			list_add(&out, t);
			t = n;
			continue;
		}
		long idx = strtol(w, NULL, 10);
		if (idx < 1 || idx > nargs) {
			diag(DIAG_PARSE, t, "at", "command line argument out of range [1-%d]", nargs);
			t = n;
			continue;
		}
		const char *arg = VEC_AT(&s->args, idx - 1);
		if (str) {
			list_add(&out, arg_string(arg, t));
		} else {
			Token *a = lex_string(arg, t);
			for (Token *x = a; x && x->kind != TK_EOF;) {
				Token *xn = x->next;
				list_add(&out, x);
				x = xn;
			}
		}
		t = n;
	}
	return out.head.next;
}

Token *preprocess(Token *tok, SrcFile *f, Session *s)
{
	expanded_tokens = 0;
	if (f->has_at_words || f->macros_only) {
		tok = collect_macros(tok, f, s);
		if (!tok)
			return NULL;
		List out;
		list_init(&out);
		Token *eof = tok;
		while (eof->kind != TK_EOF)
			eof = eof->next;
		expand_list(&out, tok, f, s, 0, NULL, NULL);
		list_add(&out, eof);
		tok = out.head.next;
	}
	// macros bring tokens from other files: they may hold anything
	bool foreign = f->has_at_words && (f->macros.len || s->library_macros.len);
	if (f->has_conditionals || foreign)
		tok = do_conditionals(tok, f, s, NULL);
	if (f->has_args || foreign)
		tok = subst_args(tok, f, s);
	return tok;
}
