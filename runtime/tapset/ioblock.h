/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tapset/ioblock.h - struct bio for the ioblock tapset.
 */
#ifndef STP_TAPSET_IOBLOCK_H
#define STP_TAPSET_IOBLOCK_H

#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/blk_types.h>
#include <linux/mm.h>
#include <linux/page-flags.h>
#include "tapset/kread.h"

/*
 * The inode number of the file the first page of a bio caches; -1 for
 * none (an anonymous, slab or swap cache page, a page without mapping).
 * False on a fault.
 */
static __maybe_unused bool stp_bio_ino(struct bio *bio, s64 *ino, unsigned long *fault)
{
	unsigned short vcnt;
	struct bio_vec *vec;
	struct page *page;
	unsigned long flags, mapping;
	struct inode *host;
	unsigned long i_ino;

	*ino = -1;
#define GET(dst, ptr) do { if (!stp_kget(dst, ptr)) { *fault = (unsigned long)(ptr); return false; } } while (0)
	if (!bio)
		return true;
	GET(vcnt, &bio->bi_vcnt);
	if (!vcnt)
		return true;
	GET(vec, &bio->bi_io_vec);
	GET(page, &vec->bv_page);
	if (!page)
		return true;
	/* PageSlab() and PageSwapCache() test the head page's flags */
	GET(flags, &page->flags);
	if (flags & (1UL << PG_slab))
		return true;
	if ((flags & (1UL << PG_swapbacked)) && (flags & (1UL << PG_swapcache)))
		return true;
	GET(mapping, (unsigned long *)&page->mapping);
	if (!mapping || (mapping & PAGE_MAPPING_ANON))
		return true;
	GET(host, &((struct address_space *)mapping)->host);
	if (!host)
		return true;
	GET(i_ino, &host->i_ino);
#undef GET
	*ino = i_ino;
	return true;
}

#endif /* STP_TAPSET_IOBLOCK_H */
