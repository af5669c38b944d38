import Kernels
import Tensors

/// A named convolution (regular, depthwise, pointwise or fully connected) in a network.
public final class ConvolutionLayer: NetworkLayer, Sendable {
    public let name: String
    /// The kernel that runs it.
    public let convolution: Convolution

    /// Wraps a built convolution.
    public init(name: String, convolution: Convolution) {
        self.name = name
        self.convolution = convolution
    }

    /// Builds a convolution with weights laid out [out][kh][kw][in / groups].
    public convenience init(
        name: String, shape: ConvolutionShape, weights: [Float], bias: [Float]?, activation: Activation
    ) throws(ConvolutionError) {
        self.init(name: name, convolution: try Convolution(shape: shape, weights: weights, bias: bias, activation: activation))
    }

    public var inputShape: TensorShape { convolution.shape.inputShape }
    public var outputShape: TensorShape { convolution.shape.outputShape }
    public var macs: Int { convolution.shape.macs }
    public var parameterCount: Int { convolution.shape.parameterCount }

    public func forward(_ input: Tensor, into output: inout Tensor, pool: ThreadPool) {
        convolution.forward(input, into: &output, pool: pool)
    }
}
