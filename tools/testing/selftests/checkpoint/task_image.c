// SPDX-License-Identifier: GPL-2.0
/*
 * What checkpoint(2) saves of a task: frozen targets with known state (a
 * memory layout, threads, a child, zombies, mapped files, FPU registers),
 * and the records of their images checked against it and against /proc,
 * read while the target was frozen.  Every image must follow the format
 * (ckpt_model_build()) and pass a dry run of restart(2), threads and
 * children included; its tasks come in the order of format version 4,
 * each process's address space right after its task record, a process
 * after its parent and a thread after its leader, with their process
 * groups and sessions (those of the target's, the test's own, outside
 * the tree).  The state
 * of a task (format version 2; 3: TLS descriptors, POSIX timers) against
 * /proc too: its fd table and files,
 * attributes, credentials, fs, handlers, masks, pending signals, timers
 * and limits; shared memory, anonymous and of a file.  Then the refusals:
 * SysV shared memory, unlinked files,
 * traced tasks; after each the target thaws and keeps working.
 *
 * The targets are forks of the test process (so the executable is this
 * program), set up by a hook (ckpt_target_spawn_with()) that reports what
 * only the target knows (addresses, its fs base...) before it is frozen.
 */
#define _GNU_SOURCE
/*
 * -Wextra finds unused parameters in kselftest_harness.h, and a variable of
 * its TEST_F() wrapper that longjmp() may clobber (see the teardown).
 */
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wclobbered"
#include "kselftest_harness.h"

#include <sys/personality.h>
#include <sys/ptrace.h>
#include <sys/rseq.h>
#include <sys/shm.h>

#include "ckpt_util.h"

#define ARCH_GET_FS_	0x1003
#define ARCH_GET_GS_	0x1004

/* Kernel errnos of an interrupted system call, as the registers show them. */
#define ERESTARTSYS_		512
#define ERESTARTNOINTR_		513
#define ERESTARTNOHAND_		514
#define ERESTART_RESTARTBLOCK_	516

static size_t page_size(void)
{
	return (size_t)sysconf(_SC_PAGESIZE);
}

static uint64_t arch_get(int code)
{
	unsigned long v = 0;

	if (syscall(SYS_arch_prctl, code, &v))
		return ~0ULL;
	return v;
}

/* ------------------------------------------------------------------ */
/* Page contents and FPU state that the targets set                    */

/* Page contents that depend on the page's address and a salt: no zeros. */
static void fill_page(void *page, uint64_t addr, unsigned int salt)
{
	uint64_t *w = page;

	for (size_t i = 0; i < page_size() / 8; i++)
		w[i] = (((addr + i * 8) * 0x9E3779B97F4A7C15ULL) ^
			((uint64_t)salt << 56)) | 1;
}

static bool page_matches(const void *page, uint64_t addr, unsigned int salt)
{
	const uint64_t *w = page;

	for (size_t i = 0; i < page_size() / 8; i++)
		if (w[i] != ((((addr + i * 8) * 0x9E3779B97F4A7C15ULL) ^
			      ((uint64_t)salt << 56)) | 1))
			return false;
	return true;
}

/* What a target leaves in its FPU registers; @n tells tasks apart. */
#define MARK_FCW	0x027f		/* 53-bit precision: not the default */
#define MARK_MXCSR	0x9f80		/* flush to zero: not the default */

struct xmm {
	uint8_t b[16];
};

static struct xmm xmm_mark(unsigned int n)
{
	struct xmm v;

	for (int k = 0; k < 16; k++)
		v.b[k] = (uint8_t)(0xa5 ^ (k * 17) ^ (n << 4) ^ n);
	return v;
}

/*
 * Leave marks in the x87, SSE and XMM15 registers: x87 and SSE are then
 * not in their init state, whatever the CPU's XSAVE optimizations, and the
 * saved state can be told from another task's.  Nothing a target runs
 * afterwards (read(2), write(2), pause(2)) touches them.
 */
static void set_fpu_marks(unsigned int n)
{
	uint16_t fcw = MARK_FCW;
	uint32_t mxcsr = MARK_MXCSR;
	struct xmm v = xmm_mark(n);

	asm volatile("fldcw %0" : : "m"(fcw));
	asm volatile("ldmxcsr %0" : : "m"(mxcsr));
	asm volatile("movdqu %0, %%xmm15" : : "m"(v) : "xmm15");
}

/* ------------------------------------------------------------------ */
/* The memory layout of a target                                       */

enum region_kind {
	R_GUARD,	/* PROT_NONE, never touched */
	R_PATTERN,	/* every page written */
	R_UNTOUCHED,	/* never touched: no page */
	R_ZERO,		/* written, then zeroed: present, not saved */
	R_RO,		/* written, then made read-only */
	R_SPARSE,	/* pages 1 and 3 written */
	R_RANDOM,	/* MADV_RANDOM, page 0 written */
	R_SEQ,		/* MADV_SEQUENTIAL, page 1 written */
	R_DONTFORK,	/* MADV_DONTFORK, written */
	R_DONTDUMP,	/* MADV_DONTDUMP, written */
	R_LOCKED,	/* mlock()ed: present (zero), not saved */
};

/* More than CKPT_PAGES_MAX: the pattern takes two page records. */
#define PATTERN_PAGES	(CKPT_PAGES_MAX + 4)

#define RW	(CKPT_VMA_READ | CKPT_VMA_WRITE)

static const struct region {
	enum region_kind kind;
	const char *name;
	unsigned int pages;
	uint32_t prot;		/* CKPT_VMA_* */
	uint32_t flags;		/* CKPT_VMA_* */
} regions[] = {
	{ R_GUARD, "guard", 1, 0, 0 },
	{ R_PATTERN, "pattern", PATTERN_PAGES, RW, 0 },
	{ R_GUARD, "guard", 1, 0, 0 },
	{ R_UNTOUCHED, "untouched", 4, RW, 0 },
	{ R_GUARD, "guard", 2, 0, 0 },
	{ R_ZERO, "zero", 2, RW, 0 },
	{ R_GUARD, "guard", 1, 0, 0 },
	{ R_RO, "read-only", 2, CKPT_VMA_READ, 0 },
	{ R_GUARD, "guard", 1, 0, 0 },
	{ R_SPARSE, "sparse", 4, RW, 0 },
	{ R_GUARD, "guard", 1, 0, 0 },
	{ R_RANDOM, "random", 2, RW, CKPT_VMA_RAND_READ },
	{ R_GUARD, "guard", 1, 0, 0 },
	{ R_SEQ, "sequential", 2, RW, CKPT_VMA_SEQ_READ },
	{ R_GUARD, "guard", 1, 0, 0 },
	{ R_DONTFORK, "dontfork", 1, RW, CKPT_VMA_DONTFORK },
	{ R_GUARD, "guard", 1, 0, 0 },
	{ R_DONTDUMP, "dontdump", 1, RW, CKPT_VMA_DONTDUMP },
	{ R_GUARD, "guard", 1, 0, 0 },
	{ R_LOCKED, "locked", 1, RW, CKPT_VMA_LOCKED },
	{ R_GUARD, "guard", 1, 0, 0 },
};

static size_t layout_pages(void)
{
	size_t n = 0;

	for (size_t i = 0; i < ARRAY_SIZE(regions); i++)
		n += regions[i].pages;
	return n;
}

/* Whether page @k of region @r holds data (which the image must have). */
static bool region_written(const struct region *r, unsigned int k)
{
	switch (r->kind) {
	case R_PATTERN:
	case R_RO:
	case R_DONTFORK:
	case R_DONTDUMP:
		return true;
	case R_SPARSE:
		return k == 1 || k == 3;
	case R_RANDOM:
		return k == 0;
	case R_SEQ:
		return k == 1;
	default:
		return false;
	}
}

/* Whether page @k of region @r is in memory (present in the page tables). */
static bool region_present(const struct region *r, unsigned int k)
{
	return region_written(r, k) || r->kind == R_ZERO ||
	       r->kind == R_LOCKED;
}

/* A variable in .data, in a private mapping of the executable. */
static volatile uint64_t layout_marker = 1;

/* What a layout target reports. */
struct layout_info {
	uint64_t base;		/* the layout's first page */
	uint64_t fs_base, gs_base;
	uint64_t marker_addr, marker;
	uint64_t text;		/* an address in the executable's code */
	uint32_t personality;
};

#define LAYOUT_COMM	"ckpt-layout"

