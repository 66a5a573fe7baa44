// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Reading an image: records one at a time, checked as restart(2) checks them
 * (kernel/checkpoint/image.c), in the same order, so that each kind of damage
 * gets the same diagnosis from the tool as from the kernel.
 *
 * The image is untrusted input.  Every length in it is a __u32 and is only
 * ever compared, or used to count bytes as they stream past; memory is the
 * reader and one record of at most CKPT_RECORD_KEEP bytes, whatever the
 * image says.  Offsets are 64-bit, so no sum of lengths can wrap.
 *
 * With CKPT_READ_DECOMPRESS, an lz4 stream is told by its first 4 bytes and
 * decoded below the record layer: everything above it sees the image, and
 * its offsets.
 *
 * With CKPT_READ_CHECK, each record is also checked as restart(2) checks
 * it (check.c): where it comes, its length and its fields.  Of a page
 * record (of memory or of a memfd) only the fixed part and the addresses
 * or offsets are kept, of a pipe only its fixed part; the page and pipe
 * data streams past, counted and checksummed, and so does the end of a
 * record longer than CKPT_RECORD_KEEP (the entries of an fd table of more
 * than 4095 fds are checked as they stream past).  A record is read in
 * this order: its ckpt_hdr, the fixed part that says how long it is (if
 * its type has one), what is kept of it, then the rest and the padding;
 * each is checked as soon as it is read.
 */
#include <errno.h>
#include <stdalign.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ckpt.h"
#include "internal.h"

/* The image is little-endian and this code reads its fields in place. */
#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
# error "libckpt reads little-endian images on little-endian hosts only"
#endif

/* How much is read from an fd at a time. */
#define INPUT_BUF_SIZE		(64 * 1024)

#define offsetofend(type, member) \
	(offsetof(type, member) + sizeof(((type *)0)->member))

/* The first bytes of an image that say what it is: type, len, magic. */
#define HEADER_ID_LEN		offsetofend(struct ckpt_hdr_header, magic)

struct ckpt_reader {
	/* the input: one of the two */
	int fd;
	FILE *file;
	unsigned int flags;

	unsigned char in[INPUT_BUF_SIZE];
	size_t in_len;			/* bytes held in @in */
	size_t in_off;			/* of which consumed */

	/* CKPT_READ_DECOMPRESS: an lz4 stream, decoded into @in */
	bool detected;			/* its first bytes were looked at */
	struct ckpt_lz4_decoder *lz4;	/* NULL: not compressed */
	unsigned char *zin;		/* INPUT_BUF_SIZE compressed bytes */
	size_t zin_len, zin_off;
	bool zin_eof;			/* the compressed stream has ended */

	/* the stream so far */
	uint64_t bytes;
	uint64_t records;		/* complete records */
	uint32_t crc;

	/* the record being read, for messages */
	bool type_known;		/* its ckpt_hdr has been read */
	struct ckpt_record rec;
	alignas(8) unsigned char rec_buf[CKPT_RECORD_KEEP];

	bool have_header, have_tail;
	struct ckpt_hdr_header header;
	struct ckpt_hdr_tail tail;

	/* CKPT_READ_CHECK: where the records are, once the header is read */
	bool checking;
	struct ckpt_check check;

	/* ckpt_reader_set_bulk(): who gets the bytes that are not kept */
	ckpt_bulk_fn *bulk_fn;
	void *bulk_arg;
	bool in_bulk;			/* those bytes are streaming past */

	enum ckpt_status status;	/* the first error, which sticks */
	char error[384];
};

static struct ckpt_reader *reader_alloc(int fd, FILE *file, unsigned int flags)
{
	struct ckpt_reader *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->fd = fd;
	r->file = file;
	/* what restart(2) checks includes the records, of its version */
	if (flags & CKPT_READ_RESTART)
		flags = (flags | CKPT_READ_CHECK) & ~CKPT_READ_ANY_VERSION;
	r->flags = flags;
	r->rec.data = r->rec_buf;
	return r;
}

struct ckpt_reader *ckpt_reader_from_fd(int fd, unsigned int flags)
{
	return reader_alloc(fd, NULL, flags);
}

struct ckpt_reader *ckpt_reader_from_file(FILE *file, unsigned int flags)
{
	return reader_alloc(-1, file, flags);
}

