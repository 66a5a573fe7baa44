// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart: signals and what raises them.
 *
 * Three objects: the handlers (sighand_struct), what the threads of a
 * process share (signal_struct: interval timers, resource limits, POSIX
 * timers (posix_timers.c), pending signals of the process), and each
 * task's own blocked mask, alternate stack and pending signals.  The restored task sets them on itself with
 * the syscalls' own functions (do_sigaction(), do_setitimer(),
 * do_prlimit()), so that the rules of those syscalls hold.
 *
 * Locking: a frozen task changes none of this itself, but other tasks may
 * still send it signals, so pending signals and handlers are read under
 * its sighand->siglock, which is a spinlock: they are copied out under it
 * and written to the image after.
 */
#include <linux/checkpoint.h>
#include <linux/hrtimer.h>
#include <linux/ktime.h>
#include <linux/resource.h>
#include <linux/sched.h>
#include <linux/sched/cputime.h>
#include <linux/sched/signal.h>
#include <linux/signal.h>
#include <linux/slab.h>
#include <linux/time.h>

static u64 ckpt_sigset(const sigset_t *set)
{
	return set->sig[0];
}

static void ckpt_write_sigaction(struct ckpt_sigaction *out,
				 const struct k_sigaction *ka)
{
	out->handler = (unsigned long)ka->sa.sa_handler;
	out->flags = ka->sa.sa_flags;
	out->restorer = (unsigned long)ka->sa.sa_restorer;
	out->mask = ckpt_sigset(&ka->sa.sa_mask);
}

static int ckpt_write_sighand(struct ckpt_ctx *ctx, struct task_struct *t)
{
	struct ckpt_hdr_sighand *rec;
	struct ckpt_sigaction *act;
	unsigned int i, nr = 0;
	size_t len;
	bool first;
	int ret;

	ret = ckpt_obj_lookup_add(ctx, t->sighand, CKPT_OBJ_SIGHAND, &first);
	if (ret < 0)
		return ret;
	if (first)
		nr = CKPT_NSIG;
	len = sizeof(*rec) + nr * sizeof(*act);
	rec = kzalloc(len, GFP_KERNEL);
	if (!rec)
		return -ENOMEM;
	rec->objref = ret;
	rec->nr = nr;
	act = (struct ckpt_sigaction *)(rec + 1);
	spin_lock_irq(&t->sighand->siglock);
	for (i = 0; i < nr; i++)
		ckpt_write_sigaction(&act[i], &t->sighand->action[i]);
	spin_unlock_irq(&t->sighand->siglock);
	/* sigaction(2) takes any value; restart takes user addresses only */
	for (i = 0; i < nr; i++) {
		if (act[i].handler >= TASK_SIZE_MAX ||
		    act[i].restorer >= TASK_SIZE_MAX) {
			ckpt_log(ctx, "task %d: the handler of signal %u is not a user address",
				 task_pid_vnr(t), i + 1);
			kfree(rec);
			return -EOPNOTSUPP;
		}
	}
	ret = ckpt_write_record(ctx, CKPT_HDR_SIGHAND, rec, len);
	kfree(rec);
	return ret;
}

/* An interval timer on process CPU time: left of it, and its interval. */
static void ckpt_cpu_itimer(struct ckpt_itimer *out,
			    const struct cpu_itimer *it, u64 now)
{
	u64 left = it->expires > now ? it->expires - now : 0;

	if (!it->expires)
		return;
	/*
	 * setitimer(2) arms a CPU itimer one tick late, so that it never
	 * fires early, and do_setitimer() will add that tick again: the
	 * image holds the time asked for.  At least 1 ns: an expired timer
	 * not handled yet fires at once.
	 */
	out->value = left > TICK_NSEC ? left - TICK_NSEC : 1;
	out->interval = it->incr;
}

