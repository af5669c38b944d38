import Kernels
import Tensors

/// A named network layer running one kernel (convolution in any weight form, fully connected,
/// pooling): the one wrapper every kernel shares instead of a layer class per kernel.
public final class KernelLayer<Kernel: LayerKernel>: NetworkLayer, Sendable {
    public let name: String
    /// The kernel that runs it.
    public let kernel: Kernel

    /// Wraps a built kernel.
    public init(name: String, kernel: Kernel) {
        self.name = name
        self.kernel = kernel
    }

    public var inputShape: TensorShape { kernel.inputShape }
    public var outputShape: TensorShape { kernel.outputShape }
    public var macs: Int { kernel.macs }
    public var parameterCount: Int { kernel.parameterCount }

    public func forward(_ input: Tensor, into output: inout Tensor, pool: ThreadPool) {
        kernel.forward(input, into: &output, pool: pool)
    }
}

/// A dense float32 convolution (regular, depthwise or pointwise).
public typealias ConvolutionLayer = KernelLayer<Convolution>
/// A pruned convolution on the CSR kernel.
public typealias SparseConvolutionLayer = KernelLayer<SparseConvolution>
/// A convolution looking its weights up from a k-means codebook on the fly.
public typealias SharedWeightConvolutionLayer = KernelLayer<SharedWeightConvolution>
/// An int8 convolution (int32 accumulation).
public typealias Int8ConvolutionLayer = KernelLayer<Int8Convolution>
/// A fully connected layer (dense, CSR or shared weights).
public typealias FullyConnectedLayer = KernelLayer<FullyConnected>
/// A 2x2, stride-2 max pool.
public typealias MaxPoolLayer = KernelLayer<MaxPool>

extension KernelLayer where Kernel == Convolution {
    /// Builds a convolution with weights laid out [out][kh][kw][in / groups].
    public convenience init(
        name: String, shape: ConvolutionShape, weights: [Float], bias: [Float]?, activation: Activation
    ) throws(ConvolutionError) {
        self.init(name: name, kernel: try Convolution(shape: shape, weights: weights, bias: bias, activation: activation))
    }
}

extension KernelLayer where Kernel == SparseConvolution {
    /// Builds the CSR layer from dense weights whose zeros are the pruned ones.
    public convenience init(
        name: String, shape: ConvolutionShape, weights: [Float], bias: [Float]?, activation: Activation
    ) throws(ConvolutionError) {
        self.init(name: name, kernel: try SparseConvolution(shape: shape, weights: weights, bias: bias, activation: activation))
    }
}
