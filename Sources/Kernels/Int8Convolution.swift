import CInt8Kernels
import Tensors

/// An int8 NHWC convolution (groups = 1) with int32 accumulation: weights symmetric int8 with one
/// scale per output channel, the input quantized on the fly to uint8 with a calibrated scale and
/// zero point, the int32 sums rescaled to float32 with bias and activation fused.
///
/// The multiply runs in the C micro-kernels of `CInt8Kernels` (vpdpbusd, vpmaddubsw, sdot, ...),
/// on weights packed once here. A pointwise layer quantizes each chunk of pixels and multiplies
/// them in place (the pixels are the GEMM rows); any other shape quantizes the whole input once,
/// then gathers tiles of `tilePixels` patches (im2col on bytes) and multiplies each tile.
public final class Int8Convolution: ConvolutionShapedKernel, @unchecked Sendable {
    /// Output pixels gathered and multiplied together by the im2col path.
    public static let tilePixels = 48
    /// Pixels per chunk step when threads split rows (a multiple of every path's row tile: 6, 4, 2).
    static let rowGranularity = 12
    /// Output channels per chunk step when threads split channels (two 16-channel panels).
    static let columnGranularity = 32

    /// The layer's geometry.
    public let shape: ConvolutionShape
    /// The fused activation.
    public let activation: Activation
    /// The input's quantization: real = scale · (q − zeroPoint), q in 0...255.
    public let inputScale: Float
    /// The uint8 code of real 0.
    public let inputZeroPoint: Int32
    /// The micro-kernel path the weights are packed for.
    public var kernelPath: Int8KernelPath { weights.path }
    private let weights: PackedInt8Weights
    /// The quantized input and patch tiles kept across calls, one set per concurrent call.
    private let workspaces = LayerWorkspaces<ScratchWorkspace>()

    /// Builds the layer from int8 weights [out][kh][kw][in] with one scale per output channel.
    /// `path` picks the micro-kernels (default: the best this CPU runs).
    /// - Throws: `ConvolutionError` for an impossible shape, wrong counts, groups other than 1,
    ///   an input scale that is not positive, or a path this CPU cannot run.
    public init(
        shape: ConvolutionShape, weights: [Int8], weightScales: [Float], bias: [Float]?, activation: Activation,
        inputScale: Float, inputZeroPoint: Int32, path: Int8KernelPath = .best
    ) throws(ConvolutionError) {
        try shape.validate()
        try shape.requireUngrouped(by: "an int8 convolution")
        try shape.checkWeightCount(weights.count)
        guard weightScales.count == shape.outputChannels else {
            throw .wrongCount(field: "weightScales", expected: shape.outputChannels, actual: weightScales.count)
        }
        try shape.checkBias(bias)
        guard inputScale > 0, inputScale.isFinite else {
            throw .invalidShape(field: "inputScale", problem: "must be positive and finite, got \(inputScale)")
        }
        guard (0...255).contains(inputZeroPoint) else {
            throw .invalidShape(field: "inputZeroPoint", problem: "must be in 0...255, got \(inputZeroPoint)")
        }
        guard path.isAvailable else {
            throw .invalidShape(field: "path", problem: "the \(path) int8 kernels do not run on this CPU")
        }
        self.shape = shape
        self.activation = activation
        self.inputScale = inputScale
        self.inputZeroPoint = inputZeroPoint
        self.weights = PackedInt8Weights(
            path: path, weights: weights, columns: shape.outputChannels,
            depth: shape.kernelHeight * shape.kernelWidth * shape.inputChannels, weightScales: weightScales, bias: bias,
            inputScale: inputScale, inputZeroPoint: inputZeroPoint)
    }

    /// Runs the layer over `pool`'s threads: a GEMM straight on the pixels for a pointwise layer,
    /// on im2col rows otherwise.
    public func forward(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, pool: ThreadPool) {
        if shape.isPointwise {
            runPointwise(input: input, output: output, pool: pool)
        } else {
            runIm2col(input: input, output: output, pool: pool)
        }
    }

    // MARK: - Kernels

    /// The byte standing for real 0 on this path (the zero point minus the activation shift).
    private var paddingByte: UInt8 { UInt8(truncatingIfNeeded: inputZeroPoint - kernelPath.activationShift) }

    /// Quantizes `rows` rows of `count` floats to the path's activation bytes.
    @inline(__always)
    private func quantize(_ source: UnsafePointer<Float>, rows: Int, count: Int, sourceStride: Int,
                          into target: UnsafeMutablePointer<UInt8>, targetStride: Int) {
        kernelPath.kernels.pointee.quantize(source, rows, count, sourceStride, 1 / inputScale, inputZeroPoint,
                         target, targetStride)
    }

