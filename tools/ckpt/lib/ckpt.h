/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * libckpt: what a program needs to use checkpoint(2) and restart(2) and to
 * read the images they write.  The ckpt command is built on it; a container
 * runtime can link it too.
 *
 * The image format is defined in <linux/checkpoint.h> (include/uapi in the
 * kernel tree); this library follows the same rules as the kernel's reader
 * in kernel/checkpoint/ (image.c for the stream, restart.c and the readers
 * of each record type for the records), so that an image it accepts is one
 * that restart(2) accepts as well (as far as this version of the format
 * goes).
 */
#ifndef CKPT_H
#define CKPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <signal.h>
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
	CKPT_ERR_NO_CONTAINER	= 8,	/* no such process or container (ESRCH) */
	CKPT_ERR_NOT_FROZEN	= 9,	/* cannot freeze it: EBUSY, timeout, root
					 * cgroup, or the caller's own cgroup */
	CKPT_ERR_PERM		= 10,	/* permission denied (EPERM) */
	CKPT_ERR_KERNEL		= 11,	/* the kernel refused for another reason */
	CKPT_ERR_NETWORK	= 12,	/* migration: cannot resolve, connect or
					 * listen, the connection was lost, or
					 * the other side did not answer as
					 * ckpt does */
	/* 13 and up: reserved for later kinds */
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
#define CKPT_READ_RESTART	(1U << 0)	/* check as restart(2) will on
						 * this machine: all that
						 * CKPT_READ_CHECK does, and
						 * this machine's arch, page
						 * size and XSAVE size, its
						 * vm.max_map_count, no unknown
						 * records */
#define CKPT_READ_DECOMPRESS	(1U << 1)	/* an lz4 stream (see below) is
						 * decompressed on the fly */
#define CKPT_READ_CHECK		(1U << 2)	/* check the records as
						 * restart(2) does, short of
						 * what depends on the machine:
						 * see below */
#define CKPT_READ_ANY_VERSION	(1U << 3)	/* also read images of the
						 * older format versions this
						 * library knows (from
						 * CKPT_OLDEST_VERSION on), by
						 * the rules of their version:
						 * for `ckpt convert`; ignored
						 * with CKPT_READ_RESTART */

/* The oldest format version CKPT_READ_ANY_VERSION reads (and converts). */
#define CKPT_OLDEST_VERSION	1

