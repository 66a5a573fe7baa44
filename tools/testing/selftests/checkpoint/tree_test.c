// SPDX-License-Identifier: GPL-2.0
/*
 * Whole trees of processes through the cycle (format version 4), in the
 * manner of CRIU's ZDTM: a container (a new pid namespace in a cgroup of
 * its own) builds a tree, each of its processes reports what it sees of
 * itself, the cgroup is frozen (the cgroup v2 freezer) and what /proc
 * shows of every task is taken; the tree is checkpointed (into a memfd,
 * or through a pipe into a restart(2) that runs meanwhile), the original
 * is killed, and restart(2) rebuilds it in another cgroup
 * (RESTART_INTO_CGROUP).  Then /proc must show the same tree (every pid
 * and tid in the restored pid namespace, parents, process groups,
 * sessions, exit signals, zombies, stops, fds, blocked and pending
 * signals of each thread), every process must see the same of itself,
 * and the tree must go on working:
 *
 *   groups    a tree several levels deep: sessions and process groups,
 *             one of each whose leader exited, another exit signal
 *             (a parent told by SIGUSR2, which reaps with __WALL)
 *   zombies   children that exited or were killed and are not reaped:
 *             waitable after the restart with the same status
 *   pipes     pipes whose ends are in different processes, with data
 *             in them, O_NONBLOCK and F_SETPIPE_SZ; a file whose offset
 *             a parent and its child share
 *   sharing   fd tables shared with CLONE_FILES, fs with CLONE_FS
 *   threads   pthreads computing, blocked in pthread_mutex_lock(),
 *             pthread_cond_wait(), pthread_join(), with their own
 *             masks, a pending signal of their own (pthread_kill()),
 *             TLS (__thread) values
 *   big       200 processes and more than 2000 fds
 *   stopped   processes stopped by SIGSTOP and SIGTSTP (one stop seen
 *             by its parent's wait, one not): stopped after the
 *             restart, they go on at SIGCONT
 *   thread_timer  a periodic POSIX timer (SIGEV_THREAD_ID) whose signal
 *             is pending for a thread that is not its process's first,
 *             with overruns: pending there after the restart, taken
 *             with its overruns, and the timer goes on
 *   sysv_ipc  SysV shared memory (one segment removed while attached,
 *             one attached read-only too), semaphores and messages in
 *             the container's own IPC namespace
 *   sem_undo  SEM_UNDO adjustments of a process and its thread
 *   mqueues   POSIX message queues, with messages of several priorities,
 *             open in two processes, and one that no fd holds
 *   fifos     a FIFO open read-write, write-only, read-only and
 *             non-blocking in three processes, with data in it
 *   shared_memory  anonymous memory and a memfd mapped shared by three
 *             processes (one maps a part): one object each in the
 *             image, shared again after the restart; memory shared
 *             copy-on-write stays each process's own
 *
 * and the refusals: checkpoint of a thread group leader that exited
 * while its threads live on, of shared anonymous memory that a process
 * outside maps too, of a FIFO that a process outside has open, of
 * SEM_UNDO adjustments that two processes share, of a SysV segment
 * attached in part or of another IPC namespace, of a message queue with
 * a notification registered; restart
 * of a FIFO that another process has open, or whose path is gone or
 * another file; restart (dry run and not) of images that
 * no checkpoint writes, crafted with the builder of ckpt_util.h: a
 * parent that is not a live process before its child, a pid twice, a
 * thread whose leader is a zombie, negative process groups and sessions,
 * a process group in two sessions.
 *
 * The processes of a container are forks of this static, non-PIE
 * program.  Each serves commands, which the test sends with sigqueue()
 * (a real-time signal the process blocks and takes with sigwaitinfo()),
 * and writes its reports, records of a fixed size, into a report file of
 * a scratch directory that the container's init opened (O_APPEND) and
 * all its descendants share: one struct file, restored shared.
 */
#define _GNU_SOURCE
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wclobbered"
#include "kselftest_harness.h"

#include <mqueue.h>
#include <semaphore.h>
#include <sys/ioctl.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>

#include "ckpt_util.h"

/* ------------------------------------------------------------------ */
/* What the container's processes and the test share                  */

#define CMD_SIG		40	/* commands: blocked, taken by sigwaitinfo() */
#define REPORT_FD	200	/* the report file, O_APPEND, shared by all */
#define MAX_TASKS	1024
#define REPORT_MAGIC	0x3150455245455254ULL	/* "TREEREP1" */

enum rep_kind {
	R_READY = 1,	/* set up: waits for commands */
	R_REPLY,	/* the answer to a command */
	R_ERROR,	/* a setup failed: @msg says where */
};

struct trep {
	uint64_t magic;
	int32_t kind;
	int32_t seq;		/* of the command answered */
	int32_t role;
	int32_t ok;		/* the command's own checks passed */
	int32_t pid, ppid, pgid, sid;	/* as the process sees them */
	int64_t ncmds;		/* commands it took (memory goes on) */
	int64_t val[8];
	char msg[96];
};

/* Commands: the low 16 bits of the value, the sequence above, an argument. */
enum cmd {
	C_REPORT = 1,	/* ids and counter */
	C_EXIT,		/* _exit(arg) */
	C_REAP,		/* waitpid(arg, __WALL): val[0] pid, val[1] status */
	C_WAITSTOP,	/* waitpid(arg, WUNTRACED | WNOHANG) */
	C_WAITCONT,	/* waitpid(arg, WCONTINUED | WNOHANG) */
	C_SCENARIO,	/* the scenario's own: arg says which */
};

/* ------------------------------------------------------------------ */
/* Inside the container                                                */

static int my_role;
static int64_t my_ncmds;
static int (*my_handler)(int arg, struct trep *r);
static int my_sync = -1;	/* the write end of its own "ready" pipe */

static void rep_fill(struct trep *r, enum rep_kind kind, int seq)
{
	memset(r, 0, sizeof(*r));
	r->magic = REPORT_MAGIC;
	r->kind = kind;
	r->seq = seq;
	r->role = my_role;
	r->ok = 1;
	r->pid = getpid();
	r->ppid = getppid();
	r->pgid = getpgrp();
	r->sid = getsid(0);
	r->ncmds = my_ncmds;
}

static void rep_write(struct trep *r)
{
	/* One write of a record, O_APPEND: never mixed with another's. */
	if (write(REPORT_FD, r, sizeof(*r)) != sizeof(*r))
		_exit(90);
}

__attribute__((format(printf, 1, 2)))
static __attribute__((noreturn)) void tfail(const char *fmt, ...)
{
	struct trep r;
	va_list ap;

	rep_fill(&r, R_ERROR, 0);
	r.ok = 0;
	va_start(ap, fmt);
	vsnprintf(r.msg, sizeof(r.msg), fmt, ap);
	va_end(ap);
	rep_write(&r);
	_exit(91);
}

__attribute__((format(printf, 2, 3)))
static int rfail(struct trep *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->msg, sizeof(r->msg), fmt, ap);
	va_end(ap);
	r->ok = 0;
	return 0;
}

/* A generic command, or the handler's. */
static void serve(siginfo_t *si)
{
	uint64_t v = (uint64_t)(uintptr_t)si->si_value.sival_ptr;
	int seq = (int)(v >> 48), cmd = (int)((v >> 32) & 0xffff);
	int arg = (int)(uint32_t)v;
	struct trep r;
	int status = 0;
	pid_t got;

	my_ncmds++;
	rep_fill(&r, R_REPLY, seq);
	switch (cmd) {
	case C_REPORT:
		break;
	case C_EXIT:
		_exit(arg);
	case C_REAP:
		got = waitpid(arg, &status, __WALL);
		r.val[0] = got;
		r.val[1] = status;
		r.val[2] = got < 0 ? errno : 0;
		break;
	case C_WAITSTOP:
	case C_WAITCONT:
		got = waitpid(arg, &status, WNOHANG | __WALL |
			      (cmd == C_WAITSTOP ? WUNTRACED : WCONTINUED));
		r.val[0] = got;
		r.val[1] = status;
		r.val[2] = got < 0 ? errno : 0;
		break;
	case C_SCENARIO:
		r.val[7] = arg;
		if (!my_handler)
			rfail(&r, "no handler for command %d", arg);
		else
			my_handler(arg, &r);
		break;
	default:
		rfail(&r, "unknown command %d", cmd);
	}
	rep_write(&r);
}

/* Serve commands for ever (CMD_SIG is blocked since the init's start). */
static __attribute__((noreturn)) void agent(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, CMD_SIG);
	for (;;) {
		siginfo_t si;

		/* EINTR: a freeze (and a thaw, or a restart) interrupted it */
		if (sigwaitinfo(&set, &si) == CMD_SIG)
			serve(&si);
	}
}

static void say_ready(void)
{
	struct trep r;

	rep_fill(&r, R_READY, 0);
	rep_write(&r);
}

/*
 * Create a process of role @role with raw clone(@flags | @exit_signal)
 * (a fork with another exit signal, CLONE_FILES, CLONE_FS...) that runs
 * @setup (which may create more), says it is ready, and serves commands;
 * or, with @no_agent, returns from @setup's value to _exit().  The
 * caller waits until it is set up.  Its pid, or -1.
 */
static pid_t spawn(int role, int (*setup)(void), unsigned long flags,
		   int exit_signal)
{
	int sync[2];
	pid_t pid;
	char c;

	if (pipe2(sync, O_CLOEXEC))
		return -1;
	pid = syscall(SYS_clone, flags | (unsigned long)exit_signal, 0, 0, 0, 0);
	if (pid == 0) {
		/*
		 * Not its creator's fds: its creator's own "ready" pipe (it
		 * is being set up too), this one's read end.  With
		 * CLONE_FILES, they are its creator's too: its creator
		 * closes them.
		 */
		if (!(flags & CLONE_FILES)) {
			if (my_sync >= 0)
				close(my_sync);
			close(sync[0]);
		}
		my_sync = sync[1];
		my_role = role;
		my_handler = NULL;
		if (setup && setup())
			tfail("role %d: setup failed: %s", role, strerror(errno));
		say_ready();
		if (write(sync[1], "r", 1) != 1)
			_exit(92);
		if (!(flags & CLONE_FILES))
			close(sync[1]);
		my_sync = -1;
		agent();
	}
	if (!(flags & CLONE_FILES))
		close(sync[1]);
	if (pid > 0 && read(sync[0], &c, 1) != 1)
		pid = -1;
	if (flags & CLONE_FILES)
		close(sync[1]);
	close(sync[0]);
	return pid;
}

static pid_t spawn_fork(int role, int (*setup)(void))
{
	return spawn(role, setup, 0, SIGCHLD);
}

/* A child that dies at once: exits with @code, or is killed by @sig. */
static pid_t spawn_dying(int exit_signal, int code, int sig)
{
	pid_t pid = syscall(SYS_clone, (unsigned long)exit_signal, 0, 0, 0, 0);
	siginfo_t si;

	if (pid == 0) {
		if (sig)
			kill(getpid(), sig);
		_exit(code);
	}
	/* Dead, and left a zombie. */
	if (pid < 0 || waitid(P_PID, pid, &si, WEXITED | WNOWAIT | __WALL))
		return -1;
	return pid;
}

/*
 * The container's init: in cgroup @cg, with none of the test's shared
 * mappings or fds, /dev/null on 0-2, the report file at REPORT_FD, CMD_SIG
 * blocked; it runs the scenario's @setup and serves commands.
 */
static __attribute__((noreturn)) void init_main(const char *cg,
						const char *report,
						int (*setup)(void))
{
	char path[PATH_MAX];
	sigset_t set;
	int fd;

	snprintf(path, sizeof(path), "%s", report);
	if (ckpt_cg_write(cg, "cgroup.procs", "0"))
		_exit(80);
	if (ckpt_unmap_shared())
		_exit(81);
	ckpt_close_fds_except(-1, -1);
	if (ckpt_stdio_devnull())
		_exit(82);
	fd = open(path, O_WRONLY | O_APPEND);
	if (fd < 0 || dup2(fd, REPORT_FD) != REPORT_FD || close(fd))
		_exit(83);
	sigemptyset(&set);
	sigaddset(&set, CMD_SIG);
	if (sigprocmask(SIG_SETMASK, &set, NULL))
		_exit(84);
	signal(SIGPIPE, SIG_DFL);
	my_role = 1;
	if (setup && setup())
		tfail("the init's setup failed: %s", strerror(errno));
	say_ready();
	agent();
}

/* ------------------------------------------------------------------ */
/* The test: /proc of a pid namespace                                  */

struct ptask {
	pid_t host;		/* tid in the test's pid namespace */
	pid_t pid;		/* in the container's */
	pid_t tgid, ppid, pgid, sid;
	char state;		/* Z, T, or - for any other */
	int exit_signal;
	int nfds;		/* of a process, -1 for a thread */
	uint64_t sigblk, sigpnd;
	char comm[32];
};

struct psnap {
	int n;
	struct ptask t[MAX_TASKS];
};

static struct psnap snap_pre, snap_post;

/* The last number of a "Name:\tn\tn..." line of a status file, or -1. */
static long status_last(const char *buf, const char *name)
{
	const char *p = strstr(buf, name);
	long v = -1;
	char *end;

	if (!p)
		return -1;
	p += strlen(name);
	for (;;) {
		long x = strtol(p, &end, 10);

		if (end == p)
			break;
		v = x;
		p = end;
	}
	return v;
}

static uint64_t status_hex(const char *buf, const char *name)
{
	const char *p = strstr(buf, name);

	return p ? strtoull(p + strlen(name), NULL, 16) : ~0ULL;
}

static int count_fds(pid_t pid)
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

static int read_task(pid_t pid, pid_t tid, struct ptask *t)
{
	char path[96], buf[4096], stat[64];
	long long f[64];
	const char *st;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/status", (int)pid,
		 (int)tid);
	n = ckpt_read_file(path, buf, sizeof(buf) - 1);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	memset(t, 0, sizeof(*t));
	t->host = tid;
	t->pid = status_last(buf, "NSpid:");
	t->tgid = status_last(buf, "NStgid:");
	t->pgid = status_last(buf, "NSpgid:");
	t->sid = status_last(buf, "NSsid:");
	t->ppid = status_last(buf, "PPid:");	/* a host pid, for now */
	t->sigblk = status_hex(buf, "SigBlk:");
	t->sigpnd = status_hex(buf, "SigPnd:");
	st = strstr(buf, "State:");
	t->state = st && (st[7] == 'Z' || st[7] == 'T') ? st[7] : '-';
	sscanf(strstr(buf, "Name:") ? strstr(buf, "Name:") : "Name: ?",
	       "Name: %31s", t->comm);
	snprintf(stat, sizeof(stat), "/proc/%d/task/%d/stat", (int)pid,
		 (int)tid);
	if (ckpt_proc_stat_path(stat, f) < 38)
		return -1;
	t->exit_signal = (int)f[38];
	t->nfds = pid == tid && t->state != 'Z' ? count_fds(pid) : -1;
	return 0;
}

static int cmp_ptask(const void *a, const void *b)
{
	const struct ptask *x = a, *y = b;

	return x->pid - y->pid;
}

/*
 * Every task of the pid namespace of @init (a host pid), by its pid in
 * there, with its parent's pid in there (0 outside).
 */
static int snap_take(pid_t init, struct psnap *s)
{
	char path[64];
	struct stat ns;
	struct dirent *de;
	DIR *dir;

	s->n = 0;
	snprintf(path, sizeof(path), "/proc/%d/ns/pid", (int)init);
	if (stat(path, &ns))
		return -1;
	dir = opendir("/proc");
	if (!dir)
		return -1;
	while ((de = readdir(dir))) {
		struct stat st;
		struct dirent *te;
		DIR *tdir;
		pid_t pid;

		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		pid = atoi(de->d_name);
		snprintf(path, sizeof(path), "/proc/%d/ns/pid", (int)pid);
		if (stat(path, &st) || st.st_ino != ns.st_ino ||
		    st.st_dev != ns.st_dev)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
		tdir = opendir(path);
		if (!tdir)
			continue;
		while ((te = readdir(tdir))) {
			if (te->d_name[0] < '1' || te->d_name[0] > '9')
				continue;
			if (s->n == MAX_TASKS ||
			    read_task(pid, atoi(te->d_name), &s->t[s->n])) {
				closedir(tdir);
				closedir(dir);
				return -1;
			}
			s->n++;
		}
		closedir(tdir);
	}
	closedir(dir);
	/* Parents by their pid in the namespace (0: outside). */
	for (int i = 0; i < s->n; i++) {
		pid_t host = s->t[i].ppid;

		s->t[i].ppid = 0;
		for (int k = 0; k < s->n; k++)
			if (s->t[k].host == host)
				s->t[i].ppid = s->t[k].pid;
	}
	qsort(s->t, s->n, sizeof(s->t[0]), cmp_ptask);
	return 0;
}

static const struct ptask *snap_find(const struct psnap *s, pid_t pid)
{
	for (int i = 0; i < s->n; i++)
		if (s->t[i].pid == pid)
			return &s->t[i];
	return NULL;
}

static pid_t host_of(const struct psnap *s, pid_t pid)
{
	const struct ptask *t = snap_find(s, pid);

	return t ? t->host : -1;
}

/* What differs between two views of one tree, or NULL. */
static const char *snap_diff(const struct psnap *a, const struct psnap *b,
			     char *why, size_t size)
{
	if (a->n != b->n) {
		snprintf(why, size, "%d tasks, then %d", a->n, b->n);
		return why;
	}
	for (int i = 0; i < a->n; i++) {
		const struct ptask *x = &a->t[i], *y = &b->t[i];

		if (x->pid != y->pid || x->tgid != y->tgid ||
		    x->ppid != y->ppid || x->pgid != y->pgid ||
		    x->sid != y->sid || x->state != y->state ||
		    x->exit_signal != y->exit_signal ||
		    strcmp(x->comm, y->comm)) {
			snprintf(why, size, "task %d (%s): tgid %d/%d, parent %d/%d, group %d/%d, session %d/%d, state %c/%c, exit signal %d/%d, name %s/%s",
				 x->pid, x->comm, x->tgid, y->tgid, x->ppid,
				 y->ppid, x->pgid, y->pgid, x->sid, y->sid,
				 x->state, y->state, x->exit_signal,
				 y->exit_signal, x->comm, y->comm);
			return why;
		}
		/* (A zombie's masks are in no image: it has no state.) */
		if (x->nfds != y->nfds ||
		    (x->state != 'Z' && (x->sigblk != y->sigblk ||
					 x->sigpnd != y->sigpnd))) {
			snprintf(why, size, "task %d (%s): %d/%d fds, blocked 0x%llx/0x%llx, pending 0x%llx/0x%llx",
				 x->pid, x->comm, x->nfds, y->nfds,
				 (unsigned long long)x->sigblk,
				 (unsigned long long)y->sigblk,
				 (unsigned long long)x->sigpnd,
				 (unsigned long long)y->sigpnd);
			return why;
		}
	}
	return NULL;
}

