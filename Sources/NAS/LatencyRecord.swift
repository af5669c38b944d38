import Engines
import Measurement
import Reports

/// The measured latency of one architecture: end-to-end statistics, a conservative figure with
/// the runs behind it, per-block latencies, telemetry, and (given an accuracy and a target) the
/// MnasNet reward.
public struct LatencyRecord: Record {
    public static let recordType = "latency"

    /// The architecture's name.
    public let name: String
    /// Where the spec came from: a file path, or `request` for the HTTP service.
    public let source: String
    /// The engine that ran the network: `edgeprobe` or `xnnpack` (`engine_description.engine`).
    public let engine: String
    /// The float32 kernel path the engine ran (`avx512f`, `avx2+fma`, `neon`; XNNPACK: `avx512f`,
    /// `fma3`, `neonfma`, ...): an architecture's latency holds for that path
    /// (`engine_description.float32_isa`, kept at the top level for the readers that take it here).
    public let float32Isa: String
    /// The engine that ran the network as `run_start` names it: its version (edgeprobe's build, or
    /// the Debian package XNNPACK was loaded from), its instruction-set paths and the cap on them.
    public let engineDescription: EngineDescription
    /// Input height, width, channels.
    public let input: [Int]
    /// Multiply-accumulates of one inference.
    public let macs: Int
    /// Floating-point operations of one inference, 2 x MACs.
    public let flops: Int
    /// Weights and biases.
    public let params: Int
    /// Estimated bytes of weights and activations.
    public let memoryBytes: Int
    /// Benchmark threads.
    public let threads: Int
    /// The CPU set each benchmark thread actually ran on.
    public let affinity: [[Int]]
    /// Seed of the random weights and input.
    public let seed: UInt64
    /// Warm-up, minimum iterations and minimum time.
    public let measurement: MeasurementPolicy
    /// End-to-end latency of one inference, microseconds.
    public let latencyUs: LatencyStatistics
    /// An upper percentile of the end-to-end latency and the runs it rests on.
    public let conservativeLatency: ConservativeLatency
    /// Each layer's latency, measured inside the end-to-end runs.
    public let blocks: [BlockLatency]
    /// Sum of the per-block mean latencies, microseconds (compare with `latency_us.mean`).
    public let blockSumUs: Double
    /// Telemetry sampled while the network ran.
    public let telemetry: TelemetrySummary
    /// The MnasNet reward, when an accuracy and a target were given.
    @Nullable public var reward: MnasNetReward?
    /// With `--engine both`: edgeprobe's median end-to-end latency over XNNPACK's, both measured
    /// in turns in this process; null with one engine.
    @Nullable public var p50RatioEdgeprobeToXnnpack: Double?
    /// Conditions that make the figures less trustworthy.
    public let warnings: [String]
    /// Why a figure above is null.
    public let unavailable: [String: String]
}

/// A high percentile of the measured latencies: what a search should budget for.
public struct ConservativeLatency: Codable, Sendable, Equatable {
    /// The percentile, e.g. 90.
    public let percentile: Int
    /// Its value, microseconds.
    public let valueUs: Double
    /// Its value, milliseconds.
    public let valueMs: Double
    /// The number of runs it was computed from.
    public let n: Int
}

/// One layer's share of an architecture's latency.
public struct BlockLatency: Codable, Sendable, Equatable {
    /// The layer's name, e.g. `block3.1`.
    public let name: String
    /// What the layer is, e.g. `inverted_residual`.
    public let kind: String
    /// Its lookup-table key.
    public let key: String
    /// Multiply-accumulates.
    public let macs: Int
    /// Weights and biases.
    public let params: Int
    /// Its latency per inference, microseconds.
    public let latencyUs: LatencyStatistics
}
