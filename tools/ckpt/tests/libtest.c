// SPDX-License-Identifier: GPL-2.0
/*
 * libtest: checks of libckpt that `ckpt info` does not reach, one per
 * invocation so that tests/run.sh numbers and reports them:
 *
 *   libtest crc32c                        the CRC against known values
 *   libtest syscalls                      the wrappers' return convention
 *   libtest read [--restart] [--check] [--file] [--decompress]
 *               [--any-version] IMG|-
 *       read an image as restart(2) would (--restart), or checking its
 *       records as restart(2) does on any machine (--check), through a
 *       FILE (--file) rather than an fd, decompressing an lz4 stream
 *       (--decompress), of any format version the library knows, by the
 *       rules of its version (--any-version); print the records read, or
 *       the error, and exit with the reader's status.
 *   libtest digest [--any-version] IMG
 *       one line per record, "INDEX TYPE LEN CRC", CRC being the CRC-32C
 *       of the whole record (its bytes that were not kept too, through
 *       the reader's bulk function), the padding left out: to compare
 *       records of two images.
 *   libtest msg-walk
 *       the walk of a message queue's messages (ckpt_msg_walk()) gives
 *       the same result, valid or not, whatever the pieces its record
 *       comes in.
 *   libtest lz4-compress | lz4-decompress
 *       stdin to stdout through the library's lz4 encoder or decoder; the
 *       error on stderr, and the status as exit status.
 *   libtest pump-write [--lz4] [--fail]
 *       a pump for checkpoint(2), with this program as the kernel: stdin
 *       goes into the pump's fd, and the pump writes it to stdout (--lz4:
 *       compressed); --fail ends as a failed checkpoint(2) would.  Prints
 *       the pump's status and progress on stderr.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/ckpt.h"
#include "../lib/internal.h"

static int failures;

#define CHECK(cond, ...)						\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "libtest: %s:%d: ", __FILE__, __LINE__); \
			fprintf(stderr, __VA_ARGS__);			\
			fputc('\n', stderr);				\
			failures++;					\
		}							\
	} while (0)

/* Bit by bit from the definition: the reference for the other two ways. */
static uint32_t crc32c_reference(const unsigned char *p, size_t len)
{
	uint32_t reg = 0xffffffff;

	while (len--) {
		reg ^= *p++;
		for (int bit = 0; bit < 8; bit++)
			reg = (reg >> 1) ^ (0x82f63b78 & -(reg & 1));
	}
	return ~reg;
}

static int test_crc32c(void)
{
	static unsigned char data[4096 + 16];
	uint32_t seed = 12345;

	CHECK(ckpt_crc32c(0, "123456789", 9) == 0xe3069283,
	      "crc32c(\"123456789\") = 0x%08x",
	      ckpt_crc32c(0, "123456789", 9));
	CHECK(ckpt_crc32c_portable(0, "123456789", 9) == 0xe3069283,
	      "portable crc32c(\"123456789\") = 0x%08x",
	      ckpt_crc32c_portable(0, "123456789", 9));
	CHECK(ckpt_crc32c(0, "", 0) == 0, "crc32c of nothing is not 0");

	for (size_t i = 0; i < sizeof(data); i++) {
		seed = seed * 1103515245 + 12345;
		data[i] = seed >> 16;
	}
	/* every alignment and tail length the 8-byte loop can meet */
	for (size_t start = 0; start < 16; start++) {
		for (size_t len = 0; len < 64; len++) {
			uint32_t want = crc32c_reference(data + start, len);

			CHECK(ckpt_crc32c(0, data + start, len) == want,
			      "start %zu len %zu", start, len);
			CHECK(ckpt_crc32c_portable(0, data + start, len) == want,
			      "portable: start %zu len %zu", start, len);
		}
	}
	/* feeding pieces gives the CRC of the whole */
	for (size_t split = 0; split <= 4096; split += 511) {
		uint32_t crc = ckpt_crc32c(0, data, split);

		crc = ckpt_crc32c(crc, data + split, 4096 - split);
		CHECK(crc == crc32c_reference(data, 4096), "split at %zu",
		      split);
	}
	return failures ? 1 : 0;
}

/*
 * -1 and errno, like libc, never a raw negative errno.  Which errno depends
 * on the kernel the tests run on: EBADF (fd -1) on a ckpt kernel, ENOSYS on
 * an older one, EPERM under a seccomp filter; and from 6.13 on, 463 and 464
 * are setxattrat(2) and getxattrat(2), which fail on these arguments too.
 */
static bool failed_like_libc(int ret, int err)
{
	return ret == -1 && err > 0 && err < 4096;
}

