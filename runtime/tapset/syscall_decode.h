/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tapset/syscall_decode.h - the decoders of the syscall tapset that are
 * more than a table of names (those are generated: syscall_flags.h):
 * structures read from user memory, flags with a prefix or a numeric
 * part, and the argstr of the calls whose arguments depend on a command
 * (futex, prctl, ptrace, keyctl, quotactl).  Output formats are SystemTap
 * 4.8's, including its quirks on this kernel (noted where they matter).
 *
 * Every function writes a whole value into dst (MAXSTRINGLEN bytes).
 */
#ifndef STP_TAPSET_SYSCALL_DECODE_H
#define STP_TAPSET_SYSCALL_DECODE_H

#include "tapset/syscall.h"
#include "tapset/syscall_flags.h"
#include <linux/time32.h>
#include <linux/times.h>
#include <linux/if_packet.h>
#include <uapi/linux/sched/types.h>
#include <uapi/linux/elf.h>

/* The name of a signal ("SIGINT"; "SIG_0" for 0; else hex). */
static __maybe_unused void stp_sc_signame(char *dst, long sig)
{
	stp_sc_sym(dst, stp_sc_tbl_signals, (u32)sig, 16);
}

/* A signal set: "[SIGINT|SIGTERM]", "[EMPTY]". */
static void stp_sc_sigset_str(char *dst, sigset_t *set)
{
	const struct stp_sc_sym *t;
	bool any = false;

	for (t = stp_sc_tbl_signals; t->name; t++) {
		if (t->val <= 0 || t->val > _NSIG || !sigismember(set, t->val))
			continue;
		stp_sc_cat(dst, any ? "|" : "[");
		stp_sc_cat(dst, t->name);
		any = true;
	}
	stp_sc_cat(dst, any ? "]" : "[EMPTY]");
}

static __maybe_unused void stp_sc_sigset_u(char *dst, unsigned long addr)
{
	sigset_t set;

	if (stp_sc_uread(dst, &set, addr, sizeof(set)))
		stp_sc_sigset_str(dst, &set);
}

static __maybe_unused void stp_sc_sigmask_str(char *dst, unsigned long mask)
{
	sigset_t set;

	siginitset(&set, mask);
	stp_sc_sigset_str(dst, &set);
}

/* "SIG_DFL", "SIG_IGN", or handler, flags, restorer and mask. */
static void stp_sc_sigaction_str(char *dst, unsigned long handler, unsigned long flags,
				 unsigned long restorer, sigset_t *mask)
{
	static const struct stp_sc_sym handlers[] = {
		{ 0, "SIG_DFL" }, { 1, "SIG_IGN" }, STP_SYM_END
	};

	stp_sc_sym(dst, handlers, handler, 16);
	if (handler == (unsigned long)SIG_IGN || handler == (unsigned long)SIG_DFL)
		return;
	stp_sc_cat(dst, ", ");
	stp_sc_bits(dst, stp_sc_tbl_sa_flags, flags, 16);
	stp_sc_catf(dst, ", 0x%lx, ", restorer);
	stp_sc_sigset_str(dst, mask);
}

static __maybe_unused void stp_sc_sigaction_u(char *dst, unsigned long addr)
{
	struct sigaction act;

	if (stp_sc_uread(dst, &act, addr, sizeof(act)))
		stp_sc_sigaction_str(dst, (unsigned long)act.sa_handler, act.sa_flags,
				     (unsigned long)act.sa_restorer, &act.sa_mask);
}

#ifdef CONFIG_COMPAT
static __maybe_unused void stp_sc_sigaction32_u(char *dst, unsigned long addr)
{
	struct compat_sigaction a;
	sigset_t mask;

	if (!stp_sc_uread(dst, &a, addr, sizeof(a)))
		return;
	sigemptyset(&mask);
	mask.sig[0] = a.sa_mask.sig[0] | ((unsigned long)a.sa_mask.sig[1] << 32);
	stp_sc_sigaction_str(dst, a.sa_handler, a.sa_flags, a.sa_restorer, &mask);
}

