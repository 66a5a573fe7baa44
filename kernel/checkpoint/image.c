// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart: the image stream.
 *
 * An image is a sequence of records (struct ckpt_hdr + payload, 8-byte
 * aligned), opened by a header record and closed by a tail record that
 * carries the number of records and the CRC-32C of every byte before it.
 * The stream is written and read strictly in order, never seeking, so that
 * a pipe or a socket works as well as a file.
 *
 * Small records go through a buffer, so that the file sees few large writes
 * rather than one per record.  Restart reads ahead into the same kind of
 * buffer; a read on a pipe or socket returns what is there, so read-ahead
 * never waits for bytes beyond the tail.
 */
#include <linux/checkpoint.h>
#include <linux/crc32c.h>
#include <linux/bvec.h>
#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/slab.h>
#include <linux/uio.h>
#include <linux/sched/signal.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/utsname.h>

static const u8 ckpt_zero_pad[CKPT_RECORD_ALIGN];

static loff_t *ckpt_ppos(struct ckpt_ctx *ctx)
{
	return (ctx->file->f_mode & FMODE_STREAM) ? NULL : &ctx->pos;
}

/*
 * Partial progress cannot be restarted: a stream that was half written or
 * half read is gone.  So a signal ends the operation with -EINTR.
 */
static int ckpt_io_error(ssize_t ret)
{
	if (ret == -ERESTARTSYS || ret == -ERESTARTNOINTR ||
	    ret == -ERESTARTNOHAND || ret == -ERESTART_RESTARTBLOCK)
		return -EINTR;
	return ret;
}

static int ckpt_stream_write(struct ckpt_ctx *ctx, const void *data,
			     size_t len)
{
	ssize_t ret;

	while (len) {
		if (fatal_signal_pending(current))
			return -EINTR;
		ret = kernel_write(ctx->file, data, len, ckpt_ppos(ctx));
		if (ret < 0)
			return ckpt_io_error(ret);
		if (ret == 0)
			return -EIO;
		data += ret;
		len -= ret;
	}
	return 0;
}

int ckpt_flush(struct ckpt_ctx *ctx)
{
	int ret;

	if (!ctx->buf_len)
		return 0;
	ret = ckpt_stream_write(ctx, ctx->buf, ctx->buf_len);
	ctx->buf_len = 0;
	if (ret)
		ckpt_log(ctx, "writing the image failed (error %d)", ret);
	return ret;
}

/* Append to the stream, through the buffer, keeping count and checksum. */
static int ckpt_write(struct ckpt_ctx *ctx, const void *data, size_t len)
{
	size_t n;
	int ret;

	ctx->crc = crc32c(ctx->crc, data, len);
	ctx->bytes += len;
	while (len) {
		if (ctx->buf_len == CKPT_BUF_SIZE) {
			ret = ckpt_flush(ctx);
			if (ret)
				return ret;
		}
		n = min(len, CKPT_BUF_SIZE - ctx->buf_len);
		memcpy(ctx->buf + ctx->buf_len, data, n);
		ctx->buf_len += n;
		data += n;
		len -= n;
	}
	return 0;
}

/*
 * ckpt_write_record - write one record.
 * @rec: the record, starting with its struct ckpt_hdr, which is filled in here
 * @len: its length, header included
 */
int ckpt_write_record(struct ckpt_ctx *ctx, u32 type, void *rec, u32 len)
{
	struct ckpt_hdr *h = rec;
	u32 pad = ALIGN(len, CKPT_RECORD_ALIGN) - len;
	int ret;

	h->type = type;
	h->len = len;
	ret = ckpt_write(ctx, rec, len);
	if (!ret && pad)
		ret = ckpt_write(ctx, ckpt_zero_pad, pad);
	if (!ret)
		ctx->records++;
	return ret;
}

/*
 * ckpt_write_record_data - write one record made of a fixed part @rec of
 * @len bytes (filled in as by ckpt_write_record()) and @data_len bytes of
 * @data, which the caller has apart.
 */
int ckpt_write_record_data(struct ckpt_ctx *ctx, u32 type, void *rec, u32 len,
			   const void *data, size_t data_len)
{
	struct ckpt_hdr *h = rec;
	u64 total = (u64)len + data_len;
	u32 pad = ALIGN(total, CKPT_RECORD_ALIGN) - total;
	int ret;

	if (total > U32_MAX)
		return -E2BIG;
	h->type = type;
	h->len = total;
	ret = ckpt_write(ctx, rec, len);
	if (!ret)
		ret = ckpt_write(ctx, data, data_len);
	if (!ret && pad)
		ret = ckpt_write(ctx, ckpt_zero_pad, pad);
	if (!ret)
		ctx->records++;
	return ret;
}

