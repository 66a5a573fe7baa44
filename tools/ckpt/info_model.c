// SPDX-License-Identifier: GPL-2.0
/*
 * `ckpt info`: what the image holds, gathered record by record for the
 * summaries that follow the header: the tasks with their state, the
 * address spaces with their memory areas, the files (and the pages of
 * memfds) and pipes, the fd tables, fs, signal handlers and signal
 * records (with their POSIX timers) tasks share, the IPC objects (SysV
 * ones, the SEM_UNDO adjustments of processes, POSIX message queues).
 * The reader has checked each record (CKPT_READ_CHECK) before it gets
 * here, so objrefs come in order, strings follow their files, pages lie
 * in the areas of the last mm and timers come by id; what does not fit is
 * skipped rather than trusted.
 *
 * Memory: a few dozen bytes per task, file, memory area, fd and IPC object
 * (and a file's path), 2 KiB per set of signal handlers, 16 bytes per
 * pending signal, 80 per POSIX timer and 2 per semaphore (and SEM_UNDO
 * adjustment), 300 per POSIX message queue, whatever the
 * number of pages or messages: those are counted into their area or
 * queue, never kept.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "info.h"
#include "lib/internal.h"

void info_model_init(struct info_model *m)
{
	memset(m, 0, sizeof(*m));
	m->cur_mm = -1;
	m->last_file = -1;
	m->last_task = -1;
	m->cur_fs = -1;
	m->cur_memfd = -1;
	m->cur_shm = -1;
	m->cur_signal = -1;
}

void info_model_free(struct info_model *m)
{
	for (size_t i = 0; i < m->nr_mms; i++)
		free(m->mms[i].vmas);
	for (size_t i = 0; i < m->nr_files; i++)
		free(m->files[i].path);
	for (size_t i = 0; i < m->nr_tasks; i++) {
		free(m->tasks[i].groups);
		free(m->tasks[i].pending);
	}
	for (size_t i = 0; i < m->nr_fd_tables; i++)
		free(m->fd_tables[i].fds);
	for (size_t i = 0; i < m->nr_fss; i++) {
		free(m->fss[i].root);
		free(m->fss[i].cwd);
	}
	for (size_t i = 0; i < m->nr_signals; i++)
		free(m->signals[i].timers);
	for (size_t i = 0; i < m->nr_sems; i++)
		free(m->sems[i].vals);
	for (size_t i = 0; i < m->nr_undos; i++)
		free(m->undos[i].adj);
	free(m->tasks);
	free(m->mms);
	free(m->files);
	free(m->pipes);
	free(m->fd_tables);
	free(m->fss);
	free(m->sighands);
	free(m->signals);
	free(m->shms);
	free(m->sems);
	free(m->msgqs);
	free(m->undos);
	free(m->mqueues);
	free(m->bulk_fds);
	free(m->objs);
	info_model_init(m);
}

/* Note objref @objref as the @index-th object of @kind, if it is the next. */
static int add_obj(struct info_model *m, uint32_t objref, uint8_t kind,
		   size_t index)
{
	if (objref != m->nr_objs + 1)
		return 0;	/* the reader refuses this; skip it */
	if (ckpt_grow_array((void **)&m->objs, &m->cap_objs, m->nr_objs + 1,
		 sizeof(*m->objs)))
		return -1;
	m->objs[m->nr_objs].kind = kind;
	m->objs[m->nr_objs].index = index;
	m->nr_objs++;
	return 0;
}

static const struct info_obj *find_obj(const struct info_model *m,
				       uint32_t objref, uint8_t kind)
{
	if (objref == 0 || objref > m->nr_objs ||
	    m->objs[objref - 1].kind != kind)
		return NULL;
	return &m->objs[objref - 1];
}

const struct info_file *info_model_file(const struct info_model *m,
					uint32_t objref)
{
	const struct info_obj *o = find_obj(m, objref, INFO_OBJ_FILE);

	return o ? &m->files[o->index] : NULL;
}

const struct info_mm *info_model_mm(const struct info_model *m,
				    uint32_t objref)
{
	const struct info_obj *o = find_obj(m, objref, INFO_OBJ_MM);

	return o ? &m->mms[o->index] : NULL;
}

const struct info_pipe *info_model_pipe(const struct info_model *m,
					uint32_t objref)
{
	const struct info_obj *o = find_obj(m, objref, INFO_OBJ_PIPE);

	return o ? &m->pipes[o->index] : NULL;
}

const struct info_fd_table *info_model_fd_table(const struct info_model *m,
						uint32_t objref)
{
	const struct info_obj *o = find_obj(m, objref, INFO_OBJ_FD_TABLE);

	return o ? &m->fd_tables[o->index] : NULL;
}

const struct info_fs *info_model_fs(const struct info_model *m,
				    uint32_t objref)
{
	const struct info_obj *o = find_obj(m, objref, INFO_OBJ_FS);

	return o ? &m->fss[o->index] : NULL;
}

const struct info_sighand *info_model_sighand(const struct info_model *m,
					      uint32_t objref)
{
	const struct info_obj *o = find_obj(m, objref, INFO_OBJ_SIGHAND);

	return o ? &m->sighands[o->index] : NULL;
}

const struct info_signal *info_model_signal(const struct info_model *m,
					    uint32_t objref)
{
	const struct info_obj *o = find_obj(m, objref, INFO_OBJ_SIGNAL);

	return o ? &m->signals[o->index] : NULL;
}

