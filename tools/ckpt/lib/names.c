// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Names of the numbers in an image, for messages and `ckpt info`.
 */
#include "ckpt.h"

const char *ckpt_record_type_name(uint32_t type)
{
	switch (type) {
	case CKPT_HDR_HEADER:
		return "header";
	case CKPT_HDR_TAIL:
		return "tail";
	case CKPT_HDR_STRING:
		return "string";
	case CKPT_HDR_TASK:
		return "task";
	case CKPT_HDR_TASK_ATTRS:
		return "task_attrs";
	case CKPT_HDR_RESTART_BLOCK:
		return "restart_block";
	case CKPT_HDR_CPU_REGS:
		return "registers";
	case CKPT_HDR_CPU_XSTATE:
		return "xstate";
	case CKPT_HDR_CPU_TLS:
		return "tls";
	case CKPT_HDR_MM:
		return "mm";
	case CKPT_HDR_VMA:
		return "vma";
	case CKPT_HDR_PAGES:
		return "pages";
	case CKPT_HDR_FILE:
		return "file";
	case CKPT_HDR_PIPE:
		return "pipe";
	case CKPT_HDR_FD_TABLE:
		return "fd_table";
	case CKPT_HDR_FS:
		return "fs";
	case CKPT_HDR_FILE_PAGES:
		return "file_pages";
	case CKPT_HDR_SIGHAND:
		return "sighand";
	case CKPT_HDR_SIGNAL:
		return "signal";
	case CKPT_HDR_POSIX_TIMER:
		return "posix_timer";
	case CKPT_HDR_TASK_SIGNAL:
		return "task_signal";
	case CKPT_HDR_SIGINFO:
		return "siginfo";
	case CKPT_HDR_CRED:
		return "cred";
	case CKPT_HDR_EPOLL:
		return "epoll";
	case CKPT_HDR_NAMESPACES:
		return "namespaces";
	case CKPT_HDR_IPC_SHM:
		return "ipc_shm";
	case CKPT_HDR_IPC_SEM:
		return "ipc_sem";
	case CKPT_HDR_IPC_MSG:
		return "ipc_msg";
	case CKPT_HDR_IPC_SEM_UNDO:
		return "ipc_sem_undo";
	case CKPT_HDR_IPC_MQUEUE:
		return "ipc_mqueue";
	default:
		return "unknown";
	}
}

const char *ckpt_arch_name(uint32_t arch)
{
	switch (arch) {
	case CKPT_ARCH_X86_64:
		return "x86_64";
	default:
		return NULL;
	}
}

const char *ckpt_vma_kind_name(uint32_t kind)
{
	switch (kind) {
	case CKPT_VMA_ANON:
		return "anon";
	case CKPT_VMA_FILE:
		return "file";
	case CKPT_VMA_VDSO:
		return "vdso";
	case CKPT_VMA_SYSV_SHM:
		return "sysv_shm";
	default:
		return NULL;
	}
}

const char *ckpt_vma_flag_name(uint32_t flag)
{
	switch (flag) {
	case CKPT_VMA_GROWSDOWN:
		return "growsdown";
	case CKPT_VMA_LOCKED:
		return "locked";
	case CKPT_VMA_DONTFORK:
		return "dontfork";
	case CKPT_VMA_DONTDUMP:
		return "dontdump";
	case CKPT_VMA_RAND_READ:
		return "randread";
	case CKPT_VMA_SEQ_READ:
		return "seqread";
	case CKPT_VMA_SHARED:
		return "shared";
	case CKPT_VMA_SHM_RDONLY:
		return "shm_rdonly";
	default:
		return NULL;
	}
}

const char *ckpt_file_type_name(uint32_t type)
{
	switch (type) {
	case CKPT_FILE_REG:
		return "reg";
	case CKPT_FILE_DIR:
		return "dir";
	case CKPT_FILE_CHR:
		return "chr";
	case CKPT_FILE_PIPE:
		return "pipe";
	case CKPT_FILE_MEMFD:
		return "memfd";
	case CKPT_FILE_EPOLL:
		return "epoll";
	case CKPT_FILE_EXTERNAL:
		return "external";
	case CKPT_FILE_SHMEM:
		return "shmem";
	case CKPT_FILE_FIFO:
		return "fifo";
	case CKPT_FILE_MQUEUE:
		return "mqueue";
	default:
		return NULL;
	}
}

const char *ckpt_restart_kind_name(uint32_t kind)
{
	switch (kind) {
	case CKPT_RESTART_NONE:
		return "none";
	case CKPT_RESTART_NANOSLEEP:
		return "nanosleep";
	case CKPT_RESTART_POLL:
		return "poll";
	case CKPT_RESTART_FUTEX:
		return "futex";
	default:
		return NULL;
	}
}

const char *ckpt_signal_name(uint32_t signo)
{
	/* x86_64's numbers, whatever the host's libc calls them */
	static const char *const names[] = {
		NULL, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP",
		"SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1",
		"SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM",
		"SIGSTKFLT", "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP",
		"SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ",
		"SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR",
		"SIGSYS",
	};
	static const char *const rt[] = {
		"SIGRTMIN", "SIGRTMIN+1", "SIGRTMIN+2", "SIGRTMIN+3",
		"SIGRTMIN+4", "SIGRTMIN+5", "SIGRTMIN+6", "SIGRTMIN+7",
		"SIGRTMIN+8", "SIGRTMIN+9", "SIGRTMIN+10", "SIGRTMIN+11",
		"SIGRTMIN+12", "SIGRTMIN+13", "SIGRTMIN+14", "SIGRTMIN+15",
		"SIGRTMIN+16", "SIGRTMIN+17", "SIGRTMIN+18", "SIGRTMIN+19",
		"SIGRTMIN+20", "SIGRTMIN+21", "SIGRTMIN+22", "SIGRTMIN+23",
		"SIGRTMIN+24", "SIGRTMIN+25", "SIGRTMIN+26", "SIGRTMIN+27",
		"SIGRTMIN+28", "SIGRTMIN+29", "SIGRTMIN+30", "SIGRTMIN+31",
		"SIGRTMAX",
	};

	if (signo < 32)
		return names[signo];
	if (signo <= CKPT_NSIG)
		return rt[signo - 32];
	return NULL;
}

const char *ckpt_rlimit_name(uint32_t resource)
{
	static const char *const names[CKPT_NR_RLIMITS] = {
		"cpu", "fsize", "data", "stack", "core", "rss", "nproc",
		"nofile", "memlock", "as", "locks", "sigpending", "msgqueue",
		"nice", "rtprio", "rttime",
	};

	return resource < CKPT_NR_RLIMITS ? names[resource] : NULL;
}

const char *ckpt_itimer_name(uint32_t which)
{
	switch (which) {
	case CKPT_ITIMER_REAL:
		return "real";
	case CKPT_ITIMER_VIRTUAL:
		return "virtual";
	case CKPT_ITIMER_PROF:
		return "prof";
	default:
		return NULL;
	}
}
