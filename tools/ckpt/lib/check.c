// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * The records of an image, checked as restart(2) checks them: where each
 * may come (kernel/checkpoint/restart.c), their lengths (image.c), their
 * fields and references (task.c, mm.c, files.c, arch/x86/checkpoint/regs.c).
 * reader.c calls this for each record with CKPT_READ_CHECK, and frames
 * the reasons into its messages.
 *
 * What it keeps is what the kernel keeps: the kind of each object defined
 * so far (a byte per objref) and the bounds of the memory areas of the
 * address space being read; never anything per page.  The checks that
 * depend on the machine (the largest XSAVE area, vm.max_map_count) are made
 * with CKPT_READ_RESTART only; the few that depend on the kernel's
 * configuration (5-level paging, the auxv size) are left to the kernel.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef __x86_64__
#include <cpuid.h>
#endif

#include "ckpt.h"
#include "internal.h"

/* Kinds of objects, as in the kernel's object hash */
enum {
	OBJ_FILE = 1,
	OBJ_MM = 2,
};

/* What the kernel reads of a record in one piece (CKPT_RECORD_MAX_LEN). */
#define RECORD_MAX_LEN		(64 * 1024)

/* x86_64 user segments (__USER_CS, __USER_DS) */
#define USER_CS			0x33
#define USER_DS			0x2b

/* The smallest XSAVE area: the legacy FXSAVE area and the XSAVE header. */
#define XSAVE_MIN_SIZE		576

/* _NSIG on x86 */
#define NSIG_X86		64

/*
 * VALID_OPEN_FLAGS of include/linux/fcntl.h with the x86 values: the access
 * mode, O_CREAT to __O_TMPFILE.  glibc's O_LARGEFILE is 0 on x86_64, so
 * the kernel's values are spelled out.
 */
#define VALID_OPEN_FLAGS	037777703U

uint32_t ckpt_record_min_len(uint32_t type)
{
	switch (type) {
	case CKPT_HDR_HEADER:
		return sizeof(struct ckpt_hdr_header);
	case CKPT_HDR_TAIL:
		return sizeof(struct ckpt_hdr_tail);
	case CKPT_HDR_STRING:
		return sizeof(struct ckpt_hdr_string);
	case CKPT_HDR_TASK:
		return sizeof(struct ckpt_hdr_task);
	case CKPT_HDR_CPU_REGS:
		return sizeof(struct ckpt_hdr_cpu_regs);
	case CKPT_HDR_CPU_XSTATE:
		return sizeof(struct ckpt_hdr_cpu_xstate);
	case CKPT_HDR_MM:
		return sizeof(struct ckpt_hdr_mm);
	case CKPT_HDR_VMA:
		return sizeof(struct ckpt_hdr_vma);
	case CKPT_HDR_PAGES:
		return sizeof(struct ckpt_hdr_pages);
	case CKPT_HDR_FILE:
		return sizeof(struct ckpt_hdr_file);
	default:
		return sizeof(struct ckpt_hdr);
	}
}

__attribute__((format(printf, 3, 4)))
static enum ckpt_status why(struct ckpt_check *c, enum ckpt_status status,
			    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->why, sizeof(c->why), fmt, ap);
	va_end(ap);
	return status;
}

static enum ckpt_status no_memory(struct ckpt_check *c)
{
	return why(c, CKPT_ERR_GENERIC, "out of memory");
}

/* The largest XSAVE area this CPU's kernel gives, as fpu_user_cfg.max_size
 * (CPUID leaf 0xd, EBX: the size for the features enabled in XCR0); 0 if
 * unknown. */
static uint32_t xsave_max_size(void)
{
#ifdef __x86_64__
	unsigned int a, b, c, d;

	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1U << 27)))
		return 0;	/* no OSXSAVE */
	if (!__get_cpuid_count(0xd, 0, &a, &b, &c, &d))
		return 0;
	return b >= XSAVE_MIN_SIZE ? b : 0;
#else
	return 0;
#endif
}

