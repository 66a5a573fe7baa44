// SPDX-License-Identifier: GPL-2.0
/*
 * ckpt info FILE|-: print what an image holds and check it as restart(2)
 * would, short of what depends on the machine (the architecture is printed,
 * not required).
 *
 * The output is for people and for grep: one "name: value" line per header
 * field, one line per record, the tail, and "image OK" last.  A problem stops
 * the listing where it was found and is reported on stderr.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "lib/ckpt.h"

void cmd_info_usage(FILE *out)
{
	fputs("Usage: ckpt info FILE\n"
	      "       ckpt info -        (read the image from stdin)\n"
	      "\n"
	      "Print the header of a checkpoint image and one line per record\n"
	      "(offset, type, length), and check the whole image: record\n"
	      "lengths, padding, and the counts and CRC-32C in its tail.\n"
	      "The architecture is shown, not required to be this machine's.\n"
	      "Prints \"image OK\" and exits 0 if the image is valid; see\n"
	      "'ckpt --help' for the exit status of each kind of problem.\n",
	      out);
}

/* The kernel release, which the image may not NUL-terminate: printable
 * characters as they are, others escaped. */
static void print_release(const char *release, size_t size)
{
	for (size_t i = 0; i < size && release[i]; i++) {
		unsigned char c = release[i];

		if (c >= 0x20 && c < 0x7f && c != '\\')
			putchar(c);
		else
			printf("\\x%02x", c);
	}
	putchar('\n');
}

/* Seconds since the epoch as UTC ISO-8601, or "invalid (N)". */
static void print_time(uint64_t seconds)
{
	struct tm tm;
	time_t t = (time_t)seconds;
	char buf[64];

	if (seconds > INT64_MAX || !gmtime_r(&t, &tm) ||
	    !strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm))
		printf("invalid (%" PRIu64 ")\n", seconds);
	else
		printf("%s\n", buf);
}

static void print_header(const char *name, const struct ckpt_hdr_header *hdr)
{
	const char *arch = ckpt_arch_name(hdr->arch);

	printf("image:          %s\n", name);
	printf("magic:          ok\n");
	printf("format version: %u\n", hdr->version);
	if (arch)
		printf("arch:           %s\n", arch);
	else
		printf("arch:           unknown (%u)\n", hdr->arch);
	printf("page size:      %u\n", hdr->page_size);
	printf("kernel release: ");
	print_release(hdr->release, sizeof(hdr->release));
	printf("xfeatures:      0x%" PRIx64 "\n", (uint64_t)hdr->xfeatures);
	printf("flags:          0x%x\n", hdr->flags);
	printf("time:           ");
	print_time(hdr->time);
	printf("records:\n");
	printf("  %12s  %10s  %-8s  %10s\n", "offset", "type", "name", "length");
}

static void print_record(const struct ckpt_record *rec)
{
	printf("  %12" PRIu64 "  %10u  %-8s  %10u\n", rec->offset,
	       rec->hdr.type, ckpt_record_type_name(rec->hdr.type),
	       rec->hdr.len);
}

static void print_tail(const struct ckpt_hdr_tail *tail)
{
	printf("tail:\n");
	printf("  records:      %" PRIu64 "\n", (uint64_t)tail->records);
	printf("  bytes:        %" PRIu64 "\n", (uint64_t)tail->bytes);
	printf("  crc32c:       0x%08x\n", tail->crc32c);
}

/* List and check the image on @fd; the exit status. */
static int info(const char *name, int fd)
{
	struct ckpt_reader *r = ckpt_reader_from_fd(fd, 0);
	struct ckpt_record rec;
	enum ckpt_status ret;
	uint64_t trailing;

	if (!r) {
		ckpt_error("%s: %s", name, strerror(errno));
		return CKPT_ERR_GENERIC;
	}
	do {
		ret = ckpt_read_record(r, &rec);
		if (ret)
			break;
		if (rec.hdr.type == CKPT_HDR_HEADER)
			print_header(name, ckpt_reader_header(r));
		print_record(&rec);
	} while (rec.hdr.type != CKPT_HDR_TAIL);

	if (!ret) {
		print_tail(ckpt_reader_tail(r));
		ret = ckpt_read_trailing(r, &trailing);
	}
	if (!ret) {
		/* restart(2) stops at the tail too, so this is no error */
		if (trailing)
			printf("trailing data:  %" PRIu64 " bytes after the tail, not part of the image\n",
			       trailing);
		printf("image OK\n");
	} else {
		ckpt_error("%s: %s", name, ckpt_reader_error(r));
	}
	ckpt_reader_free(r);
	return ret;
}

int cmd_info(int argc, char **argv)
{
	const char *path = NULL;
	bool options_done = false;
	int fd, ret;

	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];

		if (!options_done && is_help_option(arg)) {
			cmd_info_usage(stdout);
			return CKPT_OK;
		}
		if (!options_done && !strcmp(arg, "--")) {
			options_done = true;
		} else if (!options_done && arg[0] == '-' && arg[1]) {
			ckpt_error("info: unknown option '%s'", arg);
			cmd_info_usage(stderr);
			return CKPT_ERR_USAGE;
		} else if (path) {
			ckpt_error("info: one image at a time");
			cmd_info_usage(stderr);
			return CKPT_ERR_USAGE;
		} else {
			path = arg;
		}
	}
	if (!path) {
		ckpt_error("info: no image given (a file, or - for stdin)");
		cmd_info_usage(stderr);
		return CKPT_ERR_USAGE;
	}

	if (!strcmp(path, "-")) {
		ret = info("<stdin>", STDIN_FILENO);
	} else {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			ckpt_error("%s: cannot open: %s", path,
				   strerror(errno));
			return CKPT_ERR_GENERIC;
		}
		ret = info(path, fd);
		close(fd);
	}

	if (fflush(stdout) || ferror(stdout)) {
		ckpt_error("writing the output failed: %s", strerror(errno));
		return CKPT_ERR_GENERIC;
	}
	return ret;
}
