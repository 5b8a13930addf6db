// SPDX-License-Identifier: GPL-2.0
/*
 * transport.c - output rings and the control channel, exposed as files in
 * debugfs (/sys/kernel/debug/systemtap/MODULE/) or, when debugfs is not
 * available, procfs (/proc/systemtap/MODULE/).  Wire format: transport_msg.h.
 *
 * Output rings: one per possible CPU plus one for the begin/end/error probes.
 * Each ring has a single producer at a time (the context owning it runs with
 * interrupts off and a busy flag) and a single reader (stapio), so head and
 * tail need no lock: the producer publishes head with a release store, the
 * reader publishes tail the same way.  A record that does not fit is dropped
 * and counted; it takes no sequence number, so the sequence stays gap-free
 * and stapio can merge the rings in order.
 *
 * Wakeups: probe context never calls wake_up() directly (it may run inside
 * the scheduler); it queues an irq_work that does it.
 */
#include <linux/debugfs.h>
#include <linux/proc_fs.h>
#include <linux/fs.h>
#include <linux/namei.h>
#include <linux/poll.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <linux/irq_work.h>
#include <linux/wait.h>
#include <linux/log2.h>
#include <linux/jiffies.h>
#include <linux/version.h>
#include "transport_msg.h"

struct stp_ring {
	char *data;
	unsigned long size;		/* power of two */
	unsigned long head;		/* bytes produced (producer writes) */
	unsigned long tail;		/* bytes consumed (reader writes) */
	struct mutex rlock;		/* one reader at a time */
	wait_queue_head_t space_wq;	/* session producer waiting for room */
};

static struct stp_ring *stp_rings;	/* [stp_nrings] */
static unsigned int stp_nrings;		/* nr_cpu_ids + 1 */
#define STP_SESSION_RING nr_cpu_ids	/* the last ring */

static atomic64_t stp_seq = ATOMIC64_INIT(0);
static atomic64_t stp_lost_records = ATOMIC64_INIT(0);
static atomic64_t stp_lost_bytes = ATOMIC64_INIT(0);

static DECLARE_WAIT_QUEUE_HEAD(stp_read_wq);	/* stapio polls here */
static struct irq_work stp_wake_work;
static atomic_t stp_ctl_attached = ATOMIC_INIT(0);

static void stp_wake_fn(struct irq_work *w)
{
	wake_up_interruptible(&stp_read_wq);
}

static void stp_wake_reader(void)
{
	irq_work_queue(&stp_wake_work);
}

/* ---- output rings ------------------------------------------------------- */

static void stp_ring_put(struct stp_ring *r, unsigned long pos,
			 const void *src, size_t n)
{
	size_t off = pos & (r->size - 1);
	size_t first = min_t(size_t, n, r->size - off);

	memcpy(r->data + off, src, first);
	memcpy(r->data, (const char *)src + first, n - first);
}

static unsigned long stp_ring_free(struct stp_ring *r, unsigned long head)
{
	/* acquire: pairs with the reader's release of tail (bytes it freed) */
	return r->size - (head - smp_load_acquire(&r->tail));
}

/*
 * Append one record.  can_wait: the caller is in process context with
 * nothing held, so it may sleep until stapio makes room (bounded).
 */
bool stp_ring_write(unsigned int idx, const char *data, size_t len, bool can_wait)
{
	struct stp_ring *r = &stp_rings[idx];
	struct stp_rec_hdr h;
	unsigned long head = r->head;
	unsigned long need = sizeof(h) + len;
	unsigned long tail;

	if (need > r->size)
		goto lost;
	while (stp_ring_free(r, head) < need) {
		if (!can_wait || !atomic_read(&stp_ctl_attached))
			goto lost;
		stp_wake_reader();
		if (!wait_event_timeout(r->space_wq,
					stp_ring_free(r, head) >= need ||
					!atomic_read(&stp_ctl_attached),
					10 * HZ))
			goto lost;
	}
	tail = READ_ONCE(r->tail);
	h.magic = STP_REC_MAGIC;
	h.len = len;
	h.seq = atomic64_inc_return(&stp_seq);
	stp_ring_put(r, head, &h, sizeof(h));
	stp_ring_put(r, head + sizeof(h), data, len);
	/* release: the record is complete before the reader can see it */
	smp_store_release(&r->head, head + need);
	if (tail == head)		/* was empty: the reader may sleep */
		stp_wake_reader();
	return true;
lost:
	atomic64_inc(&stp_lost_records);
	atomic64_add(len, &stp_lost_bytes);
	return false;
}

