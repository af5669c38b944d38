import Reports

/// What `edgeprobe sensors --json` writes: every sensor once, the `sensors` record.
public struct SensorsReport: Record, Equatable {
    /// `"sensors"`.
    public static let recordType = "sensors"

    /// Temperatures (hwmon chips, or thermal zones as a fallback).
    public var temperatures: [TemperatureReading]
    /// Fan speeds.
    public var fans: [FanReading]
    /// Voltages.
    public var voltages: [VoltageReading]
    /// `libsensors` or `sysfs`, with `+thermal_zone` when thermal zones supply the temperatures.
    public var sensorsSource: String
    /// Why a kind of sensor is missing.
    public var unavailable: [String: String]

    /// A report of one pass over the sensors.
    public init(_ readings: SensorReadings, source: String, unavailable: [String: String]) {
        temperatures = readings.temperatures
        fans = readings.fans
        voltages = readings.voltages
        sensorsSource = source
        self.unavailable = unavailable
    }
}
