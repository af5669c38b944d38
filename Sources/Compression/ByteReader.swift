// Bounds-checked little-endian reading. The module builds with -Ounchecked, where array
// subscripts are not checked, so every read here checks its bounds itself and throws.

/// Reads little-endian values from a byte buffer, throwing `CodecError.truncated` instead of
/// reading past the end.
public struct ByteReader: Sendable {
    /// The whole buffer being read.
    public let bytes: [UInt8]
    /// The offset of the next byte to read.
    public private(set) var offset: Int

    /// Starts reading `bytes` at `offset`.
    public init(_ bytes: [UInt8], offset: Int = 0) {
        self.bytes = bytes
        self.offset = max(0, min(offset, bytes.count))
    }

    /// How many bytes are left after `offset`.
    public var remainingCount: Int { bytes.count - offset }

    /// Whether every byte has been read.
    public var isAtEnd: Bool { offset == bytes.count }

    // MARK: - Fixed-width values

    /// Reads one byte.
    public mutating func readUInt8(_ what: String) throws(CodecError) -> UInt8 {
        try requireBytes(1, what)
        defer { offset += 1 }
        return bytes[offset]
    }

    /// Reads a little-endian 16-bit unsigned integer.
    public mutating func readUInt16(_ what: String) throws(CodecError) -> UInt16 {
        UInt16(try readLittleEndian(byteCount: 2, what))
    }

    /// Reads a little-endian 32-bit unsigned integer.
    public mutating func readUInt32(_ what: String) throws(CodecError) -> UInt32 {
        UInt32(try readLittleEndian(byteCount: 4, what))
    }

    /// Reads a little-endian 64-bit unsigned integer.
    public mutating func readUInt64(_ what: String) throws(CodecError) -> UInt64 {
        try readLittleEndian(byteCount: 8, what)
    }

    /// Reads a little-endian IEEE 754 single-precision float.
    public mutating func readFloat(_ what: String) throws(CodecError) -> Float {
        Float(bitPattern: try readUInt32(what))
    }

    /// Reads `count` raw bytes.
    public mutating func readBytes(_ count: Int, _ what: String) throws(CodecError) -> [UInt8] {
        try requireBytes(count, what)
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    // MARK: - Variable-width values

    /// Reads an unsigned LEB128 varint (at most 10 bytes, at most 64 bits).
    public mutating func readVarint(_ what: String) throws(CodecError) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try readUInt8(what)
            let payload = UInt64(byte & 0x7F)
            if shift == 63 && payload > 1 { throw .varintTooLong }
            value |= payload << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
            if shift > 63 { throw .varintTooLong }
        }
    }

    /// Reads a varint that must lie in `range`, as an `Int`.
    public mutating func readVarint(_ what: String, in range: ClosedRange<Int>) throws(CodecError) -> Int {
        let value = try readVarint(what)
        guard value <= UInt64(range.upperBound), Int(value) >= range.lowerBound else {
            throw .invalidField(
                name: what, value: value > UInt64(Int.max) ? Int.max : Int(value),
                allowed: "\(range.lowerBound)...\(range.upperBound)")
        }
        return Int(value)
    }

    // MARK: - Private

    private func requireBytes(_ count: Int, _ what: String) throws(CodecError) {
        guard count >= 0, count <= remainingCount else { throw .truncated(what: what) }
    }

    private mutating func readLittleEndian(byteCount: Int, _ what: String) throws(CodecError) -> UInt64 {
        try requireBytes(byteCount, what)
        var value: UInt64 = 0
        for byteIndex in 0..<byteCount {
            value |= UInt64(bytes[offset + byteIndex]) << UInt64(8 * byteIndex)
        }
        offset += byteCount
        return value
    }
}