/* ------------------------------------------------------------------ */
/* The fixture                                                         */

enum transport { T_FILE, T_PIPE };

/* More namespaces for the next container (CLONE_NEWIPC...) */
static unsigned long tree_clone_flags;

FIXTURE(tree) {
	char cg[PATH_MAX];	/* the original's */
	char cg_rst[PATH_MAX];	/* the restored tree's */
	char dir[256];		/* scratch */
	char report[PATH_MAX];
	int rep;		/* the report file, read here */
	off_t rep_off;		/* how far */
	pid_t orig, restored;	/* the inits, host pids */
	int img;		/* a memfd */
	int log[2];
	char logbuf[4096];
	int seq;
	bool restored_now;	/* commands go to the restored tree */
};

FIXTURE_SETUP(tree)
{
	int fd;

	self->cg[0] = self->cg_rst[0] = self->dir[0] = '\0';
	self->orig = self->restored = 0;
	self->rep_off = 0;
	self->seq = 0;
	self->restored_now = false;
	tree_clone_flags = 0;
	ASSERT_EQ(0, ckpt_log_pipe(self->log));
	self->img = memfd_create("ckpt-tree", MFD_CLOEXEC);
	ASSERT_LE(0, self->img);
	snprintf(self->dir, sizeof(self->dir), "/tmp/ckpt-tree.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(self->report, sizeof(self->report), "%s/report", self->dir);
	fd = open(self->report, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0644);
	ASSERT_LE(0, fd);
	close(fd);
	self->rep = open(self->report, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, self->rep);
	ASSERT_EQ(0, ckpt_cg_create(self->cg, sizeof(self->cg)));
	ASSERT_EQ(0, ckpt_cg_create(self->cg_rst, sizeof(self->cg_rst)));
	/* Orphans of a tree that dies come here. */
	ASSERT_EQ(0, prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0));
}

/* In the parent: the test process, and its children, may be gone. */
FIXTURE_TEARDOWN_PARENT(tree)
{
	EXPECT_EQ(0, ckpt_cg_destroy(self->cg));
	EXPECT_EQ(0, ckpt_cg_destroy(self->cg_rst));
	ckpt_rm_tree(self->dir);
}

static const char *tree_log(FIXTURE_DATA(tree) *self)
{
	ckpt_log_read(self->log[0], self->logbuf, sizeof(self->logbuf));
	return self->logbuf;
}

/*
 * Reports come in any order: those read but not taken yet wait in a pool,
 * and are taken by their kind and seq.
 */
#define POOL_MAX	(4 * MAX_TASKS)
static struct trep pool[POOL_MAX];
static int pool_n;

/*
 * Read what the report file holds now into the pool; -1 on a bad one.  A
 * record being written may be seen in part (the file grows a page at a
 * time): it is read again, whole, later.
 */
static int pool_fill(struct __test_metadata *_metadata,
		     FIXTURE_DATA(tree) *self)
{
	for (;;) {
		struct trep r;
		ssize_t n = pread(self->rep, &r, sizeof(r), self->rep_off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n >= 0 && n < (ssize_t)sizeof(r))
			return 0;
		if (n != sizeof(r) || r.magic != REPORT_MAGIC) {
			TH_LOG("a broken report (%zd bytes) at %lld", n,
			       (long long)self->rep_off);
			return -1;
		}
		self->rep_off += n;
		if (r.kind == R_ERROR) {
			TH_LOG("process %d (role %d): %s", r.pid, r.role, r.msg);
			return -1;
		}
		if (pool_n == POOL_MAX) {
			TH_LOG("too many reports not taken");
			return -1;
		}
		pool[pool_n++] = r;
	}
}

/*
 * Take up to @want reports of @kind and @seq into @out, waiting up to @ms
 * for them; how many were taken (-1 on an error report).
 */
static int read_reports(struct __test_metadata *_metadata,
			FIXTURE_DATA(tree) *self, struct trep *out, int want,
			int kind, int seq, long ms)
{
	struct timespec start;
	int got = 0;

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		for (int i = 0; i < pool_n && got < want; ) {
			if (pool[i].kind == kind && pool[i].seq == seq) {
				out[got++] = pool[i];
				pool[i] = pool[--pool_n];
			} else {
				i++;
			}
		}
		if (got == want || ckpt_ms_since(&start) > ms)
			return got;
		if (pool_fill(_metadata, self))
			return -1;
		if (got < want)
			ckpt_sleep_ms(5);
	}
}

/* Start the container: its init runs @setup; wait for @ready reports. */
static void tree_start(struct __test_metadata *_metadata,
		       FIXTURE_DATA(tree) *self, int (*setup)(void),
		       int ready)
{
	static struct trep reps[MAX_TASKS];
	pid_t pid;
	int got;

	fflush(stdout);
	fflush(stderr);
	pid = syscall(SYS_clone, CLONE_NEWPID | tree_clone_flags | SIGCHLD,
		      0, 0, 0, 0);
	if (pid == 0)
		init_main(self->cg, self->report, setup);
	ASSERT_LT(0, pid) {
		TH_LOG("clone(CLONE_NEWPID): %s", strerror(errno));
	}
	self->orig = pid;
	got = read_reports(_metadata, self, reps, ready, R_READY, 0, 120000);
	ASSERT_EQ(ready, got) {
		TH_LOG("%d of %d processes ready", got, ready);
	}
	ASSERT_EQ(1, ckpt_inner_pid(pid));
}

/* The current view of the running tree: the original's or the restored. */
static const struct psnap *cur_snap(FIXTURE_DATA(tree) *self)
{
	return self->restored_now ? &snap_post : &snap_pre;
}

/* Send command @cmd(@arg) to process @pid (in the container); its seq. */
static int send_cmd(struct __test_metadata *_metadata,
		    FIXTURE_DATA(tree) *self, pid_t pid, int cmd, int arg)
{
	pid_t host = host_of(cur_snap(self), pid);
	union sigval v;
	int seq = ++self->seq;

	v.sival_ptr = (void *)(uintptr_t)((uint64_t)seq << 48 |
					  (uint64_t)(cmd & 0xffff) << 32 |
					  (uint32_t)arg);
	if (host <= 0 || sigqueue(host, CMD_SIG, v)) {
		TH_LOG("cannot send command %d to process %d (host %d): %s",
		       cmd, pid, host, strerror(errno));
		return -1;
	}
	return seq;
}

/* Command @cmd(@arg) to @pid, and its answer in @r. */
static void ask(struct __test_metadata *_metadata, FIXTURE_DATA(tree) *self,
		pid_t pid, int cmd, int arg, struct trep *r)
{
	int seq = send_cmd(_metadata, self, pid, cmd, arg);

	ASSERT_LT(0, seq);
	ASSERT_EQ(1, read_reports(_metadata, self, r, 1, R_REPLY, seq,
				  60000)) {
		TH_LOG("process %d does not answer command %d(%d)", pid, cmd,
		       arg);
	}
	ASSERT_EQ(pid, r->pid);
	ASSERT_EQ(1, r->ok) {
		TH_LOG("process %d, command %d(%d): %s", pid, cmd, arg, r->msg);
	}
}

static bool live_process(const struct ptask *t)
{
	return t->pid == t->tgid && t->state != 'Z' && t->state != 'T';
}

/*
 * Every live, running process of the view reports: what it sees of its
 * ids is what /proc shows, and it took @ncmds commands so far.
 */
static void report_round(struct __test_metadata *_metadata,
			 FIXTURE_DATA(tree) *self, int64_t ncmds)
{
	static struct trep reps[MAX_TASKS];
	static int seqs[MAX_TASKS];
	const struct psnap *s = cur_snap(self);
	int n = 0, got = 0;

	for (int i = 0; i < s->n; i++) {
		if (!live_process(&s->t[i]))
			continue;
		seqs[n] = send_cmd(_metadata, self, s->t[i].pid, C_REPORT, 0);
		ASSERT_LT(0, seqs[n]);
		n++;
	}
	/* The answers come in any order: take each by its seq. */
	for (int k = 0; k < n; k++) {
		got = read_reports(_metadata, self, &reps[k], 1, R_REPLY,
				   seqs[k], 60000);
		ASSERT_EQ(1, got) {
			TH_LOG("%d of %d processes answered", k, n);
		}
	}
	for (int k = 0; k < n; k++) {
		const struct trep *r = &reps[k];
		const struct ptask *t = snap_find(s, r->pid);

		ASSERT_NE(NULL, t) {
			TH_LOG("a report of process %d, which /proc does not show",
			       r->pid);
		}
		ASSERT_TRUE(r->ppid == t->ppid && r->pgid == t->pgid &&
			    r->sid == t->sid) {
			TH_LOG("process %d sees parent %d, group %d, session %d; /proc shows %d, %d, %d",
			       r->pid, r->ppid, r->pgid, r->sid, t->ppid,
			       t->pgid, t->sid);
		}
		ASSERT_EQ(ncmds, r->ncmds) {
			TH_LOG("process %d took %lld commands, not %lld",
			       r->pid, (long long)r->ncmds, (long long)ncmds);
		}
	}
}

/*
 * The image against the tree /proc showed, frozen: every task, with its
 * pid, tgid, parent, process group, session, exit signal, zombie or
 * stopped, and in the order of version 4.
 */
static void image_matches(struct __test_metadata *_metadata,
			  const uint8_t *buf, size_t len,
			  const struct psnap *s)
{
	struct ckpt_model m;

	ASSERT_EQ(0, ckpt_model_build(&m, buf, len)) {
		TH_LOG("the image (%zu bytes) breaks the format: %s", len,
		       m.why);
	}
	ASSERT_FALSE(m.old_order);
	ASSERT_EQ((size_t)s->n, m.nr_tasks);
	for (size_t i = 0; i < m.nr_tasks; i++) {
		const struct ckpt_hdr_task *t = m.tasks[i].rec;
		const struct ptask *p = snap_find(s, t->pid);

		ASSERT_NE(NULL, p) {
			TH_LOG("task %d of the image is not in /proc", t->pid);
		}
		ASSERT_TRUE(t->tgid == p->tgid && t->ppid == p->ppid &&
			    t->pgid == p->pgid && t->sid == p->sid &&
			    t->exit_signal == p->exit_signal &&
			    !strcmp(t->comm, p->comm)) {
			TH_LOG("task %d: tgid %d/%d, parent %d/%d, group %d/%d, session %d/%d, exit signal %d/%d, name %s/%s (image/proc)",
			       t->pid, t->tgid, p->tgid, t->ppid, p->ppid,
			       t->pgid, p->pgid, t->sid, p->sid,
			       t->exit_signal, p->exit_signal, t->comm,
			       p->comm);
		}
		ASSERT_EQ(p->state == 'Z', !!(t->flags & CKPT_TASK_ZOMBIE));
		ASSERT_EQ(p->state == 'T', !!(t->flags & CKPT_TASK_STOPPED)) {
			TH_LOG("task %d: state %c, flags 0x%x", t->pid,
			       p->state, t->flags);
		}
		if (p->nfds >= 0) {
			ASSERT_EQ((__u32)p->nfds, t->nr_files);
		}
	}
	ckpt_model_free(&m);
}

/* A thread that writes an image into a pipe. */
struct ckpt_thread {
	pid_t pid;
	int fd, logfd;
	long ret;
	int err;
	uint8_t *copy;		/* what it wrote, for the checks */
	size_t len;
};

/* Checkpoint into a pipe: a thread keeps a copy and passes it on. */
struct relay {
	int in, out;
	uint8_t *buf;
	size_t len, cap;
	bool oom;
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
	c->ret = sys_checkpoint(c->pid, c->fd, 0, c->logfd);
	c->err = errno;
	close(c->fd);
	return NULL;
}

static void *relay_thread(void *arg)
{
	struct relay *r = arg;
	static uint8_t chunk[65536];

	block_alarm();
	for (;;) {
		ssize_t n = read(r->in, chunk, sizeof(chunk));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
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

/* restart(2) from @fd into the cgroup of the restored tree. */
static long restart_into(FIXTURE_DATA(tree) *self, int fd, unsigned int flags)
{
	int cgfd = open(self->cg_rst, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	long pid;

	if (cgfd < 0)
		return -1;
	pid = sys_restart(cgfd, fd, flags | RESTART_INTO_CGROUP, self->log[1]);
	close(cgfd);
	return pid;
}

/* Kill the original tree, all of it, and reap its init. */
static void kill_orig(struct __test_metadata *_metadata,
		      FIXTURE_DATA(tree) *self)
{
	ASSERT_EQ(0, ckpt_cg_write(self->cg, "cgroup.kill", "1"));
	ASSERT_EQ(self->orig, waitpid(self->orig, NULL, 0));
	self->orig = 0;
	ASSERT_EQ(0, ckpt_cg_wait_event(self->cg, "populated 0", 20000));
	ASSERT_EQ(0, ckpt_cg_thaw(self->cg));
}

/*
 * The cycle: freeze and take /proc of the tree, checkpoint (@tr), check
 * the image against it, kill the original, restart into the other
 * cgroup; freeze the restored tree, take /proc of it, thaw it.  It must
 * be the same tree.
 */
static void tree_cycle(struct __test_metadata *_metadata,
		       FIXTURE_DATA(tree) *self, enum transport tr)
{
	char why[1024];
	long pid;
	int err;

	ASSERT_EQ(0, ckpt_cg_freeze(self->cg));
	ASSERT_EQ(0, snap_take(self->orig, &snap_pre));
	ASSERT_LT(0, snap_pre.n);
	tree_log(self);

	if (tr == T_FILE) {
		uint8_t *buf;
		size_t len;
		long ret;

		ret = sys_checkpoint(self->orig, self->img, 0, self->log[1]);
		err = errno;
		ASSERT_EQ(0, ret) {
			TH_LOG("checkpoint: %s; log: \"%s\"", strerror(err),
			       tree_log(self));
		}
		ASSERT_EQ(0, ckpt_read_image_at(self->img, 0, &buf, &len));
		image_matches(_metadata, buf, len, &snap_pre);
		free(buf);
		kill_orig(_metadata, self);
		ASSERT_EQ(0, lseek(self->img, 0, SEEK_SET));
		ckpt_arm_alarm(120);
		pid = restart_into(self, self->img, 0);
		err = errno;
		ckpt_disarm_alarm();
	} else {
		struct ckpt_thread ct = { .pid = self->orig,
					  .logfd = self->log[1] };
		struct relay rl = { 0 };
		pthread_t cthr, rthr;
		int a[2], b[2];

		ASSERT_EQ(0, pipe2(a, O_CLOEXEC));
		ASSERT_EQ(0, pipe2(b, O_CLOEXEC));
		ct.fd = a[1];
		rl.in = a[0];
		rl.out = b[1];
		ASSERT_EQ(0, pthread_create(&cthr, NULL, checkpoint_thread,
					    &ct));
		ASSERT_EQ(0, pthread_create(&rthr, NULL, relay_thread, &rl));
		ckpt_arm_alarm(120);
		pid = restart_into(self, b[0], 0);
		err = errno;
		ckpt_disarm_alarm();
		close(b[0]);
		pthread_join(cthr, NULL);
		pthread_join(rthr, NULL);
		close(a[0]);
		ASSERT_EQ(0, ct.ret) {
			TH_LOG("checkpoint into a pipe: %s; log: \"%s\"",
			       strerror(ct.err), tree_log(self));
		}
		ASSERT_FALSE(rl.oom);
		image_matches(_metadata, rl.buf, rl.len, &snap_pre);
		free(rl.buf);
		kill_orig(_metadata, self);
	}
	ASSERT_LT(0, pid) {
		TH_LOG("restart: %s; log: \"%s\"", strerror(err),
		       tree_log(self));
	}
	self->restored = pid;
	ASSERT_STREQ("", tree_log(self));
	ASSERT_EQ(1, ckpt_inner_pid(pid));

	/* Frozen, every task shows its own mask, not a call's. */
	ASSERT_EQ(0, ckpt_cg_freeze(self->cg_rst));
	ASSERT_EQ(0, snap_take(pid, &snap_post));
	ASSERT_EQ(0, ckpt_cg_thaw(self->cg_rst));
	self->restored_now = true;
	ASSERT_EQ(NULL, snap_diff(&snap_pre, &snap_post, why, sizeof(why))) {
		TH_LOG("the restored tree differs: %s", why);
	}
}

/* Checkpoint the restored tree again: the same tree, in a valid image. */
static void checkpoint_again(struct __test_metadata *_metadata,
			     FIXTURE_DATA(tree) *self)
{
	uint8_t *buf;
	size_t len;

	ASSERT_EQ(0, ckpt_cg_freeze(self->cg_rst));
	ASSERT_EQ(0, snap_take(self->restored, &snap_post));
	ASSERT_EQ(0, ckpt_refill(self->img, NULL, 0));
	ASSERT_EQ(0, sys_checkpoint(self->restored, self->img, 0,
				    self->log[1])) {
		TH_LOG("checkpoint of the restored tree: %s; log: \"%s\"",
		       strerror(errno), tree_log(self));
	}
	ASSERT_EQ(0, ckpt_read_image_at(self->img, 0, &buf, &len));
	image_matches(_metadata, buf, len, &snap_post);
	free(buf);
	ASSERT_EQ(0, lseek(self->img, 0, SEEK_SET));
	ASSERT_EQ(0, sys_restart(0, self->img, RESTART_DRY_RUN,
				 self->log[1])) {
		TH_LOG("restart (dry run): %s; log: \"%s\"", strerror(errno),
		       tree_log(self));
	}
	ASSERT_EQ(0, ckpt_cg_thaw(self->cg_rst));
}

/* The common part of a test: start, report, cycle, report again. */
static void run_tree(struct __test_metadata *_metadata,
		     FIXTURE_DATA(tree) *self, int (*setup)(void), int ready,
		     enum transport tr)
{
	tree_start(_metadata, self, setup, ready);
	ASSERT_EQ(0, snap_take(self->orig, &snap_pre));
	report_round(_metadata, self, 1);
	tree_cycle(_metadata, self, tr);
	report_round(_metadata, self, 2);
}

/* ------------------------------------------------------------------ */
/* Groups and sessions, a deep tree, exit signals                      */

/*
 * 1 init
 *   2 A: setsid()                               session 2, group 2
 *     3 A1: setpgid(0, 0)                       session 2, group 3
 *       4 A1a                                   session 2, group 3
 *     5 A2                                      session 2, group 2
 *   6 B: exit signal SIGUSR2
 *     7 B1
 *       8 B1a
 *         9 B1a1                                five levels deep
 *   (10 C: setpgid(0, 0), exited, reaped)
 *   11 C1: was C's child, now init's            group 10: no leader
 *   (12 D: setsid(), exited, reaped)
 *   13 D1: was D's child                        session 12, group 12
 *   14 D2: was D's, setpgid(0, 0)               session 12, group 14
 */
enum { G_A = 2, G_A1, G_A1A, G_A2, G_B, G_B1, G_B1A, G_B1A1, G_C, G_C1,
       G_D, G_D1, G_D2 };
#define GROUPS_READY	12

static volatile sig_atomic_t usr2_count, usr2_pid, usr2_code;

static void on_usr2(int sig, siginfo_t *si, void *uc)
{
	usr2_count++;
	usr2_pid = si->si_pid;
	usr2_code = si->si_code;
}

/* The init's own command: what its SIGUSR2 handler saw. */
static int groups_init_cmd(int arg, struct trep *r)
{
	r->val[0] = usr2_count;
	r->val[1] = usr2_pid;
	r->val[2] = usr2_code;
	return 0;
}

static int setup_a1(void)
{
	if (setpgid(0, 0))
		return -1;
	return spawn_fork(G_A1A, NULL) < 0 ? -1 : 0;
}

static int setup_a(void)
{
	if (setsid() < 0 || spawn_fork(G_A1, setup_a1) < 0)
		return -1;
	return spawn_fork(G_A2, NULL) < 0 ? -1 : 0;
}

static int setup_b1a(void)
{
	return spawn_fork(G_B1A1, NULL) < 0 ? -1 : 0;
}

static int setup_b1(void)
{
	return spawn_fork(G_B1A, setup_b1a) < 0 ? -1 : 0;
}

static int setup_b(void)
{
	return spawn_fork(G_B1, setup_b1) < 0 ? -1 : 0;
}

/* C: a group of its own, a child in it, then C exits. */
static int setup_c(void)
{
	if (setpgid(0, 0) || spawn_fork(G_C1, NULL) < 0)
		return -1;
	_exit(0);
}

/* D: a session of its own, two children in it, then D exits. */
static int setup_d2(void)
{
	return setpgid(0, 0);
}

static int setup_d(void)
{
	if (setsid() < 0 || spawn_fork(G_D1, NULL) < 0 ||
	    spawn_fork(G_D2, setup_d2) < 0)
		return -1;
	_exit(0);
}

static int setup_groups(void)
{
	struct sigaction sa;
	pid_t c, d;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_usr2;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGUSR2, &sa, NULL))
		return -1;
	my_handler = groups_init_cmd;
	if (spawn_fork(G_A, setup_a) != G_A ||
	    spawn(G_B, setup_b, 0, SIGUSR2) != G_B)
		return -1;
	/* C and D exit once set up (they say no "ready"): reap them. */
	c = syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
	if (c == 0) {
		my_role = G_C;
		setup_c();
	}
	if (c != G_C || waitpid(c, NULL, 0) != c)
		return -1;
	d = syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
	if (d == 0) {
		my_role = G_D;
		setup_d();
	}
	if (d != G_D || waitpid(d, NULL, 0) != d)
		return -1;
	return 0;
}

/* The tree as the scenario made it (/proc of the original, frozen). */
static void groups_expected(struct __test_metadata *_metadata)
{
	static const struct {
		pid_t pid, ppid, pgid, sid;
		int exit_signal;
	} want[] = {
		{ 1, 0, 0, 0, SIGCHLD },
		{ G_A, 1, G_A, G_A, SIGCHLD },
		{ G_A1, G_A, G_A1, G_A, SIGCHLD },
		{ G_A1A, G_A1, G_A1, G_A, SIGCHLD },
		{ G_A2, G_A, G_A, G_A, SIGCHLD },
		{ G_B, 1, 0, 0, SIGUSR2 },
		{ G_B1, G_B, 0, 0, SIGCHLD },
		{ G_B1A, G_B1, 0, 0, SIGCHLD },
		{ G_B1A1, G_B1A, 0, 0, SIGCHLD },
		{ G_C1, 1, G_C, 0, SIGCHLD },
		{ G_D1, 1, G_D, G_D, SIGCHLD },
		{ G_D2, 1, G_D2, G_D, SIGCHLD },
	};

	ASSERT_EQ((int)ARRAY_SIZE(want), snap_pre.n);
	for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
		const struct ptask *t = snap_find(&snap_pre, want[i].pid);

		ASSERT_NE(NULL, t) {
			TH_LOG("no process %d", want[i].pid);
		}
		ASSERT_TRUE(t->ppid == want[i].ppid &&
			    t->pgid == want[i].pgid &&
			    t->sid == want[i].sid &&
			    t->exit_signal == want[i].exit_signal) {
			TH_LOG("process %d: parent %d, group %d, session %d, exit signal %d",
			       t->pid, t->ppid, t->pgid, t->sid,
			       t->exit_signal);
		}
	}
	ASSERT_EQ(NULL, snap_find(&snap_pre, G_C));
	ASSERT_EQ(NULL, snap_find(&snap_pre, G_D));
}

