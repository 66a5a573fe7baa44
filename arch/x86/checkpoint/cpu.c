// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart: what the image says about the x86 CPU.
 *
 * The header records the user xsave features of the checkpointing CPU.  A
 * program may have chosen its code paths from CPUID (glibc picks its string
 * functions that way), so restart refuses a CPU that lacks any of them
 * rather than let the program die later of an invalid opcode.
 */
#include <linux/checkpoint.h>
#include <linux/errno.h>
#include <asm/fpu/types.h>

void ckpt_arch_fill_header(struct ckpt_hdr_header *hdr)
{
	hdr->arch = CKPT_ARCH_X86_64;
	hdr->xfeatures = fpu_user_cfg.max_features;
}

int ckpt_arch_check_header(struct ckpt_ctx *ctx,
			   const struct ckpt_hdr_header *hdr)
{
	u64 missing = hdr->xfeatures & ~fpu_user_cfg.max_features;

	if (hdr->arch != CKPT_ARCH_X86_64) {
		ckpt_log(ctx, "the image is for architecture %u, this kernel is x86_64 (%u)",
			 hdr->arch, CKPT_ARCH_X86_64);
		return -ENOEXEC;
	}
	if (missing) {
		ckpt_log(ctx, "the image needs xsave features 0x%llx that this CPU lacks",
			 missing);
		return -ENOEXEC;
	}
	return 0;
}
