// SPDX-License-Identifier: GPL-2.0
/*
 * restart(2) for real: a container's init (the first process of a new pid
 * namespace) that computes with its FPU registers and its memory is
 * frozen, checkpointed, killed, and restarted; it must come back as pid 1
 * of a new pid namespace, with the same memory map (and the rest of its
 * state: no fds, its working directory), and go on computing from where it
 * was.  A restart that fails, whenever it fails, leaves no task behind.
 * Its image is of format version 4: one task, pid 1, in the process group
 * and session outside its pid namespace (0), where restart puts it again:
 * in its caller's.  (state_test.c takes each kind of state through the
 * same cycle, tree_test.c whole trees of processes.)
 *
 * The target is a fork of this (static, non-PIE) program, so the addresses
 * of its globals are ours: the test reads them in the restored task with
 * process_vm_readv().
 */
#define _GNU_SOURCE
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wclobbered"
#include "kselftest_harness.h"

#include <sched.h>
#include <sys/uio.h>

#include "ckpt_util.h"

/* What the target computes: a count, and a value that lives in an xmm
 * register of its loop and is published now and then. */
static volatile unsigned long target_count;
static volatile double target_value;

/*
 * Memory whose contents restart must bring back: pages of a pattern (in
 * .bss, anonymous memory), one page left untouched and one zeroed after it
 * was written (neither is in the image, both must read as zeros), and a
 * variable of .data changed from its value in the file (a private file
 * page that the target wrote).
 */
#define PATTERN_PAGES	40
static uint8_t target_pages[PATTERN_PAGES][4096] __attribute__((aligned(4096)));
static volatile int target_data = 42;

static uint8_t pattern_byte(size_t page, size_t i)
{
	if (page == 7 || page == 8)	/* untouched; zeroed */
		return 0;
	return (uint8_t)(i * 7 + page * 13 + 1);
}

static void __attribute__((noreturn)) target_loop(void)
{
	double x = 1.0;

	for (size_t p = 0; p < PATTERN_PAGES; p++) {
		if (p == 7)
			continue;
		for (size_t i = 0; i < sizeof(target_pages[p]); i++)
			target_pages[p][i] = p == 8 ? 0xee : pattern_byte(p, i);
	}
	/* Not memset(): the loop below never reads the pages, so the
	 * compiler may drop a plain store as dead. */
	explicit_bzero(target_pages[8], sizeof(target_pages[8]));
	target_data = 4242;

	for (;;) {
		x = x * 1.0000001 + 1.0;
		if ((++target_count & 0xfff) == 0)
			target_value = x;
	}
}

/* The first process of a new pid namespace, in cgroup @cg, computing. */
static pid_t spawn_init_target(const char *cg)
{
	pid_t pid = syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, 0, 0, 0, 0);

	if (pid)
		return pid;
	/* "0" moves the writer itself: our pid here is 1. */
	if (ckpt_cg_write(cg, "cgroup.procs", "0") || ckpt_unmap_shared())
		_exit(1);
	ckpt_close_fds_except(-1, -1);
	target_loop();
}

static int peek(pid_t pid, volatile void *addr, void *buf, size_t len)
{
	struct iovec local = { .iov_base = buf, .iov_len = len };
	struct iovec remote = { .iov_base = (void *)addr, .iov_len = len };

	return process_vm_readv(pid, &local, 1, &remote, 1, 0) == (ssize_t)len ?
	       0 : -1;
}

/* Wait until @pid's count passes @above; its count, or 0 on a timeout. */
static unsigned long count_above(pid_t pid, unsigned long above)
{
	struct timespec start;
	unsigned long n = 0;

	clock_gettime(CLOCK_MONOTONIC, &start);
	while (ckpt_ms_since(&start) < 20000) {
		if (!peek(pid, &target_count, &n, sizeof(n)) && n > above)
			return n;
		ckpt_sleep_ms(20);
	}
	return 0;
}

/* What /proc/@pid/@name (a link) points to. */
static int proc_link(pid_t pid, const char *name, char out[PATH_MAX])
{
	char path[64];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, name);
	n = readlink(path, out, PATH_MAX - 1);
	if (n < 0)
		return -1;
	out[n] = '\0';
	return 0;
}

/* The number of fds of @pid (/proc/@pid/fd), or -1. */
static int nr_fds(pid_t pid)
{
	char path[64];
	struct dirent *de;
	DIR *dir;
	int n = 0;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	dir = opendir(path);
	if (!dir)
		return -1;
	while ((de = readdir(dir)))
		n += de->d_name[0] != '.';
	closedir(dir);
	return n;
}

