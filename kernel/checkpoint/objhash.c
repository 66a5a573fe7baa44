// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart: the object hash.
 *
 * A shared object (an mm, a struct file, later a files table, a sighand...)
 * is written once, the first time it is seen, under a small integer, its
 * objref; every later use writes only the objref.  Checkpoint maps object
 * pointers to objrefs in a hashtable, holding a reference on each object so
 * that its address cannot be reused for another during the checkpoint.
 * Restart maps objrefs to what it made of them in an xarray.
 *
 * A context belongs to one task, so neither needs a lock.
 */
#include <linux/checkpoint.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/hashtable.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/xarray.h>

struct ckpt_obj {
	struct hlist_node node;
	const void *ptr;
	u32 objref;
	enum ckpt_obj_type type;
};

/* Take and drop the reference that pins an object while it is hashed. */
static void ckpt_obj_get(const void *ptr, enum ckpt_obj_type type)
{
	switch (type) {
	case CKPT_OBJ_FILE:
	case CKPT_OBJ_SYSV_SHM:		/* keyed by its file */
		get_file((struct file *)ptr);
		break;
	case CKPT_OBJ_MM:
		mmgrab((struct mm_struct *)ptr);
		break;
	case CKPT_OBJ_MQUEUE:		/* keyed by its inode */
		ihold((struct inode *)ptr);
		break;
	default:
		break;
	}
}

static void ckpt_obj_put(const void *ptr, enum ckpt_obj_type type)
{
	switch (type) {
	case CKPT_OBJ_FILE:
	case CKPT_OBJ_SYSV_SHM:
		fput((struct file *)ptr);
		break;
	case CKPT_OBJ_MM:
		mmdrop((struct mm_struct *)ptr);
		break;
	case CKPT_OBJ_MQUEUE:
		iput((struct inode *)ptr);
		break;
	default:
		/*
		 * Pipes, tables, fs, sighand, signal: keys only, never
		 * dereferenced after they were written; the frozen tasks
		 * (and, for a pipe, the files of its ends) hold them.
		 */
		break;
	}
}

/* Restart: drop what objref @index was made into. */
static void ckpt_obj_put_restored(void *ptr, enum ckpt_obj_type type)
{
	switch (type) {
	case CKPT_OBJ_FILE:
		fput((struct file *)ptr);
		break;
	case CKPT_OBJ_PIPE:
		/* the ends of a pipe made for the image that no file took */
		ckpt_pipe_release((struct ckpt_rst_pipe *)ptr);
		break;
	case CKPT_OBJ_FIFO:
		ckpt_fifo_release((struct ckpt_rst_fifo *)ptr);
		break;
	case CKPT_OBJ_SYSV_SHM:
		ckpt_rst_shm_release(ptr);
		break;
	case CKPT_OBJ_MQUEUE:
		ckpt_rst_mq_release(ptr);
		break;
	default:
		break;
	}
}

/* ckpt_obj_find - the objref of @ptr, or 0 if it was not seen yet. */
u32 ckpt_obj_find(struct ckpt_ctx *ctx, const void *ptr,
		  enum ckpt_obj_type type)
{
	struct ckpt_obj *obj;

	hash_for_each_possible(ctx->obj_hash, obj, node, (unsigned long)ptr)
		if (obj->ptr == ptr && obj->type == type)
			return obj->objref;
	return 0;
}

/*
 * ckpt_obj_lookup_add - the objref of @ptr, and whether it is new.
 *
 * Returns the objref (> 0), with *@first true when the caller must now
 * write the object, or a negative errno.
 */
int ckpt_obj_lookup_add(struct ckpt_ctx *ctx, const void *ptr,
			enum ckpt_obj_type type, bool *first)
{
	struct ckpt_obj *obj;
	u32 objref = ckpt_obj_find(ctx, ptr, type);

	if (objref) {
		*first = false;
		return objref;
	}
	if (ctx->next_objref >= INT_MAX)
		return -ENOSPC;
	obj = kmalloc(sizeof(*obj), GFP_KERNEL);
	if (!obj)
		return -ENOMEM;
	obj->ptr = ptr;
	obj->type = type;
	obj->objref = ++ctx->next_objref;
	ckpt_obj_get(ptr, type);
	hash_add(ctx->obj_hash, &obj->node, (unsigned long)ptr);
	*first = true;
	return obj->objref;
}

/*
 * ckpt_obj_declare - restart: note that objref @objref of @type is defined.
 *
 * Objrefs are given out in increasing order, so a new one must be the next.
 */
int ckpt_obj_declare(struct ckpt_ctx *ctx, u32 objref, enum ckpt_obj_type type)
{
	int ret;

	if (objref != ctx->next_objref + 1) {
		ckpt_log(ctx, "object %u defined out of order (expected %u)",
			 objref, ctx->next_objref + 1);
		return -EBADMSG;
	}
	ret = xa_insert(&ctx->obj_index, objref, xa_mk_value(type),
			GFP_KERNEL);
	if (ret)
		return ret;
	ctx->next_objref = objref;
	return 0;
}

/* ckpt_obj_known - restart: is @objref defined, as an object of @type? */
bool ckpt_obj_known(struct ckpt_ctx *ctx, u32 objref, enum ckpt_obj_type type)
{
	void *entry = xa_load(&ctx->obj_index, objref);

	return entry && xa_to_value(entry) == type;
}

/* ckpt_obj_check - restart: is @objref a defined object of @type? */
int ckpt_obj_check(struct ckpt_ctx *ctx, u32 objref, enum ckpt_obj_type type)
{
	if (!ckpt_obj_known(ctx, objref, type)) {
		ckpt_log(ctx, "reference to an unknown object %u", objref);
		return -EBADMSG;
	}
	return 0;
}

/*
 * ckpt_obj_store - restart: what objref @objref was made into (an open
 * file...), with the reference that the context now holds.
 */
int ckpt_obj_store(struct ckpt_ctx *ctx, u32 objref, void *ptr)
{
	return xa_insert(&ctx->obj_ptrs, objref, ptr, GFP_KERNEL);
}

/* ckpt_obj_fetch - restart: what objref @objref of @type was made into. */
void *ckpt_obj_fetch(struct ckpt_ctx *ctx, u32 objref, enum ckpt_obj_type type)
{
	if (ckpt_obj_check(ctx, objref, type))
		return NULL;
	return xa_load(&ctx->obj_ptrs, objref);
}

void ckpt_obj_init(struct ckpt_ctx *ctx)
{
	hash_init(ctx->obj_hash);
	xa_init(&ctx->obj_index);
	xa_init(&ctx->obj_ptrs);
}

void ckpt_obj_release(struct ckpt_ctx *ctx)
{
	struct hlist_node *tmp;
	struct ckpt_obj *obj;
	unsigned long index;
	void *ptr;
	int bkt;

	hash_for_each_safe(ctx->obj_hash, bkt, tmp, obj, node) {
		hash_del(&obj->node);
		ckpt_obj_put(obj->ptr, obj->type);
		kfree(obj);
	}
	xa_for_each(&ctx->obj_ptrs, index, ptr)
		ckpt_obj_put_restored(ptr, xa_to_value(xa_load(&ctx->obj_index,
								   index)));
	xa_destroy(&ctx->obj_ptrs);
	xa_destroy(&ctx->obj_index);
}
