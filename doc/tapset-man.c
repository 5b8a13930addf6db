/*
 * tapset-man - the tapset reference man pages, from the tapset's doc comments.
 *
 *   tapset-man [-c] [-V VERSION] -o OUTDIR TAPSETDIR...
 *
 * Reads every .stp file under each TAPSETDIR (recursively, in name order)
 * and writes into OUTDIR:
 *
 *   function::NAME.3stap  a function, its overloads (same name, other arity)
 *                         on the same page
 *   probe::NAME.3stap     a probe alias
 *   tapset::FILE.3stap    what FILE.stp defines (files of the same name in
 *                         several directories share one page)
 *
 * Names starting with '_' are internal: they get no page.
 *
 * A doc comment is kernel-doc style: a comment opened by a slash and two
 * stars, right before what it documents, whose lines read
 *
 *    * sfunction NAME - one-line summary       (or: probe NAME - summary)
 *    * @arg: what it is                         (a probe's values likewise)
 *    *
 *    * Description: free text; blank lines separate paragraphs, lines
 *    *   indented further are kept as they are (examples).
 *    * Context: (Returns:, Note:, Example:, Deprecated:) likewise
 *
 * With -c, every problem of the doc comments is printed on stdout as
 * "FILE:LINE: CHECK: message" and the exit status is 1 if there was one.
 * CHECK is one of: documented (a public function or probe alias without a
 * doc comment), summary (no "KIND NAME - summary" first line), name (the
 * comment names something else than what follows it), params (an @arg that
 * is no parameter, a parameter without @arg).
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- memory ---- */

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p) {
		fprintf(stderr, "tapset-man: out of memory\n");
		exit(2);
	}
	return p;
}

static char *xstrndup(const char *s, size_t n)
{
	char *d = xrealloc(NULL, n + 1);

	memcpy(d, s, n);
	d[n] = 0;
	return d;
}

static char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

/* append one element to a growable array */
#define PUSH(arr, n, v) do { \
		(arr) = xrealloc((arr), ((n) + 1) * sizeof(*(arr))); \
		(arr)[(n)++] = (v); \
	} while (0)

/* a growable string */
struct buf {
	char *s;
	size_t len, cap;
};

static void buf_addn(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->s = xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = 0;
}

static void buf_add(struct buf *b, const char *s)
{
	buf_addn(b, s, strlen(s));
}

static void buf_printf(struct buf *b, const char *fmt, ...)
{
	char *s;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0) {
		fprintf(stderr, "tapset-man: out of memory\n");
		exit(2);
	}
	buf_addn(b, s, n);
	free(s);
}

static char *buf_take(struct buf *b)
{
	char *s = b->s ? b->s : xstrdup("");

	memset(b, 0, sizeof(*b));
	return s;
}

/* ---- the model ---- */

struct arg {			/* "@name: text" of a doc comment */
	char *name, *text;
};

struct section {		/* "Description: text" ... */
	char *title;		/* as the man page heading: "DESCRIPTION" */
	char *text;		/* lines; an empty line separates paragraphs */
};

struct doc {
	char *kind;		/* "sfunction", "probe", "global"... */
	char *name;
	char *summary;		/* NULL when the first line has none */
	struct arg *args;
	int nargs;
	struct section *secs;
	int nsecs;
	struct tfile *file;
	int line;
};

struct param {
	char *name, *type;
};

struct decl {
	bool probe;		/* probe alias, else function */
	char **names;		/* a probe alias may have several */
	int nnames;
	char *type;		/* function: return type, "unknown" if none */
	struct param *params;
	int nparams;
	char **vars;		/* probe alias: variables its body sets */
	int nvars;
	struct doc *doc;
	bool file_local;	/* declared "private" */
	struct tfile *file;
	int line;
};

struct tfile {
	char *path;		/* as found: "tapset/linux/vfs.stp" */
	char *rel;		/* below its tapset directory: "linux/vfs.stp" */
	char *base;		/* "vfs" */
	char *header;		/* the leading // comment, lines joined by \n */
	struct decl **decls;
	int ndecls;
};

static struct tfile **files;
static int nfiles;
static struct decl **decls;
static int ndecls;
static bool check_mode;

struct problem {
	const char *path;
	int line, seq;
	char *text;		/* "CHECK: message" */
};

static struct problem *problems;
static int nproblems;

static void problem(struct tfile *f, int line, const char *check,
		    const char *fmt, ...)
{
	struct problem p = { f->path, line, nproblems, NULL };
	struct buf b = { 0 };
	char *msg;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		exit(2);
	va_end(ap);
	buf_printf(&b, "%s: %s", check, msg);
	free(msg);
	p.text = buf_take(&b);
	PUSH(problems, nproblems, p);
}

static int cmp_problem(const void *a, const void *b)
{
	const struct problem *p = a, *q = b;
	int c = strcmp(p->path, q->path);

	if (c)
		return c;
	return p->line != q->line ? p->line - q->line : p->seq - q->seq;
}

/* by file and line */
static void print_problems(void)
{
	int k;

	if (nproblems)
		qsort(problems, nproblems, sizeof(*problems), cmp_problem);
	for (k = 0; k < nproblems; k++)
		printf("%s:%d: %s\n", problems[k].path, problems[k].line,
		       problems[k].text);
}

static bool internal(const char *name)
{
	return name[0] == '_';
}