/* The second field of NSpid in /proc/@pid/status: its pid inside. */
static long inner_pid(pid_t pid)
{
	char path[64], buf[4096], *p;
	long outer, inner;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if (ckpt_read_file(path, buf, sizeof(buf)) <= 0)
		return -1;
	p = strstr(buf, "NSpid:");
	if (!p || sscanf(p, "NSpid: %ld %ld", &outer, &inner) != 2)
		return -1;
	return inner;
}

/*
 * /proc/@pid/maps, with neighbouring areas of the same file, protection and
 * contiguous offsets joined: restart maps an area and its neighbour in one
 * piece where only their history had split them (a RELRO segment that was
 * written before mprotect(), say).  The memory is the same.
 */
static int read_maps(pid_t pid, char *buf, size_t size)
{
	unsigned long long start, end, off, pstart = 0, pend = 0, poff = 0;
	char path[64], line[512], perm[8], ppath[256] = "", pperm[8] = "";
	char file[256];
	size_t used = 0;
	bool have = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	buf[0] = '\0';
	for (;;) {
		bool more = fgets(line, sizeof(line), f);

		file[0] = '\0';
		if (more && sscanf(line, "%llx-%llx %7s %llx %*s %*s %255s",
				   &start, &end, perm, &off, file) < 4) {
			fclose(f);
			return -1;
		}
		if (more && have && start == pend && !strcmp(perm, pperm) &&
		    file[0] == '/' && !strcmp(file, ppath) &&
		    off == poff + (pend - pstart)) {
			pend = end;
			continue;
		}
		if (have)
			used += snprintf(buf + used, size - used,
					 "%llx-%llx %s %llx %s\n", pstart,
					 pend, pperm, poff, ppath);
		if (!more || used >= size)
			break;
		pstart = start;
		pend = end;
		poff = off;
		snprintf(pperm, sizeof(pperm), "%s", perm);
		snprintf(ppath, sizeof(ppath), "%s", file);
		have = true;
	}
	fclose(f);
	return used < size ? 0 : -1;
}

#define MAX_RESTORED	4

FIXTURE(rst) {
	char cg[PATH_MAX];
	pid_t target;
	pid_t restored[MAX_RESTORED];
	int nr_restored;
	int img;
	int log[2];
	char logbuf[4096];
	char maps[16384];
	char cwd[PATH_MAX];	/* of the frozen original */
	unsigned long count;
	double value;
	size_t img_len;
};

FIXTURE_SETUP(rst)
{
	memset(self->restored, 0, sizeof(self->restored));
	self->nr_restored = 0;
	ASSERT_EQ(0, ckpt_cg_create(self->cg, sizeof(self->cg)));
	ASSERT_EQ(0, ckpt_log_pipe(self->log));
	self->img = memfd_create("image", MFD_CLOEXEC);
	ASSERT_LE(0, self->img);

	self->target = spawn_init_target(self->cg);
	ASSERT_LT(0, self->target);
	ASSERT_NE(0UL, count_above(self->target, 0x10000));

	/* Frozen, its state is still: what restart must bring back. */
	ASSERT_EQ(0, ckpt_cg_freeze(self->cg));
	ASSERT_EQ(0, read_maps(self->target, self->maps, sizeof(self->maps)));
	ASSERT_EQ(0, proc_link(self->target, "cwd", self->cwd));
	ASSERT_EQ(0, peek(self->target, &target_count, &self->count,
			  sizeof(self->count)));
	ASSERT_EQ(0, peek(self->target, &target_value, &self->value,
			  sizeof(self->value)));

	ASSERT_EQ(0, sys_checkpoint(self->target, self->img, 0, self->log[1])) {
		TH_LOG("checkpoint: %s; log: \"%s\"", strerror(errno),
		       ckpt_log_read(self->log[0], self->logbuf,
				     sizeof(self->logbuf)) ? self->logbuf : "");
	}
	self->img_len = ckpt_size(self->img);
	{
		struct ckpt_model m;
		uint8_t *buf;
		size_t len;

		ASSERT_EQ(0, ckpt_read_image_at(self->img, 0, &buf, &len));
		ASSERT_EQ(0, ckpt_model_build(&m, buf, len)) {
			TH_LOG("the image breaks the format: %s", m.why);
		}
		ASSERT_EQ(1U, m.nr_tasks);
		ASSERT_EQ(1, m.tasks[0].rec->pid);
		ASSERT_EQ(0, m.tasks[0].rec->pgid);
		ASSERT_EQ(0, m.tasks[0].rec->sid);
		ASSERT_EQ(0U, m.tasks[0].rec->flags);
		ASSERT_TRUE(m.tasks[0].mm_follows);
		ckpt_model_free(&m);
		free(buf);
	}

	/* The original is gone for good. */
	kill(self->target, SIGKILL);
	ASSERT_EQ(self->target, waitpid(self->target, NULL, 0));
	self->target = 0;
	ASSERT_EQ(0, ckpt_cg_thaw(self->cg));
}

