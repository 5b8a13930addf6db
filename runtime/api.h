/* SPDX-License-Identifier: GPL-2.0 */
/*
 * api.h - what the generated code (and the tapset's C) calls in
 * transport.c, session.c and probe_*.c, besides core.h's declarations.
 * These have external linkage, so that stap can link the runtime into a
 * module as an object of its own (runtime.c); a new one is declared here.
 */
#ifndef STP_API_H
#define STP_API_H

/* transport.c */
bool stp_ring_write(unsigned int idx, const char *data, size_t len, bool can_wait);
__printf(1, 2) void stp_warn(const char *fmt, ...);
void stp_system(const char *cmd);
extern pid_t stp_stapio_pid;		/* stp_pid(): who opened .cmd */
extern unsigned long stp_kernel_stext;	/* from STP_CMD_RELOC */
extern s64 stp_tz_gmtoff;		/* from STP_CMD_TZINFO */
extern char stp_tz_name[16];

/* session.c, transport.c: bytes allocated, for module_size() */
unsigned long stp_context_bytes(void);
unsigned long stp_transport_bytes(void);

/* session.c: a tracepoint hit, with its arguments; a system call's */
void stp_run_probe_args(const struct stp_probe *p, const unsigned long *args);
void stp_run_probe_regs(const struct stp_probe *p, struct pt_regs *regs);
/* session.c: init_globals could not allocate GLOBAL ("__global_e"), after
 * printing WARNING (or NULL); reported at the start, which then fails */
void stp_init_fail(const char *warning, const char *global);

/* probe_procfs.c: $value */
void stp_procfs_set_value(struct context *c, const char *s);
void stp_procfs_append_value(struct context *c, const char *s);
const char *stp_procfs_value(struct context *c);

/* session.c: the system call's arguments */
unsigned long stp_syscall_arg(struct context *c, unsigned int n);

/* the probe families (probe_*.c), each an object of its own */
#if defined(STP_RUNTIME_LINKED) || defined(STP_RUNTIME_OBJ)
extern const struct stp_family stp_family_kprobe, stp_family_procfs, stp_family_profile,
	stp_family_timer, stp_family_tracepoint;
#endif

/* what the families call in the core (static when all is one file) */
#ifndef STP_RUNTIME_LINKED
struct kretprobe_instance;
struct stp_procfs_probe;
STP_RT_SHARED void stp_run_probe(const struct stp_probe *p, struct pt_regs *regs,
				 struct kretprobe_instance *ri, struct stp_procfs_probe *pf,
				 const unsigned long *tp_args);
STP_RT_SHARED void stp_probe_reg_error(const struct stp_probe *p, bool optional, int rc);
STP_RT_SHARED struct proc_dir_entry *stp_proc_dir_get(void);
STP_RT_SHARED void stp_proc_dir_put(void);
STP_RT_SHARED void stp_count_skipped(int n);
#endif

#endif /* STP_API_H */
