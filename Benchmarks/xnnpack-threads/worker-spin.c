// How much CPU pthreadpool's worker threads burn after an XNNPACK operator returns, with and
// without XNN_FLAG_YIELD_WORKERS (which edgeprobe's XNNPACK engine sets on the last operator of an
// inference, as LiteRT's delegate does). Runs a 3x3 64->64 convolution on 56x56 at 2 threads, then
// sleeps 200 ms and reports the process's CPU time minus the caller's over that sleep: the
// workers' spinning. Build and run with run.sh.
#include <math.h>
#include <pthreadpool.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <xnnpack.h>

static double milliseconds(clockid_t clock) {
    struct timespec t;
    clock_gettime(clock, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

int main(int argc, char **argv) {
    (void)argv;
    const uint32_t flags = argc > 1 ? XNN_FLAG_YIELD_WORKERS : 0;  // any argument: yield
    if (xnn_initialize(NULL) != xnn_status_success) return 1;
    pthreadpool_t pool = pthreadpool_create(2);
    const size_t channels = 64, height = 56, width = 56;
    float *weights = calloc(channels * channels * 9, sizeof(float));
    float *input = calloc(channels * height * width, sizeof(float));
    float *output = calloc(channels * height * width, sizeof(float));
    xnn_operator_t op = NULL;
    if (xnn_create_convolution2d_nhwc_f32(1, 1, 1, 1, 3, 3, 1, 1, 1, 1, 1, channels, channels, channels, channels,
                                          weights, NULL, -INFINITY, INFINITY, flags, &op) != xnn_status_success ||
        xnn_setup_convolution2d_nhwc_f32(op, 1, height, width, input, output, pool) != xnn_status_success) {
        return 1;
    }
    for (int run = 0; run < 5; run++) {
        const double start = milliseconds(CLOCK_MONOTONIC);
        xnn_run_operator(op, pool);
        const double ran = milliseconds(CLOCK_MONOTONIC) - start;
        const double process = milliseconds(CLOCK_PROCESS_CPUTIME_ID), caller = milliseconds(CLOCK_THREAD_CPUTIME_ID);
        nanosleep(&(struct timespec){0, 200000000}, NULL);
        const double workers = (milliseconds(CLOCK_PROCESS_CPUTIME_ID) - process) -
                               (milliseconds(CLOCK_THREAD_CPUTIME_ID) - caller);
        printf("{\"yield_workers\": %s, \"run_ms\": %.2f, \"worker_cpu_ms_in_200ms_after\": %.2f}\n",
               flags ? "true" : "false", ran, workers > 0 ? workers : 0.0);  // clock steps can differ by a µs
    }
    xnn_delete_operator(op);
    pthreadpool_destroy(pool);
    return 0;
}
