// kinfo_tpsys.c: the SYSTEM ("sched") of each tracepoint, from the build tree.
//
// BTF names tracepoints (btf_trace_<name>) but not their system, and so does the
// image without symbols.  SystemTap itself learns tracepoints from the trace
// headers of the build tree, so we read the same files: every header that
// says `#define TRACE_SYSTEM <sys>` (include/trace/events/*.h, include/ras,
// arch/<arch>/include/asm[/trace]) and the events it defines:
//	TRACE_EVENT(name, ...)        DEFINE_EVENT(class, name, ...)   and kin,
// including through a header's own wrapper macros such as
//	#define DEFINE_WRITEBACK_EVENT(name) DEFINE_EVENT(writeback_class, name, ...)
//	#define DEFINE_X(n) DEFINE_EVENT(cls, x_##n, ...)     (token pasting).
// Missed: tracepoints whose header is not shipped in the headers package
// (drivers' and filesystems' private trace.h files, e.g. those of built-in
// drivers), and names built by macros more indirect than the above.
#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "kinfo-int.h"

struct tok {
	const char *s;
	int len;
	int dir;	// index of the preprocessor line it belongs to, -1 in code
};

// A macro whose argument number `arg` (pasted between prefix and suffix) names
// a tracepoint.
struct evmacro {
	char name[64];
	int arg;
	char prefix[64], suffix[64];
};

static const struct evmacro builtin_macros[] = {
	{ "TRACE_EVENT", 0, "", "" },
	{ "TRACE_EVENT_FN", 0, "", "" },
	{ "TRACE_EVENT_FN_COND", 0, "", "" },
	{ "TRACE_EVENT_CONDITION", 0, "", "" },
	{ "DECLARE_TRACE", 0, "", "" },
	{ "DECLARE_TRACE_CONDITION", 0, "", "" },
	{ "DEFINE_EVENT", 1, "", "" },
	{ "DEFINE_EVENT_FN", 1, "", "" },
	{ "DEFINE_EVENT_PRINT", 1, "", "" },
	{ "DEFINE_EVENT_CONDITION", 1, "", "" },
};

struct scan {
	struct kinfo *ki;
	struct kinfo_tpsys *v;
	size_t n, cap;
	struct evmacro *macros;
	size_t nmacros, capmacros;
};

static int is_ident_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int is_ident(char c)
{
	return is_ident_start(c) || (c >= '0' && c <= '9');
}

// Blanks out comments and backslash-newlines (keeping other newlines).
static void clean(char *s)
{
	for (char *p = s; *p; p++) {
		if (p[0] == '/' && p[1] == '*') {
			char *e = strstr(p + 2, "*/");
			char *end = e ? e + 2 : p + strlen(p);
			for (; p < end; p++)
				if (*p != '\n')
					*p = ' ';
			p--;
		} else if (p[0] == '/' && p[1] == '/') {
			for (; *p && *p != '\n'; p++)
				*p = ' ';
			p--;
		} else if (p[0] == '\\' && p[1] == '\n') {
			p[0] = p[1] = ' ';
		} else if (*p == '"' || *p == '\'') {
			char q = *p;
			for (p++; *p && *p != q && *p != '\n'; p++)
				if (*p == '\\' && p[1])
					p++;
			if (!*p)
				return;
		}
	}
}

static struct tok *tokenize(const char *s, size_t *n_out)
{
	size_t cap = 4096, n = 0;
	struct tok *v = malloc(cap * sizeof(*v));
	int dir = -1, ndir = 0, line_start = 1;

	if (!v)
		return NULL;
	for (const char *p = s; *p; ) {
		if (*p == '\n') {
			dir = -1;
			line_start = 1;
			p++;
			continue;
		}
		if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\f' || *p == '\v') {
			p++;
			continue;
		}
		const char *b = p;
		if (is_ident(*p)) {
			while (is_ident(*p))
				p++;
		} else if (*p == '"' || *p == '\'') {
			char q = *p++;
			while (*p && *p != q && *p != '\n')
				p += (*p == '\\' && p[1]) ? 2 : 1;
			if (*p == q)
				p++;
		} else if (p[0] == '#' && p[1] == '#') {
			p += 2;
		} else {
			if (*p == '#' && line_start)
				dir = ndir++;
			p++;
		}
		line_start = 0;
		if (n == cap) {
			struct tok *nv = realloc(v, 2 * cap * sizeof(*v));
			if (!nv) {
				free(v);
				return NULL;
			}
			v = nv;
			cap *= 2;
		}
		v[n].s = b;
		v[n].len = (int)(p - b);
		v[n].dir = dir;
		n++;
	}
	*n_out = n;
	return v;
}

