/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * Declarations shared inside libckpt (and with its tests), not part of the
 * API in ckpt.h.
 */
#ifndef CKPT_INTERNAL_H
#define CKPT_INTERNAL_H

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/types.h>

#include "ckpt.h"

/*
 * ckpt_crc32c() without the SSE4.2 instruction, whatever the CPU has: the
 * tests check that both ways give the same result.
 */
uint32_t ckpt_crc32c_portable(uint32_t crc, const void *buf, size_t len);

/* ---- cgroup.c ---- */

/*
 * Read the small file @dir/@file into @buf as a string: its length, or -1
 * with errno.  Write @text to @dir/@file: 0 or -1 with errno.
 */
ssize_t ckpt_read_text(const char *dir, const char *file, char *buf,
		       size_t size);
int ckpt_write_text(const char *dir, const char *file, const char *text);

/* ckpt_cgroup_freeze(), giving up with EINTR once *@stop is not 0 */
int ckpt_cgroup_freeze_stop(const char *cgroup, int timeout_ms,
			    const volatile sig_atomic_t *stop);

/* The pids in cgroup.procs: a malloc'ed array of *@nr, or -1 with errno. */
int ckpt_cgroup_pids(const char *cgroup, pid_t **pids, size_t *nr);

/* ---- container.c ---- */

/*
 * What an errno from checkpoint(2) or restart(2) means, as a status: each
 * kind of refusal (sys.c) maps to its own exit status.
 */
int ckpt_checkpoint_status(int err);
int ckpt_restart_status(int err);

/*
 * The lines the kernel wrote to the log file @logfd (from offset 0) as one
 * line, joined with "; "; "" if none.
 */
void ckpt_read_reason(int logfd, char *buf, size_t size);

/* Format a message into @msg, if it is not NULL. */
__attribute__((format(printf, 3, 4)))
void ckpt_set_msg(char *msg, size_t size, const char *fmt, ...);

/*
 * The checks that come before freezing: the cgroup of the container @o
 * names (by name or by pid), into @cgroup; CKPT_ERR_NO_CONTAINER if there
 * is none, CKPT_ERR_NOT_FROZEN if it cannot be frozen (the root cgroup,
 * or the caller's own), with @o->msg saying why.
 */
enum ckpt_status ckpt_find_cgroup(const struct ckpt_checkpoint_opts *o,
				  char *cgroup, size_t size);

/* ---- pump.c ---- */

/*
 * The errno of the read or write of the caller's fd that made the pump
 * fail, once it is finished; 0 if it did not fail, or for a reason of its
 * own (a damaged lz4 stream).
 */
int ckpt_pump_errno(const struct ckpt_pump *p);

/* ---- net.c ---- */

/*
 * Whether @address has the form of "HOST:PORT" (or with @port_only, of
 * "PORT" too), before anything is looked up: CKPT_OK, or CKPT_ERR_USAGE
 * with @msg saying what is wrong.
 */
enum ckpt_status ckpt_net_check_address(const char *address, bool port_only,
					char *msg, size_t size);

/* ---- peek.c ---- */

/*
 * Copy up to @len bytes from the start of what @fd has to read into @buf,
 * leaving them to be read: the number copied, fewer than @len only at the
 * end of the stream; -1 with errno ESPIPE if this kind of file cannot be
 * peeked at, or another errno on error.  See ckpt_fd_is_lz4().
 */
ssize_t ckpt_peek(int fd, void *buf, size_t len);

/* ---- lz4stream.c ---- */

struct ckpt_lz4_decoder;

/*
 * How many compressed bytes the decoder would like next (liblz4's hint, at
 * least 1): enough to decode something, so a reader that must not wait for
 * more than it needs (a FILE on a pipe) asks for that many.
 */
size_t ckpt_lz4_decoder_want(const struct ckpt_lz4_decoder *d);

/* ---- check.c: records checked as restart(2) checks them ---- */

/* The length of a file record in format version 1: no pipe_objref. */
#define FILE_V1_LEN		offsetof(struct ckpt_hdr_file, pipe_objref)

/* The length of a signal record in format version 2: no POSIX timers. */
#define SIGNAL_V2_LEN		offsetof(struct ckpt_hdr_signal, \
					 next_posix_timer_id)

/*
 * The length of a task record up to format version 3: no process group,
 * session or stop state.
 */
#define TASK_V3_LEN		offsetof(struct ckpt_hdr_task, pgid)

/*
 * The least length of a record of @type in an image of format @version,
 * as far as this library knows.
 */
uint32_t ckpt_record_min_len(uint32_t type, uint32_t version);

