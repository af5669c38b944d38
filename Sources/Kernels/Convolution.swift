import Tensors

/// A ready-to-run float32 NHWC convolution layer: picks the kernel for its shape and packs the
/// weights once, at creation.
///
/// Kernels: `pointwise` (1x1, stride 1, no padding: GEMM straight on the NHWC pixels),
/// `depthwise` (groups = C_in = C_out: direct, SIMD over channels) and `im2col` (anything else,
/// any groups: small im2col tiles fed to the packed GEMM). Bias and activation are fused.
public final class Convolution: @unchecked Sendable {
    /// Which kernel a `Convolution` runs.
    public enum Algorithm: String, Sendable {
        /// GEMM on NHWC pixels: [H*W, C_in] x [C_in, C_out].
        case pointwise
        /// Direct depthwise convolution, SIMD over channels.
        case depthwise
        /// im2col tiles x packed weights, for every other shape.
        case im2col
    }

    /// The layer's geometry.
    public let shape: ConvolutionShape
    /// The fused activation.
    public let activation: Activation
    /// The kernel chosen for `shape`.
    public let algorithm: Algorithm
    private let gemmWeights: PackedGEMMWeights?
    private let depthwiseKernel: DepthwiseKernel?

    /// Builds the layer. `weights` are laid out [outputChannels][kernelHeight][kernelWidth][inputChannels / groups]
    /// (OHWI, as TFLite); `bias` has one value per output channel, or nil for none.
    public init(shape: ConvolutionShape, weights: [Float], bias: [Float]?, activation: Activation) throws(ConvolutionError) {
        try shape.validate()
        guard weights.count == shape.weightCount else {
            throw .wrongCount(field: "weights", expected: shape.weightCount, actual: weights.count)
        }
        if let bias, bias.count != shape.outputChannels {
            throw .wrongCount(field: "bias", expected: shape.outputChannels, actual: bias.count)
        }
        self.shape = shape
        self.activation = activation
        if shape.isDepthwise && !shape.isPointwise {
            algorithm = .depthwise
            depthwiseKernel = DepthwiseKernel(shape: shape, weights: weights, bias: bias, activation: activation)
            gemmWeights = nil
        } else {
            algorithm = shape.isPointwise ? .pointwise : .im2col
            gemmWeights = PackedGEMMWeights(shape: shape, weights: weights, bias: bias)
            depthwiseKernel = nil
        }
    }

    /// Runs the layer on `input`, writing `output` (replaced by a tensor of `shape.outputShape` if
    /// its shape differs), spreading the work over `pool`'s threads.
    public func forward(_ input: Tensor, into output: inout Tensor, pool: ThreadPool) {
        precondition(input.shape == shape.inputShape,
                     "Convolution.forward: input is \(input.shape), the layer expects \(shape.inputShape)")
        if output.shape != shape.outputShape { output = Tensor(shape: shape.outputShape) }
        input.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                forward(input: source.baseAddress!, output: target.baseAddress!, pool: pool)
            }
        }
    }

    /// Runs the layer on `input` and returns a new output tensor.
    public func forward(_ input: Tensor, pool: ThreadPool) -> Tensor {
        var output = Tensor(shape: shape.outputShape)
        forward(input, into: &output, pool: pool)
        return output
    }

    // MARK: - Dispatch

    /// The pointer-level forward pass shared by every kernel.
    func forward(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, pool: ThreadPool) {
        switch algorithm {
        case .depthwise:
            runDepthwise(input: input, output: output, pool: pool)
        case .pointwise:
            runPointwise(input: input, output: output, pool: pool)
        case .im2col:
            runIm2Col(input: input, output: output, pool: pool)
        }
    }

    private func runDepthwise(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, pool: ThreadPool) {
        let kernel = depthwiseKernel!
        let rowCount = shape.outputHeight
        let rowElements = shape.outputWidth * shape.outputChannels
        let tasks = WorkSplit(items: rowCount, threads: pool.threadCount, granularity: 1)
        pool.parallelFor(tasks.count) { task, _ in
            let rows = tasks.range(task)
            kernel.run(rows: rows, input: input, output: output + rows.lowerBound * rowElements)
        }
    }

    private func runPointwise(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, pool: ThreadPool) {
        let weights = gemmWeights!
        let pixels = shape.outputHeight * shape.outputWidth
        let (inputChannels, outputChannels) = (shape.inputChannels, shape.outputChannels)
        let (lower, upper) = (activation.lowerBound, activation.upperBound)
        let tasks = WorkSplit(items: pixels, threads: pool.threadCount, granularity: GEMMMicroKernel.rows)
        pool.parallelFor(tasks.count) { task, _ in
            let rows = tasks.range(task)
            for group in 0..<weights.groups {
                weights.multiply(
                    group: group, a: input + rows.lowerBound * inputChannels + group * shape.inputChannelsPerGroup,
                    aRowStride: inputChannels, rowCount: rows.count,
                    c: output + rows.lowerBound * outputChannels + group * weights.columns,
                    cRowStride: outputChannels, lower: lower, upper: upper)
            }
        }
    }

    private func runIm2Col(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, pool: ThreadPool) {
        let weights = gemmWeights!
        let pixels = shape.outputHeight * shape.outputWidth
        let outputChannels = shape.outputChannels
        let (lower, upper) = (activation.lowerBound, activation.upperBound)
        let tile = Im2ColTile(shape: shape)
        let tileRows = GEMMMicroKernel.rows
        let tileSize = (tile.depth * tileRows + 15) / 16 * 16
        let scratch = AlignedBuffer(count: tileSize * pool.threadCount)
        let tasks = WorkSplit(items: pixels, threads: pool.threadCount, granularity: tileRows)
        pool.parallelFor(tasks.count) { task, worker in
            let rows = tasks.range(task)
            let tilePointer = scratch.pointer + worker * tileSize
            var first = rows.lowerBound
            while first < rows.upperBound {
                let count = min(tileRows, rows.upperBound - first)
                for group in 0..<weights.groups {
                    tile.gather(firstPixel: first, rowCount: count, group: group, input: input, tile: tilePointer)
                    weights.multiply(
                        group: group, a: tilePointer, aRowStride: tile.depth, rowCount: count,
                        c: output + first * outputChannels + group * weights.columns,
                        cRowStride: outputChannels, lower: lower, upper: upper)
                }
                first += tileRows
            }
        }
    }
}
