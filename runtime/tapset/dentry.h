/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tapset/dentry.h - path names from dentries and mounts, for the dentry
 * and vfs tapsets (task_dentry_path, fullpath_struct_file, d_name...).
 *
 * The kernel's d_path() takes rename_lock and mount_lock, which a probe
 * may hit while they are held: these walks take no lock and read every
 * pointer without faulting.  A walk racing with a rename may give a
 * stale name, never a crash.  The text is SystemTap 4.8's:
 * "socket:[INO]", "pipe:[INO]", "ANON_INODE:NAME", "NS:[INO]" for the
 * pseudo file systems, "<unknown>" for a dentry outside its mount.
 */
#ifndef STP_TAPSET_DENTRY_H
#define STP_TAPSET_DENTRY_H

#include <linux/dcache.h>
#include <linux/fs.h>
#include <linux/fs_struct.h>
#include <linux/mount.h>
#include <linux/magic.h>
#include <linux/path.h>
#include <linux/proc_ns.h>
#include "tapset/kread.h"

/*
 * The head of the kernel's private struct mount (fs/mount.h), unchanged
 * since Linux 3.3: the parent and the mountpoint come before the public
 * struct vfsmount.
 */
struct stp_mount {
	struct hlist_node mnt_hash;
	struct stp_mount *mnt_parent;
	struct dentry *mnt_mountpoint;
	struct vfsmount mnt;
};

#define stp_real_mount(v)	container_of((v), struct stp_mount, mnt)

/* A walk: the first address that could not be read, for the message. */
struct stp_walk {
	unsigned long fault;
};

#define STP_WGET(w, dst, ptr) ({					\
	bool ok_ = stp_kget(dst, ptr);					\
	if (!ok_)							\
		(w)->fault = (unsigned long)(ptr);			\
	ok_;								\
})

/*
 * The name of a dentry (at most max - 1 bytes) into dst; false on a
 * fault.
 */
static __maybe_unused bool stp_dentry_name(struct stp_walk *w, const struct dentry *d,
					   char *dst, long max)
{
	struct qstr q;

	dst[0] = '\0';
	if (!STP_WGET(w, q, &d->d_name))
		return false;
	if (stp_read_str(dst, (unsigned long)q.name, min_t(long, (long)q.len + 1, max), false)) {
		w->fault = (unsigned long)q.name;
		return false;
	}
	return true;
}

/*
 * A path is built from its last component up, in two walks: the first
 * counts its length, the second writes the components where they end
 * up, dropping what lies beyond the string's capacity (so a long path
 * keeps its beginning, as in SystemTap).  No scratch buffer is needed.
 */
struct stp_pathw {
	struct stp_walk w;
	char *text;	/* second walk: where the text goes; NULL in the first */
	long cap;	/* bytes of text that fit */
	long total;	/* the text's length (counted by the first walk) */
	long have;	/* length of the text so far (its end part) */
	char last;	/* the text's last byte */
};

static __maybe_unused void stp_pathw_init(struct stp_pathw *p, char *text, long cap, long total)
{
	p->w.fault = 0;
	p->text = text;
	p->cap = cap;
	p->total = total;
	p->have = 0;
	p->last = 0;
}

/*
 * SystemTap's __dentry_prepend(): the text becomes "dname/text", or
 * dname when it is empty; a "/" dname before a text that ends with "/"
 * adds nothing.
 */
static __maybe_unused void stp_pathw_prepend(struct stp_pathw *p, const char *dname)
{
	long n = strlen(dname), start, i;

	if (p->have && n == 1 && dname[0] == '/' && p->last == '/')
		return;
	if (!p->have && n)
		p->last = dname[n - 1];
	if (p->text) {
		start = p->total - p->have - n - (p->have ? 1 : 0);
		for (i = 0; i < n; i++)
			if (start + i >= 0 && start + i < p->cap)
				p->text[start + i] = dname[i];
		if (p->have && start + n >= 0 && start + n < p->cap)
			p->text[start + n] = '/';
	}
	p->have += n + (p->have ? 1 : 0);
}

