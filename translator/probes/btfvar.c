// btfvar.c: target variables typed by the kernel's BTF: a root value (a
// tracepoint's argument) followed by ->field, [index] and the $ / $$
// pretty-printing suffixes, as SystemTap gives them with debuginfo.
//
// Pass 2 turns the members into steps on one 64-bit cursor that holds a
// value or the address of an object: add a member's offset, add index *
// element size, load (through the runtime's fault-tolerant reader, so a bad
// pointer is a script error, never an oops).  Pass 3 writes the steps as C;
// pretty-printing walks type descriptors written at file scope
// (runtime/tvar.c prints them).
#include "stap.h"
#include "btfvar.h"
#include "debuginfo/kinfo.h"
#include "../translate.h"

#include <stdlib.h>
#include <string.h>

typedef enum { BS_ADD, BS_INDEX, BS_LOAD } StepKind;

typedef struct {
	StepKind kind;
	int64_t off;        // BS_ADD: bytes
	Node *index;        // BS_INDEX: the index expression
	uint32_t elem;      // BS_INDEX: element size
	int size;           // BS_LOAD: bytes (1, 2, 4, 8)
	bool sign;          // BS_LOAD: sign-extended
	int bit_off, bit_size; // BS_LOAD of a bitfield (bit_size 0: none)
} Step;

struct BtfVar {
	const char *root;   // C expression of the root value (s64)
	Vec steps;          // Step*
	int pretty;         // 0, 1 ($) or 2 ($$)
	int32_t type;       // the type of what the cursor holds at the end
	bool addr;          // the cursor is the address of an object of `type`
};

//
// Pass 2
//

static bool type_info(Session *s, int32_t id, struct kinfo_type *ti)
{
	struct kinfo_err err = {{0}};
	struct kinfo *ki = session_kinfo(s);
	memset(ti, 0, sizeof(*ti));
	if (!ki || id < 0 || kinfo_type_info(ki, id, ti, &err)) {
		ti->kind = KINFO_K_UNKNOWN;
		ti->name = "?";
		return false;
	}
	// messages name the type under its typedefs ("int", not "pid_t")
	if (ti->id > 0)
		ti->name = kinfo_type_name(ki, ti->id);
	return true;
}

static bool is_aggregate(const struct kinfo_type *ti)
{
	return ti->kind == KINFO_K_STRUCT || ti->kind == KINFO_K_UNION;
}

// char, signed char, unsigned char: arrays and pointers of them print as
// strings
static bool is_char(const struct kinfo_type *ti)
{
	return ti->kind == KINFO_K_INT && ti->size == 1 && strstr(ti->name, "char");
}

static Step *add_step(BtfVar *v, StepKind k)
{
	Step *st = NEW(Step);
	st->kind = k;
	vec_push(&v->steps, st);
	return st;
}

// Load a value of type ti from the cursor's address.
static void add_load(BtfVar *v, const struct kinfo_type *ti)
{
	Step *st = add_step(v, BS_LOAD);
	st->size = ti->kind == KINFO_K_POINTER ? 8 : (int)ti->size;
	st->sign = ti->is_signed;
}

// "[0]" / "[i]": an index as SystemTap names it in messages.
static const char *index_text(Node *ix)
{
	Buf b = {0};
	buf_putc(&b, '[');
	dump_node(&b, ix);
	buf_putc(&b, ']');
	const char *r = arena_strdup(b.s);
	free(b.s);
	return r;
}

typedef struct {
	Session *s;
	Vec names;
} Members;

static void member_names(Members *ms, int32_t id);

static int collect_member(const char *name, const struct kinfo_member *m, void *arg)
{
	Members *ms = arg;
	if (!*name) {
		member_names(ms, m->type_id);
		return 0;
	}
	for (int i = 0; i < ms->names.len; i++)
		if (!strcmp(VEC_AT(&ms->names, i), name))
			return 0;
	vec_push(&ms->names, (void *)name);
	return 0;
}

// Member names of a struct (those of anonymous members flattened).
static void member_names(Members *ms, int32_t id)
{
	struct kinfo_err err = {{0}};
	struct kinfo *ki = session_kinfo(ms->s);
	if (ki)
		kinfo_struct_members(ki, id, collect_member, ms, &err);
}

