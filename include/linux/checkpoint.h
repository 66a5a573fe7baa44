/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Checkpoint/restart: the in-kernel API between the core in kernel/checkpoint/
 * and the per-state serializers (kernel/checkpoint/, arch/x86/checkpoint/).
 */
#ifndef _LINUX_CHECKPOINT_H
#define _LINUX_CHECKPOINT_H

#include <linux/capability.h>
#include <linux/completion.h>
#include <linux/hashtable.h>
#include <linux/list.h>
#include <linux/path.h>
#include <linux/signal_types.h>
#include <linux/time64.h>
#include <linux/types.h>
#include <linux/uidgid.h>
#include <linux/xarray.h>
#include <uapi/linux/checkpoint.h>

struct cred;
struct file;
struct group_info;
struct k_itimer;
struct mm_struct;
struct page;
struct task_struct;
struct ckpt_new_task;
struct ckpt_pipe_ends;
struct cred;
struct dentry;
struct inode;
struct ipc_namespace;
struct vm_area_struct;

/* Kinds of shared objects in the object hash */
enum ckpt_obj_type {
	CKPT_OBJ_FILE = 1,
	CKPT_OBJ_MM,
	CKPT_OBJ_PIPE,
	CKPT_OBJ_FD_TABLE,
	CKPT_OBJ_FS,
	CKPT_OBJ_SIGHAND,
	CKPT_OBJ_SIGNAL,
	CKPT_OBJ_FIFO,			/* restart: the pipe of a FIFO */
	CKPT_OBJ_SYSV_SHM,		/* a SysV shared memory segment */
	CKPT_OBJ_MQUEUE,		/* a POSIX message queue */
};

/* restart: a memfd to seal once the restored task has its mappings */
struct ckpt_memfd_seal {
	struct list_head list;
	struct file *file;
	u32 seals;
};

/* restart: a pipe, as the two files of its ends */
struct ckpt_rst_pipe {
	struct file *end[2];		/* read end, write end */
};

/*
 * restart: the pipe of a FIFO, whose data waits for the first file that
 * opens the FIFO; then @holder keeps it open (for reading and writing)
 * until the restart ends, so that the other files open without blocking.
 */
struct ckpt_rst_fifo {
	struct file *holder;
	void *data;			/* @len bytes, until @holder has them */
	u32 len;
	u32 size;			/* its capacity */
};

/* restart: one fd of the task being restored */
struct ckpt_rst_fd {
	unsigned int fd;
	unsigned int flags;		/* O_CLOEXEC or 0 */
	struct file *file;		/* a reference */
};

/* restart: a pending signal of the task being restored */
struct ckpt_rst_siginfo {
	kernel_siginfo_t info;
	bool shared;
	bool timer;			/* a POSIX timer's own (si_tid) */
};

/* restart: a POSIX timer of the process being restored */
struct ckpt_rst_timer {
	struct ckpt_hdr_posix_timer rec;
	bool queued;			/* its signal is among the pending */
	bool armed;			/* set with its pending signal */
	struct k_itimer *timer;		/* created again, in the restored task */
};

/*
 * restart: the state of the task being restored beyond its mm and
 * registers.  The caller reads and checks it from the image; the task
 * applies it to itself, in its own context, once the whole image has
 * been read (see ckpt_restore_apply()).
 */
struct ckpt_rst_task {
	bool thread;			/* not the first task of its process */
	struct ckpt_rst_task *process;	/* its process's first task's */
	struct ckpt_new_task *fd_owner;	/* whose fd table it shares, or NULL */
	struct ckpt_new_task *fs_owner;	/* whose fs_struct it shares, or NULL */

	struct ckpt_hdr_task_attrs attrs;
	bool has_restart_block;
	struct ckpt_hdr_restart_block restart_block;

	/* credentials, as the caller's user namespace maps them */
	kuid_t uid, euid, suid, fsuid;
	kgid_t gid, egid, sgid, fsgid;
	kernel_cap_t cap_inheritable, cap_permitted, cap_effective;
	kernel_cap_t cap_bset, cap_ambient;
	unsigned int securebits;
	struct group_info *groups;

