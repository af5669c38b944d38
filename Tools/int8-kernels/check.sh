#!/usr/bin/env bash
# Runs check.c against the int8 kernels (Sources/CInt8Kernels) natively and, when the cross
# compiler and qemu-user are installed (apt: gcc-aarch64-linux-gnu libc6-dev-arm64-cross
# qemu-user), for aarch64: one armv8-a build (as the Swift build makes), run on an emulated
# Cortex-A72 (Raspberry Pi 4: no dot product, the table must enable neon but not neon-dotprod)
# and on qemu's `max` CPU (dot product: the same binary must enable neon-dotprod at run time).
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
    aarch64-linux-gnu-gcc -O2 -Wall -Wextra -static -march=armv8-a -ISources/CInt8Kernels/include \
        "${SOURCES[@]}" -lm -o "$OUT/aarch64"
    for cpu in cortex-a72 max; do
        echo "== aarch64 -march=armv8-a on qemu -cpu $cpu"
        qemu-aarch64 -cpu "$cpu" "$OUT/aarch64" | tee "$OUT/$cpu.txt"
    done
    grep -Eq "^neon +ok$" "$OUT/cortex-a72.txt" || { echo "cortex-a72: expected the neon path" >&2; exit 1; }
    ! grep -q "^neon-dotprod" "$OUT/cortex-a72.txt" || { echo "cortex-a72: neon-dotprod enabled without asimddp" >&2; exit 1; }
    grep -Eq "^neon-dotprod +ok$" "$OUT/max.txt" || { echo "max: expected the neon-dotprod path" >&2; exit 1; }
else
    echo "aarch64: skipped (needs aarch64-linux-gnu-gcc and qemu-aarch64)"
fi
