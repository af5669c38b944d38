/// Which hwmon reader a `SensorsCollector` uses.
public enum SensorBackend: String, Sendable, CaseIterable {
    /// libsensors on the live system, the sysfs reader on any other root.
    case automatic
    /// libsensors (live system only); falls back to sysfs when it cannot start.
    case libsensors
    /// The pure sysfs hwmon reader.
    case sysfs
}

/// Temperatures, fans and voltages: libsensors or the sysfs hwmon reader, plus the kernel's
/// thermal zones when no hwmon chip reports a temperature.
public final class SensorsCollector: Collector {
    private let hwmon: any SensorSource
    private let thermalZones: ThermalZoneSource?

    /// The hwmon source in use (`libsensors` or `sysfs`), followed by `+thermal_zone` when the
    /// thermal zones supply the temperatures.
    public let sourceName: String

    /// Finds the sensors under `root` once.
    public init(root: String, backend: SensorBackend = .automatic) {
        let live = root == "/" || root.isEmpty
        let wantsLibsensors = backend == .libsensors || (backend == .automatic && live)
        let hwmon: any SensorSource = (wantsLibsensors && live ? LibsensorsSource() : nil) ?? SysfsHwmonSource(root: root)
        self.hwmon = hwmon
        let hasTemperature = !hwmon.read().temperatures.isEmpty
        let zones = hasTemperature ? nil : ThermalZoneSource(root: root)
        thermalZones = zones.flatMap { $0.zoneCount > 0 ? $0 : nil }
        sourceName = hwmon.name + (thermalZones == nil ? "" : "+thermal_zone")
    }

    /// Reads every sensor; says why when there is no temperature, fan or voltage at all.
    public func read(unavailable: inout [String: String]) -> SensorReadings {
        var readings = hwmon.read()
        if let thermalZones { readings.temperatures += thermalZones.read().temperatures }
        if readings.temperatures.isEmpty {
            unavailable["temperatures"] = "no hwmon temperature (\(hwmon.name)) and no thermal zone"
        }
        return readings
    }
}
