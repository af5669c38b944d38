import Foundation
import TestSupport
import Testing

@Suite(.timeLimit(.minutes(2))) struct SampleCommandTests {
    /// The executable a running `edgeprobe sample` process is, once it wrote its first line.
    private func executableWhileSampling(environment: [String: String]) async throws -> String {
        let running = try EdgeprobeBinary.start(["sample", "--interval", "100ms"], environment: environment)
        #expect(await running.waitFor { running.stdout.contains("\n") })
        let executable = try #require(running.runningExecutable)
        running.send(SIGTERM)
        #expect(await running.waitForExit() == 0)
        return executable
    }

    @Test func samplingHandsOverToTheLeanExecutable() async throws {
        #expect(try await executableWhileSampling(environment: [:]).hasSuffix("/edgeprobe-sample"))
    }

    @Test func inProcessSamplingStaysInEdgeprobe() async throws {
        #expect(try await executableWhileSampling(environment: ["EDGEPROBE_IN_PROCESS": "1"]).hasSuffix("/edgeprobe"))
    }

    @Test func realOutputValidatesAgainstTheSchema() async throws {
        let result = try await EdgeprobeBinary.run(["sample", "--count", "2", "--interval", "100ms"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdoutLines.count == 2)
        let outcome = try await SchemaValidator.validate(result.stdout, schema: "sample.schema.json")
        #expect(outcome.valid, "\(outcome.problems)")
    }

    @Test func firstLineHasNoUtilizationSecondHasIt() async throws {
        let result = try await EdgeprobeBinary.run(["sample", "--count", "2", "--interval", "100ms"])
        let records = try result.stdoutLines.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        try #require(records.count == 2)
        let first = records[0]["cpu"] as! [String: Any], second = records[1]["cpu"] as! [String: Any]
        #expect(first["busy_pct"] is NSNull)
        #expect((records[0]["unavailable"] as! [String: String])["cpu.utilization"] != nil)
        #expect(second["busy_pct"] is NSNumber)
        #expect(records.map { $0["seq"] as! Int } == [0, 1])
    }

    @Test func fixtureRootsValidateToo() async throws {
        for fixture in ["raspberry-pi", "x86", "empty"] {
            let root = Repository.path("Tests/TelemetryTests/Fixtures/\(fixture)")
            let result = try await EdgeprobeBinary.run(["sample", "--count", "1", "--root", root])
            #expect(result.status == 0, "\(fixture): \(result.stderr)")
            let outcome = try await SchemaValidator.validate(result.stdout, schema: "sample.schema.json")
            #expect(outcome.valid, "\(fixture): \(outcome.problems)")
        }
    }

    @Test(arguments: [
        (["--interval", "0"], "--interval"),
        (["--interval", "abc"], "--interval"),
        (["--interval", "-1s"], "--interval"),
        (["--count", "-1"], "--count"),
        (["--count", "many"], "--count"),
    ])
    func badInputIsOneLineNamingTheOptionAndExitTwo(arguments: [String], option: String) async throws {
        let result = try await EdgeprobeBinary.run(["sample"] + arguments)
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(result.stderr)")
        #expect(result.stderr.contains(option))
    }

    @Test func unwritableOutputIsARuntimeErrorExitOne() async throws {
        let result = try await EdgeprobeBinary.run(["sample", "--count", "1", "--output", "/nonexistent-dir/samples.jsonl"])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(result.stderr.contains("--output"))
        #expect(result.stderr.contains("/nonexistent-dir/samples.jsonl"))
    }

    @Test func outputFileGetsAppendedLines() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("edgeprobe-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: file) }
        for _ in 0..<2 {
            let result = try await EdgeprobeBinary.run(["sample", "--count", "1", "--output", file.path])
            #expect(result.status == 0 && result.stdout.isEmpty)
        }
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(text.split(separator: "\n").count == 2)
        #expect(try await SchemaValidator.validate(text, schema: "sample.schema.json").valid)
    }

    @Test(arguments: [SIGTERM, SIGINT])
    func untilStoppedEndsWithExitZeroAndWholeLines(signal: Int32) async throws {
        let running = try EdgeprobeBinary.start(["sample", "--count", "0", "--interval", "50ms"])
        let sawLines = await running.waitFor { running.stdoutLines.count >= 3 }
        running.send(signal)
        let exitedBySignal = await running.waitForExit() != nil
        let result = running.result
        #expect(sawLines)
        #expect(exitedBySignal, "still running a minute after the signal")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasSuffix("\n"))
        let outcome = try await SchemaValidator.validate(result.stdout, schema: "sample.schema.json")
        #expect(outcome.valid, "\(outcome.problems)")
    }

    @Test func helpShowsExamples() async throws {
        let result = try await EdgeprobeBinary.run(["sample", "--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("edgeprobe sample --interval 500ms --count 20"))
    }
}
