// SPDX-License-Identifier: GPL-2.0
/*
 * The program of the golden images: a counter with no C library, so that
 * its static binary is small enough to keep in the repository next to the
 * images made from it (restart reopens the binary and checks its size).
 *
 * It counts, and every tenth of a second writes its count to
 * /tmp/golden.count (opened, written and closed each time, so that it holds
 * no fd), then sleeps in select().  A golden image of an older format
 * version, converted and restarted, must go on counting from where it was.
 *
 * Build: gcc -O2 -static -nostdlib -fno-stack-protector -fno-pie -no-pie
 */
#define _GNU_SOURCE
#include <asm/unistd.h>
#include <fcntl.h>
#include <sys/time.h>

static long sys6(long nr, long a, long b, long c, long d, long e)
{
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	long ret;

	__asm__ volatile ("syscall"
			  : "=a"(ret)
			  : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8)
			  : "rcx", "r11", "memory");
	return ret;
}

static volatile unsigned long golden_count;

void __attribute__((noreturn)) _start(void)
{
	/* Format version 1 saved no fd table: it must have no fds. */
	sys6(__NR_close_range, 0, ~0U, 0, 0, 0);
	for (;;) {
		char line[24], *p = line + sizeof(line);
		unsigned long n = ++golden_count;
		struct timeval tv = { .tv_usec = 100000 };
		long fd;

		*--p = '\n';
		do {
			*--p = (char)('0' + n % 10);
			n /= 10;
		} while (n);
		fd = sys6(__NR_open, (long)"/tmp/golden.count",
			  O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644, 0, 0);
		if (fd >= 0) {
			sys6(__NR_write, fd, (long)p, line + sizeof(line) - p,
			     0, 0);
			sys6(__NR_close, fd, 0, 0, 0, 0);
		}
		sys6(__NR_select, 0, 0, 0, 0, (long)&tv);
	}
}
