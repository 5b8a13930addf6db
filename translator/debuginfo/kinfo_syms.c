// kinfo_syms.c: function lists (kernel and modules), kprobe refusals, globbing.
//
// Sources of the kernel's functions, best first:
//   /proc/kallsyms   only when the target is the running kernel;
//   System.map       a full one (Debian's is a stub; the real one is in the
//                    -dbg package, and SystemTap reads BUILD/System.map first);
//   image kallsyms   the kernel's own compressed symbol table, decoded from
//                    /boot/vmlinuz (kinfo_ksyms.c): as good as System.map;
//   BTF              the FUNC entries of the image's BTF: no addresses, and no
//                    aliases (__x64_sys_getpid), asm or always-inlined functions.
//
// What kprobes refuse (Linux 6.1, kernel/kprobes.c check_kprobe_address_safe(),
// within_kprobe_blacklist(), populate_kprobe_blacklist(), and
// arch/x86/kernel/kprobes/core.c arch_populate_kprobe_blacklist()):
//   - addresses in .kprobes.text (`__kprobes`) and .noinstr.text (`noinstr`);
//   - on x86 .entry.text (other archs: .irqentry.text instead);
//   - functions listed with NOKPROBE_SYMBOL(fn), which leaves a `_kbl_addr_fn`
//     data symbol in System.map (and in kallsyms with CONFIG_KALLSYMS_ALL);
//   - suffixed clones ("fn.isra.0", "fn.constprop.0") of a refused fn;
//   - __init code (_sinittext.._einittext): not kernel text once booted;
//   - static-call trampolines (.static_call.text, `__SCT__*`).
// With System.map or either kallsyms these are exact (addresses against the
// section markers).  With BTF only, no addresses exist: noinstr/entry functions are
// missing from the list anyway (they are notrace), and NOKPROBE_SYMBOL functions
// are guessed by name (nokprobe_heuristic below).  Only the load can tell about
// jump-label and ftrace-site overlaps, instructions kprobes cannot decode,
// NOKPROBE lists of modules loaded later, and functions absent from BTF.
#include <errno.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include <elfutils/libdwfl.h>
#include <gelf.h>
#include "kinfo-int.h"

static int sym_cmp(const void *a, const void *b)
{
	return strcmp(((const struct kinfo_sym *)a)->name, ((const struct kinfo_sym *)b)->name);
}

