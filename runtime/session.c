// SPDX-License-Identifier: GPL-2.0
/*
 * session.c - contexts, running a handler (busy flag, stack check, locks,
 * error reporting, flush), the session state machine and module init/exit.
 *
 *   LOADED --START--> STARTING (arm probes, begin probes) --> RUNNING
 *   RUNNING --exit(), error limit--> STOPPING (no handler starts any more)
 *   --STOP--> disarm, wait, end or error probes --> STOPPED (EXIT_ACK sent)
 *
 * START and STOP come from stapio on the control channel and run in its
 * write(), in stapio's context as in SystemTap (execname() is "stapio" in
 * begin and end probes); a thread of stapio keeps draining the output
 * meanwhile.  exit() and the error limits only *ask* stapio for a STOP.
 */
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/sched/task_stack.h>
#include <linux/delay.h>
#include <linux/sort.h>
#include <linux/vmalloc.h>
#include <asm/syscall.h>

enum stp_state {
	STP_STATE_LOADED,
	STP_STATE_STARTING,
	STP_STATE_RUNNING,
	STP_STATE_STOPPING,
	STP_STATE_STOPPED,
};

pid_t stp_target;
const char stp_msg_abort[] = "abort()";

static atomic_t stp_state = ATOMIC_INIT(STP_STATE_LOADED);
static atomic_t stp_exit_requested = ATOMIC_INIT(0);
static atomic_t stp_session_failed = ATOMIC_INIT(0);	/* error probes, exit 1 */
static atomic_t stp_errors = ATOMIC_INIT(0);
static atomic_t stp_skipped = ATOMIC_INIT(0);

/* n handler runs skipped outside this file's knowledge (missed kretprobes) */
STP_RT_SHARED void stp_count_skipped(int n)
{
	atomic_add(n, &stp_skipped);
}
static atomic_t stp_skip_reentrant = ATOMIC_INIT(0);
static atomic_t stp_skip_lowstack = ATOMIC_INIT(0);
static atomic_t stp_skip_lock = ATOMIC_INIT(0);

static struct context **stp_contexts;	/* [nr_cpu_ids], possible CPUs */
static struct context *stp_session_ctx;	/* begin/end/error probes */
static DEFINE_MUTEX(stp_session_mutex);
static bool stp_exit_acked;
static bool stp_armed;			/* probes registered (session mutex) */

static unsigned int _stp_bufsize;	/* MB per ring; staprun -s */
module_param(_stp_bufsize, uint, 0);
MODULE_PARM_DESC(_stp_bufsize, "output buffer per CPU, in MB");

static int stp_param_set_s64(const char *val, const struct kernel_param *kp)
{
	return kstrtoll(val, 0, (s64 *)kp->arg);
}

static int stp_param_get_s64(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%lld\n", *(s64 *)kp->arg);
}

const struct kernel_param_ops stp_param_ops_s64 = {
	.set = stp_param_set_s64,
	.get = stp_param_get_s64,
};

static int stp_register_probes(void);	/* probes.c */
static void stp_unregister_probes(void);
static void stp_report_probe_stats(void);

/* ---- contexts ----------------------------------------------------------- */

static struct context *stp_context_alloc(int ring, size_t pbuf_size)
{
	size_t size = sizeof(struct context) +
		      (MAXNESTING + 1) * stp_module.frame_size;
	struct context *c = vzalloc(size);

	if (!c)
		return NULL;
	c->cpu = ring;
	c->pbuf = vzalloc(sizeof(*c->pbuf));
	if (!c->pbuf)
		goto err;
	c->pbuf->size = pbuf_size;
	c->pbuf->data = vmalloc(pbuf_size);
	if (!c->pbuf->data)
		goto err;
	return c;
err:
	if (c->pbuf)
		vfree(c->pbuf->data);
	vfree(c->pbuf);
	vfree(c);
	return NULL;
}

static void stp_context_free(struct context *c)
{
	if (!c)
		return;
	vfree(c->pbuf->data);
	vfree(c->pbuf);
	vfree(c);
}

static void stp_contexts_free(void)
{
	unsigned int cpu;

	if (stp_contexts)
		for (cpu = 0; cpu < nr_cpu_ids; cpu++)
			stp_context_free(stp_contexts[cpu]);
	kfree(stp_contexts);
	stp_contexts = NULL;
	stp_context_free(stp_session_ctx);
	stp_session_ctx = NULL;
}

