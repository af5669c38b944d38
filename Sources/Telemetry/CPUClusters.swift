import ProcStats

/// One group of identical cores: on big.LITTLE boards (RK3588: 4x Cortex-A76 + 4x Cortex-A55)
/// the fast and the efficient cores; on most boards the only one.
public struct CPUCluster: Sendable, Equatable {
    /// `big`, `little`, `mid` (between them, on three-cluster SoCs) or `all` (one cluster only).
    public var name: String
    /// The kernel's CPU numbers, ascending.
    public var cpus: [Int]
    /// The scheduler's relative capacity (`cpu_capacity`, 1024 for the fastest), when the kernel gives it.
    public var capacity: Int?
    /// The hardware's highest frequency (`cpufreq/cpuinfo_max_freq`) in Hz, when cpufreq exists.
    public var maxFrequencyHz: UInt64?

    /// A cluster with the given figures.
    public init(name: String, cpus: [Int], capacity: Int?, maxFrequencyHz: UInt64?) {
        self.name = name
        self.cpus = cpus
        self.capacity = capacity
        self.maxFrequencyHz = maxFrequencyHz
    }
}

/// The board's CPU clusters, told apart by `cpu_capacity` or, without it, by `cpuinfo_max_freq`
/// under `<root>/sys/devices/system/cpu/cpuN`.
public struct CPUClusters: Sendable, Equatable {
    /// Clusters from the slowest to the fastest; one cluster named `all` when every core is alike
    /// or the kernel tells nothing apart.
    public let clusters: [CPUCluster]
    /// What the clusters were told apart by: `cpu_capacity`, `cpuinfo_max_freq` or `none`.
    public let source: String
    /// Each CPU's hardware maximum frequency in Hz (`cpuinfo_max_freq`), where cpufreq gives it.
    public let maxFrequencyHz: [Int: UInt64]

    /// Reads the CPUs under `root` once.
    public init(root: String) {
        let cpuPath = TextFile.path(root: root, "/sys/devices/system/cpu")
        let cpus = DirectoryListing.names(cpuPath).compactMap { entry -> Int? in
            guard entry.hasPrefix("cpu") else { return nil }
            return Int(entry.dropFirst(3))
        }
        func number(_ cpu: Int, _ file: String) -> UInt64? {
            TextFile.firstLine(cpuPath + "/cpu\(cpu)/" + file).flatMap { UInt64($0.trimmingSpacesString) }
        }
        var capacities: [Int: Int] = [:], frequencies: [Int: UInt64] = [:]
        for cpu in cpus {
            if let capacity = number(cpu, "cpu_capacity") { capacities[cpu] = Int(capacity) }
            if let kilohertz = number(cpu, "cpufreq/cpuinfo_max_freq") { frequencies[cpu] = kilohertz * 1000 }
        }
        self.init(cpus: cpus, capacities: capacities, maxFrequencyHz: frequencies)
    }

    /// Groups `cpus` by capacity when every CPU has one, else by maximum frequency when every
    /// CPU has one, else into one cluster.
    public init(cpus: [Int], capacities: [Int: Int], maxFrequencyHz: [Int: UInt64]) {
        self.maxFrequencyHz = maxFrequencyHz
        let sortedCPUs = cpus.sorted()
        let key: (Int) -> UInt64
        if !sortedCPUs.isEmpty, sortedCPUs.allSatisfy({ capacities[$0] != nil }) {
            source = "cpu_capacity"
            key = { UInt64(capacities[$0]!) }
        } else if !sortedCPUs.isEmpty, sortedCPUs.allSatisfy({ maxFrequencyHz[$0] != nil }) {
            source = "cpuinfo_max_freq"
            key = { maxFrequencyHz[$0]! }
        } else {
            source = "none"
            key = { _ in 0 }
        }
        let groups = Dictionary(grouping: sortedCPUs, by: key).sorted { $0.key < $1.key }
        clusters = groups.enumerated().map { index, group in
            let name: String
            if groups.count == 1 {
                name = "all"
            } else if index == 0 {
                name = "little"
            } else if index == groups.count - 1 {
                name = "big"
            } else {
                name = groups.count == 3 ? "mid" : "mid\(index)"
            }
            let first = group.value[0]
            return CPUCluster(
                name: name, cpus: group.value, capacity: capacities[first],
                maxFrequencyHz: group.value.compactMap { maxFrequencyHz[$0] }.max())
        }
    }

    /// Whether the board has more than one kind of core.
    public var isHeterogeneous: Bool { clusters.count > 1 }

    /// The cluster named `name` (`big`, `little`, `mid`, `all`); `all` is every CPU even on a
    /// heterogeneous board. `nil` when the board has no such cluster (`big` on a one-cluster board).
    public func cluster(named name: String) -> CPUCluster? {
        if name == "all" {
            return CPUCluster(
                name: "all", cpus: clusters.flatMap(\.cpus).sorted(),
                capacity: clusters.count == 1 ? clusters[0].capacity : nil,
                maxFrequencyHz: clusters.compactMap(\.maxFrequencyHz).max())
        }
        return clusters.first { $0.name == name }
    }

    /// The name of the cluster holding every CPU of `cpus`: `big`, `little`, …; `all` on a board
    /// with one cluster; `mixed` when `cpus` spans several clusters; `nil` for no CPUs.
    public func clusterName(of cpus: [Int]) -> String? {
        guard !cpus.isEmpty else { return nil }
        if clusters.count <= 1 { return "all" }
        let owner = clusters.first { cluster in cpus.allSatisfy(cluster.cpus.contains) }
        return owner?.name ?? "mixed"
    }
}
