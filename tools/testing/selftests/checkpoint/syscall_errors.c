// SPDX-License-Identifier: GPL-2.0
/*
 * checkpoint(2) and restart(2): argument, permission and freezer checks.
 *
 * The checks come in a fixed order (logfd, fd, flags, pid, permissions,
 * freezer), so each test makes exactly one argument wrong, everything else
 * valid (a frozen target, an fd of the right mode, a valid image), and
 * asserts the errno and the reason written to the logfd.  A few tests make
 * two arguments wrong to check the order.  After a failed checkpoint the
 * target must be untouched: it is thawed and must answer a ping.  The
 * target's pipes to the test are shared with the world outside it: a
 * checkpoint that gets past the freezer needs CHECKPOINT_EXTERNAL (leak
 * detection refuses it otherwise, see ckpt_external_needed).
 */
#define _GNU_SOURCE
/*
 * -Wextra finds unused parameters in kselftest_harness.h, and a variable of
 * its TEST_F() wrapper that longjmp() may clobber (see the teardown).
 */
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wclobbered"
#include "kselftest_harness.h"

#include <sys/socket.h>

#include "ckpt_util.h"

FIXTURE(sc) {
	pid_t owner;		/* the test process, parent of the target */
	char cg[PATH_MAX];	/* the target's cgroup */
	char cg2[PATH_MAX];	/* another one, or "" */
	struct ckpt_target t;
	int img;		/* checkpoint output: an empty memfd */
	int valid;		/* restart input: a memfd with a valid image */
	int log[2];		/* the logfd pipe: log[1] to the kernel */
	int rdonly, wronly, opath;	/* a file in /tmp holding a valid image */
	int closed;		/* an fd number that is not open */
	char logbuf[4096];
};

FIXTURE_SETUP(sc)
{
	struct ckpt_image image;
	char path[PATH_MAX];
	int fd;

	self->owner = getpid();
	ckpt_target_init(&self->t);
	self->cg[0] = self->cg2[0] = '\0';
	self->img = self->valid = self->rdonly = self->wronly = self->opath = -1;
	self->log[0] = self->log[1] = -1;

	ckpt_image_build(&image, 3, time(NULL));
	self->img = memfd_create("ckpt-selftest-out", MFD_CLOEXEC);
	ASSERT_LE(0, self->img);
	self->valid = ckpt_memfd(&image, sizeof(image));
	ASSERT_LE(0, self->valid);
	ASSERT_EQ(0, ckpt_log_pipe(self->log));

	snprintf(path, sizeof(path), "/tmp/ckpt-selftest.%d", (int)getpid());
	fd = open(path, O_CREAT | O_TRUNC | O_RDWR | O_CLOEXEC, 0600);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ckpt_write_all(fd, &image, sizeof(image)));
	close(fd);
	self->rdonly = open(path, O_RDONLY | O_CLOEXEC);
	self->wronly = open(path, O_WRONLY | O_CLOEXEC);
	self->opath = open(path, O_PATH | O_CLOEXEC);
	unlink(path);
	ASSERT_LE(0, self->rdonly);
	ASSERT_LE(0, self->wronly);
	ASSERT_LE(0, self->opath);
	self->closed = ckpt_closed_fd();

	ASSERT_EQ(0, ckpt_cg_create(self->cg, sizeof(self->cg))) {
		TH_LOG("cannot create a cgroup under %s: %s", ckpt_cg_root(),
		       strerror(errno));
	}
}

/*
 * The teardown runs in the test process or, once it has exited, in its
 * parent (which of the two depends on how the compiler treated the
 * harness's setjmp()), so it must work in both.  The targets are the test
 * process's children: it kills and reaps them; if it is gone, they died with
 * it (PR_SET_PDEATHSIG) and cgroup.kill makes sure.  The cgroups are thawed
 * and removed either way.
 */
FIXTURE_TEARDOWN_PARENT(sc)
{
	int err;

	if (getpid() == self->owner)
		ckpt_target_kill(&self->t);
	/* (No handler blocks here: a failed ASSERT leaves them armed.) */
	err = ckpt_cg_destroy(self->cg2);
	if (err)
		TH_LOG("cannot remove cgroup %s: %s", self->cg2, strerror(-err));
	EXPECT_EQ(0, err);
	err = ckpt_cg_destroy(self->cg);
	if (err)
		TH_LOG("cannot remove cgroup %s: %s", self->cg, strerror(-err));
	EXPECT_EQ(0, err);
}

static const char *read_log(FIXTURE_DATA(sc) *self)
{
	ckpt_log_read(self->log[0], self->logbuf, sizeof(self->logbuf));
	return self->logbuf;
}

/*
 * The call fails with @err and logs one line, "<op>: ...<words>...\n".
 */
#define ASSERT_FAILS_LOGGED(call, err, op, words) do {			\
	long __ret;							\
	int __err;							\
	const char *__log, *__why;					\
									\
	errno = 0;							\
	__ret = (call);							\
	__err = errno;							\
	__log = read_log(self);						\
	ASSERT_EQ(-1, __ret) {						\
		TH_LOG("%s returned %ld; log: \"%s\"", #call, __ret, __log); \
	}								\
	ASSERT_EQ(err, __err) {						\
		TH_LOG("%s: errno %d (%s), expected %s; log: \"%s\"",	\
		       #call, __err, strerror(__err), #err, __log);	\
	}								\
	__why = ckpt_log_problem(__log, op, words);			\
	ASSERT_TRUE(__why == NULL) {					\
		TH_LOG("%s: %s (want \"%s\"); log: \"%s\"", #call, __why, \
		       words, __log);					\
	}								\
} while (0)

/* The call fails with @err (the reason is not checked: no usable logfd). */
#define ASSERT_FAILS(call, err) do {					\
	long __ret;							\
	int __err;							\
									\
	errno = 0;							\
	__ret = (call);							\
	__err = errno;							\
	read_log(self);							\
	ASSERT_EQ(-1, __ret) {						\
		TH_LOG("%s returned %ld", #call, __ret);		\
	}								\
	ASSERT_EQ(err, __err) {						\
		TH_LOG("%s: errno %d (%s), expected %s", #call, __err,	\
		       strerror(__err), #err);				\
	}								\
} while (0)

/* The call succeeds and logs nothing. */
#define ASSERT_SUCCEEDS(call) do {					\
	long __ret;							\
	int __err;							\
	const char *__log;						\
									\
	errno = 0;							\
	__ret = (call);							\
	__err = errno;							\
	__log = read_log(self);						\
	ASSERT_EQ(0, __ret) {						\
		TH_LOG("%s: errno %d (%s); log: \"%s\"", #call, __err,	\
		       strerror(__err), __log);				\
	}								\
	ASSERT_STREQ("", __log);					\
} while (0)

/* A child with @priv privileges gets @err (0: success) from the call. */
#define ASSERT_CHILD_GETS(err, priv, op, pid, fd, flags) do {		\
	int __got = ckpt_call_as(priv, op, pid, fd, flags, self->log[1]); \
									\
	read_log(self);							\
	ASSERT_LE(0, __got) {						\
		TH_LOG("the unprivileged child failed (%d)", __got);	\
	}								\
	ASSERT_EQ(err, __got) {						\
		TH_LOG("errno %d (%s), expected %s; log: \"%s\"", __got, \
		       strerror(__got), #err, self->logbuf);		\
	}								\
} while (0)

#define ASSERT_LOG_SAYS(op, words) do {					\
	const char *__why = ckpt_log_problem(self->logbuf, op, words);	\
									\
	ASSERT_TRUE(__why == NULL) {					\
		TH_LOG("%s (want \"%s\"); log: \"%s\"", __why, words,	\
		       self->logbuf);					\
	}								\
} while (0)

