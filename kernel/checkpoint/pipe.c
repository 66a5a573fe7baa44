// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart: pipes and FIFOs.
 *
 * A pipe is an object of its own, with its capacity and the bytes it holds;
 * its ends are files (CKPT_FILE_PIPE) that name it.  Restart makes a new
 * pipe, fills it, and hands out its ends; an end that no file of the image
 * uses is closed when the restart is over, as it was at checkpoint.
 *
 * A FIFO is a pipe that a path reaches: its files (CKPT_FILE_FIFO) each
 * name the pipe and the path.  Restart opens the path, the first time for
 * reading and writing, which never blocks: nobody else may have it open
 * (its contents would be another's), and this first file fills the pipe and
 * holds it open until the restart is over, so that each file opens
 * without waiting for the other end, whatever its own flags.
 */
#include <linux/checkpoint.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/magic.h>
#include <linux/pipe_fs_i.h>
#include <linux/slab.h>
#include <linux/uio.h>

/*
 * Copy what @pipe holds into a buffer, without consuming it.  Called with
 * pipe->mutex held: nothing is written to the image under it, since the
 * image may itself be a pipe (another one, but of the same lock class).
 */
static int ckpt_pipe_copy(struct pipe_inode_info *pipe, void *data,
			  u32 size, u32 *len)
{
	unsigned int tail = pipe->tail, head = pipe->head;
	u32 done = 0;
	int ret;

	for (; !pipe_empty(head, tail); tail++) {
		struct pipe_buffer *buf = pipe_buf(pipe, tail);

		ret = pipe_buf_confirm(pipe, buf);
		if (ret)
			return ret;
		if (buf->len > size - done)
			return -EBUSY;
		memcpy_from_page(data + done, buf->page, buf->offset,
				 buf->len);
		done += buf->len;
	}
	*len = done;
	return 0;
}

/*
 * ckpt_write_pipe - the objref of the pipe of @file, writing the pipe
 * first if this is the first time it is seen.
 */
int ckpt_write_pipe(struct ckpt_ctx *ctx, struct file *file, u32 *objref)
{
	struct pipe_inode_info *pipe = get_pipe_info(file, false);
	bool fifo = S_ISFIFO(file_inode(file)->i_mode) &&
		    file_inode(file)->i_sb->s_magic != PIPEFS_MAGIC;
	struct ckpt_hdr_pipe *rec;
	u32 size, len = 0;
	bool first;
	int ret;

	ret = ckpt_obj_lookup_add(ctx, pipe, CKPT_OBJ_PIPE, &first);
	if (ret < 0)
		return ret;
	*objref = ret;
	if (!first)
		return 0;

	/* A packet-mode pipe keeps the bounds of each write: not yet. */
	if (file->f_flags & O_DIRECT) {
		ckpt_log(ctx, "pipe: packet mode (O_DIRECT) is not supported yet");
		return -EOPNOTSUPP;
	}
	/*
	 * Each end is one file; another (opened through /proc): not yet.
	 * A FIFO has as many files as opens (external.c counts them).
	 */
	if (!fifo &&
	    (READ_ONCE(pipe->readers) > 1 || READ_ONCE(pipe->writers) > 1)) {
		ckpt_log(ctx, "pipe: an end opened more than once (through /proc) is not supported");
		return -EOPNOTSUPP;
	}
	size = READ_ONCE(pipe->max_usage) << PAGE_SHIFT;
	if (size > CKPT_PIPE_MAX) {
		ckpt_log(ctx, "pipe: a capacity of %u bytes is more than an image holds",
			 size);
		return -EOPNOTSUPP;
	}
	rec = kvzalloc(sizeof(*rec) + size, GFP_KERNEL);
	if (!rec)
		return -ENOMEM;
	mutex_lock(&pipe->mutex);
	ret = ckpt_pipe_copy(pipe, rec + 1, size, &len);
	mutex_unlock(&pipe->mutex);
	if (ret) {
		ckpt_log(ctx, "pipe: cannot read what it holds (error %d)", ret);
		goto out;
	}
	rec->objref = *objref;
	rec->size = size;
	rec->len = len;
	rec->flags = fifo ? CKPT_PIPE_FIFO : 0;
	ret = ckpt_write_record(ctx, CKPT_HDR_PIPE, rec, sizeof(*rec) + len);
out:
	kvfree(rec);
	return ret;
}

void ckpt_pipe_release(struct ckpt_rst_pipe *pipe)
{
	if (pipe->end[0])
		fput(pipe->end[0]);
	if (pipe->end[1])
		fput(pipe->end[1]);
	kfree(pipe);
}

/* Restart: data is moved into the new pipe this much at a time. */
#define CKPT_PIPE_CHUNK		(16 * 1024)

/* Fill the new pipe with the @len bytes that follow in the stream. */
static int ckpt_pipe_fill(struct ckpt_ctx *ctx, struct file *wr, u32 len)
{
	void *chunk;
	u32 n;
	int ret = 0;

	chunk = kmalloc(CKPT_PIPE_CHUNK, GFP_KERNEL);
	if (!chunk)
		return -ENOMEM;
	for (; len && !ret; len -= n) {
		loff_t pos = 0;
		ssize_t done;

		n = min_t(u32, len, CKPT_PIPE_CHUNK);
		ret = ckpt_read_more(ctx, chunk, n);
		if (ret)
			break;
		/* Never blocks: the pipe is new, and as large as the data. */
		done = kernel_write(wr, chunk, n, &pos);
		if (done != n)
			ret = done < 0 ? done : -EIO;
	}
	kfree(chunk);
	return ret;
}

void ckpt_fifo_release(struct ckpt_rst_fifo *fifo)
{
	if (fifo->holder)
		fput(fifo->holder);
	kvfree(fifo->data);
	kfree(fifo);
}

/*
 * Restart: the pipe of a FIFO.  Its data waits in memory for the first
 * file of the FIFO (ckpt_reopen_fifo()), which has its path.
 */
static int ckpt_read_fifo_pipe(struct ckpt_ctx *ctx, const struct ckpt_hdr *h,
			       const struct ckpt_hdr_pipe *rec)
{
	struct ckpt_rst_fifo *fifo;
	int ret;

	fifo = kzalloc(sizeof(*fifo), GFP_KERNEL);
	if (!fifo)
		return -ENOMEM;
	fifo->size = rec->size;
	fifo->len = rec->len;
	if (rec->len) {
		fifo->data = kvmalloc(rec->len, GFP_KERNEL);
		ret = fifo->data ? ckpt_read_more(ctx, fifo->data, rec->len) :
				   -ENOMEM;
		if (ret)
			goto fail;
	}
	ret = ckpt_obj_store(ctx, rec->objref, fifo);
	if (ret)
		goto fail;
	return ckpt_read_end(ctx, h);
fail:
	ckpt_fifo_release(fifo);
	return ret;
}

int ckpt_read_pipe(struct ckpt_ctx *ctx, const struct ckpt_hdr *h)
{
	struct ckpt_rst_pipe *pipe = NULL;
	struct ckpt_hdr_pipe rec;
	long ret;

	ret = ckpt_read_begin(ctx, h, &rec, sizeof(rec),
			      sizeof(rec) + CKPT_PIPE_MAX);
	if (ret)
		return ret;
	if (rec.size < PAGE_SIZE || rec.size > CKPT_PIPE_MAX ||
	    rec.len > rec.size || (rec.flags & ~CKPT_PIPE_FLAGS_ALL) ||
	    h->len < sizeof(rec) + rec.len) {
		ckpt_log(ctx, "pipe %u: bad capacity %u, length %u or flags",
			 rec.objref, rec.size, rec.len);
		return -EBADMSG;
	}
	ret = ckpt_obj_declare(ctx, rec.objref, rec.flags & CKPT_PIPE_FIFO ?
				CKPT_OBJ_FIFO : CKPT_OBJ_PIPE);
	if (ret)
		return ret;
	if (!ctx->restoring)
		return ckpt_read_end(ctx, h);	/* skips the data */
	if (rec.flags & CKPT_PIPE_FIFO)
		return ckpt_read_fifo_pipe(ctx, h, &rec);

	pipe = kzalloc(sizeof(*pipe), GFP_KERNEL);
	if (!pipe)
		return -ENOMEM;
	ret = create_pipe_files(pipe->end, 0);
	if (ret)
		goto fail;
	/* Its capacity, under the caller's limits (pipe-max-size...) */
	ret = pipe_fcntl(pipe->end[1], F_SETPIPE_SZ, rec.size);
	if (ret < 0) {
		ckpt_log(ctx, "pipe %u: cannot give it a capacity of %u bytes (error %ld)",
			 rec.objref, rec.size, ret);
		goto fail;
	}
	ret = ckpt_pipe_fill(ctx, pipe->end[1], rec.len);
	if (ret)
		goto fail;
	ret = ckpt_obj_store(ctx, rec.objref, pipe);
	if (ret)
		goto fail;
	return ckpt_read_end(ctx, h);
fail:
	ckpt_pipe_release(pipe);
	return ret;
}

/* The flags that open(2) of a FIFO again takes from the image */
#define CKPT_FIFO_OPEN_FLAGS	(O_ACCMODE | O_APPEND | O_LARGEFILE | \
				 O_NOATIME)

