import Tensors

/// A float32 NHWC convolution (groups = 1) whose weights stay k-means shared: one byte per weight
/// indexing a small codebook, looked up on the fly (Deep Compression's form, never decoded to a
/// dense weight array). Tiles of output pixels as in `SparseConvolution`: each looked-up weight is
/// broadcast and multiplied into whole rows of gathered patches.
public final class SharedWeightConvolution: ConvolutionShapedKernel, @unchecked Sendable {
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
        try shape.requireUngrouped(by: "a shared-weight convolution")
        try shape.checkWeightCount(indices.count, field: "indices")
        let largest = Int(indices.max() ?? 0)
        guard (1...256).contains(codebook.count), largest < codebook.count else {
            throw .invalidShape(field: "codebook", problem: "has \(codebook.count) entries; needs 1...256 and more than the largest index \(largest)")
        }
        try shape.checkBias(bias)
        self.shape = shape
        self.activation = activation
        self.codebook = codebook
        self.indices = indices
        self.bias = bias ?? [Float](repeating: 0, count: shape.outputChannels)
    }

    /// Runs the layer tile by tile over `pool`'s threads.
    public func forward(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, pool: ThreadPool) {
        PatchTile.forEachTile(input, into: output, shape: shape, pool: pool, macsPerTile: indices.count * PatchTile.tilePixels) { patches, results in
            multiply(patches: patches, into: results)
        }
    }

    // MARK: - Tile step

    /// Looked-up weights x patch rows: results[oc * tile + i] for every output channel of the tile.
    private func multiply(patches: UnsafeMutablePointer<Float>, into results: UnsafeMutablePointer<Float>) {
        let patchCount = shape.kernelHeight * shape.kernelWidth * shape.inputChannels
        codebook.withUnsafeBufferPointer { codebook in
            indices.withUnsafeBufferPointer { indices in
                PatchTile.multiply(patches: patches, into: results, bias: bias, activation: activation) { output, sums in
                    let row = indices.baseAddress! + output * patchCount
                    for element in 0..<patchCount { sums.add(codebook[Int(row[element])], element: element) }
                }
            }
        }
    }
}
