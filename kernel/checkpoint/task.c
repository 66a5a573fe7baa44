// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart: the tasks in scope of a checkpoint.
 *
 * The scope is the root task, its threads, and all their descendants.  Every
 * task in it must be frozen by the cgroup v2 freezer and ptrace-attachable by
 * the caller.  The syscall never freezes anything itself: the tool does, so
 * that the container is stopped for exactly as long as its owner decides.
 */
#include <linux/checkpoint.h>
#include <linux/cgroup.h>
#include <linux/fdtable.h>
#include <linux/mm.h>
#include <linux/pid_namespace.h>
#include <linux/resource.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/sched/task_stack.h>
#include <linux/task_work.h>
#include <linux/wait.h>
#include <uapi/linux/wait.h>
#include <asm/syscall.h>

/* How often to retry when the tree grows between counting and collecting. */
#define CKPT_COLLECT_TRIES	3

struct ckpt_collect {
	struct task_struct **tasks;
	unsigned int nr;		/* tasks seen */
	unsigned int max;		/* room in @tasks */
};

/* Called under tasklist_lock (read): no sleeping, no allocation. */
static void ckpt_collect_threads(struct task_struct *leader,
				 struct ckpt_collect *c)
{
	struct task_struct *t;

	for_each_thread(leader, t) {
		if (c->nr < c->max)
			c->tasks[c->nr] = get_task_struct(t);
		c->nr++;
	}
}

static int ckpt_collect_visitor(struct task_struct *p, void *data)
{
	ckpt_collect_threads(p, data);
	return 1;	/* descend into @p's children */
}

static void ckpt_put_tasks(struct task_struct **tasks, unsigned int nr)
{
	while (nr--)
		put_task_struct(tasks[nr]);
	kvfree(tasks);
}

/*
 * Whether the cgroup v2 freezer holds @t.  A stopped task counts as frozen
 * too (do_signal_stop() enters the frozen state), but only a freezing cgroup
 * keeps it from being woken by a SIGCONT from outside, so both must hold.
 */
static bool ckpt_task_frozen(struct task_struct *t)
{
	bool freezing;

	rcu_read_lock();
	freezing = test_bit(CGRP_FREEZE, &task_dfl_cgroup(t)->flags);
	rcu_read_unlock();
	return freezing && cgroup_task_frozen(t);
}

static int ckpt_check_task(struct ckpt_ctx *ctx, struct task_struct *t)
{
	pid_t pid = task_pid_vnr(t);

	if (t->flags & PF_KTHREAD) {
		ckpt_log(ctx, "task %d (%s): cannot checkpoint a kernel thread",
			 pid, t->comm);
		return -EPERM;
	}
	if (t->ptrace) {
		ckpt_log(ctx, "task %d (%s): cannot checkpoint a traced task",
			 pid, t->comm);
		return -EBUSY;
	}
	if (!ptrace_may_access(t, PTRACE_MODE_ATTACH_REALCREDS)) {
		ckpt_log(ctx, "task %d (%s): permission denied (no ptrace access)",
			 pid, t->comm);
		return -EPERM;
	}
	/* A zombie has no user state left to freeze. */
	if (!READ_ONCE(t->exit_state) && !ckpt_task_frozen(t)) {
		ckpt_log(ctx, "task %d (%s): not frozen (freeze its cgroup first)",
			 pid, t->comm);
		return -EBUSY;
	}
	return 0;
}

/*
 * ckpt_collect_tasks - take a reference on every task in scope and check it.
 *
 * The tree is counted, then collected into an array of that size; if it grew
 * in between (a task that is not frozen can still fork), it is collected
 * again.  Frozen trees never change, so this loops only on trees that the
 * checks below refuse anyway.
 */
int ckpt_collect_tasks(struct ckpt_ctx *ctx)
{
	struct ckpt_collect c = { };
	unsigned int i, tries;
	int ret;

	for (tries = 0; tries < CKPT_COLLECT_TRIES; tries++) {
		/* Count: a pass with no room collects nothing. */
		c = (struct ckpt_collect){ };
		read_lock(&tasklist_lock);
		ckpt_collect_threads(ctx->root->group_leader, &c);
		read_unlock(&tasklist_lock);
		walk_process_tree(ctx->root, ckpt_collect_visitor, &c);

		c.max = c.nr + 8;
		c.nr = 0;
		c.tasks = kvcalloc(c.max, sizeof(*c.tasks), GFP_KERNEL);
		if (!c.tasks)
			return -ENOMEM;

		read_lock(&tasklist_lock);
		ckpt_collect_threads(ctx->root->group_leader, &c);
		read_unlock(&tasklist_lock);
		walk_process_tree(ctx->root, ckpt_collect_visitor, &c);
		if (c.nr <= c.max)
			break;
		ckpt_put_tasks(c.tasks, c.max);
		c.tasks = NULL;
	}
	if (!c.tasks) {
		ckpt_log(ctx, "the process tree keeps changing (not frozen?)");
		return -EBUSY;
	}

	ctx->tasks = c.tasks;
	ctx->nr_tasks = c.nr;

	for (i = 0; i < c.nr; i++) {
		ret = ckpt_check_task(ctx, c.tasks[i]);
		if (ret)
			return ret;
	}
	return 0;
}

