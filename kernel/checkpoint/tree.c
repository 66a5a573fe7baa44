// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart: the restored tree.
 *
 * Restart creates the tasks of an image in image order, each with its pid,
 * as the child (or thread) of the task that created it before: a process
 * is created by its parent, a thread by its thread group leader, and the
 * container's init by the caller of restart(2), as pid 1 of a new pid
 * namespace.  So each restored task waits in the kernel
 * (ckpt_new_task_main()) and does what the caller asks of it: create a
 * child, build its own address space from the stream, set the rest of its
 * state, then run, or die without having run.  One request at a time, for
 * one task at a time: the caller posts it and waits until it is done, so
 * the context never has two users.
 *
 * Process groups and sessions are set once every task exists; then the
 * tasks set their own state, one after the other, in image order; then
 * all of them run.  If anything fails, all of them die instead, and the
 * caller reaps the init, whose exit takes the rest of its pid namespace
 * with it: a failed restart leaves no task behind.
 */
#include <linux/cgroup.h>
#include <linux/checkpoint.h>
#include <linux/completion.h>
#include <linux/fdtable.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/sched/task_stack.h>
#include <linux/slab.h>
#include <linux/syscalls.h>
#include <linux/task_work.h>
#include <uapi/linux/wait.h>

static int ckpt_new_task_main(void *arg);

struct ckpt_new_task *ckpt_new_task_find(struct ckpt_ctx *ctx, pid_t pid)
{
	return pid > 0 ? xa_load(&ctx->new_task_by_pid, pid) : NULL;
}

/*
 * ckpt_tree_add - note the task of record @rec, after checking that it
 * comes where it may: the container's init first, a process after its
 * parent (a live process), a thread after its leader, no pid twice.
 */
int ckpt_tree_add(struct ckpt_ctx *ctx, const struct ckpt_hdr_task *rec,
		  struct ckpt_new_task **ntp)
{
	bool first = list_empty(&ctx->new_tasks);
	struct ckpt_new_task *nt, *creator = NULL;
	int ret;

	/*
	 * The root of the tree first: a process with no parent in the image.
	 * Only the init of a pid namespace can be given its pid back (as pid
	 * 1 of a new one); a dry run checks the image of any tree.
	 */
	if (first && (rec->pid != rec->tgid || rec->ppid ||
		      (rec->flags & CKPT_TASK_ZOMBIE))) {
		ckpt_log(ctx, "task %d: the first task must be the root of the tree, a live process",
			 rec->pid);
		return -EBADMSG;
	}
	if (first && rec->pid != 1 && ctx->restoring) {
		ckpt_log(ctx, "task %d is not the init of its pid namespace: only a container's init can get its pid back (not supported)",
			 rec->pid);
		return -EOPNOTSUPP;
	}
	if (!first) {
		pid_t by = rec->pid != rec->tgid ? rec->tgid : rec->ppid;

		creator = ckpt_new_task_find(ctx, by);
		if (!creator || creator->rec.pid != creator->rec.tgid ||
		    (creator->rec.flags & CKPT_TASK_ZOMBIE) ||
		    (rec->pid != rec->tgid && rec->ppid != creator->rec.ppid)) {
			ckpt_log(ctx, "task %d: its %s %d is not a live process before it in the image",
				 rec->pid, rec->pid != rec->tgid ?
				 "thread group leader" : "parent", by);
			return -EBADMSG;
		}
		/* A thread runs in its leader's address space, a process in its own. */
		if (rec->pid != rec->tgid ?
		    rec->mm_objref != creator->rec.mm_objref :
		    (!(rec->flags & CKPT_TASK_ZOMBIE) &&
		     ckpt_obj_known(ctx, rec->mm_objref, CKPT_OBJ_MM))) {
			ckpt_log(ctx, "task %d: shares an address space with another process, or a thread not its leader's (CLONE_VM without CLONE_THREAD is not supported)",
				 rec->pid);
			return -EOPNOTSUPP;
		}
	}

