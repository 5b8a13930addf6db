// elaborate.c: pass 2's driver and symbol resolution.
//
// The program starts as the user's files.  Deriving their probes and
// resolving the names in the bodies pulls in library files on demand: a
// function or global not found in the files in use is looked up in the
// library, and the file defining it joins the program (with its globals,
// functions and probes).  Names resolve as locals, then parameters, then
// globals in use, then library globals; anything else is a new local.
// Then come type inference (types.c), checks (check.c) and the optimizer
// (opt.c).
#include "stap.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
	Session *s;
	SrcFile *file;     // where the code being resolved was written
	Probe *probe;      // the probe being resolved, or NULL
	Func *func;        // the function being resolved, or NULL
	Vec *locals;       // Var* of that probe or function
	bool in_cond;      // a probe condition: globals only
	Vec func_queue;    // Func* to resolve
	int errors;
} Resolver;

static PtrMap library_globals; // name -> Vec* of N_GLOBAL nodes (library files)
static PtrMap files_used;      // SrcFile* -> (void*)1

static Vec *vec_for(PtrMap *m, const char *key)
{
	Vec *v = ptrmap_get(m, key);
	if (!v) {
		v = NEW(Vec);
		ptrmap_put(m, key, v);
	}
	return v;
}

//
// Suggestions: "(similar: execname, pexecname)"
//

typedef struct {
	const char *want;
	Vec names;     // const char*
	Vec dists;     // (void*)(intptr_t) distance
} Similar;

// How far a suggestion may be: about a third of the name (SystemTap
// always shows its five closest names, however far).
int similar_max(const char *name)
{
	int m = (int)strlen(name) / 3 + 1;
	return m < 2 ? 2 : m;
}

static void similar_add(Similar *s, const char *name)
{
	if (!name || name[0] == '_')
		return;
	int d = edit_distance(s->want, name);
	if (d > similar_max(s->want))
		return;
	for (int i = 0; i < s->names.len; i++)
		if (VEC_AT(&s->names, i) == name)
			return;
	vec_push(&s->names, (void *)name);
	vec_push(&s->dists, (void *)(intptr_t)d);
}

// The five closest names, closest first (ties: shorter, then alphabetical).
static const char *similar_text(Similar *s)
{
	int n = s->names.len;
	for (int i = 1; i < n; i++) {
		for (int k = i; k > 0; k--) {
			intptr_t dk = (intptr_t)VEC_AT(&s->dists, k), dp = (intptr_t)VEC_AT(&s->dists, k - 1);
			const char *nk = VEC_AT(&s->names, k), *np = VEC_AT(&s->names, k - 1);
			bool before = dk < dp || (dk == dp && (strlen(nk) < strlen(np) ||
				      (strlen(nk) == strlen(np) && strcmp(nk, np) < 0)));
			if (!before)
				break;
			s->names.items[k] = (void *)np;
			s->names.items[k - 1] = (void *)nk;
			s->dists.items[k] = (void *)dp;
			s->dists.items[k - 1] = (void *)dk;
		}
	}
	Buf b = {0};
	for (int i = 0; i < n && i < 5; i++)
		buf_printf(&b, "%s%s", i ? ", " : "", (const char *)VEC_AT(&s->names, i));
	return b.s ? arena_strdup(b.s) : NULL;
}

//
// Files in use
//

static Var *new_var(const char *name, VarScope scope, Token *tok)
{
	Var *v = NEW(Var);
	v->name = name;
	v->scope = scope;
	v->tok = tok;
	v->arity = -1;
	return v;
}

static void resolve_probe(Resolver *r, Probe *p);

static void add_global(Session *s, SrcFile *f, Node *g)
{
	Var *old = ptrmap_get(&s->global_by_name, g->name);
	if (old && (!old->decl->is_private || old->file == f) && (!g->is_private || old->file == f)) {
		diag(DIAG_SEMANTIC, g->tok, "saw", "duplicate global name '%s'", g->name);
		diag_note(DIAG_SEMANTIC, old->tok, "first declared here");
		return;
	}
	Var *v = new_var(g->name, V_GLOBAL, g->tok);
	v->decl = g;
	v->file = f;
	v->size = g->size;
	v->wrap = g->wrap;
	if (g->size || g->wrap)
		v->arity = -1; // an array, arity from its uses
	if (g->gl_init) {
		v->arity = 0;
		v->type = g->gl_init->kind == N_STRING ? T_STRING : T_LONG;
		v->type_tok = g->gl_init->tok;
		v->written = true;
	}
	v->index = s->globals.len;
	vec_push(&s->globals, v);
	// private globals of different files may share a name: the map keeps
	// the last, lookups check files
	if (!old || !g->is_private)
		ptrmap_put(&s->global_by_name, g->name, v);
	else
		ptrmap_put(&s->global_by_name, intern0(arena_printf("%s\x01%p", g->name, (void *)f)), v);
}

static Var *find_global(Session *s, const char *name, SrcFile *from)
{
	Var *v = ptrmap_get(&s->global_by_name, name);
	Var *priv = ptrmap_get(&s->global_by_name, intern0(arena_printf("%s\x01%p", name, (void *)from)));
	if (priv)
		return priv;
	if (v && v->decl->is_private && v->file != from)
		return NULL;
	return v;
}

