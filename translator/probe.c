// probe.c: probe points to derived probes.
//
// A point written by the user (a.b("x").c, with globs in component names
// and "**" standing for one or more components) is matched against every
// alias name of the parsed files and every provider pattern
// ("timer.ms(number)").  An alias whose name matches the point (or a prefix
// of it: the rest is a suffix appended to the alias's targets) expands into
// its target points with the alias's prologue/epilogue around the body;
// that repeats until provider patterns are reached.
//
// Like SystemTap: matches of a glob are derived in name order and those
// that fail are skipped silently (an error only when none is left); an
// optional point ('?') fails silently; a sufficient one ('!') ends the list
// of points once it resolves.  Errors name the first component that matches
// nothing, with the closest names.
#include "stap.h"
#include "probes/btfvar.h"

#include <stdlib.h>
#include <string.h>

// A component of a provider pattern or of an alias name.
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

static PtrMap pattern_first;
static void index_by_first(PtrMap *m, const char *name, int i);

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
			index_by_first(&pattern_first, p->comp[0].name, patterns.len);
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

static bool point_has_glob(Node *point)
{
	for (int i = 0; i < point->components.len; i++)
		if (has_glob(((Node *)VEC_AT(&point->components, i))->name))
			return true;
	return false;
}

// Does user component u match name/arg kind of a pattern component?
static bool comp_match(Node *u, const char *name, ArgKind kind)
{
	if (u->name != name && !(has_glob(u->name) && glob_match(u->name, name)))
		return false;
	return arg_kind(u) == kind;
}

//
// Errors: muted while a glob's matches or an optional point are derived
//

static int mute;

bool probe_error(Probe *p, const Token *at, const char *fmt, ...)
{
	if (mute)
		return false;
	Node *first = VEC_AT(&p->point->components, 0);
	diag(DIAG_SEMANTIC, first->tok, "saw", "while resolving probe point");
	va_list ap;
	va_start(ap, fmt);
	diag_v(DIAG_SEMANTIC, at, "saw", fmt, ap);
	va_end(ap);
	return false;
}

//
// Matching
//

// What a user point matched: an alias name, or a provider pattern.
typedef struct {
	Node *alias;       // N_ALIAS, or NULL
	Pattern *pat;      // the pattern (for an alias: its name as a pattern)
	int consumed;      // user components matched; the rest is a suffix
	int from[12];      // for each pattern component, the user component
	const char *key;   // printed name, the order of glob matches
} Match;

static const char *star2;

// Match user components u[iu..] against pattern components from it on;
// "**" stands for one or more argument-less components.  With suffix, the
// pattern must be a proper prefix of the point.
static bool match_from(Node **u, int nu, int iu, const Pattern *t, int it, Match *m, bool suffix)
{
	if (it == t->ncomp) {
		if (suffix ? iu < nu : iu == nu) {
			m->consumed = iu;
			return true;
		}
		return false;
	}
	if (iu == nu)
		return false;
	Node *c = u[iu];
	if (c->name == star2 && !c->arg) {
		for (int k = it; k < t->ncomp && t->comp[k].arg == ARG_NONE; k++) {
			m->from[k] = iu;
			if (match_from(u, nu, iu + 1, t, k + 1, m, suffix))
				return true;
		}
		return false;
	}
	if (!comp_match(c, t->comp[it].name, t->comp[it].arg))
		return false;
	m->from[it] = iu;
	return match_from(u, nu, iu + 1, t, it + 1, m, suffix);
}

// An alias name as a pattern (alias names have no arguments).
static Pattern *alias_pattern(Node *name)
{
	Pattern *p = NEW(Pattern);
	for (int i = 0; i < name->components.len && i < (int)ARRAY_SIZE(p->comp); i++) {
		Node *c = VEC_AT(&name->components, i);
		p->comp[p->ncomp].name = c->name;
		p->comp[p->ncomp].arg = ARG_NONE;
		p->ncomp++;
	}
	return p;
}

