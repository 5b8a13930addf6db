/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tapset/context.h - the current task and probe for the context tapset.
 *
 * A task_struct handed in by the script (task_pid(task) ...) may be any
 * number: its fields are read with copy_from_kernel_nofault() and a bad
 * pointer is an error with SystemTap's message.
 */
#ifndef STP_TAPSET_CONTEXT_H
#define STP_TAPSET_CONTEXT_H

#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/cred.h>
#include <linux/uidgid.h>
#include <linux/rcupdate.h>
#include "tapset/conversions.h"


/* The address of a field of the task_struct at task, for messages. */
#define STP_TASK_ADDR(task, field) \
	((unsigned long long)(task) + offsetof(struct task_struct, field))

/* Read a (1, 2, 4 or 8 byte) field of the task_struct at task; false on a fault. */
#define STP_TASK_FIELD(task, field, out) \
	stp_kread_signed((task) + offsetof(struct task_struct, field), \
			 sizeof(((struct task_struct *)0)->field), (out))

/* The parent's tgid and name: what ppid() and pexecname() show. */
static __maybe_unused s64 stp_parent_tgid(void)
{
	s64 pid;

	rcu_read_lock();
	pid = task_tgid_nr(rcu_dereference(current->real_parent));
	rcu_read_unlock();
	return pid;
}

static __maybe_unused void stp_parent_comm(char *dst)
{
	rcu_read_lock();
	strscpy(dst, rcu_dereference(current->real_parent)->comm, TASK_COMM_LEN);
	rcu_read_unlock();
}

/*
 * ppfunc(): the function name in a probe point such as
 * kernel.function("vfs_read@fs/read_write.c:450").return, or "".
 */
static __maybe_unused void stp_pp_func(char *dst, const char *pp)
{
	const char *p = strstr(pp, "function(\"");
	size_t n = 0;

	if (p) {
		p += strlen("function(\"");
		while (p[n] && p[n] != '"' && p[n] != '@' && n < MAXSTRINGLEN - 1)
			n++;
		memcpy(dst, p, n);
	}
	dst[n] = '\0';
}

#endif /* STP_TAPSET_CONTEXT_H */
