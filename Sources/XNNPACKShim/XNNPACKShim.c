// The only file that calls XNNPACK (see XNNPACKShim.h).
#define _GNU_SOURCE
#include "XNNPACKShim.h"

#include <dlfcn.h>
#include <math.h>
#include <xnnpack.h>
#include <pthreadpool.h>

#if defined(__aarch64__)
#include <sys/auxv.h>
#ifndef HWCAP_ASIMDDP
#define HWCAP_ASIMDDP (1 << 20)
#endif
#endif

struct ep_xnn_operator;  // never defined: an ep_xnn_operator* is an xnn_operator_t
struct ep_xnn_threads;   // likewise a pthreadpool_t

static inline xnn_operator_t xnn(ep_xnn_operator *op) { return (xnn_operator_t)op; }
static inline pthreadpool_t pool(ep_xnn_threads *threads) { return (pthreadpool_t)threads; }

int ep_xnn_initialize(void) { return (int)xnn_initialize(NULL); }

const char *ep_xnn_status_name(int status) {
    switch ((enum xnn_status)status) {
    case xnn_status_success: return "success";
    case xnn_status_uninitialized: return "uninitialized";
    case xnn_status_invalid_parameter: return "invalid_parameter";
    case xnn_status_invalid_state: return "invalid_state";
    case xnn_status_unsupported_parameter: return "unsupported_parameter";
    case xnn_status_unsupported_hardware: return "unsupported_hardware";
    case xnn_status_out_of_memory: return "out_of_memory";
    }
    return "unknown";
}

const char *ep_xnn_library_path(void) {
    Dl_info info;
    if (dladdr((const void *)&xnn_initialize, &info) == 0) return NULL;
    return info.dli_fname;
}

const char *ep_xnn_f32_isa(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f")) return "avx512f";
    if (__builtin_cpu_supports("fma")) return "fma3";
    if (__builtin_cpu_supports("avx")) return "avx";
    return "sse";
#elif defined(__aarch64__)
    return "neonfma";
#else
    return "scalar";
#endif
}

const char *ep_xnn_qc8_isa(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
        __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl"))
        return "avx512skx";
    if (__builtin_cpu_supports("avx2")) return "avx2";
    if (__builtin_cpu_supports("avx")) return "avx";
    if (__builtin_cpu_supports("sse4.1")) return "sse4.1";
    if (__builtin_cpu_supports("ssse3")) return "ssse3";
    return "sse2";
#elif defined(__aarch64__)
    return (getauxval(AT_HWCAP) & HWCAP_ASIMDDP) ? "neon-dotprod" : "neon";
#else
    return "scalar";
#endif
}

ep_xnn_threads *ep_xnn_threads_create(size_t count) {
    if (count <= 1) return NULL;
    return (ep_xnn_threads *)pthreadpool_create(count);
}

void ep_xnn_threads_destroy(ep_xnn_threads *threads) {
    if (threads != NULL) pthreadpool_destroy(pool(threads));
}

/// The geometry arguments of XNNPACK's convolution constructors (padding top, right, bottom, left;
/// kernel; stride; dilation 1; groups; channels per group; input and output pixel strides),
/// in their order, from `g`.
#define EP_XNN_CONVOLUTION_GEOMETRY(g)                                                                    \
    (g)->padding_top, (g)->padding_right, (g)->padding_bottom, (g)->padding_left, (g)->kernel_height,     \
        (g)->kernel_width, (g)->stride_height, (g)->stride_width, 1, 1, (g)->groups,                      \
        (g)->group_input_channels, (g)->group_output_channels, (g)->groups * (g)->group_input_channels,   \
        (g)->groups * (g)->group_output_channels

/// XNNPACK's operator flags for `yield_workers`.
static uint32_t run_flags(int yield_workers) { return yield_workers ? XNN_FLAG_YIELD_WORKERS : 0; }

int ep_xnn_create_convolution_f32(const ep_xnn_convolution_geometry *g, const float *weights, const float *bias,
                                  float output_min, float output_max, int yield_workers, ep_xnn_operator **op) {
    xnn_operator_t result = NULL;
    enum xnn_status status = xnn_create_convolution2d_nhwc_f32(
        EP_XNN_CONVOLUTION_GEOMETRY(g), weights, bias, output_min, output_max, run_flags(yield_workers), &result);
    *op = (ep_xnn_operator *)result;
    return (int)status;
}

int ep_xnn_setup_convolution_f32(ep_xnn_operator *op, const ep_xnn_convolution_geometry *g, const float *input,
                                 float *output, ep_xnn_threads *threads) {
    return (int)xnn_setup_convolution2d_nhwc_f32(xnn(op), 1, g->input_height, g->input_width, input, output,
                                                 pool(threads));
}

int ep_xnn_create_convolution_qc8(const ep_xnn_convolution_geometry *g, int8_t input_zero_point, float input_scale,
                                  const float *weight_scales, const int8_t *weights, const int32_t *bias,
                                  int8_t output_zero_point, float output_scale, int8_t output_min,
                                  int8_t output_max, int yield_workers, ep_xnn_operator **op) {
    xnn_operator_t result = NULL;
    enum xnn_status status = xnn_create_convolution2d_nhwc_qc8(
        EP_XNN_CONVOLUTION_GEOMETRY(g), input_zero_point, input_scale, weight_scales, weights, bias,
        output_zero_point, output_scale, output_min, output_max, run_flags(yield_workers), &result);
    *op = (ep_xnn_operator *)result;
    return (int)status;
}

int ep_xnn_setup_convolution_qc8(ep_xnn_operator *op, const ep_xnn_convolution_geometry *g, const int8_t *input,
                                 int8_t *output, ep_xnn_threads *threads) {
    return (int)xnn_setup_convolution2d_nhwc_qc8(xnn(op), 1, g->input_height, g->input_width, input, output,
                                                 pool(threads));
}

int ep_xnn_create_add_f32(int yield_workers, ep_xnn_operator **op) {
    xnn_operator_t result = NULL;
    enum xnn_status status = xnn_create_add_nd_f32(-INFINITY, INFINITY, run_flags(yield_workers), &result);
    *op = (ep_xnn_operator *)result;
    return (int)status;
}

int ep_xnn_setup_add_f32(ep_xnn_operator *op, size_t count, const float *a, const float *b, float *sum,
                         ep_xnn_threads *threads) {
    const size_t shape[1] = {count};
    return (int)xnn_setup_add_nd_f32(xnn(op), 1, shape, 1, shape, a, b, sum, pool(threads));
}

int ep_xnn_create_global_average_pooling_f32(size_t channels, int yield_workers, ep_xnn_operator **op) {
    xnn_operator_t result = NULL;
    enum xnn_status status = xnn_create_global_average_pooling_nwc_f32(channels, channels, channels, -INFINITY,
                                                                       INFINITY, run_flags(yield_workers), &result);
    *op = (ep_xnn_operator *)result;
    return (int)status;
}

int ep_xnn_setup_global_average_pooling_f32(ep_xnn_operator *op, size_t pixels, const float *input, float *output,
                                            ep_xnn_threads *threads) {
    return (int)xnn_setup_global_average_pooling_nwc_f32(xnn(op), 1, pixels, input, output, pool(threads));
}

int ep_xnn_run(ep_xnn_operator *op, ep_xnn_threads *threads) { return (int)xnn_run_operator(xnn(op), pool(threads)); }

void ep_xnn_delete(ep_xnn_operator *op) {
    if (op != NULL) xnn_delete_operator(xnn(op));
}