static bool fail(TargetUse use, Token *at, const char *fmt, ...) PRINTF(3, 4);
static bool fail(TargetUse use, Token *at, const char *fmt, ...)
{
	if (use == TV_DEFINED)
		return false;
	va_list ap;
	va_start(ap, fmt);
	diag_v(DIAG_SEMANTIC, at, "saw", fmt, ap);
	va_end(ap);
	return false;
}

// ->name on the object the cursor addresses (ti: its type, a struct or
// union): the member's offset and type.
static bool field(Session *s, Node *n, int i, BtfVar *v, const struct kinfo_type *ti, TargetUse use,
		  struct kinfo_member *out)
{
	const char *name = n->members[i].name;
	struct kinfo_err err = {{0}};
	struct kinfo *ki = session_kinfo(s);
	if (ki && !kinfo_struct_member(ki, ti->id, name, out, &err)) {
		add_step(v, BS_ADD)->off = out->offset;
		return true;
	}
	if (use == TV_DEFINED)
		return false;
	Members ms = {.s = s};
	member_names(&ms, ti->id);
	sort_alternatives(&ms.names, name);
	Buf b = {0};
	for (int k = 0; k < ms.names.len; k++)
		buf_printf(&b, "%s%s", k ? ", " : "", (const char *)VEC_AT(&ms.names, k));
	fail(use, member_token(n, i), "unable to find member '%s' for %s%s%s%s", name, ti->name,
	     b.s ? " (alternatives: " : "", b.s ? b.s : "", b.s ? ")" : "");
	free(b.s);
	return false;
}

