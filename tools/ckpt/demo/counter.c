// SPDX-License-Identifier: GPL-2.0
/*
 * The demo's container: counts, once a second, into a file.
 *
 *   counter FILE
 *
 * It opens FILE for each write, so that the file is whole whenever the
 * demo reads it, and sleeps in select(), which the kernel restarts with
 * the time left after a restart as after a thaw.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <sys/select.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	unsigned long count = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: counter FILE\n");
		return 2;
	}
	close_range(0, ~0U, 0);
	for (;;) {
		struct timeval second = { .tv_sec = 1 };
		char line[64];
		int fd, len;

		len = snprintf(line, sizeof(line), "%lu\n", ++count);
		fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fd >= 0) {
			if (write(fd, line, len) != len)
				perror("counter: write");
			close(fd);
		}
		select(0, NULL, NULL, NULL, &second);
	}
}
