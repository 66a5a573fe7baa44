/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * Checkpoint/restart: system call flags and the image format.
 *
 * This header is shared with userspace (tools/ckpt, the selftests, container
 * runtimes).  Everything in the image is little-endian and fixed width; every
 * structure is a multiple of 8 bytes with explicit padding, so that the layout
 * is the same for every compiler.  See Documentation/checkpoint/image.rst.
 */
#ifndef _UAPI_LINUX_CHECKPOINT_H
#define _UAPI_LINUX_CHECKPOINT_H

#include <linux/types.h>

/*
 * checkpoint(2) flags.  CHECKPOINT_EXTERNAL: a file that the container
 * shares with the world outside it (a pipe whose other end is open
 * outside; a terminal or another device that restart does not open) is
 * saved as an external file, which restart takes from its caller, instead
 * of being refused.  Any other bit set gives -EINVAL.
 */
#define CHECKPOINT_EXTERNAL	(1U << 0)
#define CHECKPOINT_FLAGS_ALL	CHECKPOINT_EXTERNAL

/* restart(2) flags */
#define RESTART_DRY_RUN		(1U << 0)	/* validate the image, restore nothing */
/*
 * @pid is an fd of a cgroup v2 directory: the restored tree is created in
 * that cgroup (as clone3(CLONE_INTO_CGROUP) does), so that it is frozen
 * from its start if the cgroup is frozen, until the caller thaws it.
 */
#define RESTART_INTO_CGROUP	(1U << 1)
/*
 * An external file of the image is /dev/null (opened for what the file
 * was open for) rather than the caller's file at the fd it had.
 */
#define RESTART_EXTERNAL_NULL	(1U << 2)
#define RESTART_FLAGS_ALL	(RESTART_DRY_RUN | RESTART_INTO_CGROUP | \
				 RESTART_EXTERNAL_NULL)

/*
 * The image: a stream of records.  Each record starts with a ckpt_hdr, whose
 * @len counts the header and the payload; the next record starts at the next
 * 8-byte boundary, and the padding bytes are zero.  A reader takes the fields
 * it knows from a record at least as long as it knows it, and ignores the
 * trailing bytes (see the extension rule in image.rst).
 */
struct ckpt_hdr {
	__u32 type;
	__u32 len;
};

#define CKPT_RECORD_ALIGN	8

/*
 * Record types, in numbered ranges by subsystem.  Values are never reused;
 * a new incompatible meaning takes a new number or a new format version.
 */
enum ckpt_record_type {
	/* 1-99: image framing */
	CKPT_HDR_HEADER		= 1,
	CKPT_HDR_TAIL		= 2,
	CKPT_HDR_STRING		= 3,	/* struct ckpt_hdr_string + bytes */

	/* 100-199: tasks and the process tree */
	CKPT_HDR_TASK_BASE	= 100,
	CKPT_HDR_TASK		= 101,	/* struct ckpt_hdr_task */
	CKPT_HDR_TASK_ATTRS	= 102,	/* struct ckpt_hdr_task_attrs */
	CKPT_HDR_RESTART_BLOCK	= 103,	/* struct ckpt_hdr_restart_block */
	CKPT_HDR_CPU_REGS	= 110,	/* struct ckpt_hdr_cpu_regs */
	CKPT_HDR_CPU_XSTATE	= 111,	/* struct ckpt_hdr_cpu_xstate */
	CKPT_HDR_CPU_TLS	= 112,	/* struct ckpt_hdr_cpu_tls (version 3) */
	/* 200-299: memory */
	CKPT_HDR_MM_BASE	= 200,
	CKPT_HDR_MM		= 201,	/* struct ckpt_hdr_mm */
	CKPT_HDR_VMA		= 202,	/* struct ckpt_hdr_vma */
	CKPT_HDR_PAGES		= 203,	/* struct ckpt_hdr_pages + data */
	/* 300-399: files */
	CKPT_HDR_FILES_BASE	= 300,
	CKPT_HDR_FILE		= 301,	/* struct ckpt_hdr_file */
	CKPT_HDR_PIPE		= 302,	/* struct ckpt_hdr_pipe + data */
	CKPT_HDR_FD_TABLE	= 303,	/* struct ckpt_hdr_fd_table + fds */
	CKPT_HDR_FS		= 304,	/* struct ckpt_hdr_fs + 2 strings */
	CKPT_HDR_FILE_PAGES	= 305,	/* struct ckpt_hdr_file_pages + data */
	CKPT_HDR_EPOLL		= 306,	/* struct ckpt_hdr_epoll + items (v. 4) */
	/* 400-499: signals and timers */
	CKPT_HDR_SIGNAL_BASE	= 400,
	CKPT_HDR_SIGHAND	= 401,	/* struct ckpt_hdr_sighand */
	CKPT_HDR_SIGNAL		= 402,	/* struct ckpt_hdr_signal */
	CKPT_HDR_TASK_SIGNAL	= 403,	/* struct ckpt_hdr_task_signal */
	CKPT_HDR_SIGINFO	= 404,	/* struct ckpt_hdr_siginfo */
	CKPT_HDR_POSIX_TIMER	= 405,	/* struct ckpt_hdr_posix_timer (v. 3) */
	/* 500-599: SysV and POSIX IPC */
	CKPT_HDR_IPC_BASE	= 500,
	CKPT_HDR_IPC_SHM	= 501,	/* struct ckpt_hdr_ipc_shm (v. 4) */
	CKPT_HDR_IPC_SEM	= 502,	/* struct ckpt_hdr_ipc_sem + values */
	CKPT_HDR_IPC_MSG	= 503,	/* struct ckpt_hdr_ipc_msg + messages */
	CKPT_HDR_IPC_SEM_UNDO	= 504,	/* struct ckpt_hdr_ipc_sem_undo + adj */
	CKPT_HDR_IPC_MQUEUE	= 505,	/* struct ckpt_hdr_ipc_mqueue + messages */
	/* 600-699: sockets */
	CKPT_HDR_NET_BASE	= 600,
	/* 700-799: namespaces */
	CKPT_HDR_NS_BASE	= 700,
	CKPT_HDR_NAMESPACES	= 701,	/* struct ckpt_hdr_namespaces (v. 4) */
	/* 800-899: credentials */
	CKPT_HDR_CRED_BASE	= 800,
	CKPT_HDR_CRED		= 801,	/* struct ckpt_hdr_cred + groups */
};

