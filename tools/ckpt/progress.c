// SPDX-License-Identifier: GPL-2.0
/*
 * --progress: the lines ckpt prints on stderr while an image flows through
 * its pump.  They are meant for people and for simple scripts, so they
 * keep one shape:
 *
 *   checkpoint: 12582912 bytes, 11.88 MiB/s
 *   checkpoint: 12582912 bytes, 11.88 MiB/s (lz4: 4194304 bytes, 33.3%)
 *   checkpoint: done: 52428800 bytes in 4.21 s, 11.88 MiB/s
 *   restart: failed: 1048576 bytes in 0.10 s, 10.00 MiB/s (lz4: ...)
 *
 * The bytes are the image's (what the kernel wrote or read); the rate of a
 * line while it flows is over the last second, that of the last line over
 * the whole; the lz4 part gives the size of the compressed stream, and
 * after a checkpoint its share of the image.
 */
#include <inttypes.h>
#include <stdio.h>

#include "cmd.h"

#define MIB	(1024.0 * 1024.0)

static double mib_per_s(uint64_t bytes, uint64_t ns)
{
	return ns ? (double)bytes / MIB / ((double)ns / 1e9) : 0.0;
}

static void print_lz4(const struct progress *pr,
		      const struct ckpt_pump_stats *st)
{
	if (!st->lz4)
		return;
	fprintf(stderr, " (lz4: %" PRIu64 " bytes", st->stream_bytes);
	if (pr->ratio && st->image_bytes)
		fprintf(stderr, ", %.1f%%",
			100.0 * (double)st->stream_bytes /
			(double)st->image_bytes);
	fputc(')', stderr);
}

void progress_report(const struct ckpt_pump_stats *st, void *arg)
{
	struct progress *pr = arg;

	if (st->done) {
		/* progress_end() prints it, knowing whether it all worked */
		pr->final = *st;
		pr->have_final = true;
		return;
	}
	fprintf(stderr, "%s: %" PRIu64 " bytes, %.2f MiB/s", pr->what,
		st->image_bytes,
		mib_per_s(st->image_bytes - pr->last_bytes,
			  st->elapsed_ns - pr->last_ns));
	print_lz4(pr, st);
	fputc('\n', stderr);
	pr->last_bytes = st->image_bytes;
	pr->last_ns = st->elapsed_ns;
}

void progress_end(struct progress *pr, bool ok)
{
	const struct ckpt_pump_stats *st = &pr->final;

	if (!pr->have_final)
		return;
	fprintf(stderr, "%s: %s: %" PRIu64 " bytes in %.2f s, %.2f MiB/s",
		pr->what, ok ? "done" : "failed", st->image_bytes,
		(double)st->elapsed_ns / 1e9,
		mib_per_s(st->image_bytes, st->elapsed_ns));
	print_lz4(pr, st);
	fputc('\n', stderr);
	fflush(stderr);
}
