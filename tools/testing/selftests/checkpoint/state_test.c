// SPDX-License-Identifier: GPL-2.0
/*
 * The whole cycle, for each kind of state a process has: a container's
 * init (the first process of a new pid namespace, in a cgroup of its own)
 * builds the state, reports what it sees of itself, and blocks; the test
 * freezes it, reads /proc of it, checkpoints it (into a memfd, or through
 * a pipe into a restart(2) that runs at the same time), kills it and
 * restarts it.  Then /proc must show the same of the restored task, the
 * restored task must see the same of itself, and it must go on working
 * with that state: read on from its files and pipes, run its handlers,
 * take its pending signals, wake from its sleep when it should.
 *
 * The state: fds of every kind that checkpoint saves (regular files,
 * directories, /dev/null and friends, pipes holding data, memfds), shared
 * memory (anonymous, of a file), signal handlers, blocked and pending
 * signals, the alternate signal stack, interval timers, POSIX timers, TLS
 * descriptors (format version 3), the umask,
 * working and root directories, resource limits,
 * scheduling and prctl() attributes, credentials, and system calls that
 * restart with the time they had left (sleeps, poll, futex waits); format
 * version 4: epoll files and their items (EPOLLET, EPOLLONESHOT, a task in
 * epoll_wait(2)), UTS and IPC namespaces of the container's own, and
 * external files (a pipe to the test on its stdout, a terminal on its
 * stdin, stdout and stderr: CHECKPOINT_EXTERNAL, the restarter's files in
 * their place, RESTART_EXTERNAL_NULL, a restarter without them).  Then
 * the refusals: checkpoint of fds of kinds it cannot save, of nested
 * epoll and of items whose fd is not their file's, of a container's own
 * IPC namespace that holds objects, of a task in another UTS namespace, of
 * a device restart does not open, of POSIX timers on clocks of CPU time
 * or alarm clocks and of a sleep on a CPU clock; restart of an image
 * whose files changed or whose credentials the caller could not set; and
 * RESTART_INTO_CGROUP.
 *
 * The target is a fork of this static, non-PIE program: the addresses of
 * its globals are ours.  It talks to the test through a report file in a
 * scratch directory, which it keeps open (O_APPEND) and which restart
 * opens again, and takes commands on a pipe of its own, which the test
 * opens through /proc/PID/fd.
 */
#define _GNU_SOURCE
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wclobbered"
#include "kselftest_harness.h"

#include <linux/futex.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/sysmacros.h>
#include <sys/timerfd.h>
#include <sys/utsname.h>
#include <termios.h>

#include "ckpt_util.h"

/* ------------------------------------------------------------------ */
/* What the target and the test share                                  */

/* The target's own fds, the same in every scenario. */
#define CMD_FD		60	/* commands: the read end of its pipe */
#define CMD_WR_FD	61	/* the write end, so that reads block */
#define REPORT_FD	62	/* the report file, O_APPEND */
#define VIEW_MAX_FD	256	/* the highest fd a view looks at, +1 */
#define VIEW_FDS	48

/* Files of the scratch directory, made by the test. */
#define F_DATA		"data"		/* 64 KiB of pattern 1 */
#define F_SHARED	"shared"	/* 8 KiB of pattern 2 */
#define F_APPEND	"append"	/* 100 bytes of pattern 3 */
#define F_DIR		"dir"		/* a directory, with "sub" */
#define F_ROOT		"root"		/* a directory to chroot to, with "sub" */
#define F_REPORT	"report"
#define DATA_SIZE	65536
#define SHARED_SIZE	8192
#define APPEND_SIZE	100

/* What a task sees of one of its fds. */
struct fd_view {
	int32_t fd;
	int32_t fd_flags;	/* F_GETFD */
	int32_t fl;		/* F_GETFL */
	uint32_t mode;		/* st_mode & S_IFMT */
	uint32_t nlink;		/* 0: a memfd (or an unlinked file) */
	uint32_t pad;
	int64_t pos;		/* lseek(fd, 0, SEEK_CUR), or -errno */
	uint64_t dev, ino, rdev;
	int32_t pipe_size;	/* F_GETPIPE_SZ, or -1 */
	int32_t nread;		/* FIONREAD of a pipe, or -1 */
};

struct act_view {
	uint64_t handler, flags, restorer, mask;
};

/* What a task sees of itself, through its own system calls. */
struct view {
	int32_t pid;
	uint32_t nr_fds;
	struct fd_view fds[VIEW_FDS];
	struct act_view act[CKPT_NSIG];
	uint64_t blocked, pending;
	uint64_t ss_sp, ss_size;
	int32_t ss_flags;
	uint32_t umask;
	int64_t it_value[CKPT_NR_ITIMERS], it_interval[CKPT_NR_ITIMERS];
	uint64_t rl_cur[CKPT_NR_RLIMITS], rl_max[CKPT_NR_RLIMITS];
	char cwd[256];
	int32_t nice, policy, rt_priority;
	int32_t no_new_privs, subreaper, dumpable, pdeathsig;
	uint32_t uid[4], gid[4];	/* real, effective, saved, fs */
	int32_t nr_groups;
	uint32_t groups[32];
	uint64_t cap_inh, cap_prm, cap_eff, cap_bset, cap_amb;
	int32_t securebits;
	int32_t pad;
};

#define REPORT_MAGIC	0x3154524f50455254ULL	/* "TREPORT1" */

enum report_kind {
	R_VIEW = 1,	/* its view of itself */
	R_CHECK,	/* the result of its checks (or of a blocking call) */
	R_ERROR,	/* its setup failed: @msg says where */
};

struct report {
	uint64_t magic;
	uint32_t kind;
	uint32_t seq;
	int32_t ok;		/* R_CHECK: all checks passed */
	int32_t pad;
	int64_t mono_ns;	/* CLOCK_MONOTONIC when written */
	int64_t val[16];	/* what a scenario measured */
	char msg[512];		/* what failed, or what was seen */
	struct view v;
	uint64_t magic_end;	/* a whole report, not a torn one */
};

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Contents of the test's files: byte @off of pattern @salt. */
static uint8_t pat(uint64_t off, unsigned int salt)
{
	return (uint8_t)(off * 131 + (off >> 9) * 17 + salt * 59 + 1);
}

/* ------------------------------------------------------------------ */
/* The target: building state, reporting, taking commands              */

struct scenario;

static char tgt_dir[256];		/* the scratch directory */
/*
 * A file of the test that the target keeps as its stdout (a pipe's write
 * end), or as its stdin, stdout and stderr (a terminal): shared with the
 * world outside the container.  -1: none.
 */
static int tgt_ext_fd = -1;
static int tgt_ext_stdio;		/* 1: stdout only; 3: 0, 1 and 2 */
#define EXT_KEEP_FD	250		/* where tgt_main() keeps it meanwhile */
static char tgt_msg[512];		/* the first failure of a check */
static int64_t tgt_val[16];		/* what the next report carries */
static uint32_t tgt_seq;
static struct report tgt_rep;

/* Note the first failure (checks go on to say more, but keep the first). */
__attribute__((format(printf, 1, 2)))
static int tfail(const char *fmt, ...)
{
	va_list ap;

	if (!tgt_msg[0]) {
		va_start(ap, fmt);
		vsnprintf(tgt_msg, sizeof(tgt_msg), fmt, ap);
		va_end(ap);
	}
	return -1;
}

static const char *tpath(const char *name)
{
	static char path[2][PATH_MAX];
	static int i;

	i ^= 1;
	snprintf(path[i], sizeof(path[i]), "%s/%s", tgt_dir, name);
	return path[i];
}

/* Move @fd to @to (with FD_CLOEXEC if @cloexec): 0 or -1. */
static int tmove(int fd, int to, bool cloexec)
{
	if (fd < 0)
		return -1;
	if (fd == to)
		return cloexec ? fcntl(to, F_SETFD, FD_CLOEXEC) : 0;
	if (dup3(fd, to, cloexec ? O_CLOEXEC : 0) != to)
		return -1;
	close(fd);
	return 0;
}

struct ksigaction {
	uint64_t handler, flags, restorer, mask;
};

static void take_view(struct view *v)
{
	struct __user_cap_data_struct caps[2];
	struct ksigaction ksa;
	struct sched_param sp;
	stack_t ss;
	gid_t groups[32];
	int n;

	memset(v, 0, sizeof(*v));
	v->pid = getpid();
	for (int fd = 0; fd < VIEW_MAX_FD && v->nr_fds < VIEW_FDS; fd++) {
		struct fd_view *f = &v->fds[v->nr_fds];
		struct stat st = { 0 };
		off_t pos;

		f->fd_flags = fcntl(fd, F_GETFD);
		if (f->fd_flags < 0)
			continue;
		f->fd = fd;
		f->fl = fcntl(fd, F_GETFL);
		if (!fstat(fd, &st)) {
			f->mode = st.st_mode & S_IFMT;
			f->nlink = st.st_nlink;
			f->dev = st.st_dev;
			f->ino = st.st_ino;
			f->rdev = st.st_rdev;
		}
		pos = lseek(fd, 0, SEEK_CUR);
		f->pos = pos < 0 ? -errno : pos;
		f->pipe_size = -1;
		f->nread = -1;
		if (S_ISFIFO(st.st_mode)) {
			f->pipe_size = fcntl(fd, F_GETPIPE_SZ);
			if (ioctl(fd, FIONREAD, &n) == 0)
				f->nread = n;
		}
		v->nr_fds++;
	}
	for (int sig = 1; sig <= CKPT_NSIG; sig++) {
		struct act_view *a = &v->act[sig - 1];

		memset(&ksa, 0, sizeof(ksa));
		if (syscall(SYS_rt_sigaction, sig, NULL, &ksa, 8))
			continue;
		a->handler = ksa.handler;
		a->flags = ksa.flags;
		a->restorer = ksa.restorer;
		a->mask = ksa.mask;
	}
	syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, &v->blocked, 8);
	syscall(SYS_rt_sigpending, &v->pending, 8);
	if (!sigaltstack(NULL, &ss)) {
		v->ss_sp = (uintptr_t)ss.ss_sp;
		v->ss_size = ss.ss_size;
		v->ss_flags = ss.ss_flags;
	}
	v->umask = umask(0);
	umask(v->umask);
	for (int w = 0; w < CKPT_NR_ITIMERS; w++) {
		struct itimerval it;

		if (getitimer(w, &it))
			continue;
		v->it_value[w] = it.it_value.tv_sec * 1000000000LL +
				 it.it_value.tv_usec * 1000LL;
		v->it_interval[w] = it.it_interval.tv_sec * 1000000000LL +
				    it.it_interval.tv_usec * 1000LL;
	}
	for (int r = 0; r < CKPT_NR_RLIMITS; r++) {
		struct rlimit rl;

		if (getrlimit(r, &rl))
			continue;
		v->rl_cur[r] = rl.rlim_cur;
		v->rl_max[r] = rl.rlim_max;
	}
	if (!getcwd(v->cwd, sizeof(v->cwd)))
		snprintf(v->cwd, sizeof(v->cwd), "(getcwd: %s)", strerror(errno));
	errno = 0;
	v->nice = getpriority(PRIO_PROCESS, 0);
	v->policy = sched_getscheduler(0);
	if (!sched_getparam(0, &sp))
		v->rt_priority = sp.sched_priority;
	v->no_new_privs = prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
	prctl(PR_GET_CHILD_SUBREAPER, &v->subreaper, 0, 0, 0);
	v->dumpable = prctl(PR_GET_DUMPABLE, 0, 0, 0, 0);
	prctl(PR_GET_PDEATHSIG, &v->pdeathsig, 0, 0, 0);
	getresuid(&v->uid[0], &v->uid[1], &v->uid[2]);
	v->uid[3] = setfsuid(-1);
	getresgid(&v->gid[0], &v->gid[1], &v->gid[2]);
	v->gid[3] = setfsgid(-1);
	n = getgroups(32, groups);
	v->nr_groups = n;
	for (int i = 0; i < n && i < 32; i++)
		v->groups[i] = groups[i];
	if (!ckpt_capget(caps)) {
		v->cap_inh = caps[0].inheritable |
			     (uint64_t)caps[1].inheritable << 32;
		v->cap_prm = caps[0].permitted | (uint64_t)caps[1].permitted << 32;
		v->cap_eff = caps[0].effective | (uint64_t)caps[1].effective << 32;
	}
	for (int cap = 0; cap <= CAP_LAST_CAP; cap++) {
		if (prctl(PR_CAPBSET_READ, cap, 0, 0, 0) == 1)
			v->cap_bset |= 1ULL << cap;
		if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, cap, 0, 0) == 1)
			v->cap_amb |= 1ULL << cap;
	}
	v->securebits = prctl(PR_GET_SECUREBITS, 0, 0, 0, 0);
}

/* Append a report to the report file; what the target says, and sees. */
static void tgt_report(enum report_kind kind, int ok)
{
	struct report *r = &tgt_rep;
	int saved = errno;

	memset(r, 0, sizeof(*r));
	r->magic = REPORT_MAGIC;
	r->kind = kind;
	r->seq = ++tgt_seq;
	r->ok = ok;
	memcpy(r->val, tgt_val, sizeof(r->val));
	memcpy(r->msg, tgt_msg, sizeof(r->msg));
	take_view(&r->v);
	r->mono_ns = now_ns();
	r->magic_end = REPORT_MAGIC;
	ckpt_write_all(REPORT_FD, r, sizeof(*r));
	tgt_msg[0] = '\0';
	errno = saved;
}

/*
 * What a scenario does in the target: @setup builds the state (0, or -1
 * with tfail()); @block, if any, makes the call the target is frozen in,
 * checks how it ended and returns whether all was right; else the target
 * waits for commands in read(2) on its command pipe, and @check, on the
 * command 'c', checks that the state works (after the restart).
 */
struct tgt_ops {
	int (*setup)(void);
	int (*block)(void);
	int (*check)(void);
};

static __attribute__((noreturn)) void tgt_commands(const struct tgt_ops *ops)
{
	for (;;) {
		char c;
		ssize_t n = read(CMD_FD, &c, 1);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			tfail("reading a command: %s",
			      n ? strerror(errno) : "end of file");
			tgt_report(R_ERROR, 0);
			for (;;)
				pause();
		}
		if (c == 'v') {
			tgt_report(R_VIEW, 1);
		} else if (c == 'c') {
			int ok = !ops->check || !ops->check();

			tgt_report(R_CHECK, ok);
		}
	}
}

/* Every signal to its default action, none blocked: a clean start. */
static void tgt_reset_signals(void)
{
	struct ksigaction dfl = { 0 };
	uint64_t none = 0;

	for (int sig = 1; sig <= CKPT_NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			syscall(SYS_rt_sigaction, sig, &dfl, NULL, 8);
	syscall(SYS_rt_sigprocmask, SIG_SETMASK, &none, NULL, 8);
	sigaltstack(&(stack_t){ .ss_flags = SS_DISABLE }, NULL);
}

/*
 * The target, pid 1 of its pid namespace: into its cgroup, rid of the
 * test's shared mappings and fds, with /dev/null on 0-2, its report file
 * and command pipe; then the scenario's state, a first view, and the
 * scenario's blocking call or the commands.
 */
static __attribute__((noreturn)) void tgt_main(const struct tgt_ops *ops,
					      const char *cg, const char *dir)
{
	int p[2];

	/* "0" moves the writer itself: its pid here is 1. */
	if (ckpt_cg_write(cg, "cgroup.procs", "0"))
		_exit(1);
	snprintf(tgt_dir, sizeof(tgt_dir), "%s", dir);
	if (ckpt_unmap_shared())
		_exit(2);
	if (tgt_ext_fd >= 0 && dup2(tgt_ext_fd, EXT_KEEP_FD) != EXT_KEEP_FD)
		_exit(2);
	syscall(SYS_close_range, 0, EXT_KEEP_FD - 1, 0);
	if (tgt_ext_fd < 0)
		syscall(SYS_close_range, EXT_KEEP_FD, ~0U, 0);
	else
		syscall(SYS_close_range, EXT_KEEP_FD + 1, ~0U, 0);
	tgt_reset_signals();
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) || ckpt_stdio_devnull() ||
	    tmove(open(tpath(F_REPORT), O_WRONLY | O_APPEND), REPORT_FD, false))
		_exit(3);
	/* The file of the test: as its stdout, or its stdin, stdout, stderr. */
	if (tgt_ext_fd >= 0) {
		int first = tgt_ext_stdio == 1 ? 1 : 0;

		for (int fd = first; fd < first + tgt_ext_stdio; fd++)
			if (dup2(EXT_KEEP_FD, fd) != fd)
				_exit(3);
		close(EXT_KEEP_FD);
	}
	if (pipe(p) || tmove(p[0], CMD_FD, false) ||
	    tmove(p[1], CMD_WR_FD, false)) {
		tfail("the command pipe: %s", strerror(errno));
		tgt_report(R_ERROR, 0);
		_exit(4);
	}
	umask(022);
	if (ops->setup && ops->setup()) {
		tgt_report(R_ERROR, 0);
		for (;;)
			pause();
	}
	tgt_report(R_VIEW, 1);
	if (ops->block)
		tgt_report(R_CHECK, !ops->block());
	tgt_commands(ops);
}

/* ------------------------------------------------------------------ */
/* The scenarios, in the target                                        */

/* Read until @len bytes, end of file or an error; the count or -errno. */
static ssize_t tread(int fd, void *buf, size_t len)
{
	ssize_t n = ckpt_read_all(fd, buf, len);

	return n < 0 ? -errno : n;
}

/* Whether @len bytes at @buf are pattern @salt from offset @off. */
static bool is_pat(const uint8_t *buf, size_t len, uint64_t off,
		   unsigned int salt)
{
	for (size_t i = 0; i < len; i++)
		if (buf[i] != pat(off + i, salt))
			return false;
	return true;
}

/* Write @len bytes of pattern @salt (from offset 0) to @fd. */
static int write_pat(int fd, size_t len, unsigned int salt)
{
	uint8_t buf[4096];

	for (size_t off = 0; off < len; off += sizeof(buf)) {
		size_t n = len - off < sizeof(buf) ? len - off : sizeof(buf);

		for (size_t i = 0; i < n; i++)
			buf[i] = pat(off + i, salt);
		if (ckpt_write_all(fd, buf, n))
			return -1;
	}
	return 0;
}

/* Read exactly @len bytes of pattern @salt from @fd, then nothing more. */
static int read_pat(int fd, size_t len, unsigned int salt, uint64_t from,
		    const char *what)
{
	uint8_t buf[4096];

	for (size_t off = 0; off < len; off += sizeof(buf)) {
		size_t want = len - off < sizeof(buf) ? len - off : sizeof(buf);
		ssize_t n = tread(fd, buf, want);

		if (n != (ssize_t)want)
			return tfail("%s: read %zd of %zu bytes at %zu", what,
				     n, want, off);
		if (!is_pat(buf, want, from + off, salt))
			return tfail("%s: wrong bytes at %zu", what, off);
	}
	return 0;
}

/* Fds at odd numbers, each of another kind; with and without FD_CLOEXEC. */
#define FDS_DATA	5	/* F_DATA, read-only, read halfway */
#define FDS_SHARED	7	/* F_SHARED, read-write, at 1000 */
#define FDS_SHARED_DUP	9	/* a dup of 7 (close-on-exec): one offset */
#define FDS_APPEND	11	/* F_APPEND, write-only, O_APPEND */
#define FDS_DIR		13	/* F_DIR, close-on-exec */
#define FDS_NULL	15	/* /dev/null */
#define FDS_ZERO	17	/* /dev/zero, close-on-exec */
#define FDS_URANDOM	19	/* /dev/urandom */
#define FDS_FULL	21	/* /dev/full */
#define FDS_RANDOM	23	/* /dev/random, non-blocking */

static int fds_setup(void)
{
	uint8_t buf[DATA_SIZE / 2];

	if (tmove(open(tpath(F_DATA), O_RDONLY), FDS_DATA, false) ||
	    tread(FDS_DATA, buf, sizeof(buf)) != sizeof(buf) ||
	    tmove(open(tpath(F_SHARED), O_RDWR), FDS_SHARED, false) ||
	    lseek(FDS_SHARED, 1000, SEEK_SET) != 1000 ||
	    fcntl(FDS_SHARED, F_DUPFD_CLOEXEC, FDS_SHARED_DUP) != FDS_SHARED_DUP ||
	    tmove(open(tpath(F_APPEND), O_WRONLY | O_APPEND), FDS_APPEND, false) ||
	    tmove(open(tpath(F_DIR), O_RDONLY | O_DIRECTORY), FDS_DIR, true) ||
	    tmove(open("/dev/null", O_RDWR), FDS_NULL, false) ||
	    tmove(open("/dev/zero", O_RDONLY), FDS_ZERO, true) ||
	    tmove(open("/dev/urandom", O_RDONLY), FDS_URANDOM, false) ||
	    tmove(open("/dev/full", O_WRONLY), FDS_FULL, false) ||
	    tmove(open("/dev/random", O_RDONLY | O_NONBLOCK), FDS_RANDOM, false))
		return tfail("opening the files: %s", strerror(errno));
	return 0;
}

static int fds_check(void)
{
	uint8_t buf[64];
	struct stat st;
	ssize_t n;

	/* It reads on from where it was, to the end. */
	read_pat(FDS_DATA, DATA_SIZE / 2, 1, DATA_SIZE / 2, "the data file");
	n = tread(FDS_DATA, buf, sizeof(buf));
	if (n != 0)
		tfail("the data file: %zd bytes past its end", n);
	/* A dup shares the offset. */
	read_pat(FDS_SHARED, 100, 2, 1000, "the shared file");
	if (lseek(FDS_SHARED_DUP, 0, SEEK_CUR) != 1100)
		tfail("the dup of the shared file is at %lld, not 1100",
		      (long long)lseek(FDS_SHARED_DUP, 0, SEEK_CUR));
	if (lseek(FDS_SHARED_DUP, 50, SEEK_SET) != 50 ||
	    lseek(FDS_SHARED, 0, SEEK_CUR) != 50)
		tfail("a seek on the dup does not move the shared file");
	/* O_APPEND: at the end, whatever the offset. */
	if (write(FDS_APPEND, "Z", 1) != 1 || fstat(FDS_APPEND, &st) ||
	    st.st_size != APPEND_SIZE + 1 ||
	    lseek(FDS_APPEND, 0, SEEK_CUR) != APPEND_SIZE + 1)
		tfail("a write to the O_APPEND file: size %lld, offset %lld",
		      (long long)st.st_size,
		      (long long)lseek(FDS_APPEND, 0, SEEK_CUR));
	/* The directory, as a directory fd. */
	if (fstatat(FDS_DIR, "sub", &st, 0) || !S_ISDIR(st.st_mode))
		tfail("fstatat(dir fd, \"sub\"): %s", strerror(errno));
	if (write(FDS_NULL, buf, 10) != 10 || read(FDS_NULL, buf, 10) != 0)
		tfail("/dev/null does not behave");
	memset(buf, 0xff, 16);
	if (read(FDS_ZERO, buf, 16) != 16 || !ckpt_is_zero(buf, 16))
		tfail("/dev/zero does not read zeros");
	memset(buf, 0, 16);
	if (read(FDS_URANDOM, buf, 16) != 16 || ckpt_is_zero(buf, 16))
		tfail("/dev/urandom does not read random bytes");
	if (write(FDS_FULL, buf, 1) != -1 || errno != ENOSPC)
		tfail("/dev/full does not say ENOSPC");
	/* (EAGAIN: a random pool not ready yet, early after boot) */
	if (read(FDS_RANDOM, buf, 16) <= 0 && errno != EAGAIN)
		tfail("/dev/random (non-blocking): %s", strerror(errno));
	return tgt_msg[0] ? -1 : 0;
}

/* Pipes: holding data, a closed writer, big and nearly full, empty. */
#define PIPE_A_R	25	/* 3000 bytes in it */
#define PIPE_A_W	27
#define PIPE_B_R	29	/* 500 bytes, its write end closed */
#define PIPE_C_R	31	/* 1 MiB, non-blocking, nearly full */
#define PIPE_C_W	33
#define PIPE_D_R	35	/* empty; its write end close-on-exec */
#define PIPE_D_W	37
#define PIPE_A_LEN	3000
#define PIPE_B_LEN	500
#define PIPE_C_SIZE	(1 << 20)
#define PIPE_C_LEN	(PIPE_C_SIZE - 3000)

static int pipes_setup(void)
{
	int a[2], b[2], c[2], d[2];

	if (pipe(a) || tmove(a[0], PIPE_A_R, false) ||
	    tmove(a[1], PIPE_A_W, false) ||
	    write_pat(PIPE_A_W, PIPE_A_LEN, 4))
		return tfail("pipe A: %s", strerror(errno));
	if (pipe(b) || tmove(b[0], PIPE_B_R, false) ||
	    write_pat(b[1], PIPE_B_LEN, 5) || close(b[1]))
		return tfail("pipe B: %s", strerror(errno));
	if (pipe2(c, O_NONBLOCK) || tmove(c[0], PIPE_C_R, false) ||
	    tmove(c[1], PIPE_C_W, false) ||
	    fcntl(PIPE_C_W, F_SETPIPE_SZ, PIPE_C_SIZE) != PIPE_C_SIZE ||
	    write_pat(PIPE_C_W, PIPE_C_LEN, 6))
		return tfail("pipe C: %s", strerror(errno));
	if (pipe2(d, O_CLOEXEC) || tmove(d[0], PIPE_D_R, false) ||
	    fcntl(PIPE_D_R, F_SETFD, 0) || tmove(d[1], PIPE_D_W, true))
		return tfail("pipe D: %s", strerror(errno));
	return 0;
}

static int pipes_check(void)
{
	uint8_t buf[16];
	int n = -1;

	if (ioctl(PIPE_A_R, FIONREAD, &n) || n != PIPE_A_LEN)
		tfail("pipe A holds %d bytes, not %d", n, PIPE_A_LEN);
	read_pat(PIPE_A_R, PIPE_A_LEN, 4, 0, "pipe A");
	if (write(PIPE_A_W, "0123456789", 10) != 10 ||
	    tread(PIPE_A_R, buf, 10) != 10 || memcmp(buf, "0123456789", 10))
		tfail("pipe A does not carry new bytes");
	/* All its bytes, then end of file: its writer is gone. */
	read_pat(PIPE_B_R, PIPE_B_LEN, 5, 0, "pipe B");
	if (read(PIPE_B_R, buf, sizeof(buf)) != 0)
		tfail("pipe B: no end of file after its data");
	if (fcntl(PIPE_C_R, F_GETPIPE_SZ) != PIPE_C_SIZE)
		tfail("pipe C has a capacity of %d, not %d",
		      fcntl(PIPE_C_R, F_GETPIPE_SZ), PIPE_C_SIZE);
	if (!(fcntl(PIPE_C_R, F_GETFL) & O_NONBLOCK) ||
	    !(fcntl(PIPE_C_W, F_GETFL) & O_NONBLOCK))
		tfail("pipe C is not non-blocking any more");
	/* Room for what was left, not more. */
	if (write(PIPE_C_W, buf, 1) != 1)
		tfail("pipe C: no room for one more byte: %s", strerror(errno));
	read_pat(PIPE_C_R, PIPE_C_LEN, 6, 0, "pipe C");
	if (read(PIPE_C_R, buf, 2) != 1)
		tfail("pipe C: the byte written after the restart is not there");
	if (read(PIPE_C_R, buf, 1) != -1 || errno != EAGAIN)
		tfail("pipe C: empty, a read does not say EAGAIN");
	if (ioctl(PIPE_D_R, FIONREAD, &n) || n != 0 ||
	    write(PIPE_D_W, "x", 1) != 1 || read(PIPE_D_R, buf, 1) != 1 ||
	    buf[0] != 'x')
		tfail("pipe D does not work");
	return tgt_msg[0] ? -1 : 0;
}

/* Handlers of every kind, an alternate stack the handler runs on. */
#define ALTSTACK_SIZE	(64 * 1024)

static volatile int hnd_usr1, hnd_usr2;
static volatile int hnd_code, hnd_pid;
static volatile uint64_t hnd_sp, hnd_blocked;
static uint8_t *hnd_stack;

static void hnd_on_usr1(int sig, siginfo_t *si, void *uc)
{
	uint64_t blocked = 0;
	volatile int here;

	hnd_usr1++;
	hnd_code = si->si_code;
	hnd_pid = si->si_pid;
	hnd_sp = (uintptr_t)&here;
	syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, &blocked, 8);
	hnd_blocked = blocked;
}

static void hnd_on_usr2(int sig)
{
	hnd_usr2++;
}

static int sighandlers_setup(void)
{
	struct sigaction sa;
	stack_t ss;
	sigset_t set;

	hnd_stack = mmap(NULL, ALTSTACK_SIZE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (hnd_stack == MAP_FAILED)
		return tfail("mmap: %s", strerror(errno));
	ss.ss_sp = hnd_stack;
	ss.ss_size = ALTSTACK_SIZE;
	ss.ss_flags = CKPT_SS_AUTODISARM;
	if (sigaltstack(&ss, NULL))
		return tfail("sigaltstack: %s", strerror(errno));

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = hnd_on_usr1;
	sa.sa_flags = SA_SIGINFO | SA_RESTART | SA_ONSTACK;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGUSR2);
	sigaddset(&sa.sa_mask, SIGRTMIN + 1);
	if (sigaction(SIGUSR1, &sa, NULL))
		return tfail("sigaction(SIGUSR1): %s", strerror(errno));
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = hnd_on_usr2;
	sa.sa_flags = SA_NODEFER | SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGUSR2, &sa, NULL))
		return tfail("sigaction(SIGUSR2): %s", strerror(errno));
	sa.sa_flags = SA_RESTART;
	sigaddset(&sa.sa_mask, SIGINT);
	if (sigaction(SIGTERM, &sa, NULL) || sigaction(SIGRTMIN + 5, &sa, NULL))
		return tfail("sigaction: %s", strerror(errno));
	if (signal(SIGHUP, SIG_IGN) == SIG_ERR ||
	    signal(SIGPIPE, SIG_IGN) == SIG_ERR)
		return tfail("signal(SIG_IGN): %s", strerror(errno));
	sigemptyset(&set);
	sigaddset(&set, SIGWINCH);
	sigaddset(&set, SIGRTMIN + 2);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		return tfail("sigprocmask: %s", strerror(errno));
	return 0;
}

/* After the test sent SIGUSR1 and SIGUSR2 to the restored task. */
static int sighandlers_check(void)
{
	uint64_t want = CKPT_SIGBIT(SIGUSR1) | CKPT_SIGBIT(SIGUSR2) |
			CKPT_SIGBIT(SIGRTMIN + 1) | CKPT_SIGBIT(SIGWINCH) |
			CKPT_SIGBIT(SIGRTMIN + 2);
	struct sigaction sa;
	stack_t ss;

	if (hnd_usr1 != 1)
		tfail("the SIGUSR1 handler ran %d times", hnd_usr1);
	if (hnd_code != SI_USER || hnd_pid != 0)
		tfail("SIGUSR1: si_code %d, si_pid %d (not SI_USER from outside)",
		      hnd_code, hnd_pid);
	if (hnd_sp < (uintptr_t)hnd_stack ||
	    hnd_sp >= (uintptr_t)hnd_stack + ALTSTACK_SIZE)
		tfail("the SIGUSR1 handler ran at 0x%llx, not on its stack 0x%llx",
		      (unsigned long long)hnd_sp,
		      (unsigned long long)(uintptr_t)hnd_stack);
	if (hnd_blocked != want)
		tfail("blocked in the SIGUSR1 handler: 0x%llx, not 0x%llx",
		      (unsigned long long)hnd_blocked,
		      (unsigned long long)want);
	if (hnd_usr2 != 1)
		tfail("the SIGUSR2 handler ran %d times", hnd_usr2);
	/* SA_RESETHAND: the action is back to the default. */
	if (sigaction(SIGUSR2, NULL, &sa) || sa.sa_handler != SIG_DFL)
		tfail("SIGUSR2 still has its handler after SA_RESETHAND");
	/* SS_AUTODISARM: armed again after the handler. */
	if (sigaltstack(NULL, &ss) || ss.ss_sp != hnd_stack ||
	    ss.ss_size != ALTSTACK_SIZE || (uint32_t)ss.ss_flags != CKPT_SS_AUTODISARM)
		tfail("the alternate stack is %p/%zu/0x%x after the handler",
		      ss.ss_sp, ss.ss_size, ss.ss_flags);
	return tgt_msg[0] ? -1 : 0;
}

