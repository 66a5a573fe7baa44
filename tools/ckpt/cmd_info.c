// SPDX-License-Identifier: GPL-2.0
/*
 * ckpt info [--json] FILE|-: print what an image holds and check it as
 * restart(2) would, short of what depends on the machine (the architecture
 * is printed, not required).  An lz4-compressed image is read as well.
 *
 * The text output is for people and for grep: one "name: value" line per
 * header field, one line per record, the tail, and "image OK" last.  A
 * problem stops the listing where it was found and is reported on stderr.
 * --json prints the same as one JSON object, for scripts (info_json.c).
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
#include "info.h"

void cmd_info_usage(FILE *out)
{
	fputs("Usage: ckpt info [--json] FILE\n"
	      "       ckpt info [--json] -        (read the image from stdin)\n"
	      "\n"
	      "Print the header of a checkpoint image and one line per record\n"
	      "(offset, type, length), and check the whole image: record\n"
	      "lengths, padding, and the counts and CRC-32C in its tail.\n"
	      "An lz4-compressed image ('ckpt checkpoint -z', 'lz4') is\n"
	      "decompressed on the fly; offsets are those of the image.\n"
	      "The architecture is shown, not required to be this machine's.\n"
	      "\n"
	      "  --json  print it all as one JSON object on one line, with\n"
	      "          \"ok\": true or false, and the \"error\" if not ok\n"
	      "\n"
	      "Prints \"image OK\" and exits 0 if the image is valid; see\n"
	      "'ckpt --help' for the exit status of each kind of problem.\n",
	      out);
}

/* ---- Sections of record types ---- */

/*
 * None yet beyond the header and the tail: the kernel writes no other
 * records so far.  The entry with no key ends the table.
 */
static const struct info_section info_sections[] = {
	{ 0, NULL, NULL, NULL },
};

const struct info_section *info_section(uint32_t type)
{
	for (const struct info_section *s = info_sections; s->key; s++)
		if (s->type == type)
			return s;
	return NULL;
}

const char *info_time_utc(uint64_t seconds, char *buf, size_t size)
{
	time_t t = (time_t)seconds;
	struct tm tm;

	if (seconds > INT64_MAX || !gmtime_r(&t, &tm) ||
	    !strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm))
		return NULL;
	return buf;
}

/* ---- The text format ---- */

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

static void text_begin(struct info *in)
{
	(void)in;
}

static void text_header(struct info *in, const struct ckpt_hdr_header *hdr)
{
	const char *arch = ckpt_arch_name(hdr->arch);
	const char *compression = ckpt_reader_compression(in->r);
	char time[64];

	printf("image:          %s\n", in->name);
	if (compression)
		printf("compression:    %s\n", compression);
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
	if (info_time_utc(hdr->time, time, sizeof(time)))
		printf("time:           %s\n", time);
	else
		printf("time:           invalid (%" PRIu64 ")\n",
		       (uint64_t)hdr->time);
	printf("records:\n");
	printf("  %12s  %10s  %-8s  %10s\n", "offset", "type", "name", "length");
}

static void text_record(struct info *in, const struct ckpt_record *rec)
{
	const struct info_section *s = info_section(rec->hdr.type);

	(void)in;
	printf("  %12" PRIu64 "  %10u  %-8s  %10u\n", rec->offset,
	       rec->hdr.type, ckpt_record_type_name(rec->hdr.type),
	       rec->hdr.len);
	if (s)
		s->text(rec);
}

static void text_tail(struct info *in, const struct ckpt_hdr_tail *tail)
{
	(void)in;
	printf("tail:\n");
	printf("  records:      %" PRIu64 "\n", (uint64_t)tail->records);
	printf("  bytes:        %" PRIu64 "\n", (uint64_t)tail->bytes);
	printf("  crc32c:       0x%08x\n", tail->crc32c);
}

static void text_end(struct info *in, enum ckpt_status status,
		     const char *error, uint64_t trailing)
{
	(void)in;
	(void)error;	/* the caller puts it on stderr */
	if (status != CKPT_OK)
		return;
	/* restart(2) stops at the tail too, so this is no error */
	if (trailing)
		printf("trailing data:  %" PRIu64 " bytes after the tail, not part of the image\n",
		       trailing);
	printf("image OK\n");
}

const struct info_format info_text_format = {
	.begin = text_begin,
	.header = text_header,
	.record = text_record,
	.tail = text_tail,
	.end = text_end,
};

/* ---- The command ---- */

/* List and check the image on @fd; the exit status. */
static int info(struct info *in, const struct info_format *fmt, int fd)
{
	struct ckpt_record rec;
	enum ckpt_status ret;
	uint64_t trailing = 0;

	in->r = ckpt_reader_from_fd(fd, CKPT_READ_DECOMPRESS);
	if (!in->r) {
		ckpt_error("%s: %s", in->name, strerror(errno));
		return CKPT_ERR_GENERIC;
	}
	fmt->begin(in);
	do {
		ret = ckpt_read_record(in->r, &rec);
		if (ret)
			break;
		if (rec.hdr.type == CKPT_HDR_HEADER) {
			in->have_header = true;
			fmt->header(in, ckpt_reader_header(in->r));
		}
		fmt->record(in, &rec);
	} while (rec.hdr.type != CKPT_HDR_TAIL);

	if (!ret) {
		in->have_tail = true;
		fmt->tail(in, ckpt_reader_tail(in->r));
		ret = ckpt_read_trailing(in->r, &trailing);
	}
	fmt->end(in, ret, ckpt_reader_error(in->r), trailing);
	if (ret)
		ckpt_error("%s: %s", in->name, ckpt_reader_error(in->r));
	ckpt_reader_free(in->r);
	return ret;
}

int cmd_info(int argc, char **argv)
{
	const struct info_format *fmt = &info_text_format;
	struct info in = { 0 };
	const char *path = NULL;
	bool options_done = false;
	char msg[512];
	int fd, ret;

	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];

		if (!options_done && is_help_option(arg)) {
			cmd_info_usage(stdout);
			return CKPT_OK;
		}
		if (!options_done && !strcmp(arg, "--")) {
			options_done = true;
		} else if (!options_done && !strcmp(arg, "--json")) {
			fmt = &info_json_format;
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
		in.name = "<stdin>";
		ret = info(&in, fmt, STDIN_FILENO);
	} else {
		in.name = path;
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			ret = info(&in, fmt, fd);
			close(fd);
		} else {
			/* a script reading the JSON learns why as well */
			snprintf(msg, sizeof(msg), "cannot open: %s",
				 strerror(errno));
			fmt->begin(&in);
			fmt->end(&in, CKPT_ERR_GENERIC, msg, 0);
			ckpt_error("%s: %s", path, msg);
			ret = CKPT_ERR_GENERIC;
		}
	}

	if (fflush(stdout) || ferror(stdout)) {
		ckpt_error("writing the output failed: %s", strerror(errno));
		return CKPT_ERR_GENERIC;
	}
	return ret;
}
