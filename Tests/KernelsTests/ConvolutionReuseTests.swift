import Dispatch
import Kernels
import Synchronization
import Testing
import Tensors

/// The indirect GEMM keeps its indirection table and padded input across calls and refills the
/// table only when the input buffer changes: a table kept for the wrong buffer, or a workspace
/// shared by two calls at once, would read the wrong input.
@Suite("Indirect GEMM state kept across calls", .timeLimit(.minutes(2)))
struct ConvolutionReuseTests {
    /// A padded-copy layer, one padded through the indirection (input over 16 Ki floats), a
    /// grouped one and an unpadded one.
    static let cases: [ConvolutionCase] = [
        ConvolutionShape(inputChannels: 3, inputHeight: 10, inputWidth: 10, outputChannels: 16,
                         kernelHeight: 3, kernelWidth: 3, padding: .symmetric(1)),
        ConvolutionShape(inputChannels: 3, inputHeight: 96, inputWidth: 60, outputChannels: 8,
                         kernelHeight: 5, kernelWidth: 5, strideY: 2, strideX: 2, padding: .symmetric(2)),
        ConvolutionShape(inputChannels: 16, inputHeight: 7, inputWidth: 7, outputChannels: 24,
                         kernelHeight: 3, kernelWidth: 3, padding: .symmetric(1), groups: 4),
        ConvolutionShape(inputChannels: 4, inputHeight: 5, inputWidth: 5, outputChannels: 3,
                         kernelHeight: 2, kernelWidth: 2),
    ].map { ConvolutionCase(shape: $0, activation: .relu6, hasBias: true) }

    @Test("another input buffer, then new contents in the same buffer, match the reference on every path",
          arguments: cases)
    func inputChanges(_ testCase: ConvolutionCase) throws {
        let shape = testCase.shape
        let (weights, bias) = (testCase.weights(seed: 4), testCase.bias(seed: 4))
        for path in FloatKernelPath.available {
            let layer = try Convolution(shape: shape, weights: weights, bias: bias, activation: testCase.activation,
                                        path: path)
            #expect(layer.algorithm == .indirectGEMM)
            let pool = ThreadPool(threadCount: 2)
            var first = Self.input(shape, seed: 1)
            let second = Self.input(shape, seed: 2)
            let third = Self.input(shape, seed: 3)
            let address = first.withUnsafeBufferPointer { $0.baseAddress }
            Self.expectMatchesReference(layer.forward(first, pool: pool), input: first, testCase, weights, bias)
            Self.expectMatchesReference(layer.forward(second, pool: pool), input: second, testCase, weights, bias)
            Self.expectMatchesReference(layer.forward(first, pool: pool), input: first, testCase, weights, bias)
            first.withUnsafeMutableBufferPointer { target in
                third.withUnsafeBufferPointer { target.baseAddress!.update(from: $0.baseAddress!, count: $0.count) }
            }
            #expect(first.withUnsafeBufferPointer { $0.baseAddress } == address, "the buffer moved: nothing reused")
            Self.expectMatchesReference(layer.forward(first, pool: pool), input: third, testCase, weights, bias)
        }
    }

    @Test("calls on several threads at once, each on its own input, match the reference", arguments: cases)
    func concurrentCalls(_ testCase: ConvolutionCase) throws {
        let shape = testCase.shape
        let (weights, bias) = (testCase.weights(seed: 6), testCase.bias(seed: 6))
        let layer = try Convolution(shape: shape, weights: weights, bias: bias, activation: testCase.activation)
        let inputs = (0..<4).map { Self.input(shape, seed: UInt64(10 + $0)) }
        let outputs = Mutex<[[Tensor]]>(Array(repeating: [], count: inputs.count))
        DispatchQueue.concurrentPerform(iterations: inputs.count) { caller in
            let pool = ThreadPool(threadCount: 1)
            for _ in 0..<5 {
                let output = layer.forward(inputs[caller], pool: pool)
                outputs.withLock { $0[caller].append(output) }
            }
        }
        let results = outputs.withLock { $0 }
        for (input, calls) in zip(inputs, results) {
            #expect(calls.count == 5)
            for output in calls { Self.expectMatchesReference(output, input: input, testCase, weights, bias) }
        }
    }

    static func input(_ shape: ConvolutionShape, seed: UInt64) -> Tensor {
        Tensor.random(height: shape.inputHeight, width: shape.inputWidth, channels: shape.inputChannels, seed: seed)
    }

    static func expectMatchesReference(
        _ output: Tensor, input: Tensor, _ testCase: ConvolutionCase, _ weights: [Float], _ bias: [Float]?
    ) {
        let expected = ReferenceConvolution.forward(shape: testCase.shape, input: input, weights: weights, bias: bias,
                                                    activation: testCase.activation)
        let error = maxAbsoluteDifference(output, expected)
        #expect(error <= errorBound(testCase.shape), "max abs error \(error) for \(testCase)")
    }
}
