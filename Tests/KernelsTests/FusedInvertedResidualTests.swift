import Kernels
import Testing
import Tensors

@Suite("The fused inverted residual gives the bits of its three layers run one after the other", .timeLimit(.minutes(5)))
struct FusedInvertedResidualTests {
    /// (input height, width, channels, hidden, output channels, stride, expand, skip)
    typealias Block = (height: Int, width: Int, channels: Int, hidden: Int, outputs: Int, stride: Int, expand: Bool, skip: Bool)

    static let blocks: [Block] = [
        (16, 10, 8, 24, 8, 1, true, true),      // MobileNetV2 repeat: stride 1, skip
        (17, 9, 8, 20, 12, 2, true, false),     // stride 2, odd size, channels off the vector width
        (12, 7, 16, 16, 8, 1, false, false),    // expansion 1: depthwise then project
        (32, 6, 6, 16, 6, 1, true, true),       // tall enough to stay fused on 2 threads at stride 1
    ]

    struct Layers {
        let expand: Convolution?
        let depthwise: Convolution
        let project: Convolution

        init(_ block: Block) throws {
            var generator = SplitMix64(seed: 11)
            func convolution(_ shape: ConvolutionShape, _ activation: Activation) throws -> Convolution {
                let depth = shape.kernelHeight * shape.kernelWidth * shape.inputChannelsPerGroup
                return try Convolution(shape: shape, weights: generator.floats(shape.weightCount, scale: 1 / Float(depth).squareRoot()),
                                       bias: generator.floats(shape.outputChannels), activation: activation)
            }
            expand = block.expand
                ? try convolution(ConvolutionShape(inputChannels: block.channels, inputHeight: block.height, inputWidth: block.width,
                                                   outputChannels: block.hidden, kernelHeight: 1, kernelWidth: 1), .relu6)
                : nil
            let hidden = block.expand ? block.hidden : block.channels
            depthwise = try convolution(
                ConvolutionShape(inputChannels: hidden, inputHeight: block.height, inputWidth: block.width, outputChannels: hidden,
                                 kernelHeight: 3, kernelWidth: 3, strideY: block.stride, strideX: block.stride,
                                 padding: .same(inputHeight: block.height, inputWidth: block.width, kernelHeight: 3,
                                                kernelWidth: 3, strideY: block.stride, strideX: block.stride),
                                 groups: hidden), .relu6)
            let middle = depthwise.shape.outputShape
            project = try convolution(ConvolutionShape(inputChannels: hidden, inputHeight: middle.height, inputWidth: middle.width,
                                                       outputChannels: block.outputs, kernelHeight: 1, kernelWidth: 1), .none)
        }

        /// The three layers one after the other, then the skip.
        func unfused(_ input: Tensor, skip: Bool, pool: ThreadPool) -> Tensor {
            let expanded = expand.map { $0.forward(input, pool: pool) } ?? input
            var output = project.forward(depthwise.forward(expanded, pool: pool), pool: pool)
            if skip {
                output = Tensor(height: output.shape.height, width: output.shape.width, channels: output.shape.channels,
                                values: zip(output.values, input.values).map { $0 + $1 })
            }
            return output
        }
    }

    @Test("fused output == unfused output, bit for bit, on 1, 2 and 3 threads", arguments: blocks)
    func matchesUnfused(_ block: Block) throws {
        let layers = try Layers(block)
        let fused = try #require(FusedInvertedResidual(expand: layers.expand, depthwise: layers.depthwise,
                                                       project: layers.project, hasSkip: block.skip))
        let input = Tensor.random(height: block.height, width: block.width, channels: block.channels, seed: 3)
        let expected = layers.unfused(input, skip: block.skip, pool: ThreadPool(threadCount: 1))
        var checked = 0
        for threads in [1, 2, 3] where fused.isFused(threads: threads) {
            let pool = ThreadPool(threadCount: threads)
            var output = Tensor(height: 1, width: 1, channels: 1)
            fused.forward(input, into: &output, pool: pool)
            #expect(output == expected, "\(block) on \(threads) threads")
            checked += 1
        }
        #expect(fused.isFused(threads: 1), "one thread takes the whole block as one band")
        #expect(checked >= 1)
    }

    @Test("a short stride-1 block on two threads is not fused (its bands would recompute half their rows)")
    func shortBlockUnfusedOnTwoThreads() throws {
        let layers = try Layers((16, 10, 8, 24, 8, 1, true, true))
        let fused = try #require(FusedInvertedResidual(expand: layers.expand, depthwise: layers.depthwise,
                                                       project: layers.project, hasSkip: true))
        #expect(!fused.isFused(threads: 2))
        let tall = try Layers((32, 6, 6, 16, 6, 1, true, true))
        #expect(FusedInvertedResidual(expand: tall.expand, depthwise: tall.depthwise, project: tall.project,
                                      hasSkip: true)?.isFused(threads: 2) == true)
    }

    @Test("layers that do not form a block are refused")
    func refusesMismatchedLayers() throws {
        let layers = try Layers((16, 10, 8, 24, 8, 1, true, true))
        // A skip across a channel change, and the steps in the wrong order.
        let other = try Layers((16, 10, 8, 24, 12, 1, true, false))
        #expect(FusedInvertedResidual(expand: other.expand, depthwise: other.depthwise, project: other.project, hasSkip: true) == nil)
        #expect(FusedInvertedResidual(expand: layers.depthwise, depthwise: layers.expand!, project: layers.project, hasSkip: false) == nil)
    }
}
