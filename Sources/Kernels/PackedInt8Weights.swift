import CInt8Kernels

/// int8 convolution weights packed once, at layer creation, for one `Int8KernelPath`, with the
/// per-output-channel factors that turn the kernel's int32 sums into float32 outputs.
///
/// The kernel computes acc = Σ b · w' over activation bytes b = code − shift and packed weights
/// w' = w / 2^weightShift; the layer's output is inputScale · weightScale · Σ (code − zeroPoint) · w
/// + bias = scale' · acc + offset, with scale' = inputScale · weightScale · 2^weightShift and
/// offset = bias + scale' · (shift − zeroPoint) · Σ w'.
final class PackedInt8Weights: @unchecked Sendable {
    /// The path the weights are packed for.
    let path: Int8KernelPath
    /// Output channels.
    let columns: Int
    /// Reduction length (kh · kw · C_in).
    let depth: Int
    /// `depth` rounded up to a multiple of 4: the activation row length the kernel reads.
    let paddedDepth: Int
    private let packed: UnsafeMutableRawPointer
    /// Per column (padded with zeros to a multiple of 16): scale' and offset.
    private let scales: AlignedBuffer
    private let offsets: AlignedBuffer

    /// Packs `weights` ([columns][depth], −127...127) with one scale per column.
    init(path: Int8KernelPath, weights: [Int8], columns: Int, depth: Int, weightScales: [Float], bias: [Float]?,
         inputScale: Float, inputZeroPoint: Int32) {
        precondition(weights.count == columns * depth && weightScales.count == columns, "PackedInt8Weights: counts")
        self.path = path
        self.columns = columns
        self.depth = depth
        paddedDepth = ep_int8_padded_depth(depth)
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: max(ep_int8_packed_size(columns, depth), 64), alignment: 64)
        var sums = [Int32](repeating: 0, count: columns)
        weights.withUnsafeBufferPointer { source in
            sums.withUnsafeMutableBufferPointer { target in
                ep_int8_pack(path.kernels, source.baseAddress, columns, depth,
                             buffer.assumingMemoryBound(to: Int8.self), target.baseAddress)
            }
        }
        packed = buffer
        let paddedColumns = (columns + 15) / 16 * 16
        scales = AlignedBuffer(count: paddedColumns)
        offsets = AlignedBuffer(count: paddedColumns)
        let weightFactor = Float(1 << path.weightShift)
        let zeroShift = Float(path.activationShift - inputZeroPoint)
        for column in 0..<columns {
            let scale = inputScale * weightScales[column] * weightFactor
            scales.pointer[column] = scale
            offsets.pointer[column] = (bias?[column] ?? 0) + scale * zeroShift * Float(sums[column])
        }
    }

    deinit {
        packed.deallocate()
    }

    /// C[rows x columns] = clamp(scale' · (A x W) + offset) for activation rows `a` (`aStride` bytes
    /// apart, each readable for `paddedDepth` bytes), written `cStride` floats apart; only the
    /// output channels in `columnRange` (whose lower bound is a multiple of 16) when given.
    @inline(__always)
    func multiply(a: UnsafePointer<UInt8>, rows: Int, aStride: Int, c: UnsafeMutablePointer<Float>, cStride: Int,
                  lower: Float, upper: Float, columnRange: Range<Int>? = nil) {
        let range = columnRange ?? 0..<columns
        precondition(range.lowerBound % 16 == 0, "PackedInt8Weights: column ranges start on a panel")
        let first = range.lowerBound
        var gemm = EPInt8GEMM(
            a: a, rows: rows, a_stride: aStride,
            packed: UnsafePointer(packed.assumingMemoryBound(to: Int8.self)) + first * paddedDepth,
            padded_depth: paddedDepth, columns: range.count,
            scales: scales.pointer + first, offsets: offsets.pointer + first, lower: lower, upper: upper,
            c: c + first, c_stride: cStride)
        path.kernels.pointee.gemm(&gemm)
    }
}
