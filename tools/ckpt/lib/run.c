// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Starting a container: a program as the init of new pid, UTS, IPC and mount
 * namespaces, in a cgroup of its own from its first instruction.
 *
 * clone3() with CLONE_INTO_CGROUP puts the child in the container's cgroup as
 * it is created, rather than moving it there afterwards: no process of the
 * container ever runs outside the group that the freezer stops, and nothing
 * else is in that group.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/sched.h>	/* struct clone_args, CLONE_INTO_CGROUP */
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ckpt.h"
#include "internal.h"

/* What the child sends back through the pipe when it fails before exec. */
struct child_failure {
	int step;
	int err;
};

enum { STEP_HOSTNAME = 1, STEP_EXEC };

/*
 * The child, between clone3() and exec.  It runs on a copy of the parent's
 * memory after a raw clone3(), without the libc's fork handlers, so it only
 * makes system calls and never touches a lock, stdio or malloc.
 */
__attribute__((noreturn))
static void child(const char *name, char *const *argv, int status_fd)
{
	struct child_failure f = { 0, 0 };
	sigset_t none;

	/*
	 * A session of its own: the terminal and job control of the shell
	 * that ran ckpt reach the container no more once ckpt has exited.
	 */
	setsid();
	/* The caller's blocked signals are the caller's business, not init's. */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (sethostname(name, strlen(name))) {
		f.step = STEP_HOSTNAME;
		f.err = errno;
	} else {
		execvp(argv[0], argv);
		f.step = STEP_EXEC;
		f.err = errno;
	}
	if (write(status_fd, &f, sizeof(f)) != sizeof(f))
		_exit(126);
	_exit(127);
}

/*
 * The container's cgroup, created or reused: an empty one is what a container
 * that exited left behind, and it must not start the next one frozen.
 */
static enum ckpt_status make_cgroup(const struct ckpt_run_opts *o,
				    const char *name, char *cgroup,
				    size_t size, bool *created)
{
	char events[256];
	int ret;

	ret = ckpt_cgroup_create(name, cgroup, size);
	if (ret < 0) {
		ckpt_set_msg(o->msg, o->msg_size,
			     "cannot create the cgroup of container '%s': %s",
			     name, strerror(errno));
		if (errno == EACCES || errno == EPERM)
			return CKPT_ERR_PERM;
		return CKPT_ERR_GENERIC;
	}
	*created = ret == 0;
	if (*created)
		return CKPT_OK;
	if (ckpt_read_text(cgroup, "cgroup.events", events,
			   sizeof(events)) < 0) {
		ckpt_set_msg(o->msg, o->msg_size, "cannot read %s: %s",
			     cgroup, strerror(errno));
		return CKPT_ERR_GENERIC;
	}
	if (strstr(events, "populated 1")) {
		ckpt_set_msg(o->msg, o->msg_size,
			     "a container named '%s' is running already (%s)",
			     name, cgroup);
		errno = EEXIST;
		return CKPT_ERR_GENERIC;
	}
	ckpt_write_text(cgroup, "cgroup.freeze", "0");
	return CKPT_OK;
}

static enum ckpt_status clone_failed(const struct ckpt_run_opts *o, int err)
{
	switch (err) {
	case EPERM:
		ckpt_set_msg(o->msg, o->msg_size,
			     "cannot create the container's namespaces: %s (this needs CAP_SYS_ADMIN)",
			     strerror(err));
		return CKPT_ERR_PERM;
	case ENOSYS:
		ckpt_set_msg(o->msg, o->msg_size,
			     "this kernel has no clone3() (Linux 5.7 or later is needed)");
		return CKPT_ERR_GENERIC;
	case EINVAL:
		ckpt_set_msg(o->msg, o->msg_size,
			     "cannot start the container: %s (a kernel without pid, UTS, IPC or mount namespaces, or without CLONE_INTO_CGROUP?)",
			     strerror(err));
		return CKPT_ERR_GENERIC;
	default:
		ckpt_set_msg(o->msg, o->msg_size,
			     "cannot start the container: %s", strerror(err));
		return CKPT_ERR_GENERIC;
	}
}

enum ckpt_status ckpt_run_container(const struct ckpt_run_opts *o,
				    pid_t *host_pid)
{
	char default_name[CKPT_NAME_MAX + 1], cgroup[PATH_MAX];
	const char *name = o->name;
	struct clone_args args;
	struct child_failure f;
	enum ckpt_status st;
	int status_pipe[2], cgroup_fd, err;
	bool created;
	ssize_t n;
	long pid;

	if (!name) {
		snprintf(default_name, sizeof(default_name), "ckpt-%d",
			 (int)getpid());
		name = default_name;
	}
	if (!o->argv || !o->argv[0] || !ckpt_valid_name(name)) {
		ckpt_set_msg(o->msg, o->msg_size,
			     "a container needs a program and a valid name");
		errno = EINVAL;
		return CKPT_ERR_USAGE;
	}
	st = make_cgroup(o, name, cgroup, sizeof(cgroup), &created);
	if (st)
		return st;

	cgroup_fd = open(cgroup, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (cgroup_fd < 0) {
		err = errno;
		ckpt_set_msg(o->msg, o->msg_size, "cannot open %s: %s",
			     cgroup, strerror(err));
		goto fail_cgroup;
	}
	/* Close-on-exec: it reads end-of-file once the program runs. */
	if (pipe2(status_pipe, O_CLOEXEC)) {
		err = errno;
		close(cgroup_fd);
		ckpt_set_msg(o->msg, o->msg_size, "cannot make a pipe: %s",
			     strerror(err));
		goto fail_cgroup;
	}

	memset(&args, 0, sizeof(args));
	args.flags = CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNS |
		     CLONE_INTO_CGROUP;
	args.exit_signal = SIGCHLD;
	args.cgroup = (uint64_t)cgroup_fd;
	pid = syscall(SYS_clone3, &args, sizeof(args));
	if (pid == 0) {
		close(status_pipe[0]);
		child(name, o->argv, status_pipe[1]);
	}
	err = errno;
	close(cgroup_fd);
	close(status_pipe[1]);
	if (pid < 0) {
		close(status_pipe[0]);
		st = clone_failed(o, err);
		goto fail_remove;
	}

	do
		n = read(status_pipe[0], &f, sizeof(f));
	while (n < 0 && errno == EINTR);
	close(status_pipe[0]);
	if (n <= 0) {
		*host_pid = (pid_t)pid;
		return CKPT_OK;
	}

	waitpid((pid_t)pid, NULL, 0);
	err = n == sizeof(f) ? f.err : EIO;
	if (n == sizeof(f) && f.step == STEP_HOSTNAME)
		ckpt_set_msg(o->msg, o->msg_size,
			     "cannot set the container's hostname to '%s': %s",
			     name, strerror(err));
	else
		ckpt_set_msg(o->msg, o->msg_size, "cannot run '%s': %s",
			     o->argv[0], strerror(err));
	st = CKPT_ERR_GENERIC;
	goto fail_remove;

fail_cgroup:
	st = err == EACCES || err == EPERM ? CKPT_ERR_PERM : CKPT_ERR_GENERIC;
fail_remove:
	if (created)
		ckpt_cgroup_remove(cgroup);
	errno = err;
	return st;
}