static __maybe_unused void stp_sc_old_sigaction32_u(char *dst, unsigned long addr)
{
	struct {
		compat_uptr_t handler;
		compat_old_sigset_t mask;
		unsigned int flags;
		unsigned int restorer;
	} a;
	sigset_t mask;

	if (!stp_sc_uread(dst, &a, addr, sizeof(a)))
		return;
	siginitset(&mask, a.mask);
	stp_sc_sigaction_str(dst, a.handler, a.flags, a.restorer, &mask);
}
#endif

/*
 * struct timespec/timeval/itimerspec/itimerval as SystemTap 4.8 reads them
 * on kernels without the old compat time types (5.x and later): with the
 * 32-bit layouts (old_timespec32...), whatever the task.  The same for
 * the compat_ decoders.
 */
static __maybe_unused void stp_sc_timespec_u(char *dst, unsigned long addr, long n)
{
	struct old_timespec32 ts[2];
	int i;

	if (!addr || n < 1 || n > 2) {
		strscpy(dst, "NULL", MAXSTRINGLEN);
		return;
	}
	if (!stp_sc_uread(dst, ts, addr, n * sizeof(ts[0])))
		return;
	for (i = 0; i < n; i++) {
		if (ts[i].tv_nsec == UTIME_NOW)
			stp_sc_cat(dst, "[UTIME_NOW]");
		else if (ts[i].tv_nsec == UTIME_OMIT)
			stp_sc_cat(dst, "[UTIME_OMIT]");
		else
			stp_sc_catf(dst, "[%ld.%09ld]", (long)ts[i].tv_sec, (long)ts[i].tv_nsec);
	}
}

static __maybe_unused void stp_sc_timeval_u(char *dst, unsigned long addr, long n)
{
	struct old_timeval32 tv[2];

	if (!addr || n < 1 || n > 2) {
		strscpy(dst, "NULL", MAXSTRINGLEN);
		return;
	}
	if (!stp_sc_uread(dst, tv, addr, n * sizeof(tv[0])))
		return;
	stp_sc_catf(dst, "[%ld.%06ld]", (long)tv[0].tv_sec, (long)tv[0].tv_usec);
	if (n == 2)
		stp_sc_catf(dst, "[%ld.%06ld]", (long)tv[1].tv_sec, (long)tv[1].tv_usec);
}

static __maybe_unused void stp_sc_itimerspec_u(char *dst, unsigned long addr)
{
	struct old_itimerspec32 its;

	if (stp_sc_uread(dst, &its, addr, sizeof(its)))
		snprintf(dst, MAXSTRINGLEN, "[%d.%06d,%d.%06d]",
			 (int)its.it_interval.tv_sec, (int)its.it_interval.tv_nsec,
			 (int)its.it_value.tv_sec, (int)its.it_value.tv_nsec);
}

static __maybe_unused void stp_sc_itimerval_u(char *dst, unsigned long addr)
{
	struct {
		struct old_timeval32 it_interval, it_value;
	} itv;

	if (stp_sc_uread(dst, &itv, addr, sizeof(itv)))
		snprintf(dst, MAXSTRINGLEN, "[%d.%06d,%d.%06d]",
			 (int)itv.it_interval.tv_sec, (int)itv.it_interval.tv_usec,
			 (int)itv.it_value.tv_sec, (int)itv.it_value.tv_usec);
}

static __maybe_unused void stp_sc_timex_u(char *dst, unsigned long addr)
{
	struct old_timex32 t;

	if (!stp_sc_uread(dst, &t, addr, sizeof(t)))
		return;
	stp_sc_cat(dst, "{");
	stp_sc_bits(dst, stp_sc_tbl_adjtimex_modes, (u32)t.modes, 16);
	stp_sc_catf(dst, ", constant=%u, esterror=%u, freq=%u, maxerror=%u, offset=%u, "
		    "precision=%u, status=%d, tick=%u, tolerance=%u}",
		    t.constant, t.esterror, t.freq, t.maxerror, t.offset, t.precision,
		    t.status, t.tick, t.tolerance);
}