	nt = kzalloc(sizeof(*nt), GFP_KERNEL);
	if (!nt)
		return -ENOMEM;
	nt->ctx = ctx;
	nt->rec = *rec;
	init_completion(&nt->posted);
	init_completion(&nt->done);
	if (!(rec->flags & CKPT_TASK_ZOMBIE)) {
		nt->rst = kzalloc(sizeof(*nt->rst), GFP_KERNEL);
		if (!nt->rst) {
			kfree(nt);
			return -ENOMEM;
		}
		nt->rst->thread = rec->pid != rec->tgid;
		nt->rst->process = creator && nt->rst->thread ? creator->rst :
								 nt->rst;
	}
	ret = xa_insert(&ctx->new_task_by_pid, rec->pid, nt, GFP_KERNEL);
	if (ret) {
		if (ret == -EBUSY) {
			ckpt_log(ctx, "task %d: twice in the image", rec->pid);
			ret = -EBADMSG;
		}
		kfree(nt->rst);
		kfree(nt);
		return ret;
	}
	list_add_tail(&nt->list, &ctx->new_tasks);
	/*
	 * A dry run keeps only what later records are checked against: the
	 * state of the first task of the process whose threads come next.
	 */
	if (!ctx->restoring) {
		struct ckpt_new_task *keep = nt->rst && nt->rst->thread ?
					     creator : nt;

		if (ctx->cur && ctx->cur != keep) {
			ckpt_rst_task_free(ctx->cur->rst);
			ctx->cur->rst = NULL;
		}
		if (ctx->dry_leader && ctx->dry_leader != keep) {
			ckpt_rst_task_free(ctx->dry_leader->rst);
			ctx->dry_leader->rst = NULL;
		}
		ctx->dry_leader = keep;
	}
	*ntp = nt;
	return 0;
}

/* The task work that gives a restored task its ax back. */
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
 * A stopped process stays stopped: its tasks enter the group stop on
 * their way to user mode, as if it had been stopped and never continued,
 * without telling the parent again (SIGNAL_STOP_STOPPED is set already).
 */
static void ckpt_restore_stop(struct ckpt_new_task *nt)
{
	struct task_struct *me = current;
	struct signal_struct *sig = me->signal;

	spin_lock_irq(&me->sighand->siglock);
	if (!nt->rst->thread) {
		signal_set_stop_flags(sig, SIGNAL_STOP_STOPPED);
		sig->group_stop_count = 0;
		sig->group_exit_code = nt->rec.flags & CKPT_TASK_STOP_UNREPORTED ?
				       nt->rec.stop_signo : 0;
	}
	me->jobctl |= JOBCTL_STOP_PENDING | nt->rec.stop_signo;
	signal_wake_up(me, 0);
	spin_unlock_irq(&me->sighand->siglock);
}

/* How often a fork that a freezing of the cgroup interrupts is retried */
#define CKPT_CLONE_TRIES	10

/*
 * fork refuses to go on while a signal is pending (copy_process()): a
 * restored task blocks them all until it runs, but one born into a frozen
 * cgroup has the freezer's trap pending too.  That is lifted for the fork
 * and set again if the cgroup is still freezing, as cgroup_post_fork()
 * sets it for a new task (and under the same locks as the freezer).
 */
static pid_t ckpt_kernel_clone(struct kernel_clone_args *args)
{
	struct task_struct *me = current;
	unsigned int tries = 0;
	bool trap;
	pid_t nr;

	do {
		spin_lock_irq(&me->sighand->siglock);
		trap = me->jobctl & JOBCTL_TRAP_FREEZE;
		me->jobctl &= ~JOBCTL_TRAP_FREEZE;
		recalc_sigpending();
		spin_unlock_irq(&me->sighand->siglock);

		nr = kernel_clone(args);

		if (trap) {
			spin_lock_irq(&css_set_lock);
			if (test_bit(CGRP_FREEZE, &task_dfl_cgroup(me)->flags)) {
				spin_lock(&me->sighand->siglock);
				me->jobctl |= JOBCTL_TRAP_FREEZE;
				signal_wake_up(me, false);
				spin_unlock(&me->sighand->siglock);
			}
			spin_unlock_irq(&css_set_lock);
		}
	} while (nr == -ERESTARTNOINTR && !fatal_signal_pending(me) &&
		 ++tries < CKPT_CLONE_TRIES);
	return nr;
}

