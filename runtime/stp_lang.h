/* SPDX-License-Identifier: GPL-2.0 */
/*
 * stp_lang.h - what the generated code needs beyond the runtime core and
 * the data structures: SystemTap's shift semantics, regex glue (compiled at
 * module start, one match state per CPU for matched()/ngroups()), register
 * and memory access for @kregister/@kderef, and string helpers used by
 * expressions.
 */
#ifndef STP_LANG_H
#define STP_LANG_H

#include <linux/uaccess.h>
#include <linux/percpu.h>
#include <linux/vmalloc.h>

/*
 * Statement accounting as SystemTap 4.8 does it (translate.c, "Statement
 * accounting"): subtract n statements, "MAXACTION exceeded" once nothing
 * is left.  MAXACTION cannot be caught.
 */
static __always_inline bool stp_actions(struct context *c, long n, const char *where)
{
	c->actionremaining -= n;
	if (unlikely(c->actionremaining <= 0)) {
		stp_error_str(c, where, "MAXACTION exceeded");
		return true;
	}
	return false;
}

/* Shifts take the count modulo 64, as the hardware does. */
static inline s64 stp_shl(s64 a, s64 b)
{
	return (s64)((u64)a << (b & 63));
}

static inline s64 stp_shr(s64 a, s64 b)
{
	return a >> (b & 63);
}

static inline s64 stp_lshr(s64 a, s64 b)
{
	return (s64)((u64)a >> (b & 63));
}

/* ---- regular expressions ------------------------------------------------ */

/* The last match on this CPU, for matched(n) and ngroups(). */
struct stp_last_match {
	const struct stp_re *re;
	struct stp_re_match m;
	char subject[MAXSTRINGLEN];
	bool valid;
};

static struct stp_last_match __percpu *stp_last_match;
static void __percpu *stp_re_work;	/* scratch for the Pike VM, per CPU */
static u32 stp_re_work_size;

static __maybe_unused int stp_regex_init(struct stp_re *re, const char *pattern)
{
	char *err = kmalloc(MAXSTRINGLEN, GFP_KERNEL);
	u32 need;

	if (!err)
		return -ENOMEM;
	if (stp_re_compile(re, pattern, err)) {
		printk(KERN_ERR "stap: regular expression \"%s\": %s\n", pattern, err);
		kfree(err);
		return -EINVAL;
	}
	kfree(err);
	need = stp_re_worksize(re);
	if (need > stp_re_work_size) {
		if (stp_re_work)
			free_percpu(stp_re_work);
		stp_re_work = __alloc_percpu(need, 8);
		if (!stp_re_work)
			return -ENOMEM;
		stp_re_work_size = need;
	}
	if (!stp_last_match) {
		stp_last_match = alloc_percpu(struct stp_last_match);
		if (!stp_last_match)
			return -ENOMEM;
	}
	return 0;
}

static __maybe_unused void stp_regex_free(void)
{
	if (stp_re_work)
		free_percpu(stp_re_work);
	if (stp_last_match)
		free_percpu(stp_last_match);
	stp_re_work = NULL;
	stp_last_match = NULL;
}

static __maybe_unused s64 stp_regex_match(struct context *c, const struct stp_re *re, const char *s)
{
	struct stp_last_match *lm = this_cpu_ptr(stp_last_match);
	int r;

	r = stp_re_match(re, s, &lm->m, this_cpu_ptr(stp_re_work));
	lm->re = re;
	lm->valid = r == 1;
	if (lm->valid)
		strscpy(lm->subject, s, MAXSTRINGLEN);
	return r == 1;
}

/* matched(n): false (error state) when the last match has no group n. */
static __maybe_unused bool stp_regex_matched(struct context *c, char *dst, s64 n, const char *where)
{
	struct stp_last_match *lm = stp_last_match ? this_cpu_ptr(stp_last_match) : NULL;

	if (!lm || !lm->valid) {
		stp_error(c, where, STP_MSG_RE_NOSUB_FMT, (long long)n);
		return false;
	}
	if (stp_re_matched(dst, lm->subject, &lm->m, n) < 0) {
		stp_error(c, where, STP_MSG_RE_NOSUB_FMT, (long long)n);
		return false;
	}
	return true;
}

static __maybe_unused s64 stp_regex_ngroups(void)
{
	struct stp_last_match *lm = stp_last_match ? this_cpu_ptr(stp_last_match) : NULL;

	return lm && lm->valid ? lm->m.ngroup : 0;
}

/* ---- registers and memory ----------------------------------------------- */

#ifdef CONFIG_X86_64
/* DWARF register numbers of x86-64 to pt_regs fields. */
static __maybe_unused s64 stp_register(struct context *c, s64 n, bool user)
{
	struct pt_regs *r = user ? (current->mm ? task_pt_regs(current) : NULL) : c->regs;

	if (!r)
		return 0;
	switch (n) {
	case 0: return r->ax;
	case 1: return r->dx;
	case 2: return r->cx;
	case 3: return r->bx;
	case 4: return r->si;
	case 5: return r->di;
	case 6: return r->bp;
	case 7: return r->sp;
	case 8: return r->r8;
	case 9: return r->r9;
	case 10: return r->r10;
	case 11: return r->r11;
	case 12: return r->r12;
	case 13: return r->r13;
	case 14: return r->r14;
	case 15: return r->r15;
	case 16: return r->ip;
	default: return 0;
	}
}
#else
static __maybe_unused s64 stp_register(struct context *c, s64 n, bool user)
{
	return 0;
}
#endif

/*
 * Read 1, 2, 4 or 8 bytes (sign-extended) without faulting the kernel.
 * True, with the context in the error state, on a bad address.
 */
static __maybe_unused bool stp_deref(struct context *c, s64 addr, s64 size, bool user, s64 *out,
				     const char *where)
{
	union { u8 b; s16 h; s32 w; s64 q; } v;
	long rc;

	if (size != 1 && size != 2 && size != 4 && size != 8) {
		stp_error(c, where, "invalid memory access size %lld", (long long)size);
		return true;
	}
	if (user)
		rc = copy_from_user_nofault(&v, (const void __user *)(unsigned long)addr, size);
	else
		rc = copy_from_kernel_nofault(&v, (const void *)(unsigned long)addr, size);
	if (rc) {
		stp_error(c, where, "%s read fault at 0x%llx", user ? "user" : "kernel",
			  (unsigned long long)addr);
		return true;
	}
	*out = size == 1 ? (s64)(s8)v.b : size == 2 ? v.h : size == 4 ? v.w : v.q;
	return false;
}

#endif /* STP_LANG_H */