static __maybe_unused void stp_sc_timezone_u(char *dst, unsigned long addr)
{
	struct timezone tz;

	if (stp_sc_uread(dst, &tz, addr, sizeof(tz)))
		snprintf(dst, MAXSTRINGLEN, "[%d, %d]", tz.tz_minuteswest, tz.tz_dsttime);
}

static __maybe_unused void stp_sc_rlimit_u(char *dst, unsigned long addr)
{
	struct rlimit rl;

	if (stp_sc_uread(dst, &rl, addr, sizeof(rl)))
		snprintf(dst, MAXSTRINGLEN, "[%ld,%ld]", (long)rl.rlim_cur, (long)rl.rlim_max);
}

static __maybe_unused void stp_sc_sched_attr_u(char *dst, unsigned long addr)
{
	struct sched_attr sa;

	if (stp_sc_uread(dst, &sa, addr, sizeof(sa)))
		snprintf(dst, MAXSTRINGLEN,
			 "{size=%u, sched_policy=%u, sched_flags=%llu, sched_nice=%d, "
			 "sched_priority=%u, sched_runtime=%llu, sched_deadline=%llu, "
			 "sched_period=%llu}",
			 sa.size, sa.sched_policy, sa.sched_flags, sa.sched_nice,
			 sa.sched_priority, sa.sched_runtime, sa.sched_deadline, sa.sched_period);
}

static __maybe_unused void stp_sc_sysinfo_u(char *dst, unsigned long addr)
{
	struct sysinfo si;

	if (stp_sc_uread(dst, &si, addr, sizeof(si)))
		snprintf(dst, MAXSTRINGLEN,
			 "{uptime=%ld, loads=[%lu, %lu, %lu], totalram=%lu, freeram=%lu, "
			 "sharedram=%lu, bufferram=%lu, totalswap=%lu, freeswap=%lu, procs=%u}",
			 si.uptime, si.loads[0], si.loads[1], si.loads[2], si.totalram,
			 si.freeram, si.sharedram, si.bufferram, si.totalswap, si.freeswap,
			 si.procs);
}

static __maybe_unused void stp_sc_tms_u(char *dst, unsigned long addr)
{
	struct tms tm;

	if (stp_sc_uread(dst, &tm, addr, sizeof(tm)))
		snprintf(dst, MAXSTRINGLEN,
			 "{tms_utime=%lu, tms_stime=%lu, tms_cutime=%lu, tms_cstime=%lu}",
			 (unsigned long)tm.tms_utime, (unsigned long)tm.tms_stime,
			 (unsigned long)tm.tms_cutime, (unsigned long)tm.tms_cstime);
}

static __maybe_unused void stp_sc_user_desc_u(char *dst, unsigned long addr)
{
	struct user_desc ud;

	if (stp_sc_uread(dst, &ud, addr, sizeof(ud)))
		snprintf(dst, MAXSTRINGLEN,
			 "{entry_number=%u, base_addr=%u, limit=%u, seg_32bit=%u, contents=%u, "
			 "read_exec_only=%u, limit_in_pages=%u, seg_not_present=%u, useable=%u, "
			 "lm=%u}",
			 ud.entry_number, ud.base_addr, ud.limit, ud.seg_32bit, ud.contents,
			 ud.read_exec_only, ud.limit_in_pages, ud.seg_not_present, ud.useable,
			 ud.lm);
}

static __maybe_unused void stp_sc_sigaltstack_u(char *dst, unsigned long addr)
{
	stack_t stk;

	if (!addr || copy_from_user_nofault(&stk, (const void __user *)addr, sizeof(stk))) {
		snprintf(dst, MAXSTRINGLEN, "0x%lx", addr);
		return;
	}
	snprintf(dst, MAXSTRINGLEN, "{ss_sp=0x%lx, ss_flags=", (unsigned long)stk.ss_sp);
	stp_sc_sym(dst, stp_sc_tbl_sigaltstack_flags, stk.ss_flags, 16);
	stp_sc_catf(dst, ", ss_size=%lu}", (unsigned long)stk.ss_size);
}

