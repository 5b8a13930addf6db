// build.c: pass 4, the generated C file to a kernel module with the
// kernel's own Kbuild, through a cache.
//
// The cache ($SYSTEMTAP_DIR/cache, default ~/.systemtap/cache) is keyed by
// a hash of our version, the target kernel (release, build tree, .config),
// the options that change the module (-D, -m, -g ...), the runtime's files
// and the generated source.  A hit copies the cached .ko and skips make.
#include "stap.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

// Two independent 64-bit FNV-1a streams make a 128-bit key.
typedef struct {
	uint64_t a, b;
} Hash;

static void hash_bytes(Hash *h, const void *p, size_t n)
{
	const unsigned char *s = p;
	for (size_t i = 0; i < n; i++) {
		h->a = (h->a ^ s[i]) * 1099511628211ull;
		h->b = (h->b ^ s[i]) * 0x100000001b3ull + 0x9e3779b97f4a7c15ull;
	}
}

static void hash_str(Hash *h, const char *s)
{
	hash_bytes(h, s ? s : "", s ? strlen(s) + 1 : 1);
}

static void hash_file(Hash *h, const char *path)
{
	size_t n;
	char *text = read_file(path, &n);
	if (text) {
		hash_bytes(h, text, n);
		free(text);
	}
	hash_str(h, path);
}

static void sort_strings(Vec *v)
{
	for (int i = 1; i < v->len; i++)
		for (int k = i; k > 0 && strcmp(VEC_AT(v, k), VEC_AT(v, k - 1)) < 0; k--) {
			void *t = v->items[k];
			v->items[k] = v->items[k - 1];
			v->items[k - 1] = t;
		}
}

// Every file of the runtime directory and its subdirectories (the module
// #includes them: runtime/tapset/ has the tapset's C), names and contents.
static void hash_dir(Hash *h, const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	Vec names = {0};
	struct dirent *e;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			vec_push(&names, arena_strdup(e->d_name));
	closedir(d);
	sort_strings(&names); // order matters for the hash
	for (int i = 0; i < names.len; i++) {
		const char *p = arena_printf("%s/%s", dir, (char *)VEC_AT(&names, i));
		struct stat st;
		if (stat(p, &st))
			continue;
		hash_str(h, VEC_AT(&names, i));
		if (S_ISREG(st.st_mode))
			hash_file(h, p);
		else if (S_ISDIR(st.st_mode))
			hash_dir(h, p);
	}
}

static const char *cache_dir(void)
{
	const char *d = getenv("SYSTEMTAP_DIR");
	if (d && *d)
		return arena_printf("%s/cache", d);
	const char *home = getenv("HOME");
	return arena_printf("%s/.systemtap/cache", home && *home ? home : "/tmp");
}

static int mkdirs(const char *path)
{
	char *p = arena_strdup(path);
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = 0;
		if (mkdir(p, 0755) && errno != EEXIST)
			return -1;
		*s = '/';
	}
	return mkdir(p, 0755) && errno != EEXIST ? -1 : 0;
}

static int copy_file(const char *from, const char *to)
{
	size_t n;
	char *data = read_file(from, &n);
	if (!data)
		return -1;
	char *tmp = arena_printf("%s.tmp%d", to, (int)getpid());
	FILE *f = fopen(tmp, "w");
	int rc = -1;
	if (f) {
		rc = fwrite(data, 1, n, f) == n ? 0 : -1;
		if (fclose(f))
			rc = -1;
		if (!rc)
			rc = rename(tmp, to);
		if (rc)
			unlink(tmp);
	}
	free(data);
	return rc;
}

static void remove_tree(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		const char *p = arena_printf("%s/%s", dir, e->d_name);
		struct stat st;
		if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
			remove_tree(p);
		else
			unlink(p);
	}
	closedir(d);
	rmdir(dir);
}

void build_cleanup(Session *s)
{
	if (!s->tmpdir)
		return;
	if (s->keep_tmpdir)
		fprintf(stderr, "Keeping temporary directory \"%s\"\n", s->tmpdir);
	else
		remove_tree(s->tmpdir);
}