static int layout_hook(void *arg, struct ckpt_target_hello *hello)
{
	struct layout_info *info = (void *)hello->info;
	const size_t ps = page_size();
	uint8_t *base, *p;

	_Static_assert(sizeof(*info) <= CKPT_TARGET_INFO_SIZE, "info");
	if (prctl(PR_SET_NAME, LAYOUT_COMM, 0, 0, 0))
		return -1;
	base = mmap(NULL, layout_pages() * ps, PROT_NONE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (base == MAP_FAILED)
		return -1;
	p = base;
	for (size_t i = 0; i < ARRAY_SIZE(regions); i++) {
		const struct region *r = &regions[i];
		size_t len = r->pages * ps;
		int advice = -1;

		if (r->kind != R_GUARD &&
		    mprotect(p, len, PROT_READ | PROT_WRITE))
			return -1;
		switch (r->kind) {
		case R_RANDOM:
			advice = MADV_RANDOM;
			break;
		case R_SEQ:
			advice = MADV_SEQUENTIAL;
			break;
		case R_DONTFORK:
			advice = MADV_DONTFORK;
			break;
		case R_DONTDUMP:
			advice = MADV_DONTDUMP;
			break;
		case R_LOCKED:
			if (mlock(p, len))
				return -1;
			break;
		case R_ZERO:
			memset(p, 0xff, len);
			/* Both stores happen: the pages are touched. */
			asm volatile("" : : "r"(p) : "memory");
			memset(p, 0, len);
			asm volatile("" : : "r"(p) : "memory");
			break;
		default:
			break;
		}
		if (advice >= 0 && madvise(p, len, advice))
			return -1;
		for (unsigned int k = 0; k < r->pages; k++)
			if (region_written(r, k))
				fill_page(p + k * ps, (uintptr_t)(p + k * ps), i);
		if (r->kind == R_RO && mprotect(p, len, PROT_READ))
			return -1;
		p += len;
	}

	layout_marker = 0xc0ffee0000000000ULL | (uint32_t)getpid();
	info->base = (uintptr_t)base;
	info->marker_addr = (uintptr_t)&layout_marker;
	info->marker = layout_marker;
	info->text = (uintptr_t)layout_hook;
	info->fs_base = arch_get(ARCH_GET_FS_);
	info->gs_base = arch_get(ARCH_GET_GS_);
	info->personality = personality(0xffffffff);
	set_fpu_marks(0);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Helpers that need no ckpt kernel                                    */

TEST(pattern_pages)
{
	uint8_t *page = malloc(page_size());

	ASSERT_NE(NULL, page);
	fill_page(page, 0x7f0000001000ULL, 3);
	ASSERT_TRUE(page_matches(page, 0x7f0000001000ULL, 3));
	ASSERT_FALSE(page_matches(page, 0x7f0000002000ULL, 3));
	ASSERT_FALSE(page_matches(page, 0x7f0000001000ULL, 4));
	ASSERT_FALSE(ckpt_is_zero(page, page_size()));
	for (size_t i = 0; i < page_size() / 8; i++) {
		ASSERT_NE(0ULL, ((uint64_t *)page)[i]);
	}
	free(page);
	ASSERT_NE(0, memcmp(&(struct xmm){ { 0 } }, xmm_mark(0).b, 16));
	ASSERT_NE(0, memcmp(xmm_mark(1).b, xmm_mark(2).b, 16));
}

/* /proc readers, on this process. */
TEST(maps_reader)
{
	const struct ckpt_map *stack;
	struct ckpt_maps maps;
	char exe[PATH_MAX];
	long long f[64];
	ssize_t n;
	bool exe_seen = false;

	ASSERT_EQ(0, ckpt_maps_read(getpid(), &maps));
	ASSERT_LT(3U, maps.nr);
	stack = ckpt_maps_find(&maps, "[stack]");
	ASSERT_NE(NULL, stack);
	ASSERT_EQ((uint32_t)CKPT_VMA_GROWSDOWN,
		  stack->flags & CKPT_VMA_GROWSDOWN);
	ASSERT_LE(stack->start, (uint64_t)(uintptr_t)&maps);
	ASSERT_GT(stack->end, (uint64_t)(uintptr_t)&maps);
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	ASSERT_LT(0, n);
	exe[n] = '\0';
	for (size_t i = 0; i < maps.nr; i++) {
		ASSERT_LT(maps.v[i].start, maps.v[i].end);
		if (i) {
			ASSERT_LE(maps.v[i - 1].end, maps.v[i].start);
		}
		if (!strcmp(maps.v[i].path, exe) && maps.v[i].perms[2] == 'x') {
			exe_seen = true;
			ASSERT_LE(maps.v[i].start, (uint64_t)(uintptr_t)layout_hook);
		}
		/* .data is in a private, writable mapping of the executable. */
		if (maps.v[i].start <= (uintptr_t)&layout_marker &&
		    maps.v[i].end > (uintptr_t)&layout_marker) {
			ASSERT_STREQ(exe, maps.v[i].path);
			ASSERT_STREQ("rw-p", maps.v[i].perms);
		}
	}
	ASSERT_TRUE(exe_seen);
	free(maps.v);

	ASSERT_LE(52, ckpt_proc_stat(getpid(), f));
	ASSERT_EQ('R', f[3]);
	ASSERT_EQ(getppid(), f[4]);
	ASSERT_EQ(1, ckpt_page_present(getpid(), (uintptr_t)&maps));
}

/*
 * The layout, seen from /proc: what the image tests expect of it holds,
 * whatever the kernel (areas, protections, flags, present pages).
 */
TEST(layout_selfcheck)
{
	struct layout_info info;
	struct ckpt_target t;
	struct ckpt_maps maps;
	const size_t ps = page_size();
	size_t off = 0;

	ASSERT_EQ(0, ckpt_target_spawn_with(&t, NULL, 0, layout_hook, NULL));
	memcpy(&info, t.info, sizeof(info));
	ASSERT_EQ(0, ckpt_maps_read(t.pid, &maps));
	for (size_t i = 0; i < ARRAY_SIZE(regions); i++) {
		const struct region *r = &regions[i];
		uint64_t start = info.base + off * ps;
		uint64_t end = start + r->pages * ps;
		const struct ckpt_map *v = NULL;
		uint32_t prot;

		for (size_t k = 0; k < maps.nr; k++)
			if (maps.v[k].start <= start && maps.v[k].end > start)
				v = &maps.v[k];
		ASSERT_NE(NULL, v);
		prot = (v->perms[0] == 'r' ? CKPT_VMA_READ : 0) |
		       (v->perms[1] == 'w' ? CKPT_VMA_WRITE : 0) |
		       (v->perms[2] == 'x' ? CKPT_VMA_EXEC : 0);
		EXPECT_EQ(r->prot, prot) {
			TH_LOG("region %zu (%s)", i, r->name);
		}
		if (r->kind != R_GUARD) {
			EXPECT_EQ(start, v->start);
			EXPECT_EQ(end, v->end);
			EXPECT_EQ(r->flags, v->flags) {
				TH_LOG("region %zu (%s)", i, r->name);
			}
		}
		for (unsigned int k = 0; k < r->pages; k++) {
			EXPECT_EQ(region_present(r, k),
				  ckpt_page_present(t.pid, start + k * ps)) {
				TH_LOG("region %zu (%s), page %u", i, r->name, k);
			}
		}
		off += r->pages;
	}
	free(maps.v);
	ckpt_target_kill(&t);
}

/* ------------------------------------------------------------------ */
/* Frozen targets and their images                                     */

FIXTURE(ti) {
	pid_t owner;		/* the test process, parent of the target */
	char cg[PATH_MAX];
	struct ckpt_target t;
	pid_t kid2;		/* another child of the target to reap, or 0 */
	int img;		/* checkpoint output: a memfd */
	int log[2];
	char logbuf[4096];
	char path[PATH_MAX];	/* a file of the test's, or "" */
};

FIXTURE_SETUP(ti)
{
	self->owner = getpid();
	ckpt_target_init(&self->t);
	self->kid2 = 0;
	self->cg[0] = '\0';
	self->path[0] = '\0';
	self->img = memfd_create("ckpt-selftest-out", MFD_CLOEXEC);
	ASSERT_LE(0, self->img);
	ASSERT_EQ(0, ckpt_log_pipe(self->log));
	ASSERT_EQ(0, ckpt_cg_create(self->cg, sizeof(self->cg))) {
		TH_LOG("cannot create a cgroup under %s", ckpt_cg_root());
	}
}

/*
 * The teardown runs in the test process or, once it has exited, in its
 * parent (see image_test.c): the targets are killed and reaped by the test
 * process, or died with it; the cgroup is thawed and removed either way.
 */
FIXTURE_TEARDOWN_PARENT(ti)
{
	int err;

	if (getpid() == self->owner) {
		ckpt_target_kill(&self->t);
		if (self->kid2 > 0)
			waitpid(self->kid2, NULL, 0);
	}
	if (self->path[0])
		unlink(self->path);
	err = ckpt_cg_destroy(self->cg);
	if (err)
		TH_LOG("cannot remove cgroup %s: %s", self->cg, strerror(-err));
	EXPECT_EQ(0, err);
}

static const char *ti_log(FIXTURE_DATA(ti) *self)
{
	ckpt_log_read(self->log[0], self->logbuf, sizeof(self->logbuf));
	return self->logbuf;
}

/* Wait until task @tid of @pid is blocked in a system call. */
static void wait_blocked(struct __test_metadata *_metadata, pid_t pid,
			 pid_t tid, long long nr)
{
	struct ckpt_syscall sc;
	struct timespec start;

	clock_gettime(CLOCK_MONOTONIC, &start);
	while (ckpt_proc_syscall(pid, tid, &sc) || sc.nr < 0 ||
	       (nr >= 0 && sc.nr != nr)) {
		ASSERT_GT(10000, ckpt_ms_since(&start)) {
			TH_LOG("task %d never blocks in system call %lld",
			       (int)tid, nr);
		}
		ckpt_sleep_ms(5);
	}
}

/*
 * Start a target (its hook @fn), let it block in read(2) on its command
 * pipe (and its other tasks in their calls), then freeze it.
 */
static void spawn_frozen(struct __test_metadata *_metadata,
			 FIXTURE_DATA(ti) *self, unsigned int opts,
			 ckpt_target_fn fn, void *arg)
{
	ASSERT_EQ(0, ckpt_target_spawn_with(&self->t, self->cg, opts, fn, arg)) {
		TH_LOG("cannot start the target");
	}
	wait_blocked(_metadata, self->t.pid, self->t.pid, SYS_read);
	if (opts & CKPT_TARGET_KID)
		wait_blocked(_metadata, self->t.kid, self->t.kid, -1);
	ASSERT_EQ(0, ckpt_cg_freeze(self->cg)) {
		TH_LOG("cannot freeze %s", self->cg);
	}
}

/* Thaw the target: it must be alive and answer. */
static void target_runs(struct __test_metadata *_metadata,
			FIXTURE_DATA(ti) *self)
{
	ASSERT_EQ(0, ckpt_cg_thaw(self->cg));
	ASSERT_TRUE(ckpt_target_alive(&self->t));
	ASSERT_EQ(0, ckpt_target_ping(&self->t, 10000)) {
		TH_LOG("the target does not answer after the thaw");
	}
}

struct image {
	uint8_t *buf;
	size_t len;
	struct ckpt_model m;
};

static void image_free(struct image *img)
{
	ckpt_model_free(&img->m);
	free(img->buf);
	memset(img, 0, sizeof(*img));
}

/*
 * Checkpoint @pid into the (emptied) memfd: it succeeds and logs nothing;
 * the image follows the format; restart(2) reads it all and accepts it
 * (@dry_err 0), or refuses it with @dry_err and a reason: images of what
 * restart cannot restore yet are still checked whole in a dry run.
 */
static void checkpoint_image_ex(struct __test_metadata *_metadata,
				FIXTURE_DATA(ti) *self, pid_t pid,
				struct image *img, int dry_err)
{
	long ret;
	int err;

	memset(img, 0, sizeof(*img));
	ASSERT_EQ(0, ckpt_refill(self->img, NULL, 0));
	ret = sys_checkpoint(pid, self->img, CKPT_TARGET_CHECKPOINT,
			     self->log[1]);
	err = errno;
	ti_log(self);
	ASSERT_EQ(0, ret) {
		TH_LOG("checkpoint: %s; log: \"%s\"", strerror(err),
		       self->logbuf);
	}
	ASSERT_STREQ("", self->logbuf);
	ASSERT_EQ(ckpt_size(self->img), ckpt_offset(self->img));
	ASSERT_EQ(0, ckpt_read_image_at(self->img, 0, &img->buf, &img->len));
	ASSERT_EQ(0, ckpt_model_build(&img->m, img->buf, img->len)) {
		TH_LOG("the image (%zu bytes) breaks the format: %s", img->len,
		       img->m.why);
	}

	ASSERT_EQ(0, lseek(self->img, 0, SEEK_SET));
	ret = sys_restart(0, self->img, RESTART_DRY_RUN, self->log[1]);
	err = errno;
	ti_log(self);
	if (dry_err) {
		ASSERT_EQ(-1, ret) {
			TH_LOG("restart (dry run) accepted the image; %s expected",
			       strerror(dry_err));
		}
		ASSERT_EQ(dry_err, err) {
			TH_LOG("restart (dry run) of the %zu-byte image: %s, not %s; log: \"%s\"",
			       img->len, strerror(err), strerror(dry_err),
			       self->logbuf);
		}
		ASSERT_EQ(NULL, ckpt_log_problem(self->logbuf, "restart",
						 "not supported")) {
			TH_LOG("log: \"%s\"", self->logbuf);
		}
		return;
	}
	ASSERT_EQ(0, ret) {
		TH_LOG("restart (dry run) of the %zu-byte image: %s; log: \"%s\"",
		       img->len, strerror(err), self->logbuf);
	}
	ASSERT_STREQ("", self->logbuf);
	ASSERT_EQ((off_t)img->len, ckpt_offset(self->img));
}

static void checkpoint_image(struct __test_metadata *_metadata,
			     FIXTURE_DATA(ti) *self, pid_t pid,
			     struct image *img)
{
	checkpoint_image_ex(_metadata, self, pid, img, 0);
}

/* Checkpoint @pid: it fails with @err, one line of reason with @words. */
static void checkpoint_refused(struct __test_metadata *_metadata,
			       FIXTURE_DATA(ti) *self, pid_t pid, int want,
			       const char *words)
{
	const char *why;
	long ret;
	int err;

	ASSERT_EQ(0, ckpt_refill(self->img, NULL, 0));
	ret = sys_checkpoint(pid, self->img, CKPT_TARGET_CHECKPOINT,
			     self->log[1]);
	err = errno;
	ti_log(self);
	ASSERT_EQ(-1, ret) {
		TH_LOG("checkpoint succeeded; log: \"%s\"", self->logbuf);
	}
	ASSERT_EQ(want, err) {
		TH_LOG("checkpoint: %s, expected %s; log: \"%s\"",
		       strerror(err), strerror(want), self->logbuf);
	}
	why = ckpt_log_problem(self->logbuf, "checkpoint", words);
	ASSERT_TRUE(why == NULL) {
		TH_LOG("%s (want \"%s\"); log: \"%s\"", why, words,
		       self->logbuf);
	}
}

#define ASSERT_LOG_HAS(fmt, ...) do {					\
	char __want[PATH_MAX + 64];					\
									\
	snprintf(__want, sizeof(__want), fmt, __VA_ARGS__);		\
	ASSERT_NE(NULL, strstr(self->logbuf, __want)) {			\
		TH_LOG("want \"%s\" in \"%s\"", __want, self->logbuf);	\
	}								\
} while (0)

static void readlink_exe(struct __test_metadata *_metadata, pid_t pid,
			 char exe[PATH_MAX])
{
	char link[64];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/%d/exe", (int)pid);
	n = readlink(link, exe, PATH_MAX - 1);
	ASSERT_LT(0, n);
	exe[n] = '\0';
}

static uint32_t map_prot(const struct ckpt_map *v)
{
	return (v->perms[0] == 'r' ? CKPT_VMA_READ : 0) |
	       (v->perms[1] == 'w' ? CKPT_VMA_WRITE : 0) |
	       (v->perms[2] == 'x' ? CKPT_VMA_EXEC : 0);
}

/*
 * The areas of @mm are those of /proc/PID/smaps, read while the task was
 * frozen: the same ranges in the same order (but for [vvar*], which comes
 * back with the vDSO, and [vsyscall], which is no area of the mm), of the
 * same kind, protection, flags, and for a file the same offset and path.
 */
static void check_vmas(struct __test_metadata *_metadata,
		       const struct ckpt_model *m, const struct ckpt_m_mm *mm,
		       const struct ckpt_maps *maps)
{
	uint32_t k = 0;

	for (size_t i = 0; i < maps->nr; i++) {
		const struct ckpt_map *v = &maps->v[i];
		const struct ckpt_hdr_vma *cv;
		uint32_t kind;

		if (!strncmp(v->path, "[vvar", 5) ||
		    !strcmp(v->path, "[vsyscall]"))
			continue;
		ASSERT_LT(k, mm->rec->nr_vmas) {
			TH_LOG("area %llx-%llx %s is not in the image",
			       (unsigned long long)v->start,
			       (unsigned long long)v->end, v->path);
		}
		cv = mm->vmas[k++];
		ASSERT_EQ(v->start, cv->start) {
			TH_LOG("area %u: %llx-%llx in the image, %llx-%llx %s in smaps",
			       k - 1, (unsigned long long)cv->start,
			       (unsigned long long)cv->end,
			       (unsigned long long)v->start,
			       (unsigned long long)v->end, v->path);
		}
		ASSERT_EQ(v->end, cv->end) {
			TH_LOG("area at %llx (%s)", (unsigned long long)v->start,
			       v->path);
		}
		kind = v->path[0] == '/' ? CKPT_VMA_FILE :
		       !strcmp(v->path, "[vdso]") ? CKPT_VMA_VDSO :
		       CKPT_VMA_ANON;
		ASSERT_EQ(kind, cv->kind) {
			TH_LOG("area at %llx (%s)", (unsigned long long)v->start,
			       v->path);
		}
		ASSERT_EQ(map_prot(v), cv->prot) {
			TH_LOG("area at %llx (%s): %s", (unsigned long long)v->start,
			       v->path, v->perms);
		}
		ASSERT_EQ(v->flags, cv->flags) {
			TH_LOG("area at %llx (%s)", (unsigned long long)v->start,
			       v->path);
		}
		if (kind == CKPT_VMA_FILE) {
			const struct ckpt_m_file *f =
				ckpt_m_file_ref(m, cv->file_objref);

			ASSERT_EQ(v->pgoff, cv->pgoff);
			ASSERT_NE(NULL, f);
			ASSERT_STREQ(v->path, f->path);
		}
	}
	ASSERT_EQ(k, mm->rec->nr_vmas) {
		TH_LOG("the image has %u areas, smaps %u", mm->rec->nr_vmas, k);
	}
}

/* The executable: one file record, the mm's exe, of this program. */
static void check_exe(struct __test_metadata *_metadata,
		      const struct ckpt_model *m, const struct ckpt_m_mm *mm,
		      const char *exe)
{
	const struct ckpt_m_file *f = ckpt_m_file_ref(m, mm->rec->exe_objref);
	struct stat st;
	unsigned int n = 0;

	ASSERT_NE(NULL, f) {
		TH_LOG("mm %u: no executable (%u)", mm->rec->objref,
		       mm->rec->exe_objref);
	}
	ASSERT_STREQ(exe, f->path);
	ASSERT_EQ((__u32)CKPT_FILE_REG, f->rec->type);
	ASSERT_EQ(0, stat(exe, &st));
	ASSERT_EQ((__u64)st.st_size, f->rec->size);
	ASSERT_EQ(0ULL, f->rec->pos);
	ASSERT_EQ(0U, f->rec->f_flags & O_ACCMODE);
	for (size_t i = 0; i < m->nr_files; i++)
		n += !strcmp(m->files[i].path, exe);
	ASSERT_EQ(1U, n) {
		TH_LOG("%u file records for %s", n, exe);
	}
	/* Its code and data are mappings of that same file object. */
	for (uint32_t i = 0; i < mm->rec->nr_vmas; i++) {
		const struct ckpt_hdr_vma *v = mm->vmas[i];

		if (v->kind == CKPT_VMA_FILE &&
		    !strcmp(ckpt_m_file_ref(m, v->file_objref)->path, exe)) {
			ASSERT_EQ(mm->rec->exe_objref, v->file_objref);
		}
	}
}

/* The area of the task's mm that is the executable's code at @addr. */
static void check_in_exe_code(struct __test_metadata *_metadata,
			      const struct ckpt_m_mm *mm, uint64_t addr)
{
	const struct ckpt_hdr_vma *v = ckpt_m_vma_at(mm, addr);

	ASSERT_NE(NULL, v) {
		TH_LOG("0x%llx is in no area", (unsigned long long)addr);
	}
	ASSERT_EQ((__u32)CKPT_VMA_FILE, v->kind);
	ASSERT_EQ((__u32)CKPT_VMA_EXEC, v->prot & CKPT_VMA_EXEC);
	ASSERT_EQ(mm->rec->exe_objref, v->file_objref);
}

/*
 * The registers of task @tid (of process @pid) are those /proc showed of
 * it, frozen (@sc): in a system call, its number and arguments, the stack
 * pointer and the address after the syscall instruction; segments of a
 * 64-bit user task; its fs and gs bases; code of the executable.
 */
static void check_regs(struct __test_metadata *_metadata,
		       const struct ckpt_m_mm *mm, const struct ckpt_m_task *t,
		       const struct ckpt_syscall *sc, uint64_t fs_base,
		       uint64_t gs_base)
{
	const struct ckpt_x86_regs *r;
	int64_t ax;

	ASSERT_NE(NULL, t->regs);
	r = &t->regs->regs;
	ASSERT_EQ(0x33ULL, r->cs);
	ASSERT_EQ(0x2bULL, r->ss);
	ASSERT_EQ(0x202ULL, r->flags & 0x202) {
		TH_LOG("task %d: rflags 0x%llx", t->rec->pid,
		       (unsigned long long)r->flags);
	}
	ASSERT_EQ(fs_base, r->fs_base) {
		TH_LOG("task %d", t->rec->pid);
	}
	ASSERT_EQ(gs_base, r->gs_base);
	check_in_exe_code(_metadata, mm, r->ip);
	ASSERT_NE(NULL, ckpt_m_vma_at(mm, r->sp - 1)) {
		TH_LOG("task %d: sp 0x%llx is in no area", t->rec->pid,
		       (unsigned long long)r->sp);
	}
	ASSERT_EQ(sc->pc, r->ip) {
		TH_LOG("task %d", t->rec->pid);
	}
	ASSERT_EQ(sc->sp, r->sp) {
		TH_LOG("task %d", t->rec->pid);
	}
	ASSERT_LE(0, sc->nr);
	ASSERT_EQ((uint64_t)sc->nr, r->orig_ax);
	ASSERT_EQ(sc->args[0], r->di);
	ASSERT_EQ(sc->args[1], r->si);
	ASSERT_EQ(sc->args[2], r->dx);
	ASSERT_EQ(sc->args[3], r->r10);
	ASSERT_EQ(sc->args[4], r->r8);
	ASSERT_EQ(sc->args[5], r->r9);
	/* Interrupted by the freezer: the call restarts after the thaw. */
	ax = (int64_t)r->ax;
	ASSERT_TRUE(ax == -ERESTARTSYS_ || ax == -ERESTARTNOINTR_ ||
		    ax == -ERESTARTNOHAND_ || ax == -ERESTART_RESTARTBLOCK_) {
		TH_LOG("task %d: ax %lld in system call %lld", t->rec->pid,
		       (long long)ax, sc->nr);
	}
}

/*
 * The FPU state of task @t: the standard XSAVE layout of the ptrace ABI,
 * with the user xfeatures of the header; if the task left marks (@mark
 * not negative), x87 and SSE in use and the marks.  (A task that never
 * touched x87 may have it in its init state, XSTATE_BV bit 0 clear, on a
 * CPU with the XSAVE init optimization.)
 */
static void check_xstate(struct __test_metadata *_metadata,
			 const struct ckpt_model *m,
			 const struct ckpt_m_task *t, int mark)
{
	const uint8_t *x = t->xsave;
	uint64_t xcr0, bv, xcomp;
	uint32_t mxcsr;
	uint16_t fcw;

	ASSERT_NE(NULL, t->xstate);
	ASSERT_LE((__u32)CKPT_XSAVE_MIN, t->xstate->size);
	memcpy(&xcr0, x + CKPT_XSAVE_XCR0, 8);
	memcpy(&bv, x + CKPT_XSAVE_XSTATE_BV, 8);
	memcpy(&xcomp, x + CKPT_XSAVE_XCOMP_BV, 8);
	ASSERT_EQ(m->hdr->xfeatures, xcr0) {
		TH_LOG("task %d: XCR0 word 0x%llx", t->rec->pid,
		       (unsigned long long)xcr0);
	}
	ASSERT_EQ(0ULL, bv & ~m->hdr->xfeatures) {
		TH_LOG("task %d: XSTATE_BV 0x%llx", t->rec->pid,
		       (unsigned long long)bv);
	}
	ASSERT_EQ(0ULL, xcomp);
	ASSERT_TRUE(ckpt_is_zero(x + 528, 48));
	/* Every task of an image has the same layout. */
	ASSERT_EQ(m->tasks[0].xstate->size, t->xstate->size);
	if (mark < 0)
		return;
	ASSERT_EQ(3ULL, bv & 3) {
		TH_LOG("task %d: XSTATE_BV 0x%llx", t->rec->pid,
		       (unsigned long long)bv);
	}
	memcpy(&fcw, x + CKPT_XSAVE_FCW, 2);
	memcpy(&mxcsr, x + CKPT_XSAVE_MXCSR, 4);
	ASSERT_EQ(MARK_FCW, fcw);
	ASSERT_EQ((uint32_t)MARK_MXCSR, mxcsr);
	ASSERT_EQ(0, memcmp(xmm_mark(mark).b, x + CKPT_XSAVE_XMM(15), 16)) {
		TH_LOG("task %d: XMM15 is not the mark %d", t->rec->pid, mark);
	}
}

/* ------------------------------------------------------------------ */
/* One process: its memory                                             */

/*
 * The areas of the layout target, against smaps: ranges, kinds, flags,
 * protections; the layout's guards are areas with no access; the stack,
 * and only the stack, grows down; the executable is one file.
 */
TEST_F(ti, mm_areas)
{
	const struct ckpt_m_mm *mm;
	const struct ckpt_map *stack;
	struct layout_info info;
	struct ckpt_maps maps;
	char exe[PATH_MAX];
	struct image img;
	const size_t ps = page_size();
	size_t off = 0;

	spawn_frozen(_metadata, self, 0, layout_hook, NULL);
	memcpy(&info, self->t.info, sizeof(info));
	ASSERT_EQ(0, ckpt_maps_read(self->t.pid, &maps));
	readlink_exe(_metadata, self->t.pid, exe);
	checkpoint_image(_metadata, self, self->t.pid, &img);

	ASSERT_EQ(1U, img.m.nr_mms);
	mm = &img.m.mms[0];
	check_vmas(_metadata, &img.m, mm, &maps);
	check_exe(_metadata, &img.m, mm, exe);

	stack = ckpt_maps_find(&maps, "[stack]");
	ASSERT_NE(NULL, stack);
	for (uint32_t i = 0; i < mm->rec->nr_vmas; i++) {
		const struct ckpt_hdr_vma *v = mm->vmas[i];

		if (v->start == stack->start) {
			ASSERT_EQ((__u32)CKPT_VMA_GROWSDOWN,
				  v->flags & CKPT_VMA_GROWSDOWN);
		} else {
			ASSERT_EQ(0U, v->flags & CKPT_VMA_GROWSDOWN) {
				TH_LOG("area %llx-%llx grows down",
				       (unsigned long long)v->start,
				       (unsigned long long)v->end);
			}
		}
	}

	for (size_t i = 0; i < ARRAY_SIZE(regions); i++) {
		const struct region *r = &regions[i];
		uint64_t start = info.base + off * ps;
		uint64_t end = start + r->pages * ps;
		const struct ckpt_hdr_vma *v = ckpt_m_vma_at(mm, start);

		ASSERT_NE(NULL, v) {
			TH_LOG("region %zu (%s) is in no area", i, r->name);
		}
		ASSERT_EQ((__u32)CKPT_VMA_ANON, v->kind);
		ASSERT_EQ(r->prot, v->prot) {
			TH_LOG("region %zu (%s)", i, r->name);
		}
		ASSERT_EQ(0U, v->file_objref);
		if (r->kind == R_GUARD) {
			/* A guard may merge with a neighbour of ours. */
			ASSERT_LE(v->start, start);
			ASSERT_GE(v->end, end);
		} else {
			ASSERT_EQ(start, v->start) {
				TH_LOG("region %zu (%s)", i, r->name);
			}
			ASSERT_EQ(end, v->end);
			ASSERT_EQ(r->flags, v->flags) {
				TH_LOG("region %zu (%s)", i, r->name);
			}
		}
		off += r->pages;
	}

	free(maps.v);
	image_free(&img);
	target_runs(_metadata, self);
}

/*
 * The pages: exactly those the target wrote, at their addresses, with
 * their contents; none of the untouched, zeroed, locked or guard pages
 * (which /proc shows present or not, as the layout says); no page of zeros
 * anywhere; the executable's code is not saved (it is in the file), a
 * written page of its data is.
 */
TEST_F(ti, mm_pages)
{
	const struct ckpt_m_mm *mm;
	struct layout_info info;
	struct image img;
	const size_t ps = page_size();
	const uint8_t *data;
	size_t off = 0, expected = 0;
	uint64_t marker;
	bool present[ARRAY_SIZE(regions)][PATTERN_PAGES];

	spawn_frozen(_metadata, self, 0, layout_hook, NULL);
	memcpy(&info, self->t.info, sizeof(info));
	for (size_t i = 0; i < ARRAY_SIZE(regions); i++) {
		for (unsigned int k = 0; k < regions[i].pages; k++)
			present[i][k] = ckpt_page_present(self->t.pid,
							  info.base + (off + k) * ps) == 1;
		off += regions[i].pages;
	}
	checkpoint_image(_metadata, self, self->t.pid, &img);
	ASSERT_EQ(1U, img.m.nr_mms);
	mm = &img.m.mms[0];

	off = 0;
	for (size_t i = 0; i < ARRAY_SIZE(regions); i++) {
		const struct region *r = &regions[i];

		for (unsigned int k = 0; k < r->pages; k++) {
			uint64_t addr = info.base + (off + k) * ps;

			ASSERT_EQ(region_present(r, k), present[i][k]) {
				TH_LOG("region %zu (%s), page %u: present %d before the checkpoint",
				       i, r->name, k, present[i][k]);
			}
			data = ckpt_m_page_at(mm, addr);
			if (!region_written(r, k)) {
				ASSERT_EQ(NULL, data) {
					TH_LOG("region %zu (%s), page %u is in the image",
					       i, r->name, k);
				}
				continue;
			}
			ASSERT_NE(NULL, data) {
				TH_LOG("region %zu (%s), page %u is not in the image",
				       i, r->name, k);
			}
			ASSERT_TRUE(page_matches(data, addr, i)) {
				TH_LOG("region %zu (%s), page %u: wrong contents",
				       i, r->name, k);
			}
			expected++;
		}
		off += r->pages;
	}
	ASSERT_EQ(expected, ckpt_m_pages_in(mm, info.base,
					    info.base + layout_pages() * ps));
	/* CKPT_PAGES_MAX pages a record at most: the pattern needs two. */
	ASSERT_LE(2U, mm->nr_page_recs);

	/*
	 * No all-zero page of anonymous memory is written.  (A page of a
	 * private file mapping that the task wrote is, even if it is all
	 * zeros now: the file may hold something else there.)
	 */
	for (size_t i = 0; i < mm->nr_pages; i++) {
		bool in_file = false;

		for (uint32_t v = 0; v < mm->rec->nr_vmas; v++)
			if (mm->vmas[v]->start <= mm->pages[i].addr &&
			    mm->pages[i].addr < mm->vmas[v]->end)
				in_file = mm->vmas[v]->kind == CKPT_VMA_FILE;
		if (in_file)
			continue;
		ASSERT_FALSE(ckpt_is_zero(mm->pages[i].data, ps)) {
			TH_LOG("the page at 0x%llx is all zeros",
			       (unsigned long long)mm->pages[i].addr);
		}
	}

	/* Code is never written: it is in the file. */
	check_in_exe_code(_metadata, mm, info.text);
	ASSERT_EQ(NULL, ckpt_m_page_at(mm, info.text & ~(uint64_t)(ps - 1)));
	/* A written page of a private file mapping is saved. */
	ASSERT_EQ((__u32)CKPT_VMA_FILE, ckpt_m_vma_at(mm, info.marker_addr)->kind);
	data = ckpt_m_page_at(mm, info.marker_addr & ~(uint64_t)(ps - 1));
	ASSERT_NE(NULL, data);
	memcpy(&marker, data + (info.marker_addr & (ps - 1)), 8);
	ASSERT_EQ(info.marker, marker);

	image_free(&img);
	target_runs(_metadata, self);
}

/*
 * The fields of the mm record, against /proc/PID/stat and auxv, smaps and
 * the vDSO.
 */
TEST_F(ti, mm_fields)
{
	const struct ckpt_map *stack, *vdso, *heap;
	const struct ckpt_hdr_mm *rec;
	struct ckpt_maps maps;
	struct image img;
	uint64_t auxv[CKPT_AUXV_WORDS], ehdr = 0;
	char path[64];
	long long f[64];
	ssize_t n;

	spawn_frozen(_metadata, self, 0, layout_hook, NULL);
	ASSERT_EQ(0, ckpt_maps_read(self->t.pid, &maps));
	ASSERT_LE(51, ckpt_proc_stat(self->t.pid, f));
	snprintf(path, sizeof(path), "/proc/%d/auxv", (int)self->t.pid);
	n = ckpt_read_file(path, auxv, sizeof(auxv));
	ASSERT_LT(0, n);
	checkpoint_image(_metadata, self, self->t.pid, &img);
	ASSERT_EQ(1U, img.m.nr_mms);
	rec = img.m.mms[0].rec;

	ASSERT_EQ((__u64)f[26], rec->start_code);
	ASSERT_EQ((__u64)f[27], rec->end_code);
	ASSERT_EQ((__u64)f[28], rec->start_stack);
	ASSERT_EQ((__u64)f[45], rec->start_data);
	ASSERT_EQ((__u64)f[46], rec->end_data);
	ASSERT_EQ((__u64)f[47], rec->start_brk);
	ASSERT_EQ((__u64)f[48], rec->arg_start);
	ASSERT_EQ((__u64)f[49], rec->arg_end);
	ASSERT_EQ((__u64)f[50], rec->env_start);
	ASSERT_EQ((__u64)f[51], rec->env_end);
	ASSERT_LE(rec->start_brk, rec->brk);
	heap = ckpt_maps_find(&maps, "[heap]");
	if (heap) {
		ASSERT_LE(heap->start, rec->start_brk);
		ASSERT_EQ(heap->end, (rec->brk + page_size() - 1) &
				     ~(uint64_t)(page_size() - 1));
	}
	stack = ckpt_maps_find(&maps, "[stack]");
	ASSERT_NE(NULL, stack);
	ASSERT_LE(stack->start, rec->start_stack);
	ASSERT_GT(stack->end, rec->start_stack);
	ASSERT_LE(rec->start_code, rec->end_code);
	check_in_exe_code(_metadata, &img.m.mms[0], rec->start_code);

	/* auxv, as /proc shows it: up to and with AT_NULL. */
	ASSERT_EQ((ssize_t)(rec->nr_auxv * 8), n);
	ASSERT_EQ(0, memcmp(auxv, rec->auxv, n));
	for (uint32_t i = 0; i + 1 < rec->nr_auxv; i += 2)
		if (rec->auxv[i] == 33 /* AT_SYSINFO_EHDR */)
			ehdr = rec->auxv[i + 1];
	vdso = ckpt_maps_find(&maps, "[vdso]");
	ASSERT_NE(NULL, vdso);
	ASSERT_EQ(vdso->start, rec->vdso);
	ASSERT_EQ(rec->vdso, ehdr);

	free(maps.v);
	image_free(&img);
	target_runs(_metadata, self);
}

/*
 * The records after a live task's record (and its address space, if it
 * follows) that is in no restartable call: its CPU state, then its
 * state, the fs with its two strings.
 */
static const __u32 state_order[] = {
	CKPT_HDR_CPU_REGS, CKPT_HDR_CPU_XSTATE, CKPT_HDR_CPU_TLS,
	CKPT_HDR_TASK_ATTRS,
	CKPT_HDR_CRED, CKPT_HDR_FD_TABLE, CKPT_HDR_FS, CKPT_HDR_STRING,
	CKPT_HDR_STRING, CKPT_HDR_SIGHAND, CKPT_HDR_SIGNAL,
	CKPT_HDR_TASK_SIGNAL,
};

static void check_state_order(struct __test_metadata *_metadata,
			      const struct ckpt_model *m,
			      const struct ckpt_m_task *t)
{
	/* Its mm right after it, if it is new; its registers after that. */
	if (t->mm_follows) {
		ASSERT_EQ(t->idx + 1, t->mm->idx);
		ASSERT_EQ(t->mm->idx + 1 + t->mm->rec->nr_vmas +
			  t->mm->nr_page_recs, t->cpu_idx);
	} else {
		ASSERT_EQ(t->idx + 1, t->cpu_idx);
	}
	for (size_t k = 0; k < ARRAY_SIZE(state_order); k++) {
		const struct ckpt_rec *rc = &m->r.rec[t->cpu_idx + k];

		ASSERT_EQ(state_order[k], rc->type) {
			TH_LOG("task %d: record %zu after it is a %s (%u), not a %s",
			       t->rec->pid, k + 1, ckpt_type_name(rc->type),
			       rc->type, ckpt_type_name(state_order[k]));
		}
	}
	for (uint32_t k = 0; k < t->tsig->nr_pending; k++) {
		ASSERT_EQ((__u32)CKPT_HDR_SIGINFO,
			  m->r.rec[t->cpu_idx + ARRAY_SIZE(state_order) + k].type);
	}
}

/* The TLS descriptors of a task that set none: three unused entries. */
static void check_tls_unused(struct __test_metadata *_metadata,
			     const struct ckpt_m_task *t)
{
	ASSERT_NE(NULL, t->tls);
	for (int k = 0; k < CKPT_TLS_ENTRIES; k++) {
		const struct ckpt_tls_desc *d = &t->tls->desc[k];

		ASSERT_EQ((__u32)(CKPT_TLS_FIRST_ENTRY + k), d->entry_number);
		ASSERT_EQ(0U, d->base_addr);
		ASSERT_EQ(0U, d->limit);
		ASSERT_EQ((__u32)CKPT_TLS_UNUSED, d->flags) {
			TH_LOG("task %d: TLS entry %d: flags 0x%x",
			       t->rec->pid, CKPT_TLS_FIRST_ENTRY + k, d->flags);
		}
	}
}

/* ------------------------------------------------------------------ */
/* One process: its task record and CPU state                          */

/*
 * The task record and the CPU state of a single-threaded target, against
 * what it reported and what /proc shows of it frozen.
 */
TEST_F(ti, task_record)
{
	const struct ckpt_m_task *t;
	struct layout_info info;
	struct ckpt_syscall sc;
	struct image img;
	char comm[32];
	long long f[64];

	spawn_frozen(_metadata, self, 0, layout_hook, NULL);
	memcpy(&info, self->t.info, sizeof(info));
	ASSERT_EQ(0, ckpt_proc_syscall(self->t.pid, self->t.pid, &sc));
	ASSERT_EQ(SYS_read, sc.nr);
	ASSERT_EQ(0, ckpt_proc_comm(self->t.pid, self->t.pid, comm));
	ASSERT_LE(38, ckpt_proc_stat(self->t.pid, f));
	checkpoint_image(_metadata, self, self->t.pid, &img);

	ASSERT_EQ(1U, img.m.nr_tasks);
	ASSERT_EQ(1U, img.m.nr_mms);
	t = &img.m.tasks[0];
	ASSERT_EQ(self->t.pid, t->rec->pid);
	ASSERT_EQ(self->t.pid, t->rec->tgid);
	ASSERT_EQ(0, t->rec->ppid);
	ASSERT_STREQ(LAYOUT_COMM, t->rec->comm);
	ASSERT_STREQ(comm, t->rec->comm);
	ASSERT_EQ((__s32)SIGCHLD, t->rec->exit_signal);
	ASSERT_EQ((__s32)f[38], t->rec->exit_signal);
	ASSERT_EQ(info.personality, t->rec->personality);
	ASSERT_EQ(0U, t->rec->flags);
	ASSERT_EQ(0, t->rec->exit_code);
	ASSERT_EQ(img.m.mms[0].rec->objref, t->rec->mm_objref);
	/* Not stopped; the group and session of the test (outside). */
	ASSERT_EQ(0U, t->rec->stop_signo);
	ASSERT_EQ(0U, t->rec->reserved2);
	ASSERT_LE(0, t->rec->pgid);
	ASSERT_LE(0, t->rec->sid);
	/* Format version 4: the address space right after the task. */
	ASSERT_FALSE(img.m.old_order);
	ASSERT_TRUE(t->mm_follows);
	ASSERT_EQ(&img.m.mms[0], t->mm);
	ASSERT_EQ(t->idx + 1, img.m.mms[0].idx);
	/* Its files (fds 0-2, its pipes, its executable) before the task. */
	for (size_t i = 0; i < img.m.nr_files; i++) {
		ASSERT_LT(img.m.files[i].idx, t->idx) {
			TH_LOG("file %u (%s) comes after the task record",
			       img.m.files[i].rec->objref, img.m.files[i].path);
		}
	}
	check_state_order(_metadata, &img.m, t);
	/* It blocks in read(2), which restarts without a restart block. */
	ASSERT_EQ(NULL, t->restart);
	/* Its state, then the tail. */
	ASSERT_EQ(img.m.r.nr - 1, t->cpu_idx + ARRAY_SIZE(state_order) +
				  t->tsig->nr_pending);

	check_regs(_metadata, &img.m.mms[0], t, &sc, info.fs_base,
		   info.gs_base);
	ASSERT_NE(0ULL, t->regs->regs.fs_base);
	check_xstate(_metadata, &img.m, t, 0);
	/* A 64-bit program that never called set_thread_area(2). */
	check_tls_unused(_metadata, t);
	/* No POSIX timer, and none made: the next id is the first. */
	ASSERT_EQ(0U, t->signal->rec->nr_posix_timers);
	ASSERT_EQ(0U, t->signal->rec->next_posix_timer_id);

	image_free(&img);
	target_runs(_metadata, self);
}

/* ------------------------------------------------------------------ */
/* Threads, children, zombies                                          */

#define NR_THREADS	2

static struct {
	pid_t tid;
	uint64_t fs_base;
	int ready;
} thr[NR_THREADS];

struct threads_info {
	pid_t tid[NR_THREADS];
	uint64_t fs_base[NR_THREADS + 1];	/* the leader's first */
	uint64_t gs_base;
};

static void *thread_fn(void *arg)
{
	int n = (int)(intptr_t)arg;
	char name[16] = "ckpt-thread-N";

	name[12] = (char)('1' + n);
	prctl(PR_SET_NAME, name, 0, 0, 0);
	thr[n].tid = gettid();
	thr[n].fs_base = arch_get(ARCH_GET_FS_);
	set_fpu_marks(n + 1);
	__atomic_store_n(&thr[n].ready, 1, __ATOMIC_SEQ_CST);
	for (;;)
		pause();
	return NULL;
}

static int threads_hook(void *arg, struct ckpt_target_hello *hello)
{
	struct threads_info *info = (void *)hello->info;
	struct timespec start;

	if (prctl(PR_SET_NAME, "ckpt-leader", 0, 0, 0))
		return -1;
	for (int n = 0; n < NR_THREADS; n++) {
		pthread_t th;

		if (pthread_create(&th, NULL, thread_fn, (void *)(intptr_t)n))
			return -1;
		pthread_detach(th);
	}
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (int n = 0; n < NR_THREADS; n++) {
		while (!__atomic_load_n(&thr[n].ready, __ATOMIC_SEQ_CST)) {
			if (ckpt_ms_since(&start) > 10000)
				return -1;
			ckpt_sleep_ms(1);
		}
		info->tid[n] = thr[n].tid;
		info->fs_base[n + 1] = thr[n].fs_base;
	}
	info->fs_base[0] = arch_get(ARCH_GET_FS_);
	info->gs_base = arch_get(ARCH_GET_GS_);
	hello->tid = thr[0].tid;
	set_fpu_marks(0);
	return 0;
}

/* Let the threads block in their calls, freeze, and read /proc of each. */
static void threads_frozen(struct __test_metadata *_metadata,
			   FIXTURE_DATA(ti) *self, struct threads_info *info,
			   struct ckpt_syscall sc[NR_THREADS + 1])
{
	ASSERT_EQ(0, ckpt_target_spawn_with(&self->t, self->cg, 0,
					    threads_hook, NULL));
	memcpy(info, self->t.info, sizeof(*info));
	wait_blocked(_metadata, self->t.pid, self->t.pid, SYS_read);
	for (int n = 0; n < NR_THREADS; n++)
		wait_blocked(_metadata, self->t.pid, info->tid[n], -1);
	ASSERT_EQ(0, ckpt_cg_freeze(self->cg));
	ASSERT_EQ(0, ckpt_proc_syscall(self->t.pid, self->t.pid, &sc[0]));
	for (int n = 0; n < NR_THREADS; n++) {
		ASSERT_EQ(0, ckpt_proc_syscall(self->t.pid, info->tid[n],
					       &sc[n + 1]));
	}
}

/*
 * Three threads: one mm, three task records sharing it (the leader's
 * first, with the mm after it; the threads' after the leader's state),
 * one tgid (the leader's pid), parent 0 for all (their parent is outside
 * the image), exit signal -1 for the threads, the leader's process group
 * and session, each its own registers, fs base and FPU state.  Restart
 * takes it (dry run).
 */
TEST_F(ti, threads)
{
	struct ckpt_syscall sc[NR_THREADS + 1];
	struct threads_info info;
	struct image img;
	pid_t tids[NR_THREADS + 1];

	threads_frozen(_metadata, self, &info, sc);
	tids[0] = self->t.pid;
	for (int n = 0; n < NR_THREADS; n++)
		tids[n + 1] = info.tid[n];
	checkpoint_image(_metadata, self, self->t.pid, &img);

	ASSERT_EQ(1U, img.m.nr_mms);
	ASSERT_EQ((size_t)NR_THREADS + 1, img.m.nr_tasks);
	ASSERT_EQ(self->t.pid, img.m.tasks[0].rec->pid);
	for (int n = 0; n <= NR_THREADS; n++) {
		const struct ckpt_m_task *t = ckpt_m_task_pid(&img.m, tids[n]);
		char comm[32];

		ASSERT_NE(NULL, t) {
			TH_LOG("no task record for thread %d", tids[n]);
		}
		ASSERT_EQ(self->t.pid, t->rec->tgid);
		ASSERT_EQ(0, t->rec->ppid) {
			TH_LOG("thread %d: ppid %d", tids[n], t->rec->ppid);
		}
		ASSERT_EQ(img.m.mms[0].rec->objref, t->rec->mm_objref);
		ASSERT_EQ(0U, t->rec->flags);
		ASSERT_EQ(img.m.tasks[0].rec->pgid, t->rec->pgid);
		ASSERT_EQ(img.m.tasks[0].rec->sid, t->rec->sid);
		ASSERT_EQ(n ? -1 : SIGCHLD, t->rec->exit_signal);
		ASSERT_EQ(n == 0, t->mm_follows);
		ASSERT_LE(img.m.tasks[0].idx, t->idx);
		ASSERT_EQ(0, ckpt_proc_comm(self->t.pid, tids[n], comm));
		ASSERT_STREQ(comm, t->rec->comm);
		check_regs(_metadata, &img.m.mms[0], t, &sc[n],
			   info.fs_base[n], info.gs_base);
		check_xstate(_metadata, &img.m, t, n);
		check_tls_unused(_metadata, t);
	}
	ASSERT_STREQ("ckpt-leader", img.m.tasks[0].rec->comm);
	/*
	 * One fd table, fs, set of handlers and signal state, written with
	 * the leader and named again by each thread; credentials each.  The
	 * process's pending signals (none here) would be the leader's.
	 */
	ASSERT_EQ(1U, img.m.nr_fdts);
	ASSERT_EQ(1U, img.m.nr_fss);
	ASSERT_EQ(1U, img.m.nr_sighands);
	ASSERT_EQ(1U, img.m.nr_signals);
	check_state_order(_metadata, &img.m, &img.m.tasks[0]);
	for (int n = 1; n <= NR_THREADS; n++) {
		const struct ckpt_m_task *t = ckpt_m_task_pid(&img.m, tids[n]);

		ASSERT_EQ(img.m.tasks[0].fdt, t->fdt);
		ASSERT_EQ(0U, t->fdt_rec->nr_fds);
		ASSERT_EQ(img.m.tasks[0].fdt->rec->objref, t->fdt_rec->objref);
		ASSERT_EQ(img.m.tasks[0].fs, t->fs);
		ASSERT_EQ(img.m.tasks[0].sighand, t->sighand);
		ASSERT_EQ(0U, t->sighand_rec->nr);
		ASSERT_EQ(img.m.tasks[0].signal, t->signal);
		ASSERT_EQ(img.m.tasks[0].rec->nr_files, t->rec->nr_files);
		ASSERT_NE(NULL, t->cred);
		ASSERT_NE(img.m.tasks[0].cred, t->cred);
	}
	ASSERT_EQ((__s32)SIGCHLD, img.m.tasks[0].rec->exit_signal);
	/* Each thread its own TLS. */
	ASSERT_NE(info.fs_base[0], info.fs_base[1]);
	ASSERT_NE(info.fs_base[1], info.fs_base[2]);

	image_free(&img);
	target_runs(_metadata, self);
}

/*
 * Named by a thread's tid rather than the leader's pid, the checkpoint is
 * of the same process: the same image.
 */
TEST_F(ti, threads_named_by_tid)
{
	struct ckpt_syscall sc[NR_THREADS + 1];
	struct threads_info info;
	struct image a, b;

	threads_frozen(_metadata, self, &info, sc);
	checkpoint_image(_metadata, self, self->t.pid, &a);
	checkpoint_image(_metadata, self, info.tid[1], &b);
	ASSERT_EQ(self->t.pid, b.m.tasks[0].rec->pid);
	ASSERT_TRUE(ckpt_images_same(a.buf, a.len, b.buf, b.len)) {
		for (size_t i = 0; i < a.m.nr_tasks && i < b.m.nr_tasks; i++)
			TH_LOG("task %zu: pid %d/%d, ppid %d/%d", i,
			       a.m.tasks[i].rec->pid, b.m.tasks[i].rec->pid,
			       a.m.tasks[i].rec->ppid, b.m.tasks[i].rec->ppid);
	}
	image_free(&a);
	image_free(&b);
	target_runs(_metadata, self);
}

/*
 * A child: two mms, each right after its task record, the child's after
 * the parent's task and state, its parent the target, its own areas
 * (against its smaps) and registers, the same executable file object,
 * its parent's process group and session.
 */
TEST_F(ti, child_process)
{
	const struct ckpt_m_task *root, *kid;
	const struct ckpt_m_mm *kid_mm;
	struct ckpt_syscall sc;
	struct ckpt_maps maps;
	struct image img;
	char exe[PATH_MAX];

	spawn_frozen(_metadata, self, CKPT_TARGET_KID, NULL, NULL);
	ASSERT_LT(0, self->t.kid);
	ASSERT_EQ(0, ckpt_maps_read(self->t.kid, &maps));
	ASSERT_EQ(0, ckpt_proc_syscall(self->t.kid, self->t.kid, &sc));
	readlink_exe(_metadata, self->t.pid, exe);
	checkpoint_image(_metadata, self, self->t.pid, &img);

	ASSERT_EQ(2U, img.m.nr_mms);
	ASSERT_EQ(2U, img.m.nr_tasks);
	root = &img.m.tasks[0];
	kid = &img.m.tasks[1];
	ASSERT_EQ(self->t.pid, root->rec->pid);
	ASSERT_EQ(0, root->rec->ppid);
	ASSERT_EQ(self->t.kid, kid->rec->pid);
	ASSERT_EQ(self->t.kid, kid->rec->tgid);
	ASSERT_EQ(self->t.pid, kid->rec->ppid);
	ASSERT_EQ((__s32)SIGCHLD, kid->rec->exit_signal);
	ASSERT_EQ(0U, kid->rec->flags);
	ASSERT_EQ(img.m.mms[0].rec->objref, root->rec->mm_objref);
	ASSERT_EQ(img.m.mms[1].rec->objref, kid->rec->mm_objref);
	ASSERT_NE(root->rec->mm_objref, kid->rec->mm_objref);
	/* The root's records, then the child's, each mm after its task. */
	ASSERT_EQ(root->idx + 1, img.m.mms[0].idx);
	ASSERT_LT(root->cpu_idx, kid->idx);
	ASSERT_EQ(kid->idx + 1, img.m.mms[1].idx);
	ASSERT_EQ(root, kid->parent);
	ASSERT_EQ(root->rec->pgid, kid->rec->pgid);
	ASSERT_EQ(root->rec->sid, kid->rec->sid);
	check_state_order(_metadata, &img.m, kid);

	kid_mm = &img.m.mms[1];
	check_vmas(_metadata, &img.m, kid_mm, &maps);
	check_exe(_metadata, &img.m, kid_mm, exe);
	ASSERT_EQ(img.m.mms[0].rec->exe_objref, kid_mm->rec->exe_objref);
	check_regs(_metadata, kid_mm, kid, &sc, arch_get(ARCH_GET_FS_),
		   arch_get(ARCH_GET_GS_));
	check_xstate(_metadata, &img.m, kid, -1);
	/* fork() copied the fd table, fs, handlers: objects of its own. */
	ASSERT_NE(root->fdt, kid->fdt);
	ASSERT_NE(root->fs, kid->fs);
	ASSERT_NE(root->sighand, kid->sighand);
	ASSERT_NE(root->signal, kid->signal);
	ASSERT_EQ(4U, img.m.nr_fdts + img.m.nr_fss) {
		TH_LOG("%zu fd tables, %zu fs", img.m.nr_fdts, img.m.nr_fss);
	}
	/* Its fds are 0-2 on /dev/null (its parent's files, shared). */
	ASSERT_EQ(3U, kid->rec->nr_files);
	for (int fd = 0; fd < 3; fd++) {
		ASSERT_EQ(ckpt_m_fd(root, fd)->file_objref,
			  ckpt_m_fd(kid, fd)->file_objref);
	}

	free(maps.v);
	image_free(&img);
	target_runs(_metadata, self);
	ASSERT_EQ(0, kill(self->t.kid, 0));
}

struct zombie_info {
	pid_t exited, killed;
	int exited_status, killed_status;	/* as waitpid() gives them */
};

static int wait_status(const siginfo_t *si)
{
	if (si->si_code == CLD_EXITED)
		return (si->si_status & 0xff) << 8;
	return si->si_status | (si->si_code == CLD_DUMPED ? 0x80 : 0);
}

/* Two children that die and are never reaped: one exits, one is killed. */
static int zombies_hook(void *arg, struct ckpt_target_hello *hello)
{
	struct zombie_info *info = (void *)hello->info;
	siginfo_t si;
	pid_t kid;

	kid = fork();
	if (kid < 0)
		return -1;
	if (kid == 0)
		_exit(7);
	hello->kid = kid;
	memset(&si, 0, sizeof(si));
	if (waitid(P_PID, kid, &si, WEXITED | WNOWAIT))
		return -1;
	info->exited = kid;
	info->exited_status = wait_status(&si);

	kid = fork();
	if (kid < 0)
		return -1;
	if (kid == 0)
		for (;;)
			pause();
	info->killed = kid;
	if (kill(kid, SIGUSR1))
		return -1;
	memset(&si, 0, sizeof(si));
	if (waitid(P_PID, kid, &si, WEXITED | WNOWAIT))
		return -1;
	info->killed_status = wait_status(&si);
	return 0;
}

/*
 * Zombie children: task records with CKPT_TASK_ZOMBIE, no mm, no CPU
 * state after them, their wait status as exit code (as /proc shows it).
 */
TEST_F(ti, zombies)
{
	struct zombie_info info;
	struct image img;
	pid_t kids[2];
	int status[2];

	spawn_frozen(_metadata, self, 0, zombies_hook, NULL);
	memcpy(&info, self->t.info, sizeof(info));
	self->kid2 = info.killed;
	kids[0] = info.exited;
	kids[1] = info.killed;
	status[0] = info.exited_status;
	status[1] = info.killed_status;
	ASSERT_EQ(0x0700, status[0]);
	ASSERT_EQ(SIGUSR1, status[1]);
	checkpoint_image(_metadata, self, self->t.pid, &img);

	ASSERT_EQ(1U, img.m.nr_mms);
	ASSERT_EQ(3U, img.m.nr_tasks);
	ASSERT_EQ(self->t.pid, img.m.tasks[0].rec->pid);
	for (int i = 0; i < 2; i++) {
		const struct ckpt_m_task *z = ckpt_m_task_pid(&img.m, kids[i]);
		const struct ckpt_rec *next;
		char comm[32];
		long long f[64];

		ASSERT_EQ('Z', ckpt_proc_state(kids[i]));
		ASSERT_LE(52, ckpt_proc_stat(kids[i], f));
		ASSERT_EQ(0, ckpt_proc_comm(kids[i], kids[i], comm));
		ASSERT_NE(NULL, z) {
			TH_LOG("no task record for zombie %d", kids[i]);
		}
		ASSERT_EQ((__u32)CKPT_TASK_ZOMBIE, z->rec->flags);
		ASSERT_EQ(0U, z->rec->mm_objref);
		ASSERT_EQ(0U, z->rec->stop_signo);
		ASSERT_EQ(img.m.tasks[0].rec->pgid, z->rec->pgid);
		ASSERT_EQ(img.m.tasks[0].rec->sid, z->rec->sid);
		ASSERT_LT(img.m.tasks[0].idx, z->idx);
		ASSERT_EQ(status[i], z->rec->exit_code);
		ASSERT_EQ(f[52], z->rec->exit_code);
		ASSERT_EQ(kids[i], z->rec->tgid);
		ASSERT_EQ(self->t.pid, z->rec->ppid);
		ASSERT_EQ((__s32)SIGCHLD, z->rec->exit_signal);
		ASSERT_STREQ(comm, z->rec->comm);
		ASSERT_EQ(NULL, z->regs);
		next = &img.m.r.rec[z->idx + 1];
		ASSERT_NE((__u32)CKPT_HDR_CPU_REGS, next->type);
		ASSERT_NE((__u32)CKPT_HDR_CPU_XSTATE, next->type);
	}

	image_free(&img);
	target_runs(_metadata, self);
	ASSERT_EQ('Z', ckpt_proc_state(kids[0]));
	ASSERT_EQ('Z', ckpt_proc_state(kids[1]));
}

struct stopped_info {
	pid_t unreported, reported;
};

/*
 * A child of the target that dies with it (the teardown reaps it), and
 * only then waits; its pid, or -1.
 */
static pid_t fork_pauser(void)
{
	int p[2];
	char c;
	pid_t kid;

	if (pipe(p))
		return -1;
	kid = fork();
	if (kid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
		if (write(p[1], "r", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(p[1]);
	if (kid > 0 && read(p[0], &c, 1) != 1)
		kid = -1;
	close(p[0]);
	return kid;
}

/*
 * Two children stopped by job control signals: one by SIGTSTP, its stop
 * not yet seen by a wait (waitid(WNOWAIT) leaves it to be seen); one by
 * SIGSTOP, its stop seen by waitpid(WUNTRACED).
 */
static int stopped_hook(void *arg, struct ckpt_target_hello *hello)
{
	struct stopped_info *info = (void *)hello->info;
	siginfo_t si;
	pid_t kid;
	int status;

	kid = fork_pauser();
	if (kid < 0)
		return -1;
	hello->kid = kid;
	info->unreported = kid;
	memset(&si, 0, sizeof(si));
	if (kill(kid, SIGTSTP) ||
	    waitid(P_PID, kid, &si, WSTOPPED | WNOWAIT) ||
	    si.si_code != CLD_STOPPED || si.si_status != SIGTSTP)
		return -1;

	kid = fork_pauser();
	if (kid < 0)
		return -1;
	info->reported = kid;
	if (kill(kid, SIGSTOP) || waitpid(kid, &status, WUNTRACED) != kid ||
	    !WIFSTOPPED(status) || WSTOPSIG(status) != SIGSTOP)
		return -1;
	return 0;
}

/*
 * Stopped children (format version 4): CKPT_TASK_STOPPED and the signal
 * that stopped them, CKPT_TASK_STOP_UNREPORTED for the one whose parent
 * has not seen the stop; the target itself is not stopped.  They stay
 * stopped after the thaw.
 */
TEST_F(ti, stopped_children)
{
	const struct ckpt_m_task *u, *r;
	struct stopped_info info;
	struct image img;

	spawn_frozen(_metadata, self, 0, stopped_hook, NULL);
	memcpy(&info, self->t.info, sizeof(info));
	self->kid2 = info.reported;
	ASSERT_EQ('T', ckpt_proc_state(info.unreported));
	ASSERT_EQ('T', ckpt_proc_state(info.reported));
	checkpoint_image(_metadata, self, self->t.pid, &img);

	ASSERT_EQ(3U, img.m.nr_tasks);
	ASSERT_EQ(0U, img.m.tasks[0].rec->flags);
	ASSERT_EQ(0U, img.m.tasks[0].rec->stop_signo);
	u = ckpt_m_task_pid(&img.m, info.unreported);
	r = ckpt_m_task_pid(&img.m, info.reported);
	ASSERT_NE(NULL, u);
	ASSERT_NE(NULL, r);
	ASSERT_EQ((__u32)(CKPT_TASK_STOPPED | CKPT_TASK_STOP_UNREPORTED),
		  u->rec->flags);
	ASSERT_EQ((__u32)SIGTSTP, u->rec->stop_signo);
	ASSERT_EQ((__u32)CKPT_TASK_STOPPED, r->rec->flags);
	ASSERT_EQ((__u32)SIGSTOP, r->rec->stop_signo);
	for (int i = 0; i < 2; i++) {
		const struct ckpt_m_task *k = i ? r : u;

		ASSERT_EQ(self->t.pid, k->rec->ppid);
		ASSERT_TRUE(k->mm_follows);
		ASSERT_NE(NULL, k->regs);
		check_state_order(_metadata, &img.m, k);
	}

	image_free(&img);
	target_runs(_metadata, self);
	ASSERT_EQ('T', ckpt_proc_state(info.unreported));
	ASSERT_EQ('T', ckpt_proc_state(info.reported));
}

/* ------------------------------------------------------------------ */
/* Mapped files                                                        */

/* A file of @pages pages, each filled, at self->path; its real path. */
static void make_file(struct __test_metadata *_metadata,
		      FIXTURE_DATA(ti) *self, const char *name,
		      unsigned int pages, char real[PATH_MAX])
{
	const size_t ps = page_size();
	uint8_t *page = malloc(ps);
	int fd;

	ASSERT_NE(NULL, page);
	snprintf(self->path, sizeof(self->path), "/tmp/ckpt-selftest-%s.%d",
		 name, (int)getpid());
	fd = open(self->path, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0600);
	ASSERT_LE(0, fd);
	for (unsigned int i = 0; i < pages; i++) {
		fill_page(page, i * ps, 100 + i);
		ASSERT_EQ(0, ckpt_write_all(fd, page, ps));
	}
	ASSERT_EQ(0, close(fd));
	free(page);
	ASSERT_NE(NULL, realpath(self->path, real));
}

struct filemap_info {
	uint64_t m1;		/* file pages 1-3, read-write, page 2 written */
	uint64_t m2;		/* file page 0, read-only */
};

#define FILEMAP_SALT	77

static int filemap_hook(void *arg, struct ckpt_target_hello *hello)
{
	struct filemap_info *info = (void *)hello->info;
	const size_t ps = page_size();
	volatile uint8_t sink;
	uint8_t *m1, *m2;
	int fd;

	fd = open(arg, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	m1 = mmap(NULL, 3 * ps, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, ps);
	m2 = mmap(NULL, ps, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (m1 == MAP_FAILED || m2 == MAP_FAILED)
		return -1;
	sink = m1[0];		/* present, the file's */
	sink = m2[0];
	(void)sink;
	fill_page(m1 + ps, (uintptr_t)(m1 + ps), FILEMAP_SALT);
	info->m1 = (uintptr_t)m1;
	info->m2 = (uintptr_t)m2;
	return 0;
}

/*
 * A private mapping of a file: the file is written once, with its path,
 * however many areas map it; the areas refer to it with their offsets; of
 * its pages only the one the target wrote is saved.
 */
TEST_F(ti, private_file_mapping)
{
	const struct ckpt_hdr_vma *v1, *v2;
	const struct ckpt_m_file *file = NULL;
	const struct ckpt_m_mm *mm;
	struct filemap_info info;
	char real[PATH_MAX];
	struct image img;
	const size_t ps = page_size();
	const uint8_t *data;
	unsigned int n = 0;

	make_file(_metadata, self, "map", 4, real);
	spawn_frozen(_metadata, self, 0, filemap_hook, real);
	memcpy(&info, self->t.info, sizeof(info));
	checkpoint_image(_metadata, self, self->t.pid, &img);

	for (size_t i = 0; i < img.m.nr_files; i++) {
		if (!strcmp(img.m.files[i].path, real)) {
			file = &img.m.files[i];
			n++;
		}
	}
	ASSERT_EQ(1U, n) {
		TH_LOG("%u file records for %s", n, real);
	}
	ASSERT_EQ((__u32)CKPT_FILE_REG, file->rec->type);
	ASSERT_EQ((__u64)(4 * ps), file->rec->size);
	ASSERT_EQ(0ULL, file->rec->pos);
	ASSERT_EQ((__u32)O_RDONLY, file->rec->f_flags & O_ACCMODE);
	ASSERT_EQ(0U, file->rec->rdev);

	ASSERT_EQ(1U, img.m.nr_mms);
	mm = &img.m.mms[0];
	/* The file comes before the mm that maps it. */
	ASSERT_LT(file->idx, mm->idx);
	v1 = ckpt_m_vma_at(mm, info.m1);
	v2 = ckpt_m_vma_at(mm, info.m2);
	ASSERT_NE(NULL, v1);
	ASSERT_NE(NULL, v2);
	ASSERT_EQ(info.m1, v1->start);
	ASSERT_EQ(info.m1 + 3 * ps, v1->end);
	ASSERT_EQ((__u32)CKPT_VMA_FILE, v1->kind);
	ASSERT_EQ(file->rec->objref, v1->file_objref);
	ASSERT_EQ(1ULL, v1->pgoff);
	ASSERT_EQ((__u32)RW, v1->prot);
	ASSERT_EQ(info.m2, v2->start);
	ASSERT_EQ(info.m2 + ps, v2->end);
	ASSERT_EQ((__u32)CKPT_VMA_FILE, v2->kind);
	ASSERT_EQ(file->rec->objref, v2->file_objref);
	ASSERT_EQ(0ULL, v2->pgoff);
	ASSERT_EQ((__u32)CKPT_VMA_READ, v2->prot);

	ASSERT_EQ(1U, ckpt_m_pages_in(mm, info.m1, info.m1 + 3 * ps));
	data = ckpt_m_page_at(mm, info.m1 + ps);
	ASSERT_NE(NULL, data);
	ASSERT_TRUE(page_matches(data, info.m1 + ps, FILEMAP_SALT));
	ASSERT_EQ(0U, ckpt_m_pages_in(mm, info.m2, info.m2 + ps));

	image_free(&img);
	target_runs(_metadata, self);
}

/* ------------------------------------------------------------------ */
/* Open files, fd tables, signal state, credentials, attributes        */

/* Move @fd to number @to (with FD_CLOEXEC if @cloexec); -1 on error. */
static int move_fd(int fd, int to, bool cloexec)
{
	if (fd < 0 || dup3(fd, to, cloexec ? O_CLOEXEC : 0) != to)
		return -1;
	close(fd);
	return 0;
}

/* The fds of the fds target, each of another kind. */
#define FT_REG		20	/* the test's file, read-write, at offset 100 */
#define FT_DIR		21	/* /tmp, close-on-exec */
#define FT_ZERO		22	/* /dev/zero */
#define FT_PIPE_R	23	/* a pipe holding 10 bytes */
#define FT_PIPE_W	24	/* its write end, non-blocking */
#define FT_DUP		25	/* a dup() of FT_REG: the same open file */
#define FT_APPEND	26	/* the test's file again, O_APPEND */
#define FT_DATA		"0123456789"

static int fds_hook(void *arg, struct ckpt_target_hello *hello)
{
	int p[2];

	if (move_fd(open(arg, O_RDWR), FT_REG, false) ||
	    lseek(FT_REG, 100, SEEK_SET) != 100 ||
	    move_fd(open("/tmp", O_RDONLY | O_DIRECTORY), FT_DIR, true) ||
	    move_fd(open("/dev/zero", O_RDONLY), FT_ZERO, false) ||
	    pipe(p) || move_fd(p[0], FT_PIPE_R, false) ||
	    move_fd(p[1], FT_PIPE_W, false) ||
	    fcntl(FT_PIPE_W, F_SETFL, O_NONBLOCK) ||
	    write(FT_PIPE_W, FT_DATA, 10) != 10 ||
	    dup2(FT_REG, FT_DUP) != FT_DUP ||
	    move_fd(open(arg, O_WRONLY | O_APPEND), FT_APPEND, false))
		return -1;
	return 0;
}

/* What /proc shows of fd @fd of @pid: its path, offset and flags. */
struct proc_fd {
	char link[PATH_MAX];
	unsigned long long pos;
	unsigned int flags;	/* f_flags, with O_CLOEXEC for the fd flag */
};

static int proc_fd_read(pid_t pid, int fd, struct proc_fd *pf)
{
	char path[64], buf[1024], *p;
	ssize_t n;

	memset(pf, 0, sizeof(*pf));
	snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)pid, fd);
	n = readlink(path, pf->link, sizeof(pf->link) - 1);
	if (n < 0)
		return -errno;
	pf->link[n] = '\0';
	snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d", (int)pid, fd);
	n = ckpt_read_file(path, buf, sizeof(buf) - 1);
	if (n <= 0)
		return -EIO;
	buf[n] = '\0';
	p = strstr(buf, "pos:");
	if (!p || sscanf(p, "pos: %llu", &pf->pos) != 1)
		return -EIO;
	p = strstr(buf, "flags:");
	if (!p || sscanf(p, "flags: %o", &pf->flags) != 1)
		return -EIO;
	return 0;
}

/*
 * The fd table of a target with fds of every kind that checkpoint saves,
 * against /proc: every fd of /proc/PID/fd and no other, by increasing
 * number, each with its close-on-exec flag, its file's open flags, offset,
 * type and path (fdinfo, the fd links); a dup()ed fd names the same file,
 * another open() another; both ends of a pipe name one pipe, which holds
 * the bytes written to it.
 */
TEST_F(ti, fd_table)
{
	const struct ckpt_m_file *reg, *pr, *pw;
	const struct ckpt_m_task *t;
	char real[PATH_MAX], path[64];
	struct image img;
	struct dirent *de;
	uint32_t nr = 0;
	DIR *dir;

	make_file(_metadata, self, "fds", 4, real);
	spawn_frozen(_metadata, self, 0, fds_hook, real);
	checkpoint_image(_metadata, self, self->t.pid, &img);
	ASSERT_EQ(1U, img.m.nr_tasks);
	t = &img.m.tasks[0];
	ASSERT_NE(NULL, t->fdt);

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)self->t.pid);
	dir = opendir(path);
	ASSERT_NE(NULL, dir);
	while ((de = readdir(dir))) {
		const struct ckpt_m_file *f;
		const struct ckpt_fd *e;
		struct proc_fd pf;
		int fd;

		if (de->d_name[0] == '.')
			continue;
		fd = atoi(de->d_name);
		nr++;
		ASSERT_EQ(0, proc_fd_read(self->t.pid, fd, &pf));
		e = ckpt_m_fd(t, fd);
		ASSERT_NE(NULL, e) {
			TH_LOG("fd %d (%s) is not in the fd table", fd, pf.link);
		}
		f = ckpt_m_file_ref(&img.m, e->file_objref);
		ASSERT_NE(NULL, f);
		ASSERT_EQ(!!(pf.flags & O_CLOEXEC), !!(e->flags & CKPT_FD_CLOEXEC)) {
			TH_LOG("fd %d (%s): fdinfo flags 0%o, fd flags %u", fd,
			       pf.link, pf.flags, e->flags);
		}
		ASSERT_EQ(pf.flags & ~(unsigned int)O_CLOEXEC, f->rec->f_flags) {
			TH_LOG("fd %d (%s): fdinfo flags 0%o, image 0%o", fd,
			       pf.link, pf.flags, f->rec->f_flags);
		}
		ASSERT_EQ(pf.pos, f->rec->pos) {
			TH_LOG("fd %d (%s)", fd, pf.link);
		}
		if (fd == self->t.in_cmd || fd == self->t.in_reply) {
			/*
			 * The pipes to the test: external files at their
			 * fds (CHECKPOINT_EXTERNAL), named as /proc does.
			 */
			ASSERT_EQ((__u32)CKPT_FILE_EXTERNAL, f->rec->type);
			ASSERT_EQ((__u32)fd, f->rec->fd);
			ASSERT_STREQ(pf.link, f->path);
		} else if (!strncmp(pf.link, "pipe:", 5)) {
			ASSERT_EQ((__u32)CKPT_FILE_PIPE, f->rec->type);
			ASSERT_STREQ("", f->path);
		} else {
			ASSERT_NE((__u32)CKPT_FILE_PIPE, f->rec->type);
			ASSERT_STREQ(pf.link, f->path);
		}
		/* Every file comes before the mm, the table after both. */
		ASSERT_LT(f->idx, img.m.mms[0].idx);
	}
	closedir(dir);
	ASSERT_EQ(nr, t->fdt->rec->nr_fds);
	ASSERT_EQ(nr, t->rec->nr_files);
	/* 0-2, cmd, reply, and the hook's 7 */
	ASSERT_EQ(12U, nr);

	for (int fd = 0; fd < 3; fd++) {
		const struct ckpt_m_file *f = ckpt_m_fd_file(&img.m, t, fd);

		ASSERT_EQ((__u32)CKPT_FILE_CHR, f->rec->type);
		ASSERT_EQ(ckpt_encode_dev(1, 3), f->rec->rdev);
		ASSERT_STREQ("/dev/null", f->path);
	}
	reg = ckpt_m_fd_file(&img.m, t, FT_REG);
	ASSERT_EQ((__u32)CKPT_FILE_REG, reg->rec->type);
	ASSERT_STREQ(real, reg->path);
	ASSERT_EQ((__u64)(4 * page_size()), reg->rec->size);
	ASSERT_EQ(100ULL, reg->rec->pos);
	ASSERT_EQ((__u32)O_RDWR, reg->rec->f_flags & O_ACCMODE);
	/* dup(): the same file; open(): another, with its own flags */
	ASSERT_EQ(reg, ckpt_m_fd_file(&img.m, t, FT_DUP));
	ASSERT_NE(reg, ckpt_m_fd_file(&img.m, t, FT_APPEND));
	ASSERT_STREQ(real, ckpt_m_fd_file(&img.m, t, FT_APPEND)->path);
	ASSERT_EQ((__u32)(O_WRONLY | O_APPEND),
		  ckpt_m_fd_file(&img.m, t, FT_APPEND)->rec->f_flags &
		  (O_ACCMODE | O_APPEND));
	ASSERT_EQ((__u32)CKPT_FILE_DIR,
		  ckpt_m_fd_file(&img.m, t, FT_DIR)->rec->type);
	ASSERT_EQ((__u32)CKPT_FD_CLOEXEC, ckpt_m_fd(t, FT_DIR)->flags);
	ASSERT_EQ((__u32)CKPT_FILE_CHR,
		  ckpt_m_fd_file(&img.m, t, FT_ZERO)->rec->type);
	ASSERT_EQ(ckpt_encode_dev(1, 5),
		  ckpt_m_fd_file(&img.m, t, FT_ZERO)->rec->rdev);

	/* One pipe, two ends, its bytes; the pipe before its ends. */
	pr = ckpt_m_fd_file(&img.m, t, FT_PIPE_R);
	pw = ckpt_m_fd_file(&img.m, t, FT_PIPE_W);
	ASSERT_NE(pr, pw);
	ASSERT_NE(NULL, pr->pipe);
	ASSERT_EQ(pr->pipe, pw->pipe);
	ASSERT_LT(pr->pipe->idx, pr->idx);
	ASSERT_LT(pr->pipe->idx, pw->idx);
	ASSERT_EQ((__u32)O_RDONLY, pr->rec->f_flags);
	ASSERT_EQ((__u32)(O_WRONLY | O_NONBLOCK), pw->rec->f_flags);
	ASSERT_EQ(65536U, pr->pipe->rec->size);
	ASSERT_EQ(10U, pr->pipe->rec->len);
	ASSERT_EQ(0, memcmp(FT_DATA, pr->pipe->data, 10));

	image_free(&img);
	target_runs(_metadata, self);
}

/* What the state target reports. */
struct state_info {
	uint64_t handler;	/* of SIGUSR1 */
	uint64_t altstack, altstack_size;
	uint64_t rseq;		/* its struct rseq, if registered */
	uint32_t rseq_size;	/* __rseq_size: 0 if not registered */
};

#define ST_UMASK	027
#define ST_NICE		3
#define ST_ALTSTACK	(64 * 1024)
#define ST_RT_SIG	(SIGRTMIN + 2)
#define ST_VALUE	77

static void state_usr1(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)si;
	(void)uc;
}

static int state_hook(void *arg, struct ckpt_target_hello *hello)
{
	struct state_info *info = (void *)hello->info;
	struct itimerval it = {
		.it_value = { .tv_sec = 1000 },
		.it_interval = { .tv_sec = 500 },
	};
	struct rlimit nofile = { 512, 1024 }, core = { 4096, 8192 };
	struct sigaction sa;
	stack_t ss;
	sigset_t set;

	_Static_assert(sizeof(*info) <= CKPT_TARGET_INFO_SIZE, "info");
	umask(ST_UMASK);
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = state_usr1;
	sa.sa_flags = SA_SIGINFO | SA_RESTART | SA_ONSTACK;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGUSR2);
	ss.ss_sp = mmap(NULL, ST_ALTSTACK, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ss.ss_size = ST_ALTSTACK;
	ss.ss_flags = 0;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigaddset(&set, ST_RT_SIG);
	if (chdir("/tmp") || setpriority(PRIO_PROCESS, 0, ST_NICE) ||
	    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) ||
	    sigaction(SIGUSR1, &sa, NULL) || signal(SIGHUP, SIG_IGN) == SIG_ERR ||
	    sigprocmask(SIG_BLOCK, &set, NULL) || ss.ss_sp == MAP_FAILED ||
	    sigaltstack(&ss, NULL) ||
	    /* pending: one for the task, two for the process */
	    syscall(SYS_tgkill, getpid(), gettid(), SIGUSR2) ||
	    kill(getpid(), SIGUSR2) ||
	    sigqueue(getpid(), ST_RT_SIG, (union sigval){ .sival_int = ST_VALUE }) ||
	    setitimer(ITIMER_REAL, &it, NULL) ||
	    setrlimit(RLIMIT_NOFILE, &nofile) || setrlimit(RLIMIT_CORE, &core))
		return -1;
	info->handler = (uintptr_t)state_usr1;
	info->altstack = (uintptr_t)ss.ss_sp;
	info->altstack_size = ST_ALTSTACK;
	info->rseq_size = __rseq_size;
	if (__rseq_size)
		info->rseq = (uintptr_t)__builtin_thread_pointer() + __rseq_offset;
	return 0;
}

