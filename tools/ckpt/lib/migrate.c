// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Migration: a container checkpointed onto a TCP connection, restarted by
 * the receiver as it arrives, and killed here only once the receiver says
 * it runs it.  The protocol is in ckpt.h.
 *
 * The sender is ckpt_checkpoint_container() with the connection as its
 * image fd, and the wait for the answer as the step that completes the
 * image: so the container stays frozen from the checkpoint to the answer,
 * and every failure up to the answer thaws it, as a failed checkpoint
 * does.  The receiver is ckpt_restart_stream() on the connection, and the
 * answer.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ckpt.h"
#include "internal.h"

#define ANSWER_TAG	"ckpt-restart"

/* How often a wait looks at the caller's stop flag. */
#define STOP_CHECK_MS	100

/*
 * After a failed checkpoint(2) on a connection the receiver reset: how
 * long its answer may take to be there (it came before the reset).
 */
#define LATE_ANSWER_MS	2000

/*
 * How long a receiver that has answered reads on, for the sender to end
 * its side: a socket closed with unread data resets the connection, which
 * may drop the answer on its way.
 */
#define DRAIN_MS	1000

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* The errors of a connection whose peer is gone, or unreachable. */
static bool connection_lost(int err)
{
	switch (err) {
	case EPIPE:
	case ECONNRESET:
	case ECONNABORTED:
	case ENOTCONN:
	case ETIMEDOUT:
	case EHOSTUNREACH:
	case ENETUNREACH:
	case ENETDOWN:
		return true;
	default:
		return false;
	}
}

/* ---- The answer ---- */

