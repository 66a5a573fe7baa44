// SPDX-License-Identifier: GPL-2.0
/*
 * The records of tasks as restart(2) (dry run) reads them: images crafted
 * here, record by record, on top of the synthetic header, each with one
 * thing wrong (or nothing), and real images damaged byte by byte or cut
 * short.  A refused image gets its errno and one line on the logfd.
 *
 * The crafted images are also checked by this file's userspace reader of
 * the format (ckpt_model_build() in ckpt_util.h), with no ckpt kernel:
 * `make host-check` runs crafted_selfcheck.
 */
#define _GNU_SOURCE
/*
 * -Wextra finds unused parameters in kselftest_harness.h, and a variable of
 * its TEST_F() wrapper that longjmp() may clobber (see the teardown).
 */
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wclobbered"
#include "kselftest_harness.h"

#include "ckpt_util.h"

/* ------------------------------------------------------------------ */
/* Building images record by record                                    */

struct ib {
	uint8_t *buf;
	size_t len, cap;
	uint64_t records;
	bool oom;
};

/* Append a record of @len bytes (its header is filled in here), padded. */
static void *ib_put(struct ib *b, uint32_t type, const void *rec, uint32_t len)
{
	size_t alen = ckpt_align(len);
	struct ckpt_hdr *h;

	if (b->len + alen + CKPT_TAIL_SIZE > b->cap) {
		size_t cap = b->cap ? 2 * b->cap : 65536;
		uint8_t *n;

		while (cap < b->len + alen + CKPT_TAIL_SIZE)
			cap *= 2;
		n = realloc(b->buf, cap);
		if (!n) {
			b->oom = true;
			return NULL;
		}
		b->buf = n;
		b->cap = cap;
	}
	h = (struct ckpt_hdr *)(b->buf + b->len);
	memset(h, 0, alen);
	if (rec)
		memcpy(h, rec, len);
	h->type = type;
	h->len = len;
	b->len += alen;
	b->records++;
	return h;
}

/* The synthetic header, with the features every x86_64 CPU has. */
static void ib_begin(struct ib *b)
{
	struct ckpt_image img;

	memset(b, 0, sizeof(*b));
	ckpt_image_build(&img, 3, time(NULL));
	ib_put(b, CKPT_HDR_HEADER, &img.hdr, CKPT_HDR_SIZE);
}

/* The tail, over everything before it. */
static void ib_end(struct ib *b)
{
	if (b->oom)
		return;
	/* ib_put() always leaves room for it. */
	ckpt_seal_at(b->buf, b->len, b->records);
	b->len += CKPT_TAIL_SIZE;
}

static void ib_free(struct ib *b)
{
	free(b->buf);
	memset(b, 0, sizeof(*b));
}

/* A string record of @len bytes at @s (the NUL included, or not). */
static void ib_string(struct ib *b, const void *s, uint32_t len)
{
	struct ckpt_hdr_string *rec;

	rec = ib_put(b, CKPT_HDR_STRING, NULL, sizeof(*rec) + len);
	if (!rec)
		return;
	rec->len = len;
	memcpy(rec + 1, s, len);
}

/* A file record, without its string. */
static void ib_file_only(struct ib *b, uint32_t objref)
{
	struct ckpt_hdr_file f = {
		.objref = objref,
		.type = CKPT_FILE_REG,
		.f_flags = 0100000,	/* O_LARGEFILE, as the kernel has it */
		.size = 3 * 4096,
	};

	ib_put(b, CKPT_HDR_FILE, &f, sizeof(f));
}

static void ib_file(struct ib *b, uint32_t objref, const char *path)
{
	ib_file_only(b, objref);
	ib_string(b, path, strlen(path) + 1);
}

static void ib_mm(struct ib *b, uint32_t objref, uint32_t nr_vmas,
		  uint32_t exe_objref)
{
	struct ckpt_hdr_mm mm = {
		.objref = objref,
		.nr_vmas = nr_vmas,
		.start_code = 0x400000, .end_code = 0x402000,
		.start_data = 0x600000, .end_data = 0x601000,
		.start_brk = 0x604000, .brk = 0x604000,
		.start_stack = 0x7ffffffde000,
		.arg_start = 0x7fffffffe000, .arg_end = 0x7fffffffe010,
		.env_start = 0x7fffffffe010, .env_end = 0x7fffffffe020,
		.vdso = 0x7ffff7ff0000,
		.exe_objref = exe_objref,
		.nr_auxv = 4,
		.auxv = { 6 /* AT_PAGESZ */, 4096, 0, 0 },
	};

	ib_put(b, CKPT_HDR_MM, &mm, sizeof(mm));
}

static void ib_vma(struct ib *b, uint64_t start, uint64_t end, uint32_t kind,
		   uint32_t prot, uint32_t file_objref)
{
	struct ckpt_hdr_vma v = {
		.start = start,
		.end = end,
		.kind = kind,
		.prot = prot,
		.file_objref = file_objref,
	};

	ib_put(b, CKPT_HDR_VMA, &v, sizeof(v));
}

