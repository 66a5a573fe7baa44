// SPDX-License-Identifier: GPL-2.0
/*
 * ckpt info [--json] [--records] FILE|-: print what an image holds and check
 * it as restart(2) would, short of what depends on the machine (the
 * architecture is printed, not required).  An lz4-compressed image is read
 * as well.
 *
 * The text output is for people and for grep: one "name: value" line per
 * header field; with --records one line per record as it is read; then
 * what the image holds (info_model.c): the IPC objects of the
 * container's IPC namespace (SysV objects, the SEM_UNDO adjustments of
 * its processes, POSIX message queues), the process tree (with process groups,
 * sessions and stops), each address space with its memory map (shared
 * areas too, and those that attach a SysV segment), the files (memfds
 * with their seals and pages) and pipes, the registers of each task, the
 * state of each task (TLS descriptors in use, attributes, restart block,
 * credentials, fs, fd table, signal handlers, interval and POSIX timers
 * and limits, blocked and pending signals), the number of records of
 * each type; then the tail, and "image OK" last.  A problem stops the
 * reading where it was found and is reported on stderr, after what was
 * read before it.  --json prints the same as one JSON object, for scripts
 * (info_json.c).
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
	      "namespaces that are the container's own, the IPC objects of its\n"
	      "IPC namespace (shared memory segments, semaphore sets with the\n"
	      "SEM_UNDO adjustments of processes, message queues, POSIX message\n"
	      "queues), the process tree (with each task's process group,\n"
	      "session and job control stop), each address space with its\n"
	      "memory map (private and shared areas, and the pages the image\n"
	      "holds of each), the files (memfds with their size, seals and\n"
	      "pages, epoll files, files open on message queues) and pipes, the\n"
	      "registers of each task, the state of each task (TLS descriptors\n"
	      "in use, attributes, restart block, credentials, fs, fd table,\n"
	      "signal handlers, interval and POSIX timers and limits, blocked\n"
	      "and pending signals), the tail; and check the whole image as\n"
	      "restart(2) does: record order, the order of the tasks, lengths\n"
	      "and padding, objrefs, memory areas and pages, memfds, IPC\n"
	      "objects, epoll files, registers, TLS, fds, attributes,\n"
	      "credentials, signals, timers, and the counts and CRC-32C in its\n"
	      "tail.  An image of an older format version is refused: 'ckpt\n"
	      "convert' makes it one of this version.\n"
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
	perms[3] = v->flags & CKPT_VMA_SHARED ? 's' : 'p';
	perms[4] = '\0';
}

const char *info_seal_name(uint32_t seal)
{
	switch (seal) {
	case 0x1:
		return "seal";		/* F_SEAL_SEAL */
	case 0x2:
		return "shrink";
	case 0x4:
		return "grow";
	case 0x8:
		return "write";
	case 0x10:
		return "future_write";
	case 0x20:
		return "exec";
	default:
		return NULL;
	}
}

/* "seal,shrink", or "-": the seals of a memfd, by name, into @buf */
static const char *text_seals(uint32_t seals, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (uint32_t bit = 1; bit && len < size; bit <<= 1) {
		const char *name = info_seal_name(bit);

		if (!(seals & bit))
			continue;
		if (name)
			len += snprintf(buf + len, size - len, "%s%s",
					len ? "," : "", name);
		else
			len += snprintf(buf + len, size - len, "%s0x%x",
					len ? "," : "", bit);
	}
	if (!buf[0])
		snprintf(buf, size, "-");
	return buf;
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
	case CKPT_VMA_SYSV_SHM: {
		const struct info_shm *shm = info_model_shm(m, v->file_objref);

		return shm ? shm->name : NULL;
	}
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

const char *info_policy_name(uint32_t policy)
{
	switch (policy) {
	case 0:
		return "other";
	case 1:
		return "fifo";
	case 2:
		return "rr";
	case 3:
		return "batch";
	case 5:
		return "idle";
	case 6:
		return "deadline";
	default:
		return NULL;
	}
}

const char *info_si_code_name(int32_t code)
{
	switch (code) {
	case 0:
		return "SI_USER";
	case 0x80:
		return "SI_KERNEL";
	case -1:
		return "SI_QUEUE";
	case -2:
		return "SI_TIMER";
	case -3:
		return "SI_MESGQ";
	case -4:
		return "SI_ASYNCIO";
	case -5:
		return "SI_SIGIO";
	case -6:
		return "SI_TKILL";
	default:
		return NULL;
	}
}

const char *info_clock_name(int32_t clock)
{
	switch (clock) {
	case 0:
		return "realtime";
	case 1:
		return "monotonic";
	case 7:
		return "boottime";
	case 11:
		return "tai";
	default:
		return NULL;
	}
}

const char *info_notify_name(int32_t notify)
{
	switch (notify) {
	case 0:
		return "signal";	/* SIGEV_SIGNAL */
	case 1:
		return "none";
	case 2:
		return "thread";
	case 4:
		return "thread_id";	/* SIGEV_SIGNAL | SIGEV_THREAD_ID */
	default:
		return NULL;
	}
}

bool info_tls_unused(const struct ckpt_tls_desc *d)
{
	uint32_t flags = d->flags & ~CKPT_TLS_LM;

	return !d->base_addr && !d->limit &&
	       (flags == (CKPT_TLS_READ_EXEC_ONLY | CKPT_TLS_NOT_PRESENT) ||
		flags == 0);
}

/*
 * The flags of a TLS descriptor by the names of struct user_desc's bit
 * fields, with its contents if not data: "stack" (expand-down data),
 * "code" or "code_conforming"; into @buf, "-" for none.  (The reader
 * refuses unknown flags.)
 */
static const char *tls_flag_names(uint32_t flags, char *buf, size_t size)
{
	static const char *const contents[] = { NULL, "stack", "code",
						"code_conforming" };
	const char *names[] = {
		flags & CKPT_TLS_SEG_32BIT ? "seg_32bit" : NULL,
		contents[(flags & CKPT_TLS_CONTENTS_MASK) >>
			 CKPT_TLS_CONTENTS_SHIFT],
		flags & CKPT_TLS_READ_EXEC_ONLY ? "read_exec_only" : NULL,
		flags & CKPT_TLS_LIMIT_IN_PAGES ? "limit_in_pages" : NULL,
		flags & CKPT_TLS_NOT_PRESENT ? "seg_not_present" : NULL,
		flags & CKPT_TLS_USEABLE ? "useable" : NULL,
		flags & CKPT_TLS_LM ? "lm" : NULL,
	};
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i] && len < size)
			len += snprintf(buf + len, size - len, "%s%s",
					len ? "," : "", names[i]);
	if (!buf[0])
		snprintf(buf, size, "-");
	return buf;
}

const char *info_ns(int64_t ns, char *buf, size_t size)
{
	uint64_t a = ns < 0 ? -(uint64_t)ns : (uint64_t)ns;

	snprintf(buf, size, "%s%" PRIu64 ".%09" PRIu64, ns < 0 ? "-" : "",
		 a / 1000000000, a % 1000000000);
	return buf;
}

const char *info_rlim(uint64_t v, char *buf, size_t size)
{
	if (v == UINT64_MAX)
		snprintf(buf, size, "unlimited");
	else
		snprintf(buf, size, "%" PRIu64, v);
	return buf;
}

