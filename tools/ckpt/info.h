/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `ckpt info`: what its output formats share.  The command reads the image
 * and tells the format what it finds, record by record; the format prints
 * it, as text (cmd_info.c) or as JSON (info_json.c).
 */
#ifndef CKPT_INFO_H
#define CKPT_INFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "json.h"
#include "lib/ckpt.h"
#include "lib/internal.h"

/* ---- What the image holds (info_model.c) ---- */

/* A pending signal of a task. */
struct info_pending {
	uint32_t signo;
	uint32_t flags;			/* CKPT_SIGINFO_SHARED, _TIMER */
	int32_t code;			/* si_code */
	int32_t timerid;		/* CKPT_SIGINFO_TIMER: whose it is */
};

/* A task, with a summary of its CPU state, and its own state. */
struct info_task {
	int32_t pid, tgid, ppid;
	int32_t pgid, sid;		/* 0: outside the container */
	int32_t exit_signal;		/* -1 for a thread */
	uint32_t personality;
	uint32_t mm_objref;		/* 0 for a zombie */
	uint32_t flags;			/* CKPT_TASK_ZOMBIE, _STOPPED... */
	uint32_t stop_signo;		/* CKPT_TASK_STOPPED: the signal */
	int32_t exit_code;		/* a zombie's wait status */
	uint32_t nr_files;
	char comm[CKPT_COMM_LEN + 1];
	bool have_regs, have_xstate, have_xstate_bv;
	uint64_t ip, sp, orig_ax, ax, fs_base;
	uint32_t xstate_size;
	uint64_t xstate_bv;		/* at offset 512 of the XSAVE area */
	bool have_tls;			/* format version 3 */
	struct ckpt_tls_desc tls[CKPT_TLS_ENTRIES];

	/* format version 2 on: what follows its CPU state, where it came */
	bool have_attrs, have_restart, have_cred, have_task_signal;
	struct ckpt_hdr_task_attrs attrs;
	struct ckpt_hdr_restart_block restart;
	struct ckpt_hdr_cred cred;
	uint32_t *groups;		/* the first nr_groups_kept groups */
	uint32_t nr_groups_kept;
	uint32_t fd_table, fs, sighand, signal;	/* objrefs, 0: none */
	struct ckpt_hdr_task_signal task_signal;
	struct info_pending *pending;
	size_t nr_pending, cap_pending;
};

/* A memory area, and how many of its pages the image holds. */
struct info_vma {
	uint64_t start, end, pgoff;
	uint32_t kind, prot, flags, file_objref;
	uint64_t pages;
};

struct info_mm {
	struct ckpt_hdr_mm rec;
	struct info_vma *vmas;
	size_t nr_vmas, cap_vmas;
	uint64_t pages;			/* in its page records */
};

struct info_file {
	struct ckpt_hdr_file rec;
	char *path;			/* from its string record (a memfd's
					 * name), or NULL */
	uint64_t pages;			/* a memfd: its pages in the image */
	uint32_t epoll_items;		/* an epoll file: what it watches */
};

struct info_pipe {
	struct ckpt_hdr_pipe rec;
};

struct info_fd_table {
	uint32_t objref;
	struct ckpt_fd *fds;		/* all of them */
	size_t nr_fds, cap_fds;
};

struct info_fs {
	uint32_t objref, umask;
	char *root, *cwd;		/* from its string records, or NULL */
};

struct info_sighand {
	uint32_t objref;
	struct ckpt_sigaction action[CKPT_NSIG];	/* signal n at n - 1 */
};

/* A POSIX timer, and whether its own signal is pending. */
struct info_timer {
	struct ckpt_hdr_posix_timer rec;
	bool pending;
};

struct info_signal {
	struct ckpt_hdr_signal rec;
	struct info_timer *timers;	/* those that followed it, by id */
	size_t nr_timers, cap_timers;
};

/* A SysV shared memory segment (format version 4), and its pages. */
struct info_shm {
	struct ckpt_hdr_ipc_shm rec;
	uint64_t pages;			/* in the image */
	char name[16];			/* "SYSV0000162e", as /proc/PID/maps
					 * names the areas that attach it */
};

