#!/usr/bin/env bash
# Builds a Swift SDK bundle that lets `swift build` type-check and compile edgeprobe for
# aarch64-unknown-linux-gnu on an x86_64 machine (make check-aarch64; Docs/aarch64.md).
#
#   Tools/aarch64-check/make-sdk.sh OUT_DIR
#
# OUT_DIR receives edgeprobe-aarch64.artifactbundle. Nothing in it links or runs code:
# - the toolchain ships the standard library's modules for x86_64 only, as .swiftinterface
#   text; they are compiled again for aarch64 (the interface's -target rewritten). In `Swift`
#   the interface, printed for x86_64, contains Float80 code; the two Float80 methods that
#   call x86-only libm helpers get a `fatalError` body instead (never run: nothing links);
# - Dispatch, Foundation and XCTest ship binary modules only; they load for aarch64 once the
#   target triple inside them is replaced by one of equal length naming aarch64 Linux (the
#   compiler compares architecture, OS and environment, not the vendor);
# - the sysroot is Debian's arm64 cross C library headers (libc6-dev-arm64-cross) plus the
#   headers of libsensors, libproc2 and libyaml, copied from the host's -dev packages: they are
#   Multi-Arch: same, so dpkg guarantees these files are byte-identical on every architecture
#   (and XNNPACK's and pthreadpool's, see below);
# - the linker is a stand-in that writes a text file where each binary would be: a real link
#   would need the arm64 Swift runtime and libraries, which this SDK does not have.
set -euo pipefail
OUT=${1:?usage: make-sdk.sh OUT_DIR}
SWIFTC=$(command -v swiftc)
TOOLCHAIN_BIN=$(dirname "$(readlink -f "$SWIFTC")")
HOST_RESOURCES=$(readlink -f "$TOOLCHAIN_BIN/../lib/swift")
FRONTEND="$TOOLCHAIN_BIN/swift-frontend"
HOST_TRIPLE=x86_64-unknown-linux-gnu
TARGET=aarch64-unknown-linux-gnu
# Same length as $HOST_TRIPLE, so the binary modules' string tables keep their offsets.
TARGET_SAME_LENGTH=aarch64-debian-linux-gnu
CROSS_INCLUDE=/usr/aarch64-linux-gnu/include

[ "$(uname -m)" = x86_64 ] || { echo "make-sdk.sh: builds on x86_64 hosts only" >&2; exit 2; }
[ -f "$CROSS_INCLUDE/stdio.h" ] || { echo "make-sdk.sh: $CROSS_INCLUDE missing (apt-get install libc6-dev-arm64-cross)" >&2; exit 1; }

BUNDLE="$OUT/edgeprobe-aarch64.artifactbundle"
WORK="$OUT/.partial"
rm -rf "$WORK" "$BUNDLE"
VARIANT="$WORK/edgeprobe-aarch64.artifactbundle/aarch64"
SYSROOT="$VARIANT/sysroot"
RESOURCES="$VARIANT/swift-resources"
mkdir -p "$SYSROOT/usr" "$RESOURCES/linux/aarch64"

# MARK: sysroot
cp -a "$CROSS_INCLUDE" "$SYSROOT/usr/include"
cp -a /usr/include/sensors /usr/include/libproc2 /usr/include/yaml.h "$SYSROOT/usr/include/"
# XNNPACK's and pthreadpool's headers are not declared Multi-Arch: same, but they are one upstream
# file with no architecture-dependent parts (no generated config, no #if on the architecture).
cp -a /usr/include/xnnpack.h /usr/include/pthreadpool.h "$SYSROOT/usr/include/"

