/// A backend that reads `<root>/proc/stat` and `<root>/proc/meminfo` as text in pure Swift:
/// used for fixture trees and any root that is not the live system.
public final class ProcfsTextBackend: SystemStatsBackend {
    private let statPath: String
    private let meminfoPath: String

    /// A backend reading the procfs files under `root`.
    public init(root: String) {
        statPath = TextFile.path(root: root, "/proc/stat")
        meminfoPath = TextFile.path(root: root, "/proc/meminfo")
    }

    /// `"procfs"`.
    public var name: String { "procfs" }

    /// Parses `<root>/proc/stat`.
    public func cpuTicks() throws(SystemStatsError) -> CPUTickSnapshot {
        guard let text = TextFile.text(statPath) else {
            throw .unreadable(source: statPath, reason: "no such file or not readable")
        }
        return try ProcfsParser.parseStat(text)
    }

    /// Parses `<root>/proc/meminfo`.
    public func memory() throws(SystemStatsError) -> MemoryFigures {
        guard let text = TextFile.text(meminfoPath) else {
            throw .unreadable(source: meminfoPath, reason: "no such file or not readable")
        }
        return try ProcfsParser.parseMeminfo(text)
    }
}
