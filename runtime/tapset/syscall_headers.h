/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tapset/syscall_headers.h - the kernel headers that define the constants
 * the syscall tapset names (syscall_flags.h) and the structures it reads
 * from user memory (syscall_decode.h).
 */
#ifndef STP_TAPSET_SYSCALL_HEADERS_H
#define STP_TAPSET_SYSCALL_HEADERS_H

#include <linux/version.h>
#include <linux/bpf.h>
#include <linux/capability.h>
#include <linux/compat.h>
#include <linux/eventfd.h>
#include <linux/eventpoll.h>
#include <linux/falloc.h>
#include <linux/fanotify.h>
#include <linux/fcntl.h>
#include <linux/fs.h>
#include <linux/futex.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/inotify.h>
#include <linux/ioprio.h>
#include <linux/ipc.h>
#include <linux/kcmp.h>
#include <linux/kexec.h>
#include <linux/key.h>
#include <linux/keyctl.h>
#include <linux/membarrier.h>
#include <linux/memfd.h>
#include <linux/mempolicy.h>
#include <linux/mman.h>
#include <linux/module.h>
#include <uapi/linux/module.h>
#include <uapi/linux/fadvise.h>
#include <asm/unaligned.h>
#include <linux/mount.h>
#include <linux/msg.h>
#include <linux/net.h>
#include <linux/netlink.h>
#include <linux/perf_event.h>
#include <linux/personality.h>
#include <linux/prctl.h>
#include <linux/ptrace.h>
#include <linux/quota.h>
#include <linux/random.h>
#include <linux/reboot.h>
#include <linux/resource.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <linux/securebits.h>
#include <linux/sem.h>
#include <linux/shm.h>
#include <linux/signal.h>
#include <linux/signalfd.h>
#include <linux/socket.h>
#include <linux/splice.h>
#include <linux/stat.h>
#include <linux/swap.h>
#include <linux/time.h>
#include <linux/timerfd.h>
#include <linux/timex.h>
#include <linux/uio.h>
#include <linux/un.h>
#include <linux/userfaultfd.h>
#include <linux/utime.h>
#include <linux/wait.h>
#include <linux/xattr.h>
#include <uapi/linux/mount.h>
#include <asm/prctl.h>
#include <asm/ldt.h>
#include <net/sock.h>

#endif /* STP_TAPSET_SYSCALL_HEADERS_H */
