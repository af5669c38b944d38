import Foundation
import TestSupport
import Testing

/// Nothing silently different from what was asked, and one error style (issue 11): a request
/// the machine cannot honour is an error, or runs with a warning and a record field saying
/// what really ran; every error is one `edgeprobe: ` line naming the file, line and field or
/// the option.
@Suite(.timeLimit(.minutes(1))) struct AsAskedCommandTests {
    private static func run(_ arguments: [String]) async throws -> ProcessResult {
        try await TestProcess.run(EdgeprobeBinary.path, arguments)
    }

    private func records(_ result: ProcessResult) throws -> [[String: Any]] {
        try result.stdoutLines.map { try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
    }

    private func expectOneLineError(_ result: ProcessResult, status: Int32, containing needle: String) {
        #expect(result.status == status, "\(result.stderr)")
        #expect(result.stdout.isEmpty, "\(result.stdout.prefix(300))")
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr.prefix(600))")
        #expect(result.stderr.hasPrefix("edgeprobe: "), "\(result.stderr.prefix(300))")
        #expect(result.stderr.contains(needle), "\(result.stderr.prefix(600))")
    }

    /// A CPU number no machine here has online (`--cpus 5,7` on the 2-CPU machine of the report).
    private static let absentCPU = "4095"

    @Test func cpusThatAreNotOnlineAreAUsageError() async throws {
        let result = try await Self.run(["bench", "--cpus", "0,\(Self.absentCPU)", "--min-time", "10ms"])
        expectOneLineError(result, status: 2, containing: "--cpus: CPU \(Self.absentCPU) is not online")
    }

    @Test func aBoardProfileAskingForMissingCPUsWarnsAndSaysWhatRan() async throws {
        let board = TemporaryFile("name: elsewhere\nthreads: 1\ncpus: [0, \(Self.absentCPU)]\n")
        let suite = TemporaryFile("name: one\nlayers:\n  - {name: a, op: pointwise, cin: 2, h: 2, w: 2, cout: 2}\n")
        let result = try await Self.run(["bench", "--board", board.path, "--suite", suite.path, "--min-time", "10ms"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("warning: board profile elsewhere asks for CPUs \(Self.absentCPU), which are not online"),
                "\(result.stderr)")
        let start = try #require(try records(result).first)
        let warnings = try #require(start["warnings"] as? [String])
        #expect(warnings.count == 1 && warnings[0].contains("pinned to 0"), "\(warnings)")
        #expect((start["options"] as? [String: Any])?["cpus"] as? [Int] == [0], "options hold what really ran")
        let line = result.stdoutLines[0] + "\n"
        let outcome = try await SchemaValidator.validate(line, schema: "run_start.schema.json")
        #expect(outcome.valid, "\(outcome.problems)")
    }

    @Test func aMinimumTimeBeyondTheIterationCapIsFlagged() async throws {
        let suite = TemporaryFile("name: one\nlayers:\n  - {name: a, op: pointwise, cin: 1, h: 1, w: 1, cout: 1}\n")
        let result = try await Self.run(["bench", "--suite", suite.path, "--min-time", "1000h", "--warmup", "0"])
        #expect(result.status == 0, "\(result.stderr)")
        let parsed = try records(result)
        let bench = try #require(parsed.first { $0["type"] as? String == "bench" })
        #expect(bench["iteration_cap_reached"] as? Bool == true)
        #expect(bench["interrupted"] as? Bool == false)
        let end = try #require(parsed.last)
        let warnings = try #require(end["warnings"] as? [String])
        #expect(warnings.contains { $0.contains("a: stopped at the 100000-iteration cap") }, "\(warnings)")
        #expect(result.stderr.contains("warning: a: stopped at the 100000-iteration cap"), "\(result.stderr)")
        let lines = result.stdoutLines.filter { $0.contains(#""type":"bench""#) }.joined(separator: "\n") + "\n"
        let outcome = try await SchemaValidator.validate(lines, schema: "bench.schema.json")
        #expect(outcome.valid, "\(outcome.problems)")
    }

    @Test func aNetworkMeasurementStoppedByTheIterationCapSaysSo() async throws {
        let result = try await Self.run(["latency", "--arch", "tiny", "--min-time", "1000h", "--warmup", "0"])
        #expect(result.status == 0, "\(result.stderr)")
        let record = try #require(try records(result).first)
        let warnings = try #require(record["warnings"] as? [String])
        #expect(warnings.contains { $0.hasPrefix("stopped at the 100000-iteration cap after") }, "\(warnings)")
    }

    @Test(arguments: [["sample", "--count", "1"], ["sensors"]])
    func aMissingRootIsAnError(command: [String]) async throws {
        let result = try await Self.run(command + ["--root", "/nonexistent"])
        expectOneLineError(result, status: 2, containing: "--root /nonexistent: No such file or directory")
    }

    @Test(arguments: [
        ("name: x\nlayers: [\n  {name: a\n", ":4: not valid YAML: did not find expected ',' or '}' at line 4 column 1 (while parsing a flow mapping started at line 3"),
        ("name: x\n\u{1}\u{2}weird: 1\n", ":2: not valid YAML: control characters are not allowed"),
        ("name: x\n" + String(repeating: "b", count: 200_000) + ": 1\n", ":2: not valid YAML: could not find expected ':' at line 2 column 200001 (while scanning a simple key"),
        ("name: x\nlayers:\n  - {name: a, op: conv, cin: 6, h: 8, w: 8, cout: 4, groups: 4}\n",
         ":3: layers[0] 'a'.groups: 4 does not divide the 6 input channels"),
        ("name: x\n" + String(repeating: "q", count: 1000) + ": 1\nlayers:\n  - {name: a, op: pointwise, cin: 1, h: 1, w: 1, cout: 1}\n",
         ":2: " + String(repeating: "q", count: 80) + "...: unknown key"),
    ])
    func suiteErrorsAreOneShortLine(text: String, message: String) async throws {
        let suite = TemporaryFile(text)
        let result = try await Self.run(["bench", "--suite", suite.path])
        expectOneLineError(result, status: 1, containing: "edgeprobe: \(suite.path)\(message)")
        #expect(result.stderr.utf8.count < 400, "no dumps: \(result.stderr.utf8.count) bytes")
        #expect(!result.stderr.unicodeScalars.contains { $0.properties.generalCategory == .control && $0 != "\n" })
    }

    @Test(arguments: [
        (["bench", "--min-time", "-1s"], "--min-time must not be negative, got -1s"),
        (["bench", "--threads", "-1"], "--threads: must be at least 1, got -1"),
        (["lut", "--space", "tiny", "--min-time", "-1s"], "--min-time must not be negative, got -1s"),
        (["bench", "--warmup", "-3"], "--warmup must not be negative, got -3"),
    ])
    func negativeValuesSayWhatIsWrong(arguments: [String], message: String) async throws {
        let result = try await Self.run(arguments)
        expectOneLineError(result, status: 2, containing: message)
    }

    @Test(arguments: [("/tmp", "is a directory"), ("/nonexistent/dir/agent.jsonl", "the directory /nonexistent/dir does not exist")])
    func agentCheckRejectsAnOutputFileThatCannotBeWritten(path: String, problem: String) async throws {
        let config = TemporaryFile("outputs:\n  file:\n    path: \(path)\n")
        let result = try await Self.run(["agent", "--config", config.path, "--check"])
        expectOneLineError(result, status: 1, containing: "\(config.path): outputs.file.path: \(problem)")
    }
}
