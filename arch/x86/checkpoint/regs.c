// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart: x86_64 registers and FPU/SSE/AVX state.
 *
 * Both are taken through the task's user regsets, as ptrace and core dumps
 * take them: the general registers as struct user_regs_struct, the extended
 * state as the standard (non-compacted) XSAVE layout of the user ABI.  A
 * frozen task is asleep in the kernel, so its registers are saved on its
 * stack and its FPU state in memory, as for a stopped tracee.
 */
#include <linux/checkpoint.h>
#include <linux/elf.h>
#include <linux/pid.h>
#include <linux/regset.h>
#include <linux/sched.h>
#include <linux/sched/task_stack.h>
#include <linux/slab.h>
#include <asm/fpu/types.h>
#include <asm/syscall.h>
#include <asm/segment.h>
#include <asm/user.h>

static const struct user_regset *ckpt_regset(struct task_struct *t,
					     unsigned int note)
{
	const struct user_regset_view *view = task_user_regset_view(t);
	unsigned int i;

	for (i = 0; i < view->n; i++)
		if (view->regsets[i].core_note_type == note)
			return &view->regsets[i];
	return NULL;
}

static int ckpt_write_regs(struct ckpt_ctx *ctx, struct task_struct *t)
{
	const struct user_regset *rs = ckpt_regset(t, NT_PRSTATUS);
	struct ckpt_hdr_cpu_regs rec = { };
	int ret;

	BUILD_BUG_ON(sizeof(rec.regs) != sizeof(struct user_regs_struct));
	if (!rs)
		return -EOPNOTSUPP;
	ret = regset_get(t, rs, sizeof(rec.regs), &rec.regs);
	if (ret < 0)
		return ret;
	return ckpt_write_record(ctx, CKPT_HDR_CPU_REGS, &rec, sizeof(rec));
}

static int ckpt_write_xstate(struct ckpt_ctx *ctx, struct task_struct *t)
{
	const struct user_regset *rs = ckpt_regset(t, NT_X86_XSTATE);
	struct ckpt_hdr_cpu_xstate *rec;
	void *xsave;
	int size, ret;

	if (!rs || !rs->n) {
		ckpt_log(ctx, "task %d: a CPU without XSAVE is not supported",
			 task_pid_vnr(t));
		return -EOPNOTSUPP;
	}
	size = regset_get_alloc(t, rs, rs->n * rs->size, &xsave);
	if (size < 0)
		return size;
	rec = kzalloc(sizeof(*rec) + size, GFP_KERNEL);
	if (rec) {
		rec->size = size;
		memcpy(rec + 1, xsave, size);
		ret = ckpt_write_record(ctx, CKPT_HDR_CPU_XSTATE, rec,
					sizeof(*rec) + size);
		kfree(rec);
	} else {
		ret = -ENOMEM;
	}
	kvfree(xsave);
	return ret;
}

/*
 * Whether @t, frozen, was interrupted in a system call that restarts
 * through its restart block (restart_syscall(2)).
 */
bool ckpt_arch_in_restart_block(struct task_struct *t)
{
	struct pt_regs *regs = task_pt_regs(t);

	return (long)regs->orig_ax >= 0 &&
	       (long)regs->ax == -ERESTART_RESTARTBLOCK;
}

int ckpt_arch_write_cpu(struct ckpt_ctx *ctx, struct task_struct *t)
{
	int ret = ckpt_write_regs(ctx, t);

	if (!ret)
		ret = ckpt_write_xstate(ctx, t);
	return ret;
}

/*
 * Restart: set the registers of the restored task, which waits in the
 * kernel for it, as a tracer sets those of a stopped tracee (the regset
 * checks each value as it does for PTRACE_SETREGS).  ax is set again on
 * the task's way to user mode (see ckpt_fix_ax()).
 */
