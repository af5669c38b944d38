import Tensors

/// A float32 NHWC convolution (groups = 1) whose pruned weights are stored in CSR form: one row
/// per output channel holding only its nonzero weights, so the work scales with the nonzeros.
///
/// Output pixels are processed in tiles of `tilePixels`: the tile's input patches are gathered
/// channel-major (im2col, transposed: one contiguous row of tile pixels per patch element; for a
/// pointwise layer this is a transpose of the tile), then each nonzero weight is broadcast and
/// multiplied into whole rows of pixels (SIMD over pixels), and the tile is written back NHWC.
public final class SparseConvolution: ConvolutionShapedKernel, @unchecked Sendable {
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
        try shape.requireUngrouped(by: "a sparse convolution")
        try shape.checkWeightCount(weights.count)
        try shape.checkBias(bias)
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

    /// Runs the layer tile by tile over `pool`'s threads.
    public func forward(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, pool: ThreadPool) {
        PatchTile.forEachTile(input, into: output, shape: shape, pool: pool, macsPerTile: nonzeroCount * Self.tilePixels) { patches, results in
            multiply(patches: patches, into: results)
        }
    }

    // MARK: - Tile step

    /// Sparse rows x patch rows: results[oc * tile + i] for every output channel of the tile.
    private func multiply(patches: UnsafeMutablePointer<Float>, into results: UnsafeMutablePointer<Float>) {
        rowStarts.withUnsafeBufferPointer { starts in
            columns.withUnsafeBufferPointer { columns in
                values.withUnsafeBufferPointer { values in
                    PatchTile.multiply(patches: patches, into: results, bias: bias, activation: activation) { output, sums in
                        for entry in Int(starts[output])..<Int(starts[output + 1]) {
                            sums.add(values[entry], element: Int(columns[entry]))
                        }
                    }
                }
            }
        }
    }
}
