/* SPDX-License-Identifier: GPL-2.0 */
/*
 * core.h - limits, the probe context, probe tables and the inline API the
 * generated code calls (errors, statement accounting, nesting).
 * See runtime/README.md for the contract.
 */
#ifndef STP_CORE_H
#define STP_CORE_H

#include <linux/types.h>
#include <linux/atomic.h>
#include <linux/spinlock.h>
#include <linux/ptrace.h>
#include <linux/kprobes.h>
#include <linux/hrtimer.h>
#include <linux/timer.h>
#include <linux/mutex.h>
#include <linux/perf_event.h>
#include <linux/moduleparam.h>

#ifndef STP_MODULE_NAME
#define STP_MODULE_NAME KBUILD_MODNAME	/* the .ko name without .ko */
#endif

/* ---- limits: every one may be overridden with -DNAME=VALUE ------------- */
#ifndef MAXACTION
#define MAXACTION 1000		/* statements per handler run */
#endif
#ifndef MAXACTION_INTERRUPTIBLE	/* the budget when INTERRUPTIBLE */
#define MAXACTION_INTERRUPTIBLE (MAXACTION * 10)
#endif
#ifndef INTERRUPTIBLE		/* as in SystemTap 4.8, every probe's */
#define INTERRUPTIBLE 1		/* budget is MAXACTION_INTERRUPTIBLE; */
#endif				/* -DINTERRUPTIBLE=0: MAXACTION */
#ifndef MAXNESTING
#define MAXNESTING 10		/* function call depth */
#endif
#ifndef MAXSTRINGLEN
#define MAXSTRINGLEN 512	/* bytes in a string value, NUL included */
#endif
#ifndef MAXTRYLOCK
#define MAXTRYLOCK MAXACTION	/* trylock attempts per global lock */
#endif
#ifndef TRYLOCKDELAY
#define TRYLOCKDELAY 10		/* ns between two attempts */
#endif
#ifndef MAXERRORS
#define MAXERRORS 0		/* errors tolerated before the session stops */
#endif
#ifndef MAXSKIPPED
#define MAXSKIPPED 100		/* skipped handler runs tolerated */
#endif
#ifndef MINSTACKSPACE
#define MINSTACKSPACE 1024	/* free stack bytes needed to run a handler */
#endif
#ifndef STP_PRINT_BUF_SIZE
#define STP_PRINT_BUF_SIZE 8192	/* per-context print buffer */
#endif
#ifndef STP_SESSION_PRINT_BUF_SIZE
#define STP_SESSION_PRINT_BUF_SIZE (1024 * 1024) /* begin/end/error probes */
#endif
#ifndef STP_DEFAULT_BUFSIZE_MB
/* output rings, all CPUs together (each 1..16 MB); staprun -s N: N MB each */
#define STP_DEFAULT_BUFSIZE_MB 16
#endif
#ifndef STP_PROCFS_BUFSIZE
#define STP_PROCFS_BUFSIZE MAXSTRINGLEN	/* default procfs .maxsize */
#endif

/* ---- globals and their locks ------------------------------------------- */

/*
 * One per script global, in declaration order: the index is the lock order.
 * The lock is only ever tried (handlers run with interrupts off and never
 * wait), so it is an atomic of our own rather than an rwlock_t, whose
 * out-of-line trylock/unlock cost a handler about 20 instructions more per
 * global: 0 free, -1 written, N > 0 read by N handlers.
 */
struct stp_global {
	const char *name;		/* script name, for warnings */
	atomic_t lock;
	atomic_t lock_skips;		/* handler runs skipped on this lock */
};

#define STP_GLOBAL(NAME) \
	{ .name = NAME, .lock = ATOMIC_INIT(0), .lock_skips = ATOMIC_INIT(0) }

static inline bool stp_global_trylock(struct stp_global *g, bool write)
{
	int v = atomic_read(&g->lock);

	if (write)
		return v == 0 && atomic_try_cmpxchg_acquire(&g->lock, &v, -1);
	while (v >= 0)		/* another reader coming or going: again */
		if (atomic_try_cmpxchg_acquire(&g->lock, &v, v + 1))
			return true;
	return false;
}

static inline void stp_global_unlock(struct stp_global *g, bool write)
{
	if (write)
		atomic_set_release(&g->lock, 0);
	else
		atomic_dec_return_release(&g->lock);
}

