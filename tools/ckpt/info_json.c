// SPDX-License-Identifier: GPL-2.0
/*
 * `ckpt info --json`: the image as one JSON object on one line, for
 * scripts, with what the text output says:
 *
 *   {"image": NAME, "compression": "lz4" | "none" | null,
 *    "header": {...} | null,
 *    "records": [{offset, type, name, len, KEY: {...}}, ...] (--records),
 *    "namespaces": {"flags", "uts", "ipc", "hostname", "domainname"} |
 *                  null (before version 4),
 *    "tree": {"tasks", "processes", "threads", "zombies", "stopped"},
 *    "tasks": [{pid, tgid, ppid, pgid, sid, ..., "stopped", ..., "tls",
 *               "attrs", "restart_block", "cred", "fs",
 *               "fd_table", "sighand", "signal" (with its "posix_timers"),
 *               "blocked", "altstack", "pending"}, ...],
 *    "mms": [{..., "vmas": [...]}, ...], "files": [...], "pipes": [...],
 *    "ipc": {"shm": [...], "sem": [...], "msg": [...], "mqueue": [...],
 *           "sem_undo": [...]} (the IPC objects, format version 4: the
 *           SysV ones, POSIX message queues, the SEM_UNDO adjustments of
 *           processes; each list empty without them),
 *    "record_counts": {NAME: N, ...}, "pages": N, "page_bytes": N,
 *    "memfd_pages": N, "memfd_page_bytes": N,
 *    "tail": {...} | null, "trailing_bytes": N (if ok),
 *    "ok": true | false, "status": N and "error": "..." (if not ok)}
 *
 * The records are printed as the image is read, and what it holds once it
 * is read or where reading stopped, so a broken image still gives what
 * came before the damage, and a huge one takes no memory for its pages.
 */
#include <stdio.h>
#include <string.h>

#include "info.h"

static void json_begin(struct info *in)
{
	json_init(&in->json, stdout);
	json_begin_object(&in->json, NULL);
	json_string(&in->json, "image", in->name);
}

static void json_compression(struct info *in)
{
	const char *c;

	if (!in->r) {
		json_null(&in->json, "compression");
		return;
	}
	c = ckpt_reader_compression(in->r);
	json_string(&in->json, "compression", c ? c : "none");
}

static void json_header(struct info *in, const struct ckpt_hdr_header *hdr)
{
	struct json *j = &in->json;
	const char *arch = ckpt_arch_name(hdr->arch);
	char time[64];

	json_compression(in);
	json_begin_object(j, "header");
	json_uint(j, "version", hdr->version);
	if (arch)
		json_string(j, "arch", arch);
	else
		json_null(j, "arch");
	json_uint(j, "arch_id", hdr->arch);
	json_uint(j, "page_size", hdr->page_size);
	json_string_max(j, "release", hdr->release, sizeof(hdr->release));
	json_uint(j, "xfeatures", hdr->xfeatures);
	json_uint(j, "flags", hdr->flags);
	json_uint(j, "time", hdr->time);
	if (info_time_utc(hdr->time, time, sizeof(time)))
		json_string(j, "time_utc", time);
	else
		json_null(j, "time_utc");
	json_end_object(j);
	if (in->list_records) {
		json_begin_array(j, "records");
		in->in_records = true;
	}
}

static void json_record(struct info *in, const struct ckpt_record *rec)
{
	const struct info_section *s = info_section(rec->hdr.type);
	struct json *j = &in->json;

	if (!in->list_records)
		return;
	json_begin_object(j, NULL);
	json_uint(j, "offset", rec->offset);
	json_uint(j, "type", rec->hdr.type);
	json_string(j, "name", ckpt_record_type_name(rec->hdr.type));
	json_uint(j, "len", rec->hdr.len);
	if (s) {
		json_begin_object(j, s->key);
		s->json(j, rec);
		json_end_object(j);
	}
	json_end_object(j);
}

