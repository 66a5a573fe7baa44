// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart: attributes a task sets on itself (scheduling, prctl
 * state, the pointers the kernel uses at exit or on return to user mode),
 * and the restart block of a system call it was frozen in.
 *
 * A restart block holds absolute times of a clock; the image holds the
 * time that was left instead, so that a sleep goes on for what was left of
 * it when the task is restarted, wherever and whenever that is.
 */
#include <linux/checkpoint.h>
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/file.h>
#include <linux/futex.h>
#include <linux/hrtimer.h>
#include <linux/poll.h>
#include <linux/rseq.h>
#include <linux/sched.h>
#include <linux/sched/coredump.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/vmalloc.h>
#include <uapi/linux/futex.h>
#include <uapi/linux/sched/types.h>
/* The futex code's own flags (FLAGS_SHARED...), which restart blocks hold */
#include "../futex/futex.h"

/* The futex flags a restart block of a FUTEX_WAIT can have */
#define CKPT_FUTEX_KERNEL_FLAGS	(FLAGS_SIZE_32 | FLAGS_SHARED | \
				 FLAGS_CLOCKRT | FLAGS_HAS_TIMEOUT)

/* The sizes rseq(2) and set_robust_list(2) accept */
#define CKPT_RSEQ_MIN_LEN	32

int ckpt_write_attrs(struct ckpt_ctx *ctx, struct task_struct *t)
{
	struct ckpt_hdr_task_attrs rec = { };
	struct mm_struct *mm;

	if (task_no_new_privs(t))
		rec.flags |= CKPT_ATTR_NO_NEW_PRIVS;
	if (t->signal->is_child_subreaper)
		rec.flags |= CKPT_ATTR_CHILD_SUBREAPER;
	rec.nice = task_nice(t);
	rec.policy = t->policy;
	rec.rt_priority = t->rt_priority;
	mm = get_task_mm(t);
	if (mm) {
		rec.dumpable = get_dumpable(mm);
		mmput(mm);
	}
	rec.pdeath_signal = t->pdeath_signal;
	rec.clear_child_tid = (unsigned long)t->clear_child_tid;
#ifdef CONFIG_FUTEX
	rec.robust_list = (unsigned long)t->robust_list;
	if (t->robust_list)
		rec.robust_list_len = sizeof(*t->robust_list);
#endif
#ifdef CONFIG_RSEQ
	rec.rseq = (unsigned long)t->rseq;
	rec.rseq_len = t->rseq_len;
	rec.rseq_sig = t->rseq_sig;
#endif
	/* Pointers the task gave the kernel: restart takes user ones only */
	if (rec.clear_child_tid >= TASK_SIZE_MAX ||
	    rec.robust_list >= TASK_SIZE_MAX || rec.rseq >= TASK_SIZE_MAX) {
		ckpt_log(ctx, "task %d: set_tid_address, robust list or rseq outside user space",
			 task_pid_vnr(t));
		return -EOPNOTSUPP;
	}
	if (t->policy != SCHED_NORMAL && t->policy != SCHED_BATCH &&
	    t->policy != SCHED_IDLE && t->policy != SCHED_FIFO &&
	    t->policy != SCHED_RR) {
		ckpt_log(ctx, "task %d: scheduling policy %u is not supported",
			 task_pid_vnr(t), t->policy);
		return -EOPNOTSUPP;
	}
	return ckpt_write_record(ctx, CKPT_HDR_TASK_ATTRS, &rec, sizeof(rec));
}

/* The clocks of the sleeps a restart block can hold */
static bool ckpt_clock_ok(clockid_t clock)
{
	return clock == CLOCK_MONOTONIC || clock == CLOCK_BOOTTIME ||
	       clock == CLOCK_REALTIME || clock == CLOCK_TAI;
}

static s64 ckpt_clock_now(clockid_t clock)
{
	switch (clock) {
	case CLOCK_BOOTTIME:
		return ktime_get_boottime();
	case CLOCK_REALTIME:
		return ktime_get_real();
	case CLOCK_TAI:
		return ktime_get_clocktai();
	default:
		return ktime_get();
	}
}

/*
 * ckpt_write_restart_block - the restart block of @t, whose registers say
 * it was interrupted with -ERESTART_RESTARTBLOCK.  Only the kinds below
 * can be restored; anything else is refused here, not at restart.
 */
