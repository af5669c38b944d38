import Tensors

/// A depthwise-separable block run as one fused layer: for each band of output rows, the depthwise
/// result is written to a small per-thread buffer (kept across calls) and immediately consumed by the pointwise GEMM,
/// so the intermediate tensor never leaves the cache. The activation follows both stages (MobileNet).
public final class DepthwiseSeparableConvolution: TensorKernel, @unchecked Sendable {
    /// The block's geometry.
    public let shape: DepthwiseSeparableShape
    /// The block's input.
    public var inputShape: TensorShape { shape.inputShape }
    /// The block's output.
    public var outputShape: TensorShape { shape.outputShape }
    /// The activation applied after the depthwise and after the pointwise stage.
    public let activation: Activation
    private let depthwiseKernel: DepthwiseKernel
    private let pointwiseWeights: PackedGEMMWeights
    /// The per-thread band buffers kept across calls, one set per concurrent call. Not zeroed:
    /// every float the pointwise stage uses, the depthwise stage writes first.
    private let workspaces = LayerWorkspaces<ScratchWorkspace>()
    /// Intermediate pixels per band: enough rows for a few micro-kernel tiles, small enough for L1/L2.
    private static let bandPixels = 48

    /// Rows per band: at least `bandPixels` pixels, preferring a whole number of 6-row GEMM tiles
    /// (56-pixel rows: 3 rows = 28 full tiles instead of 1 row = 9 tiles and a 2-row remainder).
    static func rowsPerBand(width: Int) -> Int {
        let minimum = max(1, (bandPixels + width - 1) / width)
        for rows in minimum...(minimum * 4) where rows * width % GEMMMicroKernel.rows == 0 {
            return rows
        }
        return minimum
    }

    /// Builds the block. `depthwiseWeights` are [C_in][k][k]; `pointwiseWeights` are [C_out][C_in];
    /// biases have one value per output channel of their stage, or nil.
    public init(
        shape: DepthwiseSeparableShape, depthwiseWeights: [Float], depthwiseBias: [Float]?,
        pointwiseWeights: [Float], pointwiseBias: [Float]?, activation: Activation
    ) throws(ConvolutionError) {
        try shape.validate()
        let checks: [(String, Int, Int?)] = [
            ("depthwiseWeights", shape.depthwise.weightCount, depthwiseWeights.count),
            ("depthwiseBias", shape.depthwise.outputChannels, depthwiseBias?.count),
            ("pointwiseWeights", shape.pointwise.weightCount, pointwiseWeights.count),
            ("pointwiseBias", shape.pointwise.outputChannels, pointwiseBias?.count),
        ]
        for (field, expected, actual) in checks {
            if let actual, actual != expected { throw .wrongCount(field: field, expected: expected, actual: actual) }
        }
        self.shape = shape
        self.activation = activation
        depthwiseKernel = DepthwiseKernel(shape: shape.depthwise, weights: depthwiseWeights, bias: depthwiseBias,
                                          activation: activation)
        self.pointwiseWeights = PackedGEMMWeights(shape: shape.pointwise, weights: pointwiseWeights, bias: pointwiseBias)
    }

    // MARK: - Fused bands

    /// Runs the block band by band over `pool`'s threads.
    public func forward(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, pool: ThreadPool) {
        let middle = shape.depthwise.outputShape
        let channels = middle.channels
        let outputChannels = shape.pointwise.outputChannels
        // Bands of whole rows; a tiny block runs as one band so no worker is woken for it.
        let tiny = shape.macs < WorkSplit.minimumMACsPerChunk
        let rowsPerBand = tiny ? middle.height : Self.rowsPerBand(width: middle.width)
        let bandCount = (middle.height + rowsPerBand - 1) / rowsPerBand
        let bandSize = (rowsPerBand * middle.width * channels + 15) / 16 * 16
        let depthwiseKernel = self.depthwiseKernel
        let pointwiseWeights = self.pointwiseWeights
        let (lower, upper) = (activation.lowerBound, activation.upperBound)
        workspaces.withScratch(byteCount: bandSize * pool.threadCount * MemoryLayout<Float>.stride) { scratch in
            let scratch = scratch.assumingMemoryBound(to: Float.self)
            pool.parallelFor(bandCount) { band, worker in
                let rows = (band * rowsPerBand)..<min(middle.height, (band + 1) * rowsPerBand)
                let buffer = scratch + worker * bandSize
                depthwiseKernel.run(rows: rows, input: input, output: buffer)
                pointwiseWeights.multiply(
                    group: 0, a: buffer, aRowStride: channels, rowCount: rows.count * middle.width,
                    c: output + rows.lowerBound * middle.width * outputChannels, cRowStride: outputChannels,
                    lower: lower, upper: upper)
            }
        }
    }
}