void elaborate_use_file(Session *s, SrcFile *f)
{
	if (!f || ptrmap_get(&files_used, f))
		return;
	ptrmap_put(&files_used, f, (void *)1);
	vec_push(&s->files, f);
	if (!f->ast)
		return;
	for (int i = 0; i < f->ast->list.len; i++) {
		Node *d = VEC_AT(&f->ast->list, i);
		if (d->kind == N_GLOBAL)
			add_global(s, f, d);
		else if (d->kind == N_EMBED)
			vec_push(&s->embeds, d);
	}
	// its probes join when elaborate() reaches it in s->files
}

//
// @entry(e) in a .return probe, SystemTap's way: an entry probe on the
// same function saves e per thread and nesting level in a global array,
// the return probe takes it back into a local:
//
//   kprobe.function("f").call:
//     _entry_tvar_tid = tid()
//     __global_entry_tvar_entry_N[_entry_tvar_tid, ++ctr[_entry_tvar_tid]] = e
//   kprobe.function("f").return:
//     _entry_tvar_tid = tid()
//     tmp = __global_entry_tvar_entry_N[_entry_tvar_tid, ctr[_entry_tvar_tid]]
//     delete __global_entry_tvar_entry_N[_entry_tvar_tid, ctr[_entry_tvar_tid]--]
//     if (!ctr[_entry_tvar_tid]) delete ctr[_entry_tvar_tid]
//     ... the body, with tmp for @entry(e)
//
// (ctr is __global_entry_tvar_entry_N_ctr, tmp the local
// __global_entry_tvar_entry_N_tmp.)  Runs on resolved bodies.
//

static Func *find_function(Resolver *r, const char *name, int arity, Node *call);
static void visit_ordered(Node *n, void (*fn)(Node *child, void *arg), void *arg);

typedef struct {
	Resolver *r;
	Probe *ret;       // the return probe
	Probe *entry;     // its entry probe, made at the first @entry
	Var *tid_entry, *tid_ret;
	Func *tid;
	Vec saves;        // statements of the entry probe
	Vec takes;        // statements at the start of the return probe
} EntryCtx;

static int entry_count;
static PtrMap entry_globals; // entry Probe* -> Vec* of its synthetic globals

static Node *sym_of(Var *v, const char *name, Token *t)
{
	Node *n = node_new(N_SYMBOL, t);
	// a synthetic global's Var is named "__global_..." (-p2 lists it so)
	// while its symbol prints with the usual __global_ prefix
	n->name = name;
	n->var = v;
	return n;
}

static Node *index_of(Node *base, Node *k1, Node *k2, Token *t)
{
	Node *n = node_new(N_INDEX, t);
	n->lhs = base;
	vec_push(&n->args, k1);
	if (k2)
		vec_push(&n->args, k2);
	return n;
}

static Node *stmt_expr(Node *e)
{
	Node *st = node_new(N_EXPR_STMT, e->tok);
	st->lhs = e;
	return st;
}

static Node *assign(Node *lhs, Node *rhs, Token *t)
{
	Node *a = node_new(N_ASSIGN, t);
	a->op = intern0("=");
	a->lhs = lhs;
	a->rhs = rhs;
	return stmt_expr(a);
}

static Node *incdec(NodeKind kind, const char *op, Node *of, Token *t)
{
	Node *n = node_new(kind, t);
	n->op = intern0(op);
	n->lhs = of;
	return n;
}

static Var *synth_global(Session *s, const char *name, int arity, Token *t)
{
	Var *v = new_var(intern0(name), V_GLOBAL, t);
	v->arity = arity;
	v->key_tok[0] = t;
	v->index = s->globals.len;
	vec_push(&s->globals, v);
	return v;
}

static Var *synth_local(Vec *locals, const char *name, Token *t)
{
	Var *v = new_var(intern0(name), V_LOCAL, t);
	v->arity = 0;
	v->index = locals->len;
	vec_push(locals, v);
	return v;
}

static Node *tid_call(EntryCtx *E, Token *t)
{
	Node *c = node_new(N_CALL, t);
	c->name = intern0("tid");
	c->func = E->tid;
	return c;
}

static void entry_walk(Node *n, void *arg);

static Node *local_in;

static void find_local_use(Node *n, void *arg)
{
	if (n->kind == N_SYMBOL && n->var && n->var->scope == V_LOCAL && !local_in)
		local_in = n;
	node_children(n, find_local_use, arg);
}

