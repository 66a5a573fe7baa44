// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Converting an image of an older format version to the current one, as a
 * stream: the reader (with CKPT_READ_ANY_VERSION, so the input is checked
 * by the rules of its own version) hands over one record at a time, and
 * each goes out as soon as it is read, changed where the format changed;
 * the bytes the reader does not keep (page data) go straight through its
 * bulk function.  What is kept: one record, an output buffer, and 4 bytes
 * per object of the input (its new objref), whatever the image's size.
 *
 * Each step takes a record of one version to the next, and the steps are
 * chained: a record of version 1 goes through the step to version 2, then
 * through the step to version 3, and so do the records the first step
 * makes.  A step that inserts records after one puts them right after it,
 * so the later step's come first: after a version 1 xstate come the TLS
 * record of version 3, then the records version 2 added, as a version 2
 * xstate would have been followed once converted.
 *
 * From version 1 to 2 (see ckpt.h for what and why):
 *  - the header gets version 2;
 *  - a file record gets the fields version 2 added (zero): 40 bytes to 48;
 *  - after the xstate of each live task come the records version 2 added,
 *    filled in with what restart of version 1 gave the restored task: the
 *    objects among them (fd table, fs, handlers, signal record) take the
 *    next objrefs, so the objects after them are renumbered, and every
 *    reference with them (an mm's exe, a memory area's file, a task's mm).
 *
 * From version 2 to 3:
 *  - the header gets version 3;
 *  - after the xstate of each live task comes a TLS record with its three
 *    descriptors unused, as checkpoint writes those of a 64-bit program;
 *  - a signal record gets the fields version 3 added: no POSIX timers
 *    (version 2 refused them), next_posix_timer_id 0: 320 bytes to 328.
 *
 * From version 3 to 4:
 *  - the header gets version 4, and after it comes a namespaces record
 *    with no flags: the restored tree in the UTS and IPC namespaces of
 *    the caller of restart(2), as version 3 restarted it;
 *  - a task record gets the fields version 4 added, zero: process group
 *    and session 0 (outside the container: what restart of version 3
 *    gave the restored init), not stopped: 64 bytes to 80;
 *  - an image whose first task is not the root of a tree (a live process
 *    with parent 0) is refused, as version 3's restart(2) refused it:
 *    version 4 wants the root first;
 *  - the order stays: version 4 still takes the address space before the
 *    first task, but wants any other right after the task record that
 *    uses it first, and moving it there would mean holding its pages.  So
 *    an image with an address space after its first task record, or two
 *    before it (a process tree), is refused.
 *
 * The tail is recomputed.
 */
#include <errno.h>
#include <linux/capability.h>
#include <sched.h>
#include <stdalign.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ckpt.h"
#include "internal.h"

/* The kernel's own errno of a system call restarted with a restart block */
#define ERESTART_RESTARTBLOCK	516

#define OUT_BUF_SIZE		(64 * 1024)

/* ---- The caller's state ---- */

__attribute__((format(printf, 3, 4)))
static enum ckpt_status caller_fail(char *msg, size_t size, const char *fmt,
				    ...)
{
	char what[256];
	va_list ap;
	int err = errno;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	ckpt_set_msg(msg, size, "cannot read %s of this process: %s", what,
		     strerror(err));
	return CKPT_ERR_GENERIC;
}

static enum ckpt_status get_caps(struct ckpt_convert_caller *c, char *msg,
				 size_t size)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];

	memset(d, 0, sizeof(d));
	if (syscall(SYS_capget, &h, d))
		return caller_fail(msg, size, "the capabilities");
	c->cap_inheritable = d[0].inheritable |
			     (uint64_t)d[1].inheritable << 32;
	c->cap_permitted = d[0].permitted | (uint64_t)d[1].permitted << 32;
	c->cap_effective = d[0].effective | (uint64_t)d[1].effective << 32;
	/* past the last capability this kernel knows, EINVAL */
	for (int cap = 0; cap < 64; cap++) {
		int set = prctl(PR_CAPBSET_READ, cap, 0, 0, 0);

		if (set < 0)
			break;
		if (set)
			c->cap_bset |= 1ULL << cap;
		if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, cap, 0, 0) > 0)
			c->cap_ambient |= 1ULL << cap;
	}
	errno = 0;
	c->securebits = (uint32_t)prctl(PR_GET_SECUREBITS, 0, 0, 0, 0);
	if ((int)c->securebits < 0)
		return caller_fail(msg, size, "the securebits");
	return CKPT_OK;
}

