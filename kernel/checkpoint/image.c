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
#include <linux/fs.h>
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
	if (fatal_signal_pending(current))
		return -EINTR;
	ret = kernel_read(ctx->file, ctx->buf, len, ckpt_ppos(ctx));
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
 * ckpt_read_rest - read the rest of a record, @done bytes of which (the
 * header at least) are already in @rec.
 * @size: the length this kernel knows for the record's type
 *
 * Shorter records are corrupt; longer ones come from a newer writer that
 * appended fields, which are skipped (the extension rule).
 */
static int ckpt_read_rest(struct ckpt_ctx *ctx, void *rec, u32 done, u32 size)
{
	struct ckpt_hdr *h = rec;
	u32 extra;
	int ret;

	if (h->len < size || h->len > CKPT_RECORD_MAX_LEN) {
		ckpt_log(ctx, "record %llu (type %u): bad length %u (expected %u to %u)",
			 ctx->records, h->type, h->len, size,
			 CKPT_RECORD_MAX_LEN);
		return -EBADMSG;
	}
	extra = h->len - size;
	ret = ckpt_read(ctx, rec + done, size - done);
	while (!ret && extra) {
		u32 n = min_t(u32, extra, CKPT_RECORD_MAX_LEN);

		ret = ckpt_read(ctx, NULL, n);
		extra -= n;
	}
	if (!ret)
		ret = ckpt_read_pad(ctx, h);
	if (!ret)
		ctx->records++;
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
	return ckpt_read_rest(ctx, hdr, head + sizeof(hdr->version),
			      sizeof(*hdr));
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
 * ckpt_read_payload - read the rest of the record whose header
 * ckpt_read_next() returned, into @rec (which starts with that header).
 */
int ckpt_read_payload(struct ckpt_ctx *ctx, const struct ckpt_hdr *h,
		      void *rec, u32 size)
{
	memcpy(rec, h, sizeof(*h));
	return ckpt_read_rest(ctx, rec, sizeof(*h), size);
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
