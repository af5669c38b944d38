import Foundation
import TestSupport
import Testing

@Suite(.timeLimit(.minutes(3))) struct BenchCommandTests {
    /// A suite small enough for a debug build: every op, one pair.
    static let tinySuite = """
        name: tiny
        layers:
          - {name: regular, op: conv, cin: 3, h: 12, w: 12, cout: 8, k: 3}
          - {name: separable, op: separable, cin: 3, h: 12, w: 12, cout: 8, k: 3}
          - {name: dw, op: depthwise, cin: 8, h: 9, w: 9, k: 3, stride: 2}
          - {name: pw, op: pointwise, cin: 8, h: 5, w: 5, cout: 4, activation: none}
        pairs:
          - {name: regular-vs-separable, baseline: regular, candidate: separable}
        """

    private func writeSuite(_ text: String) throws -> URL {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("edgeprobe-suite-\(UUID().uuidString).yaml")
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    private func records(_ result: ProcessResult) throws -> [[String: Any]] {
        try result.stdoutLines.map { try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
    }

    @Test func everyRecordTypeValidatesAgainstItsSchema() async throws {
        let suite = try writeSuite(Self.tinySuite)
        defer { try? FileManager.default.removeItem(at: suite) }
        let result = try await EdgeprobeBinary.run(["bench", "--suite", suite.path, "--min-time", "20ms", "--warmup", "1"])
        #expect(result.status == 0, "\(result.stderr)")
        let parsed = try records(result)
        #expect(parsed.map { $0["type"] as? String } == ["run_start", "bench", "bench", "bench", "bench", "comparison", "run_end"])
        #expect(parsed.map { $0["seq"] as? Int } == Array(0..<7))
        for type in ["run_start", "bench", "comparison", "run_end"] {
            let lines = result.stdoutLines.filter { $0.contains(#""type":"\#(type)""#) }.joined(separator: "\n") + "\n"
            let outcome = try await SchemaValidator.validate(lines, schema: "\(type).schema.json")
            #expect(outcome.valid, "\(type): \(outcome.problems)")
        }
        let comparison = try #require(parsed.first { $0["type"] as? String == "comparison" })
        // 3x3 conv 3->8 on 12x12 (same padding) vs depthwise 3x3 + pointwise 3->8.
        #expect(comparison["baseline_macs"] as? Int == 144 * 8 * 27)
        #expect(comparison["candidate_macs"] as? Int == 144 * 3 * 9 + 144 * 3 * 8)
    }

    /// (Two XNNPACK threads spin while they wait: slow on a loaded machine; the limit catches a hang.)
    @Test(.timeLimit(.minutes(3)))
    func bothEnginesMeasureEachLayerAndGiveTheRatio() async throws {
        let suite = try writeSuite(Self.tinySuite)
        defer { try? FileManager.default.removeItem(at: suite) }
        let result = try await EdgeprobeBinary.run(["bench", "--suite", suite.path, "--min-time", "10ms", "--warmup", "1",
                                              "--engine", "both", "--threads", "2"], deadline: .seconds(150))
        #expect(result.status == 0, "\(result.stderr)")
        let parsed = try records(result)
        #expect(parsed.map { $0["type"] as? String }
            == ["run_start"] + Array(repeating: "bench", count: 8) + ["comparison", "comparison", "run_end"])
        for type in ["run_start", "bench", "comparison", "run_end"] {
            let lines = result.stdoutLines.filter { $0.contains(#""type":"\#(type)""#) }.joined(separator: "\n") + "\n"
            let outcome = try await SchemaValidator.validate(lines, schema: "\(type).schema.json")
            #expect(outcome.valid, "\(type): \(outcome.problems)")
        }
        let start = try #require(parsed.first)
        let engines = try #require(start["engines"] as? [[String: Any]])
        #expect(engines.map { $0["engine"] as? String } == ["edgeprobe", "xnnpack"])
        #expect(engines.allSatisfy { !(($0["float32_isa"] as? String) ?? "").isEmpty })
        let benches = parsed.filter { $0["type"] as? String == "bench" }
        // Each layer on edgeprobe then XNNPACK, both records giving the same ratio of their medians.
        for index in stride(from: 0, to: benches.count, by: 2) {
            let (edgeprobe, xnnpack) = (benches[index], benches[index + 1])
            #expect(edgeprobe["engine"] as? String == "edgeprobe")
            #expect(xnnpack["engine"] as? String == "xnnpack")
            #expect([edgeprobe, xnnpack].allSatisfy { $0["precision"] as? String == "float32" })
            #expect(edgeprobe["name"] as? String == xnnpack["name"] as? String)
            let p50 = { (record: [String: Any]) in (record["latency_us"] as? [String: Any])?["p50"] as? Double }
            let ratio = try #require(edgeprobe["p50_ratio_edgeprobe_to_xnnpack"] as? Double)
            #expect(xnnpack["p50_ratio_edgeprobe_to_xnnpack"] as? Double == ratio)
            #expect(abs(ratio - (try #require(p50(edgeprobe)) / (try #require(p50(xnnpack))))) < 1e-9)
        }
        #expect(parsed.last?["layers_completed"] as? Int == 4)
    }

    @Test(.timeLimit(.minutes(1)))
    func int8RunsEachLayerOnBothEnginesInterleaved() async throws {
        let suite = try writeSuite("""
            name: tiny-int8
            layers:
              - {name: regular, op: conv, cin: 3, h: 12, w: 12, cout: 8, k: 3, stride: 2}
              - {name: pw, op: pointwise, cin: 8, h: 5, w: 5, cout: 4, activation: none}
            """)
        defer { try? FileManager.default.removeItem(at: suite) }
        let result = try await EdgeprobeBinary.run(["bench", "--suite", suite.path, "--min-time", "1ms", "--warmup", "1",
                                              "--engine", "both", "--precision", "int8"])
        #expect(result.status == 0, "\(result.stderr)")
        let parsed = try records(result)
        #expect(parsed.map { $0["type"] as? String } == ["run_start", "bench", "bench", "bench", "bench", "run_end"])
        for type in ["run_start", "bench", "run_end"] {
            let lines = result.stdoutLines.filter { $0.contains(#""type":"\#(type)""#) }.joined(separator: "\n") + "\n"
            let outcome = try await SchemaValidator.validate(lines, schema: "\(type).schema.json")
            #expect(outcome.valid, "\(type): \(outcome.problems)")
        }
        #expect((parsed[0]["options"] as? [String: Any])?["precision"] as? String == "int8")
        let benches = parsed.filter { $0["type"] as? String == "bench" }
        #expect(benches.map { $0["name"] as? String } == ["regular", "regular", "pw", "pw"])
        #expect(benches.map { $0["engine"] as? String } == ["edgeprobe", "xnnpack", "edgeprobe", "xnnpack"])
        #expect(benches.allSatisfy { $0["precision"] as? String == "int8" })
        #expect(benches.allSatisfy { ($0["p50_ratio_edgeprobe_to_xnnpack"] as? Double ?? 0) > 0 })
        #expect(parsed.last?["layers_completed"] as? Int == 2)
    }

    @Test(.timeLimit(.minutes(1)))
    func int8DepthwiseRunsOnXNNPACK() async throws {
        let suite = try writeSuite("""
            name: tiny-int8-depthwise
            layers:
              - {name: dw, op: depthwise, cin: 8, h: 9, w: 9, k: 3, stride: 2}
            """)
        defer { try? FileManager.default.removeItem(at: suite) }
        let result = try await EdgeprobeBinary.run(["bench", "--suite", suite.path, "--min-time", "1ms", "--warmup", "1",
                                              "--engine", "xnnpack", "--precision", "int8"])
        #expect(result.status == 0, "\(result.stderr)")
        let benches = try records(result).filter { $0["type"] as? String == "bench" }
        #expect(benches.map { $0["engine"] as? String } == ["xnnpack"])
        #expect(benches.first?["precision"] as? String == "int8")
        #expect(benches.first?["p50_ratio_edgeprobe_to_xnnpack"] is NSNull)
    }

    @Test func int8LayersAnEngineCannotRunAreAUsageErrorNamingThem() async throws {
        let suite = try writeSuite(Self.tinySuite)
        defer { try? FileManager.default.removeItem(at: suite) }
        let result = try await EdgeprobeBinary.run(["bench", "--suite", suite.path, "--precision", "int8", "--engine", "both"])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty, "nothing may run: \(result.stdout)")
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        for named in ["'separable' on edgeprobe", "'separable' on xnnpack", "'dw' on edgeprobe: edgeprobe's int8 kernels run groups-1"] {
            #expect(result.stderr.contains(named), "\(result.stderr)")
        }
        // XNNPACK's qc8 operator runs the depthwise layer: not named.
        #expect(!result.stderr.contains("'dw' on xnnpack"), "\(result.stderr)")
    }

    @Test func badSuiteNamesFileEntryAndFieldAndRunsNothing() async throws {
        let suite = try writeSuite("""
            name: bad
            layers:
              - {name: ok, op: pointwise, cin: 4, h: 4, w: 4, cout: 4}
              - {name: broken, op: conv, cin: 6, h: 8, w: 8, cout: 4, groups: 4}
            """)
        defer { try? FileManager.default.removeItem(at: suite) }
        let result = try await EdgeprobeBinary.run(["bench", "--suite", suite.path])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty, "nothing may run: \(result.stdout)")
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(result.stderr)")
        #expect(result.stderr.contains("\(suite.path):4: layers[1] 'broken'.groups"), "\(result.stderr)")
    }

    @Test(arguments: [
        (["--threads", "0"], "--threads"),
        (["--min-iterations", "0"], "--min-iterations"),
        (["--min-time", "soon"], "--min-time"),
        (["--cpus", "0,x"], "--cpus"),
        (["--format", "xml"], "--format"),
        (["--sweep-clusters", "--threads", "2"], "--sweep-clusters"),
        (["--engine", "tflite"], "--engine"),
        (["--precision", "int4"], "--precision"),
    ])
    func badOptionsAreOneLineAndExitTwo(arguments: [String], option: String) async throws {
        let result = try await EdgeprobeBinary.run(["bench"] + arguments)
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(result.stderr.contains(option), "\(result.stderr)")
    }

    /// The signal is sent once `run_start` is out, inside a suite that runs until it is stopped
    /// (a `--min-time` of 10 minutes on layers large enough that the cap of 100,000 iterations
    /// takes minutes too). How fast `bench` stops is measured by Benchmarks/stop-latency.sh; here only that it
    /// stops, with the right status and whole records.
    @Test(arguments: [(SIGINT, Int32(130), "SIGINT"), (SIGTERM, Int32(143), "SIGTERM")])
    func signalStopsTheRunKeepingWholeRecords(signal: Int32, status: Int32, name: String) async throws {
        let suite = try writeSuite("""
            name: long
            layers:
              - {name: long-conv, op: conv, cin: 64, h: 56, w: 56, cout: 64, k: 3}
              - {name: long-depthwise, op: depthwise, cin: 64, h: 56, w: 56, k: 3}
            """)
        defer { try? FileManager.default.removeItem(at: suite) }
        let running = try EdgeprobeBinary.start(["bench", "--suite", suite.path, "--min-time", "10m"])
        let started = await running.waitFor { running.stdout.contains(#""type":"run_start""#) }
        try #require(started, "no run_start: \(running.stderr)")
        running.send(signal)
        let exited = await running.waitForExit() != nil
        let result = running.result
        #expect(exited, "still running a minute after the signal")
        #expect(result.status == status, "\(result.stderr)")
        let parsed = try records(result)
        let end = try #require(parsed.last)
        #expect(end["type"] as? String == "run_end")
        #expect(end["interrupted"] as? Bool == true)
        #expect(end["signal"] as? String == name)
        let benches = parsed.filter { $0["type"] as? String == "bench" }
        let cutShort = benches.filter { $0["interrupted"] as? Bool == true }
        // The layer running when the signal came (30 s asked) is written marked, once it has a
        // timed iteration (a machine slow enough to be still warming up writes none), and not counted.
        #expect(cutShort.count <= 1, "\(benches)")
        if !cutShort.isEmpty { #expect(benches.last?["interrupted"] as? Bool == true, "\(benches)") }
        #expect(end["layers_completed"] as? Int == benches.count - cutShort.count, "a partly measured layer is not a result")
        #expect(benches.count < 4)
    }

    @Test func sweepMeasuresEachLayerOnEveryClusterAndThreadCount() async throws {
        let suite = try writeSuite(Self.tinySuite)
        defer { try? FileManager.default.removeItem(at: suite) }
        let result = try await EdgeprobeBinary.run(["bench", "--suite", suite.path, "--sweep-clusters", "--min-time", "5ms", "--warmup", "1"])
        #expect(result.status == 0, "\(result.stderr)")
        let benches = try records(result).filter { $0["type"] as? String == "bench" }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        // This machine's cores are alike: one cluster, `all`, at 1...cores threads, 4 layers each.
        #expect(benches.count == 4 * cores)
        #expect(Set(benches.map { $0["cluster"] as? String }) == ["all"])
        #expect(Set(benches.compactMap { $0["threads"] as? Int }) == Set(1...cores))
        #expect(!result.stdout.contains(#""type":"comparison""#), "a sweep writes no comparisons")
        let lines = result.stdoutLines.filter { $0.contains(#""type":"bench""#) }.joined(separator: "\n") + "\n"
        let outcome = try await SchemaValidator.validate(lines, schema: "bench.schema.json")
        #expect(outcome.valid, "\(outcome.problems)")
    }

    @Test func aClusterTheBoardLacksIsABadOption() async throws {
        // Every core here is alike (or the kernel gives no cpu_capacity): there is no big cluster.
        let result = try await EdgeprobeBinary.run(["bench", "--cpus", "big"])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("--cpus big"), "\(result.stderr)")
    }

    @Test func tableFormatPrintsASummaryInsteadOfRecords() async throws {
        let suite = try writeSuite(Self.tinySuite)
        defer { try? FileManager.default.removeItem(at: suite) }
        let result = try await EdgeprobeBinary.run(["bench", "--suite", suite.path, "--min-time", "10ms", "--format", "table"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stdout.contains("{"))
        #expect(result.stdout.contains("regular-vs-separable"))
        #expect(result.stdout.split(separator: "\n").first?.hasPrefix("layer") == true)
    }
}