/* "CKPTIMG" and a NUL, as a little-endian 64-bit number */
#define CKPT_MAGIC		0x00474d4954504b43ULL
/* "CKPTEND" and a NUL */
#define CKPT_TAIL_MAGIC		0x00444e4554504b43ULL

/* Bumped on every incompatible change; `ckpt convert` knows each step. */
#define CKPT_FORMAT_VERSION	4

enum ckpt_arch {
	CKPT_ARCH_X86_64	= 1,
};

#define CKPT_RELEASE_LEN	72	/* utsname()->release, NUL-padded */

/* The first record of every image. */
struct ckpt_hdr_header {
	struct ckpt_hdr h;		/* CKPT_HDR_HEADER */
	__u64 magic;			/* CKPT_MAGIC */
	__u32 version;			/* CKPT_FORMAT_VERSION */
	__u32 arch;			/* enum ckpt_arch */
	__u32 page_size;
	__u32 flags;			/* checkpoint(2) flags used */
	__u64 xfeatures;		/* user xsave features of the CPU */
	__u64 time;			/* CLOCK_REALTIME seconds at checkpoint */
	char release[CKPT_RELEASE_LEN];	/* kernel release, NUL-terminated */
};

/* The last record of every image. */
struct ckpt_hdr_tail {
	struct ckpt_hdr h;		/* CKPT_HDR_TAIL */
	__u64 magic;			/* CKPT_TAIL_MAGIC */
	__u64 records;			/* records before this one */
	__u64 bytes;			/* stream bytes before this one */
	__u32 crc32c;			/* crc32c of those bytes */
	__u32 reserved;			/* zero */
};

/*
 * The namespaces of the container, right after the header (version 4 on):
 * which of them are its own rather than those of the caller of
 * checkpoint(2), which restart then makes new for the restored tree.
 * Every task of the container is in the same ones.  The pid namespace is
 * always the container's own; the mount, network, user, cgroup and time
 * namespaces are the restarter's.
 */
#define CKPT_NS_UTS		(1U << 0)	/* hostname, domainname */
#define CKPT_NS_IPC		(1U << 1)	/* SysV IPC (records follow) */
#define CKPT_NS_FLAGS_ALL	((1U << 2) - 1)

#define CKPT_UTS_LEN		65	/* __NEW_UTS_LEN + 1 */

struct ckpt_hdr_namespaces {
	struct ckpt_hdr h;		/* CKPT_HDR_NAMESPACES */
	__u32 flags;			/* CKPT_NS_... */
	__u32 reserved;
	/* CKPT_NS_UTS: NUL-terminated and zero-padded; else all zero */
	char hostname[CKPT_UTS_LEN];
	char domainname[CKPT_UTS_LEN];
	__u8 pad[6];
};

/*
 * A string that belongs to the record before it (a file's path, say):
 * @len bytes, the last of which is the NUL, follow the fixed part.
 */
#define CKPT_STRING_MAX		4096

struct ckpt_hdr_string {
	struct ckpt_hdr h;		/* CKPT_HDR_STRING */
	__u32 len;			/* 1 to CKPT_STRING_MAX, NUL included */
	__u32 reserved;
};

/*
 * An open file (a struct file: what fds share after dup() or fork()),
 * written once however many fds and mappings use it.  A file with a path
 * is followed by a CKPT_HDR_STRING with the path (as the caller of
 * checkpoint(2) sees it); restart opens the path again and refuses a file
 * of another type or, for a regular file, another size.  An end of a pipe
 * has no path: it names its CKPT_HDR_PIPE, which comes before it.
 */
enum ckpt_file_type {
	CKPT_FILE_REG		= 1,	/* regular file */
	CKPT_FILE_DIR		= 2,	/* directory */
	CKPT_FILE_CHR		= 3,	/* /dev/null, zero, full, random, urandom */
	CKPT_FILE_PIPE		= 4,	/* one end of a pipe */
	CKPT_FILE_MEMFD		= 5,	/* memfd_create(2) */
	CKPT_FILE_EPOLL		= 6,	/* epoll_create(2) (version 4) */
	CKPT_FILE_EXTERNAL	= 7,	/* shared with the outside (v. 4) */
	CKPT_FILE_SHMEM		= 8,	/* shared anonymous memory (v. 4) */
	CKPT_FILE_FIFO		= 9,	/* a FIFO (named pipe), by path (v. 4) */
	CKPT_FILE_MQUEUE	= 10,	/* a POSIX message queue (v. 4) */
};