static ssize_t stp_ring_read(struct stp_ring *r, char __user *buf, size_t count)
{
	unsigned long head, tail, n, off, first;
	ssize_t rc;

	if (mutex_lock_interruptible(&r->rlock))
		return -ERESTARTSYS;
	/* acquire: pairs with the producer's release of head */
	head = smp_load_acquire(&r->head);
	tail = r->tail;
	n = min_t(unsigned long, count, head - tail);
	off = tail & (r->size - 1);
	first = min(n, r->size - off);
	rc = -EFAULT;
	if (copy_to_user(buf, r->data + off, first) ||
	    copy_to_user(buf + first, r->data, n - first))
		goto out;
	/* release: we are done reading before the producer reuses the space */
	smp_store_release(&r->tail, tail + n);
	rc = n;
out:
	mutex_unlock(&r->rlock);
	if (rc > 0)
		wake_up(&r->space_wq);
	return rc;
}

static bool stp_ring_empty(struct stp_ring *r)
{
	/* acquire: pairs with the producer's release of head */
	return smp_load_acquire(&r->head) == READ_ONCE(r->tail);
}

/* Big buffers: 2 MB pages when the kernel can, much faster to set up. */
static void *stp_vmalloc_big(unsigned long size)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 19, 0)
	return vmalloc_huge(size, GFP_KERNEL);
#else
	return vmalloc(size);
#endif
}

static void stp_rings_free(void)
{
	unsigned int i;

	if (!stp_rings)
		return;
	for (i = 0; i < stp_nrings; i++)
		vfree(stp_rings[i].data);
	kfree(stp_rings);
	stp_rings = NULL;
}

static int stp_rings_alloc(unsigned long bytes)
{
	unsigned long session;
	unsigned int i;

	stp_nrings = nr_cpu_ids + 1;
	stp_rings = kcalloc(stp_nrings, sizeof(*stp_rings), GFP_KERNEL);
	if (!stp_rings)
		return -ENOMEM;
	bytes = roundup_pow_of_two(bytes);
	/* the session ring must hold a whole session print buffer, twice */
	session = max(bytes, 2 * roundup_pow_of_two(STP_SESSION_PRINT_BUF_SIZE));
	for (i = 0; i < stp_nrings; i++) {
		struct stp_ring *r = &stp_rings[i];

		mutex_init(&r->rlock);
		init_waitqueue_head(&r->space_wq);
		if (i != STP_SESSION_RING && !cpu_possible(i))
			continue;
		r->size = i == STP_SESSION_RING ? session : bytes;
		r->data = stp_vmalloc_big(r->size);
		if (!r->data) {
			stp_rings_free();
			return -ENOMEM;
		}
	}
	return 0;
}

/* ---- control messages: module -> stapio --------------------------------- */

#define STP_CTL_SIZE (64 * 1024)	/* power of two */
#define STP_CTL_RESERVE 1024		/* kept for STARTED / EXIT_ACK */

static struct stp_ring stp_ctl;		/* same layout, many producers */
static DEFINE_RAW_SPINLOCK(stp_ctl_lock);
static atomic_t stp_ctl_lost = ATOMIC_INIT(0);