/* In a restored task: create the task the caller asked for. */
static int ckpt_clone_new_task(struct ckpt_new_task *parent,
			       struct ckpt_new_task *nt)
{
	pid_t set_tid = nt->rec.pid;
	struct kernel_clone_args args = {
		/*
		 * Its own fd table and fs_struct, copies of this task's
		 * empty ones: it sets or shares them when it applies its
		 * state.  It runs in this mm until it builds its own.
		 */
		.flags = CLONE_VM | CLONE_UNTRACED,
		.exit_signal = nt->rec.exit_signal,
		.fn = ckpt_new_task_main,
		.fn_arg = nt,
		.set_tid = &set_tid,
		.set_tid_size = 1,
	};
	pid_t nr;

	if (nt->rec.pid != nt->rec.tgid) {
		/* (and SEM_UNDO adjustments, as pthread_create() does) */
		args.flags |= CLONE_THREAD | CLONE_SIGHAND | CLONE_SYSVSEM;
		args.exit_signal = 0;
	}
	nr = ckpt_kernel_clone(&args);
	return nr < 0 ? nr : 0;
}

/*
 * What a restored task does first: drop what it inherited, and block
 * every signal until it sets its own mask (the SIGCHLD of a child
 * restored as a zombie, say, which would stop it from forking).
 */
static void ckpt_new_task_setup(struct ckpt_new_task *nt)
{
	sigset_t all;

	__close_range(0, ~0U, 0);
	if (!(nt->rec.flags & CKPT_TASK_ZOMBIE) && !nt->rst->thread)
		flush_signal_handlers(current, 1);
	sigfillset(&all);
	sigdelsetmask(&all, sigmask(SIGKILL) | sigmask(SIGSTOP));
	set_current_blocked(&all);
	set_task_comm(current, nt->rec.comm);
	current->personality = nt->rec.personality;
}

/*
 * The restored task starts here, in the kernel, in the address space of
 * the task that created it, and does what the caller asks (see the top of
 * this file).  A zombie only exits, with its status.  Then it goes to user
 * mode, or dies there without running a single instruction.  Completing
 * @done after a request to run or die is its last use of @nt and the
 * context, which the caller then frees.
 */
static int ckpt_new_task_main(void *arg)
{
	struct ckpt_new_task *nt = arg;
	struct ckpt_ctx *ctx = nt->ctx;
	struct ckpt_ax_fixup *fix = NULL;
	int ret = 0;

	nt->task = get_task_struct(current);	/* before its first @done */
	ckpt_new_task_setup(nt);
	if (nt->rec.flags & CKPT_TASK_ZOMBIE) {
		int code = nt->rec.exit_code;

		complete(&nt->done);
		do_exit(code);
	}
	fix = kzalloc(sizeof(*fix), GFP_KERNEL);
	nt->ret = fix ? 0 : -ENOMEM;
	complete(&nt->done);

	for (;;) {
		/* Not a hung task: the caller may be waiting on a slow stream. */
		wait_for_completion_state(&nt->posted, TASK_IDLE);
		switch (nt->req) {
		case CKPT_REQ_BUILD_MM:
			ctx->child_reads = true;
			ret = ckpt_restore_mm(ctx);
			ctx->child_reads = false;
			break;
		case CKPT_REQ_CLONE:
			ret = ckpt_clone_new_task(nt, nt->req_child);
			break;
		case CKPT_REQ_APPLY:
			ret = ckpt_restore_apply(ctx, nt);
			break;
		case CKPT_REQ_RUN:
			fix->ax = nt->ax;
			init_task_work(&fix->work, ckpt_fix_ax);
			if (task_work_add(current, &fix->work, TWA_SIGNAL)) {
				kfree(fix);
				force_sig(SIGKILL);
			} else if (nt->rec.flags & CKPT_TASK_STOPPED) {
				ckpt_restore_stop(nt);
			}
			complete(&nt->done);
			return 0;
		default:
			kfree(fix);
			force_sig(SIGKILL);
			complete(&nt->done);
			return 0;
		}
		nt->ret = ret;
		complete(&nt->done);
	}
}

