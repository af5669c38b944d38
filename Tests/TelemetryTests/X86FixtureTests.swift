import Testing
@testable import Telemetry

@Suite struct X86FixtureTests {
    private let root = Fixture.root("x86")

    @Test func hwmonChipsAreNamedAsLibsensorsNamesThem() {
        let sample = Sampler(root: root).read()
        #expect(sample.sensorsSource == "sysfs")
        #expect(sample.temperatures == [
            TemperatureReading(chip: "coretemp-isa-0000", label: "Package id 0", inputC: 52, maxC: 80, critC: 100),
            TemperatureReading(chip: "coretemp-isa-0000", label: "Core 0", inputC: 49, maxC: 80, critC: 100),
            TemperatureReading(chip: "coretemp-isa-0000", label: "Core 1", inputC: 50, maxC: 80, critC: 100),
            TemperatureReading(chip: "acpitz-acpi-0", label: "temp1", inputC: 27.8, maxC: nil, critC: 119),
        ])
        #expect(sample.fans == [FanReading(chip: "it87-isa-0290", label: "CPU_FAN", inputRpm: 1205)])
        #expect(sample.voltages == [VoltageReading(chip: "it87-isa-0290", label: "in0", inputV: 1.104)])
        #expect(sample.hottestC == 52)
    }

    @Test func throttleCountersAndTheirMovement() throws {
        let copy = try Fixture.copy("x86")
        let sampler = Sampler(root: copy)
        let first = sampler.read()
        #expect(first.throttle.coreThrottleCount == 12)
        #expect(first.throttle.packageThrottleCount == 12)
        #expect(first.throttle.throttled == false)
        #expect(first.throttle.piThrottledBits == nil)
        try Fixture.write("9\n", to: "/sys/devices/system/cpu/cpu1/thermal_throttle/core_throttle_count", under: copy)
        let second = sampler.read()
        #expect(second.throttle.coreThrottleCount == 16)
        #expect(second.throttle.throttled == true)
        let third = sampler.read()
        #expect(third.throttle.throttled == false)
    }

    @Test func cpufreqAndGovernor() {
        let sample = Sampler(root: root).read()
        #expect(sample.cpufreq == [
            CoreFrequency(cpu: 0, curHz: 3_400_000_000, minHz: 800_000_000, maxHz: 4_200_000_000, governor: "powersave"),
            CoreFrequency(cpu: 1, curHz: 2_100_000_000, minHz: 800_000_000, maxHz: 4_200_000_000, governor: "powersave"),
        ])
    }

    @Test func hwmonFeaturesHideThermalZonesWhenTheyHaveTemperatures() {
        let collector = SensorsCollector(root: root, backend: .sysfs)
        #expect(collector.sourceName == "sysfs")
    }
}

@Suite struct EmptyFixtureTests {
    private let root = Fixture.root("empty")

    @Test func everyMissingFigureIsNullWithAReason() {
        let sample = Sampler(root: root).read()
        #expect(sample.cpu.onlineCores == nil)
        #expect(sample.cpu.busyPct == nil)
        #expect(sample.cpu.load1 == nil)
        #expect(sample.cpu.cores.isEmpty)
        #expect(sample.memory == MemoryReading(nil))
        #expect(sample.temperatures.isEmpty && sample.fans.isEmpty && sample.voltages.isEmpty)
        #expect(sample.cpufreq.isEmpty)
        #expect(sample.throttle == ThrottleReading())
        #expect(sample.process.rssBytes == nil)
        #expect(Set(sample.unavailable.keys) == [
            "cpu.utilization", "cpu.load", "cpu.online_cores", "memory", "temperatures", "cpufreq", "throttle",
            "process.rss_bytes",
        ])
        #expect(sample.unavailable["memory"]?.contains("meminfo") == true)
        #expect(sample.hottestC == nil)
    }
}