/* The value of the line "@name:\t..." of /proc/@pid/status. */
static int status_field(pid_t pid, const char *name, char *val, size_t size)
{
	char path[64], buf[8192], *p, *nl;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	n = ckpt_read_file(path, buf, sizeof(buf) - 1);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	for (p = buf; p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (strncmp(p, name, strlen(name)) || p[strlen(name)] != ':')
			continue;
		p += strlen(name) + 1;
		while (*p == '\t' || *p == ' ')
			p++;
		nl = strchr(p, '\n');
		snprintf(val, size, "%.*s", nl ? (int)(nl - p) : (int)strlen(p),
			 p);
		return 0;
	}
	return -1;
}

static uint64_t status_hex(struct __test_metadata *_metadata, pid_t pid,
			   const char *name)
{
	char val[128];

	if (status_field(pid, name, val, sizeof(val))) {
		TH_LOG("no %s in /proc/%d/status", name, (int)pid);
		return ~0ULL;
	}
	return strtoull(val, NULL, 16);
}

/* The signals whose handler is SIG_IGN (@ign) or a function, as a mask. */
static uint64_t action_mask(const struct ckpt_m_task *t, bool ign)
{
	uint64_t mask = 0;

	for (int sig = 1; sig <= CKPT_NSIG; sig++) {
		uint64_t h = ckpt_m_action(t, sig)->handler;

		if (ign ? h == 1 : h > 1)
			mask |= CKPT_SIGBIT(sig);
	}
	return mask;
}

