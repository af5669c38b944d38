// Decoding section payloads back into weights, checking every count against the shape.

extension ModelSection {
    /// The weights as dense float32 (int8 dequantized, shared weights looked up, zeros restored).
    /// - Throws: `ModelFileError.invalidPayload` naming this section and the problem.
    public func decodedWeights() throws(ModelFileError) -> [Float] {
        try decoding { (reader: inout ByteReader) throws(CodecError) -> [Float] in
            switch encoding {
            case .float32: try readFloats(elementCount, "float32 weights", from: &reader)
            case .int8PerChannel: try readInt8(from: &reader).dequantized()
            case .sharedWeights: try readSharedWeights(from: &reader).reconstructed()
            case .sparseSharedWeights: try readSparseSharedWeights(from: &reader).dense()
            case .sparseFloat32: try readSparseFloat32(from: &reader).dense()
            case .bytes: throw .invalidField(name: "encoding", value: Int(encoding.rawValue), allowed: "a weight encoding")
            }
        }
    }

    /// The int8 values and per-channel scales of an `int8PerChannel` section.
    public func decodedInt8() throws(ModelFileError) -> PerChannelQuantizedWeights {
        try decoding { (reader: inout ByteReader) throws(CodecError) in
            try requireEncoding(.int8PerChannel)
            return try readInt8(from: &reader)
        }
    }

    /// The codebook and per-weight indices of a `sharedWeights` section (for kernels that look
    /// weights up on the fly).
    public func decodedSharedWeights() throws(ModelFileError) -> SharedWeights {
        try decoding { (reader: inout ByteReader) throws(CodecError) in
            try requireEncoding(.sharedWeights)
            return try readSharedWeights(from: &reader)
        }
    }

    // MARK: - Payload readers

    private func readInt8(from reader: inout ByteReader) throws(CodecError) -> PerChannelQuantizedWeights {
        let channels = Int(try reader.readUInt32("int8 channel count"))
        guard let outputChannels = shape.first, channels == outputChannels, channels > 0,
              elementCount % channels == 0 else {
            throw .invalidField(name: "int8 channel count", value: channels,
                                allowed: "\(shape.first ?? 0) (the first dimension)")
        }
        let scales = try readFloats(channels, "int8 scales", from: &reader)
        guard scales.allSatisfy({ $0 > 0 && $0.isFinite }) else {
            throw .invalidField(name: "int8 scale", value: 0, allowed: "positive and finite")
        }
        let values = try reader.readBytes(elementCount, "int8 weights").map { Int8(bitPattern: $0) }
        return PerChannelQuantizedWeights(values: values, scales: scales)
    }

    private func readSharedWeights(from reader: inout ByteReader) throws(CodecError) -> SharedWeights {
        let bits = try readBits("shared-weight bits", from: &reader, allowed: 1...8)
        let codebook = try readFloats(1 << bits, "codebook", from: &reader)
        let indices = try HuffmanCoding.decode(from: &reader)
        try requireCount(indices.count, elementCount, "shared-weight index count")
        guard indices.allSatisfy({ $0 < 1 << bits }) else {
            throw .invalidField(name: "shared-weight index", value: indices.max() ?? 0, allowed: "0..<\(1 << bits)")
        }
        return SharedWeights(codebook: codebook, indices: indices.map { UInt8($0) })
    }

    private func readSparseSharedWeights(from reader: inout ByteReader) throws(CodecError) -> RelativeIndexedSparse {
        let bits = try readBits("shared-weight bits", from: &reader, allowed: 1...8)
        let gapBits = try readBits("gap bits", from: &reader, allowed: 1...16)
        let codebook = try readFloats(1 << bits, "codebook", from: &reader)
        let symbols = try HuffmanCoding.decode(from: &reader)
        let gaps = try HuffmanCoding.decode(from: &reader)
        try requireCount(symbols.count, gaps.count, "sparse index count")
        let filler = 1 << bits
        var values = [Float]()
        values.reserveCapacity(symbols.count)
        for symbol in symbols {
            guard symbol <= filler else {
                throw .invalidField(name: "shared-weight index", value: symbol, allowed: "0...\(filler)")
            }
            values.append(symbol == filler ? 0 : codebook[symbol])
        }
        return try RelativeIndexedSparse(count: elementCount, gapBits: gapBits, storedGaps: gaps, values: values)
    }

    private func readSparseFloat32(from reader: inout ByteReader) throws(CodecError) -> RelativeIndexedSparse {
        let gapBits = try readBits("gap bits", from: &reader, allowed: 1...16)
        let gaps = try HuffmanCoding.decode(from: &reader)
        let values = try readFloats(gaps.count, "sparse values", from: &reader)
        return try RelativeIndexedSparse(count: elementCount, gapBits: gapBits, storedGaps: gaps, values: values)
    }

    // MARK: - Helpers

    private func readFloats(_ count: Int, _ what: String, from reader: inout ByteReader) throws(CodecError) -> [Float] {
        guard count <= reader.remainingCount / 4 else { throw .truncated(what: what) }
        var values = [Float]()
        values.reserveCapacity(count)
        for _ in 0..<count { values.append(try reader.readFloat(what)) }
        return values
    }

    private func readBits(_ what: String, from reader: inout ByteReader, allowed: ClosedRange<Int>) throws(CodecError) -> Int {
        let bits = Int(try reader.readUInt8(what))
        guard allowed.contains(bits) else {
            throw .invalidField(name: what, value: bits, allowed: "\(allowed.lowerBound)...\(allowed.upperBound)")
        }
        return bits
    }

    private func requireCount(_ found: Int, _ expected: Int, _ what: String) throws(CodecError) {
        guard found == expected else { throw .invalidField(name: what, value: found, allowed: "\(expected)") }
    }

    private func requireEncoding(_ expected: SectionEncoding) throws(CodecError) {
        guard encoding == expected else {
            throw .invalidField(name: "encoding", value: Int(encoding.rawValue), allowed: "\(expected.rawValue) (\(expected))")
        }
    }

    /// Runs `decode` on a reader of the whole payload, which it must read to the end, naming this
    /// section in any error.
    private func decoding<T>(_ decode: (inout ByteReader) throws(CodecError) -> T) throws(ModelFileError) -> T {
        do throws(CodecError) {
            var reader = ByteReader(payload)
            let value = try decode(&reader)
            guard reader.isAtEnd else {
                throw .invalidField(name: "bytes after the payload", value: reader.remainingCount, allowed: "0")
            }
            return value
        } catch {
            throw .invalidPayload(section: name, reason: error)
        }
    }
}
