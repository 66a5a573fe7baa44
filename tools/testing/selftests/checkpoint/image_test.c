// SPDX-License-Identifier: GPL-2.0
/*
 * The checkpoint image: its framing as checkpoint(2) writes it (a header,
 * the records of the tasks, a tail), streaming through files, pipes and
 * sockets, and how restart(2) (dry run) refuses every kind of damaged
 * framing, each with its own errno and a reason on the logfd.
 *
 * The size of a real image depends on the target: tests take it from what
 * checkpoint(2) wrote.  The tests of the framing use the synthetic image
 * (struct ckpt_image: the real header, the namespaces record that follows
 * it in every image, and a tail), which restart(2) accepts in a dry run as
 * an image with no task, and real images where a real one matters
 * (read-ahead, streams).  The targets are checkpointed with
 * CHECKPOINT_EXTERNAL: their pipes to the test are external files.  The records of the tasks are
 * tested in task_image.c and record_test.c.
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
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "ckpt_util.h"

/* ------------------------------------------------------------------ */
/* The format and the helpers (these need no ckpt kernel)              */

TEST(crc32c_vectors)
{
	uint8_t buf[32], data[1024 + 16];
	uint32_t reg, x = 12345;

	/* The check value of CRC-32C, and the iSCSI vectors (RFC 3720 B.4). */
	ASSERT_EQ(0xE3069283U, crc32c("123456789", 9));
	ASSERT_EQ(0U, crc32c("", 0));
	memset(buf, 0, sizeof(buf));
	ASSERT_EQ(0x8A9136AAU, crc32c(buf, sizeof(buf)));
	memset(buf, 0xff, sizeof(buf));
	ASSERT_EQ(0x62A8AB43U, crc32c(buf, sizeof(buf)));
	for (int i = 0; i < 32; i++)
		buf[i] = i;
	ASSERT_EQ(0x46DD794EU, crc32c(buf, sizeof(buf)));
	for (int i = 0; i < 32; i++)
		buf[i] = 31 - i;
	ASSERT_EQ(0x113FDB5CU, crc32c(buf, sizeof(buf)));

	/* In pieces, as a stream is checksummed. */
	reg = crc32c_update(~0U, "1234", 4);
	reg = crc32c_update(reg, "56789", 5);
	ASSERT_EQ(0xE3069283U, ~reg);

	/* The table-driven update is the bitwise one, at any alignment. */
	for (size_t i = 0; i < sizeof(data); i++) {
		x = x * 1103515245U + 12345U;
		data[i] = x >> 24;
	}
	for (size_t start = 0; start < 16; start++) {
		for (size_t len = 0; len <= 1024; len += 1 + len / 3) {
			ASSERT_EQ(crc32c_update_bitwise(~0U, data + start, len),
				  crc32c_update(~0U, data + start, len)) {
				TH_LOG("start %zu, length %zu", start, len);
			}
		}
	}
}

