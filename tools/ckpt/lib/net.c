// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * TCP for migration: "HOST:PORT" taken apart, looked up, connected to or
 * listened on, and one connection accepted (see ckpt.h).
 *
 * The ckpt command is linked statically.  Its getaddrinfo() takes a
 * numeric address (IPv4, IPv6) without any name service, so that is tried
 * first, with AI_NUMERICHOST; only a name goes to the name services that a
 * static glibc has built in, /etc/hosts and DNS (others, mDNS say, need
 * the shared libraries of the glibc it was built with, which the linker
 * warns about).  Ports are numbers only, so that /etc/services is never
 * read.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ckpt.h"
#include "internal.h"

/* How often a wait looks at the caller's stop flag. */
#define STOP_CHECK_MS	100

/* "[" IPv6 "%" scope "]:" port */
#define HOST_MAX	256
#define PORT_MAX	8

/* A decimal port of 1 to 65535, nothing else: 1, else 0. */
static bool valid_port(const char *port)
{
	unsigned long v;
	char *end;

	if (!isdigit((unsigned char)port[0]) || strlen(port) > 5)
		return false;
	v = strtoul(port, &end, 10);
	return !*end && v >= 1 && v <= 65535;
}

/*
 * Take "HOST:PORT", "[HOST]:PORT" or (if @port_only) "PORT" apart into
 * @host ("" for none) and @port.  CKPT_OK, or CKPT_ERR_USAGE with a message.
 */
static enum ckpt_status split_address(const char *address, bool port_only,
				      char host[HOST_MAX], char port[PORT_MAX],
				      char *msg, size_t size)
{
	const char *colon, *h = address, *h_end;

	host[0] = '\0';
	if (port_only && !strchr(address, ':')) {
		if (!valid_port(address))
			goto bad_port;
		snprintf(port, PORT_MAX, "%s", address);
		return CKPT_OK;
	}
	if (address[0] == '[') {
		h = address + 1;
		h_end = strchr(h, ']');
		if (!h_end || h_end[1] != ':')
			goto bad;
		colon = h_end + 1;
	} else {
		/* the port is never left out, so the last colon ends an IPv6 */
		colon = strrchr(address, ':');
		if (!colon)
			goto bad;
		h_end = colon;
	}
	if (h_end == h || (size_t)(h_end - h) >= HOST_MAX || !colon[1])
		goto bad;
	memcpy(host, h, (size_t)(h_end - h));
	host[h_end - h] = '\0';
	if (!valid_port(colon + 1)) {
		address = colon + 1;
		goto bad_port;
	}
	snprintf(port, PORT_MAX, "%s", colon + 1);
	return CKPT_OK;

bad:
	ckpt_set_msg(msg, size,
		     "'%s' is not %sHOST:PORT (an IPv6 address in brackets: [ADDR]:PORT)",
		     address, port_only ? "PORT or " : "");
	errno = EINVAL;
	return CKPT_ERR_USAGE;
bad_port:
	ckpt_set_msg(msg, size, "'%s' is not a port: a number, 1 to 65535",
		     address);
	errno = EINVAL;
	return CKPT_ERR_USAGE;
}

enum ckpt_status ckpt_net_check_address(const char *address, bool port_only,
					char *msg, size_t size)
{
	char host[HOST_MAX], port[PORT_MAX];

	return split_address(address, port_only, host, port, msg, size);
}

/*
 * Look @host up: numerically first, then as a name.  CKPT_OK with *@res,
 * or CKPT_ERR_NETWORK with a message.
 */
static enum ckpt_status resolve(const char *host, const char *port,
				bool passive, struct addrinfo **res,
				char *msg, size_t size)
{
	struct addrinfo hints;
	int err;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV |
			 (passive ? AI_PASSIVE : 0);
	err = getaddrinfo(host, port, &hints, res);
	if (err == EAI_NONAME) {
		hints.ai_flags &= ~AI_NUMERICHOST;
		err = getaddrinfo(host, port, &hints, res);
	}
	if (!err)
		return CKPT_OK;
	ckpt_set_msg(msg, size,
		     "cannot resolve '%s': %s (a static ckpt looks names up in /etc/hosts and DNS only; a numeric IPv4 or IPv6 address needs neither)",
		     host, err == EAI_SYSTEM ? strerror(errno) :
					       gai_strerror(err));
	errno = EHOSTUNREACH;
	return CKPT_ERR_NETWORK;
}