void ckpt_release_tasks(struct ckpt_ctx *ctx)
{
	if (ctx->tasks)
		ckpt_put_tasks(ctx->tasks, ctx->nr_tasks);
	ctx->tasks = NULL;
	ctx->nr_tasks = 0;
}

/*
 * The records that follow the CPU state of a live task, in their order
 * (see ckpt_hdr_task in the uapi header).
 */
static int ckpt_write_task_state(struct ckpt_ctx *ctx, struct task_struct *t,
				 struct ckpt_fds *fds)
{
	int ret = 0;

	if (ckpt_arch_in_restart_block(t))
		ret = ckpt_write_restart_block(ctx, t);
	if (!ret)
		ret = ckpt_write_attrs(ctx, t);
	if (!ret)
		ret = ckpt_write_cred(ctx, t);
	if (!ret)
		ret = ckpt_write_fd_table(ctx, t, fds);
	if (!ret)
		ret = ckpt_write_fs(ctx, t);
	if (!ret)
		ret = ckpt_write_signals(ctx, t);
	return ret;
}

/*
 * The job control state of @t's process: stopped (by which signal, and
 * whether its parent has been told), or not.  A group stop half done (a
 * thread frozen before it stopped) is refused: it cannot be told apart
 * from one that never began.
 */
static int ckpt_task_stop_state(struct ckpt_ctx *ctx, struct task_struct *t,
				struct ckpt_hdr_task *rec)
{
	struct signal_struct *sig = t->signal;
	int ret = 0;

	spin_lock_irq(&t->sighand->siglock);
	if (sig->flags & SIGNAL_STOP_STOPPED) {
		rec->flags |= CKPT_TASK_STOPPED;
		rec->stop_signo = t->jobctl & JOBCTL_STOP_SIGMASK ?: SIGSTOP;
		if (sig->group_exit_code)
			rec->flags |= CKPT_TASK_STOP_UNREPORTED;
	} else if (sig->group_stop_count ||
		   (t->jobctl & JOBCTL_STOP_PENDING)) {
		ret = -EBUSY;
	}
	spin_unlock_irq(&t->sighand->siglock);
	if (ret)
		ckpt_log(ctx, "task %d (%s): in the middle of a group stop",
			 rec->pid, rec->comm);
	return ret;
}

/*
 * Write one task: the files its fds and its address space use, its task
 * record, its address space if this is the first task seen in it, its CPU
 * state, then the rest of its state.  Pids, process groups and sessions
 * are those of the pid namespace of the root of the checkpoint (0 for
 * one outside it).
 */
static int ckpt_write_task(struct ckpt_ctx *ctx, struct task_struct *t)
{
	struct pid_namespace *ns = task_active_pid_ns(ctx->root);
	struct ckpt_mm_snapshot *mm = NULL;
	struct ckpt_hdr_task rec = { };
	struct ckpt_fds *fds;
	int ret;

	rec.pid = task_pid_nr_ns(t, ns);
	rec.tgid = task_tgid_nr_ns(t, ns);
	if (!same_thread_group(t, ctx->root)) {
		rcu_read_lock();
		rec.ppid = task_tgid_nr_ns(rcu_dereference(t->real_parent), ns);
		rcu_read_unlock();
	}
	rec.pgid = task_pgrp_nr_ns(t, ns);
	rec.sid = task_session_nr_ns(t, ns);
	rec.exit_signal = thread_group_leader(t) ? t->exit_signal : -1;
	rec.personality = t->personality;
	get_task_comm(rec.comm, t);

	if (READ_ONCE(t->exit_state)) {
		if (!thread_group_leader(t)) {
			ckpt_log(ctx, "task %d (%s): a thread exiting",
				 rec.pid, rec.comm);
			return -EBUSY;
		}
		if (!thread_group_empty(t)) {
			ckpt_log(ctx, "task %d (%s): a thread group leader that exited while its threads live on is not supported",
				 rec.pid, rec.comm);
			return -EOPNOTSUPP;
		}
		rec.flags = CKPT_TASK_ZOMBIE;
		rec.exit_code = READ_ONCE(t->exit_code);
		return ckpt_write_record(ctx, CKPT_HDR_TASK, &rec, sizeof(rec));
	}

	ret = ckpt_task_stop_state(ctx, t, &rec);
	if (ret)
		return ret;
	ret = ckpt_collect_fds(ctx, t, &fds);
	if (ret)
		return ret;
	rec.nr_files = ckpt_fds_count(fds);
	ret = ckpt_mm_begin(ctx, t, &rec.mm_objref, &mm);
	if (!ret && !rec.mm_objref) {
		ckpt_log(ctx, "task %d (%s): exiting", rec.pid, rec.comm);
		ret = -EBUSY;
	}
	if (!ret)
		ret = ckpt_write_record(ctx, CKPT_HDR_TASK, &rec, sizeof(rec));
	ret = ckpt_mm_end(ctx, mm, !ret) ?: ret;
	if (!ret)
		ret = ckpt_arch_write_cpu(ctx, t);
	if (!ret)
		ret = ckpt_write_task_state(ctx, t, fds);
	ckpt_release_fds(fds);
	return ret;
}

