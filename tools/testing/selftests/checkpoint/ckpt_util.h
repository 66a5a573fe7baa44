/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the checkpoint/restart selftests: the system calls, the
 * cgroup v2 freezer, CRC-32C, the reasons log, images built in userspace,
 * target processes, and children with fewer privileges.
 *
 * Everything here returns an error (0 or a negative errno, or -1) instead of
 * asserting, so that a fixture's setup can clean up after itself: the
 * harness does not run the teardown when the setup fails.
 */
#ifndef CKPT_UTIL_H
#define CKPT_UTIL_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/capability.h>
#include <linux/checkpoint.h>

/* The numbers of the ckpt kernel (6.12); newer kernels use them otherwise. */
#ifndef __NR_checkpoint
#define __NR_checkpoint 463
#endif
#ifndef __NR_restart
#define __NR_restart 464
#endif

#ifndef CAP_CHECKPOINT_RESTORE
#define CAP_CHECKPOINT_RESTORE 40
#endif

#define CKPT_NOBODY		65534
#define CKPT_FREEZE_TIMEOUT_MS	10000

static inline long sys_checkpoint(pid_t pid, int fd, unsigned int flags,
				  int logfd)
{
	return syscall(__NR_checkpoint, pid, fd, flags, logfd);
}

static inline long sys_restart(pid_t pid, int fd, unsigned int flags,
			       int logfd)
{
	return syscall(__NR_restart, pid, fd, flags, logfd);
}

/* ------------------------------------------------------------------ */
/* The image format                                                    */

/* What a successful checkpoint writes today: a header and a tail. */
struct ckpt_image {
	struct ckpt_hdr_header hdr;
	struct ckpt_hdr_tail tail;
};

#define CKPT_HDR_SIZE	((size_t)sizeof(struct ckpt_hdr_header))
#define CKPT_TAIL_SIZE	((size_t)sizeof(struct ckpt_hdr_tail))
#define CKPT_IMAGE_SIZE	((size_t)sizeof(struct ckpt_image))

_Static_assert(sizeof(struct ckpt_hdr) == 8, "ckpt_hdr");
_Static_assert(sizeof(struct ckpt_hdr_header) == 120, "ckpt_hdr_header");
_Static_assert(sizeof(struct ckpt_hdr_tail) == 40, "ckpt_hdr_tail");
_Static_assert(sizeof(struct ckpt_image) == 160, "ckpt_image");

/* Offsets of the fields that the tests corrupt, in the whole image. */
#define CKPT_OFF_HDR(f)		offsetof(struct ckpt_hdr_header, f)
#define CKPT_OFF_TAIL(f)	(CKPT_HDR_SIZE + offsetof(struct ckpt_hdr_tail, f))

static inline size_t ckpt_align(size_t len)
{
	return (len + CKPT_RECORD_ALIGN - 1) & ~(size_t)(CKPT_RECORD_ALIGN - 1);
}

/* ------------------------------------------------------------------ */
/* CRC-32C (Castagnoli, iSCSI): reflected 0x82F63B78, ~0 in, ~ out     */

/* The raw register update, without the inversions. */
static inline uint32_t crc32c_update(uint32_t reg, const void *data, size_t len)
{
	const uint8_t *p = data;

	while (len--) {
		reg ^= *p++;
		for (int bit = 0; bit < 8; bit++)
			reg = (reg >> 1) ^ (0x82F63B78U & (0U - (reg & 1)));
	}
	return reg;
}

static inline uint32_t crc32c(const void *data, size_t len)
{
	return ~crc32c_update(~0U, data, len);
}

/*
 * Write a tail record at @buf + @tail_off that covers the @tail_off bytes
 * before it, which hold @records records.
 */
static inline void ckpt_seal_at(void *buf, size_t tail_off, uint64_t records)
{
	struct ckpt_hdr_tail tail = {
		.h = { .type = CKPT_HDR_TAIL, .len = sizeof(tail) },
		.magic = CKPT_TAIL_MAGIC,
		.records = records,
		.bytes = tail_off,
		.crc32c = crc32c(buf, tail_off),
		.reserved = 0,
	};

	memcpy((uint8_t *)buf + tail_off, &tail, sizeof(tail));
}

/* Recompute the tail of a two-record image after the header was changed. */
static inline void ckpt_image_seal(struct ckpt_image *img)
{
	ckpt_seal_at(img, CKPT_HDR_SIZE, 1);
}

