/// A run's threads and pinned CPUs fitted to this machine. A board profile is written for one
/// board and may be used on another: CPUs the machine does not have online are dropped (none
/// left: no pinning) and more threads than online CPUs are kept but oversubscribe; each
/// difference is a warning, so the records say what really ran rather than what was asked.
/// (Options given on the command line are checked strictly instead: see `ThreadPool.problem`.)
public struct MachineFit: Sendable, Equatable {
    /// Threads that run.
    public let threads: Int
    /// CPUs the threads are pinned to, `nil` for none.
    public let cpus: [Int]?
    /// What differs from what was asked, in words.
    public let warnings: [String]

    /// Fits `threads` and `cpus`, asked for by `source` (e.g. `board profile raspberry-pi-4`),
    /// to the `online` CPUs.
    public init(threads: Int, cpus: [Int]?, source: String, online: [Int]) {
        var warnings: [String] = []
        var pinned = cpus
        if let asked = cpus {
            let kept = asked.filter(online.contains)
            if kept.count < asked.count {
                let missing = asked.filter { !online.contains($0) }.map(String.init).joined(separator: ",")
                let outcome = kept.isEmpty ? "threads are not pinned" : "pinned to \(kept.map(String.init).joined(separator: ","))"
                warnings.append("\(source) asks for CPUs \(missing), which are not online here (online: \(Self.list(online))); \(outcome)")
                pinned = kept.isEmpty ? nil : kept
            }
        }
        if threads > online.count {
            warnings.append("\(source) asks for \(threads) threads, more than the \(online.count) online CPUs; they share CPUs")
        }
        self.threads = threads
        self.cpus = pinned
        self.warnings = warnings
    }

    private static func list(_ cpus: [Int]) -> String {
        cpus.map(String.init).joined(separator: ",")
    }
}