static Node *entry_replace(EntryCtx *E, Node *n)
{
	Session *s = E->r->s;
	Probe *p = E->ret;
	Token *t = n->tok;
	// e is evaluated in the entry probe, where the return probe's locals
	// do not exist
	local_in = NULL;
	find_local_use(n->lhs, NULL);
	if (local_in) {
		diag(DIAG_SEMANTIC, local_in->tok, "saw",
		     "@entry cannot use local '%s': it is evaluated when the function is entered",
		     local_in->name);
		E->r->errors++;
		return n;
	}
	if (!E->entry) {
		E->tid = find_function(E->r, intern0("tid"), 0, NULL);
		if (!E->tid) {
			diag(DIAG_SEMANTIC, t, "saw", "@entry needs the library function tid()");
			return n;
		}
		Probe *q = NEW(Probe);
		*q = *p;
		q->locals = (Vec){0};
		if (p->provider->make_entry) {
			p->provider->make_entry(p, q);
		} else {
			q->flags &= ~p->provider->return_flag; // the entry side
			const char *cut = strstr(p->pp, ").return");
			q->pp = arena_printf("%.*s).call", cut ? (int)(cut - p->pp) : (int)strlen(p->pp), p->pp);
			q->point = node_new(N_PROBE_POINT, p->point->tok);
			for (int i = 0; i < p->point->components.len; i++) {
				Node *c = VEC_AT(&p->point->components, i);
				if (!strcmp(c->name, "return")) {
					Node *call = node_new(N_COMPONENT, c->tok);
					call->name = intern0("call");
					vec_push(&q->point->components, call);
					break;
				}
				vec_push(&q->point->components, c);
			}
		}
		q->body = node_new(N_BLOCK, t);
		E->entry = q;
		E->tid_entry = synth_local(&q->locals, "_entry_tvar_tid", t);
		E->tid_ret = synth_local(&p->locals, "_entry_tvar_tid", t);
		vec_push(&E->saves, assign(sym_of(E->tid_entry, E->tid_entry->name, t), tid_call(E, t), t));
		vec_push(&E->takes, assign(sym_of(E->tid_ret, E->tid_ret->name, t), tid_call(E, t), t));
	}
	int k = entry_count++;
	const char *base = arena_printf("entry_tvar_entry_%d", k);
	const char *ctr_base = arena_printf("entry_tvar_entry_%d_ctr", k);
	Var *arr = synth_global(s, arena_printf("__global_%s", base), 2, t);
	Var *ctr = synth_global(s, arena_printf("__global_%s", ctr_base), 1, t);
	Vec *made = ptrmap_get(&entry_globals, E->entry);
	if (!made) {
		made = NEW(Vec);
		ptrmap_put(&entry_globals, E->entry, made);
	}
	vec_push(made, arr);
	vec_push(made, ctr);
	Var *tmp = synth_local(&p->locals, arena_printf("__global_%s_tmp", base), t);
	base = intern0(base);
	ctr_base = intern0(ctr_base);
#define TID_E sym_of(E->tid_entry, E->tid_entry->name, t)
#define TID_R sym_of(E->tid_ret, E->tid_ret->name, t)
	// entry: arr[tid, ++ctr[tid]] = e
	Node *slot = index_of(sym_of(arr, base, t), TID_E,
			      incdec(N_PRE_INC, "++", index_of(sym_of(ctr, ctr_base, t), TID_E, NULL, t), t), t);
	vec_push(&E->saves, assign(slot, n->lhs, t));
	// return: tmp = arr[tid, ctr[tid]]
	vec_push(&E->takes, assign(sym_of(tmp, tmp->name, t),
				   index_of(sym_of(arr, base, t), TID_R,
					    index_of(sym_of(ctr, ctr_base, t), TID_R, NULL, t), t), t));
	// delete arr[tid, ctr[tid]--]
	Node *del = node_new(N_DELETE, t);
	del->lhs = index_of(sym_of(arr, base, t), TID_R,
			    incdec(N_POST_INC, "--", index_of(sym_of(ctr, ctr_base, t), TID_R, NULL, t), t), t);
	vec_push(&E->takes, del);
	// if (!ctr[tid]) delete ctr[tid]
	Node *iff = node_new(N_IF, t);
	iff->cond = incdec(N_UNARY, "!", index_of(sym_of(ctr, ctr_base, t), TID_R, NULL, t), t);
	Node *del2 = node_new(N_DELETE, t);
	del2->lhs = index_of(sym_of(ctr, ctr_base, t), TID_R, NULL, t);
	iff->body = del2;
	vec_push(&E->takes, iff);
#undef TID_E
#undef TID_R
	return sym_of(tmp, tmp->name, t);
}

// Replace the @entry nodes below n (children first: nested @entry).
static void entry_walk(Node *n, void *arg)
{
	EntryCtx *E = arg;
	visit_ordered(n, entry_walk, arg);
#define FIX(x)                                                  \
	do {                                                    \
		if ((x) && (x)->kind == N_ENTRY)                \
			(x) = entry_replace(E, (x));            \
	} while (0)
	FIX(n->lhs);
	FIX(n->rhs);
	FIX(n->cond);
	for (int i = 0; i < n->args.len; i++)
		FIX(*(Node **)&n->args.items[i]);
	for (int i = 0; i < n->list.len; i++)
		FIX(*(Node **)&n->list.items[i]);
	if (n->kind == N_FOR) {
		FIX(n->init);
		FIX(n->incr);
	} else if (n->kind == N_FOREACH) {
		FIX(n->limit);
	}
#undef FIX
}

static bool has_entry;

static void find_entry(Node *n, void *arg)
{
	if (n->kind == N_ENTRY)
		has_entry = true;
	else if (!has_entry)
		node_children(n, find_entry, arg);
}

// A function's .return probe using @entry gets its entry probe (just before
// it in s->probes) and the statements above; other probes' @entry is an
// error for check.c.
static void entry_values(Resolver *r, Probe *p)
{
	if (!probe_is_return(p))
		return;
	has_entry = false;
	find_entry(p->body, NULL);
	if (!has_entry)
		return;
	EntryCtx E = {.r = r, .ret = p};
	entry_walk(p->body, &E);
	if (!E.entry)
		return;
	for (int i = 0; i < E.saves.len; i++)
		vec_push(&E.entry->body->list, VEC_AT(&E.saves, i));
	Node *b = node_new(N_BLOCK, p->body->tok);
	for (int i = 0; i < E.takes.len; i++)
		vec_push(&b->list, VEC_AT(&E.takes, i));
	vec_push(&b->list, p->body);
	p->body = b;
	// the entry probe goes first
	Session *s = r->s;
	vec_push(&s->probes, NULL);
	int at = p->index;
	memmove(&s->probes.items[at + 1], &s->probes.items[at], sizeof(void *) * (s->probes.len - 1 - at));
	s->probes.items[at] = E.entry;
	for (int i = at; i < s->probes.len; i++)
		((Probe *)VEC_AT(&s->probes, i))->index = i;
}