static void ib_pages(struct ib *b, const uint64_t *addrs, uint32_t nr)
{
	struct ckpt_hdr_pages *rec;
	uint8_t *data;

	rec = ib_put(b, CKPT_HDR_PAGES, NULL,
		     sizeof(*rec) + nr * (sizeof(uint64_t) + 4096));
	if (!rec)
		return;
	rec->nr_pages = nr;
	memcpy(rec + 1, addrs, nr * sizeof(uint64_t));
	data = (uint8_t *)((uint64_t *)(rec + 1) + nr);
	for (uint32_t i = 0; i < nr; i++)
		memset(data + i * 4096, 0x10 + i, 4096);
}

static void ib_task(struct ib *b, pid_t pid, pid_t tgid, pid_t ppid,
		    uint32_t mm_objref, uint32_t flags, int exit_code)
{
	struct ckpt_hdr_task t = {
		.pid = pid,
		.tgid = tgid,
		.ppid = ppid,
		.exit_signal = pid == tgid ? SIGCHLD : 0,
		.mm_objref = mm_objref,
		.flags = flags,
		.exit_code = exit_code,
	};

	snprintf(t.comm, sizeof(t.comm), "crafted-%d", (int)pid);
	ib_put(b, CKPT_HDR_TASK, &t, sizeof(t));
}

/* Registers of a 64-bit user task, but for @cs; NULL if out of memory. */
static struct ckpt_hdr_cpu_regs *ib_regs_cs(struct ib *b, uint64_t cs)
{
	struct ckpt_hdr_cpu_regs r = {
		.regs = {
			.ip = 0x401000, .cs = cs, .flags = 0x202,
			.sp = 0x7fffffffd000, .ss = CKPT_USER_DS,
			.fs_base = 0x605000, .orig_ax = (uint64_t)-1,
		},
	};

	return ib_put(b, CKPT_HDR_CPU_REGS, &r, sizeof(r));
}

static void ib_regs(struct ib *b)
{
	ib_regs_cs(b, CKPT_USER_CS);
}

/*
 * An XSAVE area of @size bytes in its init state, x87 and SSE in use, in
 * a record with @extra more bytes (a newer writer's).
 */
static void ib_xstate_ext(struct ib *b, uint32_t size, uint32_t extra)
{
	struct ckpt_hdr_cpu_xstate *x;
	uint8_t *xsave;
	uint16_t fcw = 0x37f;
	uint32_t mxcsr = 0x1f80;
	uint64_t bv = 3, xcr0 = 3;

	x = ib_put(b, CKPT_HDR_CPU_XSTATE, NULL, sizeof(*x) + size + extra);
	if (!x)
		return;
	memset((uint8_t *)(x + 1) + size, 0xee, extra);
	x->size = size;
	xsave = (uint8_t *)(x + 1);
	memcpy(xsave + CKPT_XSAVE_FCW, &fcw, sizeof(fcw));
	if (size >= CKPT_XSAVE_MIN) {
		memcpy(xsave + CKPT_XSAVE_MXCSR, &mxcsr, sizeof(mxcsr));
		memcpy(xsave + CKPT_XSAVE_XCR0, &xcr0, sizeof(xcr0));
		memcpy(xsave + CKPT_XSAVE_XSTATE_BV, &bv, sizeof(bv));
	}
}

static void ib_xstate(struct ib *b, uint32_t size)
{
	ib_xstate_ext(b, size, 0);
}

/* A live task's record and CPU state. */
static void ib_live_task(struct ib *b, pid_t pid, pid_t tgid, pid_t ppid,
			 uint32_t mm_objref)
{
	ib_task(b, pid, tgid, ppid, mm_objref, 0, 0);
	ib_regs(b);
	ib_xstate(b, CKPT_XSAVE_MIN);
}

/*
 * The address space of the samples: objref @mm, executable @exe,
 *   0x400000-0x402000   r-x  the executable
 *   0x600000-0x604000   rw-  anonymous
 *   0x7ffff7ff0000-...  r-x  the vDSO
 */
#define S_EXE		0x400000ULL
#define S_ANON		0x600000ULL
#define S_ANON_END	0x604000ULL
#define S_VDSO		0x7ffff7ff0000ULL

static void ib_sample_vmas(struct ib *b, uint32_t exe)
{
	ib_vma(b, S_EXE, S_EXE + 0x2000, CKPT_VMA_FILE,
	       CKPT_VMA_READ | CKPT_VMA_EXEC, exe);
	ib_vma(b, S_ANON, S_ANON_END, CKPT_VMA_ANON,
	       CKPT_VMA_READ | CKPT_VMA_WRITE, 0);
	ib_vma(b, S_VDSO, S_VDSO + 0x2000, CKPT_VMA_VDSO,
	       CKPT_VMA_READ | CKPT_VMA_EXEC, 0);
}

static void ib_sample_mm(struct ib *b, uint32_t exe, uint32_t mm)
{
	static const uint64_t pages[] = { S_EXE + 0x1000, S_ANON,
					  S_ANON + 0x2000 };

	ib_mm(b, mm, 3, exe);
	ib_sample_vmas(b, exe);
	ib_pages(b, pages, 3);
}