/* vm.max_map_count of this machine, or 0 if it cannot be read. */
static uint64_t max_map_count(void)
{
	unsigned long long n = 0;
	FILE *f = fopen("/proc/sys/vm/max_map_count", "re");

	if (!f)
		return 0;
	if (fscanf(f, "%llu", &n) != 1)
		n = 0;
	fclose(f);
	return n;
}

void ckpt_check_init(struct ckpt_check *c, unsigned int flags,
		     uint32_t page_size)
{
	memset(c, 0, sizeof(*c));
	c->flags = flags;
	c->page_size = page_size;
	/* TASK_SIZE_MAX with 5-level paging; without, the kernel says so */
	c->user_max = (1ULL << 56) - page_size;
	if (flags & CKPT_READ_RESTART) {
		c->xstate_max = xsave_max_size();
		c->max_map_count = max_map_count();
	}
}

void ckpt_check_release(struct ckpt_check *c)
{
	free(c->kinds);
	free(c->vmas);
	c->kinds = NULL;
	c->vmas = NULL;
}

static const char *obj_kind_name(uint8_t kind)
{
	return kind == OBJ_FILE ? "file" : kind == OBJ_MM ? "mm" : "object";
}

/* A new object: objrefs are given out in order, from 1. */
static enum ckpt_status obj_declare(struct ckpt_check *c, uint32_t objref,
				    uint8_t kind)
{
	if (objref != c->nr_objs + 1)
		return why(c, CKPT_ERR_CORRUPT,
			   ": %s %u is defined out of order (expected objref %u)",
			   obj_kind_name(kind), objref, c->nr_objs + 1);
	if (ckpt_grow_array((void **)&c->kinds, &c->kinds_cap, (size_t)objref, 1))
		return no_memory(c);
	c->kinds[objref - 1] = kind;
	c->nr_objs = objref;
	return CKPT_OK;
}

/* A reference, by @what, to an object defined before it. */
static enum ckpt_status obj_check(struct ckpt_check *c, const char *what,
				  uint32_t objref, uint8_t kind)
{
	if (objref == 0 || objref > c->nr_objs)
		return why(c, CKPT_ERR_CORRUPT,
			   ": %s refers to %s %u, which is not defined before it",
			   what, obj_kind_name(kind), objref);
	if (c->kinds[objref - 1] != kind)
		return why(c, CKPT_ERR_CORRUPT,
			   ": %s refers to %s %u, which is a %s",
			   what, obj_kind_name(kind), objref,
			   obj_kind_name(c->kinds[objref - 1]));
	return CKPT_OK;
}

/* What must come next, if anything: the rest of a task, file or mm. */
static uint32_t expected(const struct ckpt_check *c)
{
	if (c->expect)
		return c->expect;
	if (c->nr_vmas < c->max_vmas)
		return CKPT_HDR_VMA;
	return 0;
}

static enum ckpt_status unexpected(struct ckpt_check *c, uint32_t want)
{
	switch (want) {
	case CKPT_HDR_STRING:
		return why(c, CKPT_ERR_CORRUPT,
			   ": the path of file %u (a string record) must come here",
			   c->file_objref);
	case CKPT_HDR_CPU_REGS:
		return why(c, CKPT_ERR_CORRUPT,
			   ": the registers of task %d must come here",
			   c->task_pid);
	case CKPT_HDR_CPU_XSTATE:
		return why(c, CKPT_ERR_CORRUPT,
			   ": the xstate of task %d must come here",
			   c->task_pid);
	default:
		return why(c, CKPT_ERR_CORRUPT,
			   ": memory area %u of the %u of mm %u must come here",
			   c->nr_vmas + 1, c->max_vmas, c->mm_objref);
	}
}

