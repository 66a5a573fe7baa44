/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the checkpoint/restart selftests: the system calls, the
 * cgroup v2 freezer, CRC-32C, the reasons log, images built in userspace,
 * reading and checking real images record by record (ckpt_model_build()),
 * /proc, target processes, and children with fewer privileges.
 *
 * Everything here returns an error (0 or a negative errno, or -1) instead of
 * asserting, so that a fixture's setup can clean up after itself: the
 * harness does not run the teardown when the setup fails.
 */
#ifndef CKPT_UTIL_H
#define CKPT_UTIL_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <asm/ldt.h>
#include <linux/capability.h>
#include <linux/checkpoint.h>

/* The numbers of the ckpt kernel (6.12); newer kernels use them otherwise. */
#ifndef __NR_checkpoint
#define __NR_checkpoint 463
#endif
#ifndef __NR_restart
#define __NR_restart 464
#endif

#ifndef CAP_CHECKPOINT_RESTORE
#define CAP_CHECKPOINT_RESTORE 40
#endif

#define CKPT_NOBODY		65534
#define CKPT_FREEZE_TIMEOUT_MS	10000

static inline long sys_checkpoint(pid_t pid, int fd, unsigned int flags,
				  int logfd)
{
	return syscall(__NR_checkpoint, pid, fd, flags, logfd);
}

static inline long sys_restart(pid_t pid, int fd, unsigned int flags,
			       int logfd)
{
	return syscall(__NR_restart, pid, fd, flags, logfd);
}

/* ------------------------------------------------------------------ */
/* The image format                                                    */

/*
 * The smallest valid image, a header, the namespaces record (format
 * version 4: none of the container's own) and a tail, with no task: the
 * synthetic image that the tests of the framing use.  A real checkpoint
 * writes the records of the tasks in between, so its size varies: take it
 * from what checkpoint(2) wrote, never from this.
 */
struct ckpt_image {
	struct ckpt_hdr_header hdr;
	struct ckpt_hdr_namespaces ns;
	struct ckpt_hdr_tail tail;
};

#define CKPT_HDR_SIZE	((size_t)sizeof(struct ckpt_hdr_header))
#define CKPT_NS_SIZE	((size_t)sizeof(struct ckpt_hdr_namespaces))
#define CKPT_TAIL_SIZE	((size_t)sizeof(struct ckpt_hdr_tail))
#define CKPT_IMAGE_SIZE	((size_t)sizeof(struct ckpt_image))
/* The records before the tail of the synthetic image, and their bytes */
#define CKPT_IMAGE_RECORDS	2
#define CKPT_IMAGE_BODY	(CKPT_HDR_SIZE + CKPT_NS_SIZE)

_Static_assert(sizeof(struct ckpt_hdr) == 8, "ckpt_hdr");
_Static_assert(sizeof(struct ckpt_hdr_header) == 120, "ckpt_hdr_header");
_Static_assert(sizeof(struct ckpt_hdr_namespaces) == 152,
	       "ckpt_hdr_namespaces");
_Static_assert(sizeof(struct ckpt_hdr_tail) == 40, "ckpt_hdr_tail");
_Static_assert(sizeof(struct ckpt_image) == 312, "ckpt_image");

/* Offsets of the fields that the tests corrupt, in the whole image. */
#define CKPT_OFF_HDR(f)		offsetof(struct ckpt_hdr_header, f)
#define CKPT_OFF_NS(f)		(CKPT_HDR_SIZE + \
				 offsetof(struct ckpt_hdr_namespaces, f))
#define CKPT_OFF_TAIL(f)	(CKPT_IMAGE_BODY + \
				 offsetof(struct ckpt_hdr_tail, f))

static inline size_t ckpt_align(size_t len)
{
	return (len + CKPT_RECORD_ALIGN - 1) & ~(size_t)(CKPT_RECORD_ALIGN - 1);
}

/* @size rounded up to a whole number of pages (of this machine's size). */
static inline uint64_t ckpt_align_page(uint64_t size)
{
	const uint64_t ps = (uint64_t)sysconf(_SC_PAGESIZE);

	return (size + ps - 1) / ps * ps;
}

/* ------------------------------------------------------------------ */
/* CRC-32C (Castagnoli, iSCSI): reflected 0x82F63B78, ~0 in, ~ out     */

/* The raw register update, bit by bit: the reference. */
static inline uint32_t crc32c_update_bitwise(uint32_t reg, const void *data,
					     size_t len)
{
	const uint8_t *p = data;

	while (len--) {
		reg ^= *p++;
		for (int bit = 0; bit < 8; bit++)
			reg = (reg >> 1) ^ (0x82F63B78U & (0U - (reg & 1)));
	}
	return reg;
}

/*
 * Slicing-by-8 tables: t[k][b] is the register update for byte b followed
 * by k zero bytes.  Real images are hundreds of KiB and the test VM is slow,
 * so the bitwise loop would cost seconds per image.
 */
static inline const uint32_t (*crc32c_tables(void))[256]
{
	static uint32_t t[8][256];
	static int ready;

	if (!__atomic_load_n(&ready, __ATOMIC_ACQUIRE)) {
		for (uint32_t b = 0; b < 256; b++) {
			uint8_t byte = b;

			t[0][b] = crc32c_update_bitwise(0, &byte, 1);
		}
		for (int k = 1; k < 8; k++)
			for (int b = 0; b < 256; b++)
				t[k][b] = (t[k - 1][b] >> 8) ^
					  t[0][t[k - 1][b] & 0xff];
		__atomic_store_n(&ready, 1, __ATOMIC_RELEASE);
	}
	return (const uint32_t (*)[256])t;
}

/* The raw register update, without the inversions. */
static inline uint32_t crc32c_update(uint32_t reg, const void *data, size_t len)
{
	const uint32_t (*t)[256] = crc32c_tables();
	const uint8_t *p = data;

	while (len && ((uintptr_t)p & 7)) {
		reg = (reg >> 8) ^ t[0][(reg ^ *p++) & 0xff];
		len--;
	}
	for (; len >= 8; p += 8, len -= 8) {
		uint64_t w;

		memcpy(&w, p, 8);	/* little-endian */
		w ^= reg;
		reg = t[7][w & 0xff] ^ t[6][(w >> 8) & 0xff] ^
		      t[5][(w >> 16) & 0xff] ^ t[4][(w >> 24) & 0xff] ^
		      t[3][(w >> 32) & 0xff] ^ t[2][(w >> 40) & 0xff] ^
		      t[1][(w >> 48) & 0xff] ^ t[0][w >> 56];
	}
	while (len--)
		reg = (reg >> 8) ^ t[0][(reg ^ *p++) & 0xff];
	return reg;
}

static inline uint32_t crc32c(const void *data, size_t len)
{
	return ~crc32c_update(~0U, data, len);
}

/*
 * Write a tail record at @buf + @tail_off that covers the @tail_off bytes
 * before it, which hold @records records.
 */
static inline void ckpt_seal_at(void *buf, size_t tail_off, uint64_t records)
{
	struct ckpt_hdr_tail tail = {
		.h = { .type = CKPT_HDR_TAIL, .len = sizeof(tail) },
		.magic = CKPT_TAIL_MAGIC,
		.records = records,
		.bytes = tail_off,
		.crc32c = crc32c(buf, tail_off),
		.reserved = 0,
	};

	memcpy((uint8_t *)buf + tail_off, &tail, sizeof(tail));
}

/* Recompute the tail of the synthetic image after a change before it. */
static inline void ckpt_image_seal(struct ckpt_image *img)
{
	ckpt_seal_at(img, CKPT_IMAGE_BODY, CKPT_IMAGE_RECORDS);
}

/*
 * The namespaces record of a container in the namespaces of the caller of
 * checkpoint(2): no flags, no names.
 */
static inline void ckpt_ns_build(struct ckpt_hdr_namespaces *ns)
{
	memset(ns, 0, sizeof(*ns));
	ns->h.type = CKPT_HDR_NAMESPACES;
	ns->h.len = sizeof(*ns);
}

/*
 * The synthetic image: the header that checkpoint(2) writes on this
 * machine, built in userspace (only @xfeatures, the kernel's user xsave
 * features, and @time are not known here), the namespaces record of a
 * container in the caller's namespaces, and the tail.  restart(2) accepts
 * it in a dry run: an image may hold no task (a real restart refuses it,
 * EOPNOTSUPP, as it has nothing to restore).
 */
static inline void ckpt_image_build(struct ckpt_image *img, uint64_t xfeatures,
				    uint64_t time)
{
	struct utsname uts;

	memset(img, 0, sizeof(*img));
	img->hdr.h.type = CKPT_HDR_HEADER;
	img->hdr.h.len = sizeof(img->hdr);
	img->hdr.magic = CKPT_MAGIC;
	img->hdr.version = CKPT_FORMAT_VERSION;
	img->hdr.arch = CKPT_ARCH_X86_64;
	img->hdr.page_size = (uint32_t)sysconf(_SC_PAGESIZE);
	img->hdr.flags = 0;
	img->hdr.xfeatures = xfeatures;
	img->hdr.time = time;
	if (uname(&uts) == 0)
		strncpy(img->hdr.release, uts.release,
			sizeof(img->hdr.release) - 1);
	ckpt_ns_build(&img->ns);
	ckpt_image_seal(img);
}

/* Whether the tail of @img is consistent with what comes before it. */
static inline bool ckpt_image_sealed(const struct ckpt_image *img)
{
	return img->tail.h.type == CKPT_HDR_TAIL &&
	       img->tail.h.len == CKPT_TAIL_SIZE &&
	       img->tail.magic == CKPT_TAIL_MAGIC &&
	       img->tail.records == CKPT_IMAGE_RECORDS &&
	       img->tail.bytes == CKPT_IMAGE_BODY &&
	       img->tail.crc32c == crc32c(img, CKPT_IMAGE_BODY) &&
	       img->tail.reserved == 0;
}

/*
 * Whether two images are the same but for the time of the checkpoint (and
 * so the checksum).
 */
static inline bool ckpt_image_same(const struct ckpt_image *a,
				   const struct ckpt_image *b)
{
	struct ckpt_image c = *b;

	c.hdr.time = a->hdr.time;
	ckpt_image_seal(&c);
	return memcmp(a, &c, sizeof(c)) == 0;
}

/* The sizes of the records' fixed parts: part of the format. */
_Static_assert(sizeof(struct ckpt_hdr_string) == 16, "ckpt_hdr_string");
_Static_assert(sizeof(struct ckpt_hdr_file) == 48, "ckpt_hdr_file");
_Static_assert(sizeof(struct ckpt_hdr_pipe) == 24, "ckpt_hdr_pipe");
_Static_assert(sizeof(struct ckpt_hdr_file_pages) == 24,
	       "ckpt_hdr_file_pages");
_Static_assert(sizeof(struct ckpt_fd) == 16, "ckpt_fd");
_Static_assert(sizeof(struct ckpt_hdr_fd_table) == 16, "ckpt_hdr_fd_table");
_Static_assert(sizeof(struct ckpt_hdr_fs) == 16, "ckpt_hdr_fs");
/* 64 bytes up to format version 3; pgid, sid and the stop follow since 4 */
_Static_assert(sizeof(struct ckpt_hdr_task) == 80, "ckpt_hdr_task");
#define CKPT_TASK_V3_SIZE	64
_Static_assert(sizeof(struct ckpt_x86_regs) == 27 * 8, "ckpt_x86_regs");
_Static_assert(sizeof(struct ckpt_hdr_cpu_regs) == 224, "ckpt_hdr_cpu_regs");
_Static_assert(sizeof(struct ckpt_hdr_cpu_xstate) == 16, "ckpt_hdr_cpu_xstate");
_Static_assert(sizeof(struct ckpt_tls_desc) == 16, "ckpt_tls_desc");
_Static_assert(sizeof(struct ckpt_hdr_cpu_tls) == 56, "ckpt_hdr_cpu_tls");
_Static_assert(sizeof(struct ckpt_hdr_mm) == 632, "ckpt_hdr_mm");
_Static_assert(sizeof(struct ckpt_hdr_vma) == 48, "ckpt_hdr_vma");
_Static_assert(sizeof(struct ckpt_hdr_pages) == 16, "ckpt_hdr_pages");
_Static_assert(sizeof(struct ckpt_hdr_task_attrs) == 72, "ckpt_hdr_task_attrs");
_Static_assert(sizeof(struct ckpt_hdr_restart_block) == 56,
	       "ckpt_hdr_restart_block");
_Static_assert(sizeof(struct ckpt_hdr_cred) == 88, "ckpt_hdr_cred");
_Static_assert(sizeof(struct ckpt_sigaction) == 32, "ckpt_sigaction");
_Static_assert(sizeof(struct ckpt_hdr_sighand) == 16, "ckpt_hdr_sighand");
_Static_assert(sizeof(struct ckpt_hdr_signal) == 328, "ckpt_hdr_signal");
_Static_assert(sizeof(struct ckpt_hdr_task_signal) == 40,
	       "ckpt_hdr_task_signal");
_Static_assert(sizeof(struct ckpt_hdr_posix_timer) == 72,
	       "ckpt_hdr_posix_timer");
_Static_assert(sizeof(struct ckpt_hdr_siginfo) == 144, "ckpt_hdr_siginfo");
/* format version 4 */
_Static_assert(sizeof(struct ckpt_hdr_epoll) == 16, "ckpt_hdr_epoll");
_Static_assert(sizeof(struct ckpt_epoll_item) == 24, "ckpt_epoll_item");
_Static_assert(CKPT_SIGINFO_SIZE == sizeof(siginfo_t), "siginfo_t");

/*
 * Bounds and constants of the x86_64 user ABI that the image refers to.
 * CKPT_USER_MAX is TASK_SIZE_MAX with 4-level paging: nothing of a test
 * target lies above it, even on a 5-level machine.
 */
#define CKPT_USER_MAX		0x00007ffffffff000ULL
#define CKPT_USER_CS		0x33
#define CKPT_USER_DS		0x2b
#define CKPT_KERNEL_NSIG	65	/* the kernel's _NSIG */
#define CKPT_XSAVE_MIN		576	/* legacy area and XSAVE header */
#define CKPT_XSAVE_FCW		0	/* u16 */
#define CKPT_XSAVE_MXCSR	24	/* u32 */
#define CKPT_XSAVE_XMM(n)	(160 + 16 * (n))
#define CKPT_XSAVE_XCR0		464	/* u64: the user xfeatures (ptrace ABI) */
#define CKPT_XSAVE_XSTATE_BV	512	/* u64 */
#define CKPT_XSAVE_XCOMP_BV	520	/* u64: 0 in the standard format */

/*
 * The kernel's VALID_OPEN_FLAGS, in its (asm-generic) octal values: glibc
 * defines O_LARGEFILE as 0 on x86_64, the kernel as 0100000.
 */
#define CKPT_VALID_OPEN_FLAGS						\
	(03 | 0100 | 0200 | 0400 | 01000 | 02000 | 04000 | 010000 |	\
	 020000 | 040000 | 0100000 | 0200000 | 0400000 | 01000000 |	\
	 02000000 | 04000000 | 010000000 | 020000000)

/*
 * The sa_flags that the kernel keeps (UAPI_SA_FLAGS of x86_64: it clears
 * any other bit in sigaction(2)), so the only ones an image can hold.
 */
#define CKPT_SA_FLAGS_ALL						\
	(0x00000001ULL /* SA_NOCLDSTOP */ | 0x00000002ULL /* SA_NOCLDWAIT */ | \
	 0x00000004ULL /* SA_SIGINFO */ | 0x00000800ULL /* SA_EXPOSE_TAGBITS */ | \
	 0x04000000ULL /* SA_RESTORER */ | 0x08000000ULL /* SA_ONSTACK */ | \
	 0x10000000ULL /* SA_RESTART */ | 0x40000000ULL /* SA_NODEFER */ | \
	 0x80000000ULL /* SA_RESETHAND */)

/* Bit n-1 for signal n, as the image's masks have them. */
#define CKPT_SIGBIT(sig)	(1ULL << ((sig) - 1))
/* What no task can block or handle. */
#define CKPT_SIG_UNBLOCKABLE	(CKPT_SIGBIT(SIGKILL) | CKPT_SIGBIT(SIGSTOP))

/* The capabilities of this kernel: 0 to CAP_LAST_CAP (40 in 6.12). */
#define CKPT_CAP_ALL		((1ULL << (CAP_LAST_CAP + 1)) - 1)
/* The securebits of 6.12: SECURE_NOROOT ... SECURE_NO_CAP_AMBIENT_RAISE_LOCKED */
#define CKPT_SECUREBITS_ALL	0xffU

/* sigaltstack(2)'s flag that the image keeps (not in every libc) */
#define CKPT_SS_AUTODISARM	(1U << 31)
/* The kernel's MINSIGSTKSZ on x86: the smallest alternate stack */
#define CKPT_MINSIGSTKSZ	2048

/* The seals fcntl(F_ADD_SEALS) knows: F_SEAL_SEAL to F_SEAL_EXEC */
#define CKPT_MEMFD_SEALS	0x3fU
/* The name a memfd has (its CKPT_HDR_STRING) starts so. */
#define CKPT_MEMFD_PREFIX	"memfd:"

/*
 * Epoll (format version 4): the events epoll_ctl(2) takes, its own flags
 * included (EPOLLIN to EPOLLMSG, EPOLLRDHUP, EPOLLEXCLUSIVE, EPOLLWAKEUP,
 * EPOLLONESHOT, EPOLLET); the flags an epoll file has besides O_RDWR
 * (O_NONBLOCK, O_CLOEXEC and the kernel's O_LARGEFILE).
 */
#define CKPT_EPOLL_EVENTS	(0x7ffU | 0x2000U | 0xf0000000U)
#define CKPT_EPOLL_FLAGS	(04000U | 02000000U | 0100000U)

/* The kernel's errno of a call that restarts through restart_syscall(2). */
#define CKPT_ERESTART_RESTARTBLOCK	516

/* sizeof(struct robust_list_head), the only length set_robust_list() takes */
#define CKPT_ROBUST_LIST_LEN	24
/* ORIG_RSEQ_SIZE: the smallest struct rseq that rseq(2) registers */
#define CKPT_RSEQ_MIN_LEN	32

/*
 * TLS descriptors (format version 3).  An unused entry, as checkpoint
 * writes it; the longest limit a descriptor holds (20 bits: fill_ldt()).
 */
#define CKPT_TLS_UNUSED		(CKPT_TLS_READ_EXEC_ONLY | CKPT_TLS_NOT_PRESENT)
#define CKPT_TLS_LIMIT_MAX	0xfffffU
#define CKPT_TLS_CONTENTS(flags) \
	(((flags) & CKPT_TLS_CONTENTS_MASK) >> CKPT_TLS_CONTENTS_SHIFT)

/* The selector of GDT entry @entry, at privilege level 3 */
#define CKPT_TLS_SELECTOR(entry)	((uint16_t)((entry) << 3 | 3))

/*
 * Where the fields of a POSIX timer's signal lie in siginfo_t (the user
 * layout that CKPT_HDR_SIGINFO records hold): si_code, si_timerid,
 * si_overrun, si_value.
 */
#define CKPT_SI_CODE_OFF	8
#define CKPT_SI_TIMERID_OFF	16
#define CKPT_SI_OVERRUN_OFF	20
#define CKPT_SI_VALUE_OFF	24

/* KTIME_MAX: the longest time a timer may have left, or as its interval */
#define CKPT_KTIME_MAX		INT64_MAX

#ifndef CLOCK_TAI
#define CLOCK_TAI		11
#endif
#ifndef SIGEV_THREAD_ID
#define SIGEV_THREAD_ID		4
#endif

/*
 * A TLS descriptor that restart takes: what set_thread_area(2) accepts
 * (tls_desc_okay()): "empty" or all "zero" (CKPT_TLS_LM aside), or a
 * present 32-bit data segment; no unknown flag.
 */
static inline bool ckpt_tls_desc_ok(const struct ckpt_tls_desc *d)
{
	uint32_t f = d->flags & ~CKPT_TLS_LM;

	if (d->flags & ~CKPT_TLS_FLAGS_ALL)
		return false;
	if (!d->base_addr && !d->limit && (f == CKPT_TLS_UNUSED || !f))
		return true;
	return (d->flags & CKPT_TLS_SEG_32BIT) &&
	       CKPT_TLS_CONTENTS(d->flags) <= 1 &&
	       !(d->flags & CKPT_TLS_NOT_PRESENT);
}

/*
 * A TLS descriptor as checkpoint writes it (get_thread_area(2)'s view of
 * a GDT entry): unused, or a segment that set_thread_area(2) made, whose
 * limit has 20 bits and whose L bit it never sets.
 */
static inline bool ckpt_tls_desc_written(const struct ckpt_tls_desc *d)
{
	if (!d->base_addr && !d->limit && d->flags == CKPT_TLS_UNUSED)
		return true;
	return ckpt_tls_desc_ok(d) && d->flags & CKPT_TLS_SEG_32BIT &&
	       !(d->flags & CKPT_TLS_LM) && d->limit <= CKPT_TLS_LIMIT_MAX;
}

/*
 * set_thread_area(2) and get_thread_area(2) of a 64-bit program: the
 * 64-bit system calls 205 and 211 are not implemented (ENOSYS), so they
 * go through int $0x80, as i386's 243 and 244 (with CONFIG_IA32_EMULATION),
 * which take a pointer of 32 bits: @d is copied through a static buffer
 * (below 4 GiB in these static, non-PIE programs).  0 or -errno.
 */
#define CKPT_NR_SET_THREAD_AREA_32	243
#define CKPT_NR_GET_THREAD_AREA_32	244

static inline int ckpt_tls_syscall(int nr, struct user_desc *d)
{
	static struct user_desc low;
	long ret = nr;

	if ((uintptr_t)&low >> 32)
		return -EFAULT;
	low = *d;
	asm volatile("int $0x80"
		     : "+a"(ret)
		     : "b"((uint32_t)(uintptr_t)&low)
		     : "memory", "cc", "r8", "r9", "r10", "r11");
	*d = low;
	return (int)ret;
}

static inline int ckpt_set_thread_area(struct user_desc *d)
{
	return ckpt_tls_syscall(CKPT_NR_SET_THREAD_AREA_32, d);
}

static inline int ckpt_get_thread_area(struct user_desc *d)
{
	return ckpt_tls_syscall(CKPT_NR_GET_THREAD_AREA_32, d);
}

/*
 * Whether this kernel runs int $0x80 (CONFIG_IA32_EMULATION): without it,
 * set_thread_area(2) is not there for 64-bit programs, and int $0x80
 * kills the caller (SIGSEGV), so a child tries.
 */
