#ifndef C_CHRONICLE_CRC_H
#define C_CHRONICLE_CRC_H

#include <stddef.h>
#include <stdint.h>

/// Whether this CPU computes CRC-32C in hardware (SSE 4.2 on x86-64, the CRC extension on
/// AArch64).
int chronicle_crc32c_hardware_available(void);

/// The CRC-32C (Castagnoli) of `count` bytes continuing from `crc`, the checksum of the bytes
/// before them (0 to start), computed with the CPU's CRC instructions. Call only when
/// `chronicle_crc32c_hardware_available()` says so.
uint32_t chronicle_crc32c_hardware(uint32_t crc, const void *bytes, size_t count);

#endif