/* A semaphore set, and its values. */
struct info_sem {
	struct ckpt_hdr_ipc_sem rec;
	uint16_t *vals;			/* its values, as kept: all of them */
	uint32_t nr_vals;
};

/* A message queue, and the bytes of text of its messages. */
struct info_msgq {
	struct ckpt_hdr_ipc_msg rec;
	uint64_t bytes;
};

/* The SEM_UNDO adjustments of a process on a set. */
struct info_sem_undo {
	struct ckpt_hdr_ipc_sem_undo rec;
	int16_t *adj;			/* as kept: all of them */
	uint32_t nr_adj;
};

/* A POSIX message queue, and the bytes of text of its messages. */
struct info_mqueue {
	struct ckpt_hdr_ipc_mqueue rec;
	uint64_t bytes;
};

enum {
	INFO_OBJ_FILE = 1, INFO_OBJ_MM, INFO_OBJ_PIPE, INFO_OBJ_FD_TABLE,
	INFO_OBJ_FS, INFO_OBJ_SIGHAND, INFO_OBJ_SIGNAL, INFO_OBJ_SHM,
	INFO_OBJ_MQUEUE,
};

struct info_obj {
	uint8_t kind;			/* INFO_OBJ_* */
	size_t index;			/* in files or mms */
};

/* Record types counted apart: the known ones, and one slot for the rest. */
#define INFO_NR_TYPES	31

struct info_model {
	uint32_t page_size;
	bool have_namespaces;		/* format version 4 */
	struct ckpt_hdr_namespaces namespaces;
	struct info_task *tasks;
	size_t nr_tasks, cap_tasks;
	struct info_mm *mms;
	size_t nr_mms, cap_mms;
	struct info_file *files;
	size_t nr_files, cap_files;
	struct info_pipe *pipes;
	size_t nr_pipes, cap_pipes;
	struct info_fd_table *fd_tables;
	size_t nr_fd_tables, cap_fd_tables;
	struct info_fs *fss;
	size_t nr_fss, cap_fss;
	struct info_sighand *sighands;
	size_t nr_sighands, cap_sighands;
	struct info_signal *signals;
	size_t nr_signals, cap_signals;
	/* format version 4: the SysV IPC objects */
	struct info_shm *shms;
	size_t nr_shms, cap_shms;
	struct info_sem *sems;
	size_t nr_sems, cap_sems;
	struct info_msgq *msgqs;
	size_t nr_msgqs, cap_msgqs;
	struct info_sem_undo *undos;
	size_t nr_undos, cap_undos;
	struct info_mqueue *mqueues;
	size_t nr_mqueues, cap_mqueues;
	struct info_obj *objs;		/* objref - 1 -> the object */
	size_t nr_objs, cap_objs;
	uint64_t counts[INFO_NR_TYPES];	/* records of each type, by slot */
	uint64_t pages;			/* in all page records */
	uint64_t memfd_pages;		/* in all records of memfd pages */
	uint64_t shm_pages;		/* of SysV shm segments */
	/* where the records are: indexes, or -1 */
	long cur_mm;			/* whose areas and pages come now */
	long last_file;			/* whose path comes next */
	long cur_memfd;			/* whose pages come now */
	long cur_shm;			/* or the segment's whose come now */
	long last_task;			/* whose CPU records come next */
	long cur_fs;			/* whose strings come next */
	long cur_signal;		/* whose POSIX timers come next */
	int fs_strings;			/* of them so far */
	/* the fds of the fd table being read, past what the reader keeps */
	struct ckpt_fd *bulk_fds;
	size_t nr_bulk_fds, cap_bulk_fds;
	unsigned char bulk_part[sizeof(struct ckpt_fd)];
	size_t bulk_part_len;
	/* the messages of the queue (SysV or POSIX) being read, counted as
	 * they come */
	struct ckpt_msg_walk msg_walk;
	uint64_t msg_bytes;
};