int ckpt_write_restart_block(struct ckpt_ctx *ctx, struct task_struct *t)
{
	struct restart_block *rb = &t->restart_block;
	struct ckpt_hdr_restart_block rec = { };
	s64 left;

	if (rb->fn == do_no_restart_syscall) {
		rec.kind = CKPT_RESTART_NONE;
	} else if (rb->fn == hrtimer_nanosleep_restart &&
		   ckpt_clock_ok(rb->nanosleep.clockid) &&
		   rb->nanosleep.type != TT_COMPAT) {
		rec.kind = CKPT_RESTART_NANOSLEEP;
		rec.clockid = rb->nanosleep.clockid;
		rec.type = rb->nanosleep.type == TT_NATIVE ? 1 : 0;
		rec.addr = (unsigned long)rb->nanosleep.rmtp;
		left = rb->nanosleep.expires -
		       ckpt_clock_now(rb->nanosleep.clockid);
		rec.time = max_t(s64, left, 0);
	} else if (rb->fn == do_restart_poll) {
		rec.kind = CKPT_RESTART_POLL;
		rec.addr = (unsigned long)rb->poll.ufds;
		rec.val = rb->poll.nfds;
		if (rb->poll.has_timeout) {
			struct timespec64 end = {
				.tv_sec = rb->poll.tv_sec,
				.tv_nsec = rb->poll.tv_nsec,
			};

			rec.flags = CKPT_RESTART_HAS_TIMEOUT;
			left = timespec64_to_ns(&end) - ktime_get();
			rec.time = max_t(s64, left, 0);
		}
	} else if (rb->fn == futex_wait_restart && !rb->futex.uaddr2 &&
		   (rb->futex.flags & FLAGS_SIZE_MASK) == FLAGS_SIZE_32 &&
		   !(rb->futex.flags & ~CKPT_FUTEX_KERNEL_FLAGS)) {
		rec.kind = CKPT_RESTART_FUTEX;
		rec.addr = (unsigned long)rb->futex.uaddr;
		rec.val = rb->futex.val;
		rec.bitset = rb->futex.bitset;
		if (rb->futex.flags & FLAGS_SHARED)
			rec.futex_flags |= CKPT_FUTEX_SHARED;
		if (rb->futex.flags & FLAGS_CLOCKRT) {
			/* An absolute time of the wall clock stays one. */
			rec.futex_flags |= CKPT_FUTEX_CLOCKRT;
			rec.flags = CKPT_RESTART_ABSOLUTE;
			rec.time = rb->futex.time;
		} else {
			left = rb->futex.time - ktime_get();
			rec.time = max_t(s64, left, 0);
		}
	} else {
		ckpt_log(ctx, "task %d (%s): frozen in a system call (%ps) whose restart is not supported yet",
			 task_pid_vnr(t), t->comm, rb->fn);
		return -EOPNOTSUPP;
	}
	return ckpt_write_record(ctx, CKPT_HDR_RESTART_BLOCK, &rec, sizeof(rec));
}

int ckpt_read_restart_block(struct ckpt_ctx *ctx, const struct ckpt_hdr *h)
{
	struct ckpt_rst_task *rst = ctx->rst;
	struct ckpt_hdr_restart_block *rec = &rst->restart_block;
	bool bad;
	int ret;

	ret = ckpt_read_payload(ctx, h, rec, sizeof(*rec));
	if (ret)
		return ret;
	switch (rec->kind) {
	case CKPT_RESTART_NONE:
		bad = rec->flags || rec->time || rec->addr || rec->clockid ||
		      rec->type || rec->val;
		break;
	case CKPT_RESTART_NANOSLEEP:
		bad = rec->flags || rec->time < 0 || rec->type > 1 ||
		      !ckpt_clock_ok(rec->clockid) ||
		      rec->addr >= TASK_SIZE_MAX || rec->val;
		break;
	case CKPT_RESTART_POLL:
		bad = (rec->flags & ~CKPT_RESTART_HAS_TIMEOUT) ||
		      rec->time < 0 || rec->addr >= TASK_SIZE_MAX ||
		      rec->val > INT_MAX || rec->clockid || rec->type ||
		      (!(rec->flags & CKPT_RESTART_HAS_TIMEOUT) && rec->time);
		break;
	case CKPT_RESTART_FUTEX:
		bad = rec->time < 0 || rec->addr >= TASK_SIZE_MAX ||
		      !IS_ALIGNED(rec->addr, sizeof(u32)) || !rec->bitset ||
		      rec->clockid || rec->type ||
		      (rec->futex_flags & ~(CKPT_FUTEX_SHARED |
					    CKPT_FUTEX_CLOCKRT)) ||
		      rec->flags != (rec->futex_flags & CKPT_FUTEX_CLOCKRT ?
				     CKPT_RESTART_ABSOLUTE : 0);
		break;
	default:
		bad = true;
	}
	if (bad || rec->reserved ||
	    (rec->kind != CKPT_RESTART_FUTEX &&
	     (rec->futex_flags || rec->bitset))) {
		ckpt_log(ctx, "task %d: bad restart block (kind %u)",
			 ctx->task_pid, rec->kind);
		return -EBADMSG;
	}
	rst->has_restart_block = true;
	ctx->expect = CKPT_HDR_TASK_ATTRS;
	return 0;
}

