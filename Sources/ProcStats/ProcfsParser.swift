/// Pure parsers for `/proc/stat` and `/proc/meminfo` text: no I/O, so tests feed them strings.
public enum ProcfsParser {
    // MARK: - /proc/stat

    /// Parses the `cpu` and `cpuN` lines of `/proc/stat`.
    /// - Throws: `SystemStatsError.malformed` when the summary `cpu` line is missing or short.
    public static func parseStat(_ text: String) throws(SystemStatsError) -> CPUTickSnapshot {
        var total: CPUTicks?
        var cores: [CoreTicks] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            guard line.hasPrefix("cpu") else { continue }
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard let label = fields.first, let ticks = ticks(from: fields.dropFirst()) else {
                throw .malformed(source: "/proc/stat", reason: "short cpu line '\(line)'")
            }
            if label == "cpu" {
                total = ticks
            } else if let id = Int(label.dropFirst(3)) {
                cores.append(CoreTicks(id: id, ticks: ticks))
            }
        }
        guard let total else { throw .malformed(source: "/proc/stat", reason: "no 'cpu' summary line") }
        return CPUTickSnapshot(total: total, cores: cores.sorted { $0.id < $1.id })
    }

    /// The first eight counters (user … steal); kernels before 2.6.11 had fewer and are refused.
    private static func ticks(from fields: ArraySlice<Substring>) -> CPUTicks? {
        let values = fields.prefix(8).compactMap { UInt64($0) }
        guard values.count == 8 else { return nil }
        return CPUTicks(
            user: values[0], nice: values[1], system: values[2], idle: values[3],
            iowait: values[4], irq: values[5], softirq: values[6], steal: values[7])
    }

    // MARK: - /proc/meminfo

    /// Parses `MemTotal`, `MemAvailable`, `SwapTotal` and `SwapFree` (kB in the file, bytes out).
    /// - Throws: `SystemStatsError.malformed` naming the first missing key.
    public static func parseMeminfo(_ text: String) throws(SystemStatsError) -> MemoryFigures {
        var kibibytes: [Substring: UInt64] = [:]
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon]
            guard wantedKeys.contains(key) else { continue }
            let number = line[line.index(after: colon)...].split(separator: " ").first.flatMap { UInt64($0) }
            if let number { kibibytes[key] = number }
        }
        func value(_ key: Substring) throws(SystemStatsError) -> UInt64 {
            guard let kib = kibibytes[key] else {
                throw .malformed(source: "/proc/meminfo", reason: "no '\(key)' line")
            }
            return kib * 1024
        }
        return MemoryFigures(
            totalBytes: try value("MemTotal"), availableBytes: try value("MemAvailable"),
            swapTotalBytes: try value("SwapTotal"), swapFreeBytes: try value("SwapFree"))
    }

    private static let wantedKeys: Set<Substring> = ["MemTotal", "MemAvailable", "SwapTotal", "SwapFree"]
}
