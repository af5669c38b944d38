import Tensors

/// A float32 NHWC convolution (groups = 1) whose pruned weights are stored in CSR form: one row
/// per output channel holding only its nonzero weights, so the work scales with the nonzeros.
///
/// Output pixels are processed in tiles of `tilePixels`: the tile's input patches are gathered
/// channel-major (im2col, transposed: one contiguous row of tile pixels per patch element; for a
/// pointwise layer this is a transpose of the tile), then each nonzero weight is broadcast and
/// multiplied into whole rows of pixels (SIMD over pixels), and the tile is written back NHWC.
public final class SparseConvolution: @unchecked Sendable {
    /// Output pixels computed together (4 x SIMD8 lanes).
    public static let tilePixels = PatchTile.tilePixels

    /// The layer's geometry.
    public let shape: ConvolutionShape
    /// The fused activation.
    public let activation: Activation
    /// CSR row starts, one per output channel plus the end.
    private let rowStarts: [Int32]
    /// Patch-element index of each nonzero: (ky * kw + kx) * C_in + c.
    private let columns: [Int32]
    /// The nonzero weights, row by row.
    private let values: [Float]
    private let bias: [Float]

    /// Builds the layer from dense weights laid out [out][kh][kw][in]; zeros are dropped.
    /// - Throws: `ConvolutionError` for an impossible shape, wrong counts, or groups other than 1.
    public init(shape: ConvolutionShape, weights: [Float], bias: [Float]?, activation: Activation) throws(ConvolutionError) {
        try shape.validate()
        guard shape.groups == 1 else {
            throw .invalidShape(field: "groups", problem: "a sparse convolution needs groups = 1, got \(shape.groups)")
        }
        guard weights.count == shape.weightCount else {
            throw .wrongCount(field: "weights", expected: shape.weightCount, actual: weights.count)
        }
        if let bias, bias.count != shape.outputChannels {
            throw .wrongCount(field: "bias", expected: shape.outputChannels, actual: bias.count)
        }
        self.shape = shape
        self.activation = activation
        self.bias = bias ?? [Float](repeating: 0, count: shape.outputChannels)
        let patch = shape.kernelHeight * shape.kernelWidth * shape.inputChannels
        var starts: [Int32] = [0]
        var columns: [Int32] = []
        var values: [Float] = []
        for output in 0..<shape.outputChannels {
            for element in 0..<patch where weights[output * patch + element] != 0 {
                columns.append(Int32(element))
                values.append(weights[output * patch + element])
            }
            starts.append(Int32(values.count))
        }
        rowStarts = starts
        self.columns = columns
        self.values = values
    }

    /// Weights kept (the nonzeros).
    public var nonzeroCount: Int { values.count }

    /// Runs the layer on `input`, writing `output` (replaced if its shape differs).
    public func forward(_ input: Tensor, into output: inout Tensor, pool: ThreadPool) {
        precondition(input.shape == shape.inputShape,
                     "SparseConvolution.forward: input is \(input.shape), the layer expects \(shape.inputShape)")
        if output.shape != shape.outputShape { output = Tensor(shape: shape.outputShape) }
        let tile = Self.tilePixels
        let patchCount = shape.kernelHeight * shape.kernelWidth * shape.inputChannels
        let scratchFloats = (patchCount + shape.outputChannels) * tile
        let scratch = UnsafeMutableRawPointer.allocate(
            byteCount: scratchFloats * MemoryLayout<Float>.stride * pool.threadCount, alignment: 64)
        defer { scratch.deallocate() }
        let pixels = shape.outputHeight * shape.outputWidth
        let tiles = (pixels + tile - 1) / tile
        let split = WorkSplit(items: tiles, threads: pool.threadCount, granularity: 1,
                              macsPerItem: max(1, nonzeroCount * tile))
        input.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                let source = source.baseAddress!, target = target.baseAddress!
                pool.parallelFor(split.count) { chunk, worker in
                    let base = (scratch + worker * scratchFloats * MemoryLayout<Float>.stride)
                        .assumingMemoryBound(to: Float.self)
                    for tileIndex in split.range(chunk) {
                        let first = tileIndex * tile
                        let count = min(tile, pixels - first)
                        PatchTile.gather(source, shape: shape, firstPixel: first, count: count, into: base)
                        multiply(patches: base, into: base + patchCount * tile)
                        PatchTile.scatter(base + patchCount * tile, channels: shape.outputChannels, firstPixel: first, count: count, into: target)
                    }
                }
            }
        }
    }

    /// Runs the layer on `input` and returns a new output tensor.
    public func forward(_ input: Tensor, pool: ThreadPool) -> Tensor {
        var output = Tensor(shape: shape.outputShape)
        forward(input, into: &output, pool: pool)
        return output
    }

    // MARK: - Tile step

    /// Sparse rows x patch rows: results[oc * tile + i] for every output channel of the tile.
    private func multiply(patches: UnsafeMutablePointer<Float>, into results: UnsafeMutablePointer<Float>) {
        let tile = Self.tilePixels
        let lower = SIMD8<Float>(repeating: activation.lowerBound)
        let upper = SIMD8<Float>(repeating: activation.upperBound)
        let rawPatches = UnsafeRawPointer(patches)
        let rawResults = UnsafeMutableRawPointer(results)
        let vectorBytes = MemoryLayout<SIMD8<Float>>.stride
        rowStarts.withUnsafeBufferPointer { starts in
            columns.withUnsafeBufferPointer { columns in
                values.withUnsafeBufferPointer { values in
                    for output in 0..<shape.outputChannels {
                        let start = SIMD8<Float>(repeating: bias[output])
                        var (sum0, sum1, sum2, sum3) = (start, start, start, start)
                        for entry in Int(starts[output])..<Int(starts[output + 1]) {
                            let weight = SIMD8<Float>(repeating: values[entry])
                            let row = rawPatches + Int(columns[entry]) * tile * MemoryLayout<Float>.stride
                            sum0 = sum0.addingProduct(weight, row.load(as: SIMD8<Float>.self))
                            sum1 = sum1.addingProduct(weight, row.load(fromByteOffset: vectorBytes, as: SIMD8<Float>.self))
                            sum2 = sum2.addingProduct(weight, row.load(fromByteOffset: 2 * vectorBytes, as: SIMD8<Float>.self))
                            sum3 = sum3.addingProduct(weight, row.load(fromByteOffset: 3 * vectorBytes, as: SIMD8<Float>.self))
                        }
                        let target = rawResults + output * tile * MemoryLayout<Float>.stride
                        target.storeBytes(of: sum0.clamped(lower, upper), as: SIMD8<Float>.self)
                        target.storeBytes(of: sum1.clamped(lower, upper),
                                          toByteOffset: vectorBytes, as: SIMD8<Float>.self)
                        target.storeBytes(of: sum2.clamped(lower, upper),
                                          toByteOffset: 2 * vectorBytes, as: SIMD8<Float>.self)
                        target.storeBytes(of: sum3.clamped(lower, upper),
                                          toByteOffset: 3 * vectorBytes, as: SIMD8<Float>.self)
                    }
                }
            }
        }
    }
}
