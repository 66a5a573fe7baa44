// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart: the namespaces of the container.
 *
 * The pid namespace is the container's own by definition (restart makes a
 * new one).  Of the others, the UTS namespace (hostname, domainname) and
 * the IPC namespace are saved as whether the container has its own, and
 * the names: restart makes new ones for the restored tree.  The SysV IPC
 * objects of its own IPC namespace follow the record (ipc.c).  The
 * mount, network, user, cgroup and time namespaces are the restarter's
 * business.
 */
#include <linux/checkpoint.h>
#include <linux/ipc_namespace.h>
#include <linux/nsproxy.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/pid.h>
#include <linux/string.h>
#include <linux/utsname.h>

/* @t's UTS and IPC namespaces, with references; false if it has none. */
static bool ckpt_task_ns(struct task_struct *t, struct uts_namespace **uts,
			 struct ipc_namespace **ipc)
{
	struct nsproxy *ns;

	task_lock(t);
	ns = t->nsproxy;
	if (ns) {
		*uts = ns->uts_ns;
		get_uts_ns(*uts);
		*ipc = get_ipc_ns(ns->ipc_ns);
	}
	task_unlock(t);
	return ns;
}

/*
 * ckpt_write_namespaces - right after the header: which namespaces are
 * the container's own, after checking that every live task in scope is in
 * those of the root; then the objects of its own IPC namespace.
 */
int ckpt_write_namespaces(struct ckpt_ctx *ctx)
{
	struct ckpt_hdr_namespaces rec = { };
	struct uts_namespace *uts, *t_uts;
	struct ipc_namespace *ipc, *t_ipc;
	unsigned int i;
	int ret = 0;

	if (!ckpt_task_ns(ctx->root, &uts, &ipc)) {
		ckpt_log(ctx, "task %d: exiting", task_pid_vnr(ctx->root));
		return -EBUSY;
	}
	for (i = 0; i < ctx->nr_tasks && !ret; i++) {
		if (!ckpt_task_ns(ctx->tasks[i], &t_uts, &t_ipc))
			continue;	/* a zombie */
		if (t_uts != uts || t_ipc != ipc) {
			ckpt_log(ctx, "task %d (%s): in another UTS or IPC namespace than the container's init: not supported",
				 task_pid_vnr(ctx->tasks[i]),
				 ctx->tasks[i]->comm);
			ret = -EOPNOTSUPP;
		}
		put_uts_ns(t_uts);
		put_ipc_ns(t_ipc);
	}
	if (ret)
		goto out;

	if (uts != current->nsproxy->uts_ns) {
		rec.flags |= CKPT_NS_UTS;
		down_read(&uts_sem);
		strscpy_pad(rec.hostname, uts->name.nodename);
		strscpy_pad(rec.domainname, uts->name.domainname);
		up_read(&uts_sem);
	}
	if (ipc != current->nsproxy->ipc_ns)
		rec.flags |= CKPT_NS_IPC;
	ret = ckpt_write_record(ctx, CKPT_HDR_NAMESPACES, &rec, sizeof(rec));
	if (!ret && (rec.flags & CKPT_NS_IPC))
		ret = ckpt_write_ipc(ctx, ipc);
out:
	put_uts_ns(uts);
	put_ipc_ns(ipc);
	return ret;
}

/* A name of the record: NUL-terminated, zero after the NUL. */
static bool ckpt_uts_name_ok(const char *name, bool used)
{
	size_t len = strnlen(name, CKPT_UTS_LEN);

	if (len == CKPT_UTS_LEN || (!used && len))
		return false;
	return !memchr_inv(name + len, 0, CKPT_UTS_LEN - len);
}

int ckpt_read_namespaces(struct ckpt_ctx *ctx, const struct ckpt_hdr *h)
{
	struct ckpt_hdr_namespaces *rec = &ctx->namespaces;
	bool uts;
	int ret;

	ret = ckpt_read_payload(ctx, h, rec, sizeof(*rec));
	if (ret)
		return ret;
	uts = rec->flags & CKPT_NS_UTS;
	if ((rec->flags & ~CKPT_NS_FLAGS_ALL) || rec->reserved ||
	    memchr_inv(rec->pad, 0, sizeof(rec->pad)) ||
	    !ckpt_uts_name_ok(rec->hostname, uts) ||
	    !ckpt_uts_name_ok(rec->domainname, uts)) {
		ckpt_log(ctx, "namespaces: bad flags, names or padding");
		return -EBADMSG;
	}
	ctx->expect = 0;
	return 0;
}

/* The clone flags that give the restored init its new namespaces. */
u64 ckpt_namespaces_clone_flags(struct ckpt_ctx *ctx)
{
	u64 flags = 0;

	if (ctx->namespaces.flags & CKPT_NS_UTS)
		flags |= CLONE_NEWUTS;
	if (ctx->namespaces.flags & CKPT_NS_IPC)
		flags |= CLONE_NEWIPC;
	return flags;
}

/*
 * ckpt_restore_uts - the names of the new UTS namespace of the restored
 * init @t, set before it or any task in it runs (as sethostname(2) and
 * setdomainname(2) would, under uts_sem).
 */
void ckpt_restore_uts(struct ckpt_ctx *ctx, struct task_struct *t)
{
	struct uts_namespace *uts;
	struct ipc_namespace *ipc;

	if (!(ctx->namespaces.flags & CKPT_NS_UTS) ||
	    !ckpt_task_ns(t, &uts, &ipc))
		return;
	down_write(&uts_sem);
	strscpy_pad(uts->name.nodename, ctx->namespaces.hostname);
	strscpy_pad(uts->name.domainname, ctx->namespaces.domainname);
	up_write(&uts_sem);
	put_uts_ns(uts);
	put_ipc_ns(ipc);
}