// Run a command quietly; its exit status (-1 if it could not run).
static int run_cmd(const char *const *argv)
{
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	int st;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

//
// Running Kbuild.  `make -C BUILD M=DIR modules` spends about a second of
// CPU in the kernel's top-level Makefile before it compiles anything (some
// thirty compiler probes for cc-option and friends, run on every call); the
// work itself is done by the sub-makes it starts (scripts/Makefile.build,
// Makefile.modpost, Makefile.modfinal on 6.1).  So the first build for a
// kernel runs the top-level Makefile with a recorder first on PATH as
// `make`, which notes each sub-make it starts (directory, arguments,
// environment); later builds run just those sub-makes.  The record is keyed
// by the kernel tree and the environment variables Kbuild reads, checked
// against the files it came from, and a replay that fails falls back to the
// whole Makefile (which records anew).  SYSTEMTAP_KBUILD_REPLAY=0 turns the
// replay off.
//

extern char **environ;

#define M_MARK "@STAP_M@" // stands for the module directory in a record

// What a record must not carry: the recorder's own variables, and the
// shell's.
static const char *const env_skip[] = {
	"PATH", "STAP_KBUILD_REC", "STAP_KBUILD_MAKE", "PWD", "OLDPWD", "SHLVL", "_", NULL,
};
// A parent make's flags and jobserver are not for Kbuild's makes.
static const char *const env_make[] = {
	"MAKEFLAGS", "MAKELEVEL", "MFLAGS", "MAKEOVERRIDES", "GNUMAKEFLAGS",
	"MAKE_TERMOUT", "MAKE_TERMERR", NULL,
};
// Variables the top-level Makefile reads from the environment (and every
// KBUILD_*): another value needs another record.
static const char *const env_kbuild[] = {
	"PATH", "ARCH", "SUBARCH", "CROSS_COMPILE", "CC", "LD", "AR", "NM", "OBJCOPY",
	"OBJDUMP", "STRIP", "HOSTCC", "HOSTCXX", "LLVM", "LLVM_IAS", "KCFLAGS", "KCPPFLAGS",
	"KAFLAGS", "CFLAGS_MODULE", "AFLAGS_MODULE", "LDFLAGS_MODULE", "PAHOLE",
	"DEBIAN_KERNEL_NO_CC_VERSION_CHECK", NULL,
};

typedef struct {
	const char *cwd;
	Vec args; // const char *, without argv[0]
	Vec env;  // "NAME=VALUE" to set, "NAME" to unset
} SubMake;

typedef struct {
	Vec checks; // const char *: "MTIME SIZE PATH" of the files it came from
	Vec makes;  // SubMake *
} Replay;

static bool in_list(const char *const *list, const char *entry)
{
	size_t n = strcspn(entry, "=");
	for (; *list; list++)
		if (strlen(*list) == n && !strncmp(*list, entry, n))
			return true;
	return false;
}

// s with every `from` replaced by `to`.
static const char *replace_all(const char *s, const char *from, const char *to)
{
	const char *hit = strstr(s, from);
	if (!hit)
		return s;
	Buf b = {0};
	for (; hit; s = hit + strlen(from), hit = strstr(s, from)) {
		buf_putn(&b, s, hit - s);
		buf_puts(&b, to);
	}
	buf_puts(&b, s);
	const char *r = arena_strdup(b.s);
	free(b.s);
	return r;
}

// A program's path as execvp would find it, or NULL.
static const char *which(const char *name)
{
	if (strchr(name, '/'))
		return access(name, X_OK) ? NULL : name;
	const char *path = getenv("PATH");
	for (const char *p = path ? path : ""; *p;) {
		size_t n = strcspn(p, ":");
		const char *f = arena_printf("%.*s/%s", (int)n, n ? p : ".", name);
		if (!access(f, X_OK))
			return f;
		p += n + (p[n] == ':');
	}
	return NULL;
}

// "MTIME SIZE PATH" of a file, NULL if it is missing.
static const char *check_line(const char *path)
{
	struct stat st;
	if (!path || stat(path, &st))
		return NULL;
	return arena_printf("%lld.%09ld %lld %s", (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
			    (long long)st.st_size, path);
}

static const char *replay_path(Session *s)
{
	Hash h = {1469598103934665603ull, 0x84222325cbf29ce4ull};
	hash_str(&h, STAP_VERSION);
	hash_str(&h, s->build_dir);
	for (const char *const *v = env_kbuild; *v; v++) {
		hash_str(&h, *v);
		hash_str(&h, getenv(*v));
	}
	Vec kb = {0};
	for (char **e = environ; *e; e++)
		if (!strncmp(*e, "KBUILD_", 7))
			vec_push(&kb, *e);
	sort_strings(&kb); // the order of environ varies
	for (int i = 0; i < kb.len; i++)
		hash_str(&h, VEC_AT(&kb, i));
	return arena_printf("%s/kbuild/%016llx%016llx.replay", cache_dir(), (unsigned long long)h.a,
			    (unsigned long long)h.b);
}

// Lines are "WORD VALUE"; \ and newlines in values are escaped.
static void put_line(FILE *f, const char *word, const char *v)
{
	fprintf(f, "%s ", word);
	for (; *v; v++) {
		if (*v == '\\')
			fputs("\\\\", f);
		else if (*v == '\n')
			fputs("\\n", f);
		else
			fputc(*v, f);
	}
	fputc('\n', f);
}

static void replay_save(const char *path, Replay *r)
{
	char *dir = arena_strdup(path);
	*strrchr(dir, '/') = 0;
	if (mkdirs(dir))
		return;
	const char *tmp = arena_printf("%s.tmp%d", path, (int)getpid());
	FILE *f = fopen(tmp, "w");
	if (!f)
		return;
	fprintf(f, "# stap: the sub-makes of `make -C BUILD M=" M_MARK " modules` (build.c)\n");
	for (int i = 0; i < r->checks.len; i++)
		put_line(f, "check", VEC_AT(&r->checks, i));
	for (int i = 0; i < r->makes.len; i++) {
		SubMake *m = VEC_AT(&r->makes, i);
		put_line(f, "make", m->cwd);
		for (int k = 0; k < m->args.len; k++)
			put_line(f, "arg", VEC_AT(&m->args, k));
		for (int k = 0; k < m->env.len; k++) {
			const char *e = VEC_AT(&m->env, k);
			put_line(f, strchr(e, '=') ? "set" : "unset", e);
		}
	}
	if (fclose(f) || rename(tmp, path))
		unlink(tmp);
}

// The record for this kernel, or NULL when there is none or a file it came
// from changed.
static Replay *replay_load(const char *path)
{
	char *text = read_file(path, NULL);
	if (!text)
		return NULL;
	Replay *r = NEW(Replay);
	SubMake *m = NULL;
	bool ok = true;
	for (char *line = text, *next; ok && *line; line = next) {
		next = line + strcspn(line, "\n");
		if (*next)
			*next++ = 0;
		if (*line == '#' || !*line)
			continue;
		char *sp = strchr(line, ' ');
		if (!sp) {
			ok = false;
			break;
		}
		*sp = 0;
		Buf v = {0};
		for (const char *p = sp + 1; *p; p++) {
			if (*p == '\\' && p[1])
				buf_putc(&v, *++p == 'n' ? '\n' : *p);
			else
				buf_putc(&v, *p);
		}
		const char *val = arena_strdup(v.s ? v.s : "");
		free(v.s);
		if (!strcmp(line, "check")) {
			const char *file = strchr(val, ' ');
			file = file ? strchr(file + 1, ' ') : NULL;
			const char *now = file ? check_line(file + 1) : NULL;
			ok = now && !strcmp(now, val);
			vec_push(&r->checks, (void *)val);
		} else if (!strcmp(line, "make")) {
			m = NEW(SubMake);
			m->cwd = val;
			vec_push(&r->makes, m);
		} else if (m && !strcmp(line, "arg")) {
			vec_push(&m->args, (void *)val);
		} else if (m && (!strcmp(line, "set") || !strcmp(line, "unset"))) {
			vec_push(&m->env, (void *)val);
		} else {
			ok = false;
		}
	}
	free(text);
	return ok && r->makes.len ? r : NULL;
}

// Our environment without a parent make's variables, plus `add`.
static Vec make_env(const char *const *add)
{
	Vec env = {0};
	for (char **e = environ; *e; e++)
		if (!in_list(env_make, *e) && !(add && in_list(add, *e)))
			vec_push(&env, *e);
	for (; add && *add; add++)
		vec_push(&env, (void *)*add);
	return env;
}

// -j2 when there are two CPUs: the module's file and the runtime object
// compile side by side (first use)
static const char *make_jobs(void)
{
	return sysconf(_SC_NPROCESSORS_ONLN) > 1 ? "-j2" : "-j1";
}

// A make's flags without its jobs and jobserver (gone by the replay).
static const char *without_jobs(const char *e)
{
	Buf b = {0};
	const char *eq = strchr(e, '=');
	buf_putn(&b, e, eq + 1 - e);
	bool flags = true; // before " -- ", which starts the variables
	for (const char *p = eq + 1; *p;) {
		size_t n = strcspn(p, " ");
		if (n == 2 && !strncmp(p, "--", 2))
			flags = false;
		if (!(flags && (!strncmp(p, "-j", 2) || !strncmp(p, "--jobserver", 11))) && n) {
			if (b.len > (size_t)(eq + 1 - e))
				buf_putc(&b, ' ');
			buf_putn(&b, p, n);
		}
		p += n + (p[n] == ' ');
	}
	const char *r = arena_strdup(b.s);
	free(b.s);
	return r;
}

// Run prog (a path, or a name looked up in PATH) with argv and envp
// (NULL-terminated vectors) in dir; its output is added to the log.  The
// exit status, -1 if it could not run.
static int run_make(const char *dir, const char *prog, Vec *argv, Vec *envp, const char *log)
{
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
			close(fd);
		}
		if (dir && chdir(dir))
			_exit(127);
		environ = (char **)envp->items;
		execvp(prog, (char **)argv->items);
		_exit(127);
	}
	int st;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int replay_run(Session *s, Replay *r, const char *log)
{
	for (int i = 0; i < r->makes.len; i++) {
		SubMake *m = VEC_AT(&r->makes, i);
		Vec set = {0};
		for (int k = 0; k < m->env.len; k++) {
			const char *e = VEC_AT(&m->env, k);
			if (strchr(e, '='))
				vec_push(&set, (void *)replace_all(e, M_MARK, s->tmpdir));
		}
		vec_push(&set, NULL);
		Vec env = make_env((const char *const *)set.items);
		// and without what the top-level make took out
		for (int k = 0; k < m->env.len; k++) {
			const char *e = VEC_AT(&m->env, k);
			for (int j = 0; !strchr(e, '=') && j < env.len; j++)
				if (in_list((const char *const[]){e, NULL}, VEC_AT(&env, j)))
					env.items[j--] = env.items[--env.len];
		}
		vec_push(&env, NULL);
		Vec argv = {0};
		vec_push(&argv, "make");
		vec_push(&argv, (void *)make_jobs());
		for (int k = 0; k < m->args.len; k++)
			vec_push(&argv, (void *)replace_all(VEC_AT(&m->args, k), M_MARK, s->tmpdir));
		vec_push(&argv, NULL);
		int rc = run_make(replace_all(m->cwd, M_MARK, s->tmpdir), "make", &argv, &env, log);
		if (rc)
			return rc;
	}
	return 0;
}

// Split a file of NUL-terminated strings.
static Vec nul_list(const char *path)
{
	Vec v = {0};
	size_t n;
	char *text = read_file(path, &n);
	for (size_t i = 0; text && i < n; i += strlen(text + i) + 1)
		vec_push(&v, arena_strdup(text + i));
	free(text);
	return v;
}

static const char *env_get(Vec *env, const char *name)
{
	size_t n = strlen(name);
	for (int i = 0; i < env->len; i++) {
		const char *e = VEC_AT(env, i);
		if (e && !strncmp(e, name, n) && e[n] == '=')
			return e + n + 1;
	}
	return NULL;
}

// The record the recorder left in rec: per sub-make what differs from the
// environment `base` the top-level make was given.
static Replay *record_read(Session *s, const char *rec, Vec *base, const char *make)
{
	Replay *r = NEW(Replay);
	for (int i = 0;; i++) {
		// numbered in the order they started (mkdir: in parallel too)
		Vec args = nul_list(arena_printf("%s/%d/args", rec, i));
		if (!args.len)
			break;
		Vec env = nul_list(arena_printf("%s/%d/env", rec, i));
		SubMake *m = NEW(SubMake);
		m->cwd = replace_all(VEC_AT(&args, 0), s->tmpdir, M_MARK);
		for (int k = 1; k < args.len; k++)
			vec_push(&m->args, (void *)replace_all(VEC_AT(&args, k), s->tmpdir, M_MARK));
		for (int k = 0; k < env.len; k++) {
			const char *e = VEC_AT(&env, k);
			const char *was = env_get(base, arena_strndup(e, strcspn(e, "=")));
			if (in_list((const char *const[]){"MAKEFLAGS", "MFLAGS", NULL}, e))
				e = without_jobs(e);
			if (!in_list(env_skip, e) && strchr(e, '=') &&
			    (!was || strcmp(was, strchr(e, '=') + 1)))
				vec_push(&m->env, (void *)replace_all(e, s->tmpdir, M_MARK));
		}
		for (int k = 0; k < base->len; k++) {
			const char *e = VEC_AT(base, k);
			if (e && !in_list(env_skip, e) && !env_get(&env, arena_strndup(e, strcspn(e, "="))))
				vec_push(&m->env, arena_strndup(e, strcspn(e, "=")));
		}
		vec_push(&r->makes, m);
		if (i == 0) {
			// the files the record depends on
			const char *src = env_get(&env, "srctree");
			const char *cc = env_get(&env, "CC");
			if (cc)
				cc = arena_strndup(cc + strspn(cc, " "), strcspn(cc + strspn(cc, " "), " "));
			const char *files[] = {
				arena_printf("%s/Makefile", s->build_dir),
				s->kernel_config_path,
				arena_printf("%s/include/config/auto.conf", s->build_dir),
				arena_printf("%s/Module.symvers", s->build_dir),
				src ? arena_printf("%s%s/Makefile", *src == '/' ? "" : arena_printf("%s/", (char *)VEC_AT(&args, 0)), src) : NULL,
				make,
				cc && *cc ? which(cc) : NULL,
			};
			for (size_t f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
				const char *c = check_line(files[f]);
				if (c)
					vec_push(&r->checks, (void *)c);
			}
		}
	}
	return r->makes.len ? r : NULL;
}

// The recorder: first on PATH as `make` while the top-level Makefile runs.
static const char recorder[] =
	"#!/bin/sh\n"
	"# stap: note each sub-make the kernel's top-level Makefile starts, then run it\n"
	"if [ \"$MAKELEVEL\" = 1 ]; then\n"
	"\tn=0\n"
	"\twhile ! mkdir \"$STAP_KBUILD_REC/$n\" 2>/dev/null; do n=$((n + 1)); done\n"
	"\tenv -0 > \"$STAP_KBUILD_REC/$n/env\"\n"
	"\tprintf '%s\\0' \"$(pwd)\" \"$@\" > \"$STAP_KBUILD_REC/$n/args\"\n"
	"fi\n"
	"exec \"$STAP_KBUILD_MAKE\" \"$@\"\n";

// The whole Makefile; with `record` (a record's path), recording its
// sub-makes there.
static int kbuild_full(Session *s, const char *log, const char *record)
{
	Vec argv = {0};
	const char *args[] = {"make", make_jobs(), "-C", s->build_dir, arena_printf("M=%s", s->tmpdir),
			      "--no-print-directory", "modules", NULL};
	for (const char **a = args; *a; a++)
		vec_push(&argv, (void *)*a);
	vec_push(&argv, NULL);
	const char *make = which("make");
	const char *rec = arena_printf("%s/.kbuild-record", s->tmpdir);
	FILE *f = NULL;
	if (record && make && !mkdir(rec, 0755) && (f = fopen(arena_printf("%s/make", rec), "w"))) {
		fputs(recorder, f);
		fchmod(fileno(f), 0755);
	}
	if (!f || fclose(f)) {
		Vec env = make_env(NULL);
		vec_push(&env, NULL);
		return run_make(NULL, "make", &argv, &env, log);
	}
	const char *path = getenv("PATH");
	const char *add[] = {
		arena_printf("PATH=%s:%s", rec, path ? path : ""),
		arena_printf("STAP_KBUILD_REC=%s", rec),
		arena_printf("STAP_KBUILD_MAKE=%s", make),
		NULL,
	};
	Vec env = make_env(add);
	vec_push(&env, NULL);
	// the real make, named "make": $(MAKE) then finds the recorder
	int rc = run_make(NULL, make, &argv, &env, log);
	if (!rc) {
		env.len--;
		Replay *r = record_read(s, rec, &env, make);
		if (r)
			replay_save(record, r);
	}
	remove_tree(rec);
	return rc;
}

// Build the module in s->tmpdir: the recorded sub-makes when there is a
// record r, else (or when they fail) the whole Makefile, which records to
// `record` (NULL: no recording).
static int kbuild(Session *s, const char *log, const char *record, Replay *r)
{
	if (r && !replay_run(s, r, log))
		return 0;
	if (r)
		unlink(log); // a stale record: its errors are not the module's
	return kbuild_full(s, log, record);
}

//
// The runtime as an object of its own.  Most of a module's compile is the
// runtime (parsing the kernel headers it needs, and its code), the same for
// every script; so it is compiled once per target kernel, compiler, -D
// options and runtime sources, kept in the cache, and linked into each
// module: `NAME-y := NAME_src.o stp_runtime.o stp_rt_timer.o ...`, with
// each cached object as OBJ.o_shipped (Kbuild copies it).  The probe
// families (probe_*.c) are objects of their own, linked only into modules
// that have such probes (Session.rt_families).  The generated file is compiled
// with -DSTP_RUNTIME_LINKED, so that runtime.h gives it the runtime's API
// instead of its code.  A runtime directory without runtime.c (older
// layout) is compiled into the one file as before.
//

// The runtime's objects a module links: the core (runtime.c) and one per
// probe family it uses (probe_FAMILY.c), each compiled once and cached.
typedef struct {
	const char *name; // "stp_runtime", "stp_rt_kprobe", ...
	const char *code; // its source file's text
	const char *cached; // its path in the cache, or NULL
	bool shipped;       // the cached object is in the module directory
} RtObj;

static int runtime_objs(Session *s, RtObj *o)
{
	int n = 0;
	o[n++] = (RtObj){"stp_runtime", "#include \"runtime.c\"\n", NULL, false};
	for (int i = 0; i < RT_NFAM; i++)
		if (s->rt_families & (1u << i))
			o[n++] = (RtObj){arena_printf("stp_rt_%s", rt_family_names[i]),
					 arena_printf("#include \"runtime_obj.h\"\n#include \"probe_%s.c\"\n",
						      rt_family_names[i]),
					 NULL, false};
	return n;
}

// The cached object's path for this build, or NULL when there is no key
// (no cache, or no Kbuild record yet to say which compiler).
static const char *runtime_obj_path(Session *s, Replay *r, const char *ccflags, const RtObj *o)
{
	if (!r)
		return NULL;
	Hash h = {1469598103934665603ull, 0x84222325cbf29ce4ull};
	hash_str(&h, STAP_VERSION);
	hash_str(&h, "runtime object");
	hash_str(&h, o->code);
	hash_str(&h, s->release);
	hash_str(&h, s->build_dir);
	hash_file(&h, s->kernel_config_path);
	hash_str(&h, ccflags); // -D options included
	hash_dir(&h, s->runtime_dir);
	// the kernel's Makefile, Module.symvers, make and the compiler
	for (int i = 0; i < r->checks.len; i++)
		hash_str(&h, VEC_AT(&r->checks, i));
	return arena_printf("%s/runtime/%016llx%016llx/%s.o", cache_dir(),
			    (unsigned long long)h.a, (unsigned long long)h.b, o->name);
}

// The runtime's part of the module directory: the cached object when there
// is one (true), else its source.
static bool runtime_obj_place(Session *s, const RtObj *obj)
{
	struct stat st;
	const char *cached = obj->cached;
	const char *o = arena_printf("%s/%s.o", s->tmpdir, obj->name);
	const char *cmd = arena_printf("%s/.%s.o.cmd", s->tmpdir, obj->name);
	if (cached && !s->poison_cache && !stat(cached, &st) && !copy_file(cached, arena_printf("%s_shipped", o))) {
		// modpost reads every object's .cmd (for symbol versions: none here)
		FILE *f = fopen(cmd, "w");
		if (f) {
			bool ok = fprintf(f, "cmd_%s := cat %s_shipped > %s\n", o, o, o) > 0;
			if (!fclose(f) && ok) {
				char *dir = arena_strdup(cached);
				*strrchr(dir, '/') = 0;
				utimes(dir, NULL); // recently used: kept by the size limit
				return true;
			}
		}
		unlink(cmd);
		unlink(arena_printf("%s_shipped", o));
	}
	FILE *f = fopen(arena_printf("%s/%s.c", s->tmpdir, obj->name), "w");
	if (f) {
		fputs(obj->code, f);
		fclose(f);
	}
	return false;
}

// Keep the runtime object just compiled (runtime.c makes sure it does not
// know the module's name).
static void runtime_obj_keep(Session *s, const RtObj *o)
{
	char *dir = arena_strdup(o->cached);
	*strrchr(dir, '/') = 0;
	if (!mkdirs(dir))
		copy_file(arena_printf("%s/%s.o", s->tmpdir, o->name), o->cached);
}

// The cache key of this module: everything that decides what pass 3 and
// pass 4 would make.  The program is the -p2 -v dump (bodies included).
const char *cache_key(Session *s)
{
	Hash h = {1469598103934665603ull, 0x84222325cbf29ce4ull};
	hash_str(&h, STAP_VERSION);
	hash_str(&h, s->release);
	hash_str(&h, s->build_dir);
	hash_file(&h, s->kernel_config_path);
	hash_str(&h, s->module_name);
	for (int i = 0; i < s->defines.len; i++)
		hash_str(&h, VEC_AT(&s->defines, i));
	hash_str(&h, s->guru ? "g" : "");
	hash_str(&h, s->unoptimized ? "u" : "");
	hash_dir(&h, s->runtime_dir);
	char *prog = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&prog, &len);
	int verbose = s->verbose;
	s->verbose = 1;
	dump_pass2(m, s);
	s->verbose = verbose;
	fclose(m);
	hash_bytes(&h, prog, len);
	free(prog);
	// embedded C of the functions and probes in use is part of the dump;
	// top-level %{ %} is too (# global embedded code)
	return arena_printf("%016llx%016llx", (unsigned long long)h.a, (unsigned long long)h.b);
}