/* A siginfo_t: {si_signo=..., si_code=..., and what the code says}. */
static __maybe_unused void stp_sc_siginfo_u(char *dst, unsigned long addr)
{
	const struct stp_sc_sym *codes = NULL;
	kernel_siginfo_t si;
	size_t at;

	if (!stp_sc_uread(dst, &si, addr, sizeof(si)))
		return;
	strscpy(dst, "{si_signo=", MAXSTRINGLEN);
	stp_sc_sym(dst, stp_sc_tbl_signals, si.si_signo, 16);
	stp_sc_cat(dst, ", si_code=");
	at = strlen(dst);
	stp_sc_sym(dst, stp_sc_tbl_si_codes, si.si_code, 16);
	if (dst[at] == '0') {
		/* not a generic code: the signal's own ones */
		switch (si.si_signo) {
		case SIGILL: codes = stp_sc_tbl_sigill_codes; break;
		case SIGFPE: codes = stp_sc_tbl_sigfpe_codes; break;
		case SIGSEGV: codes = stp_sc_tbl_sigsegv_codes; break;
		case SIGBUS: codes = stp_sc_tbl_sigbus_codes; break;
		case SIGTRAP: codes = stp_sc_tbl_sigtrap_codes; break;
		case SIGCHLD: codes = stp_sc_tbl_sigchld_codes; break;
		case SIGPOLL: codes = stp_sc_tbl_sigpoll_codes; break;
		case SIGSYS: codes = stp_sc_tbl_sigsys_codes; break;
		}
		if (codes)
			stp_sc_sym(dst, codes, si.si_code, 16);
	}
	if (si.si_code <= 0) {		/* SI_FROMUSER */
		if (si.si_code == SI_TIMER)
			stp_sc_catf(dst, ", si_tid=%#x, si_overrun=%d", si.si_tid, si.si_overrun);
		else
			stp_sc_catf(dst, ", si_pid=%lu, si_uid=%lu", (unsigned long)si.si_pid,
				    (unsigned long)si.si_uid);
	} else {
		switch (si.si_signo) {
		case SIGCHLD:
			stp_sc_catf(dst, ", si_pid=%lu, si_uid=%lu, si_status=",
				    (unsigned long)si.si_pid, (unsigned long)si.si_uid);
			if (si.si_code == CLD_EXITED)
				stp_sc_catf(dst, "%d", si.si_status);
			else
				stp_sc_sym(dst, stp_sc_tbl_signals, si.si_status, 16);
			break;
		case SIGILL:
		case SIGFPE:
		case SIGSEGV:
		case SIGBUS:
			stp_sc_catf(dst, ", si_addr=%#lx", (unsigned long)si.si_addr);
			break;
		case SIGPOLL:
			if (si.si_code == POLL_IN || si.si_code == POLL_OUT || si.si_code == POLL_MSG)
				stp_sc_catf(dst, ", si_band=%ld", (long)si.si_band);
			break;
		case SIGSYS:
			stp_sc_catf(dst, ", si_call_addr=%#lx, si_syscall=%d, si_arch=%u",
				    (unsigned long)si.si_call_addr, si.si_syscall, si.si_arch);
			break;
		default:
			if (si.si_pid || si.si_uid)
				stp_sc_catf(dst, ", si_pid=%lu, si_uid=%lu",
					    (unsigned long)si.si_pid, (unsigned long)si.si_uid);
			break;
		}
	}
	stp_sc_cat(dst, "}");
}

/* open(2) flags: the access mode, then the other flags. */
static __maybe_unused void stp_sc_open_flags(char *dst, long v)
{
	int flags = (int)v;

	switch (flags & O_ACCMODE) {
	case O_WRONLY: strscpy(dst, "O_WRONLY", MAXSTRINGLEN); break;
	case O_RDWR: strscpy(dst, "O_RDWR", MAXSTRINGLEN); break;
	default: strscpy(dst, "O_RDONLY", MAXSTRINGLEN); break;
	}
	flags &= ~O_ACCMODE;
	if (flags) {
		stp_sc_cat(dst, "|");
		stp_sc_bits(dst, stp_sc_tbl_dup3_flag_str, flags, 16);
	}
}

