// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart: open files and fd tables.
 *
 * A file is an object of the object hash: written once, with its path,
 * however many fds and memory mappings use it.  The image holds the path,
 * not the contents: the container's files are the restarter's business, and
 * restart refuses a file that is missing or changed (see image.rst).  Pipes
 * are the exception: their contents are state of the container (pipe.c).
 */
#include <linux/checkpoint.h>
#include <linux/dcache.h>
#include <linux/fcntl.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kdev_t.h>
#include <linux/magic.h>
#include <linux/major.h>
#include <linux/pipe_fs_i.h>
#include <linux/rcupdate.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>

/*
 * The character devices whose state is all in their name: the ones of
 * drivers/char/mem.c that a program keeps open (/dev/null, /dev/zero,
 * /dev/full, /dev/random, /dev/urandom).  Any other device is refused.
 */
bool ckpt_chr_restorable(dev_t rdev)
{
	if (MAJOR(rdev) != MEM_MAJOR)
		return false;
	switch (MINOR(rdev)) {
	case 3: case 5: case 7: case 8: case 9:
		return true;
	}
	return false;
}

static int ckpt_file_type(struct ckpt_ctx *ctx, struct file *file,
			  const char *path)
{
	struct inode *inode = file_inode(file);
	umode_t mode = inode->i_mode;

	if (S_ISREG(mode))
		return CKPT_FILE_REG;
	if (S_ISDIR(mode))
		return CKPT_FILE_DIR;
	if (S_ISCHR(mode) && ckpt_chr_restorable(inode->i_rdev))
		return CKPT_FILE_CHR;
	if (S_ISFIFO(mode))
		return CKPT_FILE_FIFO;
	if (S_ISCHR(mode))
		ckpt_log(ctx, "%s: cannot checkpoint character device %u:%u (only /dev/null, zero, full, random and urandom)",
			 path, MAJOR(inode->i_rdev), MINOR(inode->i_rdev));
	else if (S_ISSOCK(mode))
		ckpt_log(ctx, "%s: cannot checkpoint a socket yet", path);
	else
		ckpt_log(ctx, "%s: cannot checkpoint a file of this type (mode 0%o)",
			 path, mode);
	return -EOPNOTSUPP;
}

/*
 * ckpt_write_file - the objref of @file, writing the file first if this is
 * the first time it is seen.
 */
