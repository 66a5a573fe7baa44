// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart: x86_64 registers and FPU/SSE/AVX state.
 *
 * Both are taken through the task's user regsets, as ptrace and core dumps
 * take them: the general registers as struct user_regs_struct, the extended
 * state as the standard (non-compacted) XSAVE layout of the user ABI.  A
 * frozen task is asleep in the kernel, so its registers are saved on its
 * stack and its FPU state in memory, as for a stopped tracee.  The TLS
 * descriptors of set_thread_area(2) go through the functions of the
 * 32-bit TLS regset, which the 64-bit regset view lacks; a kernel without
 * CONFIG_IA32_EMULATION has no set_thread_area(2), and no task there has
 * any TLS descriptor in use.
 *
 * Only 64-bit tasks are supported: a 32-bit task, or one frozen in a
 * 32-bit system call (int $0x80), is refused.
 */
#include <linux/checkpoint.h>
#include <linux/elf.h>
#include <linux/pid.h>
#include <linux/regset.h>
#include <linux/sched.h>
#include <linux/sched/task_stack.h>
#include <linux/slab.h>
#include <asm/desc.h>
#include <asm/fpu/types.h>
#include <asm/syscall.h>
#include <asm/segment.h>
#include <asm/user.h>

#include "../kernel/tls.h"

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
	if (!user_64bit_mode(task_pt_regs(t)) ||
	    (task_thread_info(t)->status & TS_COMPAT)) {
		ckpt_log(ctx, "task %d: 32-bit code or a 32-bit system call: only 64-bit tasks are supported",
			 task_pid_vnr(t));
		return -EOPNOTSUPP;
	}
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

/* struct user_desc's bit fields, and back */
static u32 ckpt_tls_flags(const struct user_desc *d)
{
	return (d->seg_32bit ? CKPT_TLS_SEG_32BIT : 0) |
	       d->contents << CKPT_TLS_CONTENTS_SHIFT |
	       (d->read_exec_only ? CKPT_TLS_READ_EXEC_ONLY : 0) |
	       (d->limit_in_pages ? CKPT_TLS_LIMIT_IN_PAGES : 0) |
	       (d->seg_not_present ? CKPT_TLS_NOT_PRESENT : 0) |
	       (d->useable ? CKPT_TLS_USEABLE : 0) |
	       (d->lm ? CKPT_TLS_LM : 0);
}

static void ckpt_tls_to_user_desc(struct user_desc *d,
				  const struct ckpt_tls_desc *in)
{
	memset(d, 0, sizeof(*d));
	d->entry_number = in->entry_number;
	d->base_addr = in->base_addr;
	d->limit = in->limit;
	d->seg_32bit = !!(in->flags & CKPT_TLS_SEG_32BIT);
	d->contents = (in->flags & CKPT_TLS_CONTENTS_MASK) >>
		      CKPT_TLS_CONTENTS_SHIFT;
	d->read_exec_only = !!(in->flags & CKPT_TLS_READ_EXEC_ONLY);
	d->limit_in_pages = !!(in->flags & CKPT_TLS_LIMIT_IN_PAGES);
	d->seg_not_present = !!(in->flags & CKPT_TLS_NOT_PRESENT);
	d->useable = !!(in->flags & CKPT_TLS_USEABLE);
	d->lm = !!(in->flags & CKPT_TLS_LM);
}

static int ckpt_get_tls(struct task_struct *t, struct user_desc *desc)
{
#ifdef CONFIG_IA32_EMULATION
	struct membuf to = {
		.p = desc,
		.left = GDT_ENTRY_TLS_ENTRIES * sizeof(*desc),
	};

	return regset_tls_get(t, NULL, to);
#else
	unsigned int i;

	/* All unused, as get_thread_area(2) would read them */
	for (i = 0; i < GDT_ENTRY_TLS_ENTRIES; i++) {
		memset(&desc[i], 0, sizeof(desc[i]));
		desc[i].entry_number = GDT_ENTRY_TLS_MIN + i;
		desc[i].read_exec_only = 1;
		desc[i].seg_not_present = 1;
	}
	return 0;
#endif
}

