/* SPDX-License-Identifier: GPL-2.0 */
/*
 * str.h - string helpers for the core tapset, with SystemTap 4.8's
 * semantics (runtime/DATA.md).  Every destination is a MAXSTRINGLEN
 * buffer; results longer than MAXSTRINGLEN - 1 bytes are truncated.
 * Nothing allocates; nothing recurses.
 */
#ifndef _STP_STR_H_
#define _STP_STR_H_

#include "userspace-shim.h"

#define STP_MSG_POS_BOUNDS	"Position out of bounds"

/* tokenize() keeps its input between calls (one per module, or per cpu) */
struct stp_tok_state {
	char buf[MAXSTRINGLEN];
	s32 pos;		/* next byte of buf, -1: exhausted */
};

static u32 stp_str_copy(char *dst, const char *src);		/* a = b */
static u32 stp_str_cat(char *dst, const char *src);		/* a .= b */
static void stp_str_substr(char *dst, const char *s, s64 start, s64 len);
static s64 stp_str_pos(const char *s, const char *sub);	/* strpos: -1 if none */
static s64 stp_str_isinstr(const char *s, const char *sub);
/* stringat: 0, or -1 with *errmsg = STP_MSG_POS_BOUNDS */
static int stp_str_at(const char *s, s64 pos, s64 *out, const char **errmsg);
static s64 stp_str_isdigit(const char *s);			/* first byte only */
static void stp_str_replace(char *dst, const char *s, const char *search, const char *repl);
static void stp_str_tokenize(char *dst, struct stp_tok_state *st, const char *input,
			     const char *delim);
static s64 stp_str_strtol(const char *s, s64 base);		/* kernel simple_strtoll */

/* escaping: text_str, text_strn, string_quoted, kernel_string_quoted */
static void stp_str_text(char *dst, const char *s, s64 len, bool quoted);
#define stp_str_text_str(dst, s)	stp_str_text((dst), (s), 0, false)
#define stp_str_quoted(dst, s)		stp_str_text((dst), (s), 0, true)
/* kernel_string_quoted(addr): tmp is a MAXSTRINGLEN scratch buffer */
static void stp_str_kernel_quoted(char *dst, unsigned long addr, char *tmp);

#include "str.c"

#endif /* _STP_STR_H_ */
