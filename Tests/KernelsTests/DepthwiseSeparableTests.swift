import Kernels
import Testing
import Tensors

@Suite("Fused depthwise-separable block matches depthwise then pointwise references", .timeLimit(.minutes(5)))
struct DepthwiseSeparableTests {
    // (cin, cout, h, w, k, stride, padding)
    static let cases: [(Int, Int, Int, Int, Int, Int, Padding)] = [
        (3, 16, 10, 10, 3, 1, .symmetric(1)),           // the course example
        (16, 24, 13, 11, 3, 2, Padding(top: 0, left: 0, bottom: 1, right: 1)),
        (20, 7, 9, 30, 5, 1, .symmetric(2)),
        (8, 33, 1, 1, 1, 1, .zero),
        (64, 64, 12, 12, 3, 1, .symmetric(1)),
    ]

    @Test("separable block", arguments: 0..<cases.count, [1, 2])
    func separable(index: Int, threads: Int) throws {
        let (inputChannels, outputChannels, height, width, kernel, stride, padding) = Self.cases[index]
        let shape = DepthwiseSeparableShape(inputChannels: inputChannels, inputHeight: height, inputWidth: width,
                                            outputChannels: outputChannels, kernelSize: kernel, stride: stride,
                                            padding: padding)
        var generator = SplitMix64(seed: UInt64(index))
        let depthwiseWeights = generator.floats(shape.depthwise.weightCount, scale: 1 / Float(kernel))
        let depthwiseBias = generator.floats(inputChannels)
        let pointwiseWeights = generator.floats(shape.pointwise.weightCount, scale: 1 / Float(inputChannels).squareRoot())
        let pointwiseBias = generator.floats(outputChannels)
        let input = Tensor.random(height: height, width: width, channels: inputChannels, seed: 9)
        for activation in Activation.allCases {
            let block = try DepthwiseSeparableConvolution(
                shape: shape, depthwiseWeights: depthwiseWeights, depthwiseBias: depthwiseBias,
                pointwiseWeights: pointwiseWeights, pointwiseBias: pointwiseBias, activation: activation)
            let output = block.forward(input, pool: ThreadPool(threadCount: threads))
            let middle = ReferenceConvolution.forward(shape: shape.depthwise, input: input, weights: depthwiseWeights,
                                                      bias: depthwiseBias, activation: activation)
            let expected = ReferenceConvolution.forward(shape: shape.pointwise, input: middle, weights: pointwiseWeights,
                                                        bias: pointwiseBias, activation: activation)
            let bound = errorBound(shape.depthwise) + errorBound(shape.pointwise) * 2
            let error = maxAbsoluteDifference(output, expected)
            #expect(error <= bound, "max abs error \(error) > \(bound), \(activation)")
        }
    }

    @Test("wrong weight counts name the argument")
    func wrongCounts() {
        let shape = DepthwiseSeparableShape(inputChannels: 4, inputHeight: 5, inputWidth: 5, outputChannels: 6,
                                            kernelSize: 3, padding: .symmetric(1))
        #expect(throws: ConvolutionError.wrongCount(field: "pointwiseWeights", expected: 24, actual: 23)) {
            try DepthwiseSeparableConvolution(
                shape: shape, depthwiseWeights: Array(repeating: 0, count: 36), depthwiseBias: nil,
                pointwiseWeights: Array(repeating: 0, count: 23), pointwiseBias: nil, activation: .relu6)
        }
        let invalid = DepthwiseSeparableShape(inputChannels: 4, inputHeight: 2, inputWidth: 5, outputChannels: 6,
                                              kernelSize: 3, padding: .zero)
        #expect(throws: ConvolutionError.invalidShape(
            field: "kernelHeight", problem: "3 is larger than the padded input height 2")) {
            try invalid.validate()
        }
    }
}