static void end_records(struct info *in)
{
	if (in->in_records)
		json_end_array(&in->json);
	in->in_records = false;
}

/* The state that follows a task's CPU state (format version 2 on). */
static void json_task_state(struct json *j, const struct info_model *m,
			    const struct info_task *t)
{
	const struct info_fd_table *ft = info_model_fd_table(m, t->fd_table);
	const struct info_fs *fs = info_model_fs(m, t->fs);
	const struct info_sighand *sh = info_model_sighand(m, t->sighand);
	const struct info_signal *sg = info_model_signal(m, t->signal);
	const struct ckpt_hdr_task_signal *ts = &t->task_signal;

	json_uint(j, "nr_files", t->nr_files);
	if (t->have_attrs) {
		json_begin_object(j, "attrs");
		json_attrs_fields(j, &t->attrs);
		json_end_object(j);
	} else {
		json_null(j, "attrs");
	}
	if (t->have_restart) {
		json_begin_object(j, "restart_block");
		json_restart_block_fields(j, &t->restart);
		json_end_object(j);
	} else {
		json_null(j, "restart_block");
	}
	if (t->have_cred) {
		json_begin_object(j, "cred");
		json_cred_fields(j, &t->cred, t->groups, t->nr_groups_kept);
		json_end_object(j);
	} else {
		json_null(j, "cred");
	}
	if (fs) {
		json_begin_object(j, "fs");
		json_uint(j, "objref", fs->objref);
		json_uint(j, "umask", fs->umask);
		if (fs->root)
			json_string(j, "root", fs->root);
		else
			json_null(j, "root");
		if (fs->cwd)
			json_string(j, "cwd", fs->cwd);
		else
			json_null(j, "cwd");
		json_end_object(j);
	} else {
		json_null(j, "fs");
	}
	if (ft) {
		json_begin_object(j, "fd_table");
		json_uint(j, "objref", ft->objref);
		json_begin_array(j, "fds");
		for (size_t i = 0; i < ft->nr_fds; i++) {
			const struct ckpt_fd *fd = &ft->fds[i];
			const struct info_file *f =
				info_model_file(m, fd->file_objref);
			const char *type = f ? ckpt_file_type_name(f->rec.type) :
					   NULL;

			json_begin_object(j, NULL);
			json_uint(j, "fd", fd->fd);
			json_bool(j, "cloexec", fd->flags & CKPT_FD_CLOEXEC);
			json_uint(j, "file", fd->file_objref);
			if (type)
				json_string(j, "type", type);
			else
				json_null(j, "type");
			if (f && f->rec.type != CKPT_FILE_PIPE && f->path)
				json_string(j, "path", f->path);
			else
				json_null(j, "path");
			if (f && (f->rec.type == CKPT_FILE_PIPE ||
				  f->rec.type == CKPT_FILE_FIFO))
				json_uint(j, "pipe", f->rec.pipe_objref);
			else
				json_null(j, "pipe");
			json_uint(j, "flags", f ? f->rec.f_flags : 0);
			json_uint(j, "pos", f ? f->rec.pos : 0);
			json_end_object(j);
		}
		json_end_array(j);
		json_end_object(j);
	} else {
		json_null(j, "fd_table");
	}
	if (sh) {
		json_begin_object(j, "sighand");
		json_uint(j, "objref", sh->objref);
		/* the handlers that are not the default */
		json_begin_array(j, "actions");
		for (uint32_t i = 0; i < CKPT_NSIG; i++)
			if (!info_default_action(&sh->action[i]))
				json_sigaction(j, i + 1, &sh->action[i]);
		json_end_array(j);
		json_end_object(j);
	} else {
		json_null(j, "sighand");
	}
	if (sg) {
		json_begin_object(j, "signal");
		json_signal_fields(j, &sg->rec);
		json_begin_array(j, "posix_timers");
		for (size_t i = 0; i < sg->nr_timers; i++) {
			json_begin_object(j, NULL);
			json_posix_timer_fields(j, &sg->timers[i].rec);
			json_bool(j, "pending", sg->timers[i].pending);
			json_end_object(j);
		}
		json_end_array(j);
		json_end_object(j);
	} else {
		json_null(j, "signal");
	}
	if (!t->have_task_signal) {
		json_null(j, "blocked");
		json_null(j, "altstack");
		json_null(j, "pending");
		return;
	}
	json_uint(j, "blocked", ts->blocked);
	if (ts->altstack_sp || ts->altstack_size) {
		json_begin_object(j, "altstack");
		json_uint(j, "sp", ts->altstack_sp);
		json_uint(j, "size", ts->altstack_size);
		json_uint(j, "flags", ts->altstack_flags);
		json_end_object(j);
	} else {
		json_null(j, "altstack");
	}
	json_begin_array(j, "pending");
	for (size_t i = 0; i < t->nr_pending; i++) {
		const struct info_pending *p = &t->pending[i];
		const char *name = ckpt_signal_name(p->signo);

		json_begin_object(j, NULL);
		json_uint(j, "signo", p->signo);
		if (name)
			json_string(j, "name", name);
		else
			json_null(j, "name");
		json_bool(j, "shared", p->flags & CKPT_SIGINFO_SHARED);
		json_int(j, "code", p->code);
		/* a POSIX timer's own signal: which timer's */
		if (p->flags & CKPT_SIGINFO_TIMER)
			json_int(j, "timer", p->timerid);
		else
			json_null(j, "timer");
		json_end_object(j);
	}
	json_end_array(j);
}

