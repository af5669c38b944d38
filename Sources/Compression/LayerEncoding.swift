// Encoding a layer's float weights into a section payload, one way per compression stage.

/// How to store one layer's weights (each stage of Deep Compression usable on its own).
public enum LayerEncoding: Sendable, Equatable {
    /// Dense float32, the baseline.
    case float32
    /// Symmetric int8 with one scale per output channel (the first dimension of the shape).
    case int8PerChannel
    /// k-means shared weights over all weights (2^bits clusters; weights with at most 2^bits
    /// distinct values keep exactly those), Huffman-coded indices.
    case sharedWeights(bits: Int)
    /// Pruned and shared (Deep Compression): the nonzero weights are clustered (2^bits clusters, or
    /// kept exactly when they already have at most 2^bits distinct values, as after trained quantization),
    /// stored as Huffman-coded indices plus Huffman-coded relative index gaps of `gapBits` bits.
    case sparseSharedWeights(bits: Int, gapBits: Int)
    /// Pruned float32: Huffman-coded relative index gaps of `gapBits` bits and float32 nonzeros.
    case sparseFloat32(gapBits: Int)

    /// The section encoding tag this produces.
    public var sectionEncoding: SectionEncoding {
        switch self {
        case .float32: .float32
        case .int8PerChannel: .int8PerChannel
        case .sharedWeights: .sharedWeights
        case .sparseSharedWeights: .sparseSharedWeights
        case .sparseFloat32: .sparseFloat32
        }
    }
}

extension ModelSection {
    /// Encodes `weights` (row-major, `shape`) as `encoding`. Pruned weights are the zeros of
    /// `weights`: prune first with `MagnitudePruning` for the sparse encodings.
    public init(name: String, weights: [Float], shape: [Int], encoding: LayerEncoding) {
        self.init(name: name, weights: weights, shape: shape, encoding: encoding) { bits in
            KMeansWeightSharing.sharing(weights.filter { $0 != 0 }, bits: bits)
        }
    }

    /// The section of `weights` encoded as `encoding(gapBits)` at the gap width of `gapBitCandidates`
    /// that gives the smallest payload (the narrowest of equal ones). A sparse shared encoding's
    /// codebook depends only on the kept weights, not on the gap width: it is computed once.
    public static func smallest(
        name: String, weights: [Float], shape: [Int], gapBitCandidates: ClosedRange<Int>, encoding: (Int) -> LayerEncoding
    ) -> ModelSection {
        let kept = weights.filter { $0 != 0 }
        var codebooks: [Int: SharedWeights] = [:]
        func sharing(bits: Int) -> SharedWeights {
            if let known = codebooks[bits] { return known }
            let shared = KMeansWeightSharing.sharing(kept, bits: bits)
            codebooks[bits] = shared
            return shared
        }
        var smallest: ModelSection?
        for gapBits in gapBitCandidates {
            let section = ModelSection(name: name, weights: weights, shape: shape, encoding: encoding(gapBits), keptSharing: sharing)
            if smallest.map({ section.payload.count < $0.payload.count }) ?? true { smallest = section }
        }
        return smallest!
    }

    /// Encodes `weights` as `encoding`; `keptSharing(bits)` is the codebook of the nonzero weights
    /// at `bits` (what a sparse shared encoding stores).
    private init(name: String, weights: [Float], shape: [Int], encoding: LayerEncoding, keptSharing: (Int) -> SharedWeights) {
        precondition(shape.reduce(1, *) == weights.count, "shape matches the weight count")
        var writer = ByteWriter()
        switch encoding {
        case .float32:
            for weight in weights { writer.write(weight) }

        case .int8PerChannel:
            precondition(!shape.isEmpty && shape[0] > 0, "int8 per channel needs an output-channel dimension")
            let quantized = PerChannelWeightQuantization.quantize(weights, outputChannels: shape[0])
            writer.write(UInt32(quantized.scales.count))
            for scale in quantized.scales { writer.write(scale) }
            writer.write(contentsOf: quantized.values.map { UInt8(bitPattern: $0) })

        case .sharedWeights(let bits):
            let shared = KMeansWeightSharing.sharing(weights, bits: bits)
            writer.write(UInt8(bits))
            for centroid in shared.codebook { writer.write(centroid) }
            HuffmanCoding.encode(shared.indices.map(Int.init), alphabetSize: 1 << bits, into: &writer)

        case .sparseSharedWeights(let bits, let gapBits):
            let sparse = RelativeIndexedSparse(dense: weights, gapBits: gapBits)
            // The nonzero entries of `sparse`, in order, are the nonzero weights.
            let shared = keptSharing(bits)
            // Fillers (value 0) take the extra symbol 2^bits; the others their codebook index.
            var nextIndex = 0
            let symbols = sparse.values.map { value -> Int in
                guard value != 0 else { return 1 << bits }
                defer { nextIndex += 1 }
                return Int(shared.indices[nextIndex])
            }
            writer.write(UInt8(bits))
            writer.write(UInt8(gapBits))
            for centroid in shared.codebook { writer.write(centroid) }
            HuffmanCoding.encode(symbols, alphabetSize: (1 << bits) + 1, into: &writer)
            HuffmanCoding.encode(sparse.storedGaps, alphabetSize: 1 << gapBits, into: &writer)

        case .sparseFloat32(let gapBits):
            let sparse = RelativeIndexedSparse(dense: weights, gapBits: gapBits)
            writer.write(UInt8(gapBits))
            HuffmanCoding.encode(sparse.storedGaps, alphabetSize: 1 << gapBits, into: &writer)
            for value in sparse.values { writer.write(value) }
        }
        self.init(name: name, encoding: encoding.sectionEncoding, shape: shape, payload: writer.bytes)
    }
}