	struct ckpt_rst_fd *fds;
	unsigned int nr_fds;

	umode_t umask;
	struct path root;		/* held when restoring */
	struct path pwd;

	struct k_sigaction action[CKPT_NSIG];

	struct ckpt_hdr_signal signal;
	struct ckpt_hdr_task_signal task_signal;
	struct ckpt_rst_siginfo *pending;
	unsigned int nr_pending;	/* read so far */

	struct ckpt_rst_timer *timers;	/* by increasing id */
	unsigned int nr_timers;		/* read so far */
};

/* restart: what the caller of restart(2) asks a restored task to do */
enum ckpt_request {
	CKPT_REQ_BUILD_MM = 1,	/* build its address space from the stream */
	CKPT_REQ_CLONE,		/* create @req_child, its child or thread */
	CKPT_REQ_APPLY,		/* set the rest of its state on itself */
	CKPT_REQ_RUN,		/* go to user mode */
	CKPT_REQ_DIE,		/* die without running a user instruction */
};

/*
 * restart: one task of the image, in image order.  In a real restart it
 * is also the task created for it, which waits in the kernel
 * (ckpt_new_task_main()) and does what the caller asks of it, one request
 * at a time: the caller posts @req and waits for @done, so that the two
 * never use the context at the same time.
 */
struct ckpt_new_task {
	struct list_head list;		/* ctx->new_tasks */
	struct ckpt_ctx *ctx;
	struct ckpt_hdr_task rec;	/* its task record */
	/* the objrefs of its records: what later tasks may share */
	u32 fd_table_objref;
	u32 fs_objref;
	u32 sighand_objref;
	u32 signal_objref;
	struct ckpt_rst_task *rst;	/* its state, until it applies it */

	struct task_struct *task;	/* a reference, once created */
	pid_t host_pid;			/* the root: in the caller's namespace */
	u64 ax;				/* its ax, which ret_from_fork clears */
	bool gone;			/* told to run or to die */
	enum ckpt_request req;
	struct ckpt_new_task *req_child;
	int ret;			/* how the last request went */
	struct completion posted;	/* a request is there for it */
	struct completion done;		/* it did it (or it started) */
};

/* restart: a POSIX timer that signals a thread, checked at the end */
struct ckpt_timer_target {
	struct list_head list;		/* ctx->timer_targets */
	pid_t tgid;			/* the process of the timer */
	pid_t tid;			/* the thread it signals */
	s32 id;
};

/* restart: the memory areas of the address space being read */
struct ckpt_rst_vma {
	u64 start;
	u64 end;
	u32 kind;
	u32 flags;
};

/* Size of the stream buffer of a context */
#define CKPT_BUF_SIZE		(64 * 1024)

/* Largest record the reader accepts into memory in one piece. */
#define CKPT_RECORD_MAX_LEN	(64 * 1024)

/*
 * One checkpoint or restart operation.  A context belongs to the task that
 * called the syscall and is never shared, so it needs no locking of its own.
 */
struct ckpt_ctx {
	bool restart;			/* restart(2) rather than checkpoint(2) */
	unsigned int flags;		/* the syscall's flags */
	struct file *file;		/* the image stream */
	loff_t start;			/* offset in @file at the start */
	loff_t pos;			/* offset in @file, if it is seekable */
	struct file *logfile;		/* reasons for failures, or NULL */

	/* checkpoint: the tasks in scope, each with a reference */
	struct task_struct *root;
	struct task_struct **tasks;
	unsigned int nr_tasks;
	struct ckpt_pipe_ends *pipe_ends; /* the pipe ends their fds hold */
	unsigned int nr_pipe_ends;
	int file_fd;			/* the fd of the file being written */

	/* the stream: counts and checksum of what went through so far */
	u64 bytes;
	u64 records;
	u32 crc;
	u32 tail_crc;			/* restart: @crc before the last record */
	u64 tail_bytes;			/* restart: @bytes before the last record */