/*
 * With CKPT_READ_CHECK (or CKPT_READ_RESTART), each record of a type this
 * library knows is checked as kernel/checkpoint/ checks it at restart,
 * so that it refuses what restart(2) refuses as a corrupt image (EBADMSG),
 * in a dry run or not:
 *
 *  - it comes where it may: the namespaces record first after the header
 *    (format version 4 on), then, only if it has CKPT_NS_IPC, the SysV
 *    IPC objects of the container (each shared memory segment followed
 *    by its contents as a memfd's are, semaphore sets, message queues),
 *    the SEM_UNDO adjustments of its processes (on sets before them,
 *    each process's together, by set id) and its POSIX message queues
 *    (by name) before any other record, a string after each file that
 *    has a path (not a file open on a message queue) (or
 *    a memfd, its name, then the records of its pages up to the one that
 *    says no more follow), the items record of each epoll file after it
 *    and before the next task, once, the mm's announced number of memory
 *    areas right after it, page records only after those and before the
 *    next task; tasks in the order restart creates them (the root of the
 *    tree first, a live process with parent 0, which a real restart wants
 *    to be pid 1, the container's init; a process after its parent, a
 *    thread after its thread group leader, both live processes, the
 *    thread with its leader's parent; each pid once); after each task
 *    that is not a zombie, in
 *    this order, its address space (mm, memory areas and pages) if no
 *    task before it used it (only the first task may come right after
 *    its own instead, as version 3 had it), its registers, its xstate,
 *    its TLS descriptors, its restart block (if and only if its
 *    registers say it is restarting a system call with one: orig_ax >= 0
 *    and ax -ERESTART_RESTARTBLOCK), its attributes,
 *    credentials, fd table, fs (and two strings: root, then working
 *    directory), signal handlers, signal record, as many POSIX timers as
 *    that one announces, task signal record and as many pending signals
 *    as that one announces;
 *  - its length is within the bounds of its type, exactly that of the
 *    TLS and signal records, and exactly what its counts say for a
 *    record with entries or data (pages, a memfd's pages, a pipe's data,
 *    fds, signal actions, groups padded to 8 bytes, semaphore values
 *    and SEM_UNDO adjustments padded to 8 bytes, messages each padded
 *    to 8 bytes, up to CKPT_MSGQ_MAX bytes of them);
 *  - objrefs are given out in order of first appearance (1, 2, ...) to
 *    every object (file, pipe, mm, fd table, fs, signal handlers, signal
 *    record, SysV shm segment, POSIX message queue); a record that
 *    refers to one, or shares one (an fd table, fs, handlers or signal
 *    record written before), names one defined before it, of the right
 *    kind (an area that attaches a SysV segment, a segment; a file open
 *    on a message queue, a queue); a shared fd table or set of
 *    handlers is written with no entries, and a task's number of open
 *    files is that of its fd table; a signal record is shared by the
 *    threads of its process only, which have none of their own, and
 *    written again without POSIX timers, and a process's pending signals
 *    come with its first task;
 *  - its fields make sense: user-space addresses (below TASK_SIZE_MAX:
 *    this machine's with CKPT_READ_RESTART, else that of 5-level
 *    paging), memory areas page aligned, sorted and disjoint, shared ones
 *    neither the vDSO nor growing down nor read-only anonymous memory,
 *    an area that attaches a SysV segment shared, whole, at offset 0,
 *    with the protection shmat(2) gives (read-only with
 *    CKPT_VMA_SHM_RDONLY, which no other area has), pages in increasing
 *    order inside the anonymous areas and private file mappings of
 *    their mm, user segments in the registers, an XSAVE
 *    area of at least 576 bytes in the standard format with only the
 *    header's features, namespace flags and names (a hostname and
 *    domainname with CKPT_NS_UTS only, NUL-terminated and zero-padded),
 *    SysV IPC objects of each kind in increasing order of id, with
 *    permission bits only and owners other than -1, segments of 1 byte
 *    to 2^63 - 1 with a private key if removed (CKPT_SHM_DEST), 1 to
 *    CKPT_SEMS_MAX semaphores of at most SEMVMX, messages of a type above
 *    0 in a queue whose capacity is at most INT_MAX, SEM_UNDO
 *    adjustments of a process (a live process of the image, checked
 *    once all tasks are read) on a set of as many semaphores, each
 *    within -SEMVMX to SEMVMX, POSIX message queues with a name of one
 *    path component, NUL-terminated and zero-padded, permission bits
 *    only, an owner other than -1, attributes above 0, no more messages
 *    than their maximum, each of a priority below MQ_PRIO_MAX and no
 *    longer than the queue's message size, a file open on one with its
 *    access mode and O_NONBLOCK only, no offset, size or device,
 *    absolute paths (a memfd's name starts with "memfd:"), an epoll file
 *    open O_RDWR with no offset, size or device, its items at fds below
 *    CKPT_FDS_MAX with known events, each watching a file before it that
 *    is no epoll file, an external file (shared with the outside) at an fd
 *    below CKPT_FDS_MAX with an access mode and no other flag, offset or
 *    size, a memfd open O_RDWR with known seals and its pages in
 *    increasing order of page-aligned offsets inside it, no seals on
 *    other files, an end of a pipe open for reading or for writing, fds
 *    in increasing order below CKPT_FDS_MAX, pipe capacities, a umask of
 *    at most 0777, restart blocks with the fields of their kind,
 *    scheduling values (nice, policy, real-time priority), dumpable and
 *    pdeath signal, robust list and rseq areas, known capabilities and
 *    securebits, task flags, process groups and sessions (0 or more, 0
 *    for a group outside the container only in a session outside it; once
 *    all tasks are read, a group's processes in one session, and a
 *    process whose pid is that of a group or session in that session and
 *    no thread),
 *    stop signals (SIGSTOP, SIGTSTP, SIGTTIN or SIGTTOU, only for a
 *    stopped task, never a zombie), exit signals (-1 for a thread only),
 *    no exit status for a live task, no zombie thread, handlers (none for
 *    SIGKILL and SIGSTOP), timers below 2^63 ns, TLS descriptors for GDT
 *    entries 12 to 14 that
 *    set_thread_area(2) takes (none, or a present 32-bit data segment),
 *    at most CKPT_POSIX_TIMERS_MAX POSIX timers in increasing order of
 *    id, each on CLOCK_REALTIME, MONOTONIC, BOOTTIME or TAI, notifying as
 *    timer_create(2) lets it (with SIGEV_THREAD_ID a live thread of its
 *    process, checked once all tasks are read; the task itself up to
 *    version 3), with a signal unless SIGEV_NONE and
 *    overrun counts, a POSIX timer's own pending signal
 *    (CKPT_SIGINFO_TIMER) with SI_TIMER and the id of one of its
 *    process's timers that sends that signal, once, shared unless the
 *    timer signals a thread, and then pending for that thread, alternate
 *    signal
 *    stacks, signal numbers (SIGKILL never pending), soft resource
 *    limits at most the hard ones, known kinds and flags, reserved
 *    fields zero, and no unknown flags in the header.
 *
 * What restart(2) checks against its caller (ids, capabilities,
 * scheduling: EPERM) or the machine's files (ENOENT, ESTALE...), and what
 * it cannot restore yet (EOPNOTSUPP), is not checked.
 *
 * An image of an older version (CKPT_READ_ANY_VERSION) is checked by the
 * rules of that version: version 1 had none of the records after the
 * xstate, no pipes or memfds, and a file record 8 bytes shorter; version
 * 2 had no TLS record, a signal record 8 bytes shorter (of at least that
 * length) whose nr_posix_timers was a reserved field, zero, no POSIX
 * timers and no CKPT_SIGINFO_TIMER; version 3 had a task record 16 bytes
 * shorter (of at least that length), no task flag but CKPT_TASK_ZOMBIE,
 * no namespaces record, no epoll files, no IPC records, areas that
 * attach a SysV segment or files open on a message queue, each address space before the task that uses it
 * first, no order of the tasks, and one task per process with POSIX
 * timers, which a timer signals if it signals a thread.
 *
 * A record of a type it does not know is passed on, unless something else
 * must come there (and refused with CKPT_READ_RESTART, as the kernel
 * refuses it).  It costs 5 bytes per object, 24 bytes per memory area of
 * one address space, 20 bytes per POSIX timer of one process and (version
 * 4) at most 100 bytes per task, 12 per POSIX timer that signals a
 * thread, 8 per SysV shared memory segment and per semaphore set and at
 * most 16 per process with SEM_UNDO adjustments, never anything per
 * page, per fd or per message.
 */

