// session.c: the passes, one after the other.
#include "stap.h"
#include "debuginfo/kinfo.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

Session *session;

//
// Facts about the target for %( conditions %)
//

// CONFIG_NAME -> value (interned), read once from the target's .config.
static PtrMap config_map;
static bool config_loaded, config_readable, config_missing_warned;

static void load_config(Session *s)
{
	config_loaded = true;
	char *text = read_file(s->kernel_config_path, NULL);
	if (!text)
		return;
	config_readable = true;
	for (char *p = text; *p;) {
		char *eol = strchr(p, '\n');
		if (!eol)
			eol = p + strlen(p);
		char *eq = memchr(p, '=', eol - p);
		if (p[0] == 'C' && eq) {
			const char *v = eq + 1;
			size_t vl = eol - v;
			if (vl >= 2 && v[0] == '"' && v[vl - 1] == '"') {
				v++;
				vl -= 2;
			}
			ptrmap_put(&config_map, intern(p, eq - p), (void *)intern(v, vl));
		}
		p = *eol ? eol + 1 : eol;
	}
	free(text);
}

static const char *kernel_config(const char *name)
{
	Session *s = session;
	if (!config_loaded)
		load_config(s);
	if (!config_readable) {
		if (!config_missing_warned) {
			config_missing_warned = true;
			warn("kernel configuration '%s' is not readable; %s tests see an empty value "
			     "(use -r RELEASE or install the kernel headers)",
			     s->kernel_config_path, name);
		}
		return "";
	}
	const char *v = ptrmap_get(&config_map, intern0(name));
	return v ? v : "";
}

static const char *exe_dir(void)
{
	char buf[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
	if (n <= 0)
		return ".";
	buf[n] = 0;
	char *slash = strrchr(buf, '/');
	if (slash)
		*slash = 0;
	return arena_strdup(buf);
}

static bool is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

// tapset/ and runtime/ next to the binary: ../tapset in the build tree,
// ../share/systemtap/tapset when installed; environment variables win.
static const char *find_data_dir(const char *env, const char *name)
{
	const char *e = getenv(env);
	if (e && *e)
		return e;
	const char *dir = exe_dir();
	const char *cands[] = {
		arena_printf("%s/../%s", dir, name),
		arena_printf("%s/../share/systemtap/%s", dir, name),
		arena_printf("%s/%s", PKGDATADIR, name),
	};
	for (size_t i = 0; i < ARRAY_SIZE(cands); i++) {
		char *r = realpath(cands[i], NULL);
		if (r && is_dir(r)) {
			const char *out = arena_strdup(r);
			free(r);
			return out;
		}
		free(r);
	}
	return NULL;
}

void session_setup(Session *s)
{
	s->tapset_dir = find_data_dir("SYSTEMTAP_TAPSET", "tapset");
	s->runtime_dir = find_data_dir("SYSTEMTAP_RUNTIME", "runtime");
	s->kernel_config_path = arena_printf("%s/.config", s->build_dir);

	PPEnv *pp = &s->pp;
	pp->kernel_vr = s->release;
	pp->kernel_v = arena_strndup(s->release, strcspn(s->release, "-"));
	pp->arch = s->arch;
	pp->runtime = "kernel";
	pp->systemtap_v = s->compatible ? s->compatible : "4.8";
	pp->privilege = "stapdev";
	pp->guru = s->guru;
	pp->config = kernel_config;
}

//
// -v figures
//

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void cpu_ms(double *user, double *sys)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	*user = ru.ru_utime.tv_sec * 1e3 + ru.ru_utime.tv_usec / 1e3;
	*sys = ru.ru_stime.tv_sec * 1e3 + ru.ru_stime.tv_usec / 1e3;
}

static void pass_start(Session *s)
{
	s->t_start = now_ms();
	cpu_ms(&s->cpu_user, &s->cpu_sys);
}

