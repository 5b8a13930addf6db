// probe.c: probe points to derived probes.
//
// A point written by the user (a.b("x").c, with globs in component names)
// is matched against every alias of the parsed files and every provider
// pattern ("timer.ms(number)").  An alias whose name matches the point (or
// a prefix of it: the rest is a suffix appended to the alias's targets)
// expands into its target points with the alias's prologue/epilogue around
// the body; that repeats until provider patterns are reached.  Errors name
// the first component that matches nothing, with the closest names.
#include "stap.h"

#include <stdlib.h>
#include <string.h>

// A component of a provider pattern.
typedef struct {
	const char *name;
	ArgKind arg;
} PatComp;

typedef struct {
	const Provider *prov;
	int index;       // into prov->patterns
	PatComp comp[12];
	int ncomp;
} Pattern;

static Vec patterns; // Pattern*

static void parse_pattern(Pattern *p, const char *text)
{
	const char *s = text;
	while (*s && p->ncomp < (int)ARRAY_SIZE(p->comp)) {
		const char *e = s;
		while (*e && *e != '.' && *e != '(')
			e++;
		PatComp *c = &p->comp[p->ncomp++];
		c->name = intern(s, e - s);
		c->arg = ARG_NONE;
		if (*e == '(') {
			c->arg = e[1] == 'n' ? ARG_NUMBER : ARG_STRING;
			e = strchr(e, ')') + 1;
		}
		s = *e == '.' ? e + 1 : e;
	}
}

static void load_patterns(void)
{
	if (patterns.len)
		return;
	for (int i = 0; providers[i]; i++)
		for (int j = 0; providers[i]->patterns[j]; j++) {
			Pattern *p = NEW(Pattern);
			p->prov = providers[i];
			p->index = j;
			parse_pattern(p, providers[i]->patterns[j]);
			vec_push(&patterns, p);
		}
}

static ArgKind arg_kind(const Node *c)
{
	if (!c->arg)
		return ARG_NONE;
	return c->arg->kind == N_STRING ? ARG_STRING : ARG_NUMBER;
}

Node *point_arg(Node *point, int i)
{
	if (i >= point->components.len)
		return NULL;
	return ((Node *)VEC_AT(&point->components, i))->arg;
}

void point_print(Buf *b, Node *p, bool decorations)
{
	for (int i = 0; i < p->components.len; i++) {
		Node *c = VEC_AT(&p->components, i);
		if (i)
			buf_putc(b, '.');
		buf_puts(b, c->name);
		if (c->arg) {
			buf_putc(b, '(');
			dump_node(b, c->arg);
			buf_putc(b, ')');
		}
	}
	if (!decorations)
		return;
	if (p->sufficient)
		buf_putc(b, '!');
	else if (p->optional)
		buf_putc(b, '?');
	if (p->cond) {
		buf_puts(b, " if (");
		dump_node(b, p->cond);
		buf_putc(b, ')');
	}
}

