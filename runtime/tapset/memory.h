/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tapset/memory.h - allocation flags and caller names for the memory
 * tapset.
 */
#ifndef STP_TAPSET_MEMORY_H
#define STP_TAPSET_MEMORY_H

#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/kallsyms.h>
#include <linux/slab.h>
#include <linux/oom.h>
#include "tapset/kread.h"

/*
 * The head of SLUB's struct kmem_cache (linux/slub_def.h cannot be
 * included without mm/slab.h): the object sizes, with and without
 * metadata.
 */
struct stp_slub_cache {
	void __percpu *cpu_slab;
	slab_flags_t flags;
	unsigned long min_partial;
	unsigned int size;
	unsigned int object_size;
};

/*
 * __gfp_flag_str(): a whole-mask name when the flags are exactly one of
 * the usual combinations (GFP_KERNEL...), else the __GFP_ bits set,
 * " | "-separated, in SystemTap 4.8's order.
 */
static __maybe_unused void stp_gfp_str(char *dst, unsigned long gfp)
{
#define STP_GFP(f)	{ (__force unsigned long)(f), #f }
	static const struct { unsigned long mask; const char *name; } whole[] = {
		STP_GFP(GFP_ZONEMASK), STP_GFP(GFP_ATOMIC), STP_GFP(GFP_NOIO),
		STP_GFP(GFP_NOFS), STP_GFP(GFP_KERNEL), STP_GFP(GFP_USER),
		STP_GFP(GFP_HIGHUSER), STP_GFP(GFP_HIGHUSER_MOVABLE),
#ifdef CONFIG_NUMA
		{ (__force unsigned long)(__GFP_THISNODE | __GFP_NOWARN | __GFP_NORETRY),
		  "GFP_THISNODE" },
#else
		{ 0, "GFP_THISNODE" },
#endif
		STP_GFP(GFP_DMA), STP_GFP(GFP_DMA32),
	}, bits[] = {
		STP_GFP(__GFP_DMA), STP_GFP(__GFP_HIGHMEM), STP_GFP(__GFP_DMA32),
		STP_GFP(__GFP_MOVABLE), STP_GFP(__GFP_RECLAIMABLE), STP_GFP(__GFP_HIGH),
		STP_GFP(__GFP_IO), STP_GFP(__GFP_FS), STP_GFP(__GFP_NOWARN),
		STP_GFP(__GFP_RETRY_MAYFAIL), STP_GFP(__GFP_NOFAIL), STP_GFP(__GFP_NORETRY),
		STP_GFP(__GFP_MEMALLOC), STP_GFP(__GFP_COMP), STP_GFP(__GFP_ZERO),
		STP_GFP(__GFP_NOMEMALLOC), STP_GFP(__GFP_HARDWALL), STP_GFP(__GFP_THISNODE),
		STP_GFP(__GFP_ATOMIC), STP_GFP(__GFP_ACCOUNT),
		STP_GFP(__GFP_DIRECT_RECLAIM), STP_GFP(__GFP_WRITE),
		STP_GFP(__GFP_KSWAPD_RECLAIM), STP_GFP(__GFP_NOLOCKDEP),
	};
#undef STP_GFP
	size_t i;

	dst[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(whole); i++) {
		if (gfp == whole[i].mask) {
			strscpy(dst, whole[i].name, MAXSTRINGLEN);
			return;
		}
	}
	for (i = 0; i < ARRAY_SIZE(bits); i++) {
		if (!(gfp & bits[i].mask))
			continue;
		if (dst[0])
			strlcat(dst, " | ", MAXSTRINGLEN);
		strlcat(dst, bits[i].name, MAXSTRINGLEN);
	}
}

#endif /* STP_TAPSET_MEMORY_H */