/* ------------------------------------------------------------------ */
/* The crafted images                                                  */

/* A process: its executable, its memory, one task. */
static void build_one_task(struct ib *b)
{
	ib_file(b, 1, "/sbin/init");
	ib_sample_mm(b, 1, 2);
	ib_live_task(b, 1, 1, 0, 2);
}

/*
 * A tree: a process with two threads, a child with its own memory (and the
 * same executable), a zombie child.
 */
static void build_tree(struct ib *b)
{
	static const uint64_t kid_pages[] = { S_ANON + 0x1000 };

	build_one_task(b);
	ib_live_task(b, 2, 1, 0, 2);
	ib_live_task(b, 3, 1, 0, 2);
	ib_mm(b, 3, 3, 1);
	ib_sample_vmas(b, 1);
	ib_pages(b, kid_pages, 1);
	ib_live_task(b, 4, 4, 1, 3);
	ib_task(b, 5, 5, 1, 0, CKPT_TASK_ZOMBIE, 0x0700);
}

/* The extension rule: records longer than this kernel knows are read. */
static void build_extended(struct ib *b)
{
	struct ckpt_hdr_file f = {
		.objref = 1, .type = CKPT_FILE_REG, .size = 4096,
	};
	struct ckpt_hdr_vma v = {
		.start = S_ANON, .end = S_ANON_END, .kind = CKPT_VMA_ANON,
		.prot = CKPT_VMA_READ | CKPT_VMA_WRITE,
	};
	struct ckpt_hdr_task t = {
		.pid = 1, .tgid = 1, .mm_objref = 2, .comm = "extended",
	};
	struct ckpt_hdr_mm mm = { .objref = 2, .nr_vmas = 1, .exe_objref = 1 };
	struct ckpt_hdr_cpu_regs r = {
		.regs = { .cs = CKPT_USER_CS, .ss = CKPT_USER_DS },
	};
	uint8_t big[sizeof(mm) + 16] = { 0 };
	struct ckpt_hdr_string *s;

	memcpy(big, &f, sizeof(f));
	memset(big + sizeof(f), 0xee, 12);
	ib_put(b, CKPT_HDR_FILE, big, sizeof(f) + 12);
	/* a string record longer than its string */
	s = ib_put(b, CKPT_HDR_STRING, NULL, sizeof(*s) + 16);
	if (s) {
		s->len = 7;	/* "/bin/x" and its NUL, then 9 more bytes */
		memcpy(s + 1, "/bin/x\0zzzzzzzzz", 16);
	}
	memset(big, 0, sizeof(big));
	memcpy(big, &mm, sizeof(mm));
	memset(big + sizeof(mm), 0xee, 8);
	ib_put(b, CKPT_HDR_MM, big, sizeof(mm) + 8);
	memset(big, 0, sizeof(big));
	memcpy(big, &v, sizeof(v));
	memset(big + sizeof(v), 0xee, 4);
	ib_put(b, CKPT_HDR_VMA, big, sizeof(v) + 4);
	memset(big, 0, sizeof(big));
	memcpy(big, &t, sizeof(t));
	memset(big + sizeof(t), 0xee, 16);
	ib_put(b, CKPT_HDR_TASK, big, sizeof(t) + 16);
	memset(big, 0, sizeof(big));
	memcpy(big, &r, sizeof(r));
	memset(big + sizeof(r), 0xee, 8);
	ib_put(b, CKPT_HDR_CPU_REGS, big, sizeof(r) + 8);
	/* (no more than any XSAVE CPU's area: 576 bytes and AVX's 256) */
	ib_xstate_ext(b, CKPT_XSAVE_MIN, 8);
}

static void build_pages_before_mm(struct ib *b)
{
	static const uint64_t pages[] = { S_ANON };

	ib_pages(b, pages, 1);
}

/* Pages after a task record belong to no address space. */
static void build_pages_after_task(struct ib *b)
{
	static const uint64_t pages[] = { S_ANON + 0x3000 };

	build_one_task(b);
	ib_pages(b, pages, 1);
}

/* Pages after another record than areas or pages: the mm is closed. */
static void build_pages_after_file(struct ib *b)
{
	static const uint64_t first[] = { S_ANON }, later[] = { S_ANON + 0x1000 };

	ib_file(b, 1, "/sbin/init");
	ib_mm(b, 2, 3, 1);
	ib_sample_vmas(b, 1);
	ib_pages(b, first, 1);
	ib_file(b, 3, "/sbin/other");
	ib_pages(b, later, 1);
	ib_live_task(b, 1, 1, 0, 2);
}

static void build_vma_overlap(struct ib *b)
{
	ib_file(b, 1, "/sbin/init");
	ib_mm(b, 2, 2, 1);
	ib_vma(b, S_ANON, S_ANON_END, CKPT_VMA_ANON, CKPT_VMA_READ, 0);
	ib_vma(b, S_ANON_END - 0x1000, S_ANON_END + 0x1000, CKPT_VMA_ANON,
	       CKPT_VMA_READ, 0);
	ib_live_task(b, 1, 1, 0, 2);
}