static enum ckpt_status get_ids(struct ckpt_convert_caller *c, char *msg,
				size_t size)
{
	uid_t r, e, s;
	gid_t rg, eg, sg;
	int n;

	if (getresuid(&r, &e, &s) || getresgid(&rg, &eg, &sg))
		return caller_fail(msg, size, "the user and group ids");
	c->uid = r;
	c->euid = e;
	c->suid = s;
	c->gid = rg;
	c->egid = eg;
	c->sgid = sg;
	/* an invalid id changes nothing and gives the current one */
	c->fsuid = (uint32_t)setfsuid((uid_t)-1);
	c->fsgid = (uint32_t)setfsgid((gid_t)-1);

	n = getgroups(0, NULL);
	if (n < 0)
		return caller_fail(msg, size, "the supplementary groups");
	c->groups = calloc((size_t)n + 1, sizeof(*c->groups));
	if (!c->groups)
		return caller_fail(msg, size, "the supplementary groups");
	if (n) {
		gid_t *list = calloc((size_t)n, sizeof(*list));

		if (!list)
			return caller_fail(msg, size, "the supplementary groups");
		n = getgroups(n, list);
		for (int i = 0; i < n; i++)
			c->groups[i] = list[i];
		free(list);
		if (n < 0)
			return caller_fail(msg, size, "the supplementary groups");
	}
	c->nr_groups = (uint32_t)n;
	return CKPT_OK;
}

enum ckpt_status ckpt_convert_caller_get(struct ckpt_convert_caller *c,
					 char *msg, size_t msg_size)
{
	struct sched_param sp;
	enum ckpt_status st;
	mode_t mask;
	int policy;

	memset(c, 0, sizeof(*c));
	errno = 0;
	c->nice = getpriority(PRIO_PROCESS, 0);
	if (c->nice == -1 && errno)
		return caller_fail(msg, msg_size, "the nice value");
	policy = sched_getscheduler(0);
	if (policy < 0 || sched_getparam(0, &sp))
		return caller_fail(msg, msg_size, "the scheduling policy");
	c->policy = (uint32_t)policy & ~(uint32_t)SCHED_RESET_ON_FORK;
	c->rt_priority = (uint32_t)sp.sched_priority;
	policy = prctl(PR_GET_DUMPABLE, 0, 0, 0, 0);
	if (policy < 0)
		return caller_fail(msg, msg_size, "the dumpable attribute");
	c->dumpable = (uint32_t)policy;

	st = get_ids(c, msg, msg_size);
	if (!st)
		st = get_caps(c, msg, msg_size);
	if (st)
		return st;

	mask = umask(0);
	umask(mask);
	c->umask = mask;
	if (!getcwd(c->cwd, sizeof(c->cwd)))
		return caller_fail(msg, msg_size, "the working directory");
	if (c->cwd[0] != '/') {
		errno = ENOENT;
		return caller_fail(msg, msg_size, "the working directory");
	}
	for (int i = 0; i < CKPT_NR_RLIMITS; i++) {
		struct rlimit rl;

		if (getrlimit(i, &rl))
			return caller_fail(msg, msg_size, "resource limit %d (%s)",
					   i, ckpt_rlimit_name(i));
		c->rlim[i].cur = rl.rlim_cur;
		c->rlim[i].max = rl.rlim_max;
	}
	return CKPT_OK;
}

void ckpt_convert_caller_free(struct ckpt_convert_caller *c)
{
	free(c->groups);
	c->groups = NULL;
}

/* ---- The conversion ---- */

/* The shared objects of a thread group, once its first task had them. */
struct group {
	int32_t tgid;			/* 0: a free slot */
	uint32_t fd_table, fs, sighand, signal;
};

struct conv {
	struct ckpt_convert_opts *o;
	const struct ckpt_convert_caller *caller;	/* NULL: not read yet */
	struct ckpt_convert_caller own;	/* this process's, once needed */
	struct ckpt_reader *r;
	uint32_t version;		/* of the input */