static int ckpt_write_signal(struct ckpt_ctx *ctx, struct task_struct *t,
			     u32 nr_timers, u32 next_timer_id)
{
	struct signal_struct *sig = t->signal;
	struct ckpt_hdr_signal *rec;
	struct task_cputime times;
	struct rlimit rlim[RLIM_NLIMITS];
	unsigned int i;
	bool first;
	int ret;

	BUILD_BUG_ON(RLIM_NLIMITS != CKPT_NR_RLIMITS);
	ret = ckpt_obj_lookup_add(ctx, sig, CKPT_OBJ_SIGNAL, &first);
	if (ret < 0)
		return ret;
	rec = kzalloc(sizeof(*rec), GFP_KERNEL);
	if (!rec)
		return -ENOMEM;
	rec->objref = ret;
	rec->nr_posix_timers = nr_timers;
	rec->next_posix_timer_id = next_timer_id;

	/*
	 * CPU itimers count on the process's cputimer, which runs while
	 * one is armed: their time left is counted on it too, since the
	 * sum of its threads' times may be a tick off.
	 */
	if (READ_ONCE(sig->posix_cputimers.timers_active)) {
		u64 samples[CPUCLOCK_MAX];

		thread_group_sample_cputime(t, samples);
		times.utime = samples[CPUCLOCK_VIRT];
		times.stime = samples[CPUCLOCK_PROF] - samples[CPUCLOCK_VIRT];
	} else {
		thread_group_cputime(t, &times);
	}
	spin_lock_irq(&t->sighand->siglock);
	if (hrtimer_active(&sig->real_timer) || sig->it_real_incr) {
		ktime_t left = hrtimer_get_remaining(&sig->real_timer);
		ktime_t incr = sig->it_real_incr;

		/*
		 * A periodic timer that fired is re-armed only when its
		 * SIGALRM is taken (dequeue_signal()): until then, its next
		 * period is counted from the expiry that fired.
		 */
		if (left <= 0 && incr > 0)
			left = incr - ((-left) % incr);
		rec->itimer[CKPT_ITIMER_REAL].value = left > 0 ? left : 1;
		rec->itimer[CKPT_ITIMER_REAL].interval = incr;
	}
	ckpt_cpu_itimer(&rec->itimer[CKPT_ITIMER_VIRTUAL],
			&sig->it[CPUCLOCK_VIRT], times.utime);
	ckpt_cpu_itimer(&rec->itimer[CKPT_ITIMER_PROF],
			&sig->it[CPUCLOCK_PROF], times.utime + times.stime);
	spin_unlock_irq(&t->sighand->siglock);

	/* The limits are under the group leader's task lock (do_prlimit). */
	task_lock(t->group_leader);
	memcpy(rlim, sig->rlim, sizeof(rlim));
	task_unlock(t->group_leader);
	for (i = 0; i < RLIM_NLIMITS; i++) {
		rec->rlim[i].cur = rlim[i].rlim_cur;
		rec->rlim[i].max = rlim[i].rlim_max;
	}
	ret = ckpt_write_record(ctx, CKPT_HDR_SIGNAL, rec, sizeof(*rec));
	kfree(rec);
	return ret;
}

/* A pending signal, copied out under the siglock. */
struct ckpt_pending {
	kernel_siginfo_t info;
	u32 flags;
};

static unsigned int ckpt_count_pending(struct sigpending *p)
{
	struct sigqueue *q;
	unsigned int nr = 0;
	sigset_t queued;
	int sig;

	sigemptyset(&queued);
	list_for_each_entry(q, &p->list, list) {
		sigaddset(&queued, q->info.si_signo);
		nr++;
	}
	/* Signals pending with no siginfo queued (it could not be allocated) */
	for (sig = 1; sig <= CKPT_NSIG; sig++)
		if (sigismember(&p->signal, sig) && !sigismember(&queued, sig))
			nr++;
	return nr;
}

static unsigned int ckpt_copy_pending(struct sigpending *p,
				      struct ckpt_pending *out, u32 flags)
{
	struct sigqueue *q;
	unsigned int nr = 0;
	sigset_t queued;
	int sig;