/* not for scripts: no page, no doc comment needed */
static bool hidden(struct decl *d)
{
	return d->file_local || internal(d->names[0]);
}

/* ---- doc comments ---- */

static const char *const section_names[][2] = {
	{ "description", "DESCRIPTION" }, { "context", "CONTEXT" },
	{ "returns", "RETURN VALUE" }, { "return", "RETURN VALUE" },
	{ "notes", "NOTES" }, { "note", "NOTES" },
	{ "examples", "EXAMPLES" }, { "example", "EXAMPLES" },
	{ "deprecated", "DEPRECATED" },
};

/* "Description: text" -> its heading, *rest = "text" */
static const char *section_start(const char *l, const char **rest)
{
	size_t i, n;

	for (i = 0; i < sizeof(section_names) / sizeof(section_names[0]); i++) {
		n = strlen(section_names[i][0]);
		if (strncasecmp(l, section_names[i][0], n) == 0 && l[n] == ':') {
			*rest = l + n + 1;
			while (**rest == ' ' || **rest == '\t')
				(*rest)++;
			return section_names[i][1];
		}
	}
	return NULL;
}

/* "@name: text" -> name length, *rest = "text"; 0 if not an @arg line */
static size_t arg_start(const char *l, const char **rest)
{
	size_t n = 1;

	if (l[0] != '@')
		return 0;
	while (isalnum((unsigned char)l[n]) || l[n] == '_' || l[n] == '.')
		n++;
	if (n == 1 || l[n] != ':')
		return 0;
	*rest = l + n + 1;
	while (**rest == ' ' || **rest == '\t')
		(*rest)++;
	return n - 1;
}

static void append_line(char **text, const char *l, const char *sep)
{
	struct buf b = { 0 };

	if (*text && **text) {
		buf_add(&b, *text);
		buf_add(&b, sep);
	}
	buf_add(&b, l);
	free(*text);
	*text = buf_take(&b);
}

static char *rtrim(char *s)
{
	size_t n = strlen(s);

	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = 0;
	return s;
}

static char *ltrim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/*
 * The text inside a doc comment: its lines with the leading " * " taken
 * off (one space more, or a tab, marks a preformatted line of a section).
 */
static struct doc *parse_doc(struct tfile *f, int line, const char *s, size_t n)
{
	struct doc *d = xrealloc(NULL, sizeof(*d));
	enum { HEAD, ARGS, SECTION } where = HEAD;
	char *text = xstrndup(s, n), *l, *next;
	char **sec_text = NULL;
	bool blank = false, in_arg = false;

	memset(d, 0, sizeof(*d));
	d->file = f;
	d->line = line;
	for (l = text; l; l = next) {
		const char *rest, *title;
		size_t an;

		next = strchr(l, '\n');
		if (next)
			*next++ = 0;
		l = ltrim(l);
		if (*l == '*')
			l++;
		if (*l == ' ')
			l++;
		rtrim(l);
		if (!*l) {
			blank = true;
			in_arg = false;
			if (where == HEAD && d->kind)
				where = ARGS;
			continue;
		}
		if (!d->kind) {		/* "KIND NAME - summary" */
			char *sp = strpbrk(l, " \t"), *dash;

			d->kind = xstrndup(l, sp ? (size_t)(sp - l) : strlen(l));
			l = ltrim(sp ? sp : l + strlen(l));
			dash = strstr(l, " - ");
			if (!dash)
				dash = l + strlen(l);
			d->name = rtrim(xstrndup(l, dash - l));
			if (*dash && *ltrim(dash + 3))
				d->summary = xstrdup(ltrim(dash + 3));
			blank = false;
			continue;
		}
		if ((an = arg_start(l, &rest))) {
			struct arg a = { xstrndup(l + 1, an), xstrdup(rest) };

			PUSH(d->args, d->nargs, a);
			where = ARGS;
			in_arg = true;
			blank = false;
			continue;
		}
		if (where == HEAD && !blank && d->summary) {
			append_line(&d->summary, ltrim(l), " ");
			continue;
		}
		if (in_arg) {
			append_line(&d->args[d->nargs - 1].text, ltrim(l), " ");
			continue;
		}
		title = section_start(l, &rest);
		if (!title && where != SECTION) {
			/* text without a heading describes */
			title = "DESCRIPTION";
			rest = l;
		}
		if (title) {
			struct section sec = { xstrdup(title), NULL };

			PUSH(d->secs, d->nsecs, sec);
			sec_text = &d->secs[d->nsecs - 1].text;
			where = SECTION;
			if (*rest)
				append_line(sec_text, rest, "\n");
		} else {	/* a blank line breaks paragraphs */
			append_line(sec_text, l, blank ? "\n\n" : "\n");
		}
		blank = false;
	}
	free(text);
	if (!d->kind)
		d->kind = xstrdup("");
	if (!d->name)
		d->name = xstrdup("");
	return d;
}

/* ---- scanning a tapset file ---- */

struct scan {
	struct tfile *f;
	const char *s;
	size_t i, n;
	int line;
};

static bool at(struct scan *sc, const char *lit)
{
	return strncmp(sc->s + sc->i, lit, strlen(lit)) == 0;
}

static void advance(struct scan *sc, size_t k)
{
	while (k-- && sc->i < sc->n)
		if (sc->s[sc->i++] == '\n')
			sc->line++;
}

static void skip_to(struct scan *sc, const char *end)
{
	while (sc->i < sc->n && !at(sc, end))
		advance(sc, 1);
	advance(sc, strlen(end));
}

