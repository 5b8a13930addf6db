// lex.c: source text to a linked list of tokens.
//
// Words: identifiers may contain '$' anywhere and start with a letter, '_',
// '$' or '@' ($var, $$vars, @cast, @define).  Numbers take every
// alphanumeric character that follows the first digit and are checked as a
// whole ("1abc" is one bad number, as in SystemTap).  Operators are matched
// longest first.  %{ ... %} is one embedded-code token.  Script arguments
// ($1, @1, $#, @#) are pasted here, as text, as SystemTap does.  What
// cannot be read becomes a junk token whose error is reported where it is
// used.
#include "stap.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

static const char *const keywords[] = {
	"probe", "global", "private", "function", "if", "else", "for", "foreach",
	"in", "limit", "return", "delete", "while", "break", "continue", "next",
	"string", "long", "try", "catch",
};

// Keywords compared by interned pointer: the lexer asks for every word.
static const char *kw_interned[ARRAY_SIZE(keywords)];
static bool is_keyword_interned(const char *s);

bool is_keyword(const char *s)
{
	return is_keyword_interned(intern0(s));
}

static bool is_keyword_interned(const char *s)
{
	static PtrMap set;
	if (!kw_interned[0])
		for (size_t i = 0; i < ARRAY_SIZE(keywords); i++)
			ptrmap_put(&set, kw_interned[i] = intern0(keywords[i]), (void *)1);
	return ptrmap_get(&set, s) != NULL;
}

// Length of the operator at p: longest match of the table above, else 1.
static size_t op_length(const char *p)
{
	char a = p[0], b = a ? p[1] : 0, c = b ? p[2] : 0;
	switch (a) {
	case '<':
		if (b == '<')
			return c == '<' || c == '=' ? 3 : 2;
		return b == '=' ? 2 : 1;
	case '>':
		if (b == '>')
			return c == '>' || c == '=' ? 3 : 2;
		return b == '=' ? 2 : 1;
	case '=':
		return b == '=' || b == '~' ? 2 : 1;
	case '!':
		return b == '=' || b == '~' ? 2 : 1;
	case '&':
		return b == '&' || b == '=' ? 2 : 1;
	case '|':
		return b == '|' || b == '=' ? 2 : 1;
	case '+':
		return b == '+' || b == '=' ? 2 : 1;
	case '-':
		return b == '-' || b == '=' || b == '>' ? 2 : 1;
	case '*': case '/': case '^': case '.':
		return b == '=' ? 2 : 1;
	case '%':
		return b == '=' || b == '(' || b == '?' || b == ':' || b == ')' ? 2 : 1;
	default:
		return 1;
	}
}

// Operators, longest match: <<< >>> <<= >>= == != <= >= && || ++ -- += -=
// *= /= %= &= ^= |= .= << >> -> =~ !~ %( %? %: %) and single characters.

// Where a token starts.  A token read from a pasted script argument takes
// the position of the $N it stands for.
typedef struct {
	int line, col;
	bool from_arg;
} Pos;

typedef struct {
	SrcFile *file;
	const char *text;  // what p reads: the file's text, or a pasted
			   // argument followed by the rest of the file (malloc'd)
	const char *p;     // the next character
	long line_start;   // offset in text where the current line starts
			   // (negative when a pasted argument precedes it)
	int line;
	const char *arg_end; // p < arg_end: reading a pasted argument
	Pos arg_pos;         // the $N that argument stands for
	const Vec *args;     // script arguments; NULL: $N stays a word
	Token head, *tail;
	bool space;
} Lexer;

#define COL(L) ((int)((L)->p - (L)->text - (L)->line_start) + 1)

static Pos here(const Lexer *L)
{
	if (L->p < L->arg_end)
		return L->arg_pos;
	return (Pos){L->line, COL(L), false};
}

static Token *new_token(Lexer *L, TokenKind kind, Pos at)
{
	Token *t = NEW(Token);
	t->kind = kind;
	t->file = L->file;
	t->line = at.line;
	t->col = at.col;
	t->from_arg = at.from_arg;
	t->space_before = L->space;
	L->space = false;
	L->tail->next = t;
	L->tail = t;
	return t;
}

