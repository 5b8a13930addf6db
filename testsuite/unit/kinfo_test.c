// kinfo_test: translator/debuginfo/kinfo.h against the installed target kernel.
//
// Needs the target's headers and image (Debian: linux-headers-REL and
// linux-image-REL); the -dbg package (full System.map) and the modules are
// optional: their checks are skipped when absent.  Target: $KINFO_TEST_RELEASE,
// default 6.1.0-56-amd64.  Prints timings; ends with "N passed, N failed, N skipped".
#include <dirent.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "debuginfo/kinfo.h"

static int passed, failed, skipped;

#define CHECK(cond, ...) check_((cond), __FILE__, __LINE__, #cond, __VA_ARGS__)

static void check_(int ok, const char *file, int line, const char *expr, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void check_(int ok, const char *file, int line, const char *expr, const char *fmt, ...)
{
	if (ok) {
		passed++;
		return;
	}
	failed++;
	printf("FAIL %s:%d: %s: ", file, line, expr);
	va_list ap;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

static void skip(const char *what)
{
	skipped++;
	printf("SKIP %s\n", what);
}

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static const char *release;
static char cache_dir[256];

static struct kinfo *open_with(unsigned flags)
{
	struct kinfo_err err;
	struct kinfo_opts o = { .flags = flags, .cache_dir = cache_dir };
	struct kinfo *ki = kinfo_open(release, NULL, &o, &err);

	CHECK(ki != NULL, "kinfo_open(%s): %s", release, err.msg);
	return ki;
}

// ---- glob ----

static void test_glob(void)
{
	static const struct {
		const char *pat, *s;
		int want;
	} cases[] = {
		{ "vfs_*", "vfs_read", 1 }, { "vfs_*", "vfs_", 1 }, { "vfs_*", "vfs", 0 },
		{ "*read", "vfs_read", 1 }, { "*read", "vfs_readv", 0 }, { "?fs_read", "vfs_read", 1 },
		{ "*_*_*", "a_b_c", 1 }, { "*_*_*", "a_b", 0 }, { "[uv]fs_read", "vfs_read", 1 },
		{ "[!v]fs_read", "vfs_read", 0 }, { "[^v]fs_read", "xfs_read", 1 },
		{ "[a-f]*", "ext4", 1 }, { "[a-d]*", "ext4", 0 }, { "a\\*b", "a*b", 1 },
		{ "a\\*b", "axb", 0 }, { "[]]x", "]x", 1 }, { "[x", "[x", 1 }, { "", "", 1 },
		{ "*", "", 1 }, { "**a**b", "xaxb", 1 }, { "*.isra.*", "fn.isra.0", 1 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		CHECK(kinfo_glob_match(cases[i].pat, cases[i].s) == cases[i].want,
		      "glob '%s' vs '%s' should be %d", cases[i].pat, cases[i].s, cases[i].want);
}

// ---- targets ----

static void test_open(void)
{
	struct kinfo_err err;
	struct kinfo *ki = kinfo_open("0.0.0-no-such-kernel", NULL, NULL, &err);

	CHECK(ki == NULL && strstr(err.msg, "not installed"), "made-up release: %s", err.msg);
	ki = kinfo_open("/no/such/dir", NULL, NULL, &err);
	CHECK(ki == NULL && strstr(err.msg, "does not exist"), "missing build dir: %s", err.msg);

	ki = open_with(0);
	if (!ki)
		return;
	const struct kinfo_paths *p = kinfo_paths(ki);
	CHECK(strcmp(p->release, release) == 0, "release %s", p->release);
	CHECK(p->build_dir && p->image && p->config, "build %s image %s config %s",
	      p->build_dir, p->image, p->config);
	CHECK(!p->running, "target %s is not the running kernel", release);
	const char *kp = kinfo_config(ki, "CONFIG_KPROBES"), *kp2 = kinfo_config(ki, "KPROBES");
	CHECK(kp && strcmp(kp, "y") == 0 && kp2 && strcmp(kp2, "y") == 0, "CONFIG_KPROBES=%s", kp);
	CHECK(kinfo_config(ki, "CONFIG_NO_SUCH_OPTION") == NULL, "unset option");
	printf("target %s: build %s, image %s, System.map %s, debug vmlinux %s, modules %s\n",
	       p->release, p->build_dir, p->image, p->system_map ? p->system_map : "(none)",
	       p->debug_vmlinux ? p->debug_vmlinux : "(none)",
	       p->modules_dir ? p->modules_dir : "(none)");

	// -r BUILD_DIR names the same kernel.
	struct kinfo *kb = kinfo_open(p->build_dir, NULL, NULL, &err);
	CHECK(kb && strcmp(kinfo_paths(kb)->release, release) == 0, "open by build dir: %s",
	      kb ? kinfo_paths(kb)->release : err.msg);
	kinfo_close(kb);
	kinfo_close(ki);

	// The running kernel (the host's, not the target) opens too.
	ki = kinfo_open(NULL, NULL, NULL, &err);
	CHECK(ki && kinfo_paths(ki)->running, "running kernel: %s", ki ? "" : err.msg);
	if (ki && access("/proc/kallsyms", R_OK) == 0) {
		const struct kinfo_symtab *st = kinfo_kernel_symtab(ki, &err);
		CHECK(st && kinfo_symtab_source(st) == KINFO_SRC_KALLSYMS &&
		      kinfo_symtab_count(st) > 1000, "running kernel's kallsyms: %s",
		      st ? kinfo_source_name(kinfo_symtab_source(st)) : err.msg);
	}
	kinfo_close(ki);
}

// ---- functions ----

struct collect {
	char last[256];
	int sorted;
	long n;
};

static int collect(const char *name, void *arg)
{
	struct collect *c = arg;

	if (c->n && strcmp(c->last, name) >= 0)
		c->sorted = 0;
	snprintf(c->last, sizeof(c->last), "%s", name);
	c->n++;
	return 0;
}

static int count_glob(const char *name, void *arg)
{
	long *c = arg;

	c[0] += kinfo_glob_match("*sys_*read*", name);
	return 0;
}

static void check_functions(struct kinfo *ki, const char *label, int exact)
{
	const char *yes[] = { "ksys_write", "vfs_read", "schedule", "do_sys_openat2" };
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		CHECK(kinfo_function_exists(ki, yes[i]) == 1, "%s: %s exists", label, yes[i]);
	CHECK(kinfo_function_exists(ki, "no_such_function_xyzzy") == 0, "%s: made-up name", label);
	if (exact)	// an alias (SYSCALL_DEFINE0): in symbol tables, not in BTF
		CHECK(kinfo_function_exists(ki, "__x64_sys_getpid") == 1, "%s: __x64_sys_getpid",
		      label);

	struct collect c = { .sorted = 1 };
	long n = kinfo_match_functions(ki, "vfs_*", collect, &c);
	CHECK(n == c.n && n >= 40 && n <= 300 && c.sorted, "%s: vfs_* gave %ld (sorted %d)",
	      label, n, c.sorted);
	struct collect all = { .sorted = 1 };
	n = kinfo_match_functions(ki, "*", collect, &all);
	CHECK(n > 30000 && all.sorted, "%s: '*' gave %ld functions, sorted and unique %d", label,
	      n, all.sorted);
	CHECK(kinfo_match_functions(ki, "vfs_rea[dl]", NULL, NULL) == 1, "%s: class", label);
	long brute = 0, fast = kinfo_match_functions(ki, "*sys_*read*", NULL, NULL);
	kinfo_match_functions(ki, "*", count_glob, &brute);
	CHECK(fast == brute && fast > 10, "%s: *sys_*read* %ld, one by one %ld", label, fast, brute);
	CHECK(kinfo_match_functions(ki, "*sys_getpid", NULL, NULL) >= 1, "%s: *sys_getpid", label);

	CHECK(kinfo_is_blacklisted(ki, "vfs_read") == KINFO_OK, "%s: vfs_read probe-able", label);
	if (exact) {
		static const struct {
			const char *name;
			enum kinfo_refusal why;
		} refused[] = {
			{ "exc_int3", KINFO_REFUSED_NOINSTR },
			{ "entry_SYSCALL_64", KINFO_REFUSED_ENTRY_TEXT },
			{ "notifier_call_chain", KINFO_REFUSED_NOKPROBE },
			{ "kprobe_int3_handler", KINFO_REFUSED_NOKPROBE },
			{ "start_kernel", KINFO_REFUSED_INIT_TEXT },
			{ "ksys_write", KINFO_OK },
		};
		for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
			enum kinfo_refusal w = kinfo_is_blacklisted(ki, refused[i].name);
			CHECK(w == refused[i].why, "%s: %s: %s", label, refused[i].name,
			      kinfo_refusal_str(w));
		}
	} else {
		enum kinfo_refusal w = kinfo_is_blacklisted(ki, "exc_int3");
		CHECK(w == KINFO_REFUSED_HEURISTIC, "%s: exc_int3 guessed refused: %s", label,
		      kinfo_refusal_str(w));
	}
}

static void test_functions(void)
{
	struct kinfo_err err;

	// Cold: the image is decompressed and its kallsyms table decoded.
	double t0 = now_ms();
	struct kinfo *ki = open_with(KINFO_NO_SYSTEM_MAP);
	if (!ki)
		return;
	const struct kinfo_symtab *st = kinfo_kernel_symtab(ki, &err);
	double cold = now_ms() - t0;
	CHECK(st && kinfo_symtab_source(st) == KINFO_SRC_IMAGE_KALLSYMS, "image kallsyms: %s",
	      st ? kinfo_source_name(kinfo_symtab_source(st)) : err.msg);
	int from_cache = -1;
	t0 = now_ms();
	const char *bsrc = kinfo_btf_source(ki, &from_cache, &err);
	double btf_after = now_ms() - t0;
	CHECK(bsrc && from_cache == 0, "BTF comes with the same decompression: %s", bsrc ? bsrc : err.msg);
	size_t count = kinfo_symtab_count(st);
	kinfo_close(ki);

	// Warm: from the cache.
	t0 = now_ms();
	ki = open_with(KINFO_NO_SYSTEM_MAP);
	st = kinfo_kernel_symtab(ki, &err);
	double warm = now_ms() - t0;
	t0 = now_ms();
	long nv = kinfo_match_functions(ki, "vfs_*", NULL, NULL);
	double q1 = now_ms() - t0;
	t0 = now_ms();
	long ns = kinfo_match_functions(ki, "*sys_*read*", NULL, NULL);
	double q2 = now_ms() - t0;
	CHECK(st && kinfo_symtab_source(st) == KINFO_SRC_IMAGE_KALLSYMS &&
	      kinfo_symtab_count(st) == count, "warm list: %s", st ? "" : err.msg);
	CHECK(warm < 100 && warm * 10 < cold, "warm load took %.1f ms (cold %.1f)", warm, cold);
	printf("functions (image kallsyms): %zu; cold %.0f ms (decompress + decode + cache), "
	       "then BTF %.1f ms; warm load %.1f ms; 'vfs_*' %ld in %.2f ms; '*sys_*read*' %ld in "
	       "%.2f ms\n", count, cold, btf_after, warm, nv, q1, ns, q2);
	check_functions(ki, "image kallsyms", 1);
	kinfo_close(ki);

	// Only BTF.
	t0 = now_ms();
	ki = open_with(KINFO_NO_SYSTEM_MAP | KINFO_NO_IMAGE_KALLSYMS);
	st = kinfo_kernel_symtab(ki, &err);
	double tb = now_ms() - t0;
	CHECK(st && kinfo_symtab_source(st) == KINFO_SRC_BTF, "BTF list: %s",
	      st ? kinfo_source_name(kinfo_symtab_source(st)) : err.msg);
	printf("functions (BTF, warm): %zu in %.1f ms\n", kinfo_symtab_count(st), tb);
	check_functions(ki, "BTF", 0);
	kinfo_close(ki);

	// A full System.map (-dbg package) gives the same list.
	ki = open_with(0);
	if (!kinfo_paths(ki)->system_map) {
		skip("System.map checks: no full System.map (linux-image-REL-dbg not installed)");
	} else {
		t0 = now_ms();
		st = kinfo_kernel_symtab(ki, &err);
		double tm = now_ms() - t0;
		CHECK(st && kinfo_symtab_source(st) == KINFO_SRC_SYSTEM_MAP, "System.map: %s",
		      st ? kinfo_source_name(kinfo_symtab_source(st)) : err.msg);
		CHECK(kinfo_symtab_count(st) == count, "System.map %zu functions, image %zu",
		      kinfo_symtab_count(st), count);
		printf("functions (System.map %s): %zu in %.1f ms\n", kinfo_paths(ki)->system_map,
		       kinfo_symtab_count(st), tm);
		check_functions(ki, "System.map", 1);
	}
	kinfo_close(ki);

}

// A build tree of a kernel that is not installed: no list, said clearly.
static void test_nothing(void)
{
	char dir[512], path[600];
	struct kinfo_err err;
	FILE *f;

	snprintf(dir, sizeof(dir), "%s/fake-build", cache_dir);
	snprintf(path, sizeof(path), "%s/include", dir);
	mkdir(dir, 0755);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/include/generated", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/include/generated/utsrelease.h", dir);
	if (!(f = fopen(path, "w")))
		return;
	fputs("#define UTS_RELEASE \"9.9.9-fake\"\n", f);
	fclose(f);
	struct kinfo *ki = kinfo_open(dir, NULL, NULL, &err);
	CHECK(ki && strcmp(kinfo_paths(ki)->release, "9.9.9-fake") == 0, "fake tree: %s",
	      ki ? kinfo_paths(ki)->release : err.msg);
	if (ki) {
		CHECK(!kinfo_kernel_symtab(ki, &err) && strstr(err.msg, "load time"),
		      "no function list: %s", err.msg);
		CHECK(kinfo_function_source(ki, &err) == KINFO_SRC_NONE, "source none");
		CHECK(kinfo_function_exists(ki, "vfs_read") == -1, "unknown, not absent");
		CHECK(kinfo_match_functions(ki, "*", NULL, NULL) == -1, "no matches");
		size_t n;
		CHECK(!kinfo_tracepoints(ki, &n, &err) && n == 0 && strstr(err.msg, "BTF"),
		      "no tracepoints: %s", err.msg);
		CHECK(kinfo_type_by_name(ki, "struct task_struct", &err) == -1, "no types");
		CHECK(kinfo_match_modules(ki, "*", NULL, NULL, &err) == -1 &&
		      strstr(err.msg, "not installed"), "no modules: %s", err.msg);
		printf("without kernel files: %s\n", err.msg);
	}
	kinfo_close(ki);
	unlink(path);
	snprintf(path, sizeof(path), "%s/include/generated", dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/include", dir);
	rmdir(path);
	rmdir(dir);
}

// ---- tracepoints ----

static int count_tp(const struct kinfo_tracepoint *tp, void *arg)
{
	(void)tp;
	++*(long *)arg;
	return 0;
}

static void test_tracepoints(void)
{
	struct kinfo_err err;
	struct kinfo *ki = open_with(0);
	size_t n = 0;

	if (!ki)
		return;
	double t0 = now_ms();
	const struct kinfo_tracepoint *all = kinfo_tracepoints(ki, &n, &err);
	double t = now_ms() - t0;
	CHECK(all && n > 400, "tracepoints: %zu %s", n, all ? "" : err.msg);
	size_t nosys = 0;
	for (size_t i = 0; i < n; i++)
		nosys += all[i].system == NULL;
	printf("tracepoints: %zu (%zu without a system: header not in the build tree) in %.1f ms\n",
	       n, nosys, t);
	CHECK(nosys * 5 < n, "most tracepoints have a system (%zu of %zu lack one)", nosys, n);

	const struct kinfo_tracepoint *tp = kinfo_tracepoint(ki, "sched_switch", &err);
	CHECK(tp != NULL, "sched_switch: %s", err.msg);
	if (tp) {
		static const char *const want[][2] = {
			{ "preempt", "bool" }, { "prev", "struct task_struct*" },
			{ "next", "struct task_struct*" }, { "prev_state", "unsigned int" },
		};
		CHECK(tp->system && strcmp(tp->system, "sched") == 0, "system %s", tp->system);
		CHECK(tp->nargs == 4, "sched_switch has %d args", tp->nargs);
		for (int i = 0; i < 4 && i < tp->nargs; i++)
			CHECK(strcmp(tp->args[i].name, want[i][0]) == 0 &&
			      strcmp(tp->args[i].type, want[i][1]) == 0, "arg %d: $%s:%s", i,
			      tp->args[i].name, tp->args[i].type);
		printf("kernel.trace(\"%s:%s\")", tp->system, tp->name);
		for (int i = 0; i < tp->nargs; i++)
			printf(" $%s:%s", tp->args[i].name, tp->args[i].type);
		printf("\n");
	}
	tp = kinfo_tracepoint(ki, "sys_enter", &err);
	CHECK(tp && tp->system && strcmp(tp->system, "raw_syscalls") == 0 && tp->nargs == 2 &&
	      strcmp(tp->args[1].type, "long int") == 0, "sys_enter");
	tp = kinfo_tracepoint(ki, "kmalloc", &err);
	CHECK(tp && tp->nargs >= 2 && strcmp(tp->args[1].type, "void const*") == 0,
	      "kmalloc $ptr:void const* (%s)", tp && tp->nargs > 1 ? tp->args[1].type : "?");
	tp = kinfo_tracepoint(ki, "local_timer_exit", &err);	// through a wrapper macro
	CHECK(tp && tp->system && strcmp(tp->system, "irq_vectors") == 0, "local_timer_exit: %s",
	      tp && tp->system ? tp->system : "?");
	CHECK(kinfo_tracepoint(ki, "no_such_tracepoint", &err) == NULL &&
	      strstr(err.msg, "no tracepoint"), "made-up tracepoint: %s", err.msg);

	long c = 0;
	CHECK(kinfo_match_tracepoints(ki, "sched", "sched_*", count_tp, &c, &err) >= 15 && c >= 15,
	      "sched:sched_* gave %ld", c);
	c = 0;
	kinfo_match_tracepoints(ki, "s?hed", "sched_switch", count_tp, &c, &err);
	CHECK(c == 1, "system glob");
	c = 0;
	kinfo_match_tracepoints(ki, "irq", "sched_switch", count_tp, &c, &err);
	CHECK(c == 0, "wrong system");
	kinfo_close(ki);
}

// ---- types ----

static void test_types(void)
{
	struct kinfo_err err;
	struct kinfo *ki = open_with(0);
	struct kinfo_member m;
	struct kinfo_type ty;

	if (!ki)
		return;
	double t0 = now_ms();
	int32_t ts = kinfo_type_by_name(ki, "struct task_struct", &err);
	double t = now_ms() - t0;
	CHECK(ts > 0, "struct task_struct: %s", err.msg);
	int from_cache = 0;
	const char *src = kinfo_btf_source(ki, &from_cache, &err);
	printf("BTF from %s (%s), first lookup %.1f ms\n", src, from_cache ? "cache" : "image", t);
	CHECK(kinfo_type_info(ki, ts, &ty, &err) == 0 && ty.kind == KINFO_K_STRUCT &&
	      ty.size > 4000 && strcmp(ty.name, "struct task_struct") == 0, "task_struct info");

	CHECK(kinfo_struct_member(ki, ts, "comm", &m, &err) == 0, "comm: %s", err.msg);
	CHECK(strcmp(m.type_name, "char[16]") == 0 && m.size == 16 && m.offset > 500 &&
	      m.offset < ty.size && !m.bit_size, "comm: %s at %u", m.type_name, m.offset);
	CHECK(kinfo_type_info(ki, m.type_id, &ty, &err) == 0 && ty.kind == KINFO_K_ARRAY &&
	      ty.nelems == 16 && strcmp(kinfo_type_name(ki, ty.target), "char") == 0, "char[16]");
	printf("task_struct.comm: offset %u, %s, size %u\n", m.offset, m.type_name, m.size);

	CHECK(kinfo_struct_member(ki, ts, "pid", &m, &err) == 0 &&
	      strcmp(m.type_name, "pid_t") == 0 && m.size == 4, "pid: %s", m.type_name);
	CHECK(kinfo_type_info(ki, m.type_id, &ty, &err) == 0 && ty.kind == KINFO_K_INT &&
	      ty.size == 4 && ty.is_signed, "pid_t is a signed 4-byte int");

	CHECK(kinfo_struct_member(ki, ts, "mm", &m, &err) == 0 &&
	      strcmp(m.type_name, "struct mm_struct*") == 0 && m.size == 8, "mm: %s", m.type_name);
	CHECK(kinfo_struct_member(ki, ts, "in_iowait", &m, &err) == 0 && m.bit_size == 1 &&
	      m.bit_offset < 8, "in_iowait bitfield %u/%u", m.bit_offset, m.bit_size);
	CHECK(kinfo_struct_member(ki, ts, "no_such_member", &m, &err) == -1 &&
	      strstr(err.msg, "no member"), "missing member: %s", err.msg);

	// Through a pointer, and into anonymous unions/structs.
	int32_t tp = kinfo_type_by_name(ki, "struct task_struct*", &err);
	CHECK(tp > 0 && strcmp(kinfo_type_name(ki, tp), "struct task_struct*") == 0,
	      "struct task_struct*: %s", err.msg);
	CHECK(kinfo_struct_member(ki, tp, "tgid", &m, &err) == 0 && m.deref == 1 &&
	      strcmp(m.type_name, "pid_t") == 0, "->tgid through a pointer");
	int32_t pg = kinfo_type_by_name(ki, "struct page", &err);
	CHECK(pg > 0 && kinfo_struct_member(ki, pg, "mapping", &m, &err) == 0 && m.offset == 24 &&
	      strcmp(m.type_name, "struct address_space*") == 0, "page.mapping (anonymous): %u %s",
	      m.offset, m.type_name);
	CHECK(kinfo_struct_member(ki, pg, "flags", &m, &err) == 0 && m.offset == 0 &&
	      strcmp(m.type_name, "long unsigned int") == 0, "page.flags: %s", m.type_name);

	int32_t pid_t_id = kinfo_type_by_name(ki, "pid_t", &err);
	CHECK(pid_t_id > 0 && kinfo_struct_member(ki, pid_t_id, "x", &m, &err) == -1 &&
	      strstr(err.msg, "not a struct"), "member of an int: %s", err.msg);
	CHECK(kinfo_type_by_name(ki, "struct no_such_struct", &err) == -1 &&
	      strstr(err.msg, "no type"), "made-up struct: %s", err.msg);
	CHECK(kinfo_type_by_name(ki, "long int", &err) > 0, "long int");
	struct kinfo_func fn;
	CHECK(kinfo_function_proto(ki, "vfs_read", &fn, &err) == 0, "vfs_read proto: %s", err.msg);
	if (fn.nargs == 4) {
		static const char *const want[][2] = {
			{ "file", "struct file*" }, { "buf", "char*" }, { "count", "size_t" },
			{ "pos", "loff_t*" },
		};
		for (int i = 0; i < 4; i++)
			CHECK(strcmp(fn.args[i].name, want[i][0]) == 0 &&
			      strcmp(fn.args[i].type, want[i][1]) == 0, "vfs_read arg %d: $%s:%s",
			      i, fn.args[i].name, fn.args[i].type);
		CHECK(strcmp(fn.ret_type, "ssize_t") == 0, "vfs_read returns %s", fn.ret_type);
	} else {
		CHECK(0, "vfs_read has %d args", fn.nargs);
	}
	CHECK(kinfo_function_proto(ki, "no_such_function_xyzzy", &fn, &err) == -1,
	      "made-up function proto");
	int32_t fp = kinfo_type_by_name(ki, "struct file_operations", &err);
	CHECK(fp > 0 && kinfo_struct_member(ki, fp, "read", &m, &err) == 0 &&
	      strstr(m.type_name, "(*)(struct file*, char*, size_t, loff_t*)"),
	      "function pointer member: %s", m.type_name);
	kinfo_close(ki);
}

// ---- modules ----

static int print_mod(const char *name, void *arg)
{
	(void)arg;
	printf(" %s", name);
	return 0;
}

static void test_modules(void)
{
	struct kinfo_err err;
	struct kinfo *ki = open_with(0);

	if (!ki)
		return;
	const char *ext4 = kinfo_module_path(ki, "ext4");
	if (!kinfo_paths(ki)->modules_dir || !ext4 || access(ext4, R_OK) != 0) {
		const struct kinfo_symtab *st = kinfo_module_symtab(ki, "ext4", &err);
		CHECK(!st && strstr(err.msg, "not installed"), "modules not installed: %s", err.msg);
		skip("module checks: the target's modules are not installed");
		kinfo_close(ki);
		return;
	}
	printf("modules ext*:");
	long n = kinfo_match_modules(ki, "ext*", print_mod, NULL, &err);
	printf("\n");
	CHECK(n >= 1, "ext* modules: %s", err.msg);
	double t0 = now_ms();
	const struct kinfo_symtab *st = kinfo_module_symtab(ki, "ext4", &err);
	double t = now_ms() - t0;
	CHECK(st != NULL, "ext4: %s", err.msg);
	if (st) {
		long c = kinfo_symtab_match(st, "ext4_*", NULL, NULL);
		CHECK(c > 100, "ext4_* %ld", c);
		CHECK(kinfo_symtab_lookup(st, "ext4_file_write_iter", NULL) == 1, "ext4_file_write_iter");
		CHECK(kinfo_symtab_lookup(st, "vfs_read", NULL) == 0, "vfs_read is not ext4's");
		printf("module ext4 (%s): %zu functions, %ld ext4_*, in %.1f ms\n",
		       kinfo_symtab_file(st), kinfo_symtab_count(st), c, t);
	}
	CHECK(kinfo_module_symtab(ki, "ext4", &err) == st, "second lookup is cached");
	CHECK(!kinfo_module_symtab(ki, "no_such_module", &err) && strstr(err.msg, "not found"),
	      "made-up module: %s", err.msg);
	// A module built into the kernel (the first line of modules.builtin).
	char path[512], line[512] = "";
	snprintf(path, sizeof(path), "%s/modules.builtin", kinfo_paths(ki)->modules_dir);
	FILE *f = fopen(path, "r");
	if (f && fgets(line, sizeof(line), f)) {
		char *b = strrchr(line, '/'), *ko = b ? strstr(b, ".ko") : NULL;
		if (ko) {
			*ko = '\0';
			CHECK(!kinfo_module_symtab(ki, b + 1, &err) && strstr(err.msg, "built into"),
			      "built-in module %s: %s", b + 1, err.msg);
		}
	}
	if (f)
		fclose(f);
	kinfo_close(ki);
}

static void rm_rf(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char path[512];

	if (!d)
		return;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

int main(void)
{
	char path[512];

	release = getenv("KINFO_TEST_RELEASE");
	if (!release || !*release)
		release = "6.1.0-56-amd64";
	snprintf(path, sizeof(path), "/boot/vmlinuz-%s", release);
	test_glob();
	if (access(path, R_OK) != 0) {
		skip("kernel checks: the target kernel image is not installed");
		printf("kinfo: %d passed, %d failed, %d skipped\n", passed, failed, skipped);
		return failed != 0;
	}
	snprintf(cache_dir, sizeof(cache_dir), "/tmp/kinfo-test-XXXXXX");
	if (!mkdtemp(cache_dir)) {
		perror("mkdtemp");
		return 1;
	}
	test_open();
	test_nothing();
	test_functions();
	test_tracepoints();
	test_types();
	test_modules();
	rm_rf(cache_dir);
	printf("kinfo: %d passed, %d failed, %d skipped\n", passed, failed, skipped);
	return failed != 0;
}