/* clone(2) flags; the low byte is the exit signal. */
static __maybe_unused void stp_sc_clone_flags(char *dst, long flags)
{
	stp_sc_bits(dst, stp_sc_tbl_clone_flags, flags & ~0xffL, 16);
	if (flags & 0xff) {
		if (dst[0])
			stp_sc_cat(dst, "|");
		stp_sc_sym(dst, stp_sc_tbl_signals, flags & 0xff, 16);
	}
}

static __maybe_unused void stp_sc_mmap_flags(char *dst, long flags)
{
	unsigned int huge = (flags >> MAP_HUGE_SHIFT) & MAP_HUGE_MASK;
	static const char *const units[] = { "", "KB", "MB", "GB", "TB", "PB", "EB" };

	flags &= ~((long)MAP_HUGE_MASK << MAP_HUGE_SHIFT);
	if (huge) {
		unsigned int u = min(huge / 10, 6U);

		stp_sc_catf(dst, "MAP_HUGE_%ld%s|", 1L << (huge - u * 10), units[u]);
	}
	stp_sc_bits(dst, stp_sc_tbl_mmap_flags, flags, 16);
}

static __maybe_unused void stp_sc_sock_type(char *dst, long v)
{
	static const struct stp_sc_sym types[] = {
		STP_SYM(SOCK_STREAM), STP_SYM(SOCK_DGRAM), STP_SYM(SOCK_RAW),
		STP_SYM(SOCK_RDM), STP_SYM(SOCK_SEQPACKET), STP_SYM(SOCK_DCCP),
		STP_SYM(SOCK_PACKET), STP_SYM_END
	};
	const struct stp_sc_sym *t;
	int flags = (int)v & ~SOCK_TYPE_MASK;
	int type = (int)v & SOCK_TYPE_MASK;
	bool any = false;

	for (t = types; t->name; t++) {
		if (t->val == type) {
			stp_sc_cat(dst, t->name);
			type = 0;
			any = true;
			break;
		}
	}
	if (flags & SOCK_CLOEXEC) {
		stp_sc_cat(dst, any ? "|SOCK_CLOEXEC" : "SOCK_CLOEXEC");
		flags &= ~SOCK_CLOEXEC;
		any = true;
	}
	if (flags & SOCK_NONBLOCK) {
		stp_sc_cat(dst, any ? "|SOCK_NONBLOCK" : "SOCK_NONBLOCK");
		flags &= ~SOCK_NONBLOCK;
		any = true;
	}
	type |= flags;
	if (type || !any)
		stp_sc_catf(dst, "%s0x%x", any ? "|" : "", type);
}

/* What of a struct sockaddr to show (SystemTap's _struct_sockaddr_u_*). */
enum { STP_SA_PRETTY, STP_SA_IP_ADDR, STP_SA_PORT, STP_SA_FAMILY, STP_SA_FLOWINFO,
       STP_SA_SCOPE_ID };