/* The pseudo file systems' names; 0 when dentry is an ordinary one. */
static __maybe_unused int stp_pseudo_name(struct stp_walk *w, struct dentry *dentry, struct vfsmount *vfsmnt,
			   char *dst)
{
	const struct dentry_operations *ops;
	char *(*d_dname)(struct dentry *, char *, int);
	struct dentry *parent, *mnt_root;
	struct super_block *sb;
	struct inode *inode;
	unsigned long magic, ino = 0;
	const struct proc_ns_operations *ns_ops;
	const char *ns_name;
	char name[64];

	if (!STP_WGET(w, ops, &dentry->d_op))
		return -EFAULT;
	if (!ops)
		return 0;
	if (!STP_WGET(w, d_dname, &ops->d_dname))
		return -EFAULT;
	if (!d_dname)
		return 0;
	if (!STP_WGET(w, parent, &dentry->d_parent) ||
	    !STP_WGET(w, mnt_root, &vfsmnt->mnt_root))
		return -EFAULT;
	if (parent == dentry && dentry == mnt_root)
		return 0;	/* a mounted pseudo file system: an ordinary walk */
	if (!STP_WGET(w, sb, &vfsmnt->mnt_sb) || !STP_WGET(w, magic, &sb->s_magic))
		return -EFAULT;
	if (magic == SOCKFS_MAGIC || magic == PIPEFS_MAGIC || magic == NSFS_MAGIC) {
		if (!STP_WGET(w, inode, &dentry->d_inode) || !STP_WGET(w, ino, &inode->i_ino))
			return -EFAULT;
	}
	switch (magic) {
	case SOCKFS_MAGIC:
		snprintf(dst, MAXSTRINGLEN, "socket:[%lu]", ino);
		break;
	case PIPEFS_MAGIC:
		snprintf(dst, MAXSTRINGLEN, "pipe:[%lu]", ino);
		break;
	case ANON_INODE_FS_MAGIC:
		if (!stp_dentry_name(w, dentry, name, sizeof(name)))
			return -EFAULT;
		snprintf(dst, MAXSTRINGLEN, "ANON_INODE:%s", name);
		break;
	case NSFS_MAGIC:
		if (!STP_WGET(w, ns_ops, (const struct proc_ns_operations **)&dentry->d_fsdata) ||
		    !STP_WGET(w, ns_name, &ns_ops->name))
			return -EFAULT;
		if (stp_kread_str(name, (unsigned long)ns_name, sizeof(name))) {
			w->fault = (unsigned long)ns_name;
			return -EFAULT;
		}
		snprintf(dst, MAXSTRINGLEN, "%s:[%lu]", name, ino);
		break;
	default:
		snprintf(dst, MAXSTRINGLEN, "UNKNOWN:[0x%lx]", (unsigned long)dentry);
		break;
	}
	return 1;
}

/* A walk's end: the path is in p, "<unknown>", or a fault. */
enum { STP_WALK_PATH, STP_WALK_UNKNOWN, STP_WALK_FAULT };

/*
 * One walk of task_dentry_path(): from dentry under vfsmnt up to the
 * root of the mount tree, as SystemTap 4.8 walks it (it goes past a
 * chroot, and stops early only at the task's root dentry seen through
 * another mount).
 */
static __maybe_unused int stp_dentry_walk(struct stp_pathw *p, const struct path *root,
					  struct dentry *dentry, struct vfsmount *vfsmnt)
{
	struct stp_mount *mnt = stp_real_mount(vfsmnt), *parent;
	struct dentry *mnt_root, *d_parent;
	char dname[NAME_MAX + 1];
	int steps;

