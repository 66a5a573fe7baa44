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
 *
 * mkimage --pages MIB: the same with about MIB MiB of page records of one
 * page each, in one address space of one task: for `ckpt info`, which
 * must count them, not keep them.  mkimage --v1-pages MIB, --v2-pages MIB
 * and --v3-pages MIB: the same as format version 1, 2 or 3 wrote it, for
 * `ckpt convert`, which must not keep them either.
 *
 * The images of a process tree are of format version 4: each task record
 * before its address space (if no task before it used it), each live task
 * with its TLS descriptors, attributes, credentials, fd table, fs, signal
 * handlers and signal state after its CPU state (state.img has all of it,
 * and its damaged copies break each rule of their order and fields once;
 * so do the copies of memfd.img, with memfds and shared memory, of
 * timers.img, with TLS descriptors in use, POSIX timers and their pending
 * signals, and of tree.img, with processes in their own address spaces,
 * threads, process groups and a stopped process).  They are made in
 * version 3's order and saved in version 4's (v4_order()), and the valid
 * ones also as they were made, NAME-mm-first.img, as a converted image
 * has them.  The v1-*.img, v2-*.img and v3-*.img images are of format
 * versions 1 to 3, as their kernels wrote them, for `ckpt convert`.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/ckpt.h"

/* An image being built in memory; the test images are small. */
struct image {
	unsigned char buf[2 * 1024 * 1024];
	size_t len;
	uint64_t records;
	uint32_t version;	/* its header's */
	bool own_tls;		/* version 3: the caller writes the TLS
				 * record after each xstate, not put_xstate() */
};

static uint32_t align8(uint32_t len)
{
	return (len + CKPT_RECORD_ALIGN - 1) / CKPT_RECORD_ALIGN *
	       CKPT_RECORD_ALIGN;
}

/* The format version of the images made now: see make_v2_images(). */
static uint32_t gen_version = CKPT_FORMAT_VERSION;

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
		.version = gen_version,
		.arch = CKPT_ARCH_X86_64,
		.page_size = 4096,
		.flags = 0,
		.xfeatures = 0x2e7,	/* x87 SSE AVX opmask ZMM PKRU */
		.time = 1700000000,	/* 2023-11-14T22:13:20Z */
	};

	strcpy(hdr.release, "6.12.0-ckpt");
	return hdr;
}

/* A namespaces record without names: CKPT_NS_IPC at most in @flags. */
static void put_namespaces_flags(struct image *img, uint32_t flags)
{
	struct ckpt_hdr_namespaces ns = { .flags = flags };

	put_record(img, CKPT_HDR_NAMESPACES, &ns, sizeof(ns));
}

/* The namespaces record of a container in the restarter's UTS and IPC
 * namespaces: none of its own. */
static void put_namespaces(struct image *img)
{
	put_namespaces_flags(img, 0);
}

/* Just the header, and nothing of what follows it. */
static void put_header_only(struct image *img, struct ckpt_hdr_header hdr)
{
	img->version = hdr.version;
	put_record(img, CKPT_HDR_HEADER, &hdr, sizeof(hdr));
}