/*
 * The length of the fixed part of a record of @type whose length its
 * fixed part says (pages, a pipe, an fd table, signal handlers,
 * credentials), which the reader reads and hands to ckpt_check_head()
 * first; 0 for another type.
 */
uint32_t ckpt_record_head_len(uint32_t type, uint32_t version);

/* A memory area of the address space being read: its bounds, kind, flags. */
struct ckpt_check_vma {
	uint64_t start, end;
	uint32_t kind, flags;
};

/*
 * A POSIX timer of the process being read, for the checks of the pending
 * signals that name it: its id, how it notifies, its signal, and whether
 * its own signal was seen pending.
 */
struct ckpt_check_timer {
	int32_t id;
	int32_t notify;
	int32_t tid;			/* SIGEV_THREAD_ID: the thread */
	uint32_t signo;
	uint32_t pending;
};

/*
 * A task read so far (format version 4 on), for the order of the tree:
 * its pid (0: a free slot of the table), its parent, and what it is.
 */
#define CKPT_CHECK_PROCESS	(1U << 0)	/* pid == tgid */
#define CKPT_CHECK_ZOMBIE	(1U << 1)

/*
 * The messages of a message queue's record (CKPT_HDR_IPC_MSG, or a POSIX
 * queue's, CKPT_HDR_IPC_MQUEUE, version 4),
 * walked as its bytes come, in pieces of any size: @nr of them, each a
 * struct ckpt_ipc_msg and its text, zero-padded to 8 bytes, that fill the
 * rest of the record exactly.  The checker walks them, and so does `ckpt
 * info`, which counts them: the kept part of a record first, then what
 * streams past, so nothing per message is kept.
 */
struct ckpt_msg_walk {
	uint64_t left;			/* bytes of the record still to come */
	uint32_t nr;			/* messages the record announces */
	uint32_t index;			/* the message being read */
	uint64_t text_left;		/* bytes of its text still to come */
	uint32_t pad_left;		/* then of its padding */
	uint32_t part_len;		/* bytes of its header read so far */
	unsigned char part[sizeof(struct ckpt_ipc_msg)];
};

enum ckpt_msg_walk_status {
	CKPT_MSG_WALK_OK = 0,
	CKPT_MSG_WALK_STOPPED,		/* the caller's function said so */
	CKPT_MSG_WALK_PAST_END,		/* message @index does not fit in the
					 * rest of the record */
	CKPT_MSG_WALK_PADDING,		/* the padding of message @index is
					 * not zero */
	CKPT_MSG_WALK_EXTRA,		/* bytes after the last message */
};

/*
 * Called with each message's header once it is read (@w->index is its
 * number, from 0), before its text: non-zero stops the walk.
 */
typedef int ckpt_msg_fn(void *arg, const struct ckpt_msg_walk *w,
			const struct ckpt_ipc_msg *msg);

/* Start on the messages of the record whose fixed part is @q. */
enum ckpt_msg_walk_status ckpt_msg_walk_begin(struct ckpt_msg_walk *w,
					      const struct ckpt_hdr_ipc_msg *q);
/*
 * Start on @nr messages in the @len bytes of a record after its fixed
 * part (a POSIX message queue's, CKPT_HDR_IPC_MQUEUE, has them as a SysV
 * queue's).
 */
enum ckpt_msg_walk_status ckpt_msg_walk_start(struct ckpt_msg_walk *w,
					      uint64_t len, uint32_t nr);
/* The next @len bytes of the record (no more than are left of it). */
enum ckpt_msg_walk_status ckpt_msg_walk(struct ckpt_msg_walk *w,
					const void *buf, size_t len,
					ckpt_msg_fn *fn, void *arg);

/* A semaphore set (version 4): its id and number of semaphores. */
struct ckpt_check_sem {
	int32_t id;
	uint32_t nsems;
};

/* A POSIX timer that signals a thread (version 4), checked at the tail. */
struct ckpt_check_target {
	int32_t tgid;			/* the timer's process */
	int32_t tid;			/* the thread it names */
	int32_t id;			/* the timer */
};

struct ckpt_check_task {
	int32_t pid;
	int32_t tgid;
	int32_t ppid;
	int32_t pgid, sid;		/* its process group and session */
	uint32_t flags;			/* CKPT_CHECK_* */
};