static int stp_contexts_alloc(void)
{
	unsigned int cpu;

	stp_contexts = kcalloc(nr_cpu_ids, sizeof(*stp_contexts), GFP_KERNEL);
	if (!stp_contexts)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		stp_contexts[cpu] = stp_context_alloc(cpu, STP_PRINT_BUF_SIZE);
		if (!stp_contexts[cpu])
			goto err;
	}
	stp_session_ctx = stp_context_alloc(STP_SESSION_RING,
					    STP_SESSION_PRINT_BUF_SIZE);
	if (!stp_session_ctx)
		goto err;
	return 0;
err:
	stp_contexts_free();
	return -ENOMEM;
}

/* module_size(): the bytes of the contexts with their print buffers */
unsigned long stp_context_bytes(void)
{
	unsigned long one = sizeof(struct context) +
			    (MAXNESTING + 1) * stp_module.frame_size +
			    sizeof(struct stp_print_buf);
	unsigned long n = 0;
	unsigned int cpu;

	if (stp_contexts)
		for_each_possible_cpu(cpu)
			if (stp_contexts[cpu])
				n += one + stp_contexts[cpu]->pbuf->size;
	if (stp_session_ctx)
		n += one + stp_session_ctx->pbuf->size;
	return n;
}

/* ---- errors and skips --------------------------------------------------- */

void stp_error(struct context *c, const char *where, const char *fmt, ...)
{
	va_list args;

	if (c->last_error)
		return;
	va_start(args, fmt);
	vscnprintf(c->error_buf, sizeof(c->error_buf), fmt, args);
	va_end(args);
	c->last_error = c->error_buf;
	c->last_where = where;
}

void stp_exit(void)
{
	/* from now on no event handler starts (as in SystemTap) */
	atomic_cmpxchg(&stp_state, STP_STATE_RUNNING, STP_STATE_STOPPING);
	if (atomic_cmpxchg(&stp_exit_requested, 0, 1) == 0)
		stp_ctl_send(STP_MSG_REQUEST_EXIT, NULL, 0);
}

/* The session failed: error probes instead of end probes, stapio exits 1. */
static void stp_session_fail(void)
{
	atomic_set(&stp_session_failed, 1);
	stp_exit();
}

static void stp_skip(atomic_t *reason)
{
	atomic_inc(reason);
	if (atomic_inc_return(&stp_skipped) == MAXSKIPPED + 1) {
		stp_ctl_printf(STP_MSG_ERROR,
			       "ERROR: Skipped too many probes, check MAXSKIPPED or try again with stap -t for more details.\n");
		stp_session_fail();
	}
}

static void stp_report_error(struct context *c)
{
	if (c->last_error == stp_msg_abort)	/* abort(): silent */
		return;
	if (c->last_where && *c->last_where)	/* "": error() has none */
		stp_ctl_printf(STP_MSG_ERROR, "ERROR: %s near %s\n",
			       c->last_error, c->last_where);
	else
		stp_ctl_printf(STP_MSG_ERROR, "ERROR: %s\n", c->last_error);
	if (atomic_inc_return(&stp_errors) > MAXERRORS)
		stp_session_fail();
}

/* The n-th argument of the system call being traced (syscall probes; in
 * the core: tapset functions may ask from any probe). */
unsigned long stp_syscall_arg(struct context *c, unsigned int n)
{
	unsigned long args[6];

	if (!c->regs || n >= 6)
		return 0;
	syscall_get_arguments(current, c->regs, args);
	return args[n];
}

/* ---- running a handler -------------------------------------------------- */

/*
 * The global locks of probe p, in the table's order.  The first attempt at
 * each is inline (uncontended: one compare-and-swap); retrying, and undoing
 * after a timeout, is out of line.
 */
static noinline bool stp_lock_retry(const struct stp_lock_req *first,
				    const struct stp_lock_req *l)
{
	unsigned int tries;

	for (tries = 0; tries < MAXTRYLOCK; tries++) {
		ndelay(TRYLOCKDELAY);
		if (stp_global_trylock(l->global, l->mode == STP_LOCK_WRITE))
			return true;
	}
	atomic_inc(&l->global->lock_skips);
	while (l-- != first)
		stp_global_unlock(l->global, l->mode == STP_LOCK_WRITE);
	return false;
}