static void json_task(struct json *j, const struct info_model *m,
		      const struct info_task *t)
{
	json_begin_object(j, NULL);
	json_int(j, "pid", t->pid);
	json_int(j, "tgid", t->tgid);
	json_int(j, "ppid", t->ppid);
	json_int(j, "pgid", t->pgid);
	json_int(j, "sid", t->sid);
	json_string_max(j, "comm", t->comm, sizeof(t->comm));
	json_bool(j, "thread", t->pid != t->tgid);
	json_bool(j, "zombie", t->flags & CKPT_TASK_ZOMBIE);
	/* the stop of its process by a job control signal, or null */
	if (t->flags & CKPT_TASK_STOPPED) {
		const char *name = ckpt_signal_name(t->stop_signo);

		json_begin_object(j, "stopped");
		json_uint(j, "signal", t->stop_signo);
		if (name)
			json_string(j, "name", name);
		else
			json_null(j, "name");
		json_bool(j, "unreported",
			  t->flags & CKPT_TASK_STOP_UNREPORTED);
		json_end_object(j);
	} else {
		json_null(j, "stopped");
	}
	json_int(j, "exit_code", t->exit_code);
	json_int(j, "exit_signal", t->exit_signal);
	json_uint(j, "personality", t->personality);
	if (t->mm_objref)
		json_uint(j, "mm", t->mm_objref);
	else
		json_null(j, "mm");
	if (t->have_regs) {
		json_begin_object(j, "regs");
		json_uint(j, "ip", t->ip);
		json_uint(j, "sp", t->sp);
		json_uint(j, "orig_ax", t->orig_ax);
		json_uint(j, "ax", t->ax);
		json_uint(j, "fs_base", t->fs_base);
		json_end_object(j);
	} else {
		json_null(j, "regs");
	}
	if (t->have_xstate) {
		json_begin_object(j, "xstate");
		json_uint(j, "size", t->xstate_size);
		if (t->have_xstate_bv)
			json_uint(j, "xstate_bv", t->xstate_bv);
		else
			json_null(j, "xstate_bv");
		json_end_object(j);
	} else {
		json_null(j, "xstate");
	}
	/* the TLS descriptors that hold a segment: [] if none */
	if (t->have_tls) {
		json_begin_array(j, "tls");
		for (uint32_t i = 0; i < CKPT_TLS_ENTRIES; i++)
			if (!info_tls_unused(&t->tls[i]))
				json_tls_desc(j, &t->tls[i]);
		json_end_array(j);
	} else {
		json_null(j, "tls");
	}
	json_task_state(j, m, t);
	json_end_object(j);
}