TEST(struct_layout)
{
	uint64_t magic;
	siginfo_t si;

	ASSERT_EQ(8, CKPT_RECORD_ALIGN);
	ASSERT_EQ(1, CKPT_HDR_HEADER);
	ASSERT_EQ(2, CKPT_HDR_TAIL);
	ASSERT_EQ(4, CKPT_FORMAT_VERSION);
	ASSERT_EQ(1, CKPT_ARCH_X86_64);
	ASSERT_EQ(72, CKPT_RELEASE_LEN);
	ASSERT_EQ(1U, CHECKPOINT_EXTERNAL);
	ASSERT_EQ(CHECKPOINT_EXTERNAL, CHECKPOINT_FLAGS_ALL);
	ASSERT_EQ(1U, RESTART_DRY_RUN);
	ASSERT_EQ(2U, RESTART_INTO_CGROUP);
	ASSERT_EQ(4U, RESTART_EXTERNAL_NULL);
	ASSERT_EQ(RESTART_DRY_RUN | RESTART_INTO_CGROUP | RESTART_EXTERNAL_NULL,
		  RESTART_FLAGS_ALL);

	ASSERT_EQ(120U, CKPT_HDR_SIZE);
	ASSERT_EQ(40U, CKPT_TAIL_SIZE);
	ASSERT_EQ(0U, CKPT_OFF_HDR(h));
	ASSERT_EQ(8U, CKPT_OFF_HDR(magic));
	ASSERT_EQ(16U, CKPT_OFF_HDR(version));
	ASSERT_EQ(20U, CKPT_OFF_HDR(arch));
	ASSERT_EQ(24U, CKPT_OFF_HDR(page_size));
	ASSERT_EQ(28U, CKPT_OFF_HDR(flags));
	ASSERT_EQ(32U, CKPT_OFF_HDR(xfeatures));
	ASSERT_EQ(40U, CKPT_OFF_HDR(time));
	ASSERT_EQ(48U, CKPT_OFF_HDR(release));
	/* the synthetic image: the namespaces record after the header */
	ASSERT_EQ(152U, CKPT_NS_SIZE);
	ASSERT_EQ(120U, CKPT_OFF_NS(h));
	ASSERT_EQ(128U, CKPT_OFF_NS(flags));
	ASSERT_EQ(132U, CKPT_OFF_NS(reserved));
	ASSERT_EQ(136U, CKPT_OFF_NS(hostname));
	ASSERT_EQ(201U, CKPT_OFF_NS(domainname));
	ASSERT_EQ(266U, CKPT_OFF_NS(pad));
	ASSERT_EQ(272U, CKPT_OFF_TAIL(h));
	ASSERT_EQ(280U, CKPT_OFF_TAIL(magic));
	ASSERT_EQ(288U, CKPT_OFF_TAIL(records));
	ASSERT_EQ(296U, CKPT_OFF_TAIL(bytes));
	ASSERT_EQ(304U, CKPT_OFF_TAIL(crc32c));
	ASSERT_EQ(308U, CKPT_OFF_TAIL(reserved));
	ASSERT_EQ(312U, CKPT_IMAGE_SIZE);

	/* The records of tasks: numbers, sizes and offsets are the ABI. */
	ASSERT_EQ(3, CKPT_HDR_STRING);
	ASSERT_EQ(101, CKPT_HDR_TASK);
	ASSERT_EQ(110, CKPT_HDR_CPU_REGS);
	ASSERT_EQ(111, CKPT_HDR_CPU_XSTATE);
	ASSERT_EQ(201, CKPT_HDR_MM);
	ASSERT_EQ(202, CKPT_HDR_VMA);
	ASSERT_EQ(203, CKPT_HDR_PAGES);
	ASSERT_EQ(301, CKPT_HDR_FILE);
	ASSERT_EQ(4096, CKPT_STRING_MAX);
	ASSERT_EQ(16, CKPT_COMM_LEN);
	ASSERT_EQ(64, CKPT_AUXV_WORDS);
	ASSERT_EQ(256, CKPT_PAGES_MAX);
	ASSERT_EQ(1U, CKPT_TASK_ZOMBIE);
	ASSERT_EQ(0x40U, CKPT_VMA_SHARED);
	ASSERT_EQ(0xffU, CKPT_VMA_FLAGS_ALL);	/* version 4: SHM_RDONLY */
	ASSERT_EQ(16U, sizeof(struct ckpt_hdr_string));
	ASSERT_EQ(8U, offsetof(struct ckpt_hdr_string, len));
	ASSERT_EQ(48U, sizeof(struct ckpt_hdr_file));
	ASSERT_EQ(8U, offsetof(struct ckpt_hdr_file, objref));
	ASSERT_EQ(24U, offsetof(struct ckpt_hdr_file, pos));
	ASSERT_EQ(32U, offsetof(struct ckpt_hdr_file, size));
	ASSERT_EQ(40U, offsetof(struct ckpt_hdr_file, pipe_objref));
	ASSERT_EQ(80U, sizeof(struct ckpt_hdr_task));
	ASSERT_EQ(8U, offsetof(struct ckpt_hdr_task, pid));
	ASSERT_EQ(28U, offsetof(struct ckpt_hdr_task, mm_objref));
	ASSERT_EQ(36U, offsetof(struct ckpt_hdr_task, exit_code));
	ASSERT_EQ(40U, offsetof(struct ckpt_hdr_task, nr_files));
	ASSERT_EQ(48U, offsetof(struct ckpt_hdr_task, comm));
	/* struct user_regs_struct order */
	ASSERT_EQ(224U, sizeof(struct ckpt_hdr_cpu_regs));
	ASSERT_EQ(8U + 15 * 8, offsetof(struct ckpt_hdr_cpu_regs, regs.orig_ax));
	ASSERT_EQ(8U + 16 * 8, offsetof(struct ckpt_hdr_cpu_regs, regs.ip));
	ASSERT_EQ(8U + 17 * 8, offsetof(struct ckpt_hdr_cpu_regs, regs.cs));
	ASSERT_EQ(8U + 20 * 8, offsetof(struct ckpt_hdr_cpu_regs, regs.ss));
	ASSERT_EQ(8U + 21 * 8, offsetof(struct ckpt_hdr_cpu_regs, regs.fs_base));
	ASSERT_EQ(16U, sizeof(struct ckpt_hdr_cpu_xstate));
	ASSERT_EQ(632U, sizeof(struct ckpt_hdr_mm));
	ASSERT_EQ(112U, offsetof(struct ckpt_hdr_mm, exe_objref));
	ASSERT_EQ(120U, offsetof(struct ckpt_hdr_mm, auxv));
	ASSERT_EQ(48U, sizeof(struct ckpt_hdr_vma));
	ASSERT_EQ(32U, offsetof(struct ckpt_hdr_vma, kind));
	ASSERT_EQ(44U, offsetof(struct ckpt_hdr_vma, file_objref));
	ASSERT_EQ(16U, sizeof(struct ckpt_hdr_pages));

	/* Format version 2: the state of a live task. */
	ASSERT_EQ(102, CKPT_HDR_TASK_ATTRS);
	ASSERT_EQ(103, CKPT_HDR_RESTART_BLOCK);
	ASSERT_EQ(302, CKPT_HDR_PIPE);
	ASSERT_EQ(303, CKPT_HDR_FD_TABLE);
	ASSERT_EQ(304, CKPT_HDR_FS);
	ASSERT_EQ(401, CKPT_HDR_SIGHAND);
	ASSERT_EQ(402, CKPT_HDR_SIGNAL);
	ASSERT_EQ(403, CKPT_HDR_TASK_SIGNAL);
	ASSERT_EQ(404, CKPT_HDR_SIGINFO);
	ASSERT_EQ(801, CKPT_HDR_CRED);
	ASSERT_EQ(4, CKPT_FILE_PIPE);
	ASSERT_EQ(5, CKPT_FILE_MEMFD);
	ASSERT_EQ(305, CKPT_HDR_FILE_PAGES);
	ASSERT_EQ(24U, sizeof(struct ckpt_hdr_file_pages));
	ASSERT_EQ(16U, offsetof(struct ckpt_hdr_file_pages, more));
	ASSERT_EQ(44U, offsetof(struct ckpt_hdr_file, seals));
	ASSERT_EQ(1U, CKPT_FUTEX_SHARED);
	ASSERT_EQ(2U, CKPT_FUTEX_CLOCKRT);
	ASSERT_EQ(1U << 20, CKPT_PIPE_MAX);
	ASSERT_EQ(1U << 20, CKPT_FDS_MAX);
	ASSERT_EQ(1U, CKPT_FD_CLOEXEC);
	ASSERT_EQ(3U, CKPT_ATTR_FLAGS_ALL);
	ASSERT_EQ(65536, CKPT_GROUPS_MAX);
	ASSERT_EQ(64, CKPT_NSIG);
	ASSERT_EQ(3, CKPT_NR_ITIMERS);
	ASSERT_EQ(16, CKPT_NR_RLIMITS);
	ASSERT_EQ(128, CKPT_SIGINFO_SIZE);
	ASSERT_EQ(4096, CKPT_PENDING_MAX);
	ASSERT_EQ(1U, CKPT_SIGINFO_SHARED);
	ASSERT_EQ(24U, sizeof(struct ckpt_hdr_pipe));
	ASSERT_EQ(16U, offsetof(struct ckpt_hdr_pipe, len));
	ASSERT_EQ(16U, sizeof(struct ckpt_fd));
	ASSERT_EQ(16U, sizeof(struct ckpt_hdr_fd_table));
	ASSERT_EQ(12U, offsetof(struct ckpt_hdr_fd_table, nr_fds));
	ASSERT_EQ(16U, sizeof(struct ckpt_hdr_fs));
	ASSERT_EQ(12U, offsetof(struct ckpt_hdr_fs, umask));
	ASSERT_EQ(72U, sizeof(struct ckpt_hdr_task_attrs));
	ASSERT_EQ(12U, offsetof(struct ckpt_hdr_task_attrs, nice));
	ASSERT_EQ(32U, offsetof(struct ckpt_hdr_task_attrs, clear_child_tid));
	ASSERT_EQ(56U, offsetof(struct ckpt_hdr_task_attrs, rseq));
	ASSERT_EQ(56U, sizeof(struct ckpt_hdr_restart_block));
	ASSERT_EQ(16U, offsetof(struct ckpt_hdr_restart_block, time));
	ASSERT_EQ(32U, offsetof(struct ckpt_hdr_restart_block, clockid));
	ASSERT_EQ(88U, sizeof(struct ckpt_hdr_cred));
	ASSERT_EQ(40U, offsetof(struct ckpt_hdr_cred, cap_inheritable));
	ASSERT_EQ(80U, offsetof(struct ckpt_hdr_cred, securebits));
	ASSERT_EQ(84U, offsetof(struct ckpt_hdr_cred, nr_groups));
	ASSERT_EQ(32U, sizeof(struct ckpt_sigaction));
	ASSERT_EQ(16U, sizeof(struct ckpt_hdr_sighand));
	ASSERT_EQ(328U, sizeof(struct ckpt_hdr_signal));
	ASSERT_EQ(16U, offsetof(struct ckpt_hdr_signal, itimer));
	ASSERT_EQ(64U, offsetof(struct ckpt_hdr_signal, rlim));
	ASSERT_EQ(40U, sizeof(struct ckpt_hdr_task_signal));
	ASSERT_EQ(36U, offsetof(struct ckpt_hdr_task_signal, nr_pending));
	ASSERT_EQ(144U, sizeof(struct ckpt_hdr_siginfo));
	ASSERT_EQ(16U, offsetof(struct ckpt_hdr_siginfo, info));

	/* Format version 3: TLS descriptors, POSIX timers. */
	ASSERT_EQ(112, CKPT_HDR_CPU_TLS);
	ASSERT_EQ(405, CKPT_HDR_POSIX_TIMER);
	ASSERT_EQ(3, CKPT_TLS_ENTRIES);
	ASSERT_EQ(12, CKPT_TLS_FIRST_ENTRY);
	ASSERT_EQ(0x01U, CKPT_TLS_SEG_32BIT);
	ASSERT_EQ(1, CKPT_TLS_CONTENTS_SHIFT);
	ASSERT_EQ(0x06U, CKPT_TLS_CONTENTS_MASK);
	ASSERT_EQ(0x08U, CKPT_TLS_READ_EXEC_ONLY);
	ASSERT_EQ(0x10U, CKPT_TLS_LIMIT_IN_PAGES);
	ASSERT_EQ(0x20U, CKPT_TLS_NOT_PRESENT);
	ASSERT_EQ(0x40U, CKPT_TLS_USEABLE);
	ASSERT_EQ(0x80U, CKPT_TLS_LM);
	ASSERT_EQ(0xffU, CKPT_TLS_FLAGS_ALL);
	ASSERT_EQ(0x28U, CKPT_TLS_UNUSED);
	ASSERT_EQ(16U, sizeof(struct ckpt_tls_desc));
	ASSERT_EQ(4U, offsetof(struct ckpt_tls_desc, base_addr));
	ASSERT_EQ(8U, offsetof(struct ckpt_tls_desc, limit));
	ASSERT_EQ(12U, offsetof(struct ckpt_tls_desc, flags));
	ASSERT_EQ(56U, sizeof(struct ckpt_hdr_cpu_tls));
	ASSERT_EQ(8U, offsetof(struct ckpt_hdr_cpu_tls, desc));
	ASSERT_EQ(65536, CKPT_POSIX_TIMERS_MAX);
	ASSERT_EQ(12U, offsetof(struct ckpt_hdr_signal, nr_posix_timers));
	ASSERT_EQ(320U, offsetof(struct ckpt_hdr_signal, next_posix_timer_id));
	ASSERT_EQ(324U, offsetof(struct ckpt_hdr_signal, reserved));
	ASSERT_EQ(72U, sizeof(struct ckpt_hdr_posix_timer));
	ASSERT_EQ(8U, offsetof(struct ckpt_hdr_posix_timer, id));
	ASSERT_EQ(12U, offsetof(struct ckpt_hdr_posix_timer, clock));
	ASSERT_EQ(16U, offsetof(struct ckpt_hdr_posix_timer, notify));
	ASSERT_EQ(20U, offsetof(struct ckpt_hdr_posix_timer, notify_tid));
	ASSERT_EQ(24U, offsetof(struct ckpt_hdr_posix_timer, signo));
	ASSERT_EQ(28U, offsetof(struct ckpt_hdr_posix_timer, reserved));
	ASSERT_EQ(32U, offsetof(struct ckpt_hdr_posix_timer, value));
	ASSERT_EQ(40U, offsetof(struct ckpt_hdr_posix_timer, left));
	ASSERT_EQ(48U, offsetof(struct ckpt_hdr_posix_timer, interval));
	ASSERT_EQ(56U, offsetof(struct ckpt_hdr_posix_timer, overrun));
	ASSERT_EQ(64U, offsetof(struct ckpt_hdr_posix_timer, overrun_last));
	ASSERT_EQ(2U, CKPT_SIGINFO_TIMER);
	ASSERT_EQ(3U, CKPT_SIGINFO_FLAGS_ALL);
	/* siginfo_t of a timer's signal, as the records hold it */
	ASSERT_EQ((size_t)CKPT_SI_CODE_OFF,
		  (size_t)((char *)&si.si_code - (char *)&si));
	ASSERT_EQ((size_t)CKPT_SI_TIMERID_OFF,
		  (size_t)((char *)&si.si_timerid - (char *)&si));
	ASSERT_EQ((size_t)CKPT_SI_OVERRUN_OFF,
		  (size_t)((char *)&si.si_overrun - (char *)&si));
	ASSERT_EQ((size_t)CKPT_SI_VALUE_OFF,
		  (size_t)((char *)&si.si_value - (char *)&si));
	ASSERT_EQ(-2, SI_TIMER);
	ASSERT_EQ(4, SIGEV_THREAD_ID);
	ASSERT_EQ(11, CLOCK_TAI);
	ASSERT_EQ(7, CLOCK_BOOTTIME);

	/*
	 * Format version 4: process groups, sessions and stops in the task
	 * record, after version 3's 64 bytes.
	 */
	ASSERT_EQ(64, CKPT_TASK_V3_SIZE);
	ASSERT_EQ(64U, offsetof(struct ckpt_hdr_task, pgid));
	ASSERT_EQ(68U, offsetof(struct ckpt_hdr_task, sid));
	ASSERT_EQ(72U, offsetof(struct ckpt_hdr_task, stop_signo));
	ASSERT_EQ(76U, offsetof(struct ckpt_hdr_task, reserved2));
	ASSERT_EQ(32U, offsetof(struct ckpt_hdr_task, flags));
	ASSERT_EQ(2U, CKPT_TASK_STOPPED);
	ASSERT_EQ(4U, CKPT_TASK_STOP_UNREPORTED);
	ASSERT_EQ(7U, CKPT_TASK_FLAGS_ALL);

	/*
	 * Format version 4: the namespaces record, epoll files and their
	 * items, external files.
	 */
	ASSERT_EQ(701, CKPT_HDR_NAMESPACES);
	ASSERT_EQ(306, CKPT_HDR_EPOLL);
	ASSERT_EQ(6, CKPT_FILE_EPOLL);
	ASSERT_EQ(7, CKPT_FILE_EXTERNAL);
	ASSERT_EQ(1U, CKPT_NS_UTS);
	ASSERT_EQ(2U, CKPT_NS_IPC);
	ASSERT_EQ(3U, CKPT_NS_FLAGS_ALL);
	ASSERT_EQ(65, CKPT_UTS_LEN);
	ASSERT_EQ(152U, sizeof(struct ckpt_hdr_namespaces));
	ASSERT_EQ(8U, offsetof(struct ckpt_hdr_namespaces, flags));
	ASSERT_EQ(12U, offsetof(struct ckpt_hdr_namespaces, reserved));
	ASSERT_EQ(16U, offsetof(struct ckpt_hdr_namespaces, hostname));
	ASSERT_EQ(81U, offsetof(struct ckpt_hdr_namespaces, domainname));
	ASSERT_EQ(146U, offsetof(struct ckpt_hdr_namespaces, pad));
	ASSERT_EQ(16U, sizeof(struct ckpt_hdr_epoll));
	ASSERT_EQ(8U, offsetof(struct ckpt_hdr_epoll, file_objref));
	ASSERT_EQ(12U, offsetof(struct ckpt_hdr_epoll, nr_items));
	ASSERT_EQ(24U, sizeof(struct ckpt_epoll_item));
	ASSERT_EQ(4U, offsetof(struct ckpt_epoll_item, file_objref));
	ASSERT_EQ(8U, offsetof(struct ckpt_epoll_item, events));
	ASSERT_EQ(12U, offsetof(struct ckpt_epoll_item, reserved));
	ASSERT_EQ(16U, offsetof(struct ckpt_epoll_item, data));
	/* the fd of an external file shares its place with rdev */
	ASSERT_EQ(20U, offsetof(struct ckpt_hdr_file, fd));
	ASSERT_EQ(offsetof(struct ckpt_hdr_file, rdev),
		  offsetof(struct ckpt_hdr_file, fd));
	/*
	 * Format version 4, later: shared anonymous memory, FIFOs, SysV IPC
	 * and POSIX message queues.
	 */
	ASSERT_EQ(8, CKPT_FILE_SHMEM);
	ASSERT_EQ(9, CKPT_FILE_FIFO);
	ASSERT_EQ(10, CKPT_FILE_MQUEUE);
	ASSERT_EQ(1U, CKPT_PIPE_FIFO);
	ASSERT_EQ(20U, offsetof(struct ckpt_hdr_pipe, flags));
	ASSERT_EQ(4, CKPT_VMA_SYSV_SHM);
	ASSERT_EQ(0x80U, CKPT_VMA_SHM_RDONLY);
	ASSERT_EQ(501, CKPT_HDR_IPC_SHM);
	ASSERT_EQ(502, CKPT_HDR_IPC_SEM);
	ASSERT_EQ(503, CKPT_HDR_IPC_MSG);
	ASSERT_EQ(504, CKPT_HDR_IPC_SEM_UNDO);
	ASSERT_EQ(505, CKPT_HDR_IPC_MQUEUE);
	ASSERT_EQ(32U, sizeof(struct ckpt_ipc_perm));
	ASSERT_EQ(28U, offsetof(struct ckpt_ipc_perm, reserved));
	ASSERT_EQ(80U, sizeof(struct ckpt_hdr_ipc_shm));
	ASSERT_EQ(16U, offsetof(struct ckpt_hdr_ipc_shm, perm));
	ASSERT_EQ(48U, offsetof(struct ckpt_hdr_ipc_shm, size));
	ASSERT_EQ(64U, sizeof(struct ckpt_hdr_ipc_sem));
	ASSERT_EQ(40U, offsetof(struct ckpt_hdr_ipc_sem, nsems));
	ASSERT_EQ(80U, sizeof(struct ckpt_hdr_ipc_msg));
	ASSERT_EQ(40U, offsetof(struct ckpt_hdr_ipc_msg, qbytes));
	ASSERT_EQ(16U, sizeof(struct ckpt_ipc_msg));
	ASSERT_EQ(24U, sizeof(struct ckpt_hdr_ipc_sem_undo));
	ASSERT_EQ(12U, offsetof(struct ckpt_hdr_ipc_sem_undo, semid));
	ASSERT_EQ(304U, sizeof(struct ckpt_hdr_ipc_mqueue));
	ASSERT_EQ(32U, offsetof(struct ckpt_hdr_ipc_mqueue, maxmsg));
	ASSERT_EQ(48U, offsetof(struct ckpt_hdr_ipc_mqueue, name));
	ASSERT_EQ(256, CKPT_MQ_NAME_LEN);

	/* the events of epoll_ctl(2), as the items have them (NVAL: 0x20) */
	ASSERT_EQ((uint32_t)EPOLLIN | (uint32_t)EPOLLPRI | (uint32_t)EPOLLOUT |
		  (uint32_t)EPOLLERR | (uint32_t)EPOLLHUP | 0x20U |
		  (uint32_t)EPOLLRDNORM | (uint32_t)EPOLLRDBAND |
		  (uint32_t)EPOLLWRNORM | (uint32_t)EPOLLWRBAND |
		  (uint32_t)EPOLLMSG | (uint32_t)EPOLLRDHUP |
		  (uint32_t)EPOLLEXCLUSIVE | (uint32_t)EPOLLWAKEUP |
		  (uint32_t)EPOLLONESHOT | (uint32_t)EPOLLET,
		  (uint32_t)CKPT_EPOLL_EVENTS);

	/* rlimits in the order of x86_64's RLIMIT_* */
	ASSERT_EQ(7, RLIMIT_NOFILE);
	ASSERT_EQ(15, RLIMIT_RTTIME);

	/* The magics read "CKPTIMG" and "CKPTEND" in the (little-endian) file. */
	magic = CKPT_MAGIC;
	ASSERT_EQ(0, memcmp(&magic, "CKPTIMG", 8));
	magic = CKPT_TAIL_MAGIC;
	ASSERT_EQ(0, memcmp(&magic, "CKPTEND", 8));
}