static bool stp_ctl_push(u32 type, const void *data, u32 len, bool critical)
{
	struct stp_msg_hdr h = { .type = type, .len = len };
	unsigned long flags, head, room;
	bool ok = false;

	raw_spin_lock_irqsave(&stp_ctl_lock, flags);
	head = stp_ctl.head;
	room = stp_ring_free(&stp_ctl, head);
	if (!critical)
		room = room > STP_CTL_RESERVE ? room - STP_CTL_RESERVE : 0;
	if (room >= sizeof(h) + len) {
		stp_ring_put(&stp_ctl, head, &h, sizeof(h));
		stp_ring_put(&stp_ctl, head + sizeof(h), data, len);
		/* release: the message is complete before stapio sees it */
		smp_store_release(&stp_ctl.head, head + sizeof(h) + len);
		ok = true;
	}
	raw_spin_unlock_irqrestore(&stp_ctl_lock, flags);
	if (ok)
		stp_wake_reader();
	else
		atomic_inc(&stp_ctl_lost);
	return ok;
}

/* Any context.  Messages that do not fit are counted, never block. */
static void stp_ctl_send(u32 type, const void *data, u32 len)
{
	stp_ctl_push(type, data, len, false);
}

/* Process context: STARTED and EXIT_ACK must arrive; wait for room. */
static void stp_ctl_send_critical(u32 type, const void *data, u32 len)
{
	int i;

	for (i = 0; i < 1000; i++) {
		if (stp_ctl_push(type, data, len, true))
			return;
		if (!atomic_read(&stp_ctl_attached))
			return;
		usleep_range(10000, 20000);
	}
}

static DEFINE_RAW_SPINLOCK(stp_fmt_lock);
static char stp_fmt_buf[1024 + MAXSTRINGLEN];

/* Format a text message for stderr (type STP_MSG_TEXT or STP_MSG_ERROR). */
static __printf(2, 0) void stp_ctl_vprintf(u32 type, const char *fmt,
					   va_list args)
{
	unsigned long flags;
	int n;

	raw_spin_lock_irqsave(&stp_fmt_lock, flags);
	n = vscnprintf(stp_fmt_buf, sizeof(stp_fmt_buf), fmt, args);
	stp_ctl_send(type, stp_fmt_buf, n);
	raw_spin_unlock_irqrestore(&stp_fmt_lock, flags);
}

static __printf(2, 3) void stp_ctl_printf(u32 type, const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	stp_ctl_vprintf(type, fmt, args);
	va_end(args);
}

/* warn(): "WARNING: <msg>\n" on stderr (suppressed by staprun -w). */
void stp_warn(const char *fmt, ...)
{
	char buf[MAXSTRINGLEN + 16];
	va_list args;

	va_start(args, fmt);
	vscnprintf(buf, sizeof(buf), fmt, args);
	va_end(args);
	stp_ctl_printf(STP_MSG_TEXT, "WARNING: %s\n", buf);
}

/* system(): stapio runs cmd with sh -c once it gets the message. */
void stp_system(const char *cmd)
{
	stp_ctl_send(STP_MSG_SYSTEM, cmd, strnlen(cmd, MAXSTRINGLEN - 1));
}

/* Read whole messages only. */
static ssize_t stp_ctl_read(char __user *buf, size_t count)
{
	struct stp_ring *r = &stp_ctl;
	struct stp_msg_hdr h;
	unsigned long head, tail, end, off, first, n;
	ssize_t rc;

	if (mutex_lock_interruptible(&r->rlock))
		return -ERESTARTSYS;
	/* acquire: pairs with stp_ctl_push()'s release of head */
	head = smp_load_acquire(&r->head);
	tail = r->tail;
	end = tail;
	while (end != head) {
		off = end & (r->size - 1);
		first = min_t(unsigned long, sizeof(h), r->size - off);
		memcpy(&h, r->data + off, first);
		memcpy((char *)&h + first, r->data, sizeof(h) - first);
		if (end + sizeof(h) + h.len - tail > count)
			break;
		end += sizeof(h) + h.len;
	}
	rc = (end == tail && head != tail) ? -EMSGSIZE : 0;
	n = end - tail;
	if (!n)
		goto out;
	off = tail & (r->size - 1);
	first = min(n, r->size - off);
	rc = -EFAULT;
	if (copy_to_user(buf, r->data + off, first) ||
	    copy_to_user(buf + first, r->data, n - first))
		goto out;
	/* release: done reading before producers reuse the space */
	smp_store_release(&r->tail, end);
	rc = n;
out:
	mutex_unlock(&r->rlock);
	return rc;
}

