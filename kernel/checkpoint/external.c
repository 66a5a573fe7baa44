// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart: files the container shares with the world outside.
 *
 * A container started from a shell has its stdin, stdout and stderr from
 * whoever started it: a terminal, or pipes to other programs.  Restart
 * cannot make those again, and a pipe whose other end is outside would
 * come back as a pipe to nobody.  So checkpoint refuses them (leak
 * detection, as linux-cr had it), unless its caller asks to save them as
 * external files (CHECKPOINT_EXTERNAL): the image then holds only the fd
 * at which the first task has each, and restart takes the file its own
 * caller has open at that fd (or /dev/null, RESTART_EXTERNAL_NULL), so
 * that the container goes on under another shell.
 *
 * A pipe shares with the outside if one of its ends is open (readers or
 * writers) but is no fd of any task in scope; those ends are found by a
 * scan of every fd table before anything is written.  A FIFO does if it
 * has more readers or writers (one per open) than the files of the fds
 * in scope that read or write it.  A struct file that a task outside
 * holds too (inherited over fork) is not detected.
 */
#include <linux/bsearch.h>
#include <linux/checkpoint.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <linux/pipe_fs_i.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/sort.h>

/*
 * Checkpoint: the ends of one pipe or FIFO that fds in scope hold; while
 * scanning, one entry per fd, with its file.
 */
struct ckpt_pipe_ends {
	const struct pipe_inode_info *pipe;
	const struct file *file;
	unsigned int ends;		/* FMODE_READ, FMODE_WRITE */
	unsigned int readers, writers;	/* files that read, write it */
};

/* The pipe of a pipe(2) end or of a FIFO */
static struct pipe_inode_info *ckpt_pipe_of(struct file *file)
{
	return get_pipe_info(file, false);
}

static bool ckpt_is_fifo(struct file *file)
{
	return file_inode(file)->i_sb->s_magic != PIPEFS_MAGIC;
}

/*
 * Count (@out NULL) or note the pipe ends among @t's fds; a table that
 * the task before shares (threads) was seen already.
 */
static unsigned int ckpt_scan_task_pipes(struct task_struct *t,
					 struct ckpt_pipe_ends *out)
{
	struct pipe_inode_info *pipe;
	unsigned int fd = 0, nr = 0;
	struct file *file;

	for (;; fd++) {
		rcu_read_lock();
		file = task_lookup_next_fdget_rcu(t, &fd);
		rcu_read_unlock();
		if (!file)
			break;
		pipe = ckpt_pipe_of(file);
		if (pipe) {
			if (out) {
				out[nr].pipe = pipe;
				out[nr].file = file;
				out[nr].ends = file->f_mode &
					       (FMODE_READ | FMODE_WRITE);
			}
			nr++;
		}
		fput(file);
	}
	return nr;
}

static int ckpt_cmp_pipe_ends(const void *a, const void *b)
{
	const struct ckpt_pipe_ends *x = a, *y = b;

	if (x->pipe != y->pipe)
		return x->pipe < y->pipe ? -1 : 1;
	if (x->file != y->file)
		return x->file < y->file ? -1 : 1;
	return 0;
}

/* The same, by pipe only: for the lookup of one entry per pipe. */
static int ckpt_cmp_pipe(const void *a, const void *b)
{
	const struct ckpt_pipe_ends *x = a, *y = b;

	if (x->pipe == y->pipe)
		return 0;
	return x->pipe < y->pipe ? -1 : 1;
}

/* The tasks whose fd tables are scanned: each table once. */
static bool ckpt_scan_skip(struct ckpt_ctx *ctx, unsigned int i)
{
	return READ_ONCE(ctx->tasks[i]->exit_state) ||
	       (i && ctx->tasks[i]->files == ctx->tasks[i - 1]->files);
}

/*
 * ckpt_scan_pipes - checkpoint, before anything is written: the ends of
 * pipes and FIFOs that the fds of the tasks in scope hold, and how many
 * files read and write each, sorted by pipe, one entry per pipe.  (The
 * file pointers are compared, never used.)  The tasks are frozen: their tables do not change, so a
 * count then a fill see the same fds (a task that is not frozen was
 * refused before).
 */
int ckpt_scan_pipes(struct ckpt_ctx *ctx)
{
	struct ckpt_pipe_ends *ends;
	unsigned int i, nr = 0, done = 0, n;
	const struct file *prev = NULL;

	for (i = 0; i < ctx->nr_tasks; i++)
		if (!ckpt_scan_skip(ctx, i))
			nr += ckpt_scan_task_pipes(ctx->tasks[i], NULL);
	if (!nr)
		return 0;
	ends = kvcalloc(nr, sizeof(*ends), GFP_KERNEL);
	if (!ends)
		return -ENOMEM;
	for (i = 0; i < ctx->nr_tasks; i++) {
		if (ckpt_scan_skip(ctx, i))
			continue;
		n = ckpt_scan_task_pipes(ctx->tasks[i], NULL);
		if (done + n > nr) {
			kvfree(ends);
			ckpt_log(ctx, "the fd tables changed (not frozen?)");
			return -EBUSY;
		}
		done += ckpt_scan_task_pipes(ctx->tasks[i], ends + done);
	}
	sort(ends, done, sizeof(*ends), ckpt_cmp_pipe_ends, NULL);
	/* One entry per pipe, with the ends of all, each file once. */
	for (i = 0, n = 0; i < done; i++) {
		struct ckpt_pipe_ends e = ends[i];

		if (n && ends[n - 1].pipe == e.pipe) {
			if (e.file == prev)
				continue;
			ends[n - 1].ends |= e.ends;
		} else {
			ends[n++] = e;
			ends[n - 1].readers = 0;
			ends[n - 1].writers = 0;
		}
		ends[n - 1].readers += !!(e.ends & FMODE_READ);
		ends[n - 1].writers += !!(e.ends & FMODE_WRITE);
		prev = e.file;
	}
	ctx->pipe_ends = ends;
	ctx->nr_pipe_ends = n;
	return 0;
}

