// SPDX-License-Identifier: GPL-2.0
/*
 * ckpt migrate [--kill|--leave-running] [-z] [--progress] [-v]
 * (--name NAME | PID) HOST:PORT: move a running container to another
 * host, where `ckpt restart --listen PORT` waits for it.
 *
 * libckpt does it all (ckpt_migrate_container()): the container is frozen,
 * checkpointed onto the connection, and stays frozen until the receiver
 * answers that it runs it; only then is it killed here.  Any other outcome
 * thaws it, so that a failed migration costs the container a pause and
 * nothing more.
 *
 * The default is --kill, unlike checkpoint's: a migration moves the
 * container; --leave-running copies it (both then run).  SIGINT, SIGTERM
 * and SIGHUP end the migration and thaw the container, as for checkpoint,
 * until the receiver has said it runs it.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "lib/ckpt.h"

void cmd_migrate_usage(FILE *out)
{
	fputs("Usage: ckpt migrate [--kill|--leave-running] [-z] [--progress] [-v]\n"
	      "                    [--external] (--name NAME | PID) HOST:PORT\n"
	      "\n"
	      "Move a running container to another host, where\n"
	      "'ckpt restart --listen PORT' waits for it: freeze the container,\n"
	      "send its image over TCP to HOST:PORT, and once the receiver has\n"
	      "restarted it, kill it here.  If anything fails before the receiver\n"
	      "says it runs it (no connection, a refused image, a lost\n"
	      "connection), the container is thawed and runs on here.\n"
	      "\n"
	      "  --kill           kill the container here once the receiver runs it,\n"
	      "                   and remove the cgroup of a named container\n"
	      "                   (the default)\n"
	      "  --leave-running  thaw it here instead: a copy, not a move\n"
	      "  -z, --compress   send the image as an lz4 stream\n"
	      "  --progress       print the bytes sent and the rate on stderr, once\n"
	      "                   a second and at the end\n"
	      "  -v, --verbose    say what is done, step by step, on stdout\n"
	      "  --external       as for 'ckpt checkpoint': what the container\n"
	      "                   shares with the world outside is saved as\n"
	      "                   external files, which the receiver takes from\n"
	      "                   its own fds ('ckpt restart --listen')\n"
	      "  --name NAME      the container to migrate\n"
	      "  PID              the root of the process tree to migrate\n"
	      "  HOST:PORT        the receiver: an IPv4 address, an IPv6 address in\n"
	      "                   brackets ([::1]:7000), or a name, which a static\n"
	      "                   ckpt looks up in /etc/hosts and DNS only\n"
	      "\n"
	      "Needs what 'ckpt checkpoint' needs.  Prints nothing on success\n"
	      "without -v.  A refusal of the receiver's gives its exit status;\n"
	      "no connection, a lost one, or no answer gives 12.  See\n"
	      "'ckpt --help' for the exit status.\n", out);
}

static bool parse_pid(const char *s, pid_t *pid)
{
	char *end;
	long v;

	if (!isdigit((unsigned char)s[0]))
		return false;
	errno = 0;
	v = strtol(s, &end, 10);
	if (*end || errno || v <= 0 || v > INT_MAX)
		return false;
	*pid = (pid_t)v;
	return true;
}

int cmd_migrate(int argc, char **argv)
{
	struct ckpt_migrate_opts opts = { .fd = -1 };
	struct sigaction old_actions[NR_STOP_SIGNALS];
	struct progress pr = { .what = "migrate", .ratio = true };
	const char *name = NULL, *args[3];
	bool kill_opt = false, leave_opt = false, verbose = false;
	bool compress = false, progress = false, options_done = false;
	bool external = false;
	enum ckpt_status ret;
	size_t nr_args = 0, need;
	char msg[2048];
	pid_t pid = 0;
	int found;

	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];

		if (options_done || arg[0] != '-' || !arg[1]) {
			if (nr_args == 3) {
				ckpt_error("migrate: too many arguments");
				goto usage;
			}
			args[nr_args++] = arg;
			continue;
		}
		if (is_help_option(arg)) {
			cmd_migrate_usage(stdout);
			return CKPT_OK;
		}
		if (!strcmp(arg, "--")) {
			options_done = true;
		} else if (!strcmp(arg, "--kill")) {
			kill_opt = true;
		} else if (!strcmp(arg, "--leave-running")) {
			leave_opt = true;
		} else if (!strcmp(arg, "-v") || !strcmp(arg, "--verbose")) {
			verbose = true;
		} else if (!strcmp(arg, "-z") || !strcmp(arg, "--compress")) {
			compress = true;
		} else if (!strcmp(arg, "--progress")) {
			progress = true;
		} else if (!strcmp(arg, "--external")) {
			external = true;
		} else if ((found = option_value("migrate", argc, argv, &i,
						 "--name", &name))) {
			if (found < 0)
				goto usage;
		} else {
			ckpt_error("migrate: unknown option '%s'", arg);
			goto usage;
		}
	}
	if (kill_opt && leave_opt) {
		ckpt_error("migrate: --kill and --leave-running exclude each other");
		goto usage;
	}
	/* --name NAME HOST:PORT, or PID HOST:PORT */
	need = name ? 1 : 2;
	if (!name && (nr_args == 0 ||
		      (nr_args == 1 && strchr(args[0], ':')))) {
		ckpt_error("migrate: no container given (--name NAME, or a PID)");
		goto usage;
	}
	if (name && nr_args >= 2 && !strchr(args[0], ':')) {
		ckpt_error("migrate: --name NAME or a PID, not both");
		goto usage;
	}
	if (nr_args < need) {
		ckpt_error("migrate: no receiver given (HOST:PORT)");
		goto usage;
	}
	if (nr_args > need) {
		ckpt_error("migrate: one container to one receiver at a time");
		goto usage;
	}
	if (name && !ckpt_valid_name(name)) {
		ckpt_error("migrate: '%s' is not a valid container name", name);
		goto usage;
	}
	if (!name && !parse_pid(args[0], &pid)) {
		ckpt_error("migrate: '%s' is not a process id", args[0]);
		goto usage;
	}

	opts.pid = pid;
	opts.name = name;
	opts.to = args[nr_args - 1];
	opts.lz4 = compress;
	opts.after = leave_opt ? CKPT_LEAVE_RUNNING : CKPT_KILL;
	opts.flags = external ? CHECKPOINT_EXTERNAL : 0;
	opts.stop = &stop_signal;
	opts.verbose = verbose ? stdout : NULL;
	opts.progress = progress ? progress_report : NULL;
	opts.progress_arg = &pr;
	opts.msg = msg;
	opts.msg_size = sizeof(msg);

	catch_stop_signals(old_actions);
	ret = ckpt_migrate_container(&opts);
	if (progress)
		progress_end(&pr, ret == CKPT_OK);
	restore_stop_signals(old_actions);
	if (ret == CKPT_ERR_USAGE) {
		/* the receiver's address */
		ckpt_error("migrate: %s", msg);
		goto usage;
	}
	if (ret)
		ckpt_error("%s", msg);
	if (stop_signal) {
		fflush(NULL);
		raise(stop_signal);	/* once the container is thawed */
	}
	return ret;

usage:
	cmd_migrate_usage(stderr);
	return CKPT_ERR_USAGE;
}
