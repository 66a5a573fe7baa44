// SPDX-License-Identifier: GPL-2.0
/*
 * fakesys: checkpoint(2) and restart(2) for the native tests of the ckpt
 * command.  Linked into tests/ckpt-fake with the command's own objects, they
 * take the place of lib/syscall.o (on the host, 463 and 464 may be other
 * system calls), and treat the image stream as the kernel does:
 *
 * checkpoint: ESRCH without the process, EBUSY unless its cgroup is frozen
 *     (as in containertest), then writes the image: the file
 *     $CKPT_FAKE_IMAGE, or a minimal valid one.  $CKPT_FAKE_FAIL=ERRNO:BYTES
 *     (EIO, ENOSPC or EINTR) fails with ERRNO once BYTES bytes are written.
 * restart: reads the image from the fd in order and no further than its
 *     tail, as the kernel reads a stream, and checks it with libckpt's
 *     reader, the records as the kernel checks them (CKPT_READ_CHECK), but
 *     every record type accepted (as a kernel that restores more would);
 *     fails with the errno the kernel gives each kind of problem (a read
 *     error's own errno, ECONNRESET say), and its reason on the logfd.
 *     With RESTART_INTO_CGROUP, @pid must be an fd of a directory.  A
 *     valid image is then refused with EOPNOTSUPP, as restoring is not
 *     faked, unless $CKPT_FAKE_RESTORE is set: then a process that only
 *     waits for signals stands for the restored init, created in the
 *     cgroup (frozen in a frozen one, as the kernel does), and its pid is
 *     returned.  $CKPT_FAKE_RESTART_SLEEP=SECONDS: restoring takes that
 *     long, after the image was read (for a sender that goes away
 *     meanwhile).
 *
 * Each appends a line such as "restart: fd 0 is a pipe" to $CKPT_FAKE_LOG
 * if it is set, so that a test can tell whether ckpt handed over its own fd
 * (stdin is 0) or a pump's pipe; restart adds the tail of a valid image
 * ("restart: image of 160 bytes, 1 records, crc32c 0x...").
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <limits.h>
#include <linux/sched.h>	/* struct clone_args, CLONE_INTO_CGROUP */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../lib/ckpt.h"
#include "../lib/internal.h"

__attribute__((format(printf, 1, 2)))
static void log_line(const char *fmt, ...)
{
	const char *path = getenv("CKPT_FAKE_LOG");
	va_list ap;
	FILE *log;

	if (!path)
		return;
	log = fopen(path, "ae");
	if (!log)
		return;
	va_start(ap, fmt);
	vfprintf(log, fmt, ap);
	va_end(ap);
	fputc('\n', log);
	fclose(log);
}

static void log_fd_kind(const char *op, int fd)
{
	const char *path = getenv("CKPT_FAKE_LOG"), *kind = "something else";
	struct stat st;
	FILE *log;

	if (!path)
		return;
	if (!fstat(fd, &st)) {
		if (S_ISREG(st.st_mode))
			kind = "a regular file";
		else if (S_ISFIFO(st.st_mode))
			kind = "a pipe";
		else if (S_ISSOCK(st.st_mode))
			kind = "a socket";
	}
	log = fopen(path, "ae");
	if (log) {
		fprintf(log, "%s: fd %d is %s\n", op, fd, kind);
		fclose(log);
	}
}

/* Note in $CKPT_FAKE_LOG that a flag of the call is set. */
static void log_flag(const char *op, unsigned int set, const char *what)
{
	const char *path = getenv("CKPT_FAKE_LOG");
	FILE *log;

	if (!path || !set)
		return;
	log = fopen(path, "ae");
	if (log) {
		fprintf(log, "%s: %s\n", op, what);
		fclose(log);
	}
}

/*
 * As the kernel writes: a signal ends it with EINTR.  The kernel sees the
 * signal pending at its next write if one was cut short; here, its handler
 * has run by then, so the writes are of PIPE_BUF at most, which a pipe takes
 * whole or not at all: a signal always finds one waiting, and ends it.
 */