static inline bool ckpt_tls_available(void)
{
	int status;
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid == 0) {
		struct user_desc d = { .entry_number = CKPT_TLS_FIRST_ENTRY };

		_exit(ckpt_get_thread_area(&d) ? 1 : 0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return false;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* The clocks of the POSIX timers that an image may hold */
static inline bool ckpt_timer_clock_ok(int32_t clock)
{
	return clock == CLOCK_REALTIME || clock == CLOCK_MONOTONIC ||
	       clock == CLOCK_BOOTTIME || clock == CLOCK_TAI;
}

/* How they may notify: sigev_notify */
static inline bool ckpt_timer_notify_ok(int32_t notify)
{
	return notify == SIGEV_SIGNAL || notify == SIGEV_NONE ||
	       notify == SIGEV_THREAD ||
	       notify == (SIGEV_SIGNAL | SIGEV_THREAD_ID);
}

/* An int field of a siginfo record's siginfo_t, at @off */
static inline int32_t ckpt_si_int(const struct ckpt_hdr_siginfo *si,
				  size_t off)
{
	int32_t v;

	memcpy(&v, si->info + off, sizeof(v));
	return v;
}

/* A device number as the image has it (the kernel's new_encode_dev()). */
static inline uint32_t ckpt_encode_dev(uint32_t major, uint32_t minor)
{
	return (minor & 0xff) | (major << 8) | ((minor & ~0xffU) << 12);
}

/*
 * The character devices that a checkpoint saves: /dev/null, /dev/zero,
 * /dev/full, /dev/random and /dev/urandom (major 1).  Any other is
 * refused, so an image never holds one.
 */
static inline bool ckpt_chr_allowed(uint32_t rdev)
{
	static const uint32_t minors[] = { 3, 5, 7, 8, 9 };

	for (size_t i = 0; i < sizeof(minors) / sizeof(minors[0]); i++)
		if (rdev == ckpt_encode_dev(1, minors[i]))
			return true;
	return false;
}

/* One record of an image in memory. */
struct ckpt_rec {
	size_t off;		/* from the start of the image */
	uint32_t type;
	uint32_t len;		/* as in its header: without the padding */
	const uint8_t *p;	/* the record, its struct ckpt_hdr first */
};

struct ckpt_records {
	struct ckpt_rec *rec;
	size_t nr;		/* the header and the tail included */
	size_t size;		/* bytes of the image, through the tail */
};

static inline void ckpt_records_free(struct ckpt_records *r)
{
	free(r->rec);
	memset(r, 0, sizeof(*r));
}

/*
 * Split the image at @buf (which must be 8-byte aligned, as malloc()
 * returns) into its records, checking the framing as restart(2) does and as
 * checkpoint(2) must write it: a header record first, records laid end to
 * end at 8-byte boundaries with zero padding, up to a tail record whose
 * counts and CRC-32C match what precedes it.  Bytes after the tail's
 * padding are not looked at: r->size says where the image ends.  Returns 0,
 * or -1 with @why saying what is wrong.
 */
static inline int ckpt_records_split(const void *buf, size_t size,
				      struct ckpt_records *r, char *why,
				      size_t why_size)
{
	const uint8_t *p = buf;
	const struct ckpt_hdr_tail *tail;
	size_t off = 0, cap = 0;

	memset(r, 0, sizeof(*r));
	for (;;) {
		struct ckpt_hdr h;
		size_t alen;

		if (off % CKPT_RECORD_ALIGN) {
			snprintf(why, why_size, "record %zu at offset %zu: not 8-byte aligned",
				 r->nr, off);
			goto fail;
		}
		if (size - off < sizeof(h)) {
			snprintf(why, why_size, "no tail: the image ends at %zu after %zu records",
				 size, r->nr);
			goto fail;
		}
		memcpy(&h, p + off, sizeof(h));
		if (h.len < sizeof(h)) {
			snprintf(why, why_size, "record %zu at offset %zu (type %u): length %u",
				 r->nr, off, h.type, h.len);
			goto fail;
		}
		alen = ckpt_align(h.len);
		if (alen > size - off) {
			snprintf(why, why_size, "record %zu at offset %zu (type %u, %u bytes) runs past the end (%zu)",
				 r->nr, off, h.type, h.len, size);
			goto fail;
		}
		for (size_t i = h.len; i < alen; i++) {
			if (p[off + i]) {
				snprintf(why, why_size, "record %zu at offset %zu (type %u): non-zero padding",
					 r->nr, off, h.type);
				goto fail;
			}
		}
		if (r->nr == 0) {
			const struct ckpt_hdr_header *hdr = buf;

			if (h.type != CKPT_HDR_HEADER || h.len < CKPT_HDR_SIZE ||
			    hdr->magic != CKPT_MAGIC) {
				snprintf(why, why_size, "the image does not start with a header record");
				goto fail;
			}
		} else if (h.type == CKPT_HDR_HEADER) {
			snprintf(why, why_size, "record %zu at offset %zu: a second header",
				 r->nr, off);
			goto fail;
		}
		if (r->nr == cap) {
			struct ckpt_rec *n;

			cap = cap ? 2 * cap : 64;
			n = realloc(r->rec, cap * sizeof(*n));
			if (!n) {
				snprintf(why, why_size, "out of memory");
				goto fail;
			}
			r->rec = n;
		}
		r->rec[r->nr].off = off;
		r->rec[r->nr].type = h.type;
		r->rec[r->nr].len = h.len;
		r->rec[r->nr].p = p + off;
		r->nr++;
		off += alen;
		if (h.type == CKPT_HDR_TAIL)
			break;
	}

	tail = (const void *)r->rec[r->nr - 1].p;
	if (tail->h.len < CKPT_TAIL_SIZE) {
		snprintf(why, why_size, "the tail record is %u bytes", tail->h.len);
		goto fail;
	}
	if (tail->magic != CKPT_TAIL_MAGIC || tail->reserved) {
		snprintf(why, why_size, "the tail's magic or reserved field is wrong");
		goto fail;
	}
	if (tail->records != r->nr - 1 || tail->bytes != r->rec[r->nr - 1].off) {
		snprintf(why, why_size, "the tail counts %llu records in %llu bytes, the image has %zu in %zu",
			 (unsigned long long)tail->records,
			 (unsigned long long)tail->bytes, r->nr - 1,
			 r->rec[r->nr - 1].off);
		goto fail;
	}
	if (tail->crc32c != crc32c(p, tail->bytes)) {
		snprintf(why, why_size, "the tail's CRC-32C is %08x, the image's %08x",
			 tail->crc32c, crc32c(p, tail->bytes));
		goto fail;
	}
	r->size = off;
	return 0;
fail:
	ckpt_records_free(r);
	return -1;
}

/* The length of the image at @buf (through its tail), or 0 if it is bad. */
static inline size_t ckpt_image_length(const void *buf, size_t size)
{
	struct ckpt_records r;
	char why[256];
	size_t len;

	if (ckpt_records_split(buf, size, &r, why, sizeof(why)))
		return 0;
	len = r.size;
	ckpt_records_free(&r);
	return len;
}

/*
 * Whether two whole images are the same but for the time of the
 * checkpoint (and so the tail's checksum).
 */
static inline bool ckpt_images_same(const void *a, size_t alen, const void *b,
				    size_t blen)
{
	const struct ckpt_hdr_header *ha = a;
	const struct ckpt_hdr_tail *tb;
	uint8_t *c;
	bool same;

	if (alen != blen || alen < CKPT_IMAGE_SIZE)
		return false;
	tb = (const void *)((const uint8_t *)b + blen - CKPT_TAIL_SIZE);
	if (tb->h.type != CKPT_HDR_TAIL || tb->h.len != CKPT_TAIL_SIZE)
		return false;
	c = malloc(blen);
	if (!c)
		return false;
	memcpy(c, b, blen);
	((struct ckpt_hdr_header *)c)->time = ha->time;
	ckpt_seal_at(c, blen - CKPT_TAIL_SIZE, tb->records);
	same = memcmp(a, c, alen) == 0;
	free(c);
	return same;
}

/* ------------------------------------------------------------------ */
/* The contents of an image: files, address spaces, tasks and their    */
/* state                                                               */

struct ckpt_m_pipe {
	const struct ckpt_hdr_pipe *rec;
	const uint8_t *data;		/* rec->len bytes */
	size_t idx;			/* in the records */
};

struct ckpt_m_page {
	uint64_t addr;			/* or, of a memfd, the file offset */
	const uint8_t *data;		/* page_size bytes */
};

struct ckpt_m_epoll;

struct ckpt_m_file {
	const struct ckpt_hdr_file *rec;
	const char *path;		/* from its CKPT_HDR_STRING (a memfd's
					 * name, an external file's); "" for a
					 * pipe end or an epoll file */
	const struct ckpt_m_pipe *pipe;	/* CKPT_FILE_PIPE: its pipe */
	const struct ckpt_m_epoll *epoll;	/* CKPT_FILE_EPOLL: its items */
	const struct ckpt_m_mqueue *mqueue;	/* CKPT_FILE_MQUEUE: its queue */
	struct ckpt_m_page *pages;	/* CKPT_FILE_MEMFD: its contents */
	size_t nr_pages;
	size_t idx;			/* in the records */
};

struct ckpt_m_mm {
	const struct ckpt_hdr_mm *rec;
	size_t idx;			/* in the records */
	const struct ckpt_hdr_vma **vmas;	/* rec->nr_vmas of them */
	struct ckpt_m_page *pages;	/* in increasing address order */
	size_t nr_pages;
	size_t nr_page_recs;		/* CKPT_HDR_PAGES records */
};

/* The items of an epoll file (format version 4), and where they came. */
struct ckpt_m_epoll {
	const struct ckpt_hdr_epoll *rec;
	const struct ckpt_epoll_item *items;	/* rec->nr_items */
	const struct ckpt_m_file *file;		/* the epoll file */
	const struct ckpt_m_task *task;		/* the first that has it open */
	size_t idx;
};

/* An fd table, where it was defined (with its entries). */
struct ckpt_m_fdt {
	const struct ckpt_hdr_fd_table *rec;
	const struct ckpt_fd *fds;	/* rec->nr_fds, by increasing fd */
	size_t idx;
};

/* A file system context, where it was defined (with its strings). */
struct ckpt_m_fs {
	const struct ckpt_hdr_fs *rec;
	const char *root, *cwd;
	size_t idx;
};

/* Signal handlers, where they were defined (with the actions). */
struct ckpt_m_sighand {
	const struct ckpt_hdr_sighand *rec;
	const struct ckpt_sigaction *action;	/* action[n - 1]: signal n */
	size_t idx;
};

/*
 * A signal state, where it was defined, with its POSIX timers (by
 * increasing id) and, for each, whether a pending signal of the process
 * is the timer's own (a CKPT_SIGINFO_TIMER record names it).
 */
struct ckpt_m_signal {
	const struct ckpt_hdr_signal *rec;
	size_t idx;
	pid_t tgid;			/* the process whose it is */
	const struct ckpt_hdr_posix_timer **timers;	/* rec->nr_posix_timers */
	bool *queued;
};

/*
 * A task: its records, and the shared objects it uses (their definitions,
 * which may be another task's records: a thread's fd table is its
 * leader's).  All but rec and idx are NULL for a zombie.
 */
struct ckpt_m_task {
	const struct ckpt_hdr_task *rec;
	size_t idx;			/* in the records */
	const struct ckpt_m_mm *mm;	/* the address space it runs in */
	bool mm_follows;		/* its mm's records follow its own */
	size_t cpu_idx;			/* its registers record (live tasks) */
	const struct ckpt_m_task *parent;	/* of its process, or NULL */
	const struct ckpt_m_task *leader;	/* its thread group leader */
	const struct ckpt_hdr_cpu_regs *regs;
	const struct ckpt_hdr_cpu_xstate *xstate;
	const uint8_t *xsave;		/* xstate->size bytes */
	const struct ckpt_hdr_cpu_tls *tls;
	const struct ckpt_hdr_restart_block *restart;	/* or NULL: none */
	const struct ckpt_hdr_task_attrs *attrs;
	const struct ckpt_hdr_cred *cred;
	const uint32_t *groups;		/* cred->nr_groups of them */
	const struct ckpt_hdr_fd_table *fdt_rec;	/* its own record */
	const struct ckpt_m_fdt *fdt;
	const struct ckpt_hdr_fs *fs_rec;		/* its own record */
	const struct ckpt_m_fs *fs;
	const struct ckpt_hdr_sighand *sighand_rec;	/* its own record */
	const struct ckpt_m_sighand *sighand;
	const struct ckpt_hdr_signal *signal_rec;	/* its own record */
	const struct ckpt_m_signal *signal;
	const struct ckpt_hdr_task_signal *tsig;
	const struct ckpt_hdr_siginfo **siginfo;	/* tsig->nr_pending */
};

/*
 * The SysV IPC objects of the container's own IPC namespace (format
 * version 4): a shared memory segment with its contents (as a memfd's:
 * offsets in the segment), a semaphore set with its values, a message
 * queue with its messages (rec->nr_msgs of them, each a struct
 * ckpt_ipc_msg and its text, padded to 8 bytes).
 */
struct ckpt_m_ipc_shm {
	const struct ckpt_hdr_ipc_shm *rec;
	struct ckpt_m_page *pages;
	size_t nr_pages;
};

struct ckpt_m_ipc_sem {
	const struct ckpt_hdr_ipc_sem *rec;
	const uint16_t *vals;		/* rec->nsems of them */
};

struct ckpt_m_ipc_msg {
	const struct ckpt_hdr_ipc_msg *rec;
	const uint8_t *msgs;		/* the first struct ckpt_ipc_msg */
};

/*
 * The SEM_UNDO adjustments of a process on a set, and a POSIX message
 * queue with its messages (rec->nr_msgs of them, as a SysV queue's, each
 * struct ckpt_ipc_msg's mtype its priority), of the same namespace.
 */
struct ckpt_m_sem_undo {
	const struct ckpt_hdr_ipc_sem_undo *rec;
	const int16_t *adj;		/* rec->nsems of them */
};

struct ckpt_m_mqueue {
	const struct ckpt_hdr_ipc_mqueue *rec;
	const uint8_t *msgs;		/* the first struct ckpt_ipc_msg */
};

/* An image, read and checked record by record. */
struct ckpt_model {
	struct ckpt_records r;
	const struct ckpt_hdr_header *hdr;
	const struct ckpt_hdr_namespaces *ns;	/* right after the header */
	const struct ckpt_hdr_tail *tail;
	struct ckpt_m_file *files;
	size_t nr_files;
	struct ckpt_m_epoll *epolls;
	size_t nr_epolls;
	uint32_t epolls_unlisted;	/* epoll files whose items are to come */
	struct ckpt_m_pipe *pipes;
	size_t nr_pipes;
	struct ckpt_m_mm *mms;
	size_t nr_mms;
	struct ckpt_m_fdt *fdts;
	size_t nr_fdts;
	struct ckpt_m_fs *fss;
	size_t nr_fss;
	struct ckpt_m_sighand *sighands;
	size_t nr_sighands;
	struct ckpt_m_signal *signals;
	size_t nr_signals;
	struct ckpt_m_ipc_shm *shms;
	size_t nr_shms;
	struct ckpt_m_ipc_sem *sems;
	size_t nr_sems;
	struct ckpt_m_ipc_msg *msgqs;
	size_t nr_msgqs;
	struct ckpt_m_sem_undo *undos;
	size_t nr_undos;
	struct ckpt_m_mqueue *mqueues;
	size_t nr_mqueues;
	struct ckpt_m_task *tasks;
	size_t nr_tasks;
	bool old_order;			/* the first task's mm came before it */
	uint32_t nr_objs;		/* objrefs 1..nr_objs are defined */
	uint32_t *obj_type;		/* CKPT_HDR_FILE, CKPT_HDR_MM... */
	uint32_t *obj_idx;		/* ...in files[], mms[]... */
	const struct ckpt_hdr_vma **vma_store;
	struct ckpt_m_page *page_store;
	const struct ckpt_hdr_siginfo **siginfo_store;
	const struct ckpt_hdr_posix_timer **timer_store;
	bool *timer_queued;
	char why[256];			/* what is wrong, if anything */
};

static inline void ckpt_model_free(struct ckpt_model *m)
{
	ckpt_records_free(&m->r);
	free(m->files);
	free(m->epolls);
	free(m->pipes);
	free(m->mms);
	free(m->fdts);
	free(m->fss);
	free(m->sighands);
	free(m->signals);
	free(m->shms);
	free(m->sems);
	free(m->msgqs);
	free(m->undos);
	free(m->mqueues);
	free(m->tasks);
	free(m->obj_type);
	free(m->obj_idx);
	free(m->vma_store);
	free(m->page_store);
	free(m->siginfo_store);
	free(m->timer_store);
	free(m->timer_queued);
	/* Keep @why: callers print it after a failed build. */
	memset(m, 0, offsetof(struct ckpt_model, why));
}

__attribute__((format(printf, 2, 3)))
static inline int ckpt_model_fail(struct ckpt_model *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(m->why, sizeof(m->why), fmt, ap);
	va_end(ap);
	return -1;
}

static inline bool ckpt_is_zero(const void *p, size_t len)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < len; i++)
		if (b[i])
			return false;
	return true;
}

/* The index of object @objref in its array if it is of @type, or -1. */
static inline long ckpt_m_obj(const struct ckpt_model *m, uint32_t objref,
			      uint32_t type)
{
	if (!objref || objref > m->nr_objs || m->obj_type[objref] != type)
		return -1;
	return m->obj_idx[objref];
}

static inline const struct ckpt_m_file *
ckpt_m_file_ref(const struct ckpt_model *m, uint32_t objref)
{
	long i = ckpt_m_obj(m, objref, CKPT_HDR_FILE);

	return i < 0 ? NULL : &m->files[i];
}

static inline const struct ckpt_m_pipe *
ckpt_m_pipe_ref(const struct ckpt_model *m, uint32_t objref)
{
	long i = ckpt_m_obj(m, objref, CKPT_HDR_PIPE);

	return i < 0 ? NULL : &m->pipes[i];
}

/* The SysV shared memory segment of objref @objref, or NULL. */
static inline const struct ckpt_m_ipc_shm *
ckpt_m_shm_ref(const struct ckpt_model *m, uint32_t objref)
{
	long i = ckpt_m_obj(m, objref, CKPT_HDR_IPC_SHM);

	return i < 0 ? NULL : &m->shms[i];
}

/* The POSIX message queue of objref @objref, or NULL. */
static inline const struct ckpt_m_mqueue *
ckpt_m_mqueue_ref(const struct ckpt_model *m, uint32_t objref)
{
	long i = ckpt_m_obj(m, objref, CKPT_HDR_IPC_MQUEUE);

	return i < 0 ? NULL : &m->mqueues[i];
}

static inline const struct ckpt_m_mm *
ckpt_m_mm_ref(const struct ckpt_model *m, uint32_t objref)
{
	long i = ckpt_m_obj(m, objref, CKPT_HDR_MM);

	return i < 0 ? NULL : &m->mms[i];
}

static inline const struct ckpt_m_task *
ckpt_m_task_pid(const struct ckpt_model *m, pid_t pid)
{
	for (size_t i = 0; i < m->nr_tasks; i++)
		if (m->tasks[i].rec->pid == pid)
			return &m->tasks[i];
	return NULL;
}

/* The entry of @fd in @t's fd table, or NULL. */
static inline const struct ckpt_fd *ckpt_m_fd(const struct ckpt_m_task *t,
					      int fd)
{
	if (!t->fdt)
		return NULL;
	for (uint32_t i = 0; i < t->fdt->rec->nr_fds; i++)
		if (t->fdt->fds[i].fd == (uint32_t)fd)
			return &t->fdt->fds[i];
	return NULL;
}

/* The file that @t has open as @fd, or NULL. */
static inline const struct ckpt_m_file *
ckpt_m_fd_file(const struct ckpt_model *m, const struct ckpt_m_task *t, int fd)
{
	const struct ckpt_fd *e = ckpt_m_fd(t, fd);

	return e ? ckpt_m_file_ref(m, e->file_objref) : NULL;
}

/* The action of signal @sig (1 to 64) in @t's handlers, or NULL. */
static inline const struct ckpt_sigaction *
ckpt_m_action(const struct ckpt_m_task *t, int sig)
{
	if (!t->sighand || sig < 1 || sig > CKPT_NSIG)
		return NULL;
	return &t->sighand->action[sig - 1];
}

/* The memory area of @mm that holds @addr, or NULL. */
static inline const struct ckpt_hdr_vma *
ckpt_m_vma_at(const struct ckpt_m_mm *mm, uint64_t addr)
{
	for (uint32_t i = 0; i < mm->rec->nr_vmas; i++)
		if (addr >= mm->vmas[i]->start && addr < mm->vmas[i]->end)
			return mm->vmas[i];
	return NULL;
}