void ckpt_reader_free(struct ckpt_reader *r)
{
	if (!r)
		return;
	ckpt_lz4_decoder_free(r->lz4);
	free(r->zin);
	ckpt_check_release(&r->check);
	free(r);
}

const char *ckpt_reader_compression(const struct ckpt_reader *r)
{
	return r->lz4 ? "lz4" : NULL;
}

const char *ckpt_reader_error(const struct ckpt_reader *r)
{
	return r->error;
}

void ckpt_reader_set_bulk(struct ckpt_reader *r, ckpt_bulk_fn *fn, void *arg)
{
	r->bulk_fn = fn;
	r->bulk_arg = arg;
}

const struct ckpt_hdr_header *ckpt_reader_header(const struct ckpt_reader *r)
{
	return r->have_header ? &r->header : NULL;
}

const struct ckpt_hdr_tail *ckpt_reader_tail(const struct ckpt_reader *r)
{
	return r->have_tail ? &r->tail : NULL;
}

__attribute__((format(printf, 3, 4)))
static enum ckpt_status fail(struct ckpt_reader *r, enum ckpt_status status,
			     const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->error, sizeof(r->error), fmt, ap);
	va_end(ap);
	r->status = status;
	return status;
}

/*
 * Read from the input into @buf (@size bytes of room): the number of bytes
 * read, 0 at the end, -1 on error.
 *
 * From an fd, read(2) returns what is there, so asking for a whole buffer
 * never waits for bytes past the image on a pipe.  fread() would wait, so a
 * FILE is asked for no more than the caller needs, @want.
 */
static ssize_t raw_read(struct ckpt_reader *r, unsigned char *buf,
			size_t size, uint64_t want)
{
	ssize_t n;

	if (r->file) {
		size_t ask = want < size ? want : size;

		n = fread(buf, 1, ask, r->file);
		if (n == 0 && ferror(r->file))
			return -1;
		return n;
	}
	do
		n = read(r->fd, buf, size);
	while (n < 0 && errno == EINTR);
	return n;
}

/* input_fill() when the input failed in a way fail() has described */
#define FILL_FAILED	(-2)

/*
 * Refill @in from the lz4 stream: decode what is held, then read more.  A
 * decoder with a full @in may hold more decoded bytes, which it passes on
 * before anything more is read: a pipe may not send more until the image
 * is read.
 */
static ssize_t lz4_fill(struct ckpt_reader *r)
{
	enum ckpt_status st;

	for (;;) {
		size_t in_len = r->zin_len - r->zin_off;
		size_t out_len = sizeof(r->in);
		ssize_t n;

		st = ckpt_lz4_decode(r->lz4, r->zin + r->zin_off, &in_len,
				     r->in, &out_len);
		if (st)
			break;
		r->zin_off += in_len;
		if (out_len) {
			r->in_len = out_len;
			return (ssize_t)out_len;
		}
		if (r->zin_off < r->zin_len)
			continue;
		if (r->zin_eof)
			return 0;
		n = raw_read(r, r->zin, INPUT_BUF_SIZE,
			     ckpt_lz4_decoder_want(r->lz4));
		if (n < 0)
			return -1;
		r->zin_len = (size_t)n;
		r->zin_off = 0;
		if (n == 0) {
			/* the decoder holds nothing more: it gave nothing */
			r->zin_eof = true;
			st = ckpt_lz4_decode_end(r->lz4);
			if (st)
				break;
		}
	}
	fail(r, st, "%s (image offset %llu)",
	     ckpt_lz4_decoder_error(r->lz4), (unsigned long long)r->bytes);
	return FILL_FAILED;
}

/*
 * The first bytes of a stream that may be compressed: at least the 4 of a
 * magic number, unless the stream is shorter.  If they are lz4's, they are
 * the first compressed bytes; else the first of the image.
 */
static ssize_t detect_fill(struct ckpt_reader *r, uint64_t want)
{
	size_t got = 0;
	ssize_t n;

	r->detected = true;
	do {
		n = raw_read(r, r->in + got, sizeof(r->in) - got,
			     want > 4 ? want - got : 4 - got);
		if (n < 0)
			return -1;
		got += (size_t)n;
	} while (n > 0 && got < 4);

	if (!ckpt_is_lz4(r->in, got)) {
		r->in_len = got;
		return (ssize_t)got;
	}
	r->zin = malloc(INPUT_BUF_SIZE);
	r->lz4 = ckpt_lz4_decoder_new();
	if (!r->zin || !r->lz4) {
		fail(r, CKPT_ERR_GENERIC, "cannot decompress the image: %s",
		     strerror(ENOMEM));
		return FILL_FAILED;
	}
	memcpy(r->zin, r->in, got);
	r->zin_len = got;
	return lz4_fill(r);
}