// The probes of a file in use, derived and resolved.
static void derive_file_probes(Resolver *r, SrcFile *f)
{
	Session *s = r->s;
	for (int i = 0; f->ast && i < f->ast->list.len; i++) {
		Node *d = VEC_AT(&f->ast->list, i);
		if (d->kind != N_PROBE)
			continue;
		Vec derived = {0};
		derive_probe(s, d, &derived);
		for (int k = 0; k < derived.len; k++) {
			Probe *p = VEC_AT(&derived, k);
			p->index = s->probes.len;
			vec_push(&s->probes, p);
			resolve_probe(r, p);
			entry_values(r, p);
		}
	}
}

//
// Functions
//

static Token *name_token(Node *decl);

static void index_files(Session *s)
{
	Vec all = {0};
	for (int i = 0; i < s->user_files.len; i++)
		vec_push(&all, VEC_AT(&s->user_files, i));
	for (int i = 0; i < s->library_files.len; i++)
		vec_push(&all, VEC_AT(&s->library_files, i));
	for (int i = 0; i < all.len; i++) {
		SrcFile *f = VEC_AT(&all, i);
		if (!f->ast)
			continue;
		for (int k = 0; k < f->ast->list.len; k++) {
			Node *d = VEC_AT(&f->ast->list, k);
			if (d->kind == N_FUNCTION) {
				Func *fn = NEW(Func);
				fn->decl = d;
				fn->name = d->name;
				fn->file = f;
				fn->type = d->ret_type;
				if (d->ret_type)
					fn->type_tok = name_token(d);
				for (int p = 0; p < d->params.len; p++) {
					Node *pn = VEC_AT(&d->params, p);
					Var *v = new_var(pn->name, V_PARAM, pn->tok);
					v->arity = 0;
					v->decl = pn;
					if (pn->type) {
						v->type = pn->type;
						v->type_tok = pn->tok;
					}
					vec_push(&fn->params, v);
				}
				// N of __global_NAME__overload_N: the declaration's
				// place among the functions of that name (SystemTap's)
				Vec *same = vec_for(&s->funcs_by_name, d->name);
				fn->overload = same->len;
				vec_push(same, fn);
			} else if (d->kind == N_ALIAS) {
				if (probe_alias_valid(d))
					vec_push(&s->aliases, d);
			} else if (d->kind == N_GLOBAL && f->library) {
				vec_push(vec_for(&library_globals, d->name), d);
			}
		}
	}
}

static int cmp_priority(const void *a, const void *b)
{
	const Func *x = *(Func *const *)a, *y = *(Func *const *)b;
	int64_t px = x->decl->has_priority ? x->decl->priority : 0;
	int64_t py = y->decl->has_priority ? y->decl->priority : 0;
	return px < py ? -1 : px > py;
}

// A function joins the program; its body is resolved later.  Further
// overloads join only when `next` in the body can reach them (so a
// duplicate without `next` before it is dropped, as SystemTap does).
static void use_function(Resolver *r, Func *f)
{
	if (f->used)
		return;
	f->used = true;
	f->index = r->s->funcs.len;
	vec_push(&r->s->funcs, f);
	vec_push(&r->func_queue, f);
}

// The overloads of name with this arity visible from file `from`, in the
// order `next` walks them; the files defining them join the program.
static Func *find_function(Resolver *r, const char *name, int arity, Node *call)
{
	Session *s = r->s;
	Vec *all = ptrmap_get(&s->funcs_by_name, name);
	if (!all || !all->len)
		return NULL;
	// every overload of this arity, wherever declared, is a candidate
	// (user files come first in funcs_by_name); the files defining them
	// join the program, as in SystemTap
	Vec cands_v = {0}, *cands = &cands_v;
	for (int i = 0; i < all->len; i++) {
		Func *f = VEC_AT(all, i);
		if (f->params.len != arity)
			continue;
		if (f->decl->is_private && f->file != r->file)
			continue;
		vec_push(cands, f);
	}
	if (!cands->len)
		return NULL;
	for (int i = 0; i < cands->len; i++)
		elaborate_use_file(s, ((Func *)VEC_AT(cands, i))->file);
	// stable: same priorities keep their order of declaration
	for (int i = 1; i < cands->len; i++)
		for (int k = i; k > 0 && cmp_priority(&cands->items[k], &cands->items[k - 1]) < 0; k--) {
			void *t = cands->items[k];
			cands->items[k] = cands->items[k - 1];
			cands->items[k - 1] = t;
		}
	for (int i = 0; i < cands->len; i++) {
		Func *f = VEC_AT(cands, i);
		f->next_overload = i + 1 < cands->len ? VEC_AT(cands, i + 1) : NULL;
	}
	(void)call;
	Func *first = VEC_AT(cands, 0);
	use_function(r, first);
	return first;
}

//
// Names in bodies
//

static Var *find_local(Vec *locals, const char *name)
{
	for (int i = 0; locals && i < locals->len; i++) {
		Var *v = VEC_AT(locals, i);
		if (v->name == name)
			return v;
	}
	return NULL;
}

// A function of that name that code in `from` can call (private ones
// only from their own file), or NULL.
static Func *visible_function(Session *s, const char *name, SrcFile *from)
{
	Vec *all = ptrmap_get(&s->funcs_by_name, name);
	for (int i = 0; all && i < all->len; i++) {
		Func *f = VEC_AT(all, i);
		if (!f->decl->is_private || f->file == from)
			return f;
	}
	return NULL;
}