static __maybe_unused void stp_sc_sockaddr_u(char *dst, unsigned long addr, long salen, int what)
{
	union {
		struct sockaddr sa;
		struct sockaddr_in in;
		struct sockaddr_in6 in6;
		struct sockaddr_un un;
		struct sockaddr_nl nl;
		struct sockaddr_ll ll;
		u8 raw[130];	/* an abstract name is read one byte too far */
	} u;
	size_t len = clamp_t(long, salen, 0, 128);

	if (!addr) {
		strscpy(dst, "NULL", MAXSTRINGLEN);
		return;
	}
	memset(&u, 0, sizeof(u));
	if (copy_from_user_nofault(&u, (const void __user *)addr, len)) {
		strscpy(dst, "{...}", MAXSTRINGLEN);
		return;
	}
	if (u.sa.sa_family == AF_INET && len == sizeof(u.in)) {
		switch (what) {
		case STP_SA_PRETTY:
			snprintf(dst, MAXSTRINGLEN, "{AF_INET, %pI4, %d}", &u.in.sin_addr,
				 be16_to_cpu(u.in.sin_port));
			break;
		case STP_SA_FAMILY: strscpy(dst, "AF_INET", MAXSTRINGLEN); break;
		case STP_SA_IP_ADDR: snprintf(dst, MAXSTRINGLEN, "%pI4", &u.in.sin_addr); break;
		case STP_SA_PORT: snprintf(dst, MAXSTRINGLEN, "%d", be16_to_cpu(u.in.sin_port)); break;
		}
	} else if (u.sa.sa_family == AF_UNIX &&
		   (len == sizeof(u.un) || len >= sizeof(sa_family_t) + 2)) {
		if (what == STP_SA_PRETTY) {
			if (u.un.sun_path[0] == '\0') {
				/* abstract: the name is bytes, escaped */
				size_t at;

				strscpy(dst, "{AF_UNIX, \"\\000", MAXSTRINGLEN);
				at = strlen(dst);
				if (!stp_sc_text_from(dst + at, u.raw,
						      offsetof(struct sockaddr_un, sun_path) + 1,
						      len - sizeof(sa_family_t), MAXSTRINGLEN - 18,
						      false, true))
					strscpy(dst + at, "<unknown>", MAXSTRINGLEN - at);
				stp_sc_cat(dst, "\"}");
			} else {
				u.raw[127] = '\0';
				snprintf(dst, MAXSTRINGLEN, "{AF_UNIX, \"%s\"}", u.un.sun_path);
			}
		} else {
			strscpy(dst, what == STP_SA_FAMILY ? "AF_UNIX" : "", MAXSTRINGLEN);
		}
	} else if (u.sa.sa_family == AF_NETLINK && len == sizeof(u.nl)) {
		if (what == STP_SA_PRETTY)
			snprintf(dst, MAXSTRINGLEN, "{AF_NETLINK, pid=%d, groups=%08x}",
				 u.nl.nl_pid, u.nl.nl_groups);
		else
			strscpy(dst, what == STP_SA_FAMILY ? "AF_NETLINK" : "", MAXSTRINGLEN);
	} else if (u.sa.sa_family == AF_INET6 && len == sizeof(u.in6)) {
		switch (what) {
		case STP_SA_PRETTY:
			snprintf(dst, MAXSTRINGLEN, "{AF_INET6, %pI6, %d}", &u.in6.sin6_addr,
				 be16_to_cpu(u.in6.sin6_port));
			break;
		case STP_SA_FAMILY: strscpy(dst, "AF_INET6", MAXSTRINGLEN); break;
		case STP_SA_IP_ADDR: snprintf(dst, MAXSTRINGLEN, "%pI6", &u.in6.sin6_addr); break;
		case STP_SA_PORT:
			snprintf(dst, MAXSTRINGLEN, "%d", be16_to_cpu(u.in6.sin6_port));
			break;
		case STP_SA_FLOWINFO:
		case STP_SA_SCOPE_ID:	/* SystemTap 4.8 shows the flow info for both */
			snprintf(dst, MAXSTRINGLEN, "%d", u.in6.sin6_flowinfo);
			break;
		}
	} else if (u.sa.sa_family == AF_PACKET && len == sizeof(u.ll)) {
		if (what == STP_SA_PRETTY)
			snprintf(dst, MAXSTRINGLEN,
				 "{AF_PACKET, proto=%d, ind=%d, hatype=%d, pkttype=%d, halen=%d, "
				 "addr=0x%llx}",
				 (int)u.ll.sll_protocol, u.ll.sll_ifindex, (int)u.ll.sll_hatype,
				 (int)u.ll.sll_pkttype, (int)u.ll.sll_halen,
				 (long long)get_unaligned((u64 *)u.ll.sll_addr));
		else
			strscpy(dst, what == STP_SA_FAMILY ? "AF_PACKET" : "", MAXSTRINGLEN);
	} else if (len >= sizeof(sa_family_t)) {
		snprintf(dst, MAXSTRINGLEN, "{unknown sockaddr with sa=%d, salen=%d}",
			 u.sa.sa_family, (int)len);
	} else {
		snprintf(dst, MAXSTRINGLEN, "{unknown sockaddr with salen=%d}", (int)len);
	}
}

