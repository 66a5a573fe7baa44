// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart: address spaces.
 *
 * An mm is an object of the object hash, written once however many tasks
 * share it: the CKPT_HDR_MM record (layout fields, auxv, vDSO, executable),
 * one CKPT_HDR_VMA per memory area, then CKPT_HDR_PAGES records with the
 * contents of the private areas.  Only present pages that are not all zero
 * are written, and of a private file mapping only the pages the task
 * changed (the rest is in the file).
 *
 * Locking: the mm's mmap_lock is held only to read the areas and to look up
 * pages; it is dropped before anything is written to the image, because a
 * write to a file may fault and take an mmap_lock itself.  The pages found
 * are pinned by a reference, and their tasks are frozen.
 */
#include <linux/binfmts.h>
#include <linux/checkpoint.h>
#include <linux/file.h>
#include <linux/highmem.h>
#include <linux/hugetlb.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/shmem_fs.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/sched/signal.h>
#include <linux/string.h>
#include <asm/vdso.h>

/* The memory areas of an mm, as found under its mmap_lock */
struct ckpt_mm_snapshot {
	struct mm_struct *mm;		/* a reference (mmget) */
	struct ckpt_hdr_vma *vmas;
	struct file **files;		/* of each area, with a reference */
	unsigned int nr;
	struct ckpt_hdr_mm rec;
	struct file *exe;
};

static const char *ckpt_vma_name(struct vm_area_struct *vma)
{
	if (vma->vm_ops && vma->vm_ops->name)
		return vma->vm_ops->name(vma);
	return NULL;
}

/*
 * Describe one area, or refuse it (with the reason in *@why: the caller
 * logs it once the mmap_lock is dropped, since writing to the log may take
 * locks that nest outside it).  Returns 1 for an area that is not written
 * (the vvar pages, which come back with the vDSO).
 */
static int ckpt_describe_vma(struct ckpt_ctx *ctx, struct vm_area_struct *vma,
			     struct ckpt_hdr_vma *rec, const char **why)
{
	vm_flags_t f = vma->vm_flags;
	const char *name = ckpt_vma_name(vma);
	u32 shm_objref;

	/* Special mappings: the vDSO comes back whole, with its vvar pages. */
	if (!vma->vm_file && vma->vm_ops && !(name && !strcmp(name, "[vdso]"))) {
		if (name && !strncmp(name, "[vvar", 5))
			return 1;
		*why = "special mappings other than the vDSO are not supported";
		return -EOPNOTSUPP;
	}
	if (f & (VM_IO | VM_PFNMAP | VM_MIXEDMAP) || is_vm_hugetlb_page(vma)) {
		*why = "device or hugetlb mappings are not supported";
		return -EOPNOTSUPP;
	}
	/*
	 * SysV shared memory: a segment of the container's IPC namespace,
	 * written before (ipc.c), attached whole with the protection
	 * shmat(2) gives it.
	 */
	shm_objref = ckpt_sysv_shm_vma(ctx, vma, why);
	if (*why)
		return -EOPNOTSUPP;
	if (shm_objref) {
		rec->kind = CKPT_VMA_SYSV_SHM;
		rec->file_objref = shm_objref;
		if (!(vma->vm_file->f_mode & FMODE_WRITE))
			rec->flags |= CKPT_VMA_SHM_RDONLY;
	}
	/*
	 * Other shared memory: a regular file's, a memfd's or anonymous (a
	 * shmem file that only mappings reach): its pages are the file's.
	 */
	if ((f & VM_MAYSHARE) && !shm_objref &&
	    (!vma->vm_file || !S_ISREG(file_inode(vma->vm_file)->i_mode))) {
		*why = "shared memory other than anonymous, of a memfd or of a regular file is not supported";
		return -EOPNOTSUPP;
	}

	rec->start = vma->vm_start;
	rec->end = vma->vm_end;
	if (shm_objref) {
		/* (above) */
	} else if (vma->vm_file) {
		rec->kind = CKPT_VMA_FILE;
		rec->pgoff = vma->vm_pgoff;
	} else if (vma->vm_ops) {
		rec->kind = CKPT_VMA_VDSO;
	} else {
		rec->kind = CKPT_VMA_ANON;
	}

