// lex.c: source text to a linked list of tokens.
//
// Words: identifiers may contain '$' anywhere and start with a letter, '_',
// '$' or '@' ($var, $$vars, @cast, @define, @1, $#).  Numbers take every
// alphanumeric character that follows the first digit and are checked as a
// whole ("1abc" is one bad number, as in SystemTap).  Operators are matched
// longest first.  %{ ... %} is one embedded-code token.
#include "stap.h"

#include <ctype.h>
#include <errno.h>
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

typedef struct {
	SrcFile *file;
	const char *p;
	const char *line_start; // columns are counted from here
	int line;
	Token head, *tail;
	bool space;
} Lexer;

static Token *new_token(Lexer *L, TokenKind kind, int line, int col)
{
	Token *t = NEW(Token);
	t->kind = kind;
	t->file = L->file;
	t->line = line;
	t->col = col;
	t->space_before = L->space;
	L->space = false;
	L->tail->next = t;
	L->tail = t;
	return t;
}

#define COL(L) ((int)((L)->p - (L)->line_start) + 1)

// Move over n characters, which may include newlines.
static void advance(Lexer *L, size_t n)
{
	while (n-- && *L->p) {
		if (*L->p == '\n') {
			L->line++;
			L->line_start = L->p + 1;
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

// Strings keep SystemTap's escaped form (see Token in stap.h).
static void lex_string_lit(Lexer *L)
{
	int line = L->line, col = COL(L);
	const char *start = L->p;
	Buf b = {0};
	advance(L, 1);
	for (;;) {
		char c = *L->p;
		if (c == 0 || c == '\n') {
			Token *t = new_token(L, TK_JUNK, line, col);
			t->text = intern0("");
			diag(DIAG_PARSE, t, "at", "Could not find matching closing quote");
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
	Token *t = new_token(L, TK_STRING, line, col);
	t->text = intern(b.s ? b.s : "", b.len);
	t->len = b.len;
	(void)start;
	free(b.s);
}

static void lex_embedded(Lexer *L)
{
	int line = L->line, col = COL(L);
	advance(L, 2);
	const char *start = L->p;
	const char *end = strstr(start, "%}");
	if (!end) {
		Token *t = new_token(L, TK_JUNK, line, col);
		t->text = intern0("");
		diag(DIAG_PARSE, t, "at", "Could not find matching '%%}' to close embedded function block");
		advance(L, strlen(L->p));
		return;
	}
	Token *t = new_token(L, TK_EMBEDDED, line, col);
	t->text = intern(start, end - start);
	t->len = end - start;
	advance(L, end - start + 2);
}

static void lex_all(Lexer *L)
{
	while (*L->p) {
		char c = *L->p;
		if (c == '\n') {
			L->space = true;
			L->line++;
			L->line_start = ++L->p;
			continue;
		}
		if (isspace((unsigned char)c)) {
			L->space = true;
			L->p++;
			continue;
		}
		if (c == '#' || (c == '/' && L->p[1] == '/')) {
			const char *eol = strchr(L->p, '\n');
			L->p = eol ? eol : L->p + strlen(L->p);
			L->space = true;
			continue;
		}
		if (c == '/' && L->p[1] == '*') {
			int line = L->line, col = COL(L);
			const char *end = strstr(L->p + 2, "*/");
			if (!end) {
				Token *t = new_token(L, TK_JUNK, line, col);
				t->text = intern0("");
				diag(DIAG_PARSE, t, "at", "Could not find matching '*/'");
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
		int line = L->line, col = COL(L);
		if (isdigit((unsigned char)c)) {
			const char *s = L->p;
			size_t n = 1;
			while (isalnum((unsigned char)s[n]))
				n++;
			Token *t = new_token(L, TK_NUMBER, line, col);
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
			size_t n = 1;
			// $# and @# are the argument counts; $1 / @1 arguments
			if ((c == '$' || c == '@') && s[1] == '#') {
				n = 2;
			} else {
				while (is_word_char(s[n]))
					n++;
			}
			const char *w = intern(s, n);
			if (c == '@')
				L->file->has_at_words = true;
			if (c == '$' && (isdigit((unsigned char)s[1]) || s[1] == '#'))
				L->file->has_args = true;
			if (c == '@' && (isdigit((unsigned char)s[1]) || s[1] == '#'))
				L->file->has_args = true;
			Token *t = new_token(L, c != '$' && c != '@' && is_keyword_interned(w) ? TK_KEYWORD : TK_IDENT,
					     line, col);
			t->text = w;
			t->len = n;
			L->p += n;
			continue;
		}
		size_t n = op_length(L->p);
		if (c == '%' && n == 2)
			L->file->has_conditionals = true;
		Token *t = new_token(L, TK_OP, line, col);
		t->text = intern(L->p, n);
		t->len = n;
		L->p += n;
	}
	Token *eof = new_token(L, TK_EOF, L->line, COL(L));
	eof->text = intern0("");
}

Token *lex_file(SrcFile *f)
{
	Lexer L = {.file = f, .p = f->text, .line_start = f->text, .line = 1};
	L.tail = &L.head;
	// A "#!" first line is a comment already; nothing special to do.
	lex_all(&L);
	return L.head.next;
}

// Script arguments are lexed as if written where $N stands: each token
// takes the position of the $N and remembers it.
Token *lex_string(const char *text, const Token *at)
{
	SrcFile *f = NEW(SrcFile);
	f->name = at && at->file ? at->file->name : "<argument>";
	f->text = text;
	f->size = strlen(text);
	Lexer L = {.file = f, .p = text, .line_start = text, .line = 1};
	L.tail = &L.head;
	lex_all(&L);
	for (Token *t = L.head.next; t; t = t->next) {
		if (at) {
			t->file = at->file;
			t->line = at->line;
			t->col = at->col;
			t->chain = at->chain;
		}
		t->from_arg = true;
	}
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