static int tok_is(const struct tok *t, const char *s)
{
	return (size_t)t->len == strlen(s) && memcmp(t->s, s, (size_t)t->len) == 0;
}

// Splits the argument list starting at the '(' at t[i]: args[k] = [first, last).
// Returns the index after ')' or 0 if unbalanced; at most `max` args kept.
static size_t split_args(const struct tok *t, size_t n, size_t i, size_t (*args)[2],
			 int max, int *nargs)
{
	int depth = 0;
	size_t start = i + 1;

	*nargs = 0;
	for (; i < n; i++) {
		if (t[i].len == 1 && t[i].s[0] == '(') {
			depth++;
		} else if (t[i].len == 1 && t[i].s[0] == ')') {
			if (--depth == 0) {
				if (*nargs < max) {
					args[*nargs][0] = start;
					args[*nargs][1] = i;
				}
				(*nargs)++;
				return i + 1;
			}
		} else if (depth == 1 && t[i].len == 1 && t[i].s[0] == ',') {
			if (*nargs < max) {
				args[*nargs][0] = start;
				args[*nargs][1] = i;
			}
			(*nargs)++;
			start = i + 1;
		}
	}
	return 0;
}

// The next event macro named like t, searching from *pos (a wrapper may name
// several events: DEFINE_IRQ_VECTOR_EVENT(x) makes x_entry and x_exit).
static const struct evmacro *find_macro(struct scan *sc, const struct tok *t, size_t *pos)
{
	for (; *pos < sc->nmacros; (*pos)++)
		if (tok_is(t, sc->macros[*pos].name))
			return &sc->macros[(*pos)++];
	return NULL;
}

static int known_macro(struct scan *sc, const char *name, int arg, const char *prefix,
		       const char *suffix)
{
	for (size_t i = 0; i < sc->nmacros; i++) {
		const struct evmacro *m = &sc->macros[i];

		if (strcmp(m->name, name) == 0 && m->arg == arg &&
		    strcmp(m->prefix, prefix) == 0 && strcmp(m->suffix, suffix) == 0)
			return 1;
	}
	return 0;
}

static void add_macro(struct scan *sc, const struct evmacro *m)
{
	if (sc->nmacros == sc->capmacros) {
		size_t nc = sc->capmacros * 2 + 16;
		struct evmacro *v = realloc(sc->macros, nc * sizeof(*v));
		if (!v)
			return;
		sc->macros = v;
		sc->capmacros = nc;
	}
	sc->macros[sc->nmacros++] = *m;
}

static void add_event(struct scan *sc, const char *name, const char *system, const char *header)
{
	if (sc->n == sc->cap) {
		size_t nc = sc->cap * 2 + 256;
		struct kinfo_tpsys *v = realloc(sc->v, nc * sizeof(*v));
		if (!v)
			return;
		sc->v = v;
		sc->cap = nc;
	}
	sc->v[sc->n].name = kinfo__strdup(&sc->ki->arena, name);
	sc->v[sc->n].system = system;
	sc->v[sc->n].header = header;
	sc->n++;
}

