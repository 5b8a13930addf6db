/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tapset/task_info.h - credentials, ids, times, memory sizes and files of
 * a task, for task_cred.stp, task_time.stp, proc_mem.stp and
 * task_files.stp.
 *
 * A task given by the script is any number: everything reachable from it
 * is read with the nofault accessors of kread.h.  A task given by its id
 * is looked up and read inside one rcu_read_lock() section (task_structs
 * are freed after a grace period).  Nothing here sleeps or takes a lock
 * a probe could already hold.
 */
#ifndef STP_TAPSET_TASK_INFO_H
#define STP_TAPSET_TASK_INFO_H

#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/cred.h>
#include <linux/uidgid.h>
#include <linux/user_namespace.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/rcupdate.h>
#include <linux/fs_struct.h>
#include <linux/fdtable.h>
#include <linux/mm.h>
#include <linux/mm_types.h>
#include <linux/jiffies.h>
#include "tapset/kread.h"

#define STP_MSG_NS_ID		"cannot resolve id in namespace"
#define STP_MSG_NO_FILE		"cannot find file in task"
#define STP_MSG_BAD_TASK	"invalid task struct pointer"

/* ---------------------------------------------------------------- ids */

/* Which credential: the real and effective user and group ids. */
enum stp_cred_id { STP_CRED_UID, STP_CRED_GID, STP_CRED_EUID, STP_CRED_EGID };

/*
 * An id (user or group) of the initial namespace as seen in the user
 * namespace whose id map is map, read without faulting: the kernel's
 * map_id_up() over a copy of each extent.  (u32)-1 when the id is not
 * mapped there; false when the map cannot be read.
 */
static __maybe_unused bool stp_map_id_up(const struct uid_gid_map *map, u32 id, u32 *out)
{
	const struct uid_gid_extent *ext;
	struct uid_gid_extent e;
	u32 nr, i;

	if (!stp_kget(nr, &map->nr_extents) || nr > UID_GID_MAP_MAX_EXTENTS)
		return false;
	if (nr <= UID_GID_MAP_MAX_BASE_EXTENTS)
		ext = map->extent;
	else if (!stp_kget(ext, &map->reverse))
		return false;
	for (i = 0; i < nr; i++) {
		if (!stp_kget(e, &ext[i]))
			return false;
		if (id >= e.lower_first && id - e.lower_first < e.count) {
			*out = e.first + (id - e.lower_first);
			return true;
		}
	}
	*out = (u32)-1;
	return true;
}

/*
 * An id of the objective credentials (real_cred) of task t into *out:
 * as seen in the task's own user namespace (own_ns) or in the initial
 * one, an unmapped id showing as the overflow id (65534), as the
 * kernel's from_kuid_munged() does.  False on a fault.
 */
static __maybe_unused bool stp_task_cred_id(struct task_struct *t, enum stp_cred_id which,
					    bool own_ns, s64 *out)
{
	const struct cred *c;
	struct user_namespace *ns;
	bool gid = which == STP_CRED_GID || which == STP_CRED_EGID;
	bool ok = false;
	u32 id, seen;

	rcu_read_lock();
	if (!stp_kget(c, &t->real_cred))
		goto out;
	switch (which) {
	case STP_CRED_UID:  ok = stp_kget(id, &c->uid.val); break;
	case STP_CRED_GID:  ok = stp_kget(id, &c->gid.val); break;
	case STP_CRED_EUID: ok = stp_kget(id, &c->euid.val); break;
	case STP_CRED_EGID: ok = stp_kget(id, &c->egid.val); break;
	}
	if (!ok)
		goto out;
	if (!own_ns)
		ns = &init_user_ns;
	else if (!stp_kget(ns, &c->user_ns)) {
		ok = false;
		goto out;
	}
	ok = stp_map_id_up(gid ? &ns->gid_map : &ns->uid_map, id, &seen);
	if (ok)
		*out = seen != (u32)-1 ? seen : gid ? overflowgid : overflowuid;
out:
	rcu_read_unlock();
	return ok;
}

/* An id of the current task's credentials as seen in the initial user namespace. */
static __maybe_unused s64 stp_current_init_ns_id(enum stp_cred_id which)
{
	switch (which) {
	case STP_CRED_UID:  return from_kuid_munged(&init_user_ns, current_uid());
	case STP_CRED_GID:  return from_kgid_munged(&init_user_ns, current_gid());
	case STP_CRED_EUID: return from_kuid_munged(&init_user_ns, current_euid());
	default:            return from_kgid_munged(&init_user_ns, current_egid());
	}
}

/*
 * A pid of the current task (PIDTYPE_PID: its thread id, PIDTYPE_TGID,
 * PIDTYPE_PGID, PIDTYPE_SID) as seen in the initial pid namespace.  The
 * idle tasks have no id to resolve: false for them.
 */
static __maybe_unused bool stp_current_init_ns_pid(enum pid_type type, s64 *out)
{
	if (!current->pid)
		return false;
	*out = __task_pid_nr_ns(current, type, &init_pid_ns);
	return true;
}

/* ---------------------------------------------------------- by its id */

/*
 * Read the object at offset off (size n: 4 or 8) of the task with id
 * tid (in the current task's pid namespace) into *out, zero-extended;
 * false when there is no such task or the read faults.
 */
