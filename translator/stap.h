// stap.h: every type shared between the passes of the translator.
//
// Read this file first: it is the whole design in one place.  Types are
// grouped by the file that owns them; data flows forward only:
//
//   lex.c -> preproc.c -> parse.c -> (AST) -> dump.c (-p1)
//   session.c drives the passes; library.c finds and parses the tapsets.
#ifndef STAP_H
#define STAP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define NORETURN __attribute__((noreturn))
#define PRINTF(f, a) __attribute__((format(printf, f, a)))

typedef struct Token Token;
typedef struct Node Node;
typedef struct SrcFile SrcFile;
typedef struct Session Session;
typedef struct Macro Macro;
typedef struct Var Var;
typedef struct Func Func;
typedef struct Probe Probe;
typedef struct Provider Provider;
typedef struct Gen Gen; // pass 3's C writer (translate.h)

//
// util.c: arena, interned strings, growable vectors and buffers
//

// Every allocation of a run lives until exit: zeroed, never freed.
void *arena_alloc(size_t size);
#define NEW(T) ((T *)arena_alloc(sizeof(T)))
char *arena_strndup(const char *s, size_t n);
char *arena_strdup(const char *s);
char *arena_printf(const char *fmt, ...) PRINTF(1, 2);

// Interned strings: equal contents give the same pointer, so names are
// compared with ==.
const char *intern(const char *s, size_t len);
const char *intern0(const char *s);

typedef struct {
	void **items;
	int len, cap;
} Vec;
void vec_push(Vec *v, void *item);
#define VEC_AT(v, i) ((v)->items[i])

typedef struct {
	char *s; // always NUL-terminated
	size_t len, cap;
} Buf;
void buf_putc(Buf *b, char c);
void buf_puts(Buf *b, const char *s);
void buf_putn(Buf *b, const char *s, size_t n);
void buf_printf(Buf *b, const char *fmt, ...) PRINTF(2, 3);
void buf_vprintf(Buf *b, const char *fmt, va_list ap);
void buf_reset(Buf *b);

char *read_file(const char *path, size_t *len); // malloc'd, NUL-terminated
bool glob_match(const char *pattern, const char *s); // fnmatch(3) rules
int edit_distance(const char *a, const char *b);
// The five names closest to `want` of those closest_visit() is called with
// (a name-visiting callback: arg is the Closest), first found first among
// equals; closest_list() joins them with ", " (the kprobe families'
// "similar functions:" list).
typedef struct {
	const char *want;
	const char *best[5];
	int dist[5];
} Closest;
int closest_visit(const char *name, void *arg);
const char *closest_list(const Closest *c); // arena string
// SystemTap's version comparison (strverscmp) on "6.1.0-56-amd64"-like text.
int version_compare(const char *a, const char *b);

//
// diag.c: the one place that prints diagnostics
//

// One loaded source: a user script, -e text, a tapset file.
struct SrcFile {
	const char *name;     // as given, or "<input>" for -e / stdin
	const char *text;     // whole contents, NUL-terminated
	size_t size;
	bool library;         // a tapset file (parsed in guru mode)
	bool guru;            // embedded C etc. allowed
	bool macros_only;     // a .stpm file: only @define
	int index;            // order of loading
	Vec macros;           // Macro*: @define'd in this file
	// what the lexer saw, so preprocessing skips needless walks
	bool has_at_words, has_conditionals, has_args;
	Node *ast;            // the parsed FILE node (NULL on failure)
};

typedef enum { DIAG_PARSE, DIAG_SEMANTIC, DIAG_WARNING, DIAG_ERROR } DiagKind;

// Print "<kind>: msg", then "saw:"/"at:" with the token, its source line
// and a caret, then the chain of macro expansions that produced the token.
// label is "saw" or "at" (SystemTap uses both); tok may be NULL.
void diag(DiagKind kind, const Token *tok, const char *label, const char *fmt, ...) PRINTF(4, 5);
void diag_v(DiagKind kind, const Token *tok, const char *label, const char *fmt, va_list ap);
// An extra location line (e.g. "macro first defined here").
void diag_note(DiagKind kind, const Token *tok, const char *fmt, ...) PRINTF(3, 4);
NORETURN void fatal(const char *fmt, ...) PRINTF(1, 2);
void warn(const char *fmt, ...) PRINTF(1, 2);
// Describe a token as SystemTap does: "identifier 'x'", "operator '}'" ...
void token_describe(Buf *b, const Token *tok);

