// SPDX-License-Identifier: GPL-2.0
/*
 * `ckpt info --json`: the image as one JSON object on one line, for
 * scripts, with what the text output says:
 *
 *   {"image": NAME, "compression": "lz4" | "none" | null,
 *    "header": {...} | null, "records": [{offset, type, name, len}, ...],
 *    "tail": {...} | null, "trailing_bytes": N (if ok),
 *    "ok": true | false, "status": N and "error": "..." (if not ok)}
 *
 * It is printed as the image is read, so a broken image still gives what
 * came before the damage, and a huge one takes no memory.
 */
#include <stdio.h>

#include "info.h"

static void json_begin(struct info *in)
{
	json_init(&in->json, stdout);
	json_begin_object(&in->json, NULL);
	json_string(&in->json, "image", in->name);
}

static void json_compression(struct info *in)
{
	const char *c;

	if (!in->r) {
		json_null(&in->json, "compression");
		return;
	}
	c = ckpt_reader_compression(in->r);
	json_string(&in->json, "compression", c ? c : "none");
}

static void json_header(struct info *in, const struct ckpt_hdr_header *hdr)
{
	struct json *j = &in->json;
	const char *arch = ckpt_arch_name(hdr->arch);
	char time[64];

	json_compression(in);
	json_begin_object(j, "header");
	json_uint(j, "version", hdr->version);
	if (arch)
		json_string(j, "arch", arch);
	else
		json_null(j, "arch");
	json_uint(j, "arch_id", hdr->arch);
	json_uint(j, "page_size", hdr->page_size);
	json_string_max(j, "release", hdr->release, sizeof(hdr->release));
	json_uint(j, "xfeatures", hdr->xfeatures);
	json_uint(j, "flags", hdr->flags);
	json_uint(j, "time", hdr->time);
	if (info_time_utc(hdr->time, time, sizeof(time)))
		json_string(j, "time_utc", time);
	else
		json_null(j, "time_utc");
	json_end_object(j);
	json_begin_array(j, "records");
	in->in_records = true;
}

static void json_record(struct info *in, const struct ckpt_record *rec)
{
	const struct info_section *s = info_section(rec->hdr.type);
	struct json *j = &in->json;

	json_begin_object(j, NULL);
	json_uint(j, "offset", rec->offset);
	json_uint(j, "type", rec->hdr.type);
	json_string(j, "name", ckpt_record_type_name(rec->hdr.type));
	json_uint(j, "len", rec->hdr.len);
	if (s) {
		json_begin_object(j, s->key);
		s->json(j, rec);
		json_end_object(j);
	}
	json_end_object(j);
}

static void end_records(struct info *in)
{
	if (in->in_records)
		json_end_array(&in->json);
	in->in_records = false;
}

static void json_tail(struct info *in, const struct ckpt_hdr_tail *tail)
{
	struct json *j = &in->json;

	end_records(in);
	json_begin_object(j, "tail");
	json_uint(j, "records", tail->records);
	json_uint(j, "bytes", tail->bytes);
	json_uint(j, "crc32c", tail->crc32c);
	json_end_object(j);
}

static void json_end(struct info *in, enum ckpt_status status,
		     const char *error, uint64_t trailing)
{
	struct json *j = &in->json;

	end_records(in);
	/* the same keys whatever stopped the listing */
	if (!in->have_header) {
		json_compression(in);
		json_null(j, "header");
		json_begin_array(j, "records");
		json_end_array(j);
	}
	if (!in->have_tail)
		json_null(j, "tail");
	if (status == CKPT_OK)
		json_uint(j, "trailing_bytes", trailing);
	json_bool(j, "ok", status == CKPT_OK);
	if (status != CKPT_OK) {
		json_uint(j, "status", status);
		json_string(j, "error", error);
	}
	json_end_object(j);
	putchar('\n');
}

const struct info_format info_json_format = {
	.begin = json_begin,
	.header = json_header,
	.record = json_record,
	.tail = json_tail,
	.end = json_end,
};
