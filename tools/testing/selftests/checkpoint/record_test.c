// SPDX-License-Identifier: GPL-2.0
/*
 * The records of tasks as restart(2) (dry run) reads them: images crafted
 * here, record by record, on top of the synthetic header, each with one
 * thing wrong (or nothing), and real images damaged byte by byte or cut
 * short.  A refused image gets its errno and one line on the logfd.
 *
 * The images are built with the builder of ckpt_util.h (ib_*()): every
 * live task has the whole state of the current format (version 4), and
 * comes in its order: the task record, then its address space if it is
 * new, its CPU state with its TLS descriptors, attributes, credentials,
 * fd table, fs, handlers, signal state (with its POSIX timers, none
 * unless a test makes some), its own signal state.  Threads (tasks of one
 * tgid) share their leader's fd table, fs, handlers and signal state,
 * which they name by objref again (the fs written in full).  Version 3's
 * order, the address space before the task record, is used where a test
 * says so: restart still takes it for the first task.  Every image starts
 * with the header and the namespaces record (version 4); the tests of that
 * record change it or take it out.  Version 4 also adds epoll files with
 * their items and external files, valid and broken one way each.
 *
 * The crafted images are also checked by the userspace reader of the
 * format (ckpt_model_build() in ckpt_util.h), with no ckpt kernel:
 * `make host-check` runs crafted_selfcheck and crafted_tree_model.
 */
#define _GNU_SOURCE
/*
 * -Wextra finds unused parameters in kselftest_harness.h, and a variable of
 * its TEST_F() wrapper that longjmp() may clobber (see the teardown).
 */
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wclobbered"
#include "kselftest_harness.h"

#include <sys/epoll.h>

#include "ckpt_util.h"

/* ------------------------------------------------------------------ */
/* The crafted images                                                  */

/* A process: its executable, its memory, one task. */
static void build_one_task(struct ib *b)
{
	ib_file(b, 1, "/sbin/init");
	ib_task(b, 1, 1, 0, 2, 0, 0);
	ib_sample_mm(b, 1, 2);
	ib_live_rest(b, 1);
}

/* The child's address space: the sample's areas, one page of its own. */
static void ib_kid_mm(struct ib *b, uint32_t mm)
{
	static const uint64_t kid_pages[] = { S_ANON + 0x1000 };

	ib_mm(b, mm, 3, 1);
	ib_sample_vmas(b, 1);
	ib_pages(b, kid_pages, 1);
}

/* A child process of @ppid, with an address space of its own. */
static void ib_kid(struct ib *b, pid_t pid, pid_t ppid)
{
	uint32_t mm = b->max_obj + 1;

	ib_task(b, pid, pid, ppid, mm, 0, 0);
	ib_kid_mm(b, mm);
	ib_live_rest(b, pid);
}

/*
 * A tree: a process with two threads, a child with its own memory (and the
 * same executable), a zombie child.
 */
static void build_tree(struct ib *b)
{
	build_one_task(b);
	/* The threads share their leader's fds, fs, handlers, signal state. */
	ib_live_task(b, 2, 1, 0, 2);
	ib_live_task(b, 3, 1, 0, 2);
	ib_kid(b, 4, 1);
	ib_task(b, 5, 5, 1, 0, CKPT_TASK_ZOMBIE, 0x0700);
}

/*
 * Make the record at @rec, the last one written, @extra bytes longer
 * (bytes of 0xee, fields of a newer writer), its padding zero.
 */
static void ib_extend(struct ib *b, void *rec, uint32_t extra)
{
	struct ckpt_hdr *h = rec;
	size_t off, alen;

	if (!rec || b->oom)
		return;
	off = (uint8_t *)rec - b->buf;
	alen = ckpt_align(h->len + extra);
	if (off + alen + CKPT_TAIL_SIZE > b->cap) {
		/* The record was written last: only its room is needed. */
		uint8_t *n = realloc(b->buf, off + alen + CKPT_TAIL_SIZE);

		if (!n) {
			b->oom = true;
			return;
		}
		b->buf = n;
		b->cap = off + alen + CKPT_TAIL_SIZE;
		h = (struct ckpt_hdr *)(b->buf + off);
	}
	memset(b->buf + off + h->len, 0xee, extra);
	memset(b->buf + off + h->len + extra, 0, alen - h->len - extra);
	h->len += extra;
	b->len = off + alen;
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
	struct ckpt_hdr_signal *sig;
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
	memcpy(big, &t, sizeof(t));
	memset(big + sizeof(t), 0xee, 16);
	ib_put(b, CKPT_HDR_TASK, big, sizeof(t) + 16);
	memset(big, 0, sizeof(big));
	memcpy(big, &mm, sizeof(mm));
	memset(big + sizeof(mm), 0xee, 8);
	ib_put(b, CKPT_HDR_MM, big, sizeof(mm) + 8);
	memset(big, 0, sizeof(big));
	memcpy(big, &v, sizeof(v));
	memset(big + sizeof(v), 0xee, 4);
	ib_put(b, CKPT_HDR_VMA, big, sizeof(v) + 4);
	memset(big, 0, sizeof(big));
	memcpy(big, &r, sizeof(r));
	memset(big + sizeof(r), 0xee, 8);
	ib_put(b, CKPT_HDR_CPU_REGS, big, sizeof(r) + 8);
	/* (no more than any XSAVE CPU's area: 576 bytes and AVX's 256) */
	ib_xstate_ext(b, CKPT_XSAVE_MIN, 8);
	ib_extend(b, ib_tls(b), 8);
	/*
	 * The state records of fixed size, longer too.  (Those with a
	 * variable part, credentials, fd tables, handlers and pipes, have no
	 * room for more: their entries follow the fixed part.)
	 */
	ib_extend(b, ib_attrs(b), 8);
	ib_cred(b);
	ib_fd_table(b, 3, NULL, 0);
	ib_extend(b, ib_fs_only(b, 4, 022), 16);
	ib_string(b, "/", 2);
	ib_string(b, "/", 2);
	ib_sighand(b, 5);
	sig = ib_signal(b, 6);
	if (sig) {
		sig->nr_posix_timers = 1;
		sig->next_posix_timer_id = 1;
	}
	ib_extend(b, sig, 24);
	ib_extend(b, ib_timer(b, 0, SIGUSR2), 16);
	ib_extend(b, ib_task_signal(b, 1), 8);
	ib_extend(b, ib_siginfo(b, SIGUSR1, 0), 8);
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

/*
 * Pages after another record than areas or pages: the mm is closed.  (In
 * the order of version 3, the mm before the first task, which restart
 * takes for the first task: its task record must follow the mm's pages,
 * where the file comes; in version 4's order, the registers.)
 */
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
	ib_task(b, 1, 1, 0, 2, 0, 0);
	ib_mm(b, 2, 2, 1);
	ib_vma(b, S_ANON, S_ANON_END, CKPT_VMA_ANON, CKPT_VMA_READ, 0);
	ib_vma(b, S_ANON_END - 0x1000, S_ANON_END + 0x1000, CKPT_VMA_ANON,
	       CKPT_VMA_READ, 0);
	ib_live_rest(b, 1);
}

static void build_vma_unsorted(struct ib *b)
{
	ib_file(b, 1, "/sbin/init");
	ib_task(b, 1, 1, 0, 2, 0, 0);
	ib_mm(b, 2, 2, 1);
	ib_vma(b, S_ANON, S_ANON_END, CKPT_VMA_ANON, CKPT_VMA_READ, 0);
	ib_vma(b, S_EXE, S_EXE + 0x2000, CKPT_VMA_FILE, CKPT_VMA_READ, 1);
	ib_live_rest(b, 1);
}

/* Fewer areas than the mm record announced. */
static void build_vma_missing(struct ib *b)
{
	static const uint64_t pages[] = { S_ANON };

	ib_file(b, 1, "/sbin/init");
	ib_task(b, 1, 1, 0, 2, 0, 0);
	ib_mm(b, 2, 3, 1);
	ib_vma(b, S_EXE, S_EXE + 0x2000, CKPT_VMA_FILE, CKPT_VMA_READ, 1);
	ib_vma(b, S_ANON, S_ANON_END, CKPT_VMA_ANON, CKPT_VMA_READ, 0);
	ib_pages(b, pages, 1);
	ib_live_rest(b, 1);
}

/* A file mapping whose file was never defined. */
static void build_vma_undefined_file(struct ib *b)
{
	ib_file(b, 1, "/sbin/init");
	ib_task(b, 1, 1, 0, 2, 0, 0);
	ib_mm(b, 2, 1, 1);
	ib_vma(b, S_EXE, S_EXE + 0x2000, CKPT_VMA_FILE, CKPT_VMA_READ, 9);
	ib_live_rest(b, 1);
}

/* In the page-sized hole after the anonymous area. */
static void build_page_outside_vma(struct ib *b)
{
	static const uint64_t pages[] = { S_ANON, S_ANON_END };

	ib_file(b, 1, "/sbin/init");
	ib_task(b, 1, 1, 0, 2, 0, 0);
	ib_mm(b, 2, 3, 1);
	ib_sample_vmas(b, 1);
	ib_pages(b, pages, 2);
	ib_live_rest(b, 1);
}

/* The vDSO's pages are the kernel's, never in an image. */
static void build_page_in_vdso(struct ib *b)
{
	static const uint64_t pages[] = { S_VDSO };

	ib_file(b, 1, "/sbin/init");
	ib_task(b, 1, 1, 0, 2, 0, 0);
	ib_mm(b, 2, 3, 1);
	ib_sample_vmas(b, 1);
	ib_pages(b, pages, 1);
	ib_live_rest(b, 1);
}

static void build_page_unaligned(struct ib *b)
{
	static const uint64_t pages[] = { S_ANON + 0x10 };

	ib_file(b, 1, "/sbin/init");
	ib_task(b, 1, 1, 0, 2, 0, 0);
	ib_mm(b, 2, 3, 1);
	ib_sample_vmas(b, 1);
	ib_pages(b, pages, 1);
	ib_live_rest(b, 1);
}

/* Addresses must increase, across page records too. */
static void build_pages_not_increasing(struct ib *b)
{
	static const uint64_t first[] = { S_ANON + 0x2000 };
	static const uint64_t second[] = { S_ANON + 0x1000 };

	ib_file(b, 1, "/sbin/init");
	ib_task(b, 1, 1, 0, 2, 0, 0);
	ib_mm(b, 2, 3, 1);
	ib_sample_vmas(b, 1);
	ib_pages(b, first, 1);
	ib_pages(b, second, 1);
	ib_live_rest(b, 1);
}

static void build_task_undefined_mm(struct ib *b)
{
	ib_file(b, 1, "/sbin/init");
	ib_task(b, 1, 1, 0, 7, 0, 0);
	ib_sample_mm(b, 1, 2);
	ib_live_rest(b, 1);
}

/* Object 1 is a file, not an mm. */
static void build_task_mm_is_file(struct ib *b)
{
	ib_file(b, 1, "/sbin/init");
	ib_task(b, 1, 1, 0, 1, 0, 0);
	ib_sample_mm(b, 1, 2);
	ib_live_rest(b, 1);
}

static void build_objref_out_of_order(struct ib *b)
{
	ib_file(b, 2, "/sbin/init");
	ib_task(b, 1, 1, 0, 1, 0, 0);
	ib_sample_mm(b, 2, 1);
	ib_live_rest(b, 1);
}

static void build_objref_twice(struct ib *b)
{
	ib_file(b, 1, "/sbin/init");
	ib_task(b, 1, 1, 0, 1, 0, 0);
	ib_sample_mm(b, 1, 1);
	ib_live_rest(b, 1);
}

/* A live task, then the tail: its registers are missing. */
static void build_missing_cpu_regs(struct ib *b)
{
	ib_file(b, 1, "/sbin/init");
	ib_task(b, 1, 1, 0, 2, 0, 0);
	ib_sample_mm(b, 1, 2);
}

static void build_missing_xstate(struct ib *b)
{
	ib_file(b, 1, "/sbin/init");
	ib_task(b, 1, 1, 0, 2, 0, 0);
	ib_sample_mm(b, 1, 2);
	ib_regs(b);
}

/* The next task comes where the registers should. */
static void build_regs_replaced_by_task(struct ib *b)
{
	ib_file(b, 1, "/sbin/init");
	ib_task(b, 1, 1, 0, 2, 0, 0);
	ib_sample_mm(b, 1, 2);
	ib_live_task(b, 2, 1, 0, 2);
}

static void build_file_without_string(struct ib *b)
{
	ib_file_only(b, 1);
	ib_task(b, 1, 1, 0, 2, 0, 0);
	ib_sample_mm(b, 1, 2);
	ib_live_rest(b, 1);
}

static void build_string_without_nul(struct ib *b)
{
	ib_file_only(b, 1);
	ib_string(b, "/sbin/initX", 11);
	ib_task(b, 1, 1, 0, 2, 0, 0);
	ib_sample_mm(b, 1, 2);
	ib_live_rest(b, 1);
}

static void build_string_embedded_nul(struct ib *b)
{
	ib_file_only(b, 1);
	ib_string(b, "/sbin\0init", 11);
	ib_task(b, 1, 1, 0, 2, 0, 0);
	ib_sample_mm(b, 1, 2);
	ib_live_rest(b, 1);
}

static void build_string_not_absolute(struct ib *b)
{
	ib_file(b, 1, "sbin/init");
	ib_task(b, 1, 1, 0, 2, 0, 0);
	ib_sample_mm(b, 1, 2);
	ib_live_rest(b, 1);
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
	ib_task(b, 1, 1, 0, 2, 0, 0);
	ib_sample_mm(b, 1, 2);
	ib_regs_cs(b, 0x23);
	ib_xstate(b, CKPT_XSAVE_MIN);
}

/* A kernel cs. */
static void build_regs_kernel_cs(struct ib *b)
{
	ib_file(b, 1, "/sbin/init");
	ib_task(b, 1, 1, 0, 2, 0, 0);
	ib_sample_mm(b, 1, 2);
	ib_regs_cs(b, 0x10);
	ib_xstate(b, CKPT_XSAVE_MIN);
}

static void build_regs_kernel_fs_base(struct ib *b)
{
	struct ckpt_hdr_cpu_regs *r;

	ib_file(b, 1, "/sbin/init");
	ib_task(b, 1, 1, 0, 2, 0, 0);
	ib_sample_mm(b, 1, 2);
	r = ib_regs_cs(b, CKPT_USER_CS);
	if (r)
		r->regs.fs_base = 0xffff888000000000ULL;
	ib_xstate(b, CKPT_XSAVE_MIN);
}

