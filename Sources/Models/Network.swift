import Kernels
import Tensors

/// A feed-forward network: layers run in order, each output feeding the next, with every
/// intermediate tensor allocated once.
public final class Network: @unchecked Sendable {
    /// The network's name.
    public let name: String
    /// The layers in order.
    public let layers: [any NetworkLayer]
    private var activations: [Tensor]

    /// A network of `layers`, whose shapes must chain.
    /// - Throws: `ModelError.shapeMismatch` naming the first layer whose input does not fit.
    public init(name: String, layers: [any NetworkLayer]) throws(ModelError) {
        guard !layers.isEmpty else { throw .emptyNetwork(name) }
        for (previous, next) in zip(layers, layers.dropFirst()) where previous.outputShape != next.inputShape {
            throw .shapeMismatch(layer: next.name, expected: next.inputShape, actual: previous.outputShape)
        }
        self.name = name
        self.layers = layers
        activations = layers.map { Tensor(shape: $0.outputShape) }
    }

    /// What the first layer reads.
    public var inputShape: TensorShape { layers[0].inputShape }
    /// What the last layer writes.
    public var outputShape: TensorShape { layers[layers.count - 1].outputShape }
    /// Multiply-accumulates of one inference.
    public var macs: Int { layers.reduce(0) { $0 + $1.macs } }
    /// Weights and biases.
    public var parameterCount: Int { layers.reduce(0) { $0 + $1.parameterCount } }

    /// Runs one inference and returns the output (a copy the caller owns).
    public func forward(_ input: Tensor, pool: ThreadPool) -> Tensor {
        forward(input, pool: pool) { _, body in body() }
    }

    /// Runs one inference, letting `around(layerIndex, run)` wrap each layer, e.g. to time it.
    public func forward(_ input: Tensor, pool: ThreadPool, around: (Int, () -> Void) -> Void) -> Tensor {
        precondition(input.shape == inputShape, "Network \(name): input is \(input.shape), expected \(inputShape)")
        for index in layers.indices {
            let source = index == 0 ? input : activations[index - 1]
            around(index) { layers[index].forward(source, into: &activations[index], pool: pool) }
        }
        return activations[activations.count - 1]
    }
}