/* What fds in scope hold of @pipe (an entry of no ends if none). */
static struct ckpt_pipe_ends ckpt_pipe_ends_held(struct ckpt_ctx *ctx,
						 const struct pipe_inode_info *pipe)
{
	struct ckpt_pipe_ends key = { .pipe = pipe }, *found;

	found = bsearch(&key, ctx->pipe_ends, ctx->nr_pipe_ends,
			sizeof(key), ckpt_cmp_pipe);
	return found ? *found : key;
}

/*
 * ckpt_shared_outside - checkpoint: why @file cannot be restored as it is
 * because the world outside the container has a part of it, or NULL.
 */
const char *ckpt_shared_outside(struct ckpt_ctx *ctx, struct file *file)
{
	struct pipe_inode_info *pipe = ckpt_pipe_of(file);
	struct inode *inode = file_inode(file);
	struct ckpt_pipe_ends held;

	if (pipe && ckpt_is_fifo(file)) {
		held = ckpt_pipe_ends_held(ctx, pipe);
		if (READ_ONCE(pipe->readers) != held.readers ||
		    READ_ONCE(pipe->writers) != held.writers)
			return "a FIFO that a process outside the container has open too";
		return NULL;
	}
	if (pipe) {
		held = ckpt_pipe_ends_held(ctx, pipe);
		if ((READ_ONCE(pipe->readers) && !(held.ends & FMODE_READ)) ||
		    (READ_ONCE(pipe->writers) && !(held.ends & FMODE_WRITE)))
			return "a pipe whose other end is open outside the container";
		return NULL;
	}
	if (S_ISCHR(inode->i_mode) && !ckpt_chr_restorable(inode->i_rdev))
		return "a terminal or device that restart does not open";
	return NULL;
}

/*
 * ckpt_write_external - checkpoint: @file, shared with the outside for the
 * reason @why: refused, or with CHECKPOINT_EXTERNAL written as an external
 * file at the fd at which the task being written has it.
 */
int ckpt_write_external(struct ckpt_ctx *ctx, struct file *file,
			const char *why, u32 *objref)
{
	struct ckpt_hdr_file rec = { };
	char *buf, *name;
	bool first;
	int ret;

	buf = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	name = d_path(&file->f_path, buf, PATH_MAX);
	if (IS_ERR(name))
		name = "?";
	ret = -EOPNOTSUPP;
	if (!(ctx->flags & CHECKPOINT_EXTERNAL)) {
		ckpt_log(ctx, "%s: %s (CHECKPOINT_EXTERNAL saves it as an external file)",
			 name, why);
		goto out;
	}
	if (ctx->file_fd < 0) {
		ckpt_log(ctx, "%s: %s, and not at an fd: cannot be external",
			 name, why);
		goto out;
	}
	ret = ckpt_obj_lookup_add(ctx, file, CKPT_OBJ_FILE, &first);
	if (ret < 0)
		goto out;
	*objref = rec.objref = ret;
	rec.type = CKPT_FILE_EXTERNAL;
	rec.f_flags = file->f_flags & O_ACCMODE;
	rec.fd = ctx->file_fd;
	ret = ckpt_write_record(ctx, CKPT_HDR_FILE, &rec, sizeof(rec));
	if (!ret)
		ret = ckpt_write_string(ctx, name);
out:
	kfree(buf);
	return ret;
}

void ckpt_external_release(struct ckpt_ctx *ctx)
{
	kvfree(ctx->pipe_ends);
	ctx->pipe_ends = NULL;
	ctx->nr_pipe_ends = 0;
}

/*
 * ckpt_external_open - restart: the file that takes the place of the
 * external file @rec (named @name): the caller's at the same fd, or
 * /dev/null (RESTART_EXTERNAL_NULL), open for what the file was.
 */
int ckpt_external_open(struct ckpt_ctx *ctx, const struct ckpt_hdr_file *rec,
		       const char *name)
{
	unsigned int accmode = rec->f_flags & O_ACCMODE;
	struct file *file;
	int ret;

	if (ctx->flags & RESTART_EXTERNAL_NULL) {
		file = filp_open("/dev/null", accmode, 0);
		if (IS_ERR(file)) {
			ckpt_log(ctx, "external file %u (%s): cannot open /dev/null (error %ld)",
				 rec->objref, name, PTR_ERR(file));
			return PTR_ERR(file);
		}
	} else {
		file = fget(rec->fd);
		if (!file) {
			ckpt_log(ctx, "external file %u (%s): the caller has no fd %u to give in its place",
				 rec->objref, name, rec->fd);
			return -EBADF;
		}
		if ((accmode != O_WRONLY && !(file->f_mode & FMODE_READ)) ||
		    (accmode != O_RDONLY && !(file->f_mode & FMODE_WRITE))) {
			ckpt_log(ctx, "external file %u (%s): the caller's fd %u is not open for %s",
				 rec->objref, name, rec->fd,
				 accmode == O_RDONLY ? "reading" :
				 accmode == O_WRONLY ? "writing" :
				 "reading and writing");
			fput(file);
			return -EBADF;
		}
	}
	ret = ckpt_obj_store(ctx, rec->objref, file);
	if (ret)
		fput(file);
	return ret;
}
