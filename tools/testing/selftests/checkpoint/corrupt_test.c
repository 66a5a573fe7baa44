// SPDX-License-Identifier: GPL-2.0
/*
 * restart(2) for real (no dry run) of a real image damaged one byte at a
 * time, or cut short: it must fail, with an errno, and leave nothing
 * behind, however far it got (files opened, pipes made, the task created
 * and its memory built) before it found the damage; it must never crash,
 * hang or succeed.  Most damage is found by the checksum of the tail, at
 * the very end of the stream, after everything was built: the point is
 * that it is all undone.  Then the same damage with the tail sealed again
 * (its checksum recomputed), so that the checks of the records themselves
 * are what stops it; such an image may be valid (a byte of a page, of a
 * register), and may restart: the restored task must then exist and be
 * killed and reaped like any other.
 *
 * The image is of a container's init with open files, a pipe holding
 * data, handlers, a blocked signal pending, an interval timer, changed
 * limits, a TLS descriptor and POSIX timers (one with its signal
 * pending).  Then each rule of format version 3 (TLS descriptors, POSIX
 * timers) and of version 4 (the task record: its place in the tree, its
 * process group and session, its stop; the namespaces record) broken
 * once in it, the tail
 * sealed again: restart fails with EBADMSG, in a dry run and not, and
 * leaves nothing behind.
 * The number of restarts is bounded (the test VM emulates its CPU): every
 * byte of the records up to a budget, the first 16 of each record always,
 * and every 97th byte of page data.
 */
#define _GNU_SOURCE
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wclobbered"
#include "kselftest_harness.h"

#include "ckpt_util.h"

/* The target's state */
#define CT_DATA_FD	5	/* the data file, read-only, at offset 1000 */
#define CT_PIPE_R	7	/* a pipe holding CT_PIPE_LEN bytes */
#define CT_PIPE_W	8
#define CT_DATA_SIZE	16384
#define CT_PIPE_LEN	100
#define CT_VALUE	4242
/*
 * Its POSIX timers: 0 signals the task (SIGEV_THREAD_ID) in 1000 s; 1 is
 * deleted; 2 fired at once, its signal CT_TIMER_SIG pending (blocked).
 */
#define CT_TIMER_SIG	40
#define CT_TIMER_SIG0	41
#define CT_TIMER_VALUE	0x7777

/* A buffer that its TLS descriptor (entry 12) covers */
static uint8_t ct_tls_buf[64];

/* The POSIX timers and (if the kernel has them) the TLS descriptor. */
static int ct_timers_tls(bool tls)
{
	struct {
		uint64_t value;
		int32_t signo, notify, tid, pad[11];
	} ev = { .value = 1, .signo = CT_TIMER_SIG0,
		 .notify = SIGEV_SIGNAL | SIGEV_THREAD_ID, .tid = gettid() };
	struct itimerspec long_one = { .it_value = { 1000, 0 } };
	struct itimerspec now = { .it_value = { 0, 1000 } };
	struct user_desc d = {
		.entry_number = -1,
		.base_addr = (uint32_t)(uintptr_t)ct_tls_buf,
		.limit = sizeof(ct_tls_buf) - 1,
		.seg_32bit = 1,
	};
	sigset_t set;
	int id[3];

	sigemptyset(&set);
	sigaddset(&set, CT_TIMER_SIG);
	if (sigprocmask(SIG_BLOCK, &set, NULL) ||
	    (tls && (ckpt_set_thread_area(&d) || d.entry_number != 12)) ||
	    syscall(SYS_timer_create, CLOCK_MONOTONIC, &ev, &id[0]) ||
	    syscall(SYS_timer_create, CLOCK_MONOTONIC, NULL, &id[1]))
		return -1;
	ev.value = CT_TIMER_VALUE;
	ev.signo = CT_TIMER_SIG;
	ev.notify = SIGEV_SIGNAL;
	if (syscall(SYS_timer_create, CLOCK_MONOTONIC, &ev, &id[2]) ||
	    id[0] != 0 || id[1] != 1 || id[2] != 2 ||
	    syscall(SYS_timer_delete, 1) ||
	    syscall(SYS_timer_settime, 0, 0, &long_one, NULL) ||
	    syscall(SYS_timer_settime, 2, 0, &now, NULL))
		return -1;
	for (int i = 0; i < 500; i++) {
		if (!sigpending(&set) && sigismember(&set, CT_TIMER_SIG) == 1)
			return 0;
		ckpt_sleep_ms(10);
	}
	return -1;
}

/* How many restarts each walk may make, at most (about). */
#define BUDGET_FLIPS		700
#define BUDGET_RESEALED		1100
#define BUDGET_CUTS		300
#define PAGE_STRIDE		97
/* How long one restart may take before it counts as hung. */
#define RESTART_MAX_SEC		30

static uint8_t data_byte(size_t i)
{
	return (uint8_t)(i * 29 + 11);
}

static void ct_on_usr1(int sig, siginfo_t *si, void *uc)
{
}

/*
 * The target: pid 1 of a new pid namespace, in @cg, with the state above;
 * it says 'r' on @ready (or 'e' if its setup failed), closes it, and
 * waits in pause().
 */
