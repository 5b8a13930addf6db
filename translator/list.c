// list.c: what the providers and the library offer, SystemTap's way:
//
//   -l PATTERN            the probe points PATTERN resolves to, one a line
//   -L PATTERN            the same with the variables a handler sees
//                         ("syscall.open name:string argstr:string ...")
//   --dump-probe-types    every provider pattern
//   --dump-probe-aliases  every library alias: "name = target, target"
//   --dump-functions      every library function: "name:type (arg:type)"
//
// Each reads the whole library (pass 1), then prints sorted, de-duplicated
// lines.  Points that fail to resolve are left out silently, as SystemTap
// does; nothing listed is exit status 1.
#include "stap.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int elaborate_functions(Session *s);
void elaborate_index(Session *s);
const char *type_text(Type t);

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

// Print the lines sorted and unique; returns how many.
static int print_sorted(Vec *lines)
{
	if (lines->len)
		qsort(lines->items, lines->len, sizeof(void *), cmp_str);
	int n = 0;
	for (int i = 0; i < lines->len; i++) {
		const char *l = VEC_AT(lines, i);
		if (i && !strcmp(l, VEC_AT(lines, i - 1)))
			continue;
		puts(l);
		n++;
	}
	fflush(stdout);
	return n;
}

// Diagnostics of the listing's own analysis are not the user's business.
static int quiet_begin(void)
{
	fflush(stderr);
	int saved = dup(2);
	int null = open("/dev/null", O_WRONLY);
	if (null >= 0) {
		dup2(null, 2);
		close(null);
	}
	return saved;
}

static void quiet_end(int saved)
{
	fflush(stderr);
	if (saved >= 0) {
		dup2(saved, 2);
		close(saved);
	}
}

//
// -l / -L
//

static bool parse_pattern_script(Session *s)
{
	SrcFile *f = NEW(SrcFile);
	f->name = "<input>";
	f->text = arena_printf("probe %s {}", s->list_pattern);
	f->size = strlen(f->text);
	f->guru = s->guru;
	vec_push(&s->user_files, f);
	int before = diag_parse_errors;
	Token *t = lex_file(f);
	t = preprocess(t, f, s);
	if (diag_parse_errors == before)
		f->ast = parse_file(f, t, s);
	return diag_parse_errors == before && f->ast;
}

static void list_points(Session *s, Vec *lines)
{
	Node *decl = NULL;
	SrcFile *f = VEC_AT(&s->user_files, 0);
	for (int i = 0; i < f->ast->list.len && !decl; i++)
		if (((Node *)VEC_AT(&f->ast->list, i))->kind == N_PROBE)
			decl = VEC_AT(&f->ast->list, i);
	if (!decl)
		return;
	int saved = quiet_begin();
	if (s->list_vars) {
		// the handler's variables: the locals the alias prologues set,
		// resolved and typed (no optimizer: they are never read)
		s->unoptimized = true;
		elaborate(s);
	} else {
		Vec out = {0};
		elaborate_index(s);
		derive_probe(s, decl, &out);
		for (int i = 0; i < out.len; i++)
			vec_push(&s->probes, VEC_AT(&out, i));
	}
	quiet_end(saved);
	// one line per point: the variables every probe of that point has
	// (as SystemTap: a .return with @entry lists what its entry probe
	// and it share; an alias on two functions, their common parameters)
	PtrMap seen = {0};
	Vec pps = {0};
	for (int i = 0; i < s->probes.len; i++) {
		Probe *p = VEC_AT(&s->probes, i);
		if (p->decl != decl)
			continue;
		const char *pp = intern0(p->list_pp ? p->list_pp : p->pp);
		Vec *vars = NEW(Vec);
		for (int k = 0; s->list_vars && k < p->locals.len; k++) {
			Var *v = VEC_AT(&p->locals, k);
			// our own temporaries (@entry's); SystemTap lists
			// the library's "__" locals (__tracepoint_arg_p...)
			if (!strncmp(v->name, "__global_", 9))
				continue;
			vec_push(vars, arena_printf("%s:%s", v->name, type_text(v->type)));
		}
		// then the provider's target variables ("$prev:struct
		// task_struct*"), one a "$" that starts a word
		const char *tv = s->list_vars && p->provider->target_list ? p->provider->target_list(s, p) : NULL;
		while (tv && *tv) {
			const char *e = strstr(tv + 1, " $");
			size_t n = e ? (size_t)(e - tv) : strlen(tv);
			vec_push(vars, arena_strndup(tv, n));
			tv = e ? e + 1 : NULL;
		}
		Vec *have = ptrmap_get(&seen, pp);
		if (!have) {
			ptrmap_put(&seen, pp, vars);
			vec_push(&pps, (void *)pp);
			continue;
		}
		int kept = 0;
		for (int k = 0; k < have->len; k++) {
			const char *v = VEC_AT(have, k);
			bool both = false;
			for (int j = 0; j < vars->len && !both; j++)
				both = !strcmp(v, VEC_AT(vars, j));
			if (both)
				have->items[kept++] = (void *)v;
		}
		have->len = kept;
	}
	for (int i = 0; i < pps.len; i++) {
		const char *pp = VEC_AT(&pps, i);
		Vec *vars = ptrmap_get(&seen, pp);
		Buf b = {0};
		buf_puts(&b, pp);
		for (int k = 0; k < vars->len; k++)
			buf_printf(&b, " %s", (const char *)VEC_AT(vars, k));
		vec_push(lines, arena_strdup(b.s));
		free(b.s);
	}
}

