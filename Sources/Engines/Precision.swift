/// The number format a measured layer computes in (`bench --precision`).
public enum Precision: String, Codable, Sendable, CaseIterable, CustomStringConvertible {
    /// float32 activations and weights.
    case float32
    /// int8 weights (symmetric, one scale per output channel) and 8-bit activations with a
    /// calibrated scale and zero point, int32 accumulation: edgeprobe's `Int8Convolution` or
    /// XNNPACK's channel-wise quantized (qc8) operator.
    case int8

    public var description: String { rawValue }
}
