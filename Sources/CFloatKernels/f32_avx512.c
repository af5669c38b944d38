// The AVX512F float32 tile, compiled with its own target attribute so the rest of the build needs
// no -m flags; on other architectures only `ep_f32_avx512_available` (returning 0) is built.
#include "CFloatKernels.h"

#if defined(__x86_64__)
#include <immintrin.h>

#define EP_AVX512 __attribute__((target("avx512f,avx2,fma")))  // every AVX512F CPU has AVX2 and FMA

// MARK: - CPU features

int ep_f32_avx512_available(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f");
}

// MARK: - Tiles

/// Panel rows (64 bytes each) the tiles prefetch ahead: 4 KiB, past the page boundary where the
/// hardware prefetchers stop (late layers stream megabytes of weights through few rows).
#define EP_PREFETCH_ROWS 64

/// `ROWS` x 16 with the row count a constant, so the accumulators are registers: row r of A is
/// `segment_count` runs of `segment_length` floats, run s starting at
/// `pointers[s * pointer_stride + r]` (an indirect GEMM's im2col runs; contiguous rows are one run
/// each); the packed panel holds the runs' rows one after the other.
#define EP_INDIRECT_TILE(ROWS)                                                                             \
    EP_AVX512 static void indirect_tile_##ROWS(size_t segment_count, size_t segment_length,                \
                                               const float *const *pointers, size_t pointer_stride,        \
                                               const float *panel, const float *bias, float *c,            \
                                               size_t c_stride, __mmask16 mask, __m512 lower,              \
                                               __m512 upper) {                                             \
        __m512 acc[ROWS];                                                                                  \
        const __m512 initial = _mm512_load_ps(bias);                                                       \
        _Pragma("GCC unroll 16") for (int r = 0; r < ROWS; r++) acc[r] = initial;                          \
        for (size_t s = 0; s < segment_count; s++) {                                                       \
            const float *const *run = pointers + s * pointer_stride;                                       \
            const float *a[ROWS];                                                                          \
            _Pragma("GCC unroll 16") for (int r = 0; r < ROWS; r++) a[r] = run[r];                         \
            for (size_t k = 0; k < segment_length; k++) {                                                  \
                _mm_prefetch((const char *)(panel + EP_PREFETCH_ROWS * 16), _MM_HINT_T0);                  \
                const __m512 b = _mm512_load_ps(panel);                                                    \
                panel += 16;                                                                               \
                _Pragma("GCC unroll 16") for (int r = 0; r < ROWS; r++) {                                  \
                    acc[r] = _mm512_fmadd_ps(_mm512_set1_ps(a[r][k]), b, acc[r]);                          \
                }                                                                                          \
            }                                                                                              \
        }                                                                                                  \
        _Pragma("GCC unroll 16") for (int r = 0; r < ROWS; r++) {                                          \
            const __m512 value = _mm512_min_ps(_mm512_max_ps(acc[r], lower), upper);                      \
            _mm512_mask_storeu_ps(c + r * c_stride, mask, value);                                          \
        }                                                                                                  \
    }

EP_INDIRECT_TILE(1)
EP_INDIRECT_TILE(2)
EP_INDIRECT_TILE(3)
EP_INDIRECT_TILE(4)
EP_INDIRECT_TILE(5)
EP_INDIRECT_TILE(6)
EP_INDIRECT_TILE(7)
EP_INDIRECT_TILE(8)
EP_INDIRECT_TILE(9)
EP_INDIRECT_TILE(10)
EP_INDIRECT_TILE(11)
EP_INDIRECT_TILE(12)

/// `indirect_tile` for a contiguous panel's first 8 columns only (a layer's last panel holding 1...8
/// channels, e.g. 24 = 16 + 8): 256-bit multiply-adds, two per cycle on Zen 4 where a 512-bit one
/// takes both halves, so the zero half of the panel costs nothing. Same sums in the same order.
#define EP_NARROW_TILE(ROWS)                                                                               \
    EP_AVX512 static void narrow_tile_##ROWS(size_t depth, const float *const *rows, const float *panel,  \
                                             const float *bias, float *c, size_t c_stride, __m256i mask,  \
                                             __m256 lower, __m256 upper) {                                 \
        __m256 acc[ROWS];                                                                                  \
        const __m256 initial = _mm256_load_ps(bias);                                                       \
        const float *a[ROWS];                                                                              \
        _Pragma("GCC unroll 16") for (int r = 0; r < ROWS; r++) acc[r] = initial, a[r] = rows[r];         \
        for (size_t k = 0; k < depth; k++) {                                                               \
            const __m256 b = _mm256_load_ps(panel);                                                        \
            panel += 16;                                                                                   \
            _Pragma("GCC unroll 16") for (int r = 0; r < ROWS; r++) {                                      \
                acc[r] = _mm256_fmadd_ps(_mm256_broadcast_ss(a[r] + k), b, acc[r]);                        \
            }                                                                                              \
        }                                                                                                  \
        _Pragma("GCC unroll 16") for (int r = 0; r < ROWS; r++) {                                          \
            const __m256 value = _mm256_min_ps(_mm256_max_ps(acc[r], lower), upper);                      \
            _mm256_maskstore_ps(c + r * c_stride, mask, value);                                            \
        }                                                                                                  \
    }

EP_NARROW_TILE(1)
EP_NARROW_TILE(2)
EP_NARROW_TILE(3)
EP_NARROW_TILE(4)
EP_NARROW_TILE(5)
EP_NARROW_TILE(6)
EP_NARROW_TILE(7)
EP_NARROW_TILE(8)
EP_NARROW_TILE(9)
EP_NARROW_TILE(10)
EP_NARROW_TILE(11)
EP_NARROW_TILE(12)