/* The log names task @pid ("task <pid> (comm): ..."). */
#define ASSERT_LOG_NAMES_TASK(pid) do {					\
	char __want[32];						\
									\
	snprintf(__want, sizeof(__want), "task %d ", (int)(pid));	\
	ASSERT_NE(NULL, strstr(self->logbuf, __want)) {			\
		TH_LOG("want \"%s\" in \"%s\"", __want, self->logbuf);	\
	}								\
} while (0)

/* Nothing was written to the checkpoint output. */
#define ASSERT_NO_IMAGE() do {						\
	ASSERT_EQ(0, ckpt_size(self->img));				\
	ASSERT_EQ(0, ckpt_offset(self->img));				\
} while (0)

/*
 * One whole image was written to the checkpoint output, and nothing else:
 * the offset is just past it, it is well framed (a header, records, a tail
 * whose counts and checksum match), and it holds the target's task record.
 * Its size depends on the target: it is what checkpoint(2) wrote.
 */
static void one_image(struct __test_metadata *_metadata,
		      FIXTURE_DATA(sc) *self)
{
	struct ckpt_records r;
	bool target_seen = false;
	char why[256];
	uint8_t *buf;
	size_t len;

	ASSERT_LT((off_t)CKPT_IMAGE_SIZE, ckpt_size(self->img));
	ASSERT_EQ(ckpt_size(self->img), ckpt_offset(self->img));
	ASSERT_EQ(0, ckpt_read_image_at(self->img, 0, &buf, &len));
	ASSERT_EQ(CKPT_MAGIC, ((struct ckpt_hdr_header *)buf)->magic);
	ASSERT_EQ(0, ckpt_records_split(buf, len, &r, why, sizeof(why))) {
		TH_LOG("the image is malformed: %s", why);
	}
	ASSERT_EQ(len, r.size) {
		TH_LOG("%zu bytes after the image's tail", len - r.size);
	}
	for (size_t i = 0; i < r.nr; i++)
		if (r.rec[i].type == CKPT_HDR_TASK &&
		    r.rec[i].len >= sizeof(struct ckpt_hdr_task) &&
		    ((const struct ckpt_hdr_task *)r.rec[i].p)->pid == self->t.pid)
			target_seen = true;
	ASSERT_TRUE(target_seen) {
		TH_LOG("no task record for the target %d", self->t.pid);
	}
	ckpt_records_free(&r);
	free(buf);
}

#define ASSERT_ONE_IMAGE() one_image(_metadata, self)

/* Thaw the target's cgroup(s): the target must be alive and answer. */
static void target_runs(struct __test_metadata *_metadata,
			FIXTURE_DATA(sc) *self)
{
	ASSERT_EQ(0, ckpt_cg_thaw(self->cg));
	if (self->cg2[0]) {
		ASSERT_EQ(0, ckpt_cg_thaw(self->cg2));
	}
	ASSERT_TRUE(ckpt_target_alive(&self->t));
	ASSERT_EQ(0, ckpt_target_ping(&self->t, 10000)) {
		TH_LOG("the target does not answer after the thaw");
	}
}

static void spawn_frozen(struct __test_metadata *_metadata,
			 FIXTURE_DATA(sc) *self, unsigned int opts)
{
	ASSERT_EQ(0, ckpt_target_spawn(&self->t, self->cg, opts)) {
		TH_LOG("cannot start the target");
	}
	ASSERT_EQ(0, ckpt_cg_freeze(self->cg)) {
		TH_LOG("cannot freeze %s", self->cg);
	}
}

/* ------------------------------------------------------------------ */
/* The helpers themselves (these need no ckpt kernel)                  */

TEST(helpers_drop_privileges)
{
	enum ckpt_priv privs[] = { CKPT_PRIV_NONE, CKPT_PRIV_CR };

	if (geteuid() != 0)
		SKIP(return, "needs root");
	for (size_t i = 0; i < ARRAY_SIZE(privs); i++) {
		int status;
		pid_t child = fork();

		ASSERT_LE(0, child);
		if (child == 0)
			_exit(ckpt_drop_privileges(privs[i]) ? 1 : 0);
		ASSERT_EQ(child, waitpid(child, &status, 0));
		ASSERT_TRUE(WIFEXITED(status));
		ASSERT_EQ(0, WEXITSTATUS(status)) {
			TH_LOG("dropping privileges (%zu) failed", i);
		}
	}
}

/*
 * A target forked from a test inherits the harness's shared mappings, which
 * are not its own: ckpt_unmap_shared() removes them, and only them.
 */