const struct info_shm *info_model_shm(const struct info_model *m,
				      uint32_t objref)
{
	const struct info_obj *o = find_obj(m, objref, INFO_OBJ_SHM);

	return o ? &m->shms[o->index] : NULL;
}

const struct info_mqueue *info_model_mqueue(const struct info_model *m,
					    uint32_t objref)
{
	const struct info_obj *o = find_obj(m, objref, INFO_OBJ_MQUEUE);

	return o ? &m->mqueues[o->index] : NULL;
}

/*
 * The fixed part of a record, @size bytes, as far as it was kept (the
 * reader checked the length of a record it knows).
 */
static void load(void *dst, size_t size, const struct ckpt_record *rec)
{
	size_t n = rec->data_len < size ? rec->data_len : size;

	memcpy(dst, rec->data, n);
	memset((char *)dst + n, 0, size - n);
}

static int add_file(struct info_model *m, const struct ckpt_record *rec)
{
	struct info_file *f;

	if (ckpt_grow_array((void **)&m->files, &m->cap_files, m->nr_files + 1,
		 sizeof(*m->files)))
		return -1;
	f = &m->files[m->nr_files];
	memset(f, 0, sizeof(*f));
	load(&f->rec, sizeof(f->rec), rec);
	if (add_obj(m, f->rec.objref, INFO_OBJ_FILE, m->nr_files))
		return -1;
	m->nr_files++;
	/* a file open on a POSIX message queue: "/" and the queue's name */
	if (f->rec.type == CKPT_FILE_MQUEUE) {
		const struct info_mqueue *q =
			info_model_mqueue(m, f->rec.pipe_objref);

		if (q && asprintf(&f->path, "/%s", q->rec.name) < 0) {
			f->path = NULL;
			return -1;
		}
	}
	/*
	 * an end of a pipe or a file open on a message queue has no path; a
	 * memfd and shared anonymous memory have a name, and pages
	 */
	m->last_file = f->rec.type == CKPT_FILE_PIPE ||
		       f->rec.type == CKPT_FILE_MQUEUE ? -1 :
		       (long)m->nr_files - 1;
	m->cur_memfd = f->rec.type == CKPT_FILE_MEMFD ||
		       f->rec.type == CKPT_FILE_SHMEM ?
		       (long)m->nr_files - 1 : -1;
	m->cur_shm = -1;
	return 0;
}

/*
 * Count the pages of a memfd (or of a SysV shm segment) into it: its
 * offsets, never its data.
 */
static void add_file_pages(struct info_model *m, const struct ckpt_record *rec)
{
	const struct ckpt_hdr_file_pages *p = rec->data;
	uint32_t nr;

	ckpt_record_file_pages(rec, &nr);
	if (m->cur_shm >= 0 && m->shms[m->cur_shm].rec.objref == p->objref) {
		m->shms[m->cur_shm].pages += nr;
		m->shm_pages += nr;
		return;
	}
	m->memfd_pages += nr;
	if (m->cur_memfd >= 0 &&
	    m->files[m->cur_memfd].rec.objref == p->objref)
		m->files[m->cur_memfd].pages += nr;
}

/* A SysV shm segment: its pages follow, as a memfd's (add_file_pages()). */
static int add_shm(struct info_model *m, const struct ckpt_record *rec)
{
	struct info_shm *shm;

	if (ckpt_grow_array((void **)&m->shms, &m->cap_shms, m->nr_shms + 1,
			    sizeof(*m->shms)))
		return -1;
	shm = &m->shms[m->nr_shms];
	memset(shm, 0, sizeof(*shm));
	load(&shm->rec, sizeof(shm->rec), rec);
	snprintf(shm->name, sizeof(shm->name), "SYSV%08x",
		 (uint32_t)shm->rec.perm.key);
	if (add_obj(m, shm->rec.objref, INFO_OBJ_SHM, m->nr_shms))
		return -1;
	m->cur_shm = (long)m->nr_shms++;
	m->cur_memfd = -1;
	return 0;
}

/* A semaphore set, with its values (the reader keeps the whole record). */
static int add_sem(struct info_model *m, const struct ckpt_record *rec)
{
	struct info_sem *sem;
	uint32_t kept;

	if (ckpt_grow_array((void **)&m->sems, &m->cap_sems, m->nr_sems + 1,
			    sizeof(*m->sems)))
		return -1;
	sem = &m->sems[m->nr_sems];
	load(&sem->rec, sizeof(sem->rec), rec);
	kept = (rec->data_len - sizeof(sem->rec)) / sizeof(*sem->vals);
	if (kept > sem->rec.nsems)
		kept = sem->rec.nsems;
	sem->nr_vals = kept;
	sem->vals = calloc((size_t)kept + 1, sizeof(*sem->vals));
	if (!sem->vals)
		return -1;
	memcpy(sem->vals, (const char *)rec->data + sizeof(sem->rec),
	       (size_t)kept * sizeof(*sem->vals));
	m->nr_sems++;
	return 0;
}

static int count_msg(void *arg, const struct ckpt_msg_walk *w,
		     const struct ckpt_ipc_msg *msg)
{
	struct info_model *m = arg;

	(void)w;
	m->msg_bytes += msg->size;
	return 0;
}

/*
 * Count the messages of a queue (SysV or POSIX): first those of the kept
 * part.
 */