int ckpt_write_file(struct ckpt_ctx *ctx, struct file *file, u32 *objref)
{
	struct ckpt_hdr_file rec = { };
	const char *why;
	char *buf, *path;
	bool first;
	u32 pipe_objref = 0;
	int ret;

	*objref = ckpt_obj_find(ctx, file, CKPT_OBJ_FILE);
	if (*objref)
		return 0;
	/* Shared with the world outside: external, or refused. */
	why = ckpt_shared_outside(ctx, file);
	if (why)
		return ckpt_write_external(ctx, file, why, objref);
	/* A POSIX message queue: written with the IPC objects (ipc.c) */
	if (mq_ckpt_file(file))
		return ckpt_write_mq_file(ctx, file, objref);
	/* An end of a pipe, or a FIFO (which has a path): the pipe first. */
	if (get_pipe_info(file, false)) {
		ret = ckpt_write_pipe(ctx, file, &pipe_objref);
		if (ret)
			return ret;
	}
	ret = ckpt_obj_lookup_add(ctx, file, CKPT_OBJ_FILE, &first);
	if (ret < 0)
		return ret;
	*objref = ret;

	rec.objref = *objref;
	/* The flags open(2) takes, not the kernel's own (__FMODE_EXEC...) */
	rec.f_flags = file->f_flags & VALID_OPEN_FLAGS;
	rec.pos = file->f_pos;
	if (pipe_objref && file_inode(file)->i_sb->s_magic == PIPEFS_MAGIC) {
		rec.type = CKPT_FILE_PIPE;
		rec.pipe_objref = pipe_objref;
		rec.pos = 0;
		return ckpt_write_record(ctx, CKPT_HDR_FILE, &rec, sizeof(rec));
	}

	/* Its items come after the files of the fds of the task. */
	if (ckpt_is_epoll(file)) {
		rec.type = CKPT_FILE_EPOLL;
		rec.pos = 0;
		return ckpt_write_record(ctx, CKPT_HDR_FILE, &rec, sizeof(rec));
	}

	buf = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	path = d_path(&file->f_path, buf, PATH_MAX);
	if (IS_ERR(path)) {
		ret = PTR_ERR(path);
		ckpt_log(ctx, "cannot name an open file (error %d)", ret);
		goto out;
	}
	/* A memfd has a made-up name too, but its contents are saved. */
	if (ckpt_is_memfd(file)) {
		ret = ckpt_write_memfd(ctx, file, &rec);
		goto out;
	}
	/* So does shared anonymous memory, which only mappings reach. */
	if (ckpt_is_shared_anon(file)) {
		ret = ckpt_write_shared_anon(ctx, file, &rec);
		goto out;
	}
	/*
	 * Files of pseudo file systems (sockets, anon inodes: eventfd,
	 * epoll, signalfd, timerfd, inotify, io_uring...) have a made-up
	 * name, and no path to open them again by.
	 */
	if (file->f_path.dentry->d_op && file->f_path.dentry->d_op->d_dname) {
		ckpt_log(ctx, "%s: cannot checkpoint this kind of file", path);
		ret = -EOPNOTSUPP;
		goto out;
	}

	if (d_unlinked(file->f_path.dentry)) {
		ckpt_log(ctx, "%s: an open file that was unlinked is not supported",
			 path);
		ret = -EOPNOTSUPP;
		goto out;
	}
	if (path[0] != '/') {
		ckpt_log(ctx, "%s: a file out of reach of the caller's root", path);
		ret = -EOPNOTSUPP;
		goto out;
	}
	ret = ckpt_file_type(ctx, file, path);
	if (ret < 0)
		goto out;
	rec.type = ret;
	if (rec.type == CKPT_FILE_FIFO) {
		rec.pipe_objref = pipe_objref;
		rec.pos = 0;
	}
	if (rec.type == CKPT_FILE_REG)
		rec.size = i_size_read(file_inode(file));
	if (rec.type == CKPT_FILE_CHR)
		rec.rdev = new_encode_dev(file_inode(file)->i_rdev);
	ret = ckpt_write_record(ctx, CKPT_HDR_FILE, &rec, sizeof(rec));
	if (!ret)
		ret = ckpt_write_string(ctx, path);
out:
	kfree(buf);
	return ret;
}

/*
 * Read the CKPT_HDR_STRING record that must come next, into @buf, which
 * holds CKPT_STRING_MAX bytes.
 */
int ckpt_read_string(struct ckpt_ctx *ctx, char *buf)
{
	struct ckpt_hdr_string rec;
	struct ckpt_hdr h;
	int ret;

	ret = ckpt_read_next(ctx, &h);
	if (ret)
		return ret;
	if (h.type != CKPT_HDR_STRING) {
		ckpt_log(ctx, "record %llu: type %u where a string was expected",
			 ctx->records, h.type);
		return -EBADMSG;
	}
	ret = ckpt_read_begin(ctx, &h, &rec, sizeof(rec),
			      sizeof(rec) + CKPT_STRING_MAX);
	if (ret)
		return ret;
	if (rec.len < 1 || rec.len > CKPT_STRING_MAX || rec.reserved) {
		ckpt_log(ctx, "record %llu: bad string length %u",
			 ctx->records, rec.len);
		return -EBADMSG;
	}
	ret = ckpt_read_more(ctx, buf, rec.len);
	if (ret)
		return ret;
	if (strnlen(buf, rec.len) != rec.len - 1) {
		ckpt_log(ctx, "record %llu: malformed string", ctx->records);
		return -EBADMSG;
	}
	return ckpt_read_end(ctx, &h);
}

