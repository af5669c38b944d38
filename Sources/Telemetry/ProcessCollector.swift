import Glibc
import ProcStats
import Reports

/// edgeprobe's own footprint: resident memory and CPU time used so far.
public struct ProcessReading: Encodable, Sendable, Equatable {
    /// Resident set size (`/proc/self/statm`, second field × page size).
    @Nullable public var rssBytes: UInt64?
    /// CPU time in user mode since the process started (`getrusage`).
    public var userCpuS: Double
    /// CPU time in kernel mode since the process started (`getrusage`).
    public var systemCpuS: Double

    /// A reading with the given figures.
    public init(rssBytes: UInt64?, userCpuS: Double, systemCpuS: Double) {
        self.rssBytes = rssBytes
        self.userCpuS = userCpuS
        self.systemCpuS = systemCpuS
    }
}

/// The running process's RSS from `<root>/proc/self/statm` and CPU time from `getrusage`
/// (libproc2's pids interface is ~60 µs a call and leaks per exiting thread).
public final class ProcessCollector: Collector {
    private let statmPath: String
    private let pageSize = UInt64(sysconf(Int32(_SC_PAGESIZE)))

    /// A collector reading `statm` under `root` (the live `/` for the process itself).
    public init(root: String) {
        statmPath = TextFile.path(root: root, "/proc/self/statm")
    }

    /// Reads RSS and CPU time now.
    public func read(unavailable: inout [String: String]) -> ProcessReading {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1_000_000 }
        let pages = TextFile.firstLine(statmPath).flatMap { line in
            line.split(separator: " ").dropFirst().first.flatMap { UInt64($0) }
        }
        if pages == nil { unavailable["process.rss_bytes"] = "no \(statmPath)" }
        return ProcessReading(
            rssBytes: pages.map { $0 * pageSize }, userCpuS: seconds(usage.ru_utime), systemCpuS: seconds(usage.ru_stime))
    }
}