enum ckpt_status ckpt_check_begin(struct ckpt_check *c,
				  const struct ckpt_hdr *h)
{
	uint32_t want = expected(c);
	uint32_t min = ckpt_record_min_len(h->type);
	uint32_t max = RECORD_MAX_LEN;

	if (want && h->type != want)
		return unexpected(c, want);
	/* Any other record ends the address space being read, as in the
	 * kernel: pages come right after its areas. */
	if (h->type != CKPT_HDR_VMA && h->type != CKPT_HDR_PAGES)
		c->max_vmas = 0;

	switch (h->type) {
	case CKPT_HDR_TAIL:
	case CKPT_HDR_FILE:
	case CKPT_HDR_MM:
	case CKPT_HDR_VMA:
	case CKPT_HDR_TASK:
	case CKPT_HDR_CPU_REGS:
		break;
	case CKPT_HDR_STRING:
		if (want != CKPT_HDR_STRING)
			return why(c, CKPT_ERR_CORRUPT,
				   ": a string record that belongs to no file");
		max = sizeof(struct ckpt_hdr_string) + CKPT_STRING_MAX;
		break;
	case CKPT_HDR_CPU_XSTATE:
		max = c->xstate_max ? sizeof(struct ckpt_hdr_cpu_xstate) +
				      c->xstate_max : UINT32_MAX;
		break;
	case CKPT_HDR_PAGES:
		if (!c->max_vmas || c->nr_vmas != c->max_vmas)
			return why(c, CKPT_ERR_CORRUPT,
				   ": a page record outside an address space");
		max = UINT32_MAX;	/* see ckpt_check_pages_head() */
		break;
	default:
		if (c->flags & CKPT_READ_RESTART)
			return why(c, CKPT_ERR_CORRUPT, ": unknown type %u",
				   h->type);
		max = UINT32_MAX;	/* a newer writer's: listed, not read */
		break;
	}
	if (h->len < min)
		return why(c, CKPT_ERR_CORRUPT,
			   " has a bad length (%u, expected at least %u)",
			   h->len, min);
	if (h->len > max)
		return why(c, CKPT_ERR_CORRUPT,
			   " has a bad length (%u, expected at most %u)",
			   h->len, max);
	return CKPT_OK;
}

enum ckpt_status ckpt_check_pages_head(struct ckpt_check *c,
				       const struct ckpt_hdr_pages *p)
{
	uint64_t want = sizeof(*p) +
			(uint64_t)p->nr_pages * (sizeof(uint64_t) + c->page_size);

	if (!p->nr_pages || p->nr_pages > CKPT_PAGES_MAX)
		return why(c, CKPT_ERR_CORRUPT,
			   ": %u pages, not 1 to %u", p->nr_pages,
			   CKPT_PAGES_MAX);
	if (p->reserved)
		return why(c, CKPT_ERR_CORRUPT,
			   ": the reserved field is 0x%x, not zero",
			   p->reserved);
	if (p->h.len != want)
		return why(c, CKPT_ERR_CORRUPT,
			   " has a bad length (%u, expected %llu for %u pages)",
			   p->h.len, (unsigned long long)want, p->nr_pages);
	return CKPT_OK;
}

static enum ckpt_status check_file(struct ckpt_check *c, const void *data)
{
	struct ckpt_hdr_file rec;
	enum ckpt_status st;

	memcpy(&rec, data, sizeof(rec));
	if (rec.type < CKPT_FILE_REG || rec.type > CKPT_FILE_CHR)
		return why(c, CKPT_ERR_CORRUPT, ": file %u has unknown type %u",
			   rec.objref, rec.type);
	if (rec.f_flags & ~VALID_OPEN_FLAGS)
		return why(c, CKPT_ERR_CORRUPT,
			   ": file %u has unknown open flags 0%o", rec.objref,
			   rec.f_flags & ~VALID_OPEN_FLAGS);
	if ((int64_t)rec.pos < 0 || (int64_t)rec.size < 0)
		return why(c, CKPT_ERR_CORRUPT,
			   ": file %u has a negative offset or size", rec.objref);
	st = obj_declare(c, rec.objref, OBJ_FILE);
	if (st)
		return st;
	c->expect = CKPT_HDR_STRING;
	c->file_objref = rec.objref;
	return CKPT_OK;
}