/* Blocked signals pending for the task and for the process. */
#define PND_MAX		8

static struct {
	int signo, code, pid, value;
} pnd_got[PND_MAX];
static volatile int pnd_nr;

static void pnd_handler(int sig, siginfo_t *si, void *uc)
{
	if (pnd_nr < PND_MAX) {
		pnd_got[pnd_nr].signo = sig;
		pnd_got[pnd_nr].code = si->si_code;
		pnd_got[pnd_nr].pid = si->si_pid;
		pnd_got[pnd_nr].value = si->si_value.sival_int;
	}
	pnd_nr++;
}

static int pnd_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGUSR1);
	sigaddset(set, SIGUSR2);
	sigaddset(set, SIGRTMIN + 3);
	sigaddset(set, SIGRTMIN + 4);
	return 0;
}

static int sigpending_setup(void)
{
	struct sigaction sa;
	siginfo_t si;
	sigset_t set;

	/* All blocked in the handlers: one signal at a time, in order. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = pnd_handler;
	sa.sa_flags = SA_SIGINFO;
	sigfillset(&sa.sa_mask);
	pnd_signals(&set);
	if (sigaction(SIGUSR1, &sa, NULL) || sigaction(SIGUSR2, &sa, NULL) ||
	    sigaction(SIGRTMIN + 3, &sa, NULL) ||
	    sigaction(SIGRTMIN + 4, &sa, NULL) ||
	    sigprocmask(SIG_BLOCK, &set, NULL))
		return tfail("handlers: %s", strerror(errno));
	memset(&si, 0, sizeof(si));
	si.si_signo = SIGRTMIN + 4;
	si.si_code = SI_QUEUE;
	si.si_pid = getpid();
	si.si_uid = getuid();
	si.si_value.sival_int = 333;
	/* for the task: tgkill, rt_tgsigqueueinfo; for the process: the rest */
	if (syscall(SYS_tgkill, getpid(), gettid(), SIGUSR1) ||
	    kill(getpid(), SIGUSR2) ||
	    sigqueue(getpid(), SIGRTMIN + 3, (union sigval){ .sival_int = 111 }) ||
	    sigqueue(getpid(), SIGRTMIN + 3, (union sigval){ .sival_int = 222 }) ||
	    syscall(SYS_rt_tgsigqueueinfo, getpid(), gettid(), SIGRTMIN + 4, &si))
		return tfail("queueing the signals: %s", strerror(errno));
	return 0;
}

/*
 * Unblocked, they come one by one (each handler blocks all): the task's
 * own first, by number, then the process's, by number, rt signals in the
 * order they were queued.
 */
static int sigpending_check(void)
{
	const struct {
		int signo, code, value;
	} want[] = {
		{ SIGUSR1, SI_TKILL, 0 },
		{ SIGRTMIN + 4, SI_QUEUE, 333 },
		{ SIGUSR2, SI_USER, 0 },
		{ SIGRTMIN + 3, SI_QUEUE, 111 },
		{ SIGRTMIN + 3, SI_QUEUE, 222 },
	};
	sigset_t set;

	pnd_signals(&set);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	if (pnd_nr != (int)ARRAY_SIZE(want))
		tfail("%d signals delivered, not %zu", pnd_nr, ARRAY_SIZE(want));
	for (int i = 0; i < pnd_nr && i < (int)ARRAY_SIZE(want); i++) {
		if (pnd_got[i].signo != want[i].signo ||
		    pnd_got[i].code != want[i].code ||
		    pnd_got[i].pid != 1 ||
		    (want[i].value && pnd_got[i].value != want[i].value))
			tfail("signal %d delivered: %d (code %d, pid %d, value %d), not %d (code %d, value %d)",
			      i, pnd_got[i].signo, pnd_got[i].code,
			      pnd_got[i].pid, pnd_got[i].value, want[i].signo,
			      want[i].code, want[i].value);
	}
	return tgt_msg[0] ? -1 : 0;
}

/* Interval timers: a real one that keeps ticking, two of CPU time. */
#define IT_REAL_MS	300

static volatile int itm_alarms;

static void itm_on_alarm(int sig)
{
	itm_alarms++;
}

static int itimers_setup(void)
{
	struct itimerval real = {
		.it_value = { 0, IT_REAL_MS * 1000 },
		.it_interval = { 0, IT_REAL_MS * 1000 },
	};
	struct itimerval virt = {
		.it_value = { 100, 0 }, .it_interval = { 7, 0 },
	};
	struct itimerval prof = { .it_value = { 200, 500000 } };
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = itm_on_alarm;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGALRM, &sa, NULL) ||
	    setitimer(ITIMER_VIRTUAL, &virt, NULL) ||
	    setitimer(ITIMER_PROF, &prof, NULL) ||
	    setitimer(ITIMER_REAL, &real, NULL))
		return tfail("setitimer: %s", strerror(errno));
	return 0;
}

/* How many SIGALRMs so far (the test asks twice, some time apart). */
static int itimers_check(void)
{
	tgt_val[0] = itm_alarms;
	return 0;
}

/* The umask and the working directory. */
static int fs_setup(void)
{
	umask(027);
	if (chdir(tpath(F_DIR "/sub")))
		return tfail("chdir: %s", strerror(errno));
	return 0;
}

static int fs_check(void)
{
	char cwd[PATH_MAX];
	struct stat st;
	int fd;

	if (!getcwd(cwd, sizeof(cwd)) || strcmp(cwd, tpath(F_DIR "/sub")))
		tfail("the working directory is %s, not %s", cwd,
		      tpath(F_DIR "/sub"));
	/* Relative paths and the umask work. */
	fd = open("made", O_CREAT | O_EXCL | O_WRONLY, 0666);
	if (fd < 0 || fstat(fd, &st) || (st.st_mode & 0777) != 0640)
		tfail("a file made in the working directory: %s, mode 0%o",
		      fd < 0 ? strerror(errno) : "made", st.st_mode & 0777);
	if (fd >= 0)
		close(fd);
	if (access(tpath(F_DIR "/sub/made"), F_OK))
		tfail("the file made is not in %s", tpath(F_DIR "/sub"));
	unlink("made");
	return tgt_msg[0] ? -1 : 0;
}

/* A root directory of its own (and a working directory in it). */
static int chroot_setup(void)
{
	umask(077);
	if (chdir(tpath(F_ROOT)) || chroot(".") || chdir("/sub"))
		return tfail("chroot: %s", strerror(errno));
	return 0;
}

static int chroot_check(void)
{
	char cwd[PATH_MAX];
	struct stat st;

	if (!getcwd(cwd, sizeof(cwd)) || strcmp(cwd, "/sub"))
		tfail("the working directory is %s, not /sub", cwd);
	/* Inside its root: the scratch directory is not to be seen. */
	if (stat("/sub", &st) || !S_ISDIR(st.st_mode))
		tfail("/sub: %s", strerror(errno));
	if (!stat(tgt_dir, &st))
		tfail("%s is visible from inside the root", tgt_dir);
	return tgt_msg[0] ? -1 : 0;
}

/* Resource limits: fewer files, core dumps, a message queue limit. */
static const struct {
	int res;
	struct rlimit lim;
} rlim_set[] = {
	{ RLIMIT_NOFILE, { 100, 200 } },
	{ RLIMIT_CORE, { 1 << 20, 2 << 20 } },
	{ RLIMIT_MSGQUEUE, { 4096, 8192 } },
	{ RLIMIT_RTTIME, { 1000000, 2000000 } },
};

/* An fd opened before RLIMIT_NOFILE was lowered below it. */
#define RLIM_HIGH_FD	150

static int rlimits_setup(void)
{
	if (tmove(open("/dev/null", O_RDONLY), RLIM_HIGH_FD, false))
		return tfail("open: %s", strerror(errno));
	for (size_t i = 0; i < ARRAY_SIZE(rlim_set); i++)
		if (setrlimit(rlim_set[i].res, &rlim_set[i].lim))
			return tfail("setrlimit(%d): %s", rlim_set[i].res,
				     strerror(errno));
	return 0;
}

static int rlimits_check(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(rlim_set); i++) {
		struct rlimit l;

		if (getrlimit(rlim_set[i].res, &l) ||
		    l.rlim_cur != rlim_set[i].lim.rlim_cur ||
		    l.rlim_max != rlim_set[i].lim.rlim_max)
			tfail("rlimit %d: %llu/%llu", rlim_set[i].res,
			      (unsigned long long)l.rlim_cur,
			      (unsigned long long)l.rlim_max);
	}
	/* The fd above the limit is there, but the limit holds. */
	if (fcntl(RLIM_HIGH_FD, F_GETFD) < 0)
		tfail("fd %d is gone", RLIM_HIGH_FD);
	if (dup2(0, RLIM_HIGH_FD) != -1 || errno != EBADF)
		tfail("dup2() to fd %d with RLIMIT_NOFILE at 100: %s",
		      RLIM_HIGH_FD, strerror(errno));
	return tgt_msg[0] ? -1 : 0;
}

/* Scheduling and prctl() attributes. */
#define ATTR_PDEATHSIG	SIGUSR2

static int attrs_setup(void)
{
	struct sched_param sp = { 0 };

	if (sched_setscheduler(0, SCHED_BATCH, &sp) ||
	    setpriority(PRIO_PROCESS, 0, 5) ||
	    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    prctl(PR_SET_PDEATHSIG, ATTR_PDEATHSIG, 0, 0, 0) ||
	    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) ||
	    prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0))
		return tfail("setting the attributes: %s", strerror(errno));
	return 0;
}

static int attrs_check(void)
{
	int v = -1;

	errno = 0;
	if (getpriority(PRIO_PROCESS, 0) != 5 || errno)
		tfail("nice %d, not 5", getpriority(PRIO_PROCESS, 0));
	if (sched_getscheduler(0) != SCHED_BATCH)
		tfail("policy %d, not SCHED_BATCH", sched_getscheduler(0));
	if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1)
		tfail("no_new_privs is not set");
	if (prctl(PR_GET_PDEATHSIG, &v, 0, 0, 0) || v != ATTR_PDEATHSIG)
		tfail("the parent-death signal is %d", v);
	if (prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) != 0)
		tfail("dumpable is %d", prctl(PR_GET_DUMPABLE, 0, 0, 0, 0));
	if (prctl(PR_GET_CHILD_SUBREAPER, &v, 0, 0, 0) || v != 1)
		tfail("child_subreaper is %d", v);
	return tgt_msg[0] ? -1 : 0;
}

/* Another user, groups, capabilities kept through the change and cut. */
#define CRED_UID	1000
#define CRED_GID	100
#define CRED_SAVED	4242
#define CRED_CAPS	((1ULL << CAP_KILL) | (1ULL << CAP_NET_BIND_SERVICE))

static const gid_t cred_groups[] = { 100, 4242, 65534 };

static int creds_setup(void)
{
	struct __user_cap_data_struct caps[2];

	if (prctl(PR_CAPBSET_DROP, CAP_SYS_MODULE, 0, 0, 0) ||
	    prctl(PR_CAPBSET_DROP, CAP_SYS_RAWIO, 0, 0, 0) ||
	    setgroups(ARRAY_SIZE(cred_groups), cred_groups) ||
	    prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) ||
	    setresgid(CRED_GID, CKPT_NOBODY, CRED_SAVED) ||
	    setresuid(CRED_UID, CKPT_NOBODY, CRED_SAVED))
		return tfail("changing ids: %s", strerror(errno));
	memset(caps, 0, sizeof(caps));
	caps[0].permitted = (uint32_t)CRED_CAPS;
	caps[0].effective = 1U << CAP_NET_BIND_SERVICE;
	caps[0].inheritable = 1U << CAP_KILL;
	if (ckpt_capset(caps) ||
	    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_KILL, 0, 0))
		return tfail("capabilities: %s", strerror(errno));
	return 0;
}

static int creds_check(void)
{
	struct __user_cap_data_struct caps[2];
	uid_t r, e, s;
	gid_t g[8];
	int n;

	if (getresuid(&r, &e, &s) || r != CRED_UID || e != CKPT_NOBODY ||
	    s != CRED_SAVED || (uid_t)setfsuid(-1) != CKPT_NOBODY)
		tfail("uids %u %u %u %d", r, e, s, setfsuid(-1));
	if (getresgid(&r, &e, &s) || r != CRED_GID || e != CKPT_NOBODY ||
	    s != CRED_SAVED || (gid_t)setfsgid(-1) != CKPT_NOBODY)
		tfail("gids %u %u %u %d", r, e, s, setfsgid(-1));
	n = getgroups(8, g);
	if (n != (int)ARRAY_SIZE(cred_groups) ||
	    memcmp(g, cred_groups, sizeof(cred_groups)))
		tfail("%d groups", n);
	if (ckpt_capget(caps) || caps[0].permitted != (uint32_t)CRED_CAPS ||
	    caps[0].effective != 1U << CAP_NET_BIND_SERVICE ||
	    caps[0].inheritable != 1U << CAP_KILL || caps[1].permitted)
		tfail("capabilities: permitted 0x%x, effective 0x%x, inheritable 0x%x",
		      caps[0].permitted, caps[0].effective,
		      caps[0].inheritable);
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, CAP_KILL, 0, 0) != 1)
		tfail("CAP_KILL is not ambient");
	if (prctl(PR_CAPBSET_READ, CAP_SYS_MODULE, 0, 0, 0) != 0 ||
	    prctl(PR_CAPBSET_READ, CAP_SYS_ADMIN, 0, 0, 0) != 1)
		tfail("the bounding set is not as it was");
	/* Effective as they are: binding a low port needs no more. */
	return tgt_msg[0] ? -1 : 0;
}

/*
 * Calls that restart with a restart block: frozen in them after a while,
 * restarted, they end with the time they had left at the checkpoint.
 */
#define SLEEP_SEC	10

static struct timespec slp_rem;
static struct pollfd slp_pfd;
static uint32_t slp_futex;

/* The results a blocking call leaves in its report. */
enum {
	V_RET,		/* what the call returned */
	V_ERRNO,	/* errno, if it failed */
	V_START,	/* CLOCK_MONOTONIC ns before it */
	V_END,		/* and after it */
	V_EXTRA,	/* revents, the count of a handler... */
};

static int nanosleep_block(void)
{
	struct timespec req = { SLEEP_SEC, 0 };

	tgt_val[V_START] = now_ns();
	tgt_val[V_RET] = syscall(SYS_nanosleep, &req, &slp_rem);
	tgt_val[V_ERRNO] = tgt_val[V_RET] ? errno : 0;
	tgt_val[V_END] = now_ns();
	if (tgt_val[V_RET])
		return tfail("nanosleep: %s", strerror(errno));
	return 0;
}

/* A sleep on the process's CPU clock: never ends while it sleeps. */
static int cpu_sleep_block(void)
{
	struct timespec req = { 1, 0 };

	tgt_val[V_START] = now_ns();
	tgt_val[V_RET] = syscall(SYS_clock_nanosleep, CLOCK_PROCESS_CPUTIME_ID,
				 0, &req, NULL);
	tgt_val[V_END] = now_ns();
	return 0;
}

static int clock_nanosleep_block(void)
{
	struct timespec req = { SLEEP_SEC, 0 };

	tgt_val[V_START] = now_ns();
	tgt_val[V_RET] = syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &req,
				 &slp_rem);
	/* clock_nanosleep() returns the error, not -1 */
	tgt_val[V_ERRNO] = tgt_val[V_RET] < 0 ? errno : tgt_val[V_RET];
	tgt_val[V_END] = now_ns();
	if (tgt_val[V_RET])
		return tfail("clock_nanosleep: %s",
			     strerror((int)tgt_val[V_ERRNO]));
	return 0;
}

/* A pipe that the test writes to after the restart (through /proc). */
#define WAKE_R		41
#define WAKE_W		43
#define WAKE_MSG	"wake up, restarted"

static int wake_setup(void)
{
	int p[2];

	if (pipe(p) || tmove(p[0], WAKE_R, false) || tmove(p[1], WAKE_W, false))
		return tfail("pipe: %s", strerror(errno));
	return 0;
}

static int poll_block(void)
{
	char buf[64] = "";

	slp_pfd.fd = WAKE_R;
	slp_pfd.events = POLLIN;
	tgt_val[V_START] = now_ns();
	tgt_val[V_RET] = syscall(SYS_poll, &slp_pfd, 1, SLEEP_SEC * 1000);
	tgt_val[V_ERRNO] = tgt_val[V_RET] < 0 ? errno : 0;
	tgt_val[V_END] = now_ns();
	tgt_val[V_EXTRA] = slp_pfd.revents;
	if (tgt_val[V_RET] != 1 || !(slp_pfd.revents & POLLIN))
		return tfail("poll: %lld, %s, revents 0x%x",
			     (long long)tgt_val[V_RET],
			     strerror((int)tgt_val[V_ERRNO]), slp_pfd.revents);
	if (read(WAKE_R, buf, sizeof(buf) - 1) != sizeof(WAKE_MSG) - 1 ||
	    strcmp(buf, WAKE_MSG))
		return tfail("the pipe holds \"%s\"", buf);
	return 0;
}

/* A futex wait with a timeout, relative (on CLOCK_MONOTONIC). */
static int futex_block(void)
{
	struct timespec timeout = { SLEEP_SEC, 0 };

	tgt_val[V_START] = now_ns();
	tgt_val[V_RET] = syscall(SYS_futex, &slp_futex, FUTEX_WAIT_PRIVATE, 0,
				 &timeout, NULL, 0);
	tgt_val[V_ERRNO] = tgt_val[V_RET] ? errno : 0;
	tgt_val[V_END] = now_ns();
	if (tgt_val[V_RET] != -1 || tgt_val[V_ERRNO] != ETIMEDOUT)
		return tfail("FUTEX_WAIT: %lld, %s, not ETIMEDOUT",
			     (long long)tgt_val[V_RET],
			     strerror((int)tgt_val[V_ERRNO]));
	return 0;
}

/*
 * A futex wait until an absolute time of the wall clock (FUTEX_WAIT_BITSET
 * with FUTEX_CLOCK_REALTIME), which stays that time across a restart.
 * The deadline is in the first view's report, V_EXTRA; the wall clock
 * when it ended, in V_EXTRA + 1 of its result.
 */
#define V_DEADLINE	V_EXTRA
#define V_WOKE_RT	(V_EXTRA + 1)

static struct timespec slp_deadline;

static int64_t realtime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int futex_abs_setup(void)
{
	int64_t deadline = realtime_ns() + SLEEP_SEC * 1000000000LL;

	slp_deadline.tv_sec = deadline / 1000000000LL;
	slp_deadline.tv_nsec = deadline % 1000000000LL;
	tgt_val[V_DEADLINE] = deadline;
	return 0;
}

static int futex_abs_block(void)
{
	tgt_val[V_START] = now_ns();
	tgt_val[V_RET] = syscall(SYS_futex, &slp_futex,
				 FUTEX_WAIT_BITSET_PRIVATE | FUTEX_CLOCK_REALTIME,
				 0, &slp_deadline, NULL, FUTEX_BITSET_MATCH_ANY);
	tgt_val[V_ERRNO] = tgt_val[V_RET] ? errno : 0;
	tgt_val[V_END] = now_ns();
	tgt_val[V_WOKE_RT] = realtime_ns();
	if (tgt_val[V_RET] != -1 || tgt_val[V_ERRNO] != ETIMEDOUT)
		return tfail("FUTEX_WAIT_BITSET: %lld, %s, not ETIMEDOUT",
			     (long long)tgt_val[V_RET],
			     strerror((int)tgt_val[V_ERRNO]));
	return 0;
}

static int read_block(void)
{
	char buf[64] = "";

	tgt_val[V_START] = now_ns();
	tgt_val[V_RET] = read(WAKE_R, buf, sizeof(buf) - 1);
	tgt_val[V_ERRNO] = tgt_val[V_RET] < 0 ? errno : 0;
	tgt_val[V_END] = now_ns();
	if (tgt_val[V_RET] != sizeof(WAKE_MSG) - 1 || strcmp(buf, WAKE_MSG))
		return tfail("read: %lld (%s), \"%s\"",
			     (long long)tgt_val[V_RET],
			     strerror((int)tgt_val[V_ERRNO]), buf);
	return 0;
}

/* Waiting for a signal: pause(), sigsuspend() with another mask. */
static volatile int wait_usr1, wait_code;

static void wait_on_usr1(int sig, siginfo_t *si, void *uc)
{
	wait_usr1++;
	wait_code = si->si_code;
}

static int wait_setup(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = wait_on_usr1;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGUSR1, &sa, NULL))
		return tfail("sigaction: %s", strerror(errno));
	return 0;
}

static int pause_block(void)
{
	tgt_val[V_START] = now_ns();
	tgt_val[V_RET] = syscall(SYS_pause);
	tgt_val[V_ERRNO] = errno;
	tgt_val[V_END] = now_ns();
	tgt_val[V_EXTRA] = wait_usr1;
	if (tgt_val[V_RET] != -1 || tgt_val[V_ERRNO] != EINTR)
		return tfail("pause: %lld, %s", (long long)tgt_val[V_RET],
			     strerror((int)tgt_val[V_ERRNO]));
	if (wait_usr1 != 1 || wait_code != SI_USER)
		return tfail("the handler ran %d times (code %d)", wait_usr1,
			     wait_code);
	return 0;
}

/* SIGUSR1 blocked but while it waits; blocked again after. */
static int sigsuspend_setup(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	if (wait_setup() || sigprocmask(SIG_BLOCK, &set, NULL))
		return tfail("sigprocmask: %s", strerror(errno));
	return 0;
}

/*
 * The mask after the call is in V_EXTRA: the one of before the call, on
 * a thaw as after a restart (the image holds the task's own mask, and the
 * restarted call sets its own again).
 */
static int sigsuspend_block(void)
{
	uint64_t mask = CKPT_SIGBIT(SIGUSR2), after = 0;

	tgt_val[V_START] = now_ns();
	tgt_val[V_RET] = syscall(SYS_rt_sigsuspend, &mask, 8);
	tgt_val[V_ERRNO] = errno;
	tgt_val[V_END] = now_ns();
	syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, &after, 8);
	tgt_val[V_EXTRA] = after;
	if (tgt_val[V_RET] != -1 || tgt_val[V_ERRNO] != EINTR)
		return tfail("rt_sigsuspend: %lld, %s",
			     (long long)tgt_val[V_RET],
			     strerror((int)tgt_val[V_ERRNO]));
	if (wait_usr1 != 1)
		return tfail("the handler ran %d times", wait_usr1);
	if (after != (CKPT_SIGBIT(SIGUSR1) | CKPT_SIGBIT(SIGUSR2)))
		return tfail("the mask after the call is 0x%llx",
			     (unsigned long long)after);
	return 0;
}

/*
 * Memfds: one of 5 pages (pattern, hole, pattern, zeros, hole) with
 * seals against shrinking and growing, at offset 100, and its pages 2
 * and 3 mapped shared; one empty.
 */
#define MEMFD_FD	39
#define MEMFD_EMPTY_FD	38
#define MEMFD_NAME	"ckpt-state"
#define MEMFD_PAGES	5
#define MEMFD_SEALS	(F_SEAL_SHRINK | F_SEAL_GROW)

static size_t psize(void)
{
	return (size_t)sysconf(_SC_PAGESIZE);
}

/* Whether page @k of the memfd holds the pattern (else zeros). */
static bool memfd_pat_page(unsigned int k)
{
	return k == 0 || k == 2;
}

static uint8_t *memfd_map;	/* pages 2 and 3 of the memfd, shared */

static int memfd_setup(void)
{
	uint8_t *page = calloc(1, psize());
	int fd;

	if (!page)
		return tfail("calloc");
	fd = memfd_create(MEMFD_NAME, MFD_ALLOW_SEALING);
	if (fd < 0 || ftruncate(fd, MEMFD_PAGES * psize()))
		return tfail("memfd_create: %s", strerror(errno));
	for (unsigned int k = 0; k < MEMFD_PAGES; k++) {
		for (size_t i = 0; i < psize(); i++)
			page[i] = memfd_pat_page(k) ? pat(k * psize() + i, 7) : 0;
		/* pages 1 and 4 stay holes; 3 is written with zeros */
		if ((memfd_pat_page(k) || k == 3) &&
		    pwrite(fd, page, psize(), k * psize()) != (ssize_t)psize())
			return tfail("pwrite: %s", strerror(errno));
	}
	free(page);
	memfd_map = mmap(NULL, 2 * psize(), PROT_READ | PROT_WRITE, MAP_SHARED,
			 fd, 2 * psize());
	if (memfd_map == MAP_FAILED)
		return tfail("mmap of the memfd: %s", strerror(errno));
	tgt_val[V_EXTRA] = (uintptr_t)memfd_map;
	if (lseek(fd, 100, SEEK_SET) != 100 ||
	    fcntl(fd, F_ADD_SEALS, MEMFD_SEALS) ||
	    tmove(fd, MEMFD_FD, false) ||
	    tmove(memfd_create("", MFD_CLOEXEC), MEMFD_EMPTY_FD, true))
		return tfail("memfd: %s", strerror(errno));
	return 0;
}

static int memfd_check(void)
{
	uint8_t *page = malloc(psize()), page_byte[1];
	char link[PATH_MAX], path[64];
	struct stat st;
	ssize_t n;

	if (!page)
		return tfail("malloc");
	if (fstat(MEMFD_FD, &st) || st.st_size != (off_t)(MEMFD_PAGES * psize()))
		tfail("the memfd is of %lld bytes", (long long)st.st_size);
	if (fcntl(MEMFD_FD, F_GET_SEALS) != MEMFD_SEALS)
		tfail("the memfd has seals 0x%x", fcntl(MEMFD_FD, F_GET_SEALS));
	if (lseek(MEMFD_FD, 0, SEEK_CUR) != 100)
		tfail("the memfd is at offset %lld",
		      (long long)lseek(MEMFD_FD, 0, SEEK_CUR));
	for (unsigned int k = 0; k < MEMFD_PAGES; k++) {
		if (pread(MEMFD_FD, page, psize(), k * psize()) != (ssize_t)psize()) {
			tfail("pread of page %u: %s", k, strerror(errno));
			continue;
		}
		if (memfd_pat_page(k) ? !is_pat(page, psize(), k * psize(), 7) :
					!ckpt_is_zero(page, psize()))
			tfail("page %u of the memfd is not what was written", k);
	}
	free(page);
	/* The mapping is of the memfd still: each sees what the other writes. */
	if (!is_pat(memfd_map, psize(), 2 * psize(), 7))
		tfail("the mapping of the memfd does not show its page 2");
	memfd_map[5] = 'M';
	if (pwrite(MEMFD_FD, "F", 1, 3 * psize() + 7) != 1 ||
	    pread(MEMFD_FD, page_byte, 1, 2 * psize() + 5) != 1 ||
	    page_byte[0] != 'M' || memfd_map[psize() + 7] != 'F')
		tfail("the mapping and the memfd are not the same memory");
	/* Sealed against shrinking, not against writing. */
	if (ftruncate(MEMFD_FD, psize()) != -1 || errno != EPERM)
		tfail("a sealed memfd shrinks: %s", strerror(errno));
	if (write(MEMFD_FD, "restarted", 9) != 9 ||
	    lseek(MEMFD_FD, 0, SEEK_CUR) != 109)
		tfail("writing to the memfd: %s", strerror(errno));
	snprintf(path, sizeof(path), "/proc/self/fd/%d", MEMFD_FD);
	n = readlink(path, link, sizeof(link) - 1);
	if (n >= 0)
		link[n] = '\0';
	if (n < 0 || strncmp(link, "/memfd:" MEMFD_NAME,
			     strlen("/memfd:" MEMFD_NAME)))
		tfail("the memfd is %s", n < 0 ? strerror(errno) : link);
	if (fstat(MEMFD_EMPTY_FD, &st) || st.st_size)
		tfail("the empty memfd is of %lld bytes", (long long)st.st_size);
	return tgt_msg[0] ? -1 : 0;
}

/*
 * Shared memory: anonymous (its pages are saved) and a shared mapping of
 * a file (its pages are the file's), both writable.
 */
#define SHM_ANON_PAGES	2

static uint8_t *shm_anon, *shm_file;

static int shm_setup(void)
{
	size_t len = SHM_ANON_PAGES * psize();
	int fd;

	shm_anon = mmap(NULL, len, PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	fd = open(tpath(F_SHARED), O_RDWR);
	if (shm_anon == MAP_FAILED || fd < 0)
		return tfail("mmap, open: %s", strerror(errno));
	shm_file = mmap(NULL, SHARED_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
			fd, 0);
	close(fd);
	if (shm_file == MAP_FAILED)
		return tfail("mmap of the file: %s", strerror(errno));
	for (size_t i = 0; i < len; i++)
		shm_anon[i] = pat(i, 8);
	tgt_val[V_EXTRA] = (uintptr_t)shm_anon;
	tgt_val[V_EXTRA + 1] = (uintptr_t)shm_file;
	return 0;
}

static int shm_check(void)
{
	uint8_t c = 0;
	int fd;

	if (!is_pat(shm_anon, SHM_ANON_PAGES * psize(), 0, 8))
		tfail("the shared anonymous memory is not what was written");
	if (!is_pat(shm_file, SHARED_SIZE, 0, 2))
		tfail("the shared file mapping does not show the file");
	/* Shared: what is written to it is in the file. */
	shm_file[10] = 'X';
	fd = open(tpath(F_SHARED), O_RDONLY);
	if (fd < 0 || pread(fd, &c, 1, 10) != 1 || c != 'X')
		tfail("a write to the shared mapping is not in the file (0x%02x)",
		      c);
	if (fd >= 0)
		close(fd);
	shm_file[10] = pat(10, 2);
	return tgt_msg[0] ? -1 : 0;
}

/* One open file, for the refusals of restart: F_DATA at offset 100. */
#define ONE_FD		5

static int one_file_setup(void)
{
	if (tmove(open(tpath(F_DATA), O_RDONLY), ONE_FD, false) ||
	    lseek(ONE_FD, 100, SEEK_SET) != 100)
		return tfail("open: %s", strerror(errno));
	return 0;
}

static int one_file_check(void)
{
	return read_pat(ONE_FD, 100, 1, 100, "the data file");
}

/*
 * TLS descriptors (set_thread_area(2), which a 64-bit program calls
 * through int $0x80: ckpt_set_thread_area()): entry A, the first free one, a
 * read-write 32-bit data segment over a buffer of the program, loaded in
 * %gs (which x86_64 glibc never uses: %fs is its TLS) and left there;
 * entry 14, a read-only expand-down one of 4 GiB in pages over another;
 * entry 13 unused.  In 64-bit mode a data segment's base is what counts:
 * read through %gs, each selector loaded again after the restart, the
 * buffers' bytes come back.
 */
#define TLS_BUF_SIZE	64
#define TLS_ENTRY_B	14
#define TLS_LIMIT_A	(TLS_BUF_SIZE - 1)
#define TLS_LIMIT_B	0xfffff
/* what checkpoint writes of them */
#define TLS_FLAGS_A	(CKPT_TLS_SEG_32BIT | CKPT_TLS_USEABLE)
#define TLS_FLAGS_B	(CKPT_TLS_SEG_32BIT | 1 << CKPT_TLS_CONTENTS_SHIFT | \
			 CKPT_TLS_READ_EXEC_ONLY | CKPT_TLS_LIMIT_IN_PAGES)