	sigemptyset(&queued);
	list_for_each_entry(q, &p->list, list) {
		sigaddset(&queued, q->info.si_signo);
		out[nr].info = q->info;
		/* Preallocated sigqueues are those of POSIX timers */
		out[nr++].flags = flags | (q->flags & SIGQUEUE_PREALLOC ?
					   CKPT_SIGINFO_TIMER : 0);
	}
	for (sig = 1; sig <= CKPT_NSIG; sig++) {
		if (!sigismember(&p->signal, sig) || sigismember(&queued, sig))
			continue;
		/* What the kernel delivers for such a signal: SI_USER, no more */
		clear_siginfo(&out[nr].info);
		out[nr].info.si_signo = sig;
		out[nr].info.si_code = SI_USER;
		out[nr++].flags = flags;
	}
	return nr;
}

/* Whether @t runs with a system call's mask, its own in saved_sigmask */
static bool ckpt_restore_sigmask(struct task_struct *t)
{
#ifdef TIF_RESTORE_SIGMASK
	return test_tsk_thread_flag(t, TIF_RESTORE_SIGMASK);
#else
	return t->restore_sigmask;
#endif
}

static int ckpt_write_task_signal(struct ckpt_ctx *ctx, struct task_struct *t,
				  bool shared)
{
	struct ckpt_hdr_task_signal rec = { };
	struct ckpt_hdr_siginfo *si;
	struct ckpt_pending *pend;
	unsigned int nr, i;
	int ret = 0;

	spin_lock_irq(&t->sighand->siglock);
	nr = ckpt_count_pending(&t->pending);
	if (shared)
		nr += ckpt_count_pending(&t->signal->shared_pending);
	spin_unlock_irq(&t->sighand->siglock);
	if (nr > CKPT_PENDING_MAX) {
		ckpt_log(ctx, "task %d: %u pending signals, more than an image holds",
			 task_pid_vnr(t), nr);
		return -EOPNOTSUPP;
	}
	pend = kvcalloc(nr + 1, sizeof(*pend), GFP_KERNEL);
	si = kzalloc(sizeof(*si), GFP_KERNEL);
	if (!pend || !si) {
		ret = -ENOMEM;
		goto out;
	}
	spin_lock_irq(&t->sighand->siglock);
	if (nr == ckpt_count_pending(&t->pending) +
		  (shared ? ckpt_count_pending(&t->signal->shared_pending) : 0)) {
		i = ckpt_copy_pending(&t->pending, pend, 0);
		if (shared)
			ckpt_copy_pending(&t->signal->shared_pending, pend + i,
					  CKPT_SIGINFO_SHARED);
	} else {
		ret = -EAGAIN;
	}
	/*
	 * A task frozen in sigsuspend(2), ppoll(2), pselect6(2) or
	 * epoll_pwait(2) runs with that call's mask, and its own waits in
	 * saved_sigmask: the call, restarted, sets its mask again.
	 */
	if (ckpt_restore_sigmask(t))
		rec.blocked = ckpt_sigset(&t->saved_sigmask);
	else
		rec.blocked = ckpt_sigset(&t->blocked);
	spin_unlock_irq(&t->sighand->siglock);
	if (ret) {
		ckpt_log(ctx, "task %d: signals keep coming", task_pid_vnr(t));
		ret = -EBUSY;
		goto out;
	}
	if (t->sas_ss_size && (t->sas_ss_sp >= TASK_SIZE_MAX ||
			       t->sas_ss_size >= TASK_SIZE_MAX)) {
		ckpt_log(ctx, "task %d: an alternate signal stack outside user space",
			 task_pid_vnr(t));
		ret = -EOPNOTSUPP;
		goto out;
	}
	if (t->sas_ss_size) {
		rec.altstack_sp = t->sas_ss_sp;
		rec.altstack_size = t->sas_ss_size;
		rec.altstack_flags = t->sas_ss_flags & SS_AUTODISARM;
	}
	rec.nr_pending = nr;
	ret = ckpt_write_record(ctx, CKPT_HDR_TASK_SIGNAL, &rec, sizeof(rec));
	for (i = 0; i < nr && !ret; i++) {
		memset(si, 0, sizeof(*si));
		si->signo = pend[i].info.si_signo;
		si->flags = pend[i].flags;
		copy_siginfo_to_external((siginfo_t *)si->info, &pend[i].info);
		/* The kernel's own, which user space never sees */
		if (pend[i].info.si_code == SI_TIMER)
			((siginfo_t *)si->info)->si_sys_private = 0;
		ret = ckpt_write_record(ctx, CKPT_HDR_SIGINFO, si, sizeof(*si));
	}
out:
	kfree(si);
	kvfree(pend);
	return ret;
}

