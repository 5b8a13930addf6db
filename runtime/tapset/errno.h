/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tapset/errno.h - errno names for errno_str() and return_str().
 * SystemTap 4.8 names 1..131 (EAGAIN, EDEADLK, EOPNOTSUPP win over their
 * aliases); 41, 58, 132, 133 and everything above have no name.
 */
#ifndef STP_TAPSET_ERRNO_H
#define STP_TAPSET_ERRNO_H

#include <linux/errno.h>

#define E_(name) [name] = #name
static const char *const stp_errno_names[] = {
	E_(EPERM), E_(ENOENT), E_(ESRCH), E_(EINTR), E_(EIO), E_(ENXIO), E_(E2BIG),
	E_(ENOEXEC), E_(EBADF), E_(ECHILD), E_(EAGAIN), E_(ENOMEM), E_(EACCES), E_(EFAULT),
	E_(ENOTBLK), E_(EBUSY), E_(EEXIST), E_(EXDEV), E_(ENODEV), E_(ENOTDIR), E_(EISDIR),
	E_(EINVAL), E_(ENFILE), E_(EMFILE), E_(ENOTTY), E_(ETXTBSY), E_(EFBIG), E_(ENOSPC),
	E_(ESPIPE), E_(EROFS), E_(EMLINK), E_(EPIPE), E_(EDOM), E_(ERANGE), E_(EDEADLK),
	E_(ENAMETOOLONG), E_(ENOLCK), E_(ENOSYS), E_(ENOTEMPTY), E_(ELOOP), E_(ENOMSG),
	E_(EIDRM), E_(ECHRNG), E_(EL2NSYNC), E_(EL3HLT), E_(EL3RST), E_(ELNRNG), E_(EUNATCH),
	E_(ENOCSI), E_(EL2HLT), E_(EBADE), E_(EBADR), E_(EXFULL), E_(ENOANO), E_(EBADRQC),
	E_(EBADSLT), E_(EBFONT), E_(ENOSTR), E_(ENODATA), E_(ETIME), E_(ENOSR), E_(ENONET),
	E_(ENOPKG), E_(EREMOTE), E_(ENOLINK), E_(EADV), E_(ESRMNT), E_(ECOMM), E_(EPROTO),
	E_(EMULTIHOP), E_(EDOTDOT), E_(EBADMSG), E_(EOVERFLOW), E_(ENOTUNIQ), E_(EBADFD),
	E_(EREMCHG), E_(ELIBACC), E_(ELIBBAD), E_(ELIBSCN), E_(ELIBMAX), E_(ELIBEXEC),
	E_(EILSEQ), E_(ERESTART), E_(ESTRPIPE), E_(EUSERS), E_(ENOTSOCK), E_(EDESTADDRREQ),
	E_(EMSGSIZE), E_(EPROTOTYPE), E_(ENOPROTOOPT), E_(EPROTONOSUPPORT),
	E_(ESOCKTNOSUPPORT), E_(EOPNOTSUPP), E_(EPFNOSUPPORT), E_(EAFNOSUPPORT),
	E_(EADDRINUSE), E_(EADDRNOTAVAIL), E_(ENETDOWN), E_(ENETUNREACH), E_(ENETRESET),
	E_(ECONNABORTED), E_(ECONNRESET), E_(ENOBUFS), E_(EISCONN), E_(ENOTCONN),
	E_(ESHUTDOWN), E_(ETOOMANYREFS), E_(ETIMEDOUT), E_(ECONNREFUSED), E_(EHOSTDOWN),
	E_(EHOSTUNREACH), E_(EALREADY), E_(EINPROGRESS), E_(ESTALE), E_(EUCLEAN), E_(ENOTNAM),
	E_(ENAVAIL), E_(EISNAM), E_(EREMOTEIO), E_(EDQUOT), E_(ENOMEDIUM), E_(EMEDIUMTYPE),
	E_(ECANCELED), E_(ENOKEY), E_(EKEYEXPIRED), E_(EKEYREVOKED), E_(EKEYREJECTED),
	E_(EOWNERDEAD), E_(ENOTRECOVERABLE),
};
#undef E_

/* The name of errno |err|, or "" when it has none. */
static __maybe_unused const char *stp_errno_name(s64 err)
{
	u64 e = err < 0 ? -(u64)err : (u64)err;

	if (e < ARRAY_SIZE(stp_errno_names) && stp_errno_names[e])
		return stp_errno_names[e];
	return "";
}

#endif /* STP_TAPSET_ERRNO_H */
