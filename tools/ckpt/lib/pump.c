// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Pumps: a thread between the kernel and the caller's fd, so that the image
 * can be compressed, decompressed and counted on its way (see ckpt.h).
 *
 * The pump's end of the pipe is non-blocking, and every wait is a poll(2)
 * that also watches a stop eventfd: whatever the pump waits for, the caller
 * can end it at once.  The one wait it cannot end is a write(2) to a
 * blocking fd of the caller's, which lasts as long as its reader does not
 * read (the fd's flags are not ours to change); the kernel would wait there
 * too.  Memory is two buffers of PUMP_BUF_SIZE and the lz4 state.
 *
 * Who may write what: the pump's thread writes the counts (atomics, which
 * the progress report reads) and its failure (read only once the thread is
 * joined); the caller writes @stopping before it tells the thread anything.
 * A failure of the pump that happens after the caller said stop is no
 * failure: it is what stopping does, or beyond what the kernel read.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "ckpt.h"

/* What the pump moves at a time, and the pipe it shares with the kernel:
 * large enough that neither side waits for the other at every step. */
#define PUMP_BUF_SIZE		(256 * 1024)
#define PUMP_PIPE_SIZE		(1024 * 1024)

#define REPORT_INTERVAL_NS	1000000000ULL
/* How often a caller waiting for the pump looks at its stop flag. */
#define STOP_CHECK_MS		100

struct ckpt_pump {
	unsigned int flags;
	int fd;				/* the caller's */
	int kernel_fd;			/* the kernel's end of the pipe */
	int pump_fd;			/* the pump's end, non-blocking */
	int stop_fd;			/* eventfd: the caller says stop */
	int done_fd;			/* eventfd: the thread has ended */
	pthread_t thread;
	bool running;			/* started and not joined */
	bool interrupted;		/* ckpt_pump_finish() gave up waiting */
	bool finished;
	enum ckpt_status result;	/* of ckpt_pump_finish() */
	atomic_bool stopping;

	ckpt_pump_progress_fn *progress;
	void *progress_arg;
	uint64_t start_ns, next_report_ns;

	_Atomic uint64_t image_bytes, stream_bytes;
	atomic_bool lz4;
	struct ckpt_lz4_encoder *enc;
	struct ckpt_lz4_decoder *dec;
	unsigned char *buf, *out;
	int write_errno;		/* of the last failed write to @fd */
	int read_errno;			/* of a failed read of @fd */

