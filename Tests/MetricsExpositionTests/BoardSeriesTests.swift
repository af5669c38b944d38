import Foundation
import MetricsExposition
import Telemetry
import TestSupport
import Testing

/// A sample, suite results and agent figures as series: names, base units, labels, and an
/// exposition `promtool check metrics` (Debian's prometheus package) accepts.
@Suite struct BoardSeriesTests {
    static func sample() -> Sample {
        var cpu = CPUReading()
        cpu.busyPct = 37.5
        cpu.onlineCores = 2
        cpu.load1 = 0.5
        cpu.cores = [CoreUtilization(cpu: 0, utilization: nil), CoreUtilization(cpu: 1, utilization: nil)]
        cpu.cores[0].busyPct = 50
        cpu.cores[1].busyPct = 25
        var memory = MemoryReading(nil)
        memory.totalBytes = 4 << 30
        memory.availableBytes = 3 << 30
        var sensors = SensorReadings()
        sensors.temperatures = [
            TemperatureReading(chip: "cpu_thermal-virtual-0", label: "CPU", inputC: 45.678, critC: 95),
            TemperatureReading(chip: "weird\"chip", label: "a\\b", inputC: 30),
        ]
        sensors.fans = [FanReading(chip: "cpu_thermal-virtual-0", label: "fan1", inputRpm: 1234)]
        sensors.voltages = [VoltageReading(chip: "in-chip", label: "in0", inputV: 0.85)]
        var throttle = ThrottleReading()
        throttle.throttled = true
        throttle.piThrottledBits = 0x50005  // under-voltage now, throttled now; both since boot
        return Sample(
            collectUs: 250, cpu: cpu, memory: memory, sensors: sensors, sensorsSource: "libsensors",
            cpufreq: [CoreFrequency(cpu: 0, curHz: 1_500_000_000, minHz: 600_000_000, maxHz: 1_800_000_000, governor: "ondemand")],
            throttle: throttle, process: ProcessReading(rssBytes: 6_500_000, userCpuS: 1.25, systemCpuS: 0.5), unavailable: [:])
    }

    static func snapshot() -> MetricsSnapshot {
        var suites = SuiteResults()
        for line in [
            #"{"type":"bench","ts":"2026-12-05T10:00:01.250Z","name":"conv","gflops":3.5,"latency_us":{"p50":120.5,"p90":150}}"#,
            #"{"type":"comparison","ts":"2026-12-05T10:00:02.500Z","name":"pair","speedup_rate":3,"theoretical_ratio":8}"#,
            #"{"type":"run_end","ts":"2026-12-05T10:00:03.000Z","interrupted":false}"#,
        ] { suites.observe(line: Array(line.utf8), suite: "tiny") }
        for line in SuiteResultsTests.soakLines { suites.observe(line: Array(line.utf8), suite: "mobilenet-v2") }
        var agent = AgentFigures(version: "1.2.3", board: "raspberry-pi-4", throttleLimitC: 80, samplingIntervalS: 1, startTimeS: 1000)
        agent.samples = 42
        agent.lastSampleS = 1041.5
        agent.recordsWritten = ["stdout": 50]
        agent.recordsDropped = ["stdout": 0]
        agent.suiteRuns = ["tiny": ["completed": 2]]
        agent.suitePostponements = ["tiny": ["cpu_busy": 3, "too_hot": 1]]
        agent.reloads = 1
        return MetricsSnapshot(sample: sample(), suites: suites, agent: agent)
    }