/* The contents of the page at @addr in @mm's image, or NULL. */
static inline const uint8_t *ckpt_m_page_at(const struct ckpt_m_mm *mm,
					    uint64_t addr)
{
	size_t lo = 0, hi = mm->nr_pages;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (mm->pages[mid].addr == addr)
			return mm->pages[mid].data;
		if (mm->pages[mid].addr < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* The number of pages of @mm's image in [start, end). */
static inline size_t ckpt_m_pages_in(const struct ckpt_m_mm *mm,
				     uint64_t start, uint64_t end)
{
	size_t n = 0;

	for (size_t i = 0; i < mm->nr_pages; i++)
		n += mm->pages[i].addr >= start && mm->pages[i].addr < end;
	return n;
}

static inline int ckpt_model_declare(struct ckpt_model *m, uint32_t objref,
				     uint32_t type, uint32_t idx, size_t rec)
{
	if (objref != m->nr_objs + 1)
		return ckpt_model_fail(m, "record %zu: object %u defined out of order (expected %u)",
				       rec, objref, m->nr_objs + 1);
	m->nr_objs = objref;
	m->obj_type[objref] = type;
	m->obj_idx[objref] = idx;
	return 0;
}

static inline const char *ckpt_type_name(uint32_t type)
{
	switch (type) {
	case CKPT_HDR_HEADER:	return "header";
	case CKPT_HDR_TAIL:	return "tail";
	case CKPT_HDR_STRING:	return "string";
	case CKPT_HDR_TASK:	return "task";
	case CKPT_HDR_TASK_ATTRS: return "task attributes";
	case CKPT_HDR_RESTART_BLOCK: return "restart block";
	case CKPT_HDR_CPU_REGS:	return "registers";
	case CKPT_HDR_CPU_XSTATE: return "FPU state";
	case CKPT_HDR_CPU_TLS:	return "TLS descriptors";
	case CKPT_HDR_MM:	return "address space";
	case CKPT_HDR_VMA:	return "memory area";
	case CKPT_HDR_PAGES:	return "pages";
	case CKPT_HDR_FILE:	return "file";
	case CKPT_HDR_PIPE:	return "pipe";
	case CKPT_HDR_FILE_PAGES: return "memfd pages";
	case CKPT_HDR_FD_TABLE:	return "fd table";
	case CKPT_HDR_FS:	return "fs";
	case CKPT_HDR_SIGHAND:	return "signal handlers";
	case CKPT_HDR_SIGNAL:	return "signal";
	case CKPT_HDR_TASK_SIGNAL: return "task signal state";
	case CKPT_HDR_SIGINFO:	return "siginfo";
	case CKPT_HDR_POSIX_TIMER: return "POSIX timer";
	case CKPT_HDR_CRED:	return "credentials";
	case CKPT_HDR_NAMESPACES: return "namespaces";
	case CKPT_HDR_EPOLL:	return "epoll items";
	case CKPT_HDR_IPC_SHM:	return "SysV shared memory segment";
	case CKPT_HDR_IPC_SEM:	return "semaphore set";
	case CKPT_HDR_IPC_MSG:	return "message queue";
	case CKPT_HDR_IPC_SEM_UNDO: return "SEM_UNDO adjustments";
	case CKPT_HDR_IPC_MQUEUE: return "POSIX message queue";
	default:		return "unknown";
	}
}

/*
 * Records that only come where the record before them asks for them: the
 * state of a live task, in this order after its task record.  The restart
 * block comes only after registers that say the task was in a call that
 * restarts with one (the TLS descriptors then ask for it instead of
 * TASK_ATTRS); the POSIX timers only after the signal state that counts
 * them.
 */
static inline bool ckpt_follows_only(uint32_t type)
{
	switch (type) {
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
	case CKPT_HDR_NAMESPACES:	/* right after the header */
		return true;
	default:
		return false;
	}
}

/* Whether registers say: frozen in a call that restarts with a block. */
static inline bool ckpt_regs_restart_block(const struct ckpt_x86_regs *r)
{
	return (int64_t)r->orig_ax >= 0 &&
	       (int64_t)r->ax == -CKPT_ERESTART_RESTARTBLOCK;
}

/*
 * Read the string record at m->r.rec[@i] into *@str: 1 to
 * CKPT_STRING_MAX bytes, its NUL last and only; an absolute path if
 * @absolute.  A reader takes only @len bytes of it; the writer writes no
 * more.
 */
static inline int ckpt_model_string(struct ckpt_model *m, size_t i,
				    const char *what, uint32_t objref,
				    const char **str, bool absolute)
{
	const struct ckpt_hdr_string *s;
	const struct ckpt_rec *sr;
	const char *path;

	if (i >= m->r.nr || m->r.rec[i].type != CKPT_HDR_STRING)
		return ckpt_model_fail(m, "%s %u: no string record follows",
				       what, objref);
	sr = &m->r.rec[i];
	s = (const void *)sr->p;
	path = (const char *)(s + 1);
	if (sr->len < sizeof(*s) || s->len < 1 || s->len > CKPT_STRING_MAX ||
	    s->reserved || sr->len != sizeof(*s) + s->len ||
	    strnlen(path, s->len) != s->len - 1)
		return ckpt_model_fail(m, "%s %u: malformed string record",
				       what, objref);
	if (absolute && path[0] != '/')
		return ckpt_model_fail(m, "%s %u: the path \"%s\" is not absolute",
				       what, objref, path);
	*str = path;
	return 0;
}

/* A string that is an absolute path. */
static inline int ckpt_model_path(struct ckpt_model *m, size_t i,
				  const char *what, uint32_t objref,
				  const char **str)
{
	return ckpt_model_string(m, i, what, objref, str, true);
}

/*
 * A hostname or domainname of the namespaces record: NUL-terminated and
 * zero-padded, and empty if the container has no UTS namespace of its own
 * (@used).
 */
static inline bool ckpt_uts_name_ok(const char *name, bool used)
{
	size_t len = strnlen(name, CKPT_UTS_LEN);

	if (len == CKPT_UTS_LEN || (!used && len))
		return false;
	return ckpt_is_zero(name + len, CKPT_UTS_LEN - len);
}

/* A user-space address (or 0), as every pointer of an image must be. */
static inline bool ckpt_user_addr(uint64_t addr)
{
	return addr < CKPT_USER_MAX;
}

/*
 * The contents of a shmem object (a memfd, shared anonymous memory, a
 * SysV shared memory segment: @what @objref) of @size bytes, from
 * m->r.rec[*@ip] on: its page records, until one says no more follow,
 * with offsets page-aligned, in increasing order, inside it.  Its pages
 * are taken from m->page_store; *@ip is left on its last page record.
 */
static inline int ckpt_model_contents(struct ckpt_model *m, size_t *ip,
				      const char *what, uint32_t objref,
				      uint64_t size, struct ckpt_m_page **pages,
				      size_t *nr_pages, size_t *pages_used)
{
	const size_t ps = (size_t)sysconf(_SC_PAGESIZE);
	uint64_t next = 0;
	bool more = true;
	size_t i = *ip;

	*pages = m->page_store + *pages_used;
	*nr_pages = 0;
	for (; more; i++) {
		const struct ckpt_hdr_file_pages *fp;
		const uint64_t *offs;
		const struct ckpt_rec *pr;

		if (i >= m->r.nr || m->r.rec[i].type != CKPT_HDR_FILE_PAGES)
			return ckpt_model_fail(m, "%s %u: its contents do not follow",
					       what, objref);
		pr = &m->r.rec[i];
		fp = (const void *)pr->p;
		offs = (const void *)(fp + 1);
		if (pr->len < sizeof(*fp) || fp->objref != objref ||
		    fp->nr_pages > CKPT_PAGES_MAX || fp->more > 1 ||
		    fp->reserved ||
		    pr->len != sizeof(*fp) + fp->nr_pages * (8 + ps))
			return ckpt_model_fail(m, "%s %u: a page record of %u bytes for %u pages",
					       what, objref, pr->len,
					       fp->nr_pages);
		for (uint32_t k = 0; k < fp->nr_pages; k++) {
			if (offs[k] % ps || offs[k] < next || offs[k] >= size)
				return ckpt_model_fail(m, "%s %u: a page at offset %llu, not aligned, in order and in the file",
						       what, objref,
						       (unsigned long long)offs[k]);
			next = offs[k] + ps;
			(*pages)[*nr_pages].addr = offs[k];
			(*pages)[*nr_pages].data =
				(const uint8_t *)(offs + fp->nr_pages) + k * ps;
			(*nr_pages)++;
			(*pages_used)++;
		}
		more = fp->more;
	}
	*ip = i - 1;
	return 0;
}

/*
 * A file record at m->r.rec[*@ip] and what follows it: its path (not for
 * a pipe end), or a memfd's name and contents, which it skips.
 */
static inline int ckpt_model_file(struct ckpt_model *m, size_t *ip,
				  size_t *pages_used)
{
	size_t i = *ip;
	const struct ckpt_rec *rc = &m->r.rec[i];
	const struct ckpt_hdr_file *f = (const void *)rc->p;
	struct ckpt_m_file *mf = &m->files[m->nr_files];

	if (rc->len != sizeof(*f))
		return ckpt_model_fail(m, "record %zu: a file record of %u bytes",
				       i, rc->len);
	if (f->type < CKPT_FILE_REG || f->type > CKPT_FILE_MQUEUE ||
	    (f->f_flags & ~CKPT_VALID_OPEN_FLAGS) ||
	    (int64_t)f->pos < 0 || (int64_t)f->size < 0 ||
	    (f->type != CKPT_FILE_REG && f->type != CKPT_FILE_MEMFD &&
	     f->type != CKPT_FILE_SHMEM && f->size) ||
	    (f->type != CKPT_FILE_CHR && f->type != CKPT_FILE_EXTERNAL &&
	     f->rdev) ||
	    (f->type != CKPT_FILE_PIPE && f->type != CKPT_FILE_FIFO &&
	     f->type != CKPT_FILE_MQUEUE && f->pipe_objref) ||
	    (f->type != CKPT_FILE_MEMFD && f->seals) ||
	    (f->seals & ~CKPT_MEMFD_SEALS))
		return ckpt_model_fail(m, "file %u: bad type %u, flags 0%o, offset, size, rdev or seals",
				       f->objref, f->type, f->f_flags);
	if (f->type == CKPT_FILE_CHR && !ckpt_chr_allowed(f->rdev))
		return ckpt_model_fail(m, "file %u: device 0x%x is not one that a checkpoint saves",
				       f->objref, f->rdev);
	if (f->type == CKPT_FILE_FIFO) {
		mf->pipe = ckpt_m_pipe_ref(m, f->pipe_objref);
		if (!mf->pipe || !(mf->pipe->rec->flags & CKPT_PIPE_FIFO) ||
		    f->pos)
			return ckpt_model_fail(m, "file %u: its pipe %u is not a FIFO's defined before, or an offset",
					       f->objref, f->pipe_objref);
	}
	if (f->type == CKPT_FILE_PIPE) {
		mf->pipe = ckpt_m_pipe_ref(m, f->pipe_objref);
		if (!mf->pipe || (mf->pipe->rec->flags & CKPT_PIPE_FIFO))
			return ckpt_model_fail(m, "file %u: its pipe %u is not a pipe defined before",
					       f->objref, f->pipe_objref);
		if (f->pos || ((f->f_flags & O_ACCMODE) != O_RDONLY &&
			       (f->f_flags & O_ACCMODE) != O_WRONLY))
			return ckpt_model_fail(m, "file %u: a pipe end at offset %llu, flags 0%o",
					       f->objref,
					       (unsigned long long)f->pos,
					       f->f_flags);
	}
	/* Open on a POSIX message queue: its access mode and O_NONBLOCK. */
	if (f->type == CKPT_FILE_MQUEUE) {
		mf->mqueue = ckpt_m_mqueue_ref(m, f->pipe_objref);
		if (!mf->mqueue || f->pos ||
		    (f->f_flags & ~(O_ACCMODE | O_NONBLOCK)) ||
		    (f->f_flags & O_ACCMODE) == O_ACCMODE)
			return ckpt_model_fail(m, "file %u: its queue %u is not a POSIX message queue defined before, or flags 0%o, offset %llu",
					       f->objref, f->pipe_objref,
					       f->f_flags,
					       (unsigned long long)f->pos);
	}
	if (f->type == CKPT_FILE_MEMFD && (f->f_flags & O_ACCMODE) != O_RDWR)
		return ckpt_model_fail(m, "file %u: a memfd not open read-write (0%o)",
				       f->objref, f->f_flags);
	/* Shared anonymous memory: read-write, at 0, only its size. */
	if (f->type == CKPT_FILE_SHMEM && (f->f_flags != O_RDWR || f->pos))
		return ckpt_model_fail(m, "file %u: shared anonymous memory with flags 0%o, offset %llu",
				       f->objref, f->f_flags,
				       (unsigned long long)f->pos);
	/* An epoll file: read-write, no path, nothing but its flags. */
	if (f->type == CKPT_FILE_EPOLL &&
	    ((f->f_flags & O_ACCMODE) != O_RDWR ||
	     (f->f_flags & ~(O_ACCMODE | CKPT_EPOLL_FLAGS)) || f->pos))
		return ckpt_model_fail(m, "file %u: an epoll file with flags 0%o, offset %llu",
				       f->objref, f->f_flags,
				       (unsigned long long)f->pos);
	/* An external file: its access mode and fd only, then its name. */
	if (f->type == CKPT_FILE_EXTERNAL &&
	    ((f->f_flags & ~O_ACCMODE) ||
	     (f->f_flags & O_ACCMODE) == O_ACCMODE || f->pos ||
	     f->fd >= CKPT_FDS_MAX))
		return ckpt_model_fail(m, "file %u: an external file with flags 0%o, offset %llu, fd %u",
				       f->objref, f->f_flags,
				       (unsigned long long)f->pos, f->fd);
	if (ckpt_model_declare(m, f->objref, CKPT_HDR_FILE, m->nr_files, i))
		return -1;
	mf->rec = f;
	mf->idx = i;
	mf->path = "";
	/* no string: a pipe end names its pipe, a file of a message queue
	 * its queue */
	if (f->type == CKPT_FILE_PIPE || f->type == CKPT_FILE_MQUEUE) {
		m->nr_files++;
		return 0;
	}
	if (f->type == CKPT_FILE_EPOLL) {
		m->epolls_unlisted++;
		m->nr_files++;
		return 0;
	}
	if (f->type == CKPT_FILE_EXTERNAL) {
		if (ckpt_model_string(m, i + 1, "external file", f->objref,
				      &mf->path, false))
			return -1;
		(*ip)++;	/* the string */
		m->nr_files++;
		return 0;
	}
	if (f->type != CKPT_FILE_MEMFD && f->type != CKPT_FILE_SHMEM) {
		if (ckpt_model_path(m, i + 1, "file", f->objref, &mf->path))
			return -1;
		(*ip)++;	/* the string */
		m->nr_files++;
		return 0;
	}

	/*
	 * A memfd or shared anonymous memory: its name, then its pages until
	 * one record says no more.
	 */
	if (i + 1 >= m->r.nr || m->r.rec[i + 1].type != CKPT_HDR_STRING)
		return ckpt_model_fail(m, "memfd %u: no name follows", f->objref);
	{
		const struct ckpt_hdr_string *s = (const void *)m->r.rec[i + 1].p;
		const char *name = (const char *)(s + 1);

		if (m->r.rec[i + 1].len != sizeof(*s) + s->len || !s->len ||
		    s->len > CKPT_STRING_MAX || s->reserved ||
		    strnlen(name, s->len) != s->len - 1 ||
		    (f->type == CKPT_FILE_MEMFD ?
		     strncmp(name, CKPT_MEMFD_PREFIX, strlen(CKPT_MEMFD_PREFIX)) :
		     strcmp(name, CKPT_SHMEM_NAME)))
			return ckpt_model_fail(m, "memfd %u: a malformed name",
					       f->objref);
		mf->path = name;
	}
	*ip = i + 2;
	if (ckpt_model_contents(m, ip, "memfd", f->objref, f->size,
				&mf->pages, &mf->nr_pages, pages_used))
		return -1;
	m->nr_files++;
	return 0;
}

/*
 * The items of an epoll file (format version 4): one record per epoll
 * file, defined before it and not listed yet; each item an fd below
 * CKPT_FDS_MAX, a file defined before that is not an epoll file (nested
 * epoll is not saved), events epoll_ctl(2) takes.  Where the record comes
 * (after the files of the first task that has the epoll file open,
 * before its task record) and that each item's fd is that task's, as the
 * file it watches, is checked once all tasks are read.
 */
static inline int ckpt_model_epoll(struct ckpt_model *m, size_t i)
{
	const struct ckpt_rec *rc = &m->r.rec[i];
	const struct ckpt_hdr_epoll *e = (const void *)rc->p;
	const struct ckpt_epoll_item *items = (const void *)(e + 1);
	struct ckpt_m_file *f;
	long k;

	if (rc->len < sizeof(*e) || e->nr_items > CKPT_FDS_MAX ||
	    rc->len != sizeof(*e) + (uint64_t)e->nr_items * sizeof(*items))
		return ckpt_model_fail(m, "record %zu: an epoll items record of %u bytes",
				       i, rc->len);
	k = ckpt_m_obj(m, e->file_objref, CKPT_HDR_FILE);
	f = k < 0 ? NULL : &m->files[k];
	if (!f || f->rec->type != CKPT_FILE_EPOLL || f->epoll)
		return ckpt_model_fail(m, "epoll items of file %u: not an epoll file defined before, or twice",
				       e->file_objref);
	for (uint32_t n = 0; n < e->nr_items; n++) {
		const struct ckpt_epoll_item *it = &items[n];
		const struct ckpt_m_file *t = ckpt_m_file_ref(m, it->file_objref);

		if (it->fd >= CKPT_FDS_MAX || it->reserved ||
		    (it->events & ~CKPT_EPOLL_EVENTS) || !t ||
		    t->rec->type == CKPT_FILE_EPOLL)
			return ckpt_model_fail(m, "epoll file %u: item %u: fd %u, file %u, events 0x%x, reserved %u",
					       e->file_objref, n, it->fd,
					       it->file_objref, it->events,
					       it->reserved);
		for (uint32_t p = 0; p < n; p++)
			if (items[p].fd == it->fd &&
			    items[p].file_objref == it->file_objref)
				return ckpt_model_fail(m, "epoll file %u: fd %u watched twice",
						       e->file_objref, it->fd);
	}
	m->epolls[m->nr_epolls].rec = e;
	m->epolls[m->nr_epolls].items = items;
	m->epolls[m->nr_epolls].file = f;
	m->epolls[m->nr_epolls].idx = i;
	f->epoll = &m->epolls[m->nr_epolls++];
	m->epolls_unlisted--;
	return 0;
}

/*
 * Once all tasks are read: each epoll file's items come after the files
 * of the fds of the first task that has it open and before that task, and
 * watch fds of that task, as the files they watch; each external file is
 * at its fd in the first task that has it open (an external file that no
 * fd holds is refused at checkpoint).
 */
static inline int ckpt_model_check_files(struct ckpt_model *m)
{
	for (size_t k = 0; k < m->nr_files; k++) {
		const struct ckpt_m_file *f = &m->files[k];
		const struct ckpt_m_task *first = NULL;
		const struct ckpt_fd *at = NULL;

		if (f->rec->type != CKPT_FILE_EPOLL &&
		    f->rec->type != CKPT_FILE_EXTERNAL)
			continue;
		for (size_t t = 0; t < m->nr_tasks && !first; t++) {
			const struct ckpt_m_task *task = &m->tasks[t];

			for (uint32_t n = 0; task->fdt && n < task->fdt->rec->nr_fds; n++) {
				if (task->fdt->fds[n].file_objref != f->rec->objref)
					continue;
				first = task;
				at = &task->fdt->fds[n];
				break;
			}
		}
		if (!first)
			return ckpt_model_fail(m, "file %u (%s): no task has it open",
					       f->rec->objref,
					       f->rec->type == CKPT_FILE_EPOLL ?
					       "epoll" : "external");
		if (f->rec->type == CKPT_FILE_EXTERNAL) {
			if (at->fd != f->rec->fd)
				return ckpt_model_fail(m, "external file %u: fd %u, but task %d has it first at fd %u",
						       f->rec->objref, f->rec->fd,
						       first->rec->pid, at->fd);
			continue;
		}
		m->epolls[f->epoll - m->epolls].task = first;
		if (f->epoll->idx > first->idx)
			return ckpt_model_fail(m, "epoll file %u: its items come after task %d, the first that has it open",
					       f->rec->objref, first->rec->pid);
		for (uint32_t n = 0; n < first->fdt->rec->nr_fds; n++) {
			const struct ckpt_m_file *used =
				ckpt_m_file_ref(m, first->fdt->fds[n].file_objref);

			if (used && used->idx > f->epoll->idx)
				return ckpt_model_fail(m, "epoll file %u: its items come before file %u of task %d",
						       f->rec->objref,
						       used->rec->objref,
						       first->rec->pid);
		}
		for (uint32_t n = 0; n < f->epoll->rec->nr_items; n++) {
			const struct ckpt_epoll_item *it = &f->epoll->items[n];
			const struct ckpt_fd *e = ckpt_m_fd(first, it->fd);

			if (!e || e->file_objref != it->file_objref)
				return ckpt_model_fail(m, "epoll file %u: fd %u of task %d is not the file %u it watches",
						       f->rec->objref, it->fd,
						       first->rec->pid,
						       it->file_objref);
		}
	}
	return 0;
}

static inline int ckpt_model_pipe(struct ckpt_model *m, size_t i)
{
	const struct ckpt_rec *rc = &m->r.rec[i];
	const struct ckpt_hdr_pipe *p = (const void *)rc->p;
	const uint32_t ps = (uint32_t)sysconf(_SC_PAGESIZE);

	if (rc->len < sizeof(*p) || rc->len != sizeof(*p) + p->len)
		return ckpt_model_fail(m, "record %zu: a pipe record of %u bytes",
				       i, rc->len);
	/* F_SETPIPE_SZ gives a power of two, a page at least. */
	if (p->size < ps || p->size > CKPT_PIPE_MAX ||
	    (p->size & (p->size - 1)) || p->len > p->size ||
	    (p->flags & ~CKPT_PIPE_FLAGS_ALL))
		return ckpt_model_fail(m, "pipe %u: size %u, %u bytes in it",
				       p->objref, p->size, p->len);
	if (ckpt_model_declare(m, p->objref, CKPT_HDR_PIPE, m->nr_pipes, i))
		return -1;
	m->pipes[m->nr_pipes].rec = p;
	m->pipes[m->nr_pipes].data = (const uint8_t *)(p + 1);
	m->pipes[m->nr_pipes].idx = i;
	m->nr_pipes++;
	return 0;
}

static inline int ckpt_model_attrs(struct ckpt_model *m,
				   const struct ckpt_rec *rc,
				   struct ckpt_m_task *task)
{
	const struct ckpt_hdr_task_attrs *a = (const void *)rc->p;
	bool rt;

	if (rc->len != sizeof(*a))
		return ckpt_model_fail(m, "task %d: an attributes record of %u bytes",
				       task->rec->pid, rc->len);
	rt = a->policy == SCHED_FIFO || a->policy == SCHED_RR;
	if ((a->flags & ~CKPT_ATTR_FLAGS_ALL) || a->nice < -20 ||
	    a->nice > 19 ||
	    (a->policy != SCHED_OTHER && a->policy != SCHED_BATCH &&
	     a->policy != SCHED_IDLE && !rt) ||
	    (rt ? a->rt_priority < 1 || a->rt_priority > 99 : a->rt_priority) ||
	    a->dumpable > 2 || a->pdeath_signal < 0 ||
	    a->pdeath_signal > CKPT_NSIG)
		return ckpt_model_fail(m, "task %d: bad flags 0x%x, nice %d, policy %u/%u, dumpable %u or parent-death signal %d",
				       task->rec->pid, a->flags, a->nice,
				       a->policy, a->rt_priority, a->dumpable,
				       a->pdeath_signal);
	if (!ckpt_user_addr(a->clear_child_tid) ||
	    !ckpt_user_addr(a->robust_list) || !ckpt_user_addr(a->rseq) ||
	    a->robust_list_len != (a->robust_list ? CKPT_ROBUST_LIST_LEN : 0) ||
	    (a->rseq ? a->rseq_len < CKPT_RSEQ_MIN_LEN ||
		       a->rseq % CKPT_RSEQ_MIN_LEN :
		       a->rseq_len || a->rseq_sig))
		return ckpt_model_fail(m, "task %d: bad clear_child_tid 0x%llx, robust list 0x%llx/%llu or rseq 0x%llx/%u",
				       task->rec->pid,
				       (unsigned long long)a->clear_child_tid,
				       (unsigned long long)a->robust_list,
				       (unsigned long long)a->robust_list_len,
				       (unsigned long long)a->rseq,
				       a->rseq_len);
	task->attrs = a;
	return 0;
}

static inline int ckpt_model_cred(struct ckpt_model *m,
				  const struct ckpt_rec *rc,
				  struct ckpt_m_task *task)
{
	const struct ckpt_hdr_cred *c = (const void *)rc->p;
	const uint32_t *g = (const void *)(c + 1);
	uint64_t glen;

	if (rc->len < sizeof(*c))
		return ckpt_model_fail(m, "task %d: a credentials record of %u bytes",
				       task->rec->pid, rc->len);
	/* The groups are padded to 8 bytes, in the record. */
	glen = (uint64_t)c->nr_groups * 4;
	if (c->nr_groups > CKPT_GROUPS_MAX ||
	    rc->len != sizeof(*c) + ckpt_align(glen) ||
	    !ckpt_is_zero((const uint8_t *)g + glen,
			  rc->len - sizeof(*c) - glen))
		return ckpt_model_fail(m, "task %d: %u groups in a credentials record of %u bytes",
				       task->rec->pid, c->nr_groups, rc->len);
	if ((c->cap_inheritable | c->cap_permitted | c->cap_effective |
	     c->cap_bset | c->cap_ambient) & ~CKPT_CAP_ALL ||
	    (c->cap_effective & ~c->cap_permitted) ||
	    (c->cap_ambient & ~(c->cap_permitted & c->cap_inheritable)) ||
	    (c->securebits & ~CKPT_SECUREBITS_ALL))
		return ckpt_model_fail(m, "task %d: capabilities no task can have (effective 0x%llx, permitted 0x%llx, ambient 0x%llx), or securebits 0x%x",
				       task->rec->pid,
				       (unsigned long long)c->cap_effective,
				       (unsigned long long)c->cap_permitted,
				       (unsigned long long)c->cap_ambient,
				       c->securebits);
	/* The kernel keeps them sorted (groups_sort()). */
	for (uint32_t k = 1; k < c->nr_groups; k++)
		if (g[k] < g[k - 1])
			return ckpt_model_fail(m, "task %d: groups not sorted (%u after %u)",
					       task->rec->pid, g[k], g[k - 1]);
	task->cred = c;
	task->groups = g;
	return 0;
}

static inline int ckpt_model_fd_table(struct ckpt_model *m, size_t i,
				      struct ckpt_m_task *task)
{
	const struct ckpt_rec *rc = &m->r.rec[i];
	const struct ckpt_hdr_fd_table *t = (const void *)rc->p;
	const struct ckpt_fd *fds = (const void *)(t + 1);
	long k;

	if (rc->len < sizeof(*t) || t->nr_fds > CKPT_FDS_MAX ||
	    rc->len != sizeof(*t) + (uint64_t)t->nr_fds * sizeof(*fds))
		return ckpt_model_fail(m, "task %d: an fd table record of %u bytes for %u fds",
				       task->rec->pid, rc->len, t->nr_fds);
	task->fdt_rec = t;
	k = ckpt_m_obj(m, t->objref, CKPT_HDR_FD_TABLE);
	if (k >= 0) {
		/* Shared with a task before: written in full there. */
		if (t->nr_fds)
			return ckpt_model_fail(m, "task %d: fd table %u again, with %u entries",
					       task->rec->pid, t->objref,
					       t->nr_fds);
		task->fdt = &m->fdts[k];
	} else {
		for (uint32_t n = 0; n < t->nr_fds; n++) {
			const struct ckpt_fd *e = &fds[n];

			if ((n && e->fd <= fds[n - 1].fd) ||
			    e->fd >= CKPT_FDS_MAX)
				return ckpt_model_fail(m, "task %d: fd %u after fd %u in its table",
						       task->rec->pid, e->fd,
						       n ? fds[n - 1].fd : 0);
			if (!ckpt_m_file_ref(m, e->file_objref))
				return ckpt_model_fail(m, "task %d: fd %u is file %u, not a file defined before",
						       task->rec->pid, e->fd,
						       e->file_objref);
			if ((e->flags & ~CKPT_FD_CLOEXEC) || e->reserved)
				return ckpt_model_fail(m, "task %d: fd %u has flags 0x%x",
						       task->rec->pid, e->fd,
						       e->flags);
		}
		if (ckpt_model_declare(m, t->objref, CKPT_HDR_FD_TABLE,
				       m->nr_fdts, i))
			return -1;
		m->fdts[m->nr_fdts].rec = t;
		m->fdts[m->nr_fdts].fds = fds;
		m->fdts[m->nr_fdts].idx = i;
		task->fdt = &m->fdts[m->nr_fdts++];
	}
	if (task->rec->nr_files != task->fdt->rec->nr_fds)
		return ckpt_model_fail(m, "task %d: %u open files in its task record, %u in its fd table",
				       task->rec->pid, task->rec->nr_files,
				       task->fdt->rec->nr_fds);
	return 0;
}

/* The fs record at @*ip and its strings (which it skips). */
static inline int ckpt_model_fs(struct ckpt_model *m, size_t *ip,
				struct ckpt_m_task *task)
{
	size_t i = *ip;
	const struct ckpt_rec *rc = &m->r.rec[i];
	const struct ckpt_hdr_fs *f = (const void *)rc->p;
	struct ckpt_m_fs *mf;
	long k;

	if (rc->len != sizeof(*f) || f->umask > 0777)
		return ckpt_model_fail(m, "task %d: an fs record of %u bytes, umask 0%o",
				       task->rec->pid, rc->len, f->umask);
	task->fs_rec = f;
	k = ckpt_m_obj(m, f->objref, CKPT_HDR_FS);
	if (k >= 0) {
		/* Shared with a task before: written in full again, the same. */
		const char *root = NULL, *cwd = NULL;

		task->fs = &m->fss[k];
		if (ckpt_model_path(m, i + 1, "fs root of", f->objref, &root) ||
		    ckpt_model_path(m, i + 2, "fs cwd of", f->objref, &cwd))
			return -1;
		if (strcmp(root, task->fs->root) || strcmp(cwd, task->fs->cwd) ||
		    f->umask != task->fs->rec->umask)
			return ckpt_model_fail(m, "task %d: fs %u again, but not the same",
					       task->rec->pid, f->objref);
		*ip += 2;
		return 0;
	}
	if (ckpt_model_declare(m, f->objref, CKPT_HDR_FS, m->nr_fss, i))
		return -1;
	mf = &m->fss[m->nr_fss];
	mf->rec = f;
	mf->idx = i;
	if (ckpt_model_path(m, i + 1, "fs root of", f->objref, &mf->root) ||
	    ckpt_model_path(m, i + 2, "fs cwd of", f->objref, &mf->cwd))
		return -1;
	*ip += 2;
	task->fs = &m->fss[m->nr_fss++];
	return 0;
}

static inline int ckpt_model_sighand(struct ckpt_model *m, size_t i,
				     struct ckpt_m_task *task)
{
	const struct ckpt_rec *rc = &m->r.rec[i];
	const struct ckpt_hdr_sighand *s = (const void *)rc->p;
	const struct ckpt_sigaction *act = (const void *)(s + 1);
	long k;

	if (rc->len < sizeof(*s) ||
	    rc->len != sizeof(*s) + (uint64_t)s->nr * sizeof(*act))
		return ckpt_model_fail(m, "task %d: a handlers record of %u bytes for %u actions",
				       task->rec->pid, rc->len, s->nr);
	task->sighand_rec = s;
	k = ckpt_m_obj(m, s->objref, CKPT_HDR_SIGHAND);
	/* CLONE_THREAD takes CLONE_SIGHAND: a thread has its leader's. */
	if (task->rec->pid != task->rec->tgid &&
	    (k < 0 || task->leader->sighand != &m->sighands[k]))
		return ckpt_model_fail(m, "task %d: handlers %u, not those of its leader",
				       task->rec->pid, s->objref);
	if (k >= 0) {
		if (s->nr)
			return ckpt_model_fail(m, "task %d: handlers %u again, with %u actions",
					       task->rec->pid, s->objref, s->nr);
		task->sighand = &m->sighands[k];
		return 0;
	}
	if (s->nr != CKPT_NSIG)
		return ckpt_model_fail(m, "task %d: handlers %u with %u actions, not %d",
				       task->rec->pid, s->objref, s->nr,
				       CKPT_NSIG);
	for (int sig = 1; sig <= CKPT_NSIG; sig++) {
		const struct ckpt_sigaction *a = &act[sig - 1];
		bool fixed = sig == SIGKILL || sig == SIGSTOP;

		if ((a->handler > 1 && !ckpt_user_addr(a->handler)) ||
		    !ckpt_user_addr(a->restorer) ||
		    (a->flags & ~CKPT_SA_FLAGS_ALL) ||
		    (a->mask & CKPT_SIG_UNBLOCKABLE) ||
		    (fixed && (a->handler || a->flags || a->mask ||
			       a->restorer)))
			return ckpt_model_fail(m, "task %d: signal %d: handler 0x%llx, flags 0x%llx, mask 0x%llx, restorer 0x%llx",
					       task->rec->pid, sig,
					       (unsigned long long)a->handler,
					       (unsigned long long)a->flags,
					       (unsigned long long)a->mask,
					       (unsigned long long)a->restorer);
	}
	if (ckpt_model_declare(m, s->objref, CKPT_HDR_SIGHAND, m->nr_sighands,
			       i))
		return -1;
	m->sighands[m->nr_sighands].rec = s;
	m->sighands[m->nr_sighands].action = act;
	m->sighands[m->nr_sighands].idx = i;
	task->sighand = &m->sighands[m->nr_sighands++];
	return 0;
}

/*
 * @task's signal record: *@first says whether it is the first of its
 * process's (the one that defines it), *@nr_timers how many POSIX timer
 * records follow it.  The timers (and the pending signals) of a process go
 * with its first task: a thread names the signal state again, without.
 */
static inline int ckpt_model_signal(struct ckpt_model *m, size_t i,
				    struct ckpt_m_task *task, bool *first,
				    uint32_t *nr_timers, size_t timers_left)
{
	const struct ckpt_rec *rc = &m->r.rec[i];
	const struct ckpt_hdr_signal *s = (const void *)rc->p;
	long k;

	if (rc->len != sizeof(*s) || s->reserved)
		return ckpt_model_fail(m, "task %d: a signal record of %u bytes (reserved %u)",
				       task->rec->pid, rc->len,
				       rc->len >= sizeof(*s) ? s->reserved : 0);
	if (s->nr_posix_timers > CKPT_POSIX_TIMERS_MAX ||
	    s->nr_posix_timers > timers_left ||
	    s->next_posix_timer_id > INT_MAX)
		return ckpt_model_fail(m, "task %d: %u POSIX timers (%zu records of them left), next id %u",
				       task->rec->pid, s->nr_posix_timers,
				       timers_left, s->next_posix_timer_id);
	task->signal_rec = s;
	*nr_timers = s->nr_posix_timers;
	k = ckpt_m_obj(m, s->objref, CKPT_HDR_SIGNAL);
	*first = k < 0;
	if (k >= 0) {
		if (s->nr_posix_timers)
			return ckpt_model_fail(m, "task %d: signal state %u again, with %u POSIX timers",
					       task->rec->pid, s->objref,
					       s->nr_posix_timers);
		/* Only the threads of a process share its signal state. */
		if (m->signals[k].tgid != task->rec->tgid)
			return ckpt_model_fail(m, "task %d: the signal state %u of process %d, not its own (%d)",
					       task->rec->pid, s->objref,
					       m->signals[k].tgid,
					       task->rec->tgid);
		task->signal = &m->signals[k];
		return 0;
	}
	if (task->rec->pid != task->rec->tgid)
		return ckpt_model_fail(m, "task %d: a thread with a signal state (%u) of its own, not its leader's",
				       task->rec->pid, s->objref);
	for (int r = 0; r < CKPT_NR_RLIMITS; r++)
		if (s->rlim[r].cur > s->rlim[r].max)
			return ckpt_model_fail(m, "task %d: rlimit %d: soft limit %llu above the hard limit %llu",
					       task->rec->pid, r,
					       (unsigned long long)s->rlim[r].cur,
					       (unsigned long long)s->rlim[r].max);
	for (int t = 0; t < CKPT_NR_ITIMERS; t++)
		if ((int64_t)s->itimer[t].value < 0 ||
		    (int64_t)s->itimer[t].interval < 0)
			return ckpt_model_fail(m, "task %d: itimer %d: %lld ns left, interval %lld",
					       task->rec->pid, t,
					       (long long)s->itimer[t].value,
					       (long long)s->itimer[t].interval);
	if (ckpt_model_declare(m, s->objref, CKPT_HDR_SIGNAL, m->nr_signals, i))
		return -1;
	m->signals[m->nr_signals].rec = s;
	m->signals[m->nr_signals].idx = i;
	m->signals[m->nr_signals].tgid = task->rec->tgid;
	task->signal = &m->signals[m->nr_signals++];
	return 0;
}

/*
 * The @n-th POSIX timer of @task's process (format version 3): ids
 * strictly increasing, from 0 to INT_MAX; a clock that counts wall or
 * elapsed time; a notification restart knows, to a thread of the process
 * if to a thread (checked once all tasks are read: its threads come
 * after it); a signal unless it notifies not at all; times restart can set;
 * overrun counts timer_getoverrun(2) could give.  And what only a real
 * timer has: no reserved bits, time left if it is periodic.
 */
static inline int ckpt_model_posix_timer(struct ckpt_model *m,
					 const struct ckpt_rec *rc,
					 struct ckpt_m_task *task, uint32_t n)
{
	const struct ckpt_hdr_posix_timer *t = (const void *)rc->p;
	struct ckpt_m_signal *sig = (struct ckpt_m_signal *)task->signal;
	bool has_tid;

	if (rc->len != sizeof(*t))
		return ckpt_model_fail(m, "task %d: a POSIX timer record of %u bytes",
				       task->rec->pid, rc->len);
	has_tid = t->notify & SIGEV_THREAD_ID;
	if (t->id < 0)
		return ckpt_model_fail(m, "task %d: POSIX timer %d: a negative id",
				       task->rec->pid, t->id);
	if (n && t->id <= sig->timers[n - 1]->id)
		return ckpt_model_fail(m, "task %d: POSIX timer %d after timer %d",
				       task->rec->pid, t->id,
				       sig->timers[n - 1]->id);
	if (!ckpt_timer_clock_ok(t->clock) || !ckpt_timer_notify_ok(t->notify) ||
	    (has_tid ? t->notify_tid <= 0 : t->notify_tid != 0) ||
	    (t->notify != SIGEV_NONE && (t->signo < 1 || t->signo > CKPT_NSIG)) ||
	    t->reserved)
		return ckpt_model_fail(m, "task %d: POSIX timer %d: clock %d, notify %d (thread %d), signal %u, reserved %u",
				       task->rec->pid, t->id, t->clock,
				       t->notify, t->notify_tid, t->signo,
				       t->reserved);
	if (t->left > (uint64_t)CKPT_KTIME_MAX ||
	    t->interval > (uint64_t)CKPT_KTIME_MAX ||
	    (t->interval && !t->left) || t->overrun < -1 ||
	    t->overrun_last < 0)
		return ckpt_model_fail(m, "task %d: POSIX timer %d: %llu ns left, interval %llu, overruns %lld and %lld",
				       task->rec->pid, t->id,
				       (unsigned long long)t->left,
				       (unsigned long long)t->interval,
				       (long long)t->overrun,
				       (long long)t->overrun_last);
	sig->timers[n] = t;
	return 0;
}

/* The index of @task's process's POSIX timer @id, or -1 */
static inline long ckpt_m_timer_idx(const struct ckpt_m_task *task, int32_t id)
{
	if (!task->signal || !task->signal->timers)
		return -1;
	for (uint32_t k = 0; k < task->signal->rec->nr_posix_timers; k++)
		if (task->signal->timers[k]->id == id)
			return k;
	return -1;
}

/* @task's process's POSIX timer @id, or NULL */
static inline const struct ckpt_hdr_posix_timer *
ckpt_m_timer(const struct ckpt_m_task *task, int32_t id)
{
	long k = ckpt_m_timer_idx(task, id);

	return k < 0 ? NULL : task->signal->timers[k];
}

static inline int ckpt_model_task_signal(struct ckpt_model *m,
					 const struct ckpt_rec *rc,
					 struct ckpt_m_task *task)
{
	const struct ckpt_hdr_task_signal *s = (const void *)rc->p;

	if (rc->len != sizeof(*s) || (s->blocked & CKPT_SIG_UNBLOCKABLE) ||
	    (s->altstack_flags & ~CKPT_SS_AUTODISARM) ||
	    (s->altstack_size ?
	     s->altstack_size < CKPT_MINSIGSTKSZ ||
	     !ckpt_user_addr(s->altstack_sp) ||
	     s->altstack_size >= CKPT_USER_MAX :
	     s->altstack_sp || s->altstack_flags) ||
	    s->nr_pending > CKPT_PENDING_MAX)
		return ckpt_model_fail(m, "task %d: bad signal state: blocked 0x%llx, altstack 0x%llx/%llu/0x%x, %u pending",
				       task->rec->pid,
				       (unsigned long long)s->blocked,
				       (unsigned long long)s->altstack_sp,
				       (unsigned long long)s->altstack_size,
				       s->altstack_flags, s->nr_pending);
	task->tsig = s;
	return 0;
}

/*
 * A pending signal of @task, the @n-th: the task's own come first, then,
 * for the first task of a process only, its process's.  A signal below
 * SIGRTMIN is queued at most once per queue.  The signal of a POSIX timer
 * (CKPT_SIGINFO_TIMER) is one of the process's timers' (not notifying
 * by no signal), with its number, and pending for the process unless the
 * timer signals a thread; each timer's at most once.  (The writer writes
 * the timer's own siginfo: its si_value too.)
 */
static inline int ckpt_model_siginfo(struct ckpt_model *m,
				     const struct ckpt_rec *rc,
				     struct ckpt_m_task *task, uint32_t n,
				     bool first_of_process)
{
	const struct ckpt_hdr_siginfo *si = (const void *)rc->p;
	int32_t si_signo;
	bool shared;

	if (rc->len != sizeof(*si))
		return ckpt_model_fail(m, "task %d: a siginfo record of %u bytes",
				       task->rec->pid, rc->len);
	memcpy(&si_signo, si->info, sizeof(si_signo));
	if (si->signo < 1 || si->signo > CKPT_NSIG || si->signo == SIGKILL ||
	    (si->flags & ~CKPT_SIGINFO_FLAGS_ALL) ||
	    si_signo != (int32_t)si->signo)
		return ckpt_model_fail(m, "task %d: pending signal %u (si_signo %d), flags 0x%x",
				       task->rec->pid, si->signo, si_signo,
				       si->flags);
	shared = si->flags & CKPT_SIGINFO_SHARED;
	if (shared && !first_of_process)
		return ckpt_model_fail(m, "task %d: a process's pending signal %u in a task after its first",
				       task->rec->pid, si->signo);
	if (n && !shared && (task->siginfo[n - 1]->flags & CKPT_SIGINFO_SHARED))
		return ckpt_model_fail(m, "task %d: its own pending signal %u after its process's",
				       task->rec->pid, si->signo);
	for (uint32_t k = 0; k < n && si->signo < 32; k++)
		if (task->siginfo[k]->signo == si->signo &&
		    (task->siginfo[k]->flags & CKPT_SIGINFO_SHARED) ==
		    (si->flags & CKPT_SIGINFO_SHARED))
			return ckpt_model_fail(m, "task %d: signal %u pending twice in one queue",
					       task->rec->pid, si->signo);
	if (si->flags & CKPT_SIGINFO_TIMER) {
		int32_t id = ckpt_si_int(si, CKPT_SI_TIMERID_OFF);
		long k = ckpt_m_timer_idx(task, id);
		const struct ckpt_hdr_posix_timer *t = k < 0 ? NULL :
			task->signal->timers[k];
		uint64_t value;

		memcpy(&value, si->info + CKPT_SI_VALUE_OFF, sizeof(value));
		/* pending for a thread: the one the timer signals */
		if (ckpt_si_int(si, CKPT_SI_CODE_OFF) != SI_TIMER || !t ||
		    task->signal->queued[k] || t->notify == SIGEV_NONE ||
		    t->signo != si->signo ||
		    shared == !!(t->notify & SIGEV_THREAD_ID) ||
		    (!shared && t->notify_tid != task->rec->pid) ||
		    value != t->value)
			return ckpt_model_fail(m, "task %d: pending signal %u (code %d) of POSIX timer %d: not that timer's, or twice",
					       task->rec->pid, si->signo,
					       ckpt_si_int(si, CKPT_SI_CODE_OFF),
					       id);
		task->signal->queued[k] = true;
	}
	task->siginfo[n] = si;
	return 0;
}

/* The signals that stop a process (job control): what stop_signo holds. */
static inline bool ckpt_stop_signal(uint32_t sig)
{
	return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN ||
	       sig == SIGTTOU;
}

/*
 * A task record (format version 4), against the tasks before it: its
 * fields, and its place in the tree.  Tasks come in the order restart
 * creates them: the container's init first (no parent in the image), a
 * process after its parent, a live process; a thread after its leader, a
 * live process, with its leader's parent, process group, session and stop.
 * Pids are unique; process groups and sessions are 0 (outside the
 * container, where its init was started) or positive, and hang together
 * as the kernel's do: a session leader leads its process group, a group
 * outside is in the session outside, and the tasks of a group are in one
 * session (the group's leader may be gone).  A stopped process (all its
 * tasks) has the signal that stopped it; the stop of a zombie, nothing.
 */
static inline int ckpt_model_task_rec(struct ckpt_model *m,
				      const struct ckpt_rec *rc,
				      struct ckpt_m_task *task)
{
	const struct ckpt_hdr_task *t = (const void *)rc->p;
	bool zombie, thread, stopped;

	if (rc->len != sizeof(*t))
		return ckpt_model_fail(m, "record %zu: a task record of %u bytes, not %zu",
				       (size_t)(rc - m->r.rec), rc->len,
				       sizeof(*t));
	zombie = t->flags & CKPT_TASK_ZOMBIE;
	stopped = t->flags & CKPT_TASK_STOPPED;
	thread = t->pid != t->tgid;
	if (t->pid <= 0 || t->tgid <= 0 || t->ppid < 0 ||
	    (thread ? t->exit_signal != -1 :
		      t->exit_signal < 0 || t->exit_signal >= CKPT_KERNEL_NSIG) ||
	    (t->flags & ~CKPT_TASK_FLAGS_ALL) || t->reserved || t->reserved2 ||
	    strnlen(t->comm, sizeof(t->comm)) == sizeof(t->comm))
		return ckpt_model_fail(m, "task %d: bad length, pid, tgid %d, parent %d, exit signal %d, flags 0x%x or name",
				       t->pid, t->tgid, t->ppid, t->exit_signal,
				       t->flags);
	if (t->pgid < 0 || t->sid < 0)
		return ckpt_model_fail(m, "task %d: process group %d, session %d",
				       t->pid, t->pgid, t->sid);
	if (stopped ? !ckpt_stop_signal(t->stop_signo) || zombie :
		      t->stop_signo || (t->flags & CKPT_TASK_STOP_UNREPORTED))
		return ckpt_model_fail(m, "task %d: flags 0x%x with stop signal %u",
				       t->pid, t->flags, t->stop_signo);
	if (zombie && (t->mm_objref || t->nr_files || thread))
		return ckpt_model_fail(m, "task %d: a zombie with memory or files, or a zombie thread",
				       t->pid);
	if (!zombie && t->exit_code)
		return ckpt_model_fail(m, "task %d: a live task with exit code %d",
				       t->pid, t->exit_code);
	if (ckpt_m_task_pid(m, t->pid))
		return ckpt_model_fail(m, "task %d: a second task of that pid",
				       t->pid);

	task->rec = t;
	if (!m->nr_tasks) {
		if (t->ppid || thread)
			return ckpt_model_fail(m, "task %d: the first task (tgid %d, parent %d) is not the init",
					       t->pid, t->tgid, t->ppid);
	} else if (!thread) {
		const struct ckpt_m_task *p = ckpt_m_task_pid(m, t->ppid);

		if (!t->ppid || !p || p->rec->pid != p->rec->tgid ||
		    (p->rec->flags & CKPT_TASK_ZOMBIE))
			return ckpt_model_fail(m, "task %d: its parent %d is not a live process before it",
					       t->pid, t->ppid);
		task->parent = p;
	}
	if (thread) {
		const struct ckpt_m_task *l = ckpt_m_task_pid(m, t->tgid);

		if (!l || l->rec->pid != l->rec->tgid ||
		    (l->rec->flags & CKPT_TASK_ZOMBIE))
			return ckpt_model_fail(m, "task %d: its leader %d is not a live process before it",
					       t->pid, t->tgid);
		if (t->ppid != l->rec->ppid || t->pgid != l->rec->pgid ||
		    t->sid != l->rec->sid ||
		    (t->flags & CKPT_TASK_STOPPED) !=
		    (l->rec->flags & CKPT_TASK_STOPPED) ||
		    t->stop_signo != l->rec->stop_signo ||
		    t->mm_objref != l->rec->mm_objref)
			return ckpt_model_fail(m, "task %d: not the parent, group, session, stop or mm of its leader %d",
					       t->pid, t->tgid);
		task->leader = l;
		task->parent = l->parent;
	} else {
		task->leader = task;
	}
	if ((t->sid == t->pid && t->pgid != t->pid) || (!t->pgid && t->sid))
		return ckpt_model_fail(m, "task %d: process group %d of session %d",
				       t->pid, t->pgid, t->sid);
	for (size_t k = 0; t->pgid && k < m->nr_tasks; k++)
		if (m->tasks[k].rec->pgid == t->pgid &&
		    m->tasks[k].rec->sid != t->sid)
			return ckpt_model_fail(m, "task %d: process group %d in session %d, and in %d with task %d",
					       t->pid, t->pgid, t->sid,
					       m->tasks[k].rec->sid,
					       m->tasks[k].rec->pid);
	return 0;
}

/*
 * The records of IPC objects (format version 4), right after the
 * namespaces record: SysV objects, the SEM_UNDO adjustments of
 * processes, POSIX message queues.
 */
static inline bool ckpt_is_ipc(uint32_t type)
{
	return type == CKPT_HDR_IPC_SHM || type == CKPT_HDR_IPC_SEM ||
	       type == CKPT_HDR_IPC_MSG || type == CKPT_HDR_IPC_SEM_UNDO ||
	       type == CKPT_HDR_IPC_MQUEUE;
}

/*
 * The owner, creator and permissions of a SysV IPC object (@what in
 * messages): an id after the one before it of its kind (*@last, -1
 * before the first), permission bits only, owners that a user namespace
 * maps (not -1), the reserved field zero.
 */
static inline int ckpt_model_ipc_perm(struct ckpt_model *m, const char *what,
				      const struct ckpt_ipc_perm *p,
				      int32_t *last)
{
	if (p->id < 0 || p->id <= *last || (p->mode & ~0777U) ||
	    p->uid == (uint32_t)-1 || p->gid == (uint32_t)-1 ||
	    p->cuid == (uint32_t)-1 || p->cgid == (uint32_t)-1 ||
	    p->reserved)
		return ckpt_model_fail(m, "%s %d: id (after %d), mode 0%o, owner %u:%u, creator %u:%u or reserved field",
				       what, p->id, *last, p->mode, p->uid,
				       p->gid, p->cuid, p->cgid);
	*last = p->id;
	return 0;
}

/*
 * A shared memory segment at m->r.rec[*@ip]: 1 byte to 2^63 - 1, a key
 * IPC_PRIVATE if it was removed while attached (CKPT_SHM_DEST), a new
 * object; its contents follow as a memfd's, which it skips.
 */
static inline int ckpt_model_ipc_shm(struct ckpt_model *m, size_t *ip,
				     int32_t *last, size_t *pages_used)
{
	const struct ckpt_rec *rc = &m->r.rec[*ip];
	const struct ckpt_hdr_ipc_shm *s = (const void *)rc->p;
	struct ckpt_m_ipc_shm *shm = &m->shms[m->nr_shms];

	if (rc->len != sizeof(*s))
		return ckpt_model_fail(m, "record %zu: a SysV shared memory record of %u bytes",
				       *ip, rc->len);
	if (ckpt_model_ipc_perm(m, "SysV shared memory", &s->perm, last))
		return -1;
	if ((s->flags & ~CKPT_SHM_FLAGS_ALL) || !s->size ||
	    s->size > INT64_MAX || ((s->flags & CKPT_SHM_DEST) && s->perm.key))
		return ckpt_model_fail(m, "SysV shared memory %d: flags 0x%x, size %llu or key 0x%x",
				       s->perm.id, s->flags,
				       (unsigned long long)s->size,
				       (uint32_t)s->perm.key);
	if (ckpt_model_declare(m, s->objref, CKPT_HDR_IPC_SHM, m->nr_shms,
			       *ip))
		return -1;
	shm->rec = s;
	(*ip)++;
	if (ckpt_model_contents(m, ip, "SysV shared memory", s->objref,
				s->size, &shm->pages, &shm->nr_pages,
				pages_used))
		return -1;
	m->nr_shms++;
	return 0;
}

/*
 * A semaphore set: 1 to CKPT_SEMS_MAX values of at most SEMVMX, padded
 * with zeros to 8 bytes, that fill the record.
 */
static inline int ckpt_model_ipc_sem(struct ckpt_model *m, size_t i,
				     int32_t *last)
{
	const struct ckpt_rec *rc = &m->r.rec[i];
	const struct ckpt_hdr_ipc_sem *s = (const void *)rc->p;
	const uint16_t *vals = (const void *)(s + 1);
	size_t bytes;

	if (rc->len < sizeof(*s))
		return ckpt_model_fail(m, "record %zu: a semaphore set record of %u bytes",
				       i, rc->len);
	bytes = (size_t)s->nsems * sizeof(*vals);
	if (ckpt_model_ipc_perm(m, "semaphore set", &s->perm, last))
		return -1;
	if (!s->nsems || s->nsems > CKPT_SEMS_MAX || s->reserved ||
	    rc->len != sizeof(*s) + ckpt_align(bytes) ||
	    !ckpt_is_zero((const uint8_t *)vals + bytes,
			  ckpt_align(bytes) - bytes))
		return ckpt_model_fail(m, "semaphore set %d: %u values in a record of %u bytes, reserved field or padding",
				       s->perm.id, s->nsems, rc->len);
	for (uint32_t k = 0; k < s->nsems; k++)
		if (vals[k] > 32767)	/* SEMVMX */
			return ckpt_model_fail(m, "semaphore set %d: semaphore %u at %u",
					       s->perm.id, k, vals[k]);
	m->sems[m->nr_sems].rec = s;
	m->sems[m->nr_sems].vals = vals;
	m->nr_sems++;
	return 0;
}

/*
 * A message queue: a capacity of at most INT_MAX bytes, its messages,
 * each of a type above 0 and its text padded with zeros to 8 bytes,
 * that fill the record exactly (at most CKPT_MSGQ_MAX bytes of them).
 */
static inline int ckpt_model_ipc_msg(struct ckpt_model *m, size_t i,
				     int32_t *last)
{
	const struct ckpt_rec *rc = &m->r.rec[i];
	const struct ckpt_hdr_ipc_msg *q = (const void *)rc->p;
	const uint8_t *p = (const void *)(q + 1), *end = rc->p + rc->len;

	if (rc->len < sizeof(*q) || rc->len - sizeof(*q) > CKPT_MSGQ_MAX)
		return ckpt_model_fail(m, "record %zu: a message queue record of %u bytes",
				       i, rc->len);
	if (ckpt_model_ipc_perm(m, "message queue", &q->perm, last))
		return -1;
	if (q->reserved || q->qbytes > INT_MAX)
		return ckpt_model_fail(m, "message queue %d: capacity %llu or reserved field",
				       q->perm.id,
				       (unsigned long long)q->qbytes);
	for (uint32_t k = 0; k < q->nr_msgs; k++) {
		struct ckpt_ipc_msg msg;
		size_t left = (size_t)(end - p);

		if (left < sizeof(msg))
			return ckpt_model_fail(m, "message queue %d: message %u of %u is not in the record",
					       q->perm.id, k, q->nr_msgs);
		memcpy(&msg, p, sizeof(msg));
		left -= sizeof(msg);
		if (msg.mtype <= 0 || msg.size > left ||
		    ckpt_align(msg.size) > left ||
		    !ckpt_is_zero(p + sizeof(msg) + msg.size,
				  ckpt_align(msg.size) - msg.size))
			return ckpt_model_fail(m, "message queue %d: message %u: type %lld, %llu bytes, or padding",
					       q->perm.id, k,
					       (long long)msg.mtype,
					       (unsigned long long)msg.size);
		p += sizeof(msg) + ckpt_align(msg.size);
	}
	if (p != end)
		return ckpt_model_fail(m, "message queue %d: %zu bytes after its %u messages",
				       q->perm.id, (size_t)(end - p),
				       q->nr_msgs);
	m->msgqs[m->nr_msgqs].rec = q;
	m->msgqs[m->nr_msgqs].msgs = (const void *)(q + 1);
	m->nr_msgqs++;
	return 0;
}

/*
 * The SEM_UNDO adjustments of a process on a set, as
 * ckpt_read_ipc_sem_undo() takes them: of a pid above 0, on a set before
 * them with as many semaphores, each within -SEMVMX to SEMVMX, padded
 * with zeros to 8 bytes, filling the record; a process's records
 * together (a process that had some, then another one, has none again),
 * by increasing set id.  That the process is a live one of the image is
 * checked once all tasks are read (ckpt_model_check_undos()).
 */
static inline int ckpt_model_ipc_sem_undo(struct ckpt_model *m, size_t i)
{
	const struct ckpt_rec *rc = &m->r.rec[i];
	const struct ckpt_hdr_ipc_sem_undo *u = (const void *)rc->p;
	const int16_t *adj = (const void *)(u + 1);
	const struct ckpt_m_sem_undo *last =
		m->nr_undos ? &m->undos[m->nr_undos - 1] : NULL;
	const struct ckpt_m_ipc_sem *set = NULL;
	size_t bytes;

	if (rc->len < sizeof(*u))
		return ckpt_model_fail(m, "record %zu: a SEM_UNDO record of %u bytes",
				       i, rc->len);
	for (size_t k = 0; k < m->nr_sems && !set; k++)
		if (m->sems[k].rec->perm.id == u->semid)
			set = &m->sems[k];
	bytes = (size_t)u->nsems * sizeof(*adj);
	if (u->pid <= 0 || !set || set->rec->nsems != u->nsems ||
	    u->reserved || rc->len != sizeof(*u) + ckpt_align(bytes) ||
	    !ckpt_is_zero((const uint8_t *)adj + bytes,
			  ckpt_align(bytes) - bytes))
		return ckpt_model_fail(m, "SEM_UNDO of process %d: set %d not before it or not of %u semaphores, a record of %u bytes, reserved field or padding",
				       u->pid, u->semid, u->nsems, rc->len);
	if (last && last->rec->pid == u->pid && u->semid <= last->rec->semid)
		return ckpt_model_fail(m, "SEM_UNDO of process %d: set %d after set %d",
				       u->pid, u->semid, last->rec->semid);
	for (size_t k = 0; last && last->rec->pid != u->pid &&
			   k < m->nr_undos; k++)
		if (m->undos[k].rec->pid == u->pid)
			return ckpt_model_fail(m, "SEM_UNDO of process %d: again, after process %d's",
					       u->pid, last->rec->pid);
	for (uint32_t k = 0; k < u->nsems; k++)
		if (adj[k] < -32767)	/* -SEMVMX */
			return ckpt_model_fail(m, "SEM_UNDO of process %d on set %d: adjustment %u is %d",
					       u->pid, u->semid, k, adj[k]);
	m->undos[m->nr_undos].rec = u;
	m->undos[m->nr_undos].adj = adj;
	m->nr_undos++;
	return 0;
}

/*
 * Once all tasks are read, as ckpt_ipc_check() does: each process with
 * SEM_UNDO adjustments is a live process of the image, a thread group
 * leader.
 */
static inline int ckpt_model_check_undos(struct ckpt_model *m)
{
	for (size_t k = 0; k < m->nr_undos; k++) {
		pid_t pid = m->undos[k].rec->pid;
		const struct ckpt_m_task *t = ckpt_m_task_pid(m, pid);

		if (!t || t->rec->tgid != pid ||
		    (t->rec->flags & CKPT_TASK_ZOMBIE))
			return ckpt_model_fail(m, "SEM_UNDO of process %d, which is no live process of the image",
					       pid);
	}
	return 0;
}

/*
 * A POSIX message queue, as ckpt_read_ipc_mqueue() takes it: a name of
 * one path component (not "." or ".."), NUL-terminated and zero-padded,
 * after the name of the queue before it (*@last, "" before the first);
 * permission bits only, an owner that a user namespace maps (not -1),
 * attributes above 0, at most its maximum of messages, a new object; its
 * messages, each of a priority below MQ_PRIO_MAX and of at most its
 * message size (as mq_ckpt_create() takes them), its text padded with
 * zeros to 8 bytes, that fill the record exactly (at most CKPT_MSGQ_MAX
 * bytes of them).
 */
static inline int ckpt_model_ipc_mqueue(struct ckpt_model *m, size_t i,
					const char **last)
{
	const struct ckpt_rec *rc = &m->r.rec[i];
	const struct ckpt_hdr_ipc_mqueue *q = (const void *)rc->p;
	const uint8_t *p = (const void *)(q + 1), *end = rc->p + rc->len;
	size_t len;

	if (rc->len < sizeof(*q) || rc->len - sizeof(*q) > CKPT_MSGQ_MAX)
		return ckpt_model_fail(m, "record %zu: a POSIX message queue record of %u bytes",
				       i, rc->len);
	len = strnlen(q->name, sizeof(q->name));
	if (!len || len == sizeof(q->name) || memchr(q->name, '/', len) ||
	    !strcmp(q->name, ".") || !strcmp(q->name, "..") ||
	    !ckpt_is_zero(q->name + len, sizeof(q->name) - len))
		return ckpt_model_fail(m, "POSIX message queue %u: a bad name",
				       q->objref);
	if (strcmp(q->name, *last) <= 0 || (q->mode & ~0777U) ||
	    q->reserved || q->maxmsg <= 0 || q->msgsize <= 0 ||
	    q->nr_msgs > q->maxmsg || q->uid == (uint32_t)-1 ||
	    q->gid == (uint32_t)-1)
		return ckpt_model_fail(m, "POSIX message queue /%s: after /%s, mode 0%o, reserved field, %lld messages of %lld bytes at most, %u of them, owner %u:%u",
				       q->name, *last, q->mode,
				       (long long)q->maxmsg,
				       (long long)q->msgsize, q->nr_msgs,
				       q->uid, q->gid);
	for (uint32_t k = 0; k < q->nr_msgs; k++) {
		struct ckpt_ipc_msg msg;
		size_t left = (size_t)(end - p);

		if (left < sizeof(msg))
			return ckpt_model_fail(m, "POSIX message queue /%s: message %u of %u is not in the record",
					       q->name, k, q->nr_msgs);
		memcpy(&msg, p, sizeof(msg));
		left -= sizeof(msg);
		if (msg.mtype < 0 || msg.mtype >= 32768 ||	/* MQ_PRIO_MAX */
		    msg.size > (uint64_t)q->msgsize || msg.size > left ||
		    ckpt_align(msg.size) > left ||
		    !ckpt_is_zero(p + sizeof(msg) + msg.size,
				  ckpt_align(msg.size) - msg.size))
			return ckpt_model_fail(m, "POSIX message queue /%s: message %u: priority %lld, %llu bytes, or padding",
					       q->name, k,
					       (long long)msg.mtype,
					       (unsigned long long)msg.size);
		p += sizeof(msg) + ckpt_align(msg.size);
	}
	if (p != end)
		return ckpt_model_fail(m, "POSIX message queue /%s: %zu bytes after its %u messages",
				       q->name, (size_t)(end - p), q->nr_msgs);
	if (ckpt_model_declare(m, q->objref, CKPT_HDR_IPC_MQUEUE,
			       m->nr_mqueues, i))
		return -1;
	m->mqueues[m->nr_mqueues].rec = q;
	m->mqueues[m->nr_mqueues].msgs = (const void *)(q + 1);
	m->nr_mqueues++;
	*last = q->name;
	return 0;
}

/*
 * A memory area that attaches a SysV segment: shared, the whole of a
 * segment defined before, with the protection shmat(2) gives (read, and
 * write unless CKPT_VMA_SHM_RDONLY; exec or not).
 */
static inline int ckpt_model_shm_vma(struct ckpt_model *m,
				     const struct ckpt_hdr_vma *v)
{
	const struct ckpt_m_ipc_shm *shm = ckpt_m_shm_ref(m, v->file_objref);
	bool rdonly = v->flags & CKPT_VMA_SHM_RDONLY;
	uint32_t prot = CKPT_VMA_READ | (rdonly ? 0 : CKPT_VMA_WRITE);

	if (!shm || v->pgoff || !(v->flags & CKPT_VMA_SHARED) ||
	    (v->flags & CKPT_VMA_GROWSDOWN) ||
	    (v->prot & ~CKPT_VMA_EXEC) != prot ||
	    v->end - v->start != ckpt_align_page(shm->rec->size))
		return ckpt_model_fail(m, "memory area 0x%llx-0x%llx: not the whole of SysV shared memory %u defined before, shared, with the protection shmat(2) gives",
				       (unsigned long long)v->start,
				       (unsigned long long)v->end,
				       v->file_objref);
	return 0;
}

/*
 * ckpt_model_build - read the whole image at @buf (@size bytes, 8-byte
 * aligned) as checkpoint(2) writes it, checking every rule of the format
 * that restart(2) checks and, more strictly, what the writer must do:
 * exact record lengths, zero reserved and unused fields, values only a
 * real task can have.  Returns 0 with @m describing the image (to be freed
 * with ckpt_model_free()), or -1 with m->why saying what is wrong.
 *
 * The order (format version 4): the namespaces record right after the
 * header; if it has CKPT_NS_IPC, the IPC objects of the container
 * (shared memory segments, each with its contents as a memfd's, semaphore
 * sets, message queues, each kind by increasing id; the SEM_UNDO
 * adjustments of its processes, on sets before them, a process's
 * together by set id, each of a live process of the image; POSIX message
 * queues by name) before any other record; files (each with its path
 * string, but for pipe ends, which name their pipe record instead, files
 * open on a message queue, which name their queue, epoll files, which
 * have none, memfds, whose name and contents follow, and external files,
 * whose name follows) and pipes, each before its first user, and the
 * items of each epoll file after the files of the first task that has it
 * open, before that task (see ckpt_model_check_files()); then for each task, in the
 * order restart creates them (see ckpt_model_task_rec()), the task
 * record, and for a live task: its address space if no task before it
 * used it (mm, areas, pages: the mm's objref is the next one), registers,
 * FPU state, TLS descriptors, the restart block (only if the registers
 * say the task is in a call that restarts with one), attributes,
 * credentials, fd table, fs (with the root and the working directory),
 * signal handlers, signal (process) state and its POSIX timers, its own
 * signal state and its pending signals.  Objects (SysV shared memory
 * segments, which areas that attach a segment name, POSIX message queues,
 * files, pipes, mms, fd tables, fs, handlers, signal states) are numbered
 * 1, 2, 3... in the order they are first written; a table or handlers shared with an
 * earlier task is written again with no entries or actions, an fs in full,
 * a signal state with its objref.  Restart takes the order of version 3,
 * the address space before the task record, for the first task only
 * (m->old_order): so does this reader.
 */
static inline int ckpt_model_build(struct ckpt_model *m, const void *buf,
				   size_t size)
{
	const size_t ps = (size_t)sysconf(_SC_PAGESIZE);
	struct ckpt_m_mm *cur = NULL;	/* the mm whose areas/pages come */
	struct ckpt_m_task *task = NULL;
	struct ckpt_m_task *mm_task = NULL;	/* whose mm follows it */
	bool regs_next = false;		/* its registers, after its mm */
	uint32_t old_mm = 0;		/* an mm before the first task */
	uint32_t expect = 0, vmas_left = 0, siginfo_left = 0, timers_left = 0;
	uint64_t next_page = 0;
	size_t nr_pages = 0, vmas_used = 0, pages_used = 0;
	size_t nr_siginfo = 0, siginfo_used = 0, nr_timers = 0, timers_used = 0;
	bool signal_first = false;
	bool ipc_open = false;		/* only IPC objects since ns */
	int32_t ipc_last[3] = { -1, -1, -1 };	/* ids of each kind */
	const char *mq_last = "";	/* the name of the last mqueue */

	memset(m, 0, sizeof(*m));
	if (ckpt_records_split(buf, size, &m->r, m->why, sizeof(m->why)))
		return -1;
	if (m->r.size != size) {
		ckpt_model_fail(m, "%zu bytes after the tail", size - m->r.size);
		goto fail;
	}
	m->hdr = buf;
	m->tail = (const void *)m->r.rec[m->r.nr - 1].p;
	if (m->r.rec[0].len != CKPT_HDR_SIZE || m->tail->h.len != CKPT_TAIL_SIZE) {
		ckpt_model_fail(m, "the header or the tail is not of the size this format defines");
		goto fail;
	}
	if (m->hdr->version != CKPT_FORMAT_VERSION) {
		ckpt_model_fail(m, "format version %u, not %u", m->hdr->version,
				CKPT_FORMAT_VERSION);
		goto fail;
	}
	if (m->hdr->page_size != ps) {
		ckpt_model_fail(m, "the image has %u-byte pages", m->hdr->page_size);
		goto fail;
	}

	for (size_t i = 0; i < m->r.nr; i++) {
		const struct ckpt_hdr_pages *pg = (const void *)m->r.rec[i].p;

		if (m->r.rec[i].type == CKPT_HDR_PAGES &&
		    m->r.rec[i].len >= sizeof(*pg))
			nr_pages += pg->nr_pages;
		if (m->r.rec[i].type == CKPT_HDR_FILE_PAGES &&
		    m->r.rec[i].len >= sizeof(struct ckpt_hdr_file_pages))
			nr_pages += ((const struct ckpt_hdr_file_pages *)
				     m->r.rec[i].p)->nr_pages;
		if (m->r.rec[i].type == CKPT_HDR_SIGINFO)
			nr_siginfo++;
		if (m->r.rec[i].type == CKPT_HDR_POSIX_TIMER)
			nr_timers++;
	}
	m->files = calloc(m->r.nr, sizeof(*m->files));
	m->epolls = calloc(m->r.nr, sizeof(*m->epolls));
	m->pipes = calloc(m->r.nr, sizeof(*m->pipes));
	m->mms = calloc(m->r.nr, sizeof(*m->mms));
	m->fdts = calloc(m->r.nr, sizeof(*m->fdts));
	m->fss = calloc(m->r.nr, sizeof(*m->fss));
	m->sighands = calloc(m->r.nr, sizeof(*m->sighands));
	m->signals = calloc(m->r.nr, sizeof(*m->signals));
	m->shms = calloc(m->r.nr, sizeof(*m->shms));
	m->sems = calloc(m->r.nr, sizeof(*m->sems));
	m->msgqs = calloc(m->r.nr, sizeof(*m->msgqs));
	m->undos = calloc(m->r.nr, sizeof(*m->undos));
	m->mqueues = calloc(m->r.nr, sizeof(*m->mqueues));
	m->tasks = calloc(m->r.nr, sizeof(*m->tasks));
	m->obj_type = calloc(m->r.nr + 1, sizeof(*m->obj_type));
	m->obj_idx = calloc(m->r.nr + 1, sizeof(*m->obj_idx));
	m->vma_store = calloc(m->r.nr, sizeof(*m->vma_store));
	m->page_store = calloc(nr_pages + 1, sizeof(*m->page_store));
	m->siginfo_store = calloc(nr_siginfo + 1, sizeof(*m->siginfo_store));
	m->timer_store = calloc(nr_timers + 1, sizeof(*m->timer_store));
	m->timer_queued = calloc(nr_timers + 1, sizeof(*m->timer_queued));
	if (!m->files || !m->epolls || !m->pipes || !m->mms || !m->fdts || !m->fss ||
	    !m->sighands || !m->signals || !m->shms || !m->sems ||
	    !m->msgqs || !m->undos || !m->mqueues || !m->tasks ||
	    !m->obj_type ||
	    !m->obj_idx || !m->vma_store || !m->page_store ||
	    !m->siginfo_store || !m->timer_store || !m->timer_queued) {
		ckpt_model_fail(m, "out of memory");
		goto fail;
	}

	/* The namespaces record, right after the header (version 4). */
	expect = CKPT_HDR_NAMESPACES;
	for (size_t i = 1; i < m->r.nr; i++) {
		const struct ckpt_rec *rc = &m->r.rec[i];
		uint32_t want = expect ? expect : vmas_left ? CKPT_HDR_VMA :
				(regs_next && rc->type != CKPT_HDR_PAGES) ?
				CKPT_HDR_CPU_REGS : 0;

		if (want && rc->type != want) {
			ckpt_model_fail(m, "record %zu at offset %zu: type %u (%s) where %s was expected",
					i, rc->off, rc->type,
					ckpt_type_name(rc->type),
					ckpt_type_name(want));
			goto fail;
		}
		if (!want && ckpt_follows_only(rc->type)) {
			ckpt_model_fail(m, "record %zu at offset %zu: %s out of place",
					i, rc->off, ckpt_type_name(rc->type));
			goto fail;
		}
		/* Any other record ends the mm whose areas and pages come. */
		if (rc->type != CKPT_HDR_VMA && rc->type != CKPT_HDR_PAGES)
			cur = NULL;
		/* ...and the IPC objects (a segment's pages are its own) */
		if (!ckpt_is_ipc(rc->type))
			ipc_open = false;
		switch (rc->type) {
		case CKPT_HDR_TAIL:
			break;

		case CKPT_HDR_IPC_SHM:
		case CKPT_HDR_IPC_SEM:
		case CKPT_HDR_IPC_MSG:
		case CKPT_HDR_IPC_SEM_UNDO:
		case CKPT_HDR_IPC_MQUEUE: {
			int32_t *last = rc->type <= CKPT_HDR_IPC_MSG ?
					&ipc_last[rc->type - CKPT_HDR_IPC_SHM] :
					NULL;

			if (!ipc_open) {
				ckpt_model_fail(m, "record %zu at offset %zu: %s out of place (only right after the namespaces record, with CKPT_NS_IPC)",
						i, rc->off, ckpt_type_name(rc->type));
				goto fail;
			}
			if (rc->type == CKPT_HDR_IPC_SHM ?
			    ckpt_model_ipc_shm(m, &i, last, &pages_used) :
			    rc->type == CKPT_HDR_IPC_SEM ?
			    ckpt_model_ipc_sem(m, i, last) :
			    rc->type == CKPT_HDR_IPC_MSG ?
			    ckpt_model_ipc_msg(m, i, last) :
			    rc->type == CKPT_HDR_IPC_SEM_UNDO ?
			    ckpt_model_ipc_sem_undo(m, i) :
			    ckpt_model_ipc_mqueue(m, i, &mq_last))
				goto fail;
			break;
		}

		case CKPT_HDR_FILE:
			if (ckpt_model_file(m, &i, &pages_used))
				goto fail;
			break;

		case CKPT_HDR_PIPE:
			if (ckpt_model_pipe(m, i))
				goto fail;
			break;

		case CKPT_HDR_NAMESPACES: {
			const struct ckpt_hdr_namespaces *ns = (const void *)rc->p;
			bool uts;

			if (rc->len != sizeof(*ns)) {
				ckpt_model_fail(m, "a namespaces record of %u bytes",
						rc->len);
				goto fail;
			}
			uts = ns->flags & CKPT_NS_UTS;
			if ((ns->flags & ~CKPT_NS_FLAGS_ALL) || ns->reserved ||
			    !ckpt_is_zero(ns->pad, sizeof(ns->pad)) ||
			    !ckpt_uts_name_ok(ns->hostname, uts) ||
			    !ckpt_uts_name_ok(ns->domainname, uts)) {
				ckpt_model_fail(m, "namespaces: flags 0x%x, names, reserved or padding",
						ns->flags);
				goto fail;
			}
			m->ns = ns;
			expect = 0;
			ipc_open = ns->flags & CKPT_NS_IPC;
			break;
		}

		case CKPT_HDR_EPOLL:
			if (ckpt_model_epoll(m, i))
				goto fail;
			break;

		case CKPT_HDR_MM: {
			const struct ckpt_hdr_mm *mm = (const void *)rc->p;
			const __u64 *field;
			const struct ckpt_m_file *exe;

			if (rc->len != sizeof(*mm)) {
				ckpt_model_fail(m, "record %zu: an mm record of %u bytes",
						i, rc->len);
				goto fail;
			}
			for (field = &mm->start_code; field <= &mm->vdso; field++) {
				if (*field > CKPT_USER_MAX) {
					ckpt_model_fail(m, "mm %u: address 0x%llx outside user space",
							mm->objref,
							(unsigned long long)*field);
					goto fail;
				}
			}
			if (mm->nr_auxv > CKPT_AUXV_WORDS || mm->nr_auxv % 2 ||
			    (mm->nr_auxv && mm->auxv[mm->nr_auxv - 2]) ||
			    !ckpt_is_zero(mm->auxv + mm->nr_auxv,
					  (CKPT_AUXV_WORDS - mm->nr_auxv) * 8) ||
			    mm->nr_vmas > m->r.nr - i) {
				ckpt_model_fail(m, "mm %u: bad auxv (%u words) or number of areas (%u)",
						mm->objref, mm->nr_auxv,
						mm->nr_vmas);
				goto fail;
			}
			exe = ckpt_m_file_ref(m, mm->exe_objref);
			if (mm->exe_objref &&
			    (!exe || exe->rec->type != CKPT_FILE_REG)) {
				ckpt_model_fail(m, "mm %u: its executable %u is not a regular file defined before",
						mm->objref, mm->exe_objref);
				goto fail;
			}
			if (mm_task) {
				/* The new address space its task announced. */
				if (mm->objref != mm_task->rec->mm_objref) {
					ckpt_model_fail(m, "task %d: mm %u follows it, not its mm %u",
							mm_task->rec->pid,
							mm->objref,
							mm_task->rec->mm_objref);
					goto fail;
				}
			} else if (m->nr_tasks || old_mm) {
				ckpt_model_fail(m, "record %zu: mm %u, which no task record before it announces",
						i, mm->objref);
				goto fail;
			} else {
				/* Version 3's order, for the first task only */
				old_mm = mm->objref;
			}
			if (ckpt_model_declare(m, mm->objref, CKPT_HDR_MM,
					       m->nr_mms, i))
				goto fail;
			cur = &m->mms[m->nr_mms++];
			expect = 0;
			if (mm_task) {
				mm_task->mm = cur;
				mm_task = NULL;
				regs_next = true;
			}
			cur->rec = mm;
			cur->idx = i;
			cur->vmas = m->vma_store + vmas_used;
			cur->pages = m->page_store + pages_used;
			vmas_left = mm->nr_vmas;
			next_page = 0;
			break;
		}

		case CKPT_HDR_VMA: {
			const struct ckpt_hdr_vma *v = (const void *)rc->p;
			uint32_t n = cur ? cur->rec->nr_vmas - vmas_left : 0;
			uint64_t prev_end = n ? cur->vmas[n - 1]->end : 0;
			const struct ckpt_m_file *vf;

			if (!cur || !vmas_left) {
				ckpt_model_fail(m, "record %zu: a memory area outside an address space",
						i);
				goto fail;
			}
			if (rc->len != sizeof(*v) || v->start >= v->end ||
			    v->start % ps || v->end % ps || v->end > CKPT_USER_MAX ||
			    v->start < prev_end || v->kind < CKPT_VMA_ANON ||
			    v->kind > CKPT_VMA_SYSV_SHM ||
			    (v->prot & ~(CKPT_VMA_READ | CKPT_VMA_WRITE |
					 CKPT_VMA_EXEC)) ||
			    (v->flags & ~CKPT_VMA_FLAGS_ALL)) {
				ckpt_model_fail(m, "memory area 0x%llx-0x%llx: bad length, bounds, kind or flags",
						(unsigned long long)v->start,
						(unsigned long long)v->end);
				goto fail;
			}
			/* a SysV segment's area names it, as a file's area */
			vf = ckpt_m_file_ref(m, v->file_objref);
			if (v->kind == CKPT_VMA_SYSV_SHM) {
				if (ckpt_model_shm_vma(m, v))
					goto fail;
			} else if ((v->flags & CKPT_VMA_SHM_RDONLY) ||
				   (v->kind == CKPT_VMA_FILE ?
				    !vf || (vf->rec->type != CKPT_FILE_REG &&
					    vf->rec->type != CKPT_FILE_MEMFD &&
					    vf->rec->type != CKPT_FILE_SHMEM) :
				    v->file_objref || v->pgoff)) {
				ckpt_model_fail(m, "memory area 0x%llx-0x%llx: bad file %u, offset or SHM_RDONLY",
						(unsigned long long)v->start,
						(unsigned long long)v->end,
						v->file_objref);
				goto fail;
			}
			cur->vmas[n] = v;
			vmas_used++;
			vmas_left--;
			break;
		}

		case CKPT_HDR_PAGES: {
			const struct ckpt_hdr_pages *pg = (const void *)rc->p;
			const uint64_t *addrs = (const void *)(pg + 1);
			const uint8_t *data;

			if (!cur || vmas_left) {
				ckpt_model_fail(m, "record %zu: a page record outside an address space",
						i);
				goto fail;
			}
			if (rc->len < sizeof(*pg) || !pg->nr_pages ||
			    pg->nr_pages > CKPT_PAGES_MAX || pg->reserved ||
			    rc->len != sizeof(*pg) + pg->nr_pages * (8 + ps)) {
				ckpt_model_fail(m, "record %zu: a page record of %u bytes for %u pages",
						i, rc->len, pg->nr_pages);
				goto fail;
			}
			data = (const uint8_t *)(addrs + pg->nr_pages);
			for (uint32_t k = 0; k < pg->nr_pages; k++) {
				const struct ckpt_hdr_vma *v =
					ckpt_m_vma_at(cur, addrs[k]);

				/* anonymous memory, or a private file mapping */
				if (addrs[k] % ps || addrs[k] < next_page || !v ||
				    (v->kind != CKPT_VMA_ANON &&
				     (v->kind != CKPT_VMA_FILE ||
				      (v->flags & CKPT_VMA_SHARED)))) {
					ckpt_model_fail(m, "page at 0x%llx: not aligned, not in order, or not in anonymous memory or a private file mapping",
							(unsigned long long)addrs[k]);
					goto fail;
				}
				next_page = addrs[k] + ps;
				cur->pages[cur->nr_pages].addr = addrs[k];
				cur->pages[cur->nr_pages].data = data + k * ps;
				cur->nr_pages++;
				pages_used++;
			}
			cur->nr_page_recs++;
			break;
		}

		case CKPT_HDR_TASK: {
			const struct ckpt_hdr_task *t = (const void *)rc->p;

			task = &m->tasks[m->nr_tasks];
			if (m->epolls_unlisted) {
				ckpt_model_fail(m, "task %d: %u epoll files before it have no items record",
						t->pid, m->epolls_unlisted);
				goto fail;
			}
			if (ckpt_model_task_rec(m, rc, task))
				goto fail;
			task->idx = i;
			if (old_mm && !m->nr_tasks &&
			    t->mm_objref != old_mm) {
				ckpt_model_fail(m, "task %d: mm %u before it is not its own (%u)",
						t->pid, old_mm, t->mm_objref);
				goto fail;
			}
			if (!m->nr_tasks)
				m->old_order = old_mm != 0;
			m->nr_tasks++;
			cur = NULL;	/* pages after this belong to no mm */
			if (t->flags & CKPT_TASK_ZOMBIE)
				break;
			task->mm = ckpt_m_mm_ref(m, t->mm_objref);
			if (task->mm) {
				expect = CKPT_HDR_CPU_REGS;
			} else if (t->mm_objref == m->nr_objs + 1) {
				/* its address space follows */
				task->mm_follows = true;
				mm_task = task;
				expect = CKPT_HDR_MM;
			} else {
				ckpt_model_fail(m, "task %d: mm %u is neither defined before it nor the next object (%u)",
						t->pid, t->mm_objref,
						m->nr_objs + 1);
				goto fail;
			}
			break;
		}

		case CKPT_HDR_CPU_REGS: {
			const struct ckpt_hdr_cpu_regs *cr = (const void *)rc->p;

			if (rc->len != sizeof(*cr) || cr->regs.cs != CKPT_USER_CS ||
			    cr->regs.ss != CKPT_USER_DS ||
			    cr->regs.fs_base >= CKPT_USER_MAX ||
			    cr->regs.gs_base >= CKPT_USER_MAX) {
				ckpt_model_fail(m, "task %d: not the registers of a 64-bit user task",
						task->rec->pid);
				goto fail;
			}
			task->regs = cr;
			task->cpu_idx = i;
			regs_next = false;
			expect = CKPT_HDR_CPU_XSTATE;
			break;
		}

		case CKPT_HDR_CPU_XSTATE: {
			const struct ckpt_hdr_cpu_xstate *x = (const void *)rc->p;

			if (rc->len < sizeof(*x) || x->size < CKPT_XSAVE_MIN ||
			    x->reserved || rc->len != sizeof(*x) + x->size) {
				ckpt_model_fail(m, "task %d: FPU state of %u bytes in a record of %u",
						task->rec->pid, x->size, rc->len);
				goto fail;
			}
			task->xstate = x;
			task->xsave = (const uint8_t *)(x + 1);
			expect = CKPT_HDR_CPU_TLS;
			break;
		}

		case CKPT_HDR_CPU_TLS: {
			const struct ckpt_hdr_cpu_tls *tls = (const void *)rc->p;

			if (rc->len != sizeof(*tls)) {
				ckpt_model_fail(m, "task %d: a TLS record of %u bytes",
						task->rec->pid, rc->len);
				goto fail;
			}
			for (int k = 0; k < CKPT_TLS_ENTRIES; k++) {
				const struct ckpt_tls_desc *d = &tls->desc[k];

				if (d->entry_number == CKPT_TLS_FIRST_ENTRY + (uint32_t)k &&
				    ckpt_tls_desc_written(d))
					continue;
				ckpt_model_fail(m, "task %d: TLS descriptor %d: entry %u, base 0x%x, limit 0x%x, flags 0x%x",
						task->rec->pid, k, d->entry_number,
						d->base_addr, d->limit, d->flags);
				goto fail;
			}
			task->tls = tls;
			expect = ckpt_regs_restart_block(&task->regs->regs) ?
				 CKPT_HDR_RESTART_BLOCK : CKPT_HDR_TASK_ATTRS;
			break;
		}

		case CKPT_HDR_RESTART_BLOCK: {
			const struct ckpt_hdr_restart_block *rb = (const void *)rc->p;
			bool bad = rc->len != sizeof(*rb) || rb->reserved ||
				   (rb->kind != CKPT_RESTART_FUTEX &&
				    (rb->futex_flags || rb->bitset));

			/*
			 * What checkpoint saves of a restart block: nothing
			 * for do_no_restart_syscall, a relative sleep, a
			 * poll, a futex wait (whose absolute time stays one
			 * if it is of the wall clock).
			 */
			switch (rb->kind) {
			case CKPT_RESTART_NONE:
				bad |= rb->flags || rb->time || rb->addr ||
				       rb->clockid || rb->type || rb->val;
				break;
			case CKPT_RESTART_NANOSLEEP:
				bad |= rb->flags || rb->time < 0 || rb->type > 1 ||
				       !ckpt_user_addr(rb->addr) || rb->val ||
				       (!rb->type && rb->addr) ||
				       (rb->clockid != CLOCK_REALTIME &&
					rb->clockid != CLOCK_MONOTONIC &&
					rb->clockid != CLOCK_BOOTTIME &&
					rb->clockid != CLOCK_TAI);
				break;
			case CKPT_RESTART_POLL:
				bad |= (rb->flags & ~CKPT_RESTART_HAS_TIMEOUT) ||
				       rb->time < 0 || !ckpt_user_addr(rb->addr) ||
				       rb->val > INT_MAX || rb->clockid ||
				       rb->type ||
				       (!(rb->flags & CKPT_RESTART_HAS_TIMEOUT) &&
					rb->time);
				break;
			case CKPT_RESTART_FUTEX:
				bad |= rb->time < 0 || !ckpt_user_addr(rb->addr) ||
				       !rb->addr || rb->addr % 4 || !rb->bitset ||
				       rb->clockid || rb->type ||
				       (rb->futex_flags & ~(CKPT_FUTEX_SHARED |
							    CKPT_FUTEX_CLOCKRT)) ||
				       rb->flags !=
				       (rb->futex_flags & CKPT_FUTEX_CLOCKRT ?
					CKPT_RESTART_ABSOLUTE : 0);
				break;
			default:
				bad = true;
			}
			if (bad) {
				ckpt_model_fail(m, "task %d: restart block of kind %u, flags 0x%x, time %lld, address 0x%llx",
						task->rec->pid, rb->kind,
						rb->flags, (long long)rb->time,
						(unsigned long long)rb->addr);
				goto fail;
			}
			task->restart = rb;
			expect = CKPT_HDR_TASK_ATTRS;
			break;
		}

		case CKPT_HDR_TASK_ATTRS:
			if (ckpt_model_attrs(m, rc, task))
				goto fail;
			expect = CKPT_HDR_CRED;
			break;

		case CKPT_HDR_CRED:
			if (ckpt_model_cred(m, rc, task))
				goto fail;
			expect = CKPT_HDR_FD_TABLE;
			break;

		case CKPT_HDR_FD_TABLE:
			if (ckpt_model_fd_table(m, i, task))
				goto fail;
			expect = CKPT_HDR_FS;
			break;

		case CKPT_HDR_FS:
			if (ckpt_model_fs(m, &i, task))
				goto fail;
			expect = CKPT_HDR_SIGHAND;
			break;

		case CKPT_HDR_SIGHAND:
			if (ckpt_model_sighand(m, i, task))
				goto fail;
			expect = CKPT_HDR_SIGNAL;
			break;

		case CKPT_HDR_SIGNAL:
			if (ckpt_model_signal(m, i, task, &signal_first,
					      &timers_left,
					      nr_timers - timers_used))
				goto fail;
			if (signal_first) {
				struct ckpt_m_signal *sig =
					&m->signals[m->nr_signals - 1];

				sig->timers = m->timer_store + timers_used;
				sig->queued = m->timer_queued + timers_used;
			}
			expect = timers_left ? CKPT_HDR_POSIX_TIMER :
					       CKPT_HDR_TASK_SIGNAL;
			break;

		case CKPT_HDR_POSIX_TIMER:
			if (ckpt_model_posix_timer(m, rc, task,
						   task->signal_rec->nr_posix_timers -
						   timers_left))
				goto fail;
			timers_used++;
			expect = --timers_left ? CKPT_HDR_POSIX_TIMER :
						 CKPT_HDR_TASK_SIGNAL;
			break;

		case CKPT_HDR_TASK_SIGNAL:
			if (ckpt_model_task_signal(m, rc, task))
				goto fail;
			siginfo_left = task->tsig->nr_pending;
			if (siginfo_left > nr_siginfo - siginfo_used) {
				ckpt_model_fail(m, "task %d: %u pending signals, %zu siginfo records left in the image",
						task->rec->pid, siginfo_left,
						nr_siginfo - siginfo_used);
				goto fail;
			}
			task->siginfo = m->siginfo_store + siginfo_used;
			expect = siginfo_left ? CKPT_HDR_SIGINFO : 0;
			break;

		case CKPT_HDR_SIGINFO:
			if (ckpt_model_siginfo(m, rc, task,
					       task->tsig->nr_pending - siginfo_left,
					       signal_first))
				goto fail;
			siginfo_used++;
			expect = --siginfo_left ? CKPT_HDR_SIGINFO : 0;
			break;

		case CKPT_HDR_STRING:
			ckpt_model_fail(m, "record %zu: a string that follows no file or fs",
					i);
			goto fail;

		case CKPT_HDR_FILE_PAGES:
			ckpt_model_fail(m, "record %zu: memfd pages that follow no memfd",
					i);
			goto fail;

		default:
			ckpt_model_fail(m, "record %zu at offset %zu: unknown type %u",
					i, rc->off, rc->type);
			goto fail;
		}
	}
	if (old_mm && !m->nr_tasks) {
		ckpt_model_fail(m, "mm %u belongs to no task", old_mm);
		goto fail;
	}
	if (ckpt_model_check_files(m) || ckpt_model_check_undos(m))
		goto fail;
	/* A timer that signals a thread: one of its process's. */
	for (size_t k = 0; k < m->nr_signals; k++) {
		const struct ckpt_m_signal *sig = &m->signals[k];

		for (uint32_t n = 0; sig->timers && n < sig->rec->nr_posix_timers;
		     n++) {
			const struct ckpt_hdr_posix_timer *t = sig->timers[n];
			const struct ckpt_m_task *to;

			if (!(t->notify & SIGEV_THREAD_ID))
				continue;
			to = ckpt_m_task_pid(m, t->notify_tid);
			if (!to || to->rec->tgid != sig->tgid ||
			    (to->rec->flags & CKPT_TASK_ZOMBIE)) {
				ckpt_model_fail(m, "POSIX timer %d of process %d signals task %d, not one of its threads",
						t->id, sig->tgid, t->notify_tid);
				goto fail;
			}
		}
	}
	return 0;
fail:
	ckpt_model_free(m);
	return -1;
}

/* ------------------------------------------------------------------ */
/* File descriptors                                                    */

static inline int ckpt_write_all(int fd, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= n;
	}
	return 0;
}

/* Read until @len bytes or end of file; returns the count or -1. */
static inline ssize_t ckpt_read_all(int fd, void *buf, size_t len)
{
	uint8_t *p = buf;
	size_t done = 0;

	while (done < len) {
		ssize_t n = read(fd, p + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		done += n;
	}
	return done;
}

/* A memfd holding @len bytes of @data, at offset 0; -1 on error. */
static inline int ckpt_memfd(const void *data, size_t len)
{
	int fd = memfd_create("ckpt-selftest", MFD_CLOEXEC);

	if (fd < 0)
		return -1;
	if ((len && ckpt_write_all(fd, data, len)) ||
	    lseek(fd, 0, SEEK_SET) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Make @fd hold exactly @len bytes of @data, with the offset at 0. */
static inline int ckpt_refill(int fd, const void *data, size_t len)
{
	if (ftruncate(fd, 0) || lseek(fd, 0, SEEK_SET) != 0)
		return -1;
	if (len && ckpt_write_all(fd, data, len))
		return -1;
	return lseek(fd, 0, SEEK_SET) == 0 ? 0 : -1;
}

static inline off_t ckpt_offset(int fd)
{
	return lseek(fd, 0, SEEK_CUR);
}

static inline off_t ckpt_size(int fd)
{
	struct stat st;

	return fstat(fd, &st) ? -1 : st.st_size;
}

/* An fd number that is not open, far above what the tests use. */
static inline int ckpt_closed_fd(void)
{
	for (int fd = 900; fd < 1000; fd++)
		if (fcntl(fd, F_GETFD) < 0 && errno == EBADF)
			return fd;
	return 999;
}

/* ------------------------------------------------------------------ */
/* The reasons log                                                     */

/*
 * A pipe for the logfd: log[1] goes to the syscall, log[0] is read with
 * ckpt_log_read().  Only the read end is non-blocking, so that the kernel
 * never finds the pipe refusing a line.
 */
static inline int ckpt_log_pipe(int log[2])
{
	if (pipe2(log, O_CLOEXEC))
		return -1;
	if (fcntl(log[0], F_SETFL, O_NONBLOCK)) {
		close(log[0]);
		close(log[1]);
		return -1;
	}
	return 0;
}

/*
 * Read everything the log pipe (or socket) holds into @buf, NUL-terminated;
 * whatever does not fit is read and dropped.  Returns the length kept.
 */
static inline size_t ckpt_log_read(int fd, char *buf, size_t size)
{
	size_t len = 0;
	char drop[256];

	for (;;) {
		char *p = len + 1 < size ? buf + len : drop;
		size_t room = len + 1 < size ? size - 1 - len : sizeof(drop);
		ssize_t n = read(fd, p, room);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (p != drop)
			len += n;
	}
	if (size)
		buf[len] = '\0';
	return len;
}

/*
 * Whether @log is exactly one line, "<op>: <reason>\n", whose reason
 * contains @substr (if not NULL).  Returns NULL if so, or what is wrong.
 */
static inline const char *ckpt_log_problem(const char *log, const char *op,
					   const char *substr)
{
	size_t len = strlen(log), oplen = strlen(op);
	const char *nl;

	if (!len)
		return "the log is empty";
	if (strncmp(log, op, oplen) || strncmp(log + oplen, ": ", 2))
		return "the line does not start with \"<op>: \"";
	if (len == oplen + 3)
		return "the reason is empty";
	nl = strchr(log, '\n');
	if (!nl)
		return "the line does not end with a newline";
	if (nl != log + len - 1)
		return "more than one line, or text after the newline";
	if (substr && !strstr(log + oplen + 2, substr))
		return "the reason lacks the expected words";
	return NULL;
}

/* ------------------------------------------------------------------ */
/* cgroup v2                                                           */

/* CKPT_CGROUP_ROOT overrides /sys/fs/cgroup (for host runs of helpers). */
static inline const char *ckpt_cg_root(void)
{
	const char *root = getenv("CKPT_CGROUP_ROOT");

	return root && *root ? root : "/sys/fs/cgroup";
}

#define CKPT_CG_PREFIX "ckpt-selftest."

/* Create a cgroup with a unique name under the root; path is PATH_MAX. */
static inline int ckpt_cg_create(char *path, size_t size)
{
	static unsigned int seq;

	for (int tries = 0; tries < 100; tries++) {
		if (snprintf(path, size, "%s/" CKPT_CG_PREFIX "%d.%u",
			     ckpt_cg_root(), (int)getpid(), seq++) >= (int)size) {
			errno = ENAMETOOLONG;
			break;
		}
		if (mkdir(path, 0755) == 0)
			return 0;
		if (errno != EEXIST)
			break;
	}
	path[0] = '\0';
	return -errno;
}

/* A child cgroup @name of @parent, in @path. */
static inline int ckpt_cg_create_child(const char *parent, const char *name,
				       char *path, size_t size)
{
	int err;

	if (snprintf(path, size, "%s/%s", parent, name) >= (int)size)
		err = -ENAMETOOLONG;
	else if (mkdir(path, 0755) == 0)
		return 0;
	else
		err = -errno;
	path[0] = '\0';
	return err;
}

static inline int ckpt_cg_write(const char *cg, const char *file,
				const char *val)
{
	char path[PATH_MAX];
	ssize_t n;
	int fd, err = 0;

	if (snprintf(path, sizeof(path), "%s/%s", cg, file) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	if (n < 0)
		err = -errno;
	else if ((size_t)n != strlen(val))
		err = -EIO;
	close(fd);
	return err;
}

static inline int ckpt_cg_read(const char *cg, const char *file, char *buf,
			       size_t size)
{
	char path[PATH_MAX];
	ssize_t n;
	int fd;

	if (snprintf(path, sizeof(path), "%s/%s", cg, file) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = ckpt_read_all(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -EIO;
	buf[n] = '\0';
	return 0;
}

/* Move process @pid (all its threads) into @cg. */
static inline int ckpt_cg_move(const char *cg, pid_t pid)
{
	char val[32];

	snprintf(val, sizeof(val), "%d", (int)pid);
	return ckpt_cg_write(cg, "cgroup.procs", val);
}

/* Move the single thread @tid into @cg (a threaded cgroup). */
static inline int ckpt_cg_move_thread(const char *cg, pid_t tid)
{
	char val[32];

	snprintf(val, sizeof(val), "%d", (int)tid);
	return ckpt_cg_write(cg, "cgroup.threads", val);
}

static inline long ckpt_ms_since(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - start->tv_sec) * 1000 +
	       (now.tv_nsec - start->tv_nsec) / 1000000;
}

static inline void ckpt_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* Whether cgroup.events of @cg has the line @line ("frozen 1"). */
static inline bool ckpt_cg_event(const char *cg, const char *line)
{
	char buf[512], want[64];

	buf[0] = '\n';
	if (ckpt_cg_read(cg, "cgroup.events", buf + 1, sizeof(buf) - 1))
		return false;
	snprintf(want, sizeof(want), "\n%s\n", line);
	return strstr(buf, want) != NULL;
}

/* Poll cgroup.events until it has @line; -ETIMEDOUT after @timeout_ms. */
static inline int ckpt_cg_wait_event(const char *cg, const char *line,
				     long timeout_ms)
{
	struct timespec start;
	long delay = 1;

	clock_gettime(CLOCK_MONOTONIC, &start);
	while (!ckpt_cg_event(cg, line)) {
		if (ckpt_ms_since(&start) > timeout_ms)
			return -ETIMEDOUT;
		ckpt_sleep_ms(delay);
		if (delay < 20)
			delay *= 2;
	}
	return 0;
}

static inline int ckpt_cg_freeze(const char *cg)
{
	int err = ckpt_cg_write(cg, "cgroup.freeze", "1");

	return err ? err : ckpt_cg_wait_event(cg, "frozen 1",
					      CKPT_FREEZE_TIMEOUT_MS);
}

static inline int ckpt_cg_thaw(const char *cg)
{
	int err = ckpt_cg_write(cg, "cgroup.freeze", "0");

	return err ? err : ckpt_cg_wait_event(cg, "frozen 0",
					      CKPT_FREEZE_TIMEOUT_MS);
}

/* SIGKILL every pid listed in @cg/@file (cgroup.procs or cgroup.threads). */
static inline void ckpt_cg_kill_listed(const char *cg, const char *file)
{
	char buf[4096], *p, *end;

	if (ckpt_cg_read(cg, file, buf, sizeof(buf)))
		return;
	for (p = buf; *p; p = end) {
		long pid = strtol(p, &end, 10);

		if (end == p)
			break;
		if (pid > 0)
			kill((pid_t)pid, SIGKILL);
	}
}

/*
 * Remove @cg and everything under it: thaw it (so that nothing is left
 * frozen even if the removal fails), kill its tasks, wait until it is empty,
 * remove the child cgroups, then @cg itself.  Clears @cg on success.
 */
static inline int ckpt_cg_destroy(char *cg)
{
	struct timespec start;
	DIR *dir;
	int err = 0;

	if (!cg || !cg[0])
		return 0;
	ckpt_cg_write(cg, "cgroup.freeze", "0");
	if (ckpt_cg_write(cg, "cgroup.kill", "1")) {
		ckpt_cg_kill_listed(cg, "cgroup.procs");
		ckpt_cg_kill_listed(cg, "cgroup.threads");
	}

	dir = opendir(cg);
	if (dir) {
		struct dirent *de;

		while ((de = readdir(dir))) {
			char sub[PATH_MAX];

			if (de->d_type != DT_DIR || de->d_name[0] == '.')
				continue;
			if (snprintf(sub, sizeof(sub), "%s/%s", cg,
				     de->d_name) >= (int)sizeof(sub) ||
			    ckpt_cg_destroy(sub))
				err = -EBUSY;
		}
		closedir(dir);
	}

	ckpt_cg_wait_event(cg, "populated 0", CKPT_FREEZE_TIMEOUT_MS);
	clock_gettime(CLOCK_MONOTONIC, &start);
	while (rmdir(cg)) {
		if (errno == ENOENT)
			break;
		if (errno != EBUSY || ckpt_ms_since(&start) > 5000)
			return -errno;
		ckpt_cg_kill_listed(cg, "cgroup.procs");
		ckpt_sleep_ms(10);
	}
	if (!err)
		cg[0] = '\0';
	return err;
}

/*
 * The safety net: when the test program ends, remove any cgroup left by a
 * test process that died without its teardown (a crash or a timeout).
 */
static pid_t ckpt_main_pid;

__attribute__((constructor)) static void ckpt_note_main_pid(void)
{
	ckpt_main_pid = getpid();
}

__attribute__((destructor)) static void ckpt_sweep_cgroups(void)
{
	const char *root = ckpt_cg_root();
	struct dirent *de;
	DIR *dir;

	if (getpid() != ckpt_main_pid)
		return;
	dir = opendir(root);
	if (!dir)
		return;
	while ((de = readdir(dir))) {
		char path[PATH_MAX];
		int pid;
		unsigned int seq;

		if (sscanf(de->d_name, CKPT_CG_PREFIX "%d.%u", &pid, &seq) != 2)
			continue;
		if (pid <= 0 || pid == getpid() ||
		    kill(pid, 0) == 0 || errno != ESRCH)
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", root,
			     de->d_name) < (int)sizeof(path))
			ckpt_cg_destroy(path);
	}
	closedir(dir);
}

/* ------------------------------------------------------------------ */
/* Privileges                                                          */

enum ckpt_priv {
	CKPT_PRIV_NONE,	/* uid/gid 65534, no capabilities */
	CKPT_PRIV_CR,	/* uid/gid 65534, CAP_CHECKPOINT_RESTORE only */
};

static inline int ckpt_capget(struct __user_cap_data_struct data[2])
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
		.pid = 0,
	};

	memset(data, 0, 2 * sizeof(*data));
	return syscall(SYS_capget, &hdr, data);
}

static inline int ckpt_capset(const struct __user_cap_data_struct data[2])
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
		.pid = 0,
	};

	return syscall(SYS_capset, &hdr, data);
}