struct ckpt_hdr_file {
	struct ckpt_hdr h;		/* CKPT_HDR_FILE */
	__u32 objref;			/* how fds and mappings refer to it */
	__u32 type;			/* enum ckpt_file_type */
	__u32 f_flags;			/* O_* flags: access mode, O_APPEND... */
	union {
		__u32 rdev;		/* CKPT_FILE_CHR: its device number */
		__u32 fd;		/* CKPT_FILE_EXTERNAL: see below */
	};
	__u64 pos;			/* file offset */
	__u64 size;			/* CKPT_FILE_REG: its size */
	/* CKPT_FILE_PIPE, _FIFO: its pipe; _MQUEUE: its CKPT_HDR_IPC_MQUEUE */
	__u32 pipe_objref;
	__u32 seals;			/* CKPT_FILE_MEMFD: F_SEAL_* */
};

/*
 * Shared anonymous memory (mmap(MAP_SHARED | MAP_ANONYMOUS)) is an object
 * of its own, however many areas of however many processes map it (a
 * parent and its children after fork()).  Its CKPT_FILE_SHMEM record is
 * read-write, at offset 0, of the object's size, with the string
 * "dev/zero" (its name in /proc/PID/maps); its contents follow as a
 * memfd's do, and each area that maps it is a shared CKPT_VMA_FILE area
 * of it, whose pages are not in the address space's records.  (Images
 * written before it existed have such areas as CKPT_VMA_ANON | shared,
 * with their pages; restart still reads them, as memory of that process
 * alone.)
 */
#define CKPT_SHMEM_NAME		"dev/zero"

/*
 * An external file (CHECKPOINT_EXTERNAL) is not saved: its record has the
 * fd at which the first task that uses it has it open, its access mode,
 * and a CKPT_HDR_STRING that names it for people ("pipe:[INODE]" or the
 * path of the device).  Restart gives the restored tasks the file that its
 * own caller has open at that fd (or /dev/null with RESTART_EXTERNAL_NULL).
 */

/*
 * A memfd has no path: its CKPT_HDR_STRING is its name ("memfd:" and the
 * name given to memfd_create(2)), and its contents follow in one or more
 * CKPT_HDR_FILE_PAGES records, the last with @more 0: @nr_pages offsets
 * in the file, strictly increasing, then the pages.  Holes and pages of
 * zeros are not written.
 */
struct ckpt_hdr_file_pages {
	struct ckpt_hdr h;		/* CKPT_HDR_FILE_PAGES */
	__u32 objref;			/* its CKPT_HDR_FILE */
	__u32 nr_pages;			/* 0 to CKPT_PAGES_MAX */
	__u32 more;			/* 1 if another such record follows */
	__u32 reserved;
	/* followed by __u64 offset[nr_pages], then the page data */
};

/*
 * What an epoll file (CKPT_FILE_EPOLL, which has no path) watches: its
 * @nr_items items follow the fixed part, each a file at an fd, with the
 * events and data epoll_ctl(2) gave it.  One such record for each epoll
 * file, after the files of the fds of the first task that has it open and
 * before that task's record: each item's fd is open in that task, as its
 * file.  An epoll file that watches another epoll file is not saved.
 */
struct ckpt_epoll_item {
	__u32 fd;
	__u32 file_objref;		/* its CKPT_HDR_FILE */
	__u32 events;			/* EPOLLIN..., EPOLLET, EPOLLONESHOT... */
	__u32 reserved;
	__u64 data;
};

struct ckpt_hdr_epoll {
	struct ckpt_hdr h;		/* CKPT_HDR_EPOLL */
	__u32 file_objref;		/* the epoll file */
	__u32 nr_items;			/* to CKPT_FDS_MAX */
	/* followed by struct ckpt_epoll_item items[nr_items] */
};

/*
 * A pipe: its capacity (F_GETPIPE_SZ) and the @len bytes it holds, which
 * follow the fixed part.  Its ends are CKPT_FILE_PIPE files.
 *
 * The pipe of a FIFO (CKPT_PIPE_FIFO) is the same record; the files open
 * on the FIFO are CKPT_FILE_FIFO files that name it and have the FIFO's
 * path as their string.  Restart opens the path once for reading and
 * writing, which must find nobody else has the FIFO open, fills it with
 * the data, then opens it again for each file.
 */
#define CKPT_PIPE_MAX		(1U << 20)	/* the default pipe-max-size */

#define CKPT_PIPE_FIFO		(1U << 0)	/* a FIFO's (version 4) */
#define CKPT_PIPE_FLAGS_ALL	CKPT_PIPE_FIFO

struct ckpt_hdr_pipe {
	struct ckpt_hdr h;		/* CKPT_HDR_PIPE */
	__u32 objref;
	__u32 size;			/* capacity in bytes, to CKPT_PIPE_MAX */
	__u32 len;			/* bytes of data that follow, to @size */
	__u32 flags;			/* CKPT_PIPE_FIFO; 0 before */
};