static void build_vma_unsorted(struct ib *b)
{
	ib_file(b, 1, "/sbin/init");
	ib_mm(b, 2, 2, 1);
	ib_vma(b, S_ANON, S_ANON_END, CKPT_VMA_ANON, CKPT_VMA_READ, 0);
	ib_vma(b, S_EXE, S_EXE + 0x2000, CKPT_VMA_FILE, CKPT_VMA_READ, 1);
	ib_live_task(b, 1, 1, 0, 2);
}

/* Fewer areas than the mm record announced. */
static void build_vma_missing(struct ib *b)
{
	static const uint64_t pages[] = { S_ANON };

	ib_file(b, 1, "/sbin/init");
	ib_mm(b, 2, 3, 1);
	ib_vma(b, S_EXE, S_EXE + 0x2000, CKPT_VMA_FILE, CKPT_VMA_READ, 1);
	ib_vma(b, S_ANON, S_ANON_END, CKPT_VMA_ANON, CKPT_VMA_READ, 0);
	ib_pages(b, pages, 1);
	ib_live_task(b, 1, 1, 0, 2);
}

/* A file mapping whose file was never defined. */
static void build_vma_undefined_file(struct ib *b)
{
	ib_file(b, 1, "/sbin/init");
	ib_mm(b, 2, 1, 1);
	ib_vma(b, S_EXE, S_EXE + 0x2000, CKPT_VMA_FILE, CKPT_VMA_READ, 9);
	ib_live_task(b, 1, 1, 0, 2);
}

/* In the page-sized hole after the anonymous area. */
static void build_page_outside_vma(struct ib *b)
{
	static const uint64_t pages[] = { S_ANON, S_ANON_END };

	ib_file(b, 1, "/sbin/init");
	ib_mm(b, 2, 3, 1);
	ib_sample_vmas(b, 1);
	ib_pages(b, pages, 2);
	ib_live_task(b, 1, 1, 0, 2);
}

/* The vDSO's pages are the kernel's, never in an image. */
static void build_page_in_vdso(struct ib *b)
{
	static const uint64_t pages[] = { S_VDSO };

	ib_file(b, 1, "/sbin/init");
	ib_mm(b, 2, 3, 1);
	ib_sample_vmas(b, 1);
	ib_pages(b, pages, 1);
	ib_live_task(b, 1, 1, 0, 2);
}

static void build_page_unaligned(struct ib *b)
{
	static const uint64_t pages[] = { S_ANON + 0x10 };

	ib_file(b, 1, "/sbin/init");
	ib_mm(b, 2, 3, 1);
	ib_sample_vmas(b, 1);
	ib_pages(b, pages, 1);
	ib_live_task(b, 1, 1, 0, 2);
}

/* Addresses must increase, across page records too. */
static void build_pages_not_increasing(struct ib *b)
{
	static const uint64_t first[] = { S_ANON + 0x2000 };
	static const uint64_t second[] = { S_ANON + 0x1000 };

	ib_file(b, 1, "/sbin/init");
	ib_mm(b, 2, 3, 1);
	ib_sample_vmas(b, 1);
	ib_pages(b, first, 1);
	ib_pages(b, second, 1);
	ib_live_task(b, 1, 1, 0, 2);
}

static void build_task_undefined_mm(struct ib *b)
{
	ib_file(b, 1, "/sbin/init");
	ib_sample_mm(b, 1, 2);
	ib_live_task(b, 1, 1, 0, 7);
}

/* Object 1 is a file, not an mm. */
static void build_task_mm_is_file(struct ib *b)
{
	ib_file(b, 1, "/sbin/init");
	ib_sample_mm(b, 1, 2);
	ib_live_task(b, 1, 1, 0, 1);
}

static void build_objref_out_of_order(struct ib *b)
{
	ib_file(b, 2, "/sbin/init");
	ib_sample_mm(b, 2, 1);
	ib_live_task(b, 1, 1, 0, 1);
}

static void build_objref_twice(struct ib *b)
{
	ib_file(b, 1, "/sbin/init");
	ib_sample_mm(b, 1, 1);
	ib_live_task(b, 1, 1, 0, 1);
}

/* A live task, then the tail: its registers are missing. */
static void build_missing_cpu_regs(struct ib *b)
{
	ib_file(b, 1, "/sbin/init");
	ib_sample_mm(b, 1, 2);
	ib_task(b, 1, 1, 0, 2, 0, 0);
}

static void build_missing_xstate(struct ib *b)
{
	ib_file(b, 1, "/sbin/init");
	ib_sample_mm(b, 1, 2);
	ib_task(b, 1, 1, 0, 2, 0, 0);
	ib_regs(b);
}

/* The next task comes where the registers should. */
static void build_regs_replaced_by_task(struct ib *b)
{
	ib_file(b, 1, "/sbin/init");
	ib_sample_mm(b, 1, 2);
	ib_task(b, 1, 1, 0, 2, 0, 0);
	ib_live_task(b, 2, 1, 0, 2);
}

static void build_file_without_string(struct ib *b)
{
	ib_file_only(b, 1);
	ib_sample_mm(b, 1, 2);
	ib_live_task(b, 1, 1, 0, 2);
}