/* One record, as ckpt_read_record() returns it. */
struct ckpt_record {
	uint64_t offset;	/* of its ckpt_hdr in the stream */
	uint64_t index;		/* 0 for the header record */
	struct ckpt_hdr hdr;	/* its type and length, as in the image */
	const void *data;	/* the record from its ckpt_hdr on, valid until
				 * the next call; 8-byte aligned */
	uint32_t data_len;	/* bytes at @data: hdr.len, or at most
				 * CKPT_RECORD_KEEP; for a CKPT_HDR_PAGES
				 * record, only its fixed part and its
				 * addresses (see ckpt_record_pages()); for
				 * a CKPT_HDR_FILE_PAGES record, its fixed
				 * part and offsets (see
				 * ckpt_record_file_pages()); for a
				 * CKPT_HDR_PIPE record, only its fixed
				 * part */
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

/*
 * For a program that copies an image record by record (`ckpt convert`):
 * the bytes of a record that the reader does not keep (data_len less than
 * hdr.len: a page record's pages, a pipe's data, the end of a record
 * longer than CKPT_RECORD_KEEP) are handed to @fn as they stream past,
 * before ckpt_read_record() returns that record.  For each such record, @fn
 * is called first with @buf NULL and @len 0, once the kept part is read
 * (and checked, as far as it goes), then with each piece of the rest, in
 * order; the padding is not passed.  A status other than CKPT_OK from @fn
 * stops the reader with that status ("stopped by its caller").  @fn NULL
 * removes it.
 */
typedef enum ckpt_status ckpt_bulk_fn(void *arg, const struct ckpt_record *rec,
				      const void *buf, size_t len);
void ckpt_reader_set_bulk(struct ckpt_reader *r, ckpt_bulk_fn *fn, void *arg);

/* The header and tail records once read (their known fields), else NULL. */
const struct ckpt_hdr_header *ckpt_reader_header(const struct ckpt_reader *r);
const struct ckpt_hdr_tail *ckpt_reader_tail(const struct ckpt_reader *r);

/* What the last error was, as one line without the file name. */
const char *ckpt_reader_error(const struct ckpt_reader *r);

/*
 * With CKPT_READ_DECOMPRESS, once the first record was asked for: "lz4" if
 * the stream is compressed, else NULL.  Offsets and messages are always
 * about the image, the decompressed stream.
 */
const char *ckpt_reader_compression(const struct ckpt_reader *r);

/*
 * The addresses of the pages of a CKPT_HDR_PAGES record, as read: *@nr of
 * them (at most CKPT_PAGES_MAX), or NULL with *@nr 0 for another record.
 * The page data itself is read, counted and checksummed, never kept: a
 * page record of 256 pages costs the reader its 2 KiB of addresses.
 */
const uint64_t *ckpt_record_pages(const struct ckpt_record *rec,
				  uint32_t *nr);

/*
 * The offsets in the memfd of the pages of a CKPT_HDR_FILE_PAGES record,
 * as read: *@nr of them (at most CKPT_PAGES_MAX), or NULL with *@nr 0 for
 * another record.  The page data is never kept, as for
 * ckpt_record_pages().
 */
const uint64_t *ckpt_record_file_pages(const struct ckpt_record *rec,
				       uint32_t *nr);

/*
 * "header", "tail", "string", "task", "task_attrs", "restart_block",
 * "registers", "xstate", "tls", "mm", "vma", "pages", "file", "pipe",
 * "fd_table", "fs", "file_pages", "sighand", "signal", "posix_timer",
 * "task_signal", "siginfo", "cred", "epoll", "namespaces", "ipc_shm",
 * "ipc_sem", "ipc_msg", "ipc_sem_undo", "ipc_mqueue", or "unknown"
 */
const char *ckpt_record_type_name(uint32_t type);

/* "x86_64", or NULL for an arch this library does not know */
const char *ckpt_arch_name(uint32_t arch);

/* "anon", "file", "vdso", "sysv_shm" (enum ckpt_vma_kind), or NULL */
const char *ckpt_vma_kind_name(uint32_t kind);

/* For one CKPT_VMA_* flag bit: "growsdown", "locked", "dontfork",
 * "dontdump", "randread", "seqread", "shared", "shm_rdonly", or NULL */
const char *ckpt_vma_flag_name(uint32_t flag);

/* "reg", "dir", "chr", "pipe", "memfd", "epoll", "external", "shmem",
 * "fifo", "mqueue" (enum ckpt_file_type), or NULL */
const char *ckpt_file_type_name(uint32_t type);

/* "none", "nanosleep", "poll", "futex" (enum ckpt_restart_kind), or NULL */
const char *ckpt_restart_kind_name(uint32_t kind);

/*
 * The name of signal @signo as x86_64 numbers them: "SIGHUP" to "SIGSYS"
 * for 1 to 31, "SIGRTMIN" (32), "SIGRTMIN+1" to "SIGRTMIN+31", "SIGRTMAX"
 * (64); NULL for another number.
 */
const char *ckpt_signal_name(uint32_t signo);

/* "cpu", "fsize", ... "rttime": RLIMIT_* in the image's order, or NULL */
const char *ckpt_rlimit_name(uint32_t resource);

/* "real", "virtual", "prof" (enum ckpt_itimer_which), or NULL */
const char *ckpt_itimer_name(uint32_t which);

/* ---- lz4 streams ---- */

/*
 * An image can be stored and sent compressed, as a standard lz4 stream (the
 * frame format of liblz4, which `lz4 -d` decodes; link -llz4 too).  Its
 * magic number, 0x184d2204 little-endian at offset 0, cannot begin an image,
 * whose first bytes are the header record's type, 1: so the two are told
 * apart by their first 4 bytes.  The encoder and the decoder work in
 * bounded memory (a few MiB at most, whatever the image and the frame say).
 */
#define CKPT_LZ4_MAGIC		0x184d2204U

/* Whether the @len bytes at @buf begin an lz4 stream: 1 or 0. */
int ckpt_is_lz4(const void *buf, size_t len);

/*
 * Whether the stream on @fd begins with an lz4 frame, looked at without
 * consuming it: 1 or 0 (0 too for a stream shorter than the magic).  Works
 * on files, block devices, pipes and FIFOs (with tee(2)) and sockets
 * (MSG_PEEK); it may wait for the first bytes to arrive.  -1 with errno
 * ESPIPE on anything else (a character device), or another errno on error.
 */
int ckpt_fd_is_lz4(int fd);

/* Where an encoder puts the stream: 0, or -1 with errno. */
typedef int ckpt_write_fn(void *arg, const void *buf, size_t len);

struct ckpt_lz4_encoder;

/*
 * A compressor that hands each piece of the lz4 stream to @write as soon as
 * it is made.  The frame has block and content checksums, so a decoder
 * catches damage in each block before passing its bytes on.  NULL (errno
 * set) if out of memory.
 */
struct ckpt_lz4_encoder *ckpt_lz4_encoder_new(ckpt_write_fn *write,
					      void *arg);
/* Compress @len bytes, any number, to the stream. */
enum ckpt_status ckpt_lz4_encode(struct ckpt_lz4_encoder *e, const void *buf,
				 size_t len);
/* Flush what is buffered and end the frame with its checksum. */
enum ckpt_status ckpt_lz4_encode_end(struct ckpt_lz4_encoder *e);
/* After an error: what went wrong, as one line ("" if nothing did). */
const char *ckpt_lz4_encoder_error(const struct ckpt_lz4_encoder *e);
void ckpt_lz4_encoder_free(struct ckpt_lz4_encoder *e);

struct ckpt_lz4_decoder;

/*
 * A decompressor of lz4 frames, one after the other (as `lz4 -d` reads
 * them), skippable frames skipped.  NULL (errno set) if out of memory.
 */
struct ckpt_lz4_decoder *ckpt_lz4_decoder_new(void);
/*
 * Decompress from the *@in_len bytes at @in into the *@out_len bytes of room
 * at @out; on return, *@in_len is how many were taken and *@out_len how many
 * were made.  Either may be 0 on a call.  A caller loops while input is
 * left or @out was filled, emptying @out in between: a filled @out may mean
 * more is decoded already, which a call with no input (*@in_len 0) passes
 * on, so do that before waiting for more input, and at its end before
 * ckpt_lz4_decode_end().  CKPT_ERR_CORRUPT for a damaged stream
 * (bad checksum, block or header, or bytes after a frame that are no frame),
 * CKPT_ERR_GENERIC if out of memory.
 */
enum ckpt_status ckpt_lz4_decode(struct ckpt_lz4_decoder *d, const void *in,
				 size_t *in_len, void *out, size_t *out_len);
/* At the end of the input: CKPT_ERR_TRUNCATED if it ended inside a frame. */
enum ckpt_status ckpt_lz4_decode_end(struct ckpt_lz4_decoder *d);
/* After an error: what went wrong, as one line ("" if nothing did). */
const char *ckpt_lz4_decoder_error(const struct ckpt_lz4_decoder *d);
void ckpt_lz4_decoder_free(struct ckpt_lz4_decoder *d);

/* ---- Pumps: the image through the caller's hands ---- */

/*
 * checkpoint(2) and restart(2) take the image fd as it is: the fastest way.
 * To compress the image, decompress it, or count its bytes as they flow, a
 * pump stands in between: the kernel gets one end of a pipe
 * (ckpt_pump_fd()), and a thread of the pump moves the image between the
 * other end and the caller's fd, 256 KiB at a time.  The pump's thread
 * blocks all signals, so that they reach the caller's threads (a SIGINT
 * still interrupts the system call), and a reader that went away is EPIPE,
 * never a SIGPIPE.  Link with -llz4 (and -pthread where libc needs it).
 */

/* Pump flags: one of the directions, and what to do on the way. */
#define CKPT_PUMP_WRITE	(1U << 0)	/* for checkpoint(2): the kernel
					 * writes the image, the pump writes
					 * it to fd */
#define CKPT_PUMP_READ	(1U << 1)	/* for restart(2): the pump reads fd,
					 * decompressing an lz4 stream, which
					 * it detects; the kernel reads the
					 * image */
#define CKPT_PUMP_LZ4	(1U << 2)	/* with WRITE: compress the image to an
					 * lz4 stream */

/* How far a pump is, for a progress report. */
struct ckpt_pump_stats {
	uint64_t image_bytes;	/* of the image: what the kernel wrote, or
				 * what it has read */
	uint64_t stream_bytes;	/* what went through the caller's fd: the
				 * lz4 stream, compressed or not */
	uint64_t elapsed_ns;	/* since the pump started */
	int lz4;		/* whether the stream on fd is lz4 */
	int done;		/* the last report: the pump has finished */
};

/*
 * Called about once a second while the image flows, from the pump's thread,
 * and once more with @done set, from ckpt_pump_finish() in the caller's.
 */
typedef void ckpt_pump_progress_fn(const struct ckpt_pump_stats *st,
				   void *arg);

struct ckpt_pump;

/*
 * Start a pump between the kernel and @fd (which stays the caller's), with
 * the flags above and a progress report, or NULL.  NULL (errno set) on
 * failure: EINVAL for bad flags.
 */
struct ckpt_pump *ckpt_pump_start(int fd, unsigned int flags,
				  ckpt_pump_progress_fn *progress, void *arg);

/*
 * The fd to pass to checkpoint(2) or restart(2): the pump's, which closes
 * it; it is close-on-exec.  Any copy of it (a fork() meanwhile) keeps the
 * pump from seeing the end of the image.
 */
int ckpt_pump_fd(const struct ckpt_pump *p);

/*
 * Once the system call has returned, @kernel_ok saying whether it succeeded:
 * let the pump finish and report the end.
 *
 * After a successful checkpoint(2), this waits until the pump has written
 * the whole image to fd (and the end of the lz4 frame): only then is the
 * image complete.  Otherwise the pump stops at once: after restart(2), what
 * the kernel did not read is not part of the image; after a failed
 * checkpoint(2), the stream on fd is left unfinished (an lz4 stream without
 * its end), so that no reader takes it for complete.
 *
 * Returns the pump's own failure: an error of fd, or a damaged lz4 stream
 * (CKPT_ERR_TRUNCATED or CKPT_ERR_CORRUPT), with ckpt_pump_error() saying
 * what it was.  After a failed system call, that failure is what made it
 * fail (the pump gave up first, and the kernel saw EPIPE or a short image),
 * and CKPT_OK means the kernel's error is the one to report.  After a
 * restart(2) that succeeded, it is CKPT_OK: what the pump met past the
 * image does not count.
 *
 * If *@stop (may be NULL) becomes non-zero while this waits, e.g. set by a
 * signal handler, it returns CKPT_ERR_GENERIC at once with errno EINTR; the
 * pump is told to stop, and ckpt_pump_free() waits for it to end, which may
 * be as long as a write(2) on fd that is under way.
 */
enum ckpt_status ckpt_pump_finish(struct ckpt_pump *p, int kernel_ok,
				  const volatile sig_atomic_t *stop);

/* What the pump's failure was, as one line ("" if none). */
const char *ckpt_pump_error(const struct ckpt_pump *p);

/* Stop the pump if it still runs, wait for its thread, and free it. */
void ckpt_pump_free(struct ckpt_pump *p);

/* ---- cgroup v2: where containers live, and the freezer ---- */

/*
 * checkpoint(2) saves only tasks that the cgroup v2 freezer has frozen, and
 * never freezes anything itself; so a container is a cgroup of its own,
 * <cgroup v2 root>/ckpt/NAME, that holds its processes and nothing else.
 *
 * These functions return 0 (or what is said) on success, -1 with errno set on
 * failure, like libc; a cgroup is the path of its directory.  The functions
 * that wait give up with ETIMEDOUT after @timeout_ms milliseconds, or
 * CKPT_FREEZE_TIMEOUT_MS if it is 0 or less.
 */
#define CKPT_NAME_MAX		64	/* a container's name is its hostname */
#define CKPT_CGROUP_PARENT	"ckpt"	/* the group that holds containers */
#define CKPT_FREEZE_TIMEOUT_MS	10000

/*
 * Whether @name can name a container: 1 to CKPT_NAME_MAX letters, digits,
 * '.', '_' and '-', not starting with '.' or '-'.  1 if so, else 0.
 */
int ckpt_valid_name(const char *name);

/*
 * Where cgroup v2 is mounted: /sys/fs/cgroup if it is cgroup2, else the first
 * cgroup2 mount of the whole hierarchy in /proc/self/mountinfo (a hybrid host
 * has it at /sys/fs/cgroup/unified).  ENOENT if there is none.
 */
int ckpt_cgroup_root(char *buf, size_t size);

/* <root>/ckpt/NAME, whether it exists or not.  EINVAL for a bad name. */
int ckpt_cgroup_path(const char *name, char *buf, size_t size);

/*
 * Create the cgroup of container @name (and <root>/ckpt if need be; no
 * controller is enabled) and put its path in @buf.  Returns 0 if it was
 * created, 1 if it existed already.
 */
int ckpt_cgroup_create(const char *name, char *buf, size_t size);

/*
 * The cgroup v2 group of process @pid ("0::/path" in /proc/PID/cgroup),
 * under ckpt_cgroup_root().  ESRCH if there is no such process.
 */
int ckpt_cgroup_of_pid(pid_t pid, char *buf, size_t size);

/* Freeze: write 1 to cgroup.freeze and wait for "frozen 1" in cgroup.events. */
int ckpt_cgroup_freeze(const char *cgroup, int timeout_ms);

/* Thaw: write 0 to cgroup.freeze and wait for "frozen 0". */
int ckpt_cgroup_thaw(const char *cgroup, int timeout_ms);

/*
 * Kill every process in @cgroup (cgroup.kill, or before Linux 5.14 a SIGKILL
 * to each process of the frozen group) and wait until it is empty.
 */
int ckpt_cgroup_kill(const char *cgroup, int timeout_ms);

/* Remove the empty cgroup @cgroup; one that is already gone is no error. */
int ckpt_cgroup_remove(const char *cgroup);

/* ---- Containers ---- */

/*
 * The calls below return a status; on failure, errno is that of the step that
 * failed, and if @msg is not NULL it gets one line (no newline) saying why,
 * with the kernel's own reason from the logfd when it gave one.  A caller
 * that prints it needs nothing else: `ckpt` prints "ckpt: " and @msg.
 *
 * Link with -lcap as well as libckpt.a: ckpt_perm_hint() uses libcap.
 */

struct ckpt_run_opts {
	const char *name;	/* NULL: "ckpt-" and the caller's pid */
	char *const *argv;	/* the program (looked up in PATH) and its
				 * arguments, NULL-terminated */
	char *msg;		/* why it failed, or NULL */
	size_t msg_size;
};

/*
 * Start argv[0] as the init of a new container: new pid, UTS, IPC and mount
 * namespaces, hostname @name, in the cgroup of @name from its first
 * instruction (clone3() with CLONE_INTO_CGROUP), in a session of its own.
 * It keeps the caller's stdin, stdout and stderr and its other fds that are
 * not close-on-exec.  On success, *@host_pid is its pid in the caller's pid
 * namespace; the caller is its parent and reaps it, or exits and leaves it
 * running.  Returns only once the program was executed, or failed to be.
 */
enum ckpt_status ckpt_run_container(const struct ckpt_run_opts *opts,
				    pid_t *host_pid);

/* What becomes of a container once its image is complete. */
enum ckpt_after {
	CKPT_LEAVE_RUNNING = 0,	/* thawed: it carries on as if nothing happened */
	CKPT_KILL,		/* killed: by name, the whole cgroup, which is
				 * removed; by pid, the saved tree (the whole
				 * cgroup if it holds nothing else) */
};

struct ckpt_checkpoint_opts {
	pid_t pid;		/* the root of the tree to save; its cgroup is
				 * the one frozen */
	const char *name;	/* or the container of this name: its cgroup,
				 * and the one process tree in it */
	int fd;			/* the image goes here: file, pipe or socket */
	enum ckpt_after after;
	unsigned int flags;	/* checkpoint(2) flags: CHECKPOINT_EXTERNAL */
	int timeout_ms;		/* to freeze; 0: CKPT_FREEZE_TIMEOUT_MS */
	/*
	 * If not NULL, the call gives up and thaws the container once *@stop
	 * is not 0, e.g. set by a SIGINT handler: waiting for the freezer ends
	 * at once, checkpoint(2) on a pipe or socket ends with EINTR, and one
	 * that completed all the same counts as failed (nothing is killed).
	 */
	const volatile sig_atomic_t *stop;
	FILE *verbose;		/* if not NULL, a line for each step */
	char *msg;		/* why it failed, or NULL */
	size_t msg_size;
	/*
	 * If not NULL, called once checkpoint(2) has succeeded and before the
	 * container is thawed or killed, to complete the image: a caller
	 * whose @fd is a ckpt_pump's waits there until the pump has written it
	 * all (ckpt_pump_finish()).  A status other than CKPT_OK fails the
	 * checkpoint as a failed checkpoint(2) would: the container is thawed,
	 * never killed.  It may write @msg.
	 */
	enum ckpt_status (*complete)(void *arg, char *msg, size_t msg_size);
	void *complete_arg;
};

/*
 * Freeze the container's cgroup, checkpoint(2) it to @fd, then thaw it or
 * kill it.  A container that fails to checkpoint is always thawed, so it runs
 * on as before; one whose cgroup was frozen already is left frozen.  The
 * caller must not be in that cgroup (CKPT_ERR_NOT_FROZEN), and SIGPIPE is
 * blocked in the calling thread during checkpoint(2), so that an image pipe
 * whose reader went away gives EPIPE rather than a frozen container.
 */
enum ckpt_status
ckpt_checkpoint_container(const struct ckpt_checkpoint_opts *opts);

struct ckpt_restart_opts {
	int fd;			/* the image, open for reading */
	unsigned int flags;	/* restart(2) flags: RESTART_DRY_RUN,
				 * RESTART_EXTERNAL_NULL */
	const char *name;	/* the restored container's name, or NULL:
				 * its cgroup is <root>/ckpt/NAME, which it is
				 * restarted into (RESTART_INTO_CGROUP) */
	bool frozen;		/* with @name: leave it frozen there */
	pid_t pid;		/* out: the restored init, in our pid ns */
	char *msg;		/* why it failed, or NULL */
	size_t msg_size;
};

/*
 * restart(2) the image on @fd.  With RESTART_DRY_RUN the kernel checks the
 * whole image and CKPT_OK means it is valid.  Without it, the kernel
 * restores the container's init in a new pid namespace and @pid tells its
 * pid; with @name it is restored straight into the container's own cgroup,
 * frozen first and thawed after unless @frozen (RESTART_INTO_CGROUP).  An
 * image the kernel refuses gives the status `ckpt info` gives it; what the
 * kernel cannot restore yet gives CKPT_ERR_KERNEL (EOPNOTSUPP).
 */
enum ckpt_status ckpt_restart_container(struct ckpt_restart_opts *opts);

/*
 * ckpt_restart_container() of an image on any fd: a file, a pipe or a
 * socket, compressed or not.  An lz4 stream (told by its first bytes,
 * looked at without reading them where the fd allows: see
 * ckpt_fd_is_lz4()), and any image if @progress is not NULL, passes
 * through a pump (CKPT_PUMP_READ, with @progress and @arg); otherwise the
 * kernel reads @opts->fd itself.  If the kernel refused the image because
 * the pump failed first (the input could not be read, or its lz4 stream is
 * damaged), that is the failure reported, with errno that of the pump's
 * read.  Nothing past the image's tail is read, or kept by the pump.
 */
enum ckpt_status ckpt_restart_stream(struct ckpt_restart_opts *opts,
				     ckpt_pump_progress_fn *progress,
				     void *arg);

/* ---- Migration: a container over TCP ---- */

/*
 * ckpt_migrate_container() sends a container to a receiver that
 * ckpt_restart_receive() serves (`ckpt migrate` to `ckpt restart
 * --listen`), on one TCP connection, which the sender opens:
 *
 *  1. The sender writes the image, as checkpoint(2) writes it or as an
 *     lz4 stream of it (as `ckpt checkpoint [-z]` would write it to a
 *     file), and nothing before it; then it shuts down its side of the
 *     connection (FIN).  The receiver tells an lz4 stream by its magic.
 *  2. The receiver hands the image to restart(2), which reads it up to its
 *     tail, and answers with one line of at most CKPT_ANSWER_MAX bytes,
 *     newline included, printable ASCII:
 *
 *         ckpt-restart 1 STATUS PID MESSAGE\n
 *
 *     "ckpt-restart" and the version of this protocol, 1; STATUS, the
 *     outcome as an enum ckpt_status in decimal (the exit status of the
 *     `ckpt restart` that received it); PID, the restored init's pid in
 *     the receiver's pid namespace, or 0; MESSAGE, why it failed, or
 *     "restarted", or "image OK".  STATUS 0 with a PID means the container
 *     runs there; STATUS 0 with PID 0 that the image was only checked
 *     (RESTART_DRY_RUN).  The receiver answers a failure as soon as it
 *     knows it, and may then close the connection before the rest of the
 *     image has arrived; the sender reads the answer that came before the
 *     reset.  Then each side closes the connection.
 *  3. The sender kills its container (CKPT_KILL) only after an answer of
 *     STATUS 0 with a PID, and thaws it after anything else: a failure,
 *     a dry run, no answer, or a lost connection.
 *
 * So a container is never lost, but it may run twice: if the connection
 * is lost after the receiver sent its answer, and before the sender read
 * it, the receiver runs it and the sender thaws it too.  A receiver that
 * cannot send its answer of success kills what it restored, as the sender
 * will thaw its own.
 *
 * Both ends give up on a peer whose kernel stops answering, after about
 * CKPT_NET_DEAD_PEER_S seconds (TCP keepalive and TCP_USER_TIMEOUT): a
 * live peer may take as long as it needs.  There is no authentication:
 * whoever can connect to a listening receiver has it restart(2) an image
 * of theirs, with the receiver's privileges.  Listen on a trusted network
 * or address only, or carry the connection through a tunnel (ssh -L).
 */
#define CKPT_ANSWER_MAX		1024
#define CKPT_MIGRATE_VERSION	1
#define CKPT_NET_DEAD_PEER_S	60
#define CKPT_CONNECT_TIMEOUT_MS	30000

/*
 * Addresses: "HOST:PORT", HOST being an IPv4 address, an IPv6 address
 * (best in brackets, [::1]:7000; without them the last colon ends it),
 * or a name; PORT a number, 1 to 65535.  A numeric address needs no name
 * service: a static program (such as ckpt) takes it anywhere.  A name is
 * looked up with getaddrinfo(), which a static glibc does in /etc/hosts
 * and DNS only.
 *
 * The calls below return a status (CKPT_ERR_USAGE for an address of the
 * wrong form, CKPT_ERR_NETWORK for a name that does not resolve or a
 * connection that fails) and, in @msg if not NULL, one line saying why.
 */

/*
 * Connect to @address, trying each of its addresses in turn, each for at
 * most @timeout_ms milliseconds (CKPT_CONNECT_TIMEOUT_MS if 0 or less);
 * give up with CKPT_ERR_GENERIC, errno EINTR, once *@stop (may be NULL)
 * is not 0.  *@fd: the connection, close-on-exec, with keepalive.
 */
enum ckpt_status ckpt_net_connect(const char *address, int timeout_ms,
				  const volatile sig_atomic_t *stop, int *fd,
				  char *msg, size_t msg_size);

/*
 * Listen on @address: "PORT" (every address of this machine, IPv6 and
 * IPv4), or "HOST:PORT" (that address only; [::]:PORT is every IPv6 and
 * IPv4 address too).  *@fd: the listening socket, close-on-exec, with
 * SO_REUSEADDR.  A port below 1024 without CAP_NET_BIND_SERVICE is
 * CKPT_ERR_PERM.
 */
enum ckpt_status ckpt_net_listen(const char *address, int *fd, char *msg,
				 size_t msg_size);

/*
 * Accept one connection on the listening socket @listen_fd, waiting as
 * long as it takes.  *@fd: the connection, close-on-exec, with keepalive;
 * @peer (if not NULL): where it comes from, "ADDR:PORT" or
 * "[IPV6ADDR]:PORT".
 */
enum ckpt_status ckpt_net_accept(int listen_fd, int *fd, char *peer,
				 size_t peer_size, char *msg,
				 size_t msg_size);

/* What a receiver answered (see above). */
struct ckpt_answer {
	enum ckpt_status status;
	pid_t pid;
	char msg[CKPT_ANSWER_MAX];
};

/*
 * The receiver's part: write the answer to the connection @fd, its message
 * made one line of printable ASCII, and shut down the sending side.  0, or
 * -1 with errno if the answer could not be sent (EPIPE, ECONNRESET: the
 * sender is gone).
 */
int ckpt_answer_send(int fd, enum ckpt_status status, pid_t pid,
		     const char *message);

/*
 * The sender's part: read the answer from @fd, waiting at most
 * @timeout_ms milliseconds (forever if 0 or less) and giving up once
 * *@stop (may be NULL) is not 0.  CKPT_OK with @answer filled in;
 * CKPT_ERR_NETWORK if the connection ends or fails without an answer, or
 * with something that is not one (@msg says which); CKPT_ERR_GENERIC with
 * errno EINTR once stopped, ETIMEDOUT after @timeout_ms.
 */
enum ckpt_status ckpt_answer_read(int fd, int timeout_ms,
				  const volatile sig_atomic_t *stop,
				  struct ckpt_answer *answer, char *msg,
				  size_t msg_size);

struct ckpt_migrate_opts {
	pid_t pid;		/* the container, as in ckpt_checkpoint_opts: */
	const char *name;	/* a pid, or a name */
	const char *to;		/* the receiver, "HOST:PORT"; or NULL: */
	int fd;			/* a connection to it that the caller opened
				 * (a stream socket; the caller closes it) */
	bool lz4;		/* send the image as an lz4 stream */
	enum ckpt_after after;	/* once the receiver runs it: CKPT_KILL (a
				 * move), or CKPT_LEAVE_RUNNING (a copy) */
	unsigned int flags;	/* checkpoint(2) flags */
	int timeout_ms;		/* to freeze; 0: CKPT_FREEZE_TIMEOUT_MS */
	int connect_timeout_ms;	/* 0: CKPT_CONNECT_TIMEOUT_MS */
	/*
	 * As in ckpt_checkpoint_opts: once *@stop is not 0, the migration
	 * gives up, and the container is thawed; but not after the receiver
	 * said it runs the container, which is then killed (or thawed) here
	 * as asked.
	 */
	const volatile sig_atomic_t *stop;
	FILE *verbose;		/* if not NULL, a line for each step */
	ckpt_pump_progress_fn *progress;	/* if not NULL, the image passes
						 * through a pump, which
						 * reports how far it is */
	void *progress_arg;
	pid_t remote_pid;	/* out: the restored init, on the receiver */
	char *msg;		/* why it failed, or NULL */
	size_t msg_size;
};

/*
 * Move a container to the receiver @to (or on @fd): check that the
 * container is there and can be frozen, connect, freeze it, checkpoint(2)
 * it onto the connection (through a pump with @lz4 or @progress), end the
 * image, and wait for the receiver's answer; then kill the container
 * (CKPT_KILL) or thaw it (CKPT_LEAVE_RUNNING) once the receiver runs it,
 * else thaw it.
 *
 * The status is that of the step that failed: the container's (as
 * ckpt_checkpoint_container() gives it), the connection's
 * (CKPT_ERR_NETWORK), or the receiver's, whose STATUS it is (but
 * CKPT_ERR_GENERIC for a receiver that only checked the image, or
 * answered CKPT_ERR_USAGE).  @msg says which, and whether the container
 * runs on here.
 */
enum ckpt_status ckpt_migrate_container(struct ckpt_migrate_opts *opts);

/*
 * The receiver: ckpt_restart_stream() of the image that comes on the
 * connection @opts->fd (@progress and @arg as there), then the answer to
 * the sender (ckpt_answer_send()), with the outcome and @opts->msg.  If
 * the answer of a successful restart cannot be sent, the sender will thaw
 * its container: the one restored here is killed again (the whole cgroup
 * with @opts->name), and the status is CKPT_ERR_NETWORK.  A connection lost
 * while the image came is CKPT_ERR_NETWORK too (an image that ends early
 * is a truncated one, as restart(2) says).  The caller closes @opts->fd.
 */
enum ckpt_status ckpt_restart_receive(struct ckpt_restart_opts *opts,
				      ckpt_pump_progress_fn *progress,
				      void *arg);

/* ---- Converting an image of an older format version ---- */

/*
 * Restart of a format version 1 image gave the restored task no fds,
 * default signal handlers, an empty blocked mask, no alternate signal
 * stack, no pending signals and no interval timers, and left it the
 * credentials, resource limits, umask, root, working directory, nice
 * value, scheduling policy and dumpable attribute of the caller of
 * restart(2).  Version 2 saves all of these; the conversion writes what
 * version 1 restart gave, taking the caller's part from the process that
 * converts (so: convert as you would restart, as the same user, in the
 * same directory).  This is that part.
 */
struct ckpt_convert_caller {
	int32_t nice;			/* getpriority() */
	uint32_t policy;		/* sched_getscheduler() */
	uint32_t rt_priority;		/* sched_getparam() */
	uint32_t dumpable;		/* PR_GET_DUMPABLE */
	uint32_t uid, euid, suid, fsuid;	/* getresuid(), setfsuid(-1) */
	uint32_t gid, egid, sgid, fsgid;
	uint64_t cap_inheritable, cap_permitted, cap_effective;	/* capget() */
	uint64_t cap_bset, cap_ambient;	/* PR_CAPBSET_READ, PR_CAP_AMBIENT */
	uint32_t securebits;		/* PR_GET_SECUREBITS */
	uint32_t nr_groups;		/* getgroups() */
	uint32_t *groups;		/* malloc'ed */
	uint32_t umask;
	char cwd[CKPT_STRING_MAX];	/* getcwd() */
	struct ckpt_rlimit rlim[CKPT_NR_RLIMITS];	/* getrlimit() */
};

/*
 * Fill @c with this process's state.  CKPT_OK, or CKPT_ERR_GENERIC with
 * @msg (if not NULL) saying what could not be read.
 */
enum ckpt_status ckpt_convert_caller_get(struct ckpt_convert_caller *c,
					 char *msg, size_t msg_size);
void ckpt_convert_caller_free(struct ckpt_convert_caller *c);

struct ckpt_convert_opts {
	int fd;			/* the image to convert, read in order (an lz4
				 * stream is decompressed) */
	ckpt_write_fn *write;	/* where the converted image goes, uncompressed */
	void *write_arg;
	/* what the converted tasks get from their restarter; NULL: this
	 * process's, as ckpt_convert_caller_get() reads it */
	const struct ckpt_convert_caller *caller;
	uint32_t version;	/* out: the input's format version, once read */
	char *msg;		/* why it failed, or NULL */
	size_t msg_size;
};

/*
 * Convert the image on @fd to the current format version, streaming: one
 * record at a time is in memory, and 4 bytes per object of the input.  An
 * image of the current version is copied as it is (@version tells).  An
 * older one goes through each step from its version on, record by record:
 * version 1 to 2, then 2 to 3, then 3 to 4.
 *
 * From version 1 to 2: after the xstate of each task that is not a zombie, the
 * records version 2 added are inserted, with what restart of version 1
 * gave (see above): attributes (flags 0, the caller's nice value, policy
 * and dumpable, no pdeath signal, no clear_child_tid, robust list or
 * rseq), the caller's credentials, an fd table with no fds, an fs with the
 * caller's umask, root "/" and the caller's working directory, default
 * signal handlers, a signal record with no timers and the caller's
 * resource limits, and a task signal record with nothing blocked, no
 * alternate stack and nothing pending.  The threads of a process share its
 * fd table, fs, handlers and signal record.  The objrefs that follow are
 * renumbered to keep them in order of first appearance, and file records
 * get the fields version 2 added (zero).
 *
 * From version 2 to 3: after the xstate of each task that is not a zombie,
 * a TLS record with its three descriptors unused (as checkpoint writes
 * them: base 0, limit 0, CKPT_TLS_READ_EXEC_ONLY | CKPT_TLS_NOT_PRESENT),
 * and each signal record gets the fields version 3 added (no POSIX
 * timers: next_posix_timer_id 0); the rest is copied as it is, objrefs
 * included.  Version 2 had no POSIX timers (its checkpoint refused them)
 * and on x86_64 the TLS descriptors of its tasks were those of the
 * caller of restart(2), unused for a 64-bit program such as ckpt.
 *
 * From version 3 to 4: a namespaces record after the header, with none
 * of the container's own (the restored tree in the UTS and IPC namespaces
 * of the caller of restart(2), as version 3 restarted it), and each task
 * record gets the fields version 4 added, zero: process group and session
 * 0 (outside the container, where restart of version 3 left the restored
 * init), not stopped.  The order of the
 * records is kept: version 4 takes the address space of the first task
 * before its task record, as version 3 wrote it, but wants any other
 * right after the record of the task that uses it first, where it cannot
 * be moved without holding its pages.
 *
 * The tail is recomputed.
 *
 * Refused: an image the reader refuses (with its status), a record of a
 * type its version did not have (CKPT_ERR_CORRUPT), and with
 * CKPT_ERR_GENERIC a task with open fds or frozen in a system call that
 * restarts with a restart block, which version 1 did not save (its
 * restart(2) refused such an image), and an image of version 3 or older
 * with an address space after its first task record, or two before it (a
 * process tree: its later address spaces come before their tasks), or
 * whose first task is not the root of a tree (a live process with parent
 * 0).  On failure what was written is no complete image: it has no tail.
 */
enum ckpt_status ckpt_convert(struct ckpt_convert_opts *opts);

/*
 * After EPERM from checkpoint(2) or (@restart not 0) restart(2): what this
 * process lacks, from its effective capabilities, as a static string:
 * "needs CAP_CHECKPOINT_RESTORE (or CAP_SYS_ADMIN)" if it has neither, else
 * what else the kernel checks (ptrace access, for a checkpoint).  NULL if the
 * capabilities cannot be read.
 */
const char *ckpt_perm_hint(int restart);

#ifdef __cplusplus
}
#endif

#endif /* CKPT_H */
