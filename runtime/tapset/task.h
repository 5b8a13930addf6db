/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tapset/task.h - task_struct helpers for the task, scheduler, process
 * and signal tapsets.
 */
#ifndef STP_TAPSET_TASK_H
#define STP_TAPSET_TASK_H

#include <linux/sched.h>
#include <linux/pid.h>
#include <linux/rcupdate.h>
#include "tapset/kread.h"

/*
 * Where the cpu of a task is kept: in its thread_info, which x86-64 keeps
 * inside the task_struct (elsewhere task_thread_info() reads t->stack).
 */
#ifdef CONFIG_THREAD_INFO_IN_TASK
#define stp_task_cpu_field(t)	(&(t)->thread_info.cpu)
#else
#define stp_task_cpu_field(t)	(&task_thread_info(t)->cpu)
#endif

/*
 * The task with id nr in the current pid namespace, or NULL.  No
 * reference is taken (none could be dropped safely in a probe): the
 * address is for reading fields without faulting.
 */
static __maybe_unused struct task_struct *stp_pid_task(s64 nr)
{
	struct task_struct *t;

	if (nr <= 0 || nr > PID_MAX_LIMIT)
		return NULL;
	rcu_read_lock();
	t = pid_task(find_vpid(nr), PIDTYPE_PID);
	rcu_read_unlock();
	return t;
}

#endif /* STP_TAPSET_TASK_H */
