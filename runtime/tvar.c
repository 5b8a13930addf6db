// SPDX-License-Identifier: GPL-2.0
/*
 * tvar.c - target variables typed by BTF ($arg->field[i], $var$, $$parms$):
 * reads and writes of kernel memory that never fault (a bad address is a
 * script error "read fault [man error::fault] at 0x48"), and the $ / $$
 * pretty printer, driven by type descriptors the translator writes:
 *
 *   static const struct stp_tv_field tvt_3_fields[] = {
 *	{ "flags", 0, 0, 0, &tvt_4 }, ...   (name or NULL, offset, bit offset, bits, type)
 *   };
 *   static const struct stp_tv_type tvt_3 = { STP_TV_STRUCT, 24, NULL, 0, tvt_3_fields, 4 };
 *
 * Formats (SystemTap 4.8's): a struct "{.a=1, .b=0xffff888004a74200,
 * .c={...}, .d=[...], <union>={...}, <class>={...}}" ($: nested structs
 * and arrays elided; $$: expanded), integers in decimal, pointers in hex,
 * char arrays and char pointers as quoted strings, a char as 'c'.  A read
 * that faults makes the whole text "ERROR" (the translator's doing).
 */
#ifndef STP_TVAR_C
#define STP_TVAR_C

#include <linux/uaccess.h>

enum stp_tv_kind {
	STP_TV_OTHER, STP_TV_SINT, STP_TV_UINT, STP_TV_CHAR, STP_TV_PTR, STP_TV_FUNCPTR,
	STP_TV_STRPTR, STP_TV_STRUCT, STP_TV_UNION, STP_TV_ARRAY,
};

struct stp_tv_field;

struct stp_tv_type {
	u8 kind;			/* enum stp_tv_kind */
	u32 size;			/* bytes */
	const struct stp_tv_type *elem;	/* STP_TV_ARRAY: the element type */
	u32 nelems;			/* STP_TV_ARRAY */
	const struct stp_tv_field *fields; /* STP_TV_STRUCT / STP_TV_UNION */
	u32 nfields;
};

struct stp_tv_field {
	const char *name;		/* NULL: an anonymous struct or union */
	u32 offset;			/* bytes */
	u8 bit_offset, bit_size;	/* bitfields (bit_size 0: not one) */
	const struct stp_tv_type *type;
};

static __maybe_unused void stp_tv_fault(struct context *c, unsigned long addr, const char *where)
{
	stp_error(c, where, "read fault [man error::fault] at 0x%lx", addr);
}

/*
 * Kernel memory the *_nofault accessors may touch: the n bytes from addr
 * in the kernel half, canonical for the paging mode in use.  (A user
 * address would oops under SMAP; 6.1 checks canonical addresses against
 * the CPU's 57 bits even under 4-level paging, and the #GP of a
 * non-canonical access is fixed up with a WARNING.)
 */
static bool stp_tv_range_ok(unsigned long addr, unsigned long n)
{
	unsigned long last = addr + n - 1;

	if (last < addr)
		return false;
#ifdef CONFIG_X86_64
	return addr >= TASK_SIZE_MAX + PAGE_SIZE &&
	       __is_canonical_address(addr, __VIRTUAL_MASK_SHIFT + 1) &&
	       __is_canonical_address(last, __VIRTUAL_MASK_SHIFT + 1);
#else
	return addr >= TASK_SIZE;
#endif
}

static bool stp_tv_copy(void *dst, unsigned long addr, unsigned long n)
{
	return !stp_tv_range_ok(addr, n) || copy_from_kernel_nofault(dst, (const void *)addr, n);
}

/* size (1, 2, 4, 8) bytes at addr, sign- or zero-extended; true on a bad
 * address (nothing reported). */
static bool stp_tv_load(unsigned long addr, unsigned int size, bool is_signed, s64 *out)
{
	union { u8 b; u16 h; u32 w; u64 q; } v = { .q = 0 };

	if (size != 1 && size != 2 && size != 4 && size != 8)
		return true;
	if (stp_tv_copy(&v, addr, size))
		return true;
	switch (size) {
	case 1: *out = is_signed ? (s64)(s8)v.b : (s64)v.b; break;
	case 2: *out = is_signed ? (s64)(s16)v.h : (s64)v.h; break;
	case 4: *out = is_signed ? (s64)(s32)v.w : (s64)v.w; break;
	default: *out = (s64)v.q; break;
	}
	return false;
}

