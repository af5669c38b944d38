import Kernels
import Tensors
import TestSupport
import Testing
import XNNPACKEngine

@Suite("XNNPACK's int8 (qc8) convolutions match the reference on their quantized operands", .timeLimit(.minutes(1)))
struct XNNPACKInt8ConvolutionTests {
    /// Symmetric per-output-channel int8 weights and their scales (as edgeprobe's int8 tests quantize).
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

    /// Each input value as its quantized code stands for.
    static func fakeQuantized(_ input: Tensor, scale: Float, zeroPoint: Int32) -> Tensor {
        Tensor(height: input.height, width: input.width, channels: input.channels, values: input.values.map { value in
            scale * (min(max((value / scale).rounded(.toNearestOrEven) + Float(zeroPoint), 0), 255) - Float(zeroPoint))
        })
    }

    static let shapes: [(ConvolutionShape, Activation)] = [
        (ConvolutionShape(inputChannels: 37, inputHeight: 5, inputWidth: 7, outputChannels: 45, kernelHeight: 1, kernelWidth: 1), .relu6),
        (ConvolutionShape(inputChannels: 3, inputHeight: 13, inputWidth: 11, outputChannels: 33, kernelHeight: 3, kernelWidth: 3,
                          strideY: 2, strideX: 2, padding: Padding(top: 0, left: 0, bottom: 1, right: 1)), .relu6),
        (ConvolutionShape(inputChannels: 19, inputHeight: 9, inputWidth: 10, outputChannels: 50, kernelHeight: 3, kernelWidth: 3,
                          padding: .symmetric(1)), .none),
        (ConvolutionShape(inputChannels: 24, inputHeight: 9, inputWidth: 9, outputChannels: 24, kernelHeight: 3, kernelWidth: 3,
                          padding: .symmetric(1), groups: 24), .relu6),
        (ConvolutionShape(inputChannels: 40, inputHeight: 8, inputWidth: 8, outputChannels: 40, kernelHeight: 5, kernelWidth: 5,
                          strideY: 2, strideX: 2, padding: .same(inputHeight: 8, inputWidth: 8, kernelHeight: 5, kernelWidth: 5,
                                                                 strideY: 2, strideX: 2), groups: 40), .relu),
    ]

    @Test("regular, pointwise, stem and depthwise layers, 1 and 2 threads", arguments: [1, 2])
    func matchesReferenceOnQuantizedOperands(threads: Int) async throws {
        // On a thread of its own, as the float tests (see XNNPACKConvolutionTests).
        let outcomes = try await onOwnThread { try Self.errorsAndBounds(threads: threads) }
        for (index, (error, bound)) in outcomes.enumerated() {
            let (shape, activation) = Self.shapes[index]
            #expect(error <= bound, "max abs error \(error) > \(bound) for \(shape) \(activation)")
        }
    }

    /// Each of `shapes`' largest difference from the reference, and its bound.
    static func errorsAndBounds(threads: Int) throws -> [(error: Float, bound: Float)] {
        var generator = SplitMix64(seed: 23)
        return try Self.shapes.map { shape, activation in
            let depth = shape.kernelHeight * shape.kernelWidth * shape.inputChannelsPerGroup
            let weights = generator.floats(shape.weightCount, scale: 1 / Float(depth).squareRoot())
            let bias = generator.floats(shape.outputChannels)
            let input = Tensor.random(height: shape.inputHeight, width: shape.inputWidth, channels: shape.inputChannels, seed: 17)
            let (inputScale, inputZeroPoint): (Float, Int32) = (2 / 255, 128)  // inputs in [-1, 1)
            let (values, scales) = Self.quantized(weights, outputChannels: shape.outputChannels)
            let dequantized = values.enumerated().map { Float($1) * scales[$0 / depth] }
            let expected = ReferenceConvolution.forward(
                shape: shape, input: Self.fakeQuantized(input, scale: inputScale, zeroPoint: inputZeroPoint),
                weights: dequantized, bias: bias, activation: activation)
            // The output range the reference spans, as a calibration would find it.
            let (low, high) = (min(expected.values.min()!, 0), max(expected.values.max()!, 0))
            let outputScale = (high - low) / 255
            let outputZeroPoint = Int32((-low / outputScale).rounded())
            let layer = try XNNPACKInt8Convolution(
                shape: shape, weights: values, weightScales: scales, bias: bias, activation: activation,
                inputScale: inputScale, inputZeroPoint: inputZeroPoint, outputScale: outputScale,
                outputZeroPoint: outputZeroPoint, threads: XNNPACKThreads(threadCount: threads))
            let error = zip(layer.forward(input).values, expected.values).reduce(Float(0)) { max($0, abs($1.0 - $1.1)) }
            // Half an output step (the requantization's rounding) plus edgeprobe's int8 bound for
            // float32 rounding, plus half a bias unit (the bias is rounded to int32).
            let bound = 0.5 * outputScale + 1e-4 * (1 + Float(depth).squareRoot()) + 0.5 * inputScale * scales.max()!
            return (error, bound)
        }
    }

    @Test func zeroPointOutsideTheCodesIsRejectedNamingTheField() {
        let shape = ConvolutionShape(inputChannels: 2, inputHeight: 3, inputWidth: 3, outputChannels: 2,
                                     kernelHeight: 1, kernelWidth: 1)
        do {
            _ = try XNNPACKInt8Convolution(
                shape: shape, weights: [1, 2, 3, 4], weightScales: [0.1, 0.1], bias: nil, activation: .none,
                inputScale: 0.1, inputZeroPoint: 300, outputScale: 0.1, outputZeroPoint: 0, threads: XNNPACKThreads(threadCount: 1))
            Issue.record("input zero point 300 was accepted")
        } catch {
            #expect(error.problem == "inputZeroPoint must be in 0...255, got 300")
        }
    }
}