static int test_syscalls(void)
{
	int ret;

	errno = 0;
	ret = ckpt_checkpoint(getpid(), -1, 0, -1);
	CHECK(failed_like_libc(ret, errno),
	      "checkpoint: %d, errno %d", ret, errno);
	errno = 0;
	ret = ckpt_restart(0, -1, RESTART_DRY_RUN, -1);
	CHECK(failed_like_libc(ret, errno),
	      "restart: %d, errno %d", ret, errno);
	return failures ? 1 : 0;
}

/* ---- ckpt_msg_walk(), for the messages of SysV message queues ---- */

/* A message queue record being built for msg-walk */
struct msgq_rec {
	union {
		struct ckpt_hdr_ipc_msg q;
		unsigned char buf[512];
	};
	uint32_t len;
};

/* Start @r with @nr messages announced. */
static void msgq_start(struct msgq_rec *r, uint32_t nr)
{
	memset(r, 0, sizeof(*r));
	r->q.nr_msgs = nr;
	r->len = sizeof(r->q);
}

/* Add a message of @mtype with @size bytes of text, @pad_byte as padding. */
static void msgq_put(struct msgq_rec *r, int64_t mtype, uint32_t size,
		     unsigned char pad_byte)
{
	struct ckpt_ipc_msg m = { .mtype = mtype, .size = size };
	uint32_t pad = (8 - size % 8) % 8;

	memcpy(r->buf + r->len, &m, sizeof(m));
	r->len += sizeof(m);
	memset(r->buf + r->len, 'x', size);
	r->len += size;
	memset(r->buf + r->len, pad_byte, pad);
	r->len += pad;
}

/* What a walk found: its status, where, the messages and their bytes */
struct walk_result {
	enum ckpt_msg_walk_status st;
	uint32_t index;
	uint32_t msgs;
	uint64_t bytes;
};

/* Count a message, and stop at one whose type is not above 0. */
static int walk_count(void *arg, const struct ckpt_msg_walk *w,
		      const struct ckpt_ipc_msg *msg)
{
	struct walk_result *res = arg;

	(void)w;
	if (msg->mtype <= 0)
		return 1;
	res->msgs++;
	res->bytes += msg->size;
	return 0;
}

/* Walk the messages of @r in pieces of @piece bytes (0: whole). */
static struct walk_result walk_in_pieces(struct msgq_rec *r, size_t piece)
{
	struct walk_result res = { 0 };
	struct ckpt_msg_walk w;
	size_t off = sizeof(r->q);

	r->q.h.len = r->len;
	res.st = ckpt_msg_walk_begin(&w, &r->q);
	while (!res.st && off < r->len) {
		size_t n = piece && piece < r->len - off ? piece :
							   r->len - off;

		res.st = ckpt_msg_walk(&w, r->buf + off, n, walk_count, &res);
		off += n;
	}
	res.index = w.index;
	return res;
}

/* Each piece size gives what the whole record gives, which is @want. */
static void check_walk(const char *what, struct msgq_rec *r,
		       struct walk_result want)
{
	for (size_t piece = 0; piece <= 40; piece++) {
		struct walk_result got = walk_in_pieces(r, piece);

		CHECK(got.st == want.st && got.index == want.index &&
		      got.msgs == want.msgs && got.bytes == want.bytes,
		      "%s, pieces of %zu: status %d at message %u, %u messages of %llu bytes; expected %d at %u, %u of %llu",
		      what, piece, got.st, got.index, got.msgs,
		      (unsigned long long)got.bytes, want.st, want.index,
		      want.msgs, (unsigned long long)want.bytes);
	}
}

static int test_msg_walk(void)
{
	struct msgq_rec r;

	msgq_start(&r, 3);
	msgq_put(&r, 5, 5, 0);
	msgq_put(&r, 1, 0, 0);
	msgq_put(&r, 9, 24, 0);
	check_walk("three messages", &r,
		   (struct walk_result){ CKPT_MSG_WALK_OK, 3, 3, 29 });
	msgq_start(&r, 0);
	check_walk("none", &r, (struct walk_result){ CKPT_MSG_WALK_OK, 0, 0, 0 });
	r.len += 8;
	check_walk("none, 8 bytes after", &r,
		   (struct walk_result){ CKPT_MSG_WALK_EXTRA, 0, 0, 0 });
	msgq_start(&r, 2);
	msgq_put(&r, 5, 5, 0);
	msgq_put(&r, 9, 13, 0);
	r.len += 8;
	check_walk("8 bytes after the last", &r,
		   (struct walk_result){ CKPT_MSG_WALK_EXTRA, 2, 2, 18 });
	msgq_start(&r, 2);
	msgq_put(&r, 5, 5, 1);
	msgq_put(&r, 9, 13, 0);
	check_walk("padding not zero", &r,
		   (struct walk_result){ CKPT_MSG_WALK_PADDING, 0, 1, 5 });
	msgq_start(&r, 3);
	msgq_put(&r, 5, 5, 0);
	msgq_put(&r, 9, 13, 0);
	check_walk("one announced too many", &r,
		   (struct walk_result){ CKPT_MSG_WALK_PAST_END, 2, 2, 18 });
	msgq_start(&r, 2);
	msgq_put(&r, 5, 5, 0);
	msgq_put(&r, 9, 13, 0);
	r.len -= 8;
	check_walk("the last one cut", &r,
		   (struct walk_result){ CKPT_MSG_WALK_PAST_END, 1, 1, 5 });
	msgq_start(&r, 2);
	msgq_put(&r, 5, 5, 0);
	msgq_put(&r, 0, 13, 0);
	check_walk("a type of 0", &r,
		   (struct walk_result){ CKPT_MSG_WALK_STOPPED, 1, 1, 5 });
	return failures ? 1 : 0;
}

