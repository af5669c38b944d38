import Reports

/// The last record of an agent run, written after every service stopped and outputs were flushed.
public struct AgentStopRecord: Record {
    public static let recordType = "agent_stop"

    /// What stopped the agent: `SIGTERM`, `SIGINT`, or `error`.
    public let reason: String
    /// Time since `agent_start`, in seconds.
    public let uptimeS: Double
    /// Samples written.
    public let samples: Int
    /// Scheduled suite runs started (finished or interrupted).
    public let benchmarkRuns: Int
    /// Whether a running suite was interrupted by the shutdown.
    public let benchmarkInterrupted: Bool
    /// Records an output could not take, per output (`stdout`, `file`), over the whole run.
    public let droppedRecords: [String: Int]

    /// A stop record.
    public init(
        reason: String, uptimeS: Double, samples: Int, benchmarkRuns: Int, benchmarkInterrupted: Bool,
        droppedRecords: [String: Int]
    ) {
        self.reason = reason
        self.uptimeS = uptimeS
        self.samples = samples
        self.benchmarkRuns = benchmarkRuns
        self.benchmarkInterrupted = benchmarkInterrupted
        self.droppedRecords = droppedRecords
    }
}
