import Compression
import Kernels
import Models
import Profiles
import Tensors

extension CompressionStudy {
    /// The digits CNN's stages: dense-trained and pruned-and-retrained weights from `directory`,
    /// calibrated on the first 100 test images, scored on the whole test split. `fileBytes`, if
    /// given, is the compressed model file loaded as the last stage.
    /// - Throws: `DigitsFileError` or `ModelFileError` naming the file and the problem.
    public static func digits(
        directory: String, pool: ThreadPool, sharingBits: Int = 4, fileBytes: [UInt8]? = nil
    ) throws -> CompressionStudy {
        let original = try DigitsModel.definition(weightsPath: "\(directory)/\(DigitsFiles.weightsFile)")
        let pruned = try DigitsModel.definition(weightsPath: "\(directory)/\(DigitsFiles.prunedWeightsFile)")
        let split = try DigitsFiles.readTestSplit(path: "\(directory)/\(DigitsFiles.testSplitFile)")
        let shape = split.imageShape
        let calibration = split.images.prefix(100).map {
            Tensor(height: shape.height, width: shape.width, channels: shape.channels, values: $0)
        }
        let variants = try CompressionVariant.stages(
            original: original, pruned: pruned, calibration: calibration, pool: pool, sharingBits: sharingBits,
            fileBytes: fileBytes)
        return CompressionStudy(model: original.name, variants: variants, images: split.images, labels: split.labels)
    }

    /// The stages of a random-weight model: magnitude-pruned to `sparsity`, calibrated and scored
    /// on three seeded random inputs (no accuracy: the model is not trained).
    public static func randomWeights(
        _ definition: ModelDefinition, seed: UInt64, sparsity: Double, sharingBits: Int = 4, pool: ThreadPool
    ) throws -> CompressionStudy {
        var initializer = WeightInitializer(seed: seed &+ 1)
        let inputs = (0..<3).map { _ in initializer.input(definition.inputShape) }
        let variants = try CompressionVariant.stages(
            original: definition, pruned: definition.magnitudePruned(sparsity: sparsity), calibration: inputs, pool: pool,
            sharingBits: sharingBits)
        return CompressionStudy(model: definition.name, variants: variants, images: inputs.map(\.values), labels: nil)
    }

    /// The architecture spec (`Profiles/archs/<name>.yaml`) the MobileNet-style latency model is built from.
    public static let mobileNetArchitecture = "mobilenet-v2-96"

    /// The MobileNet-style latency model: `mobileNetArchitecture` found with `locator`, planned,
    /// with seeded random weights.
    /// - Throws: `ConfigError` naming the file and the problem.
    public static func mobileNetDefinition(seed: UInt64, locator: ProfileLocator = .standard()) throws -> ModelDefinition {
        let path = try locator.locate(mobileNetArchitecture, kind: "archs")
        return try ArchitectureSpec.loadPlan(path: path).definition(seed: seed)
    }

    /// The study a suite's `models` entry asks for; the digits files are found with
    /// `DigitsFiles.standardDirectory()`, the MobileNet spec with `ProfileLocator.standard()`.
    public static func make(for model: SuiteModel, seed: UInt64, pool: ThreadPool) throws -> CompressionStudy {
        switch model.kind {
        case .digits:
            guard let directory = DigitsFiles.standardDirectory() else {
                throw DigitsFileError(path: "digits files",
                                      problem: "not found (set EDGEPROBE_DIGITS, or install share/edgeprobe/digits)")
            }
            return try digits(directory: directory, pool: pool, sharingBits: model.sharingBits)
        case .mobilenet:
            return try randomWeights(mobileNetDefinition(seed: seed), seed: seed, sparsity: model.sparsity,
                                     sharingBits: model.sharingBits, pool: pool)
        }
    }
}