/*
 * The image that checkpoint(2) writes on this machine, built in userspace:
 * only @xfeatures (the kernel's user xsave features) and @time are not known
 * here.
 */
static inline void ckpt_image_build(struct ckpt_image *img, uint64_t xfeatures,
				    uint64_t time)
{
	struct utsname uts;

	memset(img, 0, sizeof(*img));
	img->hdr.h.type = CKPT_HDR_HEADER;
	img->hdr.h.len = sizeof(img->hdr);
	img->hdr.magic = CKPT_MAGIC;
	img->hdr.version = CKPT_FORMAT_VERSION;
	img->hdr.arch = CKPT_ARCH_X86_64;
	img->hdr.page_size = (uint32_t)sysconf(_SC_PAGESIZE);
	img->hdr.flags = 0;
	img->hdr.xfeatures = xfeatures;
	img->hdr.time = time;
	if (uname(&uts) == 0)
		strncpy(img->hdr.release, uts.release,
			sizeof(img->hdr.release) - 1);
	ckpt_image_seal(img);
}

/* Whether the tail of @img is consistent with its header. */
static inline bool ckpt_image_sealed(const struct ckpt_image *img)
{
	return img->tail.h.type == CKPT_HDR_TAIL &&
	       img->tail.h.len == CKPT_TAIL_SIZE &&
	       img->tail.magic == CKPT_TAIL_MAGIC &&
	       img->tail.records == 1 && img->tail.bytes == CKPT_HDR_SIZE &&
	       img->tail.crc32c == crc32c(&img->hdr, CKPT_HDR_SIZE) &&
	       img->tail.reserved == 0;
}

/*
 * Whether two images are the same but for the time of the checkpoint (and
 * so the checksum).
 */
static inline bool ckpt_image_same(const struct ckpt_image *a,
				   const struct ckpt_image *b)
{
	struct ckpt_image c = *b;

	c.hdr.time = a->hdr.time;
	ckpt_image_seal(&c);
	return memcmp(a, &c, sizeof(c)) == 0;
}

/* ------------------------------------------------------------------ */
/* File descriptors                                                    */

static inline int ckpt_write_all(int fd, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= n;
	}
	return 0;
}