static uint8_t tls_buf_a[TLS_BUF_SIZE] __attribute__((aligned(64)));
static uint8_t tls_buf_b[TLS_BUF_SIZE] __attribute__((aligned(64)));
/* What get_thread_area(2) gave of entries 12 to 14 before the checkpoint */
static struct user_desc tls_seen[CKPT_TLS_ENTRIES];
static unsigned int tls_entry_a;

static uint16_t tls_gs(void)
{
	uint16_t sel;

	asm volatile("mov %%gs, %0" : "=r"(sel));
	return sel;
}

static void tls_load_gs(uint16_t sel)
{
	asm volatile("mov %0, %%gs" : : "r"(sel) : "memory");
}

/* The 4 bytes at @off of the segment %gs selects */
static uint32_t tls_gs_read(uint64_t off)
{
	uint32_t v;

	asm volatile("movl %%gs:(%1), %0" : "=r"(v) : "r"(off) : "memory");
	return v;
}

static uint32_t tls_word(const uint8_t *buf, size_t off)
{
	uint32_t v;

	memcpy(&v, buf + off, sizeof(v));
	return v;
}

/* Where the TLS scenario's first report says what it set */
#define V_TLS_ENTRY	V_EXTRA
#define V_TLS_BUF_A	(V_EXTRA + 1)
#define V_TLS_BUF_B	(V_EXTRA + 2)

static int tls_setup(void)
{
	struct user_desc a = {
		.entry_number = -1,
		.base_addr = (uint32_t)(uintptr_t)tls_buf_a,
		.limit = TLS_LIMIT_A,
		.seg_32bit = 1,
		.useable = 1,
	};
	struct user_desc b = {
		.entry_number = TLS_ENTRY_B,
		.base_addr = (uint32_t)(uintptr_t)tls_buf_b,
		.limit = TLS_LIMIT_B,
		.seg_32bit = 1,
		.contents = 1,
		.read_exec_only = 1,
		.limit_in_pages = 1,
	};
	int err;

	/* a static, non-PIE program: its data lies below 4 GiB */
	if ((uintptr_t)tls_buf_a >> 32 || (uintptr_t)tls_buf_b >> 32)
		return tfail("the buffers are above 4 GiB: %p, %p", tls_buf_a,
			     tls_buf_b);
	for (size_t i = 0; i < TLS_BUF_SIZE; i++) {
		tls_buf_a[i] = pat(i, 9);
		tls_buf_b[i] = pat(i, 10);
	}
	err = ckpt_set_thread_area(&a);
	if (!err)
		err = ckpt_set_thread_area(&b);
	if (err)
		return tfail("set_thread_area: %s", strerror(-err));
	if (a.entry_number < CKPT_TLS_FIRST_ENTRY ||
	    a.entry_number >= TLS_ENTRY_B)
		return tfail("set_thread_area gave entry %u", a.entry_number);
	tls_entry_a = a.entry_number;
	for (int k = 0; k < CKPT_TLS_ENTRIES; k++) {
		tls_seen[k].entry_number = CKPT_TLS_FIRST_ENTRY + k;
		err = ckpt_get_thread_area(&tls_seen[k]);
		if (err)
			return tfail("get_thread_area(%d): %s",
				     CKPT_TLS_FIRST_ENTRY + k, strerror(-err));
	}
	tls_load_gs(CKPT_TLS_SELECTOR(tls_entry_a));
	if (tls_gs_read(4) != tls_word(tls_buf_a, 4))
		return tfail("%%gs:4 reads 0x%x, not 0x%x", tls_gs_read(4),
			     tls_word(tls_buf_a, 4));
	tgt_val[V_TLS_ENTRY] = tls_entry_a;
	tgt_val[V_TLS_BUF_A] = (uintptr_t)tls_buf_a;
	tgt_val[V_TLS_BUF_B] = (uintptr_t)tls_buf_b;
	return 0;
}

static int tls_check(void)
{
	uint16_t sel_a = CKPT_TLS_SELECTOR(tls_entry_a);
	struct user_desc c = {
		.entry_number = 13,
		.base_addr = (uint32_t)(uintptr_t)tls_buf_b,
		.limit = TLS_LIMIT_A,
		.seg_32bit = 1,
	};
	struct user_desc clear = {
		.entry_number = 13,
		.read_exec_only = 1,
		.seg_not_present = 1,
	};

	/* Each entry as get_thread_area(2) gave it before. */
	for (int k = 0; k < CKPT_TLS_ENTRIES; k++) {
		struct user_desc d = { .entry_number = CKPT_TLS_FIRST_ENTRY + k };
		const struct user_desc *w = &tls_seen[k];
		int err = ckpt_get_thread_area(&d);

		if (err)
			return tfail("get_thread_area(%u): %s", d.entry_number,
				     strerror(-err));
		if (memcmp(&d, w, sizeof(d)))
			return tfail("TLS entry %u: base 0x%x, limit 0x%x, 32-bit %u, contents %u, read-only %u, in pages %u, not present %u, useable %u; before: 0x%x, 0x%x, %u, %u, %u, %u, %u, %u",
				     d.entry_number, d.base_addr, d.limit,
				     d.seg_32bit, d.contents, d.read_exec_only,
				     d.limit_in_pages, d.seg_not_present,
				     d.useable, w->base_addr, w->limit,
				     w->seg_32bit, w->contents,
				     w->read_exec_only, w->limit_in_pages,
				     w->seg_not_present, w->useable);
	}
	/* %gs as it was, and what it reads. */
	if (tls_gs() != sel_a)
		tfail("%%gs is 0x%x, not 0x%x", tls_gs(), sel_a);
	else if (tls_gs_read(0) != tls_word(tls_buf_a, 0) ||
		 tls_gs_read(TLS_BUF_SIZE - 4) !=
		 tls_word(tls_buf_a, TLS_BUF_SIZE - 4))
		tfail("%%gs:0 reads 0x%x, not 0x%x", tls_gs_read(0),
		      tls_word(tls_buf_a, 0));
	/* Each descriptor loaded again: its base is the buffer's. */
	tls_load_gs(CKPT_TLS_SELECTOR(TLS_ENTRY_B));
	if (tls_gs_read(8) != tls_word(tls_buf_b, 8))
		tfail("through entry %d, 8 reads 0x%x, not 0x%x", TLS_ENTRY_B,
		      tls_gs_read(8), tls_word(tls_buf_b, 8));
	tls_load_gs(sel_a);
	tls_buf_a[16] ^= 0xff;
	if (tls_gs_read(16) != tls_word(tls_buf_a, 16))
		tfail("through entry %u, a byte written is not read",
		      tls_entry_a);
	tls_buf_a[16] ^= 0xff;
	/* set_thread_area(2) works on: entry 13 set, read, cleared. */
	if (ckpt_set_thread_area(&c))
		tfail("set_thread_area(13) after the restart failed");
	memset(&c, 0, sizeof(c));
	c.entry_number = 13;
	if (ckpt_get_thread_area(&c) ||
	    c.base_addr != (uint32_t)(uintptr_t)tls_buf_b || !c.seg_32bit)
		tfail("entry 13 set after the restart reads base 0x%x", c.base_addr);
	if (ckpt_set_thread_area(&clear))
		tfail("clearing entry 13 failed");
	return tgt_msg[0] ? -1 : 0;
}

/*
 * POSIX timers (timer_create(2), by the system calls: ids are the
 * kernel's), 11 made, 2, 5, 7 and 10 deleted, so the next id is 11:
 *   0  CLOCK_MONOTONIC, every 100 ms, TM_SIG_RUN to the process (handled)
 *   1  CLOCK_REALTIME, at an absolute time 150 s later, TM_SIG_RUN
 *   3  CLOCK_MONOTONIC, in 150 s, SIGEV_NONE (sigev_signo 0)
 *   4  CLOCK_BOOTTIME, every 150 ms, TM_SIG_RUN to the task (SIGEV_THREAD_ID)
 *   6  CLOCK_MONOTONIC, every 100 ms, TM_SIG_PEND, blocked: pending, and
 *      its overruns counting; once taken before (its overrun count then
 *      is what timer_getoverrun(2) gives)
 *   8  CLOCK_MONOTONIC, in 150 s, SIGEV_THREAD (the kernel signals the
 *      process), TM_SIG_RUN
 *   9  CLOCK_MONOTONIC, once after 10 ms, TM_SIG_PEND_TASK to the task,
 *      blocked: pending
 *  10  CLOCK_MONOTONIC, once after 10 ms, TM_SIG_GONE, blocked: pending,
 *      then deleted: its signal stays, a timer's no more
 * Each with a sigev_value of its own, which its signal carries.
 */
#define TM_MADE		11
#define TM_NEXT		11
#define TM_MS		1000000LL
#define TM_SEC		1000000000LL
#define TM_RUN_IV	(100 * TM_MS)
#define TM_THREAD_IV	(150 * TM_MS)
#define TM_PEND_IV	(100 * TM_MS)
#define TM_LONG		(150 * TM_SEC)
#define TM_SOON		(10 * TM_MS)
#define TM_TOLERANCE	(20 * TM_MS)

static const int tm_live[] = { 0, 1, 3, 4, 6, 8, 9 };
static const int tm_deleted[] = { 2, 5, 7, 10 };

/* Real-time signals that glibc leaves to programs (SIGRTMIN is 34) */
#define TM_SIG_RUN	35
#define TM_SIG_PEND	36
#define TM_SIG_PEND_TASK 38
#define TM_SIG_GONE	39

static uint64_t tm_value(int id)
{
	return 0x5eed00000000ULL | (uint64_t)id << 8 | 0x42;
}

/* struct sigevent as the kernel takes it */
struct ksigevent {
	uint64_t value;
	int32_t signo;
	int32_t notify;
	int32_t tid;
	int32_t pad[11];
};

static int tm_create(clockid_t clock, int notify, int signo, uint64_t value)
{
	struct ksigevent ev = {
		.value = value, .signo = signo, .notify = notify,
		.tid = notify & SIGEV_THREAD_ID ? gettid() : 0,
	};
	int id = -1;

	if (syscall(SYS_timer_create, clock, &ev, &id))
		return -errno;
	return id;
}

static int tm_set(int id, int flags, int64_t value, int64_t interval)
{
	struct itimerspec its = {
		.it_value = { value / TM_SEC, value % TM_SEC },
		.it_interval = { interval / TM_SEC, interval % TM_SEC },
	};

	return syscall(SYS_timer_settime, id, flags, &its, NULL);
}

/* 0 with the time left and the interval, or -errno */
static int tm_get(int id, int64_t *left, int64_t *interval)
{
	struct itimerspec its;

	if (syscall(SYS_timer_gettime, id, &its))
		return -errno;
	*left = its.it_value.tv_sec * TM_SEC + its.it_value.tv_nsec;
	*interval = its.it_interval.tv_sec * TM_SEC + its.it_interval.tv_nsec;
	return 0;
}

static int tm_overrun(int id)
{
	int n = syscall(SYS_timer_getoverrun, id);

	return n < 0 ? -errno : n;
}

/* Take a pending @sig now, without waiting: 0, or -errno (EAGAIN: none) */
static int tm_take(int sig, siginfo_t *si)
{
	struct timespec zero = { 0, 0 };
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, sig);
	memset(si, 0, sizeof(*si));
	return sigtimedwait(&set, si, &zero) == sig ? 0 : -errno;
}

/* Whether @sig is pending (and blocked) */
static bool tm_pending(int sig)
{
	sigset_t set;

	return !sigpending(&set) && sigismember(&set, sig) == 1;
}

/* Wait up to 5 s for @sig to be pending. */
static int tm_wait_pending(int sig)
{
	for (int i = 0; i < 500 && !tm_pending(sig); i++)
		ckpt_sleep_ms(10);
	return tm_pending(sig) ? 0 : tfail("signal %d never came", sig);
}

/* The signal of timer @id as it should be */
static int tm_check_info(const siginfo_t *si, int sig, int id)
{
	if (si->si_signo != sig || si->si_code != SI_TIMER ||
	    si->si_timerid != id ||
	    (uint64_t)(uintptr_t)si->si_value.sival_ptr != tm_value(id))
		return tfail("signal %d (code %d, timer %d, value 0x%llx), not %d of timer %d (value 0x%llx)",
			     si->si_signo, si->si_code, si->si_timerid,
			     (unsigned long long)(uintptr_t)si->si_value.sival_ptr,
			     sig, id, (unsigned long long)tm_value(id));
	return 0;
}

static volatile int tm_count[TM_MADE];
static volatile int tm_bad, tm_bad_code, tm_bad_id;

/* TM_SIG_RUN: timers 0 and 4 (1 and 8 never fire in the test) */
static void tm_on_signal(int sig, siginfo_t *si, void *uc)
{
	int id = si->si_timerid;

	if (si->si_code != SI_TIMER || id < 0 || id >= TM_MADE ||
	    (uint64_t)(uintptr_t)si->si_value.sival_ptr != tm_value(id)) {
		tm_bad++;
		tm_bad_code = si->si_code;
		tm_bad_id = id;
		return;
	}
	tm_count[id]++;
}

/*
 * What the first report carries: timer 6's signal taken in the setup
 * (when, its overruns), and the time left of the one-shots, measured at
 * V_TM_T_LEFT0.  The check's: the same after the restart, and the count
 * of signals of timers 0 and 4.
 */
enum {
	V_TM_COUNT0 = 0,
	V_TM_COUNT4,
	V_TM_OVERRUN,		/* timer 6's si_overrun, taken after the restart */
	V_TM_T_TAKEN,		/* when (CLOCK_MONOTONIC) */
	V_TM_LEFT1,
	V_TM_LEFT3,
	V_TM_LEFT8,
	V_TM_T_LEFT,
	V_TM_T_TAKEN0,		/* the setup's: when it took timer 6's signal */
	V_TM_OVERRUN0,		/* with this si_overrun */
	V_TM_LEFT1_0,
	V_TM_LEFT3_0,
	V_TM_LEFT8_0,
	V_TM_T_LEFT0,
	V_TM_GONE_KEPT,		/* timer 10's signal outlived the timer */
};

static int timers_setup(void)
{
	static const struct {
		clockid_t clock;
		int notify;
	} how[TM_MADE] = {
		{ CLOCK_MONOTONIC, SIGEV_SIGNAL },
		{ CLOCK_REALTIME, SIGEV_SIGNAL },
		{ CLOCK_MONOTONIC, SIGEV_NONE },
		{ CLOCK_MONOTONIC, SIGEV_NONE },
		{ CLOCK_BOOTTIME, SIGEV_SIGNAL | SIGEV_THREAD_ID },
		{ CLOCK_MONOTONIC, SIGEV_NONE },
		{ CLOCK_MONOTONIC, SIGEV_SIGNAL },
		{ CLOCK_MONOTONIC, SIGEV_NONE },
		{ CLOCK_MONOTONIC, SIGEV_THREAD },
		{ CLOCK_MONOTONIC, SIGEV_SIGNAL | SIGEV_THREAD_ID },
		{ CLOCK_MONOTONIC, SIGEV_SIGNAL },
	};
	int signo[TM_MADE] = { 0 };
	struct sigaction sa;
	siginfo_t si;
	sigset_t set;
	int64_t iv;

	if (SIGRTMIN > TM_SIG_RUN)
		return tfail("SIGRTMIN is %d", SIGRTMIN);
	signo[0] = signo[1] = signo[4] = signo[8] = TM_SIG_RUN;
	signo[6] = TM_SIG_PEND;
	signo[9] = TM_SIG_PEND_TASK;
	signo[10] = TM_SIG_GONE;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = tm_on_signal;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigemptyset(&set);
	sigaddset(&set, TM_SIG_PEND);
	sigaddset(&set, TM_SIG_PEND_TASK);
	sigaddset(&set, TM_SIG_GONE);
	if (sigaction(TM_SIG_RUN, &sa, NULL) ||
	    sigprocmask(SIG_BLOCK, &set, NULL))
		return tfail("handlers: %s", strerror(errno));

	/* A new process: the ids go from 0. */
	for (int id = 0; id < TM_MADE; id++) {
		int got = tm_create(how[id].clock, how[id].notify, signo[id],
				    tm_value(id));

		if (got != id)
			return tfail("timer_create gave %d (%s), not %d", got,
				     got < 0 ? strerror(-got) : "another id", id);
	}
	for (size_t i = 0; i < ARRAY_SIZE(tm_deleted); i++)
		if (tm_deleted[i] != 10 &&
		    syscall(SYS_timer_delete, tm_deleted[i]))
			return tfail("timer_delete(%d): %s", tm_deleted[i],
				     strerror(errno));
	if (tm_set(0, 0, TM_RUN_IV, TM_RUN_IV) ||
	    tm_set(1, TIMER_ABSTIME, realtime_ns() + TM_LONG, 0) ||
	    tm_set(3, 0, TM_LONG, 0) ||
	    tm_set(4, 0, TM_THREAD_IV, TM_THREAD_IV) ||
	    tm_set(6, 0, TM_SOON, TM_PEND_IV) ||
	    tm_set(8, 0, TM_LONG, 0) ||
	    tm_set(9, 0, TM_SOON, 0) ||
	    tm_set(10, 0, TM_SOON, 0))
		return tfail("timer_settime: %s", strerror(errno));
	if (tm_wait_pending(TM_SIG_PEND) || tm_wait_pending(TM_SIG_PEND_TASK) ||
	    tm_wait_pending(TM_SIG_GONE))
		return -1;

	/*
	 * Timer 10 deleted with its signal pending, which stays (in 6.12;
	 * later kernels drop it).
	 */
	if (syscall(SYS_timer_delete, 10))
		return tfail("timer_delete(10): %s", strerror(errno));
	tgt_val[V_TM_GONE_KEPT] = tm_pending(TM_SIG_GONE);

	/*
	 * Timer 6: expiries counted while its signal waits, then taken:
	 * timer_getoverrun(2) says as many from then on.  It fires again
	 * after, and its signal waits again.
	 */
	ckpt_sleep_ms(350);
	if (tm_take(TM_SIG_PEND, &si))
		return tfail("timer 6's signal: %s", strerror(errno));
	tgt_val[V_TM_T_TAKEN0] = now_ns();
	tgt_val[V_TM_OVERRUN0] = si.si_overrun;
	if (tm_check_info(&si, TM_SIG_PEND, 6))
		return -1;
	if (si.si_overrun < 1 || tm_overrun(6) != si.si_overrun)
		return tfail("timer 6: si_overrun %d, timer_getoverrun %d",
			     si.si_overrun, tm_overrun(6));
	if (tm_wait_pending(TM_SIG_PEND))
		return -1;

	if (tm_get(1, &tgt_val[V_TM_LEFT1_0], &iv) ||
	    tm_get(3, &tgt_val[V_TM_LEFT3_0], &iv) ||
	    tm_get(8, &tgt_val[V_TM_LEFT8_0], &iv))
		return tfail("timer_gettime: %s", strerror(errno));
	tgt_val[V_TM_T_LEFT0] = now_ns();
	return 0;
}

/* A timer's time left and interval after the restart */
static int tm_check_time(int id, int64_t most, int64_t interval,
			 int64_t *left)
{
	int64_t l, iv;
	int err = tm_get(id, &l, &iv);

	if (err)
		return tfail("timer_gettime(%d): %s", id, strerror(-err));
	if (left)
		*left = l;
	if (iv != interval || l < (most ? 1 : 0) || l > most + TM_TOLERANCE)
		return tfail("timer %d: %lld ns left (at most %lld), interval %lld (not %lld)",
			     id, (long long)l, (long long)most, (long long)iv,
			     (long long)interval);
	return 0;
}

static int timers_check_once(void)
{
	int64_t l3a, l3b, next, t1, t2, iv;
	siginfo_t si;
	int n;

	/* The three signals pending, blocked; the others' not blocked. */
	if (!tm_pending(TM_SIG_PEND) || !tm_pending(TM_SIG_PEND_TASK) ||
	    tm_pending(TM_SIG_GONE) != tgt_val[V_TM_GONE_KEPT])
		tfail("signals %d %d %d pending: %d %d %d", TM_SIG_PEND,
		      TM_SIG_PEND_TASK, TM_SIG_GONE, tm_pending(TM_SIG_PEND),
		      tm_pending(TM_SIG_PEND_TASK), tm_pending(TM_SIG_GONE));

	/* Each timer as it was set; the one-shots with no more time left. */
	tm_check_time(0, TM_RUN_IV, TM_RUN_IV, NULL);
	tm_check_time(1, tgt_val[V_TM_LEFT1_0], 0, &tgt_val[V_TM_LEFT1]);
	tm_check_time(3, tgt_val[V_TM_LEFT3_0], 0, &tgt_val[V_TM_LEFT3]);
	tm_check_time(4, TM_THREAD_IV, TM_THREAD_IV, NULL);
	tm_check_time(6, TM_PEND_IV, TM_PEND_IV, NULL);
	tm_check_time(8, tgt_val[V_TM_LEFT8_0], 0, &tgt_val[V_TM_LEFT8]);
	tm_check_time(9, 0, 0, NULL);
	tgt_val[V_TM_T_LEFT] = now_ns();
	for (size_t i = 0; i < ARRAY_SIZE(tm_deleted); i++)
		if (tm_get(tm_deleted[i], &l3a, &iv) != -EINVAL)
			tfail("timer %d, deleted, is there", tm_deleted[i]);
	/* The overruns of timer 6's last signal. */
	if (tm_overrun(6) != tgt_val[V_TM_OVERRUN0])
		tfail("timer_getoverrun(6) is %d, not %lld", tm_overrun(6),
		      (long long)tgt_val[V_TM_OVERRUN0]);

	/* Timer 3 (SIGEV_NONE) counts down; the others run meanwhile. */
	tm_get(3, &l3a, &iv);
	ckpt_sleep_ms(300);
	tm_get(3, &l3b, &iv);
	if (l3b >= l3a)
		tfail("timer 3: %lld ns left, then %lld 300 ms later",
		      (long long)l3a, (long long)l3b);

	/*
	 * Timer 6's signal, once, with the expiries since it was queued as
	 * its overruns (which timer_getoverrun(2) then gives).  Taken, it
	 * re-arms the timer: a second signal can only be of an expiry since,
	 * at a point of its period (the next one, from @next on).
	 */
	t1 = now_ns();
	if (tm_get(6, &next, &iv))
		tfail("timer_gettime(6): %s", strerror(errno));
	next += t1;
	t1 = now_ns();
	if (tm_take(TM_SIG_PEND, &si))
		return tfail("timer 6's signal is not pending");
	tgt_val[V_TM_T_TAKEN] = t1;
	tgt_val[V_TM_OVERRUN] = si.si_overrun;
	tm_check_info(&si, TM_SIG_PEND, 6);
	n = tm_take(TM_SIG_PEND, &si);
	t2 = now_ns();
	if (!n) {
		/* the first point of its period from t1 on */
		int64_t point = next;

		while (point > t1 - 2 * TM_MS)
			point -= TM_PEND_IV;
		while (point < t1 - 2 * TM_MS)
			point += TM_PEND_IV;
		if (point > t2 + 2 * TM_MS)
			tfail("timer 6's signal was pending twice (the second: code %d, timer %d, overrun %d)",
			      si.si_code, si.si_timerid, si.si_overrun);
	}
	if (tm_overrun(6) != tgt_val[V_TM_OVERRUN])
		tfail("timer 6: si_overrun %lld, timer_getoverrun %d",
		      (long long)tgt_val[V_TM_OVERRUN], tm_overrun(6));

	/* Timer 9's, once: a one-shot's, no overrun. */
	if (tm_take(TM_SIG_PEND_TASK, &si))
		tfail("timer 9's signal is not pending");
	else if (!tm_check_info(&si, TM_SIG_PEND_TASK, 9) && si.si_overrun)
		tfail("timer 9's signal: %d overruns", si.si_overrun);
	if (!tm_take(TM_SIG_PEND_TASK, &si))
		tfail("timer 9's signal was pending twice");
	if (tm_overrun(9) != 0)
		tfail("timer_getoverrun(9) is %d", tm_overrun(9));

	/* Deleted timer 10's, once, as it was. */
	if (!tgt_val[V_TM_GONE_KEPT])
		;
	else if (tm_take(TM_SIG_GONE, &si))
		tfail("timer 10's signal is not pending");
	else
		tm_check_info(&si, TM_SIG_GONE, 10);
	if (!tm_take(TM_SIG_GONE, &si))
		tfail("timer 10's signal was pending twice");

	/* The next timer gets the id the process would have given it. */
	n = tm_create(CLOCK_MONOTONIC, SIGEV_NONE, 0, 0);
	if (n != TM_NEXT)
		tfail("timer_create gave %d (%s), not %d", n,
		      n < 0 ? strerror(-n) : "another id", TM_NEXT);
	if (n >= 0 && syscall(SYS_timer_delete, n))
		tfail("timer_delete(%d): %s", n, strerror(errno));
	/* Restored timers are deleted as any. */
	if (syscall(SYS_timer_delete, 3))
		tfail("timer_delete(3): %s", strerror(errno));
	if (tm_get(3, &l3a, &iv) != -EINVAL)
		tfail("timer 3 is still there after timer_delete");
	if (!syscall(SYS_timer_delete, 2) || errno != EINVAL)
		tfail("timer_delete(2), of a timer deleted before: %s",
		      strerror(errno));
	return 0;
}

/*
 * After the restart (the first time): the timers, their pending signals,
 * the ids; each time: how many signals the running ones sent.
 */
static int timers_check(void)
{
	static int calls;

	if (!calls++)
		timers_check_once();
	if (tm_count[1] || tm_count[3] || tm_count[8])
		tfail("timers 1, 3, 8 fired: %d, %d, %d times", tm_count[1],
		      tm_count[3], tm_count[8]);
	if (tm_bad)
		tfail("%d signals of code %d, timer %d, not a timer's own",
		      tm_bad, tm_bad_code, tm_bad_id);
	tgt_val[V_TM_COUNT0] = tm_count[0];
	tgt_val[V_TM_COUNT4] = tm_count[4];
	return tgt_msg[0] ? -1 : 0;
}

/*
 * Epoll (format version 4): an epoll file, non-blocking and close-on-exec,
 * watching the ends of four pipes, each item with its data:
 *   EP_A_R  EPOLLIN                  empty
 *   EP_B_R  EPOLLIN | EPOLLET        one byte, its edge taken already
 *   EP_C_R  EPOLLIN | EPOLLONESHOT   one byte: it fired, and is disarmed
 *   EP_D_W  EPOLLOUT                 writable: always ready
 * After the restart a wait that does not block reports D, and B once more
 * (an edge-triggered item whose file is ready is found ready again, as
 * the format says), but neither A nor C; then A once written to, C once
 * re-armed, B at a new edge; the items are there (EPOLL_CTL_ADD: EEXIST).
 */
#define EP_FD		45
#define EP_A_R		46
#define EP_A_W		47
#define EP_B_R		48
#define EP_B_W		49
#define EP_C_R		50
#define EP_C_W		51
#define EP_D_R		52
#define EP_D_W		53
#define EP_DATA(fd)	(0x5eed000000000000ULL | (uint64_t)(fd) << 8 | 0x11)
/*
 * The items, as checkpoint must save them: their events as epoll keeps
 * them, with EPOLLERR and EPOLLHUP, which epoll_ctl(2) adds to every item;
 * C fired, and only its flag is left.
 */
#define EP_ALWAYS	(EPOLLERR | EPOLLHUP)
static const struct {
	int fd;
	uint32_t events, saved;
} ep_items[] = {
	{ EP_A_R, EPOLLIN, EPOLLIN | EP_ALWAYS },
	{ EP_B_R, EPOLLIN | EPOLLET, EPOLLIN | EPOLLET | EP_ALWAYS },
	{ EP_C_R, EPOLLIN | EPOLLONESHOT, EPOLLONESHOT },
	{ EP_D_W, EPOLLOUT, EPOLLOUT | EP_ALWAYS },
};

/*
 * What a wait that does not block reports, as a mask of the items (bit
 * k: ep_items[k], with its data and events); -1 on an error or an event
 * that is not one of them.
 */
static int ep_ready(int epfd)
{
	struct epoll_event ev[8];
	int n = epoll_wait(epfd, ev, 8, 0), mask = 0;

	if (n < 0)
		return tfail("epoll_wait: %s", strerror(errno));
	for (int i = 0; i < n; i++) {
		size_t k;

		for (k = 0; k < ARRAY_SIZE(ep_items); k++)
			if (ev[i].data.u64 == EP_DATA(ep_items[k].fd))
				break;
		if (k == ARRAY_SIZE(ep_items) ||
		    !(ev[i].events & (ep_items[k].events & (EPOLLIN | EPOLLOUT))))
			return tfail("epoll_wait: events 0x%x, data 0x%llx",
				     ev[i].events,
				     (unsigned long long)ev[i].data.u64);
		mask |= 1 << k;
	}
	return mask;
}

#define EP_MASK(a, b, c, d)	((a) | (b) << 1 | (c) << 2 | (d) << 3)

static int epoll_setup(void)
{
	int p[2], got;

	if (tmove(epoll_create1(EPOLL_CLOEXEC), EP_FD, true) ||
	    fcntl(EP_FD, F_SETFL, O_NONBLOCK))
		return tfail("epoll_create1: %s", strerror(errno));
	for (int fd = EP_A_R; fd <= EP_D_R; fd += 2)
		if (pipe(p) || tmove(p[0], fd, false) ||
		    tmove(p[1], fd + 1, false))
			return tfail("pipe: %s", strerror(errno));
	for (size_t k = 0; k < ARRAY_SIZE(ep_items); k++) {
		struct epoll_event ev = {
			.events = ep_items[k].events,
			.data.u64 = EP_DATA(ep_items[k].fd),
		};

		if (epoll_ctl(EP_FD, EPOLL_CTL_ADD, ep_items[k].fd, &ev))
			return tfail("EPOLL_CTL_ADD %d: %s", ep_items[k].fd,
				     strerror(errno));
	}
	if ((got = ep_ready(EP_FD)) != EP_MASK(0, 0, 0, 1))
		return tfail("at first, epoll_wait reports 0x%x", got);
	/* B's edge, taken; C fires, and is disarmed. */
	if (write(EP_B_W, "b", 1) != 1 || write(EP_C_W, "c", 1) != 1)
		return tfail("write: %s", strerror(errno));
	if ((got = ep_ready(EP_FD)) != EP_MASK(0, 1, 1, 1))
		return tfail("after the writes, epoll_wait reports 0x%x", got);
	if ((got = ep_ready(EP_FD)) != EP_MASK(0, 0, 0, 1))
		return tfail("then, epoll_wait reports 0x%x", got);
	return 0;
}

