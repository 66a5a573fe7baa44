// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Checkpointing a container and restarting an image: the sequence around the
 * two system calls, and what their failures mean.
 *
 * The order of a checkpoint is freeze, checkpoint(2), then thaw or kill.  A
 * failure at any step after the freeze thaws the container again before
 * anything else, so that a failed checkpoint costs the container a pause and
 * nothing more.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "ckpt.h"
#include "internal.h"

/* Room for the kernel's reason: one line, or a few. */
#define REASON_MAX	1024

void ckpt_set_msg(char *msg, size_t size, const char *fmt, ...)
{
	va_list ap;

	if (!msg || !size)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, size, fmt, ap);
	va_end(ap);
}

int ckpt_checkpoint_status(int err)
{
	switch (err) {
	case ESRCH:
		return CKPT_ERR_NO_CONTAINER;
	case EBUSY:
		return CKPT_ERR_NOT_FROZEN;
	case EPERM:
	case EACCES:
		return CKPT_ERR_PERM;
	/* writing the image failed: an I/O error like any other */
	case EIO:
	case ENOSPC:
	case EDQUOT:
	case EFBIG:
	case EPIPE:
	case EINTR:
	case ENOMEM:
		return CKPT_ERR_GENERIC;
	default:
		return CKPT_ERR_KERNEL;
	}
}

int ckpt_restart_status(int err)
{
	switch (err) {
	/* the library passes pid 0 and known flags: EINVAL is the image */
	case EINVAL:
		return CKPT_ERR_NOT_IMAGE;
	case EPROTO:
		return CKPT_ERR_VERSION;
	case ENOEXEC:
		return CKPT_ERR_ARCH;
	case EBADMSG:
		return CKPT_ERR_CORRUPT;
	case ENODATA:
		return CKPT_ERR_TRUNCATED;
	case EPERM:
	case EACCES:
		return CKPT_ERR_PERM;
	case EIO:
	case EISDIR:
	case EINTR:
	case ENOMEM:
		return CKPT_ERR_GENERIC;
	default:
		return CKPT_ERR_KERNEL;
	}
}

/*
 * The kernel's log goes to a memfd rather than a pipe: it never fills up or
 * blocks, and is read once the call has returned.  Without one, the call
 * still works and the message falls back to strerror().
 */
static int open_log(void)
{
	return memfd_create("ckpt-reason", MFD_CLOEXEC);
}

void ckpt_read_reason(int logfd, char *buf, size_t size)
{
	char text[REASON_MAX], *line, *save = NULL;
	size_t len = 0;
	ssize_t n;

	if (!size)
		return;
	buf[0] = '\0';
	if (logfd < 0)
		return;
	n = pread(logfd, text, sizeof(text) - 1, 0);
	if (n <= 0)
		return;
	text[n] = '\0';
	for (line = strtok_r(text, "\n", &save); line && len + 1 < size;
	     line = strtok_r(NULL, "\n", &save)) {
		if (len) {
			snprintf(buf + len, size - len, "; ");
			len = strnlen(buf, size);
		}
		/*
		 * A reason names tasks by their comm, which their owner sets:
		 * no control character of it reaches the caller's terminal.
		 */
		for (char *p = line; *p && len + 1 < size; p++) {
			unsigned char c = *p;

			buf[len++] = c < 0x20 || c == 0x7f ? '?' : c;
		}
		buf[len] = '\0';
	}
}

/*
 * The status and message for a failed checkpoint(2) or restart(2): the
 * kernel's reason when it gave one, and for EPERM what this process lacks.
 */