/*
 * The SysV IPC objects of the container's own IPC namespace (CKPT_NS_IPC;
 * version 4): right after the namespaces record and before anything else,
 * each object once, in the order of their ids.  Each keeps the id that
 * its users have (shmget(2), semget(2), msgget(2) gave it), its key, its
 * owner and creator (as credentials are saved: ids as the caller of
 * checkpoint(2) sees them) and its permission bits.  The pids of the
 * creator and of the last operation are not saved (0 after a restart).
 */
struct ckpt_ipc_perm {
	__s32 id;			/* 0 or more */
	__s32 key;			/* 0: IPC_PRIVATE */
	__u32 uid, gid;			/* owner */
	__u32 cuid, cgid;		/* creator */
	__u32 mode;			/* permission bits: 0777 at most */
	__u32 reserved;
};

/*
 * A shared memory segment: its contents follow in CKPT_HDR_FILE_PAGES
 * records (a memfd's, see above), and memory areas that attach it are
 * CKPT_VMA_SYSV_SHM areas that name its @objref.  One that was removed
 * (IPC_RMID) while still attached (CKPT_SHM_DEST) is removed again once
 * every task has attached it; it goes with its last detach.
 */
#define CKPT_SHM_DEST		(1U << 0)	/* removed, still attached */
#define CKPT_SHM_FLAGS_ALL	CKPT_SHM_DEST

struct ckpt_hdr_ipc_shm {
	struct ckpt_hdr h;		/* CKPT_HDR_IPC_SHM */
	__u32 objref;
	__u32 flags;			/* CKPT_SHM_DEST */
	struct ckpt_ipc_perm perm;
	__u64 size;			/* shm_segsz, in bytes */
	__s64 atime, dtime, ctime;	/* shmctl(IPC_STAT)'s, in seconds */
};

/* A semaphore set: @nsems values (__u16 each, to SEMVMX) follow. */
#define CKPT_SEMS_MAX		32000	/* SEMMSL */

struct ckpt_hdr_ipc_sem {
	struct ckpt_hdr h;		/* CKPT_HDR_IPC_SEM */
	struct ckpt_ipc_perm perm;
	__u32 nsems;			/* 1 to CKPT_SEMS_MAX */
	__u32 reserved;
	__s64 otime, ctime;
	/* followed by __u16 semval[nsems], zero-padded to 8 bytes */
};

/*
 * The SEM_UNDO adjustments that a process (with its threads, which share
 * them) holds on a set: after the sets, one record per process and set,
 * a process's records together (in the order of the tasks), by set id.
 * @semid is a set of the image, @nsems its count; the adjustments (__s16
 * each, -SEMVMX to SEMVMX) follow, zero-padded to 8 bytes.  @pid is a
 * process of the image, which gets them back before it runs.
 */
struct ckpt_hdr_ipc_sem_undo {
	struct ckpt_hdr h;		/* CKPT_HDR_IPC_SEM_UNDO */
	__s32 pid;			/* a thread group leader */
	__s32 semid;
	__u32 nsems;
	__u32 reserved;
	/* followed by __s16 semadj[nsems], zero-padded to 8 bytes */
};

/*
 * A message queue: its @nr_msgs messages follow, oldest first, each a
 * struct ckpt_ipc_msg and its @size bytes of text, zero-padded to 8.
 */
#define CKPT_MSGQ_MAX		(16U << 20)	/* bytes of messages */

struct ckpt_hdr_ipc_msg {
	struct ckpt_hdr h;		/* CKPT_HDR_IPC_MSG */
	struct ckpt_ipc_perm perm;
	__u64 qbytes;			/* msg_qbytes: its capacity */
	__u32 nr_msgs;
	__u32 reserved;
	__s64 stime, rtime, ctime;
};

struct ckpt_ipc_msg {
	__s64 mtype;			/* more than 0 (an mqueue: priority) */
	__u64 size;			/* bytes of text */
};

/*
 * A POSIX message queue of the container's IPC namespace: after the SysV
 * objects, by name.  Its @nr_msgs messages follow as a SysV queue's do,
 * in the order mq_receive(3) takes them (highest priority first), each
 * struct ckpt_ipc_msg's @mtype its priority (0 to MQ_PRIO_MAX - 1).
 * Files open on it are CKPT_FILE_MQUEUE files that name its @objref in
 * @pipe_objref, with their access mode and O_NONBLOCK, and no string.
 * A queue with a notification registered (mq_notify(3)) is refused.
 */
#define CKPT_MQ_NAME_LEN	256	/* NAME_MAX + 1 */

struct ckpt_hdr_ipc_mqueue {
	struct ckpt_hdr h;		/* CKPT_HDR_IPC_MQUEUE */
	__u32 objref;
	__u32 mode;			/* permission bits: 0777 at most */
	__u32 uid, gid;			/* owner, as for SysV objects */
	__u32 nr_msgs;			/* at most @maxmsg */
	__u32 reserved;
	__s64 maxmsg, msgsize;		/* struct mq_attr's */
	/* NUL-terminated, zero-padded; no '/', not "." or ".." */
	char name[CKPT_MQ_NAME_LEN];
};

