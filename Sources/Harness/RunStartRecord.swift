import Reports
import Telemetry

/// The first record of a benchmark run: the machine, the board profile and every option.
public struct RunStartRecord: Record {
    public static let recordType = "run_start"

    /// edgeprobe's version.
    public let edgeprobeVersion: String
    /// The hardware and kernel.
    public let system: HostDescription
    /// CPU frequency governor of CPU 0, where cpufreq exists.
    @Nullable public var governor: String?
    /// The board profile in effect.
    public let board: String
    /// The suite's name and file.
    public let suite: String
    /// The suite file that was read.
    public let suitePath: String
    /// Every option of the run, after profile defaults were applied.
    public let options: BenchOptions
    /// Why a figure above is null.
    public let unavailable: [String: String]
    /// Where the run differs from what was asked (a board profile asking for CPUs or threads
    /// this machine does not have): `options` holds what really runs.
    public let warnings: [String]
}

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

    /// Options as given.
    public init(
        threads: Int, cpus: [Int]?, measurement: MeasurementPolicy, cooldownToC: Double?,
        cooldownTimeoutS: Double, sampleIntervalMs: Int, seed: UInt64
    ) {
        self.threads = threads
        self.cpus = cpus
        self.measurement = measurement
        self.cooldownToC = cooldownToC
        self.cooldownTimeoutS = cooldownTimeoutS
        self.sampleIntervalMs = sampleIntervalMs
        self.seed = seed
    }
}

extension RunStartRecord {
    /// The record for a run of `suite` on `board`, describing this machine.
    public static func make(
        version: String, board: BoardProfile, suite: Suite, options: BenchOptions, sample: Sample?, warnings: [String] = []
    ) -> RunStartRecord {
        let governor = sample?.cpufreq.compactMap(\.governor).first
        return RunStartRecord(
            edgeprobeVersion: version, system: .current(), governor: governor, board: board.name,
            suite: suite.name, suitePath: suite.path, options: options,
            unavailable: governor == nil ? ["governor": "no cpufreq"] : [:], warnings: warnings)
    }
}