	rec->prot = (f & VM_READ ? CKPT_VMA_READ : 0) |
		    (f & VM_WRITE ? CKPT_VMA_WRITE : 0) |
		    (f & VM_EXEC ? CKPT_VMA_EXEC : 0);
	rec->flags |= (f & VM_GROWSDOWN ? CKPT_VMA_GROWSDOWN : 0) |
		     (f & VM_LOCKED ? CKPT_VMA_LOCKED : 0) |
		     (f & VM_DONTCOPY ? CKPT_VMA_DONTFORK : 0) |
		     (f & VM_DONTDUMP ? CKPT_VMA_DONTDUMP : 0) |
		     (f & VM_RAND_READ ? CKPT_VMA_RAND_READ : 0) |
		     (f & VM_SEQ_READ ? CKPT_VMA_SEQ_READ : 0) |
		     (f & VM_MAYSHARE ? CKPT_VMA_SHARED : 0);
	return 0;
}

static void ckpt_mm_snapshot_free(struct ckpt_mm_snapshot *s)
{
	unsigned int i;

	for (i = 0; i < s->nr; i++)
		if (s->files[i])
			fput(s->files[i]);
	kvfree(s->files);
	kvfree(s->vmas);
	if (s->exe)
		fput(s->exe);
}

static int ckpt_mm_snapshot(struct ckpt_ctx *ctx, struct mm_struct *mm,
			    struct ckpt_mm_snapshot *s)
{
	VMA_ITERATOR(vmi, mm, 0);
	struct ckpt_hdr_mm *rec = &s->rec;
	struct vm_area_struct *vma;
	unsigned long refused = 0;
	const char *why = NULL;
	unsigned int max, i;
	int ret = 0;

	mmap_read_lock(mm);
	max = mm->map_count;
	s->vmas = kvcalloc(max, sizeof(*s->vmas), GFP_KERNEL);
	s->files = kvcalloc(max, sizeof(*s->files), GFP_KERNEL);
	if (!s->vmas || !s->files) {
		ret = -ENOMEM;
		goto out;
	}

	for_each_vma(vmi, vma) {
		if (s->nr == max) {
			ret = -EBUSY;	/* cannot happen: the lock is held */
			goto out;
		}
		ret = ckpt_describe_vma(ctx, vma, &s->vmas[s->nr], &why);
		if (ret < 0) {
			refused = vma->vm_start;
			goto out;
		}
		if (ret)
			continue;
		if (s->vmas[s->nr].kind == CKPT_VMA_SYSV_SHM &&
		    !ckpt_sysv_shm_prot_ok(s->vmas[s->nr].prot,
					   s->vmas[s->nr].flags)) {
			why = "SysV shared memory whose protection mprotect(2) changed";
			refused = vma->vm_start;
			ret = -EOPNOTSUPP;
			goto out;
		}
		if (vma->vm_file && s->vmas[s->nr].kind == CKPT_VMA_FILE)
			s->files[s->nr] = get_file(vma->vm_file);
		s->nr++;
	}
	ret = 0;

	rec->nr_vmas = s->nr;
	rec->start_code = mm->start_code;
	rec->end_code = mm->end_code;
	rec->start_data = mm->start_data;
	rec->end_data = mm->end_data;
	rec->start_brk = mm->start_brk;
	rec->brk = mm->brk;
	rec->start_stack = mm->start_stack;
	rec->arg_start = mm->arg_start;
	rec->arg_end = mm->arg_end;
	rec->env_start = mm->env_start;
	rec->env_end = mm->env_end;
	rec->vdso = (unsigned long)mm->context.vdso;
	/* auxv up to and with its AT_NULL pair (exec always ends it so) */
	for (i = 0; i + 1 < ARRAY_SIZE(mm->saved_auxv) &&
	     i + 1 < CKPT_AUXV_WORDS; i += 2) {
		rec->auxv[i] = mm->saved_auxv[i];
		rec->auxv[i + 1] = mm->saved_auxv[i + 1];
		if (!mm->saved_auxv[i]) {
			rec->nr_auxv = i + 2;
			break;
		}
	}
out:
	mmap_read_unlock(mm);
	if (why)
		ckpt_log(ctx, "memory at 0x%lx: %s", refused, why);
	if (!ret)
		s->exe = get_mm_exe_file(mm);
	return ret;
}

