// x86-64 AVX2 kernels (vpmaddubsw + vpmaddwd), compiled with their own target attribute so the
// rest of the build needs no -m flags. Chosen at start-up by int8_dispatch.c's table.
#if defined(__x86_64__)
#include "int8_internal.h"
#include <immintrin.h>

#define EP_AVX2 __attribute__((target("avx2,fma")))

int ep_int8_cpu_has_avx2(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

// MARK: - AVX2

/// Rows of C per AVX2 tile: 4 rows x 16 columns = 8 ymm accumulators, leaving registers for the
/// two weight vectors, the broadcast activations, the products and the vector of ones.
#define EP_AVX2_ROWS 4

/// Rescales, clamps and stores 8 int32 sums; `width` (0...8) columns are written.
EP_AVX2 static inline void avx2_store(__m256i sums, const float *scales, const float *offsets, __m256 lower,
                                      __m256 upper, float *c, size_t width) {
    __m256 value = _mm256_fmadd_ps(_mm256_cvtepi32_ps(sums), _mm256_loadu_ps(scales), _mm256_loadu_ps(offsets));
    value = _mm256_min_ps(_mm256_max_ps(value, lower), upper);
    if (width >= 8) {
        _mm256_storeu_ps(c, value);
    } else {
        float lanes[8];
        _mm256_storeu_ps(lanes, value);
        for (size_t lane = 0; lane < width; lane++) c[lane] = lanes[lane];
    }
}

/// Adds the 4-step dot products of broadcast activations `x` (uint8) and weights `b` (int8, at
/// most 64 in magnitude so the int16 pair sums of vpmaddubsw cannot saturate) to `sums`.
EP_AVX2 static inline __m256i avx2_dot(__m256i sums, __m256i x, __m256i b, __m256i ones) {
    return _mm256_add_epi32(sums, _mm256_madd_epi16(_mm256_maddubs_epi16(x, b), ones));
}

EP_AVX2 void ep_int8_gemm_avx2(const EPInt8GEMM *gemm) {
    size_t panels = ep_panel_count(gemm);
    size_t groups = gemm->padded_depth / 4;
    size_t panel_bytes = gemm->padded_depth * EP_PANEL_WIDTH;
    __m256 lower = _mm256_set1_ps(gemm->lower), upper = _mm256_set1_ps(gemm->upper);
    __m256i ones = _mm256_set1_epi16(1);
    for (size_t row = 0; row < gemm->rows; row += EP_AVX2_ROWS) {
        const uint8_t *a[EP_AVX2_ROWS];
        size_t rows = ep_tile_rows(gemm, row, EP_AVX2_ROWS, a);
        for (size_t panel = 0; panel < panels; panel++) {
            const int8_t *b = gemm->packed + panel * panel_bytes;
            __m256i c00 = _mm256_setzero_si256(), c01 = c00, c10 = c00, c11 = c00;
            __m256i c20 = c00, c21 = c00, c30 = c00, c31 = c00;
            for (size_t group = 0; group < groups; group++) {
                __m256i b0 = _mm256_load_si256((const __m256i *)(b + group * EP_GROUP_BYTES));
                __m256i b1 = _mm256_load_si256((const __m256i *)(b + group * EP_GROUP_BYTES + 32));
                size_t k = group * 4;
                __m256i x = _mm256_set1_epi32((int)ep_load_u32(a[0] + k));
                c00 = avx2_dot(c00, x, b0, ones);
                c01 = avx2_dot(c01, x, b1, ones);
                x = _mm256_set1_epi32((int)ep_load_u32(a[1] + k));
                c10 = avx2_dot(c10, x, b0, ones);
                c11 = avx2_dot(c11, x, b1, ones);
                x = _mm256_set1_epi32((int)ep_load_u32(a[2] + k));
                c20 = avx2_dot(c20, x, b0, ones);
                c21 = avx2_dot(c21, x, b1, ones);
                x = _mm256_set1_epi32((int)ep_load_u32(a[3] + k));
                c30 = avx2_dot(c30, x, b0, ones);
                c31 = avx2_dot(c31, x, b1, ones);
            }
            __m256i left[EP_AVX2_ROWS] = {c00, c10, c20, c30};
            __m256i right[EP_AVX2_ROWS] = {c01, c11, c21, c31};
            size_t column = panel * EP_PANEL_WIDTH;
            size_t width = ep_panel_columns(gemm, column);
            for (size_t r = 0; r < rows; r++) {
                float *c = gemm->c + (row + r) * gemm->c_stride + column;
                avx2_store(left[r], gemm->scales + column, gemm->offsets + column, lower, upper, c, width);
                if (width > 8) {
                    avx2_store(right[r], gemm->scales + column + 8, gemm->offsets + column + 8, lower, upper, c + 8,
                               width - 8);
                }
            }
        }
    }
}

// MARK: - Quantization

/// 8 floats per step, as far as whole steps reach.
EP_AVX2 static inline size_t quantize_vectors_avx2(const float *x, uint8_t *q, size_t count, float inverse_scale,
                                                   int32_t zero_point) {
    __m256 inverse = _mm256_set1_ps(inverse_scale);
    __m256i zero = _mm256_set1_epi32(zero_point);
    // Clamped in float first, so huge or infinite inputs saturate instead of converting to INT_MIN.
    __m256 low = _mm256_set1_ps(-512), high = _mm256_set1_ps(512);
    size_t index = 0;
    for (; index + 8 <= count; index += 8) {
        __m256 scaled = _mm256_min_ps(_mm256_max_ps(_mm256_mul_ps(_mm256_loadu_ps(x + index), inverse), low), high);
        // cvtps rounds to nearest even; the two packs saturate to int16, then to 0...255.
        __m256i codes = _mm256_add_epi32(_mm256_cvtps_epi32(scaled), zero);
        __m256i words = _mm256_packs_epi32(codes, codes);
        __m256i bytes = _mm256_packus_epi16(words, words);
        uint32_t low = (uint32_t)_mm_cvtsi128_si32(_mm256_castsi256_si128(bytes));
        uint32_t high = (uint32_t)_mm_cvtsi128_si32(_mm256_extracti128_si256(bytes, 1));
        memcpy(q + index, &low, 4);
        memcpy(q + index + 4, &high, 4);
    }
    return index;
}

EP_AVX2 void ep_int8_quantize_avx2(const float *source, size_t rows, size_t count, size_t source_stride,
                                   float inverse_scale, int32_t zero_point, uint8_t *target, size_t target_stride) {
    ep_quantize_rows(source, rows, count, source_stride, inverse_scale, zero_point, target, target_stride, 0,
                     quantize_vectors_avx2);
}
#endif
