import Kernels
import Tensors

/// Averages each channel over all pixels: H x W x C → 1 x 1 x C.
public final class GlobalAveragePool: NetworkLayer, Sendable {
    public let name: String
    public let inputShape: TensorShape

    /// A pool over inputs of `inputShape`.
    public init(name: String, inputShape: TensorShape) {
        self.name = name
        self.inputShape = inputShape
    }

    public var outputShape: TensorShape { TensorShape(height: 1, width: 1, channels: inputShape.channels) }
    public var macs: Int { inputShape.elementCount }
    public var parameterCount: Int { 0 }

    public func forward(_ input: Tensor, into output: inout Tensor, pool: ThreadPool) {
        let channels = inputShape.channels
        let pixels = inputShape.height * inputShape.width
        let scale = 1 / Float(pixels)
        input.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                for channel in 0..<channels { target[channel] = 0 }
                for pixel in 0..<pixels {
                    let row = pixel * channels
                    for channel in 0..<channels { target[channel] += source[row + channel] }
                }
                for channel in 0..<channels { target[channel] *= scale }
            }
        }
    }
}
