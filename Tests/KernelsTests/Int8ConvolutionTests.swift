import Kernels
import Testing
import Tensors

@Suite("The int8 convolution matches the reference on its quantized operands, on every kernel path this CPU runs", .timeLimit(.minutes(5)))
struct Int8ConvolutionTests {
    // MARK: - Operands

    /// Symmetric per-output-channel int8 weights for `weights` and their scales.
    static func quantized(_ weights: [Float], outputChannels: Int) -> (values: [Int8], scales: [Float]) {
        let size = weights.count / outputChannels
        var values: [Int8] = []
        var scales: [Float] = []
        for output in 0..<outputChannels {
            let row = weights[output * size..<(output + 1) * size]
            let scale = max(row.map(abs).max() ?? 0, 1e-8) / 127
            scales.append(scale)
            values.append(contentsOf: row.map { Int8(max(-127, min(127, ($0 / scale).rounded()))) })
        }
        return (values, scales)
    }

    /// The float weights a path multiplies: the int8 values, halved (rounded half away from zero)
    /// on AVX2, whose vpmaddubsw needs 7-bit weights, times their scales.
    static func effectiveWeights(_ values: [Int8], scales: [Float], path: Int8KernelPath) -> [Float] {
        let size = values.count / scales.count
        return values.enumerated().map { index, value in
            path == .avx2 ? Float((Float(value) / 2).rounded(.toNearestOrAwayFromZero)) * 2 * scales[index / size]
                : Float(value) * scales[index / size]
        }
    }

    /// The input as the kernel sees it: each value quantized with its scale and zero point, clamped to 0...255.
    static func fakeQuantized(_ input: Tensor, scale: Float, zeroPoint: Int32) -> Tensor {
        let values = input.values.map { value -> Float in
            let code = min(max((value * (1 / scale)).rounded(.toNearestOrEven) + Float(zeroPoint), 0), 255)
            return scale * (code - Float(zeroPoint))
        }
        return Tensor(height: input.shape.height, width: input.shape.width, channels: input.shape.channels, values: values)
    }

    /// float32 rounding of the rescale (scale · sum + offset, both O(√depth)).
    static func bound(_ shape: ConvolutionShape) -> Float {
        1e-4 * (1 + Float(shape.kernelHeight * shape.kernelWidth * shape.inputChannels).squareRoot())
    }

    /// Shapes the random cases miss: more than 32 output channels (two VNNI panels and a partial
    /// one), depths that are not multiples of 4, a stem-like 3-channel stride-2 layer, tails of rows.
    static let wideCases: [ConvolutionCase] = [
        ConvolutionCase(shape: ConvolutionShape(inputChannels: 37, inputHeight: 5, inputWidth: 7, outputChannels: 45,
                                                kernelHeight: 1, kernelWidth: 1), activation: .relu6, hasBias: true),
        ConvolutionCase(shape: ConvolutionShape(inputChannels: 3, inputHeight: 13, inputWidth: 11, outputChannels: 33,
                                                kernelHeight: 3, kernelWidth: 3, strideY: 2, strideX: 2,
                                                padding: Padding(top: 0, left: 0, bottom: 1, right: 1)),
                        activation: .relu6, hasBias: true),
        ConvolutionCase(shape: ConvolutionShape(inputChannels: 19, inputHeight: 9, inputWidth: 10, outputChannels: 50,
                                                kernelHeight: 3, kernelWidth: 3, padding: .symmetric(1)),
                        activation: .none, hasBias: false),
        ConvolutionCase(shape: ConvolutionShape(inputChannels: 64, inputHeight: 7, inputWidth: 7, outputChannels: 16,
                                                kernelHeight: 1, kernelWidth: 1), activation: .relu, hasBias: true),
    ]

    static let cases = randomConvolutionCases(count: 30, seed: 33).filter { $0.shape.groups == 1 } + wideCases

    // MARK: - Tests

