// Checks the float32 tiles of Sources/CFloatKernels against a naive loop: every row count
// (1...12) and column count (1...16), several depths, with and without a clamp; the indirect
// (implicit im2col) GEMM over 1-3 tiles of 8 and 12 rows, with several runs per row read through a
// pointer table; the depthwise
// kernels (AVX512F, and the `.simd` path's AVX2 + FMA or NEON one) over kernel sizes, strides,
// paddings, row widths and channel tails. A path the CPU (or the build's architecture) does not run
// must report itself unavailable; the aarch64 build runs the NEON depthwise kernel.
#include "CFloatKernels.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static float random_float(unsigned *state) {
    *state = *state * 1664525u + 1013904223u;
    return (float)((*state >> 8) & 0xFFFF) / 32768.0f - 1.0f;
}

/// The indirect GEMM: 1-3 tiles of 8 and of 12 rows (every row count up to 2 tiles + 3), 1-3 panels
/// (pairs and a single one) with every column count of the last, 1-3 runs of several lengths, each
/// run of each row starting at its own place in `source` (as an indirection buffer points into
/// NHWC pixels), against the same naive sum in k order; returns the number of wrong values.
static int check_indirect(void) {
    enum { MAX_SEGMENTS = 3, MAX_LENGTH = 21, MAX_PANELS = 3, SOURCE = 512, C_STRIDE = 53 };
    enum { MAX_TILE = EP_F32_AVX512_MAX_ROWS, MAX_TILES = 3, MAX_ROWS = MAX_TILES * MAX_TILE };
    enum { PER_TILE = MAX_SEGMENTS * MAX_TILE, PANEL = MAX_SEGMENTS * MAX_LENGTH * 16 };
    static float source[SOURCE];
    static float panels[MAX_PANELS * PANEL] __attribute__((aligned(64)));
    static float biases[MAX_PANELS * 16] __attribute__((aligned(64)));
    static float c[MAX_ROWS * C_STRIDE];
    const float *pointers[MAX_TILES * PER_TILE];
    size_t layouts[2 * MAX_TILES];
    unsigned state = 11;
    for (size_t i = 0; i < SOURCE; i++) source[i] = random_float(&state);
    for (size_t i = 0; i < sizeof panels / sizeof *panels; i++) panels[i] = random_float(&state);
    for (size_t i = 0; i < sizeof biases / sizeof *biases; i++) biases[i] = random_float(&state);
    for (size_t i = 0; i < MAX_TILES * PER_TILE; i++) {
        pointers[i] = source + (size_t)((random_float(&state) + 1.0f) * 0.5f * (SOURCE - MAX_LENGTH));
    }
    const size_t segment_counts[] = {1, 2, 3};
    const size_t lengths[] = {1, 5, 21};
    const size_t tile_heights[] = {8, MAX_TILE};
    const float bounds[][2] = {{-INFINITY, INFINITY}, {0.0f, 6.0f}};
    int failures = 0, calls = 0;
    for (size_t sc = 0; sc < 3; sc++) {
        for (size_t l = 0; l < 3; l++) {
            const size_t segments = segment_counts[sc], length = lengths[l], depth = segments * length;
            for (size_t t = 0; t < MAX_TILES; t++) layouts[2 * t] = segments, layouts[2 * t + 1] = length;
            for (size_t h = 0; h < 2; h++) {
                const size_t tile_rows = tile_heights[h];
                for (size_t b = 0; b < 2; b++) {
                    for (size_t rows = 1; rows <= 2 * tile_rows + 3; rows++) {
                        for (size_t columns = 1; columns <= MAX_PANELS * 16; columns++) {
                            const size_t panel_count = (columns + 15) / 16;
                            for (size_t i = 0; i < sizeof c / sizeof *c; i++) c[i] = 12345.0f;
                            ep_f32_igemm_avx512(rows, tile_rows, layouts, pointers, PER_TILE, panels, panel_count, biases,
                                                c, C_STRIDE, columns, bounds[b][0], bounds[b][1]);
                            calls++;
                            for (size_t row = 0; row < MAX_ROWS; row++) {
                                const float *const *tile = pointers + (row / tile_rows) * PER_TILE;
                                const size_t r = row % tile_rows;
                                for (size_t j = 0; j < C_STRIDE; j++) {
                                    float expected = 12345.0f;  // untouched outside the rows and columns
                                    if (row < rows && j < columns) {
                                        const float *panel = panels + (j / 16) * depth * 16;
                                        expected = biases[j];
                                        for (size_t s = 0; s < segments; s++) {
                                            for (size_t k = 0; k < length; k++) {
                                                expected = fmaf(tile[s * tile_rows + r][k],
                                                                panel[(s * length + k) * 16 + j % 16], expected);
                                            }
                                        }
                                        expected = fminf(fmaxf(expected, bounds[b][0]), bounds[b][1]);
                                    }
                                    if (c[row * C_STRIDE + j] != expected) {
                                        if (failures++ < 5) {
                                            printf("indirect rows %zu (tiles of %zu) columns %zu runs %zu x %zu: C[%zu][%zu] = %g, expected %g\n",
                                                   rows, tile_rows, columns, segments, length, row, j, c[row * C_STRIDE + j], expected);
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    printf("avx512 indirect: %d calls, %d wrong values\n", calls, failures);
    return failures;
}

/// A depthwise kernel (`rows`, named `name`): kernel widths 1-7 (3, 5, 7 specialised), strides 1-3,
/// asymmetric padding, rows of 1-40 pixels (border and interior blocks), channel counts with and
/// without a tail of 16, 8 or 4 lanes and below one vector, with and without a clamp,
/// against a naive sum from the bias in (ky, kx) order over the taps inside the input (exact: the
/// kernel adds zeros for padding, which leaves a sum unchanged); a sentinel after the last output
/// row must stay untouched. Returns the number of wrong values.
typedef void (*depthwise_rows)(const ep_f32_depthwise *, const float *, size_t, size_t, float *);

static int check_depthwise(depthwise_rows rows, const char *name) {
    enum { MAX_FLOATS = 48 * 48 * 3 + 20 * 19 * 37 };
    static float input[MAX_FLOATS], weights[49 * 48], bias[48], output[MAX_FLOATS + 1];
    unsigned state = 5;
    for (size_t i = 0; i < MAX_FLOATS; i++) input[i] = random_float(&state);
    for (size_t i = 0; i < 49 * 48; i++) weights[i] = random_float(&state);
    for (size_t i = 0; i < 48; i++) bias[i] = random_float(&state);
    // (kernel, stride, pad top, pad left, height, width, channels[, extra rows below, extra columns
    // right]): padding top and left, and as much below and right plus the extra.
    const size_t cases[][9] = {
        {3, 1, 1, 1, 12, 12, 32}, {3, 1, 1, 1, 6, 6, 37}, {3, 1, 1, 1, 3, 3, 16}, {3, 2, 0, 0, 12, 12, 48},
        {3, 2, 1, 1, 13, 19, 5}, {3, 1, 0, 2, 7, 17, 1}, {5, 1, 2, 2, 9, 11, 20}, {5, 2, 2, 1, 10, 19, 33},
        {7, 1, 3, 3, 8, 14, 17}, {7, 2, 3, 3, 9, 13, 16}, {7, 3, 3, 3, 11, 19, 9}, {2, 1, 0, 0, 5, 6, 7},
        {1, 1, 0, 0, 4, 9, 18}, {3, 3, 1, 1, 20, 19, 37},
        // Wide rows: blocks with every column inside the input (the unmasked-column variant).
        {3, 1, 1, 1, 4, 37, 21}, {3, 2, 0, 0, 3, 40, 16}, {5, 2, 2, 2, 5, 40, 16}, {7, 1, 3, 3, 3, 40, 5},
        // Every width 1-7 at stride 3 and the generic widths at strides 1 and 2; channel counts
        // around 4 and 8 lanes (fewer than a vector: lane by lane; a tail: an overlapping vector).
        {4, 2, 1, 2, 9, 13, 6}, {6, 1, 3, 2, 8, 15, 10}, {5, 3, 2, 2, 12, 17, 4}, {4, 3, 2, 1, 10, 14, 12},
        {6, 3, 2, 3, 11, 16, 3}, {2, 3, 1, 0, 7, 11, 8}, {1, 3, 0, 0, 7, 10, 2}, {1, 2, 0, 0, 6, 17, 11},
        {3, 1, 1, 1, 6, 20, 3}, {5, 2, 2, 2, 7, 21, 2}, {7, 1, 3, 3, 7, 23, 4}, {3, 2, 1, 1, 9, 33, 12},
        {5, 1, 2, 2, 6, 25, 7}, {7, 2, 3, 3, 9, 29, 9}, {3, 1, 1, 1, 5, 26, 1},
        // TensorFlow SAME at stride 2 on even sizes: one padding column and row on the far side only.
        {3, 2, 0, 0, 12, 12, 20, 1, 1}, {3, 2, 0, 0, 6, 6, 35, 1, 1}, {3, 2, 0, 0, 48, 48, 3, 1, 1},
    };
    const float bounds[][2] = {{-INFINITY, INFINITY}, {0.0f, 6.0f}};
    int failures = 0, layers = 0;
    for (size_t n = 0; n < sizeof cases / sizeof *cases; n++) {
        const size_t k = cases[n][0], s = cases[n][1], top = cases[n][2], left = cases[n][3];
        const size_t h = cases[n][4], w = cases[n][5], ch = cases[n][6];
        const size_t out_h = (h + 2 * top + cases[n][7] - k) / s + 1, out_w = (w + 2 * left + cases[n][8] - k) / s + 1;
        // The layer's input alone in a buffer of its size, so AddressSanitizer (CHECK_SANITIZE=1)
        // reports a read past its last pixel's channels.
        float *exact = malloc(h * w * ch * sizeof(float));
        if (exact == NULL) return failures + 1;
        memcpy(exact, input, h * w * ch * sizeof(float));
        for (size_t b = 0; b < 2; b++) {
            const ep_f32_depthwise layer = {
                .input_height = h, .input_width = w, .channels = ch, .kernel_height = k, .kernel_width = k,
                .stride_y = s, .stride_x = s, .pad_top = top, .pad_left = left, .output_width = out_w,
                .weights = weights, .weight_stride = 48, .bias = bias, .lower = bounds[b][0], .upper = bounds[b][1]};
            // All rows, then the rows from 1 on (the output pointer at row 1).
            for (size_t first = 0; first < 2 && first < out_h; first++) {
                for (size_t i = 0; i <= MAX_FLOATS; i++) output[i] = 12345.0f;
                rows(&layer, exact, first, out_h, output);
                layers++;
                const size_t written = (out_h - first) * out_w * ch;
                if (output[written] != 12345.0f && failures++ < 5) printf("%s depthwise case %zu wrote past its rows\n", name, n);
                for (size_t y = first; y < out_h; y++) {
                    for (size_t x = 0; x < out_w; x++) {
                        for (size_t c = 0; c < ch; c++) {
                            float expected = bias[c];
                            for (size_t ky = 0; ky < k; ky++) {
                                const long iy = (long)(y * s + ky) - (long)top;
                                if (iy < 0 || iy >= (long)h) continue;
                                for (size_t kx = 0; kx < k; kx++) {
                                    const long ix = (long)(x * s + kx) - (long)left;
                                    if (ix < 0 || ix >= (long)w) continue;
                                    expected = fmaf(input[((size_t)iy * w + (size_t)ix) * ch + c],
                                                    weights[(ky * k + kx) * 48 + c], expected);
                                }
                            }
                            expected = fminf(fmaxf(expected, bounds[b][0]), bounds[b][1]);
                            const float actual = output[((y - first) * out_w + x) * ch + c];
                            if (actual != expected && failures++ < 5) {
                                printf("%s depthwise case %zu: out[%zu][%zu][%zu] = %g, expected %g\n", name, n, y, x,
                                       c, actual, expected);
                            }
                        }
                    }
                }
            }
        }
        free(exact);
    }
    printf("%s depthwise: %d layers, %d wrong values\n", name, layers, failures);
    return failures;
}

/// The `.simd` path's depthwise kernel: AVX2 + FMA where an x86-64 CPU has them (and must say so
/// exactly then), NEON on aarch64, one lane with `fmaf` in a build with EP_DEPTHWISE_PORTABLE.
static int check_simd_depthwise(void) {
#if defined(EP_DEPTHWISE_PORTABLE)
    const int supported = 1;
    const char *name = "portable";
#elif defined(__x86_64__)
    __builtin_cpu_init();
    const int supported = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    const char *name = "avx2";
#elif defined(__aarch64__)
    const int supported = 1;
    const char *name = "neon";
#else
    const int supported = 1;
    const char *name = "portable";
#endif
    if (ep_f32_depthwise_simd_available() != supported) {
        printf("%s depthwise: reports itself %savailable, wrongly\n", name, supported ? "un" : "");
        return 1;
    }
    if (!supported) {
        printf("%s depthwise: not available on this CPU: ok\n", name);
        return 0;
    }
    return check_depthwise(ep_f32_depthwise_rows_simd, name);
}

/// The AVX512F tiles and depthwise kernel where the CPU has AVX512F; returns the number of wrong values.
static int check_avx512(void) {
    if (!ep_f32_avx512_available()) {
        printf("avx512: not available here: ok\n");
        return 0;
    }
    enum { MAX_DEPTH = 67, A_STRIDE = 70, C_STRIDE = 19 };
    static float a[EP_F32_AVX512_MAX_ROWS * A_STRIDE];
    static float panel[MAX_DEPTH * 16] __attribute__((aligned(64)));
    static float bias[16] __attribute__((aligned(64)));
    static float c[EP_F32_AVX512_MAX_ROWS * C_STRIDE];
    unsigned state = 7;
    for (size_t i = 0; i < sizeof a / sizeof *a; i++) a[i] = random_float(&state);
    for (size_t i = 0; i < sizeof panel / sizeof *panel; i++) panel[i] = random_float(&state);
    for (size_t i = 0; i < 16; i++) bias[i] = random_float(&state);
    const size_t depths[] = {1, 4, 16, 67};
    const float bounds[][2] = {{-INFINITY, INFINITY}, {0.0f, 1.0f}};
    int failures = 0, tiles = 0;
    for (size_t d = 0; d < 4; d++) {
        for (size_t b = 0; b < 2; b++) {
            for (size_t rows = 1; rows <= EP_F32_AVX512_MAX_ROWS; rows++) {
                for (size_t columns = 1; columns <= 16; columns++) {
                    for (size_t i = 0; i < sizeof c / sizeof *c; i++) c[i] = 12345.0f;
                    ep_f32_gemm_tile_avx512(rows, depths[d], a, A_STRIDE, panel, bias, c, C_STRIDE, columns,
                                            bounds[b][0], bounds[b][1]);
                    tiles++;
                    for (size_t r = 0; r < EP_F32_AVX512_MAX_ROWS; r++) {
                        for (size_t j = 0; j < C_STRIDE; j++) {
                            float expected = 12345.0f;  // untouched outside the tile
                            if (r < rows && j < columns) {
                                expected = bias[j];
                                for (size_t k = 0; k < depths[d]; k++) expected = fmaf(a[r * A_STRIDE + k], panel[k * 16 + j], expected);
                                expected = fminf(fmaxf(expected, bounds[b][0]), bounds[b][1]);
                            }
                            if (c[r * C_STRIDE + j] != expected) {
                                if (failures++ < 5) {
                                    printf("rows %zu columns %zu depth %zu: C[%zu][%zu] = %g, expected %g\n", rows,
                                           columns, depths[d], r, j, c[r * C_STRIDE + j], expected);
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    printf("avx512: %d tiles, %d wrong values\n", tiles, failures);
    return failures + check_indirect() + check_depthwise(ep_f32_depthwise_rows_avx512, "avx512");
}

int main(void) {
    const int avx512_failures = check_avx512();
    const int simd_failures = check_simd_depthwise();
    return avx512_failures != 0 || simd_failures != 0;
}