// The token naming a declaration (after "private", "function" ...).
static Token *name_token(Node *decl)
{
	for (Token *t = decl->tok; t && t->kind != TK_EOF; t = t->next)
		if (t->kind == TK_IDENT && t->text == decl->name)
			return t;
	return decl->tok;
}

static void unresolved_function(Resolver *r, Node *call)
{
	Similar sim = {.want = call->name};
	Session *s = r->s;
	for (size_t i = 0; i < s->funcs_by_name.cap; i++)
		if (s->funcs_by_name.keys[i] && visible_function(s, s->funcs_by_name.keys[i], r->file))
			similar_add(&sim, s->funcs_by_name.keys[i]);
	const char *t = similar_text(&sim);
	Func *f = visible_function(s, call->name, r->file);
	if (f) {
		diag(DIAG_SEMANTIC, call->tok, "saw", "arity mismatch found (function '%s' takes %d args)",
		     call->name, f->params.len);
		diag_note(DIAG_SEMANTIC, name_token(f->decl), "function '%s' defined here", call->name);
	} else if (t) {
		diag(DIAG_SEMANTIC, call->tok, "saw", "unresolved function %s (similar: %s)", call->name, t);
	} else {
		diag(DIAG_SEMANTIC, call->tok, "saw", "unresolved function %s", call->name);
	}
	r->errors++;
}

// How a symbol is used decides what an unknown name becomes.
typedef enum { USE_SCALAR, USE_ARRAY } Use;

static Var *resolve_name(Resolver *r, Node *sym, Use use, int arity)
{
	Session *s = r->s;
	const char *name = sym->name;
	Var *v = NULL;
	if (!r->in_cond) {
		v = find_local(r->locals, name);
		if (!v && r->func)
			v = find_local(&r->func->params, name);
	}
	if (!v)
		v = find_global(s, name, r->file);
	if (!v) {
		Vec *decls = ptrmap_get(&library_globals, name);
		for (int i = 0; decls && i < decls->len && !v; i++) {
			Node *g = VEC_AT(decls, i);
			if (g->is_private)
				continue;
			elaborate_use_file(s, g->file);
			v = find_global(s, name, r->file);
		}
	}
	if (!v && r->in_cond) {
		diag(DIAG_SEMANTIC, sym->tok, "saw", "probe condition must not reference undeclared global");
		r->errors++;
		return NULL;
	}
	if (!v) {
		if (use == USE_ARRAY) {
			// the globals it may have meant
			Similar sim = {.want = name};
			for (size_t i = 0; i < s->global_by_name.cap; i++) {
				Var *g = s->global_by_name.vals[i];
				if (s->global_by_name.keys[i] && g && g->name == s->global_by_name.keys[i] &&
				    (!g->decl->is_private || g->file == r->file))
					similar_add(&sim, g->name);
			}
			for (size_t i = 0; i < library_globals.cap; i++) {
				Vec *decls = library_globals.vals[i];
				if (library_globals.keys[i] && !((Node *)VEC_AT(decls, 0))->is_private)
					similar_add(&sim, library_globals.keys[i]);
			}
			const char *t = similar_text(&sim);
			diag(DIAG_SEMANTIC, sym->tok, "saw",
			     "unresolved arity-%d global array %s, missing global declaration?%s%s%s", arity, name,
			     t ? " (similar: " : "", t ? t : "", t ? ")" : "");
			r->errors++;
			return NULL;
		}
		v = new_var(name, V_LOCAL, sym->tok);
		v->arity = 0;
		v->index = r->locals->len;
		vec_push(r->locals, v);
	}
	sym->var = v;
	// arity: scalars and arrays of a given number of keys
	int want = use == USE_ARRAY ? arity : 0;
	if (v->arity < 0) {
		v->arity = want;
		v->key_tok[0] = sym->tok;
	} else if (v->arity != want && !(use == USE_ARRAY && arity < 0)) {
		diag(DIAG_SEMANTIC, sym->tok, "saw", "inconsistent arity (%d vs %d)", v->arity, want);
		diag_note(DIAG_SEMANTIC, v->key_tok[0] ? v->key_tok[0] : v->tok,
			  "arity %d first inferred here", v->arity);
		r->errors++;
	}
	if (!v->key_tok[0])
		v->key_tok[0] = sym->tok;
	return v;
}

static void resolve(Resolver *r, Node *n);

// The children of n in the order SystemTap's resolver visits them (it
// decides the order of locals and globals in -p2): a for's init,
// condition, increment and body; a conditional's condition first; array
// indexes before the array.
static void visit_ordered(Node *n, void (*fn)(Node *child, void *arg), void *arg)
{
	switch (n->kind) {
	case N_FOR:
		if (n->init)
			fn(n->init, arg);
		if (n->cond)
			fn(n->cond, arg);
		if (n->incr)
			fn(n->incr, arg);
		if (n->body)
			fn(n->body, arg);
		return;
	case N_TERNARY:
		fn(n->cond, arg);
		fn(n->lhs, arg);
		fn(n->rhs, arg);
		return;
	case N_INDEX:
	case N_IN:
		for (int i = 0; i < n->args.len; i++)
			if (VEC_AT(&n->args, i))
				fn(VEC_AT(&n->args, i), arg);
		fn(n->lhs, arg);
		return;
	case N_FOREACH:
		for (int i = 0; i < n->keys.len; i++)
			fn(VEC_AT(&n->keys, i), arg);
		for (int i = 0; i < n->args.len; i++)
			if (VEC_AT(&n->args, i))
				fn(VEC_AT(&n->args, i), arg);
		fn(n->lhs, arg);
		if (n->value_var)
			fn(n->value_var, arg);
		if (n->limit)
			fn(n->limit, arg);
		fn(n->body, arg);
		return;
	default:
		node_children(n, fn, arg);
	}
}