/* The header, and from version 4 on the namespaces record after it. */
static void put_header(struct image *img, struct ckpt_hdr_header hdr)
{
	put_header_only(img, hdr);
	if (hdr.version >= 4)
		put_namespaces(img);
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

/* The type of the record at @off of @img, and its length with padding. */
static uint32_t record_at(const struct image *img, size_t off,
			  uint32_t *size)
{
	struct ckpt_hdr h = { 0 };

	if (img->len - off >= sizeof(h))
		memcpy(&h, img->buf + off, sizeof(h));
	*size = h.len > UINT32_MAX - 8 ? 0 : align8(h.len);
	return h.type;
}

/*
 * Format version 4's order, from the order of version 3 that the images
 * are made in: each task record that came right after the address space
 * it uses first (its mm record, memory areas and pages) goes right
 * before it, as checkpoint writes it now; the tail is recomputed.  An
 * image whose records are not in version 3's order (damaged ones) keeps
 * them as they are.
 */
static void v4_order(struct image *img)
{
	static unsigned char task[4096];
	struct ckpt_hdr_tail tail = { 0 };
	size_t off = 0, mm_off = 0, end = img->len;
	uint32_t size, type, mm = 0;
	bool in_mm = false, moved = false, tail_ok = false;

	/* records that run to the end (not a damaged length), the tail
	 * last, and whether it counts what is before it */
	while (off < img->len) {
		type = record_at(img, off, &size);
		if (size < sizeof(struct ckpt_hdr) || size > img->len - off)
			return;
		if (type == CKPT_HDR_TAIL && off + sizeof(tail) == img->len) {
			end = off;
			memcpy(&tail, img->buf + off, sizeof(tail));
			tail_ok = tail.records == img->records - 1 &&
				  tail.bytes == off &&
				  tail.crc32c == ckpt_crc32c(0, img->buf, off);
		}
		off += size;
	}
	for (off = 0; off < end; off += size) {
		type = record_at(img, off, &size);
		if (type == CKPT_HDR_MM) {
			memcpy(&mm, img->buf + off +
			       offsetof(struct ckpt_hdr_mm, objref), sizeof(mm));
			mm_off = off;
			in_mm = true;
		} else if (type == CKPT_HDR_TASK && in_mm) {
			uint32_t task_mm;

			memcpy(&task_mm, img->buf + off +
			       offsetof(struct ckpt_hdr_task, mm_objref),
			       sizeof(task_mm));
			if (task_mm == mm && size <= sizeof(task)) {
				memcpy(task, img->buf + off, size);
				memmove(img->buf + mm_off + size,
					img->buf + mm_off, off - mm_off);
				memcpy(img->buf + mm_off, task, size);
				moved = true;
			}
			in_mm = false;
		} else if (type != CKPT_HDR_VMA && type != CKPT_HDR_PAGES) {
			in_mm = false;
		}
	}
	if (!moved || !tail_ok)
		return;
	tail.crc32c = ckpt_crc32c(0, img->buf, end);
	memcpy(img->buf + end, &tail, sizeof(tail));
}

static void save_as_is(const char *name, const struct image *img)
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

/* Save @img, in the order of its version (see v4_order()). */
static void save(const char *name, struct image *img)
{
	if (img->version >= 4)
		v4_order(img);
	save_as_is(name, img);
}

/*
 * A valid image in both orders version 4 takes: NAME.img as checkpoint
 * writes it, and (version 4 on) NAME-mm-first.img as an image converted
 * from an older version has it, the first task after its address space.
 */
static void save_both(const char *name, struct image *img)
{
	char first[256];
	size_t len = strlen(name) - strlen(".img");

	if (img->version >= 4) {
		snprintf(first, sizeof(first), "%.*s-mm-first.img", (int)len,
			 name);
		save_as_is(first, img);
	}
	save(name, img);
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
	put_namespaces(img);
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

/* ---- Images of a process tree, as kernel/checkpoint writes them ---- */

#define PAGE		4096ULL
#define EXE_PATH	"/usr/bin/sleeper"
/* the areas of the address space */
#define CODE_START	0x400000ULL
#define CODE_END	0x402000ULL
#define HEAP_START	0x600000ULL
#define HEAP_END	0x800000ULL
#define STACK_START	0x7ffffffdd000ULL
#define STACK_END	0x7ffffffff000ULL
/* x86_64 user segments */
#define USER_CS		0x33
#define USER_DS		0x2b

/* One way to damage the image of put_task_image(), or none. */
enum task_damage {
	TASK_VALID,
	TASK_PAGE_OUTSIDE,	/* a page between the heap and the stack */
	TASK_OBJREF_ORDER,	/* the first file is objref 2 */
	TASK_NO_REGS,		/* the first task without its registers */
	TASK_VMA_UNSORTED,	/* the heap before the end of the code */
	TASK_BAD_CS,		/* kernel segments in the registers */
	TASK_SMALL_XSTATE,	/* 512 bytes of XSAVE area */
	TASK_EXE_UNDEFINED,	/* the mm's exe is file 2, not defined */
	TASK_PAGES_BAD_LEN,	/* a page record one page short */
	TASK_NO_PATH,		/* the file without its string */
	TASK_PAGES_AFTER_TASK,	/* a page record after the first task's
				 * CPU state, in no address space */
	TASK_RELATIVE_PATH,	/* the exe's path is not absolute */
	TASK_HOSTILE_NAMES,	/* valid, but with a path and a name that
				 * no printer may pass on as they are */
};

/* a quote, a backslash, a newline, a control character, a byte that is
 * not UTF-8, and an e acute that is */
#define HOSTILE_PATH	"/tmp/a\"b\\c\nd\x01\xff\xc3\xa9"
#define HOSTILE_COMM	"sl\"e\te\x7fp"

static void put_string(struct image *img, const char *str)
{
	struct {
		struct ckpt_hdr_string s;
		char bytes[CKPT_STRING_MAX];
	} rec = { .s.len = strlen(str) + 1 };

	memcpy(rec.bytes, str, rec.s.len);
	put_record(img, CKPT_HDR_STRING, &rec, sizeof(rec.s) + rec.s.len);
}

/* The length of a file record in format version 1: no pipe_objref. */
#define FILE_V1_LEN	offsetof(struct ckpt_hdr_file, pipe_objref)

/* Any file; a path follows it if @path is not NULL. */
static void put_file_as(struct image *img, struct ckpt_hdr_file f,
			const char *path)
{
	put_record(img, CKPT_HDR_FILE, &f, sizeof(f));
	if (path)
		put_string(img, path);
}

/* A regular file of 16 KiB, read-only, at offset 0. */
static struct ckpt_hdr_file reg_file(uint32_t objref)
{
	struct ckpt_hdr_file f = {
		.objref = objref,
		.type = CKPT_FILE_REG,
		.f_flags = 0100000,	/* O_RDONLY | O_LARGEFILE */
		.pos = 0,
		.size = 16384,
	};

	return f;
}

static void put_file(struct image *img, uint32_t objref, const char *path)
{
	put_file_as(img, reg_file(objref), path);
}

/* A file record as format version 1 wrote it: 8 bytes shorter. */
static void put_file_v1(struct image *img, uint32_t objref, const char *path)
{
	struct ckpt_hdr_file f = reg_file(objref);

	put_record(img, CKPT_HDR_FILE, &f, FILE_V1_LEN);
	if (path)
		put_string(img, path);
}

static void put_vma(struct image *img, uint64_t start, uint64_t end,
		    uint32_t kind, uint32_t prot, uint32_t flags,
		    uint32_t file_objref)
{
	struct ckpt_hdr_vma v = {
		.start = start, .end = end, .kind = kind, .prot = prot,
		.flags = flags, .file_objref = file_objref,
	};

	put_record(img, CKPT_HDR_VMA, &v, sizeof(v));
}

/*
 * A page record of @nr pages at @addrs, each filled with its own byte;
 * @len_pages pages of data are written (@nr, unless testing the check).
 */
static void put_pages(struct image *img, const uint64_t *addrs, uint32_t nr,
		      uint32_t len_pages)
{
	static unsigned char rec[sizeof(struct ckpt_hdr_pages) +
				 CKPT_PAGES_MAX * (8 + PAGE)];
	struct ckpt_hdr_pages *p = (struct ckpt_hdr_pages *)rec;
	unsigned char *data = rec + sizeof(*p) + nr * 8;

	memset(rec, 0, sizeof(rec));
	p->nr_pages = nr;
	memcpy(p + 1, addrs, nr * 8);
	for (uint32_t i = 0; i < len_pages; i++)
		memset(data + i * PAGE, 0x11 + i % 200, PAGE);
	put_record(img, CKPT_HDR_PAGES, rec,
		   sizeof(*p) + nr * 8 + len_pages * PAGE);
}

/* The length of a task record up to format version 3: no pgid and on. */
#define TASK_V3_LEN	offsetof(struct ckpt_hdr_task, pgid)

/* A task record as the image's version has it. */
static void put_task_rec(struct image *img, struct ckpt_hdr_task t)
{
	put_record(img, CKPT_HDR_TASK, &t,
		   img->version < 4 ? TASK_V3_LEN : sizeof(t));
}

/* A task outside any process group or session of the container. */
static struct ckpt_hdr_task task_rec(int32_t pid, int32_t tgid, int32_t ppid,
				     uint32_t mm, uint32_t flags,
				     int32_t exit_code, const char *comm)
{
	struct ckpt_hdr_task t = {
		.pid = pid, .tgid = tgid, .ppid = ppid,
		.exit_signal = pid == tgid ? 17 : -1,	/* SIGCHLD */
		.mm_objref = mm, .flags = flags, .exit_code = exit_code,
	};

	strncpy(t.comm, comm, sizeof(t.comm) - 1);
	return t;
}

static void put_task_files(struct image *img, int32_t pid, int32_t tgid,
			   int32_t ppid, uint32_t mm, uint32_t flags,
			   int32_t exit_code, const char *comm,
			   uint32_t nr_files)
{
	struct ckpt_hdr_task t = task_rec(pid, tgid, ppid, mm, flags,
					  exit_code, comm);

	t.nr_files = nr_files;
	put_task_rec(img, t);
}

static void put_task(struct image *img, int32_t pid, int32_t tgid,
		     int32_t ppid, uint32_t mm, uint32_t flags,
		     int32_t exit_code, const char *comm)
{
	put_task_files(img, pid, tgid, ppid, mm, flags, exit_code, comm, 0);
}

static void put_regs(struct image *img, uint64_t ip, uint64_t sp,
		     uint64_t orig_ax, int64_t ax, uint64_t cs)
{
	struct ckpt_hdr_cpu_regs r = {
		.regs = {
			.ip = ip, .sp = sp, .orig_ax = orig_ax,
			.ax = (uint64_t)ax, .cs = cs, .ss = USER_DS,
			.flags = 0x246, .fs_base = 0x7ffff7d8e740,
		},
	};

	put_record(img, CKPT_HDR_CPU_REGS, &r, sizeof(r));
}

/* The TLS descriptors of a task that never called set_thread_area(2). */
static struct ckpt_hdr_cpu_tls unused_tls(void)
{
	struct ckpt_hdr_cpu_tls t = { 0 };

	for (uint32_t i = 0; i < CKPT_TLS_ENTRIES; i++) {
		t.desc[i].entry_number = CKPT_TLS_FIRST_ENTRY + i;
		t.desc[i].flags = CKPT_TLS_READ_EXEC_ONLY | CKPT_TLS_NOT_PRESENT;
	}
	return t;
}

/* A TLS record of @len bytes (its size, unless testing the check). */
static void put_tls(struct image *img, struct ckpt_hdr_cpu_tls t,
		    uint32_t len)
{
	static struct {
		struct ckpt_hdr_cpu_tls t;
		unsigned char more[8];
	} rec;

	memset(&rec, 0, sizeof(rec));
	rec.t = t;
	put_record(img, CKPT_HDR_CPU_TLS, &rec, len);
}

/* A standard-format XSAVE area of @size bytes: x87 and SSE defaults, and
 * @bv as XSTATE_BV in its header at offset 512 (and @xcomp as XCOMP_BV,
 * 0 but to test the check). */
static void put_xstate_xcomp(struct image *img, uint32_t size, uint64_t bv,
			     uint64_t xcomp)
{
	static struct {
		struct ckpt_hdr_cpu_xstate x;
		unsigned char area[4096];
	} rec;
	uint16_t fcw = 0x37f;
	uint32_t mxcsr = 0x1f80;

	memset(&rec, 0, sizeof(rec));
	rec.x.size = size;
	memcpy(rec.area, &fcw, sizeof(fcw));
	memcpy(rec.area + 24, &mxcsr, sizeof(mxcsr));
	if (size >= 520)
		memcpy(rec.area + 512, &bv, sizeof(bv));
	if (size >= 528)
		memcpy(rec.area + 520, &xcomp, sizeof(xcomp));
	put_record(img, CKPT_HDR_CPU_XSTATE, &rec, sizeof(rec.x) + size);
	if (img->version >= 3 && !img->own_tls)
		put_tls(img, unused_tls(), sizeof(struct ckpt_hdr_cpu_tls));
}

static void put_xstate(struct image *img, uint32_t size, uint64_t bv)
{
	put_xstate_xcomp(img, size, bv, 0);
}

/* ---- The records format version 2 added ---- */

#define SIG_BIT(sig)	(1ULL << ((sig) - 1))
#define X86_SA_RESTART	0x10000000ULL
#define X86_SA_RESTORER	0x04000000ULL
#define X86_SS_AUTODISARM	(1U << 31)
#define INFINITY64	(~0ULL)
#define NSEC		1000000000ULL

static void put_pipe(struct image *img, uint32_t objref, uint32_t size,
		     uint32_t len, uint32_t rec_len)
{
	static struct {
		struct ckpt_hdr_pipe p;
		unsigned char data[CKPT_PIPE_MAX];
	} rec;

	memset(&rec, 0, sizeof(rec));
	rec.p.objref = objref;
	rec.p.size = size;
	rec.p.len = len;
	for (uint32_t i = 0; i < len && i < sizeof(rec.data); i++)
		rec.data[i] = "hello pipe\n"[i % 11];
	put_record(img, CKPT_HDR_PIPE, &rec, rec_len);
}

static struct ckpt_hdr_restart_block restart_block(uint32_t kind,
						    uint32_t flags,
						    int64_t time,
						    uint64_t addr,
						    uint32_t val)
{
	struct ckpt_hdr_restart_block b = {
		.kind = kind, .flags = flags, .time = time, .addr = addr,
		.val = val,
	};

	if (kind == CKPT_RESTART_NANOSLEEP)
		b.clockid = 1;		/* CLOCK_MONOTONIC */
	return b;
}

static void put_restart_block_as(struct image *img,
				 struct ckpt_hdr_restart_block b)
{
	put_record(img, CKPT_HDR_RESTART_BLOCK, &b, sizeof(b));
}

static void put_restart_block(struct image *img, uint32_t kind,
			      uint32_t flags, int64_t time, uint64_t addr,
			      uint32_t val)
{
	put_restart_block_as(img, restart_block(kind, flags, time, addr, val));
}

/* What a task that set nothing has: nice 0, SCHED_OTHER, dumpable. */
static struct ckpt_hdr_task_attrs plain_attrs(void)
{
	struct ckpt_hdr_task_attrs a = { .dumpable = 1 };

	return a;
}

static void put_attrs(struct image *img, struct ckpt_hdr_task_attrs a)
{
	put_record(img, CKPT_HDR_TASK_ATTRS, &a, sizeof(a));
}

/* Root's credentials with all capabilities, or a user's with none. */
static struct ckpt_hdr_cred plain_cred(uint32_t id)
{
	struct ckpt_hdr_cred c = {
		.uid = id, .euid = id, .suid = id, .fsuid = id,
		.gid = id, .egid = id, .sgid = id, .fsgid = id,
		.cap_bset = 0x1ffffffffffULL,
	};

	if (!id)
		c.cap_permitted = c.cap_effective = c.cap_bset;
	return c;
}

/* Credentials and @nr groups, in a record of @pad_len bytes of groups. */
static void put_cred(struct image *img, struct ckpt_hdr_cred c,
		     const uint32_t *groups, uint32_t nr, uint32_t groups_len)
{
	static struct {
		struct ckpt_hdr_cred c;
		uint32_t groups[64];
	} rec;

	memset(&rec, 0, sizeof(rec));
	rec.c = c;
	rec.c.nr_groups = nr;
	if (groups)
		memcpy(rec.groups, groups, nr * sizeof(*groups));
	put_record(img, CKPT_HDR_CRED, &rec, sizeof(rec.c) + groups_len);
}

static void put_plain_cred(struct image *img, uint32_t id)
{
	put_cred(img, plain_cred(id), NULL, 0, 0);
}

/* An fd table: @nr entries at @fds, in a record of @len_fds of them. */
static void put_fd_table(struct image *img, uint32_t objref,
			 const struct ckpt_fd *fds, uint32_t nr,
			 uint32_t len_fds)
{
	static struct {
		struct ckpt_hdr_fd_table t;
		struct ckpt_fd fds[8192];
	} rec;

	memset(&rec, 0, sizeof(rec));
	rec.t.objref = objref;
	rec.t.nr_fds = nr;
	if (fds)
		memcpy(rec.fds, fds, nr * sizeof(*fds));
	put_record(img, CKPT_HDR_FD_TABLE, &rec,
		   sizeof(rec.t) + len_fds * sizeof(struct ckpt_fd));
}

/* An fs and its strings: @root and @cwd, either NULL to leave it out. */
static void put_fs(struct image *img, uint32_t objref, uint32_t umask,
		   const char *root, const char *cwd)
{
	struct ckpt_hdr_fs f = { .objref = objref, .umask = umask };

	put_record(img, CKPT_HDR_FS, &f, sizeof(f));
	if (root)
		put_string(img, root);
	if (cwd)
		put_string(img, cwd);
}

/* Signal handlers: @nr actions from @actions (NULL: all default). */
static void put_sighand(struct image *img, uint32_t objref, uint32_t nr,
			const struct ckpt_sigaction *actions, uint32_t len_nr)
{
	static struct {
		struct ckpt_hdr_sighand h;
		struct ckpt_sigaction a[CKPT_NSIG];
	} rec;

	memset(&rec, 0, sizeof(rec));
	rec.h.objref = objref;
	rec.h.nr = nr;
	if (actions)
		memcpy(rec.a, actions, sizeof(rec.a));
	put_record(img, CKPT_HDR_SIGHAND, &rec,
		   sizeof(rec.h) + len_nr * sizeof(struct ckpt_sigaction));
}

/* No timers, no limits. */
static struct ckpt_hdr_signal plain_signal(uint32_t objref)
{
	struct ckpt_hdr_signal sg = { .objref = objref };

	for (int i = 0; i < CKPT_NR_RLIMITS; i++)
		sg.rlim[i].cur = sg.rlim[i].max = INFINITY64;
	return sg;
}

/* The length of a signal record in format version 2: no POSIX timers. */
#define SIGNAL_V2_LEN	offsetof(struct ckpt_hdr_signal, next_posix_timer_id)

/* A signal record as the image's version has it. */
static void put_signal(struct image *img, struct ckpt_hdr_signal sg)
{
	put_record(img, CKPT_HDR_SIGNAL, &sg,
		   img->version < 3 ? SIGNAL_V2_LEN : sizeof(sg));
}

static void put_task_signal(struct image *img, uint64_t blocked,
			    uint64_t sp, uint64_t size, uint32_t nr_pending)
{
	struct ckpt_hdr_task_signal ts = {
		.blocked = blocked, .altstack_sp = sp, .altstack_size = size,
		.altstack_flags = size ? X86_SS_AUTODISARM : 0,
		.nr_pending = nr_pending,
	};

	put_record(img, CKPT_HDR_TASK_SIGNAL, &ts, sizeof(ts));
}

/* A pending signal whose siginfo says @si_signo (@signo, unless testing). */
static void put_siginfo(struct image *img, uint32_t signo, uint32_t flags,
			int32_t si_signo, int32_t code)
{
	struct ckpt_hdr_siginfo si = { .signo = signo, .flags = flags };
	int32_t head[4] = { si_signo, 0, code, 1234 /* si_pid */ };

	memcpy(si.info, head, sizeof(head));
	put_record(img, CKPT_HDR_SIGINFO, &si, sizeof(si));
}

/*
 * What a task that set nothing has after its CPU state: default
 * attributes, root's credentials, fd table @fd_table (new, with no fds,
 * or shared, if @shared), fs (@fd_table + 1) at / with umask 022, default
 * handlers (@fd_table + 2), signal record (@fd_table + 3), nothing blocked
 * or pending.
 */
static void put_plain_state(struct image *img, uint32_t fd_table,
			    bool shared)
{
	put_attrs(img, plain_attrs());
	put_plain_cred(img, 0);
	put_fd_table(img, fd_table, NULL, 0, 0);
	put_fs(img, fd_table + 1, 022, "/", "/");
	put_sighand(img, fd_table + 2, shared ? 0 : CKPT_NSIG, NULL,
		    shared ? 0 : CKPT_NSIG);
	put_signal(img, plain_signal(fd_table + 3));
	put_task_signal(img, 0, 0, 0, 0);
}

/*
 * A sleeper (pid 1) with a thread (pid 3) and a zombie child (pid 2): its
 * executable (file 1, with its path), its address space (mm 2: the code,
 * a file mapping; the data and heap; the stack), two page records (256
 * pages, then 2), and the tasks with their CPU state; the sleeper in
 * clock_nanosleep() with its restart block; the plain state of a task
 * that set nothing (fd table 3, fs 4, handlers 5, signal record 6),
 * which the thread shares.
 */
static void put_task_image(struct image *img, enum task_damage damage)
{
	struct ckpt_hdr_mm mm = {
		.objref = 2,
		.nr_vmas = 3,
		.start_code = CODE_START, .end_code = 0x401c00,
		.start_data = HEAP_START, .end_data = 0x600800,
		.start_brk = 0x601000, .brk = HEAP_END,
		.start_stack = 0x7fffffffe5a0,
		.arg_start = 0x7fffffffe7a0, .arg_end = 0x7fffffffe7b1,
		.env_start = 0x7fffffffe7b1, .env_end = 0x7fffffffefe0,
		.vdso = 0,
		.exe_objref = 1,
		.nr_auxv = 6,
		.auxv = { 6, PAGE, 9, 0x401000, 0, 0 },	/* AT_PAGESZ, AT_ENTRY */
	};
	uint64_t addrs[CKPT_PAGES_MAX];
	uint32_t nr = 0;

	put_header(img, typical_header());
	put_file(img, damage == TASK_OBJREF_ORDER ? 2 : 1,
		 damage == TASK_NO_PATH ? NULL :
		 damage == TASK_RELATIVE_PATH ? "usr/bin/sleeper" :
		 damage == TASK_HOSTILE_NAMES ? HOSTILE_PATH : EXE_PATH);
	if (damage == TASK_EXE_UNDEFINED)
		mm.exe_objref = 3;
	put_record(img, CKPT_HDR_MM, &mm, sizeof(mm));
	put_vma(img, CODE_START, CODE_END, CKPT_VMA_FILE,
		CKPT_VMA_READ | CKPT_VMA_EXEC, 0, 1);
	put_vma(img, damage == TASK_VMA_UNSORTED ? CODE_START + PAGE :
		HEAP_START, HEAP_END, CKPT_VMA_ANON,
		CKPT_VMA_READ | CKPT_VMA_WRITE, 0, 0);
	put_vma(img, STACK_START, STACK_END, CKPT_VMA_ANON,
		CKPT_VMA_READ | CKPT_VMA_WRITE, CKPT_VMA_GROWSDOWN, 0);

	/* a page of the code the task changed, and 255 of the heap */
	addrs[nr++] = CODE_START;
	while (nr < CKPT_PAGES_MAX)
		addrs[nr] = HEAP_START + (nr - 1) * PAGE, nr++;
	put_pages(img, addrs, nr, damage == TASK_PAGES_BAD_LEN ? nr - 1 : nr);
	addrs[0] = damage == TASK_PAGE_OUTSIDE ? HEAP_END + 0x100000 :
		   HEAP_END - PAGE;
	addrs[1] = STACK_END - PAGE;
	if (damage != TASK_PAGES_AFTER_TASK)
		put_pages(img, addrs, 2, 2);

	put_task(img, 1, 1, 0, 2, 0, 0,
		 damage == TASK_HOSTILE_NAMES ? HOSTILE_COMM : "sleeper");
	/* frozen in clock_nanosleep(), to be restarted */
	if (damage != TASK_NO_REGS)
		put_regs(img, 0x401234, 0x7fffffffe4e8, 230, -516,
			 damage == TASK_BAD_CS ? 0x10 : USER_CS);
	put_xstate(img, damage == TASK_SMALL_XSTATE ? 512 : 832, 0x7);
	/* 1.5 s left of a relative CLOCK_MONOTONIC sleep */
	put_restart_block(img, CKPT_RESTART_NANOSLEEP, 0, 1500000000, 0, 0);
	put_plain_state(img, 3, false);
	if (damage == TASK_PAGES_AFTER_TASK)
		put_pages(img, addrs, 2, 2);
	/* a thread in futex() */
	put_task(img, 3, 1, 0, 2, 0, 0, "worker");
	put_regs(img, 0x401300, 0x7ffff7d8dea0, 202, -512, USER_CS);
	put_xstate(img, 832, 0x3);
	put_plain_state(img, 3, true);
	/* a child that exited with status 3 */
	put_task(img, 2, 2, 1, 0, CKPT_TASK_ZOMBIE, 3 << 8, "child");
	put_tail(img);
}

static void make_task_images(void)
{
	static const struct {
		enum task_damage damage;
		const char *name;
	} images[] = {
		{ TASK_VALID, "tasks.img" },
		{ TASK_PAGE_OUTSIDE, "tasks-page-outside.img" },
		{ TASK_OBJREF_ORDER, "tasks-objref-order.img" },
		{ TASK_NO_REGS, "tasks-no-regs.img" },
		{ TASK_VMA_UNSORTED, "tasks-vma-unsorted.img" },
		{ TASK_BAD_CS, "tasks-bad-cs.img" },
		{ TASK_SMALL_XSTATE, "tasks-small-xstate.img" },
		{ TASK_EXE_UNDEFINED, "tasks-exe-undefined.img" },
		{ TASK_PAGES_BAD_LEN, "tasks-pages-bad-len.img" },
		{ TASK_NO_PATH, "tasks-no-path.img" },
		{ TASK_PAGES_AFTER_TASK, "tasks-pages-after-task.img" },
		{ TASK_RELATIVE_PATH, "tasks-relative-path.img" },
		{ TASK_HOSTILE_NAMES, "tasks-hostile-names.img" },
	};

	for (size_t i = 0; i < sizeof(images) / sizeof(images[0]); i++) {
		struct image *img = new_image();

		put_task_image(img, images[i].damage);
		if (images[i].damage == TASK_VALID)
			save_both(images[i].name, img);
		else
			save(images[i].name, img);
	}
}

/* ---- The state of tasks (format version 2), and how to damage it ---- */

/* One way to damage the image of put_state_image(), or none. */
enum state_damage {
	STATE_VALID,
	STATE_NO_ATTRS,		/* task 1 without its attributes */
	STATE_FS_BEFORE_FD,	/* task 1's fs before its fd table */
	STATE_NO_RESTART_BLOCK,	/* task 1, in poll(), without it */
	STATE_STRAY_RESTART_BLOCK, /* one for task 2, in futex() (-ERESTARTSYS) */
	STATE_RB_KIND,		/* a restart block of kind 5 */
	STATE_FDS_UNSORTED,	/* fd 4 before fd 3 */
	STATE_FD_UNDEFINED,	/* fd 4 is file 16, defined nowhere */
	STATE_FD_NOT_FILE,	/* fd 4 is objref 1, a pipe */
	STATE_FD_FLAGS,		/* fd 3 with flags 0x3 */
	STATE_FD_RESERVED,	/* fd 3 with its reserved field set */
	STATE_FD_TOO_BIG,	/* fd 4 is CKPT_FDS_MAX */
	STATE_NR_FILES,		/* task 1 says 4 open files, its table 5 */
	STATE_SHARED_FDS,	/* task 2 shares fd table 8, with its fds */
	STATE_FD_TABLE_LEN,	/* fd table 8 one entry longer than its count */
	STATE_PIPE_FILE_UNDEFINED, /* file 2, an end of a pipe, of pipe 0 */
	STATE_PIPE_FILE_PATH,	/* file 2, an end of a pipe, with a path */
	STATE_REG_PIPE_REF,	/* file 4, a regular file, names pipe 1 */
	STATE_PIPE_OVERFULL,	/* 5000 bytes in a pipe of 4096 */
	STATE_PIPE_SMALL,	/* a pipe of 1024 bytes */
	STATE_PIPE_BIG,		/* a pipe of 2 MiB */
	STATE_PIPE_LEN,		/* its data a byte short of its len */
	STATE_FS_ONE_STRING,	/* fs 9 with its root but no cwd */
	STATE_FS_RELATIVE,	/* fs 9's cwd is "srv" */
	STATE_SIGHAND_NEW_EMPTY, /* new handlers 10 with no actions */
	STATE_SIGHAND_SHARED_FULL, /* task 2 shares handlers 10, with actions */
	STATE_SIGHAND_LEN,	/* 64 actions in a record of 63 */
	STATE_SIGINFO_MISSING,	/* 2 pending signals announced, 1 there */
	STATE_SIGINFO_EXTRA,	/* 2 announced, 3 there */
	STATE_SIGNO,		/* pending signal 65 */
	STATE_SIGNO_MISMATCH,	/* signal 10 whose siginfo says 12 */
	STATE_SIGINFO_FLAGS,	/* flags 0x4 */
	STATE_PENDING_MAX,	/* 4097 pending signals announced */
	STATE_RLIMIT,		/* a soft nofile limit above the hard one */
	STATE_NICE,		/* nice 20 */
	STATE_ATTR_FLAGS,	/* attribute flags 0x4 */
	STATE_GROUPS_MAX,	/* 65537 groups */
	STATE_CRED_LEN,		/* 3 groups in a record of 2 */
	STATE_SHARE_WRONG_KIND,	/* task 2's handlers are objref 9, an fs */
	STATE_OBJREF_SKIP,	/* task 1's fd table is 9, not 8 */
	STATE_ZOMBIE_STATE,	/* a zombie with attributes */
	STATE_FILE_IN_TASK,	/* a file between task 1's creds and fd table */
	STATE_NO_TASK_SIGNAL,	/* task 3 without its task signal record */
	STATE_PIPE_END_RDWR,	/* file 3, an end of the pipe, open O_RDWR */
	STATE_CRED_UNPADDED,	/* 3 groups in 12 bytes, not padded to 16 */
	STATE_CAPS,		/* capability 41 in the bounding set */
	STATE_SECUREBITS,	/* securebits 0x100 */
	STATE_UMASK,		/* umask 01022 */
	STATE_NR_FILES_MAX,	/* task 3 says CKPT_FDS_MAX + 1 files */
	STATE_XSTATE_FEATURES,	/* task 1's XSTATE_BV 0xf, xfeatures 0x2e7 */
	STATE_XSTATE_COMPACTED,	/* task 2's XCOMP_BV bit 63 */
	STATE_RB_NEGATIVE,	/* poll, time -1 */
	STATE_RB_ADDR,		/* poll, ufds a kernel address */
	STATE_RB_BITSET,	/* poll, bitset 1 */
	STATE_RB_POLL_FLAGS,	/* poll, flags absolute and has_timeout */
	STATE_RB_POLL_CLOCK,	/* poll, clockid 1 */
	STATE_RB_POLL_NFDS,	/* poll, 2^31 fds */
	STATE_RB_POLL_TIME,	/* poll, a time without a timeout */
	STATE_RB_NONE_FIELDS,	/* none, val 1 */
	STATE_RB_NS_FLAGS,	/* nanosleep, flags absolute */
	STATE_RB_NS_CLOCK,	/* nanosleep, CLOCK_PROCESS_CPUTIME_ID */
	STATE_RB_NS_TYPE,	/* nanosleep, type 2 (compat) */
	STATE_RB_NS_VAL,	/* nanosleep, val 1 */
	STATE_POLICY,		/* policy 6 (SCHED_DEADLINE) */
	STATE_RT_PRIO,		/* SCHED_FIFO, priority 0 */
	STATE_RT_PRIO_OTHER,	/* SCHED_BATCH, priority 5 */
	STATE_DUMPABLE,		/* dumpable 3 */
	STATE_PDEATH,		/* pdeath signal 65 */
	STATE_PDEATH_NEG,	/* pdeath signal -1 */
	STATE_TID_ADDR,		/* clear_child_tid in the vsyscall page */
	STATE_ROBUST_LEN,	/* a robust list of 16 bytes */
	STATE_ROBUST_NONE,	/* no robust list, 24 bytes of it */
	STATE_RSEQ_ALIGN,	/* rseq 4 bytes off */
	STATE_RSEQ_LEN,		/* rseq of 16 bytes */
	STATE_RSEQ_NONE,	/* no rseq, its length and signature */
	STATE_SIGKILL_HANDLER,	/* SIGKILL ignored */
	STATE_SIGSTOP_HANDLER,	/* SIGSTOP caught */
	STATE_HANDLER_ADDR,	/* SIGINT's handler a kernel address */
	STATE_SA_FLAGS,		/* SIGCHLD's flags above 32 bits */
	STATE_ITIMER,		/* an itimer of 2^63 ns */
	STATE_ALTSTACK_FLAGS,	/* altstack flags SS_AUTODISARM | 1 */
	STATE_ALTSTACK_SMALL,	/* an altstack of 1024 bytes */
	STATE_ALTSTACK_NONE,	/* no altstack, its address */
	STATE_ALTSTACK_ADDR,	/* an altstack at a kernel address */
	STATE_SIGKILL_PENDING,	/* SIGKILL pending */
	STATE_RB_FUTEX,		/* a relative futex wait (valid) */
	STATE_RB_FUTEX_ABS,	/* one with a CLOCK_REALTIME deadline (valid) */
	STATE_RB_FUTEX_UNALIGNED,	/* futex, an unaligned address */
	STATE_RB_FUTEX_BITSET,	/* futex, bitset 0 */
	STATE_RB_FUTEX_CLOCK,	/* futex, clockid 1 */
	STATE_RB_FUTEX_FLAGS,	/* futex, futex flags 0x4 */
	STATE_RB_FUTEX_ABS_FLAG,	/* futex, absolute without clockrt */
	STATE_RB_FUTEX_NO_ABS,	/* futex, clockrt without absolute */
	STATE_RB_FUTEX_NEGATIVE,	/* futex, time -5 */
	STATE_RSEQ_HIGH,	/* rseq at 2^55: user space with 5-level
				 * paging only */
	STATE_NR_DAMAGES
};

static const char *const state_names[] = {
	"state.img", "state-no-attrs.img", "state-fs-before-fd.img",
	"state-no-restart-block.img", "state-stray-restart-block.img",
	"state-rb-kind.img", "state-fds-unsorted.img",
	"state-fd-undefined.img", "state-fd-not-file.img",
	"state-fd-flags.img", "state-fd-reserved.img", "state-fd-too-big.img",
	"state-nr-files.img", "state-shared-fds.img",
	"state-fd-table-len.img", "state-pipe-file-undefined.img",
	"state-pipe-file-path.img", "state-reg-pipe-ref.img",
	"state-pipe-overfull.img", "state-pipe-small.img",
	"state-pipe-big.img", "state-pipe-len.img", "state-fs-one-string.img",
	"state-fs-relative.img", "state-sighand-new-empty.img",
	"state-sighand-shared-full.img", "state-sighand-len.img",
	"state-siginfo-missing.img", "state-siginfo-extra.img",
	"state-signo.img", "state-signo-mismatch.img",
	"state-siginfo-flags.img", "state-pending-max.img",
	"state-rlimit.img", "state-nice.img", "state-attr-flags.img",
	"state-groups-max.img", "state-cred-len.img",
	"state-share-wrong-kind.img", "state-objref-skip.img",
	"state-zombie-state.img", "state-file-in-task.img",
	"state-no-task-signal.img",
	"state-pipe-end-rdwr.img",
	"state-cred-unpadded.img",
	"state-caps.img",
	"state-securebits.img",
	"state-umask.img",
	"state-nr-files-max.img",
	"state-xstate-features.img",
	"state-xstate-compacted.img",
	"state-rb-negative.img",
	"state-rb-addr.img",
	"state-rb-bitset.img",
	"state-rb-poll-flags.img",
	"state-rb-poll-clock.img",
	"state-rb-poll-nfds.img",
	"state-rb-poll-time.img",
	"state-rb-none-fields.img",
	"state-rb-ns-flags.img",
	"state-rb-ns-clock.img",
	"state-rb-ns-type.img",
	"state-rb-ns-val.img",
	"state-policy.img",
	"state-rt-prio.img",
	"state-rt-prio-other.img",
	"state-dumpable.img",
	"state-pdeath.img",
	"state-pdeath-neg.img",
	"state-tid-addr.img",
	"state-robust-len.img",
	"state-robust-none.img",
	"state-rseq-align.img",
	"state-rseq-len.img",
	"state-rseq-none.img",
	"state-sigkill-handler.img",
	"state-sigstop-handler.img",
	"state-handler-addr.img",
	"state-sa-flags.img",
	"state-itimer.img",
	"state-altstack-flags.img",
	"state-altstack-small.img",
	"state-altstack-none.img",
	"state-altstack-addr.img",
	"state-sigkill-pending.img",
	"state-rb-futex.img",
	"state-rb-futex-abs.img",
	"state-rb-futex-unaligned.img",
	"state-rb-futex-bitset.img",
	"state-rb-futex-clock.img",
	"state-rb-futex-flags.img",
	"state-rb-futex-abs-flag.img",
	"state-rb-futex-no-abs.img",
	"state-rb-futex-negative.img",
	"state-rseq-high.img",
};
_Static_assert(sizeof(state_names) / sizeof(state_names[0]) ==
	       STATE_NR_DAMAGES, "a name for each damaged state image");

/* The restart block of the server, in poll(), damaged as @d says. */
static void damage_restart_block(struct ckpt_hdr_restart_block *rb,
				 enum state_damage d)
{
	struct ckpt_hdr_restart_block ns =
		restart_block(CKPT_RESTART_NANOSLEEP, 0, NSEC, 0x7fffffffe100,
			      0);

	switch (d) {
	case STATE_RB_NEGATIVE:
		rb->time = -1;
		break;
	case STATE_RB_ADDR:
		rb->addr = 0xffff888000000000ULL;
		break;
	case STATE_RB_BITSET:
		rb->bitset = 1;
		break;
	case STATE_RB_POLL_FLAGS:
		rb->flags |= CKPT_RESTART_ABSOLUTE;
		break;
	case STATE_RB_POLL_CLOCK:
		rb->clockid = 1;
		break;
	case STATE_RB_POLL_NFDS:
		rb->val = 1U << 31;
		break;
	case STATE_RB_POLL_TIME:
		rb->flags = 0;
		break;
	case STATE_RB_NONE_FIELDS:
		*rb = restart_block(CKPT_RESTART_NONE, 0, 0, 0, 1);
		break;
	case STATE_RB_NS_FLAGS:
		*rb = ns;
		rb->flags = CKPT_RESTART_ABSOLUTE;
		break;
	case STATE_RB_NS_CLOCK:
		*rb = ns;
		rb->clockid = 2;	/* CLOCK_PROCESS_CPUTIME_ID */
		break;
	case STATE_RB_NS_TYPE:
		*rb = ns;
		rb->type = 2;		/* TT_COMPAT */
		break;
	case STATE_RB_NS_VAL:
		*rb = ns;
		rb->val = 1;
		break;
	default:
		break;
	}
	if (d < STATE_RB_FUTEX || d > STATE_RB_FUTEX_NEGATIVE)
		return;
	/* FUTEX_WAIT_BITSET, private, 1 s left */
	*rb = restart_block(CKPT_RESTART_FUTEX, 0, NSEC, 0x7ffff7d8e000, 0);
	rb->bitset = ~0U;
	switch (d) {
	case STATE_RB_FUTEX_ABS:
		/* shared, FUTEX_CLOCK_REALTIME: a deadline in 2023 */
		rb->futex_flags = CKPT_FUTEX_SHARED | CKPT_FUTEX_CLOCKRT;
		rb->flags = CKPT_RESTART_ABSOLUTE;
		rb->time = 1700000001LL * (int64_t)NSEC;
		break;
	case STATE_RB_FUTEX_UNALIGNED:
		rb->addr += 2;
		break;
	case STATE_RB_FUTEX_BITSET:
		rb->bitset = 0;
		break;
	case STATE_RB_FUTEX_CLOCK:
		rb->clockid = 1;
		break;
	case STATE_RB_FUTEX_FLAGS:
		rb->futex_flags = 0x4;
		break;
	case STATE_RB_FUTEX_ABS_FLAG:
		rb->flags = CKPT_RESTART_ABSOLUTE;
		break;
	case STATE_RB_FUTEX_NO_ABS:
		rb->futex_flags = CKPT_FUTEX_CLOCKRT;
		break;
	case STATE_RB_FUTEX_NEGATIVE:
		rb->time = -5;
		break;
	default:
		break;
	}
}

/* The attributes of the server, damaged as @d says. */
static void damage_attrs(struct ckpt_hdr_task_attrs *a, enum state_damage d)
{
	switch (d) {
	case STATE_POLICY:
		a->policy = 6;		/* SCHED_DEADLINE */
		break;
	case STATE_RT_PRIO:
		a->policy = 1;		/* SCHED_FIFO */
		break;
	case STATE_RT_PRIO_OTHER:
		a->rt_priority = 5;
		break;
	case STATE_DUMPABLE:
		a->dumpable = 3;
		break;
	case STATE_PDEATH:
		a->pdeath_signal = 65;
		break;
	case STATE_PDEATH_NEG:
		a->pdeath_signal = -1;
		break;
	case STATE_TID_ADDR:
		a->clear_child_tid = 0xffffffffff600000ULL;
		break;
	case STATE_ROBUST_LEN:
		a->robust_list_len = 16;
		break;
	case STATE_ROBUST_NONE:
		a->robust_list = 0;
		break;
	case STATE_RSEQ_ALIGN:
		a->rseq += 4;
		break;
	case STATE_RSEQ_LEN:
		a->rseq_len = 16;
		break;
	case STATE_RSEQ_NONE:
		a->rseq = 0;
		break;
	case STATE_RSEQ_HIGH:
		a->rseq = 1ULL << 55;
		break;
	default:
		break;
	}
}

/*
 * A server (pid 1) with a thread (pid 2), a child (pid 3) that shares its
 * memory (vfork) and a zombie child (pid 4):
 *
 *   pipe 1 (64 KiB, holding "hello pipe\n"), its ends files 2 and 3, the
 *   executable (file 4), /dev/null (file 5), a log opened for appending
 *   (file 6), the address space (mm 7);
 *   the server in poll() with 2.5 s left (its restart block), nice 5,
 *   SCHED_BATCH, a child subreaper with a pdeath signal, rseq and a robust
 *   list; user 1000 in groups 4, 24, 27; fd table 8 (0 /dev/null, 1 and
 *   2 the log, 3 and 4 the ends of the pipe, close-on-exec);
 *   fs 9 (umask 022, cwd /srv); handlers 10 (SIGINT caught, SIGPIPE
 *   ignored, SIGCHLD caught with SA_RESTART and SIGINT masked); signal
 *   record 11 (an itimer of 1.5 s every 1 s, limits on the stack, core
 *   and nofile); SIGUSR1 and SIGUSR2 blocked, an alternate stack, SIGUSR1
 *   pending for it and SIGRTMIN+1 for the process;
 *   the thread sharing all of that;
 *   the child with fd table 12 (fd 0, /dev/null), fs 13 (umask 077),
 *   handlers 14 and signal record 15 of its own, all plain.
 */
static void put_state_image(struct image *img, enum state_damage d)
{
	struct ckpt_hdr_mm mm = {
		.objref = 7,
		.nr_vmas = 3,
		.start_code = CODE_START, .end_code = 0x401c00,
		.start_data = HEAP_START, .end_data = 0x600800,
		.start_brk = 0x601000, .brk = HEAP_END,
		.start_stack = 0x7fffffffe5a0,
		.exe_objref = 4,
	};
	struct ckpt_hdr_file f;
	struct ckpt_fd fds[5] = {
		{ .fd = 0, .file_objref = 5 },
		{ .fd = 1, .file_objref = 6 },
		{ .fd = 2, .file_objref = 6 },
		{ .fd = 3, .file_objref = 2, .flags = CKPT_FD_CLOEXEC },
		{ .fd = 4, .file_objref = 3, .flags = CKPT_FD_CLOEXEC },
	};
	struct ckpt_fd child_fd = { .fd = 0, .file_objref = 5 };
	struct ckpt_sigaction act[CKPT_NSIG];
	struct ckpt_hdr_task_attrs attrs = plain_attrs();
	struct ckpt_hdr_cred cred = plain_cred(1000);
	struct ckpt_hdr_signal sg = plain_signal(11);
	const uint32_t groups[3] = { 4, 24, 27 };
	uint64_t addrs[2] = { HEAP_START, STACK_END - PAGE };
	uint32_t pipe_size = 65536, pipe_len = 11;
	struct ckpt_hdr_restart_block rb;
	struct ckpt_hdr_task_signal ts;
	uint32_t si_signo;

	put_header(img, typical_header());

	/* the objects of the server: a pipe, its ends, its files */
	if (d == STATE_PIPE_OVERFULL)
		pipe_size = 4096, pipe_len = 5000;
	else if (d == STATE_PIPE_SMALL)
		pipe_size = 1024;
	else if (d == STATE_PIPE_BIG)
		pipe_size = 2 * CKPT_PIPE_MAX;
	put_pipe(img, 1, pipe_size, pipe_len,
		 sizeof(struct ckpt_hdr_pipe) + pipe_len -
		 (d == STATE_PIPE_LEN));
	f = (struct ckpt_hdr_file){ .objref = 2, .type = CKPT_FILE_PIPE,
				    .f_flags = 0, .pipe_objref = 1 };
	if (d == STATE_PIPE_FILE_UNDEFINED)
		f.pipe_objref = 0;
	put_file_as(img, f, d == STATE_PIPE_FILE_PATH ? "/pipe" : NULL);
	f = (struct ckpt_hdr_file){ .objref = 3, .type = CKPT_FILE_PIPE,
				    .f_flags = d == STATE_PIPE_END_RDWR ? 02 : 01,
				    .pipe_objref = 1 };
	put_file_as(img, f, NULL);
	f = reg_file(4);
	if (d == STATE_REG_PIPE_REF)
		f.pipe_objref = 1;
	put_file_as(img, f, "/usr/bin/server");
	f = (struct ckpt_hdr_file){ .objref = 5, .type = CKPT_FILE_CHR,
				    .f_flags = 0100002, .rdev = 0x103 };
	put_file_as(img, f, "/dev/null");
	f = (struct ckpt_hdr_file){ .objref = 6, .type = CKPT_FILE_REG,
				    .f_flags = 0102001, .pos = 1234,
				    .size = 1234 };
	put_file_as(img, f, "/var/log/server.log");

	put_record(img, CKPT_HDR_MM, &mm, sizeof(mm));
	put_vma(img, CODE_START, CODE_END, CKPT_VMA_FILE,
		CKPT_VMA_READ | CKPT_VMA_EXEC, 0, 4);
	put_vma(img, HEAP_START, HEAP_END, CKPT_VMA_ANON,
		CKPT_VMA_READ | CKPT_VMA_WRITE, 0, 0);
	put_vma(img, STACK_START, STACK_END, CKPT_VMA_ANON,
		CKPT_VMA_READ | CKPT_VMA_WRITE, CKPT_VMA_GROWSDOWN, 0);
	put_pages(img, addrs, 2, 2);

	/* the server, in poll() with 2.5 s left */
	put_task_files(img, 1, 1, 0, 7, 0, 0, "server",
		       d == STATE_NR_FILES ? 4 : 5);
	put_regs(img, 0x401234, 0x7fffffffe4e8, 7, -516, USER_CS);
	put_xstate(img, 832, d == STATE_XSTATE_FEATURES ? 0xf : 0x7);
	rb = restart_block(d == STATE_RB_KIND ? 5 : CKPT_RESTART_POLL,
			   CKPT_RESTART_HAS_TIMEOUT, 2500000000,
			   0x7fffffffe000, 2);
	damage_restart_block(&rb, d);
	if (d != STATE_NO_RESTART_BLOCK)
		put_restart_block_as(img, rb);
	attrs.flags = d == STATE_ATTR_FLAGS ? 0x4 : CKPT_ATTR_CHILD_SUBREAPER;
	attrs.nice = d == STATE_NICE ? 20 : 5;
	attrs.policy = 3;		/* SCHED_BATCH */
	attrs.pdeath_signal = 9;	/* SIGKILL */
	attrs.clear_child_tid = 0x7ffff7d8ea10;
	attrs.robust_list = 0x7ffff7d8ea20;
	attrs.robust_list_len = 24;
	attrs.rseq = 0x7ffff7d8f0e0;
	attrs.rseq_len = 32;
	attrs.rseq_sig = 0x53053053;
	damage_attrs(&attrs, d);
	if (d != STATE_NO_ATTRS)
		put_attrs(img, attrs);
	if (d == STATE_CAPS)
		cred.cap_bset |= 1ULL << 41;
	if (d == STATE_SECUREBITS)
		cred.securebits = 0x100;
	if (d == STATE_GROUPS_MAX) {
		cred.nr_groups = CKPT_GROUPS_MAX + 1;
		put_record(img, CKPT_HDR_CRED, &cred, sizeof(cred));
	} else {
		/* 3 groups: 12 bytes, padded to 16 */
		put_cred(img, cred, groups, 3, d == STATE_CRED_LEN ? 8 :
			 d == STATE_CRED_UNPADDED ? 12 : 16);
	}
	if (d == STATE_FILE_IN_TASK)
		put_file(img, 8, "/etc/passwd");
	if (d == STATE_FDS_UNSORTED) {
		fds[3].fd = 4;
		fds[4].fd = 3;
	}
	if (d == STATE_FD_UNDEFINED)
		fds[4].file_objref = 16;
	if (d == STATE_FD_NOT_FILE)
		fds[4].file_objref = 1;
	if (d == STATE_FD_FLAGS)
		fds[3].flags = 0x3;
	if (d == STATE_FD_RESERVED)
		fds[3].reserved = 1;
	if (d == STATE_FD_TOO_BIG)
		fds[4].fd = CKPT_FDS_MAX;
	if (d == STATE_FS_BEFORE_FD)
		put_fs(img, 8, 022, "/", "/srv");
	put_fd_table(img, d == STATE_OBJREF_SKIP ? 9 : 8, fds, 5,
		     d == STATE_FD_TABLE_LEN ? 6 : 5);
	if (d != STATE_FS_BEFORE_FD)
		put_fs(img, 9, d == STATE_UMASK ? 01022 : 022, "/",
		       d == STATE_FS_ONE_STRING ? NULL :
		       d == STATE_FS_RELATIVE ? "srv" : "/srv");
	memset(act, 0, sizeof(act));
	act[2 - 1] = (struct ckpt_sigaction){
		.handler = 0x401500, .flags = X86_SA_RESTORER,
		.restorer = 0x401000 };
	act[13 - 1].handler = 1;		/* SIGPIPE: SIG_IGN */
	act[17 - 1] = (struct ckpt_sigaction){
		.handler = 0x401600, .flags = X86_SA_RESTORER | X86_SA_RESTART,
		.restorer = 0x401000, .mask = SIG_BIT(2) };
	if (d == STATE_SIGKILL_HANDLER)
		act[9 - 1].handler = 1;			/* SIG_IGN */
	if (d == STATE_SIGSTOP_HANDLER)
		act[19 - 1] = act[2 - 1];
	if (d == STATE_HANDLER_ADDR)
		act[2 - 1].handler = 0xffffffff81000000ULL;
	if (d == STATE_SA_FLAGS)
		act[17 - 1].flags |= 1ULL << 32;
	put_sighand(img, 10, d == STATE_SIGHAND_NEW_EMPTY ? 0 : CKPT_NSIG, act,
		    d == STATE_SIGHAND_NEW_EMPTY ? 0 :
		    d == STATE_SIGHAND_LEN ? CKPT_NSIG - 1 : CKPT_NSIG);
	sg.itimer[CKPT_ITIMER_REAL].value = d == STATE_ITIMER ? 1ULL << 63 :
					    1500000000;
	sg.itimer[CKPT_ITIMER_REAL].interval = NSEC;
	sg.rlim[3].cur = 8 << 20;		/* stack */
	sg.rlim[4].cur = 0;			/* core */
	sg.rlim[7].cur = d == STATE_RLIMIT ? 8192 : 1024;	/* nofile */
	sg.rlim[7].max = 4096;
	put_signal(img, sg);
	ts = (struct ckpt_hdr_task_signal){
		.blocked = SIG_BIT(10) | SIG_BIT(12),
		.altstack_sp = 0x7ffff7ff0000, .altstack_size = 8192,
		.altstack_flags = X86_SS_AUTODISARM,
		.nr_pending = d == STATE_PENDING_MAX ? CKPT_PENDING_MAX + 1 : 2,
	};
	if (d == STATE_ALTSTACK_FLAGS)
		ts.altstack_flags |= 1;		/* SS_ONSTACK */
	if (d == STATE_ALTSTACK_SMALL)
		ts.altstack_size = 1024;
	if (d == STATE_ALTSTACK_NONE)
		ts.altstack_size = ts.altstack_flags = 0;
	if (d == STATE_ALTSTACK_ADDR)
		ts.altstack_sp = 0xffff800000000000ULL;
	put_record(img, CKPT_HDR_TASK_SIGNAL, &ts, sizeof(ts));
	si_signo = d == STATE_SIGNO ? 65 : d == STATE_SIGKILL_PENDING ? 9 : 10;
	put_siginfo(img, si_signo, d == STATE_SIGINFO_FLAGS ? 0x4 : 0,
		    d == STATE_SIGNO_MISMATCH ? 12 : si_signo,
		    0);					/* SI_USER */
	if (d != STATE_SIGINFO_MISSING)
		put_siginfo(img, 33, CKPT_SIGINFO_SHARED, 33, -1); /* SI_QUEUE */
	if (d == STATE_SIGINFO_EXTRA)
		put_siginfo(img, 10, 0, 10, 0);

	/* its thread, in futex(), sharing all of it */
	put_task_files(img, 2, 1, 0, 7, 0, 0, "worker", 5);
	put_regs(img, 0x401300, 0x7ffff7d8dea0, 202, -512, USER_CS);
	put_xstate_xcomp(img, 832, 0x3,
			 d == STATE_XSTATE_COMPACTED ? 1ULL << 63 : 0);
	if (d == STATE_STRAY_RESTART_BLOCK)
		put_restart_block(img, CKPT_RESTART_FUTEX, 0, NSEC,
				  0x7ffff7d8e000, 0);
	put_attrs(img, attrs);
	put_cred(img, cred, groups, 3, 16);
	put_fd_table(img, 8, fds, d == STATE_SHARED_FDS ? 5 : 0,
		     d == STATE_SHARED_FDS ? 5 : 0);
	put_fs(img, 9, 022, "/", "/srv");
	if (d == STATE_SHARE_WRONG_KIND)
		put_sighand(img, 9, 0, NULL, 0);
	else if (d == STATE_SIGHAND_SHARED_FULL)
		put_sighand(img, 10, CKPT_NSIG, act, CKPT_NSIG);
	else
		put_sighand(img, 10, 0, NULL, 0);
	put_signal(img, sg);
	put_task_signal(img, 0, 0, 0, 0);

	/* a child sharing the memory only (vfork), with fd 0 */
	put_task_files(img, 3, 3, 1, 7, 0, 0, "helper",
		       d == STATE_NR_FILES_MAX ? CKPT_FDS_MAX + 1 : 1);
	put_regs(img, 0x401400, 0x7fffffffe3e8, (uint64_t)-1, 0, USER_CS);
	put_xstate(img, 832, 0x3);
	put_attrs(img, plain_attrs());
	put_plain_cred(img, 0);
	put_fd_table(img, 12, &child_fd, 1, 1);
	put_fs(img, 13, 077, "/", "/");
	put_sighand(img, 14, CKPT_NSIG, NULL, CKPT_NSIG);
	put_signal(img, plain_signal(15));
	if (d != STATE_NO_TASK_SIGNAL)
		put_task_signal(img, 0, 0, 0, 0);

	/* a child that exited with status 1 */
	put_task(img, 4, 4, 1, 0, CKPT_TASK_ZOMBIE, 1 << 8, "gone");
	if (d == STATE_ZOMBIE_STATE)
		put_attrs(img, plain_attrs());
	put_tail(img);
}

static void make_state_images(void)
{
	for (int d = 0; d < STATE_NR_DAMAGES; d++) {
		struct image *img = new_image();

		put_state_image(img, (enum state_damage)d);
		if (d == STATE_VALID)
			save_both(state_names[d], img);
		else
			save(state_names[d], img);
	}
}

/*
 * Bulk: a pipe of 1 MiB holding 100000 bytes, and an fd table of 5000
 * fds (more than the 4095 a reader keeps of one record), all /dev/null
 * but the last, the pipe.  With @bad, fd 4500 comes again after 4500.
 */
static void make_bulk_image(const char *name, bool bad)
{
	static struct ckpt_fd fds[5000];
	struct image *img = new_image();
	struct ckpt_hdr_mm mm = {
		.objref = 4, .nr_vmas = 1,
		.start_brk = HEAP_START, .brk = HEAP_START,
		.start_stack = HEAP_START,
	};
	struct ckpt_hdr_file f;
	uint64_t addr = HEAP_START;

	put_header(img, typical_header());
	put_pipe(img, 1, CKPT_PIPE_MAX, 100000,
		 sizeof(struct ckpt_hdr_pipe) + 100000);
	f = (struct ckpt_hdr_file){ .objref = 2, .type = CKPT_FILE_PIPE,
				    .pipe_objref = 1 };
	put_file_as(img, f, NULL);
	f = (struct ckpt_hdr_file){ .objref = 3, .type = CKPT_FILE_CHR,
				    .f_flags = 0100002, .rdev = 0x103 };
	put_file_as(img, f, "/dev/null");
	put_record(img, CKPT_HDR_MM, &mm, sizeof(mm));
	put_vma(img, HEAP_START, HEAP_END, CKPT_VMA_ANON,
		CKPT_VMA_READ | CKPT_VMA_WRITE, 0, 0);
	put_pages(img, &addr, 1, 1);
	put_task_files(img, 1, 1, 0, 4, 0, 0, "many", 5000);
	put_regs(img, 0x401234, HEAP_START, (uint64_t)-1, 0, USER_CS);
	put_xstate(img, 832, 0x3);
	put_attrs(img, plain_attrs());
	put_plain_cred(img, 0);
	for (uint32_t i = 0; i < 5000; i++)
		fds[i] = (struct ckpt_fd){ .fd = i, .file_objref = 3 };
	fds[4999].file_objref = 2;
	if (bad)
		fds[4501].fd = 4500;
	put_fd_table(img, 5, fds, 5000, 5000);
	put_fs(img, 6, 022, "/", "/");
	put_sighand(img, 7, CKPT_NSIG, NULL, CKPT_NSIG);
	put_signal(img, plain_signal(8));
	put_task_signal(img, 0, 0, 0, 0);
	put_tail(img);
	if (bad)
		save(name, img);
	else
		save_both(name, img);
}

/* ---- Memfds and shared memory ---- */

/* One way to damage the image of put_memfd_image(), or none. */
enum memfd_damage {
	MEMFD_VALID,
	MEMFD_RDONLY,		/* memfd 2 open O_RDONLY */
	MEMFD_SEALS,		/* memfd 2 with seal 0x40 too */
	MEMFD_REG_SEALS,	/* file 4, a regular file, with seals */
	MEMFD_NAME,		/* memfd 2 named "buffer" */
	MEMFD_NO_NAME,		/* memfd 2 without its name */
	MEMFD_NO_PAGES,		/* memfd 2 without its pages */
	MEMFD_MORE_MISSING,	/* its first page record says more follow;
				 * none does */
	MEMFD_PAGES_ALONE,	/* a page record after file 4 */
	MEMFD_PAGES_OTHER,	/* memfd 2's first page record names file 1 */
	MEMFD_PAST_END,		/* a page at 0x4000, past its 12388 bytes */
	MEMFD_UNSORTED,		/* offsets 0x2000, then 0 */
	MEMFD_ACROSS,		/* 0x2000 again in its second record */
	MEMFD_UNALIGNED,	/* a page at 0x100 */
	MEMFD_NR_PAGES,		/* 257 pages in a record */
	MEMFD_MORE_2,		/* more 2 */
	MEMFD_RESERVED,		/* reserved 1 */
	MEMFD_LEN,		/* a page record a page short */
	MEMFD_HUGE,		/* memfd 2 of 2^63 bytes */
	MEMFD_SHARED_VDSO,	/* a shared vDSO */
	MEMFD_SHARED_STACK,	/* a shared stack, growing down */
	MEMFD_SHARED_RO,	/* read-only shared anonymous memory */
	MEMFD_PAGE_SHARED_FILE,	/* a page of the shared memfd mapping */
	MEMFD_PAGE_VDSO,	/* a page of the vDSO */
	MEMFD_NR_DAMAGES
};

static const char *const memfd_names[] = {
	"memfd.img", "memfd-rdonly.img", "memfd-seals.img",
	"memfd-reg-seals.img", "memfd-name.img", "memfd-no-name.img",
	"memfd-no-pages.img", "memfd-more-missing.img",
	"memfd-pages-alone.img", "memfd-pages-other.img",
	"memfd-past-end.img", "memfd-unsorted.img", "memfd-across.img",
	"memfd-unaligned.img", "memfd-nr-pages.img", "memfd-more-2.img",
	"memfd-reserved.img", "memfd-len.img", "memfd-huge.img",
	"memfd-shared-vdso.img", "memfd-shared-stack.img",
	"memfd-shared-ro.img", "memfd-page-shared-file.img",
	"memfd-page-vdso.img",
};
_Static_assert(sizeof(memfd_names) / sizeof(memfd_names[0]) ==
	       MEMFD_NR_DAMAGES, "a name for each damaged memfd image");

/*
 * The pages of a memfd, as ckpt_write_memfd_pages() writes them: @nr
 * offsets at @offs, then @len_pages pages (@nr, unless testing the
 * check), each filled with its own byte.
 */
static void put_file_pages(struct image *img, uint32_t objref,
			   const uint64_t *offs, uint32_t nr, uint32_t more,
			   uint32_t reserved, uint32_t len_pages)
{
	static unsigned char rec[sizeof(struct ckpt_hdr_file_pages) +
				 CKPT_PAGES_MAX * (8 + PAGE)];
	struct ckpt_hdr_file_pages *p = (struct ckpt_hdr_file_pages *)rec;
	unsigned char *data = rec + sizeof(*p) + nr * 8;

	memset(rec, 0, sizeof(rec));
	p->objref = objref;
	p->nr_pages = nr;
	p->more = more;
	p->reserved = reserved;
	if (offs)
		memcpy(p + 1, offs, nr * 8);
	for (uint32_t i = 0; i < len_pages; i++)
		memset(data + i * PAGE, 0x61 + i % 26, PAGE);
	put_record(img, CKPT_HDR_FILE_PAGES, rec,
		   sizeof(*p) + (len_pages ? nr * 8 + len_pages * PAGE : 0));
}

/*
 * The one process (pid 1) of the images of memfds, shared memory, FIFOs
 * and IPC objects, in address space @mm: its record, CPU state and the
 * state of a task that set nothing but @nr fds at @fds (fd table @mm + 1,
 * fs @mm + 2 in /srv, handlers @mm + 3, signal record @mm + 4).
 */
static void put_lone_task(struct image *img, uint32_t mm, const char *comm,
			  const struct ckpt_fd *fds, uint32_t nr)
{
	put_task_files(img, 1, 1, 0, mm, 0, 0, comm, nr);
	put_regs(img, 0x401234, 0x7fffffffe4e8, (uint64_t)-1, 0, USER_CS);
	put_xstate(img, 832, 0x3);
	put_attrs(img, plain_attrs());
	put_plain_cred(img, 0);
	put_fd_table(img, mm + 1, fds, nr, nr);
	put_fs(img, mm + 2, 022, "/", "/srv");
	put_sighand(img, mm + 3, CKPT_NSIG, NULL, CKPT_NSIG);
	put_signal(img, plain_signal(mm + 4));
	put_task_signal(img, 0, 0, 0, 0);
}

/* The areas of the shared memory image */
#define SHM_ANON	0x7f0000000000ULL	/* 4 pages, shared, anonymous */
#define SHM_MEMFD	0x7f0000010000ULL	/* 4 pages of memfd 2, shared */
#define SHM_MEMFD_PRIV	0x7f0000020000ULL	/* 2 pages of it, private */
#define SHM_FILE	0x7f0000030000ULL	/* 2 pages of a file, shared */
#define SHM_VDSO	0x7ffff7fc1000ULL	/* 2 pages */

/*
 * A process (pid 1) with two memfds and shared memory:
 *
 *   its executable (file 1); memfd 2, "memfd:buffer", of 12388 bytes
 *   (three pages and 100 bytes), at offset 100, sealed against sealing,
 *   shrinking and growing, with pages at 0, 0x2000 (a first record that
 *   says more follow) and 0x3000 (the last); memfd 3, "memfd:", empty,
 *   whose one page record holds no page; a database (file 4) open for
 *   reading and writing;
 *   its address space (mm 5): the code, the heap, 4 pages of shared
 *   anonymous memory (2 in the image), memfd 2 mapped shared (no page in
 *   the image: they are the memfd's), and privately from its second page
 *   (1 changed page), the database mapped shared, the vDSO, the stack;
 *   its fds 3, 4 and 5 on the memfds and the database; the plain state of
 *   a task that set nothing (fd table 6, fs 7, handlers 8, signal 9).
 */
static void put_memfd_image(struct image *img, enum memfd_damage d)
{
	struct ckpt_hdr_mm mm = {
		.objref = 5, .nr_vmas = 8,
		.start_code = CODE_START, .end_code = 0x401c00,
		.start_brk = HEAP_START, .brk = HEAP_START + 2 * PAGE,
		.start_stack = 0x7fffffffe5a0,
		.vdso = SHM_VDSO, .exe_objref = 1,
	};
	struct ckpt_hdr_file f;
	struct ckpt_fd fds[3] = {
		{ .fd = 3, .file_objref = 2 },
		{ .fd = 4, .file_objref = 3, .flags = CKPT_FD_CLOEXEC },
		{ .fd = 5, .file_objref = 4 },
	};
	uint64_t offs[2] = { 0, 2 * PAGE }, last = 3 * PAGE;
	uint64_t addrs[6];
	uint32_t nr = 0, shared = CKPT_VMA_SHARED;
	uint32_t rw = CKPT_VMA_READ | CKPT_VMA_WRITE;

	put_header(img, typical_header());
	put_file(img, 1, "/usr/bin/shm");

	f = (struct ckpt_hdr_file){
		.objref = 2, .type = CKPT_FILE_MEMFD,
		.f_flags = d == MEMFD_RDONLY ? 0100000 : 0100002,
		.pos = 100, .size = d == MEMFD_HUGE ? 1ULL << 63 : 3 * PAGE + 100,
		.seals = d == MEMFD_SEALS ? 0x47 : 0x7,
	};
	put_file_as(img, f, d == MEMFD_NO_NAME ? NULL :
			    d == MEMFD_NAME ? "buffer" : "memfd:buffer");
	if (d == MEMFD_UNSORTED) {
		offs[0] = 2 * PAGE;
		offs[1] = 0;
	}
	if (d == MEMFD_UNALIGNED)
		offs[1] = 0x100;
	if (d == MEMFD_ACROSS)
		last = 2 * PAGE;
	if (d == MEMFD_PAST_END)
		last = 4 * PAGE;
	if (d == MEMFD_NR_PAGES) {
		put_file_pages(img, 2, NULL, CKPT_PAGES_MAX + 1, 1, 0, 0);
	} else if (d != MEMFD_NO_PAGES) {
		put_file_pages(img, d == MEMFD_PAGES_OTHER ? 1 : 2, offs, 2,
			       d == MEMFD_MORE_2 ? 2 : 1,
			       d == MEMFD_RESERVED, d == MEMFD_LEN ? 1 : 2);
		if (d != MEMFD_MORE_MISSING)
			put_file_pages(img, 2, &last, 1, 0, 0, 1);
	}

	f = (struct ckpt_hdr_file){ .objref = 3, .type = CKPT_FILE_MEMFD,
				    .f_flags = 0100002 };
	put_file_as(img, f, "memfd:");
	put_file_pages(img, 3, NULL, 0, 0, 0, 0);

	f = reg_file(4);
	f.f_flags = 0100002;
	f.size = 2 * PAGE;
	if (d == MEMFD_REG_SEALS)
		f.seals = 1;
	put_file_as(img, f, "/srv/shared.db");
	if (d == MEMFD_PAGES_ALONE)
		put_file_pages(img, 4, NULL, 0, 0, 0, 0);

	put_record(img, CKPT_HDR_MM, &mm, sizeof(mm));
	put_vma(img, CODE_START, CODE_END, CKPT_VMA_FILE,
		CKPT_VMA_READ | CKPT_VMA_EXEC, 0, 1);
	put_vma(img, HEAP_START, HEAP_START + 2 * PAGE, CKPT_VMA_ANON, rw, 0,
		0);
	put_vma(img, SHM_ANON, SHM_ANON + 4 * PAGE, CKPT_VMA_ANON,
		d == MEMFD_SHARED_RO ? CKPT_VMA_READ : rw, shared, 0);
	put_vma(img, SHM_MEMFD, SHM_MEMFD + 4 * PAGE, CKPT_VMA_FILE, rw,
		shared, 2);
	{
		/* from its second page on: pgoff 1 */
		struct ckpt_hdr_vma v = {
			.start = SHM_MEMFD_PRIV, .end = SHM_MEMFD_PRIV + 2 * PAGE,
			.pgoff = 1, .kind = CKPT_VMA_FILE,
			.prot = CKPT_VMA_READ, .file_objref = 2,
		};

		put_record(img, CKPT_HDR_VMA, &v, sizeof(v));
	}
	put_vma(img, SHM_FILE, SHM_FILE + 2 * PAGE, CKPT_VMA_FILE, rw,
		shared | CKPT_VMA_LOCKED, 4);
	put_vma(img, SHM_VDSO, SHM_VDSO + 2 * PAGE, CKPT_VMA_VDSO,
		CKPT_VMA_READ | CKPT_VMA_EXEC,
		d == MEMFD_SHARED_VDSO ? shared : 0, 0);
	put_vma(img, STACK_START, STACK_END, CKPT_VMA_ANON, rw,
		CKPT_VMA_GROWSDOWN | (d == MEMFD_SHARED_STACK ? shared : 0), 0);

	addrs[nr++] = HEAP_START;
	addrs[nr++] = SHM_ANON;
	addrs[nr++] = SHM_ANON + 3 * PAGE;
	if (d == MEMFD_PAGE_SHARED_FILE)
		addrs[nr++] = SHM_MEMFD + PAGE;
	addrs[nr++] = SHM_MEMFD_PRIV;
	if (d == MEMFD_PAGE_VDSO)
		addrs[nr++] = SHM_VDSO;
	addrs[nr++] = STACK_END - PAGE;
	put_pages(img, addrs, nr, nr);

	put_lone_task(img, 5, "shm", fds, 3);
	put_tail(img);
}

static void make_memfd_images(void)
{
	for (int d = 0; d < MEMFD_NR_DAMAGES; d++) {
		struct image *img = new_image();

		put_memfd_image(img, (enum memfd_damage)d);
		if (d == MEMFD_VALID)
			save_both(memfd_names[d], img);
		else
			save(memfd_names[d], img);
	}
}

/* One way to damage the image of put_shmem_image(), or none. */
enum shmem_damage {
	SHMEM_VALID,
	SHMEM_NAME,		/* named "dev/null" */
	SHMEM_FLAGS,		/* open flags O_RDWR | O_LARGEFILE */
	SHMEM_POS,		/* at offset 4096 */
	SHMEM_PAST_END,		/* a page at 0x3000, past its 3 pages */
	SHMEM_NO_PAGES,		/* no page record after its name */
	SHMEM_PAGE_SHARED,	/* a page of the mm in its shared area */
	SHMEM_NR_DAMAGES
};

static const char *const shmem_names[] = {
	"shmem.img", "shmem-name.img", "shmem-flags.img", "shmem-pos.img",
	"shmem-past-end.img", "shmem-no-pages.img", "shmem-page-shared.img",
};
_Static_assert(sizeof(shmem_names) / sizeof(shmem_names[0]) ==
	       SHMEM_NR_DAMAGES, "a name for each damaged shmem image");

/* The areas of the shared anonymous memory image */
#define SHMEM_RW	0x7f0000000000ULL	/* its 3 pages, read-write */
#define SHMEM_RO	0x7f0000010000ULL	/* its pages 1 and 2, read-only */

/*
 * A process (pid 1) with shared anonymous memory (format version 4, as
 * memfd.c writes it): its executable (file 1); the object (file 2,
 * "dev/zero", 3 pages, pages 0 and 2 in the image); its address space
 * (mm 3): the code, the heap, the object mapped read-write whole and
 * read-only from its second page, the vDSO, the stack; no fds.
 */
static void put_shmem_image(struct image *img, enum shmem_damage d)
{
	struct ckpt_hdr_mm mm = {
		.objref = 3, .nr_vmas = 6,
		.start_code = CODE_START, .end_code = 0x401c00,
		.start_brk = HEAP_START, .brk = HEAP_START + 2 * PAGE,
		.start_stack = 0x7fffffffe5a0,
		.vdso = SHM_VDSO, .exe_objref = 1,
	};
	struct ckpt_hdr_file f = {
		.objref = 2, .type = CKPT_FILE_SHMEM,
		.f_flags = d == SHMEM_FLAGS ? 0100002 : 02,
		.pos = d == SHMEM_POS ? PAGE : 0, .size = 3 * PAGE,
	};
	uint64_t offs[2] = { 0, d == SHMEM_PAST_END ? 3 * PAGE : 2 * PAGE };
	uint64_t addrs[3];
	uint32_t nr = 0, rw = CKPT_VMA_READ | CKPT_VMA_WRITE;
	struct ckpt_hdr_vma ro = {
		.start = SHMEM_RO, .end = SHMEM_RO + 2 * PAGE, .pgoff = 1,
		.kind = CKPT_VMA_FILE, .prot = CKPT_VMA_READ,
		.flags = CKPT_VMA_SHARED, .file_objref = 2,
	};

	put_header(img, typical_header());
	put_file(img, 1, "/usr/bin/shmem");
	put_file_as(img, f, d == SHMEM_NAME ? "dev/null" : CKPT_SHMEM_NAME);
	if (d != SHMEM_NO_PAGES)
		put_file_pages(img, 2, offs, 2, 0, 0, 2);

	put_record(img, CKPT_HDR_MM, &mm, sizeof(mm));
	put_vma(img, CODE_START, CODE_END, CKPT_VMA_FILE,
		CKPT_VMA_READ | CKPT_VMA_EXEC, 0, 1);
	put_vma(img, HEAP_START, HEAP_START + 2 * PAGE, CKPT_VMA_ANON, rw, 0,
		0);
	put_vma(img, SHMEM_RW, SHMEM_RW + 3 * PAGE, CKPT_VMA_FILE, rw,
		CKPT_VMA_SHARED, 2);
	put_record(img, CKPT_HDR_VMA, &ro, sizeof(ro));
	put_vma(img, SHM_VDSO, SHM_VDSO + 2 * PAGE, CKPT_VMA_VDSO,
		CKPT_VMA_READ | CKPT_VMA_EXEC, 0, 0);
	put_vma(img, STACK_START, STACK_END, CKPT_VMA_ANON, rw,
		CKPT_VMA_GROWSDOWN, 0);
	addrs[nr++] = HEAP_START;
	if (d == SHMEM_PAGE_SHARED)
		addrs[nr++] = SHMEM_RW + PAGE;
	addrs[nr++] = STACK_END - PAGE;
	put_pages(img, addrs, nr, nr);

	put_lone_task(img, 3, "shmem", NULL, 0);
	put_tail(img);
}

static void make_shmem_images(void)
{
	for (int d = 0; d < SHMEM_NR_DAMAGES; d++) {
		struct image *img = new_image();

		put_shmem_image(img, (enum shmem_damage)d);
		if (d == SHMEM_VALID)
			save_both(shmem_names[d], img);
		else
			save(shmem_names[d], img);
	}
}

/* One way to damage the image of put_fifo_image(), or none. */
enum fifo_damage {
	FIFO_VALID,
	FIFO_PIPE_FLAGS,	/* the pipe with flags 0x3 */
	FIFO_PLAIN_PIPE,	/* the FIFO's pipe without CKPT_PIPE_FIFO */
	FIFO_PIPE_END,		/* file 4 a pipe end of the FIFO's pipe */
	FIFO_POS,		/* file 3 at offset 5 */
	FIFO_RELATIVE,		/* file 3 at "run/q" */
	FIFO_NR_DAMAGES
};

static const char *const fifo_names[] = {
	"fifo.img", "fifo-pipe-flags.img", "fifo-plain-pipe.img",
	"fifo-pipe-end.img", "fifo-pos.img", "fifo-relative.img",
};
_Static_assert(sizeof(fifo_names) / sizeof(fifo_names[0]) ==
	       FIFO_NR_DAMAGES, "a name for each damaged FIFO image");

/*
 * A process (pid 1) with a FIFO (format version 4): its executable (file
 * 1); the FIFO's pipe (2, a FIFO's, 11 bytes in it); the FIFO /run/q open
 * for reading, non-blocking (file 3, fd 3) and for writing (file 4, fd 4);
 * the memory of the shmem image but its shared areas (mm 5).
 */
static void put_fifo_image(struct image *img, enum fifo_damage d)
{
	struct ckpt_hdr_mm mm = {
		.objref = 5, .nr_vmas = 4,
		.start_code = CODE_START, .end_code = 0x401c00,
		.start_brk = HEAP_START, .brk = HEAP_START + 2 * PAGE,
		.start_stack = 0x7fffffffe5a0,
		.vdso = SHM_VDSO, .exe_objref = 1,
	};
	struct ckpt_fd fds[2] = {
		{ .fd = 3, .file_objref = 3 },
		{ .fd = 4, .file_objref = 4 },
	};
	struct ckpt_hdr_file f = {
		.objref = 3, .type = CKPT_FILE_FIFO, .f_flags = 04000,
		.pipe_objref = 2, .pos = d == FIFO_POS ? 5 : 0,
	};
	uint64_t addrs[2] = { HEAP_START, STACK_END - PAGE };
	uint32_t rw = CKPT_VMA_READ | CKPT_VMA_WRITE;
	struct {
		struct ckpt_hdr_pipe p;
		char data[11];
	} pipe = {
		.p = { .objref = 2, .size = 65536, .len = 11,
		       .flags = d == FIFO_PIPE_FLAGS ? 3 :
				d == FIFO_PLAIN_PIPE ? 0 : CKPT_PIPE_FIFO },
	};

	memcpy(pipe.data, "hello fifo\n", 11);
	put_header(img, typical_header());
	put_file(img, 1, "/usr/bin/fifo");
	put_record(img, CKPT_HDR_PIPE, &pipe, sizeof(pipe.p) + 11);
	put_file_as(img, f, d == FIFO_RELATIVE ? "run/q" : "/run/q");
	f.objref = 4;
	f.f_flags = 01;
	f.pos = 0;
	if (d == FIFO_PIPE_END) {
		f.type = CKPT_FILE_PIPE;
		put_record(img, CKPT_HDR_FILE, &f, sizeof(f));
	} else {
		put_file_as(img, f, "/run/q");
	}

	put_record(img, CKPT_HDR_MM, &mm, sizeof(mm));
	put_vma(img, CODE_START, CODE_END, CKPT_VMA_FILE,
		CKPT_VMA_READ | CKPT_VMA_EXEC, 0, 1);
	put_vma(img, HEAP_START, HEAP_START + 2 * PAGE, CKPT_VMA_ANON, rw, 0,
		0);
	put_vma(img, SHM_VDSO, SHM_VDSO + 2 * PAGE, CKPT_VMA_VDSO,
		CKPT_VMA_READ | CKPT_VMA_EXEC, 0, 0);
	put_vma(img, STACK_START, STACK_END, CKPT_VMA_ANON, rw,
		CKPT_VMA_GROWSDOWN, 0);
	put_pages(img, addrs, 2, 2);

	put_lone_task(img, 5, "fifo", fds, 2);
	put_tail(img);
}

static void make_fifo_images(void)
{
	for (int d = 0; d < FIFO_NR_DAMAGES; d++) {
		struct image *img = new_image();

		put_fifo_image(img, (enum fifo_damage)d);
		if (d == FIFO_VALID)
			save_both(fifo_names[d], img);
		else
			save(fifo_names[d], img);
	}
}

/* ---- Format version 4: SysV IPC objects ---- */

/* One way to damage the image of put_ipc_image(), or none. */
enum ipc_damage {
	IPC_VALID,
	IPC_BIG,		/* valid: a message of 100000 bytes, so that
				 * the record streams past the reader */
	IPC_NO_NS,		/* the namespaces record without CKPT_NS_IPC */
	IPC_AFTER_FILE,		/* the semaphores after the exe's file */
	IPC_AFTER_TASK,		/* the messages after the task */
	IPC_ID,			/* segment 1 has id -1 */
	IPC_ID_ORDER,		/* segment 2 has id 0, as segment 1 */
	IPC_MODE,		/* the queue has mode 01600 */
	IPC_UID,		/* segment 1's creator group is -1 */
	IPC_PERM_RESERVED,	/* the semaphores' permissions reserved 1 */
	IPC_SHM_FLAGS,		/* segment 2 with flags 0x3 */
	IPC_SHM_SIZE,		/* segment 2 of 0 bytes */
	IPC_SHM_HUGE,		/* segment 2 of 2^63 bytes */
	IPC_SHM_DEST_KEY,	/* segment 2, removed, with key 0x99 */
	IPC_SHM_OBJREF,		/* segment 2 with objref 5 */
	IPC_SHM_NO_PAGES,	/* segment 1 without its pages */
	IPC_SHM_MORE,		/* its page record says more follow */
	IPC_SHM_PAST_END,	/* a page of it at 0x4000, past its end */
	IPC_SHM_UNSORTED,	/* its pages at 0x2000, then 0 */
	IPC_SEM_NSEMS,		/* 0 semaphores */
	IPC_SEM_LEN,		/* the semaphores' record 8 bytes longer */
	IPC_SEM_VALUE,		/* semaphore 2 at 32768 */
	IPC_SEM_PAD,		/* the padding after the values not zero */
	IPC_SEM_RESERVED,	/* reserved 1 */
	IPC_MSG_TYPE,		/* message 1 of type 0 */
	IPC_MSG_PAD,		/* the padding of message 0 not zero */
	IPC_MSG_LEN,		/* 8 bytes after the last message */
	IPC_MSG_NR,		/* 3 messages announced, 2 in the record */
	IPC_MSG_SIZE,		/* message 1 says 100 bytes: past the end */
	IPC_MSG_RESERVED,	/* reserved 1 */
	IPC_MSG_QBYTES,		/* a capacity of 2^31 bytes */
	IPC_BIG_TYPE,		/* IPC_BIG with a message of type -1 after
				 * the big one, past what the reader keeps */
	IPC_BIG_PAD,		/* IPC_BIG, the padding of the big one not
				 * zero, past what the reader keeps */
	IPC_VMA_PRIVATE,	/* segment 1 attached privately */
	IPC_VMA_PGOFF,		/* segment 1 attached from its second page */
	IPC_VMA_LEN,		/* 3 of the 4 pages of segment 1 attached */
	IPC_VMA_PROT,		/* segment 2 attached read-only, but writable */
	IPC_VMA_RDONLY_ANON,	/* shm_rdonly on the heap */
	IPC_VMA_OBJREF,		/* an area of segment "3", the exe */
	IPC_VMA_PAGE,		/* a page of the mm in segment 1's area */
	IPC_NR_DAMAGES
};

static const char *const ipc_names[] = {
	"ipc.img", "ipc-big.img", "ipc-no-ns.img", "ipc-after-file.img",
	"ipc-after-task.img", "ipc-id.img", "ipc-id-order.img",
	"ipc-mode.img", "ipc-uid.img", "ipc-perm-reserved.img",
	"ipc-shm-flags.img", "ipc-shm-size.img", "ipc-shm-huge.img",
	"ipc-shm-dest-key.img", "ipc-shm-objref.img", "ipc-shm-no-pages.img",
	"ipc-shm-more.img", "ipc-shm-past-end.img", "ipc-shm-unsorted.img",
	"ipc-sem-nsems.img", "ipc-sem-len.img", "ipc-sem-value.img",
	"ipc-sem-pad.img", "ipc-sem-reserved.img", "ipc-msg-type.img",
	"ipc-msg-pad.img", "ipc-msg-len.img", "ipc-msg-nr.img",
	"ipc-msg-size.img", "ipc-msg-reserved.img", "ipc-msg-qbytes.img",
	"ipc-big-type.img", "ipc-big-pad.img", "ipc-vma-private.img",
	"ipc-vma-pgoff.img", "ipc-vma-len.img", "ipc-vma-prot.img",
	"ipc-vma-rdonly-anon.img", "ipc-vma-objref.img", "ipc-vma-page.img",
};
_Static_assert(sizeof(ipc_names) / sizeof(ipc_names[0]) == IPC_NR_DAMAGES,
	       "a name for each damaged IPC image");

/* The areas that attach the segments */
#define IPC_SHM_A	0x7f0000000000ULL	/* segment 1: 4 pages, rw */
#define IPC_SHM_B	0x7f0000010000ULL	/* segment 2: 2 pages, r-- */
#define IPC_SHM_A_SIZE	(3 * PAGE + 100)
#define IPC_SHM_B_SIZE	5000
#define IPC_BIG_TEXT	100000

/* Owner and creator @uid (and group), permission bits @mode. */
static struct ckpt_ipc_perm ipc_perm(int32_t id, int32_t key, uint32_t uid,
				     uint32_t mode)
{
	struct ckpt_ipc_perm p = {
		.id = id, .key = key, .uid = uid, .gid = uid, .cuid = uid,
		.cgid = uid, .mode = mode,
	};

	return p;
}

/*
 * A message queue record being built: its fixed part, then each
 * message, its text (bytes of its own) and its padding.
 */
static struct {
	struct ckpt_hdr_ipc_msg q;
	unsigned char msgs[IPC_BIG_TEXT + 4096];
} msgq;
static uint32_t msgq_len;

/*
 * A message of type @mtype, @size bytes of @text (or of a pattern), its
 * padding @pad_byte: where it is in msgq.msgs.
 */
static struct ckpt_ipc_msg *msgq_add(int64_t mtype, uint32_t size,
				     const char *text, unsigned char pad_byte)
{
	struct ckpt_ipc_msg m = { .mtype = mtype, .size = size };
	struct ckpt_ipc_msg *at = (struct ckpt_ipc_msg *)(msgq.msgs + msgq_len);
	uint32_t len = size, pad = align8(len) - len;

	memcpy(at, &m, sizeof(m));
	msgq_len += sizeof(m);
	for (uint32_t i = 0; i < len; i++)
		msgq.msgs[msgq_len + i] = text ? text[i] : (unsigned char)i;
	msgq_len += len;
	memset(msgq.msgs + msgq_len, pad_byte, pad);
	msgq_len += pad;
	return at;
}

/*
 * The queue of the IPC image: messages of type 5 ("hello", padded) and 9
 * (24 bytes), or with IPC_BIG and its damaged copies, the first of
 * IPC_BIG_TEXT bytes.
 */
static void put_ipc_msgq(struct image *img, enum ipc_damage d)
{
	bool big = d == IPC_BIG || d == IPC_BIG_TYPE || d == IPC_BIG_PAD;
	struct ckpt_ipc_msg *m;

	memset(&msgq, 0, sizeof(msgq));
	msgq_len = 0;
	msgq.q.perm = ipc_perm(0, 0x4321, 0, d == IPC_MODE ? 01600 : 0600);
	msgq.q.qbytes = d == IPC_MSG_QBYTES ? 1ULL << 31 : 16384;
	msgq.q.nr_msgs = d == IPC_MSG_NR ? 3 : 2;
	msgq.q.reserved = d == IPC_MSG_RESERVED;
	msgq.q.stime = msgq.q.rtime = msgq.q.ctime = 1700000000;
	if (big)
		msgq_add(5, IPC_BIG_TEXT - 3, NULL, d == IPC_BIG_PAD ? 7 : 0);
	else
		msgq_add(5, 5, "hello", d == IPC_MSG_PAD ? 1 : 0);
	m = msgq_add(d == IPC_MSG_TYPE ? 0 : d == IPC_BIG_TYPE ? -1 : 9, 24,
		     "a message of 24 bytes...", 0);
	if (d == IPC_MSG_SIZE)
		m->size = 100;
	if (d == IPC_MSG_LEN)
		msgq_len += 8;
	put_record(img, CKPT_HDR_IPC_MSG, &msgq, sizeof(msgq.q) + msgq_len);
}

/* The semaphore set of the IPC image: 1, 0, 32767. */
static void put_ipc_sem(struct image *img, enum ipc_damage d)
{
	struct {
		struct ckpt_hdr_ipc_sem s;
		uint16_t vals[8];
	} rec = {
		.s.perm = ipc_perm(0, 0x1234, 0, 0666),
		.s.nsems = d == IPC_SEM_NSEMS ? 0 : 3,
		.s.reserved = d == IPC_SEM_RESERVED,
		.s.otime = 1700000000, .s.ctime = 1700000000,
		.vals = { 1, 0, d == IPC_SEM_VALUE ? 32768 : 32767 },
	};
	uint32_t len = sizeof(rec.s) + 8;

	if (d == IPC_PERM_RESERVED)
		rec.s.perm.reserved = 1;
	if (d == IPC_SEM_PAD)
		rec.vals[3] = 0x100;
	if (d == IPC_SEM_LEN)
		len += 8;
	put_record(img, CKPT_HDR_IPC_SEM, &rec, len);
}

/*
 * The segments of the IPC image, each with its pages: 1 (id 0, key
 * 0x162e, of 12388 bytes, its pages 0 and 2 in the image) and 2 (id
 * 32769, removed while attached, of 5000 bytes, no page in the image).
 */
static void put_ipc_shms(struct image *img, enum ipc_damage d)
{
	struct ckpt_hdr_ipc_shm a = {
		.objref = 1, .perm = ipc_perm(d == IPC_ID ? -1 : 0, 0x162e,
					      1000, 0600),
		.size = IPC_SHM_A_SIZE, .atime = 1700000000,
		.ctime = 1700000000,
	};
	struct ckpt_hdr_ipc_shm b = {
		.objref = d == IPC_SHM_OBJREF ? 5 : 2,
		.flags = d == IPC_SHM_FLAGS ? 3 : CKPT_SHM_DEST,
		.perm = ipc_perm(d == IPC_ID_ORDER ? 0 : 32769,
				 d == IPC_SHM_DEST_KEY ? 0x99 : 0, 0, 0640),
		.size = d == IPC_SHM_SIZE ? 0 :
			d == IPC_SHM_HUGE ? 1ULL << 63 : IPC_SHM_B_SIZE,
		.dtime = 1700000000, .ctime = 1700000000,
	};
	uint64_t offs[2] = { 0, d == IPC_SHM_PAST_END ? 4 * PAGE : 2 * PAGE };

	if (d == IPC_UID)
		a.perm.cgid = 0xffffffff;
	if (d == IPC_SHM_UNSORTED) {
		offs[0] = 2 * PAGE;
		offs[1] = 0;
	}
	put_record(img, CKPT_HDR_IPC_SHM, &a, sizeof(a));
	if (d != IPC_SHM_NO_PAGES)
		put_file_pages(img, 1, offs, 2, d == IPC_SHM_MORE, 0, 2);
	put_record(img, CKPT_HDR_IPC_SHM, &b, sizeof(b));
	put_file_pages(img, b.objref, NULL, 0, 0, 0, 0);
}

/*
 * A process (pid 1) in an IPC namespace of its own (format version 4,
 * as ipc.c writes it): the segments (1 and 2), the semaphore set and the
 * message queue; its executable (file 3); its address space (mm 4): the
 * code, the heap, segment 1 attached read-write, segment 2 read-only,
 * the vDSO, the stack.
 */
static void put_ipc_image(struct image *img, enum ipc_damage d)
{
	struct ckpt_hdr_mm mm = {
		.objref = 4, .nr_vmas = 6,
		.start_code = CODE_START, .end_code = 0x401c00,
		.start_brk = HEAP_START, .brk = HEAP_START + 2 * PAGE,
		.start_stack = 0x7fffffffe5a0,
		.vdso = SHM_VDSO, .exe_objref = 3,
	};
	uint32_t rw = CKPT_VMA_READ | CKPT_VMA_WRITE;
	struct ckpt_hdr_vma a = {
		.start = IPC_SHM_A,
		.end = IPC_SHM_A + (d == IPC_VMA_LEN ? 3 : 4) * PAGE,
		.pgoff = d == IPC_VMA_PGOFF, .kind = CKPT_VMA_SYSV_SHM,
		.prot = rw, .flags = d == IPC_VMA_PRIVATE ? 0 : CKPT_VMA_SHARED,
		.file_objref = 1,
	};
	struct ckpt_hdr_vma b = {
		.start = IPC_SHM_B, .end = IPC_SHM_B + 2 * PAGE,
		.kind = CKPT_VMA_SYSV_SHM,
		.prot = d == IPC_VMA_PROT ? rw : CKPT_VMA_READ,
		.flags = CKPT_VMA_SHARED | CKPT_VMA_SHM_RDONLY,
		.file_objref = d == IPC_VMA_OBJREF ? 3 : 2,
	};
	uint64_t addrs[3];
	uint32_t nr = 0;

	put_header_only(img, typical_header());
	put_namespaces_flags(img, d == IPC_NO_NS ? 0 : CKPT_NS_IPC);
	put_ipc_shms(img, d);
	if (d == IPC_AFTER_FILE)
		put_file(img, 3, "/usr/bin/ipc");
	put_ipc_sem(img, d);
	if (d != IPC_AFTER_TASK)
		put_ipc_msgq(img, d);
	if (d != IPC_AFTER_FILE)
		put_file(img, 3, "/usr/bin/ipc");

	put_record(img, CKPT_HDR_MM, &mm, sizeof(mm));
	put_vma(img, CODE_START, CODE_END, CKPT_VMA_FILE,
		CKPT_VMA_READ | CKPT_VMA_EXEC, 0, 3);
	put_vma(img, HEAP_START, HEAP_START + 2 * PAGE, CKPT_VMA_ANON, rw,
		d == IPC_VMA_RDONLY_ANON ? CKPT_VMA_SHM_RDONLY : 0, 0);
	put_record(img, CKPT_HDR_VMA, &a, sizeof(a));
	put_record(img, CKPT_HDR_VMA, &b, sizeof(b));
	put_vma(img, SHM_VDSO, SHM_VDSO + 2 * PAGE, CKPT_VMA_VDSO,
		CKPT_VMA_READ | CKPT_VMA_EXEC, 0, 0);
	put_vma(img, STACK_START, STACK_END, CKPT_VMA_ANON, rw,
		CKPT_VMA_GROWSDOWN, 0);
	addrs[nr++] = HEAP_START;
	if (d == IPC_VMA_PAGE)
		addrs[nr++] = IPC_SHM_A + PAGE;
	addrs[nr++] = STACK_END - PAGE;
	put_pages(img, addrs, nr, nr);

	put_lone_task(img, 4, "ipc", NULL, 0);
	if (d == IPC_AFTER_TASK)
		put_ipc_msgq(img, d);
	put_tail(img);
}

static void make_ipc_images(void)
{
	for (int d = 0; d < IPC_NR_DAMAGES; d++) {
		struct image *img = new_image();

		put_ipc_image(img, (enum ipc_damage)d);
		if (d == IPC_VALID || d == IPC_BIG)
			save_both(ipc_names[d], img);
		else
			save(ipc_names[d], img);
	}
}

/* ---- Format version 4: SEM_UNDO adjustments, POSIX message queues ---- */

/* One way to damage the image of put_ipc_mq_image(), or none. */
enum ipc_mq_damage {
	MQ_VALID,
	MQ_BIG,			/* valid: /q2 holds a message of 100000
				 * bytes, which streams past the reader */
	MQ_UNDO_NO_NS,		/* the namespaces record without CKPT_NS_IPC
				 * and no sets: the adjustments alone */
	MQ_UNDO_AFTER_FILE,	/* the second adjustments after the exe */
	MQ_UNDO_PID,		/* the first adjustments of pid 0 */
	MQ_UNDO_SET,		/* the first on set 7, which is none */
	MQ_UNDO_EARLY,		/* the adjustments on set 1 before it */
	MQ_UNDO_NSEMS,		/* the first with 2 adjustments, set 0 has 3 */
	MQ_UNDO_RESERVED,	/* the first with reserved 1 */
	MQ_UNDO_LEN,		/* the first 8 bytes longer */
	MQ_UNDO_ORDER,		/* set 1's adjustments, then set 0's */
	MQ_UNDO_AGAIN,		/* process 1 on set 0, 2 on set 0, 1 on set 1 */
	MQ_UNDO_ADJ,		/* an adjustment of -32768 */
	MQ_UNDO_PAD,		/* the padding after the first's not zero */
	MQ_UNDO_NO_TASK,	/* the second of process 5, no task */
	MQ_UNDO_THREAD,		/* the second of thread 2 of process 1 */
	MQ_UNDO_ZOMBIE,		/* the second of zombie 2 */
	MQ_AFTER_FILE,		/* a third queue, /q3, after the exe */
	MQ_NAME_EMPTY,		/* /q1 named "" */
	MQ_NAME_SLASH,		/* /q1 named "q/1" */
	MQ_NAME_DOTDOT,		/* /q1 named ".." */
	MQ_NAME_NUL,		/* /q1 named 256 'q's, no NUL */
	MQ_NAME_PAD,		/* a byte after the NUL of /q1's name */
	MQ_ORDER,		/* /q2 named "a", after /q1 */
	MQ_MODE,		/* /q1 with mode 01640 */
	MQ_RESERVED,		/* /q1 with reserved 1 */
	MQ_MAXMSG,		/* /q1 with maxmsg 0 */
	MQ_MSGSIZE,		/* /q2 with msgsize -1 */
	MQ_NR,			/* /q1 with maxmsg 1, holding 2 */
	MQ_UID,			/* /q2's owner group -1 */
	MQ_OBJREF,		/* /q1 with objref 5 */
	MQ_PRIO_NEG,		/* /q1's second message of priority -1 */
	MQ_PRIO_MAX,		/* /q1's first message of priority 32768 */
	MQ_MSG_SIZE,		/* /q1's second message of 100 bytes */
	MQ_MSG_PAD,		/* the padding of /q1's first message */
	MQ_MSG_LEN,		/* 8 bytes after /q1's last message */
	MQ_MSG_NR,		/* /q1 says 3 messages, holds 2 */
	MQ_BIG_PRIO,		/* MQ_BIG, then a message of priority 40000
				 * past what the reader keeps */
	MQ_FILE_FLAGS,		/* the mqueue file with O_APPEND */
	MQ_FILE_ACCMODE,	/* the mqueue file with access mode 3 */
	MQ_FILE_POS,		/* the mqueue file at offset 5 */
	MQ_FILE_SIZE,		/* the mqueue file of size 4096 */
	MQ_FILE_RDEV,		/* the mqueue file with device 0x103 */
	MQ_FILE_SEALS,		/* the mqueue file with seals 0x1 */
	MQ_FILE_QUEUE,		/* the mqueue file names file 3, the exe */
	MQ_FILE_NONE,		/* the mqueue file names no queue (0) */
	MQ_FILE_STRING,		/* a path string after the mqueue file */
	MQ_NR_DAMAGES
};

static const char *const ipc_mq_names[] = {
	"ipc-mq.img", "ipc-mq-big.img", "ipc-mq-undo-no-ns.img",
	"ipc-mq-undo-after-file.img", "ipc-mq-undo-pid.img",
	"ipc-mq-undo-set.img", "ipc-mq-undo-early.img",
	"ipc-mq-undo-nsems.img", "ipc-mq-undo-reserved.img",
	"ipc-mq-undo-len.img", "ipc-mq-undo-order.img",
	"ipc-mq-undo-again.img", "ipc-mq-undo-adj.img", "ipc-mq-undo-pad.img",
	"ipc-mq-undo-no-task.img", "ipc-mq-undo-thread.img",
	"ipc-mq-undo-zombie.img", "ipc-mq-after-file.img",
	"ipc-mq-name-empty.img", "ipc-mq-name-slash.img",
	"ipc-mq-name-dotdot.img", "ipc-mq-name-nul.img", "ipc-mq-name-pad.img",
	"ipc-mq-order.img", "ipc-mq-mode.img", "ipc-mq-reserved.img",
	"ipc-mq-maxmsg.img", "ipc-mq-msgsize.img", "ipc-mq-nr.img",
	"ipc-mq-uid.img", "ipc-mq-objref.img", "ipc-mq-prio-neg.img",
	"ipc-mq-prio-max.img", "ipc-mq-msg-size.img", "ipc-mq-msg-pad.img",
	"ipc-mq-msg-len.img", "ipc-mq-msg-nr.img", "ipc-mq-big-prio.img",
	"ipc-mq-file-flags.img", "ipc-mq-file-accmode.img",
	"ipc-mq-file-pos.img", "ipc-mq-file-size.img", "ipc-mq-file-rdev.img",
	"ipc-mq-file-seals.img", "ipc-mq-file-queue.img",
	"ipc-mq-file-none.img", "ipc-mq-file-string.img",
};
_Static_assert(sizeof(ipc_mq_names) / sizeof(ipc_mq_names[0]) ==
	       MQ_NR_DAMAGES, "a name for each damaged mqueue image");

/* The fd of the task at which the mqueue file is open */
#define IPC_MQ_FD	3

/*
 * The SEM_UNDO adjustments of process @pid on set @semid: @nsems of
 * @adj, in a record @extra bytes longer, its padding @pad_byte.
 */
static void put_sem_undo(struct image *img, int32_t pid, int32_t semid,
			 uint32_t nsems, const int16_t *adj, uint32_t reserved,
			 uint32_t extra, unsigned char pad_byte)
{
	struct {
		struct ckpt_hdr_ipc_sem_undo u;
		int16_t adj[16];
	} rec = {
		.u = { .pid = pid, .semid = semid, .nsems = nsems,
		       .reserved = reserved },
	};
	uint32_t bytes = nsems * sizeof(int16_t);

	memcpy(rec.adj, adj, bytes);
	memset((unsigned char *)rec.adj + bytes, pad_byte,
	       align8(bytes) - bytes);
	put_record(img, CKPT_HDR_IPC_SEM_UNDO, &rec,
		   sizeof(rec.u) + align8(bytes) + extra);
}

/*
 * The two semaphore sets of the mqueue image: 0 (key 0x1234: 1, 0,
 * 32767) and 1 (key 0x5678: 4, 2).
 */
static void put_mq_sem(struct image *img, int32_t id)
{
	struct {
		struct ckpt_hdr_ipc_sem s;
		uint16_t vals[4];
	} rec = {
		.s.perm = ipc_perm(id, id ? 0x5678 : 0x1234, 0, 0600),
		.s.nsems = id ? 2 : 3,
		.s.otime = 1700000000, .s.ctime = 1700000000,
		.vals = { id ? 4 : 1, id ? 2 : 0, id ? 0 : 32767 },
	};

	put_record(img, CKPT_HDR_IPC_SEM, &rec, sizeof(rec));
}

/*
 * The adjustments of the mqueue image: process 1 on set 0 (-1, 0, 2),
 * then on set 1 (3, -32767).
 */
static void put_mq_undos(struct image *img, enum ipc_mq_damage d,
			 bool first, bool second)
{
	int16_t a[3] = { -1, 0, 2 }, b[2] = { 3, -32767 };
	int32_t pid2 = d == MQ_UNDO_NO_TASK ? 5 :
		       d == MQ_UNDO_THREAD || d == MQ_UNDO_ZOMBIE ? 2 : 1;

	if (d == MQ_UNDO_ADJ)
		a[2] = -32768;
	if (first && d == MQ_UNDO_ORDER)
		put_sem_undo(img, 1, 1, 2, b, 0, 0, 0);
	if (first)
		put_sem_undo(img, d == MQ_UNDO_PID ? 0 : 1,
			     d == MQ_UNDO_SET ? 7 : 0,
			     d == MQ_UNDO_NSEMS ? 2 : 3, a,
			     d == MQ_UNDO_RESERVED,
			     d == MQ_UNDO_LEN ? 8 : 0, d == MQ_UNDO_PAD);
	if (first && d == MQ_UNDO_AGAIN)
		put_sem_undo(img, 2, 0, 3, a, 0, 0, 0);
	if (second && d != MQ_UNDO_ORDER)
		put_sem_undo(img, pid2, 1, 2, b, 0, 0, 0);
}

/* A POSIX message queue record being built: its fixed part, then msgq's
 * messages (msgq_add()). */
static struct {
	struct ckpt_hdr_ipc_mqueue q;
	unsigned char msgs[IPC_BIG_TEXT + 4096];
} mq;

/*
 * The queues of the mqueue image: /q1 (objref 1, owner 1000, mode 0640,
 * 8 messages of 64 bytes at most) holding "five!" (priority 5) and
 * "zero" (0), highest priority first; /q2 (objref 2, root's, mode 0600,
 * 10 of 8192 bytes) empty, or with MQ_BIG and its damaged copy, holding
 * a message of IPC_BIG_TEXT - 3 bytes (of 100000 at most); @nr 3, /q3
 * (objref 5), as /q2.
 */
static void put_mq_queue(struct image *img, enum ipc_mq_damage d, int nr)
{
	bool big = d == MQ_BIG || d == MQ_BIG_PRIO;

	memset(&mq, 0, sizeof(mq));
	memset(&msgq, 0, sizeof(msgq));
	msgq_len = 0;
	if (nr == 1) {
		mq.q.objref = d == MQ_OBJREF ? 5 : 1;
		mq.q.mode = d == MQ_MODE ? 01640 : 0640;
		mq.q.uid = mq.q.gid = 1000;
		mq.q.nr_msgs = d == MQ_MSG_NR ? 3 : 2;
		mq.q.reserved = d == MQ_RESERVED;
		mq.q.maxmsg = d == MQ_MAXMSG ? 0 : d == MQ_NR ? 1 : 8;
		mq.q.msgsize = 64;
		strcpy(mq.q.name, "q1");
		if (d == MQ_NAME_EMPTY)
			mq.q.name[0] = '\0';
		else if (d == MQ_NAME_SLASH)
			strcpy(mq.q.name, "q/1");
		else if (d == MQ_NAME_DOTDOT)
			strcpy(mq.q.name, "..");
		else if (d == MQ_NAME_NUL)
			memset(mq.q.name, 'q', sizeof(mq.q.name));
		else if (d == MQ_NAME_PAD)
			mq.q.name[100] = 'x';
		msgq_add(d == MQ_PRIO_MAX ? 32768 : 5, 5, "five!",
			 d == MQ_MSG_PAD ? 1 : 0);
		if (d == MQ_MSG_SIZE)
			msgq_add(0, 100, NULL, 0);
		else
			msgq_add(d == MQ_PRIO_NEG ? -1 : 0, 4, "zero", 0);
		if (d == MQ_MSG_LEN)
			msgq_len += 8;
	} else {
		mq.q.objref = nr == 3 ? 5 : 2;
		mq.q.mode = 0600;
		mq.q.gid = d == MQ_UID ? 0xffffffff : 0;
		mq.q.maxmsg = 10;
		mq.q.msgsize = d == MQ_MSGSIZE ? -1 : big ? 100000 : 8192;
		strcpy(mq.q.name, d == MQ_ORDER ? "a" : nr == 3 ? "q3" : "q2");
		if (big) {
			mq.q.nr_msgs = d == MQ_BIG_PRIO ? 2 : 1;
			msgq_add(1, IPC_BIG_TEXT - 3, NULL, 0);
			if (d == MQ_BIG_PRIO)
				msgq_add(40000, 3, "end", 0);
		}
	}
	memcpy(mq.msgs, msgq.msgs, msgq_len);
	put_record(img, CKPT_HDR_IPC_MQUEUE, &mq, sizeof(mq.q) + msgq_len);
}

/* The file of the task open on /q1, read-write and non-blocking. */
static void put_mq_file(struct image *img, enum ipc_mq_damage d)
{
	struct ckpt_hdr_file f = {
		.objref = 4, .type = CKPT_FILE_MQUEUE,
		.f_flags = 02 | 04000,	/* O_RDWR | O_NONBLOCK */
		.pipe_objref = d == MQ_FILE_QUEUE ? 3 :
			       d == MQ_FILE_NONE ? 0 : 1,
	};

	if (d == MQ_FILE_FLAGS)
		f.f_flags |= 02000;	/* O_APPEND */
	if (d == MQ_FILE_ACCMODE)
		f.f_flags |= 03;
	f.pos = d == MQ_FILE_POS ? 5 : 0;
	f.size = d == MQ_FILE_SIZE ? 4096 : 0;
	f.rdev = d == MQ_FILE_RDEV ? 0x103 : 0;
	f.seals = d == MQ_FILE_SEALS;
	put_file_as(img, f, d == MQ_FILE_STRING ? "/dev/mqueue/q1" : NULL);
}

/*
 * A process (pid 1) in an IPC namespace of its own (format version 4,
 * as ipc.c writes it): two semaphore sets (0 and 1), its SEM_UNDO
 * adjustments on both, two POSIX message queues (/q1, objref 1, with two
 * messages; /q2, objref 2, empty); its executable (file 3); a file open
 * on /q1 (file 4) at fd 3; its address space (mm 5: the code, the heap,
 * the vDSO, the stack).
 */
static void put_ipc_mq_image(struct image *img, enum ipc_mq_damage d)
{
	struct ckpt_hdr_mm mm = {
		.objref = 5, .nr_vmas = 4,
		.start_code = CODE_START, .end_code = 0x401c00,
		.start_brk = HEAP_START, .brk = HEAP_START + 2 * PAGE,
		.start_stack = 0x7fffffffe5a0,
		.vdso = SHM_VDSO, .exe_objref = 3,
	};
	struct ckpt_fd fds[] = { { .fd = IPC_MQ_FD, .file_objref = 4 } };
	uint32_t rw = CKPT_VMA_READ | CKPT_VMA_WRITE;
	uint64_t addrs[2] = { HEAP_START, STACK_END - PAGE };
	bool no_ns = d == MQ_UNDO_NO_NS;

	put_header_only(img, typical_header());
	put_namespaces_flags(img, no_ns ? 0 : CKPT_NS_IPC);
	if (!no_ns)
		put_mq_sem(img, 0);
	if (d != MQ_UNDO_EARLY && !no_ns)
		put_mq_sem(img, 1);
	put_mq_undos(img, d, true, d != MQ_UNDO_AFTER_FILE);
	if (d == MQ_UNDO_EARLY)
		put_mq_sem(img, 1);
	put_mq_queue(img, d, 1);
	put_mq_queue(img, d, 2);
	put_file(img, 3, "/usr/bin/ipc");
	if (d == MQ_UNDO_AFTER_FILE)
		put_mq_undos(img, d, false, true);
	if (d == MQ_AFTER_FILE)
		put_mq_queue(img, d, 3);
	put_mq_file(img, d);

	put_record(img, CKPT_HDR_MM, &mm, sizeof(mm));
	put_vma(img, CODE_START, CODE_END, CKPT_VMA_FILE,
		CKPT_VMA_READ | CKPT_VMA_EXEC, 0, 3);
	put_vma(img, HEAP_START, HEAP_START + 2 * PAGE, CKPT_VMA_ANON, rw, 0,
		0);
	put_vma(img, SHM_VDSO, SHM_VDSO + 2 * PAGE, CKPT_VMA_VDSO,
		CKPT_VMA_READ | CKPT_VMA_EXEC, 0, 0);
	put_vma(img, STACK_START, STACK_END, CKPT_VMA_ANON, rw,
		CKPT_VMA_GROWSDOWN, 0);
	put_pages(img, addrs, 2, 2);

	put_lone_task(img, 5, "ipc-mq", fds, 1);
	/* a thread of it, which shares all but its fs */
	if (d == MQ_UNDO_THREAD) {
		put_task_files(img, 2, 1, 0, 5, 0, 0, "ipc-mq", 1);
		put_regs(img, 0x401300, 0x7ffff7d8dea0, 202, -512, USER_CS);
		put_xstate(img, 832, 0x3);
		put_attrs(img, plain_attrs());
		put_plain_cred(img, 0);
		put_fd_table(img, 6, NULL, 0, 0);
		put_fs(img, 7, 022, "/", "/srv");
		put_sighand(img, 8, 0, NULL, 0);
		put_signal(img, plain_signal(9));
		put_task_signal(img, 0, 0, 0, 0);
	}
	if (d == MQ_UNDO_ZOMBIE)
		put_task(img, 2, 2, 1, 0, CKPT_TASK_ZOMBIE, 0, "child");
	put_tail(img);
}

static void make_ipc_mq_images(void)
{
	struct ckpt_hdr_header hdr = typical_header();
	struct image *img;

	for (int d = 0; d < MQ_NR_DAMAGES; d++) {
		img = new_image();
		put_ipc_mq_image(img, (enum ipc_mq_damage)d);
		if (d == MQ_VALID || d == MQ_BIG)
			save_both(ipc_mq_names[d], img);
		else
			save(ipc_mq_names[d], img);
	}

	/* a file open on a message queue, which version 3 did not have */
	img = new_image();
	hdr.version = 3;
	put_header(img, hdr);
	{
		struct ckpt_hdr_file f = { .objref = 1,
					   .type = CKPT_FILE_MQUEUE,
					   .f_flags = 02, .pipe_objref = 1 };

		put_file_as(img, f, NULL);
	}
	put_tail(img);
	save("v3-mqueue.img", img);
}

/* ---- Format version 3: TLS descriptors and POSIX timers ---- */

/* One way to damage the image of put_timers_image(), or none. */
enum timers_damage {
	TIMERS_VALID,
	TIMERS_TLS_LM,		/* valid: descriptors 1 and 2 empty and all
				 * zero, with lm set */
	TIMERS_TLS_MISSING,	/* task 1 without its TLS record */
	TIMERS_TLS_LONG,	/* a TLS record 8 bytes longer */
	TIMERS_TLS_SHORT,	/* a TLS record 8 bytes shorter */
	TIMERS_TLS_ENTRY,	/* descriptor 1 for GDT entry 12 */
	TIMERS_TLS_FLAGS,	/* descriptor 0 with flag 0x100 too */
	TIMERS_TLS_16BIT,	/* descriptor 0 without seg_32bit */
	TIMERS_TLS_CODE,	/* descriptor 0 a code segment */
	TIMERS_TLS_NOT_PRESENT,	/* descriptor 0 not present */
	TIMERS_TLS_EMPTY_BASE,	/* descriptor 2 empty but for its base */
	TIMERS_TLS_ZOMBIE,	/* a TLS record after the zombie */
	TIMERS_SIGNAL_SHORT,	/* a signal record of version 2's 320 bytes */
	TIMERS_SIGNAL_LONG,	/* a signal record 8 bytes longer */
	TIMERS_MAX,		/* 65537 timers announced */
	TIMERS_NEXT_ID,		/* the next id 2^31 */
	TIMERS_SIGNAL_RESERVED,	/* the signal record's reserved field 1 */
	TIMERS_MISSING,		/* 4 timers announced, 3 there */
	TIMERS_EXTRA,		/* 4 announced, 5 there */
	TIMERS_ORDER,		/* timer 3 as timer 1 again */
	TIMERS_ID_NEGATIVE,	/* timer 0 as timer -1 */
	TIMERS_CLOCK_CPU,	/* timer 0 on CLOCK_PROCESS_CPUTIME_ID */
	TIMERS_CLOCK_ALARM,	/* timer 0 on CLOCK_REALTIME_ALARM */
	TIMERS_NOTIFY,		/* timer 1 SIGEV_NONE | SIGEV_THREAD_ID */
	TIMERS_TID_NONE,	/* timer 3 SIGEV_THREAD_ID with thread 0 */
	TIMERS_TID_STRAY,	/* timer 0 SIGEV_SIGNAL with thread 1 */
	TIMERS_TID_OTHER,	/* timer 3 signals thread 2 */
	TIMERS_SIGNO,		/* timer 7 sends signal 65 */
	TIMERS_SIGNO_ZERO,	/* timer 7 sends signal 0 */
	TIMERS_RESERVED,	/* timer 7's reserved field 1 */
	TIMERS_LEFT,		/* timer 0 with 2^63 ns left */
	TIMERS_INTERVAL,	/* timer 0 every 2^63 ns */
	TIMERS_OVERRUN,		/* timer 0 overrun -2 */
	TIMERS_OVERRUN_LAST,	/* timer 0 last overrun -1 */
	TIMERS_TIMER_SHORT,	/* a timer record 8 bytes shorter */
	TIMERS_SIGINFO_FLAGS,	/* a pending signal with flag 0x4 */
	TIMERS_SIGINFO_CODE,	/* timer 0's signal with si_code SI_QUEUE */
	TIMERS_SIGINFO_UNKNOWN,	/* the signal of timer 2, which is none */
	TIMERS_SIGINFO_NONE,	/* the signal of timer 1, SIGEV_NONE */
	TIMERS_SIGINFO_SIGNO,	/* timer 0's signal as SIGUSR2 */
	TIMERS_SIGINFO_TWICE,	/* timer 0's signal pending twice */
	TIMERS_SIGINFO_SHARED,	/* timer 3's signal shared */
	TIMERS_SIGINFO_PRIVATE,	/* timer 0's signal private */
	TIMERS_NR_DAMAGES
};

static const char *const timers_names[] = {
	"timers.img", "timers-tls-lm.img", "timers-tls-missing.img",
	"timers-tls-long.img", "timers-tls-short.img",
	"timers-tls-entry.img", "timers-tls-flags.img",
	"timers-tls-16bit.img", "timers-tls-code.img",
	"timers-tls-not-present.img", "timers-tls-empty-base.img",
	"timers-tls-zombie.img", "timers-signal-short.img",
	"timers-signal-long.img", "timers-max.img", "timers-next-id.img",
	"timers-signal-reserved.img", "timers-missing.img",
	"timers-extra.img", "timers-order.img", "timers-id-negative.img",
	"timers-clock-cpu.img", "timers-clock-alarm.img",
	"timers-notify.img", "timers-tid-none.img", "timers-tid-stray.img",
	"timers-tid-other.img", "timers-signo.img", "timers-signo-zero.img",
	"timers-reserved.img", "timers-left.img", "timers-interval.img",
	"timers-overrun.img", "timers-overrun-last.img",
	"timers-timer-short.img", "timers-siginfo-flags.img",
	"timers-siginfo-code.img", "timers-siginfo-unknown.img",
	"timers-siginfo-none.img", "timers-siginfo-signo.img",
	"timers-siginfo-twice.img", "timers-siginfo-shared.img",
	"timers-siginfo-private.img",
};
_Static_assert(sizeof(timers_names) / sizeof(timers_names[0]) ==
	       TIMERS_NR_DAMAGES, "a name for each damaged timers image");

/* Clocks and ways to notify, as timer_create(2) takes them */
#define CLOCK_REALTIME_		0
#define CLOCK_MONOTONIC_	1
#define CLOCK_PROCESS_CPUTIME_ID_	2
#define CLOCK_BOOTTIME_		7
#define CLOCK_REALTIME_ALARM_	8
#define CLOCK_TAI_		11
#define SIGEV_SIGNAL_		0
#define SIGEV_NONE_		1
#define SIGEV_THREAD_		2
#define SIGEV_THREAD_ID_	4
#define SI_TIMER_		(-2)
#define SIGRTMIN_		32

/*
 * A POSIX timer's own pending signal: siginfo_t as the kernel queues it,
 * si_timerid, si_overrun and si_value where the union begins (offset 16).
 */
static void put_timer_siginfo(struct image *img, uint32_t signo,
			      uint32_t flags, int32_t code, int32_t id,
			      int32_t overrun, uint64_t value)
{
	struct ckpt_hdr_siginfo si = { .signo = signo, .flags = flags };
	int32_t head[6] = { (int32_t)signo, 0, code, 0, id, overrun };

	memcpy(si.info, head, sizeof(head));
	memcpy(si.info + sizeof(head), &value, sizeof(value));
	put_record(img, CKPT_HDR_SIGINFO, &si, sizeof(si));
}

/* A POSIX timer record of @len bytes (its size, unless testing). */
static void put_posix_timer(struct image *img, struct ckpt_hdr_posix_timer t,
			    uint32_t len)
{
	put_record(img, CKPT_HDR_POSIX_TIMER, &t, len);
}

/* The TLS descriptors of the ticker, damaged as @d says. */
static struct ckpt_hdr_cpu_tls ticker_tls(enum timers_damage d)
{
	struct ckpt_hdr_cpu_tls t = unused_tls();
	struct ckpt_tls_desc *seg = &t.desc[0];

	/* a 32-bit data segment of 4 GiB, as a 32-bit program's glibc
	 * sets it for its thread pointer */
	seg->base_addr = 0x0804c000;
	seg->limit = 0xfffff;
	seg->flags = CKPT_TLS_SEG_32BIT | CKPT_TLS_LIMIT_IN_PAGES |
		     CKPT_TLS_USEABLE;
	switch (d) {
	case TIMERS_TLS_LM:
		t.desc[1].flags |= CKPT_TLS_LM;
		t.desc[2].flags = CKPT_TLS_LM;
		break;
	case TIMERS_TLS_ENTRY:
		t.desc[1].entry_number = CKPT_TLS_FIRST_ENTRY;
		break;
	case TIMERS_TLS_FLAGS:
		seg->flags |= 0x100;
		break;
	case TIMERS_TLS_16BIT:
		seg->flags &= ~CKPT_TLS_SEG_32BIT;
		break;
	case TIMERS_TLS_CODE:
		seg->flags |= 2 << CKPT_TLS_CONTENTS_SHIFT;
		break;
	case TIMERS_TLS_NOT_PRESENT:
		seg->flags |= CKPT_TLS_NOT_PRESENT;
		break;
	case TIMERS_TLS_EMPTY_BASE:
		t.desc[2].base_addr = 0x1000;
		break;
	default:
		break;
	}
	return t;
}

/*
 * The POSIX timers of the ticker, damaged as @d says: timer 0 on
 * CLOCK_MONOTONIC sending SIGRTMIN+2 to the process every 100 ms, with
 * 250 ms left and overruns; timer 1 on CLOCK_REALTIME, SIGEV_NONE,
 * disarmed; timer 3 on CLOCK_BOOTTIME sending SIGUSR1 to thread 1, a
 * one-shot with 5 s left; timer 7 on CLOCK_TAI, SIGEV_THREAD with
 * SIGRTMIN, every second.
 */
static void ticker_timers(struct ckpt_hdr_posix_timer t[4],
			  enum timers_damage d)
{
	memset(t, 0, 4 * sizeof(*t));
	t[0] = (struct ckpt_hdr_posix_timer){
		.id = 0, .clock = CLOCK_MONOTONIC_, .notify = SIGEV_SIGNAL_,
		.signo = SIGRTMIN_ + 2, .value = 0x1234,
		.left = 250000000, .interval = 100000000,
		.overrun = 2, .overrun_last = 1,
	};
	t[1] = (struct ckpt_hdr_posix_timer){
		.id = 1, .clock = CLOCK_REALTIME_, .notify = SIGEV_NONE_,
		.overrun = -1,
	};
	t[2] = (struct ckpt_hdr_posix_timer){
		.id = 3, .clock = CLOCK_BOOTTIME_,
		.notify = SIGEV_SIGNAL_ | SIGEV_THREAD_ID_, .notify_tid = 1,
		.signo = 10, .value = 0x7ffff7d8e000, .left = 5 * NSEC,
		.overrun = -1,
	};
	t[3] = (struct ckpt_hdr_posix_timer){
		.id = 7, .clock = CLOCK_TAI_, .notify = SIGEV_THREAD_,
		.signo = SIGRTMIN_, .value = 0x5678, .left = NSEC,
		.interval = NSEC, .overrun = -1,
	};
	switch (d) {
	case TIMERS_ORDER:
		t[2].id = 1;
		break;
	case TIMERS_ID_NEGATIVE:
		t[0].id = -1;
		break;
	case TIMERS_CLOCK_CPU:
		t[0].clock = CLOCK_PROCESS_CPUTIME_ID_;
		break;
	case TIMERS_CLOCK_ALARM:
		t[0].clock = CLOCK_REALTIME_ALARM_;
		break;
	case TIMERS_NOTIFY:
		t[1].notify = SIGEV_NONE_ | SIGEV_THREAD_ID_;
		t[1].notify_tid = 1;
		break;
	case TIMERS_TID_NONE:
		t[2].notify_tid = 0;
		break;
	case TIMERS_TID_STRAY:
		t[0].notify_tid = 1;
		break;
	case TIMERS_TID_OTHER:
		t[2].notify_tid = 2;
		break;
	case TIMERS_SIGNO:
		t[3].signo = 65;
		break;
	case TIMERS_SIGNO_ZERO:
		t[3].signo = 0;
		break;
	case TIMERS_RESERVED:
		t[3].reserved = 1;
		break;
	case TIMERS_LEFT:
		t[0].left = 1ULL << 63;
		break;
	case TIMERS_INTERVAL:
		t[0].interval = 1ULL << 63;
		break;
	case TIMERS_OVERRUN:
		t[0].overrun = -2;
		break;
	case TIMERS_OVERRUN_LAST:
		t[0].overrun_last = -1;
		break;
	default:
		break;
	}
}

/*
 * A process (pid 1) with TLS descriptors in use and POSIX timers, and a
 * zombie child (pid 2):
 *
 *   its executable (file 1), its address space (mm 2: code, heap, stack);
 *   the ticker in pause(), a 32-bit data segment in GDT entry 12 (the
 *   others unused); the plain state of a task that set nothing (fd table
 *   3, fs 4, handlers 5) but for signal record 6 with the timers of
 *   ticker_timers() (the next id 8) and SIGUSR1, SIGUSR2 and SIGRTMIN+2
 *   blocked and pending: SIGUSR1 from timer 3 and SIGUSR2 from kill(2)
 *   for the task, SIGRTMIN+2 from timer 0 (one overrun) for the process.
 */
static void put_timers_image(struct image *img, enum timers_damage d)
{
	struct ckpt_hdr_mm mm = {
		.objref = 2, .nr_vmas = 3,
		.start_code = CODE_START, .end_code = 0x401c00,
		.start_brk = HEAP_START, .brk = HEAP_END,
		.start_stack = 0x7fffffffe5a0, .exe_objref = 1,
	};
	struct ckpt_hdr_signal sg = plain_signal(6);
	struct ckpt_hdr_posix_timer timers[4];
	struct ckpt_hdr_task_signal ts = {
		.blocked = SIG_BIT(10) | SIG_BIT(12) | SIG_BIT(SIGRTMIN_ + 2),
		.nr_pending = d == TIMERS_SIGINFO_TWICE ? 4 : 3,
	};
	uint64_t addrs[2] = { HEAP_START, STACK_END - PAGE };
	uint32_t nr_timers = 4, timer_len = sizeof(timers[0]);
	uint32_t shared_flags = CKPT_SIGINFO_SHARED | CKPT_SIGINFO_TIMER;
	uint32_t last_signo = SIGRTMIN_ + 2;
	int32_t last_code = SI_TIMER_, last_id = 0;

	img->own_tls = true;
	put_header(img, typical_header());
	put_file(img, 1, "/usr/bin/ticker");
	put_record(img, CKPT_HDR_MM, &mm, sizeof(mm));
	put_vma(img, CODE_START, CODE_END, CKPT_VMA_FILE,
		CKPT_VMA_READ | CKPT_VMA_EXEC, 0, 1);
	put_vma(img, HEAP_START, HEAP_END, CKPT_VMA_ANON,
		CKPT_VMA_READ | CKPT_VMA_WRITE, 0, 0);
	put_vma(img, STACK_START, STACK_END, CKPT_VMA_ANON,
		CKPT_VMA_READ | CKPT_VMA_WRITE, CKPT_VMA_GROWSDOWN, 0);
	put_pages(img, addrs, 2, 2);

	/* in pause() */
	put_task(img, 1, 1, 0, 2, 0, 0, "ticker");
	put_regs(img, 0x401234, 0x7fffffffe4e8, 34, -514, USER_CS);
	put_xstate(img, 832, 0x3);
	if (d != TIMERS_TLS_MISSING)
		put_tls(img, ticker_tls(d), sizeof(struct ckpt_hdr_cpu_tls) +
			(d == TIMERS_TLS_LONG ? 8 : 0) -
			(d == TIMERS_TLS_SHORT ? 8 : 0));
	put_attrs(img, plain_attrs());
	put_plain_cred(img, 0);
	put_fd_table(img, 3, NULL, 0, 0);
	put_fs(img, 4, 022, "/", "/");
	put_sighand(img, 5, CKPT_NSIG, NULL, CKPT_NSIG);

	sg.nr_posix_timers = d == TIMERS_MAX ? CKPT_POSIX_TIMERS_MAX + 1 : 4;
	sg.next_posix_timer_id = d == TIMERS_NEXT_ID ? 1U << 31 : 8;
	sg.reserved = d == TIMERS_SIGNAL_RESERVED;
	put_record(img, CKPT_HDR_SIGNAL, &sg,
		   d == TIMERS_SIGNAL_SHORT ? SIGNAL_V2_LEN :
		   d == TIMERS_SIGNAL_LONG ? sizeof(sg) + 8 : sizeof(sg));
	ticker_timers(timers, d);
	if (d == TIMERS_MISSING)
		nr_timers = 3;
	if (d == TIMERS_TIMER_SHORT)
		timer_len -= 8;
	for (uint32_t i = 0; i < nr_timers; i++)
		put_posix_timer(img, timers[i], timer_len);
	if (d == TIMERS_EXTRA) {
		timers[3].id = 8;
		put_posix_timer(img, timers[3], timer_len);
	}

	put_record(img, CKPT_HDR_TASK_SIGNAL, &ts, sizeof(ts));
	/* the task's own: timer 3's, then one from kill(2) */
	put_timer_siginfo(img, 10, d == TIMERS_SIGINFO_SHARED ? shared_flags :
			  CKPT_SIGINFO_TIMER, SI_TIMER_, 3, 0, 0x7ffff7d8e000);
	put_siginfo(img, 12, d == TIMERS_SIGINFO_FLAGS ? 0x4 : 0, 12, 0);
	/* the process's: timer 0's, with an overrun */
	if (d == TIMERS_SIGINFO_CODE)
		last_code = -1;		/* SI_QUEUE */
	if (d == TIMERS_SIGINFO_UNKNOWN)
		last_id = 2;
	if (d == TIMERS_SIGINFO_NONE)
		last_id = 1;
	if (d == TIMERS_SIGINFO_SIGNO)
		last_signo = 12;
	if (d == TIMERS_SIGINFO_PRIVATE)
		shared_flags = CKPT_SIGINFO_TIMER;
	put_timer_siginfo(img, last_signo, shared_flags, last_code, last_id,
			  1, 0x1234);
	if (d == TIMERS_SIGINFO_TWICE)
		put_timer_siginfo(img, last_signo, shared_flags, last_code,
				  last_id, 0, 0x1234);

	/* a child that exited with status 0 */
	put_task(img, 2, 2, 1, 0, CKPT_TASK_ZOMBIE, 0, "done");
	if (d == TIMERS_TLS_ZOMBIE)
		put_tls(img, unused_tls(), sizeof(struct ckpt_hdr_cpu_tls));
	put_tail(img);
}

static void make_timers_images(void)
{
	for (int d = 0; d < TIMERS_NR_DAMAGES; d++) {
		struct image *img = new_image();

		put_timers_image(img, (enum timers_damage)d);
		if (d == TIMERS_VALID)
			save_both(timers_names[d], img);
		else
			save(timers_names[d], img);
	}
}

/* ---- Images of format version 1, for ckpt convert ---- */

/* One way to make a version 1 image unconvertible, or none. */
enum v1_damage {
	V1_VALID,
	V1_OPEN_FILES,		/* task 1 had 2 open files */
	V1_RESTART_BLOCK,	/* task 1 in clock_nanosleep(), restarting */
	V1_NEW_RECORD,		/* a record version 1 did not have */
	V1_UNKNOWN_RECORD,	/* a record of a type nobody knows */
	V1_LONG_FILE,		/* a file record 8 bytes longer (a writer
				 * newer than version 1's, which it ignores) */
	V1_MEMFD,		/* a memfd, which version 1 did not have */
	V1_FILE_PAGES,		/* a memfd's page record, nor that */
	V1_TREE,		/* valid, but the child in its own address
				 * space (mm 4, of file 3), after the first
				 * task: not convertible */
};

/*
 * A sleeper (pid 1) with a thread (pid 3), a child (pid 2) in its address
 * space (vfork), and a zombie (pid 5), as version 1 wrote them: file
 * records of 40 bytes, and nothing after a task's xstate.
 */
static void put_v1_image(struct image *img, enum v1_damage d)
{
	struct ckpt_hdr_header hdr = typical_header();
	struct ckpt_hdr_mm mm = {
		.objref = 2, .nr_vmas = 2,
		.start_code = CODE_START, .end_code = 0x401c00,
		.start_brk = HEAP_START, .brk = HEAP_END,
		.start_stack = 0x7fffffffe5a0,
		.exe_objref = 1,
	};
	uint64_t addrs[2] = { HEAP_START, HEAP_START + PAGE };

	hdr.version = 1;
	put_header(img, hdr);
	if (d == V1_LONG_FILE) {
		put_file(img, 1, EXE_PATH);
	} else if (d == V1_MEMFD) {
		struct ckpt_hdr_file f = reg_file(1);

		f.type = CKPT_FILE_MEMFD;
		f.f_flags = 0100002;
		put_record(img, CKPT_HDR_FILE, &f, FILE_V1_LEN);
		put_string(img, "memfd:exe");
	} else {
		put_file_v1(img, 1, EXE_PATH);
	}
	if (d == V1_FILE_PAGES)
		put_file_pages(img, 1, NULL, 0, 0, 0, 0);
	put_record(img, CKPT_HDR_MM, &mm, sizeof(mm));
	put_vma(img, CODE_START, CODE_END, CKPT_VMA_FILE,
		CKPT_VMA_READ | CKPT_VMA_EXEC, 0, 1);
	put_vma(img, HEAP_START, HEAP_END, CKPT_VMA_ANON,
		CKPT_VMA_READ | CKPT_VMA_WRITE, 0, 0);
	put_pages(img, addrs, 2, 2);
	put_task_files(img, 1, 1, 0, 2, 0, 0, "sleeper",
		       d == V1_OPEN_FILES ? 2 : 0);
	/* in select(), or clock_nanosleep() to restart with its block */
	if (d == V1_RESTART_BLOCK)
		put_regs(img, 0x401234, 0x7fffffffe4e8, 230, -516, USER_CS);
	else
		put_regs(img, 0x401234, 0x7fffffffe4e8, 23, -514, USER_CS);
	put_xstate(img, 832, 0x7);
	if (d == V1_NEW_RECORD)
		put_attrs(img, plain_attrs());
	if (d == V1_UNKNOWN_RECORD)
		put_unknown(img, 0);
	put_task(img, 3, 1, 0, 2, 0, 0, "worker");
	put_regs(img, 0x401300, 0x7ffff7d8dea0, 202, -512, USER_CS);
	put_xstate(img, 832, 0x3);

	if (d == V1_TREE) {
		put_file_v1(img, 3, "/usr/lib/helper");
		mm.objref = 4;
		mm.exe_objref = 3;
		mm.nr_vmas = 1;
		put_record(img, CKPT_HDR_MM, &mm, sizeof(mm));
		put_vma(img, CODE_START, CODE_END, CKPT_VMA_FILE,
			CKPT_VMA_READ | CKPT_VMA_EXEC, 0, 3);
	}
	put_task(img, 2, 2, 1, d == V1_TREE ? 4 : 2, 0, 0, "helper");
	put_regs(img, 0x401400, 0x7fffffffe3e8, (uint64_t)-1, 0, USER_CS);
	put_xstate(img, 832, 0x3);
	put_task(img, 5, 5, 1, 0, CKPT_TASK_ZOMBIE, 2 << 8, "gone");
	put_tail(img);
}

static void make_v1_images(void)
{
	static const struct {
		enum v1_damage damage;
		const char *name;
	} images[] = {
		{ V1_VALID, "v1-tasks.img" },
		{ V1_OPEN_FILES, "v1-open-files.img" },
		{ V1_RESTART_BLOCK, "v1-restart-block.img" },
		{ V1_NEW_RECORD, "v1-new-record.img" },
		{ V1_UNKNOWN_RECORD, "v1-unknown-record.img" },
		{ V1_LONG_FILE, "v1-long-file.img" },
		{ V1_MEMFD, "v1-memfd.img" },
		{ V1_FILE_PAGES, "v1-file-pages.img" },
		{ V1_TREE, "v1-tree.img" },
	};
	struct ckpt_hdr_header hdr = typical_header();
	struct image *img;

	for (size_t i = 0; i < sizeof(images) / sizeof(images[0]); i++) {
		img = new_image();
		put_v1_image(img, images[i].damage);
		save(images[i].name, img);
	}

	/* the smallest image of each version: a header and a tail */
	img = new_image();
	hdr.version = 1;
	put_header(img, hdr);
	put_tail(img);
	save("v1-empty.img", img);
	img = new_image();
	hdr.version = 0;
	put_header(img, hdr);
	put_tail(img);
	save("version-0.img", img);
}

/* ---- Images of format version 2, for ckpt convert ---- */

/* One way to damage a small version 2 image, or none. */
enum v2_damage {
	V2_VALID,
	V2_TLS,			/* a TLS record after the xstate */
	V2_TLS_END,		/* a TLS record after the last task, where
				 * version 2 passes a record it does not know */
	V2_POSIX_TIMER,		/* a POSIX timer after the signal record */
	V2_NR_TIMERS,		/* nr_posix_timers 1, version 2's reserved */
	V2_SIGINFO_TIMER,	/* a pending signal with CKPT_SIGINFO_TIMER */
	V2_SIGNAL_SHORT,	/* a signal record of 312 bytes */
	V2_SIGNAL_LONG,		/* one of 336 bytes, the last 16 not zero (a
				 * newer writer's, which version 2 ignores) */
};

/*
 * A sleeper (pid 1) in select(), and a zombie (pid 2), as version 2 wrote
 * them: no TLS record, a signal record of 320 bytes.  The plain state of a
 * task that set nothing (fd table 3, fs 4, handlers 5, signal record 6).
 */
static void put_v2_image(struct image *img, enum v2_damage d)
{
	struct ckpt_hdr_mm mm = {
		.objref = 2, .nr_vmas = 1,
		.start_code = CODE_START, .end_code = 0x401c00,
		.start_stack = 0x7fffffffe5a0, .exe_objref = 1,
	};
	struct {
		struct ckpt_hdr_signal sg;
		unsigned char more[8];
	} sig = { .sg = plain_signal(6) };
	struct ckpt_hdr_posix_timer timer = {
		.clock = CLOCK_MONOTONIC_, .signo = 14, .overrun = -1,
	};
	uint32_t sig_len = SIGNAL_V2_LEN;

	put_header(img, typical_header());
	put_file(img, 1, EXE_PATH);
	put_record(img, CKPT_HDR_MM, &mm, sizeof(mm));
	put_vma(img, CODE_START, CODE_END, CKPT_VMA_FILE,
		CKPT_VMA_READ | CKPT_VMA_EXEC, 0, 1);
	put_task(img, 1, 1, 0, 2, 0, 0, "sleeper");
	put_regs(img, 0x401234, 0x7fffffffe4e8, 23, -514, USER_CS);
	put_xstate(img, 832, 0x7);
	if (d == V2_TLS)
		put_tls(img, unused_tls(), sizeof(struct ckpt_hdr_cpu_tls));
	put_attrs(img, plain_attrs());
	put_plain_cred(img, 0);
	put_fd_table(img, 3, NULL, 0, 0);
	put_fs(img, 4, 022, "/", "/");
	put_sighand(img, 5, CKPT_NSIG, NULL, CKPT_NSIG);
	if (d == V2_NR_TIMERS)
		sig.sg.nr_posix_timers = 1;
	if (d == V2_SIGNAL_SHORT)
		sig_len -= 8;
	if (d == V2_SIGNAL_LONG) {
		sig.sg.next_posix_timer_id = ~0U;
		sig.sg.reserved = ~0U;
		memset(sig.more, 0xff, sizeof(sig.more));
		sig_len = sizeof(sig);
	}
	put_record(img, CKPT_HDR_SIGNAL, &sig, sig_len);
	if (d == V2_POSIX_TIMER)
		put_posix_timer(img, timer, sizeof(timer));
	put_task_signal(img, SIG_BIT(14), 0, 0, d == V2_SIGINFO_TIMER);
	if (d == V2_SIGINFO_TIMER)
		put_timer_siginfo(img, 14, CKPT_SIGINFO_SHARED |
				  CKPT_SIGINFO_TIMER, SI_TIMER_, 0, 0, 0);
	put_task(img, 2, 2, 1, 0, CKPT_TASK_ZOMBIE, 0, "done");
	if (d == V2_TLS_END)
		put_tls(img, unused_tls(), sizeof(struct ckpt_hdr_cpu_tls));
	put_tail(img);
}

/*
 * The images of format version 2, as its kernel wrote them: small ones,
 * valid and not, and the big ones of this version made as version 2 (a
 * tree with threads and a zombie, all the state, pipes and 5000 fds,
 * memfds).
 */
static void make_v2_images(void)
{
	static const struct {
		enum v2_damage damage;
		const char *name;
	} images[] = {
		{ V2_VALID, "v2-sleeper.img" },
		{ V2_TLS, "v2-tls.img" },
		{ V2_TLS_END, "v2-tls-end.img" },
		{ V2_POSIX_TIMER, "v2-posix-timer.img" },
		{ V2_NR_TIMERS, "v2-nr-timers.img" },
		{ V2_SIGINFO_TIMER, "v2-siginfo-timer.img" },
		{ V2_SIGNAL_SHORT, "v2-signal-short.img" },
		{ V2_SIGNAL_LONG, "v2-signal-long.img" },
	};
	struct image *img;

	gen_version = 2;
	for (size_t i = 0; i < sizeof(images) / sizeof(images[0]); i++) {
		img = new_image();
		put_v2_image(img, images[i].damage);
		save(images[i].name, img);
	}
	img = new_image();
	put_task_image(img, TASK_VALID);
	save("v2-tasks.img", img);
	img = new_image();
	put_state_image(img, STATE_VALID);
	save("v2-state.img", img);
	img = new_image();
	put_memfd_image(img, MEMFD_VALID);
	save("v2-memfd.img", img);
	make_bulk_image("v2-bulk.img", false);
	img = new_image();
	put_header(img, typical_header());
	put_tail(img);
	save("v2-empty.img", img);
	gen_version = CKPT_FORMAT_VERSION;
}

/* ---- Format version 4: a process tree ---- */

/* One way to damage the image of put_tree_image(), or none. */
enum tree_damage {
	TREE_VALID,
	TREE_INIT_MM_FIRST,	/* valid: the init after its address space,
				 * as version 3 wrote it */
	TREE_FLAGS,		/* task 4 with flag 0x8 too */
	TREE_STOP_SIGNO,	/* task 4 stopped by SIGKILL */
	TREE_STOP_NO_FLAG,	/* task 2 with stop signal 19, not stopped */
	TREE_UNREPORTED_ALONE,	/* task 2 with an unreported stop only */
	TREE_ZOMBIE_STOPPED,	/* zombie 6 stopped too */
	TREE_PGID_NEG,		/* task 2 in process group -2 */
	TREE_SID_NEG,		/* task 2 in session -1 */
	TREE_PGID_OUTSIDE,	/* task 2 in group 0, session 2 */
	TREE_RESERVED2,		/* task 2's reserved2 1 */
	TREE_THREAD_EXIT_SIGNAL,	/* thread 3 with exit signal SIGCHLD */
	TREE_PROCESS_EXIT_SIGNAL,	/* process 2 with exit signal -1 */
	TREE_ZOMBIE_THREAD,	/* zombie 6 a thread of process 2 */
	TREE_LIVE_EXIT_CODE,	/* live task 2 with an exit status */
	TREE_FIRST_THREAD,	/* the first task a thread of process 9 */
	TREE_ROOT_9,		/* valid: the root of the tree is pid 9, no
				 * container's init (restart refuses it
				 * with EOPNOTSUPP, a dry run takes it) */
	TREE_INIT_PARENT,	/* the init with parent 5 */
	TREE_INIT_ZOMBIE,	/* the init a zombie */
	TREE_PID_TWICE,		/* zombie 6 as pid 4 again */
	TREE_PARENT_LATER,	/* task 2's parent is 4, after it */
	TREE_PARENT_THREAD,	/* zombie 6's parent is thread 3 */
	TREE_PARENT_ZOMBIE,	/* a zombie 8 whose parent is zombie 6 */
	TREE_THREAD_FIRST,	/* thread 3 of process 4, after it */
	TREE_LEADER_ZOMBIE,	/* thread 7 of zombie 6 */
	TREE_LEADER_THREAD,	/* thread 7 of thread 3 */
	TREE_THREAD_PPID,	/* thread 3 with parent 0, its leader 1 */
	TREE_MM_BEFORE_TASK,	/* mm 13 before task 4, as in version 3 */
	TREE_TWO_EARLY_MMS,	/* mm 2 before the init, then mm 3 too */
	TREE_EARLY_MM_UNUSED,	/* mm 2 before the init, which names mm 3 */
	TREE_NO_MM,		/* task 2's new mm 8 left out */
	TREE_MM_OBJREF,		/* task 2's mm record says objref 9 */
	TREE_FILE_IN_MM,	/* a file after the pages of mm 8 */
	TREE_EARLY_FILE,	/* mm 2 before the init, then a file */
	TREE_TASK_V3_LEN,	/* task 2's record of version 3's 64 bytes */
	TREE_SIGNAL_TIMERS,	/* thread 3's signal record with 2 timers */
	TREE_SIGNAL_OTHER,	/* task 4 shares signal 12 of process 2 */
	TREE_THREAD_SIGNAL,	/* thread 3 with a signal record of its own */
	TREE_THREAD_SHARED_PENDING,	/* a process's signal pending on
					 * thread 3 */
	TREE_TIMER_WRONG_THREAD,	/* timer 0 signals thread 5, but its
					 * signal is pending on thread 3 */
	TREE_TIMER_TID_EARLIER,	/* timer 0 signals task 1, of another
				 * process, and its signal is not pending */
	TREE_TIMER_TID_NONE,	/* timer 0 signals task 99, which is none */
	TREE_GROUP_OTHER_SESSION,	/* zombie 6 in group 2, session 6 */
	TREE_GROUP_SPLIT,	/* group 9 (no leader in the image): the
				 * worker in session 2, zombie 6 in 6 */
	TREE_GROUP_THREAD,	/* zombie 6 in group 3, a thread's pid */
	TREE_NR_DAMAGES
};

static const char *const tree_names[] = {
	"tree.img", "tree-init-mm-first.img", "tree-flags.img",
	"tree-stop-signo.img", "tree-stop-no-flag.img",
	"tree-unreported-alone.img", "tree-zombie-stopped.img",
	"tree-pgid-neg.img", "tree-sid-neg.img", "tree-pgid-outside.img",
	"tree-reserved2.img", "tree-thread-exit-signal.img",
	"tree-process-exit-signal.img", "tree-zombie-thread.img",
	"tree-live-exit-code.img", "tree-first-thread.img", "tree-root-9.img",
	"tree-init-parent.img", "tree-init-zombie.img",
	"tree-pid-twice.img", "tree-parent-later.img",
	"tree-parent-thread.img", "tree-parent-zombie.img",
	"tree-thread-first.img", "tree-leader-zombie.img",
	"tree-leader-thread.img", "tree-thread-ppid.img",
	"tree-mm-before-task.img", "tree-two-early-mms.img",
	"tree-early-mm-unused.img", "tree-no-mm.img", "tree-mm-objref.img",
	"tree-file-in-mm.img", "tree-early-file.img",
	"tree-task-v3-len.img", "tree-signal-timers.img",
	"tree-signal-other.img", "tree-thread-signal.img",
	"tree-thread-shared-pending.img", "tree-timer-wrong-thread.img",
	"tree-timer-tid-earlier.img", "tree-timer-tid-none.img",
	"tree-group-other-session.img", "tree-group-split.img",
	"tree-group-thread.img",
};
_Static_assert(sizeof(tree_names) / sizeof(tree_names[0]) ==
	       TREE_NR_DAMAGES, "a name for each damaged tree image");

#define X86_SIGTSTP	20

/*
 * A small address space: its code (a mapping of file @exe), its stack,
 * and one page of the stack; the record of objref @objref, or @rec_objref
 * if not 0 (to test the check).
 */
static void put_small_mm(struct image *img, uint32_t objref, uint32_t exe,
			 uint32_t rec_objref)
{
	struct ckpt_hdr_mm mm = {
		.objref = rec_objref ? rec_objref : objref, .nr_vmas = 2,
		.start_code = CODE_START, .end_code = 0x401c00,
		.start_stack = 0x7fffffffe5a0, .exe_objref = exe,
	};
	uint64_t addr = STACK_END - PAGE;

	put_record(img, CKPT_HDR_MM, &mm, sizeof(mm));
	put_vma(img, CODE_START, CODE_END, CKPT_VMA_FILE,
		CKPT_VMA_READ | CKPT_VMA_EXEC, 0, exe);
	put_vma(img, STACK_START, STACK_END, CKPT_VMA_ANON,
		CKPT_VMA_READ | CKPT_VMA_WRITE, CKPT_VMA_GROWSDOWN, 0);
	put_pages(img, &addr, 1, 1);
}

/* The CPU state of a task in pause(), and its attributes and credentials. */
static void put_tree_cpu(struct image *img)
{
	put_regs(img, 0x401234, 0x7fffffffe4e8, 34, -514, USER_CS);
	put_xstate(img, 832, 0x3);
	put_attrs(img, plain_attrs());
	put_plain_cred(img, 0);
}

/*
 * A container's process tree, as checkpoint writes it in format version
 * 4 (or, made as version 3, as that wrote it, with none of what version
 * 4 added), each task in pause():
 *
 *   the init (pid 1, outside any group or session of the container), its
 *   executable (file 1), its address space (mm 2) after its task record,
 *   fd table 3, fs 4, handlers 5, signal record 6;
 *   a server (pid 2, child of 1, leader of group and session 2), its
 *   executable (file 7), mm 8, fd table 9, fs 10, handlers 11 and signal
 *   record 12 with two POSIX timers: timer 0 signals its thread 3 with
 *   SIGUSR1, timer 1 the process with SIGRTMIN, whose signal is pending
 *   (for the process, with the server's records);
 *   its thread (pid 3), sharing all of that, with timer 0's signal
 *   pending;
 *   a worker (pid 4, child of 2, in group 2), stopped by SIGTSTP, which
 *   server has not waited for yet, in its own mm 13 (of file 7), fd
 *   table 14, fs 15, handlers 16, signal record 17;
 *   its thread (pid 5), stopped with it, sharing all of that;
 *   a zombie (pid 6, child of 2, in group 2) that exited with status 1;
 *   a thread of the init (pid 7), made after all of them.
 */
static void put_tree_image(struct image *img, enum tree_damage d)
{
	const bool v4 = gen_version >= 4;
	const bool init_mm_first = !v4 || d == TREE_INIT_MM_FIRST ||
				   d == TREE_TWO_EARLY_MMS ||
				   d == TREE_EARLY_MM_UNUSED ||
				   d == TREE_EARLY_FILE;
	struct ckpt_hdr_task init = task_rec(1, 1, 0, 2, 0, 0, "init");
	struct ckpt_hdr_task server = task_rec(2, 2, 1, 8, 0, 0, "server");
	struct ckpt_hdr_task thread = task_rec(3, 2, 1, 8, 0, 0, "server");
	struct ckpt_hdr_task worker = task_rec(4, 4, 2, 13, 0, 0, "worker");
	struct ckpt_hdr_task wthread = task_rec(5, 4, 2, 13, 0, 0, "worker");
	struct ckpt_hdr_task zombie = task_rec(6, 6, 2, 0, CKPT_TASK_ZOMBIE,
					       1 << 8, "gone");
	struct ckpt_hdr_task ithread = task_rec(7, 1, 0, 2, 0, 0, "init");
	struct ckpt_hdr_signal sg = plain_signal(12);
	struct ckpt_hdr_posix_timer timers[2] = {
		{ .id = 0, .clock = CLOCK_MONOTONIC_,
		  .notify = SIGEV_SIGNAL_ | SIGEV_THREAD_ID_, .notify_tid = 3,
		  .signo = 10, .left = NSEC, .overrun = -1 },
		{ .id = 1, .clock = CLOCK_MONOTONIC_, .notify = SIGEV_SIGNAL_,
		  .signo = SIGRTMIN_, .left = 2 * NSEC, .interval = NSEC,
		  .overrun = -1 },
	};
	uint32_t stopped = CKPT_TASK_STOPPED | CKPT_TASK_STOP_UNREPORTED;
	uint32_t thread_pending = 1;

	/* groups and sessions: the server's, its children in its group */
	server.pgid = server.sid = thread.pgid = thread.sid = 2;
	worker.pgid = worker.sid = wthread.pgid = wthread.sid = 2;
	zombie.pgid = zombie.sid = 2;
	worker.flags = wthread.flags = v4 ? stopped : 0;
	worker.stop_signo = wthread.stop_signo = X86_SIGTSTP;
	if (!v4) {
		/* version 3: one task per process, so a timer signals it */
		timers[0].notify_tid = 2;
		thread_pending = 0;
	}

	switch (d) {
	case TREE_FLAGS:
		worker.flags |= 0x8;
		break;
	case TREE_STOP_SIGNO:
		worker.stop_signo = 9;
		break;
	case TREE_STOP_NO_FLAG:
		server.stop_signo = 19;
		break;
	case TREE_UNREPORTED_ALONE:
		server.flags = CKPT_TASK_STOP_UNREPORTED;
		break;
	case TREE_ZOMBIE_STOPPED:
		zombie.flags |= CKPT_TASK_STOPPED;
		zombie.stop_signo = 19;
		break;
	case TREE_PGID_NEG:
		server.pgid = -2;
		break;
	case TREE_SID_NEG:
		server.sid = -1;
		break;
	case TREE_PGID_OUTSIDE:
		server.pgid = 0;
		break;
	case TREE_RESERVED2:
		server.reserved2 = 1;
		break;
	case TREE_THREAD_EXIT_SIGNAL:
		thread.exit_signal = 17;
		break;
	case TREE_PROCESS_EXIT_SIGNAL:
		server.exit_signal = -1;
		break;
	case TREE_ZOMBIE_THREAD:
		zombie.tgid = 2;
		zombie.exit_signal = -1;
		break;
	case TREE_LIVE_EXIT_CODE:
		server.exit_code = 1 << 8;
		break;
	case TREE_FIRST_THREAD:
		init.tgid = 9;
		init.exit_signal = -1;
		break;
	case TREE_ROOT_9:
		init.pid = init.tgid = ithread.tgid = 9;
		server.ppid = thread.ppid = 9;
		break;
	case TREE_INIT_PARENT:
		init.ppid = 5;
		break;
	case TREE_INIT_ZOMBIE:
		init.flags = CKPT_TASK_ZOMBIE;
		init.mm_objref = 0;
		break;
	case TREE_PID_TWICE:
		zombie.pid = zombie.tgid = 4;
		break;
	case TREE_PARENT_LATER:
		server.ppid = 4;
		thread.ppid = 4;
		break;
	case TREE_PARENT_THREAD:
		zombie.ppid = 3;
		break;
	case TREE_THREAD_FIRST:
		thread.tgid = 4;
		break;
	case TREE_LEADER_ZOMBIE:
		ithread.tgid = 6;
		ithread.ppid = 2;
		break;
	case TREE_LEADER_THREAD:
		ithread.tgid = 3;
		ithread.ppid = 1;
		break;
	case TREE_THREAD_PPID:
		thread.ppid = 0;
		break;
	case TREE_EARLY_MM_UNUSED:
		init.mm_objref = 3;
		break;
	case TREE_SIGNAL_TIMERS:
	case TREE_SIGNAL_OTHER:
	case TREE_THREAD_SIGNAL:
		break;
	case TREE_THREAD_SHARED_PENDING:
		thread_pending = 2;
		break;
	case TREE_TIMER_WRONG_THREAD:
		timers[0].notify_tid = 5;
		break;
	case TREE_TIMER_TID_EARLIER:
		timers[0].notify_tid = 1;
		thread_pending = 0;
		break;
	case TREE_TIMER_TID_NONE:
		timers[0].notify_tid = 99;
		thread_pending = 0;
		break;
	case TREE_GROUP_OTHER_SESSION:
		zombie.sid = 6;
		break;
	case TREE_GROUP_SPLIT:
		worker.pgid = wthread.pgid = 9;
		zombie.pgid = 9;
		zombie.sid = 6;
		break;
	case TREE_GROUP_THREAD:
		zombie.pgid = 3;
		break;
	default:
		break;
	}

	put_header(img, typical_header());

	/* the init */
	put_file(img, 1, "/sbin/init");
	if (init_mm_first)
		put_small_mm(img, 2, 1, 0);
	if (d == TREE_TWO_EARLY_MMS)
		put_small_mm(img, 3, 1, 0);
	if (d == TREE_EARLY_FILE)
		put_file(img, 3, "/etc/inittab");
	put_task_rec(img, init);
	if (!init_mm_first && d != TREE_INIT_ZOMBIE)
		put_small_mm(img, 2, 1, 0);
	put_tree_cpu(img);
	put_fd_table(img, 3, NULL, 0, 0);
	put_fs(img, 4, 022, "/", "/");
	put_sighand(img, 5, CKPT_NSIG, NULL, CKPT_NSIG);
	put_signal(img, plain_signal(6));
	put_task_signal(img, 0, 0, 0, 0);

	/* the server, and the signal of its timer 1 pending */
	put_file(img, 7, "/usr/bin/server");
	if (!v4)
		put_small_mm(img, 8, 7, 0);
	if (d == TREE_TASK_V3_LEN)
		put_record(img, CKPT_HDR_TASK, &server, TASK_V3_LEN);
	else
		put_task_rec(img, server);
	if (v4 && d != TREE_NO_MM)
		put_small_mm(img, 8, 7, d == TREE_MM_OBJREF ? 9 : 0);
	if (d == TREE_FILE_IN_MM)
		put_file(img, 13, "/etc/server.conf");
	put_tree_cpu(img);
	put_fd_table(img, 9, NULL, 0, 0);
	put_fs(img, 10, 022, "/", "/srv");
	put_sighand(img, 11, CKPT_NSIG, NULL, CKPT_NSIG);
	sg.nr_posix_timers = 2;
	sg.next_posix_timer_id = 2;
	put_signal(img, sg);
	put_posix_timer(img, timers[0], sizeof(timers[0]));
	put_posix_timer(img, timers[1], sizeof(timers[1]));
	put_task_signal(img, 0, 0, 0, 1);
	put_timer_siginfo(img, SIGRTMIN_, CKPT_SIGINFO_SHARED |
			  CKPT_SIGINFO_TIMER, SI_TIMER_, 1, 0, 0);

	/* its thread, sharing all of it, with timer 0's signal pending */
	put_task_rec(img, thread);
	put_tree_cpu(img);
	put_fd_table(img, 9, NULL, 0, 0);
	put_fs(img, 10, 022, "/", "/srv");
	put_sighand(img, 11, 0, NULL, 0);
	sg.nr_posix_timers = d == TREE_SIGNAL_TIMERS ? 2 : 0;
	if (d == TREE_THREAD_SIGNAL)
		sg.objref = 13;
	put_signal(img, sg);
	if (d == TREE_SIGNAL_TIMERS) {
		put_posix_timer(img, timers[0], sizeof(timers[0]));
		put_posix_timer(img, timers[1], sizeof(timers[1]));
	}
	put_task_signal(img, 0, 0, 0, thread_pending);
	if (thread_pending)
		put_timer_siginfo(img, 10, CKPT_SIGINFO_TIMER, SI_TIMER_, 0,
				  0, 0);
	if (thread_pending > 1)
		put_siginfo(img, SIGRTMIN_ + 1, CKPT_SIGINFO_SHARED,
			    SIGRTMIN_ + 1, -1);		/* SI_QUEUE */

	/* the worker, stopped, in an address space of its own */
	if (!v4 || d == TREE_MM_BEFORE_TASK)
		put_small_mm(img, 13, 7, 0);
	put_task_rec(img, worker);
	if (v4 && d != TREE_MM_BEFORE_TASK)
		put_small_mm(img, 13, 7, 0);
	put_tree_cpu(img);
	put_fd_table(img, 14, NULL, 0, 0);
	put_fs(img, 15, 022, "/", "/srv");
	put_sighand(img, 16, CKPT_NSIG, NULL, CKPT_NSIG);
	put_signal(img, plain_signal(d == TREE_SIGNAL_OTHER ? 12 : 17));
	put_task_signal(img, 0, 0, 0, 0);
	put_task_rec(img, wthread);
	put_tree_cpu(img);
	put_fd_table(img, 14, NULL, 0, 0);
	put_fs(img, 15, 022, "/", "/srv");
	put_sighand(img, 16, 0, NULL, 0);
	put_signal(img, plain_signal(17));
	put_task_signal(img, 0, 0, 0, 0);

	/* the zombie, then a thread of the init */
	put_task_rec(img, zombie);
	if (d == TREE_PARENT_ZOMBIE) {
		struct ckpt_hdr_task z = task_rec(8, 8, 6, 0,
						  CKPT_TASK_ZOMBIE, 0, "gone");

		put_task_rec(img, z);
	}
	put_task_rec(img, ithread);
	put_tree_cpu(img);
	put_fd_table(img, 3, NULL, 0, 0);
	put_fs(img, 4, 022, "/", "/");
	put_sighand(img, 5, 0, NULL, 0);
	put_signal(img, plain_signal(6));
	put_task_signal(img, 0, 0, 0, 0);
	put_tail(img);
}

static void make_tree_images(void)
{
	for (int d = 0; d < TREE_NR_DAMAGES; d++) {
		struct image *img = new_image();

		/* in the order they are made: no v4_order() */
		put_tree_image(img, (enum tree_damage)d);
		save_as_is(tree_names[d], img);
	}
}

/* ---- Format version 4: the namespaces record, epoll files ---- */

/* One way to damage the namespaces record, or none. */
enum ns_damage {
	NS_VALID,		/* its own UTS (web.example) and IPC namespaces */
	NS_LONG,		/* valid: a record 8 bytes longer, a newer
				 * writer's */
	NS_MISSING,		/* no namespaces record */
	NS_MISSING_FILE,	/* none, a file first */
	NS_FLAGS,		/* flags 0x4 */
	NS_RESERVED,		/* reserved 1 */
	NS_HOSTNAME_NO_UTS,	/* a hostname without CKPT_NS_UTS */
	NS_HOSTNAME_LONG,	/* a hostname of 65 bytes, no NUL */
	NS_DOMAIN_PADDING,	/* a domainname not zero-padded */
	NS_PAD,			/* the padding not zero */
	NS_TWICE,		/* two namespaces records */
	NS_SHORT,		/* a record 8 bytes shorter */
	NS_NR_DAMAGES
};

static const char *const ns_names[] = {
	"ns.img", "ns-long.img", "ns-missing.img", "ns-missing-file.img",
	"ns-flags.img", "ns-reserved.img", "ns-hostname-no-uts.img",
	"ns-hostname-long.img", "ns-domain-padding.img", "ns-pad.img",
	"ns-twice.img", "ns-short.img",
};
_Static_assert(sizeof(ns_names) / sizeof(ns_names[0]) == NS_NR_DAMAGES,
	       "a name for each damaged namespaces image");

/* A header, a namespaces record damaged as @d says, and a tail. */
static void put_ns_image(struct image *img, enum ns_damage d)
{
	struct {
		struct ckpt_hdr_namespaces ns;
		unsigned char more[8];
	} rec = { .ns.flags = CKPT_NS_UTS | CKPT_NS_IPC };
	uint32_t len = sizeof(rec.ns);

	strcpy(rec.ns.hostname, "web");
	strcpy(rec.ns.domainname, "example");
	switch (d) {
	case NS_LONG:
		len += 8;
		memset(rec.more, 0xff, sizeof(rec.more));
		break;
	case NS_FLAGS:
		rec.ns.flags |= 0x4;
		break;
	case NS_RESERVED:
		rec.ns.reserved = 1;
		break;
	case NS_HOSTNAME_NO_UTS:
		rec.ns.flags = CKPT_NS_IPC;
		memset(rec.ns.domainname, 0, sizeof(rec.ns.domainname));
		break;
	case NS_HOSTNAME_LONG:
		memset(rec.ns.hostname, 'a', sizeof(rec.ns.hostname));
		break;
	case NS_DOMAIN_PADDING:
		rec.ns.domainname[10] = 'x';
		break;
	case NS_PAD:
		rec.ns.pad[5] = 1;
		break;
	case NS_SHORT:
		len -= 8;
		break;
	default:
		break;
	}
	put_header_only(img, typical_header());
	if (d == NS_MISSING_FILE)
		put_file(img, 1, "/etc/hostname");
	if (d != NS_MISSING && d != NS_MISSING_FILE)
		put_record(img, CKPT_HDR_NAMESPACES, &rec, len);
	if (d == NS_TWICE)
		put_record(img, CKPT_HDR_NAMESPACES, &rec, len);
	put_tail(img);
}

/* One way to damage the image of put_epoll_image(), or none. */
enum epoll_damage {
	EPOLL_VALID,
	EPOLL_LONG,		/* valid: its items record 8 bytes longer */
	EPOLL_RDONLY,		/* the epoll file open O_RDONLY */
	EPOLL_APPEND,		/* ... with O_APPEND */
	EPOLL_SIZE,		/* ... of size 1 */
	EPOLL_PATH,		/* ... with a path */
	EPOLL_NOT_EPOLL,	/* the items of file 2, an end of a pipe */
	EPOLL_UNDEFINED,	/* the items of file 9, defined nowhere */
	EPOLL_TWICE,		/* the items of file 4 twice */
	EPOLL_MANY,		/* 1048577 items announced */
	EPOLL_SHORT,		/* 2 items announced, 1 there */
	EPOLL_FD,		/* item 0 watches fd 1048576 */
	EPOLL_RESERVED,		/* item 0's reserved field 1 */
	EPOLL_EVENTS,		/* item 1 with event 0x4000 */
	EPOLL_WATCHES_EPOLL,	/* item 1 watches epoll file 4 */
	EPOLL_FILE_UNDEFINED,	/* item 0 watches file 9 */
	EPOLL_UNLISTED,		/* no items record before the task */
	EPOLL_NR_DAMAGES
};

static const char *const epoll_names[] = {
	"epoll.img", "epoll-long.img", "epoll-rdonly.img",
	"epoll-append.img", "epoll-size.img", "epoll-path.img",
	"epoll-not-epoll.img", "epoll-undefined.img", "epoll-twice.img",
	"epoll-many.img", "epoll-short.img", "epoll-fd.img",
	"epoll-reserved.img", "epoll-events.img",
	"epoll-watches-epoll.img", "epoll-file-undefined.img",
	"epoll-unlisted.img",
};
_Static_assert(sizeof(epoll_names) / sizeof(epoll_names[0]) ==
	       EPOLL_NR_DAMAGES, "a name for each damaged epoll image");

/* EPOLLIN, EPOLLOUT, EPOLLET */
#define EPOLLIN_	0x1U
#define EPOLLOUT_	0x4U
#define EPOLLET_	(1U << 31)

/*
 * A process (pid 1) with an epoll file (file 4, its fd 5) that watches
 * both ends of a pipe (pipe 1, files 2 and 3 at fds 3 and 4): the read
 * end for input, edge-triggered, the write end for output; as checkpoint
 * writes it, the epoll file's items after the files of the fds, before
 * the task; its executable (file 5), its address space (mm 6), fd table
 * 7, fs 8, handlers 9, signal record 10.
 */
static void put_epoll_image(struct image *img, enum epoll_damage d)
{
	struct {
		struct ckpt_hdr_epoll e;
		struct ckpt_epoll_item items[2];
		unsigned char more[8];
	} rec = {
		.e = { .file_objref = 4, .nr_items = 2 },
		.items = {
			{ .fd = 3, .file_objref = 2,
			  .events = EPOLLIN_ | EPOLLET_, .data = 3 },
			{ .fd = 4, .file_objref = 3, .events = EPOLLOUT_,
			  .data = 0x7ffff7d8e000 },
		},
	};
	struct ckpt_fd fds[3] = {
		{ .fd = 3, .file_objref = 2 },
		{ .fd = 4, .file_objref = 3 },
		{ .fd = 5, .file_objref = 4, .flags = CKPT_FD_CLOEXEC },
	};
	struct ckpt_hdr_file f;
	uint32_t len = sizeof(rec.e) + sizeof(rec.items);

	switch (d) {
	case EPOLL_LONG:
		len += 8;
		memset(rec.more, 0xff, sizeof(rec.more));
		break;
	case EPOLL_NOT_EPOLL:
		rec.e.file_objref = 2;
		break;
	case EPOLL_UNDEFINED:
		rec.e.file_objref = 9;
		break;
	case EPOLL_MANY:
		rec.e.nr_items = CKPT_FDS_MAX + 1;
		break;
	case EPOLL_SHORT:
		len -= sizeof(rec.items[1]);
		break;
	case EPOLL_FD:
		rec.items[0].fd = CKPT_FDS_MAX;
		break;
	case EPOLL_RESERVED:
		rec.items[0].reserved = 1;
		break;
	case EPOLL_EVENTS:
		rec.items[1].events |= 0x4000;
		break;
	case EPOLL_WATCHES_EPOLL:
		rec.items[1].fd = 5;
		rec.items[1].file_objref = 4;
		break;
	case EPOLL_FILE_UNDEFINED:
		rec.items[0].file_objref = 9;
		break;
	default:
		break;
	}

	put_header(img, typical_header());
	put_pipe(img, 1, 4096, 0, sizeof(struct ckpt_hdr_pipe));
	f = (struct ckpt_hdr_file){ .objref = 2, .type = CKPT_FILE_PIPE,
				    .pipe_objref = 1 };
	put_file_as(img, f, NULL);
	f = (struct ckpt_hdr_file){ .objref = 3, .type = CKPT_FILE_PIPE,
				    .f_flags = 01, .pipe_objref = 1 };
	put_file_as(img, f, NULL);
	/* O_RDWR | O_CLOEXEC */
	f = (struct ckpt_hdr_file){ .objref = 4, .type = CKPT_FILE_EPOLL,
				    .f_flags = 02000002 };
	if (d == EPOLL_RDONLY)
		f.f_flags = 02000000;
	if (d == EPOLL_APPEND)
		f.f_flags |= 02000;
	if (d == EPOLL_SIZE)
		f.size = 1;
	put_file_as(img, f, d == EPOLL_PATH ? "/epoll" : NULL);
	if (d != EPOLL_UNLISTED)
		put_record(img, CKPT_HDR_EPOLL, &rec, len);
	if (d == EPOLL_TWICE)
		put_record(img, CKPT_HDR_EPOLL, &rec, len);

	put_file(img, 5, "/usr/bin/poller");
	put_task_files(img, 1, 1, 0, 6, 0, 0, "poller", 3);
	put_small_mm(img, 6, 5, 0);
	put_tree_cpu(img);
	put_fd_table(img, 7, fds, 3, 3);
	put_fs(img, 8, 022, "/", "/");
	put_sighand(img, 9, CKPT_NSIG, NULL, CKPT_NSIG);
	put_signal(img, plain_signal(10));
	put_task_signal(img, 0, 0, 0, 0);
	put_tail(img);
}

/* One way to damage the image of put_external_image(), or none. */
enum external_damage {
	EXT_VALID,
	EXT_APPEND,		/* file 1 open O_RDONLY | O_APPEND */
	EXT_ACCMODE,		/* file 1 with access mode 3 */
	EXT_FD,			/* file 1 at fd 1048576 */
	EXT_POS,		/* file 1 at offset 1 */
	EXT_NO_NAME,		/* file 1 without its name */
	EXT_NR_DAMAGES
};

static const char *const external_names[] = {
	"external.img", "external-append.img", "external-accmode.img",
	"external-fd.img", "external-pos.img", "external-no-name.img",
};
_Static_assert(sizeof(external_names) / sizeof(external_names[0]) ==
	       EXT_NR_DAMAGES, "a name for each damaged external image");

/*
 * A process (pid 1) whose stdin and stdout are files shared with the
 * world outside the container (CHECKPOINT_EXTERNAL): file 1, a pipe
 * whose other end is outside, read at fd 0, and file 2, a terminal,
 * written at fd 1, each with a name for people only; its executable
 * (file 3), mm 4, fd table 5, fs 6, handlers 7, signal record 8.
 */
static void put_external_image(struct image *img, enum external_damage d)
{
	struct ckpt_fd fds[2] = {
		{ .fd = 0, .file_objref = 1 },
		{ .fd = 1, .file_objref = 2 },
	};
	struct ckpt_hdr_file f = { .objref = 1, .type = CKPT_FILE_EXTERNAL,
				   .f_flags = 0, .fd = 0 };

	if (d == EXT_APPEND)
		f.f_flags |= 02000;
	if (d == EXT_ACCMODE)
		f.f_flags = 03;
	if (d == EXT_FD)
		f.fd = CKPT_FDS_MAX;
	if (d == EXT_POS)
		f.pos = 1;
	put_header(img, typical_header());
	put_file_as(img, f, d == EXT_NO_NAME ? NULL : "pipe:[12345]");
	f = (struct ckpt_hdr_file){ .objref = 2, .type = CKPT_FILE_EXTERNAL,
				    .f_flags = 01, .fd = 1 };
	put_file_as(img, f, "/dev/pts/0");
	put_file(img, 3, "/usr/bin/filter");
	put_task_files(img, 1, 1, 0, 4, 0, 0, "filter", 2);
	put_small_mm(img, 4, 3, 0);
	put_tree_cpu(img);
	put_fd_table(img, 5, fds, 2, 2);
	put_fs(img, 6, 022, "/", "/");
	put_sighand(img, 7, CKPT_NSIG, NULL, CKPT_NSIG);
	put_signal(img, plain_signal(8));
	put_task_signal(img, 0, 0, 0, 0);
	put_tail(img);
}

static void make_ns_epoll_images(void)
{
	for (int d = 0; d < EXT_NR_DAMAGES; d++) {
		struct image *img = new_image();

		put_external_image(img, (enum external_damage)d);
		save_as_is(external_names[d], img);
	}
	for (int d = 0; d < NS_NR_DAMAGES; d++) {
		struct image *img = new_image();

		put_ns_image(img, (enum ns_damage)d);
		save_as_is(ns_names[d], img);
	}
	for (int d = 0; d < EPOLL_NR_DAMAGES; d++) {
		struct image *img = new_image();

		put_epoll_image(img, (enum epoll_damage)d);
		save_as_is(epoll_names[d], img);
	}
}

/* ---- Images of format version 3, for ckpt convert ---- */

/*
 * The images of format version 3, as its kernel wrote them: those of
 * this version made as version 3 (one process with threads and a zombie,
 * all the state, pipes and 5000 fds, memfds, TLS and POSIX timers), a
 * process tree (refused: its later address spaces come before their
 * tasks), and what version 3 did not have.
 */
static void make_v3_images(void)
{
	struct ckpt_hdr_header hdr = typical_header();
	struct image *img;

	gen_version = 3;
	img = new_image();
	put_task_image(img, TASK_VALID);
	save("v3-tasks.img", img);
	img = new_image();
	put_state_image(img, STATE_VALID);
	save("v3-state.img", img);
	img = new_image();
	put_memfd_image(img, MEMFD_VALID);
	save("v3-memfd.img", img);
	img = new_image();
	put_timers_image(img, TIMERS_VALID);
	save("v3-timers.img", img);
	make_bulk_image("v3-bulk.img", false);
	img = new_image();
	put_tree_image(img, TREE_VALID);
	save("v3-tree.img", img);
	img = new_image();
	put_header(img, typical_header());
	put_tail(img);
	save("v3-empty.img", img);

	/* a task stopped, which version 3 did not save */
	img = new_image();
	hdr.version = 3;
	put_header(img, hdr);
	{
		struct ckpt_hdr_task t = task_rec(1, 1, 0, 0,
						  CKPT_TASK_ZOMBIE |
						  CKPT_TASK_STOPPED, 0,
						  "stopped");

		put_task_rec(img, t);
	}
	put_tail(img);
	save("v3-stopped.img", img);

	/* a first task that is not the container's init (a zombie, pid 5):
	 * valid as version 3, which restart(2) refused */
	img = new_image();
	put_header(img, hdr);
	{
		struct ckpt_hdr_task t = task_rec(5, 5, 0, 0,
						  CKPT_TASK_ZOMBIE, 0, "gone");

		put_task_rec(img, t);
	}
	put_tail(img);
	save("v3-not-init.img", img);

	/* a namespaces record, and an epoll file, which version 3 did not
	 * have */
	img = new_image();
	put_header(img, hdr);
	put_namespaces(img);
	put_tail(img);
	save("v3-namespaces.img", img);
	img = new_image();
	put_header(img, hdr);
	{
		struct ckpt_hdr_file f = { .objref = 1,
					   .type = CKPT_FILE_EPOLL,
					   .f_flags = 02 };

		put_file_as(img, f, NULL);
	}
	put_tail(img);
	save("v3-epoll.img", img);
	img = new_image();
	put_header(img, hdr);
	{
		struct ckpt_hdr_file f = { .objref = 1,
					   .type = CKPT_FILE_EXTERNAL };

		put_file_as(img, f, "pipe:[12345]");
	}
	put_tail(img);
	save("v3-external.img", img);

	/* a task record longer than version 3's: a newer writer's, which
	 * version 3 ignored (a process with an empty address space) */
	img = new_image();
	put_header(img, hdr);
	{
		struct ckpt_hdr_mm mm = { .objref = 1 };
		struct ckpt_hdr_task t = task_rec(1, 1, 0, 1, 0, 0, "long");

		put_record(img, CKPT_HDR_MM, &mm, sizeof(mm));
		t.pgid = t.sid = 0x7fffffff;
		t.stop_signo = ~0U;
		put_record(img, CKPT_HDR_TASK, &t, sizeof(t));
		put_regs(img, 0x401234, 0x7fffffffe4e8, (uint64_t)-1, 0,
			 USER_CS);
		put_xstate(img, 832, 0x3);
		put_plain_state(img, 2, false);
	}
	put_tail(img);
	save("v3-long-task.img", img);
	gen_version = CKPT_FORMAT_VERSION;
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
	{
		struct ckpt_hdr_namespaces ns = {
			.h = { CKPT_HDR_NAMESPACES, sizeof(ns) },
		};

		stream_put(&tail, &ns, sizeof(ns));
		tail.records++;
	}
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

/* --pages: one page per record, in one big heap, counted not kept */
static int make_pages_stream(const char *mib_arg, uint32_t version)
{
	static struct image head;
	struct ckpt_hdr_tail tail = { .magic = CKPT_TAIL_MAGIC };
	struct ckpt_hdr_mm mm = {
		.objref = 2, .nr_vmas = 1, .exe_objref = 1,
		.start_brk = HEAP_START, .brk = HEAP_START,
		.start_stack = HEAP_START,
	};
	static struct {
		struct ckpt_hdr_pages p;
		uint64_t addr;
		unsigned char page[PAGE];
	} rec;
	long mib = atol(mib_arg);
	struct ckpt_hdr_header hdr;
	uint64_t pages;

	if (mib < 1)
		return 2;
	pages = (uint64_t)mib * 1024 * 1024 / sizeof(rec);
	/* the records before the pages, made as the others are */
	hdr = typical_header();
	hdr.version = version;
	put_header(&head, hdr);
	if (version < 2)
		put_file_v1(&head, 1, EXE_PATH);
	else
		put_file(&head, 1, EXE_PATH);
	put_record(&head, CKPT_HDR_MM, &mm, sizeof(mm));
	put_vma(&head, HEAP_START, HEAP_START + pages * PAGE, CKPT_VMA_ANON,
		CKPT_VMA_READ | CKPT_VMA_WRITE, 0, 0);
	stream_put(&tail, head.buf, head.len);
	tail.records = head.records;

	rec.p.h = (struct ckpt_hdr){ CKPT_HDR_PAGES, sizeof(rec) };
	rec.p.nr_pages = 1;
	for (uint64_t i = 0; i < pages; i++) {
		rec.addr = HEAP_START + i * PAGE;
		memset(rec.page, 'a' + i % 26, sizeof(rec.page));
		stream_put(&tail, &rec, sizeof(rec));
		tail.records++;
	}

	head.len = 0;
	head.records = 0;
	put_task(&head, 1, 1, 0, 2, 0, 0, "sleeper");
	put_regs(&head, 0x401234, HEAP_START, (uint64_t)-1, 0, USER_CS);
	put_xstate(&head, 832, 0x3);
	if (version >= 2)
		put_plain_state(&head, 3, false);
	stream_put(&tail, head.buf, head.len);
	tail.records += head.records;

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
	if (argc == 3 && !strcmp(argv[1], "--pages"))
		return make_pages_stream(argv[2], CKPT_FORMAT_VERSION);
	if (argc == 3 && !strcmp(argv[1], "--v1-pages"))
		return make_pages_stream(argv[2], 1);
	if (argc == 3 && !strcmp(argv[1], "--v2-pages"))
		return make_pages_stream(argv[2], 2);
	if (argc == 3 && !strcmp(argv[1], "--v3-pages"))
		return make_pages_stream(argv[2], 3);
	if (argc != 2) {
		fprintf(stderr, "usage: mkimage DIR | mkimage --stream MIB | mkimage --pages MIB | mkimage --v1-pages MIB | mkimage --v2-pages MIB | mkimage --v3-pages MIB\n");
		return 2;
	}
	out_dir = argv[1];
	make_escapes_image();
	make_valid_images();
	make_not_images();
	make_corrupt_images();
	make_task_images();
	make_state_images();
	make_bulk_image("bulk.img", false);
	make_bulk_image("bulk-fd-unsorted.img", true);
	make_memfd_images();
	make_shmem_images();
	make_fifo_images();
	make_ipc_images();
	make_ipc_mq_images();
	make_timers_images();
	make_tree_images();
	make_ns_epoll_images();
	make_v1_images();
	make_v2_images();
	make_v3_images();
	return 0;
}
