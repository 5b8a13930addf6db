/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cmdline.h - the current process's arguments and environment for
 * tapset/linux/cmdline.stp: its mm's argument and environment areas, read
 * a piece at a time through conversions.h's window (a page that is not in
 * memory ends the reading; nothing sleeps).
 */
#ifndef STP_TAPSET_CMDLINE_H
#define STP_TAPSET_CMDLINE_H

#include <linux/mm_types.h>
#include <linux/sched.h>
#include <linux/uaccess.h>
#include "tapset/conversions.h"

/* A reader of [pos, end) of the current process's memory. */
struct stp_ureader {
	unsigned long pos, end;
	struct stp_uwindow w;
};

static bool stp_ureader_init(struct stp_ureader *r, bool env)
{
	struct mm_struct *mm = current->mm;

	if (!mm || (current->flags & PF_KTHREAD))
		return false;
	r->pos = env ? READ_ONCE(mm->env_start) : READ_ONCE(mm->arg_start);
	r->end = env ? READ_ONCE(mm->env_end) : READ_ONCE(mm->arg_end);
	r->w.len = 0;
	return r->end > r->pos;
}

/* The next byte, or -1 at the end or where memory cannot be read. */
static int stp_ureader_getc(struct stp_ureader *r)
{
	u8 b;

	if (r->pos >= r->end || !stp_uwindow_getc(&r->w, r->pos, &b))
		return -1;
	r->pos++;
	return b;
}

/* Append s (n bytes) to out[*len], cut at MAXSTRINGLEN. */
static void stp_cmdline_put(char *out, size_t *len, const char *s, size_t n)
{
	n = min(n, MAXSTRINGLEN - 1 - *len);
	memcpy(out + *len, s, n);
	*len += n;
}

/*
 * Arguments first..last (last < 0: to the end) into out (MAXSTRINGLEN,
 * cut), as SystemTap 4.8 joins them: the first as it is, each later one
 * after delim, an empty one as "".  "" when there are not that many.
 */
static noinline void stp_cmdline_args(char *out, long first, long last, const char *delim)
{
	struct stp_ureader r;
	size_t len = 0, dl = strlen(delim);
	long i = 0;
	bool start = true;	/* at the first byte of argument i */
	int ch;

	out[0] = '\0';
	if (!stp_ureader_init(&r, false))
		return;
	while ((last < 0 || i <= last) && (ch = stp_ureader_getc(&r)) >= 0) {
		if (i > first && start) {
			stp_cmdline_put(out, &len, delim, dl);
			if (!ch)
				stp_cmdline_put(out, &len, "\"\"", 2);
		}
		start = false;
		if (!ch) {
			i++;
			start = true;
		} else if (i >= first) {
			char c = ch;

			stp_cmdline_put(out, &len, &c, 1);
		}
	}
	out[len] = '\0';
}

/* The value of environment variable name into out (MAXSTRINGLEN), or "". */
static noinline void stp_env_var(char *out, const char *name)
{
	struct stp_ureader r;
	size_t nl = strlen(name), k = 0, len = 0;
	int ch;
	enum { NAME, VALUE, SKIP } st = NAME;

	out[0] = '\0';
	if (!nl || !stp_ureader_init(&r, true))
		return;
	while ((ch = stp_ureader_getc(&r)) >= 0) {
		switch (st) {
		case NAME:
			if (k == nl && ch == '=')
				st = VALUE;
			else if (k < nl && ch == name[k])
				k++;
			else
				st = ch ? SKIP : NAME;
			if (!ch)
				k = 0;
			break;
		case VALUE:
			if (!ch) {
				out[len] = '\0';
				return;
			}
			if (len + 1 < MAXSTRINGLEN)
				out[len++] = ch;
			break;
		case SKIP:
			if (!ch) {
				st = NAME;
				k = 0;
			}
			break;
		}
	}
	out[st == VALUE ? len : 0] = '\0';
}

#endif /* STP_TAPSET_CMDLINE_H */