extern int diag_parse_errors;    // count of parse errors printed
extern int diag_semantic_errors;
extern int diag_warnings;
extern bool diag_suppress_warnings; // -w
extern bool diag_warnings_fatal;    // -W

//
// lex.c: source text to tokens
//

typedef enum {
	TK_IDENT,    // foo, $foo, $$vars, @foo (all "words"; see Token.sigil)
	TK_KEYWORD,  // probe global function if ... (an identifier that is reserved)
	TK_NUMBER,   // 12, 0x1f, 017
	TK_STRING,   // "..." (adjacent literals are joined by the parser)
	TK_OP,       // operators and punctuation, longest match
	TK_EMBEDDED, // %{ ... %} as one token; text = the code between
	TK_JUNK,     // what the lexer could not make sense of
	TK_EOF,
} TokenKind;

struct Token {
	TokenKind kind : 8;
	bool space_before : 1; // whitespace or a comment precedes it
	bool from_arg : 1;     // pasted from a $N/@N script argument
	uint32_t len;      // length of text
	const char *text;  // interned: name, operator, code or string value
	// For TK_STRING: text is SystemTap's "escaped" form: the C escapes
	// \a \b \f \n \r \t \v \\ \ooo \xhh are kept as written (they go into C
	// literals), other \c become c.  string_decode() gives the bytes.
	int64_t num;       // TK_NUMBER: the value (as a two's complement int64)
	SrcFile *file;
	int line, col;     // 1-based
	const Token *chain; // the macro invocation this token was expanded from
	Token *next;
};

// Tokenize a whole file, pasting script arguments ($N, @N, $#, @#) as text
// as SystemTap does.  The list always ends with TK_EOF.  What cannot be
// read becomes a TK_JUNK token (its num says why) whose error is reported
// where the token is used, not here.
Token *lex_file(SrcFile *f);
// Is this number token's text a valid number (checked where it is used)?
bool lex_number_valid(const Token *t);
// Report the error of a junk token; false when it was not junk.
bool lex_junk_error(const Token *t);
// An operator or keyword with this text.  The macro interns the literal once
// per call site, so the test is a pointer comparison (the parser asks this
// for every token at every precedence level).
#define tok_is(t, op)                                                           \
	({                                                                      \
		static const char *interned_;                                   \
		if (!interned_)                                                 \
			interned_ = intern0(op);                                \
		const Token *t_ = (t);                                          \
		t_->text == interned_ && (t_->kind == TK_OP || t_->kind == TK_KEYWORD); \
	})
#define tok_is_ident(t, name)                                                   \
	({                                                                      \
		static const char *interned_;                                   \
		if (!interned_)                                                 \
			interned_ = intern0(name);                              \
		const Token *t_ = (t);                                          \
		t_->text == interned_ && t_->kind == TK_IDENT;                  \
	})
bool is_keyword(const char *s);

// A map from pointers (interned strings, nodes) to pointers.
typedef struct {
	const void **keys;
	void **vals;
	size_t cap, len;
} PtrMap;
void *ptrmap_get(const PtrMap *m, const void *key);
void ptrmap_put(PtrMap *m, const void *key, void *val);
// Decode SystemTap's escaped string form into bytes; returns length.
size_t string_decode(const char *s, size_t len, Buf *out);

//
// preproc.c: %( conditionals %), @define macros, $N / @N arguments
//

struct Macro {
	const char *name;   // without '@'
	Token *name_tok;
	Vec params;         // const char* (interned, without '@')
	Token *body;        // token list (ends with TK_EOF)
	SrcFile *file;
};

// The facts conditionals are evaluated against.
typedef struct {
	const char *kernel_v;   // "6.1.0"
	const char *kernel_vr;  // "6.1.0-56-amd64"
	const char *arch;       // "x86_64"
	const char *runtime;    // "kernel"
	const char *systemtap_v; // compatibility version, "4.8"
	const char *privilege;  // "stapdev"
	bool guru;
	// CONFIG_* values of the target kernel; NULL when unknown
	const char *(*config)(const char *name);
} PPEnv;