/* The image builder and checkers that the other tests rely on. */
TEST(image_builder)
{
	struct ckpt_image a, b;
	struct utsname uts;
	uint8_t buf[512];

	ckpt_image_build(&a, 3, 1234567890);
	ASSERT_TRUE(ckpt_image_sealed(&a));
	ASSERT_EQ(120U, a.hdr.h.len);
	ASSERT_EQ((__u32)CKPT_HDR_NAMESPACES, a.ns.h.type);
	ASSERT_EQ(152U, a.ns.h.len);
	ASSERT_EQ(0U, a.ns.flags);
	ASSERT_TRUE(ckpt_is_zero(&a.ns.flags, 152 - 8));
	ASSERT_EQ(40U, a.tail.h.len);
	ASSERT_EQ(2U, a.tail.records);
	ASSERT_EQ(272U, a.tail.bytes);
	ASSERT_EQ(a.tail.crc32c, crc32c(&a, 272));
	ASSERT_EQ(0, uname(&uts));
	ASSERT_STREQ(uts.release, a.hdr.release);

	b = a;
	b.hdr.time++;
	ASSERT_FALSE(ckpt_image_sealed(&b));
	ASSERT_TRUE(ckpt_image_same(&a, &b));
	ckpt_image_seal(&b);
	ASSERT_TRUE(ckpt_image_sealed(&b));
	ASSERT_TRUE(ckpt_image_same(&a, &b));
	b.hdr.release[70] = 'x';
	ASSERT_FALSE(ckpt_image_same(&a, &b));
	b = a;
	b.ns.flags = CKPT_NS_UTS;
	ckpt_image_seal(&b);
	ASSERT_FALSE(ckpt_image_same(&a, &b));

	/* ckpt_seal_at() is ckpt_image_seal() for any layout. */
	memset(buf, 0, sizeof(buf));
	memcpy(buf, &a.hdr, 120);
	memcpy(buf + 120, &a.ns, 152);
	ckpt_seal_at(buf, 272, 2);
	ASSERT_EQ(0, memcmp(buf, &a, sizeof(a)));
}

/* The reader of real images, on images built here. */
TEST(record_reader)
{
	struct ckpt_image a, b;
	struct ckpt_records r;
	char why[256];
	uint8_t *buf;

	ckpt_image_build(&a, 3, 1234567890);
	ASSERT_EQ(0, ckpt_records_split(&a, sizeof(a), &r, why, sizeof(why))) {
		TH_LOG("%s", why);
	}
	ASSERT_EQ(3U, r.nr);
	ASSERT_EQ(CKPT_IMAGE_SIZE, r.size);
	ASSERT_EQ(0U, r.rec[0].off);
	ASSERT_EQ((__u32)CKPT_HDR_HEADER, r.rec[0].type);
	ASSERT_EQ(CKPT_HDR_SIZE, r.rec[1].off);
	ASSERT_EQ((__u32)CKPT_HDR_NAMESPACES, r.rec[1].type);
	ASSERT_EQ(CKPT_IMAGE_BODY, r.rec[2].off);
	ASSERT_EQ((__u32)CKPT_HDR_TAIL, r.rec[2].type);
	ckpt_records_free(&r);
	ASSERT_EQ(CKPT_IMAGE_SIZE, ckpt_image_length(&a, sizeof(a)));

	/* Whatever follows the tail is not the image's. */
	buf = calloc(1, 2 * sizeof(a));
	ASSERT_NE(NULL, buf);
	memcpy(buf, &a, sizeof(a));
	ASSERT_EQ(CKPT_IMAGE_SIZE, ckpt_image_length(buf, 2 * sizeof(a)));

	/* Truncated, corrupt, unaligned: refused. */
	ASSERT_EQ(0U, ckpt_image_length(&a, sizeof(a) - 1));
	b = a;
	b.hdr.time ^= 1;
	ASSERT_EQ(0U, ckpt_image_length(&b, sizeof(b)));
	b = a;
	b.tail.records = 3;
	ASSERT_EQ(0U, ckpt_image_length(&b, sizeof(b)));
	memset(buf, 0, 2 * sizeof(a));
	memcpy(buf, &a.hdr, CKPT_HDR_SIZE);
	((struct ckpt_hdr_header *)buf)->h.len = 124;
	buf[122] = 1;			/* a field of a newer writer */
	buf[126] = 1;			/* padding */
	memcpy(buf + 128, &a.ns, CKPT_NS_SIZE);
	ckpt_seal_at(buf, 128 + CKPT_NS_SIZE, 2);
	ASSERT_NE(0, ckpt_records_split(buf, 128 + CKPT_NS_SIZE + CKPT_TAIL_SIZE,
					&r, why, sizeof(why)));
	ASSERT_NE(NULL, strstr(why, "padding")) {
		TH_LOG("%s", why);
	}
	buf[126] = 0;
	ckpt_seal_at(buf, 128 + CKPT_NS_SIZE, 2);
	ASSERT_EQ(128 + CKPT_NS_SIZE + CKPT_TAIL_SIZE,
		  ckpt_image_length(buf, 128 + CKPT_NS_SIZE + CKPT_TAIL_SIZE));

	/* Same but for the time (and so the checksum). */
	b = a;
	b.hdr.time += 100;
	ckpt_image_seal(&b);
	ASSERT_TRUE(ckpt_images_same(&a, sizeof(a), &b, sizeof(b)));
	b.hdr.flags = 1;
	ckpt_image_seal(&b);
	ASSERT_FALSE(ckpt_images_same(&a, sizeof(a), &b, sizeof(b)));
	ASSERT_FALSE(ckpt_images_same(&a, sizeof(a), &a, sizeof(a) - 8));
	free(buf);
}

TEST(log_checker)
{
	ASSERT_EQ(NULL, ckpt_log_problem("restart: pid must be 0\n", "restart",
					 "pid must"));
	ASSERT_EQ(NULL, ckpt_log_problem("checkpoint: x\n", "checkpoint", NULL));
	ASSERT_NE(NULL, ckpt_log_problem("", "restart", NULL));
	ASSERT_NE(NULL, ckpt_log_problem("restart: \n", "restart", NULL));
	ASSERT_NE(NULL, ckpt_log_problem("restart: x", "restart", NULL));
	ASSERT_NE(NULL, ckpt_log_problem("restart: x\ny\n", "restart", NULL));
	ASSERT_NE(NULL, ckpt_log_problem("checkpoint: x\n", "restart", NULL));
	ASSERT_NE(NULL, ckpt_log_problem("restart:x\n", "restart", NULL));
	ASSERT_NE(NULL, ckpt_log_problem("restart: abc\n", "restart", "abd"));
}

/* ------------------------------------------------------------------ */
/* Shared by the fixtures                                              */

static const char *errname(int err)
{
	return err > 0 ? strerror(err) : err == 0 ? "success" : "setup error";
}

/* Whether @e is an errno that restart(2) gives for a bad image. */
static bool image_errno(int e)
{
	return e == EINVAL || e == ENODATA || e == EBADMSG || e == EPROTO ||
	       e == ENOEXEC;
}

/* SIGALRM is for the main thread, to interrupt its syscall. */
static void block_alarm(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGALRM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
}

struct drain {
	int fd;
	ssize_t len;		/* -1 on a read error */
	uint8_t *buf;		/* malloc'd */
};

/* A thread that reads its fd until end of file, into a growing buffer. */
static void *drain_fn(void *arg)
{
	struct drain *d = arg;
	size_t cap = 64 * 1024;

	block_alarm();
	d->len = 0;
	d->buf = malloc(cap);
	for (;;) {
		ssize_t n;

		if (!d->buf) {
			d->len = -1;
			break;
		}
		if ((size_t)d->len == cap) {
			uint8_t *b = realloc(d->buf, 2 * cap);

			if (!b) {
				free(d->buf);
				d->buf = NULL;
				continue;
			}
			d->buf = b;
			cap *= 2;
		}
		n = read(d->fd, d->buf + d->len, cap - d->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			d->len = -1;
		if (n <= 0)
			break;
		d->len += n;
	}
	return NULL;
}

struct feeder {
	int fd;
	const uint8_t *data;
	size_t len;
	size_t chunk;		/* bytes per write(2) */
	unsigned int pause_every;	/* 1 ms of sleep every this many writes */
	bool close_fd;		/* close @fd when done */
	int err;
};

/* A thread that writes its data in chunks, maybe slowly. */
static void *feeder_fn(void *arg)
{
	struct feeder *f = arg;
	unsigned int writes = 0;

	block_alarm();
	for (size_t off = 0; off < f->len;) {
		size_t n = f->len - off < f->chunk ? f->len - off : f->chunk;

		if (ckpt_write_all(f->fd, f->data + off, n)) {
			f->err = errno;
			break;
		}
		off += n;
		if (f->pause_every && ++writes % f->pause_every == 0)
			ckpt_sleep_ms(1);
	}
	if (f->close_fd)
		close(f->fd);
	return NULL;
}

/* A thread that calls checkpoint(2): a pipe needs a reader meanwhile. */
struct ckpt_job {
	pid_t pid;
	int fd;
	int logfd;
	long ret;
	int err;
};

static void *checkpoint_fn(void *arg)
{
	struct ckpt_job *j = arg;

	block_alarm();
	j->ret = sys_checkpoint(j->pid, j->fd, CKPT_TARGET_CHECKPOINT, j->logfd);
	j->err = errno;
	return NULL;
}

/* Split an image into its records; it must be well framed. */
static void split_image(struct __test_metadata *_metadata, const uint8_t *buf,
			size_t len, struct ckpt_records *r)
{
	char why[256];

	ASSERT_EQ(0, ckpt_records_split(buf, len, r, why, sizeof(why))) {
		TH_LOG("the image is malformed: %s", why);
	}
}

/* ------------------------------------------------------------------ */
/* checkpoint(2) of a frozen target                                    */

FIXTURE(tgt) {
	pid_t owner;		/* the test process, parent of the target */
	char cg[PATH_MAX];
	struct ckpt_target t;
	int img;		/* checkpoint output: an empty memfd */
	int log[2];
	char logbuf[4096];
};

FIXTURE_SETUP(tgt)
{
	self->owner = getpid();
	ckpt_target_init(&self->t);
	self->cg[0] = '\0';
	self->img = memfd_create("ckpt-selftest-out", MFD_CLOEXEC);
	ASSERT_LE(0, self->img);
	ASSERT_EQ(0, ckpt_log_pipe(self->log));
	ASSERT_EQ(0, ckpt_cg_create(self->cg, sizeof(self->cg))) {
		TH_LOG("cannot create a cgroup under %s", ckpt_cg_root());
	}
	ASSERT_EQ(0, ckpt_target_spawn_frozen(&self->t, self->cg, 0)) {
		TH_LOG("cannot start a frozen target");
		ckpt_cg_destroy(self->cg);
	}
}

/*
 * The teardown runs in the test process or, once it has exited, in its
 * parent (which of the two depends on how the compiler treated the
 * harness's setjmp()): the target is killed and reaped by the test process,
 * or died with it (PR_SET_PDEATHSIG); the cgroup is thawed and removed.
 */
FIXTURE_TEARDOWN_PARENT(tgt)
{
	int err;

	if (getpid() == self->owner)
		ckpt_target_kill(&self->t);
	/* (No handler block here: a failed ASSERT leaves it armed.) */
	err = ckpt_cg_destroy(self->cg);
	if (err)
		TH_LOG("cannot remove cgroup %s: %s", self->cg, strerror(-err));
	EXPECT_EQ(0, err);
}

static const char *tgt_log(FIXTURE_DATA(tgt) *self)
{
	ckpt_log_read(self->log[0], self->logbuf, sizeof(self->logbuf));
	return self->logbuf;
}

/* checkpoint(2) of the target into @fd succeeds and logs nothing. */
#define ASSERT_CHECKPOINT(fd) do {					\
	long __ret = sys_checkpoint(self->t.pid, fd, CKPT_TARGET_CHECKPOINT, \
				    self->log[1]);			\
	int __err = errno;						\
									\
	tgt_log(self);							\
	ASSERT_EQ(0, __ret) {						\
		TH_LOG("checkpoint: %s; log: \"%s\"", strerror(__err),	\
		       self->logbuf);					\
	}								\
	ASSERT_STREQ("", self->logbuf);					\
} while (0)