const char *info_time_ns_utc(int64_t ns, char *buf, size_t size)
{
	time_t t = (time_t)(ns / 1000000000);
	struct tm tm;
	char sec[40];

	if (ns < 0 || !gmtime_r(&t, &tm) ||
	    !strftime(sec, sizeof(sec), "%Y-%m-%dT%H:%M:%S", &tm))
		return NULL;
	snprintf(buf, size, "%s.%09" PRId64 "Z", sec, ns % 1000000000);
	return buf;
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
	printf("      pid %d, tgid %d, ppid %d, pgid %d, sid %d, mm %u, flags 0x%x, stop signal %u, exit code %d, files %u, comm \"",
	       t.pid, t.tgid, t.ppid, t.pgid, t.sid, t.mm_objref, t.flags,
	       t.stop_signo, t.exit_code, t.nr_files);
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
	json_int(j, "pgid", t.pgid);
	json_int(j, "sid", t.sid);
	json_int(j, "exit_signal", t.exit_signal);
	json_uint(j, "personality", t.personality);
	json_uint(j, "mm_objref", t.mm_objref);
	json_uint(j, "flags", t.flags);
	json_uint(j, "stop_signo", t.stop_signo);
	json_int(j, "exit_code", t.exit_code);
	json_uint(j, "nr_files", t.nr_files);
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

static void text_tls(const struct ckpt_record *rec)
{
	const struct ckpt_hdr_cpu_tls *t = rec->data;
	char flags[96];

	for (uint32_t i = 0; i < CKPT_TLS_ENTRIES; i++)
		printf("      entry %u: base 0x%x, limit 0x%x, flags 0x%x (%s)\n",
		       t->desc[i].entry_number, t->desc[i].base_addr,
		       t->desc[i].limit, t->desc[i].flags,
		       tls_flag_names(t->desc[i].flags, flags, sizeof(flags)));
}

void json_tls_desc(struct json *j, const struct ckpt_tls_desc *d)
{
	json_begin_object(j, NULL);
	json_uint(j, "entry_number", d->entry_number);
	json_uint(j, "base_addr", d->base_addr);
	json_uint(j, "limit", d->limit);
	json_uint(j, "flags", d->flags);
	json_bool(j, "seg_32bit", d->flags & CKPT_TLS_SEG_32BIT);
	json_uint(j, "contents", (d->flags & CKPT_TLS_CONTENTS_MASK) >>
				 CKPT_TLS_CONTENTS_SHIFT);
	json_bool(j, "read_exec_only", d->flags & CKPT_TLS_READ_EXEC_ONLY);
	json_bool(j, "limit_in_pages", d->flags & CKPT_TLS_LIMIT_IN_PAGES);
	json_bool(j, "seg_not_present", d->flags & CKPT_TLS_NOT_PRESENT);
	json_bool(j, "useable", d->flags & CKPT_TLS_USEABLE);
	json_bool(j, "lm", d->flags & CKPT_TLS_LM);
	json_end_object(j);
}

static void json_tls_rec(struct json *j, const struct ckpt_record *rec)
{
	const struct ckpt_hdr_cpu_tls *t = rec->data;

	json_begin_array(j, "entries");
	for (uint32_t i = 0; i < CKPT_TLS_ENTRIES; i++)
		json_tls_desc(j, &t->desc[i]);
	json_end_array(j);
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
	printf(", flags 0%o, offset %" PRIu64 ", size %" PRIu64,
	       f->f_flags, (uint64_t)f->pos, (uint64_t)f->size);
	if (f->type == CKPT_FILE_EXTERNAL)
		printf(", fd %u", f->fd);
	else
		printf(", rdev 0x%x", f->rdev);
	if (f->type == CKPT_FILE_PIPE)
		printf(", pipe %u", f->pipe_objref);
	if (f->type == CKPT_FILE_MQUEUE)
		printf(", message queue %u", f->pipe_objref);
	if (f->type == CKPT_FILE_MEMFD || f->seals)
		printf(", seals 0x%x", f->seals);
	printf("\n");
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
	json_uint(j, "pipe_objref", f->pipe_objref);
	json_uint(j, "seals", f->seals);
}

/* A record of the contents of a memfd or (@what) of another object. */
static void text_contents(const struct ckpt_record *rec, const char *what)
{
	const struct ckpt_hdr_file_pages *p = rec->data;
	uint32_t nr;
	const uint64_t *offs = ckpt_record_file_pages(rec, &nr);

	printf("      %s %u: %u page%s", what, p->objref, nr,
	       nr == 1 ? "" : "s");
	if (nr)
		printf(", offsets 0x%" PRIx64 " to 0x%" PRIx64, offs[0],
		       offs[nr - 1]);
	printf("%s\n", p->more ? ", more follow" : ", the last");
}

static void text_file_pages(const struct ckpt_record *rec)
{
	text_contents(rec, "memfd");
}

static void json_file_pages_rec(struct json *j, const struct ckpt_record *rec)
{
	const struct ckpt_hdr_file_pages *p = rec->data;
	uint32_t nr;
	const uint64_t *offs = ckpt_record_file_pages(rec, &nr);

	json_uint(j, "objref", p->objref);
	json_uint(j, "nr_pages", nr);
	json_bool(j, "more", p->more);
	json_begin_array(j, "offsets");
	for (uint32_t i = 0; i < nr; i++)
		json_uint(j, NULL, offs[i]);
	json_end_array(j);
}

static void text_pipe(const struct ckpt_record *rec)
{
	const struct ckpt_hdr_pipe *p = rec->data;

	printf("      pipe %u: capacity %u, %u bytes held%s\n", p->objref,
	       p->size, p->len, p->flags & CKPT_PIPE_FIFO ? ", a FIFO's" : "");
}

static void json_pipe_rec(struct json *j, const struct ckpt_record *rec)
{
	const struct ckpt_hdr_pipe *p = rec->data;

	json_uint(j, "objref", p->objref);
	json_uint(j, "size", p->size);
	json_uint(j, "len", p->len);
	json_bool(j, "fifo", p->flags & CKPT_PIPE_FIFO);
}

static void text_restart_block(const struct ckpt_record *rec)
{
	const struct ckpt_hdr_restart_block *b = rec->data;
	const char *kind = ckpt_restart_kind_name(b->kind);
	char t[40];

	printf("      %s, flags 0x%x, time %s, addr 0x%" PRIx64 ", clockid %u, type %u, val %u, futex flags 0x%x, bitset 0x%x\n",
	       kind ? kind : "?", b->flags, info_ns(b->time, t, sizeof(t)),
	       (uint64_t)b->addr, b->clockid, b->type, b->val,
	       b->futex_flags, b->bitset);
}

void json_restart_block_fields(struct json *j,
				      const struct ckpt_hdr_restart_block *b)
{
	const char *kind = ckpt_restart_kind_name(b->kind);

	if (kind)
		json_string(j, "kind", kind);
	else
		json_null(j, "kind");
	json_uint(j, "kind_id", b->kind);
	json_uint(j, "flags", b->flags);
	json_bool(j, "absolute", b->flags & CKPT_RESTART_ABSOLUTE);
	json_int(j, "time", b->time);
	json_uint(j, "addr", b->addr);
	json_uint(j, "clockid", b->clockid);
	json_uint(j, "type", b->type);
	json_uint(j, "val", b->val);
	json_uint(j, "futex_flags", b->futex_flags);
	json_uint(j, "bitset", b->bitset);
}

static void json_restart_block_rec(struct json *j,
				   const struct ckpt_record *rec)
{
	json_restart_block_fields(j, rec->data);
}

static void text_attrs(const struct ckpt_record *rec)
{
	const struct ckpt_hdr_task_attrs *a = rec->data;

	printf("      flags 0x%x, nice %d, policy %u, rt priority %u, dumpable %u, pdeath signal %d\n",
	       a->flags, a->nice, a->policy, a->rt_priority, a->dumpable,
	       a->pdeath_signal);
}

void json_attrs_fields(struct json *j,
			      const struct ckpt_hdr_task_attrs *a)
{
	const char *policy = info_policy_name(a->policy);

	json_uint(j, "flags", a->flags);
	json_bool(j, "no_new_privs", a->flags & CKPT_ATTR_NO_NEW_PRIVS);
	json_bool(j, "child_subreaper", a->flags & CKPT_ATTR_CHILD_SUBREAPER);
	json_int(j, "nice", a->nice);
	json_uint(j, "policy", a->policy);
	if (policy)
		json_string(j, "policy_name", policy);
	else
		json_null(j, "policy_name");
	json_uint(j, "rt_priority", a->rt_priority);
	json_uint(j, "dumpable", a->dumpable);
	json_int(j, "pdeath_signal", a->pdeath_signal);
	json_uint(j, "clear_child_tid", a->clear_child_tid);
	json_uint(j, "robust_list", a->robust_list);
	json_uint(j, "robust_list_len", a->robust_list_len);
	json_uint(j, "rseq", a->rseq);
	json_uint(j, "rseq_len", a->rseq_len);
	json_uint(j, "rseq_sig", a->rseq_sig);
}

static void json_attrs_rec(struct json *j, const struct ckpt_record *rec)
{
	json_attrs_fields(j, rec->data);
}

static void text_cred(const struct ckpt_record *rec)
{
	const struct ckpt_hdr_cred *c = rec->data;

	printf("      uid %u/%u/%u/%u, gid %u/%u/%u/%u, %u groups, effective capabilities 0x%" PRIx64 "\n",
	       c->uid, c->euid, c->suid, c->fsuid, c->gid, c->egid, c->sgid,
	       c->fsgid, c->nr_groups, (uint64_t)c->cap_effective);
}

/* The groups of a cred record as far as kept: *@nr of them. */
static const uint32_t *cred_groups(const struct ckpt_record *rec,
				   uint32_t *nr)
{
	const struct ckpt_hdr_cred *c = rec->data;
	uint32_t kept = (rec->data_len - sizeof(*c)) / sizeof(uint32_t);

	*nr = kept < c->nr_groups ? kept : c->nr_groups;
	return (const uint32_t *)(c + 1);
}

void json_cred_fields(struct json *j, const struct ckpt_hdr_cred *c,
			     const uint32_t *groups, uint32_t nr)
{
	json_uint(j, "uid", c->uid);
	json_uint(j, "euid", c->euid);
	json_uint(j, "suid", c->suid);
	json_uint(j, "fsuid", c->fsuid);
	json_uint(j, "gid", c->gid);
	json_uint(j, "egid", c->egid);
	json_uint(j, "sgid", c->sgid);
	json_uint(j, "fsgid", c->fsgid);
	json_uint(j, "nr_groups", c->nr_groups);
	json_begin_array(j, "groups");
	for (uint32_t i = 0; i < nr; i++) {
		uint32_t g;

		memcpy(&g, groups + i, sizeof(g));
		json_uint(j, NULL, g);
	}
	json_end_array(j);
	json_uint(j, "cap_inheritable", c->cap_inheritable);
	json_uint(j, "cap_permitted", c->cap_permitted);
	json_uint(j, "cap_effective", c->cap_effective);
	json_uint(j, "cap_bset", c->cap_bset);
	json_uint(j, "cap_ambient", c->cap_ambient);
	json_uint(j, "securebits", c->securebits);
}

static void json_cred_rec(struct json *j, const struct ckpt_record *rec)
{
	uint32_t nr;
	const uint32_t *groups = cred_groups(rec, &nr);

	json_cred_fields(j, rec->data, groups, nr);
}

/* The fds of an fd table record as far as kept: *@nr of them. */
static const struct ckpt_fd *record_fds(const struct ckpt_record *rec,
					uint32_t *nr)
{
	const struct ckpt_hdr_fd_table *t = rec->data;
	uint32_t kept = (rec->data_len - sizeof(*t)) / sizeof(struct ckpt_fd);

	*nr = kept < t->nr_fds ? kept : t->nr_fds;
	return (const struct ckpt_fd *)(t + 1);
}

static void text_fd_table(const struct ckpt_record *rec)
{
	const struct ckpt_hdr_fd_table *t = rec->data;
	uint32_t nr;
	const struct ckpt_fd *fds = record_fds(rec, &nr);

	printf("      fd table %u: %u fds\n", t->objref, t->nr_fds);
	for (uint32_t i = 0; i < nr; i++)
		printf("        fd %u: file %u, flags 0x%x\n", fds[i].fd,
		       fds[i].file_objref, fds[i].flags);
	if (nr < t->nr_fds)
		printf("        ... and %u more\n", t->nr_fds - nr);
}

static void json_fd_table_rec(struct json *j, const struct ckpt_record *rec)
{
	const struct ckpt_hdr_fd_table *t = rec->data;
	uint32_t nr;
	const struct ckpt_fd *fds = record_fds(rec, &nr);

	json_uint(j, "objref", t->objref);
	json_uint(j, "nr_fds", t->nr_fds);
	json_begin_array(j, "fds");
	for (uint32_t i = 0; i < nr; i++) {
		json_begin_object(j, NULL);
		json_uint(j, "fd", fds[i].fd);
		json_uint(j, "file", fds[i].file_objref);
		json_uint(j, "flags", fds[i].flags);
		json_end_object(j);
	}
	json_end_array(j);
}

/* The items of an epoll items record as far as kept: *@nr of them. */
static const struct ckpt_epoll_item *record_epoll_items(
	const struct ckpt_record *rec, uint32_t *nr)
{
	const struct ckpt_hdr_epoll *e = rec->data;
	uint32_t kept = (rec->data_len - sizeof(*e)) /
			sizeof(struct ckpt_epoll_item);

	*nr = kept < e->nr_items ? kept : e->nr_items;
	return (const struct ckpt_epoll_item *)(e + 1);
}

static void text_epoll(const struct ckpt_record *rec)
{
	const struct ckpt_hdr_epoll *e = rec->data;
	uint32_t nr;
	const struct ckpt_epoll_item *it = record_epoll_items(rec, &nr);

	printf("      epoll file %u: %u item%s\n", e->file_objref, e->nr_items,
	       e->nr_items == 1 ? "" : "s");
	for (uint32_t i = 0; i < nr; i++)
		printf("        fd %u: file %u, events 0x%x, data 0x%" PRIx64 "\n",
		       it[i].fd, it[i].file_objref, it[i].events,
		       (uint64_t)it[i].data);
	if (nr < e->nr_items)
		printf("        ... and %u more\n", e->nr_items - nr);
}

static void json_epoll_rec(struct json *j, const struct ckpt_record *rec)
{
	const struct ckpt_hdr_epoll *e = rec->data;
	uint32_t nr;
	const struct ckpt_epoll_item *it = record_epoll_items(rec, &nr);

	json_uint(j, "file_objref", e->file_objref);
	json_uint(j, "nr_items", e->nr_items);
	json_begin_array(j, "items");
	for (uint32_t i = 0; i < nr; i++) {
		json_begin_object(j, NULL);
		json_uint(j, "fd", it[i].fd);
		json_uint(j, "file", it[i].file_objref);
		json_uint(j, "events", it[i].events);
		json_uint(j, "data", it[i].data);
		json_end_object(j);
	}
	json_end_array(j);
}

/* "uts,ipc": the namespaces of a namespaces record's flags, or "none" */
static const char *ns_flag_names(uint32_t flags, char *buf, size_t size)
{
	snprintf(buf, size, "%s%s%s", flags & CKPT_NS_UTS ? "uts" : "",
		 (flags & CKPT_NS_UTS) && (flags & CKPT_NS_IPC) ? "," : "",
		 flags & CKPT_NS_IPC ? "ipc" : "");
	if (!buf[0])
		snprintf(buf, size, "none");
	return buf;
}

static void text_namespaces(const struct ckpt_record *rec)
{
	const struct ckpt_hdr_namespaces *n = rec->data;
	char names[16];

	printf("      flags 0x%x (%s), hostname \"", n->flags,
	       ns_flag_names(n->flags, names, sizeof(names)));
	info_print_escaped(stdout, n->hostname, sizeof(n->hostname));
	printf("\", domainname \"");
	info_print_escaped(stdout, n->domainname, sizeof(n->domainname));
	printf("\"\n");
}

static void json_namespaces_rec(struct json *j, const struct ckpt_record *rec)
{
	const struct ckpt_hdr_namespaces *n = rec->data;

	json_uint(j, "flags", n->flags);
	json_string_max(j, "hostname", n->hostname, sizeof(n->hostname));
	json_string_max(j, "domainname", n->domainname,
			sizeof(n->domainname));
}

static void text_fs(const struct ckpt_record *rec)
{
	const struct ckpt_hdr_fs *f = rec->data;

	printf("      fs %u: umask 0%03o\n", f->objref, f->umask);
}

static void json_fs_rec(struct json *j, const struct ckpt_record *rec)
{
	const struct ckpt_hdr_fs *f = rec->data;

	json_uint(j, "objref", f->objref);
	json_uint(j, "umask", f->umask);
}

/* Whether a signal action is the default one: all zero. */
bool info_default_action(const struct ckpt_sigaction *a)
{
	return !a->handler && !a->flags && !a->restorer && !a->mask;
}

static void text_sighand(const struct ckpt_record *rec)
{
	const struct ckpt_hdr_sighand *h = rec->data;
	const struct ckpt_sigaction *a = (const void *)(h + 1);
	uint32_t others = 0;

	for (uint32_t i = 0; i < h->nr && i < CKPT_NSIG; i++)
		others += !info_default_action(&a[i]);
	printf("      sighand %u: %u actions, %u not the default\n",
	       h->objref, h->nr, others);
}

void json_sigaction(struct json *j, uint32_t signo,
			   const struct ckpt_sigaction *a)
{
	const char *name = ckpt_signal_name(signo);

	json_begin_object(j, NULL);
	json_uint(j, "signo", signo);
	if (name)
		json_string(j, "name", name);
	else
		json_null(j, "name");
	json_uint(j, "handler", a->handler);
	json_uint(j, "flags", a->flags);
	json_uint(j, "restorer", a->restorer);
	json_uint(j, "mask", a->mask);
	json_end_object(j);
}

static void json_sighand_rec(struct json *j, const struct ckpt_record *rec)
{
	const struct ckpt_hdr_sighand *h = rec->data;
	const struct ckpt_sigaction *a = (const void *)(h + 1);

	json_uint(j, "objref", h->objref);
	json_uint(j, "nr", h->nr);
	json_begin_array(j, "actions");
	for (uint32_t i = 0; i < h->nr && i < CKPT_NSIG; i++)
		if (!info_default_action(&a[i]))
			json_sigaction(j, i + 1, &a[i]);
	json_end_array(j);
}

static void text_signal(const struct ckpt_record *rec)
{
	const struct ckpt_hdr_signal *sg = rec->data;
	char v[40], iv[40];

	printf("      signal %u: itimers", sg->objref);
	for (uint32_t i = 0; i < CKPT_NR_ITIMERS; i++)
		printf(" %s %s/%s", ckpt_itimer_name(i),
		       info_ns((int64_t)sg->itimer[i].value, v, sizeof(v)),
		       info_ns((int64_t)sg->itimer[i].interval, iv,
			       sizeof(iv)));
	printf(", %u POSIX timers, next id %u\n", sg->nr_posix_timers,
	       sg->next_posix_timer_id);
}

void json_signal_fields(struct json *j, const struct ckpt_hdr_signal *sg)
{
	json_uint(j, "objref", sg->objref);
	json_uint(j, "nr_posix_timers", sg->nr_posix_timers);
	json_uint(j, "next_posix_timer_id", sg->next_posix_timer_id);
	json_begin_object(j, "itimers");
	for (uint32_t i = 0; i < CKPT_NR_ITIMERS; i++) {
		json_begin_object(j, ckpt_itimer_name(i));
		json_uint(j, "value", sg->itimer[i].value);
		json_uint(j, "interval", sg->itimer[i].interval);
		json_end_object(j);
	}
	json_end_object(j);
	json_begin_object(j, "rlimits");
	for (uint32_t i = 0; i < CKPT_NR_RLIMITS; i++) {
		json_begin_object(j, ckpt_rlimit_name(i));
		json_uint(j, "cur", sg->rlim[i].cur);
		json_uint(j, "max", sg->rlim[i].max);
		json_end_object(j);
	}
	json_end_object(j);
}

static void json_signal_rec(struct json *j, const struct ckpt_record *rec)
{
	json_signal_fields(j, rec->data);
}

static void text_posix_timer(const struct ckpt_record *rec)
{
	const struct ckpt_hdr_posix_timer *t = rec->data;
	const char *clock = info_clock_name(t->clock);
	const char *notify = info_notify_name(t->notify);
	char left[40], iv[40];

	printf("      timer %d: clock %d (%s), notify %d (%s), tid %d, signal %u, value 0x%" PRIx64 ", left %s s, interval %s s, overrun %" PRId64 ", last %" PRId64 "\n",
	       t->id, t->clock, clock ? clock : "?", t->notify,
	       notify ? notify : "?", t->notify_tid, t->signo,
	       (uint64_t)t->value, info_ns((int64_t)t->left, left, sizeof(left)),
	       info_ns((int64_t)t->interval, iv, sizeof(iv)),
	       (int64_t)t->overrun, (int64_t)t->overrun_last);
}

void json_posix_timer_fields(struct json *j,
			     const struct ckpt_hdr_posix_timer *t)
{
	const char *clock = info_clock_name(t->clock);
	const char *notify = info_notify_name(t->notify);
	const char *name = ckpt_signal_name(t->signo);

	json_int(j, "id", t->id);
	json_int(j, "clock", t->clock);
	if (clock)
		json_string(j, "clock_name", clock);
	else
		json_null(j, "clock_name");
	json_int(j, "notify", t->notify);
	if (notify)
		json_string(j, "notify_name", notify);
	else
		json_null(j, "notify_name");
	json_int(j, "notify_tid", t->notify_tid);
	json_uint(j, "signo", t->signo);
	/* SIGEV_NONE sends none, whatever its number says */
	if (name && t->notify != 1)
		json_string(j, "signal", name);
	else
		json_null(j, "signal");
	json_uint(j, "value", t->value);
	json_uint(j, "left", t->left);
	json_uint(j, "interval", t->interval);
	json_int(j, "overrun", t->overrun);
	json_int(j, "overrun_last", t->overrun_last);
}

static void json_posix_timer_rec(struct json *j,
				 const struct ckpt_record *rec)
{
	json_posix_timer_fields(j, rec->data);
}

static void text_task_signal(const struct ckpt_record *rec)
{
	const struct ckpt_hdr_task_signal *ts = rec->data;

	printf("      blocked 0x%" PRIx64 ", altstack 0x%" PRIx64 " (%" PRIu64 " bytes, flags 0x%x), %u pending\n",
	       (uint64_t)ts->blocked, (uint64_t)ts->altstack_sp,
	       (uint64_t)ts->altstack_size, ts->altstack_flags,
	       ts->nr_pending);
}

static void json_task_signal_rec(struct json *j,
				 const struct ckpt_record *rec)
{
	const struct ckpt_hdr_task_signal *ts = rec->data;

	json_uint(j, "blocked", ts->blocked);
	json_uint(j, "altstack_sp", ts->altstack_sp);
	json_uint(j, "altstack_size", ts->altstack_size);
	json_uint(j, "altstack_flags", ts->altstack_flags);
	json_uint(j, "nr_pending", ts->nr_pending);
}

/* si_code, the third int of the siginfo */
static int32_t siginfo_code(const struct ckpt_hdr_siginfo *si)
{
	int32_t code;

	memcpy(&code, si->info + 2 * sizeof(int32_t), sizeof(code));
	return code;
}

/* si_timerid, where the union begins: a POSIX timer's signal */
static int32_t siginfo_timerid(const struct ckpt_hdr_siginfo *si)
{
	int32_t id;

	memcpy(&id, si->info + 4 * sizeof(int32_t), sizeof(id));
	return id;
}

static void text_siginfo(const struct ckpt_record *rec)
{
	const struct ckpt_hdr_siginfo *si = rec->data;
	const char *name = ckpt_signal_name(si->signo);

	printf("      %s (%u), %s, si_code %d", name ? name : "?",
	       si->signo, si->flags & CKPT_SIGINFO_SHARED ? "shared" : "private",
	       siginfo_code(si));
	if (si->flags & CKPT_SIGINFO_TIMER)
		printf(", of POSIX timer %d", siginfo_timerid(si));
	printf("\n");
}

static void json_siginfo_rec(struct json *j, const struct ckpt_record *rec)
{
	const struct ckpt_hdr_siginfo *si = rec->data;

	json_uint(j, "signo", si->signo);
	json_uint(j, "flags", si->flags);
	json_bool(j, "shared", si->flags & CKPT_SIGINFO_SHARED);
	json_int(j, "code", siginfo_code(si));
	if (si->flags & CKPT_SIGINFO_TIMER)
		json_int(j, "timer", siginfo_timerid(si));
	else
		json_null(j, "timer");
}

/* "key 0x0000162e, owner 1000/1000, creator 0/0, mode 0600" */
static void text_ipc_perm(const struct ckpt_ipc_perm *p)
{
	printf("key 0x%08x, owner %u/%u, creator %u/%u, mode 0%03o",
	       (uint32_t)p->key, p->uid, p->gid, p->cuid, p->cgid, p->mode);
}

/* The values of a semaphore set, the first few: "1,0,32767", "1,2,...". */
#define SEM_VALUES_SHOWN	8

static void text_sem_values(const uint16_t *vals, uint32_t nr)
{
	for (uint32_t i = 0; i < nr && i < SEM_VALUES_SHOWN; i++) {
		uint16_t v;

		memcpy(&v, vals + i, sizeof(v));
		printf("%s%u", i ? "," : "", v);
	}
	if (nr > SEM_VALUES_SHOWN)
		printf(",...");
}

static void json_ipc_perm(struct json *j, const struct ckpt_ipc_perm *p)
{
	json_int(j, "id", p->id);
	json_int(j, "key", p->key);
	json_uint(j, "uid", p->uid);
	json_uint(j, "gid", p->gid);
	json_uint(j, "cuid", p->cuid);
	json_uint(j, "cgid", p->cgid);
	json_uint(j, "mode", p->mode);
}

static void text_ipc_shm(const struct ckpt_record *rec)
{
	const struct ckpt_hdr_ipc_shm *s = rec->data;

	printf("      shm segment %u: id %d, ", s->objref, s->perm.id);
	text_ipc_perm(&s->perm);
	printf(", %" PRIu64 " bytes, flags 0x%x%s\n", (uint64_t)s->size,
	       s->flags, s->flags & CKPT_SHM_DEST ? " (removed)" : "");
}

void json_ipc_shm_fields(struct json *j, const struct ckpt_hdr_ipc_shm *s)
{
	json_uint(j, "objref", s->objref);
	json_ipc_perm(j, &s->perm);
	json_uint(j, "size", s->size);
	json_uint(j, "flags", s->flags);
	json_bool(j, "dest", s->flags & CKPT_SHM_DEST);
	json_int(j, "atime", s->atime);
	json_int(j, "dtime", s->dtime);
	json_int(j, "ctime", s->ctime);
}

static void json_ipc_shm_rec(struct json *j, const struct ckpt_record *rec)
{
	json_ipc_shm_fields(j, rec->data);
}

/* The values of a semaphore set's record as far as kept: *@nr of them. */
static const uint16_t *record_sem_values(const struct ckpt_record *rec,
					 uint32_t *nr)
{
	const struct ckpt_hdr_ipc_sem *s = rec->data;
	uint32_t kept = (rec->data_len - sizeof(*s)) / sizeof(uint16_t);

	*nr = kept < s->nsems ? kept : s->nsems;
	return (const uint16_t *)(s + 1);
}

static void text_ipc_sem(const struct ckpt_record *rec)
{
	const struct ckpt_hdr_ipc_sem *s = rec->data;
	uint32_t nr;
	const uint16_t *vals = record_sem_values(rec, &nr);

	printf("      semaphore set %d: ", s->perm.id);
	text_ipc_perm(&s->perm);
	printf(", %u semaphore%s: ", s->nsems, s->nsems == 1 ? "" : "s");
	text_sem_values(vals, nr);
	printf("\n");
}

void json_ipc_sem_fields(struct json *j, const struct ckpt_hdr_ipc_sem *s,
			 const uint16_t *vals, uint32_t nr)
{
	json_ipc_perm(j, &s->perm);
	json_uint(j, "nsems", s->nsems);
	json_begin_array(j, "values");
	for (uint32_t i = 0; i < nr; i++) {
		uint16_t v;

		memcpy(&v, vals + i, sizeof(v));
		json_uint(j, NULL, v);
	}
	json_end_array(j);
	json_int(j, "otime", s->otime);
	json_int(j, "ctime", s->ctime);
}

static void json_ipc_sem_rec(struct json *j, const struct ckpt_record *rec)
{
	uint32_t nr;
	const uint16_t *vals = record_sem_values(rec, &nr);

	json_ipc_sem_fields(j, rec->data, vals, nr);
}

static void text_ipc_msg(const struct ckpt_record *rec)
{
	const struct ckpt_hdr_ipc_msg *q = rec->data;

	printf("      message queue %d: ", q->perm.id);
	text_ipc_perm(&q->perm);
	printf(", capacity %" PRIu64 ", %u message%s\n", (uint64_t)q->qbytes,
	       q->nr_msgs, q->nr_msgs == 1 ? "" : "s");
}

void json_ipc_msg_fields(struct json *j, const struct ckpt_hdr_ipc_msg *q)
{
	json_ipc_perm(j, &q->perm);
	json_uint(j, "qbytes", q->qbytes);
	json_uint(j, "nr_msgs", q->nr_msgs);
	json_int(j, "stime", q->stime);
	json_int(j, "rtime", q->rtime);
	json_int(j, "ctime", q->ctime);
}

static void json_ipc_msg_rec(struct json *j, const struct ckpt_record *rec)
{
	json_ipc_msg_fields(j, rec->data);
}

/* The SEM_UNDO adjustments, the first few: "-1,0,2", "1,2,...". */
static void text_sem_adjustments(const int16_t *adj, uint32_t nr)
{
	for (uint32_t i = 0; i < nr && i < SEM_VALUES_SHOWN; i++) {
		int16_t v;

		memcpy(&v, adj + i, sizeof(v));
		printf("%s%d", i ? "," : "", v);
	}
	if (nr > SEM_VALUES_SHOWN)
		printf(",...");
}

/* The adjustments of a SEM_UNDO record as far as kept: *@nr of them. */
static const int16_t *record_sem_adjustments(const struct ckpt_record *rec,
					     uint32_t *nr)
{
	const struct ckpt_hdr_ipc_sem_undo *u = rec->data;
	uint32_t kept = (rec->data_len - sizeof(*u)) / sizeof(int16_t);

	*nr = kept < u->nsems ? kept : u->nsems;
	return (const int16_t *)(u + 1);
}

static void text_ipc_sem_undo(const struct ckpt_record *rec)
{
	const struct ckpt_hdr_ipc_sem_undo *u = rec->data;
	uint32_t nr;
	const int16_t *adj = record_sem_adjustments(rec, &nr);

	printf("      SEM_UNDO of process %d on semaphore set %d: %u adjustment%s: ",
	       u->pid, u->semid, u->nsems, u->nsems == 1 ? "" : "s");
	text_sem_adjustments(adj, nr);
	printf("\n");
}

void json_ipc_sem_undo_fields(struct json *j,
			      const struct ckpt_hdr_ipc_sem_undo *u,
			      const int16_t *adj, uint32_t nr)
{
	json_int(j, "pid", u->pid);
	json_int(j, "semid", u->semid);
	json_uint(j, "nsems", u->nsems);
	json_begin_array(j, "adjustments");
	for (uint32_t i = 0; i < nr; i++) {
		int16_t v;

		memcpy(&v, adj + i, sizeof(v));
		json_int(j, NULL, v);
	}
	json_end_array(j);
}

static void json_ipc_sem_undo_rec(struct json *j,
				  const struct ckpt_record *rec)
{
	uint32_t nr;
	const int16_t *adj = record_sem_adjustments(rec, &nr);

	json_ipc_sem_undo_fields(j, rec->data, adj, nr);
}

static void text_ipc_mqueue(const struct ckpt_record *rec)
{
	const struct ckpt_hdr_ipc_mqueue *q = rec->data;

	printf("      POSIX message queue %u: /", q->objref);
	info_print_escaped(stdout, q->name, sizeof(q->name));
	printf(", owner %u/%u, mode 0%03o, at most %" PRId64 " message%s of %" PRId64 " bytes, %u message%s\n",
	       q->uid, q->gid, q->mode, (int64_t)q->maxmsg,
	       q->maxmsg == 1 ? "" : "s", (int64_t)q->msgsize, q->nr_msgs,
	       q->nr_msgs == 1 ? "" : "s");
}

void json_ipc_mqueue_fields(struct json *j,
			    const struct ckpt_hdr_ipc_mqueue *q)
{
	char name[CKPT_MQ_NAME_LEN];

	/* (NUL-terminated if the reader checked it) */
	memcpy(name, q->name, sizeof(name));
	name[sizeof(name) - 1] = '\0';
	json_uint(j, "objref", q->objref);
	json_string(j, "name", name);
	json_uint(j, "uid", q->uid);
	json_uint(j, "gid", q->gid);
	json_uint(j, "mode", q->mode);
	json_int(j, "maxmsg", q->maxmsg);
	json_int(j, "msgsize", q->msgsize);
	json_uint(j, "nr_msgs", q->nr_msgs);
}

static void json_ipc_mqueue_rec(struct json *j, const struct ckpt_record *rec)
{
	json_ipc_mqueue_fields(j, rec->data);
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
	{ CKPT_HDR_CPU_TLS, "tls", text_tls, json_tls_rec },
	{ CKPT_HDR_MM, "mm", text_mm, json_mm_rec },
	{ CKPT_HDR_VMA, "vma", text_vma, json_vma_rec },
	{ CKPT_HDR_PAGES, "pages", text_pages, json_pages_rec },
	{ CKPT_HDR_FILE, "file", text_file, json_file_rec },
	{ CKPT_HDR_PIPE, "pipe", text_pipe, json_pipe_rec },
	{ CKPT_HDR_FILE_PAGES, "file_pages", text_file_pages,
	  json_file_pages_rec },
	{ CKPT_HDR_RESTART_BLOCK, "restart_block", text_restart_block,
	  json_restart_block_rec },
	{ CKPT_HDR_TASK_ATTRS, "task_attrs", text_attrs, json_attrs_rec },
	{ CKPT_HDR_CRED, "cred", text_cred, json_cred_rec },
	{ CKPT_HDR_FD_TABLE, "fd_table", text_fd_table, json_fd_table_rec },
	{ CKPT_HDR_FS, "fs", text_fs, json_fs_rec },
	{ CKPT_HDR_SIGHAND, "sighand", text_sighand, json_sighand_rec },
	{ CKPT_HDR_SIGNAL, "signal", text_signal, json_signal_rec },
	{ CKPT_HDR_POSIX_TIMER, "posix_timer", text_posix_timer,
	  json_posix_timer_rec },
	{ CKPT_HDR_TASK_SIGNAL, "task_signal", text_task_signal,
	  json_task_signal_rec },
	{ CKPT_HDR_SIGINFO, "siginfo", text_siginfo, json_siginfo_rec },
	{ CKPT_HDR_NAMESPACES, "namespaces", text_namespaces,
	  json_namespaces_rec },
	{ CKPT_HDR_EPOLL, "epoll", text_epoll, json_epoll_rec },
	{ CKPT_HDR_IPC_SHM, "ipc_shm", text_ipc_shm, json_ipc_shm_rec },
	{ CKPT_HDR_IPC_SEM, "ipc_sem", text_ipc_sem, json_ipc_sem_rec },
	{ CKPT_HDR_IPC_MSG, "ipc_msg", text_ipc_msg, json_ipc_msg_rec },
	{ CKPT_HDR_IPC_SEM_UNDO, "ipc_sem_undo", text_ipc_sem_undo,
	  json_ipc_sem_undo_rec },
	{ CKPT_HDR_IPC_MQUEUE, "ipc_mqueue", text_ipc_mqueue,
	  json_ipc_mqueue_rec },
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
		printf("  %12s  %10s  %-13s  %10s\n", "offset", "type", "name",
		       "length");
	}
}

