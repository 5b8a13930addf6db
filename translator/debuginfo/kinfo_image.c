// kinfo_image.c: getting the kernel's BTF without debuginfo.
//
// The BTF of a distribution kernel is inside its compressed image: /boot/vmlinuz
// is an x86 bzImage whose payload (xz on Debian, gzip elsewhere) is the stripped
// ELF vmlinux, which keeps its .BTF section (a few MB).  libdwfl already knows
// how to open such images (and .ko.xz files), with the decompressors libdw is
// linked with; zstd is not among them on Debian 12.  Decompressing takes ~1.5 s, so the .BTF bytes are cached in
// <cache>/kinfo-btf-<release>-<hash of path, size, mtime>.btf and later runs
// only parse that file.  When the target is the running kernel,
// /sys/kernel/btf/vmlinux is used as it is.
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <bpf/btf.h>
#include <elfutils/libdwfl.h>
#include <gelf.h>
#include "kinfo-int.h"

// ---- opening (maybe compressed) ELF files ----

static char *no_debuginfo_path = NULL;
static const Dwfl_Callbacks offline_callbacks = {
	.find_elf = dwfl_build_id_find_elf,
	.find_debuginfo = dwfl_standard_find_debuginfo,
	.debuginfo_path = &no_debuginfo_path,
};

// libdwfl opens what `path` holds: a plain ELF file, one compressed with gzip,
// bzip2 or xz (".ko.xz"), or a Linux bzImage (its setup header is skipped and
// the payload decompressed), which is what we need for /boot/vmlinuz.
Elf *kinfo__open_elf(const char *path, Dwfl **dwfl, struct kinfo_err *err)
{
	GElf_Addr bias;
	Dwfl_Module *mod;
	Elf *e;

	*dwfl = dwfl_begin(&offline_callbacks);
	if (!*dwfl) {
		kinfo__err(err, "libdwfl: %s", dwfl_errmsg(-1));
		return NULL;
	}
	mod = dwfl_report_offline(*dwfl, "kinfo", path, -1);
	e = mod ? dwfl_module_getelf(mod, &bias) : NULL;
	if (!e) {
		kinfo__err(err, "cannot read %s as an ELF file or compressed kernel image: %s",
			   path, dwfl_errmsg(-1));
		dwfl_end(*dwfl);
		*dwfl = NULL;
	}
	return e;
}

// The .BTF section of an ELF file.
static Elf_Data *btf_section(Elf *e)
{
	size_t shstrndx;
	Elf_Scn *scn = NULL;

	if (elf_getshdrstrndx(e, &shstrndx) != 0)
		return NULL;
	while ((scn = elf_nextscn(e, scn)) != NULL) {
		GElf_Shdr sh;
		const char *name;

		if (gelf_getshdr(scn, &sh) && sh.sh_type != SHT_NOBITS &&
		    (name = elf_strptr(e, shstrndx, sh.sh_name)) && strcmp(name, ".BTF") == 0)
			return elf_getdata(scn, NULL);
	}
	return NULL;
}

// ---- the cache ----

static int mkdir_p(const char *dir)
{
	char tmp[4096];

	snprintf(tmp, sizeof(tmp), "%s", dir);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(tmp, 0755) != 0 && errno != EEXIST ? -1 : 0;
}

// <cache>/kinfo-<release>-<hash of path, size, mtime>.<ext>
static char *cache_path(struct kinfo *ki, const char *src, const struct stat *st,
			const char *ext)
{
	uint64_t h = 1469598103934665603ull;	// FNV-1a
	char key[4200];
	int n = snprintf(key, sizeof(key), "v2|%s|%lld|%lld.%09ld", src, (long long)st->st_size,
			 (long long)st->st_mtim.tv_sec, st->st_mtim.tv_nsec);

	for (int i = 0; i < n && i < (int)sizeof(key); i++) {
		h ^= (unsigned char)key[i];
		h *= 1099511628211ull;
	}
	return kinfo__printf(&ki->arena, "%s/kinfo-%s-%016llx.%s", ki->cache_dir,
			     ki->paths.release, (unsigned long long)h, ext);
}