/* Whether the image holds pages of an area of this kind */
static bool ckpt_vma_has_pages(u32 kind, u32 flags)
{
	/* (a SysV segment's are the segment's, with it) */
	return kind == CKPT_VMA_ANON ||
	       (kind == CKPT_VMA_FILE && !(flags & CKPT_VMA_SHARED));
}


/*
 * Write the pages of one private area, in batches of CKPT_PAGES_MAX: look
 * them up under the mmap_lock, as many at a time as are present in a row,
 * then drop it and write the batch.
 */
static int ckpt_write_vma_pages(struct ckpt_ctx *ctx, struct mm_struct *mm,
				const struct ckpt_hdr_vma *v, u64 *addrs,
				struct page **pages)
{
	unsigned long addr = v->start;
	unsigned int nr, i, base;
	int ret = 0;

	while (addr < v->end && !ret) {
		nr = 0;
		if (mmap_read_lock_killable(mm))
			return -EINTR;
		while (addr < v->end && nr < CKPT_PAGES_MAX) {
			unsigned long want = min_t(unsigned long,
						   (v->end - addr) >> PAGE_SHIFT,
						   CKPT_PAGES_MAX - nr);
			long got;

			/*
			 * FOLL_DUMP: a hole or the zero page ends the run
			 * (an error if it is the first page: skip it).
			 */
			base = nr;
			got = get_user_pages_remote(mm, addr, want,
						    FOLL_FORCE | FOLL_DUMP,
						    &pages[base], NULL);
			if (got <= 0) {
				addr += PAGE_SIZE;
				continue;
			}
			/* Kept pages move down over skipped ones: nr <= base + i */
			for (i = 0; i < got; i++, addr += PAGE_SIZE) {
				struct page *page = pages[base + i];

				/*
				 * A file page the task never wrote is in the
				 * file.  One it wrote is written even if all
				 * zero: restart would find the file's bytes
				 * there, not zeros.
				 */
				if (v->kind == CKPT_VMA_FILE ? !PageAnon(page) :
				    ckpt_page_is_zero(page)) {
					put_page(page);
					continue;
				}
				addrs[nr] = addr;
				pages[nr++] = page;
			}
		}
		mmap_read_unlock(mm);

		if (nr)
			ret = ckpt_write_pages(ctx, addrs, pages, nr);
		for (i = 0; i < nr; i++)
			put_page(pages[i]);
		cond_resched();
	}
	return ret;
}

static int ckpt_write_mm_pages(struct ckpt_ctx *ctx, struct mm_struct *mm,
			       struct ckpt_mm_snapshot *s)
{
	struct page **pages;
	unsigned int i;
	u64 *addrs;
	int ret = 0;

	addrs = kmalloc_array(CKPT_PAGES_MAX, sizeof(*addrs), GFP_KERNEL);
	pages = kmalloc_array(CKPT_PAGES_MAX, sizeof(*pages), GFP_KERNEL);
	if (!addrs || !pages) {
		ret = -ENOMEM;
		goto out;
	}
	for (i = 0; i < s->nr && !ret; i++) {
		if (ckpt_vma_has_pages(s->vmas[i].kind, s->vmas[i].flags))
			ret = ckpt_write_vma_pages(ctx, mm, &s->vmas[i], addrs,
						   pages);
	}
out:
	kfree(pages);
	kfree(addrs);
	return ret;
}

/*
 * ckpt_mm_begin - the objref of @t's address space, 0 for a task without
 * one.  If this is the first task seen in it, it is snapshot, its files
 * are written (a record follows its objects), and *@snap is set for
 * ckpt_mm_end() to write it after the task record.
 */