	/* the output so far, for the tail */
	unsigned char out[OUT_BUF_SIZE];
	size_t out_len;
	uint64_t bytes, records;
	uint32_t crc;

	/* objrefs: map[old - 1] is the new one */
	uint32_t *map;
	size_t map_cap;
	uint32_t nr_old, nr_new;

	/* thread groups, by tgid: a hash table with linear probing */
	struct group *groups;
	size_t nr_groups, groups_cap;

	/* the record being copied */
	bool started;			/* its first bytes went out */
	uint32_t out_rec_len;		/* its length in the output */
	bool drop_rest;			/* its bulk bytes do not go out */
	alignas(8) unsigned char rec[CKPT_RECORD_KEEP];	/* its kept part,
							 * changed */

	/* the last task */
	bool task_live;
	int32_t task_pid, task_tgid;

	/* version 3's order: address spaces and tasks so far */
	bool seen_mm, seen_task;

	enum ckpt_status err;		/* our own failure, set with the msg */
};

__attribute__((format(printf, 3, 4)))
static enum ckpt_status conv_fail(struct conv *cv, enum ckpt_status st,
				  const char *fmt, ...)
{
	va_list ap;

	if (cv->o->msg && cv->o->msg_size) {
		va_start(ap, fmt);
		vsnprintf(cv->o->msg, cv->o->msg_size, fmt, ap);
		va_end(ap);
	}
	cv->err = st;
	return st;
}

static enum ckpt_status flush(struct conv *cv)
{
	if (!cv->out_len)
		return CKPT_OK;
	if (cv->o->write(cv->o->write_arg, cv->out, cv->out_len))
		return conv_fail(cv, CKPT_ERR_GENERIC,
				 "writing the image failed: %s",
				 strerror(errno));
	cv->out_len = 0;
	return CKPT_OK;
}

/* @len bytes of the output, counted and checksummed for the tail. */
static enum ckpt_status put(struct conv *cv, const void *buf, size_t len)
{
	const unsigned char *p = buf;
	enum ckpt_status st;

	cv->crc = ckpt_crc32c(cv->crc, buf, len);
	cv->bytes += len;
	while (len) {
		size_t n = sizeof(cv->out) - cv->out_len;

		if (n > len)
			n = len;
		memcpy(cv->out + cv->out_len, p, n);
		cv->out_len += n;
		p += n;
		len -= n;
		if (cv->out_len == sizeof(cv->out)) {
			st = flush(cv);
			if (st)
				return st;
		}
	}
	return CKPT_OK;
}

static enum ckpt_status put_zeros(struct conv *cv, size_t len)
{
	static const unsigned char zeros[256];
	enum ckpt_status st = CKPT_OK;

	while (len && !st) {
		size_t n = len < sizeof(zeros) ? len : sizeof(zeros);

		st = put(cv, zeros, n);
		len -= n;
	}
	return st;
}

/* The end of a record of @len bytes: its padding. */
static enum ckpt_status put_end(struct conv *cv, uint32_t len)
{
	cv->records++;
	return put_zeros(cv, (CKPT_RECORD_ALIGN - len % CKPT_RECORD_ALIGN) %
			     CKPT_RECORD_ALIGN);
}

/* A whole new record: @rec, of @len bytes, whose ckpt_hdr is set here. */
static enum ckpt_status put_record(struct conv *cv, uint32_t type, void *rec,
				   uint32_t len)
{
	struct ckpt_hdr *h = rec;
	enum ckpt_status st;

	h->type = type;
	h->len = len;
	st = put(cv, rec, len);
	return st ? st : put_end(cv, len);
}

static enum ckpt_status put_string(struct conv *cv, const char *s)
{
	struct ckpt_hdr_string rec = { .len = (uint32_t)strlen(s) + 1 };
	enum ckpt_status st;

	rec.h.type = CKPT_HDR_STRING;
	rec.h.len = sizeof(rec) + rec.len;
	st = put(cv, &rec, sizeof(rec));
	if (!st)
		st = put(cv, s, rec.len);
	return st ? st : put_end(cv, rec.h.len);
}

/* ---- objrefs ---- */

