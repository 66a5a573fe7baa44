// SPDX-License-Identifier: GPL-2.0
/*
 * ckpt info [--json] [--records] FILE|-: print what an image holds and check
 * it as restart(2) would, short of what depends on the machine (the
 * architecture is printed, not required).  An lz4-compressed image is read
 * as well.
 *
 * The text output is for people and for grep: one "name: value" line per
 * header field; with --records one line per record as it is read; then
 * what the image holds (info_model.c): the process tree, each address
 * space with its memory map, the files, the registers of each task, the
 * number of records of each type; then the tail, and "image OK" last.  A
 * problem stops the reading where it was found and is reported on stderr,
 * after what was read before it.  --json prints the same as one JSON
 * object, for scripts (info_json.c).
 *
 * Memory stays bounded whatever the image's size: records stream past, and
 * only tasks, files and memory areas are kept, pages being counted.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "info.h"

void cmd_info_usage(FILE *out)
{
	fputs("Usage: ckpt info [--json] [--records] FILE\n"
	      "       ckpt info [--json] [--records] -   (read the image from stdin)\n"
	      "\n"
	      "Print the header of a checkpoint image and what it holds: the\n"
	      "process tree, each address space with its memory map (and the\n"
	      "pages the image holds of each area), the files, the registers\n"
	      "of each task, the tail; and check the whole image as restart(2)\n"
	      "does: record order, lengths and padding, objrefs, memory areas\n"
	      "and pages, registers, and the counts and CRC-32C in its tail.\n"
	      "An lz4-compressed image ('ckpt checkpoint -z', 'lz4') is\n"
	      "decompressed on the fly; offsets are those of the image.\n"
	      "The architecture is shown, not required to be this machine's.\n"
	      "\n"
	      "  --json     print it all as one JSON object on one line, with\n"
	      "             \"ok\": true or false, and the \"error\" if not ok\n"
	      "  --records  list every record too (offset, type, length and\n"
	      "             what it says), as it is read: long for a big image\n"
	      "\n"
	      "Prints \"image OK\" and exits 0 if the image is valid; see\n"
	      "'ckpt --help' for the exit status of each kind of problem.\n",
	      out);
}

/* ---- Helpers for both formats ---- */

void info_print_escaped(FILE *out, const char *s, size_t max)
{
	for (size_t i = 0; i < max && s[i]; i++) {
		unsigned char c = s[i];

		if (c >= 0x20 && c < 0x7f && c != '\\')
			fputc(c, out);
		else
			fprintf(out, "\\x%02x", c);
	}
}

void info_vma_perms(const struct info_vma *v, char perms[5])
{
	perms[0] = v->prot & CKPT_VMA_READ ? 'r' : '-';
	perms[1] = v->prot & CKPT_VMA_WRITE ? 'w' : '-';
	perms[2] = v->prot & CKPT_VMA_EXEC ? 'x' : '-';
	perms[3] = 'p';		/* shared mappings are refused */
	perms[4] = '\0';
}

const char *info_vma_name(const struct info_model *m,
			  const struct info_mm *mm, const struct info_vma *v)
{
	const struct info_file *f;

	switch (v->kind) {
	case CKPT_VMA_FILE:
		f = info_model_file(m, v->file_objref);
		return f && f->path ? f->path : NULL;
	case CKPT_VMA_VDSO:
		return "[vdso]";
	case CKPT_VMA_ANON:
		/* as /proc/PID/maps names them */
		if (v->start <= mm->rec.brk && v->end >= mm->rec.start_brk &&
		    mm->rec.brk > mm->rec.start_brk)
			return "[heap]";
		if (v->start <= mm->rec.start_stack &&
		    v->end >= mm->rec.start_stack)
			return "[stack]";
		return NULL;
	default:
		return NULL;
	}
}

/* The value of a register as a negative errno, or 0. */
static int as_errno(uint64_t v)
{
	int64_t s = (int64_t)v;

	return s < 0 && s >= -4095 ? (int)-s : 0;
}

