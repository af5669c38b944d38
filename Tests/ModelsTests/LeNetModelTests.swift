import Compression
import Foundation
import Kernels
import Models
import Tensors
import TestSupport
import Testing

/// The committed files of Tools/mnist/out.
enum MnistFixture {
    static let directory = Repository.path("Tools/mnist/out")

    static func path(_ file: String) -> String { "\(directory)/\(file)" }
    /// The test split, read once; a file that cannot be read fails each test that uses it with
    /// the reader's error, which names the file and the problem.
    static func split() throws -> DigitsTestSplit { try readSplit.get() }
    private static let readSplit = Result { () throws(DigitsFileError) -> DigitsTestSplit in
        try DigitsFiles.readTestSplit(path: path(LeNet.testSplitFile))
    }

    static func definition(_ model: LeNet, _ stage: LeNet.Stage) throws -> ModelDefinition {
        try model.definition(weightsPath: path(model.weightsFile(stage)))
    }

    static func scriptLogits(_ model: LeNet, _ stage: LeNet.LogitsStage) throws -> [[Float]] {
        try DigitsFiles.readLogits(path: path(model.logitsFile(stage)))
    }
}

@Suite("LeNet-5 and LeNet-300-100 in Swift reproduce the MNIST training script, stage by stage", .timeLimit(.minutes(5)))
struct LeNetModelTests {
    let pool = ThreadPool(threadCount: 1)

    /// The bound on |Swift logit − script logit|: float32 sums in another order over up to 800 terms.
    static let logitsBound: Float = 2e-4

    /// Swift's logits of `network` against the script's `stage` logits: accuracy within 0.3
    /// points (it is the same up to rounding) and every logit within `logitsBound`.
    func expectReproduces(_ network: Network, _ model: LeNet, _ stage: LeNet.Stage) throws {
        let split = try MnistFixture.split()
        let logits = ClassifierEvaluation.logits(of: network, images: split.images, pool: pool)
        let script = try MnistFixture.scriptLogits(model, .trained(stage))
        let accuracy = ClassifierEvaluation.accuracy(logits: logits, labels: split.labels)
        let scriptAccuracy = ClassifierEvaluation.accuracy(logits: script, labels: split.labels)
        #expect(abs(accuracy - scriptAccuracy) <= 0.003, "\(model) \(stage): Swift \(accuracy) vs script \(scriptAccuracy)")
        let error = ClassifierEvaluation.maxAbsoluteError(logits, script)
        #expect(error <= Self.logitsBound, "\(model) \(stage): max abs logits error \(error)")
    }

    @Test("the test split: 1,000 held-out 28x28 images, 100 per digit, pixels in 0...1")
    func testSplit() throws {
        let split = try MnistFixture.split()
        #expect(split.images.count == 1000 && split.imageShape == LeNet.inputShape)
        #expect((0..<10).allSatisfy { digit in split.labels.filter { $0 == digit }.count == 100 })
        #expect(split.images.allSatisfy { $0.count == 784 && $0.allSatisfy { (0...1).contains($0) } })
    }

    @Test("dense float32 (GEMV fully connected layers, 2x2 max pools)", arguments: LeNet.allCases)
    func dense(_ model: LeNet) throws {
        let definition = try MnistFixture.definition(model, .dense)
        #expect(definition.parameterCount == (model == .lenet5 ? 431_080 : 266_610))
        try expectReproduces(try definition.denseNetwork(), model, .dense)
    }