static int sym_seq_cmp(const void *a, const void *b)
{
	const struct kinfo_sym *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

// Symbols that are labels or compiler artefacts rather than probe-able functions.
static int not_a_function(const char *name)
{
	if (strncmp(name, "__pfx_", 6) == 0 || strncmp(name, "__cfi_", 6) == 0)
		return 1;
	const char *dot = strchr(name, '.');
	if (dot && strncmp(dot, ".cold", 5) == 0)
		return 1;	// the out-of-line cold part of a function
	static const char *const labels[] = {
		"_stext", "_etext", "_text", "_sinittext", "_einittext", "_end",
		"__kprobes_text_start", "__kprobes_text_end",
		"__noinstr_text_start", "__noinstr_text_end",
		"__entry_text_start", "__entry_text_end",
		"__irqentry_text_start", "__irqentry_text_end",
		"__softirqentry_text_start", "__softirqentry_text_end",
		"__static_call_text_start", "__static_call_text_end",
		"__lock_text_start", "__lock_text_end",
		"__sched_text_start", "__sched_text_end",
		"__cpuidle_text_start", "__cpuidle_text_end",
		"__indirect_thunk_start", "__indirect_thunk_end",
		"__x86_cpu_dev_start", "__x86_cpu_dev_end",
		"__init_begin", "__init_end", "_sdata", "_edata",
	};
	if (name[0] != '_')
		return 0;
	for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if (strcmp(name, labels[i]) == 0)
			return 1;
	return 0;
}

// Sorts syms, keeps the first of each name (the caller lists them in address
// order, as kallsyms_lookup_name() finds the lowest address first), and wraps
// them up.  Takes ownership of the malloc'd syms.
struct kinfo_symtab *kinfo__symtab_new(struct kinfo *ki, enum kinfo_source src,
				       const char *file, struct kinfo_sym *syms, size_t n)
{
	struct kinfo_symtab *st = kinfo__alloc(&ki->arena, sizeof(*st));

	if (!st) {
		free(syms);
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		syms[i].seq = (uint32_t)i;
	qsort(syms, n, sizeof(*syms), sym_seq_cmp);
	size_t out = 0;
	for (size_t i = 0; i < n; i++) {
		if (out && strcmp(syms[out - 1].name, syms[i].name) == 0)
			continue;
		syms[out++] = syms[i];
	}
	st->source = src;
	st->file = file;
	st->syms = syms;
	st->n = out;
	return st;
}

// ---- System.map and /proc/kallsyms ----

struct raw_sym {
	unsigned long long addr;
	const char *name;	// NUL-terminated inside the file buffer
	char type;
};

struct markers {
	unsigned long long stext, etext, sinit, einit;
	unsigned long long range[6][2];	// see range_why
};

static const struct {
	const char *start, *end;
	enum kinfo_refusal why;
	int x86_only, non_x86_only;
} range_why[6] = {
	{ "__kprobes_text_start", "__kprobes_text_end", KINFO_REFUSED_KPROBES_TEXT, 0, 0 },
	{ "__noinstr_text_start", "__noinstr_text_end", KINFO_REFUSED_NOINSTR, 0, 0 },
	{ "__entry_text_start", "__entry_text_end", KINFO_REFUSED_ENTRY_TEXT, 1, 0 },
	{ "__irqentry_text_start", "__irqentry_text_end", KINFO_REFUSED_IRQENTRY_TEXT, 0, 1 },
	{ "__static_call_text_start", "__static_call_text_end", KINFO_REFUSED_STATIC_CALL, 0, 0 },
	{ "_sinittext", "_einittext", KINFO_REFUSED_INIT_TEXT, 0, 0 },
};

static int is_x86(const char *arch)
{
	return strcmp(arch, "x86_64") == 0 || strcmp(arch, "i386") == 0 ||
	       strcmp(arch, "i686") == 0 || strcmp(arch, "x86") == 0;
}

// Splits the text into symbols (modifies it).  Lines of modules ("[ext4]") are
// skipped: this is the kernel's own list.
static struct raw_sym *parse_map(char *text, size_t *n_out)
{
	size_t cap = 1 << 17, n = 0;
	struct raw_sym *v = malloc(cap * sizeof(*v));

	if (!v)
		return NULL;
	for (char *l = text; *l; ) {
		char *end = strchr(l, '\n');
		char *next = end ? end + 1 : l + strlen(l);

		if (end)
			*end = '\0';
		char *p = l, *q;
		unsigned long long addr = strtoull(p, &q, 16);
		if (q != p && *q == ' ' && q[1] && q[2] == ' ') {
			char type = q[1];
			char *name = q + 3, *tab = strchr(name, '\t');

			if (tab)
				*tab = '\0';
			if (!tab || !strchr(tab + 1, '[')) {
				if (n == cap) {
					struct raw_sym *nv = realloc(v, 2 * cap * sizeof(*v));
					if (!nv) {
						free(v);
						return NULL;
					}
					v = nv;
					cap *= 2;
				}
				v[n].addr = addr;
				v[n].type = type;
				v[n].name = name;
				n++;
			}
		}
		l = next;
	}
	*n_out = n;
	return v;
}

static int raw_name_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

// Takes the malloc'd System.map-format `text` (read from `path`).
static struct kinfo_symtab *symtab_from_map(struct kinfo *ki, char *text, const char *path,
					    enum kinfo_source src, struct kinfo_err *err)
{
	size_t n = 0, nk = 0, nf = 0;
	struct raw_sym *raw = NULL;
	const char **nokprobe = NULL;
	struct kinfo_sym *syms = NULL;
	struct kinfo_symtab *st = NULL;
	struct markers mk;
	int x86 = is_x86(ki->paths.arch);

	raw = parse_map(text, &n);
	if (!raw)
		goto nomem;
	memset(&mk, 0, sizeof(mk));
	nokprobe = malloc((n + 1) * sizeof(*nokprobe));
	syms = malloc((n + 1) * sizeof(*syms));
	if (!nokprobe || !syms)
		goto nomem;
	for (size_t i = 0; i < n; i++) {
		const char *s = raw[i].name;

		if (strcmp(s, "_stext") == 0)
			mk.stext = raw[i].addr;
		else if (strcmp(s, "_etext") == 0)
			mk.etext = raw[i].addr;
		else if (strncmp(s, "_kbl_addr_", 10) == 0)
			nokprobe[nk++] = s + 10;
		for (int r = 0; r < 6; r++) {
			if (strcmp(s, range_why[r].start) == 0)
				mk.range[r][0] = raw[i].addr;
			else if (strcmp(s, range_why[r].end) == 0)
				mk.range[r][1] = raw[i].addr;
		}
	}
	qsort(nokprobe, nk, sizeof(*nokprobe), raw_name_cmp);
	mk.sinit = mk.range[5][0];
	mk.einit = mk.range[5][1];
	// Without addresses (kallsyms read without CAP_SYSLOG) nothing is ranged.
	int have_addrs = mk.stext && mk.etext > mk.stext;

	for (size_t i = 0; i < n; i++) {
		struct raw_sym *r = &raw[i];
		unsigned long long a = r->addr;
		enum kinfo_refusal why = KINFO_OK;

		if (!strchr("tTwW", r->type) || not_a_function(r->name))
			continue;
		if (have_addrs && !(a >= mk.stext && a < mk.etext) &&
		    !(mk.einit > mk.sinit && a >= mk.sinit && a < mk.einit))
			continue;
		for (int k = 0; k < 6 && have_addrs && !why; k++) {
			if ((range_why[k].x86_only && !x86) || (range_why[k].non_x86_only && x86))
				continue;
			if (mk.range[k][1] > mk.range[k][0] && a >= mk.range[k][0] &&
			    a < mk.range[k][1])
				why = range_why[k].why;
		}
		if (!why && strncmp(r->name, "__SCT__", 7) == 0)
			why = KINFO_REFUSED_STATIC_CALL;
		if (!why) {
			// "fn.isra.0" is refused when "fn" is (within_kprobe_blacklist()).
			char base[512];
			const char *key = r->name;
			const char *dot = strchr(r->name, '.');

			if (dot && (size_t)(dot - r->name) < sizeof(base)) {
				memcpy(base, r->name, (size_t)(dot - r->name));
				base[dot - r->name] = '\0';
				key = base;
			}
			if (bsearch(&key, nokprobe, nk, sizeof(*nokprobe), raw_name_cmp))
				why = KINFO_REFUSED_NOKPROBE;
		}
		syms[nf].name = kinfo__strdup(&ki->arena, r->name);
		syms[nf].why = (unsigned char)why;
		if (!syms[nf].name)
			goto nomem;
		nf++;
	}
	if (nf == 0) {
		kinfo__err(err, "%s lists no functions", path);
		free(syms);
		goto out;
	}
	// A clone inherits the refusal of its base even when listed before it.
	st = kinfo__symtab_new(ki, src, kinfo__strdup(&ki->arena, path), syms, nf);
	if (st)
		st->ranged = have_addrs;
	if (st) {
		for (size_t i = 0; i < st->n; i++) {
			const char *dot = strchr(st->syms[i].name, '.');
			if (!dot || st->syms[i].why)
				continue;
			struct kinfo_sym key = { .name = kinfo__strndup(&ki->arena, st->syms[i].name,
							      (size_t)(dot - st->syms[i].name)) };
			struct kinfo_sym *b = key.name ? bsearch(&key, st->syms, st->n,
							 sizeof(key), sym_cmp) : NULL;
			if (b && b->why)
				st->syms[i].why = b->why;
		}
	}
	goto out;
nomem:
	kinfo__err(err, "out of memory reading %s", path);
	free(syms);
out:
	free(nokprobe);
	free(raw);
	free(text);
	return st;
}

// ---- BTF ----

static int cstr_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

// Without addresses (BTF only) the refusals of Linux 6.1.0-56-amd64 are used
// as a guess: kinfo_nokprobe.c, generated from its System.map.
static enum kinfo_refusal nokprobe_heuristic(const char *name)
{
	char base[512];
	const char *key = base;

	kinfo__fmt(base, sizeof(base), "%.*s", (int)strcspn(name, "."), name);
	if (bsearch(&key, kinfo__nokprobe_names, kinfo__n_nokprobe_names, sizeof(char *),
		    cstr_cmp))
		return KINFO_REFUSED_HEURISTIC;
	return KINFO_OK;
}

static struct kinfo_symtab *symtab_from_btf(struct kinfo *ki, struct kinfo_err *err)
{
	if (kinfo__load_btf(ki, err) != 0)
		return NULL;
	const struct btf *btf = ki->btf;
	uint32_t cnt = btf__type_cnt(btf);
	struct kinfo_sym *syms = malloc(cnt * sizeof(*syms));
	size_t n = 0;

	if (!syms) {
		kinfo__err(err, "out of memory");
		return NULL;
	}
	for (uint32_t id = 1; id < cnt; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);

		if (!btf_is_func(t))
			continue;
		// The string stays valid while the btf lives, i.e. until kinfo_close.
		syms[n].name = btf__name_by_offset(btf, t->name_off);
		syms[n].why = (unsigned char)nokprobe_heuristic(syms[n].name);
		n++;
	}
	if (n == 0) {
		free(syms);
		kinfo__err(err, "the BTF of kernel %s has no functions", ki->paths.release);
		return NULL;
	}
	return kinfo__symtab_new(ki, KINFO_SRC_BTF, ki->btf_source, syms, n);
}

// ---- the kernel's list ----

// ---- the function-list cache ----
//
// Parsing and sorting a System.map or the image's kallsyms costs ~100 ms; the
// result is cached as "kinfo-fn v1 <source> <file>\n" then one "<why> <name>\n"
// per function, sorted, and read back in a few ms.

static void fn_cache_write(struct kinfo *ki, const char *path, const struct kinfo_symtab *st)
{
	size_t cap = 64 + strlen(st->file), len;

	for (size_t i = 0; i < st->n; i++)
		cap += strlen(st->syms[i].name) + 4;
	char *buf = malloc(cap);
	if (!buf)
		return;
	len = (size_t)snprintf(buf, cap, "kinfo-fn v1 %d %s\n", (int)st->source, st->file);
	for (size_t i = 0; i < st->n; i++)
		len += (size_t)snprintf(buf + len, cap - len, "%c %s\n", '0' + st->syms[i].why,
					st->syms[i].name);
	kinfo__cache_write(ki, path, buf, len);
	free(buf);
}

static struct kinfo_symtab *fn_cache_read(struct kinfo *ki, const char *path,
					  enum kinfo_source src)
{
	size_t len, n = 0;
	char *buf = kinfo__read_file(path, &len), *p, *nl;
	int s = -1, off = 0;

	if (!buf)
		return NULL;
	if (sscanf(buf, "kinfo-fn v1 %d %n", &s, &off) != 1 || s != (int)src || !off ||
	    !(nl = strchr(buf, '\n')))
		goto bad;
	for (p = nl + 1; *p; p++)
		n += *p == '\n';
	struct kinfo_sym *syms = malloc((n + 1) * sizeof(*syms));
	struct kinfo_symtab *st = kinfo__alloc(&ki->arena, sizeof(*st));
	if (!syms || !st) {
		free(syms);
		goto bad;
	}
	*nl = '\0';
	st->file = kinfo__strdup(&ki->arena, buf + off);
	n = 0;
	for (p = nl + 1; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (!nl || p[0] < '0' || p[0] > '0' + KINFO_REFUSED_HEURISTIC || p[1] != ' ') {
			free(syms);
			goto bad;
		}
		*nl = '\0';
		syms[n].why = (unsigned char)(p[0] - '0');
		syms[n].name = p + 2;
		n++;
	}
	st->source = src;
	st->syms = syms;
	st->n = n;
	st->buf = buf;
	st->ranged = 1;
	return st;
bad:
	free(buf);
	return NULL;
}

static struct kinfo_symtab *symtab_from_file(struct kinfo *ki, const char *path,
					     enum kinfo_source src, struct kinfo_err *err)
{
	char *text = kinfo__read_file(path, NULL);

	if (!text) {
		kinfo__err(err, "cannot read %s: %s", path, strerror(errno));
		return NULL;
	}
	return symtab_from_map(ki, text, path, src, err);
}

// System.map or the image's kallsyms, through the cache.
static struct kinfo_symtab *cached_symtab(struct kinfo *ki, const char *file,
					  enum kinfo_source src, struct kinfo_err *err)
{
	char *cpath = kinfo__cache_file(ki, file, src == KINFO_SRC_SYSTEM_MAP ? "mapfn" : "fn");
	struct kinfo_symtab *st = cpath ? fn_cache_read(ki, cpath, src) : NULL;

	if (st)
		return st;
	if (src == KINFO_SRC_SYSTEM_MAP) {
		st = symtab_from_file(ki, file, src, err);
	} else {
		size_t len;
		const char *from = NULL;
		char *text = kinfo__load_image_map(ki, &len, &from, err);

		if (text)
			st = symtab_from_map(ki, text, kinfo__strdup(&ki->arena, from), src, err);
	}
	if (st && cpath)
		fn_cache_write(ki, cpath, st);
	return st;
}

static void symtab_drop(struct kinfo_symtab *st)
{
	if (st) {
		free(st->syms);
		free(st->buf);
	}
}

static void append(char *buf, size_t size, const char *msg)
{
	size_t l = strlen(buf);

	kinfo__fmt(buf + l, size - l, "%s%s", l ? "; " : "", msg);
}

const struct kinfo_symtab *kinfo_kernel_symtab(struct kinfo *ki, struct kinfo_err *err)
{
	struct kinfo_err e;
	char tried[sizeof(e.msg)] = "";
	unsigned fl = ki->opts.flags;
	const char *image;

	if (ki->syms_loaded) {
		if (!ki->syms)
			kinfo__copy_err(err, ki->syms_err);
		return ki->syms;
	}
	ki->syms_loaded = 1;
	// Without root, /proc/kallsyms shows no addresses and so no section ranges;
	// then a System.map or the image (same kernel) is better, if there is one.
	struct kinfo_symtab *unranged = NULL;
	if (ki->paths.running && !(fl & KINFO_NO_KALLSYMS)) {
		ki->syms = symtab_from_file(ki, "/proc/kallsyms", KINFO_SRC_KALLSYMS, &e);
		if (ki->syms && ki->syms->ranged)
			return ki->syms;
		if (ki->syms)
			unranged = ki->syms;
		else
			append(tried, sizeof(tried), e.msg);
		ki->syms = NULL;
	}
	if (ki->paths.system_map && !(fl & KINFO_NO_SYSTEM_MAP)) {
		ki->syms = cached_symtab(ki, ki->paths.system_map, KINFO_SRC_SYSTEM_MAP, &e);
		if (ki->syms) {
			symtab_drop(unranged);
			return ki->syms;
		}
		append(tried, sizeof(tried), e.msg);
	} else if (!(fl & KINFO_NO_SYSTEM_MAP)) {
		append(tried, sizeof(tried), "no full System.map");
	}
	if (!(fl & KINFO_NO_IMAGE_KALLSYMS) && (image = kinfo__image_file(ki)) != NULL) {
		ki->syms = cached_symtab(ki, image, KINFO_SRC_IMAGE_KALLSYMS, &e);
		if (ki->syms) {
			symtab_drop(unranged);
			return ki->syms;
		}
		append(tried, sizeof(tried), e.msg);
	}
	if (unranged)
		return ki->syms = unranged;
	ki->syms = symtab_from_btf(ki, &e);
	if (ki->syms)
		return ki->syms;
	append(tried, sizeof(tried), e.msg);
	kinfo__fmt(ki->syms_err, sizeof(ki->syms_err),
		   "no function list for kernel %s (%s): probe points will be checked at "
		   "load time", ki->paths.release, tried);
	kinfo__copy_err(err, ki->syms_err);
	return NULL;
}

enum kinfo_source kinfo_symtab_source(const struct kinfo_symtab *st)
{
	return st ? st->source : KINFO_SRC_NONE;
}

const char *kinfo_symtab_file(const struct kinfo_symtab *st)
{
	return st ? st->file : NULL;
}

size_t kinfo_symtab_count(const struct kinfo_symtab *st)
{
	return st ? st->n : 0;
}

static struct kinfo_sym *find(const struct kinfo_symtab *st, const char *name)
{
	struct kinfo_sym key = { .name = name };

	return st ? bsearch(&key, st->syms, st->n, sizeof(key), sym_cmp) : NULL;
}

int kinfo_symtab_lookup(const struct kinfo_symtab *st, const char *name,
			enum kinfo_refusal *why)
{
	struct kinfo_sym *s = find(st, name);

	if (why)
		*why = s ? (enum kinfo_refusal)s->why : KINFO_OK;
	return s != NULL;
}

// First index whose name is >= key.
static size_t lower_bound(const struct kinfo_sym *v, size_t n, const char *key, size_t klen)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strncmp(v[mid].name, key, klen) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

long kinfo_symtab_match(const struct kinfo_symtab *st, const char *glob,
			kinfo_name_fn cb, void *arg)
{
	long count = 0;

	if (!st)
		return -1;
	// The literal prefix of the glob bounds the range to scan; the longest
	// literal run elsewhere (simple globs only) is a cheap strstr() filter.
	size_t plen = strcspn(glob, "*?[\\");
	char lit[256] = "";
	if (!strpbrk(glob, "[\\")) {
		for (const char *p = glob; *p; ) {
			size_t l = strcspn(p, "*?");
			if (l > strlen(lit) && l < sizeof(lit))
				kinfo__fmt(lit, sizeof(lit), "%.*s", (int)l, p);
			p += l + (p[l] != '\0');
		}
	}
	size_t i = lower_bound(st->syms, st->n, glob, plen);
	for (; i < st->n; i++) {
		const char *name = st->syms[i].name;

		if (plen && strncmp(name, glob, plen) != 0)
			break;
		if ((lit[0] && !strstr(name, lit)) || !kinfo_glob_match(glob, name))
			continue;
		count++;
		if (cb && cb(name, arg))
			break;
	}
	return count;
}

enum kinfo_source kinfo_function_source(struct kinfo *ki, struct kinfo_err *err)
{
	return kinfo_symtab_source(kinfo_kernel_symtab(ki, err));
}

int kinfo_function_exists(struct kinfo *ki, const char *name)
{
	const struct kinfo_symtab *st = kinfo_kernel_symtab(ki, NULL);

	return st ? kinfo_symtab_lookup(st, name, NULL) : -1;
}

long kinfo_match_functions(struct kinfo *ki, const char *glob, kinfo_name_fn cb, void *arg)
{
	return kinfo_symtab_match(kinfo_kernel_symtab(ki, NULL), glob, cb, arg);
}

enum kinfo_refusal kinfo_is_blacklisted(struct kinfo *ki, const char *name)
{
	enum kinfo_refusal why = KINFO_OK;
	const struct kinfo_symtab *st = kinfo_kernel_symtab(ki, NULL);

	if (st && !kinfo_symtab_lookup(st, name, &why) && st->source == KINFO_SRC_BTF)
		why = nokprobe_heuristic(name);
	return why;
}

const char *kinfo_source_name(enum kinfo_source src)
{
	switch (src) {
	case KINFO_SRC_NONE: return "none";
	case KINFO_SRC_KALLSYMS: return "kallsyms";
	case KINFO_SRC_SYSTEM_MAP: return "System.map";
	case KINFO_SRC_IMAGE_KALLSYMS: return "image kallsyms";
	case KINFO_SRC_BTF: return "BTF";
	case KINFO_SRC_KO_SYMTAB: return "module symtab";
	}
	return "?";
}

const char *kinfo_refusal_str(enum kinfo_refusal why)
{
	switch (why) {
	case KINFO_OK: return "not refused";
	case KINFO_REFUSED_KPROBES_TEXT: return "in .kprobes.text (__kprobes)";
	case KINFO_REFUSED_NOINSTR: return "in .noinstr.text (noinstr)";
	case KINFO_REFUSED_ENTRY_TEXT: return "in .entry.text (low-level entry code)";
	case KINFO_REFUSED_IRQENTRY_TEXT: return "in .irqentry.text";
	case KINFO_REFUSED_NOKPROBE: return "marked NOKPROBE_SYMBOL";
	case KINFO_REFUSED_INIT_TEXT: return "__init code, freed after boot";
	case KINFO_REFUSED_STATIC_CALL: return "a static-call trampoline";
	case KINFO_REFUSED_HEURISTIC: return "refused in the reference kernel list (a guess: no symbol table)";
	}
	return "?";
}

// ---- modules ----

static void mod_canon(char *s)
{
	for (; *s; s++)
		if (*s == '-')
			*s = '_';
}

// "kernel/fs/ext4/ext4.ko.xz" -> "ext4"
static char *mod_name_of(struct kinfo *ki, const char *path, size_t len)
{
	const char *b = path + len;

	while (b > path && b[-1] != '/')
		b--;
	const char *ko = strstr(b, ".ko");
	if (!ko || ko > path + len)
		return NULL;
	char *n = kinfo__strndup(&ki->arena, b, (size_t)(ko - b));
	if (n)
		mod_canon(n);
	return n;
}

static int mod_add(struct kinfo *ki, size_t *cap, const char *rel, size_t rlen)
{
	char *name = mod_name_of(ki, rel, rlen);

	if (!name)
		return 0;
	if (ki->n_mods == *cap) {
		size_t nc = *cap ? *cap * 2 : 1024;
		struct kinfo_modfile *v = realloc(ki->mods, nc * sizeof(*v));

		if (!v)
			return -1;
		ki->mods = v;
		*cap = nc;
	}
	ki->mods[ki->n_mods].name = name;
	ki->mods[ki->n_mods].path = kinfo__printf(&ki->arena, "%s/%.*s",
						  ki->paths.modules_dir, (int)rlen, rel);
	ki->n_mods++;
	return 0;
}

// Without modules.dep: every *.ko* below dir (rel: its path under modules_dir).
static void walk_modules(struct kinfo *ki, size_t *cap, const char *rel, int depth)
{
	char path[4096];
	DIR *d;
	struct dirent *de;

	snprintf(path, sizeof(path), "%s/%s", ki->paths.modules_dir, rel);
	if (depth > 16 || !(d = opendir(path)))
		return;
	while ((de = readdir(d)) != NULL) {
		char sub[4096];

		if (de->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", rel, de->d_name);
		if (strstr(de->d_name, ".ko"))
			mod_add(ki, cap, sub, strlen(sub));
		else if (de->d_type == DT_DIR || de->d_type == DT_UNKNOWN)
			walk_modules(ki, cap, sub, depth + 1);
	}
	closedir(d);
}

static int modfile_cmp(const void *a, const void *b)
{
	const struct kinfo_modfile *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : (x < y ? -1 : x > y);
}

static int load_moddep(struct kinfo *ki, struct kinfo_err *err)
{
	const struct kinfo_paths *p = &ki->paths;
	char path[4096];
	size_t cap = 0;

	if (ki->moddep_loaded) {
		if (ki->moddep_err[0])
			kinfo__copy_err(err, ki->moddep_err);
		return ki->moddep_err[0] ? -1 : 0;
	}
	ki->moddep_loaded = 1;
	if (!p->modules_dir) {
		kinfo__fmt(ki->moddep_err, sizeof(ki->moddep_err),
			 "the modules of kernel %s are not installed on this host "
			 "(no /lib/modules/%s/kernel; only its headers are?)", p->release, p->release);
		kinfo__copy_err(err, ki->moddep_err);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/modules.dep", p->modules_dir);
	char *dep = kinfo__read_file(path, NULL);
	if (dep) {
		for (char *l = dep; *l; ) {
			char *colon = strchr(l, ':'), *nl = strchr(l, '\n');

			if (colon && (!nl || colon < nl) && mod_add(ki, &cap, l, (size_t)(colon - l)))
				break;
			l = nl ? nl + 1 : l + strlen(l);
		}
		free(dep);
	} else {
		walk_modules(ki, &cap, "kernel", 0);
	}
	if (ki->n_mods == 0) {
		kinfo__fmt(ki->moddep_err, sizeof(ki->moddep_err),
			 "no modules of kernel %s found in %s", p->release, p->modules_dir);
		kinfo__copy_err(err, ki->moddep_err);
		return -1;
	}
	qsort(ki->mods, ki->n_mods, sizeof(*ki->mods), modfile_cmp);
	return 0;
}

long kinfo_match_modules(struct kinfo *ki, const char *glob, kinfo_name_fn cb,
			 void *arg, struct kinfo_err *err)
{
	long count = 0;
	char g[512];

	if (load_moddep(ki, err) != 0)
		return -1;
	snprintf(g, sizeof(g), "%s", glob);
	mod_canon(g);
	for (size_t i = 0; i < ki->n_mods; i++) {
		const char *name = ki->mods[i].name;

		if (i && strcmp(name, ki->mods[i - 1].name) == 0)
			continue;
		if (!kinfo_glob_match(g, name))
			continue;
		count++;
		if (cb && cb(name, arg))
			break;
	}
	return count;
}

const char *kinfo_module_path(struct kinfo *ki, const char *name)
{
	char key[512];
	size_t lo = 0, hi;

	if (load_moddep(ki, NULL) != 0)
		return NULL;
	snprintf(key, sizeof(key), "%s", name);
	mod_canon(key);
	for (hi = ki->n_mods; lo < hi; ) {	// first entry >= key
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(ki->mods[mid].name, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < ki->n_mods && strcmp(ki->mods[lo].name, key) == 0)
		return ki->mods[lo].path;
	return NULL;
}

// Is `name` built into the kernel (modules.builtin)?
static int builtin_module(struct kinfo *ki, const char *name)
{
	char path[4096];
	int found = 0;

	snprintf(path, sizeof(path), "/lib/modules/%s/modules.builtin", ki->paths.release);
	char *text = kinfo__read_file(path, NULL);
	if (!text)
		return 0;
	for (char *l = text; *l && !found; ) {
		char *nl = strchr(l, '\n');
		size_t len = nl ? (size_t)(nl - l) : strlen(l);
		char *n = mod_name_of(ki, l, len);

		if (n && strcmp(n, name) == 0)
			found = 1;
		l += len + (nl != NULL);
	}
	free(text);
	return found;
}

// Functions of a .ko: STT_FUNC symbols defined in executable sections; the
// section tells what kprobes refuse (a module keeps its own sections).
static struct kinfo_symtab *symtab_from_ko(struct kinfo *ki, const char *path,
					   struct kinfo_err *err)
{
	Dwfl *dwfl = NULL;
	Elf *e = kinfo__open_elf(path, &dwfl, err);
	Elf_Scn *scn = NULL;
	struct kinfo_sym *syms = NULL;
	const char **nokprobe = NULL;
	size_t shstrndx, n = 0, nk = 0;
	struct kinfo_symtab *st = NULL;

	if (!e)
		return NULL;
	if (elf_getshdrstrndx(e, &shstrndx) != 0) {
		kinfo__err(err, "%s is not a readable ELF file", path);
		goto out;
	}
	while ((scn = elf_nextscn(e, scn)) != NULL) {
		GElf_Shdr sh;

		if (gelf_getshdr(scn, &sh) && sh.sh_type == SHT_SYMTAB)
			break;
	}
	Elf_Data *data = scn ? elf_getdata(scn, NULL) : NULL;
	GElf_Shdr symsh;
	if (!data || !gelf_getshdr(scn, &symsh) || !symsh.sh_entsize) {
		kinfo__err(err, "%s has no symbol table (stripped?)", path);
		goto out;
	}
	size_t nsyms = symsh.sh_size / symsh.sh_entsize;
	syms = malloc((nsyms + 1) * sizeof(*syms));
	nokprobe = malloc((nsyms + 1) * sizeof(*nokprobe));
	if (!syms || !nokprobe) {
		kinfo__err(err, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < nsyms; i++) {
		GElf_Sym s;
		GElf_Shdr sh;
		const char *name, *sec;
		Elf_Scn *ss;

		if (!gelf_getsym(data, (int)i, &s) ||
		    !(name = elf_strptr(e, symsh.sh_link, s.st_name)) || !*name)
			continue;
		if (strncmp(name, "_kbl_addr_", 10) == 0) {
			nokprobe[nk++] = name + 10;
			continue;
		}
		if (GELF_ST_TYPE(s.st_info) != STT_FUNC || s.st_shndx == SHN_UNDEF ||
		    s.st_shndx >= SHN_LORESERVE || not_a_function(name))
			continue;
		if (!(ss = elf_getscn(e, s.st_shndx)) || !gelf_getshdr(ss, &sh) ||
		    !(sh.sh_flags & SHF_EXECINSTR))
			continue;
		sec = elf_strptr(e, shstrndx, sh.sh_name);
		enum kinfo_refusal why = KINFO_OK;
		if (sec && strncmp(sec, ".kprobes.text", 13) == 0)
			why = KINFO_REFUSED_KPROBES_TEXT;
		else if (sec && strncmp(sec, ".noinstr.text", 13) == 0)
			why = KINFO_REFUSED_NOINSTR;
		else if (sec && strncmp(sec, ".entry.text", 11) == 0)
			why = KINFO_REFUSED_ENTRY_TEXT;
		syms[n].name = kinfo__strdup(&ki->arena, name);
		syms[n].why = (unsigned char)why;
		n++;
	}
	if (n == 0) {
		kinfo__err(err, "%s defines no functions", path);
		goto out;
	}
	st = kinfo__symtab_new(ki, KINFO_SRC_KO_SYMTAB, kinfo__strdup(&ki->arena, path), syms, n);
	syms = NULL;
	for (size_t i = 0; st && i < nk; i++) {
		struct kinfo_sym *s = find(st, nokprobe[i]);
		if (s && !s->why)
			s->why = KINFO_REFUSED_NOKPROBE;
	}
out:
	free(syms);
	free(nokprobe);
	dwfl_end(dwfl);
	return st;
}

const struct kinfo_symtab *kinfo_module_symtab(struct kinfo *ki, const char *name,
					       struct kinfo_err *err)
{
	char key[512];
	struct kinfo_module *m;

	snprintf(key, sizeof(key), "%s", name);
	mod_canon(key);
	for (m = ki->modules; m; m = m->next)
		if (strcmp(m->name, key) == 0)
			goto done;
	m = kinfo__alloc(&ki->arena, sizeof(*m));
	if (!m) {
		kinfo__err(err, "out of memory");
		return NULL;
	}
	m->name = kinfo__strdup(&ki->arena, key);
	m->next = ki->modules;
	ki->modules = m;

	struct kinfo_err e = { "" };
	if (load_moddep(ki, &e) != 0) {
		kinfo__fmt(m->err, sizeof(m->err), "module '%s': %s", name, e.msg);
	} else {
		const char *path = kinfo_module_path(ki, key);

		if (!path && builtin_module(ki, key))
			kinfo__fmt(m->err, sizeof(m->err),
				 "module '%s' is built into kernel %s: its functions are "
				 "kernel.function()s", name, ki->paths.release);
		else if (!path)
			kinfo__fmt(m->err, sizeof(m->err), "module '%s' not found in %s", name,
				 ki->paths.modules_dir);
		else if (!kinfo__file_exists(path))
			kinfo__fmt(m->err, sizeof(m->err), "module '%s': %s is listed in "
				   "modules.dep but missing (the modules of kernel %s are not "
				   "installed on this host?)", name, path, ki->paths.release);
		else if (!(m->st = symtab_from_ko(ki, path, &e)))
			kinfo__fmt(m->err, sizeof(m->err), "module '%s': %s", name, e.msg);
	}
done:
	if (!m->st)
		kinfo__copy_err(err, m->err);
	return m->st;
}