int ckpt_write_tasks(struct ckpt_ctx *ctx)
{
	unsigned int i;
	int ret = 0;

	for (i = 0; i < ctx->nr_tasks && !ret; i++)
		ret = ckpt_write_task(ctx, ctx->tasks[i]);
	return ret;
}

/* Restart: what a task record says of the task's place in the tree. */
static int ckpt_check_task_rec(struct ckpt_ctx *ctx,
			       const struct ckpt_hdr_task *rec)
{
	bool zombie = rec->flags & CKPT_TASK_ZOMBIE;
	bool stopped = rec->flags & CKPT_TASK_STOPPED;
	bool thread = rec->pid != rec->tgid;

	if (rec->pid <= 0 || rec->tgid <= 0 || rec->ppid < 0 ||
	    rec->pgid < 0 || rec->sid < 0 ||
	    rec->exit_signal < -1 || rec->exit_signal >= _NSIG ||
	    (rec->flags & ~CKPT_TASK_FLAGS_ALL) || rec->reserved ||
	    rec->reserved2 ||
	    strnlen(rec->comm, sizeof(rec->comm)) == sizeof(rec->comm)) {
		ckpt_log(ctx, "task %d: bad pid, flags or name", rec->pid);
		return -EBADMSG;
	}
	if (thread != (rec->exit_signal == -1) ||
	    (!rec->pgid && rec->sid)) {
		ckpt_log(ctx, "task %d: bad exit signal %d or process group %d of session %d",
			 rec->pid, rec->exit_signal, rec->pgid, rec->sid);
		return -EBADMSG;
	}
	if ((zombie && (rec->mm_objref || thread ||
			(rec->flags & ~CKPT_TASK_ZOMBIE))) ||
	    (!zombie && rec->exit_code)) {
		ckpt_log(ctx, "task %d: a zombie with memory or job control state, a zombie thread, or a live task with an exit status",
			 rec->pid);
		return -EBADMSG;
	}
	if (stopped ? (rec->stop_signo != SIGSTOP &&
		       rec->stop_signo != SIGTSTP &&
		       rec->stop_signo != SIGTTIN &&
		       rec->stop_signo != SIGTTOU) :
		      (rec->stop_signo ||
		       (rec->flags & CKPT_TASK_STOP_UNREPORTED))) {
		ckpt_log(ctx, "task %d: bad stop signal %u", rec->pid,
			 rec->stop_signo);
		return -EBADMSG;
	}
	return 0;
}

