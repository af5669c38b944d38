import ProcStats

/// Shares of CPU time between two tick readings, in percent of the time that passed.
public struct CPUUtilization: Sendable, Equatable {
    /// Everything but idle and iowait.
    public var busyPct: Double
    /// User and nice time.
    public var userPct: Double
    /// Kernel, hard-interrupt and soft-interrupt time.
    public var systemPct: Double
    /// Idle time with I/O outstanding.
    public var iowaitPct: Double
    /// Time stolen by the hypervisor.
    public var stealPct: Double

    /// The utilization between two readings of the same CPU, or `nil` when no tick passed or the
    /// counters went backwards as a whole (CPU hotplug, counter reset), where any figure would be
    /// bogus. A single counter going backwards while the total advances (the kernel's per-CPU
    /// iowait does this) counts as zero for that counter, so no share is ever negative.
    public init?(from earlier: CPUTicks, to later: CPUTicks) {
        guard later.total > earlier.total else { return nil }
        func delta(_ field: KeyPath<CPUTicks, UInt64>) -> Double {
            let before = earlier[keyPath: field], after = later[keyPath: field]
            return after > before ? Double(after - before) : 0
        }
        let user = delta(\.user) + delta(\.nice)
        let system = delta(\.system) + delta(\.irq) + delta(\.softirq)
        let idle = delta(\.idle)
        let iowait = delta(\.iowait)
        let steal = delta(\.steal)
        let total = user + system + idle + iowait + steal
        guard total > 0 else { return nil }
        func percent(_ ticks: Double) -> Double { (ticks / total * 10_000).rounded() / 100 }
        busyPct = percent(user + system + steal)
        userPct = percent(user)
        systemPct = percent(system)
        iowaitPct = percent(iowait)
        stealPct = percent(steal)
    }
}
