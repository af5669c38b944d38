// float32 GEMM micro-kernels for edgeprobe's pointwise and regular (indirect GEMM) convolutions
// for instruction sets the Swift build does not target (it is compiled for AVX2 + FMA on x86-64),
// and its depthwise convolution on every path, chosen at run time.
//
//   x86-64 with AVX512F: up to 12 rows x 16 columns in zmm registers (32 of them: 12 accumulators
//   stay in registers where AVX2's 16 ymm hold 6 x 16), so a late layer's 9 pixels take one pass
//   over each weight panel instead of a 6-row and a 3-row pass. Each broadcast of the input feeds
//   one multiply-add and folds into it (`vfmadd231ps mem{1to16}`): a separate broadcast shared by
//   two panels costs an FP pipe on AMD Zen 4 (the indirect GEMM ran 8 x 32 tiles that way, ~15 %
//   under the FMA peak on the stem).
//   Everywhere else `ep_f32_avx512_available` returns 0 and the Swift SIMD GEMM kernels run
//   (aarch64: NEON through Swift's SIMD8<Float>).
//
//   The depthwise convolution: `ep_f32_depthwise_rows_avx512` (16 channels per zmm) where the CPU
//   has AVX512F, else `ep_f32_depthwise_rows_simd`, one source over a thin intrinsics layer for
//   AVX2 + FMA (8 channels per ymm) and NEON (4 per q register). On this AMD EPYC (Zen 4) with the
//   `.simd` path forced, against the Swift SIMD8 kernel it replaced: 3x3 layers of conv-default
//   0.60-0.79x its time, 5x5 and 7x7 layers of the mobilenet-v2-96 space 0.40-0.60x (Docs/engines.md,
//   "Depthwise kernel for AVX2 and NEON", with the commands). Its NEON speed is an llvm-mca
//   estimate, not measured: inner loops at 83-100 % of a Cortex-A72's FMA peak on LLVM's model,
//   as fast as the Swift kernel at 3x3 stride 1 and faster on other shapes there; on a core with
//   two FMA pipes (Cortex-A76) mixed, the 3x3 stride-2 loop bound by its instruction count.
//
// Weights are the Swift side's packed panels: `depth` rows of 16 contiguous floats, 64-byte aligned.
#ifndef EDGEPROBE_CFLOATKERNELS_H
#define EDGEPROBE_CFLOATKERNELS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Rows of C the AVX512 tile computes at most.
#define EP_F32_AVX512_MAX_ROWS 12

/// Whether this CPU runs the AVX512F kernels (and this build has them: x86-64 only).
int ep_f32_avx512_available(void);

/// One tile: C[r][j] = clamp(bias[j] + sum_k A[r][k] * panel[k * 16 + j], lower, upper) for
/// r < `rows` (1...12) and j < `columns` (1...16); row r of A starts at `a + r * a_stride` and is
/// `depth` floats long; row r of C starts at `c + r * c_stride`. Each sum is accumulated in k
/// order with fused multiply-adds (the same result as the Swift kernels of more than one row).
void ep_f32_gemm_tile_avx512(size_t rows, size_t depth, const float *a, size_t a_stride, const float *panel,
                             const float *bias, float *c, size_t c_stride, size_t columns, float lower,
                             float upper);

/// Rows 0..<`rows` of an indirect GEMM (implicit im2col) across all `panel_count` panels of a group,
/// in tiles of `tile_rows` (1...12; the last may be shorter): C[r][j] = clamp(bias[j] +
/// sum_k A[r][k] * B[k][j], lower, upper) for j < `columns` (1...16 * panel_count). Tile t covers
/// rows t * tile_rows... and reads `layouts[2t]` runs (`segment_count`) of `layouts[2t + 1]`
/// contiguous floats (`segment_length`; their product is the depth) per row: run s of its row r
/// starts at `pointers[t * pointers_per_tile + s * tile_rows + r]`. Row r of C starts at
/// `c + r * c_stride`. Panel p (depth rows of 16 floats, 64-byte aligned) starts `p * depth * 16`
/// floats after `panels`, its 16 biases `p * 16` after `biases`; panels go one at a time
/// (rows x 16). Each sum is accumulated in k order with fused multiply-adds from the bias (the
/// same bits as the Swift indirect kernel and the contiguous tile).
void ep_f32_igemm_avx512(size_t rows, size_t tile_rows, const size_t *layouts, const float *const *pointers,
                         size_t pointers_per_tile, const float *panels, size_t panel_count, const float *biases,
                         float *c, size_t c_stride, size_t columns, float lower, float upper);

/// A depthwise convolution (groups = channels, one filter per channel) on NHWC float32 data, as
/// `ep_f32_depthwise_rows_avx512` reads it.
typedef struct {
    size_t input_height, input_width, channels;
    size_t kernel_height, kernel_width, stride_y, stride_x, pad_top, pad_left;
    size_t output_width;
    /// Per tap (ky, kx) in that order, `weight_stride` floats: channel c's weight at offset c.
    const float *weights;
    size_t weight_stride;
    /// One per channel.
    const float *bias;
    /// The fused activation's clamp.
    float lower, upper;
} ep_f32_depthwise;

/// Output rows `row_begin..<row_end` of `layer` on AVX512F, written from `output` on (row
/// `row_begin` first, `output_width * channels` floats each): out = clamp(bias + Σ in · w) over the
/// taps inside the input (padding adds nothing), each sum from the bias in (ky, kx) order with fused
/// multiply-adds. Reads only input rows and columns inside the input and channels < `channels`
/// (masked loads), so `input` may be a base whose rows outside those the window needs are not memory.
/// Blocks of up to 8 output pixels x 16 channels; kernel widths 3, 5 and 7 at strides 1 and 2 share
/// each loaded input column among the block's pixels, other shapes load per tap.
void ep_f32_depthwise_rows_avx512(const ep_f32_depthwise *layer, const float *input, size_t row_begin,
                                  size_t row_end, float *output);

/// Whether this CPU runs `ep_f32_depthwise_rows_simd`: x86-64 with AVX2 and FMA, every aarch64
/// (NEON); 0 on other architectures.
int ep_f32_depthwise_simd_available(void);

/// `ep_f32_depthwise_rows_avx512`'s contract on AVX2 + FMA (8 channels per vector) or NEON (4): the
/// same sums to the same bits. Reads only input rows and columns inside the input and channels <
/// `channels`: a channel tail's vector overlaps the one before it, and a layer of fewer channels
/// than a vector takes partial loads (AVX2 masked, NEON per lane). Blocks of up to 8 output pixels x one vector of channels;
/// kernel widths 3, 5 and 7 at strides 1 and 2 share each loaded input column among the block's
/// pixels, other shapes load per tap.
void ep_f32_depthwise_rows_simd(const ep_f32_depthwise *layer, const float *input, size_t row_begin,
                                size_t row_end, float *output);

/// Asks the CPU to start loading the cache line at `address` (x86 prefetcht0, aarch64 prfm): the
/// one-row kernel streams megabytes of weights, and the hardware prefetchers stop at page boundaries.
static inline void ep_f32_prefetch(const void *address) { __builtin_prefetch(address, 0, 3); }

#ifdef __cplusplus
}
#endif

#endif
