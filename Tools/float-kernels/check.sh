#!/usr/bin/env bash
# Runs check.c against the float32 tiles (Sources/CFloatKernels) natively and, when the cross
# compiler and qemu-user are installed (apt: gcc-aarch64-linux-gnu libc6-dev-arm64-cross
# qemu-user), for aarch64, where the target must build and report the AVX512 path unavailable.
set -euo pipefail
cd "$(dirname "$0")/../.."
SOURCES=(Sources/CFloatKernels/*.c Tools/float-kernels/check.c)
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
# -ffp-contract=off: the naive loop must use fmaf exactly where written.
cc -O2 -Wall -Wextra -ffp-contract=off -ISources/CFloatKernels/include "${SOURCES[@]}" -lm -o "$OUT/native"
echo "== native ($(uname -m))"
"$OUT/native"
if command -v aarch64-linux-gnu-gcc > /dev/null && command -v qemu-aarch64 > /dev/null; then
    aarch64-linux-gnu-gcc -O2 -Wall -Wextra -static -ISources/CFloatKernels/include "${SOURCES[@]}" -lm -o "$OUT/aarch64"
    echo "== aarch64 (qemu)"
    qemu-aarch64 -cpu max "$OUT/aarch64"
else
    echo "aarch64: skipped (needs aarch64-linux-gnu-gcc and qemu-aarch64)"
fi
