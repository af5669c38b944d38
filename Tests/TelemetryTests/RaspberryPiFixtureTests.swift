import Testing
@testable import Telemetry

@Suite struct RaspberryPiFixtureTests {
    private let root = Fixture.root("raspberry-pi")

    @Test func thermalZoneIsTheTemperatureFallback() {
        let sample = Sampler(root: root).read()
        #expect(sample.temperatures == [
            TemperatureReading(chip: "cpu-thermal", label: "thermal_zone0", inputC: 48.686, critC: 110),
        ])
        #expect(sample.sensorsSource == "sysfs+thermal_zone")
        #expect(sample.unavailable["temperatures"] == nil)
        #expect(sample.hottestC == 48.686)
    }

    @Test func cpufreqPerCore() {
        let sample = Sampler(root: root).read()
        #expect(sample.cpufreq.map(\.cpu) == [0, 1, 2, 3])
        #expect(sample.cpufreq[0] == CoreFrequency(
            cpu: 0, curHz: 1_500_000_000, minHz: 600_000_000, maxHz: 1_500_000_000, governor: "ondemand"))
        #expect(sample.lowestCurHz == 1_000_000_000)
        #expect(sample.highestCurHz == 1_500_000_000)
    }

    @Test func getThrottledBits() {
        let sample = Sampler(root: root).read()
        // 0x50005: under-voltage now (bit 0) and throttled now (bit 2); both also since boot.
        #expect(sample.throttle.piThrottledBits == 0x50005)
        #expect(sample.throttle.throttled == true)
        #expect(sample.throttle.coreThrottleCount == nil)
        #expect(sample.unavailable["throttle"] == nil)
    }

    @Test func clearedThrottleBitsMeanNotThrottled() throws {
        let copy = try Fixture.copy("raspberry-pi")
        try Fixture.write("50000\n", to: "/sys/devices/platform/soc/soc:firmware/get_throttled", under: copy)
        let sample = Sampler(root: copy).read()
        #expect(sample.throttle.piThrottledBits == 0x50000)
        #expect(sample.throttle.throttled == false)
    }

    @Test func cpuMemoryLoadAndProcessFromProcfsText() {
        let sample = Sampler(root: root).read()
        #expect(sample.cpu.onlineCores == 4)
        #expect(sample.cpu.load1 == 0.52)
        #expect(sample.cpu.load15 == 0.12)
        #expect(sample.cpu.cores.map(\.cpu) == [0, 1, 2, 3])
        #expect(sample.memory.totalBytes == 3_884_360 * 1024)
        #expect(sample.memory.availableBytes == 3_345_608 * 1024)
        #expect(sample.memory.usedBytes == (3_884_360 - 3_345_608) * 1024)
        #expect(sample.memory.swapUsedBytes == (102_396 - 98_300) * 1024)
        #expect(sample.process.rssBytes == 1024 * 4096)
    }

    @Test func utilizationFromTwoProcStatReadings() throws {
        let copy = try Fixture.copy("raspberry-pi")
        let sampler = Sampler(root: copy)
        #expect(sampler.read().cpu.busyPct == nil)
        // +300 user, +100 system, +600 idle on the summary line; cpu0 alone did all the work.
        try Fixture.write("""
            cpu  41300 1200 15400 880600 2100 0 900 0 0 0
            cpu0 10550 300 3925 220000 525 0 225 0 0 0
            cpu1 10250 300 3825 220200 525 0 225 0 0 0
            cpu2 10250 300 3825 220200 525 0 225 0 0 0
            cpu3 10250 300 3825 220200 525 0 225 0 0 0

            """, to: "/proc/stat", under: copy)
        let sample = sampler.read()
        #expect(sample.cpu.busyPct == 40)
        #expect(sample.cpu.userPct == 30)
        #expect(sample.cpu.systemPct == 10)
        #expect(sample.cpu.cores.map(\.busyPct) == [100, 0, 0, 0])
        #expect(sample.unavailable["cpu.utilization"] == nil)
    }
}
