/* SPDX-License-Identifier: GPL-2.0 */
/*
 * regex.h - `s =~ "re"`: POSIX extended regular expressions (no
 * back-references, like SystemTap), compiled once at module load into a
 * small program and run by a Pike VM (a breadth-first NFA simulation: time
 * O(len(s) * program), no backtracking, no recursion).  The overall match is
 * the leftmost-longest one; matched(n) gives subexpression n of it.
 *
 * Memory: struct stp_re (the program) is filled by stp_re_compile() at init;
 * a match needs stp_re_worksize() bytes of scratch, which the caller
 * preallocates (e.g. one block per cpu).  Nothing allocates.
 */
#ifndef _STP_REGEX_H_
#define _STP_REGEX_H_

#include "userspace-shim.h"

#define STP_RE_MAXINSN		512	/* program size */
#define STP_RE_MAXCLASS		32	/* bracket expressions */
#define STP_RE_MAXGROUP		10	/* matched(0..9) */
#define STP_RE_MAXDEPTH		16	/* nested parentheses */

struct stp_re_insn {
	u8 op;			/* STP_RE_* opcode (regex.c) */
	u8 c;			/* CHAR: the byte; CLASS: class index; SAVE: slot */
	s16 x, y;		/* SPLIT: relative targets (x preferred); JMP: x */
};

struct stp_re {
	u16 ninsn;
	u8 nclass;
	u8 ngroup;		/* capturing groups, plus 1 for the whole match */
	struct stp_re_insn insn[STP_RE_MAXINSN];
	u8 class[STP_RE_MAXCLASS][32];	/* 256-bit byte sets */
};

/* where matched(n) is: byte offsets, -1 when group n did not take part */
struct stp_re_match {
	s32 start[STP_RE_MAXGROUP];
	s32 end[STP_RE_MAXGROUP];
	u8 ngroup;
};

/* 0, or -1 with a message in errbuf[MAXSTRINGLEN] */
static int stp_re_compile(struct stp_re *re, const char *pattern, char *errbuf);
static u32 stp_re_worksize(const struct stp_re *re);
/* 1 when s matches (m filled in), 0 when not */
static int stp_re_match(const struct stp_re *re, const char *s, struct stp_re_match *m,
			void *work);
/* matched(n) into dst[MAXSTRINGLEN]: "" for a group that did not take part;
 * -1 when the pattern has no group n: the error is
 * stp_error(c, where, STP_MSG_RE_NOSUB_FMT, n) */
static int stp_re_matched(char *dst, const char *s, const struct stp_re_match *m, s64 n);
#define STP_MSG_RE_NOSUB_FMT	"Attempted to get nonexistent subexpression %lld"

#include "regex.c"

#endif /* _STP_REGEX_H_ */
