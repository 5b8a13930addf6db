// library.c: find and parse the tapset library.
//
// Every directory of the search path (our tapset/, then each -I DIR) is
// searched SystemTap's way, most specific subdirectory first:
//   linux/<release>/<arch>, linux/<release>, (shorter releases...),
//   linux/<arch>, linux, <arch>, the directory itself.
// .stpm macro files are read first (their macros are visible everywhere),
// then .stp files.  Library files are parsed in guru mode; a file with
// errors is dropped with a warning (an error under -W).
#include "stap.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int load_one(Session *s, const char *path, bool macros);

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

// Sorted names in dir ending with suffix.
static int list_dir(const char *dir, const char *suffix, char ***out)
{
	DIR *d = opendir(dir);
	if (!d)
		return -1;
	Vec v = {0};
	struct dirent *e;
	size_t sl = strlen(suffix);
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name);
		if (l > sl && !strcmp(e->d_name + l - sl, suffix))
			vec_push(&v, arena_strdup(e->d_name));
	}
	closedir(d);
	if (v.len) // an empty directory has no array (UBSan: qsort(NULL, 0))
		qsort(v.items, v.len, sizeof(char *), cmp_str);
	*out = (char **)v.items;
	return v.len;
}

// The subdirectories to search in one tapset directory, most specific
// first.
static void search_dirs(Session *s, const char *root, Vec *out)
{
	const char *rel = s->pp.kernel_vr;
	const char *arch = s->pp.arch;
	char *v = arena_strdup(rel);
	for (;;) {
		vec_push(out, arena_printf("%s/linux/%s/%s", root, v, arch));
		vec_push(out, arena_printf("%s/linux/%s", root, v));
		char *cut = strrchr(v, '-');
		char *dot = strrchr(v, '.');
		if (dot > cut)
			cut = dot;
		if (!cut)
			break;
		*cut = 0;
	}
	vec_push(out, arena_printf("%s/linux/%s", root, arch));
	vec_push(out, arena_printf("%s/linux", root));
	vec_push(out, arena_printf("%s/%s", root, arch));
	vec_push(out, arena_strdup(root));
}

SrcFile *load_source(const char *path, const char *display, bool library, bool guru)
{
	size_t len;
	char *text = read_file(path, &len);
	if (!text)
		return NULL;
	SrcFile *f = NEW(SrcFile);
	f->name = display ? display : arena_strdup(path);
	f->text = text;
	f->size = len;
	f->library = library;
	f->guru = guru || library;
	size_t pl = strlen(path);
	f->macros_only = pl > 5 && !strcmp(path + pl - 5, ".stpm");
	return f;
}

// Parse one library file; on errors, drop it with a warning.  Returns the
// number of parse errors.
int library_parse_file(Session *s, const char *path)
{
	size_t l = strlen(path);
	return load_one(s, path, l > 5 && !strcmp(path + l - 5, ".stpm"));
}

static int load_one(Session *s, const char *path, bool macros)
{
	SrcFile *f = load_source(path, NULL, true, true);
	if (!f) {
		warn("cannot read tapset file '%s'", path);
		return 1;
	}
	f->index = s->library_files.len;
	int before = diag_parse_errors;
	Token *t = lex_file(f);
	if (macros) {
		if (diag_parse_errors == before)
			collect_macros(t, f, s);
	} else {
		if (diag_parse_errors == before)
			t = preprocess(t, f, s);
		if (diag_parse_errors == before)
			f->ast = parse_file(f, t, s);
	}
	if (diag_parse_errors != before) {
		int n = diag_parse_errors - before;
		// library errors do not fail the user's parse, unless -W
		if (!s->warnings_fatal)
			diag_parse_errors = before;
		if (s->warnings_fatal)
			fprintf(stderr, "semantic error: tapset file '%s' has %d parse error%s\n",
				path, n, n == 1 ? "" : "s");
		else
			warn("tapset file '%s' has %d parse error%s; skipped", path, n,
			     n == 1 ? "" : "s");
		return n;
	}
	vec_push(&s->library_files, f);
	return 0;
}

static void search(Session *s, const char *root, const char *suffix)
{
	Vec dirs = {0};
	search_dirs(s, root, &dirs);
	for (int i = 0; i < dirs.len; i++) {
		const char *dir = VEC_AT(&dirs, i);
		char **names;
		int n = list_dir(dir, suffix, &names);
		if (n < 0)
			continue;
		int processed = 0;
		for (int j = 0; j < n; j++) {
			load_one(s, arena_printf("%s/%s", dir, names[j]), !strcmp(suffix, ".stpm"));
			processed++;
		}
		if (s->verbose >= 2 && n > 0)
			fprintf(stderr, "Searched%s: \"%s\", found: %d, processed: %d\n",
				!strcmp(suffix, ".stpm") ? " for library macro files" : "", dir, n,
				processed);
	}
}

void library_load(Session *s)
{
	Vec roots = {0};
	if (s->tapset_dir)
		vec_push(&roots, (void *)s->tapset_dir);
	for (int i = 0; i < s->include_dirs.len; i++)
		vec_push(&roots, VEC_AT(&s->include_dirs, i));
	for (int i = 0; i < roots.len; i++)
		search(s, VEC_AT(&roots, i), ".stpm");
	for (int i = 0; i < roots.len; i++)
		search(s, VEC_AT(&roots, i), ".stp");
}