static enum ckpt_status refused(bool restart, int err, int logfd, char *msg,
				size_t size)
{
	const char *op = restart ? "restart" : "checkpoint";
	const char *hint = err == EPERM ? ckpt_perm_hint(restart) : NULL;
	char reason[REASON_MAX];

	ckpt_read_reason(logfd, reason, sizeof(reason));
	if (!reason[0] && err == ENOSYS)
		snprintf(reason, sizeof(reason),
			 "%s: this kernel has no %s(2) (one built without CONFIG_CHECKPOINT?)",
			 op, op);
	else if (!reason[0])
		snprintf(reason, sizeof(reason), "%s: %s", op, strerror(err));
	if (hint)
		ckpt_set_msg(msg, size, "%s; this process %s", reason, hint);
	else
		ckpt_set_msg(msg, size, "%s", reason);
	errno = err;
	return restart ? ckpt_restart_status(err) : ckpt_checkpoint_status(err);
}

/*
 * checkpoint(2) with SIGPIPE blocked: an image pipe whose reader went away
 * must end the call with EPIPE, never kill the caller while the container
 * is frozen.  The SIGPIPE the call raised is taken off again.
 */
static int checkpoint_nosigpipe(pid_t pid, int fd, unsigned int flags,
				int logfd)
{
	struct timespec no_wait = { 0, 0 };
	sigset_t pipe_set, old, pending;
	bool was_pending;
	int ret, err;

	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
	sigpending(&pending);
	was_pending = sigismember(&pending, SIGPIPE);
	ret = ckpt_checkpoint(pid, fd, flags, logfd);
	err = errno;
	if (ret && err == EPIPE && !was_pending)
		sigtimedwait(&pipe_set, NULL, &no_wait);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	errno = err;
	return ret;
}

/* Whether cgroup @inner is @outer or inside it. */
static bool cgroup_within(const char *inner, const char *outer)
{
	size_t len = strlen(outer);

	return !strncmp(inner, outer, len) &&
	       (inner[len] == '\0' || inner[len] == '/');
}

/* The cgroup to freeze: the named container's, or the pid's. */
enum ckpt_status ckpt_find_cgroup(const struct ckpt_checkpoint_opts *o,
				  char *cgroup, size_t size)
{
	char root[PATH_MAX], self[PATH_MAX];

	if (ckpt_cgroup_root(root, sizeof(root))) {
		ckpt_set_msg(o->msg, o->msg_size,
			     "no cgroup v2 mount found: freezing a container needs one");
		return CKPT_ERR_GENERIC;
	}
	if (o->name) {
		if (ckpt_cgroup_path(o->name, cgroup, size))
			goto generic;
		if (access(cgroup, F_OK) && errno == ENOENT) {
			ckpt_set_msg(o->msg, o->msg_size,
				     "no such container: '%s' (no %s)",
				     o->name, cgroup);
			return CKPT_ERR_NO_CONTAINER;
		}
	} else if (ckpt_cgroup_of_pid(o->pid, cgroup, size)) {
		if (errno == ESRCH) {
			ckpt_set_msg(o->msg, o->msg_size,
				     "no such process: %d", (int)o->pid);
			return CKPT_ERR_NO_CONTAINER;
		}
		if (errno == ENOENT) {
			ckpt_set_msg(o->msg, o->msg_size,
				     "process %d is in no cgroup v2 group, which the freezer needs",
				     (int)o->pid);
			return CKPT_ERR_NOT_FROZEN;
		}
		goto generic;
	}
	if (!strcmp(cgroup, root)) {
		ckpt_set_msg(o->msg, o->msg_size,
			     "process %d is in the root cgroup, which cannot be frozen: run it in a container of its own",
			     (int)o->pid);
		return CKPT_ERR_NOT_FROZEN;
	}
	/* We would freeze ourselves, and wait for it forever. */
	if (!ckpt_cgroup_of_pid(getpid(), self, sizeof(self)) &&
	    cgroup_within(self, cgroup)) {
		ckpt_set_msg(o->msg, o->msg_size,
			     "refusing to freeze %s: this process is in it too",
			     cgroup);
		return CKPT_ERR_NOT_FROZEN;
	}
	return CKPT_OK;

generic:
	ckpt_set_msg(o->msg, o->msg_size, "cannot find the cgroup of %s: %s",
		     o->name ? o->name : "the process", strerror(errno));
	return CKPT_ERR_GENERIC;
}

