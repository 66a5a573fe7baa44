// SPDX-License-Identifier: GPL-2.0
/*
 * testhelper: what the shell tests need and busybox lacks (its setpriv
 * cannot change the bounding set), as one small static program:
 *
 *   testhelper dropcaps CAP[,CAP...] PROGRAM [ARGS...]
 *       run PROGRAM without the capabilities CAP (numbers, or names such
 *       as sys_admin, checkpoint_restore, net_bind_service): they leave
 *       the bounding, inheritable and ambient sets, so that root does not
 *       get them back at exec, and the effective and permitted sets
 *   testhelper trace PID
 *       attach to PID with PTRACE_SEIZE (which neither stops nor signals
 *       it), print "tracing PID" once attached, and stay its tracer until
 *       killed
 *
 * Exit status: 2 for a bad command line, 1 if a step fails (with a
 * message), else that of PROGRAM.
 */
#include <errno.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <unistd.h>

static const struct {
	const char *name;
	int cap;
} cap_names[] = {
	{ "sys_admin", CAP_SYS_ADMIN },
	{ "checkpoint_restore", CAP_CHECKPOINT_RESTORE },
	{ "sys_ptrace", CAP_SYS_PTRACE },
	{ "net_bind_service", CAP_NET_BIND_SERVICE },
	{ "net_admin", CAP_NET_ADMIN },
	{ "kill", CAP_KILL },
	{ "setuid", CAP_SETUID },
	{ "setgid", CAP_SETGID },
};

static int cap_number(const char *s)
{
	char *end;
	long v;

	if (!strncmp(s, "cap_", 4))
		s += 4;
	for (size_t i = 0; i < sizeof(cap_names) / sizeof(cap_names[0]); i++)
		if (!strcmp(s, cap_names[i].name))
			return cap_names[i].cap;
	v = strtol(s, &end, 10);
	if (*s && !*end && v >= 0 && v <= CAP_LAST_CAP)
		return (int)v;
	return -1;
}

static int dropcaps(char *list, char **argv)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];
	char *save = NULL;

	if (syscall(SYS_capget, &hdr, data)) {
		perror("testhelper: capget");
		return 1;
	}
	for (char *c = strtok_r(list, ",", &save); c;
	     c = strtok_r(NULL, ",", &save)) {
		int cap = cap_number(c);

		if (cap < 0) {
			fprintf(stderr, "testhelper: unknown capability '%s'\n",
				c);
			return 2;
		}
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) ||
		    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_LOWER, cap, 0, 0)) {
			fprintf(stderr, "testhelper: cannot drop capability %d: %s\n",
				cap, strerror(errno));
			return 1;
		}
		data[cap / 32].inheritable &= ~(1U << (cap % 32));
		data[cap / 32].permitted &= ~(1U << (cap % 32));
		data[cap / 32].effective &= ~(1U << (cap % 32));
	}
	if (syscall(SYS_capset, &hdr, data)) {
		perror("testhelper: capset");
		return 1;
	}
	execvp(argv[0], argv);
	fprintf(stderr, "testhelper: cannot run '%s': %s\n", argv[0],
		strerror(errno));
	return 1;
}

static int trace(const char *arg)
{
	char *end;
	long pid = strtol(arg, &end, 10);

	if (!*arg || *end || pid <= 0) {
		fprintf(stderr, "testhelper: '%s' is not a pid\n", arg);
		return 2;
	}
	if (ptrace(PTRACE_SEIZE, (pid_t)pid, NULL, NULL)) {
		fprintf(stderr, "testhelper: cannot trace %ld: %s\n", pid,
			strerror(errno));
		return 1;
	}
	printf("tracing %ld\n", pid);
	fflush(stdout);
	/* a tracer that is gone detaches: so stay */
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	if (argc >= 4 && !strcmp(argv[1], "dropcaps"))
		return dropcaps(argv[2], argv + 3);
	if (argc == 3 && !strcmp(argv[1], "trace"))
		return trace(argv[2]);
	fprintf(stderr,
		"usage: testhelper dropcaps CAP[,CAP...] PROGRAM [ARGS...]\n"
		"       testhelper trace PID\n");
	return 2;
}