static enum ckpt_status check_string(struct ckpt_check *c, const void *data,
				     uint32_t kept)
{
	struct ckpt_hdr_string rec;
	const char *s = (const char *)data + sizeof(rec);

	memcpy(&rec, data, sizeof(rec));
	if (rec.len < 1 || rec.len > CKPT_STRING_MAX)
		return why(c, CKPT_ERR_CORRUPT,
			   ": bad string length %u (1 to %u)", rec.len,
			   CKPT_STRING_MAX);
	if (rec.reserved)
		return why(c, CKPT_ERR_CORRUPT,
			   ": the reserved field is 0x%x, not zero",
			   rec.reserved);
	if (rec.len > rec.h.len - sizeof(rec) || rec.len > kept - sizeof(rec))
		return why(c, CKPT_ERR_CORRUPT,
			   ": a string of %u bytes in a record of %u",
			   rec.len, rec.h.len);
	if (strnlen(s, rec.len) != rec.len - 1)
		return why(c, CKPT_ERR_CORRUPT,
			   ": the string does not end with its only NUL");
	if (s[0] != '/')
		return why(c, CKPT_ERR_CORRUPT,
			   ": the path of file %u is not absolute",
			   c->file_objref);
	c->expect = 0;
	return CKPT_OK;
}

static enum ckpt_status check_mm(struct ckpt_check *c, const void *data)
{
	struct ckpt_hdr_mm rec;
	const __u64 *fields[] = {
		&rec.start_code, &rec.end_code, &rec.start_data, &rec.end_data,
		&rec.start_brk, &rec.brk, &rec.start_stack, &rec.arg_start,
		&rec.arg_end, &rec.env_start, &rec.env_end, &rec.vdso,
	};
	enum ckpt_status st;
	char what[32];

	memcpy(&rec, data, sizeof(rec));
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (*fields[i] > c->user_max)
			return why(c, CKPT_ERR_CORRUPT,
				   ": mm %u: address 0x%llx outside user space",
				   rec.objref, (unsigned long long)*fields[i]);
	if (c->max_map_count && rec.nr_vmas > c->max_map_count)
		return why(c, CKPT_ERR_CORRUPT,
			   ": mm %u has %u memory areas, more than vm.max_map_count (%llu) here",
			   rec.objref, rec.nr_vmas,
			   (unsigned long long)c->max_map_count);
	if (rec.nr_auxv > CKPT_AUXV_WORDS || rec.nr_auxv % 2 ||
	    (rec.nr_auxv && rec.auxv[rec.nr_auxv - 2]))
		return why(c, CKPT_ERR_CORRUPT,
			   ": mm %u: bad auxv (%u words, not pairs ending with AT_NULL)",
			   rec.objref, rec.nr_auxv);
	if (rec.exe_objref) {
		snprintf(what, sizeof(what), "the exe of mm %u", rec.objref);
		st = obj_check(c, what, rec.exe_objref, OBJ_FILE);
		if (st)
			return st;
	}
	st = obj_declare(c, rec.objref, OBJ_MM);
	if (st)
		return st;
	c->mm_objref = rec.objref;
	c->nr_vmas = 0;
	c->max_vmas = rec.nr_vmas;
	c->next_page = 0;
	return CKPT_OK;
}

static bool page_aligned(const struct ckpt_check *c, uint64_t addr)
{
	return addr % c->page_size == 0;
}

static enum ckpt_status check_vma(struct ckpt_check *c, const void *data)
{
	struct ckpt_hdr_vma rec;
	uint64_t prev_end;
	enum ckpt_status st;
	char what[64];