const char *info_errno_name(uint64_t v)
{
	int err = as_errno(v);

	switch (err) {
	case 0:
		return NULL;
	/* the kernel's own, which a task frozen in a system call has */
	case 512:
		return "ERESTARTSYS";
	case 513:
		return "ERESTARTNOINTR";
	case 514:
		return "ERESTARTNOHAND";
	case 516:
		return "ERESTART_RESTARTBLOCK";
	default:
		return strerrorname_np(err);
	}
}

/* ---- Sections of record types, for --records ---- */

static void text_string(const struct ckpt_record *rec)
{
	const struct ckpt_hdr_string *s = rec->data;
	size_t max = rec->data_len - sizeof(*s);

	printf("      \"");
	info_print_escaped(stdout, (const char *)(s + 1),
			   s->len < max ? s->len : max);
	printf("\"\n");
}

static void json_string_rec(struct json *j, const struct ckpt_record *rec)
{
	const struct ckpt_hdr_string *s = rec->data;
	size_t max = rec->data_len - sizeof(*s);

	json_uint(j, "len", s->len);
	json_string_max(j, "value", (const char *)(s + 1),
			s->len < max ? s->len : max);
}

static void text_task(const struct ckpt_record *rec)
{
	struct ckpt_hdr_task t;

	memcpy(&t, rec->data, sizeof(t));
	printf("      pid %d, tgid %d, ppid %d, mm %u, flags 0x%x, exit code %d, comm \"",
	       t.pid, t.tgid, t.ppid, t.mm_objref, t.flags, t.exit_code);
	info_print_escaped(stdout, t.comm, sizeof(t.comm));
	printf("\"\n");
}

static void json_task_rec(struct json *j, const struct ckpt_record *rec)
{
	struct ckpt_hdr_task t;

	memcpy(&t, rec->data, sizeof(t));
	json_int(j, "pid", t.pid);
	json_int(j, "tgid", t.tgid);
	json_int(j, "ppid", t.ppid);
	json_uint(j, "exit_signal", t.exit_signal);
	json_uint(j, "personality", t.personality);
	json_uint(j, "mm_objref", t.mm_objref);
	json_uint(j, "flags", t.flags);
	json_int(j, "exit_code", t.exit_code);
	json_string_max(j, "comm", t.comm, sizeof(t.comm));
}

static void text_regs(const struct ckpt_record *rec)
{
	struct ckpt_hdr_cpu_regs r;

	memcpy(&r, rec->data, sizeof(r));
	printf("      ip 0x%" PRIx64 ", sp 0x%" PRIx64 ", orig_ax %" PRId64
	       ", ax 0x%" PRIx64 ", cs 0x%" PRIx64 ", ss 0x%" PRIx64 "\n",
	       (uint64_t)r.regs.ip, (uint64_t)r.regs.sp,
	       (int64_t)r.regs.orig_ax, (uint64_t)r.regs.ax,
	       (uint64_t)r.regs.cs, (uint64_t)r.regs.ss);
}

static void json_regs_rec(struct json *j, const struct ckpt_record *rec)
{
	static const char *const names[] = {
		"r15", "r14", "r13", "r12", "bp", "bx", "r11", "r10", "r9",
		"r8", "ax", "cx", "dx", "si", "di", "orig_ax", "ip", "cs",
		"flags", "sp", "ss", "fs_base", "gs_base", "ds", "es", "fs",
		"gs",
	};
	__u64 regs[sizeof(names) / sizeof(names[0])];

	_Static_assert(sizeof(regs) == sizeof(struct ckpt_x86_regs),
		       "a name for each register");
	memcpy(regs, (const char *)rec->data + sizeof(struct ckpt_hdr),
	       sizeof(regs));
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		json_uint(j, names[i], regs[i]);
}

