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

static char *cache_path(struct kinfo *ki, const char *src, const struct stat *st)
{
	uint64_t h = 1469598103934665603ull;	// FNV-1a over path, size, mtime
	char key[4200];
	int n = snprintf(key, sizeof(key), "%s|%lld|%lld.%09ld", src, (long long)st->st_size,
			 (long long)st->st_mtim.tv_sec, st->st_mtim.tv_nsec);

	for (int i = 0; i < n && i < (int)sizeof(key); i++) {
		h ^= (unsigned char)key[i];
		h *= 1099511628211ull;
	}
	return kinfo__printf(&ki->arena, "%s/kinfo-btf-%s-%016llx.btf", ki->cache_dir,
			     ki->paths.release, (unsigned long long)h);
}

// Best effort: a cache that cannot be written only costs time.
static void cache_write(const char *path, const char *dir, const void *blob, size_t len)
{
	char tmp[4200];
	int fd;

	if (mkdir_p(dir) != 0)
		return;
	snprintf(tmp, sizeof(tmp), "%s.%ld.tmp", path, (long)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	const unsigned char *p = blob;
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

// ---- loading ----

// The BTF of `src` (a compressed image or an ELF vmlinux) and a copy of its
// raw bytes for the cache.
static struct btf *btf_from_file(const char *src, unsigned char **blob, size_t *blob_len,
				 struct kinfo_err *err)
{
	Dwfl *dwfl;
	Elf *e = kinfo__open_elf(src, &dwfl, err);
	struct btf *btf = NULL;

	if (!e)
		return NULL;
	Elf_Data *d = btf_section(e);
	if (!d || !d->d_buf || !d->d_size) {
		kinfo__err(err, "%s has no .BTF section (kernel built without "
			   "CONFIG_DEBUG_INFO_BTF?)", src);
	} else if (!(btf = btf__new(d->d_buf, (uint32_t)d->d_size))) {
		kinfo__err(err, "libbpf cannot parse the .BTF of %s (%s)", src, strerror(errno));
	} else if ((*blob = malloc(d->d_size)) != NULL) {
		memcpy(*blob, d->d_buf, d->d_size);
		*blob_len = d->d_size;
	}
	dwfl_end(dwfl);
	return btf;
}

int kinfo__load_btf(struct kinfo *ki, struct kinfo_err *err)
{
	struct kinfo_err e2 = { "" };
	const struct kinfo_paths *p = &ki->paths;
	const char *src = NULL;
	struct stat st;

	if (ki->btf_loaded) {
		if (!ki->btf)
			kinfo__copy_err(err, ki->btf_err);
		return ki->btf ? 0 : -1;
	}
	ki->btf_loaded = 1;
	if (p->running && !(ki->opts.flags & KINFO_NO_KALLSYMS) &&
	    (ki->btf = btf__parse_raw("/sys/kernel/btf/vmlinux")) != NULL) {
		ki->btf_source = "/sys/kernel/btf/vmlinux";
		return 0;
	}
	// Decompressing the image is the slow part: big uncompressed vmlinux files
	// (-dbg package, build tree) are read directly but cached all the same.
	if (p->image)
		src = p->image;
	else if (p->debug_vmlinux && !(ki->opts.flags & KINFO_NO_DEBUG_VMLINUX))
		src = p->debug_vmlinux;
	if (!src || stat(src, &st) != 0) {
		kinfo__fmt(ki->btf_err, sizeof(ki->btf_err),
			 "no BTF for kernel %s: no kernel image (/boot/vmlinuz-%s) to read it from",
			 p->release, p->release);
		kinfo__copy_err(err, ki->btf_err);
		return -1;
	}
	char *cpath = NULL;
	if (ki->cache_dir && !(ki->opts.flags & KINFO_NO_CACHE)) {
		cpath = cache_path(ki, src, &st);
		if (kinfo__file_exists(cpath) && (ki->btf = btf__parse_raw(cpath)) != NULL) {
			ki->btf_source = cpath;
			ki->btf_from_cache = 1;
			return 0;
		}
	}
	unsigned char *blob = NULL;
	size_t blen = 0;
	ki->btf = btf_from_file(src, &blob, &blen, &e2);
	if (!ki->btf && src == p->image && p->debug_vmlinux &&
	    !(ki->opts.flags & KINFO_NO_DEBUG_VMLINUX)) {
		struct kinfo_err e3;

		src = p->debug_vmlinux;
		ki->btf = btf_from_file(src, &blob, &blen, &e3);
	}
	if (!ki->btf) {
		kinfo__fmt(ki->btf_err, sizeof(ki->btf_err), "no BTF for kernel %s: %s: %s",
			 p->release, p->image ? p->image : src, e2.msg);
		kinfo__copy_err(err, ki->btf_err);
		return -1;
	}
	ki->btf_source = kinfo__strdup(&ki->arena, src);
	if (cpath && blob && src == p->image)
		cache_write(cpath, ki->cache_dir, blob, blen);
	free(blob);
	return 0;
}

const char *kinfo_btf_source(struct kinfo *ki, int *from_cache, struct kinfo_err *err)
{
	if (kinfo__load_btf(ki, err) != 0)
		return NULL;
	if (from_cache)
		*from_cache = ki->btf_from_cache;
	return ki->btf_source;
}