static __maybe_unused bool stp_tid_field(s64 tid, size_t off, size_t n, u64 *out)
{
	struct task_struct *t;
	bool ok = false;
	union { u32 w; u64 q; } v;

	if (tid <= 0 || tid > PID_MAX_LIMIT || (n != 4 && n != 8))
		return false;
	rcu_read_lock();
	t = pid_task(find_vpid(tid), PIDTYPE_PID);
	if (t && stp_krange_ok((unsigned long)t + off, n) &&
	    !copy_from_kernel_nofault(&v, (char *)t + off, n)) {
		*out = n == 4 ? v.w : v.q;
		ok = true;
	}
	rcu_read_unlock();
	return ok;
}

#define STP_TID_FIELD(tid, field, out)						\
	stp_tid_field((tid), offsetof(struct task_struct, field),		\
		      sizeof(((struct task_struct *)0)->field), (out))

/* ------------------------------------------------------------- memory */

/* The sizes proc_mem_*() give, in pages. */
enum stp_mem_kind { STP_MEM_SIZE, STP_MEM_RSS, STP_MEM_SHR, STP_MEM_TXT, STP_MEM_DATA };

/* An rss counter of mm as get_mm_counter() gives it (never negative). */
static inline bool stp_mm_counter(struct mm_struct *mm, int member, u64 *out)
{
	long v;

	if (!stp_kget(v, &mm->rss_stat.count[member].counter))
		return false;
	*out = v < 0 ? 0 : v;
	return true;
}

/*
 * One size of the address space mm, in pages: size is total_vm, rss the
 * file, anonymous and shared-memory pages in memory, shr the file pages
 * in memory, txt the pages of the code (start_code..end_code), data the
 * data and stack mappings.  0 when mm is NULL or cannot be read.
 */
static __maybe_unused s64 stp_mm_pages(struct mm_struct *mm, enum stp_mem_kind kind)
{
	unsigned long a, b;
	u64 f, an, sh;

	if (!mm)
		return 0;
	switch (kind) {
	case STP_MEM_SIZE:
		return stp_kget(a, &mm->total_vm) ? a : 0;
	case STP_MEM_RSS:
		if (!stp_mm_counter(mm, MM_FILEPAGES, &f) || !stp_mm_counter(mm, MM_ANONPAGES, &an) ||
		    !stp_mm_counter(mm, MM_SHMEMPAGES, &sh))
			return 0;
		return f + an + sh;
	case STP_MEM_SHR:
		return stp_mm_counter(mm, MM_FILEPAGES, &f) ? f : 0;
	case STP_MEM_TXT:
		if (!stp_kget(a, &mm->start_code) || !stp_kget(b, &mm->end_code))
			return 0;
		return (PAGE_ALIGN(b) - (a & PAGE_MASK)) >> PAGE_SHIFT;
	case STP_MEM_DATA:
		if (!stp_kget(a, &mm->data_vm) || !stp_kget(b, &mm->stack_vm))
			return 0;
		return a + b;
	}
	return 0;
}

/*
 * The same for the process with id pid (0 when there is none, or it has
 * no address space).  The mm is read without a reference: a concurrent
 * exit can make the numbers stale, never the read fault.
 */
static __maybe_unused s64 stp_pid_mm_pages(s64 pid, enum stp_mem_kind kind)
{
	struct task_struct *t;
	struct mm_struct *mm;
	s64 r = 0;

	if (pid <= 0 || pid > PID_MAX_LIMIT)
		return 0;
	rcu_read_lock();
	t = pid_task(find_vpid(pid), PIDTYPE_PID);
	if (t && stp_kget(mm, &t->mm))
		r = stp_mm_pages(mm, kind);
	rcu_read_unlock();
	return r;
}

/* -------------------------------------------------------------- files */

/*
 * Whether t is a task the kernel knows by its id (the idle tasks are
 * not): into *known; false when t cannot be read.
 */
static __maybe_unused bool stp_task_known(struct task_struct *t, bool *known)
{
	pid_t nr;

	if (!stp_kget(nr, &t->pid))
		return false;
	rcu_read_lock();
	*known = nr > 0 && pid_task(find_pid_ns(nr, &init_pid_ns), PIDTYPE_PID) == t;
	rcu_read_unlock();
	return true;
}

/*
 * The struct file of descriptor fd of task t into *out (NULL when it is
 * not open); false when t or its file table cannot be read.
 */
static __maybe_unused bool stp_task_fd_file(struct task_struct *t, s64 fd, struct file **out)
{
	struct files_struct *files;
	struct fdtable *fdt;
	unsigned int max;
	struct file **fds;
	bool ok = false;

	*out = NULL;
	rcu_read_lock();
	if (!stp_kget(files, &t->files))
		goto out;
	ok = true;
	if (!files || fd < 0)
		goto out;
	if (!stp_kget(fdt, &files->fdt) || !stp_kget(max, &fdt->max_fds) ||
	    !stp_kget(fds, &fdt->fd)) {
		ok = false;
		goto out;
	}
	if (fd < max && !stp_kget(*out, &fds[fd]))
		ok = false;
out:
	rcu_read_unlock();
	return ok;
}

#endif /* STP_TAPSET_TASK_INFO_H */
