// SPDX-License-Identifier: GPL-2.0
/*
 * probe_procfs.c - procfs("NAME").read / .write files in
 * /proc/systemtap/MODULE/.  A read at offset 0 runs the read handler, which
 * fills the file's buffer (stp_procfs_set_value()); the rest of the read
 * comes from that buffer.  A write runs the write handlers (all of them, in
 * order) once per write() call with at most maxsize bytes
 * (stp_procfs_value()).
 */
#include <linux/proc_fs.h>
#include <linux/uaccess.h>

/* $value = s (read probes), $value .= s: append */
void stp_procfs_set_value(struct context *c, const char *s)
{
	struct stp_procfs_probe *pf = c->procfs;

	if (!pf)
		return;
	pf->len = strscpy(pf->buf, s, pf->maxsize + 1);
	if ((ssize_t)pf->len < 0)
		pf->len = pf->maxsize;
}

void stp_procfs_append_value(struct context *c, const char *s)
{
	struct stp_procfs_probe *pf = c->procfs;
	ssize_t n;

	if (!pf)
		return;
	n = strscpy(pf->buf + pf->len, s, pf->maxsize + 1 - pf->len);
	pf->len = n < 0 ? pf->maxsize : pf->len + n;
}

/* $value in a write probe: the written data, NUL-terminated */
const char *stp_procfs_value(struct context *c)
{
	return c->procfs ? c->procfs->buf : "";
}

static ssize_t stp_procfs_read(struct file *file, char __user *buf,
			       size_t count, loff_t *ppos)
{
	struct stp_procfs_probe *pf = pde_data(file_inode(file));
	ssize_t rc;

	if (!pf->read)
		return -EINVAL;
	if (mutex_lock_interruptible(&pf->lock))
		return -ERESTARTSYS;
	if (*ppos == 0) {
		pf->len = 0;
		pf->buf[0] = 0;
		stp_run_probe(pf->read, NULL, NULL, pf, NULL);
	}
	rc = simple_read_from_buffer(buf, count, ppos, pf->buf, pf->len);
	mutex_unlock(&pf->lock);
	return rc;
}

static ssize_t stp_procfs_write(struct file *file, const char __user *buf,
				size_t count, loff_t *ppos)
{
	struct stp_procfs_probe *pf = pde_data(file_inode(file));
	size_t n = min(count, pf->maxsize);
	const struct stp_probe *const *w;

	if (!pf->write)
		return -EINVAL;
	if (mutex_lock_interruptible(&pf->lock))
		return -ERESTARTSYS;
	if (copy_from_user(pf->buf, buf, n)) {
		mutex_unlock(&pf->lock);
		return -EFAULT;
	}
	pf->buf[n] = 0;
	pf->len = n;
	stp_run_probe(pf->write, NULL, NULL, pf, NULL);
	for (w = pf->more_writes; w && *w; w++) {
		pf->buf[n] = 0;
		pf->len = n;
		stp_run_probe(*w, NULL, NULL, pf, NULL);
	}
	mutex_unlock(&pf->lock);
	*ppos += n;
	return n;
}

static const struct proc_ops stp_procfs_ops = {
	.proc_read = stp_procfs_read,
	.proc_write = stp_procfs_write,
	.proc_lseek = default_llseek,
};

static void stp_procfs_unregister(void)
{
	unsigned int i;

	for (i = 0; i < stp_module.nprocfs; i++) {
		struct stp_procfs_probe *pf = &stp_module.procfs[i];

		if (!pf->pde)
			continue;
		proc_remove(pf->pde);	/* waits for running reads/writes */
		pf->pde = NULL;
		kfree(pf->buf);
		pf->buf = NULL;
		stp_proc_dir_put();
	}
}

static int stp_procfs_register(void)
{
	unsigned int i;
	int rc = 0;

	for (i = 0; i < stp_module.nprocfs; i++) {
		struct stp_procfs_probe *pf = &stp_module.procfs[i];
		const struct stp_probe *p = pf->read ? pf->read : pf->write;
		umode_t mode = (pf->read ? 0400 : 0) | (pf->write ? 0200 : 0);
		struct proc_dir_entry *dir;

		/* SystemTap: 0400/0200 by default, 0444/0222 & ~umask */
		if (pf->umask >= 0)
			mode = ((pf->read ? 0444 : 0) | (pf->write ? 0222 : 0)) &
			       ~pf->umask;
		if (!pf->maxsize)
			pf->maxsize = STP_PROCFS_BUFSIZE;
		mutex_init(&pf->lock);
		pf->buf = kzalloc(pf->maxsize + 1, GFP_KERNEL);
		rc = -ENOMEM;
		if (!pf->buf)
			goto err;
		dir = stp_proc_dir_get();
		if (!dir)
			goto err_buf;
		pf->pde = proc_create_data(pf->name, mode, dir, &stp_procfs_ops,
					   pf);
		if (pf->pde)
			continue;
		stp_proc_dir_put();
err_buf:
		kfree(pf->buf);
		pf->buf = NULL;
err:
		stp_probe_reg_error(p, false, rc);
		stp_procfs_unregister();
		return rc;
	}
	return 0;
}

STP_FAMILY(procfs) = {
	.reg = stp_procfs_register,
	.unreg = stp_procfs_unregister,
	.report = NULL,
};
