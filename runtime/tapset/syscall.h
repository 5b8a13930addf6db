/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tapset/syscall.h - the syscall tapset's runtime: the arguments of the
 * system call being traced, user strings and buffers quoted the way
 * SystemTap 4.8 shows them in argstr, and the engine every decoder of
 * flags and values uses (syscall_decode.h holds the decoders).
 *
 * Probes of the syscall tapset run on the raw_syscalls tracepoints with
 * the user registers in c->regs (see probe_tracepoint.c).
 */
#ifndef STP_TAPSET_SYSCALL_H
#define STP_TAPSET_SYSCALL_H

#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include "tapset/conversions.h"

/* Argument n (1..6) of the current system call, as the register has it. */
static inline s64 stp_sc_arg(struct context *c, s64 n)
{
	return n >= 1 && n <= 6 ? (s64)stp_syscall_arg(c, n - 1) : 0;
}

/*
 * Names of values: a decoder is a table ending with { 0, NULL }, looked
 * up either as one value (stp_sc_sym) or as a set of bits (stp_sc_bits).
 * Both append to dst (MAXSTRINGLEN bytes); what no name covers is
 * printed in `base` (10: %ld, 8: %#lo, 16: 0x%lx).
 */
struct stp_sc_sym {
	long val;
	const char *name;
};

#define STP_SYM(x)	{ (long)(x), #x }
#define STP_SYM_END	{ 0, NULL }

static __maybe_unused void stp_sc_cat(char *dst, const char *s)
{
	strlcat(dst, s, MAXSTRINGLEN);
}

static __maybe_unused __printf(2, 3) void stp_sc_catf(char *dst, const char *fmt, ...)
{
	size_t len = strnlen(dst, MAXSTRINGLEN - 1);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(dst + len, MAXSTRINGLEN - len, fmt, ap);
	va_end(ap);
}

static __maybe_unused void stp_sc_num(char *dst, long val, int base)
{
	if (base == 10)
		stp_sc_catf(dst, "%ld", val);
	else if (base == 8)
		stp_sc_catf(dst, "%#lo", val);
	else
		stp_sc_catf(dst, "0x%lx", val);
}

/* The name of val (the first entry with that value), else the number. */
static __maybe_unused void stp_sc_sym(char *dst, const struct stp_sc_sym *t, long val, int base)
{
	for (; t->name; t++) {
		if (t->val == val) {
			stp_sc_cat(dst, t->name);
			return;
		}
	}
	stp_sc_num(dst, val, base);
}

/*
 * Bits: every entry sharing a bit with what is left of val, in table
 * order, joined by '|' (an entry takes all its bits away), then what is
 * left as a number.  0 is looked up as a value ("PROT_NONE" or "0x0").
 */
static __maybe_unused void stp_sc_bits(char *dst, const struct stp_sc_sym *t, long val, int base)
{
	bool any = false;

	if (!val) {
		stp_sc_sym(dst, t, val, base);
		return;
	}
	for (; t->name; t++) {
		if (!(t->val & val))
			continue;
		if (any)
			stp_sc_cat(dst, "|");
		stp_sc_cat(dst, t->name);
		val &= ~t->val;
		any = true;
	}
	if (val) {
		if (any)
			stp_sc_cat(dst, "|");
		stp_sc_num(dst, val, base);
	}
}

/* "NULL" for a null pointer, "0x..." for one that cannot be read. */
static __maybe_unused bool stp_sc_uread(char *dst, void *buf, unsigned long addr, size_t n)
{
	if (!addr) {
		strscpy(dst, "NULL", MAXSTRINGLEN);
		return false;
	}
	if (copy_from_user_nofault(buf, (const void __user *)addr, n)) {
		snprintf(dst, MAXSTRINGLEN, "0x%lx", addr);
		return false;
	}
	return true;
}

/*
 * The reader of stp_sc_text: user (or with kernel set, kernel) memory
 * through a window (at is an address), or with kbuf the bytes of that
 * kernel buffer (at is an offset).
 */
struct stp_sc_ureader {
	const u8 *kbuf;
	bool kernel;
	struct stp_uwindow w;
};

static bool stp_sc_getc(struct stp_sc_ureader *r, unsigned long at, u8 *out)
{
	if (r->kbuf) {
		*out = r->kbuf[at];
		return true;
	}
	return stp_window_getc(&r->w, at, out, r->kernel);
}

/*
 * One character at p: a UTF-8 sequence of 2 to 4 bytes when the lead
 * byte says so and there are enough bytes left, else the byte as it is.
 * Returns its length, 0 on a fault.
 */
static unsigned int stp_sc_utf8(struct stp_sc_ureader *r, unsigned long p, long left, u32 *c)
{
	unsigned int n, i;
	u8 b, b2;

	if (!stp_sc_getc(r, p, &b))
		return 0;
	left--;
	if ((b & 0xe0) == 0xc0 && left >= 1)
		n = 2, *c = b & 0x1f;
	else if ((b & 0xf0) == 0xe0 && left >= 2)
		n = 3, *c = b & 0x0f;
	else if ((b & 0xf8) == 0xf0 && left >= 3)
		n = 4, *c = b & 0x07;
	else
		goto verbatim;
	for (i = 1; i < n; i++) {
		if (!stp_sc_getc(r, p + i, &b2))
			return 0;
		if ((b2 & 0xc0) != 0x80)
			goto verbatim;
		*c = (*c << 6) | (b2 & 0x3f);
	}
	return n;
verbatim:
	*c = b;
	return 1;
}