/* Scalar globals are module parameters: staprun MODULE.ko name=value. */
extern const struct kernel_param_ops stp_param_ops_s64;
#define STP_PARAM_LONG(NAME, VAR) \
	module_param_cb(NAME, &stp_param_ops_s64, &(VAR), 0); \
	__MODULE_PARM_TYPE(NAME, "long")
#define STP_PARAM_STRING(NAME, VAR) \
	module_param_string(NAME, VAR, sizeof(VAR), 0)

enum stp_lock_mode { STP_LOCK_READ, STP_LOCK_WRITE };

/*
 * What one probe needs locked, in the globals table's order (ascending, no
 * duplicates): the one order every probe takes them in.  A pointer, not an
 * index, so that the hit path goes straight to the lock.
 */
struct stp_lock_req {
	struct stp_global *global;	/* &stp_globals[i] */
	unsigned int mode;		/* enum stp_lock_mode */
};

/* ---- probes ------------------------------------------------------------- */

struct context;

/* One per probe body. */
struct stp_probe {
	void (*handler)(struct context *c);
	const char *pp;			/* probe point, as pp() returns it */
	const char *pn;			/* name as written (pn()); NULL: pp */
	const char *location;		/* "FILE:LINE:COL" of the probe in the script */
	const struct stp_lock_req *locks;
	unsigned int nlocks;
	const void *data;		/* a shared handler's row for this probe */
};

enum stp_be_type { STP_BEGIN, STP_END, STP_ERROR };

struct stp_be_probe {			/* begin, end, error (never: omit) */
	const struct stp_probe *probe;
	enum stp_be_type type;
	s64 priority;			/* begin(N): lower runs first; stable */
};

enum stp_timer_kind { STP_TIMER_HR, STP_TIMER_JIFFIES };

struct stp_timer_probe {		/* timer.{ns,us,ms,s,sec}, timer.{jiffies,hz} */
	const struct stp_probe *probe;
	enum stp_timer_kind kind;
	u64 period;			/* ns for HR, jiffies for JIFFIES */
	u64 randomize;			/* +/- this much, same unit; 0 = none */
	/* runtime state */
	struct hrtimer hr;
	struct timer_list tl;
	bool armed;
	bool stopping;
};

struct stp_profile_probe {		/* timer.profile: 1 kHz cpu-clock per CPU */
	const struct stp_probe *probe;
	/* runtime state */
	struct perf_event **events;	/* [nr_cpu_ids] */
};

struct stp_tracepoint_probe {		/* kernel.trace("NAME") */
	const struct stp_probe *probe;
	const char *name;		/* the tracepoint's name */
	void *handler;			/* generated: void h(void *data, unsigned long a0, ...) */
	bool optional;			/* written with '?' */
	/* runtime state */
	struct tracepoint *tp;
	bool registered;
};

struct stp_kprobe_probe {		/* kprobe.function(S)[.return], kprobe.statement(A).absolute,
					   kernel.function(S)[.return] */
	const struct stp_probe *probe;
	const char *symbol;		/* NULL for .statement(ADDR).absolute */
	unsigned long offset;		/* offset from symbol */
	unsigned long address;		/* absolute address when symbol is NULL */
	bool is_return;
	bool optional;			/* written with '?' */
	int maxactive;			/* .return: 0 = kernel default */
	bool save_args;			/* .return: keep the argument registers at entry */
	/* runtime state */
	struct kprobe kp;
	struct kretprobe rp;
	bool registered;
};

struct stp_procfs_probe {		/* procfs("NAME").read / .write, merged per file */
	const struct stp_probe *read;	/* either may be NULL */
	const struct stp_probe *write;
	/* further write probes of the file, NULL-terminated (or NULL): each
	 * write() runs them all, in order */
	const struct stp_probe *const *more_writes;
	const char *name;		/* file name under /proc/systemtap/MODULE/ */
	size_t maxsize;			/* buffer size; 0 = STP_PROCFS_BUFSIZE */
	/* -1: 0400 read, 0200 write; else (0444 read | 0222 write) & ~umask */
	int umask;
	/* runtime state */
	struct proc_dir_entry *pde;
	struct mutex lock;
	char *buf;			/* maxsize + 1 bytes */
	size_t len;
};