/*
 * ckpt_write_signals - the signal state of @t, after its fs: handlers, its
 * process's share with its POSIX timers, then its own.  The timers and the
 * pending signals of the process go with its first task (the one that
 * writes the signal_struct).  Timers run on while the process is frozen:
 * they are read before the pending signals, so that a timer that fires in
 * between is seen armed and with its signal pending (its restored signal
 * counts one overrun more), never disarmed with no signal.
 */
int ckpt_write_signals(struct ckpt_ctx *ctx, struct task_struct *t)
{
	bool shared = !ckpt_obj_find(ctx, t->signal, CKPT_OBJ_SIGNAL);
	struct ckpt_hdr_posix_timer *timers = NULL;
	u32 nr_timers = 0, next_timer_id = 0;
	int ret;

	ret = ckpt_write_sighand(ctx, t);
	if (!ret && shared)
		ret = ckpt_collect_posix_timers(ctx, t, &timers, &nr_timers,
						&next_timer_id);
	if (!ret)
		ret = ckpt_write_signal(ctx, t, nr_timers, next_timer_id);
	if (!ret)
		ret = ckpt_write_posix_timers(ctx, timers, nr_timers);
	if (!ret)
		ret = ckpt_write_task_signal(ctx, t, shared);
	kvfree(timers);
	return ret;
}

/* Restart: signal @sig (1 to 64) as a sigset */
static void ckpt_to_sigset(sigset_t *set, u64 bits)
{
	sigemptyset(set);
	set->sig[0] = bits;
	sigdelsetmask(set, sigmask(SIGKILL) | sigmask(SIGSTOP));
}

int ckpt_read_sighand(struct ckpt_ctx *ctx, const struct ckpt_hdr *h)
{
	struct ckpt_rst_task *rst = ctx->rst;
	struct ckpt_hdr_sighand rec;
	struct ckpt_sigaction act;
	unsigned int i;
	int ret;

	ret = ckpt_read_begin(ctx, h, &rec, sizeof(rec),
			      sizeof(rec) + CKPT_NSIG * sizeof(act));
	if (ret)
		return ret;
	if (ckpt_obj_known(ctx, rec.objref, CKPT_OBJ_SIGHAND)) {
		/* A thread's: its leader's, written with the leader. */
		if (rec.nr) {
			ckpt_log(ctx, "signal handlers %u: written twice",
				 rec.objref);
			return -EBADMSG;
		}
		if (!rst->thread || ckpt_leader(ctx)->sighand_objref != rec.objref) {
			ckpt_log(ctx, "signal handlers %u: shared between processes (CLONE_SIGHAND without CLONE_THREAD): not supported",
				 rec.objref);
			return -EOPNOTSUPP;
		}
		ctx->cur->sighand_objref = rec.objref;
		ctx->expect = CKPT_HDR_SIGNAL;
		return ckpt_read_end(ctx, h);
	}
	if (rst->thread) {
		ckpt_log(ctx, "task %d: a thread with signal handlers of its own",
			 ctx->task_pid);
		return -EBADMSG;
	}
	ctx->cur->sighand_objref = rec.objref;
	if (rec.nr != CKPT_NSIG || h->len < sizeof(rec) + rec.nr * sizeof(act)) {
		ckpt_log(ctx, "signal handlers %u: %u of them, not %u",
			 rec.objref, rec.nr, CKPT_NSIG);
		return -EBADMSG;
	}
	ret = ckpt_obj_declare(ctx, rec.objref, CKPT_OBJ_SIGHAND);
	if (ret)
		return ret;
	for (i = 0; i < CKPT_NSIG; i++) {
		struct k_sigaction *ka = &rst->action[i];

		ret = ckpt_read_more(ctx, &act, sizeof(act));
		if (ret)
			return ret;
		if ((i + 1 == SIGKILL || i + 1 == SIGSTOP) && act.handler) {
			ckpt_log(ctx, "signal %u: a handler for SIGKILL or SIGSTOP",
				 i + 1);
			return -EBADMSG;
		}
		if (act.handler >= TASK_SIZE_MAX || act.restorer >= TASK_SIZE_MAX ||
		    act.flags > UINT_MAX) {
			ckpt_log(ctx, "signal %u: bad handler", i + 1);
			return -EBADMSG;
		}
		ka->sa.sa_handler = (__sighandler_t)(unsigned long)act.handler;
		ka->sa.sa_flags = act.flags;
		ka->sa.sa_restorer = (__sigrestore_t)(unsigned long)act.restorer;
		ckpt_to_sigset(&ka->sa.sa_mask, act.mask);
	}
	ctx->expect = CKPT_HDR_SIGNAL;
	return ckpt_read_end(ctx, h);
}