/* Thaw the target: it must be alive and answer. */
static void target_runs(struct __test_metadata *_metadata,
			FIXTURE_DATA(tgt) *self)
{
	ASSERT_EQ(0, ckpt_cg_thaw(self->cg));
	ASSERT_TRUE(ckpt_target_alive(&self->t));
	ASSERT_EQ(0, ckpt_target_ping(&self->t, 10000)) {
		TH_LOG("the target does not answer after the thaw");
	}
}

/*
 * Every field of the header and the tail, and the framing of what lies
 * between: records end to end at 8-byte boundaries, zero padding, the
 * tail's counts and checksum, the offset just past the image.
 */
TEST_F(tgt, header_fields)
{
	struct timespec before, after;
	const struct ckpt_hdr_header *hdr;
	const struct ckpt_hdr_tail *tail;
	const struct ckpt_rec *last;
	struct ckpt_records r;
	struct utsname uts;
	bool target_seen = false;
	uint8_t *buf;
	size_t len, rlen;

	ASSERT_EQ(0, clock_gettime(CLOCK_REALTIME, &before));
	ASSERT_CHECKPOINT(self->img);
	ASSERT_EQ(0, clock_gettime(CLOCK_REALTIME, &after));

	/* Written like write(2) would: the offset is just past the image. */
	ASSERT_EQ(ckpt_size(self->img), ckpt_offset(self->img));
	/* More than a header and a tail: the target's records. */
	ASSERT_LT((off_t)CKPT_IMAGE_SIZE, ckpt_size(self->img));
	ASSERT_EQ(0, ckpt_read_image_at(self->img, 0, &buf, &len));
	split_image(_metadata, buf, len, &r);
	/* One image, nothing after its tail. */
	ASSERT_EQ(len, r.size);

	hdr = (const void *)buf;
	ASSERT_EQ((__u32)CKPT_HDR_HEADER, hdr->h.type);
	ASSERT_EQ(120U, hdr->h.len);
	ASSERT_EQ(CKPT_MAGIC, hdr->magic);
	ASSERT_EQ((__u32)CKPT_FORMAT_VERSION, hdr->version);
	ASSERT_EQ((__u32)CKPT_ARCH_X86_64, hdr->arch);
	ASSERT_EQ((__u32)sysconf(_SC_PAGESIZE), hdr->page_size);
	/* the flag it was written with: the target's pipes are external */
	ASSERT_EQ(CHECKPOINT_EXTERNAL, hdr->flags);
	/* x87 and SSE, at least. */
	ASSERT_EQ(3ULL, hdr->xfeatures & 3) {
		TH_LOG("xfeatures 0x%llx", (unsigned long long)hdr->xfeatures);
	}
	ASSERT_LE((__u64)before.tv_sec - 1, hdr->time);
	ASSERT_GE((__u64)after.tv_sec + 1, hdr->time);
	ASSERT_EQ(0, uname(&uts));
	rlen = strnlen(hdr->release, CKPT_RELEASE_LEN);
	ASSERT_GT((size_t)CKPT_RELEASE_LEN, rlen) {
		TH_LOG("the release is not NUL-terminated");
	}
	ASSERT_STREQ(uts.release, hdr->release);
	for (size_t i = rlen; i < CKPT_RELEASE_LEN; i++) {
		ASSERT_EQ(0, hdr->release[i]) {
			TH_LOG("release byte %zu is not NUL padding", i);
		}
	}

	/*
	 * Records are 8-byte aligned, end to end (the split checked that the
	 * padding is zero): the header first, the tail last, neither between.
	 */
	ASSERT_EQ(0U, r.rec[0].off);
	ASSERT_EQ((__u32)CKPT_HDR_HEADER, r.rec[0].type);
	/*
	 * Then the namespaces record: the target is in the namespaces of
	 * the test, which checkpoints it: none of its own, no names.
	 */
	ASSERT_EQ((__u32)CKPT_HDR_NAMESPACES, r.rec[1].type);
	ASSERT_EQ(CKPT_NS_SIZE, r.rec[1].len);
	ASSERT_TRUE(ckpt_is_zero(r.rec[1].p + 8, CKPT_NS_SIZE - 8));
	for (size_t i = 1; i < r.nr; i++) {
		const struct ckpt_rec *rc = &r.rec[i];

		ASSERT_EQ(0U, rc->off % CKPT_RECORD_ALIGN);
		ASSERT_EQ(r.rec[i - 1].off + ckpt_align(r.rec[i - 1].len),
			  rc->off);
		ASSERT_LE(8U, rc->len);
		if (i < r.nr - 1) {
			ASSERT_NE((__u32)CKPT_HDR_HEADER, rc->type);
			ASSERT_NE((__u32)CKPT_HDR_TAIL, rc->type) {
				TH_LOG("record %zu of %zu is a tail", i, r.nr);
			}
		}
		if (rc->type == CKPT_HDR_TASK && rc->len >= sizeof(struct ckpt_hdr_task) &&
		    ((const struct ckpt_hdr_task *)rc->p)->pid == self->t.pid)
			target_seen = true;
	}
	ASSERT_TRUE(target_seen) {
		TH_LOG("no task record for the target %d", self->t.pid);
	}

	last = &r.rec[r.nr - 1];
	tail = (const void *)last->p;
	ASSERT_EQ((__u32)CKPT_HDR_TAIL, tail->h.type);
	ASSERT_EQ(40U, tail->h.len);
	ASSERT_EQ(len - CKPT_TAIL_SIZE, last->off);
	ASSERT_EQ(CKPT_TAIL_MAGIC, tail->magic);
	ASSERT_EQ((__u64)(r.nr - 1), tail->records);
	ASSERT_EQ((__u64)last->off, tail->bytes);
	ASSERT_EQ(crc32c(buf, last->off), tail->crc32c);
	ASSERT_EQ(0U, tail->reserved);

	ckpt_records_free(&r);
	free(buf);
	target_runs(_metadata, self);
}

/*
 * The header is exactly what userspace builds from the format definition,
 * given the two values it cannot know (xfeatures, time), and the tail what
 * userspace computes over the records: no stray bytes in padding or in the
 * release field.
 */
TEST_F(tgt, matches_format)
{
	const struct ckpt_hdr_header *hdr;
	struct ckpt_image built;
	struct ckpt_records r;
	uint8_t *buf, *copy;
	size_t len;

	ASSERT_CHECKPOINT(self->img);
	ASSERT_EQ(0, ckpt_read_image_at(self->img, 0, &buf, &len));
	split_image(_metadata, buf, len, &r);
	ASSERT_EQ(len, r.size);
	hdr = (const void *)buf;
	ckpt_image_build(&built, hdr->xfeatures, hdr->time);
	built.hdr.flags = CKPT_TARGET_CHECKPOINT;
	/* the header and the namespaces record */
	ASSERT_EQ(0, memcmp(&built, buf, CKPT_IMAGE_BODY));

	copy = malloc(len);
	ASSERT_NE(NULL, copy);
	memcpy(copy, buf, len);
	memset(copy + len - CKPT_TAIL_SIZE, 0x55, CKPT_TAIL_SIZE);
	ckpt_seal_at(copy, len - CKPT_TAIL_SIZE, r.nr - 1);
	ASSERT_EQ(0, memcmp(copy, buf, len));
	free(copy);
	ckpt_records_free(&r);
	free(buf);
	target_runs(_metadata, self);
}

/* The image goes at the file's offset, which moves past it. */
TEST_F(tgt, writes_at_offset)
{
	uint8_t prefix[100], back[100];
	uint8_t *a, *b;
	size_t alen, blen;
	off_t size;

	memset(prefix, 0x5a, sizeof(prefix));
	ASSERT_EQ(0, ckpt_write_all(self->img, prefix, sizeof(prefix)));
	ASSERT_CHECKPOINT(self->img);
	size = ckpt_size(self->img);
	ASSERT_LT((off_t)(100 + CKPT_IMAGE_SIZE), size);
	ASSERT_EQ(size, ckpt_offset(self->img));
	ASSERT_EQ(100, pread(self->img, back, sizeof(back), 0));
	ASSERT_EQ(0, memcmp(prefix, back, sizeof(prefix)));
	ASSERT_EQ(0, ckpt_read_image_at(self->img, 100, &a, &alen));
	ASSERT_EQ(CKPT_MAGIC, ((struct ckpt_hdr_header *)a)->magic);
	/*
	 * Offsets in the image count from its start, not the file's: the
	 * whole rest of the file is one image, its tail consistent.
	 */
	ASSERT_EQ(alen, ckpt_image_length(a, alen));

	/* And over existing data: it overwrites, like write(2). */
	ASSERT_EQ(10, lseek(self->img, 10, SEEK_SET));
	ASSERT_CHECKPOINT(self->img);
	ASSERT_EQ(0, ckpt_read_image_at(self->img, 10, &b, &blen));
	blen = ckpt_image_length(b, blen);
	ASSERT_LT(CKPT_IMAGE_SIZE, blen);
	ASSERT_EQ((off_t)(10 + blen), ckpt_offset(self->img));
	/* The same target gives the same image: the file did not grow. */
	ASSERT_TRUE(ckpt_images_same(a, alen, b, blen));
	ASSERT_EQ(size, ckpt_size(self->img));
	free(a);
	free(b);
	target_runs(_metadata, self);
}

/* Two images in one file; restart reads them one after the other. */
TEST_F(tgt, two_images_in_a_file)
{
	uint8_t *buf;
	size_t len, alen, blen;

	ASSERT_CHECKPOINT(self->img);
	alen = (size_t)ckpt_size(self->img);
	ASSERT_CHECKPOINT(self->img);
	ASSERT_EQ(0, ckpt_read_image_at(self->img, 0, &buf, &len));
	ASSERT_EQ(alen, ckpt_image_length(buf, len));
	ASSERT_LT(alen, len);
	/* alen is a multiple of 8: the second image is aligned too. */
	blen = ckpt_image_length(buf + alen, len - alen);
	ASSERT_EQ(len - alen, blen);
	ASSERT_TRUE(ckpt_images_same(buf, alen, buf + alen, blen));
	free(buf);

	ASSERT_EQ(0, lseek(self->img, 0, SEEK_SET));
	ASSERT_EQ(0, sys_restart(0, self->img, RESTART_DRY_RUN, self->log[1])) {
		TH_LOG("restart: %s; log: \"%s\"", strerror(errno),
		       tgt_log(self));
	}
	ASSERT_EQ((off_t)alen, ckpt_offset(self->img));
	ASSERT_EQ(0, sys_restart(0, self->img, RESTART_DRY_RUN, self->log[1])) {
		TH_LOG("restart: %s; log: \"%s\"", strerror(errno),
		       tgt_log(self));
	}
	ASSERT_EQ((off_t)(alen + blen), ckpt_offset(self->img));
	ASSERT_STREQ("", tgt_log(self));
	/* Nothing left: the third is empty. */
	ASSERT_EQ(-1, sys_restart(0, self->img, RESTART_DRY_RUN, self->log[1]));
	ASSERT_EQ(ENODATA, errno);
	tgt_log(self);
	ASSERT_EQ(NULL, ckpt_log_problem(self->logbuf, "restart", "truncated")) {
		TH_LOG("log: \"%s\"", self->logbuf);
	}
	target_runs(_metadata, self);
}

