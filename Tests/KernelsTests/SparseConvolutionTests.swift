import Kernels
import Testing
import Tensors

@Suite("The CSR sparse convolution matches the reference on pruned weights", .timeLimit(.minutes(5)))
struct SparseConvolutionTests {
    /// Zeros about `sparsity` of the weights (reproducibly), as magnitude pruning would leave them.
    static func pruned(_ weights: [Float], sparsity: Double, seed: UInt64) -> [Float] {
        var generator = SplitMix64(seed: seed)
        return weights.map { Double(generator.nextUnitFloat() + 1) / 2 < sparsity ? 0 : $0 }
    }

    static func check(_ testCase: ConvolutionCase, sparsity: Double, threads: Int = 1) throws {
        let weights = pruned(testCase.weights(seed: 5), sparsity: sparsity, seed: 11)
        let bias = testCase.bias(seed: 5)
        let input = Tensor.random(height: testCase.shape.inputHeight, width: testCase.shape.inputWidth,
                                  channels: testCase.shape.inputChannels, seed: 13)
        let layer = try SparseConvolution(shape: testCase.shape, weights: weights, bias: bias, activation: testCase.activation)
        #expect(layer.nonzeroCount == weights.filter { $0 != 0 }.count)
        let output = layer.forward(input, pool: ThreadPool(threadCount: threads))
        let expected = ReferenceConvolution.forward(shape: testCase.shape, input: input, weights: weights, bias: bias,
                                                    activation: testCase.activation)
        let error = maxAbsoluteDifference(output, expected)
        #expect(error <= errorBound(testCase.shape), "max abs error \(error) for \(testCase) at sparsity \(sparsity)")
    }

    @Test("random shapes (groups 1), sparsity 0, 0.5, 0.9 and 1",
          arguments: randomConvolutionCases(count: 40, seed: 21).filter { $0.shape.groups == 1 })
    func randomShapes(_ testCase: ConvolutionCase) throws {
        for sparsity in [0, 0.5, 0.9, 1.0] { try Self.check(testCase, sparsity: sparsity) }
    }

    @Test("pointwise layers across several tiles, on two threads")
    func pointwiseTwoThreads() throws {
        let shape = ConvolutionShape(inputChannels: 48, inputHeight: 12, inputWidth: 13, outputChannels: 40,
                                     kernelHeight: 1, kernelWidth: 1)
        try Self.check(ConvolutionCase(shape: shape, activation: .relu6, hasBias: true), sparsity: 0.9, threads: 2)
    }

    @Test("grouped convolutions are refused, naming groups")
    func groupsRefused() {
        let shape = ConvolutionShape(inputChannels: 4, inputHeight: 5, inputWidth: 5, outputChannels: 4,
                                     kernelHeight: 3, kernelWidth: 3, groups: 4)
        #expect(throws: ConvolutionError.self) {
            try SparseConvolution(shape: shape, weights: [Float](repeating: 1, count: shape.weightCount), bias: nil, activation: .none)
        }
    }
}
