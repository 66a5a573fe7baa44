// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart: memfds and shared anonymous memory.
 *
 * A memfd is a file with no path whose contents are state of the container,
 * so, unlike other files, it is saved with its contents: the pages of its
 * page cache (and swap) that are not all zeros.  Restart makes a new one
 * with the same name, size, contents and seals; mappings and fds of it use
 * the new file as they used the old one.
 *
 * Shared anonymous memory (mmap(MAP_SHARED | MAP_ANONYMOUS)) is a shmem
 * file too, one that only its mappings reach: every area that maps it,
 * in one process or in a parent and its children after fork(), holds the
 * same struct file.  So it is saved once, as a memfd is, and mapped again
 * by each area; restart makes it as mmap() does (shmem_kernel_file_setup()),
 * and mapping that unlinked file makes the areas anonymous shared memory
 * again (shmem_mmap()).
 */
#include <linux/checkpoint.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/rmap.h>
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

/*
 * ckpt_write_shmem_pages - the pages of @file (a memfd, shared anonymous
 * memory, a SysV segment: a shmem file) of @size bytes, in batches, the
 * last one with more = 0.
 */
int ckpt_write_shmem_pages(struct ckpt_ctx *ctx, struct file *file,
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
		ckpt_log(ctx, "file %u: cannot read its contents (error %d)",
			 objref, ret);
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
 * Whether an address space that no task in scope has maps @file: memory
 * shared with a process outside, which restart could not share again.
 * Called for each object once; tasks in scope are frozen, so their mm
 * does not change.
 */
static bool ckpt_mapped_outside(struct ckpt_ctx *ctx, struct file *file)
{
	struct address_space *mapping = file->f_mapping;
	struct mm_struct *seen = NULL;
	struct vm_area_struct *vma;
	bool outside = false;
	unsigned int i;

	i_mmap_lock_read(mapping);
	vma_interval_tree_foreach(vma, &mapping->i_mmap, 0, ULONG_MAX) {
		if (vma->vm_mm == seen)
			continue;
		for (i = 0; i < ctx->nr_tasks; i++)
			if (READ_ONCE(ctx->tasks[i]->mm) == vma->vm_mm)
				break;
		if (i == ctx->nr_tasks) {
			outside = true;
			break;
		}
		seen = vma->vm_mm;
	}
	i_mmap_unlock_read(mapping);
	return outside;
}

/*
 * The rest of the record @rec of a memfd or of shared anonymous memory
 * (@what, for the log): check that it is whole in scope, then write it,
 * its name and its contents.
 */
static int ckpt_write_shmem_object(struct ckpt_ctx *ctx, struct file *file,
				   struct ckpt_hdr_file *rec, const char *name,
				   const char *what)
{
	struct inode *inode = file_inode(file);
	int ret;

	/*
	 * One struct file per object: a second one (opened again through
	 * /proc) would come back as a copy, not the same memory.
	 */
	ret = xa_insert(&ctx->memfd_inodes, inode->i_ino, inode, GFP_KERNEL);
	if (ret && ret != -EBUSY)
		return ret;
	if (ret || (file->f_flags & O_ACCMODE) != O_RDWR) {
		ckpt_log(ctx, "%s: opened again (through /proc) or not read-write: not supported",
			 what);
		return -EOPNOTSUPP;
	}
	if (ckpt_mapped_outside(ctx, file)) {
		ckpt_log(ctx, "%s: mapped by a process outside the checkpoint too",
			 what);
		return -EBUSY;
	}
	rec->size = i_size_read(inode);
	ret = ckpt_write_record(ctx, CKPT_HDR_FILE, rec, sizeof(*rec));
	if (!ret)
		ret = ckpt_write_string(ctx, name);
	if (!ret)
		ret = ckpt_write_shmem_pages(ctx, file, rec->objref, rec->size);
	return ret;
}

/*
 * ckpt_write_memfd - the rest of the file record @rec of a memfd, its
 * name, and its contents.
 */
int ckpt_write_memfd(struct ckpt_ctx *ctx, struct file *file,
		     struct ckpt_hdr_file *rec)
{
	const char *name = file->f_path.dentry->d_name.name;

	rec->type = CKPT_FILE_MEMFD;
	rec->seals = READ_ONCE(SHMEM_I(file_inode(file))->seals);
	return ckpt_write_shmem_object(ctx, file, rec, name, name);
}

/* The file of shared anonymous memory, as shmem_zero_setup() makes it */
bool ckpt_is_shared_anon(struct file *file)
{
	const struct dentry *dentry = file->f_path.dentry;

	return shmem_file(file) && IS_ROOT(dentry) &&
	       !strcmp(dentry->d_name.name, CKPT_SHMEM_NAME);
}

/*
 * ckpt_write_shared_anon - the rest of the file record @rec of shared
 * anonymous memory, and its contents.
 */
int ckpt_write_shared_anon(struct ckpt_ctx *ctx, struct file *file,
			   struct ckpt_hdr_file *rec)
{
	rec->type = CKPT_FILE_SHMEM;
	rec->f_flags = O_RDWR;
	rec->pos = 0;
	return ckpt_write_shmem_object(ctx, file, rec, CKPT_SHMEM_NAME,
				       "shared anonymous memory");
}

/* The seals fcntl(F_ADD_SEALS) knows */
#define CKPT_MEMFD_SEALS	(F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | \
				 F_SEAL_WRITE | F_SEAL_FUTURE_WRITE | \
				 F_SEAL_EXEC)

