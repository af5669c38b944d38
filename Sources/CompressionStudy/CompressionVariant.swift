import Compression
import Kernels
import Models
import Telemetry
import Tensors

/// One stage of a compression study, built and ready to time.
public struct CompressionVariant {
    /// The variant's name, e.g. `pruned+shared+huffman`.
    public let name: String
    /// The kernel form it runs on.
    public let kernel: String
    /// The network to time and score.
    public let network: Network
    /// Parameters stored (a*).
    public let parameters: Int
    /// Bytes of its model file.
    public let diskBytes: Int
    /// Bytes its kernels hold for weights and biases.
    public let memoryBytes: Int
    /// Milliseconds to read and decode its file, when it was loaded from one.
    public let decodeMs: Double?

    /// A built variant.
    public init(name: String, kernel: String, network: Network, parameters: Int, diskBytes: Int, memoryBytes: Int,
                decodeMs: Double? = nil) {
        self.name = name
        self.kernel = kernel
        self.network = network
        self.parameters = parameters
        self.diskBytes = diskBytes
        self.memoryBytes = memoryBytes
        self.decodeMs = decodeMs
    }
}

// MARK: - The Deep Compression stages

extension CompressionVariant {
    /// The stages of a model: dense fp32; pruned on CSR kernels; int8; 4-bit sharing looked up
    /// on the fly; pruned + 4-bit shared + Huffman-coded file, decoded at load onto CSR kernels.
    /// `pruned` is the pruned(-and-retrained) model, `file` an optional compressed model file to
    /// load instead of encoding `pruned` (its decode time is measured either way).
    public static func stages(
        original: ModelDefinition, pruned: ModelDefinition, calibration: [Tensor], pool: ThreadPool,
        sharingBits: Int = 4, gapBits: Int = 4, fileBytes: [UInt8]? = nil
    ) throws -> [CompressionVariant] {
        let float32Bytes = { (definition: ModelDefinition) in
            definition.compressedFile { _ in .float32 }.serialized().count
        }
        var variants: [CompressionVariant] = []

        variants.append(CompressionVariant(
            name: "original", kernel: "dense-fp32", network: try original.denseNetwork(),
            parameters: original.parameterCount, diskBytes: float32Bytes(original),
            memoryBytes: memoryBytes(original, .dense)))

        let prunedFile = pruned.compressedFile { _ in .sparseFloat32(gapBits: 8) }.serialized()
        variants.append(CompressionVariant(
            name: "pruned", kernel: "sparse-fp32", network: try pruned.sparseNetwork(),
            parameters: pruned.nonzeroParameterCount, diskBytes: prunedFile.count,
            memoryBytes: memoryBytes(pruned, .sparse)))

        let int8File = original.compressedFile { _ in .int8PerChannel }.serialized()
        variants.append(CompressionVariant(
            name: "int8", kernel: "int8", network: try original.int8Network(calibrationInputs: calibration, pool: pool),
            parameters: original.parameterCount, diskBytes: int8File.count,
            memoryBytes: memoryBytes(original, .int8)))

        let sharedFile = original.compressedFile { _ in .sharedWeights(bits: sharingBits) }.serialized()
        variants.append(CompressionVariant(
            name: "shared-\(sharingBits)bit", kernel: "shared-on-the-fly",
            network: try original.sharedWeightNetwork(bits: sharingBits),
            parameters: original.parameterCount, diskBytes: sharedFile.count,
            memoryBytes: memoryBytes(original, .shared(bits: sharingBits))))

        let bytes = fileBytes ?? pruned.compressedFile { _ in .sparseSharedWeights(bits: sharingBits, gapBits: gapBits) }.serialized()
        variants.append(try decodedAtLoad(name: "pruned+shared+huffman", bytes: bytes, structure: original))
        return variants
    }

    /// The model file `bytes` decoded into the layers of `structure` (the time to parse and
    /// decode it is `decodeMs`), run on the CSR kernels.
    /// - Throws: `ModelFileError` for a file that does not decode or does not fit the model.
    static func decodedAtLoad(name: String, bytes: [UInt8], structure: ModelDefinition) throws -> CompressionVariant {
        let started = MonotonicClock.now()
        let decoded = try structure.loading(try CompressedModelFile(parsing: bytes))
        let decodeMs = Double(MonotonicClock.now() - started) / 1e6
        return CompressionVariant(
            name: name, kernel: "sparse-fp32", network: try decoded.sparseNetwork(), parameters: decoded.nonzeroParameterCount,
            diskBytes: bytes.count, memoryBytes: memoryBytes(decoded, .sparse), decodeMs: decodeMs)
    }

    // MARK: - Memory

    /// The weight form a variant's kernels hold.
    enum Form {
        case dense, sparse, int8, shared(bits: Int)
        /// `ModelDefinition.sharedLookupNetwork()`: each layer in its `sharedLookupForm`.
        case sharedLookup
    }

    /// Bytes the kernels of `definition` hold for weights and biases in `form`: float32 4 per
    /// weight; CSR 8 per kept weight (value, column) + 4 per row start; int8 1 per weight + a
    /// float32 scale and offset per channel; shared 1 index per weight + the codebook. Layers a
    /// form leaves dense (grouped ones, and for CSR those denser than its limit) count as float32.
    static func memoryBytes(_ definition: ModelDefinition, _ form: Form) -> Int {
        definition.convolutions.reduce(0) { total, layer in
            let channels = layer.shape.outputChannels
            let dense = 4 * (layer.weights.count + channels)
            guard layer.shape.groups == 1 else { return total + dense }
            switch form {
            case .dense:
                return total + dense
            case .sparse:
                guard layer.density <= ConvolutionDefinition.sparseKernelMaximumDensity else { return total + dense }
                return total + 8 * layer.nonzeroWeightCount + 4 * (channels + 1) + 4 * channels
            case .int8:
                return total + layer.weights.count + 8 * channels
            case .shared(let bits):
                return total + layer.weights.count + 4 * (1 << bits) + 4 * channels
            case .sharedLookup:
                switch layer.sharedLookupForm {
                case .sparseShared(let codebookEntries):
                    // CSR of codebook bytes: a column and an index per kept weight, row starts, codebook.
                    return total + 5 * layer.nonzeroWeightCount + 4 * (channels + 1) + 4 * codebookEntries + 4 * channels
                case .shared(let shared):
                    return total + layer.weights.count + 4 * shared.codebook.count + 4 * channels
                case .sparse:
                    return total + memoryBytes(ModelDefinition(name: definition.name, convolutions: [layer]), .sparse)
                }
            }
        }
    }
}