// Best effort: a cache that cannot be written only costs time.
static void cache_write(const char *path, const char *dir, const void *data, size_t len)
{
	char tmp[4200];
	int fd;

	if (mkdir_p(dir) != 0)
		return;
	snprintf(tmp, sizeof(tmp), "%s.%ld.tmp", path, (long)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	const unsigned char *p = data;
	size_t left = len;
	while (left) {
		ssize_t w = write(fd, p, left);
		if (w <= 0) {
			close(fd);
			unlink(tmp);
			return;
		}
		p += w;
		left -= (size_t)w;
	}
	if (close(fd) != 0 || rename(tmp, path) != 0)
		unlink(tmp);
}

// ---- the image ----

// Which file to decompress, and its cache file names.  0, or -1 if none.
static int image_source(struct kinfo *ki)
{
	const struct kinfo_paths *p = &ki->paths;
	struct stat st;

	if (ki->image_src)
		return 0;
	if (p->image)
		ki->image_src = p->image;
	else if (p->debug_vmlinux && !(ki->opts.flags & KINFO_NO_DEBUG_VMLINUX))
		ki->image_src = p->debug_vmlinux;
	if (!ki->image_src || stat(ki->image_src, &st) != 0) {
		ki->image_src = NULL;
		return -1;
	}
	if (ki->cache_dir && !(ki->opts.flags & KINFO_NO_CACHE)) {
		ki->cache_btf = cache_path(ki, ki->image_src, &st, "btf");
	}
	return 0;
}

// Decompresses the image once, keeping its BTF (in ki->btf unless already
// loaded) and its kallsyms text (in ki->image_map), and caches both.
static int extract_image(struct kinfo *ki, struct kinfo_err *err)
{
	Dwfl *dwfl;
	Elf *e;
	struct kinfo_err e2 = { "" };

	if (ki->image_done) {
		if (ki->image_err[0])
			kinfo__copy_err(err, ki->image_err);
		return ki->image_err[0] ? -1 : 0;
	}
	ki->image_done = 1;
	if (image_source(ki) != 0) {
		kinfo__fmt(ki->image_err, sizeof(ki->image_err),
			   "no kernel image /boot/vmlinuz-%s", ki->paths.release);
		goto fail;
	}
	e = kinfo__open_elf(ki->image_src, &dwfl, &e2);
	if (!e) {
		kinfo__fmt(ki->image_err, sizeof(ki->image_err), "%s", e2.msg);
		goto fail;
	}
	Elf_Data *d = btf_section(e);
	struct btf *btf = d && d->d_buf && d->d_size ? btf__new(d->d_buf, (uint32_t)d->d_size)
						     : NULL;
	if (btf && ki->cache_btf)
		cache_write(ki->cache_btf, ki->cache_dir, d->d_buf, d->d_size);
	if (btf && !ki->btf)
		ki->btf = btf;
	else
		btf__free(btf);
	if (!btf)
		kinfo__fmt(ki->image_err, sizeof(ki->image_err),
			   "%s has no usable .BTF section (kernel built without "
			   "CONFIG_DEBUG_INFO_BTF?)", ki->image_src);

	const char *abs = kinfo_config(ki, "CONFIG_KALLSYMS_ABSOLUTE_PERCPU");
	if (kinfo__image_kallsyms(e, abs && strcmp(abs, "y") == 0, &ki->image_map,
				  &ki->image_map_len, &e2) != 0 && !ki->image_err[0]) {
		kinfo__fmt(ki->image_err, sizeof(ki->image_err), "%s: %s", ki->image_src, e2.msg);
	}
	dwfl_end(dwfl);
	if (btf || ki->image_map)
		return 0;	// one of the two is still worth having
fail:
	kinfo__copy_err(err, ki->image_err);
	return -1;
}

const char *kinfo__image_file(struct kinfo *ki)
{
	return image_source(ki) == 0 ? ki->image_src : NULL;
}

char *kinfo__cache_file(struct kinfo *ki, const char *src, const char *ext)
{
	struct stat st;

	if (!ki->cache_dir || (ki->opts.flags & KINFO_NO_CACHE) || stat(src, &st) != 0)
		return NULL;
	return cache_path(ki, src, &st, ext);
}

void kinfo__cache_write(struct kinfo *ki, const char *path, const void *data, size_t len)
{
	cache_write(path, ki->cache_dir, data, len);
}

char *kinfo__load_image_map(struct kinfo *ki, size_t *len, const char **from,
			    struct kinfo_err *err)
{
	char *text;

	if (image_source(ki) != 0) {
		kinfo__err(err, "no kernel image /boot/vmlinuz-%s", ki->paths.release);
		return NULL;
	}
	if (extract_image(ki, err) != 0 && !ki->image_map)
		return NULL;
	if (!ki->image_map) {
		kinfo__err(err, "%s", ki->image_err);
		return NULL;
	}
	text = ki->image_map;
	*len = ki->image_map_len;
	ki->image_map = NULL;
	*from = ki->image_src;
	return text;
}

int kinfo__load_btf(struct kinfo *ki, struct kinfo_err *err)
{
	struct kinfo_err e2 = { "" };
	const struct kinfo_paths *p = &ki->paths;

	if (ki->btf_loaded) {
		if (!ki->btf)
			kinfo__copy_err(err, ki->btf_err);
		return ki->btf ? 0 : -1;
	}
	ki->btf_loaded = 1;
	if (ki->btf) {		// a kinfo__load_image_map() decompressed the image
		ki->btf_source = ki->image_src;
		return 0;
	}
	if (p->running && !(ki->opts.flags & KINFO_NO_KALLSYMS) &&
	    (ki->btf = btf__parse_raw("/sys/kernel/btf/vmlinux")) != NULL) {
		ki->btf_source = "/sys/kernel/btf/vmlinux";
		return 0;
	}
	if (image_source(ki) == 0 && ki->cache_btf && kinfo__file_exists(ki->cache_btf) &&
	    (ki->btf = btf__parse_raw(ki->cache_btf)) != NULL) {
		ki->btf_source = ki->cache_btf;
		ki->btf_from_cache = 1;
		return 0;
	}
	if (extract_image(ki, &e2) == 0 && ki->btf) {
		ki->btf_source = ki->image_src;
		return 0;
	}
	kinfo__fmt(ki->btf_err, sizeof(ki->btf_err), "no BTF for kernel %s: %s", p->release,
		   e2.msg[0] ? e2.msg : ki->image_err);
	kinfo__copy_err(err, ki->btf_err);
	return -1;
}

const char *kinfo_btf_source(struct kinfo *ki, int *from_cache, struct kinfo_err *err)
{
	if (kinfo__load_btf(ki, err) != 0)
		return NULL;
	if (from_cache)
		*from_cache = ki->btf_from_cache;
	return ki->btf_source;
}