/* checkpoint then restart: dry run accepts, a real restart is refused. */
TEST_F(tgt, checkpoint_then_restart)
{
	off_t size;
	int err;

	ASSERT_CHECKPOINT(self->img);
	size = ckpt_size(self->img);
	ASSERT_EQ(0, lseek(self->img, 0, SEEK_SET));
	ASSERT_EQ(0, sys_restart(0, self->img, RESTART_DRY_RUN, self->log[1])) {
		TH_LOG("restart: %s; log: \"%s\"", strerror(errno),
		       tgt_log(self));
	}
	ASSERT_STREQ("", tgt_log(self));
	ASSERT_EQ(size, ckpt_offset(self->img));

	/*
	 * The target is not the init of a pid namespace (it could not get
	 * its pid back): restart refuses it when it reads the task record,
	 * after it reopened the target's files and built its memory, and
	 * leaves no task behind.  (Its open files, /dev/null and pipes, are
	 * no reason to refuse any more: fds are restored; its external
	 * files, its pipes to the test, are /dev/null.)
	 */
	ASSERT_EQ(0, lseek(self->img, 0, SEEK_SET));
	ASSERT_EQ(-1, sys_restart(0, self->img, CKPT_TARGET_RESTART,
				  self->log[1]));
	err = errno;
	tgt_log(self);
	ASSERT_EQ(EOPNOTSUPP, err) {
		TH_LOG("restart: %s; log: \"%s\"", strerror(err), self->logbuf);
	}
	ASSERT_EQ(NULL, ckpt_log_problem(self->logbuf, "restart",
					 "not supported")) {
		TH_LOG("log: \"%s\"", self->logbuf);
	}
	/* and no restored task to reap */
	ASSERT_GE(0, waitpid(-1, NULL, WNOHANG | __WALL));
	target_runs(_metadata, self);
}

/* Into a pipe that another thread drains: the same image as into a file. */
TEST_F(tgt, checkpoint_to_pipe)
{
	uint8_t *file_img;
	size_t file_len;
	struct drain d;
	pthread_t thread;
	int p[2];

	ASSERT_CHECKPOINT(self->img);
	ASSERT_EQ(0, ckpt_read_image_at(self->img, 0, &file_img, &file_len));

	ASSERT_EQ(0, pipe2(p, O_CLOEXEC));
	d.fd = p[0];
	ASSERT_EQ(0, pthread_create(&thread, NULL, drain_fn, &d));
	ASSERT_CHECKPOINT(p[1]);
	close(p[1]);
	ASSERT_EQ(0, pthread_join(thread, NULL));
	close(p[0]);

	ASSERT_EQ((ssize_t)file_len, d.len);
	ASSERT_EQ(file_len, ckpt_image_length(d.buf, d.len));
	ASSERT_TRUE(ckpt_images_same(file_img, file_len, d.buf, d.len));
	free(d.buf);
	free(file_img);
	target_runs(_metadata, self);
}

/* Into a stream socket that another thread drains. */
TEST_F(tgt, checkpoint_to_socket)
{
	uint8_t *file_img;
	size_t file_len;
	struct drain d;
	pthread_t thread;
	char c;
	int sv[2];

	ASSERT_CHECKPOINT(self->img);
	ASSERT_EQ(0, ckpt_read_image_at(self->img, 0, &file_img, &file_len));

	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv));
	d.fd = sv[1];
	ASSERT_EQ(0, pthread_create(&thread, NULL, drain_fn, &d));
	ASSERT_CHECKPOINT(sv[0]);
	/* The socket is still an ordinary socket for write(2). */
	ASSERT_EQ(1, write(sv[0], "!", 1));
	ASSERT_EQ(0, shutdown(sv[0], SHUT_WR));
	ASSERT_EQ(0, pthread_join(thread, NULL));

	ASSERT_EQ((ssize_t)file_len + 1, d.len);
	ASSERT_EQ('!', d.buf[file_len]);
	ASSERT_EQ(file_len, ckpt_image_length(d.buf, file_len));
	ASSERT_TRUE(ckpt_images_same(file_img, file_len, d.buf, file_len));

	/* And for read(2), the other way. */
	ASSERT_EQ(1, write(sv[1], "?", 1));
	ASSERT_EQ(1, read(sv[0], &c, 1));
	ASSERT_EQ('?', c);
	close(sv[0]);
	close(sv[1]);
	free(d.buf);
	free(file_img);
	target_runs(_metadata, self);
}

/* Into a pipe nobody reads: EPIPE (SIGPIPE ignored), target untouched. */
TEST_F(tgt, checkpoint_to_closed_pipe)
{
	int p[2], err;
	long ret;

	ASSERT_NE(SIG_ERR, signal(SIGPIPE, SIG_IGN));
	ASSERT_EQ(0, pipe2(p, O_CLOEXEC));
	close(p[0]);
	ret = sys_checkpoint(self->t.pid, p[1], CKPT_TARGET_CHECKPOINT,
			     self->log[1]);
	err = errno;
	tgt_log(self);
	ASSERT_EQ(-1, ret);
	ASSERT_EQ(EPIPE, err) {
		TH_LOG("checkpoint: %s; log: \"%s\"", strerror(err),
		       self->logbuf);
	}
	ASSERT_EQ(NULL, ckpt_log_problem(self->logbuf, "checkpoint",
					 "writing the image failed")) {
		TH_LOG("log: \"%s\"", self->logbuf);
	}
	close(p[1]);
	target_runs(_metadata, self);
}

/*
 * Checkpoint into a pipe, restart (dry run) from the other end at the same
 * time: a real image does not fit in a pipe's buffer.  Restart takes the
 * whole image and nothing more.
 */
TEST_F(tgt, pipe_round_trip)
{
	struct ckpt_job job = { .pid = self->t.pid, .logfd = self->log[1] };
	pthread_t thread;
	int p[2], err, avail = -1;
	long ret;

	ASSERT_NE(SIG_ERR, signal(SIGPIPE, SIG_IGN));
	ASSERT_EQ(0, pipe2(p, O_CLOEXEC));
	job.fd = p[1];
	ASSERT_EQ(0, pthread_create(&thread, NULL, checkpoint_fn, &job));
	ckpt_arm_alarm(30);
	ret = sys_restart(0, p[0], RESTART_DRY_RUN, self->log[1]);
	err = errno;
	ckpt_disarm_alarm();
	if (ret) {
		/* Unblock a checkpoint that still writes, then report. */
		close(p[0]);
		p[0] = -1;
	}
	ASSERT_EQ(0, pthread_join(thread, NULL));
	tgt_log(self);
	ASSERT_EQ(0, job.ret) {
		TH_LOG("checkpoint: %s; log: \"%s\"", strerror(job.err),
		       self->logbuf);
	}
	ASSERT_EQ(0, ret) {
		TH_LOG("restart: %s; log: \"%s\"", strerror(err), self->logbuf);
	}
	ASSERT_STREQ("", self->logbuf);
	ASSERT_EQ(0, ioctl(p[0], FIONREAD, &avail));
	ASSERT_EQ(0, avail);
	close(p[0]);
	close(p[1]);
	target_runs(_metadata, self);
}

/* ------------------------------------------------------------------ */
/* restart(2) of real images, whole and damaged                        */

FIXTURE(img) {
	/* the synthetic image: the real header, then a tail */
	struct ckpt_image syn;
	uint8_t *real;		/* what checkpoint(2) wrote */
	size_t real_len;
	int fd;			/* a memfd for the images to try */
	int log[2];
	char logbuf[4096];
	char ctx[128];		/* what a loop is at, for failure messages */
};

FIXTURE_SETUP(img)
{
	const struct ckpt_hdr_header *hdr;
	const char *why = NULL;
	int err;

	self->ctx[0] = '\0';

	err = ckpt_real_image(0, &self->real, &self->real_len, &why);
	ASSERT_EQ(0, err) {
		TH_LOG("cannot get a real image: %s: %s", why, strerror(-err));
	}
	ASSERT_LT(CKPT_IMAGE_SIZE, self->real_len);
	hdr = (const void *)self->real;
	ckpt_image_build(&self->syn, hdr->xfeatures, hdr->time);
	self->syn.hdr.flags = CKPT_TARGET_CHECKPOINT;
	ckpt_image_seal(&self->syn);
	/*
	 * The synthetic image starts with the very header and namespaces
	 * record of the real one.
	 */
	ASSERT_EQ(0, memcmp(&self->syn, hdr, CKPT_IMAGE_BODY));
	ASSERT_TRUE(ckpt_image_sealed(&self->syn));
	self->fd = memfd_create("ckpt-selftest-in", MFD_CLOEXEC);
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, ckpt_log_pipe(self->log));
}

FIXTURE_TEARDOWN(img)
{
	/* Nothing: no process and no cgroup outlives the setup. */
}

static const char *img_log(FIXTURE_DATA(img) *self)
{
	ckpt_log_read(self->log[0], self->logbuf, sizeof(self->logbuf));
	return self->logbuf;
}

/*
 * restart(2) of @len bytes at @data, from the memfd.  Returns 0, the errno,
 * or -1 if the call could not be made; the log is in self->logbuf.
 */
static int try_restart(FIXTURE_DATA(img) *self, const void *data, size_t len,
		       unsigned int flags)
{
	long ret;
	int err;

	img_log(self);
	if (ckpt_refill(self->fd, data, len))
		return -1;
	ret = sys_restart(0, self->fd, flags, self->log[1]);
	err = errno;
	img_log(self);
	if (ret == 0)
		return 0;
	return ret == -1 ? err : -1;
}

/* The image is refused with @err and a reason with @words. */
#define ASSERT_REFUSED(data, len, err, words) do {			\
	int __got = try_restart(self, data, len, RESTART_DRY_RUN);	\
	const char *__why;						\
									\
	ASSERT_EQ(err, __got) {						\
		TH_LOG("%srestart: %s (%d), expected %s; log: \"%s\"",	\
		       self->ctx, errname(__got), __got, #err,		\
		       self->logbuf);					\
	}								\
	__why = ckpt_log_problem(self->logbuf, "restart", words);	\
	ASSERT_TRUE(__why == NULL) {					\
		TH_LOG("%s%s (want \"%s\"); log: \"%s\"", self->ctx,	\
		       __why, words, self->logbuf);			\
	}								\
} while (0)

/* The image is accepted; the offset is then @end. */
#define ASSERT_ACCEPTED(data, len, end) do {				\
	int __got = try_restart(self, data, len, RESTART_DRY_RUN);	\
									\
	ASSERT_EQ(0, __got) {						\
		TH_LOG("%srestart: %s (%d); log: \"%s\"", self->ctx,	\
		       errname(__got), __got, self->logbuf);		\
	}								\
	ASSERT_STREQ("", self->logbuf);					\
	ASSERT_EQ((off_t)(end), ckpt_offset(self->fd));			\
} while (0)

/* The synthetic image, with one header field changed and the tail fixed up. */
#define CHANGED(field, value) ({					\
	struct ckpt_image __c = self->syn;				\
									\
	__c.hdr.field = (value);					\
	ckpt_image_seal(&__c);						\
	__c;								\
})

/*
 * The two images the stream tests use: the synthetic one (@which 0), the
 * real one (@which 1).  self->ctx names it for failure messages.
 */
