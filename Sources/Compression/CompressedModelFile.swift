// The compressed model container: header, section table, payloads, CRC-32 trailer.

/// A compressed model file: named sections behind a versioned header, closed by a CRC-32.
///
/// Layout (little-endian; full description in Docs/compressed-model-format.md):
/// ```
/// magic[8]  u16 version  u16 flags(0)  u32 sectionCount  u64 fileLength
/// section table: sectionCount × (u16 nameLength, name, u8 encoding, u8 rank, rank × u32 dim,
///                                u64 payloadOffset, u64 payloadLength)
/// payloads, contiguous, in table order
/// u32 CRC-32 of every byte before it
/// ```
public struct CompressedModelFile: Sendable, Equatable {
    /// The first 8 bytes of every file: 0x89 "EPCM" CR LF 0x1A (PNG-style: catches text-mode
    /// transfers and 7-bit channels).
    public static let magic: [UInt8] = [0x89, 0x45, 0x50, 0x43, 0x4D, 0x0D, 0x0A, 0x1A]
    /// The version this build writes and reads.
    public static let currentVersion = 1
    /// Bytes before the section table.
    public static let headerByteCount = 24
    /// Bytes of the CRC-32 trailer.
    public static let trailerByteCount = 4
    /// Most elements all sections may describe together: 2^26, 256 MiB as float32 (MobileNetV2
    /// has 3.5 M weights, ResNet-50 25 M). Sparse encodings leave the zeros after the last entry
    /// implicit, so without this limit a 77-byte file made a loader allocate 6.4 GB (`make fuzz`).
    public static let maxTotalElementCount = 1 << 26

    /// The sections, in file order; names are unique.
    public let sections: [ModelSection]

    /// Wraps sections, which must have unique names.
    public init(sections: [ModelSection]) {
        precondition(Set(sections.map(\.name)).count == sections.count, "section names are unique")
        self.sections = sections
    }

    /// The section called `name`.
    public func section(named name: String) throws(ModelFileError) -> ModelSection {
        guard let section = sections.first(where: { $0.name == name }) else { throw .sectionNotFound(name: name) }
        return section
    }

    /// Total payload bytes (the file without header, table and trailer).
    public var payloadByteCount: Int { sections.reduce(0) { $0 + $1.payload.count } }

    // MARK: - Writing

    /// The file's bytes.
    public func serialized() -> [UInt8] {
        let tableByteCount = sections.reduce(0) { $0 + 2 + $1.name.utf8.count + 2 + 4 * $1.shape.count + 16 }
        let payloadStart = Self.headerByteCount + tableByteCount
        let fileLength = payloadStart + payloadByteCount + Self.trailerByteCount

        var writer = ByteWriter()
        writer.write(contentsOf: Self.magic)
        writer.write(UInt16(Self.currentVersion))
        writer.write(UInt16(0))
        writer.write(UInt32(sections.count))
        writer.write(UInt64(fileLength))
        var payloadOffset = payloadStart
        for section in sections {
            writer.write(UInt16(section.name.utf8.count))
            writer.write(contentsOf: section.name.utf8)
            writer.write(section.encoding.rawValue)
            writer.write(UInt8(section.shape.count))
            for dimension in section.shape { writer.write(UInt32(dimension)) }
            writer.write(UInt64(payloadOffset))
            writer.write(UInt64(section.payload.count))
            payloadOffset += section.payload.count
        }
        for section in sections { writer.write(contentsOf: section.payload) }
        writer.write(CRC32.checksum(writer.bytes))
        return writer.bytes
    }
}
