import ProcStats
import Reports

/// One CPU's frequency scaling state, from cpufreq.
public struct CoreFrequency: Encodable, Sendable, Equatable {
    /// The kernel's CPU number.
    public var cpu: Int
    /// Current frequency (`scaling_cur_freq`).
    @Nullable public var curHz: UInt64?
    /// Lowest frequency the policy allows now (`scaling_min_freq`).
    @Nullable public var minHz: UInt64?
    /// Highest frequency the policy allows now (`scaling_max_freq`).
    @Nullable public var maxHz: UInt64?
    /// The scaling governor (`ondemand`, `performance`, `schedutil`, ...).
    @Nullable public var governor: String?

    /// A core's frequency figures.
    public init(cpu: Int, curHz: UInt64?, minHz: UInt64?, maxHz: UInt64?, governor: String?) {
        self.cpu = cpu
        self.curHz = curHz
        self.minHz = minHz
        self.maxHz = maxHz
        self.governor = governor
    }
}

/// Per-core frequency, limits and governor from `<root>/sys/devices/system/cpu/cpuN/cpufreq`.
public final class FrequencyCollector: Collector {
    private let cores: [(cpu: Int, path: String)]

    /// Finds the CPUs that have a cpufreq directory, once.
    public init(root: String) {
        let cpuPath = TextFile.path(root: root, "/sys/devices/system/cpu")
        cores = DirectoryListing.names(cpuPath).compactMap { entry in
            guard entry.hasPrefix("cpu"), let cpu = Int(entry.dropFirst(3)) else { return nil }
            let path = cpuPath + "/" + entry + "/cpufreq"
            return DirectoryListing.exists(path) ? (cpu, path) : nil
        }
    }

    /// Reads each core's cpufreq files (kHz there, Hz here).
    public func read(unavailable: inout [String: String]) -> [CoreFrequency] {
        if cores.isEmpty {
            unavailable["cpufreq"] = "no cpufreq (no scaling driver, or a virtual machine)"
            return []
        }
        return cores.map { core in
            func hertz(_ file: String) -> UInt64? {
                TextFile.firstLine(core.path + "/" + file).flatMap { UInt64($0.trimmingSpacesString) }.map { $0 * 1000 }
            }
            return CoreFrequency(
                cpu: core.cpu, curHz: hertz("scaling_cur_freq"), minHz: hertz("scaling_min_freq"),
                maxHz: hertz("scaling_max_freq"), governor: TextFile.firstLine(core.path + "/scaling_governor"))
        }
    }
}