/*
 * Refill @in: the number of bytes read, 0 at the end, -1 on a read error,
 * FILL_FAILED on another error, which fail() has recorded.
 */
static ssize_t input_fill(struct ckpt_reader *r, uint64_t want)
{
	ssize_t n;

	r->in_len = r->in_off = 0;
	if (!r->detected && (r->flags & CKPT_READ_DECOMPRESS))
		return detect_fill(r, want);
	if (r->lz4)
		return lz4_fill(r);
	n = raw_read(r, r->in, sizeof(r->in), want);
	if (n > 0)
		r->in_len = (size_t)n;
	return n;
}

static enum ckpt_status check_failed(struct ckpt_reader *r,
				     enum ckpt_status st);

/*
 * Bytes of the current record that are not kept, as they stream past: to
 * the checker (an fd table's entries), and to the caller's bulk function.
 */
static enum ckpt_status pass_bulk(struct ckpt_reader *r,
				  const unsigned char *buf, size_t len)
{
	enum ckpt_status st;

	if (r->checking) {
		st = ckpt_check_bulk(&r->check, buf, len);
		if (st)
			return check_failed(r, st);
	}
	if (r->bulk_fn) {
		st = r->bulk_fn(r->bulk_arg, &r->rec, buf, len);
		if (st)
			return fail(r, st, "stopped by its caller");
	}
	return CKPT_OK;
}

/*
 * Take up to @len bytes of the stream into @dst, or drop them if @dst is
 * NULL, counting and checksumming them; *@got is how many there were before
 * the end of the stream.  Dropped bytes of a record are passed on
 * (pass_bulk()).
 */
static enum ckpt_status stream_read(struct ckpt_reader *r, void *dst,
				    uint64_t len, uint64_t *got)
{
	unsigned char *out = dst;

	*got = 0;
	while (len) {
		const unsigned char *src;
		size_t n;

		if (r->in_off == r->in_len) {
			ssize_t filled = input_fill(r, len);

			if (filled == FILL_FAILED)
				return r->status;
			if (filled < 0)
				return fail(r, CKPT_ERR_GENERIC,
					    "read error at offset %llu: %s",
					    (unsigned long long)r->bytes,
					    strerror(errno));
			if (filled == 0)
				break;
		}
		src = r->in + r->in_off;
		n = r->in_len - r->in_off;
		if (n > len)
			n = len;
		r->crc = ckpt_crc32c(r->crc, src, n);
		if (out) {
			memcpy(out, src, n);
			out += n;
		}
		r->in_off += n;
		r->bytes += n;
		*got += n;
		len -= n;
		if (r->in_bulk && !out) {
			enum ckpt_status st = pass_bulk(r, src, n);

			if (st)
				return st;
		}
	}
	return CKPT_OK;
}

static enum ckpt_status truncated(struct ckpt_reader *r)
{
	const struct ckpt_record *rec = &r->rec;
	unsigned long long at = r->bytes;

	if (r->bytes == rec->offset)
		return fail(r, CKPT_ERR_TRUNCATED,
			    "the image is truncated at offset %llu: it ends before its tail record",
			    at);
	if (!r->type_known)
		return fail(r, CKPT_ERR_TRUNCATED,
			    "the image is truncated at offset %llu, in record %llu at offset %llu",
			    at, (unsigned long long)rec->index,
			    (unsigned long long)rec->offset);
	return fail(r, CKPT_ERR_TRUNCATED,
		    "the image is truncated at offset %llu, in record %llu (type %u, %s) at offset %llu",
		    at, (unsigned long long)rec->index, rec->hdr.type,
		    ckpt_record_type_name(rec->hdr.type),
		    (unsigned long long)rec->offset);
}

/* Take exactly @len bytes, as stream_read(); fewer means truncated. */
static enum ckpt_status take(struct ckpt_reader *r, void *dst, uint64_t len)
{
	enum ckpt_status ret;
	uint64_t got;

	ret = stream_read(r, dst, len, &got);
	if (ret)
		return ret;
	if (got < len)
		return truncated(r);
	return CKPT_OK;
}

