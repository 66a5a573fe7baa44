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
 * must count them, not keep them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/ckpt.h"

/* An image being built in memory; the test images are small. */
struct image {
	unsigned char buf[2 * 1024 * 1024];
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

static void put_file(struct image *img, uint32_t objref, const char *path)
{
	struct ckpt_hdr_file f = {
		.objref = objref,
		.type = CKPT_FILE_REG,
		.f_flags = 0100000,	/* O_RDONLY | O_LARGEFILE */
		.pos = 0,
		.size = 16384,
	};

	put_record(img, CKPT_HDR_FILE, &f, sizeof(f));
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

static void put_task(struct image *img, int32_t pid, int32_t tgid,
		     int32_t ppid, uint32_t mm, uint32_t flags,
		     int32_t exit_code, const char *comm)
{
	struct ckpt_hdr_task t = {
		.pid = pid, .tgid = tgid, .ppid = ppid,
		.exit_signal = pid == tgid ? 17 : 0,	/* SIGCHLD */
		.mm_objref = mm, .flags = flags, .exit_code = exit_code,
	};

	strncpy(t.comm, comm, sizeof(t.comm) - 1);
	put_record(img, CKPT_HDR_TASK, &t, sizeof(t));
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

/* A standard-format XSAVE area of @size bytes: x87 and SSE defaults, and
 * @bv as XSTATE_BV in its header at offset 512. */
static void put_xstate(struct image *img, uint32_t size, uint64_t bv)
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
	put_record(img, CKPT_HDR_CPU_XSTATE, &rec, sizeof(rec.x) + size);
}

/*
 * A sleeper (pid 1) with a thread (pid 3) and a zombie child (pid 2): its
 * executable (file 1, with its path), its address space (mm 2: the code,
 * a file mapping; the data and heap; the stack), two page records (256
 * pages, then 2), and the tasks with their CPU state.
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
	if (damage == TASK_PAGES_AFTER_TASK)
		put_pages(img, addrs, 2, 2);
	/* a thread in futex() */
	put_task(img, 3, 1, 0, 2, 0, 0, "worker");
	put_regs(img, 0x401300, 0x7ffff7d8dea0, 202, -512, USER_CS);
	put_xstate(img, 832, 0x3);
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
		save(images[i].name, img);
	}
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

/* --pages: one page per record, in one big heap, counted not kept */
static int make_pages_stream(const char *mib_arg)
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
	uint64_t pages;

	if (mib < 1)
		return 2;
	pages = (uint64_t)mib * 1024 * 1024 / sizeof(rec);
	/* the records before the pages, made as the others are */
	put_header(&head, typical_header());
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
		return make_pages_stream(argv[2]);
	if (argc != 2) {
		fprintf(stderr, "usage: mkimage DIR | mkimage --stream MIB | mkimage --pages MIB\n");
		return 2;
	}
	out_dir = argv[1];
	make_escapes_image();
	make_valid_images();
	make_not_images();
	make_corrupt_images();
	make_task_images();
	return 0;
}
