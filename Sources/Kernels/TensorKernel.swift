import Tensors

/// A kernel whose forward pass runs on raw NHWC buffers. Its `Tensor` entry points (the input
/// shape check, an output of the right shape, a variant returning a new tensor) are this
/// protocol's, the same for every kernel.
public protocol TensorKernel: Sendable {
    /// The input the kernel reads.
    var inputShape: TensorShape { get }
    /// The output it writes.
    var outputShape: TensorShape { get }
    /// Runs the kernel from `input` (`inputShape` floats) into `output` (`outputShape` floats),
    /// spreading the work over `pool`'s threads.
    func forward(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, pool: ThreadPool)
}

extension TensorKernel {
    /// Runs the kernel on `input`, writing `output` (replaced by a tensor of `outputShape` if its
    /// shape differs), spreading the work over `pool`'s threads.
    @inlinable
    public func forward(_ input: Tensor, into output: inout Tensor, pool: ThreadPool) {
        precondition(input.shape == inputShape,
                     "\(Self.self).forward: input is \(input.shape), the layer expects \(inputShape)")
        if output.shape != outputShape { output = Tensor(shape: outputShape) }
        input.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                forward(input: source.baseAddress!, output: target.baseAddress!, pool: pool)
            }
        }
    }

    /// Runs the kernel on `input` and returns a new output tensor.
    public func forward(_ input: Tensor, pool: ThreadPool) -> Tensor {
        var output = Tensor(shape: outputShape)
        forward(input, into: &output, pool: pool)
        return output
    }
}

/// A kernel whose geometry is a `ConvolutionShape`: its tensor shapes follow from it.
public protocol ConvolutionShapedKernel: TensorKernel {
    /// The layer's geometry.
    var shape: ConvolutionShape { get }
}

extension ConvolutionShapedKernel {
    public var inputShape: TensorShape { shape.inputShape }
    public var outputShape: TensorShape { shape.outputShape }
}