/*
 * An fd table: @nr_fds entries, by increasing fd, follow the fixed part.
 * A table shared by several tasks (CLONE_FILES) is written in full the
 * first time; later its record has the same @objref and no entries.
 */
#define CKPT_FD_CLOEXEC		(1U << 0)	/* FD_CLOEXEC */
#define CKPT_FDS_MAX		(1U << 20)	/* the default fs.nr_open */

struct ckpt_fd {
	__u32 fd;
	__u32 file_objref;		/* its CKPT_HDR_FILE */
	__u32 flags;			/* CKPT_FD_CLOEXEC */
	__u32 reserved;
};

struct ckpt_hdr_fd_table {
	struct ckpt_hdr h;		/* CKPT_HDR_FD_TABLE */
	__u32 objref;
	__u32 nr_fds;
	/* followed by struct ckpt_fd fds[nr_fds] */
};

/*
 * The file system context (fs_struct): umask, then two CKPT_HDR_STRING
 * records, the root directory and the working directory, as paths seen
 * by the caller of checkpoint(2).  Written in full for every task; tasks
 * that share one (CLONE_FS) have the same @objref.
 */
struct ckpt_hdr_fs {
	struct ckpt_hdr h;		/* CKPT_HDR_FS */
	__u32 objref;
	__u32 umask;
};

/*
 * One task (a process or a thread).  Pids are those of the container's pid
 * namespace; a process group or session of 0 is one outside it (the one
 * the container's init was started in), which restart gives back as the
 * one its restored init is started in.
 */
#define CKPT_COMM_LEN		16

struct ckpt_hdr_task {
	struct ckpt_hdr h;		/* CKPT_HDR_TASK */
	__s32 pid;
	__s32 tgid;			/* pid of its thread group leader */
	__s32 ppid;			/* 0 for the root's thread group */
	__s32 exit_signal;		/* -1 for a thread */
	__u32 personality;
	__u32 mm_objref;		/* the CKPT_HDR_MM it runs in */
	__u32 flags;			/* CKPT_TASK_... */
	__s32 exit_code;		/* a zombie's wait status */
	__u32 nr_files;			/* its open fds (a cross-check) */
	__u32 reserved;
	char comm[CKPT_COMM_LEN];	/* NUL-terminated */
	/* version 4 on: */
	__s32 pgid;			/* its process group, or 0 (outside) */
	__s32 sid;			/* its session, or 0 (outside) */
	__u32 stop_signo;		/* CKPT_TASK_STOPPED: the signal */
	__u32 reserved2;
};

/*
 * A zombie: no mm, no other record follows.  Any other task is followed,
 * in this order, by its address space (CKPT_HDR_MM with its memory areas
 * and pages) if no task before it used that one, CKPT_HDR_CPU_REGS,
 * CKPT_HDR_CPU_XSTATE, CKPT_HDR_CPU_TLS, CKPT_HDR_RESTART_BLOCK (only if
 * it was frozen in an interrupted system call that restarts with a
 * restart block), CKPT_HDR_TASK_ATTRS, CKPT_HDR_CRED, CKPT_HDR_FD_TABLE,
 * CKPT_HDR_FS, CKPT_HDR_SIGHAND, CKPT_HDR_SIGNAL and its
 * CKPT_HDR_POSIX_TIMER records, CKPT_HDR_TASK_SIGNAL, and the
 * CKPT_HDR_SIGINFO records of its pending signals.  (Up to version 3 the
 * address space came before the task record; restart still takes that
 * order for the first task of an image.)
 *
 * Tasks come in the order restart creates them: a process after its
 * parent, a thread after its thread group leader, the container's init
 * (pid 1) first.  Its threads' records follow a process's own.
 */
#define CKPT_TASK_ZOMBIE	(1U << 0)
/*
 * Version 4: the task's process is stopped by a job control signal
 * (@stop_signo: SIGSTOP, SIGTSTP, SIGTTIN or SIGTTOU) and stays stopped
 * until a SIGCONT; with CKPT_TASK_STOP_UNREPORTED, its parent's
 * waitpid(WUNTRACED) has yet to see the stop.  Set on every task of a
 * stopped process.
 */
#define CKPT_TASK_STOPPED	(1U << 1)
#define CKPT_TASK_STOP_UNREPORTED (1U << 2)
#define CKPT_TASK_FLAGS_ALL	((1U << 3) - 1)

/*
 * General registers, in the order of the x86_64 user ABI's struct
 * user_regs_struct (what PTRACE_GETREGS and core dumps hold).  A task
 * frozen in a system call has orig_ax >= 0 and, for an interrupted call,
 * ax = -ERESTART...: restart completes the restart as a thaw would.
 */
struct ckpt_x86_regs {
	__u64 r15, r14, r13, r12, bp, bx, r11, r10, r9, r8;
	__u64 ax, cx, dx, si, di, orig_ax, ip, cs, flags, sp, ss;
	__u64 fs_base, gs_base, ds, es, fs, gs;
};

struct ckpt_hdr_cpu_regs {
	struct ckpt_hdr h;		/* CKPT_HDR_CPU_REGS */
	struct ckpt_x86_regs regs;
};

/*
 * The FPU, SSE, AVX... state as the XSAVE standard (non-compacted) format of
 * the user ABI, as PTRACE_GETREGSET NT_X86_XSTATE gives it: @size bytes
 * follow the record's fixed part.
 */