static bool ckpt_itimer_ok(const struct ckpt_itimer *it)
{
	return it->value <= KTIME_MAX && it->interval <= KTIME_MAX;
}

int ckpt_read_signal(struct ckpt_ctx *ctx, const struct ckpt_hdr *h)
{
	struct ckpt_rst_task *rst = ctx->rst;
	struct ckpt_hdr_signal *rec = &rst->signal;
	unsigned int i;
	int ret;

	ret = ckpt_read_payload(ctx, h, rec, sizeof(*rec));
	if (ret)
		return ret;
	/*
	 * A thread's is its process's, written again with no timers (its
	 * first task has them): only the objref counts.
	 */
	if (rst->thread != ckpt_obj_known(ctx, rec->objref, CKPT_OBJ_SIGNAL) ||
	    (rst->thread && (ckpt_leader(ctx)->signal_objref != rec->objref ||
			     rec->nr_posix_timers))) {
		ckpt_log(ctx, "task %d: signal state %u not its process's",
			 ctx->task_pid, rec->objref);
		return -EBADMSG;
	}
	if (!rst->thread) {
		ret = ckpt_obj_declare(ctx, rec->objref, CKPT_OBJ_SIGNAL);
		if (ret)
			return ret;
	}
	ctx->cur->signal_objref = rec->objref;
	for (i = 0; i < CKPT_NR_ITIMERS; i++) {
		if (!ckpt_itimer_ok(&rec->itimer[i])) {
			ckpt_log(ctx, "interval timer %u: bad time", i);
			return -EBADMSG;
		}
	}
	for (i = 0; i < CKPT_NR_RLIMITS; i++) {
		if (rec->rlim[i].cur > rec->rlim[i].max) {
			ckpt_log(ctx, "resource limit %u: soft limit above hard limit",
				 i);
			return -EBADMSG;
		}
	}
	if (rec->reserved || rec->nr_posix_timers > CKPT_POSIX_TIMERS_MAX ||
	    rec->next_posix_timer_id > INT_MAX) {
		ckpt_log(ctx, "signal state %u: bad POSIX timer count or next id, or reserved field",
			 rec->objref);
		return -EBADMSG;
	}
	if (rec->nr_posix_timers) {
		rst->timers = kvcalloc(rec->nr_posix_timers,
				       sizeof(*rst->timers), GFP_KERNEL);
		if (!rst->timers)
			return -ENOMEM;
	}
	ctx->expect = rec->nr_posix_timers ? CKPT_HDR_POSIX_TIMER :
					     CKPT_HDR_TASK_SIGNAL;
	return 0;
}

