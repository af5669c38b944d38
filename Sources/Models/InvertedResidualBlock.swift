import Kernels
import Tensors

/// MobileNetV2's inverted residual: expand 1x1 (ReLU6) → depthwise k x k (ReLU6) → project 1x1
/// (linear), plus the input when the shapes allow a skip. With expansion 1 there is no expand step,
/// which makes it MobileNetV1's depthwise-separable block followed by a linear projection.
/// The steps may run any kernel (dense, sparse, int8, shared weights).
public final class InvertedResidualBlock: NetworkLayer, @unchecked Sendable {
    public let name: String
    /// The convolutions in order: [expand,] depthwise, project.
    public let steps: [any NetworkLayer]
    /// Whether the block adds its input to its output.
    public let hasSkip: Bool
    private var intermediates: [Tensor]
    /// The block as one banded kernel, when its steps are dense float32 convolutions.
    private let fused: FusedInvertedResidual?

    /// A block of the given steps, whose shapes must chain; `hasSkip` requires equal input and output shapes.
    /// - Throws: `ModelError` for no steps, a step whose input does not fit, or a skip across a shape change.
    public init(name: String, steps: [any NetworkLayer], hasSkip: Bool) throws(ModelError) {
        guard let first = steps.first, let last = steps.last else { throw .emptyNetwork(name) }
        for (previous, next) in zip(steps, steps.dropFirst()) where previous.outputShape != next.inputShape {
            throw .shapeMismatch(layer: next.name, expected: next.inputShape, actual: previous.outputShape)
        }
        if hasSkip, first.inputShape != last.outputShape {
            throw .shapeMismatch(layer: "\(name) skip", expected: last.outputShape, actual: first.inputShape)
        }
        self.name = name
        self.steps = steps
        self.hasSkip = hasSkip
        intermediates = steps.dropLast().map { Tensor(shape: $0.outputShape) }
        let convolutions = steps.compactMap { ($0 as? ConvolutionLayer)?.kernel }
        fused = convolutions.count == steps.count && (2...3).contains(steps.count)
            ? FusedInvertedResidual(
                expand: convolutions.count == 3 ? convolutions[0] : nil, depthwise: convolutions[convolutions.count - 2],
                project: convolutions[convolutions.count - 1], hasSkip: hasSkip)
            : nil
    }

    public var inputShape: TensorShape { steps[0].inputShape }
    public var outputShape: TensorShape { steps[steps.count - 1].outputShape }
    public var macs: Int { steps.reduce(0) { $0 + $1.macs } + (hasSkip ? outputShape.elementCount : 0) }
    public var parameterCount: Int { steps.reduce(0) { $0 + $1.parameterCount } }

    /// Whether `forward` runs the block as one banded kernel on `threads` threads (dense float32
    /// steps, and bands that pay off; see `FusedInvertedResidual`).
    public func isFused(threads: Int) -> Bool { fused?.isFused(threads: threads) ?? false }

    public func forward(_ input: Tensor, into output: inout Tensor, pool: ThreadPool) {
        if let fused, fused.isFused(threads: pool.threadCount) {
            fused.forward(input, into: &output, pool: pool)
            return
        }
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
