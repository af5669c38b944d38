import Glibc

/// MnasNet's multi-objective reward: ACC(m) x (LAT(m) / T)^w, with w = α when LAT ≤ T and
/// w = β otherwise (Tan et al., 2019). Every constant is kept, so a record shows how the
/// value was computed.
public struct MnasNetReward: Codable, Sendable, Equatable {
    /// Soft or hard latency constraint.
    public enum Constraint: String, Codable, Sendable, CaseIterable {
        /// α = β = −0.07: latency trades smoothly against accuracy on both sides of T.
        case soft
        /// α = 0, β = −1: no reward for being faster than T, a steep penalty for being slower.
        case hard

        /// The exponents (α, β) of this constraint.
        public var exponents: (alpha: Double, beta: Double) {
            switch self {
            case .soft: (-0.07, -0.07)
            case .hard: (0, -1)
            }
        }
    }

    /// The model's accuracy, a fraction in [0, 1].
    public let accuracy: Double
    /// The latency the reward was computed from, in milliseconds.
    public let latencyMs: Double
    /// Which latency statistic `latencyMs` is, e.g. `p90`.
    public let latencyBasis: String
    /// The target latency T, in milliseconds.
    public let targetMs: Double
    /// The constraint the exponents come from.
    public let constraint: Constraint
    /// Exponent when LAT ≤ T.
    public let alpha: Double
    /// Exponent when LAT > T.
    public let beta: Double
    /// The exponent applied: α or β.
    public let exponent: Double
    /// ACC x (LAT / T)^exponent.
    public let value: Double

    /// Computes the reward.
    /// - Precondition: `latencyMs` and `targetMs` are positive (callers validate user input).
    public init(accuracy: Double, latencyMs: Double, latencyBasis: String, targetMs: Double, constraint: Constraint) {
        precondition(latencyMs > 0 && targetMs > 0, "MnasNetReward needs positive latency and target")
        let (alpha, beta) = constraint.exponents
        self.accuracy = accuracy
        self.latencyMs = latencyMs
        self.latencyBasis = latencyBasis
        self.targetMs = targetMs
        self.constraint = constraint
        self.alpha = alpha
        self.beta = beta
        exponent = latencyMs <= targetMs ? alpha : beta
        value = accuracy * pow(latencyMs / targetMs, exponent)
    }
}