/* ---- control commands: stapio -> module --------------------------------- */

static void stp_session_start(pid_t target);	/* session.c */
static void stp_session_stop(void);

pid_t stp_stapio_pid;			/* stp_pid(): who opened .cmd */
unsigned long stp_kernel_stext;		/* from STP_CMD_RELOC */
s64 stp_tz_gmtoff;			/* from STP_CMD_TZINFO */
char stp_tz_name[16];

static ssize_t stp_ctl_write(const char __user *ubuf, size_t count)
{
	union {
		struct stp_cmd_start start;
		struct stp_cmd_reloc reloc;
		struct stp_cmd_tzinfo tz;
	} u;
	struct stp_msg_hdr h;

	if (count < sizeof(h) || copy_from_user(&h, ubuf, sizeof(h)))
		return -EINVAL;
	if (h.len > sizeof(u) || count != sizeof(h) + h.len)
		return -EINVAL;
	memset(&u, 0, sizeof(u));
	if (copy_from_user(&u, ubuf + sizeof(h), h.len))
		return -EFAULT;
	switch (h.type) {
	case STP_CMD_START:
		if (h.len != sizeof(u.start) ||
		    u.start.version != STP_PROTOCOL_VERSION)
			return -EPROTO;
		stp_session_start(u.start.target);
		break;
	case STP_CMD_STOP:
		stp_session_stop();
		break;
	case STP_CMD_RELOC:
		u.reloc.module[sizeof(u.reloc.module) - 1] = 0;
		u.reloc.section[sizeof(u.reloc.section) - 1] = 0;
		if (!strcmp(u.reloc.module, "kernel") &&
		    !strcmp(u.reloc.section, "_stext"))
			stp_kernel_stext = u.reloc.address;
		break;
	case STP_CMD_TZINFO:
		stp_tz_gmtoff = u.tz.gmtoff;
		u.tz.name[sizeof(u.tz.name) - 1] = 0;
		strscpy(stp_tz_name, u.tz.name, sizeof(stp_tz_name));
		break;
	default:
		return -EINVAL;
	}
	return count;
}

/* ---- file operations ---------------------------------------------------- */

#define STP_CTL_FILE UINT_MAX		/* private data of .cmd */

static int stp_file_open(struct inode *inode, void *data, struct file *file)
{
	unsigned long idx = (unsigned long)data;

	file->private_data = data;
	if (idx == STP_CTL_FILE) {
		if (atomic_cmpxchg(&stp_ctl_attached, 0, 1) != 0)
			return -EBUSY;
		stp_stapio_pid = task_tgid_nr(current);
	}
	return nonseekable_open(inode, file);
}

static int stp_file_release(struct inode *inode, struct file *file)
{
	unsigned int i;

	if ((unsigned long)file->private_data == STP_CTL_FILE) {
		atomic_set(&stp_ctl_attached, 0);
		for (i = 0; i < stp_nrings; i++)	/* unblock producers */
			wake_up(&stp_rings[i].space_wq);
	}
	return 0;
}

static ssize_t stp_file_read(struct file *file, char __user *buf, size_t count,
			     loff_t *ppos)
{
	unsigned long idx = (unsigned long)file->private_data;

	if (idx == STP_CTL_FILE)
		return stp_ctl_read(buf, count);
	return stp_ring_read(&stp_rings[idx], buf, count);
}

