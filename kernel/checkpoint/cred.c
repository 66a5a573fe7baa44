// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart: credentials.
 *
 * Ids are saved as the caller of checkpoint(2) sees them (its user
 * namespace), and mapped back through the user namespace of the caller of
 * restart(2).  Restart never grants more than its caller holds: ids and
 * capabilities the caller could not give itself (setresuid(2), capset(2),
 * setgroups(2), PR_CAPBSET_DROP) are refused with EPERM.
 */
#include <linux/checkpoint.h>
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/securebits.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/user.h>
#include <linux/slab.h>
#include <linux/uidgid.h>
#include <linux/user_namespace.h>

static u64 ckpt_cap_u64(kernel_cap_t cap)
{
	return cap.val;
}

int ckpt_write_cred(struct ckpt_ctx *ctx, struct task_struct *t)
{
	struct user_namespace *ns = current_user_ns();
	struct ckpt_hdr_cred *rec;
	const struct cred *cred;
	unsigned int i, nr;
	size_t len;
	u32 *groups;
	int ret;

	cred = get_task_cred(t);
	nr = cred->group_info->ngroups;
	len = sizeof(*rec) + ALIGN(nr * sizeof(u32), CKPT_RECORD_ALIGN);
	rec = kvzalloc(len, GFP_KERNEL);
	if (!rec) {
		put_cred(cred);
		return -ENOMEM;
	}
	/* (u32)-1 where the caller's namespace does not map an id */
	rec->uid = from_kuid(ns, cred->uid);
	rec->euid = from_kuid(ns, cred->euid);
	rec->suid = from_kuid(ns, cred->suid);
	rec->fsuid = from_kuid(ns, cred->fsuid);
	rec->gid = from_kgid(ns, cred->gid);
	rec->egid = from_kgid(ns, cred->egid);
	rec->sgid = from_kgid(ns, cred->sgid);
	rec->fsgid = from_kgid(ns, cred->fsgid);
	rec->cap_inheritable = ckpt_cap_u64(cred->cap_inheritable);
	rec->cap_permitted = ckpt_cap_u64(cred->cap_permitted);
	rec->cap_effective = ckpt_cap_u64(cred->cap_effective);
	rec->cap_bset = ckpt_cap_u64(cred->cap_bset);
	rec->cap_ambient = ckpt_cap_u64(cred->cap_ambient);
	rec->securebits = cred->securebits;
	rec->nr_groups = nr;
	groups = (u32 *)(rec + 1);
	for (i = 0; i < nr; i++)
		groups[i] = from_kgid(ns, cred->group_info->gid[i]);
	put_cred(cred);
	ret = 0;
	if (rec->uid == (u32)-1 || rec->euid == (u32)-1 ||
	    rec->suid == (u32)-1 || rec->fsuid == (u32)-1 ||
	    rec->gid == (u32)-1 || rec->egid == (u32)-1 ||
	    rec->sgid == (u32)-1 || rec->fsgid == (u32)-1)
		ret = -EOPNOTSUPP;
	for (i = 0; i < nr; i++)
		if (groups[i] == (u32)-1)
			ret = -EOPNOTSUPP;
	if (ret)
		ckpt_log(ctx, "task %d: credentials that the caller's user namespace does not map",
			 task_pid_vnr(t));
	else
		ret = ckpt_write_record(ctx, CKPT_HDR_CRED, rec, len);
	kvfree(rec);
	return ret;
}

/* Whether the caller may take uid @uid: one it has, or CAP_SETUID. */
/* Whether the caller of restart could give itself (or an object) @uid */
bool ckpt_cred_uid_ok(const struct cred *old, kuid_t uid)
{
	return uid_eq(uid, old->uid) || uid_eq(uid, old->euid) ||
	       uid_eq(uid, old->suid) ||
	       ns_capable(old->user_ns, CAP_SETUID);
}

