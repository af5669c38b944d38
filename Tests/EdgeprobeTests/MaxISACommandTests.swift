import Foundation
import TestSupport
import Testing

/// `EDGEPROBE_MAX_ISA` as a user sets it: the capped paths in `run_start`, and a bad value refused
/// before anything runs.
@Suite(.timeLimit(.minutes(2))) struct MaxISACommandTests {
    private func writeSuite() throws -> URL {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("edgeprobe-suite-\(UUID().uuidString).yaml")
        try BenchCommandTests.tinySuite.write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    /// The cap below the fastest on this architecture, and the paths it must choose.
    #if arch(x86_64)
    private static let lowCap = (value: "avx2", float32: "avx2+fma", int8: "avx2")
    #else
    private static let lowCap = (value: "neon", float32: "neon", int8: "neon")
    #endif

    @Test func runStartNamesTheCappedPathsAndTheCap() async throws {
        let suite = try writeSuite()
        defer { try? FileManager.default.removeItem(at: suite) }
        let result = try await EdgeprobeBinary.run(
            ["bench", "--suite", suite.path, "--min-time", "5ms", "--warmup", "1", "--engine", "both"],
            environment: ["EDGEPROBE_MAX_ISA": Self.lowCap.value])
        #expect(result.status == 0, "\(result.stderr)")
        let startLine = try #require(result.stdoutLines.first)
        let outcome = try await SchemaValidator.validate(startLine + "\n", schema: "run_start.schema.json")
        #expect(outcome.valid, "\(outcome.problems)")
        let start = try #require(JSONSerialization.jsonObject(with: Data(startLine.utf8)) as? [String: Any])
        let engines = try #require(start["engines"] as? [[String: Any]])
        let edgeprobe = try #require(engines.first { $0["engine"] as? String == "edgeprobe" })
        #expect(edgeprobe["float32_isa"] as? String == Self.lowCap.float32)
        #expect(edgeprobe["int8_isa"] as? String == Self.lowCap.int8)
        #expect(edgeprobe["max_isa"] as? String == Self.lowCap.value)
        // XNNPACK is not capped: its cap is null, with the reason.
        let xnnpack = try #require(engines.first { $0["engine"] as? String == "xnnpack" })
        #expect(xnnpack["max_isa"] is NSNull)
        #expect((start["unavailable"] as? [String: String])?["engines.xnnpack.max_isa"] != nil)
        #expect(result.stdoutLines.contains { $0.contains(#""type":"run_end""#) })
    }

    /// A `latency` record names the engine that measured it as `run_start` does: the capped path
    /// (at the top level too) and the cap, which a NAS controller comparing latencies must see.
    @Test func latencyRecordsNameTheCappedPathAndTheCap() async throws {
        let result = try await EdgeprobeBinary.run(
            ["latency", "--arch", "tiny", "--min-time", "5ms", "--warmup", "1", "--threads", "1"],
            environment: ["EDGEPROBE_MAX_ISA": Self.lowCap.value])
        #expect(result.status == 0, "\(result.stderr)")
        let line = try #require(result.stdoutLines.first { $0.contains(#""type":"latency""#) })
        let outcome = try await SchemaValidator.validateByType(line + "\n")
        #expect(outcome.valid, "\(outcome.problems)")
        let record = try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        let engine = try #require(record["engine_description"] as? [String: Any])
        #expect(engine["engine"] as? String == "edgeprobe" && !((engine["version"] as? String) ?? "").isEmpty)
        #expect(engine["float32_isa"] as? String == Self.lowCap.float32 && record["float32_isa"] as? String == Self.lowCap.float32)
        #expect(engine["int8_isa"] as? String == Self.lowCap.int8)
        #expect(engine["max_isa"] as? String == Self.lowCap.value)
        #expect((record["unavailable"] as? [String: String])?.keys.contains { $0.hasPrefix("engine_description.") } == false)
    }

    @Test(arguments: [["bench", "--suite", "conv-default"], ["latency", "--arch", "tiny"],
                      ["agent", "--config", Repository.path("Deploy/agent.example.yaml"), "--check"],
                      ["agent-latency-service", "--config", Repository.path("Deploy/agent.example.yaml"), "--board-lock", "/nonexistent"]])
    func aBadValueIsAUsageErrorNamingTheVariableTheValueAndTheAcceptedValues(command: [String]) async throws {
        let result = try await EdgeprobeBinary.run(command, environment: ["EDGEPROBE_MAX_ISA": "sse4"])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderrLines.count == 1, "\(result.stderr)")
        let message = result.stderr
        #expect(message.contains("EDGEPROBE_MAX_ISA: 'sse4'"), "\(message)")
        #expect(message.contains(Self.lowCap.value), "\(message)")
    }
}