static int epoll_check(void)
{
	struct epoll_event ev = { .events = EPOLLIN };
	char c;
	int got;

	if ((fcntl(EP_FD, F_GETFL) & (O_ACCMODE | O_NONBLOCK)) !=
	    (O_RDWR | O_NONBLOCK) || fcntl(EP_FD, F_GETFD) != FD_CLOEXEC)
		tfail("the epoll fd has flags 0%o, fd flags %d",
		      fcntl(EP_FD, F_GETFL), fcntl(EP_FD, F_GETFD));
	/* B's edge once more, D; not A (empty), not C (disarmed). */
	if ((got = ep_ready(EP_FD)) != EP_MASK(0, 1, 0, 1))
		return tfail("after the restart, epoll_wait reports 0x%x", got);
	if ((got = ep_ready(EP_FD)) != EP_MASK(0, 0, 0, 1))
		return tfail("then, epoll_wait reports 0x%x", got);
	/* A, written to. */
	if (write(EP_A_W, "a", 1) != 1)
		return tfail("write: %s", strerror(errno));
	if ((got = ep_ready(EP_FD)) != EP_MASK(1, 0, 0, 1))
		return tfail("A written to, epoll_wait reports 0x%x", got);
	if (read(EP_A_R, &c, 1) != 1 || c != 'a')
		return tfail("pipe A: %s", strerror(errno));
	/* C re-armed: it holds its byte. */
	ev.events = EPOLLIN | EPOLLONESHOT;
	ev.data.u64 = EP_DATA(EP_C_R);
	if (epoll_ctl(EP_FD, EPOLL_CTL_MOD, EP_C_R, &ev))
		return tfail("EPOLL_CTL_MOD of C: %s", strerror(errno));
	if ((got = ep_ready(EP_FD)) != EP_MASK(0, 0, 1, 1))
		return tfail("C re-armed, epoll_wait reports 0x%x", got);
	if ((got = ep_ready(EP_FD)) != EP_MASK(0, 0, 0, 1))
		return tfail("C fired again, epoll_wait reports 0x%x", got);
	/* A new edge of B. */
	if (write(EP_B_W, "b", 1) != 1)
		return tfail("write: %s", strerror(errno));
	if ((got = ep_ready(EP_FD)) != EP_MASK(0, 1, 0, 1))
		return tfail("B written to, epoll_wait reports 0x%x", got);
	if (read(EP_B_R, &c, 1) != 1 || read(EP_C_R, &c, 1) != 1)
		return tfail("pipes B, C: %s", strerror(errno));
	/* Its items are there. */
	ev.events = EPOLLIN;
	if (epoll_ctl(EP_FD, EPOLL_CTL_ADD, EP_A_R, &ev) != -1 ||
	    errno != EEXIST)
		return tfail("EPOLL_CTL_ADD of A again: %s", strerror(errno));
	return tgt_msg[0] ? -1 : 0;
}

/*
 * A task blocked in epoll_wait(2) (no timeout) on an epoll file that
 * watches WAKE_R: the freeze interrupts it (EINTR, with or without a
 * checkpoint, as the cgroup freezer does), and it waits again, as after
 * a thaw; after the restart, the test writes to the pipe, and the wait
 * returns the item with its data.  V_EXTRA: how many EINTRs it had.
 */
#define EPW_FD		44
#define EPW_DATA	0x7777abcdULL

static int epoll_wait_setup(void)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = EPW_DATA };

	if (wake_setup())
		return -1;
	if (tmove(epoll_create1(0), EPW_FD, false) ||
	    epoll_ctl(EPW_FD, EPOLL_CTL_ADD, WAKE_R, &ev))
		return tfail("epoll: %s", strerror(errno));
	return 0;
}

static int epoll_wait_block(void)
{
	struct epoll_event ev[4];
	char buf[64] = "";
	long n;

	tgt_val[V_START] = now_ns();
	tgt_val[V_EXTRA] = 0;
	for (;;) {
		n = syscall(SYS_epoll_wait, EPW_FD, ev, 4, -1);
		if (n >= 0 || errno != EINTR)
			break;
		tgt_val[V_EXTRA]++;
	}
	tgt_val[V_RET] = n;
	tgt_val[V_ERRNO] = n < 0 ? errno : 0;
	tgt_val[V_END] = now_ns();
	if (n != 1 || ev[0].data.u64 != EPW_DATA || !(ev[0].events & EPOLLIN))
		return tfail("epoll_wait: %ld (%s), events 0x%x, data 0x%llx",
			     n, strerror((int)tgt_val[V_ERRNO]),
			     n > 0 ? ev[0].events : 0,
			     n > 0 ? (unsigned long long)ev[0].data.u64 : 0ULL);
	if (read(WAKE_R, buf, sizeof(buf) - 1) != sizeof(WAKE_MSG) - 1 ||
	    strcmp(buf, WAKE_MSG))
		return tfail("the pipe holds \"%s\"", buf);
	return 0;
}

/*
 * Namespaces (format version 4): the container in UTS and IPC namespaces
 * of its own (clone(CLONE_NEWUTS | CLONE_NEWIPC)), with a hostname and a
 * domainname; its IPC namespace had objects, removed before the
 * checkpoint.  After the restart: the same names, in new namespaces (the
 * test's are untouched), and an IPC namespace that works and is empty.
 */
#define NS_HOST		"ckpt-ns-host"
#define NS_DOMAIN	"ckpt.ns.example"
#define NS_KEY		0x636b7074	/* "ckpt" */

static int ns_setup(void)
{
	int shm, msq;

	if (sethostname(NS_HOST, strlen(NS_HOST)) ||
	    setdomainname(NS_DOMAIN, strlen(NS_DOMAIN)))
		return tfail("sethostname: %s", strerror(errno));
	shm = shmget(NS_KEY, 4096, IPC_CREAT | IPC_EXCL | 0600);
	msq = msgget(NS_KEY, IPC_CREAT | IPC_EXCL | 0600);
	if (shm < 0 || msq < 0 || shmctl(shm, IPC_RMID, NULL) ||
	    msgctl(msq, IPC_RMID, NULL))
		return tfail("SysV IPC: %s", strerror(errno));
	return 0;
}

static int ns_check(void)
{
	struct utsname u;
	int shm;

	if (uname(&u) || strcmp(u.nodename, NS_HOST) ||
	    strcmp(u.domainname, NS_DOMAIN))
		return tfail("the names are \"%s\" and \"%s\"", u.nodename,
			     u.domainname);
	/* Empty, and of its own: the key is free, and can be taken. */
	shm = shmget(NS_KEY, 4096, IPC_CREAT | IPC_EXCL | 0600);
	if (shm < 0)
		return tfail("shmget: %s", strerror(errno));
	if (shmctl(shm, IPC_RMID, NULL))
		return tfail("shmctl(IPC_RMID): %s", strerror(errno));
	/* Names can be set again, in its namespace only. */
	if (sethostname(NS_HOST "-2", strlen(NS_HOST "-2")) || uname(&u) ||
	    strcmp(u.nodename, NS_HOST "-2") ||
	    sethostname(NS_HOST, strlen(NS_HOST)))
		return tfail("sethostname after the restart: %s",
			     strerror(errno));
	return 0;
}

/*
 * A child of the init in another UTS namespace (unshare(CLONE_NEWUTS))
 * than the init's: it waits in pause().
 */
static int uts_kid_setup(void)
{
	int sync[2];
	pid_t kid;
	char c = 0;

	if (pipe(sync))
		return tfail("pipe: %s", strerror(errno));
	kid = fork();
	if (kid == 0) {
		close(sync[0]);
		c = unshare(CLONE_NEWUTS) ? 'e' : 'r';
		if (c == 'r')
			sethostname("other", 5);
		if (write(sync[1], &c, 1) != 1)
			_exit(1);
		close(sync[1]);
		for (;;)
			pause();
	}
	close(sync[1]);
	if (kid < 0 || read(sync[0], &c, 1) != 1 || c != 'r')
		return tfail("the child could not unshare its UTS namespace");
	close(sync[0]);
	return 0;
}

/*
 * External files (format version 4): the target's stdout is a pipe to the
 * test; or its stdin, stdout and stderr a terminal (a pty of the test).
 * After the restart, they are the restarter's: what it writes arrives
 * where the restarter's files go, and a terminal reads what is typed on it.
 */
#define EXT_MSG		"written to stdout after the restart\n"
#define EXT_PING	"ping\n"

static int ext_pipe_check(void)
{
	if (write(1, EXT_MSG, sizeof(EXT_MSG) - 1) != sizeof(EXT_MSG) - 1)
		return tfail("write to stdout: %s", strerror(errno));
	return 0;
}

static int ext_pty_check(void)
{
	char buf[64] = "pong:";
	ssize_t n = read(0, buf + 5, sizeof(buf) - 6);

	if (n != sizeof(EXT_PING) - 1 || strncmp(buf + 5, EXT_PING, n))
		return tfail("read from stdin: %zd (%s)", n,
			     n < 0 ? strerror(errno) : "not the line typed");
	if (write(1, buf, 5 + n) != 5 + n)
		return tfail("write to stdout: %s", strerror(errno));
	return 0;
}

/* ------------------------------------------------------------------ */
/* The fixture                                                         */

#define MAX_RESTORED	4
#define MAX_REPORTS	16
#define SNAP_FDS	64

/* What /proc shows of a task, to compare before and after. */
struct snap_fd {
	int fd;
	char link[256];		/* "pipe:" and an id for pipes */
	unsigned long long pos;
	unsigned int flags;
};

struct snap {
	char status[16][192];	/* the lines of status_names[] */
	char limits[4096];
	long long nice, rt_priority, policy;
	char cwd[1024], root[1024];
	int nr_fds;
	struct snap_fd fds[SNAP_FDS];
	char timers[4096];	/* /proc/PID/timers, see snap_timers() */
};

static const char *const status_names[] = {
	"SigPnd", "ShdPnd", "SigBlk", "SigIgn", "SigCgt", "Uid", "Gid",
	"Groups", "CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb",
	"NoNewPrivs", "Umask",
};

FIXTURE(st) {
	pid_t owner;		/* the test process */
	char cg[PATH_MAX];	/* the target's cgroup */
	char dir[256];		/* the scratch directory */
	char report[PATH_MAX];	/* its report file */
	pid_t orig;		/* the original target, or 0 */
	pid_t restored[MAX_RESTORED];
	int nr_reports;		/* reports read so far */
	int img;		/* the image (memfd) */
	int log[2];
	char logbuf[8192];
	off_t report_size;	/* of the report file at the checkpoint */
	int64_t t_ckpt[2];	/* before and after checkpoint(2) */
	int64_t t_restart[2];	/* before and after restart(2) */
	int64_t t_wake;		/* when the test woke the restored task */
	int64_t rb_time;	/* ns left in the image's restart block */
	int64_t tm_left[TM_MADE];	/* ns left of each POSIX timer, in the image */
	struct report pre;	/* the original's first view */
	struct snap pre_snap;	/* /proc of the frozen original */
	/*
	 * External files: the test's end of the original's (the read end
	 * of its stdout, or the master of its terminal), and the files the
	 * restarter gives in their place (a pipe, or a terminal: master,
	 * slave); -1 if none.
	 */
	int ext_orig;
	int ext_new[2];
	char ext_name[64];	/* the original's terminal (/dev/pts/N) */
	char ext_new_name[64];	/* the restarter's */
};

FIXTURE_SETUP(st)
{
	static const struct {
		const char *name;
		size_t size;
		unsigned int salt;
	} files[] = {
		{ F_DATA, DATA_SIZE, 1 },
		{ F_SHARED, SHARED_SIZE, 2 },
		{ F_APPEND, APPEND_SIZE, 3 },
		{ F_REPORT, 0, 0 },
	};
	char path[PATH_MAX];

	self->owner = getpid();
	memset(self->restored, 0, sizeof(self->restored));
	self->orig = 0;
	self->cg[0] = '\0';
	self->ext_orig = self->ext_new[0] = self->ext_new[1] = -1;
	self->ext_name[0] = self->ext_new_name[0] = '\0';
	self->img = memfd_create("ckpt-state", MFD_CLOEXEC);
	ASSERT_LE(0, self->img);
	ASSERT_EQ(0, ckpt_log_pipe(self->log));
	/* Restored tasks are our children; orphans of a failed one too. */
	ASSERT_EQ(0, prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0));
	ASSERT_NE(SIG_ERR, signal(SIGPIPE, SIG_IGN));

	snprintf(self->dir, sizeof(self->dir), "/tmp/ckpt-state.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	/* Readable by the targets that become another user. */
	ASSERT_EQ(0, chmod(self->dir, 0755));
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		int fd;

		snprintf(path, sizeof(path), "%s/%s", self->dir, files[i].name);
		fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0666);
		ASSERT_LE(0, fd);
		ASSERT_EQ(0, fchmod(fd, 0666));
		ASSERT_EQ(0, write_pat(fd, files[i].size, files[i].salt));
		close(fd);
	}
	snprintf(self->report, sizeof(self->report), "%s/%s", self->dir,
		 F_REPORT);
	for (int i = 0; i < 4; i++) {
		static const char *const dirs[] = {
			F_DIR, F_DIR "/sub", F_ROOT, F_ROOT "/sub",
		};

		snprintf(path, sizeof(path), "%s/%s", self->dir, dirs[i]);
		ASSERT_EQ(0, mkdir(path, 0755));
	}
	ASSERT_EQ(0, ckpt_cg_create(self->cg, sizeof(self->cg))) {
		TH_LOG("cannot create a cgroup under %s", ckpt_cg_root());
		ckpt_rm_tree(self->dir);
	}
}

/*
 * The teardown runs in the test process or in its parent (see
 * image_test.c): the targets are ours to kill and reap, and if we are gone
 * they are in the cgroup (restored ones are moved there), which
 * ckpt_cg_destroy() kills.
 */
FIXTURE_TEARDOWN_PARENT(st)
{
	if (getpid() == self->owner) {
		for (int i = 0; i < MAX_RESTORED; i++)
			if (self->restored[i] > 0) {
				kill(self->restored[i], SIGKILL);
				waitpid(self->restored[i], NULL, 0);
			}
		if (self->orig > 0) {
			kill(self->orig, SIGKILL);
			waitpid(self->orig, NULL, 0);
		}
	}
	EXPECT_EQ(0, ckpt_cg_destroy(self->cg));
	ckpt_rm_tree(self->dir);
}

static const char *st_log(FIXTURE_DATA(st) *self)
{
	size_t len = strlen(self->logbuf);

	/* Keep what earlier calls logged: a pipe variant logs from two. */
	ckpt_log_read(self->log[0], self->logbuf + len,
		      sizeof(self->logbuf) - len);
	return self->logbuf;
}

/* ------------------------------------------------------------------ */
/* Reports                                                             */

static struct report reports[MAX_REPORTS];

/* The whole reports in the report file, in reports[]: their number. */
static int read_reports(FIXTURE_DATA(st) *self)
{
	ssize_t n = ckpt_read_file(self->report, reports, sizeof(reports));
	int nr = n < 0 ? 0 : n / sizeof(struct report);

	while (nr && (reports[nr - 1].magic != REPORT_MAGIC ||
		      reports[nr - 1].magic_end != REPORT_MAGIC))
		nr--;
	return nr;
}

static const char *kind_name(uint32_t kind)
{
	return kind == R_VIEW ? "view" : kind == R_CHECK ? "check" :
	       kind == R_ERROR ? "error" : "unknown";
}

/*
 * Wait (up to @timeout_ms) for the next report of the target, which must
 * be of @kind; a copy of it in *@r.
 */
static void next_report(struct __test_metadata *_metadata,
			FIXTURE_DATA(st) *self, enum report_kind kind,
			long timeout_ms, struct report *r)
{
	struct timespec start;
	int nr;

	clock_gettime(CLOCK_MONOTONIC, &start);
	while ((nr = read_reports(self)) <= self->nr_reports) {
		ASSERT_GT(timeout_ms, ckpt_ms_since(&start)) {
			TH_LOG("no report %d from the target after %ld ms (%d in %s)",
			       self->nr_reports + 1, timeout_ms, nr,
			       self->report);
		}
		ckpt_sleep_ms(20);
	}
	*r = reports[self->nr_reports++];
	ASSERT_EQ(REPORT_MAGIC, r->magic);
	ASSERT_EQ((uint32_t)kind, r->kind) {
		TH_LOG("report %d is a %s report, not a %s one: \"%s\"",
		       self->nr_reports, kind_name(r->kind), kind_name(kind),
		       r->msg);
	}
}

/* Send the command @c to (restored) target @pid, through /proc. */
static void command(struct __test_metadata *_metadata, pid_t pid, char c)
{
	int fd = ckpt_proc_fd_open(pid, CMD_FD, O_WRONLY);

	ASSERT_LE(0, fd) {
		TH_LOG("opening fd %d of task %d: %s", CMD_FD, (int)pid,
		       strerror(errno));
	}
	ASSERT_EQ(1, write(fd, &c, 1));
	close(fd);
}

/* ------------------------------------------------------------------ */
/* /proc snapshots                                                     */

/*
 * /proc/PID/timers of @pid into @out: its POSIX timers by increasing id
 * (the file lists them newest first), the task they notify named "self"
 * if it is @pid (the file names it by its pid in our namespace, which a
 * restored task does not keep).  Empty without timers.
 */
static void snap_timers(pid_t pid, char *out, size_t size)
{
	struct {
		int id;
		char text[320];
	} t[32], tmp;
	char path[64], buf[8192], *line, *save = NULL;
	size_t len = 0;
	ssize_t n;
	int nr = 0;

	out[0] = '\0';
	snprintf(path, sizeof(path), "/proc/%d/timers", (int)pid);
	n = ckpt_read_file(path, buf, sizeof(buf) - 1);
	if (n <= 0)
		return;
	buf[n] = '\0';
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char kind[16], who[8], l[320];
		int id, p;

		if (sscanf(line, "ID: %d", &id) == 1 && nr < 32) {
			t[nr].id = id;
			t[nr++].text[0] = '\0';
		}
		if (!nr)
			continue;
		snprintf(l, sizeof(l), "%s", line);
		if (sscanf(line, "notify: %15[^/]/%7[^.].%d", kind, who, &p) == 3 &&
		    p == pid)
			snprintf(l, sizeof(l), "notify: %s/%s.self", kind, who);
		len = strlen(t[nr - 1].text);
		snprintf(t[nr - 1].text + len, sizeof(t[nr - 1].text) - len,
			 "%s; ", l);
	}
	for (int i = 1; i < nr; i++)
		for (int k = i; k > 0 && t[k].id < t[k - 1].id; k--) {
			tmp = t[k];
			t[k] = t[k - 1];
			t[k - 1] = tmp;
		}
	len = 0;
	for (int i = 0; i < nr && len < size; i++)
		len += snprintf(out + len, size - len, "%s\n", t[i].text);
}

static void snap_take(struct __test_metadata *_metadata, pid_t pid,
		      struct snap *s, uint64_t ext_fds)
{
	char path[96], buf[8192], dirpath[64];
	long long f[64];
	struct dirent *de;
	ssize_t n;
	DIR *dir;
	/* pipes are told apart by their inode, which restart renews */
	unsigned long long pipe_ino[SNAP_FDS];
	int nr_pipes = 0;

	memset(s, 0, sizeof(*s));
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	n = ckpt_read_file(path, buf, sizeof(buf) - 1);
	ASSERT_LT(0, n);
	buf[n] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(status_names); i++) {
		const char *p = buf;
		size_t len = strlen(status_names[i]);

		while (p && (strncmp(p, status_names[i], len) || p[len] != ':'))
			p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL;
		ASSERT_NE(NULL, p) {
			TH_LOG("no %s in %s", status_names[i], path);
		}
		snprintf(s->status[i], sizeof(s->status[i]), "%.*s",
			 (int)strcspn(p, "\n"), p);
	}
	snprintf(path, sizeof(path), "/proc/%d/limits", (int)pid);
	n = ckpt_read_file(path, s->limits, sizeof(s->limits) - 1);
	ASSERT_LT(0, n);
	ASSERT_LE(41, ckpt_proc_stat(pid, f));
	s->nice = f[19];
	s->rt_priority = f[40];
	s->policy = f[41];
	snprintf(path, sizeof(path), "/proc/%d/cwd", (int)pid);
	n = readlink(path, s->cwd, sizeof(s->cwd) - 1);
	ASSERT_LT(0, n);
	snprintf(path, sizeof(path), "/proc/%d/root", (int)pid);
	n = readlink(path, s->root, sizeof(s->root) - 1);
	ASSERT_LT(0, n);

	/* The fds, sorted; pipes named by the order of their first fd. */
	snprintf(dirpath, sizeof(dirpath), "/proc/%d/fd", (int)pid);
	dir = opendir(dirpath);
	ASSERT_NE(NULL, dir);
	while ((de = readdir(dir))) {
		struct snap_fd *sf;
		char *p;

		if (de->d_name[0] == '.')
			continue;
		ASSERT_GT(SNAP_FDS, s->nr_fds);
		sf = &s->fds[s->nr_fds++];
		sf->fd = atoi(de->d_name);
		snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)pid, sf->fd);
		n = readlink(path, sf->link, sizeof(sf->link) - 1);
		ASSERT_LT(0, n);
		sf->link[n] = '\0';
		snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d", (int)pid,
			 sf->fd);
		n = ckpt_read_file(path, buf, sizeof(buf) - 1);
		ASSERT_LT(0, n);
		buf[n] = '\0';
		p = strstr(buf, "pos:");
		ASSERT_NE(NULL, p);
		sf->pos = strtoull(p + 4, NULL, 10);
		p = strstr(buf, "flags:");
		ASSERT_NE(NULL, p);
		sf->flags = strtoul(p + 6, NULL, 8);
	}
	closedir(dir);
	for (int i = 1; i < s->nr_fds; i++)
		for (int k = i; k > 0 && s->fds[k].fd < s->fds[k - 1].fd; k--) {
			struct snap_fd t = s->fds[k];

			s->fds[k] = s->fds[k - 1];
			s->fds[k - 1] = t;
		}
	/*
	 * A restored pipe is another inode: name it by its place instead.
	 * An external file (at @ext_fds) is another file after the restart:
	 * not named, nor counted.
	 */
	for (int i = 0; i < s->nr_fds; i++) {
		unsigned long long ino;
		int k;

		if (s->fds[i].fd < 64 && (ext_fds & 1ULL << s->fds[i].fd)) {
			snprintf(s->fds[i].link, sizeof(s->fds[i].link),
				 "(external)");
			continue;
		}
		if (sscanf(s->fds[i].link, "pipe:[%llu]", &ino) != 1)
			continue;
		for (k = 0; k < nr_pipes && pipe_ino[k] != ino; k++)
			;
		if (k == nr_pipes)
			pipe_ino[nr_pipes++] = ino;
		snprintf(s->fds[i].link, sizeof(s->fds[i].link), "pipe #%d", k);
	}
	snap_timers(pid, s->timers, sizeof(s->timers));
}

/*
 * Where @a and @b (before and after) differ, in words, or NULL.  The
 * pending signals in @ign_sigs may come and go (a timer's), and the report
 * fd's offset moves with each report.
 */
static const char *snap_diff(const struct snap *a, const struct snap *b,
			     uint64_t ign_sigs, uint64_t ext_fds, char *why,
			     size_t size)
{
	for (size_t i = 0; i < ARRAY_SIZE(status_names); i++) {
		if (i <= 1 && ign_sigs) {
			/* SigPnd, ShdPnd: hex masks */
			const char *pa = strchr(a->status[i], ':');
			const char *pb = strchr(b->status[i], ':');
			uint64_t ma = pa ? strtoull(pa + 1, NULL, 16) : 0;
			uint64_t mb = pb ? strtoull(pb + 1, NULL, 16) : 0;

			if ((ma & ~ign_sigs) == (mb & ~ign_sigs))
				continue;
		} else if (!strcmp(a->status[i], b->status[i])) {
			continue;
		}
		snprintf(why, size, "status: \"%s\" before, \"%s\" after",
			 a->status[i], b->status[i]);
		return why;
	}
	if (strcmp(a->limits, b->limits)) {
		/* the first line that differs, of both */
		const char *pa = a->limits, *pb = b->limits;

		while (*pa && *pa == *pb) {
			pa++;
			pb++;
		}
		while (pa > a->limits && pa[-1] != '\n') {
			pa--;
			pb--;
		}
		snprintf(why, size, "limits: \"%.*s\" before, \"%.*s\" after",
			 (int)strcspn(pa, "\n"), pa, (int)strcspn(pb, "\n"), pb);
		return why;
	}
	if (a->nice != b->nice || a->policy != b->policy ||
	    a->rt_priority != b->rt_priority) {
		snprintf(why, size, "stat: nice %lld, policy %lld, rt priority %lld before; %lld, %lld, %lld after",
			 a->nice, a->policy, a->rt_priority, b->nice,
			 b->policy, b->rt_priority);
		return why;
	}
	if (strcmp(a->cwd, b->cwd) || strcmp(a->root, b->root)) {
		snprintf(why, size, "cwd %s, root %s before; %s, %s after",
			 a->cwd, a->root, b->cwd, b->root);
		return why;
	}
	for (int i = 0; i < a->nr_fds || i < b->nr_fds; i++) {
		const struct snap_fd *fa = &a->fds[i], *fb = &b->fds[i];

		if (i >= a->nr_fds || i >= b->nr_fds || fa->fd != fb->fd) {
			snprintf(why, size, "fds: %d before (the %dth is %d), %d after (the %dth is %d)",
				 a->nr_fds, i, i < a->nr_fds ? fa->fd : -1,
				 b->nr_fds, i, i < b->nr_fds ? fb->fd : -1);
			return why;
		}
		/* an external file: the restarter's, open for the same */
		if (fa->fd < 64 && (ext_fds & 1ULL << fa->fd)) {
			if ((fa->flags & O_ACCMODE) == (fb->flags & O_ACCMODE))
				continue;
		} else if (!strcmp(fa->link, fb->link) &&
			   fa->flags == fb->flags &&
			   (fa->pos == fb->pos || fa->fd == REPORT_FD)) {
			continue;
		}
		snprintf(why, size, "fd %d: %s, flags 0%o, pos %llu before; %s, flags 0%o, pos %llu after",
			 fa->fd, fa->link, fa->flags, fa->pos, fb->link,
			 fb->flags, fb->pos);
		return why;
	}
	if (strcmp(a->timers, b->timers)) {
		snprintf(why, size, "POSIX timers: \"%.1500s\" before, \"%.1500s\" after",
			 a->timers, b->timers);
		return why;
	}
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Views                                                               */

#define IGN_IT_VALUES	0x1	/* timers tick: compare intervals only */
#define IGN_BLOCKED	0x2	/* a call changed the blocked mask */

/* Where the views @a and @b (before and after) differ, or NULL. */
static const char *view_diff(const struct view *a, const struct view *b,
			     unsigned int ign, uint64_t ign_sigs,
			     uint64_t ext_fds, char *why, size_t size)
{
	int pipes_a[VIEW_FDS], pipes_b[VIEW_FDS];

#define DIFF(cond, fmt, ...) do {					\
		if (cond) {						\
			snprintf(why, size, fmt, __VA_ARGS__);		\
			return why;					\
		}							\
	} while (0)

	DIFF(a->pid != b->pid, "pid %d before, %d after", a->pid, b->pid);
	DIFF(a->nr_fds != b->nr_fds, "%u fds before, %u after", a->nr_fds,
	     b->nr_fds);
	for (uint32_t i = 0; i < a->nr_fds; i++) {
		const struct fd_view *fa = &a->fds[i], *fb = &b->fds[i];

		DIFF(fa->fd != fb->fd, "the %uth fd is %d before, %d after", i,
		     fa->fd, fb->fd);
		pipes_a[i] = pipes_b[i] = -1;
		/* an external file: the restarter's, open for the same */
		if (fa->fd < 64 && (ext_fds & 1ULL << fa->fd)) {
			DIFF(fa->fd_flags != fb->fd_flags ||
			     (fa->fl & O_ACCMODE) != (fb->fl & O_ACCMODE),
			     "fd %d (external): F_GETFD %d, F_GETFL 0%o before; %d, 0%o after",
			     fa->fd, fa->fd_flags, fa->fl, fb->fd_flags, fb->fl);
			continue;
		}
		DIFF(fa->fd_flags != fb->fd_flags || fa->fl != fb->fl ||
		     fa->mode != fb->mode,
		     "fd %d: F_GETFD %d, F_GETFL 0%o, mode 0%o before; %d, 0%o, 0%o after",
		     fa->fd, fa->fd_flags, fa->fl, fa->mode, fb->fd_flags,
		     fb->fl, fb->mode);
		DIFF(fa->pos != fb->pos && fa->fd != REPORT_FD,
		     "fd %d: offset %lld before, %lld after", fa->fd,
		     (long long)fa->pos, (long long)fb->pos);
		DIFF(fa->pipe_size != fb->pipe_size || fa->nread != fb->nread,
		     "fd %d: pipe of %d bytes holding %d before; %d holding %d after",
		     fa->fd, fa->pipe_size, fa->nread, fb->pipe_size,
		     fb->nread);
		if (fa->mode == S_IFIFO) {
			/* the same pairs of fds share a pipe */
			for (uint32_t k = 0; k <= i; k++) {
				if (pipes_a[i] < 0 && a->fds[k].ino == fa->ino)
					pipes_a[i] = k;
				if (pipes_b[i] < 0 && b->fds[k].ino == fb->ino)
					pipes_b[i] = k;
			}
			DIFF(pipes_a[i] != pipes_b[i],
			     "fd %d: the pipe of fd %d before, of fd %d after",
			     fa->fd, a->fds[pipes_a[i]].fd,
			     b->fds[pipes_b[i]].fd);
		} else if (fa->mode == S_IFREG && !fa->nlink) {
			/* a memfd: a new one, as a pipe is */
			DIFF(fb->nlink, "fd %d: a memfd before, a file with %u links after",
			     fa->fd, fb->nlink);
		} else {
			DIFF(fa->dev != fb->dev || fa->ino != fb->ino ||
			     fa->rdev != fb->rdev,
			     "fd %d: file %llx:%llu (rdev %llx) before, %llx:%llu (%llx) after",
			     fa->fd, (unsigned long long)fa->dev,
			     (unsigned long long)fa->ino,
			     (unsigned long long)fa->rdev,
			     (unsigned long long)fb->dev,
			     (unsigned long long)fb->ino,
			     (unsigned long long)fb->rdev);
		}
	}
	for (int sig = 1; sig <= CKPT_NSIG; sig++) {
		const struct act_view *x = &a->act[sig - 1], *y = &b->act[sig - 1];

		DIFF(memcmp(x, y, sizeof(*x)),
		     "signal %d: handler 0x%llx, flags 0x%llx, restorer 0x%llx, mask 0x%llx before; 0x%llx, 0x%llx, 0x%llx, 0x%llx after",
		     sig, (unsigned long long)x->handler,
		     (unsigned long long)x->flags,
		     (unsigned long long)x->restorer,
		     (unsigned long long)x->mask,
		     (unsigned long long)y->handler,
		     (unsigned long long)y->flags,
		     (unsigned long long)y->restorer,
		     (unsigned long long)y->mask);
	}
	DIFF(a->blocked != b->blocked && !(ign & IGN_BLOCKED),
	     "blocked 0x%llx before, 0x%llx after",
	     (unsigned long long)a->blocked, (unsigned long long)b->blocked);
	DIFF((a->pending & ~ign_sigs) != (b->pending & ~ign_sigs),
	     "pending (and blocked) 0x%llx before, 0x%llx after",
	     (unsigned long long)a->pending, (unsigned long long)b->pending);
	DIFF(a->ss_sp != b->ss_sp || a->ss_size != b->ss_size ||
	     a->ss_flags != b->ss_flags,
	     "sigaltstack 0x%llx/%llu/0x%x before, 0x%llx/%llu/0x%x after",
	     (unsigned long long)a->ss_sp, (unsigned long long)a->ss_size,
	     a->ss_flags, (unsigned long long)b->ss_sp,
	     (unsigned long long)b->ss_size, b->ss_flags);
	for (int w = 0; w < CKPT_NR_ITIMERS; w++) {
		DIFF(a->it_interval[w] != b->it_interval[w],
		     "itimer %d: interval %lld ns before, %lld after", w,
		     (long long)a->it_interval[w],
		     (long long)b->it_interval[w]);
		DIFF(!a->it_value[w] != !b->it_value[w],
		     "itimer %d: %lld ns left before, %lld after", w,
		     (long long)a->it_value[w], (long long)b->it_value[w]);
		if (w == ITIMER_REAL && (ign & IGN_IT_VALUES))
			continue;
		/* CPU time passes only while the task runs: a little. */
		DIFF(b->it_value[w] > a->it_value[w] ||
		     a->it_value[w] - b->it_value[w] > 500000000LL,
		     "itimer %d: %lld ns left before, %lld after", w,
		     (long long)a->it_value[w], (long long)b->it_value[w]);
	}
	for (int r = 0; r < CKPT_NR_RLIMITS; r++)
		DIFF(a->rl_cur[r] != b->rl_cur[r] || a->rl_max[r] != b->rl_max[r],
		     "rlimit %d: %llu/%llu before, %llu/%llu after", r,
		     (unsigned long long)a->rl_cur[r],
		     (unsigned long long)a->rl_max[r],
		     (unsigned long long)b->rl_cur[r],
		     (unsigned long long)b->rl_max[r]);
	DIFF(a->umask != b->umask, "umask 0%o before, 0%o after", a->umask,
	     b->umask);
	DIFF(strcmp(a->cwd, b->cwd), "cwd %s before, %s after", a->cwd, b->cwd);
	DIFF(a->nice != b->nice || a->policy != b->policy ||
	     a->rt_priority != b->rt_priority,
	     "nice %d, policy %d/%d before; %d, %d/%d after", a->nice,
	     a->policy, a->rt_priority, b->nice, b->policy, b->rt_priority);
	DIFF(a->no_new_privs != b->no_new_privs || a->subreaper != b->subreaper ||
	     a->dumpable != b->dumpable || a->pdeathsig != b->pdeathsig,
	     "no_new_privs %d, subreaper %d, dumpable %d, pdeathsig %d before; %d, %d, %d, %d after",
	     a->no_new_privs, a->subreaper, a->dumpable, a->pdeathsig,
	     b->no_new_privs, b->subreaper, b->dumpable, b->pdeathsig);
	DIFF(memcmp(a->uid, b->uid, sizeof(a->uid)) ||
	     memcmp(a->gid, b->gid, sizeof(a->gid)),
	     "uids %u %u %u %u, gids %u %u %u %u before; %u %u %u %u, %u %u %u %u after",
	     a->uid[0], a->uid[1], a->uid[2], a->uid[3], a->gid[0], a->gid[1],
	     a->gid[2], a->gid[3], b->uid[0], b->uid[1], b->uid[2], b->uid[3],
	     b->gid[0], b->gid[1], b->gid[2], b->gid[3]);
	DIFF(a->nr_groups != b->nr_groups ||
	     memcmp(a->groups, b->groups, sizeof(a->groups)),
	     "%d groups before (the first %u), %d after (the first %u)",
	     a->nr_groups, a->groups[0], b->nr_groups, b->groups[0]);
	DIFF(a->cap_inh != b->cap_inh || a->cap_prm != b->cap_prm ||
	     a->cap_eff != b->cap_eff || a->cap_bset != b->cap_bset ||
	     a->cap_amb != b->cap_amb || a->securebits != b->securebits,
	     "capabilities i/p/e/b/a 0x%llx/0x%llx/0x%llx/0x%llx/0x%llx, securebits 0x%x before; 0x%llx/0x%llx/0x%llx/0x%llx/0x%llx, 0x%x after",
	     (unsigned long long)a->cap_inh, (unsigned long long)a->cap_prm,
	     (unsigned long long)a->cap_eff, (unsigned long long)a->cap_bset,
	     (unsigned long long)a->cap_amb, a->securebits,
	     (unsigned long long)b->cap_inh, (unsigned long long)b->cap_prm,
	     (unsigned long long)b->cap_eff, (unsigned long long)b->cap_bset,
	     (unsigned long long)b->cap_amb, b->securebits);
#undef DIFF
	return NULL;
}