static void build_string_without_nul(struct ib *b)
{
	ib_file_only(b, 1);
	ib_string(b, "/sbin/initX", 11);
	ib_sample_mm(b, 1, 2);
	ib_live_task(b, 1, 1, 0, 2);
}

static void build_string_embedded_nul(struct ib *b)
{
	ib_file_only(b, 1);
	ib_string(b, "/sbin\0init", 11);
	ib_sample_mm(b, 1, 2);
	ib_live_task(b, 1, 1, 0, 2);
}

static void build_string_not_absolute(struct ib *b)
{
	ib_file(b, 1, "sbin/init");
	ib_sample_mm(b, 1, 2);
	ib_live_task(b, 1, 1, 0, 2);
}

/* A string record on its own, where no file precedes it. */
static void build_string_alone(struct ib *b)
{
	ib_string(b, "/sbin/init", 11);
}

/* cs of a 32-bit task (__USER32_CS). */
static void build_regs_bad_cs(struct ib *b)
{
	ib_file(b, 1, "/sbin/init");
	ib_sample_mm(b, 1, 2);
	ib_task(b, 1, 1, 0, 2, 0, 0);
	ib_regs_cs(b, 0x23);
	ib_xstate(b, CKPT_XSAVE_MIN);
}

/* A kernel cs. */
static void build_regs_kernel_cs(struct ib *b)
{
	ib_file(b, 1, "/sbin/init");
	ib_sample_mm(b, 1, 2);
	ib_task(b, 1, 1, 0, 2, 0, 0);
	ib_regs_cs(b, 0x10);
	ib_xstate(b, CKPT_XSAVE_MIN);
}

static void build_regs_kernel_fs_base(struct ib *b)
{
	struct ckpt_hdr_cpu_regs *r;

	ib_file(b, 1, "/sbin/init");
	ib_sample_mm(b, 1, 2);
	ib_task(b, 1, 1, 0, 2, 0, 0);
	r = ib_regs_cs(b, CKPT_USER_CS);
	if (r)
		r->regs.fs_base = 0xffff888000000000ULL;
	ib_xstate(b, CKPT_XSAVE_MIN);
}

static void build_xstate_too_small(struct ib *b)
{
	ib_file(b, 1, "/sbin/init");
	ib_sample_mm(b, 1, 2);
	ib_task(b, 1, 1, 0, 2, 0, 0);
	ib_regs(b);
	ib_xstate(b, 512);
}

static void build_zombie_with_mm(struct ib *b)
{
	build_one_task(b);
	ib_task(b, 2, 2, 1, 2, CKPT_TASK_ZOMBIE, 0);
}

/* A zombie has no CPU state: none may follow its record. */
static void build_cpu_state_after_zombie(struct ib *b)
{
	build_one_task(b);
	ib_task(b, 2, 2, 1, 0, CKPT_TASK_ZOMBIE, 0);
	ib_regs(b);
	ib_xstate(b, CKPT_XSAVE_MIN);
}

/* CPU state that belongs to no task at all. */
static void build_cpu_state_without_task(struct ib *b)
{
	ib_regs(b);
	ib_xstate(b, CKPT_XSAVE_MIN);
}

/* A second set of CPU state after a task's. */
static void build_cpu_state_twice(struct ib *b)
{
	build_one_task(b);
	ib_regs(b);
	ib_xstate(b, CKPT_XSAVE_MIN);
}

struct crafted {
	const char *name;
	void (*build)(struct ib *b);
	int err;		/* restart(2) dry run: 0 or the errno */
	const char *words;	/* in the reason, or NULL */
	bool model_ok;		/* the userspace reader accepts it */
};

#define CRAFTED_OK(fn, model)	{ #fn, build_##fn, 0, NULL, model }
#define CRAFTED(fn, words)	{ #fn, build_##fn, EBADMSG, words, false }

static const struct crafted crafted[] = {
	CRAFTED_OK(one_task, true),
	CRAFTED_OK(tree, true),
	/* The userspace reader wants records of the exact size. */
	CRAFTED_OK(extended, false),
	CRAFTED(pages_before_mm, "outside an address space"),
	CRAFTED(pages_after_task, "outside an address space"),
	CRAFTED(pages_after_file, "outside an address space"),
	CRAFTED(vma_overlap, "bad bounds"),
	CRAFTED(vma_unsorted, "bad bounds"),
	CRAFTED(vma_missing, "expected"),
	CRAFTED(vma_undefined_file, "unknown object 9"),
	CRAFTED(page_outside_vma, "page at 0x604000"),
	CRAFTED(page_in_vdso, "page at 0x7ffff7ff0000"),
	CRAFTED(page_unaligned, "page at 0x600010"),
	CRAFTED(pages_not_increasing, "page at 0x601000"),
	CRAFTED(task_undefined_mm, "unknown object"),
	CRAFTED(task_mm_is_file, "unknown object"),
	CRAFTED(objref_out_of_order, "out of order"),
	CRAFTED(objref_twice, "out of order"),
	CRAFTED(missing_cpu_regs, "expected"),
	CRAFTED(missing_xstate, "expected"),
	CRAFTED(regs_replaced_by_task, "expected"),
	CRAFTED(file_without_string, "string was expected"),
	CRAFTED(string_without_nul, "malformed string"),
	CRAFTED(string_embedded_nul, "malformed string"),
	CRAFTED(string_not_absolute, "not absolute"),
	CRAFTED(string_alone, "unknown type 3"),
	CRAFTED(regs_bad_cs, "registers"),
	CRAFTED(regs_kernel_cs, "registers"),
	CRAFTED(regs_kernel_fs_base, "registers"),
	CRAFTED(xstate_too_small, "bad size"),
	CRAFTED(zombie_with_mm, "zombie"),
	CRAFTED(cpu_state_after_zombie, NULL),
	CRAFTED(cpu_state_without_task, NULL),
	CRAFTED(cpu_state_twice, NULL),
};