static enum ckpt_status freeze(const struct ckpt_checkpoint_opts *o,
			       const char *cgroup)
{
	int timeout_ms = o->timeout_ms > 0 ? o->timeout_ms :
					     CKPT_FREEZE_TIMEOUT_MS;

	if (!ckpt_cgroup_freeze_stop(cgroup, timeout_ms, o->stop))
		return CKPT_OK;
	switch (errno) {
	case ETIMEDOUT:
		ckpt_set_msg(o->msg, o->msg_size,
			     "%s did not freeze within %d ms", cgroup,
			     timeout_ms);
		return CKPT_ERR_NOT_FROZEN;
	case ENOENT:
	case ENOTSUP:
		ckpt_set_msg(o->msg, o->msg_size,
			     "cannot freeze %s: no cgroup v2 freezer (Linux 5.2 or later)",
			     cgroup);
		return CKPT_ERR_NOT_FROZEN;
	case EACCES:
	case EPERM:
		ckpt_set_msg(o->msg, o->msg_size, "cannot freeze %s: %s",
			     cgroup, strerror(errno));
		return CKPT_ERR_PERM;
	case EINTR:
		ckpt_set_msg(o->msg, o->msg_size,
			     "interrupted while freezing %s", cgroup);
		return CKPT_ERR_GENERIC;
	default:
		ckpt_set_msg(o->msg, o->msg_size, "cannot freeze %s: %s",
			     cgroup, strerror(errno));
		return CKPT_ERR_GENERIC;
	}
}

/* A number field of /proc/PID/status ("PPid", "Tgid"), or -1. */
static pid_t status_field(pid_t pid, const char *field)
{
	char path[64], line[256];
	size_t len = strlen(field);
	int value = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, field, len) && line[len] == ':') {
			value = atoi(line + len + 1);
			break;
		}
	}
	fclose(f);
	return value;
}

static pid_t parent_of(pid_t pid)
{
	return status_field(pid, "PPid");
}

/*
 * The root of the named container's process tree: the one process of its
 * frozen cgroup whose parent is outside it (the init `ckpt run` started,
 * reparented when ckpt exited).  Every other process of the group is then
 * its descendant, and checkpoint(2) saves them all.
 */
static enum ckpt_status find_root(const struct ckpt_checkpoint_opts *o,
				  const char *cgroup, pid_t *root)
{
	size_t nr, roots = 0;
	pid_t *pids;

	if (ckpt_cgroup_pids(cgroup, &pids, &nr)) {
		ckpt_set_msg(o->msg, o->msg_size, "cannot list %s: %s",
			     cgroup, strerror(errno));
		return CKPT_ERR_GENERIC;
	}
	for (size_t i = 0; i < nr; i++) {
		pid_t ppid = parent_of(pids[i]);
		bool inside = false;

		for (size_t j = 0; j < nr && !inside; j++)
			inside = pids[j] == ppid;
		if (!inside) {
			*root = pids[i];
			roots++;
		}
	}
	free(pids);
	if (roots == 1)
		return CKPT_OK;
	if (roots == 0) {
		ckpt_set_msg(o->msg, o->msg_size,
			     "no such container: '%s' has no processes left",
			     o->name);
		return CKPT_ERR_NO_CONTAINER;
	}
	ckpt_set_msg(o->msg, o->msg_size,
		     "container '%s' holds %zu process trees: checkpoint one by its pid",
		     o->name, roots);
	return CKPT_ERR_GENERIC;
}

static void verbose(const struct ckpt_checkpoint_opts *o, const char *fmt,
		    ...) __attribute__((format(printf, 2, 3)));