static void count_msgs_begin(struct info_model *m,
			     const struct ckpt_record *rec)
{
	size_t fixed = rec->hdr.type == CKPT_HDR_IPC_MQUEUE ?
		       sizeof(struct ckpt_hdr_ipc_mqueue) :
		       sizeof(struct ckpt_hdr_ipc_msg);
	uint32_t nr = rec->hdr.type == CKPT_HDR_IPC_MQUEUE ?
		      ((const struct ckpt_hdr_ipc_mqueue *)rec->data)->nr_msgs :
		      ((const struct ckpt_hdr_ipc_msg *)rec->data)->nr_msgs;

	m->msg_bytes = 0;
	ckpt_msg_walk_start(&m->msg_walk, rec->hdr.len - fixed, nr);
	ckpt_msg_walk(&m->msg_walk, (const char *)rec->data + fixed,
		      rec->data_len - fixed, count_msg, m);
}

/*
 * A message queue, and the bytes of its messages: counted here if the
 * reader kept it whole, else as it streamed past (info_model_bulk()).
 */
static int add_msgq(struct info_model *m, const struct ckpt_record *rec)
{
	struct info_msgq *q;

	if (ckpt_grow_array((void **)&m->msgqs, &m->cap_msgqs,
			    m->nr_msgqs + 1, sizeof(*m->msgqs)))
		return -1;
	q = &m->msgqs[m->nr_msgqs++];
	load(&q->rec, sizeof(q->rec), rec);
	if (rec->data_len == rec->hdr.len)
		count_msgs_begin(m, rec);
	q->bytes = m->msg_bytes;
	return 0;
}

/* The SEM_UNDO adjustments of a process (the reader keeps the record whole). */
static int add_sem_undo(struct info_model *m, const struct ckpt_record *rec)
{
	struct info_sem_undo *u;
	uint32_t kept;

	if (ckpt_grow_array((void **)&m->undos, &m->cap_undos,
			    m->nr_undos + 1, sizeof(*m->undos)))
		return -1;
	u = &m->undos[m->nr_undos];
	load(&u->rec, sizeof(u->rec), rec);
	kept = (rec->data_len - sizeof(u->rec)) / sizeof(*u->adj);
	if (kept > u->rec.nsems)
		kept = u->rec.nsems;
	u->nr_adj = kept;
	u->adj = calloc((size_t)kept + 1, sizeof(*u->adj));
	if (!u->adj)
		return -1;
	memcpy(u->adj, (const char *)rec->data + sizeof(u->rec),
	       (size_t)kept * sizeof(*u->adj));
	m->nr_undos++;
	return 0;
}

/*
 * A POSIX message queue, and the bytes of its messages, as a SysV
 * queue's (add_msgq()).
 */
static int add_mqueue(struct info_model *m, const struct ckpt_record *rec)
{
	struct info_mqueue *q;

	if (ckpt_grow_array((void **)&m->mqueues, &m->cap_mqueues,
			    m->nr_mqueues + 1, sizeof(*m->mqueues)))
		return -1;
	q = &m->mqueues[m->nr_mqueues];
	load(&q->rec, sizeof(q->rec), rec);
	q->rec.name[sizeof(q->rec.name) - 1] = '\0';
	if (add_obj(m, q->rec.objref, INFO_OBJ_MQUEUE, m->nr_mqueues))
		return -1;
	m->nr_mqueues++;
	if (rec->data_len == rec->hdr.len)
		count_msgs_begin(m, rec);
	q->bytes = m->msg_bytes;
	return 0;
}

static int add_pipe(struct info_model *m, const struct ckpt_record *rec)
{
	struct info_pipe *p;

	if (ckpt_grow_array((void **)&m->pipes, &m->cap_pipes, m->nr_pipes + 1,
		 sizeof(*m->pipes)))
		return -1;
	p = &m->pipes[m->nr_pipes];
	load(&p->rec, sizeof(p->rec), rec);
	if (add_obj(m, p->rec.objref, INFO_OBJ_PIPE, m->nr_pipes))
		return -1;
	m->nr_pipes++;
	return 0;
}

/* The path of the file before it, or the root or cwd of the fs before it. */
static int add_string(struct info_model *m, const struct ckpt_record *rec)
{
	const struct ckpt_hdr_string *s = rec->data;
	const char *bytes = (const char *)(s + 1);
	size_t max = rec->data_len - sizeof(*s);
	char **dst;

	if (s->len < max)
		max = s->len;
	if (m->last_file >= 0) {
		dst = &m->files[m->last_file].path;
		m->last_file = -1;
	} else if (m->cur_fs >= 0) {
		struct info_fs *fs = &m->fss[m->cur_fs];

		dst = m->fs_strings++ ? &fs->cwd : &fs->root;
		if (m->fs_strings == 2)
			m->cur_fs = -1;
		if (*dst)
			return 0;	/* a shared fs: as it was first */
	} else {
		return 0;
	}
	free(*dst);
	*dst = strndup(bytes, max);
	return *dst ? 0 : -1;
}

static int add_mm(struct info_model *m, const struct ckpt_record *rec)
{
	struct info_mm *mm;

	if (ckpt_grow_array((void **)&m->mms, &m->cap_mms, m->nr_mms + 1,
		 sizeof(*m->mms)))
		return -1;
	mm = &m->mms[m->nr_mms];
	memset(mm, 0, sizeof(*mm));
	memcpy(&mm->rec, rec->data, sizeof(mm->rec));
	if (add_obj(m, mm->rec.objref, INFO_OBJ_MM, m->nr_mms))
		return -1;
	m->cur_mm = (long)m->nr_mms++;
	return 0;
}