/* A new object of the input: it gets the next objref of the output. */
static enum ckpt_status map_new(struct conv *cv, uint32_t old, uint32_t *new)
{
	/* the reader's checks give objrefs in order */
	if (old != cv->nr_old + 1)
		return conv_fail(cv, CKPT_ERR_CORRUPT,
				 "objref %u is out of order", old);
	if (ckpt_grow_array((void **)&cv->map, &cv->map_cap, old,
			    sizeof(*cv->map)))
		return conv_fail(cv, CKPT_ERR_GENERIC, "out of memory");
	cv->map[old - 1] = *new = ++cv->nr_new;
	cv->nr_old = old;
	return CKPT_OK;
}

/* A reference to an object of the input (0: none). */
static uint32_t map_ref(const struct conv *cv, uint32_t old)
{
	return old && old <= cv->nr_old ? cv->map[old - 1] : 0;
}

static size_t group_slot(const struct group *g, size_t cap, int32_t tgid)
{
	size_t i = ((uint32_t)tgid * 2654435761U) & (cap - 1);

	while (g[i].tgid && g[i].tgid != tgid)
		i = (i + 1) & (cap - 1);
	return i;
}

/* The shared objects of @tgid's group: *@found, or a new entry for them. */
static struct group *group_of(struct conv *cv, int32_t tgid, bool *found)
{
	size_t i;

	if ((cv->nr_groups + 1) * 2 > cv->groups_cap) {
		size_t cap = cv->groups_cap ? cv->groups_cap * 2 : 64;
		struct group *g = calloc(cap, sizeof(*g));

		if (!g)
			return NULL;
		for (size_t k = 0; k < cv->groups_cap; k++)
			if (cv->groups[k].tgid)
				g[group_slot(g, cap, cv->groups[k].tgid)] =
					cv->groups[k];
		free(cv->groups);
		cv->groups = g;
		cv->groups_cap = cap;
	}
	i = group_slot(cv->groups, cv->groups_cap, tgid);
	*found = cv->groups[i].tgid == tgid;
	if (!*found) {
		cv->groups[i].tgid = tgid;
		cv->nr_groups++;
	}
	return &cv->groups[i];
}

/* ---- Version 2 to 3 ---- */

/*
 * A signal record of version 2, at least its SIGNAL_V2_LEN bytes, as one
 * of version 3 in place: what followed them (a newer writer's, which
 * version 2 ignored) gives way to the fields version 3 added, no POSIX
 * timers to come.  Its length.
 */
static uint32_t signal_v2_to_v3(struct ckpt_hdr_signal *sg)
{
	memset((char *)sg + SIGNAL_V2_LEN, 0, sizeof(*sg) - SIGNAL_V2_LEN);
	sg->h.len = sizeof(*sg);
	return sizeof(*sg);
}

/*
 * What a task of version 2 gets after its xstate: its TLS descriptors, all
 * unused, as checkpoint writes them for a task that never called
 * set_thread_area(2) (restart of version 2 left the task those of its
 * caller, unused in a 64-bit program).
 */
static enum ckpt_status insert_v3_records(struct conv *cv)
{
	struct ckpt_hdr_cpu_tls tls = { 0 };

	for (uint32_t i = 0; i < CKPT_TLS_ENTRIES; i++) {
		tls.desc[i].entry_number = CKPT_TLS_FIRST_ENTRY + i;
		tls.desc[i].flags = CKPT_TLS_READ_EXEC_ONLY |
				    CKPT_TLS_NOT_PRESENT;
	}
	return put_record(cv, CKPT_HDR_CPU_TLS, &tls, sizeof(tls));
}

/* Whether format version 2 has records of @type. */
static bool known_in_v2(uint32_t type)
{
	switch (type) {
	case CKPT_HDR_HEADER:
	case CKPT_HDR_STRING:
	case CKPT_HDR_TASK:
	case CKPT_HDR_TASK_ATTRS:
	case CKPT_HDR_RESTART_BLOCK:
	case CKPT_HDR_CPU_REGS:
	case CKPT_HDR_CPU_XSTATE:
	case CKPT_HDR_MM:
	case CKPT_HDR_VMA:
	case CKPT_HDR_PAGES:
	case CKPT_HDR_FILE:
	case CKPT_HDR_PIPE:
	case CKPT_HDR_FD_TABLE:
	case CKPT_HDR_FS:
	case CKPT_HDR_FILE_PAGES:
	case CKPT_HDR_SIGHAND:
	case CKPT_HDR_SIGNAL:
	case CKPT_HDR_TASK_SIGNAL:
	case CKPT_HDR_SIGINFO:
	case CKPT_HDR_CRED:
		return true;
	default:
		return false;
	}
}

