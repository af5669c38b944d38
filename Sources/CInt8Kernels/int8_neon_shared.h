// Helpers both aarch64 paths (int8_neon.c, int8_neon_dotprod.c) store results with.
#ifndef EDGEPROBE_INT8_NEON_SHARED_H
#define EDGEPROBE_INT8_NEON_SHARED_H
#include "int8_internal.h"
#include <arm_neon.h>

/// Rescales, clamps and stores 4 int32 sums; `width` (0...4) columns are written.
static inline void neon_store(int32x4_t sums, const float *scales, const float *offsets, float32x4_t lower,
                              float32x4_t upper, float *c, size_t width) {
    float32x4_t value = vfmaq_f32(vld1q_f32(offsets), vcvtq_f32_s32(sums), vld1q_f32(scales));
    value = vminq_f32(vmaxq_f32(value, lower), upper);
    if (width >= 4) {
        vst1q_f32(c, value);
    } else {
        float lanes[4];
        vst1q_f32(lanes, value);
        for (size_t lane = 0; lane < width; lane++) c[lane] = lanes[lane];
    }
}

/// Stores one row's 16 sums (4 vectors) of the panel starting at `column`.
static inline void neon_store_row(const EPInt8GEMM *gemm, const int32x4_t sums[4], size_t row, size_t column,
                                  float32x4_t lower, float32x4_t upper) {
    float *c = gemm->c + row * gemm->c_stride + column;
    for (size_t quarter = 0; quarter < 4; quarter++) {
        size_t first = column + quarter * 4;
        if (first >= gemm->columns) break;
        neon_store(sums[quarter], gemm->scales + first, gemm->offsets + first, lower, upper, c + quarter * 4,
                   gemm->columns - first);
    }
}

#endif