/// `CASE(rows)` for `rows` 1...12 (more count as 12).
#define EP_SWITCH_ROWS(rows, CASE)                                                                         \
    switch (rows) {                                                                                        \
    CASE(1) CASE(2) CASE(3) CASE(4) CASE(5) CASE(6) CASE(7) CASE(8) CASE(9) CASE(10) CASE(11)              \
    default: CASE(12)                                                                                      \
    }

EP_AVX512 void ep_f32_gemm_tile_avx512(size_t rows, size_t depth, const float *a, size_t a_stride,
                                       const float *panel, const float *bias, float *c, size_t c_stride,
                                       size_t columns, float lower, float upper) {
    const __mmask16 mask = (__mmask16)((1u << columns) - 1);
    const __m512 low = _mm512_set1_ps(lower), high = _mm512_set1_ps(upper);
    const float *pointers[EP_F32_AVX512_MAX_ROWS];  // one run per row
    for (size_t r = 0; r < EP_F32_AVX512_MAX_ROWS; r++) pointers[r] = a + (r < rows ? r : 0) * a_stride;
    if (columns <= 8) {
        const __m256i mask = _mm256_cmpgt_epi32(_mm256_set1_epi32((int)columns), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
        const __m256 low8 = _mm256_set1_ps(lower), high8 = _mm256_set1_ps(upper);
#define EP_NARROW_CASE(ROWS)                                                                               \
    case ROWS: narrow_tile_##ROWS(depth, pointers, panel, bias, c, c_stride, mask, low8, high8); break;
        EP_SWITCH_ROWS(rows, EP_NARROW_CASE)
#undef EP_NARROW_CASE
        return;
    }
#define EP_CONTIGUOUS_CASE(ROWS)                                                                           \
    case ROWS:                                                                                             \
        indirect_tile_##ROWS(1, depth, pointers, EP_F32_AVX512_MAX_ROWS, panel, bias, c, c_stride, mask,  \
                             low, high);                                                                   \
        break;
    EP_SWITCH_ROWS(rows, EP_CONTIGUOUS_CASE)
#undef EP_CONTIGUOUS_CASE
}

/// The mask of the first `columns` (0...16, more count as 16) of a panel.
static __mmask16 column_mask(size_t columns) {
    return columns >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << columns) - 1);
}

EP_AVX512 void ep_f32_igemm_avx512(size_t rows, size_t tile_rows, const size_t *layouts,
                                   const float *const *pointers, size_t pointers_per_tile, const float *panels,
                                   size_t panel_count, const float *biases, float *c, size_t c_stride,
                                   size_t columns, float lower, float upper) {
    const __m512 low = _mm512_set1_ps(lower), high = _mm512_set1_ps(upper);
#define EP_TILE_CASE(ROWS)                                                                                 \
    case ROWS:                                                                                             \
        indirect_tile_##ROWS(segment_count, segment_length, pointers, tile_rows, weights, bias, target,    \
                             c_stride, mask, low, high);                                                   \
        break;
    // Every tile of the range in one call: a call per tile cost its prologue, the clamp broadcasts
    // and the Swift loop around it each time (1,568 times per stem inference).
    for (size_t first = 0; first < rows; first += tile_rows) {
        const size_t count = rows - first < tile_rows ? rows - first : tile_rows;
        const size_t segment_count = layouts[0], segment_length = layouts[1];
        const size_t panel_stride = segment_count * segment_length * 16;
        // One panel at a time: each broadcast of A feeds one multiply-add, so it folds into the FMA
        // (`vfmadd231ps mem{1to16}`). Two panels per pass shared a separate `vbroadcastss`, which
        // takes an FP pipe on AMD Zen 4: the stem (K = 27) ran at 85 % of the FMA peak, not 95 %.
        for (size_t panel = 0; panel < panel_count; panel++) {
            const float *weights = panels + panel * panel_stride, *bias = biases + panel * 16;
            float *target = c + panel * 16;
            const __mmask16 mask = column_mask(columns - panel * 16);
            EP_SWITCH_ROWS(count, EP_TILE_CASE)
        }
        layouts += 2;
        pointers += pointers_per_tile;
        c += tile_rows * c_stride;
    }
#undef EP_TILE_CASE
}

#else

int ep_f32_avx512_available(void) { return 0; }

void ep_f32_igemm_avx512(size_t rows, size_t tile_rows, const size_t *layouts, const float *const *pointers,
                         size_t pointers_per_tile, const float *panels, size_t panel_count, const float *biases,
                         float *c, size_t c_stride, size_t columns, float lower, float upper) {
    // Never called: `ep_f32_avx512_available` is 0 here and the Swift side checks it.
    (void)rows, (void)tile_rows, (void)layouts, (void)pointers, (void)pointers_per_tile, (void)panels;
    (void)panel_count, (void)biases, (void)c, (void)c_stride, (void)columns, (void)lower, (void)upper;
    __builtin_trap();
}

void ep_f32_gemm_tile_avx512(size_t rows, size_t depth, const float *a, size_t a_stride, const float *panel,
                             const float *bias, float *c, size_t c_stride, size_t columns, float lower,
                             float upper) {
    // Never called: `ep_f32_avx512_available` is 0 here and the Swift side checks it.
    (void)rows, (void)depth, (void)a, (void)a_stride, (void)panel, (void)bias, (void)c, (void)c_stride;
    (void)columns, (void)lower, (void)upper;
    __builtin_trap();
}

#endif
