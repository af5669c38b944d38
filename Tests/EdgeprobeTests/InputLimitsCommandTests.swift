import Foundation
import TestSupport
import Testing

/// Inputs that once crashed, hung or lost data (issue 11): each now stops with one clear line
/// before anything runs, or keeps what was measured.
@Suite(.timeLimit(.minutes(1))) struct InputLimitsCommandTests {
    private static func run(_ arguments: [String]) async throws -> ProcessResult {
        try await TestProcess.run(EdgeprobeBinary.path, arguments)
    }

    /// Expects exit `status`, no records, and one line on standard error containing `needle`.
    private func expectOneLineError(_ result: ProcessResult, status: Int32, containing needle: String) {
        #expect(result.status == status, "\(result.stderr)")
        #expect(result.stdout.isEmpty, "nothing may run: \(result.stdout.prefix(300))")
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("edgeprobe: "), "\(result.stderr)")
        #expect(result.stderr.contains(needle), "\(result.stderr)")
    }

    @Test(arguments: [
        ("cin: 100000, h: 100000, w: 8, cout: 8", "cin: 100000 is beyond the largest supported size"),
        ("cin: 9223372036854775807, h: 8, w: 8, cout: 8", "cin: 9223372036854775807 is beyond"),
        ("cin: 4294967296, h: 4294967296, w: 4294967296, cout: 4294967296", "cin: 4294967296 is beyond"),
        ("cin: 8, h: 8, w: 8, cout: 8, k: 100000", "k: 100000 is beyond"),
        ("cin: 8, h: 8, w: 8, cout: 8, padding: 100000", "padding: 100000 is beyond"),
        ("cin: 60000, h: 600, w: 600, cout: 64", "macs: exceeds the limit of 2000000000 multiply-accumulates"),
        ("cin: 100, h: 1000, w: 1000, cout: 100, k: 1, groups: 100", "memory: needs about"),
    ])
    func suiteShapesBeyondTheLimitsStopBeforeAnythingRuns(fields: String, message: String) async throws {
        let suite = TemporaryFile("name: big\nlayers:\n  - {name: a, op: conv, \(fields)}\n")
        let result = try await Self.run(["bench", "--suite", suite.path, "--min-time", "10ms"])
        expectOneLineError(result, status: 1, containing: "\(suite.path):3: layers[0] 'a'.\(message)")
    }

    @Test func aSearchSpaceWithoutStagesIsRefused() async throws {
        let space = TemporaryFile("name: empty\nresolutions: [16]\nstem: {cout: 8}\nstages: []\nhead: {classes: 10}\n")
        let table = FileManager.default.temporaryDirectory.appendingPathComponent("edgeprobe-\(UUID().uuidString).lut.yaml")
        let result = try await Self.run(["lut", "--space", space.path, "--table", table.path, "--min-time", "10ms"])
        expectOneLineError(result, status: 1, containing: "stages: must list at least one stage")
        #expect(!FileManager.default.fileExists(atPath: table.path))
    }

    @Test(arguments: ["100000", "1000", "-1"])
    func threadCountsBeyondTheMachineAreUsageErrors(threads: String) async throws {
        let result = try await Self.run(["bench", "--threads", threads])
        expectOneLineError(result, status: 2, containing: "--threads")
        #expect(!result.stderr.contains("Missing value"), "\(result.stderr)")
    }

    @Test func aBoardProfileAskingForThousandsOfThreadsIsRefused() async throws {
        let board = TemporaryFile("name: many\nthreads: 100000\n")
        let result = try await Self.run(["bench", "--board", board.path, "--min-time", "10ms"])
        expectOneLineError(result, status: 1, containing: "threads: 100000 is more than 4 per online CPU")
    }

    @Test func aSuiteFileLargerThanTheLimitIsRefusedUnread() async throws {
        let suite = TemporaryFile("name: huge\n# " + String(repeating: "x", count: 5 << 20) + "\n")
        let result = try await Self.run(["bench", "--suite", suite.path])
        expectOneLineError(result, status: 1, containing: "more than the limit of 4194304")
    }

    @Test func aSuiteWithTooManyLayersIsRefused() async throws {
        let layers = Array(repeating: "{}", count: 10_001).joined(separator: ", ")
        let suite = TemporaryFile("name: many\nlayers: [\(layers)]\n")
        let result = try await Self.run(["bench", "--suite", suite.path])
        expectOneLineError(result, status: 1, containing: "layers: lists 10001 entries, more than the limit of 10000")
    }

    /// A file size limit (RLIMIT_FSIZE, set by the shell in the child) fills the output file
    /// part way through a record: the part is cut off again and the error names the file.
    @Test func aFullOutputFileKeepsWholeRecordsAndIsNamed() async throws {
        let suite = TemporaryFile(BenchCommandTests.tinySuite)
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("edgeprobe-full-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: output) }
        let command = "trap '' XFSZ; ulimit -f 4; exec \"$0\" bench --suite \"$1\" --min-time 10ms --warmup 0 --output \"$2\""
        let result = try await TestProcess.run("/bin/bash", ["-c", command, EdgeprobeBinary.path, suite.path, output.path])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("edgeprobe: \(output.path): cannot write a record: File too large"), "\(result.stderr)")
        let data = try Data(contentsOf: output)
        #expect(data.count > 0 && data.count < 4096)
        #expect(data.last == UInt8(ascii: "\n"), "the file must end on a whole record")
        for line in data.split(separator: UInt8(ascii: "\n")) {
            #expect((try? JSONSerialization.jsonObject(with: Data(line))) != nil, "a partial record was left behind")
        }
    }

    @Test(arguments: [".nan", ".inf", "1e308", "-5"])
    func lookupTableFiguresAreCheckedOnLoad(mean: String) async throws {
        let table = TemporaryFile("conditions: {space_file: tiny}\nblock-a: {mean: \(mean), std: 0.1, n: 5}\n")
        let result = try await Self.run(["lut", "--check", table.path, "--archs", "1"])
        expectOneLineError(result, status: 1, containing: "\(table.path):2: block-a.mean:")
    }

    /// A table predicts its own engine at its own thread count: checking it at another is a usage
    /// error, refused before anything is measured (a 1-thread table would otherwise be judged
    /// against 2-thread runs).
    @Test(arguments: [(["--threads", "2"], "the table was measured at 1 thread(s), not 2; check it with --threads 1"),
                      (["--threads", "1", "--engine", "xnnpack"], "the table holds edgeprobe latencies; check it with --engine edgeprobe")])
    func lutCheckRefusesATableOfAnotherThreadCountOrEngine(options: [String], message: String) async throws {
        let table = TemporaryFile("conditions: {space_file: tiny, engine: edgeprobe, threads: '1'}\nblock-a: {mean: 1, std: 0.1, n: 5}\n")
        let result = try await Self.run(["lut", "--check", table.path, "--archs", "1"] + options)
        expectOneLineError(result, status: 2, containing: "\(table.path): \(message)")
    }

    /// A table measured on other kernels (another CPU's, or under another `EDGEPROBE_MAX_ISA`)
    /// does not predict this run's: refused the same way.
    @Test func lutCheckRefusesATableOfAnotherKernelPath() async throws {
        #if arch(x86_64)
        let otherPath = "neon"
        #else
        let otherPath = "avx512f"
        #endif
        let table = TemporaryFile(
            "conditions: {space_file: tiny, engine: edgeprobe, threads: '1', float32_isa: \(otherPath)}\nblock-a: {mean: 1, std: 0.1, n: 5}\n")
        let result = try await Self.run(["lut", "--check", table.path, "--archs", "1", "--threads", "1"])
        expectOneLineError(result, status: 2,
                           containing: "\(table.path): the table was measured on edgeprobe's \(otherPath) kernels, and this run takes ")
    }

    @Test(arguments: ["/nonexistent/dir/t.yaml", "/tmp"])
    func lutTablePathIsCheckedBeforeMeasuring(path: String) async throws {
        let result = try await Self.run(["lut", "--space", "tiny", "--table", path, "--min-time", "10ms"])
        expectOneLineError(result, status: 1, containing: "--table \(path): ")
    }
}