/*
 * The first file of a FIFO: open @path for reading and writing, find
 * that nobody else has it open, and give the pipe its capacity and data.
 */
static int ckpt_fifo_hold(struct ckpt_ctx *ctx, struct ckpt_rst_fifo *fifo,
			  u32 objref, const char *path)
{
	struct pipe_inode_info *pipe;
	struct file *file;
	bool alone;
	long ret;

	file = filp_open(path, O_RDWR | O_NONBLOCK, 0);
	if (IS_ERR(file)) {
		ckpt_log(ctx, "%s: cannot open the FIFO again (error %ld)",
			 path, PTR_ERR(file));
		return PTR_ERR(file);
	}
	pipe = S_ISFIFO(file_inode(file)->i_mode) ? get_pipe_info(file, false) :
						    NULL;
	if (!pipe) {
		ckpt_log(ctx, "%s: not a FIFO any more", path);
		fput(file);
		return -ESTALE;
	}
	mutex_lock(&pipe->mutex);
	alone = pipe->readers == 1 && pipe->writers == 1 &&
		pipe_empty(pipe->head, pipe->tail);
	mutex_unlock(&pipe->mutex);
	if (!alone) {
		ckpt_log(ctx, "%s: the FIFO is open by another process", path);
		fput(file);
		return -EBUSY;
	}
	ret = pipe_fcntl(file, F_SETPIPE_SZ, fifo->size);
	if (ret >= 0 && fifo->len) {
		loff_t pos = 0;

		/* Never blocks: the pipe is as large as the data. */
		ret = kernel_write(file, fifo->data, fifo->len, &pos);
		if (ret >= 0 && ret != fifo->len)
			ret = -EIO;
	}
	if (ret < 0) {
		ckpt_log(ctx, "pipe %u: cannot give the FIFO %s its capacity and data (error %ld)",
			 objref, path, ret);
		fput(file);
		return ret;
	}
	kvfree(fifo->data);
	fifo->data = NULL;
	fifo->holder = file;
	return 0;
}