static __attribute__((noreturn)) void ct_main(const char *cg, const char *data,
					      int ready, bool tls)
{
	struct itimerval it = { .it_value = { 1000, 0 } };
	struct rlimit nofile = { 256, 512 };
	struct sigaction sa;
	char path[PATH_MAX] = "", c = 'r';
	uint8_t buf[1000];
	sigset_t set;
	int p[2], fd;

	if (ckpt_cg_write(cg, "cgroup.procs", "0"))
		_exit(1);
	snprintf(path, sizeof(path), "%s", data);
	if (ckpt_unmap_shared())
		_exit(2);
	/* Only @ready, out of the way at 100, then 0-2 on /dev/null. */
	if (dup2(ready, 100) != 100)
		_exit(3);
	syscall(SYS_close_range, 0, 99, 0);
	syscall(SYS_close_range, 101, ~0U, 0);
	ready = 100;
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) || ckpt_stdio_devnull())
		_exit(4);

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = ct_on_usr1;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGUSR2);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	/* the lowest free fds are 3 and 4: moved to theirs, then closed */
	fd = open(path, O_RDONLY);
	if (fd != 3 || dup2(fd, CT_DATA_FD) != CT_DATA_FD || close(fd) ||
	    read(CT_DATA_FD, buf, sizeof(buf)) != sizeof(buf) ||
	    pipe(p) || p[0] != 3 || p[1] != 4 ||
	    dup2(p[0], CT_PIPE_R) != CT_PIPE_R ||
	    dup2(p[1], CT_PIPE_W) != CT_PIPE_W || close(p[0]) || close(p[1]) ||
	    write(CT_PIPE_W, path, CT_PIPE_LEN) != CT_PIPE_LEN ||
	    sigaction(SIGUSR1, &sa, NULL) || signal(SIGUSR2, SIG_IGN) == SIG_ERR ||
	    sigprocmask(SIG_BLOCK, &set, NULL) ||
	    sigqueue(getpid(), SIGUSR1, (union sigval){ .sival_int = CT_VALUE }) ||
	    setitimer(ITIMER_REAL, &it, NULL) ||
	    setrlimit(RLIMIT_NOFILE, &nofile) || ct_timers_tls(tls))
		c = 'e';
	umask(027);
	if (write(ready, &c, 1) != 1 || c != 'r')
		_exit(5);
	close(ready);
	for (;;)
		pause();
}

FIXTURE(cw) {
	char cg[PATH_MAX];	/* the target's cgroup */
	char runner[PATH_MAX];	/* the test process's, during the walks */
	char dir[256];
	char data[PATH_MAX];	/* the target's data file */
	uint8_t *img;		/* what checkpoint(2) wrote */
	size_t len;
	int fd;			/* a memfd for the images to try */
	int log[2];
	char logbuf[4096];
	char ctx[160];		/* what a walk is at, for messages */
	unsigned int bad;	/* failures reported so far */
	int err;		/* the errno of the last restart that failed */
	bool tls;		/* the target has a TLS descriptor */
};

FIXTURE_SETUP(cw)
{
	struct ckpt_syscall call;
	struct timespec start;
	char c = 0;
	int ready[2];
	uint8_t *buf;
	pid_t pid;
	int fd, status;

	self->cg[0] = self->runner[0] = '\0';
	self->img = NULL;
	ASSERT_EQ(0, ckpt_log_pipe(self->log));
	self->fd = memfd_create("ckpt-corrupt", MFD_CLOEXEC);
	ASSERT_LE(0, self->fd);
	/* Restored tasks are our children; orphans of a failed one too. */
	ASSERT_EQ(0, prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0));

	snprintf(self->dir, sizeof(self->dir), "/tmp/ckpt-corrupt.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(self->data, sizeof(self->data), "%s/data", self->dir);
	buf = malloc(CT_DATA_SIZE);
	ASSERT_NE(NULL, buf);
	for (size_t i = 0; i < CT_DATA_SIZE; i++)
		buf[i] = data_byte(i);
	fd = open(self->data, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0644);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ckpt_write_all(fd, buf, CT_DATA_SIZE));
	close(fd);
	free(buf);
	ASSERT_EQ(0, ckpt_cg_create(self->cg, sizeof(self->cg)));

	/* The target, frozen, checkpointed, killed. */
	self->tls = ckpt_tls_available();
	ASSERT_EQ(0, pipe(ready));
	fflush(stdout);
	fflush(stderr);
	pid = syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, 0, 0, 0, 0);
	if (pid == 0) {
		close(ready[0]);
		ct_main(self->cg, self->data, ready[1], self->tls);
	}
	ASSERT_LT(0, pid);
	close(ready[1]);
	ASSERT_EQ(1, read(ready[0], &c, 1));
	close(ready[0]);
	ASSERT_EQ('r', c) {
		TH_LOG("the target could not set itself up");
	}
	/* In pause(), its fds all set: the same image every time. */
	clock_gettime(CLOCK_MONOTONIC, &start);
	while (ckpt_proc_syscall(pid, pid, &call) || call.nr != SYS_pause) {
		ASSERT_GT(20000, ckpt_ms_since(&start)) {
			TH_LOG("the target never waits in pause()");
		}
		ckpt_sleep_ms(10);
	}
	ASSERT_EQ(0, ckpt_cg_freeze(self->cg));
	ASSERT_EQ(0, sys_checkpoint(pid, self->fd, 0, self->log[1])) {
		TH_LOG("checkpoint: %s; log: \"%s\"", strerror(errno),
		       ckpt_log_read(self->log[0], self->logbuf,
				     sizeof(self->logbuf)) ? self->logbuf : "");
	}
	kill(pid, SIGKILL);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(0, ckpt_cg_thaw(self->cg));
	ASSERT_EQ(0, ckpt_read_image_at(self->fd, 0, &self->img, &self->len));
	ASSERT_EQ(self->len, ckpt_image_length(self->img, self->len));
	self->bad = 0;
	self->ctx[0] = '\0';

	/*
	 * The test process in a cgroup of its own: a restored task is its
	 * child, and lands there; after a failed restart, it must hold the
	 * test process alone.
	 */
	ASSERT_EQ(0, ckpt_cg_create(self->runner, sizeof(self->runner)));
	ASSERT_EQ(0, ckpt_cg_move(self->runner, getpid()));
}

