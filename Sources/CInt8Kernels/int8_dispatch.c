// Path selection, weight packing and the entry points that dispatch to a path's kernels.
#include "int8_internal.h"

// MARK: - Paths

EPInt8Path ep_int8_best_path(void) {
#if defined(__x86_64__)
    if (ep_int8_cpu_has_avx512vnni()) return EPInt8PathAVX512VNNI;
    if (ep_int8_cpu_has_avx2()) return EPInt8PathAVX2;
#elif defined(__aarch64__)
#if defined(__ARM_FEATURE_DOTPROD)
    return EPInt8PathNEONDotProduct;
#else
    return EPInt8PathNEON;
#endif
#endif
    return EPInt8PathGeneric;
}

int ep_int8_path_available(EPInt8Path path) {
    switch (path) {
    case EPInt8PathGeneric:
        return 1;
#if defined(__x86_64__)
    case EPInt8PathAVX2:
        return ep_int8_cpu_has_avx2();
    case EPInt8PathAVX512VNNI:
        return ep_int8_cpu_has_avx512vnni();
#endif
#if defined(__aarch64__)
    case EPInt8PathNEON:
        return 1;
#if defined(__ARM_FEATURE_DOTPROD)
    case EPInt8PathNEONDotProduct:
        return 1;
#endif
#endif
    default:
        return 0;
    }
}

const char *ep_int8_path_name(EPInt8Path path) {
    switch (path) {
    case EPInt8PathGeneric: return "generic";
    case EPInt8PathAVX2: return "avx2";
    case EPInt8PathAVX512VNNI: return "avx512-vnni";
    case EPInt8PathNEON: return "neon";
    case EPInt8PathNEONDotProduct: return "neon-dotprod";
    }
    return "unknown";
}

int ep_int8_weight_shift(EPInt8Path path) { return path == EPInt8PathAVX2 ? 1 : 0; }

int ep_int8_activation_shift(EPInt8Path path) {
    return path == EPInt8PathNEON || path == EPInt8PathNEONDotProduct ? 128 : 0;
}

// MARK: - Packing

size_t ep_int8_padded_depth(size_t depth) { return (depth + 3) / 4 * 4; }

size_t ep_int8_packed_size(size_t columns, size_t depth) {
    size_t panels = (columns + EP_PANEL_WIDTH - 1) / EP_PANEL_WIDTH;
    return panels * ep_int8_padded_depth(depth) * EP_PANEL_WIDTH;
}

/// w / 2 rounded half away from zero: -127...127 becomes -64...64.
static int8_t halved(int8_t weight) {
    return (int8_t)(weight >= 0 ? (weight + 1) / 2 : -((1 - weight) / 2));
}

void ep_int8_pack(EPInt8Path path, const int8_t *weights, size_t columns, size_t depth, int8_t *packed,
                  int32_t *column_sums) {
    size_t padded = ep_int8_padded_depth(depth);
    memset(packed, 0, ep_int8_packed_size(columns, depth));
    int shift = ep_int8_weight_shift(path);
    for (size_t column = 0; column < columns; column++) {
        int8_t *panel = packed + (column / EP_PANEL_WIDTH) * padded * EP_PANEL_WIDTH;
        size_t lane = column % EP_PANEL_WIDTH;
        int32_t sum = 0;
        for (size_t k = 0; k < depth; k++) {
            int8_t weight = weights[column * depth + k];
            if (shift) weight = halved(weight);
            panel[(k / 4) * EP_GROUP_BYTES + lane * 4 + k % 4] = weight;
            sum += weight;
        }
        column_sums[column] = sum;
    }
}

// MARK: - Dispatch

void ep_int8_quantize(EPInt8Path path, const float *source, size_t rows, size_t count, size_t source_stride,
                      float inverse_scale, int32_t zero_point, uint8_t *target, size_t target_stride) {
    switch (path) {
#if defined(__x86_64__)
    case EPInt8PathAVX512VNNI:
        ep_int8_quantize_avx512(source, rows, count, source_stride, inverse_scale, zero_point, target, target_stride);
        return;
    case EPInt8PathAVX2:
        ep_int8_quantize_avx2(source, rows, count, source_stride, inverse_scale, zero_point, target, target_stride);
        return;
#endif
#if defined(__aarch64__)
    case EPInt8PathNEON:
    case EPInt8PathNEONDotProduct:
        ep_int8_quantize_neon(source, rows, count, source_stride, inverse_scale, zero_point, target, target_stride);
        return;
#endif
    default:
        ep_int8_quantize_generic(source, rows, count, source_stride, inverse_scale, zero_point,
                                 (uint8_t)ep_int8_activation_shift(path), target, target_stride);
        return;
    }
}

void ep_int8_gemm(const EPInt8GEMM *gemm) {
    switch (gemm->path) {
#if defined(__x86_64__)
    case EPInt8PathAVX2:
        ep_int8_gemm_avx2(gemm);
        return;
    case EPInt8PathAVX512VNNI:
        ep_int8_gemm_avx512vnni(gemm);
        return;
#endif
#if defined(__aarch64__)
    case EPInt8PathNEON:
        ep_int8_gemm_neon(gemm);
        return;
#if defined(__ARM_FEATURE_DOTPROD)
    case EPInt8PathNEONDotProduct:
        ep_int8_gemm_neon_dotprod(gemm);
        return;
#endif
#endif
    default:
        ep_int8_gemm_generic(gemm);
        return;
    }
}
