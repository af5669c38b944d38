import Engines
import Measurement

/// The options a benchmark run used, after defaults from the board profile.
public struct BenchOptions: Codable, Sendable, Equatable {
    /// Benchmark threads.
    public var threads: Int
    /// CPUs the threads were asked to be pinned to; `nil` for no pinning.
    public var cpus: [Int]?
    /// Warm-up, minimum iterations and minimum time.
    public var measurement: MeasurementPolicy
    /// Wait before each benchmark until the hottest sensor is below this; `nil` for no waiting.
    public var cooldownToC: Double?
    /// The longest wait for a cooldown, in seconds.
    public var cooldownTimeoutS: Double
    /// Telemetry sampling interval during benchmarks, in milliseconds.
    public var sampleIntervalMs: Int
    /// Seed of the random weights and inputs.
    public var seed: UInt64
    /// The engines measured (`--engine`).
    public var engine: EngineSelection
    /// The number format the layers compute in (`--precision`).
    public var precision: Precision

    /// Options as given.
    public init(
        threads: Int, cpus: [Int]?, measurement: MeasurementPolicy, cooldownToC: Double?,
        cooldownTimeoutS: Double, sampleIntervalMs: Int, seed: UInt64, engine: EngineSelection = .edgeprobe,
        precision: Precision = .float32
    ) {
        self.threads = threads
        self.cpus = cpus
        self.measurement = measurement
        self.cooldownToC = cooldownToC
        self.cooldownTimeoutS = cooldownTimeoutS
        self.sampleIntervalMs = sampleIntervalMs
        self.seed = seed
        self.engine = engine
        self.precision = precision
    }
}