static const struct crafted *find_crafted(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(crafted); i++)
		if (!strcmp(crafted[i].name, name))
			return &crafted[i];
	return NULL;
}

static void build_image(const struct crafted *c, struct ib *b)
{
	ib_begin(b);
	c->build(b);
	ib_end(b);
}

/*
 * The crafted images as the userspace reader sees them: the valid ones are
 * valid, each bad one is refused.  A check of this file's builders (no
 * ckpt kernel needed).
 */
TEST(crafted_selfcheck)
{
	for (size_t i = 0; i < ARRAY_SIZE(crafted); i++) {
		const struct crafted *c = &crafted[i];
		struct ckpt_model m;
		struct ib b;
		int ret;

		build_image(c, &b);
		ASSERT_FALSE(b.oom);
		ASSERT_EQ(b.len, ckpt_image_length(b.buf, b.len)) {
			TH_LOG("%s: badly framed", c->name);
		}
		ret = ckpt_model_build(&m, b.buf, b.len);
		EXPECT_EQ(c->model_ok ? 0 : -1, ret) {
			TH_LOG("%s: %s", c->name, ret ? m.why : "accepted");
		}
		if (!ret)
			ckpt_model_free(&m);
		ib_free(&b);
	}
}

/* What the userspace reader makes of the tree. */
TEST(crafted_tree_model)
{
	const struct ckpt_m_mm *mm;
	struct ckpt_model m;
	struct ib b;

	build_image(find_crafted("tree"), &b);
	ASSERT_EQ(0, ckpt_model_build(&m, b.buf, b.len)) {
		TH_LOG("%s", m.why);
	}
	ASSERT_EQ(1U, m.nr_files);
	ASSERT_STREQ("/sbin/init", m.files[0].path);
	ASSERT_EQ(2U, m.nr_mms);
	ASSERT_EQ(5U, m.nr_tasks);
	ASSERT_EQ(3U, m.nr_objs);
	mm = ckpt_m_mm_ref(&m, 2);
	ASSERT_NE(NULL, mm);
	ASSERT_EQ(3U, mm->nr_pages);
	ASSERT_NE(NULL, ckpt_m_page_at(mm, S_ANON + 0x2000));
	ASSERT_EQ(NULL, ckpt_m_page_at(mm, S_ANON + 0x1000));
	ASSERT_EQ(2U, ckpt_m_pages_in(mm, S_ANON, S_ANON_END));
	ASSERT_EQ((__u32)CKPT_VMA_VDSO, ckpt_m_vma_at(mm, S_VDSO + 5)->kind);
	ASSERT_EQ(NULL, ckpt_m_vma_at(mm, S_ANON_END));
	ASSERT_EQ(1U, ckpt_m_mm_ref(&m, 3)->nr_pages);
	ASSERT_EQ(NULL, ckpt_m_mm_ref(&m, 1));
	ASSERT_NE(NULL, ckpt_m_file_ref(&m, 1));
	ASSERT_EQ(NULL, ckpt_m_task_pid(&m, 5)->regs);
	ASSERT_NE(NULL, ckpt_m_task_pid(&m, 4)->xsave);
	ckpt_model_free(&m);
	ib_free(&b);
}

/* ------------------------------------------------------------------ */
/* restart(2) of crafted images                                        */

FIXTURE(rec) {
	int fd;			/* a memfd for the images to try */
	int log[2];
	char logbuf[4096];
};

FIXTURE_SETUP(rec)
{
	self->fd = memfd_create("ckpt-selftest-in", MFD_CLOEXEC);
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, ckpt_log_pipe(self->log));
}

FIXTURE_TEARDOWN(rec)
{
}

static const char *errname(int err)
{
	return err > 0 ? strerror(err) : err == 0 ? "success" : "setup error";
}

/* restart(2) (dry run) of @len bytes at @data: 0, the errno, or -1. */
static int rec_restart(FIXTURE_DATA(rec) *self, const void *data, size_t len)
{
	long ret;
	int err;

	ckpt_log_read(self->log[0], self->logbuf, sizeof(self->logbuf));
	if (ckpt_refill(self->fd, data, len))
		return -1;
	ret = sys_restart(0, self->fd, RESTART_DRY_RUN, self->log[1]);
	err = errno;
	ckpt_log_read(self->log[0], self->logbuf, sizeof(self->logbuf));
	if (ret == 0)
		return 0;
	return ret == -1 ? err : -1;
}

