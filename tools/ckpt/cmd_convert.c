// SPDX-License-Identifier: GPL-2.0
/*
 * ckpt convert [-z] [-o OUT|-] IN|-: rewrite an image of an older format
 * version as one of the current version (libckpt's ckpt_convert()).
 *
 * The image streams through: one record at a time is in memory, so an
 * image of any size converts from a pipe to a pipe.  The input may be an
 * lz4 stream; the output is uncompressed unless -z.  Version 1 did not
 * save what its restart(2) took from its caller (credentials, limits,
 * umask, working directory...): the conversion takes that from the process
 * running it, which should be the one that will run restart.  From
 * version 2 on it needs nothing of its caller.  An image of version 3 or
 * older of a process tree is refused: version 4 wants each address space
 * but the first right after its task, and moving it there would mean
 * holding its pages.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "lib/ckpt.h"

void cmd_convert_usage(FILE *out)
{
	fprintf(out,
		"Usage: ckpt convert [-z] [-o OUT|-] IN\n"
		"       ckpt convert [-z] [-o OUT|-] -   (read the image from stdin)\n"
		"\n"
		"Rewrite an image of an older format version (1, 2 or 3) as one\n"
		"of the current version (%u), which restart(2) reads.  An image of\n"
		"version %u is copied as it is (and ckpt says so on stderr).  The\n"
		"image streams through, never held whole; an lz4-compressed input\n"
		"is decompressed on the fly, and the output is uncompressed unless\n"
		"-z.\n"
		"\n"
		"Version 1 saved no fd table, fs, credentials, signal state, task\n"
		"attributes or resource limits: its restart(2) gave the restored\n"
		"task no fds, default signal handlers, nothing blocked or pending,\n"
		"no alternate signal stack, no interval timers, and the\n"
		"credentials, resource limits, umask, root, working directory,\n"
		"nice value, scheduling policy and dumpable attribute of the\n"
		"process calling restart(2).  convert writes exactly that into the\n"
		"records version 2 has, taking the caller's part from the process\n"
		"running convert (root '/'): so run convert as you would run\n"
		"restart, as the same user, in the same working directory.\n"
		"\n"
		"Version 2 saved no TLS descriptors (set_thread_area(2)) and\n"
		"refused POSIX timers: convert gives each task its three TLS\n"
		"descriptors unused, as a 64-bit program has them, and each\n"
		"process no POSIX timers, taking nothing from its caller.\n"
		"\n"
		"Version 3 saved no process groups, sessions or job control\n"
		"stops: its restart(2) left the restored init in the process\n"
		"group and session of the caller, outside the container, and\n"
		"restored one process, in the UTS and IPC namespaces of its\n"
		"caller.  convert gives each task process group and session 0\n"
		"(outside), not stopped, writes that the container has no\n"
		"namespaces of its own, and keeps the order of the records.  An\n"
		"older image goes through each step from its version on.\n"
		"\n"
		"  -o OUT          write the image to OUT (mode 0600), which appears\n"
		"                  only once the image is complete, replacing any\n"
		"                  file of that name\n"
		"  -o -            write it to stdout (the default), which must not\n"
		"                  be a terminal\n"
		"  -z, --compress  compress the output with lz4 (a standard .lz4\n"
		"                  stream)\n"
		"  IN              the image to convert, or - for stdin\n"
		"\n"
		"Refused: an image that is not valid for its own version (a\n"
		"record of a type it did not have included), a version 1 task that\n"
		"had open files, or one frozen in a system call that restarts with\n"
		"a restart block (version 1 saved neither, and its restart(2)\n"
		"refused both), an image of version 3 or older of a process tree\n"
		"(an address space after the first task: version 4 wants it after\n"
		"its task, where it cannot be moved without holding its pages)\n"
		"or whose first task is not the root of a tree (a live process\n"
		"with parent 0; exit status 1, as for the other refusals), and an\n"
		"unknown format version (exit status 7).\n"
		"Prints nothing on success, but for an image of version %u\n"
		"already.  See 'ckpt --help' for the exit status.\n",
		CKPT_FORMAT_VERSION, CKPT_FORMAT_VERSION, CKPT_FORMAT_VERSION);
}

/* Where the converted image goes: the output's fd, or an lz4 encoder. */
struct writer {
	int fd;
	struct ckpt_lz4_encoder *lz4;
	int err;		/* the errno of the first failed write, or 0 */
};