static int test_read(int argc, char **argv)
{
	unsigned int flags = 0;
	bool use_file = false;
	struct ckpt_reader *r;
	struct ckpt_record rec;
	enum ckpt_status ret;
	FILE *file = NULL;
	int fd = -1, i;

	for (i = 2; i < argc - 1; i++) {
		if (!strcmp(argv[i], "--restart"))
			flags |= CKPT_READ_RESTART;
		else if (!strcmp(argv[i], "--check"))
			flags |= CKPT_READ_CHECK;
		else if (!strcmp(argv[i], "--file"))
			use_file = true;
		else if (!strcmp(argv[i], "--decompress"))
			flags |= CKPT_READ_DECOMPRESS;
		else if (!strcmp(argv[i], "--any-version"))
			flags |= CKPT_READ_ANY_VERSION;
		else
			return 2;
	}
	if (i != argc - 1)
		return 2;

	if (use_file) {
		file = strcmp(argv[i], "-") ? fopen(argv[i], "rb") : stdin;
		r = file ? ckpt_reader_from_file(file, flags) : NULL;
	} else {
		fd = strcmp(argv[i], "-") ? open(argv[i], O_RDONLY) : 0;
		r = fd >= 0 ? ckpt_reader_from_fd(fd, flags) : NULL;
	}
	if (!r) {
		perror(argv[i]);
		return 1;
	}
	do {
		ret = ckpt_read_record(r, &rec);
		if (!ret)
			printf("record %" PRIu64 " type %u len %u kept %u\n",
			       rec.index, rec.hdr.type, rec.hdr.len,
			       rec.data_len);
	} while (!ret && rec.hdr.type != CKPT_HDR_TAIL);
	if (ret)
		printf("error: %s\n", ckpt_reader_error(r));
	else
		printf("valid\n");
	ckpt_reader_free(r);
	if (file && file != stdin)
		fclose(file);
	if (fd > 0)
		close(fd);
	return ret;
}

/* The CRC of the record being read, over what the reader did not keep. */
struct digest {
	uint32_t crc;
	bool bulk;		/* the record went through digest_bulk() */
};

static enum ckpt_status digest_bulk(void *arg, const struct ckpt_record *rec,
				    const void *buf, size_t len)
{
	struct digest *d = arg;

	if (!buf) {
		d->crc = ckpt_crc32c(0, rec->data, rec->data_len);
		d->bulk = true;
	} else {
		d->crc = ckpt_crc32c(d->crc, buf, len);
	}
	return CKPT_OK;
}

static int test_digest(int argc, char **argv)
{
	unsigned int flags = CKPT_READ_CHECK;
	struct digest d = { 0 };
	struct ckpt_reader *r;
	struct ckpt_record rec;
	enum ckpt_status ret;
	int fd;

	if (argc == 4 && !strcmp(argv[2], "--any-version"))
		flags |= CKPT_READ_ANY_VERSION;
	else if (argc != 3)
		return 2;
	fd = open(argv[argc - 1], O_RDONLY);
	r = fd >= 0 ? ckpt_reader_from_fd(fd, flags) : NULL;
	if (!r) {
		perror(argv[argc - 1]);
		return 1;
	}
	ckpt_reader_set_bulk(r, digest_bulk, &d);
	do {
		ret = ckpt_read_record(r, &rec);
		if (ret)
			break;
		if (!d.bulk)
			d.crc = ckpt_crc32c(0, rec.data, rec.data_len);
		printf("%" PRIu64 " %u %u 0x%08x\n", rec.index, rec.hdr.type,
		       rec.hdr.len, d.crc);
		d.bulk = false;
	} while (rec.hdr.type != CKPT_HDR_TAIL);
	if (ret)
		printf("error: %s\n", ckpt_reader_error(r));
	ckpt_reader_free(r);
	close(fd);
	return ret;
}