/* XSTATE_BV, if the XSAVE area was kept that far: 1 or 0. */
static int xstate_bv(const struct ckpt_record *rec, uint64_t *bv)
{
	const struct ckpt_hdr_cpu_xstate *x = rec->data;

	if (x->size < 520 || rec->data_len < sizeof(*x) + 520)
		return 0;
	memcpy(bv, (const unsigned char *)(x + 1) + 512, sizeof(*bv));
	return 1;
}

static void text_xstate(const struct ckpt_record *rec)
{
	const struct ckpt_hdr_cpu_xstate *x = rec->data;
	uint64_t bv;

	printf("      %u bytes", x->size);
	if (xstate_bv(rec, &bv))
		printf(", XSTATE_BV 0x%" PRIx64, bv);
	printf("\n");
}

static void json_xstate_rec(struct json *j, const struct ckpt_record *rec)
{
	const struct ckpt_hdr_cpu_xstate *x = rec->data;
	uint64_t bv;

	json_uint(j, "size", x->size);
	if (xstate_bv(rec, &bv))
		json_uint(j, "xstate_bv", bv);
	else
		json_null(j, "xstate_bv");
}

static void text_mm(const struct ckpt_record *rec)
{
	const struct ckpt_hdr_mm *mm = rec->data;

	printf("      mm %u: %u memory areas, exe file %u, %u auxv words\n",
	       mm->objref, mm->nr_vmas, mm->exe_objref, mm->nr_auxv);
}

static void json_mm_rec(struct json *j, const struct ckpt_record *rec)
{
	const struct ckpt_hdr_mm *mm = rec->data;

	json_uint(j, "objref", mm->objref);
	json_uint(j, "nr_vmas", mm->nr_vmas);
	json_uint(j, "exe_objref", mm->exe_objref);
	json_uint(j, "nr_auxv", mm->nr_auxv);
}

static void text_vma(const struct ckpt_record *rec)
{
	const struct ckpt_hdr_vma *v = rec->data;
	const char *kind = ckpt_vma_kind_name(v->kind);

	printf("      0x%" PRIx64 "-0x%" PRIx64 ", prot 0x%x, flags 0x%x, pgoff 0x%" PRIx64 ", ",
	       (uint64_t)v->start, (uint64_t)v->end, v->prot, v->flags,
	       (uint64_t)v->pgoff);
	if (kind)
		printf("%s", kind);
	else
		printf("kind %u", v->kind);
	if (v->file_objref)
		printf(", file %u", v->file_objref);
	printf("\n");
}

static void json_vma_rec(struct json *j, const struct ckpt_record *rec)
{
	const struct ckpt_hdr_vma *v = rec->data;

	json_uint(j, "start", v->start);
	json_uint(j, "end", v->end);
	json_uint(j, "pgoff", v->pgoff);
	json_uint(j, "kind", v->kind);
	json_uint(j, "prot", v->prot);
	json_uint(j, "flags", v->flags);
	json_uint(j, "file_objref", v->file_objref);
}

static void text_pages(const struct ckpt_record *rec)
{
	uint32_t nr;
	const uint64_t *addrs = ckpt_record_pages(rec, &nr);

	if (nr)
		printf("      %u pages, 0x%" PRIx64 " to 0x%" PRIx64 "\n", nr,
		       addrs[0], addrs[nr - 1]);
}

static void json_pages_rec(struct json *j, const struct ckpt_record *rec)
{
	uint32_t nr;
	const uint64_t *addrs = ckpt_record_pages(rec, &nr);

	json_uint(j, "nr_pages", nr);
	json_begin_array(j, "addrs");
	for (uint32_t i = 0; i < nr; i++)
		json_uint(j, NULL, addrs[i]);
	json_end_array(j);
}

static void text_file(const struct ckpt_record *rec)
{
	const struct ckpt_hdr_file *f = rec->data;
	const char *type = ckpt_file_type_name(f->type);

	printf("      file %u: ", f->objref);
	if (type)
		printf("%s", type);
	else
		printf("type %u", f->type);
	printf(", flags 0%o, offset %" PRIu64 ", size %" PRIu64 ", rdev 0x%x\n",
	       f->f_flags, (uint64_t)f->pos, (uint64_t)f->size, f->rdev);
}

