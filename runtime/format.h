/* SPDX-License-Identifier: GPL-2.0 */
/*
 * format.h - the printf engine: SystemTap's printf/sprintf conversions,
 * formatted into a caller-provided output (struct stp_out).
 *
 * Two ways in:
 *  - pre-parsed (what pass 3 emits): one struct stp_fmt_spec per
 *    conversion, then stp_fmt_long()/stp_fmt_str()/stp_fmt_mem() per argument
 *    and stp_out_bytes() for the literal text between conversions;
 *  - run time: stp_fmt_parse() walks a format string one piece at a time,
 *    and stp_fmt_vformat() formats a whole string with an argument array.
 *
 * Everything appends to a struct stp_out: a buffer with a capacity and an
 * optional more() hook called when it is full (the print buffer flushes
 * there); without a hook the output is silently truncated (sprintf:
 * MAXSTRINGLEN - 1 bytes, then stp_out_cstr() NUL-terminates).
 */
#ifndef _STP_FORMAT_H_
#define _STP_FORMAT_H_

#include "userspace-shim.h"

struct stp_out {
	char *buf;		/* output bytes go here */
	u32 len;		/* bytes used */
	u32 cap;		/* bytes available in buf */
	/* buf is full: make room (flush, then reset len), return 0; or
	 * return non-zero to drop the rest.  NULL: truncate silently. */
	int (*more)(struct stp_out *o);
	void *priv;		/* for more() */
	u32 dropped;		/* bytes that did not fit */
};

/* conversion types */
enum stp_fmt_type {
	STP_FMT_LITERAL,	/* text between conversions (parser only) */
	STP_FMT_PERCENT,	/* %% */
	STP_FMT_D,		/* %d %i */
	STP_FMT_U,		/* %u */
	STP_FMT_O,		/* %o */
	STP_FMT_X,		/* %x */
	STP_FMT_XX,		/* %X */
	STP_FMT_P,		/* %p */
	STP_FMT_S,		/* %s */
	STP_FMT_C,		/* %c */
	STP_FMT_B,		/* %b: binary write of the value */
	STP_FMT_M,		/* %m: memory bytes at an address */
	STP_FMT_MM,		/* %M: the same, in hex */
};

/* flags */
#define STP_FMT_LEFT	0x01	/* - */
#define STP_FMT_PLUS	0x02	/* + */
#define STP_FMT_SPACE	0x04	/* ' ' */
#define STP_FMT_ZERO	0x08	/* 0 */
#define STP_FMT_ALT	0x10	/* # */

/* width/prec values besides N >= 0 */
#define STP_FMT_NONE	(-1)	/* not given */
#define STP_FMT_STAR	(-2)	/* '*': taken from an argument */

struct stp_fmt_spec {
	u8 type;		/* enum stp_fmt_type */
	u8 flags;		/* STP_FMT_LEFT ... */
	s32 width;		/* >= 0, STP_FMT_NONE or STP_FMT_STAR */
	s32 prec;		/* >= 0, STP_FMT_NONE or STP_FMT_STAR */
};

/* argument kind a conversion consumes (after any '*' longs) */
enum stp_fmt_argkind { STP_FMT_ARG_NONE, STP_FMT_ARG_LONG, STP_FMT_ARG_STR };

/* errors from %m/%M (the message for stp_error()) */
#define STP_FMT_EFAULT	(-14)

/* output */
static void stp_out_init(struct stp_out *o, char *buf, u32 cap);
static void stp_out_bytes(struct stp_out *o, const char *s, u32 n);
static void stp_out_str(struct stp_out *o, const char *s);
static void stp_out_char(struct stp_out *o, char c);
static void stp_out_fill(struct stp_out *o, char c, s64 n);
static const char *stp_out_cstr(struct stp_out *o);

/* one pre-parsed conversion; width/prec must already be resolved (no STAR) */
static void stp_fmt_long(struct stp_out *o, const struct stp_fmt_spec *sp, s64 v);
static void stp_fmt_str(struct stp_out *o, const struct stp_fmt_spec *sp, const char *s);
/* %m/%M; STP_FMT_EFAULT with the message in errbuf[MAXSTRINGLEN]
 * ("read fault [man error::fault] at 0x...") when the memory is unreadable */
static int stp_fmt_mem(struct stp_out *o, const struct stp_fmt_spec *sp, s64 addr,
		       char *errbuf);
/* resolve '*' from the given values (a negative width means '-' flag) */
static void stp_fmt_star(struct stp_fmt_spec *sp, s64 width, s64 prec);

/* run-time parsing: next piece of *fmt; literal text returns
 * STP_FMT_LITERAL with lit and litlen set.  0 at the end, 1 for a piece,
 * -1 for a malformed conversion (then *fmt is left at the '%'). */
static int stp_fmt_parse(const char **fmt, struct stp_fmt_spec *sp,
			 const char **lit, u32 *litlen);
static enum stp_fmt_argkind stp_fmt_argkind(const struct stp_fmt_spec *sp);

struct stp_fmt_arg {
	s64 n;			/* long arguments (and '*' values) */
	const char *s;		/* string arguments */
};

/* format a whole string; 0, or -1 with the message in errbuf[MAXSTRINGLEN]
 * (bad format, missing argument, memory fault); on error the output of this
 * call is taken back (as SystemTap prints nothing of a failed printf) */
static int stp_fmt_vformat(struct stp_out *o, const char *fmt,
			   const struct stp_fmt_arg *args, int nargs, char *errbuf);

/* print()/sprint() of values: long as %d, string as %s */
static void stp_fmt_print_long(struct stp_out *o, s64 v);

#include "format.c"

#endif /* _STP_FORMAT_H_ */
