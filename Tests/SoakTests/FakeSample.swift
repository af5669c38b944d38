import Telemetry

/// Hand-made telemetry samples for the pure soak arithmetic.
enum FakeSample {
    /// A sample with per-CPU busy shares, current frequencies (Hz), chip temperatures and Pi bits.
    static func make(
        busy: [Int: Double] = [:], currentHz: [Int: UInt64] = [:], maxHz: UInt64 = 1_500_000_000,
        temperatures: [(chip: String, celsius: Double)] = [], piBits: UInt32? = nil
    ) -> Sample {
        var cpu = CPUReading()
        cpu.cores = busy.keys.sorted().map { id in
            var core = CoreUtilization(cpu: id, utilization: nil)
            core.busyPct = busy[id]
            return core
        }
        if !busy.isEmpty { cpu.busyPct = busy.values.reduce(0, +) / Double(busy.count) }
        var sensors = SensorReadings()
        sensors.temperatures = temperatures.map { TemperatureReading(chip: $0.chip, label: "temp1", inputC: $0.celsius) }
        var throttle = ThrottleReading()
        throttle.piThrottledBits = piBits
        if let piBits { throttle.throttled = piBits & 0xF != 0 }
        return Sample(
            collectUs: 100, cpu: cpu, memory: MemoryReading(nil), sensors: sensors, sensorsSource: "sysfs",
            cpufreq: currentHz.keys.sorted().map {
                CoreFrequency(cpu: $0, curHz: currentHz[$0], minHz: 600_000_000, maxHz: maxHz, governor: "ondemand")
            },
            throttle: throttle, process: ProcessReading(rssBytes: nil, userCpuS: 0, systemCpuS: 0), unavailable: [:])
    }
}