// Expand macros and conditionals in one in-order walk (a macro is defined
// before it is used; untaken branches are not read).  Library macros (from
// .stpm files) are visible everywhere.
Token *preprocess(Token *tok, SrcFile *f, Session *s);
// Collect the @define's of a .stpm file's tokens; returns NULL.
Token *collect_macros(Token *tok, SrcFile *f, Session *s);

//
// parse.c: tokens to AST
//

typedef enum {
	// declarations
	N_FILE,      // list = declarations in order
	N_PROBE,     // points (Vec of N_PROBE_POINT), body, cond
	N_ALIAS,     // name points (alias names), points (targets), body, epilogue
	N_FUNCTION,  // name, params (Vec of N_PARAM), body or code, type, priority
	N_PARAM,     // name, type
	N_GLOBAL,    // name, size, wrap, init
	N_EMBED,     // top-level %{ %}: code
	N_PROBE_POINT, // components (Vec of N_COMPONENT), optional, sufficient, cond
	N_COMPONENT, // name (may contain * / **), arg (literal) or NULL

	// statements
	N_BLOCK,     // list
	N_TRY,       // body, catch_var (may be NULL), catch_body
	N_EMBED_STMT, // code
	N_NULL,      // ;
	N_EXPR_STMT, // expr
	N_IF,        // cond, then, els
	N_FOR,       // init, cond, incr, body (while is a for without init/incr)
	N_FOREACH,   // see the foreach fields below
	N_RETURN,    // expr (may be NULL)
	N_DELETE,    // expr (symbol, array element, or slice)
	N_NEXT,
	N_BREAK,
	N_CONTINUE,

	// expressions
	N_NUMBER,    // num
	N_STRING,    // str, len
	N_SYMBOL,    // name
	N_BINARY,    // op, lhs, rhs (+ - * / % << >> >>> & | ^)
	N_UNARY,     // op, lhs (- + ~ !)
	N_PRE_INC,   // op ("++"/"--"), lhs
	N_POST_INC,
	N_LOGICAL,   // op ("&&"/"||"), lhs, rhs
	N_COMPARE,   // op, lhs, rhs
	N_CONCAT,    // lhs . rhs
	N_REGEX,     // op ("=~"/"!~"), lhs, str (the literal pattern)
	N_TERNARY,   // cond, lhs, rhs
	N_ASSIGN,    // op ("=", "+=", ".=", "<<<" ...), lhs, rhs
	N_IN,        // args (indexes; NULL entries are '*'), lhs (array or histogram)
	N_INDEX,     // lhs (base: symbol or @hist_*), args (NULL entries are '*')
	N_CALL,      // name, args
	N_PRINT,     // print family: name, args, format (for printf-likes), print_flags
	N_STAT,      // @count @sum @min @max @avg @variance: op, lhs
	N_HIST,      // @hist_log / @hist_linear: op, lhs, args (lo, hi, step)
	N_TARGET,    // $var / $$vars...: name, members (components), addr_of
	N_CAST,      // @cast(expr, "type"[, "module"]): lhs, str (type), module, members
	N_ATVAR,     // @var("name"[, "module"]): str, module, members
	N_ENTRY,     // @entry(expr): lhs, members
	N_DEFINED,   // @defined(expr): lhs
	N_PROBEWRITE, // @probewrite(var): lhs
	N_PERF,      // @perf("name"): str
	N_REGISTER,  // @kregister(n) / @uregister(n): op, lhs
	N_DEREF,     // @kderef(size, addr) / @uderef: op, args
	N_ENUM,      // @enum("NAME"[, "module"]): str, module
	N_EMBED_EXPR, // %{ code %} in an expression (also what @const becomes)
	N_AUTOCAST,  // members on any other value: (expr)->a[1]; &expr (addr_of)
} NodeKind;

// A member access step after a target value: ->name, [index], or the
// $ / $$ pretty-printing suffixes.
typedef enum { M_FIELD, M_INDEX, M_PRETTY, M_PRETTY2 } MemberKind;
typedef struct {
	MemberKind kind;
	const char *name;  // M_FIELD
	Node *index;       // M_INDEX: expression (a number or a string literal or any expr)
} Member;

// Type of a value; pass 2 fills Node.type.
typedef enum { T_UNKNOWN, T_LONG, T_STRING, T_STATS, T_VOID } Type;