static const uint8_t *pick_image(FIXTURE_DATA(img) *self, int which,
				 size_t *len)
{
	snprintf(self->ctx, sizeof(self->ctx), "%s image: ",
		 which ? "real" : "synthetic");
	*len = which ? self->real_len : CKPT_IMAGE_SIZE;
	return which ? self->real : (const uint8_t *)&self->syn;
}

TEST_F(img, real_image_accepted)
{
	ASSERT_ACCEPTED(self->real, self->real_len, self->real_len);
	/* And the synthetic image made from its header: no task at all. */
	ASSERT_ACCEPTED(&self->syn, sizeof(self->syn), CKPT_IMAGE_SIZE);
}

/* One built from the format definition, with the features every CPU has. */
TEST_F(img, built_image_accepted)
{
	struct ckpt_image built;

	ckpt_image_build(&built, 3, time(NULL));
	ASSERT_ACCEPTED(&built, sizeof(built), CKPT_IMAGE_SIZE);
}

/*
 * After a restart from a seekable file, the offset is just past the image,
 * not past what was read ahead, wherever the image starts.
 */
TEST_F(img, offset_after_image)
{
	static const size_t garbage_len = 200 * 1024;	/* > any read-ahead */

	for (int which = 0; which < 2; which++) {
		size_t image_len;
		const uint8_t *image = pick_image(self, which, &image_len);
		size_t start = 24, total = start + image_len + garbage_len;
		uint8_t *buf = malloc(total);
		int err;

		ASSERT_NE(NULL, buf);
		memset(buf, 0xa5, total);
		memcpy(buf + start, image, image_len);
		ASSERT_EQ(0, ckpt_refill(self->fd, buf, total));
		free(buf);

		ASSERT_EQ((off_t)start, lseek(self->fd, start, SEEK_SET));
		ASSERT_EQ(0, sys_restart(0, self->fd, RESTART_DRY_RUN,
					 self->log[1])) {
			TH_LOG("%srestart: %s; log: \"%s\"", self->ctx,
			       strerror(errno), img_log(self));
		}
		ASSERT_EQ((off_t)(start + image_len), ckpt_offset(self->fd));

		/*
		 * The same when restoring is refused after the image was read
		 * (the synthetic image: it holds no task).  The real one is
		 * refused at its task record, see checkpoint_then_restart.
		 */
		if (which != 0)
			continue;
		ASSERT_EQ((off_t)start, lseek(self->fd, start, SEEK_SET));
		ASSERT_EQ(-1, sys_restart(0, self->fd, 0, self->log[1]));
		err = errno;
		img_log(self);
		ASSERT_EQ(EOPNOTSUPP, err) {
			TH_LOG("%srestart: %s; log: \"%s\"", self->ctx,
			       strerror(err), self->logbuf);
		}
		ASSERT_EQ((off_t)(start + image_len), ckpt_offset(self->fd));
	}
}

/* Two images back to back, then garbage. */
TEST_F(img, images_back_to_back)
{
	static const char garbage[] = "garbage after the images, not an image";

	for (int which = 0; which < 2; which++) {
		size_t image_len;
		const uint8_t *image = pick_image(self, which, &image_len);
		size_t total = 2 * image_len + sizeof(garbage);
		uint8_t *buf = malloc(total);

		ASSERT_NE(NULL, buf);
		memcpy(buf, image, image_len);
		memcpy(buf + image_len, image, image_len);
		memcpy(buf + 2 * image_len, garbage, sizeof(garbage));
		ASSERT_EQ(0, ckpt_refill(self->fd, buf, total));
		free(buf);
		for (int i = 1; i <= 2; i++) {
			ASSERT_EQ(0, sys_restart(0, self->fd, RESTART_DRY_RUN,
						 self->log[1])) {
				TH_LOG("%srestart %d: %s; log: \"%s\"",
				       self->ctx, i, strerror(errno),
				       img_log(self));
			}
			ASSERT_EQ((off_t)(i * image_len), ckpt_offset(self->fd));
		}
		ASSERT_EQ(-1, sys_restart(0, self->fd, RESTART_DRY_RUN,
					  self->log[1]));
		ASSERT_EQ(EINVAL, errno);
		img_log(self);
		ASSERT_EQ(NULL, ckpt_log_problem(self->logbuf, "restart",
						 "not a checkpoint image")) {
			TH_LOG("%slog: \"%s\"", self->ctx, self->logbuf);
		}
	}
}

/*
 * Feed @len bytes at @data into @fd from a thread, @chunk bytes a write;
 * a real image does not fit in a pipe's or a socket's buffer.
 */
static void feed(struct __test_metadata *_metadata, pthread_t *thread,
		 struct feeder *f, int fd, const void *data, size_t len,
		 size_t chunk, unsigned int pause_every, bool close_fd)
{
	memset(f, 0, sizeof(*f));
	f->fd = fd;
	f->data = data;
	f->len = len;
	f->chunk = chunk;
	f->pause_every = pause_every;
	f->close_fd = close_fd;
	ASSERT_EQ(0, pthread_create(thread, NULL, feeder_fn, f));
}

/*
 * Two images back to back in a pipe: restart takes exactly one image from a
 * stream, and leaves what follows (the next image) to the next reader.
 */
TEST_F(img, pipe_images_back_to_back)
{
	static const char after[] = "after";

	ASSERT_NE(SIG_ERR, signal(SIGPIPE, SIG_IGN));
	for (int which = 0; which < 2; which++) {
		size_t image_len;
		const uint8_t *image = pick_image(self, which, &image_len);
		size_t total = 2 * image_len + sizeof(after);
		uint8_t *buf = malloc(total);
		char rest[sizeof(after)] = "";
		struct feeder f;
		pthread_t thread;
		int p[2];

		ASSERT_NE(NULL, buf);
		memcpy(buf, image, image_len);
		memcpy(buf + image_len, image, image_len);
		memcpy(buf + 2 * image_len, after, sizeof(after));
		ASSERT_EQ(0, pipe2(p, O_CLOEXEC));
		feed(_metadata, &thread, &f, p[1], buf, total, 4096, 0, true);
		ckpt_arm_alarm(30);
		for (int i = 1; i <= 2; i++) {
			ASSERT_EQ(0, sys_restart(0, p[0], RESTART_DRY_RUN,
						 self->log[1])) {
				TH_LOG("%srestart %d: %s; log: \"%s\"",
				       self->ctx, i, strerror(errno),
				       img_log(self));
				close(p[0]);
				pthread_join(thread, NULL);
			}
		}
		ckpt_disarm_alarm();
		ASSERT_EQ((ssize_t)sizeof(after),
			  ckpt_read_all(p[0], rest, sizeof(rest)));
		ASSERT_STREQ(after, rest);
		ASSERT_EQ(0, pthread_join(thread, NULL));
		ASSERT_EQ(0, f.err);
		close(p[0]);
		free(buf);
	}
}

/*
 * From a pipe whose writer stays open: restart must stop at the tail, not
 * wait for more.  The alarm turns a hang into EINTR, and a failure.
 */
TEST_F(img, pipe_no_wait_after_tail)
{
	ASSERT_NE(SIG_ERR, signal(SIGPIPE, SIG_IGN));
	for (int which = 0; which < 2; which++) {
		size_t image_len;
		const uint8_t *image = pick_image(self, which, &image_len);
		struct feeder f;
		pthread_t thread;
		int p[2], avail = -1;
		long ret;
		int err;

		ASSERT_EQ(0, pipe2(p, O_CLOEXEC));
		feed(_metadata, &thread, &f, p[1], image, image_len, 65536, 0,
		     false);
		ckpt_arm_alarm(10);
		ret = sys_restart(0, p[0], RESTART_DRY_RUN, self->log[1]);
		err = errno;
		ckpt_disarm_alarm();
		if (ret)
			close(p[0]);	/* unblock the feeder */
		ASSERT_EQ(0, pthread_join(thread, NULL));
		img_log(self);
		ASSERT_EQ(0, ret) {
			TH_LOG("%srestart: %s%s; log: \"%s\"", self->ctx,
			       strerror(err),
			       err == EINTR ? " (it waited past the tail)" : "",
			       self->logbuf);
		}
		ASSERT_EQ(0, f.err);
		ASSERT_STREQ("", self->logbuf);
		ASSERT_EQ(0, ioctl(p[0], FIONREAD, &avail));
		ASSERT_EQ(0, avail);
		close(p[0]);
		close(p[1]);
	}
}

/*
 * From a pipe fed by another thread: the synthetic image one byte at a
 * time, slowly; the real one in odd-sized pieces.
 */
TEST_F(img, pipe_trickle)
{
	ASSERT_NE(SIG_ERR, signal(SIGPIPE, SIG_IGN));
	for (int which = 0; which < 2; which++) {
		size_t image_len;
		const uint8_t *image = pick_image(self, which, &image_len);
		struct feeder f;
		pthread_t thread;
		long ret;
		int p[2], err;

		ASSERT_EQ(0, pipe2(p, O_CLOEXEC));
		/* Slowly enough that restart waits for most bytes. */
		feed(_metadata, &thread, &f, p[1], image, image_len,
		     image_len == CKPT_IMAGE_SIZE ? 1 : 1021,
		     image_len == CKPT_IMAGE_SIZE ? 8 : 0, false);
		ckpt_arm_alarm(30);
		ret = sys_restart(0, p[0], RESTART_DRY_RUN, self->log[1]);
		err = errno;
		ckpt_disarm_alarm();
		if (ret)
			close(p[0]);	/* unblock the feeder */
		ASSERT_EQ(0, pthread_join(thread, NULL));
		img_log(self);
		ASSERT_EQ(0, f.err);
		ASSERT_EQ(0, ret) {
			TH_LOG("%srestart: %s; log: \"%s\"", self->ctx,
			       strerror(err), self->logbuf);
		}
		ASSERT_STREQ("", self->logbuf);
		close(p[0]);
		close(p[1]);
	}
}

/* A restart waiting for the rest of an image is interrupted by a signal. */
TEST_F(img, pipe_interrupted)
{
	long ret;
	int p[2], err;

	ASSERT_EQ(0, pipe2(p, O_CLOEXEC));
	ASSERT_EQ(0, ckpt_write_all(p[1], &self->syn, 100));
	ckpt_arm_alarm(1);
	ret = sys_restart(0, p[0], RESTART_DRY_RUN, self->log[1]);
	err = errno;
	ckpt_disarm_alarm();
	img_log(self);
	ASSERT_EQ(-1, ret);
	ASSERT_EQ(EINTR, err) {
		TH_LOG("restart: %s; log: \"%s\"", strerror(err), self->logbuf);
	}
	ASSERT_EQ(NULL, ckpt_log_problem(self->logbuf, "restart",
					 "reading the image failed")) {
		TH_LOG("log: \"%s\"", self->logbuf);
	}
	close(p[0]);
	close(p[1]);
}

/*
 * From a stream socket, twice: after a restart, the socket still works
 * with read(2) and write(2).
 */
TEST_F(img, socket_restart)
{
	ASSERT_NE(SIG_ERR, signal(SIGPIPE, SIG_IGN));
	for (int which = 0; which < 2; which++) {
		size_t image_len;
		const uint8_t *image = pick_image(self, which, &image_len);
		int sv[2];
		char c;

		ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0,
					sv));
		ckpt_arm_alarm(20);
		for (int i = 1; i <= 2; i++) {
			struct feeder f;
			pthread_t thread;
			long ret;
			int err;

			feed(_metadata, &thread, &f, sv[0], image, image_len,
			     65536, 0, false);
			ret = sys_restart(0, sv[1], RESTART_DRY_RUN, self->log[1]);
			err = errno;
			if (ret)
				shutdown(sv[1], SHUT_RDWR);	/* unblock the feeder */
			ASSERT_EQ(0, pthread_join(thread, NULL));
			ASSERT_EQ(0, ret) {
				TH_LOG("%srestart %d: %s; log: \"%s\"",
				       self->ctx, i, strerror(err),
				       img_log(self));
			}
			ASSERT_EQ(0, f.err);
		}
		ckpt_disarm_alarm();
		ASSERT_STREQ("", img_log(self));
		ASSERT_EQ(1, write(sv[0], "a", 1));
		ASSERT_EQ(1, read(sv[1], &c, 1)) {
			TH_LOG("%sread(2) after restart: %s", self->ctx,
			       strerror(errno));
		}
		ASSERT_EQ('a', c);
		ASSERT_EQ(1, write(sv[1], "b", 1)) {
			TH_LOG("%swrite(2) after restart: %s", self->ctx,
			       strerror(errno));
		}
		ASSERT_EQ(1, read(sv[0], &c, 1));
		ASSERT_EQ('b', c);
		close(sv[0]);
		close(sv[1]);
	}
}

