import Kernels
import Models
import Tensors
import TestSupport
import Testing
import XNNPACKEngine

@Suite("XNNPACK runs whole architecture specs like the reference", .timeLimit(.minutes(1)))
struct XNNPACKNetworkTests {
    /// Stem, a separable block, inverted residuals with 5x5 and 7x7 depthwise (with and without
    /// skip, expand 3 and 6, strides 1 and 2), head convolution, pooling and classifier.
    static let spec = ArchitectureSpec(
        name: "xnnpack-test", input: TensorShape(height: 24, width: 24, channels: 3),
        stem: .init(outputChannels: 8, kernel: 3, stride: 2),
        blocks: [
            .init(kind: .separable, kernel: 3, expand: 1, outputChannels: 8, stride: 1),
            .init(kind: .invertedResidual, kernel: 5, expand: 3, outputChannels: 16, stride: 2, repeats: 2),
            .init(kind: .invertedResidual, kernel: 7, expand: 6, outputChannels: 16, stride: 1),
        ],
        head: .init(pointwiseChannels: 32, classes: 10))

    /// The definition run step by step with `ReferenceConvolution` (Double accumulation).
    static func reference(_ definition: ModelDefinition, input: Tensor) -> Tensor {
        func convolve(_ index: Int, _ x: Tensor) -> Tensor {
            let layer = definition.convolutions[index]
            return ReferenceConvolution.forward(shape: layer.shape, input: x, weights: layer.weights, bias: layer.bias,
                                                activation: layer.activation)
        }
        var current = input
        for step in definition.steps {
            switch step {
            case .convolution(let index):
                current = convolve(index, current)
            case .block(_, let range, let hasSkip):
                let blockInput = current
                for index in range { current = convolve(index, current) }
                if hasSkip {
                    current = Tensor(height: current.height, width: current.width, channels: current.channels,
                                     values: zip(current.values, blockInput.values).map { $0 + $1 })
                }
            case .maxPool:
                current = try! MaxPool(inputShape: current.shape).forward(current)
            case .globalAveragePool(_, let shape):
                let pixels = shape.height * shape.width
                let sums = (0..<shape.channels).map { channel in
                    (0..<pixels).reduce(Double(0)) { $0 + Double(current.values[$1 * shape.channels + channel]) }
                }
                current = Tensor(height: 1, width: 1, channels: shape.channels, values: sums.map { Float($0 / Double(pixels)) })
            }
        }
        return current
    }

    static func maxDifference(_ a: Tensor, _ b: Tensor) -> Float {
        zip(a.values, b.values).reduce(Float(0)) { max($0, abs($1.0 - $1.1)) }
    }

    @Test("a whole architecture spec, 1 and 2 threads: XNNPACK and edgeprobe both within the bound", arguments: [1, 2])
    func architectureSpec(threads: Int) async throws {
        let definition = try ArchitecturePlan(Self.spec).definition(seed: 5)
        let input = Tensor.random(height: 24, width: 24, channels: 3, seed: 11)
        // On a thread of its own, as the layer tests (see XNNPACKConvolutionTests).
        let (expected, outputShape, macs, xnnpack, again, edgeprobe) = try await onOwnThread {
            let network = try XNNPACKNetwork(definition, threads: XNNPACKThreads(threadCount: threads))
            let xnnpack = network.forward(input)
            // Run again on the same buffers: operators are set up once and reused.
            let again = network.forward(input)
            let edgeprobe = try definition.denseNetwork().forward(input, pool: ThreadPool(threadCount: threads))
            return (Self.reference(definition, input: input), network.outputShape, network.macs, xnnpack, again, edgeprobe)
        }
        #expect(outputShape == expected.shape)
        #expect(macs == definition.convolutions.reduce(0) { $0 + $1.shape.macs })
        // Eleven layers of float32 rounding: the bound scales with the output's magnitude.
        let scale = expected.values.reduce(Float(1)) { max($0, abs($1)) }
        let bound = 1e-4 * scale
        #expect(Self.maxDifference(xnnpack, expected) <= bound, "XNNPACK: \(Self.maxDifference(xnnpack, expected)) > \(bound)")
        #expect(Self.maxDifference(edgeprobe, expected) <= bound, "edgeprobe: \(Self.maxDifference(edgeprobe, expected)) > \(bound)")
        #expect(again == xnnpack)
    }

    @Test func layersThatDoNotChainAreRejectedNamingTheLayer() throws {
        let first = ConvolutionDefinition(
            name: "a", shape: ConvolutionShape(inputChannels: 3, inputHeight: 4, inputWidth: 4, outputChannels: 8,
                                               kernelHeight: 1, kernelWidth: 1),
            activation: .none, weights: [Float](repeating: 0.1, count: 24), bias: [Float](repeating: 0, count: 8))
        let second = ConvolutionDefinition(
            name: "b", shape: ConvolutionShape(inputChannels: 5, inputHeight: 4, inputWidth: 4, outputChannels: 8,
                                               kernelHeight: 1, kernelWidth: 1),
            activation: .none, weights: [Float](repeating: 0.1, count: 40), bias: [Float](repeating: 0, count: 8))
        do {
            _ = try XNNPACKNetwork(ModelDefinition(name: "broken", convolutions: [first, second]),
                                   threads: XNNPACKThreads(threadCount: 1))
            Issue.record("a network whose second layer reads 5 channels after 8 was accepted")
        } catch {
            #expect(error.operation.hasPrefix("create convolution b "))
            #expect(error.problem == "reads 4x4x5, the previous layer writes 4x4x8")
        }
    }
}