static void json_vma(struct json *j, const struct info_model *m,
		     const struct info_mm *mm, const struct info_vma *v)
{
	const char *kind = ckpt_vma_kind_name(v->kind);
	const char *name = info_vma_name(m, mm, v);
	char perms[5];

	info_vma_perms(v, perms);
	json_begin_object(j, NULL);
	json_uint(j, "start", v->start);
	json_uint(j, "end", v->end);
	json_string(j, "perms", perms);
	json_uint(j, "offset", v->pgoff * m->page_size);
	if (kind)
		json_string(j, "kind", kind);
	else
		json_null(j, "kind");
	json_begin_array(j, "flags");
	for (uint32_t bit = 1; bit; bit <<= 1) {
		const char *flag = ckpt_vma_flag_name(bit);

		if ((v->flags & bit) && flag)
			json_string(j, NULL, flag);
	}
	json_end_array(j);
	if (v->file_objref)
		json_uint(j, "file", v->file_objref);
	else
		json_null(j, "file");
	/* the file's path; and what /proc/PID/maps shows, [heap] too */
	if (v->kind == CKPT_VMA_FILE && name)
		json_string(j, "path", name);
	else
		json_null(j, "path");
	if (name)
		json_string(j, "name", name);
	else
		json_null(j, "name");
	json_uint(j, "pages", v->pages);
	json_uint(j, "page_bytes", v->pages * m->page_size);
	json_end_object(j);
}

static void json_mm(struct json *j, const struct info_model *m,
		    const struct info_mm *mm)
{
	const struct ckpt_hdr_mm *r = &mm->rec;
	const struct info_file *exe = info_model_file(m, r->exe_objref);

	json_begin_object(j, NULL);
	json_uint(j, "objref", r->objref);
	json_uint(j, "start_code", r->start_code);
	json_uint(j, "end_code", r->end_code);
	json_uint(j, "start_data", r->start_data);
	json_uint(j, "end_data", r->end_data);
	json_uint(j, "start_brk", r->start_brk);
	json_uint(j, "brk", r->brk);
	json_uint(j, "start_stack", r->start_stack);
	json_uint(j, "arg_start", r->arg_start);
	json_uint(j, "arg_end", r->arg_end);
	json_uint(j, "env_start", r->env_start);
	json_uint(j, "env_end", r->env_end);
	json_uint(j, "vdso", r->vdso);
	if (r->exe_objref)
		json_uint(j, "exe_file", r->exe_objref);
	else
		json_null(j, "exe_file");
	if (exe && exe->path)
		json_string(j, "exe", exe->path);
	else
		json_null(j, "exe");
	json_begin_array(j, "auxv");
	for (uint32_t i = 0; i < r->nr_auxv && i < CKPT_AUXV_WORDS; i++)
		json_uint(j, NULL, r->auxv[i]);
	json_end_array(j);
	json_uint(j, "pages", mm->pages);
	json_uint(j, "page_bytes", mm->pages * m->page_size);
	json_begin_array(j, "vmas");
	for (size_t i = 0; i < mm->nr_vmas; i++)
		json_vma(j, m, mm, &mm->vmas[i]);
	json_end_array(j);
	json_end_object(j);
}