// `#define NAME(params) body`: each event macro the body invokes with one of
// the params (maybe pasted) as the event name makes NAME an event macro too.
// `#define NAME OTHER` makes NAME an alias of the event macro OTHER.
static void scan_define(struct scan *sc, const struct tok *t, size_t a, size_t b)
{
	char params[16][64], name[64];
	int np = 0;
	size_t i = a + 3;

	if (t[a + 2].len >= 64)
		return;
	snprintf(name, sizeof(name), "%.*s", t[a + 2].len, t[a + 2].s);
	if (b - a == 4) {	// object-like alias
		size_t pos = 0;
		const struct evmacro *m;

		while ((m = find_macro(sc, &t[a + 3], &pos)) != NULL) {
			struct evmacro nm = *m;

			snprintf(nm.name, sizeof(nm.name), "%s", name);
			if (!known_macro(sc, nm.name, nm.arg, nm.prefix, nm.suffix))
				add_macro(sc, &nm);
		}
		return;
	}
	if (i >= b || !tok_is(&t[i], "(") || t[i].s != t[a + 2].s + t[a + 2].len)
		return;	// not function-like
	for (i++; i < b && !tok_is(&t[i], ")"); i++)
		if (is_ident_start(t[i].s[0]) && np < 16 && t[i].len < 64)
			snprintf(params[np++], 64, "%.*s", t[i].len, t[i].s);
	for (i++; i < b; i++) {
		size_t pos = 0;
		const struct evmacro *m;

		if (i + 1 >= b || !tok_is(&t[i + 1], "("))
			continue;
		while ((m = find_macro(sc, &t[i], &pos)) != NULL) {
			size_t args[8][2];
			int na, k = -1;
			char pre[64] = "", suf[64] = "";

			if (!split_args(t, b, i + 1, args, 8, &na) || m->arg >= na || m->arg >= 8)
				continue;
			// The name argument: P, X ## P, P ## X or X ## P ## Y.
			size_t f = args[m->arg][0], l = args[m->arg][1], pi = f;
			if (l - f == 3 && tok_is(&t[f + 1], "##")) {
				for (int q = 0; q < np; q++)
					if (tok_is(&t[f + 2], params[q]))
						pi = f + 2;
			} else if (l - f == 5 && tok_is(&t[f + 1], "##") && tok_is(&t[f + 3], "##")) {
				pi = f + 2;
			} else if (l - f != 1) {
				continue;
			}
			for (int q = 0; q < np; q++)
				if (tok_is(&t[pi], params[q]))
					k = q;
			if (k < 0)
				continue;
			if (pi > f && t[f].len < 64)
				snprintf(pre, sizeof(pre), "%.*s", t[f].len, t[f].s);
			if (pi + 2 < l && t[l - 1].len < 64)
				snprintf(suf, sizeof(suf), "%.*s", t[l - 1].len, t[l - 1].s);

			struct evmacro nm;
			snprintf(nm.name, sizeof(nm.name), "%s", name);
			nm.arg = k;
			kinfo__fmt(nm.prefix, sizeof(nm.prefix), "%s%s", pre, m->prefix);
			kinfo__fmt(nm.suffix, sizeof(nm.suffix), "%s%s", m->suffix, suf);
			if (!known_macro(sc, nm.name, nm.arg, nm.prefix, nm.suffix))
				add_macro(sc, &nm);
		}
	}
}