    /// 1x1, stride 1, no padding: each chunk quantizes its pixels (padded to a multiple of 4 bytes)
    /// into its worker's buffer and multiplies them. With too few pixels to give every thread rows
    /// (deep layers: 3x3 or 6x6 pixels), the pixels are quantized once and the threads split the
    /// output channels instead.
    private func runPointwise(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, pool: ThreadPool) {
        let pixels = shape.outputHeight * shape.outputWidth
        let (channels, outputChannels) = (shape.inputChannels, shape.outputChannels)
        let rowBytes = weights.paddedDepth
        let (lower, upper) = (activation.lowerBound, activation.upperBound)
        if pool.threadCount > 1, pixels < Self.rowGranularity * pool.threadCount * 2, outputChannels > Self.columnGranularity {
            let columnGroups = (outputChannels + Self.columnGranularity - 1) / Self.columnGranularity
            let split = WorkSplit(items: columnGroups, threads: pool.threadCount, granularity: 1,
                                  macsPerItem: pixels * channels * Self.columnGranularity)
            workspaces.withScratch(byteCount: pixels * rowBytes) { scratch in
                let quantized = scratch.assumingMemoryBound(to: UInt8.self)
                quantize(input, rows: pixels, count: channels, sourceStride: channels, into: quantized, targetStride: rowBytes)
                pool.parallelFor(split.count) { chunk, _ in
                    let groups = split.range(chunk)
                    let columns = groups.lowerBound * Self.columnGranularity..<min(outputChannels, groups.upperBound * Self.columnGranularity)
                    weights.multiply(a: quantized, rows: pixels, aStride: rowBytes, c: output, cStride: outputChannels,
                                     lower: lower, upper: upper, columnRange: columns)
                }
            }
            return
        }
        let block = Self.tilePixels
        let workerBytes = (block * rowBytes + 63) / 64 * 64
        let split = WorkSplit(items: pixels, threads: pool.threadCount, granularity: Self.rowGranularity,
                              macsPerItem: channels * outputChannels)
        workspaces.withScratch(byteCount: workerBytes * pool.threadCount) { scratch in
            pool.parallelFor(split.count) { chunk, worker in
                let rows = (scratch + worker * workerBytes).assumingMemoryBound(to: UInt8.self)
                let range = split.range(chunk)
                var first = range.lowerBound
                while first < range.upperBound {
                    let count = min(block, range.upperBound - first)
                    quantize(input + first * channels, rows: count, count: channels, sourceStride: channels,
                             into: rows, targetStride: rowBytes)
                    weights.multiply(a: rows, rows: count, aStride: rowBytes, c: output + first * outputChannels,
                                     cStride: outputChannels, lower: lower, upper: upper)
                    first += count
                }
            }
        }
    }

    /// Any other shape: quantize the input once, then per tile of output pixels gather the patches
    /// (im2col on bytes, padding with the zero point) and multiply them.
    private func runIm2col(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, pool: ThreadPool) {
        let elements = shape.inputShape.elementCount
        // 64 zero bytes of slack: im2col moves runs 16 bytes at a time and may read past the input.
        let quantizedBytes = (elements + 64 + 63) / 64 * 64
        // 16 bytes of slack per worker: im2col may write up to 15 bytes past its last row.
        let workerBytes = (Self.tilePixels * weights.paddedDepth + 16 + 63) / 64 * 64
        workspaces.withScratch(byteCount: quantizedBytes + workerBytes * pool.threadCount) { scratch in
            let quantized = scratch.bindMemory(to: UInt8.self, capacity: elements + 64)
            (quantized + elements).initialize(repeating: 0, count: 64)
            // Chunks of whole 64-byte runs, so the zero padding past a chunk's end is never another chunk's data.
            let quantizeSplit = WorkSplit(items: (elements + 63) / 64, threads: pool.threadCount, granularity: 1,
                                          macsPerItem: 64 * 16)
            pool.parallelFor(quantizeSplit.count) { chunk, _ in
                let range = quantizeSplit.range(chunk)
                let first = range.lowerBound * 64
                let count = min(range.upperBound * 64, elements) - first
                quantize(input + first, rows: 1, count: count, sourceStride: count, into: quantized + first, targetStride: count)
            }
            multiplyTiles(quantized: quantized, tileScratch: scratch + quantizedBytes, workerBytes: workerBytes,
                          output: output, pool: pool)
        }
    }

    /// The im2col tiles over the `quantized` input: each worker gathers a tile of patches into its
    /// `workerBytes` of `tileScratch` and multiplies it.
    private func multiplyTiles(
        quantized: UnsafePointer<UInt8>, tileScratch: UnsafeMutableRawPointer, workerBytes: Int,
        output: UnsafeMutablePointer<Float>, pool: ThreadPool
    ) {
        var geometry = EPInt8Im2Col(
            input_height: shape.inputHeight, input_width: shape.inputWidth, channels: shape.inputChannels,
            kernel_height: shape.kernelHeight, kernel_width: shape.kernelWidth, stride_y: shape.strideY,
            stride_x: shape.strideX, padding_top: shape.padding.top, padding_left: shape.padding.left,
            output_width: shape.outputWidth, padding_byte: paddingByte)
        let pixels = shape.outputHeight * shape.outputWidth
        let outputChannels = shape.outputChannels
        let rowBytes = weights.paddedDepth
        let tile = Self.tilePixels
        let (lower, upper) = (activation.lowerBound, activation.upperBound)
        let tiles = (pixels + tile - 1) / tile
        let split = WorkSplit(items: tiles, threads: pool.threadCount, granularity: 1,
                              macsPerItem: max(1, tile * weights.depth * outputChannels))
        withUnsafePointer(to: &geometry) { geometry in
            pool.parallelFor(split.count) { chunk, worker in
                let rows = (tileScratch + worker * workerBytes).assumingMemoryBound(to: UInt8.self)
                for tileIndex in split.range(chunk) {
                    let first = tileIndex * tile
                    let count = min(tile, pixels - first)
                    ep_int8_im2col(geometry, quantized, first, count, rows, rowBytes)
                    weights.multiply(a: rows, rows: count, aStride: rowBytes, c: output + first * outputChannels,
                                     cStride: outputChannels, lower: lower, upper: upper)
                }
            }
        }
    }
}
