// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart: open files.
 *
 * A file is an object of the object hash: written once, with its path,
 * however many fds and memory mappings use it.  The image holds the path,
 * not the contents: the container's files are the restarter's business, and
 * restart refuses a file that is missing or changed (see image.rst).
 */
#include <linux/checkpoint.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kdev_t.h>
#include <linux/slab.h>

static int ckpt_file_type(struct ckpt_ctx *ctx, struct file *file,
			  const char *path)
{
	umode_t mode = file_inode(file)->i_mode;

	if (S_ISREG(mode))
		return CKPT_FILE_REG;
	if (S_ISDIR(mode))
		return CKPT_FILE_DIR;
	if (S_ISCHR(mode))
		return CKPT_FILE_CHR;
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
	char *buf, *path;
	bool first;
	int ret;

	ret = ckpt_obj_lookup_add(ctx, file, CKPT_OBJ_FILE, &first);
	if (ret < 0)
		return ret;
	*objref = ret;
	if (!first)
		return 0;

	buf = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	path = d_path(&file->f_path, buf, PATH_MAX);
	if (IS_ERR(path)) {
		ret = PTR_ERR(path);
		ckpt_log(ctx, "cannot name an open file (error %d)", ret);
		goto out;
	}
	if (d_unlinked(file->f_path.dentry)) {
		ckpt_log(ctx, "%s: an open file that was unlinked is not supported",
			 path);
		ret = -EOPNOTSUPP;
		goto out;
	}
	ret = ckpt_file_type(ctx, file, path);
	if (ret < 0)
		goto out;

	rec.objref = *objref;
	rec.type = ret;
	/* The flags open(2) takes, not the kernel's own (__FMODE_EXEC...) */
	rec.f_flags = file->f_flags & VALID_OPEN_FLAGS;
	rec.pos = file->f_pos;
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

/* Read the CKPT_HDR_STRING record that must come next, into @buf. */
static int ckpt_read_string(struct ckpt_ctx *ctx, char *buf)
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
	if (rec->type == CKPT_FILE_REG)
		file->f_pos = rec->pos;
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
	if (rec.type < CKPT_FILE_REG || rec.type > CKPT_FILE_CHR ||
	    (rec.f_flags & ~VALID_OPEN_FLAGS) || (s64)rec.pos < 0 ||
	    (s64)rec.size < 0) {
		ckpt_log(ctx, "file %u: bad type, flags, offset or size",
			 rec.objref);
		return -EBADMSG;
	}
	ret = ckpt_obj_declare(ctx, rec.objref, CKPT_OBJ_FILE);
	if (ret)
		return ret;

	path = kmalloc(CKPT_STRING_MAX, GFP_KERNEL);
	if (!path)
		return -ENOMEM;
	ret = ckpt_read_string(ctx, path);
	if (!ret && path[0] != '/') {
		ckpt_log(ctx, "file %u: the path is not absolute", rec.objref);
		ret = -EBADMSG;
	}
	if (!ret && ctx->restoring)
		ret = ckpt_reopen_file(ctx, &rec, path);
	kfree(path);
	return ret;
}
