// The float32 depthwise convolution (NHWC) of the `.simd` kernel path, written once over a thin
// per-ISA layer of vector intrinsics: x86-64 AVX2 + FMA (8 channels per ymm, compiled with its own
// target attribute and chosen at run time) and aarch64 NEON (4 channels per q register, the
// baseline there); any other architecture (or a build with EP_DEPTHWISE_PORTABLE, which the checks
// use to test it) takes one channel at a time with `fmaf`. Intrinsics, not the compilers' generic
// vectors: every sum must be fused multiply-adds in a fixed order (the same bits as the naive loop
// and the other paths), and neither GCC nor Clang promises a fused multiply-add on generic vectors
// (GCC has no `__builtin_elementwise_fma`; contraction follows -ffp-contract, which the checks turn
// off).
#include "CFloatKernels.h"
#include "depthwise_rows.h"

#define EP_INLINE __attribute__((always_inline)) inline

#if defined(__x86_64__) && !defined(EP_DEPTHWISE_PORTABLE)
#include <immintrin.h>

#define EP_SIMD __attribute__((target("avx2,fma")))
/// Channels per vector.
#define EP_LANES 8
typedef __m256 vec;

int ep_f32_depthwise_simd_available(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

EP_SIMD static EP_INLINE vec vload(const float *p) { return _mm256_loadu_ps(p); }
EP_SIMD static EP_INLINE void vstore(float *p, vec v) { _mm256_storeu_ps(p, v); }
/// acc + a · b, rounded once.
EP_SIMD static EP_INLINE vec vfma(vec acc, vec a, vec b) { return _mm256_fmadd_ps(a, b, acc); }
EP_SIMD static EP_INLINE vec vsplat(float x) { return _mm256_set1_ps(x); }
/// min(max(v, lower), upper), as fminf(fmaxf(v, lower), upper).
EP_SIMD static EP_INLINE vec vclamp(vec v, vec lower, vec upper) {
    return _mm256_min_ps(_mm256_max_ps(v, lower), upper);
}

/// The first `count` (< EP_LANES) lanes of a vector: AVX2's masked loads and stores touch no other
/// memory.
typedef __m256i lanes;
EP_SIMD static EP_INLINE lanes vlanes(ptrdiff_t count) {
    return _mm256_cmpgt_epi32(_mm256_set1_epi32((int)count), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}
/// The lanes of `first` at `p`, zeros in the others.
EP_SIMD static EP_INLINE vec vload_partial(const float *p, lanes first) { return _mm256_maskload_ps(p, first); }
/// Lane by lane from a stack copy: faster than a `vmaskmovps` store on this Zen 4 (3 channels at
/// 10x10, course-separable: 1.08 against 1.19 µs; at 56x56 15.9 against 19.7 µs).
EP_SIMD static EP_INLINE void vstore_partial(float *p, vec v, lanes first) {
    float copy[EP_LANES];
    _mm256_storeu_ps(copy, v);
    const int count = __builtin_popcount((unsigned)_mm256_movemask_ps(_mm256_castsi256_ps(first)));
    for (int i = 0; i < count; i++) p[i] = copy[i];
}

#elif defined(__aarch64__) && !defined(EP_DEPTHWISE_PORTABLE)
#include <arm_neon.h>

#define EP_SIMD
#define EP_LANES 4
typedef float32x4_t vec;

int ep_f32_depthwise_simd_available(void) { return 1; }  // NEON is aarch64's baseline

static EP_INLINE vec vload(const float *p) { return vld1q_f32(p); }
static EP_INLINE void vstore(float *p, vec v) { vst1q_f32(p, v); }
static EP_INLINE vec vfma(vec acc, vec a, vec b) { return vfmaq_f32(acc, a, b); }
static EP_INLINE vec vsplat(float x) { return vdupq_n_f32(x); }
/// FMAXNM/FMINNM: a NaN operand gives the other one, like fmaxf/fminf (and x86 max/min with the
/// bound second).
static EP_INLINE vec vclamp(vec v, vec lower, vec upper) { return vminnmq_f32(vmaxnmq_f32(v, lower), upper); }

/// The first `count` (< EP_LANES) lanes of a vector, loaded and stored lane by lane.
typedef ptrdiff_t lanes;
static EP_INLINE lanes vlanes(ptrdiff_t count) { return count; }
static EP_INLINE vec vload_partial(const float *p, lanes first) {
    vec v = vld1q_lane_f32(p, vdupq_n_f32(0), 0);
    if (first > 1) v = vld1q_lane_f32(p + 1, v, 1);
    if (first > 2) v = vld1q_lane_f32(p + 2, v, 2);
    return v;
}
static EP_INLINE void vstore_partial(float *p, vec v, lanes first) {
    vst1q_lane_f32(p, v, 0);
    if (first > 1) vst1q_lane_f32(p + 1, v, 1);
    if (first > 2) vst1q_lane_f32(p + 2, v, 2);
}

#else
#include <math.h>

#define EP_SIMD
#define EP_LANES 1
typedef float vec;

int ep_f32_depthwise_simd_available(void) { return 1; }

static EP_INLINE vec vload(const float *p) { return *p; }
static EP_INLINE void vstore(float *p, vec v) { *p = v; }
static EP_INLINE vec vfma(vec acc, vec a, vec b) { return fmaf(a, b, acc); }
static EP_INLINE vec vsplat(float x) { return x; }
static EP_INLINE vec vclamp(vec v, vec lower, vec upper) { return fminf(fmaxf(v, lower), upper); }

/// Never fewer channels than one lane: the partial forms are the whole ones.
typedef ptrdiff_t lanes;
static EP_INLINE lanes vlanes(ptrdiff_t count) { return count; }
static EP_INLINE vec vload_partial(const float *p, lanes first) { return (void)first, *p; }
static EP_INLINE void vstore_partial(float *p, vec v, lanes first) { (void)first, *p = v; }

#endif

/// A block's `VARIANT`: which input columns it may read and how many channels it loads (bits).
enum {
    /// Every column under the block lies inside the input; a vector of channels or more.
    INSIDE = 0,
    /// Some columns at either end lie outside (padding): those are skipped, adding nothing.
    BORDER = 1,
    /// A layer of fewer channels than a vector: every load and store takes only its lanes.
    NARROW = 2,
};

/// `PIXELS` horizontally adjacent output pixels of one output row, every channel, `EP_LANES` at a
/// time. With `KW` and `SX` constants (the specialised widths), each input column under the block is
/// loaded once per kernel row and feeds every pixel whose window covers it, the kernel row's `KW`
/// weights held in registers. `KW` 0: any kernel width and stride (the layer's, at run time), each
/// tap of each pixel loading its own column. Columns outside the input are skipped (`BORDER`), so
/// no load reads outside the input's columns, and each output is summed from its bias in (ky, kx)
/// order with fused multiply-adds over the taps inside the input, like the naive loop.
/// Channel tails: the last vector starts `EP_LANES` before the last channel and overlaps the one
/// before it (those channels are computed twice, to the same bits), so every load and store stays
/// inside a pixel's channels; only a layer of fewer channels than a vector takes partial loads.
EP_SIMD static EP_INLINE void depthwise_block(const ep_f32_depthwise *layer, const float *input, ptrdiff_t input_y,
                                              ptrdiff_t ky_begin, ptrdiff_t ky_end, ptrdiff_t output_x,
                                              float *output_row, const int PIXELS, const int KW, const int SX,
                                              const int VARIANT) {
    EP_DEPTHWISE_BLOCK_LOCALS
    // Block columns inside the input: skip_left..<end_column.
    const ptrdiff_t skip_left = (VARIANT & BORDER) && first_column < 0 ? -first_column : 0;
    const ptrdiff_t end_column = (VARIANT & BORDER) && width - first_column < columns ? width - first_column : columns;
    const ptrdiff_t last = channels - EP_LANES;
    const lanes narrow = vlanes(VARIANT & NARROW ? channels : EP_LANES);
#define EP_LOAD(p) (VARIANT & NARROW ? vload_partial((p), narrow) : vload(p))
    for (ptrdiff_t next = 0; next < channels; next += EP_LANES) {
        const ptrdiff_t channel = (VARIANT & NARROW) || next < last ? next : last;
        vec acc[EP_DEPTHWISE_BLOCK_PIXELS];
        const vec bias = EP_LOAD(layer->bias + channel);
_Pragma("GCC unroll 32")
        for (int p = 0; p < PIXELS; p++) acc[p] = bias;
        for (ptrdiff_t ky = ky_begin; ky < ky_end; ky++) {
            // Column x of this input row at row + x * channels.
            const float *row = input + (input_y + ky) * width * channels + channel;
            const float *weights = layer->weights + ky * kernel_width * weight_stride + channel;
            if (KW == 0) {
                for (ptrdiff_t kx = 0; kx < kernel_width; kx++) {
                    const vec w = EP_LOAD(weights + kx * weight_stride);
_Pragma("GCC unroll 32")
                    for (int p = 0; p < PIXELS; p++) {
                        const ptrdiff_t x = first_column + p * stride + kx;
                        if (x >= 0 && x < width) acc[p] = vfma(acc[p], EP_LOAD(row + x * channels), w);
                    }
                }
                continue;
            }
            vec w[KW > 0 ? KW : 1];
_Pragma("GCC unroll 32")
            for (int kx = 0; kx < KW; kx++) w[kx] = EP_LOAD(weights + kx * weight_stride);
_Pragma("GCC unroll 32")
            for (int j = 0; j < columns; j++) {
                if ((VARIANT & BORDER) && (j < skip_left || j >= end_column)) continue;
                const vec x = EP_LOAD(row + (first_column + j) * channels);
_Pragma("GCC unroll 32")
                for (int p = 0; p < PIXELS; p++) {
                    const int kx = j - p * SX;
                    if (kx >= 0 && kx < KW) acc[p] = vfma(acc[p], x, w[kx]);
                }
            }
        }
        // The bounds broadcast here, not held across the loop: AVX2's 16 registers are the
        // accumulators, the kernel row's weights and a column.
        const vec lower = vsplat(layer->lower), upper = vsplat(layer->upper);
        float *target = output_row + output_x * channels + channel;
_Pragma("GCC unroll 32")
        for (int p = 0; p < PIXELS; p++) {
            const vec value = vclamp(acc[p], lower, upper);
            if (VARIANT & NARROW) {
                vstore_partial(target + p * channels, value, narrow);
            } else {
                vstore(target + p * channels, value);
            }
        }
    }
#undef EP_LOAD
}

/// One block function per (kernel width, stride): `pixels` 1...8 as constants, the variant chosen
/// per block (only a row's first and last blocks can reach into the padding).
#define EP_BLOCKS(KW, SX)                                                                                   \
    EP_SIMD static void blocks_##KW##_##SX(EP_DEPTHWISE_BLOCK_PARAMETERS) {                               \
        const ptrdiff_t first = output_x * SX - (ptrdiff_t)layer->pad_left;                                \
        const ptrdiff_t right = first + (pixels - 1) * SX + KW - (ptrdiff_t)layer->input_width;            \
        const int inside = first >= 0 && right <= 0;                                                        \
        if (layer->channels >= EP_LANES) {                                                                  \
            if (inside) {                                                                                   \
                EP_DEPTHWISE_SWITCH(KW, SX, INSIDE)                                                         \
            } else {                                                                                        \
                EP_DEPTHWISE_SWITCH(KW, SX, BORDER)                                                         \
            }                                                                                               \
        } else if (inside) {                                                                                \
            EP_DEPTHWISE_SWITCH(KW, SX, NARROW)                                                             \
        } else {                                                                                            \
            EP_DEPTHWISE_SWITCH(KW, SX, NARROW | BORDER)                                                    \
        }                                                                                                   \
    }

EP_SIMD static void blocks_any(EP_DEPTHWISE_BLOCK_PARAMETERS) {
    if (layer->channels >= EP_LANES) {
        EP_DEPTHWISE_SWITCH(0, 1, BORDER)
    } else {
        EP_DEPTHWISE_SWITCH(0, 1, NARROW | BORDER)
    }
}

EP_DEPTHWISE_ROWS_FUNCTION(EP_SIMD, ep_f32_depthwise_rows_simd)
