// Little-endian byte serialization shared by the codecs and the model container.

/// Appends little-endian integers, floats, LEB128 varints and raw bytes to a growing buffer.
public struct ByteWriter: Sendable {
    /// The bytes written so far.
    public private(set) var bytes: [UInt8] = []

    /// Creates an empty writer.
    public init() {}

    // MARK: - Fixed-width values

    /// Appends one byte.
    public mutating func write(_ value: UInt8) {
        bytes.append(value)
    }

    /// Appends a 16-bit unsigned integer, little-endian.
    public mutating func write(_ value: UInt16) {
        writeLittleEndian(UInt64(value), byteCount: 2)
    }

    /// Appends a 32-bit unsigned integer, little-endian.
    public mutating func write(_ value: UInt32) {
        writeLittleEndian(UInt64(value), byteCount: 4)
    }

    /// Appends a 64-bit unsigned integer, little-endian.
    public mutating func write(_ value: UInt64) {
        writeLittleEndian(value, byteCount: 8)
    }

    /// Appends an IEEE 754 single-precision float, little-endian.
    public mutating func write(_ value: Float) {
        write(value.bitPattern)
    }

    /// Appends raw bytes unchanged.
    public mutating func write(contentsOf data: some Sequence<UInt8>) {
        bytes.append(contentsOf: data)
    }

    // MARK: - Variable-width values

    /// Appends an unsigned LEB128 varint: 7 bits per byte, low bits first, high bit = "more".
    public mutating func writeVarint(_ value: UInt64) {
        var remaining = value
        while remaining >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: remaining) | 0x80)
            remaining >>= 7
        }
        bytes.append(UInt8(remaining))
    }

    /// Appends a non-negative `Int` as an unsigned LEB128 varint.
    public mutating func writeVarint(_ value: Int) {
        precondition(value >= 0, "varints are unsigned")
        writeVarint(UInt64(value))
    }

    // MARK: - Private

    private mutating func writeLittleEndian(_ value: UInt64, byteCount: Int) {
        for byteIndex in 0..<byteCount {
            bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(8 * byteIndex)))
        }
    }
}