/* Read until @len bytes or end of file; returns the count or -1. */
static inline ssize_t ckpt_read_all(int fd, void *buf, size_t len)
{
	uint8_t *p = buf;
	size_t done = 0;

	while (done < len) {
		ssize_t n = read(fd, p + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		done += n;
	}
	return done;
}

/* A memfd holding @len bytes of @data, at offset 0; -1 on error. */
static inline int ckpt_memfd(const void *data, size_t len)
{
	int fd = memfd_create("ckpt-selftest", MFD_CLOEXEC);

	if (fd < 0)
		return -1;
	if ((len && ckpt_write_all(fd, data, len)) ||
	    lseek(fd, 0, SEEK_SET) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Make @fd hold exactly @len bytes of @data, with the offset at 0. */
static inline int ckpt_refill(int fd, const void *data, size_t len)
{
	if (ftruncate(fd, 0) || lseek(fd, 0, SEEK_SET) != 0)
		return -1;
	if (len && ckpt_write_all(fd, data, len))
		return -1;
	return lseek(fd, 0, SEEK_SET) == 0 ? 0 : -1;
}

static inline off_t ckpt_offset(int fd)
{
	return lseek(fd, 0, SEEK_CUR);
}

static inline off_t ckpt_size(int fd)
{
	struct stat st;

	return fstat(fd, &st) ? -1 : st.st_size;
}

/* An fd number that is not open, far above what the tests use. */
static inline int ckpt_closed_fd(void)
{
	for (int fd = 900; fd < 1000; fd++)
		if (fcntl(fd, F_GETFD) < 0 && errno == EBADF)
			return fd;
	return 999;
}

/* ------------------------------------------------------------------ */
/* The reasons log                                                     */

/*
 * A pipe for the logfd: log[1] goes to the syscall, log[0] is read with
 * ckpt_log_read().  Only the read end is non-blocking, so that the kernel
 * never finds the pipe refusing a line.
 */
static inline int ckpt_log_pipe(int log[2])
{
	if (pipe2(log, O_CLOEXEC))
		return -1;
	if (fcntl(log[0], F_SETFL, O_NONBLOCK)) {
		close(log[0]);
		close(log[1]);
		return -1;
	}
	return 0;
}

/*
 * Read everything the log pipe (or socket) holds into @buf, NUL-terminated;
 * whatever does not fit is read and dropped.  Returns the length kept.
 */
static inline size_t ckpt_log_read(int fd, char *buf, size_t size)
{
	size_t len = 0;
	char drop[256];

	for (;;) {
		char *p = len + 1 < size ? buf + len : drop;
		size_t room = len + 1 < size ? size - 1 - len : sizeof(drop);
		ssize_t n = read(fd, p, room);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (p != drop)
			len += n;
	}
	if (size)
		buf[len] = '\0';
	return len;
}

/*
 * Whether @log is exactly one line, "<op>: <reason>\n", whose reason
 * contains @substr (if not NULL).  Returns NULL if so, or what is wrong.
 */
static inline const char *ckpt_log_problem(const char *log, const char *op,
					   const char *substr)
{
	size_t len = strlen(log), oplen = strlen(op);
	const char *nl;

	if (!len)
		return "the log is empty";
	if (strncmp(log, op, oplen) || strncmp(log + oplen, ": ", 2))
		return "the line does not start with \"<op>: \"";
	if (len == oplen + 3)
		return "the reason is empty";
	nl = strchr(log, '\n');
	if (!nl)
		return "the line does not end with a newline";
	if (nl != log + len - 1)
		return "more than one line, or text after the newline";
	if (substr && !strstr(log + oplen + 2, substr))
		return "the reason lacks the expected words";
	return NULL;
}

/* ------------------------------------------------------------------ */
/* cgroup v2                                                           */

/* CKPT_CGROUP_ROOT overrides /sys/fs/cgroup (for host runs of helpers). */
static inline const char *ckpt_cg_root(void)
{
	const char *root = getenv("CKPT_CGROUP_ROOT");

	return root && *root ? root : "/sys/fs/cgroup";
}

#define CKPT_CG_PREFIX "ckpt-selftest."

/* Create a cgroup with a unique name under the root; path is PATH_MAX. */
static inline int ckpt_cg_create(char *path, size_t size)
{
	static unsigned int seq;

	for (int tries = 0; tries < 100; tries++) {
		if (snprintf(path, size, "%s/" CKPT_CG_PREFIX "%d.%u",
			     ckpt_cg_root(), (int)getpid(), seq++) >= (int)size) {
			errno = ENAMETOOLONG;
			break;
		}
		if (mkdir(path, 0755) == 0)
			return 0;
		if (errno != EEXIST)
			break;
	}
	path[0] = '\0';
	return -errno;
}

/* A child cgroup @name of @parent, in @path. */
static inline int ckpt_cg_create_child(const char *parent, const char *name,
				       char *path, size_t size)
{
	int err;

	if (snprintf(path, size, "%s/%s", parent, name) >= (int)size)
		err = -ENAMETOOLONG;
	else if (mkdir(path, 0755) == 0)
		return 0;
	else
		err = -errno;
	path[0] = '\0';
	return err;
}

static inline int ckpt_cg_write(const char *cg, const char *file,
				const char *val)
{
	char path[PATH_MAX];
	ssize_t n;
	int fd, err = 0;

	if (snprintf(path, sizeof(path), "%s/%s", cg, file) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	if (n < 0)
		err = -errno;
	else if ((size_t)n != strlen(val))
		err = -EIO;
	close(fd);
	return err;
}

static inline int ckpt_cg_read(const char *cg, const char *file, char *buf,
			       size_t size)
{
	char path[PATH_MAX];
	ssize_t n;
	int fd;

	if (snprintf(path, sizeof(path), "%s/%s", cg, file) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = ckpt_read_all(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -EIO;
	buf[n] = '\0';
	return 0;
}

/* Move process @pid (all its threads) into @cg. */
static inline int ckpt_cg_move(const char *cg, pid_t pid)
{
	char val[32];

	snprintf(val, sizeof(val), "%d", (int)pid);
	return ckpt_cg_write(cg, "cgroup.procs", val);
}

/* Move the single thread @tid into @cg (a threaded cgroup). */
static inline int ckpt_cg_move_thread(const char *cg, pid_t tid)
{
	char val[32];

	snprintf(val, sizeof(val), "%d", (int)tid);
	return ckpt_cg_write(cg, "cgroup.threads", val);
}

static inline long ckpt_ms_since(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - start->tv_sec) * 1000 +
	       (now.tv_nsec - start->tv_nsec) / 1000000;
}

static inline void ckpt_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* Whether cgroup.events of @cg has the line @line ("frozen 1"). */
static inline bool ckpt_cg_event(const char *cg, const char *line)
{
	char buf[512], want[64];

	buf[0] = '\n';
	if (ckpt_cg_read(cg, "cgroup.events", buf + 1, sizeof(buf) - 1))
		return false;
	snprintf(want, sizeof(want), "\n%s\n", line);
	return strstr(buf, want) != NULL;
}

/* Poll cgroup.events until it has @line; -ETIMEDOUT after @timeout_ms. */
static inline int ckpt_cg_wait_event(const char *cg, const char *line,
				     long timeout_ms)
{
	struct timespec start;
	long delay = 1;

	clock_gettime(CLOCK_MONOTONIC, &start);
	while (!ckpt_cg_event(cg, line)) {
		if (ckpt_ms_since(&start) > timeout_ms)
			return -ETIMEDOUT;
		ckpt_sleep_ms(delay);
		if (delay < 20)
			delay *= 2;
	}
	return 0;
}

static inline int ckpt_cg_freeze(const char *cg)
{
	int err = ckpt_cg_write(cg, "cgroup.freeze", "1");

	return err ? err : ckpt_cg_wait_event(cg, "frozen 1",
					      CKPT_FREEZE_TIMEOUT_MS);
}

static inline int ckpt_cg_thaw(const char *cg)
{
	int err = ckpt_cg_write(cg, "cgroup.freeze", "0");

	return err ? err : ckpt_cg_wait_event(cg, "frozen 0",
					      CKPT_FREEZE_TIMEOUT_MS);
}

/* SIGKILL every pid listed in @cg/@file (cgroup.procs or cgroup.threads). */
static inline void ckpt_cg_kill_listed(const char *cg, const char *file)
{
	char buf[4096], *p, *end;

	if (ckpt_cg_read(cg, file, buf, sizeof(buf)))
		return;
	for (p = buf; *p; p = end) {
		long pid = strtol(p, &end, 10);

		if (end == p)
			break;
		if (pid > 0)
			kill((pid_t)pid, SIGKILL);
	}
}

/*
 * Remove @cg and everything under it: thaw it (so that nothing is left
 * frozen even if the removal fails), kill its tasks, wait until it is empty,
 * remove the child cgroups, then @cg itself.  Clears @cg on success.
 */
static inline int ckpt_cg_destroy(char *cg)
{
	struct timespec start;
	DIR *dir;
	int err = 0;

	if (!cg || !cg[0])
		return 0;
	ckpt_cg_write(cg, "cgroup.freeze", "0");
	if (ckpt_cg_write(cg, "cgroup.kill", "1")) {
		ckpt_cg_kill_listed(cg, "cgroup.procs");
		ckpt_cg_kill_listed(cg, "cgroup.threads");
	}

	dir = opendir(cg);
	if (dir) {
		struct dirent *de;

		while ((de = readdir(dir))) {
			char sub[PATH_MAX];

			if (de->d_type != DT_DIR || de->d_name[0] == '.')
				continue;
			if (snprintf(sub, sizeof(sub), "%s/%s", cg,
				     de->d_name) >= (int)sizeof(sub) ||
			    ckpt_cg_destroy(sub))
				err = -EBUSY;
		}
		closedir(dir);
	}

	ckpt_cg_wait_event(cg, "populated 0", CKPT_FREEZE_TIMEOUT_MS);
	clock_gettime(CLOCK_MONOTONIC, &start);
	while (rmdir(cg)) {
		if (errno == ENOENT)
			break;
		if (errno != EBUSY || ckpt_ms_since(&start) > 5000)
			return -errno;
		ckpt_cg_kill_listed(cg, "cgroup.procs");
		ckpt_sleep_ms(10);
	}
	if (!err)
		cg[0] = '\0';
	return err;
}

/*
 * The safety net: when the test program ends, remove any cgroup left by a
 * test process that died without its teardown (a crash or a timeout).
 */
static pid_t ckpt_main_pid;

__attribute__((constructor)) static void ckpt_note_main_pid(void)
{
	ckpt_main_pid = getpid();
}

__attribute__((destructor)) static void ckpt_sweep_cgroups(void)
{
	const char *root = ckpt_cg_root();
	struct dirent *de;
	DIR *dir;

	if (getpid() != ckpt_main_pid)
		return;
	dir = opendir(root);
	if (!dir)
		return;
	while ((de = readdir(dir))) {
		char path[PATH_MAX];
		int pid;
		unsigned int seq;

		if (sscanf(de->d_name, CKPT_CG_PREFIX "%d.%u", &pid, &seq) != 2)
			continue;
		if (pid <= 0 || pid == getpid() ||
		    kill(pid, 0) == 0 || errno != ESRCH)
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", root,
			     de->d_name) < (int)sizeof(path))
			ckpt_cg_destroy(path);
	}
	closedir(dir);
}

/* ------------------------------------------------------------------ */
/* Privileges                                                          */

enum ckpt_priv {
	CKPT_PRIV_NONE,	/* uid/gid 65534, no capabilities */
	CKPT_PRIV_CR,	/* uid/gid 65534, CAP_CHECKPOINT_RESTORE only */
};

static inline int ckpt_capget(struct __user_cap_data_struct data[2])
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
		.pid = 0,
	};

	memset(data, 0, 2 * sizeof(*data));
	return syscall(SYS_capget, &hdr, data);
}

static inline int ckpt_capset(const struct __user_cap_data_struct data[2])
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
		.pid = 0,
	};

	return syscall(SYS_capset, &hdr, data);
}

