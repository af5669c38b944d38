import Glibc
import Compression
import Kernels
import Models
import Tensors
import TestSupport
import Testing

/// The committed files of Tools/digits/out.
enum DigitsFixture {
    static let directory = Repository.path("Tools/digits/out")

    static func path(_ file: String) -> String { "\(directory)/\(file)" }
    /// The test split, read once; a file that cannot be read fails each test that uses it with
    /// the reader's error, which names the file and the problem.
    static func split() throws -> DigitsTestSplit { try readSplit.get() }
    private static let readSplit = Result { () throws(DigitsFileError) -> DigitsTestSplit in
        try DigitsFiles.readTestSplit(path: path(DigitsFiles.testSplitFile))
    }
}

@Suite("The digits CNN in Swift reproduces the training script", .timeLimit(.minutes(5)))
struct DigitsModelTests {
    let pool = ThreadPool(threadCount: 1)

    @Test("dense float32: accuracy within 0.5 points, logits within 1e-4")
    func denseReproducesScript() throws {
        let split = try DigitsFixture.split()
        #expect(split.images.count == 450)
        let network = try DigitsModel.definition(weightsPath: DigitsFixture.path(DigitsFiles.weightsFile)).denseNetwork()
        let logits = ClassifierEvaluation.logits(of: network, images: split.images, pool: pool)
        let scriptLogits = try DigitsFiles.readLogits(path: DigitsFixture.path(DigitsFiles.logitsFile))
        let accuracy = ClassifierEvaluation.accuracy(logits: logits, labels: split.labels)
        let scriptAccuracy = ClassifierEvaluation.accuracy(logits: scriptLogits, labels: split.labels)
        #expect(abs(scriptAccuracy - 0.9756) < 0.0001, "the committed logits score \(scriptAccuracy)")
        #expect(abs(accuracy - scriptAccuracy) <= 0.005, "Swift \(accuracy) vs script \(scriptAccuracy)")
        let error = ClassifierEvaluation.maxAbsoluteError(logits, scriptLogits)
        #expect(error <= 1e-4, "max abs logits error \(error)")
        #expect(ClassifierEvaluation.top1Agreement(reference: scriptLogits, candidate: logits) >= 0.995)
        #expect(ClassifierEvaluation.meanKLDivergence(reference: scriptLogits, candidate: logits) < 1e-6)
    }

    @Test("pruned weights on the CSR kernels match the script's pruned logits")
    func sparseReproducesPrunedScript() throws {
        let split = try DigitsFixture.split()
        let definition = try DigitsModel.definition(weightsPath: DigitsFixture.path(DigitsFiles.prunedWeightsFile))
        #expect(definition.nonzeroParameterCount < definition.parameterCount / 3)
        // Every layer on the CSR kernel (sparseNetwork() keeps the denser conv1 and conv2 dense).
        let network = try definition.network { layer throws(ModelError) in
            do throws(ConvolutionError) {
                return try SparseConvolutionLayer(
                    name: layer.name, shape: layer.shape, weights: layer.weights, bias: layer.bias, activation: layer.activation)
            } catch {
                throw .invalidLayer(layer: layer.name, error)
            }
        }
        // sparseNetwork() keeps the denser conv1 and conv2 dense and runs the dense layer as a CSR fully connected layer.
        let sparse = try definition.sparseNetwork().layers
        #expect(sparse[0] is ConvolutionLayer && sparse[1] is ConvolutionLayer)
        #expect((sparse[2] as? FullyConnectedLayer)?.kernel.storedWeightCount == definition.convolutions[2].nonzeroWeightCount)
        let logits = ClassifierEvaluation.logits(of: network, images: split.images, pool: pool)
        let scriptLogits = try DigitsFiles.readLogits(path: DigitsFixture.path("digits-test-logits-pruned.bin"))
        let error = ClassifierEvaluation.maxAbsoluteError(logits, scriptLogits)
        #expect(error <= 1e-4, "max abs logits error \(error)")
        #expect(abs(ClassifierEvaluation.accuracy(logits: logits, labels: split.labels) - 0.9733) < 0.005)
    }