struct ckpt_hdr_cpu_xstate {
	struct ckpt_hdr h;		/* CKPT_HDR_CPU_XSTATE */
	__u32 size;
	__u32 reserved;
	/* followed by @size bytes of XSAVE area */
};

/*
 * The thread-local storage descriptors of set_thread_area(2): the three
 * GDT entries from CKPT_TLS_FIRST_ENTRY on, as struct user_desc describes
 * them.  An unused entry reads as base 0, limit 0 and flags
 * CKPT_TLS_READ_EXEC_ONLY | CKPT_TLS_NOT_PRESENT.  (64-bit programs use
 * fs_base instead, in the registers; 32-bit code and some emulators use
 * these.)
 */
#define CKPT_TLS_ENTRIES	3
#define CKPT_TLS_FIRST_ENTRY	12	/* GDT_ENTRY_TLS_MIN */

#define CKPT_TLS_SEG_32BIT	(1U << 0)
#define CKPT_TLS_CONTENTS_SHIFT	1	/* 2 bits: data, stack, code */
#define CKPT_TLS_CONTENTS_MASK	(3U << CKPT_TLS_CONTENTS_SHIFT)
#define CKPT_TLS_READ_EXEC_ONLY	(1U << 3)
#define CKPT_TLS_LIMIT_IN_PAGES	(1U << 4)
#define CKPT_TLS_NOT_PRESENT	(1U << 5)
#define CKPT_TLS_USEABLE	(1U << 6)
#define CKPT_TLS_LM		(1U << 7)
#define CKPT_TLS_FLAGS_ALL	((1U << 8) - 1)

struct ckpt_tls_desc {
	__u32 entry_number;		/* CKPT_TLS_FIRST_ENTRY + index */
	__u32 base_addr;
	__u32 limit;
	__u32 flags;			/* CKPT_TLS_... */
};

struct ckpt_hdr_cpu_tls {
	struct ckpt_hdr h;		/* CKPT_HDR_CPU_TLS */
	struct ckpt_tls_desc desc[CKPT_TLS_ENTRIES];
};

/* An address space, written once however many tasks share it. */
#define CKPT_AUXV_WORDS		64

struct ckpt_hdr_mm {
	struct ckpt_hdr h;		/* CKPT_HDR_MM */
	__u32 objref;			/* how tasks refer to it */
	__u32 nr_vmas;			/* CKPT_HDR_VMA records that follow */
	__u64 start_code, end_code, start_data, end_data;
	__u64 start_brk, brk, start_stack;
	__u64 arg_start, arg_end, env_start, env_end;
	__u64 vdso;			/* base of the vDSO, 0 if none */
	__u32 exe_objref;		/* CKPT_HDR_FILE of /proc/PID/exe, or 0 */
	__u32 nr_auxv;			/* words used in @auxv */
	__u64 auxv[CKPT_AUXV_WORDS];	/* what /proc/PID/auxv shows */
};

/* Protection of a memory area (as PROT_*). */
#define CKPT_VMA_READ		(1U << 0)
#define CKPT_VMA_WRITE		(1U << 1)
#define CKPT_VMA_EXEC		(1U << 2)

/* What kind of memory area: one of */
enum ckpt_vma_kind {
	CKPT_VMA_ANON		= 1,	/* anonymous memory */
	CKPT_VMA_FILE		= 2,	/* mapping of a file */
	CKPT_VMA_VDSO		= 3,	/* the vDSO (and its vvar pages) */
	CKPT_VMA_SYSV_SHM	= 4,	/* a SysV segment, whole (version 4) */
};

/* Properties of a memory area that change behaviour */
#define CKPT_VMA_GROWSDOWN	(1U << 0)	/* a stack */
#define CKPT_VMA_LOCKED		(1U << 1)	/* mlock() */
#define CKPT_VMA_DONTFORK	(1U << 2)	/* madvise(MADV_DONTFORK) */
#define CKPT_VMA_DONTDUMP	(1U << 3)	/* madvise(MADV_DONTDUMP) */
#define CKPT_VMA_RAND_READ	(1U << 4)	/* madvise(MADV_RANDOM) */
#define CKPT_VMA_SEQ_READ	(1U << 5)	/* madvise(MADV_SEQUENTIAL) */
#define CKPT_VMA_SHARED		(1U << 6)	/* MAP_SHARED (anonymous or file) */
#define CKPT_VMA_SHM_RDONLY	(1U << 7)	/* shmat(SHM_RDONLY) (v. 4) */
#define CKPT_VMA_FLAGS_ALL	((1U << 8) - 1)

struct ckpt_hdr_vma {
	struct ckpt_hdr h;		/* CKPT_HDR_VMA */
	__u64 start;
	__u64 end;
	__u64 pgoff;			/* in pages, for a file mapping */
	__u32 kind;			/* enum ckpt_vma_kind */
	__u32 prot;			/* CKPT_VMA_READ... */
	__u32 flags;			/* CKPT_VMA_GROWSDOWN... */
	/* CKPT_VMA_FILE: its CKPT_HDR_FILE; _SYSV_SHM: its CKPT_HDR_IPC_SHM */
	__u32 file_objref;
};

