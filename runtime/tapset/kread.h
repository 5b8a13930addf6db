/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tapset/kread.h - typed fault-tolerant reads of kernel structures for the
 * kernel tapset families (scheduler, signal, vfs, networking, ...).
 *
 * The pointers come from tracepoint and function arguments and from the
 * script, so any of them may be stale or plain garbage.  Address
 * arithmetic such as &file->f_path.dentry never touches memory; only
 * stp_kget() reads, with copy_from_kernel_nofault() behind the range
 * checks of conversions.h.
 */
#ifndef STP_TAPSET_KREAD_H
#define STP_TAPSET_KREAD_H

#include <linux/build_bug.h>
#include "tapset/conversions.h"


/* Copy the object at ptr into dst (same size); false on a fault. */
#define stp_kget(dst, ptr) ({						\
	const typeof(*(ptr)) *p_ = (ptr);				\
	BUILD_BUG_ON(sizeof(dst) != sizeof(*p_));			\
	stp_krange_ok((unsigned long)p_, sizeof(*p_)) &&		\
		!copy_from_kernel_nofault(&(dst), p_, sizeof(*p_));	\
})

/*
 * In an embedded-C function: stp_kget() or raise SystemTap's read fault
 * error (STAP_ERROR leaves the function).
 */
#define STP_KGET(dst, ptr)						\
	do {								\
		if (!stp_kget(dst, ptr))				\
			STAP_ERROR(STP_MSG_READ_FAULT_FMT,		\
				   (unsigned long long)(unsigned long)(ptr)); \
	} while (0)

/* A script value (s64) as a kernel pointer of type T. */
#define STP_PTR(T, v)	((T *)(unsigned long)(v))

#endif /* STP_TAPSET_KREAD_H */