// Where a key's module lives; staprun takes the module name from the file
// name, so each key has its own directory.
static const char *entry_dir(const char *key)
{
	return arena_printf("%s/%.2s/%s", cache_dir(), key, key + 2);
}

const char *module_name_for(Session *s, const char *key)
{
	return s->module_name ? s->module_name : arena_printf("stap_%.24s", key);
}

// A cached module for this key, or NULL.
const char *cache_lookup(Session *s, const char *key)
{
	struct stat st;
	if (s->disable_cache || s->poison_cache)
		return NULL;
	const char *ko = arena_printf("%s/%s.ko", entry_dir(key), module_name_for(s, key));
	if (stat(ko, &st))
		return NULL;
	utimes(entry_dir(key), NULL); // recently used: kept by the size limit
	return ko;
}

static int place_module(Session *s)
{
	// -m NAME: the module lands in the current directory, as NAME.ko; so
	// does any module when there is no cache to keep it
	if (s->module_name || s->disable_cache) {
		const char *base = strrchr(s->module_path, '/');
		const char *here = s->module_name ? arena_printf("%s.ko", s->module_name)
						  : base ? base + 1 : s->module_path;
		if (copy_file(s->module_path, here)) {
			fprintf(stderr, "stap: cannot write %s: %s\n", here, strerror(errno));
			return 1;
		}
		s->module_path = here;
	}
	return 0;
}