//
// --dump-probe-aliases
//

static void list_aliases(Session *s, Vec *lines)
{
	for (int i = 0; i < s->library_files.len; i++) {
		SrcFile *f = VEC_AT(&s->library_files, i);
		for (int k = 0; f->ast && k < f->ast->list.len; k++) {
			Node *a = VEC_AT(&f->ast->list, k);
			if (a->kind != N_ALIAS)
				continue;
			for (int n = 0; n < a->names.len; n++) {
				Buf b = {0};
				point_print(&b, VEC_AT(&a->names, n), false);
				if (b.s[0] == '_' && !s->verbose) {
					free(b.s);
					continue;
				}
				buf_puts(&b, a->is_append ? " += " : " = ");
				for (int t = 0; t < a->points.len; t++) {
					if (t)
						buf_puts(&b, ", ");
					point_print(&b, VEC_AT(&a->points, t), true);
				}
				vec_push(lines, arena_strdup(b.s));
				free(b.s);
			}
		}
	}
}

//
// --dump-functions
//

static void list_functions(Session *s, Vec *lines)
{
	int saved = quiet_begin();
	elaborate_functions(s);
	quiet_end(saved);
	static const char *const pragmas[] = {"unprivileged", "myproc-unprivileged", "guru"};
	for (int i = 0; i < s->funcs.len; i++) {
		Func *f = VEC_AT(&s->funcs, i);
		if ((f->name[0] == '_' && !s->verbose) || f->decl->is_private)
			continue;
		Buf b = {0};
		buf_printf(&b, "%s:%s (", f->name, type_text(f->type));
		for (int k = 0; k < f->params.len; k++) {
			Var *p = VEC_AT(&f->params, k);
			buf_printf(&b, "%s%s:%s", k ? ", " : "", p->name, type_text(p->type));
		}
		buf_putc(&b, ')');
		for (size_t k = 0; f->decl->is_embedded && k < ARRAY_SIZE(pragmas); k++) {
			const char *c = arena_printf("/* %s */", pragmas[k]);
			if (strstr(f->decl->code, c)) {
				buf_printf(&b, " %s", c);
				break;
			}
		}
		vec_push(lines, arena_strdup(b.s));
		free(b.s);
	}
}

int list_run(Session *s)
{
	library_load(s);
	Vec lines = {0};
	switch (s->dump_kind) {
	case DUMP_PROBE_TYPES:
		dump_probe_types(stdout);
		return 0;
	case DUMP_PROBE_ALIASES:
		list_aliases(s, &lines);
		print_sorted(&lines);
		return 0;
	case DUMP_FUNCTIONS:
		list_functions(s, &lines);
		print_sorted(&lines);
		return 0;
	default:
		break;
	}
	if (!parse_pattern_script(s)) {
		int n = diag_parse_errors;
		fprintf(stderr, "%d parse error%s.\n", n, n == 1 ? "" : "s");
		fprintf(stderr, "Pass 1: parse failed.  [man error::pass1]\n");
		return 1;
	}
	list_points(s, &lines);
	return print_sorted(&lines) ? 0 : 1;
}