/*
 * Become uid/gid 65534 with no supplementary groups, and with no
 * capabilities or (CKPT_PRIV_CR) CAP_CHECKPOINT_RESTORE alone, effective
 * and permitted.  Checks the result; -1 if anything is not as asked.
 */
static inline int ckpt_drop_privileges(enum ckpt_priv priv)
{
	struct __user_cap_data_struct caps[2];
	const int cr_word = CAP_CHECKPOINT_RESTORE / 32;
	const uint32_t cr_bit = 1U << (CAP_CHECKPOINT_RESTORE % 32);
	uid_t r, e, s;

	if (priv == CKPT_PRIV_CR && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0))
		return -1;
	if (setgroups(0, NULL) ||
	    setresgid(CKPT_NOBODY, CKPT_NOBODY, CKPT_NOBODY) ||
	    setresuid(CKPT_NOBODY, CKPT_NOBODY, CKPT_NOBODY))
		return -1;
	memset(caps, 0, sizeof(caps));
	if (priv == CKPT_PRIV_CR) {
		caps[cr_word].effective = cr_bit;
		caps[cr_word].permitted = cr_bit;
	}
	if (ckpt_capset(caps))
		return -1;
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) &&
	    errno != EINVAL)
		return -1;

	/* Check what we got. */
	if (getresuid(&r, &e, &s) || r != CKPT_NOBODY || e != CKPT_NOBODY ||
	    s != CKPT_NOBODY || getegid() != CKPT_NOBODY ||
	    getgroups(0, NULL) != 0)
		return -1;
	if (ckpt_capget(caps))
		return -1;
	for (int i = 0; i < 2; i++) {
		uint32_t want = (priv == CKPT_PRIV_CR && i == cr_word) ? cr_bit : 0;

		if (caps[i].effective != want || caps[i].permitted != want ||
		    caps[i].inheritable != 0)
			return -1;
	}
	return 0;
}

