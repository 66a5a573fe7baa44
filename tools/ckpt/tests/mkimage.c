// SPDX-License-Identifier: GPL-2.0
/*
 * mkimage DIR: write synthetic checkpoint images into DIR, a valid one laid
 * out byte for byte as kernel/checkpoint/image.c writes it, and damaged ones,
 * each damaged in one way only (the tail is recomputed after any change that
 * should not show up as a checksum error).  tests/run.sh says what each one
 * must make `ckpt info` say.
 *
 * mkimage --stream MIB: write a valid image of about MIB MiB to stdout, as
 * it is made, in records of 1 MiB: for the tests of large streams, which
 * must not need that much memory anywhere.  lz4 makes about half of it,
 * so both sides of a compressed stream are large.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/ckpt.h"

/* An image being built in memory; the test images are small. */
struct image {
	unsigned char buf[512 * 1024];
	size_t len;
	uint64_t records;
};

static void put(struct image *img, const void *data, size_t len)
{
	if (len > sizeof(img->buf) - img->len) {
		fprintf(stderr, "mkimage: image too large\n");
		exit(1);
	}
	memcpy(img->buf + img->len, data, len);
	img->len += len;
}

/*
 * A record of @len bytes from @rec (whose ckpt_hdr is filled in here), then
 * its padding, all bytes @pad_byte (zero, unless testing the check).
 */
static void put_record_padded(struct image *img, uint32_t type, void *rec,
			      uint32_t len, unsigned char pad_byte)
{
	struct ckpt_hdr *h = rec;
	unsigned char pad[CKPT_RECORD_ALIGN];
	size_t pad_len = (CKPT_RECORD_ALIGN - len % CKPT_RECORD_ALIGN) %
			 CKPT_RECORD_ALIGN;

	h->type = type;
	h->len = len;
	memset(pad, pad_byte, sizeof(pad));
	put(img, rec, len);
	put(img, pad, pad_len);
	img->records++;
}

static void put_record(struct image *img, uint32_t type, void *rec,
		       uint32_t len)
{
	put_record_padded(img, type, rec, len, 0);
}

/* The header ckpt_write_header() writes on a typical x86_64 machine. */
static struct ckpt_hdr_header typical_header(void)
{
	struct ckpt_hdr_header hdr = {
		.magic = CKPT_MAGIC,
		.version = CKPT_FORMAT_VERSION,
		.arch = CKPT_ARCH_X86_64,
		.page_size = 4096,
		.flags = 0,
		.xfeatures = 0x2e7,	/* x87 SSE AVX opmask ZMM PKRU */
		.time = 1700000000,	/* 2023-11-14T22:13:20Z */
	};

	strcpy(hdr.release, "6.12.0-ckpt");
	return hdr;
}

static void put_header(struct image *img, struct ckpt_hdr_header hdr)
{
	put_record(img, CKPT_HDR_HEADER, &hdr, sizeof(hdr));
}

/* The tail of what is in @img so far. */
static struct ckpt_hdr_tail tail_of(const struct image *img)
{
	struct ckpt_hdr_tail tail = {
		.magic = CKPT_TAIL_MAGIC,
		.records = img->records,
		.bytes = img->len,
		.crc32c = ckpt_crc32c(0, img->buf, img->len),
	};

	return tail;
}

static void put_tail_as(struct image *img, struct ckpt_hdr_tail tail,
			uint32_t len)
{
	put_record(img, CKPT_HDR_TAIL, &tail, len);
}

static void put_tail(struct image *img)
{
	put_tail_as(img, tail_of(img), sizeof(struct ckpt_hdr_tail));
}

/* A record of a type no reader knows, with an odd length to need padding. */
static void put_unknown(struct image *img, unsigned char pad_byte)
{
	struct {
		struct ckpt_hdr h;
		char payload[13];
	} rec = { .payload = "hello, record" };

	put_record_padded(img, 150, &rec, sizeof(rec.h) + sizeof(rec.payload),
			  pad_byte);
}

static const char *out_dir;