	memcpy(&rec, data, sizeof(rec));
	if (c->nr_vmas >= c->max_vmas)
		return why(c, CKPT_ERR_CORRUPT,
			   ": a memory area record outside an address space");
	prev_end = c->nr_vmas ? c->vmas[c->nr_vmas - 1].end : 0;
	if (rec.start >= rec.end || !page_aligned(c, rec.start) ||
	    !page_aligned(c, rec.end) || rec.end > c->user_max)
		return why(c, CKPT_ERR_CORRUPT,
			   ": memory area 0x%llx-0x%llx: bad bounds",
			   (unsigned long long)rec.start,
			   (unsigned long long)rec.end);
	if (rec.start < prev_end)
		return why(c, CKPT_ERR_CORRUPT,
			   ": memory area 0x%llx-0x%llx: not after the one before it, which ends at 0x%llx",
			   (unsigned long long)rec.start,
			   (unsigned long long)rec.end,
			   (unsigned long long)prev_end);
	if (rec.pgoff > UINT64_MAX / c->page_size ||
	    rec.kind < CKPT_VMA_ANON || rec.kind > CKPT_VMA_VDSO ||
	    (rec.prot & ~(CKPT_VMA_READ | CKPT_VMA_WRITE | CKPT_VMA_EXEC)) ||
	    (rec.flags & ~CKPT_VMA_FLAGS_ALL))
		return why(c, CKPT_ERR_CORRUPT,
			   ": memory area 0x%llx-0x%llx: bad offset, kind (%u), protection (0x%x) or flags (0x%x)",
			   (unsigned long long)rec.start,
			   (unsigned long long)rec.end, rec.kind, rec.prot,
			   rec.flags);
	snprintf(what, sizeof(what), "memory area 0x%llx-0x%llx",
		 (unsigned long long)rec.start, (unsigned long long)rec.end);
	if (rec.kind == CKPT_VMA_FILE) {
		st = obj_check(c, what, rec.file_objref, OBJ_FILE);
		if (st)
			return st;
	} else if (rec.file_objref) {
		return why(c, CKPT_ERR_CORRUPT,
			   ": %s: a %s area with a file (%u)", what,
			   ckpt_vma_kind_name(rec.kind), rec.file_objref);
	}
	if (ckpt_grow_array((void **)&c->vmas, &c->vmas_cap, (size_t)c->nr_vmas + 1,
		 sizeof(*c->vmas)))
		return no_memory(c);
	c->vmas[c->nr_vmas].start = rec.start;
	c->vmas[c->nr_vmas].end = rec.end;
	c->vmas[c->nr_vmas].kind = rec.kind;
	c->nr_vmas++;
	return CKPT_OK;
}

/* Does the page at @addr lie in a private area of the mm being read? */
static bool page_in_vmas(const struct ckpt_check *c, uint64_t addr)
{
	uint32_t lo = 0, hi = c->nr_vmas;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		const struct ckpt_check_vma *v = &c->vmas[mid];

		if (addr < v->start)
			hi = mid;
		else if (addr >= v->end)
			lo = mid + 1;
		else
			return v->kind == CKPT_VMA_ANON ||
			       v->kind == CKPT_VMA_FILE;
	}
	return false;
}

static enum ckpt_status check_pages(struct ckpt_check *c,
				    const struct ckpt_record *rec)
{
	const uint64_t *addrs;
	uint32_t nr;

	addrs = ckpt_record_pages(rec, &nr);
	for (uint32_t i = 0; i < nr; i++) {
		uint64_t a = addrs[i];

		if (!page_aligned(c, a))
			return why(c, CKPT_ERR_CORRUPT,
				   ": page %u at 0x%llx is not page-aligned",
				   i, (unsigned long long)a);
		if (a < c->next_page)
			return why(c, CKPT_ERR_CORRUPT,
				   ": page %u at 0x%llx is not after the page before it",
				   i, (unsigned long long)a);
		if (!page_in_vmas(c, a))
			return why(c, CKPT_ERR_CORRUPT,
				   ": page %u at 0x%llx is outside the private memory areas of mm %u",
				   i, (unsigned long long)a, c->mm_objref);
		c->next_page = a + c->page_size;
	}
	return CKPT_OK;
}

static enum ckpt_status check_task(struct ckpt_check *c, const void *data)
{
	struct ckpt_hdr_task rec;
	enum ckpt_status st;
	char what[32];