enum ckpt_op { CKPT_OP_CHECKPOINT, CKPT_OP_RESTART };

/* Exit codes of the child of ckpt_call_as() that are not an errno. */
#define CKPT_CHILD_SETUP_FAILED	200
#define CKPT_CHILD_ODD_RETURN	201

/*
 * Call checkpoint(2) or restart(2) from a child with @priv privileges (the
 * fds are inherited).  Returns 0 if the call succeeded, its errno if it
 * failed, or a negative number if the child could not do the call:
 * -CKPT_CHILD_SETUP_FAILED (dropping privileges failed), -CKPT_CHILD_ODD_RETURN
 * (neither 0 nor -1), -1000 - signal (the child was killed).
 */
static inline int ckpt_call_as(enum ckpt_priv priv, enum ckpt_op op, pid_t pid,
			       int fd, unsigned int flags, int logfd)
{
	int status;
	pid_t child;

	fflush(stdout);
	fflush(stderr);
	child = fork();
	if (child < 0)
		return -errno;
	if (child == 0) {
		long ret;

		prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
		if (ckpt_drop_privileges(priv))
			_exit(CKPT_CHILD_SETUP_FAILED);
		ret = op == CKPT_OP_CHECKPOINT ?
		      sys_checkpoint(pid, fd, flags, logfd) :
		      sys_restart(pid, fd, flags, logfd);
		if (ret == 0)
			_exit(0);
		if (ret != -1 || errno <= 0 || errno >= CKPT_CHILD_SETUP_FAILED)
			_exit(CKPT_CHILD_ODD_RETURN);
		_exit(errno);
	}
	while (waitpid(child, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	if (WIFSIGNALED(status))
		return -1000 - WTERMSIG(status);
	if (WEXITSTATUS(status) >= CKPT_CHILD_SETUP_FAILED)
		return -WEXITSTATUS(status);
	return WEXITSTATUS(status);
}

/* ------------------------------------------------------------------ */
/* Targets: processes to checkpoint                                    */

#define CKPT_TARGET_KID		0x1	/* it forks a child that sleeps */
#define CKPT_TARGET_THREAD	0x2	/* it starts a second thread that sleeps */
#define CKPT_TARGET_NOBODY	0x4	/* it becomes uid/gid 65534 (after forking) */
#define CKPT_TARGET_ZOMBIE_KID	0x8	/* its child exits and is never reaped */

/*
 * A target is a child of the test process that answers pings: each byte
 * written to @cmd comes back on @reply, so a target that answers is alive
 * and running (not frozen, not stopped).
 */
struct ckpt_target {
	pid_t pid;	/* the target, a child of the caller */
	pid_t kid;	/* its child (KID, ZOMBIE_KID), or 0 */
	pid_t tid;	/* its second thread (THREAD), or 0 */
	int cmd;	/* write end: pings */
	int reply;	/* read end: pongs */
};

/* What a target says when it is ready. */
struct ckpt_target_hello {
	int ready;	/* 1: ready; 0: the setup failed at step @err */
	int err;
	pid_t kid;
	pid_t tid;
};

static pid_t ckpt_target_thread_tid;

static inline void *ckpt_target_thread(void *arg)
{
	(void)arg;
	__atomic_store_n(&ckpt_target_thread_tid, gettid(), __ATOMIC_SEQ_CST);
	for (;;)
		pause();
	return NULL;
}

/* Close every fd from 3 up, except @keep1 and @keep2. */
static inline void ckpt_close_fds_except(int keep1, int keep2)
{
	int lo = keep1 < keep2 ? keep1 : keep2;
	int hi = keep1 < keep2 ? keep2 : keep1;

	if (lo > 3)
		syscall(SYS_close_range, 3, lo - 1, 0);
	if (hi > lo + 1)
		syscall(SYS_close_range, lo + 1, hi - 1, 0);
	syscall(SYS_close_range, hi + 1, ~0U, 0);
}

static inline void ckpt_target_main(const char *cg, unsigned int opts,
				    int cmd, int reply, pid_t parent)
{
	struct ckpt_target_hello hello = { .ready = 1 };
	sigset_t all;

	ckpt_close_fds_except(cmd, reply);
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) || getppid() != parent)
		_exit(1);
	/* The test may play with SIGALRM, SIGPIPE, etc.: keep the defaults. */
	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	signal(SIGPIPE, SIG_DFL);

	if (cg && ckpt_cg_move(cg, getpid())) {
		hello.ready = 0;
		hello.err = 1;
		goto out;
	}
	if (opts & CKPT_TARGET_KID) {
		pid_t me = getpid(), kid = fork();

		if (kid == 0) {
			close(cmd);
			close(reply);
			if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) ||
			    getppid() != me)
				_exit(1);
			for (;;)
				pause();
		}
		if (kid < 0) {
			hello.ready = 0;
			hello.err = 2;
			goto out;
		}
		hello.kid = kid;
	}
	if (opts & CKPT_TARGET_ZOMBIE_KID) {
		siginfo_t si;
		pid_t kid = fork();

		if (kid == 0)
			_exit(0);
		/* Wait for it to die, but leave it a zombie. */
		if (kid < 0 || waitid(P_PID, kid, &si, WEXITED | WNOWAIT)) {
			hello.ready = 0;
			hello.err = 3;
			goto out;
		}
		hello.kid = kid;
	}
	if (opts & CKPT_TARGET_THREAD) {
		pthread_t thread;
		struct timespec start;

		if (pthread_create(&thread, NULL, ckpt_target_thread, NULL)) {
			hello.ready = 0;
			hello.err = 4;
			goto out;
		}
		clock_gettime(CLOCK_MONOTONIC, &start);
		while (!__atomic_load_n(&ckpt_target_thread_tid, __ATOMIC_SEQ_CST)) {
			if (ckpt_ms_since(&start) > 10000) {
				hello.ready = 0;
				hello.err = 5;
				goto out;
			}
			ckpt_sleep_ms(1);
		}
		hello.tid = ckpt_target_thread_tid;
	}
	if (opts & CKPT_TARGET_NOBODY) {
		if (setgroups(0, NULL) ||
		    setresgid(CKPT_NOBODY, CKPT_NOBODY, CKPT_NOBODY) ||
		    setresuid(CKPT_NOBODY, CKPT_NOBODY, CKPT_NOBODY) ||
		    /* a uid change makes the task non-dumpable: undo it */
		    prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) ||
		    /* and clears the parent-death signal */
		    prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) ||
		    getppid() != parent) {
			hello.ready = 0;
			hello.err = 6;
			goto out;
		}
	}
