import Reports

/// CPU figures of one sample: utilization since the previous sample, load, online cores.
public struct CPUReading: Encodable, Sendable, Equatable, UtilizationShares {
    /// CPUs currently online (`/sys/devices/system/cpu/online`).
    @Nullable public var onlineCores: Int?
    /// All-CPU busy share since the previous sample; `null` on the first sample.
    @Nullable public var busyPct: Double?
    /// All-CPU user + nice share.
    @Nullable public var userPct: Double?
    /// All-CPU system + irq + softirq share.
    @Nullable public var systemPct: Double?
    /// All-CPU iowait share.
    @Nullable public var iowaitPct: Double?
    /// All-CPU steal share.
    @Nullable public var stealPct: Double?
    /// 1-minute load average.
    @Nullable public var load1: Double?
    /// 5-minute load average.
    @Nullable public var load5: Double?
    /// 15-minute load average.
    @Nullable public var load15: Double?
    /// Per-CPU utilization, one entry per online CPU.
    public var cores: [CoreUtilization]

    /// A reading with every figure unavailable.
    public init() {
        cores = []
    }

}

/// Utilization of one CPU since the previous sample.
public struct CoreUtilization: Encodable, Sendable, Equatable, UtilizationShares {
    /// The kernel's CPU number.
    public var cpu: Int
    /// Busy share; `null` on the first sample or after this CPU's counters went backwards.
    @Nullable public var busyPct: Double?
    /// User + nice share.
    @Nullable public var userPct: Double?
    /// System + irq + softirq share.
    @Nullable public var systemPct: Double?
    /// Iowait share.
    @Nullable public var iowaitPct: Double?
    /// Steal share.
    @Nullable public var stealPct: Double?

    /// CPU `cpu` with the given utilization, or with `null` figures.
    public init(cpu: Int, utilization: CPUUtilization?) {
        self.cpu = cpu
        setShares(utilization)
    }
}

/// The shares of time a reading gives, all CPUs together (`CPUReading`) or one (`CoreUtilization`).
protocol UtilizationShares {
    var busyPct: Double? { get set }
    var userPct: Double? { get set }
    var systemPct: Double? { get set }
    var iowaitPct: Double? { get set }
    var stealPct: Double? { get set }
}

extension UtilizationShares {
    /// Sets every share from `utilization`, or clears them all when it is `nil`.
    mutating func setShares(_ utilization: CPUUtilization?) {
        busyPct = utilization?.busyPct
        userPct = utilization?.userPct
        systemPct = utilization?.systemPct
        iowaitPct = utilization?.iowaitPct
        stealPct = utilization?.stealPct
    }
}