static int write_all(int fd, const void *buf, size_t len)
{
	const unsigned char *p = buf;
	ssize_t n;

	while (len) {
		n = write(fd, p, len < PIPE_BUF ? len : PIPE_BUF);
		if (n == 0)
			errno = EIO;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* The smallest valid image: a header, the namespaces record (format
 * version 4: none of the container's own), and a tail. */
static size_t minimal_image(unsigned char *buf)
{
	struct ckpt_hdr_header hdr = {
		.h = { CKPT_HDR_HEADER, sizeof(hdr) },
		.magic = CKPT_MAGIC,
		.version = CKPT_FORMAT_VERSION,
		.arch = CKPT_ARCH_X86_64,
		.page_size = 4096,
		.time = 1700000000,
	};
	struct ckpt_hdr_namespaces ns = {
		.h = { CKPT_HDR_NAMESPACES, sizeof(ns) },
	};
	struct ckpt_hdr_tail tail = {
		.h = { CKPT_HDR_TAIL, sizeof(tail) },
		.magic = CKPT_TAIL_MAGIC,
		.records = 2,
		.bytes = sizeof(hdr) + sizeof(ns),
	};

	strcpy(hdr.release, "6.12.0-fake");
	memcpy(buf, &hdr, sizeof(hdr));
	memcpy(buf + sizeof(hdr), &ns, sizeof(ns));
	tail.crc32c = ckpt_crc32c(0, buf, sizeof(hdr) + sizeof(ns));
	memcpy(buf + sizeof(hdr) + sizeof(ns), &tail, sizeof(tail));
	return sizeof(hdr) + sizeof(ns) + sizeof(tail);
}

/* $CKPT_FAKE_FAIL: the errno and after how many bytes; 0 if unset. */
static int planned_failure(unsigned long long *after)
{
	const char *plan = getenv("CKPT_FAKE_FAIL");
	char name[16];

	*after = 0;
	if (!plan || sscanf(plan, "%15[A-Z]:%llu", name, after) != 2)
		return 0;
	if (!strcmp(name, "EIO"))
		return EIO;
	if (!strcmp(name, "ENOSPC"))
		return ENOSPC;
	if (!strcmp(name, "EINTR"))
		return EINTR;
	return 0;
}

/* The image to fd, as checkpoint(2) writes it: 0, or -1 with errno. */
static int write_image(int fd, int logfd)
{
	static unsigned char buf[64 * 1024];
	const char *path = getenv("CKPT_FAKE_IMAGE");
	unsigned long long after, done = 0;
	int fail = planned_failure(&after), in = -1, err;
	ssize_t n;

	if (path) {
		in = open(path, O_RDONLY | O_CLOEXEC);
		if (in < 0)
			return -1;
		n = read(in, buf, sizeof(buf));
	} else {
		n = (ssize_t)minimal_image(buf);
	}
	while (n > 0) {
		if (fail && done + (unsigned long long)n > after)
			n = (ssize_t)(after - done);
		if (write_all(fd, buf, (size_t)n))
			goto out;
		done += (unsigned long long)n;
		if (fail && done >= after) {
			errno = fail;
			goto out;
		}
		n = in >= 0 ? read(in, buf, sizeof(buf)) : 0;
	}
	if (n == 0) {
		if (in >= 0)
			close(in);
		return 0;
	}
out:
	err = errno;
	dprintf(logfd, "checkpoint: writing the image failed (error %d)\n",
		-err);
	if (in >= 0)
		close(in);
	errno = err;
	return -1;
}

int ckpt_checkpoint(pid_t pid, int fd, unsigned int flags, int logfd)
{
	char cgroup[PATH_MAX], events[256];

	log_fd_kind("checkpoint", fd);
	log_flag("checkpoint", flags & CHECKPOINT_EXTERNAL,
		 "external files saved (CHECKPOINT_EXTERNAL)");
	if (ckpt_cgroup_of_pid(pid, cgroup, sizeof(cgroup))) {
		dprintf(logfd, "checkpoint: no such process: %d\n", (int)pid);
		errno = ESRCH;
		return -1;
	}
	if (ckpt_read_text(cgroup, "cgroup.events", events,
			   sizeof(events)) < 0 ||
	    !strstr(events, "frozen 1")) {
		dprintf(logfd, "checkpoint: task %d: not frozen\n", (int)pid);
		errno = EBUSY;
		return -1;
	}
	return write_image(fd, logfd);
}

/* The errno restart(2) gives each kind of problem (sys.c, image.c). */
static int restart_errno(enum ckpt_status st)
{
	switch (st) {
	case CKPT_ERR_NOT_IMAGE:
		return EINVAL;
	case CKPT_ERR_TRUNCATED:
		return ENODATA;
	case CKPT_ERR_CORRUPT:
		return EBADMSG;
	case CKPT_ERR_VERSION:
		return EPROTO;
	case CKPT_ERR_ARCH:
		return ENOEXEC;
	default:
		return EIO;
	}
}

/*
 * The restored init, as far as it is faked: a child that holds nothing of
 * ours (no fds: not the image's connection, say) and waits for signals, in
 * the cgroup @cgroup_fd (or ours, for -1) from its start.  Its pid, or -1.
 */
static long fake_restored_init(int cgroup_fd)
{
	struct clone_args args;
	long pid;

	memset(&args, 0, sizeof(args));
	args.exit_signal = SIGCHLD;
	if (cgroup_fd >= 0) {
		args.flags = CLONE_INTO_CGROUP;
		args.cgroup = (uint64_t)cgroup_fd;
	}
	pid = syscall(SYS_clone3, &args, sizeof(args));
	if (pid == 0) {
		/* a copy of a threaded process: system calls only */
		syscall(SYS_close_range, 0, ~0U, 0);
		prctl(PR_SET_NAME, "fake-restored");
		for (;;)
			pause();
	}
	return pid;
}

int ckpt_restart(pid_t pid, int fd, unsigned int flags, int logfd)
{
	const char *restore = getenv("CKPT_FAKE_RESTORE");
	const char *slow = getenv("CKPT_FAKE_RESTART_SLEEP");
	const struct ckpt_hdr_tail *tail;
	struct ckpt_reader *r = NULL;
	int copy, err = 0, read_err;
	struct ckpt_record rec;
	enum ckpt_status st;
	struct stat cg;
	long restored;
	FILE *in;

	log_fd_kind("restart", fd);
	log_flag("restart", flags & RESTART_EXTERNAL_NULL,
		 "external files are /dev/null (RESTART_EXTERNAL_NULL)");
	if (flags & ~RESTART_FLAGS_ALL ||
	    (!(flags & RESTART_INTO_CGROUP) && pid != 0)) {
		errno = EINVAL;
		return -1;
	}
	if (flags & RESTART_INTO_CGROUP &&
	    (fstat(pid, &cg) || !S_ISDIR(cg.st_mode))) {
		errno = EBADF;
		return -1;
	}
	/*
	 * Unbuffered, a FILE reads exactly what the reader asks for: no byte
	 * past the tail, as the kernel reads a stream.
	 */
	copy = dup(fd);
	in = copy >= 0 ? fdopen(copy, "rb") : NULL;
	if (!in || setvbuf(in, NULL, _IONBF, 0))
		return -1;
	r = ckpt_reader_from_file(in, CKPT_READ_CHECK);
	if (!r) {
		fclose(in);
		return -1;
	}
	errno = 0;
	do
		st = ckpt_read_record(r, &rec);
	while (!st && rec.hdr.type != CKPT_HDR_TAIL);
	read_err = errno;
	restored = 0;
	if (st == CKPT_ERR_GENERIC && read_err && read_err != ENOMEM) {
		/* as the kernel says it, with the read's own errno */
		dprintf(logfd, "restart: reading the image failed (error %d)\n",
			-read_err);
		err = read_err;
	} else if (st) {
		dprintf(logfd, "restart: %s\n", ckpt_reader_error(r));
		err = restart_errno(st);
	} else {
		tail = ckpt_reader_tail(r);
		log_line("restart: image of %llu bytes, %llu records, crc32c 0x%08x",
			 (unsigned long long)tail->bytes + sizeof(*tail),
			 (unsigned long long)tail->records,
			 (unsigned int)tail->crc32c);
		if (flags & RESTART_DRY_RUN) {
			/* nothing to restore */
		} else if (!restore) {
			dprintf(logfd, "restart: the image is valid, but restoring tasks is not supported by this kernel yet\n");
			err = EOPNOTSUPP;
		} else {
			if (slow)
				sleep((unsigned int)atoi(slow));
			restored = fake_restored_init(flags & RESTART_INTO_CGROUP ?
						      pid : -1);
			if (restored < 0)
				err = errno;
		}
	}
	ckpt_reader_free(r);
	fclose(in);
	errno = err;
	return err ? -1 : (int)restored;
}