FIXTURE_TEARDOWN_PARENT(rst)
{
	for (int i = 0; i < MAX_RESTORED; i++)
		if (self->restored[i] > 0)
			kill(self->restored[i], SIGKILL);
	if (self->target > 0)
		kill(self->target, SIGKILL);
	ckpt_cg_destroy(self->cg);
}

/* restart(2) from @fd; the pid of the restored init, or -errno. */
static long restart_from(FIXTURE_DATA(rst) *self, int fd)
{
	long pid = sys_restart(0, fd, 0, self->log[1]);

	if (pid < 0)
		return -errno;
	if (self->nr_restored < MAX_RESTORED)
		self->restored[self->nr_restored++] = pid;
	return pid;
}

static void reap(FIXTURE_DATA(rst) *self, pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	for (int i = 0; i < MAX_RESTORED; i++)
		if (self->restored[i] == pid)
			self->restored[i] = 0;
}

/* Restarted, it is pid 1 again, with the same memory, and computes on. */
TEST_F(rst, restored_init_computes_on)
{
	char maps[sizeof(self->maps)];
	long long stat[64];
	unsigned long count;
	double value = 0;
	int data = 0;
	long pid;

	ASSERT_EQ(0, lseek(self->img, 0, SEEK_SET));
	pid = restart_from(self, self->img);
	ASSERT_LT(0, pid) {
		TH_LOG("restart: %s; log: \"%s\"", strerror(-pid),
		       ckpt_log_read(self->log[0], self->logbuf,
				     sizeof(self->logbuf)) ? self->logbuf : "");
	}
	ASSERT_EQ((off_t)self->img_len, ckpt_offset(self->img));
	ASSERT_EQ(1, inner_pid(pid));
	/* In the process group and session of its caller (0 in the image). */
	ASSERT_LE(6, ckpt_proc_stat(pid, stat));
	ASSERT_EQ(getpgrp(), stat[5]);
	ASSERT_EQ(getsid(0), stat[6]);
	ASSERT_EQ(getpid(), stat[4]);

	/* The same memory map, taken before it ran a single instruction. */
	ASSERT_EQ(0, read_maps(pid, maps, sizeof(maps)));
	ASSERT_STREQ(self->maps, maps);
	/* It had closed every fd; its working directory is its own. */
	ASSERT_EQ(0, nr_fds(pid));
	ASSERT_EQ(0, proc_link(pid, "cwd", maps));
	ASSERT_STREQ(self->cwd, maps);

	/* Its memory, page by page. */
	ASSERT_EQ(0, peek(pid, &target_data, &data, sizeof(data)));
	ASSERT_EQ(4242, data);
	for (size_t p = 0; p < PATTERN_PAGES; p++) {
		static uint8_t page[4096];
		size_t bad = 0;

		ASSERT_EQ(0, peek(pid, target_pages[p], page, sizeof(page)));
		while (bad < sizeof(page) && page[bad] == pattern_byte(p, bad))
			bad++;
		ASSERT_EQ(sizeof(page), bad) {
			TH_LOG("page %zu at %p differs at byte %zu: 0x%02x, not 0x%02x", p, (void *)target_pages[p], bad, page[bad], pattern_byte(p, bad));
		}
	}

	/* It counts on from where it was, with its FPU value intact. */
	count = count_above(pid, self->count + 0x10000);
	ASSERT_NE(0UL, count);
	ASSERT_EQ(0, peek(pid, &target_value, &value, sizeof(value)));
	ASSERT_LE(self->value, value);
	ASSERT_GT(self->value * 4 + 1e9, value);
	reap(self, pid);
}