/*
 * restart(2) of the crafted image @name: accepted (the whole image read,
 * nothing logged) or refused with its errno and one line of reason.
 */
static void check_crafted(struct __test_metadata *_metadata,
			  FIXTURE_DATA(rec) *self, const char *name)
{
	const struct crafted *c = find_crafted(name);
	const char *why;
	struct ib b;
	int got;

	ASSERT_NE(NULL, c);
	build_image(c, &b);
	ASSERT_FALSE(b.oom);
	got = rec_restart(self, b.buf, b.len);
	ASSERT_EQ(c->err, got) {
		TH_LOG("%s: restart: %s (%d), expected %s; log: \"%s\"", name,
		       errname(got), got, errname(c->err), self->logbuf);
	}
	if (!c->err) {
		ASSERT_STREQ("", self->logbuf);
		ASSERT_EQ((off_t)b.len, ckpt_offset(self->fd));
	} else {
		why = ckpt_log_problem(self->logbuf, "restart", c->words);
		ASSERT_TRUE(why == NULL) {
			TH_LOG("%s: %s (want \"%s\"); log: \"%s\"", name, why,
			       c->words ? c->words : "", self->logbuf);
		}
	}
	ib_free(&b);
}

#define CRAFTED_TEST(name)						\
	TEST_F(rec, name)						\
	{								\
		check_crafted(_metadata, self, #name);			\
	}

/* Valid images: a task; a tree with threads, a child, a zombie. */
CRAFTED_TEST(one_task)
CRAFTED_TEST(tree)
/* Every record type longer than this kernel knows (the extension rule). */
CRAFTED_TEST(extended)
/* Pages before any mm record, and after the task that closes an mm. */
CRAFTED_TEST(pages_before_mm)
CRAFTED_TEST(pages_after_task)
CRAFTED_TEST(pages_after_file)
/* Areas: overlapping the previous one, out of order, fewer than said. */
CRAFTED_TEST(vma_overlap)
CRAFTED_TEST(vma_unsorted)
CRAFTED_TEST(vma_missing)
CRAFTED_TEST(vma_undefined_file)
/* Pages: outside any area, in the vDSO, unaligned, decreasing. */
CRAFTED_TEST(page_outside_vma)
CRAFTED_TEST(page_in_vdso)
CRAFTED_TEST(page_unaligned)
CRAFTED_TEST(pages_not_increasing)
/* Objects: an undefined mm, a file used as an mm, objrefs out of order. */
CRAFTED_TEST(task_undefined_mm)
CRAFTED_TEST(task_mm_is_file)
CRAFTED_TEST(objref_out_of_order)
CRAFTED_TEST(objref_twice)
/* A live task without (all of) its CPU state. */
CRAFTED_TEST(missing_cpu_regs)
CRAFTED_TEST(missing_xstate)
CRAFTED_TEST(regs_replaced_by_task)
/* Files and their strings. */
CRAFTED_TEST(file_without_string)
CRAFTED_TEST(string_without_nul)
CRAFTED_TEST(string_embedded_nul)
CRAFTED_TEST(string_not_absolute)
CRAFTED_TEST(string_alone)
/* Registers and FPU state that no 64-bit user task has. */
CRAFTED_TEST(regs_bad_cs)
CRAFTED_TEST(regs_kernel_cs)
CRAFTED_TEST(regs_kernel_fs_base)
CRAFTED_TEST(xstate_too_small)
/* Zombies have neither memory nor CPU state; CPU state needs a task. */
CRAFTED_TEST(zombie_with_mm)
CRAFTED_TEST(cpu_state_after_zombie)
CRAFTED_TEST(cpu_state_without_task)
CRAFTED_TEST(cpu_state_twice)

/* ------------------------------------------------------------------ */
/* Real images, damaged                                                */

FIXTURE(real) {
	uint8_t *img;		/* what checkpoint(2) wrote */
	size_t len;
	int fd;			/* a memfd holding it */
	int log[2];
	char logbuf[4096];
};

FIXTURE_SETUP(real)
{
	const char *why = NULL;
	long ret;
	int err;

	err = ckpt_real_image(0, &self->img, &self->len, &why);
	ASSERT_EQ(0, err) {
		TH_LOG("cannot get a real image: %s: %s", why, strerror(-err));
	}
	self->fd = ckpt_memfd(self->img, self->len);
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, ckpt_log_pipe(self->log));
	/* Damage means something only if the whole image is accepted. */
	ret = sys_restart(0, self->fd, RESTART_DRY_RUN, self->log[1]);
	err = errno;
	ckpt_log_read(self->log[0], self->logbuf, sizeof(self->logbuf));
	ASSERT_EQ(0, ret) {
		TH_LOG("the undamaged image (%zu bytes) is refused: %s; log: \"%s\"",
		       self->len, strerror(err), self->logbuf);
	}
}

FIXTURE_TEARDOWN(real)
{
}