// foreach sort markers
typedef struct {
	int sort_col;      // 0: none; 1..9: key column; -1: the value
	int sort_dir;      // +1 ascending, -1 descending
	const char *sort_agg; // "@sum" etc. when sorting a stats value by aggregate
} ForeachSort;

struct Node {
	NodeKind kind;
	Type type;         // inferred in pass 2
	Token *tok;        // where it starts (for diagnostics)

	const char *name;  // symbols, functions, globals, params, calls, components
	const char *op;    // operator text (interned)
	const char *str;   // string literal value (escaped form), type names
	size_t len;
	int64_t num;
	const char *code;  // embedded C

	Node *lhs, *rhs, *cond;
	Node *body, *els;  // N_IF then/else; N_TRY body/catch body
	Vec list;          // block statements, file declarations
	Vec args;          // call / index / in / print args; foreach slice
	SrcFile *file;     // declaration's file
	bool is_private;   // N_GLOBAL, N_FUNCTION

	// What only some kinds need shares the same memory: a node is one kind.
	union {
		struct { // N_FOREACH: foreach (value = [keys] in lhs[args] sort limit N)
			Node *value_var; // may be NULL
			Vec keys;        // N_SYMBOL
			ForeachSort sort;
			Node *limit;
		};
		struct { // N_FOR (while is a for without init/incr)
			Node *init, *incr;
		};
		struct { // N_PROBE, N_ALIAS
			Vec points;      // probe points; for aliases the target points
			Vec names;       // alias names (N_PROBE_POINT)
			Node *epilogue;  // "probe a = b { pro }, { epi }"
			bool is_append;  // +=
		};
		struct { // N_FUNCTION
			Vec params;      // N_PARAM
			Type ret_type;   // from ": long" / ": string"
			int64_t priority; // function f() : 3 {}
			bool has_priority;
			bool is_embedded; // code holds the %{ %} body
		};
		struct { // N_GLOBAL
			int64_t size;    // 0 when not given
			Node *gl_init;   // literal initializer
			bool wrap;       // %
		};
		struct { // N_PROBE_POINT
			Vec components;  // N_COMPONENT
			bool optional;   // ?
			bool sufficient; // !
		};
		struct { // N_COMPONENT
			Node *arg;       // literal argument
		};
		struct { // N_TARGET, N_CAST, N_ATVAR, N_AUTOCAST, N_ENUM
			Member *members;
			int nmembers;
			bool addr_of;    // &$var
			const char *module; // @cast / @var / @enum module
			void *target;    // N_TARGET: the provider's resolution
			int tstate;      // N_TARGET: 0 not asked, 1 resolved, -1 failed
		};
		struct { // N_PRINT
			Vec format;      // FormatSpec* for printf-likes
			bool print_ln, print_delim, print_to_string, print_format;
		};
		struct { // N_SYMBOL, N_CALL: what pass 2 resolved them to
			Var *var;
			Func *func;
		};
	};
};

// A piece of a printf format string: literal text or one conversion.
typedef enum { FMT_LITERAL, FMT_CONV } FormatKind;
typedef struct {
	FormatKind kind;
	const char *text;     // FMT_LITERAL: escaped form, as written
	size_t len;
	char conv;            // d i u o x X s c p b m M %
	char flag;            // one of - + space #, or 0
	bool lmod;            // an 'l' length modifier was written
	bool zero;            // 0 padding
	int width;            // -1: none, -2: '*'
	int prec;             // -1: none, -2: '*'
} FormatSpec;

// Parse a whole file; errors go through diag() with recovery at the next
// declaration.  Returns the N_FILE node (possibly partial).
Node *parse_file(SrcFile *f, Token *tok, Session *s);
// Parse a printf format string (escaped form); NULL, or the error message.
const char *parse_format(const char *s, size_t len, Vec *out);

//
// dump.c: -p1 / -p2 printers (SystemTap's formats)
//
void dump_file(FILE *out, Node *file);
void dump_node(Buf *b, Node *n);

//
// library.c: the tapset search path
//
void library_load(Session *s);
// Parse one file as a library file (macros only for .stpm); returns its
// number of parse errors.
int library_parse_file(Session *s, const char *path);
// Read a source file (NULL if unreadable); display overrides its name.
SrcFile *load_source(const char *path, const char *display, bool library, bool guru);