static int add_vma(struct info_model *m, const struct ckpt_record *rec)
{
	struct ckpt_hdr_vma v;
	struct info_mm *mm;
	struct info_vma *iv;

	if (m->cur_mm < 0)
		return 0;
	mm = &m->mms[m->cur_mm];
	if (ckpt_grow_array((void **)&mm->vmas, &mm->cap_vmas, mm->nr_vmas + 1,
		 sizeof(*mm->vmas)))
		return -1;
	memcpy(&v, rec->data, sizeof(v));
	iv = &mm->vmas[mm->nr_vmas++];
	memset(iv, 0, sizeof(*iv));
	iv->start = v.start;
	iv->end = v.end;
	iv->pgoff = v.pgoff;
	iv->kind = v.kind;
	iv->prot = v.prot;
	iv->flags = v.flags;
	iv->file_objref = v.file_objref;
	return 0;
}

/* The area of @mm that holds @addr: its areas are sorted and disjoint. */
static struct info_vma *find_vma(struct info_mm *mm, uint64_t addr)
{
	size_t lo = 0, hi = mm->nr_vmas;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		struct info_vma *v = &mm->vmas[mid];

		if (addr < v->start)
			hi = mid;
		else if (addr >= v->end)
			lo = mid + 1;
		else
			return v;
	}
	return NULL;
}

/* Count each page into its area: a page record's addresses, never its data. */
static void add_pages(struct info_model *m, const struct ckpt_record *rec)
{
	const uint64_t *addrs;
	struct info_mm *mm;
	struct info_vma *v;
	uint32_t nr;

	addrs = ckpt_record_pages(rec, &nr);
	m->pages += nr;
	if (m->cur_mm < 0)
		return;
	mm = &m->mms[m->cur_mm];
	for (uint32_t i = 0; i < nr; i++) {
		mm->pages++;
		v = find_vma(mm, addrs[i]);
		if (v)
			v->pages++;
	}
}

static int add_task(struct info_model *m, const struct ckpt_record *rec)
{
	struct ckpt_hdr_task t;
	struct info_task *it;

	if (ckpt_grow_array((void **)&m->tasks, &m->cap_tasks, m->nr_tasks + 1,
		 sizeof(*m->tasks)))
		return -1;
	memcpy(&t, rec->data, sizeof(t));
	it = &m->tasks[m->nr_tasks];
	memset(it, 0, sizeof(*it));
	it->pid = t.pid;
	it->tgid = t.tgid;
	it->ppid = t.ppid;
	it->pgid = t.pgid;
	it->sid = t.sid;
	it->stop_signo = t.stop_signo;
	it->exit_signal = t.exit_signal;
	it->personality = t.personality;
	it->mm_objref = t.mm_objref;
	it->flags = t.flags;
	it->exit_code = t.exit_code;
	it->nr_files = t.nr_files;
	memcpy(it->comm, t.comm, sizeof(t.comm));
	it->comm[sizeof(t.comm)] = '\0';
	m->last_task = (long)m->nr_tasks++;
	/* pages after a task belong to no address space */
	m->cur_mm = -1;
	return 0;
}

static void add_regs(struct info_model *m, const struct ckpt_record *rec)
{
	struct ckpt_hdr_cpu_regs r;
	struct info_task *t;

	if (m->last_task < 0)
		return;
	t = &m->tasks[m->last_task];
	memcpy(&r, rec->data, sizeof(r));
	t->have_regs = true;
	t->ip = r.regs.ip;
	t->sp = r.regs.sp;
	t->orig_ax = r.regs.orig_ax;
	t->ax = r.regs.ax;
	t->fs_base = r.regs.fs_base;
}

/* The XSAVE header's XSTATE_BV: the 8 bytes at offset 512 of the area. */
#define XSTATE_BV_OFFSET	512

static void add_xstate(struct info_model *m, const struct ckpt_record *rec)
{
	const struct ckpt_hdr_cpu_xstate *x = rec->data;
	const unsigned char *area = (const unsigned char *)(x + 1);
	struct info_task *t;

	if (m->last_task < 0)
		return;
	t = &m->tasks[m->last_task];
	t->have_xstate = true;
	t->xstate_size = x->size;
	if (x->size >= XSTATE_BV_OFFSET + 8 &&
	    rec->data_len >= sizeof(*x) + XSTATE_BV_OFFSET + 8) {
		memcpy(&t->xstate_bv, area + XSTATE_BV_OFFSET, 8);
		t->have_xstate_bv = true;
	}
}

/* The task whose records come now, or NULL. */
static struct info_task *cur_task(struct info_model *m)
{
	return m->last_task < 0 ? NULL : &m->tasks[m->last_task];
}

static void add_tls(struct info_model *m, const struct ckpt_record *rec)
{
	struct info_task *t = cur_task(m);
	struct ckpt_hdr_cpu_tls h;

	if (!t)
		return;
	load(&h, sizeof(h), rec);
	memcpy(t->tls, h.desc, sizeof(t->tls));
	t->have_tls = true;
}

static void add_restart_block(struct info_model *m,
			      const struct ckpt_record *rec)
{
	struct info_task *t = cur_task(m);

	if (!t)
		return;
	load(&t->restart, sizeof(t->restart), rec);
	t->have_restart = true;
}

static void add_attrs(struct info_model *m, const struct ckpt_record *rec)
{
	struct info_task *t = cur_task(m);

	if (!t)
		return;
	load(&t->attrs, sizeof(t->attrs), rec);
	t->have_attrs = true;
}