/* In the restored task: what restart_syscall(2) will do. */
static void ckpt_restore_restart_block(struct ckpt_rst_task *rst)
{
	const struct ckpt_hdr_restart_block *rec = &rst->restart_block;
	struct restart_block *rb = &current->restart_block;
	struct timespec64 end;

	switch (rec->kind) {
	case CKPT_RESTART_NANOSLEEP:
		rb->nanosleep.clockid = rec->clockid;
		rb->nanosleep.type = rec->type ? TT_NATIVE : TT_NONE;
		rb->nanosleep.rmtp = u64_to_user_ptr(rec->addr);
		rb->nanosleep.expires = ktime_add_safe(ckpt_clock_now(rec->clockid),
						       rec->time);
		set_restart_fn(rb, hrtimer_nanosleep_restart);
		break;
	case CKPT_RESTART_POLL:
		rb->poll.ufds = u64_to_user_ptr(rec->addr);
		rb->poll.nfds = rec->val;
		rb->poll.has_timeout = !!(rec->flags & CKPT_RESTART_HAS_TIMEOUT);
		if (rb->poll.has_timeout) {
			end = ns_to_timespec64(ktime_add_safe(ktime_get(),
							      rec->time));
			rb->poll.tv_sec = end.tv_sec;
			rb->poll.tv_nsec = end.tv_nsec;
		}
		set_restart_fn(rb, do_restart_poll);
		break;
	case CKPT_RESTART_FUTEX:
		rb->futex.uaddr = u64_to_user_ptr(rec->addr);
		rb->futex.val = rec->val;
		rb->futex.bitset = rec->bitset;
		rb->futex.uaddr2 = NULL;
		rb->futex.flags = FLAGS_SIZE_32 | FLAGS_HAS_TIMEOUT |
			(rec->futex_flags & CKPT_FUTEX_SHARED ? FLAGS_SHARED : 0) |
			(rec->futex_flags & CKPT_FUTEX_CLOCKRT ? FLAGS_CLOCKRT : 0);
		rb->futex.time = rec->flags & CKPT_RESTART_ABSOLUTE ? rec->time :
				 ktime_add_safe(ktime_get(), rec->time);
		set_restart_fn(rb, futex_wait_restart);
		break;
	default:
		rb->fn = do_no_restart_syscall;
		break;
	}
}

