/* SPDX-License-Identifier: GPL-2.0 */
/*
 * flags.h - the names of the bits set in a flags word, as the tapset
 * prints them (sa_flags_str, sock_flags_num2str, msg_flags_num2str).
 */
#ifndef STP_TAPSET_FLAGS_H
#define STP_TAPSET_FLAGS_H

#include <linux/kernel.h>

/* One bit of a flags word and its name; a bit may have two names. */
struct stp_flag_name {
	u64 bit;
	const char *name;
};

/*
 * The names of the bits set in flags, in table order, joined by '|'
 * (bits without a name are left out; no bit: "").  dst holds
 * MAXSTRINGLEN bytes; a longer list is cut there.
 */
static __maybe_unused void stp_flags_str(char *dst, const struct stp_flag_name *t,
					 size_t n, u64 flags)
{
	size_t i, len = 0;

	dst[0] = '\0';
	for (i = 0; i < n && len < MAXSTRINGLEN - 1; i++) {
		if (!(flags & t[i].bit))
			continue;
		len += scnprintf(dst + len, MAXSTRINGLEN - len, "%s%s",
				 len ? "|" : "", t[i].name);
	}
}

#endif /* STP_TAPSET_FLAGS_H */
