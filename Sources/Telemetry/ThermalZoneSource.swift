import ProcStats

/// Reads `<root>/sys/class/thermal/thermal_zone*/{type,temp}`: the kernel's thermal zones,
/// the fallback when no hwmon chip reports a temperature.
public final class ThermalZoneSource: SensorSource {
    private struct Zone {
        var type: String
        var label: String
        var tempPath: String
        var critC: Double?
    }

    private let zones: [Zone]

    /// Scans for thermal zones once; a zone's critical trip point, when it has one, is its limit.
    public init(root: String) {
        let classPath = TextFile.path(root: root, "/sys/class/thermal")
        zones = DirectoryListing.names(classPath).filter { $0.hasPrefix("thermal_zone") }.compactMap { entry in
            let zonePath = classPath + "/" + entry
            guard let type = TextFile.firstLine(zonePath + "/type"),
                  DirectoryListing.exists(zonePath + "/temp") else { return nil }
            return Zone(type: type, label: entry, tempPath: zonePath + "/temp", critC: Self.criticalTrip(zonePath))
        }
    }

    /// `"thermal_zone"`.
    public var name: String { "thermal_zone" }

    /// How many zones the scan found.
    public var zoneCount: Int { zones.count }

    /// Reads every zone's temperature (millidegrees in the file).
    public func read() -> SensorReadings {
        var readings = SensorReadings()
        readings.temperatures = zones.map { zone in
            TemperatureReading(
                chip: zone.type, label: zone.label,
                inputC: SysfsHwmonSource.value(zone.tempPath, scale: 1000), critC: zone.critC)
        }
        return readings
    }

    /// The temperature of the zone's `critical` trip point, in °C.
    private static func criticalTrip(_ zonePath: String) -> Double? {
        for index in 0..<16 {
            let base = zonePath + "/trip_point_\(index)_"
            guard let type = TextFile.firstLine(base + "type") else { return nil }
            if type == "critical" { return SysfsHwmonSource.value(base + "temp", scale: 1000) }
        }
        return nil
    }
}
