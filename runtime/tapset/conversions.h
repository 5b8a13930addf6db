/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tapset/conversions.h - fault-tolerant reads and writes of kernel and user
 * memory for the conversions tapset (kernel_long, user_string, ...).
 *
 * Everything goes through the *_nofault accessors (or their exception-table
 * primitives): a bad address is an error code, never an oops.
 */
#ifndef STP_TAPSET_CONVERSIONS_H
#define STP_TAPSET_CONVERSIONS_H

#include <linux/uaccess.h>
#include <linux/mm.h>
#include <linux/preempt.h>
#include <linux/sched.h>

/* SystemTap's messages; the size names are "long", "int", "char"... */
#define STP_MSG_KFAULT_FMT	"kernel %s copy fault at 0x%llx [man error::fault]"
#define STP_MSG_READ_FAULT_FMT	"read fault [man error::fault] at 0x%llx"
#define STP_MSG_KWFAULT_FMT	"kernel %s copy fault at 0x%p [man error::fault]"
#define STP_MSG_USTR_FMT	"user string copy fault %ld at 0x%llx [man error::fault]"
#define STP_MSG_USTR_AT_FMT	"user string copy fault at 0x%llx [man error::fault]"
#define STP_MSG_UWFAULT_FMT	"user %s copy fault at 0x%p [man error::fault]"

/*
 * An address the kernel may touch with the *_nofault accessors: in the
 * kernel half and canonical for the paging mode in use.  A user address
 * oopses on SMAP instead of faulting cleanly, and a non-canonical one
 * raises #GP, which the exception tables fix up with a kernel WARNING.
 * (6.1's copy_from_kernel_nofault() checks canonical addresses against
 * the CPU's 57 virtual address bits even under 4-level paging.)
 */
static inline bool stp_kaddr_ok(unsigned long addr)
{
#ifdef CONFIG_X86_64
	return addr >= TASK_SIZE_MAX + PAGE_SIZE &&
	       __is_canonical_address(addr, __VIRTUAL_MASK_SHIFT + 1);
#else
	return addr >= TASK_SIZE;
#endif
}

/* The same for the n bytes from addr (n >= 1). */
static inline bool stp_krange_ok(unsigned long addr, size_t n)
{
	return addr + n - 1 >= addr && stp_kaddr_ok(addr) && stp_kaddr_ok(addr + n - 1);
}

/*
 * Read n (1, 2, 4 or 8) bytes of kernel memory, sign-extended as the C
 * types char, short, int, long are.  False on a fault.
 */
static __maybe_unused bool stp_kread_signed(s64 addr, size_t n, s64 *out)
{
	union { s8 b; s16 h; s32 w; s64 q; } v;

	if (!stp_krange_ok(addr, n) ||
	    copy_from_kernel_nofault(&v, (const void *)(unsigned long)addr, n))
		return false;
	*out = n == 1 ? v.b : n == 2 ? v.h : n == 4 ? v.w : v.q;
	return true;
}

/* The same from user memory; false on a fault (also without an mm). */
static __maybe_unused bool stp_uread_signed(s64 addr, size_t n, s64 *out)
{
	union { s8 b; s16 h; s32 w; s64 q; } v;

	if (copy_from_user_nofault(&v, (const void __user *)(unsigned long)addr, n))
		return false;
	*out = n == 1 ? v.b : n == 2 ? v.h : n == 4 ? v.w : v.q;
	return true;
}

/* The same, zero-extended as u8, u16, u32 are (8 bytes: the raw value). */
static __maybe_unused bool stp_uread_unsigned(s64 addr, size_t n, s64 *out)
{
	union { u8 b; u16 h; u32 w; u64 q; } v;

	if (copy_from_user_nofault(&v, (const void __user *)(unsigned long)addr, n))
		return false;
	*out = n == 1 ? v.b : n == 2 ? v.h : n == 4 ? v.w : (s64)v.q;
	return true;
}

/*
 * Write the low n bytes of val; false on a fault (on 6.1 modules have no
 * copy_to_kernel_nofault(), this is its body).
 */
static __maybe_unused bool stp_kwrite(s64 addr, size_t n, s64 val)
{
	union { u8 b; u16 h; u32 w; u64 q; } v;
	void *dst = (void *)(unsigned long)addr;

	if (!stp_krange_ok(addr, n))
		return false;
	pagefault_disable();
	switch (n) {
	case 1:
		v.b = val;
		__put_kernel_nofault(dst, &v.b, u8, fault);
		break;
	case 2:
		v.h = val;
		__put_kernel_nofault(dst, &v.h, u16, fault);
		break;
	case 4:
		v.w = val;
		__put_kernel_nofault(dst, &v.w, u32, fault);
		break;
	default:
		v.q = val;
		__put_kernel_nofault(dst, &v.q, u64, fault);
		break;
	}
	pagefault_enable();
	return true;
fault:
	pagefault_enable();
	return false;
}

/*
 * A NUL-terminated string of at most max - 1 bytes (1 <= max <=
 * MAXSTRINGLEN) into dst; a longer string is cut.  0, or -EFAULT.  Like
 * strncpy_from_*_nofault() (not exported on 6.1), but it copies a page at
 * a time, 64 bytes at most.  max == 1 reads nothing.
 */
