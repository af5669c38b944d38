import Reports

/// The configuration as written into `agent_start` and `agent_reload` records.
public struct ConfigSummary: Encodable, Sendable, Equatable {
    /// The file it was read from.
    public let path: String
    /// Time between two samples, in seconds.
    public let samplingIntervalS: Double
    /// The board profile.
    public let board: String
    /// Whether records go to standard output.
    public let stdout: Bool
    /// The rotating output file, if any.
    @Nullable public var file: String?
    /// Rotation size of the output file, in bytes.
    @Nullable public var fileMaxBytes: Int?
    /// Rotated files kept.
    @Nullable public var fileKeep: Int?
    /// Scheduled suites, in order; a soak entry as `soak ARCH`.
    public let scheduledSuites: [String]
    /// Where the hosted latency service listens (`host:port`), `null` when it is off.
    @Nullable public var latencyService: String?
    /// Where `GET /metrics` is served (`host:port`), `null` when it is not.
    @Nullable public var metricsListen: String?
    /// The node_exporter textfile written after every sample, `null` when none.
    @Nullable public var metricsTextfile: String?

    /// The summary of `configuration`.
    public init(_ configuration: AgentConfiguration) {
        path = configuration.path
        samplingIntervalS = configuration.samplingIntervalS
        board = configuration.board
        stdout = configuration.outputs.standardOutput
        file = configuration.outputs.file?.path
        fileMaxBytes = configuration.outputs.file?.maxBytes
        fileKeep = configuration.outputs.file?.keep
        scheduledSuites = configuration.schedule.map { $0.soak == nil ? $0.suite : "soak " + $0.suite }
        latencyService = configuration.latencyService?.listen.description
        metricsListen = configuration.metrics?.listen?.description
        metricsTextfile = configuration.metrics?.textfile
    }
}
