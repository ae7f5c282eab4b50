// CRC-32C with the CPU's instruction, the one thing Swift cannot reach without C: the intrinsic
// must be compiled for SSE4.2 while the rest of the program stays runnable on CPUs without it, and
// Swift has no per-function target attribute. See docs/storage.md (Performance).
//
// Two hardware paths. The crc32 instruction has a latency of three cycles and a throughput of one
// per cycle, so a long buffer runs as three independent streams over consecutive blocks, joined
// afterwards by multiplying the earlier registers by x^(8 * block bytes) modulo the polynomial
// (tables built once): about 8 bytes per cycle. Where AVX-512 has VPCLMULQDQ, buffers from 256
// bytes are instead folded 64 bytes per carry-less multiplication, several times faster again.

#include "CSluiceCRC32C.h"

#include <pthread.h>
#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>
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

// x^exponent modulo the polynomial.
static uint32_t power(size_t exponent) {
    uint32_t result = 1u << 31;  // x^0
    uint32_t square = 1u << 30;  // x^1
    for (size_t n = exponent; n != 0; n >>= 1) {
        if (n & 1) result = multiply(result, square);
        square = multiply(square, square);
    }
    return result;
}

static void fill_shift_table(uint32_t table[4][256], size_t bytes) {
    uint32_t factor = power(8 * bytes);
    for (int k = 0; k < 4; k++) {
        for (uint32_t b = 0; b < 256; b++) table[k][b] = multiply(factor, b << (8 * k));
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

#if defined(__x86_64__)
// Carry-less multiplication folding (Intel, "Fast CRC Computation for Generic Polynomials Using
// PCLMULQDQ", 2009), 64 bytes per instruction with AVX-512 VPCLMULQDQ. A 16-byte lane A that sits
// D bits before lane B is replaced by a 96-bit value congruent to A * x^D modulo the polynomial
// and XORed into B: its low quadword times fold_constant(D + 32), its high quadword times
// fold_constant(D - 32). The CRC depends only on the message modulo the polynomial, so the last
// 16-byte lane left at the end has the whole message's CRC; the crc32 instruction computes it.
static int cpu_has_vpclmul;
static __m128i fold_256, fold_64, fold_48, fold_32, fold_16;  // by that many bytes

// x^exponent modulo the polynomial, bit-reflected and shifted left by one, as PCLMULQDQ needs for
// a reflected CRC (the reflected product comes out one bit short).
static uint64_t fold_constant(size_t exponent) { return (uint64_t)power(exponent) << 1; }

static __m128i fold_constants(size_t bytes) {
    return _mm_set_epi64x((long long)fold_constant(8 * bytes - 32), (long long)fold_constant(8 * bytes + 32));
}
#endif

static void build_tables(void) {
    fill_shift_table(shift_long, long_block);
    fill_shift_table(shift_short, short_block);
    cpu_has_crc = detect_cpu();
#if defined(__x86_64__)
    fold_256 = fold_constants(256);
    fold_64 = fold_constants(64);
    fold_48 = fold_constants(48);
    fold_32 = fold_constants(32);
    fold_16 = fold_constants(16);
    cpu_has_vpclmul = cpu_has_crc && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl")
        && __builtin_cpu_supports("vpclmulqdq") && __builtin_cpu_supports("pclmul");
#endif
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

#if defined(__x86_64__)
#define SLUICE_FOLD_TARGET __attribute__((target("sse4.2,pclmul,avx512f,avx512vl,vpclmulqdq")))

SLUICE_FOLD_TARGET
static inline __m512i fold512(__m512i lanes, __m512i constants, __m512i next) {
    __m512i low = _mm512_clmulepi64_epi128(lanes, constants, 0x00);
    __m512i high = _mm512_clmulepi64_epi128(lanes, constants, 0x11);
    return _mm512_ternarylogic_epi64(low, high, next, 0x96);  // low ^ high ^ next
}

SLUICE_FOLD_TARGET
static inline __m128i fold128(__m128i lane, __m128i constants, __m128i next) {
    __m128i low = _mm_clmulepi64_si128(lane, constants, 0x00);
    __m128i high = _mm_clmulepi64_si128(lane, constants, 0x11);
    return _mm_xor_si128(_mm_xor_si128(low, high), next);
}

// At least 256 bytes: folds all but the last (length mod 16) bytes, which it leaves to the caller.
SLUICE_FOLD_TARGET
static uint32_t folded(uint32_t state, const unsigned char **data, size_t *length) {
    const unsigned char *p = *data;
    size_t left = *length;
    __m512i x0 = _mm512_xor_si512(_mm512_loadu_si512(p), _mm512_zextsi128_si512(_mm_cvtsi32_si128((int)state)));
    __m512i x1 = _mm512_loadu_si512(p + 64);
    __m512i x2 = _mm512_loadu_si512(p + 128);
    __m512i x3 = _mm512_loadu_si512(p + 192);
    p += 256;
    left -= 256;
    const __m512i by256 = _mm512_broadcast_i32x4(fold_256);
    while (left >= 256) {
        x0 = fold512(x0, by256, _mm512_loadu_si512(p));
        x1 = fold512(x1, by256, _mm512_loadu_si512(p + 64));
        x2 = fold512(x2, by256, _mm512_loadu_si512(p + 128));
        x3 = fold512(x3, by256, _mm512_loadu_si512(p + 192));
        p += 256;
        left -= 256;
    }
    const __m512i by64 = _mm512_broadcast_i32x4(fold_64);
    __m512i x = fold512(fold512(fold512(x0, by64, x1), by64, x2), by64, x3);
    while (left >= 64) {
        x = fold512(x, by64, _mm512_loadu_si512(p));
        p += 64;
        left -= 64;
    }
    // The four lanes of x sit 48, 32, 16 and 0 bytes before the end of the folded data.
    __m128i lane = fold128(_mm512_extracti32x4_epi32(x, 0), fold_48, _mm512_extracti32x4_epi32(x, 3));
    lane = fold128(_mm512_extracti32x4_epi32(x, 1), fold_32, lane);
    lane = fold128(_mm512_extracti32x4_epi32(x, 2), fold_16, lane);
    while (left >= 16) {
        lane = fold128(lane, fold_16, _mm_loadu_si128((const __m128i *)p));
        p += 16;
        left -= 16;
    }
    uint32_t crc = (uint32_t)_mm_crc32_u64(0, (uint64_t)_mm_cvtsi128_si64(lane));
    crc = (uint32_t)_mm_crc32_u64(crc, (uint64_t)_mm_extract_epi64(lane, 1));
    *data = p;
    *length = left;
    return crc;
}
#endif

int sluice_crc32c_folding_available(void) {
    pthread_once(&tables_once, build_tables);
#if defined(__x86_64__)
    return cpu_has_vpclmul;
#else
    return 0;
#endif
}

SLUICE_CRC_TARGET
static uint32_t tail(uint32_t state, const unsigned char *p, size_t length) {
    for (; length >= 8; p += 8, length -= 8) state = CRC_WORD(state, load_word(p));
    while (length > 0) {
        state = CRC_BYTE(state, *p++);
        length--;
    }
    return state;
}

uint32_t sluice_crc32c_hardware_update(uint32_t state, const void *data, size_t length) {
#if defined(__x86_64__)
    // From 256 bytes folding wins (2.5x at 256, 3-4x from 1 KiB on the development VM).
    if (cpu_has_vpclmul && length >= 256) {
        const unsigned char *p = data;
        state = folded(state, &p, &length);
        return tail(state, p, length);
    }
#endif
    return sluice_crc32c_instruction_update(state, data, length);
}

SLUICE_CRC_TARGET
uint32_t sluice_crc32c_instruction_update(uint32_t state, const void *data, size_t length) {
    const unsigned char *p = data;
    while (length > 0 && ((uintptr_t)p & 7) != 0) {
        state = CRC_BYTE(state, *p++);
        length--;
    }
    state = interleaved(state, &p, &length, long_block, shift_long);
    state = interleaved(state, &p, &length, short_block, shift_short);
    return tail(state, p, length);
}

#else

int sluice_crc32c_hardware_available(void) { return 0; }

int sluice_crc32c_folding_available(void) { return 0; }

uint32_t sluice_crc32c_hardware_update(uint32_t state, const void *data, size_t length) {
    (void)data;
    (void)length;
    return state;
}

uint32_t sluice_crc32c_instruction_update(uint32_t state, const void *data, size_t length) {
    (void)data;
    (void)length;
    return state;
}

#endif
