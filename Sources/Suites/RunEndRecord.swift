import Reports

/// The last record of a benchmark run: totals, whether it was interrupted, and warnings.
public struct RunEndRecord: Record {
    public static let recordType = "run_end"

    /// Layers measured to the end.
    public let layersCompleted: Int
    /// Layers in the suite.
    public let layersTotal: Int
    /// Comparisons written.
    public let comparisons: Int
    /// Wall time of the whole run, in seconds.
    public let durationS: Double
    /// Whether SIGINT or SIGTERM cut the run short.
    public let interrupted: Bool
    /// The signal that interrupted it.
    @Nullable public var signal: String?
    /// Things that make the results less trustworthy (throttling, cooldown timeouts, noisy layers).
    public let warnings: [String]
    /// The telemetry sampler's own cost: mean time of one full sample, in microseconds.
    @Nullable public var samplerCostUs: Double?
}