// The concrete point for a pattern matched by user point u.
static Node *concrete_point(Pattern *pat, Match *m, Node *u)
{
	Node *p = node_new(N_PROBE_POINT, u->tok);
	for (int i = 0; i < pat->ncomp; i++) {
		Node *uc = VEC_AT(&u->components, m->from[i]);
		Node *c = node_new(N_COMPONENT, uc->tok);
		c->name = pat->comp[i].name;
		c->arg = uc->name == star2 ? NULL : uc->arg;
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
	int optional;      // inside an optional point
	Node *top;         // the user's point being derived
	const char *list_pp; // the alias point it resolved to (for -l)
	Node *suffix_of;   // the user point whose suffix is being expanded
	int suffix_start;  // its first suffix component
	int errors;
} Deriver;

static bool derive_point(Deriver *d, Node *point, Node *body);

static Vec aliases_by_pattern; // for each alias name: Pattern*, parallel to alias_of
static Vec alias_of;           // N_ALIAS

// By first component: the indexes (into aliases_by_pattern / patterns, in
// order) of what a point starting with that name can match.
static PtrMap alias_first;

static void index_by_first(PtrMap *m, const char *name, int i)
{
	Vec *v = ptrmap_get(m, name);
	if (!v) {
		v = NEW(Vec);
		ptrmap_put(m, name, v);
	}
	vec_push(v, (void *)(intptr_t)i);
}

static void index_aliases(Session *s)
{
	aliases_by_pattern.len = 0;
	alias_of.len = 0;
	free(alias_first.keys);
	free(alias_first.vals);
	alias_first = (PtrMap){0};
	for (int i = 0; i < s->aliases.len; i++) {
		Node *a = VEC_AT(&s->aliases, i);
		for (int k = 0; k < a->names.len; k++) {
			Pattern *p = alias_pattern(VEC_AT(&a->names, k));
			index_by_first(&alias_first, p->comp[0].name, aliases_by_pattern.len);
			vec_push(&aliases_by_pattern, p);
			vec_push(&alias_of, a);
		}
	}
}

static int indexed_aliases = -1;

static void ensure_index(Session *s)
{
	if (!star2)
		star2 = intern0("**");
	load_patterns();
	if (indexed_aliases != s->aliases.len) {
		index_aliases(s);
		indexed_aliases = s->aliases.len;
	}
}

static Match *new_match(Match *m, Node *alias, Pattern *pat)
{
	Match *r = NEW(Match);
	*r = *m;
	r->alias = alias;
	r->pat = pat;
	return r;
}

static const char *match_key(Match *m, Node *point)
{
	Buf b = {0};
	for (int i = 0; i < m->pat->ncomp; i++) {
		Node *uc = VEC_AT(&point->components, m->from[i]);
		if (i)
			buf_putc(&b, '.');
		buf_puts(&b, m->pat->comp[i].name);
		if (uc->arg && uc->name != star2) {
			buf_putc(&b, '(');
			dump_node(&b, uc->arg);
			buf_putc(&b, ')');
		}
	}
	const char *k = arena_strdup(b.s ? b.s : "");
	free(b.s);
	return k;
}

static int cmp_match(const void *a, const void *b)
{
	const Match *x = *(Match *const *)a, *y = *(Match *const *)b;
	return strcmp(x->key, y->key);
}

// Everything the point matches exactly (aliases first), or else the
// aliases that are a proper prefix of it.
// The candidates for a point: those indexed under its first component,
// or all (0..n) when that component is a glob.
typedef struct {
	Vec *v;   // indexes, or NULL for all
	int n;
} Cands;

static Cands candidates(PtrMap *m, Node *first, int n)
{
	if (has_glob(first->name))
		return (Cands){NULL, n};
	Vec *v = ptrmap_get(m, first->name);
	return (Cands){v, v ? v->len : 0};
}

static int cand_at(Cands *c, int i)
{
	return c->v ? (int)(intptr_t)VEC_AT(c->v, i) : i;
}

// Of the aliases a point has a suffix for, the longest: for
// syscall.read.return.maxactive(10), syscall.read.return (suffix
// .maxactive(10)) and not syscall.read (suffix .return.maxactive(10)), as
// in SystemTap.  An alias is dropped when a longer one extends its name.
static void drop_shorter_aliases(Vec *out)
{
	int n = 0;
	for (int i = 0; i < out->len; i++) {
		Match *a = VEC_AT(out, i);
		bool extended = false;
		for (int j = 0; j < out->len && !extended; j++) {
			Match *b = VEC_AT(out, j);
			if (b->pat->ncomp <= a->pat->ncomp)
				continue;
			extended = true;
			for (int k = 0; k < a->pat->ncomp; k++)
				if (a->pat->comp[k].name != b->pat->comp[k].name)
					extended = false;
		}
		if (!extended)
			out->items[n++] = a;
	}
	out->len = n;
}

static void find_matches(Deriver *d, Node *point, Vec *out)
{
	int nu = point->components.len;
	Node **u = (Node **)point->components.items;
	Cands ca = candidates(&alias_first, u[0], alias_of.len);
	Cands cp = candidates(&pattern_first, u[0], patterns.len);
	for (int pass = 0; pass < 2 && !out->len; pass++) {
		bool suffix = pass == 1;
		for (int k = 0; k < ca.n; k++) {
			int i = cand_at(&ca, k);
			Match m = {0};
			Pattern *pat = VEC_AT(&aliases_by_pattern, i);
			if (match_from(u, nu, 0, pat, 0, &m, suffix))
				vec_push(out, new_match(&m, VEC_AT(&alias_of, i), pat));
		}
		if (suffix) {
			drop_shorter_aliases(out);
			break;
		}
		for (int k = 0; k < cp.n; k++) {
			int i = cand_at(&cp, k);
			Match m = {0};
			Pattern *pat = VEC_AT(&patterns, i);
			if (match_from(u, nu, 0, pat, 0, &m, false))
				vec_push(out, new_match(&m, NULL, pat));
		}
	}
	for (int i = 0; i < out->len; i++) {
		Match *m = VEC_AT(out, i);
		m->key = match_key(m, point);
	}
}

//
// Errors for points that match nothing
//

typedef struct {
	const char *name;
	int dist;
} Sugg;

static bool sugg_before(const Sugg *a, const Sugg *b)
{
	if (a->dist != b->dist)
		return a->dist < b->dist;
	size_t la = strlen(a->name), lb = strlen(b->name);
	if (la != lb)
		return la < lb;
	return strcmp(a->name, b->name) < 0;
}

// Do the first n components of a pattern/alias name fit the point's?
static bool prefix_fits(Node *point, const Pattern *t, int n)
{
	if (t->ncomp < n || point->components.len < n)
		return false;
	for (int k = 0; k < n; k++) {
		Node *uk = VEC_AT(&point->components, k);
		if (uk->name != t->comp[k].name && !glob_match(uk->name, t->comp[k].name))
			return false;
	}
	return true;
}

static const Pattern *nth_target(int i)
{
	return i < patterns.len ? VEC_AT(&patterns, i) : VEC_AT(&aliases_by_pattern, i - patterns.len);
}

// Find the first component that matches nothing and suggest the closest
// names at that level.
static void mismatch(Deriver *d, Node *point, bool wildcard)
{
	if (mute)
		return;
	int n = patterns.len + aliases_by_pattern.len;
	int depth = 0;
	for (; depth < point->components.len; depth++) {
		bool any = false;
		for (int i = 0; i < n && !any; i++)
			any = prefix_fits(point, nth_target(i), depth + 1);
		if (!any)
			break;
	}
	Node *first = VEC_AT(&point->components, 0);
	if (d->suffix_of) {
		// the suffix given to an alias is what fails?
		Node *bad = depth < point->components.len ? VEC_AT(&point->components, depth) : NULL;
		Vec *uc = &d->suffix_of->components;
		int k = -1;
		for (int i = d->suffix_start; i < uc->len; i++)
			if (VEC_AT(uc, i) == bad || (!bad && k < 0))
				k = i;
		if (k >= 0) {
			Node *ufirst = VEC_AT(uc, 0);
			diag(DIAG_SEMANTIC, ufirst->tok, "saw", "while resolving probe point");
			diag(DIAG_SEMANTIC, ((Node *)VEC_AT(uc, k))->tok, "saw", "invalid suffix for probe");
			d->errors++;
			return;
		}
	}
	if (depth >= point->components.len && !wildcard) {
		// every name exists: the arguments or the length are wrong
		Buf b = {0};
		point_print(&b, point, false);
		diag(DIAG_SEMANTIC, first->tok, "at", "probe point mismatch: no probe point family takes '%s' "
		     "(see stap --dump-probe-types)", b.s);
		free(b.s);
		d->errors++;
		return;
	}
	if (depth >= point->components.len) {
		// a glob matched names whose probes all failed: blame the glob
		for (depth = 0; depth < point->components.len - 1; depth++)
			if (has_glob(((Node *)VEC_AT(&point->components, depth))->name))
				break;
	}
	Node *bad = VEC_AT(&point->components, depth);
	// names that would fit at this depth after the same prefix
	Sugg sugg[64];
	int ns = 0;
	for (int i = 0; i < n; i++) {
		const Pattern *t = nth_target(i);
		if (t->ncomp <= depth || !prefix_fits(point, t, depth))
			continue;
		const char *name = t->comp[depth].name;
		bool dup = false;
		for (int k = 0; k < ns; k++)
			dup |= sugg[k].name == name;
		if (dup || ns == (int)ARRAY_SIZE(sugg))
			continue;
		sugg[ns].name = name;
		sugg[ns].dist = edit_distance(bad->name, name);
		ns++;
	}
	// closest first (ties: shorter, then alphabetical), at most 5, only
	// reasonably close ones
	for (int i = 1; i < ns; i++)
		for (int k = i; k > 0 && sugg_before(&sugg[k], &sugg[k - 1]); k--) {
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
	const char *what = wildcard ? "probe point mismatch: didn't find any wildcard matches"
				    : "probe point mismatch";
	diag(DIAG_SEMANTIC, first->tok, "saw", "while resolving probe point");
	if (shown)
		diag(DIAG_SEMANTIC, bad->tok, "saw", "%s (similar: %s)", what, b.s);
	else
		diag(DIAG_SEMANTIC, bad->tok, "saw", "%s", what);
	free(b.s);
	d->errors++;
}

//
// Derivation
//

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

// cond && more (either may be NULL).
static Node *and_cond(Node *cond, Node *more)
{
	if (!cond || !more)
		return cond ? cond : more;
	Node *n = node_new(N_LOGICAL, cond->tok);
	n->op = intern0("&&");
	n->lhs = cond;
	n->rhs = more;
	return n;
}

static void derive_alias(Deriver *d, Node *point, Node *body, Match *m)
{
	Node *a = m->alias;
	if (alias_on_chain(d, a)) {
		if (!mute) {
			diag(DIAG_SEMANTIC, point->tok, "at", "recursive probe alias '%s'",
			     ((Node *)VEC_AT(&((Node *)VEC_AT(&a->names, 0))->components, 0))->name);
			d->errors++;
		}
		return;
	}
	elaborate_use_file(d->s, a->file);
	const char *saved_list = d->list_pp;
	if (!d->chain.len) {
		// -l shows the alias (with the user's suffix, without '?' or
		// '!'), not its targets
		Buf b = {0};
		buf_puts(&b, m->key);
		for (int i = m->consumed; i < point->components.len; i++) {
			Node *c = VEC_AT(&point->components, i);
			buf_printf(&b, ".%s", c->name);
			if (c->arg) {
				buf_putc(&b, '(');
				dump_node(&b, c->arg);
				buf_putc(&b, ')');
			}
		}
		d->list_pp = arena_strdup(b.s);
		free(b.s);
	}
	vec_push(&d->chain, a);
	Node *saved_suffix = d->suffix_of;
	int saved_start = d->suffix_start;
	bool suffix = m->consumed < point->components.len;
	if (suffix) {
		d->suffix_of = point;
		d->suffix_start = m->consumed;
	}
	Node *wrapped = wrap_body(a, body);
	for (int t = 0; t < a->points.len; t++) {
		Node *target = VEC_AT(&a->points, t);
		Node *np = node_new(N_PROBE_POINT, target->tok);
		for (int i = 0; i < target->components.len; i++)
			vec_push(&np->components, VEC_AT(&target->components, i));
		for (int i = m->consumed; i < point->components.len; i++)
			vec_push(&np->components, VEC_AT(&point->components, i));
		np->optional = target->optional;
		np->sufficient = target->sufficient;
		np->cond = and_cond(target->cond, point->cond);
		if (derive_point(d, np, wrapped) && np->sufficient)
			break;
	}
	d->suffix_of = saved_suffix;
	d->suffix_start = saved_start;
	d->list_pp = saved_list;
	d->chain.len--;
}

static void derive_pattern(Deriver *d, Node *point, Node *body, Match *m)
{
	Pattern *pat = m->pat;
	Probe *p = NEW(Probe);
	p->provider = pat->prov;
	p->decl = d->decl;
	p->point = concrete_point(pat, m, point);
	p->tok = d->top->tok;
	p->list_pp = d->list_pp;
	p->optional = point->optional || d->optional;
	p->cond = point->cond ? node_copy(point->cond) : NULL;
	p->body = node_copy(body);
	p->chain_aliases.items = arena_alloc(sizeof(void *) * (d->chain.len + 1));
	if (d->chain.len)
		memcpy(p->chain_aliases.items, d->chain.items, sizeof(void *) * d->chain.len);
	p->chain_aliases.len = d->chain.len;
	p->chain_aliases.cap = d->chain.len + 1;
	Buf b = {0};
	point_print(&b, p->point, false);
	if (point->sufficient)
		buf_putc(&b, '!');
	else if (point->optional)
		buf_putc(&b, '?');
	p->pp = arena_strdup(b.s);
	free(b.s);
	int errs = diag_semantic_errors;
	Vec more = {0};
	if (!pat->prov->derive(d->s, p, pat->index, &more)) {
		if (!mute)
			d->errors += diag_semantic_errors == errs ? 1 : diag_semantic_errors - errs;
		return;
	}
	for (int k = 0; k < more.len; k++)
		vec_push(d->out, VEC_AT(&more, k));
}

// Derive one point; true when it produced probes without errors.
static bool derive_point(Deriver *d, Node *point, Node *body)
{
	if (d->depth >= 64) {
		if (!mute) {
			diag(DIAG_SEMANTIC, point->tok, "at", "probe alias expansion too deep (recursive alias?)");
			d->errors++;
		}
		return false;
	}
	d->depth++;
	int before = d->out->len, errs = d->errors;
	Vec matches = {0};
	find_matches(d, point, &matches);
	bool glob = point_has_glob(point);
	if (glob && matches.len)
		qsort(matches.items, matches.len, sizeof(void *), cmp_match);
	bool quiet = glob || point->optional;
	mute += quiet;
	d->optional += point->optional;
	for (int i = 0; i < matches.len; i++) {
		Match *m = VEC_AT(&matches, i);
		if (m->alias)
			derive_alias(d, point, body, m);
		else
			derive_pattern(d, point, body, m);
	}
	d->optional -= point->optional;
	mute -= quiet;
	d->depth--;
	if (d->out->len > before)
		return d->errors == errs;
	if (point->optional || d->optional || mute)
		return false;
	if (!matches.len || glob)
		mismatch(d, point, glob);
	return false;
}

// Derive every point of a probe declaration.
int derive_probe(Session *s, Node *decl, Vec *out)
{
	ensure_index(s);
	Deriver d = {.s = s, .decl = decl, .out = out};
	for (int i = 0; i < decl->points.len; i++) {
		Node *pt = VEC_AT(&decl->points, i);
		int before = out->len, errs = d.errors;
		d.top = pt;
		bool ok = derive_point(&d, pt, decl->body);
		if (out->len == before && d.errors == errs && !pt->optional) {
			Buf b = {0};
			point_print(&b, pt, false);
			diag(DIAG_SEMANTIC, pt->tok, "at", "no match for probe point '%s'", b.s);
			free(b.s);
			d.errors++;
		}
		if (ok && pt->sufficient)
			break;
	}
	return d.errors;
}

// Alias names take no arguments (SystemTap refuses them when the alias
// is registered).
bool probe_alias_valid(Node *alias)
{
	for (int k = 0; k < alias->names.len; k++) {
		Node *n = VEC_AT(&alias->names, k);
		for (int i = 0; i < n->components.len; i++) {
			Node *c = VEC_AT(&n->components, i);
			if (c->arg) {
				diag(DIAG_SEMANTIC, alias->tok, "saw", "while registering probe alias");
				diag(DIAG_SEMANTIC, c->tok, "saw", "alias component %s contains illegal parameter",
				     c->name);
				return false;
			}
		}
	}
	return true;
}

// All patterns, for --dump-probe-types: sorted component by component (a
// name without an argument before the same name with one), unique.
static int cmp_pattern(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	for (;;) {
		size_t nx = strcspn(x, ".("), ny = strcspn(y, ".(");
		size_t n = nx < ny ? nx : ny;
		int c = memcmp(x, y, n);
		if (c || nx != ny)
			return c ? c : nx < ny ? -1 : 1;
		x += nx;
		y += ny;
		if (*x != *y) {
			if (!*x || !*y)
				return !*x ? -1 : 1;
			return *x == '.' ? -1 : 1; // no argument first
		}
		if (!*x)
			return 0;
		if (*x == '(') {
			size_t ax = strcspn(x, ")"), ay = strcspn(y, ")");
			c = strncmp(x, y, ax < ay ? ay : ax);
			if (c)
				return c;
			x += ax + 1;
			y += ay + 1;
			if (*x != *y)
				return !*x ? -1 : !*y ? 1 : 0;
			if (!*x)
				return 0;
		}
		x++;
		y++;
	}
}

void dump_probe_types(FILE *out)
{
	Vec v = {0};
	for (int i = 0; providers[i]; i++)
		for (int j = 0; providers[i]->patterns[j]; j++)
			vec_push(&v, (void *)providers[i]->patterns[j]);
	qsort(v.items, v.len, sizeof(void *), cmp_pattern);
	for (int i = 0; i < v.len; i++)
		if (!i || strcmp(VEC_AT(&v, i), VEC_AT(&v, i - 1)))
			fprintf(out, "%s\n", (char *)VEC_AT(&v, i));
}

//
// Target variables: the providers resolve them (Provider.target_*); here
// the asking, once per node, and the errors for what is left.
//

bool probe_is_return(Probe *p)
{
	const Provider *pv = p ? p->provider : NULL;
	if (!pv)
		return false;
	return pv->is_return ? pv->is_return(p) : (p->flags & pv->return_flag) != 0;
}

Type target_resolve(Session *s, Probe *p, Node *n, TargetUse use)
{
	if (n->tstate > 0 && use != TV_WRITE)
		return n->type;
	// @cast is typed by the kernel's BTF wherever it is, probe or function
	bool cast = n->kind == N_CAST;
	if (!cast && (!p || !p->provider || !p->provider->target_type)) {
		if (use != TV_DEFINED)
			diag(DIAG_SEMANTIC, n->tok, "saw", "unresolved target-symbol expression");
		n->tstate = -1;
		return T_UNKNOWN;
	}
	Type t = cast ? btfvar_cast(s, n, use) : p->provider->target_type(s, p, n, use);
	if (t) {
		n->tstate = 1;
		n->type = t;
	} else if (use != TV_DEFINED) {
		n->tstate = -1;
	}
	return t;
}

typedef struct {
	Session *s;
	Probe *probe;
	int errors;
	PtrMap seen; // Func*: bodies walked (those the live probes reach)
} TargetWalk;

static void target_walk(Node *n, void *arg);

static void target_one(TargetWalk *w, Node *n, TargetUse use)
{
	if (n->kind != N_TARGET && n->kind != N_CAST) {
		target_walk(n, w);
		return;
	}
	if (n->kind == N_CAST)
		target_walk(n->lhs, w);
	for (int i = 0; i < n->nmembers; i++)
		if (n->members[i].index)
			target_walk(n->members[i].index, w);
	if (use == TV_READ && n->tstate > 0)
		return;
	int before = diag_semantic_errors;
	if (!target_resolve(w->s, w->probe, n, use))
		w->errors += diag_semantic_errors > before ? diag_semantic_errors - before : 1;
}

static void target_walk(Node *n, void *arg)
{
	TargetWalk *w = arg;
	if (!n)
		return;
	switch (n->kind) {
	case N_TARGET:
	case N_CAST:
		target_one(w, n, TV_READ);
		return;
	case N_ASSIGN:
		target_one(w, n->lhs, TV_WRITE);
		target_walk(n->rhs, w);
		return;
	case N_PRE_INC:
	case N_POST_INC:
		target_one(w, n->lhs, TV_WRITE);
		return;
	case N_DEFINED:
		return;
	case N_CALL:
		for (Func *f = n->func; f; f = f->next_overload) {
			if (ptrmap_get(&w->seen, f) || f->decl->is_embedded)
				continue;
			ptrmap_put(&w->seen, f, (void *)1);
			Probe *saved = w->probe;
			w->probe = NULL; // no target variables in functions
			target_walk(f->decl->body, w);
			w->probe = saved;
		}
		node_children(n, target_walk, w);
		return;
	default:
		node_children(n, target_walk, w);
	}
}

int target_report(Session *s)
{
	TargetWalk w = {.s = s};
	for (int i = 0; i < s->probes.len; i++) {
		Probe *p = VEC_AT(&s->probes, i);
		if (p->elided)
			continue;
		w.probe = p;
		target_walk(p->body, &w);
	}
	free(w.seen.keys);
	free(w.seen.vals);
	return w.errors;
}

// The token after the bracket that closes the one t opens (open/close:
// "(" ")" or "[" "]").
static Token *past_brackets(Token *t, const char *open, const char *close)
{
	int depth = 0;
	for (; t; t = t->next) {
		if (tok_is(t, open))
			depth++;
		else if (tok_is(t, close) && --depth == 0)
			break;
	}
	return t ? t->next : NULL;
}

// The parser keeps no token per member: find it after the target's own
// token ("$p" "->" "f" "[" ... "]" "$"; "@cast" "(" ... ")" "->" ...).
Token *member_token(Node *n, int i)
{
	Token *t = n->tok ? n->tok->next : NULL;
	if (t && (n->kind == N_CAST || n->kind == N_ATVAR) && tok_is(t, "("))
		t = past_brackets(t, "(", ")");
	for (int k = 0; t && k < n->nmembers; k++) {
		Token *mine = t;
		switch (n->members[k].kind) {
		case M_FIELD:
			if (!tok_is(t, "->"))
				return n->tok;
			t = t->next ? t->next->next : NULL;
			break;
		case M_INDEX: {
			if (!tok_is(t, "["))
				return n->tok;
			t = past_brackets(t, "[", "]");
			break;
		}
		default:
			// a suffix: its own "$" token, "->$", or part of a word
			if (tok_is(t, "->"))
				t = t->next;
			if (t && t->kind == TK_IDENT && t->text[0] == '$' && strspn(t->text, "$") == t->len)
				t = t->next;
			break;
		}
		if (k == i)
			return mine;
	}
	return n->tok;
}

static const char *alt_want;

static int cmp_alternative(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	int dx = edit_distance(alt_want, x), dy = edit_distance(alt_want, y);
	return dx != dy ? dx - dy : strcmp(x, y);
}

void sort_alternatives(Vec *names, const char *want)
{
	alt_want = want;
	if (names->len > 1)
		qsort(names->items, names->len, sizeof(void *), cmp_alternative);
}