/*
 * ckpt_expect_shmem_pages - restart: the contents of shmem object @objref,
 * of @size bytes, come next, to go into @file (NULL in a dry run; the
 * caller sets it once the object is made), which gets @seals after.
 */
void ckpt_expect_shmem_pages(struct ckpt_ctx *ctx, u32 objref, u64 size,
			     u32 seals, struct file *file)
{
	ctx->memfd_objref = objref;
	ctx->memfd_next = 0;
	ctx->memfd_size = size;
	ctx->memfd_seals = seals;
	ctx->pages_file = file;
	ctx->expect = CKPT_HDR_FILE_PAGES;
}

/*
 * Give new shmem object @file the saved size and offset, and store it;
 * drops @file on failure.
 */
static int ckpt_shmem_store(struct ckpt_ctx *ctx, struct file *file,
			    const struct ckpt_hdr_file *rec)
{
	int ret;

	file->f_mode |= FMODE_LSEEK | FMODE_PREAD | FMODE_PWRITE;
	/* Past 2 GiB too (generic_write_checks()) */
	file->f_flags |= O_LARGEFILE | (rec->f_flags & O_NONBLOCK);
	ret = do_truncate(file_mnt_idmap(file), file->f_path.dentry, rec->size,
			  0, file);
	if (!ret)
		file->f_pos = rec->pos;
	if (!ret)
		ret = ckpt_obj_store(ctx, rec->objref, file);
	if (ret) {
		ckpt_log(ctx, "file %u: cannot give it its size (error %d)",
			 rec->objref, ret);
		fput(file);
	}
	if (!ret)
		ctx->pages_file = file;
	return ret;
}

/*
 * Restart: its contents are written as the caller would write them:
 * within its RLIMIT_FSIZE (not SIGXFSZ).
 */
static int ckpt_shmem_size_ok(struct ckpt_ctx *ctx,
			      const struct ckpt_hdr_file *rec)
{
	if (rec->size <= rlimit(RLIMIT_FSIZE))
		return 0;
	ckpt_log(ctx, "file %u: %llu bytes, more than the caller's file size limit",
		 rec->objref, rec->size);
	return -EFBIG;
}

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
	ckpt_expect_shmem_pages(ctx, rec->objref, rec->size, rec->seals, NULL);
	if (!ctx->restoring)
		return 0;

	ret = ckpt_shmem_size_ok(ctx, rec);
	if (ret)
		return ret;
	file = shmem_file_setup(name, 0, VM_NORESERVE);
	if (IS_ERR(file)) {
		ckpt_log(ctx, "memfd %u: cannot make it (error %ld)",
			 rec->objref, PTR_ERR(file));
		return PTR_ERR(file);
	}
	ret = ckpt_shmem_store(ctx, file, rec);
	/* No seals until its contents are in (ckpt_read_file_pages()). */
	if (!ret)
		SHMEM_I(file_inode(file))->seals = 0;
	return ret;
}

/*
 * Restart: new shared anonymous memory, as mmap(2) makes it (the memory
 * is accounted, as a mapping without MAP_NORESERVE is); its contents come
 * next, then the areas that map it.
 */
int ckpt_shared_anon_create(struct ckpt_ctx *ctx,
			    const struct ckpt_hdr_file *rec, const char *name)
{
	struct file *file;
	int ret;

	if (strcmp(name, CKPT_SHMEM_NAME) || rec->f_flags != O_RDWR ||
	    rec->pos || rec->seals) {
		ckpt_log(ctx, "shared anonymous memory %u: bad name, flags or offset",
			 rec->objref);
		return -EBADMSG;
	}
	ckpt_expect_shmem_pages(ctx, rec->objref, rec->size, 0, NULL);
	if (!ctx->restoring)
		return 0;

	ret = ckpt_shmem_size_ok(ctx, rec);
	if (ret)
		return ret;
	file = shmem_kernel_file_setup(CKPT_SHMEM_NAME, rec->size, 0);
	if (IS_ERR(file)) {
		ckpt_log(ctx, "shared anonymous memory %u: cannot make it (error %ld)",
			 rec->objref, PTR_ERR(file));
		return PTR_ERR(file);
	}
	return ckpt_shmem_store(ctx, file, rec);
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
		ckpt_log(ctx, "file %u: bad page record", rec.objref);
		return -EBADMSG;
	}
	if (ctx->restoring)
		file = ctx->pages_file;
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
			ckpt_log(ctx, "file %u: page at offset %llu out of order or of the file",
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
			ckpt_log(ctx, "file %u: cannot write its contents",
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
