// SPDX-License-Identifier: GPL-2.0
/*
 * workload: the programs the ckpt benchmark checkpoints, and its timers.
 *
 *   workload SIZE                 map SIZE of private anonymous memory, fill
 *                                 it with pseudo-random data, print "ready",
 *                                 sleep until killed
 *   workload --tree N SIZE        fork N children, each filling SIZE of its
 *                                 own; "ready" once all of them have
 *   workload --files N            open /dev/null N times (N open files, N
 *                                 fds); "ready", sleep
 *   workload --memcpy SIZE [REPS] time memcpy() of SIZE between two touched
 *                                 buffers, REPS times (default 5); print the
 *                                 best and median times and rates
 *   workload --now                print CLOCK_MONOTONIC in nanoseconds
 *   workload --time CMD [ARG...]  run CMD, print "elapsed_ns N" on stderr
 *                                 once it ends; exit with its status
 *   workload --stamp              copy stdin to stdout, each line prefixed
 *                                 with CLOCK_MONOTONIC in nanoseconds
 *
 * SIZE is a number with an optional unit K, M or G (binary; default M).
 * The data is incompressible (xorshift64*), so that neither a zero-page
 * check nor lz4 can shrink it.  Built static: the benchmark VM has only
 * static binaries.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void die(const char *what)
{
	fprintf(stderr, "workload: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void usage(void)
{
	fputs("usage: workload SIZE | --tree N SIZE | --files N |\n"
	      "       --memcpy SIZE [REPS] | --now | --time CMD [ARG...] | --stamp\n"
	      "SIZE: a number, optionally with K, M or G (default M)\n",
	      stderr);
	exit(2);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static size_t parse_size(const char *s)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s)
		usage();
	switch (*end) {
	case 'k': case 'K': v <<= 10; end++; break;
	case 'g': case 'G': v <<= 30; end++; break;
	case 'm': case 'M': end++; /* fall through */
	case '\0': v <<= 20; break;
	default: usage();
	}
	if (*end || !v)
		usage();
	return (size_t)v;
}

static long parse_count(const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v <= 0)
		usage();
	return v;
}

/* Fill @len bytes with xorshift64* output: fast, and incompressible. */
static void fill_random(void *buf, size_t len, uint64_t seed)
{
	uint64_t *p = buf, x = seed | 1;
	size_t n = len / sizeof(*p);

	for (size_t i = 0; i < n; i++) {
		x ^= x >> 12;
		x ^= x << 25;
		x ^= x >> 27;
		p[i] = x * 0x2545F4914F6CDD1Dull;
	}
}

static void *map_private(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		die("mmap");
	return p;
}

static void ready_and_sleep(void)
{
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
}

static int cmd_memory(size_t len)
{
	fill_random(map_private(len), len, now_ns());
	ready_and_sleep();
	return 0;
}

/*
 * Each child fills its own memory, then writes a byte to the pipe; the
 * parent says "ready" once it has read one from each.
 */
static int cmd_tree(long n, size_t len)
{
	int pfd[2];
	char c;

	if (pipe(pfd))
		die("pipe");
	for (long i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0)
			die("fork");
		if (!pid) {
			close(pfd[0]);
			fill_random(map_private(len), len,
				    now_ns() ^ ((uint64_t)i << 32));
			if (write(pfd[1], "x", 1) != 1)
				die("write");
			close(pfd[1]);
			for (;;)
				pause();
		}
	}
	close(pfd[1]);
	for (long i = 0; i < n; i++) {
		if (read(pfd[0], &c, 1) != 1)
			die("a child died before it was ready");
	}
	close(pfd[0]);
	ready_and_sleep();
	return 0;
}

static int cmd_files(long n)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		die("getrlimit");
	if (rl.rlim_cur < (rlim_t)n + 16) {
		rl.rlim_cur = (rlim_t)n + 16;
		if (rl.rlim_max < rl.rlim_cur)
			rl.rlim_max = rl.rlim_cur;
		if (setrlimit(RLIMIT_NOFILE, &rl))
			die("setrlimit(RLIMIT_NOFILE)");
	}
	for (long i = 0; i < n; i++) {
		if (open("/dev/null", O_RDONLY) < 0)
			die("open /dev/null");
	}
	ready_and_sleep();
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static double mb_per_s(size_t len, uint64_t ns)
{
	return ns ? (double)len / 1e6 / ((double)ns / 1e9) : 0.0;
}

static int cmd_memcpy(size_t len, long reps)
{
	char *src = map_private(len), *dst = map_private(len);
	uint64_t *t = calloc((size_t)reps, sizeof(*t)), med;

	if (!t)
		die("calloc");
	fill_random(src, len, now_ns());
	memset(dst, 1, len);		/* touched: no page faults timed */
	for (long i = 0; i < reps; i++) {
		uint64_t t0 = now_ns();

		memcpy(dst, src, len);
		t[i] = now_ns() - t0;
		/* keep the copy from being optimised away */
		if (dst[(size_t)i * 4096 % len] != src[(size_t)i * 4096 % len])
			abort();
	}
	qsort(t, (size_t)reps, sizeof(*t), cmp_u64);
	med = reps % 2 ? t[reps / 2] : (t[reps / 2 - 1] + t[reps / 2]) / 2;
	printf("memcpy bytes=%zu reps=%ld best_ns=%" PRIu64 " median_ns=%" PRIu64
	       " worst_ns=%" PRIu64 " best_mbps=%.1f median_mbps=%.1f\n",
	       len, reps, t[0], med, t[reps - 1], mb_per_s(len, t[0]),
	       mb_per_s(len, med));
	free(t);
	return 0;
}

static int cmd_time(char **argv)
{
	uint64_t t0 = now_ns(), t1;
	int status;
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (!pid) {
		execvp(argv[0], argv);
		fprintf(stderr, "workload: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			die("waitpid");
	}
	t1 = now_ns();
	fprintf(stderr, "elapsed_ns %" PRIu64 "\n", t1 - t0);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

static int cmd_stamp(void)
{
	char line[4096];

	setvbuf(stdout, NULL, _IOLBF, 0);
	while (fgets(line, sizeof(line), stdin))
		printf("%" PRIu64 " %s", now_ns(), line);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		usage();
	if (!strcmp(argv[1], "--now") && argc == 2) {
		printf("%" PRIu64 "\n", now_ns());
		return 0;
	}
	if (!strcmp(argv[1], "--stamp") && argc == 2)
		return cmd_stamp();
	if (!strcmp(argv[1], "--time") && argc >= 3)
		return cmd_time(argv + 2);
	if (!strcmp(argv[1], "--memcpy") && (argc == 3 || argc == 4))
		return cmd_memcpy(parse_size(argv[2]),
				  argc == 4 ? parse_count(argv[3]) : 5);
	if (!strcmp(argv[1], "--tree") && argc == 4)
		return cmd_tree(parse_count(argv[2]), parse_size(argv[3]));
	if (!strcmp(argv[1], "--files") && argc == 3)
		return cmd_files(parse_count(argv[2]));
	if (argv[1][0] != '-' && argc == 2)
		return cmd_memory(parse_size(argv[1]));
	usage();
	return 2;
}