static ssize_t stp_file_write(struct file *file, const char __user *buf,
			      size_t count, loff_t *ppos)
{
	if ((unsigned long)file->private_data != STP_CTL_FILE)
		return -EINVAL;
	return stp_ctl_write(buf, count);
}

static __poll_t stp_file_poll(struct file *file, poll_table *wait)
{
	unsigned long idx = (unsigned long)file->private_data;
	struct stp_ring *r = idx == STP_CTL_FILE ? &stp_ctl : &stp_rings[idx];

	poll_wait(file, &stp_read_wq, wait);
	return stp_ring_empty(r) ? 0 : EPOLLIN | EPOLLRDNORM;
}

static int stp_debugfs_open(struct inode *inode, struct file *file)
{
	return stp_file_open(inode, inode->i_private, file);
}

static const struct file_operations stp_debugfs_fops = {
	.owner = THIS_MODULE,
	.open = stp_debugfs_open,
	.release = stp_file_release,
	.read = stp_file_read,
	.write = stp_file_write,
	.poll = stp_file_poll,
	.llseek = no_llseek,
};

static int stp_proc_open(struct inode *inode, struct file *file)
{
	return stp_file_open(inode, pde_data(inode), file);
}

static const struct proc_ops stp_proc_fops = {
	.proc_open = stp_proc_open,
	.proc_release = stp_file_release,
	.proc_read = stp_file_read,
	.proc_write = stp_file_write,
	.proc_poll = stp_file_poll,
	.proc_lseek = no_llseek,
};

/* ---- /proc/systemtap/MODULE, shared with procfs probes ------------------ */

static struct proc_dir_entry *stp_proc_dir;
static unsigned int stp_proc_dir_users;

STP_RT_SHARED struct proc_dir_entry *stp_proc_dir_get(void)
{
	char name[16 + MODULE_NAME_LEN];
	struct path path;

	if (stp_proc_dir) {
		stp_proc_dir_users++;
		return stp_proc_dir;
	}
	/* /proc/systemtap is shared by all sessions; create it if missing */
	if (kern_path("/proc/systemtap", LOOKUP_DIRECTORY, &path) == 0)
		path_put(&path);
	else if (!proc_mkdir("systemtap", NULL))
		return NULL;
	snprintf(name, sizeof(name), "systemtap/%s", STP_MODULE_NAME);
	stp_proc_dir = proc_mkdir(name, NULL);
	if (stp_proc_dir)
		stp_proc_dir_users = 1;
	return stp_proc_dir;
}

STP_RT_SHARED void stp_proc_dir_put(void)
{
	if (!stp_proc_dir || --stp_proc_dir_users)
		return;
	proc_remove(stp_proc_dir);
	stp_proc_dir = NULL;
	/*
	 * /proc/systemtap itself stays: other sessions may use it, and procfs
	 * cannot tell us cheaply whether it is empty.  It holds no code of ours.
	 */
}

/* ---- setup / teardown --------------------------------------------------- */

static struct dentry *stp_debugfs_dir;
static bool stp_debugfs_top_created;
static struct dentry *stp_debugfs_top;
static bool stp_transport_procfs;

static int stp_create_files_debugfs(void)
{
	struct dentry *top, *d;
	unsigned long i;
	char name[32];

	top = debugfs_lookup("systemtap", NULL);
	if (!top) {
		top = debugfs_create_dir("systemtap", NULL);
		if (IS_ERR(top))
			return PTR_ERR(top);
		stp_debugfs_top_created = true;
	} else {
		dput(top);		/* it stays: debugfs keeps its own ref */
	}
	stp_debugfs_top = top;
	stp_debugfs_dir = debugfs_create_dir(STP_MODULE_NAME, top);
	if (IS_ERR(stp_debugfs_dir)) {
		int rc = PTR_ERR(stp_debugfs_dir);

		stp_debugfs_dir = NULL;
		return rc;
	}
	d = debugfs_create_file(".cmd", 0600, stp_debugfs_dir,
				(void *)(unsigned long)STP_CTL_FILE,
				&stp_debugfs_fops);
	if (IS_ERR(d))
		return PTR_ERR(d);
	for (i = 0; i < stp_nrings; i++) {
		if (!stp_rings[i].data)
			continue;
		if (i == STP_SESSION_RING)
			snprintf(name, sizeof(name), ".trace_session");
		else
			snprintf(name, sizeof(name), ".trace%lu", i);
		d = debugfs_create_file(name, 0400, stp_debugfs_dir,
					(void *)i, &stp_debugfs_fops);
		if (IS_ERR(d))
			return PTR_ERR(d);
	}
	return 0;
}