# MARK: resource directory: the host's, with aarch64 modules in linux/
for entry in "$HOST_RESOURCES"/*; do
    name=$(basename "$entry")
    [ "$name" = linux ] || ln -s "$entry" "$RESOURCES/$name"
done
ln -s "$HOST_RESOURCES/linux/x86_64/glibc.modulemap" "$RESOURCES/linux/aarch64/glibc.modulemap"
ln -s "$HOST_RESOURCES/linux/x86_64/SwiftGlibc.h" "$RESOURCES/linux/aarch64/SwiftGlibc.h"
ln -s "$HOST_RESOURCES/linux/Testing.swiftcrossimport" "$RESOURCES/linux/Testing.swiftcrossimport"

# Interface modules, dependencies first.
INTERFACE_MODULES=(Swift SwiftOnoneSupport _Concurrency _Builtin_float Glibc _RegexParser _StringProcessing
    RegexBuilder Synchronization Distributed Observation _Volatile _Differentiation
    _TestDiscovery _TestingInterop)
# Binary-only modules, and the Testing modules that need Foundation (compiled after it is in place).
BINARY_MODULES=(Dispatch _FoundationCollections FoundationEssentials FoundationInternationalization Foundation
    FoundationNetworking FoundationXML XCTest)
LATE_INTERFACE_MODULES=(Testing _Testing_Foundation)

compile_interface() {
    local module=$1
    local source="$HOST_RESOURCES/linux/$module.swiftmodule/$HOST_TRIPLE.swiftinterface"
    local dir="$RESOURCES/linux/$module.swiftmodule"
    mkdir -p "$dir"
    sed "s/-target $HOST_TRIPLE/-target $TARGET/" "$source" > "$dir/$TARGET.swiftinterface"
    if [ "$module" = Swift ]; then stub_float80_libm_calls "$dir/$TARGET.swiftinterface"; fi
    local extra=()
    # The standard library's own modules may only be compiled as such.
    if grep -q '^// swift-module-flags:.* -parse-stdlib' "$source"; then extra+=(-parse-stdlib); fi
    "$FRONTEND" -compile-module-from-interface -module-name "$module" -target "$TARGET" "${extra[@]}" \
        -resource-dir "$RESOURCES" -sdk "$SYSROOT" -module-cache-path "$WORK/module-cache" \
        -o "$dir/$TARGET.swiftmodule" "$dir/$TARGET.swiftinterface"
}

# Float80's formRemainder and formSquareRoot call libm helpers the aarch64 shims do not declare.
stub_float80_libm_calls() {
    python3 - "$1" <<'PY'
import sys
path = sys.argv[1]
text = open(path).read()
for call in ("self = _stdlib_remainderl(self, other)", "self = _stdlib_squareRootl(self)"):
    if text.count(call) != 1:
        sys.exit(f"make-sdk.sh: expected one `{call}` in {path}")
    text = text.replace(call, 'fatalError("Float80 is x86-only")')
open(path, "w").write(text)
PY
}

for module in "${INTERFACE_MODULES[@]}"; do compile_interface "$module"; done

for module in "${BINARY_MODULES[@]}"; do
    dir="$RESOURCES/linux/$module.swiftmodule"
    mkdir -p "$dir"
    python3 - "$HOST_RESOURCES/linux/$module.swiftmodule/$HOST_TRIPLE.swiftmodule" "$dir/$TARGET.swiftmodule" \
        "$HOST_TRIPLE" "$TARGET_SAME_LENGTH" <<'PY'
import sys
source, destination, old, new = sys.argv[1:]
assert len(old) == len(new)
data = open(source, "rb").read()
if old.encode() not in data:
    sys.exit(f"make-sdk.sh: {source} does not name {old}")
open(destination, "wb").write(data.replace(old.encode(), new.encode()))
PY
done

for module in "${LATE_INTERFACE_MODULES[@]}"; do compile_interface "$module"; done
rm -rf "$WORK/module-cache"

# MARK: bundle metadata and the stand-in linker
cat > "$VARIANT/no-linker.sh" <<'SH'
#!/bin/sh
# Stand-in linker: writes a text file where the binary would be, so a compile-only build ends.
while [ $# -gt 0 ]; do
    if [ "$1" = -o ]; then output=$2; fi
    shift
done
[ -n "${output:-}" ] && echo "not linked: edgeprobe's aarch64 check compiles only (Docs/aarch64.md)" > "$output"
exit 0
SH
chmod +x "$VARIANT/no-linker.sh"
# The link step names the runtime's start-up object as an input; only its existence is checked.
mkdir -p "$SYSROOT/usr/lib/swift/linux/aarch64"
: > "$SYSROOT/usr/lib/swift/linux/aarch64/swiftrt.o"
cat > "$VARIANT/toolset.json" <<JSON
{ "schemaVersion": "1.0", "linker": { "path": "no-linker.sh" } }
JSON
cat > "$VARIANT/swift-sdk.json" <<JSON
{
  "schemaVersion": "4.0",
  "targetTriples": {
    "$TARGET": {
      "sdkRootPath": "sysroot",
      "swiftResourcesPath": "swift-resources",
      "swiftStaticResourcesPath": "swift-resources",
      "toolsetPaths": ["toolset.json"]
    }
  }
}
JSON
cat > "$WORK/edgeprobe-aarch64.artifactbundle/info.json" <<JSON
{
  "schemaVersion": "1.0",
  "artifacts": {
    "edgeprobe-aarch64": {
      "type": "swiftSDK",
      "version": "$("$SWIFTC" --version 2>/dev/null | head -1 | sed 's/.*version \([^ ]*\).*/\1/')",
      "variants": [{ "path": "aarch64", "supportedTriples": ["$HOST_TRIPLE"] }]
    }
  }
}
JSON
mv "$WORK/edgeprobe-aarch64.artifactbundle" "$BUNDLE"
rmdir "$WORK"