	/* the thread's failure */
	enum ckpt_status status;
	char error[256];
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void get_stats(struct ckpt_pump *p, struct ckpt_pump_stats *st,
		      bool done)
{
	st->image_bytes = atomic_load(&p->image_bytes);
	st->stream_bytes = atomic_load(&p->stream_bytes);
	st->elapsed_ns = now_ns() - p->start_ns;
	st->lz4 = atomic_load(&p->lz4);
	st->done = done;
}

/* From the thread: a progress report, if one is due. */
static void report_if_due(struct ckpt_pump *p)
{
	struct ckpt_pump_stats st;
	uint64_t now;

	if (!p->progress)
		return;
	now = now_ns();
	if (now < p->next_report_ns)
		return;
	p->next_report_ns = now + REPORT_INTERVAL_NS;
	get_stats(p, &st, false);
	p->progress(&st, p->progress_arg);
}

/* How long poll() may wait before the next report is due: -1, forever. */
static int report_timeout(const struct ckpt_pump *p)
{
	uint64_t now;

	if (!p->progress)
		return -1;
	now = now_ns();
	if (now >= p->next_report_ns)
		return 0;
	return (int)((p->next_report_ns - now + 999999) / 1000000);
}

/* Record the thread's failure, unless the caller said stop first; -1. */
__attribute__((format(printf, 3, 4)))
static int pump_fail(struct ckpt_pump *p, enum ckpt_status status,
		     const char *fmt, ...)
{
	va_list ap;

	if (atomic_load(&p->stopping) || p->status)
		return -1;
	va_start(ap, fmt);
	vsnprintf(p->error, sizeof(p->error), fmt, ap);
	va_end(ap);
	p->status = status;
	return -1;
}

/*
 * Wait until @fd is ready for @events (or has an error or hangup, which the
 * read or write that follows reports): 1; 0 once told to stop; -1 with
 * errno if poll() fails.  Progress is reported meanwhile.
 */
static int wait_for(struct ckpt_pump *p, int fd, short events)
{
	struct pollfd pfd[2] = {
		{ .fd = fd, .events = events },
		{ .fd = p->stop_fd, .events = POLLIN },
	};
	int n;

	for (;;) {
		n = poll(pfd, 2, report_timeout(p));
		if (n < 0 && errno != EINTR)
			return -1;
		report_if_due(p);
		if (n <= 0)
			continue;
		if (pfd[1].revents)
			return 0;
		if (pfd[0].revents)
			return 1;
	}
}

/* ---- checkpoint: from the kernel, to the caller's fd ---- */

/*
 * All of @buf to the caller's fd: 0, or -1 with errno (ECANCELED once told
 * to stop).  It is also the encoder's ckpt_write_fn.
 */
static int write_out(void *arg, const void *buf, size_t len)
{
	struct ckpt_pump *p = arg;
	const unsigned char *b = buf;
	ssize_t n;
	int ready;

	while (len) {
		n = write(p->fd, b, len);
		if (n > 0) {
			b += n;
			len -= (size_t)n;
			atomic_fetch_add(&p->stream_bytes, (uint64_t)n);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			/* a non-blocking fd: this wait can be stopped */
			ready = wait_for(p, p->fd, POLLOUT);
			if (ready > 0)
				continue;
			if (ready == 0)
				errno = ECANCELED;
		} else if (n == 0) {
			errno = EIO;
		}
		p->write_errno = errno;
		return -1;
	}
	report_if_due(p);
	return 0;
}

static int output_failed(struct ckpt_pump *p)
{
	if (p->enc && !p->write_errno)
		return pump_fail(p, CKPT_ERR_GENERIC, "%s",
				 ckpt_lz4_encoder_error(p->enc));
	return pump_fail(p, CKPT_ERR_GENERIC, "writing the image failed: %s",
			 strerror(p->write_errno));
}

static void pump_out(struct ckpt_pump *p)
{
	int ready, failed;
	ssize_t n;

	for (;;) {
		ready = wait_for(p, p->pump_fd, POLLIN);
		if (ready < 0) {
			pump_fail(p, CKPT_ERR_GENERIC,
				  "waiting for the image failed: %s",
				  strerror(errno));
			return;
		}
		if (ready == 0)
			return;
		n = read(p->pump_fd, p->buf, PUMP_BUF_SIZE);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n < 0) {
			pump_fail(p, CKPT_ERR_GENERIC,
				  "reading the image from the kernel failed: %s",
				  strerror(errno));
			return;
		}
		if (n == 0)
			break;
		atomic_fetch_add(&p->image_bytes, (uint64_t)n);
		if (p->enc)
			failed = ckpt_lz4_encode(p->enc, p->buf, (size_t)n);
		else
			failed = write_out(p, p->buf, (size_t)n);
		if (failed) {
			output_failed(p);
			return;
		}
	}
	/*
	 * The kernel's end is closed.  After a failed checkpoint(2) the caller
	 * said stop first: the stream stays without its end, so that whoever
	 * reads it finds it truncated rather than complete.
	 */
	if (!atomic_load(&p->stopping) && p->enc &&
	    ckpt_lz4_encode_end(p->enc))
		output_failed(p);
}

/* ---- restart: from the caller's fd, to the kernel ---- */

/* Read from the caller's fd: the bytes read, 0 at its end, -1 to stop. */
static ssize_t read_in(struct ckpt_pump *p, unsigned char *buf, size_t size)
{
	ssize_t n;
	int ready;

	for (;;) {
		ready = wait_for(p, p->fd, POLLIN);
		if (ready < 0)
			return pump_fail(p, CKPT_ERR_GENERIC,
					 "waiting for the image failed: %s",
					 strerror(errno));
		if (ready == 0)
			return -1;
		n = read(p->fd, buf, size);
		if (n >= 0) {
			atomic_fetch_add(&p->stream_bytes, (uint64_t)n);
			return n;
		}
		if (errno != EINTR && errno != EAGAIN) {
			p->read_errno = errno;
			return pump_fail(p, CKPT_ERR_GENERIC,
					 "reading the image failed: %s",
					 strerror(errno));
		}
	}
}

/* All of @buf into the kernel's pipe: 0, or -1 to stop. */
static int write_kernel(struct ckpt_pump *p, const unsigned char *buf,
			size_t len)
{
	ssize_t n;
	int ready;

	while (len) {
		n = write(p->pump_fd, buf, len);
		if (n > 0) {
			buf += n;
			len -= (size_t)n;
			atomic_fetch_add(&p->image_bytes, (uint64_t)n);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			ready = wait_for(p, p->pump_fd, POLLOUT);
			if (ready > 0)
				continue;
			if (ready == 0)
				return -1;
		}
		/* EPIPE: the kernel's end is closed, it wants no more */
		if (n < 0 && errno == EPIPE)
			return -1;
		return pump_fail(p, CKPT_ERR_GENERIC,
				 "passing the image to the kernel failed: %s",
				 strerror(errno));
	}
	return 0;
}

