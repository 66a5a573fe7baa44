/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `ckpt info`: what its output formats share.  The command reads the image
 * and tells the format what it finds, record by record; the format prints
 * it, as text (cmd_info.c) or as JSON (info_json.c).
 */
#ifndef CKPT_INFO_H
#define CKPT_INFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "json.h"
#include "lib/ckpt.h"

struct info {
	const char *name;		/* of the image, for the output */
	struct ckpt_reader *r;		/* NULL if it could not be opened */
	bool have_header, have_tail;
	bool in_records;		/* JSON: the records array is open */
	struct json json;
};

struct info_format {
	void (*begin)(struct info *in);
	/* the header record, once read, before its own record */
	void (*header)(struct info *in, const struct ckpt_hdr_header *hdr);
	/* each record as it is read, the header and the tail included */
	void (*record)(struct info *in, const struct ckpt_record *rec);
	/* the tail record, once checked against the stream, after its own */
	void (*tail)(struct info *in, const struct ckpt_hdr_tail *tail);
	/* CKPT_OK with the bytes after the tail, or the error that stopped */
	void (*end)(struct info *in, enum ckpt_status status,
		    const char *error, uint64_t trailing);
};

extern const struct info_format info_text_format, info_json_format;

/*
 * A record type that info shows more of than its offset, type and length.
 * The header and the tail, one of each per image, have sections of their
 * own in every format.  Each record type the kernel adds (tasks, memory
 * maps, fds, signals) adds an entry to info_sections in cmd_info.c: its
 * text lines follow its record's line, and its JSON goes into its record's
 * object, under @key.
 */
struct info_section {
	uint32_t type;
	const char *key;
	void (*text)(const struct ckpt_record *rec);
	void (*json)(struct json *j, const struct ckpt_record *rec);
};

/* The section of records of @type, or NULL. */
const struct info_section *info_section(uint32_t type);

/* Seconds since the epoch as UTC ISO-8601 in @buf, or NULL if invalid. */
const char *info_time_utc(uint64_t seconds, char *buf, size_t size);

#endif /* CKPT_INFO_H */
