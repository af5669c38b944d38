import Reports

/// SIGHUP re-read the configuration file and the new configuration is now in effect.
public struct AgentReloadRecord: Record {
    public static let recordType = "agent_reload"

    /// The configuration now in effect.
    public let config: ConfigSummary
    /// Whether the output file changed and was reopened.
    public let outputsChanged: Bool

    /// A reload record.
    public init(config: ConfigSummary, outputsChanged: Bool) {
        self.config = config
        self.outputsChanged = outputsChanged
    }
}
