#ifndef CSLUICE_CRC32C_H
#define CSLUICE_CRC32C_H

#include <stddef.h>
#include <stdint.h>

/// Whether this CPU has a CRC-32C instruction this library uses (SSE4.2 `crc32` on x86-64, the
/// ARMv8 CRC extension on arm64). Call it once before `sluice_crc32c_hardware_update`; it also
/// builds the tables that join interleaved streams (thread-safe, idempotent).
int sluice_crc32c_hardware_available(void);

/// Feeds `length` bytes at `data` into the raw CRC-32C register `state` (no initial or final
/// inversion) with the CPU's instruction. Only valid after `sluice_crc32c_hardware_available()`
/// returned nonzero.
uint32_t sluice_crc32c_hardware_update(uint32_t state, const void *data, size_t length);

/// Whether `sluice_crc32c_hardware_update` folds long buffers with carry-less multiplication
/// (AVX-512 VPCLMULQDQ) rather than running the crc32 instruction alone.
int sluice_crc32c_folding_available(void);

/// `sluice_crc32c_hardware_update` with the crc32 instruction alone, never folding (so tests can
/// check both paths on a machine that folds).
uint32_t sluice_crc32c_instruction_update(uint32_t state, const void *data, size_t length);

#endif