/* (In the parent: the test process, and so what it restored, is gone.) */
FIXTURE_TEARDOWN_PARENT(cw)
{
	EXPECT_EQ(0, ckpt_cg_destroy(self->runner));
	EXPECT_EQ(0, ckpt_cg_destroy(self->cg));
	ckpt_rm_tree(self->dir);
}

/* What became of one restart. */
enum outcome {
	OK_FAILED,		/* failed, nothing left */
	OK_RESTORED,		/* succeeded; the task was killed and reaped */
	BAD,			/* anything else: said in self->ctx */
};

/* Kill and reap a restored task; 0, or -1 if it is not there to reap. */
static int kill_restored(pid_t pid)
{
	struct timespec start;
	pid_t got;

	if (kill(pid, SIGKILL) && errno != ESRCH)
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &start);
	while ((got = waitpid(pid, NULL, WNOHANG | __WALL)) == 0) {
		if (ckpt_ms_since(&start) > 10000)
			return -1;
		ckpt_sleep_ms(5);
	}
	return got == pid ? 0 : -1;
}

/*
 * Whatever a restart left: a child of ours (a restored task, alive or a
 * zombie), another process in our cgroup; killed and reaped, and said.
 */
static bool leftovers(FIXTURE_DATA(cw) *self, char *why, size_t size)
{
	char procs[1024], *p, *end;
	bool left = false;
	int status;
	pid_t got;

	while ((got = waitpid(-1, &status, WNOHANG | __WALL)) > 0) {
		snprintf(why, size, "a task %d was left (reaped now)", (int)got);
		left = true;
	}
	if (ckpt_cg_read(self->runner, "cgroup.procs", procs, sizeof(procs))) {
		snprintf(why, size, "cannot read the cgroup.procs of the test");
		return true;
	}
	for (p = procs; *p; p = end) {
		long pid = strtol(p, &end, 10);

		if (end == p)
			break;
		if (pid > 0 && pid != getpid()) {
			snprintf(why, size, "task %ld was left (killed now)", pid);
			kill_restored(pid);
			left = true;
		}
	}
	return left;
}

/* The data file as it was made; rewritten if not (and said). */
static bool data_changed(FIXTURE_DATA(cw) *self)
{
	struct stat st;
	uint8_t *buf;
	int fd;

	if (!stat(self->data, &st) && st.st_size == CT_DATA_SIZE)
		return false;
	buf = malloc(CT_DATA_SIZE);
	fd = open(self->data, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0644);
	if (buf && fd >= 0) {
		for (size_t i = 0; i < CT_DATA_SIZE; i++)
			buf[i] = data_byte(i);
		ckpt_write_all(fd, buf, CT_DATA_SIZE);
	}
	if (fd >= 0)
		close(fd);
	free(buf);
	return true;
}

/*
 * restart(2), no dry run, of @len bytes at @img: what became of it.  A
 * success is allowed if @may_succeed; the restored task is then killed
 * and reaped.
 */
static enum outcome try_restart(FIXTURE_DATA(cw) *self, const uint8_t *img,
				size_t len, bool may_succeed, char *why,
				size_t size)
{
	struct timespec start;
	long ret;
	int err;

	why[0] = '\0';
	if (ckpt_refill(self->fd, img, len)) {
		snprintf(why, size, "cannot fill the memfd");
		return BAD;
	}
	clock_gettime(CLOCK_MONOTONIC, &start);
	ckpt_arm_alarm(RESTART_MAX_SEC);
	ret = sys_restart(0, self->fd, 0, self->log[1]);
	err = errno;
	ckpt_disarm_alarm();
	ckpt_log_read(self->log[0], self->logbuf, sizeof(self->logbuf));
	self->err = ret == -1 ? err : 0;
	if (ret > 0) {
		bool reaped = !kill_restored(ret);

		if (!may_succeed) {
			snprintf(why, size, "restart succeeded (pid %ld)", ret);
			return BAD;
		}
		if (!reaped) {
			snprintf(why, size, "restored task %ld: not there to kill and reap",
				 ret);
			return BAD;
		}
		/* It ran: whatever it did to the data file is its own. */
		data_changed(self);
		if (leftovers(self, why, size))
			return BAD;
		return OK_RESTORED;
	}
	if (ret != -1 || err <= 0) {
		snprintf(why, size, "restart returned %ld (errno %d)", ret, err);
		return BAD;
	}
	if (err == EINTR && ckpt_ms_since(&start) >= RESTART_MAX_SEC * 1000L) {
		snprintf(why, size, "restart hung (interrupted after %d s)",
			 RESTART_MAX_SEC);
		return BAD;
	}
	if (leftovers(self, why, size))
		return BAD;
	if (data_changed(self)) {
		snprintf(why, size, "a failed restart (%s) changed the data file",
			 strerror(err));
		return BAD;
	}
	return OK_FAILED;
}

