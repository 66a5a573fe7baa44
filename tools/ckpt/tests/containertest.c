// SPDX-License-Identifier: GPL-2.0
/*
 * containertest: checks of the container half of libckpt that need no
 * checkpoint(2) or restart(2) (on the host, 463 and 464 may be other system
 * calls), one per invocation so that tests/run.sh numbers and reports them:
 *
 *   containertest names              ckpt_valid_name()
 *   containertest status-map         errno to exit status, for both calls
 *   containertest reason             the kernel's log read as one line
 *   containertest perm-hint [--drop] the EPERM hint; --drop first clears
 *                                    CAP_SYS_ADMIN and CAP_CHECKPOINT_RESTORE
 *                                    from the effective set
 *   containertest opts               bad options refused before any call
 *   containertest cgroup-root        print where cgroup v2 is mounted
 *   containertest cgroup-of PID      print the cgroup of PID
 *   containertest freeze|thaw|kill|remove CGROUP
 *   containertest checkpoint (--name NAME|--pid PID) [--kill]
 *                            [--fail ERRNO] [--broken-pipe]
 *   containertest restart [--fail ERRNO]
 *       ckpt_checkpoint_container() and ckpt_restart_container() on top of
 *       fake system calls (below), which check what the kernel checks (the
 *       tasks are frozen) and fail as told; prints the status and message.
 *
 * The fakes replace ckpt_checkpoint() and ckpt_restart(): defined here, they
 * keep the linker from taking lib/syscall.o out of libckpt.a at all.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../lib/ckpt.h"
#include "../lib/internal.h"

static int failures;

#define CHECK(cond, ...)						\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "containertest: %s:%d: ",	\
				__FILE__, __LINE__);			\
			fprintf(stderr, __VA_ARGS__);			\
			fputc('\n', stderr);				\
			failures++;					\
		}							\
	} while (0)

/* The errno a fake system call fails with: --fail NAME, or 0. */
static int fake_errno;

static const struct { const char *name; int err; } errno_names[] = {
	{ "EBUSY", EBUSY }, { "EPERM", EPERM }, { "ESRCH", ESRCH },
	{ "EINVAL", EINVAL }, { "EPROTO", EPROTO }, { "ENOEXEC", ENOEXEC },
	{ "EBADMSG", EBADMSG }, { "ENODATA", ENODATA },
	{ "EOPNOTSUPP", EOPNOTSUPP }, { "ENOSYS", ENOSYS },
};

static int parse_errno(const char *name)
{
	for (size_t i = 0; i < sizeof(errno_names) / sizeof(errno_names[0]); i++)
		if (!strcmp(errno_names[i].name, name))
			return errno_names[i].err;
	return -1;
}

/* The kernel's reason, except where a kernel without the call gives none. */
static int fake_fail(int logfd, const char *op)
{
	if (fake_errno != ENOSYS)
		dprintf(logfd, "%s: fake reason (%s)\n", op,
			strerror(fake_errno));
	errno = fake_errno;
	return -1;
}

int ckpt_checkpoint(pid_t pid, int fd, unsigned int flags, int logfd)
{
	static const char image[] = "fake image\n";
	char cgroup[PATH_MAX], events[256];

	(void)flags;
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
	printf("fake checkpoint: process %d, frozen\n", (int)pid);
	if (fake_errno)
		return fake_fail(logfd, "checkpoint");
	/* a pipe with no reader: SIGPIPE, blocked by the library, and EPIPE */
	if (write(fd, image, sizeof(image) - 1) < 0)
		return -1;
	return 0;
}

int ckpt_restart(pid_t pid, int fd, unsigned int flags, int logfd)
{
	(void)pid;
	(void)fd;
	(void)flags;
	if (fake_errno)
		return fake_fail(logfd, "restart");
	return 0;
}

static int test_names(void)
{
	static const char *const good[] = {
		"demo", "a", "web-1", "db_2.prod", "A0",
		"0123456789012345678901234567890123456789012345678901234567890123",
	};
	static const char *const bad[] = {
		"", ".", "..", ".hidden", "-rf", "a/b", "a b", "a\nb", "ü",
		"01234567890123456789012345678901234567890123456789012345678901234",
	};

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		CHECK(ckpt_valid_name(good[i]), "'%s' refused", good[i]);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK(!ckpt_valid_name(bad[i]), "'%s' accepted", bad[i]);
	CHECK(!ckpt_valid_name(NULL), "NULL accepted");
	return failures ? 1 : 0;
}