// Move over n characters, which may include newlines (those of a pasted
// argument do not count: its tokens sit at the $N).
static void advance(Lexer *L, size_t n)
{
	while (n-- && *L->p) {
		if (*L->p == '\n' && L->p >= L->arg_end) {
			L->line++;
			L->line_start = L->p + 1 - L->text;
		}
		L->p++;
	}
}

static bool is_word_start(char c)
{
	return isalpha((unsigned char)c) || c == '_' || c == '$' || c == '@';
}

static bool is_word_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '$';
}

// Parse a number as SystemTap does: decimal, 0x hex or 0 octal, any value
// from 0 to ULLONG_MAX (stored as two's complement).  Returns false for
// malformed or out-of-range text.
static bool parse_number(const char *s, size_t len, int64_t *out)
{
	char buf[80];
	if (len >= sizeof(buf))
		return false;
	memcpy(buf, s, len);
	buf[len] = 0;
	int base = 10;
	const char *digits = buf;
	if (buf[0] == '0' && (buf[1] == 'x' || buf[1] == 'X')) {
		base = 16;
		digits = buf + 2;
	} else if (buf[0] == '0' && buf[1]) {
		base = 8;
		digits = buf + 1;
	}
	if (!*digits)
		return false;
	for (const char *d = digits; *d; d++) {
		int v = isdigit((unsigned char)*d) ? *d - '0'
			: isxdigit((unsigned char)*d) ? tolower((unsigned char)*d) - 'a' + 10 : 99;
		if (v >= base)
			return false;
	}
	errno = 0;
	unsigned long long v = strtoull(digits, NULL, base);
	if (errno == ERANGE)
		return false;
	*out = (int64_t)v;
	return true;
}

// Numbers are checked where the parser or a %( condition uses them, as in
// SystemTap: "1abc" in an untaken %( %) branch, or glued to a probe point
// component, is not reported as a bad number.
bool lex_number_valid(const Token *t)
{
	int64_t v;
	return t->kind == TK_NUMBER && parse_number(t->text, t->len, &v);
}

//
// Junk: what the lexer could not make sense of.  The token's num says
// why; the error is reported where the token is used (lex_junk_error), as
// SystemTap does: a bad string or $N in an untaken %( %) branch or in a
// macro nobody uses is no error.
//

enum {
	JUNK_REPORTED, // made by the preprocessor after reporting an error
	JUNK_QUOTE,
	JUNK_COMMENT,
	JUNK_EMBEDDED,
	JUNK_ARG_RANGE,  // $N/@N beyond the script arguments
	JUNK_ARG_NESTED, // $N/@N inside a script argument
};

static void lex_junk(Lexer *L, Pos at, int why)
{
	Token *t = new_token(L, TK_JUNK, at);
	t->text = intern0("");
	t->num = why;
}

// Report the error a junk token stands for (none when the preprocessor
// made it: its error came first).  Returns whether t is junk.
bool lex_junk_error(const Token *t)
{
	if (t->kind != TK_JUNK)
		return false;
	switch (t->num) {
	case JUNK_QUOTE:
		diag(DIAG_PARSE, t, "at", "Could not find matching closing quote");
		break;
	case JUNK_COMMENT:
		diag(DIAG_PARSE, t, "at", "Could not find matching '*/'");
		break;
	case JUNK_EMBEDDED:
		diag(DIAG_PARSE, t, "at", "Could not find matching '%%}' to close embedded function block");
		break;
	case JUNK_ARG_RANGE:
		diag(DIAG_PARSE, t, "at", "command line argument out of range [1-%d]",
		     session ? session->args.len : 0);
		break;
	case JUNK_ARG_NESTED:
		diag(DIAG_PARSE, t, "at", "invalid nested substitution of command line arguments");
		break;
	}
	return true;
}

