import Tensors

/// Max pooling over non-overlapping 2x2 windows (stride 2), NHWC: output (y, x, c) is the largest
/// of input rows 2y, 2y+1 and columns 2x, 2x+1 of channel c. An odd last row or column is dropped
/// (floor), as in Caffe's LeNet and PyTorch's `max_pool2d(2)`.
public final class MaxPool: Sendable {
    /// The input this pool reads.
    public let inputShape: TensorShape

    /// A pool over inputs of `inputShape`, which must be at least 2x2.
    /// - Throws: `ConvolutionError.invalidShape` when the input is smaller than one window.
    public init(inputShape: TensorShape) throws(ConvolutionError) {
        guard inputShape.height >= 2, inputShape.width >= 2, inputShape.channels >= 1 else {
            throw .invalidShape(field: "input", problem: "a 2x2 max pool needs at least 2x2x1, got \(inputShape)")
        }
        self.inputShape = inputShape
    }

    /// The pooled shape: half the rows and columns (rounded down), the same channels.
    public var outputShape: TensorShape {
        TensorShape(height: inputShape.height / 2, width: inputShape.width / 2, channels: inputShape.channels)
    }

    /// Runs the pool on `input`, writing `output` (replaced if its shape differs), on the calling
    /// thread: the work is one comparison per input value, less than waking a worker costs.
    public func forward(_ input: Tensor, into output: inout Tensor) {
        precondition(input.shape == inputShape, "MaxPool.forward: input is \(input.shape), the pool expects \(inputShape)")
        if output.shape != outputShape { output = Tensor(shape: outputShape) }
        let channels = inputShape.channels
        let rowFloats = inputShape.width * channels
        let (outputHeight, outputWidth) = (outputShape.height, outputShape.width)
        input.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                for y in 0..<outputHeight {
                    for x in 0..<outputWidth {
                        let topLeft = 2 * y * rowFloats + 2 * x * channels
                        let out = (y * outputWidth + x) * channels
                        for channel in 0..<channels {
                            let top = max(source[topLeft + channel], source[topLeft + channels + channel])
                            let bottom = max(source[topLeft + rowFloats + channel], source[topLeft + rowFloats + channels + channel])
                            target[out + channel] = max(top, bottom)
                        }
                    }
                }
            }
        }
    }

    /// Runs the pool on `input` and returns a new output tensor.
    public func forward(_ input: Tensor) -> Tensor {
        var output = Tensor(shape: outputShape)
        forward(input, into: &output)
        return output
    }

    /// `forward(_:into:)`, with the signature layers share (the pool is not used).
    public func forward(_ input: Tensor, into output: inout Tensor, pool: ThreadPool) {
        forward(input, into: &output)
    }
}