static void skip_string(struct scan *sc)
{
	advance(sc, 1);
	while (sc->i < sc->n && sc->s[sc->i] != '"') {
		if (sc->s[sc->i] == '\\')
			advance(sc, 1);
		advance(sc, 1);
	}
	advance(sc, 1);
}

/* white space and comments that are not doc comments */
static void skip_blank(struct scan *sc)
{
	for (;;) {
		if (sc->i >= sc->n)
			return;
		if (isspace((unsigned char)sc->s[sc->i]))
			advance(sc, 1);
		else if (at(sc, "//") || sc->s[sc->i] == '#')
			skip_to(sc, "\n");
		else if (at(sc, "/*") && !(at(sc, "/**") && !at(sc, "/**/")))
			skip_to(sc, "*/");
		else
			return;
	}
}

static bool ident_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

static char *read_ident(struct scan *sc)
{
	size_t b = sc->i;

	while (sc->i < sc->n && ident_char(sc->s[sc->i]))
		sc->i++;
	return sc->i > b ? xstrndup(sc->s + b, sc->i - b) : NULL;
}

/* ":type", or "unknown" */
static char *read_type(struct scan *sc)
{
	char *t;

	skip_blank(sc);
	if (sc->i < sc->n && sc->s[sc->i] == ':') {
		advance(sc, 1);
		skip_blank(sc);
		t = read_ident(sc);
		if (t)
			return t;
	}
	return xstrdup("unknown");
}

/* after "function": NAME[:TYPE] (PARAM[:TYPE], ...) */
static struct decl *parse_function(struct scan *sc)
{
	struct decl *d = xrealloc(NULL, sizeof(*d));
	char *name;

	memset(d, 0, sizeof(*d));
	d->file = sc->f;
	skip_blank(sc);
	d->line = sc->line;
	name = read_ident(sc);
	if (!name) {
		free(d);
		return NULL;
	}
	PUSH(d->names, d->nnames, name);
	d->type = read_type(sc);
	skip_blank(sc);
	if (sc->i < sc->n && sc->s[sc->i] == '(') {
		advance(sc, 1);
		for (;;) {
			struct param p;

			skip_blank(sc);
			if (sc->i >= sc->n || sc->s[sc->i] == ')')
				break;
			p.name = read_ident(sc);
			if (!p.name)
				break;
			p.type = read_type(sc);
			PUSH(d->params, d->nparams, p);
			skip_blank(sc);
			if (sc->i < sc->n && sc->s[sc->i] == ',')
				advance(sc, 1);
		}
		if (sc->i < sc->n && sc->s[sc->i] == ')')
			advance(sc, 1);
	}
	return d;
}

/* a probe point as written: components, (args), '*' */
static char *read_point(struct scan *sc)
{
	size_t b = sc->i;
	int paren = 0;

	while (sc->i < sc->n) {
		char c = sc->s[sc->i];

		if (c == '"') {
			skip_string(sc);
			continue;
		}
		if (c == '(')
			paren++;
		else if (c == ')')
			paren--;
		else if (!paren && !ident_char(c) && c != '.' && c != '*')
			break;
		advance(sc, 1);
	}
	return sc->i > b ? xstrndup(sc->s + b, sc->i - b) : NULL;
}

/* the variables a probe alias's body sets ("name = ..."), at the '{' */
static void body_vars(struct scan *sc, struct decl *d)
{
	int depth = 0;

	do {
		char c = sc->s[sc->i];

		if (c == '"') {
			skip_string(sc);
		} else if (at(sc, "/*")) {
			skip_to(sc, "*/");
		} else if (at(sc, "//") || c == '#') {
			skip_to(sc, "\n");
		} else if (c == '{' || c == '}') {
			depth += c == '{' ? 1 : -1;
			advance(sc, 1);
		} else if (isdigit((unsigned char)c)) {
			while (sc->i < sc->n && ident_char(sc->s[sc->i]))
				advance(sc, 1);
		} else if (ident_char(c)) {
			char prev = sc->i ? sc->s[sc->i - 1] : 0;
			bool member = prev == '.' || prev == '>' || prev == '$' ||
				prev == '@';
			char *id = read_ident(sc);
			size_t j = sc->i;
			int k;

			while (j < sc->n && (sc->s[j] == ' ' || sc->s[j] == '\t'))
				j++;
			for (k = 0; k < d->nvars && strcmp(d->vars[k], id); k++)
				;
			if (member || internal(id) || k < d->nvars ||
			    j + 1 >= sc->n || sc->s[j] != '=' || sc->s[j + 1] == '=')
				free(id);
			else
				PUSH(d->vars, d->nvars, id);
		} else {
			advance(sc, 1);
		}
	} while (depth > 0 && sc->i < sc->n);
}

/*
 * after "probe": POINT[, POINT] { ... } is a probe; NAME[, NAME] = POINTS
 * (or +=) is an alias, and so is NAME = NAME = POINTS.  NULL for a probe.
 */
static struct decl *parse_probe(struct scan *sc)
{
	struct decl *d = xrealloc(NULL, sizeof(*d));
	char **pts = NULL;
	int npts = 0;
	bool alias = false;