static int test_status_map(void)
{
	static const struct { int err, restart, want; } map[] = {
		{ EINVAL,     1, CKPT_ERR_NOT_IMAGE },
		{ EPROTO,     1, CKPT_ERR_VERSION },
		{ ENOEXEC,    1, CKPT_ERR_ARCH },
		{ EBADMSG,    1, CKPT_ERR_CORRUPT },
		{ ENODATA,    1, CKPT_ERR_TRUNCATED },
		{ EPERM,      1, CKPT_ERR_PERM },
		{ EOPNOTSUPP, 1, CKPT_ERR_KERNEL },
		{ ENOSYS,     1, CKPT_ERR_KERNEL },
		{ EBADF,      1, CKPT_ERR_KERNEL },
		{ EIO,        1, CKPT_ERR_GENERIC },
		{ ESRCH,      0, CKPT_ERR_NO_CONTAINER },
		{ EBUSY,      0, CKPT_ERR_NOT_FROZEN },
		{ EPERM,      0, CKPT_ERR_PERM },
		{ EINVAL,     0, CKPT_ERR_KERNEL },
		{ EBADF,      0, CKPT_ERR_KERNEL },
		{ ENOSYS,     0, CKPT_ERR_KERNEL },
		{ EPIPE,      0, CKPT_ERR_GENERIC },
		{ ENOSPC,     0, CKPT_ERR_GENERIC },
		{ EINTR,      0, CKPT_ERR_GENERIC },
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		int got = map[i].restart ? ckpt_restart_status(map[i].err) :
					   ckpt_checkpoint_status(map[i].err);

		CHECK(got == map[i].want, "%s: %s gives %d, expected %d",
		      map[i].restart ? "restart" : "checkpoint",
		      strerror(map[i].err), got, map[i].want);
	}
	return failures ? 1 : 0;
}

static int test_reason(void)
{
	static const char log[] = "checkpoint: task 5 (sh): not frozen\n"
				  "checkpoint: task 6 (\033[2J): x\n";
	char buf[256], small[12];
	int fd = memfd_create("reason", MFD_CLOEXEC);

	CHECK(fd >= 0, "memfd_create: %s", strerror(errno));
	if (fd < 0)
		return 1;
	ckpt_read_reason(fd, buf, sizeof(buf));
	CHECK(!strcmp(buf, ""), "empty log gives '%s'", buf);
	CHECK(write(fd, log, sizeof(log) - 1) == sizeof(log) - 1, "write");
	ckpt_read_reason(fd, buf, sizeof(buf));
	CHECK(!strcmp(buf, "checkpoint: task 5 (sh): not frozen; checkpoint: task 6 (?[2J): x"),
	      "got '%s'", buf);
	ckpt_read_reason(fd, small, sizeof(small));
	CHECK(!strcmp(small, "checkpoint:"), "cut short: '%s'", small);
	ckpt_read_reason(-1, buf, sizeof(buf));
	CHECK(!strcmp(buf, ""), "no log gives '%s'", buf);
	close(fd);
	return failures ? 1 : 0;
}

static int test_perm_hint(int argc, char **argv)
{
	static const cap_value_t caps[] = {
		CAP_SYS_ADMIN, CAP_CHECKPOINT_RESTORE
	};
	const char *hint;
	cap_t c;

	if (argc > 2 && !strcmp(argv[2], "--drop")) {
		c = cap_get_proc();
		if (!c || cap_set_flag(c, CAP_EFFECTIVE, 2, caps, CAP_CLEAR) ||
		    cap_set_proc(c)) {
			perror("dropping capabilities");
			return 1;
		}
		cap_free(c);
	}
	hint = ckpt_perm_hint(0);
	CHECK(hint, "no hint for checkpoint");
	if (hint)
		printf("checkpoint: %s\n", hint);
	hint = ckpt_perm_hint(1);
	CHECK(hint, "no hint for restart");
	if (hint)
		printf("restart: %s\n", hint);
	return failures ? 1 : 0;
}

static int test_opts(void)
{
	struct ckpt_checkpoint_opts c;
	struct ckpt_restart_opts r;
	char msg[256];

	memset(&c, 0, sizeof(c));
	c.fd = -1;
	c.msg = msg;
	c.msg_size = sizeof(msg);
	CHECK(ckpt_checkpoint_container(&c) == CKPT_ERR_USAGE,
	      "checkpoint with neither pid nor name");
	c.pid = 1;
	c.name = "demo";
	CHECK(ckpt_checkpoint_container(&c) == CKPT_ERR_USAGE,
	      "checkpoint with a pid and a name");
	c.pid = 0;
	c.name = "a/b";
	CHECK(ckpt_checkpoint_container(&c) == CKPT_ERR_USAGE,
	      "checkpoint with a bad name");
	c.name = "demo";
	c.flags = 1U << 31;	/* unknown for long, whatever comes */
	CHECK(ckpt_checkpoint_container(&c) == CKPT_ERR_USAGE,
	      "checkpoint with unknown flags");
	c.flags = 0;
	c.after = (enum ckpt_after)7;
	CHECK(ckpt_checkpoint_container(&c) == CKPT_ERR_USAGE,
	      "checkpoint with an unknown after");

	memset(&r, 0, sizeof(r));
	r.fd = -1;
	r.flags = ~RESTART_FLAGS_ALL;
	CHECK(ckpt_restart_container(&r) == CKPT_ERR_USAGE,
	      "restart with unknown flags");
	r.flags = RESTART_DRY_RUN;
	r.name = "..";
	CHECK(ckpt_restart_container(&r) == CKPT_ERR_USAGE,
	      "restart with a bad name");
	return failures ? 1 : 0;
}

