import ProcStats

/// CPU utilization (total and per core) from tick deltas, load averages and the online core count.
///
/// Utilization needs two readings: the first `read` records the counters and reports `null`.
public final class CPUCollector: Collector {
    private let backend: any SystemStatsBackend
    private let onlinePath: String
    private let loadavgPath: String
    private var previous: CPUTickSnapshot?

    /// A collector over `backend`'s tick counters and the sysfs/procfs files under `root`.
    public init(root: String, backend: any SystemStatsBackend) {
        self.backend = backend
        onlinePath = TextFile.path(root: root, "/sys/devices/system/cpu/online")
        loadavgPath = TextFile.path(root: root, "/proc/loadavg")
    }

    /// Reads counters, load and online cores; utilization is relative to the previous `read`.
    public func read(unavailable: inout [String: String]) -> CPUReading {
        var reading = CPUReading()
        readLoad(into: &reading, unavailable: &unavailable)
        let snapshot: CPUTickSnapshot
        do {
            snapshot = try backend.cpuTicks()
        } catch {
            unavailable["cpu.utilization"] = error.description
            reading.onlineCores = onlineCores(fallback: nil)
            if reading.onlineCores == nil { unavailable["cpu.online_cores"] = "no \(onlinePath)" }
            return reading
        }
        reading.onlineCores = onlineCores(fallback: snapshot.cores.count)
        defer { previous = snapshot }
        guard let previous else {
            unavailable["cpu.utilization"] = "first reading: utilization needs two readings"
            reading.cores = snapshot.cores.map { CoreUtilization(cpu: $0.id, utilization: nil) }
            return reading
        }
        let total = CPUUtilization(from: previous.total, to: snapshot.total)
        if total == nil {
            unavailable["cpu.utilization"] = "counters did not advance or went backwards (CPU hotplug)"
        }
        reading.setShares(total)
        var earlier: [Int: CPUTicks] = [:]
        for core in previous.cores { earlier[core.id] = core.ticks }
        var missing: [Int] = []
        reading.cores = snapshot.cores.map { core in
            let utilization = earlier[core.id].flatMap { CPUUtilization(from: $0, to: core.ticks) }
            if utilization == nil { missing.append(core.id) }
            return CoreUtilization(cpu: core.id, utilization: utilization)
        }
        if !missing.isEmpty && total != nil {
            let list = missing.map(String.init).joined(separator: ",")
            unavailable["cpu.cores"] = "cpu \(list): came online or counters went backwards since the previous reading"
        }
        return reading
    }

    // MARK: - Load and online cores

    private func readLoad(into reading: inout CPUReading, unavailable: inout [String: String]) {
        guard let text = TextFile.firstLine(loadavgPath) else {
            unavailable["cpu.load"] = "no \(loadavgPath)"
            return
        }
        let fields = text.split(separator: " ").prefix(3).compactMap { Double($0) }
        guard fields.count == 3 else {
            unavailable["cpu.load"] = "unexpected content in \(loadavgPath)"
            return
        }
        reading.load1 = fields[0]
        reading.load5 = fields[1]
        reading.load15 = fields[2]
    }

    private func onlineCores(fallback: Int?) -> Int? {
        TextFile.firstLine(onlinePath).flatMap(CPUList.count) ?? fallback
    }
}