static void json_file_rec(struct json *j, const struct ckpt_record *rec)
{
	const struct ckpt_hdr_file *f = rec->data;

	json_uint(j, "objref", f->objref);
	json_uint(j, "type", f->type);
	json_uint(j, "flags", f->f_flags);
	json_uint(j, "rdev", f->rdev);
	json_uint(j, "pos", f->pos);
	json_uint(j, "size", f->size);
}

/*
 * What each record type says, under its record's line with --records.  The
 * reader has checked each record's length, so a section may read its
 * fixed part.  The entry with no key ends the table.
 */
static const struct info_section info_sections[] = {
	{ CKPT_HDR_STRING, "string", text_string, json_string_rec },
	{ CKPT_HDR_TASK, "task", text_task, json_task_rec },
	{ CKPT_HDR_CPU_REGS, "registers", text_regs, json_regs_rec },
	{ CKPT_HDR_CPU_XSTATE, "xstate", text_xstate, json_xstate_rec },
	{ CKPT_HDR_MM, "mm", text_mm, json_mm_rec },
	{ CKPT_HDR_VMA, "vma", text_vma, json_vma_rec },
	{ CKPT_HDR_PAGES, "pages", text_pages, json_pages_rec },
	{ CKPT_HDR_FILE, "file", text_file, json_file_rec },
	{ 0, NULL, NULL, NULL },
};

const struct info_section *info_section(uint32_t type)
{
	for (const struct info_section *s = info_sections; s->key; s++)
		if (s->type == type)
			return s;
	return NULL;
}

const char *info_time_utc(uint64_t seconds, char *buf, size_t size)
{
	time_t t = (time_t)seconds;
	struct tm tm;

	if (seconds > INT64_MAX || !gmtime_r(&t, &tm) ||
	    !strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm))
		return NULL;
	return buf;
}

/* ---- The text format ---- */

static void text_begin(struct info *in)
{
	(void)in;
}

static void text_header(struct info *in, const struct ckpt_hdr_header *hdr)
{
	const char *arch = ckpt_arch_name(hdr->arch);
	const char *compression = ckpt_reader_compression(in->r);
	char time[64];

	printf("image:          %s\n", in->name);
	if (compression)
		printf("compression:    %s\n", compression);
	printf("magic:          ok\n");
	printf("format version: %u\n", hdr->version);
	if (arch)
		printf("arch:           %s\n", arch);
	else
		printf("arch:           unknown (%u)\n", hdr->arch);
	printf("page size:      %u\n", hdr->page_size);
	/* the kernel release, which the image may not NUL-terminate */
	printf("kernel release: ");
	info_print_escaped(stdout, hdr->release, sizeof(hdr->release));
	printf("\n");
	printf("xfeatures:      0x%" PRIx64 "\n", (uint64_t)hdr->xfeatures);
	printf("flags:          0x%x\n", hdr->flags);
	if (info_time_utc(hdr->time, time, sizeof(time)))
		printf("time:           %s\n", time);
	else
		printf("time:           invalid (%" PRIu64 ")\n",
		       (uint64_t)hdr->time);
	if (in->list_records) {
		printf("records:\n");
		printf("  %12s  %10s  %-9s  %10s\n", "offset", "type", "name",
		       "length");
	}
}

static void text_record(struct info *in, const struct ckpt_record *rec)
{
	const struct info_section *s = info_section(rec->hdr.type);

	if (!in->list_records)
		return;
	printf("  %12" PRIu64 "  %10u  %-9s  %10u\n", rec->offset,
	       rec->hdr.type, ckpt_record_type_name(rec->hdr.type),
	       rec->hdr.len);
	if (s)
		s->text(rec);
}

