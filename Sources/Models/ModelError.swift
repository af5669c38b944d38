import Kernels
import Tensors

/// Why a network could not be built.
public enum ModelError: Error, Equatable, CustomStringConvertible {
    /// A network needs at least one layer.
    case emptyNetwork(String)
    /// A layer's input does not match the previous layer's output.
    case shapeMismatch(layer: String, expected: TensorShape, actual: TensorShape)
    /// A layer's convolution is impossible.
    case invalidLayer(layer: String, ConvolutionError)

    public var description: String {
        switch self {
        case .emptyNetwork(let name): "network '\(name)' has no layers"
        case let .shapeMismatch(layer, expected, actual): "layer '\(layer)' expects \(expected) but receives \(actual)"
        case let .invalidLayer(layer, error): "layer '\(layer)': \(error)"
        }
    }
}