/* A record of a type that version @version does not have: refused. */
static enum ckpt_status not_in_version(struct conv *cv,
				       const struct ckpt_record *rec,
				       uint32_t version)
{
	return conv_fail(cv, CKPT_ERR_CORRUPT,
			 "the image is corrupt: record %llu at offset %llu has type %u, which format version %u does not have: it cannot be converted",
			 (unsigned long long)rec->index,
			 (unsigned long long)rec->offset, rec->hdr.type,
			 version);
}

/*
 * The kept part of a record of version 2, in rec (as read, or as the step
 * from version 1 made it), changed into one of version 3: *@put_len bytes
 * of it go out now, of a record of *@out_len bytes.
 */
static enum ckpt_status change_v2(struct conv *cv,
				  const struct ckpt_record *rec,
				  uint32_t *put_len, uint32_t *out_len)
{
	void *p = cv->rec;

	if (!known_in_v2(rec->hdr.type))
		return not_in_version(cv, rec, 2);
	switch (rec->hdr.type) {
	case CKPT_HDR_HEADER:
		((struct ckpt_hdr_header *)p)->version = 3;
		break;
	case CKPT_HDR_SIGNAL:
		/* kept whole: the reader keeps at least SIGNAL_V2_LEN */
		*put_len = *out_len = signal_v2_to_v3(p);
		cv->drop_rest = true;
		break;
	}
	return CKPT_OK;
}

/* ---- Version 3 to 4 ---- */

/*
 * What version 4 has after the header: the namespaces record, none of
 * them the container's own, as version 3's restart(2) left the restored
 * init in the UTS and IPC namespaces of its caller.
 */
static enum ckpt_status insert_v4_records(struct conv *cv)
{
	struct ckpt_hdr_namespaces ns = { 0 };

	return put_record(cv, CKPT_HDR_NAMESPACES, &ns, sizeof(ns));
}

/* Whether format version 3 has records of @type. */
static bool known_in_v3(uint32_t type)
{
	return known_in_v2(type) || type == CKPT_HDR_CPU_TLS ||
	       type == CKPT_HDR_POSIX_TIMER;
}

/*
 * The kept part of a record of version 3, in rec (as read, or as the
 * steps from version 1 or 2 made it), changed into one of version 4:
 * *@put_len bytes of it go out now, of a record of *@out_len bytes.
 */
static enum ckpt_status change_v3(struct conv *cv,
				  const struct ckpt_record *rec,
				  uint32_t *put_len, uint32_t *out_len)
{
	void *p = cv->rec;

	if (!known_in_v3(rec->hdr.type))
		return not_in_version(cv, rec, 3);
	switch (rec->hdr.type) {
	case CKPT_HDR_HEADER:
		((struct ckpt_hdr_header *)p)->version = 4;
		break;
	case CKPT_HDR_MM: {
		const struct ckpt_hdr_mm *in = rec->data;	/* its objref
								 * in the input */

		if (cv->seen_mm || cv->seen_task)
			return conv_fail(cv, CKPT_ERR_GENERIC,
					 "a version %u image of a process tree: its later address spaces come before their tasks (mm %u, record %llu at offset %llu); converting it is not supported",
					 cv->version, in->objref,
					 (unsigned long long)rec->index,
					 (unsigned long long)rec->offset);
		cv->seen_mm = true;
		break;
	}
	case CKPT_HDR_TASK: {
		struct ckpt_hdr_task *t = p;

		/* version 4 wants the root of the tree first: a live
		 * process with parent 0 (version 3's restart(2) restored no
		 * other image) */
		if (!cv->seen_task && (t->pid != t->tgid || t->ppid ||
				       (t->flags & CKPT_TASK_ZOMBIE)))
			return conv_fail(cv, CKPT_ERR_GENERIC,
					 "the first task of this version %u image is task %d, not the root of a tree (a live process with parent 0), which version 4 wants first: converting it is not supported (nor did its restart(2) restore it)",
					 cv->version, t->pid);
		/* what followed version 3's fields meant nothing to it: the
		 * reader keeps the whole record, at least TASK_V3_LEN */
		memset((char *)p + TASK_V3_LEN, 0, sizeof(*t) - TASK_V3_LEN);
		*put_len = *out_len = t->h.len = sizeof(*t);
		cv->drop_rest = true;
		cv->seen_task = true;
		break;
	}
	}
	return CKPT_OK;
}

