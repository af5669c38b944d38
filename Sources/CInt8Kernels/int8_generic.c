// Portable C kernels (the generic row of the table, on uint8 codes), and im2col, which every path shares.
#include "int8_internal.h"

// MARK: - GEMM

void ep_int8_gemm_generic(const EPInt8GEMM *gemm) {
    size_t groups = gemm->padded_depth / 4;
    size_t panels = ep_panel_count(gemm);
    for (size_t row = 0; row < gemm->rows; row++) {
        const uint8_t *a = gemm->a + row * gemm->a_stride;
        float *c = gemm->c + row * gemm->c_stride;
        for (size_t panel = 0; panel < panels; panel++) {
            const int8_t *b = gemm->packed + panel * gemm->padded_depth * EP_PANEL_WIDTH;
            int32_t sums[EP_PANEL_WIDTH] = {0};
            for (size_t group = 0; group < groups; group++) {
                const int8_t *weights = b + group * EP_GROUP_BYTES;
                for (size_t lane = 0; lane < EP_PANEL_WIDTH; lane++) {
                    for (size_t step = 0; step < 4; step++) {
                        sums[lane] += (int32_t)a[group * 4 + step] * weights[lane * 4 + step];
                    }
                }
            }
            size_t first = panel * EP_PANEL_WIDTH;
            size_t width = ep_panel_columns(gemm, first);
            for (size_t lane = 0; lane < width; lane++) {
                float value = gemm->scales[first + lane] * (float)sums[lane] + gemm->offsets[first + lane];
                value = value < gemm->lower ? gemm->lower : value;
                value = value > gemm->upper ? gemm->upper : value;
                c[first + lane] = value;
            }
        }
    }
}

// MARK: - Quantization

void ep_int8_quantize_generic(const float *source, size_t rows, size_t count, size_t source_stride,
                              float inverse_scale, int32_t zero_point, uint8_t *target, size_t target_stride) {
    ep_quantize_rows(source, rows, count, source_stride, inverse_scale, zero_point, target, target_stride, 0, NULL);
}

// MARK: - im2col

/// Bytes moved at once by `copy_run` and `fill_run` (one SSE or NEON register).
#define EP_MOVE_BYTES 16

/// Copies `count` bytes in 16-byte moves (inlined, unlike a memcpy call of a variable size, which
/// costs more than a 9-byte stem run): may read and write up to 15 bytes past the run, which the
/// caller's slack absorbs and later runs of the same row overwrite.
static inline void copy_run(uint8_t *target, const uint8_t *source, size_t count) {
    size_t index = 0;
    do {
        uint8_t block[EP_MOVE_BYTES];
        memcpy(block, source + index, EP_MOVE_BYTES);
        memcpy(target + index, block, EP_MOVE_BYTES);
        index += EP_MOVE_BYTES;
    } while (index < count);
}

/// Fills `count` bytes with `byte` in 16-byte moves, overshooting like `copy_run`.
static inline void fill_run(uint8_t *target, uint8_t byte, size_t count) {
    uint8_t block[EP_MOVE_BYTES];
    for (size_t lane = 0; lane < EP_MOVE_BYTES; lane++) block[lane] = byte;
    size_t index = 0;
    do {
        memcpy(target + index, block, EP_MOVE_BYTES);
        index += EP_MOVE_BYTES;
    } while (index < count);
}

void ep_int8_im2col(const EPInt8Im2Col *geometry, const uint8_t *input, size_t first_pixel, size_t count,
                    uint8_t *rows, size_t row_stride) {
    size_t channels = geometry->channels;
    size_t run = geometry->kernel_width * channels;
    size_t depth = geometry->kernel_height * run;
    size_t padded = ep_int8_padded_depth(depth);
    uint8_t padding = geometry->padding_byte;
    uint32_t zero = 0;
    size_t output_y = first_pixel / geometry->output_width;
    size_t output_x = first_pixel % geometry->output_width;
    for (size_t pixel = 0; pixel < count; pixel++) {
        ptrdiff_t base_y = (ptrdiff_t)(output_y * geometry->stride_y) - geometry->padding_top;
        ptrdiff_t base_x = (ptrdiff_t)(output_x * geometry->stride_x) - geometry->padding_left;
        int inside_x = base_x >= 0 && base_x + (ptrdiff_t)geometry->kernel_width <= (ptrdiff_t)geometry->input_width;
        uint8_t *row = rows + pixel * row_stride;
        for (size_t ky = 0; ky < geometry->kernel_height; ky++) {
            ptrdiff_t y = base_y + (ptrdiff_t)ky;
            uint8_t *target = row + ky * run;
            if (y < 0 || y >= (ptrdiff_t)geometry->input_height) {
                fill_run(target, padding, run);
                continue;
            }
            const uint8_t *line = input + (size_t)y * geometry->input_width * channels;
            if (inside_x) {
                // The kernel row lies inside the input: its taps are contiguous pixels.
                copy_run(target, line + (size_t)base_x * channels, run);
                continue;
            }
            for (size_t kx = 0; kx < geometry->kernel_width; kx++) {
                ptrdiff_t x = base_x + (ptrdiff_t)kx;
                if (x < 0 || x >= (ptrdiff_t)geometry->input_width) {
                    fill_run(target + kx * channels, padding, channels);
                } else {
                    copy_run(target + kx * channels, line + (size_t)x * channels, channels);
                }
            }
        }
        // Up to 3 zero bytes to the padded depth, written as 4 (the next row or the slack takes the rest).
        if (padded > depth) memcpy(row + depth, &zero, sizeof zero);
        if (++output_x == geometry->output_width) {
            output_x = 0;
            output_y++;
        }
    }
}