/* "exit 1", "signal 9", "signal 11, core": a zombie's wait status */
static const char *wait_status(int32_t status, char *buf, size_t size)
{
	int sig = status & 0x7f;

	if (sig == 0)
		snprintf(buf, size, "exit %d", (status >> 8) & 0xff);
	else if (sig != 0x7f)
		snprintf(buf, size, "signal %d%s", sig,
			 status & 0x80 ? ", core" : "");
	else
		snprintf(buf, size, "status 0x%x", (unsigned int)status);
	return buf;
}

static void text_processes(const struct info_model *m)
{
	size_t nr, processes = 0, zombies = 0;
	struct info_tree_entry *tree;

	for (size_t i = 0; i < m->nr_tasks; i++) {
		if (m->tasks[i].pid == m->tasks[i].tgid)
			processes++;
		if (m->tasks[i].flags & CKPT_TASK_ZOMBIE)
			zombies++;
	}
	if (!m->nr_tasks) {
		printf("tasks:          0\n");
		return;
	}
	printf("tasks:          %zu: %zu process%s, %zu other thread%s, %zu zombie%s\n",
	       m->nr_tasks, processes, processes == 1 ? "" : "es",
	       m->nr_tasks - processes, m->nr_tasks - processes == 1 ? "" : "s",
	       zombies, zombies == 1 ? "" : "s");
	tree = info_model_tree(m, &nr);
	if (!tree) {
		printf("  (no memory for the process tree)\n");
		return;
	}
	printf("  %8s  %8s  %8s  %4s  %-16s  %s\n", "pid", "ppid", "tgid", "mm",
	       "state", "comm");
	for (size_t i = 0; i < nr; i++) {
		const struct info_task *t = &m->tasks[tree[i].task];
		char state[40], mm[16];

		if (t->flags & CKPT_TASK_ZOMBIE) {
			char ws[24];

			snprintf(state, sizeof(state), "zombie, %s",
				 wait_status(t->exit_code, ws, sizeof(ws)));
		} else {
			snprintf(state, sizeof(state), "%s",
				 tree[i].thread ? "thread" : "-");
		}
		if (t->mm_objref)
			snprintf(mm, sizeof(mm), "%u", t->mm_objref);
		else
			snprintf(mm, sizeof(mm), "-");
		printf("  %8d  %8d  %8d  %4s  %-16s  ", t->pid, t->ppid, t->tgid,
		       mm, state);
		/* as ps --forest: children under their parent, threads in {} */
		for (size_t d = 1; d < tree[i].depth && d < 64; d++)
			printf("   ");
		if (tree[i].depth)
			fputs("\\_ ", stdout);
		if (tree[i].thread)
			putchar('{');
		info_print_escaped(stdout, t->comm, sizeof(t->comm));
		fputs(tree[i].thread ? "}\n" : "\n", stdout);
	}
	free(tree);
}

/* "0x400000-0x401000", or "-" for an empty range */
static void text_range(const char *name, uint64_t start, uint64_t end)
{
	printf("  %-13s ", name);
	if (start || end)
		printf("0x%" PRIx64 "-0x%" PRIx64 "\n", start, end);
	else
		printf("-\n");
}

static void text_vma_flags(uint32_t flags, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (uint32_t bit = 1; bit && len < size; bit <<= 1) {
		const char *name;

		if (!(flags & bit))
			continue;
		name = ckpt_vma_flag_name(bit);
		if (name)
			len += snprintf(buf + len, size - len, "%s%s",
					len ? "," : "", name);
		else
			len += snprintf(buf + len, size - len, "%s0x%x",
					len ? "," : "", bit);
	}
	if (!buf[0])
		snprintf(buf, size, "-");
}

/* The tasks that use each mm: how many, and the first few pids. */
#define MM_PIDS		8

static void text_mm_users(const struct info_model *m, size_t mm_index,
			  const size_t *users, const int32_t *pids)
{
	size_t n = users[mm_index];

	if (!n) {
		printf(": used by no task\n");
		return;
	}
	printf(": used by %zu task%s (pid%s", n, n == 1 ? "" : "s",
	       n == 1 ? "" : "s");
	for (size_t k = 0; k < n && k < MM_PIDS; k++)
		printf("%s %d", k ? "," : "", pids[mm_index * MM_PIDS + k]);
	printf("%s)\n", n > MM_PIDS ? ", ..." : "");
	(void)m;
}