bool ckpt_cred_gid_ok(const struct cred *old, kgid_t gid)
{
	return gid_eq(gid, old->gid) || gid_eq(gid, old->egid) ||
	       gid_eq(gid, old->sgid) ||
	       ns_capable(old->user_ns, CAP_SETGID);
}

static bool ckpt_cap_subset(u64 a, kernel_cap_t b)
{
	return !(a & ~b.val);
}

/*
 * Whether the caller could set these capabilities on itself: none it has
 * not got (capset(2)), a bounding set it could have dropped to, ambient
 * capabilities within permitted and inheritable.
 */
static const char *ckpt_caps_refused(const struct cred *old,
				     const struct ckpt_hdr_cred *rec)
{
	bool setpcap = ns_capable(old->user_ns, CAP_SETPCAP);

	if (!ckpt_cap_subset(rec->cap_permitted, old->cap_permitted))
		return "permitted capabilities the caller has not got";
	if (!setpcap && !ckpt_cap_subset(rec->cap_inheritable,
					 cap_combine(old->cap_inheritable,
						     old->cap_permitted)))
		return "inheritable capabilities the caller has not got";
	if (!ckpt_cap_subset(rec->cap_inheritable,
			     cap_combine(old->cap_inheritable, old->cap_bset)))
		return "inheritable capabilities out of the bounding set";
	if (!ckpt_cap_subset(rec->cap_bset, old->cap_bset))
		return "a bounding set larger than the caller's";
	if (rec->securebits != old->securebits && !setpcap)
		return "securebits other than the caller's, without CAP_SETPCAP";
	return NULL;
}