    @Test("pruned on the CSR kernels; trained-quantized on CSR of codebook bytes",
          arguments: LeNet.allCases, [LeNet.Stage.pruned, .quantized])
    func compressedStages(_ model: LeNet, _ stage: LeNet.Stage) throws {
        let definition = try MnistFixture.definition(model, stage)
        let network = stage == .pruned ? try definition.sparseNetwork() : try definition.sharedLookupNetwork()
        let fullyConnected = network.layers.compactMap { ($0 as? FullyConnectedLayer)?.kernel.storage }
        #expect(fullyConnected.contains {
            switch ($0, stage) {
            case (.sparse, .pruned), (.sparseShared, .quantized): true
            default: false
            }
        })
        try expectReproduces(network, model, stage)
    }

    @Test("trained quantization has a lower top-1 error than plain k-means sharing at the same bits", arguments: LeNet.allCases)
    func trainedQuantizationBeatsKMeans(_ model: LeNet) throws {
        let split = try MnistFixture.split()
        let bits = try model.sharingBits(weightsPath: MnistFixture.path(model.weightsFile(.quantized)))
        // Plain k-means (Swift's own) on the pruned weights, at the bits trained quantization used.
        let kMeans = try MnistFixture.definition(model, .pruned).sharingWeights { bits[$0.name]! }
        let kMeansLogits = ClassifierEvaluation.logits(of: try kMeans.sparseNetwork(), images: split.images, pool: pool)
        #expect(ClassifierEvaluation.maxAbsoluteError(kMeansLogits, try MnistFixture.scriptLogits(model, .kMeans)) <= Self.logitsBound,
                "Swift's k-means is the script's comparison stage")
        let trained = try MnistFixture.definition(model, .quantized).sharedLookupNetwork()
        let trainedLogits = ClassifierEvaluation.logits(of: trained, images: split.images, pool: pool)
        let kMeansError = 1 - ClassifierEvaluation.accuracy(logits: kMeansLogits, labels: split.labels)
        let trainedError = 1 - ClassifierEvaluation.accuracy(logits: trainedLogits, labels: split.labels)
        #expect(trainedError < kMeansError, "\(model): trained quantization \(trainedError) vs k-means \(kMeansError) at bits \(bits)")
    }

    @Test("the quantized stage read once: its model, codebook bits and file size are those of the separate readers",
          arguments: LeNet.allCases)
    func quantizedStage(_ model: LeNet) throws {
        let path = MnistFixture.path(model.weightsFile(.quantized))
        let stage = try model.quantizedStage(weightsPath: path)
        let definition = try MnistFixture.definition(model, .quantized)
        #expect(stage.definition.convolutions.map { $0.weights.map(\.bitPattern) } == definition.convolutions.map { $0.weights.map(\.bitPattern) })
        #expect(stage.definition.convolutions.map { $0.bias.map(\.bitPattern) } == definition.convolutions.map { $0.bias.map(\.bitPattern) })
        #expect(stage.definition.steps == definition.steps && stage.definition.name == definition.name)
        #expect(stage.sharingBits == (try model.sharingBits(weightsPath: path)))
        #expect(stage.fileBytes == (try FileBytes.read(path)).count)
        // A dense file has no codebooks: an error naming it.
        let dense = MnistFixture.path(model.weightsFile(.dense))
        do {
            _ = try model.quantizedStage(weightsPath: dense)
            Issue.record("a dense file was read as a quantized stage")
        } catch {
            #expect(error.path == dense && error.problem.contains("no codebook"), "\(error)")
        }
    }

    @Test("every stage round-trips exactly through its compressed model file", arguments: LeNet.allCases)
    func stagesRoundTrip(_ model: LeNet) throws {
        let bits = try model.sharingBits(weightsPath: MnistFixture.path(model.weightsFile(.quantized)))
        for (stage, encoding) in [(LeNet.Stage.dense, { (_: ConvolutionDefinition) in LayerEncoding.float32 }),
                                  (.pruned, { _ in .sparseFloat32(gapBits: 8) }),
                                  (.quantized, { .sparseSharedWeights(bits: bits[$0.name]!, gapBits: 5) })] {
            let definition = try MnistFixture.definition(model, stage)
            let bytes = definition.compressedFile(encoding: encoding).serialized()
            let loaded = try definition.loading(try CompressedModelFile(parsing: bytes))
            for (original, decoded) in zip(definition.convolutions, loaded.convolutions) {
                #expect(original.weights.map(\.bitPattern) == decoded.weights.map(\.bitPattern), "\(model) \(stage) \(original.name)")
                #expect(original.bias.map(\.bitPattern) == decoded.bias.map(\.bitPattern), "\(model) \(stage) \(original.name)")
            }
        }
    }

    @Test("a missing or corrupt file is an error naming the file")
    func badFiles() throws {
        let directory = TemporaryDirectory()
        let missing = directory.path + "/lenet5-dense.weights"
        #expect(throws: DigitsFileError.self) { try LeNet.lenet5.definition(weightsPath: missing) }
        do {
            _ = try LeNet.lenet5.definition(weightsPath: missing)
        } catch {
            #expect(error.path == missing)
        }
        let original = try FileBytes.read(MnistFixture.path(LeNet.lenet5.weightsFile(.quantized)))
        // One tensor `w` of 2^32-1 x 2^32-1 elements: more than an Int holds, and a sparse tensor's
        // size is not bounded by the file's.
        let huge: [UInt8] = Array("EPDW".utf8) + [2, 0, 0, 0] + [1, 0, 0, 0] + [1, 0] + Array("w".utf8) + [2]
            + [0xFF, 0xFF, 0xFF, 0xFF] + [0xFF, 0xFF, 0xFF, 0xFF] + [2]
        for (name, bytes) in [("truncated", Array(original.prefix(original.count / 2))),
                              ("bad-magic", Array("EPDX".utf8) + original.dropFirst(4)),
                              ("huge-dimensions", huge)] {
            let path = directory.path + "/\(name).weights"
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            do {
                _ = try LeNet.lenet5.definition(weightsPath: path)
                Issue.record("\(name) was read")
            } catch {
                #expect(error.path == path && error.description.hasPrefix(path), "\(error)")
            }
        }
    }
}