	memset(d, 0, sizeof(*d));
	d->probe = true;
	d->file = sc->f;
	skip_blank(sc);
	d->line = sc->line;
	d->type = xstrdup("");
	for (;;) {
		char *p;

		skip_blank(sc);
		p = read_point(sc);
		if (!p)
			break;
		PUSH(pts, npts, p);
		skip_blank(sc);
		if (sc->i < sc->n && sc->s[sc->i] == ',') {
			advance(sc, 1);
			continue;
		}
		if (at(sc, "+=") || (at(sc, "=") && !at(sc, "=="))) {
			/* the points so far are names */
			int k;

			for (k = 0; k < npts; k++)
				PUSH(d->names, d->nnames, pts[k]);
			npts = 0;
			alias = true;
			advance(sc, sc->s[sc->i] == '+' ? 2 : 1);
			continue;
		}
		break;
	}
	while (npts)
		free(pts[--npts]);
	free(pts);
	if (!alias) {
		free(d->names);
		free(d->type);
		free(d);
		return NULL;
	}
	while (sc->i < sc->n && sc->s[sc->i] != '{') {
		if (sc->s[sc->i] == '"')
			skip_string(sc);
		else
			advance(sc, 1);
	}
	body_vars(sc, d);
	return d;
}

static bool decl_has_name(struct decl *d, const char *name)
{
	int k;

	for (k = 0; k < d->nnames; k++)
		if (strcmp(d->names[k], name) == 0)
			return true;
	return false;
}

static void attach(struct doc **pending, struct decl *d)
{
	struct doc *doc = *pending;

	*pending = NULL;
	if (!doc)
		return;
	d->doc = doc;
	if (strcmp(doc->kind, d->probe ? "probe" : "sfunction") != 0 &&
	    strcmp(doc->kind, d->probe ? "probe" : "function") != 0)
		problem(doc->file, doc->line, "name",
			"doc comment '%s %s' is followed by %s %s", doc->kind,
			doc->name, d->probe ? "probe" : "function", d->names[0]);
	else if (!decl_has_name(d, doc->name))
		problem(doc->file, doc->line, "name",
			"doc comment for %s is followed by %s %s", doc->name,
			d->probe ? "probe" : "function", d->names[0]);
}

static void free_doc(struct doc *d)
{
	int k;

	for (k = 0; k < d->nargs; k++) {
		free(d->args[k].name);
		free(d->args[k].text);
	}
	for (k = 0; k < d->nsecs; k++) {
		free(d->secs[k].title);
		free(d->secs[k].text);
	}
	free(d->args);
	free(d->secs);
	free(d->kind);
	free(d->name);
	free(d->summary);
	free(d);
}

static void orphan(struct doc **pending)
{
	struct doc *doc = *pending;

	*pending = NULL;
	if (doc && strcmp(doc->kind, "global") != 0)
		problem(doc->file, doc->line, "name",
			"doc comment for %s documents no function or probe alias",
			doc->name);
	if (doc)
		free_doc(doc);
}

/* the leading "//" comment lines of a file */
static char *file_header(const char *s)
{
	struct buf b = { 0 };

	for (;;) {
		const char *e;

		while (*s == ' ' || *s == '\t')
			s++;
		if (s[0] != '/' || s[1] != '/')
			break;
		s += 2;
		if (*s == ' ')
			s++;
		e = strchrnul(s, '\n');
		buf_addn(&b, s, e - s);
		buf_add(&b, "\n");
		s = *e ? e + 1 : e;
	}
	return buf_take(&b);
}

static void scan_file(struct tfile *f, const char *s, size_t n)
{
	struct scan sc = { f, s, 0, n, 1 };
	struct doc *pending = NULL;
	bool priv = false;	/* "private" came before */
	int depth = 0;

	f->header = file_header(s);
	while (sc.i < sc.n) {
		char c = s[sc.i];
		struct decl *d;

		if (at(&sc, "/**") && !at(&sc, "/**/")) {
			size_t b = sc.i + 3;
			int line = sc.line;

			skip_to(&sc, "*/");
			if (depth == 0) {
				orphan(&pending);
				pending = parse_doc(f, line, s + b,
						    sc.i - 2 > b ? sc.i - 2 - b : 0);
			}
		} else if (at(&sc, "/*")) {
			skip_to(&sc, "*/");
		} else if (at(&sc, "//") || c == '#') {
			skip_to(&sc, "\n");
		} else if (c == '"') {
			skip_string(&sc);
		} else if (at(&sc, "%{")) {
			skip_to(&sc, "%}");
		} else if (c == '{') {
			depth++;
			advance(&sc, 1);
		} else if (c == '}') {
			depth--;
			advance(&sc, 1);
		} else if (ident_char(c)) {
			bool word_start = sc.i == 0 || !(ident_char(s[sc.i - 1]) ||
							 s[sc.i - 1] == '.' || s[sc.i - 1] == '$' ||
							 s[sc.i - 1] == '@');
			char *id = read_ident(&sc);

			if (depth || !word_start) {
				/* inside a body, or part of a name */
			} else if (strcmp(id, "private") == 0) {
				priv = true;
				free(id);
				continue;
			} else if (strcmp(id, "function") == 0) {
				d = parse_function(&sc);
				if (d) {
					d->file_local = priv;
					attach(&pending, d);
					PUSH(f->decls, f->ndecls, d);
				}
			} else if (strcmp(id, "probe") == 0) {
				d = parse_probe(&sc);
				if (d) {
					attach(&pending, d);
					PUSH(f->decls, f->ndecls, d);
				} else {
					orphan(&pending);
				}
			} else if (strcmp(id, "global") == 0) {
				orphan(&pending);
			}
			free(id);
			priv = false;
		} else {
			advance(&sc, 1);
		}
	}
	orphan(&pending);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* every .stp file under dir, in name order */
static void read_dir(const char *root, const char *dir)
{
	DIR *dp = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	int n = 0, k;

	if (!dp) {
		fprintf(stderr, "tapset-man: %s: %s\n", dir, strerror(errno));
		exit(2);
	}
	while ((e = readdir(dp)))
		if (e->d_name[0] != '.')
			PUSH(names, n, xstrdup(e->d_name));
	closedir(dp);
	if (n)
		qsort(names, n, sizeof(*names), cmp_str);
	for (k = 0; k < n; k++) {
		char *path;
		struct stat st;
		size_t len = strlen(names[k]);

		if (asprintf(&path, "%s/%s", dir, names[k]) < 0)
			exit(2);
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
			read_dir(root, path);
		} else if (len > 4 && strcmp(names[k] + len - 4, ".stp") == 0) {
			struct tfile *f = xrealloc(NULL, sizeof(*f));
			FILE *fp = fopen(path, "r");
			struct buf b = { 0 };
			char chunk[65536];
			size_t got;

			if (!fp) {
				fprintf(stderr, "tapset-man: %s: %s\n", path,
					strerror(errno));
				exit(2);
			}
			while ((got = fread(chunk, 1, sizeof(chunk), fp)))
				buf_addn(&b, chunk, got);
			fclose(fp);
			memset(f, 0, sizeof(*f));
			f->path = path;
			f->rel = xstrdup(path + strlen(root) + 1);
			f->base = xstrndup(names[k], len - 4);
			scan_file(f, b.s ? b.s : "", b.len);
			free(b.s);
			PUSH(files, nfiles, f);
			path = NULL;
		}
		free(path);
		free(names[k]);
	}
	free(names);
}

