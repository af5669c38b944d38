import Tensors

/// How a `ModelDefinition` wires its convolutions into network layers. A model's steps name
/// every convolution exactly once, in the order of its `convolutions`.
public enum ModelStep: Sendable, Equatable {
    /// One convolution (by index into `convolutions`), run as a layer of its own.
    case convolution(Int)
    /// Consecutive convolutions run as one block layer named `name`, which adds its input to its
    /// output when `hasSkip` (MobileNetV2's inverted residual, or a separable block without it).
    case block(name: String, convolutions: Range<Int>, hasSkip: Bool)
    /// Global average pooling of the previous layer's output (`input`), named `name`.
    case globalAveragePool(name: String, input: TensorShape)
    /// 2x2, stride-2 max pooling of the previous layer's output (`input`), named `name`.
    case maxPool(name: String, input: TensorShape)
}