/*
 * Wait for @nt to be done with what it was asked.  A fatal signal to the
 * caller interrupts it (its reading of the stream, say) with SIGKILL,
 * which makes the whole restart fail.
 */
static int ckpt_wait_done(struct ckpt_new_task *nt)
{
	if (wait_for_completion_killable(&nt->done)) {
		/* One that has not started yet will, at once. */
		if (nt->task)
			send_sig(SIGKILL, nt->task, 1);
		wait_for_completion(&nt->done);
		return -EINTR;
	}
	return nt->ret;
}

static int ckpt_request(struct ckpt_new_task *nt, enum ckpt_request req)
{
	nt->req = req;
	complete(&nt->posted);
	return ckpt_wait_done(nt);
}

/*
 * The container's init, created by the caller as pid 1 of a new pid
 * namespace (and in the cgroup asked for), sharing the caller's mm until
 * it builds its own.
 */
static int ckpt_create_init(struct ckpt_ctx *ctx, struct ckpt_new_task *nt)
{
	struct kernel_clone_args args = {
		.flags = CLONE_VM | CLONE_UNTRACED | CLONE_NEWPID |
			 ckpt_namespaces_clone_flags(ctx),
		.exit_signal = SIGCHLD,
		.fn = ckpt_new_task_main,
		.fn_arg = nt,
	};
	pid_t nr;
	int ret;

	if (ctx->flags & RESTART_INTO_CGROUP) {
		args.flags |= CLONE_INTO_CGROUP;
		args.cgroup = ctx->cgroup_fd;
	}
	nr = kernel_clone(&args);
	if (nr < 0) {
		ckpt_log(ctx, "cannot create the container's init in new pid%s%s namespaces (error %d)",
			 args.flags & CLONE_NEWUTS ? ", UTS" : "",
			 args.flags & CLONE_NEWIPC ? ", IPC" : "", nr);
		return nr;
	}
	nt->host_pid = nr;
	ret = ckpt_wait_done(nt);
	if (!ret)
		ckpt_restore_uts(ctx, nt->task);
	return ret;
}

/*
 * ckpt_tree_create - create the task of @nt, which has just been read:
 * by the caller for the init, else by its parent or thread group leader.
 * A task whose records start with its address space (the order of
 * version 3) was created when that came.
 */
int ckpt_tree_create(struct ckpt_ctx *ctx, struct ckpt_new_task *nt)
{
	struct ckpt_new_task *creator;
	int ret;

	if (nt->rec.pid == 1) {
		if (ctx->early_init) {
			struct ckpt_new_task *early = ctx->early_init;

			ctx->early_init = NULL;
			/* The init created early takes this record's place. */
			early->rec = nt->rec;
			ckpt_rst_task_free(early->rst);
			early->rst = nt->rst;
			list_replace(&nt->list, &early->list);
			xa_store(&ctx->new_task_by_pid, 1, early, GFP_KERNEL);
			kfree(nt);
			ctx->cur = early;
			set_task_comm(early->task, early->rec.comm);
			early->task->personality = early->rec.personality;
			return 0;
		}
		return ckpt_create_init(ctx, nt);
	}
	creator = ckpt_new_task_find(ctx, nt->rec.pid != nt->rec.tgid ?
					  nt->rec.tgid : nt->rec.ppid);
	creator->req_child = nt;
	ret = ckpt_request(creator, CKPT_REQ_CLONE);
	creator->req_child = NULL;
	if (ret) {
		ckpt_log(ctx, "task %d: cannot create it (error %d)",
			 nt->rec.pid, ret);
		return ret;
	}
	/* Its first @done: it has started. */
	ret = ckpt_wait_done(nt);
	if (ret)
		ckpt_log(ctx, "task %d: cannot start it (error %d)",
			 nt->rec.pid, ret);
	return ret;
}

