// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Wrappers for checkpoint(2) and restart(2), which libc does not know yet.
 */
#include <sys/syscall.h>
#include <unistd.h>

#include "ckpt.h"

/*
 * The numbers patches/0001 gives them in arch/x86/entry/syscalls/syscall_64.tbl
 * of 6.12, until libc headers have them.
 */
#if !defined(__x86_64__) && !(defined(__NR_checkpoint) && defined(__NR_restart))
# error "checkpoint(2) and restart(2) have no numbers on this architecture"
#endif
#ifndef __NR_checkpoint
# define __NR_checkpoint	463
#endif
#ifndef __NR_restart
# define __NR_restart		464
#endif

/*
 * syscall() takes its arguments as longs (it is variadic), so they are
 * widened here rather than left with undefined upper halves.
 */
int ckpt_checkpoint(pid_t pid, int fd, unsigned int flags, int logfd)
{
	return (int)syscall(__NR_checkpoint, (long)pid, (long)fd,
			    (unsigned long)flags, (long)logfd);
}

int ckpt_restart(pid_t pid, int fd, unsigned int flags, int logfd)
{
	return (int)syscall(__NR_restart, (long)pid, (long)fd,
			    (unsigned long)flags, (long)logfd);
}