/* ---- Version 1 to 2 ---- */

/*
 * What version 1 restart gave the task that was just read, as the records
 * version 2 has after its xstate.  The threads of a process share the
 * objects among them, as they must (CLONE_THREAD takes CLONE_SIGHAND) and
 * as pthread_create() has them.
 */
static enum ckpt_status insert_v2_records(struct conv *cv,
					 const struct ckpt_convert_caller *ca)
{
	struct ckpt_hdr_task_attrs attrs = {
		.nice = ca->nice,
		.policy = ca->policy,
		.rt_priority = ca->rt_priority,
		.dumpable = ca->dumpable,
	};
	struct ckpt_hdr_cred cred = {
		.uid = ca->uid, .euid = ca->euid, .suid = ca->suid,
		.fsuid = ca->fsuid,
		.gid = ca->gid, .egid = ca->egid, .sgid = ca->sgid,
		.fsgid = ca->fsgid,
		.cap_inheritable = ca->cap_inheritable,
		.cap_permitted = ca->cap_permitted,
		.cap_effective = ca->cap_effective,
		.cap_bset = ca->cap_bset,
		.cap_ambient = ca->cap_ambient,
		.securebits = ca->securebits,
		.nr_groups = ca->nr_groups,
	};
	struct ckpt_hdr_fd_table fdt = { 0 };
	struct ckpt_hdr_fs fs = { .umask = ca->umask };
	struct ckpt_hdr_sighand sighand = { 0 };
	struct ckpt_hdr_signal signal = { 0 };
	struct ckpt_hdr_task_signal tsig = { 0 };
	uint64_t groups_len = ((uint64_t)ca->nr_groups * 4 + 7) / 8 * 8;
	enum ckpt_status st;
	struct group *g;
	bool shared;

	g = group_of(cv, cv->task_tgid, &shared);
	if (!g)
		return conv_fail(cv, CKPT_ERR_GENERIC, "out of memory");
	if (!shared) {
		g->fd_table = ++cv->nr_new;
		g->fs = ++cv->nr_new;
		g->sighand = ++cv->nr_new;
		g->signal = ++cv->nr_new;
	}

	st = put_record(cv, CKPT_HDR_TASK_ATTRS, &attrs, sizeof(attrs));
	if (st)
		return st;

	/* the groups, padded to 8 bytes inside the record */
	cred.h.type = CKPT_HDR_CRED;
	cred.h.len = (uint32_t)(sizeof(cred) + groups_len);
	st = put(cv, &cred, sizeof(cred));
	if (!st && ca->nr_groups)
		st = put(cv, ca->groups, (size_t)ca->nr_groups * 4);
	if (!st)
		st = put_zeros(cv, groups_len - (uint64_t)ca->nr_groups * 4);
	if (!st)
		st = put_end(cv, cred.h.len);

	fdt.objref = g->fd_table;
	if (!st)
		st = put_record(cv, CKPT_HDR_FD_TABLE, &fdt, sizeof(fdt));
	fs.objref = g->fs;
	if (!st)
		st = put_record(cv, CKPT_HDR_FS, &fs, sizeof(fs));
	if (!st)
		st = put_string(cv, "/");
	if (!st)
		st = put_string(cv, ca->cwd);

	/* default actions: SIG_DFL, no flags, no restorer, empty masks */
	sighand.objref = g->sighand;
	sighand.nr = shared ? 0 : CKPT_NSIG;
	sighand.h.type = CKPT_HDR_SIGHAND;
	sighand.h.len = sizeof(sighand) +
			sighand.nr * sizeof(struct ckpt_sigaction);
	if (!st)
		st = put(cv, &sighand, sizeof(sighand));
	if (!st)
		st = put_zeros(cv, sighand.nr * sizeof(struct ckpt_sigaction));
	if (!st)
		st = put_end(cv, sighand.h.len);

	/* a record of version 2, on through the step to version 3 */
	signal.objref = g->signal;
	memcpy(signal.rlim, ca->rlim, sizeof(signal.rlim));
	if (!st)
		st = put_record(cv, CKPT_HDR_SIGNAL, &signal,
				signal_v2_to_v3(&signal));
	if (!st)
		st = put_record(cv, CKPT_HDR_TASK_SIGNAL, &tsig, sizeof(tsig));
	return st;
}

