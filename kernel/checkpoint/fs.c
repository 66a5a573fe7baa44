// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart: the file system context of a task (fs_struct): its
 * root, its working directory and its umask.  Directories are saved as
 * paths, like files, and looked up again at restart.
 */
#include <linux/checkpoint.h>
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/fs_struct.h>
#include <linux/namei.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/slab.h>

/* Write @path as a string record: it must be absolute and reachable. */
static int ckpt_write_path(struct ckpt_ctx *ctx, const struct path *path,
			   const char *what)
{
	char *buf, *name;
	int ret;

	buf = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	name = d_path(path, buf, PATH_MAX);
	if (IS_ERR(name)) {
		ret = PTR_ERR(name);
		ckpt_log(ctx, "cannot name the %s (error %d)", what, ret);
	} else if (name[0] != '/' || d_unlinked(path->dentry)) {
		ckpt_log(ctx, "%s: the %s is removed, or out of reach of the caller's root",
			 name, what);
		ret = -EOPNOTSUPP;
	} else {
		ret = ckpt_write_string(ctx, name);
	}
	kfree(buf);
	return ret;
}

int ckpt_write_fs(struct ckpt_ctx *ctx, struct task_struct *t)
{
	struct ckpt_hdr_fs rec = { };
	struct path root, pwd;
	struct fs_struct *fs;
	bool first;
	int ret;

	task_lock(t);
	fs = t->fs;
	if (!fs) {
		task_unlock(t);
		ckpt_log(ctx, "task %d: exiting", task_pid_vnr(t));
		return -EBUSY;
	}
	get_fs_root(fs, &root);
	get_fs_pwd(fs, &pwd);
	rec.umask = fs->umask;
	task_unlock(t);

	ret = ckpt_obj_lookup_add(ctx, fs, CKPT_OBJ_FS, &first);
	if (ret < 0)
		goto out;
	rec.objref = ret;
	ret = ckpt_write_record(ctx, CKPT_HDR_FS, &rec, sizeof(rec));
	if (!ret)
		ret = ckpt_write_path(ctx, &root, "root directory");
	if (!ret)
		ret = ckpt_write_path(ctx, &pwd, "working directory");
out:
	path_put(&root);
	path_put(&pwd);
	return ret;
}

/* Restart: look up a directory of the image, as the caller sees it. */
static int ckpt_lookup_dir(struct ckpt_ctx *ctx, const char *name,
			   struct path *path)
{
	int ret = kern_path(name, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, path);

	if (ret) {
		ckpt_log(ctx, "%s: cannot find the directory again (error %d)",
			 name, ret);
		return ret;
	}
	/* As chdir(2) and chroot(2) check it, for the caller */
	ret = path_permission(path, MAY_EXEC | MAY_CHDIR);
	if (ret) {
		ckpt_log(ctx, "%s: the caller may not enter it (error %d)",
			 name, ret);
		path_put(path);
		memset(path, 0, sizeof(*path));
	}
	return ret;
}

static int ckpt_fs_bad_path(struct ckpt_ctx *ctx, const struct ckpt_hdr_fs *rec)
{
	ckpt_log(ctx, "fs %u: a path that is not absolute", rec->objref);
	return -EBADMSG;
}

int ckpt_read_fs(struct ckpt_ctx *ctx, const struct ckpt_hdr *h)
{
	struct ckpt_rst_task *rst = ctx->rst;
	struct ckpt_hdr_fs rec;
	struct path root;
	char *name;
	int ret;

	ret = ckpt_read_payload(ctx, h, &rec, sizeof(rec));
	if (ret)
		return ret;
	if (rec.umask & ~0777) {
		ckpt_log(ctx, "fs %u: bad umask 0%o", rec.objref, rec.umask);
		return -EBADMSG;
	}
	/*
	 * One shared with a task before (CLONE_FS) is written again in full;
	 * the restored task shares that task's, which is already set.
	 */
	if (ckpt_obj_known(ctx, rec.objref, CKPT_OBJ_FS)) {
		rst->fs_owner = ckpt_shared_owner(ctx, rec.objref, CKPT_OBJ_FS);
	} else {
		ret = ckpt_obj_declare(ctx, rec.objref, CKPT_OBJ_FS);
		if (ret)
			return ret;
	}
	ctx->cur->fs_objref = rec.objref;
	rst->umask = rec.umask;

	name = kmalloc(CKPT_STRING_MAX, GFP_KERNEL);
	if (!name)
		return -ENOMEM;
	ret = ckpt_read_string(ctx, name);
	if (!ret && name[0] != '/')
		ret = ckpt_fs_bad_path(ctx, &rec);
	if (!ret && ctx->restoring && !rst->fs_owner)
		ret = ckpt_lookup_dir(ctx, name, &rst->root);
	if (ret)
		goto out;
	/* A root other than the caller's: as chroot(2) would need. */
	if (ctx->restoring && !rst->fs_owner) {
		get_fs_root(current->fs, &root);
		if (!path_equal(&root, &rst->root) &&
		    !ns_capable(current_user_ns(), CAP_SYS_CHROOT)) {
			ckpt_log(ctx, "%s: a root directory other than the caller's needs CAP_SYS_CHROOT",
				 name);
			ret = -EPERM;
		}
		path_put(&root);
		if (ret)
			goto out;
	}
	ret = ckpt_read_string(ctx, name);
	if (!ret && name[0] != '/')
		ret = ckpt_fs_bad_path(ctx, &rec);
	if (!ret && ctx->restoring && !rst->fs_owner)
		ret = ckpt_lookup_dir(ctx, name, &rst->pwd);
	if (!ret)
		ctx->expect = CKPT_HDR_SIGHAND;
out:
	kfree(name);
	return ret;
}

/*
 * In the restored task: the fs_struct it shares with a task before it in
 * image order (CLONE_FS), which that task has set already, in place of
 * its own, as unshare(2) swaps them.
 */
static int ckpt_share_fs(struct ckpt_ctx *ctx, struct ckpt_rst_task *rst)
{
	struct task_struct *owner = rst->fs_owner->task;
	struct fs_struct *fs, *old;
	bool last;

	task_lock(owner);
	fs = owner->fs;
	if (fs) {
		spin_lock(&fs->lock);
		fs->users++;
		spin_unlock(&fs->lock);
	}
	task_unlock(owner);
	if (!fs)
		return -ESRCH;
	task_lock(current);
	old = current->fs;
	current->fs = fs;
	task_unlock(current);
	spin_lock(&old->lock);
	last = !--old->users;
	spin_unlock(&old->lock);
	if (last)
		free_fs_struct(old);
	return 0;
}

/* In the restored task: its fs_struct (it was not cloned shared). */
int ckpt_restore_fs(struct ckpt_ctx *ctx, struct ckpt_rst_task *rst)
{
	struct fs_struct *fs = current->fs;

	if (rst->fs_owner)
		return ckpt_share_fs(ctx, rst);

	set_fs_root(fs, &rst->root);
	set_fs_pwd(fs, &rst->pwd);
	spin_lock(&fs->lock);
	fs->umask = rst->umask;
	spin_unlock(&fs->lock);
	return 0;
}