static void stp_remove_files_debugfs(void)
{
	debugfs_remove(stp_debugfs_dir);
	stp_debugfs_dir = NULL;
	if (stp_debugfs_top_created && simple_empty(stp_debugfs_top))
		debugfs_remove(stp_debugfs_top);
	stp_debugfs_top_created = false;
}

static int stp_create_files_procfs(void)
{
	struct proc_dir_entry *dir = stp_proc_dir_get();
	unsigned long i;
	char name[32];

	if (!dir)
		return -ENOMEM;
	stp_transport_procfs = true;
	if (!proc_create_data(".cmd", 0600, dir, &stp_proc_fops,
			      (void *)(unsigned long)STP_CTL_FILE))
		return -ENOMEM;
	for (i = 0; i < stp_nrings; i++) {
		if (!stp_rings[i].data)
			continue;
		if (i == STP_SESSION_RING)
			snprintf(name, sizeof(name), ".trace_session");
		else
			snprintf(name, sizeof(name), ".trace%lu", i);
		if (!proc_create_data(name, 0400, dir, &stp_proc_fops,
				      (void *)i))
			return -ENOMEM;
	}
	return 0;
}

static void stp_remove_files_procfs(void)
{
	unsigned long i;
	char name[32];

	if (!stp_transport_procfs)
		return;
	remove_proc_entry(".cmd", stp_proc_dir);
	for (i = 0; i < stp_nrings; i++) {
		if (i == STP_SESSION_RING)
			snprintf(name, sizeof(name), ".trace_session");
		else
			snprintf(name, sizeof(name), ".trace%lu", i);
		remove_proc_entry(name, stp_proc_dir);
	}
	stp_transport_procfs = false;
	stp_proc_dir_put();
}

/* module_size(): the bytes of the output rings and the control channel */
unsigned long stp_transport_bytes(void)
{
	unsigned long n = stp_ctl.data ? stp_ctl.size : 0;
	unsigned int i;

	for (i = 0; stp_rings && i < stp_nrings; i++)
		if (stp_rings[i].data)
			n += stp_rings[i].size;
	return n;
}

static void stp_transport_exit(void)
{
	stp_remove_files_debugfs();
	stp_remove_files_procfs();
	irq_work_sync(&stp_wake_work);
	stp_rings_free();
	vfree(stp_ctl.data);
	stp_ctl.data = NULL;
}

static int stp_transport_init(unsigned long ring_bytes)
{
	int rc;

	init_irq_work(&stp_wake_work, stp_wake_fn);
	mutex_init(&stp_ctl.rlock);
	init_waitqueue_head(&stp_ctl.space_wq);
	stp_ctl.size = STP_CTL_SIZE;
	stp_ctl.data = vmalloc(STP_CTL_SIZE);
	if (!stp_ctl.data)
		return -ENOMEM;
	rc = stp_rings_alloc(ring_bytes);
	if (rc)
		goto err;
	rc = stp_create_files_debugfs();
	if (rc) {
		/* debugfs missing or disabled (debugfs=off): use procfs */
		stp_remove_files_debugfs();
		rc = stp_create_files_procfs();
	}
	if (rc)
		goto err;
	return 0;
err:
	stp_transport_exit();
	return rc;
}
