/// The activation fused into a convolution's output.
public enum Activation: String, Sendable, CaseIterable {
    /// Identity.
    case none
    /// max(x, 0).
    case relu
    /// min(max(x, 0), 6), as in MobileNet.
    case relu6

    /// Lower clamp bound (`-infinity` when unbounded).
    public var lowerBound: Float {
        switch self {
        case .none: -.infinity
        case .relu, .relu6: 0
        }
    }

    /// Upper clamp bound (`+infinity` when unbounded).
    public var upperBound: Float {
        switch self {
        case .none, .relu: .infinity
        case .relu6: 6
        }
    }

    /// Applies the activation to one value.
    public func apply(_ value: Float) -> Float {
        Swift.min(Swift.max(value, lowerBound), upperBound)
    }
}