TEST(helpers_unmap_shared)
{
	int status, fd = memfd_create("ckpt-selftest-shm", MFD_CLOEXEC);
	uint8_t *shared, *priv;
	pid_t child;

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ftruncate(fd, 4096));
	shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, shared);
	ASSERT_NE(MAP_FAILED, mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0));
	priv = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, priv);
	priv[0] = 42;
	shared[0] = 7;

	child = fork();
	ASSERT_LE(0, child);
	if (child == 0) {
		struct ckpt_maps m;

		if (ckpt_unmap_shared())
			_exit(1);
		if (ckpt_maps_read(getpid(), &m))
			_exit(2);
		for (size_t i = 0; i < m.nr; i++)
			if (m.v[i].perms[3] == 's')
				_exit(3);
		_exit(priv[0] == 42 ? 0 : 4);
	}
	ASSERT_EQ(child, waitpid(child, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	/* Ours are untouched. */
	ASSERT_EQ(7, shared[0]);
	close(fd);
}

struct hook_info {
	uint64_t magic;
	int shared;		/* shared mappings left in the target */
	pid_t pid;
};

static int hook_report(void *arg, struct ckpt_target_hello *hello)
{
	struct hook_info *info = (void *)hello->info;
	struct ckpt_maps m;

	info->magic = *(const uint64_t *)arg;
	info->pid = getpid();
	if (ckpt_maps_read(getpid(), &m))
		return -1;
	for (size_t i = 0; i < m.nr; i++)
		info->shared += m.v[i].perms[3] == 's';
	free(m.v);
	return 0;
}

/* A target's hook runs in the target, and its report reaches the test. */
TEST(helpers_target_hook)
{
	uint64_t magic = 0x1234567890abcdefULL;
	struct ckpt_target t;
	struct hook_info info;

	ASSERT_EQ(0, ckpt_target_spawn_with(&t, NULL, 0, hook_report, &magic));
	memcpy(&info, t.info, sizeof(info));
	EXPECT_EQ(magic, info.magic);
	EXPECT_EQ(t.pid, info.pid);
	EXPECT_EQ(0, info.shared);
	EXPECT_EQ(0, ckpt_target_ping(&t, 10000));
	ckpt_target_kill(&t);
}

/* The freezer works, and a frozen target does not answer until thawed. */
TEST_F(sc, helpers_freezer)
{
	char c = 'x';

	ASSERT_EQ(0, ckpt_target_spawn(&self->t, self->cg, CKPT_TARGET_KID));
	ASSERT_EQ(0, ckpt_target_ping(&self->t, 10000));
	ASSERT_EQ(0, ckpt_cg_freeze(self->cg));
	ASSERT_TRUE(ckpt_cg_event(self->cg, "frozen 1"));
	ASSERT_EQ(1, write(self->t.cmd, &c, 1));
	ASSERT_EQ(-ETIMEDOUT, ckpt_target_wait_reply(&self->t, 200)) {
		TH_LOG("a frozen target answered");
	}
	ASSERT_EQ(0, ckpt_cg_thaw(self->cg));
	ASSERT_EQ(0, ckpt_target_wait_reply(&self->t, 10000));
	ASSERT_TRUE(ckpt_target_alive(&self->t));
	ASSERT_EQ(0, kill(self->t.kid, 0));
}

/* The simplest target: it lands in the cgroup, and can be frozen. */
TEST_F(sc, helpers_sleeper)
{
	char procs[256], want[32];
	pid_t pid = ckpt_spawn_sleeper(self->cg);
	int status;

	ASSERT_LT(0, pid);
	ASSERT_EQ(0, ckpt_cg_read(self->cg, "cgroup.procs", procs,
				  sizeof(procs)));
	snprintf(want, sizeof(want), "%d\n", (int)pid);
	EXPECT_STREQ(want, procs);
	EXPECT_EQ(0, ckpt_cg_freeze(self->cg));
	EXPECT_EQ(0, ckpt_cg_thaw(self->cg));
	ASSERT_EQ(0, kill(pid, SIGKILL));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFSIGNALED(status));
}

/* ------------------------------------------------------------------ */
/* checkpoint(2): success                                              */

TEST_F(sc, ckpt_ok)
{
	spawn_frozen(_metadata, self, 0);
	ASSERT_SUCCEEDS(sys_checkpoint(self->t.pid, self->img, CKPT_TARGET_CHECKPOINT,
				       self->log[1]));
	ASSERT_ONE_IMAGE();
	target_runs(_metadata, self);
}

/* logfd -1 means no log. */
TEST_F(sc, ckpt_logfd_none)
{
	spawn_frozen(_metadata, self, 0);
	ASSERT_SUCCEEDS(sys_checkpoint(self->t.pid, self->img, CKPT_TARGET_CHECKPOINT,
				       -1));
	ASSERT_ONE_IMAGE();
	target_runs(_metadata, self);
}

/* ------------------------------------------------------------------ */
/* checkpoint(2): EBADF                                                */

TEST_F(sc, ckpt_logfd_closed)
{
	spawn_frozen(_metadata, self, 0);
	ASSERT_FAILS(sys_checkpoint(self->t.pid, self->img, 0, self->closed),
		     EBADF);
	ASSERT_NO_IMAGE();
	target_runs(_metadata, self);
}

TEST_F(sc, ckpt_logfd_negative)
{
	spawn_frozen(_metadata, self, 0);
	ASSERT_FAILS(sys_checkpoint(self->t.pid, self->img, 0, -2), EBADF);
	ASSERT_FAILS(sys_checkpoint(self->t.pid, self->img, 0, INT_MIN), EBADF);
	ASSERT_NO_IMAGE();
	target_runs(_metadata, self);
}

TEST_F(sc, ckpt_logfd_readonly)
{
	spawn_frozen(_metadata, self, 0);
	ASSERT_FAILS(sys_checkpoint(self->t.pid, self->img, 0, self->rdonly),
		     EBADF);
	ASSERT_FAILS(sys_checkpoint(self->t.pid, self->img, 0, self->log[0]),
		     EBADF);
	ASSERT_NO_IMAGE();
	target_runs(_metadata, self);
}

TEST_F(sc, ckpt_logfd_opath)
{
	spawn_frozen(_metadata, self, 0);
	ASSERT_FAILS(sys_checkpoint(self->t.pid, self->img, 0, self->opath),
		     EBADF);
	ASSERT_NO_IMAGE();
	target_runs(_metadata, self);
}

TEST_F(sc, ckpt_fd_closed)
{
	spawn_frozen(_metadata, self, 0);
	ASSERT_FAILS(sys_checkpoint(self->t.pid, self->closed, 0, self->log[1]),
		     EBADF);
	target_runs(_metadata, self);
}

TEST_F(sc, ckpt_fd_negative)
{
	spawn_frozen(_metadata, self, 0);
	ASSERT_FAILS(sys_checkpoint(self->t.pid, -1, 0, self->log[1]), EBADF);
	ASSERT_FAILS(sys_checkpoint(self->t.pid, INT_MIN, 0, self->log[1]),
		     EBADF);
	target_runs(_metadata, self);
}

/* The image fd must be open for writing. */
TEST_F(sc, ckpt_fd_readonly)
{
	spawn_frozen(_metadata, self, 0);
	ASSERT_FAILS(sys_checkpoint(self->t.pid, self->rdonly, 0, self->log[1]),
		     EBADF);
	ASSERT_FAILS(sys_checkpoint(self->t.pid, self->log[0], 0, self->log[1]),
		     EBADF);
	ASSERT_EQ((off_t)CKPT_IMAGE_SIZE, ckpt_size(self->rdonly));
	target_runs(_metadata, self);
}

TEST_F(sc, ckpt_fd_opath)
{
	spawn_frozen(_metadata, self, 0);
	ASSERT_FAILS(sys_checkpoint(self->t.pid, self->opath, 0, self->log[1]),
		     EBADF);
	target_runs(_metadata, self);
}