/* The pending signals of @t, its own (@shared false) or its process's. */
static uint64_t pending_mask(const struct ckpt_m_task *t, bool shared)
{
	uint64_t mask = 0;

	for (uint32_t i = 0; i < t->tsig->nr_pending; i++)
		if (!!(t->siginfo[i]->flags & CKPT_SIGINFO_SHARED) == shared)
			mask |= CKPT_SIGBIT(t->siginfo[i]->signo);
	return mask;
}

/*
 * The state of a target that changed much of it (umask, working
 * directory, nice, no_new_privs, child subreaper, handlers, blocked and
 * pending signals, an alternate stack, an interval timer, limits), against
 * what /proc shows of it frozen and what it reported: attributes,
 * credentials, fs, handlers, signal and task signal state, pending
 * signals with their siginfo, in order.
 */
TEST_F(ti, task_state)
{
	/* its own SIGUSR2, then its process's SIGUSR2 and rt signal */
	static const struct {
		int signo, code;
		bool shared;
	} want_si[] = {
		{ SIGUSR2, SI_TKILL, false },
		{ SIGUSR2, SI_USER, true },
		{ 0 /* ST_RT_SIG, not a constant */, SI_QUEUE, true },
	};
	const struct ckpt_hdr_task_attrs *a;
	const struct ckpt_hdr_signal *sig;
	const struct ckpt_hdr_cred *c;
	const struct ckpt_sigaction *act;
	const struct ckpt_m_task *t;
	struct state_info info;
	struct image img;
	char val[256], want[256], link[64], target[PATH_MAX];
	long long f[64];
	size_t len;
	ssize_t n;

	spawn_frozen(_metadata, self, 0, state_hook, NULL);
	memcpy(&info, self->t.info, sizeof(info));
	ASSERT_LE(41, ckpt_proc_stat(self->t.pid, f));
	checkpoint_image(_metadata, self, self->t.pid, &img);
	ASSERT_EQ(1U, img.m.nr_tasks);
	t = &img.m.tasks[0];
	a = t->attrs;
	c = t->cred;
	sig = t->signal->rec;

	/* Attributes: /proc/PID/stat and status, and what glibc set. */
	ASSERT_EQ(ST_NICE, a->nice);
	ASSERT_EQ(f[19], a->nice);
	ASSERT_EQ(f[41], (long long)a->policy);
	ASSERT_EQ(f[40], (long long)a->rt_priority);
	ASSERT_EQ((__u32)(CKPT_ATTR_NO_NEW_PRIVS | CKPT_ATTR_CHILD_SUBREAPER),
		  a->flags);
	ASSERT_EQ(0, status_field(self->t.pid, "NoNewPrivs", val, sizeof(val)));
	ASSERT_STREQ("1", val);
	ASSERT_EQ(1U, a->dumpable);
	ASSERT_EQ(SIGKILL, a->pdeath_signal);	/* ckpt_target_main()'s */
	ASSERT_NE(0ULL, a->robust_list);	/* glibc's, after fork() */
	ASSERT_EQ((__u64)CKPT_ROBUST_LIST_LEN, a->robust_list_len);
	ASSERT_NE(NULL, ckpt_m_vma_at(&img.m.mms[0], a->robust_list));
	ASSERT_NE(NULL, ckpt_m_vma_at(&img.m.mms[0], a->clear_child_tid)) {
		TH_LOG("clear_child_tid 0x%llx",
		       (unsigned long long)a->clear_child_tid);
	}
	if (info.rseq_size) {
		ASSERT_EQ(info.rseq, a->rseq);
		ASSERT_LE((__u32)CKPT_RSEQ_MIN_LEN, a->rseq_len);
		ASSERT_EQ((__u32)RSEQ_SIG, a->rseq_sig);
	}

	/* Credentials: root's, as /proc/PID/status shows them. */
	snprintf(want, sizeof(want), "%u\t%u\t%u\t%u", c->uid, c->euid,
		 c->suid, c->fsuid);
	ASSERT_EQ(0, status_field(self->t.pid, "Uid", val, sizeof(val)));
	ASSERT_STREQ(want, val);
	snprintf(want, sizeof(want), "%u\t%u\t%u\t%u", c->gid, c->egid,
		 c->sgid, c->fsgid);
	ASSERT_EQ(0, status_field(self->t.pid, "Gid", val, sizeof(val)));
	ASSERT_STREQ(want, val);
	ASSERT_EQ(0, status_field(self->t.pid, "Groups", val, sizeof(val)));
	len = 0;
	want[0] = '\0';
	for (uint32_t i = 0; i < c->nr_groups; i++)
		len += snprintf(want + len, sizeof(want) - len, "%s%u",
				i ? " " : "", t->groups[i]);
	/* (status ends the list with a space) */
	while (strlen(val) && val[strlen(val) - 1] == ' ')
		val[strlen(val) - 1] = '\0';
	ASSERT_STREQ(want, val);
	ASSERT_EQ(c->cap_inheritable, status_hex(_metadata, self->t.pid, "CapInh"));
	ASSERT_EQ(c->cap_permitted, status_hex(_metadata, self->t.pid, "CapPrm"));
	ASSERT_EQ(c->cap_effective, status_hex(_metadata, self->t.pid, "CapEff"));
	ASSERT_EQ(c->cap_bset, status_hex(_metadata, self->t.pid, "CapBnd"));
	ASSERT_EQ(c->cap_ambient, status_hex(_metadata, self->t.pid, "CapAmb"));

	/* fs: the umask, the root and the working directory. */
	ASSERT_EQ((__u32)ST_UMASK, t->fs->rec->umask);
	ASSERT_EQ(0, status_field(self->t.pid, "Umask", val, sizeof(val)));
	ASSERT_EQ((long)ST_UMASK, strtol(val, NULL, 8));
	ASSERT_STREQ("/", t->fs->root);
	snprintf(link, sizeof(link), "/proc/%d/cwd", (int)self->t.pid);
	n = readlink(link, target, sizeof(target) - 1);
	ASSERT_LT(0, n);
	target[n] = '\0';
	ASSERT_STREQ(target, t->fs->cwd);

	/* Handlers, blocked and pending signals, as status shows them. */
	ASSERT_EQ(status_hex(_metadata, self->t.pid, "SigIgn"),
		  action_mask(t, true));
	ASSERT_EQ(status_hex(_metadata, self->t.pid, "SigCgt"),
		  action_mask(t, false));
	ASSERT_EQ(status_hex(_metadata, self->t.pid, "SigBlk"), t->tsig->blocked);
	ASSERT_EQ(status_hex(_metadata, self->t.pid, "SigPnd"),
		  pending_mask(t, false));
	ASSERT_EQ(status_hex(_metadata, self->t.pid, "ShdPnd"),
		  pending_mask(t, true));
	act = ckpt_m_action(t, SIGUSR1);
	ASSERT_EQ(info.handler, act->handler);
	ASSERT_EQ((__u64)(SA_SIGINFO | SA_RESTART | SA_ONSTACK),
		  act->flags & (SA_SIGINFO | SA_RESTART | SA_ONSTACK));
	ASSERT_EQ(CKPT_SIGBIT(SIGUSR2), act->mask);
	ASSERT_EQ(1ULL, ckpt_m_action(t, SIGHUP)->handler);
	ASSERT_EQ(CKPT_SIGBIT(SIGUSR2) | CKPT_SIGBIT(ST_RT_SIG), t->tsig->blocked);
	ASSERT_EQ(info.altstack, t->tsig->altstack_sp);
	ASSERT_EQ(info.altstack_size, t->tsig->altstack_size);
	ASSERT_EQ(0U, t->tsig->altstack_flags);

	/* Its own SIGUSR2, then its process's SIGUSR2 and rt signal. */
	ASSERT_EQ(3U, t->tsig->nr_pending);
	for (uint32_t i = 0; i < 3; i++) {
		const struct ckpt_hdr_siginfo *si = t->siginfo[i];
		int signo = want_si[i].signo ? want_si[i].signo : ST_RT_SIG;
		siginfo_t info_si;

		memcpy(&info_si, si->info, sizeof(info_si));
		ASSERT_EQ((__u32)signo, si->signo) {
			TH_LOG("pending signal %u", i);
		}
		ASSERT_EQ(want_si[i].shared, !!(si->flags & CKPT_SIGINFO_SHARED)) {
			TH_LOG("pending signal %u (%d)", i, signo);
		}
		ASSERT_EQ(signo, info_si.si_signo);
		ASSERT_EQ(want_si[i].code, info_si.si_code) {
			TH_LOG("pending signal %u (%d)", i, signo);
		}
		ASSERT_EQ(self->t.pid, info_si.si_pid);
		ASSERT_EQ(0U, info_si.si_uid);
		if (signo == ST_RT_SIG) {
			ASSERT_EQ(ST_VALUE, info_si.si_value.sival_int);
		}
	}

	/* The interval timer: time left, its interval; the limits. */
	ASSERT_EQ(500ULL * 1000000000, sig->itimer[CKPT_ITIMER_REAL].interval);
	ASSERT_GE(1000ULL * 1000000000, sig->itimer[CKPT_ITIMER_REAL].value);
	ASSERT_LT(900ULL * 1000000000, sig->itimer[CKPT_ITIMER_REAL].value);
	ASSERT_EQ(0ULL, sig->itimer[CKPT_ITIMER_VIRTUAL].value);
	ASSERT_EQ(0ULL, sig->itimer[CKPT_ITIMER_PROF].value);
	for (int r = 0; r < CKPT_NR_RLIMITS; r++) {
		struct rlimit l;

		ASSERT_EQ(0, prlimit(self->t.pid, r, NULL, &l));
		ASSERT_EQ((__u64)l.rlim_cur, sig->rlim[r].cur) {
			TH_LOG("rlimit %d", r);
		}
		ASSERT_EQ((__u64)l.rlim_max, sig->rlim[r].max) {
			TH_LOG("rlimit %d", r);
		}
	}
	ASSERT_EQ(512ULL, sig->rlim[RLIMIT_NOFILE].cur);
	ASSERT_EQ(8192ULL, sig->rlim[RLIMIT_CORE].max);

	image_free(&img);
	target_runs(_metadata, self);
}

