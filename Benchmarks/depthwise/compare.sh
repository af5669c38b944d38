#!/usr/bin/env bash
# Compares edgeprobe builds on depthwise layers: conv-default, shapes.yaml and narrow.yaml, each
# build in turn, ROUNDS times, at 1 thread, then a table of each depthwise and separable layer's
# edgeprobe p50 (µs) per build: the median of the rounds and every round (Benchmarks/compare-builds.sh).
#
#   Benchmarks/depthwise/compare.sh 3 .build/release/ep-old .build/release/ep-new
#
# The float32 path is each build's best one: to measure the `.simd` path on an AVX-512 CPU, build
# with the table's best row set to `.simd`.
set -euo pipefail
cd "$(dirname "$0")/../.."
exec Benchmarks/compare-builds.sh --ops depthwise,separable --suite conv-default \
    --suite Benchmarks/depthwise/shapes.yaml --suite Benchmarks/depthwise/narrow.yaml "$@"
