import Kernels
import Tensors

/// Seeded random weights for networks nobody trained: latency does not depend on the values,
/// but reproducible, well-scaled values keep activations realistic (no overflow, no all-zero ReLUs).
public struct WeightInitializer {
    private var generator: SplitMix64

    /// An initializer whose draws are fixed by `seed`.
    public init(seed: UInt64) {
        generator = SplitMix64(seed: seed)
    }

    /// He-uniform weights for `shape` (bound sqrt(6 / fan-in)), laid out [out][kh][kw][in / groups].
    public mutating func weights(for shape: ConvolutionShape) -> [Float] {
        let fanIn = shape.kernelHeight * shape.kernelWidth * shape.inputChannelsPerGroup
        return generator.floats(shape.weightCount, scale: Float((6.0 / Double(fanIn)).squareRoot()))
    }

    /// Small biases, uniform in [-0.1, 0.1).
    public mutating func bias(for shape: ConvolutionShape) -> [Float] {
        generator.floats(shape.outputChannels, scale: 0.1)
    }

    /// A random input tensor of `shape`, uniform in [-1, 1).
    public mutating func input(_ shape: TensorShape) -> Tensor {
        Tensor.random(height: shape.height, width: shape.width, channels: shape.channels, seed: generator.next())
    }

    /// A convolution layer of `shape` with fresh weights.
    public mutating func convolution(
        name: String, shape: ConvolutionShape, activation: Activation
    ) throws(ModelError) -> ConvolutionLayer {
        do {
            return try ConvolutionLayer(
                name: name, shape: shape, weights: weights(for: shape), bias: bias(for: shape), activation: activation)
        } catch {
            throw .invalidLayer(layer: name, error)
        }
    }
}