/* Bad fds come before bad flags and a bad pid. */
TEST_F(sc, ckpt_fds_checked_first)
{
	ASSERT_FAILS(sys_checkpoint(-1, self->img, ~0U, self->closed), EBADF);
	ASSERT_FAILS(sys_checkpoint(-1, self->closed, ~0U, self->log[1]), EBADF);
	ASSERT_FAILS(sys_checkpoint(-1, self->rdonly, ~0U, -1), EBADF);
	ASSERT_NO_IMAGE();
}

/* ------------------------------------------------------------------ */
/* checkpoint(2): EINVAL, ESRCH                                        */

/* Only CHECKPOINT_EXTERNAL is defined: every other bit is refused. */
TEST_F(sc, ckpt_flags)
{
	spawn_frozen(_metadata, self, 0);
	ASSERT_EQ(1U, CHECKPOINT_EXTERNAL);
	ASSERT_EQ(CHECKPOINT_EXTERNAL, CHECKPOINT_FLAGS_ALL);
	for (int bit = 1; bit < 32; bit++) {
		ASSERT_FAILS_LOGGED(sys_checkpoint(self->t.pid, self->img,
						   1U << bit, self->log[1]),
				    EINVAL, "checkpoint", "unknown flags");
		ASSERT_FAILS_LOGGED(sys_checkpoint(self->t.pid, self->img,
						   CHECKPOINT_EXTERNAL | 1U << bit,
						   self->log[1]),
				    EINVAL, "checkpoint", "unknown flags");
	}
	ASSERT_FAILS_LOGGED(sys_checkpoint(self->t.pid, self->img, ~0U,
					   self->log[1]),
			    EINVAL, "checkpoint", "unknown flags");
	ASSERT_NO_IMAGE();
	target_runs(_metadata, self);
}

/* Bad flags come before a bad pid. */
TEST_F(sc, ckpt_flags_checked_before_pid)
{
	ASSERT_FAILS_LOGGED(sys_checkpoint(0, self->img, 2, self->log[1]),
			    EINVAL, "checkpoint", "unknown flags");
	ASSERT_FAILS_LOGGED(sys_checkpoint(-1, self->img, 0x80000000U,
					   self->log[1]),
			    EINVAL, "checkpoint", "unknown flags");
	ASSERT_NO_IMAGE();
}

/*
 * Leak detection: the target's ends of its pipes to the test (its cmd and
 * reply pipes) have their other ends outside the container.  Without
 * CHECKPOINT_EXTERNAL that is refused, naming the pipe and the flag, and
 * nothing is written; with it, the image has them as external files, at
 * the target's fds, and the header has the flag.
 */
TEST_F(sc, ckpt_external_needed)
{
	struct ckpt_model m;
	const struct ckpt_m_task *t;
	uint8_t *buf;
	size_t len;
	int nr_external = 0;

	spawn_frozen(_metadata, self, 0);
	/* (a second line names the task and the fd) */
	ASSERT_FAILS(sys_checkpoint(self->t.pid, self->img, 0, self->log[1]),
		     EOPNOTSUPP);
	ASSERT_EQ(0, strncmp(self->logbuf, "checkpoint: pipe:[", 18)) {
		TH_LOG("log: \"%s\"", self->logbuf);
	}
	ASSERT_NE(NULL, strstr(self->logbuf, "]: a pipe whose other end is open outside the container (CHECKPOINT_EXTERNAL saves it as an external file)\n")) {
		TH_LOG("log: \"%s\"", self->logbuf);
	}
	ASSERT_EQ(0, ckpt_offset(self->img));
	ASSERT_EQ(0, ckpt_refill(self->img, NULL, 0));

	ASSERT_SUCCEEDS(sys_checkpoint(self->t.pid, self->img,
				       CHECKPOINT_EXTERNAL, self->log[1]));
	ASSERT_ONE_IMAGE();
	ASSERT_EQ(0, ckpt_read_image_at(self->img, 0, &buf, &len));
	ASSERT_EQ(0, ckpt_model_build(&m, buf, len)) {
		TH_LOG("the image: %s", m.why);
	}
	ASSERT_EQ(CHECKPOINT_EXTERNAL, m.hdr->flags);
	t = ckpt_m_task_pid(&m, self->t.pid);
	ASSERT_NE(NULL, t);
	for (uint32_t i = 0; i < t->fdt->rec->nr_fds; i++) {
		const struct ckpt_fd *e = &t->fdt->fds[i];
		const struct ckpt_m_file *f = ckpt_m_file_ref(&m, e->file_objref);

		if (f->rec->type != CKPT_FILE_EXTERNAL)
			continue;
		nr_external++;
		EXPECT_EQ(e->fd, f->rec->fd);
		EXPECT_EQ(0, strncmp(f->path, "pipe:[", 6)) {
			TH_LOG("external file %u is \"%s\"", f->rec->objref,
			       f->path);
		}
		if ((int)e->fd == self->t.in_cmd) {
			EXPECT_EQ((unsigned int)O_RDONLY, f->rec->f_flags);
		} else {
			EXPECT_EQ(self->t.in_reply, (int)e->fd);
			EXPECT_EQ((unsigned int)O_WRONLY, f->rec->f_flags);
		}
	}
	/* cmd (read) and reply (write) */
	EXPECT_EQ(2, nr_external);
	ckpt_model_free(&m);
	free(buf);
	target_runs(_metadata, self);
}

TEST_F(sc, ckpt_pid_zero)
{
	ASSERT_FAILS_LOGGED(sys_checkpoint(0, self->img, 0, self->log[1]),
			    ESRCH, "checkpoint", "no such process");
	ASSERT_NO_IMAGE();
}

TEST_F(sc, ckpt_pid_negative)
{
	spawn_frozen(_metadata, self, 0);
	ASSERT_FAILS_LOGGED(sys_checkpoint(-1, self->img, 0, self->log[1]),
			    ESRCH, "checkpoint", "no such process");
	/* Not a process group, as kill(2) would take it. */
	ASSERT_FAILS_LOGGED(sys_checkpoint(-self->t.pid, self->img, 0,
					   self->log[1]),
			    ESRCH, "checkpoint", "no such process");
	ASSERT_FAILS_LOGGED(sys_checkpoint(INT_MIN, self->img, 0, self->log[1]),
			    ESRCH, "checkpoint", "no such process");
	ASSERT_NO_IMAGE();
	target_runs(_metadata, self);
}

