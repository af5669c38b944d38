import Foundation
import TestSupport
import Testing

@Suite(.timeLimit(.minutes(3))) struct CompressLeNetCommandTests {
    private let quick = ["--min-time", "5ms", "--warmup", "1", "--min-iterations", "3"]

    @Test(arguments: [("lenet5", "LeNet-5"), ("lenet-300-100", "LeNet-300-100")])
    func stagesAndThePaperRecordValidate(_ model: String, _ paperModel: String) throws {
        let result = try EdgeprobeBinary.run(["compress", "--model", model] + quick)
        #expect(result.status == 0, "\(result.stderr)")
        let report = try SchemaValidator.validateByType(result.stdout)
        #expect(report.valid, "\(report.problems)")
        #expect(report.checkedTypes == ["compression", "compression_paper"])
        let records = result.stdoutLines.compactMap { JSONLines.object($0) }
        #expect(records.map { $0["variant"] as? String ?? $0["type"] as? String }
                == ["original", "pruned", "pruned+quantized", "pruned+quantized+huffman", "compression_paper"])
        let final = records[3], paper = records[4]
        #expect(final["decode_ms"] as? Double != nil, "the Huffman file is decoded at load")
        // The paper record repeats the last stage's measured figures next to the paper's constants.
        let measured = try #require(paper["measured"] as? [String: Any])
        #expect(measured["compression_rate"] as? Double == final["compression_rate"] as? Double)
        #expect(paper["compressed_bytes"] as? Int == final["compressed_disk_bytes"] as? Int)
        #expect(paper["paper_model"] as? String == paperModel)
        let accuracy = try #require(final["top1_accuracy"] as? Double)
        #expect(abs((measured["top1_error_compressed_pct"] as? Double ?? -1) - (1 - accuracy) * 100) < 1e-9)
        let published = try #require(paper["paper"] as? [String: Any])
        #expect(published["compression_rate"] as? Double == (model == "lenet5" ? 39 : 40))
        #expect(result.stderr.contains("paper: \(paperModel)"), "the table shows the paper's row: \(result.stderr)")
    }

    @Test func perLayerTimesEachTrainedLayerAloneWithoutClaimingRandomWeights() throws {
        let result = try EdgeprobeBinary.run(["compress", "--model", "lenet-300-100", "--per-layer"] + quick)
        #expect(result.status == 0, "\(result.stderr)")
        let report = try SchemaValidator.validateByType(result.stdout)
        #expect(report.valid, "\(report.problems)")
        let records = result.stdoutLines.compactMap { JSONLines.object($0) }
        // fc1, fc2, fc3: original and pruned each, no paper record (no accuracy to compare).
        #expect(records.map { $0["variant"] as? String } == Array(repeating: ["original", "pruned"], count: 3).flatMap { $0 })
        for record in records {
            let reason = (record["unavailable"] as? [String: Any])?["top1_accuracy"] as? String
            #expect(reason?.contains("random inputs") == true, "the weights are trained; the inputs are random: \(record)")
        }
    }

    @Test(arguments: [("digits", ["--per-layer"]), ("mobilenet", ["--mnist", "/tmp"]), ("lenet5", ["--digits", "/tmp"])])
    func anOptionOfAnotherModelIsRefused(_ model: String, _ option: [String]) throws {
        let result = try EdgeprobeBinary.run(["compress", "--model", model] + option + quick)
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains(option[0]) && result.stdout.isEmpty, "\(result.stderr)")
    }

    @Test func aCorruptStageFileIsNamed() throws {
        let directory = TemporaryDirectory()
        let source = Repository.path("Tools/mnist/out")
        for name in try FileManager.default.contentsOfDirectory(atPath: source) {
            try FileManager.default.copyItem(atPath: "\(source)/\(name)", toPath: directory.file(name))
        }
        let damaged = directory.file("lenet5-pruned.weights")
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: damaged)))
        bytes.removeLast(bytes.count / 3)
        try Data(bytes).write(to: URL(fileURLWithPath: damaged))
        let result = try EdgeprobeBinary.run(["compress", "--model", "lenet5", "--mnist", directory.path] + quick)
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains(damaged), "\(result.stderr)")

        try FileManager.default.removeItem(atPath: damaged)
        let missing = try EdgeprobeBinary.run(["compress", "--model", "lenet5", "--mnist", directory.path] + quick)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains(damaged), "\(missing.stderr)")
    }
}