	/* shared objects: pointer -> objref (checkpoint), objref (restart) */
	DECLARE_HASHTABLE(obj_hash, 8);
	struct xarray obj_index;
	u32 next_objref;

	/* restart: where in the image the reader is */
	u32 rec_left;			/* bytes left of the current record */
	u32 expect;			/* record type that must come next, or 0 */
	struct ckpt_rst_vma *vmas;	/* of the mm being read */
	u32 nr_vmas;			/* in @vmas so far */
	u32 max_vmas;			/* announced by the mm record */
	u64 next_page;			/* lowest address the next page may have */
	unsigned int nr_tasks_read;
	u64 xfeatures;			/* the header's: what the CPU had */
	struct ckpt_hdr_namespaces namespaces; /* the container's own */
	bool in_restart_block;		/* the registers just read say so */
	u32 task_nr_files;		/* of the task record just read */
	pid_t task_pid;			/* of the task record just read */
	struct ckpt_rst_task *rst;	/* the live task being read */
	u32 mm_wanted;			/* the mm that must come next, or 0 */
	u32 after_mm;			/* the record that follows an mm */

	/*
	 * restart: the tasks of the image, in image order, and by pid; the
	 * one whose records are being read.  In a real restart each of them
	 * is created, so these hold them until they run or die.
	 */
	struct list_head new_tasks;
	struct xarray new_task_by_pid;
	struct ckpt_new_task *cur;
	struct ckpt_new_task *early_init; /* created for an mm read first */
	struct ckpt_new_task *dry_leader; /* dry run: whose state is kept */
	struct list_head timer_targets;	/* of struct ckpt_timer_target */
	u32 early_mm;			/* that mm */
	u32 memfd_objref;		/* the memfd whose pages come next */
	u64 memfd_next;			/* lowest offset the next may have */
	u64 memfd_size;			/* its size */
	u32 memfd_seals;		/* its seals, set after its pages */
	struct list_head memfd_seals_list; /* of struct ckpt_memfd_seal */
	struct xarray memfd_inodes;	/* checkpoint: shmem objects written */
	struct file *pages_file;	/* restart: where those pages go */
	struct list_head epolls;	/* restart: epoll files read */
	u32 epolls_unlisted;		/* of them, without their items yet */

	/* restart: SysV IPC objects (ipc.c), before any other record */
	struct ipc_namespace *ipc_ns;	/* theirs: the restored init's */
	struct list_head ipc_shms;	/* of struct ckpt_rst_shm */
	struct xarray ipc_sem_nsems;	/* semid -> its count, as a value */
	struct xarray ipc_shm_pages;	/* objref -> a segment's pages */
	struct list_head sem_undos;	/* of struct ckpt_rst_sem_undo */
	int ipc_last_id[3];		/* of each kind: shm, sem, msg */
	char ipc_last_mq[CKPT_MQ_NAME_LEN]; /* name of the last mqueue */
	bool past_ipc;			/* a record of another kind came */

	/*
	 * restart, when not a dry run: the objects opened (objref -> file),
	 * and the mm record that the task being restored builds.  That task
	 * reads the records of its own address space from the stream, in
	 * its own context, while the caller waits (@child_reads).
	 */
	bool restoring;
	struct xarray obj_ptrs;
	struct ckpt_hdr_mm *rst_mm;	/* the mm record the task builds */
	struct ckpt_hdr pending;	/* a header the task read, not its own */
	bool has_pending;
	struct task_struct *child;	/* the task of @cur */
	bool child_reads;		/* a restored task reads the stream */
	int cgroup_fd;			/* RESTART_INTO_CGROUP: where to */

	/* write buffer (checkpoint) or read-ahead buffer (restart) */
	void *buf;
	size_t buf_len;			/* bytes held */
	size_t buf_off;			/* restart: bytes consumed */
};

/* kernel/checkpoint/context.c */
struct ckpt_ctx *ckpt_ctx_alloc(bool restart, unsigned int flags,
				struct file *file, struct file *logfile);