/* Start a record at the current offset; nothing of it is read yet. */
static void record_begin(struct ckpt_reader *r)
{
	r->rec.offset = r->bytes;
	r->rec.index = r->records;
	r->rec.data_len = 0;
	r->type_known = false;
}

/* "record 1 at offset 120 (type 2, tail)" into @buf, for messages */
static const char *record_name(const struct ckpt_reader *r, char *buf,
			       size_t size)
{
	snprintf(buf, size, "record %llu at offset %llu (type %u, %s)",
		 (unsigned long long)r->rec.index,
		 (unsigned long long)r->rec.offset, r->rec.hdr.type,
		 ckpt_record_type_name(r->rec.hdr.type));
	return buf;
}

/*
 * The rest of the current record, whose first @keep bytes are in rec_buf
 * (at most CKPT_RECORD_KEEP), and its padding.  The bytes past those come
 * from a longer record of a newer writer (the extension rule) or from a
 * record with bulk data; they are checksummed and passed on (pass_bulk()),
 * never kept.
 */
static enum ckpt_status record_rest(struct ckpt_reader *r, uint32_t keep)
{
	uint32_t len = r->rec.hdr.len;
	uint32_t pad = (CKPT_RECORD_ALIGN - len % CKPT_RECORD_ALIGN) %
		       CKPT_RECORD_ALIGN;
	unsigned char pad_bytes[CKPT_RECORD_ALIGN];
	enum ckpt_status ret;
	char name[96];

	if (len > keep) {
		if (r->bulk_fn) {
			ret = r->bulk_fn(r->bulk_arg, &r->rec, NULL, 0);
			if (ret)
				return fail(r, ret, "stopped by its caller");
		}
		r->in_bulk = true;
		ret = take(r, NULL, len - keep);
		r->in_bulk = false;
		if (ret)
			return ret;
	}
	ret = take(r, pad_bytes, pad);
	if (ret)
		return ret;
	for (uint32_t i = 0; i < pad; i++)
		if (pad_bytes[i])
			return fail(r, CKPT_ERR_CORRUPT,
				    "the image is corrupt: %s has non-zero padding",
				    record_name(r, name, sizeof(name)));
	r->records++;
	return CKPT_OK;
}

/*
 * Read what is kept of the current record, of which the first @done bytes
 * are in rec_buf: up to its first @keep bytes (at most CKPT_RECORD_KEEP,
 * at least @done).
 */
static enum ckpt_status record_keep(struct ckpt_reader *r, uint32_t done,
				    uint32_t keep)
{
	enum ckpt_status ret = take(r, r->rec_buf + done, keep - done);

	if (!ret)
		r->rec.data_len = keep;
	return ret;
}

/*
 * Whether the first @got bytes of a stream can begin a header record: the
 * type and the magic, as far as they go (the length may be anything).
 */
static enum ckpt_status check_header_id(struct ckpt_reader *r,
					const unsigned char *id, uint64_t got)
{
	const struct ckpt_hdr_header want = {
		.h.type = CKPT_HDR_HEADER,
		.magic = CKPT_MAGIC,
	};
	const unsigned char *w = (const unsigned char *)&want;
	const size_t type_end = offsetofend(struct ckpt_hdr, type);
	const size_t magic_at = offsetof(struct ckpt_hdr_header, magic);
	bool type_ok = true, magic_ok = true;

	for (uint64_t i = 0; i < got; i++) {
		if (i < type_end && id[i] != w[i])
			type_ok = false;
		if (i >= magic_at && id[i] != w[i])
			magic_ok = false;
	}
	if (!magic_ok || (!type_ok && got < type_end))
		return fail(r, CKPT_ERR_NOT_IMAGE,
			    "not a ckpt image (bad magic)");
	if (!type_ok)
		return fail(r, CKPT_ERR_NOT_IMAGE,
			    "not a ckpt image (the first record is type %u, not a header)",
			    ((const struct ckpt_hdr *)id)->type);
	return CKPT_OK;
}

/* What restart(2) also requires of this machine; see cpu.c in the kernel. */
static enum ckpt_status check_restartable(struct ckpt_reader *r)
{
	const struct ckpt_hdr_header *hdr = &r->header;
	const char *arch = ckpt_arch_name(hdr->arch);
	long page_size = sysconf(_SC_PAGESIZE);