    @Test func sampleFiguresAreInBaseUnitsWithChipSensorAndCPULabels() {
        let registry = Self.snapshot().registry()
        #expect(registry.value("edgeprobe_cpu_busy_ratio") == 0.375)
        #expect(registry.value("edgeprobe_cpu_core_busy_ratio", labels: [MetricLabel("cpu", "1")]) == 0.25)
        #expect(registry.value("edgeprobe_memory_total_bytes") == Double(4 << 30))
        #expect(registry.value("edgeprobe_memory_used_bytes") == nil, "a null figure has no series")
        let cpuSensor = [MetricLabel("chip", "cpu_thermal-virtual-0"), MetricLabel("sensor", "CPU")]
        #expect(registry.value("edgeprobe_temperature_celsius", labels: cpuSensor) == 45.678)
        #expect(registry.value("edgeprobe_temperature_crit_celsius", labels: cpuSensor) == 95)
        #expect(registry.value("edgeprobe_fan_speed_rpm", labels: [MetricLabel("chip", "cpu_thermal-virtual-0"), MetricLabel("sensor", "fan1")]) == 1234)
        #expect(registry.value("edgeprobe_cpu_frequency_hertz", labels: [MetricLabel("cpu", "0")]) == 1.5e9)
        #expect(registry.value("edgeprobe_throttled") == 1)
        #expect(registry.value("edgeprobe_pi_throttle_flag", labels: [MetricLabel("flag", "under_voltage"), MetricLabel("period", "now")]) == 1)
        #expect(registry.value("edgeprobe_pi_throttle_flag", labels: [MetricLabel("flag", "frequency_capped"), MetricLabel("period", "now")]) == 0)
        #expect(registry.value("edgeprobe_pi_throttle_flag", labels: [MetricLabel("flag", "throttled"), MetricLabel("period", "since_boot")]) == 1)
        #expect(registry.value("edgeprobe_sample_collect_seconds") == 0.00025)
    }

    @Test func suiteResultsAndAgentFiguresAreSeries() {
        let registry = Self.snapshot().registry()
        let layer = [MetricLabel("suite", "tiny"), MetricLabel("layer", "conv")]
        #expect(registry.value("edgeprobe_suite_layer_latency_p50_seconds", labels: layer) == 120.5e-6)
        #expect(registry.value("edgeprobe_suite_layer_latency_p90_seconds", labels: layer) == 150e-6)
        #expect(registry.value("edgeprobe_suite_layer_gflops", labels: layer) == 3.5)
        #expect(registry.value("edgeprobe_suite_pair_speedup_ratio", labels: [MetricLabel("suite", "tiny"), MetricLabel("pair", "pair")]) == 3)
        #expect(registry.value("edgeprobe_suite_last_success_timestamp_seconds", labels: [MetricLabel("suite", "tiny")]) == 1_796_464_803)
        #expect(registry.value("edgeprobe_build_info", labels: [MetricLabel("version", "1.2.3"), MetricLabel("board", "raspberry-pi-4")]) == 1)
        #expect(registry.value("edgeprobe_board_throttle_temperature_celsius") == 80)
        #expect(registry.value("edgeprobe_samples_total") == 42)
        #expect(registry.value("edgeprobe_agent_resident_memory_bytes") == 6_500_000)
        #expect(registry.value("edgeprobe_agent_cpu_seconds_total", labels: [MetricLabel("mode", "user")]) == 1.25)
        #expect(registry.value("edgeprobe_suite_postponements_total", labels: [MetricLabel("suite", "tiny"), MetricLabel("reason", "too_hot")]) == 1)
        #expect(registry.value("edgeprobe_config_reloads_total") == 1)
        let soak = [MetricLabel("suite", "mobilenet-v2")]
        #expect(registry.value("edgeprobe_soak_sustained_over_burst_ratio", labels: soak) == 1.25)
        #expect(registry.value("edgeprobe_soak_sustained_latency_p50_seconds", labels: soak) == 0.015)
        #expect(registry.value("edgeprobe_soak_throttled", labels: soak) == 1)
        #expect(registry.value("edgeprobe_soak_energy_per_inference_joules", labels: soak) == nil, "a null figure has no series")
        for family in registry.families {
            #expect(family.name.hasPrefix("edgeprobe_"))
            #expect((family.kind == .counter) == family.name.hasSuffix("_total"), "\(family.name)")
        }
    }

    /// `promtool check metrics` reads the exposition as Prometheus would and lints its names
    /// (units, `_total`, HELP). `make test` installs promtool (Debian's prometheus).
    @Test(.timeLimit(.minutes(1))) func promtoolAcceptsTheExposition() async throws {
        let promtool = "/usr/bin/promtool"
        try #require(FileManager.default.isExecutableFile(atPath: promtool), "promtool is missing: run `make metrics-deps`")
        let exposition = TemporaryFile(String(decoding: Self.snapshot().registry().render(), as: UTF8.self), suffix: ".prom")
        let result = try await TestProcess.run("/bin/sh", ["-c", "exec \"$0\" check metrics < \"$1\"", promtool, exposition.path])
        let said = result.stdout + result.stderr
        #expect(result.status == 0, "promtool check metrics: \(said)")
        #expect(said.isEmpty, "promtool check metrics: \(said)")
    }
}