TEST_F(sc, ckpt_pid_nonexistent)
{
	pid_t child;
	int status;

	/* Above any pid_max. */
	ASSERT_FAILS_LOGGED(sys_checkpoint(INT_MAX, self->img, 0, self->log[1]),
			    ESRCH, "checkpoint", "no such process");
	/* A child that was reaped. */
	child = fork();
	ASSERT_LE(0, child);
	if (child == 0)
		_exit(0);
	ASSERT_EQ(child, waitpid(child, &status, 0));
	ASSERT_FAILS_LOGGED(sys_checkpoint(child, self->img, 0, self->log[1]),
			    ESRCH, "checkpoint", "no such process");
	ASSERT_NO_IMAGE();
}

/* A bad pid comes before the permission check. */
TEST_F(sc, ckpt_pid_checked_before_permission)
{
	ASSERT_CHILD_GETS(ESRCH, CKPT_PRIV_NONE, CKPT_OP_CHECKPOINT, INT_MAX,
			  self->img, 0);
	ASSERT_LOG_SAYS("checkpoint", "no such process");
	ASSERT_NO_IMAGE();
}

/* ------------------------------------------------------------------ */
/* checkpoint(2): EPERM                                                */

/* No capabilities: EPERM, before ptrace rights are even looked at. */
TEST_F(sc, ckpt_eperm_no_caps)
{
	spawn_frozen(_metadata, self, 0);
	ASSERT_CHILD_GETS(EPERM, CKPT_PRIV_NONE, CKPT_OP_CHECKPOINT,
			  self->t.pid, self->img, 0);
	ASSERT_LOG_SAYS("checkpoint", "permission denied");
	ASSERT_EQ(NULL, strstr(self->logbuf, "ptrace"));
	ASSERT_NO_IMAGE();
	target_runs(_metadata, self);
}

/* Owning the target is not enough without a capability. */
TEST_F(sc, ckpt_eperm_no_caps_same_uid)
{
	spawn_frozen(_metadata, self, CKPT_TARGET_NOBODY);
	ASSERT_CHILD_GETS(EPERM, CKPT_PRIV_NONE, CKPT_OP_CHECKPOINT,
			  self->t.pid, self->img, 0);
	ASSERT_LOG_SAYS("checkpoint", "permission denied");
	ASSERT_EQ(NULL, strstr(self->logbuf, "ptrace"));
	ASSERT_NO_IMAGE();
	target_runs(_metadata, self);
}

/* Permissions come before the freezer. */
TEST_F(sc, ckpt_eperm_checked_before_freezer)
{
	ASSERT_EQ(0, ckpt_target_spawn(&self->t, self->cg, 0));
	ASSERT_CHILD_GETS(EPERM, CKPT_PRIV_NONE, CKPT_OP_CHECKPOINT,
			  self->t.pid, self->img, 0);
	ASSERT_LOG_SAYS("checkpoint", "permission denied");
	ASSERT_NO_IMAGE();
	target_runs(_metadata, self);
}

/* CAP_CHECKPOINT_RESTORE, but no right to ptrace a root-owned target. */
TEST_F(sc, ckpt_eperm_no_ptrace)
{
	spawn_frozen(_metadata, self, 0);
	ASSERT_CHILD_GETS(EPERM, CKPT_PRIV_CR, CKPT_OP_CHECKPOINT, self->t.pid,
			  self->img, 0);
	ASSERT_LOG_SAYS("checkpoint", "no ptrace access");
	ASSERT_LOG_NAMES_TASK(self->t.pid);
	ASSERT_NO_IMAGE();
	target_runs(_metadata, self);
}

/*
 * The target is ours (uid 65534) but its child is root's: ptrace rights are
 * needed on every task in scope.
 */
TEST_F(sc, ckpt_eperm_no_ptrace_descendant)
{
	spawn_frozen(_metadata, self, CKPT_TARGET_KID | CKPT_TARGET_NOBODY);
	ASSERT_LT(0, self->t.kid);
	ASSERT_CHILD_GETS(EPERM, CKPT_PRIV_CR, CKPT_OP_CHECKPOINT, self->t.pid,
			  self->img, 0);
	ASSERT_LOG_SAYS("checkpoint", "no ptrace access");
	ASSERT_LOG_NAMES_TASK(self->t.kid);
	ASSERT_NO_IMAGE();
	target_runs(_metadata, self);
	ASSERT_EQ(0, kill(self->t.kid, 0));
}

/* CAP_CHECKPOINT_RESTORE and ptrace rights (same uid) are enough. */
TEST_F(sc, ckpt_cap_checkpoint_restore_suffices)
{
	spawn_frozen(_metadata, self, CKPT_TARGET_NOBODY);
	ASSERT_CHILD_GETS(0, CKPT_PRIV_CR, CKPT_OP_CHECKPOINT, self->t.pid,
			  self->img, CKPT_TARGET_CHECKPOINT);
	ASSERT_STREQ("", self->logbuf);
	ASSERT_ONE_IMAGE();
	target_runs(_metadata, self);
}

/* Kernel threads are never in scope of a checkpoint. */
TEST_F(sc, ckpt_kernel_thread)
{
	char comm[32] = "";
	int fd = open("/proc/2/comm", O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		ssize_t n = read(fd, comm, sizeof(comm) - 1);

		comm[n > 0 ? n : 0] = '\0';
		close(fd);
	}
	if (strcmp(comm, "kthreadd\n"))
		SKIP(return, "pid 2 is not kthreadd here");
	ASSERT_FAILS_LOGGED(sys_checkpoint(2, self->img, 0, self->log[1]),
			    EPERM, "checkpoint", "kernel thread");
	ASSERT_NO_IMAGE();
}

/* ------------------------------------------------------------------ */
/* checkpoint(2): EBUSY, the freezer                                   */

TEST_F(sc, ckpt_ebusy_unfrozen)
{
	ASSERT_EQ(0, ckpt_target_spawn(&self->t, self->cg, 0));
	ASSERT_FAILS_LOGGED(sys_checkpoint(self->t.pid, self->img, 0,
					   self->log[1]),
			    EBUSY, "checkpoint", "not frozen");
	ASSERT_LOG_NAMES_TASK(self->t.pid);
	ASSERT_NO_IMAGE();
	ASSERT_EQ(0, ckpt_target_ping(&self->t, 10000));

	/* Frozen, the same target can be checkpointed. */
	ASSERT_EQ(0, ckpt_cg_freeze(self->cg));
	ASSERT_SUCCEEDS(sys_checkpoint(self->t.pid, self->img, CKPT_TARGET_CHECKPOINT,
				       self->log[1]));
	ASSERT_ONE_IMAGE();
	target_runs(_metadata, self);
}

/* Frozen once, then thawed: not frozen any more. */
TEST_F(sc, ckpt_ebusy_thawed)
{
	spawn_frozen(_metadata, self, 0);
	ASSERT_EQ(0, ckpt_cg_thaw(self->cg));
	/* Once it answers, it has run: it left the freezer for good. */
	ASSERT_EQ(0, ckpt_target_ping(&self->t, 10000));
	ASSERT_FAILS_LOGGED(sys_checkpoint(self->t.pid, self->img, 0,
					   self->log[1]),
			    EBUSY, "checkpoint", "not frozen");
	ASSERT_NO_IMAGE();
	target_runs(_metadata, self);
}