/*
 * After the restart: B exits, its parent (the init) is told by SIGUSR2
 * and reaps it with __WALL; B's children go to the init.  The leaderless
 * group 10 and session 12 still hold their processes: a signal to group
 * 10 reaches C1.
 */
static void groups_after(struct __test_metadata *_metadata,
			 FIXTURE_DATA(tree) *self)
{
	struct trep r;
	pid_t b1;
	long long f[64], sid;

	ASSERT_EQ(0, send_cmd(_metadata, self, G_B, C_EXIT, 5) <= 0);
	ask(_metadata, self, 1, C_REAP, G_B, &r);
	ASSERT_EQ(G_B, r.val[0]) {
		TH_LOG("waitpid(B): %lld, %s", (long long)r.val[0],
		       strerror((int)r.val[2]));
	}
	ASSERT_TRUE(WIFEXITED(r.val[1]) && WEXITSTATUS(r.val[1]) == 5) {
		TH_LOG("B's status 0x%llx", (long long)r.val[1]);
	}
	ask(_metadata, self, 1, C_SCENARIO, 0, &r);
	ASSERT_LE(1, r.val[0]);
	ASSERT_EQ(G_B, r.val[1]);
	ASSERT_EQ(CLD_EXITED, r.val[2]);
	/* B1 is the init's now. */
	b1 = host_of(&snap_post, G_B1);
	ASSERT_LE(4, ckpt_proc_stat(b1, f));
	ASSERT_EQ(self->restored, f[4]);

	/*
	 * The leaderless group 10 and session 12 are there, of pids no
	 * task has: a signal reaches the group.
	 */
	ASSERT_LE(6, ckpt_proc_stat(host_of(&snap_post, G_C1), f));
	ASSERT_NE(host_of(&snap_post, G_C1), f[5]);
	ASSERT_EQ(0, kill(-(pid_t)f[5], 0));
	ASSERT_LE(6, ckpt_proc_stat(host_of(&snap_post, G_D1), f));
	ASSERT_NE(host_of(&snap_post, G_D1), f[5]);
	ASSERT_EQ(f[5], f[6]);
	ASSERT_EQ(-1, getsid((pid_t)f[6])) {
		TH_LOG("session %lld has a leader", f[6]);
	}
	ASSERT_EQ(0, kill(-(pid_t)f[5], 0));
	sid = f[6];
	ASSERT_LE(6, ckpt_proc_stat(host_of(&snap_post, G_D2), f));
	ASSERT_EQ(host_of(&snap_post, G_D2), f[5]);
	ASSERT_EQ(sid, f[6]);
}

/*
 * The deep tree of process groups and sessions: /proc as the scenario
 * made it, and the same after the restart, from a file; the init reaps a
 * child of another exit signal; checkpointed again, the same tree.
 */
TEST_F_TIMEOUT(tree, groups, 300)
{
	tree_start(_metadata, self, setup_groups, GROUPS_READY);
	ASSERT_EQ(0, ckpt_cg_freeze(self->cg));
	ASSERT_EQ(0, snap_take(self->orig, &snap_pre));
	ASSERT_EQ(0, ckpt_cg_thaw(self->cg));
	groups_expected(_metadata);
	report_round(_metadata, self, 1);
	tree_cycle(_metadata, self, T_FILE);
	report_round(_metadata, self, 2);
	checkpoint_again(_metadata, self);
	groups_after(_metadata, self);
}

/* The same through a pipe, into a restart that runs meanwhile. */
TEST_F_TIMEOUT(tree, groups_pipe, 300)
{
	run_tree(_metadata, self, setup_groups, GROUPS_READY, T_PIPE);
	groups_after(_metadata, self);
}

/* ------------------------------------------------------------------ */
/* Zombies                                                             */

/*
 * 1 init
 *   2 P: zombies 3 (exited with 7), 4 (killed by SIGTERM), 5 (killed by
 *   SIGKILL)
 *   zombies of the init: 6 exited with 3, 7 exited with 9 (its exit
 *   signal SIGUSR2, which the init, a namespace's init, ignores)
 */
enum { Z_P = 2, Z_P3, Z_P4, Z_P5, Z_I6, Z_I7 };

static int setup_zombie_parent(void)
{
	if (spawn_dying(SIGCHLD, 7, 0) != Z_P3 ||
	    spawn_dying(SIGCHLD, 0, SIGTERM) != Z_P4 ||
	    spawn_dying(SIGCHLD, 0, SIGKILL) != Z_P5)
		return -1;
	return 0;
}

static int setup_zombies(void)
{
	if (spawn_fork(Z_P, setup_zombie_parent) != Z_P ||
	    spawn_dying(SIGCHLD, 3, 0) != Z_I6 ||
	    spawn_dying(SIGUSR2, 9, 0) != Z_I7)
		return -1;
	return 0;
}

static void reap_one(struct __test_metadata *_metadata,
		     FIXTURE_DATA(tree) *self, pid_t parent, pid_t kid,
		     int status)
{
	struct trep r;

	ask(_metadata, self, parent, C_REAP, kid, &r);
	ASSERT_EQ(kid, r.val[0]) {
		TH_LOG("process %d: waitpid(%d): %lld, %s", parent, kid,
		       (long long)r.val[0], strerror((int)r.val[2]));
	}
	ASSERT_EQ(status, r.val[1]) {
		TH_LOG("zombie %d: status 0x%llx, not 0x%x", kid,
		       (long long)r.val[1], status);
	}
}

/*
 * Zombies come back as zombies of their parents, with their status:
 * each parent reaps each of them by its pid, and gets the status it had.
 */
TEST_F_TIMEOUT(tree, zombies, 300)
{
	static const pid_t zombie[] = { Z_P3, Z_P4, Z_P5, Z_I6, Z_I7 };
	struct trep r;

	run_tree(_metadata, self, setup_zombies, 2, T_FILE);
	for (size_t i = 0; i < ARRAY_SIZE(zombie); i++) {
		const struct ptask *t = snap_find(&snap_post, zombie[i]);

		ASSERT_NE(NULL, t);
		ASSERT_EQ('Z', t->state);
		ASSERT_EQ(zombie[i] >= Z_I6 ? 1 : Z_P, t->ppid);
	}
	ASSERT_EQ(SIGUSR2, snap_find(&snap_post, Z_I7)->exit_signal);
	reap_one(_metadata, self, Z_P, Z_P3, 7 << 8);
	reap_one(_metadata, self, Z_P, Z_P4, SIGTERM);
	reap_one(_metadata, self, Z_P, Z_P5, SIGKILL);
	reap_one(_metadata, self, 1, Z_I6, 3 << 8);
	reap_one(_metadata, self, 1, Z_I7, 9 << 8);
	/* No more children to wait for. */
	ask(_metadata, self, Z_P, C_REAP, -1, &r);
	ASSERT_EQ(-1, r.val[0]);
	ASSERT_EQ(ECHILD, r.val[2]);
	for (size_t i = 0; i < ARRAY_SIZE(zombie); i++) {
		ASSERT_EQ(-1, kill(host_of(&snap_post, zombie[i]), 0));
	}
}

/* ------------------------------------------------------------------ */
/* Pipes and a shared file                                             */

/*
 * 1 init: pipe A (fd 10 the write end, 256 KiB; "before the checkpoint"
 * in it), pipe B (fd 12 the read end, O_NONBLOCK), file F (fd 14,
 * read-write, at offset 100, shared with X), its own file G (fd 15)
 *   2 X: A's read end (fd 11), B's write end (fd 13), F (fd 14)
 */
#define P_A_W		10
#define P_A_R		11
#define P_B_R		12
#define P_B_W		13
#define P_F		14
#define P_G		15
#define P_A_SIZE	(256 * 1024)
#define P_MSG1		"before the checkpoint"
#define P_MSG2		"after the restart"
#define P_F_SIZE	8192
enum { P_X = 2 };
/* the scenario's commands */
enum { PC_READ_A = 1, PC_WRITE_A, PC_READ_F, PC_OFFSET_F, PC_WRITE_B,
       PC_READ_B, PC_FLAGS };

static char p_file[PATH_MAX], p_gfile[PATH_MAX];

static uint8_t f_byte(size_t off)
{
	return (uint8_t)(off * 13 + 5);
}

static int pipes_cmd(int arg, struct trep *r)
{
	char buf[128];
	int n = 0;
	ssize_t len;

	switch (arg) {
	case PC_READ_A:	/* X: what A holds */
		if (ioctl(P_A_R, FIONREAD, &n) || n >= (int)sizeof(buf))
			return rfail(r, "FIONREAD of A: %d", n);
		len = n ? read(P_A_R, buf, n) : 0;
		if (len != n)
			return rfail(r, "read of A: %zd", len);
		r->val[0] = n;
		r->val[1] = fcntl(P_A_R, F_GETPIPE_SZ);
		memcpy(r->msg, buf, n < (int)sizeof(r->msg) ? n : 0);
		return 0;
	case PC_WRITE_A:	/* init */
		if (write(P_A_W, P_MSG2, sizeof(P_MSG2) - 1) !=
		    sizeof(P_MSG2) - 1)
			return rfail(r, "write to A: %s", strerror(errno));
		return 0;
	case PC_READ_F:	/* X: 10 bytes of the shared F */
		len = read(P_F, buf, 10);
		if (len != 10)
			return rfail(r, "read of F: %zd", len);
		r->val[0] = lseek(P_F, 0, SEEK_CUR);
		for (int i = 0; i < 10; i++)
			if ((uint8_t)buf[i] != f_byte(r->val[0] - 10 + i))
				return rfail(r, "F: byte %lld is 0x%02x",
					     (long long)r->val[0] - 10 + i,
					     (uint8_t)buf[i]);
		return 0;
	case PC_OFFSET_F:	/* init */
		r->val[0] = lseek(P_F, 0, SEEK_CUR);
		r->val[1] = lseek(P_G, 0, SEEK_CUR);
		return 0;
	case PC_WRITE_B:	/* X */
		if (write(P_B_W, "xy", 2) != 2)
			return rfail(r, "write to B: %s", strerror(errno));
		return 0;
	case PC_READ_B:	/* init: non-blocking */
		len = read(P_B_R, buf, sizeof(buf));
		r->val[0] = len;
		r->val[1] = len < 0 ? errno : 0;
		if (len > 0)
			memcpy(r->msg, buf, len < 90 ? len : 90);
		return 0;
	case PC_FLAGS:
		r->val[0] = fcntl(P_B_R, F_GETFL);
		r->val[1] = fcntl(P_A_W, F_GETPIPE_SZ);
		r->val[2] = fcntl(P_B_R, F_GETPIPE_SZ);
		return 0;
	}
	return rfail(r, "no command %d", arg);
}

static int setup_pipe_x(void)
{
	my_handler = pipes_cmd;
	return close(P_A_W) || close(P_B_R) || close(P_G) ? -1 : 0;
}

static int setup_pipes(void)
{
	uint8_t buf[P_F_SIZE];
	int a[2], b[2], fd;

	my_handler = pipes_cmd;
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = f_byte(i);
	fd = open(p_file, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || ckpt_write_all(fd, buf, sizeof(buf)) ||
	    lseek(fd, 100, SEEK_SET) != 100 || dup2(fd, P_F) != P_F ||
	    close(fd))
		return -1;
	fd = open(p_gfile, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || ckpt_write_all(fd, buf, 300) || dup2(fd, P_G) != P_G ||
	    close(fd))
		return -1;
	if (pipe(a) || dup2(a[1], P_A_W) != P_A_W ||
	    dup2(a[0], P_A_R) != P_A_R || close(a[0]) || close(a[1]) ||
	    fcntl(P_A_W, F_SETPIPE_SZ, P_A_SIZE) != P_A_SIZE ||
	    pipe(b) || dup2(b[0], P_B_R) != P_B_R ||
	    dup2(b[1], P_B_W) != P_B_W || close(b[0]) || close(b[1]) ||
	    fcntl(P_B_R, F_SETFL, O_NONBLOCK))
		return -1;
	if (spawn_fork(P_X, setup_pipe_x) != P_X)
		return -1;
	if (close(P_A_R) || close(P_B_W))
		return -1;
	if (write(P_A_W, P_MSG1, sizeof(P_MSG1) - 1) != sizeof(P_MSG1) - 1)
		return -1;
	return 0;
}

static void pipes_prepare(FIXTURE_DATA(tree) *self)
{
	snprintf(p_file, sizeof(p_file), "%s/shared", self->dir);
	snprintf(p_gfile, sizeof(p_gfile), "%s/own", self->dir);
}

static void pipes_after(struct __test_metadata *_metadata,
			FIXTURE_DATA(tree) *self)
{
	struct trep r;

	/* The data written before the checkpoint, then after. */
	ask(_metadata, self, P_X, C_SCENARIO, PC_READ_A, &r);
	ASSERT_EQ((int)sizeof(P_MSG1) - 1, r.val[0]);
	ASSERT_EQ(0, memcmp(r.msg, P_MSG1, sizeof(P_MSG1) - 1));
	ASSERT_EQ(P_A_SIZE, r.val[1]);
	ask(_metadata, self, 1, C_SCENARIO, PC_WRITE_A, &r);
	ask(_metadata, self, P_X, C_SCENARIO, PC_READ_A, &r);
	ASSERT_EQ((int)sizeof(P_MSG2) - 1, r.val[0]);
	ASSERT_EQ(0, memcmp(r.msg, P_MSG2, sizeof(P_MSG2) - 1));

	/* One offset for both. */
	ask(_metadata, self, 1, C_SCENARIO, PC_OFFSET_F, &r);
	ASSERT_EQ(100, r.val[0]);
	ASSERT_EQ(300, r.val[1]);
	ask(_metadata, self, P_X, C_SCENARIO, PC_READ_F, &r);
	ASSERT_EQ(110, r.val[0]);
	ask(_metadata, self, 1, C_SCENARIO, PC_OFFSET_F, &r);
	ASSERT_EQ(110, r.val[0]);

	/* The other way, non-blocking. */
	ask(_metadata, self, 1, C_SCENARIO, PC_READ_B, &r);
	ASSERT_EQ(-1, r.val[0]);
	ASSERT_EQ(EAGAIN, r.val[1]);
	ask(_metadata, self, P_X, C_SCENARIO, PC_WRITE_B, &r);
	ask(_metadata, self, 1, C_SCENARIO, PC_READ_B, &r);
	ASSERT_EQ(2, r.val[0]);
	ASSERT_EQ(0, memcmp(r.msg, "xy", 2));
	ask(_metadata, self, 1, C_SCENARIO, PC_FLAGS, &r);
	ASSERT_TRUE(r.val[0] & O_NONBLOCK);
	ASSERT_EQ(P_A_SIZE, r.val[1]);
}

