// fuzz_parse: libFuzzer target over pass 1 (lexer, preprocessor, parser,
// -p1 dumper), linked straight from the translator's sources.
//
// Each input is one user script, parsed in guru mode with three script
// arguments.  When it parses without errors, its dump must parse again
// without errors (the round trip testsuite/parse/run.sh also checks);
// anything else is only expected not to crash, hang or hit UB.
//
// State between inputs: the diagnostic counters are zeroed and the arena
// is rolled back to a mark taken after start-up (arena_release), which also
// forgets the strings interned since.  tok_is() caches interned literals in
// statics, so every string literal of the pass-1 sources (strings.inc,
// extracted by build.sh) is interned before the mark.
//
// FUZZ_VERBOSE=1 shows the diagnostics (they go to /dev/null otherwise).
#include "stap.h"

#include <stdlib.h>
#include <string.h>

// util.c (not in stap.h: only this program uses them)
void arena_mark(void);
void arena_release(void);

Session *session; // session.c is not linked

#define MAX_INPUT (64 << 10)

static const char *const warm_strings[] = {
#include "strings.inc"
};

static FILE *real_stderr;

// A fixed, small kernel configuration for CONFIG_ conditions.
static const char *fuzz_config(const char *name)
{
	static const char *const cfg[][2] = {
		{"CONFIG_SMP", "y"}, {"CONFIG_MODULES", "y"}, {"CONFIG_HZ", "250"},
		{"CONFIG_NR_CPUS", "8192"}, {"CONFIG_LOCALVERSION", ""},
		{"CONFIG_DEFAULT_HOSTNAME", "(none)"}, {"CONFIG_KPROBES", "m"},
	};
	for (size_t i = 0; i < ARRAY_SIZE(cfg); i++)
		if (!strcmp(name, cfg[i][0]))
			return cfg[i][1];
	return "";
}

static Session *new_session(void)
{
	Session *s = NEW(Session);
	s->release = "6.1.0-56-amd64";
	s->arch = "x86_64";
	s->guru = true;
	s->last_pass = 1;
	static const char *const args[] = {"42", "foo bar", "(1 + $2"};
	for (size_t i = 0; i < ARRAY_SIZE(args); i++)
		vec_push(&s->args, (void *)args[i]);
	PPEnv *pp = &s->pp;
	pp->kernel_vr = s->release;
	pp->kernel_v = "6.1.0";
	pp->arch = s->arch;
	pp->runtime = "kernel";
	pp->systemtap_v = "4.8";
	pp->privilege = "stapdev";
	pp->guru = true;
	pp->config = fuzz_config;
	return s;
}

static SrcFile *source(const char *name, const char *text, size_t len)
{
	SrcFile *f = NEW(SrcFile);
	f->name = name;
	f->text = text;
	f->size = len;
	f->guru = true;
	return f;
}

// Pass 1 on one text, as session.c does for a user script; the AST or NULL.
// *raw_newline tells whether a string holds a newline (from "\<newline>"):
// its dump does not lex again, as in SystemTap.
static Node *parse_text(Session *s, const char *name, const char *text, size_t len,
			bool *raw_newline)
{
	SrcFile *f = source(name, text, len);
	Token *t = lex_file(f);
	if (t->kind == TK_EOF)
		return NULL;
	for (Token *u = t; u; u = u->next)
		if (u->kind == TK_STRING && memchr(u->text, '\n', u->len))
			*raw_newline = true;
	t = preprocess(t, f, s);
	if (!t || t->kind == TK_EOF)
		return NULL;
	Node *ast = parse_file(f, t, s);
	return diag_parse_errors ? NULL : ast;
}

static char *dump_text(Node *ast, size_t *len)
{
	char *out = NULL;
	FILE *m = open_memstream(&out, len);
	if (!m)
		abort();
	dump_file(m, ast);
	fclose(m);
	return out;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	real_stderr = stderr;
	if (!getenv("FUZZ_VERBOSE")) {
		FILE *null = fopen("/dev/null", "w");
		if (null)
			stderr = null;
	}
	for (size_t i = 0; i < ARRAY_SIZE(warm_strings); i++)
		intern0(warm_strings[i]);
	session = new_session();
	// builds the lexer's keyword table
	static const char warm[] = "probe begin { x = 1 }";
	lex_file(source("warm", warm, sizeof(warm) - 1));
	arena_mark();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > MAX_INPUT)
		return -1;
	arena_release();
	diag_parse_errors = diag_semantic_errors = diag_warnings = 0;
	Session *s = session = new_session();

	char *text = arena_alloc(size + 1);
	memcpy(text, data, size);
	bool raw_newline = false;
	Node *ast = parse_text(s, "fuzz.stp", text, size, &raw_newline);
	if (!ast || raw_newline)
		return 0;
	size_t len;
	char *d1 = dump_text(ast, &len);
	Node *again = parse_text(s, "fuzz.stp", arena_strndup(d1, len), len, &raw_newline);
	if (!again) {
		fprintf(real_stderr, "round trip failed: the dump does not parse again:\n%s\n", d1);
		abort();
	}
	free(d1);
	return 0;
}
