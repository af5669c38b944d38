import Kernels
import Tensors

/// A built kernel a network layer runs: its shapes, its work and parameters, and its forward pass.
/// `KernelLayer` gives any of them a name and makes it a `NetworkLayer`.
public protocol LayerKernel: Sendable {
    /// The input the kernel reads.
    var inputShape: TensorShape { get }
    /// The output it writes.
    var outputShape: TensorShape { get }
    /// Multiply-accumulates (or comparisons) of one forward pass.
    var macs: Int { get }
    /// Weights and biases it holds.
    var parameterCount: Int { get }
    /// Runs the kernel, writing `output` (which has `outputShape`).
    func forward(_ input: Tensor, into output: inout Tensor, pool: ThreadPool)
}

/// Kernels whose geometry is a `ConvolutionShape`: MACs and parameters follow from it unless the
/// kernel does less work (sparse kernels count their kept weights).
extension ConvolutionShapedKernel {
    public var macs: Int { shape.macs }
    public var parameterCount: Int { shape.parameterCount }
}

extension Convolution: LayerKernel {}
extension SharedWeightConvolution: LayerKernel {}
extension Int8Convolution: LayerKernel {}

extension SparseConvolution: LayerKernel {
    /// Multiply-accumulates actually done: one per kept weight and output pixel.
    public var macs: Int { nonzeroCount * shape.outputHeight * shape.outputWidth }
    /// The kept weights and the biases.
    public var parameterCount: Int { nonzeroCount + shape.outputChannels }
}

extension FullyConnected: LayerKernel {
    /// One multiply-accumulate per stored weight (the kept ones for CSR).
    public var macs: Int { storedWeightCount }
    /// The stored weights and the biases.
    public var parameterCount: Int { storedWeightCount + shape.outputChannels }
}

extension MaxPool: LayerKernel {
    /// One comparison per input value.
    public var macs: Int { inputShape.elementCount }
    public var parameterCount: Int { 0 }
}
