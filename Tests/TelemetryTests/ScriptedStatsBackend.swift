import ProcStats

/// A `SystemStatsBackend` test double that returns prepared tick snapshots in order.
final class ScriptedStatsBackend: SystemStatsBackend {
    private var snapshots: [CPUTickSnapshot]

    init(_ snapshots: [CPUTickSnapshot]) {
        self.snapshots = snapshots
    }

    var name: String { "scripted" }

    func cpuTicks() throws(SystemStatsError) -> CPUTickSnapshot {
        guard !snapshots.isEmpty else { throw .unreadable(source: "script", reason: "no more snapshots") }
        return snapshots.removeFirst()
    }

    func memory() throws(SystemStatsError) -> MemoryFigures {
        throw .unreadable(source: "script", reason: "no memory in this script")
    }
}

/// Counters where only the named fields are non-zero.
func ticks(user: UInt64 = 0, nice: UInt64 = 0, system: UInt64 = 0, idle: UInt64 = 0, iowait: UInt64 = 0,
           irq: UInt64 = 0, softirq: UInt64 = 0, steal: UInt64 = 0) -> CPUTicks {
    CPUTicks(user: user, nice: nice, system: system, idle: idle, iowait: iowait, irq: irq, softirq: softirq, steal: steal)
}