	memcpy(&rec, data, sizeof(rec));
	if (rec.pid <= 0 || rec.tgid <= 0 || rec.ppid < 0)
		return why(c, CKPT_ERR_CORRUPT,
			   ": task %d: bad pid, tgid (%d) or parent (%d)",
			   rec.pid, rec.tgid, rec.ppid);
	if (rec.exit_signal >= NSIG_X86 || (rec.flags & ~CKPT_TASK_ZOMBIE))
		return why(c, CKPT_ERR_CORRUPT,
			   ": task %d: bad exit signal (%u) or flags (0x%x)",
			   rec.pid, rec.exit_signal, rec.flags);
	if (strnlen(rec.comm, sizeof(rec.comm)) == sizeof(rec.comm))
		return why(c, CKPT_ERR_CORRUPT,
			   ": task %d: its name is not NUL-terminated", rec.pid);
	if (rec.flags & CKPT_TASK_ZOMBIE) {
		if (rec.mm_objref)
			return why(c, CKPT_ERR_CORRUPT,
				   ": task %d: a zombie with memory (mm %u)",
				   rec.pid, rec.mm_objref);
	} else {
		snprintf(what, sizeof(what), "task %d", rec.pid);
		st = obj_check(c, what, rec.mm_objref, OBJ_MM);
		if (st)
			return st;
		c->expect = CKPT_HDR_CPU_REGS;
	}
	c->task_pid = rec.pid;
	/* pages after this belong to no address space */
	c->max_vmas = 0;
	return CKPT_OK;
}

static enum ckpt_status check_regs(struct ckpt_check *c, const void *data)
{
	struct ckpt_hdr_cpu_regs rec;

	memcpy(&rec, data, sizeof(rec));
	if (rec.regs.cs != USER_CS || rec.regs.ss != USER_DS)
		return why(c, CKPT_ERR_CORRUPT,
			   ": task %d: cs 0x%llx and ss 0x%llx are not the user segments (0x%x, 0x%x)",
			   c->task_pid, (unsigned long long)rec.regs.cs,
			   (unsigned long long)rec.regs.ss, USER_CS, USER_DS);
	if (rec.regs.fs_base >= c->user_max || rec.regs.gs_base >= c->user_max)
		return why(c, CKPT_ERR_CORRUPT,
			   ": task %d: fs_base 0x%llx or gs_base 0x%llx outside user space",
			   c->task_pid, (unsigned long long)rec.regs.fs_base,
			   (unsigned long long)rec.regs.gs_base);
	c->expect = CKPT_HDR_CPU_XSTATE;
	return CKPT_OK;
}

static enum ckpt_status check_xstate(struct ckpt_check *c, const void *data)
{
	struct ckpt_hdr_cpu_xstate rec;

	memcpy(&rec, data, sizeof(rec));
	if (rec.size < XSAVE_MIN_SIZE)
		return why(c, CKPT_ERR_CORRUPT,
			   ": task %d: an XSAVE area of %u bytes (at least %u)",
			   c->task_pid, rec.size, XSAVE_MIN_SIZE);
	if (c->xstate_max && rec.size > c->xstate_max)
		return why(c, CKPT_ERR_CORRUPT,
			   ": task %d: an XSAVE area of %u bytes, larger than this CPU's (%u)",
			   c->task_pid, rec.size, c->xstate_max);
	if (rec.reserved)
		return why(c, CKPT_ERR_CORRUPT,
			   ": the reserved field is 0x%x, not zero", rec.reserved);
	if (rec.h.len - sizeof(rec) < rec.size)
		return why(c, CKPT_ERR_CORRUPT,
			   ": task %d: an XSAVE area of %u bytes in a record of %u",
			   c->task_pid, rec.size, rec.h.len);
	c->expect = 0;
	return CKPT_OK;
}

enum ckpt_status ckpt_check_record(struct ckpt_check *c,
				   const struct ckpt_record *rec)
{
	switch (rec->hdr.type) {
	case CKPT_HDR_FILE:
		return check_file(c, rec->data);
	case CKPT_HDR_STRING:
		return check_string(c, rec->data, rec->data_len);
	case CKPT_HDR_MM:
		return check_mm(c, rec->data);
	case CKPT_HDR_VMA:
		return check_vma(c, rec->data);
	case CKPT_HDR_PAGES:
		return check_pages(c, rec);
	case CKPT_HDR_TASK:
		return check_task(c, rec->data);
	case CKPT_HDR_CPU_REGS:
		return check_regs(c, rec->data);
	case CKPT_HDR_CPU_XSTATE:
		return check_xstate(c, rec->data);
	default:
		return CKPT_OK;
	}
}