// n's members from a cursor holding a value of type t, or (addr) the
// address of an object of type t; &n (n->addr_of) is the address the
// members lead to.
static Type resolve(Session *s, Node *n, const char *root, int32_t t, bool addr, const char *what,
		    TargetUse use, BtfVar **out)
{
	BtfVar *v = NEW(BtfVar);
	v->root = root;
	struct kinfo_member bits = {0}; // the last member, for bitfields
	for (int i = 0; i < n->nmembers; i++) {
		Member *m = &n->members[i];
		struct kinfo_type ti;
		type_info(s, t, &ti);
		if (m->kind == M_PRETTY || m->kind == M_PRETTY2) {
			v->pretty = m->kind == M_PRETTY ? 1 : 2;
			break;
		}
		bits.bit_size = 0;
		if (m->kind == M_FIELD) {
			if (!addr && ti.kind != KINFO_K_POINTER) {
				if (!i)
					return fail(use, member_token(n, i), "%s may not be used as a structure", what);
				return fail(use, member_token(n, i), "invalid access '->%s' vs. %s", m->name, ti.name);
			}
			if (addr && ti.kind == KINFO_K_ARRAY)
				return fail(use, member_token(n, i), "invalid access '->%s' for array type", m->name);
			if (addr && ti.kind == KINFO_K_POINTER)
				add_load(v, &ti); // follow the pointer member
			if (ti.kind == KINFO_K_POINTER) {
				t = ti.target;
				type_info(s, t, &ti);
				addr = true;
			}
			if (!is_aggregate(&ti))
				return fail(use, member_token(n, i), "invalid access '->%s' vs. %s", m->name, ti.name);
			if (!field(s, n, i, v, &ti, use, &bits))
				return T_UNKNOWN;
			t = bits.type_id;
			continue;
		}
		// [index]
		if (!i && addr && !root) {
			// @cast's address is a pointer to an array of its type
			if (!ti.size)
				return fail(use, member_token(n, i), "invalid access '%s' vs. %s",
					    index_text(m->index), ti.name);
			Step *st = add_step(v, BS_INDEX);
			st->index = m->index;
			st->elem = ti.size;
			continue;
		}
		if (!addr && ti.kind != KINFO_K_POINTER) {
			if (!i)
				return fail(use, member_token(n, i), "%s may not be used as array", what);
			return fail(use, member_token(n, i), "invalid access '%s' vs. %s", index_text(m->index), ti.name);
		}
		if (addr && is_aggregate(&ti))
			return fail(use, n->tok, "invalid access '%s' for %s", index_text(m->index), ti.name);
		if (addr && ti.kind == KINFO_K_POINTER)
			add_load(v, &ti);
		else if (addr && ti.kind != KINFO_K_ARRAY)
			return fail(use, member_token(n, i), "invalid access '%s' vs. %s", index_text(m->index), ti.name);
		struct kinfo_type el;
		type_info(s, ti.target, &el);
		if (!el.size)
			return fail(use, member_token(n, i), "invalid access '%s' vs. %s", index_text(m->index), ti.name);
		Step *st = add_step(v, BS_INDEX);
		st->index = m->index;
		st->elem = el.size;
		t = ti.target;
		addr = true;
	}
	if (v->pretty && addr && bits.bit_size) {
		// a bitfield is printed from its bits
		struct kinfo_type ti;
		type_info(s, t, &ti);
		add_load(v, &ti);
		Step *st = VEC_AT(&v->steps, v->steps.len - 1);
		st->bit_off = (int)bits.bit_offset;
		st->bit_size = (int)bits.bit_size;
		addr = false;
	}
	v->type = t;
	v->addr = addr;
	*out = v;
	if (n->addr_of) {
		if (v->pretty || !addr)
			return fail(use, n->tok, "cannot take address of %s", what);
		return T_LONG;
	}
	if (v->pretty)
		return T_STRING;
	struct kinfo_type ti;
	type_info(s, t, &ti);
	if (!addr) {
		if (is_aggregate(&ti) || ti.kind == KINFO_K_ARRAY || ti.kind == KINFO_K_FLOAT)
			return fail(use, n->tok, "%s has type %s, not a number", what, ti.name);
		return T_LONG;
	}
	switch (ti.kind) {
	case KINFO_K_INT:
	case KINFO_K_ENUM:
	case KINFO_K_POINTER: {
		if (ti.kind != KINFO_K_POINTER && ti.size != 1 && ti.size != 2 && ti.size != 4 && ti.size != 8)
			return fail(use, n->tok, "%s: %s of %u bytes is not supported", what, ti.name, ti.size);
		add_load(v, &ti);
		Step *st = VEC_AT(&v->steps, v->steps.len - 1);
		if (bits.bit_size) {
			st->bit_off = (int)bits.bit_offset;
			st->bit_size = (int)bits.bit_size;
		}
		return T_LONG;
	}
	case KINFO_K_ARRAY:
		return T_LONG; // its address, as SystemTap gives it
	case KINFO_K_STRUCT:
	case KINFO_K_UNION: {
		// "such as" the alphabetically first member
		Members ms = {.s = s};
		if (use != TV_DEFINED)
			member_names(&ms, ti.id);
		const char *first = NULL;
		for (int i = 0; i < ms.names.len; i++)
			if (!first || strcmp(VEC_AT(&ms.names, i), first) < 0)
				first = VEC_AT(&ms.names, i);
		return fail(use, member_token(n, n->nmembers - 1),
			    "'%s' is being accessed instead of a member such as '->%s'", ti.name, first ? first : "?");
	}
	default:
		return fail(use, n->tok, "%s: values of type %s are not supported", what, ti.name);
	}
}

Type btfvar_resolve(Session *s, Node *n, const char *root, int32_t root_type, const char *what,
		    TargetUse use, BtfVar **out)
{
	return resolve(s, n, root, root_type, false, what, use, out);
}

// A module list of @cast ("kernel", "kernel<linux/fs.h>", "a:b"): does it
// name the kernel, whose BTF is what we have?
static bool names_kernel(const char *mods)
{
	for (const char *m = mods; m && *m;) {
		size_t len = strcspn(m, ":");
		if (!strncmp(m, "kernel", 6) && (len == 6 || m[6] == '<'))
			return true;
		if (m[len] == ':' && m[len + 1] == '<') // "kernel:<a.h>" is one name
			len += strcspn(m + len + 1, ":") + 1;
		m += len + (m[len] == ':');
	}
	return false;
}