static void resolve_child(Node *c, void *arg)
{
	resolve(arg, c);
}

// The base of an array access: a global symbol (or a histogram).
static void resolve_array(Resolver *r, Node *base, int arity)
{
	if (base->kind == N_SYMBOL)
		resolve_name(r, base, USE_ARRAY, arity);
	else
		resolve(r, base);
}

static void resolve(Resolver *r, Node *n)
{
	if (!n)
		return;
	switch (n->kind) {
	case N_SYMBOL:
		resolve_name(r, n, USE_SCALAR, 0);
		return;
	case N_INDEX:
		for (int i = 0; i < n->args.len; i++)
			resolve(r, VEC_AT(&n->args, i));
		if (n->args.len > 9) {
			diag(DIAG_SEMANTIC, n->tok, "saw", "too many indices (%d, at most 9)", n->args.len);
			r->errors++;
		}
		resolve_array(r, n->lhs, n->lhs->kind == N_SYMBOL ? n->args.len : 1);
		return;
	case N_IN:
		for (int i = 0; i < n->args.len; i++)
			resolve(r, VEC_AT(&n->args, i));
		resolve_array(r, n->lhs, n->args.len);
		return;
	case N_FOREACH: {
		// SystemTap's order: the key variables (locals), the slice,
		// the array, the value variable
		for (int i = 0; i < n->keys.len; i++)
			resolve(r, VEC_AT(&n->keys, i));
		for (int i = 0; i < n->args.len; i++)
			resolve(r, VEC_AT(&n->args, i));
		int arity = n->args.len ? n->args.len : n->keys.len;
		resolve_array(r, n->lhs, n->lhs->kind == N_SYMBOL ? arity : 1);
		if (n->value_var)
			resolve(r, n->value_var);
		resolve(r, n->limit);
		resolve(r, n->body);
		return;
	}
	case N_DELETE:
		if (n->lhs->kind == N_SYMBOL) {
			// "delete x" of a global array, or of a scalar
			Var *g = find_global(r->s, n->lhs->name, r->file);
			if (!g && !find_local(r->locals, n->lhs->name)) {
				Vec *decls = ptrmap_get(&library_globals, n->lhs->name);
				if (decls && decls->len)
					g = resolve_name(r, n->lhs, USE_ARRAY, -1);
			}
			if (g && g->arity != 0) {
				n->lhs->var = g;
				if (g->arity < 0)
					g->arity = -1;
				return;
			}
		}
		resolve(r, n->lhs);
		return;
	case N_TARGET:
		// a condition is evaluated apart from any probe hit
		if (r->in_cond) {
			diag(DIAG_SEMANTIC, n->tok, "saw", "unresolved target-symbol expression");
			r->errors++;
			return;
		}
		visit_ordered(n, resolve_child, r);
		return;
	case N_CALL: {
		if (r->in_cond) {
			diag(DIAG_SEMANTIC, n->tok, "saw", "probe condition must not reference function");
			r->errors++;
			return;
		}
		for (int i = 0; i < n->args.len; i++)
			resolve(r, VEC_AT(&n->args, i));
		Func *f = find_function(r, n->name, n->args.len, n);
		if (!f) {
			unresolved_function(r, n);
			return;
		}
		n->func = f;
		// embedded C tagged "/* guru */" is for guru-mode callers only
		SrcFile *from = n->tok && n->tok->file ? n->tok->file : r->file;
		if (from && !from->guru && f->decl->is_embedded && f->decl->code &&
		    strstr(f->decl->code, "/* guru */")) {
			diag(DIAG_SEMANTIC, n->tok, "saw", "function may not be used unless -g is specified");
			r->errors++;
		}
		return;
	}
	case N_TRY:
		resolve(r, n->body);
		if (n->lhs) {
			Var *v = resolve_name(r, n->lhs, USE_SCALAR, 0);
			if (v && v->scope == V_LOCAL && !v->type) {
				v->type = T_STRING;
				v->type_tok = n->lhs->tok;
			}
		}
		resolve(r, n->els);
		return;
	case N_STAT:
	case N_HIST:
		// @count(a[k]) / @hist_log(s): the operand names a statistic
		if (n->lhs->kind == N_SYMBOL) {
			resolve_name(r, n->lhs, USE_SCALAR, 0);
		} else {
			resolve(r, n->lhs);
		}
		for (int i = 0; i < n->args.len; i++)
			resolve(r, VEC_AT(&n->args, i));
		return;
	case N_NEXT:
		if (r->func && r->func->next_overload)
			use_function(r, r->func->next_overload);
		return;
	default:
		visit_ordered(n, resolve_child, r);
	}
}

static void resolve_probe(Resolver *r, Probe *p)
{
	Resolver saved = *r;
	r->file = p->decl ? p->decl->file : NULL;
	r->probe = p;
	r->func = NULL;
	r->locals = &p->locals;
	resolve(r, p->body);
	if (p->cond) {
		r->in_cond = true;
		resolve(r, p->cond);
		r->in_cond = false;
	}
	Vec q = r->func_queue;
	int errors = r->errors;
	*r = saved;
	r->func_queue = q;
	r->errors = errors;
}

