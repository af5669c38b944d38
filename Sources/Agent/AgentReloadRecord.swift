import Reports

/// SIGHUP re-read the configuration file and the new configuration is now in effect.
public struct AgentReloadRecord: Record {
    public static let recordType = "agent_reload"

    /// The configuration now in effect.
    public let config: ConfigSummary
    /// Whether the output file changed and was reopened.
    public let outputsChanged: Bool
    /// Keys whose change the file asked for but only a restart applies (`latency_service`);
    /// `config` shows what is actually in effect.
    public let restartRequired: [String]

    /// A reload record.
    public init(config: ConfigSummary, outputsChanged: Bool, restartRequired: [String] = []) {
        self.config = config
        self.outputsChanged = outputsChanged
        self.restartRequired = restartRequired
    }
}