/* ------------------------------------------------------------------ */
/* POSIX timers and TLS descriptors (format version 3)                 */

#define TT_SIG		37	/* blocked: the timers' signals would wait */
#define TT_SIG_TASK	38
#define TT_NR		5	/* timers 0 to 5 made, 2 deleted */
#define TT_NEXT		6

struct timers_info {
	int failed, err;	/* the step of the setup that failed, its errno */
	int tid;
	struct user_desc tls[CKPT_TLS_ENTRIES];	/* get_thread_area(2)'s */
};

static uint64_t tt_value(int id)
{
	return 0xabc000000000ULL + id;
}

/*
 * Timers of each clock and notification, and a TLS descriptor (entry 13,
 * a read-only data segment over a buffer):
 *   0  CLOCK_REALTIME, TT_SIG to the process, in 1000 s, then every 500 s
 *   1  CLOCK_MONOTONIC, made without a sigevent (SIGALRM, its id as its
 *      value), never set
 *   3  CLOCK_TAI, TT_SIG_TASK to the task (SIGEV_THREAD_ID), in 100 s
 *   4  CLOCK_BOOTTIME, SIGEV_NONE, in 50 s, then every second
 *   5  CLOCK_MONOTONIC, SIGEV_THREAD (the kernel signals the process)
 */