void ckpt_ctx_free(struct ckpt_ctx *ctx);
__printf(2, 3) void ckpt_log(struct ckpt_ctx *ctx, const char *fmt, ...);

/* kernel/checkpoint/objhash.c */
void ckpt_obj_init(struct ckpt_ctx *ctx);
void ckpt_obj_release(struct ckpt_ctx *ctx);
u32 ckpt_obj_find(struct ckpt_ctx *ctx, const void *ptr,
		  enum ckpt_obj_type type);
int ckpt_obj_lookup_add(struct ckpt_ctx *ctx, const void *ptr,
			enum ckpt_obj_type type, bool *first);
int ckpt_obj_declare(struct ckpt_ctx *ctx, u32 objref,
		     enum ckpt_obj_type type);
int ckpt_obj_check(struct ckpt_ctx *ctx, u32 objref, enum ckpt_obj_type type);
bool ckpt_obj_known(struct ckpt_ctx *ctx, u32 objref, enum ckpt_obj_type type);
int ckpt_obj_store(struct ckpt_ctx *ctx, u32 objref, void *ptr);
void *ckpt_obj_fetch(struct ckpt_ctx *ctx, u32 objref, enum ckpt_obj_type type);

/* kernel/checkpoint/image.c: the record stream */
int ckpt_write_string(struct ckpt_ctx *ctx, const char *str);
bool ckpt_page_is_zero(struct page *page);
int ckpt_write_pages(struct ckpt_ctx *ctx, const u64 *addrs,
		     struct page **pages, unsigned int nr);
int ckpt_write_page_record(struct ckpt_ctx *ctx, struct ckpt_hdr *rec,
			   u32 size, const u64 *addrs, struct page **pages,
			   unsigned int nr);
int ckpt_read_begin(struct ckpt_ctx *ctx, const struct ckpt_hdr *h,
		    void *rec, u32 size, u32 max_len);
int ckpt_read_more(struct ckpt_ctx *ctx, void *buf, u32 len);
int ckpt_read_more_pages(struct ckpt_ctx *ctx, struct page **pages,
			 unsigned int nr);
int ckpt_read_end(struct ckpt_ctx *ctx, const struct ckpt_hdr *h);
int ckpt_write_record(struct ckpt_ctx *ctx, u32 type, void *rec, u32 len);
int ckpt_write_record_data(struct ckpt_ctx *ctx, u32 type, void *rec, u32 len,
			   const void *data, size_t data_len);
int ckpt_write_header(struct ckpt_ctx *ctx);
int ckpt_write_tail(struct ckpt_ctx *ctx);
int ckpt_flush(struct ckpt_ctx *ctx);
int ckpt_read_header(struct ckpt_ctx *ctx, struct ckpt_hdr_header *hdr);
int ckpt_read_next(struct ckpt_ctx *ctx, struct ckpt_hdr *h);
int ckpt_read_payload(struct ckpt_ctx *ctx, const struct ckpt_hdr *h,
		      void *rec, u32 size);
int ckpt_read_tail(struct ckpt_ctx *ctx, const struct ckpt_hdr *h);

/*
 * The restart side of one record type: @read reads the record whose header
 * is @h (and checks it); @follows, see restart.c.  kernel/checkpoint/restart.c holds the table.
 */
struct ckpt_record_ops {
	u32 type;
	const char *name;
	int (*read)(struct ckpt_ctx *ctx, const struct ckpt_hdr *h);
	bool follows;	/* only where the record before asks for it */
};

/* kernel/checkpoint/restart.c */
int ckpt_read_records(struct ckpt_ctx *ctx);
int ckpt_read_hdr(struct ckpt_ctx *ctx, struct ckpt_hdr *h);

/* kernel/checkpoint/task.c: tasks */
int ckpt_collect_tasks(struct ckpt_ctx *ctx);
void ckpt_release_tasks(struct ckpt_ctx *ctx);
int ckpt_write_tasks(struct ckpt_ctx *ctx);
int ckpt_read_task(struct ckpt_ctx *ctx, const struct ckpt_hdr *h);
int ckpt_restore_apply(struct ckpt_ctx *ctx, struct ckpt_new_task *nt);