static int add_cred(struct info_model *m, const struct ckpt_record *rec)
{
	struct info_task *t = cur_task(m);
	uint32_t kept;

	if (!t)
		return 0;
	load(&t->cred, sizeof(t->cred), rec);
	t->have_cred = true;
	kept = (rec->data_len - sizeof(t->cred)) / sizeof(uint32_t);
	if (kept > t->cred.nr_groups)
		kept = t->cred.nr_groups;
	free(t->groups);
	t->groups = calloc((size_t)kept + 1, sizeof(*t->groups));
	if (!t->groups)
		return -1;
	memcpy(t->groups, (const char *)rec->data + sizeof(t->cred),
	       (size_t)kept * sizeof(*t->groups));
	t->nr_groups_kept = kept;
	return 0;
}

/*
 * Whether @objref is a new object (the next one), to be added, or one
 * already there, which the task only names.
 */
static bool is_new_obj(const struct info_model *m, uint32_t objref)
{
	return objref == m->nr_objs + 1;
}

static int add_fd_table(struct info_model *m, const struct ckpt_record *rec)
{
	const struct ckpt_hdr_fd_table *h = rec->data;
	struct info_task *t = cur_task(m);
	struct info_fd_table *ft;
	size_t kept = (rec->data_len - sizeof(*h)) / sizeof(struct ckpt_fd);

	if (t)
		t->fd_table = h->objref;
	if (!is_new_obj(m, h->objref))
		return 0;
	if (ckpt_grow_array((void **)&m->fd_tables, &m->cap_fd_tables,
			    m->nr_fd_tables + 1, sizeof(*m->fd_tables)))
		return -1;
	ft = &m->fd_tables[m->nr_fd_tables];
	memset(ft, 0, sizeof(*ft));
	ft->objref = h->objref;
	if (kept > h->nr_fds)
		kept = h->nr_fds;
	/* the kept part, then what streamed past (info_model_bulk()) */
	if (ckpt_grow_array((void **)&ft->fds, &ft->cap_fds,
			    kept + m->nr_bulk_fds + 1, sizeof(*ft->fds)))
		return -1;
	memcpy(ft->fds, h + 1, kept * sizeof(*ft->fds));
	if (m->nr_bulk_fds)
		memcpy(ft->fds + kept, m->bulk_fds,
		       m->nr_bulk_fds * sizeof(*ft->fds));
	ft->nr_fds = kept + m->nr_bulk_fds;
	m->nr_bulk_fds = 0;
	if (add_obj(m, h->objref, INFO_OBJ_FD_TABLE, m->nr_fd_tables))
		return -1;
	m->nr_fd_tables++;
	return 0;
}

enum ckpt_status info_model_bulk(void *arg, const struct ckpt_record *rec,
				 const void *buf, size_t len)
{
	struct info_model *m = arg;
	const unsigned char *p = buf;

	if (rec->hdr.type == CKPT_HDR_IPC_MSG ||
	    rec->hdr.type == CKPT_HDR_IPC_MQUEUE) {
		if (!buf)
			count_msgs_begin(m, rec);
		else
			ckpt_msg_walk(&m->msg_walk, buf, len, count_msg, m);
		return CKPT_OK;
	}
	if (rec->hdr.type != CKPT_HDR_FD_TABLE)
		return CKPT_OK;
	if (!buf) {
		m->nr_bulk_fds = 0;
		m->bulk_part_len = 0;
		return CKPT_OK;
	}
	while (len) {
		size_t n = sizeof(m->bulk_part) - m->bulk_part_len;

		if (n > len)
			n = len;
		memcpy(m->bulk_part + m->bulk_part_len, p, n);
		m->bulk_part_len += n;
		p += n;
		len -= n;
		if (m->bulk_part_len < sizeof(m->bulk_part))
			break;
		m->bulk_part_len = 0;
		if (ckpt_grow_array((void **)&m->bulk_fds, &m->cap_bulk_fds,
				    m->nr_bulk_fds + 1, sizeof(*m->bulk_fds)))
			return CKPT_ERR_GENERIC;
		memcpy(&m->bulk_fds[m->nr_bulk_fds++], m->bulk_part,
		       sizeof(m->bulk_part));
	}
	return CKPT_OK;
}

static int add_fs(struct info_model *m, const struct ckpt_record *rec)
{
	struct ckpt_hdr_fs h;
	struct info_task *t = cur_task(m);
	struct info_fs *fs;

	load(&h, sizeof(h), rec);
	if (t)
		t->fs = h.objref;
	if (!is_new_obj(m, h.objref)) {
		/* its strings follow all the same */
		const struct info_fs *old = info_model_fs(m, h.objref);

		m->cur_fs = old ? (long)(old - m->fss) : -1;
		m->fs_strings = 0;
		return 0;
	}
	if (ckpt_grow_array((void **)&m->fss, &m->cap_fss, m->nr_fss + 1,
			    sizeof(*m->fss)))
		return -1;
	fs = &m->fss[m->nr_fss];
	memset(fs, 0, sizeof(*fs));
	fs->objref = h.objref;
	fs->umask = h.umask;
	if (add_obj(m, h.objref, INFO_OBJ_FS, m->nr_fss))
		return -1;
	m->cur_fs = (long)m->nr_fss++;
	m->fs_strings = 0;
	return 0;
}

