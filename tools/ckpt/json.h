/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small streaming JSON writer: each value goes out as it comes, so that an
 * image of a million records is listed in constant memory.  The output is
 * one line; the caller ends it.
 */
#ifndef CKPT_JSON_H
#define CKPT_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH	16

struct json {
	FILE *out;
	int depth;			/* open objects and arrays */
	bool has_items[JSON_MAX_DEPTH];	/* at each depth: a comma is due */
};

void json_init(struct json *j, FILE *out);

/*
 * Each value takes @key, its name in the enclosing object, or NULL in an
 * array and for the outermost value.
 */
void json_begin_object(struct json *j, const char *key);
void json_end_object(struct json *j);
void json_begin_array(struct json *j, const char *key);
void json_end_array(struct json *j);

/*
 * A string of bytes from anywhere (an image, a file name): valid UTF-8 is
 * kept, quotes, backslashes and control characters are escaped, and a byte
 * that is not UTF-8 becomes U+FFFD, so the output is always valid JSON.
 * json_string_max() stops at a NUL or after @max bytes.
 */
void json_string(struct json *j, const char *key, const char *s);
void json_string_max(struct json *j, const char *key, const char *s,
		     size_t max);
void json_uint(struct json *j, const char *key, uint64_t v);
void json_int(struct json *j, const char *key, int64_t v);
void json_bool(struct json *j, const char *key, bool v);
void json_null(struct json *j, const char *key);

#endif /* CKPT_JSON_H */