/*
 * Page contents of the memory areas just described: @nr_pages addresses,
 * strictly increasing, then the pages themselves, page_size bytes each.
 * Only pages that are present and not all zero are written; private file
 * pages only where the task changed them (and then even if all zero);
 * shared file pages never (they are the file's).
 */
#define CKPT_PAGES_MAX		256

struct ckpt_hdr_pages {
	struct ckpt_hdr h;		/* CKPT_HDR_PAGES */
	__u32 nr_pages;			/* 1 to CKPT_PAGES_MAX */
	__u32 reserved;
	/* followed by __u64 addr[nr_pages], then the page data */
};

/*
 * Attributes of a task that its own syscalls set.  Pointers are addresses
 * in its address space, restored as they were (the kernel uses them at
 * exit, or on return to user mode for rseq).
 */
#define CKPT_ATTR_NO_NEW_PRIVS	(1U << 0)	/* PR_SET_NO_NEW_PRIVS */
#define CKPT_ATTR_CHILD_SUBREAPER (1U << 1)	/* PR_SET_CHILD_SUBREAPER */
#define CKPT_ATTR_FLAGS_ALL	((1U << 2) - 1)

struct ckpt_hdr_task_attrs {
	struct ckpt_hdr h;		/* CKPT_HDR_TASK_ATTRS */
	__u32 flags;			/* CKPT_ATTR_... */
	__s32 nice;			/* -20 to 19 */
	__u32 policy;			/* SCHED_OTHER, SCHED_BATCH, SCHED_IDLE... */
	__u32 rt_priority;		/* SCHED_FIFO and SCHED_RR: 1 to 99 */
	__u32 dumpable;			/* PR_GET_DUMPABLE: 0, 1 or 2 */
	__s32 pdeath_signal;		/* PR_SET_PDEATHSIG, or 0 */
	__u64 clear_child_tid;		/* set_tid_address(), or 0 */
	__u64 robust_list;		/* set_robust_list(), or 0 */
	__u64 robust_list_len;
	__u64 rseq;			/* rseq(), or 0 */
	__u32 rseq_len;
	__u32 rseq_sig;
};

/*
 * The restart block of a task frozen in a system call that the kernel
 * restarts through restart_syscall(2) (its ax is -ERESTART_RESTARTBLOCK).
 * Timeouts are saved as the time left at checkpoint and restarted with
 * that much left, whenever restart comes; absolute CLOCK_REALTIME ones (a
 * futex wait) stay absolute.
 */
enum ckpt_restart_kind {
	CKPT_RESTART_NONE	= 1,	/* restart_syscall(2) gives -EINTR */
	CKPT_RESTART_NANOSLEEP	= 2,	/* nanosleep, clock_nanosleep */
	CKPT_RESTART_POLL	= 3,	/* poll with a timeout */
	CKPT_RESTART_FUTEX	= 4,	/* FUTEX_WAIT(_BITSET) with a timeout */
};

#define CKPT_RESTART_ABSOLUTE	(1U << 0)	/* @time is CLOCK_REALTIME ns */
#define CKPT_RESTART_HAS_TIMEOUT (1U << 1)	/* poll: a timeout at all */

/* futex waits: @futex_flags */
#define CKPT_FUTEX_SHARED	(1U << 0)	/* not FUTEX_PRIVATE_FLAG */
#define CKPT_FUTEX_CLOCKRT	(1U << 1)	/* FUTEX_CLOCK_REALTIME */

struct ckpt_hdr_restart_block {
	struct ckpt_hdr h;		/* CKPT_HDR_RESTART_BLOCK */
	__u32 kind;			/* enum ckpt_restart_kind */
	__u32 flags;			/* CKPT_RESTART_ABSOLUTE... */
	__s64 time;			/* ns left (or CLOCK_REALTIME ns) */
	__u64 addr;			/* nanosleep: rmtp; poll: ufds;
					 * futex: uaddr
					 */
	__u32 clockid;			/* nanosleep: CLOCK_MONOTONIC... */
	__u32 type;			/* nanosleep: 1 if rmtp is set, or 0 */
	__u32 val;			/* poll: nfds; futex: the value */
	__u32 futex_flags;		/* futex: CKPT_FUTEX_... */
	__u32 bitset;			/* futex: FUTEX_WAIT_BITSET's bitset */
	__u32 reserved;
};

/*
 * Credentials, as ids of the user namespace of the caller of
 * checkpoint(2); @nr_groups supplementary gids follow the fixed part.
 * Restart refuses ids and capabilities that its caller could not have set
 * on itself.
 */
#define CKPT_GROUPS_MAX		65536	/* NGROUPS_MAX */

struct ckpt_hdr_cred {
	struct ckpt_hdr h;		/* CKPT_HDR_CRED */
	__u32 uid, euid, suid, fsuid;
	__u32 gid, egid, sgid, fsgid;
	__u64 cap_inheritable, cap_permitted, cap_effective;
	__u64 cap_bset, cap_ambient;
	__u32 securebits;
	__u32 nr_groups;
	/* followed by __u32 groups[nr_groups], padded to 8 bytes */
};

/*
 * Signal handlers (sighand_struct), shared like the fd table: the first
 * time, @nr actions follow (one per signal, 1 to 64); later, none.
 */
#define CKPT_NSIG		64