/* A bitfield: width bits starting shift bits into the byte at addr. */
static bool stp_tv_load_bits(unsigned long addr, unsigned int shift, unsigned int width,
			     bool is_signed, s64 *out)
{
	unsigned int n = (shift + width + 7) / 8;
	u64 v = 0;

	if (!width || width > 64 || n > 8 || stp_tv_copy(&v, addr, n))
		return true;
	v >>= shift;
	if (width < 64) {
		v &= (1ULL << width) - 1;
		if (is_signed && (v & (1ULL << (width - 1))))
			v |= ~((1ULL << width) - 1);
	}
	*out = (s64)v;
	return false;
}

/* The script-level readers: true, with the context in the error state, on
 * a bad address. */
static __maybe_unused bool stp_tv_read(struct context *c, s64 addr, int size, int is_signed,
				       s64 *out, const char *where)
{
	if (stp_tv_load((unsigned long)addr, size, is_signed, out)) {
		stp_tv_fault(c, (unsigned long)addr, where);
		return true;
	}
	return false;
}

static __maybe_unused bool stp_tv_read_bits(struct context *c, s64 addr, int shift, int width,
					    int is_signed, s64 *out, const char *where)
{
	if (stp_tv_load_bits((unsigned long)addr, shift, width, is_signed, out)) {
		stp_tv_fault(c, (unsigned long)addr, where);
		return true;
	}
	return false;
}

/* n bytes (1..8) of v at addr, as copy_to_kernel_nofault() would (6.1
 * does not export it to modules); true on a bad address. */
static bool stp_tv_store(unsigned long addr, unsigned int n, u64 v)
{
	u8 *dst = (u8 *)addr;
	u8 b;
	unsigned int i;

	if (!n || n > 8 || !stp_tv_range_ok(addr, n))
		return true;
	pagefault_disable();
	for (i = 0; i < n; i++) {
		b = v >> (8 * i);
		__put_kernel_nofault(dst + i, &b, u8, fault);
	}
	pagefault_enable();
	return false;
fault:
	pagefault_enable();
	return true;
}

/* Guru mode: write a member. */
static __maybe_unused bool stp_tv_write(struct context *c, s64 addr, int size, s64 val,
					const char *where)
{
	if (stp_tv_store((unsigned long)addr, size, val)) {
		stp_error(c, where, "write fault [man error::fault] at 0x%lx", (unsigned long)addr);
		return true;
	}
	return false;
}

static __maybe_unused bool stp_tv_write_bits(struct context *c, s64 addr, int shift, int width,
					     s64 val, const char *where)
{
	unsigned int n = (shift + width + 7) / 8;
	u64 v = 0, mask = (width < 64 ? (1ULL << width) - 1 : ~0ULL) << shift;

	if (n > 8 || stp_tv_copy(&v, (unsigned long)addr, n)) {
		stp_tv_fault(c, (unsigned long)addr, where);
		return true;
	}
	v = (v & ~mask) | (((u64)val << shift) & mask);
	if (stp_tv_store((unsigned long)addr, n, v)) {
		stp_error(c, where, "write fault [man error::fault] at 0x%lx", (unsigned long)addr);
		return true;
	}
	return false;
}

/* A character as C writes it: 'c', '\n', '\\', '\003'. */
static void stp_tv_char(struct stp_out *o, u8 ch, char quote)
{
	char buf[8];

	switch (ch) {
	case '\n': stp_out_str(o, "\\n"); return;
	case '\t': stp_out_str(o, "\\t"); return;
	case '\r': stp_out_str(o, "\\r"); return;
	case '\\': stp_out_str(o, "\\\\"); return;
	default: break;
	}
	if (ch == quote) {
		stp_out_char(o, '\\');
		stp_out_char(o, ch);
	} else if (ch < 0x20 || ch >= 0x7f) {
		snprintf(buf, sizeof(buf), "\\%03o", ch);
		stp_out_str(o, buf);
	} else {
		stp_out_char(o, ch);
	}
}

static void stp_tv_hex(struct stp_out *o, u64 v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)v);
	stp_out_str(o, buf);
}

static void stp_tv_dec(struct stp_out *o, s64 v, bool is_signed)
{
	char buf[24];

	if (is_signed)
		snprintf(buf, sizeof(buf), "%lld", (long long)v);
	else
		snprintf(buf, sizeof(buf), "%llu", (unsigned long long)v);
	stp_out_str(o, buf);
}

/* A value of scalar type t ($var$ of an integer or a pointer value). */
static __maybe_unused int stp_tv_pretty_value(struct stp_out *o, s64 v, const struct stp_tv_type *t)
{
	switch (t->kind) {
	case STP_TV_SINT:
		stp_tv_dec(o, v, true);
		break;
	case STP_TV_CHAR:
		stp_out_char(o, '\'');
		stp_tv_char(o, (u8)v, '\'');
		stp_out_char(o, '\'');
		break;
	case STP_TV_PTR:
	case STP_TV_FUNCPTR:
	case STP_TV_STRPTR:
		stp_tv_hex(o, v);
		break;
	default:
		stp_tv_dec(o, v, false);
		break;
	}
	return 0;
}