    @Test("random and wide shapes: equal to the float reference on the dequantized operands the path multiplies",
          arguments: Int8KernelPath.available, [1, 2])
    func matchesReferenceOnQuantizedOperands(_ path: Int8KernelPath, threads: Int) throws {
        let pool = ThreadPool(threadCount: threads)
        for testCase in Self.cases {
            let shape = testCase.shape
            let weights = testCase.weights(seed: 7)
            let bias = testCase.bias(seed: 7)
            let input = Tensor.random(height: shape.inputHeight, width: shape.inputWidth, channels: shape.inputChannels, seed: 17)
            // Inputs in [-1, 1): scale 2/255, zero point 128.
            let (inputScale, zeroPoint): (Float, Int32) = (2 / 255, 128)
            let (values, scales) = Self.quantized(weights, outputChannels: shape.outputChannels)
            let layer = try Int8Convolution(shape: shape, weights: values, weightScales: scales, bias: bias,
                                            activation: testCase.activation, inputScale: inputScale,
                                            inputZeroPoint: zeroPoint, path: path)
            #expect(layer.kernelPath == path)
            let output = layer.forward(input, pool: pool)

            let expected = ReferenceConvolution.forward(
                shape: shape, input: Self.fakeQuantized(input, scale: inputScale, zeroPoint: zeroPoint),
                weights: Self.effectiveWeights(values, scales: scales, path: path), bias: bias, activation: testCase.activation)
            let error = maxAbsoluteDifference(output, expected)
            #expect(error <= Self.bound(shape), "\(path): max abs error \(error) for \(testCase)")

            // And close to the float32 layer: quantization error only.
            let float = ReferenceConvolution.forward(shape: shape, input: input, weights: weights, bias: bias,
                                                     activation: testCase.activation)
            let depth = Float(shape.kernelHeight * shape.kernelWidth * shape.inputChannels)
            #expect(maxAbsoluteDifference(output, float) <= 0.02 * depth.squareRoot(), "\(path): quantization error for \(testCase)")
        }
    }

    @Test("inputs beyond the calibrated range saturate at 0 and 255 as the reference does", arguments: Int8KernelPath.available)
    func saturatesOutsideTheRange(_ path: Int8KernelPath) throws {
        let shape = ConvolutionShape(inputChannels: 21, inputHeight: 4, inputWidth: 6, outputChannels: 18,
                                     kernelHeight: 3, kernelWidth: 3, padding: .symmetric(1))
        var generator = SplitMix64(seed: 5)
        let weights = generator.floats(shape.weightCount, scale: 0.2)
        // Inputs in [-1, 1) with a range of [-0.25, 0.5]: codes clamp on both sides.
        let (inputScale, zeroPoint): (Float, Int32) = (0.75 / 255, 85)
        let input = Tensor.random(height: 4, width: 6, channels: 21, seed: 9)
        let (values, scales) = Self.quantized(weights, outputChannels: 18)
        let layer = try Int8Convolution(shape: shape, weights: values, weightScales: scales, bias: nil, activation: .none,
                                        inputScale: inputScale, inputZeroPoint: zeroPoint, path: path)
        let expected = ReferenceConvolution.forward(
            shape: shape, input: Self.fakeQuantized(input, scale: inputScale, zeroPoint: zeroPoint),
            weights: Self.effectiveWeights(values, scales: scales, path: path), bias: nil, activation: .none)
        let error = maxAbsoluteDifference(layer.forward(input, pool: ThreadPool(threadCount: 1)), expected)
        #expect(error <= Self.bound(shape), "\(path): max abs error \(error)")
    }

    @Test("the best path is available, and on x86-64 the AVX2 and generic paths run too")
    func pathsAvailable() {
        #expect(Int8KernelPath.best.isAvailable)
        #expect(Int8KernelPath.available.contains(.generic))
        #if arch(x86_64)
        if Int8KernelPath.best == .avx512VNNI { #expect(Int8KernelPath.available.contains(.avx2)) }
        #expect(!Int8KernelPath.neon.isAvailable)
        #elseif arch(arm64)
        #expect(Int8KernelPath.neon.isAvailable)
        #endif
    }

    @Test("a kernel path this CPU cannot run is refused, naming the field")
    func unavailablePath() throws {
        let shape = ConvolutionShape(inputChannels: 2, inputHeight: 3, inputWidth: 3, outputChannels: 2,
                                     kernelHeight: 1, kernelWidth: 1)
        let missing = try #require(Int8KernelPath.allCases.first { !$0.isAvailable })
        #expect(throws: ConvolutionError.invalidShape(field: "path", problem: "the \(missing) int8 kernels do not run on this CPU")) {
            try Int8Convolution(shape: shape, weights: [1, 2, 3, 4], weightScales: [1, 1], bias: nil, activation: .none,
                                inputScale: 0.1, inputZeroPoint: 0, path: missing)
        }
    }

    @Test("a zero point outside 0...255 is refused, naming the field")
    func badZeroPoint() {
        let shape = ConvolutionShape(inputChannels: 2, inputHeight: 3, inputWidth: 3, outputChannels: 2,
                                     kernelHeight: 1, kernelWidth: 1)
        #expect(throws: ConvolutionError.invalidShape(field: "inputZeroPoint", problem: "must be in 0...255, got 300")) {
            try Int8Convolution(shape: shape, weights: [1, 2, 3, 4], weightScales: [1, 1], bias: nil, activation: .none,
                                inputScale: 0.1, inputZeroPoint: 300)
        }
    }
}
