import Kernels
import Tensors

/// A named int8 convolution (int32 accumulation); its parameters are the int8 weights and biases.
public final class Int8ConvolutionLayer: NetworkLayer, Sendable {
    public let name: String
    /// The kernel that runs it.
    public let convolution: Int8Convolution

    /// Wraps a built int8 convolution.
    public init(name: String, convolution: Int8Convolution) {
        self.name = name
        self.convolution = convolution
    }

    public var inputShape: TensorShape { convolution.shape.inputShape }
    public var outputShape: TensorShape { convolution.shape.outputShape }
    public var macs: Int { convolution.shape.macs }
    public var parameterCount: Int { convolution.shape.parameterCount }

    public func forward(_ input: Tensor, into output: inout Tensor, pool: ThreadPool) {
        convolution.forward(input, into: &output, pool: pool)
    }
}
