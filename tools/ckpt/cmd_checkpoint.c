// SPDX-License-Identifier: GPL-2.0
/*
 * ckpt checkpoint [--leave-running|--kill] [-z] [--progress] [-o FILE|-] [-v]
 * (--name NAME|PID): freeze a container, save it with checkpoint(2), then
 * thaw or kill it.
 *
 * The default is --leave-running: a checkpoint is a backup, and restart
 * restores only part of a container yet, so losing the running container
 * must be asked for.
 * Whatever happens, the container is not left frozen: a failed checkpoint
 * thaws it, and so do SIGINT, SIGTERM and SIGHUP, which end the checkpoint
 * rather than ckpt.  (Only SIGKILL can leave it frozen.)
 *
 * The kernel writes the image to the output itself, the fastest way; with
 * -z or --progress it writes into a pipe instead, and a pump (libckpt's)
 * compresses or counts the image on its way to the output.  The container
 * is thawed or killed only once the pump has written the whole image.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "lib/ckpt.h"

void cmd_checkpoint_usage(FILE *out)
{
	fputs("Usage: ckpt checkpoint [--leave-running|--kill] [-z] [--progress]\n"
	      "                       [--external] [-o FILE|-] [-v] (--name NAME | PID)\n"
	      "\n"
	      "Save a container to an image: freeze its cgroup (cgroup v2), write\n"
	      "the image with checkpoint(2), then thaw the container or kill it.\n"
	      "With --name, the container 'ckpt run --name NAME' started: its\n"
	      "cgroup, and the one process tree in it.  With PID: that process,\n"
	      "its threads and descendants, freezing the whole cgroup of PID\n"
	      "meanwhile.  A checkpoint that fails thaws the container, which\n"
	      "runs on as before; a cgroup that was frozen already stays frozen.\n"
	      "\n"
	      "  --leave-running  thaw the container once the image is complete\n"
	      "                   (the default)\n"
	      "  --kill           kill it once the image is complete, and remove\n"
	      "                   the cgroup of a named container\n"
	      "  -o FILE          write the image to FILE (mode 0600), which appears\n"
	      "                   only once the image is complete, replacing any\n"
	      "                   file of that name\n"
	      "  -o -             write the image to stdout (the default), which\n"
	      "                   must not be a terminal\n"
	      "  -z, --compress   compress the image with lz4: a standard .lz4\n"
	      "                   stream, which 'lz4 -d' decodes and 'ckpt restart'\n"
	      "                   and 'ckpt info' read as it is\n"
	      "  --progress       print the bytes written and the rate on stderr,\n"
	      "                   once a second and at the end\n"
	      "  --external       save what the container shares with the world\n"
	      "                   outside (a pipe to a program outside it, the\n"
	      "                   terminal it was started from) as external files,\n"
	      "                   which restart takes from its own fds, instead of\n"
	      "                   refusing them (CHECKPOINT_EXTERNAL)\n"
	      "  --name NAME      the container to checkpoint\n"
	      "  -v, --verbose    say what is done, step by step (on stderr when\n"
	      "                   the image goes to stdout)\n"
	      "  PID              the root of the process tree to checkpoint\n"
	      "\n"
	      "Without -z and --progress the kernel writes the output itself,\n"
	      "the fastest way; with them the image passes through ckpt.\n"
	      "\n"
	      "Needs CAP_CHECKPOINT_RESTORE or CAP_SYS_ADMIN, ptrace access to\n"
	      "every task saved, and write access to the cgroup.  Prints nothing\n"
	      "on success without -v.  See 'ckpt --help' for the exit status.\n",
	      out);
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

/* -z, --progress: the pump between the kernel and the output. */
struct image_pump {
	struct ckpt_pump *pump;
	const char *where;		/* the output, for messages */
	struct progress progress;
};

/*
 * ckpt_checkpoint_opts.complete: the image is complete once the pump has
 * written it all, which a SIGINT may cut short too.
 */
static enum ckpt_status complete_image(void *arg, char *msg, size_t size)
{
	struct image_pump *ip = arg;
	enum ckpt_status ret = ckpt_pump_finish(ip->pump, 1, &stop_signal);

	if (ret)
		snprintf(msg, size, "%s: %s", ip->where,
			 ckpt_pump_error(ip->pump));
	return ret;
}

static int start_pump(struct image_pump *ip, const struct output *out,
		      bool compress, bool progress)
{
	unsigned int flags = CKPT_PUMP_WRITE | (compress ? CKPT_PUMP_LZ4 : 0);

	ip->where = out->path ? out->path : "stdout";
	ip->progress.what = "checkpoint";
	ip->progress.ratio = true;
	ip->pump = ckpt_pump_start(out->fd, flags,
				   progress ? progress_report : NULL,
				   &ip->progress);
	if (!ip->pump) {
		ckpt_error("checkpoint: cannot pass the image through ckpt: %s",
			   strerror(errno));
		return CKPT_ERR_GENERIC;
	}
	return CKPT_OK;
}