/* The same image twice, one after the other: two equal containers. */
TEST_F(rst, same_image_twice)
{
	for (int i = 0; i < 2; i++) {
		long pid;

		ASSERT_EQ(0, lseek(self->img, 0, SEEK_SET));
		pid = restart_from(self, self->img);
		ASSERT_LT(0, pid);
		ASSERT_EQ(1, inner_pid(pid));
		ASSERT_NE(0UL, count_above(pid, self->count));
		reap(self, pid);
	}
}

struct feeder {
	int fd;
	const uint8_t *buf;
	size_t len;
};

static void *feed(void *arg)
{
	struct feeder *f = arg;

	ckpt_write_all(f->fd, f->buf, f->len);
	close(f->fd);
	return NULL;
}

/* Through a pipe, as from another host. */
TEST_F(rst, from_a_pipe)
{
	struct feeder f;
	pthread_t thread;
	uint8_t *buf;
	size_t len;
	int p[2];
	long pid;

	ASSERT_EQ(0, ckpt_read_image_at(self->img, 0, &buf, &len));
	ASSERT_EQ(0, pipe2(p, O_CLOEXEC));
	f = (struct feeder){ .fd = p[1], .buf = buf, .len = len };
	ASSERT_EQ(0, pthread_create(&thread, NULL, feed, &f));
	pid = restart_from(self, p[0]);
	pthread_join(thread, NULL);
	close(p[0]);
	free(buf);
	ASSERT_LT(0, pid);
	ASSERT_NE(0UL, count_above(pid, self->count));
	reap(self, pid);
}

/* Count the processes the system has. */
static int nr_processes(void)
{
	DIR *dir = opendir("/proc");
	struct dirent *de;
	int n = 0;

	if (!dir)
		return -1;
	while ((de = readdir(dir)))
		if (de->d_name[0] >= '1' && de->d_name[0] <= '9')
			n++;
	closedir(dir);
	return n;
}

/*
 * Damaged after the memory was built (the checksum), or cut short: the
 * restored task is killed before it ever runs, and reaped.
 */
TEST_F(rst, failure_leaves_nothing)
{
	size_t cuts[] = { self->img_len - 1, self->img_len - 41,
			  self->img_len / 2, 200 };
	uint8_t *buf;
	size_t len;
	int before, fd;

	ASSERT_EQ(0, ckpt_read_image_at(self->img, 0, &buf, &len));
	before = nr_processes();

	/* The tail's crc32c: refused at the very end. */
	buf[len - 8 - 1] ^= 0xff;
	fd = ckpt_memfd(buf, len);
	ASSERT_LE(0, fd);
	ASSERT_EQ(-EBADMSG, restart_from(self, fd));
	close(fd);
	buf[len - 8 - 1] ^= 0xff;

	for (size_t i = 0; i < ARRAY_SIZE(cuts); i++) {
		fd = ckpt_memfd(buf, cuts[i]);
		ASSERT_LE(0, fd);
		ASSERT_EQ(-ENODATA, restart_from(self, fd)) {
			TH_LOG("cut at %zu of %zu", cuts[i], len);
		}
		close(fd);
	}
	free(buf);

	/* No task left, not even a zombie to reap. */
	ASSERT_GE(0, waitpid(-1, NULL, WNOHANG | __WALL));
	ASSERT_EQ(before, nr_processes());
}

/* A restored container can be checkpointed again, and that image is valid. */
TEST_F(rst, checkpoint_again)
{
	char cg[PATH_MAX];
	int img2;
	long pid;

	ASSERT_EQ(0, lseek(self->img, 0, SEEK_SET));
	pid = restart_from(self, self->img);
	ASSERT_LT(0, pid);
	ASSERT_NE(0UL, count_above(pid, self->count));
	ASSERT_EQ(0, ckpt_cg_create_child(self->cg, "again", cg, sizeof(cg)));
	ASSERT_EQ(0, ckpt_cg_move(cg, pid));
	ASSERT_EQ(0, ckpt_cg_freeze(cg));
	img2 = memfd_create("image2", MFD_CLOEXEC);
	ASSERT_EQ(0, sys_checkpoint(pid, img2, 0, self->log[1]));
	ASSERT_EQ(0, lseek(img2, 0, SEEK_SET));
	ASSERT_EQ(0, sys_restart(0, img2, RESTART_DRY_RUN, self->log[1]));
	ASSERT_EQ(0, ckpt_cg_thaw(cg));
	close(img2);
	reap(self, pid);
}

TEST_HARNESS_MAIN