	if (hdr->arch != CKPT_ARCH_X86_64) {
		if (arch)
			return fail(r, CKPT_ERR_ARCH,
				    "the image is for architecture %s, this machine is x86_64",
				    arch);
		return fail(r, CKPT_ERR_ARCH,
			    "the image is for architecture unknown (%u), this machine is x86_64",
			    hdr->arch);
	}
	if (page_size > 0 && hdr->page_size != (unsigned long)page_size)
		return fail(r, CKPT_ERR_ARCH,
			    "the image has %u-byte pages, this machine %ld-byte pages",
			    hdr->page_size, page_size);
	/* The xsave features are left to the kernel, which knows them. */
	return CKPT_OK;
}

/*
 * The version decides how to read the rest: this tool's, or with
 * CKPT_READ_ANY_VERSION an older one it converts.  An older image gets a
 * hint: `ckpt convert` makes it one of this version.
 */
static enum ckpt_status check_version(struct ckpt_reader *r, uint32_t version)
{
	bool older = version >= CKPT_OLDEST_VERSION &&
		     version < CKPT_FORMAT_VERSION;

	if (version == CKPT_FORMAT_VERSION ||
	    (older && (r->flags & CKPT_READ_ANY_VERSION)))
		return CKPT_OK;
	if (r->flags & CKPT_READ_ANY_VERSION)
		return fail(r, CKPT_ERR_VERSION,
			    "unsupported format version %u (this tool reads versions %u to %u)",
			    version, CKPT_OLDEST_VERSION, CKPT_FORMAT_VERSION);
	if (older)
		return fail(r, CKPT_ERR_VERSION,
			    "unsupported format version %u (this tool reads version %u): convert it with 'ckpt convert'",
			    version, CKPT_FORMAT_VERSION);
	return fail(r, CKPT_ERR_VERSION,
		    "unsupported format version %u (this tool reads version %u)",
		    version, CKPT_FORMAT_VERSION);
}

/*
 * The header record: the magic first, so that something that is not an image
 * is called that rather than corrupt; then the version, which decides how to
 * read the rest; then the length this version needs.
 */
static enum ckpt_status read_header(struct ckpt_reader *r)
{
	struct ckpt_hdr_header *hdr = &r->header;
	const uint32_t version_end = offsetofend(struct ckpt_hdr_header, version);
	unsigned char *buf = r->rec_buf;
	enum ckpt_status ret;
	uint64_t got;
	uint32_t len;

	record_begin(r);
	ret = stream_read(r, buf, HEADER_ID_LEN, &got);
	if (ret)
		return ret;
	if (got == 0)
		return fail(r, CKPT_ERR_NOT_IMAGE,
			    "not a ckpt image (it is empty)");
	ret = check_header_id(r, buf, got);
	if (ret)
		return ret;
	if (got >= sizeof(r->rec.hdr)) {
		memcpy(&r->rec.hdr, buf, sizeof(r->rec.hdr));
		r->type_known = true;
	}
	if (got < HEADER_ID_LEN)
		return truncated(r);

	len = r->rec.hdr.len;
	if (len < version_end || len > CKPT_RECORD_KEEP)
		return fail(r, CKPT_ERR_CORRUPT,
			    "the image is corrupt: the header record has a bad length (%u)",
			    len);

	ret = take(r, buf + HEADER_ID_LEN, version_end - HEADER_ID_LEN);
	if (ret)
		return ret;
	memcpy(hdr, buf, version_end);
	ret = check_version(r, hdr->version);
	if (ret)
		return ret;
	if (len < sizeof(*hdr))
		return fail(r, CKPT_ERR_CORRUPT,
			    "the image is corrupt: the header record has a bad length (%u, expected at least %zu)",
			    len, sizeof(*hdr));

	ret = record_keep(r, version_end, len);
	if (!ret)
		ret = record_rest(r, len);
	if (ret)
		return ret;
	memcpy(hdr, buf, sizeof(*hdr));
	r->have_header = true;
	/* in the kernel's order: flags, page size, arch */
	if ((r->flags & CKPT_READ_CHECK) && (hdr->flags & ~CHECKPOINT_FLAGS_ALL))
		return fail(r, CKPT_ERR_CORRUPT,
			    "the image is corrupt: it was written with unknown flags 0x%x",
			    hdr->flags & ~CHECKPOINT_FLAGS_ALL);
	if (r->flags & CKPT_READ_RESTART) {
		ret = check_restartable(r);
		if (ret)
			return ret;
	}
	if (r->flags & CKPT_READ_CHECK) {
		/* restart(2) needs its own; no kernel has another kind */
		if (hdr->page_size < 1024 ||
		    (hdr->page_size & (hdr->page_size - 1)))
			return fail(r, CKPT_ERR_CORRUPT,
				    "the image is corrupt: its page size, %u, is not a power of two",
				    hdr->page_size);
		ckpt_check_init(&r->check, r->flags, hdr);
		r->checking = true;
	}
	return CKPT_OK;
}