/* ------------------------------------------------------------------ */
/* The scenarios, in the test                                          */

enum transport {
	T_MEMFD,	/* checkpoint into a memfd; restart from it */
	T_PIPE,		/* checkpoint into a pipe that restart reads */
};

/* Files the target shares with the test (external files) */
enum {
	EXT_NONE,
	EXT_PIPE,	/* its stdout: a pipe, whose read end the test has */
	EXT_PTY,	/* its stdin, stdout and stderr: a pty slave */
};

struct scenario {
	const char *name;
	struct tgt_ops ops;
	long sys;		/* the call it is frozen in (0: read) */
	long sys_arg0;		/* its first argument, -1 for any (0: CMD_FD) */
	long run_ms;		/* how long it runs in it before the freeze */
	long gap_ms;		/* between checkpoint and restart */
	unsigned int ign;	/* IGN_*: what may differ */
	uint64_t ign_sigs;	/* pending signals that may come and go */
	/* format version 4 */
	unsigned long clone_flags;	/* more for the target: CLONE_NEWUTS... */
	unsigned int ckpt_flags;	/* CHECKPOINT_EXTERNAL */
	unsigned int rst_flags;		/* RESTART_EXTERNAL_NULL */
	int ext;		/* EXT_*: files shared with the test */
	uint64_t ext_fds;	/* fds that are another file after the restart */
	/* a checkpoint without ckpt_flags is refused first, saying this */
	const char *refused_words;
	/* the test's part: the image; after the restart; the results */
	void (*image)(struct __test_metadata *_metadata,
		      FIXTURE_DATA(st) *self, const struct ckpt_model *m);
	void (*after)(struct __test_metadata *_metadata,
		      FIXTURE_DATA(st) *self, pid_t pid);
	void (*verify)(struct __test_metadata *_metadata,
		       FIXTURE_DATA(st) *self, pid_t pid,
		       const struct report *r);
};

/*
 * A pty, its slave in raw mode (no echo, no line discipline): the master,
 * the slave in *@slave and its path in @name; -1 on an error.
 */
static int pty_open(int *slave, char *name, size_t size)
{
	struct termios t;
	int m, n, unlock = 0;

	m = open("/dev/pts/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (m < 0)
		m = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (m < 0)
		return -1;
	if (ioctl(m, TIOCSPTLCK, &unlock) || ioctl(m, TIOCGPTN, &n))
		goto fail;
	snprintf(name, size, "/dev/pts/%d", n);
	*slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (*slave < 0)
		goto fail;
	if (tcgetattr(*slave, &t)) {
		close(*slave);
		goto fail;
	}
	cfmakeraw(&t);
	if (tcsetattr(*slave, TCSANOW, &t)) {
		close(*slave);
		goto fail;
	}
	return m;
fail:
	close(m);
	return -1;
}

/*
 * The files of scenario @sc that the target shares with the test: the
 * target's (tgt_ext_fd, which st_spawn() closes once it is started), the
 * test's end of them, and the files a restarter gives in their place.
 */
static void ext_files(struct __test_metadata *_metadata,
		      FIXTURE_DATA(st) *self, const struct scenario *sc)
{
	int p[2], slave;

	tgt_ext_fd = -1;
	if (sc->ext == EXT_PIPE) {
		ASSERT_EQ(0, pipe2(p, O_CLOEXEC));
		self->ext_orig = p[0];
		tgt_ext_fd = p[1];
		tgt_ext_stdio = 1;
		if (!(sc->rst_flags & RESTART_EXTERNAL_NULL)) {
			ASSERT_EQ(0, pipe2(self->ext_new, O_CLOEXEC));
		}
	} else if (sc->ext == EXT_PTY) {
		self->ext_orig = pty_open(&slave, self->ext_name,
					  sizeof(self->ext_name));
		ASSERT_LE(0, self->ext_orig) {
			TH_LOG("no pty: %s", strerror(errno));
		}
		tgt_ext_fd = slave;
		tgt_ext_stdio = 3;
		self->ext_new[0] = pty_open(&self->ext_new[1],
					    self->ext_new_name,
					    sizeof(self->ext_new_name));
		ASSERT_LE(0, self->ext_new[0]);
	}
}

/*
 * The restarter's file in place of the target's external file, at the
 * fd the image names, for the time of a restart: the test's own (its
 * stdout, its stdin) is put back after by ext_back().  -1 if none.
 */
static int ext_give(FIXTURE_DATA(st) *self, const struct scenario *sc)
{
	int fd = sc->ext == EXT_PIPE ? 1 : 0, saved;

	if (sc->ext == EXT_NONE || (sc->rst_flags & RESTART_EXTERNAL_NULL))
		return -1;
	fflush(stdout);
	saved = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	if (saved < 0 || dup2(self->ext_new[1], fd) != fd) {
		if (saved >= 0)
			close(saved);
		return -1;
	}
	return saved;
}

static void ext_back(const struct scenario *sc, int saved)
{
	int fd = sc->ext == EXT_PIPE ? 1 : 0;

	if (saved < 0)
		return;
	dup2(saved, fd);
	close(saved);
}

/* Start the target of @sc; wait for its first view and its call. */
static void st_spawn(struct __test_metadata *_metadata,
		     FIXTURE_DATA(st) *self, const struct scenario *sc)
{
	struct ckpt_syscall call;
	struct timespec start;
	long sys = sc->sys ? sc->sys : SYS_read;
	long arg0 = sc->sys_arg0 ? sc->sys_arg0 : CMD_FD;
	pid_t pid;

	ext_files(_metadata, self, sc);
	fflush(stdout);
	fflush(stderr);
	pid = syscall(SYS_clone, CLONE_NEWPID | sc->clone_flags | SIGCHLD, 0,
		      0, 0, 0);
	if (pid == 0)
		tgt_main(&sc->ops, self->cg, self->dir);
	if (tgt_ext_fd >= 0)
		close(tgt_ext_fd);
	tgt_ext_fd = -1;
	ASSERT_LT(0, pid) {
		TH_LOG("clone(CLONE_NEWPID | 0x%lx): %s", sc->clone_flags,
		       strerror(errno));
	}
	self->orig = pid;
	next_report(_metadata, self, R_VIEW, 20000, &self->pre);
	ASSERT_EQ(1, self->pre.v.pid);

	clock_gettime(CLOCK_MONOTONIC, &start);
	while (ckpt_proc_syscall(pid, pid, &call) || call.nr != sys ||
	       (arg0 >= 0 && call.args[0] != (uint64_t)arg0)) {
		ASSERT_GT(20000, ckpt_ms_since(&start)) {
			TH_LOG("the target never blocks in system call %ld(%ld)",
			       sys, arg0);
		}
		ckpt_sleep_ms(10);
	}
	if (sc->run_ms)
		ckpt_sleep_ms(sc->run_ms);
}

/* A thread that writes an image into a pipe. */
struct ckpt_thread {
	pid_t pid;
	unsigned int flags;
	int fd, logfd;
	long ret;
	int err;
};

/* SIGALRM is for the main thread: it interrupts a restart that hangs. */
static void block_alarm(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGALRM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
}

static void *checkpoint_thread(void *arg)
{
	struct ckpt_thread *c = arg;

	block_alarm();
	c->ret = sys_checkpoint(c->pid, c->fd, c->flags, c->logfd);
	c->err = errno;
	close(c->fd);
	return NULL;
}

/* A thread that passes a stream on and keeps a copy. */
struct relay {
	int in, out;
	uint8_t *buf;
	size_t len, cap;
	bool oom;
};

static void *relay_thread(void *arg)
{
	struct relay *r = arg;
	uint8_t chunk[65536];

	block_alarm();
	for (;;) {
		ssize_t n = read(r->in, chunk, sizeof(chunk));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		/* If restart stopped reading, go on draining the checkpoint. */
		if (r->out >= 0 && ckpt_write_all(r->out, chunk, n)) {
			close(r->out);
			r->out = -1;
		}
		if (r->oom)
			continue;
		if (r->len + n > r->cap) {
			size_t cap = r->cap ? 2 * r->cap : 1 << 20;
			uint8_t *b;

			while (cap < r->len + n)
				cap *= 2;
			b = realloc(r->buf, cap);
			if (!b) {
				r->oom = true;
				continue;
			}
			r->buf = b;
			r->cap = cap;
		}
		memcpy(r->buf + r->len, chunk, n);
		r->len += n;
	}
	if (r->out >= 0)
		close(r->out);
	return NULL;
}

/*
 * The image as the test expects it of any scenario: one task, pid 1, the
 * state the target reported of itself (fds, handlers, masks, limits,
 * credentials, attributes) and /proc showed of it.
 */
static void check_image(struct __test_metadata *_metadata,
			FIXTURE_DATA(st) *self, const struct ckpt_model *m,
			unsigned int ign)
{
	const struct view *v = &self->pre.v;
	const struct ckpt_m_task *t;
	const struct ckpt_hdr_cred *c;
	const struct ckpt_hdr_task_attrs *a;
	const struct ckpt_hdr_signal *sig;

	ASSERT_EQ(1U, m->nr_tasks);
	t = &m->tasks[0];
	ASSERT_EQ(1, t->rec->pid);
	ASSERT_EQ(1, t->rec->tgid);
	ASSERT_EQ(0, t->rec->ppid);
	/* Format version 4: the group and session outside; not stopped. */
	ASSERT_EQ(0, t->rec->pgid);
	ASSERT_EQ(0, t->rec->sid);
	ASSERT_EQ(0U, t->rec->flags);
	ASSERT_TRUE(t->mm_follows);
	ASSERT_NE(NULL, t->fdt);

	/* The fds it saw, with their flags, and no other. */
	ASSERT_EQ(v->nr_fds, t->fdt->rec->nr_fds);
	ASSERT_EQ(v->nr_fds, t->rec->nr_files);
	for (uint32_t i = 0; i < v->nr_fds; i++) {
		const struct fd_view *fv = &v->fds[i];
		const struct ckpt_fd *e = &t->fdt->fds[i];
		const struct ckpt_m_file *f = ckpt_m_file_ref(m, e->file_objref);

		ASSERT_EQ((uint32_t)fv->fd, e->fd);
		ASSERT_EQ(!!(fv->fd_flags & FD_CLOEXEC), !!(e->flags & CKPT_FD_CLOEXEC)) {
			TH_LOG("fd %d", fv->fd);
		}
		ASSERT_NE(NULL, f);
		/*
		 * An external file (CHECKPOINT_EXTERNAL): its access mode,
		 * at the first fd that has it.
		 */
		if (f->rec->type == CKPT_FILE_EXTERNAL) {
			ASSERT_EQ((uint32_t)fv->fl & O_ACCMODE, f->rec->f_flags) {
				TH_LOG("fd %d: F_GETFL 0%o, external, 0%o",
				       fv->fd, fv->fl, f->rec->f_flags);
			}
			ASSERT_LE(f->rec->fd, (uint32_t)fv->fd);
			ASSERT_EQ(e->file_objref,
				  ckpt_m_fd(t, f->rec->fd)->file_objref);
			continue;
		}
		ASSERT_EQ((uint32_t)fv->fl, f->rec->f_flags) {
			TH_LOG("fd %d: F_GETFL 0%o, f_flags 0%o in the image",
			       fv->fd, fv->fl, f->rec->f_flags);
		}
		/* An epoll file (an anon inode, no type in its mode) */
		if (f->rec->type == CKPT_FILE_EPOLL) {
			ASSERT_NE(NULL, f->epoll);
			continue;
		}
		switch (fv->mode) {
		case S_IFREG:
			ASSERT_EQ(fv->nlink ? (uint32_t)CKPT_FILE_REG :
				  (uint32_t)CKPT_FILE_MEMFD, f->rec->type) {
				TH_LOG("fd %d: %u links", fv->fd, fv->nlink);
			}
			if (fv->fd != REPORT_FD) {
				ASSERT_EQ((uint64_t)fv->pos, f->rec->pos) {
					TH_LOG("fd %d", fv->fd);
				}
			}
			break;
		case S_IFDIR:
			ASSERT_EQ((uint32_t)CKPT_FILE_DIR, f->rec->type);
			break;
		case S_IFCHR:
			ASSERT_EQ((uint32_t)CKPT_FILE_CHR, f->rec->type);
			ASSERT_EQ(ckpt_encode_dev(major(fv->rdev), minor(fv->rdev)),
				  f->rec->rdev);
			break;
		case S_IFIFO:
			ASSERT_EQ((uint32_t)CKPT_FILE_PIPE, f->rec->type);
			ASSERT_EQ((uint32_t)fv->pipe_size, f->pipe->rec->size) {
				TH_LOG("fd %d", fv->fd);
			}
			ASSERT_EQ((uint32_t)fv->nread, f->pipe->rec->len) {
				TH_LOG("fd %d", fv->fd);
			}
			break;
		default:
			ASSERT_EQ(0U, fv->mode) {
				TH_LOG("fd %d: an fd of mode 0%o was saved",
				       fv->fd, fv->mode);
			}
		}
	}
	for (int i = 0; i < self->pre_snap.nr_fds; i++) {
		const struct snap_fd *sf = &self->pre_snap.fds[i];
		const struct ckpt_m_file *f = ckpt_m_fd_file(m, t, sf->fd);

		ASSERT_NE(NULL, f);
		/* (a memfd's link is "/memfd:NAME (deleted)") */
		if (f->rec->type == CKPT_FILE_MEMFD) {
			ASSERT_EQ(0, strncmp(sf->link + 1, f->path,
					     strlen(f->path))) {
				TH_LOG("fd %d: %s, memfd \"%s\"", sf->fd,
				       sf->link, f->path);
			}
		} else if (f->rec->type == CKPT_FILE_EPOLL) {
			ASSERT_STREQ("anon_inode:[eventpoll]", sf->link);
		} else if (f->rec->type == CKPT_FILE_EXTERNAL) {
			/* its name: the scenario's image check */
			continue;
		} else if (strncmp(sf->link, "pipe #", 6)) {
			ASSERT_STREQ(sf->link, f->path);
		}
	}

	/* Handlers, masks, the alternate stack, as it saw them. */
	for (int s = 1; s <= CKPT_NSIG; s++) {
		const struct ckpt_sigaction *x = ckpt_m_action(t, s);
		const struct act_view *y = &v->act[s - 1];

		ASSERT_TRUE(x->handler == y->handler && x->flags == y->flags &&
			    x->restorer == y->restorer && x->mask == y->mask) {
			TH_LOG("signal %d: 0x%llx/0x%llx/0x%llx/0x%llx in the image, 0x%llx/0x%llx/0x%llx/0x%llx seen",
			       s, (unsigned long long)x->handler,
			       (unsigned long long)x->flags,
			       (unsigned long long)x->restorer,
			       (unsigned long long)x->mask,
			       (unsigned long long)y->handler,
			       (unsigned long long)y->flags,
			       (unsigned long long)y->restorer,
			       (unsigned long long)y->mask);
		}
	}
	if (!(ign & IGN_BLOCKED)) {
		ASSERT_EQ(v->blocked, t->tsig->blocked);
	}
	ASSERT_EQ(v->ss_sp, t->tsig->altstack_sp);
	ASSERT_EQ(v->ss_size, t->tsig->altstack_size);
	ASSERT_EQ((uint32_t)v->ss_flags & CKPT_SS_AUTODISARM,
		  t->tsig->altstack_flags);

	/* Limits and timers. */
	sig = t->signal->rec;
	for (int r = 0; r < CKPT_NR_RLIMITS; r++) {
		ASSERT_EQ(v->rl_cur[r], sig->rlim[r].cur) {
			TH_LOG("rlimit %d", r);
		}
		ASSERT_EQ(v->rl_max[r], sig->rlim[r].max) {
			TH_LOG("rlimit %d", r);
		}
	}
	for (int w = 0; w < CKPT_NR_ITIMERS; w++) {
		ASSERT_EQ((uint64_t)v->it_interval[w], sig->itimer[w].interval) {
			TH_LOG("itimer %d", w);
		}
		ASSERT_EQ(!v->it_value[w], !sig->itimer[w].value) {
			TH_LOG("itimer %d: %lld ns left seen, %llu in the image",
			       w, (long long)v->it_value[w],
			       (unsigned long long)sig->itimer[w].value);
		}
	}

	/* The fs, as /proc showed it. */
	ASSERT_EQ(v->umask, t->fs->rec->umask);
	ASSERT_STREQ(self->pre_snap.cwd, t->fs->cwd);
	ASSERT_STREQ(self->pre_snap.root, t->fs->root);

	/* Credentials. */
	c = t->cred;
	ASSERT_TRUE(c->uid == v->uid[0] && c->euid == v->uid[1] &&
		    c->suid == v->uid[2] && c->fsuid == v->uid[3] &&
		    c->gid == v->gid[0] && c->egid == v->gid[1] &&
		    c->sgid == v->gid[2] && c->fsgid == v->gid[3]) {
		TH_LOG("ids %u %u %u %u / %u %u %u %u in the image",
		       c->uid, c->euid, c->suid, c->fsuid, c->gid, c->egid,
		       c->sgid, c->fsgid);
	}
	ASSERT_EQ((uint32_t)v->nr_groups, c->nr_groups);
	for (int i = 0; i < v->nr_groups && i < 32; i++) {
		ASSERT_EQ(v->groups[i], t->groups[i]);
	}
	ASSERT_EQ(v->cap_inh, c->cap_inheritable);
	ASSERT_EQ(v->cap_prm, c->cap_permitted);
	ASSERT_EQ(v->cap_eff, c->cap_effective);
	ASSERT_EQ(v->cap_bset, c->cap_bset);
	ASSERT_EQ(v->cap_amb, c->cap_ambient);
	ASSERT_EQ((uint32_t)v->securebits, c->securebits);

	/* Attributes. */
	a = t->attrs;
	ASSERT_EQ(v->nice, a->nice);
	ASSERT_EQ((uint32_t)v->policy, a->policy);
	ASSERT_EQ((uint32_t)v->rt_priority, a->rt_priority);
	ASSERT_EQ(v->no_new_privs, !!(a->flags & CKPT_ATTR_NO_NEW_PRIVS));
	ASSERT_EQ(v->subreaper, !!(a->flags & CKPT_ATTR_CHILD_SUBREAPER));
	ASSERT_EQ((uint32_t)v->dumpable, a->dumpable);
	ASSERT_EQ(v->pdeathsig, a->pdeath_signal);
}

/* Kill the original target and reap it. */
static void kill_orig(struct __test_metadata *_metadata,
		      FIXTURE_DATA(st) *self)
{
	kill(self->orig, SIGKILL);
	ASSERT_EQ(self->orig, waitpid(self->orig, NULL, 0));
	self->orig = 0;
}

/* A restored task is ours to kill (and reap) at the end. */
static void track(FIXTURE_DATA(st) *self, pid_t pid)
{
	for (int i = 0; i < MAX_RESTORED; i++) {
		if (self->restored[i] == pid)
			return;
		if (!self->restored[i]) {
			self->restored[i] = pid;
			return;
		}
	}
}

/*
 * A restored task, in the caller's cgroup: into the target's (which is
 * not frozen now), so that it goes with it whatever happens; it is pid 1
 * of its pid namespace.
 */
static void adopt(struct __test_metadata *_metadata, FIXTURE_DATA(st) *self,
		  pid_t pid)
{
	track(self, pid);
	ASSERT_EQ(0, ckpt_cg_move(self->cg, pid));
	ASSERT_EQ(1, ckpt_inner_pid(pid)) {
		TH_LOG("the restored task %d is not pid 1 of its namespace",
		       (int)pid);
	}
}

static void reap(FIXTURE_DATA(st) *self, pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	for (int i = 0; i < MAX_RESTORED; i++)
		if (self->restored[i] == pid)
			self->restored[i] = 0;
}

/* Read and check the image at @buf. */
static void image_checks(struct __test_metadata *_metadata,
			 FIXTURE_DATA(st) *self, const struct scenario *sc,
			 const uint8_t *buf, size_t len)
{
	struct ckpt_model m;

	ASSERT_EQ(0, ckpt_model_build(&m, buf, len)) {
		TH_LOG("the image (%zu bytes) breaks the format: %s", len,
		       m.why);
	}
	check_image(_metadata, self, &m, sc->ign);
	if (sc->image)
		sc->image(_metadata, self, &m);
	ckpt_model_free(&m);
}

/*
 * A checkpoint without the scenario's flags (CHECKPOINT_EXTERNAL) is
 * refused, EOPNOTSUPP, writing nothing, and its log says
 * sc->refused_words (and, on another line, which fd); the target is left
 * as it was, frozen.
 */
static void refused_without_flags(struct __test_metadata *_metadata,
				  FIXTURE_DATA(st) *self,
				  const struct scenario *sc)
{
	long ret;
	int err;

	ASSERT_EQ(0, ckpt_refill(self->img, NULL, 0));
	self->logbuf[0] = '\0';
	ret = sys_checkpoint(self->orig, self->img,
			     sc->ckpt_flags & ~CHECKPOINT_EXTERNAL,
			     self->log[1]);
	err = errno;
	st_log(self);
	ASSERT_EQ(-1, ret) {
		TH_LOG("checkpoint without CHECKPOINT_EXTERNAL succeeded");
	}
	ASSERT_EQ(EOPNOTSUPP, err) {
		TH_LOG("checkpoint: %s; log: \"%s\"", strerror(err),
		       self->logbuf);
	}
	ASSERT_NE(NULL, strstr(self->logbuf, sc->refused_words)) {
		TH_LOG("the log does not say \"%s\": \"%s\"",
		       sc->refused_words, self->logbuf);
	}
	ASSERT_EQ(0, strncmp(self->logbuf, "checkpoint: ", 12));
	ASSERT_NE(NULL, strstr(self->logbuf,
			       sc->ext == EXT_PIPE ? "fd 1:" : "fd 0:")) {
		TH_LOG("the log does not name the fd: \"%s\"", self->logbuf);
	}
	ASSERT_EQ(0, ckpt_size(self->img));
	ASSERT_TRUE(ckpt_cg_event(self->cg, "frozen 1"));
	self->logbuf[0] = '\0';
}

/*
 * Freeze, read /proc, checkpoint, kill, restart: the pid of the restored
 * task.  T_MEMFD: into the memfd, then from it (after sc->gap_ms).
 * T_PIPE: into a pipe, from which a relay thread feeds restart(2), which
 * runs meanwhile; the original is killed after.
 */
static pid_t st_cycle(struct __test_metadata *_metadata,
		      FIXTURE_DATA(st) *self, const struct scenario *sc,
		      enum transport tr)
{
	struct stat st;
	long pid;
	int err;

	ASSERT_EQ(0, ckpt_cg_freeze(self->cg));
	snap_take(_metadata, self->orig, &self->pre_snap, sc->ext_fds);
	ASSERT_EQ(0, stat(self->report, &st));
	self->report_size = st.st_size;
	self->logbuf[0] = '\0';
	if (sc->refused_words)
		refused_without_flags(_metadata, self, sc);

	if (tr == T_MEMFD) {
		uint8_t *buf;
		size_t len;
		long ret;
		int saved;

		ASSERT_EQ(0, ckpt_refill(self->img, NULL, 0));
		self->t_ckpt[0] = now_ns();
		ret = sys_checkpoint(self->orig, self->img, sc->ckpt_flags,
				     self->log[1]);
		err = errno;
		self->t_ckpt[1] = now_ns();
		ASSERT_EQ(0, ret) {
			TH_LOG("checkpoint: %s; log: \"%s\"", strerror(err),
			       st_log(self));
		}
		ASSERT_EQ(0, ckpt_read_image_at(self->img, 0, &buf, &len));
		image_checks(_metadata, self, sc, buf, len);
		free(buf);
		kill_orig(_metadata, self);
		ASSERT_EQ(0, ckpt_cg_thaw(self->cg));
		if (sc->gap_ms)
			ckpt_sleep_ms(sc->gap_ms);
		ASSERT_EQ(0, lseek(self->img, 0, SEEK_SET));
		saved = ext_give(self, sc);
		self->t_restart[0] = now_ns();
		pid = sys_restart(0, self->img, sc->rst_flags, self->log[1]);
		err = errno;
		self->t_restart[1] = now_ns();
		ext_back(sc, saved);
		if (pid > 0)
			track(self, pid);
	} else {
		struct ckpt_thread ct = { .pid = self->orig, .logfd = self->log[1],
					  .flags = sc->ckpt_flags };
		struct relay rl = { 0 };
		pthread_t cthr, rthr;
		int a[2], b[2], saved;

		ASSERT_EQ(0, pipe2(a, O_CLOEXEC));
		ASSERT_EQ(0, pipe2(b, O_CLOEXEC));
		ct.fd = a[1];
		rl.in = a[0];
		rl.out = b[1];
		self->t_ckpt[0] = self->t_restart[0] = now_ns();
		ASSERT_EQ(0, pthread_create(&cthr, NULL, checkpoint_thread, &ct));
		ASSERT_EQ(0, pthread_create(&rthr, NULL, relay_thread, &rl));
		saved = ext_give(self, sc);
		ckpt_arm_alarm(60);
		pid = sys_restart(0, b[0], sc->rst_flags, self->log[1]);
		err = errno;
		ckpt_disarm_alarm();
		ext_back(sc, saved);
		self->t_restart[1] = now_ns();
		if (pid > 0)
			track(self, pid);
		/* A restart that stopped early must not block the relay. */
		close(b[0]);
		pthread_join(cthr, NULL);
		pthread_join(rthr, NULL);
		self->t_ckpt[1] = now_ns();
		close(a[0]);
		ASSERT_EQ(0, ct.ret) {
			TH_LOG("checkpoint into a pipe: %s; log: \"%s\"",
			       strerror(ct.err), st_log(self));
		}
		ASSERT_FALSE(rl.oom);
		image_checks(_metadata, self, sc, rl.buf, rl.len);
		free(rl.buf);
		kill_orig(_metadata, self);
		ASSERT_EQ(0, ckpt_cg_thaw(self->cg));
	}
	ASSERT_LT(0, pid) {
		TH_LOG("restart: %s; log: \"%s\"", strerror(err), st_log(self));
	}
	ASSERT_STREQ("", st_log(self));
	adopt(_metadata, self, pid);
	return pid;
}

/*
 * After the restart: /proc shows the same of the restored task as of the
 * original, and (unless it is still in its blocking call) it sees the
 * same of itself.
 */
static void st_compare(struct __test_metadata *_metadata,
		       FIXTURE_DATA(st) *self, const struct scenario *sc,
		       pid_t pid)
{
	static struct snap after;
	struct report r;
	char why[8192];

	snap_take(_metadata, pid, &after, sc->ext_fds);
	ASSERT_EQ(NULL, snap_diff(&self->pre_snap, &after, sc->ign_sigs,
				  sc->ext_fds, why, sizeof(why))) {
		TH_LOG("/proc/PID of the restored task differs: %s", why);
	}
	if (sc->ops.block)
		return;
	command(_metadata, pid, 'v');
	next_report(_metadata, self, R_VIEW, 20000, &r);
	ASSERT_EQ(NULL, view_diff(&self->pre.v, &r.v, sc->ign, sc->ign_sigs,
				  sc->ext_fds, why, sizeof(why))) {
		TH_LOG("what the restored task sees of itself differs: %s",
		       why);
	}
}

/*
 * The end of the cycle: the scenario's part after the restart, the
 * target's checks (or the end of its blocking call), the test's check of
 * its results; then it still takes commands.
 */
static void st_finish(struct __test_metadata *_metadata,
		      FIXTURE_DATA(st) *self, const struct scenario *sc,
		      pid_t pid)
{
	struct report r;
	char why[8192];

	if (sc->after)
		sc->after(_metadata, self, pid);
	if (!sc->ops.block)
		command(_metadata, pid, 'c');
	next_report(_metadata, self, R_CHECK, (SLEEP_SEC + 20) * 1000, &r);
	ASSERT_EQ(1, r.ok) {
		TH_LOG("the restored task's checks failed: %s", r.msg);
	}
	if (sc->verify)
		sc->verify(_metadata, self, pid, &r);
	/* It goes on: it takes commands and still sees the same. */
	command(_metadata, pid, 'v');
	next_report(_metadata, self, R_VIEW, 20000, &r);
	if (sc->ops.block) {
		/* After its call: the same as before it. */
		ASSERT_EQ(NULL, view_diff(&self->pre.v, &r.v, sc->ign,
					  sc->ign_sigs, sc->ext_fds, why,
					  sizeof(why))) {
			TH_LOG("what the restored task sees of itself after its call differs: %s",
			       why);
		}
	}
}

static void run_scenario(struct __test_metadata *_metadata,
			 FIXTURE_DATA(st) *self, const struct scenario *sc,
			 enum transport tr)
{
	pid_t pid;

	st_spawn(_metadata, self, sc);
	pid = st_cycle(_metadata, self, sc, tr);
	st_compare(_metadata, self, sc, pid);
	st_finish(_metadata, self, sc, pid);
	reap(self, pid);
}

/* ------------------------------------------------------------------ */
/* The scenarios' checks of images and results                         */

static const struct ckpt_m_file *fd_file(struct __test_metadata *_metadata,
					 const struct ckpt_model *m, int fd)
{
	const struct ckpt_m_file *f = ckpt_m_fd_file(m, &m->tasks[0], fd);

	if (!f)
		TH_LOG("fd %d is not in the image", fd);
	return f;
}

static void fds_image(struct __test_metadata *_metadata,
		      FIXTURE_DATA(st) *self, const struct ckpt_model *m)
{
	const struct ckpt_m_task *t = &m->tasks[0];
	char path[PATH_MAX];

	ASSERT_NE(NULL, fd_file(_metadata, m, FDS_DATA));
	snprintf(path, sizeof(path), "%s/%s", self->dir, F_DATA);
	ASSERT_STREQ(path, fd_file(_metadata, m, FDS_DATA)->path);
	ASSERT_EQ((uint64_t)DATA_SIZE, fd_file(_metadata, m, FDS_DATA)->rec->size);
	ASSERT_EQ((uint64_t)DATA_SIZE / 2,
		  fd_file(_metadata, m, FDS_DATA)->rec->pos);
	/* A dup: one file, one offset. */
	ASSERT_EQ(fd_file(_metadata, m, FDS_SHARED),
		  fd_file(_metadata, m, FDS_SHARED_DUP));
	ASSERT_EQ(0U, ckpt_m_fd(t, FDS_SHARED)->flags);
	ASSERT_EQ((uint32_t)CKPT_FD_CLOEXEC, ckpt_m_fd(t, FDS_SHARED_DUP)->flags);
	ASSERT_EQ(1000ULL, fd_file(_metadata, m, FDS_SHARED)->rec->pos);
	ASSERT_EQ((uint32_t)O_APPEND,
		  fd_file(_metadata, m, FDS_APPEND)->rec->f_flags & O_APPEND);
	ASSERT_EQ((uint32_t)CKPT_FILE_DIR, fd_file(_metadata, m, FDS_DIR)->rec->type);
	ASSERT_EQ(ckpt_encode_dev(1, 3), fd_file(_metadata, m, FDS_NULL)->rec->rdev);
	ASSERT_EQ(ckpt_encode_dev(1, 5), fd_file(_metadata, m, FDS_ZERO)->rec->rdev);
	ASSERT_EQ(ckpt_encode_dev(1, 9),
		  fd_file(_metadata, m, FDS_URANDOM)->rec->rdev);
	ASSERT_EQ(ckpt_encode_dev(1, 7), fd_file(_metadata, m, FDS_FULL)->rec->rdev);
	ASSERT_EQ(ckpt_encode_dev(1, 8),
		  fd_file(_metadata, m, FDS_RANDOM)->rec->rdev);
	/* 0-2 on one /dev/null file */
	ASSERT_EQ(fd_file(_metadata, m, 0), fd_file(_metadata, m, 2));
}

static void pipes_image(struct __test_metadata *_metadata,
			FIXTURE_DATA(st) *self, const struct ckpt_model *m)
{
	const struct ckpt_m_file *ar = fd_file(_metadata, m, PIPE_A_R);
	const struct ckpt_m_file *aw = fd_file(_metadata, m, PIPE_A_W);
	const struct ckpt_m_file *br = fd_file(_metadata, m, PIPE_B_R);
	const struct ckpt_m_file *cr = fd_file(_metadata, m, PIPE_C_R);
	const struct ckpt_m_file *cw = fd_file(_metadata, m, PIPE_C_W);
	const struct ckpt_m_file *dw = fd_file(_metadata, m, PIPE_D_W);
	const struct ckpt_m_pipe *p;

	ASSERT_TRUE(ar && aw && br && cr && cw && dw);
	ASSERT_EQ(ar->pipe, aw->pipe);
	p = ar->pipe;
	ASSERT_EQ((uint32_t)PIPE_A_LEN, p->rec->len);
	ASSERT_TRUE(is_pat(p->data, PIPE_A_LEN, 0, 4)) {
		TH_LOG("pipe A: not the bytes written to it");
	}
	ASSERT_EQ((uint32_t)PIPE_B_LEN, br->pipe->rec->len);
	ASSERT_TRUE(is_pat(br->pipe->data, PIPE_B_LEN, 0, 5));
	ASSERT_EQ(cr->pipe, cw->pipe);
	ASSERT_EQ((uint32_t)PIPE_C_SIZE, cr->pipe->rec->size);
	ASSERT_EQ((uint32_t)PIPE_C_LEN, cr->pipe->rec->len);
	ASSERT_TRUE(is_pat(cr->pipe->data, PIPE_C_LEN, 0, 6)) {
		TH_LOG("pipe C: not the bytes written to it");
	}
	ASSERT_EQ((uint32_t)(O_RDONLY | O_NONBLOCK), cr->rec->f_flags);
	ASSERT_EQ((uint32_t)(O_WRONLY | O_NONBLOCK), cw->rec->f_flags);
	ASSERT_EQ((uint32_t)CKPT_FD_CLOEXEC, ckpt_m_fd(&m->tasks[0], PIPE_D_W)->flags);
	ASSERT_EQ(0U, dw->pipe->rec->len);
	/* Each pipe before its ends, once: A to D and the command pipe. */
	ASSERT_LT(p->idx, ar->idx);
	ASSERT_LT(p->idx, aw->idx);
	ASSERT_EQ(5U, m->nr_pipes);
}

static void memfd_image(struct __test_metadata *_metadata,
			FIXTURE_DATA(st) *self, const struct ckpt_model *m)
{
	const struct ckpt_m_file *f = fd_file(_metadata, m, MEMFD_FD);
	const struct ckpt_m_file *e = fd_file(_metadata, m, MEMFD_EMPTY_FD);
	const struct ckpt_hdr_vma *v;
	const size_t ps = psize();

	ASSERT_TRUE(f && e);
	ASSERT_EQ((uint32_t)CKPT_FILE_MEMFD, f->rec->type);
	ASSERT_STREQ("memfd:" MEMFD_NAME, f->path);
	ASSERT_EQ((uint64_t)MEMFD_PAGES * ps, f->rec->size);
	ASSERT_EQ(100ULL, f->rec->pos);
	ASSERT_EQ((uint32_t)MEMFD_SEALS, f->rec->seals);
	/* Holes and zeros are not written: pages 0 and 2. */
	ASSERT_EQ(2U, f->nr_pages);
	for (size_t i = 0; i < f->nr_pages; i++) {
		ASSERT_EQ((i ? 2 : 0) * ps, f->pages[i].addr);
		ASSERT_TRUE(is_pat(f->pages[i].data, ps, f->pages[i].addr, 7));
	}
	ASSERT_EQ((uint32_t)CKPT_FILE_MEMFD, e->rec->type);
	ASSERT_STREQ("memfd:", e->path);
	ASSERT_EQ(0ULL, e->rec->size);
	ASSERT_EQ(0U, e->nr_pages);
	ASSERT_EQ((uint32_t)CKPT_FD_CLOEXEC,
		  ckpt_m_fd(&m->tasks[0], MEMFD_EMPTY_FD)->flags);
	/* Its mapping: of the memfd, at its page 2, no pages of its own. */
	v = ckpt_m_vma_at(&m->mms[0], self->pre.val[V_EXTRA]);
	ASSERT_NE(NULL, v);
	ASSERT_EQ((uint32_t)CKPT_VMA_FILE, v->kind);
	ASSERT_EQ((uint32_t)CKPT_VMA_SHARED, v->flags & CKPT_VMA_SHARED);
	ASSERT_EQ(2ULL, v->pgoff);
	ASSERT_EQ(f->rec->objref, v->file_objref);
	ASSERT_EQ(0U, ckpt_m_pages_in(&m->mms[0], v->start, v->end));
}

/* The signals the test sends to the restored task, before 'c'. */
static void sighandlers_after(struct __test_metadata *_metadata,
			      FIXTURE_DATA(st) *self, pid_t pid)
{
	ASSERT_EQ(0, kill(pid, SIGUSR1));
	ASSERT_EQ(0, kill(pid, SIGUSR2));
	/* ignored, and an init ignores what it does not handle */
	ASSERT_EQ(0, kill(pid, SIGHUP));
}

static void sigpending_image(struct __test_metadata *_metadata,
			     FIXTURE_DATA(st) *self, const struct ckpt_model *m)
{
	const struct {
		int signo, code, value;
		bool shared;
	} want[] = {
		{ SIGUSR1, SI_TKILL, 0, false },
		{ SIGRTMIN + 4, SI_QUEUE, 333, false },
		{ SIGUSR2, SI_USER, 0, true },
		{ SIGRTMIN + 3, SI_QUEUE, 111, true },
		{ SIGRTMIN + 3, SI_QUEUE, 222, true },
	};
	const struct ckpt_m_task *t = &m->tasks[0];

	ASSERT_EQ(ARRAY_SIZE(want), t->tsig->nr_pending);
	for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
		siginfo_t si;

		memcpy(&si, t->siginfo[i]->info, sizeof(si));
		ASSERT_TRUE((int)t->siginfo[i]->signo == want[i].signo &&
			    !!(t->siginfo[i]->flags & CKPT_SIGINFO_SHARED) ==
			    want[i].shared && si.si_code == want[i].code &&
			    si.si_pid == 1 &&
			    (!want[i].value || si.si_value.sival_int == want[i].value)) {
			TH_LOG("pending signal %zu: %u%s (code %d, pid %d, value %d), not %d%s (code %d, value %d)",
			       i, t->siginfo[i]->signo,
			       t->siginfo[i]->flags & CKPT_SIGINFO_SHARED ?
			       " shared" : "", si.si_code, si.si_pid,
			       si.si_value.sival_int, want[i].signo,
			       want[i].shared ? " shared" : "", want[i].code,
			       want[i].value);
		}
	}
}

