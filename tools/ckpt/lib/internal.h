/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * Declarations shared inside libckpt (and with its tests), not part of the
 * API in ckpt.h.
 */
#ifndef CKPT_INTERNAL_H
#define CKPT_INTERNAL_H

#include <errno.h>
#include <signal.h>
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

/* The least length of a record of @type, as far as this library knows. */
uint32_t ckpt_record_min_len(uint32_t type);

/* A memory area of the address space being read: its bounds and kind. */
struct ckpt_check_vma {
	uint64_t start, end;
	uint32_t kind;
};

/*
 * Where the reader is in the image, for the checks of CKPT_READ_CHECK:
 * what the kernel's restart context keeps (kernel/checkpoint/restart.c).
 * Memory: a byte per object and 24 bytes per memory area of one address
 * space, never anything per page.
 */
struct ckpt_check {
	unsigned int flags;		/* the reader's */
	uint32_t page_size;		/* the header's, a power of two */
	uint64_t user_max;		/* highest user address (TASK_SIZE_MAX) */
	uint32_t xstate_max;		/* CKPT_READ_RESTART: this CPU's, or 0 */
	uint64_t max_map_count;		/* CKPT_READ_RESTART: this machine's, or 0 */

	uint32_t expect;		/* record type that must come next, or 0 */
	int32_t task_pid;		/* of the last task */
	uint32_t file_objref;		/* of the last file */

	uint8_t *kinds;			/* of objrefs 1 to @nr_objs */
	uint32_t nr_objs;
	size_t kinds_cap;

	uint32_t mm_objref;		/* the address space being read */
	struct ckpt_check_vma *vmas;	/* its areas so far */
	uint32_t nr_vmas, max_vmas;	/* max: what its record announced, 0
					 * once a task follows */
	size_t vmas_cap;
	uint64_t next_page;		/* lowest address the next page may have */

	char why[192];			/* what is wrong, for the message: it
					 * starts with ": " or " has" */
};

void ckpt_check_init(struct ckpt_check *c, unsigned int flags,
		     uint32_t page_size);
void ckpt_check_release(struct ckpt_check *c);

/*
 * Whether a record whose header is @h may come here, with this length.
 * Then, for a page record, its fixed part; then the record as read.  Each
 * returns CKPT_ERR_CORRUPT with @why set, or CKPT_ERR_GENERIC if out of
 * memory.
 */
enum ckpt_status ckpt_check_begin(struct ckpt_check *c,
				  const struct ckpt_hdr *h);
enum ckpt_status ckpt_check_pages_head(struct ckpt_check *c,
				       const struct ckpt_hdr_pages *p);
enum ckpt_status ckpt_check_record(struct ckpt_check *c,
				   const struct ckpt_record *rec);

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