int ckpt_answer_send(int fd, enum ckpt_status status, pid_t pid,
		     const char *message)
{
	char line[CKPT_ANSWER_MAX];
	size_t len, off = 0;
	ssize_t n;

	len = (size_t)snprintf(line, sizeof(line), ANSWER_TAG " %d %d %d ",
			       CKPT_MIGRATE_VERSION, (int)status, (int)pid);
	/* one line of printable ASCII, whatever the message holds */
	for (const char *p = message ? message : ""; *p; p++) {
		unsigned char c = *p;

		if (len + 2 > sizeof(line))
			break;
		line[len++] = c < 0x20 || c > 0x7e ? '?' : (char)c;
	}
	line[len++] = '\n';

	while (off < len) {
		/* MSG_NOSIGNAL: a sender that is gone is EPIPE, not SIGPIPE */
		n = send(fd, line + off, len - off, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		off += (size_t)n;
	}
	/* the answer is all there is: the sender reads it to the end */
	if (shutdown(fd, SHUT_WR) && errno != ENOTCONN)
		return -1;
	return 0;
}

/* A decimal number of at most @max, and the text after it, or NULL. */
static const char *parse_number(const char *s, long max, long *value)
{
	char *end;

	if (*s < '0' || *s > '9')
		return NULL;
	errno = 0;
	*value = strtol(s, &end, 10);
	if (errno || *value > max)
		return NULL;
	return end;
}

/* The answer in @line, without its newline: CKPT_OK, or why not. */
static enum ckpt_status parse_answer(const char *line,
				     struct ckpt_answer *a, char *msg,
				     size_t size)
{
	const char *p = line;
	long version, status, pid;

	if (strncmp(p, ANSWER_TAG " ", strlen(ANSWER_TAG) + 1))
		goto garbled;
	p += strlen(ANSWER_TAG) + 1;
	p = parse_number(p, INT_MAX, &version);
	if (!p || *p != ' ')
		goto garbled;
	if (version != CKPT_MIGRATE_VERSION) {
		ckpt_set_msg(msg, size,
			     "it answered in version %ld of the migration protocol; this ckpt speaks version %d",
			     version, CKPT_MIGRATE_VERSION);
		errno = EPROTO;
		return CKPT_ERR_NETWORK;
	}
	p = parse_number(p + 1, 255, &status);
	if (!p || *p != ' ')
		goto garbled;
	p = parse_number(p + 1, INT_MAX, &pid);
	if (!p || (*p != ' ' && *p))
		goto garbled;
	a->status = (enum ckpt_status)status;
	a->pid = (pid_t)pid;
	snprintf(a->msg, sizeof(a->msg), "%s", *p ? p + 1 : "");
	return CKPT_OK;

garbled:
	/* what it said may be anything: show its start, made printable */
	ckpt_set_msg(msg, size, "its answer is not ckpt's: \"%.40s\"", line);
	for (char *c = msg ? msg : NULL; c && *c; c++)
		if ((unsigned char)*c < 0x20 || (unsigned char)*c > 0x7e)
			*c = '?';
	errno = EPROTO;
	return CKPT_ERR_NETWORK;
}

enum ckpt_status ckpt_answer_read(int fd, int timeout_ms,
				  const volatile sig_atomic_t *stop,
				  struct ckpt_answer *answer, char *msg,
				  size_t msg_size)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	uint64_t deadline = timeout_ms > 0 ? now_ms() + (uint64_t)timeout_ms :
					     0;
	char line[CKPT_ANSWER_MAX + 1];
	size_t len = 0;
	ssize_t n;
	int err;

	memset(answer, 0, sizeof(*answer));
	for (;;) {
		if (stop && *stop) {
			ckpt_set_msg(msg, msg_size,
				     "interrupted while waiting for the answer");
			errno = EINTR;
			return CKPT_ERR_GENERIC;
		}
		if (deadline && now_ms() >= deadline) {
			ckpt_set_msg(msg, msg_size, "no answer within %d ms",
				     timeout_ms);
			errno = ETIMEDOUT;
			return CKPT_ERR_GENERIC;
		}
		n = poll(&pfd, 1, STOP_CHECK_MS);
		if (n < 0 && errno != EINTR)
			goto failed;
		if (n <= 0)
			continue;
		n = recv(fd, line + len, CKPT_ANSWER_MAX - len, 0);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0)
			goto failed;
		if (n == 0)
			break;
		len += (size_t)n;
		if (memchr(line + len - (size_t)n, '\n', (size_t)n) ||
		    len == CKPT_ANSWER_MAX)
			break;
	}
	line[len] = '\0';
	if (!len) {
		ckpt_set_msg(msg, msg_size,
			     "it closed the connection without an answer (is it 'ckpt restart --listen'?)");
		errno = ECONNRESET;
		return CKPT_ERR_NETWORK;
	}
	if (!strchr(line, '\n')) {
		if (len < CKPT_ANSWER_MAX && !strncmp(line, ANSWER_TAG, len)) {
			ckpt_set_msg(msg, msg_size,
				     "the connection ended in the middle of its answer");
			errno = ECONNRESET;
			return CKPT_ERR_NETWORK;
		}
		return parse_answer(line, answer, msg, msg_size);
	}
	*strchr(line, '\n') = '\0';
	return parse_answer(line, answer, msg, msg_size);

failed:
	err = errno;
	ckpt_set_msg(msg, msg_size, "the connection was lost: %s",
		     strerror(err));
	errno = err;
	return CKPT_ERR_NETWORK;
}

/* ---- The sender ---- */

struct migration {
	struct ckpt_migrate_opts *o;
	struct ckpt_checkpoint_opts *co;	/* what checkpoints it */
	const char *to;			/* the receiver, for messages */
	int fd;				/* the connection */
	struct ckpt_pump *pump;		/* with lz4 or progress */
	bool pump_finished;
	bool completing;		/* checkpoint(2) wrote the image */
	bool answered;			/* the receiver said it runs it */
};