out:
	if (ckpt_write_all(reply, &hello, sizeof(hello)) || !hello.ready)
		_exit(1);
	for (;;) {
		char c;
		ssize_t n = read(cmd, &c, 1);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			_exit(0);
		if (ckpt_write_all(reply, &c, 1))
			_exit(0);
	}
}

/* Wait up to @timeout_ms for a byte on the target's reply pipe. */
static inline int ckpt_target_wait_reply(struct ckpt_target *t, int timeout_ms)
{
	struct pollfd pfd = { .fd = t->reply, .events = POLLIN };
	char c;
	int n;

	do {
		n = poll(&pfd, 1, timeout_ms);
	} while (n < 0 && errno == EINTR);
	if (n == 0)
		return -ETIMEDOUT;
	if (n < 0)
		return -errno;
	n = read(t->reply, &c, 1);
	return n == 1 ? 0 : -EPIPE;
}

/* 0 if the target answers a ping within @timeout_ms. */
static inline int ckpt_target_ping(struct ckpt_target *t, int timeout_ms)
{
	char c = 'p';

	if (ckpt_write_all(t->cmd, &c, 1))
		return -EPIPE;
	return ckpt_target_wait_reply(t, timeout_ms);
}

/* Whether the target is alive and not a zombie. */
static inline bool ckpt_target_alive(struct ckpt_target *t)
{
	int status;

	return t->pid > 0 && waitpid(t->pid, &status, WNOHANG) == 0;
}

