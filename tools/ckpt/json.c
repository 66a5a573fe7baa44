// SPDX-License-Identifier: GPL-2.0
/*
 * The JSON writer of json.h.  Strings are escaped per RFC 8259, and checked
 * as UTF-8 per RFC 3629 (no overlong forms, no surrogates, nothing past
 * U+10FFFF): the strings come from untrusted images, and a parser that
 * decodes its input as UTF-8 must never choke on what ckpt prints.
 */
#include <inttypes.h>
#include <string.h>

#include "json.h"

void json_init(struct json *j, FILE *out)
{
	memset(j, 0, sizeof(*j));
	j->out = out;
}

static void put_string(struct json *j, const char *s, size_t len);

/* The comma and the key before a value. */
static void begin_value(struct json *j, const char *key)
{
	/* no caller nests deeper than JSON_MAX_DEPTH */
	if (j->depth > 0 && j->depth <= JSON_MAX_DEPTH) {
		if (j->has_items[j->depth - 1])
			fputc(',', j->out);
		j->has_items[j->depth - 1] = true;
	}
	if (key) {
		put_string(j, key, strlen(key));
		fputc(':', j->out);
	}
}

static void open_container(struct json *j, const char *key, char c)
{
	begin_value(j, key);
	fputc(c, j->out);
	if (j->depth < JSON_MAX_DEPTH)
		j->has_items[j->depth] = false;
	j->depth++;
}

static void close_container(struct json *j, char c)
{
	fputc(c, j->out);
	j->depth--;
}

void json_begin_object(struct json *j, const char *key)
{
	open_container(j, key, '{');
}

void json_end_object(struct json *j)
{
	close_container(j, '}');
}

void json_begin_array(struct json *j, const char *key)
{
	open_container(j, key, '[');
}

void json_end_array(struct json *j)
{
	close_container(j, ']');
}

/* The length of the valid UTF-8 sequence at @s (@n bytes left), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xbf;
	size_t len;

	if (c >= 0xc2 && c <= 0xdf)
		len = 2;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4;
	else
		return 0;
	/* the second byte's range rules out overlong forms and surrogates */
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return len;
}

static void put_string(struct json *j, const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, seq;

	fputc('"', j->out);
	while (i < len) {
		unsigned char c = s[i];

		if (c == '"' || c == '\\') {
			fputc('\\', j->out);
			fputc(c, j->out);
		} else if (c == '\n') {
			fputs("\\n", j->out);
		} else if (c == '\t') {
			fputs("\\t", j->out);
		} else if (c < 0x20 || c == 0x7f) {
			/* 0x7f is valid JSON, but no terminal should get it */
			fprintf(j->out, "\\u%04x", c);
		} else if (c < 0x80) {
			fputc(c, j->out);
		} else if ((seq = utf8_len(s + i, len - i))) {
			fwrite(s + i, 1, seq, j->out);
			i += seq;
			continue;
		} else {
			fputs("\\ufffd", j->out);
		}
		i++;
	}
	fputc('"', j->out);
}

void json_string(struct json *j, const char *key, const char *s)
{
	begin_value(j, key);
	put_string(j, s, strlen(s));
}

void json_string_max(struct json *j, const char *key, const char *s,
		     size_t max)
{
	begin_value(j, key);
	put_string(j, s, strnlen(s, max));
}

void json_uint(struct json *j, const char *key, uint64_t v)
{
	begin_value(j, key);
	fprintf(j->out, "%" PRIu64, v);
}

void json_int(struct json *j, const char *key, int64_t v)
{
	begin_value(j, key);
	fprintf(j->out, "%" PRId64, v);
}

void json_bool(struct json *j, const char *key, bool v)
{
	begin_value(j, key);
	fputs(v ? "true" : "false", j->out);
}

void json_null(struct json *j, const char *key)
{
	begin_value(j, key);
	fputs("null", j->out);
}
