import Glibc
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

    /// A closing record with the given totals.
    public init(
        layersCompleted: Int, layersTotal: Int, comparisons: Int, durationS: Double, interrupted: Bool,
        signal: String?, warnings: [String], samplerCostUs: Double?
    ) {
        self.layersCompleted = layersCompleted
        self.layersTotal = layersTotal
        self.comparisons = comparisons
        self.durationS = durationS
        self.interrupted = interrupted
        self.signal = signal
        self.warnings = warnings
        self.samplerCostUs = samplerCostUs
    }

    /// `SIGINT`, `SIGTERM` or `signal N`, as `signal` names them.
    public static func signalName(_ number: Int32) -> String {
        switch number {
        case SIGINT: "SIGINT"
        case SIGTERM: "SIGTERM"
        default: "signal \(number)"
        }
    }
}