static void text_mms(const struct info_model *m)
{
	size_t *users = calloc(m->nr_mms + 1, sizeof(*users));
	int32_t *pids = calloc(m->nr_mms * MM_PIDS + 1, sizeof(*pids));

	if (!users || !pids) {
		printf("address spaces: %zu (no memory to show them)\n",
		       m->nr_mms);
		goto out;
	}
	for (size_t i = 0; i < m->nr_tasks; i++) {
		const struct info_mm *mm = info_model_mm(m, m->tasks[i].mm_objref);
		size_t k;

		if (!mm)
			continue;
		k = (size_t)(mm - m->mms);
		if (users[k] < MM_PIDS)
			pids[k * MM_PIDS + users[k]] = m->tasks[i].pid;
		users[k]++;
	}

	printf("address spaces: %zu", m->nr_mms);
	if (m->nr_mms)
		printf(", %" PRIu64 " pages in the image (%" PRIu64 " bytes)",
		       m->pages, m->pages * m->page_size);
	printf("\n");
	for (size_t i = 0; i < m->nr_mms; i++) {
		const struct info_mm *mm = &m->mms[i];
		const struct ckpt_hdr_mm *r = &mm->rec;
		const struct info_file *exe = info_model_file(m, r->exe_objref);

		printf("mm %u", r->objref);
		text_mm_users(m, i, users, pids);
		text_range("code:", r->start_code, r->end_code);
		text_range("data:", r->start_data, r->end_data);
		text_range("brk:", r->start_brk, r->brk);
		printf("  %-13s 0x%" PRIx64 "\n", "stack:",
		       (uint64_t)r->start_stack);
		text_range("args:", r->arg_start, r->arg_end);
		text_range("env:", r->env_start, r->env_end);
		if (r->vdso)
			printf("  %-13s 0x%" PRIx64 "\n", "vdso:",
			       (uint64_t)r->vdso);
		else
			printf("  %-13s none\n", "vdso:");
		printf("  %-13s ", "exe:");
		if (!r->exe_objref) {
			printf("none\n");
		} else {
			if (exe && exe->path)
				info_print_escaped(stdout, exe->path,
						   CKPT_STRING_MAX);
			else
				printf("?");
			printf(" (file %u)\n", r->exe_objref);
		}
		printf("  %-13s %u words\n", "auxv:", r->nr_auxv);
		printf("  %-13s %zu area%s, %" PRIu64 " pages in the image (%" PRIu64 " bytes)\n",
		       "maps:", mm->nr_vmas, mm->nr_vmas == 1 ? "" : "s",
		       mm->pages, mm->pages * m->page_size);
		printf("    %-25s %-4s %-8s %-4s %7s  %-12s %s\n", "start-end",
		       "perm", "offset", "kind", "pages", "flags", "path");
		for (size_t k = 0; k < mm->nr_vmas; k++) {
			const struct info_vma *v = &mm->vmas[k];
			const char *kind = ckpt_vma_kind_name(v->kind);
			const char *name = info_vma_name(m, mm, v);
			char range[40], perms[5], flags[80];

			snprintf(range, sizeof(range), "%08" PRIx64 "-%08" PRIx64,
				 v->start, v->end);
			info_vma_perms(v, perms);
			text_vma_flags(v->flags, flags, sizeof(flags));
			printf("    %-25s %s %08" PRIx64 " %-4s %7" PRIu64 "  %-12s ",
			       range, perms, v->pgoff * m->page_size,
			       kind ? kind : "?", v->pages, flags);
			if (name)
				info_print_escaped(stdout, name, CKPT_STRING_MAX);
			printf("\n");
		}
	}
out:
	free(users);
	free(pids);
}

