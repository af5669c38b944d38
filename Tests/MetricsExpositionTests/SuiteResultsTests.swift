import MetricsExposition
import Testing

/// Suite results as the agent learns them from `edgeprobe bench` lines.
@Suite struct SuiteResultsTests {
    private static let lines = [
        #"{"schema":"edgeprobe/1","type":"run_start","ts":"2026-12-05T10:00:00.000Z","suite":"tiny","seq":0}"#,
        #"{"schema":"edgeprobe/1","type":"bench","ts":"2026-12-05T10:00:01.250Z","name":"tiny-conv","gflops":3.5,"latency_us":{"n":20,"p50":120.5,"p90":150,"p99":170,"min":100,"max":180,"mean":125,"std":5,"cv":0.04}}"#,
        #"{"schema":"edgeprobe/1","type":"bench","ts":"2026-12-05T10:00:02.000Z","name":"tiny-depthwise","gflops":1.25,"latency_us":{"n":20,"p50":40,"p90":44,"p99":50,"min":39,"max":51,"mean":41,"std":1,"cv":0.02}}"#,
        #"{"schema":"edgeprobe/1","type":"comparison","ts":"2026-12-05T10:00:02.500Z","name":"tiny-pair","speedup_rate":3.0125,"theoretical_ratio":8}"#,
        "not json at all",
        #"{"schema":"edgeprobe/1","type":"run_end","ts":"2026-12-05T10:00:03.000Z","interrupted":false}"#,
    ]

    @Test func benchComparisonAndRunEndGiveTheLastResults() throws {
        var results = SuiteResults()
        for line in Self.lines { results.observe(line: Array(line.utf8), suite: "tiny") }
        let conv = try #require(results.layers[SuiteResults.Key(suite: "tiny", name: "tiny-conv")])
        #expect(conv.p50S == 120.5e-6)
        #expect(conv.p90S == 150e-6)
        #expect(conv.gflops == 3.5)
        #expect(conv.timestampS == 1_796_464_801.25)
        let pair = try #require(results.pairs[SuiteResults.Key(suite: "tiny", name: "tiny-pair")])
        #expect(pair.speedupRate == 3.0125)
        #expect(pair.theoreticalRatio == 8)
        #expect(results.lastSuccessS["tiny"] == 1_796_464_803)
    }

    @Test func anInterruptedRunIsNotASuccess() {
        var results = SuiteResults()
        results.observe(line: Array(Self.lines[1].utf8), suite: "tiny")
        results.observe(line: Array(#"{"type":"run_end","ts":"2026-12-05T10:00:03.000Z","interrupted":true}"#.utf8), suite: "tiny")
        #expect(results.lastSuccessS.isEmpty)
        #expect(results.layers.count == 1)
    }

    /// A scheduled soak's lines, as `edgeprobe soak --format json` writes them (abridged): the
    /// second window was throttled.
    static let soakLines = [
        #"{"schema":"edgeprobe/1","type":"run_start","ts":"2026-12-05T11:00:00.000Z","seq":0}"#,
        #"{"schema":"edgeprobe/1","type":"window","ts":"2026-12-05T11:01:00.000Z","index":0,"throttled":false,"hottest_c":61}"#,
        #"{"schema":"edgeprobe/1","type":"window","ts":"2026-12-05T11:02:00.000Z","index":1,"throttled":true,"hottest_c":80.5}"#,
        #"{"schema":"edgeprobe/1","type":"soak","ts":"2026-12-05T11:02:00.250Z","interrupted":false,"windows":2,"inferences":9000,"#
            + #""burst_p50_us":12000,"sustained_p50_us":15000,"sustained_over_burst":1.25,"p90_us":16500,"time_to_throttle_s":60,"#
            + #""start_temp_c":45.5,"max_temp_c":80.5,"heating_rate_c_per_min":12,"energy_per_inference_j":null,"#
            + #""unavailable":{"energy_per_inference_j":"no power sensor"}}"#,
        #"{"schema":"edgeprobe/1","type":"run_end","ts":"2026-12-05T11:02:00.500Z","interrupted":false}"#,
    ]

    @Test func aSoakRecordGivesTheSoaksFiguresInBaseUnits() throws {
        var results = SuiteResults()
        for line in Self.soakLines { results.observe(line: Array(line.utf8), suite: "mobilenet-v2") }
        let soak = try #require(results.soaks["mobilenet-v2"])
        #expect(soak.burstP50S == 0.012)
        #expect(soak.sustainedP50S == 0.015)
        #expect(soak.sustainedOverBurst == 1.25)
        #expect(soak.p90S == 0.0165)
        #expect(soak.timeToThrottleS == 60)
        #expect(soak.throttled == 1)
        #expect(soak.startTempC == 45.5 && soak.maxTempC == 80.5)
        #expect(soak.heatingRateCPerS == 0.2)
        #expect(soak.energyPerInferenceJ == nil)
        #expect(soak.inferences == 9000)
        #expect(soak.timestampS == 1_796_468_520.25)
        #expect(results.lastSuccessS["mobilenet-v2"] == 1_796_468_520.5)
        #expect(results.layers.isEmpty && results.pairs.isEmpty)
    }

    @Test func aSoakWithoutThrottlingIsZeroOnlyWhereTheBoardCanTell() throws {
        let end = #"{"type":"soak","ts":"2026-12-05T11:02:00.100Z","interrupted":false,"inferences":10,"time_to_throttle_s":null}"#
        var results = SuiteResults()
        results.observe(line: Array(#"{"type":"window","throttled":false}"#.utf8), suite: "indicator")
        results.observe(line: Array(end.utf8), suite: "indicator")
        results.observe(line: Array(#"{"type":"window","throttled":null}"#.utf8), suite: "none")
        results.observe(line: Array(end.utf8), suite: "none")
        #expect(try #require(results.soaks["indicator"]).throttled == 0)
        #expect(try #require(results.soaks["none"]).throttled == nil)
        // The next soak of the entry starts without the last one's indicator.
        results.observe(line: Array(end.utf8), suite: "indicator")
        #expect(try #require(results.soaks["indicator"]).throttled == nil)
    }

    @Test func anInterruptedSoakKeepsThePreviousResult() throws {
        var results = SuiteResults()
        for line in Self.soakLines { results.observe(line: Array(line.utf8), suite: "mobilenet-v2") }
        let interrupted = #"{"type":"soak","ts":"2026-12-05T12:00:00.000Z","interrupted":true,"inferences":10,"sustained_over_burst":3}"#
        results.observe(line: Array(interrupted.utf8), suite: "mobilenet-v2")
        #expect(try #require(results.soaks["mobilenet-v2"]).sustainedOverBurst == 1.25)
    }

    @Test func timestampsOutsideTheRecordFormatAreRefused() {
        #expect(RecordTimestamp.epochSeconds("1970-01-01T00:00:00.000Z") == 0)
        #expect(RecordTimestamp.epochSeconds("2026-12-05T10:00:00Z") == nil)
        #expect(RecordTimestamp.epochSeconds("2026-13-05T10:00:00.000Z") == nil)
        #expect(RecordTimestamp.epochSeconds("2026-12-05 10:00:00.000Z") == nil)
    }
}