/* "ADDR:PORT" or "[ADDR]:PORT"; an IPv4-mapped IPv6 address as IPv4. */
static void format_address(const struct sockaddr *sa, char *buf,
			   size_t size)
{
	char text[INET6_ADDRSTRLEN];
	const struct sockaddr_in6 *s6;
	const struct sockaddr_in *s4;
	struct in_addr v4;

	if (!buf || !size)
		return;
	if (sa->sa_family == AF_INET) {
		s4 = (const struct sockaddr_in *)sa;
		inet_ntop(AF_INET, &s4->sin_addr, text, sizeof(text));
		snprintf(buf, size, "%s:%u", text, ntohs(s4->sin_port));
	} else if (sa->sa_family == AF_INET6) {
		s6 = (const struct sockaddr_in6 *)sa;
		if (IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr)) {
			memcpy(&v4, &s6->sin6_addr.s6_addr[12], sizeof(v4));
			inet_ntop(AF_INET, &v4, text, sizeof(text));
			snprintf(buf, size, "%s:%u", text,
				 ntohs(s6->sin6_port));
		} else {
			inet_ntop(AF_INET6, &s6->sin6_addr, text,
				  sizeof(text));
			snprintf(buf, size, "[%s]:%u", text,
				 ntohs(s6->sin6_port));
		}
	} else {
		snprintf(buf, size, "(address family %d)", sa->sa_family);
	}
}

/*
 * A peer that is gone without a word (its machine died, the network is
 * cut) is noticed after about CKPT_NET_DEAD_PEER_S seconds: keepalive
 * probes while the connection is idle (a receiver restoring a large image,
 * a sender waiting for the answer), TCP_USER_TIMEOUT while data waits to
 * be acknowledged.  A peer that is alive but slow is waited for.  Best
 * effort: a kernel without these options still migrates.
 */
static void set_dead_peer_timeout(int fd)
{
	int on = 1, idle = CKPT_NET_DEAD_PEER_S / 2, interval = 10,
	    count = (CKPT_NET_DEAD_PEER_S - idle) / interval;
	unsigned int user_timeout_ms = CKPT_NET_DEAD_PEER_S * 1000;

	setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof(on));
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof(idle));
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &interval,
		   sizeof(interval));
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &count, sizeof(count));
	setsockopt(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, &user_timeout_ms,
		   sizeof(user_timeout_ms));
}

static bool stopped(const volatile sig_atomic_t *stop)
{
	return stop && *stop;
}

/*
 * connect() that gives up after @timeout_ms or once stopped: 0, or -1 with
 * errno (ETIMEDOUT, EINTR).  The socket is left blocking, as the kernel
 * writes and reads it so.
 */
static int connect_within(int fd, const struct sockaddr *sa, socklen_t len,
			  int timeout_ms, const volatile sig_atomic_t *stop)
{
	struct pollfd pfd = { .fd = fd, .events = POLLOUT };
	int fl = fcntl(fd, F_GETFL), err = 0, waited = 0, n;
	socklen_t err_len = sizeof(err);

	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK))
		return -1;
	if (!connect(fd, sa, len))
		goto done;
	if (errno != EINPROGRESS && errno != EINTR)
		return -1;
	for (;;) {
		if (stopped(stop)) {
			errno = EINTR;
			return -1;
		}
		if (waited >= timeout_ms) {
			errno = ETIMEDOUT;
			return -1;
		}
		n = poll(&pfd, 1, STOP_CHECK_MS);
		if (n > 0)
			break;
		if (n < 0 && errno != EINTR)
			return -1;
		waited += STOP_CHECK_MS;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &err_len))
		return -1;
	if (err) {
		errno = err;
		return -1;
	}
done:
	return fcntl(fd, F_SETFL, fl);
}

enum ckpt_status ckpt_net_connect(const char *address, int timeout_ms,
				  const volatile sig_atomic_t *stop, int *fd,
				  char *msg, size_t msg_size)
{
	char host[HOST_MAX], port[PORT_MAX], where[HOST_MAX + 16];
	struct addrinfo *res, *ai;
	enum ckpt_status st;
	int s = -1, err = 0;

	*fd = -1;
	if (!address) {
		ckpt_set_msg(msg, msg_size, "no address to connect to");
		errno = EINVAL;
		return CKPT_ERR_USAGE;
	}
	st = split_address(address, false, host, port, msg, msg_size);
	if (st)
		return st;
	st = resolve(host, port, false, &res, msg, msg_size);
	if (st)
		return st;
	if (timeout_ms <= 0)
		timeout_ms = CKPT_CONNECT_TIMEOUT_MS;

	where[0] = '\0';
	for (ai = res; ai; ai = ai->ai_next) {
		s = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC,
			   IPPROTO_TCP);
		if (s < 0) {
			err = errno;
			continue;
		}
		if (!connect_within(s, ai->ai_addr, ai->ai_addrlen,
				    timeout_ms, stop))
			break;
		err = errno;
		format_address(ai->ai_addr, where, sizeof(where));
		close(s);
		s = -1;
		if (err == EINTR)
			break;
	}
	freeaddrinfo(res);
	if (s < 0) {
		if (err == EINTR) {
			ckpt_set_msg(msg, msg_size,
				     "interrupted while connecting to %s",
				     address);
			errno = EINTR;
			return CKPT_ERR_GENERIC;
		}
		/* a name tells which of its addresses failed last */
		if (where[0] && strcmp(where, address))
			ckpt_set_msg(msg, msg_size,
				     "cannot connect to %s (%s): %s",
				     address, where, strerror(err));
		else
			ckpt_set_msg(msg, msg_size,
				     "cannot connect to %s: %s", address,
				     strerror(err));
		errno = err;
		return CKPT_ERR_NETWORK;
	}
	set_dead_peer_timeout(s);
	*fd = s;
	return CKPT_OK;
}

