// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * lz4 streams: the frame format of liblz4 (lz4frame.h), so that a compressed
 * image is a plain .lz4 file that `lz4 -d` decodes, and `lz4 -c` makes one
 * that ckpt reads.
 *
 * Both directions work in pieces and keep no more than a block: the encoder
 * a 64 KiB chunk of input, its compressed bound and liblz4's 256 KiB block
 * buffer; the decoder what liblz4 needs for the largest block size a frame
 * may declare (4 MiB).  The decoder's input is untrusted: liblz4 checks
 * every length, and the checksums catch what is damaged but well formed.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* LZ4F_getErrorCode(), to tell damage from a lack of memory: ckpt links
 * liblz4 statically, which is what this part of its API asks for. */
#define LZ4F_STATIC_LINKING_ONLY
#include <lz4frame.h>

#include "ckpt.h"
#include "internal.h"

/* How much input the encoder compresses per call into liblz4. */
#define ENCODE_CHUNK		(64 * 1024)

int ckpt_is_lz4(const void *buf, size_t len)
{
	const unsigned char *p = buf;

	return len >= 4 && p[0] == (CKPT_LZ4_MAGIC & 0xff) &&
	       p[1] == ((CKPT_LZ4_MAGIC >> 8) & 0xff) &&
	       p[2] == ((CKPT_LZ4_MAGIC >> 16) & 0xff) &&
	       p[3] == (CKPT_LZ4_MAGIC >> 24);
}

int ckpt_fd_is_lz4(int fd)
{
	unsigned char magic[4];
	ssize_t n = ckpt_peek(fd, magic, sizeof(magic));

	if (n < 0)
		return -1;
	return ckpt_is_lz4(magic, (size_t)n);
}

/* ---- The encoder ---- */

struct ckpt_lz4_encoder {
	LZ4F_cctx *cctx;
	LZ4F_preferences_t prefs;
	ckpt_write_fn *write;
	void *arg;
	bool begun, ended;
	enum ckpt_status status;	/* the first error, which sticks */
	char error[160];
	size_t out_size;
	unsigned char out[];		/* one call's worth of output */
};

/*
 * 256 KiB blocks, each compressed with the previous 64 KiB as its dictionary
 * (linked: better on memory pages than independent blocks), and both
 * checksums: a block's, checked before its bytes go anywhere, and the
 * whole content's at the end.
 */
static const LZ4F_preferences_t encoder_prefs = {
	.frameInfo = {
		.blockSizeID = LZ4F_max256KB,
		.blockMode = LZ4F_blockLinked,
		.contentChecksumFlag = LZ4F_contentChecksumEnabled,
		.frameType = LZ4F_frame,
		.blockChecksumFlag = LZ4F_blockChecksumEnabled,
	},
	.compressionLevel = 0,	/* lz4's fast default, as `lz4 -1` */
};

struct ckpt_lz4_encoder *ckpt_lz4_encoder_new(ckpt_write_fn *write,
					      void *arg)
{
	size_t out_size = LZ4F_compressBound(ENCODE_CHUNK, &encoder_prefs);
	struct ckpt_lz4_encoder *e;

	if (out_size < LZ4F_HEADER_SIZE_MAX)
		out_size = LZ4F_HEADER_SIZE_MAX;
	e = calloc(1, sizeof(*e) + out_size);
	if (!e)
		return NULL;
	if (LZ4F_isError(LZ4F_createCompressionContext(&e->cctx,
						       LZ4F_VERSION))) {
		free(e);
		errno = ENOMEM;
		return NULL;
	}
	e->prefs = encoder_prefs;
	e->write = write;
	e->arg = arg;
	e->out_size = out_size;
	return e;
}

void ckpt_lz4_encoder_free(struct ckpt_lz4_encoder *e)
{
	if (!e)
		return;
	LZ4F_freeCompressionContext(e->cctx);
	free(e);
}

const char *ckpt_lz4_encoder_error(const struct ckpt_lz4_encoder *e)
{
	return e->error;
}

__attribute__((format(printf, 3, 4)))
static enum ckpt_status encoder_fail(struct ckpt_lz4_encoder *e,
				     enum ckpt_status status,
				     const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e->error, sizeof(e->error), fmt, ap);
	va_end(ap);
	e->status = status;
	return status;
}

/* Pass on what liblz4 made of the last call: @ret, a size or an error. */
static enum ckpt_status encoder_emit(struct ckpt_lz4_encoder *e, size_t ret)
{
	if (LZ4F_isError(ret))
		return encoder_fail(e, CKPT_ERR_GENERIC, "lz4 compression failed: %s",
				    LZ4F_getErrorName(ret));
	if (ret && e->write(e->arg, e->out, ret))
		return encoder_fail(e, CKPT_ERR_GENERIC,
				    "writing the lz4 stream failed: %s",
				    strerror(errno));
	return CKPT_OK;
}

static enum ckpt_status encoder_begin(struct ckpt_lz4_encoder *e)
{
	if (e->begun)
		return CKPT_OK;
	e->begun = true;
	return encoder_emit(e, LZ4F_compressBegin(e->cctx, e->out,
						  e->out_size, &e->prefs));
}