/* The caller itself is not frozen. */
TEST_F(sc, ckpt_ebusy_self)
{
	ASSERT_FAILS_LOGGED(sys_checkpoint(getpid(), self->img, 0,
					   self->log[1]),
			    EBUSY, "checkpoint", "not frozen");
	ASSERT_LOG_NAMES_TASK(getpid());
	ASSERT_NO_IMAGE();
}

/* The target is frozen, but its child was moved to an unfrozen cgroup. */
TEST_F(sc, ckpt_ebusy_unfrozen_descendant)
{
	ASSERT_EQ(0, ckpt_cg_create(self->cg2, sizeof(self->cg2)));
	ASSERT_EQ(0, ckpt_target_spawn(&self->t, self->cg, CKPT_TARGET_KID));
	ASSERT_LT(0, self->t.kid);
	ASSERT_EQ(0, ckpt_cg_move(self->cg2, self->t.kid));
	ASSERT_EQ(0, ckpt_cg_freeze(self->cg));
	ASSERT_TRUE(ckpt_cg_event(self->cg2, "frozen 0"));

	ASSERT_FAILS_LOGGED(sys_checkpoint(self->t.pid, self->img, 0,
					   self->log[1]),
			    EBUSY, "checkpoint", "not frozen");
	ASSERT_LOG_NAMES_TASK(self->t.kid);
	ASSERT_NO_IMAGE();

	/* With the child's cgroup frozen too, the whole tree can be saved. */
	ASSERT_EQ(0, ckpt_cg_freeze(self->cg2));
	ASSERT_SUCCEEDS(sys_checkpoint(self->t.pid, self->img, CKPT_TARGET_CHECKPOINT,
				       self->log[1]));
	ASSERT_ONE_IMAGE();
	target_runs(_metadata, self);
	ASSERT_EQ(0, kill(self->t.kid, 0));
}

/*
 * The target's main thread is frozen but its second thread is in another,
 * unfrozen, threaded cgroup: threads are in scope too.
 */
TEST_F(sc, ckpt_ebusy_unfrozen_thread)
{
	char a[PATH_MAX], b[PATH_MAX];

	if (ckpt_cg_create_child(self->cg, "a", a, sizeof(a)) ||
	    ckpt_cg_create_child(self->cg, "b", b, sizeof(b)) ||
	    ckpt_cg_write(a, "cgroup.type", "threaded") ||
	    ckpt_cg_write(b, "cgroup.type", "threaded"))
		SKIP(return, "threaded cgroups are not available");
	ASSERT_EQ(0, ckpt_target_spawn(&self->t, self->cg, CKPT_TARGET_THREAD));
	ASSERT_LT(0, self->t.tid);
	ASSERT_NE(self->t.pid, self->t.tid);
	if (ckpt_cg_move(a, self->t.pid) || ckpt_cg_move_thread(b, self->t.tid))
		SKIP(return, "cannot split a process between threaded cgroups");
	ASSERT_EQ(0, ckpt_cg_freeze(a));
	ASSERT_TRUE(ckpt_cg_event(b, "frozen 0"));

	ASSERT_FAILS_LOGGED(sys_checkpoint(self->t.pid, self->img, 0,
					   self->log[1]),
			    EBUSY, "checkpoint", "not frozen");
	ASSERT_LOG_NAMES_TASK(self->t.tid);
	ASSERT_NO_IMAGE();

	ASSERT_EQ(0, ckpt_cg_freeze(b));
	ASSERT_SUCCEEDS(sys_checkpoint(self->t.pid, self->img, CKPT_TARGET_CHECKPOINT,
				       self->log[1]));
	ASSERT_ONE_IMAGE();
	ASSERT_EQ(0, ckpt_cg_thaw(a));
	ASSERT_EQ(0, ckpt_cg_thaw(b));
	ASSERT_EQ(0, ckpt_target_ping(&self->t, 10000));
}

/*
 * A task stopped by SIGSTOP is not frozen by the cgroup freezer (anyone may
 * SIGCONT it while it is being saved), even though the freezer counts it as
 * frozen when its cgroup does freeze.
 */
TEST_F(sc, ckpt_ebusy_stopped)
{
	char freeze[16];
	int status;

	ASSERT_EQ(0, ckpt_target_spawn(&self->t, self->cg, 0));
	ASSERT_EQ(0, kill(self->t.pid, SIGSTOP));
	ASSERT_EQ(self->t.pid, waitpid(self->t.pid, &status, WUNTRACED));
	ASSERT_TRUE(WIFSTOPPED(status));
	ASSERT_EQ(0, ckpt_cg_read(self->cg, "cgroup.freeze", freeze,
				  sizeof(freeze)));
	ASSERT_STREQ("0\n", freeze);

	ASSERT_FAILS_LOGGED(sys_checkpoint(self->t.pid, self->img, 0,
					   self->log[1]),
			    EBUSY, "checkpoint", "not frozen");
	ASSERT_NO_IMAGE();
	ASSERT_EQ(0, kill(self->t.pid, SIGCONT));
	ASSERT_EQ(0, ckpt_target_ping(&self->t, 10000));
}

/* ------------------------------------------------------------------ */
/* checkpoint(2): the scope                                            */

/* A frozen tree: the target and its child, both untouched afterwards. */
TEST_F(sc, ckpt_descendants)
{
	spawn_frozen(_metadata, self, CKPT_TARGET_KID);
	ASSERT_LT(0, self->t.kid);
	ASSERT_SUCCEEDS(sys_checkpoint(self->t.pid, self->img, CKPT_TARGET_CHECKPOINT,
				       self->log[1]));
	ASSERT_ONE_IMAGE();
	target_runs(_metadata, self);
	ASSERT_EQ(0, kill(self->t.kid, 0));
	ASSERT_NE('Z', ckpt_proc_state(self->t.kid));
}

/* A frozen multi-threaded target, named by its pid or by another tid. */
TEST_F(sc, ckpt_threads)
{
	spawn_frozen(_metadata, self, CKPT_TARGET_THREAD);
	ASSERT_LT(0, self->t.tid);
	ASSERT_NE(self->t.pid, self->t.tid);
	ASSERT_SUCCEEDS(sys_checkpoint(self->t.pid, self->img, CKPT_TARGET_CHECKPOINT,
				       self->log[1]));
	ASSERT_ONE_IMAGE();
	ASSERT_EQ(0, ckpt_refill(self->img, NULL, 0));
	ASSERT_SUCCEEDS(sys_checkpoint(self->t.tid, self->img, CKPT_TARGET_CHECKPOINT,
				       self->log[1]));
	ASSERT_ONE_IMAGE();
	target_runs(_metadata, self);
	ASSERT_NE(0, ckpt_proc_state(self->t.tid));
	ASSERT_NE('Z', ckpt_proc_state(self->t.tid));
}