/* Write a CKPT_HDR_STRING record holding @str. */
int ckpt_write_string(struct ckpt_ctx *ctx, const char *str)
{
	struct ckpt_hdr_string *rec;
	size_t len = strlen(str) + 1;
	int ret;

	if (len > CKPT_STRING_MAX)
		return -ENAMETOOLONG;
	rec = kzalloc(sizeof(*rec) + len, GFP_KERNEL);
	if (!rec)
		return -ENOMEM;
	rec->len = len;
	memcpy(rec + 1, str, len);
	ret = ckpt_write_record(ctx, CKPT_HDR_STRING, rec, sizeof(*rec) + len);
	kfree(rec);
	return ret;
}

/*
 * ckpt_write_pages - write a CKPT_HDR_PAGES record: @nr addresses, then the
 * contents of @pages.
 *
 * The page data goes from the pages to the file in one vfs_iter_write()
 * over a bvec, without a copy through the stream buffer.
 */
/* Whether @page holds only zeros: such pages are not written. */
bool ckpt_page_is_zero(struct page *page)
{
	void *kaddr = kmap_local_page(page);
	bool zero = !memchr_inv(kaddr, 0, PAGE_SIZE);

	kunmap_local(kaddr);
	return zero;
}

int ckpt_write_pages(struct ckpt_ctx *ctx, const u64 *addrs,
		     struct page **pages, unsigned int nr)
{
	struct ckpt_hdr_pages rec = { .nr_pages = nr };

	rec.h.type = CKPT_HDR_PAGES;
	return ckpt_write_page_record(ctx, &rec.h, sizeof(rec), addrs, pages,
				      nr);
}

/*
 * ckpt_write_page_record - a record of pages: its fixed part @rec, of
 * @size bytes, whose type is set, then the @nr addresses or offsets
 * @addrs, then the contents of @pages.
 */
int ckpt_write_page_record(struct ckpt_ctx *ctx, struct ckpt_hdr *rec,
			   u32 size, const u64 *addrs, struct page **pages,
			   unsigned int nr)
{
	size_t data = (size_t)nr * PAGE_SIZE;
	struct bio_vec *bvec;
	struct iov_iter iter;
	unsigned int i;
	ssize_t n;
	int ret;

	rec->len = size + nr * sizeof(*addrs) + data;
	ret = ckpt_write(ctx, rec, size);
	if (!ret)
		ret = ckpt_write(ctx, addrs, nr * sizeof(*addrs));
	if (!ret)
		ret = ckpt_flush(ctx);
	if (ret)
		return ret;

	if (!nr) {
		ctx->records++;
		return 0;
	}
	bvec = kmalloc_array(nr, sizeof(*bvec), GFP_KERNEL);
	if (!bvec)
		return -ENOMEM;
	for (i = 0; i < nr; i++) {
		void *kaddr = kmap_local_page(pages[i]);

		ctx->crc = crc32c(ctx->crc, kaddr, PAGE_SIZE);
		kunmap_local(kaddr);
		bvec_set_page(&bvec[i], pages[i], PAGE_SIZE, 0);
	}
	ctx->bytes += data;
	iov_iter_bvec(&iter, ITER_SOURCE, bvec, nr, data);
	while (iov_iter_count(&iter)) {
		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		n = vfs_iter_write(ctx->file, &iter, ckpt_ppos(ctx), 0);
		if (n <= 0) {
			ret = n ? ckpt_io_error(n) : -EIO;
			ckpt_log(ctx, "writing the image failed (error %d)",
				 ret);
			break;
		}
	}
	kfree(bvec);
	if (!ret)
		ctx->records++;
	return ret;
}

int ckpt_write_header(struct ckpt_ctx *ctx)
{
	struct ckpt_hdr_header hdr = {
		.magic = CKPT_MAGIC,
		.version = CKPT_FORMAT_VERSION,
		.page_size = PAGE_SIZE,
		.flags = ctx->flags,
		.time = ktime_get_real_seconds(),
	};

	ckpt_arch_fill_header(&hdr);
	down_read(&uts_sem);
	strscpy(hdr.release, utsname()->release, sizeof(hdr.release));
	up_read(&uts_sem);
	return ckpt_write_record(ctx, CKPT_HDR_HEADER, &hdr, sizeof(hdr));
}