/* ------------------------------------------------------------------ */
/* Damaged images                                                      */

TEST_F(img, not_an_image)
{
	static const char text[] = "#!/bin/sh\necho this is not an image\n";
	struct ckpt_image c;
	uint8_t zeros[CKPT_IMAGE_SIZE] = { 0 };

	/* The magic, with the tail fixed up. */
	c = CHANGED(magic, CKPT_MAGIC ^ 1);
	ASSERT_REFUSED(&c, sizeof(c), EINVAL, "not a checkpoint image");
	c = CHANGED(magic, CKPT_TAIL_MAGIC);
	ASSERT_REFUSED(&c, sizeof(c), EINVAL, "not a checkpoint image");
	/* The first record is not a header. */
	c = CHANGED(h.type, CKPT_HDR_TAIL);
	ASSERT_REFUSED(&c, sizeof(c), EINVAL, "not a checkpoint image");
	c = CHANGED(h.type, 0);
	ASSERT_REFUSED(&c, sizeof(c), EINVAL, "not a checkpoint image");
	/* A tail alone. */
	ASSERT_REFUSED(&self->syn.tail, CKPT_TAIL_SIZE, EINVAL,
		       "not a checkpoint image");
	ASSERT_REFUSED(zeros, sizeof(zeros), EINVAL, "not a checkpoint image");
	ASSERT_REFUSED(text, sizeof(text) - 1, EINVAL, "not a checkpoint image");
}

TEST_F(img, empty)
{
	int p[2];

	ASSERT_REFUSED("", 0, ENODATA, "truncated");

	ASSERT_EQ(0, pipe2(p, O_CLOEXEC));
	close(p[1]);
	ASSERT_EQ(-1, sys_restart(0, p[0], RESTART_DRY_RUN, self->log[1]));
	ASSERT_EQ(ENODATA, errno);
	img_log(self);
	ASSERT_EQ(NULL, ckpt_log_problem(self->logbuf, "restart", "truncated")) {
		TH_LOG("log: \"%s\"", self->logbuf);
	}
	close(p[0]);
}

/* Every prefix of an image, in a file. */
TEST_F_TIMEOUT(img, truncated_file, 120)
{
	for (size_t len = 0; len < CKPT_IMAGE_SIZE; len++) {
		snprintf(self->ctx, sizeof(self->ctx), "cut at %zu: ", len);
		ASSERT_REFUSED(&self->syn, len, ENODATA, "truncated");
	}
}

/* Every prefix of an image, in a pipe whose writer then closes. */
TEST_F_TIMEOUT(img, truncated_pipe, 120)
{
	for (size_t len = 0; len < CKPT_IMAGE_SIZE; len++) {
		long ret;
		int p[2], err;

		ASSERT_EQ(0, pipe2(p, O_CLOEXEC));
		ASSERT_EQ(0, ckpt_write_all(p[1], &self->syn, len));
		close(p[1]);
		ckpt_arm_alarm(10);
		ret = sys_restart(0, p[0], RESTART_DRY_RUN, self->log[1]);
		err = errno;
		ckpt_disarm_alarm();
		close(p[0]);
		img_log(self);
		ASSERT_EQ(-1, ret);
		ASSERT_EQ(ENODATA, err) {
			TH_LOG("cut at %zu: %s; log: \"%s\"", len,
			       strerror(err), self->logbuf);
		}
		ASSERT_EQ(NULL, ckpt_log_problem(self->logbuf, "restart",
						 "truncated")) {
			TH_LOG("cut at %zu; log: \"%s\"", len, self->logbuf);
		}
	}
}

TEST_F(img, version_newer)
{
	struct ckpt_image c;

	c = CHANGED(version, CKPT_FORMAT_VERSION + 1);
	ASSERT_REFUSED(&c, sizeof(c), EPROTO, "not supported");
	c = CHANGED(version, 0xffffffffU);
	ASSERT_REFUSED(&c, sizeof(c), EPROTO, "not supported");
}

TEST_F(img, version_older)
{
	/*
	 * 1: the format before the state of live tasks was saved; 2: before
	 * their TLS descriptors and POSIX timers were.
	 */
	for (__u32 v = 0; v < CKPT_FORMAT_VERSION; v++) {
		struct ckpt_image c = CHANGED(version, v);

		snprintf(self->ctx, sizeof(self->ctx), "version %u: ", v);
		ASSERT_REFUSED(&c, sizeof(c), EPROTO, "not supported");
		ASSERT_NE(NULL, strstr(self->logbuf, "ckpt convert")) {
			TH_LOG("version %u; log: \"%s\"", v, self->logbuf);
		}
	}
}

TEST_F(img, wrong_arch)
{
	struct ckpt_image c;

	c = CHANGED(arch, 2);
	ASSERT_REFUSED(&c, sizeof(c), ENOEXEC, "architecture");
	c = CHANGED(arch, 0);
	ASSERT_REFUSED(&c, sizeof(c), ENOEXEC, "architecture");
}

/* Flags that no checkpoint(2) accepts cannot have written an image. */
TEST_F(img, unknown_header_flags)
{
	struct ckpt_image c;

	/* CHECKPOINT_EXTERNAL, or none: written by checkpoint(2) */
	c = CHANGED(flags, CHECKPOINT_EXTERNAL);
	ASSERT_ACCEPTED(&c, sizeof(c), CKPT_IMAGE_SIZE);
	c = CHANGED(flags, 0);
	ASSERT_ACCEPTED(&c, sizeof(c), CKPT_IMAGE_SIZE);
	c = CHANGED(flags, 2);
	ASSERT_REFUSED(&c, sizeof(c), EBADMSG, "unknown flags");
	c = CHANGED(flags, CHECKPOINT_EXTERNAL | 0x100);
	ASSERT_REFUSED(&c, sizeof(c), EBADMSG, "unknown flags");
	c = CHANGED(flags, 0x80000000U);
	ASSERT_REFUSED(&c, sizeof(c), EBADMSG, "unknown flags");
}

TEST_F(img, wrong_page_size)
{
	__u32 sizes[] = { 65536, 0, 2048, self->syn.hdr.page_size * 2 };

	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		struct ckpt_image c = CHANGED(page_size, sizes[i]);

		snprintf(self->ctx, sizeof(self->ctx), "page size %u: ",
			 sizes[i]);
		ASSERT_REFUSED(&c, sizeof(c), ENOEXEC, "page");
	}
}

/* Features no x86 CPU has: bit 62 (LWP, never used by Linux), bit 63. */
TEST_F(img, missing_xfeatures)
{
	struct ckpt_image c;

	c = CHANGED(xfeatures, self->syn.hdr.xfeatures | 1ULL << 62);
	ASSERT_REFUSED(&c, sizeof(c), ENOEXEC, "xsave");
	c = CHANGED(xfeatures, 3 | 1ULL << 63);
	ASSERT_REFUSED(&c, sizeof(c), ENOEXEC, "xsave");
	/* Fewer features than the CPU has are fine. */
	c = CHANGED(xfeatures, 3);
	ASSERT_ACCEPTED(&c, sizeof(c), CKPT_IMAGE_SIZE);
}

TEST_F(img, tail_checksum)
{
	struct ckpt_image c = self->syn;

	c.tail.crc32c ^= 1;
	ASSERT_REFUSED(&c, sizeof(c), EBADMSG, "checksum");
	/* A header changed without fixing the tail. */
	c = self->syn;
	c.hdr.time ^= 1;
	ASSERT_REFUSED(&c, sizeof(c), EBADMSG, "checksum");
	c = self->syn;
	c.hdr.release[CKPT_RELEASE_LEN - 1] = 'x';
	ASSERT_REFUSED(&c, sizeof(c), EBADMSG, "checksum");
}

TEST_F(img, tail_counts)
{
	__u64 records[] = { 0, 1, 3, 1ULL << 32 };
	__u64 bytes[] = { 0, 119, 120, 121, 128, 271, 273, 312 };

	for (size_t i = 0; i < ARRAY_SIZE(records); i++) {
		struct ckpt_image c = self->syn;

		c.tail.records = records[i];
		ASSERT_REFUSED(&c, sizeof(c), EBADMSG, "corrupt");
	}
	for (size_t i = 0; i < ARRAY_SIZE(bytes); i++) {
		struct ckpt_image c = self->syn;

		c.tail.bytes = bytes[i];
		ASSERT_REFUSED(&c, sizeof(c), EBADMSG, "corrupt");
	}
}

TEST_F(img, tail_reserved)
{
	struct ckpt_image c = self->syn;

	c.tail.reserved = 1;
	ASSERT_REFUSED(&c, sizeof(c), EBADMSG, "corrupt");
	c.tail.reserved = 0x80000000U;
	ASSERT_REFUSED(&c, sizeof(c), EBADMSG, "corrupt");
}

TEST_F(img, tail_magic)
{
	struct ckpt_image c = self->syn;

	c.tail.magic ^= 1ULL << 40;
	ASSERT_REFUSED(&c, sizeof(c), EBADMSG, "corrupt");
	c.tail.magic = CKPT_MAGIC;
	ASSERT_REFUSED(&c, sizeof(c), EBADMSG, "corrupt");
}

/* A record this kernel does not know, before the tail. */
TEST_F(img, unknown_record)
{
	__u32 types[] = { 150, 0, CKPT_HDR_HEADER, 1000, 307, 702 };
	uint8_t buf[CKPT_IMAGE_SIZE + 16];

	for (size_t i = 0; i < ARRAY_SIZE(types); i++) {
		struct ckpt_hdr h = { .type = types[i], .len = 16 };

		memcpy(buf, &self->syn, CKPT_IMAGE_BODY);
		memcpy(buf + CKPT_IMAGE_BODY, &h, sizeof(h));
		memset(buf + CKPT_IMAGE_BODY + sizeof(h), 0x11, 8);
		ckpt_seal_at(buf, CKPT_IMAGE_BODY + 16, 3);
		snprintf(self->ctx, sizeof(self->ctx), "record type %u: ",
			 types[i]);
		ASSERT_REFUSED(buf, sizeof(buf), EBADMSG, "unknown type");
	}
}

/*
 * The extension rule: a record longer than this kernel knows comes from a
 * newer writer; the bytes it does not know are skipped.
 */
TEST_F(img, header_extension)
{
	uint8_t buf[512];
	struct ckpt_hdr_header hdr = self->syn.hdr;
	static const __u32 lens[] = { 128, 124, 200 };

	for (size_t i = 0; i < ARRAY_SIZE(lens); i++) {
		size_t end = ckpt_align(lens[i]) + CKPT_NS_SIZE;

		/*
		 * 8 more bytes, zero; 4 more bytes, then 4 bytes of zero
		 * padding; 80 more bytes of fields this kernel does not
		 * know.  The namespaces record after them.
		 */
		memset(buf, 0, sizeof(buf));
		hdr.h.len = lens[i];
		memcpy(buf, &hdr, CKPT_HDR_SIZE);
		memset(buf + CKPT_HDR_SIZE, i ? 0x33 : 0, lens[i] - CKPT_HDR_SIZE);
		memcpy(buf + ckpt_align(lens[i]), &self->syn.ns, CKPT_NS_SIZE);
		ckpt_seal_at(buf, end, 2);
		snprintf(self->ctx, sizeof(self->ctx), "header length %u: ",
			 lens[i]);
		ASSERT_ACCEPTED(buf, end + CKPT_TAIL_SIZE, end + CKPT_TAIL_SIZE);
	}
}

