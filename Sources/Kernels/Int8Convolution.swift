import Tensors

/// An int8 NHWC convolution (groups = 1) with int32 accumulation: weights symmetric int8 with one
/// scale per output channel, the input quantized on the fly to uint8 with a calibrated scale and
/// zero point, the int32 sums rescaled to float32 with bias and activation fused.
///
/// Output pixels are processed in tiles of `tilePixels`: the tile's quantized patches are gathered
/// element-major (one row of 32 uint8 pixels per patch element), and each weight is broadcast and
/// multiplied into whole rows with widening 8 → 32-bit SIMD multiplies (on x86 these lower to
/// `vpmaddwd`), so the accumulators never overflow: |sum| ≤ K · 255 · 127.
public final class Int8Convolution: @unchecked Sendable {
    /// Output pixels computed together (4 x SIMD8 lanes).
    public static let tilePixels = 32

    /// The layer's geometry.
    public let shape: ConvolutionShape
    /// The fused activation.
    public let activation: Activation
    /// The input's quantization: real = scale · (q − zeroPoint), q in 0...255.
    public let inputScale: Float
    /// The uint8 code of real 0.
    public let inputZeroPoint: Int32
    private let weights: [Int8]
    /// Per output channel: input scale × weight scale.
    private let outputScales: [Float]
    /// Per output channel: bias − outputScale · zeroPoint · Σ weights (the zero-point correction).
    private let offsets: [Float]

    /// Builds the layer from int8 weights [out][kh][kw][in] with one scale per output channel.
    /// - Throws: `ConvolutionError` for an impossible shape, wrong counts, groups other than 1,
    ///   or an input scale that is not positive.
    public init(
        shape: ConvolutionShape, weights: [Int8], weightScales: [Float], bias: [Float]?, activation: Activation,
        inputScale: Float, inputZeroPoint: Int32
    ) throws(ConvolutionError) {
        try shape.validate()
        guard shape.groups == 1 else {
            throw .invalidShape(field: "groups", problem: "an int8 convolution needs groups = 1, got \(shape.groups)")
        }
        guard weights.count == shape.weightCount else {
            throw .wrongCount(field: "weights", expected: shape.weightCount, actual: weights.count)
        }
        guard weightScales.count == shape.outputChannels else {
            throw .wrongCount(field: "weightScales", expected: shape.outputChannels, actual: weightScales.count)
        }
        if let bias, bias.count != shape.outputChannels {
            throw .wrongCount(field: "bias", expected: shape.outputChannels, actual: bias.count)
        }
        guard inputScale > 0, inputScale.isFinite else {
            throw .invalidShape(field: "inputScale", problem: "must be positive and finite, got \(inputScale)")
        }
        guard (0...255).contains(inputZeroPoint) else {
            throw .invalidShape(field: "inputZeroPoint", problem: "must be in 0...255, got \(inputZeroPoint)")
        }
        self.shape = shape
        self.activation = activation
        self.inputScale = inputScale
        self.inputZeroPoint = inputZeroPoint
        self.weights = weights
        let patch = shape.kernelHeight * shape.kernelWidth * shape.inputChannels
        outputScales = weightScales.map { $0 * inputScale }
        offsets = (0..<shape.outputChannels).map { output in
            let sum = weights[output * patch..<(output + 1) * patch].reduce(0) { $0 + Int32($1) }
            return (bias?[output] ?? 0) - weightScales[output] * inputScale * Float(inputZeroPoint * sum)
        }
    }