/*
 * Restart: open the file again by its path, and check that it is the same
 * kind of file and, for a regular file, of the same size.
 */
static int ckpt_reopen_file(struct ckpt_ctx *ctx,
			    const struct ckpt_hdr_file *rec, const char *path)
{
	static const umode_t types[] = {
		[CKPT_FILE_REG] = S_IFREG,
		[CKPT_FILE_DIR] = S_IFDIR,
		[CKPT_FILE_CHR] = S_IFCHR,
	};
	int flags = rec->f_flags & ~(O_CREAT | O_EXCL | O_TRUNC | O_NOCTTY);
	struct inode *inode;
	struct file *file;
	int ret;

	file = filp_open(path, flags, 0);
	if (IS_ERR(file)) {
		ckpt_log(ctx, "%s: cannot open the file again (error %ld)",
			 path, PTR_ERR(file));
		return PTR_ERR(file);
	}
	inode = file_inode(file);
	ret = -ESTALE;
	if ((inode->i_mode & S_IFMT) != types[rec->type]) {
		ckpt_log(ctx, "%s: not the same kind of file any more", path);
		goto fail;
	}
	if (rec->type == CKPT_FILE_REG &&
	    i_size_read(inode) != (loff_t)rec->size) {
		ckpt_log(ctx, "%s: its size changed from %llu to %lld bytes",
			 path, rec->size, i_size_read(inode));
		goto fail;
	}
	if (rec->type == CKPT_FILE_CHR &&
	    inode->i_rdev != new_decode_dev(rec->rdev)) {
		ckpt_log(ctx, "%s: another device", path);
		goto fail;
	}
	if (rec->type == CKPT_FILE_CHR && !ckpt_chr_restorable(inode->i_rdev)) {
		ckpt_log(ctx, "%s: not a device that restart opens", path);
		ret = -EPERM;
		goto fail;
	}
	/* Through llseek: a directory keeps a cursor of its own. */
	if (rec->type != CKPT_FILE_CHR && rec->pos) {
		loff_t pos = vfs_llseek(file, rec->pos, SEEK_SET);

		if (pos != (loff_t)rec->pos) {
			ckpt_log(ctx, "%s: cannot seek to offset %llu again",
				 path, rec->pos);
			goto fail;
		}
	}
	ret = ckpt_obj_store(ctx, rec->objref, file);
	if (!ret)
		return 0;
fail:
	fput(file);
	return ret;
}