/* ---- checks ---- */

static bool has_param(struct decl *d, const char *name)
{
	int k;

	for (k = 0; k < d->nparams; k++)
		if (strcmp(d->params[k].name, name) == 0)
			return true;
	return false;
}

static bool has_arg(struct doc *doc, const char *name)
{
	int k;

	for (k = 0; doc && k < doc->nargs; k++)
		if (strcmp(doc->args[k].name, name) == 0)
			return true;
	return false;
}

/*
 * The declarations of the function (or probe alias) name of "like", in file
 * order: the public ones, or those private to its file if it is private.
 */
static int find_decls(struct decl *like, struct decl ***out)
{
	struct decl **v = NULL;
	int n = 0, k;

	for (k = 0; k < ndecls; k++) {
		struct decl *d = decls[k];

		if (d->probe == like->probe && decl_has_name(d, like->names[0]) &&
		    d->file_local == like->file_local &&
		    (!d->file_local || d->file == like->file))
			PUSH(v, n, d);
	}
	*out = v;
	return n;
}

static void check(void)
{
	int i, j, k;

	for (i = 0; i < nfiles; i++)
		for (j = 0; j < files[i]->ndecls; j++)
			PUSH(decls, ndecls, files[i]->decls[j]);

	for (i = 0; i < ndecls; i++) {
		struct decl *d = decls[i], **same;
		int n = find_decls(d, &same);
		bool documented = false;

		for (k = 0; k < n; k++)
			documented |= same[k]->doc != NULL;
		if (!documented && !hidden(d)) {
			struct buf b = { 0 };

			for (k = 1; k < d->nnames; k++)
				buf_printf(&b, "%s%s", k == 1 ? " (" : ", ",
					   d->names[k]);
			if (d->nnames > 1)
				buf_add(&b, ")");
			problem(d->file, d->line, "documented",
				"%s %s%s has no doc comment",
				d->probe ? "probe" : "function", d->names[0],
				b.s ? b.s : "");
			free(b.s);
		}
		if (d->doc && !d->doc->summary)
			problem(d->doc->file, d->doc->line, "summary",
				"the doc comment of %s has no one-line summary "
				"('%s NAME - summary')", d->names[0],
				d->probe ? "probe" : "sfunction");
		/* params: against every overload's doc comment */
		if (!d->probe && documented) {
			for (j = 0; j < d->nparams; j++) {
				bool found = false;

				for (k = 0; k < n; k++)
					found |= has_arg(same[k]->doc,
							 d->params[j].name);
				if (!found)
					problem(d->file, d->line, "params",
						"%s: parameter %s has no @%s line",
						d->names[0], d->params[j].name,
						d->params[j].name);
			}
		}
		if (!d->probe && d->doc) {
			for (j = 0; j < d->doc->nargs; j++) {
				bool found = false;

				for (k = 0; k < n; k++)
					found |= has_param(same[k],
							   d->doc->args[j].name);
				if (!found)
					problem(d->doc->file, d->doc->line, "params",
						"%s: @%s is not a parameter of %s",
						d->names[0], d->doc->args[j].name,
						d->names[0]);
			}
		}
		free(same);
	}
}

/* ---- troff ---- */

/*
 * Text for a filled line: troff escapes, "@name" in italics (when names),
 * non-ASCII as \[uXXXX].
 */