/*
 * Become uid/gid 65534 with no supplementary groups, and with no
 * capabilities or (CKPT_PRIV_CR) CAP_CHECKPOINT_RESTORE alone, effective
 * and permitted.  Checks the result; -1 if anything is not as asked.
 */
static inline int ckpt_drop_privileges(enum ckpt_priv priv)
{
	struct __user_cap_data_struct caps[2];
	const int cr_word = CAP_CHECKPOINT_RESTORE / 32;
	const uint32_t cr_bit = 1U << (CAP_CHECKPOINT_RESTORE % 32);
	uid_t r, e, s;

	if (priv == CKPT_PRIV_CR && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0))
		return -1;
	if (setgroups(0, NULL) ||
	    setresgid(CKPT_NOBODY, CKPT_NOBODY, CKPT_NOBODY) ||
	    setresuid(CKPT_NOBODY, CKPT_NOBODY, CKPT_NOBODY))
		return -1;
	memset(caps, 0, sizeof(caps));
	if (priv == CKPT_PRIV_CR) {
		caps[cr_word].effective = cr_bit;
		caps[cr_word].permitted = cr_bit;
	}
	if (ckpt_capset(caps))
		return -1;
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) &&
	    errno != EINVAL)
		return -1;

	/* Check what we got. */
	if (getresuid(&r, &e, &s) || r != CKPT_NOBODY || e != CKPT_NOBODY ||
	    s != CKPT_NOBODY || getegid() != CKPT_NOBODY ||
	    getgroups(0, NULL) != 0)
		return -1;
	if (ckpt_capget(caps))
		return -1;
	for (int i = 0; i < 2; i++) {
		uint32_t want = (priv == CKPT_PRIV_CR && i == cr_word) ? cr_bit : 0;

		if (caps[i].effective != want || caps[i].permitted != want ||
		    caps[i].inheritable != 0)
			return -1;
	}
	return 0;
}

