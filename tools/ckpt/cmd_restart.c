// SPDX-License-Identifier: GPL-2.0
/*
 * ckpt restart [--dry-run] [--progress] [-i FILE|- | --listen [HOST:]PORT]
 * [--name NAME [--frozen]]: hand an image to restart(2).
 *
 * With --dry-run the kernel checks the whole image and restores nothing:
 * what `ckpt info` checks in userspace, checked by the code that restores
 * it.  Without it, the kernel restores the container and ckpt prints the
 * pid of its init; what the kernel cannot restore yet, it refuses with a
 * reason, which is reported as it is.
 *
 * The kernel reads the input itself, the fastest way, unless it is an lz4
 * stream (told by its first bytes, looked at without reading them) or
 * --progress is given: then a pump (libckpt's) reads the input,
 * decompresses and counts it, and feeds the image to the kernel through a
 * pipe.  restart(2) stops reading at the tail; the pump then stops too.
 *
 * With --listen, the input is the one TCP connection ckpt accepts, from
 * `ckpt migrate` (or any sender of an image), which gets an answer saying
 * how the restart went (see ckpt.h for the protocol).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "lib/ckpt.h"

void cmd_restart_usage(FILE *out)
{
	fputs("Usage: ckpt restart [--dry-run] [--progress] [-i FILE|- | --listen [HOST:]PORT]\n"
	      "                    [--name NAME [--frozen]] [--external-null]\n"
	      "\n"
	      "Restart the container saved in an image, with restart(2).  An\n"
	      "lz4-compressed image ('ckpt checkpoint -z', 'lz4') is\n"
	      "decompressed on the fly.\n"
	      "\n"
	      "  --dry-run    have the kernel check the whole image (header, every\n"
	      "               record, the tail's counts and CRC-32C) and restore\n"
	      "               nothing; prints \"image OK\" if the image is valid\n"
	      "  -i FILE      read the image from FILE\n"
	      "  -i -         read it from stdin (the default), which must not be a\n"
	      "               terminal\n"
	      "  --listen [HOST:]PORT\n"
	      "               read it from a TCP connection: listen on PORT (of\n"
	      "               every address, or of HOST only), accept one\n"
	      "               connection ('ckpt migrate'), restart the image that\n"
	      "               comes on it, and answer the sender how it went\n"
	      "  --name NAME  the restored container's name: it is restarted\n"
	      "               straight into its own cgroup, <cgroup root>/ckpt/NAME\n"
	      "  --frozen     with --name: leave it frozen there (thaw it with\n"
	      "               echo 0 > .../ckpt/NAME/cgroup.freeze)\n"
	      "  --progress   print the bytes the kernel read and the rate on\n"
	      "               stderr, once a second and at the end\n"
	      "  --external-null\n"
	      "               give the container /dev/null in place of each\n"
	      "               external file of the image ('ckpt checkpoint\n"
	      "               --external'), rather than ckpt's own file at the\n"
	      "               same fd (its stdin, stdout and stderr for the\n"
	      "               container's)\n"
	      "\n"
	      "An uncompressed image without --progress is read by the kernel\n"
	      "itself, the fastest way; otherwise it passes through ckpt.\n"
	      "\n"
	      "Without --dry-run the kernel restores the container and ckpt prints\n"
	      "the host pid of its init.  What the kernel cannot restore yet (an\n"
	      "image whose root is not a container's init, processes sharing\n"
	      "signal handlers...) is refused with exit\n"
	      "status 11.  An invalid image gets the exit status 'ckpt info' gives\n"
	      "it.  Needs CAP_CHECKPOINT_RESTORE or CAP_SYS_ADMIN.  See\n"
	      "'ckpt --help' for the exit status.\n"
	      "\n"
	      "--listen restarts whatever image the first connection sends, with\n"
	      "this process's privileges: listen on a trusted network or address\n"
	      "only.\n", out);
}

/*
 * --listen: accept one connection on @address, and restart the image that
 * comes on it.  @peer: where it came from, for the messages, or "" if no
 * connection came.
 */