// Strings keep SystemTap's escaped form (see Token in stap.h).
static void lex_string_lit(Lexer *L)
{
	Pos at = here(L);
	Buf b = {0};
	advance(L, 1);
	for (;;) {
		char c = *L->p;
		if (c == 0 || c == '\n') {
			lex_junk(L, at, JUNK_QUOTE);
			free(b.s);
			// Skip the rest of the line so one bad quote is one error.
			while (*L->p && *L->p != '\n')
				advance(L, 1);
			return;
		}
		if (c == '"')
			break;
		if (c == '\\') {
			char e = L->p[1];
			if (e == 0) {
				advance(L, 1);
				continue;
			}
			// a backslash-newline keeps the newline (so the -p1 dump
			// of such a string does not lex again, as in SystemTap)
			if (strchr("abfnrtv\\x01234567", e)) {
				buf_putc(&b, '\\');
				buf_putc(&b, e);
			} else {
				buf_putc(&b, e); // \" \' \? \e ... stand for themselves
			}
			advance(L, 2);
			continue;
		}
		buf_putc(&b, c);
		advance(L, 1);
	}
	advance(L, 1);
	Token *t = new_token(L, TK_STRING, at);
	t->text = intern(b.s ? b.s : "", b.len);
	t->len = b.len;
	free(b.s);
}

static void lex_embedded(Lexer *L)
{
	Pos at = here(L);
	advance(L, 2);
	const char *start = L->p;
	const char *end = strstr(start, "%}");
	if (!end) {
		lex_junk(L, at, JUNK_EMBEDDED);
		advance(L, strlen(L->p));
		return;
	}
	Token *t = new_token(L, TK_EMBEDDED, at);
	t->text = intern(start, end - start);
	t->len = end - start;
	advance(L, end - start + 2);
}

//
// Script arguments, pasted as SystemTap's lexer does: $N is replaced by
// the text of argument N and reading goes on there, then after the $N
// ("$1abc" with argument "x" is the word "xabc"); @N is a string; $# and
// @# the count.  Tokens read from an argument take the position of the $N
// and are marked from_arg; a $N inside an argument is an error.
//

// The escaped string form of raw argument text.
static const char *arg_string(const char *text, size_t *len)
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
	const char *s = intern(b.s ? b.s : "", b.len);
	*len = b.len;
	free(b.s);
	return s;
}

// Go on reading at text, then where we are.  (The rest of the file is
// copied behind it: a script has few $N.)
static void paste(Lexer *L, const char *text, Pos at)
{
	size_t n = strlen(text);
	int col = COL(L);
	Buf b = {0};
	buf_putn(&b, text, n);
	buf_puts(&b, L->p);
	if (L->text != L->file->text)
		free((char *)L->text);
	L->text = L->p = b.s;
	L->arg_end = b.s + n;
	L->arg_pos = at;
	L->line_start = (long)n - (col - 1);
}

// At $N, @N, $# or @#.
static void lex_arg(Lexer *L)
{
	Pos at = here(L);
	const char *s = L->p;
	bool str = s[0] == '@', count = s[1] == '#';
	size_t n = 2;
	long idx = 0;
	if (!count) {
		for (n = 1; isdigit((unsigned char)s[n]); n++)
			if (idx <= INT_MAX)
				idx = idx * 10 + (s[n] - '0');
	}
	advance(L, n);
	int nargs = L->args->len;
	if (at.from_arg) {
		lex_junk(L, at, JUNK_ARG_NESTED);
		return;
	}
	if (!count && (idx < 1 || idx > nargs)) {
		lex_junk(L, at, JUNK_ARG_RANGE);
		return;
	}
	const char *text = count ? arena_printf("%d", nargs) : VEC_AT(L->args, idx - 1);
	at.from_arg = true;
	if (str) {
		Token *t = new_token(L, TK_STRING, at);
		size_t len;
		t->text = arg_string(text, &len);
		t->len = len;
		return;
	}
	paste(L, text, at);
}

