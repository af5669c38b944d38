import Reports

/// The first record of an agent run: the version, the configuration in effect and whether
/// systemd supervises it.
public struct AgentStartRecord: Record {
    public static let recordType = "agent_start"

    /// edgeprobe's version.
    public let edgeprobeVersion: String
    /// The process id.
    public let pid: Int32
    /// The configuration in effect.
    public let config: ConfigSummary
    /// Whether `NOTIFY_SOCKET` is set (running as a `Type=notify` systemd service).
    public let systemdNotify: Bool
    /// systemd's watchdog interval in seconds, when `WatchdogSec` is set.
    @Nullable public var watchdogS: Double?

    /// A start record.
    public init(edgeprobeVersion: String, pid: Int32, config: ConfigSummary, systemdNotify: Bool, watchdogS: Double?) {
        self.edgeprobeVersion = edgeprobeVersion
        self.pid = pid
        self.config = config
        self.systemdNotify = systemdNotify
        self.watchdogS = watchdogS
    }
}
