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

/// Panels of `EP_PANEL_WIDTH` output channels that the GEMM's columns take.
static inline size_t ep_panel_count(const EPInt8GEMM *gemm) {
    return (gemm->columns + EP_PANEL_WIDTH - 1) / EP_PANEL_WIDTH;
}

/// Columns of C the panel starting at `column` holds: `EP_PANEL_WIDTH`, fewer in the last panel.
static inline size_t ep_panel_columns(const EPInt8GEMM *gemm, size_t column) {
    return gemm->columns - column < EP_PANEL_WIDTH ? gemm->columns - column : EP_PANEL_WIDTH;
}

/// The tile of at most `tile_rows` rows of C starting at `row`: returns how many rows it has and
/// points `a[0..<tile_rows]` at their activations, rows past the end repeating the tile's first
/// (read by the unrolled kernels, never stored).
static inline size_t ep_tile_rows(const EPInt8GEMM *gemm, size_t row, size_t tile_rows, const uint8_t **a) {
    size_t rows = gemm->rows - row < tile_rows ? gemm->rows - row : tile_rows;
    for (size_t r = 0; r < tile_rows; r++) a[r] = gemm->a + (row + (r < rows ? r : 0)) * gemm->a_stride;
    return rows;
}

/// Quantizes `x[index..<count]` one float at a time into `q` (round to nearest even, add the zero
/// point, clamp to 0...255, XOR `flip`: 0 for uint8 codes, 0x80 for NEON's code - 128), then writes
/// zeros up to `padded`: every path's scalar tail.
static inline void ep_quantize_tail(const float *x, uint8_t *q, size_t index, size_t count, size_t padded,
                                    float inverse_scale, int32_t zero_point, uint8_t flip) {
    for (; index < count; index++) {
        float code = __builtin_rintf(x[index] * inverse_scale) + (float)zero_point;
        code = code < 0 ? 0 : (code > 255 ? 255 : code);
        q[index] = (uint8_t)code ^ flip;
    }
    for (index = count; index < padded; index++) q[index] = 0;
}

/// A path's vector part of quantizing one row: the codes of `x[0..<n]` into `q`, returning `n`,
/// as far as the path's vectors reach (`count` with masked tails, else a multiple of their width).
typedef size_t (*EPQuantizeVectors)(const float *x, uint8_t *q, size_t count, float inverse_scale, int32_t zero_point);

/// Every path's quantize kernel: each of `rows` rows goes through `vectors` (NULL: none), then
/// `ep_quantize_tail` (XOR `flip`) for the rest and the zero padding. Always inlined into the
/// path's kernel with a constant `vectors`, which is then inlined too: its vector constants are
/// set once outside the row loop, and no row pays for a call.
__attribute__((always_inline)) static inline void ep_quantize_rows(
    const float *source, size_t rows, size_t count, size_t source_stride, float inverse_scale, int32_t zero_point,
    uint8_t *target, size_t target_stride, uint8_t flip, EPQuantizeVectors vectors) {
    size_t padded = ep_int8_padded_depth(count);
    for (size_t row = 0; row < rows; row++) {
        const float *x = source + row * source_stride;
        uint8_t *q = target + row * target_stride;
        size_t index = vectors ? vectors(x, q, count, inverse_scale, zero_point) : 0;
        ep_quantize_tail(x, q, index, count, padded, inverse_scale, zero_point, flip);
    }
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