static bool stp_tv_full(struct stp_out *o)
{
	return o->len >= o->cap;
}

/* A char array: the string up to its NUL, quoted. */
static int stp_tv_string(struct stp_out *o, unsigned long addr, u32 max)
{
	u32 i;
	u8 ch;

	stp_out_char(o, '"');
	for (i = 0; i < max && !stp_tv_full(o); i++) {
		if (stp_tv_copy(&ch, addr + i, 1))
			return 1;
		if (!ch)
			break;
		stp_tv_char(o, ch, '"');
	}
	stp_out_char(o, '"');
	return 0;
}

static int stp_tv_obj(struct stp_out *o, unsigned long addr, const struct stp_tv_type *t, int level,
		      bool deep);

static int stp_tv_fields(struct stp_out *o, unsigned long addr, const struct stp_tv_type *t, int level,
			 bool deep)
{
	u32 i;
	bool any = false;

	stp_out_char(o, '{');
	for (i = 0; i < t->nfields && !stp_tv_full(o); i++) {
		const struct stp_tv_field *f = &t->fields[i];
		s64 v;

		if (any)
			stp_out_str(o, ", ");
		any = true;
		if (f->name) {
			stp_out_char(o, '.');
			stp_out_str(o, f->name);
		} else {
			stp_out_str(o, f->type->kind == STP_TV_UNION ? "<union>" : "<class>");
		}
		stp_out_char(o, '=');
		if (f->bit_size) {
			if (stp_tv_load_bits(addr + f->offset, f->bit_offset, f->bit_size,
					     f->type->kind == STP_TV_SINT, &v))
				return 1;
			stp_tv_pretty_value(o, v, f->type);
			continue;
		}
		if (stp_tv_obj(o, addr + f->offset, f->type, level + 1, deep))
			return 1;
	}
	if (!any)
		stp_out_str(o, "...");
	stp_out_char(o, '}');
	return 0;
}

/* The object of type t at addr: level 0 is the one asked for. */
static int stp_tv_obj(struct stp_out *o, unsigned long addr, const struct stp_tv_type *t, int level,
		      bool deep)
{
	s64 v;
	u32 i;

	if (stp_tv_full(o))
		return 0;
	switch (t->kind) {
	case STP_TV_STRUCT:
	case STP_TV_UNION:
		if (level && !deep) {
			stp_out_str(o, "{...}");
			return 0;
		}
		return stp_tv_fields(o, addr, t, level, deep);
	case STP_TV_ARRAY:
		if (t->elem->kind == STP_TV_CHAR)
			return stp_tv_string(o, addr, t->nelems);
		if (!deep || !t->nelems) {
			stp_out_str(o, "[...]");
			return 0;
		}
		stp_out_char(o, '[');
		for (i = 0; i < t->nelems && !stp_tv_full(o); i++) {
			if (i)
				stp_out_str(o, ", ");
			if (stp_tv_obj(o, addr + (unsigned long)i * t->elem->size, t->elem, level + 1, deep))
				return 1;
		}
		stp_out_char(o, ']');
		return 0;
	case STP_TV_STRPTR:
		/* a char pointer in memory: the string it points to */
		if (stp_tv_load(addr, 8, false, &v))
			return 1;
		if (!v)
			return stp_tv_pretty_value(o, v, t);
		return stp_tv_string(o, (unsigned long)v, MAXSTRINGLEN);
	case STP_TV_SINT:
	case STP_TV_UINT:
	case STP_TV_CHAR:
	case STP_TV_PTR:
	case STP_TV_FUNCPTR:
		if (stp_tv_load(addr, t->kind == STP_TV_PTR || t->kind == STP_TV_FUNCPTR ? 8 : t->size,
				t->kind == STP_TV_SINT || t->kind == STP_TV_CHAR, &v))
			return 1;
		return stp_tv_pretty_value(o, v, t);
	default:
		stp_out_str(o, "?");
		return 0;
	}
}

/* $var$ / $var$$ of an object in memory (a struct member, or what a
 * pointer points to); non-zero when a read faulted. */
static __maybe_unused int stp_tv_pretty_obj(struct stp_out *o, s64 addr, const struct stp_tv_type *t,
					    int deep)
{
	return stp_tv_obj(o, (unsigned long)addr, t, 0, deep);
}

#endif /* STP_TVAR_C */
