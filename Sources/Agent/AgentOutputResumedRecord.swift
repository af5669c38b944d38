import Reports

/// An output that had failed takes records again; says how many it lost meanwhile.
public struct AgentOutputResumedRecord: Record {
    public static let recordType = "agent_output_resumed"

    /// The output: `stdout` or `file`.
    public let output: String
    /// Records the output could not take while it failed.
    public let droppedRecords: Int
    /// How long it failed, in seconds.
    public let failedForS: Double
}