static void text_record(struct info *in, const struct ckpt_record *rec)
{
	const struct info_section *s = info_section(rec->hdr.type);

	if (!in->list_records)
		return;
	printf("  %12" PRIu64 "  %10u  %-13s  %10u\n", rec->offset,
	       rec->hdr.type, ckpt_record_type_name(rec->hdr.type),
	       rec->hdr.len);
	/* the pages of a SysV segment come as a memfd's: say whose */
	if (rec->hdr.type == CKPT_HDR_FILE_PAGES &&
	    info_model_shm(&in->model, ((const struct ckpt_hdr_file_pages *)
					rec->data)->objref))
		text_contents(rec, "shm segment");
	else if (s)
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

/* A process group or session: "-" for 0, one outside the container. */
static const char *text_group(int32_t id, char *buf, size_t size)
{
	if (id)
		snprintf(buf, size, "%d", id);
	else
		snprintf(buf, size, "-");
	return buf;
}

/* The state column of a task: "-", "thread", "zombie, exit 3", or its
 * stop state ("thread, stopped (SIGSTOP)"). */
static const char *task_state(const struct info_task *t, bool thread,
			      char *buf, size_t size)
{
	char stop[48];

	if (t->flags & CKPT_TASK_ZOMBIE) {
		char ws[24];

		snprintf(buf, size, "zombie, %s",
			 wait_status(t->exit_code, ws, sizeof(ws)));
	} else if (info_stop_state(t, stop, sizeof(stop))) {
		snprintf(buf, size, "%s%s", thread ? "thread, " : "", stop);
	} else {
		snprintf(buf, size, "%s", thread ? "thread" : "-");
	}
	return buf;
}

/* Format version 4: which namespaces are the container's own. */
static void text_namespaces_summary(const struct info_model *m)
{
	const struct ckpt_hdr_namespaces *n = &m->namespaces;

	if (!m->have_namespaces)
		return;
	printf("namespaces:     ");
	if (!(n->flags & (CKPT_NS_UTS | CKPT_NS_IPC)))
		printf("none of its own (the UTS and IPC namespaces of restart's caller)");
	if (n->flags & CKPT_NS_UTS) {
		printf("uts (hostname \"");
		info_print_escaped(stdout, n->hostname, sizeof(n->hostname));
		printf("\", domainname \"");
		info_print_escaped(stdout, n->domainname,
				   sizeof(n->domainname));
		printf("\")");
	}
	if (n->flags & CKPT_NS_IPC)
		printf("%sipc", n->flags & CKPT_NS_UTS ? ", " : "");
	printf("\n");
}

/* "1000/1000": the owner of an IPC object, into @buf */
static const char *ipc_owner(const struct ckpt_ipc_perm *p, char *buf,
			     size_t size)
{
	snprintf(buf, size, "%u/%u", p->uid, p->gid);
	return buf;
}

/* The first columns of the tables of IPC objects: id, key, owner, mode. */
static void text_ipc_columns(const char *kind, const char *objref,
			     const struct ckpt_ipc_perm *p)
{
	char owner[24];

	if (!p) {
		printf("  %-3s  %6s  %10s  %10s  %-11s  %4s", kind, objref, "id",
		       "key", "owner", "mode");
		return;
	}
	printf("  %-3s  %6s  %10d  0x%08x  %-11s  %04o", kind, objref, p->id,
	       (uint32_t)p->key, ipc_owner(p, owner, sizeof(owner)), p->mode);
}

/*
 * Format version 4: the IPC objects of the container's own IPC
 * namespace, if it has any: a table of each kind of SysV object, of the
 * SEM_UNDO adjustments of processes, of POSIX message queues.
 */
static void text_ipc(const struct info_model *m)
{
	uint64_t msgs = 0, bytes = 0, mq_msgs = 0, mq_bytes = 0;

	if (!m->nr_shms && !m->nr_sems && !m->nr_msgqs && !m->nr_undos &&
	    !m->nr_mqueues)
		return;
	for (size_t i = 0; i < m->nr_msgqs; i++) {
		msgs += m->msgqs[i].rec.nr_msgs;
		bytes += m->msgqs[i].bytes;
	}
	for (size_t i = 0; i < m->nr_mqueues; i++) {
		mq_msgs += m->mqueues[i].rec.nr_msgs;
		mq_bytes += m->mqueues[i].bytes;
	}
	printf("ipc:            %zu shm segment%s", m->nr_shms,
	       m->nr_shms == 1 ? "" : "s");
	if (m->nr_shms)
		printf(" (%" PRIu64 " page%s in the image)", m->shm_pages,
		       m->shm_pages == 1 ? "" : "s");
	printf(", %zu semaphore set%s", m->nr_sems, m->nr_sems == 1 ? "" : "s");
	if (m->nr_undos)
		printf(" (%zu SEM_UNDO adjustment record%s)", m->nr_undos,
		       m->nr_undos == 1 ? "" : "s");
	printf(", %zu message queue%s", m->nr_msgqs,
	       m->nr_msgqs == 1 ? "" : "s");
	if (m->nr_msgqs)
		printf(" (%" PRIu64 " message%s, %" PRIu64 " byte%s)", msgs,
		       msgs == 1 ? "" : "s", bytes, bytes == 1 ? "" : "s");
	if (m->nr_mqueues)
		printf(", %zu message queue%s (POSIX) with %" PRIu64 " message%s (%" PRIu64 " byte%s)",
		       m->nr_mqueues, m->nr_mqueues == 1 ? "" : "s", mq_msgs,
		       mq_msgs == 1 ? "" : "s", mq_bytes,
		       mq_bytes == 1 ? "" : "s");
	printf("\n");
	if (m->nr_shms) {
		text_ipc_columns("shm", "objref", NULL);
		printf("  %12s  %7s  %s\n", "size", "pages", "flags");
	}
	for (size_t i = 0; i < m->nr_shms; i++) {
		const struct info_shm *shm = &m->shms[i];
		char objref[16];

		snprintf(objref, sizeof(objref), "%u", shm->rec.objref);
		text_ipc_columns("", objref, &shm->rec.perm);
		printf("  %12" PRIu64 "  %7" PRIu64 "  %s\n",
		       (uint64_t)shm->rec.size, shm->pages,
		       shm->rec.flags & CKPT_SHM_DEST ? "dest" : "-");
	}
	if (m->nr_sems) {
		text_ipc_columns("sem", "", NULL);
		printf("  %12s  %s\n", "nsems", "values");
	}
	for (size_t i = 0; i < m->nr_sems; i++) {
		const struct info_sem *sem = &m->sems[i];

		text_ipc_columns("", "", &sem->rec.perm);
		printf("  %12u  ", sem->rec.nsems);
		text_sem_values(sem->vals, sem->nr_vals);
		printf("\n");
	}
	if (m->nr_undos)
		printf("  %-8s  %10s  %10s  %12s  %s\n", "sem_undo", "pid",
		       "set id", "nsems", "adjustments");
	for (size_t i = 0; i < m->nr_undos; i++) {
		const struct info_sem_undo *u = &m->undos[i];

		printf("  %-8s  %10d  %10d  %12u  ", "", u->rec.pid,
		       u->rec.semid, u->rec.nsems);
		text_sem_adjustments(u->adj, u->nr_adj);
		printf("\n");
	}
	if (m->nr_msgqs) {
		text_ipc_columns("msg", "", NULL);
		printf("  %12s  %8s  %12s\n", "capacity", "messages", "bytes");
	}
	for (size_t i = 0; i < m->nr_msgqs; i++) {
		const struct info_msgq *q = &m->msgqs[i];

		text_ipc_columns("", "", &q->rec.perm);
		printf("  %12" PRIu64 "  %8u  %12" PRIu64 "\n",
		       (uint64_t)q->rec.qbytes, q->rec.nr_msgs, q->bytes);
	}
	/* POSIX message queues: the name last, as long as it may be */
	if (m->nr_mqueues)
		printf("  %-6s  %6s  %-11s  %4s  %8s  %8s  %8s  %12s  %s\n",
		       "mqueue", "objref", "owner", "mode", "maxmsg", "msgsize",
		       "messages", "bytes", "name");
	for (size_t i = 0; i < m->nr_mqueues; i++) {
		const struct info_mqueue *q = &m->mqueues[i];
		char owner[24];

		snprintf(owner, sizeof(owner), "%u/%u", q->rec.uid, q->rec.gid);
		printf("  %-6s  %6u  %-11s  %04o  %8" PRId64 "  %8" PRId64 "  %8u  %12" PRIu64 "  /",
		       "", q->rec.objref, owner, q->rec.mode,
		       (int64_t)q->rec.maxmsg, (int64_t)q->rec.msgsize,
		       q->rec.nr_msgs, q->bytes);
		info_print_escaped(stdout, q->rec.name, sizeof(q->rec.name));
		printf("\n");
	}
}

static void text_processes(const struct info_model *m)
{
	struct info_tree_counts n;
	struct info_tree_entry *tree;
	size_t nr;
	int width = 16;

	info_model_tree_counts(m, &n);
	if (!m->nr_tasks) {
		printf("tasks:          0\n");
		return;
	}
	printf("tasks:          %zu: %zu process%s, %zu other thread%s, %zu zombie%s",
	       n.tasks, n.processes, n.processes == 1 ? "" : "es",
	       n.threads, n.threads == 1 ? "" : "s",
	       n.zombies, n.zombies == 1 ? "" : "s");
	if (n.stopped)
		printf(", %zu stopped", n.stopped);
	putchar('\n');
	tree = info_model_tree(m, &nr);
	if (!tree) {
		printf("  (no memory for the process tree)\n");
		return;
	}
	for (size_t i = 0; i < nr; i++) {
		char state[96];
		int len = (int)strlen(task_state(&m->tasks[tree[i].task],
						 tree[i].thread, state,
						 sizeof(state)));

		if (len > width)
			width = len;
	}
	printf("  %8s  %8s  %8s  %8s  %8s  %4s  %-*s  %s\n", "pid", "ppid",
	       "tgid", "pgid", "sid", "mm", width, "state", "comm");
	for (size_t i = 0; i < nr; i++) {
		const struct info_task *t = &m->tasks[tree[i].task];
		char state[96], mm[16], pgid[16], sid[16];

		task_state(t, tree[i].thread, state, sizeof(state));
		if (t->mm_objref)
			snprintf(mm, sizeof(mm), "%u", t->mm_objref);
		else
			snprintf(mm, sizeof(mm), "-");
		printf("  %8d  %8d  %8d  %8s  %8s  %4s  %-*s  ", t->pid, t->ppid,
		       t->tgid, text_group(t->pgid, pgid, sizeof(pgid)),
		       text_group(t->sid, sid, sizeof(sid)), mm, width, state);
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

/* A file's path (a memfd's name), pipe:[N] for an end of pipe N, or
 * anon_inode:[eventpoll] for an epoll file, as /proc/PID/fd shows them. */
static void text_file_path(const struct info_file *f)
{
	if (f->rec.type == CKPT_FILE_PIPE)
		printf("pipe:[%u]", f->rec.pipe_objref);
	else if (f->rec.type == CKPT_FILE_EPOLL)
		printf("anon_inode:[eventpoll]");
	else if (f->path)
		info_print_escaped(stdout, f->path, CKPT_STRING_MAX);
}

static void text_files(const struct info_model *m)
{
	size_t memfds = 0, shmems = 0;

	for (size_t i = 0; i < m->nr_files; i++) {
		memfds += m->files[i].rec.type == CKPT_FILE_MEMFD;
		shmems += m->files[i].rec.type == CKPT_FILE_SHMEM;
	}
	printf("files:          %zu", m->nr_files);
	if (memfds)
		printf(", %zu memfd%s", memfds, memfds == 1 ? "" : "s");
	if (memfds && shmems)
		printf(" and");
	else if (shmems)
		printf(",");
	if (shmems)
		printf(" %zu shared anonymous mapping%s", shmems,
		       shmems == 1 ? "" : "s");
	if (memfds || shmems)
		printf(" with %" PRIu64 " pages in the image (%" PRIu64 " bytes)",
		       m->memfd_pages, m->memfd_pages * m->page_size);
	printf("\n");
	if (!m->nr_files)
		return;
	printf("  %8s  %-8s  %10s  %12s  %12s  %s\n", "file", "type", "flags",
	       "offset", "size", "path");
	for (size_t i = 0; i < m->nr_files; i++) {
		const struct info_file *f = &m->files[i];
		const char *type = ckpt_file_type_name(f->rec.type);
		char size[32], flags[16], seals[80];

		if (f->rec.type == CKPT_FILE_REG ||
		    f->rec.type == CKPT_FILE_MEMFD ||
		    f->rec.type == CKPT_FILE_SHMEM)
			snprintf(size, sizeof(size), "%" PRIu64,
				 (uint64_t)f->rec.size);
		else if (f->rec.type == CKPT_FILE_EXTERNAL)
			snprintf(size, sizeof(size), "fd %u", f->rec.fd);
		else if (f->rec.type == CKPT_FILE_CHR)	/* new_encode_dev() */
			snprintf(size, sizeof(size), "dev %u:%u",
				 (f->rec.rdev & 0xfff00) >> 8,
				 (f->rec.rdev & 0xff) |
				 ((f->rec.rdev >> 12) & 0xfff00));
		else
			snprintf(size, sizeof(size), "-");
		snprintf(flags, sizeof(flags), "0%o", f->rec.f_flags);
		printf("  %8u  %-8s  %10s  %12" PRIu64 "  %12s  ", f->rec.objref,
		       type ? type : "?", flags, (uint64_t)f->rec.pos, size);
		text_file_path(f);
		/* what a memfd holds: its seals, and its pages */
		if (f->rec.type == CKPT_FILE_MEMFD && f->rec.seals)
			printf(" (seals %s; %" PRIu64 " page%s in the image)",
			       text_seals(f->rec.seals, seals, sizeof(seals)),
			       f->pages, f->pages == 1 ? "" : "s");
		else if (f->rec.type == CKPT_FILE_MEMFD)
			printf(" (no seals; %" PRIu64 " page%s in the image)",
			       f->pages, f->pages == 1 ? "" : "s");
		else if (f->rec.type == CKPT_FILE_SHMEM)
			printf(" (shared anonymous memory; %" PRIu64 " page%s in the image)",
			       f->pages, f->pages == 1 ? "" : "s");
		else if (f->rec.type == CKPT_FILE_EPOLL)
			printf(" (%u item%s watched)", f->epoll_items,
			       f->epoll_items == 1 ? "" : "s");
		else if (f->rec.type == CKPT_FILE_EXTERNAL)
			printf(" (external: restart's caller's fd %u)",
			       f->rec.fd);
		else if (f->rec.type == CKPT_FILE_FIFO)
			printf(" (FIFO of pipe %u)", f->rec.pipe_objref);
		else if (f->rec.type == CKPT_FILE_MQUEUE)
			printf(" (message queue %u)", f->rec.pipe_objref);
		printf("\n");
	}
}

static void text_pipes(const struct info_model *m)
{
	if (!m->nr_pipes)
		return;
	printf("pipes:          %zu\n", m->nr_pipes);
	printf("  %8s  %10s  %10s\n", "pipe", "capacity", "held");
	for (size_t i = 0; i < m->nr_pipes; i++)
		printf("  %8u  %10u  %10u%s\n", m->pipes[i].rec.objref,
		       m->pipes[i].rec.size, m->pipes[i].rec.len,
		       m->pipes[i].rec.flags & CKPT_PIPE_FIFO ? "  (a FIFO's)" :
							       "");
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

/* ---- The state of each task (format version 2 on) ---- */

/* A signal mask: "0x600 (SIGUSR1 SIGUSR2)", or "0x0 (none)". */
static void text_sigset(uint64_t mask)
{
	bool any = false;

	printf("0x%" PRIx64 " (", mask);
	for (uint32_t sig = 1; sig <= CKPT_NSIG; sig++) {
		if (!(mask & (1ULL << (sig - 1))))
			continue;
		printf("%s%s", any ? " " : "", ckpt_signal_name(sig));
		any = true;
	}
	printf("%s)", any ? "" : "none");
}

/*
 * Which task showed each shared object first, by objref: the pid, or 0.
 * An object shared by several tasks is shown once, then named.
 */
static bool shown_before(int32_t *shown, size_t nr, uint32_t objref,
			 int32_t pid, const char *what)
{
	if (!shown || !objref || objref > nr)
		return false;
	if (!shown[objref - 1]) {
		shown[objref - 1] = pid;
		return false;
	}
	printf("    %-15s shared with pid %d\n", what, shown[objref - 1]);
	return true;
}

/* The TLS descriptors that hold a segment, or none. */
static void text_tls_summary(const struct info_task *t)
{
	uint32_t used = 0;
	char flags[96];

	for (uint32_t i = 0; i < CKPT_TLS_ENTRIES; i++)
		used += !info_tls_unused(&t->tls[i]);
	if (!used) {
		printf("    %-15s none\n", "tls:");
		return;
	}
	printf("    %-15s %u of %u in use\n", "tls:", used, CKPT_TLS_ENTRIES);
	for (uint32_t i = 0; i < CKPT_TLS_ENTRIES; i++) {
		const struct ckpt_tls_desc *d = &t->tls[i];

		if (info_tls_unused(d))
			continue;
		printf("      entry %u: base 0x%x, limit 0x%x, flags 0x%x (%s)\n",
		       d->entry_number, d->base_addr, d->limit, d->flags,
		       tls_flag_names(d->flags, flags, sizeof(flags)));
	}
}

static void text_attrs_summary(const struct info_task *t)
{
	const struct ckpt_hdr_task_attrs *a = &t->attrs;
	const char *policy = info_policy_name(a->policy);
	const char *pdeath = a->pdeath_signal > 0 ?
			     ckpt_signal_name((uint32_t)a->pdeath_signal) : NULL;

	printf("    %-15s nice %d, policy %u (%s), rt priority %u, dumpable %u, pdeath signal ",
	       "attributes:", a->nice, a->policy, policy ? policy : "?",
	       a->rt_priority, a->dumpable);
	if (pdeath)
		printf("%s", pdeath);
	else
		printf("%d", a->pdeath_signal);
	printf(", flags 0x%x", a->flags);
	if (a->flags & CKPT_ATTR_NO_NEW_PRIVS)
		printf(" no_new_privs");
	if (a->flags & CKPT_ATTR_CHILD_SUBREAPER)
		printf(" child_subreaper");
	printf("\n");
	printf("    %-15s clear_child_tid 0x%" PRIx64 ", robust list 0x%" PRIx64 " (%" PRIu64 " bytes), rseq 0x%" PRIx64 " (%u bytes, signature 0x%x)\n",
	       "", (uint64_t)a->clear_child_tid, (uint64_t)a->robust_list,
	       (uint64_t)a->robust_list_len, (uint64_t)a->rseq, a->rseq_len,
	       a->rseq_sig);
}

static void text_restart_summary(const struct info_task *t)
{
	const struct ckpt_hdr_restart_block *b = &t->restart;
	const char *kind = ckpt_restart_kind_name(b->kind);
	char time[64];

	printf("    %-15s %s", "restart block:", kind ? kind : "?");
	if (b->kind == CKPT_RESTART_NONE) {
		printf(" (restart_syscall gives EINTR)\n");
		return;
	}
	if (b->kind == CKPT_RESTART_POLL &&
	    !(b->flags & CKPT_RESTART_HAS_TIMEOUT))
		printf(", no timeout");
	else if (b->flags & CKPT_RESTART_ABSOLUTE)
		printf(", until %s (CLOCK_REALTIME)",
		       info_time_ns_utc(b->time, time, sizeof(time)) ?
		       time : "?");
	else
		printf(", %s s left", info_ns(b->time, time, sizeof(time)));
	switch (b->kind) {
	case CKPT_RESTART_NANOSLEEP:
		printf(", clock %u, rmtp 0x%" PRIx64 "%s", b->clockid,
		       (uint64_t)b->addr,
		       b->type == 1 ? " (native)" :
		       b->type == 2 ? " (compat)" : "");
		break;
	case CKPT_RESTART_POLL:
		printf(", %u fds at 0x%" PRIx64, b->val, (uint64_t)b->addr);
		break;
	case CKPT_RESTART_FUTEX:
		printf(", futex 0x%" PRIx64 ", value %u, bitset 0x%x, flags 0x%x",
		       (uint64_t)b->addr, b->val, b->bitset, b->futex_flags);
		break;
	}
	printf("\n");
}

static void text_cred_summary(const struct info_task *t)
{
	const struct ckpt_hdr_cred *c = &t->cred;

	printf("    %-15s uid %u/%u/%u/%u, gid %u/%u/%u/%u, groups ",
	       "credentials:", c->uid, c->euid, c->suid, c->fsuid, c->gid,
	       c->egid, c->sgid, c->fsgid);
	if (!c->nr_groups)
		printf("none");
	for (uint32_t i = 0; i < t->nr_groups_kept; i++)
		printf("%s%u", i ? "," : "", t->groups[i]);
	if (t->nr_groups_kept < c->nr_groups)
		printf(",... (%u)", c->nr_groups);
	printf("\n");
	printf("    %-15s inheritable 0x%" PRIx64 ", permitted 0x%" PRIx64 ", effective 0x%" PRIx64 ", bounding 0x%" PRIx64 ", ambient 0x%" PRIx64 ", securebits 0x%x\n",
	       "capabilities:", (uint64_t)c->cap_inheritable,
	       (uint64_t)c->cap_permitted, (uint64_t)c->cap_effective,
	       (uint64_t)c->cap_bset, (uint64_t)c->cap_ambient,
	       c->securebits);
}

static void text_fs_summary(const struct info_model *m,
			    const struct info_task *t, int32_t *shown,
			    size_t nr_shown)
{
	const struct info_fs *fs = info_model_fs(m, t->fs);
	char what[32];

	snprintf(what, sizeof(what), "fs %u:", t->fs);
	if (!fs || shown_before(shown, nr_shown, t->fs, t->pid, what))
		return;
	printf("    %-15s umask 0%03o, root ", what, fs->umask);
	if (fs->root)
		info_print_escaped(stdout, fs->root, CKPT_STRING_MAX);
	printf(", cwd ");
	if (fs->cwd)
		info_print_escaped(stdout, fs->cwd, CKPT_STRING_MAX);
	printf("\n");
}

static void text_fd_table_summary(const struct info_model *m,
				  const struct info_task *t, int32_t *shown,
				  size_t nr_shown)
{
	const struct info_fd_table *ft = info_model_fd_table(m, t->fd_table);
	char what[32];

	snprintf(what, sizeof(what), "fd table %u:", t->fd_table);
	if (!ft || shown_before(shown, nr_shown, t->fd_table, t->pid, what))
		return;
	printf("    %-15s %zu fd%s\n", what, ft->nr_fds,
	       ft->nr_fds == 1 ? "" : "s");
	if (!ft->nr_fds)
		return;
	printf("    %8s  %-7s  %-8s  %10s  %12s  %s\n", "fd", "cloexec",
	       "type", "flags", "offset", "path");
	for (size_t i = 0; i < ft->nr_fds; i++) {
		const struct ckpt_fd *fd = &ft->fds[i];
		const struct info_file *f = info_model_file(m, fd->file_objref);
		const char *type = f ? ckpt_file_type_name(f->rec.type) : NULL;
		char flags[16];

		snprintf(flags, sizeof(flags), "0%o", f ? f->rec.f_flags : 0);
		printf("    %8u  %-7s  %-8s  %10s  %12" PRIu64 "  ", fd->fd,
		       fd->flags & CKPT_FD_CLOEXEC ? "cloexec" : "-",
		       type ? type : "?", flags,
		       f ? (uint64_t)f->rec.pos : 0);
		if (f)
			text_file_path(f);
		printf("\n");
	}
}

static void text_sighand_summary(const struct info_model *m,
				 const struct info_task *t, int32_t *shown,
				 size_t nr_shown)
{
	const struct info_sighand *sh = info_model_sighand(m, t->sighand);
	uint32_t others = 0;
	char what[32];

	snprintf(what, sizeof(what), "sighand %u:", t->sighand);
	if (!sh || shown_before(shown, nr_shown, t->sighand, t->pid, what))
		return;
	for (uint32_t i = 0; i < CKPT_NSIG; i++)
		others += !info_default_action(&sh->action[i]);
	if (!others) {
		printf("    %-15s all default\n", what);
		return;
	}
	printf("    %-15s %u not the default\n", what, others);
	printf("      %-12s  %18s  %18s  %18s\n", "signal", "handler",
	       "flags", "mask");
	for (uint32_t i = 0; i < CKPT_NSIG; i++) {
		const struct ckpt_sigaction *a = &sh->action[i];
		char handler[24], flags[24], mask[24];

		if (info_default_action(a))
			continue;
		if (a->handler == 0)
			snprintf(handler, sizeof(handler), "default");
		else if (a->handler == 1)
			snprintf(handler, sizeof(handler), "ignored");
		else
			snprintf(handler, sizeof(handler), "0x%" PRIx64,
				 (uint64_t)a->handler);
		snprintf(flags, sizeof(flags), "0x%" PRIx64, (uint64_t)a->flags);
		snprintf(mask, sizeof(mask), "0x%" PRIx64, (uint64_t)a->mask);
		printf("      %-12s  %18s  %18s  %18s\n",
		       ckpt_signal_name(i + 1), handler, flags, mask);
	}
}

/*
 * The POSIX timers of a process: the id timer_create(2) tries next, and a
 * line for each (the time left and interval in seconds, its overrun
 * counts, whether its own signal is pending).
 */
static void text_posix_timers(const struct info_signal *sg)
{
	printf("    %-15s posix timers: ", "");
	if (!sg->nr_timers)
		printf("none");
	else
		printf("%zu", sg->nr_timers);
	printf(", next id %u\n", sg->rec.next_posix_timer_id);
	if (!sg->nr_timers)
		return;
	printf("      %10s  %-9s  %-14s  %-11s  %15s  %15s  %8s  %8s  %s\n",
	       "id", "clock", "notify", "signal", "left", "interval",
	       "overrun", "last", "pending");
	for (size_t i = 0; i < sg->nr_timers; i++) {
		const struct ckpt_hdr_posix_timer *t = &sg->timers[i].rec;
		const char *clock = info_clock_name(t->clock);
		const char *notify = info_notify_name(t->notify);
		const char *signame = ckpt_signal_name(t->signo);
		char c[16], n[32], left[40], iv[40];

		if (!clock)
			snprintf(c, sizeof(c), "%d", t->clock);
		if (t->notify_tid)
			snprintf(n, sizeof(n), "%s %d", notify ? notify : "?",
				 t->notify_tid);
		else if (notify)
			snprintf(n, sizeof(n), "%s", notify);
		else
			snprintf(n, sizeof(n), "%d", t->notify);
		if (t->left)
			info_ns((int64_t)t->left, left, sizeof(left));
		else
			snprintf(left, sizeof(left), "disarmed");
		if (t->interval)
			info_ns((int64_t)t->interval, iv, sizeof(iv));
		else
			snprintf(iv, sizeof(iv), "-");
		/* SIGEV_NONE sends none, whatever its number says */
		if (t->notify == 1 || !signame)
			signame = "-";
		printf("      %10d  %-9s  %-14s  %-11s  %15s  %15s  %8" PRId64 "  %8" PRId64 "  %s\n",
		       t->id, clock ? clock : c, n, signame, left, iv,
		       (int64_t)t->overrun, (int64_t)t->overrun_last,
		       sg->timers[i].pending ? "yes" : "-");
	}
}

static void text_signal_summary(const struct info_model *m,
				const struct info_task *t, int32_t *shown,
				size_t nr_shown)
{
	const struct info_signal *sg = info_model_signal(m, t->signal);
	bool any = false;
	char what[32], a[40], b[40];

	snprintf(what, sizeof(what), "signal %u:", t->signal);
	if (!sg || shown_before(shown, nr_shown, t->signal, t->pid, what))
		return;
	printf("    %-15s itimers: ", what);
	for (uint32_t i = 0; i < CKPT_NR_ITIMERS; i++) {
		const struct ckpt_itimer *it = &sg->rec.itimer[i];

		if (!it->value && !it->interval)
			continue;
		printf("%s%s %s s", any ? ", " : "", ckpt_itimer_name(i),
		       info_ns((int64_t)it->value, a, sizeof(a)));
		if (it->interval)
			printf(" every %s s",
			       info_ns((int64_t)it->interval, b, sizeof(b)));
		any = true;
	}
	printf("%s\n", any ? "" : "none");
	any = false;
	printf("    %-15s rlimits: ", "");
	for (uint32_t i = 0; i < CKPT_NR_RLIMITS; i++) {
		const struct ckpt_rlimit *rl = &sg->rec.rlim[i];

		if (rl->cur == UINT64_MAX && rl->max == UINT64_MAX)
			continue;
		printf("%s%s %s/%s", any ? ", " : "", ckpt_rlimit_name(i),
		       info_rlim(rl->cur, a, sizeof(a)),
		       info_rlim(rl->max, b, sizeof(b)));
		any = true;
	}
	printf("%s\n", any ? "" : "all unlimited");
	text_posix_timers(sg);
}

static void text_task_signal_summary(const struct info_task *t)
{
	const struct ckpt_hdr_task_signal *ts = &t->task_signal;

	printf("    %-15s ", "blocked:");
	text_sigset(ts->blocked);
	printf("\n");
	printf("    %-15s ", "altstack:");
	if (ts->altstack_sp || ts->altstack_size)
		printf("0x%" PRIx64 "-0x%" PRIx64 " (%" PRIu64 " bytes), flags 0x%x\n",
		       (uint64_t)ts->altstack_sp,
		       (uint64_t)(ts->altstack_sp + ts->altstack_size),
		       (uint64_t)ts->altstack_size, ts->altstack_flags);
	else
		printf("none\n");
	printf("    %-15s %u\n", "pending:", ts->nr_pending);
	for (size_t i = 0; i < t->nr_pending; i++) {
		const struct info_pending *p = &t->pending[i];
		const char *name = ckpt_signal_name(p->signo);
		const char *code = info_si_code_name(p->code);

		printf("      %s (%u), %s, si_code %d", name ? name : "?",
		       p->signo,
		       p->flags & CKPT_SIGINFO_SHARED ? "shared" : "private",
		       p->code);
		if (code)
			printf(" (%s)", code);
		/* the timer's own signal, queued once (overruns count) */
		if (p->flags & CKPT_SIGINFO_TIMER)
			printf(", of POSIX timer %d", p->timerid);
		printf("\n");
	}
}

/* Whether a task has any of the state that follows its CPU state. */
static bool has_state(const struct info_task *t)
{
	return t->have_tls || t->have_attrs || t->have_restart || t->have_cred ||
	       t->fd_table || t->fs || t->sighand || t->signal ||
	       t->have_task_signal;
}

static void text_task_state(const struct info_model *m)
{
	int32_t *shown = calloc(m->nr_objs + 1, sizeof(*shown));
	bool any = false;

	for (size_t i = 0; i < m->nr_tasks; i++) {
		const struct info_task *t = &m->tasks[i];

		if (!has_state(t))
			continue;
		if (!any)
			printf("task state:\n");
		any = true;
		printf("  pid %d (", t->pid);
		info_print_escaped(stdout, t->comm, sizeof(t->comm));
		printf("):\n");
		if (t->have_tls)
			text_tls_summary(t);
		if (t->have_attrs)
			text_attrs_summary(t);
		if (t->have_restart)
			text_restart_summary(t);
		if (t->have_cred)
			text_cred_summary(t);
		if (t->fd_table)
			text_fd_table_summary(m, t, shown, m->nr_objs);
		if (t->fs)
			text_fs_summary(m, t, shown, m->nr_objs);
		if (t->sighand)
			text_sighand_summary(m, t, shown, m->nr_objs);
		if (t->signal)
			text_signal_summary(m, t, shown, m->nr_objs);
		if (t->have_task_signal)
			text_task_signal_summary(t);
	}
	free(shown);
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
	text_namespaces_summary(&in->model);
	text_ipc(&in->model);
	text_processes(&in->model);
	text_mms(&in->model);
	text_files(&in->model);
	text_pipes(&in->model);
	text_registers(&in->model);
	text_task_state(&in->model);
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
	/* the fds of an fd table longer than the reader keeps */
	ckpt_reader_set_bulk(in->r, info_model_bulk, &in->model);
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