    /// Runs the layer on `input`, writing `output` (replaced if its shape differs).
    public func forward(_ input: Tensor, into output: inout Tensor, pool: ThreadPool) {
        precondition(input.shape == shape.inputShape,
                     "Int8Convolution.forward: input is \(input.shape), the layer expects \(shape.inputShape)")
        if output.shape != shape.outputShape { output = Tensor(shape: shape.outputShape) }
        let tile = Self.tilePixels
        let patchCount = shape.kernelHeight * shape.kernelWidth * shape.inputChannels
        // Per worker: the uint8 patch rows, then the float results (64-byte aligned).
        let patchBytes = (patchCount * tile + 63) / 64 * 64
        let workerBytes = patchBytes + shape.outputChannels * tile * MemoryLayout<Float>.stride
        let scratch = UnsafeMutableRawPointer.allocate(byteCount: workerBytes * pool.threadCount, alignment: 64)
        defer { scratch.deallocate() }
        let pixels = shape.outputHeight * shape.outputWidth
        let tiles = (pixels + tile - 1) / tile
        let split = WorkSplit(items: tiles, threads: pool.threadCount, granularity: 1,
                              macsPerItem: max(1, weights.count * tile))
        input.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                let source = source.baseAddress!, target = target.baseAddress!
                pool.parallelFor(split.count) { chunk, worker in
                    let base = scratch + worker * workerBytes
                    let patches = base.assumingMemoryBound(to: UInt8.self)
                    let results = (base + patchBytes).assumingMemoryBound(to: Float.self)
                    for tileIndex in split.range(chunk) {
                        let first = tileIndex * tile
                        let count = min(tile, pixels - first)
                        gather(source, firstPixel: first, count: count, into: patches)
                        multiply(patches: UnsafeRawPointer(patches), into: results)
                        scatter(results, firstPixel: first, count: count, into: target)
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

    /// The uint8 code of `value`: round(value / scale) + zeroPoint, clamped to 0...255.
    @inline(__always)
    func quantize(_ value: Float) -> UInt8 {
        let code = (value / inputScale).rounded(.toNearestOrEven) + Float(inputZeroPoint)
        return UInt8(Swift.min(Swift.max(code, 0), 255))
    }

    // MARK: - Tile steps

    /// Writes the quantized patches of `count` output pixels: element e of pixel i at e * tile + i.
    private func gather(_ input: UnsafePointer<Float>, firstPixel: Int, count: Int, into patches: UnsafeMutablePointer<UInt8>) {
        let tile = Self.tilePixels
        let channels = shape.inputChannels
        let zero = UInt8(inputZeroPoint)
        if count < tile {
            let patchCount = shape.kernelHeight * shape.kernelWidth * channels
            for element in 0..<patchCount { (patches + element * tile + count).initialize(repeating: zero, count: tile - count) }
        }
        for pixel in 0..<count {
            let outputY = (firstPixel + pixel) / shape.outputWidth
            let outputX = (firstPixel + pixel) % shape.outputWidth
            for ky in 0..<shape.kernelHeight {
                let inputY = outputY * shape.strideY - shape.padding.top + ky
                for kx in 0..<shape.kernelWidth {
                    let inputX = outputX * shape.strideX - shape.padding.left + kx
                    let row = patches + ((ky * shape.kernelWidth + kx) * channels) * tile + pixel
                    if inputY >= 0, inputY < shape.inputHeight, inputX >= 0, inputX < shape.inputWidth {
                        let pixelValues = input + (inputY * shape.inputWidth + inputX) * channels
                        for channel in 0..<channels { row[channel * tile] = quantize(pixelValues[channel]) }
                    } else {
                        for channel in 0..<channels { row[channel * tile] = zero }
                    }
                }
            }
        }
    }

    /// Int8 weights x uint8 patch rows in int32, rescaled: results[oc * tile + i].
    private func multiply(patches: UnsafeRawPointer, into results: UnsafeMutablePointer<Float>) {
        let tile = Self.tilePixels
        let patchCount = shape.kernelHeight * shape.kernelWidth * shape.inputChannels
        let lower = SIMD8<Float>(repeating: activation.lowerBound)
        let upper = SIMD8<Float>(repeating: activation.upperBound)
        let rawResults = UnsafeMutableRawPointer(results)
        let vectorBytes = MemoryLayout<SIMD8<Float>>.stride
        /// Rescales, adds the bias, clamps and stores one output channel's four pixel vectors.
        func store(_ sums: (SIMD8<Int32>, SIMD8<Int32>, SIMD8<Int32>, SIMD8<Int32>), channel: Int) {
            let scale = SIMD8<Float>(repeating: outputScales[channel])
            let offset = SIMD8<Float>(repeating: offsets[channel])
            let target = rawResults + channel * tile * MemoryLayout<Float>.stride
            target.storeBytes(of: offset.addingProduct(scale, SIMD8<Float>(sums.0)).clamped(lower, upper), as: SIMD8<Float>.self)
            target.storeBytes(of: offset.addingProduct(scale, SIMD8<Float>(sums.1)).clamped(lower, upper),
                              toByteOffset: vectorBytes, as: SIMD8<Float>.self)
            target.storeBytes(of: offset.addingProduct(scale, SIMD8<Float>(sums.2)).clamped(lower, upper),
                              toByteOffset: 2 * vectorBytes, as: SIMD8<Float>.self)
            target.storeBytes(of: offset.addingProduct(scale, SIMD8<Float>(sums.3)).clamped(lower, upper),
                              toByteOffset: 3 * vectorBytes, as: SIMD8<Float>.self)
        }
        weights.withUnsafeBufferPointer { weights in
            // Two output channels per pass share each loaded patch vector (8 int32 accumulators).
            var output = 0
            while output + 1 < shape.outputChannels {
                var (a0, a1, a2, a3) = (SIMD8<Int32>(), SIMD8<Int32>(), SIMD8<Int32>(), SIMD8<Int32>())
                var (b0, b1, b2, b3) = (SIMD8<Int32>(), SIMD8<Int32>(), SIMD8<Int32>(), SIMD8<Int32>())
                let rowA = weights.baseAddress! + output * patchCount
                let rowB = rowA + patchCount
                for element in 0..<patchCount {
                    let weightA = SIMD8<Int32>(repeating: Int32(rowA[element]))
                    let weightB = SIMD8<Int32>(repeating: Int32(rowB[element]))
                    let codes = patches + element * tile
                    let x0 = SIMD8<Int32>(truncatingIfNeeded: codes.loadUnaligned(as: SIMD8<UInt8>.self))
                    let x1 = SIMD8<Int32>(truncatingIfNeeded: codes.loadUnaligned(fromByteOffset: 8, as: SIMD8<UInt8>.self))
                    let x2 = SIMD8<Int32>(truncatingIfNeeded: codes.loadUnaligned(fromByteOffset: 16, as: SIMD8<UInt8>.self))
                    let x3 = SIMD8<Int32>(truncatingIfNeeded: codes.loadUnaligned(fromByteOffset: 24, as: SIMD8<UInt8>.self))
                    a0 &+= x0 &* weightA; a1 &+= x1 &* weightA; a2 &+= x2 &* weightA; a3 &+= x3 &* weightA
                    b0 &+= x0 &* weightB; b1 &+= x1 &* weightB; b2 &+= x2 &* weightB; b3 &+= x3 &* weightB
                }
                store((a0, a1, a2, a3), channel: output)
                store((b0, b1, b2, b3), channel: output + 1)
                output += 2
            }
            if output < shape.outputChannels {
                var (a0, a1, a2, a3) = (SIMD8<Int32>(), SIMD8<Int32>(), SIMD8<Int32>(), SIMD8<Int32>())
                let row = weights.baseAddress! + output * patchCount
                for element in 0..<patchCount {
                    let weight = SIMD8<Int32>(repeating: Int32(row[element]))
                    let codes = patches + element * tile
                    a0 &+= SIMD8<Int32>(truncatingIfNeeded: codes.loadUnaligned(as: SIMD8<UInt8>.self)) &* weight
                    a1 &+= SIMD8<Int32>(truncatingIfNeeded: codes.loadUnaligned(fromByteOffset: 8, as: SIMD8<UInt8>.self)) &* weight
                    a2 &+= SIMD8<Int32>(truncatingIfNeeded: codes.loadUnaligned(fromByteOffset: 16, as: SIMD8<UInt8>.self)) &* weight
                    a3 &+= SIMD8<Int32>(truncatingIfNeeded: codes.loadUnaligned(fromByteOffset: 24, as: SIMD8<UInt8>.self)) &* weight
                }
                store((a0, a1, a2, a3), channel: output)
            }
        }
    }

    /// Copies the tile's results back to NHWC.
    private func scatter(_ results: UnsafeMutablePointer<Float>, firstPixel: Int, count: Int, into output: UnsafeMutablePointer<Float>) {
        let tile = Self.tilePixels
        let channels = shape.outputChannels
        for pixel in 0..<count {
            let target = output + (firstPixel + pixel) * channels
            for channel in 0..<channels { target[channel] = results[channel * tile + pixel] }
        }
    }
}
