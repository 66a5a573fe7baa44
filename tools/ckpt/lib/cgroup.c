// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * cgroup v2: where containers live, and the freezer that checkpoint(2)
 * requires (kernel/checkpoint/task.c refuses a task that is not frozen, and
 * never freezes anything itself, so that the owner decides how long a
 * container stops).
 *
 * Everything goes through the cgroup files, as a shell script would do it
 * (Documentation/checkpoint/usage.rst): cgroup.freeze and cgroup.events for
 * the freezer, cgroup.kill and cgroup.procs to kill.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>

#include "ckpt.h"
#include "internal.h"

#define DEFAULT_CGROUP_ROOT	"/sys/fs/cgroup"

/*
 * The longest a wait sleeps before it reads cgroup.events again, in case a
 * change notification (POLLPRI) went missing: the events file is the truth.
 */
#define EVENTS_RECHECK_MS	100

int ckpt_valid_name(const char *name)
{
	size_t len = name ? strlen(name) : 0;

	/* A directory name and a hostname: nothing that is not both. */
	if (len == 0 || len > CKPT_NAME_MAX || name[0] == '.' ||
	    name[0] == '-')
		return 0;
	for (size_t i = 0; i < len; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '.' || c == '_' ||
		      c == '-'))
			return 0;
	}
	return 1;
}

/* snprintf into @buf, with ENAMETOOLONG rather than a cut path. */
__attribute__((format(printf, 3, 4)))
static int path_printf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= size) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

ssize_t ckpt_read_text(const char *dir, const char *file, char *buf,
		       size_t size)
{
	char path[PATH_MAX];
	size_t len = 0;
	ssize_t n;
	int fd, err;

	if (path_printf(path, sizeof(path), "%s/%s", dir, file))
		return -1;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while (len + 1 < size) {
		n = read(fd, buf + len, size - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = errno;
			close(fd);
			errno = err;
			return -1;
		}
		if (n == 0)
			break;
		len += n;
	}
	close(fd);
	buf[len] = '\0';
	return len;
}

int ckpt_write_text(const char *dir, const char *file, const char *text)
{
	size_t len = strlen(text);
	char path[PATH_MAX];
	ssize_t n;
	int fd, err;

	if (path_printf(path, sizeof(path), "%s/%s", dir, file))
		return -1;
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	/* cgroup files take a value in one write(), or refuse it */
	do
		n = write(fd, text, len);
	while (n < 0 && errno == EINTR);
	err = n < 0 ? errno : EIO;
	close(fd);
	if (n != (ssize_t)len) {
		errno = err;
		return -1;
	}
	return 0;
}

/* Decode the octal escapes (\040 for a space) of a mountinfo field. */
static void unescape_mountinfo(char *s)
{
	char *out = s;

	while (*s) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' &&
		    s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*out++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 +
					(s[3] - '0'));
			s += 4;
		} else {
			*out++ = *s++;
		}
	}
	*out = '\0';
}

/*
 * A cgroup2 mount of the whole hierarchy in a mountinfo line: "ID PARENT
 * MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTS".
 * A bind mount of a sub-group (ROOT not "/") would not match the paths in
 * /proc/PID/cgroup, so it does not count.
 */
static bool cgroup2_mount_point(char *line, char **mount_point)
{
	char *fields[5], *save = NULL, *tok, *sep;
	int i = 0;

	sep = strstr(line, " - ");
	if (!sep || strncmp(sep + 3, "cgroup2 ", 8))
		return false;
	*sep = '\0';
	for (tok = strtok_r(line, " ", &save); tok && i < 5;
	     tok = strtok_r(NULL, " ", &save))
		fields[i++] = tok;
	if (i < 5 || strcmp(fields[3], "/"))
		return false;
	unescape_mountinfo(fields[4]);
	*mount_point = fields[4];
	return true;
}

