import Dispatch
import Kernels
import Synchronization
import Testing
import Tensors

/// The int8 and separable kernels keep their scratch (quantized input, tiles, band buffers)
/// across calls, one set per concurrent call, and the sparse and shared-weight ones take fresh
/// patch tiles per call (Docs/compressed-inference.md says why): scratch
/// kept too small for a pool with more threads, left dirty by the previous call, or shared by two
/// calls at once would show as outputs off the reference.
@Suite("Kernel scratch kept across calls", .timeLimit(.minutes(2)))
struct ScratchReuseTests {
    /// A layer and the reference output it must match within `bound`.
    struct Case: CustomStringConvertible, Sendable {
        let description: String
        let layer: any TensorKernel
        let bound: Float
        let expected: @Sendable (Tensor) -> Tensor
    }

    /// A 3x3 padded layer (im2col for int8), a pointwise one with few pixels and many channels (the
    /// int8 column split on two threads) and one with many pixels (row split).
    static let shapes = [
        ConvolutionShape(inputChannels: 5, inputHeight: 11, inputWidth: 9, outputChannels: 20,
                         kernelHeight: 3, kernelWidth: 3, strideY: 2, strideX: 1, padding: .symmetric(1)),
        ConvolutionShape(inputChannels: 24, inputHeight: 3, inputWidth: 3, outputChannels: 72,
                         kernelHeight: 1, kernelWidth: 1),
        ConvolutionShape(inputChannels: 16, inputHeight: 14, inputWidth: 15, outputChannels: 24,
                         kernelHeight: 1, kernelWidth: 1),
    ]

    static func cases() throws -> [Case] {
        var cases: [Case] = []
        for shape in shapes {
            let testCase = ConvolutionCase(shape: shape, activation: .relu6, hasBias: true)
            let (weights, bias) = (testCase.weights(seed: 8), testCase.bias(seed: 8))
            let activation = testCase.activation

            let sparseWeights = SparseConvolutionTests.pruned(weights, sparsity: 0.6, seed: 2)
            cases.append(Case(
                description: "sparse \(shape)",
                layer: try SparseConvolution(shape: shape, weights: sparseWeights, bias: bias, activation: activation),
                bound: errorBound(shape)
            ) { ReferenceConvolution.forward(shape: shape, input: $0, weights: sparseWeights, bias: bias, activation: activation) })

            let codebook: [Float] = [-0.4, -0.1, 0, 0.15, 0.3, 0.5]
            let indices = (0..<shape.weightCount).map { UInt8($0 * 7 % codebook.count) }
            let shared = indices.map { codebook[Int($0)] }
            cases.append(Case(
                description: "shared-weight \(shape)",
                layer: try SharedWeightConvolution(shape: shape, codebook: codebook, indices: indices, bias: bias,
                                                   activation: activation),
                bound: errorBound(shape)
            ) { ReferenceConvolution.forward(shape: shape, input: $0, weights: shared, bias: bias, activation: activation) })

            let (values, scales) = Int8ConvolutionTests.quantized(weights, outputChannels: shape.outputChannels)
            let (inputScale, zeroPoint): (Float, Int32) = (2 / 255, 128)
            for path in Int8KernelPath.available {
                let effective = Int8ConvolutionTests.effectiveWeights(values, scales: scales, path: path)
                cases.append(Case(
                    description: "int8 \(path) \(shape)",
                    layer: try Int8Convolution(shape: shape, weights: values, weightScales: scales, bias: bias,
                                               activation: activation, inputScale: inputScale,
                                               inputZeroPoint: zeroPoint, path: path),
                    bound: Int8ConvolutionTests.bound(shape)
                ) {
                    ReferenceConvolution.forward(
                        shape: shape, input: Int8ConvolutionTests.fakeQuantized($0, scale: inputScale, zeroPoint: zeroPoint),
                        weights: effective, bias: bias, activation: activation)
                })
            }
        }
        let separable = DepthwiseSeparableShape(inputChannels: 16, inputHeight: 12, inputWidth: 12, outputChannels: 24,
                                                kernelSize: 3, padding: .symmetric(1))
        let depthwiseCase = ConvolutionCase(shape: separable.depthwise, activation: .relu6, hasBias: true)
        let pointwiseCase = ConvolutionCase(shape: separable.pointwise, activation: .relu6, hasBias: true)
        let (depthwiseWeights, depthwiseBias) = (depthwiseCase.weights(seed: 3), depthwiseCase.bias(seed: 3))
        let (pointwiseWeights, pointwiseBias) = (pointwiseCase.weights(seed: 4), pointwiseCase.bias(seed: 4))
        cases.append(Case(
            description: "separable \(separable)",
            layer: try DepthwiseSeparableConvolution(
                shape: separable, depthwiseWeights: depthwiseWeights, depthwiseBias: depthwiseBias,
                pointwiseWeights: pointwiseWeights, pointwiseBias: pointwiseBias, activation: .relu6),
            bound: 2 * errorBound(separable.pointwise)
        ) {
            let middle = ReferenceConvolution.forward(shape: separable.depthwise, input: $0, weights: depthwiseWeights,
                                                      bias: depthwiseBias, activation: .relu6)
            return ReferenceConvolution.forward(shape: separable.pointwise, input: middle, weights: pointwiseWeights,
                                                bias: pointwiseBias, activation: .relu6)
        })
        return cases
    }

    static func input(_ shape: TensorShape, seed: UInt64) -> Tensor {
        Tensor.random(height: shape.height, width: shape.width, channels: shape.channels, seed: seed)
    }

    static func expectMatches(_ output: Tensor, input: Tensor, _ testCase: Case) {
        let error = maxAbsoluteDifference(output, testCase.expected(input))
        #expect(error <= testCase.bound, "max abs error \(error) for \(testCase)")
    }

    @Test("calls on one thread, then two (more scratch), then one again, each on a new input, match the reference")
    func growingAndReused() throws {
        let pools = [ThreadPool(threadCount: 1), ThreadPool(threadCount: 2)]
        for testCase in try Self.cases() {
            for (call, threads) in [1, 2, 1, 2].enumerated() {
                let input = Self.input(testCase.layer.inputShape, seed: UInt64(20 + call))
                Self.expectMatches(testCase.layer.forward(input, pool: pools[threads - 1]), input: input, testCase)
            }
        }
    }

    @Test("calls on several threads at once, each on its own input and pool, match the reference")
    func concurrentCalls() throws {
        for testCase in try Self.cases() {
            let inputs = (0..<4).map { Self.input(testCase.layer.inputShape, seed: UInt64(30 + $0)) }
            let outputs = Mutex<[[Tensor]]>(Array(repeating: [], count: inputs.count))
            DispatchQueue.concurrentPerform(iterations: inputs.count) { caller in
                let pool = ThreadPool(threadCount: 1 + caller % 2)
                for _ in 0..<5 {
                    let output = testCase.layer.forward(inputs[caller], pool: pool)
                    outputs.withLock { $0[caller].append(output) }
                }
            }
            let results = outputs.withLock { $0 }
            for (input, calls) in zip(inputs, results) {
                #expect(calls.count == 5)
                for output in calls { Self.expectMatches(output, input: input, testCase) }
            }
        }
    }
}