/*
 * After the checkpoint: let the pump end.  If the checkpoint failed, a
 * failure of the pump's came first and made it fail (the kernel saw EPIPE
 * once the pump stopped reading): that is the one to report.
 */
static enum ckpt_status end_pump(struct image_pump *ip, enum ckpt_status ret,
				 char *msg, size_t size)
{
	enum ckpt_status pump_ret;

	pump_ret = ckpt_pump_finish(ip->pump, ret == CKPT_OK, &stop_signal);
	if (ret && pump_ret && !stop_signal) {
		snprintf(msg, size, "%s: %s", ip->where,
			 ckpt_pump_error(ip->pump));
		ret = pump_ret;
	}
	progress_end(&ip->progress, ret == CKPT_OK);
	return ret;
}

int cmd_checkpoint(int argc, char **argv)
{
	struct ckpt_checkpoint_opts opts = { 0 };
	struct sigaction old_actions[NR_STOP_SIGNALS];
	const char *path = NULL, *name = NULL, *pid_arg = NULL;
	bool kill_opt = false, leave_opt = false, verbose = false;
	bool compress = false, progress = false, options_done = false;
	bool external = false;
	struct image_pump ip = { 0 };
	struct output out;
	enum ckpt_status ret;
	char msg[2048];
	pid_t pid = 0;
	int found;

	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];

		if (options_done || arg[0] != '-' || !arg[1]) {
			if (pid_arg) {
				ckpt_error("checkpoint: one process tree at a time");
				goto usage;
			}
			pid_arg = arg;
			continue;
		}
		if (is_help_option(arg)) {
			cmd_checkpoint_usage(stdout);
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
		} else if ((found = option_value("checkpoint", argc, argv, &i,
						 "-o", &path)) ||
			   (found = option_value("checkpoint", argc, argv, &i,
						 "--output", &path)) ||
			   (found = option_value("checkpoint", argc, argv, &i,
						 "--name", &name))) {
			if (found < 0)
				goto usage;
		} else {
			ckpt_error("checkpoint: unknown option '%s'", arg);
			goto usage;
		}
	}
	if (kill_opt && leave_opt) {
		ckpt_error("checkpoint: --kill and --leave-running exclude each other");
		goto usage;
	}
	if (!name == !pid_arg) {
		ckpt_error(name ? "checkpoint: --name NAME or a PID, not both" :
				  "checkpoint: no container given (--name NAME, or a PID)");
		goto usage;
	}
	if (name && !ckpt_valid_name(name)) {
		ckpt_error("checkpoint: '%s' is not a valid container name",
			   name);
		goto usage;
	}
	if (pid_arg && !parse_pid(pid_arg, &pid)) {
		ckpt_error("checkpoint: '%s' is not a process id", pid_arg);
		goto usage;
	}

	ret = open_output("checkpoint", &out, path);
	if (ret)
		return ret;
	opts.pid = pid;
	opts.name = name;
	opts.fd = out.fd;
	if (compress || progress) {
		ret = start_pump(&ip, &out, compress, progress);
		if (ret) {
			close_output(&out, false);
			return ret;
		}
		opts.fd = ckpt_pump_fd(ip.pump);
		opts.complete = complete_image;
		opts.complete_arg = &ip;
	}
	opts.after = kill_opt ? CKPT_KILL : CKPT_LEAVE_RUNNING;
	opts.flags = external ? CHECKPOINT_EXTERNAL : 0;
	opts.stop = &stop_signal;
	if (verbose)
		opts.verbose = image_on_stdout(&out) ? stderr : stdout;
	opts.msg = msg;
	opts.msg_size = sizeof(msg);

	catch_stop_signals(old_actions);
	ret = ckpt_checkpoint_container(&opts);
	if (ip.pump)
		ret = end_pump(&ip, ret, msg, sizeof(msg));
	if (ret) {
		ckpt_error("%s", msg);
		close_output(&out, false);
	} else {
		ret = close_output(&out, true);
	}
	if (!ret && verbose)
		fprintf(opts.verbose, "the image went to %s%s\n",
			out.path ? out.path : "stdout",
			compress ? ", compressed with lz4" : "");
	restore_stop_signals(old_actions);
	if (stop_signal) {
		/*
		 * The pump may be stuck writing to an output nobody reads:
		 * dying of the signal ends it, and it is not waited for.
		 */
		fflush(NULL);
		raise(stop_signal);	/* once the container is thawed */
	}
	ckpt_pump_free(ip.pump);
	return ret;

usage:
	cmd_checkpoint_usage(stderr);
	return CKPT_ERR_USAGE;
}
