// SPDX-License-Identifier: GPL-2.0
/*
 * ckpt run [--name NAME] [--] PROGRAM [ARGS...]: start PROGRAM as the init of
 * a new container, print its pid, and leave it running.
 *
 * It is the container that `ckpt checkpoint --name NAME` expects: a cgroup of
 * its own holding one process tree and nothing else.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "lib/ckpt.h"

void cmd_run_usage(FILE *out)
{
	fputs("Usage: ckpt run [--name NAME] [--] PROGRAM [ARGS...]\n"
	      "\n"
	      "Start PROGRAM as the init (pid 1) of a new container: new pid, UTS,\n"
	      "IPC and mount namespaces, hostname NAME, and from its first\n"
	      "instruction the cgroup <cgroup v2 root>/ckpt/NAME.  Prints the pid\n"
	      "of the container's init as ckpt sees it, and exits 0 leaving the\n"
	      "container running.  PROGRAM is looked up in PATH.\n"
	      "\n"
	      "  --name NAME  the container's name: 1 to 64 letters, digits, '.',\n"
	      "               '_' and '-', not starting with '.' or '-'\n"
	      "               (default: ckpt-N, N being ckpt's own pid)\n"
	      "\n"
	      "The container keeps ckpt's stdin, stdout and stderr: to take the\n"
	      "pid, redirect stdout to a file rather than using $(ckpt run ...),\n"
	      "which would wait until the container closes its stdout.\n"
	      "Needs CAP_SYS_ADMIN and write access to the cgroup v2 tree.\n"
	      "See 'ckpt --help' for the exit status.\n", out);
}

int cmd_run(int argc, char **argv)
{
	struct ckpt_run_opts opts = { 0 };
	const char *name = NULL;
	enum ckpt_status ret;
	char msg[1024];
	pid_t pid;
	int i, found;

	for (i = 1; i < argc; i++) {
		const char *arg = argv[i];

		if (is_help_option(arg)) {
			cmd_run_usage(stdout);
			return CKPT_OK;
		}
		if (!strcmp(arg, "--")) {
			i++;
			break;
		}
		found = option_value("run", argc, argv, &i, "--name", &name);
		if (found < 0)
			goto usage;
		if (found)
			continue;
		if (arg[0] == '-' && arg[1]) {
			ckpt_error("run: unknown option '%s'", arg);
			goto usage;
		}
		break;		/* PROGRAM: the rest is its own */
	}
	if (i >= argc) {
		ckpt_error("run: no program given");
		goto usage;
	}
	if (name && !ckpt_valid_name(name)) {
		ckpt_error("run: '%s' is not a valid container name", name);
		goto usage;
	}

	opts.name = name;
	opts.argv = argv + i;
	opts.msg = msg;
	opts.msg_size = sizeof(msg);
	ret = ckpt_run_container(&opts, &pid);
	if (ret) {
		ckpt_error("%s", msg);
		return ret;
	}
	printf("%d\n", (int)pid);
	if (fflush(stdout) || ferror(stdout)) {
		ckpt_error("writing the pid failed: %s (the container's init, pid %d, is running)",
			   strerror(errno), (int)pid);
		return CKPT_ERR_GENERIC;
	}
	return CKPT_OK;

usage:
	cmd_run_usage(stderr);
	return CKPT_ERR_USAGE;
}
