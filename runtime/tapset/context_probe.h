/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tapset/context_probe.h - what kind of probe is running and where:
 * probe_type(), probemod() and module_size().  Both of the first read the
 * running probe's point (pp()), whose first words name its family.
 */
#ifndef STP_TAPSET_CONTEXT_PROBE_H
#define STP_TAPSET_CONTEXT_PROBE_H

#include <linux/module.h>
#include <linux/version.h>

/* Whether pp is the point word, alone or with "(...)": begin, begin(-1). */
static inline bool stp_pp_is(const char *pp, const char *word)
{
	size_t n = strlen(word);

	return !strncmp(pp, word, n) && (pp[n] == '\0' || pp[n] == '(');
}

#define stp_pp_starts(pp, prefix) (!strncmp((pp), (prefix), sizeof(prefix) - 1))

/*
 * The low-level mechanism behind the running probe, named as SystemTap
 * 4.8 names it; "" for a family it does not know.
 */
static __maybe_unused const char *stp_probe_type(const struct context *c)
{
	const char *pp = c->probe->pp;

	if (stp_pp_is(pp, "begin") || stp_pp_is(pp, "end") || stp_pp_is(pp, "error"))
		return "begin_end";
	if (stp_pp_starts(pp, "perf.") || stp_pp_starts(pp, "timer.profile"))
		return "perf_event";	/* timer.profile is perf.type(1)... */
	if (stp_pp_starts(pp, "timer.jiffies") || stp_pp_starts(pp, "timer.hz"))
		return "timer";
	if (stp_pp_starts(pp, "timer."))
		return "hrtimer";
	if (stp_pp_starts(pp, "kernel.trace("))
		return "kernel_tracepoint";
	if (stp_pp_starts(pp, "procfs"))
		return "procfs";
	if (stp_pp_starts(pp, "kprobe.") || stp_pp_starts(pp, "kernel.function(") ||
	    stp_pp_starts(pp, "kernel.statement("))
		return c->ri || strstr(pp, ").return") ? "kretprobe" : "kprobe";
	return "";
}

/*
 * The module a probe point names into dst (MAXSTRINGLEN bytes): "kernel"
 * for kernel.function/kernel.statement, M for a point with module("M");
 * false for the others (SystemTap 4.8 knows no module for kprobe.function,
 * timers, tracepoints...).
 */
static __maybe_unused bool stp_probe_module(char *dst, const char *pp)
{
	const char *m = strstr(pp, "module(\"");
	size_t n = 0;

	if (stp_pp_starts(pp, "kernel.function(") || stp_pp_starts(pp, "kernel.statement(")) {
		strscpy(dst, "kernel", MAXSTRINGLEN);
		return true;
	}
	if (!m)
		return false;
	m += strlen("module(\"");
	while (m[n] && m[n] != '"' && n < MAXSTRINGLEN - 1)
		n++;
	memcpy(dst, m, n);
	dst[n] = '\0';
	return true;
}

/* The sizes of this module's code and data in its core (not init) part. */
static __maybe_unused void stp_module_layout(unsigned long *text, unsigned long *data)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
	int t;

	*text = 0;
	*data = 0;
	for (t = 0; t < MOD_MEM_NUM_TYPES; t++) {
		if (mod_mem_type_is_init(t))
			continue;
		if (t == MOD_TEXT)
			*text += THIS_MODULE->mem[t].size;
		else
			*data += THIS_MODULE->mem[t].size;
	}
#else
	*text = THIS_MODULE->core_layout.text_size;
	*data = THIS_MODULE->core_layout.size - THIS_MODULE->core_layout.text_size;
#endif
}

#endif /* STP_TAPSET_CONTEXT_PROBE_H */