/* The task that was just read: its records follow. */
static void note_task(struct conv *cv, const struct ckpt_hdr_task *t)
{
	cv->task_live = !(t->flags & CKPT_TASK_ZOMBIE);
	cv->task_pid = t->pid;
	cv->task_tgid = t->tgid;
}

/*
 * The kept part of a record of version 1, in rec, changed into one of
 * version 2: *@put_len bytes of it go out now, of a record of *@out_len
 * bytes.
 */
static enum ckpt_status change_v1(struct conv *cv,
				  const struct ckpt_record *rec,
				  uint32_t *put_len, uint32_t *out_len)
{
	void *p = cv->rec;
	uint32_t new_ref;

	switch (rec->hdr.type) {
	case CKPT_HDR_HEADER:
		((struct ckpt_hdr_header *)p)->version = 2;
		break;
	case CKPT_HDR_STRING:
	case CKPT_HDR_PAGES:
	case CKPT_HDR_CPU_XSTATE:
		break;
	case CKPT_HDR_FILE: {
		struct ckpt_hdr_file *f = p;

		/* what followed version 1's fields meant nothing to it */
		memset((char *)p + FILE_V1_LEN, 0, sizeof(*f) - FILE_V1_LEN);
		*put_len = *out_len = f->h.len = sizeof(*f);
		if (map_new(cv, f->objref, &new_ref))
			return cv->err;
		f->objref = new_ref;
		cv->drop_rest = true;
		break;
	}
	case CKPT_HDR_MM: {
		struct ckpt_hdr_mm *mm = p;

		if (map_new(cv, mm->objref, &new_ref))
			return cv->err;
		mm->objref = new_ref;
		mm->exe_objref = map_ref(cv, mm->exe_objref);
		break;
	}
	case CKPT_HDR_VMA: {
		struct ckpt_hdr_vma *v = p;

		v->file_objref = map_ref(cv, v->file_objref);
		break;
	}
	case CKPT_HDR_TASK: {
		struct ckpt_hdr_task *t = p;

		if (cv->task_live && t->nr_files)
			return conv_fail(cv, CKPT_ERR_GENERIC,
					 "task %d had %u open files, which format version 1 did not save: the image cannot be converted (nor restarted)",
					 t->pid, t->nr_files);
		t->mm_objref = map_ref(cv, t->mm_objref);
		break;
	}
	case CKPT_HDR_CPU_REGS: {
		const struct ckpt_hdr_cpu_regs *r = p;
		int64_t orig_ax = (int64_t)r->regs.orig_ax;
		int64_t ax = (int64_t)r->regs.ax;

		if (orig_ax >= 0 && ax == -ERESTART_RESTARTBLOCK)
			return conv_fail(cv, CKPT_ERR_GENERIC,
					 "task %d was frozen in a system call that restarts with a restart block (orig_ax %lld, ax %lld), which format version 1 did not save: the image cannot be converted",
					 cv->task_pid, (long long)orig_ax,
					 (long long)ax);
		break;
	}
	default:
		return not_in_version(cv, rec, 1);
	}
	return CKPT_OK;
}

/*
 * Send out the first part of a record: as it is, or through each step from
 * its version on.  What was not kept of it follows (copy_bulk()), unless
 * a step dropped it, then its end.
 */
static enum ckpt_status start_record(struct conv *cv,
				     const struct ckpt_record *rec)
{
	uint32_t put_len = rec->data_len, out_len = rec->hdr.len;
	enum ckpt_status st = CKPT_OK;

	cv->drop_rest = false;
	if (rec->hdr.type == CKPT_HDR_TASK)
		note_task(cv, rec->data);
	if (cv->version == CKPT_FORMAT_VERSION) {
		cv->out_rec_len = rec->hdr.len;
		cv->started = true;
		return put(cv, rec->data, rec->data_len);
	}
	memcpy(cv->rec, rec->data, rec->data_len);
	if (cv->version < 2)
		st = change_v1(cv, rec, &put_len, &out_len);
	if (!st && cv->version < 3)
		st = change_v2(cv, rec, &put_len, &out_len);
	if (!st && cv->version < 4)
		st = change_v3(cv, rec, &put_len, &out_len);
	if (st)
		return st;
	cv->out_rec_len = out_len;
	cv->started = true;
	return put(cv, cv->rec, put_len);
}

