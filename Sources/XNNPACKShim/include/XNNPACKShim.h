// Every call edgeprobe makes into XNNPACK, in one place. XNNPACK has no stable API: operator
// signatures changed between snapshots (Debian 12 ships 0.0~git20220216), so the rest of
// edgeprobe sees only these functions, which take plain geometry and return XNNPACK's status
// (0 = success, see `ep_xnn_status_name`).
#ifndef EDGEPROBE_XNNPACKSHIM_H
#define EDGEPROBE_XNNPACKSHIM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// An XNNPACK operator, created with its weights packed, set up on fixed buffers, run many times.
typedef struct ep_xnn_operator ep_xnn_operator;
/// A pthreadpool the operators spread their work over (NULL runs on the calling thread).
typedef struct ep_xnn_threads ep_xnn_threads;

// `yield_workers` (every create function): nonzero for the last operator of an inference, whose run
// puts pthreadpool's workers to sleep when it ends (XNN_FLAG_YIELD_WORKERS, as LiteRT's delegate
// asks for every inference). Without it the workers spin for about a million polls (~20 ms of CPU
// here) after every operator, taking a CPU from whatever runs next: the other engine's turn in an
// interleaved measurement, or the board's other work. Operators inside an inference do not yield,
// so the next one finds the workers awake.

/// Initializes XNNPACK once per process (safe to call again); returns the status.
int ep_xnn_initialize(void);

/// XNNPACK's status as text ("success", "invalid_parameter", "unsupported_hardware", ...).
const char *ep_xnn_status_name(int status);

/// The file XNNPACK was loaded from (for the package that provides it), or NULL.
const char *ep_xnn_library_path(void);

/// The micro-kernel family XNNPACK's initialization picks on this CPU for float32 GEMM and
/// convolution ("avx512f", "fma3", "avx", "sse" on x86-64; "neonfma", "neon" on arm; "scalar"),
/// following the order of the snapshot's `init.c`.
const char *ep_xnn_f32_isa(void);

/// The family it picks for channel-wise quantized int8 convolution ("avx512skx", "avx2", "avx",
/// "sse4.1", "ssse3", "sse2"; "neon-dotprod", "neon"; "scalar").
const char *ep_xnn_qc8_isa(void);

/// A pool of `count` threads (the caller counts as one); NULL when `count` <= 1.
ep_xnn_threads *ep_xnn_threads_create(size_t count);
void ep_xnn_threads_destroy(ep_xnn_threads *threads);

/// The geometry of one NHWC convolution, batch 1.
typedef struct ep_xnn_convolution_geometry {
    uint32_t padding_top, padding_right, padding_bottom, padding_left;
    uint32_t kernel_height, kernel_width, stride_height, stride_width;
    uint32_t groups;
    size_t group_input_channels, group_output_channels;
    size_t input_height, input_width;
} ep_xnn_convolution_geometry;

/// A float32 convolution: `weights` laid out [groups * group_output_channels][kh][kw][group_input_channels]
/// (edgeprobe's OHWI; a depthwise layer is groups = C with one channel per group, which XNNPACK
/// runs with its depthwise micro-kernels), `bias` one per output channel (NULL for none), the
/// output clamped to [output_min, output_max]. Weights are copied and packed; the arrays may go.
int ep_xnn_create_convolution_f32(const ep_xnn_convolution_geometry *geometry, const float *weights,
                                  const float *bias, float output_min, float output_max, int yield_workers,
                                  ep_xnn_operator **op);

/// Binds a float32 convolution to its input and output buffers (which must stay valid).
int ep_xnn_setup_convolution_f32(ep_xnn_operator *op, const ep_xnn_convolution_geometry *geometry,
                                 const float *input, float *output, ep_xnn_threads *threads);

/// A channel-wise quantized int8 convolution (XNNPACK's qc8): input real = input_scale * (q - input_zero_point),
/// weights symmetric int8 [O][kh][kw][I / groups] with one scale per output channel, int32 bias
/// in units of input_scale * weight_scales[c], output requantized to int8 with its scale and zero point.
int ep_xnn_create_convolution_qc8(const ep_xnn_convolution_geometry *geometry, int8_t input_zero_point,
                                  float input_scale, const float *weight_scales, const int8_t *weights,
                                  const int32_t *bias, int8_t output_zero_point, float output_scale,
                                  int8_t output_min, int8_t output_max, int yield_workers, ep_xnn_operator **op);

/// Binds a qc8 convolution to its int8 input and output buffers.
int ep_xnn_setup_convolution_qc8(ep_xnn_operator *op, const ep_xnn_convolution_geometry *geometry,
                                 const int8_t *input, int8_t *output, ep_xnn_threads *threads);

/// An element-wise float32 addition of `count` values (a residual connection).
int ep_xnn_create_add_f32(int yield_workers, ep_xnn_operator **op);
int ep_xnn_setup_add_f32(ep_xnn_operator *op, size_t count, const float *a, const float *b, float *sum,
                         ep_xnn_threads *threads);

/// Global average pooling of `pixels` NHWC pixels of `channels` floats into one pixel.
int ep_xnn_create_global_average_pooling_f32(size_t channels, int yield_workers, ep_xnn_operator **op);
int ep_xnn_setup_global_average_pooling_f32(ep_xnn_operator *op, size_t pixels, const float *input, float *output,
                                            ep_xnn_threads *threads);

/// Runs a set-up operator.
int ep_xnn_run(ep_xnn_operator *op, ep_xnn_threads *threads);

/// Frees an operator (NULL is ignored).
void ep_xnn_delete(ep_xnn_operator *op);

#ifdef __cplusplus
}
#endif

#endif