int ckpt_mm_begin(struct ckpt_ctx *ctx, struct task_struct *t, u32 *objref,
		  struct ckpt_mm_snapshot **snap)
{
	struct ckpt_mm_snapshot *s;
	struct mm_struct *mm;
	unsigned int i;
	bool first;
	int ret;

	*objref = 0;
	*snap = NULL;
	mm = get_task_mm(t);
	if (!mm)
		return 0;
	*objref = ckpt_obj_find(ctx, mm, CKPT_OBJ_MM);
	if (*objref) {
		mmput(mm);
		return 0;
	}

	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s) {
		mmput(mm);
		return -ENOMEM;
	}
	s->mm = mm;
	ret = ckpt_mm_snapshot(ctx, mm, s);
	if (!ret && s->exe)
		ret = ckpt_write_file(ctx, s->exe, &s->rec.exe_objref);
	for (i = 0; !ret && i < s->nr; i++) {
		if (s->files[i])
			ret = ckpt_write_file(ctx, s->files[i],
					      &s->vmas[i].file_objref);
	}
	/* Its objref only now, after those of its files: objrefs are in order. */
	if (!ret)
		ret = ckpt_obj_lookup_add(ctx, mm, CKPT_OBJ_MM, &first);
	if (ret < 0) {
		ckpt_mm_end(ctx, s, false);
		*objref = 0;
		return ret;
	}
	*objref = s->rec.objref = ret;
	*snap = s;
	return 0;
}

/*
 * ckpt_mm_end - write the address space that ckpt_mm_begin() took (if
 * @write), right after the task record of its first task, and free it.
 */
int ckpt_mm_end(struct ckpt_ctx *ctx, struct ckpt_mm_snapshot *s, bool write)
{
	unsigned int i;
	int ret = 0;

	if (!s)
		return 0;
	if (write) {
		ret = ckpt_write_record(ctx, CKPT_HDR_MM, &s->rec,
					sizeof(s->rec));
		for (i = 0; i < s->nr && !ret; i++)
			ret = ckpt_write_record(ctx, CKPT_HDR_VMA, &s->vmas[i],
						sizeof(s->vmas[i]));
		if (!ret)
			ret = ckpt_write_mm_pages(ctx, s->mm, s);
	}
	ckpt_mm_snapshot_free(s);
	mmput(s->mm);
	kfree(s);
	return ret;
}

/*
 * Restart.  The records of an mm are checked as they come: the layout
 * fields and areas must lie in user space, the areas must be sorted and
 * disjoint, and every page must fall in a private area of this mm, in
 * increasing order.
 */
static bool ckpt_user_addr(u64 addr)
{
	return addr <= TASK_SIZE_MAX;
}

