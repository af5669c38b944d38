// x86-64 AVX512-VNNI kernels (vpdpbusd on zmm), compiled with their own target attribute so the
// rest of the build needs no -m flags. Chosen at start-up by int8_dispatch.c's table.
#if defined(__x86_64__)
#include "int8_internal.h"
#include <immintrin.h>

#define EP_VNNI __attribute__((target("avx2,fma,avx512f,avx512bw,avx512vl,avx512vnni")))

int ep_int8_cpu_has_avx512vnni(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw")
        && __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512vnni");
}

// MARK: - AVX512-VNNI

/// Rows of C per VNNI tile; each row holds one or two zmm accumulators (16 or 32 columns).
#define EP_VNNI_ROWS 6

/// Rescales, clamps and stores 16 int32 sums as floats; `width` (1...16) columns are written.
EP_VNNI static inline void vnni_store(__m512i sums, const float *scales, const float *offsets, __m512 lower,
                                      __m512 upper, float *c, size_t width) {
    __m512 value = _mm512_fmadd_ps(_mm512_cvtepi32_ps(sums), _mm512_loadu_ps(scales), _mm512_loadu_ps(offsets));
    value = _mm512_min_ps(_mm512_max_ps(value, lower), upper);
    if (width == EP_PANEL_WIDTH) {
        _mm512_storeu_ps(c, value);
    } else {
        _mm512_mask_storeu_ps(c, (__mmask16)((1u << width) - 1), value);
    }
}

/// Up to 6 rows x one or two panels (`two_panels` is a constant after inlining).
EP_VNNI __attribute__((always_inline)) static inline void vnni_tile(
    const EPInt8GEMM *gemm, size_t row, size_t panel, int two_panels, __m512 lower, __m512 upper) {
    const uint8_t *a[EP_VNNI_ROWS];
    size_t rows = ep_tile_rows(gemm, row, EP_VNNI_ROWS, a);
    size_t panel_bytes = gemm->padded_depth * EP_PANEL_WIDTH;
    const int8_t *b = gemm->packed + panel * panel_bytes;
    __m512i c00 = _mm512_setzero_si512(), c10 = c00, c20 = c00, c30 = c00, c40 = c00, c50 = c00;
    __m512i c01 = c00, c11 = c00, c21 = c00, c31 = c00, c41 = c00, c51 = c00;
    size_t groups = gemm->padded_depth / 4;
    for (size_t group = 0; group < groups; group++) {
        __m512i b0 = _mm512_load_si512((const void *)(b + group * EP_GROUP_BYTES));
        __m512i b1 = two_panels ? _mm512_load_si512((const void *)(b + panel_bytes + group * EP_GROUP_BYTES)) : b0;
        size_t k = group * 4;
        __m512i x;
        x = _mm512_set1_epi32((int)ep_load_u32(a[0] + k));
        c00 = _mm512_dpbusd_epi32(c00, x, b0);
        if (two_panels) c01 = _mm512_dpbusd_epi32(c01, x, b1);
        x = _mm512_set1_epi32((int)ep_load_u32(a[1] + k));
        c10 = _mm512_dpbusd_epi32(c10, x, b0);
        if (two_panels) c11 = _mm512_dpbusd_epi32(c11, x, b1);
        x = _mm512_set1_epi32((int)ep_load_u32(a[2] + k));
        c20 = _mm512_dpbusd_epi32(c20, x, b0);
        if (two_panels) c21 = _mm512_dpbusd_epi32(c21, x, b1);
        x = _mm512_set1_epi32((int)ep_load_u32(a[3] + k));
        c30 = _mm512_dpbusd_epi32(c30, x, b0);
        if (two_panels) c31 = _mm512_dpbusd_epi32(c31, x, b1);
        x = _mm512_set1_epi32((int)ep_load_u32(a[4] + k));
        c40 = _mm512_dpbusd_epi32(c40, x, b0);
        if (two_panels) c41 = _mm512_dpbusd_epi32(c41, x, b1);
        x = _mm512_set1_epi32((int)ep_load_u32(a[5] + k));
        c50 = _mm512_dpbusd_epi32(c50, x, b0);
        if (two_panels) c51 = _mm512_dpbusd_epi32(c51, x, b1);
    }
    __m512i first[EP_VNNI_ROWS] = {c00, c10, c20, c30, c40, c50};
    __m512i second[EP_VNNI_ROWS] = {c01, c11, c21, c31, c41, c51};
    size_t column = panel * EP_PANEL_WIDTH;
    size_t width0 = ep_panel_columns(gemm, column);
    for (size_t r = 0; r < rows; r++) {
        float *c = gemm->c + (row + r) * gemm->c_stride + column;
        vnni_store(first[r], gemm->scales + column, gemm->offsets + column, lower, upper, c, width0);
        if (two_panels) {
            size_t next = column + EP_PANEL_WIDTH;
            size_t width1 = ep_panel_columns(gemm, next);
            vnni_store(second[r], gemm->scales + next, gemm->offsets + next, lower, upper, c + EP_PANEL_WIDTH, width1);
        }
    }
}

