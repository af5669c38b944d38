/// What the agent knows about itself for its metrics: identity, settings in effect and its
/// running totals. (RSS and CPU time come from the sample, which measures the agent's process.)
public struct AgentFigures: Sendable, Equatable {
    /// edgeprobe's version.
    public var version: String
    /// The board profile in effect.
    public var board: String
    /// The board profile's `throttle_temp_c`, where it has one.
    public var throttleLimitC: Double?
    /// `sampling.interval` in effect, seconds.
    public var samplingIntervalS: Double
    /// When the agent started, seconds since the epoch.
    public var startTimeS: Double
    /// `sample` records written.
    public var samples = 0
    /// When the latest sample was taken, seconds since the epoch.
    public var lastSampleS: Double?
    /// Records each output took, by output (`stdout`, `file`).
    public var recordsWritten: [String: Int] = [:]
    /// Records each output could not take, by output.
    public var recordsDropped: [String: Int] = [:]
    /// Suite runs by suite, then by outcome (`completed`, `interrupted`, `failed`).
    public var suiteRuns: [String: [String: Int]] = [:]
    /// Postponed suite runs by suite, then by reason (`cpu_busy`, `cpu_unknown`, `too_hot`).
    public var suitePostponements: [String: [String: Int]] = [:]
    /// Configurations applied by SIGHUP.
    public var reloads = 0
    /// SIGHUP reloads refused (an invalid file).
    public var reloadFailures = 0
    /// Textfile writes that failed.
    public var textfileFailures = 0

    /// Figures of an agent that just started.
    public init(version: String, board: String, throttleLimitC: Double?, samplingIntervalS: Double, startTimeS: Double) {
        self.version = version
        self.board = board
        self.throttleLimitC = throttleLimitC
        self.samplingIntervalS = samplingIntervalS
        self.startTimeS = startTimeS
    }
}
