// kinfo.h: what pass 2 may learn about a target kernel without DWARF debuginfo.
//
// The only code that reads /proc/kallsyms, System.map, kernel images, .ko symbol
// tables and BTF.  One `struct kinfo` per target kernel; it loads each kind of
// data on first use and keeps it until kinfo_close().  Nothing here exits or
// prints: failures come back as a message in `struct kinfo_err`.  No global state.
//
// Typical use:
//	struct kinfo_err err;
//	struct kinfo *ki = kinfo_open("6.1.0-56-amd64", NULL, NULL, &err);
//	const struct kinfo_symtab *st = kinfo_kernel_symtab(ki, &err);
//	kinfo_symtab_match(st, "vfs_*", print_name, NULL);
//	kinfo_close(ki);
#ifndef KINFO_H
#define KINFO_H

#include <stddef.h>
#include <stdint.h>

struct kinfo;

struct kinfo_err {
	char msg[1024];	// human-readable, no trailing newline; "" when no error
};

// ---- kinfo.c: locating the target ----

enum {
	KINFO_NO_KALLSYMS = 1 << 0,	// never read /proc/kallsyms or /sys/kernel/btf
	KINFO_NO_SYSTEM_MAP = 1 << 1,	// ignore every System.map
	KINFO_NO_CACHE = 1 << 2,	// neither read nor write the BTF cache
	KINFO_NO_DEBUG_VMLINUX = 1 << 3, // never read BTF from an uncompressed vmlinux
	KINFO_NO_IMAGE_KALLSYMS = 1 << 4, // do not decode the image's kallsyms table
};

struct kinfo_opts {
	unsigned flags;		// KINFO_NO_* bits
	const char *cache_dir;	// NULL: $SYSTEMTAP_DIR/cache, else ~/.systemtap/cache
};

// Where the target's files are.  Strings are NULL when the file was not found.
struct kinfo_paths {
	const char *release;	   // "6.1.0-56-amd64"
	const char *arch;	   // "x86_64"
	const char *build_dir;	   // /lib/modules/REL/build (or the -r directory)
	const char *config;	   // BUILD/.config or /boot/config-REL
	const char *image;	   // /boot/vmlinuz-REL (compressed bzImage)
	const char *system_map;	   // first System.map that is not Debian's stub
	const char *debug_vmlinux; // ELF vmlinux: -dbg package or BUILD/vmlinux
	const char *modules_dir;   // /lib/modules/REL when it holds modules
	int running;		   // target release == uname -r
};

// `target` is a release ("6.1.0-56-amd64"), a kernel build directory (anything
// with a '/'), or NULL for the running kernel.  `arch` NULL means the host's.
// `opts` may be NULL.  Returns NULL with a message when the target is unknown.
struct kinfo *kinfo_open(const char *target, const char *arch,
			 const struct kinfo_opts *opts, struct kinfo_err *err);
void kinfo_close(struct kinfo *ki);
const struct kinfo_paths *kinfo_paths(const struct kinfo *ki);
// Value of a .config option ("y", "m", "\"string\"", "1000"), NULL if unset.
const char *kinfo_config(struct kinfo *ki, const char *option);

// Fnmatch-like glob without flags: `*`, `?`, `[abc]`, `[a-z]`, `[!x]`/`[^x]`, `\x`.
int kinfo_glob_match(const char *pattern, const char *name);

// ---- kinfo_syms.c: functions of the kernel and of its modules ----

enum kinfo_source {
	KINFO_SRC_NONE,		// no list: checks must wait until load time
	KINFO_SRC_KALLSYMS,	// /proc/kallsyms (target is the running kernel)
	KINFO_SRC_SYSTEM_MAP,	// a full System.map: every text symbol + addresses
	KINFO_SRC_IMAGE_KALLSYMS, // the kallsyms table inside the kernel image: the
				// same symbols and addresses as System.map
	KINFO_SRC_BTF,		// BTF FUNCs: no addresses, no aliases (see README)
	KINFO_SRC_KO_SYMTAB,	// a module's .ko symbol table
};