static int write_all(int fd, const void *buf, size_t len)
{
	const unsigned char *p = buf;
	ssize_t n;

	while (len) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int write_stdout(void *arg, const void *buf, size_t len)
{
	(void)arg;
	return write_all(STDOUT_FILENO, buf, len);
}

static int test_lz4_compress(void)
{
	static unsigned char buf[100 * 1000];	/* not a power of two */
	struct ckpt_lz4_encoder *e = ckpt_lz4_encoder_new(write_stdout, NULL);
	enum ckpt_status ret = CKPT_OK;
	ssize_t n;

	if (!e)
		return 1;
	while (!ret && (n = read(STDIN_FILENO, buf, sizeof(buf))) > 0)
		ret = ckpt_lz4_encode(e, buf, (size_t)n);
	if (!ret)
		ret = ckpt_lz4_encode_end(e);
	if (ret)
		fprintf(stderr, "error: %s\n", ckpt_lz4_encoder_error(e));
	ckpt_lz4_encoder_free(e);
	return ret;
}

/* Small output buffers, so that the decoder often has more to give. */
static int test_lz4_decompress(void)
{
	static unsigned char in[64 * 1024], out[4000];
	struct ckpt_lz4_decoder *d = ckpt_lz4_decoder_new();
	enum ckpt_status ret = CKPT_OK;
	size_t off, in_len, out_len;
	ssize_t n = 1;

	if (!d)
		return 1;
	while (!ret && n > 0) {
		n = read(STDIN_FILENO, in, sizeof(in));
		if (n < 0)
			break;
		off = 0;
		do {
			in_len = (size_t)n - off;
			out_len = sizeof(out);
			ret = ckpt_lz4_decode(d, in + off, &in_len, out,
					      &out_len);
			off += in_len;
			if (!ret && write_all(STDOUT_FILENO, out, out_len))
				ret = CKPT_ERR_GENERIC;
		} while (!ret && (off < (size_t)n || out_len == sizeof(out)));
	}
	if (!ret)
		ret = ckpt_lz4_decode_end(d);
	if (ret)
		fprintf(stderr, "error: %s\n", ckpt_lz4_decoder_error(d));
	ckpt_lz4_decoder_free(d);
	return ret;
}

static void print_pump_progress(const struct ckpt_pump_stats *st, void *arg)
{
	(void)arg;
	fprintf(stderr, "progress: image %" PRIu64 " stream %" PRIu64 "%s\n",
		st->image_bytes, st->stream_bytes, st->done ? " done" : "");
}

static int test_pump_write(int argc, char **argv)
{
	static unsigned char buf[100 * 1000];
	unsigned int flags = CKPT_PUMP_WRITE;
	bool fail = false, kernel_ok = true;
	struct ckpt_pump *p;
	enum ckpt_status ret;
	ssize_t n;

	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--lz4"))
			flags |= CKPT_PUMP_LZ4;
		else if (!strcmp(argv[i], "--fail"))
			fail = true;
		else
			return 2;
	}
	p = ckpt_pump_start(STDOUT_FILENO, flags, print_pump_progress, NULL);
	if (!p) {
		perror("ckpt_pump_start");
		return 1;
	}
	/* the kernel's part: it gets EPIPE once the pump gave up */
	signal(SIGPIPE, SIG_IGN);
	while ((n = read(STDIN_FILENO, buf, sizeof(buf))) > 0 && kernel_ok)
		kernel_ok = !write_all(ckpt_pump_fd(p), buf, (size_t)n);
	if (fail)
		kernel_ok = false;
	ret = ckpt_pump_finish(p, kernel_ok, NULL);
	fprintf(stderr, "pump: status %d: %s\n", ret, ckpt_pump_error(p));
	ckpt_pump_free(p);
	return ret;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "lz4-compress"))
		return test_lz4_compress();
	if (argc == 2 && !strcmp(argv[1], "lz4-decompress"))
		return test_lz4_decompress();
	if (argc >= 2 && !strcmp(argv[1], "pump-write"))
		return test_pump_write(argc, argv);
	if (argc >= 2 && !strcmp(argv[1], "crc32c"))
		return test_crc32c();
	if (argc >= 2 && !strcmp(argv[1], "syscalls"))
		return test_syscalls();
	if (argc == 2 && !strcmp(argv[1], "msg-walk"))
		return test_msg_walk();
	if (argc >= 3 && !strcmp(argv[1], "read"))
		return test_read(argc, argv);
	if (argc >= 3 && !strcmp(argv[1], "digest"))
		return test_digest(argc, argv);
	fprintf(stderr, "usage: libtest crc32c|syscalls|msg-walk|read [--restart] [--check] [--file] [--decompress] [--any-version] IMG\n"
		"       libtest digest [--any-version] IMG\n"
		"       libtest lz4-compress|lz4-decompress|pump-write [--lz4] [--fail]\n");
	return 2;
}