/* Alignment padding must be zero. */
TEST_F(img, header_nonzero_padding)
{
	uint8_t buf[128 + CKPT_NS_SIZE + CKPT_TAIL_SIZE];
	struct ckpt_hdr_header hdr = self->syn.hdr;

	for (int last_only = 0; last_only <= 1; last_only++) {
		memset(buf, 0, sizeof(buf));
		hdr.h.len = 124;
		memcpy(buf, &hdr, CKPT_HDR_SIZE);
		if (last_only)
			buf[127] = 1;
		else
			memset(buf + 124, 0xee, 4);
		memcpy(buf + 128, &self->syn.ns, CKPT_NS_SIZE);
		ckpt_seal_at(buf, 128 + CKPT_NS_SIZE, 2);
		ASSERT_REFUSED(buf, sizeof(buf), EBADMSG, "padding");
	}
}

/* ------------------------------------------------------------------ */
/* The namespaces record (format version 4)                            */

/* The synthetic image, with its namespaces record changed and resealed. */
#define NS_CHANGED(stmt) ({						\
	struct ckpt_image __c = self->syn;				\
	struct ckpt_hdr_namespaces *ns = &__c.ns;			\
									\
	(void)ns;							\
	stmt;								\
	ckpt_image_seal(&__c);						\
	__c;								\
})

/*
 * What a container of its own UTS and IPC namespaces writes: the flags,
 * the names (up to 64 bytes, or empty).  A dry run makes no namespace.
 */
TEST_F(img, namespaces_accepted)
{
	char longest[CKPT_UTS_LEN];
	struct ckpt_image c;

	memset(longest, 'h', sizeof(longest) - 1);
	longest[sizeof(longest) - 1] = '\0';
	c = NS_CHANGED(ns->flags = CKPT_NS_IPC);
	ASSERT_ACCEPTED(&c, sizeof(c), CKPT_IMAGE_SIZE);
	c = NS_CHANGED(ns->flags = CKPT_NS_UTS);
	ASSERT_ACCEPTED(&c, sizeof(c), CKPT_IMAGE_SIZE);
	c = NS_CHANGED(ns->flags = CKPT_NS_UTS | CKPT_NS_IPC;
		       strcpy(ns->hostname, "ckpt-container");
		       strcpy(ns->domainname, "example.org"));
	ASSERT_ACCEPTED(&c, sizeof(c), CKPT_IMAGE_SIZE);
	c = NS_CHANGED(ns->flags = CKPT_NS_UTS;
		       memcpy(ns->hostname, longest, sizeof(longest));
		       memcpy(ns->domainname, longest, sizeof(longest)));
	ASSERT_ACCEPTED(&c, sizeof(c), CKPT_IMAGE_SIZE);
	/* The extension rule: a longer record from a newer writer. */
	{
		uint8_t buf[CKPT_IMAGE_SIZE + 8];
		struct ckpt_hdr_namespaces ns = self->syn.ns;

		memset(buf, 0, sizeof(buf));
		memcpy(buf, &self->syn.hdr, CKPT_HDR_SIZE);
		ns.h.len = CKPT_NS_SIZE + 8;
		memcpy(buf + CKPT_HDR_SIZE, &ns, CKPT_NS_SIZE);
		memset(buf + CKPT_IMAGE_BODY, 0x5a, 8);
		ckpt_seal_at(buf, CKPT_IMAGE_BODY + 8, 2);
		ASSERT_ACCEPTED(buf, sizeof(buf), sizeof(buf));
	}
}

/*
 * Each field out of its range: unknown flags, the reserved field and the
 * padding not zero, names without CKPT_NS_UTS, names that are not
 * NUL-terminated or have bytes after their NUL.
 */
TEST_F(img, namespaces_fields)
{
	static const char unterminated[CKPT_UTS_LEN] = {
		[0 ... CKPT_UTS_LEN - 1] = 'x',
	};
	struct ckpt_image bad[] = {
		NS_CHANGED(ns->flags = 4),
		NS_CHANGED(ns->flags = CKPT_NS_UTS | 0x80000000U),
		NS_CHANGED(ns->reserved = 1),
		NS_CHANGED(ns->pad[0] = 1),
		NS_CHANGED(ns->pad[5] = 0x80),
		/* names without the flag */
		NS_CHANGED(strcpy(ns->hostname, "host")),
		NS_CHANGED(ns->flags = CKPT_NS_IPC;
			   strcpy(ns->domainname, "domain")),
		NS_CHANGED(ns->hostname[CKPT_UTS_LEN - 1] = 'x'),
		/* unterminated */
		NS_CHANGED(ns->flags = CKPT_NS_UTS;
			   memcpy(ns->hostname, unterminated, CKPT_UTS_LEN)),
		NS_CHANGED(ns->flags = CKPT_NS_UTS;
			   strcpy(ns->hostname, "host");
			   memcpy(ns->domainname, unterminated, CKPT_UTS_LEN)),
		/* not zero-padded */
		NS_CHANGED(ns->flags = CKPT_NS_UTS;
			   strcpy(ns->hostname, "host");
			   ns->hostname[10] = 'y'),
		NS_CHANGED(ns->flags = CKPT_NS_UTS;
			   ns->domainname[CKPT_UTS_LEN - 1] = 'y'),
	};

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		snprintf(self->ctx, sizeof(self->ctx), "case %zu: ", i);
		ASSERT_REFUSED(&bad[i], sizeof(bad[i]), EBADMSG,
			       "namespaces: bad flags, names or padding");
	}
}

/*
 * The namespaces record must come right after the header, once: an image
 * without it, with it later, twice, or too short for it is corrupt.
 */
TEST_F(img, namespaces_place)
{
	uint8_t buf[CKPT_IMAGE_SIZE + CKPT_NS_SIZE + 64];
	struct ckpt_hdr_namespaces ns = self->syn.ns;
	struct ckpt_hdr_string str = {
		.h = { .type = CKPT_HDR_STRING, .len = sizeof(str) + 2 },
		.len = 2,
	};
	struct ckpt_hdr_pipe pipe = {
		.h = { .type = CKPT_HDR_PIPE, .len = sizeof(pipe) },
		.objref = 1,
		.size = (uint32_t)sysconf(_SC_PAGESIZE),
	};
	size_t off;

	/* A header and a tail: what version 3 wrote for no task. */
	memset(buf, 0, sizeof(buf));
	memcpy(buf, &self->syn.hdr, CKPT_HDR_SIZE);
	ckpt_seal_at(buf, CKPT_HDR_SIZE, 1);
	ASSERT_REFUSED(buf, CKPT_HDR_SIZE + CKPT_TAIL_SIZE, EBADMSG,
		       "namespaces was expected");

	/* Another record first (a pipe), the namespaces record after it. */
	memset(buf, 0, sizeof(buf));
	memcpy(buf, &self->syn.hdr, CKPT_HDR_SIZE);
	memcpy(buf + CKPT_HDR_SIZE, &pipe, sizeof(pipe));
	off = CKPT_HDR_SIZE + sizeof(pipe);
	memcpy(buf + off, &ns, CKPT_NS_SIZE);
	ckpt_seal_at(buf, off + CKPT_NS_SIZE, 3);
	ASSERT_REFUSED(buf, off + CKPT_NS_SIZE + CKPT_TAIL_SIZE, EBADMSG,
		       "namespaces was expected");

	/* A string first. */
	memset(buf, 0, sizeof(buf));
	memcpy(buf, &self->syn.hdr, CKPT_HDR_SIZE);
	memcpy(buf + CKPT_HDR_SIZE, &str, sizeof(str));
	buf[CKPT_HDR_SIZE + sizeof(str)] = '/';
	ckpt_seal_at(buf, CKPT_HDR_SIZE + 24, 2);
	ASSERT_REFUSED(buf, CKPT_HDR_SIZE + 24 + CKPT_TAIL_SIZE, EBADMSG,
		       "namespaces was expected");

	/* Twice. */
	memset(buf, 0, sizeof(buf));
	memcpy(buf, &self->syn, CKPT_IMAGE_BODY);
	memcpy(buf + CKPT_IMAGE_BODY, &ns, CKPT_NS_SIZE);
	ckpt_seal_at(buf, CKPT_IMAGE_BODY + CKPT_NS_SIZE, 3);
	ASSERT_REFUSED(buf, CKPT_IMAGE_BODY + CKPT_NS_SIZE + CKPT_TAIL_SIZE,
		       EBADMSG, "namespaces out of place");

	/* Shorter than the record (a truncated struct, sealed). */
	for (uint32_t len = 8; len < CKPT_NS_SIZE; len += 48) {
		memset(buf, 0, sizeof(buf));
		memcpy(buf, &self->syn.hdr, CKPT_HDR_SIZE);
		ns.h.len = len;
		memcpy(buf + CKPT_HDR_SIZE, &ns, len);
		off = CKPT_HDR_SIZE + ckpt_align(len);
		ckpt_seal_at(buf, off, 2);
		snprintf(self->ctx, sizeof(self->ctx), "length %u: ", len);
		ASSERT_REFUSED(buf, off + CKPT_TAIL_SIZE, EBADMSG,
			       "bad length");
	}
}

/* A header record too short to hold a header, or absurdly long. */
TEST_F(img, header_bad_length)
{
	__u32 lens[] = { 0, 8, 16, 19, 20, 100, 119, 65537, 0xffffffffU };

	for (size_t i = 0; i < ARRAY_SIZE(lens); i++) {
		struct ckpt_image c = CHANGED(h.len, lens[i]);

		snprintf(self->ctx, sizeof(self->ctx), "header length %u: ",
			 lens[i]);
		ASSERT_REFUSED(&c, sizeof(c), EBADMSG, "length");
	}
}

TEST_F(img, tail_bad_length)
{
	/* An absurd length is refused at once, not read and thrown away. */
	__u32 lens[] = { 0, 8, 32, 39, 65537, 0xffffffffU };

	for (size_t i = 0; i < ARRAY_SIZE(lens); i++) {
		struct ckpt_image c = self->syn;

		c.tail.h.len = lens[i];
		snprintf(self->ctx, sizeof(self->ctx), "tail length %u: ",
			 lens[i]);
		ASSERT_REFUSED(&c, sizeof(c), EBADMSG, "length");
	}
}

/* The extension rule holds for the tail too. */
TEST_F(img, tail_extension)
{
	struct ckpt_image c = self->syn;
	uint8_t buf[CKPT_IMAGE_SIZE + 8];

	memset(buf, 0, sizeof(buf));
	c.tail.h.len = 48;
	memcpy(buf, &c, CKPT_IMAGE_SIZE);
	ASSERT_ACCEPTED(buf, sizeof(buf), sizeof(buf));

	memset(buf, 0, sizeof(buf));
	c.tail.h.len = 44;
	memcpy(buf, &c, CKPT_IMAGE_SIZE);
	ASSERT_ACCEPTED(buf, sizeof(buf), sizeof(buf));

	buf[sizeof(buf) - 1] = 1;
	ASSERT_REFUSED(buf, sizeof(buf), EBADMSG, "padding");
}

/*
 * Every byte of a real image, each bit flipped and the whole byte flipped:
 * restart never accepts the result, always says why, and uses only the
 * errnos of bad images.
 */
TEST_F_TIMEOUT(img, corruption_walk, 300)
{
	static const uint8_t masks[] = {
		0xff, 0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80,
	};
	unsigned int bad = 0, runs = 0;

	for (size_t off = 0; off < CKPT_IMAGE_SIZE; off++) {
		for (size_t m = 0; m < ARRAY_SIZE(masks); m++) {
			struct ckpt_image c = self->syn;
			const char *why = NULL;
			int got;

			((uint8_t *)&c)[off] ^= masks[m];
			got = try_restart(self, &c, sizeof(c), RESTART_DRY_RUN);
			runs++;
			if (got == 0)
				why = "accepted";
			else if (!image_errno(got))
				why = "unexpected errno";
			else
				why = ckpt_log_problem(self->logbuf, "restart",
						       NULL);
			if (why && bad++ < 20)
				TH_LOG("byte %zu ^ 0x%02x: %s: %s; log: \"%s\"",
				       off, masks[m], why, errname(got),
				       self->logbuf);
		}
	}
	ASSERT_EQ(CKPT_IMAGE_SIZE * ARRAY_SIZE(masks), runs);
	ASSERT_EQ(0U, bad);
}

TEST_HARNESS_MAIN
