// CRC-32C with the CPU's instruction, the one thing Swift cannot reach without C: the intrinsic
// must be compiled for SSE4.2 while the rest of the program stays runnable on CPUs without it, and
// Swift has no per-function target attribute. See docs/storage.md (Performance).
//
// The instruction has a latency of three cycles and a throughput of one per cycle, so a long buffer
// runs as three independent streams over consecutive blocks, joined afterwards by multiplying the
// earlier registers by x^(8 * block bytes) modulo the polynomial (tables built once).

#include "CSluiceCRC32C.h"

#include <pthread.h>
#include <string.h>

#if defined(__x86_64__)
#include <nmmintrin.h>
#define SLUICE_CRC_TARGET __attribute__((target("sse4.2")))
#define SLUICE_CRC_HAVE 1
#elif defined(__aarch64__)
#include <arm_acle.h>
#if defined(__linux__)
#include <sys/auxv.h>
#endif
#define SLUICE_CRC_TARGET __attribute__((target("crc")))
#define SLUICE_CRC_HAVE 1
#else
#define SLUICE_CRC_HAVE 0
#endif

#if SLUICE_CRC_HAVE

// Long blocks amortise the joins; short blocks keep mid-sized buffers (a few KiB) interleaved.
enum { long_block = 8192, short_block = 256 };

// shift_long[k][b] is byte b at position k of a register, moved through long_block zero bytes.
static uint32_t shift_long[4][256];
static uint32_t shift_short[4][256];
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;
static int cpu_has_crc;

// a * b modulo the reflected polynomial 0x82F63B78 (bit 31 is x^0).
static uint32_t multiply(uint32_t a, uint32_t b) {
    uint32_t product = 0;
    for (uint32_t m = 1u << 31; m != 0; m >>= 1) {
        if (a & m) product ^= b;
        b = (b & 1) ? (b >> 1) ^ 0x82F63B78u : b >> 1;
    }
    return product;
}

// x^(8 * bytes) modulo the polynomial.
static uint32_t power_for_bytes(size_t bytes) {
    uint32_t result = 1u << 31;  // x^0
    uint32_t square = 1u << 23;  // x^8
    for (size_t n = bytes; n != 0; n >>= 1) {
        if (n & 1) result = multiply(result, square);
        square = multiply(square, square);
    }
    return result;
}

static void fill_shift_table(uint32_t table[4][256], size_t bytes) {
    uint32_t power = power_for_bytes(bytes);
    for (int k = 0; k < 4; k++) {
        for (uint32_t b = 0; b < 256; b++) table[k][b] = multiply(power, b << (8 * k));
    }
}

static inline uint32_t shift(const uint32_t table[4][256], uint32_t state) {
    return table[0][state & 0xff] ^ table[1][(state >> 8) & 0xff] ^ table[2][(state >> 16) & 0xff]
        ^ table[3][state >> 24];
}

static int detect_cpu(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    return __builtin_cpu_supports("sse4.2");
#elif defined(__aarch64__) && defined(__APPLE__)
    return 1;  // every Apple arm64 CPU has the CRC extension
#elif defined(__aarch64__) && defined(__linux__)
    return (getauxval(AT_HWCAP) & (1ul << 7)) != 0;  // HWCAP_CRC32
#else
    return 0;
#endif
}

static void build_tables(void) {
    fill_shift_table(shift_long, long_block);
    fill_shift_table(shift_short, short_block);
    cpu_has_crc = detect_cpu();
}

int sluice_crc32c_hardware_available(void) {
    pthread_once(&tables_once, build_tables);
    return cpu_has_crc;
}

#if defined(__x86_64__)
#define CRC_BYTE(state, byte) _mm_crc32_u8((state), (byte))
#define CRC_WORD(state, word) ((uint32_t)_mm_crc32_u64((state), (word)))
#else
#define CRC_BYTE(state, byte) __crc32cb((state), (byte))
#define CRC_WORD(state, word) __crc32cd((state), (word))
#endif

static inline uint64_t load_word(const unsigned char *p) {
    uint64_t word;
    memcpy(&word, p, sizeof word);  // little-endian on both architectures
    return word;
}

// Three streams over blocks of `block` bytes each, as long as three blocks remain.
SLUICE_CRC_TARGET
static inline uint32_t interleaved(uint32_t state, const unsigned char **data, size_t *length, size_t block,
                                   const uint32_t table[4][256]) {
    const unsigned char *p = *data;
    size_t left = *length;
    while (left >= 3 * block) {
        uint32_t a = state, b = 0, c = 0;
        const unsigned char *end = p + block;
        for (; p < end; p += 8) {
            a = CRC_WORD(a, load_word(p));
            b = CRC_WORD(b, load_word(p + block));
            c = CRC_WORD(c, load_word(p + 2 * block));
        }
        state = shift(table, shift(table, a) ^ b) ^ c;
        p += 2 * block;
        left -= 3 * block;
    }
    *data = p;
    *length = left;
    return state;
}

SLUICE_CRC_TARGET
uint32_t sluice_crc32c_hardware_update(uint32_t state, const void *data, size_t length) {
    const unsigned char *p = data;
    while (length > 0 && ((uintptr_t)p & 7) != 0) {
        state = CRC_BYTE(state, *p++);
        length--;
    }
    state = interleaved(state, &p, &length, long_block, shift_long);
    state = interleaved(state, &p, &length, short_block, shift_short);
    for (; length >= 8; p += 8, length -= 8) state = CRC_WORD(state, load_word(p));
    while (length > 0) {
        state = CRC_BYTE(state, *p++);
        length--;
    }
    return state;
}

#else

int sluice_crc32c_hardware_available(void) { return 0; }

uint32_t sluice_crc32c_hardware_update(uint32_t state, const void *data, size_t length) {
    (void)data;
    (void)length;
    return state;
}

#endif