static int timers_tls_hook(void *arg, struct ckpt_target_hello *hello)
{
	static const struct {
		clockid_t clock;
		int notify, signo;
		time_t value, interval;
	} how[] = {
		{ CLOCK_REALTIME, SIGEV_SIGNAL, TT_SIG, 1000, 500 },
		{ CLOCK_MONOTONIC, -1, 0, 0, 0 },
		{ CLOCK_MONOTONIC, SIGEV_NONE, 0, 0, 0 },
		{ CLOCK_TAI, SIGEV_SIGNAL | SIGEV_THREAD_ID, TT_SIG_TASK, 100, 0 },
		{ CLOCK_BOOTTIME, SIGEV_NONE, 0, 50, 1 },
		{ CLOCK_MONOTONIC, SIGEV_THREAD, TT_SIG, 0, 0 },
	};
	static uint8_t buf[32];
	struct timers_info *info = (void *)hello->info;
	struct user_desc d = {
		.entry_number = 13,
		.base_addr = (uint32_t)(uintptr_t)buf,
		.limit = sizeof(buf) - 1,
		.seg_32bit = 1,
		.read_exec_only = 1,
		.useable = 1,
	};
	sigset_t set;

	_Static_assert(sizeof(*info) <= CKPT_TARGET_INFO_SIZE, "info");
	sigemptyset(&set);
	sigaddset(&set, TT_SIG);
	sigaddset(&set, TT_SIG_TASK);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		return -1;
	/* (a failure is said in @info, for the test to tell) */
	for (int id = 0; id < (int)ARRAY_SIZE(how); id++) {
		struct {
			uint64_t value;
			int32_t signo, notify, tid, pad[11];
		} ev = {
			.value = tt_value(id), .signo = how[id].signo,
			.notify = how[id].notify, .tid = gettid(),
		};
		struct itimerspec its = {
			.it_value = { how[id].value, 0 },
			.it_interval = { how[id].interval, 0 },
		};
		int got = -1;

		if (syscall(SYS_timer_create, how[id].clock,
			    how[id].notify < 0 ? NULL : &ev, &got) ||
		    got != id ||
		    syscall(SYS_timer_settime, id, 0, &its, NULL)) {
			info->failed = 1 + id;
			info->err = errno;
			return 0;
		}
	}
	if (syscall(SYS_timer_delete, 2)) {
		info->failed = 10;
		info->err = errno;
		return 0;
	}
	info->err = -ckpt_set_thread_area(&d);
	if (info->err) {
		info->failed = 11;
		return 0;
	}
	for (int k = 0; k < CKPT_TLS_ENTRIES; k++) {
		info->tls[k].entry_number = CKPT_TLS_FIRST_ENTRY + k;
		info->err = -ckpt_get_thread_area(&info->tls[k]);
		if (info->err) {
			info->failed = 20 + k;
			return 0;
		}
	}
	info->tid = gettid();
	return 0;
}

