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

	/* 100-199: tasks and the process tree */
	CKPT_HDR_TASK_BASE	= 100,
	/* 200-299: memory */
	CKPT_HDR_MM_BASE	= 200,
	/* 300-399: files */
	CKPT_HDR_FILES_BASE	= 300,
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

#endif /* _UAPI_LINUX_CHECKPOINT_H */
