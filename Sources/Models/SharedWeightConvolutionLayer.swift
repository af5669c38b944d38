import Kernels
import Tensors

/// A named convolution whose weights are looked up from a k-means codebook on the fly.
public final class SharedWeightConvolutionLayer: NetworkLayer, Sendable {
    public let name: String
    /// The kernel that runs it.
    public let convolution: SharedWeightConvolution

    /// Wraps a built shared-weight convolution.
    public init(name: String, convolution: SharedWeightConvolution) {
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
