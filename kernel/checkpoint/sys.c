// SPDX-License-Identifier: GPL-2.0
/*
 * checkpoint(2) and restart(2): argument and permission checks, and the
 * order in which each operation does its work.
 *
 * Checks come in a fixed order, so that each errno means one thing:
 * EBADF (fds), EINVAL (flags), ESRCH (pid), EPERM (rights), EBUSY (freezer).
 */
#include <linux/capability.h>
#include <linux/checkpoint.h>
#include <linux/cred.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/pid_namespace.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/syscalls.h>

/* Take a reference to the logfd's file, or NULL for -1. */
static int ckpt_get_logfile(int logfd, struct file **logfile)
{
	struct file *file;

	*logfile = NULL;
	if (logfd == -1)
		return 0;
	file = fget(logfd);
	if (!file)
		return -EBADF;
	if (!(file->f_mode & FMODE_WRITE)) {
		fput(file);
		return -EBADF;
	}
	*logfile = file;
	return 0;
}

/*
 * Set up a context for @fd, which must be open for reading (restart) or
 * writing (checkpoint).  The fd's position lock is held until
 * ckpt_end(), as for a long read(2) or write(2).
 */
static struct ckpt_ctx *ckpt_begin(bool restart, int fd, unsigned int flags,
				   int logfd, struct fd *f)
{
	fmode_t mode = restart ? FMODE_READ : FMODE_WRITE;
	struct file *logfile;
	struct ckpt_ctx *ctx;
	int ret;

	ret = ckpt_get_logfile(logfd, &logfile);
	if (ret)
		return ERR_PTR(ret);

	*f = fdget_pos(fd);
	if (!fd_file(*f) || !(fd_file(*f)->f_mode & mode)) {
		fdput_pos(*f);
		if (logfile)
			fput(logfile);
		return ERR_PTR(-EBADF);
	}

	ctx = ckpt_ctx_alloc(restart, flags, fd_file(*f), logfile);
	if (!ctx) {
		fdput_pos(*f);
		if (logfile)
			fput(logfile);
		return ERR_PTR(-ENOMEM);
	}
	return ctx;
}

static void ckpt_end(struct ckpt_ctx *ctx, struct fd f)
{
	/*
	 * A seekable image file is left just past what was written, or just
	 * past the image that was read (not past the read-ahead).
	 */
	if (!(ctx->file->f_mode & FMODE_STREAM))
		ctx->file->f_pos = ctx->restart ? ctx->start + ctx->bytes :
						  ctx->pos;
	ckpt_ctx_free(ctx);
	fdput_pos(f);
}

static int do_checkpoint(struct ckpt_ctx *ctx, pid_t pid)
{
	struct pid_namespace *pidns;
	int ret;

	if (ctx->flags & ~CHECKPOINT_FLAGS_ALL) {
		ckpt_log(ctx, "unknown flags 0x%x",
			 ctx->flags & ~CHECKPOINT_FLAGS_ALL);
		return -EINVAL;
	}

	ctx->root = pid > 0 ? find_get_task_by_vpid(pid) : NULL;
	if (!ctx->root) {
		ckpt_log(ctx, "no such process: %d", pid);
		return -ESRCH;
	}

	pidns = task_active_pid_ns(ctx->root);
	if (!pidns || !checkpoint_restore_ns_capable(pidns->user_ns)) {
		ckpt_log(ctx, "permission denied: CAP_CHECKPOINT_RESTORE or CAP_SYS_ADMIN is needed in the user namespace of task %d's pid namespace",
			 pid);
		return -EPERM;
	}

	ret = ckpt_collect_tasks(ctx);
	if (!ret)
		ret = ckpt_scan_pipes(ctx);
	if (ret)
		return ret;

	ret = ckpt_write_header(ctx);
	if (!ret)
		ret = ckpt_write_namespaces(ctx);
	if (!ret)
		ret = ckpt_write_tasks(ctx);
	if (!ret)
		ret = ckpt_write_tail(ctx);
	return ret;
}