/*
 * ckpt_tree_early_init - the container's init, created before its task
 * record comes (which then takes its place, ckpt_tree_create()): for an
 * address space read first (the order of version 3), or for the SysV IPC
 * objects that go into its new IPC namespace (ipc.c).  Created once.
 */
int ckpt_tree_early_init(struct ckpt_ctx *ctx, struct task_struct **init)
{
	struct ckpt_new_task *nt = ctx->early_init;
	int ret;

	if (nt) {
		*init = nt->task;
		return 0;
	}
	nt = kzalloc(sizeof(*nt), GFP_KERNEL);
	if (!nt)
		return -ENOMEM;
	nt->ctx = ctx;
	nt->rec.pid = 1;
	nt->rec.tgid = 1;
	init_completion(&nt->posted);
	init_completion(&nt->done);
	/* Owned by the context until its task record comes. */
	INIT_LIST_HEAD(&nt->list);
	ctx->early_init = nt;
	strscpy(nt->rec.comm, "init", sizeof(nt->rec.comm));
	nt->rst = kzalloc(sizeof(*nt->rst), GFP_KERNEL);
	if (!nt->rst)
		return -ENOMEM;
	ret = ckpt_create_init(ctx, nt);
	*init = nt->task;
	return ret;
}

/*
 * ckpt_tree_build_mm - after an mm record: the task it belongs to builds
 * it from the stream.  That is the task just read (version 4), or, if no
 * task came before (the order of version 3), the container's init, which
 * is created for it now and gets its task record after.
 */
int ckpt_tree_build_mm(struct ckpt_ctx *ctx)
{
	struct ckpt_new_task *nt = ctx->cur;
	struct task_struct *init;
	int ret;

	if (!nt) {
		ret = ckpt_tree_early_init(ctx, &init);
		if (ret)
			return ret;
		nt = ctx->early_init;
	}
	ret = ckpt_request(nt, CKPT_REQ_BUILD_MM);
	kfree(ctx->rst_mm);
	ctx->rst_mm = NULL;
	return ret;
}

/*
 * ckpt_tree_check - once every task is read: process groups and sessions
 * as POSIX has them.  A group's processes are all in one session; a
 * process whose pid is that of a group or session in the image is in
 * that session, and is not a thread.
 */
int ckpt_tree_check(struct ckpt_ctx *ctx)
{
	struct ckpt_new_task *nt, *leader;
	struct ckpt_timer_target *tt;

	/* A timer that signals a thread signals one of its process. */
	list_for_each_entry(tt, &ctx->timer_targets, list) {
		nt = ckpt_new_task_find(ctx, tt->tid);
		if (!nt || nt->rec.tgid != tt->tgid ||
		    (nt->rec.flags & CKPT_TASK_ZOMBIE)) {
			ckpt_log(ctx, "POSIX timer %d of process %d: signals task %d, not a thread of the process",
				 tt->id, tt->tgid, tt->tid);
			return -EBADMSG;
		}
	}

	list_for_each_entry(nt, &ctx->new_tasks, list) {
		pid_t ids[2] = { nt->rec.pgid, nt->rec.sid };
		unsigned int i;

		if (nt->rec.pid != nt->rec.tgid)
			continue;
		for (i = 0; i < 2; i++) {
			if (!ids[i])
				continue;
			leader = ckpt_new_task_find(ctx, ids[i]);
			if (leader && (leader->rec.pid != leader->rec.tgid ||
				       leader->rec.sid != nt->rec.sid))
				goto bad;
		}
		/* Another member of the group, if any, in the same session. */
		list_for_each_entry(leader, &ctx->new_tasks, list) {
			if (leader == nt)
				break;
			if (leader->rec.pid == leader->rec.tgid &&
			    nt->rec.pgid && leader->rec.pgid == nt->rec.pgid &&
			    leader->rec.sid != nt->rec.sid)
				goto bad;
		}
	}
	return 0;
bad:
	ckpt_log(ctx, "task %d: process group %d and session %d do not match the other tasks'",
		 nt->rec.pid, nt->rec.pgid, nt->rec.sid);
	return -EBADMSG;
}