static void verbose(const struct ckpt_migrate_opts *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void verbose(const struct ckpt_migrate_opts *o, const char *fmt, ...)
{
	va_list ap;

	if (!o->verbose)
		return;
	va_start(ap, fmt);
	vfprintf(o->verbose, fmt, ap);
	va_end(ap);
	fputc('\n', o->verbose);
	fflush(o->verbose);
}

/* Put @prefix and ": " before the message. */
static void prefix_msg(char *msg, size_t size, const char *prefix)
{
	char *old;

	if (!msg || !size)
		return;
	old = strdup(msg);
	if (!old)
		return;
	snprintf(msg, size, "%s: %s", prefix, old);
	free(old);
}

/*
 * What the receiver answered, as the outcome of the migration: CKPT_OK if
 * it runs the container, else its failure, in @msg.
 */
static enum ckpt_status judge(struct migration *m,
			      const struct ckpt_answer *a, char *msg,
			      size_t size)
{
	struct ckpt_migrate_opts *o = m->o;

	if (a->status) {
		ckpt_set_msg(msg, size, "%s could not restart it: %s", m->to,
			     a->msg);
		errno = EREMOTEIO;
		/* the receiver's usage error is not our command line's */
		return a->status == CKPT_ERR_USAGE ? CKPT_ERR_GENERIC :
						     a->status;
	}
	if (a->pid <= 0) {
		ckpt_set_msg(msg, size,
			     "%s only checked the image (is it 'ckpt restart --listen --dry-run'?): it restarted nothing",
			     m->to);
		errno = EREMOTEIO;
		return CKPT_ERR_GENERIC;
	}
	o->remote_pid = a->pid;
	m->answered = true;
	verbose(o, "%s restarted it as pid %d", m->to, (int)a->pid);
	/*
	 * It runs there now: a stop that comes from here on must not thaw
	 * it here too, so ckpt_checkpoint_container() is told of none (it
	 * reads the stop flag through @co, after the image is complete).
	 */
	m->co->stop = NULL;
	return CKPT_OK;
}

/*
 * Sending the image failed (checkpoint(2) on the connection, or the
 * pump): was it the connection?  A receiver that refuses an image answers
 * at once and closes the connection, which resets it under the sender's
 * writes; its answer came before, and says why.  A connection that is
 * still open and silent was not the problem: @st, the failure of the
 * checkpoint, stands.
 */
static enum ckpt_status sending_failed(struct migration *m,
				       enum ckpt_status st, char *msg,
				       size_t size)
{
	struct pollfd pfd = { .fd = m->fd, .events = POLLIN | POLLRDHUP };
	struct ckpt_answer answer;
	int err = 0;
	socklen_t len = sizeof(err);

	if (poll(&pfd, 1, 0) <= 0)
		return st;
	if (!ckpt_answer_read(m->fd, LATE_ANSWER_MS, NULL, &answer, NULL, 0))
		return judge(m, &answer, msg, size);
	if (getsockopt(m->fd, SOL_SOCKET, SO_ERROR, &err, &len) || !err)
		err = ECONNRESET;
	ckpt_set_msg(msg, size,
		     "the connection to %s was lost while sending the image: %s",
		     m->to, strerror(err));
	errno = err;
	return CKPT_ERR_NETWORK;
}

/*
 * ckpt_checkpoint_opts.complete: checkpoint(2) has written the image.  End
 * it (the pump's last bytes, then FIN), and wait for the receiver to say
 * what became of it.  Until this returns CKPT_OK, the container is frozen,
 * and any failure thaws it.
 */
static enum ckpt_status complete_migration(void *arg, char *msg,
					   size_t size)
{
	struct migration *m = arg;
	struct ckpt_migrate_opts *o = m->o;
	struct ckpt_answer answer;
	enum ckpt_status st;
	int err;

	m->completing = true;
	if (m->pump) {
		st = ckpt_pump_finish(m->pump, 1, o->stop);
		m->pump_finished = true;
		if (st) {
			err = errno;
			ckpt_set_msg(msg, size,
				     "sending the image to %s failed: %s",
				     m->to, ckpt_pump_error(m->pump));
			errno = err;
			if (o->stop && *o->stop)
				return st;
			return sending_failed(m, st, msg, size);
		}
	}
	if (shutdown(m->fd, SHUT_WR)) {
		err = errno;
		ckpt_set_msg(msg, size, "sending the image to %s failed: %s",
			     m->to, strerror(err));
		errno = err;
		return CKPT_ERR_NETWORK;
	}
	verbose(o, "sent the image to %s, which restarts it", m->to);

	st = ckpt_answer_read(m->fd, 0, o->stop, &answer, msg, size);
	if (st) {
		err = errno;
		prefix_msg(msg, size, m->to);
		errno = err;
		return st;
	}
	return judge(m, &answer, msg, size);
}

/* After a failure: where the container is now, at the end of @msg. */
static void tell_where(const struct ckpt_migrate_opts *o, const char *cgroup)
{
	char events[256];
	const char *where;
	size_t len;

	if (!o->msg || !o->msg_size ||
	    ckpt_read_text(cgroup, "cgroup.events", events,
			   sizeof(events)) <= 0 ||
	    !strstr(events, "populated 1"))
		return;
	if (strstr(events, "frozen 0"))
		where = "; the container runs on here";
	else
		where = "; the container is left frozen here";
	len = strnlen(o->msg, o->msg_size);
	snprintf(o->msg + len, o->msg_size - len, "%s", where);
}

enum ckpt_status ckpt_migrate_container(struct ckpt_migrate_opts *o)
{
	struct ckpt_checkpoint_opts co = { 0 };
	struct migration m = { .o = o, .co = &co, .fd = -1 };
	char cgroup[PATH_MAX];
	enum ckpt_status st;
	unsigned int flags;
	int err;

	o->remote_pid = 0;
	if ((!o->to && o->fd < 0) || !o->name == (o->pid <= 0) ||
	    (o->name && !ckpt_valid_name(o->name)) ||
	    o->flags & ~CHECKPOINT_FLAGS_ALL ||
	    (o->after != CKPT_KILL && o->after != CKPT_LEAVE_RUNNING)) {
		ckpt_set_msg(o->msg, o->msg_size,
			     "migrate needs a pid or a valid container name, a receiver, known flags and what to do after");
		errno = EINVAL;
		return CKPT_ERR_USAGE;
	}
	co.pid = o->pid;
	co.name = o->name;
	co.after = o->after;
	co.flags = o->flags;
	co.timeout_ms = o->timeout_ms;
	co.stop = o->stop;
	co.verbose = o->verbose;
	co.msg = o->msg;
	co.msg_size = o->msg_size;
	co.complete = complete_migration;
	co.complete_arg = &m;

	/* What fails here leaves the receiver alone. */
	if (o->to) {
		st = ckpt_net_check_address(o->to, false, o->msg, o->msg_size);
		if (st)
			return st;
	}
	st = ckpt_find_cgroup(&co, cgroup, sizeof(cgroup));
	if (st)
		return st;
	m.to = o->to ? o->to : "the receiver";
	m.fd = o->fd;
	if (o->to) {
		st = ckpt_net_connect(o->to, o->connect_timeout_ms, o->stop,
				      &m.fd, o->msg, o->msg_size);
		if (st)
			return st;
		verbose(o, "connected to %s", o->to);
	}

	co.fd = m.fd;
	if (o->lz4 || o->progress) {
		flags = CKPT_PUMP_WRITE | (o->lz4 ? CKPT_PUMP_LZ4 : 0);
		m.pump = ckpt_pump_start(m.fd, flags, o->progress,
					 o->progress_arg);
		if (!m.pump) {
			err = errno;
			ckpt_set_msg(o->msg, o->msg_size,
				     "cannot pass the image through a pump: %s",
				     strerror(err));
			st = CKPT_ERR_GENERIC;
			goto out;
		}
		co.fd = ckpt_pump_fd(m.pump);
	}

	st = ckpt_checkpoint_container(&co);
	if (st && m.pump && !m.pump_finished) {
		/* the stream stays unfinished: the receiver finds it cut */
		err = errno;
		ckpt_pump_finish(m.pump, 0, NULL);
		m.pump_finished = true;
		errno = err;
	}
	/*
	 * checkpoint(2) failed: the connection's fault?  (A receiver that
	 * answers success has the whole image, which checkpoint(2) failed
	 * after writing: the container was thawed here all the same.)
	 */
	if (st && !m.completing && !(o->stop && *o->stop)) {
		st = sending_failed(&m, st, o->msg, o->msg_size);
		if (!st)
			st = CKPT_ERR_GENERIC;
	}
	err = errno;
	if (st && m.answered)
		/* killing or thawing it here failed: it runs there */
		prefix_msg(o->msg, o->msg_size, "it runs on the receiver");
	else if (st && st != CKPT_ERR_NO_CONTAINER)
		tell_where(o, cgroup);

out:
	ckpt_pump_free(m.pump);
	if (o->to && m.fd >= 0)
		close(m.fd);
	errno = err;
	return st;
}

/* ---- The receiver ---- */

/*
 * The sender ends its side once the image is sent: read until then, for a
 * little while, so that closing the connection does not reset it.
 */
static void drain(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	uint64_t end = now_ms() + DRAIN_MS;
	char buf[4096];
	uint64_t now;
	ssize_t n;

	while ((now = now_ms()) < end) {
		n = poll(&pfd, 1, (int)(end - now));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			return;
	}
}

/* Kill what was restored: the sender runs its own on. */
static int undo_restart(const struct ckpt_restart_opts *o)
{
	char cgroup[PATH_MAX];

	if (o->name) {
		if (ckpt_cgroup_path(o->name, cgroup, sizeof(cgroup)) ||
		    ckpt_cgroup_kill(cgroup, 0))
			return -1;
		ckpt_cgroup_remove(cgroup);
		return 0;
	}
	if (kill(o->pid, SIGKILL))
		return -1;
	/* ours to reap if restart(2) made it our child */
	waitpid(o->pid, NULL, WNOHANG);
	return 0;
}

enum ckpt_status ckpt_restart_receive(struct ckpt_restart_opts *o,
				      ckpt_pump_progress_fn *progress,
				      void *arg)
{
	bool dry_run = o->flags & RESTART_DRY_RUN;
	enum ckpt_status st;
	const char *text;
	char *why = NULL;
	int err;

	st = ckpt_restart_stream(o, progress, arg);
	err = errno;
	if (st && st != CKPT_ERR_USAGE && connection_lost(err)) {
		/* the sender, or the network, went away mid-image */
		prefix_msg(o->msg, o->msg_size, "the connection was lost");
		st = CKPT_ERR_NETWORK;
	}
	if (st)
		text = o->msg ? o->msg : "";
	else
		text = dry_run ? "image OK" : "restarted";
	if (ckpt_answer_send(o->fd, st, st || dry_run ? 0 : o->pid, text)) {
		err = errno;
		if (!st && !dry_run) {
			why = strdup(strerror(err));
			if (undo_restart(o))
				ckpt_set_msg(o->msg, o->msg_size,
					     "restarted it as pid %d, but the sender did not get the answer (%s), and runs it on; killing it here failed: %s",
					     (int)o->pid,
					     why ? why : "?", strerror(errno));
			else
				ckpt_set_msg(o->msg, o->msg_size,
					     "restarted it as pid %d, but the sender did not get the answer (%s), and runs it on: killed it here",
					     (int)o->pid, why ? why : "?");
			free(why);
			st = CKPT_ERR_NETWORK;
		}
	} else {
		err = errno;
	}
	drain(o->fd);
	errno = err;
	return st;
}
