// kinfo.c: opening a target kernel (where are its files?), .config lookups,
// the arena, error messages and the glob matcher shared by every kinfo file.
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <bpf/btf.h>
#include "kinfo-int.h"

// ---- arena ----

struct kinfo_chunk {
	struct kinfo_chunk *next;
	size_t used, cap;
	_Alignas(16) unsigned char data[];
};

void *kinfo__alloc(struct kinfo_arena *a, size_t n)
{
	struct kinfo_chunk *c = a->chunks;

	n = (n + 15) & ~(size_t)15;
	if (!c || c->cap - c->used < n) {
		size_t cap = n > 65536 ? n : 65536;

		c = malloc(sizeof(*c) + cap);
		if (!c)
			return NULL;
		c->used = 0;
		c->cap = cap;
		c->next = a->chunks;
		a->chunks = c;
	}
	void *p = c->data + c->used;
	c->used += n;
	memset(p, 0, n);
	return p;
}

char *kinfo__strndup(struct kinfo_arena *a, const char *s, size_t n)
{
	char *p = kinfo__alloc(a, n + 1);

	if (p)
		memcpy(p, s, n);
	return p;
}

char *kinfo__strdup(struct kinfo_arena *a, const char *s)
{
	return s ? kinfo__strndup(a, s, strlen(s)) : NULL;
}

char *kinfo__printf(struct kinfo_arena *a, const char *fmt, ...)
{
	va_list ap;
	char small[512];

	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	char *p = kinfo__alloc(a, (size_t)n + 1);
	if (!p)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void kinfo__arena_free(struct kinfo_arena *a)
{
	while (a->chunks) {
		struct kinfo_chunk *c = a->chunks;

		a->chunks = c->next;
		free(c);
	}
}

// ---- errors and files ----

void kinfo__err(struct kinfo_err *err, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
}

void kinfo__fmt(char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, n, fmt, ap);
	va_end(ap);
}

void kinfo__copy_err(struct kinfo_err *err, const char *msg)
{
	if (err)
		snprintf(err->msg, sizeof(err->msg), "%s", msg);
}