static int add_sighand(struct info_model *m, const struct ckpt_record *rec)
{
	const struct ckpt_hdr_sighand *h = rec->data;
	struct info_task *t = cur_task(m);
	struct info_sighand *sh;
	uint32_t nr = h->nr < CKPT_NSIG ? h->nr : CKPT_NSIG;

	if (t)
		t->sighand = h->objref;
	if (!is_new_obj(m, h->objref))
		return 0;
	if (ckpt_grow_array((void **)&m->sighands, &m->cap_sighands,
			    m->nr_sighands + 1, sizeof(*m->sighands)))
		return -1;
	sh = &m->sighands[m->nr_sighands];
	memset(sh, 0, sizeof(*sh));
	sh->objref = h->objref;
	if (rec->data_len >= sizeof(*h) + nr * sizeof(struct ckpt_sigaction))
		memcpy(sh->action, h + 1, nr * sizeof(struct ckpt_sigaction));
	if (add_obj(m, h->objref, INFO_OBJ_SIGHAND, m->nr_sighands))
		return -1;
	m->nr_sighands++;
	return 0;
}

static int add_signal(struct info_model *m, const struct ckpt_record *rec)
{
	struct info_task *t = cur_task(m);
	struct info_signal *sig;
	struct ckpt_hdr_signal h;

	load(&h, sizeof(h), rec);
	if (t)
		t->signal = h.objref;
	/* the timers of a shared one were taken with it the first time */
	m->cur_signal = -1;
	if (!is_new_obj(m, h.objref))
		return 0;
	if (ckpt_grow_array((void **)&m->signals, &m->cap_signals,
			    m->nr_signals + 1, sizeof(*m->signals)))
		return -1;
	sig = &m->signals[m->nr_signals];
	memset(sig, 0, sizeof(*sig));
	sig->rec = h;
	if (add_obj(m, h.objref, INFO_OBJ_SIGNAL, m->nr_signals))
		return -1;
	m->cur_signal = (long)m->nr_signals++;
	return 0;
}

static int add_posix_timer(struct info_model *m,
			   const struct ckpt_record *rec)
{
	struct info_signal *sig;

	if (m->cur_signal < 0)
		return 0;
	sig = &m->signals[m->cur_signal];
	if (ckpt_grow_array((void **)&sig->timers, &sig->cap_timers,
			    sig->nr_timers + 1, sizeof(*sig->timers)))
		return -1;
	load(&sig->timers[sig->nr_timers].rec, sizeof(sig->timers->rec), rec);
	sig->timers[sig->nr_timers++].pending = false;
	return 0;
}

/* The timer @id of signal record @sig (its timers come by id), or NULL. */
static struct info_timer *find_timer(struct info_signal *sig, int32_t id)
{
	size_t lo = 0, hi = sig->nr_timers;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (id < sig->timers[mid].rec.id)
			hi = mid;
		else if (id > sig->timers[mid].rec.id)
			lo = mid + 1;
		else
			return &sig->timers[mid];
	}
	return NULL;
}

static void add_task_signal(struct info_model *m,
			    const struct ckpt_record *rec)
{
	struct info_task *t = cur_task(m);

	if (!t)
		return;
	load(&t->task_signal, sizeof(t->task_signal), rec);
	t->have_task_signal = true;
}

static int add_siginfo(struct info_model *m, const struct ckpt_record *rec)
{
	struct info_task *t = cur_task(m);
	struct ckpt_hdr_siginfo h;
	struct info_pending *p;

	if (!t)
		return 0;
	load(&h, sizeof(h), rec);
	if (ckpt_grow_array((void **)&t->pending, &t->cap_pending,
			    t->nr_pending + 1, sizeof(*t->pending)))
		return -1;
	p = &t->pending[t->nr_pending++];
	p->signo = h.signo;
	p->flags = h.flags;
	/* siginfo_t: si_signo, si_errno, si_code, and a timer's si_timerid
	 * where the union begins, at offset 16 */
	memcpy(&p->code, h.info + 2 * sizeof(int32_t), sizeof(p->code));
	memcpy(&p->timerid, h.info + 4 * sizeof(int32_t), sizeof(p->timerid));
	/* a timer's own signal: mark it on the timer, of the task's process */
	if (p->flags & CKPT_SIGINFO_TIMER) {
		const struct info_obj *o = find_obj(m, t->signal,
						    INFO_OBJ_SIGNAL);
		struct info_timer *timer = NULL;

		if (o)
			timer = find_timer(&m->signals[o->index], p->timerid);
		if (timer)
			timer->pending = true;
	}
	return 0;
}

/* The record types counted apart, in the order they are listed. */
static const uint32_t slot_types[INFO_NR_TYPES] = {
	CKPT_HDR_HEADER, CKPT_HDR_NAMESPACES, CKPT_HDR_IPC_SHM,
	CKPT_HDR_IPC_SEM, CKPT_HDR_IPC_SEM_UNDO, CKPT_HDR_IPC_MSG,
	CKPT_HDR_IPC_MQUEUE, CKPT_HDR_FILE, CKPT_HDR_PIPE,
	CKPT_HDR_STRING, CKPT_HDR_FILE_PAGES, CKPT_HDR_EPOLL, CKPT_HDR_MM,
	CKPT_HDR_VMA, CKPT_HDR_PAGES,
	CKPT_HDR_TASK, CKPT_HDR_CPU_REGS, CKPT_HDR_CPU_XSTATE,
	CKPT_HDR_CPU_TLS, CKPT_HDR_RESTART_BLOCK, CKPT_HDR_TASK_ATTRS,
	CKPT_HDR_CRED, CKPT_HDR_FD_TABLE, CKPT_HDR_FS, CKPT_HDR_SIGHAND,
	CKPT_HDR_SIGNAL, CKPT_HDR_POSIX_TIMER, CKPT_HDR_TASK_SIGNAL,
	CKPT_HDR_SIGINFO, CKPT_HDR_TAIL,
	0,	/* the types this tool does not know */
};

