// diag.c: every diagnostic a user sees goes through here.
//
// The layout is SystemTap's:
//
//   parse error: expected literal string or number
//           saw: operator '}' at <input>:1:24
//        source: probe begin { x = (1 + }
//                                       ^
//
// The labels are right-aligned to the width of the "parse error" text, and
// continuation lines of the message are indented past its colon.  Tokens
// produced by a macro also show where the macro was used.
#include "stap.h"

#include <stdlib.h>
#include <string.h>

int diag_parse_errors;
int diag_semantic_errors;
int diag_warnings;
bool diag_suppress_warnings;
bool diag_warnings_fatal;

static const char *kind_text(DiagKind k)
{
	switch (k) {
	case DIAG_PARSE:
		return "parse error";
	case DIAG_SEMANTIC:
		return "semantic error";
	case DIAG_WARNING:
		return "WARNING";
	case DIAG_ERROR:
		return "ERROR";
	}
	return "error";
}

void token_describe(Buf *b, const Token *t)
{
	switch (t->kind) {
	case TK_IDENT:
		// SystemTap calls @words operators
		buf_printf(b, "%s '%s'", t->text[0] == '@' ? "operator" : "identifier", t->text);
		break;
	case TK_KEYWORD:
		buf_puts(b, "keyword");
		break;
	case TK_NUMBER:
		buf_puts(b, "number '");
		buf_putn(b, t->text, t->len);
		buf_putc(b, '\'');
		break;
	case TK_STRING:
		buf_puts(b, "string '");
		buf_putn(b, t->text, t->len);
		buf_putc(b, '\'');
		break;
	case TK_OP:
		buf_printf(b, "operator '%s'", t->text);
		break;
	case TK_EMBEDDED:
		buf_puts(b, "embedded-code");
		break;
	case TK_JUNK:
		buf_printf(b, "junk '%s'", t->text);
		break;
	case TK_EOF:
		buf_puts(b, "end of input");
		break;
	}
}

// Where line n starts in a file's text.  The starts of the last file
// asked about are kept: a file with many errors is not rescanned for each.
static const char *line_start(const SrcFile *f, int n)
{
	static const SrcFile *file;
	static const char *text;
	static size_t size;
	static const char **starts;
	static int nstarts, cap;
	if (f != file || f->text != text || f->size != size) {
		file = f;
		text = f->text;
		size = f->size;
		nstarts = 0;
		for (const char *p = text;; p++) {
			if (nstarts == cap) {
				cap = cap ? cap * 2 : 256;
				starts = realloc(starts, cap * sizeof(*starts));
				if (!starts)
					fatal("out of memory");
			}
			starts[nstarts++] = p;
			p = strchr(p, '\n');
			if (!p)
				break;
		}
	}
	if (n < 1)
		n = 1;
	return n <= nstarts ? starts[n - 1] : text + strlen(text);
}

// The source line of a token, and the caret under its column.  Tabs in the
// line are kept in the caret's padding so the caret lines up in a terminal.
static void print_source(Buf *b, int width, const Token *t)
{
	const char *p = line_start(t->file, t->line);
	const char *end = p;
	while (*end && *end != '\n')
		end++;
	buf_printf(b, "%*s: ", width, "source");
	buf_putn(b, p, end - p);
	buf_putc(b, '\n');
	buf_printf(b, "%*s  ", width, "");
	for (int i = 1; i < t->col && p + i - 1 < end; i++)
		buf_putc(b, p[i - 1] == '\t' ? '\t' : ' ');
	buf_puts(b, "^\n");
}

static void print_chain(Buf *b, int width, const Token *t)
{
	for (const Token *c = t->chain; c; c = c->chain) {
		if (c->kind == TK_IDENT && c->text[0] == '@')
			buf_printf(b, "%*s: macro '%s' at %s:%d:%d\n", width, "in expansion of",
				   c->text, c->file->name, c->line, c->col);
		else if (c->from_arg || c->kind == TK_IDENT)
			buf_printf(b, "%*s: script argument '%s' at %s:%d:%d\n", width,
				   "from", c->text, c->file->name, c->line, c->col);
		else
			continue;
		print_source(b, width, c);
	}
}

// Parse errors name the token on a line of its own ("saw: ...").
static void print_location(Buf *b, int width, const char *label, const Token *t)
{
	buf_printf(b, "%*s: ", width, label);
	token_describe(b, t);
	if (t->file)
		buf_printf(b, " at %s:%d:%d\n", t->file->name, t->line, t->col);
	else
		buf_putc(b, '\n');
	if (t->file)
		print_source(b, width, t);
	print_chain(b, width, t);
}

// Semantic errors and warnings name it at the end of the message line.
static void append_location(Buf *b, const Token *t)
{
	buf_puts(b, ": ");
	token_describe(b, t);
	if (t->file)
		buf_printf(b, " at %s:%d:%d", t->file->name, t->line, t->col);
}

static void message_lines(Buf *b, const char *kind, const char *msg)
{
	// continuation lines of a multi-line message line up after "kind: "
	int indent = strlen(kind) + 2;
	buf_printf(b, "%s: ", kind);
	for (const char *p = msg; *p; p++) {
		buf_putc(b, *p);
		if (*p == '\n' && p[1])
			buf_printf(b, "%*s", indent, "");
	}
	if (!b->len || b->s[b->len - 1] != '\n')
		buf_putc(b, '\n');
}

static void diag_print(DiagKind kind, bool count, const Token *tok, const char *label,
		       const char *fmt, va_list ap)
{
	if (kind == DIAG_WARNING) {
		if (diag_suppress_warnings && !diag_warnings_fatal)
			return;
		if (diag_warnings_fatal)
			kind = DIAG_SEMANTIC;
	}
	const char *kt = kind_text(kind);
	int width = strlen(kt);
	Buf msg = {0}, b = {0};
	buf_vprintf(&msg, fmt, ap);
	if (kind == DIAG_PARSE || !tok) {
		message_lines(&b, kt, msg.s ? msg.s : "");
		if (tok)
			print_location(&b, width, label ? label : "saw", tok);
	} else {
		append_location(&msg, tok);
		message_lines(&b, kt, msg.s);
		if (tok->file)
			print_source(&b, width, tok);
		print_chain(&b, width, tok);
	}
	if (kind != DIAG_WARNING)
		buf_putc(&b, '\n');
	fputs(b.s, stderr);
	free(msg.s);
	free(b.s);
	if (!count)
		return;
	switch (kind) {
	case DIAG_PARSE:
		diag_parse_errors++;
		break;
	case DIAG_SEMANTIC:
		diag_semantic_errors++;
		break;
	case DIAG_WARNING:
		diag_warnings++;
		break;
	case DIAG_ERROR:
		break;
	}
}

void diag_v(DiagKind kind, const Token *tok, const char *label, const char *fmt, va_list ap)
{
	diag_print(kind, true, tok, label, fmt, ap);
}

void diag(DiagKind kind, const Token *tok, const char *label, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_v(kind, tok, label, fmt, ap);
	va_end(ap);
}

void diag_note(DiagKind kind, const Token *tok, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_print(kind, false, tok, "at", fmt, ap);
	va_end(ap);
}

void fatal(const char *fmt, ...)
{
	va_list ap;
	fputs("stap: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

void warn(const char *fmt, ...)
{
	if (diag_suppress_warnings)
		return;
	va_list ap;
	fputs("WARNING: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	diag_warnings++;
}