/* kernel/checkpoint/tree.c: the restored tree */
struct ckpt_new_task *ckpt_new_task_find(struct ckpt_ctx *ctx, pid_t pid);
int ckpt_tree_add(struct ckpt_ctx *ctx, const struct ckpt_hdr_task *rec,
		  struct ckpt_new_task **ntp);
int ckpt_tree_create(struct ckpt_ctx *ctx, struct ckpt_new_task *nt);
int ckpt_tree_build_mm(struct ckpt_ctx *ctx);
int ckpt_tree_early_init(struct ckpt_ctx *ctx, struct task_struct **init);
int ckpt_tree_check(struct ckpt_ctx *ctx);
int ckpt_tree_release(struct ckpt_ctx *ctx, bool run);
void ckpt_tree_free(struct ckpt_ctx *ctx);

/* kernel/checkpoint/mm.c: address spaces */
struct ckpt_mm_snapshot;
int ckpt_mm_begin(struct ckpt_ctx *ctx, struct task_struct *t, u32 *objref,
		  struct ckpt_mm_snapshot **snap);
int ckpt_mm_end(struct ckpt_ctx *ctx, struct ckpt_mm_snapshot *s, bool write);
int ckpt_read_mm(struct ckpt_ctx *ctx, const struct ckpt_hdr *h);
int ckpt_read_vma(struct ckpt_ctx *ctx, const struct ckpt_hdr *h);
int ckpt_read_pages(struct ckpt_ctx *ctx, const struct ckpt_hdr *h);
int ckpt_restore_mm(struct ckpt_ctx *ctx);

/* kernel/checkpoint/files.c: open files, fd tables */
int ckpt_write_file(struct ckpt_ctx *ctx, struct file *file, u32 *objref);
int ckpt_read_file(struct ckpt_ctx *ctx, const struct ckpt_hdr *h);
int ckpt_read_string(struct ckpt_ctx *ctx, char *buf);
bool ckpt_chr_restorable(dev_t rdev);
struct ckpt_fds;
int ckpt_collect_fds(struct ckpt_ctx *ctx, struct task_struct *t,
		     struct ckpt_fds **fds);
int ckpt_write_fd_table(struct ckpt_ctx *ctx, struct task_struct *t,
			struct ckpt_fds *fds);
void ckpt_release_fds(struct ckpt_fds *fds);
u32 ckpt_fds_count(const struct ckpt_fds *fds);
struct file *ckpt_fds_file(const struct ckpt_fds *fds, unsigned int i);
struct file *ckpt_fds_lookup(const struct ckpt_fds *fds, unsigned int fd);
int ckpt_read_fd_table(struct ckpt_ctx *ctx, const struct ckpt_hdr *h);
int ckpt_restore_fds(struct ckpt_ctx *ctx, struct ckpt_rst_task *rst);
struct ckpt_new_task *ckpt_shared_owner(struct ckpt_ctx *ctx, u32 objref,
					enum ckpt_obj_type type);
int ckpt_share_fds(struct ckpt_ctx *ctx, struct ckpt_rst_task *rst);

/* kernel/checkpoint/namespaces.c: UTS and IPC namespaces */
int ckpt_write_namespaces(struct ckpt_ctx *ctx);
int ckpt_read_namespaces(struct ckpt_ctx *ctx, const struct ckpt_hdr *h);
u64 ckpt_namespaces_clone_flags(struct ckpt_ctx *ctx);
void ckpt_restore_uts(struct ckpt_ctx *ctx, struct task_struct *t);

/* kernel/checkpoint/ipc.c: SysV IPC objects */
int ckpt_write_ipc(struct ckpt_ctx *ctx, struct ipc_namespace *ns);
u32 ckpt_sysv_shm_vma(struct ckpt_ctx *ctx, struct vm_area_struct *vma,
		      const char **why);
