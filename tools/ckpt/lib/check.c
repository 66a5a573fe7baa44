// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * The records of an image, checked as restart(2) checks them: where each
 * may come (kernel/checkpoint/restart.c), their lengths (image.c), their
 * fields and references (task.c, mm.c, files.c, pipe.c, memfd.c, fs.c,
 * cred.c, signal.c, posix_timers.c, attrs.c, arch/x86/checkpoint/regs.c):
 * every check for which restart(2) gives EBADMSG, in a dry run as in a
 * restore.  What the kernel checks only against its caller (EPERM: ids,
 * capabilities, scheduling) or against the files of the machine (ENOENT,
 * ESTALE...) is no business of an image's.  reader.c calls this for each
 * record with CKPT_READ_CHECK, and frames the reasons into its messages.
 *
 * What it keeps is what the kernel keeps: the kind of each object defined
 * so far (a byte per objref, and the number of fds of each fd table or
 * the size of each SysV shm segment), the bounds of the memory areas of
 * the address space being read, the ids, way to notify and signal of the
 * POSIX timers of the process being read (for its pending signals), the
 * last id of each kind of SysV IPC object, the id and size of each
 * semaphore set and the pid of each process with SEM_UNDO adjustments,
 * the name of the last POSIX message queue, and where it is in the
 * records of the current task, memfd or message queue; never anything
 * per page, per fd or per message.  The checks that depend on the
 * machine (the largest XSAVE area, vm.max_map_count, 5-level paging) are
 * made with CKPT_READ_RESTART only (without, user space is the largest
 * any x86_64 has); the auxv size, which depends on the kernel's
 * configuration, is left to the kernel.
 *
 * An image of an older format version (CKPT_READ_ANY_VERSION, for `ckpt
 * convert`) is checked by the rules of its version.  Version 1: a task
 * ends with its xstate, and a file record is 8 bytes shorter and is no
 * pipe or memfd.  Version 2: no TLS record after the xstate, a signal
 * record 8 bytes shorter whose nr_posix_timers is a reserved field (zero),
 * no POSIX timers, and no CKPT_SIGINFO_TIMER.  Version 3: a task record 16
 * bytes shorter (no process group, session or stop state), the address
 * space before the task that uses it first, and no order of the tasks.
 *
 * Version 4 (kernel/checkpoint/task.c, tree.c, mm.c, namespaces.c,
 * eventpoll.c, external.c, ipc.c): the namespaces record first after the
 * header; with CKPT_NS_IPC, the SysV IPC objects right after it and
 * before anything else, each kind by id (a segment with its pages, as a
 * memfd has them; the messages of a queue past what the reader keeps
 * checked as they stream past), among them the SEM_UNDO adjustments of
 * processes (on sets before them, a process's together and by set id,
 * each a live process of the image at the tail) and POSIX message queues
 * (by name, their messages as a SysV queue's), and the areas that attach
 * a segment; files open on a message queue, which name it;
 * epoll files, each with its items record before the next task; external
 * files, an fd and an access mode and a name; tasks in the
 * order restart creates them (the root of the tree first, a process
 * after its live parent, a thread after its live leader, each pid once),
 * which takes a table of the tasks read so far; a task's new address
 * space right after its task record (only the first task may come after
 * its own, as in version 3); the signal record of a process shared by
 * its threads only, with its POSIX timers and pending signals with its
 * first task; at the tail, the threads that POSIX timers signal, and
 * process groups and sessions that hang together.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE	0x100000
#endif

#ifdef __x86_64__
#include <cpuid.h>
#endif

#include "ckpt.h"
#include "internal.h"

/* Kinds of objects, as in the kernel's object hash */
enum {
	OBJ_FILE = 1,
	OBJ_MM = 2,
	OBJ_PIPE = 3,
	OBJ_FD_TABLE = 4,
	OBJ_FS = 5,
	OBJ_SIGHAND = 6,
	OBJ_SIGNAL = 7,
	OBJ_FIFO = 8,		/* the pipe of a FIFO */
	OBJ_SHM = 9,		/* a SysV shared memory segment */
	OBJ_MQUEUE = 10,	/* a POSIX message queue */
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

/* The kernel's own errno of a system call restarted with a restart block */
#define ERESTART_RESTARTBLOCK	516

/* x86_64 values of the kernel's constants the checks use */
#define X86_SIGKILL		9
#define X86_SIGSTOP		19
#define X86_SIGTSTP		20
#define X86_SIGTTIN		21
#define X86_SIGTTOU		22
#define X86_MINSIGSTKSZ		2048
#define X86_SS_AUTODISARM	(1U << 31)
#define X86_O_ACCMODE		03U
#define X86_O_RDONLY		00U
#define X86_O_WRONLY		01U
#define X86_O_RDWR		02U

/* Scheduling policies (SCHED_*), and the highest real-time priority */
#define SCHED_OTHER_		0
#define SCHED_FIFO_		1
#define SCHED_RR_		2
#define SCHED_BATCH_		3
#define SCHED_IDLE_		5
#define MAX_RT_PRIO_1		99

/* PR_GET_DUMPABLE's highest value (SUID_DUMP_ROOT) */
#define SUID_DUMP_ROOT		2

/* sizeof(struct robust_list_head), and the least rseq area (and alignment) */
#define ROBUST_LIST_HEAD_LEN	24
#define RSEQ_MIN_LEN		32

/* The clocks of a nanosleep restart block (ckpt_clock_ok() in attrs.c),
 * and of a POSIX timer (ckpt_timer_clock_ok() in posix_timers.c) */
#define CLOCK_REALTIME_		0
#define CLOCK_MONOTONIC_	1
#define CLOCK_BOOTTIME_		7
#define CLOCK_TAI_		11

/*
 * CAP_VALID_MASK: capabilities 0 to CAP_LAST_CAP (40, CAP_CHECKPOINT_RESTORE,
 * in Linux 6.12); SECURE_ALL_BITS | SECURE_ALL_LOCKS: SECBIT_NOROOT,
 * NO_SETUID_FIXUP, KEEP_CAPS and NO_CAP_AMBIENT_RAISE, and their locks.
 */
#define CAP_VALID_MASK		((1ULL << 41) - 1)
#define SECUREBITS_ALL		0xffU

/* The open flags an epoll file may have besides O_RDWR (x86 values):
 * O_NONBLOCK, O_CLOEXEC, O_LARGEFILE */
#define EPOLL_FILE_FLAGS	(04000U | 02000000U | 0100000U)

/* The events epoll_ctl(2) takes, its own flags included: EPOLLIN to
 * EPOLLMSG, EPOLLRDHUP, EPOLLEXCLUSIVE, EPOLLWAKEUP, EPOLLONESHOT, EPOLLET */
#define EPOLL_EVENTS		0xf00027ffU

/* What the count of a file object says (version 4): an epoll file, and
 * whether its items record came */
#define EPOLL_UNLISTED		1
#define EPOLL_LISTED		2

/* The seals fcntl(F_ADD_SEALS) knows: F_SEAL_SEAL to F_SEAL_EXEC */
#define MEMFD_SEALS		0x3fU

/* What a memfd's name starts with (memfd.c) */
#define MEMFD_PREFIX		"memfd:"

/* SEMVMX: the largest value of a semaphore */
#define SEMVMX_			32767

/* What an IPC object's permission bits may hold (S_IRWXUGO) */
#define IPC_MODE_ALL		0777U

/* The priorities of POSIX messages: 0 to MQ_PRIO_MAX - 1 */
#define MQ_PRIO_MAX_		32768

/* x86's O_NONBLOCK, which a file open on a POSIX message queue may have */
#define X86_O_NONBLOCK		04000U

/* An owner or creator that no user namespace maps: (uid_t)-1 */
#define NO_ID			0xffffffffU

/* The kinds of SysV IPC objects, by their record type: shm, sem, msg */
#define IPC_KIND(type)		((type) - CKPT_HDR_IPC_SHM)

/* The XSAVE header in the area: XSTATE_BV, then XCOMP_BV */
#define XSAVE_HDR_OFFSET	512

/* How a POSIX timer notifies (struct sigevent's sigev_notify) */
#define SIGEV_SIGNAL_		0
#define SIGEV_NONE_		1
#define SIGEV_THREAD_		2
#define SIGEV_THREAD_ID_	4

/* The signal of a POSIX timer: si_code SI_TIMER, then in the user's
 * siginfo_t layout, si_timerid (and si_overrun, si_value) at offset 16 */
#define SI_TIMER_		(-2)
#define SI_CODE_OFFSET		8
#define SI_TIMERID_OFFSET	16

/*
 * VALID_OPEN_FLAGS of include/linux/fcntl.h with the x86 values: the access
 * mode, O_CREAT to __O_TMPFILE.  glibc's O_LARGEFILE is 0 on x86_64, so
 * the kernel's values are spelled out.
 */
#define VALID_OPEN_FLAGS	037777703U

/*
 * The records that come where the IPC objects do (version 4), as
 * restart.c has them: SysV objects, the SEM_UNDO adjustments of
 * processes, POSIX message queues.
 */
static bool in_ipc_place(uint32_t type)
{
	return type == CKPT_HDR_IPC_SHM || type == CKPT_HDR_IPC_SEM ||
	       type == CKPT_HDR_IPC_MSG || type == CKPT_HDR_IPC_SEM_UNDO ||
	       type == CKPT_HDR_IPC_MQUEUE;
}

/* The record types format version 2 added, which version 1 does not know. */
static bool new_in_v2(uint32_t type)
{
	switch (type) {
	case CKPT_HDR_TASK_ATTRS:
	case CKPT_HDR_RESTART_BLOCK:
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

/* The record types format version 3 added, which version 2 does not know. */
static bool new_in_v3(uint32_t type)
{
	return type == CKPT_HDR_CPU_TLS || type == CKPT_HDR_POSIX_TIMER;
}

/* The record types format version 4 added, which version 3 does not know. */
static bool new_in_v4(uint32_t type)
{
	return type == CKPT_HDR_NAMESPACES || type == CKPT_HDR_EPOLL ||
	       in_ipc_place(type);
}

static uint64_t align8(uint64_t n)
{
	return (n + 7) / 8 * 8;
}

static bool all_zero(const void *p, size_t len)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < len; i++)
		if (b[i])
			return false;
	return true;
}

/* Whether format @version has records of @type. */
static bool known_in(uint32_t type, uint32_t version)
{
	return !(version < 2 && new_in_v2(type)) &&
	       !(version < 3 && new_in_v3(type)) &&
	       !(version < 4 && new_in_v4(type));
}

uint32_t ckpt_record_min_len(uint32_t type, uint32_t version)
{
	if (!known_in(type, version))
		return sizeof(struct ckpt_hdr);
	switch (type) {
	case CKPT_HDR_HEADER:
		return sizeof(struct ckpt_hdr_header);
	case CKPT_HDR_TAIL:
		return sizeof(struct ckpt_hdr_tail);
	case CKPT_HDR_STRING:
		return sizeof(struct ckpt_hdr_string);
	case CKPT_HDR_TASK:
		return version < 4 ? TASK_V3_LEN : sizeof(struct ckpt_hdr_task);
	case CKPT_HDR_TASK_ATTRS:
		return sizeof(struct ckpt_hdr_task_attrs);
	case CKPT_HDR_RESTART_BLOCK:
		return sizeof(struct ckpt_hdr_restart_block);
	case CKPT_HDR_CPU_REGS:
		return sizeof(struct ckpt_hdr_cpu_regs);
	case CKPT_HDR_CPU_XSTATE:
		return sizeof(struct ckpt_hdr_cpu_xstate);
	case CKPT_HDR_CPU_TLS:
		return sizeof(struct ckpt_hdr_cpu_tls);
	case CKPT_HDR_MM:
		return sizeof(struct ckpt_hdr_mm);
	case CKPT_HDR_VMA:
		return sizeof(struct ckpt_hdr_vma);
	case CKPT_HDR_PAGES:
		return sizeof(struct ckpt_hdr_pages);
	case CKPT_HDR_FILE:
		return version < 2 ? FILE_V1_LEN : sizeof(struct ckpt_hdr_file);
	case CKPT_HDR_PIPE:
		return sizeof(struct ckpt_hdr_pipe);
	case CKPT_HDR_FD_TABLE:
		return sizeof(struct ckpt_hdr_fd_table);
	case CKPT_HDR_FS:
		return sizeof(struct ckpt_hdr_fs);
	case CKPT_HDR_FILE_PAGES:
		return sizeof(struct ckpt_hdr_file_pages);
	case CKPT_HDR_SIGHAND:
		return sizeof(struct ckpt_hdr_sighand);
	case CKPT_HDR_SIGNAL:
		return version < 3 ? SIGNAL_V2_LEN :
				     sizeof(struct ckpt_hdr_signal);
	case CKPT_HDR_POSIX_TIMER:
		return sizeof(struct ckpt_hdr_posix_timer);
	case CKPT_HDR_TASK_SIGNAL:
		return sizeof(struct ckpt_hdr_task_signal);
	case CKPT_HDR_SIGINFO:
		return sizeof(struct ckpt_hdr_siginfo);
	case CKPT_HDR_CRED:
		return sizeof(struct ckpt_hdr_cred);
	case CKPT_HDR_NAMESPACES:
		return sizeof(struct ckpt_hdr_namespaces);
	case CKPT_HDR_EPOLL:
		return sizeof(struct ckpt_hdr_epoll);
	case CKPT_HDR_IPC_SHM:
		return sizeof(struct ckpt_hdr_ipc_shm);
	case CKPT_HDR_IPC_SEM:
		return sizeof(struct ckpt_hdr_ipc_sem);
	case CKPT_HDR_IPC_MSG:
		return sizeof(struct ckpt_hdr_ipc_msg);
	case CKPT_HDR_IPC_SEM_UNDO:
		return sizeof(struct ckpt_hdr_ipc_sem_undo);
	case CKPT_HDR_IPC_MQUEUE:
		return sizeof(struct ckpt_hdr_ipc_mqueue);
	default:
		return sizeof(struct ckpt_hdr);
	}
}

uint32_t ckpt_record_head_len(uint32_t type, uint32_t version)
{
	if (type == CKPT_HDR_PAGES)
		return sizeof(struct ckpt_hdr_pages);
	if (version < 2)
		return 0;
	switch (type) {
	case CKPT_HDR_PIPE:
		return sizeof(struct ckpt_hdr_pipe);
	case CKPT_HDR_FD_TABLE:
		return sizeof(struct ckpt_hdr_fd_table);
	case CKPT_HDR_FILE_PAGES:
		return sizeof(struct ckpt_hdr_file_pages);
	case CKPT_HDR_SIGHAND:
		return sizeof(struct ckpt_hdr_sighand);
	case CKPT_HDR_CRED:
		return sizeof(struct ckpt_hdr_cred);
	case CKPT_HDR_EPOLL:
		return version >= 4 ? sizeof(struct ckpt_hdr_epoll) : 0;
	default:
		return 0;
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

static enum ckpt_status reserved_not_zero(struct ckpt_check *c, uint32_t v)
{
	return why(c, CKPT_ERR_CORRUPT,
		   ": the reserved field is 0x%x, not zero", v);
}

/*
 * The fixed part of a record as @size bytes at @dst: what was kept of it,
 * and zeros past that (a shorter record of an older format version).
 */
static void load(void *dst, size_t size, const struct ckpt_record *rec)
{
	size_t n = rec->data_len < size ? rec->data_len : size;

	memcpy(dst, rec->data, n);
	memset((char *)dst + n, 0, size - n);
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

/*
 * TASK_SIZE_MAX of this machine: (1 << 56) - a page with 5-level paging,
 * (1 << 47) - a page without.  A kernel with 5-level paging maps an area
 * at 1 << 47 when asked to, one without refuses (or, before
 * MAP_FIXED_NOREPLACE, puts it elsewhere).
 */
static uint64_t task_size_max(uint32_t page_size)
{
	void *want = (void *)(uintptr_t)(1ULL << 47);
	void *p = mmap(want, page_size, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
		       -1, 0);

	if (p == MAP_FAILED)
		return (1ULL << 47) - page_size;
	munmap(p, page_size);
	return p == want ? (1ULL << 56) - page_size :
			   (1ULL << 47) - page_size;
}

void ckpt_check_init(struct ckpt_check *c, unsigned int flags,
		     const struct ckpt_hdr_header *hdr)
{
	memset(c, 0, sizeof(*c));
	c->flags = flags;
	c->version = hdr->version;
	c->page_size = hdr->page_size;
	c->xfeatures = hdr->xfeatures;
	/* TASK_SIZE_MAX with 5-level paging, the largest there is */
	c->user_max = (1ULL << 56) - hdr->page_size;
	if (flags & CKPT_READ_RESTART) {
		c->user_max = task_size_max(hdr->page_size);
		c->xstate_max = xsave_max_size();
		c->max_map_count = max_map_count();
	}
	if (c->version >= 4)
		c->step = CKPT_STEP_NAMESPACES;
	for (int i = 0; i < 3; i++)
		c->ipc_last_id[i] = -1;
}

void ckpt_check_release(struct ckpt_check *c)
{
	free(c->kinds);
	free(c->counts);
	free(c->vmas);
	free(c->timers);
	free(c->tasks);
	free(c->task_order);
	free(c->targets);
	free(c->shm_pages);
	free(c->sems);
	free(c->undo_pids);
	c->kinds = NULL;
	c->counts = NULL;
	c->vmas = NULL;
	c->timers = NULL;
	c->tasks = NULL;
	c->task_order = NULL;
	c->targets = NULL;
	c->shm_pages = NULL;
	c->sems = NULL;
	c->undo_pids = NULL;
}

/* ---- The tasks read so far (version 4): a hash table by pid ---- */

static size_t task_slot(const struct ckpt_check_task *t, size_t cap,
			int32_t pid)
{
	size_t i = ((uint32_t)pid * 2654435761U) & (cap - 1);

	while (t[i].pid && t[i].pid != pid)
		i = (i + 1) & (cap - 1);
	return i;
}

/* The task @pid read before, or NULL. */
static const struct ckpt_check_task *task_find(const struct ckpt_check *c,
					       int32_t pid)
{
	size_t i;

	if (!c->tasks || pid <= 0)
		return NULL;
	i = task_slot(c->tasks, c->tasks_cap, pid);
	return c->tasks[i].pid ? &c->tasks[i] : NULL;
}

/* Add task @t (not there yet, @c->nr_tasks before it): 0, or -1. */
static int task_add(struct ckpt_check *c, const struct ckpt_check_task *add)
{
	struct ckpt_check_task *t;

	if (((size_t)c->nr_tasks + 1) * 2 > c->tasks_cap) {
		size_t cap = c->tasks_cap ? c->tasks_cap * 2 : 64;

		if (cap > SIZE_MAX / sizeof(*t))
			return -1;
		t = calloc(cap, sizeof(*t));
		if (!t)
			return -1;
		for (size_t k = 0; k < c->tasks_cap; k++)
			if (c->tasks[k].pid)
				t[task_slot(t, cap, c->tasks[k].pid)] =
					c->tasks[k];
		free(c->tasks);
		c->tasks = t;
		c->tasks_cap = cap;
	}
	if (ckpt_grow_array((void **)&c->task_order, &c->task_order_cap,
			    (size_t)c->nr_tasks + 1, sizeof(*c->task_order)))
		return -1;
	c->tasks[task_slot(c->tasks, c->tasks_cap, add->pid)] = *add;
	c->task_order[c->nr_tasks] = add->pid;
	return 0;
}

/*
 * Version 4, once every task is read (at the tail), as ckpt_tree_check()
 * does: a POSIX timer that signals a thread signals a live task of its
 * process (which may come after the timer's record).
 */
static enum ckpt_status check_targets(struct ckpt_check *c)
{
	for (size_t i = 0; i < c->nr_targets; i++) {
		const struct ckpt_check_target *tt = &c->targets[i];
		const struct ckpt_check_task *t = task_find(c, tt->tid);

		if (!t || (t->flags & CKPT_CHECK_ZOMBIE) || t->tgid != tt->tgid)
			return why(c, CKPT_ERR_CORRUPT,
				   ": POSIX timer %d of process %d signals task %d, not a live thread of the process",
				   tt->id, tt->tgid, tt->tid);
	}
	return CKPT_OK;
}

/*
 * Version 4, once every task is read (at the tail), as ckpt_tree_check()
 * does: process groups and sessions as POSIX has them.  A group's
 * processes are all in one session, and a process whose pid is that of a
 * group or session in the image is in that session, and no thread.  The
 * groups seen, with the session of their first process, are a hash table
 * of (pgid, sid) pairs, kept only for this.
 */
static enum ckpt_status check_groups(struct ckpt_check *c)
{
	size_t cap = 16;
	struct ckpt_check_task *groups;
	enum ckpt_status st = CKPT_OK;

	while (cap < (size_t)c->nr_tasks * 2)
		cap *= 2;
	groups = calloc(cap, sizeof(*groups));
	if (!groups)
		return no_memory(c);
	for (uint32_t i = 0; i < c->nr_tasks && !st; i++) {
		const struct ckpt_check_task *t = task_find(c, c->task_order[i]);
		const struct ckpt_check_task *l;
		int32_t ids[2] = { t->pgid, t->sid };
		struct ckpt_check_task *g;

		if (!(t->flags & CKPT_CHECK_PROCESS))
			continue;
		for (int k = 0; k < 2 && !st; k++) {
			l = ids[k] ? task_find(c, ids[k]) : NULL;
			if (l && (!(l->flags & CKPT_CHECK_PROCESS) ||
				  l->sid != t->sid))
				st = why(c, CKPT_ERR_CORRUPT,
					 ": task %d: %s %d is led by task %d, %s",
					 t->pid, k ? "session" : "process group",
					 ids[k], l->pid,
					 !(l->flags & CKPT_CHECK_PROCESS) ?
					 "a thread" :
					 "which is in another session");
		}
		if (st || !t->pgid)
			continue;
		/* another member of the group, if any, in the same session */
		g = &groups[task_slot(groups, cap, t->pgid)];
		if (!g->pid) {
			g->pid = t->pgid;
			g->sid = t->sid;
		} else if (g->sid != t->sid) {
			st = why(c, CKPT_ERR_CORRUPT,
				 ": task %d: in process group %d and session %d, where the group's processes before it are in session %d",
				 t->pid, t->pgid, t->sid, g->sid);
		}
	}
	free(groups);
	return st;
}

/* ---- The processes with SEM_UNDO adjustments (version 4) ---- */

static size_t pid_slot(const int32_t *t, size_t cap, int32_t pid)
{
	size_t i = ((uint32_t)pid * 2654435761U) & (cap - 1);

	while (t[i] && t[i] != pid)
		i = (i + 1) & (cap - 1);
	return i;
}

/* Whether process @pid had SEM_UNDO adjustments before. */
static bool undo_seen(const struct ckpt_check *c, int32_t pid)
{
	return c->undo_pids &&
	       c->undo_pids[pid_slot(c->undo_pids, c->undo_cap, pid)];
}

/* Add process @pid (more than 0, not there yet): 0, or -1. */
static int undo_add(struct ckpt_check *c, int32_t pid)
{
	if ((c->nr_undo_pids + 1) * 2 > c->undo_cap) {
		size_t cap = c->undo_cap ? c->undo_cap * 2 : 16;
		int32_t *t;

		if (cap > SIZE_MAX / sizeof(*t))
			return -1;
		t = calloc(cap, sizeof(*t));
		if (!t)
			return -1;
		for (size_t k = 0; k < c->undo_cap; k++)
			if (c->undo_pids[k])
				t[pid_slot(t, cap, c->undo_pids[k])] =
					c->undo_pids[k];
		free(c->undo_pids);
		c->undo_pids = t;
		c->undo_cap = cap;
	}
	c->undo_pids[pid_slot(c->undo_pids, c->undo_cap, pid)] = pid;
	c->nr_undo_pids++;
	return 0;
}

/*
 * Version 4, once every task is read (at the tail), as ckpt_ipc_check()
 * does: a process with SEM_UNDO adjustments is a live process of the
 * image (a thread group leader, which gets them back before it runs).
 */
static enum ckpt_status check_undo_pids(struct ckpt_check *c)
{
	for (size_t i = 0; i < c->undo_cap; i++) {
		int32_t pid = c->undo_pids[i];
		const struct ckpt_check_task *t = pid ? task_find(c, pid) : NULL;

		if (!pid)
			continue;
		if (!t)
			return why(c, CKPT_ERR_CORRUPT,
				   ": process %d has SEM_UNDO adjustments, but is no task of the image",
				   pid);
		if (!(t->flags & CKPT_CHECK_PROCESS))
			return why(c, CKPT_ERR_CORRUPT,
				   ": task %d has SEM_UNDO adjustments, but is a thread (of process %d): a process's are its leader's",
				   pid, t->tgid);
		if (t->flags & CKPT_CHECK_ZOMBIE)
			return why(c, CKPT_ERR_CORRUPT,
				   ": process %d has SEM_UNDO adjustments, but is a zombie",
				   pid);
	}
	return CKPT_OK;
}

static const char *obj_kind_name(uint8_t kind)
{
	switch (kind) {
	case OBJ_FILE:
		return "file";
	case OBJ_MM:
		return "mm";
	case OBJ_PIPE:
		return "pipe";
	case OBJ_FD_TABLE:
		return "fd table";
	case OBJ_FS:
		return "fs";
	case OBJ_SIGHAND:
		return "sighand";
	case OBJ_SIGNAL:
		return "signal";
	case OBJ_FIFO:
		return "FIFO's pipe";
	case OBJ_SHM:
		return "SysV shm segment";
	case OBJ_MQUEUE:
		return "POSIX message queue";
	default:
		return "object";
	}
}

/* A new object: objrefs are given out in order, from 1. */
static enum ckpt_status obj_declare(struct ckpt_check *c, uint32_t objref,
				    uint8_t kind)
{
	if (objref != c->nr_objs + 1)
		return why(c, CKPT_ERR_CORRUPT,
			   ": %s %u is defined out of order (expected objref %u)",
			   obj_kind_name(kind), objref, c->nr_objs + 1);
	if (ckpt_grow_array((void **)&c->kinds, &c->kinds_cap, (size_t)objref, 1) ||
	    ckpt_grow_array((void **)&c->counts, &c->counts_cap, (size_t)objref,
			    sizeof(*c->counts)))
		return no_memory(c);
	c->kinds[objref - 1] = kind;
	c->counts[objref - 1] = 0;
	c->nr_objs = objref;
	return CKPT_OK;
}

/*
 * An object that tasks may share (an fd table, fs, handlers, signal
 * record): a new one, the next objref, or one written before, of the same
 * kind.  *@is_new says which.
 */
static enum ckpt_status obj_define_or_share(struct ckpt_check *c,
					    uint32_t objref, uint8_t kind,
					    bool *is_new)
{
	*is_new = objref == c->nr_objs + 1;
	if (*is_new)
		return obj_declare(c, objref, kind);
	if (objref == 0 || objref > c->nr_objs)
		return why(c, CKPT_ERR_CORRUPT,
			   ": %s %u is defined out of order (expected objref %u, or that of one written before)",
			   obj_kind_name(kind), objref, c->nr_objs + 1);
	if (c->kinds[objref - 1] != kind)
		return why(c, CKPT_ERR_CORRUPT,
			   ": %s %u was defined before as another kind of object (%s %u)",
			   obj_kind_name(kind), objref,
			   obj_kind_name(c->kinds[objref - 1]), objref);
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

/* The record type of each step. */
static uint32_t step_type(enum ckpt_check_step step)
{
	switch (step) {
	case CKPT_STEP_NAMESPACES:
		return CKPT_HDR_NAMESPACES;
	case CKPT_STEP_PATH:
	case CKPT_STEP_ROOT:
	case CKPT_STEP_CWD:
		return CKPT_HDR_STRING;
	case CKPT_STEP_FILE_PAGES:
		return CKPT_HDR_FILE_PAGES;
	case CKPT_STEP_MM:
		return CKPT_HDR_MM;
	case CKPT_STEP_MM_BODY:
	case CKPT_STEP_REGS:
		return CKPT_HDR_CPU_REGS;
	case CKPT_STEP_EARLY_MM_BODY:
		return CKPT_HDR_TASK;
	case CKPT_STEP_XSTATE:
		return CKPT_HDR_CPU_XSTATE;
	case CKPT_STEP_TLS:
		return CKPT_HDR_CPU_TLS;
	case CKPT_STEP_RESTART_BLOCK:
		return CKPT_HDR_RESTART_BLOCK;
	case CKPT_STEP_ATTRS:
		return CKPT_HDR_TASK_ATTRS;
	case CKPT_STEP_CRED:
		return CKPT_HDR_CRED;
	case CKPT_STEP_FD_TABLE:
		return CKPT_HDR_FD_TABLE;
	case CKPT_STEP_FS:
		return CKPT_HDR_FS;
	case CKPT_STEP_SIGHAND:
		return CKPT_HDR_SIGHAND;
	case CKPT_STEP_SIGNAL:
		return CKPT_HDR_SIGNAL;
	case CKPT_STEP_POSIX_TIMER:
		return CKPT_HDR_POSIX_TIMER;
	case CKPT_STEP_TASK_SIGNAL:
		return CKPT_HDR_TASK_SIGNAL;
	case CKPT_STEP_SIGINFO:
		return CKPT_HDR_SIGINFO;
	default:
		return 0;
	}
}

/* Whether the step is the body of an address space: areas, then pages. */
static bool in_mm_body(const struct ckpt_check *c)
{
	return c->step == CKPT_STEP_MM_BODY ||
	       c->step == CKPT_STEP_EARLY_MM_BODY;
}

/*
 * What must come next, if anything: the rest of a task, file, fs or mm.
 * After the areas of an address space of version 4, its pages may come
 * before what the step wants (ckpt_check_begin()).
 */
static uint32_t expected(const struct ckpt_check *c)
{
	if (in_mm_body(c) && c->nr_vmas < c->max_vmas)
		return CKPT_HDR_VMA;
	if (c->step)
		return step_type(c->step);
	if (c->nr_vmas < c->max_vmas)
		return CKPT_HDR_VMA;
	return 0;
}

/* Whether the last task's registers say it restarts with a restart block. */
static bool needs_restart_block(const struct ckpt_check *c)
{
	return c->orig_ax >= 0 && c->ax == -ERESTART_RESTARTBLOCK;
}

/* After the CPU state of a task: its restart block if it needs one. */
static void after_cpu(struct ckpt_check *c)
{
	c->step = needs_restart_block(c) ? CKPT_STEP_RESTART_BLOCK :
					   CKPT_STEP_ATTRS;
}

/*
 * What the object whose contents come (file_pages records) is, in
 * messages: a memfd, shared anonymous memory or a SysV shm segment.
 */
static const char *contents_word(const struct ckpt_check *c)
{
	if (c->shm_contents)
		return "shm segment";
	return c->file_type == CKPT_FILE_SHMEM ? "shared anonymous memory" :
						 "memfd";
}

/* A record of type @got where the step wants another. */
static enum ckpt_status unexpected(struct ckpt_check *c, uint32_t got)
{
	int32_t pid = c->task_pid;

	if (c->step == CKPT_STEP_NONE ||
	    (in_mm_body(c) && c->nr_vmas < c->max_vmas))
		return why(c, CKPT_ERR_CORRUPT,
			   ": memory area %u of the %u of mm %u must come here",
			   c->nr_vmas + 1, c->max_vmas, c->mm_objref);
	switch (c->step) {
	case CKPT_STEP_NONE:
		break;
	case CKPT_STEP_NAMESPACES:
		return why(c, CKPT_ERR_CORRUPT,
			   ": the namespaces record must come here, the first after the header");
	case CKPT_STEP_MM:
		return why(c, CKPT_ERR_CORRUPT,
			   ": the address space of task %d, mm %u, must come here: no task before it used it",
			   pid, c->task_mm);
	case CKPT_STEP_MM_BODY:
		return why(c, CKPT_ERR_CORRUPT,
			   ": the pages of mm %u, or the registers of task %d, must come here",
			   c->mm_objref, pid);
	case CKPT_STEP_EARLY_MM_BODY:
		return why(c, CKPT_ERR_CORRUPT,
			   ": the pages of mm %u, or the first task, which uses it, must come here",
			   c->mm_objref);
	case CKPT_STEP_PATH:
		if (c->file_type == CKPT_FILE_MEMFD ||
		    c->file_type == CKPT_FILE_SHMEM)
			return why(c, CKPT_ERR_CORRUPT,
				   ": the name of %s %u (a string record) must come here",
				   contents_word(c), c->file_objref);
		return why(c, CKPT_ERR_CORRUPT,
			   ": the path of file %u (a string record) must come here",
			   c->file_objref);
	case CKPT_STEP_FILE_PAGES:
		if (c->memfd_records)
			return why(c, CKPT_ERR_CORRUPT,
				   ": more contents of %s %u (a file_pages record) must come here: the one before said more follow",
				   contents_word(c), c->file_objref);
		return why(c, CKPT_ERR_CORRUPT,
			   ": the contents of %s %u (a file_pages record) must come here",
			   contents_word(c),
			   c->file_objref);
	case CKPT_STEP_REGS:
		return why(c, CKPT_ERR_CORRUPT,
			   ": the registers of task %d must come here", pid);
	case CKPT_STEP_XSTATE:
		return why(c, CKPT_ERR_CORRUPT,
			   ": the xstate of task %d must come here", pid);
	case CKPT_STEP_TLS:
		return why(c, CKPT_ERR_CORRUPT,
			   ": the TLS descriptors of task %d must come here",
			   pid);
	case CKPT_STEP_RESTART_BLOCK:
		return why(c, CKPT_ERR_CORRUPT,
			   ": the restart block of task %d must come here: its registers say it restarts a system call with one (orig_ax %lld, ax %lld)",
			   pid, (long long)c->orig_ax, (long long)c->ax);
	case CKPT_STEP_ATTRS:
		if (got == CKPT_HDR_RESTART_BLOCK)
			return why(c, CKPT_ERR_CORRUPT,
				   ": task %d has a restart block, but its registers do not say it restarts a system call with one (orig_ax %lld, ax %lld)",
				   pid, (long long)c->orig_ax,
				   (long long)c->ax);
		return why(c, CKPT_ERR_CORRUPT,
			   ": the attributes of task %d must come here", pid);
	case CKPT_STEP_CRED:
		return why(c, CKPT_ERR_CORRUPT,
			   ": the credentials of task %d must come here", pid);
	case CKPT_STEP_FD_TABLE:
		return why(c, CKPT_ERR_CORRUPT,
			   ": the fd table of task %d must come here", pid);
	case CKPT_STEP_FS:
		return why(c, CKPT_ERR_CORRUPT,
			   ": the fs of task %d must come here", pid);
	case CKPT_STEP_ROOT:
		return why(c, CKPT_ERR_CORRUPT,
			   ": the root of fs %u (a string record) must come here",
			   c->fs_objref);
	case CKPT_STEP_CWD:
		return why(c, CKPT_ERR_CORRUPT,
			   ": the working directory of fs %u (a string record) must come here",
			   c->fs_objref);
	case CKPT_STEP_SIGHAND:
		return why(c, CKPT_ERR_CORRUPT,
			   ": the signal handlers of task %d must come here",
			   pid);
	case CKPT_STEP_SIGNAL:
		return why(c, CKPT_ERR_CORRUPT,
			   ": the signal record of task %d must come here", pid);
	case CKPT_STEP_POSIX_TIMER:
		return why(c, CKPT_ERR_CORRUPT,
			   ": POSIX timer %u of the %u of signal %u must come here",
			   c->nr_timers + 1, c->max_timers, c->signal_objref);
	case CKPT_STEP_TASK_SIGNAL:
		return why(c, CKPT_ERR_CORRUPT,
			   ": the task signal record of task %d must come here",
			   pid);
	case CKPT_STEP_SIGINFO:
		return why(c, CKPT_ERR_CORRUPT,
			   ": pending signal %u of the %u of task %d must come here",
			   c->nr_pending - c->pending_left + 1, c->nr_pending,
			   pid);
	}
	return why(c, CKPT_ERR_CORRUPT, ": out of place");
}

/* What a record of the IPC window is, in messages. */
static const char *ipc_record_what(uint32_t type)
{
	switch (type) {
	case CKPT_HDR_IPC_SEM_UNDO:
		return "SEM_UNDO adjustments";
	case CKPT_HDR_IPC_MQUEUE:
		return "a POSIX message queue";
	default:
		return "a SysV IPC object";
	}
}

/* A record that only comes where the one before asks for it, elsewhere. */
static enum ckpt_status out_of_place(struct ckpt_check *c, uint32_t type)
{
	if (type == CKPT_HDR_STRING)
		return why(c, CKPT_ERR_CORRUPT,
			   ": a string record that belongs to no file or fs");
	if (type == CKPT_HDR_SIGINFO)
		return why(c, CKPT_ERR_CORRUPT,
			   ": a pending signal that no task signal record announced");
	if (type == CKPT_HDR_FILE_PAGES)
		return why(c, CKPT_ERR_CORRUPT,
			   ": a file_pages record that belongs to no memfd");
	if (type == CKPT_HDR_POSIX_TIMER)
		return why(c, CKPT_ERR_CORRUPT,
			   ": a POSIX timer that no signal record announced");
	if (type == CKPT_HDR_NAMESPACES)
		return why(c, CKPT_ERR_CORRUPT,
			   ": a second namespaces record (there is one, the first after the header)");
	return why(c, CKPT_ERR_CORRUPT, ": a %s record that belongs to no task",
		   ckpt_record_type_name(type));
}

enum ckpt_status ckpt_check_begin(struct ckpt_check *c,
				  const struct ckpt_hdr *h)
{
	uint32_t want = expected(c);
	uint32_t min = ckpt_record_min_len(h->type, c->version);
	uint32_t max = RECORD_MAX_LEN;

	c->fd_objref = 0;	/* no fd table entries stream past */
	c->ep_objref = 0;	/* nor epoll items */
	c->in_msgq = false;	/* nor messages */
	/* the pages of an address space of version 4 come where they may */
	if (want && h->type != want &&
	    !(h->type == CKPT_HDR_PAGES && in_mm_body(c) &&
	      c->nr_vmas == c->max_vmas))
		return unexpected(c, h->type);
	/* every task read: the threads timers signal, groups and sessions,
	 * the processes with SEM_UNDO adjustments */
	if (h->type == CKPT_HDR_TAIL && c->version >= 4) {
		enum ckpt_status st = CKPT_OK;

		if (c->nr_tasks)
			st = check_targets(c);
		if (!st && c->nr_tasks)
			st = check_groups(c);
		if (!st)
			st = check_undo_pids(c);
		if (st)
			return st;
	}
	/* Any other record ends the address space being read, as in the
	 * kernel: pages come right after its areas. */
	if (h->type != CKPT_HDR_VMA && h->type != CKPT_HDR_PAGES)
		c->max_vmas = 0;
	/* SysV IPC objects (and a segment's pages) come before any other */
	if (!in_ipc_place(h->type) &&
	    !(c->step == CKPT_STEP_FILE_PAGES && c->shm_contents))
		c->ipc_open = false;
	if (!known_in(h->type, c->version))
		goto unknown;

	switch (h->type) {
	case CKPT_HDR_TAIL:
	case CKPT_HDR_FILE:
	case CKPT_HDR_MM:
	case CKPT_HDR_VMA:
	case CKPT_HDR_TASK:
		break;
	case CKPT_HDR_PIPE:
		max = UINT32_MAX;	/* see ckpt_check_head() */
		break;
	case CKPT_HDR_EPOLL:
		max = sizeof(struct ckpt_hdr_epoll) +
		      CKPT_FDS_MAX * sizeof(struct ckpt_epoll_item);
		break;
	case CKPT_HDR_IPC_SHM:
	case CKPT_HDR_IPC_SEM:
	case CKPT_HDR_IPC_MSG:
	case CKPT_HDR_IPC_SEM_UNDO:
	case CKPT_HDR_IPC_MQUEUE:
		if (!c->ipc_ns)
			return why(c, CKPT_ERR_CORRUPT,
				   ": %s, but the namespaces record has no CKPT_NS_IPC: the container has no IPC namespace of its own",
				   ipc_record_what(h->type));
		if (!c->ipc_open)
			return why(c, CKPT_ERR_CORRUPT,
				   ": %s out of place: %s right after the namespaces record, before any other record",
				   ipc_record_what(h->type),
				   h->type == CKPT_HDR_IPC_SEM_UNDO ||
				   h->type == CKPT_HDR_IPC_MQUEUE ?
				   "IPC records come" : "they come");
		/* a record of semaphores (or of adjustments) is kept whole:
		 * see check_ipc_sem() */
		if (h->type == CKPT_HDR_IPC_SEM)
			max = sizeof(struct ckpt_hdr_ipc_sem) +
			      align8(CKPT_SEMS_MAX * sizeof(uint16_t));
		else if (h->type == CKPT_HDR_IPC_SEM_UNDO)
			max = sizeof(struct ckpt_hdr_ipc_sem_undo) +
			      align8(CKPT_SEMS_MAX * sizeof(int16_t));
		else if (h->type == CKPT_HDR_IPC_MSG)
			max = sizeof(struct ckpt_hdr_ipc_msg) + CKPT_MSGQ_MAX;
		else if (h->type == CKPT_HDR_IPC_MQUEUE)
			max = sizeof(struct ckpt_hdr_ipc_mqueue) + CKPT_MSGQ_MAX;
		break;
	case CKPT_HDR_NAMESPACES:
	case CKPT_HDR_STRING:
	case CKPT_HDR_CPU_REGS:
	case CKPT_HDR_CPU_XSTATE:
	case CKPT_HDR_CPU_TLS:
	case CKPT_HDR_RESTART_BLOCK:
	case CKPT_HDR_TASK_ATTRS:
	case CKPT_HDR_CRED:
	case CKPT_HDR_FD_TABLE:
	case CKPT_HDR_FS:
	case CKPT_HDR_SIGHAND:
	case CKPT_HDR_SIGNAL:
	case CKPT_HDR_POSIX_TIMER:
	case CKPT_HDR_TASK_SIGNAL:
	case CKPT_HDR_SIGINFO:
	case CKPT_HDR_FILE_PAGES:
		if (want != h->type)
			return out_of_place(c, h->type);
		if (h->type == CKPT_HDR_STRING)
			max = sizeof(struct ckpt_hdr_string) + CKPT_STRING_MAX;
		else if (h->type == CKPT_HDR_CPU_XSTATE)
			max = c->xstate_max ? sizeof(struct ckpt_hdr_cpu_xstate) +
					      c->xstate_max : UINT32_MAX;
		else if (h->type == CKPT_HDR_CRED ||
			 h->type == CKPT_HDR_FD_TABLE ||
			 h->type == CKPT_HDR_FILE_PAGES)
			max = UINT32_MAX;	/* see ckpt_check_head() */
		break;
	case CKPT_HDR_PAGES:
		if (!c->max_vmas || c->nr_vmas != c->max_vmas)
			return why(c, CKPT_ERR_CORRUPT,
				   ": a page record outside an address space");
		max = UINT32_MAX;	/* see ckpt_check_head() */
		break;
	default:
	unknown:
		if (c->flags & CKPT_READ_RESTART)
			return why(c, CKPT_ERR_CORRUPT, ": unknown type %u",
				   h->type);
		max = UINT32_MAX;	/* a newer writer's: listed, not read */
		break;
	}
	if (min == max && h->len != min)
		return why(c, CKPT_ERR_CORRUPT,
			   " has a bad length (%u, expected %u)", h->len, min);
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

/* The exact length of a record with @nr entries of @size after @fixed. */
static enum ckpt_status exact_len(struct ckpt_check *c, uint32_t len,
				  uint64_t fixed, uint32_t nr, uint32_t size,
				  const char *what)
{
	uint64_t want = fixed + (uint64_t)nr * size;

	if (len != want)
		return why(c, CKPT_ERR_CORRUPT,
			   " has a bad length (%u, expected %llu for %u %s)",
			   len, (unsigned long long)want, nr, what);
	return CKPT_OK;
}

static enum ckpt_status check_pages_head(struct ckpt_check *c,
					 const struct ckpt_hdr_pages *p)
{
	if (!p->nr_pages || p->nr_pages > CKPT_PAGES_MAX)
		return why(c, CKPT_ERR_CORRUPT,
			   ": %u pages, not 1 to %u", p->nr_pages,
			   CKPT_PAGES_MAX);
	if (p->reserved)
		return reserved_not_zero(c, p->reserved);
	return exact_len(c, p->h.len, sizeof(*p), p->nr_pages,
			 sizeof(uint64_t) + c->page_size, "pages");
}

/*
 * The contents of a memfd: the record that check_begin() let through is
 * the one it expects, whose objref must be that of the memfd.
 */
static enum ckpt_status check_file_pages_head(struct ckpt_check *c,
					      const struct ckpt_hdr_file_pages *p)
{
	if (p->objref != c->file_objref)
		return why(c, CKPT_ERR_CORRUPT,
			   ": the contents of file %u, where those of %s %u must come",
			   p->objref, contents_word(c), c->file_objref);
	if (p->nr_pages > CKPT_PAGES_MAX)
		return why(c, CKPT_ERR_CORRUPT,
			   ": %s %u: %u pages in a record (at most %u)",
			   contents_word(c), p->objref, p->nr_pages, CKPT_PAGES_MAX);
	if (p->more > 1)
		return why(c, CKPT_ERR_CORRUPT,
			   ": %s %u: more is %u (1 if another record of its pages follows, else 0)",
			   contents_word(c), p->objref, p->more);
	if (p->reserved)
		return reserved_not_zero(c, p->reserved);
	return exact_len(c, p->h.len, sizeof(*p), p->nr_pages,
			 sizeof(uint64_t) + c->page_size, "pages");
}

static enum ckpt_status check_pipe_head(struct ckpt_check *c,
					const struct ckpt_hdr_pipe *p)
{
	/* a page (PAGE_SIZE, which the header's page size is) to the most */
	if (p->size < c->page_size || p->size > CKPT_PIPE_MAX)
		return why(c, CKPT_ERR_CORRUPT,
			   ": pipe %u has a capacity of %u bytes (%u to %u)",
			   p->objref, p->size, c->page_size, CKPT_PIPE_MAX);
	if (p->len > p->size)
		return why(c, CKPT_ERR_CORRUPT,
			   ": pipe %u holds %u bytes, more than its capacity (%u)",
			   p->objref, p->len, p->size);
	/* version 4: the flags (before, a reserved field) */
	if (p->flags & ~(c->version < 4 ? 0 : CKPT_PIPE_FLAGS_ALL))
		return why(c, CKPT_ERR_CORRUPT,
			   ": pipe %u has unknown flags 0x%x", p->objref,
			   p->flags);
	return exact_len(c, p->h.len, sizeof(*p), p->len, 1,
			 "bytes of data");
}

static enum ckpt_status check_fd_table_head(struct ckpt_check *c,
					    const struct ckpt_hdr_fd_table *t)
{
	if (t->nr_fds > CKPT_FDS_MAX)
		return why(c, CKPT_ERR_CORRUPT,
			   ": fd table %u has %u fds (at most %u)",
			   t->objref, t->nr_fds, CKPT_FDS_MAX);
	return exact_len(c, t->h.len, sizeof(*t), t->nr_fds,
			 sizeof(struct ckpt_fd), "fds");
}

static enum ckpt_status check_sighand_head(struct ckpt_check *c,
					   const struct ckpt_hdr_sighand *s)
{
	if (s->nr != 0 && s->nr != CKPT_NSIG)
		return why(c, CKPT_ERR_CORRUPT,
			   ": sighand %u has %u actions (%u, or 0 for handlers written before)",
			   s->objref, s->nr, CKPT_NSIG);
	return exact_len(c, s->h.len, sizeof(*s), s->nr,
			 sizeof(struct ckpt_sigaction), "actions");
}

/*
 * The groups are padded to 8 bytes, in the record: cred.c reads the
 * padding as part of it, so an odd number of groups needs its 4 bytes of
 * padding inside the record's length.
 */
static enum ckpt_status check_cred_head(struct ckpt_check *c,
					const struct ckpt_hdr_cred *cr)
{
	uint64_t bytes = (uint64_t)cr->nr_groups * sizeof(uint32_t);
	uint64_t want = sizeof(*cr) + (bytes + 7) / 8 * 8;

	if (cr->nr_groups > CKPT_GROUPS_MAX)
		return why(c, CKPT_ERR_CORRUPT,
			   ": %u supplementary groups (at most %u)",
			   cr->nr_groups, CKPT_GROUPS_MAX);
	if (cr->h.len != want)
		return why(c, CKPT_ERR_CORRUPT,
			   " has a bad length (%u, expected %llu for %u groups, padded to 8 bytes)",
			   cr->h.len, (unsigned long long)want, cr->nr_groups);
	return CKPT_OK;
}

/*
 * The items record of an epoll file (version 4): of an epoll file before
 * it that had none yet, with at most CKPT_FDS_MAX items, all in the
 * record (whose length may be longer: a newer writer's).
 */
static enum ckpt_status check_epoll_head(struct ckpt_check *c,
					 const struct ckpt_hdr_epoll *e)
{
	uint64_t want = sizeof(*e) +
			(uint64_t)e->nr_items * sizeof(struct ckpt_epoll_item);
	enum ckpt_status st;

	st = obj_check(c, "the epoll items record", e->file_objref, OBJ_FILE);
	if (st)
		return st;
	if (!c->counts[e->file_objref - 1])
		return why(c, CKPT_ERR_CORRUPT,
			   ": the items of file %u, which is no epoll file",
			   e->file_objref);
	if (c->counts[e->file_objref - 1] == EPOLL_LISTED)
		return why(c, CKPT_ERR_CORRUPT,
			   ": the items of epoll file %u, which came before",
			   e->file_objref);
	if (e->nr_items > CKPT_FDS_MAX)
		return why(c, CKPT_ERR_CORRUPT,
			   ": epoll file %u has %u items (at most %u)",
			   e->file_objref, e->nr_items, CKPT_FDS_MAX);
	if (e->h.len < want)
		return why(c, CKPT_ERR_CORRUPT,
			   " has a bad length (%u, expected at least %llu for %u items)",
			   e->h.len, (unsigned long long)want, e->nr_items);
	return CKPT_OK;
}

enum ckpt_status ckpt_check_head(struct ckpt_check *c, const void *head)
{
	const struct ckpt_hdr *h = head;

	switch (h->type) {
	case CKPT_HDR_PAGES:
		return check_pages_head(c, head);
	case CKPT_HDR_PIPE:
		return check_pipe_head(c, head);
	case CKPT_HDR_FD_TABLE:
		return check_fd_table_head(c, head);
	case CKPT_HDR_FILE_PAGES:
		return check_file_pages_head(c, head);
	case CKPT_HDR_SIGHAND:
		return check_sighand_head(c, head);
	case CKPT_HDR_CRED:
		return check_cred_head(c, head);
	case CKPT_HDR_EPOLL:
		return check_epoll_head(c, head);
	default:
		return CKPT_OK;
	}
}

static enum ckpt_status check_file(struct ckpt_check *c,
				   const struct ckpt_record *r)
{
	uint32_t max_type = c->version < 2 ? CKPT_FILE_CHR :
			    c->version < 4 ? CKPT_FILE_MEMFD :
					     CKPT_FILE_MQUEUE;
	struct ckpt_hdr_file rec;
	enum ckpt_status st;
	uint32_t accmode;
	char what[32];

	/* version 1's record ends before pipe_objref: what follows is not */
	memset(&rec, 0, sizeof(rec));
	load(&rec, c->version < 2 ? FILE_V1_LEN : sizeof(rec), r);
	accmode = rec.f_flags & X86_O_ACCMODE;
	if (rec.type < CKPT_FILE_REG || rec.type > max_type)
		return why(c, CKPT_ERR_CORRUPT, ": file %u has unknown type %u",
			   rec.objref, rec.type);
	if (rec.f_flags & ~VALID_OPEN_FLAGS)
		return why(c, CKPT_ERR_CORRUPT,
			   ": file %u has unknown open flags 0%o", rec.objref,
			   rec.f_flags & ~VALID_OPEN_FLAGS);
	/* above MAX_LFS_FILESIZE (2^63 - 1): negative as an loff_t */
	if ((int64_t)rec.pos < 0 || (int64_t)rec.size < 0)
		return why(c, CKPT_ERR_CORRUPT,
			   ": file %u has an offset (%llu) or size (%llu) above 2^63 - 1",
			   rec.objref, (unsigned long long)rec.pos,
			   (unsigned long long)rec.size);
	if (rec.type == CKPT_FILE_MEMFD) {
		if (rec.seals & ~MEMFD_SEALS)
			return why(c, CKPT_ERR_CORRUPT,
				   ": memfd %u has unknown seals 0x%x",
				   rec.objref, rec.seals & ~MEMFD_SEALS);
		if (accmode != X86_O_RDWR)
			return why(c, CKPT_ERR_CORRUPT,
				   ": memfd %u is open with access mode %u, not O_RDWR (2)",
				   rec.objref, accmode);
	} else if (rec.seals) {
		return why(c, CKPT_ERR_CORRUPT,
			   ": file %u is no memfd, but has seals 0x%x",
			   rec.objref, rec.seals);
	}
	if (rec.type == CKPT_FILE_PIPE) {
		snprintf(what, sizeof(what), "file %u", rec.objref);
		st = obj_check(c, what, rec.pipe_objref, OBJ_PIPE);
		if (st)
			return st;
		/* (the kernel checks this when restoring, not in a dry run) */
		if (accmode != X86_O_RDONLY && accmode != X86_O_WRONLY)
			return why(c, CKPT_ERR_CORRUPT,
				   ": file %u, an end of pipe %u, is open with access mode %u: an end is read or written, not both",
				   rec.objref, rec.pipe_objref, accmode);
	} else if (rec.type == CKPT_FILE_FIFO) {
		/* version 4: a FIFO, by its path, and the pipe it has */
		snprintf(what, sizeof(what), "FIFO %u", rec.objref);
		st = obj_check(c, what, rec.pipe_objref, OBJ_FIFO);
		if (st)
			return st;
		if (rec.pos)
			return why(c, CKPT_ERR_CORRUPT,
				   ": FIFO %u has an offset (%llu): none",
				   rec.objref, (unsigned long long)rec.pos);
	} else if (rec.type == CKPT_FILE_MQUEUE) {
		/* version 4: open on a queue of the IPC records (ipc.c):
		 * its access mode and O_NONBLOCK, nothing else */
		if ((rec.f_flags & ~(X86_O_ACCMODE | X86_O_NONBLOCK)) ||
		    accmode == X86_O_ACCMODE)
			return why(c, CKPT_ERR_CORRUPT,
				   ": file %u, open on a POSIX message queue, has open flags 0%o (O_RDONLY, O_WRONLY or O_RDWR, and O_NONBLOCK only)",
				   rec.objref, rec.f_flags);
		if (rec.pos || rec.size || rec.rdev)
			return why(c, CKPT_ERR_CORRUPT,
				   ": file %u, open on a POSIX message queue, has an offset (%llu), size (%llu) or device (0x%x): none",
				   rec.objref, (unsigned long long)rec.pos,
				   (unsigned long long)rec.size, rec.rdev);
		snprintf(what, sizeof(what), "file %u", rec.objref);
		st = obj_check(c, what, rec.pipe_objref, OBJ_MQUEUE);
		if (st)
			return st;
	} else if (rec.pipe_objref) {
		return why(c, CKPT_ERR_CORRUPT,
			   ": file %u is no pipe, but names pipe %u",
			   rec.objref, rec.pipe_objref);
	}
	/* version 4: shared anonymous memory, read-write at 0 (memfd.c) */
	if (rec.type == CKPT_FILE_SHMEM &&
	    (rec.f_flags != X86_O_RDWR || rec.pos || rec.rdev))
		return why(c, CKPT_ERR_CORRUPT,
			   ": shared anonymous memory %u has open flags 0%o, offset %llu or device 0x%x (O_RDWR, 0, none)",
			   rec.objref, rec.f_flags, (unsigned long long)rec.pos,
			   rec.rdev);
	/* version 4: empty, its items in a record of their own */
	if (rec.type == CKPT_FILE_EPOLL &&
	    (accmode != X86_O_RDWR ||
	     (rec.f_flags & ~(X86_O_ACCMODE | EPOLL_FILE_FLAGS))))
		return why(c, CKPT_ERR_CORRUPT,
			   ": epoll file %u has open flags 0%o (O_RDWR, and O_NONBLOCK, O_CLOEXEC, O_LARGEFILE only)",
			   rec.objref, rec.f_flags);
	if (rec.type == CKPT_FILE_EPOLL && (rec.pos || rec.size || rec.rdev))
		return why(c, CKPT_ERR_CORRUPT,
			   ": epoll file %u has an offset (%llu), size (%llu) or device (0x%llx): none",
			   rec.objref, (unsigned long long)rec.pos,
			   (unsigned long long)rec.size,
			   (unsigned long long)rec.rdev);
	/* version 4: a file shared with the outside, not saved but for its
	 * fd and access mode (external.c) */
	if (rec.type == CKPT_FILE_EXTERNAL &&
	    ((rec.f_flags & ~X86_O_ACCMODE) || accmode == X86_O_ACCMODE))
		return why(c, CKPT_ERR_CORRUPT,
			   ": external file %u has open flags 0%o (O_RDONLY, O_WRONLY or O_RDWR only)",
			   rec.objref, rec.f_flags);
	if (rec.type == CKPT_FILE_EXTERNAL && rec.fd >= CKPT_FDS_MAX)
		return why(c, CKPT_ERR_CORRUPT,
			   ": external file %u is at fd %u (below %u)",
			   rec.objref, rec.fd, CKPT_FDS_MAX);
	if (rec.type == CKPT_FILE_EXTERNAL && (rec.pos || rec.size))
		return why(c, CKPT_ERR_CORRUPT,
			   ": external file %u has an offset (%llu) or size (%llu): none",
			   rec.objref, (unsigned long long)rec.pos,
			   (unsigned long long)rec.size);
	st = obj_declare(c, rec.objref, OBJ_FILE);
	if (st)
		return st;
	if (rec.type == CKPT_FILE_EPOLL) {
		c->counts[rec.objref - 1] = EPOLL_UNLISTED;
		c->epolls_unlisted++;
	}
	/* an end of a pipe, an epoll file or a file open on a message
	 * queue has no path; a memfd has a name, then pages */
	c->step = rec.type == CKPT_FILE_PIPE || rec.type == CKPT_FILE_EPOLL ||
		  rec.type == CKPT_FILE_MQUEUE ? CKPT_STEP_NONE :
						 CKPT_STEP_PATH;
	c->file_objref = rec.objref;
	c->file_type = rec.type;
	c->shm_contents = false;
	c->memfd_size = rec.size;
	c->memfd_next = 0;
	c->memfd_records = 0;
	return CKPT_OK;
}

/* The offsets of a record of a memfd's pages, checked as memfd.c does. */
static enum ckpt_status check_file_pages(struct ckpt_check *c,
					 const struct ckpt_record *r)
{
	const struct ckpt_hdr_file_pages *p = r->data;
	const uint64_t *offs;
	uint32_t nr;

	offs = ckpt_record_file_pages(r, &nr);
	for (uint32_t i = 0; i < nr; i++) {
		uint64_t o = offs[i];

		if (o % c->page_size)
			return why(c, CKPT_ERR_CORRUPT,
				   ": %s %u: page %u at offset 0x%llx is not page-aligned",
				   contents_word(c), p->objref, i, (unsigned long long)o);
		if (o < c->memfd_next)
			return why(c, CKPT_ERR_CORRUPT,
				   ": %s %u: page %u at offset 0x%llx is not after the page before it",
				   contents_word(c), p->objref, i, (unsigned long long)o);
		if (o >= c->memfd_size)
			return why(c, CKPT_ERR_CORRUPT,
				   ": %s %u: page %u at offset 0x%llx is past its end (%llu bytes)",
				   contents_word(c), p->objref, i, (unsigned long long)o,
				   (unsigned long long)c->memfd_size);
		c->memfd_next = o + c->page_size;
	}
	c->memfd_records++;
	if (!p->more)
		c->step = CKPT_STEP_NONE;
	return CKPT_OK;
}

static enum ckpt_status check_pipe(struct ckpt_check *c,
				   const struct ckpt_record *r)
{
	struct ckpt_hdr_pipe rec;

	load(&rec, sizeof(rec), r);
	return obj_declare(c, rec.objref, rec.flags & CKPT_PIPE_FIFO ?
			   OBJ_FIFO : OBJ_PIPE);
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
		return reserved_not_zero(c, rec.reserved);
	if (rec.len > rec.h.len - sizeof(rec) || rec.len > kept - sizeof(rec))
		return why(c, CKPT_ERR_CORRUPT,
			   ": a string of %u bytes in a record of %u",
			   rec.len, rec.h.len);
	if (strnlen(s, rec.len) != rec.len - 1)
		return why(c, CKPT_ERR_CORRUPT,
			   ": the string does not end with its only NUL");
	switch (c->step) {
	case CKPT_STEP_ROOT:
		if (s[0] != '/')
			return why(c, CKPT_ERR_CORRUPT,
				   ": the root of fs %u is not absolute",
				   c->fs_objref);
		c->step = CKPT_STEP_CWD;
		break;
	case CKPT_STEP_CWD:
		if (s[0] != '/')
			return why(c, CKPT_ERR_CORRUPT,
				   ": the working directory of fs %u is not absolute",
				   c->fs_objref);
		c->step = CKPT_STEP_SIGHAND;
		break;
	default:
		if (c->file_type == CKPT_FILE_MEMFD) {
			if (strncmp(s, MEMFD_PREFIX, strlen(MEMFD_PREFIX)))
				return why(c, CKPT_ERR_CORRUPT,
					   ": the name of memfd %u does not start with \"%s\"",
					   c->file_objref, MEMFD_PREFIX);
			c->step = CKPT_STEP_FILE_PAGES;
			break;
		}
		if (c->file_type == CKPT_FILE_SHMEM) {
			if (strcmp(s, CKPT_SHMEM_NAME))
				return why(c, CKPT_ERR_CORRUPT,
					   ": the name of shared anonymous memory %u is not \"%s\"",
					   c->file_objref, CKPT_SHMEM_NAME);
			c->step = CKPT_STEP_FILE_PAGES;
			break;
		}
		/* an external file's names it for people: pipe:[INODE] */
		if (c->file_type != CKPT_FILE_EXTERNAL && s[0] != '/')
			return why(c, CKPT_ERR_CORRUPT,
				   ": the path of file %u is not absolute",
				   c->file_objref);
		c->step = CKPT_STEP_NONE;
		break;
	}
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
	/*
	 * Version 4: right after the task record that names it first, or,
	 * as in version 3, before the first task record, as that task's.
	 */
	if (c->version >= 4 && c->step != CKPT_STEP_MM &&
	    (c->nr_tasks || c->early_mm))
		return why(c, CKPT_ERR_CORRUPT,
			   ": mm %u comes before the task that uses it first: an address space comes right after that task's record (only the first task of an image may come after its own)",
			   rec.objref);
	if (c->step == CKPT_STEP_MM && rec.objref != c->task_mm)
		return why(c, CKPT_ERR_CORRUPT,
			   ": mm %u where the address space of task %d, mm %u, must come",
			   rec.objref, c->task_pid, c->task_mm);
	st = obj_declare(c, rec.objref, OBJ_MM);
	if (st)
		return st;
	if (c->version >= 4) {
		if (c->step == CKPT_STEP_MM) {
			c->step = CKPT_STEP_MM_BODY;
		} else {
			c->early_mm = rec.objref;
			c->step = CKPT_STEP_EARLY_MM_BODY;
		}
	}
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

/*
 * A memory area that attaches a SysV shm segment (version 4), as
 * ckpt_read_vma() and ckpt_attach_sysv_shm() take it: shared, the whole
 * of a segment written before, with the protection shmat(2) gives (read,
 * and write unless SHM_RDONLY; exec or not, SHM_EXEC).
 */
static enum ckpt_status check_shm_vma(struct ckpt_check *c,
				      const struct ckpt_hdr_vma *v,
				      const char *what)
{
	bool rdonly = v->flags & CKPT_VMA_SHM_RDONLY;
	uint32_t prot = CKPT_VMA_READ | (rdonly ? 0 : CKPT_VMA_WRITE);
	enum ckpt_status st;
	uint64_t pages;

	if (!(v->flags & CKPT_VMA_SHARED))
		return why(c, CKPT_ERR_CORRUPT,
			   ": %s: a SysV shm area that is not shared", what);
	if (v->pgoff)
		return why(c, CKPT_ERR_CORRUPT,
			   ": %s: a SysV shm area at page offset %llu (shmat(2) attaches a whole segment)",
			   what, (unsigned long long)v->pgoff);
	if ((v->prot & ~CKPT_VMA_EXEC) != prot)
		return why(c, CKPT_ERR_CORRUPT,
			   ": %s: a SysV shm area with protection 0x%x (shmat(2) gives read, and write %s)",
			   what, v->prot,
			   rdonly ? "not with SHM_RDONLY" : "without SHM_RDONLY");
	st = obj_check(c, what, v->file_objref, OBJ_SHM);
	if (st)
		return st;
	pages = c->shm_pages[c->counts[v->file_objref - 1]];
	if ((v->end - v->start) / c->page_size != pages)
		return why(c, CKPT_ERR_CORRUPT,
			   ": %s: %llu pages of SysV shm segment %u, which has %llu (shmat(2) attaches a whole segment)",
			   what,
			   (unsigned long long)((v->end - v->start) /
						c->page_size),
			   v->file_objref, (unsigned long long)pages);
	return CKPT_OK;
}

static enum ckpt_status check_vma(struct ckpt_check *c, const void *data)
{
	uint32_t max_kind = c->version < 4 ? CKPT_VMA_VDSO : CKPT_VMA_SYSV_SHM;
	uint32_t flags_all = c->version < 4 ? CKPT_VMA_SHM_RDONLY - 1 :
					      CKPT_VMA_FLAGS_ALL;
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
	    rec.kind < CKPT_VMA_ANON || rec.kind > max_kind ||
	    (rec.prot & ~(CKPT_VMA_READ | CKPT_VMA_WRITE | CKPT_VMA_EXEC)) ||
	    (rec.flags & ~flags_all))
		return why(c, CKPT_ERR_CORRUPT,
			   ": memory area 0x%llx-0x%llx: bad offset, kind (%u), protection (0x%x) or flags (0x%x)",
			   (unsigned long long)rec.start,
			   (unsigned long long)rec.end, rec.kind, rec.prot,
			   rec.flags);
	snprintf(what, sizeof(what), "memory area 0x%llx-0x%llx",
		 (unsigned long long)rec.start, (unsigned long long)rec.end);
	/* MAP_SHARED: of anonymous memory it can write to, or of a file */
	if ((rec.flags & CKPT_VMA_SHARED) && rec.kind == CKPT_VMA_VDSO)
		return why(c, CKPT_ERR_CORRUPT, ": %s: a shared vDSO", what);
	if ((rec.flags & CKPT_VMA_SHARED) && (rec.flags & CKPT_VMA_GROWSDOWN))
		return why(c, CKPT_ERR_CORRUPT,
			   ": %s: a shared area that grows down", what);
	if ((rec.flags & CKPT_VMA_SHARED) && rec.kind == CKPT_VMA_ANON &&
	    !(rec.prot & CKPT_VMA_WRITE))
		return why(c, CKPT_ERR_CORRUPT,
			   ": %s: shared anonymous memory that is not writable",
			   what);
	if (rec.kind != CKPT_VMA_SYSV_SHM && (rec.flags & CKPT_VMA_SHM_RDONLY))
		return why(c, CKPT_ERR_CORRUPT,
			   ": %s: SHM_RDONLY on an area of kind %s, which attaches no SysV shm segment",
			   what, ckpt_vma_kind_name(rec.kind));
	if (rec.kind == CKPT_VMA_SYSV_SHM) {
		st = check_shm_vma(c, &rec, what);
		if (st)
			return st;
	} else if (rec.kind == CKPT_VMA_FILE) {
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
	c->vmas[c->nr_vmas].flags = rec.flags;
	c->nr_vmas++;
	return CKPT_OK;
}

/* The area of the mm being read that holds @addr, or NULL. */
static const struct ckpt_check_vma *find_vma(const struct ckpt_check *c,
					     uint64_t addr)
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
			return v;
	}
	return NULL;
}

static enum ckpt_status check_pages(struct ckpt_check *c,
				    const struct ckpt_record *rec)
{
	const struct ckpt_check_vma *v;
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
		/* anonymous memory, private or shared, and private file
		 * mappings: not the vDSO, nor a shared file's or SysV
		 * segment's pages */
		v = find_vma(c, a);
		if (!v)
			return why(c, CKPT_ERR_CORRUPT,
				   ": page %u at 0x%llx is outside the memory areas of mm %u",
				   i, (unsigned long long)a, c->mm_objref);
		if (v->kind == CKPT_VMA_VDSO)
			return why(c, CKPT_ERR_CORRUPT,
				   ": page %u at 0x%llx is in the vDSO of mm %u, whose pages come with the kernel",
				   i, (unsigned long long)a, c->mm_objref);
		if (v->kind == CKPT_VMA_FILE && (v->flags & CKPT_VMA_SHARED))
			return why(c, CKPT_ERR_CORRUPT,
				   ": page %u at 0x%llx is in a shared file mapping of mm %u, whose pages are the file's",
				   i, (unsigned long long)a, c->mm_objref);
		if (v->kind == CKPT_VMA_SYSV_SHM)
			return why(c, CKPT_ERR_CORRUPT,
				   ": page %u at 0x%llx is in a SysV shm area of mm %u, whose pages are the segment's",
				   i, (unsigned long long)a, c->mm_objref);
		c->next_page = a + c->page_size;
	}
	return CKPT_OK;
}

/* The job control state of a task of version 4, and what else its record
 * says of itself. */
static enum ckpt_status check_task_v4(struct ckpt_check *c,
				      const struct ckpt_hdr_task *t)
{
	bool zombie = t->flags & CKPT_TASK_ZOMBIE;
	bool stopped = t->flags & CKPT_TASK_STOPPED;
	bool thread = t->pid != t->tgid;
	uint32_t sig = t->stop_signo;

	if (t->pgid < 0 || t->sid < 0)
		return why(c, CKPT_ERR_CORRUPT,
			   ": task %d: bad process group (%d) or session (%d)",
			   t->pid, t->pgid, t->sid);
	if (!t->pgid && t->sid)
		return why(c, CKPT_ERR_CORRUPT,
			   ": task %d: a process group outside the container (0) in session %d, inside it",
			   t->pid, t->sid);
	if (t->reserved2)
		return why(c, CKPT_ERR_CORRUPT,
			   ": task %d: the second reserved field is 0x%x, not zero",
			   t->pid, t->reserved2);
	if (thread != (t->exit_signal == -1))
		return why(c, CKPT_ERR_CORRUPT,
			   ": task %d: exit signal %d: a thread's is -1, and only a thread's",
			   t->pid, t->exit_signal);
	if (stopped && sig != X86_SIGSTOP && sig != X86_SIGTSTP &&
	    sig != X86_SIGTTIN && sig != X86_SIGTTOU)
		return why(c, CKPT_ERR_CORRUPT,
			   ": task %d: stopped by signal %u (SIGSTOP, SIGTSTP, SIGTTIN or SIGTTOU)",
			   t->pid, sig);
	if (!stopped && (sig || (t->flags & CKPT_TASK_STOP_UNREPORTED)))
		return why(c, CKPT_ERR_CORRUPT,
			   ": task %d: not stopped, but with a stop signal (%u) or an unreported stop (flags 0x%x)",
			   t->pid, sig, t->flags);
	if (zombie && thread)
		return why(c, CKPT_ERR_CORRUPT,
			   ": task %d: a zombie thread (of process %d)",
			   t->pid, t->tgid);
	if (zombie && (t->flags & ~CKPT_TASK_ZOMBIE))
		return why(c, CKPT_ERR_CORRUPT,
			   ": task %d: a zombie with job control state (flags 0x%x)",
			   t->pid, t->flags);
	if (!zombie && t->exit_code)
		return why(c, CKPT_ERR_CORRUPT,
			   ": task %d: a live task with an exit status (0x%x)",
			   t->pid, (uint32_t)t->exit_code);
	return CKPT_OK;
}

/*
 * The place of a task of version 4 in the tree: tasks come in the order
 * restart creates them, the container's init first, a process after its
 * parent, a thread after its thread group leader (both live processes),
 * each pid once.  Then it is one of the tasks read.
 */
static enum ckpt_status check_task_order(struct ckpt_check *c,
					 const struct ckpt_hdr_task *t)
{
	bool zombie = t->flags & CKPT_TASK_ZOMBIE;
	bool thread = t->pid != t->tgid;
	const struct ckpt_check_task *by;
	struct ckpt_check_task add;
	const char *what = thread ? "thread group leader" : "parent";
	int32_t by_pid = thread ? t->tgid : t->ppid;
	uint32_t flags = (thread ? 0 : CKPT_CHECK_PROCESS) |
			 (zombie ? CKPT_CHECK_ZOMBIE : 0);

	/*
	 * The root of the tree first: a live process with no parent in the
	 * image (only pid 1, a container's init, can be restored, which is
	 * EOPNOTSUPP, not this check's business).
	 */
	if (!c->nr_tasks) {
		if (thread)
			return why(c, CKPT_ERR_CORRUPT,
				   ": task %d comes first, but is a thread (of process %d): the first task is the root of the tree, a live process with parent 0",
				   t->pid, t->tgid);
		if (t->ppid)
			return why(c, CKPT_ERR_CORRUPT,
				   ": task %d comes first, but has parent %d: the first task is the root of the tree, a live process with parent 0",
				   t->pid, t->ppid);
		if (zombie)
			return why(c, CKPT_ERR_CORRUPT,
				   ": task %d comes first, but is a zombie: the first task is the root of the tree, a live process with parent 0",
				   t->pid);
	} else {
		if (task_find(c, t->pid))
			return why(c, CKPT_ERR_CORRUPT,
				   ": task %d comes twice (pids are unique)",
				   t->pid);
		by = task_find(c, by_pid);
		if (!by)
			return why(c, CKPT_ERR_CORRUPT,
				   ": task %d: its %s, %d, is no task before it (a %s comes after its %s)",
				   t->pid, what, by_pid,
				   thread ? "thread" : "process", what);
		if (!(by->flags & CKPT_CHECK_PROCESS))
			return why(c, CKPT_ERR_CORRUPT,
				   ": task %d: its %s, %d, is a thread, not a process",
				   t->pid, what, by_pid);
		if (by->flags & CKPT_CHECK_ZOMBIE)
			return why(c, CKPT_ERR_CORRUPT,
				   ": task %d: its %s, %d, is a zombie",
				   t->pid, what, by_pid);
		if (thread && t->ppid != by->ppid)
			return why(c, CKPT_ERR_CORRUPT,
				   ": task %d, a thread of process %d, has parent %d, not its process's (%d)",
				   t->pid, t->tgid, t->ppid, by->ppid);
	}
	add = (struct ckpt_check_task){
		.pid = t->pid, .tgid = t->tgid, .ppid = t->ppid,
		.pgid = t->pgid, .sid = t->sid, .flags = flags,
	};
	if (task_add(c, &add))
		return no_memory(c);
	return CKPT_OK;
}

/* The address space of a live task: known, or (version 4) the next one. */
static enum ckpt_status check_task_mm(struct ckpt_check *c,
				      const struct ckpt_hdr_task *t)
{
	char what[32];

	if (c->version >= 4 && !c->nr_tasks && c->early_mm &&
	    t->mm_objref != c->early_mm)
		return why(c, CKPT_ERR_CORRUPT,
			   ": task %d, the first task, is not in the address space before it (mm %u), but in mm %u",
			   t->pid, c->early_mm, t->mm_objref);
	if (c->version >= 4 && t->mm_objref == c->nr_objs + 1) {
		/* new: it comes right after this record */
		c->task_mm = t->mm_objref;
		c->step = CKPT_STEP_MM;
		return CKPT_OK;
	}
	snprintf(what, sizeof(what), "task %d", t->pid);
	c->step = CKPT_STEP_REGS;
	return obj_check(c, what, t->mm_objref, OBJ_MM);
}

static enum ckpt_status check_task(struct ckpt_check *c,
				   const struct ckpt_record *r)
{
	uint32_t flags_all = c->version < 4 ? CKPT_TASK_ZOMBIE :
					      CKPT_TASK_FLAGS_ALL;
	struct ckpt_hdr_task rec;
	enum ckpt_status st;

	/* version 3's ends before pgid: what follows is not */
	memset(&rec, 0, sizeof(rec));
	load(&rec, c->version < 4 ? TASK_V3_LEN : sizeof(rec), r);
	if (rec.pid <= 0 || rec.tgid <= 0 || rec.ppid < 0)
		return why(c, CKPT_ERR_CORRUPT,
			   ": task %d: bad pid, tgid (%d) or parent (%d)",
			   rec.pid, rec.tgid, rec.ppid);
	if (rec.exit_signal < -1 || rec.exit_signal >= NSIG_X86 ||
	    (rec.flags & ~flags_all))
		return why(c, CKPT_ERR_CORRUPT,
			   ": task %d: bad exit signal (%d) or flags (0x%x)",
			   rec.pid, rec.exit_signal, rec.flags);
	if (rec.reserved)
		return why(c, CKPT_ERR_CORRUPT,
			   ": task %d: the reserved field is 0x%x, not zero",
			   rec.pid, rec.reserved);
	if (strnlen(rec.comm, sizeof(rec.comm)) == sizeof(rec.comm))
		return why(c, CKPT_ERR_CORRUPT,
			   ": task %d: its name is not NUL-terminated", rec.pid);
	if (c->version >= 4) {
		st = check_task_v4(c, &rec);
		if (st)
			return st;
	}
	if (c->epolls_unlisted)
		return why(c, CKPT_ERR_CORRUPT,
			   ": task %d comes while %u epoll file%s before it %s no items record",
			   rec.pid, c->epolls_unlisted,
			   c->epolls_unlisted == 1 ? "" : "s",
			   c->epolls_unlisted == 1 ? "has" : "have");
	c->step = CKPT_STEP_NONE;
	if (rec.flags & CKPT_TASK_ZOMBIE) {
		if (rec.mm_objref)
			return why(c, CKPT_ERR_CORRUPT,
				   ": task %d: a zombie with memory (mm %u)",
				   rec.pid, rec.mm_objref);
	} else {
		st = check_task_mm(c, &rec);
		if (st)
			return st;
		if (rec.nr_files > CKPT_FDS_MAX)
			return why(c, CKPT_ERR_CORRUPT,
				   ": task %d has %u open files (at most %u)",
				   rec.pid, rec.nr_files, CKPT_FDS_MAX);
	}
	if (c->version >= 4) {
		st = check_task_order(c, &rec);
		if (st)
			return st;
	}
	c->nr_tasks++;
	c->task_pid = rec.pid;
	c->task_tgid = rec.tgid;
	c->task_nr_files = rec.nr_files;
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
	c->orig_ax = (int64_t)rec.regs.orig_ax;
	c->ax = (int64_t)rec.regs.ax;
	c->step = CKPT_STEP_XSTATE;
	return CKPT_OK;
}

static enum ckpt_status check_xstate(struct ckpt_check *c,
				     const struct ckpt_record *r)
{
	const unsigned char *area = (const unsigned char *)r->data +
				    sizeof(struct ckpt_hdr_cpu_xstate);
	struct ckpt_hdr_cpu_xstate rec;
	uint64_t xhdr[2];

	memcpy(&rec, r->data, sizeof(rec));
	if (rec.size < XSAVE_MIN_SIZE)
		return why(c, CKPT_ERR_CORRUPT,
			   ": task %d: an XSAVE area of %u bytes (at least %u)",
			   c->task_pid, rec.size, XSAVE_MIN_SIZE);
	if (c->xstate_max && rec.size > c->xstate_max)
		return why(c, CKPT_ERR_CORRUPT,
			   ": task %d: an XSAVE area of %u bytes, larger than this CPU's (%u)",
			   c->task_pid, rec.size, c->xstate_max);
	if (rec.reserved)
		return reserved_not_zero(c, rec.reserved);
	if (rec.h.len - sizeof(rec) < rec.size)
		return why(c, CKPT_ERR_CORRUPT,
			   ": task %d: an XSAVE area of %u bytes in a record of %u",
			   c->task_pid, rec.size, rec.h.len);
	/*
	 * The XSAVE header (within the 576 bytes at least, so kept): the
	 * components present, among those of the image's CPU, in the
	 * standard format, not the compacted one.
	 */
	if (r->data_len >= sizeof(rec) + XSAVE_HDR_OFFSET + sizeof(xhdr)) {
		memcpy(xhdr, area + XSAVE_HDR_OFFSET, sizeof(xhdr));
		if (xhdr[0] & ~c->xfeatures)
			return why(c, CKPT_ERR_CORRUPT,
				   ": task %d: XSAVE components 0x%llx that the image's CPU did not have (xfeatures 0x%llx)",
				   c->task_pid,
				   (unsigned long long)(xhdr[0] & ~c->xfeatures),
				   (unsigned long long)c->xfeatures);
		if (xhdr[1])
			return why(c, CKPT_ERR_CORRUPT,
				   ": task %d: an XSAVE area in the compacted format (XCOMP_BV 0x%llx)",
				   c->task_pid, (unsigned long long)xhdr[1]);
	}
	if (c->version < 2)
		c->step = CKPT_STEP_NONE;	/* all a task had */
	else if (c->version >= 3)
		c->step = CKPT_STEP_TLS;
	else
		after_cpu(c);
	return CKPT_OK;
}

/*
 * Whether a TLS descriptor is one set_thread_area(2) takes, as
 * tls_desc_okay() does: an empty one (LDT_empty: read_exec_only and
 * seg_not_present, no base, limit or other flag) or an all-zero one
 * (LDT_zero), either with any lm bit, both meaning no segment; else a
 * present 32-bit data segment.  NULL if it is, else what is wrong.
 */
static const char *tls_desc_wrong(const struct ckpt_tls_desc *d)
{
	uint32_t flags = d->flags & ~CKPT_TLS_LM;
	uint32_t contents = (d->flags & CKPT_TLS_CONTENTS_MASK) >>
			    CKPT_TLS_CONTENTS_SHIFT;

	if (!d->base_addr && !d->limit &&
	    (flags == (CKPT_TLS_READ_EXEC_ONLY | CKPT_TLS_NOT_PRESENT) ||
	     flags == 0))
		return NULL;
	if (!(d->flags & CKPT_TLS_SEG_32BIT))
		return "a 16-bit segment";
	if (contents > 1)
		return "a code segment";
	if (d->flags & CKPT_TLS_NOT_PRESENT)
		return "a segment that is not present";
	return NULL;
}

/* The TLS descriptors of set_thread_area(2): GDT entries 12 to 14. */
static enum ckpt_status check_tls(struct ckpt_check *c, const void *data)
{
	struct ckpt_hdr_cpu_tls rec;

	memcpy(&rec, data, sizeof(rec));
	for (uint32_t i = 0; i < CKPT_TLS_ENTRIES; i++) {
		const struct ckpt_tls_desc *d = &rec.desc[i];
		const char *wrong;

		if (d->entry_number != CKPT_TLS_FIRST_ENTRY + i)
			return why(c, CKPT_ERR_CORRUPT,
				   ": task %d: TLS descriptor %u is for GDT entry %u, not %u",
				   c->task_pid, i, d->entry_number,
				   CKPT_TLS_FIRST_ENTRY + i);
		if (d->flags & ~CKPT_TLS_FLAGS_ALL)
			return why(c, CKPT_ERR_CORRUPT,
				   ": task %d: TLS descriptor %u (GDT entry %u) has unknown flags 0x%x",
				   c->task_pid, i, d->entry_number,
				   d->flags & ~CKPT_TLS_FLAGS_ALL);
		wrong = tls_desc_wrong(d);
		if (wrong)
			return why(c, CKPT_ERR_CORRUPT,
				   ": task %d: TLS descriptor %u (GDT entry %u, base 0x%x, limit 0x%x, flags 0x%x) is %s, which set_thread_area(2) does not make",
				   c->task_pid, i, d->entry_number,
				   d->base_addr, d->limit, d->flags, wrong);
	}
	after_cpu(c);
	return CKPT_OK;
}

static bool restart_clock_ok(uint32_t clock)
{
	return clock == CLOCK_MONOTONIC_ || clock == CLOCK_BOOTTIME_ ||
	       clock == CLOCK_REALTIME_ || clock == CLOCK_TAI_;
}

/*
 * A restart block, by its kind, as ckpt_read_restart_block() takes it:
 * each kind has the fields it uses, the others zero.
 */
static enum ckpt_status check_restart_block(struct ckpt_check *c,
					    const void *data)
{
	struct ckpt_hdr_restart_block rec;
	const char *kind;
	int32_t pid = c->task_pid;

	memcpy(&rec, data, sizeof(rec));
	kind = ckpt_restart_kind_name(rec.kind);
	if (!kind)
		return why(c, CKPT_ERR_CORRUPT,
			   ": task %d: a restart block of unknown kind %u",
			   pid, rec.kind);
	if (rec.reserved)
		return reserved_not_zero(c, rec.reserved);
	if (rec.time < 0)
		return why(c, CKPT_ERR_CORRUPT,
			   ": task %d: a %s restart block with a negative time (%lld ns)",
			   pid, kind, (long long)rec.time);
	if (rec.addr >= c->user_max)
		return why(c, CKPT_ERR_CORRUPT,
			   ": task %d: a %s restart block with address 0x%llx outside user space",
			   pid, kind, (unsigned long long)rec.addr);
	if (rec.kind != CKPT_RESTART_FUTEX && (rec.futex_flags || rec.bitset))
		return why(c, CKPT_ERR_CORRUPT,
			   ": task %d: a %s restart block with futex flags 0x%x or bitset 0x%x (0 for a kind other than futex)",
			   pid, kind, rec.futex_flags, rec.bitset);
	switch (rec.kind) {
	case CKPT_RESTART_NONE:
		if (rec.flags || rec.time || rec.addr || rec.clockid ||
		    rec.type || rec.val)
			return why(c, CKPT_ERR_CORRUPT,
				   ": task %d: a restart block of kind none with fields set (flags 0x%x, time %lld, addr 0x%llx, clockid %u, type %u, val %u)",
				   pid, rec.flags, (long long)rec.time,
				   (unsigned long long)rec.addr, rec.clockid,
				   rec.type, rec.val);
		break;
	case CKPT_RESTART_NANOSLEEP:
		if (rec.flags)
			return why(c, CKPT_ERR_CORRUPT,
				   ": task %d: a nanosleep restart block with flags 0x%x (none)",
				   pid, rec.flags);
		if (!restart_clock_ok(rec.clockid))
			return why(c, CKPT_ERR_CORRUPT,
				   ": task %d: a nanosleep restart block on clock %u (CLOCK_REALTIME, MONOTONIC, BOOTTIME or TAI)",
				   pid, rec.clockid);
		if (rec.type > 1)
			return why(c, CKPT_ERR_CORRUPT,
				   ": task %d: a nanosleep restart block of type %u (0, or 1 with a 64-bit rmtp)",
				   pid, rec.type);
		if (rec.val)
			return why(c, CKPT_ERR_CORRUPT,
				   ": task %d: a nanosleep restart block with val %u (0)",
				   pid, rec.val);
		break;
	case CKPT_RESTART_POLL:
		if (rec.flags & ~CKPT_RESTART_HAS_TIMEOUT)
			return why(c, CKPT_ERR_CORRUPT,
				   ": task %d: a poll restart block with flags 0x%x (has_timeout 0x%x only)",
				   pid, rec.flags, CKPT_RESTART_HAS_TIMEOUT);
		if (rec.clockid || rec.type)
			return why(c, CKPT_ERR_CORRUPT,
				   ": task %d: a poll restart block with clockid %u or type %u (0)",
				   pid, rec.clockid, rec.type);
		if (rec.val > INT32_MAX)
			return why(c, CKPT_ERR_CORRUPT,
				   ": task %d: a poll restart block of %u fds (at most 2^31 - 1)",
				   pid, rec.val);
		if (!(rec.flags & CKPT_RESTART_HAS_TIMEOUT) && rec.time)
			return why(c, CKPT_ERR_CORRUPT,
				   ": task %d: a poll restart block without a timeout, but a time (%lld ns)",
				   pid, (long long)rec.time);
		break;
	case CKPT_RESTART_FUTEX:
		if (rec.addr % 4)
			return why(c, CKPT_ERR_CORRUPT,
				   ": task %d: a futex restart block with an unaligned address 0x%llx",
				   pid, (unsigned long long)rec.addr);
		if (!rec.bitset)
			return why(c, CKPT_ERR_CORRUPT,
				   ": task %d: a futex restart block with an empty bitset",
				   pid);
		if (rec.clockid || rec.type)
			return why(c, CKPT_ERR_CORRUPT,
				   ": task %d: a futex restart block with clockid %u or type %u (0)",
				   pid, rec.clockid, rec.type);
		if (rec.futex_flags & ~(CKPT_FUTEX_SHARED | CKPT_FUTEX_CLOCKRT))
			return why(c, CKPT_ERR_CORRUPT,
				   ": task %d: a futex restart block with unknown futex flags 0x%x",
				   pid, rec.futex_flags &
				   ~(CKPT_FUTEX_SHARED | CKPT_FUTEX_CLOCKRT));
		/* a CLOCK_REALTIME deadline stays absolute, and only it */
		if (rec.flags != (rec.futex_flags & CKPT_FUTEX_CLOCKRT ?
				  CKPT_RESTART_ABSOLUTE : 0))
			return why(c, CKPT_ERR_CORRUPT,
				   ": task %d: a futex restart block with flags 0x%x and futex flags 0x%x (absolute 0x%x with clockrt 0x%x, and only then)",
				   pid, rec.flags, rec.futex_flags,
				   CKPT_RESTART_ABSOLUTE, CKPT_FUTEX_CLOCKRT);
		break;
	}
	c->step = CKPT_STEP_ATTRS;
	return CKPT_OK;
}

static enum ckpt_status check_attrs(struct ckpt_check *c, const void *data)
{
	struct ckpt_hdr_task_attrs rec;
	bool rt;

	memcpy(&rec, data, sizeof(rec));
	if (rec.flags & ~CKPT_ATTR_FLAGS_ALL)
		return why(c, CKPT_ERR_CORRUPT,
			   ": task %d has unknown attribute flags 0x%x",
			   c->task_pid, rec.flags & ~CKPT_ATTR_FLAGS_ALL);
	if (rec.nice < -20 || rec.nice > 19)
		return why(c, CKPT_ERR_CORRUPT,
			   ": task %d: nice value %d, not -20 to 19",
			   c->task_pid, rec.nice);
	rt = rec.policy == SCHED_FIFO_ || rec.policy == SCHED_RR_;
	if (!rt && rec.policy != SCHED_OTHER_ && rec.policy != SCHED_BATCH_ &&
	    rec.policy != SCHED_IDLE_)
		return why(c, CKPT_ERR_CORRUPT,
			   ": task %d: scheduling policy %u (SCHED_OTHER, BATCH, IDLE, FIFO or RR)",
			   c->task_pid, rec.policy);
	if (rt ? rec.rt_priority < 1 || rec.rt_priority > MAX_RT_PRIO_1 :
		 rec.rt_priority != 0)
		return why(c, CKPT_ERR_CORRUPT,
			   ": task %d: real-time priority %u with policy %u (%s)",
			   c->task_pid, rec.rt_priority, rec.policy,
			   rt ? "1 to 99" : "0 without a real-time policy");
	if (rec.dumpable > SUID_DUMP_ROOT)
		return why(c, CKPT_ERR_CORRUPT,
			   ": task %d: dumpable %u (0 to 2)", c->task_pid,
			   rec.dumpable);
	if (rec.pdeath_signal < 0 || rec.pdeath_signal > CKPT_NSIG)
		return why(c, CKPT_ERR_CORRUPT,
			   ": task %d: parent-death signal %d (0 to %u)",
			   c->task_pid, rec.pdeath_signal, CKPT_NSIG);
	if (rec.clear_child_tid >= c->user_max ||
	    rec.robust_list >= c->user_max || rec.rseq >= c->user_max)
		return why(c, CKPT_ERR_CORRUPT,
			   ": task %d: clear_child_tid 0x%llx, robust list 0x%llx or rseq 0x%llx outside user space",
			   c->task_pid,
			   (unsigned long long)rec.clear_child_tid,
			   (unsigned long long)rec.robust_list,
			   (unsigned long long)rec.rseq);
	if (rec.robust_list_len != (rec.robust_list ? ROBUST_LIST_HEAD_LEN : 0))
		return why(c, CKPT_ERR_CORRUPT,
			   ": task %d: a robust list of %llu bytes at 0x%llx (%u bytes with one, 0 without)",
			   c->task_pid,
			   (unsigned long long)rec.robust_list_len,
			   (unsigned long long)rec.robust_list,
			   ROBUST_LIST_HEAD_LEN);
	if (rec.rseq && (rec.rseq_len < RSEQ_MIN_LEN ||
			 rec.rseq % RSEQ_MIN_LEN))
		return why(c, CKPT_ERR_CORRUPT,
			   ": task %d: an rseq area of %u bytes at 0x%llx (at least %u, aligned to %u)",
			   c->task_pid, rec.rseq_len,
			   (unsigned long long)rec.rseq, RSEQ_MIN_LEN,
			   RSEQ_MIN_LEN);
	if (!rec.rseq && (rec.rseq_len || rec.rseq_sig))
		return why(c, CKPT_ERR_CORRUPT,
			   ": task %d: no rseq area, but an rseq length %u or signature 0x%x",
			   c->task_pid, rec.rseq_len, rec.rseq_sig);
	c->step = CKPT_STEP_CRED;
	return CKPT_OK;
}

static enum ckpt_status check_cred(struct ckpt_check *c, const void *data)
{
	struct ckpt_hdr_cred rec;
	uint64_t caps;

	/* the number of groups and the length: ckpt_check_head() */
	memcpy(&rec, data, sizeof(rec));
	caps = rec.cap_inheritable | rec.cap_permitted | rec.cap_effective |
	       rec.cap_bset | rec.cap_ambient;
	if (caps & ~CAP_VALID_MASK)
		return why(c, CKPT_ERR_CORRUPT,
			   ": task %d: capabilities 0x%llx beyond the last one the kernel knows (40)",
			   c->task_pid,
			   (unsigned long long)(caps & ~CAP_VALID_MASK));
	if (rec.securebits & ~SECUREBITS_ALL)
		return why(c, CKPT_ERR_CORRUPT,
			   ": task %d: securebits 0x%x (only 0x%x: noroot, no_setuid_fixup, keep_caps, no_cap_ambient_raise, and their locks)",
			   c->task_pid, rec.securebits, SECUREBITS_ALL);
	c->step = CKPT_STEP_FD_TABLE;
	return CKPT_OK;
}

/* A hostname or domainname: NUL-terminated and zero-padded, "" unless
 * @used.  NULL if it is, else what is wrong. */
static const char *uts_name_wrong(const char *name, bool used)
{
	size_t len = strnlen(name, CKPT_UTS_LEN);

	if (len == CKPT_UTS_LEN)
		return "is not NUL-terminated";
	if (!used && len)
		return "is set, without CKPT_NS_UTS";
	for (size_t i = len; i < CKPT_UTS_LEN; i++)
		if (name[i])
			return "is not zero-padded";
	return NULL;
}

/*
 * The namespaces record (version 4), first after the header: known
 * flags, a hostname and domainname with CKPT_NS_UTS only, zero padding.
 */
static enum ckpt_status check_namespaces(struct ckpt_check *c,
					 const void *data)
{
	struct ckpt_hdr_namespaces rec;
	bool uts;
	const char *wrong;

	memcpy(&rec, data, sizeof(rec));
	uts = rec.flags & CKPT_NS_UTS;
	if (rec.flags & ~CKPT_NS_FLAGS_ALL)
		return why(c, CKPT_ERR_CORRUPT,
			   ": unknown namespace flags 0x%x",
			   rec.flags & ~CKPT_NS_FLAGS_ALL);
	if (rec.reserved)
		return reserved_not_zero(c, rec.reserved);
	wrong = uts_name_wrong(rec.hostname, uts);
	if (wrong)
		return why(c, CKPT_ERR_CORRUPT, ": the hostname %s", wrong);
	wrong = uts_name_wrong(rec.domainname, uts);
	if (wrong)
		return why(c, CKPT_ERR_CORRUPT, ": the domainname %s", wrong);
	for (size_t i = 0; i < sizeof(rec.pad); i++)
		if (rec.pad[i])
			return why(c, CKPT_ERR_CORRUPT,
				   ": the padding is not zero");
	c->step = CKPT_STEP_NONE;
	/* the container's SysV IPC objects may follow */
	c->ipc_ns = c->ipc_open = rec.flags & CKPT_NS_IPC;
	return CKPT_OK;
}

/* ---- SysV IPC objects (version 4, kernel/checkpoint/ipc.c) ---- */

/*
 * The owner, creator and permissions of an IPC object, @what in messages,
 * as ckpt_ipc_perm_in() takes them: an id, after the one before it of its
 * kind (@kind), permission bits only, owners that a user namespace can
 * map (not -1), the reserved field zero.
 */
static enum ckpt_status check_ipc_perm(struct ckpt_check *c, int kind,
				       const struct ckpt_ipc_perm *p,
				       const char *what)
{
	int32_t last = c->ipc_last_id[kind];

	if (p->id < 0)
		return why(c, CKPT_ERR_CORRUPT, ": %s: id %d (0 or more)",
			   what, p->id);
	if (p->id <= last)
		return why(c, CKPT_ERR_CORRUPT,
			   ": %s is not after the one before it (id %d): each kind comes in the order of its ids",
			   what, last);
	if (p->mode & ~IPC_MODE_ALL)
		return why(c, CKPT_ERR_CORRUPT,
			   ": %s: mode 0%o (permission bits, at most 0777)",
			   what, p->mode);
	if (p->uid == NO_ID || p->gid == NO_ID || p->cuid == NO_ID ||
	    p->cgid == NO_ID)
		return why(c, CKPT_ERR_CORRUPT,
			   ": %s: owner %u:%u or creator %u:%u is -1, which no user namespace maps",
			   what, p->uid, p->gid, p->cuid, p->cgid);
	if (p->reserved)
		return why(c, CKPT_ERR_CORRUPT,
			   ": %s: the reserved field of its permissions is 0x%x, not zero",
			   what, p->reserved);
	c->ipc_last_id[kind] = p->id;
	return CKPT_OK;
}

/*
 * A shared memory segment: its size (a file's, at most 2^63 - 1 bytes),
 * the key of one removed while attached (IPC_PRIVATE, as IPC_RMID left
 * it), a new object, whose contents follow as a memfd's do.
 */
static enum ckpt_status check_ipc_shm(struct ckpt_check *c,
				      const struct ckpt_record *r)
{
	struct ckpt_hdr_ipc_shm rec;
	enum ckpt_status st;
	char what[32];

	load(&rec, sizeof(rec), r);
	snprintf(what, sizeof(what), "shm segment %u", rec.objref);
	st = check_ipc_perm(c, IPC_KIND(CKPT_HDR_IPC_SHM), &rec.perm, what);
	if (st)
		return st;
	if (rec.flags & ~CKPT_SHM_FLAGS_ALL)
		return why(c, CKPT_ERR_CORRUPT,
			   ": %s has unknown flags 0x%x", what,
			   rec.flags & ~CKPT_SHM_FLAGS_ALL);
	if (!rec.size || rec.size > INT64_MAX)
		return why(c, CKPT_ERR_CORRUPT,
			   ": %s has a size of %llu bytes (1 to 2^63 - 1)",
			   what, (unsigned long long)rec.size);
	if ((rec.flags & CKPT_SHM_DEST) && rec.perm.key)
		return why(c, CKPT_ERR_CORRUPT,
			   ": %s was removed (CKPT_SHM_DEST), but has key 0x%x: a removed segment's is IPC_PRIVATE (0)",
			   what, (uint32_t)rec.perm.key);
	st = obj_declare(c, rec.objref, OBJ_SHM);
	if (st)
		return st;
	if (ckpt_grow_array((void **)&c->shm_pages, &c->shms_cap,
			    c->nr_shms + 1, sizeof(*c->shm_pages)))
		return no_memory(c);
	c->counts[rec.objref - 1] = (uint32_t)c->nr_shms;
	c->shm_pages[c->nr_shms++] = rec.size / c->page_size +
				     !!(rec.size % c->page_size);
	/* its pages, as a memfd's: check_file_pages() */
	c->step = CKPT_STEP_FILE_PAGES;
	c->shm_contents = true;
	c->file_objref = rec.objref;
	c->file_type = 0;
	c->memfd_size = rec.size;
	c->memfd_next = 0;
	c->memfd_records = 0;
	return CKPT_OK;
}

/*
 * A semaphore set: 1 to CKPT_SEMS_MAX values, each at most SEMVMX, that
 * fill the record, zero-padded to 8 bytes.  The longest such record is
 * kept whole (ckpt_check_begin() refuses a longer one).
 */
_Static_assert(sizeof(struct ckpt_hdr_ipc_sem) +
	       (CKPT_SEMS_MAX * sizeof(uint16_t) + 7) / 8 * 8 <=
	       CKPT_RECORD_KEEP, "a record of semaphores is kept whole");

static enum ckpt_status check_ipc_sem(struct ckpt_check *c,
				      const struct ckpt_record *r)
{
	const struct ckpt_hdr_ipc_sem *s = r->data;
	const unsigned char *vals = (const unsigned char *)(s + 1);
	uint64_t bytes = (uint64_t)s->nsems * sizeof(uint16_t);
	uint64_t want = sizeof(*s) + align8(bytes);
	enum ckpt_status st;
	char what[32];

	snprintf(what, sizeof(what), "semaphore set %d", s->perm.id);
	st = check_ipc_perm(c, IPC_KIND(CKPT_HDR_IPC_SEM), &s->perm, what);
	if (st)
		return st;
	if (s->nsems < 1 || s->nsems > CKPT_SEMS_MAX)
		return why(c, CKPT_ERR_CORRUPT,
			   ": %s has %u semaphores (1 to %u)", what, s->nsems,
			   CKPT_SEMS_MAX);
	if (s->reserved)
		return why(c, CKPT_ERR_CORRUPT,
			   ": %s: the reserved field is 0x%x, not zero", what,
			   s->reserved);
	if (s->h.len != want)
		return why(c, CKPT_ERR_CORRUPT,
			   " has a bad length (%u, expected %llu for %u semaphores, padded to 8 bytes)",
			   s->h.len, (unsigned long long)want, s->nsems);
	for (uint32_t i = 0; i < s->nsems; i++) {
		uint16_t v;

		memcpy(&v, vals + i * sizeof(v), sizeof(v));
		if (v > SEMVMX_)
			return why(c, CKPT_ERR_CORRUPT,
				   ": %s: semaphore %u has value %u (at most %u, SEMVMX)",
				   what, i, v, SEMVMX_);
	}
	if (!all_zero(vals + bytes, want - sizeof(*s) - bytes))
		return why(c, CKPT_ERR_CORRUPT,
			   ": %s: the padding after its values is not zero",
			   what);
	/* for the SEM_UNDO adjustments that name it (ids increase) */
	if (ckpt_grow_array((void **)&c->sems, &c->sems_cap, c->nr_sems + 1,
			    sizeof(*c->sems)))
		return no_memory(c);
	c->sems[c->nr_sems].id = s->perm.id;
	c->sems[c->nr_sems].nsems = s->nsems;
	c->nr_sems++;
	return CKPT_OK;
}

/* The semaphore set of id @id read before, or NULL. */
static const struct ckpt_check_sem *find_sem(const struct ckpt_check *c,
					     int32_t id)
{
	size_t lo = 0, hi = c->nr_sems;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (c->sems[mid].id == id)
			return &c->sems[mid];
		if (c->sems[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/*
 * The SEM_UNDO adjustments of a process on a set, as
 * ckpt_read_ipc_sem_undo() takes them: of a process (a pid, which the
 * tail checks is a live process of the image: check_undo_pids()), on a
 * set before them with as many semaphores, each within -SEMVMX to SEMVMX,
 * zero-padded to 8 bytes, filling the record; a process's records
 * together, by increasing set id.  The longest is kept whole.
 */
_Static_assert(sizeof(struct ckpt_hdr_ipc_sem_undo) +
	       (CKPT_SEMS_MAX * sizeof(int16_t) + 7) / 8 * 8 <=
	       CKPT_RECORD_KEEP, "a record of adjustments is kept whole");

static enum ckpt_status check_ipc_sem_undo(struct ckpt_check *c,
					   const struct ckpt_record *r)
{
	const struct ckpt_hdr_ipc_sem_undo *u = r->data;
	const unsigned char *adj = (const unsigned char *)(u + 1);
	uint64_t bytes = (uint64_t)u->nsems * sizeof(int16_t);
	uint64_t want = sizeof(*u) + align8(bytes);
	const struct ckpt_check_sem *set;
	char what[64];

	snprintf(what, sizeof(what), "SEM_UNDO adjustments of process %d",
		 u->pid);
	if (u->pid <= 0)
		return why(c, CKPT_ERR_CORRUPT,
			   ": %s: not a pid (more than 0)", what);
	set = find_sem(c, u->semid);
	if (!set)
		return why(c, CKPT_ERR_CORRUPT,
			   ": %s on semaphore set %d, which is no set before them",
			   what, u->semid);
	if (u->nsems != set->nsems)
		return why(c, CKPT_ERR_CORRUPT,
			   ": %s on semaphore set %d: %u adjustments, but the set has %u semaphores",
			   what, u->semid, u->nsems, set->nsems);
	if (u->reserved)
		return why(c, CKPT_ERR_CORRUPT,
			   ": %s on semaphore set %d: the reserved field is 0x%x, not zero",
			   what, u->semid, u->reserved);
	if (u->h.len != want)
		return why(c, CKPT_ERR_CORRUPT,
			   " has a bad length (%u, expected %llu for %u adjustments, padded to 8 bytes)",
			   u->h.len, (unsigned long long)want, u->nsems);
	if (u->pid == c->undo_pid && u->semid <= c->undo_semid)
		return why(c, CKPT_ERR_CORRUPT,
			   ": %s on semaphore set %d come after those on set %d: a process's come by increasing set id",
			   what, u->semid, c->undo_semid);
	if (u->pid != c->undo_pid && undo_seen(c, u->pid))
		return why(c, CKPT_ERR_CORRUPT,
			   ": %s come again, after those of process %d: a process's come together",
			   what, c->undo_pid);
	for (uint32_t i = 0; i < u->nsems; i++) {
		int16_t v;

		memcpy(&v, adj + i * sizeof(v), sizeof(v));
		/* (an int16_t is at most SEMVMX: -32768 is the one below) */
		if (v < -SEMVMX_)
			return why(c, CKPT_ERR_CORRUPT,
				   ": %s on semaphore set %d: semaphore %u has adjustment %d (-%d to %d)",
				   what, u->semid, i, v, SEMVMX_, SEMVMX_);
	}
	if (!all_zero(adj + bytes, want - sizeof(*u) - bytes))
		return why(c, CKPT_ERR_CORRUPT,
			   ": %s on semaphore set %d: the padding after its adjustments is not zero",
			   what, u->semid);
	if (u->pid != c->undo_pid && undo_add(c, u->pid))
		return no_memory(c);
	c->undo_pid = u->pid;
	c->undo_semid = u->semid;
	return CKPT_OK;
}

/* After a message (or before the first): what must follow it. */
static enum ckpt_msg_walk_status msg_walk_next(const struct ckpt_msg_walk *w)
{
	if (w->index == w->nr)
		return w->left ? CKPT_MSG_WALK_EXTRA : CKPT_MSG_WALK_OK;
	return w->left < sizeof(struct ckpt_ipc_msg) ?
	       CKPT_MSG_WALK_PAST_END : CKPT_MSG_WALK_OK;
}

/* Message @w->index is read, its text and padding too. */
static enum ckpt_msg_walk_status msg_walk_done(struct ckpt_msg_walk *w)
{
	w->index++;
	return msg_walk_next(w);
}

enum ckpt_msg_walk_status ckpt_msg_walk_start(struct ckpt_msg_walk *w,
					      uint64_t len, uint32_t nr)
{
	memset(w, 0, sizeof(*w));
	w->left = len;
	w->nr = nr;
	return msg_walk_next(w);
}

enum ckpt_msg_walk_status ckpt_msg_walk_begin(struct ckpt_msg_walk *w,
					      const struct ckpt_hdr_ipc_msg *q)
{
	return ckpt_msg_walk_start(w, q->h.len - sizeof(*q), q->nr_msgs);
}

enum ckpt_msg_walk_status ckpt_msg_walk(struct ckpt_msg_walk *w,
					const void *buf, size_t len,
					ckpt_msg_fn *fn, void *arg)
{
	const unsigned char *p = buf;
	enum ckpt_msg_walk_status st = CKPT_MSG_WALK_OK;
	struct ckpt_ipc_msg msg;
	size_t n;

	if (len > w->left)
		len = (size_t)w->left;
	while (len && !st) {
		if (w->text_left) {
			n = len < w->text_left ? len : (size_t)w->text_left;
			w->text_left -= n;
		} else if (w->pad_left) {
			n = len < w->pad_left ? len : w->pad_left;
			if (!all_zero(p, n))
				return CKPT_MSG_WALK_PADDING;
			w->pad_left -= (uint32_t)n;
		} else {
			/* the header of message @index, maybe in pieces */
			n = sizeof(w->part) - w->part_len;
			if (n > len)
				n = len;
			memcpy(w->part + w->part_len, p, n);
			w->part_len += (uint32_t)n;
		}
		p += n;
		len -= n;
		w->left -= n;
		if (w->part_len == sizeof(w->part)) {
			w->part_len = 0;
			memcpy(&msg, w->part, sizeof(msg));
			/* its text and padding, in the rest of the record */
			if (msg.size > w->left ||
			    align8(msg.size) - msg.size > w->left - msg.size)
				return CKPT_MSG_WALK_PAST_END;
			if (fn && fn(arg, w, &msg))
				return CKPT_MSG_WALK_STOPPED;
			w->text_left = msg.size;
			w->pad_left = (uint32_t)(align8(msg.size) - msg.size);
			if (!w->text_left)
				st = msg_walk_done(w);
		} else if (!w->part_len && !w->text_left && !w->pad_left) {
			st = msg_walk_done(w);
		}
	}
	return st;
}

/*
 * A message's header, as ckpt_check_msgs() takes it: of a SysV queue, a
 * type above 0; of a POSIX queue, a priority of 0 or more, and, as
 * mq_ckpt_create() takes it, below MQ_PRIO_MAX, and text no longer than
 * the queue's message size.
 */
static int check_msg(void *arg, const struct ckpt_msg_walk *w,
		     const struct ckpt_ipc_msg *msg)
{
	struct ckpt_check *c = arg;

	if (!c->msgq_posix) {
		if (msg->mtype > 0)
			return 0;
		why(c, CKPT_ERR_CORRUPT,
		    ": %s: message %u has type %lld (more than 0)",
		    c->msgq_what, w->index, (long long)msg->mtype);
		return -1;
	}
	if (msg->mtype < 0 || msg->mtype >= MQ_PRIO_MAX_) {
		why(c, CKPT_ERR_CORRUPT,
		    ": %s: message %u has priority %lld (0 to %d)",
		    c->msgq_what, w->index, (long long)msg->mtype,
		    MQ_PRIO_MAX_ - 1);
		return -1;
	}
	if (msg->size > (uint64_t)c->msgq_msgsize) {
		why(c, CKPT_ERR_CORRUPT,
		    ": %s: message %u has %llu bytes, more than its message size (%lld)",
		    c->msgq_what, w->index, (unsigned long long)msg->size,
		    (long long)c->msgq_msgsize);
		return -1;
	}
	return 0;
}

/* Where the walk of the messages of the queue being read is. */
static enum ckpt_status msgs_status(struct ckpt_check *c,
				    enum ckpt_msg_walk_status st)
{
	const struct ckpt_msg_walk *w = &c->msg_walk;

	if (!w->left)
		c->in_msgq = false;	/* all of them read */
	switch (st) {
	case CKPT_MSG_WALK_OK:
		return CKPT_OK;
	case CKPT_MSG_WALK_STOPPED:
		return CKPT_ERR_CORRUPT;	/* check_msg() said why */
	case CKPT_MSG_WALK_PAST_END:
		return why(c, CKPT_ERR_CORRUPT,
			   ": %s: message %u of %u runs past the end of the record (%u bytes)",
			   c->msgq_what, w->index, w->nr, c->msgq_len);
	case CKPT_MSG_WALK_PADDING:
		return why(c, CKPT_ERR_CORRUPT,
			   ": %s: message %u: the padding after its text is not zero",
			   c->msgq_what, w->index);
	case CKPT_MSG_WALK_EXTRA:
		break;
	}
	return why(c, CKPT_ERR_CORRUPT,
		   " has a bad length (%u, expected %llu for %u messages)",
		   c->msgq_len, (unsigned long long)(c->msgq_len - w->left),
		   w->nr);
}

/*
 * A message queue: a capacity that msgctl(IPC_SET) takes (at most
 * INT_MAX), and its messages, which fill the record exactly: those kept
 * are checked here, the rest as they stream past (ckpt_check_bulk()).
 */
static enum ckpt_status check_ipc_msg(struct ckpt_check *c,
				      const struct ckpt_record *r)
{
	const struct ckpt_hdr_ipc_msg *q = r->data;
	enum ckpt_status st;
	char what[32];

	snprintf(what, sizeof(what), "message queue %d", q->perm.id);
	st = check_ipc_perm(c, IPC_KIND(CKPT_HDR_IPC_MSG), &q->perm, what);
	if (st)
		return st;
	if (q->reserved)
		return why(c, CKPT_ERR_CORRUPT,
			   ": %s: the reserved field is 0x%x, not zero", what,
			   q->reserved);
	if (q->qbytes > INT32_MAX)
		return why(c, CKPT_ERR_CORRUPT,
			   ": %s has a capacity of %llu bytes (at most 2^31 - 1)",
			   what, (unsigned long long)q->qbytes);
	snprintf(c->msgq_what, sizeof(c->msgq_what), "%s", what);
	c->msgq_posix = false;
	c->msgq_len = q->h.len;
	c->in_msgq = true;
	st = msgs_status(c, ckpt_msg_walk_begin(&c->msg_walk, q));
	if (!st)
		st = msgs_status(c, ckpt_msg_walk(&c->msg_walk, q + 1,
						  r->data_len - sizeof(*q),
						  check_msg, c));
	return st;
}

/*
 * The name of a POSIX message queue, as ckpt_mq_name_ok() takes it: one
 * path component (what mq_open(3) has after its '/'), NUL-terminated and
 * zero-padded.  NULL if it is, else what is wrong.
 */
static const char *mq_name_wrong(const char *name)
{
	size_t len = strnlen(name, CKPT_MQ_NAME_LEN);

	if (len == CKPT_MQ_NAME_LEN)
		return "is not NUL-terminated";
	if (!len)
		return "is empty";
	if (memchr(name, '/', len))
		return "has a '/'";
	if (!strcmp(name, ".") || !strcmp(name, ".."))
		return "is \".\" or \"..\"";
	if (!all_zero(name + len, CKPT_MQ_NAME_LEN - len))
		return "is not zero-padded";
	return NULL;
}

/*
 * A POSIX message queue (version 4), as ckpt_read_ipc_mqueue() takes it:
 * anywhere among the IPC records, by increasing name (strcmp()), with
 * permission bits only, an owner other than -1, attributes of more than
 * 0 and no more messages than its maximum, a new object; its messages
 * fill the record exactly, as a SysV queue's do: those kept are checked
 * here, the rest as they stream past (ckpt_check_bulk()).
 */
static enum ckpt_status check_ipc_mqueue(struct ckpt_check *c,
					 const struct ckpt_record *r)
{
	const struct ckpt_hdr_ipc_mqueue *q = r->data;
	const char *wrong = mq_name_wrong(q->name);
	enum ckpt_status st;
	char *what = c->msgq_what;

	if (wrong)
		return why(c, CKPT_ERR_CORRUPT,
			   ": POSIX message queue %u: its name %s (one path component, NUL-terminated and zero-padded)",
			   q->objref, wrong);
	snprintf(what, sizeof(c->msgq_what), "POSIX message queue /%.48s%s",
		 q->name, strlen(q->name) > 48 ? "..." : "");
	if (strcmp(q->name, c->mq_last) <= 0)
		return why(c, CKPT_ERR_CORRUPT,
			   ": %s is not after the one before it (/%.48s): the queues come in the order of their names",
			   what, c->mq_last);
	if (q->mode & ~IPC_MODE_ALL)
		return why(c, CKPT_ERR_CORRUPT,
			   ": %s: mode 0%o (permission bits, at most 0777)",
			   what, q->mode);
	if (q->reserved)
		return why(c, CKPT_ERR_CORRUPT,
			   ": %s: the reserved field is 0x%x, not zero", what,
			   q->reserved);
	if (q->maxmsg <= 0 || q->msgsize <= 0)
		return why(c, CKPT_ERR_CORRUPT,
			   ": %s holds at most %lld messages of %lld bytes (both more than 0)",
			   what, (long long)q->maxmsg, (long long)q->msgsize);
	if (q->nr_msgs > q->maxmsg)
		return why(c, CKPT_ERR_CORRUPT,
			   ": %s holds %u messages, more than its maximum (%lld)",
			   what, q->nr_msgs, (long long)q->maxmsg);
	if (q->uid == NO_ID || q->gid == NO_ID)
		return why(c, CKPT_ERR_CORRUPT,
			   ": %s: owner %u:%u is -1, which no user namespace maps",
			   what, q->uid, q->gid);
	st = obj_declare(c, q->objref, OBJ_MQUEUE);
	if (st)
		return st;
	memcpy(c->mq_last, q->name, sizeof(c->mq_last));
	c->msgq_posix = true;
	c->msgq_msgsize = q->msgsize;
	c->msgq_len = q->h.len;
	c->in_msgq = true;
	st = msgs_status(c, ckpt_msg_walk_start(&c->msg_walk,
						q->h.len - sizeof(*q),
						q->nr_msgs));
	if (!st)
		st = msgs_status(c, ckpt_msg_walk(&c->msg_walk, q + 1,
						  r->data_len - sizeof(*q),
						  check_msg, c));
	return st;
}

/* One item of the epoll file whose items are being read. */
static enum ckpt_status check_epoll_item(struct ckpt_check *c,
					 const void *entry)
{
	struct ckpt_epoll_item it;
	enum ckpt_status st;
	char what[64];

	memcpy(&it, entry, sizeof(it));
	if (it.fd >= CKPT_FDS_MAX)
		return why(c, CKPT_ERR_CORRUPT,
			   ": epoll file %u: item %u watches fd %u (below %u)",
			   c->ep_objref, c->ep_index, it.fd, CKPT_FDS_MAX);
	if (it.reserved)
		return why(c, CKPT_ERR_CORRUPT,
			   ": epoll file %u: item %u (fd %u): the reserved field is 0x%x, not zero",
			   c->ep_objref, c->ep_index, it.fd, it.reserved);
	if (it.events & ~EPOLL_EVENTS)
		return why(c, CKPT_ERR_CORRUPT,
			   ": epoll file %u: item %u (fd %u) has unknown events 0x%x",
			   c->ep_objref, c->ep_index, it.fd,
			   it.events & ~EPOLL_EVENTS);
	snprintf(what, sizeof(what), "item %u (fd %u) of epoll file %u",
		 c->ep_index, it.fd, c->ep_objref);
	st = obj_check(c, what, it.file_objref, OBJ_FILE);
	if (st)
		return st;
	if (c->counts[it.file_objref - 1])
		return why(c, CKPT_ERR_CORRUPT,
			   ": epoll file %u: item %u (fd %u) watches epoll file %u (not supported: checkpoint refuses it)",
			   c->ep_objref, c->ep_index, it.fd, it.file_objref);
	c->ep_index++;
	return CKPT_OK;
}

/* What an epoll file watches (its head is checked): its items. */
static enum ckpt_status check_epoll(struct ckpt_check *c,
				    const struct ckpt_record *r)
{
	const struct ckpt_hdr_epoll *e = r->data;
	const unsigned char *items = (const unsigned char *)(e + 1);
	uint32_t kept = (r->data_len - sizeof(*e)) /
			sizeof(struct ckpt_epoll_item);
	enum ckpt_status st;

	c->counts[e->file_objref - 1] = EPOLL_LISTED;
	c->epolls_unlisted--;
	c->ep_objref = e->file_objref;
	c->ep_index = 0;
	c->ep_nr = e->nr_items;
	c->ep_part_len = 0;
	if (kept > e->nr_items)
		kept = e->nr_items;
	for (uint32_t i = 0; i < kept; i++) {
		st = check_epoll_item(c, items +
				      i * sizeof(struct ckpt_epoll_item));
		if (st)
			return st;
	}
	/* the rest, if any, streams past: ckpt_check_bulk() */
	if (kept == e->nr_items)
		c->ep_objref = 0;
	return CKPT_OK;
}

/* One entry of the fd table being read. */
static enum ckpt_status check_fd(struct ckpt_check *c, const void *entry)
{
	struct ckpt_fd fd;
	enum ckpt_status st;
	char what[48];

	memcpy(&fd, entry, sizeof(fd));
	if (fd.fd >= CKPT_FDS_MAX)
		return why(c, CKPT_ERR_CORRUPT,
			   ": fd table %u: fd %u is not below %u",
			   c->fd_objref, fd.fd, CKPT_FDS_MAX);
	if ((int64_t)fd.fd <= c->last_fd)
		return why(c, CKPT_ERR_CORRUPT,
			   ": fd table %u: fd %u is not after the fd before it (%lld)",
			   c->fd_objref, fd.fd, (long long)c->last_fd);
	if (fd.flags & ~CKPT_FD_CLOEXEC)
		return why(c, CKPT_ERR_CORRUPT,
			   ": fd table %u: fd %u has unknown flags 0x%x",
			   c->fd_objref, fd.fd, fd.flags & ~CKPT_FD_CLOEXEC);
	if (fd.reserved)
		return why(c, CKPT_ERR_CORRUPT,
			   ": fd table %u: fd %u: the reserved field is 0x%x, not zero",
			   c->fd_objref, fd.fd, fd.reserved);
	snprintf(what, sizeof(what), "fd %u of fd table %u", fd.fd,
		 c->fd_objref);
	st = obj_check(c, what, fd.file_objref, OBJ_FILE);
	if (st)
		return st;
	c->last_fd = fd.fd;
	c->fd_index++;
	return CKPT_OK;
}

static enum ckpt_status check_fd_table(struct ckpt_check *c,
				       const struct ckpt_record *r)
{
	const struct ckpt_hdr_fd_table *t = r->data;
	const unsigned char *entries = (const unsigned char *)(t + 1);
	uint32_t kept = (r->data_len - sizeof(*t)) / sizeof(struct ckpt_fd);
	uint32_t objref = t->objref, nr = t->nr_fds, count;
	enum ckpt_status st;
	bool is_new;

	st = obj_define_or_share(c, objref, OBJ_FD_TABLE, &is_new);
	if (st)
		return st;
	if (!is_new && nr)
		return why(c, CKPT_ERR_CORRUPT,
			   ": fd table %u was written before: here it has no fds (not %u)",
			   objref, nr);
	if (is_new)
		c->counts[objref - 1] = nr;
	count = c->counts[objref - 1];
	if (count != c->task_nr_files)
		return why(c, CKPT_ERR_CORRUPT,
			   ": task %d has %u open files, its fd table %u has %u fds",
			   c->task_pid, c->task_nr_files, objref, count);
	c->fd_objref = objref;
	c->fd_index = 0;
	c->last_fd = -1;
	c->fd_part_len = 0;
	if (kept > nr)
		kept = nr;
	for (uint32_t i = 0; i < kept; i++) {
		st = check_fd(c, entries + i * sizeof(struct ckpt_fd));
		if (st)
			return st;
	}
	/* the rest, if any, streams past: ckpt_check_bulk() */
	if (kept == nr)
		c->fd_objref = 0;
	c->step = CKPT_STEP_FS;
	return CKPT_OK;
}

enum ckpt_status ckpt_check_bulk(struct ckpt_check *c, const void *buf,
				 size_t len)
{
	const unsigned char *p = buf;
	enum ckpt_status st;

	while (c->fd_objref && len) {
		size_t n = sizeof(c->fd_part) - c->fd_part_len;

		if (n > len)
			n = len;
		memcpy(c->fd_part + c->fd_part_len, p, n);
		c->fd_part_len += (uint32_t)n;
		p += n;
		len -= n;
		if (c->fd_part_len < sizeof(c->fd_part))
			break;
		c->fd_part_len = 0;
		st = check_fd(c, c->fd_part);
		if (st)
			return st;
	}
	/* the messages of a queue, past those kept */
	if (c->in_msgq && len)
		return msgs_status(c, ckpt_msg_walk(&c->msg_walk, p, len,
						    check_msg, c));
	/* the items of an epoll file, up to its count (a longer record's
	 * end is a newer writer's) */
	while (c->ep_objref && c->ep_index < c->ep_nr && len) {
		size_t n = sizeof(c->ep_part) - c->ep_part_len;

		if (n > len)
			n = len;
		memcpy(c->ep_part + c->ep_part_len, p, n);
		c->ep_part_len += (uint32_t)n;
		p += n;
		len -= n;
		if (c->ep_part_len < sizeof(c->ep_part))
			break;
		c->ep_part_len = 0;
		st = check_epoll_item(c, c->ep_part);
		if (st)
			return st;
	}
	return CKPT_OK;
}

static enum ckpt_status check_fs(struct ckpt_check *c, const void *data)
{
	struct ckpt_hdr_fs rec;
	enum ckpt_status st;
	bool is_new;

	memcpy(&rec, data, sizeof(rec));
	if (rec.umask & ~0777U)
		return why(c, CKPT_ERR_CORRUPT,
			   ": fs %u: umask 0%o (at most 0777)", rec.objref,
			   rec.umask);
	st = obj_define_or_share(c, rec.objref, OBJ_FS, &is_new);
	if (st)
		return st;
	c->fs_objref = rec.objref;
	c->step = CKPT_STEP_ROOT;
	return CKPT_OK;
}

static enum ckpt_status check_sighand(struct ckpt_check *c,
				      const struct ckpt_record *r)
{
	const unsigned char *actions = (const unsigned char *)r->data +
				       sizeof(struct ckpt_hdr_sighand);
	struct ckpt_hdr_sighand rec;
	enum ckpt_status st;
	bool is_new;

	memcpy(&rec, r->data, sizeof(rec));
	st = obj_define_or_share(c, rec.objref, OBJ_SIGHAND, &is_new);
	if (st)
		return st;
	if (is_new && rec.nr != CKPT_NSIG)
		return why(c, CKPT_ERR_CORRUPT,
			   ": sighand %u is new: it has %u actions, not %u",
			   rec.objref, rec.nr, CKPT_NSIG);
	if (!is_new && rec.nr)
		return why(c, CKPT_ERR_CORRUPT,
			   ": sighand %u was written before: here it has no actions (not %u)",
			   rec.objref, rec.nr);
	/* the length is that of its actions (ckpt_check_head()): all kept */
	for (uint32_t i = 0; i < rec.nr && i < CKPT_NSIG; i++) {
		struct ckpt_sigaction a;
		uint32_t sig = i + 1;

		memcpy(&a, actions + i * sizeof(a), sizeof(a));
		if ((sig == X86_SIGKILL || sig == X86_SIGSTOP) && a.handler)
			return why(c, CKPT_ERR_CORRUPT,
				   ": sighand %u: %s has a handler (0x%llx): it can have none",
				   rec.objref, ckpt_signal_name(sig),
				   (unsigned long long)a.handler);
		if (a.handler >= c->user_max || a.restorer >= c->user_max)
			return why(c, CKPT_ERR_CORRUPT,
				   ": sighand %u: %s: handler 0x%llx or restorer 0x%llx outside user space",
				   rec.objref, ckpt_signal_name(sig),
				   (unsigned long long)a.handler,
				   (unsigned long long)a.restorer);
		if (a.flags > UINT32_MAX)
			return why(c, CKPT_ERR_CORRUPT,
				   ": sighand %u: %s: flags 0x%llx beyond 32 bits",
				   rec.objref, ckpt_signal_name(sig),
				   (unsigned long long)a.flags);
	}
	c->step = CKPT_STEP_SIGNAL;
	return CKPT_OK;
}

static enum ckpt_status check_signal(struct ckpt_check *c,
				     const struct ckpt_record *r)
{
	struct ckpt_hdr_signal rec;
	enum ckpt_status st;
	bool is_new;

	/* version 2's ends before next_posix_timer_id: what follows is not */
	memset(&rec, 0, sizeof(rec));
	load(&rec, c->version < 3 ? SIGNAL_V2_LEN : sizeof(rec), r);
	st = obj_define_or_share(c, rec.objref, OBJ_SIGNAL, &is_new);
	if (st)
		return st;
	/*
	 * Version 4: a process's own, shared by its threads only, which
	 * come after it; its timers come with its first task.
	 */
	if (c->version >= 4 && is_new && c->task_pid != c->task_tgid)
		return why(c, CKPT_ERR_CORRUPT,
			   ": signal %u: task %d, a thread of process %d, has a signal record of its own: the threads of a process share its own",
			   rec.objref, c->task_pid, c->task_tgid);
	if (c->version >= 4 && !is_new &&
	    (int32_t)c->counts[rec.objref - 1] != c->task_tgid)
		return why(c, CKPT_ERR_CORRUPT,
			   ": signal %u is that of process %d: task %d, of process %d, cannot share it (only the threads of a process do)",
			   rec.objref, (int32_t)c->counts[rec.objref - 1],
			   c->task_pid, c->task_tgid);
	if (c->version >= 4 && !is_new && rec.nr_posix_timers)
		return why(c, CKPT_ERR_CORRUPT,
			   ": signal %u was written before: here it has no POSIX timers (not %u)",
			   rec.objref, rec.nr_posix_timers);
	/* in version 2, nr_posix_timers was a reserved field */
	if (c->version < 3 && rec.nr_posix_timers)
		return reserved_not_zero(c, rec.nr_posix_timers);
	/* ktime_t: at most KTIME_MAX ns */
	for (uint32_t i = 0; i < CKPT_NR_ITIMERS; i++)
		if (rec.itimer[i].value > INT64_MAX ||
		    rec.itimer[i].interval > INT64_MAX)
			return why(c, CKPT_ERR_CORRUPT,
				   ": signal %u: interval timer %u (%s): time left %llu ns or interval %llu ns above 2^63 - 1",
				   rec.objref, i, ckpt_itimer_name(i),
				   (unsigned long long)rec.itimer[i].value,
				   (unsigned long long)rec.itimer[i].interval);
	for (uint32_t i = 0; i < CKPT_NR_RLIMITS; i++)
		if (rec.rlim[i].cur > rec.rlim[i].max)
			return why(c, CKPT_ERR_CORRUPT,
				   ": signal %u: the soft limit of rlimit %u (%s), %llu, is above its hard limit, %llu",
				   rec.objref, i, ckpt_rlimit_name(i),
				   (unsigned long long)rec.rlim[i].cur,
				   (unsigned long long)rec.rlim[i].max);
	if (rec.nr_posix_timers > CKPT_POSIX_TIMERS_MAX)
		return why(c, CKPT_ERR_CORRUPT,
			   ": signal %u has %u POSIX timers (at most %u)",
			   rec.objref, rec.nr_posix_timers,
			   CKPT_POSIX_TIMERS_MAX);
	if (rec.next_posix_timer_id > INT32_MAX)
		return why(c, CKPT_ERR_CORRUPT,
			   ": signal %u: the next POSIX timer id is %u (0 to 2^31 - 1)",
			   rec.objref, rec.next_posix_timer_id);
	if (rec.reserved)
		return reserved_not_zero(c, rec.reserved);
	/*
	 * The timers of this process, for its pending signals: new ones,
	 * or (version 4) those of its first task, if they are the ones
	 * read last; else they are not known.
	 */
	if (is_new)
		c->counts[rec.objref - 1] = (uint32_t)c->task_tgid;
	c->signal_objref = rec.objref;
	c->task_shares_signal = !is_new;
	if (is_new || c->version < 4) {
		c->nr_timers = 0;
		c->timers_signal = rec.objref;
	} else if (rec.objref != c->timers_signal) {
		c->nr_timers = 0;
		c->timers_signal = 0;
	}
	c->max_timers = rec.nr_posix_timers;
	c->step = rec.nr_posix_timers ? CKPT_STEP_POSIX_TIMER :
					CKPT_STEP_TASK_SIGNAL;
	return CKPT_OK;
}

static bool timer_notify_ok(int32_t notify)
{
	return notify == SIGEV_SIGNAL_ || notify == SIGEV_NONE_ ||
	       notify == SIGEV_THREAD_ ||
	       notify == (SIGEV_SIGNAL_ | SIGEV_THREAD_ID_);
}

/*
 * A POSIX timer of the process whose signal record was just read, as
 * ckpt_read_posix_timer() takes it: in order of id, on a clock that
 * counts wall or elapsed time, with a way to notify and a signal that
 * timer_create(2) takes.  A timer that signals a thread signals the task
 * just read (up to version 3, one single-threaded process per image), or
 * (version 4) a live thread of its process, which may come after it:
 * checked at the tail (check_targets()).
 */
static enum ckpt_status check_posix_timer(struct ckpt_check *c,
					  const void *data)
{
	struct ckpt_hdr_posix_timer rec;
	struct ckpt_check_timer *t;
	uint32_t sig = c->signal_objref;
	bool has_tid;

	memcpy(&rec, data, sizeof(rec));
	has_tid = rec.notify & SIGEV_THREAD_ID_;
	if (rec.id < 0)
		return why(c, CKPT_ERR_CORRUPT,
			   ": signal %u: POSIX timer id %d (0 to 2^31 - 1)",
			   sig, rec.id);
	if (c->nr_timers && rec.id <= c->timers[c->nr_timers - 1].id)
		return why(c, CKPT_ERR_CORRUPT,
			   ": signal %u: POSIX timer %d is not after the one before it (%d)",
			   sig, rec.id, c->timers[c->nr_timers - 1].id);
	/* the clocks of a sleep's restart block: hrtimers */
	if (!restart_clock_ok((uint32_t)rec.clock))
		return why(c, CKPT_ERR_CORRUPT,
			   ": signal %u: POSIX timer %d on clock %d (CLOCK_REALTIME, MONOTONIC, BOOTTIME or TAI)",
			   sig, rec.id, rec.clock);
	if (!timer_notify_ok(rec.notify))
		return why(c, CKPT_ERR_CORRUPT,
			   ": signal %u: POSIX timer %d notifies by %d (SIGEV_SIGNAL, SIGEV_NONE, SIGEV_THREAD, or SIGEV_SIGNAL | SIGEV_THREAD_ID)",
			   sig, rec.id, rec.notify);
	if (!has_tid && rec.notify_tid)
		return why(c, CKPT_ERR_CORRUPT,
			   ": signal %u: POSIX timer %d notifies by %d, but names thread %d (only with SIGEV_THREAD_ID)",
			   sig, rec.id, rec.notify, rec.notify_tid);
	if (has_tid && rec.notify_tid <= 0)
		return why(c, CKPT_ERR_CORRUPT,
			   ": signal %u: POSIX timer %d signals a thread (SIGEV_THREAD_ID), but names none (%d)",
			   sig, rec.id, rec.notify_tid);
	if (has_tid && rec.notify_tid != c->task_pid && c->version < 4)
		return why(c, CKPT_ERR_CORRUPT,
			   ": signal %u: POSIX timer %d signals thread %d, not task %d, whose process it is",
			   sig, rec.id, rec.notify_tid, c->task_pid);
	if (rec.notify != SIGEV_NONE_ &&
	    (rec.signo < 1 || rec.signo > CKPT_NSIG))
		return why(c, CKPT_ERR_CORRUPT,
			   ": signal %u: POSIX timer %d has bad signal number %u (1 to %u)",
			   sig, rec.id, rec.signo, CKPT_NSIG);
	if (rec.reserved)
		return why(c, CKPT_ERR_CORRUPT,
			   ": signal %u: POSIX timer %d: the reserved field is 0x%x, not zero",
			   sig, rec.id, rec.reserved);
	/* ktime_t: at most KTIME_MAX ns */
	if (rec.left > INT64_MAX || rec.interval > INT64_MAX)
		return why(c, CKPT_ERR_CORRUPT,
			   ": signal %u: POSIX timer %d: time left %llu ns or interval %llu ns above 2^63 - 1",
			   sig, rec.id, (unsigned long long)rec.left,
			   (unsigned long long)rec.interval);
	if (rec.overrun < -1 || rec.overrun_last < 0)
		return why(c, CKPT_ERR_CORRUPT,
			   ": signal %u: POSIX timer %d: overrun %lld (-1 or more) or last overrun %lld (0 or more)",
			   sig, rec.id, (long long)rec.overrun,
			   (long long)rec.overrun_last);
	if (ckpt_grow_array((void **)&c->timers, &c->timers_cap,
			    (size_t)c->nr_timers + 1, sizeof(*c->timers)))
		return no_memory(c);
	/* version 4: its thread may come later, checked at the tail */
	if (has_tid && c->version >= 4) {
		struct ckpt_check_target *tt;

		if (ckpt_grow_array((void **)&c->targets, &c->targets_cap,
				    c->nr_targets + 1, sizeof(*c->targets)))
			return no_memory(c);
		tt = &c->targets[c->nr_targets++];
		tt->tgid = c->task_tgid;
		tt->tid = rec.notify_tid;
		tt->id = rec.id;
	}
	t = &c->timers[c->nr_timers++];
	t->id = rec.id;
	t->notify = rec.notify;
	t->tid = rec.notify_tid;
	t->signo = rec.signo;
	t->pending = 0;
	if (c->nr_timers == c->max_timers)
		c->step = CKPT_STEP_TASK_SIGNAL;
	return CKPT_OK;
}

/* The POSIX timer @id of the process being read, or NULL. */
static struct ckpt_check_timer *find_timer(struct ckpt_check *c, int32_t id)
{
	uint32_t lo = 0, hi = c->nr_timers;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (id < c->timers[mid].id)
			hi = mid;
		else if (id > c->timers[mid].id)
			lo = mid + 1;
		else
			return &c->timers[mid];
	}
	return NULL;
}

static enum ckpt_status check_task_signal(struct ckpt_check *c,
					  const void *data)
{
	struct ckpt_hdr_task_signal rec;

	memcpy(&rec, data, sizeof(rec));
	if (rec.nr_pending > CKPT_PENDING_MAX)
		return why(c, CKPT_ERR_CORRUPT,
			   ": task %d has %u pending signals (at most %u)",
			   c->task_pid, rec.nr_pending, CKPT_PENDING_MAX);
	if (rec.altstack_flags & ~X86_SS_AUTODISARM)
		return why(c, CKPT_ERR_CORRUPT,
			   ": task %d: alternate stack flags 0x%x (SS_AUTODISARM 0x%x only)",
			   c->task_pid, rec.altstack_flags, X86_SS_AUTODISARM);
	if (!rec.altstack_size && (rec.altstack_sp || rec.altstack_flags))
		return why(c, CKPT_ERR_CORRUPT,
			   ": task %d: no alternate stack, but its address 0x%llx or flags 0x%x",
			   c->task_pid, (unsigned long long)rec.altstack_sp,
			   rec.altstack_flags);
	if (rec.altstack_size && rec.altstack_size < X86_MINSIGSTKSZ)
		return why(c, CKPT_ERR_CORRUPT,
			   ": task %d: an alternate stack of %llu bytes (at least MINSIGSTKSZ, %u)",
			   c->task_pid, (unsigned long long)rec.altstack_size,
			   X86_MINSIGSTKSZ);
	if (rec.altstack_sp >= c->user_max ||
	    rec.altstack_size >= c->user_max)
		return why(c, CKPT_ERR_CORRUPT,
			   ": task %d: an alternate stack at 0x%llx of %llu bytes, outside user space",
			   c->task_pid, (unsigned long long)rec.altstack_sp,
			   (unsigned long long)rec.altstack_size);
	c->nr_pending = c->pending_left = rec.nr_pending;
	c->step = rec.nr_pending ? CKPT_STEP_SIGINFO : CKPT_STEP_NONE;
	return CKPT_OK;
}

/*
 * A pending signal that is a POSIX timer's own (CKPT_SIGINFO_TIMER): the
 * signal of a timer of its process that signals, queued once, for the
 * process or for the thread it names as the timer says.
 */
static enum ckpt_status check_timer_siginfo(struct ckpt_check *c,
					    const struct ckpt_hdr_siginfo *rec,
					    uint32_t n)
{
	struct ckpt_check_timer *t;
	int32_t code, id;
	bool shared = rec->flags & CKPT_SIGINFO_SHARED;

	memcpy(&code, rec->info + SI_CODE_OFFSET, sizeof(code));
	memcpy(&id, rec->info + SI_TIMERID_OFFSET, sizeof(id));
	if (code != SI_TIMER_)
		return why(c, CKPT_ERR_CORRUPT,
			   ": task %d: pending signal %u is a POSIX timer's, but has si_code %d, not SI_TIMER (%d)",
			   c->task_pid, n, code, SI_TIMER_);
	/* a thread after another process: its process's timers unknown */
	if (!c->timers_signal)
		return CKPT_OK;
	t = find_timer(c, id);
	if (!t)
		return why(c, CKPT_ERR_CORRUPT,
			   ": task %d: pending signal %u is that of POSIX timer %d, which signal %u does not have",
			   c->task_pid, n, id, c->signal_objref);
	if (t->notify == SIGEV_NONE_)
		return why(c, CKPT_ERR_CORRUPT,
			   ": task %d: pending signal %u is that of POSIX timer %d, which sends none (SIGEV_NONE)",
			   c->task_pid, n, id);
	if (t->signo != rec->signo)
		return why(c, CKPT_ERR_CORRUPT,
			   ": task %d: pending signal %u is signal %u, but POSIX timer %d sends signal %u",
			   c->task_pid, n, rec->signo, id, t->signo);
	if (t->pending)
		return why(c, CKPT_ERR_CORRUPT,
			   ": task %d: pending signal %u is that of POSIX timer %d, which is pending already",
			   c->task_pid, n, id);
	if (shared == !!(t->notify & SIGEV_THREAD_ID_))
		return why(c, CKPT_ERR_CORRUPT,
			   ": task %d: pending signal %u of POSIX timer %d is %s, but the timer signals %s",
			   c->task_pid, n, id, shared ? "shared" : "private",
			   shared ? "a thread (SIGEV_THREAD_ID)" :
				    "the process");
	if (!shared && t->tid != c->task_pid)
		return why(c, CKPT_ERR_CORRUPT,
			   ": task %d: pending signal %u of POSIX timer %d is task %d's, but the timer signals thread %d",
			   c->task_pid, n, id, c->task_pid, t->tid);
	t->pending = 1;
	return CKPT_OK;
}

static enum ckpt_status check_siginfo(struct ckpt_check *c, const void *data)
{
	struct ckpt_hdr_siginfo rec;
	uint32_t n = c->nr_pending - c->pending_left + 1;
	uint32_t flags_all = c->version < 3 ? CKPT_SIGINFO_SHARED :
					      CKPT_SIGINFO_FLAGS_ALL;
	enum ckpt_status st;
	int32_t si_signo;

	memcpy(&rec, data, sizeof(rec));
	memcpy(&si_signo, rec.info, sizeof(si_signo));
	if (rec.signo < 1 || rec.signo > CKPT_NSIG)
		return why(c, CKPT_ERR_CORRUPT,
			   ": task %d: pending signal %u has bad signal number %u (1 to %u)",
			   c->task_pid, n, rec.signo, CKPT_NSIG);
	if (si_signo < 0 || (uint32_t)si_signo != rec.signo)
		return why(c, CKPT_ERR_CORRUPT,
			   ": task %d: pending signal %u is signal %u, but its siginfo says %d",
			   c->task_pid, n, rec.signo, si_signo);
	if (rec.signo == X86_SIGKILL)
		return why(c, CKPT_ERR_CORRUPT,
			   ": task %d: pending signal %u is SIGKILL, which restart(2) does not queue",
			   c->task_pid, n);
	if (rec.flags & ~flags_all)
		return why(c, CKPT_ERR_CORRUPT,
			   ": task %d: pending signal %u has unknown flags 0x%x",
			   c->task_pid, n, rec.flags & ~flags_all);
	if (c->version >= 4 && (rec.flags & CKPT_SIGINFO_SHARED) &&
	    c->task_shares_signal)
		return why(c, CKPT_ERR_CORRUPT,
			   ": task %d: pending signal %u is its process's (shared), which come with the process's first task",
			   c->task_pid, n);
	if (rec.flags & CKPT_SIGINFO_TIMER) {
		st = check_timer_siginfo(c, &rec, n);
		if (st)
			return st;
	}
	if (--c->pending_left == 0)
		c->step = CKPT_STEP_NONE;
	return CKPT_OK;
}

enum ckpt_status ckpt_check_record(struct ckpt_check *c,
				   const struct ckpt_record *rec)
{
	if (!known_in(rec->hdr.type, c->version))
		return CKPT_OK;		/* unknown to that version */
	switch (rec->hdr.type) {
	case CKPT_HDR_FILE:
		return check_file(c, rec);
	case CKPT_HDR_PIPE:
		return check_pipe(c, rec);
	case CKPT_HDR_STRING:
		return check_string(c, rec->data, rec->data_len);
	case CKPT_HDR_MM:
		return check_mm(c, rec->data);
	case CKPT_HDR_VMA:
		return check_vma(c, rec->data);
	case CKPT_HDR_PAGES:
		return check_pages(c, rec);
	case CKPT_HDR_FILE_PAGES:
		return check_file_pages(c, rec);
	case CKPT_HDR_TASK:
		return check_task(c, rec);
	case CKPT_HDR_CPU_REGS:
		return check_regs(c, rec->data);
	case CKPT_HDR_CPU_XSTATE:
		return check_xstate(c, rec);
	case CKPT_HDR_CPU_TLS:
		return check_tls(c, rec->data);
	case CKPT_HDR_RESTART_BLOCK:
		return check_restart_block(c, rec->data);
	case CKPT_HDR_TASK_ATTRS:
		return check_attrs(c, rec->data);
	case CKPT_HDR_CRED:
		return check_cred(c, rec->data);
	case CKPT_HDR_FD_TABLE:
		return check_fd_table(c, rec);
	case CKPT_HDR_FS:
		return check_fs(c, rec->data);
	case CKPT_HDR_SIGHAND:
		return check_sighand(c, rec);
	case CKPT_HDR_SIGNAL:
		return check_signal(c, rec);
	case CKPT_HDR_POSIX_TIMER:
		return check_posix_timer(c, rec->data);
	case CKPT_HDR_TASK_SIGNAL:
		return check_task_signal(c, rec->data);
	case CKPT_HDR_SIGINFO:
		return check_siginfo(c, rec->data);
	case CKPT_HDR_NAMESPACES:
		return check_namespaces(c, rec->data);
	case CKPT_HDR_EPOLL:
		return check_epoll(c, rec);
	case CKPT_HDR_IPC_SHM:
		return check_ipc_shm(c, rec);
	case CKPT_HDR_IPC_SEM:
		return check_ipc_sem(c, rec);
	case CKPT_HDR_IPC_MSG:
		return check_ipc_msg(c, rec);
	case CKPT_HDR_IPC_SEM_UNDO:
		return check_ipc_sem_undo(c, rec);
	case CKPT_HDR_IPC_MQUEUE:
		return check_ipc_mqueue(c, rec);
	default:
		return CKPT_OK;
	}
}