enum ckpt_op { CKPT_OP_CHECKPOINT, CKPT_OP_RESTART };

/* Exit codes of the child of ckpt_call_as() that are not an errno. */
#define CKPT_CHILD_SETUP_FAILED	200
#define CKPT_CHILD_ODD_RETURN	201

/*
 * Call checkpoint(2) or restart(2) from a child with @priv privileges (the
 * fds are inherited).  Returns 0 if the call succeeded, its errno if it
 * failed, or a negative number if the child could not do the call:
 * -CKPT_CHILD_SETUP_FAILED (dropping privileges failed), -CKPT_CHILD_ODD_RETURN
 * (neither 0 nor -1), -1000 - signal (the child was killed).
 */
static inline int ckpt_call_as(enum ckpt_priv priv, enum ckpt_op op, pid_t pid,
			       int fd, unsigned int flags, int logfd)
{
	int status;
	pid_t child;

	fflush(stdout);
	fflush(stderr);
	child = fork();
	if (child < 0)
		return -errno;
	if (child == 0) {
		long ret;

		prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
		if (ckpt_drop_privileges(priv))
			_exit(CKPT_CHILD_SETUP_FAILED);
		ret = op == CKPT_OP_CHECKPOINT ?
		      sys_checkpoint(pid, fd, flags, logfd) :
		      sys_restart(pid, fd, flags, logfd);
		if (ret == 0)
			_exit(0);
		if (ret != -1 || errno <= 0 || errno >= CKPT_CHILD_SETUP_FAILED)
			_exit(CKPT_CHILD_ODD_RETURN);
		_exit(errno);
	}
	while (waitpid(child, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	if (WIFSIGNALED(status))
		return -1000 - WTERMSIG(status);
	if (WEXITSTATUS(status) >= CKPT_CHILD_SETUP_FAILED)
		return -WEXITSTATUS(status);
	return WEXITSTATUS(status);
}

/* ------------------------------------------------------------------ */
/* /proc: memory maps, stat, syscall                                   */

/*
 * Call @fn for each line of the file at @path, without its newline (lines
 * longer than 1023 bytes are cut).  No allocation, no stdio: a target runs
 * this after fork().  Returns 0, what @fn returned if not 0, or -errno.
 */
static inline int ckpt_for_each_line(const char *path,
				     int (*fn)(const char *line, void *arg),
				     void *arg)
{
	char buf[4096], line[1024];
	size_t len = 0;
	ssize_t n;
	int fd, ret = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (!ret && (n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			break;
		}
		for (ssize_t i = 0; i < n && !ret; i++) {
			if (buf[i] == '\n') {
				line[len] = '\0';
				ret = fn(line, arg);
				len = 0;
			} else if (len < sizeof(line) - 1) {
				line[len++] = buf[i];
			}
		}
	}
	if (!ret && len) {
		line[len] = '\0';
		ret = fn(line, arg);
	}
	close(fd);
	return ret;
}

/* A memory area as /proc/PID/smaps (or maps) shows it. */
struct ckpt_map {
	uint64_t start, end;
	uint64_t pgoff;		/* in pages */
	char perms[5];		/* "rwxp" */
	uint32_t flags;		/* CKPT_VMA_* from VmFlags (smaps only) */
	char path[256];		/* "", "[stack]", "/path"... */
};

/* Parse the first line of a maps entry; false for any other line. */
static inline bool ckpt_map_parse(const char *line, struct ckpt_map *v)
{
	unsigned long long start, end, off;
	char perms[8];
	int pos = -1;

	if (!((line[0] >= '0' && line[0] <= '9') ||
	      (line[0] >= 'a' && line[0] <= 'f')))
		return false;
	if (sscanf(line, "%llx-%llx %7s %llx %*s %*s %n", &start, &end, perms,
		   &off, &pos) < 4 || strlen(perms) != 4)
		return false;
	memset(v, 0, sizeof(*v));
	v->start = start;
	v->end = end;
	v->pgoff = off / (uint64_t)sysconf(_SC_PAGESIZE);
	memcpy(v->perms, perms, 5);
	if (pos > 0 && (size_t)pos <= strlen(line))
		snprintf(v->path, sizeof(v->path), "%s", line + pos);
	return true;
}

/* The CKPT_VMA_* flags of a smaps "VmFlags:" line. */
static inline uint32_t ckpt_vmflags_parse(const char *s)
{
	static const struct { char name[3]; uint32_t flag; } names[] = {
		{ "gd", CKPT_VMA_GROWSDOWN }, { "lo", CKPT_VMA_LOCKED },
		{ "dc", CKPT_VMA_DONTFORK }, { "dd", CKPT_VMA_DONTDUMP },
		{ "rr", CKPT_VMA_RAND_READ }, { "sr", CKPT_VMA_SEQ_READ },
	};
	uint32_t flags = 0;

	while (*s) {
		while (*s == ' ')
			s++;
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (!strncmp(s, names[i].name, 2) &&
			    (s[2] == ' ' || s[2] == '\0'))
				flags |= names[i].flag;
		while (*s && *s != ' ')
			s++;
	}
	return flags;
}

struct ckpt_maps {
	struct ckpt_map *v;
	size_t nr, cap;
};

static inline int ckpt_maps_line(const char *line, void *arg)
{
	struct ckpt_maps *m = arg;
	struct ckpt_map v;

	if (ckpt_map_parse(line, &v)) {
		if (m->nr == m->cap) {
			size_t cap = m->cap ? 2 * m->cap : 64;
			struct ckpt_map *n = realloc(m->v, cap * sizeof(*n));

			if (!n)
				return -ENOMEM;
			m->v = n;
			m->cap = cap;
		}
		m->v[m->nr++] = v;
	} else if (!strncmp(line, "VmFlags:", 8) && m->nr) {
		m->v[m->nr - 1].flags = ckpt_vmflags_parse(line + 8);
	}
	return 0;
}

/*
 * The memory areas of task @pid, from /proc/@pid/smaps (with their
 * VmFlags).  Returns 0 with @m filled (free m->v), or -errno.
 */
static inline int ckpt_maps_read(pid_t pid, struct ckpt_maps *m)
{
	char path[64];
	int err;

	memset(m, 0, sizeof(*m));
	snprintf(path, sizeof(path), "/proc/%d/smaps", (int)pid);
	err = ckpt_for_each_line(path, ckpt_maps_line, m);
	if (err) {
		free(m->v);
		memset(m, 0, sizeof(*m));
	}
	return err;
}

static inline const struct ckpt_map *ckpt_maps_find(const struct ckpt_maps *m,
						    const char *path)
{
	for (size_t i = 0; i < m->nr; i++)
		if (!strcmp(m->v[i].path, path))
			return &m->v[i];
	return NULL;
}

/*
 * Shared mappings: a test process has several, and a target forked from it
 * inherits them.  The harness maps its results and each test's metadata
 * MAP_SHARED, and the fixture data too with FIXTURE_TEARDOWN_PARENT (see
 * ckpt_target_main()).  They are the harness's, not the target's: its
 * image must not hold them (and a target restored with them would write
 * into the harness's results).
 */
#define CKPT_MAX_SHARED	64

struct ckpt_shared {
	uint64_t start[CKPT_MAX_SHARED], end[CKPT_MAX_SHARED];
	unsigned int nr;
	bool more;
};

static inline int ckpt_shared_line(const char *line, void *arg)
{
	struct ckpt_shared *s = arg;
	struct ckpt_map v;

	if (!ckpt_map_parse(line, &v) || v.perms[3] != 's')
		return 0;
	if (s->nr == CKPT_MAX_SHARED) {
		s->more = true;
		return 0;
	}
	s->start[s->nr] = v.start;
	s->end[s->nr] = v.end;
	s->nr++;
	return 0;
}

/* Unmap every shared mapping of the caller; 0, or -1 if some are left. */
static inline int ckpt_unmap_shared(void)
{
	for (int pass = 0; pass < 16; pass++) {
		struct ckpt_shared s = { .nr = 0 };

		if (ckpt_for_each_line("/proc/self/maps", ckpt_shared_line, &s))
			return -1;
		if (!s.nr)
			return 0;
		for (unsigned int i = 0; i < s.nr; i++)
			if (munmap((void *)(uintptr_t)s.start[i],
				   s.end[i] - s.start[i]))
				return -1;
	}
	return -1;
}

/*
 * The numeric fields of /proc/@pid/stat (or of any "stat" @path), numbered
 * as in proc(5): f[4] is the ppid, f[26] startcode, f[52] exit_code...;
 * f[3] is the state letter.  Returns the number of the last field read, or
 * -errno.
 */
static inline int ckpt_proc_stat_path(const char *path, long long f[64])
{
	char buf[2048], *p, *end;
	ssize_t n;
	int fd, field;

	memset(f, 0, 64 * sizeof(f[0]));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = ckpt_read_all(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -EIO;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	if (!p || p[1] != ' ')
		return -EIO;
	f[3] = p[2];
	p += 3;
	for (field = 4; field < 64; field++) {
		while (*p == ' ')
			p++;
		if (!*p || *p == '\n')
			break;
		f[field] = (long long)strtoull(p, &end, 10);
		if (*p == '-')
			f[field] = strtoll(p, &end, 10);
		if (end == p)
			return -EIO;
		p = end;
	}
	return field - 1;
}

static inline int ckpt_proc_stat(pid_t pid, long long f[64])
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	return ckpt_proc_stat_path(path, f);
}

/* What /proc/<pid>/task/<tid>/syscall says of a blocked task. */
struct ckpt_syscall {
	long long nr;		/* -1: not in a system call */
	uint64_t args[6];
	uint64_t sp, pc;
};

/* 0, -EAGAIN ("running"), or -errno. */
static inline int ckpt_proc_syscall(pid_t pid, pid_t tid,
				    struct ckpt_syscall *sc)
{
	char path[96], buf[512];
	unsigned long long a[8];
	ssize_t n;
	int fd, got;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/syscall", (int)pid,
		 (int)tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = ckpt_read_all(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -EIO;
	buf[n] = '\0';
	if (!strncmp(buf, "running", 7))
		return -EAGAIN;
	memset(sc, 0, sizeof(*sc));
	got = sscanf(buf, "%lld %llx %llx %llx %llx %llx %llx %llx %llx",
		     &sc->nr, &a[0], &a[1], &a[2], &a[3], &a[4], &a[5], &a[6],
		     &a[7]);
	if (got == 3 && sc->nr < 0) {
		sc->sp = a[0];
		sc->pc = a[1];
		return 0;
	}
	if (got != 9)
		return -EIO;
	for (int i = 0; i < 6; i++)
		sc->args[i] = a[i];
	sc->sp = a[6];
	sc->pc = a[7];
	return 0;
}

/* Read the whole of a (small) file; returns its length or -errno. */
static inline ssize_t ckpt_read_file(const char *path, void *buf, size_t size)
{
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	n = ckpt_read_all(fd, buf, size);
	close(fd);
	return n < 0 ? -EIO : n;
}

/* /proc/<pid>/task/<tid>/comm, without its newline. */
static inline int ckpt_proc_comm(pid_t pid, pid_t tid, char comm[32])
{
	char path[96];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/comm", (int)pid,
		 (int)tid);
	n = ckpt_read_file(path, comm, 31);
	if (n < 0)
		return n;
	comm[n] = '\0';
	if (n && comm[n - 1] == '\n')
		comm[n - 1] = '\0';
	return 0;
}

/* Whether the page at @addr of task @pid is present (/proc/PID/pagemap). */
static inline int ckpt_page_present(pid_t pid, uint64_t addr)
{
	char path[64];
	uint64_t entry;
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/pagemap", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = pread(fd, &entry, sizeof(entry),
		  addr / (uint64_t)sysconf(_SC_PAGESIZE) * sizeof(entry));
	close(fd);
	if (n != sizeof(entry))
		return -EIO;
	return !!(entry >> 63);
}

/* ------------------------------------------------------------------ */
/* Processes, credentials and limits of the caller                     */

#define CKPT_PF_KTHREAD		0x00200000	/* in /proc/PID/stat flags */

/*
 * The number of processes the system has (/proc), or -1; kernel threads
 * aside, which the kernel starts and stops as it likes (kworkers).
 */
static inline int ckpt_nr_processes(void)
{
	DIR *dir = opendir("/proc");
	struct dirent *de;
	int n = 0;

	if (!dir)
		return -1;
	while ((de = readdir(dir))) {
		char path[300];
		long long f[64];

		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", de->d_name);
		/* gone meanwhile: not counted */
		if (ckpt_proc_stat_path(path, f) < 9)
			continue;
		if (!(f[9] & CKPT_PF_KTHREAD))
			n++;
	}
	closedir(dir);
	return n;
}

/*
 * The pid of process @pid in its own pid namespace (the last field of
 * NSpid in /proc/@pid/status: 1 for the init of a new one), or -1.
 */
static inline long ckpt_inner_pid(pid_t pid)
{
	char path[64], buf[4096], *p, *end;
	long inner = -1;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	n = ckpt_read_file(path, buf, sizeof(buf) - 1);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	p = strstr(buf, "NSpid:");
	if (!p)
		return -1;
	p += 6;
	for (;;) {
		long v = strtol(p, &end, 10);

		if (end == p)
			break;
		inner = v;
		p = end;
	}
	return inner;
}

/* Open fd @fd of process @pid through /proc (a pipe's other end...). */
static inline int ckpt_proc_fd_open(pid_t pid, int fd, int flags)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)pid, fd);
	return open(path, flags | O_CLOEXEC);
}

