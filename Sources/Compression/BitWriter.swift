// Bit-level output shared by the entropy coders.

/// Appends bit fields most-significant-bit first: the first bit written becomes bit 7 of byte 0.
public struct BitWriter: Sendable {
    /// The completed bytes (without the partial last byte; see `finishedBytes()`).
    public private(set) var bytes: [UInt8] = []
    /// How many bits have been written in total.
    public private(set) var bitCount = 0

    /// Bits not yet flushed to `bytes`, right-aligned; fewer than 8 between calls.
    private var pendingBits: UInt64 = 0
    private var pendingBitCount = 0

    /// Creates an empty writer.
    public init() {}

    // MARK: - Writing

    /// Appends the low `count` bits of `value` (0...32), most significant first.
    public mutating func write(_ value: UInt32, bitCount count: Int) {
        precondition(count >= 0 && count <= 32, "a bit field has 0...32 bits")
        guard count > 0 else { return }
        let field = UInt64(value) & ((1 << UInt64(count)) - 1)
        pendingBits = (pendingBits << UInt64(count)) | field
        pendingBitCount += count
        bitCount += count
        while pendingBitCount >= 8 {
            pendingBitCount -= 8
            bytes.append(UInt8(truncatingIfNeeded: pendingBits >> UInt64(pendingBitCount)))
        }
        pendingBits &= (1 << UInt64(pendingBitCount)) - 1
    }

    /// Appends one bit.
    public mutating func write(bit: Bool) {
        write(bit ? 1 : 0, bitCount: 1)
    }

    // MARK: - Finishing

    /// The bytes written, the last one padded with zero bits.
    public func finishedBytes() -> [UInt8] {
        guard pendingBitCount > 0 else { return bytes }
        return bytes + [UInt8(truncatingIfNeeded: pendingBits << UInt64(8 - pendingBitCount))]
    }
}