static int ckpt_write_tls(struct ckpt_ctx *ctx, struct task_struct *t)
{
	struct user_desc desc[GDT_ENTRY_TLS_ENTRIES];
	struct ckpt_hdr_cpu_tls rec = { };
	unsigned int i;
	int ret;

	BUILD_BUG_ON(GDT_ENTRY_TLS_ENTRIES != CKPT_TLS_ENTRIES);
	BUILD_BUG_ON(GDT_ENTRY_TLS_MIN != CKPT_TLS_FIRST_ENTRY);
	ret = ckpt_get_tls(t, desc);
	if (ret < 0)
		return ret;
	for (i = 0; i < CKPT_TLS_ENTRIES; i++) {
		rec.desc[i].entry_number = desc[i].entry_number;
		rec.desc[i].base_addr = desc[i].base_addr;
		rec.desc[i].limit = desc[i].limit;
		rec.desc[i].flags = ckpt_tls_flags(&desc[i]);
	}
	return ckpt_write_record(ctx, CKPT_HDR_CPU_TLS, &rec, sizeof(rec));
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
	if (!ret)
		ret = ckpt_write_tls(ctx, t);
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
	ctx->cur->ax = regs->ax;
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
	ctx->expect = CKPT_HDR_CPU_TLS;
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

/*
 * What set_thread_area(2) accepts (tls_desc_okay()): no segment at all,
 * as an empty or an all-zero descriptor, or a present 32-bit data
 * segment.  The regset checks it again as it sets it.
 */
static bool ckpt_tls_ok(const struct user_desc *d)
{
	if (LDT_empty(d) || LDT_zero(d))
		return true;
	return d->seg_32bit && d->contents <= 1 && !d->seg_not_present;
}

int ckpt_arch_read_tls(struct ckpt_ctx *ctx, const struct ckpt_hdr *h)
{
	struct user_desc desc[CKPT_TLS_ENTRIES];
	struct ckpt_hdr_cpu_tls rec;
	unsigned int i;
	int ret;

	ret = ckpt_read_payload(ctx, h, &rec, sizeof(rec));
	if (ret)
		return ret;
	for (i = 0; i < CKPT_TLS_ENTRIES; i++) {
		const struct ckpt_tls_desc *d = &rec.desc[i];

		ckpt_tls_to_user_desc(&desc[i], d);
		if (d->entry_number != CKPT_TLS_FIRST_ENTRY + i ||
		    (d->flags & ~CKPT_TLS_FLAGS_ALL) || !ckpt_tls_ok(&desc[i])) {
			ckpt_log(ctx, "TLS descriptor %u (GDT entry %u, flags 0x%x): not one set_thread_area() makes",
				 i, d->entry_number, d->flags);
			return -EBADMSG;
		}
	}
	ctx->expect = ctx->in_restart_block ? CKPT_HDR_RESTART_BLOCK :
					      CKPT_HDR_TASK_ATTRS;
#ifdef CONFIG_IA32_EMULATION
	if (!ctx->restoring)
		return 0;
	/* As PTRACE_SET_THREAD_AREA would: loaded when the task next runs */
	ret = regset_tls_set(ctx->child, NULL, 0, sizeof(desc), desc, NULL);
	if (ret) {
		ckpt_log(ctx, "TLS descriptors: refused (error %d)", ret);
		return -EBADMSG;
	}
#else
	/* The child's are unused, as every task's in this kernel */
	for (i = 0; i < CKPT_TLS_ENTRIES; i++) {
		if (!LDT_empty(&desc[i]) && !LDT_zero(&desc[i])) {
			ckpt_log(ctx, "TLS descriptor %u in use: this kernel has no set_thread_area() (CONFIG_IA32_EMULATION)",
				 i);
			return -EOPNOTSUPP;
		}
	}
#endif
	return 0;
}
