// The AVX512F float32 tile, compiled with its own target attribute so the rest of the build needs
// no -m flags; on other architectures only `ep_f32_avx512_available` (returning 0) is built.
#include "CFloatKernels.h"

#if defined(__x86_64__)
#include <immintrin.h>

#define EP_AVX512 __attribute__((target("avx512f")))

// MARK: - CPU features

int ep_f32_avx512_available(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f");
}

// MARK: - Tile

/// Panel rows (64 bytes each) the tile prefetches ahead: 4 KiB, past the page boundary where the
/// hardware prefetchers stop (late layers stream megabytes of weights through few rows).
#define EP_PREFETCH_ROWS 64

/// `ROWS` x 16 with the row count a constant, so the accumulators are registers.
#define EP_TILE(ROWS)                                                                                      \
    EP_AVX512 static void tile_##ROWS(size_t depth, const float *a, size_t a_stride, const float *panel,   \
                                      const float *bias, float *c, size_t c_stride, __mmask16 mask,        \
                                      __m512 lower, __m512 upper) {                                        \
        __m512 acc[ROWS];                                                                                  \
        const __m512 initial = _mm512_load_ps(bias);                                                       \
        _Pragma("GCC unroll 16") for (int r = 0; r < ROWS; r++) acc[r] = initial;                \
        for (size_t k = 0; k < depth; k++) {                                                               \
            _mm_prefetch((const char *)(panel + (k + EP_PREFETCH_ROWS) * 16), _MM_HINT_T0);                \
            const __m512 b = _mm512_load_ps(panel + k * 16);                                               \
            _Pragma("GCC unroll 16") for (int r = 0; r < ROWS; r++) {                            \
                acc[r] = _mm512_fmadd_ps(_mm512_set1_ps(a[r * a_stride + k]), b, acc[r]);                  \
            }                                                                                              \
        }                                                                                                  \
        _Pragma("GCC unroll 16") for (int r = 0; r < ROWS; r++) {                                \
            const __m512 value = _mm512_min_ps(_mm512_max_ps(acc[r], lower), upper);                      \
            _mm512_mask_storeu_ps(c + r * c_stride, mask, value);                                          \
        }                                                                                                  \
    }

EP_TILE(1)
EP_TILE(2)
EP_TILE(3)
EP_TILE(4)
EP_TILE(5)
EP_TILE(6)
EP_TILE(7)
EP_TILE(8)
EP_TILE(9)
EP_TILE(10)
EP_TILE(11)
EP_TILE(12)

EP_AVX512 void ep_f32_gemm_tile_avx512(size_t rows, size_t depth, const float *a, size_t a_stride,
                                       const float *panel, const float *bias, float *c, size_t c_stride,
                                       size_t columns, float lower, float upper) {
    const __mmask16 mask = (__mmask16)((1u << columns) - 1);
    const __m512 low = _mm512_set1_ps(lower), high = _mm512_set1_ps(upper);
    switch (rows) {
    case 1: tile_1(depth, a, a_stride, panel, bias, c, c_stride, mask, low, high); break;
    case 2: tile_2(depth, a, a_stride, panel, bias, c, c_stride, mask, low, high); break;
    case 3: tile_3(depth, a, a_stride, panel, bias, c, c_stride, mask, low, high); break;
    case 4: tile_4(depth, a, a_stride, panel, bias, c, c_stride, mask, low, high); break;
    case 5: tile_5(depth, a, a_stride, panel, bias, c, c_stride, mask, low, high); break;
    case 6: tile_6(depth, a, a_stride, panel, bias, c, c_stride, mask, low, high); break;
    case 7: tile_7(depth, a, a_stride, panel, bias, c, c_stride, mask, low, high); break;
    case 8: tile_8(depth, a, a_stride, panel, bias, c, c_stride, mask, low, high); break;
    case 9: tile_9(depth, a, a_stride, panel, bias, c, c_stride, mask, low, high); break;
    case 10: tile_10(depth, a, a_stride, panel, bias, c, c_stride, mask, low, high); break;
    case 11: tile_11(depth, a, a_stride, panel, bias, c, c_stride, mask, low, high); break;
    default: tile_12(depth, a, a_stride, panel, bias, c, c_stride, mask, low, high); break;
    }
}

#else

int ep_f32_avx512_available(void) { return 0; }

void ep_f32_gemm_tile_avx512(size_t rows, size_t depth, const float *a, size_t a_stride, const float *panel,
                             const float *bias, float *c, size_t c_stride, size_t columns, float lower,
                             float upper) {
    // Never called: `ep_f32_avx512_available` is 0 here and the Swift side checks it.
    (void)rows, (void)depth, (void)a, (void)a_stride, (void)panel, (void)bias, (void)c, (void)c_stride;
    (void)columns, (void)lower, (void)upper;
    __builtin_trap();
}

#endif