/*
 * Pipes between processes, with their data, sizes and flags, and a file
 * whose offset a parent and its child share, after a restart from a file.
 */
TEST_F_TIMEOUT(tree, pipes, 300)
{
	pipes_prepare(self);
	run_tree(_metadata, self, setup_pipes, 2, T_FILE);
	pipes_after(_metadata, self);
}

/* The same through a pipe. */
TEST_F_TIMEOUT(tree, pipes_pipe, 300)
{
	pipes_prepare(self);
	run_tree(_metadata, self, setup_pipes, 2, T_PIPE);
	pipes_after(_metadata, self);
}

/* ------------------------------------------------------------------ */
/* CLONE_FILES and CLONE_FS                                            */

/*
 * 1 init
 *   2 S
 *     3 S1: clone(CLONE_FILES): S's fd table; opened fd 150 after
 *     4 S2: clone(CLONE_FS): S's root, cwd and umask
 */
enum { S_S = 2, S_S1, S_S2 };
enum { SC_OPEN = 1, SC_CHECK, SC_CLOSE, SC_CHDIR, SC_CWD };
#define S_FD1		150
#define S_FD2		151

static char s_dir[PATH_MAX], s_file[PATH_MAX];

static int sharing_cmd(int arg, struct trep *r)
{
	struct stat st, st2;
	char cwd[PATH_MAX];
	mode_t m;
	int fd;

	switch (arg) {
	case SC_OPEN:		/* S1: a new fd, which S must see */
		fd = open(s_file, O_RDONLY);
		if (fd < 0 || dup2(fd, S_FD2) != S_FD2 || close(fd))
			return rfail(r, "open: %s", strerror(errno));
		return 0;
	case SC_CHECK:		/* S: fds 150 and 151, as S1 left them */
		r->val[0] = fcntl(S_FD1, F_GETFD) >= 0;
		r->val[1] = fcntl(S_FD2, F_GETFD) >= 0;
		if (r->val[1] && (fstat(S_FD2, &st) || stat(s_file, &st2) ||
				  st.st_ino != st2.st_ino))
			return rfail(r, "fd %d is not %s", S_FD2, s_file);
		return 0;
	case SC_CLOSE:		/* S */
		return close(S_FD1) ? rfail(r, "close: %s", strerror(errno)) : 0;
	case SC_CHDIR:		/* S2 */
		if (chdir(s_dir))
			return rfail(r, "chdir: %s", strerror(errno));
		umask(077);
		return 0;
	case SC_CWD:		/* S */
		if (!getcwd(cwd, sizeof(cwd)))
			return rfail(r, "getcwd: %s", strerror(errno));
		r->val[0] = !strcmp(cwd, s_dir);
		m = umask(0);
		umask(m);
		r->val[1] = m;
		snprintf(r->msg, sizeof(r->msg), "%.90s", cwd);
		return 0;
	}
	return rfail(r, "no command %d", arg);
}

static int setup_s2(void)
{
	my_handler = sharing_cmd;
	return 0;
}

static int setup_s1(void)
{
	int fd = open(s_file, O_RDONLY);

	my_handler = sharing_cmd;

	if (fd < 0 || dup2(fd, S_FD1) != S_FD1 || close(fd))
		return -1;
	return 0;
}

static int setup_s(void)
{
	my_handler = sharing_cmd;
	if (spawn(S_S1, setup_s1, CLONE_FILES, SIGCHLD) != S_S1 ||
	    fcntl(S_FD1, F_GETFD) < 0 ||
	    spawn(S_S2, setup_s2, CLONE_FS, SIGCHLD) != S_S2)
		return -1;
	return 0;
}

static int setup_sharing(void)
{
	return spawn_fork(S_S, setup_s) == S_S ? 0 : -1;
}

/*
 * An fd table shared with CLONE_FILES and an fs with CLONE_FS stay
 * shared: an fd one opens after the restart the other has, an fd one
 * closes the other loses; a chdir() and umask() of one is the other's.
 */
TEST_F_TIMEOUT(tree, sharing, 300)
{
	struct trep r;
	int fd;

	snprintf(s_dir, sizeof(s_dir), "%s/sub", self->dir);
	snprintf(s_file, sizeof(s_file), "%s/file", self->dir);
	ASSERT_EQ(0, mkdir(s_dir, 0755));
	fd = open(s_file, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
	ASSERT_LE(0, fd);
	close(fd);
	run_tree(_metadata, self, setup_sharing, 4, T_FILE);

	ask(_metadata, self, S_S, C_SCENARIO, SC_CHECK, &r);
	ASSERT_EQ(1, r.val[0]);
	ASSERT_EQ(0, r.val[1]);
	ask(_metadata, self, S_S1, C_SCENARIO, SC_OPEN, &r);
	ask(_metadata, self, S_S, C_SCENARIO, SC_CHECK, &r);
	ASSERT_EQ(1, r.val[1]) {
		TH_LOG("the fd S1 opened is not S's: not one fd table");
	}
	ask(_metadata, self, S_S, C_SCENARIO, SC_CLOSE, &r);
	ask(_metadata, self, S_S1, C_SCENARIO, SC_CHECK, &r);
	ASSERT_EQ(0, r.val[0]);
	ASSERT_EQ(1, r.val[1]);

	ask(_metadata, self, S_S2, C_SCENARIO, SC_CHDIR, &r);
	ask(_metadata, self, S_S, C_SCENARIO, SC_CWD, &r);
	ASSERT_EQ(1, r.val[0]) {
		TH_LOG("S2 went to %s, S is in %s", s_dir, r.msg);
	}
	ASSERT_EQ(077, r.val[1]);
	/* S1 has its own fs (a copy): not moved. */
	ask(_metadata, self, S_S1, C_SCENARIO, SC_CWD, &r);
	ASSERT_EQ(0, r.val[0]);
}

/* ------------------------------------------------------------------ */
/* Threads                                                             */

/*
 * 1 init
 *   2 M, main thread: holds mutex mx; serves commands
 *     thread 1, 2: compute (count, with the FPU), block signals 41, 42
 *     thread 3: pthread_mutex_lock(mx), blocks 43
 *     thread 4: pthread_cond_wait(cv), blocks 44
 *     thread 5: pthread_join(thread 6), blocks 45
 *     thread 6: sem_wait(), blocks SIGUSR2 and 46, SIGUSR2 pending for it
 *               (pthread_kill()); returns 42 once woken
 * Each has its TLS value (__thread), 1000 * n + 7.
 */
#define NR_THR		7	/* 0 is the main thread */
enum { T_M = 2 };
enum { TC_STATE = 1, TC_WAKE };

static __thread int tls_val;
static pthread_mutex_t t_mx = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t t_cm = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t t_cv = PTHREAD_COND_INITIALIZER;
static sem_t t_sem;
static volatile int t_go4;
static pthread_t t_th[NR_THR];

static struct {
	volatile pid_t tid;
	volatile int tls;		/* its TLS value, as it read it */
	volatile uint64_t count;	/* compute threads */
	volatile double fp;
	volatile uint64_t mask;		/* its blocked mask (bits 1-64) */
	volatile int woke;		/* 1 once it got what it waited for */
	volatile pid_t tid_after;	/* gettid() once woken */
	volatile long extra;		/* 5: the joined value; 6: pending */
	volatile int sig_code, sig_pid;	/* 6: its own SIGUSR2 */
} thr[NR_THR];

static uint64_t my_mask(void)
{
	sigset_t set;
	uint64_t m = 0;

	pthread_sigmask(SIG_BLOCK, NULL, &set);
	for (int s = 1; s <= 64; s++)
		if (sigismember(&set, s) == 1)
			m |= 1ULL << (s - 1);
	return m;
}

static void thr_begin(int n, int sig1, int sig2)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, sig1);
	if (sig2)
		sigaddset(&set, sig2);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	tls_val = 1000 * n + 7;
	thr[n].tls = tls_val;
	thr[n].mask = my_mask();
	thr[n].tid = gettid();
}

static void thr_woke(int n)
{
	thr[n].tls = tls_val;
	thr[n].mask = my_mask();
	thr[n].tid_after = gettid();
	__atomic_store_n(&thr[n].woke, 1, __ATOMIC_SEQ_CST);
}

static void *thr_compute(void *arg)
{
	int n = (int)(intptr_t)arg;
	double x = n;
	struct timespec ms = { 0, 2000000 };

	thr_begin(n, 40 + n, 0);
	for (;;) {
		for (int i = 0; i < 1000; i++)
			x = x * 1.0000001 + 1.0;
		thr[n].fp = x;
		thr[n].count++;
		thr[n].tls = tls_val;
		thr[n].tid_after = gettid();
		nanosleep(&ms, NULL);
	}
	return NULL;
}

static void *thr_mutex(void *arg)
{
	thr_begin(3, 43, 0);
	pthread_mutex_lock(&t_mx);
	thr_woke(3);
	pthread_mutex_unlock(&t_mx);
	return NULL;
}

static void *thr_cond(void *arg)
{
	thr_begin(4, 44, 0);
	pthread_mutex_lock(&t_cm);
	while (!t_go4)
		pthread_cond_wait(&t_cv, &t_cm);
	pthread_mutex_unlock(&t_cm);
	thr_woke(4);
	return NULL;
}

static void *thr_sem(void *arg)
{
	sigset_t set, pend;
	siginfo_t si;

	thr_begin(6, 46, SIGUSR2);
	while (sem_wait(&t_sem) && errno == EINTR)
		;
	sigpending(&pend);
	thr[6].extra = sigismember(&pend, SIGUSR2) == 1;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	memset(&si, 0, sizeof(si));
	/*
	 * The raw call: glibc's sigwaitinfo() turns the kernel's SI_TKILL
	 * into SI_USER (with or without a checkpoint).
	 */
	if (syscall(SYS_rt_sigtimedwait, &set, &si, NULL, 8) != SIGUSR2)
		thr[6].extra = -1;
	thr[6].sig_code = si.si_code;
	thr[6].sig_pid = si.si_pid;
	thr_woke(6);
	return (void *)42L;
}

static void *thr_join(void *arg)
{
	void *ret = NULL;

	thr_begin(5, 45, 0);
	while (!t_th[6])
		ckpt_sleep_ms(1);
	pthread_join(t_th[6], &ret);
	thr[5].extra = (long)ret;
	thr_woke(5);
	return NULL;
}

/*
 * Whether thread @n is asleep in futex(2).  /proc is the test's: the
 * thread is there by its tid in the test's pid namespace, which its
 * status tells (NSpid).
 */
static bool in_futex(int n)
{
	char path[300], buf[2048];
	struct dirent *de;
	bool yes = false;
	DIR *dir;

	dir = opendir("/proc/self/task");
	if (!dir)
		return false;
	while ((de = readdir(dir))) {
		ssize_t len;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/task/%s/status",
			 de->d_name);
		len = ckpt_read_file(path, buf, sizeof(buf) - 1);
		if (len <= 0)
			continue;
		buf[len] = '\0';
		if (status_last(buf, "NSpid:") != thr[n].tid)
			continue;
		snprintf(path, sizeof(path), "/proc/self/task/%s/syscall",
			 de->d_name);
		len = ckpt_read_file(path, buf, sizeof(buf) - 1);
		if (len > 0) {
			buf[len] = '\0';
			yes = atol(buf) == SYS_futex;
		}
		break;
	}
	closedir(dir);
	return yes;
}

static int threads_cmd(int arg, struct trep *r)
{
	struct timespec start;
	uint64_t c[2];

	switch (arg) {
	case TC_STATE:
		/* Each thread's tid, TLS value and mask; they compute. */
		c[0] = thr[1].count;
		c[1] = thr[2].count;
		ckpt_sleep_ms(300);
		r->val[0] = thr[1].count > c[0] && thr[2].count > c[1];
		r->val[1] = tls_val == 7;
		for (int n = 1; n < NR_THR; n++) {
			if (thr[n].tls != 1000 * n + 7)
				return rfail(r, "thread %d: TLS value %d",
					     n, thr[n].tls);
			if (!(thr[n].mask & (1ULL << (40 + n - 1))))
				return rfail(r, "thread %d: mask 0x%llx", n,
					     (unsigned long long)thr[n].mask);
			r->val[2] |= (int64_t)thr[n].woke << n;
		}
		for (int n = 1; n <= 2; n++)
			if (thr[n].tid_after != thr[n].tid)
				return rfail(r, "thread %d: tid %d, then %d",
					     n, thr[n].tid, thr[n].tid_after);
		return 0;
	case TC_WAKE:
		/* The mutex, the condition, the semaphore: all go on. */
		pthread_mutex_unlock(&t_mx);
		pthread_mutex_lock(&t_cm);
		t_go4 = 1;
		pthread_cond_signal(&t_cv);
		pthread_mutex_unlock(&t_cm);
		sem_post(&t_sem);
		clock_gettime(CLOCK_MONOTONIC, &start);
		while (!(thr[3].woke && thr[4].woke && thr[5].woke &&
			 thr[6].woke) && ckpt_ms_since(&start) < 20000)
			ckpt_sleep_ms(10);
		for (int n = 3; n < NR_THR; n++) {
			r->val[n - 3] = thr[n].woke;
			if (thr[n].woke && (thr[n].tid_after != thr[n].tid ||
					    thr[n].tls != 1000 * n + 7))
				return rfail(r, "thread %d: tid %d then %d, TLS %d",
					     n, thr[n].tid, thr[n].tid_after,
					     thr[n].tls);
		}
		r->val[4] = thr[5].extra;
		r->val[5] = thr[6].extra;
		r->val[6] = thr[6].sig_code;
		r->val[7] = thr[6].sig_pid;
		return 0;
	}
	return rfail(r, "no command %d", arg);
}

static int setup_m(void)
{
	static void *(*const fn[NR_THR])(void *) = {
		NULL, thr_compute, thr_compute, thr_mutex, thr_cond, thr_join,
		thr_sem,
	};
	struct timespec start;

	my_handler = threads_cmd;
	tls_val = 7;
	if (sem_init(&t_sem, 0, 0) || pthread_mutex_lock(&t_mx))
		return -1;
	prctl(PR_SET_NAME, "ckpt-threads", 0, 0, 0);
	for (int n = 1; n < NR_THR; n++) {
		if (n == 5)	/* it joins 6: after it */
			continue;
		if (pthread_create(&t_th[n], NULL, fn[n], (void *)(intptr_t)n))
			return -1;
	}
	if (pthread_create(&t_th[5], NULL, fn[5], NULL))
		return -1;
	/* All started; 3 to 6 asleep in the futexes of their calls. */
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (int n = 1; n < NR_THR; n++) {
		while (!thr[n].tid || (n >= 3 && !in_futex(n))) {
			if (ckpt_ms_since(&start) > 20000) {
				errno = ETIMEDOUT;
				return -1;
			}
			ckpt_sleep_ms(5);
		}
	}
	/* A signal of its own for thread 6, which blocks it. */
	return pthread_kill(t_th[6], SIGUSR2) ? -1 : 0;
}

static int setup_threads(void)
{
	return spawn_fork(T_M, setup_m) == T_M ? 0 : -1;
}

static void threads_test(struct __test_metadata *_metadata,
			 FIXTURE_DATA(tree) *self, enum transport tr)
{
	const struct ptask *t;
	struct trep r;
	int nr = 0;

	run_tree(_metadata, self, setup_threads, 2, tr);
	/* Seven tasks of M, with their tids; 6 has SIGUSR2 pending. */
	for (int i = 0; i < snap_post.n; i++) {
		t = &snap_post.t[i];
		if (t->tgid != T_M)
			continue;
		nr++;
		ASSERT_EQ(t->pid == T_M ? SIGCHLD : -1, t->exit_signal);
		ASSERT_EQ(1, t->ppid);
	}
	ASSERT_EQ(NR_THR, nr);
	ask(_metadata, self, T_M, C_SCENARIO, TC_STATE, &r);
	ASSERT_EQ(1, r.val[0]) {
		TH_LOG("the computing threads do not count on");
	}
	ASSERT_EQ(1, r.val[1]);
	ASSERT_EQ(0, r.val[2]) {
		TH_LOG("threads woke before they were woken: 0x%llx",
		       (long long)r.val[2]);
	}
	{
		int pending = 0;

		for (int i = 0; i < snap_post.n; i++)
			if (snap_post.t[i].tgid == T_M &&
			    (snap_post.t[i].sigpnd & (1ULL << (SIGUSR2 - 1))))
				pending++;
		ASSERT_EQ(1, pending);
	}
	/*
	 * In the image: thread 6's own SIGUSR2, as tgkill(2) queued it
	 * (SI_TKILL, from M), pending for it alone.
	 */
	if (tr == T_FILE) {
		const struct ckpt_hdr_siginfo *si = NULL;
		struct ckpt_model m;
		uint8_t *buf;
		size_t len;
		int32_t code, from;

		ASSERT_EQ(0, ckpt_read_image_at(self->img, 0, &buf, &len));
		ASSERT_EQ(0, ckpt_model_build(&m, buf, len)) {
			TH_LOG("%s", m.why);
		}
		for (size_t i = 0; i < m.nr_tasks; i++) {
			const struct ckpt_m_task *t = &m.tasks[i];

			for (uint32_t k = 0; t->tsig && k < t->tsig->nr_pending;
			     k++)
				if (t->siginfo[k]->signo == SIGUSR2)
					si = t->siginfo[k];
		}
		ASSERT_NE(NULL, si);
		ASSERT_EQ(0U, si->flags);
		code = ckpt_si_int(si, CKPT_SI_CODE_OFF);
		from = ckpt_si_int(si, 16);	/* si_pid */
		ASSERT_EQ(SI_TKILL, code) {
			TH_LOG("the image has thread 6's SIGUSR2 with si_code %d, si_pid %d",
			       code, from);
		}
		ASSERT_EQ(T_M, from);
		ckpt_model_free(&m);
		free(buf);
	}
	ask(_metadata, self, T_M, C_SCENARIO, TC_WAKE, &r);
	for (int n = 3; n < NR_THR; n++) {
		ASSERT_EQ(1, r.val[n - 3]) {
			TH_LOG("thread %d did not wake", n);
		}
	}
	ASSERT_EQ(42, r.val[4]);
	ASSERT_EQ(1, r.val[5]) {
		TH_LOG("thread 6: its own SIGUSR2 was not pending (%lld)",
		       (long long)r.val[5]);
	}
	/* As pthread_kill() sent it: tgkill(2) of M. */
	ASSERT_EQ(SI_TKILL, r.val[6]) {
		TH_LOG("thread 6 took its SIGUSR2 with si_code %lld, si_pid %lld",
		       (long long)r.val[6], (long long)r.val[7]);
	}
	ASSERT_EQ(T_M, r.val[7]);
	/* Joined and gone: M has its main thread and the two computing. */
	ckpt_sleep_ms(200);
	ASSERT_EQ(0, snap_take(self->restored, &snap_post));
	nr = 0;
	for (int i = 0; i < snap_post.n; i++)
		nr += snap_post.t[i].tgid == T_M;
	ASSERT_EQ(3, nr);	/* the main thread and the two computing */
}