/* A zombie child has nothing to freeze: it does not make the tree busy. */
TEST_F(sc, ckpt_zombie_descendant)
{
	spawn_frozen(_metadata, self, CKPT_TARGET_ZOMBIE_KID);
	ASSERT_LT(0, self->t.kid);
	ASSERT_EQ('Z', ckpt_proc_state(self->t.kid));
	ASSERT_SUCCEEDS(sys_checkpoint(self->t.pid, self->img, CKPT_TARGET_CHECKPOINT,
				       self->log[1]));
	ASSERT_ONE_IMAGE();
	target_runs(_metadata, self);
	ASSERT_EQ('Z', ckpt_proc_state(self->t.kid));
}

/* ------------------------------------------------------------------ */
/* restart(2)                                                          */

TEST_F(sc, rst_dry_run)
{
	ASSERT_SUCCEEDS(sys_restart(0, self->valid, RESTART_DRY_RUN,
				    self->log[1]));
	ASSERT_EQ((off_t)CKPT_IMAGE_SIZE, ckpt_offset(self->valid));
}

/* An fd open read-only is all restart needs. */
TEST_F(sc, rst_dry_run_rdonly)
{
	ASSERT_SUCCEEDS(sys_restart(0, self->rdonly, RESTART_DRY_RUN,
				    self->log[1]));
	ASSERT_EQ((off_t)CKPT_IMAGE_SIZE, ckpt_offset(self->rdonly));
}

/* Restoring is not implemented yet: a valid image gets EOPNOTSUPP. */
TEST_F(sc, rst_not_supported)
{
	ASSERT_FAILS_LOGGED(sys_restart(0, self->valid, 0, self->log[1]),
			    EOPNOTSUPP, "restart", "not supported");
	ASSERT_EQ((off_t)CKPT_IMAGE_SIZE, ckpt_offset(self->valid));
}

TEST_F(sc, rst_logfd_closed)
{
	ASSERT_FAILS(sys_restart(0, self->valid, RESTART_DRY_RUN, self->closed),
		     EBADF);
	ASSERT_EQ(0, ckpt_offset(self->valid));
}

TEST_F(sc, rst_logfd_negative)
{
	ASSERT_FAILS(sys_restart(0, self->valid, RESTART_DRY_RUN, -2), EBADF);
	ASSERT_FAILS(sys_restart(0, self->valid, RESTART_DRY_RUN, INT_MIN),
		     EBADF);
	ASSERT_EQ(0, ckpt_offset(self->valid));
}

TEST_F(sc, rst_logfd_readonly)
{
	ASSERT_FAILS(sys_restart(0, self->valid, RESTART_DRY_RUN, self->rdonly),
		     EBADF);
	ASSERT_FAILS(sys_restart(0, self->valid, RESTART_DRY_RUN, self->log[0]),
		     EBADF);
	ASSERT_EQ(0, ckpt_offset(self->valid));
}

TEST_F(sc, rst_logfd_opath)
{
	ASSERT_FAILS(sys_restart(0, self->valid, RESTART_DRY_RUN, self->opath),
		     EBADF);
	ASSERT_EQ(0, ckpt_offset(self->valid));
}

TEST_F(sc, rst_fd_closed)
{
	ASSERT_FAILS(sys_restart(0, self->closed, RESTART_DRY_RUN, self->log[1]),
		     EBADF);
}

TEST_F(sc, rst_fd_negative)
{
	ASSERT_FAILS(sys_restart(0, -1, RESTART_DRY_RUN, self->log[1]), EBADF);
	ASSERT_FAILS(sys_restart(0, INT_MIN, RESTART_DRY_RUN, self->log[1]),
		     EBADF);
}

/* The image fd must be open for reading. */
TEST_F(sc, rst_fd_writeonly)
{
	int p[2];

	ASSERT_FAILS(sys_restart(0, self->wronly, RESTART_DRY_RUN, self->log[1]),
		     EBADF);
	ASSERT_EQ(0, pipe2(p, O_CLOEXEC));
	ASSERT_FAILS(sys_restart(0, p[1], RESTART_DRY_RUN, self->log[1]), EBADF);
	close(p[0]);
	close(p[1]);
}

TEST_F(sc, rst_fd_opath)
{
	ASSERT_FAILS(sys_restart(0, self->opath, RESTART_DRY_RUN, self->log[1]),
		     EBADF);
}

/* Bad fds come before bad flags and a bad pid. */
TEST_F(sc, rst_fds_checked_first)
{
	ASSERT_FAILS(sys_restart(1, self->valid, ~0U, self->closed), EBADF);
	ASSERT_FAILS(sys_restart(1, self->closed, ~0U, self->log[1]), EBADF);
	ASSERT_FAILS(sys_restart(1, self->wronly, ~0U, -1), EBADF);
	ASSERT_EQ(0, ckpt_offset(self->valid));
}

/* The lowest restart(2) flag that is not defined. */
static unsigned int rst_unknown_flag(void)
{
	unsigned int bit = 1;

	while (bit & RESTART_FLAGS_ALL)
		bit <<= 1;
	return bit;
}

/*
 * Only RESTART_DRY_RUN, RESTART_INTO_CGROUP and RESTART_EXTERNAL_NULL are
 * defined: every other bit is refused.
 */
TEST_F(sc, rst_flags)
{
	ASSERT_EQ(4U, RESTART_EXTERNAL_NULL);
	ASSERT_EQ(RESTART_DRY_RUN | RESTART_INTO_CGROUP | RESTART_EXTERNAL_NULL,
		  RESTART_FLAGS_ALL);
	for (int bit = 1; bit < 32; bit++) {
		if (RESTART_FLAGS_ALL & 1U << bit)
			continue;
		ASSERT_FAILS_LOGGED(sys_restart(0, self->valid, 1U << bit,
						self->log[1]),
				    EINVAL, "restart", "unknown flags");
		ASSERT_FAILS_LOGGED(sys_restart(0, self->valid,
						RESTART_DRY_RUN | 1U << bit,
						self->log[1]),
				    EINVAL, "restart", "unknown flags");
	}
	ASSERT_FAILS_LOGGED(sys_restart(0, self->valid, ~0U, self->log[1]),
			    EINVAL, "restart", "unknown flags");
	/* Nothing was read. */
	ASSERT_EQ(0, ckpt_offset(self->valid));
}

