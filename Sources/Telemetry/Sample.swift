import Reports

/// One telemetry reading of the whole board: the `sample` record.
public struct Sample: Record, Equatable {
    /// `"sample"`.
    public static let recordType = "sample"

    /// How long the `Sampler.read()` that produced this sample took, in microseconds.
    public var collectUs: Double
    /// CPU utilization, load and online cores.
    public var cpu: CPUReading
    /// System memory.
    public var memory: MemoryReading
    /// Temperatures (hwmon chips, or thermal zones as a fallback).
    public var temperatures: [TemperatureReading]
    /// Fan speeds.
    public var fans: [FanReading]
    /// Voltages.
    public var voltages: [VoltageReading]
    /// Where the sensor figures come from: `libsensors`, `sysfs`, `+thermal_zone` when zones help.
    public var sensorsSource: String
    /// Per-core frequency and governor.
    public var cpufreq: [CoreFrequency]
    /// Throttle indicators.
    public var throttle: ThrottleReading
    /// edgeprobe's own RSS and CPU time.
    public var process: ProcessReading
    /// Why each `null` figure is null, keyed by the figure's path (`"temperatures"`, `"cpu.utilization"`).
    public var unavailable: [String: String]

    /// A sample with the given parts.
    public init(
        collectUs: Double, cpu: CPUReading, memory: MemoryReading, sensors: SensorReadings, sensorsSource: String,
        cpufreq: [CoreFrequency], throttle: ThrottleReading, process: ProcessReading, unavailable: [String: String]
    ) {
        self.collectUs = collectUs
        self.cpu = cpu
        self.memory = memory
        temperatures = sensors.temperatures
        fans = sensors.fans
        voltages = sensors.voltages
        self.sensorsSource = sensorsSource
        self.cpufreq = cpufreq
        self.throttle = throttle
        self.process = process
        self.unavailable = unavailable
    }

    // MARK: - Summaries for the benchmark harness (not encoded)

    /// The hottest temperature reading, in °C, or `nil` without any.
    public var hottestC: Double? { temperatures.compactMap(\.inputC).max() }
    /// The lowest current core frequency, in Hz, or `nil` without cpufreq.
    public var lowestCurHz: UInt64? { cpufreq.compactMap(\.curHz).min() }
    /// The highest current core frequency, in Hz, or `nil` without cpufreq.
    public var highestCurHz: UInt64? { cpufreq.compactMap(\.curHz).max() }
}