static void json_file(struct json *j, const struct info_model *m,
		      const struct info_file *f)
{
	const char *type = ckpt_file_type_name(f->rec.type);
	bool memfd = f->rec.type == CKPT_FILE_MEMFD ||
		     f->rec.type == CKPT_FILE_SHMEM;

	json_begin_object(j, NULL);
	json_uint(j, "objref", f->rec.objref);
	if (type)
		json_string(j, "type", type);
	else
		json_null(j, "type");
	json_uint(j, "flags", f->rec.f_flags);
	json_uint(j, "pos", f->rec.pos);
	json_uint(j, "size", f->rec.size);
	json_uint(j, "rdev", f->rec.rdev);
	if (f->path)
		json_string(j, "path", f->path);
	else
		json_null(j, "path");
	if (f->rec.type == CKPT_FILE_PIPE || f->rec.type == CKPT_FILE_FIFO)
		json_uint(j, "pipe", f->rec.pipe_objref);
	else
		json_null(j, "pipe");
	/* a memfd's seals and the pages the image holds of it */
	json_uint(j, "seals", f->rec.seals);
	json_begin_array(j, "seal_names");
	for (uint32_t bit = 1; bit; bit <<= 1) {
		const char *name = info_seal_name(bit);

		if ((f->rec.seals & bit) && name)
			json_string(j, NULL, name);
	}
	json_end_array(j);
	if (memfd) {
		json_uint(j, "pages", f->pages);
		json_uint(j, "page_bytes", f->pages * m->page_size);
	} else {
		json_null(j, "pages");
		json_null(j, "page_bytes");
	}
	/* an epoll file: how many items it watches (see its record) */
	if (f->rec.type == CKPT_FILE_EPOLL)
		json_uint(j, "epoll_items", f->epoll_items);
	else
		json_null(j, "epoll_items");
	/* an external file: the fd of restart's caller it takes */
	if (f->rec.type == CKPT_FILE_EXTERNAL)
		json_uint(j, "external_fd", f->rec.fd);
	else
		json_null(j, "external_fd");
	json_end_object(j);
}

/* The IPC objects (format version 4), each kind in a list. */
static void json_ipc(struct json *j, const struct info_model *m)
{
	json_begin_object(j, "ipc");
	json_begin_array(j, "shm");
	for (size_t i = 0; i < m->nr_shms; i++) {
		const struct info_shm *shm = &m->shms[i];

		json_begin_object(j, NULL);
		json_ipc_shm_fields(j, &shm->rec);
		json_string(j, "name", shm->name);
		json_uint(j, "pages", shm->pages);
		json_uint(j, "page_bytes", shm->pages * m->page_size);
		json_end_object(j);
	}
	json_end_array(j);
	json_begin_array(j, "sem");
	for (size_t i = 0; i < m->nr_sems; i++) {
		json_begin_object(j, NULL);
		json_ipc_sem_fields(j, &m->sems[i].rec, m->sems[i].vals,
				    m->sems[i].nr_vals);
		json_end_object(j);
	}
	json_end_array(j);
	json_begin_array(j, "msg");
	for (size_t i = 0; i < m->nr_msgqs; i++) {
		json_begin_object(j, NULL);
		json_ipc_msg_fields(j, &m->msgqs[i].rec);
		json_uint(j, "bytes", m->msgqs[i].bytes);
		json_end_object(j);
	}
	json_end_array(j);
	json_begin_array(j, "mqueue");
	for (size_t i = 0; i < m->nr_mqueues; i++) {
		json_begin_object(j, NULL);
		json_ipc_mqueue_fields(j, &m->mqueues[i].rec);
		json_uint(j, "bytes", m->mqueues[i].bytes);
		json_end_object(j);
	}
	json_end_array(j);
	json_begin_array(j, "sem_undo");
	for (size_t i = 0; i < m->nr_undos; i++) {
		json_begin_object(j, NULL);
		json_ipc_sem_undo_fields(j, &m->undos[i].rec, m->undos[i].adj,
					 m->undos[i].nr_adj);
		json_end_object(j);
	}
	json_end_array(j);
	json_end_object(j);
}

