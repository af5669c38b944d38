import Compression
import Kernels
import Models
import Tensors

extension CompressionStudy {
    /// Deep Compression's stages of a LeNet trained by Tools/mnist, from the files in `directory`,
    /// scored on the held-out test split: the original (float32 on dense kernels); pruned with
    /// retraining (CSR kernels); trained-quantized (codebook looked up on the fly); and
    /// pruned + quantized + Huffman-coded, the model file decoded at load (CSR kernels).
    /// - Throws: `DigitsFileError` naming the file and the problem, `ModelFileError` for a file
    ///   that does not decode.
    public static func lenet(_ model: LeNet, directory: String) throws -> CompressionStudy {
        func weights(_ stage: LeNet.Stage) -> String { "\(directory)/\(model.weightsFile(stage))" }
        let original = try model.definition(weightsPath: weights(.dense))
        let pruned = try model.definition(weightsPath: weights(.pruned))
        let (quantized, bits, quantizedFileBytes) = try model.quantizedStage(weightsPath: weights(.quantized))
        let split = try DigitsFiles.readTestSplit(path: "\(directory)/\(LeNet.testSplitFile)")

        var variants = try CompressionVariant.originalAndPruned(original: original, pruned: pruned)

        // Trained quantization's own file: one byte per kept weight's index, varint gaps, codebooks.
        variants.append(CompressionVariant(
            name: "pruned+quantized", kernel: "shared-on-the-fly", network: try quantized.sharedLookupNetwork(),
            parameters: quantized.nonzeroParameterCount, diskBytes: quantizedFileBytes,
            memoryBytes: CompressionVariant.memoryBytes(quantized, .sharedLookup)))

        let bytes = quantized.smallestCompressedFile { .sparseSharedWeights(bits: bits[$0.name]!, gapBits: $1) }.serialized()
        variants.append(try CompressionVariant.decodedAtLoad(name: "pruned+quantized+huffman", bytes: bytes, structure: original))
        let weightsKept = Double(pruned.convolutions.reduce(0) { $0 + $1.nonzeroWeightCount })
            / Double(pruned.convolutions.reduce(0) { $0 + $1.weights.count })
        return CompressionStudy(model: original.name, variants: variants, images: split.images, labels: split.labels,
                                paper: DeepCompressionPaper.row(for: model.rawValue), weightsKept: weightsKept)
    }
}

extension CompressionStudy {
    /// Each layer of a LeNet on its own, original against pruned-with-retraining weights (the
    /// kernels of the first two stages), timed on three seeded random inputs (no accuracy): the
    /// per-layer speedup of the sparse kernels, which Deep Compression reports for its fully
    /// connected layers.
    /// - Throws: `DigitsFileError` naming the file and the problem.
    public static func lenetLayers(_ model: LeNet, directory: String, seed: UInt64) throws -> [CompressionStudy] {
        let original = try model.definition(weightsPath: "\(directory)/\(model.weightsFile(.dense))")
        let pruned = try model.definition(weightsPath: "\(directory)/\(model.weightsFile(.pruned))")
        var initializer = WeightInitializer(seed: seed)
        return try zip(original.convolutions, pruned.convolutions).map { dense, sparse in
            let name = "\(model.rawValue) \(dense.name) \(dense.shape.inputShape)→\(dense.shape.outputChannels) \(Int((sparse.density * 100).rounded())) % kept"
            let inputs = (0..<3).map { _ in initializer.input(dense.shape.inputShape) }
            let variants = try CompressionVariant.originalAndPruned(
                original: ModelDefinition(name: name, convolutions: [dense]), pruned: ModelDefinition(name: name, convolutions: [sparse]))
            return CompressionStudy(model: name, variants: variants, images: inputs.map(\.values), labels: nil,
                                    noLabelsReason: "one trained layer alone, on seeded random inputs (no labels)")
        }
    }
}

extension CompressionVariant {
    /// Deep Compression's first two stages of a model: the float32 original on the dense kernels,
    /// and the pruned weights on the CSR kernels, stored with the smallest gap width per layer.
    static func originalAndPruned(original: ModelDefinition, pruned: ModelDefinition) throws -> [CompressionVariant] {
        [CompressionVariant(
            name: "original", kernel: "dense-fp32", network: try original.denseNetwork(),
            parameters: original.parameterCount, diskBytes: original.compressedFile { _ in .float32 }.serialized().count,
            memoryBytes: memoryBytes(original, .dense)),
         CompressionVariant(
            name: "pruned", kernel: "sparse-fp32", network: try pruned.sparseNetwork(),
            parameters: pruned.nonzeroParameterCount,
            diskBytes: pruned.smallestCompressedFile { .sparseFloat32(gapBits: $1) }.serialized().count,
            memoryBytes: memoryBytes(pruned, .sparse))]
    }
}

extension ModelDefinition {
    /// Gap widths tried for the relative sparse index, per layer.
    static let gapBitCandidates = 2...8

    /// The compressed model file with each layer's weights encoded as `encoding(layer, gapBits)`
    /// at the gap width (of `gapBitCandidates`) that gives that layer the smallest section.
    func smallestCompressedFile(_ encoding: (ConvolutionDefinition, Int) -> LayerEncoding) -> CompressedModelFile {
        compressedFile { layer, name, shape in
            ModelSection.smallest(name: name, weights: layer.weights, shape: shape, gapBitCandidates: Self.gapBitCandidates) {
                encoding(layer, $0)
            }
        }
    }
}
