// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * What EPERM from checkpoint(2) or restart(2) means for this process.
 *
 * The kernel's reason names the check that failed; this adds what the caller
 * can change: its capabilities, as libcap reads them.  A process with
 * neither capability needs one; one with a capability was refused for
 * something else (see Documentation/checkpoint/security.rst).
 */
#include <sys/capability.h>

#include "ckpt.h"

static int has_effective(cap_t caps, cap_value_t cap)
{
	cap_flag_value_t value = CAP_CLEAR;

	return !cap_get_flag(caps, cap, CAP_EFFECTIVE, &value) &&
	       value == CAP_SET;
}

const char *ckpt_perm_hint(int restart)
{
	cap_t caps = cap_get_proc();
	int capable;

	if (!caps)
		return NULL;
	capable = has_effective(caps, CAP_CHECKPOINT_RESTORE) ||
		  has_effective(caps, CAP_SYS_ADMIN);
	cap_free(caps);
	if (!capable)
		return "needs CAP_CHECKPOINT_RESTORE (or CAP_SYS_ADMIN)";
	if (restart)
		return "has CAP_CHECKPOINT_RESTORE or CAP_SYS_ADMIN, but the image asks for more than it may grant";
	/*
	 * The capability counts in the user namespace that owns the target's
	 * pid namespace, which may not be ours; ptrace access is per task.
	 */
	return "has CAP_CHECKPOINT_RESTORE or CAP_SYS_ADMIN, so it needs ptrace access to every task of the container, or the capability in the user namespace of its pid namespace";
}