static void text_files(const struct info_model *m)
{
	printf("files:          %zu\n", m->nr_files);
	if (!m->nr_files)
		return;
	printf("  %8s  %-4s  %10s  %12s  %12s  %s\n", "file", "type", "flags",
	       "offset", "size", "path");
	for (size_t i = 0; i < m->nr_files; i++) {
		const struct info_file *f = &m->files[i];
		const char *type = ckpt_file_type_name(f->rec.type);
		char size[32], flags[16];

		if (f->rec.type == CKPT_FILE_REG)
			snprintf(size, sizeof(size), "%" PRIu64,
				 (uint64_t)f->rec.size);
		else if (f->rec.type == CKPT_FILE_CHR)	/* new_encode_dev() */
			snprintf(size, sizeof(size), "dev %u:%u",
				 (f->rec.rdev & 0xfff00) >> 8,
				 (f->rec.rdev & 0xff) |
				 ((f->rec.rdev >> 12) & 0xfff00));
		else
			snprintf(size, sizeof(size), "-");
		snprintf(flags, sizeof(flags), "0%o", f->rec.f_flags);
		printf("  %8u  %-4s  %10s  %12" PRIu64 "  %12s  ", f->rec.objref,
		       type ? type : "?", flags, (uint64_t)f->rec.pos, size);
		if (f->path)
			info_print_escaped(stdout, f->path, CKPT_STRING_MAX);
		printf("\n");
	}
}

static void text_registers(const struct info_model *m)
{
	bool any = false;

	for (size_t i = 0; i < m->nr_tasks; i++) {
		const struct info_task *t = &m->tasks[i];
		const char *err;

		if (!t->have_regs && !t->have_xstate)
			continue;
		if (!any)
			printf("registers:\n");
		any = true;
		printf("  pid %d:", t->pid);
		if (t->have_regs) {
			printf(" ip 0x%" PRIx64 " sp 0x%" PRIx64 " orig_ax %" PRId64,
			       t->ip, t->sp, (int64_t)t->orig_ax);
			err = info_errno_name(t->ax);
			if (as_errno(t->ax))
				printf(" ax %" PRId64 " (%s)", (int64_t)t->ax,
				       err ? err : "errno");
			else
				printf(" ax 0x%" PRIx64, t->ax);
		}
		if (t->have_xstate) {
			printf(" xstate %u bytes", t->xstate_size);
			if (t->have_xstate_bv)
				printf(" XSTATE_BV 0x%" PRIx64, t->xstate_bv);
		}
		printf("\n");
	}
}

static void text_counts(const struct info_model *m)
{
	uint64_t total = 0;
	bool first = true;

	for (int i = 0; i < INFO_NR_TYPES; i++)
		total += m->counts[i];
	printf("record types:   %" PRIu64, total);
	for (int i = 0; i < INFO_NR_TYPES; i++) {
		if (!m->counts[i])
			continue;
		printf("%s%s %" PRIu64, first ? " (" : ", ",
		       ckpt_record_type_name(info_model_slot_type(i)),
		       m->counts[i]);
		first = false;
	}
	printf("%s\n", first ? "" : ")");
}

/* What the image holds, once: after the tail, or where reading stopped. */
static void text_summary(struct info *in)
{
	if (in->summarized || !in->have_header)
		return;
	in->summarized = true;
	text_processes(&in->model);
	text_mms(&in->model);
	text_files(&in->model);
	text_registers(&in->model);
	text_counts(&in->model);
}

static void text_tail(struct info *in, const struct ckpt_hdr_tail *tail)
{
	text_summary(in);
	printf("tail:\n");
	printf("  records:      %" PRIu64 "\n", (uint64_t)tail->records);
	printf("  bytes:        %" PRIu64 "\n", (uint64_t)tail->bytes);
	printf("  crc32c:       0x%08x\n", tail->crc32c);
}

static void text_end(struct info *in, enum ckpt_status status,
		     const char *error, uint64_t trailing)
{
	(void)error;	/* the caller puts it on stderr */
	text_summary(in);
	if (status != CKPT_OK)
		return;
	/* restart(2) stops at the tail too, so this is no error */
	if (trailing)
		printf("trailing data:  %" PRIu64 " bytes after the tail, not part of the image\n",
		       trailing);
	printf("image OK\n");
}

