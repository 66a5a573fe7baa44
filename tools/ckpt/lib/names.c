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