static __maybe_unused long stp_read_str(char *dst, s64 addr, long max, bool user)
{
	unsigned long a = addr;
	long i = 0, n, k;

	dst[0] = '\0';
	while (i < max - 1) {
		n = min3(max - 1 - i, 64L, (long)(PAGE_SIZE - ((a + i) & ~PAGE_MASK)));
		if (user ? copy_from_user_nofault(dst + i, (const void __user *)(a + i), n)
			 : !stp_krange_ok(a + i, n) ||
			   copy_from_kernel_nofault(dst + i, (const void *)(a + i), n)) {
			dst[0] = '\0';
			return -EFAULT;
		}
		for (k = 0; k < n; k++)
			if (!dst[i + k])
				return 0;
		i += n;
	}
	dst[max - 1] = '\0';
	return 0;
}

#define stp_kread_str(dst, addr, max)	stp_read_str((dst), (addr), (max), false)
#define stp_uread_str(dst, addr, max)	stp_read_str((dst), (addr), (max), true)

/* n bytes of kernel memory at addr into dst; non-zero on a fault. */
static inline long stp_kcopy(void *dst, unsigned long addr, size_t n)
{
	if (!stp_krange_ok(addr, n))
		return -EFAULT;
	return copy_from_kernel_nofault(dst, (const void *)addr, n);
}

/*
 * User memory read a byte at a time through a small window, refilled up to
 * the end of the page (one copy usually does); where that copy faults, a
 * single byte is tried, so a fault is reported at the first unreadable
 * byte.  Nothing sleeps.  Start with { .len = 0 }.  stp_kwindow_getc()
 * reads kernel memory through the same window.
 */
struct stp_uwindow {
	unsigned long addr;	/* of buf[0] */
	unsigned int len;	/* bytes in buf */
	u8 buf[64];
};

static __maybe_unused bool stp_window_getc(struct stp_uwindow *w, unsigned long at, u8 *out,
					   bool kernel)
{
	unsigned long n;

	if (at - w->addr >= w->len) {
		n = min(sizeof(w->buf), PAGE_SIZE - (at & ~PAGE_MASK));
		w->addr = at;
		w->len = 0;
		if (kernel ? stp_kcopy(w->buf, at, n)
			   : copy_from_user_nofault(w->buf, (const void __user *)at, n)) {
			if (kernel ? stp_kcopy(w->buf, at, 1)
				   : copy_from_user_nofault(w->buf, (const void __user *)at, 1))
				return false;
			n = 1;
		}
		w->len = n;
	}
	*out = w->buf[at - w->addr];
	return true;
}

#define stp_uwindow_getc(w, at, out)	stp_window_getc((w), (at), (out), false)
#define stp_kwindow_getc(w, at, out)	stp_window_getc((w), (at), (out), true)

/*
 * Bytes to read (NUL included) for a length argument n (n <= 0: none),
 * at most cap: MAXSTRINGLEN for kernel strings, MAXSTRINGLEN - 1 for user
 * strings (SystemTap 4.8 reads one byte less there).
 */
static inline long stp_strn_max(s64 n, long cap)
{
	if (n <= 0)
		return 1;
	return n < cap - 1 ? (long)n + 1 : cap;
}

/*
 * set_kernel_string(_n): len bytes of s and a NUL, one byte at a time as
 * SystemTap does; a fault stops the write where it happened.
 */
static __maybe_unused bool stp_kwrite_str(s64 addr, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i <= len; i++)
		if (!stp_kwrite(addr + i, 1, i < len ? s[i] : 0))
			return false;
	return true;
}

/*
 * Writes to user memory (set_user_*): n bytes of src at addr, with page
 * faults disabled (copy_to_user_nofault()), so a page that is not present
 * or not writable is a fault, never a sleep or an oops.  Refused in a
 * kernel thread (its mm is borrowed) and in NMI context.
 */
static __maybe_unused bool stp_uwrite(s64 addr, const void *src, size_t n)
{
	if (!current->mm || (current->flags & PF_KTHREAD) || in_nmi())
		return false;
	return !copy_to_user_nofault((void __user *)(unsigned long)addr, src, n);
}

/* The low n (1, 2, 4 or 8) bytes of val. */
static __maybe_unused bool stp_uwrite_val(s64 addr, size_t n, s64 val)
{
	union { u8 b; u16 h; u32 w; u64 q; } v;

	switch (n) {
	case 1:
		v.b = val;
		break;
	case 2:
		v.h = val;
		break;
	case 4:
		v.w = val;
		break;
	default:
		v.q = val;
		break;
	}
	return stp_uwrite(addr, &v, n);
}

/* The first len bytes of s, then a NUL. */
static __maybe_unused bool stp_uwrite_str(s64 addr, const char *s, size_t len)
{
	static const char nul;

	if (!s[len])
		return stp_uwrite(addr, s, len + 1);
	return stp_uwrite(addr, s, len) && stp_uwrite(addr + len, &nul, 1);
}

#endif /* STP_TAPSET_CONVERSIONS_H */
