// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart: SysV IPC objects of the container's IPC namespace.
 *
 * When the container has an IPC namespace of its own, its shared memory
 * segments, semaphore sets and message queues are saved right after the
 * namespaces record, each with the id its users know it by.  ipc/ reads
 * and makes them (the hooks of patch 0007, under the namespace's locks);
 * this file turns them into records and back.
 *
 * Restart makes them in the IPC namespace of the restored init, which is
 * created for the first of them (as for an address space read before its
 * task, tree.c), before any task can attach a segment: every object has
 * its id when the memory areas that attach a segment are mapped again
 * (shmat(2) at the same address, mm.c).  A segment that was removed while
 * attached is removed again once every task has attached it.  On a failed
 * restart the namespace goes with the restored tasks, and its objects
 * with it.
 *
 * The SEM_UNDO adjustments of each process follow the sets; restart gives
 * them back to the process when it applies its state (its threads share
 * them, as they share them after pthread_create()).
 *
 * POSIX message queues come last, by name, with their messages; files
 * open on them name them, and restart opens the new queue for each.
 *
 * Not saved: the IPC sysctls of the namespace (restart's defaults
 * apply), the pids of the creator and of the last operation (0 after a
 * restart); refused: segments in huge pages or locked in memory, queues
 * with a notification registered (mq_notify(3)), and a queue that was
 * unlinked while open.
 */
#include <linux/checkpoint.h>
#include <linux/cred.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/ipc.h>
#include <linux/ipc_namespace.h>
#include <linux/mm.h>
#include <linux/nsproxy.h>
#include <linux/pid_namespace.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/sem.h>
#include <linux/shm.h>
#include <uapi/linux/sem.h>
#include <uapi/linux/shm.h>
#include <linux/slab.h>
#include <linux/uidgid.h>
#include <linux/user_namespace.h>

/* restart: SEM_UNDO adjustments for a process, until it applies them */
struct ckpt_rst_sem_undo {
	struct list_head list;		/* in ctx->sem_undos */
	pid_t pid;
	int semid;
	u32 nsems;
	s16 adj[];
};

/* restart: a POSIX message queue made for the image */
struct ckpt_rst_mq {
	struct dentry *dentry;		/* in the IPC namespace's mqueue fs */
};

/* restart: a segment made for the image, until the restart ends */
struct ckpt_rst_shm {
	struct file *file;		/* its pages, for its contents */
	int id;
	bool dest;			/* removed once attached everywhere */
	struct list_head list;		/* in ctx->ipc_shms */
};

/* The owner, creator and permissions of an object, as an image has them */
static int ckpt_ipc_perm_out(struct ckpt_ctx *ctx, const char *what,
			     const struct ckpt_ipc_info *info,
			     struct ckpt_ipc_perm *perm)
{
	struct user_namespace *ns = current_user_ns();

	perm->id = info->id;
	perm->key = info->key;
	perm->uid = from_kuid(ns, info->uid);
	perm->gid = from_kgid(ns, info->gid);
	perm->cuid = from_kuid(ns, info->cuid);
	perm->cgid = from_kgid(ns, info->cgid);
	perm->mode = info->mode;
	if (perm->uid == (u32)-1 || perm->gid == (u32)-1 ||
	    perm->cuid == (u32)-1 || perm->cgid == (u32)-1) {
		ckpt_log(ctx, "%s %d: an owner that the caller's user namespace does not map",
			 what, info->id);
		return -EOPNOTSUPP;
	}
	return 0;
}

static int ckpt_write_shms(struct ckpt_ctx *ctx, struct ipc_namespace *ns)
{
	struct ckpt_hdr_ipc_shm rec;
	struct ckpt_ipc_info info;
	struct file *file;
	int next = 0, ret;
	bool first;

	while (!(ret = shm_ckpt_next(ns, &next, &info, &file))) {
		memset(&rec, 0, sizeof(rec));
		if (info.hugetlb || info.locked) {
			ckpt_log(ctx, "SysV shared memory %d: %s: not supported yet",
				 info.id, info.hugetlb ? "in huge pages" :
				 "locked in memory (SHM_LOCK)");
			ret = -EOPNOTSUPP;
		}
		if (!ret)
			ret = ckpt_ipc_perm_out(ctx, "SysV shared memory",
						&info, &rec.perm);
		/* Keyed by its file: the mappings find it by theirs. */
		if (!ret)
			ret = ckpt_obj_lookup_add(ctx, file, CKPT_OBJ_SYSV_SHM,
						  &first);
		if (ret >= 0) {
			rec.objref = ret;
			rec.flags = info.dest ? CKPT_SHM_DEST : 0;
			rec.size = info.size;
			rec.atime = info.atime;
			rec.dtime = info.dtime;
			rec.ctime = info.ctime;
			ret = ckpt_write_record(ctx, CKPT_HDR_IPC_SHM, &rec,
						sizeof(rec));
		}
		if (!ret)
			ret = ckpt_write_shmem_pages(ctx, file, rec.objref,
						     rec.size);
		fput(file);
		if (ret)
			return ret;
	}
	return ret == -ENOENT ? 0 : ret;
}

/* The SEM_UNDO adjustments of the process of @t, a record per set */
static int ckpt_write_task_undos(struct ckpt_ctx *ctx, struct ipc_namespace *ns,
				 struct task_struct *t,
				 struct ckpt_hdr_ipc_sem_undo *rec)
{
	int semid = -1, nsems, ret;
	size_t len;

	while (!(ret = sem_ckpt_undo_next(ns, t, &semid, (short *)(rec + 1),
					  CKPT_SEMS_MAX, &nsems))) {
		len = sizeof(*rec) + ALIGN(nsems * sizeof(s16), 8);
		memset((u8 *)(rec + 1) + nsems * sizeof(s16), 0,
		       len - sizeof(*rec) - nsems * sizeof(s16));
		/* in the container's pid namespace, as task records have it */
		rec->pid = task_tgid_nr_ns(t, task_active_pid_ns(ctx->root));
		rec->semid = semid;
		rec->nsems = nsems;
		rec->reserved = 0;
		ret = ckpt_write_record(ctx, CKPT_HDR_IPC_SEM_UNDO, rec, len);
		if (ret)
			return ret;
	}
	if (ret == -EBUSY) {
		ckpt_log(ctx, "task %d: SEM_UNDO adjustments shared with another process (CLONE_SYSVSEM): not supported",
			 task_tgid_nr_ns(t, task_active_pid_ns(ctx->root)));
		ret = -EOPNOTSUPP;
	}
	return ret == -ENOENT ? 0 : ret;
}

/* After the sets: the adjustments of each process in scope. */
static int ckpt_write_undos(struct ckpt_ctx *ctx, struct ipc_namespace *ns)
{
	struct ckpt_hdr_ipc_sem_undo *rec;
	unsigned int i;
	int ret = 0;

	rec = kvmalloc(sizeof(*rec) + ALIGN(CKPT_SEMS_MAX * sizeof(s16), 8),
		       GFP_KERNEL);
	if (!rec)
		return -ENOMEM;
	for (i = 0; i < ctx->nr_tasks && !ret; i++)
		if (thread_group_leader(ctx->tasks[i]))
			ret = ckpt_write_task_undos(ctx, ns, ctx->tasks[i],
						    rec);
	kvfree(rec);
	return ret;
}

static int ckpt_write_sems(struct ckpt_ctx *ctx, struct ipc_namespace *ns)
{
	struct ckpt_hdr_ipc_sem *rec;
	struct ckpt_ipc_info info;
	int next = 0, ret;
	size_t len;
	u16 *vals;

	while (!(ret = sem_ckpt_next(ns, &next, &info, &vals))) {
		rec = NULL;
		if (info.size > CKPT_SEMS_MAX) {
			ckpt_log(ctx, "semaphore set %d: %lu semaphores, more than an image holds",
				 info.id, info.size);
			ret = -EOPNOTSUPP;
		}
		len = sizeof(*rec) + ALIGN(info.size * sizeof(u16), 8);
		if (!ret) {
			rec = kvzalloc(len, GFP_KERNEL);
			ret = rec ? 0 : -ENOMEM;
		}
		if (!ret)
			ret = ckpt_ipc_perm_out(ctx, "semaphore set", &info,
						&rec->perm);
		if (!ret) {
			rec->nsems = info.size;
			rec->otime = info.atime;
			rec->ctime = info.ctime;
			memcpy(rec + 1, vals, info.size * sizeof(u16));
			ret = ckpt_write_record(ctx, CKPT_HDR_IPC_SEM, rec, len);
		}
		kvfree(rec);
		kvfree(vals);
		if (ret)
			return ret;
	}
	return ret == -ENOENT ? 0 : ret;
}

static int ckpt_write_msgs(struct ckpt_ctx *ctx, struct ipc_namespace *ns)
{
	struct ckpt_hdr_ipc_msg rec;
	struct ckpt_ipc_info info;
	int next = 0, ret;
	void *msgs;
	size_t len;

	while (!(ret = msg_ckpt_next(ns, &next, &info, &msgs, &len))) {
		memset(&rec, 0, sizeof(rec));
		if (len > CKPT_MSGQ_MAX) {
			ckpt_log(ctx, "message queue %d: %zu bytes of messages, more than an image holds",
				 info.id, len);
			ret = -EOPNOTSUPP;
		}
		if (!ret)
			ret = ckpt_ipc_perm_out(ctx, "message queue", &info,
						&rec.perm);
		if (!ret) {
			rec.qbytes = info.size;
			rec.nr_msgs = info.count;
			rec.stime = info.atime;
			rec.rtime = info.dtime;
			rec.ctime = info.ctime;
			ret = ckpt_write_record_data(ctx, CKPT_HDR_IPC_MSG, &rec,
						     sizeof(rec), msgs, len);
		}
		kvfree(msgs);
		if (ret)
			return ret;
	}
	if (ret == -EBUSY)
		ckpt_log(ctx, "a message queue kept changing (a process outside the container uses it?)");
	return ret == -ENOENT ? 0 : ret;
}

static int ckpt_write_mqueues(struct ckpt_ctx *ctx, struct ipc_namespace *ns)
{
	struct ckpt_hdr_ipc_mqueue *rec;
	struct ckpt_ipc_info owner = { };
	struct ckpt_ipc_perm perm;
	struct ckpt_mq_info info;
	struct inode *inode;
	void *msgs;
	size_t len;
	bool first;
	int ret;

	rec = kzalloc(sizeof(*rec), GFP_KERNEL);
	if (!rec)
		return -ENOMEM;
	/* rec->name: the cursor, from "" */
	while (!(ret = mq_ckpt_next(ns, rec->name, &info, &inode, &msgs,
				    &len))) {
		if (info.notify) {
			ckpt_log(ctx, "POSIX message queue /%s: a notification is registered (mq_notify): not supported yet",
				 rec->name);
			ret = -EOPNOTSUPP;
		} else if (len > CKPT_MSGQ_MAX) {
			ckpt_log(ctx, "POSIX message queue /%s: %zu bytes of messages, more than an image holds",
				 rec->name, len);
			ret = -EOPNOTSUPP;
		}
		owner.uid = owner.cuid = info.uid;
		owner.gid = owner.cgid = info.gid;
		if (!ret)
			ret = ckpt_ipc_perm_out(ctx, "POSIX message queue",
						&owner, &perm);
		/* Keyed by its inode: the files open on it find it by theirs. */
		if (!ret)
			ret = ckpt_obj_lookup_add(ctx, inode, CKPT_OBJ_MQUEUE,
						  &first);
		if (ret >= 0) {
			rec->objref = ret;
			rec->mode = info.mode;
			rec->uid = perm.uid;
			rec->gid = perm.gid;
			rec->nr_msgs = info.nr_msgs;
			rec->maxmsg = info.maxmsg;
			rec->msgsize = info.msgsize;
			ret = ckpt_write_record_data(ctx, CKPT_HDR_IPC_MQUEUE,
						     rec, sizeof(*rec), msgs,
						     len);
		}
		iput(inode);
		kvfree(msgs);
		if (ret)
			break;
	}
	kfree(rec);
	if (ret == -EBUSY)
		ckpt_log(ctx, "a POSIX message queue kept changing (a process outside the container uses it?)");
	return ret == -ENOENT ? 0 : ret;
}

/*
 * ckpt_write_mq_file - checkpoint: a file open on a POSIX message queue,
 * whose queue was written with the IPC objects.
 */
int ckpt_write_mq_file(struct ckpt_ctx *ctx, struct file *file, u32 *objref)
{
	struct ckpt_hdr_file rec = { };
	bool first;
	u32 mq;
	int ret;

	mq = ckpt_obj_find(ctx, file_inode(file), CKPT_OBJ_MQUEUE);
	if (!mq) {
		ckpt_log(ctx, "a POSIX message queue that was unlinked, or of an IPC namespace that is not the container's own: not supported");
		return -EOPNOTSUPP;
	}
	ret = ckpt_obj_lookup_add(ctx, file, CKPT_OBJ_FILE, &first);
	if (ret < 0)
		return ret;
	*objref = rec.objref = ret;
	rec.type = CKPT_FILE_MQUEUE;
	rec.f_flags = file->f_flags & (O_ACCMODE | O_NONBLOCK);
	rec.pipe_objref = mq;
	return ckpt_write_record(ctx, CKPT_HDR_FILE, &rec, sizeof(rec));
}

/*
 * ckpt_write_ipc - right after the namespaces record, when the container
 * has an IPC namespace of its own: its SysV objects, each kind by id.
 */
int ckpt_write_ipc(struct ckpt_ctx *ctx, struct ipc_namespace *ns)
{
	int ret;

	ret = ckpt_write_shms(ctx, ns);
	if (!ret)
		ret = ckpt_write_sems(ctx, ns);
	if (!ret)
		ret = ckpt_write_undos(ctx, ns);
	if (!ret)
		ret = ckpt_write_msgs(ctx, ns);
	if (!ret)
		ret = ckpt_write_mqueues(ctx, ns);
	return ret;
}

/*
 * ckpt_sysv_shm_vma - checkpoint: the objref of the SysV segment that
 * @vma attaches (0 if it attaches none), or why it cannot be saved.  The
 * whole segment, as shmat(2) attached it: restart attaches it so again.
 */
u32 ckpt_sysv_shm_vma(struct ckpt_ctx *ctx, struct vm_area_struct *vma,
		      const char **why)
{
	struct file *file;
	u32 objref;
	loff_t size;
	int id;

	file = shm_ckpt_vma(vma, &id);
	if (!file)
		return 0;
	objref = ckpt_obj_find(ctx, file, CKPT_OBJ_SYSV_SHM);
	size = i_size_read(file_inode(file));
	if (!objref)
		*why = "SysV shared memory of an IPC namespace that is not the container's own";
	else if (vma->vm_pgoff || vma->vm_end - vma->vm_start !=
		 PAGE_ALIGN(size))
		*why = "a part of a SysV shared memory segment (shmat(2) attaches whole ones)";
	return *why ? 0 : objref;
}

/* What prot shmat(2) gives a segment: read, write unless SHM_RDONLY */
static u32 ckpt_shmat_prot(u32 flags)
{
	return CKPT_VMA_READ |
	       (flags & CKPT_VMA_SHM_RDONLY ? 0 : CKPT_VMA_WRITE);
}

/* Whether the protection of an attached segment is one shmat(2) gives */
bool ckpt_sysv_shm_prot_ok(u32 prot, u32 flags)
{
	return (prot & ~CKPT_VMA_EXEC) == ckpt_shmat_prot(flags);
}

/* Restart: whether area @v is as long as the segment it attaches, whole */
bool ckpt_sysv_shm_len_ok(struct ckpt_ctx *ctx, const struct ckpt_hdr_vma *v)
{
	void *pages = xa_load(&ctx->ipc_shm_pages, v->file_objref);

	return pages &&
	       (v->end - v->start) >> PAGE_SHIFT == xa_to_value(pages);
}

/*
 * Restart: the IPC namespace the objects go into: the restored init's,
 * created now if it is not yet, with a reference held by the context.
 */
static struct ipc_namespace *ckpt_ipc_ns(struct ckpt_ctx *ctx)
{
	struct task_struct *init;
	int ret;

	if (ctx->ipc_ns)
		return ctx->ipc_ns;
	ret = ckpt_tree_early_init(ctx, &init);
	if (ret)
		return ERR_PTR(ret);
	task_lock(init);
	if (init->nsproxy)
		ctx->ipc_ns = get_ipc_ns(init->nsproxy->ipc_ns);
	task_unlock(init);
	return ctx->ipc_ns ?: ERR_PTR(-ESRCH);
}

/*
 * Restart: an IPC record comes only right after the namespaces record of
 * a container with an IPC namespace of its own (with the other IPC
 * records and their contents).
 */
static int ckpt_ipc_placed(struct ckpt_ctx *ctx, const char *what)
{
	if ((ctx->namespaces.flags & CKPT_NS_IPC) && !ctx->past_ipc)
		return 0;
	ckpt_log(ctx, "%s: out of place (only right after the namespaces record of a container with an IPC namespace of its own)",
		 what);
	return -EBADMSG;
}

/*
 * Restart: the owner and creator of an object, which the caller's user
 * namespace must map, and which it must be able to give (as for
 * credentials, cred.c).
 */
static int ckpt_ipc_owner_in(struct ckpt_ctx *ctx, const char *what,
			     const struct ckpt_ipc_perm *perm,
			     struct ckpt_ipc_info *info)
{
	struct user_namespace *ns = current_user_ns();
	const struct cred *cred = current_cred();

	info->uid = make_kuid(ns, perm->uid);
	info->gid = make_kgid(ns, perm->gid);
	info->cuid = make_kuid(ns, perm->cuid);
	info->cgid = make_kgid(ns, perm->cgid);
	if (!uid_valid(info->uid) || !gid_valid(info->gid) ||
	    !uid_valid(info->cuid) || !gid_valid(info->cgid)) {
		ckpt_log(ctx, "%s: an owner that the caller's user namespace does not map",
			 what);
		return -EBADMSG;
	}
	if (!ckpt_cred_uid_ok(cred, info->uid) ||
	    !ckpt_cred_uid_ok(cred, info->cuid) ||
	    !ckpt_cred_gid_ok(cred, info->gid) ||
	    !ckpt_cred_gid_ok(cred, info->cgid)) {
		ckpt_log(ctx, "%s: an owner that the caller could not give it",
			 what);
		return -EPERM;
	}
	return 0;
}

/*
 * Restart: the checks every SysV object's record passes, in a dry run
 * too: its place, ids that increase in each kind, permission bits, and
 * its owner.
 */
static int ckpt_ipc_perm_in(struct ckpt_ctx *ctx, const char *what,
			    const struct ckpt_ipc_perm *perm, int *last_id,
			    struct ckpt_ipc_info *info)
{
	char name[48];
	int ret;

	snprintf(name, sizeof(name), "%s %d", what, perm->id);
	ret = ckpt_ipc_placed(ctx, name);
	if (ret)
		return ret;
	if (perm->id < 0 || perm->id <= *last_id ||
	    (perm->mode & ~S_IRWXUGO) || perm->reserved) {
		ckpt_log(ctx, "%s: bad id (after %d), mode 0%o or reserved field",
			 name, *last_id, perm->mode);
		return -EBADMSG;
	}
	*last_id = perm->id;
	memset(info, 0, sizeof(*info));
	info->id = perm->id;
	info->key = perm->key;
	info->mode = perm->mode;
	return ckpt_ipc_owner_in(ctx, name, perm, info);
}

static void ckpt_rst_shm_free(struct ckpt_rst_shm *shm)
{
	if (shm->file)
		fput(shm->file);
	list_del(&shm->list);
	kfree(shm);
}

int ckpt_read_ipc_shm(struct ckpt_ctx *ctx, const struct ckpt_hdr *h)
{
	struct ckpt_hdr_ipc_shm rec;
	struct ckpt_ipc_info info;
	struct ckpt_rst_shm *shm;
	struct ipc_namespace *ns;
	struct file *file;
	int ret;

	ret = ckpt_read_payload(ctx, h, &rec, sizeof(rec));
	if (!ret)
		ret = ckpt_ipc_perm_in(ctx, "SysV shared memory", &rec.perm,
				       &ctx->ipc_last_id[0], &info);
	if (ret)
		return ret;
	/* Its contents are written as the caller would (as a memfd's) */
	if (ctx->restoring && rec.size > rlimit(RLIMIT_FSIZE)) {
		ckpt_log(ctx, "SysV shared memory %d: %llu bytes, more than the caller's file size limit",
			 rec.perm.id, rec.size);
		return -EFBIG;
	}
	if ((rec.flags & ~CKPT_SHM_FLAGS_ALL) || !rec.size ||
	    rec.size > MAX_LFS_FILESIZE ||
	    ((rec.flags & CKPT_SHM_DEST) && rec.perm.key != IPC_PRIVATE)) {
		ckpt_log(ctx, "SysV shared memory %d: bad flags, size or key",
			 rec.perm.id);
		return -EBADMSG;
	}
	ret = ckpt_obj_declare(ctx, rec.objref, CKPT_OBJ_SYSV_SHM);
	/* For the areas that attach it, in a dry run too */
	if (!ret)
		ret = xa_insert(&ctx->ipc_shm_pages, rec.objref,
				xa_mk_value(PAGE_ALIGN(rec.size) >> PAGE_SHIFT),
				GFP_KERNEL);
	if (ret)
		return ret;
	ckpt_expect_shmem_pages(ctx, rec.objref, rec.size, 0, NULL);
	if (!ctx->restoring)
		return 0;

	ns = ckpt_ipc_ns(ctx);
	if (IS_ERR(ns))
		return PTR_ERR(ns);
	info.size = rec.size;
	info.atime = rec.atime;
	info.dtime = rec.dtime;
	info.ctime = rec.ctime;
	ret = shm_ckpt_create(ns, &info, &file);
	if (ret) {
		ckpt_log(ctx, "SysV shared memory %d: cannot make it again (error %d)",
			 rec.perm.id, ret);
		return ret;
	}
	shm = kzalloc(sizeof(*shm), GFP_KERNEL);
	if (!shm) {
		fput(file);
		return -ENOMEM;
	}
	shm->file = file;
	shm->id = rec.perm.id;
	shm->dest = rec.flags & CKPT_SHM_DEST;
	list_add_tail(&shm->list, &ctx->ipc_shms);
	ret = ckpt_obj_store(ctx, rec.objref, shm);
	if (ret) {
		ckpt_rst_shm_free(shm);
		return ret;
	}
	/* Its contents go to its pages (memfd.c), as a memfd's do. */
	ctx->pages_file = file;
	return 0;
}

int ckpt_read_ipc_sem(struct ckpt_ctx *ctx, const struct ckpt_hdr *h)
{
	struct ckpt_hdr_ipc_sem rec;
	struct ckpt_ipc_info info;
	struct ipc_namespace *ns;
	size_t len;
	u16 *vals;
	u32 i;
	int ret;

	ret = ckpt_read_begin(ctx, h, &rec, sizeof(rec),
			      sizeof(rec) + ALIGN(CKPT_SEMS_MAX * 2, 8));
	if (!ret)
		ret = ckpt_ipc_perm_in(ctx, "semaphore set", &rec.perm,
				       &ctx->ipc_last_id[1], &info);
	if (ret)
		return ret;
	len = ALIGN(rec.nsems * sizeof(u16), 8);
	if (!rec.nsems || rec.nsems > CKPT_SEMS_MAX || rec.reserved ||
	    h->len != sizeof(rec) + len) {
		ckpt_log(ctx, "semaphore set %d: bad count %u or length",
			 rec.perm.id, rec.nsems);
		return -EBADMSG;
	}
	vals = kvmalloc(len, GFP_KERNEL);
	if (!vals)
		return -ENOMEM;
	ret = ckpt_read_more(ctx, vals, len);
	for (i = 0; i < rec.nsems && !ret; i++)
		if (vals[i] > SEMVMX)
			ret = -EBADMSG;
	if (!ret && memchr_inv((u8 *)vals + rec.nsems * sizeof(u16), 0,
			       len - rec.nsems * sizeof(u16)))
		ret = -EBADMSG;
	if (ret == -EBADMSG)
		ckpt_log(ctx, "semaphore set %d: a value above %d, or padding",
			 rec.perm.id, SEMVMX);
	if (!ret)
		ret = ckpt_read_end(ctx, h);
	/* For the adjustments that name it */
	if (!ret)
		ret = xa_insert(&ctx->ipc_sem_nsems, rec.perm.id,
				xa_mk_value(rec.nsems), GFP_KERNEL);
	if (!ret && ctx->restoring) {
		ns = ckpt_ipc_ns(ctx);
		ret = IS_ERR(ns) ? PTR_ERR(ns) : 0;
		info.size = rec.nsems;
		info.atime = rec.otime;
		info.ctime = rec.ctime;
		if (!ret)
			ret = sem_ckpt_create(ns, &info, vals);
		if (ret)
			ckpt_log(ctx, "semaphore set %d: cannot make it again (error %d)",
				 rec.perm.id, ret);
	}
	kvfree(vals);
	return ret;
}

/* Whether a process had its records already (each process's are together) */
static bool ckpt_sem_undo_seen(struct ckpt_ctx *ctx, pid_t pid)
{
	struct ckpt_rst_sem_undo *un;

	list_for_each_entry(un, &ctx->sem_undos, list)
		if (un->pid == pid)
			return true;
	return false;
}

int ckpt_read_ipc_sem_undo(struct ckpt_ctx *ctx, const struct ckpt_hdr *h)
{
	struct ckpt_hdr_ipc_sem_undo rec;
	struct ckpt_rst_sem_undo *un, *last;
	void *nsems;
	size_t len;
	u32 i;
	int ret;

	ret = ckpt_read_begin(ctx, h, &rec, sizeof(rec),
			      sizeof(rec) + ALIGN(CKPT_SEMS_MAX * 2, 8));
	if (ret)
		return ret;
	last = list_empty(&ctx->sem_undos) ? NULL :
	       list_last_entry(&ctx->sem_undos, struct ckpt_rst_sem_undo, list);
	nsems = xa_load(&ctx->ipc_sem_nsems, rec.semid);
	len = ALIGN(rec.nsems * sizeof(s16), 8);
	if (ctx->past_ipc || rec.pid <= 0 || rec.semid < 0 || !nsems ||
	    xa_to_value(nsems) != rec.nsems || rec.reserved ||
	    h->len != sizeof(rec) + len ||
	    (last && rec.pid == last->pid && rec.semid <= last->semid) ||
	    (last && rec.pid != last->pid &&
	     ckpt_sem_undo_seen(ctx, rec.pid))) {
		ckpt_log(ctx, "SEM_UNDO adjustments of process %d: out of place, or on set %d which is not a set of the image, or of another count",
			 rec.pid, rec.semid);
		return -EBADMSG;
	}
	un = kvzalloc(struct_size(un, adj, len / sizeof(s16)), GFP_KERNEL);
	if (!un)
		return -ENOMEM;
	un->pid = rec.pid;
	un->semid = rec.semid;
	un->nsems = rec.nsems;
	list_add_tail(&un->list, &ctx->sem_undos);
	ret = ckpt_read_more(ctx, un->adj, len);
	for (i = 0; i < rec.nsems && !ret; i++)
		if (un->adj[i] < -SEMVMX || un->adj[i] > SEMVMX)
			ret = -EBADMSG;
	if (!ret && memchr_inv(un->adj + rec.nsems, 0,
			       len - rec.nsems * sizeof(s16)))
		ret = -EBADMSG;
	if (ret == -EBADMSG)
		ckpt_log(ctx, "SEM_UNDO adjustments of process %d on set %d: one beyond %d, or padding",
			 rec.pid, rec.semid, SEMVMX);
	return ret ?: ckpt_read_end(ctx, h);
}

/*
 * ckpt_ipc_check - restart, once every record is read: the processes that
 * have SEM_UNDO adjustments are live processes of the image.
 */
int ckpt_ipc_check(struct ckpt_ctx *ctx)
{
	struct ckpt_rst_sem_undo *un;
	struct ckpt_new_task *nt;

	list_for_each_entry(un, &ctx->sem_undos, list) {
		nt = xa_load(&ctx->new_task_by_pid, un->pid);
		if (!nt || nt->rec.pid != nt->rec.tgid ||
		    (nt->rec.flags & CKPT_TASK_ZOMBIE)) {
			ckpt_log(ctx, "SEM_UNDO adjustments of %d, which is no live process of the image",
				 un->pid);
			return -EBADMSG;
		}
	}
	return 0;
}

/*
 * ckpt_restore_sem_undo - restart, in the restored process @pid when it
 * applies its state: its SEM_UNDO adjustments.
 */
int ckpt_restore_sem_undo(struct ckpt_ctx *ctx, pid_t pid)
{
	struct ckpt_rst_sem_undo *un;
	int ret;

	list_for_each_entry(un, &ctx->sem_undos, list) {
		if (un->pid != pid)
			continue;
		ret = sem_ckpt_set_undo(un->semid, un->adj, un->nsems);
		if (ret) {
			ckpt_log(ctx, "task %d: cannot give it its SEM_UNDO adjustments on set %d (error %d)",
				 pid, un->semid, ret);
			return ret;
		}
	}
	return 0;
}

/*
 * Check the @nr messages of a queue as the image has them: types from
 * @min_type, each within the record, zero-padded, filling it.
 */
static int ckpt_check_msgs(const void *msgs, size_t len, u32 nr,
			   s64 min_type)
{
	const void *end = msgs + len;
	u32 i;

	for (i = 0; i < nr; i++) {
		const struct ckpt_ipc_msg *m = msgs;
		size_t size;

		if (end - msgs < sizeof(*m) || m->mtype < min_type ||
		    m->size > end - msgs - sizeof(*m))
			return -EBADMSG;
		size = ALIGN(m->size, 8);
		if (size > end - msgs - sizeof(*m) ||
		    memchr_inv((const u8 *)(m + 1) + m->size, 0,
			       size - m->size))
			return -EBADMSG;
		msgs += sizeof(*m) + size;
	}
	return msgs == end ? 0 : -EBADMSG;
}

int ckpt_read_ipc_msg(struct ckpt_ctx *ctx, const struct ckpt_hdr *h)
{
	struct ckpt_hdr_ipc_msg rec;
	struct ckpt_ipc_info info;
	struct ipc_namespace *ns;
	void *msgs = NULL;
	size_t len;
	int ret;

	ret = ckpt_read_begin(ctx, h, &rec, sizeof(rec),
			      sizeof(rec) + CKPT_MSGQ_MAX);
	if (!ret)
		ret = ckpt_ipc_perm_in(ctx, "message queue", &rec.perm,
				       &ctx->ipc_last_id[2], &info);
	if (ret)
		return ret;
	len = h->len - sizeof(rec);
	if (rec.reserved || rec.qbytes > INT_MAX) {
		ckpt_log(ctx, "message queue %d: bad capacity or reserved field",
			 rec.perm.id);
		return -EBADMSG;
	}
	msgs = kvmalloc(max_t(size_t, len, 1), GFP_KERNEL);
	if (!msgs)
		return -ENOMEM;
	ret = ckpt_read_more(ctx, msgs, len);
	if (!ret && ckpt_check_msgs(msgs, len, rec.nr_msgs, 1)) {
		ckpt_log(ctx, "message queue %d: its %u messages do not fill the record, or a type not above 0, or padding",
			 rec.perm.id, rec.nr_msgs);
		ret = -EBADMSG;
	}
	if (!ret)
		ret = ckpt_read_end(ctx, h);
	if (!ret && ctx->restoring) {
		ns = ckpt_ipc_ns(ctx);
		ret = IS_ERR(ns) ? PTR_ERR(ns) : 0;
		info.size = rec.qbytes;
		info.atime = rec.stime;
		info.dtime = rec.rtime;
		info.ctime = rec.ctime;
		if (!ret)
			ret = msg_ckpt_create(ns, &info, msgs, rec.nr_msgs);
		if (ret)
			ckpt_log(ctx, "message queue %d: cannot make it again (error %d)",
				 rec.perm.id, ret);
	}
	kvfree(msgs);
	return ret;
}

/* A queue's name: one path component, as mq_open(3) has it after its '/' */
static bool ckpt_mq_name_ok(const char *name)
{
	size_t len = strnlen(name, CKPT_MQ_NAME_LEN);

	return len && len < CKPT_MQ_NAME_LEN && !strchr(name, '/') &&
	       strcmp(name, ".") && strcmp(name, "..") &&
	       !memchr_inv(name + len, 0, CKPT_MQ_NAME_LEN - len);
}

int ckpt_read_ipc_mqueue(struct ckpt_ctx *ctx, const struct ckpt_hdr *h)
{
	struct ckpt_hdr_ipc_mqueue *rec;
	struct ckpt_ipc_info owner = { };
	struct ckpt_ipc_perm perm = { };
	struct ckpt_mq_info info = { };
	struct ckpt_rst_mq *mq = NULL;
	struct ipc_namespace *ns;
	void *msgs = NULL;
	size_t len;
	int ret;

	rec = kmalloc(sizeof(*rec), GFP_KERNEL);
	if (!rec)
		return -ENOMEM;
	ret = ckpt_read_begin(ctx, h, rec, sizeof(*rec),
			      sizeof(*rec) + CKPT_MSGQ_MAX);
	if (!ret)
		ret = ckpt_ipc_placed(ctx, "POSIX message queue");
	if (ret)
		goto out;
	len = h->len - sizeof(*rec);
	if (!ckpt_mq_name_ok(rec->name) ||
	    strcmp(rec->name, ctx->ipc_last_mq) <= 0 ||
	    (rec->mode & ~S_IRWXUGO) || rec->reserved || rec->maxmsg <= 0 ||
	    rec->msgsize <= 0 || rec->nr_msgs > rec->maxmsg) {
		ckpt_log(ctx, "POSIX message queue %u: bad or unordered name, mode, attributes or count",
			 rec->objref);
		ret = -EBADMSG;
		goto out;
	}
	strscpy(ctx->ipc_last_mq, rec->name, sizeof(ctx->ipc_last_mq));
	perm.uid = perm.cuid = rec->uid;
	perm.gid = perm.cgid = rec->gid;
	ret = ckpt_ipc_owner_in(ctx, "POSIX message queue", &perm, &owner);
	if (!ret)
		ret = ckpt_obj_declare(ctx, rec->objref, CKPT_OBJ_MQUEUE);
	if (ret)
		goto out;
	msgs = kvmalloc(max_t(size_t, len, 1), GFP_KERNEL);
	ret = msgs ? ckpt_read_more(ctx, msgs, len) : -ENOMEM;
	if (!ret && ckpt_check_msgs(msgs, len, rec->nr_msgs, 0)) {
		ckpt_log(ctx, "POSIX message queue /%s: its %u messages do not fill the record, or a priority below 0, or padding",
			 rec->name, rec->nr_msgs);
		ret = -EBADMSG;
	}
	if (!ret)
		ret = ckpt_read_end(ctx, h);
	if (ret || !ctx->restoring)
		goto out;

	ns = ckpt_ipc_ns(ctx);
	ret = IS_ERR(ns) ? PTR_ERR(ns) : 0;
	mq = ret ? NULL : kzalloc(sizeof(*mq), GFP_KERNEL);
	if (!ret && !mq)
		ret = -ENOMEM;
	info.mode = rec->mode;
	info.uid = owner.uid;
	info.gid = owner.gid;
	info.maxmsg = rec->maxmsg;
	info.msgsize = rec->msgsize;
	if (!ret)
		ret = mq_ckpt_create(ns, rec->name, &info, msgs, rec->nr_msgs,
				     &mq->dentry);
	if (!ret)
		ret = ckpt_obj_store(ctx, rec->objref, mq);
	if (ret) {
		ckpt_log(ctx, "POSIX message queue /%s: cannot make it again (error %d)",
			 rec->name, ret);
		if (mq)
			ckpt_rst_mq_release(mq);
	}
out:
	kvfree(msgs);
	kfree(rec);
	return ret;
}

void ckpt_rst_mq_release(void *ptr)
{
	struct ckpt_rst_mq *mq = ptr;

	dput(mq->dentry);	/* (NULL if never made) */
	kfree(mq);
}

/*
 * ckpt_mq_open - restart: a file open on the queue of objref
 * @rec->pipe_objref, with the saved access mode and O_NONBLOCK, as the
 * caller of restart opens it (mq_open(3) of a queue that exists).
 */
int ckpt_mq_open(struct ckpt_ctx *ctx, const struct ckpt_hdr_file *rec)
{
	struct ckpt_rst_mq *mq;
	struct file *file;
	struct path path;
	int ret;

	mq = ckpt_obj_fetch(ctx, rec->pipe_objref, CKPT_OBJ_MQUEUE);
	if (!mq || !ctx->ipc_ns)
		return -EBADMSG;
	path.mnt = ctx->ipc_ns->mq_mnt;
	path.dentry = mq->dentry;
	file = dentry_open(&path, rec->f_flags, current_cred());
	if (IS_ERR(file)) {
		ckpt_log(ctx, "file %u: cannot open its POSIX message queue again (error %ld)",
			 rec->objref, PTR_ERR(file));
		return PTR_ERR(file);
	}
	ret = ckpt_obj_store(ctx, rec->objref, file);
	if (ret)
		fput(file);
	return ret;
}

/*
 * ckpt_attach_sysv_shm - restart, in the restored task: attach the
 * segment of objref @v->file_objref where it was, as shmat(2) does.
 */
int ckpt_attach_sysv_shm(struct ckpt_ctx *ctx, const struct ckpt_hdr_vma *v)
{
	struct ckpt_rst_shm *shm;
	unsigned long addr;
	long ret;

	shm = ckpt_obj_fetch(ctx, v->file_objref, CKPT_OBJ_SYSV_SHM);
	if (!shm)
		return -EBADMSG;
	ret = do_shmat(shm->id, (char __user *)(unsigned long)v->start,
		       (v->flags & CKPT_VMA_SHM_RDONLY ? SHM_RDONLY : 0) |
		       (v->prot & CKPT_VMA_EXEC ? SHM_EXEC : 0), &addr,
		       SHMLBA);
	if (!ret && addr != v->start)
		ret = -EEXIST;
	if (ret)
		ckpt_log(ctx, "memory at 0x%llx: cannot attach SysV shared memory %d again (error %ld)",
			 v->start, shm->id, ret);
	return ret;
}

/*
 * ckpt_ipc_finish - restart, once every address space is built: remove
 * the segments that were removed while attached.
 */
int ckpt_ipc_finish(struct ckpt_ctx *ctx)
{
	struct ckpt_rst_shm *shm;
	int ret;

	list_for_each_entry(shm, &ctx->ipc_shms, list) {
		if (!shm->dest)
			continue;
		ret = shm_ckpt_remove(ctx->ipc_ns, shm->id);
		if (ret) {
			ckpt_log(ctx, "SysV shared memory %d: cannot remove it again (error %d)",
				 shm->id, ret);
			return ret;
		}
	}
	return 0;
}

/* Restart: drop what the context holds of the objects. */
void ckpt_ipc_release(struct ckpt_ctx *ctx)
{
	struct ckpt_rst_sem_undo *un, *tmp;

	list_for_each_entry_safe(un, tmp, &ctx->sem_undos, list) {
		list_del(&un->list);
		kvfree(un);
	}
	xa_destroy(&ctx->ipc_sem_nsems);
	xa_destroy(&ctx->ipc_shm_pages);
	if (ctx->ipc_ns)
		put_ipc_ns(ctx->ipc_ns);
	ctx->ipc_ns = NULL;
}

void ckpt_rst_shm_release(void *ptr)
{
	ckpt_rst_shm_free(ptr);
}
