import Kernels
import Testing
import Tensors

@Suite("The int8 convolution matches the reference on its quantized operands")
struct Int8ConvolutionTests {
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

    @Test("random shapes (groups 1): equal to the float reference on dequantized weights and inputs",
          arguments: randomConvolutionCases(count: 40, seed: 33).filter { $0.shape.groups == 1 })
    func matchesReferenceOnQuantizedOperands(_ testCase: ConvolutionCase) throws {
        let shape = testCase.shape
        let weights = testCase.weights(seed: 7)
        let bias = testCase.bias(seed: 7)
        let input = Tensor.random(height: shape.inputHeight, width: shape.inputWidth, channels: shape.inputChannels, seed: 17)
        // Inputs in [-1, 1): scale 2/255, zero point 128.
        let (inputScale, zeroPoint): (Float, Int32) = (2 / 255, 128)
        let (values, scales) = Self.quantized(weights, outputChannels: shape.outputChannels)
        let layer = try Int8Convolution(shape: shape, weights: values, weightScales: scales, bias: bias,
                                        activation: testCase.activation, inputScale: inputScale, inputZeroPoint: zeroPoint)
        let output = layer.forward(input, pool: ThreadPool(threadCount: 2))

        let size = shape.weightCount / shape.outputChannels
        let dequantizedWeights = values.enumerated().map { Float($0.element) * scales[$0.offset / size] }
        let fakeQuantized = input.values.map { value -> Float in
            let code = min(max((value / inputScale).rounded(.toNearestOrEven) + Float(zeroPoint), 0), 255)
            return inputScale * (code - Float(zeroPoint))
        }
        let quantizedInput = Tensor(height: shape.inputHeight, width: shape.inputWidth, channels: shape.inputChannels,
                                    values: fakeQuantized)
        let expected = ReferenceConvolution.forward(shape: shape, input: quantizedInput, weights: dequantizedWeights,
                                                    bias: bias, activation: testCase.activation)
        let error = maxAbsoluteDifference(output, expected)
        #expect(error <= errorBound(shape), "max abs error \(error) for \(testCase)")

        // And close to the float32 layer: quantization error only.
        let float = ReferenceConvolution.forward(shape: shape, input: input, weights: weights, bias: bias,
                                                 activation: testCase.activation)
        let depth = Float(shape.kernelHeight * shape.kernelWidth * shape.inputChannels)
        #expect(maxAbsoluteDifference(output, float) <= 0.02 * depth.squareRoot(), "quantization error for \(testCase)")
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