int use_cached_module(Session *s, const char *ko)
{
	s->module_path = ko;
	return place_module(s);
}

typedef struct {
	const char *path;
	time_t mtime;
	off_t size;
} Entry;

static off_t dir_size(const char *dir)
{
	off_t total = 0;
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		struct stat st;
		if (e->d_name[0] != '.' && !stat(arena_printf("%s/%s", dir, e->d_name), &st))
			total += st.st_size;
	}
	closedir(d);
	return total;
}

// The cache's size limit in bytes: the MiB in its cache_mb_limit file,
// which is made with SystemTap's default of 256 when there is none.
static off_t cache_limit(void)
{
	const char *path = arena_printf("%s/cache_mb_limit", cache_dir());
	char *text = read_file(path, NULL);
	long mb = 256;
	if (text) {
		char *end;
		long v = strtol(text, &end, 10);
		if (end != text && v >= 0)
			mb = v;
		free(text);
	} else if (!mkdirs(cache_dir())) {
		FILE *f = fopen(path, "w");
		if (f) {
			fprintf(f, "%ld\n", mb);
			fclose(f);
		}
	}
	return (off_t)mb * 1024 * 1024;
}

// Keep the cache under its limit: the least recently used entries go
// first; never keep, the entry just made (its module is about to be used).
static void cache_trim(const char *keep)
{
	off_t limit = cache_limit();
	Vec entries = {0};
	off_t total = 0;
	DIR *top = opendir(cache_dir());
	if (!top)
		return;
	struct dirent *a;
	while ((a = readdir(top))) {
		if (a->d_name[0] == '.')
			continue;
		const char *sub = arena_printf("%s/%s", cache_dir(), a->d_name);
		DIR *d = opendir(sub);
		if (!d)
			continue;
		struct dirent *b;
		while ((b = readdir(d))) {
			struct stat st;
			const char *p = arena_printf("%s/%s", sub, b->d_name);
			if (b->d_name[0] == '.' || stat(p, &st) || !S_ISDIR(st.st_mode) ||
			    !strcmp(p, keep))
				continue;
			Entry *e = NEW(Entry);
			e->path = p;
			e->mtime = st.st_mtime;
			e->size = dir_size(p);
			total += e->size;
			vec_push(&entries, e);
		}
		closedir(d);
	}
	closedir(top);
	while (total > limit && entries.len) {
		int oldest = 0;
		for (int i = 1; i < entries.len; i++)
			if (((Entry *)VEC_AT(&entries, i))->mtime < ((Entry *)VEC_AT(&entries, oldest))->mtime)
				oldest = i;
		Entry *e = VEC_AT(&entries, oldest);
		remove_tree(e->path);
		total -= e->size;
		entries.items[oldest] = entries.items[--entries.len];
	}
}