/*
 * Pass on @len bytes of the caller's stream, decompressed if it is lz4.  A
 * full output buffer may leave more decoded in the decoder, which a round
 * with no input passes on: the kernel gets everything there is before the
 * pump waits for more input.
 */
static int feed(struct ckpt_pump *p, const unsigned char *in, size_t len)
{
	size_t off = 0, in_len, out_len;
	enum ckpt_status st;

	if (!p->dec)
		return write_kernel(p, in, len);
	do {
		in_len = len - off;
		out_len = PUMP_BUF_SIZE;
		st = ckpt_lz4_decode(p->dec, in + off, &in_len, p->out,
				     &out_len);
		if (st)
			return pump_fail(p, st, "%s",
					 ckpt_lz4_decoder_error(p->dec));
		off += in_len;
		if (out_len && write_kernel(p, p->out, out_len))
			return -1;
	} while (off < len || out_len == PUMP_BUF_SIZE);
	return 0;
}

static void pump_in(struct ckpt_pump *p)
{
	enum ckpt_status st;
	size_t got = 0;
	ssize_t n;

	/* the first 4 bytes tell an lz4 stream from an image */
	do {
		n = read_in(p, p->buf + got, PUMP_BUF_SIZE - got);
		if (n < 0)
			return;
		got += (size_t)n;
	} while (n > 0 && got < 4);
	if (ckpt_is_lz4(p->buf, got)) {
		p->dec = ckpt_lz4_decoder_new();
		if (!p->dec) {
			pump_fail(p, CKPT_ERR_GENERIC,
				  "cannot decompress the image: %s",
				  strerror(errno));
			return;
		}
		atomic_store(&p->lz4, true);
	}
	n = (ssize_t)got;
	while (n > 0) {
		if (feed(p, p->buf, (size_t)n))
			return;
		n = read_in(p, p->buf, PUMP_BUF_SIZE);
	}
	if (n < 0 || !p->dec)
		return;
	/* the end of the input: it must be the end of a frame */
	st = ckpt_lz4_decode_end(p->dec);
	if (st)
		pump_fail(p, st, "%s", ckpt_lz4_decoder_error(p->dec));
}

static void *pump_main(void *arg)
{
	struct ckpt_pump *p = arg;

	if (p->flags & CKPT_PUMP_WRITE)
		pump_out(p);
	else
		pump_in(p);
	/* the kernel sees the end: EOF when reading, EPIPE when writing */
	close(p->pump_fd);
	p->pump_fd = -1;
	eventfd_write(p->done_fd, 1);
	return NULL;
}

/* ---- The caller's side ---- */

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static void tell_stop(struct ckpt_pump *p)
{
	atomic_store(&p->stopping, true);
	eventfd_write(p->stop_fd, 1);
}

static bool valid_flags(unsigned int flags)
{
	if (flags & ~(CKPT_PUMP_WRITE | CKPT_PUMP_READ | CKPT_PUMP_LZ4))
		return false;
	if (flags & CKPT_PUMP_WRITE)
		return !(flags & CKPT_PUMP_READ);
	/* reading, lz4 is detected */
	return flags == CKPT_PUMP_READ;
}

/* The pipe, the eventfds and the buffers, ready for the thread. */
static int pump_setup(struct ckpt_pump *p)
{
	bool writing = p->flags & CKPT_PUMP_WRITE;
	int pipefd[2], fl;

	if (pipe2(pipefd, O_CLOEXEC))
		return -1;
	p->kernel_fd = writing ? pipefd[1] : pipefd[0];
	p->pump_fd = writing ? pipefd[0] : pipefd[1];
	fl = fcntl(p->pump_fd, F_GETFL);
	if (fl < 0 || fcntl(p->pump_fd, F_SETFL, fl | O_NONBLOCK))
		return -1;
	/* a larger pipe if allowed (pipe-max-size); the default works too */
	fcntl(p->kernel_fd, F_SETPIPE_SZ, PUMP_PIPE_SIZE);

	p->stop_fd = eventfd(0, EFD_CLOEXEC);
	p->done_fd = eventfd(0, EFD_CLOEXEC);
	if (p->stop_fd < 0 || p->done_fd < 0)
		return -1;
	p->buf = malloc(PUMP_BUF_SIZE);
	p->out = writing ? NULL : malloc(PUMP_BUF_SIZE);
	if (!p->buf || (!writing && !p->out))
		return -1;
	if (p->flags & CKPT_PUMP_LZ4) {
		p->enc = ckpt_lz4_encoder_new(write_out, p);
		if (!p->enc)
			return -1;
		atomic_store(&p->lz4, true);
	}
	return 0;
}