bool ckpt_sysv_shm_prot_ok(u32 prot, u32 flags);
bool ckpt_sysv_shm_len_ok(struct ckpt_ctx *ctx, const struct ckpt_hdr_vma *v);
int ckpt_read_ipc_shm(struct ckpt_ctx *ctx, const struct ckpt_hdr *h);
int ckpt_read_ipc_sem(struct ckpt_ctx *ctx, const struct ckpt_hdr *h);
int ckpt_read_ipc_msg(struct ckpt_ctx *ctx, const struct ckpt_hdr *h);
int ckpt_read_ipc_sem_undo(struct ckpt_ctx *ctx, const struct ckpt_hdr *h);
int ckpt_read_ipc_mqueue(struct ckpt_ctx *ctx, const struct ckpt_hdr *h);
int ckpt_write_mq_file(struct ckpt_ctx *ctx, struct file *file, u32 *objref);
int ckpt_mq_open(struct ckpt_ctx *ctx, const struct ckpt_hdr_file *rec);
void ckpt_rst_mq_release(void *ptr);
int ckpt_ipc_check(struct ckpt_ctx *ctx);
int ckpt_restore_sem_undo(struct ckpt_ctx *ctx, pid_t pid);
int ckpt_attach_sysv_shm(struct ckpt_ctx *ctx, const struct ckpt_hdr_vma *v);
int ckpt_ipc_finish(struct ckpt_ctx *ctx);
void ckpt_ipc_release(struct ckpt_ctx *ctx);
void ckpt_rst_shm_release(void *ptr);

/*
 * ipc/ (patch 0007): what checkpoint reads of a SysV IPC object, and what
 * restart makes one with.  Ids are the namespace's, owners kernel ids.
 */
struct ckpt_ipc_info {
	int id;
	key_t key;
	kuid_t uid, cuid;
	kgid_t gid, cgid;
	umode_t mode;			/* permission bits */
	bool dest;			/* shm: removed, still attached */
	bool locked;			/* shm: SHM_LOCK */
	bool hugetlb;			/* shm: in huge pages */
	bool undo;			/* sem: SEM_UNDO adjustments exist */
	unsigned long size;		/* shm: bytes; sem: count; msg: qbytes */
	unsigned long count;		/* shm: attaches; msg: messages */
	unsigned long bytes;		/* msg: bytes of messages */
	time64_t atime;			/* shm: attach; sem: op; msg: send */
	time64_t dtime;			/* shm: detach; msg: receive */
	time64_t ctime;			/* change */
};

/* ipc/mqueue.c (patch 0007): what a POSIX message queue is */
struct ckpt_mq_info {
	umode_t mode;			/* permission bits */
	kuid_t uid;
	kgid_t gid;
	long maxmsg, msgsize;		/* mq_attr */
	unsigned long nr_msgs;
	bool notify;			/* mq_notify() registered */
};

int mq_ckpt_next(struct ipc_namespace *ns, char *name,
		 struct ckpt_mq_info *info, struct inode **inodep,
		 void **buf, size_t *len);
bool mq_ckpt_file(struct file *file);
int mq_ckpt_create(struct ipc_namespace *ns, const char *name,
		   const struct ckpt_mq_info *info, const void *msgs,
		   unsigned int nr, struct dentry **dentryp);

int shm_ckpt_next(struct ipc_namespace *ns, int *next,
		  struct ckpt_ipc_info *info, struct file **file);
int shm_ckpt_create(struct ipc_namespace *ns, const struct ckpt_ipc_info *info,
		    struct file **file);
int shm_ckpt_remove(struct ipc_namespace *ns, int id);
struct file *shm_ckpt_vma(struct vm_area_struct *vma, int *id);
int sem_ckpt_next(struct ipc_namespace *ns, int *next,
		  struct ckpt_ipc_info *info, u16 **vals);
int sem_ckpt_create(struct ipc_namespace *ns, const struct ckpt_ipc_info *info,
		    const u16 *vals);
int sem_ckpt_undo_next(struct ipc_namespace *ns, struct task_struct *t,
		       int *semid, short *adj, int max, int *nsems);