int ckpt_read_cred(struct ckpt_ctx *ctx, const struct ckpt_hdr *h)
{
	const struct cred *old = current_cred();
	struct user_namespace *ns = current_user_ns();
	struct ckpt_rst_task *rst = ctx->rst;
	struct ckpt_hdr_cred rec;
	struct group_info *gi;
	const char *why = NULL;
	u32 pad, i, gid;
	int ret;

	ret = ckpt_read_begin(ctx, h, &rec, sizeof(rec),
			      sizeof(rec) + CKPT_GROUPS_MAX * sizeof(u32));
	if (ret)
		return ret;
	if (rec.nr_groups > CKPT_GROUPS_MAX ||
	    h->len < sizeof(rec) + (u64)rec.nr_groups * sizeof(u32) ||
	    (rec.cap_inheritable | rec.cap_permitted | rec.cap_effective |
	     rec.cap_bset | rec.cap_ambient) & ~CAP_VALID_MASK ||
	    rec.securebits & ~(SECURE_ALL_BITS | SECURE_ALL_LOCKS) ||
	    /* sets no task can have */
	    (rec.cap_effective & ~rec.cap_permitted) ||
	    (rec.cap_ambient & ~(rec.cap_permitted & rec.cap_inheritable))) {
		ckpt_log(ctx, "credentials: bad groups, capabilities or securebits");
		return -EBADMSG;
	}
	rst->uid = make_kuid(ns, rec.uid);
	rst->euid = make_kuid(ns, rec.euid);
	rst->suid = make_kuid(ns, rec.suid);
	rst->fsuid = make_kuid(ns, rec.fsuid);
	rst->gid = make_kgid(ns, rec.gid);
	rst->egid = make_kgid(ns, rec.egid);
	rst->sgid = make_kgid(ns, rec.sgid);
	rst->fsgid = make_kgid(ns, rec.fsgid);
	if (!uid_valid(rst->uid) || !uid_valid(rst->euid) ||
	    !uid_valid(rst->suid) || !uid_valid(rst->fsuid) ||
	    !gid_valid(rst->gid) || !gid_valid(rst->egid) ||
	    !gid_valid(rst->sgid) || !gid_valid(rst->fsgid)) {
		ckpt_log(ctx, "credentials: ids that the caller's user namespace does not map");
		return -EPERM;
	}
	if (!ckpt_cred_uid_ok(old, rst->uid) || !ckpt_cred_uid_ok(old, rst->euid) ||
	    !ckpt_cred_uid_ok(old, rst->suid) || !ckpt_cred_uid_ok(old, rst->fsuid))
		why = "user ids the caller could not take (no CAP_SETUID)";
	else if (!ckpt_cred_gid_ok(old, rst->gid) || !ckpt_cred_gid_ok(old, rst->egid) ||
		 !ckpt_cred_gid_ok(old, rst->sgid) || !ckpt_cred_gid_ok(old, rst->fsgid))
		why = "group ids the caller could not take (no CAP_SETGID)";
	else
		why = ckpt_caps_refused(old, &rec);
	if (why) {
		ckpt_log(ctx, "credentials: %s", why);
		return -EPERM;
	}
	rst->cap_inheritable.val = rec.cap_inheritable;
	rst->cap_permitted.val = rec.cap_permitted;
	rst->cap_effective.val = rec.cap_effective;
	rst->cap_bset.val = rec.cap_bset;
	rst->cap_ambient.val = rec.cap_ambient;
	rst->securebits = rec.securebits;

	gi = groups_alloc(rec.nr_groups);
	if (!gi)
		return -ENOMEM;
	rst->groups = gi;
	for (i = 0; i < rec.nr_groups; i++) {
		ret = ckpt_read_more(ctx, &gid, sizeof(gid));
		if (ret)
			return ret;
		gi->gid[i] = make_kgid(ns, gid);
		if (!gid_valid(gi->gid[i])) {
			ckpt_log(ctx, "credentials: a group the caller's user namespace does not map");
			return -EPERM;
		}
	}
	groups_sort(gi);
	/* Other groups than the caller's: as setgroups(2) would need. */
	if (!ns_capable(ns, CAP_SETGID)) {
		bool same = gi->ngroups == old->group_info->ngroups;

		for (i = 0; same && i < gi->ngroups; i++)
			same = gid_eq(gi->gid[i], old->group_info->gid[i]);
		if (!same) {
			ckpt_log(ctx, "credentials: supplementary groups other than the caller's need CAP_SETGID");
			return -EPERM;
		}
	}
	pad = ALIGN(rec.nr_groups * sizeof(u32), CKPT_RECORD_ALIGN) -
	      rec.nr_groups * sizeof(u32);
	if (pad && ckpt_read_more(ctx, NULL, pad))
		return -EBADMSG;
	ctx->expect = CKPT_HDR_FD_TABLE;
	return ckpt_read_end(ctx, h);
}

/*
 * In the restored task: take the saved credentials, last of all, since
 * dropping capabilities may forbid what the rest of restart does.
 */
int ckpt_restore_cred(struct ckpt_rst_task *rst)
{
	struct cred *new = prepare_creds();

	if (!new)
		return -ENOMEM;
	new->uid = rst->uid;
	new->euid = rst->euid;
	new->suid = rst->suid;
	new->fsuid = rst->fsuid;
	new->gid = rst->gid;
	new->egid = rst->egid;
	new->sgid = rst->sgid;
	new->fsgid = rst->fsgid;
	new->cap_inheritable = rst->cap_inheritable;
	new->cap_permitted = rst->cap_permitted;
	new->cap_effective = rst->cap_effective;
	new->cap_bset = rst->cap_bset;
	new->cap_ambient = rst->cap_ambient;
	new->securebits = rst->securebits;
	set_groups(new, rst->groups);
	/* As setresuid(2): the user's accounting follows the real uid. */
	if (!uid_eq(new->uid, current_uid())) {
		struct user_struct *user = alloc_uid(new->uid);

		if (!user) {
			abort_creds(new);
			return -ENOMEM;
		}
		free_uid(new->user);
		new->user = user;
	}
	if (set_cred_ucounts(new)) {
		abort_creds(new);
		return -ENOMEM;
	}
	return commit_creds(new);
}
