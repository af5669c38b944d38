// aarch64 NEON dot-product kernels (ARMv8.2 sdot: Cortex-A55/A76 and later, e.g. Raspberry Pi 5),
// compiled with their own target attribute so one armv8-a build carries them; int8_dispatch.c
// picks them at start-up only where the CPU reports asimddp.
#if defined(__aarch64__)
#include "int8_neon_shared.h"

#define EP_DOTPROD __attribute__((target("arch=armv8.2-a+dotprod")))

/// Rows of C per dot-product tile: 4 rows x 16 columns = 16 accumulators.
#define EP_DOT_ROWS 4

EP_DOTPROD void ep_int8_gemm_neon_dotprod(const EPInt8GEMM *gemm) {
    size_t panels = ep_panel_count(gemm);
    size_t groups = gemm->padded_depth / 4;
    float32x4_t lower = vdupq_n_f32(gemm->lower), upper = vdupq_n_f32(gemm->upper);
    for (size_t row = 0; row < gemm->rows; row += EP_DOT_ROWS) {
        const uint8_t *a[EP_DOT_ROWS];
        size_t rows = ep_tile_rows(gemm, row, EP_DOT_ROWS, a);
        for (size_t panel = 0; panel < panels; panel++) {
            const int8_t *b = gemm->packed + panel * gemm->padded_depth * EP_PANEL_WIDTH;
            int32x4_t sums[EP_DOT_ROWS][4];
            for (size_t r = 0; r < EP_DOT_ROWS; r++) {
                for (size_t q = 0; q < 4; q++) sums[r][q] = vdupq_n_s32(0);
            }
            for (size_t group = 0; group < groups; group++) {
                const int8_t *weights = b + group * EP_GROUP_BYTES;
                int8x16_t b0 = vld1q_s8(weights), b1 = vld1q_s8(weights + 16);
                int8x16_t b2 = vld1q_s8(weights + 32), b3 = vld1q_s8(weights + 48);
                for (size_t r = 0; r < EP_DOT_ROWS; r++) {
                    int8x16_t x = vreinterpretq_s8_u32(vdupq_n_u32(ep_load_u32(a[r] + group * 4)));
                    sums[r][0] = vdotq_s32(sums[r][0], b0, x);
                    sums[r][1] = vdotq_s32(sums[r][1], b1, x);
                    sums[r][2] = vdotq_s32(sums[r][2], b2, x);
                    sums[r][3] = vdotq_s32(sums[r][3], b3, x);
                }
            }
            for (size_t r = 0; r < rows; r++) neon_store_row(gemm, sums[r], row + r, panel * EP_PANEL_WIDTH, lower, upper);
        }
    }
}

#endif
