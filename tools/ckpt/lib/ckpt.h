/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * libckpt: what a program needs to use checkpoint(2) and restart(2) and to
 * read the images they write.  The ckpt command is built on it; a container
 * runtime can link it too.
 *
 * The image format is defined in <linux/checkpoint.h> (include/uapi in the
 * kernel tree); this library follows the same rules as the kernel's reader
 * in kernel/checkpoint/image.c, so that an image it accepts is one that
 * restart(2) accepts as well (as far as this version of the format goes).
 */
#ifndef CKPT_H
#define CKPT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include <linux/checkpoint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The result of a library call, which is also the exit status of the ckpt
 * command, so that a script can tell the kinds of failure apart.  Values are
 * never reused; new kinds take the next free number.
 */
enum ckpt_status {
	CKPT_OK			= 0,
	CKPT_ERR_GENERIC	= 1,	/* I/O error, cannot open, no memory */
	CKPT_ERR_USAGE		= 2,	/* bad command line */
	CKPT_ERR_NOT_IMAGE	= 3,	/* empty, bad magic, no header first */
	CKPT_ERR_TRUNCATED	= 4,	/* the stream ends before the tail */
	CKPT_ERR_CORRUPT	= 5,	/* bad checksum, counts, length, padding */
	CKPT_ERR_ARCH		= 6,	/* not an image for this machine */
	CKPT_ERR_VERSION	= 7,	/* unsupported format version */
	/* 8 and up: reserved for later kinds (no such container, ...) */
};

/* ---- System calls (x86_64 numbers 463 and 464) ---- */

/*
 * Like libc wrappers: 0 on success, -1 with errno set on failure.  @logfd is
 * a file the kernel writes the reason for a failure to, or -1.
 */
int ckpt_checkpoint(pid_t pid, int fd, unsigned int flags, int logfd);
int ckpt_restart(pid_t pid, int fd, unsigned int flags, int logfd);

/* ---- CRC-32C (Castagnoli), as in the image's tail record ---- */

/*
 * Incremental, zlib style: start with crc = 0 and feed the result of each
 * call into the next; ckpt_crc32c(ckpt_crc32c(0, a), b) is the CRC-32C of
 * a followed by b.  ckpt_crc32c(0, "123456789", 9) == 0xe3069283.
 */
uint32_t ckpt_crc32c(uint32_t crc, const void *buf, size_t len);

/* ---- Reading an image ---- */

/*
 * The most of one record the reader keeps in memory, and the longest header
 * record it accepts (as the kernel's CKPT_RECORD_MAX_LEN).  The bytes of a
 * longer record past this are read, counted and checksummed, but not kept.
 */
#define CKPT_RECORD_KEEP	(64 * 1024)

/* Reader flags */
#define CKPT_READ_RESTART	(1U << 0)	/* check as restart(2) will:
						 * this machine's arch and page
						 * size, no unknown records */

/* One record, as ckpt_read_record() returns it. */
struct ckpt_record {
	uint64_t offset;	/* of its ckpt_hdr in the stream */
	uint64_t index;		/* 0 for the header record */
	struct ckpt_hdr hdr;	/* its type and length, as in the image */
	const void *data;	/* the record from its ckpt_hdr on, valid until
				 * the next call */
	uint32_t data_len;	/* bytes at @data: hdr.len, or at most
				 * CKPT_RECORD_KEEP */
};

struct ckpt_reader;

/*
 * Read an image from @fd or @file, which the reader does not close.  It reads
 * in order, never seeks, and keeps only one record in memory, so a pipe and a
 * many-GiB image both work.  Returns NULL (errno set) if out of memory.
 */
struct ckpt_reader *ckpt_reader_from_fd(int fd, unsigned int flags);
struct ckpt_reader *ckpt_reader_from_file(FILE *file, unsigned int flags);
void ckpt_reader_free(struct ckpt_reader *r);

/*
 * Read and check the next record: first the header, last the tail.  Returns
 * CKPT_OK, or an error status with ckpt_reader_error() saying what is wrong;
 * after an error, every later call returns the same one.  The tail record is
 * returned only once it is checked against the stream, so a caller loops
 * until it gets a record of type CKPT_HDR_TAIL.
 */
enum ckpt_status ckpt_read_record(struct ckpt_reader *r,
				  struct ckpt_record *rec);

/*
 * After the tail: read the rest of the stream to its end and count it.
 * restart(2) stops at the tail, so such bytes are not part of the image.
 */
enum ckpt_status ckpt_read_trailing(struct ckpt_reader *r, uint64_t *bytes);

/* The header and tail records once read (their known fields), else NULL. */
const struct ckpt_hdr_header *ckpt_reader_header(const struct ckpt_reader *r);
const struct ckpt_hdr_tail *ckpt_reader_tail(const struct ckpt_reader *r);

/* What the last error was, as one line without the file name. */
const char *ckpt_reader_error(const struct ckpt_reader *r);

/* "header", "tail", or "unknown" */
const char *ckpt_record_type_name(uint32_t type);

/* "x86_64", or NULL for an arch this library does not know */
const char *ckpt_arch_name(uint32_t arch);

#ifdef __cplusplus
}
#endif

#endif /* CKPT_H */
