import Reports

/// Something went wrong while the agent kept running: an invalid configuration on reload (the
/// previous one stays in effect), an output that cannot be written, a suite that failed.
public struct AgentErrorRecord: Record {
    public static let recordType = "agent_error"

    /// Where it happened: `reload`, `output.file`, `output.stdout`, `schedule`.
    public let source: String
    /// What happened, in words.
    public let message: String
    /// What the agent does about it, e.g. `keeping the previous configuration`.
    public let action: String
}