int ckpt_cgroup_root(char *buf, size_t size)
{
	struct statfs st;
	char *line = NULL, *mount_point;
	size_t cap = 0;
	bool found = false;
	FILE *f;
	int ret = -1;

	if (!statfs(DEFAULT_CGROUP_ROOT, &st) &&
	    st.f_type == CGROUP2_SUPER_MAGIC)
		return path_printf(buf, size, "%s", DEFAULT_CGROUP_ROOT);

	f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		return -1;
	while (!found && getline(&line, &cap, f) > 0) {
		line[strcspn(line, "\n")] = '\0';
		if (cgroup2_mount_point(line, &mount_point)) {
			found = true;
			ret = path_printf(buf, size, "%s", mount_point);
		}
	}
	free(line);
	fclose(f);
	if (!found)
		errno = ENOENT;
	return ret;
}

int ckpt_cgroup_path(const char *name, char *buf, size_t size)
{
	char root[PATH_MAX];

	if (!ckpt_valid_name(name)) {
		errno = EINVAL;
		return -1;
	}
	if (ckpt_cgroup_root(root, sizeof(root)))
		return -1;
	return path_printf(buf, size, "%s/%s/%s", root, CKPT_CGROUP_PARENT,
			   name);
}

int ckpt_cgroup_create(const char *name, char *buf, size_t size)
{
	char root[PATH_MAX], parent[PATH_MAX];

	if (!ckpt_valid_name(name)) {
		errno = EINVAL;
		return -1;
	}
	if (ckpt_cgroup_root(root, sizeof(root)) ||
	    path_printf(parent, sizeof(parent), "%s/%s", root,
			CKPT_CGROUP_PARENT) ||
	    path_printf(buf, size, "%s/%s", parent, name))
		return -1;
	/*
	 * The parent holds no process and enables no controller, so the
	 * "no internal processes" rule never gets in the way of its children.
	 */
	if (mkdir(parent, 0755) && errno != EEXIST)
		return -1;
	if (!mkdir(buf, 0755))
		return 0;
	return errno == EEXIST ? 1 : -1;
}

int ckpt_cgroup_of_pid(pid_t pid, char *buf, size_t size)
{
	char path[64], root[PATH_MAX], *line = NULL;
	size_t cap = 0;
	bool found = false;
	FILE *f;
	int ret = -1;

	if (pid <= 0) {
		errno = ESRCH;
		return -1;
	}
	snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)pid);
	f = fopen(path, "re");
	if (!f) {
		if (errno == ENOENT)
			errno = ESRCH;
		return -1;
	}
	/* Only the cgroup v2 line has hierarchy 0 and no controllers. */
	while (!found && getline(&line, &cap, f) > 0) {
		if (strncmp(line, "0::/", 4))
			continue;
		found = true;
		line[strcspn(line, "\n")] = '\0';
		if (!ckpt_cgroup_root(root, sizeof(root)))
			ret = path_printf(buf, size, "%s%s", root,
					  strcmp(line + 3, "/") ? line + 3 : "");
	}
	free(line);
	fclose(f);
	if (!found)
		errno = ENOENT;		/* a cgroup v1-only system */
	return ret;
}

static int elapsed_ms(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (int)((now.tv_sec - start->tv_sec) * 1000 +
		     (now.tv_nsec - start->tv_nsec) / 1000000);
}

/* The value of @key in the text of cgroup.events ("frozen 1\n"), or -1. */
static int events_value(const char *text, const char *key)
{
	size_t len = strlen(key);

	for (const char *p = text; *p; ) {
		if (!strncmp(p, key, len) && p[len] == ' ')
			return atoi(p + len + 1);
		p = strchr(p, '\n');
		if (!p)
			break;
		p++;
	}
	return -1;
}

/*
 * Wait until cgroup.events says "@key @want".  A change of cgroup.events
 * wakes poll() with POLLPRI (kernfs_notify()); the file is read again after
 * every wake-up, and at least every EVENTS_RECHECK_MS.
 */