Type btfvar_cast(Session *s, Node *n, TargetUse use)
{
	const char *mod = n->module ? n->module : "kernel";
	struct kinfo *ki = session_kinfo(s);
	struct kinfo_err err = {{0}};
	int32_t id = -1;
	if (ki && names_kernel(mod) && !strchr(n->str, '*')) {
		id = kinfo_type_by_name(ki, n->str, &err);
		// a bare tag finds its struct or union, as with debuginfo
		if (id < 0 && !strchr(n->str, ' ')) {
			id = kinfo_type_by_name(ki, arena_printf("struct %s", n->str), &err);
			if (id < 0)
				id = kinfo_type_by_name(ki, arena_printf("union %s", n->str), &err);
		}
	}
	if (id < 0) {
		if (use == TV_DEFINED)
			return T_UNKNOWN;
		if (!ki || !names_kernel(mod))
			diag(DIAG_SEMANTIC, n->tok, "saw",
			     "type definition '%s' not found in '%s' (without debuginfo, the types known are the "
			     "kernel's BTF)", n->str, mod);
		else
			diag(DIAG_SEMANTIC, n->tok, "saw", "type definition '%s' not found in '%s'", n->str, mod);
		return T_UNKNOWN;
	}
	if (use == TV_WRITE && !s->guru) {
		diag(DIAG_SEMANTIC, n->tok, "saw", "write to @cast context variable not permitted; need stap -g");
		return T_UNKNOWN;
	}
	BtfVar *v;
	Type t = resolve(s, n, NULL, id, true, arena_printf("@cast '%s'", n->str), use, &v);
	if (t && use == TV_WRITE && (n->addr_of || !btfvar_writable(s, v))) {
		diag(DIAG_SEMANTIC, n->tok, "saw", "@cast of '%s': only a number in memory may be written", n->str);
		return T_UNKNOWN;
	}
	if (t)
		n->target = v;
	return t;
}

const char *btfvar_narrow(Session *s, int32_t type, const char *raw)
{
	struct kinfo_type ti;
	static const char *const conv[2][5] = {
		{NULL, "u8", "u16", NULL, "u32"},
		{NULL, "s8", "s16", NULL, "s32"},
	};
	const char *ct = NULL;
	if (type_info(s, type, &ti) && (ti.kind == KINFO_K_INT || ti.kind == KINFO_K_ENUM) && ti.size <= 4)
		ct = conv[ti.is_signed ? 1 : 0][ti.size];
	return ct ? arena_printf("((s64)(%s)%s)", ct, raw) : arena_printf("((s64)%s)", raw);
}

//
// Pass 3
//

// The cursor after the steps, in a temporary; loads that fault raise
// "read fault" near the variable, or jump to `fault` when given.
static char *cursor(Gen *G, Node *n, BtfVar *v, const char *fault)
{
	char *cur = tr_tmp(G, T_LONG);
	// @cast: the root is the script's expression
	tr_line(G, "%s = %s;", cur, v->root ? v->root : tr_expr(G, n->lhs));
	for (int i = 0; i < v->steps.len; i++) {
		Step *st = VEC_AT(&v->steps, i);
		switch (st->kind) {
		case BS_ADD:
			if (st->off)
				tr_line(G, "%s += %lld;", cur, (long long)st->off);
			break;
		case BS_INDEX: {
			char *ix = tr_expr(G, st->index);
			tr_line(G, "%s += (s64)((u64)(%s) * %u);", cur, ix, st->elem);
			break;
		}
		case BS_LOAD:
			if (fault && st->bit_size)
				tr_line(G, "if (stp_tv_load_bits(%s, %d, %d, %d, &%s))", cur, st->bit_off, st->bit_size,
					st->sign, cur);
			else if (fault)
				tr_line(G, "if (stp_tv_load(%s, %d, %d, &%s))", cur, st->size, st->sign, cur);
			else if (st->bit_size)
				tr_line(G, "if (stp_tv_read_bits(c, %s, %d, %d, %d, &%s, %s))", cur, st->bit_off,
					st->bit_size, st->sign, cur, tr_where(n->tok));
			else
				tr_line(G, "if (stp_tv_read(c, %s, %d, %d, &%s, %s))", cur, st->size, st->sign, cur,
					tr_where(n->tok));
			tr_line(G, "\tgoto %s;", fault ? fault : G->fail);
			break;
		}
	}
	return cur;
}

// Type descriptors for the pretty printer, one per (peeled) BTF type,
// written once at file scope: declared first, defined after, so they may
// refer to each other in any order.
static PtrMap desc_names; // (void *)(intptr_t)id -> "tvt_N"
static int ndesc;

typedef struct {
	Gen *G;
	Vec todo; // int32_t ids (as pointers) declared but not yet defined
} Descs;

static const char *desc_of(Descs *D, int32_t id);

static int32_t peeled(Session *s, int32_t id)
{
	struct kinfo_type ti;
	type_info(s, id, &ti);
	return ti.id;
}

