// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart: POSIX timers (timer_create(2)).
 *
 * A process's timers hang off its signal_struct; each is written with its
 * id, clock, how it notifies, its time left and interval, and its overrun
 * counts.  The restored process creates them again in its own context with
 * the syscalls' functions, each with the id it had (the id timer_create()
 * tries first is signal::next_posix_timer_id), and a timer whose signal
 * was pending gets that same signal queued again: the timer's own
 * preallocated sigqueue, so that a new expiry while it is pending counts
 * an overrun, as it would have without the checkpoint.  A periodic timer
 * whose signal is pending is not running: the kernel re-arms it when the
 * signal is taken (posixtimer_rearm()), counting the periods missed since
 * as overruns.  It is restored in that same state, its next expiry after
 * the time it had left.
 *
 * Only timers on clocks that count wall or elapsed time are supported:
 * CPU-time timers (posix-cpu-timers) and alarm timers are refused.
 *
 * Locking, at checkpoint: the timer list is under the process's siglock,
 * but a timer's state is under its own it_lock, which nests outside the
 * siglock (timer_create() and timer_delete() take it_lock, then siglock).
 * So the timers are listed under the siglock, within one RCU read-side
 * section (timers are freed after a grace period), and then each is
 * locked in turn and checked to be still the process's (it_signal), as
 * the syscalls' lookup does.  A frozen process creates or deletes none
 * itself; a dying one makes checkpoint fail with -EAGAIN.
 */
#include <linux/bsearch.h>
#include <linux/checkpoint.h>
#include <linux/ktime.h>
#include <linux/pid_namespace.h>
#include <linux/posix-timers.h>
#include <linux/rcupdate.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/time64.h>

#include "../time/posix-timers.h"

/* The clocks whose timers are hrtimers, which restart can set again */
static bool ckpt_timer_clock_ok(clockid_t clock)
{
	return clock == CLOCK_REALTIME || clock == CLOCK_MONOTONIC ||
	       clock == CLOCK_BOOTTIME || clock == CLOCK_TAI;
}

static bool ckpt_timer_notify_ok(int notify)
{
	return notify == SIGEV_SIGNAL || notify == SIGEV_NONE ||
	       notify == SIGEV_THREAD ||
	       notify == (SIGEV_SIGNAL | SIGEV_THREAD_ID);
}

/*
 * One timer, under its it_lock: 0, or -EAGAIN if it was deleted since it
 * was listed, or -EOPNOTSUPP for a clock restart cannot set again.
 */
static int ckpt_save_timer(struct k_itimer *timr, struct signal_struct *sig,
			   struct pid_namespace *ns,
			   struct ckpt_hdr_posix_timer *rec)
{
	struct itimerspec64 cur = { };
	int ret = 0;

	spin_lock_irq(&timr->it_lock);
	if (timr->it_signal != sig) {
		ret = -EAGAIN;
		goto out;
	}
	rec->id = timr->it_id;
	rec->clock = timr->it_clock;
	rec->notify = timr->it_sigev_notify;
	if (!ckpt_timer_clock_ok(timr->it_clock) ||
	    !ckpt_timer_notify_ok(timr->it_sigev_notify)) {
		ret = -EOPNOTSUPP;
		goto out;
	}
	if (timr->it_sigev_notify & SIGEV_THREAD_ID)
		rec->notify_tid = pid_nr_ns(timr->it_pid, ns);
	rec->signo = timr->sigq->info.si_signo;
	rec->value = (unsigned long)timr->sigq->info.si_value.sival_ptr;
	/*
	 * As timer_gettime(2) sees it: a periodic timer whose signal is
	 * pending (not re-armed until it is taken) counts as re-armed now.
	 */
	timr->kclock->timer_get(timr, &cur);
	rec->left = timespec64_to_ns(&cur.it_value);
	rec->interval = timespec64_to_ns(&cur.it_interval);
	rec->overrun = timr->it_overrun;
	rec->overrun_last = timr->it_overrun_last;
out:
	spin_unlock_irq(&timr->it_lock);
	return ret;
}

