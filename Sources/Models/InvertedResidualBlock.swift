import Kernels
import Tensors

/// MobileNetV2's inverted residual: expand 1x1 (ReLU6) → depthwise k x k (ReLU6) → project 1x1
/// (linear), plus the input when the shapes allow a skip. With expansion 1 there is no expand step,
/// which makes it MobileNetV1's depthwise-separable block followed by a linear projection.
public final class InvertedResidualBlock: NetworkLayer, @unchecked Sendable {
    public let name: String
    /// The convolutions in order: [expand,] depthwise, project.
    public let steps: [ConvolutionLayer]
    /// Whether the block adds its input to its output.
    public let hasSkip: Bool
    private var intermediates: [Tensor]

    /// A block of the given steps; `hasSkip` requires equal input and output shapes.
    public init(name: String, steps: [ConvolutionLayer], hasSkip: Bool) {
        precondition(!steps.isEmpty, "InvertedResidualBlock needs at least one step")
        precondition(!hasSkip || steps[0].inputShape == steps[steps.count - 1].outputShape,
                     "InvertedResidualBlock: a skip needs equal input and output shapes")
        self.name = name
        self.steps = steps
        self.hasSkip = hasSkip
        intermediates = steps.dropLast().map { Tensor(shape: $0.outputShape) }
    }

    public var inputShape: TensorShape { steps[0].inputShape }
    public var outputShape: TensorShape { steps[steps.count - 1].outputShape }
    public var macs: Int { steps.reduce(0) { $0 + $1.macs } + (hasSkip ? outputShape.elementCount : 0) }
    public var parameterCount: Int { steps.reduce(0) { $0 + $1.parameterCount } }

    public func forward(_ input: Tensor, into output: inout Tensor, pool: ThreadPool) {
        var current = input
        for index in steps.indices.dropLast() {
            steps[index].forward(current, into: &intermediates[index], pool: pool)
            current = intermediates[index]
        }
        steps[steps.count - 1].forward(current, into: &output, pool: pool)
        if hasSkip { Self.add(input, to: &output) }
    }

    private static func add(_ input: Tensor, to output: inout Tensor) {
        input.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                for index in 0..<target.count { target[index] += source[index] }
            }
        }
    }
}