/*
 * A multi-threaded process: every thread back with its tid, TLS value,
 * mask and pending signal; the computing ones count on; the one in
 * pthread_mutex_lock(), the one in pthread_cond_wait() and the one in
 * pthread_join() wake when they should.
 */
TEST_F_TIMEOUT(tree, threads, 300)
{
	threads_test(_metadata, self, T_FILE);
}

TEST_F_TIMEOUT(tree, threads_pipe, 300)
{
	threads_test(_metadata, self, T_PIPE);
}

/* ------------------------------------------------------------------ */
/* A big container                                                     */

/*
 * 1 init, 10 branches, each with 19 leaves: 201 processes.  Each opens
 * 10 fds: the common file 5 times (at offsets of its own), 3 dups, a
 * pipe; with 0-2 and the report file, 14 fds each, 2814 in all.
 */
#define BIG_BRANCHES	10
#define BIG_LEAVES	19
#define BIG_PROCS	(1 + BIG_BRANCHES * (1 + BIG_LEAVES))
#define BIG_FD0		20

static char big_file[PATH_MAX];

static int big_cmd(int arg, struct trep *r)
{
	int n = 0;
	int64_t sum = 0;

	for (int fd = 0; fd < 256; fd++)
		if (fcntl(fd, F_GETFD) >= 0)
			n++;
	for (int k = 0; k < 5; k++)
		sum += lseek(BIG_FD0 + k, 0, SEEK_CUR);
	r->val[0] = n;
	r->val[1] = sum;
	return 0;
}

static int big_fds(void)
{
	int p[2];

	my_handler = big_cmd;
	for (int k = 0; k < 5; k++) {
		int fd = open(big_file, O_RDONLY);

		if (fd < 0 || dup2(fd, BIG_FD0 + k) != BIG_FD0 + k || close(fd) ||
		    lseek(BIG_FD0 + k, getpid() * 7 + k, SEEK_SET) < 0)
			return -1;
	}
	for (int k = 0; k < 3; k++)
		if (dup2(BIG_FD0 + k, BIG_FD0 + 5 + k) != BIG_FD0 + 5 + k)
			return -1;
	if (pipe(p) || dup2(p[0], BIG_FD0 + 8) != BIG_FD0 + 8 ||
	    dup2(p[1], BIG_FD0 + 9) != BIG_FD0 + 9 || close(p[0]) || close(p[1]))
		return -1;
	return 0;
}

static int big_branch(void)
{
	if (big_fds())
		return -1;
	for (int i = 0; i < BIG_LEAVES; i++)
		if (spawn_fork(100 + i, big_fds) < 0)
			return -1;
	return 0;
}

static int setup_big(void)
{
	if (big_fds())
		return -1;
	for (int i = 0; i < BIG_BRANCHES; i++)
		if (spawn_fork(10 + i, big_branch) < 0)
			return -1;
	return 0;
}

/*
 * A container of 201 processes with 14 fds each: all come back with their
 * fds and offsets, and answer.
 */
TEST_F_TIMEOUT(tree, big, 900)
{
	static struct trep reps[BIG_PROCS];
	int64_t want_fds = 0, got_fds = 0;
	int seq0;
	int fd;

	snprintf(big_file, sizeof(big_file), "%s/common", self->dir);
	fd = open(big_file, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ftruncate(fd, 1 << 20));
	close(fd);
	run_tree(_metadata, self, setup_big, BIG_PROCS, T_FILE);
	ASSERT_EQ(BIG_PROCS, snap_post.n);
	for (int i = 0; i < snap_pre.n; i++)
		want_fds += snap_pre.t[i].nfds;
	for (int i = 0; i < snap_post.n; i++)
		got_fds += snap_post.t[i].nfds;
	ASSERT_EQ(want_fds, got_fds);
	ASSERT_LE(2000, got_fds);

	/* Each its fds and offsets. */
	seq0 = self->seq + 1;
	for (int i = 0; i < snap_post.n; i++) {
		ASSERT_LT(0, send_cmd(_metadata, self, snap_post.t[i].pid,
				      C_SCENARIO, 0));
	}
	for (int i = 0; i < snap_post.n; i++) {
		ASSERT_EQ(1, read_reports(_metadata, self, &reps[i], 1,
					  R_REPLY, seq0 + i, 60000));
		ASSERT_EQ(1, reps[i].ok);
		ASSERT_EQ(14, reps[i].val[0]) {
			TH_LOG("process %d has %lld fds", reps[i].pid,
			       (long long)reps[i].val[0]);
		}
		ASSERT_EQ(5 * 7 * reps[i].pid + 10, reps[i].val[1]) {
			TH_LOG("process %d: offsets %lld", reps[i].pid,
			       (long long)reps[i].val[1]);
		}
	}
}

/* ------------------------------------------------------------------ */
/* Stopped processes                                                   */

/*
 * 1 init
 *   2 T1: stopped by SIGSTOP (from the test), not waited for
 *   3 T2: stopped by SIGTSTP, its stop seen by the init's waitpid(); in a
 *     process group of its own, which its parent's makes not orphaned
 *     (the kernel discards SIGTSTP in an orphaned one)
 */
enum { ST_T1 = 2, ST_T2 };

static int setup_t2(void)
{
	return setpgid(0, 0);
}

static int setup_stopped(void)
{
	if (spawn_fork(ST_T1, NULL) != ST_T1 ||
	    spawn_fork(ST_T2, setup_t2) != ST_T2)
		return -1;
	return 0;
}

static void wait_state(struct __test_metadata *_metadata, pid_t host, char c)
{
	struct timespec start;

	clock_gettime(CLOCK_MONOTONIC, &start);
	while (ckpt_proc_state(host) != c) {
		ASSERT_GT(20000, ckpt_ms_since(&start)) {
			TH_LOG("task %d: state %c, not %c", host,
			       ckpt_proc_state(host), c);
		}
		ckpt_sleep_ms(10);
	}
}

/*
 * Stopped processes stay stopped after the restart, their parent's wait
 * sees the stop it had not seen yet (and not the one it had), and they
 * go on at SIGCONT.
 */
TEST_F_TIMEOUT(tree, stopped, 300)
{
	struct trep r;
	int seq1, seq2;

	tree_start(_metadata, self, setup_stopped, 3);
	ASSERT_EQ(0, snap_take(self->orig, &snap_pre));
	report_round(_metadata, self, 1);
	ASSERT_EQ(0, kill(host_of(&snap_pre, ST_T1), SIGSTOP));
	ASSERT_EQ(0, kill(host_of(&snap_pre, ST_T2), SIGTSTP));
	wait_state(_metadata, host_of(&snap_pre, ST_T1), 'T');
	wait_state(_metadata, host_of(&snap_pre, ST_T2), 'T');
	ask(_metadata, self, 1, C_WAITSTOP, ST_T2, &r);
	ASSERT_EQ(ST_T2, r.val[0]);
	ASSERT_TRUE(WIFSTOPPED(r.val[1]) && WSTOPSIG(r.val[1]) == SIGTSTP);

	tree_cycle(_metadata, self, T_FILE);
	/* Still stopped, a while after. */
	ckpt_sleep_ms(500);
	ASSERT_EQ('T', ckpt_proc_state(host_of(&snap_post, ST_T1)));
	ASSERT_EQ('T', ckpt_proc_state(host_of(&snap_post, ST_T2)));
	/* The init: T1's stop is yet to be seen, T2's was. */
	ask(_metadata, self, 1, C_WAITSTOP, ST_T2, &r);
	ASSERT_EQ(0, r.val[0]);
	ask(_metadata, self, 1, C_WAITSTOP, ST_T1, &r);
	ASSERT_EQ(ST_T1, r.val[0]) {
		TH_LOG("waitpid(T1, WUNTRACED): %lld, %s", (long long)r.val[0],
		       strerror((int)r.val[2]));
	}
	ASSERT_TRUE(WIFSTOPPED(r.val[1]) && WSTOPSIG(r.val[1]) == SIGSTOP) {
		TH_LOG("status 0x%llx", (long long)r.val[1]);
	}

	/* Stopped, they do not answer; at SIGCONT, they do. */
	seq1 = send_cmd(_metadata, self, ST_T1, C_REPORT, 0);
	seq2 = send_cmd(_metadata, self, ST_T2, C_REPORT, 0);
	ASSERT_EQ(0, read_reports(_metadata, self, &r, 1, R_REPLY, seq1, 1000));
	ASSERT_EQ(0, kill(host_of(&snap_post, ST_T1), SIGCONT));
	ASSERT_EQ(1, read_reports(_metadata, self, &r, 1, R_REPLY, seq1,
				  30000));
	ASSERT_EQ(2, r.ncmds);
	ASSERT_EQ(0, kill(host_of(&snap_post, ST_T2), SIGCONT));
	ASSERT_EQ(1, read_reports(_metadata, self, &r, 1, R_REPLY, seq2,
				  30000));
	ask(_metadata, self, 1, C_WAITCONT, ST_T1, &r);
	ASSERT_EQ(ST_T1, r.val[0]);
	ASSERT_TRUE(WIFCONTINUED(r.val[1]));
}

/* ------------------------------------------------------------------ */
/* A POSIX timer that signals a thread                                 */

/*
 * 1 init
 *   2 TT: its main thread and a second thread, both blocking TT_SIG; a
 *     periodic POSIX timer (SIGEV_THREAD_ID) signals the second thread
 *     every TT_IV ns.  Its signal is pending for that thread (not the
 *     first of its process) when the tree is frozen, and overruns count
 *     while it waits.  After the restart it is still pending there; the
 *     thread takes it (with the raw rt_sigtimedwait(2): glibc turns some
 *     si_codes into others), then the next one: the timer goes on.
 */
enum { T_TT = 2 };
enum { TT_TAKE = 1 };
#define TT_SIG		50
#define TT_IV		(50 * 1000000LL)
#define TT_VALUE	0x5157

static sem_t tt_go;
static struct {
	volatile pid_t tid;
	volatile int timer;
	volatile int done;
	volatile long ret[2];		/* rt_sigtimedwait(): the signals */
	volatile int code, timerid, overrun[2], value;
	volatile int getoverrun;	/* timer_getoverrun() after the first */
} tt;

/* Whether thread @tid (in the container) has @sig pending, in /proc. */
static bool thread_pending(pid_t tid, int sig)
{
	char path[300], buf[2048];
	struct dirent *de;
	bool yes = false;
	DIR *dir;

	dir = opendir("/proc/self/task");
	if (!dir)
		return false;
	while ((de = readdir(dir))) {
		ssize_t len;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/task/%s/status",
			 de->d_name);
		len = ckpt_read_file(path, buf, sizeof(buf) - 1);
		if (len <= 0)
			continue;
		buf[len] = '\0';
		if (status_last(buf, "NSpid:") != tid)
			continue;
		yes = status_hex(buf, "SigPnd:") & (1ULL << (sig - 1));
		break;
	}
	closedir(dir);
	return yes;
}

static void *tt_thread(void *arg)
{
	struct timespec zero = { 0, 0 }, two = { 2, 0 };
	sigset_t set;
	siginfo_t si;

	tt.tid = gettid();
	while (sem_wait(&tt_go) && errno == EINTR)
		;
	sigemptyset(&set);
	sigaddset(&set, TT_SIG);
	memset(&si, 0, sizeof(si));
	/* Pending already: no wait. */
	tt.ret[0] = syscall(SYS_rt_sigtimedwait, &set, &si, &zero, 8);
	tt.code = si.si_code;
	tt.timerid = si.si_timerid;
	tt.overrun[0] = si.si_overrun;
	tt.value = si.si_value.sival_int;
	tt.getoverrun = syscall(SYS_timer_getoverrun, tt.timer);
	/* The next period's. */
	memset(&si, 0, sizeof(si));
	do {
		tt.ret[1] = syscall(SYS_rt_sigtimedwait, &set, &si, &two, 8);
	} while (tt.ret[1] < 0 && errno == EINTR);
	tt.overrun[1] = si.si_overrun;
	__atomic_store_n(&tt.done, 1, __ATOMIC_SEQ_CST);
	for (;;)
		pause();
	return NULL;
}

static int tt_cmd(int arg, struct trep *r)
{
	struct timespec start;

	if (arg != TT_TAKE)
		return rfail(r, "no command %d", arg);
	sem_post(&tt_go);
	clock_gettime(CLOCK_MONOTONIC, &start);
	while (!__atomic_load_n(&tt.done, __ATOMIC_SEQ_CST) &&
	       ckpt_ms_since(&start) < 20000)
		ckpt_sleep_ms(10);
	if (!tt.done)
		return rfail(r, "the thread did not take its signals");
	r->val[0] = tt.ret[0];
	r->val[1] = tt.code;
	r->val[2] = tt.timerid;
	r->val[3] = tt.overrun[0];
	r->val[4] = tt.ret[1];
	r->val[5] = tt.overrun[1];
	r->val[6] = tt.getoverrun;
	r->val[7] = tt.value;
	return 0;
}

static int setup_tt(void)
{
	struct {
		uint64_t value;
		int32_t signo, notify, tid, pad[11];
	} ev = { .value = TT_VALUE, .signo = TT_SIG,
		 .notify = SIGEV_SIGNAL | SIGEV_THREAD_ID };
	struct itimerspec its = {
		.it_value = { 0, TT_IV }, .it_interval = { 0, TT_IV },
	};
	struct timespec start;
	pthread_t th;
	sigset_t set;
	int id;

	my_handler = tt_cmd;
	sigemptyset(&set);
	sigaddset(&set, TT_SIG);
	if (sem_init(&tt_go, 0, 0) || sigprocmask(SIG_BLOCK, &set, NULL) ||
	    pthread_create(&th, NULL, tt_thread, NULL))
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &start);
	while (!tt.tid) {
		if (ckpt_ms_since(&start) > 20000)
			return -1;
		ckpt_sleep_ms(1);
	}
	ev.tid = tt.tid;
	if (syscall(SYS_timer_create, CLOCK_MONOTONIC, &ev, &id) ||
	    syscall(SYS_timer_settime, id, 0, &its, NULL))
		return -1;
	tt.timer = id;
	/* Pending for the thread, and a few periods missed. */
	while (!thread_pending(tt.tid, TT_SIG)) {
		if (ckpt_ms_since(&start) > 20000) {
			errno = ETIMEDOUT;
			return -1;
		}
		ckpt_sleep_ms(5);
	}
	ckpt_sleep_ms(300);
	return 0;
}

static int setup_thread_timer(void)
{
	return spawn_fork(T_TT, setup_tt) == T_TT ? 0 : -1;
}

static void thread_timer_test(struct __test_metadata *_metadata,
			      FIXTURE_DATA(tree) *self, enum transport tr)
{
	const uint64_t bit = 1ULL << (TT_SIG - 1);
	pid_t tid = 0;
	int64_t overrun = -1;
	struct trep r;

	run_tree(_metadata, self, setup_thread_timer, 2, tr);
	/*
	 * After the restart (frozen, as /proc showed it before: the cycle
	 * compared each task), the signal is pending for the second thread
	 * alone.
	 */
	for (int i = 0; i < snap_post.n; i++) {
		const struct ptask *t = &snap_post.t[i];

		if (t->tgid != T_TT)
			continue;
		if (t->pid != T_TT)
			tid = t->pid;
		ASSERT_EQ(t->pid != T_TT, !!(t->sigpnd & bit)) {
			TH_LOG("task %d: pending 0x%llx", t->pid,
			       (unsigned long long)t->sigpnd);
		}
	}
	ASSERT_LT(T_TT, tid);

	/* In the image: the timer, and its signal among that thread's. */
	if (tr == T_FILE) {
		const struct ckpt_hdr_posix_timer *timer;
		const struct ckpt_m_task *m_tt, *m_thr;
		struct ckpt_model m;
		uint8_t *buf;
		size_t len;

		ASSERT_EQ(0, ckpt_read_image_at(self->img, 0, &buf, &len));
		ASSERT_EQ(0, ckpt_model_build(&m, buf, len)) {
			TH_LOG("%s", m.why);
		}
		m_tt = ckpt_m_task_pid(&m, T_TT);
		m_thr = ckpt_m_task_pid(&m, tid);
		ASSERT_TRUE(m_tt && m_thr);
		ASSERT_LT(m_tt->idx, m_thr->idx);
		ASSERT_EQ(1U, m_tt->signal->rec->nr_posix_timers);
		timer = m_tt->signal->timers[0];
		ASSERT_EQ(SIGEV_SIGNAL | SIGEV_THREAD_ID, timer->notify);
		ASSERT_EQ(tid, timer->notify_tid);
		ASSERT_EQ((uint32_t)TT_SIG, timer->signo);
		ASSERT_EQ((uint64_t)TT_IV, timer->interval);
		ASSERT_EQ((uint64_t)TT_VALUE, timer->value);
		/* periods missed while it waited */
		ASSERT_LE(1, timer->overrun);
		overrun = timer->overrun;
		for (uint32_t k = 0; k < m_tt->tsig->nr_pending; k++) {
			ASSERT_NE((uint32_t)TT_SIG, m_tt->siginfo[k]->signo) {
				TH_LOG("the timer's signal is pending for the main thread");
			}
		}
		ASSERT_EQ(1U, m_thr->tsig->nr_pending);
		ASSERT_EQ((uint32_t)TT_SIG, m_thr->siginfo[0]->signo);
		ASSERT_EQ((uint32_t)CKPT_SIGINFO_TIMER, m_thr->siginfo[0]->flags);
		ASSERT_EQ(timer->id, ckpt_si_int(m_thr->siginfo[0],
						 CKPT_SI_TIMERID_OFF));
		ckpt_model_free(&m);
		free(buf);
	}

	/* The thread takes it, then the next one: the timer goes on. */
	ask(_metadata, self, T_TT, C_SCENARIO, TT_TAKE, &r);
	ASSERT_EQ(TT_SIG, r.val[0]) {
		TH_LOG("the restored pending signal was not there (%lld)",
		       (long long)r.val[0]);
	}
	ASSERT_EQ(SI_TIMER, r.val[1]);
	ASSERT_EQ(0, r.val[2]);		/* the first timer's id */
	ASSERT_EQ(TT_VALUE, r.val[7]);
	/* Overruns counted while it waited, those of the image at least. */
	ASSERT_LE(overrun >= 0 ? overrun : 1, r.val[3]) {
		TH_LOG("si_overrun %lld, %lld in the image",
		       (long long)r.val[3], (long long)overrun);
	}
	ASSERT_EQ(r.val[3], r.val[6]);
	ASSERT_EQ(TT_SIG, r.val[4]) {
		TH_LOG("no signal of the timer after the restored one (%lld)",
		       (long long)r.val[4]);
	}
	ASSERT_LE(0, r.val[5]);
}