/* What must come next in the records of a task, a file or an fs. */
enum ckpt_check_step {
	CKPT_STEP_NONE = 0,
	CKPT_STEP_NAMESPACES,		/* format version 4 on: the first
					 * record after the header */
	CKPT_STEP_PATH,			/* the path of a file (or the name
					 * of a memfd) */
	CKPT_STEP_FILE_PAGES,		/* the contents of a memfd */
	CKPT_STEP_MM,			/* format version 4 on: the address
					 * space of the task just read,
					 * which no task before it used */
	CKPT_STEP_MM_BODY,		/* its memory areas, its pages, then
					 * the task's registers */
	CKPT_STEP_EARLY_MM_BODY,	/* version 4: the areas and pages of
					 * an address space before the first
					 * task (version 3's order), then
					 * that task */
	CKPT_STEP_REGS,
	CKPT_STEP_XSTATE,
	CKPT_STEP_TLS,			/* format version 3 on */
	CKPT_STEP_RESTART_BLOCK,
	CKPT_STEP_ATTRS,
	CKPT_STEP_CRED,
	CKPT_STEP_FD_TABLE,
	CKPT_STEP_FS,
	CKPT_STEP_ROOT,			/* the root of the fs */
	CKPT_STEP_CWD,			/* its working directory */
	CKPT_STEP_SIGHAND,
	CKPT_STEP_SIGNAL,
	CKPT_STEP_POSIX_TIMER,		/* those the signal record counts */
	CKPT_STEP_TASK_SIGNAL,
	CKPT_STEP_SIGINFO,
};

/*
 * Where the reader is in the image, for the checks of CKPT_READ_CHECK:
 * what the kernel's restart context keeps (kernel/checkpoint/restart.c).
 * Memory: 5 bytes per object, 24 bytes per memory area of one address
 * space, 20 bytes per POSIX timer of one process and (version 4) at most
 * 100 bytes per task (and as much again for a moment at the tail), 12
 * bytes per POSIX timer that signals a thread, 8 per SysV shared memory
 * segment and per semaphore set, at most 16 per process with SEM_UNDO
 * adjustments, never anything per page, per fd or per message.
 */
struct ckpt_check {
	unsigned int flags;		/* the reader's */
	uint32_t version;		/* the image's format version */
	uint32_t page_size;		/* the header's, a power of two */
	uint64_t user_max;		/* highest user address (TASK_SIZE_MAX):
					 * this machine's with
					 * CKPT_READ_RESTART, else the
					 * highest of any x86_64 (5-level
					 * paging) */
	uint64_t xfeatures;		/* the header's: what XSAVE areas hold */
	uint32_t xstate_max;		/* CKPT_READ_RESTART: this CPU's, or 0 */
	uint64_t max_map_count;		/* CKPT_READ_RESTART: this machine's, or 0 */

	enum ckpt_check_step step;	/* what must come next */
	int32_t task_pid;		/* of the last task */
	int32_t task_tgid;
	uint32_t task_mm;		/* its address space */
	uint32_t task_nr_files;		/* its number of open files */
	bool task_shares_signal;	/* its signal record was written
					 * before (a thread's) */
	uint32_t nr_tasks;		/* task records so far */
	uint32_t early_mm;		/* version 4: an address space before
					 * the first task, or 0 */
	/* version 4: the tasks so far, by pid (a hash table, open
	 * addressing), for the order of the tree */
	struct ckpt_check_task *tasks;
	size_t tasks_cap;
	int32_t *task_order;		/* their pids, in the image's order */
	size_t task_order_cap;
	struct ckpt_check_target *targets;	/* of SIGEV_THREAD_ID timers */
	size_t nr_targets, targets_cap;
	int64_t orig_ax, ax;		/* its registers */
	uint32_t file_objref;		/* of the last file */
	uint32_t file_type;		/* its type */
	uint64_t memfd_size;		/* the size of the memfd whose pages
					 * come (file_objref) */
	uint64_t memfd_next;		/* lowest offset its next page may have */
	uint32_t memfd_records;		/* its page records so far */
	uint32_t fs_objref;		/* of the last fs */
	uint32_t nr_pending, pending_left;	/* its pending signals */
	uint32_t signal_objref;		/* of the last signal record */
	struct ckpt_check_timer *timers;	/* the POSIX timers so far of
						 * the process of signal record
						 * timers_signal */
	uint32_t nr_timers, max_timers;	/* max: what it announced */
	uint32_t timers_signal;		/* 0: the timers of the current
					 * task's process are not known
					 * (a thread after another process) */
	size_t timers_cap;

	uint8_t *kinds;			/* of objrefs 1 to @nr_objs */
	uint32_t *counts;		/* of each: the fds of an fd table,
					 * the process (tgid) of a signal
					 * record */
	uint32_t nr_objs;
	size_t kinds_cap, counts_cap;

	uint32_t mm_objref;		/* the address space being read */
	struct ckpt_check_vma *vmas;	/* its areas so far */
	uint32_t nr_vmas, max_vmas;	/* max: what its record announced, 0
					 * once a task follows */
	size_t vmas_cap;
	uint64_t next_page;		/* lowest address the next page may have */

