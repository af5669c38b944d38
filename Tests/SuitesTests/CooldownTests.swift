@testable import Measurement
import Profiles
import Reports
@testable import Suites
import TestSupport
import Testing

/// A probe whose hottest temperature follows a script, one reading per call.
private final class ScriptedTemperatures: TelemetryProbe {
    private var readings: [Double]
    private(set) var hottestSeen = 0.0

    init(_ readings: [Double]) {
        self.readings = readings
    }

    func begin() {}

    func end() -> TelemetrySummary {
        TelemetrySummary(
            samples: 1, cpuBusyPctMean: nil, cpuBusyPctMax: nil, tempCMin: hottestSeen, tempCMax: hottestSeen,
            freqHzMin: nil, freqHzMax: nil, throttled: nil, rssBytesMax: nil, samplerCostUs: nil, unavailable: [:])
    }

    func hottestTemperatureC() -> Double? {
        let reading = readings.count > 1 ? readings.removeFirst() : readings[0]
        hottestSeen = reading
        return reading
    }
}

@Suite(.timeLimit(.minutes(1))) struct CooldownTests {
    private func run(temperatures: [Double], timeoutS: Double) throws -> SuiteRunner.Outcome {
        let suiteFile = TemporaryFile("name: one\nlayers:\n  - {name: pw, op: pointwise, cin: 4, h: 4, w: 4, cout: 4}\n")
        let boardFile = TemporaryFile("name: hot-board\nthrottle_temp_c: 80\n")
        let options = BenchOptions(
            threads: 1, cpus: nil, measurement: MeasurementPolicy(warmupIterations: 0, minIterations: 2, minTimeS: 0),
            cooldownToC: 50, cooldownTimeoutS: timeoutS, sampleIntervalMs: 100, seed: 1)
        return try SuiteRunner(
            suite: try Suite.load(path: suiteFile.path), board: try BoardProfile.load(path: boardFile.path),
            options: options, writer: RecordWriter(sink: DiscardingSink()),
            telemetry: ScriptedTemperatures(temperatures), stopFlag: StopFlag(), progress: nil
        ).run()
    }

    @Test func waitsUntilTheHottestSensorIsBelowTheLimit() throws {
        let outcome = try run(temperatures: [70, 60, 45], timeoutS: 600)
        let waited = try #require(outcome.benches.first?.cooldownWaitS)
        // Two 250 ms waits, ended by the temperature (no "still" warning), not by the timeout.
        #expect(waited >= 0.45, "two 250 ms waits, got \(waited) s")
        let warnings = try #require(outcome.end?.warnings)
        #expect(!warnings.contains { $0.contains("still") || $0.contains("throttle limit") }, "\(warnings)")
    }

    @Test func givesUpAfterTheTimeoutWithAWarningAndFlagsTheThrottleLimit() throws {
        let outcome = try run(temperatures: [90], timeoutS: 0.3)
        let waited = try #require(outcome.benches.first?.cooldownWaitS)
        #expect(waited >= 0.3)
        let warnings = try #require(outcome.end?.warnings)
        #expect(warnings.contains { $0.hasPrefix("pw: still 90.0 C after waiting") })
        #expect(warnings.contains { $0.contains("at or above the board's throttle limit 80.0 C") })
    }
}