//
// Pass 2 (elaborate.c drives: resolve.c, probe.c, types.c, check.c, opt.c)
//

// A variable: a global, a function parameter, or a local of a probe or
// function (locals are declared by their first assignment).
typedef enum { V_LOCAL, V_PARAM, V_GLOBAL } VarScope;
struct Var {
	const char *name;
	VarScope scope;
	Token *tok;         // declaration, or first use for locals
	Type type;          // value type (element type of arrays)
	Token *type_tok;    // where that type was first inferred
	int arity;          // -1 unknown, 0 scalar, N: array with N keys
	Type key_types[9];
	Token *key_tok[9];
	Node *decl;         // N_GLOBAL / N_PARAM, or NULL
	SrcFile *file;      // globals: the declaring file
	int64_t size;       // global a[size]
	bool wrap;          // global a%
	bool read, written; // seen used / assigned (optimizer, warnings)
	bool used;          // referenced at all after optimization
	bool quiet;         // named in @defined(): its stores go without a warning (4.8)
	int index;          // emission order among its kind
	int shift;          // statistics: the N of @variance(s, N)
};

// A function declaration (each overload is its own Func).
struct Func {
	Node *decl;         // N_FUNCTION
	const char *name;
	Vec params;         // Var*
	Vec locals;         // Var*
	Type type;          // return type (T_VOID when it returns nothing)
	Token *type_tok;
	Func *next_overload; // what `next` falls through to
	int overload;       // N in __global_NAME__overload_N
	bool used;          // reachable from a probe
	bool resolved;      // body walked by the resolver
	SrcFile *file;
	int index;
};

// A derived probe: one concrete probe point of a probe declaration, with
// its body (alias prologues and epilogues folded in) and its provider.
struct Probe {
	const Provider *provider;
	Node *decl;         // the user's N_PROBE
	Node *point;        // the concrete N_PROBE_POINT (literal components)
	const char *pp;     // printed: "timer.ms(100)"
	const char *chain;  // derivation: "foo = timer.s(1) <- foo"
	Node *body;         // N_BLOCK
	Node *cond;         // "if (cond)" of the point(s): a guard, or NULL
	Vec locals;         // Var*
	bool optional;      // '?' or '!': may fail to register
	bool elided;        // removed by the optimizer
	int locks_table;    // pass 3: N of its locks_N (shared by probes that lock alike), -1: none
	Token *tok;         // for diagnostics: the point as written
	Vec chain_aliases;  // N_ALIAS expanded to reach it, closest to the user first
	const char *note;   // provider's remark printed by -p2: " name = vfs_read"
	const char *list_pp; // -l: the alias point the user's point resolved to
	// provider data
	int64_t arg[4];     // numbers the provider took from the point
	const char *sarg[2]; // strings the provider took from the point
	void *data;         // anything else the provider keeps
	int flags;
	int index;
};

// Kinds of literal argument a probe point component takes.
typedef enum { ARG_NONE, ARG_NUMBER, ARG_STRING } ArgKind;

// How a target variable is used: read, written (=, .=, ++ ...), or only
// asked about by @defined (then nothing is reported).
typedef enum { TV_READ, TV_WRITE, TV_DEFINED } TargetUse;

// A family of probe points.  A provider registers patterns such as
// "timer.ms(number).randomize(number)"; pass 2 matches points against all
// of them (and against the aliases of the script and its library) and
// calls derive() for a match.
struct Provider {
	const char *name;            // "timer", "kprobe", ...
	const char *const *patterns; // NULL-terminated, SystemTap's notation
	// Check the concrete point p->point matched by patterns[pattern] and
	// push the probe(s) it stands for onto out (p itself, or copies for
	// each function a glob matches ...); report errors with diag and
	// return false.  p->pp is preset to the printed point.
	bool (*derive)(Session *s, Probe *p, int pattern, Vec *out);
	// -l / -L for points of this family that match a user pattern; NULL
	// when the provider lists only its patterns.
	void (*list)(Session *s, Node *point, int pattern, Vec *out);
	// Pass 3: write this family's runtime table for `probes` (each probe's
	// index is its place in stp_probes[]) and return the stp_module
	// fields that point to it (".timers = ..., .ntimers = ...,").  NULL:
	// the family needs no table (never).
	const char *(*emit)(Session *s, Buf *out, Vec *probes);