static void resolve_function(Resolver *r, Func *f)
{
	if (f->resolved)
		return;
	f->resolved = true;
	Resolver saved = *r;
	r->file = f->file;
	r->probe = NULL;
	r->func = f;
	r->locals = &f->locals;
	if (!f->decl->is_embedded)
		resolve(r, f->decl->body);
	Vec q = r->func_queue;
	int errors = r->errors;
	*r = saved;
	r->func_queue = q;
	r->errors = errors;
}

//
// After resolution
//

typedef struct {
	Vec order;     // Var*: globals in the order they are met
	PtrMap seen;
} GlobalOrder;

static void order_walk(Node *n, void *arg)
{
	GlobalOrder *o = arg;
	if ((n->kind == N_SYMBOL) && n->var && n->var->scope == V_GLOBAL &&
	    !ptrmap_get(&o->seen, n->var)) {
		ptrmap_put(&o->seen, n->var, (void *)1);
		vec_push(&o->order, n->var);
	}
	visit_ordered(n, order_walk, arg);
}

static int cmp_func_name(const void *a, const void *b)
{
	const Func *x = *(Func *const *)a, *y = *(Func *const *)b;
	// SystemTap's order is that of the C names: __global_NAME, then
	// __private_FILE_NAME
	if (x->decl->is_private != y->decl->is_private)
		return x->decl->is_private ? 1 : -1;
	if (x->decl->is_private && x->file != y->file)
		return x->file->index - y->file->index;
	int c = strcmp(x->name, y->name);
	if (c)
		return c;
	return x->overload - y->overload;
}

// SystemTap lists the globals in the order its resolver first meets them:
// probe bodies, then their conditions, in order; then functions by name.
static void order_globals(Session *s)
{
	GlobalOrder o = {0};
	for (int i = 0; i < s->probes.len; i++) {
		Probe *p = VEC_AT(&s->probes, i);
		// globals made for @entry come when they were made: before
		// what the probe's body uses
		Vec *made = ptrmap_get(&entry_globals, p);
		for (int k = 0; made && k < made->len; k++) {
			ptrmap_put(&o.seen, VEC_AT(made, k), (void *)1);
			vec_push(&o.order, VEC_AT(made, k));
		}
		order_walk(p->body, &o);
		if (p->cond)
			order_walk(p->cond, &o);
	}
	Vec funcs = {0};
	for (int i = 0; i < s->funcs.len; i++)
		vec_push(&funcs, VEC_AT(&s->funcs, i));
	if (funcs.len)
		qsort(funcs.items, funcs.len, sizeof(void *), cmp_func_name);
	for (int i = 0; i < funcs.len; i++) {
		Func *f = VEC_AT(&funcs, i);
		if (!f->decl->is_embedded)
			order_walk(f->decl->body, &o);
	}
	// the rest keep their order of declaration (the optimizer drops them)
	for (int i = 0; i < s->globals.len; i++) {
		Var *v = VEC_AT(&s->globals, i);
		if (!ptrmap_get(&o.seen, v))
			vec_push(&o.order, v);
	}
	s->globals = o.order;
	for (int i = 0; i < s->globals.len; i++)
		((Var *)VEC_AT(&s->globals, i))->index = i;
	free(o.seen.keys);
	free(o.seen.vals);
}

// A probe point's condition becomes a guard at the start of its body,
// "if (!(cond)) next", and one begin probe (with an empty body) is added
// for all of them, as SystemTap does (its runtime evaluates the
// conditions there once before the other probes run).
static void add_guards(Session *s, Resolver *r)
{
	int n = s->probes.len;
	bool any = false;
	for (int i = 0; i < n; i++) {
		Probe *p = VEC_AT(&s->probes, i);
		if (!p->cond)
			continue;
		any = true;
		Token *t = p->cond->tok;
		Node *cond = node_copy(p->cond);
		r->in_cond = true;
		r->locals = &p->locals;
		r->file = p->decl ? p->decl->file : NULL;
		resolve(r, cond);
		r->in_cond = false;
		Node *not = node_new(N_UNARY, t);
		not->op = intern0("!");
		not->lhs = cond;
		Node *guard = node_new(N_IF, t);
		guard->cond = not;
		guard->body = node_new(N_NEXT, t);
		Node *b = node_new(N_BLOCK, p->body->tok);
		vec_push(&b->list, guard);
		vec_push(&b->list, p->body);
		p->body = b;
	}
	if (!any)
		return;
	Probe *p = NEW(Probe);
	Token *t = ((Probe *)VEC_AT(&s->probes, 0))->tok;
	p->provider = providers[0]; // begin/end/error: flags 0, priority 0
	p->pp = "begin";
	p->chain = "begin";
	p->tok = t;
	p->body = node_new(N_BLOCK, t);
	Node *pt = node_new(N_PROBE_POINT, t);
	Node *c = node_new(N_COMPONENT, t);
	c->name = intern0("begin");
	vec_push(&pt->components, c);
	p->point = pt;
	p->index = s->probes.len;
	vec_push(&s->probes, p);
}

int types_infer(Session *s);
int check_program(Session *s);
void optimize(Session *s);
void fold_defined(Session *s);
void warn_never_assigned(Session *s);
void auto_print_globals(Session *s);
void drop_unused_vars(Session *s);

//
// Script arguments nobody used ($N / @N): SystemTap warns at the end of
// pass 2, whatever else happened.  A pasted argument's tokens sit where
// "$N" was written, so the source there says which one it was.
//