static void build_xstate_too_small(struct ib *b)
{
	ib_file(b, 1, "/sbin/init");
	ib_task(b, 1, 1, 0, 2, 0, 0);
	ib_sample_mm(b, 1, 2);
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

/* ------------------------------------------------------------------ */
/* The state of a live task: files, fds, fs, signals, credentials...   */

/*
 * A process up to its FPU state: its executable (object 1), its memory
 * (2), its task record with @nr_files open files, its registers and FPU
 * state.  The objects of its state come next: 3, 4...
 */
static void ib_head_files(struct ib *b, uint32_t nr_files)
{
	struct ckpt_hdr_task *t;

	ib_file(b, 1, "/sbin/init");
	t = ib_task(b, 1, 1, 0, 2, 0, 0);
	if (t)
		t->nr_files = nr_files;
	ib_sample_mm(b, 1, 2);
	ib_regs(b);
	ib_xstate(b, CKPT_XSAVE_MIN);
}

static void ib_head(struct ib *b)
{
	ib_head_files(b, 0);
}

/*
 * The objects of a sample fd table, before the memory that comes next:
 *   1  /sbin/init        regular, the executable
 *   2  /dev/null         character device, read-write
 *   3  /tmp/data         regular, read-only, at offset 10
 *   4  a pipe            64 KiB, 16 bytes in it
 *   5  its read end
 *   6  its write end, non-blocking
 * then the memory (7) and the task record with 6 open files.
 */
#define S_FILES_MM	7

static void ib_head_fds(struct ib *b)
{
	struct ckpt_hdr_file *f;
	struct ckpt_hdr_task *t;

	ib_file(b, 1, "/sbin/init");
	ib_file_rec(b, 2, CKPT_FILE_CHR, O_RDWR | 0100000);
	ib_string(b, "/dev/null", sizeof("/dev/null"));
	f = ib_file_rec(b, 3, CKPT_FILE_REG, O_RDONLY | 0100000);
	if (f)
		f->pos = 10;
	ib_string(b, "/tmp/data", sizeof("/tmp/data"));
	ib_pipe(b, 4, 65536, 16);
	ib_pipe_end(b, 5, 4, O_RDONLY);
	ib_pipe_end(b, 6, 4, O_WRONLY | O_NONBLOCK);
	t = ib_task(b, 1, 1, 0, S_FILES_MM, 0, 0);
	if (t)
		t->nr_files = 6;
	ib_sample_mm(b, 1, S_FILES_MM);
	ib_regs(b);
	ib_xstate(b, CKPT_XSAVE_MIN);
}

/* The fds of the sample: 0-2 on /dev/null, 5 the file, 7 and 8 the pipe. */
static const struct ckpt_fd sample_fds[] = {
	{ .fd = 0, .file_objref = 2 },
	{ .fd = 1, .file_objref = 2 },
	{ .fd = 2, .file_objref = 2 },
	{ .fd = 5, .file_objref = 3, .flags = CKPT_FD_CLOEXEC },
	{ .fd = 7, .file_objref = 5 },
	{ .fd = 8, .file_objref = 6, .flags = CKPT_FD_CLOEXEC },
};

/* The rest of the sample's state, after its fd table (objects 9 to 11). */
static void ib_fds_rest(struct ib *b)
{
	ib_fs(b, 9, 022, "/", "/tmp");
	ib_sighand(b, 10);
	ib_signal(b, 11);
	ib_task_signal(b, 0);
}

/* The same from objref @first on: fs, handlers, signal state. */
static void ib_fds_rest_at(struct ib *b, uint32_t first)
{
	ib_fs(b, first, 022, "/", "/tmp");
	ib_sighand(b, first + 1);
	ib_signal(b, first + 2);
	ib_task_signal(b, 0);
}

/*
 * A task with a bit of everything: fds of every kind, a working
 * directory, handlers (one ignored), interval timers, blocked signals,
 * an alternate stack, a signal pending for it and one for its process.
 */
static void build_fds_and_pipes(struct ib *b)
{
	struct ckpt_hdr_sighand *sh;
	struct ckpt_hdr_signal *sig;
	struct ckpt_hdr_task_signal *ts;
	struct ckpt_sigaction *act;

	ib_head_fds(b);
	ib_attrs(b);
	ib_cred(b);
	ib_fd_table(b, 8, sample_fds, ARRAY_SIZE(sample_fds));
	ib_fs(b, 9, 027, "/", "/tmp");
	sh = ib_sighand(b, 10);
	if (sh) {
		act = (struct ckpt_sigaction *)(sh + 1);
		act[SIGUSR1 - 1] = (struct ckpt_sigaction){
			.handler = S_EXE + 0x100,
			.flags = 0x04000000 /* SA_RESTORER */ | SA_SIGINFO |
				 SA_ONSTACK | SA_RESTART,
			.restorer = S_EXE + 0x200,
			.mask = CKPT_SIGBIT(SIGUSR2),
		};
		act[SIGHUP - 1].handler = 1;	/* SIG_IGN */
	}
	sig = ib_signal(b, 11);
	if (sig) {
		sig->itimer[CKPT_ITIMER_REAL].value = 1000000000;
		sig->itimer[CKPT_ITIMER_REAL].interval = 500000000;
	}
	ts = ib_task_signal(b, 2);
	if (ts) {
		ts->blocked = CKPT_SIGBIT(SIGUSR1) | CKPT_SIGBIT(SIGUSR2);
		ts->altstack_sp = S_ANON;
		ts->altstack_size = 0x2000;
	}
	ib_siginfo(b, SIGUSR1, 0);
	ib_siginfo(b, SIGUSR2, CKPT_SIGINFO_SHARED);
}

/* Registers of a task in nanosleep(2), which restarts with a block. */
static void ib_regs_nanosleep(struct ib *b)
{
	struct ckpt_hdr_cpu_regs *r = ib_regs_cs(b, CKPT_USER_CS);

	if (r) {
		r->regs.orig_ax = SYS_nanosleep;
		r->regs.ax = (uint64_t)-CKPT_ERESTART_RESTARTBLOCK;
		r->regs.di = S_ANON;
		r->regs.si = S_ANON + 0x10;
	}
}

static struct ckpt_hdr_restart_block *ib_restart_block(struct ib *b,
						       uint32_t kind)
{
	struct ckpt_hdr_restart_block rb = {
		.kind = kind,
		.time = 5000000000LL,
		.addr = S_ANON + 0x10,
		.clockid = CLOCK_MONOTONIC,
		.type = 1,
	};

	return ib_put(b, CKPT_HDR_RESTART_BLOCK, &rb, sizeof(rb));
}

/* A task in nanosleep(2): its restart block after its FPU state. */
static void build_restart_block(struct ib *b)
{
	ib_file(b, 1, "/sbin/init");
	ib_task(b, 1, 1, 0, 2, 0, 0);
	ib_sample_mm(b, 1, 2);
	ib_regs_nanosleep(b);
	ib_xstate(b, CKPT_XSAVE_MIN);
	ib_restart_block(b, CKPT_RESTART_NANOSLEEP);
	ib_task_state(b, 1);
}

/*
 * A tree whose tasks share nothing but files: a process, its child with
 * its own memory, tables and handlers (as after fork()), a zombie child.
 */
static void build_tree_processes(struct ib *b)
{
	build_one_task(b);
	ib_kid(b, 4, 1);
	ib_task(b, 5, 5, 1, 0, CKPT_TASK_ZOMBIE, 0x0700);
}

/* Memfds: a name, then pages in records until one says no more. */
static void ib_memfd_file(struct ib *b, uint32_t objref, const char *name)
{
	struct ckpt_hdr_file *f = ib_file_rec(b, objref, CKPT_FILE_MEMFD,
					      O_RDWR | 0100000);

	if (f) {
		f->size = 4 * 4096;
		f->pos = 100;
		f->seals = 0x6;		/* F_SEAL_SHRINK | F_SEAL_GROW */
	}
	ib_string(b, name, strlen(name) + 1);
}

/* The task: its executable (1), the memfd (2) at fd 3, its memory (3). */
static void ib_memfd_task(struct ib *b)
{
	static const struct ckpt_fd fds[] = {
		{ .fd = 3, .file_objref = 2 },
	};
	struct ckpt_hdr_task *t;

	t = ib_task(b, 1, 1, 0, 3, 0, 0);
	if (t)
		t->nr_files = 1;
	ib_sample_mm(b, 1, 3);
	ib_regs(b);
	ib_xstate(b, CKPT_XSAVE_MIN);
	ib_attrs(b);
	ib_cred(b);
	ib_fd_table(b, 4, fds, 1);
	ib_fs(b, 5, 022, "/", "/");
	ib_sighand(b, 6);
	ib_signal(b, 7);
	ib_task_signal(b, 0);
}

/*
 * Shared anonymous memory (file 2, @name, @flags, of 3 pages, page @off
 * in the image), mapped shared at S_SHMEM by the task's memory (3).
 */
#define S_SHMEM		0x700000000000ULL	/* below S_VDSO */

static void ib_shmem_task(struct ib *b, const char *name, uint32_t flags,
			  uint64_t off, uint32_t vma_flags)
{
	static const uint64_t pages[] = { S_EXE + 0x1000, S_ANON };
	struct ckpt_hdr_vma v = {
		.start = S_SHMEM, .end = S_SHMEM + 3 * 4096,
		.kind = CKPT_VMA_FILE, .prot = CKPT_VMA_READ,
		.flags = vma_flags, .file_objref = 2,
	};
	struct ckpt_hdr_file *f;

	ib_file(b, 1, "/sbin/init");
	f = ib_file_rec(b, 2, CKPT_FILE_SHMEM, flags);
	if (f)
		f->size = 3 * 4096;
	ib_string(b, name, strlen(name) + 1);
	ib_file_pages(b, 2, &off, 1, 0);
	ib_task(b, 1, 1, 0, 3, 0, 0);
	ib_mm(b, 3, 4, 1);
	ib_vma(b, S_EXE, S_EXE + 0x2000, CKPT_VMA_FILE,
	       CKPT_VMA_READ | CKPT_VMA_EXEC, 1);
	ib_vma(b, S_ANON, S_ANON_END, CKPT_VMA_ANON,
	       CKPT_VMA_READ | CKPT_VMA_WRITE, 0);
	ib_put(b, CKPT_HDR_VMA, &v, sizeof(v));
	ib_vma(b, S_VDSO, S_VDSO + 0x2000, CKPT_VMA_VDSO,
	       CKPT_VMA_READ | CKPT_VMA_EXEC, 0);
	ib_pages(b, pages, 2);
	ib_live_rest(b, 1);
}

/* Mapped shared, read-only: a real restart fills the object, not the area. */
static void build_shmem(struct ib *b)
{
	ib_shmem_task(b, CKPT_SHMEM_NAME, O_RDWR, 4096, CKPT_VMA_SHARED);
}

/* Mapped privately, which mmap(2) never makes of it, but is no harm. */
static void build_shmem_private(struct ib *b)
{
	ib_shmem_task(b, CKPT_SHMEM_NAME, O_RDWR, 4096, 0);
}

static void build_shmem_bad_name(struct ib *b)
{
	ib_shmem_task(b, "memfd:x", O_RDWR, 0, CKPT_VMA_SHARED);
}

static void build_shmem_bad_flags(struct ib *b)
{
	ib_shmem_task(b, CKPT_SHMEM_NAME, O_RDONLY, 0, CKPT_VMA_SHARED);
}

static void build_shmem_page_past_end(struct ib *b)
{
	ib_shmem_task(b, CKPT_SHMEM_NAME, O_RDWR, 3 * 4096, CKPT_VMA_SHARED);
}

/*
 * SysV IPC (format version 4): a container with an IPC namespace of its
 * own, a segment (objref 1, id 0, 5000 bytes, a page in the image), a set
 * of two semaphores (id 0), a queue of two messages (id 0); a task whose
 * memory (3) attaches the segment at S_SYSV; its executable is file 2.
 */
#define S_SYSV		0x700000000000ULL	/* below S_VDSO */
#define IPC_SHM_SIZE	5000

static void ib_ipc_objects(struct ib *b)
{
	static const uint16_t vals[] = { 1, 2 };
	static const int64_t types[] = { 1, 7 };
	static const char *const texts[] = { "hello", "a message of 23 bytes.." };
	static const uint64_t off = 0;

	ib_ipc_shm(b, 1, 0, 0x10, IPC_SHM_SIZE, 0);
	ib_file_pages(b, 1, &off, 1, 0);
	ib_ipc_sem(b, 0, 0x20, vals, 2);
	ib_ipc_msg(b, 0, 0x30, types, texts, 2);
}

static void ib_ipc_task(struct ib *b, uint64_t shm_size, bool rdonly,
			uint32_t more_flags)
{
	static const uint64_t pages[] = { S_EXE + 0x1000, S_ANON };
	struct ckpt_hdr_vma *v;

	ib_file(b, 2, "/sbin/init");
	ib_task(b, 1, 1, 0, 3, 0, 0);
	ib_mm(b, 3, 4, 2);
	ib_vma(b, S_EXE, S_EXE + 0x2000, CKPT_VMA_FILE,
	       CKPT_VMA_READ | CKPT_VMA_EXEC, 2);
	ib_vma(b, S_ANON, S_ANON_END, CKPT_VMA_ANON,
	       CKPT_VMA_READ | CKPT_VMA_WRITE, 0);
	v = ib_shm_vma(b, S_SYSV, 1, shm_size, rdonly);
	if (v)
		v->flags |= more_flags;
	ib_vma(b, S_VDSO, S_VDSO + 0x2000, CKPT_VMA_VDSO,
	       CKPT_VMA_READ | CKPT_VMA_EXEC, 0);
	ib_pages(b, pages, 2);
	ib_live_rest(b, 1);
}

static void build_ipc(struct ib *b)
{
	ib_begin_ipc(b);
	ib_ipc_objects(b);
	ib_ipc_task(b, IPC_SHM_SIZE, false, 0);
}

static void build_ipc_rdonly(struct ib *b)
{
	ib_begin_ipc(b);
	ib_ipc_objects(b);
	ib_ipc_task(b, IPC_SHM_SIZE, true, 0);
}

/* Objects of a container that has no IPC namespace of its own */
static void build_ipc_without_ns(struct ib *b)
{
	ib_begin(b);
	ib_ipc_objects(b);
	ib_ipc_task(b, IPC_SHM_SIZE, false, 0);
}

/* An object after a file: too late */
static void build_ipc_after_file(struct ib *b)
{
	static const uint16_t vals[] = { 1 };

	ib_begin_ipc(b);
	ib_file(b, 1, "/sbin/init");
	ib_ipc_sem(b, 0, 0x20, vals, 1);
	ib_live_task_mm(b, 1, 0, 1, 2);
}

static void build_ipc_ids_decreasing(struct ib *b)
{
	static const uint16_t vals[] = { 1 };

	ib_begin_ipc(b);
	ib_ipc_sem(b, 5, 0x20, vals, 1);
	ib_ipc_sem(b, 3, 0x21, vals, 1);
	ib_file(b, 2, "/sbin/init");
	ib_live_task_mm(b, 1, 0, 2, 3);
}

static void build_ipc_sem_value(struct ib *b)
{
	static const uint16_t vals[] = { 1, 40000 };

	ib_begin_ipc(b);
	ib_ipc_sem(b, 0, 0x20, vals, 2);
	ib_file(b, 2, "/sbin/init");
	ib_live_task_mm(b, 1, 0, 2, 3);
}

static void build_ipc_msg_type(struct ib *b)
{
	static const int64_t types[] = { 1, 0 };
	static const char *const texts[] = { "a", "b" };

	ib_begin_ipc(b);
	ib_ipc_msg(b, 0, 0x30, types, texts, 2);
	ib_file(b, 2, "/sbin/init");
	ib_live_task_mm(b, 1, 0, 2, 3);
}

/* A removed segment keeps no key (IPC_RMID made it private). */
static void build_ipc_dest_key(struct ib *b)
{
	static const uint64_t off = 0;

	ib_begin_ipc(b);
	ib_ipc_shm(b, 1, 0, 0x10, IPC_SHM_SIZE, CKPT_SHM_DEST);
	ib_file_pages(b, 1, &off, 1, 0);
	ib_ipc_task(b, IPC_SHM_SIZE, false, 0);
}

/* An area that attaches a page of a two-page segment */
static void build_ipc_vma_short(struct ib *b)
{
	ib_begin_ipc(b);
	ib_ipc_objects(b);
	ib_ipc_task(b, 4096, false, 0);
}

/* SHM_RDONLY on an area that may be written */
static void build_ipc_vma_rdonly_write(struct ib *b)
{
	ib_begin_ipc(b);
	ib_ipc_objects(b);
	ib_ipc_task(b, IPC_SHM_SIZE, false, CKPT_VMA_SHM_RDONLY);
}

/* Pages 0 and 2 of 4 (1 and 3 are holes, or zeros), in two records. */
static void build_memfd(struct ib *b)
{
	static const uint64_t first[] = { 0 }, second[] = { 2 * 4096 };

	ib_file(b, 1, "/sbin/init");
	ib_memfd_file(b, 2, "memfd:crafted");
	ib_file_pages(b, 2, first, 1, 1);
	ib_file_pages(b, 2, second, 1, 0);
	ib_memfd_task(b);
}

/* An empty memfd: one record of no pages. */
static void build_memfd_empty(struct ib *b)
{
	ib_file(b, 1, "/sbin/init");
	ib_memfd_file(b, 2, "memfd:");
	ib_file_pages(b, 2, NULL, 0, 0);
	ib_memfd_task(b);
}

/* The contents never come: the mm follows. */
static void build_memfd_pages_missing(struct ib *b)
{
	ib_file(b, 1, "/sbin/init");
	ib_memfd_file(b, 2, "memfd:crafted");
	ib_memfd_task(b);
}

/* "More" says another record follows, and none does. */
static void build_memfd_more_missing(struct ib *b)
{
	static const uint64_t first[] = { 0 };

	ib_file(b, 1, "/sbin/init");
	ib_memfd_file(b, 2, "memfd:crafted");
	ib_file_pages(b, 2, first, 1, 1);
	ib_memfd_task(b);
}

static void build_memfd_page_past_end(struct ib *b)
{
	static const uint64_t offs[] = { 4 * 4096 };

	ib_file(b, 1, "/sbin/init");
	ib_memfd_file(b, 2, "memfd:crafted");
	ib_file_pages(b, 2, offs, 1, 0);
	ib_memfd_task(b);
}

static void build_memfd_pages_not_increasing(struct ib *b)
{
	static const uint64_t first[] = { 2 * 4096 }, second[] = { 4096 };

	ib_file(b, 1, "/sbin/init");
	ib_memfd_file(b, 2, "memfd:crafted");
	ib_file_pages(b, 2, first, 1, 1);
	ib_file_pages(b, 2, second, 1, 0);
	ib_memfd_task(b);
}

static void build_memfd_page_unaligned(struct ib *b)
{
	static const uint64_t offs[] = { 100 };

	ib_file(b, 1, "/sbin/init");
	ib_memfd_file(b, 2, "memfd:crafted");
	ib_file_pages(b, 2, offs, 1, 0);
	ib_memfd_task(b);
}

/* Pages that name another file than the memfd before them. */
static void build_memfd_pages_other_file(struct ib *b)
{
	static const uint64_t offs[] = { 0 };

	ib_file(b, 1, "/sbin/init");
	ib_memfd_file(b, 2, "memfd:crafted");
	ib_file_pages(b, 2, offs, 1, 1);
	ib_file_pages(b, 1, NULL, 0, 0);
	ib_memfd_task(b);
}

/* A memfd's name always starts with "memfd:". */
static void build_memfd_bad_name(struct ib *b)
{
	ib_file(b, 1, "/sbin/init");
	ib_memfd_file(b, 2, "/tmp/crafted");
	ib_file_pages(b, 2, NULL, 0, 0);
	ib_memfd_task(b);
}

static void build_memfd_bad_seals(struct ib *b)
{
	struct ckpt_hdr_file *f;

	ib_file(b, 1, "/sbin/init");
	f = ib_file_rec(b, 2, CKPT_FILE_MEMFD, O_RDWR);
	if (f) {
		f->size = 4096;
		f->seals = 0x1000;
	}
	ib_string(b, "memfd:x", sizeof("memfd:x"));
	ib_file_pages(b, 2, NULL, 0, 0);
	ib_memfd_task(b);
}

/* Memfd pages that follow no memfd. */
static void build_memfd_pages_alone(struct ib *b)
{
	ib_file_pages(b, 1, NULL, 0, 0);
	build_one_task(b);
}

/* Seals on a regular file. */
static void build_file_seals(struct ib *b)
{
	struct ckpt_hdr_file *f = ib_file_rec(b, 1, CKPT_FILE_REG, 0100000);

	if (f)
		f->seals = 1;
	ib_string(b, "/sbin/init", sizeof("/sbin/init"));
	ib_task(b, 1, 1, 0, 2, 0, 0);
	ib_sample_mm(b, 1, 2);
	ib_live_rest(b, 1);
}

/* Each record of a live task's state missing in turn, or out of order. */
static void build_state_missing_attrs(struct ib *b)
{
	ib_head(b);
	ib_cred(b);
	ib_fd_table(b, 3, NULL, 0);
	ib_fs(b, 4, 022, "/", "/");
	ib_sighand(b, 5);
	ib_signal(b, 6);
	ib_task_signal(b, 0);
}

static void build_state_missing_cred(struct ib *b)
{
	ib_head(b);
	ib_attrs(b);
	ib_fd_table(b, 3, NULL, 0);
	ib_fs(b, 4, 022, "/", "/");
	ib_sighand(b, 5);
	ib_signal(b, 6);
	ib_task_signal(b, 0);
}

static void build_state_missing_fd_table(struct ib *b)
{
	ib_head(b);
	ib_attrs(b);
	ib_cred(b);
	ib_fs(b, 3, 022, "/", "/");
	ib_sighand(b, 4);
	ib_signal(b, 5);
	ib_task_signal(b, 0);
}

static void build_state_missing_fs(struct ib *b)
{
	ib_head(b);
	ib_attrs(b);
	ib_cred(b);
	ib_fd_table(b, 3, NULL, 0);
	ib_sighand(b, 4);
	ib_signal(b, 5);
	ib_task_signal(b, 0);
}

static void build_state_missing_sighand(struct ib *b)
{
	ib_head(b);
	ib_attrs(b);
	ib_cred(b);
	ib_fd_table(b, 3, NULL, 0);
	ib_fs(b, 4, 022, "/", "/");
	ib_signal(b, 5);
	ib_task_signal(b, 0);
}

static void build_state_missing_signal(struct ib *b)
{
	ib_head(b);
	ib_attrs(b);
	ib_cred(b);
	ib_fd_table(b, 3, NULL, 0);
	ib_fs(b, 4, 022, "/", "/");
	ib_sighand(b, 5);
	ib_task_signal(b, 0);
}

/* The tail comes where the task's own signal state should. */
static void build_state_missing_task_signal(struct ib *b)
{
	ib_head(b);
	ib_attrs(b);
	ib_cred(b);
	ib_fd_table(b, 3, NULL, 0);
	ib_fs(b, 4, 022, "/", "/");
	ib_sighand(b, 5);
	ib_signal(b, 6);
}

/* Two pending signals announced, one written. */
static void build_state_missing_siginfo(struct ib *b)
{
	ib_head(b);
	ib_attrs(b);
	ib_cred(b);
	ib_fd_table(b, 3, NULL, 0);
	ib_fs(b, 4, 022, "/", "/");
	ib_sighand(b, 5);
	ib_signal(b, 6);
	ib_task_signal(b, 2);
	ib_siginfo(b, SIGUSR1, 0);
}

static void build_state_cred_before_attrs(struct ib *b)
{
	ib_head(b);
	ib_cred(b);
	ib_attrs(b);
	ib_fd_table(b, 3, NULL, 0);
	ib_fs(b, 4, 022, "/", "/");
	ib_sighand(b, 5);
	ib_signal(b, 6);
	ib_task_signal(b, 0);
}

static void build_state_signal_before_sighand(struct ib *b)
{
	ib_head(b);
	ib_attrs(b);
	ib_cred(b);
	ib_fd_table(b, 3, NULL, 0);
	ib_fs(b, 4, 022, "/", "/");
	ib_signal(b, 5);
	ib_sighand(b, 6);
	ib_task_signal(b, 0);
}

/* The fs before the fd table. */
static void build_state_fs_before_fd_table(struct ib *b)
{
	ib_head(b);
	ib_attrs(b);
	ib_cred(b);
	ib_fs(b, 3, 022, "/", "/");
	ib_fd_table(b, 4, NULL, 0);
	ib_sighand(b, 5);
	ib_signal(b, 6);
	ib_task_signal(b, 0);
}

/* State records before the CPU state. */
static void build_state_before_cpu(struct ib *b)
{
	ib_file(b, 1, "/sbin/init");
	ib_task(b, 1, 1, 0, 2, 0, 0);
	ib_sample_mm(b, 1, 2);
	ib_task_state(b, 1);
	ib_regs(b);
	ib_xstate(b, CKPT_XSAVE_MIN);
}

/* A zombie has no state: none may follow its record. */
static void build_state_after_zombie(struct ib *b)
{
	build_one_task(b);
	ib_task(b, 2, 2, 1, 0, CKPT_TASK_ZOMBIE, 0);
	ib_attrs(b);
}

/* State that belongs to no task at all. */
static void build_state_without_task(struct ib *b)
{
	ib_attrs(b);
	ib_cred(b);
}

/* A second set of state after a whole task. */
static void build_state_twice(struct ib *b)
{
	build_one_task(b);
	ib_attrs(b);
}

/* A pending signal after a whole task (its count was 0). */
static void build_siginfo_unannounced(struct ib *b)
{
	build_one_task(b);
	ib_siginfo(b, SIGUSR1, 0);
}

/* Files (and pipes) */

/* A file of no known type. */
static void build_file_bad_type(struct ib *b)
{
	ib_file_rec(b, 1, 99, 0);
	ib_string(b, "/sbin/init", sizeof("/sbin/init"));
	ib_task(b, 1, 1, 0, 2, 0, 0);
	ib_sample_mm(b, 1, 2);
	ib_live_rest(b, 1);
}

/* A pipe end naming a pipe that does not exist, or not yet. */
static void build_pipe_end_unknown_pipe(struct ib *b)
{
	ib_file(b, 1, "/sbin/init");
	ib_pipe_end(b, 2, 9, O_RDONLY);
	ib_task(b, 1, 1, 0, 3, 0, 0);
	ib_sample_mm(b, 1, 3);
	ib_live_rest(b, 1);
}

static void build_pipe_end_before_pipe(struct ib *b)
{
	ib_file(b, 1, "/sbin/init");
	ib_pipe_end(b, 2, 3, O_RDONLY);
	ib_pipe(b, 3, 65536, 0);
	ib_task(b, 1, 1, 0, 4, 0, 0);
	ib_sample_mm(b, 1, 4);
	ib_live_rest(b, 1);
}

/* A pipe end whose "pipe" is a regular file. */
static void build_pipe_end_names_file(struct ib *b)
{
	ib_file(b, 1, "/sbin/init");
	ib_pipe_end(b, 2, 1, O_RDONLY);
	ib_task(b, 1, 1, 0, 3, 0, 0);
	ib_sample_mm(b, 1, 3);
	ib_live_rest(b, 1);
}

/* A pipe end has no path: no string may follow it. */
static void build_pipe_end_with_string(struct ib *b)
{
	ib_file(b, 1, "/sbin/init");
	ib_pipe(b, 2, 65536, 0);
	ib_pipe_end(b, 3, 2, O_RDONLY);
	ib_string(b, "/tmp/fifo", sizeof("/tmp/fifo"));
	ib_task(b, 1, 1, 0, 4, 0, 0);
	ib_sample_mm(b, 1, 4);
	ib_live_rest(b, 1);
}

/* More bytes in a pipe than it holds. */
static void build_pipe_len_above_size(struct ib *b)
{
	ib_file(b, 1, "/sbin/init");
	ib_pipe(b, 2, 4096, 8192);
	ib_task(b, 1, 1, 0, 3, 0, 0);
	ib_sample_mm(b, 1, 3);
	ib_live_rest(b, 1);
}

/* A pipe larger than any pipe (pipe-max-size is 1 MiB). */
static void build_pipe_size_too_big(struct ib *b)
{
	ib_file(b, 1, "/sbin/init");
	ib_pipe(b, 2, 2 * CKPT_PIPE_MAX, 0);
	ib_task(b, 1, 1, 0, 3, 0, 0);
	ib_sample_mm(b, 1, 3);
	ib_live_rest(b, 1);
}

/* A pipe that says it holds 100 bytes, in a record with 50. */
static void build_pipe_len_mismatch(struct ib *b)
{
	ib_file(b, 1, "/sbin/init");
	ib_pipe_ex(b, 2, 65536, 100, 50);
	ib_task(b, 1, 1, 0, 3, 0, 0);
	ib_sample_mm(b, 1, 3);
	ib_live_rest(b, 1);
}

/* Fd tables: files that are not files, fds out of order, bad flags. */
#define FD(n, file, fl)	{ .fd = (n), .file_objref = (file), .flags = (fl) }
#define FDS_STDIO	FD(0, 2, 0), FD(1, 2, 0), FD(2, 2, 0)

static void ib_fds_task(struct ib *b, const struct ckpt_fd *fds, uint32_t nr)
{
	ib_head_fds(b);
	ib_attrs(b);
	ib_cred(b);
	ib_fd_table(b, 8, fds, nr);
	ib_fds_rest(b);
}

static void build_fd_table_unknown_file(struct ib *b)
{
	static const struct ckpt_fd fds[] = {
		FDS_STDIO, FD(5, 3, 0), FD(7, 5, 0), FD(8, 99, 0),
	};

	ib_fds_task(b, fds, ARRAY_SIZE(fds));
}

static void build_fd_table_file_is_mm(struct ib *b)
{
	static const struct ckpt_fd fds[] = {
		FDS_STDIO, FD(5, 3, 0), FD(7, 5, 0),
		FD(8, S_FILES_MM, 0),
	};

	ib_fds_task(b, fds, ARRAY_SIZE(fds));
}

/* A pipe, not one of its ends, as an fd. */
static void build_fd_table_file_is_pipe(struct ib *b)
{
	static const struct ckpt_fd fds[] = {
		FDS_STDIO, FD(5, 3, 0), FD(7, 5, 0), FD(8, 4, 0),
	};

	ib_fds_task(b, fds, ARRAY_SIZE(fds));
}

static void build_fd_table_decreasing(struct ib *b)
{
	static const struct ckpt_fd fds[] = {
		FDS_STDIO, FD(7, 5, 0), FD(5, 3, 0), FD(8, 6, 0),
	};

	ib_fds_task(b, fds, ARRAY_SIZE(fds));
}

static void build_fd_table_duplicate(struct ib *b)
{
	static const struct ckpt_fd fds[] = {
		FDS_STDIO, FD(5, 3, 0), FD(5, 5, 0), FD(8, 6, 0),
	};

	ib_fds_task(b, fds, ARRAY_SIZE(fds));
}

static void build_fd_table_bad_flags(struct ib *b)
{
	static const struct ckpt_fd fds[] = {
		FDS_STDIO, FD(5, 3, 2), FD(7, 5, 0), FD(8, 6, 0),
	};

	ib_fds_task(b, fds, ARRAY_SIZE(fds));
}

/* fd 2^20, past the largest fd table (fs.nr_open). */
static void build_fd_table_fd_too_big(struct ib *b)
{
	static const struct ckpt_fd fds[] = {
		FDS_STDIO, FD(5, 3, 0), FD(7, 5, 0),
		FD(CKPT_FDS_MAX, 6, 0),
	};

	ib_fds_task(b, fds, ARRAY_SIZE(fds));
}

/* The task record counts 6 open files, its table has 5. */
static void build_fd_table_nr_files_mismatch(struct ib *b)
{
	ib_fds_task(b, sample_fds, ARRAY_SIZE(sample_fds) - 1);
}

/* A table of more fds than fs.nr_open allows (and than follow). */
static void build_fd_table_too_many(struct ib *b)
{
	struct ckpt_hdr_fd_table *t;

	ib_head_fds(b);
	ib_attrs(b);
	ib_cred(b);
	ib_obj(b, 8);
	t = ib_put(b, CKPT_HDR_FD_TABLE, NULL, sizeof(*t));
	if (t) {
		t->objref = 8;
		t->nr_fds = CKPT_FDS_MAX + 1;
	}
	ib_fds_rest(b);
}

/* An fd table named by the objref of a file. */
static void build_fd_table_objref_of_file(struct ib *b)
{
	ib_head(b);
	ib_attrs(b);
	ib_cred(b);
	ib_fd_table(b, 1, NULL, 0);
	ib_fs(b, 3, 022, "/", "/");
	ib_sighand(b, 4);
	ib_signal(b, 5);
	ib_task_signal(b, 0);
}

/* A thread's table, shared with its leader's, repeated with entries. */
static void build_fd_table_shared_with_entries(struct ib *b)
{
	static const struct ckpt_fd fds[] = { FD(0, 1, 0) };

	build_one_task(b);
	ib_task(b, 2, 1, 0, 2, 0, 0);
	ib_regs(b);
	ib_xstate(b, CKPT_XSAVE_MIN);
	ib_attrs(b);
	ib_cred(b);
	ib_fd_table(b, b->proc[1].fdt, fds, 1);
	ib_fs(b, b->proc[1].fs, 022, "/", "/");
	ib_sighand_ex(b, b->proc[1].sighand, 0, 0);
	ib_signal(b, b->proc[1].signal);
	ib_task_signal(b, 0);
}

/* The fs: both strings, absolute paths. */
static void build_fs_without_strings(struct ib *b)
{
	ib_head(b);
	ib_attrs(b);
	ib_cred(b);
	ib_fd_table(b, 3, NULL, 0);
	ib_fs_only(b, 4, 022);
	ib_sighand(b, 5);
	ib_signal(b, 6);
	ib_task_signal(b, 0);
}

static void build_fs_one_string(struct ib *b)
{
	ib_head(b);
	ib_attrs(b);
	ib_cred(b);
	ib_fd_table(b, 3, NULL, 0);
	ib_fs_only(b, 4, 022);
	ib_string(b, "/", 2);
	ib_sighand(b, 5);
	ib_signal(b, 6);
	ib_task_signal(b, 0);
}

static void ib_fs_task(struct ib *b, uint32_t umask, const char *root,
		       const char *cwd)
{
	ib_head(b);
	ib_attrs(b);
	ib_cred(b);
	ib_fd_table(b, 3, NULL, 0);
	ib_fs(b, 4, umask, root, cwd);
	ib_sighand(b, 5);
	ib_signal(b, 6);
	ib_task_signal(b, 0);
}

static void build_fs_relative_root(struct ib *b)
{
	ib_fs_task(b, 022, "root", "/");
}

static void build_fs_relative_cwd(struct ib *b)
{
	ib_fs_task(b, 022, "/", "tmp");
}

static void build_fs_bad_umask(struct ib *b)
{
	ib_fs_task(b, 01000, "/", "/");
}

/* Handlers: 64 actions for a new objref, none for a shared one. */
static void ib_sighand_task(struct ib *b, uint32_t nr, uint32_t in_record)
{
	ib_head(b);
	ib_attrs(b);
	ib_cred(b);
	ib_fd_table(b, 3, NULL, 0);
	ib_fs(b, 4, 022, "/", "/");
	ib_sighand_ex(b, 5, nr, in_record);
	ib_signal(b, 6);
	ib_task_signal(b, 0);
}

static void build_sighand_nr_32(struct ib *b)
{
	ib_sighand_task(b, 32, 32);
}

static void build_sighand_nr_0_new(struct ib *b)
{
	ib_sighand_task(b, 0, 0);
}

static void build_sighand_nr_65(struct ib *b)
{
	ib_sighand_task(b, 65, 65);
}

/* 64 actions announced, 10 in the record. */
static void build_sighand_short(struct ib *b)
{
	ib_sighand_task(b, CKPT_NSIG, 10);
}

/* A handler in kernel space. */
static void build_sighand_kernel_handler(struct ib *b)
{
	struct ckpt_hdr_sighand *sh;

	ib_head(b);
	ib_attrs(b);
	ib_cred(b);
	ib_fd_table(b, 3, NULL, 0);
	ib_fs(b, 4, 022, "/", "/");
	sh = ib_sighand(b, 5);
	if (sh)
		((struct ckpt_sigaction *)(sh + 1))[SIGUSR1 - 1].handler =
			0xffffffff81000000ULL;
	ib_signal(b, 6);
	ib_task_signal(b, 0);
}

/* Pending signals: their number, their siginfo. */
static void ib_pending_task(struct ib *b, uint32_t nr_pending)
{
	ib_head(b);
	ib_attrs(b);
	ib_cred(b);
	ib_fd_table(b, 3, NULL, 0);
	ib_fs(b, 4, 022, "/", "/");
	ib_sighand(b, 5);
	ib_signal(b, 6);
	ib_task_signal(b, nr_pending);
}

/* The record says SIGUSR1, its siginfo SIGUSR2. */
static void build_siginfo_signo_mismatch(struct ib *b)
{
	struct ckpt_hdr_siginfo *si;
	int32_t other = SIGUSR2;

	ib_pending_task(b, 1);
	si = ib_siginfo(b, SIGUSR1, 0);
	if (si)
		memcpy(si->info, &other, sizeof(other));
}

static void build_siginfo_signo_0(struct ib *b)
{
	ib_pending_task(b, 1);
	ib_siginfo(b, 0, 0);
}

static void build_siginfo_signo_65(struct ib *b)
{
	ib_pending_task(b, 1);
	ib_siginfo(b, 65, 0);
}

/* A flag that format version 3 does not know (2 is CKPT_SIGINFO_TIMER). */
static void build_siginfo_bad_flags(struct ib *b)
{
	ib_pending_task(b, 1);
	ib_siginfo(b, SIGUSR1, 4);
}

/* More pending signals than a task may have (and than follow). */
static void build_nr_pending_too_large(struct ib *b)
{
	ib_pending_task(b, CKPT_PENDING_MAX + 1);
	ib_siginfo(b, SIGUSR1, 0);
}

/* Attributes out of their ranges. */
static void ib_attrs_task(struct ib *b, int nice, uint32_t policy,
			  uint32_t rt_priority, uint32_t flags,
			  uint32_t dumpable, int pdeath)
{
	struct ckpt_hdr_task_attrs *a;

	ib_head(b);
	a = ib_attrs(b);
	if (a) {
		a->nice = nice;
		a->policy = policy;
		a->rt_priority = rt_priority;
		a->flags = flags;
		a->dumpable = dumpable;
		a->pdeath_signal = pdeath;
	}
	ib_cred(b);
	ib_fd_table(b, 3, NULL, 0);
	ib_fs(b, 4, 022, "/", "/");
	ib_sighand(b, 5);
	ib_signal(b, 6);
	ib_task_signal(b, 0);
}

static void build_attrs_nice_20(struct ib *b)
{
	ib_attrs_task(b, 20, SCHED_OTHER, 0, 0, 1, 0);
}

static void build_attrs_nice_minus_21(struct ib *b)
{
	ib_attrs_task(b, -21, SCHED_OTHER, 0, 0, 1, 0);
}

static void build_attrs_bad_policy(struct ib *b)
{
	ib_attrs_task(b, 0, 7, 0, 0, 1, 0);
}

static void build_attrs_bad_flags(struct ib *b)
{
	ib_attrs_task(b, 0, SCHED_OTHER, 0, CKPT_ATTR_FLAGS_ALL + 1, 1, 0);
}

static void build_attrs_fifo_priority_0(struct ib *b)
{
	ib_attrs_task(b, 0, SCHED_FIFO, 0, 0, 1, 0);
}

static void build_attrs_rr_priority_100(struct ib *b)
{
	ib_attrs_task(b, 0, SCHED_RR, 100, 0, 1, 0);
}

static void build_attrs_bad_dumpable(struct ib *b)
{
	ib_attrs_task(b, 0, SCHED_OTHER, 0, 0, 3, 0);
}

static void build_attrs_bad_pdeath_signal(struct ib *b)
{
	ib_attrs_task(b, 0, SCHED_OTHER, 0, 0, 1, 65);
}

/* Restart blocks: only where the registers ask for one. */
static void build_restart_block_unasked(struct ib *b)
{
	ib_head(b);
	ib_restart_block(b, CKPT_RESTART_NANOSLEEP);
	ib_task_state(b, 1);
}

static void build_restart_block_missing(struct ib *b)
{
	ib_file(b, 1, "/sbin/init");
	ib_task(b, 1, 1, 0, 2, 0, 0);
	ib_sample_mm(b, 1, 2);
	ib_regs_nanosleep(b);
	ib_xstate(b, CKPT_XSAVE_MIN);
	ib_task_state(b, 1);
}

static void build_restart_block_bad_kind(struct ib *b)
{
	ib_file(b, 1, "/sbin/init");
	ib_task(b, 1, 1, 0, 2, 0, 0);
	ib_sample_mm(b, 1, 2);
	ib_regs_nanosleep(b);
	ib_xstate(b, CKPT_XSAVE_MIN);
	ib_restart_block(b, 9);
	ib_task_state(b, 1);
}

/* Credentials: more groups than NGROUPS_MAX, or than follow. */
static void ib_cred_task(struct ib *b, uint32_t nr_groups, uint32_t in_record)
{
	ib_head(b);
	ib_attrs(b);
	ib_cred_groups(b, nr_groups, in_record);
	ib_fd_table(b, 3, NULL, 0);
	ib_fs(b, 4, 022, "/", "/");
	ib_sighand(b, 5);
	ib_signal(b, 6);
	ib_task_signal(b, 0);
}

static void build_cred_nr_groups_too_large(struct ib *b)
{
	ib_cred_task(b, CKPT_GROUPS_MAX + 1, 0);
}

static void build_cred_groups_short(struct ib *b)
{
	ib_cred_task(b, 4, 2);
}

/* A soft limit above its hard limit. */
static void build_signal_rlimit_above_max(struct ib *b)
{
	struct ckpt_hdr_signal *s;

	ib_head(b);
	ib_attrs(b);
	ib_cred(b);
	ib_fd_table(b, 3, NULL, 0);
	ib_fs(b, 4, 022, "/", "/");
	ib_sighand(b, 5);
	s = ib_signal(b, 6);
	if (s) {
		s->rlim[RLIMIT_NOFILE].cur = 100;
		s->rlim[RLIMIT_NOFILE].max = 50;
	}
	ib_task_signal(b, 0);
}

/* SIGKILL is never pending: it kills. */
static void build_siginfo_sigkill(struct ib *b)
{
	ib_pending_task(b, 1);
	ib_siginfo(b, SIGKILL, 0);
}

/* An alternate stack smaller than MINSIGSTKSZ, or an address without one. */
static void ib_altstack_task(struct ib *b, uint64_t sp, uint64_t size)
{
	struct ckpt_hdr_task_signal *ts;

	ib_pending_task(b, 0);
	/* ib_pending_task() wrote the task signal record last: redo it. */
	b->len -= ckpt_align(sizeof(*ts));
	b->records--;
	ts = ib_task_signal(b, 0);
	if (ts) {
		ts->altstack_sp = sp;
		ts->altstack_size = size;
	}
}

static void build_altstack_tiny(struct ib *b)
{
	ib_altstack_task(b, S_ANON, 100);
}

static void build_altstack_no_size(struct ib *b)
{
	ib_altstack_task(b, S_ANON, 0);
}

static void build_attrs_rseq_unaligned(struct ib *b)
{
	struct ckpt_hdr_task_attrs *a;

	ib_head(b);
	a = ib_attrs(b);
	if (a) {
		a->rseq = S_ANON + 8;
		a->rseq_len = 32;
		a->rseq_sig = 0x53053053;
	}
	ib_cred(b);
	ib_fd_table(b, 3, NULL, 0);
	ib_fs(b, 4, 022, "/", "/");
	ib_sighand(b, 5);
	ib_signal(b, 6);
	ib_task_signal(b, 0);
}

/*
 * A futex wait with @futex_flags, @flags and @bitset, at @addr (or, with
 * 0, S_ANON + 0x10).  (Its registers say nanosleep(2): restart_syscall(2)
 * goes by the block, not by the call.)
 */
static void ib_futex_task(struct ib *b, uint32_t futex_flags, uint32_t flags,
			  uint32_t bitset, uint64_t addr)
{
	struct ckpt_hdr_restart_block *rb;

	ib_file(b, 1, "/sbin/init");
	ib_task(b, 1, 1, 0, 2, 0, 0);
	ib_sample_mm(b, 1, 2);
	ib_regs_nanosleep(b);
	ib_xstate(b, CKPT_XSAVE_MIN);
	rb = ib_restart_block(b, CKPT_RESTART_FUTEX);
	if (rb) {
		rb->clockid = 0;
		rb->type = 0;
		rb->val = 7;
		rb->bitset = bitset;
		rb->futex_flags = futex_flags;
		rb->flags = flags;
		if (addr)
			rb->addr = addr;
	}
	ib_task_state(b, 1);
}

/* A futex wait with the time it had left. */
static void build_restart_block_futex(struct ib *b)
{
	ib_futex_task(b, 0, 0, ~0U, 0);
}

/* One on the wall clock, shared, FUTEX_WAIT_BITSET: an absolute time. */
static void build_restart_block_futex_abs(struct ib *b)
{
	ib_futex_task(b, CKPT_FUTEX_CLOCKRT | CKPT_FUTEX_SHARED,
		      CKPT_RESTART_ABSOLUTE, 0x5, 0);
}

static void build_restart_block_futex_no_bitset(struct ib *b)
{
	ib_futex_task(b, 0, 0, 0, 0);
}

/* An absolute time, but not of the wall clock; and the reverse. */
static void build_restart_block_futex_abs_monotonic(struct ib *b)
{
	ib_futex_task(b, 0, CKPT_RESTART_ABSOLUTE, ~0U, 0);
}

static void build_restart_block_futex_clockrt_relative(struct ib *b)
{
	ib_futex_task(b, CKPT_FUTEX_CLOCKRT, 0, ~0U, 0);
}

static void build_restart_block_futex_unaligned(struct ib *b)
{
	ib_futex_task(b, 0, 0, ~0U, S_ANON + 0x12);
}

static void build_restart_block_futex_bad_flags(struct ib *b)
{
	ib_futex_task(b, 0x4, 0, ~0U, 0);
}

/* Futex fields in a restart block of another kind. */
static void build_restart_block_nanosleep_bitset(struct ib *b)
{
	struct ckpt_hdr_restart_block *rb;

	ib_file(b, 1, "/sbin/init");
	ib_task(b, 1, 1, 0, 2, 0, 0);
	ib_sample_mm(b, 1, 2);
	ib_regs_nanosleep(b);
	ib_xstate(b, CKPT_XSAVE_MIN);
	rb = ib_restart_block(b, CKPT_RESTART_NANOSLEEP);
	if (rb)
		rb->bitset = ~0U;
	ib_task_state(b, 1);
}

/* A nanosleep restart block with a compat rmtp (type 2). */
static void build_restart_block_compat(struct ib *b)
{
	struct ckpt_hdr_restart_block *rb;

	ib_file(b, 1, "/sbin/init");
	ib_task(b, 1, 1, 0, 2, 0, 0);
	ib_sample_mm(b, 1, 2);
	ib_regs_nanosleep(b);
	ib_xstate(b, CKPT_XSAVE_MIN);
	rb = ib_restart_block(b, CKPT_RESTART_NANOSLEEP);
	if (rb)
		rb->type = 2;
	ib_task_state(b, 1);
}

/* ------------------------------------------------------------------ */
/* Format version 3: TLS descriptors                                   */

/*
 * A process whose TLS descriptors @fix changes (it gets the three unused
 * entries, by index: desc[0] is entry 12).
 */
static void ib_tls_task(struct ib *b, void (*fix)(struct ckpt_tls_desc *d))
{
	struct ckpt_hdr_cpu_tls *tls;

	ib_file(b, 1, "/sbin/init");
	ib_task(b, 1, 1, 0, 2, 0, 0);
	ib_sample_mm(b, 1, 2);
	ib_regs(b);
	ib_xstate_only(b, CKPT_XSAVE_MIN);
	tls = ib_tls(b);
	if (tls)
		fix(tls->desc);
	ib_task_state(b, 1);
}

#define TLS_CASE(name, ...)						\
	static void tls_##name(struct ckpt_tls_desc *d)			\
	{								\
		__VA_ARGS__;						\
	}								\
	static void build_##name(struct ib *b)				\
	{								\
		ib_tls_task(b, tls_##name);				\
	}

/* A 32-bit data segment, as set_thread_area(2) makes one. */
static void tls_segment(struct ckpt_tls_desc *d, uint32_t base, uint32_t flags)
{
	d->base_addr = base;
	d->limit = 0xfff;
	d->flags = flags;
}

/*
 * Valid: entry 12 a read-write data segment over the anonymous memory,
 * "useable"; 13 unused; 14 a read-only expand-down one of 4 GiB in pages.
 */
TLS_CASE(tls_entries,
	 tls_segment(&d[0], S_ANON, CKPT_TLS_SEG_32BIT | CKPT_TLS_USEABLE);
	 tls_segment(&d[2], S_ANON + 0x1000,
		     CKPT_TLS_SEG_32BIT | 1 << CKPT_TLS_CONTENTS_SHIFT |
		     CKPT_TLS_READ_EXEC_ONLY | CKPT_TLS_LIMIT_IN_PAGES);
	 d[2].limit = CKPT_TLS_LIMIT_MAX)
/*
 * What set_thread_area(2) takes but get_thread_area(2) never gives, so
 * that no checkpoint writes it: an all-zero entry ("no segment" too), an
 * unused one with the L bit, a segment with it, a limit of 32 bits.
 * Restart takes them; the userspace reader, stricter, does not.
 */
TLS_CASE(tls_zero_entry, d[1].flags = 0)
TLS_CASE(tls_unused_lm, d[1].flags = CKPT_TLS_UNUSED | CKPT_TLS_LM)
TLS_CASE(tls_segment_lm,
	 tls_segment(&d[0], S_ANON, CKPT_TLS_SEG_32BIT | CKPT_TLS_LM))
TLS_CASE(tls_limit_32bit,
	 tls_segment(&d[0], S_ANON, CKPT_TLS_SEG_32BIT);
	 d[0].limit = 0xffffffff)
/* Entries out of their places. */
TLS_CASE(tls_bad_entry_number, d[2].entry_number = 15)
TLS_CASE(tls_entries_swapped,
	 d[0].entry_number = CKPT_TLS_FIRST_ENTRY + 1;
	 d[1].entry_number = CKPT_TLS_FIRST_ENTRY)
TLS_CASE(tls_entry_number_0, d[0].entry_number = 0)
/* Flags of no descriptor. */
TLS_CASE(tls_unknown_flags, d[1].flags = CKPT_TLS_UNUSED | 0x100)
TLS_CASE(tls_high_flags,
	 tls_segment(&d[0], S_ANON, CKPT_TLS_SEG_32BIT | 0x80000000U))
/* What tls_desc_okay() refuses: 16-bit, code, not present. */
TLS_CASE(tls_16bit, tls_segment(&d[0], S_ANON, 0))
TLS_CASE(tls_16bit_no_base, tls_segment(&d[0], 0, CKPT_TLS_USEABLE))
TLS_CASE(tls_code,
	 tls_segment(&d[1], S_EXE, CKPT_TLS_SEG_32BIT |
		     2 << CKPT_TLS_CONTENTS_SHIFT))
TLS_CASE(tls_code_conforming,
	 tls_segment(&d[1], S_EXE, CKPT_TLS_SEG_32BIT |
		     3 << CKPT_TLS_CONTENTS_SHIFT))
TLS_CASE(tls_not_present,
	 tls_segment(&d[2], S_ANON, CKPT_TLS_SEG_32BIT |
		     CKPT_TLS_NOT_PRESENT))
/* "Unused", but with a base or a limit: a 16-bit segment not present. */
TLS_CASE(tls_unused_with_base, d[0].base_addr = S_ANON)
TLS_CASE(tls_unused_with_limit, d[2].limit = 1)

/* The TLS record in its place only: after the FPU state, once. */
static void build_tls_missing(struct ib *b)
{
	ib_file(b, 1, "/sbin/init");
	ib_task(b, 1, 1, 0, 2, 0, 0);
	ib_sample_mm(b, 1, 2);
	ib_regs(b);
	ib_xstate_only(b, CKPT_XSAVE_MIN);
	ib_task_state(b, 1);
}

static void build_tls_twice(struct ib *b)
{
	ib_head(b);
	ib_tls(b);
	ib_task_state(b, 1);
}

static void build_tls_before_xstate(struct ib *b)
{
	ib_file(b, 1, "/sbin/init");
	ib_task(b, 1, 1, 0, 2, 0, 0);
	ib_sample_mm(b, 1, 2);
	ib_regs(b);
	ib_tls(b);
	ib_xstate_only(b, CKPT_XSAVE_MIN);
	ib_task_state(b, 1);
}

/* A restart block comes after the TLS descriptors, not before. */
static void build_tls_after_restart_block(struct ib *b)
{
	ib_file(b, 1, "/sbin/init");
	ib_task(b, 1, 1, 0, 2, 0, 0);
	ib_sample_mm(b, 1, 2);
	ib_regs_nanosleep(b);
	ib_xstate_only(b, CKPT_XSAVE_MIN);
	ib_restart_block(b, CKPT_RESTART_NANOSLEEP);
	ib_tls(b);
	ib_task_state(b, 1);
}

/* TLS descriptors of no task (after a whole one), of a zombie. */
static void build_tls_alone(struct ib *b)
{
	build_one_task(b);
	ib_tls(b);
}

static void build_tls_after_zombie(struct ib *b)
{
	build_one_task(b);
	ib_task(b, 2, 2, 1, 0, CKPT_TASK_ZOMBIE, 0);
	ib_tls(b);
}

/* Shorter than its three entries. */
static void build_tls_short(struct ib *b)
{
	struct ckpt_hdr_cpu_tls t;

	ib_file(b, 1, "/sbin/init");
	ib_task(b, 1, 1, 0, 2, 0, 0);
	ib_sample_mm(b, 1, 2);
	ib_regs(b);
	ib_xstate_only(b, CKPT_XSAVE_MIN);
	memset(&t, 0, sizeof(t));
	for (int i = 0; i < CKPT_TLS_ENTRIES; i++) {
		t.desc[i].entry_number = CKPT_TLS_FIRST_ENTRY + i;
		t.desc[i].flags = CKPT_TLS_UNUSED;
	}
	ib_put(b, CKPT_HDR_CPU_TLS, &t, sizeof(t) - sizeof(t.desc[2]));
	ib_task_state(b, 1);
}

/* ------------------------------------------------------------------ */
/* Format version 3: POSIX timers, their pending signals               */

/* The signals of the sample timers: of the process, of the task, another. */
#define T_SIG		40
#define T_SIG_THREAD	41
#define T_SIG_OTHER	42
#define T_ID_THREAD	7	/* the sample's SIGEV_THREAD timer */
#define T_NEXT		8	/* the next id of the sample's process */

/*
 * A process up to its signal state, which announces @nr POSIX timers and
 * @next as the next id; they follow.  Returns the signal record (valid
 * until the next ib_put()).
 */
static struct ckpt_hdr_signal *ib_timers_head(struct ib *b, uint32_t nr,
					      uint32_t next)
{
	struct ckpt_hdr_signal *s;

	ib_head(b);
	ib_attrs(b);
	ib_cred(b);
	ib_fd_table(b, 3, NULL, 0);
	ib_fs(b, 4, 022, "/", "/");
	ib_sighand(b, 5);
	s = ib_signal(b, 6);
	if (s) {
		s->nr_posix_timers = nr;
		s->next_posix_timer_id = next;
	}
	return s;
}

/*
 * The sample timers, of a process that made 8 (1, 2, 5 and 6 since
 * deleted): 0 on CLOCK_MONOTONIC, periodic, signals the process (T_SIG);
 * 3 on CLOCK_REALTIME, one-shot, signals the task (T_SIG_THREAD, by
 * SIGEV_THREAD_ID); 4 on CLOCK_BOOTTIME notifies by no signal (its
 * sigev_signo is never used: any value); 7 on CLOCK_TAI, made with
 * SIGEV_THREAD (as a library does for its helper thread: the kernel
 * signals the process), disarmed, with the overruns of its last signal.
 */
static void ib_sample_timers(struct ib *b)
{
	struct ckpt_hdr_posix_timer *t;

	ib_timers_head(b, 4, T_NEXT);
	ib_timer(b, 0, T_SIG);
	t = ib_timer(b, 3, T_SIG_THREAD);
	if (t) {
		t->clock = CLOCK_REALTIME;
		t->notify = SIGEV_SIGNAL | SIGEV_THREAD_ID;
		t->notify_tid = 1;
		t->left = 5000000000LL;
		t->interval = 0;
	}
	t = ib_timer(b, 4, 0);
	if (t) {
		t->clock = CLOCK_BOOTTIME;
		t->signo = 1000;
		t->left = 10000000000LL;
		t->interval = 0;
	}
	t = ib_timer(b, T_ID_THREAD, T_SIG_OTHER);
	if (t) {
		t->clock = CLOCK_TAI;
		t->notify = SIGEV_THREAD;
		t->left = t->interval = 0;
		t->overrun_last = 12;
	}
}

/*
 * Valid: the sample timers, timer 3's signal pending for the task, timer
 * 0's for the process (each queued once, whatever expired since).
 */
static void build_posix_timers(struct ib *b)
{
	ib_sample_timers(b);
	ib_task_signal(b, 2);
	ib_timer_siginfo(b, T_SIG_THREAD, 3, CKPT_SIGINFO_TIMER);
	ib_timer_siginfo(b, T_SIG, 0, CKPT_SIGINFO_TIMER | CKPT_SIGINFO_SHARED);
}

/*
 * Valid: the highest id a timer can have, and the next id wrapped around
 * to 0 (timer_create(2) goes on from there); a timer made and never set;
 * one with its overrun counts as high as they go.
 */
static void build_posix_timer_ids_wrapped(struct ib *b)
{
	struct ckpt_hdr_posix_timer *t;

	ib_timers_head(b, 2, 0);
	t = ib_timer(b, 5, T_SIG);
	if (t)
		t->left = t->interval = 0;
	t = ib_timer(b, INT_MAX, T_SIG);
	if (t) {
		t->overrun = INT64_MAX;
		t->overrun_last = INT64_MAX;
		t->left = CKPT_KTIME_MAX;
		t->interval = CKPT_KTIME_MAX;
	}
	ib_task_signal(b, 0);
}

/*
 * Valid: a signal of a timer that is gone (deleted while its signal was
 * pending): an ordinary pending signal now, si_code SI_TIMER all the same.
 */
static void build_siginfo_of_deleted_timer(struct ib *b)
{
	ib_sample_timers(b);
	ib_task_signal(b, 1);
	ib_timer_siginfo(b, T_SIG, 2, CKPT_SIGINFO_SHARED);
}

/* One timer, id 0, that @fix changes, and no pending signal. */
static void ib_timer_task(struct ib *b,
			  void (*fix)(struct ckpt_hdr_posix_timer *t))
{
	struct ckpt_hdr_posix_timer *t;

	ib_timers_head(b, 1, 1);
	t = ib_timer(b, 0, T_SIG);
	if (t)
		fix(t);
	ib_task_signal(b, 0);
}

#define TIMER_CASE(name, ...)						\
	static void timer_##name(struct ckpt_hdr_posix_timer *t)	\
	{								\
		__VA_ARGS__;						\
	}								\
	static void build_##name(struct ib *b)				\
	{								\
		ib_timer_task(b, timer_##name);				\
	}

/* Ids from 0 to INT_MAX. */
TIMER_CASE(timer_id_negative, t->id = -1)
TIMER_CASE(timer_id_int_min, t->id = INT_MIN)
/* Clocks of CPU time (as clock_getcpuclockid(3) gives them too), alarms, others. */
TIMER_CASE(timer_clock_process_cputime, t->clock = CLOCK_PROCESS_CPUTIME_ID)
TIMER_CASE(timer_clock_thread_cputime, t->clock = CLOCK_THREAD_CPUTIME_ID)
/* (clock_getcpuclockid(3) of pid 1: (~1 << 3) | CPUCLOCK_SCHED) */
TIMER_CASE(timer_clock_cpu_of_pid, t->clock = -14)
TIMER_CASE(timer_clock_realtime_alarm, t->clock = 8)
TIMER_CASE(timer_clock_boottime_alarm, t->clock = 9)
TIMER_CASE(timer_clock_monotonic_raw, t->clock = CLOCK_MONOTONIC_RAW)
TIMER_CASE(timer_clock_coarse, t->clock = CLOCK_MONOTONIC_COARSE)
TIMER_CASE(timer_clock_12, t->clock = 12)
/* Notifications timer_create(2) refuses. */
TIMER_CASE(timer_notify_3, t->notify = 3)
TIMER_CASE(timer_notify_none_thread_id,
	   t->notify = SIGEV_NONE | SIGEV_THREAD_ID; t->notify_tid = 1)
TIMER_CASE(timer_notify_thread_thread_id,
	   t->notify = SIGEV_THREAD | SIGEV_THREAD_ID; t->notify_tid = 1)
TIMER_CASE(timer_notify_negative, t->notify = -1)
/* The thread of SIGEV_THREAD_ID: the task itself, and only then. */
TIMER_CASE(timer_tid_other,
	   t->notify = SIGEV_SIGNAL | SIGEV_THREAD_ID; t->notify_tid = 2)
TIMER_CASE(timer_tid_zero,
	   t->notify = SIGEV_SIGNAL | SIGEV_THREAD_ID; t->notify_tid = 0)
TIMER_CASE(timer_tid_negative,
	   t->notify = SIGEV_SIGNAL | SIGEV_THREAD_ID; t->notify_tid = -1)
TIMER_CASE(timer_tid_without_thread_id, t->notify_tid = 1)
TIMER_CASE(timer_tid_of_sigev_none, t->notify = SIGEV_NONE; t->notify_tid = 1)
/* Signals 1 to 64 (any value when there is no signal). */
TIMER_CASE(timer_signo_0, t->signo = 0)
TIMER_CASE(timer_signo_65, t->signo = 65)
TIMER_CASE(timer_thread_signo_0, t->notify = SIGEV_THREAD; t->signo = 0)
TIMER_CASE(timer_thread_id_signo_65,
	   t->notify = SIGEV_SIGNAL | SIGEV_THREAD_ID; t->notify_tid = 1;
	   t->signo = 65)
TIMER_CASE(timer_reserved, t->reserved = 1)
/* Times hrtimers cannot hold. */
TIMER_CASE(timer_left_above_ktime_max, t->left = (uint64_t)CKPT_KTIME_MAX + 1)
TIMER_CASE(timer_left_all_ones, t->left = ~0ULL)
TIMER_CASE(timer_interval_above_ktime_max,
	   t->interval = (uint64_t)CKPT_KTIME_MAX + 1)
/* Overrun counts no timer has. */
TIMER_CASE(timer_overrun_below_minus_1, t->overrun = -2)
TIMER_CASE(timer_overrun_int64_min, t->overrun = INT64_MIN)
TIMER_CASE(timer_overrun_last_negative, t->overrun_last = -1)

/* Ids strictly increasing. */
static void build_timer_ids_equal(struct ib *b)
{
	ib_timers_head(b, 2, 9);
	ib_timer(b, 3, T_SIG);
	ib_timer(b, 3, T_SIG);
	ib_task_signal(b, 0);
}

static void build_timer_ids_decreasing(struct ib *b)
{
	ib_timers_head(b, 3, 9);
	ib_timer(b, 0, T_SIG);
	ib_timer(b, 5, T_SIG);
	ib_timer(b, 2, T_SIG);
	ib_task_signal(b, 0);
}

/* The signal state: how many timers, the next id, its reserved field. */
static void build_signal_timers_too_many(struct ib *b)
{
	ib_timers_head(b, CKPT_POSIX_TIMERS_MAX + 1, 0);
	ib_task_signal(b, 0);
}

static void build_signal_timers_all_ones(struct ib *b)
{
	ib_timers_head(b, ~0U, 0);
	ib_task_signal(b, 0);
}

static void build_signal_next_id_above_int_max(struct ib *b)
{
	ib_timers_head(b, 0, (uint32_t)INT_MAX + 1);
	ib_task_signal(b, 0);
}

static void build_signal_reserved(struct ib *b)
{
	struct ckpt_hdr_signal *s = ib_timers_head(b, 0, 0);

	if (s)
		s->reserved = 1;
	ib_task_signal(b, 0);
}

/* A signal record of format version 2: 8 bytes short. */
static void build_signal_v2_length(struct ib *b)
{
	struct ckpt_hdr_signal s = { .objref = 6 };

	ib_head(b);
	ib_attrs(b);
	ib_cred(b);
	ib_fd_table(b, 3, NULL, 0);
	ib_fs(b, 4, 022, "/", "/");
	ib_sighand(b, 5);
	if (ckpt_rlimits_self(s.rlim))
		memset(s.rlim, 0xff, sizeof(s.rlim));
	ib_obj(b, 6);
	ib_put(b, CKPT_HDR_SIGNAL, &s,
	       offsetof(struct ckpt_hdr_signal, next_posix_timer_id));
	ib_task_signal(b, 0);
}

/*
 * As many timer records as announced, in their place: a timer record
 * where the task's signal state is expected (one more than announced,
 * none announced) and the task's signal state where a timer record is
 * (one fewer); timer records of no process, before its signal state.
 */
static void build_timers_extra(struct ib *b)
{
	ib_timers_head(b, 1, 9);
	ib_timer(b, 0, T_SIG);
	ib_timer(b, 1, T_SIG);
	ib_task_signal(b, 0);
}

static void build_timer_unannounced(struct ib *b)
{
	ib_timers_head(b, 0, 9);
	ib_timer(b, 0, T_SIG);
	ib_task_signal(b, 0);
}

static void build_timers_missing(struct ib *b)
{
	ib_timers_head(b, 2, 9);
	ib_timer(b, 0, T_SIG);
	ib_task_signal(b, 0);
}

static void build_timers_none_of_one(struct ib *b)
{
	ib_timers_head(b, 1, 9);
	ib_task_signal(b, 0);
}

static void build_timer_alone(struct ib *b)
{
	build_one_task(b);
	ib_timer(b, 0, T_SIG);
}

static void build_timer_before_signal(struct ib *b)
{
	ib_head(b);
	ib_attrs(b);
	ib_cred(b);
	ib_fd_table(b, 3, NULL, 0);
	ib_fs(b, 4, 022, "/", "/");
	ib_sighand(b, 5);
	ib_timer(b, 0, T_SIG);
	ib_signal(b, 6);
	ib_task_signal(b, 0);
}

/* After the task's signal state, among its pending signals. */
static void build_timer_after_task_signal(struct ib *b)
{
	ib_timers_head(b, 1, 9);
	ib_task_signal(b, 1);
	ib_timer(b, 0, T_SIG);
	ib_siginfo(b, SIGUSR1, 0);
}

/* Shorter than a timer. */
static void build_timer_short(struct ib *b)
{
	struct ckpt_hdr_posix_timer t = {
		.id = 0, .clock = CLOCK_MONOTONIC, .signo = T_SIG,
		.overrun = -1,
	};

	ib_timers_head(b, 1, 1);
	ib_put(b, CKPT_HDR_POSIX_TIMER, &t,
	       offsetof(struct ckpt_hdr_posix_timer, overrun_last));
	ib_task_signal(b, 0);
}

/*
 * The pending signal of a timer (CKPT_SIGINFO_TIMER) must be the one
 * that timer queues: SI_TIMER, a timer of the process (not one of
 * SIGEV_NONE), its signal, each timer's once, pending for the process
 * unless the timer signals a thread.  Only the flags format version 3
 * knows.
 */
static void build_siginfo_timer_bad_code(struct ib *b)
{
	ib_sample_timers(b);
	ib_task_signal(b, 1);
	ib_siginfo(b, T_SIG, CKPT_SIGINFO_TIMER | CKPT_SIGINFO_SHARED);
}

static void build_siginfo_timer_unknown(struct ib *b)
{
	ib_sample_timers(b);
	ib_task_signal(b, 1);
	ib_timer_siginfo(b, T_SIG, 2, CKPT_SIGINFO_TIMER | CKPT_SIGINFO_SHARED);
}

static void build_siginfo_timer_negative_id(struct ib *b)
{
	ib_sample_timers(b);
	ib_task_signal(b, 1);
	ib_timer_siginfo(b, T_SIG, -1, CKPT_SIGINFO_TIMER | CKPT_SIGINFO_SHARED);
}

static void build_siginfo_timer_sigev_none(struct ib *b)
{
	ib_sample_timers(b);
	ib_task_signal(b, 1);
	ib_timer_siginfo(b, T_SIG, 4, CKPT_SIGINFO_TIMER | CKPT_SIGINFO_SHARED);
}

static void build_siginfo_timer_wrong_signo(struct ib *b)
{
	ib_sample_timers(b);
	ib_task_signal(b, 1);
	ib_timer_siginfo(b, T_SIG_OTHER, 0,
			 CKPT_SIGINFO_TIMER | CKPT_SIGINFO_SHARED);
}

static void build_siginfo_timer_twice(struct ib *b)
{
	ib_sample_timers(b);
	ib_task_signal(b, 2);
	ib_timer_siginfo(b, T_SIG, 0, CKPT_SIGINFO_TIMER | CKPT_SIGINFO_SHARED);
	ib_timer_siginfo(b, T_SIG, 0, CKPT_SIGINFO_TIMER | CKPT_SIGINFO_SHARED);
}

/* Twice, once for the task and once for the process. */
static void build_siginfo_timer_twice_queues(struct ib *b)
{
	ib_sample_timers(b);
	ib_task_signal(b, 2);
	ib_timer_siginfo(b, T_SIG_THREAD, 3, CKPT_SIGINFO_TIMER);
	ib_timer_siginfo(b, T_SIG_THREAD, 3,
			 CKPT_SIGINFO_TIMER | CKPT_SIGINFO_SHARED);
}

static void build_siginfo_timer_thread_shared(struct ib *b)
{
	ib_sample_timers(b);
	ib_task_signal(b, 1);
	ib_timer_siginfo(b, T_SIG_THREAD, 3,
			 CKPT_SIGINFO_TIMER | CKPT_SIGINFO_SHARED);
}

static void build_siginfo_timer_process_not_shared(struct ib *b)
{
	ib_sample_timers(b);
	ib_task_signal(b, 1);
	ib_timer_siginfo(b, T_SIG, 0, CKPT_SIGINFO_TIMER);
}

/* Valid: the pending signal of a SIGEV_THREAD timer, for the process. */
static void build_siginfo_timer_sigev_thread(struct ib *b)
{
	ib_sample_timers(b);
	ib_task_signal(b, 1);
	ib_timer_siginfo(b, T_SIG_OTHER, T_ID_THREAD,
			 CKPT_SIGINFO_TIMER | CKPT_SIGINFO_SHARED);
}

/* A timer's signal in a process without timers. */
static void build_siginfo_timer_no_timers(struct ib *b)
{
	ib_pending_task(b, 1);
	ib_timer_siginfo(b, T_SIG, 0, CKPT_SIGINFO_TIMER | CKPT_SIGINFO_SHARED);
}

/* Flags no version knows, with the timer's. */
static void build_siginfo_timer_unknown_flags(struct ib *b)
{
	ib_sample_timers(b);
	ib_task_signal(b, 1);
	ib_timer_siginfo(b, T_SIG, 0, CKPT_SIGINFO_TIMER | CKPT_SIGINFO_SHARED |
			 0x80000000U);
}

/* ------------------------------------------------------------------ */
/* Format version 4: the order of tasks, their tree, groups, stops     */

/*
 * A task record of @pid (@tgid) in process group @pgid and session @sid,
 * with @flags (a zombie's wait status is 0x0900: killed by SIGKILL).  Its
 * address space, the child's sample, follows if it is a new process;
 * a thread's is its leader's (@mm).  Returns the mm's objref.
 */
static uint32_t ib_tree_task(struct ib *b, pid_t pid, pid_t tgid, pid_t ppid,
			     pid_t pgid, pid_t sid, uint32_t flags,
			     uint32_t mm)
{
	bool zombie = flags & CKPT_TASK_ZOMBIE;
	struct ckpt_hdr_task *t;

	if (zombie)
		mm = 0;
	else if (pid == tgid)
		mm = b->max_obj + 1;
	t = ib_task(b, pid, tgid, ppid, mm, flags, zombie ? 0x0009 : 0);
	if (t) {
		t->pgid = pgid;
		t->sid = sid;
		if (flags & CKPT_TASK_STOPPED)
			t->stop_signo = SIGSTOP;
	}
	if (zombie)
		return 0;
	if (pid == tgid)
		ib_kid_mm(b, mm);
	ib_live_rest(b, tgid);
	return mm;
}

/*
 * Valid: version 3's order for the first task, its address space before
 * its task record, which restart still takes (for the first task only).
 */
static void build_old_order_one_task(struct ib *b)
{
	ib_file(b, 1, "/sbin/init");
	ib_sample_mm(b, 1, 2);
	ib_live_task(b, 1, 1, 0, 2);
}

/* ...and then a child in version 4's order. */
static void build_old_order_then_child(struct ib *b)
{
	build_old_order_one_task(b);
	ib_kid(b, 2, 1);
}

/* Version 3's order for a second task. */
static void build_old_order_second_task(struct ib *b)
{
	uint32_t mm;

	build_one_task(b);
	mm = b->max_obj + 1;
	ib_kid_mm(b, mm);
	ib_live_task(b, 2, 2, 1, mm);
}

/* Two address spaces before the first task. */
static void build_old_order_two_mms(struct ib *b)
{
	ib_file(b, 1, "/sbin/init");
	ib_sample_mm(b, 1, 2);
	ib_kid_mm(b, 3);
	ib_live_task(b, 1, 1, 0, 2);
	ib_live_task(b, 4, 4, 1, 3);
}

/* An address space before the first task, and not the first task's. */
static void build_old_order_not_its_mm(struct ib *b)
{
	ib_file(b, 1, "/sbin/init");
	ib_sample_mm(b, 1, 2);
	ib_task(b, 1, 1, 0, 3, 0, 0);
	ib_kid_mm(b, 3);
	ib_live_rest(b, 1);
}

/* A task record of version 3 (64 bytes): too short in version 4. */
static void build_task_v3_length(struct ib *b)
{
	struct ckpt_hdr_task t = {
		.pid = 1, .tgid = 1, .exit_signal = SIGCHLD, .mm_objref = 2,
		.comm = "version-3",
	};

	ib_file(b, 1, "/sbin/init");
	ib_put(b, CKPT_HDR_TASK, &t, CKPT_TASK_V3_SIZE);
	ib_sample_mm(b, 1, 2);
	ib_live_rest(b, 1);
}

/* A new process whose address space is not the next object. */
static void build_task_mm_not_next(struct ib *b)
{
	uint32_t mm;

	build_one_task(b);
	mm = b->max_obj + 2;
	ib_task(b, 2, 2, 1, mm, 0, 0);
	ib_kid_mm(b, mm);
	ib_live_rest(b, 2);
}

/* A new process whose address space does not follow. */
static void build_task_mm_missing(struct ib *b)
{
	build_one_task(b);
	ib_task(b, 2, 2, 1, b->max_obj + 1, 0, 0);
	ib_live_rest(b, 2);
}

/* An address space that follows another (a thread's) task record. */
static void build_task_mm_after_thread(struct ib *b)
{
	build_one_task(b);
	ib_task(b, 2, 1, 0, 2, 0, 0);
	ib_kid_mm(b, b->max_obj + 1);
	ib_live_rest(b, 1);
}

/*
 * Valid: a deep tree, each process of its own memory, the first task of
 * each process before its threads and children: 1, its child 2, whose
 * child 3 has a thread 4 and a child 5, whose child 6 exited (a zombie
 * of 5's); 7, another child of 1, with SIGUSR2 as exit signal.
 */
static void build_tree_deep(struct ib *b)
{
	struct ckpt_hdr_task *t;
	uint32_t mm;

	build_one_task(b);
	ib_tree_task(b, 2, 2, 1, 0, 0, 0, 0);
	mm = ib_tree_task(b, 3, 3, 2, 0, 0, 0, 0);
	ib_tree_task(b, 4, 3, 2, 0, 0, 0, mm);
	ib_tree_task(b, 5, 5, 3, 0, 0, 0, 0);
	ib_tree_task(b, 6, 6, 5, 0, 0, CKPT_TASK_ZOMBIE, 0);
	mm = b->max_obj + 1;
	t = ib_task(b, 7, 7, 1, mm, 0, 0);
	if (t)
		t->exit_signal = SIGUSR2;
	ib_kid_mm(b, mm);
	ib_live_rest(b, 7);
}

/*
 * Valid: process groups and sessions.  1 in the group and session
 * outside (0); 2 a session leader (setsid()), with a thread 3 and a
 * child 4 that leads a group of its own in that session, and a zombie
 * 5 in it; 6, a child of 1, in group 9, whose leader is gone, of the
 * session outside; 7, a child of 1, in group and session 8, whose
 * leader is gone too, and 10 in a group of its own in session 8.
 */
static void build_tree_groups(struct ib *b)
{
	uint32_t mm;

	build_one_task(b);
	mm = ib_tree_task(b, 2, 2, 1, 2, 2, 0, 0);
	ib_tree_task(b, 3, 2, 1, 2, 2, 0, mm);
	ib_tree_task(b, 4, 4, 2, 4, 2, 0, 0);
	ib_tree_task(b, 5, 5, 2, 2, 2, CKPT_TASK_ZOMBIE, 0);
	ib_tree_task(b, 6, 6, 1, 9, 0, 0, 0);
	ib_tree_task(b, 7, 7, 1, 8, 8, 0, 0);
	ib_tree_task(b, 10, 10, 1, 10, 8, 0, 0);
}

/*
 * Valid: stopped processes: 2 by SIGSTOP (its parent has not seen it
 * yet), with its thread 3; 4 by SIGTSTP, seen.
 */
static void build_tree_stopped(struct ib *b)
{
	struct ckpt_hdr_task *t;
	uint32_t mm;

	build_one_task(b);
	mm = ib_tree_task(b, 2, 2, 1, 0, 0,
			  CKPT_TASK_STOPPED | CKPT_TASK_STOP_UNREPORTED, 0);
	ib_tree_task(b, 3, 2, 1, 0, 0,
		     CKPT_TASK_STOPPED | CKPT_TASK_STOP_UNREPORTED, mm);
	mm = b->max_obj + 1;
	t = ib_task(b, 4, 4, 1, mm, CKPT_TASK_STOPPED, 0);
	if (t)
		t->stop_signo = SIGTSTP;
	ib_kid_mm(b, mm);
	ib_live_rest(b, 4);
}

/* Parents: none in the image, later, a zombie, a thread, outside. */
static void build_tree_parent_missing(struct ib *b)
{
	build_one_task(b);
	ib_tree_task(b, 2, 2, 9, 0, 0, 0, 0);
}

static void build_tree_parent_later(struct ib *b)
{
	build_one_task(b);
	ib_tree_task(b, 2, 2, 3, 0, 0, 0, 0);
	ib_tree_task(b, 3, 3, 1, 0, 0, 0, 0);
}

static void build_tree_parent_zombie(struct ib *b)
{
	build_one_task(b);
	ib_tree_task(b, 2, 2, 1, 0, 0, CKPT_TASK_ZOMBIE, 0);
	ib_tree_task(b, 3, 3, 2, 0, 0, 0, 0);
}

static void build_tree_parent_thread(struct ib *b)
{
	build_one_task(b);
	ib_tree_task(b, 2, 1, 0, 0, 0, 0, 2);
	ib_tree_task(b, 3, 3, 2, 0, 0, 0, 0);
}

/* A second process with no parent in the image: a second root. */
static void build_tree_second_root(struct ib *b)
{
	build_one_task(b);
	ib_tree_task(b, 2, 2, 0, 0, 0, 0, 0);
}

/* The init with a parent. */
static void build_tree_root_parent(struct ib *b)
{
	struct ckpt_hdr_task *t;

	ib_file(b, 1, "/sbin/init");
	t = ib_task(b, 1, 1, 0, 2, 0, 0);
	if (t)
		t->ppid = 5;
	ib_sample_mm(b, 1, 2);
	ib_live_rest(b, 1);
}

/* A thread first. */
static void build_tree_root_thread(struct ib *b)
{
	ib_file(b, 1, "/sbin/init");
	ib_task(b, 2, 1, 0, 2, 0, 0);
	ib_sample_mm(b, 1, 2);
	ib_live_rest(b, 1);
}

/* Pids: a process twice, a thread of a pid taken. */
static void build_tree_duplicate_pid(struct ib *b)
{
	build_one_task(b);
	ib_tree_task(b, 2, 2, 1, 0, 0, 0, 0);
	ib_tree_task(b, 2, 2, 1, 0, 0, 0, 0);
}

static void build_tree_duplicate_tid(struct ib *b)
{
	uint32_t mm;

	build_one_task(b);
	mm = ib_tree_task(b, 2, 2, 1, 0, 0, 0, 0);
	ib_tree_task(b, 1, 2, 1, 0, 0, 0, mm);
}

/* Threads: of a zombie, of a process not in the image, before it. */
static void build_tree_thread_leader_zombie(struct ib *b)
{
	build_one_task(b);
	ib_tree_task(b, 2, 2, 1, 0, 0, CKPT_TASK_ZOMBIE, 0);
	ib_tree_task(b, 3, 2, 1, 0, 0, 0, 2);
}

static void build_tree_thread_leader_missing(struct ib *b)
{
	build_one_task(b);
	ib_tree_task(b, 3, 7, 1, 0, 0, 0, 2);
}

static void build_tree_thread_before_leader(struct ib *b)
{
	build_one_task(b);
	ib_tree_task(b, 3, 4, 1, 0, 0, 0, 2);
	ib_tree_task(b, 4, 4, 1, 0, 0, 0, 0);
}

/* Process groups and sessions: negative. */
static void build_tree_pgid_negative(struct ib *b)
{
	build_one_task(b);
	ib_tree_task(b, 2, 2, 1, -2, 0, 0, 0);
}

static void build_tree_sid_negative(struct ib *b)
{
	build_one_task(b);
	ib_tree_task(b, 2, 2, 1, 2, -1, 0, 0);
}

static void build_tree_zombie_pgid_negative(struct ib *b)
{
	build_one_task(b);
	ib_tree_task(b, 2, 2, 1, INT_MIN, 0, CKPT_TASK_ZOMBIE, 0);
}

/*
 * What only a real tree has, which the userspace reader checks (restart
 * need not): a thread in its leader's group and session, a session
 * leader leading its group, a group in one session, a group outside in
 * the session outside; a thread's exit signal -1.
 */
static void build_tree_thread_other_group(struct ib *b)
{
	uint32_t mm;

	build_one_task(b);
	mm = ib_tree_task(b, 2, 2, 1, 2, 0, 0, 0);
	ib_tree_task(b, 3, 2, 1, 3, 0, 0, mm);
}

static void build_tree_session_leader_in_other_group(struct ib *b)
{
	build_one_task(b);
	ib_tree_task(b, 2, 2, 1, 0, 2, 0, 0);
}

static void build_tree_group_in_two_sessions(struct ib *b)
{
	build_one_task(b);
	ib_tree_task(b, 2, 2, 1, 2, 2, 0, 0);
	ib_tree_task(b, 3, 3, 1, 2, 0, 0, 0);
}

static void build_tree_thread_exit_signal(struct ib *b)
{
	struct ckpt_hdr_task *t;

	build_one_task(b);
	t = ib_task(b, 2, 1, 0, 2, 0, 0);
	if (t)
		t->exit_signal = SIGCHLD;
	ib_live_rest(b, 1);
}

/* The stop: its flags and signal. */
static void ib_stop_task(struct ib *b, uint32_t flags, uint32_t signo)
{
	struct ckpt_hdr_task *t;
	uint32_t mm;

	build_one_task(b);
	mm = b->max_obj + 1;
	t = ib_task(b, 2, 2, 1, mm, flags, 0);
	if (t)
		t->stop_signo = signo;
	ib_kid_mm(b, mm);
	ib_live_rest(b, 2);
}

#define STOP_CASE(name, flags, signo)					\
	static void build_##name(struct ib *b)				\
	{								\
		ib_stop_task(b, flags, signo);				\
	}

STOP_CASE(stop_sigttin, CKPT_TASK_STOPPED, SIGTTIN)
STOP_CASE(stop_sigttou_unreported,
	  CKPT_TASK_STOPPED | CKPT_TASK_STOP_UNREPORTED, SIGTTOU)
STOP_CASE(stop_no_signal, CKPT_TASK_STOPPED, 0)
STOP_CASE(stop_sigkill, CKPT_TASK_STOPPED, SIGKILL)
STOP_CASE(stop_sigcont, CKPT_TASK_STOPPED, SIGCONT)
STOP_CASE(stop_signal_65, CKPT_TASK_STOPPED, 65)
STOP_CASE(stop_signal_unstopped, 0, SIGSTOP)
STOP_CASE(stop_unreported_unstopped, CKPT_TASK_STOP_UNREPORTED, 0)
STOP_CASE(task_unknown_flag, 1U << 3, 0)
STOP_CASE(task_high_flag, 1U << 31, 0)

/* A zombie is not stopped. */
static void build_stop_zombie(struct ib *b)
{
	struct ckpt_hdr_task *t;

	build_one_task(b);
	t = ib_task(b, 2, 2, 1, 0, CKPT_TASK_ZOMBIE | CKPT_TASK_STOPPED, 9);
	if (t)
		t->stop_signo = SIGSTOP;
}

/* The reserved field after the stop. */
static void build_task_reserved2(struct ib *b)
{
	struct ckpt_hdr_task *t;

	ib_file(b, 1, "/sbin/init");
	t = ib_task(b, 1, 1, 0, 2, 0, 0);
	if (t)
		t->reserved2 = 1;
	ib_sample_mm(b, 1, 2);
	ib_live_rest(b, 1);
}

/* A POSIX timer that signals one of the process's threads (a later task). */
static void build_timer_tid_thread(struct ib *b)
{
	struct ckpt_hdr_posix_timer *pt;
	struct ckpt_hdr_signal *s;

	ib_file(b, 1, "/sbin/init");
	ib_task(b, 1, 1, 0, 2, 0, 0);
	ib_sample_mm(b, 1, 2);
	ib_regs(b);
	ib_xstate(b, CKPT_XSAVE_MIN);
	ib_attrs(b);
	ib_cred(b);
	b->proc[1].fdt = 3;
	ib_fd_table(b, 3, NULL, 0);
	b->proc[1].fs = 4;
	ib_fs(b, 4, 022, "/", "/");
	b->proc[1].sighand = 5;
	ib_sighand(b, 5);
	b->proc[1].signal = 6;
	s = ib_signal(b, 6);
	if (s) {
		s->nr_posix_timers = 1;
		s->next_posix_timer_id = 1;
	}
	pt = ib_timer(b, 0, T_SIG);
	if (pt) {
		pt->notify = SIGEV_SIGNAL | SIGEV_THREAD_ID;
		pt->notify_tid = 2;
	}
	ib_task_signal(b, 0);
	ib_live_task(b, 2, 1, 0, 2);
}

/* ------------------------------------------------------------------ */
/* Format version 4: the namespaces record, epoll files, external files */

/* The namespaces record that ib_begin() put after the header. */
static struct ckpt_hdr_namespaces *ib_ns(struct ib *b)
{
	return (struct ckpt_hdr_namespaces *)(b->buf + CKPT_HDR_SIZE);
}

/* Take the namespaces record out of the image (it is never written). */
static void ib_drop_ns(struct ib *b)
{
	if (b->oom)
		return;
	memmove(b->buf + CKPT_HDR_SIZE, b->buf + CKPT_IMAGE_BODY,
		b->len - CKPT_IMAGE_BODY);
	b->len -= CKPT_NS_SIZE;
	b->records--;
}

/* A container of its own UTS and IPC namespaces, with their names. */
static void build_ns_uts_ipc(struct ib *b)
{
	struct ckpt_hdr_namespaces *ns = ib_ns(b);

	ns->flags = CKPT_NS_UTS | CKPT_NS_IPC;
	strcpy(ns->hostname, "crafted-host");
	strcpy(ns->domainname, "crafted.domain");
	build_one_task(b);
}

/* Of its own IPC namespace only; of its own UTS one, named "". */
static void build_ns_ipc(struct ib *b)
{
	ib_ns(b)->flags = CKPT_NS_IPC;
	build_one_task(b);
}

static void build_ns_uts_unnamed(struct ib *b)
{
	ib_ns(b)->flags = CKPT_NS_UTS;
	build_one_task(b);
}

static void build_ns_missing(struct ib *b)
{
	ib_drop_ns(b);
	build_one_task(b);
}

/* The namespaces record after the first file, not right after the header. */
static void build_ns_after_file(struct ib *b)
{
	ib_drop_ns(b);
	ib_file(b, 1, "/sbin/init");
	ib_namespaces(b, 0, NULL, NULL);
	ib_task(b, 1, 1, 0, 2, 0, 0);
	ib_sample_mm(b, 1, 2);
	ib_live_rest(b, 1);
}

static void build_ns_twice(struct ib *b)
{
	ib_namespaces(b, 0, NULL, NULL);
	build_one_task(b);
}

/* A second one later, before a task. */
static void build_ns_before_task(struct ib *b)
{
	ib_file(b, 1, "/sbin/init");
	ib_namespaces(b, 0, NULL, NULL);
	ib_task(b, 1, 1, 0, 2, 0, 0);
	ib_sample_mm(b, 1, 2);
	ib_live_rest(b, 1);
}

static void build_ns_bad_flags(struct ib *b)
{
	ib_ns(b)->flags = CKPT_NS_UTS | 4;
	build_one_task(b);
}

static void build_ns_high_flag(struct ib *b)
{
	ib_ns(b)->flags = 0x80000000U;
	build_one_task(b);
}

static void build_ns_reserved(struct ib *b)
{
	ib_ns(b)->reserved = 1;
	build_one_task(b);
}

static void build_ns_pad(struct ib *b)
{
	ib_ns(b)->pad[3] = 1;
	build_one_task(b);
}

/* Names without CKPT_NS_UTS: the restarter's names are not the image's. */
static void build_ns_hostname_without_uts(struct ib *b)
{
	ib_ns(b)->flags = CKPT_NS_IPC;
	strcpy(ib_ns(b)->hostname, "crafted-host");
	build_one_task(b);
}

static void build_ns_domainname_without_uts(struct ib *b)
{
	strcpy(ib_ns(b)->domainname, "crafted.domain");
	build_one_task(b);
}

static void build_ns_hostname_unterminated(struct ib *b)
{
	ib_ns(b)->flags = CKPT_NS_UTS;
	memset(ib_ns(b)->hostname, 'h', CKPT_UTS_LEN);
	build_one_task(b);
}

static void build_ns_domainname_unterminated(struct ib *b)
{
	ib_ns(b)->flags = CKPT_NS_UTS;
	memset(ib_ns(b)->domainname, 'd', CKPT_UTS_LEN);
	build_one_task(b);
}

/* Bytes after the NUL of a name. */
static void build_ns_hostname_not_padded(struct ib *b)
{
	ib_ns(b)->flags = CKPT_NS_UTS;
	strcpy(ib_ns(b)->hostname, "host");
	ib_ns(b)->hostname[40] = 'x';
	build_one_task(b);
}

static void build_ns_short(struct ib *b)
{
	struct ckpt_hdr_namespaces *ns = ib_ns(b);

	/* 144 bytes: the padding cut off; the rest follows, 8-aligned */
	ns->h.len = CKPT_NS_SIZE - 8;
	memmove((uint8_t *)ns + CKPT_NS_SIZE - 8, (uint8_t *)ns + CKPT_NS_SIZE,
		b->len - CKPT_IMAGE_BODY);
	b->len -= 8;
	build_one_task(b);
}

/*
 * Epoll files.  A task whose fds hold:
 *   1  /dev/null, at 0-2
 *   2  a pipe, 64 KiB, empty
 *   3  its read end, at 3
 *   4  its write end, at 4
 *   5  an epoll file (O_RDWR), at 5, close-on-exec: it watches fd 3 for
 *      EPOLLIN | EPOLLET and fd 4 for EPOLLOUT | EPOLLONESHOT
 *   6  another (O_RDWR | O_NONBLOCK | O_CLOEXEC), at 6, watching nothing
 * then the executable (7) and the task with its memory (8), fd table
 * (9), fs (10), handlers (11) and signal state (12).  The items of each
 * epoll file after the files of the task's fds, before the task.  @how
 * breaks one thing.
 */
enum ep_how {
	EP_OK, EP_NO_ITEMS, EP_ITEMS_TWICE, EP_ITEMS_OF_PIPE,
	EP_ITEMS_UNDEFINED, EP_ITEMS_AFTER_TASK, EP_WATCHES_EPOLL,
	EP_BAD_EVENTS, EP_FD_TOO_BIG, EP_RESERVED, EP_UNKNOWN_FILE,
	EP_COUNT_ABOVE, EP_COUNT_BELOW, EP_FILE_RDONLY, EP_FILE_APPEND,
	EP_FILE_POS, EP_FILE_STRING, EP_FD_NOT_OPEN, EP_FD_OTHER_FILE,
};

#define EP_DATA		0x1122334455667788ULL

static void build_epoll_how(struct ib *b, enum ep_how how)
{
	struct ckpt_epoll_item items[3] = {
		{ .fd = 3, .file_objref = 3, .events = EPOLLIN | EPOLLET,
		  .data = EP_DATA },
		{ .fd = 4, .file_objref = 4,
		  .events = EPOLLOUT | EPOLLONESHOT, .data = 7 },
		{ .fd = 6, .file_objref = 6, .events = EPOLLIN },
	};
	static const struct ckpt_fd fds[] = {
		FD(0, 1, 0), FD(1, 1, 0), FD(2, 1, 0), FD(3, 3, 0), FD(4, 4, 0),
		FD(5, 5, CKPT_FD_CLOEXEC), FD(6, 6, 0),
	};
	uint32_t nr = 2, in_record = 2, objref = 5;
	struct ckpt_hdr_file *f;
	struct ckpt_hdr_task *t;

	switch (how) {
	case EP_WATCHES_EPOLL:	nr = in_record = 3; break;
	case EP_BAD_EVENTS:	items[1].events |= 0x800; break;
	case EP_FD_TOO_BIG:	items[0].fd = CKPT_FDS_MAX; break;
	case EP_RESERVED:	items[1].reserved = 1; break;
	case EP_UNKNOWN_FILE:	items[1].file_objref = 99; break;
	case EP_COUNT_ABOVE:	nr = 3; break;
	case EP_COUNT_BELOW:	nr = 1; break;
	case EP_ITEMS_OF_PIPE:	objref = 3; break;
	case EP_ITEMS_UNDEFINED: objref = 99; break;
	case EP_FD_NOT_OPEN:	items[1].fd = 9; break;
	case EP_FD_OTHER_FILE:	items[1].file_objref = 3; break;
	default:		break;
	}
	ib_file_rec(b, 1, CKPT_FILE_CHR, O_RDWR | 0100000);
	ib_string(b, "/dev/null", sizeof("/dev/null"));
	ib_pipe(b, 2, 65536, 0);
	ib_pipe_end(b, 3, 2, O_RDONLY);
	ib_pipe_end(b, 4, 2, O_WRONLY);
	f = ib_epoll_file(b, 5, how == EP_FILE_RDONLY ? O_RDONLY :
			  how == EP_FILE_APPEND ? O_RDWR | O_APPEND : O_RDWR);
	if (f && how == EP_FILE_POS)
		f->pos = 1;
	if (how == EP_FILE_STRING)
		ib_string(b, "anon_inode:[eventpoll]",
			  sizeof("anon_inode:[eventpoll]"));
	ib_epoll_file(b, 6, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (how != EP_ITEMS_AFTER_TASK)
		ib_epoll_ex(b, objref, items, nr, in_record);
	if (how == EP_ITEMS_TWICE)
		ib_epoll(b, 5, items, 2);
	if (how != EP_NO_ITEMS)
		ib_epoll(b, 6, NULL, 0);
	ib_file(b, 7, "/sbin/init");
	t = ib_task(b, 1, 1, 0, 8, 0, 0);
	if (t)
		t->nr_files = ARRAY_SIZE(fds);
	ib_sample_mm(b, 7, 8);
	ib_regs(b);
	ib_xstate(b, CKPT_XSAVE_MIN);
	ib_attrs(b);
	ib_cred(b);
	ib_fd_table(b, 9, fds, ARRAY_SIZE(fds));
	ib_fds_rest_at(b, 10);
	if (how == EP_ITEMS_AFTER_TASK)
		ib_epoll(b, 5, items, 2);
}

#define EPOLL_BUILDER(name, how)					\
	static void build_##name(struct ib *b)				\
	{								\
		build_epoll_how(b, how);				\
	}

EPOLL_BUILDER(epoll, EP_OK)
EPOLL_BUILDER(epoll_no_items, EP_NO_ITEMS)
EPOLL_BUILDER(epoll_items_twice, EP_ITEMS_TWICE)
EPOLL_BUILDER(epoll_items_of_pipe, EP_ITEMS_OF_PIPE)
EPOLL_BUILDER(epoll_items_undefined, EP_ITEMS_UNDEFINED)
EPOLL_BUILDER(epoll_items_after_task, EP_ITEMS_AFTER_TASK)
EPOLL_BUILDER(epoll_watches_epoll, EP_WATCHES_EPOLL)
EPOLL_BUILDER(epoll_bad_events, EP_BAD_EVENTS)
EPOLL_BUILDER(epoll_fd_too_big, EP_FD_TOO_BIG)
EPOLL_BUILDER(epoll_item_reserved, EP_RESERVED)
EPOLL_BUILDER(epoll_item_unknown_file, EP_UNKNOWN_FILE)
EPOLL_BUILDER(epoll_count_above, EP_COUNT_ABOVE)
EPOLL_BUILDER(epoll_count_below, EP_COUNT_BELOW)
EPOLL_BUILDER(epoll_file_rdonly, EP_FILE_RDONLY)
EPOLL_BUILDER(epoll_file_append, EP_FILE_APPEND)
EPOLL_BUILDER(epoll_file_pos, EP_FILE_POS)
EPOLL_BUILDER(epoll_file_string, EP_FILE_STRING)
EPOLL_BUILDER(epoll_fd_not_open, EP_FD_NOT_OPEN)
EPOLL_BUILDER(epoll_fd_other_file, EP_FD_OTHER_FILE)

/*
 * External files.  A task whose fds hold:
 *   1  external, read-only, at 0: "/dev/pts/0"
 *   2  external, write-only, at 1 and 2: "pipe:[4242]"
 *   3  /dev/null, at 3
 * then the executable (4) and the task with its memory (5), fd table
 * (6), fs (7), handlers (8) and signal state (9).  @how breaks one thing.
 */
enum ex_how {
	EX_OK, EX_ACCMODE, EX_APPEND, EX_NONBLOCK, EX_FD_TOO_BIG, EX_POS,
	EX_SIZE, EX_NO_STRING, EX_PIPE_OBJREF, EX_SEALS, EX_FD_NOT_FIRST,
	EX_NOT_AT_FD,
};

static void build_external_how(struct ib *b, enum ex_how how)
{
	static const struct ckpt_fd fds[] = {
		FD(0, 1, 0), FD(1, 2, 0), FD(2, 2, 0), FD(3, 3, 0),
	};
	/* file 2 at no fd */
	static const struct ckpt_fd fds_without[] = {
		FD(0, 1, 0), FD(1, 3, 0), FD(2, 3, 0), FD(3, 3, 0),
	};
	struct ckpt_hdr_file *f;
	struct ckpt_hdr_task *t;

	ib_external(b, 1, O_RDONLY, 0, "/dev/pts/0");
	f = ib_file_rec(b, 2, CKPT_FILE_EXTERNAL,
			how == EX_ACCMODE ? O_ACCMODE :
			how == EX_APPEND ? O_WRONLY | O_APPEND :
			how == EX_NONBLOCK ? O_WRONLY | O_NONBLOCK : O_WRONLY);
	if (f) {
		f->fd = how == EX_FD_TOO_BIG ? CKPT_FDS_MAX :
			how == EX_FD_NOT_FIRST ? 2 : 1;
		f->pos = how == EX_POS ? 5 : 0;
		f->size = how == EX_SIZE ? 4096 : 0;
		f->pipe_objref = how == EX_PIPE_OBJREF ? 1 : 0;
		f->seals = how == EX_SEALS ? 1 : 0;
	}
	if (how != EX_NO_STRING)
		ib_string(b, "pipe:[4242]", sizeof("pipe:[4242]"));
	ib_file_rec(b, 3, CKPT_FILE_CHR, O_RDWR | 0100000);
	ib_string(b, "/dev/null", sizeof("/dev/null"));
	ib_file(b, 4, "/sbin/init");
	t = ib_task(b, 1, 1, 0, 5, 0, 0);
	if (t)
		t->nr_files = ARRAY_SIZE(fds);
	ib_sample_mm(b, 4, 5);
	ib_regs(b);
	ib_xstate(b, CKPT_XSAVE_MIN);
	ib_attrs(b);
	ib_cred(b);
	ib_fd_table(b, 6, how == EX_NOT_AT_FD ? fds_without : fds,
		    ARRAY_SIZE(fds));
	ib_fds_rest_at(b, 7);
}

#define EXTERNAL_BUILDER(name, how)					\
	static void build_##name(struct ib *b)				\
	{								\
		build_external_how(b, how);				\
	}

EXTERNAL_BUILDER(external, EX_OK)
EXTERNAL_BUILDER(external_accmode, EX_ACCMODE)
EXTERNAL_BUILDER(external_append, EX_APPEND)
EXTERNAL_BUILDER(external_nonblock, EX_NONBLOCK)
EXTERNAL_BUILDER(external_fd_too_big, EX_FD_TOO_BIG)
EXTERNAL_BUILDER(external_pos, EX_POS)
EXTERNAL_BUILDER(external_size, EX_SIZE)
EXTERNAL_BUILDER(external_no_string, EX_NO_STRING)
EXTERNAL_BUILDER(external_pipe_objref, EX_PIPE_OBJREF)
EXTERNAL_BUILDER(external_seals, EX_SEALS)
EXTERNAL_BUILDER(external_fd_not_first, EX_FD_NOT_FIRST)
EXTERNAL_BUILDER(external_not_at_fd, EX_NOT_AT_FD)

struct crafted {
	const char *name;
	void (*build)(struct ib *b);
	int err;		/* restart(2) dry run: 0 or the errno */
	const char *words;	/* in the reason, or NULL */
	bool model_ok;		/* the userspace reader accepts it */
};

#define CRAFTED_OK(fn, model)	{ #fn, build_##fn, 0, NULL, model }
#define CRAFTED(fn, words)	{ #fn, build_##fn, EBADMSG, words, false }
/* Valid images that restart refuses for now (dry run included). */
#define CRAFTED_ERR(fn, err, words) { #fn, build_##fn, err, words, true }
/* Refused by the userspace reader only (restart need not check it). */
#define CRAFTED_MODEL(fn)	{ #fn, build_##fn, -1, NULL, false }

static const struct crafted crafted[] = {
	CRAFTED_OK(one_task, true),
	/* Threads share their fd table, fs, handlers, signal state. */
	CRAFTED_OK(tree, true),
	CRAFTED_OK(tree_processes, true),
	/* The userspace reader wants records of the exact size. */
	CRAFTED_OK(extended, false),
	CRAFTED(pages_before_mm, "outside an address space"),
	CRAFTED(pages_after_task, "outside an address space"),
	CRAFTED(pages_after_file, NULL),
	CRAFTED(vma_overlap, "bad bounds"),
	CRAFTED(vma_unsorted, "bad bounds"),
	CRAFTED(vma_missing, "expected"),
	CRAFTED(vma_undefined_file, "unknown object 9"),
	CRAFTED(page_outside_vma, "page at 0x604000"),
	CRAFTED(page_in_vdso, "page at 0x7ffff7ff0000"),
	CRAFTED(page_unaligned, "page at 0x600010"),
	CRAFTED(pages_not_increasing, "page at 0x601000"),
	CRAFTED(task_undefined_mm, NULL),
	CRAFTED(task_mm_is_file, NULL),
	CRAFTED(objref_out_of_order, "out of order"),
	CRAFTED(objref_twice, NULL),
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
	/* The state of a live task (format version 2; 3: TLS, timers). */
	CRAFTED_OK(fds_and_pipes, true),
	CRAFTED_OK(restart_block, true),
	CRAFTED_OK(memfd, true),
	CRAFTED_OK(memfd_empty, true),
	CRAFTED(memfd_pages_missing, "expected"),
	CRAFTED_OK(shmem, true),
	CRAFTED_OK(ipc, true),
	CRAFTED_OK(ipc_rdonly, true),
	CRAFTED(ipc_without_ns, "out of place"),
	CRAFTED(ipc_after_file, "out of place"),
	CRAFTED(ipc_ids_decreasing, "bad id"),
	CRAFTED(ipc_sem_value, "a value above"),
	CRAFTED(ipc_msg_type, "a type not above 0"),
	CRAFTED(ipc_dest_key, "bad flags, size or key"),
	CRAFTED(ipc_vma_short, "not the size of the SysV segment"),
	CRAFTED(ipc_vma_rdonly_write, "another protection than shmat"),
	CRAFTED_OK(shmem_private, true),
	CRAFTED(shmem_bad_name, "bad name"),
	CRAFTED(shmem_bad_flags, "bad name, flags"),
	CRAFTED(shmem_page_past_end, "out of order or of the file"),
	CRAFTED(memfd_more_missing, "expected"),
	CRAFTED(memfd_page_past_end, NULL),
	CRAFTED(memfd_pages_not_increasing, NULL),
	CRAFTED(memfd_page_unaligned, NULL),
	CRAFTED(memfd_pages_other_file, NULL),
	CRAFTED(memfd_bad_name, NULL),
	CRAFTED(memfd_bad_seals, NULL),
	CRAFTED(memfd_pages_alone, NULL),
	CRAFTED(file_seals, NULL),
	CRAFTED(siginfo_sigkill, NULL),
	CRAFTED(altstack_tiny, NULL),
	CRAFTED(altstack_no_size, NULL),
	CRAFTED(attrs_rseq_unaligned, NULL),
	CRAFTED_OK(restart_block_futex, true),
	CRAFTED_OK(restart_block_futex_abs, true),
	CRAFTED(restart_block_futex_no_bitset, NULL),
	CRAFTED(restart_block_futex_abs_monotonic, NULL),
	CRAFTED(restart_block_futex_clockrt_relative, NULL),
	CRAFTED(restart_block_futex_unaligned, NULL),
	CRAFTED(restart_block_futex_bad_flags, NULL),
	CRAFTED(restart_block_nanosleep_bitset, NULL),
	CRAFTED(restart_block_compat, NULL),
	CRAFTED(state_missing_attrs, "expected"),
	CRAFTED(state_missing_cred, "expected"),
	CRAFTED(state_missing_fd_table, "expected"),
	CRAFTED(state_missing_fs, "expected"),
	CRAFTED(state_missing_sighand, "expected"),
	CRAFTED(state_missing_signal, "expected"),
	CRAFTED(state_missing_task_signal, "expected"),
	CRAFTED(state_missing_siginfo, "expected"),
	CRAFTED(state_cred_before_attrs, "expected"),
	CRAFTED(state_signal_before_sighand, "expected"),
	CRAFTED(state_fs_before_fd_table, "expected"),
	CRAFTED(state_before_cpu, "expected"),
	CRAFTED(state_after_zombie, NULL),
	CRAFTED(state_without_task, NULL),
	CRAFTED(state_twice, NULL),
	CRAFTED(siginfo_unannounced, NULL),
	CRAFTED(file_bad_type, NULL),
	CRAFTED(pipe_end_unknown_pipe, "unknown object 9"),
	CRAFTED(pipe_end_before_pipe, "unknown object 3"),
	CRAFTED(pipe_end_names_file, "unknown object 1"),
	CRAFTED(pipe_end_with_string, NULL),
	CRAFTED(pipe_len_above_size, NULL),
	CRAFTED(pipe_size_too_big, NULL),
	CRAFTED(pipe_len_mismatch, NULL),
	CRAFTED(fd_table_unknown_file, "unknown object 99"),
	CRAFTED(fd_table_file_is_mm, "unknown object 7"),
	CRAFTED(fd_table_file_is_pipe, "unknown object 4"),
	CRAFTED(fd_table_decreasing, NULL),
	CRAFTED(fd_table_duplicate, NULL),
	CRAFTED(fd_table_bad_flags, NULL),
	CRAFTED(fd_table_fd_too_big, NULL),
	CRAFTED(fd_table_nr_files_mismatch, NULL),
	CRAFTED(fd_table_too_many, NULL),
	CRAFTED(fd_table_objref_of_file, NULL),
	CRAFTED(fd_table_shared_with_entries, NULL),
	CRAFTED(fs_without_strings, "expected"),
	CRAFTED(fs_one_string, "expected"),
	CRAFTED(fs_relative_root, "not absolute"),
	CRAFTED(fs_relative_cwd, "not absolute"),
	CRAFTED(fs_bad_umask, NULL),
	CRAFTED(sighand_nr_32, NULL),
	CRAFTED(sighand_nr_0_new, NULL),
	CRAFTED(sighand_nr_65, NULL),
	CRAFTED(sighand_short, NULL),
	CRAFTED(sighand_kernel_handler, NULL),
	CRAFTED(siginfo_signo_mismatch, NULL),
	CRAFTED(siginfo_signo_0, NULL),
	CRAFTED(siginfo_signo_65, NULL),
	CRAFTED(siginfo_bad_flags, NULL),
	CRAFTED(nr_pending_too_large, NULL),
	CRAFTED(attrs_nice_20, NULL),
	CRAFTED(attrs_nice_minus_21, NULL),
	CRAFTED(attrs_bad_policy, NULL),
	CRAFTED(attrs_bad_flags, NULL),
	CRAFTED(attrs_fifo_priority_0, NULL),
	CRAFTED(attrs_rr_priority_100, NULL),
	CRAFTED(attrs_bad_dumpable, NULL),
	CRAFTED(attrs_bad_pdeath_signal, NULL),
	CRAFTED(restart_block_unasked, "expected"),
	CRAFTED(restart_block_missing, "expected"),
	CRAFTED(restart_block_bad_kind, NULL),
	CRAFTED(cred_nr_groups_too_large, NULL),
	CRAFTED(cred_groups_short, NULL),
	CRAFTED(signal_rlimit_above_max, NULL),
	/* Format version 3: TLS descriptors. */
	CRAFTED_OK(tls_entries, true),
	CRAFTED_OK(tls_zero_entry, false),
	CRAFTED_OK(tls_unused_lm, false),
	CRAFTED_OK(tls_segment_lm, false),
	CRAFTED_OK(tls_limit_32bit, false),
	CRAFTED(tls_bad_entry_number, "TLS"),
	CRAFTED(tls_entries_swapped, "TLS"),
	CRAFTED(tls_entry_number_0, "TLS"),
	CRAFTED(tls_unknown_flags, "TLS"),
	CRAFTED(tls_high_flags, "TLS"),
	CRAFTED(tls_16bit, "TLS"),
	CRAFTED(tls_16bit_no_base, "TLS"),
	CRAFTED(tls_code, "TLS"),
	CRAFTED(tls_code_conforming, "TLS"),
	CRAFTED(tls_not_present, "TLS"),
	CRAFTED(tls_unused_with_base, "TLS"),
	CRAFTED(tls_unused_with_limit, "TLS"),
	CRAFTED(tls_missing, "expected"),
	CRAFTED(tls_twice, "expected"),
	CRAFTED(tls_before_xstate, "expected"),
	CRAFTED(tls_after_restart_block, "expected"),
	CRAFTED(tls_alone, NULL),
	CRAFTED(tls_after_zombie, NULL),
	CRAFTED(tls_short, "bad length"),
	/* Format version 3: POSIX timers and their pending signals. */
	CRAFTED_OK(posix_timers, true),
	CRAFTED_OK(posix_timer_ids_wrapped, true),
	CRAFTED_OK(siginfo_of_deleted_timer, true),
	CRAFTED_OK(siginfo_timer_sigev_thread, true),
	CRAFTED(signal_timers_too_many, "timer"),
	CRAFTED(signal_timers_all_ones, "timer"),
	CRAFTED(signal_next_id_above_int_max, "timer"),
	CRAFTED(signal_reserved, NULL),
	CRAFTED(signal_v2_length, "bad length"),
	CRAFTED(timer_id_negative, "timer"),
	CRAFTED(timer_id_int_min, "timer"),
	CRAFTED(timer_ids_equal, "timer"),
	CRAFTED(timer_ids_decreasing, "timer"),
	CRAFTED(timer_clock_process_cputime, "timer"),
	CRAFTED(timer_clock_thread_cputime, "timer"),
	CRAFTED(timer_clock_cpu_of_pid, "timer"),
	CRAFTED(timer_clock_realtime_alarm, "timer"),
	CRAFTED(timer_clock_boottime_alarm, "timer"),
	CRAFTED(timer_clock_monotonic_raw, "timer"),
	CRAFTED(timer_clock_coarse, "timer"),
	CRAFTED(timer_clock_12, "timer"),
	CRAFTED(timer_notify_3, "timer"),
	CRAFTED(timer_notify_none_thread_id, "timer"),
	CRAFTED(timer_notify_thread_thread_id, "timer"),
	CRAFTED(timer_notify_negative, "timer"),
	CRAFTED(timer_tid_other, "timer"),
	CRAFTED(timer_tid_zero, "timer"),
	CRAFTED(timer_tid_negative, "timer"),
	CRAFTED(timer_tid_without_thread_id, "timer"),
	CRAFTED(timer_tid_of_sigev_none, "timer"),
	CRAFTED(timer_signo_0, "timer"),
	CRAFTED(timer_signo_65, "timer"),
	CRAFTED(timer_thread_signo_0, "timer"),
	CRAFTED(timer_thread_id_signo_65, "timer"),
	CRAFTED(timer_reserved, "timer"),
	CRAFTED(timer_left_above_ktime_max, "timer"),
	CRAFTED(timer_left_all_ones, "timer"),
	CRAFTED(timer_interval_above_ktime_max, "timer"),
	CRAFTED(timer_overrun_below_minus_1, "timer"),
	CRAFTED(timer_overrun_int64_min, "timer"),
	CRAFTED(timer_overrun_last_negative, "timer"),
	CRAFTED(timer_short, "bad length"),
	CRAFTED(timers_extra, "expected"),
	CRAFTED(timer_unannounced, "expected"),
	CRAFTED(timers_missing, "expected"),
	CRAFTED(timers_none_of_one, "expected"),
	CRAFTED(timer_alone, NULL),
	CRAFTED(timer_before_signal, "expected"),
	CRAFTED(timer_after_task_signal, "expected"),
	CRAFTED(siginfo_timer_bad_code, "timer"),
	CRAFTED(siginfo_timer_unknown, "timer"),
	CRAFTED(siginfo_timer_negative_id, "timer"),
	CRAFTED(siginfo_timer_sigev_none, "timer"),
	CRAFTED(siginfo_timer_wrong_signo, "timer"),
	CRAFTED(siginfo_timer_twice, "timer"),
	CRAFTED(siginfo_timer_twice_queues, "timer"),
	CRAFTED(siginfo_timer_thread_shared, "timer"),
	CRAFTED(siginfo_timer_process_not_shared, "timer"),
	CRAFTED(siginfo_timer_no_timers, "timer"),
	CRAFTED(siginfo_timer_unknown_flags, NULL),
	/* Format version 4: the order of tasks, the tree, groups, stops. */
	CRAFTED_OK(old_order_one_task, true),
	CRAFTED_OK(old_order_then_child, true),
	CRAFTED(old_order_second_task, NULL),
	CRAFTED(old_order_two_mms, NULL),
	CRAFTED(old_order_not_its_mm, NULL),
	CRAFTED(task_v3_length, "bad length"),
	CRAFTED(task_mm_not_next, NULL),
	CRAFTED(task_mm_missing, "expected"),
	CRAFTED(task_mm_after_thread, NULL),
	CRAFTED_OK(tree_deep, true),
	CRAFTED_OK(tree_groups, true),
	CRAFTED_OK(tree_stopped, true),
	CRAFTED_OK(stop_sigttin, true),
	CRAFTED_OK(stop_sigttou_unreported, true),
	CRAFTED_OK(timer_tid_thread, true),
	CRAFTED(tree_parent_missing, NULL),
	CRAFTED(tree_parent_later, NULL),
	CRAFTED(tree_parent_zombie, NULL),
	CRAFTED(tree_parent_thread, NULL),
	CRAFTED(tree_second_root, NULL),
	CRAFTED(tree_root_parent, NULL),
	CRAFTED(tree_root_thread, NULL),
	CRAFTED(tree_duplicate_pid, NULL),
	CRAFTED(tree_duplicate_tid, NULL),
	CRAFTED(tree_thread_leader_zombie, NULL),
	CRAFTED(tree_thread_leader_missing, NULL),
	CRAFTED(tree_thread_before_leader, NULL),
	CRAFTED(tree_pgid_negative, NULL),
	CRAFTED(tree_sid_negative, NULL),
	CRAFTED(tree_zombie_pgid_negative, NULL),
	CRAFTED(stop_no_signal, NULL),
	CRAFTED(stop_sigkill, NULL),
	CRAFTED(stop_sigcont, NULL),
	CRAFTED(stop_signal_65, NULL),
	CRAFTED(stop_signal_unstopped, NULL),
	CRAFTED(stop_unreported_unstopped, NULL),
	CRAFTED(stop_zombie, NULL),
	CRAFTED(task_unknown_flag, NULL),
	CRAFTED(task_high_flag, NULL),
	CRAFTED(task_reserved2, NULL),
	CRAFTED_MODEL(tree_thread_other_group),
	CRAFTED_MODEL(tree_session_leader_in_other_group),
	CRAFTED_MODEL(tree_group_in_two_sessions),
	CRAFTED_MODEL(tree_thread_exit_signal),
	/* Format version 4: the namespaces record. */
	CRAFTED_OK(ns_uts_ipc, true),
	CRAFTED_OK(ns_ipc, true),
	CRAFTED_OK(ns_uts_unnamed, true),
	CRAFTED(ns_missing, "namespaces was expected"),
	CRAFTED(ns_after_file, "namespaces was expected"),
	CRAFTED(ns_twice, "namespaces out of place"),
	CRAFTED(ns_before_task, "namespaces out of place"),
	CRAFTED(ns_bad_flags, "namespaces: bad flags"),
	CRAFTED(ns_high_flag, "namespaces: bad flags"),
	CRAFTED(ns_reserved, "namespaces: bad flags"),
	CRAFTED(ns_pad, "namespaces: bad flags"),
	CRAFTED(ns_hostname_without_uts, "namespaces: bad flags"),
	CRAFTED(ns_domainname_without_uts, "namespaces: bad flags"),
	CRAFTED(ns_hostname_unterminated, "namespaces: bad flags"),
	CRAFTED(ns_domainname_unterminated, "namespaces: bad flags"),
	CRAFTED(ns_hostname_not_padded, "namespaces: bad flags"),
	CRAFTED(ns_short, "bad length"),
	/* Format version 4: epoll files and their items. */
	CRAFTED_OK(epoll, true),
	CRAFTED(epoll_no_items, "has no items record"),
	CRAFTED(epoll_items_twice, "not an epoll file, twice"),
	CRAFTED(epoll_items_of_pipe, "not an epoll file, twice"),
	CRAFTED(epoll_items_undefined, "not an epoll file, twice"),
	CRAFTED(epoll_items_after_task, "has no items record"),
	CRAFTED(epoll_watches_epoll, "bad fd, events or file"),
	CRAFTED(epoll_bad_events, "bad fd, events or file"),
	CRAFTED(epoll_fd_too_big, "bad fd, events or file"),
	CRAFTED(epoll_item_reserved, "bad fd, events or file"),
	CRAFTED(epoll_item_unknown_file, "bad fd, events or file"),
	CRAFTED(epoll_count_above, "bad count"),
	/* a longer record: the extension rule (the reader wants it exact) */
	CRAFTED_OK(epoll_count_below, false),
	CRAFTED(epoll_file_rdonly, "bad flags or fields for an epoll file"),
	CRAFTED(epoll_file_append, "bad flags or fields for an epoll file"),
	CRAFTED(epoll_file_pos, "bad flags or fields for an epoll file"),
	CRAFTED(epoll_file_string, "unknown type 3"),
	/* checked when the items are added again (not in a dry run) */
	CRAFTED_MODEL(epoll_fd_not_open),
	CRAFTED_MODEL(epoll_fd_other_file),
	/* Format version 4: external files. */
	CRAFTED_OK(external, true),
	CRAFTED(external_accmode, "external file 2: bad fd, flags"),
	CRAFTED(external_append, "external file 2: bad fd, flags"),
	CRAFTED(external_nonblock, "external file 2: bad fd, flags"),
	CRAFTED(external_fd_too_big, "external file 2: bad fd, flags"),
	CRAFTED(external_pos, "external file 2: bad fd, flags"),
	CRAFTED(external_size, "external file 2: bad fd, flags"),
	CRAFTED(external_no_string, "string was expected"),
	CRAFTED(external_pipe_objref, "file 2: bad type"),
	CRAFTED(external_seals, "file 2: bad type"),
	/* what the writer does: the fd of the first task, a file at an fd */
	CRAFTED_MODEL(external_fd_not_first),
	CRAFTED_MODEL(external_not_at_fd),
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
		/* CKPT_SELFCHECK_VERBOSE=1: what the reader says of each */
		if (getenv("CKPT_SELFCHECK_VERBOSE"))
			TH_LOG("%s: %s", c->name, ret ? m.why : "valid");
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
	/*
	 * The file, the mm, the leader's fd table, fs, handlers and signal
	 * state (3 to 6), shared by its threads; the child's mm (7), fd
	 * table, fs, handlers and signal state (8 to 11).
	 */
	ASSERT_EQ(11U, m.nr_objs);
	ASSERT_EQ(2U, m.nr_fdts);
	ASSERT_EQ(2U, m.nr_fss);
	ASSERT_EQ(2U, m.nr_sighands);
	ASSERT_EQ(2U, m.nr_signals);
	for (pid_t pid = 2; pid <= 3; pid++) {
		const struct ckpt_m_task *t = ckpt_m_task_pid(&m, pid);
		const struct ckpt_m_task *leader = ckpt_m_task_pid(&m, 1);

		ASSERT_EQ(leader->fdt, t->fdt);
		ASSERT_EQ(leader->fs, t->fs);
		ASSERT_EQ(leader->sighand, t->sighand);
		ASSERT_EQ(leader->signal, t->signal);
		ASSERT_NE(leader->fdt_rec, t->fdt_rec);
	}
	ASSERT_NE(ckpt_m_task_pid(&m, 1)->fdt, ckpt_m_task_pid(&m, 4)->fdt);
	ASSERT_STREQ("/", ckpt_m_task_pid(&m, 4)->fs->cwd);
	ASSERT_EQ(NULL, ckpt_m_task_pid(&m, 5)->fdt);
	ASSERT_EQ(NULL, ckpt_m_task_pid(&m, 5)->cred);
	ASSERT_NE(NULL, ckpt_m_task_pid(&m, 3)->cred);
	mm = ckpt_m_mm_ref(&m, 2);
	ASSERT_NE(NULL, mm);
	ASSERT_EQ(3U, mm->nr_pages);
	ASSERT_NE(NULL, ckpt_m_page_at(mm, S_ANON + 0x2000));
	ASSERT_EQ(NULL, ckpt_m_page_at(mm, S_ANON + 0x1000));
	ASSERT_EQ(2U, ckpt_m_pages_in(mm, S_ANON, S_ANON_END));
	ASSERT_EQ((__u32)CKPT_VMA_VDSO, ckpt_m_vma_at(mm, S_VDSO + 5)->kind);
	ASSERT_EQ(NULL, ckpt_m_vma_at(mm, S_ANON_END));
	ASSERT_EQ(1U, ckpt_m_mm_ref(&m, 7)->nr_pages);
	ASSERT_EQ(NULL, ckpt_m_mm_ref(&m, 1));
	ASSERT_EQ(NULL, ckpt_m_mm_ref(&m, 3));
	ASSERT_NE(NULL, ckpt_m_file_ref(&m, 1));
	ASSERT_EQ(NULL, ckpt_m_task_pid(&m, 5)->regs);
	ASSERT_NE(NULL, ckpt_m_task_pid(&m, 4)->xsave);

	/*
	 * Version 4's order: each process's address space right after its
	 * task record (its registers after its pages), the threads' their
	 * leader's; each task after its parent or leader.
	 */
	ASSERT_FALSE(m.old_order);
	for (size_t i = 0; i < m.nr_tasks; i++) {
		const struct ckpt_m_task *t = &m.tasks[i];
		bool zombie = t->rec->flags & CKPT_TASK_ZOMBIE;

		ASSERT_EQ(!zombie && t->rec->pid == t->rec->tgid,
			  t->mm_follows);
		if (t->mm_follows) {
			ASSERT_EQ(t->idx + 1, t->mm->idx);
			ASSERT_EQ(t->mm->idx + 1 + t->mm->rec->nr_vmas +
				  t->mm->nr_page_recs, t->cpu_idx);
		} else if (!zombie) {
			ASSERT_EQ(t->idx + 1, t->cpu_idx);
		}
		if (t->parent) {
			ASSERT_LT(t->parent->idx, t->idx);
		}
		ASSERT_TRUE(zombie || t->leader->mm == t->mm);
	}
	ASSERT_EQ(ckpt_m_task_pid(&m, 1), ckpt_m_task_pid(&m, 3)->leader);
	ASSERT_EQ(NULL, ckpt_m_task_pid(&m, 3)->parent);
	ASSERT_EQ(ckpt_m_task_pid(&m, 1), ckpt_m_task_pid(&m, 4)->parent);
	ASSERT_EQ(ckpt_m_task_pid(&m, 1), ckpt_m_task_pid(&m, 5)->parent);
	ASSERT_EQ(-1, ckpt_m_task_pid(&m, 2)->rec->exit_signal);
	ckpt_model_free(&m);
	ib_free(&b);

	/* Version 3's order, for the first task: its mm is before it. */
	build_image(find_crafted("old_order_then_child"), &b);
	ASSERT_EQ(0, ckpt_model_build(&m, b.buf, b.len)) {
		TH_LOG("%s", m.why);
	}
	ASSERT_TRUE(m.old_order);
	ASSERT_FALSE(m.tasks[0].mm_follows);
	ASSERT_LT(m.tasks[0].mm->idx, m.tasks[0].idx);
	ASSERT_TRUE(m.tasks[1].mm_follows);
	ckpt_model_free(&m);
	ib_free(&b);

	/* Groups and sessions, stops. */
	build_image(find_crafted("tree_groups"), &b);
	ASSERT_EQ(0, ckpt_model_build(&m, b.buf, b.len)) {
		TH_LOG("%s", m.why);
	}
	ASSERT_EQ(8U, m.nr_tasks);
	ASSERT_EQ(2, ckpt_m_task_pid(&m, 3)->rec->sid);
	ASSERT_EQ(8, ckpt_m_task_pid(&m, 10)->rec->sid);
	ASSERT_EQ(9, ckpt_m_task_pid(&m, 6)->rec->pgid);
	ckpt_model_free(&m);
	ib_free(&b);
	build_image(find_crafted("tree_stopped"), &b);
	ASSERT_EQ(0, ckpt_model_build(&m, b.buf, b.len)) {
		TH_LOG("%s", m.why);
	}
	ASSERT_EQ((__u32)SIGSTOP, ckpt_m_task_pid(&m, 3)->rec->stop_signo);
	ASSERT_EQ((__u32)SIGTSTP, ckpt_m_task_pid(&m, 4)->rec->stop_signo);
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
	int before = ckpt_nr_processes();
	const char *why;
	struct ib b;
	int got;

	ASSERT_NE(NULL, c);
	build_image(c, &b);
	ASSERT_FALSE(b.oom);
	got = rec_restart(self, b.buf, b.len);
	/* A dry run makes no task. */
	ASSERT_EQ(before, ckpt_nr_processes());
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

/*
 * Valid images: a task; a tree with threads (which share their tables),
 * a child, a zombie; the same tree without the threads.
 */
CRAFTED_TEST(one_task)
CRAFTED_TEST(tree)
CRAFTED_TEST(tree_processes)
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
/* Valid: fds of every kind, fs, handlers, timers, pending signals. */
CRAFTED_TEST(fds_and_pipes)
/* Valid: a task in nanosleep(2), with its restart block. */
CRAFTED_TEST(restart_block)
/* Memfds: their name and contents, in order, inside the file. */
CRAFTED_TEST(memfd)
CRAFTED_TEST(memfd_empty)
CRAFTED_TEST(memfd_pages_missing)
/*
 * SysV IPC: valid objects attached read-write and read-only; objects of
 * a container without an IPC namespace of its own, or after a file; ids
 * that decrease; a semaphore value, a message type, a removed segment's
 * key; an area shorter than its segment, or SHM_RDONLY and writable.
 */
CRAFTED_TEST(ipc)
CRAFTED_TEST(ipc_rdonly)
CRAFTED_TEST(ipc_without_ns)
CRAFTED_TEST(ipc_after_file)
CRAFTED_TEST(ipc_ids_decreasing)
CRAFTED_TEST(ipc_sem_value)
CRAFTED_TEST(ipc_msg_type)
CRAFTED_TEST(ipc_dest_key)
CRAFTED_TEST(ipc_vma_short)
CRAFTED_TEST(ipc_vma_rdonly_write)
/* Shared anonymous memory: an object, its name, flags and pages. */
CRAFTED_TEST(shmem)
CRAFTED_TEST(shmem_private)
CRAFTED_TEST(shmem_bad_name)
CRAFTED_TEST(shmem_bad_flags)
CRAFTED_TEST(shmem_page_past_end)
CRAFTED_TEST(memfd_more_missing)
CRAFTED_TEST(memfd_page_past_end)
CRAFTED_TEST(memfd_pages_not_increasing)
CRAFTED_TEST(memfd_page_unaligned)
CRAFTED_TEST(memfd_pages_other_file)
CRAFTED_TEST(memfd_bad_name)
CRAFTED_TEST(memfd_bad_seals)
CRAFTED_TEST(memfd_pages_alone)
CRAFTED_TEST(file_seals)
/* More ranges: SIGKILL pending, alternate stacks, rseq. */
CRAFTED_TEST(siginfo_sigkill)
CRAFTED_TEST(altstack_tiny)
CRAFTED_TEST(altstack_no_size)
CRAFTED_TEST(attrs_rseq_unaligned)
/* Futex waits (valid: relative; absolute on the wall clock) and others. */
CRAFTED_TEST(restart_block_futex)
CRAFTED_TEST(restart_block_futex_abs)
CRAFTED_TEST(restart_block_futex_no_bitset)
CRAFTED_TEST(restart_block_futex_abs_monotonic)
CRAFTED_TEST(restart_block_futex_clockrt_relative)
CRAFTED_TEST(restart_block_futex_unaligned)
CRAFTED_TEST(restart_block_futex_bad_flags)
CRAFTED_TEST(restart_block_nanosleep_bitset)
CRAFTED_TEST(restart_block_compat)
/* Each record of a live task's state missing, or out of its order. */
CRAFTED_TEST(state_missing_attrs)
CRAFTED_TEST(state_missing_cred)
CRAFTED_TEST(state_missing_fd_table)
CRAFTED_TEST(state_missing_fs)
CRAFTED_TEST(state_missing_sighand)
CRAFTED_TEST(state_missing_signal)
CRAFTED_TEST(state_missing_task_signal)
CRAFTED_TEST(state_missing_siginfo)
CRAFTED_TEST(state_cred_before_attrs)
CRAFTED_TEST(state_signal_before_sighand)
CRAFTED_TEST(state_fs_before_fd_table)
CRAFTED_TEST(state_before_cpu)
/* State of a zombie, of no task, twice; a pending signal unannounced. */
CRAFTED_TEST(state_after_zombie)
CRAFTED_TEST(state_without_task)
CRAFTED_TEST(state_twice)
CRAFTED_TEST(siginfo_unannounced)
/* Files and pipes. */
CRAFTED_TEST(file_bad_type)
CRAFTED_TEST(pipe_end_unknown_pipe)
CRAFTED_TEST(pipe_end_before_pipe)
CRAFTED_TEST(pipe_end_names_file)
CRAFTED_TEST(pipe_end_with_string)
CRAFTED_TEST(pipe_len_above_size)
CRAFTED_TEST(pipe_size_too_big)
CRAFTED_TEST(pipe_len_mismatch)
/* Fd tables: what the fds are, their order, flags, count, sharing. */
CRAFTED_TEST(fd_table_unknown_file)
CRAFTED_TEST(fd_table_file_is_mm)
CRAFTED_TEST(fd_table_file_is_pipe)
CRAFTED_TEST(fd_table_decreasing)
CRAFTED_TEST(fd_table_duplicate)
CRAFTED_TEST(fd_table_bad_flags)
CRAFTED_TEST(fd_table_fd_too_big)
CRAFTED_TEST(fd_table_nr_files_mismatch)
CRAFTED_TEST(fd_table_too_many)
CRAFTED_TEST(fd_table_objref_of_file)
CRAFTED_TEST(fd_table_shared_with_entries)
/* The fs: two absolute paths follow, a umask of 9 bits. */
CRAFTED_TEST(fs_without_strings)
CRAFTED_TEST(fs_one_string)
CRAFTED_TEST(fs_relative_root)
CRAFTED_TEST(fs_relative_cwd)
CRAFTED_TEST(fs_bad_umask)
/* Handlers: 64 actions for a new objref, user-space handlers. */
CRAFTED_TEST(sighand_nr_32)
CRAFTED_TEST(sighand_nr_0_new)
CRAFTED_TEST(sighand_nr_65)
CRAFTED_TEST(sighand_short)
CRAFTED_TEST(sighand_kernel_handler)
/* Pending signals: their numbers, flags and count. */
CRAFTED_TEST(siginfo_signo_mismatch)
CRAFTED_TEST(siginfo_signo_0)
CRAFTED_TEST(siginfo_signo_65)
CRAFTED_TEST(siginfo_bad_flags)
CRAFTED_TEST(nr_pending_too_large)
/* Attributes out of their ranges. */
CRAFTED_TEST(attrs_nice_20)
CRAFTED_TEST(attrs_nice_minus_21)
CRAFTED_TEST(attrs_bad_policy)
CRAFTED_TEST(attrs_bad_flags)
CRAFTED_TEST(attrs_fifo_priority_0)
CRAFTED_TEST(attrs_rr_priority_100)
CRAFTED_TEST(attrs_bad_dumpable)
CRAFTED_TEST(attrs_bad_pdeath_signal)
/* A restart block only where the registers say the call restarts so. */
CRAFTED_TEST(restart_block_unasked)
CRAFTED_TEST(restart_block_missing)
CRAFTED_TEST(restart_block_bad_kind)
/* Credentials and limits. */
CRAFTED_TEST(cred_nr_groups_too_large)
CRAFTED_TEST(cred_groups_short)
CRAFTED_TEST(signal_rlimit_above_max)
/*
 * Format version 3, TLS descriptors: valid (two segments; what only
 * set_thread_area(2) takes, which restart takes too); entries out of
 * place; unknown flags; what set_thread_area(2) refuses (16-bit, code,
 * not present, "unused" with a base or limit); the record missing, out of
 * order, twice, alone, after a zombie, short.
 */
CRAFTED_TEST(tls_entries)
CRAFTED_TEST(tls_zero_entry)
CRAFTED_TEST(tls_unused_lm)
CRAFTED_TEST(tls_segment_lm)
CRAFTED_TEST(tls_limit_32bit)
CRAFTED_TEST(tls_bad_entry_number)
CRAFTED_TEST(tls_entries_swapped)
CRAFTED_TEST(tls_entry_number_0)
CRAFTED_TEST(tls_unknown_flags)
CRAFTED_TEST(tls_high_flags)
CRAFTED_TEST(tls_16bit)
CRAFTED_TEST(tls_16bit_no_base)
CRAFTED_TEST(tls_code)
CRAFTED_TEST(tls_code_conforming)
CRAFTED_TEST(tls_not_present)
CRAFTED_TEST(tls_unused_with_base)
CRAFTED_TEST(tls_unused_with_limit)
CRAFTED_TEST(tls_missing)
CRAFTED_TEST(tls_twice)
CRAFTED_TEST(tls_before_xstate)
CRAFTED_TEST(tls_after_restart_block)
CRAFTED_TEST(tls_alone)
CRAFTED_TEST(tls_after_zombie)
CRAFTED_TEST(tls_short)
/*
 * Format version 3, POSIX timers: valid (every clock and notification,
 * pending signals of the task's and of the process's timers; the highest
 * id, the next one wrapped to 0; a deleted timer's signal, a SIGEV_THREAD
 * timer's); the signal state's count, next id, reserved field, length;
 * each field of a timer out of its range; as many timer records as
 * announced, in their place; the pending signal of a timer that is not
 * that timer's, or twice, or in the wrong queue.
 */
CRAFTED_TEST(posix_timers)
CRAFTED_TEST(posix_timer_ids_wrapped)
CRAFTED_TEST(siginfo_of_deleted_timer)
CRAFTED_TEST(siginfo_timer_sigev_thread)
CRAFTED_TEST(signal_timers_too_many)
CRAFTED_TEST(signal_timers_all_ones)
CRAFTED_TEST(signal_next_id_above_int_max)
CRAFTED_TEST(signal_reserved)
CRAFTED_TEST(signal_v2_length)
CRAFTED_TEST(timer_id_negative)
CRAFTED_TEST(timer_id_int_min)
CRAFTED_TEST(timer_ids_equal)
CRAFTED_TEST(timer_ids_decreasing)
CRAFTED_TEST(timer_clock_process_cputime)
CRAFTED_TEST(timer_clock_thread_cputime)
CRAFTED_TEST(timer_clock_cpu_of_pid)
CRAFTED_TEST(timer_clock_realtime_alarm)
CRAFTED_TEST(timer_clock_boottime_alarm)
CRAFTED_TEST(timer_clock_monotonic_raw)
CRAFTED_TEST(timer_clock_coarse)
CRAFTED_TEST(timer_clock_12)
CRAFTED_TEST(timer_notify_3)
CRAFTED_TEST(timer_notify_none_thread_id)
CRAFTED_TEST(timer_notify_thread_thread_id)
CRAFTED_TEST(timer_notify_negative)
CRAFTED_TEST(timer_tid_other)
CRAFTED_TEST(timer_tid_zero)
CRAFTED_TEST(timer_tid_negative)
CRAFTED_TEST(timer_tid_without_thread_id)
CRAFTED_TEST(timer_tid_of_sigev_none)
CRAFTED_TEST(timer_signo_0)
CRAFTED_TEST(timer_signo_65)
CRAFTED_TEST(timer_thread_signo_0)
CRAFTED_TEST(timer_thread_id_signo_65)
CRAFTED_TEST(timer_reserved)
CRAFTED_TEST(timer_left_above_ktime_max)
CRAFTED_TEST(timer_left_all_ones)
CRAFTED_TEST(timer_interval_above_ktime_max)
CRAFTED_TEST(timer_overrun_below_minus_1)
CRAFTED_TEST(timer_overrun_int64_min)
CRAFTED_TEST(timer_overrun_last_negative)
CRAFTED_TEST(timer_short)
CRAFTED_TEST(timers_extra)
CRAFTED_TEST(timer_unannounced)
CRAFTED_TEST(timers_missing)
CRAFTED_TEST(timers_none_of_one)
CRAFTED_TEST(timer_alone)
CRAFTED_TEST(timer_before_signal)
CRAFTED_TEST(timer_after_task_signal)
CRAFTED_TEST(siginfo_timer_bad_code)
CRAFTED_TEST(siginfo_timer_unknown)
CRAFTED_TEST(siginfo_timer_negative_id)
CRAFTED_TEST(siginfo_timer_sigev_none)
CRAFTED_TEST(siginfo_timer_wrong_signo)
CRAFTED_TEST(siginfo_timer_twice)
CRAFTED_TEST(siginfo_timer_twice_queues)
CRAFTED_TEST(siginfo_timer_thread_shared)
CRAFTED_TEST(siginfo_timer_process_not_shared)
CRAFTED_TEST(siginfo_timer_no_timers)
CRAFTED_TEST(siginfo_timer_unknown_flags)

/*
 * Format version 4.  The order of tasks: version 3's (the address space
 * first) for the first task only, valid, then a child in version 4's;
 * version 3's for a second task, two address spaces before the first
 * task, one not its own; a task record of version 3's length; a new
 * address space that is not the next object, or does not follow its
 * task, or follows a thread (whose is its leader's).
 */
CRAFTED_TEST(old_order_one_task)
CRAFTED_TEST(old_order_then_child)
CRAFTED_TEST(old_order_second_task)
CRAFTED_TEST(old_order_two_mms)
CRAFTED_TEST(old_order_not_its_mm)
CRAFTED_TEST(task_v3_length)
CRAFTED_TEST(task_mm_not_next)
CRAFTED_TEST(task_mm_missing)
CRAFTED_TEST(task_mm_after_thread)
/*
 * The tree: valid (a deep one with threads, a zombie and another exit
 * signal; process groups and sessions, some of them with their leader
 * gone; stopped processes; a POSIX timer that signals a thread), then a
 * parent that is not a live process before its child (not in the image,
 * later, a zombie, a thread, none: a second root), an init with a parent
 * or a thread first, pids twice, threads whose leader is a zombie, not
 * in the image, later; negative process groups and sessions.
 */
CRAFTED_TEST(tree_deep)
CRAFTED_TEST(tree_groups)
CRAFTED_TEST(tree_stopped)
CRAFTED_TEST(stop_sigttin)
CRAFTED_TEST(stop_sigttou_unreported)
CRAFTED_TEST(timer_tid_thread)
CRAFTED_TEST(tree_parent_missing)
CRAFTED_TEST(tree_parent_later)
CRAFTED_TEST(tree_parent_zombie)
CRAFTED_TEST(tree_parent_thread)
CRAFTED_TEST(tree_second_root)
CRAFTED_TEST(tree_root_parent)
CRAFTED_TEST(tree_root_thread)
CRAFTED_TEST(tree_duplicate_pid)
CRAFTED_TEST(tree_duplicate_tid)
CRAFTED_TEST(tree_thread_leader_zombie)
CRAFTED_TEST(tree_thread_leader_missing)
CRAFTED_TEST(tree_thread_before_leader)
CRAFTED_TEST(tree_pgid_negative)
CRAFTED_TEST(tree_sid_negative)
CRAFTED_TEST(tree_zombie_pgid_negative)
/*
 * The stop: a signal that stops (SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU)
 * with CKPT_TASK_STOPPED, and only with it; no stopped zombie; the
 * flags and reserved field of version 4.
 */
CRAFTED_TEST(stop_no_signal)
CRAFTED_TEST(stop_sigkill)
CRAFTED_TEST(stop_sigcont)
CRAFTED_TEST(stop_signal_65)
CRAFTED_TEST(stop_signal_unstopped)
CRAFTED_TEST(stop_unreported_unstopped)
CRAFTED_TEST(stop_zombie)
CRAFTED_TEST(task_unknown_flag)
CRAFTED_TEST(task_high_flag)
CRAFTED_TEST(task_reserved2)
/*
 * Format version 4, the namespaces record: valid (UTS and IPC with names,
 * IPC only, UTS without names); missing, after a file, twice, later
 * again; unknown flags, the reserved field, the padding; names without
 * CKPT_NS_UTS, not NUL-terminated, with bytes after their NUL; short.
 */
CRAFTED_TEST(ns_uts_ipc)
CRAFTED_TEST(ns_ipc)
CRAFTED_TEST(ns_uts_unnamed)
CRAFTED_TEST(ns_missing)
CRAFTED_TEST(ns_after_file)
CRAFTED_TEST(ns_twice)
CRAFTED_TEST(ns_before_task)
CRAFTED_TEST(ns_bad_flags)
CRAFTED_TEST(ns_high_flag)
CRAFTED_TEST(ns_reserved)
CRAFTED_TEST(ns_pad)
CRAFTED_TEST(ns_hostname_without_uts)
CRAFTED_TEST(ns_domainname_without_uts)
CRAFTED_TEST(ns_hostname_unterminated)
CRAFTED_TEST(ns_domainname_unterminated)
CRAFTED_TEST(ns_hostname_not_padded)
CRAFTED_TEST(ns_short)
/*
 * Epoll files: valid (two, one watching a pipe's ends with EPOLLET and
 * EPOLLONESHOT, one nothing); a task before an epoll file's items, items
 * twice, of a pipe end, of no file, after the task; an item watching an
 * epoll file, with unknown events, an fd too large, its reserved field, a
 * file that is not defined; a count above the record (below it: the
 * extension rule); the epoll file not read-write, with O_APPEND, an
 * offset, a string.
 */
CRAFTED_TEST(epoll)
CRAFTED_TEST(epoll_no_items)
CRAFTED_TEST(epoll_items_twice)
CRAFTED_TEST(epoll_items_of_pipe)
CRAFTED_TEST(epoll_items_undefined)
CRAFTED_TEST(epoll_items_after_task)
CRAFTED_TEST(epoll_watches_epoll)
CRAFTED_TEST(epoll_bad_events)
CRAFTED_TEST(epoll_fd_too_big)
CRAFTED_TEST(epoll_item_reserved)
CRAFTED_TEST(epoll_item_unknown_file)
CRAFTED_TEST(epoll_count_above)
CRAFTED_TEST(epoll_count_below)
CRAFTED_TEST(epoll_file_rdonly)
CRAFTED_TEST(epoll_file_append)
CRAFTED_TEST(epoll_file_pos)
CRAFTED_TEST(epoll_file_string)
/*
 * External files: valid (a terminal at 0, a pipe at 1 and 2); an access
 * mode of 3, O_APPEND, O_NONBLOCK, an fd of CKPT_FDS_MAX, an offset, a
 * size, no name, a pipe or seals.
 */
CRAFTED_TEST(external)
CRAFTED_TEST(external_accmode)
CRAFTED_TEST(external_append)
CRAFTED_TEST(external_nonblock)
CRAFTED_TEST(external_fd_too_big)
CRAFTED_TEST(external_pos)
CRAFTED_TEST(external_size)
CRAFTED_TEST(external_no_string)
CRAFTED_TEST(external_pipe_objref)
CRAFTED_TEST(external_seals)

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