static int test_checkpoint(int argc, char **argv)
{
	struct ckpt_checkpoint_opts o;
	bool broken_pipe = false;
	int pipefd[2], ret;
	char msg[1024] = "";

	memset(&o, 0, sizeof(o));
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--name") && i + 1 < argc)
			o.name = argv[++i];
		else if (!strcmp(argv[i], "--pid") && i + 1 < argc)
			o.pid = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--kill"))
			o.after = CKPT_KILL;
		else if (!strcmp(argv[i], "--fail") && i + 1 < argc)
			fake_errno = parse_errno(argv[++i]);
		else if (!strcmp(argv[i], "--broken-pipe"))
			broken_pipe = true;
		else
			return 2;
	}
	if (fake_errno < 0 || pipe(pipefd))
		return 2;
	if (broken_pipe)
		close(pipefd[0]);
	o.fd = pipefd[1];
	o.msg = msg;
	o.msg_size = sizeof(msg);
	o.verbose = stdout;
	o.timeout_ms = 5000;
	ret = ckpt_checkpoint_container(&o);
	/* still alive after a broken pipe: SIGPIPE did not kill us */
	printf("status %d: %s\n", ret, msg);
	return ret;
}

static int test_restart(int argc, char **argv)
{
	struct ckpt_restart_opts o;
	char msg[1024] = "";
	int ret;

	if (argc == 4 && !strcmp(argv[2], "--fail"))
		fake_errno = parse_errno(argv[3]);
	else if (argc != 2)
		return 2;
	if (fake_errno < 0)
		return 2;
	memset(&o, 0, sizeof(o));
	o.fd = 0;
	o.flags = RESTART_DRY_RUN;
	o.msg = msg;
	o.msg_size = sizeof(msg);
	ret = ckpt_restart_container(&o);
	printf("status %d: %s\n", ret, msg);
	return ret;
}

/* The cgroup helpers, each as one command, for tests/run.sh to string. */
static int cgroup_command(const char *cmd, const char *arg)
{
	char path[4096];
	int ret = -1;

	if (!strcmp(cmd, "cgroup-root")) {
		ret = ckpt_cgroup_root(path, sizeof(path));
		if (!ret)
			printf("%s\n", path);
	} else if (!strcmp(cmd, "cgroup-of") && arg) {
		ret = ckpt_cgroup_of_pid(atoi(arg), path, sizeof(path));
		if (!ret)
			printf("%s\n", path);
	} else if (!strcmp(cmd, "freeze") && arg) {
		ret = ckpt_cgroup_freeze(arg, 0);
	} else if (!strcmp(cmd, "thaw") && arg) {
		ret = ckpt_cgroup_thaw(arg, 0);
	} else if (!strcmp(cmd, "kill") && arg) {
		ret = ckpt_cgroup_kill(arg, 0);
	} else if (!strcmp(cmd, "remove") && arg) {
		ret = ckpt_cgroup_remove(arg);
	} else {
		return 2;
	}
	if (ret)
		printf("error: %s\n", strerror(errno));
	return ret ? 1 : 0;
}

int main(int argc, char **argv)
{
	int ret;

	if (argc < 2)
		goto usage;
	if (!strcmp(argv[1], "names"))
		return test_names();
	if (!strcmp(argv[1], "status-map"))
		return test_status_map();
	if (!strcmp(argv[1], "reason"))
		return test_reason();
	if (!strcmp(argv[1], "perm-hint"))
		return test_perm_hint(argc, argv);
	if (!strcmp(argv[1], "opts"))
		return test_opts();
	if (!strcmp(argv[1], "checkpoint"))
		return test_checkpoint(argc, argv);
	if (!strcmp(argv[1], "restart"))
		return test_restart(argc, argv);
	ret = cgroup_command(argv[1], argc > 2 ? argv[2] : NULL);
	if (ret != 2)
		return ret;
usage:
	fprintf(stderr, "usage: containertest names|status-map|reason|perm-hint|opts|cgroup-root|\n"
		"       cgroup-of PID|freeze|thaw|kill|remove CGROUP|checkpoint ...|restart ...\n");
	return 2;
}
