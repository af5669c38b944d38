// What the depthwise kernels of every instruction set share (`f32_depthwise_avx512.c`,
// `f32_depthwise_simd.c`): the walk over output rows in blocks of adjacent pixels, and the switch
// that turns a block's pixel count into a compile-time constant. Each file supplies its block
// function `depthwise_block(layer, input, input_y, ky_begin, ky_end, output_x, output_row, PIXELS,
// KW, SX, VARIANT)` (always inlined, its last four arguments constants), its `EP_BLOCKS(KW, SX)`
// and `blocks_any`, then `EP_DEPTHWISE_ROWS_FUNCTION`.
#ifndef EDGEPROBE_DEPTHWISE_ROWS_H
#define EDGEPROBE_DEPTHWISE_ROWS_H

#include "CFloatKernels.h"

#include <stddef.h>

/// Output pixels `output_x..<output_x + pixels` (1...8) of one output row, every channel: kernel rows
/// `ky_begin..<ky_end` lie inside the input, from input row `input_y + ky_begin` on.
typedef void (*ep_depthwise_blocks)(const ep_f32_depthwise *layer, const float *input, ptrdiff_t input_y,
                                    ptrdiff_t ky_begin, ptrdiff_t ky_end, ptrdiff_t output_x, float *output_row,
                                    int pixels);

/// The parameters of a block function (`ep_depthwise_blocks`), as the switch below names them.
#define EP_DEPTHWISE_BLOCK_PARAMETERS                                                                      \
    const ep_f32_depthwise *layer, const float *input, ptrdiff_t input_y, ptrdiff_t ky_begin, ptrdiff_t ky_end, \
        ptrdiff_t output_x, float *output_row, int pixels

/// The locals a `depthwise_block` starts with, from `layer`, `output_x` and its constants `PIXELS`,
/// `KW` and `SX` (`KW` 0: the layer's kernel width and stride at run time): the block's first input
/// column (negative in the left padding) and, for a specialised width, how many columns it covers.
#define EP_DEPTHWISE_BLOCK_LOCALS                                                                          \
    const ptrdiff_t channels = (ptrdiff_t)layer->channels, width = (ptrdiff_t)layer->input_width;         \
    const ptrdiff_t weight_stride = (ptrdiff_t)layer->weight_stride;                                       \
    const ptrdiff_t kernel_width = KW > 0 ? KW : (ptrdiff_t)layer->kernel_width;                          \
    const ptrdiff_t stride = KW > 0 ? SX : (ptrdiff_t)layer->stride_x;                                     \
    const ptrdiff_t first_column = output_x * stride - (ptrdiff_t)layer->pad_left;                        \
    const int columns = (PIXELS - 1) * SX + KW;

/// The most pixels one block computes.
#define EP_DEPTHWISE_BLOCK_PIXELS 8

#define EP_DEPTHWISE_CASE(PIXELS, KW, SX, VARIANT)                                                          \
    case PIXELS:                                                                                           \
        depthwise_block(layer, input, input_y, ky_begin, ky_end, output_x, output_row, PIXELS, KW, SX, VARIANT); \
        break;
/// `depthwise_block` with `pixels` (1...8) as a constant.
#define EP_DEPTHWISE_SWITCH(KW, SX, VARIANT)                                                                \
    switch (pixels) {                                                                                      \
    EP_DEPTHWISE_CASE(1, KW, SX, VARIANT) EP_DEPTHWISE_CASE(2, KW, SX, VARIANT)                           \
    EP_DEPTHWISE_CASE(3, KW, SX, VARIANT) EP_DEPTHWISE_CASE(4, KW, SX, VARIANT)                           \
    EP_DEPTHWISE_CASE(5, KW, SX, VARIANT) EP_DEPTHWISE_CASE(6, KW, SX, VARIANT)                           \
    EP_DEPTHWISE_CASE(7, KW, SX, VARIANT) default: EP_DEPTHWISE_CASE(8, KW, SX, VARIANT)                  \
    }

/// The block function of the specialised (kernel width, stride) pairs — 3, 5 and 7 at strides 1
/// and 2, whose blocks load each input column once per kernel row — or `any` for every other shape.
#define EP_DEPTHWISE_BLOCKS_FOR(kernel_width, stride, any)                                                  \
    ((stride) == 1   ? ((kernel_width) == 3   ? blocks_3_1                                                 \
                        : (kernel_width) == 5 ? blocks_5_1                                                 \
                        : (kernel_width) == 7 ? blocks_7_1                                                 \
                                              : (any))                                                     \
     : (stride) == 2 ? ((kernel_width) == 3   ? blocks_3_2                                                 \
                        : (kernel_width) == 5 ? blocks_5_2                                                 \
                        : (kernel_width) == 7 ? blocks_7_2                                                 \
                                              : (any))                                                     \
                     : (any))

/// The file's block functions of the specialised pairs (its `EP_BLOCKS(KW, SX)` macro) and its
/// rows function `NAME` (with `ATTRIBUTES`), which takes them or the file's `blocks_any`.
#define EP_DEPTHWISE_ROWS_FUNCTION(ATTRIBUTES, NAME)                                                        \
    EP_BLOCKS(3, 1) EP_BLOCKS(3, 2) EP_BLOCKS(5, 1) EP_BLOCKS(5, 2) EP_BLOCKS(7, 1) EP_BLOCKS(7, 2)          \
    ATTRIBUTES void NAME(const ep_f32_depthwise *layer, const float *input, size_t row_begin, size_t row_end, \
                         float *output) {                                                                  \
        ep_depthwise_rows(layer, input, row_begin, row_end, output,                                        \
                          EP_DEPTHWISE_BLOCKS_FOR(layer->kernel_width, layer->stride_x, blocks_any));      \
    }

/// Output rows `row_begin..<row_end` of `layer`, written from `output` on, block by block: blocks of
/// 8 pixels and one of the rest; a row of 9-15 pixels splits into two near-even blocks (12 = 6 + 6,
/// not 8 + 4), so neither runs short of independent accumulators.
static inline void ep_depthwise_rows(const ep_f32_depthwise *layer, const float *input, size_t row_begin,
                                     size_t row_end, float *output, ep_depthwise_blocks blocks) {
    const ptrdiff_t height = (ptrdiff_t)layer->input_height, kernel_height = (ptrdiff_t)layer->kernel_height;
    const ptrdiff_t output_width = (ptrdiff_t)layer->output_width;
    const ptrdiff_t row_floats = output_width * (ptrdiff_t)layer->channels;
    const ptrdiff_t block_count = (output_width + EP_DEPTHWISE_BLOCK_PIXELS - 1) / EP_DEPTHWISE_BLOCK_PIXELS;
    for (size_t y = row_begin; y < row_end; y++) {
        const ptrdiff_t input_y = (ptrdiff_t)(y * layer->stride_y) - (ptrdiff_t)layer->pad_top;
        const ptrdiff_t ky_begin = input_y < 0 ? -input_y : 0;
        const ptrdiff_t ky_end = height - input_y < kernel_height ? height - input_y : kernel_height;
        float *output_row = output + (ptrdiff_t)(y - row_begin) * row_floats;
        ptrdiff_t x = 0;
        for (ptrdiff_t block = 0; block < block_count; block++) {
            const ptrdiff_t pixels = (output_width - x + (block_count - block) - 1) / (block_count - block);
            blocks(layer, input, input_y, ky_begin, ky_end, x, output_row, (int)pixels);
            x += pixels;
        }
    }
}

#endif
