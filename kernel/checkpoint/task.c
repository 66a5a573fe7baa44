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
 * Write one task: the files its fds use and its address space, if they
 * were not written before, its task record, its CPU state, then the rest
 * of its state.  Pids are those of the pid namespace of the root of the
 * checkpoint.
 */
static int ckpt_write_task(struct ckpt_ctx *ctx, struct task_struct *t)
{
	struct pid_namespace *ns = task_active_pid_ns(ctx->root);
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
	rec.exit_signal = t->exit_signal;
	rec.personality = t->personality;
	get_task_comm(rec.comm, t);

	if (READ_ONCE(t->exit_state)) {
		rec.flags = CKPT_TASK_ZOMBIE;
		rec.exit_code = READ_ONCE(t->exit_code);
		return ckpt_write_record(ctx, CKPT_HDR_TASK, &rec, sizeof(rec));
	}

	ret = ckpt_collect_fds(ctx, t, &fds);
	if (ret)
		return ret;
	rec.nr_files = ckpt_fds_count(fds);
	ret = ckpt_write_mm(ctx, t, &rec.mm_objref);
	if (!ret && !rec.mm_objref) {
		ckpt_log(ctx, "task %d (%s): exiting", rec.pid, rec.comm);
		ret = -EBUSY;
	}
	if (!ret)
		ret = ckpt_write_record(ctx, CKPT_HDR_TASK, &rec, sizeof(rec));
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

int ckpt_read_task(struct ckpt_ctx *ctx, const struct ckpt_hdr *h)
{
	struct ckpt_hdr_task rec;
	int ret;

	ret = ckpt_read_payload(ctx, h, &rec, sizeof(rec));
	if (ret)
		return ret;
	if (rec.pid <= 0 || rec.tgid <= 0 || rec.ppid < 0 ||
	    rec.exit_signal < -1 || rec.exit_signal >= _NSIG ||
	    (rec.flags & ~CKPT_TASK_ZOMBIE) || rec.reserved ||
	    strnlen(rec.comm, sizeof(rec.comm)) == sizeof(rec.comm)) {
		ckpt_log(ctx, "task %d: bad pid, flags or name", rec.pid);
		return -EBADMSG;
	}
	if (rec.flags & CKPT_TASK_ZOMBIE) {
		if (rec.mm_objref) {
			ckpt_log(ctx, "task %d: a zombie with memory", rec.pid);
			return -EBADMSG;
		}
	} else {
		ret = ckpt_obj_check(ctx, rec.mm_objref, CKPT_OBJ_MM);
		if (ret)
			return ret;
		if (rec.nr_files > CKPT_FDS_MAX) {
			ckpt_log(ctx, "task %d: %u fds", rec.pid, rec.nr_files);
			return -EBADMSG;
		}
		/* Its state, read from the records that follow. */
		ckpt_rst_task_free(ctx->rst);
		ctx->rst = kzalloc(sizeof(*ctx->rst), GFP_KERNEL);
		if (!ctx->rst)
			return -ENOMEM;
		ctx->task_nr_files = rec.nr_files;
		ctx->task_pid = rec.pid;
		ctx->expect = CKPT_HDR_CPU_REGS;
	}
	ctx->nr_tasks_read++;
	if (!ctx->restoring)
		return 0;

	/*
	 * For now one process is restored: the init of the container, as
	 * the root of a new pid namespace, where it gets its pid back.
	 */
	if (ctx->nr_tasks_read > 1 || (rec.flags & CKPT_TASK_ZOMBIE) ||
	    !ctx->child || rec.mm_objref != ctx->rst_mm->objref) {
		ckpt_log(ctx, "task %d: restoring more than one process is not supported yet",
			 rec.pid);
		return -EOPNOTSUPP;
	}
	if (rec.pid != 1 || rec.tgid != 1) {
		ckpt_log(ctx, "task %d is not the init of its pid namespace: only a container's init can get its pid back (not supported)",
			 rec.pid);
		return -EOPNOTSUPP;
	}
	set_task_comm(ctx->child, rec.comm);
	ctx->child->personality = rec.personality;
	return 0;
}

/* The task work that gives the restored task its ax back. */
struct ckpt_ax_fixup {
	struct callback_head work;
	u64 ax;
};

/*
 * ret_from_fork() clears ax when the kernel function of a new task
 * returns; this runs after that, on the way to user mode, and before any
 * signal is delivered or an interrupted system call is restarted, both of
 * which look at ax.
 */
static void ckpt_fix_ax(struct callback_head *work)
{
	struct ckpt_ax_fixup *fix = container_of(work, struct ckpt_ax_fixup,
						 work);

	task_pt_regs(current)->ax = fix->ax;
	kfree(fix);
}

/*
 * The restored task installs its fds with the RLIMIT_NOFILE it had, but a
 * task may hold fds above a limit it lowered after opening them: for as
 * long as it takes, the soft limit covers them.
 */
static int ckpt_restore_fds_limited(struct ckpt_ctx *ctx,
				    struct ckpt_rst_task *rst)
{
	struct ckpt_rlimit *saved = &rst->signal.rlim[RLIMIT_NOFILE];
	struct rlimit r = { .rlim_cur = saved->cur, .rlim_max = saved->max };
	u64 need = rst->nr_fds ? rst->fds[rst->nr_fds - 1].fd + 1ULL : 0;
	int ret;

	if (need > saved->cur) {
		struct rlimit tmp = { .rlim_cur = need, .rlim_max = r.rlim_max };

		if (need > saved->max) {
			ckpt_log(ctx, "fd %llu: above the hard limit of open files (%llu)",
				 need - 1, saved->max);
			return -EMFILE;
		}
		ret = do_prlimit(current, RLIMIT_NOFILE, &tmp, NULL);
		if (ret)
			return ret;
	}
	ret = ckpt_restore_fds(ctx, rst);
	if (!ret && need > saved->cur)
		ret = do_prlimit(current, RLIMIT_NOFILE, &r, NULL);
	return ret;
}

/*
 * ckpt_restore_apply - the restored task sets its own state, in the order
 * that lets each step be done with the syscalls' own rules: scheduling and
 * limits, directories, fds, signals, then the credentials (which may take
 * away the right to do the rest), then what a change of credentials
 * resets.
 */
static int ckpt_restore_apply(struct ckpt_ctx *ctx)
{
	struct ckpt_rst_task *rst = ctx->rst;
	int ret;

	if (!rst)
		return -EINVAL;
	ret = ckpt_restore_attrs(ctx, rst);
	if (!ret)
		ret = ckpt_restore_limits(ctx, rst);
	if (!ret) {
		ckpt_restore_fs(rst);
		ret = ckpt_restore_fds_limited(ctx, rst);
	}
	if (!ret)
		ret = ckpt_restore_signals(ctx, rst);
	if (!ret) {
		ret = ckpt_restore_cred(rst);
		if (ret)
			ckpt_log(ctx, "cannot set the credentials (error %d)",
				 ret);
	}
	if (!ret)
		ckpt_restore_late_attrs(rst);
	return ret;
}

/*
 * The restored task starts here, in the kernel, sharing the caller's mm:
 * it drops the caller's fds and signal handlers, builds its own mm from
 * the stream, hands the stream back, and waits for the caller to set its
 * registers and check the rest of the image.  Then it goes to user mode,
 * or dies there without running a single instruction.
 */
static int ckpt_restore_child(void *arg)
{
	struct ckpt_ctx *ctx = arg;
	struct ckpt_ax_fixup *fix;
	sigset_t none;
	int ret = -ENOMEM;

	fix = kzalloc(sizeof(*fix), GFP_KERNEL);
	if (fix) {
		__close_range(0, ~0U, 0);
		flush_signal_handlers(current, 1);
		sigemptyset(&none);
		set_current_blocked(&none);
		ctx->child_reads = true;
		ret = ckpt_restore_mm(ctx);
		ctx->child_reads = false;
	}
	ctx->child_ret = ret;
	complete(&ctx->child_ready);

	/* Not a hung task: the caller may be waiting on a slow stream. */
	wait_for_completion_state(&ctx->go, TASK_IDLE);
	if (!ctx->abort && fix) {
		ret = ckpt_restore_apply(ctx);
		ctx->child_ret = ret;
		ctx->abort = ret != 0;
	}
	if (ctx->abort || !fix) {
		kfree(fix);
		force_sig(SIGKILL);
	} else {
		fix->ax = ctx->child_ax;
		init_task_work(&fix->work, ckpt_fix_ax);
		if (task_work_add(current, &fix->work, TWA_SIGNAL)) {
			kfree(fix);
			force_sig(SIGKILL);
		}
	}
	complete(&ctx->child_done);	/* the last use of ctx */
	return 0;
}

/*
 * ckpt_restore_spawn - create the restored task, as the init of a new pid
 * namespace, and wait until it has built its address space.
 */
int ckpt_restore_spawn(struct ckpt_ctx *ctx)
{
	struct kernel_clone_args args = {
		.flags = CLONE_VM | CLONE_UNTRACED | CLONE_NEWPID,
		.exit_signal = SIGCHLD,
		.fn = ckpt_restore_child,
		.fn_arg = ctx,
	};
	pid_t nr;

	if (ctx->flags & RESTART_INTO_CGROUP) {
		args.flags |= CLONE_INTO_CGROUP;
		args.cgroup = ctx->cgroup_fd;
	}
	init_completion(&ctx->child_ready);
	init_completion(&ctx->go);
	init_completion(&ctx->child_done);
	nr = kernel_clone(&args);
	if (nr < 0) {
		ckpt_log(ctx, "cannot create the task (error %d)", nr);
		return nr;
	}
	ctx->child_pid = nr;
	ctx->child = find_get_task_by_vpid(nr);

	if (wait_for_completion_killable(&ctx->child_ready)) {
		/* Interrupt its reading of the stream, and wait for it. */
		if (ctx->child)
			send_sig(SIGKILL, ctx->child, 1);
		wait_for_completion(&ctx->child_ready);
		return -EINTR;
	}
	return ctx->child_ret;
}

/*
 * ckpt_restore_release - let the restored task set the rest of its state
 * and run (@run), or kill it and reap it, so that a failed restart leaves
 * nothing behind.  Returns how its setting its own state went.
 */
int ckpt_restore_release(struct ckpt_ctx *ctx, bool run)
{
	int ret = 0;

	ctx->abort = !run;
	ctx->child_ret = 0;
	complete(&ctx->go);
	wait_for_completion(&ctx->child_done);
	if (run && ctx->abort)
		ret = ctx->child_ret ?: -EINVAL;
	if (ctx->abort)
		kernel_wait4(ctx->child_pid, NULL, __WALL, NULL);
	if (ctx->child)
		put_task_struct(ctx->child);
	ctx->child = NULL;
	return ret;
}