int ckpt_read_mm(struct ckpt_ctx *ctx, const struct ckpt_hdr *h)
{
	struct ckpt_hdr_mm *rec;
	const u64 *field;
	int ret;

	rec = kmalloc(sizeof(*rec), GFP_KERNEL);
	if (!rec)
		return -ENOMEM;
	ret = ckpt_read_payload(ctx, h, rec, sizeof(*rec));
	if (ret)
		goto out;
	ret = -EBADMSG;
	for (field = &rec->start_code; field <= &rec->vdso; field++) {
		if (!ckpt_user_addr(*field)) {
			ckpt_log(ctx, "mm %u: address 0x%llx outside user space",
				 rec->objref, *field);
			goto out;
		}
	}
	if (rec->nr_vmas > sysctl_max_map_count ||
	    rec->nr_auxv > min_t(u32, CKPT_AUXV_WORDS, AT_VECTOR_SIZE) ||
	    rec->nr_auxv % 2 || (rec->nr_auxv && rec->auxv[rec->nr_auxv - 2])) {
		ckpt_log(ctx, "mm %u: bad number of areas (%u) or auxv words (%u)",
			 rec->objref, rec->nr_vmas, rec->nr_auxv);
		goto out;
	}
	if (rec->exe_objref) {
		ret = ckpt_obj_check(ctx, rec->exe_objref, CKPT_OBJ_FILE);
		if (ret)
			goto out;
	}
	/*
	 * Right after the task record that names it (version 4), or, as in
	 * version 3, before the first task record, as that task's.
	 */
	if (ctx->mm_wanted ? rec->objref != ctx->mm_wanted :
	    ctx->nr_tasks_read || ctx->early_mm) {
		ckpt_log(ctx, "mm %u: not right after the task that uses it first",
			 rec->objref);
		ret = -EBADMSG;
		goto out;
	}
	ret = ckpt_obj_declare(ctx, rec->objref, CKPT_OBJ_MM);
	if (ret)
		goto out;
	if (ctx->mm_wanted) {
		ctx->expect = ctx->after_mm;
		ctx->mm_wanted = 0;
	} else {
		ctx->expect = CKPT_HDR_TASK;
		ctx->early_mm = rec->objref;
	}

	kvfree(ctx->vmas);
	ctx->vmas = kvcalloc(rec->nr_vmas, sizeof(*ctx->vmas), GFP_KERNEL);
	ctx->nr_vmas = 0;
	ctx->max_vmas = rec->nr_vmas;
	ctx->next_page = 0;
	if (!ctx->vmas && rec->nr_vmas) {
		ret = -ENOMEM;
	} else if (ctx->restoring) {
		ctx->rst_mm = rec;	/* for the restored task to build */
		rec = NULL;
	}
out:
	kfree(rec);
	return ret;
}

/* Restart, in the restored task: what madvise(2) had said of an area. */
static int ckpt_advise_vma(struct ckpt_ctx *ctx, const struct ckpt_hdr_vma *v)
{
	static const struct {
		u32 flag;
		int advice;
	} advice[] = {
		{ CKPT_VMA_DONTFORK, MADV_DONTFORK },
		{ CKPT_VMA_DONTDUMP, MADV_DONTDUMP },
		{ CKPT_VMA_RAND_READ, MADV_RANDOM },
		{ CKPT_VMA_SEQ_READ, MADV_SEQUENTIAL },
	};
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(advice); i++) {
		if (!(v->flags & advice[i].flag))
			continue;
		ret = do_madvise(current->mm, v->start, v->end - v->start,
				 advice[i].advice);
		if (ret) {
			ckpt_log(ctx, "memory at 0x%llx: cannot advise %d again (error %d)",
				 v->start, advice[i].advice, ret);
			return ret;
		}
	}
	return 0;
}

/*
 * Restart, in the restored task: map one memory area of its new mm where
 * it was.  MAP_FIXED_NOREPLACE: areas are disjoint, so anything already
 * there is an error, not something to replace.
 */
static int ckpt_map_vma(struct ckpt_ctx *ctx, const struct ckpt_hdr_vma *v)
{
	unsigned long len = v->end - v->start, addr;
	unsigned long flags = MAP_FIXED_NOREPLACE |
			      (v->flags & CKPT_VMA_SHARED ? MAP_SHARED :
							    MAP_PRIVATE) |
			      (v->flags & CKPT_VMA_LOCKED ? MAP_LOCKED : 0);
	unsigned long prot = (v->prot & CKPT_VMA_READ ? PROT_READ : 0) |
			     (v->prot & CKPT_VMA_WRITE ? PROT_WRITE : 0) |
			     (v->prot & CKPT_VMA_EXEC ? PROT_EXEC : 0);
	const struct vdso_image *vdso = &vdso_image_64;
	struct file *file;
	int ret;

	switch (v->kind) {
	case CKPT_VMA_ANON:
		if (v->flags & CKPT_VMA_GROWSDOWN)
			flags |= MAP_GROWSDOWN;
		addr = vm_mmap(NULL, v->start, len, prot, flags | MAP_ANONYMOUS,
			       0);
		break;
	case CKPT_VMA_FILE:
		file = ckpt_obj_fetch(ctx, v->file_objref, CKPT_OBJ_FILE);
		if (!file)
			return -EBADMSG;
		addr = vm_mmap(file, v->start, len, prot, flags,
			       v->pgoff << PAGE_SHIFT);
		break;
	case CKPT_VMA_SYSV_SHM:
		ret = ckpt_attach_sysv_shm(ctx, v);
		if (ret)
			return ret;
		addr = v->start;
		break;
	default:	/* the vDSO, whose vvar pages lie just below it */
		if (len != vdso->size) {
			ckpt_log(ctx, "vDSO at 0x%llx: %lu bytes, this kernel's has %ld",
				 v->start, len, vdso->size);
			return -ENOEXEC;
		}
		ret = map_vdso_once(vdso, v->start + vdso->sym_vvar_start);
		addr = ret ? ret :
		       (unsigned long)current->mm->context.vdso;
		break;
	}
	if (IS_ERR_VALUE(addr) || addr != v->start) {
		ckpt_log(ctx, "memory at 0x%llx: cannot map it again (error %ld)",
			 v->start, IS_ERR_VALUE(addr) ? (long)addr : -EEXIST);
		return IS_ERR_VALUE(addr) ? (long)addr : -EEXIST;
	}
	return ckpt_advise_vma(ctx, v);
}