int ckpt_read_file(struct ckpt_ctx *ctx, const struct ckpt_hdr *h)
{
	struct ckpt_hdr_file rec;
	char *path;
	int ret;

	ret = ckpt_read_payload(ctx, h, &rec, sizeof(rec));
	if (ret)
		return ret;
	if (rec.type < CKPT_FILE_REG || rec.type > CKPT_FILE_MQUEUE ||
	    (rec.f_flags & ~VALID_OPEN_FLAGS) || (s64)rec.pos < 0 ||
	    (s64)rec.size < 0 || (s64)rec.size > MAX_LFS_FILESIZE ||
	    (rec.seals && rec.type != CKPT_FILE_MEMFD) ||
	    (rec.type == CKPT_FILE_PIPE || rec.type == CKPT_FILE_FIFO ||
	     rec.type == CKPT_FILE_MQUEUE) != !!rec.pipe_objref) {
		ckpt_log(ctx, "file %u: bad type, flags, offset or size",
			 rec.objref);
		return -EBADMSG;
	}
	ret = ckpt_obj_declare(ctx, rec.objref, CKPT_OBJ_FILE);
	if (ret)
		return ret;
	if (rec.type == CKPT_FILE_PIPE) {
		unsigned int accmode = rec.f_flags & O_ACCMODE;

		if (accmode != O_RDONLY && accmode != O_WRONLY) {
			ckpt_log(ctx, "file %u: an end of a pipe is read or written, not both",
				 rec.objref);
			return -EBADMSG;
		}
		ret = ckpt_obj_check(ctx, rec.pipe_objref, CKPT_OBJ_PIPE);
		if (!ret && ctx->restoring)
			ret = ckpt_reopen_pipe(ctx, &rec);
		return ret;
	}

	if (rec.type == CKPT_FILE_EPOLL)
		return ckpt_epoll_create(ctx, &rec);
	/* A POSIX message queue's: its access mode and O_NONBLOCK only */
	if (rec.type == CKPT_FILE_MQUEUE) {
		if ((rec.f_flags & ~(O_ACCMODE | O_NONBLOCK)) || rec.pos ||
		    rec.size || (rec.f_flags & O_ACCMODE) == O_ACCMODE) {
			ckpt_log(ctx, "file %u: bad flags, offset or size for a message queue",
				 rec.objref);
			return -EBADMSG;
		}
		ret = ckpt_obj_check(ctx, rec.pipe_objref, CKPT_OBJ_MQUEUE);
		if (!ret && ctx->restoring)
			ret = ckpt_mq_open(ctx, &rec);
		return ret;
	}
	if (rec.type == CKPT_FILE_FIFO) {
		ret = ckpt_obj_check(ctx, rec.pipe_objref, CKPT_OBJ_FIFO);
		if (ret)
			return ret;
	}

	path = kmalloc(CKPT_STRING_MAX, GFP_KERNEL);
	if (!path)
		return -ENOMEM;
	ret = ckpt_read_string(ctx, path);
	if (!ret && rec.type == CKPT_FILE_MEMFD) {
		ret = ckpt_memfd_create(ctx, &rec, path);
		goto out;
	}
	if (!ret && rec.type == CKPT_FILE_SHMEM) {
		ret = ckpt_shared_anon_create(ctx, &rec, path);
		goto out;
	}
	if (!ret && rec.type == CKPT_FILE_EXTERNAL) {
		if (rec.fd >= CKPT_FDS_MAX || rec.pos || rec.size ||
		    (rec.f_flags & ~O_ACCMODE) ||
		    (rec.f_flags & O_ACCMODE) == O_ACCMODE) {
			ckpt_log(ctx, "external file %u: bad fd, flags, offset or size",
				 rec.objref);
			ret = -EBADMSG;
		} else if (ctx->restoring) {
			ret = ckpt_external_open(ctx, &rec, path);
		}
		goto out;
	}
	if (!ret && path[0] != '/') {
		ckpt_log(ctx, "file %u: the path is not absolute", rec.objref);
		ret = -EBADMSG;
	}
	if (!ret && ctx->restoring)
		ret = rec.type == CKPT_FILE_FIFO ?
		      ckpt_reopen_fifo(ctx, &rec, path) :
		      ckpt_reopen_file(ctx, &rec, path);
out:
	kfree(path);
	return ret;
}

/*
 * Checkpoint: the fds of a task, each with a reference on its file, taken
 * before its address space is written so that the files come first in the
 * image (objects before their users).
 */
struct ckpt_fds {
	struct files_struct *files;	/* for the objref of the table */
	unsigned int nr;
	struct ckpt_rst_fd fd[];	/* ->file: a reference */
};

void ckpt_release_fds(struct ckpt_fds *fds)
{
	unsigned int i;

	if (!fds)
		return;
	for (i = 0; i < fds->nr; i++)
		fput(fds->fd[i].file);
	kvfree(fds);
}

u32 ckpt_fds_count(const struct ckpt_fds *fds)
{
	return fds ? fds->nr : 0;
}

struct file *ckpt_fds_file(const struct ckpt_fds *fds, unsigned int i)
{
	return fds->fd[i].file;
}