static int ckpt_restore_regs(struct ckpt_ctx *ctx,
			     const struct ckpt_x86_regs *regs)
{
	const struct user_regset *rs = ckpt_regset(ctx->child, NT_PRSTATUS);
	int ret;

	ret = rs ? rs->set(ctx->child, rs, 0, sizeof(*regs), regs, NULL) :
		   -EOPNOTSUPP;
	if (ret) {
		ckpt_log(ctx, "registers: refused (error %d)", ret);
		return -EBADMSG;
	}
	ctx->child_ax = regs->ax;
	return 0;
}

/*
 * Restart: the registers of a user task run in user mode, with user
 * segments and user-space addresses; anything else in an image is refused.
 */
int ckpt_arch_read_regs(struct ckpt_ctx *ctx, const struct ckpt_hdr *h)
{
	struct ckpt_hdr_cpu_regs rec;
	int ret;

	ret = ckpt_read_payload(ctx, h, &rec, sizeof(rec));
	if (ret)
		return ret;
	if (rec.regs.cs != __USER_CS || rec.regs.ss != __USER_DS ||
	    rec.regs.fs_base >= TASK_SIZE_MAX ||
	    rec.regs.gs_base >= TASK_SIZE_MAX) {
		ckpt_log(ctx, "registers: not those of a 64-bit user task");
		return -EBADMSG;
	}
	/* Its restart block follows: restart_syscall(2) will use it. */
	ctx->in_restart_block = (s64)rec.regs.orig_ax >= 0 &&
				(s64)rec.regs.ax == -ERESTART_RESTARTBLOCK;
	ctx->expect = CKPT_HDR_CPU_XSTATE;
	return ctx->restoring ? ckpt_restore_regs(ctx, &rec.regs) : 0;
}

/* Where the XSAVE header (XSTATE_BV, XCOMP_BV, reserved) lies */
#define CKPT_XSAVE_HDR_OFFSET	512
#define CKPT_XSAVE_HDR_END	(CKPT_XSAVE_HDR_OFFSET + 64)

int ckpt_arch_read_xstate(struct ckpt_ctx *ctx, const struct ckpt_hdr *h)
{
	struct ckpt_hdr_cpu_xstate rec;
	void *xsave;
	u64 *xhdr;
	int ret;

	ret = ckpt_read_begin(ctx, h, &rec, sizeof(rec),
			      sizeof(rec) + fpu_user_cfg.max_size);
	if (ret)
		return ret;
	/* The legacy FXSAVE area and the XSAVE header at least */
	if (rec.size < CKPT_XSAVE_HDR_END || rec.size > fpu_user_cfg.max_size ||
	    rec.reserved || h->len < sizeof(rec) + rec.size) {
		ckpt_log(ctx, "FPU state of %u bytes: bad size", rec.size);
		return -EBADMSG;
	}
	/* A whole buffer of this CPU's size, as the regset wants it */
	xsave = kzalloc(fpu_user_cfg.max_size, GFP_KERNEL);
	if (!xsave)
		return -ENOMEM;
	ret = ckpt_read_more(ctx, xsave, rec.size);
	if (ret)
		goto out;
	/*
	 * The XSAVE header: the components present must be ones the header
	 * says the CPU had, in the standard (not compacted) layout.
	 */
	xhdr = xsave + CKPT_XSAVE_HDR_OFFSET;
	if ((xhdr[0] & ~ctx->xfeatures) || xhdr[1]) {
		ckpt_log(ctx, "FPU state with components 0x%llx (layout 0x%llx) the CPU did not have",
			 xhdr[0], xhdr[1]);
		ret = -EBADMSG;
		goto out;
	}
	ctx->expect = ctx->in_restart_block ? CKPT_HDR_RESTART_BLOCK :
					      CKPT_HDR_TASK_ATTRS;
	ret = ckpt_read_end(ctx, h);
	if (!ret && ctx->restoring) {
		const struct user_regset *rs = ckpt_regset(ctx->child,
							   NT_X86_XSTATE);

		ret = rs ? rs->set(ctx->child, rs, 0, fpu_user_cfg.max_size,
				   xsave, NULL) : -EOPNOTSUPP;
		if (ret) {
			ckpt_log(ctx, "FPU state: refused (error %d)", ret);
			ret = -EBADMSG;
		}
	}
out:
	kfree(xsave);
	return ret;
}