/*
 * The caller's own credentials as a credentials record would hold them,
 * with up to @max of its supplementary groups in @groups: what a restart
 * by the caller may always restore.  Returns the number of groups, or -1.
 */
static inline int ckpt_cred_self(struct ckpt_hdr_cred *c, uint32_t *groups,
				 int max)
{
	struct __user_cap_data_struct caps[2];
	uid_t r, e, s;
	gid_t gr, ge, gs;
	gid_t g[256];
	int n;

	memset(c, 0, sizeof(*c));
	if (getresuid(&r, &e, &s) || getresgid(&gr, &ge, &gs) ||
	    ckpt_capget(caps))
		return -1;
	c->uid = r;
	c->euid = e;
	c->suid = s;
	c->fsuid = setfsuid(-1);
	c->gid = gr;
	c->egid = ge;
	c->sgid = gs;
	c->fsgid = setfsgid(-1);
	c->cap_inheritable = caps[0].inheritable |
			     (uint64_t)caps[1].inheritable << 32;
	c->cap_permitted = caps[0].permitted | (uint64_t)caps[1].permitted << 32;
	c->cap_effective = caps[0].effective | (uint64_t)caps[1].effective << 32;
	for (int cap = 0; cap <= CAP_LAST_CAP; cap++) {
		if (prctl(PR_CAPBSET_READ, cap, 0, 0, 0) == 1)
			c->cap_bset |= 1ULL << cap;
		if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, cap, 0, 0) == 1)
			c->cap_ambient |= 1ULL << cap;
	}
	n = prctl(PR_GET_SECUREBITS, 0, 0, 0, 0);
	if (n < 0)
		return -1;
	c->securebits = n;
	n = getgroups(256, g);
	if (n < 0)
		return -1;
	if (n > max)
		n = max;
	for (int i = 0; i < n; i++)
		groups[i] = g[i];
	/* sorted, as the kernel keeps them */
	for (int i = 1; i < n; i++)
		for (int k = i; k > 0 && groups[k] < groups[k - 1]; k--) {
			uint32_t t = groups[k];

			groups[k] = groups[k - 1];
			groups[k - 1] = t;
		}
	c->nr_groups = n;
	return n;
}