static void itimers_verify(struct __test_metadata *_metadata,
			   FIXTURE_DATA(st) *self, pid_t pid,
			   const struct report *r)
{
	struct report again;

	/* SIGALRM keeps coming: about 5 in 1.5 s. */
	ckpt_sleep_ms(1500);
	command(_metadata, pid, 'c');
	next_report(_metadata, self, R_CHECK, 20000, &again);
	ASSERT_LE(r->val[0] + 2, again.val[0]) {
		TH_LOG("%lld SIGALRMs, then %lld 1.5 s later (every %d ms)",
		       (long long)r->val[0], (long long)again.val[0],
		       IT_REAL_MS);
	}
}

static void itimers_image(struct __test_metadata *_metadata,
			  FIXTURE_DATA(st) *self, const struct ckpt_model *m)
{
	const struct ckpt_hdr_signal *s = m->tasks[0].signal->rec;

	ASSERT_EQ(IT_REAL_MS * 1000000ULL, s->itimer[CKPT_ITIMER_REAL].interval);
	ASSERT_GE(IT_REAL_MS * 1000000ULL, s->itimer[CKPT_ITIMER_REAL].value);
	ASSERT_EQ(7000000000ULL, s->itimer[CKPT_ITIMER_VIRTUAL].interval);
	ASSERT_LT(99000000000ULL, s->itimer[CKPT_ITIMER_VIRTUAL].value);
	ASSERT_GE(100000000000ULL, s->itimer[CKPT_ITIMER_VIRTUAL].value);
	ASSERT_EQ(0ULL, s->itimer[CKPT_ITIMER_PROF].interval);
	ASSERT_LT(199000000000ULL, s->itimer[CKPT_ITIMER_PROF].value);
}

static void chroot_image(struct __test_metadata *_metadata,
			 FIXTURE_DATA(st) *self, const struct ckpt_model *m)
{
	char root[PATH_MAX], cwd[PATH_MAX];

	snprintf(root, sizeof(root), "%s/%s", self->dir, F_ROOT);
	snprintf(cwd, sizeof(cwd), "%s/%s/sub", self->dir, F_ROOT);
	ASSERT_STREQ(root, m->tasks[0].fs->root);
	ASSERT_STREQ(cwd, m->tasks[0].fs->cwd);
	ASSERT_EQ(077U, m->tasks[0].fs->rec->umask);
}

static void attrs_image(struct __test_metadata *_metadata,
			FIXTURE_DATA(st) *self, const struct ckpt_model *m)
{
	const struct ckpt_hdr_task_attrs *a = m->tasks[0].attrs;

	ASSERT_EQ(5, a->nice);
	ASSERT_EQ((uint32_t)SCHED_BATCH, a->policy);
	ASSERT_EQ((uint32_t)(CKPT_ATTR_NO_NEW_PRIVS | CKPT_ATTR_CHILD_SUBREAPER),
		  a->flags);
	ASSERT_EQ(0U, a->dumpable);
	ASSERT_EQ(ATTR_PDEATHSIG, a->pdeath_signal);
}

static void creds_image(struct __test_metadata *_metadata,
			FIXTURE_DATA(st) *self, const struct ckpt_model *m)
{
	const struct ckpt_hdr_cred *c = m->tasks[0].cred;

	ASSERT_EQ((uint32_t)CRED_UID, c->uid);
	ASSERT_EQ((uint32_t)CKPT_NOBODY, c->euid);
	ASSERT_EQ((uint32_t)CRED_SAVED, c->suid);
	ASSERT_EQ((uint32_t)CRED_GID, c->gid);
	ASSERT_EQ(3U, c->nr_groups);
	ASSERT_EQ(CRED_CAPS, c->cap_permitted);
	ASSERT_EQ(1ULL << CAP_KILL, c->cap_ambient);
	ASSERT_EQ(0ULL, c->cap_bset & (1ULL << CAP_SYS_MODULE));
}

/*
 * The time a call had left at the checkpoint, from its restart block: it
 * started SLEEP_SEC before it would end (at V_START, which the test knows
 * from the first view, written just before).
 */
static void sleep_image(struct __test_metadata *_metadata,
			FIXTURE_DATA(st) *self, const struct ckpt_model *m,
			uint32_t kind, uint64_t addr)
{
	const struct ckpt_m_task *t = &m->tasks[0];
	const int64_t slack = 100000000;	/* 0.1 s */
	int64_t start = self->pre.mono_ns;
	int64_t most = SLEEP_SEC * 1000000000LL - (self->t_ckpt[0] - start);
	int64_t least = SLEEP_SEC * 1000000000LL - (self->t_ckpt[1] - start);

	ASSERT_TRUE(ckpt_regs_restart_block(&t->regs->regs)) {
		TH_LOG("orig_ax %lld, ax %lld: not in a call that restarts with a block",
		       (long long)t->regs->regs.orig_ax,
		       (long long)t->regs->regs.ax);
	}
	ASSERT_NE(NULL, t->restart);
	ASSERT_EQ(kind, t->restart->kind);
	ASSERT_EQ(addr, t->restart->addr);
	ASSERT_EQ(0U, t->restart->flags & CKPT_RESTART_ABSOLUTE);
	self->rb_time = t->restart->time;
	ASSERT_TRUE(t->restart->time >= least - slack &&
		    t->restart->time <= most + slack) {
		TH_LOG("%lld ns left in the image; between %lld and %lld expected",
		       (long long)t->restart->time, (long long)least,
		       (long long)most);
	}
}

static void nanosleep_image(struct __test_metadata *_metadata,
			    FIXTURE_DATA(st) *self, const struct ckpt_model *m)
{
	sleep_image(_metadata, self, m, CKPT_RESTART_NANOSLEEP,
		    (uintptr_t)&slp_rem);
	ASSERT_EQ((uint32_t)CLOCK_MONOTONIC, m->tasks[0].restart->clockid);
	ASSERT_EQ(1U, m->tasks[0].restart->type);	/* a native rmtp */
}

static void poll_image(struct __test_metadata *_metadata,
		       FIXTURE_DATA(st) *self, const struct ckpt_model *m)
{
	sleep_image(_metadata, self, m, CKPT_RESTART_POLL,
		    (uintptr_t)&slp_pfd);
	ASSERT_EQ(1U, m->tasks[0].restart->val);	/* nfds */
	ASSERT_EQ((uint32_t)CKPT_RESTART_HAS_TIMEOUT,
		  m->tasks[0].restart->flags & CKPT_RESTART_HAS_TIMEOUT);
}

static void futex_image(struct __test_metadata *_metadata,
			FIXTURE_DATA(st) *self, const struct ckpt_model *m)
{
	const struct ckpt_hdr_restart_block *rb;

	sleep_image(_metadata, self, m, CKPT_RESTART_FUTEX,
		    (uintptr_t)&slp_futex);
	rb = m->tasks[0].restart;
	ASSERT_EQ(0U, rb->val);
	ASSERT_EQ(0U, rb->futex_flags);	/* private, CLOCK_MONOTONIC */
	ASSERT_EQ((uint32_t)FUTEX_BITSET_MATCH_ANY, rb->bitset);
}

/* An absolute time of the wall clock: saved as it is. */
static void futex_abs_image(struct __test_metadata *_metadata,
			    FIXTURE_DATA(st) *self, const struct ckpt_model *m)
{
	const struct ckpt_m_task *t = &m->tasks[0];
	const struct ckpt_hdr_restart_block *rb = t->restart;

	ASSERT_TRUE(ckpt_regs_restart_block(&t->regs->regs));
	ASSERT_NE(NULL, rb);
	ASSERT_EQ((uint32_t)CKPT_RESTART_FUTEX, rb->kind);
	ASSERT_EQ((uint32_t)CKPT_RESTART_ABSOLUTE, rb->flags);
	ASSERT_EQ((uint32_t)CKPT_FUTEX_CLOCKRT, rb->futex_flags);
	ASSERT_EQ((uint64_t)(uintptr_t)&slp_futex, rb->addr);
	ASSERT_EQ((uint32_t)FUTEX_BITSET_MATCH_ANY, rb->bitset);
	ASSERT_EQ(self->pre.val[V_DEADLINE], rb->time) {
		TH_LOG("the deadline was %lld ns of CLOCK_REALTIME, the image says %lld",
		       (long long)self->pre.val[V_DEADLINE],
		       (long long)rb->time);
	}
}

/* It woke at its deadline of the wall clock, not later, not earlier. */
static void futex_abs_verify(struct __test_metadata *_metadata,
			     FIXTURE_DATA(st) *self, pid_t pid,
			     const struct report *r)
{
	int64_t deadline = self->pre.val[V_DEADLINE];

	ASSERT_TRUE(r->val[V_WOKE_RT] >= deadline - 50000000LL &&
		    r->val[V_WOKE_RT] <= deadline + 2000000000LL) {
		TH_LOG("it woke %.2f s after its deadline",
		       (r->val[V_WOKE_RT] - deadline) / 1e9);
	}
}

/*
 * The call ended when its time ran out: as long after the restart as it
 * had left at the checkpoint (not what it had left when it started, not at
 * once, and not at its deadline of before the checkpoint).
 */
static void sleep_verify(struct __test_metadata *_metadata,
			 FIXTURE_DATA(st) *self, pid_t pid,
			 const struct report *r)
{
	int64_t left = self->rb_time;
	int64_t earliest = self->t_restart[0] + left - 50000000LL;
	int64_t latest = self->t_restart[1] + left + 2000000000LL;

	ASSERT_TRUE(r->val[V_END] >= earliest && r->val[V_END] <= latest) {
		TH_LOG("it woke %.2f s after the restart began (%.2f s from its end); it had %.2f s left at the checkpoint",
		       (r->val[V_END] - self->t_restart[0]) / 1e9,
		       (r->val[V_END] - self->t_restart[1]) / 1e9, left / 1e9);
	}
}

/* Write to the target's pipe, through /proc, a second after the restart. */
static void wake_after(struct __test_metadata *_metadata,
		       FIXTURE_DATA(st) *self, pid_t pid)
{
	int fd;

	ckpt_sleep_ms(1000);
	fd = ckpt_proc_fd_open(pid, WAKE_R, O_WRONLY);
	ASSERT_LE(0, fd) {
		TH_LOG("opening fd %d of %d: %s", WAKE_R, (int)pid,
		       strerror(errno));
	}
	self->t_wake = now_ns();
	ASSERT_EQ(0, ckpt_write_all(fd, WAKE_MSG, sizeof(WAKE_MSG) - 1));
	close(fd);
}

/* Woken by the write, before its time ran out. */
static void wake_verify(struct __test_metadata *_metadata,
			FIXTURE_DATA(st) *self, pid_t pid,
			const struct report *r)
{
	ASSERT_LE(self->t_wake, r->val[V_END]) {
		TH_LOG("it woke %.2f s before the write",
		       (self->t_wake - r->val[V_END]) / 1e9);
	}
	ASSERT_GT(self->t_wake + 3000000000LL, r->val[V_END]) {
		TH_LOG("it woke %.2f s after the write",
		       (r->val[V_END] - self->t_wake) / 1e9);
	}
}

static void signal_after(struct __test_metadata *_metadata,
			 FIXTURE_DATA(st) *self, pid_t pid)
{
	ckpt_sleep_ms(500);
	ASSERT_EQ(0, kill(pid, SIGUSR1));
}

/* The registers of a call that restarts with the same arguments. */
static void wait_image(struct __test_metadata *_metadata,
		       FIXTURE_DATA(st) *self, const struct ckpt_model *m,
		       long sys)
{
	const struct ckpt_m_task *t = &m->tasks[0];

	ASSERT_EQ((uint64_t)sys, t->regs->regs.orig_ax);
	ASSERT_EQ(NULL, t->restart);
}

static void pause_image(struct __test_metadata *_metadata,
			FIXTURE_DATA(st) *self, const struct ckpt_model *m)
{
	wait_image(_metadata, self, m, SYS_pause);
}

/*
 * In sigsuspend, the task runs with the mask it waits with, as /proc shows
 * it frozen; the image holds its own (SIGUSR1 and SIGUSR2), which comes
 * back when the call returns: the restarted call sets its own again.
 */
static void sigsuspend_image(struct __test_metadata *_metadata,
			     FIXTURE_DATA(st) *self, const struct ckpt_model *m)
{
	const char *blk = strchr(self->pre_snap.status[2], ':');

	wait_image(_metadata, self, m, SYS_rt_sigsuspend);
	ASSERT_NE(NULL, blk);
	ASSERT_EQ(CKPT_SIGBIT(SIGUSR2), strtoull(blk + 1, NULL, 16)) {
		TH_LOG("%s frozen", self->pre_snap.status[2]);
	}
	ASSERT_EQ(CKPT_SIGBIT(SIGUSR1) | CKPT_SIGBIT(SIGUSR2),
		  m->tasks[0].tsig->blocked);
}

/*
 * The TLS descriptors as the target set them (and get_thread_area(2)
 * showed them), %gs with entry A's selector and its base.
 */
static void tls_image(struct __test_metadata *_metadata,
		      FIXTURE_DATA(st) *self, const struct ckpt_model *m)
{
	const struct ckpt_m_task *t = &m->tasks[0];
	uint32_t entry_a = self->pre.val[V_TLS_ENTRY];
	uint64_t buf_a = self->pre.val[V_TLS_BUF_A];
	uint64_t buf_b = self->pre.val[V_TLS_BUF_B];

	ASSERT_NE(NULL, t->tls);
	for (int k = 0; k < CKPT_TLS_ENTRIES; k++) {
		const struct ckpt_tls_desc *d = &t->tls->desc[k];
		uint32_t entry = CKPT_TLS_FIRST_ENTRY + k;
		struct ckpt_tls_desc want = {
			.entry_number = entry, .flags = CKPT_TLS_UNUSED,
		};

		if (entry == entry_a) {
			want.base_addr = buf_a;
			want.limit = TLS_LIMIT_A;
			want.flags = TLS_FLAGS_A;
		} else if (entry == TLS_ENTRY_B) {
			want.base_addr = buf_b;
			want.limit = TLS_LIMIT_B;
			want.flags = TLS_FLAGS_B;
		}
		ASSERT_EQ(0, memcmp(&want, d, sizeof(want))) {
			TH_LOG("TLS entry %u: %u, base 0x%x, limit 0x%x, flags 0x%x in the image; base 0x%x, limit 0x%x, flags 0x%x set",
			       entry, d->entry_number, d->base_addr, d->limit,
			       d->flags, want.base_addr, want.limit,
			       want.flags);
		}
	}
	ASSERT_EQ(CKPT_TLS_SELECTOR(entry_a), t->regs->regs.gs);
	ASSERT_EQ(buf_a, t->regs->regs.gs_base);
}

/*
 * The POSIX timers as the target made them, with the time each had left
 * (kept for the verification); the pending signals of timers 6 and 9 are
 * theirs (CKPT_SIGINFO_TIMER), that of deleted timer 10 an ordinary one
 * with its siginfo; a running timer's may be pending too.
 */
static void timers_image(struct __test_metadata *_metadata,
			 FIXTURE_DATA(st) *self, const struct ckpt_model *m)
{
	static const struct {
		int id;
		clockid_t clock;
		int notify;
		uint32_t signo;
		int64_t interval;
	} want[] = {
		{ 0, CLOCK_MONOTONIC, SIGEV_SIGNAL, TM_SIG_RUN, TM_RUN_IV },
		{ 1, CLOCK_REALTIME, SIGEV_SIGNAL, TM_SIG_RUN, 0 },
		{ 3, CLOCK_MONOTONIC, SIGEV_NONE, 0, 0 },
		{ 4, CLOCK_BOOTTIME, SIGEV_SIGNAL | SIGEV_THREAD_ID, TM_SIG_RUN,
		  TM_THREAD_IV },
		{ 6, CLOCK_MONOTONIC, SIGEV_SIGNAL, TM_SIG_PEND, TM_PEND_IV },
		{ 8, CLOCK_MONOTONIC, SIGEV_THREAD, TM_SIG_RUN, 0 },
		{ 9, CLOCK_MONOTONIC, SIGEV_SIGNAL | SIGEV_THREAD_ID,
		  TM_SIG_PEND_TASK, 0 },
	};
	const struct report *pre = &self->pre;
	const struct ckpt_m_task *t = &m->tasks[0];
	const struct ckpt_hdr_signal *s = t->signal->rec;
	/* what a one-shot may have left: no more than at the setup, ... */
	int64_t passed = self->t_ckpt[1] - pre->val[V_TM_T_LEFT0];
	int seen[TM_MADE] = { 0 };

	ASSERT_EQ(ARRAY_SIZE(want), ARRAY_SIZE(tm_live));
	ASSERT_EQ(ARRAY_SIZE(want), s->nr_posix_timers);
	ASSERT_EQ((uint32_t)TM_NEXT, s->next_posix_timer_id);
	for (size_t k = 0; k < ARRAY_SIZE(want); k++) {
		const struct ckpt_hdr_posix_timer *tm = t->signal->timers[k];
		int64_t most = want[k].interval, left0 = 0;

		ASSERT_EQ(want[k].id, tm->id);
		ASSERT_EQ(tm_live[k], tm->id);
		ASSERT_TRUE(tm->clock == want[k].clock &&
			    tm->notify == want[k].notify &&
			    tm->notify_tid == (want[k].notify & SIGEV_THREAD_ID ? 1 : 0) &&
			    tm->signo == want[k].signo &&
			    tm->value == tm_value(tm->id) &&
			    (int64_t)tm->interval == want[k].interval) {
			TH_LOG("timer %d: clock %d, notify %d (thread %d), signal %u, value 0x%llx, interval %llu",
			       tm->id, tm->clock, tm->notify, tm->notify_tid,
			       tm->signo, (unsigned long long)tm->value,
			       (unsigned long long)tm->interval);
		}
		if (tm->id == 1)
			left0 = pre->val[V_TM_LEFT1_0];
		if (tm->id == 3)
			left0 = pre->val[V_TM_LEFT3_0];
		if (tm->id == 8)
			left0 = pre->val[V_TM_LEFT8_0];
		self->tm_left[tm->id] = tm->left;
		if (left0) {
			/* ... and no less than the time since allows */
			ASSERT_TRUE((int64_t)tm->left <= left0 + TM_TOLERANCE &&
				    (int64_t)tm->left >= left0 - passed - TM_SEC) {
				TH_LOG("timer %d: %llu ns left; %lld at the setup, %lld ns before the checkpoint ended",
				       tm->id, (unsigned long long)tm->left,
				       (long long)left0, (long long)passed);
			}
		} else if (most) {
			/* periodic: within a period */
			ASSERT_TRUE(tm->left > 0 &&
				    (int64_t)tm->left <= most + TM_TOLERANCE) {
				TH_LOG("timer %d: %llu ns left, every %lld", tm->id,
				       (unsigned long long)tm->left,
				       (long long)most);
			}
		} else {
			/* timer 9: fired, done */
			ASSERT_EQ(0ULL, tm->left);
		}
		/* What timer_getoverrun(2) gave: 0 but for timer 6 (and the
		 * running ones, whose last signals may have had some). */
		if (tm->id == 6) {
			ASSERT_EQ(pre->val[V_TM_OVERRUN0], tm->overrun_last);
		} else if (tm->id != 0 && tm->id != 4) {
			ASSERT_EQ(0, tm->overrun_last) {
				TH_LOG("timer %d", tm->id);
			}
		}
	}

	for (uint32_t i = 0; i < t->tsig->nr_pending; i++) {
		const struct ckpt_hdr_siginfo *si = t->siginfo[i];
		int id = ckpt_si_int(si, CKPT_SI_TIMERID_OFF);
		uint64_t value;
		uint32_t flags = CKPT_SIGINFO_TIMER | CKPT_SIGINFO_SHARED;

		memcpy(&value, si->info + CKPT_SI_VALUE_OFF, sizeof(value));
		ASSERT_EQ(SI_TIMER, ckpt_si_int(si, CKPT_SI_CODE_OFF));
		ASSERT_TRUE(id >= 0 && id < TM_MADE) {
			TH_LOG("pending signal %u of timer %d", si->signo, id);
		}
		ASSERT_EQ(tm_value(id), value);
		seen[id]++;
		switch (id) {
		case 0:
		case 6:
			break;
		case 4:
		case 9:
			flags = CKPT_SIGINFO_TIMER;
			break;
		case 10:
			flags = CKPT_SIGINFO_SHARED;
			break;
		default:
			ASSERT_TRUE(false) {
				TH_LOG("a pending signal %u of timer %d, which never fires",
				       si->signo, id);
			}
		}
		ASSERT_EQ(flags, si->flags) {
			TH_LOG("pending signal %u of timer %d", si->signo, id);
		}
		ASSERT_EQ(id == 6 ? TM_SIG_PEND : id == 9 ? TM_SIG_PEND_TASK :
			  id == 10 ? TM_SIG_GONE : TM_SIG_RUN, (int)si->signo);
	}
	ASSERT_TRUE(seen[6] == 1 && seen[9] == 1 &&
		    seen[10] == pre->val[V_TM_GONE_KEPT]) {
		TH_LOG("the pending signals of timers 6, 9, 10: %d, %d, %d",
		       seen[6], seen[9], seen[10]);
	}
}

