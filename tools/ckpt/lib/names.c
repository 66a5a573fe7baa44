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
	case CKPT_HDR_CPU_REGS:
		return "registers";
	case CKPT_HDR_CPU_XSTATE:
		return "xstate";
	case CKPT_HDR_MM:
		return "mm";
	case CKPT_HDR_VMA:
		return "vma";
	case CKPT_HDR_PAGES:
		return "pages";
	case CKPT_HDR_FILE:
		return "file";
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
	default:
		return NULL;
	}
}