static void put_text(FILE *o, const char *s, bool names)
{
	bool bol = true;

	for (; *s; s++) {
		unsigned char c = *s;

		if (bol && (c == '.' || c == '\''))
			fputs("\\&", o);
		bol = c == '\n';
		if (c == '\\') {
			fputs("\\e", o);
		} else if (c == '-') {
			fputs("\\-", o);
		} else if (names && c == '@' && (isalpha((unsigned char)s[1]) ||
						 s[1] == '_')) {
			fputs("\\fI", o);
			while (ident_char(s[1]))
				fputc(*++s, o);
			fputs("\\fR", o);
		} else if (c >= 0x80) {
			unsigned cp = 0;
			int more = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0;

			cp = c & (0x3f >> more);
			while (more-- && (s[1] & 0xc0) == 0x80)
				cp = cp << 6 | (*++s & 0x3f);
			fprintf(o, "\\[u%04X]", cp);
		} else {
			fputc(c, o);
		}
	}
}

/* a section's text: paragraphs; lines indented further kept as they are */
static void put_paragraphs(FILE *o, const char *text, const char *lead,
			   bool names)
{
	char *copy = xstrdup(text), *l, *next;
	bool in_par = false;
	size_t indent = 0;	/* of the preformatted block, 0 outside */

	for (l = copy; l; l = next) {
		size_t ws;

		next = strchr(l, '\n');
		if (next)
			*next++ = 0;
		ws = strspn(l, " \t");
		if (indent && (!*l || !ws)) {
			fputs(".fi\n.RE\n", o);
			indent = 0;
		}
		if (!*l) {
			in_par = false;
			continue;
		}
		if (ws) {	/* preformatted */
			if (!indent)
				fputs(in_par ? ".RS\n.nf\n" : ".PP\n.RS\n.nf\n", o);
			if (!indent)
				indent = ws;
			in_par = true;
			put_text(o, l + (ws < indent ? ws : indent), false);
			fputc('\n', o);
			continue;
		}
		if (!in_par) {
			fputs(".PP\n", o);
			if (lead) {
				put_text(o, lead, false);
				fputc(' ', o);
				lead = NULL;
			}
		}
		in_par = true;
		put_text(o, l, names);
		fputc('\n', o);
	}
	if (indent)
		fputs(".fi\n.RE\n", o);
	free(copy);
}

static const char *summary(struct doc *doc)
{
	return doc->summary ? doc->summary : "(no summary)";
}

static const char *version = "";
static const char *outdir;

