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

/* checkpoint(2) flags: none defined yet; any bit set gives -EINVAL. */
#define CHECKPOINT_FLAGS_ALL	0U

/* restart(2) flags */
#define RESTART_DRY_RUN		(1U << 0)	/* validate the image, restore nothing */
#define RESTART_FLAGS_ALL	(RESTART_DRY_RUN)

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
	CKPT_HDR_CPU_REGS	= 110,	/* struct ckpt_hdr_cpu_regs */
	CKPT_HDR_CPU_XSTATE	= 111,	/* struct ckpt_hdr_cpu_xstate */
	/* 200-299: memory */
	CKPT_HDR_MM_BASE	= 200,
	CKPT_HDR_MM		= 201,	/* struct ckpt_hdr_mm */
	CKPT_HDR_VMA		= 202,	/* struct ckpt_hdr_vma */
	CKPT_HDR_PAGES		= 203,	/* struct ckpt_hdr_pages + data */
	/* 300-399: files */
	CKPT_HDR_FILES_BASE	= 300,
	CKPT_HDR_FILE		= 301,	/* struct ckpt_hdr_file */
	/* 400-499: signals and timers */
	CKPT_HDR_SIGNAL_BASE	= 400,
	/* 500-599: SysV and POSIX IPC */
	CKPT_HDR_IPC_BASE	= 500,
	/* 600-699: sockets */
	CKPT_HDR_NET_BASE	= 600,
	/* 700-799: namespaces */
	CKPT_HDR_NS_BASE	= 700,
	/* 800-899: credentials */
	CKPT_HDR_CRED_BASE	= 800,
};

/* "CKPTIMG" and a NUL, as a little-endian 64-bit number */
#define CKPT_MAGIC		0x00474d4954504b43ULL
/* "CKPTEND" and a NUL */
#define CKPT_TAIL_MAGIC		0x00444e4554504b43ULL

/* Bumped on every incompatible change; `ckpt convert` knows each step. */
#define CKPT_FORMAT_VERSION	1

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
 * An open file, written once however many fds and mappings use it, and
 * followed by a CKPT_HDR_STRING with its path (as the caller of
 * checkpoint(2) sees it).  Restart opens the path again and refuses a file of another type
 * or, for a regular file, another size.
 */
enum ckpt_file_type {
	CKPT_FILE_REG		= 1,	/* regular file */
	CKPT_FILE_DIR		= 2,	/* directory */
	CKPT_FILE_CHR		= 3,	/* character device */
};

struct ckpt_hdr_file {
	struct ckpt_hdr h;		/* CKPT_HDR_FILE */
	__u32 objref;			/* how fds and mappings refer to it */
	__u32 type;			/* enum ckpt_file_type */
	__u32 f_flags;			/* O_* flags it was opened with */
	__u32 rdev;			/* CKPT_FILE_CHR: its device number */
	__u64 pos;			/* file offset */
	__u64 size;			/* CKPT_FILE_REG: its size */
};

/*
 * One task (a process or a thread), followed by its CPU state records.
 * Pids are those of the container's pid namespace.
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
	__u32 flags;			/* CKPT_TASK_ZOMBIE */
	__s32 exit_code;		/* a zombie's wait status */
	__u32 nr_files;			/* its open fds (not saved yet) */
	__u32 reserved;
	char comm[CKPT_COMM_LEN];	/* NUL-terminated */
};

/*
 * A zombie: no mm, no CPU records follow.  Any other task is followed by
 * its CKPT_HDR_CPU_REGS and CKPT_HDR_CPU_XSTATE records.
 */
#define CKPT_TASK_ZOMBIE	(1U << 0)

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
	CKPT_VMA_ANON		= 1,	/* private anonymous memory */
	CKPT_VMA_FILE		= 2,	/* private mapping of a file */
	CKPT_VMA_VDSO		= 3,	/* the vDSO (and its vvar pages) */
};

/* Properties of a memory area that change behaviour */
#define CKPT_VMA_GROWSDOWN	(1U << 0)	/* a stack */
#define CKPT_VMA_LOCKED		(1U << 1)	/* mlock() */
#define CKPT_VMA_DONTFORK	(1U << 2)	/* madvise(MADV_DONTFORK) */
#define CKPT_VMA_DONTDUMP	(1U << 3)	/* madvise(MADV_DONTDUMP) */
#define CKPT_VMA_RAND_READ	(1U << 4)	/* madvise(MADV_RANDOM) */
#define CKPT_VMA_SEQ_READ	(1U << 5)	/* madvise(MADV_SEQUENTIAL) */
#define CKPT_VMA_FLAGS_ALL	((1U << 6) - 1)

struct ckpt_hdr_vma {
	struct ckpt_hdr h;		/* CKPT_HDR_VMA */
	__u64 start;
	__u64 end;
	__u64 pgoff;			/* in pages, for a file mapping */
	__u32 kind;			/* enum ckpt_vma_kind */
	__u32 prot;			/* CKPT_VMA_READ... */
	__u32 flags;			/* CKPT_VMA_GROWSDOWN... */
	__u32 file_objref;		/* CKPT_VMA_FILE: its CKPT_HDR_FILE */
};

/*
 * Page contents of the memory areas just described: @nr_pages addresses,
 * strictly increasing, then the pages themselves, page_size bytes each.
 * Only pages that are present and not all zero are written; private file
 * pages only where the task changed them (and then even if all zero).
 */
#define CKPT_PAGES_MAX		256

struct ckpt_hdr_pages {
	struct ckpt_hdr h;		/* CKPT_HDR_PAGES */
	__u32 nr_pages;			/* 1 to CKPT_PAGES_MAX */
	__u32 reserved;
	/* followed by __u64 addr[nr_pages], then the page data */
};

#endif /* _UAPI_LINUX_CHECKPOINT_H */
