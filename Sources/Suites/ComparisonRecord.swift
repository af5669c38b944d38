import Reports

/// A suite pair compared: the theoretical MAC ratio next to the measured speedup rate s / s*.
///
/// They differ because depthwise convolution does few MACs per byte it moves: it is bound by
/// memory bandwidth, not arithmetic, so fewer MACs do not buy proportionally less time.
public struct ComparisonRecord: Record {
    public static let recordType = "comparison"

    /// The pair's name.
    public let name: String
    /// The engine both layers ran on.
    public let engine: String
    /// The baseline layer (s).
    public let baseline: String
    /// The candidate layer (s*).
    public let candidate: String
    /// Baseline MACs.
    public let baselineMacs: Int
    /// Candidate MACs.
    public let candidateMacs: Int
    /// Baseline MACs / candidate MACs: the speedup if time were proportional to arithmetic.
    public let theoreticalRatio: Double
    /// Median baseline latency / median candidate latency, s / s*.
    public let speedupRate: Double
    /// Median latency of the baseline, in microseconds.
    public let baselineP50Us: Double
    /// Median latency of the candidate, in microseconds.
    public let candidateP50Us: Double
    /// speedup_rate / theoretical_ratio: the share of the theoretical gain that was realized.
    public let efficiency: Double
}
