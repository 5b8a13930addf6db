/* SPDX-License-Identifier: GPL-2.0 */
/*
 * userspace-shim.h - the few kernel primitives the data runtime uses
 * (map, stat, format, str), so that those files compile unchanged both in
 * the generated module and in user-space unit tests.
 *
 * In the kernel this header only pulls in the kernel headers.  In user space
 * (no __KERNEL__) it maps: fixed-size types, string functions, 64-bit
 * division helpers, per-cpu data (an array of STP_SHIM_NR_CPUS copies;
 * tests pick the "current" cpu with _stp_shim_cpu), init-time allocation
 * (calloc), and the fault-tolerant memory readers (plain memcpy; addresses
 * below 4096 or in the upper half fault, so tests can exercise the error paths).
 */
#ifndef _STP_USERSPACE_SHIM_H_
#define _STP_USERSPACE_SHIM_H_

#ifdef __KERNEL__

#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/errno.h>
#include <linux/math64.h>
#include <linux/percpu.h>
#include <linux/cpumask.h>
#include <linux/smp.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/uaccess.h>
#include <asm/div64.h>

/* init-time allocation only (module load), never from probe context */
#define _stp_data_zalloc(size)		vzalloc(size)
#define _stp_data_free(p)		vfree(p)

/* per-cpu blocks of 'size' bytes */
#define _stp_pcpu_alloc(size)		__alloc_percpu((size), __alignof__(u64))
#define _stp_pcpu_ptr(p, cpu)		per_cpu_ptr((p), (cpu))
#define _stp_pcpu_free(p)		free_percpu(p)
#define _stp_this_cpu()			smp_processor_id()
#define _stp_nr_cpus()			nr_cpu_ids
#define _stp_for_each_cpu(cpu)		for_each_possible_cpu(cpu)

/* fault-tolerant reads; 0 or -EFAULT */
static inline int _stp_read_kernel_mem(void *dst, unsigned long addr, size_t n)
{
	return copy_from_kernel_nofault(dst, (const void *)addr, n) ? -EFAULT : 0;
}

static inline int _stp_read_user_mem(void *dst, unsigned long addr, size_t n)
{
	return copy_from_user_nofault(dst, (const void __user *)addr, n) ?
	       -EFAULT : 0;
}

#else /* user space */

#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

#ifndef noinline
#define noinline		__attribute__((__noinline__))
#endif
#ifndef __maybe_unused
#define __maybe_unused		__attribute__((__unused__))
#endif
#ifndef __always_inline
#define __always_inline		inline __attribute__((__always_inline__))
#endif
#ifndef __percpu
#define __percpu
#endif
#ifndef likely
#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)
#endif
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#endif
#ifndef S64_MAX
#define S64_MAX			INT64_MAX
#define S64_MIN			INT64_MIN
#define U64_MAX			UINT64_MAX
#endif
#ifndef fallthrough
#define fallthrough		__attribute__((__fallthrough__))
#endif

/* do_div(n, base): n = n / base, evaluates to the remainder (u32 base) */
#define do_div(n, base) ({					\
	u32 __base = (base);					\
	u32 __rem = (u32)((u64)(n) % __base);			\
	(n) = (u64)(n) / __base;				\
	__rem;							\
})

static inline s64 div64_s64(s64 a, s64 b) { return a / b; }
static inline u64 div64_u64(u64 a, u64 b) { return a / b; }

#define _stp_data_zalloc(size)		calloc(1, (size))
#define _stp_data_free(p)		free(p)

#ifndef STP_SHIM_NR_CPUS
#define STP_SHIM_NR_CPUS	4
#endif
/* the cpu the "probe" runs on; tests change it to spread data over cpus */
static int _stp_shim_cpu __maybe_unused;

/* a per-cpu block: STP_SHIM_NR_CPUS copies, the unit size stored in front */
static inline void *_stp_pcpu_alloc(size_t size)
{
	size_t unit = (size + 15) & ~(size_t)15;
	size_t *p = calloc(1, 16 + unit * STP_SHIM_NR_CPUS);

	if (!p)
		return NULL;
	p[0] = unit;
	return (char *)p + 16;
}

static inline void *_stp_pcpu_ptr(void *p, int cpu)
{
	size_t unit = *(size_t *)((char *)p - 16);

	return (char *)p + unit * (size_t)cpu;
}

static inline void _stp_pcpu_free(void *p)
{
	if (p)
		free((char *)p - 16);
}

#define _stp_this_cpu()			(_stp_shim_cpu)
#define _stp_nr_cpus()			STP_SHIM_NR_CPUS
#define _stp_for_each_cpu(cpu)		for ((cpu) = 0; (cpu) < STP_SHIM_NR_CPUS; (cpu)++)

static inline int _stp_read_kernel_mem(void *dst, unsigned long addr, size_t n)
{
	if (addr < 4096 || addr >= (1UL << 47))	/* NULL page, kernel half */
		return -EFAULT;
	memcpy(dst, (const void *)addr, n);
	return 0;
}

static inline int _stp_read_user_mem(void *dst, unsigned long addr, size_t n)
{
	return _stp_read_kernel_mem(dst, addr, n);
}

#endif /* __KERNEL__ */

/* the script language limits; generated code may override them with -D */
#ifndef MAXSTRINGLEN
#define MAXSTRINGLEN		512
#endif
#ifndef MAXMAPENTRIES
#define MAXMAPENTRIES		2048
#endif

#endif /* _STP_USERSPACE_SHIM_H_ */
