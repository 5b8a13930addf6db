/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tapset/task.h - task_struct helpers for the task, scheduler, process
 * and signal tapsets.
 */
#ifndef STP_TAPSET_TASK_H
#define STP_TAPSET_TASK_H

#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/pid.h>
#include <linux/rcupdate.h>
#include <linux/resource.h>
#include <linux/fdtable.h>
#include <linux/string.h>
#include <linux/minmax.h>
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

/* The names task_rlimit() knows, by resource number. */
static const char *const stp_rlimit_names[RLIM_NLIMITS] __maybe_unused = {
	[RLIMIT_CPU] = "RLIMIT_CPU",		[RLIMIT_FSIZE] = "RLIMIT_FSIZE",
	[RLIMIT_DATA] = "RLIMIT_DATA",		[RLIMIT_STACK] = "RLIMIT_STACK",
	[RLIMIT_CORE] = "RLIMIT_CORE",		[RLIMIT_RSS] = "RLIMIT_RSS",
	[RLIMIT_NPROC] = "RLIMIT_NPROC",	[RLIMIT_NOFILE] = "RLIMIT_NOFILE",
	[RLIMIT_MEMLOCK] = "RLIMIT_MEMLOCK",	[RLIMIT_AS] = "RLIMIT_AS",
	[RLIMIT_LOCKS] = "RLIMIT_LOCKS",	[RLIMIT_SIGPENDING] = "RLIMIT_SIGPENDING",
	[RLIMIT_MSGQUEUE] = "RLIMIT_MSGQUEUE",	[RLIMIT_NICE] = "RLIMIT_NICE",
	[RLIMIT_RTPRIO] = "RLIMIT_RTPRIO",	[RLIMIT_RTTIME] = "RLIMIT_RTTIME",
};

/* The resource number of an RLIMIT_* name, or -1. */
static __maybe_unused int stp_rlimit_index(const char *name)
{
	int i;

	for (i = 0; i < RLIM_NLIMITS; i++)
		if (stp_rlimit_names[i] && !strcmp(name, stp_rlimit_names[i]))
			return i;
	return -1;
}

/*
 * The soft limit of resource n of task t into *out (RLIM_INFINITY is -1);
 * false when t or its signal_struct cannot be read.
 */
static __maybe_unused bool stp_task_rlimit(struct task_struct *t, int n, s64 *out)
{
	struct signal_struct *sig;
	unsigned long cur;

	if (!stp_kget(sig, &t->signal) || !stp_kget(cur, &sig->rlim[n].rlim_cur))
		return false;
	*out = (s64)cur;
	return true;
}

/*
 * The number of open files of task t (the non-NULL entries of its file
 * table) into *out; false when something on the way cannot be read.  The
 * table is read under rcu_read_lock(), a chunk of entries at a time.
 */
static __maybe_unused bool stp_task_open_files(struct task_struct *t, s64 *out)
{
	struct files_struct *files;
	struct fdtable *fdt;
	struct file **fd;
	struct file *chunk[32];
	unsigned int max, i, k, n;
	s64 count = 0;
	bool ok = false;

	if (!stp_kget(files, &t->files))
		return false;
	if (!files) {		/* an exiting task: no files left */
		*out = 0;
		return true;
	}
	rcu_read_lock();
	if (!stp_kget(fdt, &files->fdt) || !stp_kget(max, &fdt->max_fds) ||
	    !stp_kget(fd, &fdt->fd))
		goto out;
	for (i = 0; i < max; i += n) {
		n = min_t(unsigned int, max - i, ARRAY_SIZE(chunk));
		if (!stp_krange_ok((unsigned long)(fd + i), n * sizeof(*fd)) ||
		    copy_from_kernel_nofault(chunk, fd + i, n * sizeof(*fd)))
			goto out;
		for (k = 0; k < n; k++)
			count += chunk[k] != NULL;
	}
	*out = count;
	ok = true;
out:
	rcu_read_unlock();
	return ok;
}

#endif /* STP_TAPSET_TASK_H */