int ckpt_read_attrs(struct ckpt_ctx *ctx, const struct ckpt_hdr *h)
{
	struct ckpt_rst_task *rst = ctx->rst;
	struct ckpt_hdr_task_attrs *rec = &rst->attrs;
	bool rt;
	int ret;

	ret = ckpt_read_payload(ctx, h, rec, sizeof(*rec));
	if (ret)
		return ret;
	rt = rec->policy == SCHED_FIFO || rec->policy == SCHED_RR;
	if ((rec->flags & ~CKPT_ATTR_FLAGS_ALL) ||
	    rec->nice < MIN_NICE || rec->nice > MAX_NICE ||
	    (rec->policy != SCHED_NORMAL && rec->policy != SCHED_BATCH &&
	     rec->policy != SCHED_IDLE && !rt) ||
	    (rt ? rec->rt_priority < 1 || rec->rt_priority > MAX_RT_PRIO - 1 :
		  rec->rt_priority != 0) ||
	    rec->dumpable > SUID_DUMP_ROOT ||
	    rec->pdeath_signal < 0 || rec->pdeath_signal > CKPT_NSIG ||
	    rec->clear_child_tid >= TASK_SIZE_MAX ||
	    rec->robust_list >= TASK_SIZE_MAX ||
	    (rec->robust_list && rec->robust_list_len !=
	     sizeof(struct robust_list_head)) ||
	    (!rec->robust_list && rec->robust_list_len) ||
	    rec->rseq >= TASK_SIZE_MAX ||
	    (rec->rseq && (rec->rseq_len < CKPT_RSEQ_MIN_LEN ||
			   !IS_ALIGNED(rec->rseq, CKPT_RSEQ_MIN_LEN))) ||
	    (!rec->rseq && (rec->rseq_len || rec->rseq_sig))) {
		ckpt_log(ctx, "task %d: bad attributes (scheduling, prctl state or pointers)",
			 ctx->task_pid);
		return -EBADMSG;
	}
	/*
	 * What sched_setscheduler(2) and setpriority(2) would allow: a
	 * real-time priority within RLIMIT_RTPRIO or CAP_SYS_NICE, a nice
	 * value below the caller's within RLIMIT_NICE or CAP_SYS_NICE.
	 */
	if ((rt && rec->rt_priority > task_rlimit(current, RLIMIT_RTPRIO) &&
	     !capable(CAP_SYS_NICE)) ||
	    (rec->nice < task_nice(current) && !can_nice(current, rec->nice))) {
		ckpt_log(ctx, "task %d: scheduling (policy %u, nice %d) that the caller could not set",
			 ctx->task_pid, rec->policy, rec->nice);
		return -EPERM;
	}
	/* no_new_privs is never cleared: one the caller has stays. */
	if (task_no_new_privs(current) &&
	    !(rec->flags & CKPT_ATTR_NO_NEW_PRIVS)) {
		ckpt_log(ctx, "task %d: the caller has no_new_privs, which the task had not",
			 ctx->task_pid);
		return -EPERM;
	}
	ctx->expect = CKPT_HDR_CRED;
	return 0;
}

/* In the restored task, before its credentials change: scheduling. */
int ckpt_restore_attrs(struct ckpt_ctx *ctx, struct ckpt_rst_task *rst)
{
	const struct ckpt_hdr_task_attrs *rec = &rst->attrs;
	struct sched_attr attr = {
		.size = sizeof(attr),
		.sched_policy = rec->policy,
		.sched_nice = rec->nice,
		.sched_priority = rec->rt_priority,
	};
	struct task_struct *me = current;
	int ret;

	ret = sched_setattr_nocheck(me, &attr);
	if (ret) {
		ckpt_log(ctx, "cannot set scheduling policy %u (error %d)",
			 rec->policy, ret);
		return ret;
	}
	if (rec->flags & CKPT_ATTR_CHILD_SUBREAPER)
		me->signal->is_child_subreaper = 1;
	me->clear_child_tid = u64_to_user_ptr(rec->clear_child_tid);
#ifdef CONFIG_FUTEX
	me->robust_list = u64_to_user_ptr(rec->robust_list);
#endif
#ifdef CONFIG_RSEQ
	me->rseq = u64_to_user_ptr(rec->rseq);
	me->rseq_len = rec->rseq_len;
	me->rseq_sig = rec->rseq_sig;
	/* The kernel fills in the cpu ids on the way to user mode. */
	if (me->rseq)
		rseq_set_notify_resume(me);
#endif
	if (rst->has_restart_block)
		ckpt_restore_restart_block(rst);
	return 0;
}

/*
 * In the restored task, after its credentials: commit_creds() resets
 * dumpable and pdeath_signal when ids change, so these come last.
 */
void ckpt_restore_late_attrs(struct ckpt_rst_task *rst)
{
	const struct ckpt_hdr_task_attrs *rec = &rst->attrs;

	if (current->mm)
		set_dumpable(current->mm, rec->dumpable);
	current->pdeath_signal = rec->pdeath_signal;
	if (rec->flags & CKPT_ATTR_NO_NEW_PRIVS)
		task_set_no_new_privs(current);
}

void ckpt_rst_task_free(struct ckpt_rst_task *rst)
{
	unsigned int i;

	if (!rst)
		return;
	for (i = 0; i < rst->nr_fds; i++)
		if (rst->fds[i].file)
			fput(rst->fds[i].file);
	kvfree(rst->fds);
	if (rst->groups)
		put_group_info(rst->groups);
	path_put(&rst->root);
	path_put(&rst->pwd);
	kvfree(rst->pending);
	kvfree(rst->timers);
	kfree(rst);
}