int ckpt_read_vma(struct ckpt_ctx *ctx, const struct ckpt_hdr *h)
{
	struct ckpt_hdr_vma rec;
	u64 prev_end;
	int ret;

	ret = ckpt_read_payload(ctx, h, &rec, sizeof(rec));
	if (ret)
		return ret;
	if (ctx->nr_vmas >= ctx->max_vmas) {
		ckpt_log(ctx, "memory area record outside an address space");
		return -EBADMSG;
	}
	prev_end = ctx->nr_vmas ? ctx->vmas[ctx->nr_vmas - 1].end : 0;
	if (rec.start >= rec.end || !PAGE_ALIGNED(rec.start) ||
	    !PAGE_ALIGNED(rec.end) || !ckpt_user_addr(rec.end) ||
	    rec.start < prev_end || rec.pgoff > (ULONG_MAX >> PAGE_SHIFT) ||
	    rec.kind < CKPT_VMA_ANON || rec.kind > CKPT_VMA_SYSV_SHM ||
	    (rec.prot & ~(CKPT_VMA_READ | CKPT_VMA_WRITE | CKPT_VMA_EXEC)) ||
	    (rec.flags & ~CKPT_VMA_FLAGS_ALL) ||
	    ((rec.flags & CKPT_VMA_SHARED) &&
	     (rec.kind == CKPT_VMA_VDSO || (rec.flags & CKPT_VMA_GROWSDOWN) ||
	      (rec.kind == CKPT_VMA_ANON && !(rec.prot & CKPT_VMA_WRITE))))) {
		ckpt_log(ctx, "memory area 0x%llx-0x%llx: bad bounds, kind or flags",
			 rec.start, rec.end);
		return -EBADMSG;
	}
	/* A SysV segment: whole, shared, as shmat(2) attaches it. */
	if ((rec.kind == CKPT_VMA_SYSV_SHM &&
	     (rec.pgoff || !(rec.flags & CKPT_VMA_SHARED) ||
	      !ckpt_sysv_shm_prot_ok(rec.prot, rec.flags))) ||
	    (rec.kind != CKPT_VMA_SYSV_SHM &&
	     (rec.flags & CKPT_VMA_SHM_RDONLY))) {
		ckpt_log(ctx, "memory area 0x%llx-0x%llx: SysV shared memory at an offset, not shared, with another protection than shmat(2) gives, or a flag for it elsewhere",
			 rec.start, rec.end);
		return -EBADMSG;
	}
	if (rec.kind == CKPT_VMA_FILE || rec.kind == CKPT_VMA_SYSV_SHM) {
		ret = ckpt_obj_check(ctx, rec.file_objref,
				     rec.kind == CKPT_VMA_FILE ?
				     CKPT_OBJ_FILE : CKPT_OBJ_SYSV_SHM);
		if (ret)
			return ret;
		if (rec.kind == CKPT_VMA_SYSV_SHM &&
		    !ckpt_sysv_shm_len_ok(ctx, &rec)) {
			ckpt_log(ctx, "memory area 0x%llx-0x%llx: not the size of the SysV segment %u it attaches",
				 rec.start, rec.end, rec.file_objref);
			return -EBADMSG;
		}
	} else if (rec.file_objref) {
		ckpt_log(ctx, "memory area 0x%llx-0x%llx: a file for memory that has none",
			 rec.start, rec.end);
		return -EBADMSG;
	}
	ctx->vmas[ctx->nr_vmas].start = rec.start;
	ctx->vmas[ctx->nr_vmas].end = rec.end;
	ctx->vmas[ctx->nr_vmas].kind = rec.kind;
	ctx->vmas[ctx->nr_vmas].flags = rec.flags;
	ctx->nr_vmas++;
	return ctx->restoring ? ckpt_map_vma(ctx, &rec) : 0;
}