int ckpt_read_task_signal(struct ckpt_ctx *ctx, const struct ckpt_hdr *h)
{
	struct ckpt_rst_task *rst = ctx->rst;
	struct ckpt_hdr_task_signal *rec = &rst->task_signal;
	int ret;

	ret = ckpt_read_payload(ctx, h, rec, sizeof(*rec));
	if (ret)
		return ret;
	if (rec->nr_pending > CKPT_PENDING_MAX ||
	    (rec->altstack_flags & ~SS_AUTODISARM) ||
	    (rec->altstack_size && (rec->altstack_size < MINSIGSTKSZ ||
				    rec->altstack_sp >= TASK_SIZE_MAX ||
				    rec->altstack_size >= TASK_SIZE_MAX)) ||
	    (!rec->altstack_size && (rec->altstack_sp || rec->altstack_flags))) {
		ckpt_log(ctx, "task %d: bad pending signal count or alternate stack",
			 ctx->task_pid);
		return -EBADMSG;
	}
	if (rec->nr_pending) {
		rst->pending = kvcalloc(rec->nr_pending, sizeof(*rst->pending),
					GFP_KERNEL);
		if (!rst->pending)
			return -ENOMEM;
	}
	ctx->expect = rec->nr_pending ? CKPT_HDR_SIGINFO : 0;
	return 0;
}

int ckpt_read_siginfo(struct ckpt_ctx *ctx, const struct ckpt_hdr *h)
{
	struct ckpt_rst_task *rst = ctx->rst;
	struct ckpt_rst_siginfo *p = &rst->pending[rst->nr_pending];
	struct ckpt_hdr_siginfo *rec;
	int ret;

	rec = kmalloc(sizeof(*rec), GFP_KERNEL);
	if (!rec)
		return -ENOMEM;
	ret = ckpt_read_payload(ctx, h, rec, sizeof(*rec));
	if (ret)
		goto out;
	memcpy(&p->info, rec->info, sizeof(p->info));
	if (rec->signo < 1 || rec->signo > CKPT_NSIG ||
	    p->info.si_signo != rec->signo || rec->signo == SIGKILL ||
	    (rec->flags & ~CKPT_SIGINFO_FLAGS_ALL)) {
		ckpt_log(ctx, "pending signal %u: bad number or flags",
			 rec->signo);
		ret = -EBADMSG;
		goto out;
	}
	p->shared = rec->flags & CKPT_SIGINFO_SHARED;
	p->timer = rec->flags & CKPT_SIGINFO_TIMER;
	/*
	 * Only the kernel's own timer signals re-arm a timer when taken, and
	 * only their timer knows how (ckpt_queue_timer_signal()).
	 */
	if (p->info.si_code == SI_TIMER)
		p->info.si_sys_private = 0;
	if (p->timer) {
		struct ckpt_rst_timer *rt;

		/* A thread's (SIGEV_THREAD_ID): its process's timer. */
		rt = ckpt_rst_find_timer(rst->process, p->info.si_tid);
		if (p->info.si_code != SI_TIMER || !rt || rt->queued ||
		    rt->rec.notify == SIGEV_NONE ||
		    rt->rec.signo != rec->signo ||
		    p->shared == !!(rt->rec.notify & SIGEV_THREAD_ID) ||
		    (rst->thread && rt->rec.notify_tid != ctx->task_pid)) {
			ckpt_log(ctx, "pending signal %u: not that of a POSIX timer %d of the process, or twice",
				 rec->signo, p->info.si_tid);
			ret = -EBADMSG;
			goto out;
		}
		rt->queued = true;
	}
	if (++rst->nr_pending == rst->task_signal.nr_pending)
		ctx->expect = 0;
out:
	kfree(rec);
	return ret;
}

/* Restart: the thread group leader of the task being read. */
struct ckpt_new_task *ckpt_leader(struct ckpt_ctx *ctx)
{
	return ckpt_new_task_find(ctx, ctx->cur->rec.tgid);
}

/*
 * In the restored task, before it sets its state: forget what came on
 * the way (the SIGCHLD of a child restored as a zombie, say).  Its
 * process's shared pending signals are its first task's to flush.
 */
