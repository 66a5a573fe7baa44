/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * Declarations shared inside libckpt (and with its tests), not part of the
 * API in ckpt.h.
 */
#ifndef CKPT_INTERNAL_H
#define CKPT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

/*
 * ckpt_crc32c() without the SSE4.2 instruction, whatever the CPU has: the
 * tests check that both ways give the same result.
 */
uint32_t ckpt_crc32c_portable(uint32_t crc, const void *buf, size_t len);

#endif /* CKPT_INTERNAL_H */
