/// Where CPU tick counters and memory figures come from: libproc2 on a live system, a procfs text
/// parser on a fixture tree, and later other libraries (the old libprocps, a BSD sysctl backend).
///
/// Backends may keep library state that is not thread-safe (libproc2 does): an instance belongs
/// to the one thread that created it and must only be used there.
public protocol SystemStatsBackend: AnyObject {
    /// A short name for records and diagnostics, e.g. `"libproc2"`.
    var name: String { get }
    /// Reads the CPU tick counters now.
    func cpuTicks() throws(SystemStatsError) -> CPUTickSnapshot
    /// Reads the memory figures now.
    func memory() throws(SystemStatsError) -> MemoryFigures
}

/// Why a backend could not produce a reading.
public enum SystemStatsError: Error, Equatable, CustomStringConvertible {
    /// The source could not be opened or read (missing file, library failure).
    case unreadable(source: String, reason: String)
    /// The source was read but did not have the expected shape.
    case malformed(source: String, reason: String)

    /// A one-line explanation naming the source.
    public var description: String {
        switch self {
        case let .unreadable(source, reason): "cannot read \(source): \(reason)"
        case let .malformed(source, reason): "unexpected content in \(source): \(reason)"
        }
    }
}

/// Chooses a backend for a filesystem root: libproc2 for the live system (`/`), the procfs text
/// parser for any other root (fixture trees, a chroot, a copied board snapshot).
public func makeSystemStatsBackend(root: String) -> any SystemStatsBackend {
    if root == "/" || root.isEmpty, let live = try? Proc2Backend() {
        return live
    }
    return ProcfsTextBackend(root: root)
}