	// Target variables ($name, $$parms, $p->field[i]$ ...) of this
	// family's probes; NULL: it has none ("unresolved target-symbol
	// expression").  Pass 2 asks through target_resolve() (probe.c).
	//
	// Resolve the N_TARGET n in probe p: keep what pass 3 needs in
	// n->target and return the value's type (T_LONG or T_STRING); or
	// return T_UNKNOWN after reporting why with diag() (nothing when use
	// is TV_DEFINED).  TV_WRITE: refuse what cannot be written.
	Type (*target_type)(Session *s, Probe *p, Node *n, TargetUse use);
	// Pass 3: the C expression of resolved n's value; statements it
	// needs first go through tr_line(), errors jump to G->fail.
	char *(*target_expr)(Gen *G, Probe *p, Node *n);
	// Pass 3: n = value (op "=") or n .= value (".="), value a C
	// expression of n's type.  NULL when target_type refuses TV_WRITE.
	void (*target_assign)(Gen *G, Probe *p, Node *n, const char *op, const char *value);
	// -L: the variables a handler of p sees, "$prev:struct task_struct*
	// $next:...", or NULL.
	const char *(*target_list)(Session *s, Probe *p);
	// The p->flags bit of a function's .return probe (where @entry
	// works; clearing it makes the entry probe); 0: the family has none.
	int return_flag;
	// Families whose return probes are not one flag bit: is p a return
	// probe (where @entry works), and make q, a copy of return probe p,
	// the probe on its entry.  NULL: return_flag decides, and the entry
	// is p's point with .call in place of .return.
	bool (*is_return)(Probe *p);
	void (*make_entry)(Probe *p, Probe *q);
};

// Is p a return probe of its family (@entry works there)?
bool probe_is_return(Probe *p);

// The runtime's probe families (runtime/core.h enum stp_family_id, same
// order): the objects stp_rt_NAME.o of pass 4.
enum { RT_FAM_KPROBE, RT_FAM_PROCFS, RT_FAM_PROFILE, RT_FAM_TIMER, RT_FAM_TRACEPOINT, RT_NFAM };
extern const char *const rt_family_names[RT_NFAM]; // "kprobe", ... (translate.c)

// translator/probes/registry.c: every provider
extern const Provider *const providers[];

// The literal argument of component i of a concrete point (NULL if none).
Node *point_arg(Node *point, int i);
// SystemTap's printed form of a probe point: a.b("x").c(5)?
void point_print(Buf *b, Node *point, bool decorations);
// A provider's error about p: "while resolving probe point" then the
// message at `at`; silent while a glob's matches or an optional point are
// derived.  Returns false.
bool probe_error(Probe *p, const Token *at, const char *fmt, ...) PRINTF(3, 4);
// Alias names take no arguments (error otherwise).
bool probe_alias_valid(Node *alias);

// ast.c
Node *node_new(NodeKind kind, Token *tok);
Node *node_copy(Node *n);
void node_children(Node *n, void (*fn)(Node *child, void *arg), void *arg);

// probe.c
int derive_probe(Session *s, Node *decl, Vec *out);
void dump_probe_types(FILE *out);
// A target variable of probe p (NULL: in a function) through its
// provider, once: its type, or T_UNKNOWN (reported unless TV_DEFINED).
Type target_resolve(Session *s, Probe *p, Node *n, TargetUse use);
// The target variables left after optimization that do not resolve are
// errors (SystemTap reports only those); returns how many.
int target_report(Session *s);
// The token of member i of n ('->' or '['), for diagnostics.
Token *member_token(Node *n, int i);
// Sort "alternatives" the way SystemTap lists them: closest (edit
// distance) first, then alphabetically; names are const char*.
void sort_alternatives(Vec *names, const char *want);
// elaborate.c: a library file becomes part of the program (its globals,
// functions and probes).
void elaborate_use_file(Session *s, SrcFile *f);

// Pass 2 as a whole; returns the number of errors.
int elaborate(Session *s);
// -p2 printer
void dump_pass2(FILE *out, Session *s);
// What -p2 and pp() call a derived probe: its point, '?'/'!', condition.
void probe_pp_text(Buf *b, Probe *p);
// pass 4 (build.c): compile the C file with Kbuild, through a cache keyed
// by everything that decides the module (cache_key: run after pass 2).
const char *cache_key(Session *s);
const char *cache_lookup(Session *s, const char *key); // cached .ko or NULL
int use_cached_module(Session *s, const char *ko);
int build_module(Session *s, const char *key);
// pass 5 (run.c): staprun the module
int run_module(Session *s);