/*
 * A probe family of the runtime (probe_*.c): armed at the start in the
 * order of enum stp_family_id, disarmed in reverse.  With the runtime as
 * objects of its own, each family is an object that a module links only
 * when it has such probes (stp_module.families names them).
 */
struct stp_family {
	int (*reg)(void);
	void (*unreg)(void);
	void (*report)(void);		/* at the end (warnings); may be NULL */
};

enum stp_family_id {
	STP_FAM_KPROBE,			/* kprobe.*, kernel.function */
	STP_FAM_PROCFS,
	STP_FAM_PROFILE,
	STP_FAM_TIMER,
	STP_FAM_TRACEPOINT,		/* kernel.trace, syscalls */
	STP_NFAM
};

#ifdef STP_RUNTIME_OBJ
#define STP_FAMILY(name) const struct stp_family stp_family_##name
/* what the probe families' objects call in the core object */
#define STP_RT_SHARED
#else
#define STP_FAMILY(name) static const struct stp_family __maybe_unused stp_family_##name
#define STP_RT_SHARED static
#endif

/* Everything the generated file tells the runtime; named stp_module. */
struct stp_module {
	size_t frame_size;		/* sizeof(union stp_frame) */
	struct stp_global *globals;
	unsigned int nglobals;
	int (*init_globals)(void);	/* allocate maps etc.; may be NULL */
	void (*free_globals)(void);	/* may be NULL */
	struct stp_be_probe *be;
	unsigned int nbe;
	struct stp_timer_probe *timers;
	unsigned int ntimers;
	struct stp_profile_probe *profiles;
	unsigned int nprofiles;
	struct stp_kprobe_probe *kprobes;
	unsigned int nkprobes;
	struct stp_kprobe_probe *kfuncs;	/* kernel.function probes */
	unsigned int nkfuncs;
	struct stp_procfs_probe *procfs;
	unsigned int nprocfs;
	struct stp_tracepoint_probe *tracepoints;
	unsigned int ntracepoints;
	const struct stp_family *families[STP_NFAM];	/* NULL: none */
};

#ifdef STP_RUNTIME_OBJ
/* the runtime as an object of its own (runtime.c): runtime.h points here */
extern struct stp_module *const stp_module_ptr;
#define stp_module (*stp_module_ptr)
#else
static struct stp_module stp_module;	/* defined by the generated file */
#endif

/* ---- the probe context -------------------------------------------------- */

struct stp_print_buf {
	size_t len;			/* bytes used */
	size_t size;			/* bytes available */
	char *data;
};

struct context {
	atomic_t busy;			/* 1 while a handler runs here */
	int cpu;			/* ring index: a CPU, or nr_cpu_ids for the session */
	const struct stp_probe *probe;	/* running probe */
	struct pt_regs *regs;		/* kernel registers at the hit, or NULL */
	struct kretprobe_instance *ri;	/* kretprobe instance, or NULL */
	const char *last_error;		/* non-NULL: the handler is unwinding */
	const char *last_where;		/* "operator '/' at FILE:L:C" or NULL */
	long actionremaining;		/* MAXACTION budget left */
	struct stp_procfs_probe *procfs;/* procfs probes: the file */
	const unsigned long *tp_args;	/* tracepoint probes: the arguments */
	struct stp_print_buf *pbuf;	/* this context's print buffer */
	char error_buf[MAXSTRINGLEN];	/* message storage for stp_error() */
	/* frames[MAXNESTING + 1] of stp_module.frame_size bytes follow */
	u64 frames[] __aligned(8);
};

/*
 * Frames: frames[0] holds the probe body's locals, frames[d] those of the
 * function at depth d (arguments, return value, locals), each of the
 * generated file's sizeof(union stp_frame) bytes.  A function gets its
 * frame from its caller, so the depth is implicit.
 */
#define stp_frame0(c)	((void *)(c)->frames)
/* the frame of a function called from the probe body */
#define stp_callee0(c, where)	stp_callee_first((c), sizeof(union stp_frame), (where))
/* the frame of a function called from the function whose frame is l */
#define stp_callee(c, l, where) \
	stp_callee_next((c), (char *)(l) + sizeof(union stp_frame), sizeof(union stp_frame), (where))

