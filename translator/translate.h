// translate.h: what the two halves of pass 3 share (private to pass 3).
//
// translate.c: helpers, statement accounting, frames, probes, functions,
// locks, globals and the module; translate_code.c: expressions and
// statements.  Shared names start with tr_.
#ifndef TRANSLATE_H
#define TRANSLATE_H

#include "stap.h"

#include <limits.h>

// A temporary of the current frame: slots are reused by later statements
// once the statement that took them is done.
typedef struct {
	const char *ctype; // "s64", "char", "union stp_key" ...
	const char *dims;  // "[MAXSTRINGLEN]", "[2]" or ""
	bool busy;
} Slot;

struct Gen {
	Session *s;
	Buf *o;            // code being written
	int ind;           // indentation
	Probe *probe;      // the probe being translated, or NULL
	Func *func;        // the function being translated, or NULL
	Vec slots;         // Slot*: the frame's temporaries (l->tN)
	Vec taken;         // slot numbers taken, innermost statement last
	const char *fail;  // where an error jumps: "out" or "catch_N"
	int nlabel;        // label counter in this C function
	const char *brk, *cont; // innermost loop's labels
	int nregex;        // regexes so far (module-wide)
	int nspec;         // printf specs so far (module-wide)
	Buf *globals_code; // declarations at file scope (format specs, regexes)
	unsigned actions;  // statements not yet subtracted from actionremaining
	bool counted;      // the body's statements were checked at its entry
	const char *loc_file; // last "/* FILE:LINE */" written
	int loc_line;
	bool void_value;   // the next tr_expr()'s value is discarded
};

// helpers (translate.c)
void tr_line(Gen *G, const char *fmt, ...) PRINTF(2, 3);      // one indented line of C
char *tr_fmt(const char *f, ...) PRINTF(1, 2);                  // printf into the arena
char *tr_lit(const char *s);                                    // a C string literal
char *tr_lit_escaped(const char *s, size_t len, size_t *nbytes); // of a script literal
char *tr_where(Token *t);            // SystemTap's "near" text as a C literal, or NULL
const char *tr_cname(const char *name);                         // C-safe identifier
const char *tr_label(Gen *G, const char *base);                 // a fresh label
void tr_fail_if_error(Gen *G);       // jump to the catch/out label on an error
void tr_raise_at(Gen *G, Token *t, const char *msg_c);          // error + jump (indented)

// temporaries of the frame: taken until the statement is done
char *tr_slot(Gen *G, const char *ctype, const char *dims);
char *tr_tmp(Gen *G, Type t);
void tr_release(Gen *G, int mark);   // free what was taken since mark

// statement accounting (MAXACTION)
#define ACT_INF UINT_MAX
unsigned tr_act_count(Node *body);   // statements a body can run, or ACT_INF
void tr_record(Gen *G, unsigned n, Token *t, bool update);

// variables
const char *tr_global(Var *v);       // g_NAME
const char *tr_var(Var *v);          // l->l_NAME, l->a_NAME or g_NAME
Var *tr_array_of(Node *n);           // the global of a symbol, element or histogram
const char *tr_overflow_msg(Var *v); // "Array overflow, ..." as a C expression

// expressions and statements (translate_code.c)
char *tr_number(int64_t v);          // a C literal of a script number
char *tr_expr(Gen *G, Node *n);      // C expression of the value (code before it)
void tr_stmt(Gen *G, Node *n);
bool tr_has_next(Func *f);           // its body may ask for the next overload

#endif