static int wait_events(const char *cgroup, const char *key, int want,
		       int timeout_ms, const volatile sig_atomic_t *stop)
{
	char path[PATH_MAX], text[256];
	struct timespec start;
	int fd, value, left, err = 0;
	ssize_t n;

	if (timeout_ms <= 0)
		timeout_ms = CKPT_FREEZE_TIMEOUT_MS;
	if (path_printf(path, sizeof(path), "%s/cgroup.events", cgroup))
		return -1;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLPRI };

		/* reading from 0 also re-arms the notification */
		n = pread(fd, text, sizeof(text) - 1, 0);
		if (n < 0) {
			err = errno;
			break;
		}
		text[n] = '\0';
		value = events_value(text, key);
		if (value < 0) {
			err = ENOTSUP;	/* a kernel without this event */
			break;
		}
		if (value == want)
			break;
		if (stop && *stop) {
			err = EINTR;
			break;
		}
		left = timeout_ms - elapsed_ms(&start);
		if (left <= 0) {
			err = ETIMEDOUT;
			break;
		}
		if (poll(&pfd, 1, left < EVENTS_RECHECK_MS ? left :
			 EVENTS_RECHECK_MS) < 0 && errno != EINTR) {
			err = errno;
			break;
		}
	}
	close(fd);
	errno = err;
	return err ? -1 : 0;
}

int ckpt_cgroup_freeze_stop(const char *cgroup, int timeout_ms,
			    const volatile sig_atomic_t *stop)
{
	if (ckpt_write_text(cgroup, "cgroup.freeze", "1"))
		return -1;
	return wait_events(cgroup, "frozen", 1, timeout_ms, stop);
}

int ckpt_cgroup_freeze(const char *cgroup, int timeout_ms)
{
	return ckpt_cgroup_freeze_stop(cgroup, timeout_ms, NULL);
}

int ckpt_cgroup_thaw(const char *cgroup, int timeout_ms)
{
	if (ckpt_write_text(cgroup, "cgroup.freeze", "0"))
		return -1;
	return wait_events(cgroup, "frozen", 0, timeout_ms, NULL);
}

int ckpt_cgroup_pids(const char *cgroup, pid_t **pids, size_t *nr)
{
	char path[PATH_MAX];
	pid_t *list = NULL, *bigger;
	size_t n = 0, cap = 0;
	FILE *f;
	int pid, err;

	if (path_printf(path, sizeof(path), "%s/cgroup.procs", cgroup))
		return -1;
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fscanf(f, "%d", &pid) == 1) {
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			bigger = realloc(list, cap * sizeof(*list));
			if (!bigger) {
				err = errno;
				free(list);
				fclose(f);
				errno = err;
				return -1;
			}
			list = bigger;
		}
		list[n++] = pid;
	}
	err = ferror(f) ? EIO : 0;
	fclose(f);
	if (err) {
		free(list);
		errno = err;
		return -1;
	}
	*pids = list;
	*nr = n;
	return 0;
}

/*
 * Before cgroup.kill (Linux 5.14): freeze the group first, so that nothing
 * forks between reading cgroup.procs and the signals; a fatal signal still
 * reaches a frozen task.
 */
static int kill_each(const char *cgroup, int timeout_ms)
{
	pid_t *pids;
	size_t nr;

	if (ckpt_cgroup_freeze(cgroup, timeout_ms) && errno != ETIMEDOUT)
		return -1;
	if (ckpt_cgroup_pids(cgroup, &pids, &nr))
		return -1;
	for (size_t i = 0; i < nr; i++)
		kill(pids[i], SIGKILL);		/* one already gone is fine */
	free(pids);
	return 0;
}

int ckpt_cgroup_kill(const char *cgroup, int timeout_ms)
{
	if (ckpt_write_text(cgroup, "cgroup.kill", "1")) {
		if (errno != ENOENT)
			return -1;
		if (kill_each(cgroup, timeout_ms))
			return -1;
	}
	return wait_events(cgroup, "populated", 0, timeout_ms, NULL);
}

int ckpt_cgroup_remove(const char *cgroup)
{
	if (rmdir(cgroup) && errno != ENOENT)
		return -1;
	return 0;
}