static int ckpt_cmp_timer(const void *a, const void *b)
{
	const struct ckpt_hdr_posix_timer *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

/*
 * ckpt_collect_posix_timers - the timers of @t's process, by increasing
 * id, into *@out (kvfree() it), their number into *@nr, and the id
 * timer_create() would try next into *@next_id.
 */
int ckpt_collect_posix_timers(struct ckpt_ctx *ctx, struct task_struct *t,
			      struct ckpt_hdr_posix_timer **out, u32 *nr,
			      u32 *next_id)
{
	struct pid_namespace *ns = task_active_pid_ns(ctx->root);
	struct signal_struct *sig = t->signal;
	struct ckpt_hdr_posix_timer *recs;
	struct k_itimer *timr, **timers;
	unsigned int n = 0, i = 0;
	int ret = 0;

	*out = NULL;
	*nr = 0;
	spin_lock_irq(&t->sighand->siglock);
	hlist_for_each_entry(timr, &sig->posix_timers, list)
		n++;
	/* Written under hash_lock, by the process's own timer_create() */
	*next_id = READ_ONCE(sig->next_posix_timer_id);
	spin_unlock_irq(&t->sighand->siglock);
	if (!n)
		return 0;
	if (n > CKPT_POSIX_TIMERS_MAX) {
		ckpt_log(ctx, "task %d: %u POSIX timers, more than an image holds (%u)",
			 task_pid_vnr(t), n, CKPT_POSIX_TIMERS_MAX);
		return -EOPNOTSUPP;
	}
	timers = kvcalloc(n, sizeof(*timers), GFP_KERNEL);
	recs = kvcalloc(n, sizeof(*recs), GFP_KERNEL);
	if (!timers || !recs) {
		ret = -ENOMEM;
		goto out;
	}

	rcu_read_lock();
	spin_lock_irq(&t->sighand->siglock);
	hlist_for_each_entry(timr, &sig->posix_timers, list) {
		if (i == n) {
			ret = -EAGAIN;
			break;
		}
		timers[i++] = timr;
	}
	spin_unlock_irq(&t->sighand->siglock);
	if (i != n)
		ret = -EAGAIN;
	for (i = 0; i < n && !ret; i++) {
		recs[i].h.type = CKPT_HDR_POSIX_TIMER;
		ret = ckpt_save_timer(timers[i], sig, ns, &recs[i]);
	}
	rcu_read_unlock();

	if (ret == -EAGAIN) {
		ckpt_log(ctx, "task %d: its POSIX timers changed while it was frozen",
			 task_pid_vnr(t));
		goto out;
	}
	if (ret == -EOPNOTSUPP) {
		i--;
		ckpt_log(ctx, "task %d: POSIX timer %d on clock %d, notifying by %d: only timers on CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_BOOTTIME or CLOCK_TAI are supported, not CPU-time or alarm timers",
			 task_pid_vnr(t), recs[i].id, recs[i].clock,
			 recs[i].notify);
		goto out;
	}
	for (i = 0; i < n; i++) {
		if ((recs[i].notify & SIGEV_THREAD_ID) && !recs[i].notify_tid) {
			ckpt_log(ctx, "task %d: POSIX timer %d signals a thread outside the container",
				 task_pid_vnr(t), recs[i].id);
			ret = -EOPNOTSUPP;
			goto out;
		}
	}
	sort(recs, n, sizeof(*recs), ckpt_cmp_timer, NULL);
	*out = recs;
	*nr = n;
	recs = NULL;
out:
	kvfree(timers);
	kvfree(recs);
	return ret;
}

int ckpt_write_posix_timers(struct ckpt_ctx *ctx,
			    struct ckpt_hdr_posix_timer *recs, u32 nr)
{
	unsigned int i;
	int ret = 0;

	for (i = 0; i < nr && !ret; i++)
		ret = ckpt_write_record(ctx, CKPT_HDR_POSIX_TIMER, &recs[i],
					sizeof(recs[i]));
	return ret;
}

/* Restart: one timer record, after the signal record that counts them. */
int ckpt_read_posix_timer(struct ckpt_ctx *ctx, const struct ckpt_hdr *h)
{
	struct ckpt_rst_task *rst = ctx->rst;
	struct ckpt_rst_timer *rt = &rst->timers[rst->nr_timers];
	struct ckpt_hdr_posix_timer *rec = &rt->rec;
	bool has_tid;
	int ret;

	ret = ckpt_read_payload(ctx, h, rec, sizeof(*rec));
	if (ret)
		return ret;
	has_tid = rec->notify & SIGEV_THREAD_ID;
	if (rec->id < 0 ||
	    (rst->nr_timers && rec->id <= rst->timers[rst->nr_timers - 1].rec.id) ||
	    !ckpt_timer_clock_ok(rec->clock) ||
	    !ckpt_timer_notify_ok(rec->notify) ||
	    (has_tid ? rec->notify_tid <= 0 : rec->notify_tid) ||
	    (rec->notify != SIGEV_NONE &&
	     (rec->signo < 1 || rec->signo > CKPT_NSIG)) ||
	    rec->reserved || rec->left > KTIME_MAX ||
	    rec->interval > KTIME_MAX || rec->overrun < -1 ||
	    rec->overrun_last < 0) {
		ckpt_log(ctx, "POSIX timer %d: bad id (not above the one before), clock, notification, signal, time or overrun",
			 rec->id);
		return -EBADMSG;
	}
	/* Its thread may come later in the image: checked at the end. */
	if (has_tid) {
		struct ckpt_timer_target *tt = kzalloc(sizeof(*tt), GFP_KERNEL);

		if (!tt)
			return -ENOMEM;
		tt->tgid = ctx->cur->rec.tgid;
		tt->tid = rec->notify_tid;
		tt->id = rec->id;
		list_add_tail(&tt->list, &ctx->timer_targets);
	}
	if (++rst->nr_timers == rst->signal.nr_posix_timers)
		ctx->expect = CKPT_HDR_TASK_SIGNAL;
	return 0;
}

static int ckpt_cmp_rst_timer(const void *key, const void *elt)
{
	const struct ckpt_rst_timer *rt = elt;
	s32 id = *(const s32 *)key;

	return id < rt->rec.id ? -1 : id > rt->rec.id;
}

/* Restart: the timer of the image with id @id (the records are sorted) */
struct ckpt_rst_timer *ckpt_rst_find_timer(struct ckpt_rst_task *rst, s32 id)
{
	return bsearch(&id, rst->timers, rst->nr_timers, sizeof(*rst->timers),
		       ckpt_cmp_rst_timer);
}

/*
 * In the restored process: its timer @id, the newest, first on the list.
 * Only this task, alone in its process, can delete it, so it stays valid
 * after the siglock is dropped, for as long as restart runs.
 */
static struct k_itimer *ckpt_own_timer(timer_t id)
{
	struct k_itimer *timr, *found = NULL;

	spin_lock_irq(&current->sighand->siglock);
	hlist_for_each_entry(timr, &current->signal->posix_timers, list) {
		if (timr->it_id == id) {
			found = timr;
			break;
		}
	}
	spin_unlock_irq(&current->sighand->siglock);
	return found;
}

/*
 * In the restored process, before its pending signals: create its timers,
 * disarmed, each with its id.  The process is new (copy_signal() gave it
 * no timers) and alone, so the id timer_create() tries first is free.
 */
int ckpt_create_posix_timers(struct ckpt_ctx *ctx, struct ckpt_rst_task *rst)
{
	struct signal_struct *sig = current->signal;
	unsigned int i;
	int ret;

	for (i = 0; i < rst->nr_timers; i++) {
		struct ckpt_rst_timer *rt = &rst->timers[i];
		const struct ckpt_hdr_posix_timer *rec = &rt->rec;
		sigevent_t ev = { };

		ev.sigev_notify = rec->notify;
		ev.sigev_signo = rec->signo;
		ev.sigev_value.sival_ptr = (void __user *)(unsigned long)rec->value;
		if (rec->notify & SIGEV_THREAD_ID)
			ev.sigev_notify_thread_id = rec->notify_tid;
		/* hash_lock guards the id only against the process's threads */
		WRITE_ONCE(sig->next_posix_timer_id, rec->id);
		ret = do_timer_create(rec->clock, &ev, NULL);
		if (!ret) {
			rt->timer = ckpt_own_timer(rec->id);
			if (!rt->timer)
				ret = -EEXIST;
		}
		if (ret) {
			ckpt_log(ctx, "POSIX timer %d: cannot create it again (error %d)",
				 rec->id, ret);
			return ret;
		}
	}
	WRITE_ONCE(sig->next_posix_timer_id,
		   rst->signal.next_posix_timer_id);
	return 0;
}

/*
 * In the restored process: queue the pending signal of one of its timers,
 * @p, as the timer itself queues it.  A one-shot timer is done, and is
 * left disarmed.  A periodic one is left as the kernel leaves it until
 * its signal is taken: not running, its expiry set to when it would fire
 * next, a re-arm pending, which the signal's si_sys_private names (see
 * posix_timer_queue_signal() and posixtimer_rearm()).
 */
int ckpt_queue_timer_signal(struct ckpt_ctx *ctx, struct ckpt_rst_task *rst,
			    const struct ckpt_rst_siginfo *p)
{
	struct ckpt_rst_timer *rt = ckpt_rst_find_timer(rst, p->info.si_tid);
	struct k_itimer *timr;
	enum pid_type type;
	int ret;

	if (!rt || !rt->timer)
		return -ENOENT;
	timr = rt->timer;
	type = timr->it_sigev_notify & SIGEV_THREAD_ID ? PIDTYPE_PID :
							 PIDTYPE_TGID;
	spin_lock_irq(&timr->it_lock);
	timr->sigq->info.si_sys_private = 0;
	if (rt->rec.interval) {
		/*
		 * Set up as timer_settime() would for the time left, but not
		 * started, as for a SIGEV_NONE timer (common_hrtimer_arm()).
		 */
		timr->kclock->timer_arm(timr, ns_to_ktime(rt->rec.left), false,
					true);
		timr->it_interval = ns_to_ktime(rt->rec.interval);
		timr->it_active = 0;
		timr->it_requeue_pending = (timr->it_requeue_pending + 2) |
					   REQUEUE_PENDING;
		timr->sigq->info.si_sys_private = timr->it_requeue_pending;
		timr->it_overrun = rt->rec.overrun;
		timr->it_overrun_last = rt->rec.overrun_last;
		rt->armed = true;
	}
	ret = send_sigqueue(timr->sigq, timr->it_pid, type);
	if (!ret) {
		spin_lock(&current->sighand->siglock);
		timr->sigq->info.si_overrun = p->info.si_overrun;
		spin_unlock(&current->sighand->siglock);
	}
	spin_unlock_irq(&timr->it_lock);
	if (ret) {
		ckpt_log(ctx, "pending signal %d of POSIX timer %d: cannot queue it again (%d)",
			 p->info.si_signo, p->info.si_tid, ret);
		return -EINVAL;
	}
	return 0;
}

/* In the restored process, after its pending signals: arm its timers. */
int ckpt_arm_posix_timers(struct ckpt_ctx *ctx, struct ckpt_rst_task *rst)
{
	unsigned int i;
	int ret;

	for (i = 0; i < rst->nr_timers; i++) {
		const struct ckpt_hdr_posix_timer *rec = &rst->timers[i].rec;
		struct k_itimer *timr = rst->timers[i].timer;
		struct itimerspec64 spec = {
			.it_value = ns_to_timespec64(rec->left),
			.it_interval = ns_to_timespec64(rec->interval),
		};

		/*
		 * Set as its pending signal left it (ckpt_queue_timer_signal()),
		 * or will, when the thread it is pending for queues it.
		 */
		if (rst->timers[i].armed ||
		    (rst->timers[i].queued && rec->interval))
			continue;
		ret = do_timer_settime(rec->id, 0, &spec, NULL);
		if (ret) {
			ckpt_log(ctx, "POSIX timer %d: cannot set it again (error %d)",
				 rec->id, ret);
			return ret;
		}
		/* What timer_settime() reset; counted on from there */
		spin_lock_irq(&timr->it_lock);
		timr->it_overrun = rec->overrun;
		timr->it_overrun_last = rec->overrun_last;
		spin_unlock_irq(&timr->it_lock);
	}
	return 0;
}