int sem_ckpt_set_undo(int semid, const short *adj, int nsems);
int msg_ckpt_next(struct ipc_namespace *ns, int *next,
		  struct ckpt_ipc_info *info, void **buf, size_t *len);
int msg_ckpt_create(struct ipc_namespace *ns, const struct ckpt_ipc_info *info,
		    const void *msgs, unsigned int nr);

/* kernel/checkpoint/external.c: files shared with the outside */
int ckpt_scan_pipes(struct ckpt_ctx *ctx);
const char *ckpt_shared_outside(struct ckpt_ctx *ctx, struct file *file);
int ckpt_write_external(struct ckpt_ctx *ctx, struct file *file,
			const char *why, u32 *objref);
void ckpt_external_release(struct ckpt_ctx *ctx);
int ckpt_external_open(struct ckpt_ctx *ctx, const struct ckpt_hdr_file *rec,
		       const char *name);

/* kernel/checkpoint/eventpoll.c: epoll files and their items */
bool ckpt_is_epoll(struct file *file);
int ckpt_write_epolls(struct ckpt_ctx *ctx, struct task_struct *t,
		      const struct ckpt_fds *fds, u32 first_new);
int ckpt_epoll_create(struct ckpt_ctx *ctx, const struct ckpt_hdr_file *rec);
int ckpt_read_epoll(struct ckpt_ctx *ctx, const struct ckpt_hdr *h);
int ckpt_restore_epolls(struct ckpt_ctx *ctx, struct ckpt_rst_task *rst);
void ckpt_epoll_release(struct ckpt_ctx *ctx);

/* kernel/checkpoint/pipe.c: pipes */
int ckpt_write_pipe(struct ckpt_ctx *ctx, struct file *file, u32 *objref);
int ckpt_read_pipe(struct ckpt_ctx *ctx, const struct ckpt_hdr *h);
int ckpt_reopen_pipe(struct ckpt_ctx *ctx, const struct ckpt_hdr_file *rec);
void ckpt_pipe_release(struct ckpt_rst_pipe *pipe);
int ckpt_reopen_fifo(struct ckpt_ctx *ctx, const struct ckpt_hdr_file *rec,
		     const char *path);
void ckpt_fifo_release(struct ckpt_rst_fifo *fifo);

/* kernel/checkpoint/memfd.c: memfds and shared anonymous memory */
bool ckpt_is_memfd(struct file *file);
int ckpt_write_memfd(struct ckpt_ctx *ctx, struct file *file,
		     struct ckpt_hdr_file *rec);
bool ckpt_is_shared_anon(struct file *file);
int ckpt_write_shared_anon(struct ckpt_ctx *ctx, struct file *file,
			   struct ckpt_hdr_file *rec);
int ckpt_memfd_create(struct ckpt_ctx *ctx, const struct ckpt_hdr_file *rec,
		      const char *name);
int ckpt_shared_anon_create(struct ckpt_ctx *ctx,
			    const struct ckpt_hdr_file *rec, const char *name);
int ckpt_write_shmem_pages(struct ckpt_ctx *ctx, struct file *file,
			   u32 objref, u64 size);
void ckpt_expect_shmem_pages(struct ckpt_ctx *ctx, u32 objref, u64 size,
			     u32 seals, struct file *file);
int ckpt_read_file_pages(struct ckpt_ctx *ctx, const struct ckpt_hdr *h);
void ckpt_memfd_seal(struct ckpt_ctx *ctx);

/* kernel/checkpoint/fs.c: root, working directory, umask */
int ckpt_write_fs(struct ckpt_ctx *ctx, struct task_struct *t);
int ckpt_read_fs(struct ckpt_ctx *ctx, const struct ckpt_hdr *h);
int ckpt_restore_fs(struct ckpt_ctx *ctx, struct ckpt_rst_task *rst);