static __always_inline bool stp_lock_globals(const struct stp_probe *p)
{
	const struct stp_lock_req *l = p->locks, *end = l + p->nlocks;

	for (; l != end; l++)
		if (unlikely(!stp_global_trylock(l->global, l->mode == STP_LOCK_WRITE)) &&
		    !stp_lock_retry(p->locks, l))
			return false;
	return true;
}

static __always_inline void stp_unlock_globals(const struct stp_probe *p)
{
	const struct stp_lock_req *l = p->locks + p->nlocks;

	while (l-- != p->locks)
		stp_global_unlock(l->global, l->mode == STP_LOCK_WRITE);
}

static void stp_context_prepare(struct context *c, const struct stp_probe *p,
				struct pt_regs *regs)
{
	c->probe = p;
	c->regs = regs;
	c->ri = NULL;
	c->procfs = NULL;
	c->tp_args = NULL;
	c->last_error = NULL;
	c->last_where = NULL;
	c->actionremaining = INTERRUPTIBLE ? MAXACTION_INTERRUPTIBLE : MAXACTION;
}

/*
 * Fewer than MINSTACKSPACE bytes left below the stack pointer on the task
 * stack.  IRQ and exception stacks are not checked (fresh per entry): there
 * sp - base is negative (a huge unsigned) or at least THREAD_SIZE.  One
 * compare with a constant (a MINSTACKSPACE of a whole stack or more skips
 * every run on a task stack).
 */
static __always_inline bool stp_stack_low(void)
{
	unsigned long base = (unsigned long)task_stack_page(current);

	return current_stack_pointer - base <
	       (MINSTACKSPACE < THREAD_SIZE ? MINSTACKSPACE : THREAD_SIZE);
}

/*
 * Run an event probe (timer, kprobe, profile, procfs, tracepoint) on this
 * CPU's context.  Interrupts are off for the handler: a timer cannot
 * interrupt a kprobe handler and be counted as re-entrant.  The one
 * function between a probe family's callback and the handler.
 */
STP_RT_SHARED noinline void stp_run_probe(const struct stp_probe *p, struct pt_regs *regs,
				 struct kretprobe_instance *ri,
				 struct stp_procfs_probe *pf,
				 const unsigned long *tp_args)
{
	struct context *c;
	unsigned long flags;

	if (atomic_read(&stp_state) != STP_STATE_RUNNING)
		return;
	local_irq_save(flags);
	c = stp_contexts[smp_processor_id()];
	if (atomic_inc_return(&c->busy) != 1) {
		stp_skip(&stp_skip_reentrant);
		goto out;
	}
	if (stp_stack_low()) {
		stp_skip(&stp_skip_lowstack);
		goto out;
	}
	stp_context_prepare(c, p, regs);
	c->ri = ri;
	c->procfs = pf;
	c->tp_args = tp_args;
	if (!stp_lock_globals(p)) {
		stp_skip(&stp_skip_lock);
		goto out;
	}
	p->handler(c);
	/*
	 * Flush while the locks are held: a handler that saw another's
	 * changes to a global also prints after it.
	 */
	if (c->pbuf->len)
		stp_print_flush(c);
	stp_unlock_globals(p);
	if (unlikely(c->last_error))
		stp_report_error(c);
out:
	atomic_dec(&c->busy);
	local_irq_restore(flags);
}

/* A tracepoint hit: its arguments for $name in the handler. */
void stp_run_probe_args(const struct stp_probe *p, const unsigned long *args)
{
	stp_run_probe(p, NULL, NULL, NULL, args);
}

/* A system call (the __syscall dispatch): the user registers in c->regs. */
void stp_run_probe_regs(const struct stp_probe *p, struct pt_regs *regs)
{
	stp_run_probe(p, regs, NULL, NULL, NULL);
}

/*
 * Run a begin/end/error probe in process context (the session work).
 * Nothing else runs then, so no global locks are taken; preemption is off
 * during the handler, and the final flush may wait for stapio to make room.
 */