/* The file at fd @fd, or NULL: the fds are in increasing order. */
struct file *ckpt_fds_lookup(const struct ckpt_fds *fds, unsigned int fd)
{
	unsigned int lo = 0, hi = fds->nr, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (fds->fd[mid].fd == fd)
			return fds->fd[mid].file;
		if (fds->fd[mid].fd < fd)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* The number of fds @t has open, and its fd table (NULL: none). */
static unsigned int ckpt_count_fds(struct task_struct *t,
				   struct files_struct **filesp)
{
	struct files_struct *files;
	unsigned int fd, nr = 0;
	struct fdtable *fdt;

	task_lock(t);
	files = t->files;
	if (files) {
		spin_lock(&files->file_lock);
		fdt = files_fdtable(files);
		for (fd = 0; fd < fdt->max_fds; fd++)
			if (rcu_access_pointer(fdt->fd[fd]))
				nr++;
		spin_unlock(&files->file_lock);
	}
	*filesp = files;
	task_unlock(t);
	return nr;
}

/*
 * ckpt_collect_fds - take the fds of @t, and write the files they use.
 * The table of a frozen task does not change (only its own syscalls
 * change it), so counting first and filling after is safe; a task that
 * is not frozen was refused before this.
 */
int ckpt_collect_fds(struct ckpt_ctx *ctx, struct task_struct *t,
		     struct ckpt_fds **fdsp)
{
	struct files_struct *files;
	unsigned int nr, fd = 0, i;
	u32 first_new = ctx->next_objref;
	struct ckpt_fds *fds;
	struct file *file;
	u32 objref;
	int ret = 0;

	*fdsp = NULL;
	nr = ckpt_count_fds(t, &files);
	if (nr > CKPT_FDS_MAX) {
		ckpt_log(ctx, "task %d: %u open fds, more than an image holds",
			 task_pid_vnr(t), nr);
		return -EOPNOTSUPP;
	}
	fds = kvzalloc(struct_size(fds, fd, nr), GFP_KERNEL);
	if (!fds)
		return -ENOMEM;
	fds->files = files;
	for (i = 0; i < nr; i++, fd++) {
		rcu_read_lock();
		file = task_lookup_next_fdget_rcu(t, &fd);
		rcu_read_unlock();
		if (!file)
			break;
		fds->fd[i].fd = fd;
		fds->fd[i].file = file;
		fds->nr++;
		task_lock(t);
		if (t->files) {
			spin_lock(&t->files->file_lock);
			if (close_on_exec(fd, t->files))
				fds->fd[i].flags = O_CLOEXEC;
			spin_unlock(&t->files->file_lock);
		}
		task_unlock(t);
	}
	if (fds->nr != nr) {
		ckpt_log(ctx, "task %d: its fd table changed (not frozen?)",
			 task_pid_vnr(t));
		ret = -EBUSY;
	}
	for (i = 0; i < fds->nr && !ret; i++) {
		ctx->file_fd = fds->fd[i].fd;	/* for an external file */
		ret = ckpt_write_file(ctx, fds->fd[i].file, &objref);
		ctx->file_fd = -1;
		if (ret)
			ckpt_log(ctx, "task %d: fd %u: cannot checkpoint it",
				 task_pid_vnr(t), fds->fd[i].fd);
	}
	/* What its new epoll files watch: files of its fds, all written now. */
	if (!ret)
		ret = ckpt_write_epolls(ctx, t, fds, first_new);
	if (ret) {
		ckpt_release_fds(fds);
		return ret;
	}
	*fdsp = fds;
	return 0;
}

/*
 * ckpt_write_fd_table - the fd table of @t, after its task record: the
 * files were written by ckpt_collect_fds(), here only their objrefs.  A
 * table shared with a task written before (CLONE_FILES) has no entries.
 */
int ckpt_write_fd_table(struct ckpt_ctx *ctx, struct task_struct *t,
			struct ckpt_fds *fds)
{
	struct ckpt_hdr_fd_table *rec;
	struct ckpt_fd *out;
	unsigned int i, nr = 0;
	bool first = true;
	size_t len;
	int ret;

