// Checks every int8 kernel path this CPU (or emulator) runs against plain reference loops:
// GEMM sums, quantization and im2col must match exactly. Built and run by check.sh, natively
// and for aarch64 under qemu-user (NEON with and without the dot product), so the paths the
// Swift tests cannot reach on an x86-64 machine are exercised too.
#include "CInt8Kernels.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// MARK: - Random numbers

static unsigned long long state = 0x9E3779B97F4A7C15ull;

static unsigned next_random(void) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return (unsigned)(state >> 33);
}

static int random_in(int low, int high) { return low + (int)(next_random() % (unsigned)(high - low + 1)); }

// MARK: - Checks

/// rows x columns x depth: the path's float outputs with scale 1 and offset 0 are its int32 sums.
static int check_gemm(const EPInt8Kernels *kernels, size_t rows, size_t columns, size_t depth) {
    size_t padded = ep_int8_padded_depth(depth);
    int shift = kernels->activation_shift;
    int8_t *weights = malloc(columns * depth);
    uint8_t *codes = malloc(rows * depth);
    uint8_t *bytes = calloc(rows * padded + 8, 1);
    int8_t *packed = aligned_alloc(64, (ep_int8_packed_size(columns, depth) + 63) / 64 * 64 + 64);
    int32_t *sums = malloc(columns * sizeof(int32_t));
    size_t padded_columns = (columns + 15) / 16 * 16;
    float *scales = malloc(padded_columns * sizeof(float)), *offsets = calloc(padded_columns, sizeof(float));
    float *c = malloc(rows * columns * sizeof(float));
    for (size_t i = 0; i < columns * depth; i++) weights[i] = (int8_t)random_in(-127, 127);
    for (size_t i = 0; i < rows * depth; i++) codes[i] = (uint8_t)random_in(0, 255);
    for (size_t r = 0; r < rows; r++) {
        for (size_t k = 0; k < depth; k++) bytes[r * padded + k] = (uint8_t)(codes[r * depth + k] - shift);
    }
    for (size_t n = 0; n < padded_columns; n++) scales[n] = 1;
    ep_int8_pack(kernels, weights, columns, depth, packed, sums);
    EPInt8GEMM gemm = {bytes, rows, padded, packed, padded, columns, scales, offsets, -1e30f, 1e30f, c, columns};
    kernels->gemm(&gemm);
    int failures = 0;
    for (size_t r = 0; r < rows; r++) {
        for (size_t n = 0; n < columns; n++) {
            long long expected = 0;
            for (size_t k = 0; k < depth; k++) {
                int w = weights[n * depth + k];
                if (kernels->weight_shift) w = w >= 0 ? (w + 1) / 2 : -((1 - w) / 2);
                expected += (long long)(codes[r * depth + k] - shift) * w;
            }
            if ((float)expected != c[r * columns + n] && failures++ < 3) {
                fprintf(stderr, "%s gemm %zux%zux%zu: c[%zu][%zu] = %.0f, expected %lld\n", kernels->name,
                        rows, columns, depth, r, n, c[r * columns + n], expected);
            }
        }
    }
    free(weights); free(codes); free(bytes); free(packed); free(sums); free(scales); free(offsets); free(c);
    return failures;
}

/// Quantized bytes equal round-to-even(x / scale) + zero point, clamped, minus the path's shift.
static int check_quantize(const EPInt8Kernels *kernels, size_t count) {
    float *x = malloc(count * sizeof(float));
    uint8_t *q = malloc(ep_int8_padded_depth(count));
    for (size_t i = 0; i < count; i++) x[i] = (float)random_in(-3000, 3000) / 1000.0f;
    float inverse = 255.0f / 4.0f;
    int32_t zero = 100;
    kernels->quantize(x, 1, count, count, inverse, zero, q, count);
    int failures = 0;
    for (size_t i = 0; i < count; i++) {
        float code = rintf(x[i] * inverse) + (float)zero;
        code = code < 0 ? 0 : (code > 255 ? 255 : code);
        uint8_t expected = (uint8_t)((int)code - kernels->activation_shift);
        if (q[i] != expected && failures++ < 3) {
            fprintf(stderr, "%s quantize: x = %g gives %u, expected %u\n", kernels->name, x[i], q[i], expected);
        }
    }
    free(x); free(q);
    return failures;
}

/// im2col of a padded, strided 3x3 layer against the naive gather.
static int check_im2col(void) {
    size_t height = 7, width = 6, channels = 3, kernel = 3, stride = 2;
    size_t output_height = (height + 1) / stride, output_width = (width + 1) / stride;
    EPInt8Im2Col geometry = {height, width, channels, kernel, kernel, stride, stride, 0, 1, output_width, 77};
    size_t depth = kernel * kernel * channels, padded = ep_int8_padded_depth(depth), pixels = output_height * output_width;
    uint8_t *input = malloc(height * width * channels + 8), *rows = malloc(pixels * padded + 8);
    for (size_t i = 0; i < height * width * channels + 8; i++) input[i] = (uint8_t)random_in(0, 255);
    ep_int8_im2col(&geometry, input, 0, pixels, rows, padded);
    int failures = 0;
    for (size_t p = 0; p < pixels; p++) {
        for (size_t k = 0; k < padded; k++) {
            uint8_t expected = 0;
            if (k < depth) {
                long y = (long)(p / output_width * stride) + (long)(k / (kernel * channels));
                long x = (long)(p % output_width * stride) - 1 + (long)(k / channels % kernel);
                expected = y < 0 || y >= (long)height || x < 0 || x >= (long)width ? 77
                    : input[((size_t)y * width + (size_t)x) * channels + k % channels];
            }
            if (rows[p * padded + k] != expected && failures++ < 3) {
                fprintf(stderr, "im2col: pixel %zu byte %zu is %u, expected %u\n", p, k, rows[p * padded + k], expected);
            }
        }
    }
    free(input); free(rows);
    return failures;
}

int main(void) {
    int failures = check_im2col();
    const size_t shapes[][3] = {{1, 1, 1}, {5, 17, 27}, {6, 32, 28}, {13, 45, 37}, {7, 16, 300}, {50, 33, 9}, {9, 160, 960}};
    for (int path = EPInt8PathGeneric; path <= EPInt8PathNEONDotProduct; path++) {
        const EPInt8Kernels *kernels = ep_int8_kernels((EPInt8Path)path);
        if (kernels == NULL) continue;
        int path_failures = check_quantize(kernels, 1003);
        for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
            path_failures += check_gemm(kernels, shapes[s][0], shapes[s][1], shapes[s][2]);
        }
        printf("%-13s %s\n", kernels->name, path_failures ? "FAILED" : "ok");
        failures += path_failures;
    }
    return failures ? 1 : 0;
}