	/* the entries of the fd table being read, past what the reader keeps */
	uint32_t fd_objref;		/* 0: not in an fd table */
	uint32_t fd_index;		/* entries checked */
	int64_t last_fd;		/* -1 before the first */
	unsigned char fd_part[sizeof(struct ckpt_fd)];
	uint32_t fd_part_len;

	/*
	 * Version 4: the SysV IPC objects, right after the namespaces
	 * record.  A segment's object has the index of its size in
	 * @shm_pages as its count; its pages come as a memfd's
	 * (file_objref, memfd_size...).
	 */
	bool ipc_ns;			/* the namespaces record has CKPT_NS_IPC */
	bool ipc_open;			/* and no other record came since */
	int32_t ipc_last_id[3];		/* of each kind (shm, sem, msg), -1 */
	bool shm_contents;		/* the pages that come are a segment's */
	uint64_t *shm_pages;		/* the size of each segment, in pages */
	size_t nr_shms, shms_cap;
	/* the sets so far, by increasing id, for the SEM_UNDO adjustments
	 * that name them */
	struct ckpt_check_sem *sems;
	size_t nr_sems, sems_cap;
	/* the processes with SEM_UNDO adjustments so far, checked at the
	 * tail: a hash table of their pids (open addressing, 0: a free
	 * slot); the process and set of the last such record (pid 0
	 * before the first) */
	int32_t *undo_pids;
	size_t nr_undo_pids, undo_cap;
	int32_t undo_pid, undo_semid;
	/* the name of the last POSIX message queue, "" before the first */
	char mq_last[CKPT_MQ_NAME_LEN];
	/* the messages of the queue being read (a SysV or, @msgq_posix, a
	 * POSIX one, @msgq_what in messages), past what the reader keeps */
	bool in_msgq;
	bool msgq_posix;
	int64_t msgq_msgsize;		/* a POSIX queue's largest message */
	char msgq_what[80];
	uint32_t msgq_len;		/* of its record */
	struct ckpt_msg_walk msg_walk;

	/* version 4: the epoll files (files whose count is an EPOLL_*
	 * state), and the items of the one being read, past what the
	 * reader keeps */
	uint32_t epolls_unlisted;	/* without their items record yet */
	uint32_t ep_objref;		/* 0: not in an epoll items record */
	uint32_t ep_index, ep_nr;	/* items checked, of how many */
	unsigned char ep_part[sizeof(struct ckpt_epoll_item)];
	uint32_t ep_part_len;

	char why[256];			/* what is wrong, for the message: it
					 * starts with ": " or " has" */
};

/* For the records after the header @hdr (its version, page size, xfeatures). */
void ckpt_check_init(struct ckpt_check *c, unsigned int flags,
		     const struct ckpt_hdr_header *hdr);
void ckpt_check_release(struct ckpt_check *c);

/*
 * Whether a record whose header is @h may come here, with this length.
 * Then, for a record with a head (ckpt_record_head_len()), its fixed part;
 * then the record as kept (@rec), before the rest of it streams past;
 * then each piece of that rest (ckpt_check_bulk()).  Each returns
 * CKPT_ERR_CORRUPT with @why set, or CKPT_ERR_GENERIC if out of memory.
 */
enum ckpt_status ckpt_check_begin(struct ckpt_check *c,
				  const struct ckpt_hdr *h);
enum ckpt_status ckpt_check_head(struct ckpt_check *c, const void *head);
enum ckpt_status ckpt_check_record(struct ckpt_check *c,
				   const struct ckpt_record *rec);
enum ckpt_status ckpt_check_bulk(struct ckpt_check *c, const void *buf,
				 size_t len);

/*
 * Grow the array *@p of *@cap items of @size to hold @need items, doubling
 * it: 0, or -1 (errno ENOMEM) if that would overflow or memory runs out.
 * The counts come from untrusted images, hence the overflow checks.
 */
static inline int ckpt_grow_array(void **p, size_t *cap, size_t need,
				  size_t size)
{
	size_t n = *cap ? *cap : 16;
	void *q;

	if (need <= *cap)
		return 0;
	while (n < need) {
		if (n > SIZE_MAX / 2) {
			errno = ENOMEM;
			return -1;
		}
		n *= 2;
	}
	if (n > SIZE_MAX / size) {
		errno = ENOMEM;
		return -1;
	}
	q = realloc(*p, n * size);
	if (!q)
		return -1;
	*p = q;
	*cap = n;
	return 0;
}

#endif /* CKPT_INTERNAL_H */
