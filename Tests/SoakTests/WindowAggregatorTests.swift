import Measurement
import Testing
@testable import Soak
@testable import Telemetry

@Suite struct WindowAggregatorTests {
    private let aggregator = WindowAggregator(cpus: [1], maxFrequencyHz: [0: 1_500_000_000, 1: 1_500_000_000], throttleTempC: 80)

    @Test func latencyTemperatureFrequencyAndBusyOfTheWorkloadCPUs() throws {
        let samples = [
            FakeSample.make(busy: [0: 10, 1: 100], currentHz: [0: 600_000_000, 1: 1_500_000_000],
                            temperatures: [("cpu_thermal", 61), ("nvme", 40)], piBits: 0),
            FakeSample.make(busy: [0: 30, 1: 90], currentHz: [0: 1_200_000_000, 1: 1_500_000_000],
                            temperatures: [("cpu_thermal", 63.5), ("nvme", 41)], piBits: 0),
        ]
        let record = try #require(aggregator.window(
            index: 2, startS: 20, endS: 30, latenciesUs: [100, 300, 200], samples: samples,
            power: [nil, nil], powerUnavailable: "no power sensor", engine: .edgeprobe, energyShare: 1))
        #expect(record.index == 2)
        #expect(record.inferences == 3)
        #expect(record.latencyUs.p50 == 200)
        #expect(record.cpuBusyPct == 95)
        #expect(record.hottestC == 63.5)
        #expect(record.chipMaxC == ["cpu_thermal": 63.5, "nvme": 41])
        #expect(record.frequencyHz["0"] == WindowRecord.FrequencyRange(min: 600_000_000, max: 1_200_000_000))
        #expect(record.frequencyHz["1"] == WindowRecord.FrequencyRange(min: 1_500_000_000, max: 1_500_000_000))
        #expect(record.freqCapped == false)
        #expect(record.throttled == false)
        #expect(record.throttleCause.isEmpty)
        #expect(record.powerW == nil)
        #expect(record.unavailable["power_w"] == "no power sensor")
        #expect(record.energyPerInferenceJ == nil)
    }

    @Test func throttleCausesOfTheWindow() throws {
        let samples = [
            FakeSample.make(busy: [1: 100], currentHz: [1: 1_500_000_000], temperatures: [("cpu_thermal", 79)], piBits: 0),
            FakeSample.make(busy: [1: 100], currentHz: [1: 750_000_000], temperatures: [("cpu_thermal", 81)], piBits: 0x6),
            FakeSample.make(busy: [1: 100], currentHz: [1: 750_000_000], temperatures: [("cpu_thermal", 82)], piBits: 0x6),
        ]
        let record = try #require(aggregator.window(
            index: 0, startS: 0, endS: 1, latenciesUs: [10], samples: samples, power: [nil, nil, nil], powerUnavailable: nil, engine: .edgeprobe, energyShare: 1))
        #expect(record.throttled == true)
        #expect(record.throttleCause == ["pi_capped_now", "pi_throttled_now", "frequency_capped", "temp_limit"])
        #expect(record.freqCapped == true)
    }

    @Test func powerAveragedAndEnergyPerInference() throws {
        let samples = [FakeSample.make(), FakeSample.make(), FakeSample.make()]
        let record = try #require(aggregator.window(
            index: 0, startS: 10, endS: 12, latenciesUs: Array(repeating: 5000, count: 400), samples: samples,
            power: [5, nil, 7], powerUnavailable: nil, engine: .edgeprobe, energyShare: 1))
        #expect(record.powerW == 6)
        // 6 W over 2 s is 12 J, shared by 400 inferences.
        #expect(record.energyPerInferenceJ == 0.03)
    }

    @Test func withTwoEnginesEachRecordNamesItsEngineAndTakesItsShareOfTheEnergy() throws {
        let samples = [FakeSample.make(), FakeSample.make()]
        // XNNPACK's 100 inferences took a quarter of the two engines' busy time: 3 J of the 12.
        var record = try #require(aggregator.window(
            index: 0, startS: 10, endS: 12, latenciesUs: Array(repeating: 5000, count: 100), samples: samples,
            power: [6, 6], powerUnavailable: nil, engine: .xnnpack, energyShare: 0.25))
        #expect(record.engine == "xnnpack")
        #expect(record.energyPerInferenceJ == 0.03)
        #expect(record.p50RatioEdgeprobeToXnnpack == nil)
        #expect(record.unavailable["p50_ratio_edgeprobe_to_xnnpack"] == "one engine measured (--engine both gives it)")
        record.setRatio(0.8)
        #expect(record.p50RatioEdgeprobeToXnnpack == 0.8)
        #expect(record.unavailable["p50_ratio_edgeprobe_to_xnnpack"] == nil)
    }

    @Test func noSensorsAreNullWithReasonsAndNoInferenceIsNoWindow() throws {
        let record = try #require(aggregator.window(
            index: 0, startS: 0, endS: 1, latenciesUs: [1], samples: [FakeSample.make()], power: [nil], powerUnavailable: "no power sensor", engine: .edgeprobe, energyShare: 1))
        #expect(record.hottestC == nil)
        #expect(record.unavailable["hottest_c"] == "no temperature sensor")
        #expect(record.frequencyHz.isEmpty)
        #expect(record.unavailable["frequency_hz"] != nil)
        #expect(record.throttled == nil)
        #expect(record.unavailable["throttled"] != nil)
        #expect(aggregator.window(index: 1, startS: 1, endS: 2, latenciesUs: [], samples: [], power: [], powerUnavailable: nil,
                                  engine: .edgeprobe, energyShare: 1) == nil)
    }
}
