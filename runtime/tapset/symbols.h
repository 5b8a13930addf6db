/* SPDX-License-Identifier: GPL-2.0 */
/*
 * symbols.h - kernel symbols and backtraces for tapset/symbols.stp, without
 * debuginfo: names from kallsyms, frames from the kernel's own unwinder
 * (ORC on Debian's kernels) started at the probe's registers.
 *
 * Text forms (SystemTap 4.8's with a symbol table):
 *   symdata   "ksys_write+0x0/0xf0 [kernel]", "f+0x1/0x20 [mod]", "0x1234"
 *   symname   "ksys_write", "0x1234"
 *   backtrace "0xffffffff81367680 0xffffffff81a43e1d " (a space after each)
 */
#ifndef STP_TAPSET_SYMBOLS_H
#define STP_TAPSET_SYMBOLS_H

#include <linux/kallsyms.h>
#include <linux/module.h>
#include <asm/unwind.h>

#ifndef MAXBACKTRACE
#define MAXBACKTRACE 20		/* frames in a backtrace */
#endif

/*
 * The kernel stack at the probe, innermost first: from the probe's kernel
 * registers (kprobes, profile timers), else from here with this module's
 * own frames left out (tracepoints, timers, begin/end).
 */
static noinline unsigned int stp_kstack(struct context *c, unsigned long *pcs, unsigned int max)
{
	struct pt_regs *regs = c->regs && !user_mode(c->regs) ? c->regs : NULL;
	struct unwind_state st;
	unsigned int n = 0;

	/* the probed instruction first; the unwinder may start past it */
	if (regs && max)
		pcs[n++] = instruction_pointer(regs);
	for (unwind_start(&st, current, regs, NULL); !unwind_done(&st) && n < max;
	     unwind_next_frame(&st)) {
		unsigned long a = unwind_get_return_address(&st);

		if (!a)
			break;
		if (regs ? n == 1 && a == pcs[0] : within_module(a, THIS_MODULE))
			continue;
		pcs[n++] = a;
	}
	return n;
}

/* symdata() into out (MAXSTRINGLEN); size: with the "/0xSIZE" part */
static noinline void stp_symdata(char *out, unsigned long a, bool size)
{
	char buf[KSYM_SYMBOL_LEN];
	char *slash;

	sprint_symbol(buf, a);
	if (!size && (slash = strchr(buf, '/')) != NULL) {
		char *rest = strchr(slash, ' ');

		if (rest)
			memmove(slash, rest, strlen(rest) + 1);
		else
			*slash = '\0';
	}
	if (strncmp(buf, "0x", 2) && !strchr(buf, '['))
		strlcat(buf, " [kernel]", sizeof(buf));
	strscpy(out, buf, MAXSTRINGLEN);
}

/* symname() into out (MAXSTRINGLEN) */
static noinline void stp_symname(char *out, unsigned long a)
{
	char buf[KSYM_SYMBOL_LEN];
	char *sp;

	sprint_symbol_no_offset(buf, a);
	sp = strchr(buf, ' ');	/* " [module]" */
	if (sp)
		*sp = '\0';
	strscpy(out, buf, MAXSTRINGLEN);
}

/* modname() into out (MAXSTRINGLEN): "kernel" or the module; false when
 * no symbol contains a */
static noinline bool stp_modname(char *out, unsigned long a)
{
	char buf[KSYM_SYMBOL_LEN];
	char *b, *e;

	sprint_symbol(buf, a);
	if (!strncmp(buf, "0x", 2))
		return false;
	b = strchr(buf, '[');
	e = b ? strchr(b, ']') : NULL;
	if (!e) {
		strscpy(out, "kernel", MAXSTRINGLEN);
		return true;
	}
	*e = '\0';
	strscpy(out, b + 1, MAXSTRINGLEN);
	return true;
}

/* The next hex address of a backtrace() string; false at its end. */
static bool stp_next_addr(const char **s, unsigned long *a)
{
	const char *p = *s;
	unsigned long v = 0;
	int d, nd = 0;

	while (*p == ' ')
		p++;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		p += 2;
	for (; (d = hex_to_bin(*p)) >= 0; p++, nd++)
		v = v << 4 | d;
	while (*p && *p != ' ')
		p++;
	*s = p;
	*a = v;
	return nd > 0;
}

/* One " 0xADDR : SYMDATA\n" line per address of stk: printed or (out)
 * appended to out, cut at MAXSTRINGLEN. */
static noinline void stp_print_syms(struct context *c, const char *stk, char *out)
{
	char sym[MAXSTRINGLEN];
	unsigned long a;

	if (out)
		out[0] = '\0';
	while (stp_next_addr(&stk, &a)) {
		stp_symdata(sym, a, true);
		if (out) {
			size_t n = strlen(out);

			scnprintf(out + n, MAXSTRINGLEN - n, " 0x%lx : %s\n", a, sym);
		} else {
			stp_print_fmt(c, " 0x%lx : %s\n", a, sym);
		}
	}
}

#endif /* STP_TAPSET_SYMBOLS_H */