/* ---- errors ------------------------------------------------------------- */

/*
 * Put the context in the error state: "ERROR: <msg> near <where>" is reported
 * when the handler returns, unless a try/catch clears it first.  Only the
 * first error of a handler run is kept.
 */
__printf(3, 4) void stp_error(struct context *c, const char *where,
			      const char *fmt, ...);

/* Same with a constant message (no formatting, no copy). */
static inline void stp_error_str(struct context *c, const char *where,
				 const char *msg)
{
	if (c->last_error)
		return;
	c->last_error = msg;
	c->last_where = where;
}

static inline void stp_error_clear(struct context *c)
{
	c->last_error = NULL;
	c->last_where = NULL;
}

/* Statement accounting: true (and error state) once MAXACTION is used up. */
static inline bool stp_action(struct context *c, long n, const char *where)
{
	c->actionremaining -= n;
	if (unlikely(c->actionremaining < 0)) {
		stp_error_str(c, where, "MAXACTION exceeded");
		return true;
	}
	return false;
}

/*
 * Function entry: the callee's frame, or NULL (and the error state) when
 * the call would pass MAXNESTING.  From a probe body the depth is known
 * (the check folds away); from a function, the frame's place tells it.
 */
static __always_inline void *stp_callee_first(struct context *c, size_t fs, const char *where)
{
	if (MAXNESTING < 1) {
		stp_error_str(c, where, "MAXNESTING exceeded");
		return NULL;
	}
	return (char *)c->frames + fs;
}

static __always_inline void *stp_callee_next(struct context *c, char *n, size_t fs,
					     const char *where)
{
	if (unlikely(n > (char *)c->frames + (size_t)MAXNESTING * fs)) {
		stp_error_str(c, where, "MAXNESTING exceeded");
		return NULL;
	}
	return n;
}

/* Division helpers with SystemTap's messages. */
static inline s64 stp_div(struct context *c, s64 a, s64 b, const char *where)
{
	if (unlikely(b == 0)) {
		stp_error_str(c, where, "division by 0");
		return 0;
	}
	if (unlikely(b == -1))
		return -(u64)a;		/* avoids the S64_MIN / -1 trap */
	return a / b;
}

static inline s64 stp_mod(struct context *c, s64 a, s64 b, const char *where)
{
	if (unlikely(b == 0)) {
		stp_error_str(c, where, "division by 0");
		return 0;
	}
	if (unlikely(b == -1))
		return 0;
	return a % b;
}

/* ---- session ------------------------------------------------------------ */

/*
 * exit(): ask for the session to stop (end probes run once the current
 * handler and its peers are done).
 */
void stp_exit(void);

/*
 * abort(): the handler unwinds as after an error (c->last_error is this
 * message) but nothing is reported or counted; the session stops as after
 * exit(), end probes included.
 */
extern const char stp_msg_abort[];	/* "abort()" */

static inline void stp_abort(struct context *c)
{
	stp_exit();
	c->last_error = stp_msg_abort;
	c->last_where = NULL;
}

/* target(): the pid from staprun -c/-x, 0 when none. */
extern pid_t stp_target;

/* Register access for kprobe handlers (NULL regs => 0). */
static inline unsigned long stp_return_value(struct context *c)
{
	return c->regs ? regs_return_value(c->regs) : 0;
}

static inline unsigned long stp_arg(struct context *c, unsigned int n)
{
	if (!c->regs)
		return 0;
#ifdef CONFIG_X86_64
	/* the user registers at a system call (syscall.* probes): its
	 * arguments, the fourth in r10 */
	if (user_mode(c->regs) && n == 3)
		return c->regs->r10;
#endif
	return regs_get_kernel_argument(c->regs, n);
}

/*
 * Argument register n (0..5) of the probed function as it was at entry:
 * in a kretprobe with save_args, what the entry handler kept; else the
 * registers of the hit (a kprobe at the function's entry).
 */
#define STP_SAVED_ARGS 6
static inline unsigned long stp_func_arg(struct context *c, unsigned int n)
{
	if (c->ri)
		return n < STP_SAVED_ARGS ? ((unsigned long *)c->ri->data)[n] : 0;
	return stp_arg(c, n);
}

#endif /* STP_CORE_H */