/* The caller's resource limits, in the image's order (RLIMIT_* of x86_64). */
static inline int ckpt_rlimits_self(struct ckpt_rlimit rl[CKPT_NR_RLIMITS])
{
	for (int r = 0; r < CKPT_NR_RLIMITS; r++) {
		struct rlimit l;

		if (getrlimit(r, &l))
			return -1;
		rl[r].cur = l.rlim_cur;
		rl[r].max = l.rlim_max;
	}
	return 0;
}

static inline int ckpt_rm_one(const char *path, const struct stat *st,
			      int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path) && errno != ENOENT ? -1 : 0;
}

/* Remove the directory tree at @path (a test's scratch directory). */
static inline int ckpt_rm_tree(const char *path)
{
	if (!path || !path[0])
		return 0;
	return nftw(path, ckpt_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* ------------------------------------------------------------------ */
/* Targets: processes to checkpoint                                    */

#define CKPT_TARGET_KID		0x1	/* it forks a child that sleeps */
#define CKPT_TARGET_THREAD	0x2	/* it starts a second thread that sleeps */
#define CKPT_TARGET_NOBODY	0x4	/* it becomes uid/gid 65534 (after forking) */
#define CKPT_TARGET_ZOMBIE_KID	0x8	/* its child exits and is never reaped */

/*
 * A target is a child of the test process that answers pings: each byte
 * written to @cmd comes back on @reply, so a target that answers is alive
 * and running (not frozen, not stopped).
 *
 * The target's ends of those pipes are shared with the test, outside the
 * target's tree: checkpoint(2) refuses them (leak detection) unless it is
 * given CHECKPOINT_EXTERNAL, which saves them as external files, and a
 * restart of such an image needs the caller's files at those fds, or
 * RESTART_EXTERNAL_NULL (/dev/null in their place).  A test whose subject
 * is not external files checkpoints a target with CKPT_TARGET_CHECKPOINT
 * and restarts its image with CKPT_TARGET_RESTART.
 */
#define CKPT_TARGET_CHECKPOINT	CHECKPOINT_EXTERNAL
#define CKPT_TARGET_RESTART	RESTART_EXTERNAL_NULL

#define CKPT_TARGET_INFO_SIZE	512

struct ckpt_target {
	pid_t pid;	/* the target, a child of the caller */
	pid_t kid;	/* its child (KID, ZOMBIE_KID, or a hook's), or 0 */
	pid_t tid;	/* its second thread (THREAD, or a hook's), or 0 */
	int cmd;	/* write end: pings */
	int reply;	/* read end: pongs */
	int in_cmd;	/* the target's fds of their other ends */
	int in_reply;
	/* what the target's hook reported, if it has one */
	uint8_t info[CKPT_TARGET_INFO_SIZE] __attribute__((aligned(8)));
};

/* What a target says when it is ready. */
struct ckpt_target_hello {
	int ready;	/* 1: ready; 0: the setup failed at step @err */
	int err;
	pid_t kid;
	pid_t tid;
	uint8_t info[CKPT_TARGET_INFO_SIZE] __attribute__((aligned(8)));
};

/*
 * A hook that sets up more state in a target, last before it says it is
 * ready (in the target, after the CKPT_TARGET_* options): it may fill
 * @hello->info (copied to the caller's struct ckpt_target) and set
 * @hello->kid and @hello->tid (a child that ckpt_target_kill() reaps).  It
 * returns 0, or not 0 if the setup failed.  @arg is the caller's, as it was
 * at fork(): it must not point into the fixture data of a fixture with
 * FIXTURE_TEARDOWN_PARENT, which a target does not keep (shared memory,
 * see ckpt_target_main()); the test function's locals are fine.
 */
typedef int (*ckpt_target_fn)(void *arg, struct ckpt_target_hello *hello);

static pid_t ckpt_target_thread_tid;

static inline void *ckpt_target_thread(void *arg)
{
	(void)arg;
	__atomic_store_n(&ckpt_target_thread_tid, gettid(), __ATOMIC_SEQ_CST);
	for (;;)
		pause();
	return NULL;
}

/* Close every fd from 3 up, except @keep1 and @keep2. */
static inline void ckpt_close_fds_except(int keep1, int keep2)
{
	int lo = keep1 < keep2 ? keep1 : keep2;
	int hi = keep1 < keep2 ? keep2 : keep1;

	if (lo > 3)
		syscall(SYS_close_range, 3, lo - 1, 0);
	if (hi > lo + 1)
		syscall(SYS_close_range, lo + 1, hi - 1, 0);
	syscall(SYS_close_range, hi + 1, ~0U, 0);
}

/*
 * Put /dev/null on fds 0, 1 and 2, as a container's init has them.  A
 * fork of a test process has the test's there, the console and the
 * runner's pipe: checkpoint refuses a terminal, and a pipe whose other end
 * is outside the container would not come back as it was.
 */
static inline int ckpt_stdio_devnull(void)
{
	int fd = open("/dev/null", O_RDWR);

	if (fd < 0)
		return -1;
	for (int i = 0; i < 3; i++)
		if (fd != i && dup2(fd, i) != i)
			return -1;
	if (fd > 2)
		close(fd);
	return 0;
}

/*
 * The target process.  It is a fork of the test process, so it starts with
 * the test's shared mappings: the harness maps its results and each test's
 * metadata MAP_SHARED, and with FIXTURE_TEARDOWN_PARENT the fixture data
 * too.  They are not the target's (and checkpoint(2) refused all shared
 * mappings at first), so the target unmaps every one of them first, once
 * it has used @cg (which may be fixture data); then it runs only its own
 * code and never returns to the harness's.
 * Its fds are 0-2 on /dev/null, @cmd and @reply, and what @fn opens.
 */
static inline void ckpt_target_main(const char *cg, unsigned int opts,
				    int cmd, int reply, pid_t parent,
				    ckpt_target_fn fn, void *arg)
{
	static struct ckpt_target_hello hello;
	sigset_t all;

	memset(&hello, 0, sizeof(hello));
	hello.ready = 1;

	ckpt_close_fds_except(cmd, reply);
	if (ckpt_stdio_devnull() ||
	    prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) || getppid() != parent)
		_exit(1);
	/* The test may play with SIGALRM, SIGPIPE, etc.: keep the defaults. */
	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	signal(SIGPIPE, SIG_DFL);

	if (cg && ckpt_cg_move(cg, getpid())) {
		hello.ready = 0;
		hello.err = 1;
		goto out;
	}
	if (ckpt_unmap_shared()) {
		hello.ready = 0;
		hello.err = 7;
		goto out;
	}
	if (opts & CKPT_TARGET_KID) {
		pid_t me = getpid(), kid = fork();

		if (kid == 0) {
			close(cmd);
			close(reply);
			if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) ||
			    getppid() != me)
				_exit(1);
			for (;;)
				pause();
		}
		if (kid < 0) {
			hello.ready = 0;
			hello.err = 2;
			goto out;
		}
		hello.kid = kid;
	}
	if (opts & CKPT_TARGET_ZOMBIE_KID) {
		siginfo_t si;
		pid_t kid = fork();

		if (kid == 0)
			_exit(0);
		/* Wait for it to die, but leave it a zombie. */
		if (kid < 0 || waitid(P_PID, kid, &si, WEXITED | WNOWAIT)) {
			hello.ready = 0;
			hello.err = 3;
			goto out;
		}
		hello.kid = kid;
	}
	if (opts & CKPT_TARGET_THREAD) {
		pthread_t thread;
		struct timespec start;

		if (pthread_create(&thread, NULL, ckpt_target_thread, NULL)) {
			hello.ready = 0;
			hello.err = 4;
			goto out;
		}
		clock_gettime(CLOCK_MONOTONIC, &start);
		while (!__atomic_load_n(&ckpt_target_thread_tid, __ATOMIC_SEQ_CST)) {
			if (ckpt_ms_since(&start) > 10000) {
				hello.ready = 0;
				hello.err = 5;
				goto out;
			}
			ckpt_sleep_ms(1);
		}
		hello.tid = ckpt_target_thread_tid;
	}
	if (opts & CKPT_TARGET_NOBODY) {
		if (setgroups(0, NULL) ||
		    setresgid(CKPT_NOBODY, CKPT_NOBODY, CKPT_NOBODY) ||
		    setresuid(CKPT_NOBODY, CKPT_NOBODY, CKPT_NOBODY) ||
		    /* a uid change makes the task non-dumpable: undo it */
		    prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) ||
		    /* and clears the parent-death signal */
		    prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) ||
		    getppid() != parent) {
			hello.ready = 0;
			hello.err = 6;
			goto out;
		}
	}
	if (fn && fn(arg, &hello)) {
		hello.ready = 0;
		hello.err = 8;
		goto out;
	}
out:
	if (ckpt_write_all(reply, &hello, sizeof(hello)) || !hello.ready)
		_exit(1);
	for (;;) {
		char c;
		ssize_t n = read(cmd, &c, 1);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			_exit(0);
		if (ckpt_write_all(reply, &c, 1))
			_exit(0);
	}
}

/* Wait up to @timeout_ms for a byte on the target's reply pipe. */
static inline int ckpt_target_wait_reply(struct ckpt_target *t, int timeout_ms)
{
	struct pollfd pfd = { .fd = t->reply, .events = POLLIN };
	char c;
	int n;

	do {
		n = poll(&pfd, 1, timeout_ms);
	} while (n < 0 && errno == EINTR);
	if (n == 0)
		return -ETIMEDOUT;
	if (n < 0)
		return -errno;
	n = read(t->reply, &c, 1);
	return n == 1 ? 0 : -EPIPE;
}

/* 0 if the target answers a ping within @timeout_ms. */
static inline int ckpt_target_ping(struct ckpt_target *t, int timeout_ms)
{
	char c = 'p';

	if (ckpt_write_all(t->cmd, &c, 1))
		return -EPIPE;
	return ckpt_target_wait_reply(t, timeout_ms);
}

/* Whether the target is alive and not a zombie. */
static inline bool ckpt_target_alive(struct ckpt_target *t)
{
	int status;

	return t->pid > 0 && waitpid(t->pid, &status, WNOHANG) == 0;
}

/* Kill and reap the target and its child, and close the pipes. */
static inline void ckpt_target_kill(struct ckpt_target *t)
{
	if (t->kid > 0)
		kill(t->kid, SIGKILL);
	if (t->pid > 0) {
		kill(t->pid, SIGKILL);
		while (waitpid(t->pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	/* An orphan comes to us, the subreaper, once its parent is reaped. */
	if (t->kid > 0)
		while (waitpid(t->kid, NULL, 0) < 0 && errno == EINTR)
			;
	if (t->cmd >= 0)
		close(t->cmd);
	if (t->reply >= 0)
		close(t->reply);
	memset(t, 0, sizeof(*t));
	t->cmd = t->reply = -1;
}

static inline void ckpt_target_init(struct ckpt_target *t)
{
	memset(t, 0, sizeof(*t));
	t->cmd = t->reply = -1;
}

/*
 * Fork a target that moves itself into @cg (if not NULL), sets itself up as
 * @opts asks, runs @fn (if not NULL), then answers pings forever.  Returns
 * 0 once it is ready.
 */
static inline int ckpt_target_spawn_with(struct ckpt_target *t, const char *cg,
					 unsigned int opts, ckpt_target_fn fn,
					 void *arg)
{
	struct ckpt_target_hello hello = { .ready = 0 };
	struct pollfd pfd;
	int cmd[2], reply[2];
	pid_t parent = getpid(), pid;
	ssize_t n = 0;

	ckpt_target_init(t);
	/* So that a target's orphaned child can be reaped here. */
	prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
	if (pipe2(cmd, O_CLOEXEC))
		return -errno;
	if (pipe2(reply, O_CLOEXEC)) {
		close(cmd[0]);
		close(cmd[1]);
		return -errno;
	}
	fflush(stdout);
	fflush(stderr);
	/*
	 * Not t->pid = fork(): @t may be in memory shared with the child (a
	 * fixture's data, with FIXTURE_TEARDOWN_PARENT), where the child's 0
	 * would overwrite the parent's pid.
	 */
	pid = fork();
	if (pid == 0)
		ckpt_target_main(cg, opts, cmd[0], reply[1], parent, fn, arg);
	close(cmd[0]);
	close(reply[1]);
	t->cmd = cmd[1];
	t->reply = reply[0];
	t->in_cmd = cmd[0];
	t->in_reply = reply[1];
	if (pid < 0) {
		ckpt_target_kill(t);
		return -EAGAIN;
	}
	t->pid = pid;

	pfd.fd = t->reply;
	pfd.events = POLLIN;
	if (poll(&pfd, 1, 10000) != 1)
		goto fail;
	n = ckpt_read_all(t->reply, &hello, sizeof(hello));
	if (n != sizeof(hello) || !hello.ready)
		goto fail;
	t->kid = hello.kid;
	t->tid = hello.tid;
	memcpy(t->info, hello.info, sizeof(t->info));
	return 0;
fail:
	/* A child the target made before it failed is ours to reap. */
	if (n == sizeof(hello) && hello.kid > 0)
		t->kid = hello.kid;
	ckpt_target_kill(t);
	return -EIO;
}

static inline int ckpt_target_spawn(struct ckpt_target *t, const char *cg,
				    unsigned int opts)
{
	return ckpt_target_spawn_with(t, cg, opts, NULL, NULL);
}

/*
 * The simplest target: fork a child that moves itself into @cg, then sleeps
 * until killed.  Returns its pid once it is in @cg, or -1.  The caller kills
 * and reaps it.
 */
static inline pid_t ckpt_spawn_sleeper(const char *cg)
{
	pid_t parent = getpid(), pid;
	int ready[2];
	char c = 0;

	if (pipe2(ready, O_CLOEXEC))
		return -1;
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid == 0) {
		close(ready[0]);
		if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) ||
		    getppid() != parent || ckpt_cg_move(cg, getpid()))
			_exit(1);
		if (ckpt_write_all(ready[1], "r", 1))
			_exit(1);
		close(ready[1]);
		for (;;)
			pause();
	}
	close(ready[1]);
	if (pid > 0 && (ckpt_read_all(ready[0], &c, 1) != 1 || c != 'r')) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		pid = -1;
	}
	close(ready[0]);
	return pid;
}

static inline int ckpt_target_spawn_frozen_with(struct ckpt_target *t,
						const char *cg, unsigned int opts,
						ckpt_target_fn fn, void *arg)
{
	int err = ckpt_target_spawn_with(t, cg, opts, fn, arg);

	if (!err)
		err = ckpt_cg_freeze(cg);
	if (err)
		ckpt_target_kill(t);
	return err;
}

/* A target in @cg, frozen. */
static inline int ckpt_target_spawn_frozen(struct ckpt_target *t,
					   const char *cg, unsigned int opts)
{
	return ckpt_target_spawn_frozen_with(t, cg, opts, NULL, NULL);
}

/*
 * The state letter of task @pid in /proc (R, S, T, Z...), or 0.  @pid may
 * be a thread of another process: /proc/<tid> works too.
 */
static inline char ckpt_proc_state(pid_t pid)
{
	char path[64], buf[512], *p;
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : 0;
}

/*
 * Read from @fd, at offset @off, to its end, into a new buffer (8-byte
 * aligned, as ckpt_records_split() wants).  Returns 0 with *@buf (to be
 * freed) and *@len, or -errno.
 */
static inline int ckpt_read_image_at(int fd, off_t off, uint8_t **buf,
				     size_t *len)
{
	off_t size = ckpt_size(fd);
	ssize_t n;

	*buf = NULL;
	*len = 0;
	if (size < 0)
		return -errno;
	if (size < off)
		return -EINVAL;
	*buf = malloc(size - off + 1);
	if (!*buf)
		return -ENOMEM;
	n = pread(fd, *buf, size - off, off);
	if (n != size - off) {
		free(*buf);
		*buf = NULL;
		return n < 0 ? -errno : -EIO;
	}
	*len = n;
	return 0;
}

/*
 * A real image: checkpoint a frozen target of our own (started with @opts)
 * into a memfd, and return what checkpoint(2) wrote in *@img (malloc'd)
 * and *@len.  Cleans up everything it made.  Returns 0, or a negative
 * errno with @why saying what failed.
 */
static inline int ckpt_real_image(unsigned int opts, uint8_t **img,
				  size_t *len, const char **why)
{
	char cg[PATH_MAX];
	struct ckpt_target t;
	int fd, err;

	*img = NULL;
	*len = 0;
	*why = "creating a cgroup";
	err = ckpt_cg_create(cg, sizeof(cg));
	if (err)
		return err;
	*why = "starting a frozen target";
	err = ckpt_target_spawn_frozen(&t, cg, opts);
	if (err)
		goto out_cg;
	*why = "memfd_create";
	fd = memfd_create("ckpt-selftest", MFD_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		goto out_target;
	}
	*why = "checkpoint(2)";
	if (sys_checkpoint(t.pid, fd, CKPT_TARGET_CHECKPOINT, -1)) {
		err = -errno;
		goto out_fd;
	}
	*why = "the offset after checkpoint(2) is not the image's size";
	err = -EMSGSIZE;
	if (ckpt_offset(fd) != ckpt_size(fd))
		goto out_fd;
	*why = "reading the image";
	err = ckpt_read_image_at(fd, 0, img, len);
	if (err)
		goto out_fd;
	*why = "what checkpoint(2) wrote is not one whole image";
	err = -EBADMSG;
	if (ckpt_image_length(*img, *len) != *len) {
		free(*img);
		*img = NULL;
		*len = 0;
		goto out_fd;
	}
	*why = NULL;
	err = 0;
out_fd:
	close(fd);
out_target:
	ckpt_target_kill(&t);
out_cg:
	ckpt_cg_destroy(cg);
	return err;
}

/* A SIGALRM handler that only interrupts: guards against hangs. */
static inline void ckpt_alarm_handler(int sig)
{
	(void)sig;
}

/*
 * Send SIGALRM, handled without SA_RESTART, every @seconds from now on, to
 * interrupt a blocked call: the calls under test turn an interruption into
 * EINTR, so a hang becomes a failure.  It repeats in case the first signal
 * comes before the call has started to wait.
 */
static inline void ckpt_arm_alarm(unsigned int seconds)
{
	struct itimerval it = {
		.it_interval = { .tv_sec = seconds },
		.it_value = { .tv_sec = seconds },
	};
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = ckpt_alarm_handler;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
}

static inline void ckpt_disarm_alarm(void)
{
	struct itimerval it = { 0 };

	setitimer(ITIMER_REAL, &it, NULL);
}

/* ------------------------------------------------------------------ */
/* Building images record by record                                    */

/*
 * Crafted images, built on the synthetic header: ib_begin(), records,
 * ib_end().  Every live task of a crafted image has the whole state of
 * the current format: its CPU state with its TLS descriptors (three
 * unused entries), then attributes, credentials, fd table, fs, handlers,
 * signal state (no POSIX timers), its own signal state: the caller's own
 * credentials and limits, so that a restart by the caller could restore
 * them.  Threads (tasks of one tgid) share their leader's fd table, fs,
 * handlers and signal state, which they name by objref again (the fs
 * written in full).  A process with an address space of its own has it
 * right after its task record (ib_live_task_mm()); the order of version
 * 3, its address space first, is for the first task only.  A container
 * with an IPC namespace of its own starts with ib_begin_ipc(), and its
 * IPC objects come right after (each segment with its contents:
 * ib_ipc_shm(), ib_file_pages(); ib_ipc_sem(), ib_ipc_sem_undo(),
 * ib_ipc_msg(), ib_ipc_mqueue()); files open on a queue, ib_mq_file().
 */

/* The objrefs of what the threads of a crafted process share (0: none yet). */
struct ib_proc {
	uint32_t fdt, fs, sighand, signal;
};

#define IB_PROCS	16	/* processes of a crafted image: tgid 1 to 15 */

struct ib {
	uint8_t *buf;
	size_t len, cap;
	uint64_t records;
	uint32_t max_obj;	/* the highest objref written so far */
	struct ib_proc proc[IB_PROCS];	/* by tgid */
	bool oom;
};

static inline void ib_obj(struct ib *b, uint32_t objref)
{
	if (objref > b->max_obj)
		b->max_obj = objref;
}

/* Append a record of @len bytes (its header is filled in here), padded. */
static inline void *ib_put(struct ib *b, uint32_t type, const void *rec, uint32_t len)
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

/*
 * The synthetic header alone, with the features every x86_64 CPU has: an
 * image without its namespaces record, for the tests of that rule.
 */
static inline void ib_begin_bare(struct ib *b)
{
	struct ckpt_image img;

	memset(b, 0, sizeof(*b));
	ckpt_image_build(&img, 3, time(NULL));
	ib_put(b, CKPT_HDR_HEADER, &img.hdr, CKPT_HDR_SIZE);
}

/*
 * A namespaces record: @flags, and the names (NULL: none, all zero).  The
 * record (NULL if out of memory), valid until the next ib_put(), for a
 * test to change.
 */
static inline struct ckpt_hdr_namespaces *ib_namespaces(struct ib *b,
							uint32_t flags,
							const char *host,
							const char *domain)
{
	struct ckpt_hdr_namespaces ns;

	ckpt_ns_build(&ns);
	ns.flags = flags;
	if (host)
		strncpy(ns.hostname, host, sizeof(ns.hostname));
	if (domain)
		strncpy(ns.domainname, domain, sizeof(ns.domainname));
	return ib_put(b, CKPT_HDR_NAMESPACES, &ns, sizeof(ns));
}

/*
 * The synthetic header and the namespaces record of a container in the
 * namespaces of its restarter (no flags), as every image starts.
 */
static inline void ib_begin(struct ib *b)
{
	ib_begin_bare(b);
	ib_namespaces(b, 0, NULL, NULL);
}

/*
 * The synthetic header and the namespaces record of a container with an
 * IPC namespace of its own (CKPT_NS_IPC): its IPC objects, if any, come
 * next (ib_ipc_shm(), ib_ipc_sem(), ib_ipc_sem_undo(), ib_ipc_msg(),
 * ib_ipc_mqueue()).
 */