	if (fds && fds->files) {
		ret = ckpt_obj_lookup_add(ctx, fds->files, CKPT_OBJ_FD_TABLE,
					  &first);
	} else {
		/* No files_struct at all: an empty table of its own. */
		ret = ckpt_obj_lookup_add(ctx, t, CKPT_OBJ_FD_TABLE, &first);
	}
	if (ret < 0)
		return ret;
	if (first && fds)
		nr = fds->nr;
	len = sizeof(*rec) + (size_t)nr * sizeof(*out);
	rec = kvzalloc(len, GFP_KERNEL);
	if (!rec)
		return -ENOMEM;
	rec->objref = ret;
	rec->nr_fds = nr;
	out = (struct ckpt_fd *)(rec + 1);
	for (i = 0; i < nr; i++) {
		out[i].fd = fds->fd[i].fd;
		out[i].file_objref = ckpt_obj_find(ctx, fds->fd[i].file,
						   CKPT_OBJ_FILE);
		out[i].flags = fds->fd[i].flags ? CKPT_FD_CLOEXEC : 0;
	}
	ret = ckpt_write_record(ctx, CKPT_HDR_FD_TABLE, rec, len);
	kvfree(rec);
	return ret;
}

/* Restart: entries are read this many at a time. */
#define CKPT_FDS_CHUNK		256

int ckpt_read_fd_table(struct ckpt_ctx *ctx, const struct ckpt_hdr *h)
{
	struct ckpt_rst_task *rst = ctx->rst;
	struct ckpt_hdr_fd_table rec;
	struct ckpt_fd *chunk;
	unsigned int i, n, done;
	s64 prev = -1;
	int ret;

	ret = ckpt_read_begin(ctx, h, &rec, sizeof(rec),
			      sizeof(rec) + CKPT_FDS_MAX * sizeof(*chunk));
	if (ret)
		return ret;
	if (rec.nr_fds > CKPT_FDS_MAX ||
	    h->len < sizeof(rec) + (u64)rec.nr_fds * sizeof(*chunk)) {
		ckpt_log(ctx, "fd table %u: bad number of fds %u", rec.objref,
			 rec.nr_fds);
		return -EBADMSG;
	}
	if (ckpt_obj_known(ctx, rec.objref, CKPT_OBJ_FD_TABLE)) {
		/* Shared with a task read before: nothing more to read. */
		if (rec.nr_fds) {
			ckpt_log(ctx, "fd table %u: written twice", rec.objref);
			return -EBADMSG;
		}
		rst->fd_owner = ckpt_shared_owner(ctx, rec.objref,
						  CKPT_OBJ_FD_TABLE);
		ctx->cur->fd_table_objref = rec.objref;
		ctx->expect = CKPT_HDR_FS;
		return ckpt_read_end(ctx, h);
	}
	ret = ckpt_obj_declare(ctx, rec.objref, CKPT_OBJ_FD_TABLE);
	if (ret)
		return ret;
	ctx->cur->fd_table_objref = rec.objref;
	if (rec.nr_fds != ctx->task_nr_files) {
		ckpt_log(ctx, "task %d: %u fds in its table, %u in its record",
			 ctx->task_pid, rec.nr_fds, ctx->task_nr_files);
		return -EBADMSG;
	}
	if (rec.nr_fds) {
		rst->fds = kvcalloc(rec.nr_fds, sizeof(*rst->fds), GFP_KERNEL);
		if (!rst->fds)
			return -ENOMEM;
	}
	chunk = kmalloc_array(CKPT_FDS_CHUNK, sizeof(*chunk), GFP_KERNEL);
	if (!chunk)
		return -ENOMEM;
	for (done = 0; done < rec.nr_fds; done += n) {
		n = min_t(unsigned int, rec.nr_fds - done, CKPT_FDS_CHUNK);
		ret = ckpt_read_more(ctx, chunk, n * sizeof(*chunk));
		if (ret)
			goto out;
		for (i = 0; i < n; i++) {
			struct ckpt_rst_fd *fd = &rst->fds[done + i];

			if ((s64)chunk[i].fd <= prev ||
			    chunk[i].fd >= CKPT_FDS_MAX ||
			    (chunk[i].flags & ~CKPT_FD_CLOEXEC) ||
			    chunk[i].reserved) {
				ckpt_log(ctx, "fd table %u: bad fd %u or flags",
					 rec.objref, chunk[i].fd);
				ret = -EBADMSG;
				goto out;
			}
			prev = chunk[i].fd;
			ret = ckpt_obj_check(ctx, chunk[i].file_objref,
					     CKPT_OBJ_FILE);
			if (ret)
				goto out;
			fd->fd = chunk[i].fd;
			fd->flags = chunk[i].flags ? O_CLOEXEC : 0;
			if (ctx->restoring) {
				fd->file = ckpt_obj_fetch(ctx,
							  chunk[i].file_objref,
							  CKPT_OBJ_FILE);
				if (!fd->file) {
					ret = -EBADMSG;
					goto out;
				}
				get_file(fd->file);
			}
			rst->nr_fds++;
		}
	}
	ctx->expect = CKPT_HDR_FS;
	ret = ckpt_read_end(ctx, h);
out:
	kfree(chunk);
	return ret;
}

/*
 * ckpt_shared_owner - restart: the first task whose fd table (@type
 * CKPT_OBJ_FD_TABLE) or fs_struct (CKPT_OBJ_FS) is @objref, which a task
 * read later shares.  Tasks are few enough for a walk.
 */
struct ckpt_new_task *ckpt_shared_owner(struct ckpt_ctx *ctx, u32 objref,
					enum ckpt_obj_type type)
{
	struct ckpt_new_task *nt;

