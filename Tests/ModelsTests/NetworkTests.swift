import Kernels
import Tensors
import Testing
@testable import Models

@Suite(.timeLimit(.minutes(5))) struct NetworkTests {
    private let pool = ThreadPool(threadCount: 1)

    /// A layer and the reference result of running it, from the same weights.
    private func layer(
        _ name: String, _ shape: ConvolutionShape, _ activation: Activation, seed: UInt64
    ) throws -> (ConvolutionLayer, (Tensor) -> Tensor) {
        var initializer = WeightInitializer(seed: seed)
        let weights = initializer.weights(for: shape)
        let bias = initializer.bias(for: shape)
        let built = try ConvolutionLayer(name: name, shape: shape, weights: weights, bias: bias, activation: activation)
        return (built, { ReferenceConvolution.forward(shape: shape, input: $0, weights: weights, bias: bias, activation: activation) })
    }

    private func maxAbsDifference(_ a: Tensor, _ b: Tensor) -> Float {
        zip(a.values, b.values).map { abs($0 - $1) }.max() ?? 0
    }

    @Test func invertedResidualWithSkipMatchesReferenceSteps() throws {
        let expand = try layer("expand", ConvolutionShape(inputChannels: 8, inputHeight: 7, inputWidth: 5, outputChannels: 24,
                                                          kernelHeight: 1, kernelWidth: 1), .relu6, seed: 1)
        let depthwise = try layer("dw", ConvolutionShape(inputChannels: 24, inputHeight: 7, inputWidth: 5, outputChannels: 24,
                                                         kernelHeight: 3, kernelWidth: 3, padding: .symmetric(1), groups: 24), .relu6, seed: 2)
        let project = try layer("project", ConvolutionShape(inputChannels: 24, inputHeight: 7, inputWidth: 5, outputChannels: 8,
                                                            kernelHeight: 1, kernelWidth: 1), .none, seed: 3)
        let block = try InvertedResidualBlock(name: "block", steps: [expand.0, depthwise.0, project.0], hasSkip: true)
        let input = Tensor.random(height: 7, width: 5, channels: 8, seed: 9)
        var output = Tensor(shape: block.outputShape)
        block.forward(input, into: &output, pool: pool)

        let projected = project.1(depthwise.1(expand.1(input)))
        let expected = Tensor(height: 7, width: 5, channels: 8, values: zip(projected.values, input.values).map { $0 + $1 })
        #expect(maxAbsDifference(output, expected) < 1e-4)
        #expect(block.macs == 8 * 24 * 35 + 24 * 9 * 35 + 24 * 8 * 35 + 8 * 35)
    }

    @Test func networkChainsLayersAndPools() throws {
        let stem = try layer("stem", ConvolutionShape(inputChannels: 3, inputHeight: 9, inputWidth: 9, outputChannels: 6,
                                                      kernelHeight: 3, kernelWidth: 3, strideY: 2, strideX: 2,
                                                      padding: .symmetric(1)), .relu, seed: 4)
        let pool = GlobalAveragePool(name: "pool", inputShape: stem.0.outputShape)
        let classifier = try layer("fc", ConvolutionShape(inputChannels: 6, inputHeight: 1, inputWidth: 1, outputChannels: 4,
                                                          kernelHeight: 1, kernelWidth: 1), .none, seed: 5)
        let network = try Network(name: "tiny", layers: [stem.0, pool, classifier.0])
        let input = Tensor.random(height: 9, width: 9, channels: 3, seed: 6)
        var timed: [Int] = []
        let output = network.forward(input, pool: self.pool) { index, run in
            timed.append(index)
            run()
        }

        let features = stem.1(input)
        let pixels = Float(features.height * features.width)
        let averages = (0..<6).map { channel in
            stride(from: channel, to: features.count, by: 6).map { features.values[$0] }.reduce(0, +) / pixels
        }
        let expected = classifier.1(Tensor(height: 1, width: 1, channels: 6, values: averages))
        #expect(maxAbsDifference(output, expected) < 1e-4)
        #expect(timed == [0, 1, 2])
        #expect(network.parameterCount == (6 * 27 + 6) + (4 * 6 + 4))
    }

    @Test func mismatchedShapesAreRejectedNamingTheLayer() throws {
        let first = try layer("a", ConvolutionShape(inputChannels: 3, inputHeight: 4, inputWidth: 4, outputChannels: 8,
                                                    kernelHeight: 1, kernelWidth: 1), .none, seed: 1)
        let second = try layer("b", ConvolutionShape(inputChannels: 5, inputHeight: 4, inputWidth: 4, outputChannels: 8,
                                                     kernelHeight: 1, kernelWidth: 1), .none, seed: 1)
        #expect(throws: ModelError.shapeMismatch(layer: "b", expected: TensorShape(height: 4, width: 4, channels: 5),
                                                 actual: TensorShape(height: 4, width: 4, channels: 8))) {
            try Network(name: "broken", layers: [first.0, second.0])
        }
    }

    @Test func softmaxIsStableAndTop1PicksTheLargest() {
        let probabilities = Softmax.probabilities([1000, 1001, 999])
        #expect(abs(probabilities.reduce(0, +) - 1) < 1e-12)
        #expect(probabilities[1] > probabilities[0] && probabilities[0] > probabilities[2])
        #expect(Softmax.top1([0.1, 3, -2, 3]) == 1)
    }
}