/* kernel/checkpoint/cred.c: credentials */
int ckpt_write_cred(struct ckpt_ctx *ctx, struct task_struct *t);
int ckpt_read_cred(struct ckpt_ctx *ctx, const struct ckpt_hdr *h);
int ckpt_restore_cred(struct ckpt_rst_task *rst);
bool ckpt_cred_uid_ok(const struct cred *old, kuid_t uid);
bool ckpt_cred_gid_ok(const struct cred *old, kgid_t gid);

/* kernel/checkpoint/signal.c: handlers, masks, pending signals, itimers */
int ckpt_write_signals(struct ckpt_ctx *ctx, struct task_struct *t);
int ckpt_read_sighand(struct ckpt_ctx *ctx, const struct ckpt_hdr *h);
int ckpt_read_signal(struct ckpt_ctx *ctx, const struct ckpt_hdr *h);
int ckpt_read_task_signal(struct ckpt_ctx *ctx, const struct ckpt_hdr *h);
int ckpt_read_siginfo(struct ckpt_ctx *ctx, const struct ckpt_hdr *h);
struct ckpt_new_task *ckpt_leader(struct ckpt_ctx *ctx);
void ckpt_flush_pending(bool thread);
int ckpt_restore_limits(struct ckpt_ctx *ctx, struct ckpt_rst_task *rst);
int ckpt_restore_signals(struct ckpt_ctx *ctx, struct ckpt_rst_task *rst);

/* kernel/checkpoint/posix_timers.c: timer_create(2) timers */
int ckpt_collect_posix_timers(struct ckpt_ctx *ctx, struct task_struct *t,
			      struct ckpt_hdr_posix_timer **out, u32 *nr,
			      u32 *next_id);
int ckpt_write_posix_timers(struct ckpt_ctx *ctx,
			    struct ckpt_hdr_posix_timer *recs, u32 nr);
int ckpt_read_posix_timer(struct ckpt_ctx *ctx, const struct ckpt_hdr *h);
struct ckpt_rst_timer *ckpt_rst_find_timer(struct ckpt_rst_task *rst, s32 id);
int ckpt_create_posix_timers(struct ckpt_ctx *ctx, struct ckpt_rst_task *rst);
int ckpt_queue_timer_signal(struct ckpt_ctx *ctx, struct ckpt_rst_task *rst,
			    const struct ckpt_rst_siginfo *p);
int ckpt_arm_posix_timers(struct ckpt_ctx *ctx, struct ckpt_rst_task *rst);

/* kernel/checkpoint/attrs.c: scheduling, prctl state, restart blocks */
int ckpt_write_attrs(struct ckpt_ctx *ctx, struct task_struct *t);
int ckpt_write_restart_block(struct ckpt_ctx *ctx, struct task_struct *t);
int ckpt_read_restart_block(struct ckpt_ctx *ctx, const struct ckpt_hdr *h);
int ckpt_read_attrs(struct ckpt_ctx *ctx, const struct ckpt_hdr *h);
int ckpt_restore_attrs(struct ckpt_ctx *ctx, struct ckpt_rst_task *rst);
void ckpt_restore_late_attrs(struct ckpt_rst_task *rst);
void ckpt_rst_task_free(struct ckpt_rst_task *rst);

/* arch/x86/checkpoint/cpu.c */
void ckpt_arch_fill_header(struct ckpt_hdr_header *hdr);
int ckpt_arch_check_header(struct ckpt_ctx *ctx,
			   const struct ckpt_hdr_header *hdr);

/* arch/x86/checkpoint/regs.c: registers and FPU state */
int ckpt_arch_write_cpu(struct ckpt_ctx *ctx, struct task_struct *t);
int ckpt_arch_read_regs(struct ckpt_ctx *ctx, const struct ckpt_hdr *h);
int ckpt_arch_read_xstate(struct ckpt_ctx *ctx, const struct ckpt_hdr *h);
int ckpt_arch_read_tls(struct ckpt_ctx *ctx, const struct ckpt_hdr *h);
bool ckpt_arch_in_restart_block(struct task_struct *t);

#endif /* _LINUX_CHECKPOINT_H */
