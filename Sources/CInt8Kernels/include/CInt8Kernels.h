// int8 GEMM micro-kernels for edgeprobe's int8 convolution: uint8 activations x int8 weights with
// int32 accumulation, rescaled to float32 per output channel with the activation clamp fused.
//
// Swift's 8-bit multiply-add lowers to half-used vpmaddwd, so the inner loops live here, written
// with intrinsics per instruction set and chosen at run time:
//   x86-64:  AVX512-VNNI (vpdpbusd on zmm), AVX2 (vpmaddubsw + vpmaddwd), generic C
//   aarch64: NEON dot product (sdot, where the CPU reports asimddp), NEON (smull + sadalp), generic C
// Each path lives in its own file, compiled with its own target attribute; a table of the paths'
// kernel functions is filled once, at first use, from the CPU's features (`ep_int8_kernels`), and
// layers call through the row they were packed for — no per-call switch.
//
// Weights are packed once, at layer creation, into panels of 16 output channels: for each group
// of 4 reduction steps, 16 channels x 4 consecutive int8 weights (64 bytes), zero past the real
// channels and past the depth. Activation rows are read 4 bytes at a time, so a row must be
// readable up to the padded depth (the padding bytes multiply zero weights).
#ifndef EDGEPROBE_CINT8KERNELS_H
#define EDGEPROBE_CINT8KERNELS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// An instruction-set path of the int8 kernels, slowest first within each architecture (Swift's
/// `Int8KernelPath.best` chooses the fastest that runs here and `EDGEPROBE_MAX_ISA` admits).
typedef enum EPInt8Path {
    /// Portable C (any CPU).
    EPInt8PathGeneric = 0,
    /// x86-64 AVX2: vpmaddubsw + vpmaddwd; weights halved to 7 bits (see `EPInt8Kernels.weight_shift`).
    EPInt8PathAVX2 = 1,
    /// x86-64 AVX512-VNNI: vpdpbusd on zmm registers.
    EPInt8PathAVX512VNNI = 2,
    /// aarch64 NEON without dot product: smull + sadalp on int8 activations (code - 128).
    EPInt8PathNEON = 3,
    /// aarch64 NEON dot product (ARMv8.2 sdot) on int8 activations (code - 128).
    EPInt8PathNEONDotProduct = 4,
} EPInt8Path;

/// A path's row of the kernel table (defined below).
typedef struct EPInt8Kernels EPInt8Kernels;

/// `depth` rounded up to a multiple of 4: the row length the kernels read.
size_t ep_int8_padded_depth(size_t depth);

/// Bytes of packed weights for `columns` output channels and reduction length `depth`.
size_t ep_int8_packed_size(size_t columns, size_t depth);

/// Packs `weights` ([columns][depth], row-major, -127...127) for `kernels` into `packed`
/// (`ep_int8_packed_size` bytes, 64-byte aligned) and writes each column's sum of packed weights
/// to `column_sums` (`columns` values) for the zero-point correction.
void ep_int8_pack(const EPInt8Kernels *kernels, const int8_t *weights, size_t columns, size_t depth,
                  int8_t *packed, int32_t *column_sums);

/// The geometry `ep_int8_im2col` reads (NHWC input, square or not, any stride and padding).
typedef struct EPInt8Im2Col {
    size_t input_height, input_width, channels;
    size_t kernel_height, kernel_width, stride_y, stride_x;
    ptrdiff_t padding_top, padding_left;
    size_t output_width;
    /// The byte standing for real 0 (the quantized zero point, minus the activation shift).
    uint8_t padding_byte;
} EPInt8Im2Col;

/// Gathers the patches of output pixels `first_pixel ..< first_pixel + count` (raster order) of
/// the quantized NHWC `input` into rows `row_stride` bytes apart, in (ky, kx, c) order, padding
/// taps with `padding_byte` and the bytes up to the padded depth with 0. Runs are moved 16 bytes
/// at a time: `input` must be readable, and `rows` writable, for 16 bytes past their ends.
void ep_int8_im2col(const EPInt8Im2Col *geometry, const uint8_t *input, size_t first_pixel, size_t count,
                    uint8_t *rows, size_t row_stride);

/// One GEMM call: C[rows x columns] = clamp(scales[n] * (A x B)[.][n] + offsets[n], lower, upper).
typedef struct EPInt8GEMM {
    /// Activation rows (quantized for `path`), each readable for the padded depth.
    const uint8_t *a;
    size_t rows;
    size_t a_stride;
    /// Packed weights and the padded depth they were packed with.
    const int8_t *packed;
    size_t padded_depth;
    size_t columns;
    /// Per column, readable up to `columns` rounded up to 16.
    const float *scales;
    const float *offsets;
    float lower, upper;
    /// Output, `c_stride` floats per row; only `columns` columns are written.
    float *c;
    size_t c_stride;
} EPInt8GEMM;

/// Quantizes `rows` x `count` floats (row stride `source_stride` floats) to activation bytes:
/// byte = clamp(round_to_even(x * inverse_scale) + zero_point, 0, 255) - the path's activation
/// shift, rows `target_stride` bytes apart; the bytes between `count` and the padded depth are zeroed.
typedef void (*EPInt8QuantizeKernel)(const float *source, size_t rows, size_t count, size_t source_stride,
                                     float inverse_scale, int32_t zero_point, uint8_t *target, size_t target_stride);

/// Runs one GEMM on weights packed for the path.
typedef void (*EPInt8GEMMKernel)(const EPInt8GEMM *gemm);

/// One path's row of the kernel table: its functions and the conventions its packing follows.
struct EPInt8Kernels {
    EPInt8Path path;
    /// A short lowercase name ("avx512-vnni", "avx2", "neon-dotprod", "neon", "generic").
    const char *name;
    /// Bits the packed weights are shifted right by: 1 on AVX2, where vpmaddubsw adds two u8 x s8
    /// products into a saturating int16 (2 x 255 x 64 = 32640 fits, 2 x 255 x 127 does not), else
    /// 0. The layer multiplies its weight scales by 2^shift.
    int weight_shift;
    /// What the path subtracts from each uint8 activation code before it multiplies (128 on NEON,
    /// whose multiplies are int8 x int8; 0 elsewhere). Quantized buffers hold code - shift.
    int activation_shift;
    EPInt8QuantizeKernel quantize;
    EPInt8GEMMKernel gemm;
};

/// The row of `path`, or NULL when this CPU (or build) cannot run it. The table is filled once,
/// on first use, from the CPU's features.
const EPInt8Kernels *ep_int8_kernels(EPInt8Path path);

#ifdef __cplusplus
}
#endif

#endif