struct ckpt_pump *ckpt_pump_start(int fd, unsigned int flags,
				  ckpt_pump_progress_fn *progress, void *arg)
{
	struct ckpt_pump *p;
	sigset_t all, old;
	int err;

	if (!valid_flags(flags) || fd < 0) {
		errno = EINVAL;
		return NULL;
	}
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->flags = flags;
	p->fd = fd;
	p->kernel_fd = p->pump_fd = p->stop_fd = p->done_fd = -1;
	p->progress = progress;
	p->progress_arg = arg;
	p->start_ns = now_ns();
	p->next_report_ns = p->start_ns + REPORT_INTERVAL_NS;
	if (pump_setup(p))
		goto fail;

	/* the thread starts with every signal blocked: they are the caller's */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = pthread_create(&p->thread, NULL, pump_main, p);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err) {
		errno = err;
		goto fail;
	}
	p->running = true;
	return p;

fail:
	err = errno;
	ckpt_pump_free(p);
	errno = err;
	return NULL;
}

int ckpt_pump_fd(const struct ckpt_pump *p)
{
	return p->kernel_fd;
}

const char *ckpt_pump_error(const struct ckpt_pump *p)
{
	if (p->interrupted)
		return "interrupted";
	return p->running ? "" : p->error;
}

int ckpt_pump_errno(const struct ckpt_pump *p)
{
	if (p->running || !p->status)
		return 0;
	return p->flags & CKPT_PUMP_WRITE ? p->write_errno : p->read_errno;
}

/* Wait for the thread to end: true; false once *@stop is set. */
static bool wait_done(struct ckpt_pump *p, const volatile sig_atomic_t *stop)
{
	struct pollfd pfd = { .fd = p->done_fd, .events = POLLIN };
	int n;

	for (;;) {
		if (stop && *stop)
			return false;
		/* slices, as a signal may come just before poll() */
		n = poll(&pfd, 1, stop ? STOP_CHECK_MS : -1);
		if (n > 0 || (n < 0 && errno != EINTR))
			return true;	/* on a poll() error, just join */
	}
}

enum ckpt_status ckpt_pump_finish(struct ckpt_pump *p, int kernel_ok,
				  const volatile sig_atomic_t *stop)
{
	bool writing = p->flags & CKPT_PUMP_WRITE;
	struct ckpt_pump_stats st;
	uint64_t image_bytes;
	int left = 0;

	if (p->finished || p->interrupted)
		return p->interrupted ? CKPT_ERR_GENERIC : p->result;
	/* after a checkpoint(2) that succeeded, the pump writes the rest */
	if (!kernel_ok || !writing)
		tell_stop(p);
	if (writing)
		close_fd(&p->kernel_fd);
	if (!wait_done(p, stop)) {
		tell_stop(p);
		p->interrupted = true;
		errno = EINTR;
		return CKPT_ERR_GENERIC;
	}
	pthread_join(p->thread, NULL);
	p->running = false;
	p->finished = true;

	/* the kernel read the image: not what it left in the pipe */
	if (!writing) {
		image_bytes = atomic_load(&p->image_bytes);
		if (!ioctl(p->kernel_fd, FIONREAD, &left) && left > 0 &&
		    (uint64_t)left <= image_bytes)
			atomic_store(&p->image_bytes,
				     image_bytes - (uint64_t)left);
		close_fd(&p->kernel_fd);
	}
	if (p->progress) {
		get_stats(p, &st, true);
		p->progress(&st, p->progress_arg);
	}
	/* what the kernel did not want does not count */
	p->result = !writing && kernel_ok ? CKPT_OK : p->status;
	return p->result;
}

void ckpt_pump_free(struct ckpt_pump *p)
{
	if (!p)
		return;
	if (p->running) {
		tell_stop(p);
		close_fd(&p->kernel_fd);
		pthread_join(p->thread, NULL);
	}
	close_fd(&p->kernel_fd);
	close_fd(&p->pump_fd);
	close_fd(&p->stop_fd);
	close_fd(&p->done_fd);
	ckpt_lz4_encoder_free(p->enc);
	ckpt_lz4_decoder_free(p->dec);
	free(p->buf);
	free(p->out);
	free(p);
}