/* The first bytes of an extended attribute's value: "text\x00"... */
static __maybe_unused void stp_sc_xattr_val(char *dst, unsigned long addr, unsigned long size)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char buf[50];
	size_t n = min_t(size_t, size, sizeof(buf)), i;
	long room = MAXSTRINGLEN - 3;
	char *o = dst;

	if (!addr || !n || copy_from_user_nofault(buf, (const void __user *)addr, n)) {
		snprintf(dst, MAXSTRINGLEN, "0x%lx", addr);
		return;
	}
	*o++ = '"';
	for (i = 0; i < n; i++) {
		if (buf[i] >= ' ' && buf[i] <= 0x7e) {
			*o++ = buf[i];
			room--;
		} else {
			if (room < 4)
				break;
			room -= 4;
			*o++ = '\\';
			*o++ = 'x';
			*o++ = hex[buf[i] >> 4];
			*o++ = hex[buf[i] & 15];
		}
		if (room <= 0)
			break;
	}
	/* a trailing NUL of text is not shown */
	if (i > 1 && buf[i - 1] == '\0' && buf[i - 2] >= ' ' && buf[i - 2] <= 0x7e)
		o -= 4;
	*o++ = '"';
	*o = '\0';
}

/* The argstr of futex(2). */
static __maybe_unused void stp_sc_futex_argstr(char *dst, unsigned long uaddr, int op, int val,
					       unsigned long utime, unsigned long uaddr2, int val3)
{
	char ts[64];

	snprintf(dst, MAXSTRINGLEN, "0x%lx, ", uaddr);
	stp_sc_sym(dst, stp_sc_tbl_futex_op_str, (u32)op, 16);
	switch (op) {
	case FUTEX_WAKE_BITSET:
		stp_sc_catf(dst, ", %d, %#x", val, val3);
		break;
	case FUTEX_WAIT:
	case FUTEX_WAIT_BITSET:
	case FUTEX_WAIT_REQUEUE_PI:
		ts[0] = '\0';
		stp_sc_timespec_u(ts, utime, 1);
		stp_sc_catf(dst, ", %d, %s", val, ts);
		if (op == FUTEX_WAIT_BITSET)
			stp_sc_catf(dst, ", %#x", val3);
		else if (op == FUTEX_WAIT_REQUEUE_PI)
			stp_sc_catf(dst, ", 0x%lx", uaddr2);
		break;
	case FUTEX_REQUEUE:
		stp_sc_catf(dst, ", %d, %ld, 0x%lx", val, (long)utime, uaddr2);
		break;
	case FUTEX_CMP_REQUEUE:
	case FUTEX_CMP_REQUEUE_PI:
		stp_sc_catf(dst, ", %d, %lu, 0x%lx, %d", val, utime, uaddr2, val3);
		break;
	case FUTEX_WAKE_OP:
		stp_sc_catf(dst, ", %d, %lu, 0x%lx, {", val, utime, uaddr2);
		if (val3 & (FUTEX_OP_OPARG_SHIFT << 28))
			stp_sc_cat(dst, "FUTEX_OP_OPARG_SHIFT|");
		stp_sc_sym(dst, stp_sc_tbl_futex_wake_ops, (val3 >> 28) & 7, 16);
		stp_sc_catf(dst, ", %d, ", (val3 << 8) >> 20);
		stp_sc_sym(dst, stp_sc_tbl_futex_wake_cmps, (val3 >> 24) & 15, 16);
		stp_sc_catf(dst, ", %d}", (val3 << 20) >> 20);
		break;
	default:
		stp_sc_catf(dst, ", %d", val);
		break;
	}
}