static int type_slot(uint32_t type)
{
	for (int i = 0; i < INFO_NR_TYPES - 1; i++)
		if (slot_types[i] == type)
			return i;
	return INFO_NR_TYPES - 1;
}

uint32_t info_model_slot_type(int slot)
{
	return slot_types[slot];
}

int info_model_add(struct info_model *m, const struct ckpt_record *rec)
{
	int ret = 0;

	m->counts[type_slot(rec->hdr.type)]++;
	switch (rec->hdr.type) {
	case CKPT_HDR_HEADER:
		m->page_size = ((const struct ckpt_hdr_header *)rec->data)->page_size;
		break;
	case CKPT_HDR_FILE:
		ret = add_file(m, rec);
		break;
	case CKPT_HDR_STRING:
		ret = add_string(m, rec);
		break;
	case CKPT_HDR_MM:
		ret = add_mm(m, rec);
		break;
	case CKPT_HDR_VMA:
		ret = add_vma(m, rec);
		break;
	case CKPT_HDR_PAGES:
		add_pages(m, rec);
		break;
	case CKPT_HDR_TASK:
		ret = add_task(m, rec);
		break;
	case CKPT_HDR_CPU_REGS:
		add_regs(m, rec);
		break;
	case CKPT_HDR_CPU_XSTATE:
		add_xstate(m, rec);
		break;
	case CKPT_HDR_CPU_TLS:
		add_tls(m, rec);
		break;
	case CKPT_HDR_PIPE:
		ret = add_pipe(m, rec);
		break;
	case CKPT_HDR_FILE_PAGES:
		add_file_pages(m, rec);
		break;
	case CKPT_HDR_IPC_SHM:
		ret = add_shm(m, rec);
		break;
	case CKPT_HDR_IPC_SEM:
		ret = add_sem(m, rec);
		break;
	case CKPT_HDR_IPC_MSG:
		ret = add_msgq(m, rec);
		break;
	case CKPT_HDR_IPC_SEM_UNDO:
		ret = add_sem_undo(m, rec);
		break;
	case CKPT_HDR_IPC_MQUEUE:
		ret = add_mqueue(m, rec);
		break;
	case CKPT_HDR_RESTART_BLOCK:
		add_restart_block(m, rec);
		break;
	case CKPT_HDR_TASK_ATTRS:
		add_attrs(m, rec);
		break;
	case CKPT_HDR_CRED:
		ret = add_cred(m, rec);
		break;
	case CKPT_HDR_FD_TABLE:
		ret = add_fd_table(m, rec);
		break;
	case CKPT_HDR_FS:
		ret = add_fs(m, rec);
		break;
	case CKPT_HDR_SIGHAND:
		ret = add_sighand(m, rec);
		break;
	case CKPT_HDR_SIGNAL:
		ret = add_signal(m, rec);
		break;
	case CKPT_HDR_POSIX_TIMER:
		ret = add_posix_timer(m, rec);
		break;
	case CKPT_HDR_TASK_SIGNAL:
		add_task_signal(m, rec);
		break;
	case CKPT_HDR_SIGINFO:
		ret = add_siginfo(m, rec);
		break;
	case CKPT_HDR_NAMESPACES:
		load(&m->namespaces, sizeof(m->namespaces), rec);
		m->have_namespaces = true;
		break;
	case CKPT_HDR_EPOLL: {
		const struct ckpt_hdr_epoll *e = rec->data;
		const struct info_obj *o = find_obj(m, e->file_objref,
						    INFO_OBJ_FILE);

		if (o)
			m->files[o->index].epoll_items = e->nr_items;
		break;
	}
	}
	if (ret)
		errno = ENOMEM;
	return ret;
}

/* ---- The process tree ---- */

/* A thread group: the tasks of one tgid, in the image's order. */
struct group {
	int32_t tgid;
	size_t first;		/* in the sorted index: its first task */
	size_t nr;		/* its tasks */
	size_t leader;		/* task index: pid == tgid, else its first */
	size_t order;		/* its first task's place in the image */
	size_t parent;		/* group index, or SIZE_MAX for a root */
	size_t child, last_child, sibling;	/* group indexes, SIZE_MAX */
	bool seen;
};

static int by_tgid(const void *a, const void *b, void *arg)
{
	const struct info_task *tasks = arg;
	size_t i = *(const size_t *)a, j = *(const size_t *)b;

	if (tasks[i].tgid != tasks[j].tgid)
		return tasks[i].tgid < tasks[j].tgid ? -1 : 1;
	return i < j ? -1 : i > j;
}

static int group_by_order(const void *a, const void *b, void *arg)
{
	const struct group *g = arg;
	size_t i = *(const size_t *)a, j = *(const size_t *)b;

	return g[i].order < g[j].order ? -1 : g[i].order > g[j].order;
}

/* The group of @tgid among @groups, sorted by tgid, or SIZE_MAX. */
static size_t find_group(const struct group *groups, size_t nr, int32_t tgid)
{
	size_t lo = 0, hi = nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (tgid < groups[mid].tgid)
			hi = mid;
		else if (tgid > groups[mid].tgid)
			lo = mid + 1;
		else
			return mid;
	}
	return SIZE_MAX;
}