/*
 * The struct pid of group or session @nr of the restored namespace: the
 * pid of a task if it has one, else a new one made for it (the leader of
 * the group has exited); 0 is the one of the init (outside).  A found pid
 * comes with a reference to put; a made one has only the reference that
 * its tasks share, and must be attached at once, or freed.
 */
static struct pid *ckpt_group_pid(struct pid_namespace *ns, pid_t nr,
				  struct pid *outside, bool *made)
{
	struct pid *pid;

	*made = false;
	if (!nr)
		return get_pid(outside);
	rcu_read_lock();
	pid = get_pid(find_pid_ns(nr, ns));
	rcu_read_unlock();
	if (pid)
		return pid;
	pid = alloc_pid(ns, &nr, 1);
	if (!IS_ERR(pid))
		*made = true;
	return pid;
}

static int ckpt_set_group(struct ckpt_ctx *ctx, struct ckpt_new_task *nt,
			  struct pid_namespace *ns, struct pid *out_pgrp,
			  struct pid *out_session)
{
	struct task_struct *t = nt->task;
	struct pid *pgrp, *session;
	bool pgrp_made, session_made;

	session = ckpt_group_pid(ns, nt->rec.sid, out_session, &session_made);
	if (IS_ERR(session))
		goto fail;
	pgrp = nt->rec.pgid == nt->rec.sid && nt->rec.sid ?
	       get_pid(session) : ckpt_group_pid(ns, nt->rec.pgid, out_pgrp,
						  &pgrp_made);
	if (nt->rec.pgid == nt->rec.sid && nt->rec.sid)
		pgrp_made = false;
	if (IS_ERR(pgrp)) {
		if (session_made)
			free_pid(session);
		else
			put_pid(session);
		session = pgrp;
		goto fail;
	}
	write_lock_irq(&tasklist_lock);
	if (task_session(t) != session)
		change_pid(t, PIDTYPE_SID, session);
	if (task_pgrp(t) != pgrp)
		change_pid(t, PIDTYPE_PGID, pgrp);
	t->signal->leader = nt->rec.sid && nt->rec.sid == nt->rec.pid;
	write_unlock_irq(&tasklist_lock);
	if (!session_made)
		put_pid(session);
	if (!pgrp_made)
		put_pid(pgrp);
	return 0;
fail:
	ckpt_log(ctx, "task %d: cannot make its process group %d or session %d (error %ld)",
		 nt->rec.pid, nt->rec.pgid, nt->rec.sid, PTR_ERR(session));
	return PTR_ERR(session);
}

/*
 * Process groups and sessions, once every process exists (a group may be
 * led by a process later in the image).  Zombies too: a group lives on
 * while a zombie is in it.
 */