static enum ckpt_status restart_listening(struct ckpt_restart_opts *opts,
					  const char *address,
					  struct progress *pr, char *peer,
					  size_t peer_size)
{
	enum ckpt_status ret;
	int lfd, fd;

	peer[0] = '\0';
	ret = ckpt_net_listen(address, &lfd, opts->msg, opts->msg_size);
	if (ret)
		return ret;
	ret = ckpt_net_accept(lfd, &fd, peer, peer_size, opts->msg,
			      opts->msg_size);
	close(lfd);
	if (ret)
		return ret;
	opts->fd = fd;
	ret = ckpt_restart_receive(opts, pr ? progress_report : NULL, pr);
	close(fd);
	return ret;
}

int cmd_restart(int argc, char **argv)
{
	struct ckpt_restart_opts opts = { 0 };
	const char *path = NULL, *name = NULL, *listen = NULL;
	bool dry_run = false, progress = false, frozen = false;
	bool external_null = false;
	struct progress pr = { .what = "restart" };
	char msg[2048], peer[300];
	enum ckpt_status ret;
	int fd = -1, found;

	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];

		if (is_help_option(arg)) {
			cmd_restart_usage(stdout);
			return CKPT_OK;
		}
		if (!strcmp(arg, "--dry-run")) {
			dry_run = true;
		} else if (!strcmp(arg, "--frozen")) {
			frozen = true;
		} else if (!strcmp(arg, "--progress")) {
			progress = true;
		} else if (!strcmp(arg, "--external-null")) {
			external_null = true;
		} else if ((found = option_value("restart", argc, argv, &i,
						 "-i", &path)) ||
			   (found = option_value("restart", argc, argv, &i,
						 "--input", &path)) ||
			   (found = option_value("restart", argc, argv, &i,
						 "--name", &name)) ||
			   (found = option_value("restart", argc, argv, &i,
						 "--listen", &listen))) {
			if (found < 0)
				goto usage;
		} else if (arg[0] == '-' && arg[1]) {
			ckpt_error("restart: unknown option '%s'", arg);
			goto usage;
		} else {
			ckpt_error("restart: unexpected argument '%s' (the image is given with -i)",
				   arg);
			goto usage;
		}
	}
	if (frozen && !name) {
		ckpt_error("restart: --frozen needs --name");
		goto usage;
	}
	if (name && !ckpt_valid_name(name)) {
		ckpt_error("restart: '%s' is not a valid container name", name);
		goto usage;
	}
	if (listen && path) {
		ckpt_error("restart: --listen and -i exclude each other");
		goto usage;
	}

	opts.flags = (dry_run ? RESTART_DRY_RUN : 0) |
		     (external_null ? RESTART_EXTERNAL_NULL : 0);
	opts.name = name;
	opts.frozen = frozen;
	opts.msg = msg;
	opts.msg_size = sizeof(msg);
	if (listen) {
		ret = restart_listening(&opts, listen, progress ? &pr : NULL,
					peer, sizeof(peer));
		if (ret == CKPT_ERR_USAGE) {
			ckpt_error("restart: --listen: %s", msg);
			goto usage;
		}
		/* the messages name the sender, once there is one */
		path = peer[0] ? peer : "restart";
		goto done;
	}

	if (!path || !strcmp(path, "-")) {
		if (isatty(STDIN_FILENO)) {
			ckpt_error("restart: refusing to read an image from a terminal: use -i FILE, or a pipe");
			goto usage;
		}
		path = "<stdin>";
		fd = STDIN_FILENO;
	} else {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			ckpt_error("%s: cannot open: %s", path,
				   strerror(errno));
			return CKPT_ERR_GENERIC;
		}
	}

	opts.fd = fd;
	ret = ckpt_restart_stream(&opts, progress ? progress_report : NULL,
				  &pr);
	if (fd != STDIN_FILENO)
		close(fd);
done:
	if (progress)
		progress_end(&pr, ret == CKPT_OK);
	if (ret) {
		ckpt_error("%s: %s", path, msg);
		return ret;
	}
	if (dry_run) {
		printf("image OK\n");
	} else {
		printf("%d\n", (int)opts.pid);
	}
	if (fflush(stdout) || ferror(stdout)) {
		ckpt_error("writing the output failed: %s", strerror(errno));
		return CKPT_ERR_GENERIC;
	}
	return CKPT_OK;

usage:
	cmd_restart_usage(stderr);
	return CKPT_ERR_USAGE;
}
