import Testing
@testable import Compression

@Suite("Bit and byte I/O")
struct BitAndByteIOTests {
    // MARK: - Bits

    @Test("random bit fields read back exactly, in order")
    func bitFieldsRoundTrip() throws {
        var random = SeededGenerator(seed: 1)
        let widths = (0..<5000).map { _ in Int.random(in: 0...32, using: &random) }
        let values = widths.map { width in
            width == 0 ? 0 : UInt32.random(in: 0...UInt32(truncatingIfNeeded: (UInt64(1) << UInt64(width)) - 1), using: &random)
        }
        var writer = BitWriter()
        for (value, width) in zip(values, widths) { writer.write(value, bitCount: width) }
        #expect(writer.bitCount == widths.reduce(0, +))

        var reader = BitReader(writer.finishedBytes(), bitCount: writer.bitCount)
        for (value, width) in zip(values, widths) {
            #expect(try reader.read(width) == value)
        }
        #expect(reader.remainingBitCount == 0)
    }

    @Test("bits are packed most significant first and the last byte is zero-padded")
    func bitOrder() {
        var writer = BitWriter()
        writer.write(bit: true)
        writer.write(0b01, bitCount: 2)
        writer.write(0b1_1111_0000, bitCount: 9)
        // 1 | 01 | 1_1111_0000 -> 1011_1111 0000 + four padding zeros.
        #expect(writer.finishedBytes() == [0b1011_1111, 0b0000_0000])
    }

    @Test("reading past the last valid bit throws truncated")
    func readPastEnd() throws {
        var reader = BitReader([0xFF], bitCount: 5)
        #expect(try reader.read(5) == 0b11111)
        #expect(throws: CodecError.truncated(what: "bit stream")) { try reader.read(1) }
        var empty = BitReader([])
        #expect(throws: CodecError.truncated(what: "bit stream")) { try empty.readBit() }
    }

    // MARK: - Bytes

    @Test("fixed-width values and varints round-trip, extremes included")
    func bytesRoundTrip() throws {
        let varints: [UInt64] = [0, 1, 127, 128, 300, 16_383, 16_384, UInt64(UInt32.max), UInt64.max - 1, UInt64.max]
        var writer = ByteWriter()
        writer.write(UInt8(0xAB))
        writer.write(UInt16(0xBEEF))
        writer.write(UInt32(0xDEAD_BEEF))
        writer.write(UInt64.max)
        writer.write(Float(-1.5))
        writer.write(Float.greatestFiniteMagnitude)
        for value in varints { writer.writeVarint(value) }

        #expect(Array(writer.bytes[1..<3]) == [0xEF, 0xBE], "little-endian")
        var reader = ByteReader(writer.bytes)
        #expect(try reader.readUInt8("a") == 0xAB)
        #expect(try reader.readUInt16("b") == 0xBEEF)
        #expect(try reader.readUInt32("c") == 0xDEAD_BEEF)
        #expect(try reader.readUInt64("d") == UInt64.max)
        #expect(try reader.readFloat("e") == -1.5)
        #expect(try reader.readFloat("f") == Float.greatestFiniteMagnitude)
        for value in varints { #expect(try reader.readVarint("v") == value) }
        #expect(reader.isAtEnd)
    }

    @Test("a truncated read names what was being read")
    func truncatedRead() {
        var reader = ByteReader([1, 2, 3])
        #expect(throws: CodecError.truncated(what: "layer count")) { try reader.readUInt32("layer count") }
        var varint = ByteReader([0x80, 0x80])
        #expect(throws: CodecError.truncated(what: "size")) { try varint.readVarint("size") }
    }

    @Test("an over-long varint is rejected")
    func overlongVarint() {
        var elevenBytes = ByteReader([UInt8](repeating: 0xFF, count: 10) + [0x01])
        #expect(throws: CodecError.varintTooLong) { try elevenBytes.readVarint("x") }
        // 10th byte may only carry bit 63.
        var overflow = ByteReader([UInt8](repeating: 0xFF, count: 9) + [0x02])
        #expect(throws: CodecError.varintTooLong) { try overflow.readVarint("x") }
    }

    @Test("a varint outside its allowed range is rejected, naming the field")
    func varintRange() {
        var writer = ByteWriter()
        writer.writeVarint(70_000)
        var reader = ByteReader(writer.bytes)
        #expect(throws: CodecError.invalidField(name: "alphabet", value: 70_000, allowed: "0...65536")) {
            try reader.readVarint("alphabet", in: 0...65_536)
        }
    }

    // MARK: - CRC-32

    @Test("CRC-32 matches the standard check value and continues across chunks")
    func crc32() {
        let message = Array("123456789".utf8)
        #expect(CRC32.checksum(message) == 0xCBF4_3926)
        #expect(CRC32.checksum([UInt8]()) == 0)
        #expect(CRC32.update(CRC32.checksum(message[0..<4]), with: message[4...]) == 0xCBF4_3926)
    }
}
