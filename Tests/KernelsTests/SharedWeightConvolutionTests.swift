import Kernels
import Testing
import Tensors

@Suite("The shared-weight convolution matches the reference on its looked-up weights", .timeLimit(.minutes(5)))
struct SharedWeightConvolutionTests {
    @Test("random shapes (groups 1), 16-entry codebook",
          arguments: randomConvolutionCases(count: 40, seed: 45).filter { $0.shape.groups == 1 })
    func matchesReference(_ testCase: ConvolutionCase) throws {
        let shape = testCase.shape
        var generator = SplitMix64(seed: 3)
        let codebook = generator.floats(16, scale: 1 / Float(shape.kernelHeight * shape.kernelWidth * shape.inputChannels).squareRoot())
        let indices = (0..<shape.weightCount).map { _ in UInt8(generator.next() % 16) }
        let bias = testCase.bias(seed: 3)
        let input = Tensor.random(height: shape.inputHeight, width: shape.inputWidth, channels: shape.inputChannels, seed: 19)
        let layer = try SharedWeightConvolution(shape: shape, codebook: codebook, indices: indices, bias: bias,
                                                activation: testCase.activation)
        let output = layer.forward(input, pool: ThreadPool(threadCount: 2))
        let expected = ReferenceConvolution.forward(shape: shape, input: input, weights: indices.map { codebook[Int($0)] },
                                                    bias: bias, activation: testCase.activation)
        let error = maxAbsoluteDifference(output, expected)
        #expect(error <= errorBound(shape), "max abs error \(error) for \(testCase)")
    }

    @Test("an index past the codebook is refused, naming the codebook")
    func indexPastCodebook() {
        let shape = ConvolutionShape(inputChannels: 2, inputHeight: 3, inputWidth: 3, outputChannels: 2,
                                     kernelHeight: 1, kernelWidth: 1)
        #expect(throws: ConvolutionError.self) {
            try SharedWeightConvolution(shape: shape, codebook: [0, 1], indices: [0, 1, 2, 1], bias: nil, activation: .none)
        }
    }
}
