// Runs Swift's KMeansWeightSharing.cluster and MagnitudePruning.prune on one float32 file, for
// check_swift_parity.py (compiled with those two sources only, no package build).
//
// Usage: parity IN.f32 BITS SPARSITY OUT.bin
// OUT.bin: 2^BITS f32 codebook, one u8 index per nonzero input value, one u8 keep flag per value.
// Prints the k-means iteration count.

import Glibc

let arguments = CommandLine.arguments
guard arguments.count == 5, let bits = Int(arguments[2]), let sparsity = Double(arguments[3]),
      let input = fopen(arguments[1], "rb") else {
    fputs("usage: parity IN.f32 BITS SPARSITY OUT.bin\n", stderr)
    exit(2)
}
fseek(input, 0, SEEK_END)
let count = ftell(input) / 4
fseek(input, 0, SEEK_SET)
var values = [Float](repeating: 0, count: count)
let read = values.withUnsafeMutableBytes { fread($0.baseAddress, 4, count, input) }
fclose(input)
guard read == count, let output = fopen(arguments[4], "wb") else {
    fputs("parity: cannot read \(arguments[1]) or write \(arguments[4])\n", stderr)
    exit(1)
}
let shared = KMeansWeightSharing.cluster(values.filter { $0 != 0 }, bits: bits)
let mask = MagnitudePruning.prune(values, sparsity: sparsity)
for bytes in [shared.codebook.withUnsafeBytes { Array($0) }, shared.indices, mask.bytes] {
    _ = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, bytes.count, output) }
}
fclose(output)
print(shared.iterations)
