import Foundation
import TestSupport
import Testing

@Suite struct SoakCommandTests {
    private func records(_ result: ProcessResult) throws -> [[String: Any]] {
        try result.stdoutLines.map { try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
    }

    private func validate(_ result: ProcessResult, types: [String]) async throws {
        for type in types {
            let lines = result.stdoutLines.filter { $0.contains(#""type":"\#(type)""#) }
            try #require(!lines.isEmpty, "no \(type) record")
            let outcome = try await SchemaValidator.validate(lines.joined(separator: "\n") + "\n", schema: "\(type).schema.json")
            #expect(outcome.valid, "\(type): \(outcome.problems)")
        }
    }

    /// Runs `edgeprobe soak` with `arguments`, requires exit 0 and its `types` records valid, and
    /// returns every record.
    private func soak(_ arguments: [String], types: [String]) async throws -> [[String: Any]] {
        let result = try await EdgeprobeBinary.run(["soak"] + arguments)
        try #require(result.status == 0, "\(result.stderr)")
        try await validate(result, types: types)
        return try records(result)
    }

    @Test(.timeLimit(.minutes(1)))
    func networkWindowsSummaryAndRunEndValidateAgainstTheirSchemas() async throws {
        let parsed = try await soak(["--arch", "tiny", "--duration", "0.9s", "--window", "0.3s", "--warmup", "1"],
                                    types: ["window", "soak", "run_end"])
        // Three windows of 0.3 s; a window in which the process never got the CPU long enough for
        // one inference is no window (as on a starved, loaded machine), so there may be fewer.
        let windows = parsed.filter { $0["type"] as? String == "window" }
        try #require((1...3).contains(windows.count), "\(parsed.map { $0["type"] as? String })")
        #expect(parsed.map { $0["type"] as? String } == Array(repeating: "window", count: windows.count) + ["soak", "run_end"])
        let indices = windows.compactMap { $0["index"] as? Int }
        #expect(indices == indices.sorted() && Set(indices).count == indices.count && indices.allSatisfy { (0...2).contains($0) }, "\(indices)")
        // Consecutive windows follow each other without gaps.
        for (earlier, later) in zip(windows, windows.dropFirst()) where (later["index"] as? Int) == (earlier["index"] as? Int).map({ $0 + 1 }) {
            #expect(earlier["end_s"] as? Double == later["start_s"] as? Double)
        }
        let summary = try #require(parsed.first { $0["type"] as? String == "soak" })
        let first = try #require(windows[0]["latency_us"] as? [String: Any])
        #expect(summary["burst_p50_us"] as? Double == first["p50"] as? Double)
        #expect(summary["inferences"] as? Int == windows.reduce(0) { $0 + ($1["inferences"] as! Int) })
        #expect((summary["workload"] as? [String: String]) == ["kind": "arch", "name": "tiny"])
    }

    @Test(.timeLimit(.minutes(1)))
    func suiteLayerAtAFixedRate() async throws {
        let parsed = try await soak([
            "--suite", "conv-default", "--layer", "depthwise3x3-128-56", "--rate", "20/s",
            "--duration", "1s", "--window", "0.5s", "--warmup", "1",
        ], types: ["window", "soak"])
        let summary = try #require(parsed.first { $0["type"] as? String == "soak" })
        #expect(summary["rate_per_s"] as? Double == 20)
        #expect((summary["workload"] as? [String: String])?["layer"] == "depthwise3x3-128-56")
        // 20 per second for a second, started on a schedule: about 20, never a back-to-back count.
        let inferences = try #require(summary["inferences"] as? Int)
        #expect(inferences >= 2 && inferences <= 21, "\(inferences)")
    }

    @Test(.timeLimit(.minutes(1)))
    func bothEnginesTakeTurnsThroughEveryWindowWithTheirRatio() async throws {
        let parsed = try await soak([
            "--suite", "conv-default", "--layer", "course-regular", "--engine", "both",
            "--duration", "0.6s", "--window", "0.3s", "--warmup", "1",
        ], types: ["window", "soak", "run_end"])
        let windows = parsed.filter { $0["type"] as? String == "window" }
        try #require(!windows.isEmpty)
        // Each window: edgeprobe's record, then XNNPACK's, with the same ratio of their p50s.
        #expect(windows.map { $0["engine"] as? String } == Array(repeating: ["edgeprobe", "xnnpack"], count: windows.count / 2).flatMap { $0 })
        for pair in stride(from: 0, to: windows.count - 1, by: 2) {
            let (edgeprobe, xnnpack) = (windows[pair], windows[pair + 1])
            #expect(edgeprobe["index"] as? Int == xnnpack["index"] as? Int)
            let p50 = { (window: [String: Any]) in (window["latency_us"] as? [String: Any])?["p50"] as? Double }
            let ratio = try #require(edgeprobe["p50_ratio_edgeprobe_to_xnnpack"] as? Double)
            #expect(xnnpack["p50_ratio_edgeprobe_to_xnnpack"] as? Double == ratio)
            #expect(abs(ratio - (try #require(p50(edgeprobe))) / (try #require(p50(xnnpack)))) < 1e-9)
        }
        let summaries = parsed.filter { $0["type"] as? String == "soak" }
        #expect(summaries.map { $0["engine"] as? String } == ["edgeprobe", "xnnpack"])
        #expect(summaries.allSatisfy { $0["sustained_p50_ratio_edgeprobe_to_xnnpack"] is Double })
        #expect(summaries[0]["inferences"] as? Int == windows.filter { $0["engine"] as? String == "edgeprobe" }.reduce(0) { $0 + ($1["inferences"] as! Int) })
    }

    @Test(arguments: [
        (["--arch", "tiny", "--engine", "xnnpack", "--variant", "int8"], "--variant"),
        (["--engine", "tflite"], "--engine"),
        (["--duration", "0s"], "--duration"),
        (["--window", "-1s"], "--window"),
        (["--duration", "1s", "--window", "2s"], "--window"),
        (["--rate", "0/s"], "--rate"),
        (["--rate", "0.5/s", "--window", "1s", "--duration", "2s"], "--rate"),
        (["--arch", "tiny", "--rate", "100000000/s", "--duration", "1s", "--window", "1s"], "--rate"),
        (["--suite", "conv-default", "--layer", "no-such-layer"], "--layer"),
        (["--arch", "tiny", "--variant", "no-such-variant"], "--variant"),
        (["--arch", "no-such-arch"], "--arch"),
        (["--layer", "depthwise3x3-128-56"], "--suite"),
        (["--cpus", "little"], "--cpus"),
    ])
    func badInputIsOneLineExitTwoAndNothingRuns(arguments: [String], option: String) async throws {
        // This machine's cores are all alike (or it has no cpu_capacity): --cpus little names no cluster.
        let result = try await EdgeprobeBinary.run(["soak"] + arguments)
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stdout.isEmpty, "nothing may run: \(result.stdout)")
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(result.stderr.contains(option), "\(result.stderr)")
    }

    @Test(.timeLimit(.minutes(1)), arguments: [(SIGINT, Int32(130), "SIGINT"), (SIGTERM, Int32(143), "SIGTERM")])
    func signalKeepsFinishedWindowsAndSummarisesThem(signal: Int32, status: Int32, name: String) async throws {
        let running = try EdgeprobeBinary.start(["soak", "--arch", "tiny", "--duration", "10m", "--window", "0.2s", "--warmup", "1"])
        let twoWindows = await running.waitFor { running.stdoutLines.filter { $0.contains(#""type":"window""#) }.count >= 2 }
        try #require(twoWindows, "no two windows before the soak ended")
        running.send(signal)
        #expect(await running.waitForExit() != nil)
        let result = running.result
        #expect(result.status == status, "\(result.stderr)")
        let parsed = try records(result)
        #expect(parsed.suffix(2).map { $0["type"] as? String } == ["soak", "run_end"])
        let windows = parsed.filter { $0["type"] as? String == "window" }
        let summary = parsed[parsed.count - 2], end = parsed[parsed.count - 1]
        #expect(windows.count >= 2)
        #expect(summary["interrupted"] as? Bool == true)
        #expect(summary["signal"] as? String == name)
        #expect(summary["windows"] as? Int == windows.count, "the unfinished window is not counted")
        #expect(end["interrupted"] as? Bool == true)
        try await validate(result, types: ["window", "soak", "run_end"])
    }

    @Test(.timeLimit(.minutes(1)))
    func tableFormatPrintsTheWindowTableAndSummary() async throws {
        let result = try await EdgeprobeBinary.run(["soak", "--arch", "tiny", "--duration", "0.4s", "--window", "0.2s", "--warmup", "1", "--format", "table"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stdout.contains("{"))
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.first?.hasPrefix("window") == true)
        #expect(result.stdout.contains("sustained / burst"))
        #expect(result.stdout.contains("time to throttle"))
    }
}
