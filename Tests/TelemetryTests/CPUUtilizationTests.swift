import ProcStats
import Testing
@testable import Telemetry

@Suite struct CPUUtilizationTests {
    @Test func sharesOfElapsedTicks() throws {
        let earlier = ticks(user: 100, nice: 10, system: 50, idle: 800, iowait: 20, irq: 5, softirq: 5, steal: 10)
        let later = ticks(user: 130, nice: 20, system: 60, idle: 840, iowait: 30, irq: 5, softirq: 5, steal: 10)
        // Deltas: user+nice 40, system 10, idle 40, iowait 10, steal 0 → 100 ticks.
        let utilization = try #require(CPUUtilization(from: earlier, to: later))
        #expect(utilization.userPct == 40)
        #expect(utilization.systemPct == 10)
        #expect(utilization.iowaitPct == 10)
        #expect(utilization.stealPct == 0)
        #expect(utilization.busyPct == 50)
    }

    @Test func stealCountsAsBusy() throws {
        let utilization = try #require(CPUUtilization(from: ticks(), to: ticks(user: 1, idle: 2, steal: 1)))
        #expect(utilization.stealPct == 25)
        #expect(utilization.busyPct == 50)
    }

    @Test func roundsToHundredths() throws {
        let utilization = try #require(CPUUtilization(from: ticks(), to: ticks(user: 1, idle: 2)))
        #expect(utilization.busyPct == 33.33)
    }

    @Test func noElapsedTicksGivesNoFigure() {
        let same = ticks(user: 5, idle: 5)
        #expect(CPUUtilization(from: same, to: same) == nil)
    }

    @Test func countersGoingBackwardsGiveNoFigure() {
        // After a CPU is unplugged and plugged back in, some kernels restart its counters.
        let beforeHotplug = ticks(user: 5000, system: 2000, idle: 90000)
        let afterHotplug = ticks(user: 10, system: 5, idle: 300)
        #expect(CPUUtilization(from: beforeHotplug, to: afterHotplug) == nil)
    }

    @Test func oneCounterGoingBackwardsIsClampedNotNegative() throws {
        // Per-CPU iowait may decrease while the total advances; that counter contributes nothing.
        let earlier = ticks(user: 100, idle: 1000, iowait: 50)
        let later = ticks(user: 150, idle: 1150, iowait: 40)
        let utilization = try #require(CPUUtilization(from: earlier, to: later))
        #expect(utilization.iowaitPct == 0)
        #expect(utilization.userPct == 25)
        #expect(utilization.busyPct == 25)
        for share in [utilization.busyPct, utilization.userPct, utilization.systemPct, utilization.stealPct] {
            #expect(share >= 0 && share <= 100)
        }
    }
}

@Suite struct CPUCollectorTests {
    private func snapshot(total: CPUTicks, cores: [Int: CPUTicks]) -> CPUTickSnapshot {
        CPUTickSnapshot(total: total, cores: cores.sorted { $0.key < $1.key }.map { CoreTicks(id: $0.key, ticks: $0.value) })
    }

    @Test func firstReadingHasNoUtilizationAndSaysWhy() {
        let backend = ScriptedStatsBackend([snapshot(total: ticks(user: 10, idle: 10), cores: [0: ticks(user: 10, idle: 10)])])
        let collector = CPUCollector(root: Fixture.root("empty"), backend: backend)
        var unavailable: [String: String] = [:]
        let reading = collector.read(unavailable: &unavailable)
        #expect(reading.busyPct == nil)
        #expect(reading.cores.map(\.cpu) == [0])
        #expect(reading.cores[0].busyPct == nil)
        #expect(unavailable["cpu.utilization"]?.contains("first reading") == true)
    }

    @Test func secondReadingHasTotalAndPerCoreUtilization() {
        let backend = ScriptedStatsBackend([
            snapshot(total: ticks(user: 0, idle: 0), cores: [0: ticks(), 1: ticks()]),
            snapshot(total: ticks(user: 75, idle: 125), cores: [0: ticks(user: 75, idle: 25), 1: ticks(idle: 100)]),
        ])
        let collector = CPUCollector(root: Fixture.root("empty"), backend: backend)
        var unavailable: [String: String] = [:]
        _ = collector.read(unavailable: &unavailable)
        unavailable = [:]
        let reading = collector.read(unavailable: &unavailable)
        #expect(reading.busyPct == 37.5)
        #expect(reading.cores.map(\.busyPct) == [75, 0])
        #expect(unavailable["cpu.utilization"] == nil)
    }

    @Test func hotplugGivesNullForTheAffectedCoresOnly() {
        let backend = ScriptedStatsBackend([
            snapshot(total: ticks(user: 100, idle: 100), cores: [0: ticks(user: 50, idle: 50), 1: ticks(user: 5000, idle: 9000)]),
            // CPU 1 went offline and came back with restarted counters; CPU 2 came online.
            snapshot(total: ticks(user: 200, idle: 300), cores: [
                0: ticks(user: 100, idle: 100), 1: ticks(user: 1, idle: 1), 2: ticks(user: 3, idle: 3),
            ]),
        ])
        let collector = CPUCollector(root: Fixture.root("empty"), backend: backend)
        var unavailable: [String: String] = [:]
        _ = collector.read(unavailable: &unavailable)
        unavailable = [:]
        let reading = collector.read(unavailable: &unavailable)
        #expect(reading.busyPct == 33.33)
        #expect(reading.cores.map(\.cpu) == [0, 1, 2])
        #expect(reading.cores[0].busyPct == 50)
        #expect(reading.cores[1].busyPct == nil)
        #expect(reading.cores[2].busyPct == nil)
        #expect(unavailable["cpu.cores"]?.contains("cpu 1,2") == true)
    }

    @Test func totalGoingBackwardsGivesNullTotal() {
        let backend = ScriptedStatsBackend([
            snapshot(total: ticks(user: 900, idle: 900), cores: [0: ticks(user: 900, idle: 900)]),
            snapshot(total: ticks(user: 10, idle: 10), cores: [0: ticks(user: 10, idle: 10)]),
        ])
        let collector = CPUCollector(root: Fixture.root("empty"), backend: backend)
        var unavailable: [String: String] = [:]
        _ = collector.read(unavailable: &unavailable)
        unavailable = [:]
        let reading = collector.read(unavailable: &unavailable)
        #expect(reading.busyPct == nil)
        #expect(reading.userPct == nil)
        #expect(reading.cores[0].busyPct == nil)
        #expect(unavailable["cpu.utilization"]?.contains("backwards") == true)
    }

    @Test func cpuListCounts() {
        #expect(CPUList.count("0-3") == 4)
        #expect(CPUList.count("0-3,6,8-9\n") == 7)
        #expect(CPUList.count("0") == 1)
        #expect(CPUList.count("3-1") == nil)
        #expect(CPUList.count("abc") == nil)
    }
}