TEST_F_TIMEOUT(tree, thread_timer, 300)
{
	thread_timer_test(_metadata, self, T_FILE);
}

TEST_F_TIMEOUT(tree, thread_timer_pipe, 300)
{
	thread_timer_test(_metadata, self, T_PIPE);
}

/* ------------------------------------------------------------------ */
/* FIFOs                                                               */

/*
 * A FIFO Q in the scratch directory, of 128 KiB:
 * 1 init: Q read-write at Q_RW (so that the others' opens do not wait)
 *   2 W: Q write-only at Q_W, wrote Q_MSG1 into it
 *   3 R: Q read-only and non-blocking at Q_R
 */
#define Q_RW		60
#define Q_W		61
#define Q_R		62
#define Q_SIZE		(128 * 1024)
#define Q_MSG1		"in the FIFO at the checkpoint"
#define Q_MSG2		"written after the restart"
enum { Q_WRITER = 2, Q_READER };
enum { QC_READ = 1, QC_WRITE };

static char q_path[PATH_MAX];

static int fifo_cmd(int arg, struct trep *r)
{
	char buf[128], link[PATH_MAX], proc[64];
	ssize_t len;

	switch (arg) {
	case QC_READ:	/* R: what Q holds, its size, flags and path */
		len = read(Q_R, buf, sizeof(buf));
		r->val[0] = len;
		r->val[1] = len < 0 ? errno : 0;
		if (len > 0)
			memcpy(r->msg, buf, len < 90 ? len : 90);
		r->val[2] = fcntl(Q_R, F_GETPIPE_SZ);
		r->val[3] = fcntl(Q_R, F_GETFL);
		snprintf(proc, sizeof(proc), "/proc/self/fd/%d", Q_R);
		len = readlink(proc, link, sizeof(link) - 1);
		r->val[4] = len > 0 && (size_t)len == strlen(q_path) &&
			    !memcmp(link, q_path, len);
		return 0;
	case QC_WRITE:	/* W */
		if (write(Q_W, Q_MSG2, sizeof(Q_MSG2) - 1) !=
		    sizeof(Q_MSG2) - 1)
			return rfail(r, "write to Q: %s", strerror(errno));
		r->val[3] = fcntl(Q_W, F_GETFL);
		return 0;
	}
	return rfail(r, "no command %d", arg);
}

static int fifo_move(int fd, int to)
{
	return fd < 0 || dup2(fd, to) != to || close(fd) ? -1 : 0;
}

static int setup_fifo_writer(void)
{
	my_handler = fifo_cmd;
	if (close(Q_RW) || fifo_move(open(q_path, O_WRONLY), Q_W))
		return -1;
	return write(Q_W, Q_MSG1, sizeof(Q_MSG1) - 1) ==
	       sizeof(Q_MSG1) - 1 ? 0 : -1;
}

static int setup_fifo_reader(void)
{
	my_handler = fifo_cmd;
	if (close(Q_RW))
		return -1;
	return fifo_move(open(q_path, O_RDONLY | O_NONBLOCK), Q_R);
}

static int setup_fifos(void)
{
	my_handler = fifo_cmd;
	if (fifo_move(open(q_path, O_RDWR), Q_RW) ||
	    fcntl(Q_RW, F_SETPIPE_SZ, Q_SIZE) != Q_SIZE)
		return -1;
	if (spawn_fork(Q_WRITER, setup_fifo_writer) != Q_WRITER ||
	    spawn_fork(Q_READER, setup_fifo_reader) != Q_READER)
		return -1;
	return 0;
}

static void fifo_prepare(struct __test_metadata *_metadata,
			 FIXTURE_DATA(tree) *self)
{
	snprintf(q_path, sizeof(q_path), "%s/fifo", self->dir);
	ASSERT_EQ(0, mkfifo(q_path, 0600));
}

/* The image: Q's pipe once, a FIFO, with its data; three files of it. */
static void fifo_image(struct __test_metadata *_metadata,
		       FIXTURE_DATA(tree) *self)
{
	const struct ckpt_hdr_pipe *pipe = NULL;
	size_t files = 0;
	struct ckpt_model m;
	uint8_t *buf;
	size_t len;

	ASSERT_EQ(0, ckpt_read_image_at(self->img, 0, &buf, &len));
	ASSERT_EQ(0, ckpt_model_build(&m, buf, len)) {
		TH_LOG("%s", m.why);
	}
	for (size_t i = 0; i < m.nr_files; i++) {
		if (m.files[i].rec->type != CKPT_FILE_FIFO)
			continue;
		files++;
		ASSERT_STREQ(q_path, m.files[i].path);
		ASSERT_NE(NULL, m.files[i].pipe);
		ASSERT_TRUE(!pipe || pipe == m.files[i].pipe->rec);
		pipe = m.files[i].pipe->rec;
	}
	ASSERT_EQ(3U, files);
	ASSERT_EQ((uint32_t)CKPT_PIPE_FIFO, pipe->flags);
	ASSERT_EQ((uint32_t)Q_SIZE, pipe->size);
	ASSERT_EQ(sizeof(Q_MSG1) - 1, pipe->len);
	ASSERT_EQ(0, memcmp(pipe + 1, Q_MSG1, pipe->len));
	ckpt_model_free(&m);
	free(buf);
}

static void fifo_after(struct __test_metadata *_metadata,
		       FIXTURE_DATA(tree) *self)
{
	struct trep r;

	/* What Q held, of its size, flags and path; what W writes now. */
	ask(_metadata, self, Q_READER, C_SCENARIO, QC_READ, &r);
	ASSERT_EQ((int)sizeof(Q_MSG1) - 1, r.val[0]) {
		TH_LOG("read: %lld, %s", (long long)r.val[0],
		       strerror((int)r.val[1]));
	}
	ASSERT_EQ(0, memcmp(r.msg, Q_MSG1, sizeof(Q_MSG1) - 1));
	ASSERT_EQ(Q_SIZE, r.val[2]);
	ASSERT_EQ(O_RDONLY | O_NONBLOCK, r.val[3] & (O_ACCMODE | O_NONBLOCK));
	ASSERT_EQ(1, r.val[4]);
	ask(_metadata, self, Q_READER, C_SCENARIO, QC_READ, &r);
	ASSERT_EQ(-1, r.val[0]);
	ASSERT_EQ(EAGAIN, r.val[1]);
	ask(_metadata, self, Q_WRITER, C_SCENARIO, QC_WRITE, &r);
	ASSERT_EQ(O_WRONLY, r.val[3] & (O_ACCMODE | O_NONBLOCK));
	ask(_metadata, self, Q_READER, C_SCENARIO, QC_READ, &r);
	ASSERT_EQ((int)sizeof(Q_MSG2) - 1, r.val[0]);
	ASSERT_EQ(0, memcmp(r.msg, Q_MSG2, sizeof(Q_MSG2) - 1));
}

/*
 * A FIFO that three processes have open (read-write, write-only, read-
 * only and non-blocking), with data in it: one pipe in the image, a FIFO
 * of the same size and data after the restart, each file opened again at
 * its path with its flags, and the data goes through.  (Not through a
 * pipe into a restart that runs meanwhile: on one machine, the original
 * still has the FIFO open then, and restart refuses it, see below.)
 */
TEST_F_TIMEOUT(tree, fifos, 300)
{
	fifo_prepare(_metadata, self);
	run_tree(_metadata, self, setup_fifos, 3, T_FILE);
	fifo_image(_metadata, self);
	fifo_after(_metadata, self);
}

/*
 * Checkpoint refuses a FIFO that a process outside has open too (here the
 * test): restart could not give that process its end again.  The tree
 * thaws and goes on.
 */
TEST_F_TIMEOUT(tree, refuse_fifo_outside, 120)
{
	struct trep r;
	long ret;
	int err, fd;

	fifo_prepare(_metadata, self);
	tree_start(_metadata, self, setup_fifos, 3);
	ASSERT_EQ(0, snap_take(self->orig, &snap_pre));
	fd = open(q_path, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ckpt_cg_freeze(self->cg));
	tree_log(self);
	ret = sys_checkpoint(self->orig, self->img, 0, self->log[1]);
	err = errno;
	tree_log(self);
	close(fd);
	ASSERT_EQ(-1, ret);
	ASSERT_EQ(EOPNOTSUPP, err) {
		TH_LOG("checkpoint: %s; log: \"%s\"", strerror(err),
		       self->logbuf);
	}
	/* The reason, then the fd it was found at. */
	ASSERT_NE(NULL, strstr(self->logbuf, "checkpoint: ")) {
		TH_LOG("log: \"%s\"", self->logbuf);
	}
	ASSERT_NE(NULL, strstr(self->logbuf,
			       "a FIFO that a process outside the container has open too")) {
		TH_LOG("log: \"%s\"", self->logbuf);
	}
	ASSERT_EQ(0, ckpt_cg_thaw(self->cg));
	ask(_metadata, self, Q_READER, C_SCENARIO, QC_READ, &r);
	ASSERT_EQ((int)sizeof(Q_MSG1) - 1, r.val[0]);
}

/* A restart that must fail with @err, saying @words, and leave nothing. */
static void fifo_restart_refused(struct __test_metadata *_metadata,
				 FIXTURE_DATA(tree) *self, int want,
				 const char *words)
{
	int before = ckpt_nr_processes();
	const char *why;
	long ret;
	int err;

	tree_log(self);
	ASSERT_EQ(0, lseek(self->img, 0, SEEK_SET));
	ckpt_arm_alarm(60);
	ret = restart_into(self, self->img, 0);
	err = errno;
	ckpt_disarm_alarm();
	tree_log(self);
	ASSERT_EQ(-1, ret) {
		if (ret > 0)
			self->restored = ret;
	}
	ASSERT_EQ(want, err) {
		TH_LOG("restart: %s; log: \"%s\"", strerror(err),
		       self->logbuf);
	}
	why = ckpt_log_problem(self->logbuf, "restart", words);
	ASSERT_EQ(NULL, why) {
		TH_LOG("%s; log: \"%s\"", why, self->logbuf);
	}
	ASSERT_GE(0, waitpid(-1, NULL, WNOHANG | __WALL));
	ASSERT_EQ(before, ckpt_nr_processes());
	ASSERT_TRUE(ckpt_cg_event(self->cg_rst, "populated 0"));
}

/*
 * Restart refuses the FIFO when another process has it open (its data
 * would mix with the image's): EBUSY; when its path is gone: ENOENT; when
 * the path is another kind of file: ESTALE; each time it leaves no task.
 * With the FIFO back as it was, the same image restarts.
 */
