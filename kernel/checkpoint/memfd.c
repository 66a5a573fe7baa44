// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart: memfds.
 *
 * A memfd is a file with no path whose contents are state of the container,
 * so, unlike other files, it is saved with its contents: the pages of its
 * page cache (and swap) that are not all zeros.  Restart makes a new one
 * with the same name, size, contents and seals; mappings and fds of it use
 * the new file as they used the old one.
 */
#include <linux/checkpoint.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/sched/signal.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>

#define CKPT_MEMFD_PREFIX	"memfd:"

bool ckpt_is_memfd(struct file *file)
{
	const struct dentry *dentry = file->f_path.dentry;

	/* Made by alloc_file_pseudo(): a dentry of its own, in no directory */
	return shmem_file(file) && IS_ROOT(dentry) &&
	       !strncmp(dentry->d_name.name, CKPT_MEMFD_PREFIX,
			strlen(CKPT_MEMFD_PREFIX));
}

/* A page of a memfd, with a reference, or NULL for a hole. */
static struct page *ckpt_memfd_page(struct inode *inode, pgoff_t index,
				    int *err)
{
	struct folio *folio = NULL;
	struct page *page;

	*err = shmem_get_folio(inode, index, 0, &folio, SGP_READ);
	if (*err || !folio)
		return NULL;
	page = folio_file_page(folio, index);
	get_page(page);
	folio_unlock(folio);
	folio_put(folio);
	return page;
}

/* Write the pages of @file, in batches, the last one with more = 0. */
static int ckpt_write_memfd_pages(struct ckpt_ctx *ctx, struct file *file,
				  u32 objref, u64 size)
{
	struct inode *inode = file_inode(file);
	pgoff_t index, end = DIV_ROUND_UP(size, PAGE_SIZE);
	struct ckpt_hdr_file_pages rec = { .objref = objref };
	struct page **pages;
	unsigned int nr = 0, i;
	u64 *offs;
	int ret = 0;

	rec.h.type = CKPT_HDR_FILE_PAGES;
	offs = kmalloc_array(CKPT_PAGES_MAX, sizeof(*offs), GFP_KERNEL);
	pages = kmalloc_array(CKPT_PAGES_MAX, sizeof(*pages), GFP_KERNEL);
	if (!offs || !pages) {
		ret = -ENOMEM;
		goto out;
	}
	for (index = 0; index < end && !ret; index++) {
		struct page *page = ckpt_memfd_page(inode, index, &ret);

		if (!page)
			continue;
		if (ckpt_page_is_zero(page)) {
			put_page(page);
			continue;
		}
		offs[nr] = (u64)index << PAGE_SHIFT;
		pages[nr++] = page;
		if (nr < CKPT_PAGES_MAX)
			continue;
		rec.nr_pages = nr;
		rec.more = 1;
		ret = ckpt_write_page_record(ctx, &rec.h, sizeof(rec), offs,
					     pages, nr);
		for (i = 0; i < nr; i++)
			put_page(pages[i]);
		nr = 0;
		cond_resched();
	}
	if (ret) {
		ckpt_log(ctx, "memfd: cannot read its contents (error %d)", ret);
	} else {
		rec.nr_pages = nr;
		rec.more = 0;
		ret = ckpt_write_page_record(ctx, &rec.h, sizeof(rec), offs,
					     pages, nr);
	}
	for (i = 0; i < nr; i++)
		put_page(pages[i]);
out:
	kfree(pages);
	kfree(offs);
	return ret;
}

/*
 * ckpt_write_memfd - the rest of the file record @rec of a memfd, its
 * name, and its contents.
 */
int ckpt_write_memfd(struct ckpt_ctx *ctx, struct file *file,
		     struct ckpt_hdr_file *rec)
{
	struct inode *inode = file_inode(file);
	int ret;

	/*
	 * One file per memfd: a second one (opened again through /proc)
	 * would come back as a copy, not the same memory.
	 */
	ret = xa_insert(&ctx->memfd_inodes, inode->i_ino, inode, GFP_KERNEL);
	if (ret && ret != -EBUSY)
		return ret;
	if (ret || (file->f_flags & O_ACCMODE) != O_RDWR) {
		ckpt_log(ctx, "memfd:%s: opened again (through /proc) or not read-write: not supported",
			 file->f_path.dentry->d_name.name +
			 strlen(CKPT_MEMFD_PREFIX));
		return -EOPNOTSUPP;
	}
	rec->type = CKPT_FILE_MEMFD;
	rec->size = i_size_read(inode);
	rec->seals = READ_ONCE(SHMEM_I(inode)->seals);
	ret = ckpt_write_record(ctx, CKPT_HDR_FILE, rec, sizeof(*rec));
	if (!ret)
		ret = ckpt_write_string(ctx, file->f_path.dentry->d_name.name);
	if (!ret)
		ret = ckpt_write_memfd_pages(ctx, file, rec->objref, rec->size);
	return ret;
}

/* The seals fcntl(F_ADD_SEALS) knows */
#define CKPT_MEMFD_SEALS	(F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | \
				 F_SEAL_WRITE | F_SEAL_FUTURE_WRITE | \
				 F_SEAL_EXEC)

/*
 * Restart: a new memfd, as memfd_create(2) makes one, of the saved size;
 * its contents come next, its seals are set once they are in.
 */