int build_module(Session *s, const char *key)
{
	struct stat st;
	if (stat(arena_printf("%s/Makefile", s->build_dir), &st)) {
		fprintf(stderr, "stap: kernel build tree '%s' not found: install the kernel headers "
			"(apt-get install linux-headers-%s)\n", s->build_dir, s->release);
		return 1;
	}
	const char *name = module_name_for(s, key);
	const char *cdir = entry_dir(key);
	const char *cached = arena_printf("%s/%s.ko", cdir, name);
	const char *off = getenv("SYSTEMTAP_KBUILD_REPLAY");
	const char *record = s->disable_cache || (off && !strcmp(off, "0")) ? NULL : replay_path(s);
	Replay *r = record && !s->poison_cache ? replay_load(record) : NULL;
	// without a cache to keep it, the runtime is compiled into the one file
	bool split = !s->disable_cache && !stat(arena_printf("%s/runtime.c", s->runtime_dir), &st);
	// -g0: the debug information would be stripped anyway (below), and
	// writing it is a fifth of the compile
	Buf ccflags = {0};
	buf_printf(&ccflags, "-I%s -g0", s->runtime_dir);
	for (int i = 0; i < s->defines.len; i++)
		buf_printf(&ccflags, " -D%s", (char *)VEC_AT(&s->defines, i));
	RtObj rt[1 + RT_NFAM];
	int nrt = split ? runtime_objs(s, rt) : 0;
	for (int i = 0; i < nrt; i++)
		rt[i].cached = runtime_obj_path(s, r, ccflags.s, &rt[i]);

	// the module's own files in the temporary directory
	const char *src = arena_printf("%s/%s%s.c", s->tmpdir, name, split ? "_src" : "");
	if (strcmp(src, s->c_source) && rename(s->c_source, src)) {
		fprintf(stderr, "stap: cannot rename %s: %s\n", s->c_source, strerror(errno));
		return 1;
	}
	s->c_source = src;
	for (int i = 0; i < nrt; i++)
		rt[i].shipped = runtime_obj_place(s, &rt[i]);
	FILE *kb = fopen(arena_printf("%s/Kbuild", s->tmpdir), "w");
	if (!kb) {
		fprintf(stderr, "stap: cannot write the Kbuild file: %s\n", strerror(errno));
		return 1;
	}
	fprintf(kb, "obj-m := %s.o\n", name);
	if (split) {
		fprintf(kb, "%s-y := %s_src.o", name, name);
		for (int i = 0; i < nrt; i++)
			fprintf(kb, " %s.o", rt[i].name);
		fprintf(kb, "\nCFLAGS_%s_src.o := -DSTP_RUNTIME_LINKED\n", name);
	}
	fprintf(kb, "ccflags-y := %s\n", ccflags.s);
	fclose(kb);
	const char *log = arena_printf("%s/build.log", s->tmpdir);
	int rc = kbuild(s, log, record, r);
	char *out = read_file(log, NULL);
	bool warnings = out && strstr(out, "warning:");
	if (rc || s->verbose >= 2 || warnings) {
		if (out)
			fputs(out, stderr);
	}
	free(out);
	const char *ko = arena_printf("%s/%s.ko", s->tmpdir, name);
	if (rc || stat(ko, &st)) {
		fprintf(stderr, "Pass 4: compilation failed.  [man error::pass4]\n");
		return 1;
	}
	// a runtime object compiled here serves the next modules (the key
	// needs the Kbuild record, which the first build makes)
	for (int i = 0; i < nrt; i++) {
		if (rt[i].shipped || s->disable_cache)
			continue;
		if (!r && record)
			r = replay_load(record);
		rt[i].cached = runtime_obj_path(s, r, ccflags.s, &rt[i]);
		if (rt[i].cached)
			runtime_obj_keep(s, &rt[i]);
	}
	// debug info is most of a module and nobody reads it
	run_cmd((const char *[]){"strip", "--strip-debug", ko, NULL});
	s->module_path = ko;
	if (!s->disable_cache && !mkdirs(cdir)) {
		if (!copy_file(ko, cached)) {
			copy_file(src, arena_printf("%s/%s.c", cdir, name));
			s->module_path = cached;
			cache_trim(cdir);
		}
	}
	return place_module(s);
}

int clean_cache(void)
{
	cache_trim("");
	return 0;
}