/*
 * Up to inlen bytes of user memory at addr (a string ends at its NUL
 * unless `buffer`), within outlen bytes, escaped as SystemTap 4.8 does:
 * \n \t ... \" \\, other non-printable bytes \ooo, a NUL of a buffer \0
 * (counted as 4 bytes, as SystemTap does), UTF-8 characters \uXXXX or
 * \UXXXXXXXX.  Quoted, it is in double quotes and a cut ends in `"...`
 * (never inside an escape).  inlen or outlen <= 0: MAXSTRINGLEN - 1.
 * False when a byte it needs cannot be read (dst is then to be
 * overwritten).  The reader says where the bytes are.
 */
static bool stp_sc_text_r(char *dst, struct stp_sc_ureader *r, unsigned long addr,
			  long inlen, long outlen, bool quoted, bool buffer)
{
	static const char hex[] = "0123456789ABCDEF";
	char *o = dst, *esc = NULL;
	int esc_len = 0, num, i;
	unsigned int n;
	u32 c = 0;

	if (inlen <= 0 || inlen > MAXSTRINGLEN - 1)
		inlen = MAXSTRINGLEN - 1;
	if (outlen <= 0 || outlen > MAXSTRINGLEN - 1)
		outlen = MAXSTRINGLEN - 1;
	if (quoted) {
		outlen = max(outlen, 5L) - 2;
		*o++ = '"';
	}
	while (inlen > 0) {
		n = stp_sc_utf8(r, addr, inlen, &c);
		if (!n)
			return false;
		if ((c == 0 && !buffer) || outlen <= 0)
			break;
		addr += n;
		inlen -= n;
		if (n > 1) {
			num = c <= 0xffff ? 6 : 10;
			if (!esc && outlen - 3 < num)
				esc = o, esc_len = num;
			if (outlen < num)
				break;
			*o++ = '\\';
			*o++ = c <= 0xffff ? 'u' : 'U';
			for (i = num - 3; i >= 0; i--)
				*o++ = hex[(c >> (i * 4)) & 0xf];
		} else if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
			num = 1;
			*o++ = c;
		} else {
			const char *s = NULL;

			switch (c) {
			case '\a': s = "\\a"; break;
			case '\b': s = "\\b"; break;
			case '\f': s = "\\f"; break;
			case '\n': s = "\\n"; break;
			case '\r': s = "\\r"; break;
			case '\t': s = "\\t"; break;
			case '\v': s = "\\v"; break;
			case '"': s = "\\\""; break;
			case '\\': s = "\\\\"; break;
			}
			num = s ? 2 : 4;
			if (!esc && outlen - 3 < num)
				esc = o, esc_len = num;
			if (outlen < num)
				break;
			if (s) {
				*o++ = s[0];
				*o++ = s[1];
			} else if (!c) {
				*o++ = '\\';
				*o++ = '0';
			} else {
				*o++ = '\\';
				*o++ = '0' + ((c >> 6) & 3);
				*o++ = '0' + ((c >> 3) & 7);
				*o++ = '0' + (c & 7);
			}
		}
		outlen -= num;
	}
	if (quoted && c && inlen > 0) {
		char *cut = o - 3 + outlen;

		o = (esc && esc < cut && cut < esc + esc_len) ? esc : cut;
		memcpy(o, "\"...", 4);
		o += 4;
	} else if (quoted) {
		*o++ = '"';
	}
	*o = '\0';
	return true;
}

/* The same from the bytes of kbuf (addr is an offset), or user memory. */
static __maybe_unused bool stp_sc_text_from(char *dst, const void *kbuf, unsigned long addr,
					    long inlen, long outlen, bool quoted, bool buffer)
{
	struct stp_sc_ureader r = { .kbuf = kbuf, .w.len = 0 };

	return stp_sc_text_r(dst, &r, addr, inlen, outlen, quoted, buffer);
}

/* The same from kernel memory (kernel) or user memory. */
static __maybe_unused bool stp_sc_text_mem(char *dst, unsigned long addr, long inlen, long outlen,
					   bool quoted, bool buffer, bool kernel)
{
	struct stp_sc_ureader r = { .kernel = kernel, .w.len = 0 };

	return stp_sc_text_r(dst, &r, addr, inlen, outlen, quoted, buffer);
}

static inline bool stp_sc_text(char *dst, unsigned long addr, long inlen, long outlen, bool buffer)
{
	return stp_sc_text_from(dst, NULL, addr, inlen, outlen, true, buffer);
}

/* user_string_quoted(addr): the quoted string, or the address in hex. */
static __maybe_unused void stp_sc_ustr_quoted(char *dst, unsigned long addr, long max)
{
	if (!stp_sc_text(dst, addr, max > 0 ? max : MAXSTRINGLEN - 2, 0, false))
		snprintf(dst, MAXSTRINGLEN, "0x%lx", addr);
}

/*
 * user_buffer_quoted(addr, inlen, outlen), and kernel_buffer_quoted() with
 * kernel: outlen <= 0 gives "", an unreadable buffer its address in hex
 * (cut to outlen - 1 characters).
 */
static __maybe_unused void stp_sc_buf_quoted(char *dst, unsigned long addr, long inlen, long outlen,
					     bool kernel)
{
	outlen = clamp_t(long, outlen, 0, MAXSTRINGLEN);
	if (!outlen) {
		dst[0] = '\0';
		return;
	}
	if (!stp_sc_text_mem(dst, addr, inlen, outlen, true, true, kernel))
		snprintf(dst, outlen, "0x%lx", addr);
}

#define stp_sc_ubuf_quoted(dst, addr, inlen, outlen) \
	stp_sc_buf_quoted((dst), (addr), (inlen), (outlen), false)

#endif /* STP_TAPSET_SYSCALL_H */