/*
 * After the restart: the one-shots had no more time left than in the
 * image, and no less than the time since allows; timer 6's signal counted
 * the expiries since it was queued, less the time between checkpoint and
 * restart, in its overruns; the running timers go on.
 */
static void timers_verify(struct __test_metadata *_metadata,
			  FIXTURE_DATA(st) *self, pid_t pid,
			  const struct report *r)
{
	static const struct {
		int id, slot;
	} one_shots[] = {
		{ 1, V_TM_LEFT1 }, { 3, V_TM_LEFT3 }, { 8, V_TM_LEFT8 },
	};
	const int64_t iv = TM_PEND_IV;
	int64_t since = r->val[V_TM_T_LEFT] - self->t_restart[0];
	int64_t taken0 = self->pre.val[V_TM_T_TAKEN0];
	int64_t taken = r->val[V_TM_T_TAKEN], ovr = r->val[V_TM_OVERRUN];
	int64_t least, most;
	struct report again;

	for (size_t i = 0; i < ARRAY_SIZE(one_shots); i++) {
		int64_t img = self->tm_left[one_shots[i].id];
		int64_t left = r->val[one_shots[i].slot];

		ASSERT_TRUE(left <= img + TM_TOLERANCE &&
			    left >= img - since - TM_SEC) {
			TH_LOG("timer %d: %lld ns left in the image, %lld %.2f s after the restart began",
			       one_shots[i].id, (long long)img,
			       (long long)left, since / 1e9);
		}
	}

	least = (self->t_ckpt[0] - taken0) / iv +
		(taken - self->t_restart[1]) / iv - 3;
	most = (self->t_ckpt[1] - taken0) / iv +
	       (taken - self->t_restart[0]) / iv + 2;
	ASSERT_TRUE(ovr >= least && ovr <= most) {
		TH_LOG("timer 6's signal: %lld overruns; %lld to %lld expected (every %lld ms: %.2f s before the checkpoint, %.2f s after the restart)",
		       (long long)ovr, (long long)least, (long long)most,
		       (long long)(iv / TM_MS),
		       (self->t_ckpt[0] - taken0) / 1e9,
		       (taken - self->t_restart[1]) / 1e9);
	}

	/* The running timers' signals keep coming: ~15 and ~10 in 1.5 s. */
	ckpt_sleep_ms(1500);
	command(_metadata, pid, 'c');
	next_report(_metadata, self, R_CHECK, 20000, &again);
	ASSERT_EQ(1, again.ok) {
		TH_LOG("%s", again.msg);
	}
	ASSERT_LE(r->val[V_TM_COUNT0] + 2, again.val[V_TM_COUNT0]) {
		TH_LOG("timer 0: %lld signals, then %lld 1.5 s later",
		       (long long)r->val[V_TM_COUNT0],
		       (long long)again.val[V_TM_COUNT0]);
	}
	ASSERT_LE(r->val[V_TM_COUNT4] + 2, again.val[V_TM_COUNT4]) {
		TH_LOG("timer 4: %lld signals, then %lld 1.5 s later",
		       (long long)r->val[V_TM_COUNT4],
		       (long long)again.val[V_TM_COUNT4]);
	}
}

static const struct scenario sc_fds = {
	.name = "fds",
	.ops = { fds_setup, NULL, fds_check },
	.image = fds_image,
};

static const struct scenario sc_pipes = {
	.name = "pipes",
	.ops = { pipes_setup, NULL, pipes_check },
	.image = pipes_image,
};

static const struct scenario sc_sighandlers = {
	.name = "sighandlers",
	.ops = { sighandlers_setup, NULL, sighandlers_check },
	.after = sighandlers_after,
};

static const struct scenario sc_sigpending = {
	.name = "sigpending",
	.ops = { sigpending_setup, NULL, sigpending_check },
	.image = sigpending_image,
};

static const struct scenario sc_itimers = {
	.name = "itimers",
	.ops = { itimers_setup, NULL, itimers_check },
	.ign = IGN_IT_VALUES,
	.ign_sigs = CKPT_SIGBIT(SIGALRM),
	.image = itimers_image,
	.verify = itimers_verify,
};

static const struct scenario sc_fs = {
	.name = "fs",
	.ops = { fs_setup, NULL, fs_check },
};

static const struct scenario sc_chroot = {
	.name = "chroot",
	.ops = { chroot_setup, NULL, chroot_check },
	.image = chroot_image,
};

static const struct scenario sc_rlimits = {
	.name = "rlimits",
	.ops = { rlimits_setup, NULL, rlimits_check },
};

static const struct scenario sc_attrs = {
	.name = "attrs",
	.ops = { attrs_setup, NULL, attrs_check },
	.image = attrs_image,
};

static const struct scenario sc_creds = {
	.name = "creds",
	.ops = { creds_setup, NULL, creds_check },
	.image = creds_image,
};

static const struct scenario sc_nanosleep = {
	.name = "nanosleep",
	.ops = { NULL, nanosleep_block, NULL },
	.sys = SYS_nanosleep, .sys_arg0 = -1,
	.run_ms = 3000, .gap_ms = 2000,
	.image = nanosleep_image,
	.verify = sleep_verify,
};

static const struct scenario sc_clock_nanosleep = {
	.name = "clock_nanosleep",
	.ops = { NULL, clock_nanosleep_block, NULL },
	.sys = SYS_clock_nanosleep, .sys_arg0 = CLOCK_MONOTONIC,
	.run_ms = 3000, .gap_ms = 2000,
	.image = nanosleep_image,
	.verify = sleep_verify,
};

static const struct scenario sc_poll = {
	.name = "poll",
	.ops = { wake_setup, poll_block, NULL },
	.sys = SYS_poll, .sys_arg0 = -1,
	.run_ms = 2000, .gap_ms = 1000,
	.image = poll_image,
	.after = wake_after,
	.verify = wake_verify,
};

static const struct scenario sc_futex = {
	.name = "futex",
	.ops = { NULL, futex_block, NULL },
	.sys = SYS_futex, .sys_arg0 = (uintptr_t)&slp_futex,
	.run_ms = 3000, .gap_ms = 2000,
	.image = futex_image,
	.verify = sleep_verify,
};

static const struct scenario sc_futex_abs = {
	.name = "futex_abs",
	.ops = { futex_abs_setup, futex_abs_block, NULL },
	.sys = SYS_futex, .sys_arg0 = (uintptr_t)&slp_futex,
	.run_ms = 3000, .gap_ms = 2000,
	.image = futex_abs_image,
	.verify = futex_abs_verify,
};

static const struct scenario sc_cpu_sleep = {
	.name = "cpu_sleep",
	.ops = { NULL, cpu_sleep_block, NULL },
	.sys = SYS_clock_nanosleep, .sys_arg0 = CLOCK_PROCESS_CPUTIME_ID,
};

static const struct scenario sc_memfd = {
	.name = "memfd",
	.ops = { memfd_setup, NULL, memfd_check },
	.image = memfd_image,
};

static const struct scenario sc_read = {
	.name = "read",
	.ops = { wake_setup, read_block, NULL },
	.sys = SYS_read, .sys_arg0 = WAKE_R,
	.after = wake_after,
	.verify = wake_verify,
};

static const struct scenario sc_pause = {
	.name = "pause",
	.ops = { wait_setup, pause_block, NULL },
	.sys = SYS_pause, .sys_arg0 = -1,
	.image = pause_image,
	.after = signal_after,
};

static const struct scenario sc_sigsuspend = {
	.name = "sigsuspend",
	.ops = { sigsuspend_setup, sigsuspend_block, NULL },
	.sys = SYS_rt_sigsuspend, .sys_arg0 = -1,
	.ign = IGN_BLOCKED,
	.image = sigsuspend_image,
	.after = signal_after,
};

static void shm_image(struct __test_metadata *_metadata,
		      FIXTURE_DATA(st) *self, const struct ckpt_model *m)
{
	const struct ckpt_m_mm *mm = &m->mms[0];
	uint64_t anon = self->pre.val[V_EXTRA], file = self->pre.val[V_EXTRA + 1];
	const struct ckpt_hdr_vma *va = ckpt_m_vma_at(mm, anon);
	const struct ckpt_hdr_vma *vf = ckpt_m_vma_at(mm, file);
	const struct ckpt_m_file *fa;
	char path[PATH_MAX];

	ASSERT_TRUE(va && vf);
	/* Shared anonymous memory: an object of its own, with the pages. */
	ASSERT_EQ((uint32_t)CKPT_VMA_FILE, va->kind);
	ASSERT_EQ((uint32_t)CKPT_VMA_SHARED, va->flags & CKPT_VMA_SHARED);
	ASSERT_EQ(0U, ckpt_m_pages_in(mm, va->start, va->end));
	fa = ckpt_m_file_ref(m, va->file_objref);
	ASSERT_NE(NULL, fa);
	ASSERT_EQ((uint32_t)CKPT_FILE_SHMEM, fa->rec->type);
	ASSERT_EQ((size_t)SHM_ANON_PAGES, fa->nr_pages);
	for (size_t k = 0; k < fa->nr_pages; k++) {
		ASSERT_EQ(k * psize(), fa->pages[k].addr);
		ASSERT_TRUE(is_pat(fa->pages[k].data, psize(), k * psize(), 8));
	}
	ASSERT_EQ((uint32_t)CKPT_VMA_FILE, vf->kind);
	ASSERT_EQ((uint32_t)CKPT_VMA_SHARED, vf->flags & CKPT_VMA_SHARED);
	ASSERT_EQ(0U, ckpt_m_pages_in(mm, vf->start, vf->end));
	snprintf(path, sizeof(path), "%s/%s", self->dir, F_SHARED);
	ASSERT_STREQ(path, ckpt_m_file_ref(m, vf->file_objref)->path);
}

static const struct scenario sc_shm = {
	.name = "shm",
	.ops = { shm_setup, NULL, shm_check },
	.image = shm_image,
};

/* TLS descriptors, one in %gs. */
static const struct scenario sc_tls = {
	.name = "tls",
	.ops = { tls_setup, NULL, tls_check },
	.image = tls_image,
};

/*
 * POSIX timers: the time between checkpoint and restart does not count
 * (2 s of it in a memfd).
 */
static const struct scenario sc_timers = {
	.name = "timers",
	.ops = { timers_setup, NULL, timers_check },
	.gap_ms = 2000,
	.ign_sigs = CKPT_SIGBIT(TM_SIG_RUN),
	.image = timers_image,
	.verify = timers_verify,
};

static const struct scenario sc_one_file = {
	.name = "one_file",
	.ops = { one_file_setup, NULL, one_file_check },
};

static const struct scenario sc_plain = {
	.name = "plain",
	.ops = { NULL, NULL, NULL },
};

/*
 * Format version 4.  Epoll: the items of an epoll file with their events
 * and data, a fired one-shot item disarmed, an edge taken; after the
 * restart, epoll_wait(2) reports what it would have.
 */
static void epoll_image(struct __test_metadata *_metadata,
			FIXTURE_DATA(st) *self, const struct ckpt_model *m)
{
	const struct ckpt_m_task *t = &m->tasks[0];
	const struct ckpt_m_file *f = fd_file(_metadata, m, EP_FD);
	const struct ckpt_m_epoll *ep;

	ASSERT_NE(NULL, f);
	ASSERT_EQ((uint32_t)CKPT_FILE_EPOLL, f->rec->type);
	ASSERT_EQ((uint32_t)(O_RDWR | O_NONBLOCK),
		  f->rec->f_flags & (O_ACCMODE | O_NONBLOCK));
	ASSERT_EQ((uint32_t)CKPT_FD_CLOEXEC, ckpt_m_fd(t, EP_FD)->flags);
	ASSERT_STREQ("", f->path);
	ep = f->epoll;
	ASSERT_NE(NULL, ep);
	/* after the task's files, before its task record */
	ASSERT_EQ(t, ep->task);
	ASSERT_LT(ep->idx, t->idx);
	ASSERT_EQ((uint32_t)ARRAY_SIZE(ep_items), ep->rec->nr_items);
	for (size_t k = 0; k < ARRAY_SIZE(ep_items); k++) {
		const struct ckpt_epoll_item *it = NULL;

		for (uint32_t n = 0; n < ep->rec->nr_items; n++)
			if (ep->items[n].fd == (uint32_t)ep_items[k].fd)
				it = &ep->items[n];
		ASSERT_NE(NULL, it) {
			TH_LOG("no item for fd %d", ep_items[k].fd);
		}
		ASSERT_EQ(ckpt_m_fd(t, ep_items[k].fd)->file_objref,
			  it->file_objref);
		ASSERT_EQ(ep_items[k].saved, it->events) {
			TH_LOG("fd %d: events 0x%x in the image, 0x%x expected",
			       ep_items[k].fd, it->events, ep_items[k].saved);
		}
		ASSERT_EQ(EP_DATA(ep_items[k].fd), it->data);
		ASSERT_EQ(0U, it->reserved);
	}
}

static const struct scenario sc_epoll = {
	.name = "epoll",
	.ops = { epoll_setup, NULL, epoll_check },
	.image = epoll_image,
};

static void epoll_wait_image(struct __test_metadata *_metadata,
			     FIXTURE_DATA(st) *self,
			     const struct ckpt_model *m)
{
	const struct ckpt_m_file *f = fd_file(_metadata, m, EPW_FD);
	const struct ckpt_m_task *t = &m->tasks[0];

	ASSERT_NE(NULL, f);
	ASSERT_EQ((uint32_t)CKPT_FILE_EPOLL, f->rec->type);
	ASSERT_EQ((uint32_t)O_RDWR, f->rec->f_flags & (O_ACCMODE | O_NONBLOCK));
	ASSERT_NE(NULL, f->epoll);
	ASSERT_EQ(1U, f->epoll->rec->nr_items);
	ASSERT_EQ((uint32_t)WAKE_R, f->epoll->items[0].fd);
	ASSERT_EQ(ckpt_m_fd(t, WAKE_R)->file_objref,
		  f->epoll->items[0].file_objref);
	ASSERT_EQ((uint32_t)(EPOLLIN | EP_ALWAYS), f->epoll->items[0].events);
	ASSERT_EQ(EPW_DATA, f->epoll->items[0].data);
	/* in epoll_wait(2), interrupted by the freeze */
	ASSERT_EQ((uint64_t)SYS_epoll_wait, t->regs->regs.orig_ax);
}

static const struct scenario sc_epoll_wait = {
	.name = "epoll_wait",
	.ops = { epoll_wait_setup, epoll_wait_block, NULL },
	.sys = SYS_epoll_wait, .sys_arg0 = EPW_FD,
	.run_ms = 1000, .gap_ms = 1000,
	.image = epoll_wait_image,
	.after = wake_after,
	.verify = wake_verify,
};

/*
 * Namespaces: the image has the container's own UTS and IPC namespaces
 * and its names; the restored task is in new ones (not the test's), with
 * those names, and the test's hostname is untouched.
 */
static struct utsname ns_host;

static void ns_image(struct __test_metadata *_metadata,
		     FIXTURE_DATA(st) *self, const struct ckpt_model *m)
{
	ASSERT_NE(NULL, m->ns);
	ASSERT_EQ((uint32_t)(CKPT_NS_UTS | CKPT_NS_IPC), m->ns->flags);
	ASSERT_STREQ(NS_HOST, m->ns->hostname);
	ASSERT_STREQ(NS_DOMAIN, m->ns->domainname);
	ASSERT_EQ(0, uname(&ns_host));
}

/* The inode of /proc/@pid/ns/@name, or 0 */
static uint64_t ns_ino(const char *pid, const char *name)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%s/ns/%s", pid, name);
	return stat(path, &st) ? 0 : st.st_ino;
}

static void ns_after(struct __test_metadata *_metadata,
		     FIXTURE_DATA(st) *self, pid_t pid)
{
	struct utsname u;
	char p[16];

	snprintf(p, sizeof(p), "%d", (int)pid);
	ASSERT_NE(0ULL, ns_ino(p, "uts"));
	ASSERT_NE(ns_ino("self", "uts"), ns_ino(p, "uts"));
	ASSERT_NE(0ULL, ns_ino(p, "ipc"));
	ASSERT_NE(ns_ino("self", "ipc"), ns_ino(p, "ipc"));
	/* the mount and network namespaces are the restarter's */
	ASSERT_EQ(ns_ino("self", "mnt"), ns_ino(p, "mnt"));
	ASSERT_EQ(ns_ino("self", "net"), ns_ino(p, "net"));
	ASSERT_EQ(0, uname(&u));
	ASSERT_STREQ(ns_host.nodename, u.nodename);
	ASSERT_STREQ(ns_host.domainname, u.domainname);
}

static void ns_verify(struct __test_metadata *_metadata,
		      FIXTURE_DATA(st) *self, pid_t pid,
		      const struct report *r)
{
	struct utsname u;

	/* What the container did to its names stayed in its namespace. */
	ASSERT_EQ(0, uname(&u));
	ASSERT_STREQ(ns_host.nodename, u.nodename);
}

static const struct scenario sc_ns = {
	.name = "ns",
	.ops = { ns_setup, NULL, ns_check },
	.clone_flags = CLONE_NEWUTS | CLONE_NEWIPC,
	.image = ns_image,
	.after = ns_after,
	.verify = ns_verify,
};

static const struct scenario sc_uts_kid = {
	.name = "uts_kid",
	.ops = { uts_kid_setup, NULL, NULL },
	.clone_flags = CLONE_NEWUTS,
};

/*
 * External files: the target's stdout, a pipe to the test, refused
 * without CHECKPOINT_EXTERNAL; with it, an external file at fd 1, which
 * the restarter's fd 1 (another pipe) replaces.
 */
#define EXT_PIPE_REFUSED "a pipe whose other end is open outside the container (CHECKPOINT_EXTERNAL saves it as an external file)"
#define EXT_TTY_REFUSED "a terminal or device that restart does not open (CHECKPOINT_EXTERNAL saves it as an external file)"

static uint64_t fd_ino(int fd)
{
	struct stat st;

	return fstat(fd, &st) ? 0 : st.st_ino;
}

/* What /proc/@pid/fd/@fd links to, in @out. */
static void fd_link(struct __test_metadata *_metadata, pid_t pid, int fd,
		    char *out, size_t size)
{
	char path[64];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)pid, fd);
	n = readlink(path, out, size - 1);
	ASSERT_LT(0, n) {
		TH_LOG("readlink %s: %s", path, strerror(errno));
	}
	out[n] = '\0';
}

static void ext_pipe_image(struct __test_metadata *_metadata,
			   FIXTURE_DATA(st) *self, const struct ckpt_model *m)
{
	const struct ckpt_m_file *f = fd_file(_metadata, m, 1);
	char name[64];

	ASSERT_NE(NULL, f);
	ASSERT_EQ((uint32_t)CKPT_FILE_EXTERNAL, f->rec->type);
	ASSERT_EQ((uint32_t)O_WRONLY, f->rec->f_flags);
	ASSERT_EQ(1U, f->rec->fd);
	ASSERT_EQ(0ULL, f->rec->pos);
	snprintf(name, sizeof(name), "pipe:[%llu]",
		 (unsigned long long)fd_ino(self->ext_orig));
	ASSERT_STREQ(name, f->path);
	ASSERT_EQ(CHECKPOINT_EXTERNAL, m->hdr->flags);
	/* 0 and 2 are /dev/null still */
	ASSERT_EQ((uint32_t)CKPT_FILE_CHR, fd_file(_metadata, m, 0)->rec->type);
	ASSERT_EQ((uint32_t)CKPT_FILE_CHR, fd_file(_metadata, m, 2)->rec->type);
}

/* Up to @size bytes from @fd within 10 s: the count, or -1. */
static ssize_t read_within(int fd, char *buf, size_t size)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	if (poll(&pfd, 1, 10000) != 1)
		return -1;
	return read(fd, buf, size);
}

static void ext_pipe_verify(struct __test_metadata *_metadata,
			    FIXTURE_DATA(st) *self, pid_t pid,
			    const struct report *r)
{
	char buf[128] = "", link[64], want[64];
	ssize_t n;

	/* What it wrote after the restart is in the restarter's pipe. */
	n = read_within(self->ext_new[0], buf, sizeof(buf) - 1);
	ASSERT_EQ((ssize_t)sizeof(EXT_MSG) - 1, n);
	ASSERT_STREQ(EXT_MSG, buf);
	fd_link(_metadata, pid, 1, link, sizeof(link));
	snprintf(want, sizeof(want), "pipe:[%llu]",
		 (unsigned long long)fd_ino(self->ext_new[0]));
	ASSERT_STREQ(want, link);
	/* The original's pipe: nothing, and no writer left. */
	ASSERT_EQ(0, fcntl(self->ext_orig, F_SETFL, O_NONBLOCK));
	ASSERT_EQ(0, read(self->ext_orig, buf, sizeof(buf)));
}

static const struct scenario sc_ext_pipe = {
	.name = "ext_pipe",
	.ops = { NULL, NULL, ext_pipe_check },
	.ckpt_flags = CHECKPOINT_EXTERNAL,
	.ext = EXT_PIPE,
	.ext_fds = 1ULL << 1,
	.refused_words = EXT_PIPE_REFUSED,
	.image = ext_pipe_image,
	.verify = ext_pipe_verify,
};

/* RESTART_EXTERNAL_NULL: /dev/null in its place, open for writing. */
static void ext_null_verify(struct __test_metadata *_metadata,
			    FIXTURE_DATA(st) *self, pid_t pid,
			    const struct report *r)
{
	char link[64], info[512], path[64];
	unsigned int flags = 0;
	const char *p;

	fd_link(_metadata, pid, 1, link, sizeof(link));
	ASSERT_STREQ("/dev/null", link);
	snprintf(path, sizeof(path), "/proc/%d/fdinfo/1", (int)pid);
	ASSERT_LT(0, ckpt_read_file(path, info, sizeof(info) - 1));
	p = strstr(info, "flags:");
	ASSERT_NE(NULL, p);
	flags = strtoul(p + 6, NULL, 8);
	ASSERT_EQ((unsigned int)O_WRONLY, flags & O_ACCMODE);
}

static const struct scenario sc_ext_null = {
	.name = "ext_null",
	.ops = { NULL, NULL, ext_pipe_check },
	.ckpt_flags = CHECKPOINT_EXTERNAL,
	.rst_flags = RESTART_EXTERNAL_NULL,
	.ext = EXT_PIPE,
	.ext_fds = 1ULL << 1,
	.image = ext_pipe_image,
	.verify = ext_null_verify,
};

/*
 * A terminal (a pty slave) on its stdin, stdout and stderr: refused
 * without CHECKPOINT_EXTERNAL; with it, one external file, read-write,
 * at fd 0, named by its path; the restarter's terminal replaces it, and
 * the restored task reads what is typed on that one, and writes to it.
 */
static void ext_pty_image(struct __test_metadata *_metadata,
			  FIXTURE_DATA(st) *self, const struct ckpt_model *m)
{
	const struct ckpt_m_file *f = fd_file(_metadata, m, 0);

	ASSERT_NE(NULL, f);
	ASSERT_EQ((uint32_t)CKPT_FILE_EXTERNAL, f->rec->type);
	ASSERT_EQ((uint32_t)O_RDWR, f->rec->f_flags);
	ASSERT_EQ(0U, f->rec->fd);
	ASSERT_STREQ(self->ext_name, f->path);
	ASSERT_EQ(f, fd_file(_metadata, m, 1));
	ASSERT_EQ(f, fd_file(_metadata, m, 2));
}

static void ext_pty_after(struct __test_metadata *_metadata,
			  FIXTURE_DATA(st) *self, pid_t pid)
{
	char link[64];

	for (int fd = 0; fd < 3; fd++) {
		fd_link(_metadata, pid, fd, link, sizeof(link));
		ASSERT_STREQ(self->ext_new_name, link);
	}
	ASSERT_EQ(0, ckpt_write_all(self->ext_new[0], EXT_PING,
				    sizeof(EXT_PING) - 1));
}

static void ext_pty_verify(struct __test_metadata *_metadata,
			   FIXTURE_DATA(st) *self, pid_t pid,
			   const struct report *r)
{
	char buf[64] = "";
	ssize_t n, got = 0;

	while (got < (ssize_t)sizeof("pong:" EXT_PING) - 1) {
		n = read_within(self->ext_new[0], buf + got,
				sizeof(buf) - 1 - got);
		ASSERT_LT(0, n);
		got += n;
	}
	ASSERT_STREQ("pong:" EXT_PING, buf);
}

static const struct scenario sc_ext_pty = {
	.name = "ext_pty",
	.ops = { NULL, NULL, ext_pty_check },
	.ckpt_flags = CHECKPOINT_EXTERNAL,
	.ext = EXT_PTY,
	.ext_fds = 0x7,
	.refused_words = EXT_TTY_REFUSED,
	.image = ext_pty_image,
	.after = ext_pty_after,
	.verify = ext_pty_verify,
};