static int write_fd(void *arg, const void *buf, size_t len)
{
	struct writer *w = arg;
	const unsigned char *p = buf;
	ssize_t n;

	while (len) {
		n = write(w->fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO;
			w->err = errno;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int write_lz4(void *arg, const void *buf, size_t len)
{
	struct writer *w = arg;

	if (ckpt_lz4_encode(w->lz4, buf, len)) {
		if (!w->err)
			w->err = EIO;
		errno = w->err;
		return -1;
	}
	return 0;
}

static int open_input(const char *path, int *fd)
{
	if (!strcmp(path, "-")) {
		if (isatty(STDIN_FILENO)) {
			ckpt_error("convert: refusing to read an image from a terminal: give a file, or a pipe");
			return CKPT_ERR_USAGE;
		}
		*fd = STDIN_FILENO;
		return CKPT_OK;
	}
	*fd = open(path, O_RDONLY | O_CLOEXEC);
	if (*fd < 0) {
		ckpt_error("%s: cannot open: %s", path, strerror(errno));
		return CKPT_ERR_GENERIC;
	}
	return CKPT_OK;
}

int cmd_convert(int argc, char **argv)
{
	struct ckpt_convert_opts opts = { 0 };
	const char *in_path = NULL, *out_path = NULL, *in_name;
	bool compress = false, options_done = false;
	struct writer w = { .fd = -1 };
	struct output out;
	enum ckpt_status ret;
	char msg[1024];
	int fd, found;

	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];

		if (options_done || arg[0] != '-' || !arg[1]) {
			if (in_path) {
				ckpt_error("convert: one image at a time");
				goto usage;
			}
			in_path = arg;
			continue;
		}
		if (is_help_option(arg)) {
			cmd_convert_usage(stdout);
			return CKPT_OK;
		}
		if (!strcmp(arg, "--")) {
			options_done = true;
		} else if (!strcmp(arg, "-z") || !strcmp(arg, "--compress")) {
			compress = true;
		} else if ((found = option_value("convert", argc, argv, &i,
						 "-o", &out_path)) ||
			   (found = option_value("convert", argc, argv, &i,
						 "--output", &out_path))) {
			if (found < 0)
				goto usage;
		} else {
			ckpt_error("convert: unknown option '%s'", arg);
			goto usage;
		}
	}
	if (!in_path) {
		ckpt_error("convert: no image given (a file, or - for stdin)");
		goto usage;
	}
	in_name = strcmp(in_path, "-") ? in_path : "<stdin>";

	ret = open_input(in_path, &fd);
	if (ret)
		return ret;
	ret = open_output("convert", &out, out_path);
	if (ret) {
		if (fd != STDIN_FILENO)
			close(fd);
		return ret;
	}
	/* a reader of the output that went away is EPIPE, and a message */
	signal(SIGPIPE, SIG_IGN);

	w.fd = out.fd;
	opts.fd = fd;
	opts.write = write_fd;
	opts.write_arg = &w;
	if (compress) {
		w.lz4 = ckpt_lz4_encoder_new(write_fd, &w);
		if (!w.lz4) {
			ckpt_error("convert: cannot compress: %s",
				   strerror(errno));
			close_output(&out, false);
			ret = CKPT_ERR_GENERIC;
			goto out;
		}
		opts.write = write_lz4;
	}
	opts.msg = msg;
	opts.msg_size = sizeof(msg);
	ret = ckpt_convert(&opts);
	if (!ret && w.lz4 && ckpt_lz4_encode_end(w.lz4)) {
		snprintf(msg, sizeof(msg), "writing the image failed: %s",
			 w.err ? strerror(w.err) :
			 ckpt_lz4_encoder_error(w.lz4));
		ret = CKPT_ERR_GENERIC;
	}
	if (ret) {
		/* a failed write is the output's problem, not the input's */
		ckpt_error("%s: %s", w.err ? (out.path ? out.path : "stdout") :
			   in_name, msg);
		close_output(&out, false);
		goto out;
	}
	ret = close_output(&out, true);
	if (!ret && opts.version == CKPT_FORMAT_VERSION)
		ckpt_error("%s: already format version %u: copied as it is",
			   in_name, CKPT_FORMAT_VERSION);
out:
	ckpt_lz4_encoder_free(w.lz4);
	if (fd != STDIN_FILENO)
		close(fd);
	return ret;

usage:
	cmd_convert_usage(stderr);
	return CKPT_ERR_USAGE;
}