int ckpt_write_tail(struct ckpt_ctx *ctx)
{
	struct ckpt_hdr_tail tail = {
		.magic = CKPT_TAIL_MAGIC,
		.records = ctx->records,
		.bytes = ctx->bytes,
		.crc32c = ~ctx->crc,
	};
	int ret;

	ret = ckpt_write_record(ctx, CKPT_HDR_TAIL, &tail, sizeof(tail));
	if (!ret)
		ret = ckpt_flush(ctx);
	return ret;
}

/*
 * Whether to read again after a read of the stream returned @ret.
 *
 * The restored task reads its memory from the stream itself.  Born into a
 * frozen cgroup (RESTART_INTO_CGROUP), it has the freezer's trap pending,
 * as a signal, until it first heads for user mode: a pipe or a socket
 * with nothing to read yet then returns at once with -ERESTARTSYS (or
 * -EINTR) instead of waiting.  Only a fatal signal ends its restart: it
 * waits a tick, killable, and reads again.  The caller of restart(2) has
 * no such trap: a signal ends its restart with -EINTR.
 */
static bool ckpt_read_again(struct ckpt_ctx *ctx, ssize_t ret)
{
	if (!ctx->child_reads || fatal_signal_pending(current))
		return false;
	if (ret != -ERESTARTSYS && ret != -ERESTARTNOINTR &&
	    ret != -ERESTARTNOHAND && ret != -EINTR)
		return false;
	schedule_timeout_killable(1);
	return true;
}

/*
 * Refill the read-ahead buffer: at least one byte, or -ENODATA at the end.
 *
 * A file is read ahead a whole buffer at a time, and its offset put back
 * after the image at the end.  A pipe or a socket cannot be put back, and
 * what follows the image there (the next image of a migration, say) belongs
 * to the caller, so from a stream only the @want bytes asked for are read.
 */
static int ckpt_fill(struct ckpt_ctx *ctx, size_t want)
{
	size_t len = CKPT_BUF_SIZE;
	ssize_t ret;

	if (ctx->file->f_mode & FMODE_STREAM)
		len = min(want, len);
	do {
		if (fatal_signal_pending(current))
			return -EINTR;
		ret = kernel_read(ctx->file, ctx->buf, len, ckpt_ppos(ctx));
	} while (ret < 0 && ckpt_read_again(ctx, ret));
	if (ret < 0) {
		ret = ckpt_io_error(ret);
		ckpt_log(ctx, "reading the image failed at offset %llu (error %zd)",
			 ctx->bytes, ret);
		return ret;
	}
	if (ret == 0) {
		ckpt_log(ctx, "the image is truncated at offset %llu",
			 ctx->bytes);
		return -ENODATA;
	}
	ctx->buf_len = ret;
	ctx->buf_off = 0;
	return 0;
}

/*
 * Take @len bytes from the stream, into @data or (if NULL) nowhere, keeping
 * count and checksum.
 */
static int ckpt_read(struct ckpt_ctx *ctx, void *data, size_t len)
{
	size_t n;
	int ret;

	while (len) {
		if (ctx->buf_off == ctx->buf_len) {
			ret = ckpt_fill(ctx, len);
			if (ret)
				return ret;
		}
		n = min(len, ctx->buf_len - ctx->buf_off);
		ctx->crc = crc32c(ctx->crc, ctx->buf + ctx->buf_off, n);
		if (data) {
			memcpy(data, ctx->buf + ctx->buf_off, n);
			data += n;
		}
		ctx->buf_off += n;
		ctx->bytes += n;
		len -= n;
	}
	return 0;
}

/*
 * The first @len bytes of @page, through the read-ahead buffer:
 * ckpt_read_more_pages() has already counted them in the record.
 */
static int ckpt_read_page_part(struct ckpt_ctx *ctx, struct page *page,
			       size_t len)
{
	void *kaddr = kmap_local_page(page);
	int ret = ckpt_read(ctx, kaddr, len);

	kunmap_local(kaddr);
	return ret;
}

/* Read a record's alignment padding, which must be zero. */
static int ckpt_read_pad(struct ckpt_ctx *ctx, const struct ckpt_hdr *h)
{
	u8 pad[CKPT_RECORD_ALIGN];
	u32 n = ALIGN(h->len, CKPT_RECORD_ALIGN) - h->len;
	int ret;

	ret = ckpt_read(ctx, pad, n);
	if (ret)
		return ret;
	if (memcmp(pad, ckpt_zero_pad, n)) {
		ckpt_log(ctx, "record %llu (type %u): non-zero padding",
			 ctx->records, h->type);
		return -EBADMSG;
	}
	return 0;
}

