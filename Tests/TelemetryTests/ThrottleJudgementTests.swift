import Testing
@testable import Telemetry

@Suite struct ThrottleJudgementTests {
    /// A sample with the given per-CPU busy shares and current frequencies (Hz).
    private func sample(
        busy: [Int: Double], currentHz: [Int: UInt64], maxHz: UInt64 = 1_500_000_000,
        hottestC: Double? = nil, piBits: UInt32? = nil, coreCount: UInt64? = nil, counterMoved: Bool = false
    ) -> Sample {
        var cpu = CPUReading()
        cpu.cores = busy.keys.sorted().map { id in
            var core = CoreUtilization(cpu: id, utilization: nil)
            core.busyPct = busy[id]
            return core
        }
        var sensors = SensorReadings()
        if let hottestC { sensors.temperatures = [TemperatureReading(chip: "cpu_thermal", label: "temp1", inputC: hottestC)] }
        var throttle = ThrottleReading()
        throttle.piThrottledBits = piBits
        throttle.coreThrottleCount = coreCount
        if coreCount != nil { throttle.throttled = counterMoved }
        if let piBits { throttle.throttled = (throttle.throttled ?? false) || piBits & 0xF != 0 }
        return Sample(
            collectUs: 1, cpu: cpu, memory: MemoryReading(nil), sensors: sensors, sensorsSource: "sysfs",
            cpufreq: currentHz.keys.sorted().map {
                CoreFrequency(cpu: $0, curHz: currentHz[$0], minHz: 600_000_000, maxHz: maxHz, governor: "ondemand")
            },
            throttle: throttle, process: ProcessReading(rssBytes: nil, userCpuS: 0, systemCpuS: 0), unavailable: [:])
    }

    @Test func piFirmwareBitsNameEachCause() {
        let samples = [sample(busy: [:], currentHz: [:], piBits: 0), sample(busy: [:], currentHz: [:], piBits: 0x6)]
        let judgement = ThrottleJudgement(samples: samples, cpus: nil, maxFrequencyHz: [:], throttleTempC: nil)
        #expect(judgement.throttled == true)
        #expect(judgement.causes == ["pi_capped_now", "pi_throttled_now"])
    }

    @Test func bitsSinceBootAloneAreNotThrottlingNow() {
        let judgement = ThrottleJudgement(
            samples: [sample(busy: [:], currentHz: [:], piBits: 0x50000)], cpus: nil, maxFrequencyHz: [:], throttleTempC: nil)
        #expect(judgement.throttled == false)
        #expect(judgement.causes.isEmpty)
    }

    @Test func x86CounterThatMoved() {
        let still = ThrottleJudgement(
            samples: [sample(busy: [:], currentHz: [:], coreCount: 7)], cpus: nil, maxFrequencyHz: [:], throttleTempC: nil)
        #expect(still.throttled == false)
        let moved = ThrottleJudgement(
            samples: [sample(busy: [:], currentHz: [:], coreCount: 7), sample(busy: [:], currentHz: [:], coreCount: 9, counterMoved: true)],
            cpus: nil, maxFrequencyHz: [:], throttleTempC: nil)
        #expect(moved.causes == ["x86_throttle_count"])
    }

    @Test func busyCPUBelowItsHardwareMaximumIsCapped() {
        let full = sample(busy: [0: 100, 1: 3], currentHz: [0: 1_500_000_000, 1: 600_000_000])
        let capped = sample(busy: [0: 100, 1: 3], currentHz: [0: 1_000_000_000, 1: 600_000_000])
        let maxima: [Int: UInt64] = [0: 1_500_000_000, 1: 1_500_000_000]
        // An idle CPU at its minimum is not capped; the busy one at full speed is not either.
        #expect(ThrottleJudgement(samples: [full, full], cpus: nil, maxFrequencyHz: maxima, throttleTempC: nil).frequencyCapped == false)
        let judgement = ThrottleJudgement(samples: [full, capped, capped], cpus: [0], maxFrequencyHz: maxima, throttleTempC: nil)
        #expect(judgement.frequencyCapped == true)
        #expect(judgement.causes == ["frequency_capped"])
        // The policy maximum lowered to the current frequency still counts against the hardware maximum.
        let lowered = sample(busy: [0: 100], currentHz: [0: 1_000_000_000], maxHz: 1_000_000_000)
        #expect(ThrottleJudgement(samples: [lowered], cpus: [0], maxFrequencyHz: maxima, throttleTempC: nil).frequencyCapped == true)
    }

    @Test func capsOnCPUsNotWatchedAreIgnoredAndIdleBoardsAreNotJudged() {
        let otherCapped = sample(busy: [0: 100, 1: 100], currentHz: [0: 1_500_000_000, 1: 700_000_000])
        #expect(ThrottleJudgement(samples: [otherCapped], cpus: [0], maxFrequencyHz: [:], throttleTempC: nil).frequencyCapped == false)
        let idle = ThrottleJudgement(samples: [sample(busy: [0: 5], currentHz: [0: 600_000_000])], cpus: nil, maxFrequencyHz: [:], throttleTempC: nil)
        #expect(idle.frequencyCapped == nil)
        #expect(idle.unavailable["freq_capped"] != nil)
    }

    @Test func hottestAtTheProfileLimit() {
        let warm = [sample(busy: [:], currentHz: [:], hottestC: 79.9)]
        let hot = [sample(busy: [:], currentHz: [:], hottestC: 80)]
        #expect(ThrottleJudgement(samples: warm, cpus: nil, maxFrequencyHz: [:], throttleTempC: 80).throttled == false)
        #expect(ThrottleJudgement(samples: hot, cpus: nil, maxFrequencyHz: [:], throttleTempC: 80).causes == ["temp_limit"])
    }

    @Test func nothingToJudgeIsNullWithAReason() {
        let judgement = ThrottleJudgement(samples: [sample(busy: [:], currentHz: [:])], cpus: nil, maxFrequencyHz: [:], throttleTempC: 80)
        #expect(judgement.throttled == nil)
        #expect(judgement.unavailable["throttled"] != nil)
        #expect(judgement.unavailable["temp_limit"] == "no temperature sensor")
    }
}