static void lex_all(Lexer *L)
{
	while (*L->p) {
		char c = *L->p;
		if (isspace((unsigned char)c)) {
			L->space = true;
			advance(L, 1);
			continue;
		}
		if (c == '#' || (c == '/' && L->p[1] == '/')) {
			const char *eol = strchr(L->p, '\n');
			L->p = eol ? eol : L->p + strlen(L->p);
			L->space = true;
			continue;
		}
		if (c == '/' && L->p[1] == '*') {
			Pos at = here(L);
			const char *end = strstr(L->p + 2, "*/");
			if (!end) {
				lex_junk(L, at, JUNK_COMMENT);
				advance(L, strlen(L->p));
				break;
			}
			advance(L, end + 2 - L->p);
			L->space = true;
			continue;
		}
		if (c == '%' && L->p[1] == '{') {
			lex_embedded(L);
			continue;
		}
		if (c == '"') {
			lex_string_lit(L);
			continue;
		}
		Pos at = here(L);
		if (isdigit((unsigned char)c)) {
			const char *s = L->p;
			size_t n = 1;
			while (isalnum((unsigned char)s[n]))
				n++;
			Token *t = new_token(L, TK_NUMBER, at);
			t->text = intern(s, n);
			t->len = n;
			// a bad number is diagnosed where it is used (see
			// lex_number_valid)
			parse_number(s, n, &t->num);
			L->p += n;
			continue;
		}
		if (is_word_start(c)) {
			const char *s = L->p;
			bool arg = (c == '$' || c == '@') && (isdigit((unsigned char)s[1]) || s[1] == '#');
			if (arg)
				L->file->has_args = true;
			if (arg && L->args) {
				lex_arg(L);
				continue;
			}
			size_t n = 1;
			if (arg && s[1] == '#') {
				n = 2;
			} else {
				while (is_word_char(s[n]))
					n++;
			}
			const char *w = intern(s, n);
			if (c == '@')
				L->file->has_at_words = true;
			Token *t = new_token(L, c != '$' && c != '@' && is_keyword_interned(w) ? TK_KEYWORD : TK_IDENT,
					     at);
			t->text = w;
			t->len = n;
			L->p += n;
			continue;
		}
		size_t n = op_length(L->p);
		if (c == '%' && n == 2)
			L->file->has_conditionals = true;
		Token *t = new_token(L, TK_OP, at);
		t->text = intern(L->p, n);
		t->len = n;
		L->p += n;
	}
	Token *eof = new_token(L, TK_EOF, here(L));
	eof->text = intern0("");
	if (L->text != L->file->text)
		free((char *)L->text);
}

// A "#!" first line is a comment already; nothing special to do.
Token *lex_file(SrcFile *f)
{
	Lexer L = {.file = f, .text = f->text, .p = f->text, .arg_end = f->text, .line = 1,
		   .args = session ? &session->args : NULL};
	L.tail = &L.head;
	lex_all(&L);
	return L.head.next;
}

// Turn the escaped form into bytes (for constant folding, format parsing
// and lengths).
size_t string_decode(const char *s, size_t len, Buf *out)
{
	size_t start = out->len;
	for (size_t i = 0; i < len; i++) {
		if (s[i] != '\\' || i + 1 >= len) {
			buf_putc(out, s[i]);
			continue;
		}
		char e = s[++i];
		switch (e) {
		case 'a': buf_putc(out, '\a'); break;
		case 'b': buf_putc(out, '\b'); break;
		case 'f': buf_putc(out, '\f'); break;
		case 'n': buf_putc(out, '\n'); break;
		case 'r': buf_putc(out, '\r'); break;
		case 't': buf_putc(out, '\t'); break;
		case 'v': buf_putc(out, '\v'); break;
		case 'x': {
			int v = 0, n = 0;
			while (n < 2 && i + 1 < len && isxdigit((unsigned char)s[i + 1])) {
				char d = s[++i];
				v = v * 16 + (isdigit((unsigned char)d) ? d - '0' : tolower((unsigned char)d) - 'a' + 10);
				n++;
			}
			buf_putc(out, (char)v);
			break;
		}
		default:
			if (e >= '0' && e <= '7') {
				int v = e - '0', n = 1;
				while (n < 3 && i + 1 < len && s[i + 1] >= '0' && s[i + 1] <= '7') {
					v = v * 8 + (s[++i] - '0');
					n++;
				}
				buf_putc(out, (char)v);
			} else {
				buf_putc(out, e);
			}
		}
	}
	return out->len - start;
}
