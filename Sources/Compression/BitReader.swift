// Bit-level input shared by the entropy decoders.

/// Reads bit fields most-significant-bit first, the mirror of `BitWriter`.
///
/// Holds up to 64 bits in a left-aligned buffer so `peek` of up to 32 bits costs a shift, and
/// refills it with one 8-byte load away from the end of the input.
/// Bits past the end read as zero in `peek`; `consume` and `read` throw instead of passing it.
public struct BitReader: Sendable {
    private let bytes: [UInt8]
    private var nextByte = 0
    /// Buffered bits, left-aligned (the next bit is bit 63).
    private var buffer: UInt64 = 0
    private var bufferedBitCount = 0
    /// How many bits may be consumed in total.
    public let bitLimit: Int
    /// How many bits have been consumed.
    public private(set) var position = 0

    /// Reads `bytes`, of which only the first `bitCount` bits are valid (all of them by default).
    public init(_ bytes: [UInt8], bitCount: Int? = nil) {
        self.bytes = bytes
        self.bitLimit = max(0, min(bitCount ?? bytes.count * 8, bytes.count * 8))
    }

    /// How many valid bits are left.
    public var remainingBitCount: Int { bitLimit - position }

    // MARK: - Reading

    /// The next `count` bits (1...32) as an unsigned value, without consuming them.
    @inline(__always)
    public mutating func peek(_ count: Int) -> UInt32 {
        if bufferedBitCount < count { refill() }
        return UInt32(truncatingIfNeeded: buffer >> UInt64(64 - count))
    }

    /// Skips `count` bits (0...32) previously peeked.
    /// - Throws: `CodecError.truncated` when fewer than `count` valid bits are left.
    @inline(__always)
    public mutating func consume(_ count: Int) throws(CodecError) {
        guard count <= remainingBitCount else { throw .truncated(what: "bit stream") }
        if bufferedBitCount < count { refill() }
        buffer <<= UInt64(count)
        bufferedBitCount -= count
        position += count
    }

    /// Reads and consumes `count` bits (0...32).
    public mutating func read(_ count: Int) throws(CodecError) -> UInt32 {
        guard count > 0 else { return 0 }
        let value = peek(count)
        try consume(count)
        return value
    }

    /// Reads and consumes one bit.
    public mutating func readBit() throws(CodecError) -> Bool {
        try read(1) == 1
    }

    // MARK: - Private

    /// Tops the buffer up to at least 57 bits, or to the end of the input (zeros follow).
    @inline(__always)
    private mutating func refill() {
        if nextByte + 8 <= bytes.count {
            // Fast path: one unaligned 8-byte load. Bits of a partly fitting byte land below the
            // buffered count too; they are the stream's true next bits, reloaded identically later.
            let word = bytes.withUnsafeBytes { UInt64(bigEndian: $0.loadUnaligned(fromByteOffset: nextByte, as: UInt64.self)) }
            buffer |= word >> UInt64(bufferedBitCount)
            let wholeBytes = (63 - bufferedBitCount) >> 3
            nextByte += wholeBytes
            bufferedBitCount += wholeBytes << 3
            return
        }
        while bufferedBitCount <= 56 {
            if nextByte < bytes.count {
                buffer |= UInt64(bytes[nextByte]) << UInt64(56 - bufferedBitCount)
                nextByte += 1
                bufferedBitCount += 8
            } else {
                // Past the end: pretend zero bytes so peeks stay defined; consume() guards the limit.
                bufferedBitCount = 64
                return
            }
        }
    }
}