/*
 * ckpt_read_begin - read the fixed part of the record whose header is @h
 * into @rec (which starts with a copy of that header).
 * @size: the fixed part's length as this kernel knows it
 * @max_len: the longest record of this type
 *
 * Shorter records are corrupt.  What follows the fixed part is read with
 * ckpt_read_more(), and ckpt_read_end() skips whatever is left: fields that
 * a newer writer appended (the extension rule), and the padding.
 */
int ckpt_read_begin(struct ckpt_ctx *ctx, const struct ckpt_hdr *h,
		    void *rec, u32 size, u32 max_len)
{
	if (h->len < size || h->len > max_len) {
		ckpt_log(ctx, "record %llu (type %u): bad length %u (expected %u to %u)",
			 ctx->records, h->type, h->len, size, max_len);
		return -EBADMSG;
	}
	memcpy(rec, h, sizeof(*h));
	ctx->rec_left = h->len - size;
	return ckpt_read(ctx, rec + sizeof(*h), size - sizeof(*h));
}

/* Read @len more bytes of the current record (or skip them, if @buf is NULL). */
int ckpt_read_more(struct ckpt_ctx *ctx, void *buf, u32 len)
{
	if (len > ctx->rec_left) {
		ckpt_log(ctx, "record %llu is too short for its contents",
			 ctx->records);
		return -EBADMSG;
	}
	ctx->rec_left -= len;
	return ckpt_read(ctx, buf, len);
}

/*
 * ckpt_read_more_pages - read @nr pages of the current record straight
 * into @pages, which the caller holds and has mapped nowhere it reads.
 *
 * Page data is most of an image: rather than through the read-ahead buffer
 * (two copies), whatever the buffer holds already is copied, and the rest
 * is read from the file into the pages themselves, as checkpoint wrote it
 * from them (ckpt_write_page_record()).  The checksum is then taken over
 * the pages, which are the caller's alone, so they cannot change between
 * the read and the checksum.  A file that cannot read into an iov_iter
 * goes all through the buffer.
 */
int ckpt_read_more_pages(struct ckpt_ctx *ctx, struct page **pages,
			 unsigned int nr)
{
	size_t len = (size_t)nr * PAGE_SIZE, done, n;
	struct bio_vec *bvec;
	struct iov_iter iter;
	unsigned int i;
	ssize_t got;
	int ret = 0;

	if (len > ctx->rec_left) {
		ckpt_log(ctx, "record %llu is too short for its contents",
			 ctx->records);
		return -EBADMSG;
	}
	ctx->rec_left -= len;

	/* What was read ahead, through the buffer's own accounting */
	done = ctx->file->f_op->read_iter ?
	       min(len, ctx->buf_len - ctx->buf_off) : len;
	for (n = 0; n < done; n += PAGE_SIZE) {
		size_t part = min_t(size_t, PAGE_SIZE, done - n);

		ret = ckpt_read_page_part(ctx, pages[n / PAGE_SIZE], part);
		if (ret)
			return ret;
	}
	if (done == len)
		return 0;

	bvec = kmalloc_array(nr, sizeof(*bvec), GFP_KERNEL);
	if (!bvec)
		return -ENOMEM;
	for (i = 0; i < nr; i++)
		bvec_set_page(&bvec[i], pages[i], PAGE_SIZE, 0);
	iov_iter_bvec(&iter, ITER_DEST, bvec, nr, len);
	iov_iter_advance(&iter, done);
	while (iov_iter_count(&iter)) {
		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			goto out;
		}
		got = vfs_iter_read(ctx->file, &iter, ckpt_ppos(ctx), 0);
		if (got < 0 && ckpt_read_again(ctx, got))
			continue;
		if (got < 0) {
			ret = ckpt_io_error(got);
			ckpt_log(ctx, "reading the image failed at offset %llu (error %d)",
				 ctx->bytes, ret);
			goto out;
		}
		if (!got) {
			ckpt_log(ctx, "the image is truncated at offset %llu",
				 ctx->bytes + len - done -
				 iov_iter_count(&iter));
			ret = -ENODATA;
			goto out;
		}
	}
	/* The checksum of the rest, from where the buffer's part ended */
	for (n = done; n < len; n = ALIGN(n + 1, PAGE_SIZE)) {
		size_t off = offset_in_page(n);
		void *kaddr = kmap_local_page(pages[n / PAGE_SIZE]);

		ctx->crc = crc32c(ctx->crc, kaddr + off, PAGE_SIZE - off);
		kunmap_local(kaddr);
	}
	ctx->bytes += len - done;
out:
	kfree(bvec);
	return ret;
}

