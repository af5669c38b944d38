import Foundation
import TestSupport
import Testing

@Suite(.timeLimit(.minutes(3))) struct CompressCommandTests {
    private let quick = ["--min-time", "5ms", "--warmup", "1", "--min-iterations", "3"]

    @Test func recordsValidateAndReachTheTargets() async throws {
        let result = try await EdgeprobeBinary.run(["compress"] + quick)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdoutLines.count == 5)
        let outcome = try await SchemaValidator.validate(result.stdout, schema: "compression.schema.json")
        #expect(outcome.valid, "\(outcome.problems)")
        let records = try result.stdoutLines.map {
            try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        #expect(records.map { $0["variant"] as? String }
                == ["original", "pruned", "int8", "shared-4bit", "pruned+shared+huffman"])
        let final = try #require(records.last)
        #expect((final["compression_rate"] as? Double ?? 0) >= 10)
        let loss = (records[0]["top1_accuracy"] as? Double ?? 0) - (final["top1_accuracy"] as? Double ?? 0)
        #expect(loss <= 0.01)
        #expect(final["decode_ms"] as? Double != nil)
        #expect(result.stderr.contains("pruned+shared+huffman"), "the table goes to standard error")
    }

    @Test(arguments: [("truncated", "truncated"), ("corrupt", "corrupt"), ("version", "version 2")])
    func badModelFileNamesTheProblem(_ damage: String, _ expected: String) async throws {
        let directory = FileManager.default.temporaryDirectory
        let good = directory.appendingPathComponent("edgeprobe-\(UUID().uuidString).epcm")
        defer { try? FileManager.default.removeItem(at: good) }
        let written = try await EdgeprobeBinary.run(["compress", "--write-file", good.path] + quick)
        #expect(written.status == 0, "\(written.stderr)")
        var bytes = [UInt8](try Data(contentsOf: good))
        switch damage {
        case "truncated": bytes.removeLast(bytes.count / 2)
        case "corrupt": bytes[bytes.count / 2] ^= 0x40
        default: bytes[8] = 2
        }
        let bad = directory.appendingPathComponent("edgeprobe-\(UUID().uuidString).epcm")
        defer { try? FileManager.default.removeItem(at: bad) }
        try Data(bytes).write(to: bad)
        let result = try await EdgeprobeBinary.run(["compress", "--file", bad.path] + quick)
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains(bad.path) && result.stderr.contains(expected), "\(result.stderr)")
    }
}

@Suite(.timeLimit(.minutes(3))) struct CompressedSuiteTests {
    @Test func benchRunsTheSuiteModelsAndTheRecordsValidate() async throws {
        let suite = FileManager.default.temporaryDirectory.appendingPathComponent("edgeprobe-suite-\(UUID().uuidString).yaml")
        try """
            name: tiny-compressed
            models:
              - {name: digits, model: digits, sharing_bits: 3}
            """.write(to: suite, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: suite) }
        let result = try await EdgeprobeBinary.run(["bench", "--suite", suite.path, "--min-time", "5ms", "--warmup", "1",
                                              "--min-iterations", "3"])
        #expect(result.status == 0, "\(result.stderr)")
        let types = result.stdoutLines.compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["type"] as? String
        }
        #expect(types == ["run_start"] + Array(repeating: "compression", count: 5) + ["run_end"])
        let lines = result.stdoutLines.filter { $0.contains(#""type":"compression""#) }.joined(separator: "\n") + "\n"
        let outcome = try await SchemaValidator.validate(lines, schema: "compression.schema.json")
        #expect(outcome.valid, "\(outcome.problems)")
    }

    @Test func unknownModelNamesTheField() async throws {
        let suite = FileManager.default.temporaryDirectory.appendingPathComponent("edgeprobe-suite-\(UUID().uuidString).yaml")
        try "name: bad\nmodels:\n  - {name: m, model: resnet}\n".write(to: suite, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: suite) }
        let result = try await EdgeprobeBinary.run(["bench", "--suite", suite.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains(".model: unknown model 'resnet'"), "\(result.stderr)")
    }

    @Test func theShippedCompressedSuiteLoads() async throws {
        let path = Repository.path("Profiles/suites/compressed.yaml")
        let result = try await EdgeprobeBinary.run(["bench", "--suite", path, "--min-time", "1ms", "--warmup", "0",
                                              "--min-iterations", "1", "--format", "table"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("pruned+shared+huffman"), "\(result.stdout)")
    }
}