int ckpt_read_task(struct ckpt_ctx *ctx, const struct ckpt_hdr *h)
{
	struct ckpt_hdr_task rec;
	struct ckpt_new_task *nt;
	int ret;

	ret = ckpt_read_payload(ctx, h, &rec, sizeof(rec));
	if (ret)
		return ret;
	ret = ckpt_check_task_rec(ctx, &rec);
	if (ret)
		return ret;
	if (ctx->epolls_unlisted) {
		ckpt_log(ctx, "task %d: an epoll file before it has no items record",
			 rec.pid);
		return -EBADMSG;
	}
	if (!(rec.flags & CKPT_TASK_ZOMBIE)) {
		if (rec.nr_files > CKPT_FDS_MAX) {
			ckpt_log(ctx, "task %d: %u fds", rec.pid, rec.nr_files);
			return -EBADMSG;
		}
		/*
		 * Its address space: known, or next (version 4), or just
		 * read before it (the first task, in version 3's order).
		 */
		if (ctx->nr_tasks_read == 0 && ctx->early_mm &&
		    rec.mm_objref != ctx->early_mm) {
			ckpt_log(ctx, "task %d: not in the address space before it",
				 rec.pid);
			return -EBADMSG;
		}
		if (ckpt_obj_known(ctx, rec.mm_objref, CKPT_OBJ_MM)) {
			ctx->expect = CKPT_HDR_CPU_REGS;
		} else {
			if (rec.mm_objref != ctx->next_objref + 1) {
				ckpt_log(ctx, "task %d: reference to an unknown object %u",
					 rec.pid, rec.mm_objref);
				return -EBADMSG;
			}
			ctx->mm_wanted = rec.mm_objref;
			ctx->after_mm = CKPT_HDR_CPU_REGS;
			ctx->expect = CKPT_HDR_MM;
		}
	}
	ret = ckpt_tree_add(ctx, &rec, &nt);
	if (ret)
		return ret;
	ctx->nr_tasks_read++;
	ctx->task_nr_files = rec.nr_files;
	ctx->task_pid = rec.pid;
	ctx->cur = nt;
	ctx->rst = nt->rst;
	if (!ctx->restoring)
		return 0;
	ret = ckpt_tree_create(ctx, nt);
	ctx->child = ctx->cur->task;
	ctx->rst = ctx->cur->rst;
	return ret;
}

/*
 * The restored task installs its fds with the RLIMIT_NOFILE it had, but a
 * task may hold fds above a limit it lowered after opening them: for as
 * long as it takes, the soft limit covers them.
 */
static int ckpt_restore_fds_limited(struct ckpt_ctx *ctx,
				    struct ckpt_rst_task *rst)
{
	struct rlimit saved, tmp;
	u64 need = rst->nr_fds ? rst->fds[rst->nr_fds - 1].fd + 1ULL : 0;
	int ret;

	ret = do_prlimit(current, RLIMIT_NOFILE, NULL, &saved);
	if (ret)
		return ret;
	if (need > saved.rlim_cur) {
		if (need > saved.rlim_max) {
			ckpt_log(ctx, "fd %llu: above the hard limit of open files (%lu)",
				 need - 1, saved.rlim_max);
			return -EMFILE;
		}
		tmp.rlim_cur = need;
		tmp.rlim_max = saved.rlim_max;
		ret = do_prlimit(current, RLIMIT_NOFILE, &tmp, NULL);
		if (ret)
			return ret;
	}
	ret = ckpt_restore_fds(ctx, rst);
	if (!ret && need > saved.rlim_cur)
		ret = do_prlimit(current, RLIMIT_NOFILE, &saved, NULL);
	return ret;
}

/*
 * ckpt_restore_apply - in the restored task: set its own state, in the
 * order that lets each step be done with the syscalls' own rules:
 * scheduling and limits, directories, fds, signals, then the credentials
 * (which may take away the right to do the rest), then what a change of
 * credentials resets.  What a process's threads share (limits, handlers,
 * timers) its first task sets; the others share it already.  Tasks apply
 * in image order, one at a time, so a table or fs_struct shared with a
 * task before is complete when this one takes it.
 */
int ckpt_restore_apply(struct ckpt_ctx *ctx, struct ckpt_new_task *nt)
{
	struct ckpt_rst_task *rst = nt->rst;
	int ret;

	if (!rst)
		return -EINVAL;
	ctx->task_pid = nt->rec.pid;	/* for the reasons logged */
	ckpt_flush_pending(rst->thread);
	ret = ckpt_restore_attrs(ctx, rst);
	if (!ret && !rst->thread)
		ret = ckpt_restore_limits(ctx, rst);
	if (!ret)
		ret = ckpt_restore_fs(ctx, rst);
	if (!ret)
		ret = rst->fd_owner ? ckpt_share_fds(ctx, rst) :
				      ckpt_restore_fds_limited(ctx, rst);
	if (!ret)
		ret = ckpt_restore_signals(ctx, rst);
	if (!ret && !rst->thread)
		ret = ckpt_restore_sem_undo(ctx, nt->rec.pid);
	if (!ret) {
		ret = ckpt_restore_cred(rst);
		if (ret)
			ckpt_log(ctx, "task %d: cannot set the credentials (error %d)",
				 nt->rec.pid, ret);
	}
	if (!ret)
		ckpt_restore_late_attrs(rst);
	return ret;
}