static void save(const char *name, const struct image *img)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", out_dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(img->buf, 1, img->len, f) != img->len ||
	    fclose(f)) {
		fprintf(stderr, "mkimage: %s: %s\n", path, strerror(errno));
		exit(1);
	}
}

/* Each image gets a fresh buffer from here. */
static struct image *new_image(void)
{
	static struct image img;

	memset(&img, 0, sizeof(img));
	return &img;
}

static void make_valid_images(void)
{
	struct image *img;

	img = new_image();
	put_header(img, typical_header());
	put_tail(img);
	save("valid.img", img);

	/* a stream continuing past the image, which restart(2) ignores */
	put(img, "more bytes\n", 11);
	save("trailing.img", img);

	/* a newer writer's header, with fields this reader does not know */
	img = new_image();
	{
		struct {
			struct ckpt_hdr_header hdr;
			char future[12];
		} rec = { typical_header(), "future field" };

		/* 132 bytes, so 4 of padding */
		put_record(img, CKPT_HDR_HEADER, &rec,
			   sizeof(rec.hdr) + sizeof(rec.future));
	}
	put_tail(img);
	save("header-extended.img", img);

	img = new_image();
	put_header(img, typical_header());
	put_unknown(img, 0);
	put_tail(img);
	save("unknown-record.img", img);

	/* a record longer than the reader keeps in memory */
	img = new_image();
	put_header(img, typical_header());
	{
		static struct {
			struct ckpt_hdr h;
			unsigned char payload[200000];
		} big;

		for (size_t i = 0; i < sizeof(big.payload); i++)
			big.payload[i] = (unsigned char)(i * 7);
		put_record(img, 250, &big, sizeof(big) - 3);
	}
	put_tail(img);
	save("big-record.img", img);

	/* checksum right, but not for this machine */
	img = new_image();
	{
		struct ckpt_hdr_header hdr = typical_header();

		hdr.arch = 2;
		put_header(img, hdr);
	}
	put_tail(img);
	save("wrong-arch.img", img);
}

/* A release string no printer may pass on as it is. */
static void make_escapes_image(void)
{
	struct image *img = new_image();
	struct ckpt_hdr_header hdr = typical_header();

	/* a quote, a backslash, a newline, a control character, a byte
	 * that is not UTF-8, and an e acute that is */
	strcpy(hdr.release, "6.12\"\\\n\x01\xff\xc3\xa9");
	put_header(img, hdr);
	put_tail(img);
	save("release-escapes.img", img);
}

static void make_not_images(void)
{
	struct image *img;
	struct ckpt_hdr_header hdr;

	save("empty.img", new_image());

	img = new_image();
	put(img, "hello, world\n", 13);
	save("text.img", img);

	img = new_image();
	hdr = typical_header();
	hdr.magic ^= 0xffULL << 48;	/* "CKPTI\xb8G" */
	put_header(img, hdr);
	put_tail(img);
	save("bad-magic.img", img);

	/* right magic, but the record says it is something else */
	img = new_image();
	hdr = typical_header();
	put_record(img, CKPT_HDR_TAIL, &hdr, sizeof(hdr));
	put_tail(img);
	save("not-header-first.img", img);

	img = new_image();
	hdr = typical_header();
	hdr.version = CKPT_FORMAT_VERSION + 1;
	put_header(img, hdr);
	put_tail(img);
	save("future-version.img", img);
}