static FILE *open_page(const char *kind, const char *name)
{
	char *path, *p;
	FILE *o;

	if (asprintf(&path, "%s/%s::%s.3stap", outdir, kind, name) < 0)
		exit(2);
	o = fopen(path, "w");
	if (!o) {
		fprintf(stderr, "tapset-man: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	free(path);
	fprintf(o, ".\\\" Generated by tapset-man from the tapset's doc "
		"comments: do not edit.\n.TH \"");
	for (p = (char *)kind; *p; p++)
		fputc(toupper((unsigned char)*p), o);
	fputs("::", o);
	for (p = (char *)name; *p; p++)
		fputc(toupper((unsigned char)*p), o);
	fprintf(o, "\" 3stap \"\" \"stap %s\" \"Tapset Reference\"\n", version);
	return o;
}

static void close_page(FILE *o)
{
	if (ferror(o) || fclose(o)) {
		fprintf(stderr, "tapset-man: cannot write a page\n");
		exit(2);
	}
}

static void put_signature(FILE *o, struct decl *d)
{
	struct buf b = { 0 };
	int k;

	buf_printf(&b, "%s:%s (", d->names[0], d->type);
	for (k = 0; k < d->nparams; k++)
		buf_printf(&b, "%s%s:%s", k ? ", " : "", d->params[k].name,
			   d->params[k].type);
	buf_add(&b, ")");
	put_text(o, b.s, false);
	free(b.s);
}

static char *signature(struct decl *d)
{
	char *s;
	size_t n;
	FILE *o = open_memstream(&s, &n);

	put_signature(o, d);
	fclose(o);
	return s;
}

/* the arguments or values of docs[0..n), each name once, in order */
static void put_args(FILE *o, const char *title, struct doc **docs, int n)
{
	int i, j, k, shown = 0;

	fprintf(o, ".SH %s\n", title);
	for (i = 0; i < n; i++) {
		for (j = 0; j < docs[i]->nargs; j++) {
			struct arg *a = &docs[i]->args[j];
			bool seen = false;

			for (k = 0; k < i && !seen; k++)
				seen = has_arg(docs[k], a->name);
			for (k = 0; k < j && !seen; k++)
				seen = strcmp(docs[i]->args[k].name, a->name) == 0;
			if (seen)
				continue;
			fputs(".TP\n.I ", o);
			put_text(o, a->name, false);
			fputc('\n', o);
			put_text(o, *a->text ? a->text : "(not described)", true);
			fputc('\n', o);
			shown++;
		}
	}
	if (!shown)
		fputs("None.\n", o);
}

/* the sections of docs[0..n), DESCRIPTION first; leads[i] numbers doc i */
static void put_sections(FILE *o, struct doc **docs, int n, char **leads)
{
	const char **titles = NULL;
	int nt = 0, i, j, k;

	PUSH(titles, nt, "DESCRIPTION");
	for (i = 0; i < n; i++)
		for (j = 0; j < docs[i]->nsecs; j++) {
			for (k = 0; k < nt && strcmp(titles[k], docs[i]->secs[j].title); k++)
				;
			if (k == nt)
				PUSH(titles, nt, docs[i]->secs[j].title);
		}
	for (k = 0; k < nt; k++) {
		bool any = false;

		for (i = 0; i < n; i++)
			for (j = 0; j < docs[i]->nsecs; j++) {
				if (strcmp(docs[i]->secs[j].title, titles[k]) ||
				    !docs[i]->secs[j].text)
					continue;
				if (!any)
					fprintf(o, ".SH %s\n", titles[k]);
				any = true;
				put_paragraphs(o, docs[i]->secs[j].text,
					       leads ? leads[i] : NULL, true);
			}
	}
	free(titles);
}

static void put_see_also(FILE *o, struct decl **ds, int n, const char *extra)
{
	const char *bases[64];
	int nb = 0, i, k;

	fputs(".SH SEE ALSO\n", o);
	for (i = 0; i < n; i++) {
		bool seen = false;

		for (k = 0; k < nb; k++)
			seen |= strcmp(bases[k], ds[i]->file->base) == 0;
		if (!seen && nb < 64)
			bases[nb++] = ds[i]->file->base;
	}
	for (k = 0; k < nb; k++)
		fprintf(o, ".BR \\%%tapset::%s (3stap),\n", bases[k]);
	if (extra)
		fprintf(o, ".BR \\%%%s (3stap),\n", extra);
	fputs(".BR stap (1)\n", o);
}

/* the first doc comment of a function name, NULL if none */
static struct doc *function_doc(struct decl *like)
{
	struct decl **ds;
	struct doc *doc = NULL;
	int n = find_decls(like, &ds), k;

	for (k = 0; k < n && !doc; k++)
		doc = ds[k]->doc;
	free(ds);
	return doc;
}

static void function_page(struct decl *like)
{
	const char *name = like->names[0];
	struct decl **ds, **uniq = NULL;
	struct doc **docs = NULL;
	char **sigs = NULL, **leads = NULL;
	int n = find_decls(like, &ds), nu = 0, nsigs = 0, ndocs = 0;
	int i, k;
	FILE *o;

	/* overloads, each signature once; their doc comments */
	for (i = 0; i < n; i++) {
		char *sig = signature(ds[i]);

		for (k = 0; k < nsigs && strcmp(sigs[k], sig); k++)
			;
		if (k < nsigs) {
			free(sig);
		} else {
			PUSH(sigs, nsigs, sig);
			PUSH(uniq, nu, ds[i]);
		}
		for (k = 0; k < ndocs && docs[k] != ds[i]->doc; k++)
			;
		if (ds[i]->doc && k == ndocs)
			PUSH(docs, ndocs, ds[i]->doc);
	}
	if (!ndocs)
		goto out;
	o = open_page("function", name);
	fprintf(o, ".SH NAME\nfunction::%s \\- ", name);
	put_text(o, summary(docs[0]), false);
	fputs("\n.SH SYNOPSIS\n.nf\n", o);
	for (i = 0; i < nu; i++) {
		if (ndocs > 1)
			fprintf(o, "%d) ", i + 1);
		fprintf(o, "%s\n", sigs[i]);
	}
	fputs(".fi\n", o);
	put_args(o, "ARGUMENTS", docs, ndocs);
	if (ndocs > 1) {
		/* "1)", "2, 3)": the synopsis lines each comment is about */
		leads = xrealloc(NULL, ndocs * sizeof(*leads));
		for (k = 0; k < ndocs; k++) {
			struct buf b = { 0 };

			for (i = 0; i < nu; i++)
				if (uniq[i]->doc == docs[k])
					buf_printf(&b, "%s%d", b.len ? ", " : "", i + 1);
			buf_add(&b, ")");
			leads[k] = buf_take(&b);
		}
	}
	put_sections(o, docs, ndocs, leads);
	put_see_also(o, ds, n, NULL);
	close_page(o);
	for (k = 0; leads && k < ndocs; k++)
		free(leads[k]);
	free(leads);
out:
	for (i = 0; i < nsigs; i++)
		free(sigs[i]);
	free(sigs);
	free(uniq);
	free(docs);
	free(ds);
}

static bool probe_exists(const char *name)
{
	int k;

	for (k = 0; k < ndecls; k++)
		if (decls[k]->probe && decls[k]->doc &&
		    decl_has_name(decls[k], name))
			return true;
	return false;
}

static void probe_page(struct decl *d, const char *name)
{
	struct doc *doc = d->doc;
	char *other = NULL;
	size_t n = strlen(name);
	FILE *o = open_page("probe", name);
	int k;

	fputs(".SH NAME\n", o);
	fprintf(o, "probe::%s \\- ", name);
	put_text(o, summary(doc), false);
	fputs("\n.SH SYNOPSIS\n.nf\n", o);
	put_text(o, name, false);
	fputc('\n', o);
	for (k = 0; k < d->nnames; k++)
		if (strcmp(d->names[k], name)) {
			put_text(o, d->names[k], false);
			fputc('\n', o);
		}
	fputs(".fi\n", o);
	put_args(o, "VALUES", &doc, 1);
	put_sections(o, &doc, 1, NULL);
	/* the entry probe of a .return, the .return of an entry probe */
	if (n > 7 && strcmp(name + n - 7, ".return") == 0)
		other = xstrndup(name, n - 7);
	else if (asprintf(&other, "%s.return", name) < 0)
		exit(2);
	if (probe_exists(other)) {
		char *ref;

		if (asprintf(&ref, "probe::%s", other) < 0)
			exit(2);
		put_see_also(o, &d, 1, ref);
		free(ref);
	} else {
		put_see_also(o, &d, 1, NULL);
	}
	free(other);
	close_page(o);
}

/* an entry of an overview: a function name (once), or a probe alias */
static void overview_entry(FILE *o, struct decl *d)
{
	struct doc *doc = d->probe ? d->doc : function_doc(d);
	int k;

	fputs(".TP\n", o);
	if (doc) {
		for (k = 0; k < d->nnames; k++)
			fprintf(o, "%s.BR \\%%%s::%s (3stap)\n", k ? ".br\n" : "",
				d->probe ? "probe" : "function", d->names[k]);
		put_text(o, summary(doc), false);
		fputc('\n', o);
	} else if (!d->probe) {
		fputs(".B ", o);
		put_signature(o, d);
		fputs("\n(no doc comment)\n", o);
	} else {	/* undocumented (the syscall aliases): its values */
		fputs(".B ", o);
		for (k = 0; k < d->nnames; k++) {
			fputs(k ? ", " : "", o);
			put_text(o, d->names[k], false);
		}
		fputs("\nValues: ", o);
		for (k = 0; k < d->nvars; k++) {
			fputs(k ? ", " : "", o);
			put_text(o, d->vars[k], false);
		}
		fputs(d->nvars ? ".\n" : "none.\n", o);
	}
}

/* the overview of every file named BASE.stp */
static void tapset_page(const char *base)
{
	FILE *o = open_page("tapset", base);
	struct buf b = { 0 };
	const char **seen = NULL;
	int nseen = 0, i, j, k, nf = 0, pass;

	for (i = 0; i < nfiles; i++)
		if (strcmp(files[i]->base, base) == 0)
			buf_printf(&b, "%s%s", nf++ ? ", " : "", files[i]->rel);
	fprintf(o, ".SH NAME\ntapset::%s \\- what ", base);
	put_text(o, b.s, false);
	fprintf(o, " define%s", nf > 1 ? "" : "s");
	free(b.s);
	fputs("\n.SH DESCRIPTION\n", o);
	for (i = 0; i < nfiles; i++)
		if (strcmp(files[i]->base, base) == 0 && *files[i]->header)
			put_paragraphs(o, files[i]->header, NULL, false);
	fputs(".PP\nWhat scripts can use, in the order of the file; "
	      "each documented function and probe alias has a page of its "
	      "own.\n", o);
	for (pass = 0; pass < 2; pass++) {	/* functions, then probes */
		bool any = false;

		for (i = 0; i < nfiles; i++) {
			if (strcmp(files[i]->base, base))
				continue;
			for (j = 0; j < files[i]->ndecls; j++) {
				struct decl *d = files[i]->decls[j];

				if (d->probe != pass || hidden(d))
					continue;
				for (k = 0; !pass && k < nseen &&
					    strcmp(seen[k], d->names[0]); k++)
					;
				if (!pass && k < nseen)
					continue;	/* an overload */
				if (!pass)
					PUSH(seen, nseen, d->names[0]);
				if (!any)
					fputs(pass ? ".SH PROBES\n" : ".SH FUNCTIONS\n", o);
				any = true;
				overview_entry(o, d);
			}
		}
	}
	free(seen);
	fputs(".SH SEE ALSO\n.BR stap (1)\n", o);
	close_page(o);
}

static void write_pages(void)
{
	char **names = NULL;
	int n = 0, i, k;

	for (i = 0; i < ndecls; i++) {
		struct decl *d = decls[i];

		if (d->probe) {
			for (k = 0; d->doc && k < d->nnames; k++)
				if (!internal(d->names[k]) &&
				    !strpbrk(d->names[k], "*("))
					probe_page(d, d->names[k]);
		} else if (!hidden(d)) {
			for (k = 0; k < n && strcmp(names[k], d->names[0]); k++)
				;
			if (k == n) {
				PUSH(names, n, d->names[0]);
				function_page(d);
			}
		}
	}
	free(names);
	for (i = 0; i < nfiles; i++) {
		for (k = 0; k < i && strcmp(files[k]->base, files[i]->base); k++)
			;
		if (k == i)
			tapset_page(files[i]->base);
	}
}

static void usage(void)
{
	fprintf(stderr, "usage: tapset-man [-c] [-V VERSION] -o OUTDIR "
		"TAPSETDIR...\n");
	exit(2);
}

int main(int argc, char **argv)
{
	int c;

	while ((c = getopt(argc, argv, "co:V:")) != -1) {
		switch (c) {
		case 'c': check_mode = true; break;
		case 'o': outdir = optarg; break;
		case 'V': version = optarg; break;
		default: usage();
		}
	}
	if (!outdir || optind == argc)
		usage();
	if (mkdir(outdir, 0777) && errno != EEXIST) {
		fprintf(stderr, "tapset-man: %s: %s\n", outdir, strerror(errno));
		return 2;
	}
	for (; optind < argc; optind++) {
		char *root = xstrdup(argv[optind]);
		size_t n = strlen(root);

		while (n > 1 && root[n - 1] == '/')
			root[--n] = 0;
		read_dir(root, root);
		free(root);
	}
	check();
	if (check_mode)
		print_problems();
	write_pages();
	return check_mode && nproblems ? 1 : 0;
}