/* Skip the rest of the current record and its padding. */
int ckpt_read_end(struct ckpt_ctx *ctx, const struct ckpt_hdr *h)
{
	int ret;

	while (ctx->rec_left) {
		u32 n = min_t(u32, ctx->rec_left, CKPT_RECORD_MAX_LEN);

		ret = ckpt_read(ctx, NULL, n);
		if (ret)
			return ret;
		ctx->rec_left -= n;
	}
	ret = ckpt_read_pad(ctx, h);
	if (!ret)
		ctx->records++;
	return ret;
}

/* Read a whole record of fixed size: begin, then end. */
int ckpt_read_payload(struct ckpt_ctx *ctx, const struct ckpt_hdr *h,
		      void *rec, u32 size)
{
	int ret;

	ret = ckpt_read_begin(ctx, h, rec, size, CKPT_RECORD_MAX_LEN);
	if (!ret)
		ret = ckpt_read_end(ctx, h);
	return ret;
}

/*
 * ckpt_read_header - read and check the header record.
 *
 * The magic is checked before anything else, so that a file that is not an
 * image at all is called that rather than corrupt; then the version, which
 * decides how to read the rest.
 */
int ckpt_read_header(struct ckpt_ctx *ctx, struct ckpt_hdr_header *hdr)
{
	const u32 head = offsetofend(struct ckpt_hdr_header, magic);
	int ret;

	ret = ckpt_read(ctx, hdr, head);
	if (ret)
		return ret;
	if (hdr->h.type != CKPT_HDR_HEADER || hdr->magic != CKPT_MAGIC) {
		ckpt_log(ctx, "not a checkpoint image (bad magic)");
		return -EINVAL;
	}
	if (hdr->h.len < offsetofend(struct ckpt_hdr_header, version) ||
	    hdr->h.len > CKPT_RECORD_MAX_LEN) {
		ckpt_log(ctx, "the header record has a bad length (%u)",
			 hdr->h.len);
		return -EBADMSG;
	}
	ret = ckpt_read(ctx, &hdr->version, sizeof(hdr->version));
	if (ret)
		return ret;
	if (hdr->version != CKPT_FORMAT_VERSION) {
		ckpt_log(ctx, "image format version %u is not supported (this kernel reads version %u%s)",
			 hdr->version, CKPT_FORMAT_VERSION,
			 hdr->version < CKPT_FORMAT_VERSION ?
			 "; convert the image with 'ckpt convert'" : "");
		return -EPROTO;
	}
	if (hdr->h.len < sizeof(*hdr)) {
		ckpt_log(ctx, "the header record has a bad length (%u)",
			 hdr->h.len);
		return -EBADMSG;
	}
	ctx->rec_left = hdr->h.len - sizeof(*hdr);
	ret = ckpt_read(ctx, (void *)hdr + head + sizeof(hdr->version),
			sizeof(*hdr) - head - sizeof(hdr->version));
	if (!ret)
		ret = ckpt_read_end(ctx, &hdr->h);
	return ret;
}

/*
 * ckpt_read_next - read the header of the next record into @h.
 *
 * The checksum and byte count up to the record are kept, because a tail
 * record covers everything before itself.
 */
int ckpt_read_next(struct ckpt_ctx *ctx, struct ckpt_hdr *h)
{
	ctx->tail_crc = ctx->crc;
	ctx->tail_bytes = ctx->bytes;
	return ckpt_read(ctx, h, sizeof(*h));
}

/*
 * ckpt_read_tail - read the tail record whose header is @h and check it
 * against what the stream held before it.
 */
int ckpt_read_tail(struct ckpt_ctx *ctx, const struct ckpt_hdr *h)
{
	struct ckpt_hdr_tail tail;
	u64 records = ctx->records;
	int ret;

	ret = ckpt_read_payload(ctx, h, &tail, sizeof(tail));
	if (ret)
		return ret;
	if (tail.magic != CKPT_TAIL_MAGIC || tail.reserved) {
		ckpt_log(ctx, "the tail record is corrupt");
		return -EBADMSG;
	}
	if (tail.records != records || tail.bytes != ctx->tail_bytes) {
		ckpt_log(ctx, "the image is corrupt: the tail counts %llu records in %llu bytes, the stream held %llu in %llu",
			 tail.records, tail.bytes, records, ctx->tail_bytes);
		return -EBADMSG;
	}
	if (tail.crc32c != ~ctx->tail_crc) {
		ckpt_log(ctx, "the image is corrupt: checksum %08x, expected %08x",
			 ~ctx->tail_crc, tail.crc32c);
		return -EBADMSG;
	}
	return 0;
}