const struct info_format info_text_format = {
	.begin = text_begin,
	.header = text_header,
	.record = text_record,
	.tail = text_tail,
	.end = text_end,
};

/* ---- The command ---- */

/* List and check the image on @fd; the exit status. */
static int info(struct info *in, const struct info_format *fmt, int fd)
{
	const char *error = NULL;
	struct ckpt_record rec;
	enum ckpt_status ret;
	uint64_t trailing = 0;

	/* checked as restart(2) checks the records, but on any machine */
	in->r = ckpt_reader_from_fd(fd, CKPT_READ_DECOMPRESS | CKPT_READ_CHECK);
	if (!in->r) {
		ckpt_error("%s: %s", in->name, strerror(errno));
		return CKPT_ERR_GENERIC;
	}
	info_model_init(&in->model);
	fmt->begin(in);
	do {
		ret = ckpt_read_record(in->r, &rec);
		if (ret)
			break;
		if (info_model_add(&in->model, &rec)) {
			ret = CKPT_ERR_GENERIC;
			error = "out of memory";
			break;
		}
		if (rec.hdr.type == CKPT_HDR_HEADER) {
			in->have_header = true;
			fmt->header(in, ckpt_reader_header(in->r));
		}
		fmt->record(in, &rec);
	} while (rec.hdr.type != CKPT_HDR_TAIL);

	if (!ret) {
		in->have_tail = true;
		fmt->tail(in, ckpt_reader_tail(in->r));
		ret = ckpt_read_trailing(in->r, &trailing);
	}
	if (ret && !error)
		error = ckpt_reader_error(in->r);
	fmt->end(in, ret, error ? error : "", trailing);
	if (ret)
		ckpt_error("%s: %s", in->name, error);
	ckpt_reader_free(in->r);
	info_model_free(&in->model);
	return ret;
}

int cmd_info(int argc, char **argv)
{
	const struct info_format *fmt = &info_text_format;
	struct info in = { 0 };
	const char *path = NULL;
	bool options_done = false;
	char msg[512];
	int fd, ret;

	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];

		if (!options_done && is_help_option(arg)) {
			cmd_info_usage(stdout);
			return CKPT_OK;
		}
		if (!options_done && !strcmp(arg, "--")) {
			options_done = true;
		} else if (!options_done && !strcmp(arg, "--json")) {
			fmt = &info_json_format;
		} else if (!options_done && !strcmp(arg, "--records")) {
			in.list_records = true;
		} else if (!options_done && arg[0] == '-' && arg[1]) {
			ckpt_error("info: unknown option '%s'", arg);
			cmd_info_usage(stderr);
			return CKPT_ERR_USAGE;
		} else if (path) {
			ckpt_error("info: one image at a time");
			cmd_info_usage(stderr);
			return CKPT_ERR_USAGE;
		} else {
			path = arg;
		}
	}
	if (!path) {
		ckpt_error("info: no image given (a file, or - for stdin)");
		cmd_info_usage(stderr);
		return CKPT_ERR_USAGE;
	}

	if (!strcmp(path, "-")) {
		in.name = "<stdin>";
		ret = info(&in, fmt, STDIN_FILENO);
	} else {
		in.name = path;
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			ret = info(&in, fmt, fd);
			close(fd);
		} else {
			/* a script reading the JSON learns why as well */
			snprintf(msg, sizeof(msg), "cannot open: %s",
				 strerror(errno));
			fmt->begin(&in);
			fmt->end(&in, CKPT_ERR_GENERIC, msg, 0);
			ckpt_error("%s: %s", path, msg);
			ret = CKPT_ERR_GENERIC;
		}
	}

	if (fflush(stdout) || ferror(stdout)) {
		ckpt_error("writing the output failed: %s", strerror(errno));
		return CKPT_ERR_GENERIC;
	}
	return ret;
}