// pass 3 (translate.c): the module's C source
int translate(Session *s, FILE *out);
// A C string literal of bytes.
void c_string(Buf *b, const char *s, size_t len);
// -l / -L, --dump-* (list.c): the whole library through pass 1, then the
// listing on stdout; returns the exit status.
enum { DUMP_NONE, DUMP_PROBE_TYPES, DUMP_PROBE_ALIASES, DUMP_FUNCTIONS };
int list_run(Session *s);

//
// options.c: the command line
//
void options_parse(Session *s, int argc, char **argv);
void usage(FILE *out);

//
// session.c: the passes, one after the other
//
int session_run(Session *s);
// The target kernel's information (function lists, BTF), opened on first
// use; NULL when it cannot be had.
struct kinfo *session_kinfo(Session *s);
// Fill in what the passes need from the options (paths, %( %) facts).
void session_setup(Session *s);
// Resident/virtual memory and CPU time figures of SystemTap's -v lines:
// "using 112508virt/102236res/7404shr/94756data kb, in 340usr/60sys/401real ms."
void session_usage_line(Buf *b, Session *s);

struct Session {
	// command line
	int last_pass;          // -p
	int verbose;            // -v count
	int vp[5];              // --vp per-pass verbosity
	bool guru;              // -g
	bool unoptimized;       // -u
	bool suppress_warnings; // -w
	bool warnings_fatal;    // -W
	const char *release;    // -r: target kernel release
	const char *build_dir;  // kernel build tree
	const char *arch;       // -a
	const char *compatible; // --compatible
	Vec include_dirs;       // -I
	Vec defines;            // -D NAME[=VALUE]
	Vec args;               // script arguments ($1...)
	const char *script_text; // -e
	const char *script_file; // file name or "-"
	Vec extra_scripts;      // -E texts
	const char *kernel_config_path; // <build>/.config
	bool keep_tmpdir;       // -k
	const char *output_file; // -o FILE (pass 5)
	const char *target_cmd; // -c CMD
	const char *target_pid; // -x PID
	int buffer_mb;          // -s MB
	Vec globals_set;        // -G var=value, and var=value after the script
	bool disable_cache;     // --disable-cache
	bool clean_cache;       // --clean-cache
	bool poison_cache;      // --poison-cache
	const char *tmpdir;     // pass 3/4 working directory
	const char *module_path; // the built .ko
	const char *c_source;   // path of the generated C file
	// the runtime's probe families the module uses (RT_FAM_* bits, set by
	// the providers' emit): pass 3 names them in stp_module, pass 4 links
	// their objects
	unsigned rt_families;
	const char *cache_key;  // pass 3/4 cache key
	const char *cached_ko;  // the cache's module for it, if any

	const char *tapset_dir; // our tapset/ (or $SYSTEMTAP_TAPSET)
	const char *runtime_dir; // our runtime/ (or $SYSTEMTAP_RUNTIME)

	PPEnv pp;               // facts for %( %)
	double t_start;         // wall-clock start of the current pass (ms)
	double cpu_user, cpu_sys; // CPU time at its start (ms)

	// pass 1 results
	Vec user_files;         // SrcFile*: the script and -E scripts
	Vec library_files;      // SrcFile*: parsed tapset files
	Vec library_macros;     // Macro*: from .stpm files, visible everywhere

	// pass 2 results
	Vec files;              // SrcFile*: user files + library files pulled in
	Vec globals;            // Var*
	Vec funcs;              // Func*: every function of the files in use
	Vec probes;             // Probe*: derived probes, in declaration order
	Vec embeds;             // N_EMBED: top-level %{ %} of the files in use
	Vec aliases;            // N_ALIAS of every parsed file
	PtrMap global_by_name;  // interned name -> Var*
	PtrMap funcs_by_name;   // interned name -> Vec* of Func* (all files)
	const char *module_name; // -m NAME
	const char *list_pattern; // -l / -L
	bool list_vars;         // -L
	int dump_kind;          // --dump-probe-types etc.
};

extern Session *session;

#endif