/* Note a bad outcome; the first 20 are told. */
static void report_bad(struct __test_metadata *_metadata,
		       FIXTURE_DATA(cw) *self, const char *why)
{
	if (self->bad++ < 20)
		TH_LOG("%s: %s; log: \"%s\"", self->ctx, why, self->logbuf);
}

/* The bytes of record @rc that are not page data. */
static size_t meta_len(const struct ckpt_rec *rc)
{
	size_t meta = rc->len;

	if (rc->type == CKPT_HDR_PAGES && rc->len >= sizeof(struct ckpt_hdr_pages))
		meta = sizeof(struct ckpt_hdr_pages) +
		       (size_t)((const struct ckpt_hdr_pages *)rc->p)->nr_pages * 8;
	if (rc->type == CKPT_HDR_FILE_PAGES &&
	    rc->len >= sizeof(struct ckpt_hdr_file_pages))
		meta = sizeof(struct ckpt_hdr_file_pages) +
		       (size_t)((const struct ckpt_hdr_file_pages *)rc->p)->nr_pages * 8;
	return meta < rc->len ? meta : rc->len;
}

/*
 * The offsets to damage: of every record but the tail, its first 16
 * bytes (header, first fields) always, the other bytes that are not page
 * data one in @stride (from @phase), and one byte of page data in
 * PAGE_STRIDE.  @stride is the smallest that keeps the number within
 * @budget.  Returns the number of offsets in *@out (malloc'd).
 */
