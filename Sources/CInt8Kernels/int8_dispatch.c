// The kernel table: one row per instruction-set path, filled once from the CPU's features, and
// the weight packing every path shares.
#include "int8_internal.h"
#include <pthread.h>

#if defined(__aarch64__)
#include <sys/auxv.h>
#ifndef HWCAP_ASIMDDP
#define HWCAP_ASIMDDP (1 << 20)
#endif

int ep_int8_cpu_has_dotprod(void) { return (getauxval(AT_HWCAP) & HWCAP_ASIMDDP) != 0; }
#endif

// MARK: - Table

/// Rows indexed by `EPInt8Path`; a row with no `gemm` is a path this CPU or build cannot run.
static EPInt8Kernels table[EPInt8PathNEONDotProduct + 1];
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

/// Makes `path` runnable with these kernels.
static void enable(EPInt8Path path, EPInt8QuantizeKernel quantize, EPInt8GEMMKernel gemm) {
    table[path].quantize = quantize;
    table[path].gemm = gemm;
}

static void fill_table(void) {
    table[EPInt8PathGeneric] = (EPInt8Kernels){EPInt8PathGeneric, "generic", 0, 0, ep_int8_quantize_generic,
                                               ep_int8_gemm_generic};
    table[EPInt8PathAVX2] = (EPInt8Kernels){EPInt8PathAVX2, "avx2", 1, 0, NULL, NULL};
    table[EPInt8PathAVX512VNNI] = (EPInt8Kernels){EPInt8PathAVX512VNNI, "avx512-vnni", 0, 0, NULL, NULL};
    table[EPInt8PathNEON] = (EPInt8Kernels){EPInt8PathNEON, "neon", 0, 128, NULL, NULL};
    table[EPInt8PathNEONDotProduct] = (EPInt8Kernels){EPInt8PathNEONDotProduct, "neon-dotprod", 0, 128, NULL, NULL};
#if defined(__x86_64__)
    if (ep_int8_cpu_has_avx2()) enable(EPInt8PathAVX2, ep_int8_quantize_avx2, ep_int8_gemm_avx2);
    if (ep_int8_cpu_has_avx512vnni()) enable(EPInt8PathAVX512VNNI, ep_int8_quantize_avx512, ep_int8_gemm_avx512vnni);
#elif defined(__aarch64__)
    enable(EPInt8PathNEON, ep_int8_quantize_neon, ep_int8_gemm_neon);
    if (ep_int8_cpu_has_dotprod()) enable(EPInt8PathNEONDotProduct, ep_int8_quantize_neon, ep_int8_gemm_neon_dotprod);
#endif
}

const EPInt8Kernels *ep_int8_kernels(EPInt8Path path) {
    pthread_once(&table_once, fill_table);
    if ((int)path < 0 || path > EPInt8PathNEONDotProduct || table[path].gemm == NULL) return NULL;
    return &table[path];
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

void ep_int8_pack(const EPInt8Kernels *kernels, const int8_t *weights, size_t columns, size_t depth, int8_t *packed,
                  int32_t *column_sums) {
    size_t padded = ep_int8_padded_depth(depth);
    memset(packed, 0, ep_int8_packed_size(columns, depth));
    int shift = kernels->weight_shift;
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
