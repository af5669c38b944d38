// Reading a compressed model file: every field is checked, nothing is trusted, nothing traps.

extension CompressedModelFile {
    /// Parses a file's bytes.
    ///
    /// Checks, in order: magic, version, declared length (truncated or trailing bytes), CRC-32,
    /// then every section-table field. Payload contents are checked when a section is decoded.
    /// - Throws: `ModelFileError` naming the first problem found.
    public init(parsing bytes: [UInt8]) throws(ModelFileError) {
        let minimumLength = Self.headerByteCount + Self.trailerByteCount
        let magicPrefix = Array(bytes.prefix(Self.magic.count))
        guard magicPrefix == Array(Self.magic.prefix(magicPrefix.count)) else { throw .badMagic(found: magicPrefix) }
        guard bytes.count >= minimumLength else {
            throw .truncated(expectedBytes: UInt64(minimumLength), actualBytes: bytes.count)
        }

        // Header and table are read from the checksummed bytes only, never from the trailer.
        let checksummedCount = bytes.count - Self.trailerByteCount
        var reader = ByteReader(Array(bytes[0..<checksummedCount]), offset: Self.magic.count)
        let version = Int(try Self.field { () throws(CodecError) in try reader.readUInt16("version") })
        guard version == Self.currentVersion else {
            throw .unsupportedVersion(found: version, supported: Self.currentVersion)
        }
        let flags = try Self.field { () throws(CodecError) in try reader.readUInt16("flags") }
        let sectionCount = try Self.field { () throws(CodecError) in try reader.readUInt32("section count") }
        let declaredLength = try Self.field { () throws(CodecError) in try reader.readUInt64("file length") }
        guard declaredLength <= UInt64(bytes.count) else {
            throw .truncated(expectedBytes: declaredLength, actualBytes: bytes.count)
        }
        guard declaredLength == UInt64(bytes.count) else {
            throw .trailingBytes(declaredBytes: declaredLength, actualBytes: bytes.count)
        }

        var trailer = ByteReader(bytes, offset: checksummedCount)
        let storedChecksum = try Self.field { () throws(CodecError) in try trailer.readUInt32("checksum") }
        let computedChecksum = CRC32.checksum(bytes[0..<checksummedCount])
        guard storedChecksum == computedChecksum else {
            throw .checksumMismatch(stored: storedChecksum, computed: computedChecksum)
        }

        guard flags == 0 else { throw .malformed(field: "flags", problem: "is \(flags); no flags are defined") }
        // Each table entry takes at least 21 bytes: a bound that keeps a corrupt count from allocating.
        guard Int(sectionCount) <= checksummedCount / 21 else {
            throw .malformed(field: "section count", problem: "\(sectionCount) sections cannot fit in \(bytes.count) bytes")
        }
        self.init(sections: try Self.readSectionTable(
            count: Int(sectionCount), from: &reader, payloadEnd: checksummedCount))
    }

    /// Reads and parses the file at `path`.
    public init(contentsOf path: String) throws(ModelFileError) {
        try self.init(parsing: try FileBytes.read(path))
    }

    /// Writes the file to `path`, replacing what is there.
    public func write(to path: String) throws(ModelFileError) {
        try FileBytes.write(serialized(), to: path)
    }

    // MARK: - Private

    /// Reads the section table; payloads must follow it contiguously, in table order, up to `payloadEnd`.
    private static func readSectionTable(
        count: Int, from reader: inout ByteReader, payloadEnd: Int
    ) throws(ModelFileError) -> [ModelSection] {
        var entries = [(name: String, encoding: SectionEncoding, shape: [Int], offset: UInt64, length: UInt64)]()
        var names = Set<String>()
        var totalElementCount = 0
        for index in 0..<count {
            let label = "section \(index)"
            let nameLength = Int(try field { () throws(CodecError) in try reader.readUInt16("\(label) name length") })
            guard (1...ModelSection.maxNameByteCount).contains(nameLength) else {
                throw .malformed(field: "\(label) name length", problem: "is \(nameLength), allowed 1...\(ModelSection.maxNameByteCount)")
            }
            let nameBytes = try field { () throws(CodecError) in try reader.readBytes(nameLength, "\(label) name") }
            guard let name = String(validating: nameBytes, as: UTF8.self) else {
                throw .malformed(field: "\(label) name", problem: "is not valid UTF-8")
            }
            guard names.insert(name).inserted else {
                throw .malformed(field: "section \"\(name)\"", problem: "name appears twice")
            }
            let encodingTag = try field { () throws(CodecError) in try reader.readUInt8("\(label) encoding") }
            guard let encoding = SectionEncoding(rawValue: encodingTag) else {
                throw .malformed(field: "section \"\(name)\" encoding", problem: "unknown encoding \(encodingTag)")
            }
            let rank = Int(try field { () throws(CodecError) in try reader.readUInt8("\(label) rank") })
            guard rank <= ModelSection.maxRank else {
                throw .malformed(field: "section \"\(name)\" rank", problem: "is \(rank), allowed 0...\(ModelSection.maxRank)")
            }
            var shape = [Int]()
            var elementCount = 1
            for _ in 0..<rank {
                let dimension = Int(try field { () throws(CodecError) in try reader.readUInt32("\(label) shape") })
                let (product, overflow) = elementCount.multipliedReportingOverflow(by: dimension)
                guard !overflow, product <= Int(Int32.max) else {
                    throw .malformed(field: "section \"\(name)\" shape", problem: "more than 2^31 elements")
                }
                elementCount = product
                shape.append(dimension)
            }
            totalElementCount += elementCount
            guard totalElementCount <= maxTotalElementCount else {
                throw .malformed(
                    field: "section \"\(name)\" shape",
                    problem: "the sections describe more than \(maxTotalElementCount) elements in total")
            }
            let offset = try field { () throws(CodecError) in try reader.readUInt64("\(label) payload offset") }
            let length = try field { () throws(CodecError) in try reader.readUInt64("\(label) payload length") }
            entries.append((name, encoding, shape, offset, length))
        }

        // The reader holds only the checksummed bytes, so the table ends at or before payloadEnd.
        var expectedOffset = UInt64(reader.offset)
        guard expectedOffset <= UInt64(payloadEnd) else {
            throw .malformed(field: "section table", problem: "runs past the checksum at offset \(payloadEnd)")
        }
        var sections = [ModelSection]()
        for entry in entries {
            guard entry.offset == expectedOffset else {
                throw .malformed(field: "section \"\(entry.name)\" payload offset",
                                 problem: "is \(entry.offset), expected \(expectedOffset) (payloads are contiguous)")
            }
            guard entry.length <= UInt64(payloadEnd) - expectedOffset else {
                throw .malformed(field: "section \"\(entry.name)\" payload length",
                                 problem: "\(entry.length) bytes run past the checksum at offset \(payloadEnd)")
            }
            let start = Int(entry.offset)
            let payload = Array(reader.bytes[start..<start + Int(entry.length)])
            sections.append(ModelSection(name: entry.name, encoding: entry.encoding, shape: entry.shape, payload: payload))
            expectedOffset += entry.length
        }
        guard expectedOffset == UInt64(payloadEnd) else {
            throw .malformed(field: "payloads", problem: "end at offset \(expectedOffset), the checksum starts at \(payloadEnd)")
        }
        return sections
    }

    /// Runs a header read, turning a short read into `.malformed` (the length was checked already).
    private static func field<T>(_ read: () throws(CodecError) -> T) throws(ModelFileError) -> T {
        do {
            return try read()
        } catch {
            throw .malformed(field: "header", problem: error.description)
        }
    }
}