	for (steps = 0; dentry != root->dentry || vfsmnt == root->mnt; steps++) {
		if (steps > PATH_MAX / 2)
			return STP_WALK_UNKNOWN;	/* a loop: no path is that deep */
		if (!STP_WGET(&p->w, mnt_root, &vfsmnt->mnt_root) ||
		    !STP_WGET(&p->w, d_parent, &dentry->d_parent))
			return STP_WALK_FAULT;
		if (dentry == mnt_root || dentry == d_parent) {
			if (dentry != mnt_root)
				return STP_WALK_UNKNOWN;	/* escaped its mount */
			if (!STP_WGET(&p->w, parent, &mnt->mnt_parent))
				return STP_WALK_FAULT;
			if (parent == mnt)
				break;				/* the root of the tree */
			if (!STP_WGET(&p->w, dentry, &mnt->mnt_mountpoint))
				return STP_WALK_FAULT;
			mnt = parent;
			vfsmnt = &mnt->mnt;
			if (!mnt)
				return STP_WALK_UNKNOWN;
			continue;
		}
		if (!stp_dentry_name(&p->w, dentry, dname, sizeof(dname)))
			return STP_WALK_FAULT;
		stp_pathw_prepend(p, dname);
		dentry = d_parent;
	}
	return STP_WALK_PATH;
}

/*
 * task_dentry_path() into dst (MAXSTRINGLEN): 0, or -EFAULT with the
 * address in *fault.
 */
static __maybe_unused int stp_dentry_path(struct task_struct *task, struct dentry *dentry,
					  struct vfsmount *vfsmnt, char *dst, unsigned long *fault)
{
	struct stp_pathw p;
	struct fs_struct *fs;
	struct path root;
	long total;
	int rc;

	stp_pathw_init(&p, NULL, 0, 0);
	rc = stp_pseudo_name(&p.w, dentry, vfsmnt, dst);
	if (rc)
		goto done;
	if (!STP_WGET(&p.w, fs, &task->fs) || !STP_WGET(&p.w, root, &fs->root)) {
		rc = -EFAULT;
		goto done;
	}
	if (!vfsmnt) {
		strscpy(dst, "<unknown>", MAXSTRINGLEN);
		return 0;
	}
	rc = stp_dentry_walk(&p, &root, dentry, vfsmnt);
	if (rc == STP_WALK_PATH) {
		total = p.have;
		memset(dst + 1, '?', min_t(long, total, MAXSTRINGLEN - 2));
		stp_pathw_init(&p, dst + 1, MAXSTRINGLEN - 2, total);
		rc = stp_dentry_walk(&p, &root, dentry, vfsmnt);
		dst[0] = '/';
		dst[1 + min_t(long, total, MAXSTRINGLEN - 2)] = '\0';
	}
	if (rc == STP_WALK_UNKNOWN)
		strscpy(dst, "<unknown>", MAXSTRINGLEN);
	rc = rc == STP_WALK_FAULT ? -EFAULT : 0;
done:
	if (rc < 0) {
		*fault = p.w.fault;
		dst[0] = '\0';
		return rc;
	}
	return 0;
}

/* One walk of reverse_path_walk(): dentry's names up to its root's child. */
static __maybe_unused bool stp_reverse_walk(struct stp_pathw *p, struct dentry *dentry)
{
	struct dentry *parent;
	char dname[NAME_MAX + 1];
	int steps;

	for (steps = 0; steps <= PATH_MAX / 2; steps++) {
		if (!stp_dentry_name(&p->w, dentry, dname, sizeof(dname)))
			return false;
		stp_pathw_prepend(p, dname);
		if (!STP_WGET(&p->w, dentry, &dentry->d_parent) ||
		    !STP_WGET(&p->w, parent, &dentry->d_parent))
			return false;
		if (parent == dentry)
			break;
	}
	return true;
}

/* reverse_path_walk() into dst: 0, or -EFAULT with the address in *fault. */
static __maybe_unused int stp_reverse_path(struct dentry *dentry, char *dst, unsigned long *fault)
{
	struct stp_pathw p;
	long total;

	stp_pathw_init(&p, NULL, 0, 0);
	if (stp_reverse_walk(&p, dentry)) {
		total = p.have;
		memset(dst, '?', min_t(long, total, MAXSTRINGLEN - 1));
		stp_pathw_init(&p, dst, MAXSTRINGLEN - 1, total);
		if (stp_reverse_walk(&p, dentry)) {
			dst[min_t(long, total, MAXSTRINGLEN - 1)] = '\0';
			return 0;
		}
	}
	*fault = p.w.fault;
	dst[0] = '\0';
	return -EFAULT;
}

#endif /* STP_TAPSET_DENTRY_H */
