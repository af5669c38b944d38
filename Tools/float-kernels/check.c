// Checks the float32 tiles of Sources/CFloatKernels against a naive loop: every row count
// (1...12) and column count (1...16), several depths, with and without a clamp; the indirect
// (implicit im2col) tile also with several runs per row read through a pointer table. Where the CPU
// (or the build's architecture) has no AVX512F it checks that the path reports itself unavailable.
#include "CFloatKernels.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static float random_float(unsigned *state) {
    *state = *state * 1664525u + 1013904223u;
    return (float)((*state >> 8) & 0xFFFF) / 32768.0f - 1.0f;
}

/// The indirect GEMM: rows 1...12, 1-3 panels (pairs and a single one) with every column count of
/// the last, 1-3 runs of several lengths, each run of each row starting at its own place in
/// `source` (as an indirection buffer points into NHWC pixels), against the same naive sum in k
/// order; returns the number of wrong values.
static int check_indirect(void) {
    enum { MAX_SEGMENTS = 3, MAX_LENGTH = 21, MAX_PANELS = 3, SOURCE = 512, C_STRIDE = 53 };
    enum { STRIDE = EP_F32_AVX512_MAX_ROWS, PANEL = MAX_SEGMENTS * MAX_LENGTH * 16 };
    static float source[SOURCE];
    static float panels[MAX_PANELS * PANEL] __attribute__((aligned(64)));
    static float biases[MAX_PANELS * 16] __attribute__((aligned(64)));
    static float c[EP_F32_AVX512_MAX_ROWS * C_STRIDE];
    const float *pointers[MAX_SEGMENTS * STRIDE];
    unsigned state = 11;
    for (size_t i = 0; i < SOURCE; i++) source[i] = random_float(&state);
    for (size_t i = 0; i < sizeof panels / sizeof *panels; i++) panels[i] = random_float(&state);
    for (size_t i = 0; i < sizeof biases / sizeof *biases; i++) biases[i] = random_float(&state);
    const size_t segment_counts[] = {1, 2, 3};
    const size_t lengths[] = {1, 5, 21};
    const float bounds[][2] = {{-INFINITY, INFINITY}, {0.0f, 6.0f}};
    int failures = 0, tiles = 0;
    for (size_t sc = 0; sc < 3; sc++) {
        for (size_t l = 0; l < 3; l++) {
            const size_t segments = segment_counts[sc], length = lengths[l], depth = segments * length;
            for (size_t s = 0; s < segments; s++) {
                for (size_t r = 0; r < STRIDE; r++) {
                    pointers[s * STRIDE + r] = source + (size_t)((random_float(&state) + 1.0f) * 0.5f * (SOURCE - MAX_LENGTH));
                }
            }
            for (size_t b = 0; b < 2; b++) {
                for (size_t rows = 1; rows <= EP_F32_AVX512_MAX_ROWS; rows++) {
                    for (size_t columns = 1; columns <= MAX_PANELS * 16; columns++) {
                        const size_t panel_count = (columns + 15) / 16;
                        for (size_t i = 0; i < sizeof c / sizeof *c; i++) c[i] = 12345.0f;
                        ep_f32_igemm_avx512(rows, segments, length, pointers, STRIDE, panels, panel_count, biases, c,
                                            C_STRIDE, columns, bounds[b][0], bounds[b][1]);
                        tiles++;
                        for (size_t r = 0; r < EP_F32_AVX512_MAX_ROWS; r++) {
                            for (size_t j = 0; j < C_STRIDE; j++) {
                                float expected = 12345.0f;  // untouched outside the tile
                                if (r < rows && j < columns) {
                                    const float *panel = panels + (j / 16) * depth * 16;
                                    expected = biases[j];
                                    for (size_t s = 0; s < segments; s++) {
                                        for (size_t k = 0; k < length; k++) {
                                            expected = fmaf(pointers[s * STRIDE + r][k],
                                                            panel[(s * length + k) * 16 + j % 16], expected);
                                        }
                                    }
                                    expected = fminf(fmaxf(expected, bounds[b][0]), bounds[b][1]);
                                }
                                if (c[r * C_STRIDE + j] != expected) {
                                    if (failures++ < 5) {
                                        printf("indirect rows %zu columns %zu runs %zu x %zu: C[%zu][%zu] = %g, expected %g\n",
                                               rows, columns, segments, length, r, j, c[r * C_STRIDE + j], expected);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    printf("avx512 indirect: %d row tiles, %d wrong values\n", tiles, failures);
    return failures;
}

int main(void) {
    if (!ep_f32_avx512_available()) {
        printf("avx512: not available here, Swift SIMD kernels only: ok\n");
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
    int indirect_failures = check_indirect();
    return failures != 0 || indirect_failures != 0;
}