/* Whether @e is an errno that restart(2) gives for a bad image. */
static bool image_errno(int e)
{
	return e == EINVAL || e == ENODATA || e == EBADMSG || e == EPROTO ||
	       e == ENOEXEC;
}

/*
 * restart(2) of the memfd from its start: 0, or the errno (-1 if the call
 * returned something else); the log is in self->logbuf.
 */
static int real_restart(FIXTURE_DATA(real) *self)
{
	long ret;
	int err;

	if (lseek(self->fd, 0, SEEK_SET) != 0)
		return -1;
	ret = sys_restart(0, self->fd, RESTART_DRY_RUN, self->log[1]);
	err = errno;
	ckpt_log_read(self->log[0], self->logbuf, sizeof(self->logbuf));
	if (ret == 0)
		return 0;
	return ret == -1 ? err : -1;
}

/*
 * Bytes of a real image flipped (^ 0xff), one at a time: every byte of
 * the first and the last 2 KiB (the header, the first files, mm and areas;
 * the last pages, the CPU state, the tail), and every 61st byte between
 * (page contents mostly: only the checksum catches those).  Restart never
 * accepts the result, always says why in one line, and uses only the
 * errnos of bad images.  One image, changed in place and put back.
 */
TEST_F_TIMEOUT(real, corruption_walk, 300)
{
	const size_t edge = 2048;
	unsigned int bad = 0, runs = 0, want = 0;
	size_t off = 0;

	while (off < self->len) {
		uint8_t orig = self->img[off], flipped = orig ^ 0xff;
		const char *why = NULL;
		int got;

		ASSERT_EQ(1, pwrite(self->fd, &flipped, 1, off));
		got = real_restart(self);
		ASSERT_EQ(1, pwrite(self->fd, &orig, 1, off));
		runs++;
		if (got == 0)
			why = "accepted";
		else if (got < 0 || !image_errno(got))
			why = "unexpected errno";
		else
			why = ckpt_log_problem(self->logbuf, "restart", NULL);
		if (why && bad++ < 20)
			TH_LOG("byte %zu of %zu ^ 0xff: %s: %s; log: \"%s\"",
			       off, self->len, why, errname(got),
			       self->logbuf);

		if (off < edge || off + edge >= self->len)
			off++;
		else if (off + 61 + edge >= self->len)
			off = self->len - edge;
		else
			off += 61;
	}
	/* As many runs as the plan says: all of both ends, 1 in 61 between. */
	want = self->len <= 2 * edge ? self->len :
	       2 * edge + (self->len - 2 * edge + 60) / 61;
	ASSERT_EQ(want, runs);
	ASSERT_EQ(0U, bad);

	/* The image is whole again. */
	ASSERT_EQ(0, real_restart(self)) {
		TH_LOG("log: \"%s\"", self->logbuf);
	}
}

static int cmp_size_desc(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? 1 : x > y ? -1 : 0;
}

/*
 * A real image cut short: at every record boundary and a few bytes around
 * it, in the middle of each record, every 997th byte, and each of the last
 * 64 bytes.  Always ENODATA, "truncated".  The file is cut shorter and
 * shorter, so that it is never rewritten.
 */
TEST_F_TIMEOUT(real, truncated, 300)
{
	struct ckpt_records r;
	size_t *lens, nr = 0, cap;
	unsigned int bad = 0;
	char why[256];

	ASSERT_EQ(0, ckpt_records_split(self->img, self->len, &r, why,
					sizeof(why))) {
		TH_LOG("%s", why);
	}
	cap = r.nr * 6 + self->len / 997 + 64 + 8;
	lens = calloc(cap, sizeof(*lens));
	ASSERT_NE(NULL, lens);
	for (size_t i = 0; i < r.nr; i++) {
		size_t o = r.rec[i].off;

		lens[nr++] = o;
		lens[nr++] = o + 1;
		lens[nr++] = o + 4;
		lens[nr++] = o + 7;
		lens[nr++] = o + 8;
		lens[nr++] = o + r.rec[i].len / 2;
	}
	for (size_t l = 0; l < self->len; l += 997)
		lens[nr++] = l;
	for (size_t l = self->len > 64 ? self->len - 64 : 0; l < self->len; l++)
		lens[nr++] = l;
	qsort(lens, nr, sizeof(*lens), cmp_size_desc);

	for (size_t i = 0; i < nr; i++) {
		const char *problem;
		int got;

		if (lens[i] >= self->len || (i && lens[i] == lens[i - 1]))
			continue;
		ASSERT_EQ(0, ftruncate(self->fd, lens[i]));
		got = real_restart(self);
		problem = got != ENODATA ? "not ENODATA" :
			  ckpt_log_problem(self->logbuf, "restart", "truncated");
		if (problem && bad++ < 20)
			TH_LOG("cut at %zu of %zu: %s: %s; log: \"%s\"",
			       lens[i], self->len, problem, errname(got),
			       self->logbuf);
	}
	ASSERT_EQ(0U, bad);
	free(lens);
	ckpt_records_free(&r);
}

TEST_HARNESS_MAIN
