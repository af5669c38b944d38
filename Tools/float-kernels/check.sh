#!/usr/bin/env bash
# Runs check.c against the float32 tiles (Sources/CFloatKernels) natively and, when the cross
# compiler and qemu-user are installed (apt: gcc-aarch64-linux-gnu libc6-dev-arm64-cross
# qemu-user), for aarch64, where the target must build and report the AVX512 path unavailable and
# the NEON depthwise kernel must match (on qemu's `max` CPU and on a Cortex-A72, a Raspberry Pi 4's);
# natively it also checks the portable one-lane depthwise kernel (built with EP_DEPTHWISE_PORTABLE).
# CHECK_SANITIZE=1 builds the native check with AddressSanitizer and UndefinedBehaviorSanitizer
# (any report fails the run) and skips the aarch64 builds, which are static (make test-sanitizers).
set -euo pipefail
cd "$(dirname "$0")/../.."
SANITIZE=()
if [ "${CHECK_SANITIZE:-0}" = 1 ]; then
    SANITIZE=(-g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all)
fi
SOURCES=(Sources/CFloatKernels/*.c Tools/float-kernels/check.c)
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
# -ffp-contract=off: the naive loop must use fmaf exactly where written.
cc -O2 -Wall -Wextra "${SANITIZE[@]}" -ffp-contract=off -ISources/CFloatKernels/include "${SOURCES[@]}" -lm -o "$OUT/native"
echo "== native ($(uname -m))${SANITIZE[*]:+ with ASan+UBSan}"
"$OUT/native"
# The portable one-lane depthwise kernel of architectures without an intrinsics layer.
cc -O2 -Wall -Wextra "${SANITIZE[@]}" -ffp-contract=off -DEP_DEPTHWISE_PORTABLE -ISources/CFloatKernels/include "${SOURCES[@]}" -lm -o "$OUT/portable"
echo "== native ($(uname -m)), EP_DEPTHWISE_PORTABLE${SANITIZE[*]:+ with ASan+UBSan}"
"$OUT/portable"
if [ ${#SANITIZE[@]} -gt 0 ]; then
    echo "aarch64: skipped (sanitizers need a dynamic build)"
elif command -v aarch64-linux-gnu-gcc > /dev/null && command -v qemu-aarch64 > /dev/null; then
    aarch64-linux-gnu-gcc -O2 -Wall -Wextra -static -ISources/CFloatKernels/include "${SOURCES[@]}" -lm -o "$OUT/aarch64"
    for cpu in max cortex-a72; do
        echo "== aarch64 (qemu -cpu $cpu)"
        qemu-aarch64 -cpu "$cpu" "$OUT/aarch64"
    done
else
    echo "aarch64: skipped (needs aarch64-linux-gnu-gcc and qemu-aarch64)"
fi