    @Test("pruned + 4-bit shared + Huffman file: at least 10x smaller, at most 1 point lost")
    func compressedFileRoundTrip() throws {
        let split = try DigitsFixture.split()
        let dense = try DigitsModel.definition(weightsPath: DigitsFixture.path(DigitsFiles.weightsFile))
        let pruned = try DigitsModel.definition(weightsPath: DigitsFixture.path(DigitsFiles.prunedWeightsFile))
        let file = pruned.compressedFile { _ in .sparseSharedWeights(bits: 4, gapBits: 4) }
        let bytes = file.serialized()
        let loaded = try pruned.loading(try CompressedModelFile(parsing: bytes))
        let compressionRate = Double(dense.parameterCount * 4) / Double(bytes.count)
        #expect(compressionRate >= 10, "α = \(compressionRate) (\(bytes.count) bytes)")
        let denseLogits = ClassifierEvaluation.logits(of: try dense.denseNetwork(), images: split.images, pool: pool)
        let logits = ClassifierEvaluation.logits(of: try loaded.sparseNetwork(), images: split.images, pool: pool)
        let loss = ClassifierEvaluation.accuracy(logits: denseLogits, labels: split.labels)
            - ClassifierEvaluation.accuracy(logits: logits, labels: split.labels)
        #expect(loss <= 0.01, "accuracy loss \(loss)")
        #expect(ClassifierEvaluation.top1Agreement(reference: denseLogits, candidate: logits) >= 0.97)
    }

    @Test("a file without a layer's section names the section")
    func missingSection() throws {
        let definition = try DigitsModel.definition(weightsPath: DigitsFixture.path(DigitsFiles.weightsFile))
        var partial = definition
        partial.convolutions.removeLast()
        let file = partial.compressedFile { _ in .float32 }
        #expect(throws: ModelFileError.sectionNotFound(name: "dense.weight")) { try definition.loading(file) }
    }

    @Test("a truncated digits file is an error naming the file")
    func truncatedDigitsFile() throws {
        let bytes = try FileBytes.read(DigitsFixture.path(DigitsFiles.weightsFile))
        let path = "/tmp/edgeprobe-digits-truncated-\(getpid()).weights"
        try FileBytes.write(Array(bytes.prefix(100)), to: path)
        defer { unlink(path) }
        #expect(throws: DigitsFileError.self) { try DigitsModel.definition(weightsPath: path) }
    }
}

@Suite("The int8 digits CNN stays faithful to float32", .timeLimit(.minutes(5)))
struct DigitsInt8Tests {
    @Test("calibrated on 100 training-free test images: accuracy within 1 point, agreement ≥ 98 %")
    func int8Fidelity() throws {
        let pool = ThreadPool(threadCount: 1)
        let split = try DigitsFixture.split()
        let definition = try DigitsModel.definition(weightsPath: DigitsFixture.path(DigitsFiles.weightsFile))
        let calibration = split.images.prefix(100).map { Tensor(height: 8, width: 8, channels: 1, values: $0) }
        let network = try definition.int8Network(calibrationInputs: calibration, pool: pool)
        #expect(network.layers.allSatisfy { $0 is Int8ConvolutionLayer })
        let reference = ClassifierEvaluation.logits(of: try definition.denseNetwork(), images: split.images, pool: pool)
        let logits = ClassifierEvaluation.logits(of: network, images: split.images, pool: pool)
        let loss = ClassifierEvaluation.accuracy(logits: reference, labels: split.labels)
            - ClassifierEvaluation.accuracy(logits: logits, labels: split.labels)
        #expect(loss <= 0.01, "int8 accuracy loss \(loss)")
        #expect(ClassifierEvaluation.top1Agreement(reference: reference, candidate: logits) >= 0.98)
        let divergence = ClassifierEvaluation.meanKLDivergence(reference: reference, candidate: logits)
        #expect(divergence > 0 && divergence < 0.01, "KL \(divergence)")
    }
}

@Suite("Weight-shared digits CNN: decoded at load and looked up on the fly agree", .timeLimit(.minutes(5)))
struct DigitsSharedWeightTests {
    @Test("4-bit sharing: on-the-fly logits equal decoded-at-load logits; accuracy within 1 point")
    func sharedForms() throws {
        let pool = ThreadPool(threadCount: 1)
        let split = try DigitsFixture.split()
        let definition = try DigitsModel.definition(weightsPath: DigitsFixture.path(DigitsFiles.weightsFile))
        let decoded = ClassifierEvaluation.logits(of: try definition.sharingWeights(bits: 4).denseNetwork(),
                                                  images: split.images, pool: pool)
        let network = try definition.sharedWeightNetwork(bits: 4)
        #expect(network.layers.dropLast().allSatisfy { $0 is SharedWeightConvolutionLayer } && network.layers.last is FullyConnectedLayer)
        let onTheFly = ClassifierEvaluation.logits(of: network, images: split.images, pool: pool)
        #expect(ClassifierEvaluation.maxAbsoluteError(decoded, onTheFly) <= 1e-4)
        let reference = ClassifierEvaluation.logits(of: try definition.denseNetwork(), images: split.images, pool: pool)
        let loss = ClassifierEvaluation.accuracy(logits: reference, labels: split.labels)
            - ClassifierEvaluation.accuracy(logits: onTheFly, labels: split.labels)
        #expect(loss <= 0.01, "4-bit sharing accuracy loss \(loss)")
    }
}