/* The tail: itself, then against what the stream held before it. */
static enum ckpt_status check_tail(struct ckpt_reader *r, uint64_t records,
				   uint64_t bytes, uint32_t crc)
{
	struct ckpt_hdr_tail *tail = &r->tail;

	memcpy(tail, r->rec_buf, sizeof(*tail));
	if (tail->magic != CKPT_TAIL_MAGIC)
		return fail(r, CKPT_ERR_CORRUPT,
			    "the image is corrupt: the tail record has a bad magic");
	if (tail->reserved)
		return fail(r, CKPT_ERR_CORRUPT,
			    "the image is corrupt: the tail record's reserved field is 0x%x, not zero",
			    tail->reserved);
	if (tail->records != records || tail->bytes != bytes)
		return fail(r, CKPT_ERR_CORRUPT,
			    "the image is corrupt: the tail counts %llu records in %llu bytes, the stream held %llu in %llu",
			    (unsigned long long)tail->records,
			    (unsigned long long)tail->bytes,
			    (unsigned long long)records,
			    (unsigned long long)bytes);
	if (tail->crc32c != crc)
		return fail(r, CKPT_ERR_CORRUPT,
			    "the image is corrupt: checksum mismatch: the tail says 0x%08x, the bytes before it give 0x%08x",
			    tail->crc32c, crc);
	r->have_tail = true;
	return CKPT_OK;
}

/* A failed check of the current record, with the checker's reason. */
static enum ckpt_status check_failed(struct ckpt_reader *r,
				     enum ckpt_status st)
{
	char name[96];

	if (st == CKPT_ERR_GENERIC)
		return fail(r, st, "cannot check the image: %s",
			    strerror(ENOMEM));
	return fail(r, st, "the image is corrupt: %s%s",
		    record_name(r, name, sizeof(name)), r->check.why);
}

/*
 * How much of the current record to keep: all of it up to CKPT_RECORD_KEEP,
 * but of a page record or a memfd's (whose fixed part is in rec_buf) only
 * the fixed part and the addresses or offsets, and of a pipe only its
 * fixed part.
 */
static uint32_t keep_len(const struct ckpt_reader *r)
{
	uint32_t len = r->rec.hdr.len;
	uint64_t keep = len < CKPT_RECORD_KEEP ? len : CKPT_RECORD_KEEP;

	if (r->rec.hdr.type == CKPT_HDR_PAGES) {
		const struct ckpt_hdr_pages *p = (const void *)r->rec_buf;
		uint32_t nr = p->nr_pages < CKPT_PAGES_MAX ?
			      p->nr_pages : CKPT_PAGES_MAX;
		uint64_t want = sizeof(*p) + (uint64_t)nr * sizeof(uint64_t);

		if (want < keep)
			keep = want;
	} else if (r->rec.hdr.type == CKPT_HDR_FILE_PAGES &&
		   r->header.version >= 2) {
		const struct ckpt_hdr_file_pages *p = (const void *)r->rec_buf;
		uint32_t nr = p->nr_pages < CKPT_PAGES_MAX ?
			      p->nr_pages : CKPT_PAGES_MAX;
		uint64_t want = sizeof(*p) + (uint64_t)nr * sizeof(uint64_t);

		if (want < keep)
			keep = want;
	} else if (r->rec.hdr.type == CKPT_HDR_PIPE &&
		   r->header.version >= 2 &&
		   keep > sizeof(struct ckpt_hdr_pipe)) {
		keep = sizeof(struct ckpt_hdr_pipe);
	}
	return (uint32_t)keep;
}

static enum ckpt_status read_next(struct ckpt_reader *r)
{
	/* the tail covers everything before its own record */
	const uint64_t records = r->records, bytes = r->bytes;
	const uint32_t crc = r->crc;
	const uint32_t version = r->header.version;
	struct ckpt_hdr *h = &r->rec.hdr;
	uint32_t done = sizeof(*h), head, keep;
	enum ckpt_status ret;
	char name[96];

