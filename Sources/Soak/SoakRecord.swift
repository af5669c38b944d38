import Engines
import Reports

/// The summary of a soak: the `soak` record, written after the last window (also when interrupted),
/// one per engine.
public struct SoakRecord: Record, Equatable {
    /// `"soak"`.
    public static let recordType = "soak"

    /// Whether a run meets MLPerf Inference's SingleStream minimums (≥ 1,024 queries, ≥ 600 s).
    public struct SingleStreamCheck: Encodable, Sendable, Equatable {
        /// At least `SoakSummary.mlperfMinimumQueries` inferences.
        public var queriesOk: Bool
        /// At least `SoakSummary.mlperfMinimumDurationS` seconds of windows.
        public var durationOk: Bool
    }

    /// What ran.
    public var workload: SoakWorkloadDescription
    /// The engine whose inferences the record summarises: `edgeprobe` or `xnnpack`.
    public var engine: String
    /// That engine as `run_start` names it: its version, the paths it chose here, the cap on them.
    public var engineDescription: EngineDescription
    /// The requested duration, seconds.
    public var durationS: Double
    /// The requested window length, seconds.
    public var windowS: Double
    /// Inferences started per second, or `null` when they ran back to back.
    @Nullable public var ratePerS: Double?
    /// Benchmark threads.
    public var threads: Int
    /// CPUs the threads were pinned to, or `null` when the kernel placed them.
    @Nullable public var cpus: [Int]?
    /// The CPU cluster they ran on (`big`, `little`, `all`, `mixed`), or `null` when unpinned.
    @Nullable public var cluster: String?
    /// The board profile.
    public var board: String
    /// Seconds spent cooling to the profile's `cooldown_to_c` before the first window, or `null` when it sets none.
    @Nullable public var cooldownWaitS: Double?
    /// Windows finished.
    public var windows: Int
    /// Inferences in those windows.
    public var inferences: Int
    /// Whether SIGINT or SIGTERM ended the soak early.
    public var interrupted: Bool
    /// The signal that did.
    @Nullable public var signal: String?
    /// p50 of the first window: the board fresh and cool.
    @Nullable public var burstP50Us: Double?
    /// Median of the window p50s over the last third of windows: the board after sustained load.
    @Nullable public var sustainedP50Us: Double?
    /// `sustained_p50_us / burst_p50_us`: above 1 means the board slowed down.
    @Nullable public var sustainedOverBurst: Double?
    /// Start of the first throttled window, seconds; `null` when none was.
    @Nullable public var timeToThrottleS: Double?
    /// What throttled that window.
    public var throttleCause: [String]
    /// Hottest sensor just before the first window.
    @Nullable public var startTempC: Double?
    /// Hottest sensor over the whole soak.
    @Nullable public var maxTempC: Double?
    /// Least-squares slope of the windows' hottest temperature over the first minutes, °C per minute.
    @Nullable public var heatingRateCPerMin: Double?
    /// p90 latency over every inference of the soak.
    @Nullable public var p90Us: Double?
    /// Against MLPerf SingleStream's minimum run.
    public var mlperfSingleStream: SingleStreamCheck
    /// Board energy of the windows with power over their inferences.
    @Nullable public var energyPerInferenceJ: Double?
    /// With `--engine both`: edgeprobe's `sustained_p50_us` over XNNPACK's, the engines having taken
    /// turns through every window (the same value in both engines' records); null with one engine.
    @Nullable public var sustainedP50RatioEdgeprobeToXnnpack: Double?
    /// Why each `null` figure is null.
    public var unavailable: [String: String]

    /// Sets the ratio of the two engines' sustained p50s, measured by `engines` engines: nil with
    /// one engine (keeping that reason), or with two when no window finished.
    public mutating func setSustainedRatio(_ ratio: Double?, engines: Int) {
        sustainedP50RatioEdgeprobeToXnnpack = ratio
        let key = "sustained_p50_ratio_edgeprobe_to_xnnpack"
        if ratio != nil {
            unavailable[key] = nil
        } else if engines > 1 {
            unavailable[key] = "no window finished"
        }
    }
}

/// What a soak runs: a network (optionally a compressed variant) or one suite layer.
public struct SoakWorkloadDescription: Encodable, Sendable, Equatable {
    /// `arch` or `layer`.
    public var kind: String
    /// The architecture's or the layer's name.
    public var name: String
    /// The compression variant, for a network (`original`, `int8`, `pruned`, …); absent otherwise.
    public var variant: String?
    /// The suite, for a layer; absent otherwise.
    public var suite: String?
    /// The layer, for a layer; absent otherwise.
    public var layer: String?

    /// A description.
    public init(kind: String, name: String, variant: String? = nil, suite: String? = nil, layer: String? = nil) {
        self.kind = kind
        self.name = name
        self.variant = variant
        self.suite = suite
        self.layer = layer
    }
}