/*
 * Restart: a file open on a FIFO, as the file of objref @rec->objref:
 * the FIFO at @path (the first file of it fills it), opened again with
 * the saved flags.
 */
int ckpt_reopen_fifo(struct ckpt_ctx *ctx, const struct ckpt_hdr_file *rec,
		     const char *path)
{
	struct ckpt_rst_fifo *fifo;
	struct file *file;
	int ret;

	fifo = ckpt_obj_fetch(ctx, rec->pipe_objref, CKPT_OBJ_FIFO);
	if (!fifo)
		return -EBADMSG;
	if (!fifo->holder) {
		ret = ckpt_fifo_hold(ctx, fifo, rec->pipe_objref, path);
		if (ret)
			return ret;
	}
	/*
	 * O_NONBLOCK: with the holder, a reader and a writer are there, so
	 * no open waits; it comes off after, if the file did not have it.
	 */
	file = filp_open(path, (rec->f_flags & CKPT_FIFO_OPEN_FLAGS) |
			 O_NONBLOCK, 0);
	if (IS_ERR(file)) {
		ckpt_log(ctx, "%s: cannot open the FIFO again (error %ld)",
			 path, PTR_ERR(file));
		return PTR_ERR(file);
	}
	if (file_inode(file) != file_inode(fifo->holder)) {
		ckpt_log(ctx, "%s: another FIFO than the first file of pipe %u",
			 path, rec->pipe_objref);
		fput(file);
		return -ESTALE;
	}
	spin_lock(&file->f_lock);
	file->f_flags = (file->f_flags & ~O_NONBLOCK) |
			(rec->f_flags & O_NONBLOCK);
	spin_unlock(&file->f_lock);
	ret = ckpt_obj_store(ctx, rec->objref, file);
	if (ret)
		fput(file);
	return ret;
}

/*
 * Restart: an end of a pipe, as the file of objref @rec->objref.  Each
 * end is one file: a second file for the same end (a pipe opened again
 * through /proc) is refused.
 */
int ckpt_reopen_pipe(struct ckpt_ctx *ctx, const struct ckpt_hdr_file *rec)
{
	struct ckpt_rst_pipe *pipe;
	unsigned int accmode = rec->f_flags & O_ACCMODE;
	struct file *file;
	int end, ret;

	pipe = ckpt_obj_fetch(ctx, rec->pipe_objref, CKPT_OBJ_PIPE);
	if (!pipe)
		return -EBADMSG;
	end = accmode == O_WRONLY;	/* ckpt_read_file() checked it */
	file = pipe->end[end];
	if (!file) {
		ckpt_log(ctx, "file %u: a second file for the same end of pipe %u is not supported",
			 rec->objref, rec->pipe_objref);
		return -EOPNOTSUPP;
	}
	/* The flags fcntl(F_SETFL) sets; create_pipe_files() set the rest. */
	spin_lock(&file->f_lock);
	file->f_flags = (file->f_flags & ~O_NONBLOCK) |
			(rec->f_flags & O_NONBLOCK);
	spin_unlock(&file->f_lock);
	ret = ckpt_obj_store(ctx, rec->objref, file);
	if (!ret)
		pipe->end[end] = NULL;	/* the reference is the object's now */
	return ret;
}
