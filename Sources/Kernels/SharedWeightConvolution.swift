import Tensors

/// A float32 NHWC convolution (groups = 1) whose weights stay k-means shared: one byte per weight
/// indexing a small codebook, looked up on the fly (Deep Compression's form, never decoded to a
/// dense weight array). Tiles of output pixels as in `SparseConvolution`: each looked-up weight is
/// broadcast and multiplied into whole rows of gathered patches.
public final class SharedWeightConvolution: @unchecked Sendable {
    /// The layer's geometry.
    public let shape: ConvolutionShape
    /// The fused activation.
    public let activation: Activation
    /// The shared values (at most 256).
    public let codebook: [Float]
    /// One codebook index per weight, laid out [out][kh][kw][in].
    private let indices: [UInt8]
    private let bias: [Float]

    /// Builds the layer from a codebook and one index per weight.
    /// - Throws: `ConvolutionError` for an impossible shape, wrong counts, groups other than 1,
    ///   or an index past the codebook.
    public init(
        shape: ConvolutionShape, codebook: [Float], indices: [UInt8], bias: [Float]?, activation: Activation
    ) throws(ConvolutionError) {
        try shape.validate()
        guard shape.groups == 1 else {
            throw .invalidShape(field: "groups", problem: "a shared-weight convolution needs groups = 1, got \(shape.groups)")
        }
        guard indices.count == shape.weightCount else {
            throw .wrongCount(field: "indices", expected: shape.weightCount, actual: indices.count)
        }
        let largest = Int(indices.max() ?? 0)
        guard (1...256).contains(codebook.count), largest < codebook.count else {
            throw .invalidShape(field: "codebook", problem: "has \(codebook.count) entries; needs 1...256 and more than the largest index \(largest)")
        }
        if let bias, bias.count != shape.outputChannels {
            throw .wrongCount(field: "bias", expected: shape.outputChannels, actual: bias.count)
        }
        self.shape = shape
        self.activation = activation
        self.codebook = codebook
        self.indices = indices
        self.bias = bias ?? [Float](repeating: 0, count: shape.outputChannels)
    }

    /// Runs the layer on `input`, writing `output` (replaced if its shape differs).
    public func forward(_ input: Tensor, into output: inout Tensor, pool: ThreadPool) {
        precondition(input.shape == shape.inputShape,
                     "SharedWeightConvolution.forward: input is \(input.shape), the layer expects \(shape.inputShape)")
        if output.shape != shape.outputShape { output = Tensor(shape: shape.outputShape) }
        let tile = PatchTile.tilePixels
        let patchCount = shape.kernelHeight * shape.kernelWidth * shape.inputChannels
        let scratchFloats = (patchCount + shape.outputChannels) * tile
        let scratch = UnsafeMutableRawPointer.allocate(
            byteCount: scratchFloats * MemoryLayout<Float>.stride * pool.threadCount, alignment: 64)
        defer { scratch.deallocate() }
        let pixels = shape.outputHeight * shape.outputWidth
        let tiles = (pixels + tile - 1) / tile
        let split = WorkSplit(items: tiles, threads: pool.threadCount, granularity: 1, macsPerItem: max(1, indices.count * tile))
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
                        PatchTile.scatter(base + patchCount * tile, channels: shape.outputChannels, firstPixel: first,
                                          count: count, into: target)
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

    /// Looked-up weights x patch rows: results[oc * tile + i] for every output channel of the tile.
    private func multiply(patches: UnsafeMutablePointer<Float>, into results: UnsafeMutablePointer<Float>) {
        let tile = PatchTile.tilePixels
        let patchCount = shape.kernelHeight * shape.kernelWidth * shape.inputChannels
        let lower = SIMD8<Float>(repeating: activation.lowerBound)
        let upper = SIMD8<Float>(repeating: activation.upperBound)
        let rawPatches = UnsafeRawPointer(patches)
        let rawResults = UnsafeMutableRawPointer(results)
        let vectorBytes = MemoryLayout<SIMD8<Float>>.stride
        let rowBytes = tile * MemoryLayout<Float>.stride
        codebook.withUnsafeBufferPointer { codebook in
            indices.withUnsafeBufferPointer { indices in
                for output in 0..<shape.outputChannels {
                    let start = SIMD8<Float>(repeating: bias[output])
                    var (sum0, sum1, sum2, sum3) = (start, start, start, start)
                    let row = indices.baseAddress! + output * patchCount
                    for element in 0..<patchCount {
                        let weight = SIMD8<Float>(repeating: codebook[Int(row[element])])
                        let patch = rawPatches + element * rowBytes
                        sum0 = sum0.addingProduct(weight, patch.load(as: SIMD8<Float>.self))
                        sum1 = sum1.addingProduct(weight, patch.load(fromByteOffset: vectorBytes, as: SIMD8<Float>.self))
                        sum2 = sum2.addingProduct(weight, patch.load(fromByteOffset: 2 * vectorBytes, as: SIMD8<Float>.self))
                        sum3 = sum3.addingProduct(weight, patch.load(fromByteOffset: 3 * vectorBytes, as: SIMD8<Float>.self))
                    }
                    let target = rawResults + output * rowBytes
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