static inline void ib_begin_ipc(struct ib *b)
{
	ib_begin_bare(b);
	ib_namespaces(b, CKPT_NS_IPC, NULL, NULL);
}

/* The tail, over everything before it. */
static inline void ib_end(struct ib *b)
{
	if (b->oom)
		return;
	/* ib_put() always leaves room for it. */
	ckpt_seal_at(b->buf, b->len, b->records);
	b->len += CKPT_TAIL_SIZE;
}

static inline void ib_free(struct ib *b)
{
	free(b->buf);
	memset(b, 0, sizeof(*b));
}

/* A string record of @len bytes at @s (the NUL included, or not). */
static inline void ib_string(struct ib *b, const void *s, uint32_t len)
{
	struct ckpt_hdr_string *rec;

	rec = ib_put(b, CKPT_HDR_STRING, NULL, sizeof(*rec) + len);
	if (!rec)
		return;
	rec->len = len;
	memcpy(rec + 1, s, len);
}

/* A file record of any kind, without its string; NULL if out of memory. */
static inline struct ckpt_hdr_file *ib_file_rec(struct ib *b, uint32_t objref,
					 uint32_t type, uint32_t f_flags)
{
	struct ckpt_hdr_file f = {
		.objref = objref,
		.type = type,
		.f_flags = f_flags,
		.size = type == CKPT_FILE_REG ? 3 * 4096 : 0,
		.rdev = type == CKPT_FILE_CHR ? ckpt_encode_dev(1, 3) : 0,
	};

	ib_obj(b, objref);
	return ib_put(b, CKPT_HDR_FILE, &f, sizeof(f));
}

/* A regular file record, without its string. */
static inline void ib_file_only(struct ib *b, uint32_t objref)
{
	/* O_LARGEFILE, as the kernel has it */
	ib_file_rec(b, objref, CKPT_FILE_REG, 0100000);
}

static inline void ib_file(struct ib *b, uint32_t objref, const char *path)
{
	ib_file_only(b, objref);
	ib_string(b, path, strlen(path) + 1);
}

/* A regular file of @size bytes (what a restart finds at @path). */
static inline void ib_file_sized(struct ib *b, uint32_t objref,
				 const char *path, uint64_t size)
{
	struct ckpt_hdr_file *f = ib_file_rec(b, objref, CKPT_FILE_REG,
					      0100000);

	if (f)
		f->size = size;
	ib_string(b, path, strlen(path) + 1);
}

/* A pipe holding @len bytes (of @data bytes in the record). */
static inline void ib_pipe_ex(struct ib *b, uint32_t objref, uint32_t size,
		       uint32_t len, uint32_t data)
{
	struct ckpt_hdr_pipe *p;

	ib_obj(b, objref);
	p = ib_put(b, CKPT_HDR_PIPE, NULL, sizeof(*p) + data);
	if (!p)
		return;
	p->objref = objref;
	p->size = size;
	p->len = len;
	for (uint32_t i = 0; i < data; i++)
		((uint8_t *)(p + 1))[i] = (uint8_t)('a' + i % 26);
}

static inline void ib_pipe(struct ib *b, uint32_t objref, uint32_t size, uint32_t len)
{
	ib_pipe_ex(b, objref, size, len, len);
}

/* An end of pipe @pipe (it has no string). */
static inline void ib_pipe_end(struct ib *b, uint32_t objref, uint32_t pipe,
			uint32_t f_flags)
{
	struct ckpt_hdr_file *f = ib_file_rec(b, objref, CKPT_FILE_PIPE,
					      f_flags);

	if (f)
		f->pipe_objref = pipe;
}

/* An epoll file (version 4), open with @f_flags (O_RDWR and more). */
static inline struct ckpt_hdr_file *ib_epoll_file(struct ib *b, uint32_t objref,
						  uint32_t f_flags)
{
	return ib_file_rec(b, objref, CKPT_FILE_EPOLL, f_flags);
}

/*
 * The items record of epoll file @objref: @nr items (of @in_record in the
 * record).  The record (NULL if out of memory), valid until the next
 * ib_put(), for a test to change.
 */
static inline struct ckpt_hdr_epoll *ib_epoll_ex(struct ib *b, uint32_t objref,
						 const struct ckpt_epoll_item *items,
						 uint32_t nr, uint32_t in_record)
{
	struct ckpt_hdr_epoll *e;

	e = ib_put(b, CKPT_HDR_EPOLL, NULL,
		   sizeof(*e) + in_record * sizeof(*items));
	if (!e)
		return NULL;
	e->file_objref = objref;
	e->nr_items = nr;
	if (in_record)
		memcpy(e + 1, items, in_record * sizeof(*items));
	return e;
}

static inline struct ckpt_hdr_epoll *ib_epoll(struct ib *b, uint32_t objref,
					      const struct ckpt_epoll_item *items,
					      uint32_t nr)
{
	return ib_epoll_ex(b, objref, items, nr, nr);
}

/*
 * An external file (version 4), open for @accmode, at @fd in the first
 * task that has it, and its name.  (A test that breaks its fields builds
 * it with ib_file_rec() and ib_string().)
 */
static inline void ib_external(struct ib *b, uint32_t objref, uint32_t accmode,
			       uint32_t fd, const char *name)
{
	struct ckpt_hdr_file *f = ib_file_rec(b, objref, CKPT_FILE_EXTERNAL,
					      accmode);

	if (f)
		f->fd = fd;
	ib_string(b, name, strlen(name) + 1);
}

/*
 * A record of the contents of a shmem object (a memfd, shared anonymous
 * memory, a SysV segment): the pages at the @nr offsets @offs, each
 * filled with its own byte; @more if another record follows.
 */
static inline void ib_file_pages(struct ib *b, uint32_t objref,
				 const uint64_t *offs, uint32_t nr,
				 uint32_t more)
{
	struct ckpt_hdr_file_pages *fp;
	uint8_t *data;

	fp = ib_put(b, CKPT_HDR_FILE_PAGES, NULL,
		    sizeof(*fp) + nr * (sizeof(uint64_t) + 4096));
	if (!fp)
		return;
	fp->objref = objref;
	fp->nr_pages = nr;
	fp->more = more;
	memcpy(fp + 1, offs, nr * sizeof(uint64_t));
	data = (uint8_t *)((uint64_t *)(fp + 1) + nr);
	for (uint32_t i = 0; i < nr; i++)
		memset(data + i * 4096, 0x30 + i, 4096);
}

/* The permissions of a crafted IPC object: the caller's own, @mode. */
static inline struct ckpt_ipc_perm ib_ipc_perm(int32_t id, int32_t key,
					       uint32_t mode)
{
	struct ckpt_ipc_perm p = {
		.id = id, .key = key, .mode = mode,
		.uid = getuid(), .gid = getgid(),
		.cuid = getuid(), .cgid = getgid(),
	};

	return p;
}

/*
 * A SysV shared memory segment of @size bytes (CKPT_SHM_DEST in @flags:
 * removed while attached, which takes key 0), without its contents,
 * which must follow (ib_file_pages(): one record with no pages for an
 * empty one).  The record (NULL if out of memory), valid until the next
 * ib_put(), for a test to change.
 */
static inline struct ckpt_hdr_ipc_shm *ib_ipc_shm(struct ib *b, uint32_t objref,
						  int32_t id, int32_t key,
						  uint64_t size, uint32_t flags)
{
	struct ckpt_hdr_ipc_shm s = {
		.objref = objref,
		.flags = flags,
		.perm = ib_ipc_perm(id, key, 0600),
		.size = size,
	};

	ib_obj(b, objref);
	return ib_put(b, CKPT_HDR_IPC_SHM, &s, sizeof(s));
}

/* A semaphore set of the @nsems values @vals (NULL if out of memory). */
static inline struct ckpt_hdr_ipc_sem *ib_ipc_sem(struct ib *b, int32_t id,
						  int32_t key,
						  const uint16_t *vals,
						  uint32_t nsems)
{
	struct ckpt_hdr_ipc_sem *s;

	s = ib_put(b, CKPT_HDR_IPC_SEM, NULL,
		   sizeof(*s) + ckpt_align(nsems * sizeof(*vals)));
	if (!s)
		return NULL;
	s->perm = ib_ipc_perm(id, key, 0600);
	s->nsems = nsems;
	memcpy(s + 1, vals, nsems * sizeof(*vals));
	return s;
}

/*
 * A message queue holding @nr messages, of the types @types and the
 * NUL-terminated texts @texts (the NUL not sent); a capacity of 16384
 * bytes (MSGMNB).  NULL if out of memory.
 */
static inline struct ckpt_hdr_ipc_msg *ib_ipc_msg(struct ib *b, int32_t id,
						  int32_t key,
						  const int64_t *types,
						  const char *const *texts,
						  uint32_t nr)
{
	struct ckpt_hdr_ipc_msg *q;
	size_t len = sizeof(*q);
	uint8_t *p;

	for (uint32_t i = 0; i < nr; i++)
		len += sizeof(struct ckpt_ipc_msg) +
		       ckpt_align(strlen(texts[i]));
	q = ib_put(b, CKPT_HDR_IPC_MSG, NULL, (uint32_t)len);
	if (!q)
		return NULL;
	q->perm = ib_ipc_perm(id, key, 0600);
	q->qbytes = 16384;
	q->nr_msgs = nr;
	p = (uint8_t *)(q + 1);
	for (uint32_t i = 0; i < nr; i++) {
		struct ckpt_ipc_msg m = {
			.mtype = types[i], .size = strlen(texts[i]),
		};

		memcpy(p, &m, sizeof(m));
		memcpy(p + sizeof(m), texts[i], m.size);
		p += sizeof(m) + ckpt_align(m.size);
	}
	return q;
}

/*
 * The SEM_UNDO adjustments of process @pid on set @semid: the @nsems of
 * @adj (the set's count).  NULL if out of memory.
 */
static inline struct ckpt_hdr_ipc_sem_undo *
ib_ipc_sem_undo(struct ib *b, pid_t pid, int32_t semid, const int16_t *adj,
		uint32_t nsems)
{
	struct ckpt_hdr_ipc_sem_undo *u;

	u = ib_put(b, CKPT_HDR_IPC_SEM_UNDO, NULL,
		   sizeof(*u) + ckpt_align(nsems * sizeof(*adj)));
	if (!u)
		return NULL;
	u->pid = pid;
	u->semid = semid;
	u->nsems = nsems;
	memcpy(u + 1, adj, nsems * sizeof(*adj));
	return u;
}

/*
 * A POSIX message queue /@name (without its '/'), the caller's own, mode
 * 0600, of @maxmsg messages of @msgsize bytes at most, holding @nr
 * messages of the priorities @prios and the NUL-terminated texts @texts
 * (the NUL not sent), highest priority first as mq_receive(3) takes
 * them.  NULL if out of memory.
 */
static inline struct ckpt_hdr_ipc_mqueue *
ib_ipc_mqueue(struct ib *b, uint32_t objref, const char *name,
	      int64_t maxmsg, int64_t msgsize, const int64_t *prios,
	      const char *const *texts, uint32_t nr)
{
	struct ckpt_hdr_ipc_mqueue *q;
	size_t len = sizeof(*q);
	uint8_t *p;

	for (uint32_t i = 0; i < nr; i++)
		len += sizeof(struct ckpt_ipc_msg) +
		       ckpt_align(strlen(texts[i]));
	ib_obj(b, objref);
	q = ib_put(b, CKPT_HDR_IPC_MQUEUE, NULL, (uint32_t)len);
	if (!q)
		return NULL;
	q->objref = objref;
	q->mode = 0600;
	q->uid = getuid();
	q->gid = getgid();
	q->nr_msgs = nr;
	q->maxmsg = maxmsg;
	q->msgsize = msgsize;
	len = strlen(name);
	memcpy(q->name, name, len < sizeof(q->name) ? len :
						     sizeof(q->name) - 1);
	p = (uint8_t *)(q + 1);
	for (uint32_t i = 0; i < nr; i++) {
		struct ckpt_ipc_msg m = {
			.mtype = prios[i], .size = strlen(texts[i]),
		};

		memcpy(p, &m, sizeof(m));
		memcpy(p + sizeof(m), texts[i], m.size);
		p += sizeof(m) + ckpt_align(m.size);
	}
	return q;
}

/*
 * A file open on the POSIX message queue of objref @mq, with @f_flags
 * (its access mode and O_NONBLOCK): no string follows.  NULL if out of
 * memory.
 */
static inline struct ckpt_hdr_file *ib_mq_file(struct ib *b, uint32_t objref,
					       uint32_t mq, uint32_t f_flags)
{
	struct ckpt_hdr_file *f = ib_file_rec(b, objref, CKPT_FILE_MQUEUE,
					      f_flags);

	if (f)
		f->pipe_objref = mq;
	return f;
}

static inline void ib_mm(struct ib *b, uint32_t objref, uint32_t nr_vmas,
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

	ib_obj(b, objref);
	ib_put(b, CKPT_HDR_MM, &mm, sizeof(mm));
}

static inline void ib_vma(struct ib *b, uint64_t start, uint64_t end, uint32_t kind,
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

/*
 * An area that attaches SysV segment @objref of @size bytes at @start,
 * as shmat(2) does: whole, shared, read-write or (@rdonly) read-only.
 */
static inline struct ckpt_hdr_vma *ib_shm_vma(struct ib *b, uint64_t start,
					      uint32_t objref, uint64_t size,
					      bool rdonly)
{
	struct ckpt_hdr_vma v = {
		.start = start,
		.end = start + ckpt_align_page(size),
		.kind = CKPT_VMA_SYSV_SHM,
		.prot = CKPT_VMA_READ | (rdonly ? 0 : CKPT_VMA_WRITE),
		.flags = CKPT_VMA_SHARED | (rdonly ? CKPT_VMA_SHM_RDONLY : 0),
		.file_objref = objref,
	};

	return ib_put(b, CKPT_HDR_VMA, &v, sizeof(v));
}

static inline void ib_pages(struct ib *b, const uint64_t *addrs, uint32_t nr)
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

/*
 * A task record (with no open files), in the process group and session
 * of the container's init (0: outside); a process's exit signal is
 * SIGCHLD, a thread's -1.  NULL if out of memory; valid until the next
 * ib_put(), for a test to change.
 */
static inline struct ckpt_hdr_task *ib_task(struct ib *b, pid_t pid, pid_t tgid,
				     pid_t ppid, uint32_t mm_objref,
				     uint32_t flags, int exit_code)
{
	struct ckpt_hdr_task t = {
		.pid = pid,
		.tgid = tgid,
		.ppid = ppid,
		.exit_signal = pid == tgid ? SIGCHLD : -1,
		.mm_objref = mm_objref,
		.flags = flags,
		.exit_code = exit_code,
	};

	snprintf(t.comm, sizeof(t.comm), "crafted-%d", (int)pid);
	return ib_put(b, CKPT_HDR_TASK, &t, sizeof(t));
}

/* Registers of a 64-bit user task, but for @cs; NULL if out of memory. */
static inline struct ckpt_hdr_cpu_regs *ib_regs_cs(struct ib *b, uint64_t cs)
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

static inline void ib_regs(struct ib *b)
{
	ib_regs_cs(b, CKPT_USER_CS);
}

/*
 * An XSAVE area of @size bytes in its init state, x87 and SSE in use, in
 * a record with @extra more bytes (a newer writer's).
 */
static inline void ib_xstate_ext(struct ib *b, uint32_t size, uint32_t extra)
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

static inline void ib_xstate_only(struct ib *b, uint32_t size)
{
	ib_xstate_ext(b, size, 0);
}

/*
 * TLS descriptors (format version 3): three unused entries, as
 * checkpoint writes those of a task that set none.  The record (NULL if
 * out of memory), valid until the next ib_put(), for a test to change.
 */
static inline struct ckpt_hdr_cpu_tls *ib_tls(struct ib *b)
{
	struct ckpt_hdr_cpu_tls t;

	memset(&t, 0, sizeof(t));
	for (int i = 0; i < CKPT_TLS_ENTRIES; i++) {
		t.desc[i].entry_number = CKPT_TLS_FIRST_ENTRY + i;
		t.desc[i].flags = CKPT_TLS_UNUSED;
	}
	return ib_put(b, CKPT_HDR_CPU_TLS, &t, sizeof(t));
}

/* The FPU state, then the TLS descriptors that follow it. */
static inline void ib_xstate(struct ib *b, uint32_t size)
{
	ib_xstate_only(b, size);
	ib_tls(b);
}

/*
 * The records of a live task's state after its CPU state, each with the
 * values of a task that has done nothing special, and the caller's
 * credentials and limits (which a restart by the caller may restore).
 * Each returns its record (NULL if out of memory), valid until the next
 * ib_put(), for a test to change.
 */
static inline struct ckpt_hdr_task_attrs *ib_attrs(struct ib *b)
{
	struct ckpt_hdr_task_attrs a = {
		.policy = SCHED_OTHER,
		.dumpable = 1,
	};

	return ib_put(b, CKPT_HDR_TASK_ATTRS, &a, sizeof(a));
}

/* Credentials with @nr_groups groups (an even number: no padding). */
static inline struct ckpt_hdr_cred *ib_cred_groups(struct ib *b, uint32_t nr_groups,
					    uint32_t in_record)
{
	struct ckpt_hdr_cred c, *rec;
	uint32_t groups[64] = { 0 };

	if (ckpt_cred_self(&c, groups, 64) < 0)
		memset(&c, 0, sizeof(c));
	c.nr_groups = nr_groups;
	for (uint32_t i = 0; i < in_record && i < 64; i++)
		groups[i] = 1000 + i;
	rec = ib_put(b, CKPT_HDR_CRED, NULL, sizeof(c) + in_record * 4);
	if (!rec)
		return NULL;
	memcpy(rec, &c, sizeof(c));
	rec->h.type = CKPT_HDR_CRED;
	rec->h.len = sizeof(c) + in_record * 4;
	memcpy(rec + 1, groups, in_record * 4);
	return rec;
}

/* The caller's own credentials. */
static inline struct ckpt_hdr_cred *ib_cred(struct ib *b)
{
	struct ckpt_hdr_cred c, *rec;
	uint32_t groups[64];
	int n = ckpt_cred_self(&c, groups, 64);

	if (n < 0)
		return ib_cred_groups(b, 0, 0);
	/* Keep the record free of padding questions: an even count. */
	n &= ~1;
	c.nr_groups = n;
	rec = ib_put(b, CKPT_HDR_CRED, NULL, sizeof(c) + n * 4);
	if (!rec)
		return NULL;
	memcpy(rec, &c, sizeof(c));
	rec->h.type = CKPT_HDR_CRED;
	rec->h.len = sizeof(c) + n * 4;
	memcpy(rec + 1, groups, n * 4);
	return rec;
}

static inline void ib_fd_table(struct ib *b, uint32_t objref,
			const struct ckpt_fd *fds, uint32_t nr)
{
	struct ckpt_hdr_fd_table *t;

	ib_obj(b, objref);
	t = ib_put(b, CKPT_HDR_FD_TABLE, NULL, sizeof(*t) + nr * sizeof(*fds));
	if (!t)
		return;
	t->objref = objref;
	t->nr_fds = nr;
	if (nr)
		memcpy(t + 1, fds, nr * sizeof(*fds));
}

/* An fs record, without its strings. */
static inline struct ckpt_hdr_fs *ib_fs_only(struct ib *b, uint32_t objref,
				      uint32_t umask)
{
	struct ckpt_hdr_fs f = { .objref = objref, .umask = umask };

	ib_obj(b, objref);
	return ib_put(b, CKPT_HDR_FS, &f, sizeof(f));
}

static inline void ib_fs(struct ib *b, uint32_t objref, uint32_t umask,
		  const char *root, const char *cwd)
{
	ib_fs_only(b, objref, umask);
	ib_string(b, root, strlen(root) + 1);
	ib_string(b, cwd, strlen(cwd) + 1);
}

/* Handlers with @nr actions (of @in_record in the record), all SIG_DFL. */
static inline struct ckpt_hdr_sighand *ib_sighand_ex(struct ib *b, uint32_t objref,
					      uint32_t nr, uint32_t in_record)
{
	struct ckpt_hdr_sighand *s;

	ib_obj(b, objref);
	s = ib_put(b, CKPT_HDR_SIGHAND, NULL,
		   sizeof(*s) + in_record * sizeof(struct ckpt_sigaction));
	if (!s)
		return NULL;
	s->objref = objref;
	s->nr = nr;
	return s;
}

static inline struct ckpt_hdr_sighand *ib_sighand(struct ib *b, uint32_t objref)
{
	return ib_sighand_ex(b, objref, CKPT_NSIG, CKPT_NSIG);
}

/*
 * No interval timer, the caller's resource limits, no POSIX timer (and
 * none ever made: the next id is 0).
 */
static inline struct ckpt_hdr_signal *ib_signal(struct ib *b, uint32_t objref)
{
	struct ckpt_hdr_signal s = { .objref = objref };

	ib_obj(b, objref);
	if (ckpt_rlimits_self(s.rlim))
		memset(s.rlim, 0xff, sizeof(s.rlim));
	return ib_put(b, CKPT_HDR_SIGNAL, &s, sizeof(s));
}

static inline struct ckpt_hdr_task_signal *ib_task_signal(struct ib *b,
						   uint32_t nr_pending)
{
	struct ckpt_hdr_task_signal t = { .nr_pending = nr_pending };

	return ib_put(b, CKPT_HDR_TASK_SIGNAL, &t, sizeof(t));
}

/* A pending signal as rt_sigqueueinfo() would queue it. */
static inline struct ckpt_hdr_siginfo *ib_siginfo(struct ib *b, uint32_t signo,
					   uint32_t flags)
{
	struct ckpt_hdr_siginfo si = { .signo = signo, .flags = flags };
	siginfo_t info;

	memset(&info, 0, sizeof(info));
	info.si_signo = signo;
	info.si_code = SI_QUEUE;
	info.si_pid = 1;
	info.si_value.sival_int = 42;
	memcpy(si.info, &info, sizeof(info));
	return ib_put(b, CKPT_HDR_SIGINFO, &si, sizeof(si));
}

/*
 * A POSIX timer (format version 3) on CLOCK_MONOTONIC that signals the
 * process with @signo (0: it notifies by no signal, SIGEV_NONE), with 1 s
 * left, every 100 ms, its sigev_value 0x100 + @id, no overrun yet.  The
 * record (NULL if out of memory), valid until the next ib_put(), for a
 * test to change.
 */
static inline struct ckpt_hdr_posix_timer *ib_timer(struct ib *b, int32_t id,
					     uint32_t signo)
{
	struct ckpt_hdr_posix_timer t = {
		.id = id,
		.clock = CLOCK_MONOTONIC,
		.notify = signo ? SIGEV_SIGNAL : SIGEV_NONE,
		.signo = signo,
		.value = 0x100 + id,
		.left = 1000000000,
		.interval = 100000000,
		.overrun = -1,
	};

	return ib_put(b, CKPT_HDR_POSIX_TIMER, &t, sizeof(t));
}

/* The pending signal of POSIX timer @id, as the timer queues it. */
static inline struct ckpt_hdr_siginfo *ib_timer_siginfo(struct ib *b, uint32_t signo,
						 int32_t id, uint32_t flags)
{
	struct ckpt_hdr_siginfo si = { .signo = signo, .flags = flags };
	siginfo_t info;

	memset(&info, 0, sizeof(info));
	info.si_signo = signo;
	info.si_code = SI_TIMER;
	info.si_timerid = id;
	info.si_overrun = 0;
	info.si_value.sival_ptr = (void *)(uintptr_t)(0x100 + id);
	memcpy(si.info, &info, sizeof(info));
	return ib_put(b, CKPT_HDR_SIGINFO, &si, sizeof(si));
}

/*
 * Everything after a live task's CPU state, for a task of process @tgid:
 * its process's fd table (empty), fs, handlers and signal state, new the
 * first time, repeated by objref (with no entries, strings or actions)
 * for the threads after it.
 */
static inline void ib_task_state(struct ib *b, pid_t tgid)
{
	struct ib_proc *p = &b->proc[tgid % IB_PROCS];

	ib_attrs(b);
	ib_cred(b);
	if (!p->fdt)
		p->fdt = b->max_obj + 1;
	ib_fd_table(b, p->fdt, NULL, 0);
	/* (an fs is written in full for every task that shares it) */
	if (!p->fs)
		p->fs = b->max_obj + 1;
	ib_fs(b, p->fs, 022, "/", "/");
	if (!p->sighand) {
		p->sighand = b->max_obj + 1;
		ib_sighand(b, p->sighand);
	} else {
		ib_sighand_ex(b, p->sighand, 0, 0);
	}
	if (!p->signal)
		p->signal = b->max_obj + 1;
	ib_signal(b, p->signal);
	ib_task_signal(b, 0);
}

/*
 * What follows a live task's record and its address space: its CPU
 * state, TLS descriptors and the rest of its state.
 */
static inline void ib_live_rest(struct ib *b, pid_t tgid)
{
	ib_regs(b);
	ib_xstate(b, CKPT_XSAVE_MIN);
	ib_task_state(b, tgid);
}

/*
 * A live task whose address space was written before (a thread's, its
 * leader's; or the first task's in the order of version 3): its record,
 * its CPU state and the rest of its state.
 */
static inline void ib_live_task(struct ib *b, pid_t pid, pid_t tgid, pid_t ppid,
			 uint32_t mm_objref)
{
	ib_task(b, pid, tgid, ppid, mm_objref, 0, 0);
	ib_live_rest(b, tgid);
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

static inline void ib_sample_vmas(struct ib *b, uint32_t exe)
{
	ib_vma(b, S_EXE, S_EXE + 0x2000, CKPT_VMA_FILE,
	       CKPT_VMA_READ | CKPT_VMA_EXEC, exe);
	ib_vma(b, S_ANON, S_ANON_END, CKPT_VMA_ANON,
	       CKPT_VMA_READ | CKPT_VMA_WRITE, 0);
	ib_vma(b, S_VDSO, S_VDSO + 0x2000, CKPT_VMA_VDSO,
	       CKPT_VMA_READ | CKPT_VMA_EXEC, 0);
}

static inline void ib_sample_mm(struct ib *b, uint32_t exe, uint32_t mm)
{
	static const uint64_t pages[] = { S_EXE + 0x1000, S_ANON,
					  S_ANON + 0x2000 };

	ib_mm(b, mm, 3, exe);
	ib_sample_vmas(b, exe);
	ib_pages(b, pages, 3);
}

/*
 * A process of its own address space, in the order of format version 4:
 * its task record, its address space (the sample's, objref @mm, the next
 * object; executable @exe), its CPU state and the rest of its state.
 */
static inline void ib_live_task_mm(struct ib *b, pid_t pid, pid_t ppid,
				   uint32_t exe, uint32_t mm)
{
	ib_task(b, pid, pid, ppid, mm, 0, 0);
	ib_sample_mm(b, exe, mm);
	ib_live_rest(b, pid);
}


#endif /* CKPT_UTIL_H */