/* Kill and reap the target and its child, and close the pipes. */
static inline void ckpt_target_kill(struct ckpt_target *t)
{
	if (t->kid > 0)
		kill(t->kid, SIGKILL);
	if (t->pid > 0) {
		kill(t->pid, SIGKILL);
		while (waitpid(t->pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	/* An orphan comes to us, the subreaper, once its parent is reaped. */
	if (t->kid > 0)
		while (waitpid(t->kid, NULL, 0) < 0 && errno == EINTR)
			;
	if (t->cmd >= 0)
		close(t->cmd);
	if (t->reply >= 0)
		close(t->reply);
	memset(t, 0, sizeof(*t));
	t->cmd = t->reply = -1;
}

static inline void ckpt_target_init(struct ckpt_target *t)
{
	memset(t, 0, sizeof(*t));
	t->cmd = t->reply = -1;
}

/*
 * Fork a target that moves itself into @cg (if not NULL), sets itself up as
 * @opts asks, then answers pings forever.  Returns 0 once it is ready.
 */
static inline int ckpt_target_spawn(struct ckpt_target *t, const char *cg,
				    unsigned int opts)
{
	struct ckpt_target_hello hello;
	struct pollfd pfd;
	int cmd[2], reply[2];
	pid_t parent = getpid(), pid;
	ssize_t n;

	ckpt_target_init(t);
	/* So that a target's orphaned child can be reaped here. */
	prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
	if (pipe2(cmd, O_CLOEXEC))
		return -errno;
	if (pipe2(reply, O_CLOEXEC)) {
		close(cmd[0]);
		close(cmd[1]);
		return -errno;
	}
	fflush(stdout);
	fflush(stderr);
	/*
	 * Not t->pid = fork(): @t may be in memory shared with the child (a
	 * fixture's data, with FIXTURE_TEARDOWN_PARENT), where the child's 0
	 * would overwrite the parent's pid.
	 */
	pid = fork();
	if (pid == 0)
		ckpt_target_main(cg, opts, cmd[0], reply[1], parent);
	close(cmd[0]);
	close(reply[1]);
	t->cmd = cmd[1];
	t->reply = reply[0];
	if (pid < 0) {
		ckpt_target_kill(t);
		return -EAGAIN;
	}
	t->pid = pid;

	pfd.fd = t->reply;
	pfd.events = POLLIN;
	if (poll(&pfd, 1, 10000) != 1)
		goto fail;
	n = ckpt_read_all(t->reply, &hello, sizeof(hello));
	if (n != sizeof(hello) || !hello.ready)
		goto fail;
	t->kid = hello.kid;
	t->tid = hello.tid;
	return 0;
fail:
	ckpt_target_kill(t);
	return -EIO;
}

/*
 * The simplest target: fork a child that moves itself into @cg, then sleeps
 * until killed.  Returns its pid once it is in @cg, or -1.  The caller kills
 * and reaps it.
 */
static inline pid_t ckpt_spawn_sleeper(const char *cg)
{
	pid_t parent = getpid(), pid;
	int ready[2];
	char c = 0;

	if (pipe2(ready, O_CLOEXEC))
		return -1;
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid == 0) {
		close(ready[0]);
		if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) ||
		    getppid() != parent || ckpt_cg_move(cg, getpid()))
			_exit(1);
		if (ckpt_write_all(ready[1], "r", 1))
			_exit(1);
		close(ready[1]);
		for (;;)
			pause();
	}
	close(ready[1]);
	if (pid > 0 && (ckpt_read_all(ready[0], &c, 1) != 1 || c != 'r')) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		pid = -1;
	}
	close(ready[0]);
	return pid;
}