static const char *desc_of(Descs *D, int32_t id)
{
	id = peeled(D->G->s, id);
	const char *name = ptrmap_get(&desc_names, (void *)(intptr_t)(id + 1));
	if (name)
		return name;
	name = arena_printf("tvt_%d", ndesc++);
	ptrmap_put(&desc_names, (void *)(intptr_t)(id + 1), (void *)name);
	buf_printf(D->G->globals_code, "static const struct stp_tv_type %s;\n", name);
	vec_push(&D->todo, (void *)(intptr_t)(id + 1));
	return name;
}

typedef struct {
	Descs *D;
	Buf *fields;
	int n;
} FieldWalk;

static int desc_field(const char *name, const struct kinfo_member *m, void *arg)
{
	FieldWalk *w = arg;
	Buf q = {0};
	if (*name)
		c_string(&q, name, strlen(name));
	buf_printf(w->fields, "\t{ %s, %u, %u, %u, &%s },\n", *name ? q.s : "NULL", m->offset, m->bit_offset,
		   m->bit_size, desc_of(w->D, m->type_id));
	free(q.s);
	w->n++;
	return 0;
}

static void define_desc(Descs *D, int32_t id)
{
	Session *s = D->G->s;
	const char *name = ptrmap_get(&desc_names, (void *)(intptr_t)(id + 1));
	struct kinfo_type ti;
	type_info(s, id, &ti);
	const char *kind = "STP_TV_OTHER";
	const char *target = "NULL";
	Buf fields = {0};
	int nfields = 0;
	switch (ti.kind) {
	case KINFO_K_INT:
		kind = is_char(&ti) ? "STP_TV_CHAR" : ti.is_signed ? "STP_TV_SINT" : "STP_TV_UINT";
		break;
	case KINFO_K_ENUM:
		kind = ti.is_signed ? "STP_TV_SINT" : "STP_TV_UINT";
		break;
	case KINFO_K_POINTER: {
		struct kinfo_type pt;
		type_info(s, ti.target, &pt);
		kind = pt.kind == KINFO_K_FUNC_PROTO ? "STP_TV_FUNCPTR" : is_char(&pt) ? "STP_TV_STRPTR" : "STP_TV_PTR";
		break;
	}
	case KINFO_K_ARRAY:
		kind = "STP_TV_ARRAY";
		target = arena_printf("&%s", desc_of(D, ti.target));
		break;
	case KINFO_K_STRUCT:
	case KINFO_K_UNION: {
		kind = ti.kind == KINFO_K_STRUCT ? "STP_TV_STRUCT" : "STP_TV_UNION";
		FieldWalk w = {.D = D, .fields = &fields};
		struct kinfo_err err = {{0}};
		kinfo_struct_members(session_kinfo(s), ti.id, desc_field, &w, &err);
		nfields = w.n;
		break;
	}
	default:
		break;
	}
	if (nfields)
		buf_printf(D->G->globals_code, "static const struct stp_tv_field %s_fields[] = {\n%s};\n", name, fields.s);
	buf_printf(D->G->globals_code,
		   "static const struct stp_tv_type %s = { %s, %u, %s, %u, %s, %d };\t/* %s */\n", name, kind,
		   ti.kind == KINFO_K_POINTER ? 8 : ti.size, target, ti.nelems,
		   nfields ? arena_printf("%s_fields", name) : "NULL", nfields, ti.name);
	free(fields.s);
}

// The descriptor of type id and of every type it embeds.
static const char *type_desc(Gen *G, int32_t id)
{
	Descs D = {.G = G};
	const char *name = desc_of(&D, id);
	for (int i = 0; i < D.todo.len; i++)
		define_desc(&D, (int32_t)(intptr_t)VEC_AT(&D.todo, i) - 1);
	return name;
}

