import Telemetry

extension MetricsRegistry {
    /// The figures of one `sample` record, in base units: ratios instead of percentages, hertz,
    /// bytes, degrees Celsius, volts. A `null` figure has no series.
    mutating func addBoardSeries(_ sample: Sample) {
        let cpu = sample.cpu
        gauge("edgeprobe_cpu_busy_ratio", "Share of all CPUs' time spent busy since the previous sample (0-1).", cpu.busyPct.map { $0 / 100 })
        for core in cpu.cores {
            gauge("edgeprobe_cpu_core_busy_ratio", "Share of one CPU's time spent busy since the previous sample (0-1).",
                  core.busyPct.map { $0 / 100 }, labels: [MetricLabel("cpu", String(core.cpu))])
        }
        gauge("edgeprobe_cpu_online", "CPUs online.", cpu.onlineCores.map { Double($0) })
        gauge("edgeprobe_load1", "1-minute load average.", cpu.load1)
        gauge("edgeprobe_load5", "5-minute load average.", cpu.load5)
        gauge("edgeprobe_load15", "15-minute load average.", cpu.load15)

        let memory = sample.memory
        gauge("edgeprobe_memory_total_bytes", "Physical memory the kernel manages.", memory.totalBytes.map { Double($0) })
        gauge("edgeprobe_memory_available_bytes", "Memory available for new work without swapping.", memory.availableBytes.map { Double($0) })
        gauge("edgeprobe_memory_used_bytes", "Total minus available memory.", memory.usedBytes.map { Double($0) })
        gauge("edgeprobe_swap_total_bytes", "Swap space.", memory.swapTotalBytes.map { Double($0) })
        gauge("edgeprobe_swap_used_bytes", "Swap space in use.", memory.swapUsedBytes.map { Double($0) })

        declare("edgeprobe_temperature_celsius", "Temperature of one sensor.", .gauge)
        for reading in sample.temperatures {
            let labels = [MetricLabel("chip", reading.chip), MetricLabel("sensor", reading.label)]
            gauge("edgeprobe_temperature_celsius", "Temperature of one sensor.", reading.inputC, labels: labels)
            gauge("edgeprobe_temperature_max_celsius", "High limit the sensor's chip reports.", reading.maxC, labels: labels)
            gauge("edgeprobe_temperature_crit_celsius", "Critical limit the sensor's chip reports.", reading.critC, labels: labels)
        }
        for fan in sample.fans {
            gauge("edgeprobe_fan_speed_rpm", "Fan speed, revolutions per minute.", fan.inputRpm,
                  labels: [MetricLabel("chip", fan.chip), MetricLabel("sensor", fan.label)])
        }
        for voltage in sample.voltages {
            gauge("edgeprobe_voltage_volts", "Voltage of one sensor.", voltage.inputV,
                  labels: [MetricLabel("chip", voltage.chip), MetricLabel("sensor", voltage.label)])
        }
        for core in sample.cpufreq {
            let labels = [MetricLabel("cpu", String(core.cpu))]
            gauge("edgeprobe_cpu_frequency_hertz", "Current frequency of one CPU.", core.curHz.map { Double($0) }, labels: labels)
            gauge("edgeprobe_cpu_frequency_min_hertz", "Lowest frequency the CPU's policy allows.", core.minHz.map { Double($0) }, labels: labels)
            gauge("edgeprobe_cpu_frequency_max_hertz", "Highest frequency the CPU's policy allows.", core.maxHz.map { Double($0) }, labels: labels)
        }

        let throttle = sample.throttle
        gauge("edgeprobe_throttled", "1 while the CPU is being held back (x86 throttle counters moved, or a Raspberry Pi 'now' bit is set), else 0.",
              throttle.throttled.map { $0 ? 1 : 0 })
        counter("edgeprobe_cpu_core_throttles_total", "x86 core thermal throttle events since boot, summed over CPUs.",
                throttle.coreThrottleCount.map { Double($0) })
        counter("edgeprobe_cpu_package_throttles_total", "x86 package thermal throttle events since boot (highest over CPUs).",
                throttle.packageThrottleCount.map { Double($0) })
        if let bits = throttle.piThrottledBits {
            gauge("edgeprobe_pi_get_throttled", "The Raspberry Pi firmware's get_throttled value (bits 0-3 now, 16-19 since boot).", Double(bits))
            for (bit, flag) in Self.piThrottleFlags.enumerated() {
                for (period, shift) in [("now", 0), ("since_boot", 16)] {
                    gauge("edgeprobe_pi_throttle_flag", "One Raspberry Pi get_throttled condition: 1 when set.",
                          Double((bits >> UInt32(bit + shift)) & 1), labels: [MetricLabel("flag", flag), MetricLabel("period", period)])
                }
            }
        }
        gauge("edgeprobe_sample_collect_seconds", "Time the latest sample took to collect.", sample.collectUs / 1e6)
    }

    /// The Raspberry Pi firmware's `get_throttled` conditions, bits 0-3 (now) and 16-19 (since boot).
    static let piThrottleFlags = ["under_voltage", "frequency_capped", "throttled", "soft_temperature_limit"]
}