void session_usage_line(Buf *b, Session *s)
{
	long page = sysconf(_SC_PAGESIZE) / 1024;
	unsigned long size = 0, res = 0, shr = 0, text = 0, lib = 0, data = 0;
	FILE *f = fopen("/proc/self/statm", "r");
	if (f) {
		if (fscanf(f, "%lu %lu %lu %lu %lu %lu", &size, &res, &shr, &text, &lib, &data) != 6)
			size = res = shr = data = 0;
		fclose(f);
	}
	double u, sy;
	cpu_ms(&u, &sy);
	buf_printf(b, "using %luvirt/%lures/%lushr/%ludata kb, in %.0fusr/%.0fsys/%.0freal ms.",
		   size * page, res * page, shr * page, data * page, u - s->cpu_user,
		   sy - s->cpu_sys, now_ms() - s->t_start);
}

//
// Pass 1
//

static SrcFile *user_source(Session *s, const char *text, const char *name)
{
	SrcFile *f = NEW(SrcFile);
	f->name = name;
	f->text = text;
	f->size = strlen(text);
	f->guru = s->guru;
	return f;
}

static void parse_user(Session *s, SrcFile *f)
{
	f->index = s->user_files.len;
	vec_push(&s->user_files, f);
	Token *t = lex_file(f);
	int before = diag_parse_errors;
	if (t->kind == TK_EOF && before == diag_parse_errors) {
		fprintf(stderr, "Input file '%s' is empty.\n", f->name);
		diag_parse_errors++;
		return;
	}
	t = preprocess(t, f, s);
	if (t && t->kind == TK_EOF && before == diag_parse_errors) {
		fprintf(stderr, "Input file '%s' is empty after preprocessing.\n", f->name);
		diag_parse_errors++;
		return;
	}
	f->ast = parse_file(f, t, s);
}

static int pass1(Session *s)
{
	pass_start(s);
	// library macros first: user scripts may use them
	library_load(s);
	int lib_errors = diag_parse_errors;

	if (s->script_text) {
		parse_user(s, user_source(s, s->script_text, "<input>"));
	} else {
		bool stdin_script = !strcmp(s->script_file, "-");
		SrcFile *f = load_source(s->script_file, stdin_script ? "<input>" : NULL, false, s->guru);
		if (!f)
			fatal("cannot read script file '%s': %s", s->script_file, strerror(errno));
		parse_user(s, f);
	}
	for (int i = 0; i < s->extra_scripts.len; i++)
		parse_user(s, user_source(s, VEC_AT(&s->extra_scripts, i),
					  arena_printf("<input%d>", i + 1)));
	(void)lib_errors;

	if (s->verbose) {
		Buf b = {0};
		buf_printf(&b, "Pass 1: parsed user script and %d library scripts ", s->library_files.len);
		session_usage_line(&b, s);
		fprintf(stderr, "%s\n", b.s);
		free(b.s);
	}
	if (diag_parse_errors) {
		int n = diag_parse_errors;
		fprintf(stderr, "%d parse error%s.\n", n, n == 1 ? "" : "s");
		fprintf(stderr, "Pass 1: parse failed.  [man error::pass1]\n");
		return 1;
	}
	if (s->last_pass == 1) {
		printf("# parse tree dump\n");
		for (int i = 0; i < s->user_files.len; i++) {
			SrcFile *f = VEC_AT(&s->user_files, i);
			dump_file(stdout, f->ast);
		}
		printf("\n");
		if (s->verbose) {
			for (int i = 0; i < s->library_files.len; i++) {
				SrcFile *f = VEC_AT(&s->library_files, i);
				if (f->ast)
					dump_file(stdout, f->ast);
				else
					printf("# file %s\n", f->name);
				printf("\n");
			}
		}
	}
	return 0;
}

struct kinfo *session_kinfo(Session *s)
{
	static bool tried;
	static struct kinfo *ki;
	if (!tried) {
		tried = true;
		struct kinfo_err err = {{0}};
		ki = kinfo_open(s->build_dir && strchr(s->release, '/') ? s->build_dir : s->release,
				s->arch, NULL, &err);
		if (!ki && s->verbose)
			fprintf(stderr, "kernel information unavailable: %s\n", err.msg);
	}
	return ki;
}

void auto_print_globals(Session *s);
void drop_unused_vars(Session *s);