TEST_F_TIMEOUT(tree, fifo_restart_refusals, 300)
{
	char aside[PATH_MAX + 8];
	struct trep r;
	int fd;

	fifo_prepare(_metadata, self);
	tree_start(_metadata, self, setup_fifos, 3);
	ASSERT_EQ(0, snap_take(self->orig, &snap_pre));
	ASSERT_EQ(0, ckpt_cg_freeze(self->cg));
	ASSERT_EQ(0, sys_checkpoint(self->orig, self->img, 0, self->log[1])) {
		TH_LOG("checkpoint: %s; log: \"%s\"", strerror(errno),
		       tree_log(self));
	}
	kill_orig(_metadata, self);

	fd = open(q_path, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd);
	fifo_restart_refused(_metadata, self, EBUSY, "open by another process");
	close(fd);
	snprintf(aside, sizeof(aside), "%s.aside", q_path);
	ASSERT_EQ(0, rename(q_path, aside));
	fifo_restart_refused(_metadata, self, ENOENT, "cannot open the FIFO");
	fd = open(q_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	ASSERT_LE(0, fd);
	close(fd);
	fifo_restart_refused(_metadata, self, ESTALE, "not a FIFO");
	ASSERT_EQ(0, rename(aside, q_path));

	ASSERT_EQ(0, lseek(self->img, 0, SEEK_SET));
	ckpt_arm_alarm(120);
	self->restored = restart_into(self, self->img, 0);
	ckpt_disarm_alarm();
	ASSERT_LT(0, self->restored) {
		TH_LOG("restart: %s; log: \"%s\"", strerror(errno),
		       tree_log(self));
	}
	ASSERT_EQ(0, ckpt_cg_freeze(self->cg_rst));
	ASSERT_EQ(0, snap_take(self->restored, &snap_post));
	ASSERT_EQ(0, ckpt_cg_thaw(self->cg_rst));
	self->restored_now = true;
	fifo_after(_metadata, self);
	ask(_metadata, self, 1, C_REPORT, 0, &r);
}

/* ------------------------------------------------------------------ */
/* SysV IPC in the container's own IPC namespace                        */

/*
 * The container has an IPC namespace of its own (CLONE_NEWIPC):
 * 1 init: segment A (key I_KEY_A, 3 pages and 100 bytes, mode 0640)
 *   attached read-write; segment B (private, 2 pages) attached, then
 *   removed (IPC_RMID: it lives while attached); a set of 4 semaphores
 *   (key I_KEY_S) with values I_SEMS; a private message queue holding a
 *   message of type 5 ("hello") and one of type 9 (5000 bytes)
 *   2 its child: A attached again read-only at an address of its own, B
 *     from fork()
 */
#define I_KEY_A		0x1234
#define I_KEY_S		0x5678
#define I_A_SIZE	(3 * 4096 + 100)
#define I_BIG		5000
enum { I_CHILD = 2 };
enum { IC_REPORT = 1, IC_WRITE_A, IC_USE };
static const unsigned short I_SEMS[4] = { 1, 0, 7, 32767 };

static int i_shm_a = -1, i_shm_b = -1, i_sem = -1, i_msg = -1;
static uint8_t *i_a, *i_a_ro, *i_b;

struct i_msgbuf {
	long mtype;
	char mtext[I_BIG];
};

static uint8_t i_byte(size_t off, unsigned int seed)
{
	return (uint8_t)(off * 7 + seed);
}

static bool i_pattern_ok(const uint8_t *p, size_t len, unsigned int seed)
{
	for (size_t i = 0; i < len; i++)
		if (p[i] != i_byte(i, seed))
			return false;
	return true;
}

/*
 * What this process sees: val[0..3] the ids, val[4] A's attaches, val[5]
 * the semaphore values (a byte each, 32767 as 0xff), val[6] messages
 * queued, val[7] their bytes; A and B must hold their patterns.
 */
static int ipc_report(struct trep *r)
{
	unsigned short vals[4];
	struct shmid_ds shm;
	struct msqid_ds msq;
	union { unsigned short *array; } arg = { vals };

	if (!i_pattern_ok(i_a ? i_a + 4096 : i_a_ro + 4096, 2 * 4096, 1) ||
	    !i_pattern_ok(i_b, 2 * 4096, 2))
		return rfail(r, "a segment does not hold what was written");
	if (shmctl(i_shm_a, IPC_STAT, &shm) ||
	    semctl(i_sem, 0, GETALL, arg) || msgctl(i_msg, IPC_STAT, &msq))
		return rfail(r, "IPC_STAT: %s", strerror(errno));
	if (shm.shm_perm.__key != I_KEY_A || (shm.shm_perm.mode & 0777) != 0640 ||
	    shm.shm_segsz != I_A_SIZE)
		return rfail(r, "segment A: key 0x%x, mode 0%o, size %zu",
			     shm.shm_perm.__key, shm.shm_perm.mode,
			     (size_t)shm.shm_segsz);
	r->val[0] = i_shm_a;
	r->val[1] = i_shm_b;
	r->val[2] = i_sem;
	r->val[3] = i_msg;
	r->val[4] = shm.shm_nattch;
	r->val[5] = 0;
	for (int i = 0; i < 4; i++)
		r->val[5] |= (int64_t)(vals[i] > 255 ? 255 : vals[i]) << (8 * i);
	r->val[6] = msq.msg_qnum;
	r->val[7] = msq.msg_cbytes;
	return 0;
}

static int ipc_cmd(int arg, struct trep *r)
{
	struct sembuf up = { .sem_num = 1, .sem_op = 1 };
	static struct i_msgbuf m;
	ssize_t n;

	switch (arg) {
	case IC_REPORT:
		return ipc_report(r);
	case IC_WRITE_A:	/* init: a byte the child must see */
		i_a[4096] = 0xab;
		return 0;
	case IC_USE:
		if (my_role == I_CHILD) {	/* sees the init's byte */
			r->val[0] = i_a_ro[4096];
			return 0;
		}
		/* init: the semaphores and the queue work as before */
		if (semop(i_sem, &up, 1))
			return rfail(r, "semop: %s", strerror(errno));
		n = msgrcv(i_msg, &m, sizeof(m.mtext), 9, IPC_NOWAIT);
		if (n != I_BIG || !i_pattern_ok((uint8_t *)m.mtext, I_BIG, 3))
			return rfail(r, "msgrcv(9): %zd", n);
		n = msgrcv(i_msg, &m, sizeof(m.mtext), 0, IPC_NOWAIT);
		if (n != 5 || m.mtype != 5 || memcmp(m.mtext, "hello", 5))
			return rfail(r, "msgrcv: %zd, type %ld", n, m.mtype);
		r->val[0] = semctl(i_sem, 1, GETVAL);
		return 0;
	}
	return rfail(r, "no command %d", arg);
}

static int setup_ipc_child(void)
{
	my_handler = ipc_cmd;
	i_a_ro = shmat(i_shm_a, NULL, SHM_RDONLY);
	return i_a_ro == (void *)-1 ? -1 : 0;
}

static int setup_ipc(void)
{
	union { unsigned short *array; } arg = { (unsigned short *)I_SEMS };
	static struct i_msgbuf m;

	my_handler = ipc_cmd;
	i_shm_a = shmget(I_KEY_A, I_A_SIZE, IPC_CREAT | IPC_EXCL | 0640);
	i_shm_b = shmget(IPC_PRIVATE, 2 * 4096, IPC_CREAT | 0600);
	i_sem = semget(I_KEY_S, 4, IPC_CREAT | IPC_EXCL | 0600);
	i_msg = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
	if (i_shm_a < 0 || i_shm_b < 0 || i_sem < 0 || i_msg < 0)
		return -1;
	i_a = shmat(i_shm_a, NULL, 0);
	i_b = shmat(i_shm_b, NULL, 0);
	if (i_a == (void *)-1 || i_b == (void *)-1 ||
	    shmctl(i_shm_b, IPC_RMID, NULL) || semctl(i_sem, 0, SETALL, arg))
		return -1;
	for (size_t i = 0; i < 2 * 4096; i++) {
		i_a[4096 + i] = i_byte(i, 1);
		i_b[i] = i_byte(i, 2);
	}
	m.mtype = 5;
	memcpy(m.mtext, "hello", 5);
	if (msgsnd(i_msg, &m, 5, 0))
		return -1;
	m.mtype = 9;
	for (size_t i = 0; i < I_BIG; i++)
		m.mtext[i] = (char)i_byte(i, 3);
	if (msgsnd(i_msg, &m, I_BIG, 0))
		return -1;
	return spawn_fork(I_CHILD, setup_ipc_child) == I_CHILD ? 0 : -1;
}

/* The image: the objects, each once, before the tasks; areas name them. */
static void ipc_image(struct __test_metadata *_metadata,
		      FIXTURE_DATA(tree) *self, const struct trep *r)
{
	size_t areas = 0, rdonly = 0;
	struct ckpt_model m;
	uint8_t *buf;
	size_t len;

	ASSERT_EQ(0, ckpt_read_image_at(self->img, 0, &buf, &len));
	ASSERT_EQ(0, ckpt_model_build(&m, buf, len)) {
		TH_LOG("%s", m.why);
	}
	ASSERT_EQ(2U, m.nr_shms);
	ASSERT_EQ(r->val[0], m.shms[0].rec->perm.id);
	ASSERT_EQ(I_KEY_A, m.shms[0].rec->perm.key);
	ASSERT_EQ(0640U, m.shms[0].rec->perm.mode);
	ASSERT_EQ((uint64_t)I_A_SIZE, m.shms[0].rec->size);
	ASSERT_EQ(0U, m.shms[0].rec->flags);
	ASSERT_EQ(2U, m.shms[0].nr_pages);	/* pages 1 and 2 */
	ASSERT_EQ((uint32_t)CKPT_SHM_DEST, m.shms[1].rec->flags);
	ASSERT_EQ(1U, m.nr_sems);
	ASSERT_EQ(4U, m.sems[0].rec->nsems);
	for (int i = 0; i < 4; i++)
		ASSERT_EQ(I_SEMS[i], m.sems[0].vals[i]);
	ASSERT_EQ(1U, m.nr_msgqs);
	ASSERT_EQ(2U, m.msgqs[0].rec->nr_msgs);
	for (size_t i = 0; i < m.nr_mms; i++)
		for (size_t k = 0; k < m.mms[i].rec->nr_vmas; k++) {
			const struct ckpt_hdr_vma *v = m.mms[i].vmas[k];

			areas += v->kind == CKPT_VMA_SYSV_SHM;
			rdonly += !!(v->flags & CKPT_VMA_SHM_RDONLY);
		}
	ASSERT_EQ(5U, areas);	/* A and B in the init; A, A, B in 2 */
	ASSERT_EQ(1U, rdonly);
	ckpt_model_free(&m);
	free(buf);
}

/*
 * SysV shared memory, semaphores and messages come back in the new IPC
 * namespace with their ids, keys, modes, sizes, values and contents; a
 * segment removed while attached stays attached; the segments are
 * shared again, and the semaphores and the queue work on.
 */
TEST_F_TIMEOUT(tree, sysv_ipc, 300)
{
	struct trep before, after, r;

	tree_clone_flags = CLONE_NEWIPC;
	tree_start(_metadata, self, setup_ipc, 2);
	ASSERT_EQ(0, snap_take(self->orig, &snap_pre));
	ask(_metadata, self, 1, C_SCENARIO, IC_REPORT, &before);
	ASSERT_EQ(3, before.val[4]);	/* A: the init, its child twice */
	tree_cycle(_metadata, self, T_FILE);
	ipc_image(_metadata, self, &before);
	ask(_metadata, self, 1, C_SCENARIO, IC_REPORT, &after);
	for (int i = 0; i < 8; i++) {
		ASSERT_EQ(before.val[i], after.val[i]) {
			TH_LOG("value %d: %lld before, %lld after", i,
			       (long long)before.val[i],
			       (long long)after.val[i]);
		}
	}
	ask(_metadata, self, I_CHILD, C_SCENARIO, IC_REPORT, &r);
	ask(_metadata, self, 1, C_SCENARIO, IC_WRITE_A, &r);
	ask(_metadata, self, I_CHILD, C_SCENARIO, IC_USE, &r);
	ASSERT_EQ(0xab, r.val[0]);
	ask(_metadata, self, 1, C_SCENARIO, IC_USE, &r);
	ASSERT_EQ(1, r.val[0]);
}

/*
 * SEM_UNDO: the init makes a set of two semaphores, 5 and 0; its child
 * takes 2 from the first and gives 4 to the second with SEM_UNDO, and
 * its thread gives 1 more to the second: values 3 and 5, adjustments +2
 * and -5, which the child's threads share.
 */
enum { UC_VALUES = 1 };
static int u_sem = -1;

static int undo_cmd(int arg, struct trep *r)
{
	unsigned short vals[2];
	union { unsigned short *array; } a = { vals };

	if (arg != UC_VALUES || semctl(u_sem, 0, GETALL, a))
		return rfail(r, "GETALL: %s", strerror(errno));
	r->val[0] = vals[0];
	r->val[1] = vals[1];
	return 0;
}

static void *undo_thread(void *arg)
{
	struct sembuf op = { .sem_num = 1, .sem_op = 1, .sem_flg = SEM_UNDO };

	*(int *)arg = semop(u_sem, &op, 1) ? -1 : 1;
	for (;;)
		pause();
	return NULL;
}

static int setup_undo_child(void)
{
	struct sembuf ops[2] = {
		{ .sem_num = 0, .sem_op = -2, .sem_flg = SEM_UNDO },
		{ .sem_num = 1, .sem_op = 4, .sem_flg = SEM_UNDO },
	};
	static volatile int done;
	pthread_t th;

	my_handler = undo_cmd;
	if (semop(u_sem, ops, 2) ||
	    pthread_create(&th, NULL, undo_thread, (void *)&done))
		return -1;
	while (!done)
		sched_yield();
	return done == 1 ? 0 : -1;
}

static int setup_undo(void)
{
	unsigned short vals[2] = { 5, 0 };
	union { unsigned short *array; } a = { vals };

	my_handler = undo_cmd;
	u_sem = semget(IPC_PRIVATE, 2, IPC_CREAT | 0600);
	if (u_sem < 0 || semctl(u_sem, 0, SETALL, a))
		return -1;
	return spawn_fork(I_CHILD, setup_undo_child) == I_CHILD ? 0 : -1;
}

/*
 * The SEM_UNDO adjustments of a process (shared by its threads) come back
 * with it: one record in the image; after the restart, the values are
 * the same, and when the process exits, its adjustments undo what it
 * did: 5 and 0 again.
 */
TEST_F_TIMEOUT(tree, sem_undo, 300)
{
	const struct ckpt_hdr_ipc_sem_undo *u = NULL;
	struct ckpt_model m;
	struct trep r;
	uint8_t *buf;
	size_t len;

	tree_clone_flags = CLONE_NEWIPC;
	tree_start(_metadata, self, setup_undo, 2);
	ASSERT_EQ(0, snap_take(self->orig, &snap_pre));
	tree_cycle(_metadata, self, T_FILE);

	ASSERT_EQ(0, ckpt_read_image_at(self->img, 0, &buf, &len));
	ASSERT_EQ(0, ckpt_model_build(&m, buf, len)) {
		TH_LOG("%s", m.why);
	}
	for (size_t i = 0; i < m.r.nr; i++) {
		if (m.r.rec[i].type != CKPT_HDR_IPC_SEM_UNDO)
			continue;
		ASSERT_EQ(NULL, u);
		u = (const void *)m.r.rec[i].p;
	}
	ASSERT_NE(NULL, u);
	ASSERT_EQ(I_CHILD, u->pid);
	ASSERT_EQ(2U, u->nsems);
	ASSERT_EQ(2, ((const int16_t *)(u + 1))[0]);
	ASSERT_EQ(-5, ((const int16_t *)(u + 1))[1]);
	ckpt_model_free(&m);
	free(buf);

	ask(_metadata, self, 1, C_SCENARIO, UC_VALUES, &r);
	ASSERT_EQ(3, r.val[0]);
	ASSERT_EQ(5, r.val[1]);
	ASSERT_LT(0, send_cmd(_metadata, self, I_CHILD, C_EXIT, 0));
	ask(_metadata, self, 1, C_REAP, I_CHILD, &r);
	ask(_metadata, self, 1, C_SCENARIO, UC_VALUES, &r);
	ASSERT_EQ(5, r.val[0]);
	ASSERT_EQ(0, r.val[1]);
}

/* A checkpoint that must fail with @err, saying @words; the tree goes on. */
static void ipc_refused(struct __test_metadata *_metadata,
			FIXTURE_DATA(tree) *self, int (*setup)(void),
			const char *words)
{
	struct trep r;
	long ret;
	int err;

	tree_start(_metadata, self, setup, 1);
	ASSERT_EQ(0, snap_take(self->orig, &snap_pre));
	ASSERT_EQ(0, ckpt_cg_freeze(self->cg));
	tree_log(self);
	ret = sys_checkpoint(self->orig, self->img, 0, self->log[1]);
	err = errno;
	tree_log(self);
	ASSERT_EQ(-1, ret);
	ASSERT_EQ(EOPNOTSUPP, err) {
		TH_LOG("checkpoint: %s; log: \"%s\"", strerror(err),
		       self->logbuf);
	}
	ASSERT_NE(NULL, strstr(self->logbuf, words)) {
		TH_LOG("log: \"%s\"", self->logbuf);
	}
	ASSERT_EQ(0, ckpt_cg_thaw(self->cg));
	ask(_metadata, self, 1, C_REPORT, 0, &r);
}

static int setup_sem_undo_shared(void)
{
	struct sembuf op = { .sem_num = 0, .sem_op = 1, .sem_flg = SEM_UNDO };
	int id = semget(IPC_PRIVATE, 1, IPC_CREAT | 0600);
	pid_t pid;

	if (id < 0 || semop(id, &op, 1))
		return -1;
	/* A child that shares the init's adjustments, not a thread */
	pid = syscall(SYS_clone, CLONE_SYSVSEM | SIGCHLD, 0, 0, 0, 0);
	if (pid == 0) {
		for (;;)
			pause();
	}
	return pid == 2 ? 0 : -1;
}

static int setup_shm_part(void)
{
	int id = shmget(IPC_PRIVATE, 3 * 4096, IPC_CREAT | 0600);
	uint8_t *p = id < 0 ? (void *)-1 : shmat(id, NULL, 0);

	return p == (void *)-1 || munmap(p + 4096, 4096) ? -1 : 0;
}

static int setup_shm_host(void)
{
	return shmat(i_shm_a, NULL, 0) == (void *)-1 ? -1 : 0;
}

/*
 * POSIX message queues in the container's IPC namespace:
 * 1 init: /q1 (mode 0640, 8 messages of 64 bytes at most) open
 *   read-write at Q1_FD, holding "one" (priority 1), "five" (5), "one-b"
 *   (1); /q2 open write-only, non-blocking at Q2_FD, empty; /q3 with
 *   "three" (0) and no fd
 *   2 its child: /q1 open again, read-only and non-blocking, at Q1R_FD
 */
#define Q1_FD		70
#define Q2_FD		71
#define Q1R_FD		72
enum { MC_STATE = 1, MC_RECEIVE, MC_SEND, MC_Q3 };

static int mq_move(mqd_t q, int to)
{
	return q < 0 || dup2(q, to) != to || close(q) ? -1 : 0;
}

static int mq_cmd(int arg, struct trep *r)
{
	static char big[65536];
	struct mq_attr a1, a2;
	unsigned int prio;
	char buf[64];
	ssize_t n;
	mqd_t q;

	switch (arg) {
	case MC_STATE:	/* init: the attributes and flags of both */
		if (mq_getattr(Q1_FD, &a1) || mq_getattr(Q2_FD, &a2))
			return rfail(r, "mq_getattr: %s", strerror(errno));
		r->val[0] = a1.mq_maxmsg;
		r->val[1] = a1.mq_msgsize;
		r->val[2] = a1.mq_curmsgs;
		r->val[3] = a1.mq_flags;
		r->val[4] = a2.mq_flags;
		r->val[5] = fcntl(Q2_FD, F_GETFL) & O_ACCMODE;
		return 0;
	case MC_RECEIVE:	/* child: the next message, or EAGAIN */
		n = mq_receive(Q1R_FD, buf, sizeof(buf), &prio);
		r->val[0] = n;
		r->val[1] = n < 0 ? errno : prio;
		if (n > 0)
			memcpy(r->msg, buf, n < 64 ? n : 64);
		return 0;
	case MC_SEND:	/* init */
		if (mq_send(Q1_FD, "after", 5, 3))
			return rfail(r, "mq_send: %s", strerror(errno));
		return 0;
	case MC_Q3:	/* init: /q3 by its name, with its message */
		q = mq_open("/q3", O_RDONLY | O_NONBLOCK);
		n = q < 0 || mq_getattr(q, &a1) || a1.mq_msgsize > 65536 ? -1 :
		    mq_receive(q, big, a1.mq_msgsize, &prio);
		if (n != 5 || memcmp(big, "three", 5) || prio != 0)
			return rfail(r, "/q3: %zd, %s", n, strerror(errno));
		mq_close(q);
		return 0;
	}
	return rfail(r, "no command %d", arg);
}

static int setup_mq_child(void)
{
	my_handler = mq_cmd;
	return mq_move(mq_open("/q1", O_RDONLY | O_NONBLOCK), Q1R_FD);
}

static int setup_mq(void)
{
	struct mq_attr attr = { .mq_maxmsg = 8, .mq_msgsize = 64 };
	mqd_t q3;

	my_handler = mq_cmd;
	if (mq_move(mq_open("/q1", O_CREAT | O_EXCL | O_RDWR, 0640, &attr),
		    Q1_FD) ||
	    mq_move(mq_open("/q2", O_CREAT | O_WRONLY | O_NONBLOCK, 0600,
			    NULL), Q2_FD) ||
	    mq_send(Q1_FD, "one", 3, 1) || mq_send(Q1_FD, "five", 4, 5) ||
	    mq_send(Q1_FD, "one-b", 5, 1))
		return -1;
	q3 = mq_open("/q3", O_CREAT | O_WRONLY, 0600, NULL);
	if (q3 < 0 || mq_send(q3, "three", 5, 0) || mq_close(q3))
		return -1;
	return spawn_fork(I_CHILD, setup_mq_child) == I_CHILD ? 0 : -1;
}

static void mq_receive_one(struct __test_metadata *_metadata,
			   FIXTURE_DATA(tree) *self, const char *want,
			   int prio)
{
	struct trep r;

	ask(_metadata, self, I_CHILD, C_SCENARIO, MC_RECEIVE, &r);
	ASSERT_EQ((int64_t)strlen(want), r.val[0]) {
		TH_LOG("mq_receive: %lld (%s)", (long long)r.val[0],
		       r.val[0] < 0 ? strerror((int)r.val[1]) : "");
	}
	ASSERT_EQ(prio, r.val[1]);
	ASSERT_EQ(0, memcmp(r.msg, want, strlen(want)));
}

/*
 * POSIX message queues come back in the new IPC namespace with their
 * names, attributes and messages (in the order of priorities), and each
 * open file with its flags; a queue without an fd is there by its name;
 * messages go through after the restart.
 */
TEST_F_TIMEOUT(tree, mqueues, 300)
{
	struct trep r;

	tree_clone_flags = CLONE_NEWIPC;
	tree_start(_metadata, self, setup_mq, 2);
	ASSERT_EQ(0, snap_take(self->orig, &snap_pre));
	tree_cycle(_metadata, self, T_FILE);
	ask(_metadata, self, 1, C_SCENARIO, MC_STATE, &r);
	ASSERT_EQ(8, r.val[0]);
	ASSERT_EQ(64, r.val[1]);
	ASSERT_EQ(3, r.val[2]);
	ASSERT_EQ(0, r.val[3]);
	ASSERT_EQ(O_NONBLOCK, r.val[4]);
	ASSERT_EQ(O_WRONLY, r.val[5]);
	mq_receive_one(_metadata, self, "five", 5);
	mq_receive_one(_metadata, self, "one", 1);
	mq_receive_one(_metadata, self, "one-b", 1);
	ask(_metadata, self, I_CHILD, C_SCENARIO, MC_RECEIVE, &r);
	ASSERT_EQ(-1, r.val[0]);
	ASSERT_EQ(EAGAIN, r.val[1]);
	ask(_metadata, self, 1, C_SCENARIO, MC_SEND, &r);
	mq_receive_one(_metadata, self, "after", 3);
	ask(_metadata, self, 1, C_SCENARIO, MC_Q3, &r);
}

static int setup_mq_notify(void)
{
	struct sigevent ev = { .sigev_notify = SIGEV_NONE };
	mqd_t q = mq_open("/n", O_CREAT | O_RDWR, 0600, NULL);

	return q < 0 || mq_notify(q, &ev) ? -1 : 0;
}

/* A queue with a notification registered (mq_notify) is refused. */
TEST_F_TIMEOUT(tree, refuse_mq_notify, 120)
{
	tree_clone_flags = CLONE_NEWIPC;
	ipc_refused(_metadata, self, setup_mq_notify, "mq_notify");
}

/*
 * SEM_UNDO adjustments that two processes share (clone(CLONE_SYSVSEM)
 * without CLONE_THREAD) are refused.
 */
TEST_F_TIMEOUT(tree, refuse_sem_undo_shared, 120)
{
	tree_clone_flags = CLONE_NEWIPC;
	ipc_refused(_metadata, self, setup_sem_undo_shared,
		    "SEM_UNDO adjustments shared with another process");
}

/* A segment attached in part (munmap of a page of it) is refused. */
TEST_F_TIMEOUT(tree, refuse_shm_part, 120)
{
	tree_clone_flags = CLONE_NEWIPC;
	ipc_refused(_metadata, self, setup_shm_part,
		    "a part of a SysV shared memory segment");
}

/*
 * A segment of an IPC namespace that is not the container's own (here
 * the test's, which the container shares) is refused.
 */
TEST_F_TIMEOUT(tree, refuse_shm_not_own, 120)
{
	i_shm_a = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
	ASSERT_LE(0, i_shm_a);
	ipc_refused(_metadata, self, setup_shm_host,
		    "SysV shared memory of an IPC namespace that is not the container's own");
	shmctl(i_shm_a, IPC_RMID, NULL);
}

/* ------------------------------------------------------------------ */
/* Memory shared between processes                                    */

/*
 * 1 init: anonymous memory A of 3 pages mapped shared (page 2 holds a
 *   pattern), a memfd M of 2 pages at SM_MEMFD_FD mapped shared, and
 *   private memory that its children share copy-on-write
 *   2 its child: A and M from fork(); shared anonymous memory B of its
 *     own; writes half of the copy-on-write memory
 *     3 its grandchild: A but its first page (munmap: an area at an
 *       offset in the object), M and B; the copy-on-write memory as 2
 *       wrote it
 * Each process keeps a slot (its role's) in page 1 of A and in M; the
 * setup writes 100 times the role into them.
 */
#define SM_MEMFD_FD	50
#define SM_PAGES	3

static uint8_t *sm_a, *sm_b, *sm_m;
static uint8_t sm_cow[8192] __attribute__((aligned(4096)));

static int64_t *sm_slots_a(void)
{
	return (int64_t *)(sm_a + 4096);
}

static int64_t *sm_slots_m(void)
{
	return (int64_t *)sm_m;
}

static bool sm_pattern_ok(const uint8_t *p, size_t len, uint8_t seed)
{
	for (size_t i = 0; i < len; i++)
		if (p[i] != (uint8_t)(i * 7 + seed))
			return false;
	return true;
}

static void sm_pattern(uint8_t *p, size_t len, uint8_t seed)
{
	for (size_t i = 0; i < len; i++)
		p[i] = (uint8_t)(i * 7 + seed);
}

/*
 * The scenario's command: check what this process must see, write @arg
 * into its slots, and answer all the slots: val[0..2] of A, val[3..5] of
 * M through the mapping, val[6] its own of M through the fd.
 */
static int sm_cmd(int arg, struct trep *r)
{
	int64_t own = 0;

	if (!sm_pattern_ok(sm_a + 2 * 4096, 4096, 3))
		return rfail(r, "page 2 of the shared memory changed");
	if (my_role >= 2 && !sm_pattern_ok(sm_b, 4096, 5))
		return rfail(r, "its own shared memory changed");
	for (size_t i = 0; i < sizeof(sm_cow); i++) {
		uint8_t want = my_role >= 2 && i < sizeof(sm_cow) / 2 ? 'C' : 'I';

		if (sm_cow[i] != want)
			return rfail(r, "copy-on-write byte %zu is %#x, not %c",
				     i, sm_cow[i], want);
	}
	sm_slots_a()[my_role] = arg;
	sm_slots_m()[my_role] = arg;
	for (int i = 0; i < 3; i++) {
		r->val[i] = sm_slots_a()[i + 1];
		r->val[3 + i] = sm_slots_m()[i + 1];
	}
	if (pread(SM_MEMFD_FD, &own, sizeof(own), my_role * sizeof(own)) !=
	    sizeof(own))
		return rfail(r, "pread of the memfd: %s", strerror(errno));
	r->val[6] = own;
	return 0;
}

static int setup_sm_grandchild(void)
{
	my_handler = sm_cmd;
	if (munmap(sm_a, 4096))
		return -1;
	sm_slots_a()[3] = 300;
	sm_slots_m()[3] = 300;
	return 0;
}

static int setup_sm_child(void)
{
	my_handler = sm_cmd;
	sm_b = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sm_b == MAP_FAILED)
		return -1;
	sm_pattern(sm_b, 4096, 5);
	memset(sm_cow, 'C', sizeof(sm_cow) / 2);
	sm_slots_a()[2] = 200;
	sm_slots_m()[2] = 200;
	return spawn_fork(3, setup_sm_grandchild) == 3 ? 0 : -1;
}