static bool has_glob(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

// Does user component u match name/arg kind of pattern component?
static bool comp_match(Node *u, const char *name, ArgKind kind)
{
	if (u->name != name && !(has_glob(u->name) && glob_match(u->name, name)))
		return false;
	return arg_kind(u) == kind;
}

// Literal arguments of alias names must be equal.
static bool args_equal(Node *a, Node *b)
{
	if (!a || !b)
		return a == b;
	if (a->kind != b->kind)
		return false;
	if (a->kind == N_NUMBER)
		return a->num == b->num;
	return a->len == b->len && !memcmp(a->str, b->str, a->len);
}

// A new point: the given components (copied) + a suffix of another point.
static Node *make_point(Node *base, Node *suffix_from, int suffix_start, Token *tok)
{
	Node *p = node_new(N_PROBE_POINT, tok);
	for (int i = 0; i < base->components.len; i++)
		vec_push(&p->components, VEC_AT(&base->components, i));
	if (suffix_from)
		for (int i = suffix_start; i < suffix_from->components.len; i++)
			vec_push(&p->components, VEC_AT(&suffix_from->components, i));
	p->optional = base->optional;
	p->sufficient = base->sufficient;
	p->cond = base->cond;
	return p;
}

// The concrete point for a provider pattern matched by user point u.
static Node *concrete_point(Pattern *pat, Node *u)
{
	Node *p = node_new(N_PROBE_POINT, u->tok);
	for (int i = 0; i < pat->ncomp; i++) {
		Node *uc = VEC_AT(&u->components, i);
		Node *c = node_new(N_COMPONENT, uc->tok);
		c->name = pat->comp[i].name;
		c->arg = uc->arg;
		vec_push(&p->components, c);
	}
	p->optional = u->optional;
	p->sufficient = u->sufficient;
	p->cond = u->cond;
	return p;
}

typedef struct {
	Session *s;
	Node *decl;        // the user's N_PROBE
	Vec chain;         // N_ALIAS nodes, outermost (closest to the user) first
	Vec *out;          // Probe*
	int depth;
	int errors;
} Deriver;

static bool derive_point(Deriver *d, Node *point, Node *body);

// Probe point mismatch: find the first component that matches nothing
// and suggest the closest names at that level.
static void mismatch(Deriver *d, Node *point)
{
	Session *s = d->s;
	int depth = 0;
	Node *bad = VEC_AT(&point->components, 0);
	for (; depth < point->components.len; depth++) {
		Node *u = VEC_AT(&point->components, depth);
		bool any = false;
		for (int i = 0; i < patterns.len && !any; i++) {
			Pattern *p = VEC_AT(&patterns, i);
			bool prefix = p->ncomp > depth;
			for (int k = 0; k <= depth && prefix; k++) {
				Node *uk = VEC_AT(&point->components, k);
				if (!glob_match(uk->name, p->comp[k].name) && uk->name != p->comp[k].name)
					prefix = false;
			}
			any = prefix;
		}
		for (int i = 0; i < s->aliases.len && !any; i++) {
			Node *a = VEC_AT(&s->aliases, i);
			Node *n = VEC_AT(&a->names, 0);
			bool prefix = n->components.len > depth;
			for (int k = 0; k <= depth && prefix; k++) {
				Node *uk = VEC_AT(&point->components, k);
				Node *ak = VEC_AT(&n->components, k);
				if (uk->name != ak->name && !glob_match(uk->name, ak->name))
					prefix = false;
			}
			any = prefix;
		}
		if (!any) {
			bad = u;
			break;
		}
	}
	if (depth >= point->components.len) {
		// every name exists: the arguments or the length are wrong
		Buf b = {0};
		point_print(&b, point, false);
		diag(DIAG_SEMANTIC, point->tok, "at", "probe point mismatch: no probe point family takes '%s' "
		     "(see stap --dump-probe-types)", b.s);
		free(b.s);
		d->errors++;
		return;
	}
	// names that would fit at this depth after the same prefix
	typedef struct { const char *name; int dist; } Sugg;
	Sugg sugg[64];
	int ns = 0;
	for (int i = 0; i < patterns.len + s->aliases.len; i++) {
		const char *name = NULL;
		if (i < patterns.len) {
			Pattern *p = VEC_AT(&patterns, i);
			if (p->ncomp <= depth)
				continue;
			bool ok = true;
			for (int k = 0; k < depth && ok; k++) {
				Node *uk = VEC_AT(&point->components, k);
				ok = uk->name == p->comp[k].name || glob_match(uk->name, p->comp[k].name);
			}
			if (ok)
				name = p->comp[depth].name;
		} else {
			Node *a = VEC_AT(&s->aliases, i - patterns.len);
			Node *n = VEC_AT(&a->names, 0);
			if (n->components.len <= depth)
				continue;
			bool ok = true;
			for (int k = 0; k < depth && ok; k++) {
				Node *uk = VEC_AT(&point->components, k);
				Node *ak = VEC_AT(&n->components, k);
				ok = uk->name == ak->name || glob_match(uk->name, ak->name);
			}
			if (ok)
				name = ((Node *)VEC_AT(&n->components, depth))->name;
		}
		if (!name)
			continue;
		bool dup = false;
		for (int k = 0; k < ns; k++)
			dup |= sugg[k].name == name;
		if (dup || ns == (int)ARRAY_SIZE(sugg))
			continue;
		sugg[ns].name = name;
		sugg[ns].dist = edit_distance(bad->name, name);
		ns++;
	}
	// closest first, at most 5, only reasonably close ones
	for (int i = 1; i < ns; i++)
		for (int k = i; k > 0 && sugg[k].dist < sugg[k - 1].dist; k--) {
			Sugg t = sugg[k];
			sugg[k] = sugg[k - 1];
			sugg[k - 1] = t;
		}
	Buf b = {0};
	int shown = 0;
	for (int i = 0; i < ns && shown < 5; i++) {
		if (sugg[i].dist > (int)strlen(bad->name) / 2 + 2 && shown)
			break;
		buf_printf(&b, "%s%s", shown ? ", " : "", sugg[i].name);
		shown++;
	}
	Node *first = VEC_AT(&point->components, 0);
	diag(DIAG_SEMANTIC, first->tok, "saw", "while resolving probe point");
	if (shown)
		diag(DIAG_SEMANTIC, bad->tok, "saw", "probe point mismatch (similar: %s)", b.s);
	else
		diag(DIAG_SEMANTIC, bad->tok, "saw", "probe point mismatch");
	free(b.s);
	d->errors++;
}

// The body of a probe derived through an alias: { prologue; body; epilogue }.
static Node *wrap_body(Node *alias, Node *body)
{
	Node *b = node_new(N_BLOCK, body->tok);
	if (!alias->is_append)
		vec_push(&b->list, node_copy(alias->body));
	vec_push(&b->list, body);
	if (alias->is_append)
		vec_push(&b->list, node_copy(alias->body));
	else if (alias->epilogue)
		vec_push(&b->list, node_copy(alias->epilogue));
	return b;
}

static bool alias_on_chain(Deriver *d, Node *alias)
{
	for (int i = 0; i < d->chain.len; i++)
		if (VEC_AT(&d->chain, i) == alias)
			return true;
	return false;
}

static SrcFile *file_of_alias(Node *a)
{
	return a->file;
}

void elaborate_use_file(Session *s, SrcFile *f);

// Aliases whose name matches point exactly (suffix false), or is a
// proper prefix of it (suffix true: the rest is appended to the targets).
static bool try_aliases(Deriver *d, Node *point, Node *body, bool suffix)
{
	Session *s = d->s;
	int n = point->components.len;
	bool found = false;
	{
		int pass = suffix;
		for (int i = 0; i < s->aliases.len; i++) {
			Node *a = VEC_AT(&s->aliases, i);
			Node *name = VEC_AT(&a->names, 0);
			int k = name->components.len;
			if (pass == 0 ? k != n : k >= n)
				continue;
			bool ok = true;
			for (int j = 0; j < k && ok; j++) {
				Node *u = VEC_AT(&point->components, j);
				Node *c = VEC_AT(&name->components, j);
				ok = (u->name == c->name || (has_glob(u->name) && glob_match(u->name, c->name))) &&
				     args_equal(u->arg, c->arg);
			}
			if (!ok)
				continue;
			// a '**' glob or a glob in the last compared component must
			// not turn a suffix into a match of a longer alias name
			if (alias_on_chain(d, a)) {
				diag(DIAG_SEMANTIC, point->tok, "at", "recursive probe alias '%s'",
				     ((Node *)VEC_AT(&name->components, 0))->name);
				d->errors++;
				return true;
			}
			found = true;
			elaborate_use_file(s, file_of_alias(a));
			vec_push(&d->chain, a);
			Node *wrapped = wrap_body(a, body);
			int before = d->out->len;
			int errs = d->errors;
			for (int t = 0; t < a->points.len; t++) {
				Node *target = VEC_AT(&a->points, t);
				Node *np = make_point(target, pass ? point : NULL, k, target->tok);
				np->optional |= point->optional;
				np->sufficient |= point->sufficient;
				if (point->cond && !np->cond)
					np->cond = point->cond;
				bool ok2 = derive_point(d, np, wrapped);
				if (ok2 && np->sufficient)
					break;
			}
			(void)before;
			(void)errs;
			d->chain.len--;
		}
	}
	return found;
}

static bool try_providers(Deriver *d, Node *point, Node *body)
{
	int n = point->components.len;
	bool found = false;
	for (int i = 0; i < patterns.len; i++) {
		Pattern *pat = VEC_AT(&patterns, i);
		if (pat->ncomp != n)
			continue;
		bool ok = true;
		for (int j = 0; j < n && ok; j++)
			ok = comp_match(VEC_AT(&point->components, j), pat->comp[j].name, pat->comp[j].arg);
		if (!ok)
			continue;
		found = true;
		Probe *p = NEW(Probe);
		p->provider = pat->prov;
		p->decl = d->decl;
		p->point = concrete_point(pat, point);
		p->tok = point->tok;
		p->optional = point->optional;
		p->cond = point->cond ? node_copy(point->cond) : NULL;
		p->body = node_copy(body);
		p->chain_aliases = d->chain;
		p->chain_aliases.items = arena_alloc(sizeof(void *) * (d->chain.len + 1));
		memcpy(p->chain_aliases.items, d->chain.items, sizeof(void *) * d->chain.len);
		p->chain_aliases.cap = d->chain.len + 1;
		Buf b = {0};
		point_print(&b, p->point, false);
		p->pp = arena_strdup(b.s);
		free(b.s);
		int errs = diag_semantic_errors;
		Vec more = {0};
		if (!pat->prov->derive(d->s, p, pat->index, &more)) {
			if (diag_semantic_errors == errs)
				d->errors++;
			else
				d->errors += diag_semantic_errors - errs;
			continue;
		}
		for (int k = 0; k < more.len; k++)
			vec_push(d->out, VEC_AT(&more, k));
	}
	return found;
}

static bool derive_point(Deriver *d, Node *point, Node *body)
{
	if (++d->depth > 64) {
		diag(DIAG_SEMANTIC, point->tok, "at", "probe alias expansion too deep (recursive alias?)");
		d->errors++;
		d->depth--;
		return false;
	}
	int before = d->out->len, errs = d->errors;
	// exact matches (aliases and provider patterns); a prefix alias with a
	// suffix only when nothing matches exactly
	bool found = try_aliases(d, point, body, false);
	found |= try_providers(d, point, body);
	if (!found)
		found = try_aliases(d, point, body, true);
	d->depth--;
	if (found)
		return d->out->len > before && d->errors == errs;
	if (point->optional)
		return false;
	mismatch(d, point);
	return false;
}

// Derive every point of a probe declaration.
int derive_probe(Session *s, Node *decl, Vec *out)
{
	load_patterns();
	Deriver d = {.s = s, .decl = decl, .out = out};
	for (int i = 0; i < decl->points.len; i++) {
		Node *pt = VEC_AT(&decl->points, i);
		int before = out->len, errs = d.errors;
		derive_point(&d, pt, decl->body);
		if (out->len == before && d.errors == errs && !pt->optional) {
			Buf b = {0};
			point_print(&b, pt, false);
			diag(DIAG_SEMANTIC, pt->tok, "at", "no match for probe point '%s'", b.s);
			free(b.s);
			d.errors++;
		}
	}
	return d.errors;
}

// All patterns, for --dump-probe-types: sorted and unique.
static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void dump_probe_types(FILE *out)
{
	Vec v = {0};
	for (int i = 0; providers[i]; i++)
		for (int j = 0; providers[i]->patterns[j]; j++)
			vec_push(&v, (void *)providers[i]->patterns[j]);
	qsort(v.items, v.len, sizeof(void *), cmp_str);
	for (int i = 0; i < v.len; i++)
		if (!i || strcmp(VEC_AT(&v, i), VEC_AT(&v, i - 1)))
			fprintf(out, "%s\n", (char *)VEC_AT(&v, i));
}