int ckpt_memfd_create(struct ckpt_ctx *ctx, const struct ckpt_hdr_file *rec,
		      const char *name)
{
	struct file *file;
	int ret;

	if (strncmp(name, CKPT_MEMFD_PREFIX, strlen(CKPT_MEMFD_PREFIX)) ||
	    (rec->seals & ~CKPT_MEMFD_SEALS) ||
	    (rec->f_flags & O_ACCMODE) != O_RDWR) {
		ckpt_log(ctx, "memfd %u: bad name, seals or flags", rec->objref);
		return -EBADMSG;
	}
	ctx->memfd_objref = rec->objref;
	ctx->memfd_next = 0;
	ctx->memfd_size = rec->size;
	ctx->memfd_seals = rec->seals;
	ctx->expect = CKPT_HDR_FILE_PAGES;
	if (!ctx->restoring)
		return 0;

	/* As the caller would write it: within its RLIMIT_FSIZE (not SIGXFSZ) */
	if (rec->size > rlimit(RLIMIT_FSIZE)) {
		ckpt_log(ctx, "memfd %u: %llu bytes, more than the caller's file size limit",
			 rec->objref, rec->size);
		return -EFBIG;
	}
	file = shmem_file_setup(name, 0, VM_NORESERVE);
	if (IS_ERR(file)) {
		ckpt_log(ctx, "memfd %u: cannot make it (error %ld)",
			 rec->objref, PTR_ERR(file));
		return PTR_ERR(file);
	}
	file->f_mode |= FMODE_LSEEK | FMODE_PREAD | FMODE_PWRITE;
	file->f_flags |= O_LARGEFILE | (rec->f_flags & O_NONBLOCK);
	ret = do_truncate(file_mnt_idmap(file), file->f_path.dentry, rec->size,
			  0, file);
	if (!ret)
		file->f_pos = rec->pos;
	if (!ret)
		ret = ckpt_obj_store(ctx, rec->objref, file);
	if (ret) {
		ckpt_log(ctx, "memfd %u: cannot give it its size (error %d)",
			 rec->objref, ret);
		fput(file);
	}
	/* No seals until its contents are in (ckpt_read_file_pages()). */
	if (!ret)
		SHMEM_I(file_inode(file))->seals = 0;
	return ret;
}

/*
 * Seals are set once the restored task has mapped its memory: a memfd
 * sealed against future writes may still have a writable shared mapping
 * made before the seal.
 */
static int ckpt_memfd_seal_later(struct ckpt_ctx *ctx, struct file *file,
				 u32 seals)
{
	struct ckpt_memfd_seal *s = kmalloc(sizeof(*s), GFP_KERNEL);

	if (!s)
		return -ENOMEM;
	s->file = get_file(file);
	s->seals = seals;
	list_add_tail(&s->list, &ctx->memfd_seals_list);
	return 0;
}

/* ckpt_memfd_seal - set the seals of the restored memfds (see above). */
void ckpt_memfd_seal(struct ckpt_ctx *ctx)
{
	struct ckpt_memfd_seal *s, *tmp;

	list_for_each_entry_safe(s, tmp, &ctx->memfd_seals_list, list) {
		SHMEM_I(file_inode(s->file))->seals = s->seals;
		list_del(&s->list);
		fput(s->file);
		kfree(s);
	}
}

int ckpt_read_file_pages(struct ckpt_ctx *ctx, const struct ckpt_hdr *h)
{
	struct ckpt_hdr_file_pages rec;
	struct file *file = NULL;
	unsigned int i;
	void *page;
	u64 *offs;
	int ret;

	ret = ckpt_read_begin(ctx, h, &rec, sizeof(rec), U32_MAX);
	if (ret)
		return ret;
	if (rec.objref != ctx->memfd_objref ||
	    rec.nr_pages > CKPT_PAGES_MAX || rec.more > 1 || rec.reserved ||
	    h->len != sizeof(rec) + rec.nr_pages * (sizeof(u64) + PAGE_SIZE)) {
		ckpt_log(ctx, "memfd %u: bad page record", rec.objref);
		return -EBADMSG;
	}
	if (ctx->restoring)
		file = ckpt_obj_fetch(ctx, rec.objref, CKPT_OBJ_FILE);
	offs = kmalloc_array(CKPT_PAGES_MAX, sizeof(*offs), GFP_KERNEL);
	page = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!offs || !page) {
		ret = -ENOMEM;
		goto out;
	}
	ret = ckpt_read_more(ctx, offs, rec.nr_pages * sizeof(*offs));
	for (i = 0; i < rec.nr_pages && !ret; i++) {
		if (offs[i] < ctx->memfd_next || !PAGE_ALIGNED(offs[i]) ||
		    offs[i] >= ctx->memfd_size) {
			ckpt_log(ctx, "memfd %u: page at offset %llu out of order or of the file",
				 rec.objref, offs[i]);
			ret = -EBADMSG;
			break;
		}
		ctx->memfd_next = offs[i] + PAGE_SIZE;
	}
	for (i = 0; i < rec.nr_pages && !ret; i++) {
		size_t len = min_t(u64, PAGE_SIZE, ctx->memfd_size - offs[i]);
		loff_t pos = offs[i];

		ret = ckpt_read_more(ctx, page, PAGE_SIZE);
		if (!ret && file && kernel_write(file, page, len, &pos) != len) {
			ckpt_log(ctx, "memfd %u: cannot write its contents",
				 rec.objref);
			ret = -EIO;
		}
	}
	if (!ret && !rec.more) {
		ctx->expect = 0;
		if (file && ctx->memfd_seals)
			ret = ckpt_memfd_seal_later(ctx, file, ctx->memfd_seals);
	}
	if (!ret)
		ret = ckpt_read_end(ctx, h);
out:
	kfree(page);
	kfree(offs);
	return ret;
}
