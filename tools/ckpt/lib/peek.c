// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Looking at the first bytes of a stream without taking them: so that an
 * image the kernel can read as it is gets handed over untouched, the fastest
 * way, and only a compressed one goes through a pump.
 *
 * Each kind of file has its own way: pread(2) at the current offset for
 * files and block devices; tee(2) into a scratch pipe for pipes and FIFOs,
 * which copies their bytes without consuming them; MSG_PEEK for sockets.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ckpt.h"
#include "internal.h"

static ssize_t peek_seekable(int fd, unsigned char *buf, size_t len)
{
	off_t at = lseek(fd, 0, SEEK_CUR);
	size_t got = 0;
	ssize_t n;

	if (at < 0)
		return -1;
	while (got < len) {
		n = pread(fd, buf + got, len - got, at + (off_t)got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		got += n;
	}
	return (ssize_t)got;
}

/* One look into a pipe: tee(2) what it holds, then read the copy. */
static ssize_t peek_pipe_once(int fd, unsigned char *buf, size_t len,
			      const int scratch[2])
{
	ssize_t n = tee(fd, scratch[1], len, SPLICE_F_NONBLOCK);
	size_t got = 0;

	while (n > 0 && got < (size_t)n) {
		ssize_t r = read(scratch[0], buf + got, (size_t)n - got);

		if (r <= 0)
			return -1;	/* the copy is there: cannot happen */
		got += r;
	}
	return n;
}

/* Whether a pipe's writers or a socket's peer are gone: no more to come. */
static bool stream_ended(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN | POLLRDHUP };

	return poll(&p, 1, 0) < 0 ||
	       (p.revents & (POLLHUP | POLLRDHUP | POLLERR));
}

static int wait_readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	while (poll(&p, 1, -1) < 0)
		if (errno != EINTR)
			return -1;
	return 0;
}

static ssize_t peek_stream(int fd, unsigned char *buf, size_t len,
			   bool is_pipe)
{
	const struct timespec a_moment = { 0, 1000000 };	/* 1 ms */
	int scratch[2] = { -1, -1 }, err;
	ssize_t n;

	if (is_pipe && pipe2(scratch, O_CLOEXEC | O_NONBLOCK))
		return -1;
	for (;;) {
		n = is_pipe ? peek_pipe_once(fd, buf, len, scratch) :
			      recv(fd, buf, len, MSG_PEEK | MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		/* nothing there yet (EAGAIN, not EOF): wait for it */
		if (n < 0 && errno == EAGAIN && !wait_readable(fd))
			continue;
		if (n <= 0 || (size_t)n == len)
			break;
		/*
		 * Part of it: the rest is on its way, unless the writer is
		 * gone.  Nothing tells when more arrives while some is there
		 * (poll says readable at once), so look again a moment later;
		 * writers send their first bytes in one piece, so this is rare.
		 */
		if (stream_ended(fd))
			break;
		nanosleep(&a_moment, NULL);
	}
	err = errno;
	if (is_pipe) {
		close(scratch[0]);
		close(scratch[1]);
	}
	errno = err;
	return n;
}

ssize_t ckpt_peek(int fd, void *buf, size_t len)
{
	struct stat st;

	if (fstat(fd, &st))
		return -1;
	if (S_ISREG(st.st_mode) || S_ISBLK(st.st_mode))
		return peek_seekable(fd, buf, len);
	if (S_ISFIFO(st.st_mode))
		return peek_stream(fd, buf, len, true);
	if (S_ISSOCK(st.st_mode))
		return peek_stream(fd, buf, len, false);
	errno = ESPIPE;
	return -1;
}