// Why kprobes would refuse a function (KINFO_OK: nothing known against it).
enum kinfo_refusal {
	KINFO_OK = 0,
	KINFO_REFUSED_KPROBES_TEXT,	// in .kprobes.text (__kprobes)
	KINFO_REFUSED_NOINSTR,		// in .noinstr.text (noinstr)
	KINFO_REFUSED_ENTRY_TEXT,	// in .entry.text (x86 low-level entry)
	KINFO_REFUSED_IRQENTRY_TEXT,	// in .irqentry.text (non-x86 archs only)
	KINFO_REFUSED_NOKPROBE,		// listed with NOKPROBE_SYMBOL()
	KINFO_REFUSED_INIT_TEXT,	// __init code, freed once booted
	KINFO_REFUSED_STATIC_CALL,	// a static-call trampoline
	KINFO_REFUSED_HEURISTIC,	// BTF only: refused in a reference kernel (a guess)
};

struct kinfo_symtab;	// sorted, de-duplicated function names; owned by the kinfo

// The kernel's function list from the best source: /proc/kallsyms when the
// target is running, else a full System.map, else the kallsyms table decoded
// from the kernel image, else the BTF of the image.  NULL (with the reason)
// when there is none.  Decoding the image costs ~1.5 s once; it is cached.
const struct kinfo_symtab *kinfo_kernel_symtab(struct kinfo *ki, struct kinfo_err *err);
// Functions of module `name` ("ext4"; '-' and '_' are the same) from its .ko.
const struct kinfo_symtab *kinfo_module_symtab(struct kinfo *ki, const char *name,
					       struct kinfo_err *err);

enum kinfo_source kinfo_symtab_source(const struct kinfo_symtab *st);
const char *kinfo_symtab_file(const struct kinfo_symtab *st); // where it came from
size_t kinfo_symtab_count(const struct kinfo_symtab *st);
// 1 and the refusal reason if `name` is in the list, else 0.
int kinfo_symtab_lookup(const struct kinfo_symtab *st, const char *name,
			enum kinfo_refusal *why);
// Calls cb(name, arg) for each function matching `glob`, in strcmp order, until
// cb returns nonzero.  Returns the number of matches reported.
typedef int (*kinfo_name_fn)(const char *name, void *arg);
long kinfo_symtab_match(const struct kinfo_symtab *st, const char *glob,
			kinfo_name_fn cb, void *arg);

// Shorthands for the kernel's own list.
enum kinfo_source kinfo_function_source(struct kinfo *ki, struct kinfo_err *err);
int kinfo_function_exists(struct kinfo *ki, const char *name); // 1, 0, -1: no list
long kinfo_match_functions(struct kinfo *ki, const char *glob, kinfo_name_fn cb,
			   void *arg); // -1: no list
enum kinfo_refusal kinfo_is_blacklisted(struct kinfo *ki, const char *name);

const char *kinfo_source_name(enum kinfo_source src);
const char *kinfo_refusal_str(enum kinfo_refusal why);

// Module names under modules_dir (from modules.dep) matching `glob`, sorted.
// Returns the count, or -1 with a message when the modules are not installed.
long kinfo_match_modules(struct kinfo *ki, const char *glob, kinfo_name_fn cb,
			 void *arg, struct kinfo_err *err);
// Path of a module's .ko (maybe .ko.xz/.ko.gz), NULL if none.
const char *kinfo_module_path(struct kinfo *ki, const char *name);

// ---- kinfo_btf.c: the kernel's BTF: types and tracepoints ----

// Where the BTF came from ("/sys/kernel/btf/vmlinux", the cache file, the
// image...) and whether the cache was hit; NULL with a message if unavailable.
const char *kinfo_btf_source(struct kinfo *ki, int *from_cache, struct kinfo_err *err);

enum kinfo_kind {
	KINFO_K_UNKNOWN, KINFO_K_VOID, KINFO_K_INT, KINFO_K_FLOAT, KINFO_K_ENUM,
	KINFO_K_POINTER, KINFO_K_ARRAY, KINFO_K_STRUCT, KINFO_K_UNION,
	KINFO_K_FUNC_PROTO,
};

// A type with typedefs, const, volatile and restrict peeled off.
struct kinfo_type {
	int32_t id;		// the peeled type's BTF id (0 = void)
	enum kinfo_kind kind;
	uint32_t size;		// bytes (pointers: 8 on x86_64); 0 for void/functions
	int is_signed;		// KINFO_K_INT / KINFO_K_ENUM
	int32_t target;		// pointee (POINTER) or element (ARRAY) type id, as declared
	uint32_t nelems;	// ARRAY
	const char *name;	// printable name of the type as declared (stap style)
};

