/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tapset/conversions_utf.h - UTF-16 and UTF-32 strings of kernel or user
 * memory read as UTF-8 (kernel_string_utf16, user_string_utf32, ...).
 *
 * The string is read a code unit at a time through the nofault window of
 * conversions.h: a bad address is an error code, never an oops.
 */
#ifndef STP_TAPSET_CONVERSIONS_UTF_H
#define STP_TAPSET_CONVERSIONS_UTF_H

#include "tapset/conversions.h"

/* SystemTap's messages */
#define STP_MSG_UTF_INVALID_FMT	"invalid UTF-%d character U+%X at 0x%llx"

enum stp_utf_rc {
	STP_UTF_OK = 0,
	STP_UTF_FAULT,		/* the unit at *bad cannot be read */
	STP_UTF_INVALID,	/* the character at *bad (*cp) is no code point */
};

struct stp_utf_err {
	unsigned long bad;	/* address of the unit that failed */
	u32 cp;			/* STP_UTF_INVALID: the value found there */
};

/* One code unit (width 2 or 4 bytes, little-endian) at addr; false on a fault. */
static bool stp_utf_unit(struct stp_uwindow *w, unsigned long addr, int width, bool user,
			 u32 *out)
{
	u32 v = 0;
	int i;
	u8 b;

	for (i = 0; i < width; i++) {
		if (!stp_window_getc(w, addr + i, &b, !user))
			return false;
		v |= (u32)b << (8 * i);
	}
	*out = v;
	return true;
}

/* The UTF-8 length of code point c (at most 0x10ffff). */
static inline int stp_utf8_len(u32 c)
{
	return c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
}

static void stp_utf8_put(char *o, u32 c, int n)
{
	static const u8 lead[] = { 0, 0, 0xc0, 0xe0, 0xf0 };
	int i;

	for (i = n - 1; i > 0; i--) {
		o[i] = 0x80 | (c & 0x3f);
		c >>= 6;
	}
	o[0] = lead[n] | c;
}

/*
 * The NUL-terminated string of width-byte units (2: UTF-16, 4: UTF-32) at
 * addr, as UTF-8 in dst (MAXSTRINGLEN bytes): characters are added while
 * they fit whole in MAXSTRINGLEN - 1 bytes.  A character is checked before
 * it is placed: a lone or reversed surrogate (UTF-16), a surrogate or a
 * value above 0x10ffff (UTF-32) is STP_UTF_INVALID at its first unit.
 */
static __maybe_unused enum stp_utf_rc stp_read_utf(char *dst, unsigned long addr, int width,
						   bool user, struct stp_utf_err *err)
{
	struct stp_uwindow w = { .len = 0 };
	unsigned long p = addr, at;
	long o = 0;
	u32 c, lo;
	int n;

	dst[0] = '\0';
	for (;;) {
		at = p;
		if (!stp_utf_unit(&w, p, width, user, &c))
			goto fault;
		if (!c)
			break;
		p += width;
		if (width == 2 && c >= 0xd800 && c <= 0xdbff) {
			if (!stp_utf_unit(&w, p, width, user, &lo)) {
				at = p;
				goto fault;
			}
			if (lo < 0xdc00 || lo > 0xdfff)
				goto invalid;
			c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
			p += width;
		} else if ((c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff) {
			goto invalid;
		}
		n = stp_utf8_len(c);
		if (o + n > MAXSTRINGLEN - 1)
			break;
		stp_utf8_put(dst + o, c, n);
		o += n;
	}
	dst[o] = '\0';
	return STP_UTF_OK;
fault:
	dst[0] = '\0';
	err->bad = at;
	return STP_UTF_FAULT;
invalid:
	dst[0] = '\0';
	err->bad = at;
	err->cp = c;
	return STP_UTF_INVALID;
}

/*
 * In an embedded function body: the string at addr into dst, or the error
 * SystemTap reports (a fault at the unit that could not be read, or the
 * invalid character and where it is).
 */
#define STP_UTF_OR_ERROR(dst, addr, width, user)					\
	do {										\
		struct stp_utf_err e_;							\
											\
		switch (stp_read_utf((dst), (addr), (width), (user), &e_)) {		\
		case STP_UTF_FAULT:							\
			if (user)							\
				STAP_ERROR(STP_MSG_USTR_AT_FMT, (unsigned long long)e_.bad); \
			STAP_ERROR(STP_MSG_KFAULT_FMT, "string", (unsigned long long)e_.bad); \
			break;								\
		case STP_UTF_INVALID:							\
			STAP_ERROR(STP_MSG_UTF_INVALID_FMT, (width) * 8, e_.cp,	\
				   (unsigned long long)e_.bad);				\
			break;								\
		case STP_UTF_OK:							\
			break;								\
		}									\
	} while (0)

#endif /* STP_TAPSET_CONVERSIONS_UTF_H */