static void scan_file(struct scan *sc, const char *path, const char *rel)
{
	char *text = kinfo__read_file(path, NULL);
	size_t n;
	struct tok *t;
	const char *system = NULL;

	if (!text)
		return;
	if (!strstr(text, "TRACE_SYSTEM")) {
		free(text);
		return;
	}
	clean(text);
	t = tokenize(text, &n);
	if (!t) {
		free(text);
		return;
	}
	sc->nmacros = 0;
	for (size_t i = 0; i < sizeof(builtin_macros) / sizeof(builtin_macros[0]); i++)
		add_macro(sc, &builtin_macros[i]);
	const char *header = NULL;
	for (size_t i = 0; i < n; ) {
		if (t[i].dir >= 0) {
			size_t e = i;
			while (e < n && t[e].dir == t[i].dir)
				e++;
			if (e - i >= 3 && tok_is(&t[i + 1], "define")) {
				if (tok_is(&t[i + 2], "TRACE_SYSTEM") && e - i == 4 &&
				    is_ident_start(t[i + 3].s[0]))
					system = kinfo__strndup(&sc->ki->arena, t[i + 3].s,
								(size_t)t[i + 3].len);
				else
					scan_define(sc, t, i, e);
			}
			i = e;
			continue;
		}
		size_t args[8][2], next, pos = 0;
		int na;
		const struct evmacro *m = find_macro(sc, &t[i], &pos);

		if (!m || i + 1 >= n || !tok_is(&t[i + 1], "(") ||
		    !(next = split_args(t, n, i + 1, args, 8, &na))) {
			i++;
			continue;
		}
		for (; m; m = find_macro(sc, &t[i], &pos)) {
			if (m->arg >= na || m->arg >= 8 || !system ||
			    args[m->arg][1] - args[m->arg][0] != 1)
				continue;
			const struct tok *nt = &t[args[m->arg][0]];
			char name[256];

			if (!is_ident_start(nt->s[0]))
				continue;
			kinfo__fmt(name, sizeof(name), "%s%.*s%s", m->prefix, nt->len, nt->s,
				   m->suffix);
			if (!header)
				header = kinfo__strdup(&sc->ki->arena, rel);
			add_event(sc, name, system, header);
		}
		i = next;
	}
	free(t);
	free(text);
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

// Every *.h of root/rel (sorted for a stable first-wins order).
static void scan_dir(struct scan *sc, const char *root, const char *rel)
{
	char dir[PATH_MAX], path[PATH_MAX], relpath[PATH_MAX];
	DIR *d;
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0;

	snprintf(dir, sizeof(dir), "%s/%s", root, rel);
	if (!(d = opendir(dir)))
		return;
	while ((de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);

		if (l < 3 || strcmp(de->d_name + l - 2, ".h") != 0)
			continue;
		if (n == cap) {
			cap = cap * 2 + 64;
			char **nv = realloc(names, cap * sizeof(*nv));
			if (!nv)
				break;
			names = nv;
		}
		names[n++] = kinfo__strdup(&sc->ki->arena, de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), name_cmp);
	for (size_t i = 0; i < n; i++) {
		kinfo__fmt(path, sizeof(path), "%s/%s", dir, names[i]);
		kinfo__fmt(relpath, sizeof(relpath), "%s/%s", rel, names[i]);
		scan_file(sc, path, relpath);
	}
	free(names);
}

static const char *arch_dir(const char *arch)
{
	if (strcmp(arch, "x86_64") == 0 || strcmp(arch, "i386") == 0 ||
	    strcmp(arch, "i686") == 0)
		return "x86";
	if (strcmp(arch, "aarch64") == 0)
		return "arm64";
	if (strncmp(arch, "ppc", 3) == 0)
		return "powerpc";
	if (strncmp(arch, "riscv", 5) == 0)
		return "riscv";
	return arch;
}

static int tpsys_cmp(const void *a, const void *b)
{
	const struct kinfo_tpsys *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : (x < y ? -1 : x > y);	// keep scan order among equals
}

// The source trees to read: the build dir, and the tree it builds from
// (Debian: BUILD/Makefile says "include /usr/src/linux-headers-REL-common/Makefile").
static int source_roots(struct kinfo *ki, char roots[3][PATH_MAX])
{
	char cand[4][PATH_MAX];
	int nc = 0, nr = 0;
	const char *bd = ki->paths.build_dir;

	if (bd) {
		snprintf(cand[nc++], PATH_MAX, "%s", bd);
		snprintf(cand[nc++], PATH_MAX, "%s/source", bd);
		char mk[PATH_MAX];
		snprintf(mk, sizeof(mk), "%s/Makefile", bd);
		char *text = kinfo__read_file(mk, NULL);
		if (text) {
			char *inc = strstr(text, "include ");
			if (inc && (inc == text || inc[-1] == '\n')) {
				char *p = inc + 8, *e = strstr(p, "/Makefile");
				if (e && !memchr(p, '\n', (size_t)(e - p)))
					snprintf(cand[nc++], PATH_MAX, "%.*s", (int)(e - p), p);
			}
			free(text);
		}
	}
	snprintf(cand[nc++], PATH_MAX, "/lib/modules/%s/source", ki->paths.release);
	for (int i = 0; i < nc && nr < 3; i++) {
		char real[PATH_MAX];
		int dup = 0;

		if (!realpath(cand[i], real))
			continue;
		for (int j = 0; j < nr; j++)
			dup |= strcmp(roots[j], real) == 0;
		if (!dup)
			snprintf(roots[nr++], PATH_MAX, "%s", real);
	}
	return nr;
}

int kinfo__scan_trace_headers(struct kinfo *ki, struct kinfo_tpsys **out, size_t *n)
{
	struct scan sc = { .ki = ki };
	char roots[3][PATH_MAX], rel[256];
	int nr = source_roots(ki, roots);
	const char *ad = arch_dir(ki->paths.arch);

	for (int r = 0; r < nr; r++) {
		scan_dir(&sc, roots[r], "include/trace/events");
		scan_dir(&sc, roots[r], "include/ras");
		snprintf(rel, sizeof(rel), "arch/%s/include/asm/trace", ad);
		scan_dir(&sc, roots[r], rel);
		snprintf(rel, sizeof(rel), "arch/%s/include/asm", ad);
		scan_dir(&sc, roots[r], rel);
	}
	free(sc.macros);
	if (sc.n)
		qsort(sc.v, sc.n, sizeof(*sc.v), tpsys_cmp);
	// Into the arena, first of each name only.
	*out = kinfo__alloc(&ki->arena, (sc.n ? sc.n : 1) * sizeof(**out));
	*n = 0;
	for (size_t i = 0; *out && i < sc.n; i++)
		if (!*n || strcmp((*out)[*n - 1].name, sc.v[i].name) != 0)
			(*out)[(*n)++] = sc.v[i];
	free(sc.v);
	return *out ? 0 : -1;
}
