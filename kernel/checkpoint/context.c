// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart: the operation context and the reasons log.
 *
 * errno alone never says enough about why a container could not be saved or
 * restored, so every refusal also writes one line to the caller's logfd.
 */
#include <linux/checkpoint.h>
#include <linux/fs.h>
#include <linux/file.h>
#include <linux/sched/task.h>
#include <linux/slab.h>

/*
 * ckpt_ctx_alloc - a context for one operation on @file.
 *
 * @file stays the caller's; the reference to @logfile (which may be NULL)
 * passes to the context on success and is dropped by ckpt_ctx_free().
 */
struct ckpt_ctx *ckpt_ctx_alloc(bool restart, unsigned int flags,
				struct file *file, struct file *logfile)
{
	struct ckpt_ctx *ctx;

	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return NULL;
	ctx->buf = kvmalloc(CKPT_BUF_SIZE, GFP_KERNEL);
	if (!ctx->buf) {
		kfree(ctx);
		return NULL;
	}
	ctx->restart = restart;
	ctx->flags = flags;
	ctx->file = file;
	ctx->start = file->f_pos;
	ctx->pos = file->f_pos;
	ctx->logfile = logfile;
	ctx->crc = ~0U;		/* CRC-32C starts from all ones */
	ctx->file_fd = -1;
	ckpt_obj_init(ctx);
	INIT_LIST_HEAD(&ctx->memfd_seals_list);
	INIT_LIST_HEAD(&ctx->new_tasks);
	INIT_LIST_HEAD(&ctx->epolls);
	INIT_LIST_HEAD(&ctx->timer_targets);
	INIT_LIST_HEAD(&ctx->ipc_shms);
	INIT_LIST_HEAD(&ctx->sem_undos);
	xa_init(&ctx->ipc_sem_nsems);
	xa_init(&ctx->ipc_shm_pages);
	ctx->ipc_last_id[0] = ctx->ipc_last_id[1] = ctx->ipc_last_id[2] = -1;
	xa_init(&ctx->new_task_by_pid);
	xa_init(&ctx->memfd_inodes);
	return ctx;
}

void ckpt_ctx_free(struct ckpt_ctx *ctx)
{
	ckpt_release_tasks(ctx);
	ckpt_external_release(ctx);
	ckpt_memfd_seal(ctx);	/* drops what a failed restart left */
	xa_destroy(&ctx->memfd_inodes);
	ckpt_obj_release(ctx);
	ckpt_ipc_release(ctx);
	kvfree(ctx->vmas);
	kfree(ctx->rst_mm);
	ckpt_tree_free(ctx);
	ckpt_epoll_release(ctx);
	if (ctx->root)
		put_task_struct(ctx->root);
	if (ctx->logfile)
		fput(ctx->logfile);
	kvfree(ctx->buf);
	kfree(ctx);
}

/*
 * ckpt_log - write one line, "checkpoint: <reason>\n", to the logfd.
 *
 * Failures to log are ignored: the operation's own errno is what counts.
 * As with write(2), a pipe or socket whose reader is gone raises SIGPIPE.
 */
void ckpt_log(struct ckpt_ctx *ctx, const char *fmt, ...)
{
	struct file *file = ctx->logfile;
	va_list args;
	char *msg, *line;
	loff_t *ppos;

	if (!file)
		return;

	va_start(args, fmt);
	msg = kvasprintf(GFP_KERNEL, fmt, args);
	va_end(args);
	if (!msg)
		return;

	line = kasprintf(GFP_KERNEL, "%s: %s\n",
			 ctx->restart ? "restart" : "checkpoint", msg);
	kfree(msg);
	if (!line)
		return;

	/* A pipe or socket has no offset; a file is appended at its own. */
	ppos = (file->f_mode & FMODE_STREAM) ? NULL : &file->f_pos;
	kernel_write(file, line, strlen(line), ppos);
	kfree(line);
}