typedef struct {
	Session *s;
	bool *used;
} ArgUse;

static void arg_token(ArgUse *u, const Token *t)
{
	if (!t || !t->from_arg || !t->file || !t->file->text)
		return;
	const char *p = t->file->text;
	for (int l = 1; l < t->line && *p; p++)
		if (*p == '\n')
			l++;
	p += t->col - 1;
	if (p >= t->file->text + t->file->size || (*p != '$' && *p != '@'))
		return;
	long n = strtol(p + 1, NULL, 10);
	if (n >= 1 && n <= u->s->args.len)
		u->used[n - 1] = true;
}

static void arg_walk(Node *n, void *arg)
{
	ArgUse *u = arg;
	arg_token(u, n->tok);
	switch (n->kind) {
	case N_PROBE:
	case N_ALIAS:
		for (int v = 0; v < 2; v++) {
			Vec *pts = v ? &n->names : &n->points;
			for (int i = 0; i < pts->len; i++) {
				Node *pt = VEC_AT(pts, i);
				for (int k = 0; k < pt->components.len; k++)
					arg_walk(VEC_AT(&pt->components, k), u);
				if (pt->cond)
					arg_walk(pt->cond, u);
			}
			if (n->kind == N_PROBE)
				break;
		}
		if (n->kind == N_ALIAS && n->epilogue)
			arg_walk(n->epilogue, u);
		break;
	case N_COMPONENT:
		if (n->arg)
			arg_walk(n->arg, u);
		return;
	case N_GLOBAL:
		if (n->gl_init)
			arg_walk(n->gl_init, u);
		return;
	default:
		break;
	}
	node_children(n, arg_walk, u);
}

static void warn_unused_args(Session *s)
{
	if (!s->args.len)
		return;
	ArgUse u = {.s = s, .used = arena_alloc(sizeof(bool) * s->args.len)};
	// the script and the library files it pulled in (argv.stp uses them)
	for (int i = 0; i < s->files.len; i++) {
		SrcFile *f = VEC_AT(&s->files, i);
		if (f->ast)
			arg_walk(f->ast, &u);
	}
	for (int i = 0; i < s->args.len; i++)
		if (!u.used[i])
			diag(DIAG_WARNING, NULL, NULL, "unused command line option $%d/@%d", i + 1, i + 1);
}

static int elaborate_program(Session *s);

int elaborate(Session *s)
{
	int before = diag_semantic_errors;
	elaborate_program(s);
	warn_unused_args(s);
	return diag_semantic_errors - before;
}

static int elaborate_program(Session *s)
{
	int before = diag_semantic_errors;
	index_files(s);
	Resolver r = {.s = s};
	for (int i = 0; i < s->user_files.len; i++)
		elaborate_use_file(s, VEC_AT(&s->user_files, i));
	// as SystemTap: the files in order (library files join at the end
	// when something in them is used), each file's probes, then the
	// functions reached so far, and so on
	for (int fi = 0, qi = 0; fi < s->files.len;) {
		derive_file_probes(&r, VEC_AT(&s->files, fi++));
		while (qi < r.func_queue.len)
			resolve_function(&r, VEC_AT(&r.func_queue, qi++));
	}
	if (diag_semantic_errors != before)
		return diag_semantic_errors - before;
	order_globals(s);
	add_guards(s, &r);
	// @defined is decided before anything looks at what it guards, also
	// under -u (as in SystemTap)
	fold_defined(s);
	if (!s->unoptimized)
		warn_never_assigned(s);
	if (diag_semantic_errors != before)
		return diag_semantic_errors - before;
	if (types_infer(s))
		return diag_semantic_errors - before;
	if (check_program(s))
		return diag_semantic_errors - before;
	if (!s->unoptimized)
		optimize(s);
	// target variables that do not resolve, of what is left
	if (target_report(s))
		return diag_semantic_errors - before;
	auto_print_globals(s);
	drop_unused_vars(s);
	int live = 0;
	for (int i = 0; i < s->probes.len; i++)
		live += !((Probe *)VEC_AT(&s->probes, i))->elided;
	if (!live) {
		diag(DIAG_SEMANTIC, NULL, NULL, "no probes found");
	}
	return diag_semantic_errors - before;
}

// --dump-functions: every function of the library, resolved and typed
// (errors are the caller's to silence).  Returns the number of errors.
int elaborate_functions(Session *s)
{
	int before = diag_semantic_errors;
	index_files(s);
	Resolver r = {.s = s};
	for (int i = 0; i < s->library_files.len; i++) {
		SrcFile *f = VEC_AT(&s->library_files, i);
		if (!f->ast)
			continue;
		for (int k = 0; k < f->ast->list.len; k++) {
			Node *d = VEC_AT(&f->ast->list, k);
			if (d->kind != N_FUNCTION)
				continue;
			Vec *all = ptrmap_get(&s->funcs_by_name, d->name);
			for (int j = 0; all && j < all->len; j++) {
				Func *fn = VEC_AT(all, j);
				if (fn->decl == d) {
					elaborate_use_file(s, f);
					use_function(&r, fn);
				}
			}
		}
	}
	for (int i = 0; i < r.func_queue.len; i++)
		resolve_function(&r, VEC_AT(&r.func_queue, i));
	types_infer(s);
	return diag_semantic_errors - before;
}

// -l: the aliases and functions of every file, without resolving anything.
void elaborate_index(Session *s)
{
	index_files(s);
}