static void stp_run_session_probe(const struct stp_probe *p)
{
	struct context *c = stp_session_ctx;
	struct stp_print_buf *b = c->pbuf;

	atomic_inc(&c->busy);
	preempt_disable();
	stp_context_prepare(c, p, NULL);
	p->handler(c);
	if (unlikely(c->last_error))
		stp_report_error(c);
	preempt_enable();
	if (b->len)
		stp_ring_write(c->cpu, b->data, b->len, true);
	b->len = 0;
	atomic_dec(&c->busy);
}

/* Wait until no handler runs anywhere (after every probe is disarmed). */
static void stp_wait_idle(void)
{
	unsigned int cpu;
	int i;

	for (i = 0; i < 10000; i++) {
		bool busy = false;

		for_each_possible_cpu(cpu)
			if (atomic_read(&stp_contexts[cpu]->busy))
				busy = true;
		if (!busy)
			return;
		usleep_range(1000, 2000);
	}
}

/* ---- begin / end / error probes ----------------------------------------- */

static int stp_be_cmp(const void *a, const void *b)
{
	const struct stp_be_probe *const *x = a, *const *y = b;

	if ((*x)->priority != (*y)->priority)
		return (*x)->priority < (*y)->priority ? -1 : 1;
	return *x < *y ? -1 : *x > *y;	/* script order among equals */
}

/* Run the probes of one type, lowest priority first. */
static void stp_run_be(enum stp_be_type type)
{
	struct stp_be_probe **order;
	unsigned int i, n = 0;

	if (!stp_module.nbe)
		return;
	order = kcalloc(stp_module.nbe, sizeof(*order), GFP_KERNEL);
	if (!order)
		return;
	for (i = 0; i < stp_module.nbe; i++)
		if (stp_module.be[i].type == type)
			order[n++] = &stp_module.be[i];
	sort(order, n, sizeof(*order), stp_be_cmp, NULL);
	for (i = 0; i < n; i++) {
		/*
		 * After exit() or a failure later begin probes do not run;
		 * after a failure later end probes do not run either (the
		 * error probes do), as in SystemTap.
		 */
		if (type == STP_BEGIN && atomic_read(&stp_exit_requested))
			break;
		if (type == STP_END && atomic_read(&stp_session_failed))
			break;
		stp_run_session_probe(order[i]->probe);
	}
	kfree(order);
}

/* ---- session state machine ---------------------------------------------- */

static void stp_send_exit_ack(void)
{
	struct stp_msg_exit m = {
		.errors = atomic_read(&stp_errors),
		.skipped = atomic_read(&stp_skipped),
		.seq_end = atomic64_read(&stp_seq) + 1,
		.lost_records = atomic64_read(&stp_lost_records),
		.lost_bytes = atomic64_read(&stp_lost_bytes),
	};

	if (stp_exit_acked)
		return;
	stp_exit_acked = true;
	stp_ctl_send_critical(STP_MSG_EXIT_ACK, &m, sizeof(m));
}

/*
 * The globals could not be allocated at module load (a bad @hist_linear):
 * the load succeeded anyway, and the start reports why it fails, as
 * SystemTap does (its allocation happens at the start).
 */
static int stp_init_rc;
static char stp_init_msg[512];

void stp_init_fail(const char *warning, const char *global)
{
	size_t n = strlen(stp_init_msg);

	if (warning)
		n += scnprintf(stp_init_msg + n, sizeof(stp_init_msg) - n,
			       "WARNING: %s\n", warning);
	scnprintf(stp_init_msg + n, sizeof(stp_init_msg) - n,
		  "ERROR: global variable '%s' allocation failed\n", global);
}