/* A timer as /proc/PID/timers shows it */
struct proc_timer {
	int id, signo, pid, clock;
	uint64_t value;
	char notify[16], who[8];
};

static int proc_timers(pid_t pid, struct proc_timer *t, int max)
{
	char path[64], buf[4096], *line, *save = NULL;
	ssize_t n;
	int nr = 0;

	snprintf(path, sizeof(path), "/proc/%d/timers", (int)pid);
	n = ckpt_read_file(path, buf, sizeof(buf) - 1);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		unsigned long long v;
		int id;

		if (sscanf(line, "ID: %d", &id) == 1) {
			if (nr == max)
				return -1;
			memset(&t[nr], 0, sizeof(t[nr]));
			t[nr++].id = id;
		} else if (!nr) {
			return -1;
		} else if (sscanf(line, "signal: %d/%llx", &t[nr - 1].signo,
				  &v) == 2) {
			t[nr - 1].value = v;
		} else if (sscanf(line, "notify: %15[^/]/%7[^.].%d",
				  t[nr - 1].notify, t[nr - 1].who,
				  &t[nr - 1].pid) == 3) {
		} else if (sscanf(line, "ClockID: %d", &t[nr - 1].clock) != 1) {
			return -1;
		}
	}
	return nr;
}

/*
 * The timers of a frozen target against /proc/PID/timers (their ids,
 * signals, values, notifications, clocks) and what it set; its TLS
 * descriptors against get_thread_area(2); restart (a dry run) takes it.
 */
