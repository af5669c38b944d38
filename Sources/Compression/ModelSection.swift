// One named, typed block of a compressed model file (usually one layer's weights).

/// How a section's payload is encoded; the payload layouts are in Docs/compressed-model-format.md.
public enum SectionEncoding: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    /// Dense little-endian float32 values.
    case float32 = 0
    /// Symmetric per-output-channel int8 values with float32 scales.
    case int8PerChannel = 1
    /// k-means shared weights: a float32 codebook and Huffman-coded indices for every weight.
    case sharedWeights = 2
    /// Deep Compression: nonzeros only, Huffman-coded codebook indices and relative index gaps.
    case sparseSharedWeights = 3
    /// Pruned float32: Huffman-coded relative index gaps and the float32 nonzero values.
    case sparseFloat32 = 4
    /// Uninterpreted bytes (e.g. model metadata).
    case bytes = 5

    /// The encoding's name as the format document spells it.
    public var description: String {
        switch self {
        case .float32: "float32"
        case .int8PerChannel: "int8-per-channel"
        case .sharedWeights: "shared-weights"
        case .sparseSharedWeights: "sparse-shared-weights"
        case .sparseFloat32: "sparse-float32"
        case .bytes: "bytes"
        }
    }
}

/// A named section: its encoding, the shape of the tensor it holds, and the encoded payload.
public struct ModelSection: Sendable, Equatable {
    /// The longest section name, in UTF-8 bytes.
    public static let maxNameByteCount = 255
    /// The highest tensor rank a section may declare.
    public static let maxRank = 8

    /// Unique name within the file, e.g. `conv2.weight`.
    public let name: String
    /// How `payload` is encoded.
    public let encoding: SectionEncoding
    /// Dimensions of the tensor (e.g. [outC, kh, kw, inC]); empty for a scalar or raw bytes.
    public let shape: [Int]
    /// The encoded bytes.
    public let payload: [UInt8]

    /// Wraps an already encoded payload.
    public init(name: String, encoding: SectionEncoding, shape: [Int], payload: [UInt8]) {
        precondition(!name.isEmpty && name.utf8.count <= Self.maxNameByteCount, "name is 1...255 UTF-8 bytes")
        precondition(shape.count <= Self.maxRank && shape.allSatisfy { $0 >= 0 && $0 <= Int(UInt32.max) },
                     "shape has at most 8 dimensions of 0...2^32-1")
        self.name = name
        self.encoding = encoding
        self.shape = shape
        self.payload = payload
    }

    /// The number of tensor elements the shape describes (1 for rank 0).
    public var elementCount: Int { shape.reduce(1, *) }
}