static int pass2(Session *s)
{
	pass_start(s);
	int errors = elaborate(s);
	if (s->verbose) {
		int probes = 0, funcs = 0;
		for (int i = 0; i < s->probes.len; i++)
			probes += !((Probe *)VEC_AT(&s->probes, i))->elided;
		for (int i = 0; i < s->funcs.len; i++)
			funcs += ((Func *)VEC_AT(&s->funcs, i))->used;
		Buf b = {0};
		buf_printf(&b, "Pass 2: analyzed script: %d probe%s, %d function%s, %d embed%s, %d global%s ",
			   probes, probes == 1 ? "" : "s", funcs, funcs == 1 ? "" : "s",
			   s->embeds.len, s->embeds.len == 1 ? "" : "s",
			   s->globals.len, s->globals.len == 1 ? "" : "s");
		session_usage_line(&b, s);
		fprintf(stderr, "%s\n", b.s);
		free(b.s);
	}
	if (errors) {
		fprintf(stderr, "Pass 2: analysis failed.  [man error::pass2]\n");
		return 1;
	}
	if (s->last_pass == 2)
		dump_pass2(stdout, s);
	return 0;
}

void build_cleanup(Session *s);
int clean_cache(void);

// Pass 3: the C file, in a fresh temporary directory.
static int pass3(Session *s)
{
	pass_start(s);
	// a cached module for the same program skips passes 3 and 4
	s->cache_key = cache_key(s);
	s->cached_ko = s->last_pass > 3 ? cache_lookup(s, s->cache_key) : NULL;
	if (s->cached_ko) {
		if (s->verbose)
			fprintf(stderr, "Pass 3: using cached %.*s.c\n",
				(int)(strlen(s->cached_ko) - 3), s->cached_ko);
		return 0;
	}
	char tmpl[] = "/tmp/stapXXXXXX";
	const char *base = getenv("TMPDIR");
	char *dir = base && *base ? arena_printf("%s/stapXXXXXX", base) : arena_strdup(tmpl);
	if (!mkdtemp(dir)) {
		fprintf(stderr, "stap: cannot create a temporary directory: %s\n", strerror(errno));
		return 1;
	}
	s->tmpdir = dir;
	s->c_source = arena_printf("%s/stap_src.c", dir);
	FILE *f = fopen(s->c_source, "w");
	if (!f) {
		fprintf(stderr, "stap: cannot write %s: %s\n", s->c_source, strerror(errno));
		return 1;
	}
	int rc = translate(s, f);
	if (fclose(f))
		rc = 1;
	if (rc) {
		fprintf(stderr, "Pass 3: translation failed.  [man error::pass3]\n");
		return 1;
	}
	if (s->verbose) {
		Buf b = {0};
		buf_printf(&b, "Pass 3: translated to C into \"%s\" ", s->c_source);
		session_usage_line(&b, s);
		fprintf(stderr, "%s\n", b.s);
		free(b.s);
	}
	if (s->last_pass == 3) {
		char *text = read_file(s->c_source, NULL);
		if (text)
			fputs(text, stdout);
		free(text);
	}
	return 0;
}

static int pass4(Session *s)
{
	pass_start(s);
	int rc;
	if (s->cached_ko) {
		if (s->verbose)
			fprintf(stderr, "Pass 4: using cached %s\n", s->cached_ko);
		rc = use_cached_module(s, s->cached_ko);
		if (!rc && s->last_pass == 4)
			printf("%s\n", s->module_path);
		return rc;
	}
	rc = build_module(s, s->cache_key);
	if (rc)
		return rc;
	if (s->verbose) {
		Buf b = {0};
		buf_printf(&b, "Pass 4: compiled C into \"%s\" ", s->module_path);
		session_usage_line(&b, s);
		fprintf(stderr, "%s\n", b.s);
		free(b.s);
	}
	if (s->last_pass == 4)
		printf("%s\n", s->module_path);
	return 0;
}

int session_run(Session *s)
{
	// like SystemTap's: prune, then stop whatever else was asked
	if (s->clean_cache)
		return clean_cache();
	session_setup(s);
	if (s->list_pattern || s->dump_kind)
		return list_run(s);
	int rc = pass1(s);
	if (rc || s->last_pass == 1)
		return rc;
	rc = pass2(s);
	if (rc || s->last_pass == 2)
		return rc;
	rc = pass3(s);
	if (!rc && s->last_pass >= 4)
		rc = pass4(s);
	if (!rc && s->last_pass == 5)
		rc = run_module(s);
	build_cleanup(s);
	return rc;
}