/* The argstr of prctl(2): the option, then what it takes. */
static __maybe_unused void stp_sc_prctl_argstr(char *dst, unsigned long option, unsigned long a2,
					       unsigned long a3, unsigned long a4, unsigned long a5)
{
	const struct stp_sc_sym *t = NULL;

	stp_sc_sym(dst, stp_sc_tbl_prctl_options, (u32)option, 16);
	switch ((u32)option) {
	case PR_GET_DUMPABLE: case PR_GET_TIMING: case PR_GET_KEEPCAPS:
	case PR_GET_SECCOMP: case PR_TASK_PERF_EVENTS_DISABLE:
	case PR_TASK_PERF_EVENTS_ENABLE: case PR_GET_TIMERSLACK: case PR_MCE_KILL_GET:
	case PR_GET_NO_NEW_PRIVS: case PR_GET_THP_DISABLE: case PR_MPX_ENABLE_MANAGEMENT:
	case PR_MPX_DISABLE_MANAGEMENT: case PR_GET_SECUREBITS:
		return;
	case PR_SET_UNALIGN: t = stp_sc_tbl_prctl_unalign; break;
	case PR_SET_FPEMU: t = stp_sc_tbl_prctl_fpemu; break;
	case PR_SET_FPEXC: t = stp_sc_tbl_prctl_fpexc; break;
	case PR_SET_TIMING: t = stp_sc_tbl_prctl_timing; break;
	case PR_SET_ENDIAN: t = stp_sc_tbl_prctl_endian; break;
	case PR_SET_TSC: t = stp_sc_tbl_prctl_tsc; break;
	case PR_CAPBSET_READ: case PR_CAPBSET_DROP: t = stp_sc_tbl_capabilities; break;
	case PR_SET_PTRACER:
		stp_sc_cat(dst, ", ");
		stp_sc_sym(dst, stp_sc_tbl_prctl_ptracer, (long)a2, 10);
		return;
	case PR_SET_SECUREBITS:
		stp_sc_cat(dst, ", ");
		stp_sc_bits(dst, stp_sc_tbl_securebits, a2, 16);
		return;
	case PR_SET_PDEATHSIG: case PR_GET_PDEATHSIG: case PR_GET_UNALIGN: case PR_GET_FPEMU:
	case PR_GET_FPEXC: case PR_SET_NAME: case PR_GET_NAME: case PR_GET_ENDIAN:
	case PR_GET_TSC: case PR_GET_TID_ADDRESS: case PR_GET_CHILD_SUBREAPER:
	case PR_SET_THP_DISABLE:
		stp_sc_catf(dst, ", 0x%lx", a2);
		return;
	case PR_SET_DUMPABLE: case PR_SET_KEEPCAPS: case PR_SET_CHILD_SUBREAPER:
	case PR_SET_NO_NEW_PRIVS: case PR_SET_TIMERSLACK:
		stp_sc_catf(dst, ", %lu", a2);
		return;
	case PR_MCE_KILL:
		stp_sc_cat(dst, ", ");
		stp_sc_sym(dst, stp_sc_tbl_prctl_mce_kill, a2, 16);
		if (a2 == PR_MCE_KILL_SET) {
			stp_sc_cat(dst, ", ");
			stp_sc_sym(dst, stp_sc_tbl_prctl_mce_kill2, a3, 16);
		} else if (a2 != PR_MCE_KILL_CLEAR) {
			stp_sc_catf(dst, ", 0x%lx", a3);
		}
		return;
	case PR_SET_SECCOMP:
	case PR_SET_MM:
		stp_sc_cat(dst, ", ");
		stp_sc_sym(dst, (u32)option == PR_SET_MM ? stp_sc_tbl_prctl_mm
							   : stp_sc_tbl_seccomp_modes, a2, 16);
		stp_sc_catf(dst, ", 0x%lx", a3);
		return;
	default:
		stp_sc_catf(dst, ", 0x%lx, 0x%lx, 0x%lx, 0x%lx", a2, a3, a4, a5);
		return;
	}
	stp_sc_cat(dst, ", ");
	stp_sc_sym(dst, t, a2, 16);
}

#endif /* STP_TAPSET_SYSCALL_DECODE_H */
