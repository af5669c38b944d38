import Reports

/// A scheduled suite was due but the board was busy or hot, so it waits.
public struct AgentPostponeRecord: Record {
    public static let recordType = "agent_postpone"

    /// The suite that was due (for a soak, the architecture it runs).
    public let suite: String
    /// `suite` or `soak`: what the schedule entry runs.
    public let job: String
    /// Why it waits, in words.
    public let reason: String
    /// Whole-machine CPU utilization at the check, percent.
    @Nullable public var cpuBusyPct: Double?
    /// The most it may be, percent.
    public let maxCpuBusyPct: Double
    /// The hottest sensor at the check, degrees Celsius.
    @Nullable public var tempC: Double?
    /// The most it may be, degrees Celsius.
    public let maxTempC: Double
    /// When the next check is, in seconds from now.
    public let retryInS: Double
    /// Why a figure above is null.
    public let unavailable: [String: String]

    /// A postponement record.
    public init(
        suite: String, job: String = "suite", reason: String, cpuBusyPct: Double?, maxCpuBusyPct: Double, tempC: Double?,
        maxTempC: Double, retryInS: Double, unavailable: [String: String]
    ) {
        self.suite = suite
        self.job = job
        self.reason = reason
        self.cpuBusyPct = cpuBusyPct
        self.maxCpuBusyPct = maxCpuBusyPct
        self.tempC = tempC
        self.maxTempC = maxTempC
        self.retryInS = retryInS
        self.unavailable = unavailable
    }
}