static void make_corrupt_images(void)
{
	struct image *img;
	struct ckpt_hdr_tail tail;
	struct ckpt_hdr_header hdr;
	struct ckpt_hdr h;

	/* one bit of the kernel release flipped after the checksum */
	img = new_image();
	put_header(img, typical_header());
	put_tail(img);
	img->buf[offsetof(struct ckpt_hdr_header, release)] ^= 0x01;
	save("flipped.img", img);

	img = new_image();
	put_header(img, typical_header());
	put_unknown(img, 1);
	put_tail(img);
	save("nonzero-pad.img", img);

	img = new_image();
	put_header(img, typical_header());
	tail = tail_of(img);
	tail.records = 5;
	put_tail_as(img, tail, sizeof(tail));
	save("bad-count.img", img);

	img = new_image();
	put_header(img, typical_header());
	tail = tail_of(img);
	tail.bytes += 8;
	put_tail_as(img, tail, sizeof(tail));
	save("bad-bytes.img", img);

	img = new_image();
	put_header(img, typical_header());
	tail = tail_of(img);
	tail.magic = CKPT_MAGIC;
	put_tail_as(img, tail, sizeof(tail));
	save("tail-bad-magic.img", img);

	img = new_image();
	put_header(img, typical_header());
	tail = tail_of(img);
	tail.reserved = 1;
	put_tail_as(img, tail, sizeof(tail));
	save("tail-reserved.img", img);

	img = new_image();
	put_header(img, typical_header());
	put_tail_as(img, tail_of(img), sizeof(tail) - 8);
	save("short-tail.img", img);

	/* shorter than its own ckpt_hdr */
	img = new_image();
	put_header(img, typical_header());
	h = (struct ckpt_hdr){ .type = 150, .len = 4 };
	put(img, &h, sizeof(h));
	save("short-record.img", img);

	img = new_image();
	hdr = typical_header();
	put_record(img, CKPT_HDR_HEADER, &hdr, sizeof(hdr));
	((struct ckpt_hdr *)img->buf)->len = 0x10000000;
	save("header-bad-len.img", img);

	img = new_image();
	put_header(img, typical_header());
	put_header(img, typical_header());
	put_tail(img);
	save("second-header.img", img);

	/* a record that claims almost 4 GiB, in a stream that ends at once:
	 * the reader must neither allocate nor wait for it */
	img = new_image();
	put_header(img, typical_header());
	h = (struct ckpt_hdr){ .type = 150, .len = 0xfffffff9 };
	put(img, &h, sizeof(h));
	put(img, "just a few bytes", 16);
	save("huge-record.img", img);
}

/* Write @len bytes to stdout, counting them into the stream's tail. */
static void stream_put(struct ckpt_hdr_tail *tail, const void *buf,
		       size_t len)
{
	if (fwrite(buf, 1, len, stdout) != len) {
		fprintf(stderr, "mkimage: writing the stream: %s\n",
			strerror(errno));
		exit(1);
	}
	tail->crc32c = ckpt_crc32c(tail->crc32c, buf, len);
	tail->bytes += len;
}

static int make_stream(const char *mib_arg)
{
	static struct {
		struct ckpt_hdr h;
		unsigned char payload[1024 * 1024 - sizeof(struct ckpt_hdr)];
	} rec;
	struct ckpt_hdr_header hdr = typical_header();
	struct ckpt_hdr_tail tail = { .magic = CKPT_TAIL_MAGIC };
	long mib = atol(mib_arg);
	uint32_t seed = 1;

	if (mib < 1)
		return 2;
	hdr.h = (struct ckpt_hdr){ CKPT_HDR_HEADER, sizeof(hdr) };
	stream_put(&tail, &hdr, sizeof(hdr));
	tail.records++;
	rec.h = (struct ckpt_hdr){ 150, sizeof(rec) };
	for (long i = 0; i < mib; i++) {
		/* a small alphabet: compressible, not trivially */
		for (size_t j = 0; j < sizeof(rec.payload); j++) {
			if (j % 8 == 0)
				seed = seed * 1103515245 + 12345;
			rec.payload[j] = "ckptimge"[(seed >> (16 + j % 8)) & 7];
		}
		stream_put(&tail, &rec, sizeof(rec));
		tail.records++;
	}
	tail.h = (struct ckpt_hdr){ CKPT_HDR_TAIL, sizeof(tail) };
	if (fwrite(&tail, 1, sizeof(tail), stdout) != sizeof(tail) ||
	    fflush(stdout)) {
		fprintf(stderr, "mkimage: writing the stream: %s\n",
			strerror(errno));
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "--stream"))
		return make_stream(argv[2]);
	if (argc != 2) {
		fprintf(stderr, "usage: mkimage DIR | mkimage --stream MIB\n");
		return 2;
	}
	out_dir = argv[1];
	make_escapes_image();
	make_valid_images();
	make_not_images();
	make_corrupt_images();
	return 0;
}