char *kinfo__read_file(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	struct stat st;
	size_t cap = 65536, n = 0;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
		cap = (size_t)st.st_size + 1;
	char *buf = malloc(cap);
	if (!buf)
		goto fail;
	for (;;) {
		if (n + 1 >= cap) {
			char *nb = realloc(buf, cap * 2);
			if (!nb)
				goto fail;
			buf = nb;
			cap *= 2;
		}
		ssize_t r = read(fd, buf + n, cap - n - 1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
fail:;
	int e = errno;
	free(buf);
	close(fd);
	errno = e;
	return NULL;
}

int kinfo__file_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

// ---- glob ----

// Matches one [...] class at *pp against c; advances *pp past it.  A class
// without its ']' is taken literally, as fnmatch does.
static int class_match(const char **pp, unsigned char c, int *ok)
{
	const char *p = *pp + 1;
	int neg = 0, hit = 0;

	if (*p == '!' || *p == '^') {
		neg = 1;
		p++;
	}
	const char *first = p;
	while (*p && (*p != ']' || p == first)) {
		unsigned char lo, hi;

		if (*p == '\\' && p[1])
			p++;
		lo = hi = (unsigned char)*p++;
		if (*p == '-' && p[1] && p[1] != ']') {
			p++;
			if (*p == '\\' && p[1])
				p++;
			hi = (unsigned char)*p++;
		}
		if (lo <= c && c <= hi)
			hit = 1;
	}
	if (*p != ']') {
		*ok = 0;	// unterminated: literal '['
		return c == '[';
	}
	*ok = 1;
	*pp = p + 1;
	return hit != neg;
}

int kinfo_glob_match(const char *pat, const char *s)
{
	const char *star_p = NULL, *star_s = NULL;

	for (;;) {
		if (*pat == '*') {
			while (*pat == '*')
				pat++;
			if (!*pat)
				return 1;
			star_p = pat;
			star_s = s;
			continue;
		}
		if (*s) {
			const char *np = pat + 1;
			int m;

			if (*pat == '?') {
				m = 1;
			} else if (*pat == '[') {
				int ok;
				const char *q = pat;

				m = class_match(&q, (unsigned char)*s, &ok);
				np = ok ? q : pat + 1;
			} else if (*pat == '\\' && pat[1]) {
				m = pat[1] == *s;
				np = pat + 2;
			} else {
				m = *pat && *pat == *s;
			}
			if (m) {
				pat = np;
				s++;
				continue;
			}
		} else if (!*pat) {
			return 1;
		}
		if (!star_p || !*star_s)
			return 0;
		pat = star_p;	// let the last '*' swallow one more character
		s = ++star_s;
	}
}

// ---- locating the target ----

static const char *first_existing(struct kinfo *ki, int (*ok)(const char *), ...)
{
	va_list ap;
	const char *p, *found = NULL;

	va_start(ap, ok);
	while ((p = va_arg(ap, const char *)) != NULL)
		if (!found && ok(p))
			found = p;
	va_end(ap);
	return found ? kinfo__strdup(&ki->arena, found) : NULL;
}

// Debian's /boot/System.map-REL is a one-line stub; a real one has ~100k lines.
static int real_system_map(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 65536;
}

static int elf_file(const char *path)
{
	unsigned char magic[4];
	int fd = open(path, O_RDONLY | O_CLOEXEC), ok = 0;

	if (fd < 0)
		return 0;
	if (read(fd, magic, 4) == 4 && memcmp(magic, "\177ELF", 4) == 0)
		ok = 1;
	close(fd);
	return ok;
}

// UTS_RELEASE of a build tree; Debian's include/config/kernel.release holds the
// upstream version ("6.1.192"), not the package release, so it comes second.
static char *build_dir_release(struct kinfo *ki, const char *dir)
{
	char path[4096], *text, *res = NULL;

	snprintf(path, sizeof(path), "%s/include/generated/utsrelease.h", dir);
	if ((text = kinfo__read_file(path, NULL)) != NULL) {
		char *q = strstr(text, "UTS_RELEASE");
		char *a = q ? strchr(q, '"') : NULL;
		char *b = a ? strchr(a + 1, '"') : NULL;

		if (b)
			res = kinfo__strndup(&ki->arena, a + 1, (size_t)(b - a - 1));
		free(text);
	}
	if (res)
		return res;
	snprintf(path, sizeof(path), "%s/include/config/kernel.release", dir);
	if ((text = kinfo__read_file(path, NULL)) != NULL) {
		text[strcspn(text, "\n")] = '\0';
		if (*text)
			res = kinfo__strdup(&ki->arena, text);
		free(text);
	}
	return res;
}

static char *default_cache_dir(struct kinfo *ki)
{
	const char *d = getenv("SYSTEMTAP_DIR");

	if (d && *d)
		return kinfo__printf(&ki->arena, "%s/cache", d);
	d = getenv("HOME");
	if (d && *d)
		return kinfo__printf(&ki->arena, "%s/.systemtap/cache", d);
	return NULL;
}

struct kinfo *kinfo_open(const char *target, const char *arch,
			 const struct kinfo_opts *opts, struct kinfo_err *err)
{
	struct kinfo *ki = calloc(1, sizeof(*ki));
	struct kinfo_paths *p;
	struct utsname uts;
	char a[4096], b[4096], c[4096], d[4096];

	if (err)
		err->msg[0] = '\0';
	if (!ki) {
		kinfo__err(err, "out of memory");
		return NULL;
	}
	p = &ki->paths;
	if (opts)
		ki->opts = *opts;
	ki->cache_dir = ki->opts.cache_dir ? kinfo__strdup(&ki->arena, ki->opts.cache_dir)
					   : default_cache_dir(ki);
	if (uname(&uts) != 0)
		memset(&uts, 0, sizeof(uts));
	p->arch = kinfo__strdup(&ki->arena, arch ? arch : uts.machine);

	if (target && strchr(target, '/')) {
		if (!is_dir(target)) {
			kinfo__err(err, "kernel build directory '%s' does not exist", target);
			goto fail;
		}
		p->build_dir = kinfo__strdup(&ki->arena, target);
		p->release = build_dir_release(ki, target);
		if (!p->release) {
			kinfo__err(err, "cannot tell the kernel release of '%s' (no "
				   "include/generated/utsrelease.h)", target);
			goto fail;
		}
	} else {
		p->release = kinfo__strdup(&ki->arena, target ? target : uts.release);
		snprintf(a, sizeof(a), "/lib/modules/%s/build", p->release);
		if (is_dir(a))
			p->build_dir = kinfo__strdup(&ki->arena, a);
	}
	const char *rel = p->release, *bd = p->build_dir ? p->build_dir : "/nonexistent";
	p->running = strcmp(rel, uts.release) == 0;

	snprintf(a, sizeof(a), "%s/.config", bd);
	snprintf(b, sizeof(b), "/boot/config-%s", rel);
	p->config = first_existing(ki, kinfo__file_exists, a, b, (char *)NULL);

	snprintf(a, sizeof(a), "/boot/vmlinuz-%s", rel);
	snprintf(b, sizeof(b), "%s/arch/x86/boot/bzImage", bd);
	snprintf(c, sizeof(c), "/lib/modules/%s/vmlinuz", rel);
	p->image = first_existing(ki, kinfo__file_exists, a, b, c, (char *)NULL);

	// The order SystemTap reads them in: the build tree's first.
	snprintf(a, sizeof(a), "%s/System.map", bd);
	snprintf(b, sizeof(b), "/boot/System.map-%s", rel);
	snprintf(c, sizeof(c), "/lib/modules/%s/System.map", rel);
	snprintf(d, sizeof(d), "/usr/lib/debug/boot/System.map-%s", rel);
	p->system_map = first_existing(ki, real_system_map, a, b, c, d, (char *)NULL);

	snprintf(a, sizeof(a), "/usr/lib/debug/boot/vmlinux-%s", rel);
	snprintf(b, sizeof(b), "/usr/lib/debug/lib/modules/%s/vmlinux", rel);
	snprintf(c, sizeof(c), "%s/vmlinux", bd);
	snprintf(d, sizeof(d), "/lib/modules/%s/vmlinux", rel);
	p->debug_vmlinux = first_existing(ki, elf_file, a, b, c, d, (char *)NULL);

	snprintf(a, sizeof(a), "/lib/modules/%s/modules.dep", rel);
	snprintf(b, sizeof(b), "/lib/modules/%s/kernel", rel);
	if (kinfo__file_exists(a) || is_dir(b))
		p->modules_dir = kinfo__printf(&ki->arena, "/lib/modules/%s", rel);

	if (!p->build_dir && !p->image && !p->system_map && !p->debug_vmlinux &&
	    !p->modules_dir && !p->running) {
		kinfo__err(err, "kernel release '%s' is not installed: no /lib/modules/%s/build, "
			   "no /boot/vmlinuz-%s", rel, rel, rel);
		goto fail;
	}
	return ki;
fail:
	kinfo_close(ki);
	return NULL;
}

void kinfo_close(struct kinfo *ki)
{
	if (!ki)
		return;
	for (struct kinfo_module *m = ki->modules; m; m = m->next)
		if (m->st)
			free(m->st->syms);
	if (ki->syms) {
		free(ki->syms->syms);
		free(ki->syms->buf);
	}
	btf__free(ki->btf);
	free(ki->type_names);
	free(ki->funcs);
	free(ki->mods);
	free(ki->config_text);
	free(ki->image_map);
	kinfo__arena_free(&ki->arena);
	free(ki);
}

const struct kinfo_paths *kinfo_paths(const struct kinfo *ki)
{
	return &ki->paths;
}

const char *kinfo_config(struct kinfo *ki, const char *option)
{
	char key[256];

	if (!ki->config_loaded) {
		ki->config_loaded = 1;
		if (ki->paths.config)
			ki->config_text = kinfo__read_file(ki->paths.config, NULL);
	}
	if (!ki->config_text)
		return NULL;
	snprintf(key, sizeof(key), "%s%s=", strncmp(option, "CONFIG_", 7) ? "CONFIG_" : "",
		 option);
	size_t kl = strlen(key);
	for (const char *l = ki->config_text; *l; ) {
		const char *e = strchr(l, '\n');
		size_t n = e ? (size_t)(e - l) : strlen(l);

		if (n > kl && strncmp(l, key, kl) == 0)
			return kinfo__strndup(&ki->arena, l + kl, n - kl);
		l += n + (e != NULL);
	}
	return NULL;
}