/* The whole cycle of scenario @name, through a memfd or through a pipe. */
#define STATE_TEST_MEMFD(name)						\
	TEST_F_TIMEOUT(st, name##_memfd, 120)				\
	{								\
		run_scenario(_metadata, self, &sc_##name, T_MEMFD);	\
	}
#define STATE_TEST_PIPE(name)						\
	TEST_F_TIMEOUT(st, name##_pipe, 120)				\
	{								\
		run_scenario(_metadata, self, &sc_##name, T_PIPE);	\
	}

/* Fds at odd numbers: files read halfway, dups, O_APPEND, a directory, devices. */
STATE_TEST_MEMFD(fds)
STATE_TEST_PIPE(fds)
/* Pipes: data in them, a closed writer, 1 MiB non-blocking nearly full. */
STATE_TEST_MEMFD(pipes)
STATE_TEST_PIPE(pipes)
/* Handlers (SA_SIGINFO, SA_RESTART, SA_ONSTACK, masks), SIG_IGN, sigaltstack. */
STATE_TEST_MEMFD(sighandlers)
STATE_TEST_PIPE(sighandlers)
/* Blocked signals pending for the task and the process, rt values. */
STATE_TEST_MEMFD(sigpending)
STATE_TEST_PIPE(sigpending)
/* ITIMER_REAL with an interval, ITIMER_VIRTUAL, ITIMER_PROF. */
STATE_TEST_MEMFD(itimers)
/* The umask and the working directory; a root directory of its own. */
STATE_TEST_MEMFD(fs)
STATE_TEST_MEMFD(chroot)
/* Memfds: contents, holes, size, seals, offset. */
STATE_TEST_MEMFD(memfd)
STATE_TEST_PIPE(memfd)
/* Shared memory: anonymous, and a shared mapping of a file. */
STATE_TEST_MEMFD(shm)
STATE_TEST_PIPE(shm)
/* Lowered RLIMIT_NOFILE (below an open fd), RLIMIT_CORE and more. */
STATE_TEST_MEMFD(rlimits)
/* nice 5, SCHED_BATCH, no_new_privs, pdeathsig, not dumpable, subreaper. */
STATE_TEST_MEMFD(attrs)
/* Another uid and gid, groups, capabilities cut down, one ambient. */
STATE_TEST_MEMFD(creds)
STATE_TEST_PIPE(creds)
/* Calls that restart with the time they had left. */
STATE_TEST_MEMFD(nanosleep)
STATE_TEST_MEMFD(clock_nanosleep)
STATE_TEST_MEMFD(poll)
STATE_TEST_MEMFD(futex)
STATE_TEST_MEMFD(futex_abs)
/* Calls that restart as they were: read(2) of a pipe, waits for signals. */
STATE_TEST_MEMFD(read)
STATE_TEST_PIPE(read)
STATE_TEST_MEMFD(pause)
STATE_TEST_MEMFD(sigsuspend)
/*
 * Format version 3.  TLS descriptors: two segments, one loaded in %gs,
 * read through again, each entry as get_thread_area(2) saw it.
 */
TEST_F_TIMEOUT(st, tls_memfd, 120)
{
	if (!ckpt_tls_available())
		SKIP(return, "no set_thread_area(2) (CONFIG_IA32_EMULATION)");
	run_scenario(_metadata, self, &sc_tls, T_MEMFD);
}

TEST_F_TIMEOUT(st, tls_pipe, 120)
{
	if (!ckpt_tls_available())
		SKIP(return, "no set_thread_area(2) (CONFIG_IA32_EMULATION)");
	run_scenario(_metadata, self, &sc_tls, T_PIPE);
}
/*
 * POSIX timers with gaps in their ids, on every clock, notifying every
 * way, periodic and one-shot, absolute, running, disarmed, with their
 * signals pending (counting overruns), a deleted timer's signal pending;
 * then they run on, and the next id is the one the process would have.
 */
STATE_TEST_MEMFD(timers)
STATE_TEST_PIPE(timers)
/*
 * Format version 4.  Epoll: items with their data, EPOLLET, a fired
 * EPOLLONESHOT, O_NONBLOCK; a task blocked in epoll_wait(2) that wakes
 * when its pipe gets data after the restart.
 */
STATE_TEST_MEMFD(epoll)
STATE_TEST_PIPE(epoll)
STATE_TEST_MEMFD(epoll_wait)
STATE_TEST_PIPE(epoll_wait)
/* Namespaces: UTS (hostname, domainname) and IPC of its own. */
STATE_TEST_MEMFD(ns)
STATE_TEST_PIPE(ns)
/*
 * External files (CHECKPOINT_EXTERNAL): stdout a pipe to the test, then
 * the restarter's pipe; /dev/null in its place (RESTART_EXTERNAL_NULL); a
 * terminal on stdin, stdout and stderr, then the restarter's terminal.
 */
STATE_TEST_MEMFD(ext_pipe)
STATE_TEST_PIPE(ext_pipe)
STATE_TEST_MEMFD(ext_null)
STATE_TEST_MEMFD(ext_pty)
STATE_TEST_PIPE(ext_pty)

/*
 * One image, restarted twice in sequence: the first restored task is
 * killed, the report file put back as it was at the checkpoint (the task
 * wrote to it), and the second is restored the same, with its own pipes
 * holding the same bytes.
 */
TEST_F_TIMEOUT(st, same_image_twice, 120)
{
	const struct scenario *sc = &sc_pipes;
	pid_t pid;

	st_spawn(_metadata, self, sc);
	pid = st_cycle(_metadata, self, sc, T_MEMFD);
	st_compare(_metadata, self, sc, pid);
	st_finish(_metadata, self, sc, pid);
	reap(self, pid);

	ASSERT_EQ(0, truncate(self->report, self->report_size));
	self->nr_reports = 1;	/* the original's view */
	ASSERT_EQ(0, lseek(self->img, 0, SEEK_SET));
	pid = sys_restart(0, self->img, 0, self->log[1]);
	ASSERT_LT(0, pid) {
		TH_LOG("the second restart: %s; log: \"%s\"", strerror(errno),
		       st_log(self));
	}
	adopt(_metadata, self, pid);
	st_compare(_metadata, self, sc, pid);
	st_finish(_metadata, self, sc, pid);
	reap(self, pid);
}

/* ------------------------------------------------------------------ */
/* restart(2) refused: files changed, credentials out of reach         */

/*
 * Whether @log is one or more lines, each "<op>: <reason>\n" (a refusal
 * may say what is refused, then which fd or task had it); NULL if so,
 * else what is wrong.
 */
static const char *log_lines_problem(const char *log, const char *op)
{
	const char *p = log;

	if (!*p)
		return "the log is empty";
	while (*p) {
		const char *nl = strchr(p, '\n');

		if (!nl)
			return "a line does not end with a newline";
		if (strncmp(p, op, strlen(op)) || strncmp(p + strlen(op), ": ", 2))
			return "a line does not start with \"<op>: \"";
		if (nl == p + strlen(op) + 2)
			return "a reason is empty";
		p = nl + 1;
	}
	return NULL;
}

/* Whether @log names one of @words (case aside). */
static bool log_names(const char *log, const char *const *words)
{
	for (int i = 0; words[i]; i++)
		if (strcasestr(log, words[i]))
			return true;
	return false;
}

#define KINDS(...)	((const char *const[]){ __VA_ARGS__, NULL })

/*
 * A task frozen in a call whose restart block checkpoint cannot save:
 * EOPNOTSUPP, the call named; the task stays frozen, and thawed, goes on
 * in its call.
 */
static void refused_in_call(struct __test_metadata *_metadata,
			    FIXTURE_DATA(st) *self, const struct scenario *sc,
			    const char *const *words)
{
	const char *why;
	long ret;
	int err;

	st_spawn(_metadata, self, sc);
	ASSERT_EQ(0, ckpt_cg_freeze(self->cg));
	self->logbuf[0] = '\0';
	ret = sys_checkpoint(self->orig, self->img, 0, self->log[1]);
	err = errno;
	st_log(self);
	ASSERT_EQ(-1, ret) {
		TH_LOG("checkpoint succeeded; log: \"%s\"", self->logbuf);
	}
	ASSERT_EQ(EOPNOTSUPP, err) {
		TH_LOG("checkpoint: %s; log: \"%s\"", strerror(err),
		       self->logbuf);
	}
	why = log_lines_problem(self->logbuf, "checkpoint");
	ASSERT_EQ(NULL, why) {
		TH_LOG("%s; log: \"%s\"", why, self->logbuf);
	}
	ASSERT_TRUE(log_names(self->logbuf, words)) {
		TH_LOG("the log does not name the call (%s): \"%s\"", words[0],
		       self->logbuf);
	}
	ASSERT_TRUE(ckpt_cg_event(self->cg, "frozen 1"));
	ASSERT_EQ(0, ckpt_cg_thaw(self->cg));
	ASSERT_EQ(0, kill(self->orig, 0));
}

/*
 * A sleep on a CPU clock: its restart block is not saved, so checkpoint
 * refuses it; thawed, it sleeps on.
 */
TEST_F_TIMEOUT(st, cpu_clock_sleep_refused, 60)
{
	refused_in_call(_metadata, self, &sc_cpu_sleep,
			KINDS("cpu", "posix", "clock"));
	ckpt_sleep_ms(200);
	ASSERT_NE('Z', ckpt_proc_state(self->orig));
}

/*
 * A child of the init in another UTS namespace than the init's: refused,
 * naming the task.  The target stays frozen, and thawed, goes on.
 */
TEST_F_TIMEOUT(st, uts_other_refused, 60)
{
	char path[64], kids[64] = "", want[32];

	refused_in_call(_metadata, self, &sc_uts_kid,
			KINDS("in another UTS or IPC namespace than the container's init"));
	/* the child, by its pid in the caller's pid namespace */
	snprintf(path, sizeof(path), "/proc/%d/task/%d/children",
		 (int)self->orig, (int)self->orig);
	ASSERT_LT(0, ckpt_read_file(path, kids, sizeof(kids) - 1));
	snprintf(want, sizeof(want), "task %ld (", strtol(kids, NULL, 10));
	ASSERT_NE(NULL, strstr(self->logbuf, want)) {
		TH_LOG("the log does not name the child (%s): \"%s\"", want,
		       self->logbuf);
	}
}

/* Nothing is left of a failed restart: no child, no process more. */
static void nothing_left(struct __test_metadata *_metadata, int before)
{
	int status;
	pid_t got = waitpid(-1, &status, WNOHANG | __WALL);

	ASSERT_EQ(-1, got) {
		TH_LOG("a task is left: waitpid() gives %d", (int)got);
		if (got > 0)
			kill(got, SIGKILL);
	}
	ASSERT_EQ(ECHILD, errno);
	ASSERT_EQ(before, ckpt_nr_processes());
}

/* Checkpoint the one-file target into the memfd and kill it. */
static void one_file_image(struct __test_metadata *_metadata,
			   FIXTURE_DATA(st) *self)
{
	st_spawn(_metadata, self, &sc_one_file);
	ASSERT_EQ(0, ckpt_cg_freeze(self->cg));
	snap_take(_metadata, self->orig, &self->pre_snap, 0);
	ASSERT_EQ(0, sys_checkpoint(self->orig, self->img, 0, self->log[1])) {
		TH_LOG("checkpoint: %s; log: \"%s\"", strerror(errno),
		       st_log(self));
	}
	kill_orig(_metadata, self);
	ASSERT_EQ(0, ckpt_cg_thaw(self->cg));
}

/* restart(2) from the memfd fails with @want, naming @words in its log. */
static void restart_refused(struct __test_metadata *_metadata,
			    FIXTURE_DATA(st) *self, int want,
			    const char *words)
{
	const char *why;
	long ret;
	int err, before = ckpt_nr_processes();

	self->logbuf[0] = '\0';
	ASSERT_EQ(0, lseek(self->img, 0, SEEK_SET));
	ret = sys_restart(0, self->img, 0, self->log[1]);
	err = errno;
	st_log(self);
	if (ret > 0)
		track(self, ret);
	ASSERT_EQ(-1, ret) {
		TH_LOG("restart succeeded; log: \"%s\"", self->logbuf);
	}
	ASSERT_EQ(want, err) {
		TH_LOG("restart: %s, not %s; log: \"%s\"", strerror(err),
		       strerror(want), self->logbuf);
	}
	why = log_lines_problem(self->logbuf, "restart");
	ASSERT_EQ(NULL, why) {
		TH_LOG("%s; log: \"%s\"", why, self->logbuf);
	}
	ASSERT_NE(NULL, strstr(self->logbuf, words)) {
		TH_LOG("the log does not say \"%s\": \"%s\"", words,
		       self->logbuf);
	}
	nothing_left(_metadata, before);
}

/*
 * The file changed size, then vanished: ESTALE, then ENOENT, the path in
 * the log, nothing left.  Made again as it was, it restarts.
 */
TEST_F_TIMEOUT(st, restart_file_changed, 120)
{
	char path[PATH_MAX];
	struct report r;
	pid_t pid;
	int fd;

	one_file_image(_metadata, self);
	snprintf(path, sizeof(path), "%s/%s", self->dir, F_DATA);

	fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
	ASSERT_LE(0, fd);
	ASSERT_EQ(1, write(fd, "+", 1));
	close(fd);
	restart_refused(_metadata, self, ESTALE, path);

	ASSERT_EQ(0, unlink(path));
	restart_refused(_metadata, self, ENOENT, path);

	fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0666);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, write_pat(fd, DATA_SIZE, 1));
	close(fd);
	ASSERT_EQ(0, lseek(self->img, 0, SEEK_SET));
	pid = sys_restart(0, self->img, 0, self->log[1]);
	ASSERT_LT(0, pid) {
		TH_LOG("restart with the file back: %s; log: \"%s\"",
		       strerror(errno), st_log(self));
	}
	adopt(_metadata, self, pid);
	command(_metadata, pid, 'c');
	next_report(_metadata, self, R_CHECK, 20000, &r);
	ASSERT_EQ(1, r.ok) {
		TH_LOG("the restored task's checks failed: %s", r.msg);
	}
	reap(self, pid);
}

/*
 * An image with an external file (the target's stdout, a pipe to the
 * test), restarted by a caller that has no fd 1, then by one whose fd 1 is
 * not open for writing: EBADF with the reason, nothing left.  A dry run
 * opens no file: it takes the image all the same.  With a pipe at its fd
 * 1, the caller restarts it, and what the task writes arrives there.
 */
TEST_F_TIMEOUT(st, ext_restarter_without_fd, 120)
{
	char want[2][160], buf[128] = "";
	struct report r;
	long pid, dry;
	int saved, q[2], before, err;

	st_spawn(_metadata, self, &sc_ext_pipe);
	ASSERT_EQ(0, ckpt_cg_freeze(self->cg));
	ASSERT_EQ(0, sys_checkpoint(self->orig, self->img, CHECKPOINT_EXTERNAL,
				    self->log[1])) {
		TH_LOG("checkpoint: %s; log: \"%s\"", strerror(errno),
		       st_log(self));
	}
	snprintf(want[0], sizeof(want[0]),
		 "(pipe:[%llu]): the caller has no fd 1 to give in its place",
		 (unsigned long long)fd_ino(self->ext_orig));
	snprintf(want[1], sizeof(want[1]),
		 "(pipe:[%llu]): the caller's fd 1 is not open for writing",
		 (unsigned long long)fd_ino(self->ext_orig));
	kill_orig(_metadata, self);
	ASSERT_EQ(0, ckpt_cg_thaw(self->cg));
	ASSERT_EQ(0, pipe2(q, O_CLOEXEC));

	for (int i = 0; i < 2; i++) {
		before = ckpt_nr_processes();
		self->logbuf[0] = '\0';
		fflush(stdout);
		saved = fcntl(1, F_DUPFD_CLOEXEC, 3);
		ASSERT_LE(0, saved);
		if (i == 0)
			close(1);
		else
			dup2(q[0], 1);
		lseek(self->img, 0, SEEK_SET);
		dry = sys_restart(0, self->img, RESTART_DRY_RUN, self->log[1]);
		lseek(self->img, 0, SEEK_SET);
		pid = sys_restart(0, self->img, 0, self->log[1]);
		err = errno;
		dup2(saved, 1);
		close(saved);
		st_log(self);
		if (pid > 0)
			track(self, pid);
		ASSERT_EQ(0, dry) {
			TH_LOG("a dry run without the fd: %s", strerror(errno));
		}
		ASSERT_EQ(-1, pid);
		ASSERT_EQ(EBADF, err) {
			TH_LOG("restart: %s; log: \"%s\"", strerror(err),
			       self->logbuf);
		}
		ASSERT_EQ(NULL, log_lines_problem(self->logbuf, "restart"));
		ASSERT_NE(NULL, strstr(self->logbuf, want[i])) {
			TH_LOG("the log does not say \"%s\": \"%s\"", want[i],
			       self->logbuf);
		}
		nothing_left(_metadata, before);
	}

	/* The restarter's pipe at 1. */
	self->logbuf[0] = '\0';
	fflush(stdout);
	saved = fcntl(1, F_DUPFD_CLOEXEC, 3);
	ASSERT_LE(0, saved);
	dup2(self->ext_new[1], 1);
	lseek(self->img, 0, SEEK_SET);
	pid = sys_restart(0, self->img, 0, self->log[1]);
	err = errno;
	dup2(saved, 1);
	close(saved);
	ASSERT_LT(0, pid) {
		TH_LOG("restart: %s; log: \"%s\"", strerror(err),
		       st_log(self));
	}
	adopt(_metadata, self, pid);
	command(_metadata, pid, 'c');
	next_report(_metadata, self, R_CHECK, 20000, &r);
	ASSERT_EQ(1, r.ok) {
		TH_LOG("the restored task's checks failed: %s", r.msg);
	}
	ASSERT_EQ((ssize_t)sizeof(EXT_MSG) - 1,
		  read_within(self->ext_new[0], buf, sizeof(buf) - 1));
	ASSERT_STREQ(EXT_MSG, buf);
	reap(self, pid);
}

/*
 * An image of a root task, restarted by a caller that is uid 65534 with
 * CAP_CHECKPOINT_RESTORE alone: it could not set those credentials on
 * itself, so EPERM.  A dry run makes the same checks: there the reason
 * must be the credentials.  Without a dry run, restart may fail earlier
 * (making a pid namespace needs CAP_SYS_ADMIN), but EPERM all the same,
 * and nothing is left.
 */
TEST_F_TIMEOUT(st, restart_creds_refused, 120)
{
	int got, before;

	st_spawn(_metadata, self, &sc_plain);
	ASSERT_EQ(0, ckpt_cg_freeze(self->cg));
	ASSERT_EQ(0, sys_checkpoint(self->orig, self->img, 0, self->log[1])) {
		TH_LOG("checkpoint: %s; log: \"%s\"", strerror(errno),
		       st_log(self));
	}
	kill_orig(_metadata, self);
	ASSERT_EQ(0, ckpt_cg_thaw(self->cg));

	for (int dry = 1; dry >= 0; dry--) {
		before = ckpt_nr_processes();
		self->logbuf[0] = '\0';
		ASSERT_EQ(0, lseek(self->img, 0, SEEK_SET));
		got = ckpt_call_as(CKPT_PRIV_CR, CKPT_OP_RESTART, 0, self->img,
				   dry ? RESTART_DRY_RUN : 0, self->log[1]);
		st_log(self);
		ASSERT_LE(0, got) {
			TH_LOG("the unprivileged child failed (%d)", got);
		}
		ASSERT_EQ(EPERM, got) {
			TH_LOG("restart%s as uid 65534: %s; log: \"%s\"",
			       dry ? " (dry run)" : "",
			       got ? strerror(got) : "success", self->logbuf);
		}
		ASSERT_EQ(NULL, log_lines_problem(self->logbuf, "restart")) {
			TH_LOG("log: \"%s\"", self->logbuf);
		}
		if (dry) {
			ASSERT_TRUE(log_names(self->logbuf,
					      KINDS("cred", "uid", "gid"))) {
				TH_LOG("the log does not say it is the credentials: \"%s\"",
				       self->logbuf);
			}
		}
		nothing_left(_metadata, before);
	}
}

/*
 * RESTART_INTO_CGROUP: the restored task is made in the cgroup whose fd
 * is @pid; into a frozen one, it is frozen from its start (it does not
 * take a command) until the cgroup is thawed, and then goes on as it was.
 * An fd that is not of a cgroup fails the restart, leaving nothing.
 */
TEST_F_TIMEOUT(st, restart_into_frozen_cgroup, 120)
{
	char procs[256], want[32], why[8192];
	int cgfd, before;
	struct report r;
	long pid;

	st_spawn(_metadata, self, &sc_plain);
	ASSERT_EQ(0, ckpt_cg_freeze(self->cg));
	ASSERT_EQ(0, sys_checkpoint(self->orig, self->img, 0, self->log[1])) {
		TH_LOG("checkpoint: %s; log: \"%s\"", strerror(errno),
		       st_log(self));
	}
	kill_orig(_metadata, self);
	/* The cgroup stays frozen, empty. */
	ASSERT_TRUE(ckpt_cg_event(self->cg, "frozen 1"));

	/* Not a cgroup: the image's own fd. */
	before = ckpt_nr_processes();
	ASSERT_EQ(0, lseek(self->img, 0, SEEK_SET));
	pid = sys_restart(self->img, self->img, RESTART_INTO_CGROUP,
			  self->log[1]);
	if (pid > 0)
		track(self, pid);
	ASSERT_EQ(-1, pid) {
		TH_LOG("restart into a memfd as a cgroup succeeded");
	}
	st_log(self);
	nothing_left(_metadata, before);

	cgfd = open(self->cg, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_LE(0, cgfd);
	self->logbuf[0] = '\0';
	ASSERT_EQ(0, lseek(self->img, 0, SEEK_SET));
	pid = sys_restart(cgfd, self->img, RESTART_INTO_CGROUP, self->log[1]);
	close(cgfd);
	ASSERT_LT(0, pid) {
		TH_LOG("restart into %s: %s; log: \"%s\"", self->cg,
		       strerror(errno), st_log(self));
	}
	track(self, pid);
	ASSERT_STREQ("", st_log(self));
	ASSERT_EQ(1, ckpt_inner_pid(pid));
	ASSERT_EQ(0, ckpt_cg_read(self->cg, "cgroup.procs", procs,
				  sizeof(procs)));
	snprintf(want, sizeof(want), "%ld\n", pid);
	ASSERT_STREQ(want, procs);

	/* Frozen: the command waits. */
	command(_metadata, pid, 'v');
	ckpt_sleep_ms(1500);
	ASSERT_EQ(self->nr_reports, read_reports(self)) {
		TH_LOG("the restored task ran in a frozen cgroup");
	}
	ASSERT_TRUE(ckpt_cg_event(self->cg, "frozen 1"));

	/* Thawed: it takes it, and sees what the original saw. */
	ASSERT_EQ(0, ckpt_cg_thaw(self->cg));
	next_report(_metadata, self, R_VIEW, 20000, &r);
	ASSERT_EQ(NULL, view_diff(&self->pre.v, &r.v, 0, 0, 0, why,
				  sizeof(why))) {
		TH_LOG("what the restored task sees of itself differs: %s", why);
	}
	reap(self, pid);
}

/* ------------------------------------------------------------------ */
/* checkpoint(2) refused: fds of kinds it cannot save, CPU-time timers */

FIXTURE(refuse) {
	pid_t owner;
	char cg[PATH_MAX];
	struct ckpt_target t;
	char path[PATH_MAX];	/* a file to remove, or "" */
	int img;
	int log[2];
	char logbuf[4096];
};

FIXTURE_SETUP(refuse)
{
	self->owner = getpid();
	ckpt_target_init(&self->t);
	self->cg[0] = self->path[0] = '\0';
	self->img = memfd_create("ckpt-refuse", MFD_CLOEXEC);
	ASSERT_LE(0, self->img);
	ASSERT_EQ(0, ckpt_log_pipe(self->log));
	ASSERT_EQ(0, ckpt_cg_create(self->cg, sizeof(self->cg)));
}

FIXTURE_TEARDOWN_PARENT(refuse)
{
	if (getpid() == self->owner)
		ckpt_target_kill(&self->t);
	if (self->path[0])
		unlink(self->path);
	EXPECT_EQ(0, ckpt_cg_destroy(self->cg));
}

/* The fd every refusal hook opens its object at. */
#define REFUSED_FD	40

/* What a refusal hook reports: 0, or the errno of a missing feature. */
struct refuse_info {
	int missing;
};

static int refuse_fd(struct ckpt_target_hello *hello, int fd)
{
	struct refuse_info *info = (void *)hello->info;

	if (fd < 0) {
		info->missing = errno;
		return errno == ENOSYS || errno == EINVAL ? 0 : -1;
	}
	return tmove(fd, REFUSED_FD, false);
}

static int socket_hook(void *arg, struct ckpt_target_hello *hello)
{
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		return refuse_fd(hello, -1);
	close(sv[1]);
	return refuse_fd(hello, sv[0]);
}

static int eventfd_hook(void *arg, struct ckpt_target_hello *hello)
{
	return refuse_fd(hello, eventfd(3, 0));
}

/* An epoll file (REFUSED_FD + 1) that watches another (REFUSED_FD). */
static int epoll_nested_hook(void *arg, struct ckpt_target_hello *hello)
{
	struct epoll_event ev = { .events = EPOLLIN };

	if (tmove(epoll_create1(0), REFUSED_FD, false) ||
	    tmove(epoll_create1(0), REFUSED_FD + 1, false) ||
	    epoll_ctl(REFUSED_FD + 1, EPOLL_CTL_ADD, REFUSED_FD, &ev))
		return -1;
	return 0;
}

/*
 * An epoll file whose item's fd (REFUSED_FD, a pipe's read end) was
 * closed while its file stays open (a dup at REFUSED_FD + 2): the item
 * stays, keyed by an fd that is not its file's.  @arg: another file is
 * opened at the fd then (/dev/null), or not.
 */
static int epoll_closed_hook(void *arg, struct ckpt_target_hello *hello)
{
	struct epoll_event ev = { .events = EPOLLIN };
	int p[2];

	if (pipe(p) || tmove(p[0], REFUSED_FD, false) ||
	    tmove(p[1], REFUSED_FD + 3, false) ||
	    tmove(epoll_create1(0), REFUSED_FD + 1, false) ||
	    epoll_ctl(REFUSED_FD + 1, EPOLL_CTL_ADD, REFUSED_FD, &ev) ||
	    dup2(REFUSED_FD, REFUSED_FD + 2) != REFUSED_FD + 2 ||
	    close(REFUSED_FD))
		return -1;
	if (arg && tmove(open("/dev/null", O_RDONLY), REFUSED_FD, false))
		return -1;
	return 0;
}

/* /dev/ptmx on fd 0, a device that restart does not open. */
static int ptmx_stdin_hook(void *arg, struct ckpt_target_hello *hello)
{
	int fd = open("/dev/ptmx", O_RDWR | O_NOCTTY);

	if (fd < 0 && errno == ENOENT)
		errno = ENOSYS;
	if (fd < 0)
		return refuse_fd(hello, fd);
	return tmove(fd, 0, false);
}

static int timerfd_hook(void *arg, struct ckpt_target_hello *hello)
{
	return refuse_fd(hello, timerfd_create(CLOCK_MONOTONIC, 0));
}

static int signalfd_hook(void *arg, struct ckpt_target_hello *hello)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	return refuse_fd(hello, signalfd(-1, &set, 0));
}

static int inotify_hook(void *arg, struct ckpt_target_hello *hello)
{
	return refuse_fd(hello, inotify_init1(0));
}

static int unlinked_hook(void *arg, struct ckpt_target_hello *hello)
{
	int fd = open(arg, O_RDWR);

	if (fd < 0 || unlink(arg))
		return -1;
	return refuse_fd(hello, fd);
}


/* The clock of a timer whose clock is the target's own CPU clock */
#define OWN_CPU_CLOCK	(-1000)

/*
 * A POSIX timer on clock *@arg, after one on CLOCK_MONOTONIC (which
 * checkpoint saves): a clock of CPU time, or an alarm clock.  If the
 * kernel makes none (no RTC for alarms, not the capability), the test
 * is skipped with its reason.
 */
static int posix_timer_hook(void *arg, struct ckpt_target_hello *hello)
{
	struct refuse_info *info = (void *)hello->info;
	struct sigevent sev = { .sigev_notify = SIGEV_NONE };
	clockid_t clock = *(clockid_t *)arg;
	int timer;

	if (syscall(SYS_timer_create, CLOCK_MONOTONIC, &sev, &timer))
		return -1;
	if (clock == OWN_CPU_CLOCK && clock_getcpuclockid(getpid(), &clock))
		return -1;
	if (syscall(SYS_timer_create, clock, &sev, &timer)) {
		info->missing = errno;
		return errno == ENOSYS || errno == EOPNOTSUPP ||
		       errno == ENOTSUP || errno == EPERM ||
		       errno == EINVAL ? 0 : -1;
	}
	return 0;
}

/*
 * Checkpoint of the target with the hook's object fails with EOPNOTSUPP,
 * one line naming the kind (one of @kinds) and, for an fd, the fd; the
 * target stays frozen, and once thawed it runs on.
 */
static void refused(struct __test_metadata *_metadata,
		    FIXTURE_DATA(refuse) *self, ckpt_target_fn hook, void *arg,
		    const char *const *kinds, bool is_fd)
{
	struct refuse_info info;
	const char *why;
	bool named = false;
	char want[32];
	long ret;
	int err;

	ASSERT_EQ(0, ckpt_target_spawn_with(&self->t, self->cg, 0, hook, arg)) {
		TH_LOG("cannot start the target");
	}
	memcpy(&info, self->t.info, sizeof(info));
	if (info.missing)
		SKIP(return, "not in this kernel: %s", strerror(info.missing));
	ASSERT_EQ(0, ckpt_cg_freeze(self->cg));

	/* (its pipes to the test: external files) */
	ret = sys_checkpoint(self->t.pid, self->img, CKPT_TARGET_CHECKPOINT,
			     self->log[1]);
	err = errno;
	ckpt_log_read(self->log[0], self->logbuf, sizeof(self->logbuf));
	ASSERT_EQ(-1, ret) {
		TH_LOG("checkpoint succeeded; log: \"%s\"", self->logbuf);
	}
	ASSERT_EQ(EOPNOTSUPP, err) {
		TH_LOG("checkpoint: %s; log: \"%s\"", strerror(err),
		       self->logbuf);
	}
	why = log_lines_problem(self->logbuf, "checkpoint");
	ASSERT_EQ(NULL, why) {
		TH_LOG("%s; log: \"%s\"", why, self->logbuf);
	}
	named = log_names(self->logbuf, kinds);
	ASSERT_TRUE(named) {
		TH_LOG("the log does not name the kind (%s...): \"%s\"",
		       kinds[0], self->logbuf);
	}
	snprintf(want, sizeof(want), "fd %d", REFUSED_FD);
	if (is_fd) {
		ASSERT_NE(NULL, strstr(self->logbuf, want)) {
			TH_LOG("the log does not name %s: \"%s\"", want,
			       self->logbuf);
		}
	}

	/* As it was: still frozen; thawed, it answers. */
	ASSERT_TRUE(ckpt_cg_event(self->cg, "frozen 1"));
	ASSERT_TRUE(ckpt_target_alive(&self->t));
	ASSERT_EQ(0, ckpt_cg_thaw(self->cg));
	ASSERT_EQ(0, ckpt_target_ping(&self->t, 10000)) {
		TH_LOG("the target does not answer after the thaw");
	}
}

TEST_F(refuse, socket)
{
	refused(_metadata, self, socket_hook, NULL, KINDS("socket"), true);
}

TEST_F(refuse, eventfd)
{
	refused(_metadata, self, eventfd_hook, NULL, KINDS("eventfd"), true);
}

/*
 * Epoll is saved (state_test's st.epoll), but not an epoll file that
 * watches another, or an item whose fd is no longer its file's.
 */
TEST_F(refuse, epoll_nested)
{
	refused(_metadata, self, epoll_nested_hook, NULL,
		KINDS("which watches another epoll file"), true);
}

TEST_F(refuse, epoll_item_fd_closed)
{
	refused(_metadata, self, epoll_closed_hook, NULL,
		KINDS("which is not open as the file it watches"), true);
}

TEST_F(refuse, epoll_item_fd_reused)
{
	refused(_metadata, self, epoll_closed_hook, "reused",
		KINDS("which is not open as the file it watches"), true);
}

TEST_F(refuse, timerfd)
{
	refused(_metadata, self, timerfd_hook, NULL, KINDS("timerfd"), true);
}

TEST_F(refuse, signalfd)
{
	refused(_metadata, self, signalfd_hook, NULL, KINDS("signalfd"), true);
}

TEST_F(refuse, inotify)
{
	refused(_metadata, self, inotify_hook, NULL, KINDS("inotify"), true);
}

TEST_F(refuse, unlinked_file)
{
	char path[PATH_MAX];
	int fd;

	snprintf(self->path, sizeof(self->path),
		 "/tmp/ckpt-refuse-unlinked.%d", (int)getpid());
	fd = open(self->path, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0600);
	ASSERT_LE(0, fd);
	close(fd);
	/* The hook gets a copy at fork(): not the shared fixture data. */
	snprintf(path, sizeof(path), "%s", self->path);
	refused(_metadata, self, unlinked_hook, path,
		KINDS("unlinked", "deleted"), true);
}

/*
 * A device that restart does not open (/dev/ptmx, on fd 0): refused
 * without CHECKPOINT_EXTERNAL, naming it; with it, an external file at fd
 * 0, read-write, named by its path.
 */
TEST_F(refuse, ptmx)
{
	struct refuse_info info;
	struct ckpt_model m;
	const struct ckpt_m_file *f;
	char link[PATH_MAX], path[64];
	uint8_t *buf;
	size_t len;
	ssize_t n;
	long ret;
	int err;

	ASSERT_EQ(0, ckpt_target_spawn_with(&self->t, self->cg, 0,
					    ptmx_stdin_hook, NULL));
	memcpy(&info, self->t.info, sizeof(info));
	if (info.missing)
		SKIP(return, "no /dev/ptmx: %s", strerror(info.missing));
	ASSERT_EQ(0, ckpt_cg_freeze(self->cg));
	snprintf(path, sizeof(path), "/proc/%d/fd/0", (int)self->t.pid);
	n = readlink(path, link, sizeof(link) - 1);
	ASSERT_LT(0, n);
	link[n] = '\0';

	ret = sys_checkpoint(self->t.pid, self->img, 0, self->log[1]);
	err = errno;
	ckpt_log_read(self->log[0], self->logbuf, sizeof(self->logbuf));
	ASSERT_EQ(-1, ret);
	ASSERT_EQ(EOPNOTSUPP, err) {
		TH_LOG("checkpoint: %s; log: \"%s\"", strerror(err),
		       self->logbuf);
	}
	ASSERT_EQ(NULL, log_lines_problem(self->logbuf, "checkpoint"));
	ASSERT_TRUE(log_names(self->logbuf,
			      KINDS("a terminal or device that restart does not open (CHECKPOINT_EXTERNAL saves it as an external file)"))) {
		TH_LOG("log: \"%s\"", self->logbuf);
	}
	ASSERT_NE(NULL, strstr(self->logbuf, link));
	ASSERT_NE(NULL, strstr(self->logbuf, "fd 0:"));
	ASSERT_EQ(0, ckpt_size(self->img));

	ASSERT_EQ(0, sys_checkpoint(self->t.pid, self->img,
				    CHECKPOINT_EXTERNAL, self->log[1]));
	ASSERT_EQ(0, ckpt_read_image_at(self->img, 0, &buf, &len));
	ASSERT_EQ(0, ckpt_model_build(&m, buf, len)) {
		TH_LOG("%s", m.why);
	}
	f = ckpt_m_fd_file(&m, &m.tasks[0], 0);
	ASSERT_NE(NULL, f);
	ASSERT_EQ((uint32_t)CKPT_FILE_EXTERNAL, f->rec->type);
	ASSERT_EQ((uint32_t)O_RDWR, f->rec->f_flags);
	ASSERT_EQ(0U, f->rec->fd);
	ASSERT_STREQ(link, f->path);
	ckpt_model_free(&m);
	free(buf);
	ASSERT_EQ(0, ckpt_cg_thaw(self->cg));
	ASSERT_EQ(0, ckpt_target_ping(&self->t, 10000));
}

/*
 * POSIX timers on clocks of CPU time (the process's, a thread's, one of
 * clock_getcpuclockid(3)), on alarm clocks (with an RTC only): refused,
 * the log names the timer.
 */
TEST_F(refuse, posix_timer_process_cputime)
{
	clockid_t clock = CLOCK_PROCESS_CPUTIME_ID;

	refused(_metadata, self, posix_timer_hook, &clock, KINDS("timer"),
		false);
}

TEST_F(refuse, posix_timer_thread_cputime)
{
	clockid_t clock = CLOCK_THREAD_CPUTIME_ID;

	refused(_metadata, self, posix_timer_hook, &clock, KINDS("timer"),
		false);
}

TEST_F(refuse, posix_timer_own_cpu_clock)
{
	clockid_t clock = OWN_CPU_CLOCK;

	refused(_metadata, self, posix_timer_hook, &clock, KINDS("timer"),
		false);
}

TEST_F(refuse, posix_timer_realtime_alarm)
{
	clockid_t clock = CLOCK_REALTIME_ALARM;

	refused(_metadata, self, posix_timer_hook, &clock, KINDS("timer"),
		false);
}

TEST_F(refuse, posix_timer_boottime_alarm)
{
	clockid_t clock = CLOCK_BOOTTIME_ALARM;

	refused(_metadata, self, posix_timer_hook, &clock, KINDS("timer"),
		false);
}

TEST_HARNESS_MAIN