/* From the control channel: stapio's write() of START. */
static void stp_session_start(pid_t target)
{
	struct stp_msg_started m = { .rc = 0, .nrings = stp_nrings };

	mutex_lock(&stp_session_mutex);
	if (atomic_read(&stp_state) != STP_STATE_LOADED) {
		m.rc = -EBUSY;
		stp_ctl_send_critical(STP_MSG_STARTED, &m, sizeof(m));
		goto out;
	}
	stp_target = target;
	atomic_set(&stp_state, STP_STATE_STARTING);
	m.rc = stp_init_rc;
	if (m.rc && stp_init_msg[0])
		stp_ctl_send_critical(STP_MSG_ERROR, stp_init_msg,
				      strlen(stp_init_msg));
	if (!m.rc)
		m.rc = stp_register_probes();
	if (m.rc) {
		atomic_set(&stp_state, STP_STATE_STOPPED);
		atomic_set(&stp_session_failed, 1);
		stp_ctl_send_critical(STP_MSG_STARTED, &m, sizeof(m));
		stp_send_exit_ack();
		goto out;
	}
	stp_armed = true;
	stp_run_be(STP_BEGIN);
	if (!atomic_read(&stp_exit_requested))
		atomic_set(&stp_state, STP_STATE_RUNNING);
	else
		atomic_set(&stp_state, STP_STATE_STOPPING);
	stp_ctl_send_critical(STP_MSG_STARTED, &m, sizeof(m));
out:
	mutex_unlock(&stp_session_mutex);
}

static void stp_report_summary(void)
{
	s64 lost = atomic64_read(&stp_lost_records);
	unsigned int i;
	int n;

	stp_report_probe_stats();	/* e.g. missed kretprobes, as skips */
	if (atomic_read(&stp_skip_reentrant))
		stp_warn("Skipped due to reentrancy: %d",
			 atomic_read(&stp_skip_reentrant));
	if (atomic_read(&stp_skip_lowstack))
		stp_warn("Skipped due to low stack: %d",
			 atomic_read(&stp_skip_lowstack));
	for (i = 0; i < stp_module.nglobals; i++) {
		n = atomic_read(&stp_module.globals[i].lock_skips);
		if (n)
			stp_warn("Skipped due to global '%s' lock timeout: %d",
				 stp_module.globals[i].name, n);
	}
	if (lost)
		stp_warn("Lost %lld output records (%lld bytes): output buffer full, try a larger -s",
			 lost, (s64)atomic64_read(&stp_lost_bytes));
	if (atomic_read(&stp_ctl_lost))
		stp_warn("Lost %d warning/error messages",
			 atomic_read(&stp_ctl_lost));
	if (atomic_read(&stp_errors) || atomic_read(&stp_skipped))
		stp_warn("Number of errors: %d, skipped probes: %d",
			 atomic_read(&stp_errors), atomic_read(&stp_skipped));
}

/* Disarm everything, wait for handlers, run end (or error) probes. */
static void stp_stop_locked(void)
{
	if (stp_armed) {
		atomic_set(&stp_state, STP_STATE_STOPPING);
		stp_unregister_probes();
		stp_armed = false;
		stp_wait_idle();
		if (!atomic_read(&stp_session_failed))
			stp_run_be(STP_END);
		if (atomic_read(&stp_session_failed))
			stp_run_be(STP_ERROR);
		stp_report_summary();
	}
	atomic_set(&stp_state, STP_STATE_STOPPED);
	stp_send_exit_ack();
}

/* From the control channel: stapio's write() of STOP. */
static void stp_session_stop(void)
{
	mutex_lock(&stp_session_mutex);
	stp_stop_locked();
	mutex_unlock(&stp_session_mutex);
}

/* ---- module init / exit ------------------------------------------------- */

static int __init stp_module_init(void)
{
	unsigned long ring = (unsigned long)_stp_bufsize << 20;
	int rc;

	if (_stp_bufsize > 4095)
		return -EINVAL;
	if (!ring)
		ring = clamp((STP_DEFAULT_BUFSIZE_MB << 20) / num_possible_cpus(),
			     1UL << 20, 16UL << 20);
	rc = stp_contexts_alloc();
	if (rc)
		return rc;
	if (stp_module.init_globals)
		stp_init_rc = stp_module.init_globals();
	rc = stp_transport_init(ring);
	if (rc)
		goto err_globals;
	return 0;
err_globals:
	if (stp_module.free_globals)
		stp_module.free_globals();
	stp_contexts_free();
	return rc;
}

static void __exit stp_module_exit(void)
{
	/* stapio is gone (it held a module reference while attached) */
	mutex_lock(&stp_session_mutex);
	stp_stop_locked();
	mutex_unlock(&stp_session_mutex);
	stp_transport_exit();
	if (stp_module.free_globals)
		stp_module.free_globals();
	stp_contexts_free();
}

module_init(stp_module_init);
module_exit(stp_module_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("SystemTap-compatible probe module");