/* What the image holds, once: after the records, or where reading stopped. */
static void json_summary(struct info *in)
{
	const struct info_model *m = &in->model;
	struct json *j = &in->json;
	struct info_tree_counts n;

	if (in->summarized)
		return;
	in->summarized = true;
	if (m->have_namespaces) {
		const struct ckpt_hdr_namespaces *ns = &m->namespaces;

		json_begin_object(j, "namespaces");
		json_uint(j, "flags", ns->flags);
		json_bool(j, "uts", ns->flags & CKPT_NS_UTS);
		json_bool(j, "ipc", ns->flags & CKPT_NS_IPC);
		json_string_max(j, "hostname", ns->hostname,
				sizeof(ns->hostname));
		json_string_max(j, "domainname", ns->domainname,
				sizeof(ns->domainname));
		json_end_object(j);
	} else {
		json_null(j, "namespaces");
	}
	info_model_tree_counts(m, &n);
	json_begin_object(j, "tree");
	json_uint(j, "tasks", n.tasks);
	json_uint(j, "processes", n.processes);
	json_uint(j, "threads", n.threads);
	json_uint(j, "zombies", n.zombies);
	json_uint(j, "stopped", n.stopped);
	json_end_object(j);
	json_begin_array(j, "tasks");
	for (size_t i = 0; i < m->nr_tasks; i++)
		json_task(j, m, &m->tasks[i]);
	json_end_array(j);
	json_begin_array(j, "mms");
	for (size_t i = 0; i < m->nr_mms; i++)
		json_mm(j, m, &m->mms[i]);
	json_end_array(j);
	json_begin_array(j, "files");
	for (size_t i = 0; i < m->nr_files; i++)
		json_file(j, m, &m->files[i]);
	json_end_array(j);
	json_begin_array(j, "pipes");
	for (size_t i = 0; i < m->nr_pipes; i++) {
		json_begin_object(j, NULL);
		json_uint(j, "objref", m->pipes[i].rec.objref);
		json_uint(j, "size", m->pipes[i].rec.size);
		json_uint(j, "len", m->pipes[i].rec.len);
		json_bool(j, "fifo", m->pipes[i].rec.flags & CKPT_PIPE_FIFO);
		json_end_object(j);
	}
	json_end_array(j);
	json_ipc(j, m);
	json_begin_object(j, "record_counts");
	for (int i = 0; i < INFO_NR_TYPES; i++)
		if (m->counts[i])
			json_uint(j, ckpt_record_type_name(info_model_slot_type(i)),
				  m->counts[i]);
	json_end_object(j);
	json_uint(j, "pages", m->pages);
	json_uint(j, "page_bytes", m->pages * m->page_size);
	json_uint(j, "memfd_pages", m->memfd_pages);
	json_uint(j, "memfd_page_bytes", m->memfd_pages * m->page_size);
}

static void json_tail(struct info *in, const struct ckpt_hdr_tail *tail)
{
	struct json *j = &in->json;

	end_records(in);
	json_summary(in);
	json_begin_object(j, "tail");
	json_uint(j, "records", tail->records);
	json_uint(j, "bytes", tail->bytes);
	json_uint(j, "crc32c", tail->crc32c);
	json_end_object(j);
}

static void json_end(struct info *in, enum ckpt_status status,
		     const char *error, uint64_t trailing)
{
	struct json *j = &in->json;

	end_records(in);
	/* the same keys whatever stopped the listing */
	if (!in->have_header) {
		json_compression(in);
		json_null(j, "header");
		if (in->list_records) {
			json_begin_array(j, "records");
			json_end_array(j);
		}
	}
	json_summary(in);
	if (!in->have_tail)
		json_null(j, "tail");
	if (status == CKPT_OK)
		json_uint(j, "trailing_bytes", trailing);
	json_bool(j, "ok", status == CKPT_OK);
	if (status != CKPT_OK) {
		json_uint(j, "status", status);
		json_string(j, "error", error);
	}
	json_end_object(j);
	putchar('\n');
}

const struct info_format info_json_format = {
	.begin = json_begin,
	.header = json_header,
	.record = json_record,
	.tail = json_tail,
	.end = json_end,
};
