// kinfo-int.h: what the kinfo_*.c files share; not for use outside this folder.
#ifndef KINFO_INT_H
#define KINFO_INT_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include "kinfo.h"

struct btf;

// A bump allocator: everything a kinfo keeps lives here until kinfo_close.
struct kinfo_arena {
	struct kinfo_chunk *chunks;
};

void *kinfo__alloc(struct kinfo_arena *a, size_t n);
char *kinfo__strdup(struct kinfo_arena *a, const char *s);
char *kinfo__strndup(struct kinfo_arena *a, const char *s, size_t n);
char *kinfo__printf(struct kinfo_arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void kinfo__arena_free(struct kinfo_arena *a);

// One function of a symtab.
struct kinfo_sym {
	const char *name;
	uint32_t seq;		// position in the source (address order), for ties
	unsigned char why;	// enum kinfo_refusal
};

struct kinfo_symtab {
	enum kinfo_source source;
	const char *file;
	char *buf;		// malloc'd text the names point into, or NULL
	int ranged;		// refusals from addresses (kallsyms read without root: 0)
	struct kinfo_sym *syms;	// sorted by strcmp, unique names
	size_t n;
};

struct kinfo_modfile {
	const char *name;	// "ext4", '-' turned into '_'
	const char *path;	// absolute path of the .ko[.xz|.gz]
};

struct kinfo_named_id {
	const char *name;
	uint32_t id;
};

struct kinfo_module {
	struct kinfo_module *next;
	const char *name;	// as asked, '-' turned into '_'
	struct kinfo_symtab *st;
	char err[sizeof(((struct kinfo_err *)0)->msg)]; // why st is NULL
};

struct kinfo {
	struct kinfo_arena arena;
	struct kinfo_paths paths;
	struct kinfo_opts opts;
	char *cache_dir;

	int config_loaded;
	char *config_text;	// the .config file, NUL-terminated (kept for lookups)

	int syms_loaded;	// kernel symtab tried
	struct kinfo_symtab *syms;
	char syms_err[sizeof(((struct kinfo_err *)0)->msg)];

	int moddep_loaded;
	struct kinfo_modfile *mods;	// from modules.dep, sorted by name
	size_t n_mods;
	char moddep_err[sizeof(((struct kinfo_err *)0)->msg)];
	struct kinfo_module *modules;

	int image_done;		// the image was decompressed (once at most)
	char image_err[sizeof(((struct kinfo_err *)0)->msg)];
	char *image_map;	// its kallsyms text until kinfo__load_image_map takes it
	size_t image_map_len;
	const char *image_src;	// the file decompressed (image or ELF vmlinux)
	const char *cache_btf;	// the cache file for its BTF, NULL: no cache

	int btf_loaded;
	struct btf *btf;
	const char *btf_source;
	int btf_from_cache;
	char btf_err[sizeof(((struct kinfo_err *)0)->msg)];
	const char **type_names;	// memoized kinfo_type_name, by id
	struct kinfo_named_id *funcs;	// BTF FUNCs sorted by name (for lookups)
	size_t n_funcs;

	int tps_loaded;
	struct kinfo_tracepoint *tps;
	size_t n_tps;
	char tps_err[sizeof(((struct kinfo_err *)0)->msg)];
};

void kinfo__err(struct kinfo_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void kinfo__copy_err(struct kinfo_err *err, const char *msg);
// snprintf that may truncate quietly (messages only).
void kinfo__fmt(char *buf, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

// Reads a whole file into malloc'd memory with a NUL after it; NULL + errno.
char *kinfo__read_file(const char *path, size_t *len);
int kinfo__file_exists(const char *path);

// kinfo_image.c: opening images and modules, BTF extraction.
typedef struct Dwfl Dwfl;
typedef struct Elf Elf;
// The ELF inside `path`, decompressed if need be (bzImage, .ko.xz, .gz).
// The Elf lives until dwfl_end(*dwfl).  NULL with a message.
Elf *kinfo__open_elf(const char *path, Dwfl **dwfl, struct kinfo_err *err);
// kinfo_ksyms.c: a System.map-style text ("%016llx %c %s\n") of the text and
// _kbl_addr_ symbols in the kallsyms table of the vmlinux `e`.
int kinfo__image_kallsyms(Elf *e, int absolute_percpu, char **text, size_t *len,
			  struct kinfo_err *err);
// The image's kallsyms text (decompressing the image once); malloc'd, the
// caller frees it; *from says which file it came from.
char *kinfo__load_image_map(struct kinfo *ki, size_t *len, const char **from,
			    struct kinfo_err *err);
// The image (or ELF vmlinux) that BTF and kallsyms are taken from, or NULL.
const char *kinfo__image_file(struct kinfo *ki);
// <cache>/kinfo-<release>-<hash of src's path, size, mtime>.<ext>, NULL when
// caching is off.  Writing is atomic (rename) and best effort.
char *kinfo__cache_file(struct kinfo *ki, const char *src, const char *ext);
void kinfo__cache_write(struct kinfo *ki, const char *path, const void *data, size_t len);
// Loads the kernel BTF into ki->btf (from sysfs, the cache, or the image).
int kinfo__load_btf(struct kinfo *ki, struct kinfo_err *err);

// kinfo_syms.c
struct kinfo_symtab *kinfo__symtab_new(struct kinfo *ki, enum kinfo_source src,
				       const char *file, struct kinfo_sym *syms, size_t n);

// kinfo_nokprobe.c (generated): refused names of one known kernel, sorted.
extern const char *const kinfo__nokprobe_names[];
extern const size_t kinfo__n_nokprobe_names;

// kinfo_tpsys.c: tracepoint -> TRACE_SYSTEM from the build tree's trace headers.
struct kinfo_tpsys {
	const char *name, *system, *header;
};
// Fills a sorted array (in the arena) of every event named in a trace header.
int kinfo__scan_trace_headers(struct kinfo *ki, struct kinfo_tpsys **out, size_t *n);

#endif
