// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * CRC-32C (Castagnoli): reflected polynomial 0x82f63b78, register starting
 * at all ones and inverted at the end; the checksum of the image's tail.
 *
 * Images can be many GiB, so the x86 crc32 instruction (SSE4.2, which
 * computes exactly this CRC) is used when the CPU has it, 8 bytes at a time.
 * Otherwise a byte-at-a-time table does the work.
 */
#include <nmmintrin.h>
#include <pthread.h>
#include <string.h>

#include "ckpt.h"
#include "internal.h"

#define CRC32C_POLY	0x82f63b78U	/* 0x1edc6f41, bit-reversed */

/* The raw register update, without the inversions at the start and end. */
typedef uint32_t crc32c_update_fn(uint32_t reg, const unsigned char *p,
				  size_t len);

static uint32_t crc32c_table[256];
static crc32c_update_fn *crc32c_update;
static pthread_once_t crc32c_once = PTHREAD_ONCE_INIT;

/* What the register becomes when one byte is shifted through: table[byte]. */
static void crc32c_make_table(void)
{
	for (uint32_t byte = 0; byte < 256; byte++) {
		uint32_t reg = byte;

		for (int bit = 0; bit < 8; bit++)
			reg = (reg >> 1) ^ ((reg & 1) ? CRC32C_POLY : 0);
		crc32c_table[byte] = reg;
	}
}

static uint32_t crc32c_update_table(uint32_t reg, const unsigned char *p,
				    size_t len)
{
	while (len--)
		reg = (reg >> 8) ^ crc32c_table[(reg ^ *p++) & 0xff];
	return reg;
}

__attribute__((target("sse4.2")))
static uint32_t crc32c_update_sse42(uint32_t reg, const unsigned char *p,
				    size_t len)
{
	uint64_t reg64 = reg;

	for (; len >= 8; p += 8, len -= 8) {
		uint64_t word;

		memcpy(&word, p, sizeof(word));	/* p may be unaligned */
		reg64 = _mm_crc32_u64(reg64, word);
	}
	reg = (uint32_t)reg64;
	for (; len; p++, len--)
		reg = _mm_crc32_u8(reg, *p);
	return reg;
}

static void crc32c_init(void)
{
	crc32c_make_table();
	__builtin_cpu_init();	/* may run before libgcc's own constructor */
	crc32c_update = __builtin_cpu_supports("sse4.2") ?
			crc32c_update_sse42 : crc32c_update_table;
}

uint32_t ckpt_crc32c(uint32_t crc, const void *buf, size_t len)
{
	pthread_once(&crc32c_once, crc32c_init);
	return ~crc32c_update(~crc, buf, len);
}

uint32_t ckpt_crc32c_portable(uint32_t crc, const void *buf, size_t len)
{
	pthread_once(&crc32c_once, crc32c_init);
	return ~crc32c_update_table(~crc, buf, len);
}
