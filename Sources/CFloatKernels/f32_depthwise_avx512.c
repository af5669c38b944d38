// The AVX512F float32 depthwise convolution (NHWC), compiled with its own target attribute like
// the GEMM tiles; on other architectures only a trapping stub is built (`ep_f32_avx512_available`
// is 0 there and the Swift SIMD kernel runs).
#include "CFloatKernels.h"
#include "depthwise_rows.h"

#if defined(__x86_64__)
#include <immintrin.h>

#define EP_AVX512 __attribute__((target("avx512f")))
#define EP_INLINE __attribute__((always_inline)) inline

/// The mask of the first `count` (more count as 16) of 16 lanes.
static inline __mmask16 lanes(ptrdiff_t count) {
    return count >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << count) - 1);
}

/// Bit j set when input column `first + j` (j < `count`) lies inside 0..<`width`.
static inline unsigned inside_columns(ptrdiff_t first, ptrdiff_t count, ptrdiff_t width) {
    unsigned bits = 0;
    for (ptrdiff_t j = 0; j < count; j++) {
        if (first + j >= 0 && first + j < width) bits |= 1u << j;
    }
    return bits;
}

/// `PIXELS` horizontally adjacent output pixels of one output row, every channel, 16 at a time.
/// With `KW` and `SX` constants (the specialised widths), each input column under the block is
/// loaded once per kernel row and feeds every pixel whose window covers it; columns outside the
/// input (padding) are masked loads of nothing, i.e. zeros, so border pixels take the same code.
/// `EDGES` (a constant) >= 0 says which columns lie outside: the first when bit 0 is set, the last
/// when bit 1 is (a 3x3 window's border pixel), none else; those are skipped (adding nothing, as a
/// zero would) and all other loads share the channel mask. Ten per-column masks do not fit the
/// eight mask registers (the compiler kept them on the stack); `EDGES` -1 takes them all the same.
/// `KW` 0: any kernel width and stride (the layer's, at run time), every tap of every pixel loading
/// its own input column, masked to nothing outside the input.
/// Each output is summed from its bias in (ky, kx) order with fused multiply-adds, like the naive loop.
EP_AVX512 static EP_INLINE void depthwise_block(const ep_f32_depthwise *layer, const float *input, ptrdiff_t input_y,
                                                ptrdiff_t ky_begin, ptrdiff_t ky_end, ptrdiff_t output_x,
                                                float *output_row, const int PIXELS, const int KW, const int SX,
                                                const int EDGES) {
    EP_DEPTHWISE_BLOCK_LOCALS
    const unsigned inside = EDGES >= 0 || KW == 0 ? ~0u : inside_columns(first_column, columns, width);
    const __m512 low = _mm512_set1_ps(layer->lower), high = _mm512_set1_ps(layer->upper);
    for (ptrdiff_t channel = 0; channel < channels; channel += 16) {
        const __mmask16 mask = lanes(channels - channel);
        __m512 acc[EP_DEPTHWISE_BLOCK_PIXELS];
        const __m512 bias = _mm512_maskz_loadu_ps(mask, layer->bias + channel);
_Pragma("GCC unroll 32")
        for (int p = 0; p < PIXELS; p++) acc[p] = bias;
        for (ptrdiff_t ky = ky_begin; ky < ky_end; ky++) {
            const float *row = input + ((input_y + ky) * width + first_column) * channels + channel;
            const float *weights = layer->weights + ky * kernel_width * weight_stride + channel;
            if (KW == 0) {
                for (ptrdiff_t kx = 0; kx < kernel_width; kx++) {
                    const __m512 w = _mm512_maskz_loadu_ps(mask, weights + kx * weight_stride);
_Pragma("GCC unroll 32")
                    for (int p = 0; p < PIXELS; p++) {
                        const ptrdiff_t column = p * stride + kx, x = first_column + column;
                        const __mmask16 column_mask = x >= 0 && x < width ? mask : 0;
                        acc[p] = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(column_mask, row + column * channels), w, acc[p]);
                    }
                }
                continue;
            }
            __m512 w[7];
_Pragma("GCC unroll 32")
            for (int kx = 0; kx < KW; kx++) w[kx] = _mm512_maskz_loadu_ps(mask, weights + kx * weight_stride);
_Pragma("GCC unroll 32")
            for (int j = 0; j < columns; j++) {
                if (EDGES >= 0 && (((EDGES & 1) && j == 0) || ((EDGES & 2) && j == columns - 1))) continue;
                const __mmask16 column_mask = (inside >> j) & 1 ? mask : 0;
                const __m512 x = _mm512_maskz_loadu_ps(column_mask, row + j * channels);
_Pragma("GCC unroll 32")
                for (int p = 0; p < PIXELS; p++) {
                    const int kx = j - p * SX;
                    if (kx >= 0 && kx < KW) acc[p] = _mm512_fmadd_ps(x, w[kx], acc[p]);
                }
            }
        }
        float *target = output_row + output_x * channels + channel;
_Pragma("GCC unroll 32")
        for (int p = 0; p < PIXELS; p++) {
            _mm512_mask_storeu_ps(target + p * channels, mask, _mm512_min_ps(_mm512_max_ps(acc[p], low), high));
        }
    }
}

/// One block function per (kernel width, stride): `pixels` 1...8 as constants.
#define EP_BLOCKS(KW, SX)                                                                                      \
    EP_AVX512 static void blocks_##KW##_##SX(EP_DEPTHWISE_BLOCK_PARAMETERS) {                               \
        const ptrdiff_t first = output_x * SX - (ptrdiff_t)layer->pad_left;                                    \
        const ptrdiff_t left = -first, right = first + (pixels - 1) * SX + KW - (ptrdiff_t)layer->input_width; \
        if (left <= 0 && right <= 0) {                                                                         \
            EP_DEPTHWISE_SWITCH(KW, SX, 0)                                                                     \
        } else if (KW == 3 && left <= 1 && right <= 1) {                                                       \
            if (left == 1 && right == 1) {                                                                     \
                EP_DEPTHWISE_SWITCH(KW, SX, 3)                                                                 \
            } else if (left == 1) {                                                                            \
                EP_DEPTHWISE_SWITCH(KW, SX, 1)                                                                 \
            } else {                                                                                           \
                EP_DEPTHWISE_SWITCH(KW, SX, 2)                                                                 \
            }                                                                                                  \
        } else {                                                                                               \
            EP_DEPTHWISE_SWITCH(KW, SX, -1)                                                                    \
        }                                                                                                      \
    }

EP_AVX512 static void blocks_any(EP_DEPTHWISE_BLOCK_PARAMETERS) {
    EP_DEPTHWISE_SWITCH(0, 1, -1)
}

EP_DEPTHWISE_ROWS_FUNCTION(EP_AVX512, ep_f32_depthwise_rows_avx512)

#else

void ep_f32_depthwise_rows_avx512(const ep_f32_depthwise *layer, const float *input, size_t row_begin,
                                  size_t row_end, float *output) {
    // Never called: `ep_f32_avx512_available` is 0 here and the Swift side checks it.
    (void)layer, (void)input, (void)row_begin, (void)row_end, (void)output;
    __builtin_trap();
}

#endif