/* A target in @cg, frozen. */
static inline int ckpt_target_spawn_frozen(struct ckpt_target *t,
					   const char *cg, unsigned int opts)
{
	int err = ckpt_target_spawn(t, cg, opts);

	if (!err)
		err = ckpt_cg_freeze(cg);
	if (err)
		ckpt_target_kill(t);
	return err;
}

/*
 * The state letter of task @pid in /proc (R, S, T, Z...), or 0.  @pid may
 * be a thread of another process: /proc/<tid> works too.
 */
static inline char ckpt_proc_state(pid_t pid)
{
	char path[64], buf[512], *p;
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : 0;
}

/*
 * A real image: checkpoint a frozen target of our own into @img.  Cleans up
 * everything it made.  Returns 0, or a negative errno with @why saying what
 * failed.
 */
static inline int ckpt_real_image(struct ckpt_image *img, const char **why)
{
	char cg[PATH_MAX];
	struct ckpt_target t;
	int fd, err;

	*why = "creating a cgroup";
	err = ckpt_cg_create(cg, sizeof(cg));
	if (err)
		return err;
	*why = "starting a frozen target";
	err = ckpt_target_spawn_frozen(&t, cg, 0);
	if (err)
		goto out_cg;
	*why = "memfd_create";
	fd = memfd_create("ckpt-selftest", MFD_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		goto out_target;
	}
	*why = "checkpoint(2)";
	if (sys_checkpoint(t.pid, fd, 0, -1)) {
		err = -errno;
		goto out_fd;
	}
	*why = "the image is not 160 bytes";
	err = -EMSGSIZE;
	if (ckpt_size(fd) != (off_t)CKPT_IMAGE_SIZE ||
	    pread(fd, img, sizeof(*img), 0) != (ssize_t)sizeof(*img))
		goto out_fd;
	*why = NULL;
	err = 0;
out_fd:
	close(fd);
out_target:
	ckpt_target_kill(&t);
out_cg:
	ckpt_cg_destroy(cg);
	return err;
}

/* A SIGALRM handler that only interrupts: guards against hangs. */
static inline void ckpt_alarm_handler(int sig)
{
	(void)sig;
}

/*
 * Send SIGALRM, handled without SA_RESTART, every @seconds from now on, to
 * interrupt a blocked call: the calls under test turn an interruption into
 * EINTR, so a hang becomes a failure.  It repeats in case the first signal
 * comes before the call has started to wait.
 */
static inline void ckpt_arm_alarm(unsigned int seconds)
{
	struct itimerval it = {
		.it_interval = { .tv_sec = seconds },
		.it_value = { .tv_sec = seconds },
	};
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = ckpt_alarm_handler;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
}

static inline void ckpt_disarm_alarm(void)
{
	struct itimerval it = { 0 };

	setitimer(ITIMER_REAL, &it, NULL);
}

#endif /* CKPT_UTIL_H */