/* A socket bound to @sa and listening: the fd, or -1 with errno. */
static int listen_on(const struct sockaddr *sa, socklen_t len)
{
	const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)sa;
	int s, on = 1, off = 0, err;

	s = socket(sa->sa_family, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_TCP);
	if (s < 0)
		return -1;
	/* a receiver run again at once finds its port in TIME_WAIT */
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	/* [::] takes IPv4 connections too, whatever bindv6only says */
	if (sa->sa_family == AF_INET6 && IN6_IS_ADDR_UNSPECIFIED(&s6->sin6_addr))
		setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off));
	if (bind(s, sa, len) || listen(s, 1)) {
		err = errno;
		close(s);
		errno = err;
		return -1;
	}
	return s;
}

enum ckpt_status ckpt_net_listen(const char *address, int *fd, char *msg,
				 size_t msg_size)
{
	char host[HOST_MAX], port[PORT_MAX];
	struct sockaddr_in6 any6;
	struct sockaddr_in any4;
	struct addrinfo *res;
	enum ckpt_status st;
	int s, err;

	*fd = -1;
	if (!address) {
		ckpt_set_msg(msg, msg_size, "no port to listen on");
		errno = EINVAL;
		return CKPT_ERR_USAGE;
	}
	st = split_address(address, true, host, port, msg, msg_size);
	if (st)
		return st;
	if (!host[0]) {
		/* every address: IPv6 and IPv4 on one socket, or IPv4 alone */
		memset(&any6, 0, sizeof(any6));
		any6.sin6_family = AF_INET6;
		any6.sin6_addr = in6addr_any;
		any6.sin6_port = htons((uint16_t)atoi(port));
		s = listen_on((struct sockaddr *)&any6, sizeof(any6));
		if (s < 0 && errno == EAFNOSUPPORT) {
			memset(&any4, 0, sizeof(any4));
			any4.sin_family = AF_INET;
			any4.sin_addr.s_addr = htonl(INADDR_ANY);
			any4.sin_port = any6.sin6_port;
			s = listen_on((struct sockaddr *)&any4, sizeof(any4));
		}
	} else {
		st = resolve(host, port, true, &res, msg, msg_size);
		if (st)
			return st;
		s = listen_on(res->ai_addr, res->ai_addrlen);
		freeaddrinfo(res);
	}
	if (s < 0) {
		err = errno;
		if (err == EACCES) {
			ckpt_set_msg(msg, msg_size,
				     "cannot listen on %s: %s (a port below 1024 needs CAP_NET_BIND_SERVICE)",
				     address, strerror(err));
			errno = err;
			return CKPT_ERR_PERM;
		}
		ckpt_set_msg(msg, msg_size, "cannot listen on %s: %s",
			     address, strerror(err));
		errno = err;
		return CKPT_ERR_NETWORK;
	}
	*fd = s;
	return CKPT_OK;
}

enum ckpt_status ckpt_net_accept(int listen_fd, int *fd, char *peer,
				 size_t peer_size, char *msg,
				 size_t msg_size)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int s, err;

	do {
		len = sizeof(ss);
		s = accept4(listen_fd, (struct sockaddr *)&ss, &len,
			    SOCK_CLOEXEC);
		/* a connection that was reset before we took it */
	} while (s < 0 && (errno == EINTR || errno == ECONNABORTED));
	if (s < 0) {
		err = errno;
		ckpt_set_msg(msg, msg_size,
			     "cannot accept a connection: %s", strerror(err));
		errno = err;
		return CKPT_ERR_NETWORK;
	}
	format_address((struct sockaddr *)&ss, peer, peer_size);
	set_dead_peer_timeout(s);
	*fd = s;
	return CKPT_OK;
}