EP_VNNI void ep_int8_gemm_avx512vnni(const EPInt8GEMM *gemm) {
    size_t panels = ep_panel_count(gemm);
    __m512 lower = _mm512_set1_ps(gemm->lower), upper = _mm512_set1_ps(gemm->upper);
    for (size_t row = 0; row < gemm->rows; row += EP_VNNI_ROWS) {
        size_t panel = 0;
        for (; panel + 2 <= panels; panel += 2) vnni_tile(gemm, row, panel, 1, lower, upper);
        if (panel < panels) vnni_tile(gemm, row, panel, 0, lower, upper);
    }
}

// MARK: - Quantization

/// 16 floats per step: cvtps rounds to nearest even, vpmovusdb narrows with unsigned saturation
/// (after the max with 0, so negative codes become 0 and codes above 255 become 255).
EP_VNNI static inline size_t quantize_vectors_avx512(const float *x, uint8_t *q, size_t count, float inverse_scale,
                                                     int32_t zero_point) {
    __m512 inverse = _mm512_set1_ps(inverse_scale);
    __m512i zero = _mm512_set1_epi32(zero_point), floor = _mm512_setzero_si512();
    // Clamped in float first, so huge or infinite inputs saturate instead of converting to INT_MIN.
    __m512 low = _mm512_set1_ps(-512), high = _mm512_set1_ps(512);
    size_t index = 0;
    for (; index + 16 <= count; index += 16) {
        __m512 scaled = _mm512_min_ps(_mm512_max_ps(_mm512_mul_ps(_mm512_loadu_ps(x + index), inverse), low), high);
        __m512i codes = _mm512_max_epi32(_mm512_add_epi32(_mm512_cvtps_epi32(scaled), zero), floor);
        _mm_storeu_si128((__m128i *)(q + index), _mm512_cvtusepi32_epi8(codes));
    }
    if (index < count) {
        // The tail with masked loads and stores.
        __mmask16 mask = (__mmask16)((1u << (count - index)) - 1);
        __m512 scaled = _mm512_min_ps(_mm512_max_ps(_mm512_mul_ps(_mm512_maskz_loadu_ps(mask, x + index), inverse), low), high);
        __m512i codes = _mm512_max_epi32(_mm512_add_epi32(_mm512_cvtps_epi32(scaled), zero), floor);
        _mm512_mask_cvtusepi32_storeu_epi8(q + index, mask, codes);
    }
    return count;
}

EP_VNNI void ep_int8_quantize_avx512(const float *source, size_t rows, size_t count, size_t source_stride,
                                     float inverse_scale, int32_t zero_point, uint8_t *target, size_t target_stride) {
    ep_quantize_rows(source, rows, count, source_stride, inverse_scale, zero_point, target, target_stride, 0,
                     quantize_vectors_avx512);
}
#endif
