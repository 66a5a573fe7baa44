// SPDX-License-Identifier: GPL-2.0
/*
 * Where an image goes, for the commands that write one (checkpoint,
 * convert): stdout, which must not be a terminal, or a file that appears
 * only once the image is complete.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"

int open_output(const char *cmd, struct output *out, const char *path)
{
	struct stat st;

	out->path = NULL;
	out->tmp = NULL;
	out->fd = STDOUT_FILENO;
	if (!path || !strcmp(path, "-")) {
		if (isatty(STDOUT_FILENO)) {
			ckpt_error("%s: refusing to write an image to a terminal: use -o FILE, or a pipe",
				   cmd);
			return CKPT_ERR_USAGE;
		}
		return CKPT_OK;
	}
	out->path = path;
	if (!stat(path, &st) && !S_ISREG(st.st_mode)) {
		out->fd = open(path, O_WRONLY | O_CLOEXEC);
	} else if (asprintf(&out->tmp, "%s.XXXXXX", path) < 0) {
		out->tmp = NULL;
		errno = ENOMEM;
	} else {
		out->fd = mkostemp(out->tmp, O_CLOEXEC);
	}
	if (out->fd < 0) {
		ckpt_error("%s: cannot create: %s", path, strerror(errno));
		free(out->tmp);
		return CKPT_ERR_GENERIC;
	}
	return CKPT_OK;
}

bool image_on_stdout(const struct output *out)
{
	struct stat a, b;

	if (out->fd == STDOUT_FILENO)
		return true;
	return !fstat(out->fd, &a) && !fstat(STDOUT_FILENO, &b) &&
	       a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

int close_output(struct output *out, bool ok)
{
	int ret = CKPT_OK;

	if (!out->path)
		return CKPT_OK;
	if (out->tmp && ok && fsync(out->fd)) {
		ckpt_error("%s: writing the image failed: %s", out->path,
			   strerror(errno));
		ret = CKPT_ERR_GENERIC;
	}
	if (close(out->fd) && ok && ret == CKPT_OK) {
		ckpt_error("%s: writing the image failed: %s", out->path,
			   strerror(errno));
		ret = CKPT_ERR_GENERIC;
	}
	if (!out->tmp)
		return ret;
	if (ok && ret == CKPT_OK && rename(out->tmp, out->path)) {
		/* after --kill, this may be the only copy: keep it */
		ckpt_error("%s: cannot rename %s to it: %s (the image is there)",
			   out->path, out->tmp, strerror(errno));
		ret = CKPT_ERR_GENERIC;
	} else if (!ok) {
		unlink(out->tmp);
	}
	free(out->tmp);
	return ret;
}
