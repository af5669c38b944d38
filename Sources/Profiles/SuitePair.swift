/// Two layers of a suite to compare: speedup rate s / s* of the candidate over the baseline.
public struct SuitePair: Sendable, Equatable {
    /// Name of the comparison.
    public let name: String
    /// The layer timed as s (e.g. regular convolution).
    public let baseline: String
    /// The layer timed as s* (e.g. the depthwise-separable block).
    public let candidate: String
}