static int ckpt_restore_groups(struct ckpt_ctx *ctx)
{
	struct ckpt_new_task *init, *nt;
	struct pid *out_pgrp, *out_session;
	struct pid_namespace *ns;
	int ret = 0;

	init = list_first_entry(&ctx->new_tasks, struct ckpt_new_task, list);
	ns = task_active_pid_ns(init->task);
	rcu_read_lock();
	out_pgrp = get_pid(task_pgrp(init->task));
	out_session = get_pid(task_session(init->task));
	rcu_read_unlock();
	list_for_each_entry(nt, &ctx->new_tasks, list) {
		if (nt->rec.pid != nt->rec.tgid)
			continue;
		ret = ckpt_set_group(ctx, nt, ns, out_pgrp, out_session);
		if (ret)
			break;
	}
	put_pid(out_pgrp);
	put_pid(out_session);
	return ret;
}

/*
 * Wait until each zombie has exited: its SIGCHLD then is in its parent's
 * pending signals, which the parent replaces by its saved ones when it
 * applies its state.
 */
static int ckpt_wait_zombies(struct ckpt_ctx *ctx)
{
	struct ckpt_new_task *nt, *parent;

	list_for_each_entry(nt, &ctx->new_tasks, list) {
		if (!(nt->rec.flags & CKPT_TASK_ZOMBIE))
			continue;
		parent = ckpt_new_task_find(ctx, nt->rec.ppid);
		if (wait_event_killable(parent->task->signal->wait_chldexit,
					READ_ONCE(nt->task->exit_state)))
			return -EINTR;
	}
	return 0;
}

/*
 * ckpt_tree_release - after the whole image has been read: if @run, set
 * the groups, let each task apply its state, then let them all run; on
 * any failure, or without @run, kill them all and reap the init.  Returns
 * how that went.
 */
int ckpt_tree_release(struct ckpt_ctx *ctx, bool run)
{
	struct ckpt_new_task *nt, *init;
	int ret = 0;

	/* An init created for an mm whose task record never came */
	if (ctx->early_init) {
		list_add(&ctx->early_init->list, &ctx->new_tasks);
		ctx->early_init = NULL;
		run = false;
	}
	if (list_empty(&ctx->new_tasks))
		return 0;
	init = list_first_entry(&ctx->new_tasks, struct ckpt_new_task, list);
	if (!init->task)
		run = false;
	if (run)
		ret = ckpt_wait_zombies(ctx);
	if (run && !ret)
		ret = ckpt_restore_groups(ctx);
	list_for_each_entry(nt, &ctx->new_tasks, list) {
		if (!run || ret)
			break;
		if (nt->rec.flags & CKPT_TASK_ZOMBIE)
			continue;
		ret = ckpt_request(nt, CKPT_REQ_APPLY);
	}
	run = run && !ret;
	/* Run or die: tell every task that waits for it. */
	list_for_each_entry(nt, &ctx->new_tasks, list) {
		if (!nt->task || (nt->rec.flags & CKPT_TASK_ZOMBIE))
			continue;
		nt->req = run ? CKPT_REQ_RUN : CKPT_REQ_DIE;
		complete(&nt->posted);
		wait_for_completion(&nt->done);
		nt->gone = true;
	}
	if (!run && init->task)
		kernel_wait4(init->host_pid, NULL, __WALL, NULL);
	return ret;
}

void ckpt_tree_free(struct ckpt_ctx *ctx)
{
	struct ckpt_timer_target *tt, *tt_tmp;
	struct ckpt_new_task *nt, *tmp;

	list_for_each_entry_safe(tt, tt_tmp, &ctx->timer_targets, list) {
		list_del(&tt->list);
		kfree(tt);
	}

	if (ctx->early_init) {
		list_add(&ctx->early_init->list, &ctx->new_tasks);
		ctx->early_init = NULL;
	}
	list_for_each_entry_safe(nt, tmp, &ctx->new_tasks, list) {
		list_del(&nt->list);
		if (nt->task)
			put_task_struct(nt->task);
		ckpt_rst_task_free(nt->rst);
		kfree(nt);
	}
	xa_destroy(&ctx->new_task_by_pid);
	ctx->cur = NULL;
	ctx->rst = NULL;
}
