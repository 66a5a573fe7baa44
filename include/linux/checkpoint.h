/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Checkpoint/restart: the in-kernel API between the core in kernel/checkpoint/
 * and the per-state serializers (kernel/checkpoint/, arch/x86/checkpoint/).
 */
#ifndef _LINUX_CHECKPOINT_H
#define _LINUX_CHECKPOINT_H

#include <linux/types.h>
#include <uapi/linux/checkpoint.h>

struct file;
struct task_struct;

/* Size of the stream buffer of a context */
#define CKPT_BUF_SIZE		(64 * 1024)

/* Largest record the reader accepts into memory in one piece. */
#define CKPT_RECORD_MAX_LEN	(64 * 1024)

/*
 * One checkpoint or restart operation.  A context belongs to the task that
 * called the syscall and is never shared, so it needs no locking of its own.
 */
struct ckpt_ctx {
	bool restart;			/* restart(2) rather than checkpoint(2) */
	unsigned int flags;		/* the syscall's flags */
	struct file *file;		/* the image stream */
	loff_t start;			/* offset in @file at the start */
	loff_t pos;			/* offset in @file, if it is seekable */
	struct file *logfile;		/* reasons for failures, or NULL */

	/* checkpoint: the tasks in scope, each with a reference */
	struct task_struct *root;
	struct task_struct **tasks;
	unsigned int nr_tasks;

	/* the stream: counts and checksum of what went through so far */
	u64 bytes;
	u64 records;
	u32 crc;
	u32 tail_crc;			/* restart: @crc before the last record */
	u64 tail_bytes;			/* restart: @bytes before the last record */

	/* write buffer (checkpoint) or read-ahead buffer (restart) */
	void *buf;
	size_t buf_len;			/* bytes held */
	size_t buf_off;			/* restart: bytes consumed */
};

/* kernel/checkpoint/context.c */
struct ckpt_ctx *ckpt_ctx_alloc(bool restart, unsigned int flags,
				struct file *file, struct file *logfile);
void ckpt_ctx_free(struct ckpt_ctx *ctx);
__printf(2, 3) void ckpt_log(struct ckpt_ctx *ctx, const char *fmt, ...);

/* kernel/checkpoint/image.c: the record stream */
int ckpt_write_record(struct ckpt_ctx *ctx, u32 type, void *rec, u32 len);
int ckpt_write_header(struct ckpt_ctx *ctx);
int ckpt_write_tail(struct ckpt_ctx *ctx);
int ckpt_flush(struct ckpt_ctx *ctx);
int ckpt_read_header(struct ckpt_ctx *ctx, struct ckpt_hdr_header *hdr);
int ckpt_read_next(struct ckpt_ctx *ctx, struct ckpt_hdr *h);
int ckpt_read_payload(struct ckpt_ctx *ctx, const struct ckpt_hdr *h,
		      void *rec, u32 size);
int ckpt_read_tail(struct ckpt_ctx *ctx, const struct ckpt_hdr *h);

/* kernel/checkpoint/task.c: the tasks in scope of a checkpoint */
int ckpt_collect_tasks(struct ckpt_ctx *ctx);
void ckpt_release_tasks(struct ckpt_ctx *ctx);

/* arch/x86/checkpoint/cpu.c */
void ckpt_arch_fill_header(struct ckpt_hdr_header *hdr);
int ckpt_arch_check_header(struct ckpt_ctx *ctx,
			   const struct ckpt_hdr_header *hdr);

#endif /* _LINUX_CHECKPOINT_H */
