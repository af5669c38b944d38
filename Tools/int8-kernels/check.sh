#!/usr/bin/env bash
# Runs check.c against the int8 kernels (Sources/CInt8Kernels) natively and, when the cross
# compiler and qemu-user are installed (apt: gcc-aarch64-linux-gnu libc6-dev-arm64-cross
# qemu-user), for aarch64 with and without the dot product extension.
# CHECK_SANITIZE=1 builds the native check with AddressSanitizer and UndefinedBehaviorSanitizer
# (any report fails the run) and skips the aarch64 builds, which are static (make test-sanitizers).
set -euo pipefail
cd "$(dirname "$0")/../.."
SANITIZE=()
if [ "${CHECK_SANITIZE:-0}" = 1 ]; then
    SANITIZE=(-g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all)
fi
SOURCES=(Sources/CInt8Kernels/*.c Tools/int8-kernels/check.c)
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
cc -O2 -Wall -Wextra "${SANITIZE[@]}" -ISources/CInt8Kernels/include "${SOURCES[@]}" -lm -o "$OUT/native"
echo "== native ($(uname -m))${SANITIZE[*]:+ with ASan+UBSan}"
"$OUT/native"
if [ ${#SANITIZE[@]} -gt 0 ]; then
    echo "aarch64: skipped (sanitizers need a dynamic build)"
elif command -v aarch64-linux-gnu-gcc > /dev/null && command -v qemu-aarch64 > /dev/null; then
    for march in armv8-a armv8.2-a+dotprod; do
        aarch64-linux-gnu-gcc -O2 -Wall -Wextra -static -march="$march" -ISources/CInt8Kernels/include \
            "${SOURCES[@]}" -lm -o "$OUT/aarch64"
        echo "== aarch64 -march=$march (qemu)"
        qemu-aarch64 -cpu max "$OUT/aarch64"
    done
else
    echo "aarch64: skipped (needs aarch64-linux-gnu-gcc and qemu-aarch64)"
fi