void info_model_init(struct info_model *m);
void info_model_free(struct info_model *m);
/* Take in one record (checked by the reader): 0, or -1 if out of memory. */
int info_model_add(struct info_model *m, const struct ckpt_record *rec);
/*
 * ckpt_bulk_fn for the reader: the bytes of a record that the reader does
 * not keep, of which the model takes the fds of a long fd table and counts
 * the messages of a long message queue.
 */
enum ckpt_status info_model_bulk(void *arg, const struct ckpt_record *rec,
				 const void *buf, size_t len);
const struct info_file *info_model_file(const struct info_model *m,
					uint32_t objref);
const struct info_mm *info_model_mm(const struct info_model *m,
				    uint32_t objref);
const struct info_pipe *info_model_pipe(const struct info_model *m,
					uint32_t objref);
const struct info_fd_table *info_model_fd_table(const struct info_model *m,
						uint32_t objref);
const struct info_fs *info_model_fs(const struct info_model *m,
				    uint32_t objref);
const struct info_sighand *info_model_sighand(const struct info_model *m,
					      uint32_t objref);
const struct info_signal *info_model_signal(const struct info_model *m,
					    uint32_t objref);
const struct info_shm *info_model_shm(const struct info_model *m,
				      uint32_t objref);
const struct info_mqueue *info_model_mqueue(const struct info_model *m,
					    uint32_t objref);
/* The record type counted in @slot of info_model.counts, 0 for the rest. */
uint32_t info_model_slot_type(int slot);

/*
 * The process tree, in the order to print it: each process (the leader of
 * a thread group) at its depth, its other threads after it one deeper and
 * marked, then its children, depth first, in the image's order.  Every
 * task is in it once.  A malloc'ed array of *@nr entries, or NULL if out
 * of memory.
 */
struct info_tree_entry {
	size_t task;			/* index in tasks */
	size_t depth;
	bool thread;			/* not its group's leader */
};

struct info_tree_entry *info_model_tree(const struct info_model *m,
					size_t *nr);

/* How many of the tasks are which: processes (thread group leaders),
 * other threads, zombies, and stopped processes. */
struct info_tree_counts {
	size_t tasks, processes, threads, zombies, stopped;
};

void info_model_tree_counts(const struct info_model *m,
			    struct info_tree_counts *n);

/*
 * The stop state of a task, as "stopped (SIGTSTP)", with ", unreported"
 * if its parent has yet to see it, in @buf; NULL if it is not stopped.
 */
const char *info_stop_state(const struct info_task *t, char *buf,
			    size_t size);

/* ---- The command and its formats ---- */

struct info {
	const char *name;		/* of the image, for the output */
	struct ckpt_reader *r;		/* NULL if it could not be opened */
	bool have_header, have_tail;
	bool list_records;		/* --records */
	bool in_records;		/* JSON: the records array is open */
	bool summarized;		/* the summaries are out */
	struct info_model model;
	struct json json;
};

struct info_format {
	void (*begin)(struct info *in);
	/* the header record, once read, before its own record */
	void (*header)(struct info *in, const struct ckpt_hdr_header *hdr);
	/* each record as it is read, the header and the tail included */
	void (*record)(struct info *in, const struct ckpt_record *rec);
	/* the tail record, once checked against the stream, after its own */
	void (*tail)(struct info *in, const struct ckpt_hdr_tail *tail);
	/* CKPT_OK with the bytes after the tail, or the error that stopped */
	void (*end)(struct info *in, enum ckpt_status status,
		    const char *error, uint64_t trailing);
};

extern const struct info_format info_text_format, info_json_format;

/*
 * A record type that info shows more of than its offset, type and length.
 * The header and the tail, one of each per image, have sections of their
 * own in every format.  Each record type the kernel adds (tasks, memory
 * maps, fds, signals) adds an entry to info_sections in cmd_info.c: its
 * text lines follow its record's line, and its JSON goes into its record's
 * object, under @key.
 */
struct info_section {
	uint32_t type;
	const char *key;
	void (*text)(const struct ckpt_record *rec);
	void (*json)(struct json *j, const struct ckpt_record *rec);
};

/* The section of records of @type, or NULL. */
const struct info_section *info_section(uint32_t type);

/*
 * Bytes of the string @s (at most @max, up to a NUL) from an image, on
 * @out: printable ASCII as it is, the rest as \xHH, a backslash too.
 */