// Pretty-print v's cursor (or `value`, of type t) into a string
// temporary: what a pointer points to, an object's members.  A fault on
// the way is no error: the text is "ERROR", as in SystemTap.
static char *pretty(Gen *G, Node *n, BtfVar *v, const char *value, int32_t t, bool deep)
{
	char *str = tr_tmp(G, T_STRING);
	const char *bad = tr_label(G, "tv_fault"), *done = tr_label(G, "tv_done");
	bool addr = v ? v->addr : false;
	char *cur;
	if (v) {
		cur = cursor(G, n, v, bad);
	} else {
		cur = tr_tmp(G, T_LONG);
		tr_line(G, "%s = %s;", cur, value);
	}
	struct kinfo_type ti;
	type_info(G->s, t, &ti);
	struct kinfo_type pt = {0};
	if (ti.kind == KINFO_K_POINTER)
		type_info(G->s, ti.target, &pt);
	if (addr && ti.kind == KINFO_K_POINTER && !is_char(&pt)) {
		// a pointer member: what it points to, as for a pointer value (a
		// char pointer member prints its string, the object does that)
		tr_line(G, "if (stp_tv_load(%s, 8, 0, &%s))", cur, cur);
		tr_line(G, "\tgoto %s;", bad);
		addr = false;
	}
	char *o = tr_slot(G, "struct stp_out", NULL);
	tr_line(G, "stp_out_init(&%s, %s, MAXSTRINGLEN - 1);", o, str);
	const char *call;
	if (!addr && ti.kind == KINFO_K_POINTER) {
		// a pointer value prints what it points to
		struct kinfo_type pt;
		type_info(G->s, ti.target, &pt);
		if (pt.kind == KINFO_K_VOID || pt.kind == KINFO_K_FUNC_PROTO || pt.kind == KINFO_K_UNKNOWN)
			call = tr_fmt("stp_tv_pretty_value(&%s, %s, &%s)", o, cur, type_desc(G, t));
		else if (!is_aggregate(&pt) && !is_char(&pt))
			// SystemTap prints a pointer to a scalar as a signed number
			call = tr_fmt("(stp_tv_dec(&%s, %s, true), 0)", o, cur);
		else
			call = tr_fmt("stp_tv_pretty_obj(&%s, %s, &%s, %d)", o, cur, type_desc(G, ti.target), deep);
	} else if (!addr) {
		call = tr_fmt("stp_tv_pretty_value(&%s, %s, &%s)", o, cur, type_desc(G, t));
	} else {
		call = tr_fmt("stp_tv_pretty_obj(&%s, %s, &%s, %d)", o, cur, type_desc(G, t), deep);
	}
	tr_line(G, "if (%s)", call);
	tr_line(G, "\tgoto %s;", bad);
	tr_line(G, "stp_out_cstr(&%s);", o);
	tr_line(G, "goto %s;", done);
	tr_line(G, "%s: __attribute__((unused));", bad);
	tr_line(G, "strscpy(%s, \"ERROR\", MAXSTRINGLEN);", str);
	tr_line(G, "%s: __attribute__((unused));", done);
	return str;
}

char *btfvar_expr(Gen *G, Node *n, BtfVar *v)
{
	if (v->pretty)
		return pretty(G, n, v, NULL, v->type, v->pretty == 2);
	return cursor(G, n, v, NULL);
}

char *btfvar_pretty_value(Gen *G, Node *n, const char *value, int32_t type, bool deep)
{
	return pretty(G, n, NULL, value, type, deep);
}

// Writes (guru mode): a member the cursor addresses.
bool btfvar_writable(Session *s, BtfVar *v)
{
	struct kinfo_type ti;
	type_info(s, v->type, &ti);
	return v->addr && !v->pretty && (ti.kind == KINFO_K_INT || ti.kind == KINFO_K_ENUM ||
					 ti.kind == KINFO_K_POINTER);
}

void btfvar_assign(Gen *G, Node *n, BtfVar *v, const char *value)
{
	// the steps without the final load give the member's address
	Step *last = v->steps.len ? VEC_AT(&v->steps, v->steps.len - 1) : NULL;
	Vec all = v->steps;
	if (last && last->kind == BS_LOAD)
		v->steps.len--;
	char *cur = cursor(G, n, v, NULL);
	v->steps = all;
	int size = last && last->kind == BS_LOAD ? last->size : 8;
	if (last && last->kind == BS_LOAD && last->bit_size)
		tr_line(G, "if (stp_tv_write_bits(c, %s, %d, %d, %s, %s))", cur, last->bit_off, last->bit_size,
			value, tr_where(n->tok));
	else
		tr_line(G, "if (stp_tv_write(c, %s, %d, %s, %s))", cur, size, value, tr_where(n->tok));
	tr_line(G, "\tgoto %s;", G->fail);
}