	list_for_each_entry(nt, &ctx->new_tasks, list) {
		if (nt == ctx->cur)
			break;
		if ((type == CKPT_OBJ_FD_TABLE ? nt->fd_table_objref :
						 nt->fs_objref) == objref)
			return nt;
	}
	return NULL;
}

/*
 * ckpt_share_fds - in the restored task: use the fd table of the task it
 * shared it with (CLONE_FILES), which that task, before it in image order,
 * has filled already, instead of its own, as unshare(2) swaps them.
 */
int ckpt_share_fds(struct ckpt_ctx *ctx, struct ckpt_rst_task *rst)
{
	struct task_struct *owner = rst->fd_owner->task;
	struct files_struct *files, *old;

	task_lock(owner);
	files = owner->files;
	if (files)
		atomic_inc(&files->count);
	task_unlock(owner);
	if (!files)
		return -ESRCH;
	task_lock(current);
	old = current->files;
	current->files = files;
	task_unlock(current);
	put_files_struct(old);
	return 0;
}

/*
 * ckpt_restore_fds - in the restored task: install its fds.  Its table
 * is its own and empty (ckpt_restore_child() closed what it inherited),
 * and its RLIMIT_NOFILE is already the saved one.
 */
int ckpt_restore_fds(struct ckpt_ctx *ctx, struct ckpt_rst_task *rst)
{
	unsigned int i;
	int ret;

	for (i = 0; i < rst->nr_fds; i++) {
		ret = replace_fd(rst->fds[i].fd, rst->fds[i].file,
				 rst->fds[i].flags);
		if (ret < 0) {
			ckpt_log(ctx, "fd %u: cannot install it (error %d)",
				 rst->fds[i].fd, ret);
			return ret;
		}
	}
	return ckpt_restore_epolls(ctx, rst);
}