/*
 * Lay out one group and its descendants, depth first, without recursion:
 * an image can hold a chain of processes as long as it likes.
 */
static void walk(struct group *groups, const size_t *idx, size_t root,
		 size_t *stack, struct info_tree_entry *out, size_t *nr_out)
{
	size_t depth = 0;

	stack[0] = root;
	groups[root].seen = true;
	for (;;) {
		struct group *g = &groups[stack[depth]];
		size_t next;

		if (g->nr) {	/* not laid out yet: the leader, then threads */
			out[(*nr_out)++] = (struct info_tree_entry){
				g->leader, depth, false };
			for (size_t k = 0; k < g->nr; k++) {
				size_t t = idx[g->first + k];

				if (t != g->leader)
					out[(*nr_out)++] = (struct info_tree_entry){
						t, depth + 1, true };
			}
			g->nr = 0;
		}
		/* the next child not laid out yet, else back up */
		while ((next = g->child) != SIZE_MAX && groups[next].seen)
			g->child = groups[next].sibling;
		if (next != SIZE_MAX) {
			g->child = groups[next].sibling;
			groups[next].seen = true;
			stack[++depth] = next;
			continue;
		}
		if (depth == 0)
			break;
		depth--;
	}
}

struct info_tree_entry *info_model_tree(const struct info_model *m,
					size_t *nr)
{
	const struct info_task *tasks = m->tasks;
	size_t n = m->nr_tasks, nr_groups = 0, nr_out = 0;
	struct info_tree_entry *out = NULL;
	struct group *groups = NULL;
	size_t *idx = NULL, *order = NULL, *stack = NULL;

	*nr = 0;
	if (!n)
		return calloc(1, sizeof(*out));
	out = calloc(n, sizeof(*out));
	idx = calloc(n, sizeof(*idx));
	order = calloc(n, sizeof(*order));
	stack = calloc(n, sizeof(*stack));
	groups = calloc(n, sizeof(*groups));
	if (!out || !idx || !order || !stack || !groups)
		goto fail;

	for (size_t i = 0; i < n; i++)
		idx[i] = i;
	qsort_r(idx, n, sizeof(*idx), by_tgid, (void *)tasks);
	for (size_t i = 0; i < n; i++) {
		const struct info_task *t = &tasks[idx[i]];
		struct group *g;

		if (!i || t->tgid != groups[nr_groups - 1].tgid) {
			g = &groups[nr_groups++];
			*g = (struct group){
				.tgid = t->tgid, .first = i, .leader = idx[i],
				.order = idx[i], .parent = SIZE_MAX,
				.child = SIZE_MAX, .last_child = SIZE_MAX,
				.sibling = SIZE_MAX,
			};
		}
		g = &groups[nr_groups - 1];
		g->nr++;
		if (t->pid == t->tgid && tasks[g->leader].pid != g->tgid)
			g->leader = idx[i];
	}

	/* children in the order of the image */
	for (size_t i = 0; i < nr_groups; i++)
		order[i] = i;
	qsort_r(order, nr_groups, sizeof(*order), group_by_order, groups);
	for (size_t k = 0; k < nr_groups; k++) {
		struct group *g = &groups[order[k]];
		size_t p = find_group(groups, nr_groups,
				      tasks[g->leader].ppid);

		if (p == SIZE_MAX || p == order[k])
			continue;
		g->parent = p;
		if (groups[p].last_child == SIZE_MAX)
			groups[p].child = order[k];
		else
			groups[groups[p].last_child].sibling = order[k];
		groups[p].last_child = order[k];
	}

	/* the roots, then whatever a loop of parents left out */
	for (size_t k = 0; k < nr_groups; k++)
		if (groups[order[k]].parent == SIZE_MAX)
			walk(groups, idx, order[k], stack, out, &nr_out);
	for (size_t k = 0; k < nr_groups; k++)
		if (!groups[order[k]].seen)
			walk(groups, idx, order[k], stack, out, &nr_out);

	free(idx);
	free(order);
	free(stack);
	free(groups);
	*nr = nr_out;
	return out;
fail:
	free(out);
	free(idx);
	free(order);
	free(stack);
	free(groups);
	errno = ENOMEM;
	return NULL;
}

void info_model_tree_counts(const struct info_model *m,
			    struct info_tree_counts *n)
{
	memset(n, 0, sizeof(*n));
	n->tasks = m->nr_tasks;
	for (size_t i = 0; i < m->nr_tasks; i++) {
		const struct info_task *t = &m->tasks[i];

		if (t->pid == t->tgid) {
			n->processes++;
			if (t->flags & CKPT_TASK_STOPPED)
				n->stopped++;
		}
		if (t->flags & CKPT_TASK_ZOMBIE)
			n->zombies++;
	}
	n->threads = n->tasks - n->processes;
}

const char *info_stop_state(const struct info_task *t, char *buf,
			    size_t size)
{
	const char *name = ckpt_signal_name(t->stop_signo);

	if (!(t->flags & CKPT_TASK_STOPPED))
		return NULL;
	if (name)
		snprintf(buf, size, "stopped (%s)%s", name,
			 t->flags & CKPT_TASK_STOP_UNREPORTED ?
			 ", unreported" : "");
	else
		snprintf(buf, size, "stopped (signal %u)%s", t->stop_signo,
			 t->flags & CKPT_TASK_STOP_UNREPORTED ?
			 ", unreported" : "");
	return buf;
}