struct ckpt_sigaction {
	__u64 handler;			/* SIG_DFL 0, SIG_IGN 1, or an address */
	__u64 flags;			/* SA_... */
	__u64 restorer;
	__u64 mask;			/* bit n-1 for signal n */
};

struct ckpt_hdr_sighand {
	struct ckpt_hdr h;		/* CKPT_HDR_SIGHAND */
	__u32 objref;
	__u32 nr;			/* CKPT_NSIG, or 0 */
	/* followed by struct ckpt_sigaction action[nr] */
};

/* An interval timer: time left and interval, in ns (0: disarmed). */
struct ckpt_itimer {
	__u64 value;
	__u64 interval;
};

enum ckpt_itimer_which {
	CKPT_ITIMER_REAL	= 0,
	CKPT_ITIMER_VIRTUAL	= 1,
	CKPT_ITIMER_PROF	= 2,
	CKPT_NR_ITIMERS		= 3,
};

/* The resource limits of a process, in the order of RLIMIT_* on x86_64. */
#define CKPT_NR_RLIMITS		16

struct ckpt_rlimit {
	__u64 cur;			/* ~0: RLIM_INFINITY */
	__u64 max;
};

/*
 * What the threads of a process share (signal_struct): its interval
 * timers, resource limits and POSIX timers (@nr_posix_timers
 * CKPT_HDR_POSIX_TIMER records follow, by increasing id).  Its pending
 * signals (shared) are among the CKPT_HDR_SIGINFO records of its first
 * task.
 */
#define CKPT_POSIX_TIMERS_MAX	65536	/* per process, at most */

struct ckpt_hdr_signal {
	struct ckpt_hdr h;		/* CKPT_HDR_SIGNAL */
	__u32 objref;
	__u32 nr_posix_timers;		/* version 2: reserved, 0 */
	struct ckpt_itimer itimer[CKPT_NR_ITIMERS];
	struct ckpt_rlimit rlim[CKPT_NR_RLIMITS];
	/* version 3 on: */
	__u32 next_posix_timer_id;	/* the id timer_create(2) tries next */
	__u32 reserved;
};

/*
 * A POSIX timer (timer_create(2)), on one of the clocks that count
 * wall or elapsed time: CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_BOOTTIME
 * or CLOCK_TAI.  The time left is relative: an absolute (TIMER_ABSTIME)
 * timer is restarted to expire after the same time left.  If its signal
 * is pending, that is one of the CKPT_HDR_SIGINFO records, with
 * CKPT_SIGINFO_TIMER.
 */
struct ckpt_hdr_posix_timer {
	struct ckpt_hdr h;		/* CKPT_HDR_POSIX_TIMER */
	__s32 id;			/* timer_t: 0 to INT_MAX */
	__s32 clock;			/* CLOCK_... */
	__s32 notify;			/* SIGEV_SIGNAL, _NONE, _THREAD, or
					 * SIGEV_SIGNAL | SIGEV_THREAD_ID
					 */
	__s32 notify_tid;		/* SIGEV_THREAD_ID: the thread; else 0 */
	__u32 signo;			/* sigev_signo */
	__u32 reserved;
	__u64 value;			/* sigev_value */
	__u64 left;			/* ns to its next expiry; 0: disarmed */
	__u64 interval;			/* ns; 0: one-shot */
	__s64 overrun;			/* expiries missed since the last
					 * signal was delivered (-1: none)
					 */
	__s64 overrun_last;		/* what timer_getoverrun(2) returns */
};

/*
 * A task's own signal state: its blocked mask, its alternate signal stack,
 * and how many CKPT_HDR_SIGINFO records follow (its pending signals, then
 * its process's, each in the order they were queued).
 */
struct ckpt_hdr_task_signal {
	struct ckpt_hdr h;		/* CKPT_HDR_TASK_SIGNAL */
	__u64 blocked;			/* bit n-1 for signal n */
	__u64 altstack_sp;		/* sigaltstack(), 0 if none */
	__u64 altstack_size;
	__u32 altstack_flags;		/* SS_AUTODISARM */
	__u32 nr_pending;		/* CKPT_HDR_SIGINFO records that follow */
};

#define CKPT_SIGINFO_SIZE	128	/* sizeof(siginfo_t) */
#define CKPT_PENDING_MAX	4096	/* pending signals per task, at most */

/*
 * A pending signal, with its siginfo_t as rt_sigqueueinfo(2) takes it.
 * CKPT_SIGINFO_TIMER marks the signal of the POSIX timer si_timerid
 * itself: the timer's own, queued once (a timer that fires again while
 * it is pending counts an overrun instead).
 */
#define CKPT_SIGINFO_SHARED	(1U << 0)	/* pending for the process */
#define CKPT_SIGINFO_TIMER	(1U << 1)	/* a POSIX timer's (version 3) */
#define CKPT_SIGINFO_FLAGS_ALL	((1U << 2) - 1)

struct ckpt_hdr_siginfo {
	struct ckpt_hdr h;		/* CKPT_HDR_SIGINFO */
	__u32 signo;			/* 1 to 64 */
	__u32 flags;			/* CKPT_SIGINFO_SHARED */
	__u8 info[CKPT_SIGINFO_SIZE];
};

#endif /* _UAPI_LINUX_CHECKPOINT_H */