// BTF id of a named type: "struct task_struct", "union thread_union",
// "enum pid_type", a typedef ("pid_t") or a base type ("long int").  -1 if absent.
int32_t kinfo_type_by_name(struct kinfo *ki, const char *name, struct kinfo_err *err);
// Printable name in SystemTap's style: "struct task_struct*", "char const*",
// "long unsigned int", "char[16]", "pid_t".  Owned by the kinfo.
const char *kinfo_type_name(struct kinfo *ki, int32_t id);
int kinfo_type_info(struct kinfo *ki, int32_t id, struct kinfo_type *out,
		    struct kinfo_err *err);

struct kinfo_member {
	int32_t type_id;	// member's type as declared (typedefs kept)
	const char *type_name;	// printable, e.g. "char[16]", "pid_t"
	uint32_t offset;	// bytes from the start of the outermost struct
	uint32_t bit_offset;	// bitfields: bits beyond `offset` (0..7); else 0
	uint32_t bit_size;	// bitfields: width in bits; else 0
	uint32_t size;		// bytes of the member's type (bitfields: the storage type)
	int deref;		// 1 when `container` was a pointer that was followed
};

// Looks up `member` in the struct/union `container` (after typedef/const/volatile,
// and through one pointer level, so `$prev->comm` works from "struct task_struct*"),
// descending into anonymous struct/union members.  0 on success, -1 with a message.
int kinfo_struct_member(struct kinfo *ki, int32_t container, const char *member,
			struct kinfo_member *out, struct kinfo_err *err);
// The members of struct/union `id` (after typedef/const/volatile, not through
// pointers) in declaration order: cb(name, member, arg) until it returns
// nonzero.  Anonymous struct/union members come as themselves with name ""
// (not flattened).  Offsets are from the start of `id`.  Returns the number of
// members visited, or -1 with a message.
typedef int (*kinfo_member_fn)(const char *name, const struct kinfo_member *m, void *arg);
long kinfo_struct_members(struct kinfo *ki, int32_t id, kinfo_member_fn cb, void *arg,
			  struct kinfo_err *err);

// A parameter of a tracepoint or function.
struct kinfo_arg {
	const char *name;	// "prev"
	const char *type;	// "struct task_struct*"
	int32_t type_id;	// BTF id of the type
};

// A kernel function's prototype from BTF, for $parameters without DWARF.
struct kinfo_func {
	const char *name;
	const char *ret_type;	// "ssize_t", "void"
	int32_t ret_type_id;	// 0 for void
	int nargs;		// -1: varargs-only or unknown
	const struct kinfo_arg *args;
};

// The prototype of `name` (a vmlinux function with a BTF FUNC entry); 0, or -1
// with a message.  Strings are owned by the kinfo.
int kinfo_function_proto(struct kinfo *ki, const char *name, struct kinfo_func *out,
			 struct kinfo_err *err);
// Calls cb(name, arg) for each vmlinux function with a BTF FUNC entry whose
// name matches `glob`, in strcmp order, once per name, until cb returns
// nonzero.  Returns the number reported, or -1 with a message (no BTF).
long kinfo_match_btf_functions(struct kinfo *ki, const char *glob, kinfo_name_fn cb, void *arg,
			       struct kinfo_err *err);

struct kinfo_tracepoint {
	const char *name;	// "sched_switch"
	const char *system;	// "sched"; NULL when no header in the build tree names it
	const char *header;	// that header, relative to the build tree; NULL if unknown
	int nargs;		// arguments after the hidden `void *__data`
	const struct kinfo_arg *args;
};

// All tracepoints of the kernel (every `btf_trace_<name>` typedef), sorted by name.
const struct kinfo_tracepoint *kinfo_tracepoints(struct kinfo *ki, size_t *n,
						 struct kinfo_err *err);
// One tracepoint by exact name, NULL if absent.
const struct kinfo_tracepoint *kinfo_tracepoint(struct kinfo *ki, const char *name,
						struct kinfo_err *err);
// Tracepoints whose system matches `system_glob` (NULL: any, even unknown) and
// whose name matches `name_glob`, sorted by name.  Returns the count or -1.
typedef int (*kinfo_tp_fn)(const struct kinfo_tracepoint *tp, void *arg);
long kinfo_match_tracepoints(struct kinfo *ki, const char *system_glob,
			     const char *name_glob, kinfo_tp_fn cb, void *arg,
			     struct kinfo_err *err);

#endif
