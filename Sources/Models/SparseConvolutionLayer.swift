import Kernels
import Tensors

/// A named pruned convolution run by the CSR kernel; its parameters are the kept weights and biases.
public final class SparseConvolutionLayer: NetworkLayer, Sendable {
    public let name: String
    /// The kernel that runs it.
    public let convolution: SparseConvolution

    /// Builds the layer from dense weights whose zeros are the pruned ones.
    public init(name: String, shape: ConvolutionShape, weights: [Float], bias: [Float]?, activation: Activation)
        throws(ConvolutionError) {
        self.name = name
        convolution = try SparseConvolution(shape: shape, weights: weights, bias: bias, activation: activation)
    }

    public var inputShape: TensorShape { convolution.shape.inputShape }
    public var outputShape: TensorShape { convolution.shape.outputShape }
    /// Multiply-accumulates actually done: one per kept weight and output pixel.
    public var macs: Int { convolution.nonzeroCount * outputShape.height * outputShape.width }
    public var parameterCount: Int { convolution.nonzeroCount + convolution.shape.outputChannels }

    public func forward(_ input: Tensor, into output: inout Tensor, pool: ThreadPool) {
        convolution.forward(input, into: &output, pool: pool)
    }
}
