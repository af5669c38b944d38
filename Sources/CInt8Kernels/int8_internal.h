// Declarations shared by the int8 kernel files (not part of the module's public header).
#ifndef EDGEPROBE_INT8_INTERNAL_H
#define EDGEPROBE_INT8_INTERNAL_H

#include "CInt8Kernels.h"
#include <string.h>

/// Output channels per packed panel.
#define EP_PANEL_WIDTH 16
/// Bytes of one panel row group: 16 channels x 4 reduction steps.
#define EP_GROUP_BYTES 64

/// Four activation bytes as one 32-bit value (unaligned load).
static inline uint32_t ep_load_u32(const uint8_t *pointer) {
    uint32_t value;
    memcpy(&value, pointer, sizeof value);
    return value;
}

/// The portable kernels (every build).
void ep_int8_gemm_generic(const EPInt8GEMM *gemm);
void ep_int8_quantize_generic(const float *source, size_t rows, size_t count, size_t source_stride,
                              float inverse_scale, int32_t zero_point, uint8_t *target, size_t target_stride);

#if defined(__x86_64__)
/// x86-64 kernels (int8_avx2.c, int8_avx512vnni.c), compiled with per-function target attributes.
void ep_int8_gemm_avx2(const EPInt8GEMM *gemm);
void ep_int8_gemm_avx512vnni(const EPInt8GEMM *gemm);
void ep_int8_quantize_avx2(const float *source, size_t rows, size_t count, size_t source_stride,
                           float inverse_scale, int32_t zero_point, uint8_t *target, size_t target_stride);
void ep_int8_quantize_avx512(const float *source, size_t rows, size_t count, size_t source_stride,
                             float inverse_scale, int32_t zero_point, uint8_t *target, size_t target_stride);
int ep_int8_cpu_has_avx2(void);
int ep_int8_cpu_has_avx512vnni(void);
#endif

#if defined(__aarch64__)
/// aarch64 kernels: NEON is the baseline (int8_neon.c); sdot (int8_neon_dotprod.c) is compiled
/// into every build with a target attribute and run only where the CPU reports asimddp.
void ep_int8_gemm_neon(const EPInt8GEMM *gemm);
void ep_int8_gemm_neon_dotprod(const EPInt8GEMM *gemm);
int ep_int8_cpu_has_dotprod(void);
void ep_int8_quantize_neon(const float *source, size_t rows, size_t count, size_t source_stride,
                           float inverse_scale, int32_t zero_point, uint8_t *target, size_t target_stride);
#endif

#endif
