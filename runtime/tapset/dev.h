/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tapset/dev.h - device numbers and block device names for the dev,
 * vfs and ioblock tapsets.
 */
#ifndef STP_TAPSET_DEV_H
#define STP_TAPSET_DEV_H

#include <linux/kdev_t.h>
#include <linux/blkdev.h>
#include <linux/blk_types.h>
#include "tapset/kread.h"

/*
 * disk_name(): a disk's name, with the partition number appended ("sda1",
 * "nvme0n1p2": a "p" after a name ending in a digit).  False on a fault.
 */
static __maybe_unused bool stp_disk_name(char *dst, struct gendisk *hd, s64 partno,
					 unsigned long *fault)
{
	size_t n;

	if (stp_kread_str(dst, (unsigned long)hd->disk_name, sizeof(hd->disk_name))) {
		*fault = (unsigned long)hd->disk_name;
		return false;
	}
	if (!partno)
		return true;
	n = strlen(dst);
	snprintf(dst + n, MAXSTRINGLEN - n, "%s%lld", n && isdigit(dst[n - 1]) ? "p" : "",
		 (long long)partno);
	return true;
}

/* bdevname(): the name of a block device ("N/A" for none). */
static __maybe_unused bool stp_bdevname(char *dst, struct block_device *bdev,
					unsigned long *fault)
{
	struct gendisk *hd;
	u8 partno;

	if (!bdev) {
		strscpy(dst, "N/A", MAXSTRINGLEN);
		return true;
	}
	if (!stp_kget(hd, &bdev->bd_disk)) {
		*fault = (unsigned long)&bdev->bd_disk;
		return false;
	}
	if (!stp_kget(partno, &bdev->bd_partno)) {
		*fault = (unsigned long)&bdev->bd_partno;
		return false;
	}
	return stp_disk_name(dst, hd, partno, fault);
}

#endif /* STP_TAPSET_DEV_H */