/* Bad flags come before a bad pid. */
TEST_F(sc, rst_flags_checked_before_pid)
{
	ASSERT_FAILS_LOGGED(sys_restart(1, self->valid, rst_unknown_flag(),
					self->log[1]),
			    EINVAL, "restart", "unknown flags");
	ASSERT_EQ(NULL, strstr(self->logbuf, "pid"));
	ASSERT_FAILS_LOGGED(sys_restart(-1, self->valid,
					RESTART_INTO_CGROUP | rst_unknown_flag(),
					self->log[1]),
			    EINVAL, "restart", "unknown flags");
}

/*
 * With RESTART_INTO_CGROUP, @pid is the fd of a cgroup: a negative one is
 * refused at once (EBADF), before the image is read.
 */
TEST_F(sc, rst_into_cgroup_negative_fd)
{
	pid_t fds[] = { -1, -100, INT_MIN };

	for (size_t i = 0; i < ARRAY_SIZE(fds); i++) {
		ASSERT_FAILS_LOGGED(sys_restart(fds[i], self->valid,
						RESTART_INTO_CGROUP |
						RESTART_DRY_RUN, self->log[1]),
				    EBADF, "restart", "not an fd");
		ASSERT_FAILS_LOGGED(sys_restart(fds[i], self->valid,
						RESTART_INTO_CGROUP,
						self->log[1]),
				    EBADF, "restart", "not an fd");
	}
	/* Nothing was read. */
	ASSERT_EQ(0, ckpt_offset(self->valid));
}

/* The pid is reserved: it must be 0. */
TEST_F(sc, rst_pid_nonzero)
{
	pid_t pids[] = { 1, -1, getpid(), INT_MAX, INT_MIN };

	for (size_t i = 0; i < ARRAY_SIZE(pids); i++) {
		ASSERT_FAILS_LOGGED(sys_restart(pids[i], self->valid,
						RESTART_DRY_RUN, self->log[1]),
				    EINVAL, "restart", "pid must be 0");
		ASSERT_FAILS_LOGGED(sys_restart(pids[i], self->valid, 0,
						self->log[1]),
				    EINVAL, "restart", "pid must be 0");
	}
	ASSERT_EQ(0, ckpt_offset(self->valid));
}

/* A bad pid comes before the permission check. */
TEST_F(sc, rst_pid_checked_before_permission)
{
	ASSERT_CHILD_GETS(EINVAL, CKPT_PRIV_NONE, CKPT_OP_RESTART, 1,
			  self->valid, RESTART_DRY_RUN);
	ASSERT_LOG_SAYS("restart", "pid must be 0");
}

TEST_F(sc, rst_eperm_no_caps)
{
	ASSERT_CHILD_GETS(EPERM, CKPT_PRIV_NONE, CKPT_OP_RESTART, 0,
			  self->valid, RESTART_DRY_RUN);
	ASSERT_LOG_SAYS("restart", "permission denied");
	/* Nothing was read. */
	ASSERT_EQ(0, ckpt_offset(self->valid));

	ASSERT_CHILD_GETS(EPERM, CKPT_PRIV_NONE, CKPT_OP_RESTART, 0,
			  self->valid, 0);
	ASSERT_LOG_SAYS("restart", "permission denied");
}

/* The permission check comes before the image is read. */
TEST_F(sc, rst_eperm_checked_before_image)
{
	static const char junk[] = "this is not a checkpoint image at all\n";
	int fd = ckpt_memfd(junk, sizeof(junk));

	ASSERT_LE(0, fd);
	ASSERT_CHILD_GETS(EPERM, CKPT_PRIV_NONE, CKPT_OP_RESTART, 0, fd,
			  RESTART_DRY_RUN);
	ASSERT_LOG_SAYS("restart", "permission denied");
	ASSERT_EQ(0, ckpt_offset(fd));
	close(fd);
}

TEST_F(sc, rst_cap_checkpoint_restore_suffices)
{
	ASSERT_CHILD_GETS(0, CKPT_PRIV_CR, CKPT_OP_RESTART, 0, self->valid,
			  RESTART_DRY_RUN);
	ASSERT_STREQ("", self->logbuf);
	ASSERT_EQ((off_t)CKPT_IMAGE_SIZE, ckpt_offset(self->valid));
}

/* ------------------------------------------------------------------ */
/* The reasons log                                                     */

/* A regular file as the logfd: the line goes at its offset, which moves. */
TEST_F(sc, log_regular_file)
{
	static const char before[] = "an earlier line\n";
	char buf[512];
	char path[PATH_MAX];
	const char *why;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/tmp/ckpt-selftest-log.%d", (int)getpid());
	fd = open(path, O_CREAT | O_TRUNC | O_RDWR | O_CLOEXEC, 0600);
	ASSERT_LE(0, fd);
	unlink(path);
	ASSERT_EQ(0, ckpt_write_all(fd, before, strlen(before)));

	ASSERT_FAILS(sys_restart(0, self->valid, 1U << 31, fd), EINVAL);
	ASSERT_EQ(ckpt_size(fd), ckpt_offset(fd));
	n = pread(fd, buf, sizeof(buf) - 1, 0);
	ASSERT_LT((ssize_t)strlen(before), n);
	buf[n] = '\0';
	ASSERT_EQ(0, strncmp(buf, before, strlen(before)));
	why = ckpt_log_problem(buf + strlen(before), "restart", "unknown flags");
	ASSERT_TRUE(why == NULL) {
		TH_LOG("%s; log file: \"%s\"", why, buf);
	}

	/* A second failure appends a second line. */
	ASSERT_FAILS(sys_checkpoint(0, self->img, 0, fd), ESRCH);
	ASSERT_EQ(ckpt_size(fd), ckpt_offset(fd));
	n = pread(fd, buf, sizeof(buf) - 1, 0);
	ASSERT_LT(0, n);
	buf[n] = '\0';
	ASSERT_NE(NULL, strstr(buf, "\ncheckpoint: ")) {
		TH_LOG("log file: \"%s\"", buf);
	}
	ASSERT_EQ('\n', buf[n - 1]);
	close(fd);
}

/* A socket as the logfd. */
TEST_F(sc, log_socket)
{
	const char *why;
	int sv[2];

	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv));
	ASSERT_EQ(0, fcntl(sv[1], F_SETFL, O_NONBLOCK));
	ASSERT_FAILS(sys_restart(7, self->valid, RESTART_DRY_RUN, sv[0]),
		     EINVAL);
	ckpt_log_read(sv[1], self->logbuf, sizeof(self->logbuf));
	why = ckpt_log_problem(self->logbuf, "restart", "pid must be 0");
	ASSERT_TRUE(why == NULL) {
		TH_LOG("%s; log: \"%s\"", why, self->logbuf);
	}
	close(sv[0]);
	close(sv[1]);
}

TEST_HARNESS_MAIN