static void verbose(const struct ckpt_checkpoint_opts *o, const char *fmt,
		    ...)
{
	va_list ap;

	if (!o->verbose)
		return;
	va_start(ap, fmt);
	vfprintf(o->verbose, fmt, ap);
	va_end(ap);
	fputc('\n', o->verbose);
	fflush(o->verbose);
}

static bool stopped(const struct ckpt_checkpoint_opts *o)
{
	return o->stop && *o->stop;
}

/*
 * --kill by pid: the pid's cgroup may hold more than the tree that was saved
 * (the shell that started it, say), and those are not ours to kill.  So the
 * whole cgroup is killed only if it is all tree; otherwise each process of
 * the tree gets a SIGKILL (which reaches a frozen task), and the cgroup is
 * thawed for the others.  The group is frozen: no process of it forks.
 */
static int kill_tree(const struct ckpt_checkpoint_opts *o,
		     const char *cgroup, pid_t pid, bool was_frozen)
{
	pid_t root = status_field(pid, "Tgid"), *pids;
	size_t nr, in_tree = 0;
	bool *mark, more = true;

	if (ckpt_cgroup_pids(cgroup, &pids, &nr))
		return -1;
	mark = calloc(nr ? nr : 1, sizeof(*mark));
	if (!mark) {
		free(pids);
		return -1;
	}
	for (size_t i = 0; i < nr; i++)
		mark[i] = pids[i] == root;
	/* descendants, one generation per pass */
	while (more) {
		more = false;
		for (size_t i = 0; i < nr; i++) {
			pid_t ppid = mark[i] ? -1 : parent_of(pids[i]);

			for (size_t j = 0; j < nr && ppid > 0 && !mark[i]; j++)
				if (mark[j] && pids[j] == ppid)
					mark[i] = more = true;
		}
	}
	for (size_t i = 0; i < nr; i++)
		in_tree += mark[i];
	if (in_tree == nr) {
		free(mark);
		free(pids);
		if (ckpt_cgroup_kill(cgroup, o->timeout_ms))
			return -1;
		verbose(o, "killed the processes of %s", cgroup);
		return 0;
	}
	for (size_t i = 0; i < nr; i++)
		if (mark[i])
			kill(pids[i], SIGKILL);
	free(mark);
	free(pids);
	verbose(o, "killed process %d and its %zu descendants in %s",
		(int)root, in_tree ? in_tree - 1 : 0, cgroup);
	if (was_frozen)
		return 0;
	if (ckpt_cgroup_thaw(cgroup, o->timeout_ms))
		return -1;
	verbose(o, "thawed the %zu other processes of %s", nr - in_tree,
		cgroup);
	return 0;
}

/* Thaw after a failure, adding to the message if that fails too. */
static void thaw_back(const struct ckpt_checkpoint_opts *o,
		      const char *cgroup)
{
	size_t len;
	int err = errno;

	if (!ckpt_cgroup_thaw(cgroup, o->timeout_ms)) {
		verbose(o, "thawed %s", cgroup);
	} else if (o->msg && o->msg_size) {
		len = strnlen(o->msg, o->msg_size);
		snprintf(o->msg + len, o->msg_size - len,
			 "; and thawing %s failed too: %s", cgroup,
			 strerror(errno));
	}
	errno = err;
}