enum ckpt_status ckpt_lz4_encode(struct ckpt_lz4_encoder *e, const void *buf,
				 size_t len)
{
	const unsigned char *p = buf;
	enum ckpt_status ret;

	if (e->status)
		return e->status;
	if (e->ended)
		return encoder_fail(e, CKPT_ERR_GENERIC,
				    "the lz4 stream has ended already");
	ret = encoder_begin(e);
	while (!ret && len) {
		size_t n = len < ENCODE_CHUNK ? len : ENCODE_CHUNK;

		/* out_size is the bound for ENCODE_CHUNK: it always fits */
		ret = encoder_emit(e, LZ4F_compressUpdate(e->cctx, e->out,
							  e->out_size, p, n,
							  NULL));
		p += n;
		len -= n;
	}
	return ret;
}

enum ckpt_status ckpt_lz4_encode_end(struct ckpt_lz4_encoder *e)
{
	enum ckpt_status ret;

	if (e->status || e->ended)
		return e->status;
	ret = encoder_begin(e);
	if (!ret)
		ret = encoder_emit(e, LZ4F_compressEnd(e->cctx, e->out,
						       e->out_size, NULL));
	e->ended = true;
	return ret;
}

/* ---- The decoder ---- */

struct ckpt_lz4_decoder {
	LZ4F_dctx *dctx;
	uint64_t consumed;		/* compressed bytes taken so far */
	uint64_t frames;		/* complete frames */
	bool in_frame;			/* inside a frame, not at its end */
	size_t want;			/* liblz4's hint of what comes next */
	enum ckpt_status status;
	char error[160];
};

struct ckpt_lz4_decoder *ckpt_lz4_decoder_new(void)
{
	struct ckpt_lz4_decoder *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	if (LZ4F_isError(LZ4F_createDecompressionContext(&d->dctx,
							 LZ4F_VERSION))) {
		free(d);
		errno = ENOMEM;
		return NULL;
	}
	d->want = 4;			/* a magic number */
	return d;
}

void ckpt_lz4_decoder_free(struct ckpt_lz4_decoder *d)
{
	if (!d)
		return;
	LZ4F_freeDecompressionContext(d->dctx);
	free(d);
}

const char *ckpt_lz4_decoder_error(const struct ckpt_lz4_decoder *d)
{
	return d->error;
}

size_t ckpt_lz4_decoder_want(const struct ckpt_lz4_decoder *d)
{
	return d->want ? d->want : 4;
}

/* What an error of LZ4F_decompress() says about the stream, in words. */
static const char *damage(LZ4F_errorCodes code)
{
	switch (code) {
	case LZ4F_ERROR_frameType_unknown:
		return "not an lz4 frame";
	case LZ4F_ERROR_headerChecksum_invalid:
		return "bad frame header checksum";
	case LZ4F_ERROR_blockChecksum_invalid:
		return "bad block checksum";
	case LZ4F_ERROR_contentChecksum_invalid:
		return "bad content checksum: the decompressed bytes are not the ones compressed";
	case LZ4F_ERROR_decompressionFailed:
		return "malformed compressed block";
	case LZ4F_ERROR_frameSize_wrong:
		return "the frame holds another size than its header says";
	case LZ4F_ERROR_headerVersion_wrong:
		return "unsupported frame version";
	case LZ4F_ERROR_maxBlockSize_invalid:
	case LZ4F_ERROR_blockMode_invalid:
	case LZ4F_ERROR_contentChecksumFlag_invalid:
	case LZ4F_ERROR_reservedFlag_set:
		return "bad frame header";
	default:
		return NULL;
	}
}

enum ckpt_status ckpt_lz4_decode(struct ckpt_lz4_decoder *d, const void *in,
				 size_t *in_len, void *out, size_t *out_len)
{
	const size_t given = *in_len;
	size_t src = given, dst = *out_len, ret;
	LZ4F_errorCodes code;
	const char *what;

	*in_len = *out_len = 0;
	if (d->status)
		return d->status;
	/* with no input, liblz4 still passes on what it decoded before */
	if (!dst)
		return CKPT_OK;
	ret = LZ4F_decompress(d->dctx, out, &dst, in, &src, NULL);
	if (LZ4F_isError(ret)) {
		code = LZ4F_getErrorCode(ret);
		if (code == LZ4F_ERROR_allocation_failed) {
			d->status = CKPT_ERR_GENERIC;
			snprintf(d->error, sizeof(d->error),
				 "cannot decompress the lz4 stream: %s",
				 strerror(ENOMEM));
			return d->status;
		}
		/* anything else comes of the input, which is untrusted */
		what = damage(code);
		d->status = CKPT_ERR_CORRUPT;
		/* liblz4 does not say where in its input: somewhere in it */
		snprintf(d->error, sizeof(d->error),
			 "the lz4 stream is corrupt in compressed bytes %llu to %llu: %s",
			 (unsigned long long)d->consumed,
			 (unsigned long long)(d->consumed + given),
			 what ? what : LZ4F_getErrorName(ret));
		return d->status;
	}
	d->consumed += src;
	if (src)
		d->in_frame = true;
	/* 0: the frame is complete, and the next bytes begin another */
	if (ret == 0 && d->in_frame) {
		d->in_frame = false;
		d->frames++;
	}
	d->want = ret;
	*in_len = src;
	*out_len = dst;
	return CKPT_OK;
}

enum ckpt_status ckpt_lz4_decode_end(struct ckpt_lz4_decoder *d)
{
	if (d->status)
		return d->status;
	if (d->in_frame || !d->frames) {
		d->status = CKPT_ERR_TRUNCATED;
		snprintf(d->error, sizeof(d->error),
			 "the lz4 stream is truncated: it ends inside a frame, after %llu compressed bytes",
			 (unsigned long long)d->consumed);
	}
	return d->status;
}