static size_t plan_offsets(const struct ckpt_records *r, size_t budget,
			   size_t phase, size_t **out)
{
	size_t always = 0, rest = 0, pages = 0, stride = 1, nr = 0;
	size_t *offs;

	for (size_t i = 0; i + 1 < r->nr; i++) {
		const struct ckpt_rec *rc = &r->rec[i];
		size_t meta = meta_len(rc);

		/* header, count, addresses; then the data */
		pages += (rc->len - meta + PAGE_STRIDE - 1) / PAGE_STRIDE;
		always += meta < 16 ? meta : 16;
		rest += meta > 16 ? meta - 16 : 0;
	}
	while (always + pages + rest / stride > budget && stride < rest + 1)
		stride++;

	offs = calloc(always + pages + rest / stride + r->nr + 1, sizeof(*offs));
	if (!offs) {
		*out = NULL;
		return 0;
	}
	for (size_t i = 0; i + 1 < r->nr; i++) {
		const struct ckpt_rec *rc = &r->rec[i];
		size_t meta = meta_len(rc);

		for (size_t k = 0; k < meta; k++)
			if (k < 16 || (k - 16) % stride == phase % stride)
				offs[nr++] = rc->off + k;
		for (size_t k = meta + phase % PAGE_STRIDE; k < rc->len;
		     k += PAGE_STRIDE)
			offs[nr++] = rc->off + k;
	}
	*out = offs;
	return nr;
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

/* The record that holds byte @off, for messages. */
static const struct ckpt_rec *rec_at(const struct ckpt_records *r, size_t off)
{
	for (size_t i = r->nr; i--;)
		if (r->rec[i].off <= off)
			return &r->rec[i];
	return &r->rec[0];
}

/* The unmodified image restarts: the restored task is pid 1; reaped. */
static void whole_image_restarts(struct __test_metadata *_metadata,
				 FIXTURE_DATA(cw) *self)
{
	long pid;

	ASSERT_EQ(0, ckpt_refill(self->fd, self->img, self->len));
	pid = sys_restart(0, self->fd, 0, self->log[1]);
	ASSERT_LT(0, pid) {
		TH_LOG("the whole image does not restart: %s; log: \"%s\"",
		       strerror(errno),
		       ckpt_log_read(self->log[0], self->logbuf,
				     sizeof(self->logbuf)) ? self->logbuf : "");
	}
	ASSERT_EQ(1, ckpt_inner_pid(pid));
	ASSERT_EQ(0, kill_restored(pid));
}

/*
 * Each byte of the plan flipped (^ 0xff), the tail left as it was: the
 * checksum (or a check before it) refuses every one, and nothing is left.
 */
TEST_F_TIMEOUT(cw, flips, 300)
{
	struct ckpt_records r;
	char why[256];
	size_t *offs, nr;
	uint8_t *copy;

	whole_image_restarts(_metadata, self);
	ASSERT_EQ(0, ckpt_records_split(self->img, self->len, &r, why,
					sizeof(why)));
	nr = plan_offsets(&r, BUDGET_FLIPS, 0, &offs);
	ASSERT_LT(0U, nr);
	copy = malloc(self->len);
	ASSERT_NE(NULL, copy);
	memcpy(copy, self->img, self->len);
	for (size_t i = 0; i < nr; i++) {
		const struct ckpt_rec *rc = rec_at(&r, offs[i]);

		copy[offs[i]] ^= 0xff;
		if (try_restart(self, copy, self->len, false, why,
				sizeof(why)) != OK_FAILED) {
			snprintf(self->ctx, sizeof(self->ctx),
				 "byte %zu of %zu (%s record at %zu) ^ 0xff",
				 offs[i], self->len, ckpt_type_name(rc->type),
				 rc->off);
			report_bad(_metadata, self, why);
		}
		copy[offs[i]] ^= 0xff;
	}
	TH_LOG("%zu damaged images of %zu bytes tried", nr, self->len);
	ASSERT_EQ(0U, self->bad);
	free(copy);
	free(offs);
	ckpt_records_free(&r);
	whole_image_restarts(_metadata, self);
}

/*
 * The same, with other bits and other bytes, and the tail sealed again:
 * the records' own checks stop what they can; what they cannot (a byte of
 * a page or of a register) may restart, and then the task is there to be
 * killed and reaped.  No crash, no hang, nothing left either way.
 */
TEST_F_TIMEOUT(cw, flips_resealed, 300)
{
	static const uint8_t masks[] = { 0x01, 0xff, 0x80, 0x10, 0x04, 0x40 };
	size_t tail = self->len - CKPT_TAIL_SIZE;
	unsigned int restored = 0;
	struct ckpt_records r;
	char why[256];
	size_t *offs, nr;
	uint64_t records;
	uint8_t *copy;

	ASSERT_EQ(0, ckpt_records_split(self->img, self->len, &r, why,
					sizeof(why)));
	records = r.nr - 1;
	/* another phase than the plain walk's: other bytes */
	nr = plan_offsets(&r, BUDGET_RESEALED, 1, &offs);
	ASSERT_LT(0U, nr);
	copy = malloc(self->len);
	ASSERT_NE(NULL, copy);
	for (size_t i = 0; i < nr; i++) {
		const struct ckpt_rec *rc = rec_at(&r, offs[i]);
		uint8_t mask = masks[i % ARRAY_SIZE(masks)];
		enum outcome got;

		memcpy(copy, self->img, self->len);
		copy[offs[i]] ^= mask;
		ckpt_seal_at(copy, tail, records);
		got = try_restart(self, copy, self->len, true, why, sizeof(why));
		restored += got == OK_RESTORED;
		if (got == BAD) {
			snprintf(self->ctx, sizeof(self->ctx),
				 "byte %zu of %zu (%s record at %zu) ^ 0x%02x, sealed again",
				 offs[i], self->len, ckpt_type_name(rc->type),
				 rc->off, mask);
			report_bad(_metadata, self, why);
		}
	}
	TH_LOG("%zu damaged images of %zu bytes tried, %u of them restarted",
	       nr, self->len, restored);
	ASSERT_EQ(0U, self->bad);
	free(copy);
	free(offs);
	ckpt_records_free(&r);
	whole_image_restarts(_metadata, self);
}

/*
 * The image cut short: at and around every record boundary, in the
 * middle of each record, and every so many bytes.  Always a failure
 * (the stream ends before the tail), nothing left.
 */
TEST_F_TIMEOUT(cw, truncations, 300)
{
	struct ckpt_records r;
	size_t *lens, nr = 0, nr_uniq = 0, want, cap, step, tried = 0;
	char why[256];

	ASSERT_EQ(0, ckpt_records_split(self->img, self->len, &r, why,
					sizeof(why)));
	step = self->len / (BUDGET_CUTS / 2) + 1;
	cap = r.nr * 5 + self->len / step + 8;
	lens = calloc(cap, sizeof(*lens));
	ASSERT_NE(NULL, lens);
	for (size_t i = 0; i < r.nr; i++) {
		size_t o = r.rec[i].off;

		lens[nr++] = o;
		lens[nr++] = o + 1;
		lens[nr++] = o + 8;
		lens[nr++] = o + r.rec[i].len / 2;
		lens[nr++] = o + r.rec[i].len - 1;
	}
	for (size_t l = 3; l < self->len; l += step)
		lens[nr++] = l;
	qsort(lens, nr, sizeof(*lens), cmp_size);
	/* Once each, shorter than the image. */
	for (size_t i = 0; i < nr; i++)
		if (lens[i] < self->len &&
		    (!nr_uniq || lens[i] != lens[nr_uniq - 1]))
			lens[nr_uniq++] = lens[i];
	/* Evenly over them, within the budget. */
	want = nr_uniq < BUDGET_CUTS ? nr_uniq : BUDGET_CUTS;

	for (size_t i = 0; i < want; i++) {
		size_t cut = lens[i * nr_uniq / want];
		enum outcome got;

		tried++;
		got = try_restart(self, self->img, cut, false, why,
				  sizeof(why));
		if (got != OK_FAILED) {
			snprintf(self->ctx, sizeof(self->ctx), "cut at %zu of %zu",
				 cut, self->len);
			report_bad(_metadata, self, why);
		}
	}
	TH_LOG("%zu cuts of %zu bytes tried", tried, self->len);
	ASSERT_EQ(0U, self->bad);
	free(lens);
	ckpt_records_free(&r);
	whole_image_restarts(_metadata, self);
}

/* ------------------------------------------------------------------ */
/* The rules of format version 3, each broken once                     */

/* The records of the target's state, in a copy of its image */
struct v3_image {
	struct ckpt_hdr_namespaces *ns;		/* version 4 */
	struct ckpt_hdr_task *task;		/* version 4's fields */
	struct ckpt_hdr_cpu_tls *tls;
	struct ckpt_hdr_signal *sig;
	struct ckpt_hdr_posix_timer *timer[2];	/* 0 and 2 */
	struct ckpt_hdr_siginfo *si_plain;	/* SIGUSR1's */
	struct ckpt_hdr_siginfo *si_timer;	/* timer 2's */
};

static void set_si_int(struct ckpt_hdr_siginfo *si, size_t off, int32_t v)
{
	memcpy(si->info + off, &v, sizeof(v));
}

#define V3_RULE(name, ...)						\
	static void v3_##name(struct v3_image *v)			\
	{								\
		__VA_ARGS__;						\
	}

/*
 * TLS: entry 12 is the target's segment (if the kernel has
 * set_thread_area(2)), 13 and 14 are unused.
 */
static void tls_segment(struct ckpt_tls_desc *d, uint32_t flags)
{
	d->base_addr = (uint32_t)(uintptr_t)ct_tls_buf;
	d->limit = sizeof(ct_tls_buf) - 1;
	d->flags = flags;
}

V3_RULE(tls_entry_number, v->tls->desc[1].entry_number = 12)
V3_RULE(tls_unknown_flags, v->tls->desc[2].flags |= 0x100)
V3_RULE(tls_16bit, tls_segment(&v->tls->desc[0], 0))
V3_RULE(tls_code, tls_segment(&v->tls->desc[0], CKPT_TLS_SEG_32BIT |
			      2 << CKPT_TLS_CONTENTS_SHIFT))
V3_RULE(tls_not_present, tls_segment(&v->tls->desc[0], CKPT_TLS_SEG_32BIT |
				     CKPT_TLS_NOT_PRESENT))
/* The signal state: the number of timers, the next id, reserved. */
V3_RULE(signal_timers_too_many,
	v->sig->nr_posix_timers = CKPT_POSIX_TIMERS_MAX + 1)
V3_RULE(signal_next_id_above_int_max,
	v->sig->next_posix_timer_id = (uint32_t)INT_MAX + 1)
V3_RULE(signal_reserved, v->sig->reserved = 1)
/* One timer record more, or fewer, than the timers announced. */
V3_RULE(timer_where_task_signal_expected, v->sig->nr_posix_timers = 1)
V3_RULE(task_signal_where_timer_expected, v->sig->nr_posix_timers = 3)
/* The timers' fields. */
V3_RULE(timer_ids_equal, v->timer[1]->id = 0)
V3_RULE(timer_ids_decreasing, v->timer[0]->id = 5)
V3_RULE(timer_id_negative, v->timer[0]->id = -1)
V3_RULE(timer_clock_cputime, v->timer[0]->clock = CLOCK_PROCESS_CPUTIME_ID)
V3_RULE(timer_clock_alarm, v->timer[1]->clock = CLOCK_REALTIME_ALARM)
V3_RULE(timer_notify, v->timer[1]->notify = 3)
V3_RULE(timer_tid_mismatch, v->timer[0]->notify_tid = 2)
V3_RULE(timer_tid_without_thread_id, v->timer[1]->notify_tid = 1)
V3_RULE(timer_signo_0, v->timer[1]->signo = 0)
V3_RULE(timer_signo_65, v->timer[0]->signo = 65)
V3_RULE(timer_reserved, v->timer[0]->reserved = 1)
V3_RULE(timer_left_above_ktime_max,
	v->timer[0]->left = (uint64_t)CKPT_KTIME_MAX + 1)
V3_RULE(timer_interval_above_ktime_max,
	v->timer[1]->interval = (uint64_t)CKPT_KTIME_MAX + 1)
V3_RULE(timer_overrun_below_minus_1, v->timer[1]->overrun = -2)
V3_RULE(timer_overrun_last_negative, v->timer[1]->overrun_last = -1)
/* Timer 2's pending signal (CKPT_SIGINFO_TIMER), and flags. */
V3_RULE(siginfo_timer_code, set_si_int(v->si_timer, CKPT_SI_CODE_OFF, SI_QUEUE))
V3_RULE(siginfo_timer_unknown, set_si_int(v->si_timer, CKPT_SI_TIMERID_OFF, 1))
V3_RULE(siginfo_timer_sigev_none, v->timer[1]->notify = SIGEV_NONE)
V3_RULE(siginfo_timer_wrong_signo, v->timer[1]->signo = CT_TIMER_SIG + 2)
V3_RULE(siginfo_timer_twice, *v->si_plain = *v->si_timer)
V3_RULE(siginfo_timer_not_shared, v->si_timer->flags &= ~CKPT_SIGINFO_SHARED)
V3_RULE(siginfo_timer_flag_of_plain, v->si_plain->flags |= CKPT_SIGINFO_TIMER)
V3_RULE(siginfo_unknown_flags, v->si_plain->flags |= 4)

static const struct {
	const char *name;
	void (*mutate)(struct v3_image *v);
} v3_rules[] = {
#define R(name) { #name, v3_##name }
	R(tls_entry_number), R(tls_unknown_flags), R(tls_16bit), R(tls_code),
	R(tls_not_present), R(signal_timers_too_many),
	R(signal_next_id_above_int_max), R(signal_reserved),
	R(timer_where_task_signal_expected),
	R(task_signal_where_timer_expected), R(timer_ids_equal),
	R(timer_ids_decreasing), R(timer_id_negative), R(timer_clock_cputime),
	R(timer_clock_alarm), R(timer_notify), R(timer_tid_mismatch),
	R(timer_tid_without_thread_id), R(timer_signo_0), R(timer_signo_65),
	R(timer_reserved), R(timer_left_above_ktime_max),
	R(timer_interval_above_ktime_max), R(timer_overrun_below_minus_1),
	R(timer_overrun_last_negative), R(siginfo_timer_code),
	R(siginfo_timer_unknown), R(siginfo_timer_sigev_none),
	R(siginfo_timer_wrong_signo), R(siginfo_timer_twice),
	R(siginfo_timer_not_shared), R(siginfo_timer_flag_of_plain),
	R(siginfo_unknown_flags),
#undef R
};

/*
 * Format version 4: the task record of the init, pid 1, the only task.
 * Its process group and session (0, outside: the test's) negative; flags
 * unknown; a stop without its signal, a signal without the stop, a stop
 * by a signal that does not stop; the reserved field; a parent, or a
 * leader, that the image does not hold; an address space after it that
 * is not the one it names.
 */
V3_RULE(task_pgid_negative, v->task->pgid = -1)
V3_RULE(task_sid_negative, v->task->sid = INT_MIN)
V3_RULE(task_unknown_flag, v->task->flags |= 1U << 3)
V3_RULE(task_stopped_no_signal, v->task->flags |= CKPT_TASK_STOPPED)
V3_RULE(task_stop_signal_unstopped, v->task->stop_signo = SIGSTOP)
V3_RULE(task_stopped_sigcont, v->task->flags |= CKPT_TASK_STOPPED;
	v->task->stop_signo = SIGCONT)
V3_RULE(task_unreported_unstopped, v->task->flags |= CKPT_TASK_STOP_UNREPORTED)
V3_RULE(task_reserved2, v->task->reserved2 = 1)
V3_RULE(task_init_with_parent, v->task->ppid = 5)
V3_RULE(task_init_a_thread, v->task->tgid = 2)
V3_RULE(task_mm_not_its_own, v->task->mm_objref += 1)
/*
 * The namespaces record (none of its own: the target is in the test's
 * namespaces): unknown flags, the reserved field, the padding, names
 * without CKPT_NS_UTS, a name not NUL-terminated.
 */
V3_RULE(ns_unknown_flag, v->ns->flags |= 4)
V3_RULE(ns_reserved, v->ns->reserved = 1)
V3_RULE(ns_pad, v->ns->pad[5] = 1)
V3_RULE(ns_hostname_without_uts, strcpy(v->ns->hostname, "host"))
V3_RULE(ns_domainname_without_uts, v->ns->flags = CKPT_NS_IPC;
	strcpy(v->ns->domainname, "domain"))
V3_RULE(ns_hostname_unterminated, v->ns->flags = CKPT_NS_UTS;
	memset(v->ns->hostname, 'h', CKPT_UTS_LEN))

static const struct {
	const char *name;
	void (*mutate)(struct v3_image *v);
} v4_rules[] = {
#define R(name) { #name, v3_##name }
	R(task_pgid_negative), R(task_sid_negative), R(task_unknown_flag),
	R(task_stopped_no_signal), R(task_stop_signal_unstopped),
	R(task_stopped_sigcont), R(task_unreported_unstopped),
	R(task_reserved2), R(task_init_with_parent), R(task_init_a_thread),
	R(task_mm_not_its_own), R(ns_unknown_flag), R(ns_reserved), R(ns_pad),
	R(ns_hostname_without_uts), R(ns_domainname_without_uts),
	R(ns_hostname_unterminated),
#undef R
};

/* restart(2) in a dry run of @len bytes at @img: 0 or its errno. */
static int dry_restart(FIXTURE_DATA(cw) *self, const uint8_t *img, size_t len)
{
	long ret;
	int err;

	if (ckpt_refill(self->fd, img, len))
		return -1;
	ret = sys_restart(0, self->fd, RESTART_DRY_RUN, self->log[1]);
	err = errno;
	ckpt_log_read(self->log[0], self->logbuf, sizeof(self->logbuf));
	return ret ? err : 0;
}

/*
 * Each rule of @rules, broken once in the target's image (sealed again):
 * EBADMSG and one line of reason, in a dry run and not; nothing left.
 */
static void break_rules(struct __test_metadata *_metadata,
			FIXTURE_DATA(cw) *self, const struct ckpt_model *m,
			const char *const *names,
			void (*const *mutate)(struct v3_image *v), size_t nr)
{
	size_t tail = self->len - CKPT_TAIL_SIZE;
	const struct ckpt_m_task *t = &m->tasks[0];
	uint64_t records = m->r.nr - 1;
	struct v3_image v;
	char why[256];
	uint8_t *copy;
	int before;

	copy = malloc(self->len);
	ASSERT_NE(NULL, copy);
#define AT(p)	((void *)(copy + ((const uint8_t *)(p) - self->img)))
	v.ns = AT(m->ns);
	v.task = AT(t->rec);
	v.tls = AT(t->tls);
	v.sig = AT(t->signal->rec);
	v.timer[0] = AT(t->signal->timers[0]);
	v.timer[1] = AT(t->signal->timers[1]);
	v.si_plain = AT(t->siginfo[0]);
	v.si_timer = AT(t->siginfo[1]);
#undef AT
	for (size_t i = 0; i < nr; i++) {
		const char *problem;
		int got;

		snprintf(self->ctx, sizeof(self->ctx), "%s", names[i]);
		memcpy(copy, self->img, self->len);
		mutate[i](&v);
		ckpt_seal_at(copy, tail, records);

		before = ckpt_nr_processes();
		got = dry_restart(self, copy, self->len);
		problem = got != EBADMSG ? "not EBADMSG (dry run)" :
			  ckpt_log_problem(self->logbuf, "restart", NULL);
		if (!problem && before != ckpt_nr_processes())
			problem = "a dry run left a task";
		if (problem) {
			snprintf(why, sizeof(why), "%s: %s", problem,
				 got > 0 ? strerror(got) : got ? "?" : "accepted");
			report_bad(_metadata, self, why);
		}

		if (try_restart(self, copy, self->len, false, why,
				sizeof(why)) != OK_FAILED) {
			report_bad(_metadata, self, why);
		} else if (self->err != EBADMSG ||
			   ckpt_log_problem(self->logbuf, "restart", NULL)) {
			snprintf(why, sizeof(why), "%s, not EBADMSG with a reason",
				 strerror(self->err));
			report_bad(_metadata, self, why);
		}
	}
	free(copy);
}

/* The image is what the target set, the init's task record first. */
static void check_target_image(struct __test_metadata *_metadata,
			       FIXTURE_DATA(cw) *self, struct ckpt_model *m)
{
	const struct ckpt_m_task *t;

	ASSERT_EQ(0, ckpt_model_build(m, self->img, self->len)) {
		TH_LOG("%s", m->why);
	}
	t = &m->tasks[0];
	ASSERT_EQ(1U, m->nr_tasks);
	/* In the test's namespaces: none of its own. */
	ASSERT_EQ(0U, m->ns->flags);
	ASSERT_EQ(1, t->rec->pid);
	ASSERT_EQ(1, t->rec->tgid);
	ASSERT_EQ(0, t->rec->ppid);
	/* The test's own group and session: outside the container. */
	ASSERT_EQ(0, t->rec->pgid);
	ASSERT_EQ(0, t->rec->sid);
	ASSERT_EQ(0U, t->rec->flags);
	ASSERT_TRUE(t->mm_follows);
	if (self->tls) {
		ASSERT_EQ((uint32_t)CKPT_TLS_SEG_32BIT, t->tls->desc[0].flags);
		ASSERT_EQ((uint32_t)(uintptr_t)ct_tls_buf,
			  t->tls->desc[0].base_addr);
	}
	ASSERT_EQ(2U, t->signal->rec->nr_posix_timers);
	ASSERT_EQ(3U, t->signal->rec->next_posix_timer_id);
	ASSERT_EQ(0, t->signal->timers[0]->id);
	ASSERT_EQ(2, t->signal->timers[1]->id);
	ASSERT_EQ(2U, t->tsig->nr_pending);
	ASSERT_EQ((uint32_t)SIGUSR1, t->siginfo[0]->signo);
	ASSERT_EQ((uint32_t)CT_TIMER_SIG, t->siginfo[1]->signo);
	ASSERT_EQ((uint32_t)(CKPT_SIGINFO_TIMER | CKPT_SIGINFO_SHARED),
		  t->siginfo[1]->flags);
}

/*
 * Each rule of format version 3 that restart checks, broken once in the
 * target's image (sealed again): EBADMSG and one line of reason, in a dry
 * run and not; nothing left.  First, the image is what the target set:
 * its TLS descriptor, its two timers, their signal pending.
 */
TEST_F_TIMEOUT(cw, v3_rules, 300)
{
	const char *names[ARRAY_SIZE(v3_rules)];
	void (*mutate[ARRAY_SIZE(v3_rules)])(struct v3_image *v);
	struct ckpt_model m;

	check_target_image(_metadata, self, &m);
	for (size_t i = 0; i < ARRAY_SIZE(v3_rules); i++) {
		names[i] = v3_rules[i].name;
		mutate[i] = v3_rules[i].mutate;
	}
	break_rules(_metadata, self, &m, names, mutate, ARRAY_SIZE(v3_rules));
	ASSERT_EQ(0U, self->bad);
	ckpt_model_free(&m);
	whole_image_restarts(_metadata, self);
}

/*
 * The same with the rules of format version 4, of the task record and of
 * the namespaces record.
 */
TEST_F_TIMEOUT(cw, v4_rules, 300)
{
	const char *names[ARRAY_SIZE(v4_rules)];
	void (*mutate[ARRAY_SIZE(v4_rules)])(struct v3_image *v);
	struct ckpt_model m;

	check_target_image(_metadata, self, &m);
	for (size_t i = 0; i < ARRAY_SIZE(v4_rules); i++) {
		names[i] = v4_rules[i].name;
		mutate[i] = v4_rules[i].mutate;
	}
	break_rules(_metadata, self, &m, names, mutate, ARRAY_SIZE(v4_rules));
	ASSERT_EQ(0U, self->bad);
	ckpt_model_free(&m);
	whole_image_restarts(_metadata, self);
}

TEST_HARNESS_MAIN