enum ckpt_status
ckpt_checkpoint_container(const struct ckpt_checkpoint_opts *o)
{
	char cgroup[PATH_MAX], freeze_setting[8];
	enum ckpt_status st;
	bool was_frozen;
	pid_t pid = o->pid;
	int logfd, err;

	if (!o->name == (o->pid <= 0) || o->flags & ~CHECKPOINT_FLAGS_ALL ||
	    (o->after != CKPT_LEAVE_RUNNING && o->after != CKPT_KILL) ||
	    (o->name && !ckpt_valid_name(o->name))) {
		ckpt_set_msg(o->msg, o->msg_size,
			     "checkpoint needs a pid or a valid container name, known flags and what to do after");
		errno = EINVAL;
		return CKPT_ERR_USAGE;
	}
	st = ckpt_find_cgroup(o, cgroup, sizeof(cgroup));
	if (st)
		return st;

	/* A group its owner froze stays frozen, whatever happens here. */
	was_frozen = ckpt_read_text(cgroup, "cgroup.freeze", freeze_setting,
				    sizeof(freeze_setting)) > 0 &&
		     freeze_setting[0] == '1';
	st = freeze(o, cgroup);
	if (st) {
		if (!was_frozen)
			thaw_back(o, cgroup);
		return st;
	}
	verbose(o, "froze %s", cgroup);

	if (o->name)
		st = find_root(o, cgroup, &pid);
	if (!st && !stopped(o)) {
		logfd = open_log();
		if (checkpoint_nosigpipe(pid, o->fd, o->flags, logfd))
			st = refused(false, errno, logfd, o->msg, o->msg_size);
		err = errno;
		if (logfd >= 0)
			close(logfd);
		errno = err;
	}
	/* the image is complete only once the caller's pump wrote it all */
	if (!st && !stopped(o) && o->complete)
		st = o->complete(o->complete_arg, o->msg, o->msg_size);
	/*
	 * A stop undoes the checkpoint even if it arrived during a call that
	 * completed: whoever asked for it wants the container as it was, not
	 * killed after all.
	 */
	if (!st && stopped(o)) {
		ckpt_set_msg(o->msg, o->msg_size, "interrupted");
		errno = EINTR;
		st = CKPT_ERR_GENERIC;
	}
	if (st) {
		if (!was_frozen)
			thaw_back(o, cgroup);
		return st;
	}
	verbose(o, "saved process %d, its threads and its descendants",
		(int)pid);

	if (o->after == CKPT_KILL && !o->name) {
		if (kill_tree(o, cgroup, pid, was_frozen))
			goto after_failed;
	} else if (o->after == CKPT_KILL) {
		if (ckpt_cgroup_kill(cgroup, o->timeout_ms))
			goto after_failed;
		verbose(o, "killed the processes of %s", cgroup);
		/* the group was the container's own, and it is gone now */
		if (!ckpt_cgroup_remove(cgroup))
			verbose(o, "removed %s", cgroup);
	} else if (!was_frozen) {
		if (ckpt_cgroup_thaw(cgroup, o->timeout_ms))
			goto after_failed;
		verbose(o, "thawed %s", cgroup);
	} else {
		verbose(o, "left %s frozen, as it was", cgroup);
	}
	return CKPT_OK;

after_failed:
	err = errno;
	ckpt_set_msg(o->msg, o->msg_size,
		     "the image is complete, but %s %s failed: %s",
		     o->after == CKPT_KILL ? "killing" : "thawing", cgroup,
		     strerror(err));
	errno = err;
	return CKPT_ERR_GENERIC;
}

/*
 * Restart into the container's own cgroup, frozen first, so that the
 * restored tree is in it, and frozen, before its first instruction
 * (RESTART_INTO_CGROUP); then thaw it, unless asked to leave it frozen.
 * On failure the cgroup made for it is removed again.
 */
static enum ckpt_status restart_into_cgroup(struct ckpt_restart_opts *o)
{
	enum ckpt_status st = CKPT_OK;
	char cgroup[PATH_MAX];
	int logfd, cgfd, err, ret, made;
	pid_t *pids = NULL;
	size_t nr = 0;