void ckpt_flush_pending(bool thread)
{
	struct task_struct *me = current;

	spin_lock_irq(&me->sighand->siglock);
	flush_sigqueue(&me->pending);
	if (!thread)
		flush_sigqueue(&me->signal->shared_pending);
	recalc_sigpending();
	spin_unlock_irq(&me->sighand->siglock);
}

/*
 * In the restored task: its resource limits, before its fds (which
 * RLIMIT_NOFILE bounds).  Under the caller's credentials still, so that
 * do_prlimit() refuses a hard limit the caller could not raise.
 */
int ckpt_restore_limits(struct ckpt_ctx *ctx, struct ckpt_rst_task *rst)
{
	unsigned int i;
	int ret;

	for (i = 0; i < CKPT_NR_RLIMITS; i++) {
		struct rlimit r = {
			.rlim_cur = rst->signal.rlim[i].cur,
			.rlim_max = rst->signal.rlim[i].max,
		};

		ret = do_prlimit(current, i, &r, NULL);
		if (ret) {
			ckpt_log(ctx, "resource limit %u: cannot set it to %llu/%llu (error %d)",
				 i, rst->signal.rlim[i].cur,
				 rst->signal.rlim[i].max, ret);
			return ret;
		}
	}
	return 0;
}

static void ckpt_ns_to_timespec(struct timespec64 *ts, u64 ns)
{
	*ts = ns_to_timespec64(ns);
}

/*
 * In the restored task: handlers, mask, stack, itimers, then its POSIX
 * timers, created, its pending signals queued (a timer's with the timer's
 * own sigqueue, in their order), and the timers armed.
 */
int ckpt_restore_signals(struct ckpt_ctx *ctx, struct ckpt_rst_task *rst)
{
	struct task_struct *me = current;
	unsigned int i;
	sigset_t set;
	int ret;

	/* A thread has its own mask, stack and pending signals only. */
	if (rst->thread)
		goto own;
	for (i = 0; i < CKPT_NSIG; i++) {
		if (i + 1 == SIGKILL || i + 1 == SIGSTOP)
			continue;
		ret = do_sigaction(i + 1, &rst->action[i], NULL);
		if (ret) {
			ckpt_log(ctx, "signal %u: cannot set its handler (error %d)",
				 i + 1, ret);
			return ret;
		}
	}
	for (i = 0; i < CKPT_NR_ITIMERS; i++) {
		struct itimerspec64 it;

		if (!rst->signal.itimer[i].value)
			continue;
		ckpt_ns_to_timespec(&it.it_value, rst->signal.itimer[i].value);
		ckpt_ns_to_timespec(&it.it_interval,
				    rst->signal.itimer[i].interval);
		ret = do_setitimer(i, &it, NULL);
		if (ret)
			return ret;
	}
	ret = ckpt_create_posix_timers(ctx, rst);
	if (ret)
		return ret;
own:
	ckpt_to_sigset(&set, rst->task_signal.blocked);
	set_current_blocked(&set);
	if (rst->task_signal.altstack_size) {
		me->sas_ss_sp = rst->task_signal.altstack_sp;
		me->sas_ss_size = rst->task_signal.altstack_size;
		me->sas_ss_flags = rst->task_signal.altstack_flags;
	} else {
		sas_ss_reset(me);
	}
	for (i = 0; i < rst->nr_pending; i++) {
		struct ckpt_rst_siginfo *p = &rst->pending[i];

		if (p->timer) {
			ret = ckpt_queue_timer_signal(ctx, rst->process, p);
			if (ret)
				return ret;
			continue;
		}
		spin_lock_irq(&me->sighand->siglock);
		ret = send_signal_locked(p->info.si_signo, &p->info, me,
					 p->shared ? PIDTYPE_TGID : PIDTYPE_PID);
		spin_unlock_irq(&me->sighand->siglock);
		if (ret) {
			ckpt_log(ctx, "pending signal %d: cannot queue it again (error %d)",
				 p->info.si_signo, ret);
			return ret;
		}
	}
	return rst->thread ? 0 : ckpt_arm_posix_timers(ctx, rst);
}