TEST_F(ti, posix_timers_and_tls)
{
	static const struct {
		int id;
		const char *notify;
		int64_t left_most, interval;
	} want[TT_NR] = {
		{ 0, "signal", 1000, 500 },
		{ 1, "signal", 0, 0 },
		{ 3, "signal", 100, 0 },
		{ 4, "none", 50, 1 },
		{ 5, "thread", 0, 0 },
	};
	struct proc_timer pt[8];
	struct timers_info info;
	const struct ckpt_m_task *t;
	struct image img;
	int nr;

	if (!ckpt_tls_available())
		SKIP(return, "no set_thread_area(2) (CONFIG_IA32_EMULATION)");
	spawn_frozen(_metadata, self, 0, timers_tls_hook, NULL);
	memcpy(&info, self->t.info, sizeof(info));
	ASSERT_EQ(0, info.failed) {
		TH_LOG("the target's setup failed at step %d: %s", info.failed,
		       strerror(info.err));
	}
	nr = proc_timers(self->t.pid, pt, 8);
	ASSERT_EQ(TT_NR, nr) {
		TH_LOG("/proc/%d/timers lists %d timers", self->t.pid, nr);
	}
	checkpoint_image(_metadata, self, self->t.pid, &img);
	t = &img.m.tasks[0];

	ASSERT_EQ((uint32_t)TT_NR, t->signal->rec->nr_posix_timers);
	ASSERT_EQ((uint32_t)TT_NEXT, t->signal->rec->next_posix_timer_id);
	for (int k = 0; k < TT_NR; k++) {
		const struct ckpt_hdr_posix_timer *tm = t->signal->timers[k];
		const struct proc_timer *p = NULL;
		bool thread_id = tm->notify & SIGEV_THREAD_ID;
		uint64_t value = tm->id == 1 ? 1 : tt_value(tm->id);

		ASSERT_EQ(want[k].id, tm->id);
		for (int i = 0; i < nr; i++)
			if (pt[i].id == tm->id)
				p = &pt[i];
		ASSERT_NE(NULL, p) {
			TH_LOG("timer %d is not in /proc", tm->id);
		}
		ASSERT_TRUE(p->clock == tm->clock && p->signo == (int)tm->signo &&
			    p->value == tm->value && tm->value == value &&
			    !strcmp(p->notify, want[k].notify) &&
			    (tm->notify & ~SIGEV_THREAD_ID) ==
			    (!strcmp(p->notify, "signal") ? SIGEV_SIGNAL :
			     !strcmp(p->notify, "none") ? SIGEV_NONE :
			     SIGEV_THREAD) &&
			    !strcmp(p->who, thread_id ? "tid" : "pid") &&
			    (thread_id ? tm->notify_tid == p->pid &&
					 p->pid == info.tid :
			     tm->notify_tid == 0)) {
			TH_LOG("timer %d: clock %d, signal %u, value 0x%llx, notify %d (thread %d) in the image; clock %d, signal %d, value 0x%llx, notify %s/%s.%d in /proc",
			       tm->id, tm->clock, tm->signo,
			       (unsigned long long)tm->value, tm->notify,
			       tm->notify_tid, p->clock, p->signo,
			       (unsigned long long)p->value, p->notify, p->who,
			       p->pid);
		}
		/* Never fired, nor taken: no overrun. */
		ASSERT_EQ(-1, tm->overrun);
		ASSERT_EQ(0, tm->overrun_last);
		ASSERT_EQ(want[k].interval * 1000000000ULL, tm->interval);
		ASSERT_TRUE(want[k].left_most ?
			    tm->left > 0 &&
			    tm->left <= want[k].left_most * 1000000000ULL :
			    tm->left == 0) {
			TH_LOG("timer %d: %llu ns left", tm->id,
			       (unsigned long long)tm->left);
		}
	}
	ASSERT_EQ(0U, t->tsig->nr_pending);

	for (int k = 0; k < CKPT_TLS_ENTRIES; k++) {
		const struct ckpt_tls_desc *d = &t->tls->desc[k];
		const struct user_desc *u = &info.tls[k];
		uint32_t flags = (u->seg_32bit ? CKPT_TLS_SEG_32BIT : 0) |
				 u->contents << CKPT_TLS_CONTENTS_SHIFT |
				 (u->read_exec_only ? CKPT_TLS_READ_EXEC_ONLY : 0) |
				 (u->limit_in_pages ? CKPT_TLS_LIMIT_IN_PAGES : 0) |
				 (u->seg_not_present ? CKPT_TLS_NOT_PRESENT : 0) |
				 (u->useable ? CKPT_TLS_USEABLE : 0) |
				 (u->lm ? CKPT_TLS_LM : 0);

		ASSERT_TRUE(d->entry_number == u->entry_number &&
			    d->base_addr == u->base_addr &&
			    d->limit == u->limit && d->flags == flags) {
			TH_LOG("TLS entry %u: base 0x%x, limit 0x%x, flags 0x%x in the image; base 0x%x, limit 0x%x, flags 0x%x seen",
			       u->entry_number, d->base_addr, d->limit,
			       d->flags, u->base_addr, u->limit, flags);
		}
	}
	ASSERT_EQ((uint32_t)CKPT_TLS_UNUSED, t->tls->desc[0].flags);
	ASSERT_EQ((uint32_t)(CKPT_TLS_SEG_32BIT | CKPT_TLS_READ_EXEC_ONLY |
			     CKPT_TLS_USEABLE), t->tls->desc[1].flags);

	image_free(&img);
	target_runs(_metadata, self);
}

/* ------------------------------------------------------------------ */
/* Refusals                                                            */

struct refuse_info {
	uint64_t addr;		/* the mapping refused */
	int err;		/* the hook could not set up: errno */
};

static int shared_anon_hook(void *arg, struct ckpt_target_hello *hello)
{
	struct refuse_info *info = (void *)hello->info;
	uint8_t *p = mmap(NULL, 2 * page_size(), PROT_READ | PROT_WRITE,
			  MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return -1;
	memset(p, 0x42, 2 * page_size());
	info->addr = (uintptr_t)p;
	return 0;
}

/* A read-only shared mapping of a file opened read-only: still shared. */
static int shared_file_hook(void *arg, struct ckpt_target_hello *hello)
{
	struct refuse_info *info = (void *)hello->info;
	volatile uint8_t sink;
	uint8_t *p;
	int fd = open(arg, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	p = mmap(NULL, page_size(), PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return -1;
	sink = p[0];
	(void)sink;
	info->addr = (uintptr_t)p;
	return 0;
}

static int sysv_shm_hook(void *arg, struct ckpt_target_hello *hello)
{
	struct refuse_info *info = (void *)hello->info;
	int id = shmget(IPC_PRIVATE, page_size(), IPC_CREAT | 0600);
	uint8_t *p;

	if (id < 0) {
		info->err = errno;
		return 0;
	}
	p = shmat(id, NULL, 0);
	shmctl(id, IPC_RMID, NULL);	/* gone once detached */
	if (p == (void *)-1) {
		info->err = errno;
		return 0;
	}
	memset(p, 0x42, page_size());
	info->addr = (uintptr_t)p;
	return 0;
}

/* A private mapping of a file that is then unlinked. */
static int unlinked_hook(void *arg, struct ckpt_target_hello *hello)
{
	struct refuse_info *info = (void *)hello->info;
	volatile uint8_t sink;
	uint8_t *p;
	int fd = open(arg, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	p = mmap(NULL, page_size(), PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return -1;
	sink = p[0];
	(void)sink;
	if (unlink(arg))
		return -1;
	info->addr = (uintptr_t)p;
	return 0;
}

/*
 * Shared anonymous memory is an object of its own: a CKPT_FILE_SHMEM file
 * named "dev/zero", of the mapping's size, with the pages; the area is a
 * shared file area of it, with no pages of its own.
 */
static void shared_anon_image(struct __test_metadata *_metadata,
			      const struct image *img, uint64_t addr,
			      uint32_t prot)
{
	const struct ckpt_hdr_vma *v;
	const struct ckpt_m_file *f;

	ASSERT_EQ(1U, img->m.nr_mms);
	v = ckpt_m_vma_at(&img->m.mms[0], addr);
	ASSERT_NE(NULL, v);
	ASSERT_EQ(addr, v->start);
	ASSERT_EQ(addr + 2 * page_size(), v->end);
	ASSERT_EQ((__u32)CKPT_VMA_FILE, v->kind);
	ASSERT_EQ((__u32)CKPT_VMA_SHARED, v->flags & CKPT_VMA_SHARED);
	ASSERT_EQ(prot, v->prot);
	ASSERT_EQ(0U, v->pgoff);
	ASSERT_EQ(0U, ckpt_m_pages_in(&img->m.mms[0], v->start, v->end));
	f = ckpt_m_file_ref(&img->m, v->file_objref);
	ASSERT_NE(NULL, f);
	ASSERT_EQ((__u32)CKPT_FILE_SHMEM, f->rec->type);
	ASSERT_STREQ(CKPT_SHMEM_NAME, f->path);
	ASSERT_EQ((__u32)O_RDWR, f->rec->f_flags);
	ASSERT_EQ(2 * page_size(), f->rec->size);
	ASSERT_EQ(2U, f->nr_pages);
	for (size_t i = 0; i < f->nr_pages; i++) {
		ASSERT_EQ(i * page_size(), f->pages[i].addr);
		ASSERT_EQ(0x42, f->pages[i].data[0]);
		ASSERT_EQ(0x42, f->pages[i].data[page_size() - 1]);
	}
}

TEST_F(ti, shared_anon_mapping)
{
	struct refuse_info info;
	struct image img;

	spawn_frozen(_metadata, self, 0, shared_anon_hook, NULL);
	memcpy(&info, self->t.info, sizeof(info));
	checkpoint_image(_metadata, self, self->t.pid, &img);
	shared_anon_image(_metadata, &img, info.addr, RW);
	image_free(&img);
	target_runs(_metadata, self);
}

/*
 * A shared mapping of a regular file: a file area with CKPT_VMA_SHARED,
 * naming the file; its pages are the file's, never in the image.
 */
TEST_F(ti, shared_file_mapping)
{
	const struct ckpt_hdr_vma *v;
	const struct ckpt_m_file *f;
	struct refuse_info info;
	char real[PATH_MAX];
	struct image img;

	make_file(_metadata, self, "shared", 1, real);
	spawn_frozen(_metadata, self, 0, shared_file_hook, real);
	memcpy(&info, self->t.info, sizeof(info));
	checkpoint_image(_metadata, self, self->t.pid, &img);
	v = ckpt_m_vma_at(&img.m.mms[0], info.addr);
	ASSERT_NE(NULL, v);
	ASSERT_EQ((__u32)CKPT_VMA_FILE, v->kind);
	ASSERT_EQ((__u32)CKPT_VMA_SHARED, v->flags & CKPT_VMA_SHARED);
	ASSERT_EQ((__u32)CKPT_VMA_READ, v->prot);
	f = ckpt_m_file_ref(&img.m, v->file_objref);
	ASSERT_NE(NULL, f);
	ASSERT_STREQ(real, f->path);
	ASSERT_EQ(0U, ckpt_m_pages_in(&img.m.mms[0], v->start, v->end));
	image_free(&img);
	target_runs(_metadata, self);
}

/* Read-only shared anonymous memory: its contents are the object's. */
static int shared_anon_ro_hook(void *arg, struct ckpt_target_hello *hello)
{
	struct refuse_info *info = (void *)hello->info;
	uint8_t *p = mmap(NULL, 2 * page_size(), PROT_READ | PROT_WRITE,
			  MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return -1;
	memset(p, 0x42, 2 * page_size());
	if (mprotect(p, 2 * page_size(), PROT_READ))
		return -1;
	info->addr = (uintptr_t)p;
	return 0;
}

TEST_F(ti, shared_anon_readonly)
{
	struct refuse_info info;
	struct image img;

	spawn_frozen(_metadata, self, 0, shared_anon_ro_hook, NULL);
	memcpy(&info, self->t.info, sizeof(info));
	checkpoint_image(_metadata, self, self->t.pid, &img);
	shared_anon_image(_metadata, &img, info.addr, CKPT_VMA_READ);
	image_free(&img);
	target_runs(_metadata, self);
}

/*
 * SysV shared memory: a file that was unlinked, which cannot be opened
 * again: EOPNOTSUPP (one line or more), naming it.
 */
TEST_F(ti, refuse_sysv_shm)
{
	static const char *const words[] = {
		"SYSV", "unlinked", "shared memory",
	};
	struct refuse_info info;
	bool named = false;
	long ret;
	int err;

	spawn_frozen(_metadata, self, 0, sysv_shm_hook, NULL);
	memcpy(&info, self->t.info, sizeof(info));
	if (info.err)
		SKIP(return, "no SysV shared memory: %s", strerror(info.err));
	ASSERT_EQ(0, ckpt_refill(self->img, NULL, 0));
	ret = sys_checkpoint(self->t.pid, self->img, CKPT_TARGET_CHECKPOINT,
			     self->log[1]);
	err = errno;
	ti_log(self);
	ASSERT_EQ(-1, ret);
	ASSERT_EQ(EOPNOTSUPP, err) {
		TH_LOG("checkpoint: %s; log: \"%s\"", strerror(err),
		       self->logbuf);
	}
	ASSERT_EQ(0, strncmp(self->logbuf, "checkpoint: ", 12)) {
		TH_LOG("log: \"%s\"", self->logbuf);
	}
	for (size_t i = 0; i < ARRAY_SIZE(words); i++)
		named |= strstr(self->logbuf, words[i]) != NULL;
	ASSERT_TRUE(named) {
		TH_LOG("the log does not name SysV memory: \"%s\"",
		       self->logbuf);
	}
	target_runs(_metadata, self);
}

/* A mapped file that was unlinked cannot be opened again: EOPNOTSUPP. */
TEST_F(ti, refuse_unlinked_mapping)
{
	char real[PATH_MAX];

	make_file(_metadata, self, "unlinked", 1, real);
	spawn_frozen(_metadata, self, 0, unlinked_hook, real);
	ASSERT_NE(0, access(real, F_OK));
	checkpoint_refused(_metadata, self, self->t.pid, EOPNOTSUPP,
			   "unlinked");
	ASSERT_LOG_HAS("%s", real);
	target_runs(_metadata, self);
}

/*
 * A traced task: EBUSY, naming it.  Once the tracer detaches, the same
 * target is saved.
 */
TEST_F(ti, refuse_ptraced)
{
	struct image img;
	int status;

	ASSERT_EQ(0, ckpt_target_spawn(&self->t, self->cg, 0));
	ASSERT_EQ(0, ptrace(PTRACE_SEIZE, self->t.pid, NULL, NULL)) {
		TH_LOG("PTRACE_SEIZE: %s", strerror(errno));
	}
	ASSERT_EQ(0, ckpt_cg_freeze(self->cg));
	checkpoint_refused(_metadata, self, self->t.pid, EBUSY, "traced");
	ASSERT_LOG_HAS("task %d ", (int)self->t.pid);
	target_runs(_metadata, self);

	/* Detach: interrupt it into a stop, then let it go. */
	ASSERT_EQ(0, ptrace(PTRACE_INTERRUPT, self->t.pid, NULL, NULL));
	ASSERT_EQ(self->t.pid, waitpid(self->t.pid, &status, 0));
	ASSERT_TRUE(WIFSTOPPED(status));
	ASSERT_EQ(PTRACE_EVENT_STOP, status >> 16);
	ASSERT_EQ(0, ptrace(PTRACE_DETACH, self->t.pid, NULL, NULL));
	ASSERT_EQ(0, ckpt_target_ping(&self->t, 10000));
	ASSERT_EQ(0, ckpt_cg_freeze(self->cg));
	checkpoint_image(_metadata, self, self->t.pid, &img);
	image_free(&img);
	target_runs(_metadata, self);
}

/* A traced descendant makes the tree busy too. */
TEST_F(ti, refuse_ptraced_descendant)
{
	ASSERT_EQ(0, ckpt_target_spawn(&self->t, self->cg, CKPT_TARGET_KID));
	ASSERT_LT(0, self->t.kid);
	ASSERT_EQ(0, ptrace(PTRACE_SEIZE, self->t.kid, NULL, NULL)) {
		TH_LOG("PTRACE_SEIZE: %s", strerror(errno));
	}
	ASSERT_EQ(0, ckpt_cg_freeze(self->cg));
	checkpoint_refused(_metadata, self, self->t.pid, EBUSY, "traced");
	ASSERT_LOG_HAS("task %d ", (int)self->t.kid);
	target_runs(_metadata, self);
	ASSERT_EQ(0, kill(self->t.kid, 0));
}

TEST_HARNESS_MAIN
