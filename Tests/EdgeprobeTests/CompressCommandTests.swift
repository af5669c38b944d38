import Foundation
import Testing

@Suite struct CompressCommandTests {
    private let quick = ["--min-time", "5ms", "--warmup", "1", "--min-iterations", "3"]

    @Test func recordsValidateAndReachTheTargets() throws {
        let result = try EdgeprobeBinary.run(["compress"] + quick)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdoutLines.count == 5)
        let outcome = try SchemaValidator.validate(result.stdout, schema: "compression.schema.json")
        #expect(outcome.valid, "\(outcome.report)")
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
    func badModelFileNamesTheProblem(_ damage: String, _ expected: String) throws {
        let directory = FileManager.default.temporaryDirectory
        let good = directory.appendingPathComponent("edgeprobe-\(UUID().uuidString).epcm")
        defer { try? FileManager.default.removeItem(at: good) }
        let written = try EdgeprobeBinary.run(["compress", "--write-file", good.path] + quick)
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
        let result = try EdgeprobeBinary.run(["compress", "--file", bad.path] + quick)
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains(bad.path) && result.stderr.contains(expected), "\(result.stderr)")
    }
}