/* Does the page at @addr lie in a private area of the mm being read? */
static bool ckpt_page_in_vmas(struct ckpt_ctx *ctx, u64 addr)
{
	unsigned int lo = 0, hi = ctx->nr_vmas;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;
		struct ckpt_rst_vma *v = &ctx->vmas[mid];

		if (addr < v->start)
			hi = mid;
		else if (addr >= v->end)
			lo = mid + 1;
		else
			return ckpt_vma_has_pages(v->kind, v->flags);
	}
	return false;
}

/*
 * Restart, in the restored task: read page data into its new pages.  The
 * pages are looked up (and made private and writable, even in read-only
 * areas, as ptrace would) under the mmap_lock, which is dropped before the
 * image is read, since reading may take locks that nest outside it.
 */
static int ckpt_fill_pages(struct ckpt_ctx *ctx, const u64 *addrs,
			   unsigned int nr)
{
	struct mm_struct *mm = current->mm;
	struct page **pages;
	unsigned int i, got = 0;
	int ret = 0;

	pages = kmalloc_array(nr, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return -ENOMEM;
	if (mmap_read_lock_killable(mm)) {
		kfree(pages);
		return -EINTR;
	}
	for (got = 0; got < nr; got++) {
		if (get_user_pages_remote(mm, addrs[got], 1,
					  FOLL_WRITE | FOLL_FORCE,
					  &pages[got], NULL) != 1)
			break;
	}
	mmap_read_unlock(mm);
	if (got < nr) {
		ckpt_log(ctx, "page at 0x%llx: cannot write it", addrs[got]);
		ret = -EFAULT;
	}
	if (!ret)
		ret = ckpt_read_more_pages(ctx, pages, got);
	for (i = 0; i < got; i++) {
		flush_dcache_page(pages[i]);
		put_page(pages[i]);
	}
	kfree(pages);
	return ret;
}

int ckpt_read_pages(struct ckpt_ctx *ctx, const struct ckpt_hdr *h)
{
	struct ckpt_hdr_pages rec;
	unsigned int i;
	u64 *addrs;
	int ret;

	ret = ckpt_read_begin(ctx, h, &rec, sizeof(rec), U32_MAX);
	if (ret)
		return ret;
	if (!ctx->max_vmas || ctx->nr_vmas != ctx->max_vmas) {
		ckpt_log(ctx, "page record outside an address space");
		return -EBADMSG;
	}
	if (!rec.nr_pages || rec.nr_pages > CKPT_PAGES_MAX || rec.reserved ||
	    h->len != sizeof(rec) + rec.nr_pages * (sizeof(u64) + PAGE_SIZE)) {
		ckpt_log(ctx, "page record with %u pages has a bad length %u",
			 rec.nr_pages, h->len);
		return -EBADMSG;
	}
	addrs = kmalloc_array(rec.nr_pages, sizeof(*addrs), GFP_KERNEL);
	if (!addrs)
		return -ENOMEM;
	ret = ckpt_read_more(ctx, addrs, rec.nr_pages * sizeof(*addrs));
	for (i = 0; !ret && i < rec.nr_pages; i++) {
		if (!PAGE_ALIGNED(addrs[i]) || addrs[i] < ctx->next_page ||
		    !ckpt_page_in_vmas(ctx, addrs[i])) {
			ckpt_log(ctx, "page at 0x%llx: not in order, or not in a private area",
				 addrs[i]);
			ret = -EBADMSG;
		}
		ctx->next_page = addrs[i] + PAGE_SIZE;
	}
	if (!ret && ctx->restoring)
		ret = ckpt_fill_pages(ctx, addrs, rec.nr_pages);
	kfree(addrs);
	if (!ret)
		ret = ckpt_read_end(ctx, h);
	return ret;
}

/* Restart, in the restored task: the layout fields and the executable. */
static int ckpt_restore_layout(struct ckpt_ctx *ctx, struct mm_struct *mm)
{
	const struct ckpt_hdr_mm *rec = ctx->rst_mm;
	struct file *exe = NULL;

	if (rec->exe_objref) {
		exe = ckpt_obj_fetch(ctx, rec->exe_objref, CKPT_OBJ_FILE);
		if (!exe)
			return -EBADMSG;
	}
	mmap_write_lock(mm);
	mm->start_code = rec->start_code;
	mm->end_code = rec->end_code;
	mm->start_data = rec->start_data;
	mm->end_data = rec->end_data;
	mm->start_brk = rec->start_brk;
	mm->brk = rec->brk;
	mm->start_stack = rec->start_stack;
	spin_lock(&mm->arg_lock);
	mm->arg_start = rec->arg_start;
	mm->arg_end = rec->arg_end;
	mm->env_start = rec->env_start;
	mm->env_end = rec->env_end;
	spin_unlock(&mm->arg_lock);
	memset(mm->saved_auxv, 0, sizeof(mm->saved_auxv));
	memcpy(mm->saved_auxv, rec->auxv, rec->nr_auxv * sizeof(u64));
	mmap_write_unlock(mm);
	/* Nobody else can use the new mm yet, as set_mm_exe_file() needs. */
	return exe ? set_mm_exe_file(mm, exe) : 0;
}

/*
 * ckpt_restore_mm - in the restored task: replace the mm it shares with the
 * caller of restart(2) by a new one, as exec does, and build it from the
 * memory area and page records that follow the mm record.  The first
 * record that is neither is left in ctx->pending for the caller.
 */
int ckpt_restore_mm(struct ckpt_ctx *ctx)
{
	struct rlimit rlim_stack;
	struct mm_struct *mm;
	struct ckpt_hdr h;
	int ret;

	mm = mm_alloc();
	if (!mm)
		return -ENOMEM;
	ret = exec_mmap(mm);
	if (ret) {
		mmput(mm);
		return ret;
	}
	up_write(&current->signal->exec_update_lock);
	task_lock(current->group_leader);
	rlim_stack = current->signal->rlim[RLIMIT_STACK];
	task_unlock(current->group_leader);
	arch_pick_mmap_layout(mm, &rlim_stack);
	mm->task_size = TASK_SIZE;
	/* As a 64-bit exec gives it (set_personality_64bit()) */
	__set_bit(MM_CONTEXT_HAS_VSYSCALL, &mm->context.flags);

	for (;;) {
		ret = ckpt_read_hdr(ctx, &h);
		if (ret)
			return ret;
		if (h.type == CKPT_HDR_VMA) {
			ret = ckpt_read_vma(ctx, &h);
		} else if (h.type == CKPT_HDR_PAGES) {
			ret = ckpt_read_pages(ctx, &h);
		} else {
			ctx->pending = h;
			ctx->has_pending = true;
			break;
		}
		if (ret)
			return ret;
	}
	if (ctx->nr_vmas != ctx->max_vmas) {
		ckpt_log(ctx, "the address space has %u of its %u memory areas",
			 ctx->nr_vmas, ctx->max_vmas);
		return -EBADMSG;
	}
	return ckpt_restore_layout(ctx, mm);
}