/* ckpt_bulk_fn: the bytes the reader does not keep, straight through. */
static enum ckpt_status copy_bulk(void *arg, const struct ckpt_record *rec,
				  const void *buf, size_t len)
{
	struct conv *cv = arg;

	if (!buf)
		return start_record(cv, rec);
	if (cv->drop_rest)
		return CKPT_OK;
	return put(cv, buf, len);
}

static enum ckpt_status put_tail(struct conv *cv)
{
	struct ckpt_hdr_tail tail = {
		.h = { CKPT_HDR_TAIL, sizeof(tail) },
		.magic = CKPT_TAIL_MAGIC,
		.records = cv->records,
		.bytes = cv->bytes,
		.crc32c = cv->crc,
	};
	enum ckpt_status st = put(cv, &tail, sizeof(tail));

	return st ? st : flush(cv);
}

static enum ckpt_status convert(struct conv *cv)
{
	struct ckpt_record rec;
	enum ckpt_status st;

	for (;;) {
		st = ckpt_read_record(cv->r, &rec);
		if (st) {
			if (cv->err)
				return cv->err;
			return conv_fail(cv, st, "%s",
					 ckpt_reader_error(cv->r));
		}
		if (rec.hdr.type == CKPT_HDR_HEADER) {
			cv->version = ckpt_reader_header(cv->r)->version;
			cv->o->version = cv->version;
		}
		if (rec.hdr.type == CKPT_HDR_TAIL)
			return put_tail(cv);
		if (!cv->started) {
			st = start_record(cv, &rec);
			if (st)
				return st;
		}
		cv->started = false;
		st = put_end(cv, cv->out_rec_len);
		if (st)
			return st;
		if (rec.hdr.type == CKPT_HDR_HEADER && cv->version < 4) {
			st = insert_v4_records(cv);
			if (st)
				return st;
		}
		if (rec.hdr.type != CKPT_HDR_CPU_XSTATE || !cv->task_live)
			continue;
		/* the later step's right after it, then the earlier's */
		if (cv->version < 3) {
			st = insert_v3_records(cv);
			if (st)
				return st;
		}
		if (cv->version < 2) {
			/* read once, and only for an image that needs it */
			if (!cv->caller) {
				st = ckpt_convert_caller_get(&cv->own,
							     cv->o->msg,
							     cv->o->msg_size);
				if (st)
					return cv->err = st;	/* msg set */
				cv->caller = &cv->own;
			}
			st = insert_v2_records(cv, cv->caller);
			if (st)
				return st;
		}
	}
}

enum ckpt_status ckpt_convert(struct ckpt_convert_opts *opts)
{
	struct conv *cv;
	enum ckpt_status st;

	opts->version = 0;
	if (opts->msg && opts->msg_size)
		opts->msg[0] = '\0';
	cv = calloc(1, sizeof(*cv));
	if (!cv) {
		ckpt_set_msg(opts->msg, opts->msg_size, "%s", strerror(errno));
		return CKPT_ERR_GENERIC;
	}
	cv->o = opts;
	cv->caller = opts->caller;
	cv->r = ckpt_reader_from_fd(opts->fd, CKPT_READ_DECOMPRESS |
					      CKPT_READ_CHECK |
					      CKPT_READ_ANY_VERSION);
	if (!cv->r) {
		ckpt_set_msg(opts->msg, opts->msg_size, "%s", strerror(errno));
		st = CKPT_ERR_GENERIC;
		goto out;
	}
	ckpt_reader_set_bulk(cv->r, copy_bulk, cv);
	st = convert(cv);
out:
	ckpt_reader_free(cv->r);
	ckpt_convert_caller_free(&cv->own);
	free(cv->map);
	free(cv->groups);
	free(cv);
	return st;
}
