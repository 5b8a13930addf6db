// SPDX-License-Identifier: GPL-2.0
/*
 * bare_kprobe.ko: the floor for testsuite/bench/perhit.sh - a kprobe on
 * __x64_sys_getpid whose handler only counts hits per pid in a small
 * open-addressed table (what `counts[pid()]++` needs at the least, no
 * locking beyond one spinlock).
 */
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/spinlock.h>

#define SLOTS 1024

static struct {
	pid_t pid;
	long count;
} slots[SLOTS];
static DEFINE_SPINLOCK(lock);

static int pre(struct kprobe *p, struct pt_regs *regs)
{
	pid_t pid = task_tgid_nr(current);
	unsigned int i = (unsigned int)pid % SLOTS, n;
	unsigned long flags;

	spin_lock_irqsave(&lock, flags);
	for (n = 0; n < SLOTS; n++, i = (i + 1) % SLOTS) {
		if (slots[i].pid == pid || !slots[i].pid) {
			slots[i].pid = pid;
			slots[i].count++;
			break;
		}
	}
	spin_unlock_irqrestore(&lock, flags);
	return 0;
}

static struct kprobe kp = {
	.symbol_name = "__x64_sys_getpid",
	.pre_handler = pre,
};

static int __init bare_init(void)
{
	return register_kprobe(&kp);
}

static void __exit bare_exit(void)
{
	long total = 0;
	int i;

	unregister_kprobe(&kp);
	for (i = 0; i < SLOTS; i++)
		total += slots[i].count;
	pr_info("bare_kprobe: %ld hits\n", total);
}

module_init(bare_init);
module_exit(bare_exit);
MODULE_LICENSE("GPL");
