// CRC-32C with the CPU's own instructions, eight bytes at a time: several times faster than the
// table-driven Swift version, which stays the fallback on CPUs without them.
#include "CChronicleCRC.h"

#include <string.h>

#if defined(__x86_64__)
#include <nmmintrin.h>

int chronicle_crc32c_hardware_available(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("sse4.2");
}

__attribute__((target("sse4.2")))
uint32_t chronicle_crc32c_hardware(uint32_t crc, const void *bytes, size_t count) {
    const unsigned char *p = bytes;
    uint64_t value = ~crc;
    while (count >= 8) {
        uint64_t word;
        memcpy(&word, p, 8);
        value = _mm_crc32_u64(value, word);
        p += 8;
        count -= 8;
    }
    uint32_t low = (uint32_t)value;
    while (count > 0) {
        low = _mm_crc32_u8(low, *p);
        p += 1;
        count -= 1;
    }
    return ~low;
}

#elif defined(__aarch64__) && defined(__linux__)
#include <arm_acle.h>
#include <sys/auxv.h>
#ifndef HWCAP_CRC32
#define HWCAP_CRC32 (1 << 7)
#endif

int chronicle_crc32c_hardware_available(void) {
    return (getauxval(AT_HWCAP) & HWCAP_CRC32) != 0;
}

__attribute__((target("crc")))
uint32_t chronicle_crc32c_hardware(uint32_t crc, const void *bytes, size_t count) {
    const unsigned char *p = bytes;
    uint32_t value = ~crc;
    while (count >= 8) {
        uint64_t word;
        memcpy(&word, p, 8);
        value = __crc32cd(value, word);
        p += 8;
        count -= 8;
    }
    while (count > 0) {
        value = __crc32cb(value, *p);
        p += 1;
        count -= 1;
    }
    return ~value;
}

#else

int chronicle_crc32c_hardware_available(void) { return 0; }

uint32_t chronicle_crc32c_hardware(uint32_t crc, const void *bytes, size_t count) {
    (void)bytes;
    (void)count;
    return crc;
}

#endif