	record_begin(r);
	ret = take(r, h, sizeof(*h));
	if (ret)
		return ret;
	memcpy(r->rec_buf, h, sizeof(*h));
	r->type_known = true;

	if (h->len < sizeof(*h))
		return fail(r, CKPT_ERR_CORRUPT,
			    "the image is corrupt: %s has a bad length (%u, expected at least %zu)",
			    record_name(r, name, sizeof(name)), h->len,
			    sizeof(*h));
	if (h->type == CKPT_HDR_HEADER)
		return fail(r, CKPT_ERR_CORRUPT,
			    "the image is corrupt: %s is a second header",
			    record_name(r, name, sizeof(name)));
	if (r->checking) {
		ret = ckpt_check_begin(&r->check, h);
		if (ret)
			return check_failed(r, ret);
	} else if (h->len < ckpt_record_min_len(h->type, version)) {
		return fail(r, CKPT_ERR_CORRUPT,
			    "the image is corrupt: %s has a bad length (%u, expected at least %u)",
			    record_name(r, name, sizeof(name)), h->len,
			    ckpt_record_min_len(h->type, version));
	}

	/* the fixed part that says how long the record is */
	head = ckpt_record_head_len(h->type, version);
	if (head) {
		ret = take(r, r->rec_buf + done, head - done);
		if (ret)
			return ret;
		done = head;
		if (r->checking) {
			ret = ckpt_check_head(&r->check, r->rec_buf);
			if (ret)
				return check_failed(r, ret);
		}
	}

	keep = keep_len(r);
	ret = record_keep(r, done, keep);
	if (ret)
		return ret;
	if (h->type == CKPT_HDR_TAIL) {
		ret = record_rest(r, keep);
		return ret ? ret : check_tail(r, records, bytes, crc);
	}
	if (r->checking) {
		ret = ckpt_check_record(&r->check, &r->rec);
		if (ret)
			return check_failed(r, ret);
	}
	return record_rest(r, keep);
}

enum ckpt_status ckpt_read_record(struct ckpt_reader *r,
				  struct ckpt_record *rec)
{
	enum ckpt_status ret;

	if (r->status)
		return r->status;
	if (r->have_tail) {
		/* not sticky: the image itself is fine */
		snprintf(r->error, sizeof(r->error),
			 "there are no records after the tail");
		return CKPT_ERR_GENERIC;
	}
	ret = r->have_header ? read_next(r) : read_header(r);
	if (ret)
		return ret;
	*rec = r->rec;
	return CKPT_OK;
}

const uint64_t *ckpt_record_pages(const struct ckpt_record *rec,
				  uint32_t *nr)
{
	const struct ckpt_hdr_pages *p = rec->data;
	uint32_t n;

	*nr = 0;
	if (rec->hdr.type != CKPT_HDR_PAGES || rec->data_len < sizeof(*p))
		return NULL;
	n = (rec->data_len - sizeof(*p)) / sizeof(uint64_t);
	if (n > p->nr_pages)
		n = p->nr_pages;
	*nr = n;
	return (const uint64_t *)(p + 1);
}

const uint64_t *ckpt_record_file_pages(const struct ckpt_record *rec,
				       uint32_t *nr)
{
	const struct ckpt_hdr_file_pages *p = rec->data;
	uint32_t n;

	*nr = 0;
	if (rec->hdr.type != CKPT_HDR_FILE_PAGES ||
	    rec->data_len < sizeof(*p))
		return NULL;
	n = (rec->data_len - sizeof(*p)) / sizeof(uint64_t);
	if (n > p->nr_pages)
		n = p->nr_pages;
	*nr = n;
	return (const uint64_t *)(p + 1);
}

enum ckpt_status ckpt_read_trailing(struct ckpt_reader *r, uint64_t *bytes)
{
	const uint64_t end = r->bytes;
	enum ckpt_status ret;
	uint64_t got;

	*bytes = 0;
	if (r->status)
		return r->status;
	if (!r->have_tail) {
		snprintf(r->error, sizeof(r->error),
			 "the tail has not been read yet");
		return CKPT_ERR_GENERIC;
	}
	ret = stream_read(r, NULL, UINT64_MAX, &got);
	*bytes = r->bytes - end;
	return ret;
}