static int do_restart(struct ckpt_ctx *ctx, pid_t pid)
{
	struct ckpt_hdr_header hdr;
	int ret;

	if (ctx->flags & ~RESTART_FLAGS_ALL) {
		ckpt_log(ctx, "unknown flags 0x%x",
			 ctx->flags & ~RESTART_FLAGS_ALL);
		return -EINVAL;
	}
	/*
	 * The restored tree always gets a new pid namespace: @pid is 0, or
	 * with RESTART_INTO_CGROUP, the fd of the cgroup to create it in
	 * (checked by kernel_clone(), with the rights clone3() needs).
	 */
	if (ctx->flags & RESTART_INTO_CGROUP) {
		if (pid < 0) {
			ckpt_log(ctx, "RESTART_INTO_CGROUP: %d is not an fd", pid);
			return -EBADF;
		}
		ctx->cgroup_fd = pid;
	} else if (pid != 0) {
		ckpt_log(ctx, "pid must be 0");
		return -EINVAL;
	}
	if (!checkpoint_restore_ns_capable(current_user_ns())) {
		ckpt_log(ctx, "permission denied: CAP_CHECKPOINT_RESTORE or CAP_SYS_ADMIN is needed");
		return -EPERM;
	}

	ret = ckpt_read_header(ctx, &hdr);
	if (ret)
		return ret;
	if (hdr.flags & ~CHECKPOINT_FLAGS_ALL) {
		ckpt_log(ctx, "the image was written with unknown flags 0x%x",
			 hdr.flags & ~CHECKPOINT_FLAGS_ALL);
		return -EBADMSG;
	}
	if (hdr.page_size != PAGE_SIZE) {
		ckpt_log(ctx, "the image has %u-byte pages, this kernel %lu",
			 hdr.page_size, PAGE_SIZE);
		return -ENOEXEC;
	}
	ret = ckpt_arch_check_header(ctx, &hdr);
	if (ret)
		return ret;
	ctx->xfeatures = hdr.xfeatures;

	ctx->restoring = !(ctx->flags & RESTART_DRY_RUN);
	ctx->expect = CKPT_HDR_NAMESPACES;	/* the first record */
	ret = ckpt_read_records(ctx);
	if (!ret && ctx->restoring && !ctx->nr_tasks_read) {
		ckpt_log(ctx, "the image holds no task: nothing to restart (not supported)");
		ret = -EOPNOTSUPP;
	}
	if (!ret)
		ret = ckpt_tree_check(ctx);
	if (!ret)
		ret = ckpt_ipc_check(ctx);
	/* Its mappings are made: memfds can be sealed against them. */
	if (!ret && ctx->restoring)
		ckpt_memfd_seal(ctx);
	/* Every task attached its segments: removed ones can go again. */
	if (!ret && ctx->restoring)
		ret = ckpt_ipc_finish(ctx);
	/* All or nothing: the restored tasks run only if all went well. */
	if (ctx->restoring) {
		int set = ckpt_tree_release(ctx, !ret);

		if (!ret)
			ret = set;
	}
	if (ret || !ctx->restoring)
		return ret;
	return list_first_entry(&ctx->new_tasks, struct ckpt_new_task,
				list)->host_pid;
}

SYSCALL_DEFINE4(checkpoint, pid_t, pid, int, fd, unsigned int, flags,
		int, logfd)
{
	struct ckpt_ctx *ctx;
	struct fd f;
	int ret;

	ctx = ckpt_begin(false, fd, flags, logfd, &f);
	if (IS_ERR(ctx))
		return PTR_ERR(ctx);
	ret = do_checkpoint(ctx, pid);
	ckpt_end(ctx, f);
	return ret;
}

SYSCALL_DEFINE4(restart, pid_t, pid, int, fd, unsigned int, flags,
		int, logfd)
{
	struct ckpt_ctx *ctx;
	struct fd f;
	int ret;

	ctx = ckpt_begin(true, fd, flags, logfd, &f);
	if (IS_ERR(ctx))
		return PTR_ERR(ctx);
	ret = do_restart(ctx, pid);
	ckpt_end(ctx, f);
	return ret;
}
