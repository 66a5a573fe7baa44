// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart: reading an image's records.
 *
 * One table maps each record type to the function of the file that owns
 * that kind of state.  The order of records is checked here as far as it
 * is generic (what must come next); each reader checks its own fields.
 */
#include <linux/checkpoint.h>
#include <linux/kernel.h>

/*
 * @follows: the record may only come where the one before it asks for it
 * (the CPU state of a live task, the memory areas of an mm).
 */
static const struct ckpt_record_ops ckpt_record_ops[] = {
	{ CKPT_HDR_NAMESPACES,	"namespaces",	ckpt_read_namespaces, true },
	{ CKPT_HDR_IPC_SHM,	"SysV shared memory", ckpt_read_ipc_shm },
	{ CKPT_HDR_IPC_SEM,	"SysV semaphores", ckpt_read_ipc_sem },
	{ CKPT_HDR_IPC_MSG,	"SysV message queue", ckpt_read_ipc_msg },
	{ CKPT_HDR_IPC_SEM_UNDO, "SEM_UNDO adjustments", ckpt_read_ipc_sem_undo },
	{ CKPT_HDR_IPC_MQUEUE,	"POSIX message queue", ckpt_read_ipc_mqueue },
	{ CKPT_HDR_FILE,	"file",		ckpt_read_file },
	{ CKPT_HDR_PIPE,	"pipe",		ckpt_read_pipe },
	{ CKPT_HDR_FILE_PAGES,	"memfd pages",	ckpt_read_file_pages, true },
	{ CKPT_HDR_EPOLL,	"epoll items",	ckpt_read_epoll },
	{ CKPT_HDR_MM,		"address space", ckpt_read_mm },
	{ CKPT_HDR_VMA,		"memory area",	ckpt_read_vma, true },
	{ CKPT_HDR_PAGES,	"pages",	ckpt_read_pages },
	{ CKPT_HDR_TASK,	"task",		ckpt_read_task },
	{ CKPT_HDR_CPU_REGS,	"registers",	ckpt_arch_read_regs, true },
	{ CKPT_HDR_CPU_XSTATE,	"FPU state",	ckpt_arch_read_xstate, true },
	{ CKPT_HDR_CPU_TLS,	"TLS descriptors", ckpt_arch_read_tls, true },
	{ CKPT_HDR_RESTART_BLOCK, "restart block", ckpt_read_restart_block, true },
	{ CKPT_HDR_TASK_ATTRS,	"task attributes", ckpt_read_attrs, true },
	{ CKPT_HDR_CRED,	"credentials",	ckpt_read_cred, true },
	{ CKPT_HDR_FD_TABLE,	"fd table",	ckpt_read_fd_table, true },
	{ CKPT_HDR_FS,		"root and working directory", ckpt_read_fs, true },
	{ CKPT_HDR_SIGHAND,	"signal handlers", ckpt_read_sighand, true },
	{ CKPT_HDR_SIGNAL,	"process signal state", ckpt_read_signal, true },
	{ CKPT_HDR_POSIX_TIMER,	"POSIX timer",	ckpt_read_posix_timer, true },
	{ CKPT_HDR_TASK_SIGNAL,	"task signal state", ckpt_read_task_signal, true },
	{ CKPT_HDR_SIGINFO,	"pending signal", ckpt_read_siginfo, true },
};

static const struct ckpt_record_ops *ckpt_find_ops(u32 type)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ckpt_record_ops); i++)
		if (ckpt_record_ops[i].type == type)
			return &ckpt_record_ops[i];
	return NULL;
}

/*
 * What must come next, if anything: the areas of an mm, then (with its
 * pages, if any) the rest of the task it came with, or the rest of a task.
 */
static u32 ckpt_expected(struct ckpt_ctx *ctx, u32 type)
{
	if (ctx->nr_vmas < ctx->max_vmas)
		return CKPT_HDR_VMA;
	if (ctx->max_vmas && type == CKPT_HDR_PAGES)
		return CKPT_HDR_PAGES;
	return ctx->expect;
}

/*
 * ckpt_read_hdr - the header of the next record: one that the restored
 * task read and left for the caller, or the next in the stream.
 */
int ckpt_read_hdr(struct ckpt_ctx *ctx, struct ckpt_hdr *h)
{
	if (ctx->has_pending) {
		*h = ctx->pending;
		ctx->has_pending = false;
		return 0;
	}
	return ckpt_read_next(ctx, h);
}

/*
 * ckpt_read_records - read and check every record up to the tail, and
 * when restoring, build what they describe.
 */
int ckpt_read_records(struct ckpt_ctx *ctx)
{
	const struct ckpt_record_ops *ops;
	struct ckpt_hdr h;
	u32 expect;
	int ret;

	for (;;) {
		ret = ckpt_read_hdr(ctx, &h);
		if (ret)
			return ret;
		expect = ckpt_expected(ctx, h.type);
		if (expect && h.type != expect) {
			ckpt_log(ctx, "record %llu at offset %llu: type %u where %s was expected",
				 ctx->records, ctx->tail_bytes, h.type,
				 ckpt_find_ops(expect)->name);
			return -EBADMSG;
		}
		if (h.type == CKPT_HDR_TAIL)
			return ckpt_read_tail(ctx, &h);
		ops = ckpt_find_ops(h.type);
		if (!ops) {
			ckpt_log(ctx, "record %llu at offset %llu: unknown type %u",
				 ctx->records, ctx->tail_bytes, h.type);
			return -EBADMSG;
		}
		if (ops->follows && h.type != expect) {
			ckpt_log(ctx, "record %llu at offset %llu: %s out of place",
				 ctx->records, ctx->tail_bytes, ops->name);
			return -EBADMSG;
		}
		/*
		 * Any other record ends the address space being read: pages
		 * come right after its areas, and never later, when restart
		 * would write them into whatever mm is current (the caller's,
		 * once the restored task has handed the stream back).
		 */
		if (h.type != CKPT_HDR_VMA && h.type != CKPT_HDR_PAGES)
			ctx->max_vmas = 0;
		/* SysV IPC objects come first, each with its contents. */
		if (h.type != CKPT_HDR_NAMESPACES && h.type != CKPT_HDR_FILE_PAGES &&
		    h.type != CKPT_HDR_IPC_SHM && h.type != CKPT_HDR_IPC_SEM &&
		    h.type != CKPT_HDR_IPC_MSG &&
		    h.type != CKPT_HDR_IPC_SEM_UNDO &&
		    h.type != CKPT_HDR_IPC_MQUEUE)
			ctx->past_ipc = true;
		ret = ops->read(ctx, &h);
		/* The task that uses an address space is the one to build it. */
		if (!ret && ctx->restoring && h.type == CKPT_HDR_MM)
			ret = ckpt_tree_build_mm(ctx);
		if (ret)
			return ret;
	}
}
