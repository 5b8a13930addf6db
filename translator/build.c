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

// Every file of the runtime directory (the module #includes them).
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
	// order matters for the hash: sort
	for (int i = 1; i < names.len; i++)
		for (int k = i; k > 0 && strcmp(VEC_AT(&names, k), VEC_AT(&names, k - 1)) < 0; k--) {
			void *t = names.items[k];
			names.items[k] = names.items[k - 1];
			names.items[k - 1] = t;
		}
	for (int i = 0; i < names.len; i++) {
		const char *p = arena_printf("%s/%s", dir, (char *)VEC_AT(&names, i));
		struct stat st;
		if (stat(p, &st) == 0 && S_ISREG(st.st_mode))
			hash_file(h, p);
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

// Run make; its output goes to a log shown on failure (and with -v).
static int run_make(Session *s, const char *log)
{
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
			close(fd);
		}
		char jobs[32];
		snprintf(jobs, sizeof(jobs), "-j%ld", sysconf(_SC_NPROCESSORS_ONLN) > 1 ? 2L : 1L);
		execlp("make", "make", "-C", s->build_dir, arena_printf("M=%s", s->tmpdir), jobs,
		       "--no-print-directory", "modules", (char *)NULL);
		_exit(127);
	}
	int st;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
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
	if (s->disable_cache)
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

// Keep the cache under its limit ($SYSTEMTAP_CACHE_MB, default 256 MB):
// the least recently used entries go first.
static void cache_trim(void)
{
	const char *lim = getenv("SYSTEMTAP_CACHE_MB");
	off_t limit = (lim && *lim ? atol(lim) : 256) * 1024 * 1024;
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
			if (b->d_name[0] == '.' || stat(p, &st) || !S_ISDIR(st.st_mode))
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

	// the module's own files in the temporary directory
	const char *src = arena_printf("%s/%s.c", s->tmpdir, name);
	if (strcmp(src, s->c_source) && rename(s->c_source, src)) {
		fprintf(stderr, "stap: cannot rename %s: %s\n", s->c_source, strerror(errno));
		return 1;
	}
	s->c_source = src;
	FILE *kb = fopen(arena_printf("%s/Kbuild", s->tmpdir), "w");
	if (!kb) {
		fprintf(stderr, "stap: cannot write the Kbuild file: %s\n", strerror(errno));
		return 1;
	}
	fprintf(kb, "obj-m := %s.o\nccflags-y := -I%s", name, s->runtime_dir);
	for (int i = 0; i < s->defines.len; i++)
		fprintf(kb, " -D%s", (char *)VEC_AT(&s->defines, i));
	fprintf(kb, "\n");
	fclose(kb);
	const char *log = arena_printf("%s/build.log", s->tmpdir);
	int rc = run_make(s, log);
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
	// debug info is most of a module and nobody reads it
	run_cmd((const char *[]){"strip", "--strip-debug", ko, NULL});
	s->module_path = ko;
	if (!s->disable_cache && !mkdirs(cdir)) {
		if (!copy_file(ko, cached)) {
			copy_file(src, arena_printf("%s/%s.c", cdir, name));
			s->module_path = cached;
			cache_trim();
		}
	}
	return place_module(s);
}

int clean_cache(void)
{
	remove_tree(cache_dir());
	return 0;
}
