/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tapset/registers.h - CPU registers by name and function arguments for
 * the registers tapset (x86-64).
 *
 * Names as SystemTap 4.8 takes them (case matters): the 64-bit names
 * (rax, r8, rip...) give the whole register; the i386 names give its low
 * 32 (eax, esi, eip...), 16 (ax, si, ip...) or 8 bits (al; ah is bits
 * 8..15), sign-extended by register() and zero-extended by u_register().
 */
#ifndef STP_TAPSET_REGISTERS_H
#define STP_TAPSET_REGISTERS_H

#include <linux/ptrace.h>
#include <linux/stddef.h>
#ifdef CONFIG_X86_64
#include <asm/msr.h>
#include <asm/segment.h>
#include <asm/special_insns.h>
#endif

struct stp_reg_name {
	const char *name;
	u16 offset;		/* in struct pt_regs */
	u8 bits;		/* width shown: 64, 32, 16 or 8 */
	u8 shift;		/* of the lowest bit shown (8 for ah...) */
};

#ifdef CONFIG_X86_64
#define REG(n, f, bits, shift) { n, offsetof(struct pt_regs, f), bits, shift }
static const struct stp_reg_name stp_reg_names[] = {
	REG("rax", ax, 64, 0), REG("rbx", bx, 64, 0), REG("rcx", cx, 64, 0),
	REG("rdx", dx, 64, 0), REG("rsi", si, 64, 0), REG("rdi", di, 64, 0),
	REG("rbp", bp, 64, 0), REG("rsp", sp, 64, 0), REG("rip", ip, 64, 0),
	REG("r8", r8, 64, 0), REG("r9", r9, 64, 0), REG("r10", r10, 64, 0),
	REG("r11", r11, 64, 0), REG("r12", r12, 64, 0), REG("r13", r13, 64, 0),
	REG("r14", r14, 64, 0), REG("r15", r15, 64, 0),
	REG("orig_rax", orig_ax, 64, 0), REG("orig_ax", orig_ax, 64, 0),
	REG("cs", cs, 64, 0), REG("ss", ss, 64, 0), REG("flags", flags, 64, 0),
	REG("eax", ax, 32, 0), REG("ebx", bx, 32, 0), REG("ecx", cx, 32, 0),
	REG("edx", dx, 32, 0), REG("esi", si, 32, 0), REG("edi", di, 32, 0),
	REG("ebp", bp, 32, 0), REG("esp", sp, 32, 0), REG("eip", ip, 32, 0),
	REG("eflags", flags, 32, 0),
	REG("ax", ax, 16, 0), REG("bx", bx, 16, 0), REG("cx", cx, 16, 0),
	REG("dx", dx, 16, 0), REG("si", si, 16, 0), REG("di", di, 16, 0),
	REG("bp", bp, 16, 0), REG("sp", sp, 16, 0), REG("ip", ip, 16, 0),
	REG("al", ax, 8, 0), REG("ah", ax, 8, 8), REG("bl", bx, 8, 0),
	REG("bh", bx, 8, 8), REG("cl", cx, 8, 0), REG("ch", cx, 8, 8),
	REG("dl", dx, 8, 0), REG("dh", dx, 8, 8),
};
#undef REG
#else
static const struct stp_reg_name stp_reg_names[] = { };
#endif

/* The index of a register name in stp_reg_names, or -1. */
static __maybe_unused s64 stp_reg_index(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(stp_reg_names); i++)
		if (!strcmp(stp_reg_names[i].name, name))
			return i;
	return -1;
}

/* Register idx (from stp_reg_index()) of regs. */
static __maybe_unused s64 stp_reg_value(struct pt_regs *regs, s64 idx, bool sign_extend)
{
	const struct stp_reg_name *r = &stp_reg_names[idx];
	u64 v = *(unsigned long *)((char *)regs + r->offset) >> r->shift;
	unsigned int drop = 64 - r->bits;

	if (!drop)
		return v;
	return sign_extend ? (s64)(v << drop) >> drop : (s64)((v << drop) >> drop);
}

/*
 * print_regs(): the registers at the hit, in SystemTap 4.8's layout (the
 * kernel's register dump without symbols): the saved registers, then the
 * CPU's current segment selectors and bases and control registers.
 */
static __maybe_unused void stp_print_regs(struct context *c, struct pt_regs *r)
{
#ifdef CONFIG_X86_64
	unsigned long fs, gs, shadowgs;
	unsigned int fsi, gsi, ds, es;

	stp_print_fmt(c, "RIP: %016lx\nRSP: %016lx  EFLAGS: %08lx\n", r->ip, r->sp, r->flags);
	stp_print_fmt(c, "RAX: %016lx RBX: %016lx RCX: %016lx\n", r->ax, r->bx, r->cx);
	stp_print_fmt(c, "RDX: %016lx RSI: %016lx RDI: %016lx\n", r->dx, r->si, r->di);
	stp_print_fmt(c, "RBP: %016lx R08: %016lx R09: %016lx\n", r->bp, r->r8, r->r9);
	stp_print_fmt(c, "R10: %016lx R11: %016lx R12: %016lx\n", r->r10, r->r11, r->r12);
	stp_print_fmt(c, "R13: %016lx R14: %016lx R15: %016lx\n", r->r13, r->r14, r->r15);
	rdmsrl(MSR_FS_BASE, fs);
	rdmsrl(MSR_GS_BASE, gs);
	rdmsrl(MSR_KERNEL_GS_BASE, shadowgs);
	savesegment(fs, fsi);
	savesegment(gs, gsi);
	savesegment(ds, ds);
	savesegment(es, es);
	stp_print_fmt(c, "FS:  %016lx(%04x) GS:%016lx(%04x) knlGS:%016lx\n",
		      fs, fsi, gs, gsi, shadowgs);
	stp_print_fmt(c, "CS:  %04lx DS: %04x ES: %04x CR0: %016lx\n",
		      r->cs & 0xffff, ds, es, read_cr0());
	stp_print_fmt(c, "CR2: %016lx CR3: %016lx CR4: %016lx\n",
		      native_read_cr2(), __read_cr3(), __read_cr4());
#endif
}

#endif /* STP_TAPSET_REGISTERS_H */