static int setup_shared_memory(void)
{
	int fd = memfd_create("tree-shared", 0);

	my_handler = sm_cmd;
	if (fd < 0 || ftruncate(fd, 2 * 4096) ||
	    dup2(fd, SM_MEMFD_FD) != SM_MEMFD_FD || close(fd))
		return -1;
	sm_a = mmap(NULL, SM_PAGES * 4096, PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	sm_m = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED,
		    SM_MEMFD_FD, 0);
	if (sm_a == MAP_FAILED || sm_m == MAP_FAILED)
		return -1;
	sm_pattern(sm_a + 2 * 4096, 4096, 3);
	memset(sm_cow, 'I', sizeof(sm_cow));
	sm_slots_a()[1] = 100;
	sm_slots_m()[1] = 100;
	return spawn_fork(2, setup_sm_child) == 2 ? 0 : -1;
}

/* Command @arg to @pid: it must see @want in the slots of roles 1 to 3. */
static void sm_ask(struct __test_metadata *_metadata, FIXTURE_DATA(tree) *self,
		   pid_t pid, int arg, const int64_t want[3])
{
	struct trep r;

	ask(_metadata, self, pid, C_SCENARIO, arg, &r);
	for (int i = 0; i < 3; i++) {
		ASSERT_TRUE(r.val[i] == want[i] && r.val[3 + i] == want[i]) {
			TH_LOG("process %d sees %lld in slot %d of the anonymous memory, %lld in the memfd's; not %lld",
			       pid, (long long)r.val[i], i + 1,
			       (long long)r.val[3 + i], (long long)want[i]);
		}
	}
	ASSERT_EQ(arg, r.val[6]);
}

/* The image: A and B once each, as shared anonymous memory; M once. */
static void sm_image(struct __test_metadata *_metadata,
		     FIXTURE_DATA(tree) *self)
{
	size_t shmem = 0, memfd = 0, areas = 0;
	struct ckpt_model m;
	uint8_t *buf;
	size_t len;

	ASSERT_EQ(0, ckpt_read_image_at(self->img, 0, &buf, &len));
	ASSERT_EQ(0, ckpt_model_build(&m, buf, len)) {
		TH_LOG("%s", m.why);
	}
	for (size_t i = 0; i < m.nr_files; i++) {
		shmem += m.files[i].rec->type == CKPT_FILE_SHMEM;
		memfd += m.files[i].rec->type == CKPT_FILE_MEMFD;
	}
	for (size_t i = 0; i < m.nr_mms; i++)
		for (size_t k = 0; k < m.mms[i].rec->nr_vmas; k++) {
			const struct ckpt_hdr_vma *v = m.mms[i].vmas[k];
			const struct ckpt_m_file *f;

			f = ckpt_m_file_ref(&m, v->file_objref);
			areas += v->kind == CKPT_VMA_FILE && f &&
				 f->rec->type == CKPT_FILE_SHMEM;
		}
	ASSERT_EQ(2U, shmem);
	ASSERT_EQ(1U, memfd);
	ASSERT_EQ(5U, areas);	/* A in each process, B in 2 and 3 */
	ckpt_model_free(&m);
	free(buf);
}

static void shared_memory_test(struct __test_metadata *_metadata,
			       FIXTURE_DATA(tree) *self, enum transport tr)
{
	const int64_t w0[3] = { 11, 200, 300 }, w1[3] = { 11, 22, 300 };
	const int64_t w2[3] = { 11, 22, 33 }, w3[3] = { 44, 22, 33 };

	run_tree(_metadata, self, setup_shared_memory, 3, tr);
	if (tr == T_FILE)
		sm_image(_metadata, self);
	/* What each wrote before is there; what each writes now, all see. */
	sm_ask(_metadata, self, 1, 11, w0);
	sm_ask(_metadata, self, 2, 22, w1);
	sm_ask(_metadata, self, 3, 33, w2);
	sm_ask(_metadata, self, 1, 44, w3);
}

/*
 * Anonymous memory and a memfd that processes share come back shared:
 * each is one object in the image, each process sees what the others
 * wrote before and after the restart, through the mappings and the fd;
 * memory shared copy-on-write stays each process's own.
 */
TEST_F_TIMEOUT(tree, shared_memory, 300)
{
	shared_memory_test(_metadata, self, T_FILE);
}

TEST_F_TIMEOUT(tree, shared_memory_pipe, 300)
{
	shared_memory_test(_metadata, self, T_PIPE);
}

/* ------------------------------------------------------------------ */
/* Refusals                                                            */

/* A leader that exits while its thread lives on: a zombie leader. */
static void *zl_thread(void *arg)
{
	for (;;)
		pause();
	return NULL;
}

static int setup_zl_leader(void)
{
	pthread_t th;

	if (pthread_create(&th, NULL, zl_thread, NULL))
		return -1;
	return 0;
}

static int setup_zombie_leader(void)
{
	pid_t pid = syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);

	if (pid == 0) {
		if (setup_zl_leader())
			_exit(1);
		syscall(SYS_exit, 0);	/* the leader only */
	}
	return pid == 2 ? 0 : -1;
}

/*
 * Checkpoint refuses a thread group leader that exited while its threads
 * live on (EOPNOTSUPP, with the reason); the tree thaws and goes on.
 */
TEST_F_TIMEOUT(tree, refuse_zombie_leader, 120)
{
	struct timespec start;
	struct trep r;
	const char *why;
	long ret;
	int err;

	tree_start(_metadata, self, setup_zombie_leader, 1);
	ASSERT_EQ(0, snap_take(self->orig, &snap_pre));
	clock_gettime(CLOCK_MONOTONIC, &start);
	while (!snap_find(&snap_pre, 2) || snap_find(&snap_pre, 2)->state != 'Z') {
		ASSERT_GT(20000, ckpt_ms_since(&start));
		ckpt_sleep_ms(10);
		ASSERT_EQ(0, snap_take(self->orig, &snap_pre));
	}
	ASSERT_EQ(2, snap_pre.n - 1);	/* the init, the leader, its thread */
	ASSERT_EQ(0, ckpt_cg_freeze(self->cg));
	tree_log(self);
	ret = sys_checkpoint(self->orig, self->img, 0, self->log[1]);
	err = errno;
	tree_log(self);
	ASSERT_EQ(-1, ret);
	ASSERT_EQ(EOPNOTSUPP, err) {
		TH_LOG("checkpoint: %s; log: \"%s\"", strerror(err),
		       self->logbuf);
	}
	why = ckpt_log_problem(self->logbuf, "checkpoint", "leader");
	ASSERT_EQ(NULL, why) {
		TH_LOG("%s; log: \"%s\"", why, self->logbuf);
	}
	ASSERT_EQ(0, ckpt_cg_thaw(self->cg));
	ask(_metadata, self, 1, C_REPORT, 0, &r);
}

/* The init maps anonymous memory shared; the test maps it too. */
static int setup_shared_outside(void)
{
	char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return -1;
	p[0] = 1;
	return 0;
}

/*
 * Checkpoint refuses shared anonymous memory that a process outside the
 * container maps too (here the test, through /proc/PID/map_files):
 * restart could not share it with that process again.  EBUSY, with the
 * reason; the tree thaws and goes on.
 */
TEST_F_TIMEOUT(tree, refuse_shared_anon_outside, 120)
{
	char maps[64], line[512], path[PATH_MAX];
	unsigned long start = 0, end = 0;
	struct trep r;
	const char *why;
	uint8_t *p;
	FILE *f;
	long ret;
	int err, fd;

	tree_start(_metadata, self, setup_shared_outside, 1);
	ASSERT_EQ(0, snap_take(self->orig, &snap_pre));
	snprintf(maps, sizeof(maps), "/proc/%d/maps", self->orig);
	f = fopen(maps, "re");
	ASSERT_NE(NULL, f);
	while (fgets(line, sizeof(line), f))
		if (strstr(line, " rw-s ") && strstr(line, "/dev/zero") &&
		    sscanf(line, "%lx-%lx", &start, &end) == 2)
			break;
	fclose(f);
	ASSERT_NE(0UL, start);
	snprintf(path, sizeof(path), "/proc/%d/map_files/%lx-%lx", self->orig,
		 start, end);
	fd = open(path, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd) {
		TH_LOG("%s: %s", path, strerror(errno));
	}
	p = mmap(NULL, end - start, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	ASSERT_NE(MAP_FAILED, p);
	ASSERT_EQ(1, p[0]);

	ASSERT_EQ(0, ckpt_cg_freeze(self->cg));
	tree_log(self);
	ret = sys_checkpoint(self->orig, self->img, 0, self->log[1]);
	err = errno;
	tree_log(self);
	ASSERT_EQ(-1, ret);
	ASSERT_EQ(EBUSY, err) {
		TH_LOG("checkpoint: %s; log: \"%s\"", strerror(err),
		       self->logbuf);
	}
	why = ckpt_log_problem(self->logbuf, "checkpoint",
			       "mapped by a process outside");
	ASSERT_EQ(NULL, why) {
		TH_LOG("%s; log: \"%s\"", why, self->logbuf);
	}
	ASSERT_EQ(0, ckpt_cg_thaw(self->cg));
	ask(_metadata, self, 1, C_REPORT, 0, &r);
	munmap(p, end - start);
}

/*
 * Crafted trees that checkpoint never writes, whose executable is this
 * program (a restart without dry run maps it): restart refuses each with
 * EBADMSG and one line of reason, in a dry run and not, and leaves no
 * task behind, however many it had made.
 */
static char self_exe[PATH_MAX];
static uint64_t self_exe_size;

/* The init, as a crafted image has it, in version 4's order. */
static void crafted_init(struct ib *b)
{
	ib_begin(b);
	ib_file_sized(b, 1, self_exe, self_exe_size);
	ib_live_task_mm(b, 1, 0, 1, 2);
}

static uint32_t crafted_kid(struct ib *b, pid_t pid, pid_t ppid, pid_t pgid,
			    pid_t sid, uint32_t flags)
{
	uint32_t mm = flags & CKPT_TASK_ZOMBIE ? 0 : b->max_obj + 1;
	struct ckpt_hdr_task *t;

	t = ib_task(b, pid, pid, ppid, mm, flags,
		    flags & CKPT_TASK_ZOMBIE ? 0x0100 : 0);
	if (t) {
		t->pgid = pgid;
		t->sid = sid;
	}
	if (mm) {
		ib_sample_mm(b, 1, mm);
		ib_live_rest(b, pid);
	}
	return mm;
}

static void craft_parent_missing(struct ib *b)
{
	crafted_init(b);
	crafted_kid(b, 2, 1, 0, 0, 0);
	crafted_kid(b, 3, 7, 0, 0, 0);
}

static void craft_parent_zombie(struct ib *b)
{
	crafted_init(b);
	crafted_kid(b, 2, 1, 0, 0, CKPT_TASK_ZOMBIE);
	crafted_kid(b, 3, 2, 0, 0, 0);
}

static void craft_duplicate_pid(struct ib *b)
{
	crafted_init(b);
	crafted_kid(b, 2, 1, 0, 0, 0);
	crafted_kid(b, 3, 2, 0, 0, 0);
	crafted_kid(b, 2, 1, 0, 0, 0);
}

static void craft_thread_of_zombie(struct ib *b)
{
	crafted_init(b);
	crafted_kid(b, 2, 1, 0, 0, CKPT_TASK_ZOMBIE);
	ib_live_task(b, 3, 2, 1, 2);
}

static void craft_pgid_negative(struct ib *b)
{
	crafted_init(b);
	crafted_kid(b, 2, 1, 2, 0, 0);
	crafted_kid(b, 3, 2, -3, 0, 0);
}

static void craft_sid_negative(struct ib *b)
{
	crafted_init(b);
	crafted_kid(b, 2, 1, 2, -2, 0);
}

/* Group 2 in session 2, and in session 0 (3's): checked at the end. */
static void craft_group_two_sessions(struct ib *b)
{
	crafted_init(b);
	crafted_kid(b, 2, 1, 2, 2, 0);
	crafted_kid(b, 3, 1, 2, 0, 0);
}

static void crafted_refused(struct __test_metadata *_metadata,
			    FIXTURE_DATA(tree) *self, void (*craft)(struct ib *))
{
	int before = ckpt_nr_processes();
	const char *why;
	struct ib b;
	long ret;
	int err;
	ssize_t n;

	struct stat st;

	n = readlink("/proc/self/exe", self_exe, sizeof(self_exe) - 1);
	ASSERT_LT(0, n);
	self_exe[n] = '\0';
	ASSERT_EQ(0, stat(self_exe, &st));
	self_exe_size = st.st_size;
	craft(&b);
	ib_end(&b);
	ASSERT_FALSE(b.oom);
	ASSERT_EQ(b.len, ckpt_image_length(b.buf, b.len));
	ASSERT_EQ(0, ckpt_refill(self->img, b.buf, b.len));
	for (int dry = 1; dry >= 0; dry--) {
		tree_log(self);
		ASSERT_EQ(0, lseek(self->img, 0, SEEK_SET));
		ckpt_arm_alarm(60);
		ret = dry ? sys_restart(0, self->img, RESTART_DRY_RUN,
					self->log[1]) :
			    restart_into(self, self->img, 0);
		err = errno;
		ckpt_disarm_alarm();
		tree_log(self);
		ASSERT_EQ(-1, ret) {
			TH_LOG("restart%s accepted the image", dry ? " (dry run)" : "");
			if (ret > 0)
				self->restored = ret;
		}
		ASSERT_EQ(EBADMSG, err) {
			TH_LOG("restart%s: %s; log: \"%s\"",
			       dry ? " (dry run)" : "", strerror(err),
			       self->logbuf);
		}
		why = ckpt_log_problem(self->logbuf, "restart", NULL);
		ASSERT_EQ(NULL, why) {
			TH_LOG("%s; log: \"%s\"", why, self->logbuf);
		}
		/* Nothing left, not even a zombie to reap. */
		ASSERT_GE(0, waitpid(-1, NULL, WNOHANG | __WALL));
		ASSERT_EQ(before, ckpt_nr_processes());
		ASSERT_TRUE(ckpt_cg_event(self->cg_rst, "populated 0"));
	}
	ib_free(&b);
}

#define REFUSED(name)							\
	TEST_F_TIMEOUT(tree, refuse_##name, 120)			\
	{								\
		crafted_refused(_metadata, self, craft_##name);		\
	}

REFUSED(parent_missing)
REFUSED(parent_zombie)
REFUSED(duplicate_pid)
REFUSED(thread_of_zombie)
REFUSED(pgid_negative)
REFUSED(sid_negative)
REFUSED(group_two_sessions)

TEST_HARNESS_MAIN
