/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tapset/signal.h - signal names and signal sets for the signal tapset.
 *
 * Two namings, as SystemTap 4.8 has them: _signal_name() gives the macro
 * name ("SIGKILL"; "SIGIO/SIGPOLL"; numbers it does not know, among them
 * SIGSTKFLT and the real-time signals, in hex), signal_str() the short
 * name ("KILL", "IO/POLL", "RTMIN+3").
 */
#ifndef STP_TAPSET_SIGNAL_H
#define STP_TAPSET_SIGNAL_H

#include <linux/signal.h>
#include <linux/kallsyms.h>
#include <linux/ptrace.h>
#include "tapset/kread.h"
#include "tapset/flags.h"

struct stp_sig_name {
	unsigned int sig;
	const char *name;
};

static const struct stp_sig_name stp_sig_names[] = {
	{ 0, "SIG_0" },
	{ SIGHUP, "SIGHUP" }, { SIGINT, "SIGINT" }, { SIGQUIT, "SIGQUIT" },
	{ SIGILL, "SIGILL" }, { SIGTRAP, "SIGTRAP" }, { SIGABRT, "SIGABRT" },
	{ SIGBUS, "SIGBUS" }, { SIGFPE, "SIGFPE" }, { SIGKILL, "SIGKILL" },
	{ SIGUSR1, "SIGUSR1" }, { SIGSEGV, "SIGSEGV" }, { SIGPIPE, "SIGPIPE" },
	{ SIGUSR2, "SIGUSR2" }, { SIGALRM, "SIGALRM" }, { SIGTERM, "SIGTERM" },
	{ SIGCHLD, "SIGCHLD" }, { SIGCONT, "SIGCONT" }, { SIGSTOP, "SIGSTOP" },
	{ SIGTSTP, "SIGTSTP" }, { SIGTTIN, "SIGTTIN" }, { SIGTTOU, "SIGTTOU" },
	{ SIGURG, "SIGURG" }, { SIGXCPU, "SIGXCPU" }, { SIGXFSZ, "SIGXFSZ" },
	{ SIGVTALRM, "SIGVTALRM" }, { SIGPROF, "SIGPROF" },
	{ SIGWINCH, "SIGWINCH" }, { SIGIO, "SIGIO/SIGPOLL" },
	{ SIGPWR, "SIGPWR" }, { SIGSYS, "SIGSYS" },
	{ SIGTRAP | 0x80, "TRACESYSGOOD" },	/* ptrace's syscall stops */
};

/* _signal_name(): the name of sig, or its number in hex. */
static __maybe_unused void stp_signal_name(char *dst, unsigned int sig)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(stp_sig_names); i++) {
		if (stp_sig_names[i].sig == sig) {
			strscpy(dst, stp_sig_names[i].name, MAXSTRINGLEN);
			return;
		}
	}
	snprintf(dst, MAXSTRINGLEN, "0x%x", sig);
}

/* signal_str(): "HUP" ... "SYS", "RTMIN" ... "RTMIN+32" for 1..64, else "". */
static __maybe_unused void stp_signal_short(char *dst, s64 sig)
{
	static const char *const names[] = {
		NULL, "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE",
		"KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM",
		"STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU",
		"URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO/POLL",
		"PWR", "SYS",
	};

	dst[0] = '\0';
	if (sig >= 1 && sig < (s64)ARRAY_SIZE(names))
		strscpy(dst, names[sig], MAXSTRINGLEN);
	else if (sig == 32)
		strscpy(dst, "RTMIN", MAXSTRINGLEN);
	else if (sig > 32 && sig <= 64)
		snprintf(dst, MAXSTRINGLEN, "RTMIN+%lld", (long long)sig - 32);
}

/*
 * A sigset_t at addr as one number, signal n at bit n - 1 (the words of
 * the set are 64 bits on 64-bit kernels: _NSIG_WORDS is 1).  False on
 * a fault.
 */
static __maybe_unused bool stp_sigset_read(s64 addr, s64 *out)
{
	sigset_t *set = STP_PTR(sigset_t, addr);
	unsigned long w;
	u64 v = 0;
	int i;

	for (i = 0; i < _NSIG_WORDS && i * _NSIG_BPW < 64; i++) {
		if (!stp_kget(w, &set->sig[i]))
			return false;
		v |= (u64)w << (i * _NSIG_BPW);
	}
	*out = v;
	return true;
}

/* sa_flags_str(): the SA_ flags set in flags, '|'-separated. */
static __maybe_unused void stp_sa_flags_str(char *dst, u64 flags)
{
	static const struct stp_flag_name f[] = {
		{ 0x00000001, "NOCLDSTOP" }, { 0x00000002, "NOCLDWAIT" },
		{ 0x00000004, "SIGINFO" }, { 0x08000000, "ONSTACK" },
		{ 0x10000000, "RESTART" }, { 0x40000000, "NODEFER" },
		{ 0x80000000, "RESETHAND" }, { 0x04000000, "RESTORER" },
	};

	stp_flags_str(dst, f, ARRAY_SIZE(f), flags);
}

/*
 * signal_wake_up_state() is inlined into most of its callers in
 * kernel/signal.c (complete_signal() among them), and those copies call
 * wake_up_state(t, state | TASK_INTERRUPTIBLE).  signal.wakeup probes
 * wake_up_state() too and keeps the calls made from these functions:
 * true when the return address at a function's entry (regs->sp) lies in
 * one of them.
 */
static __maybe_unused bool stp_signal_wakeup_site(struct pt_regs *regs)
{
	static const char *const callers[] = {
		"complete_signal", "do_signal_stop", "force_sig_info_to_task",
		"zap_other_threads", "ptrace_trap_notify", "recalc_sigpending_and_wake",
		"retarget_shared_pending",
	};
	char sym[KSYM_NAME_LEN + 32];
	unsigned long ret;
	size_t i;

	if (!regs || !stp_kget(ret, (unsigned long *)regs->sp))
		return false;
	sprint_symbol_no_offset(sym, ret);
	for (i = 0; i < ARRAY_SIZE(callers); i++)
		if (!strcmp(sym, callers[i]))
			return true;
	return false;
}

#endif /* STP_TAPSET_SIGNAL_H */
