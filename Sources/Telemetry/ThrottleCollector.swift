import ProcStats
import Reports

/// Whether the CPU is being held back: x86 thermal-throttle counters, Raspberry Pi firmware bits.
public struct ThrottleReading: Encodable, Sendable, Equatable {
    /// Throttling seen: on x86 the counters moved since the previous reading, on a Raspberry Pi
    /// one of `get_throttled`'s "now" bits (under-voltage, capped, throttled, soft limit) is set.
    @Nullable public var throttled: Bool?
    /// Sum over CPUs of `thermal_throttle/core_throttle_count` (x86).
    @Nullable public var coreThrottleCount: UInt64?
    /// Highest `thermal_throttle/package_throttle_count` over CPUs (x86, one per package).
    @Nullable public var packageThrottleCount: UInt64?
    /// Raspberry Pi firmware `get_throttled` bits (0–3 now, 16–19 since boot).
    @Nullable public var piThrottledBits: UInt32?

    /// A reading with every figure unavailable.
    public init() {}
}

/// Throttle indicators under `root`: x86 `cpuN/thermal_throttle/*_throttle_count` and the
/// Raspberry Pi firmware's `get_throttled` attribute.
public final class ThrottleCollector: Collector {
    private let corePaths: [String]
    private let packagePaths: [String]
    private let piPath: String?
    private var previousCounts: (core: UInt64?, package: UInt64?)

    /// Finds the throttle files once and takes the counters' starting values.
    public init(root: String) {
        let cpuPath = TextFile.path(root: root, "/sys/devices/system/cpu")
        let cpuDirectories = DirectoryListing.names(cpuPath)
            .filter { $0.hasPrefix("cpu") && Int($0.dropFirst(3)) != nil }
            .map { cpuPath + "/" + $0 + "/thermal_throttle/" }
        corePaths = cpuDirectories.map { $0 + "core_throttle_count" }.filter(DirectoryListing.exists)
        packagePaths = cpuDirectories.map { $0 + "package_throttle_count" }.filter(DirectoryListing.exists)
        piPath = Self.findGetThrottled(root: root)
        previousCounts = (nil, nil)
        previousCounts = counts()
    }

    /// Reads the counters and bits now.
    public func read(unavailable: inout [String: String]) -> ThrottleReading {
        var reading = ThrottleReading()
        let current = counts()
        reading.coreThrottleCount = current.core
        reading.packageThrottleCount = current.package
        if current.core != nil || current.package != nil {
            reading.throttled = Self.increased(previousCounts.core, current.core)
                || Self.increased(previousCounts.package, current.package)
            previousCounts = current
        }
        if let piPath, let line = TextFile.firstLine(piPath),
           let bits = UInt32(line.trimmingSpacesString.replacingPrefix("0x"), radix: 16) {
            reading.piThrottledBits = bits
            reading.throttled = (reading.throttled ?? false) || bits & 0xF != 0
        }
        if reading.throttled == nil {
            unavailable["throttle"] = "no thermal_throttle counters and no Raspberry Pi get_throttled"
        }
        return reading
    }

    // MARK: - Files

    private func counts() -> (core: UInt64?, package: UInt64?) {
        func values(_ paths: [String]) -> [UInt64] {
            paths.compactMap { TextFile.firstLine($0).flatMap { UInt64($0.trimmingSpacesString) } }
        }
        let core = values(corePaths), package = values(packagePaths)
        return (core.isEmpty ? nil : core.reduce(0, +), package.max())
    }

    private static func increased(_ before: UInt64?, _ after: UInt64?) -> Bool {
        guard let before, let after else { return false }
        return after > before
    }

    /// `<root>/sys/devices/platform/soc*/*firmware*/get_throttled` (the path differs by model).
    private static func findGetThrottled(root: String) -> String? {
        let platform = TextFile.path(root: root, "/sys/devices/platform")
        for soc in DirectoryListing.names(platform) where soc.hasPrefix("soc") {
            for device in DirectoryListing.names(platform + "/" + soc) where device.contains("firmware") {
                let path = platform + "/" + soc + "/" + device + "/get_throttled"
                if DirectoryListing.exists(path) { return path }
            }
        }
        return nil
    }
}

extension String {
    /// The text without `prefix` when it starts with it.
    func replacingPrefix(_ prefix: String) -> Substring {
        hasPrefix(prefix) ? dropFirst(prefix.count) : Substring(self)
    }
}
