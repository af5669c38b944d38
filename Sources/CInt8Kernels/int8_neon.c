// aarch64 NEON kernels for every ARMv8 core (smull + sadalp). NEON's integer multiplies here are
// int8 by int8, so activations are stored shifted to int8 (code - 128) and the layer folds
// 128 x Σw into its offsets.
#if defined(__aarch64__)
#include "int8_neon_shared.h"

// MARK: - Widening multiply (smull + sadalp)

/// Rows of C per widening tile: each row keeps 8 accumulators of (channel, half) pairs.
#define EP_WIDE_ROWS 2

void ep_int8_gemm_neon(const EPInt8GEMM *gemm) {
    size_t panels = ep_panel_count(gemm);
    size_t groups = gemm->padded_depth / 4;
    float32x4_t lower = vdupq_n_f32(gemm->lower), upper = vdupq_n_f32(gemm->upper);
    for (size_t row = 0; row < gemm->rows; row += EP_WIDE_ROWS) {
        const uint8_t *a[EP_WIDE_ROWS];
        size_t rows = ep_tile_rows(gemm, row, EP_WIDE_ROWS, a);
        for (size_t panel = 0; panel < panels; panel++) {
            const int8_t *b = gemm->packed + panel * gemm->padded_depth * EP_PANEL_WIDTH;
            // pairs[r][v]: lanes (channel 2v, steps 0-1), (2v, 2-3), (2v + 1, 0-1), (2v + 1, 2-3).
            int32x4_t pairs[EP_WIDE_ROWS][8];
            for (size_t r = 0; r < EP_WIDE_ROWS; r++) {
                for (size_t v = 0; v < 8; v++) pairs[r][v] = vdupq_n_s32(0);
            }
            for (size_t group = 0; group < groups; group++) {
                const int8_t *weights = b + group * EP_GROUP_BYTES;
                int8x16_t w[4] = {vld1q_s8(weights), vld1q_s8(weights + 16), vld1q_s8(weights + 32), vld1q_s8(weights + 48)};
                for (size_t r = 0; r < EP_WIDE_ROWS; r++) {
                    // |(code - 128) x w| <= 128 x 127 fits int16; sadalp adds pairs into int32.
                    int8x16_t x = vreinterpretq_s8_u32(vdupq_n_u32(ep_load_u32(a[r] + group * 4)));
                    for (size_t q = 0; q < 4; q++) {
                        pairs[r][2 * q] = vpadalq_s16(pairs[r][2 * q], vmull_s8(vget_low_s8(w[q]), vget_low_s8(x)));
                        pairs[r][2 * q + 1] = vpadalq_s16(pairs[r][2 * q + 1], vmull_high_s8(w[q], x));
                    }
                }
            }
            for (size_t r = 0; r < rows; r++) {
                int32x4_t sums[4];
                for (size_t q = 0; q < 4; q++) sums[q] = vpaddq_s32(pairs[r][2 * q], pairs[r][2 * q + 1]);
                neon_store_row(gemm, sums, row + r, panel * EP_PANEL_WIDTH, lower, upper);
            }
        }
    }
}

// MARK: - Quantization

/// 8 floats per step, as far as whole steps reach; codes stored as code - 128 (XOR 0x80).
static inline size_t quantize_vectors_neon(const float *x, uint8_t *q, size_t count, float inverse_scale,
                                           int32_t zero_point) {
    float32x4_t inverse = vdupq_n_f32(inverse_scale);
    int32x4_t zero = vdupq_n_s32(zero_point);
    uint8x8_t flip = vdup_n_u8(0x80);
    // Clamped in float first, so huge inputs cannot overflow when the zero point is added.
    float32x4_t low_limit = vdupq_n_f32(-512), high_limit = vdupq_n_f32(512);
    size_t index = 0;
    for (; index + 8 <= count; index += 8) {
        // vcvtnq rounds to nearest even (and saturates); the narrowing moves saturate to 0...255.
        int32x4_t low = vaddq_s32(vcvtnq_s32_f32(vminq_f32(vmaxq_f32(vmulq_f32(vld1q_f32(x + index), inverse), low_limit), high_limit)), zero);
        int32x4_t high = vaddq_s32(vcvtnq_s32_f32(vminq_f32(vmaxq_f32(vmulq_f32(vld1q_f32(x + index + 4), inverse), low_limit), high_limit)), zero);
        uint8x8_t codes = vqmovun_s16(vcombine_s16(vqmovn_s32(low), vqmovn_s32(high)));
        vst1_u8(q + index, veor_u8(codes, flip));
    }
    return index;
}

void ep_int8_quantize_neon(const float *source, size_t rows, size_t count, size_t source_stride,
                           float inverse_scale, int32_t zero_point, uint8_t *target, size_t target_stride) {
    ep_quantize_rows(source, rows, count, source_stride, inverse_scale, zero_point, target, target_stride, 0x80,
                     quantize_vectors_neon);
}
#endif