void info_print_escaped(FILE *out, const char *s, size_t max);

/* "r-xp": the protection of a memory area, as /proc/PID/maps shows it
 * ("s" for a shared one) */
void info_vma_perms(const struct info_vma *v, char perms[5]);

/* For one F_SEAL_* bit of a memfd: "seal", "shrink", "grow", "write",
 * "future_write", "exec", or NULL */
const char *info_seal_name(uint32_t seal);

/*
 * What /proc/PID/maps would show as the path of an area: a file's path,
 * "[heap]", "[stack]" or "[vdso]"; NULL if none.
 */
const char *info_vma_name(const struct info_model *m,
			  const struct info_mm *mm, const struct info_vma *v);

/*
 * The name of the errno that a register holding -errno says (EINTR, or
 * the kernel's own ERESTARTSYS...), or NULL if it holds none.
 */
const char *info_errno_name(uint64_t v);

/* "other", "fifo", "rr", "batch", "idle", "deadline" (SCHED_*), or NULL */
const char *info_policy_name(uint32_t policy);

/* "SI_USER", "SI_QUEUE"...: the si_code values any signal may have, or NULL */
const char *info_si_code_name(int32_t code);

/* "realtime", "monotonic", "boottime", "tai": a POSIX timer's clock, or
 * NULL */
const char *info_clock_name(int32_t clock);

/* "signal", "none", "thread", "thread_id": how a POSIX timer notifies
 * (SIGEV_SIGNAL, ..., SIGEV_SIGNAL | SIGEV_THREAD_ID), or NULL */
const char *info_notify_name(int32_t notify);

/*
 * Whether a TLS descriptor holds no segment: empty (as an unused one
 * reads) or all zero, as set_thread_area(2) takes them, lm aside.
 */
bool info_tls_unused(const struct ckpt_tls_desc *d);

/* Nanoseconds as "1.500000000" (seconds) in @buf. */
const char *info_ns(int64_t ns, char *buf, size_t size);

/* A resource limit: its number, or "unlimited" for ~0, in @buf. */
const char *info_rlim(uint64_t v, char *buf, size_t size);

/* Nanoseconds since the epoch as UTC ISO-8601 in @buf, or NULL if invalid. */
const char *info_time_ns_utc(int64_t ns, char *buf, size_t size);

/* Whether a signal action is the default one (all zero). */
bool info_default_action(const struct ckpt_sigaction *a);

/* The fields of these records, as JSON, for --records and the summaries */
void json_restart_block_fields(struct json *j,
			       const struct ckpt_hdr_restart_block *b);
void json_attrs_fields(struct json *j, const struct ckpt_hdr_task_attrs *a);
void json_cred_fields(struct json *j, const struct ckpt_hdr_cred *c,
		      const uint32_t *groups, uint32_t nr);
void json_signal_fields(struct json *j, const struct ckpt_hdr_signal *sg);
void json_tls_desc(struct json *j, const struct ckpt_tls_desc *d);
void json_posix_timer_fields(struct json *j,
			     const struct ckpt_hdr_posix_timer *t);
void json_sigaction(struct json *j, uint32_t signo,
		    const struct ckpt_sigaction *a);
void json_ipc_shm_fields(struct json *j, const struct ckpt_hdr_ipc_shm *s);
void json_ipc_sem_fields(struct json *j, const struct ckpt_hdr_ipc_sem *s,
			 const uint16_t *vals, uint32_t nr);
void json_ipc_msg_fields(struct json *j, const struct ckpt_hdr_ipc_msg *q);
void json_ipc_sem_undo_fields(struct json *j,
			      const struct ckpt_hdr_ipc_sem_undo *u,
			      const int16_t *adj, uint32_t nr);
void json_ipc_mqueue_fields(struct json *j,
			    const struct ckpt_hdr_ipc_mqueue *q);

/* Seconds since the epoch as UTC ISO-8601 in @buf, or NULL if invalid. */
const char *info_time_utc(uint64_t seconds, char *buf, size_t size);

#endif /* CKPT_INFO_H */
