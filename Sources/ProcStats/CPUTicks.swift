/// Cumulative CPU time counters of one CPU (or of all together), in clock ticks, as `/proc/stat`
/// gives them. Guest time is already part of user time there, so `total` leaves it out.
public struct CPUTicks: Sendable, Equatable {
    /// Time in user mode (includes guest time).
    public var user: UInt64
    /// Time in user mode at low priority (includes guest-nice time).
    public var nice: UInt64
    /// Time in kernel mode.
    public var system: UInt64
    /// Idle time.
    public var idle: UInt64
    /// Idle time while I/O was outstanding.
    public var iowait: UInt64
    /// Time servicing hardware interrupts.
    public var irq: UInt64
    /// Time servicing soft interrupts.
    public var softirq: UInt64
    /// Time a hypervisor gave to other guests while this CPU wanted to run.
    public var steal: UInt64

    /// Counters with the given values.
    public init(
        user: UInt64, nice: UInt64, system: UInt64, idle: UInt64,
        iowait: UInt64, irq: UInt64, softirq: UInt64, steal: UInt64
    ) {
        self.user = user
        self.nice = nice
        self.system = system
        self.idle = idle
        self.iowait = iowait
        self.irq = irq
        self.softirq = softirq
        self.steal = steal
    }

    /// Every tick once: the sum of all counters (guest excluded, it is inside `user`).
    public var total: UInt64 { user + nice + system + idle + iowait + irq + softirq + steal }
}

/// The counters of one online CPU, keyed by the kernel's CPU number (`cpu3` → 3).
public struct CoreTicks: Sendable, Equatable {
    /// The kernel's CPU number.
    public var id: Int
    /// Its counters.
    public var ticks: CPUTicks

    /// Counters of CPU `id`.
    public init(id: Int, ticks: CPUTicks) {
        self.id = id
        self.ticks = ticks
    }
}

/// One reading of every CPU counter: the all-CPU line and one entry per online CPU.
public struct CPUTickSnapshot: Sendable, Equatable {
    /// The all-CPU counters (`cpu` line).
    public var total: CPUTicks
    /// Per-CPU counters in CPU-number order; offline CPUs are absent.
    public var cores: [CoreTicks]

    /// A snapshot of the given counters.
    public init(total: CPUTicks, cores: [CoreTicks]) {
        self.total = total
        self.cores = cores
    }
}