	made = ckpt_cgroup_create(o->name, cgroup, sizeof(cgroup));
	/* Never freeze, or restart into, a container that runs */
	if (made == 1 && (ckpt_cgroup_pids(cgroup, &pids, &nr) < 0 || nr)) {
		free(pids);
		ckpt_set_msg(o->msg, o->msg_size,
			     "a container named '%s' already runs", o->name);
		errno = EEXIST;
		return CKPT_ERR_GENERIC;
	}
	free(pids);
	if (made < 0 || ckpt_cgroup_freeze(cgroup, 0) < 0) {
		ckpt_set_msg(o->msg, o->msg_size,
			     "cannot create a frozen cgroup for '%s': %s",
			     o->name, strerror(errno));
		return CKPT_ERR_GENERIC;
	}
	cgfd = open(cgroup, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (cgfd < 0) {
		ckpt_set_msg(o->msg, o->msg_size, "%s: %s", cgroup,
			     strerror(errno));
		ckpt_cgroup_remove(cgroup);
		return CKPT_ERR_GENERIC;
	}
	logfd = open_log();
	ret = ckpt_restart(cgfd, o->fd, o->flags | RESTART_INTO_CGROUP, logfd);
	if (ret < 0)
		st = refused(true, errno, logfd, o->msg, o->msg_size);
	else
		o->pid = ret;
	err = errno;
	if (logfd >= 0)
		close(logfd);
	close(cgfd);
	if (st) {
		ckpt_cgroup_remove(cgroup);
	} else if (!o->frozen && ckpt_cgroup_thaw(cgroup, 0) < 0) {
		err = errno;
		ckpt_set_msg(o->msg, o->msg_size, "%s: cannot thaw it: %s",
			     cgroup, strerror(err));
		st = CKPT_ERR_GENERIC;
	}
	errno = err;
	return st;
}

enum ckpt_status ckpt_restart_container(struct ckpt_restart_opts *o)
{
	enum ckpt_status st = CKPT_OK;
	int logfd, err, ret;

	if (o->flags & ~RESTART_FLAGS_ALL ||
	    (o->name && !ckpt_valid_name(o->name))) {
		ckpt_set_msg(o->msg, o->msg_size,
			     "restart needs known flags and a valid container name");
		errno = EINVAL;
		return CKPT_ERR_USAGE;
	}
	if (o->name && !(o->flags & RESTART_DRY_RUN))
		return restart_into_cgroup(o);
	logfd = open_log();
	ret = ckpt_restart(0, o->fd, o->flags, logfd);
	if (ret < 0)
		st = refused(true, errno, logfd, o->msg, o->msg_size);
	else
		o->pid = ret;
	err = errno;
	if (logfd >= 0)
		close(logfd);
	errno = err;
	return st;
}

enum ckpt_status ckpt_restart_stream(struct ckpt_restart_opts *o,
				     ckpt_pump_progress_fn *progress,
				     void *arg)
{
	enum ckpt_status st, pump_st;
	struct ckpt_pump *pump;
	int fd = o->fd, err;

	/*
	 * Whether the image is compressed is looked at without reading it,
	 * where the kind of file allows (-1 where it does not: the pump
	 * reads it, and tells).
	 */
	if (!progress && ckpt_fd_is_lz4(fd) == 0)
		return ckpt_restart_container(o);

	pump = ckpt_pump_start(fd, CKPT_PUMP_READ, progress, arg);
	if (!pump) {
		err = errno;
		ckpt_set_msg(o->msg, o->msg_size,
			     "cannot pass the image through a pump: %s",
			     strerror(err));
		errno = err;
		return CKPT_ERR_GENERIC;
	}
	o->fd = ckpt_pump_fd(pump);
	st = ckpt_restart_container(o);
	err = errno;
	o->fd = fd;
	/*
	 * If the kernel refused the image, a failure of the pump's came
	 * first and is the reason: the kernel then saw a short image.
	 */
	pump_st = ckpt_pump_finish(pump, st == CKPT_OK, NULL);
	if (st && pump_st) {
		ckpt_set_msg(o->msg, o->msg_size, "%s", ckpt_pump_error(pump));
		st = pump_st;
		err = ckpt_pump_errno(pump) ? ckpt_pump_errno(pump) : EIO;
	}
	ckpt_pump_free(pump);
	errno = err;
	return st;
}
