#!/usr/bin/env bash
# Builds worker-spin.c against Debian's XNNPACK and pthreadpool (libxnnpack-dev, installed by
# `make`) and runs it without and with XNN_FLAG_YIELD_WORKERS: the CPU XNNPACK's idle workers take
# after each operator (Docs/engines.md, "Two threads"). Run it alone:
#   flock /work/bench.lock Benchmarks/xnnpack-threads/run.sh
set -euo pipefail
cd "$(dirname "$0")"
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
cc -O2 -Wall -Wextra worker-spin.c -o "$OUT/worker-spin" -lXNNPACK -lpthreadpool -lm
"$OUT/worker-spin"
"$OUT/worker-spin" --yield-workers
