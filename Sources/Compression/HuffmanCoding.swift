// Self-describing Huffman-coded blocks: the code-length table travels with the bits.

/// Compresses a symbol sequence into one self-contained byte block and back.
///
/// Block layout: varint symbol count, the code-length table (`HuffmanCode.serializeCodeLengths`),
/// varint bit count, then the bit stream (MSB-first, zero-padded to a byte).
public enum HuffmanCoding {
    /// Encodes `symbols` (each in `0..<alphabetSize`) with a code fitted to their frequencies.
    public static func encode(_ symbols: [Int], alphabetSize: Int) -> [UInt8] {
        var writer = ByteWriter()
        encode(symbols, alphabetSize: alphabetSize, into: &writer)
        return writer.bytes
    }

    /// Appends the block for `symbols` to `writer`.
    public static func encode(_ symbols: [Int], alphabetSize: Int, into writer: inout ByteWriter) {
        let code = HuffmanCode(fitting: symbols, alphabetSize: alphabetSize)
        var bits = BitWriter()
        do {
            try code.encode(symbols, into: &bits)
        } catch {
            preconditionFailure("a code fitted to the symbols has a codeword for each: \(error)")
        }
        writer.writeVarint(symbols.count)
        code.serializeCodeLengths(into: &writer)
        writer.writeVarint(bits.bitCount)
        writer.write(contentsOf: bits.finishedBytes())
    }

    /// Decodes a block produced by `encode`.
    public static func decode(_ bytes: [UInt8]) throws(CodecError) -> [Int] {
        var reader = ByteReader(bytes)
        let symbols = try decode(from: &reader)
        guard reader.isAtEnd else {
            throw .invalidField(name: "bytes after the Huffman block", value: reader.remainingCount, allowed: "0")
        }
        return symbols
    }

    /// Decodes one block from `reader`, leaving it just past the block.
    public static func decode(from reader: inout ByteReader) throws(CodecError) -> [Int] {
        let symbolCount = try reader.readVarint("Huffman symbol count", in: 0...Int(Int32.max))
        let code = try HuffmanCode.deserializeCodeLengths(from: &reader)
        let bitCount = try reader.readVarint("Huffman bit count", in: 0...(reader.remainingCount * 8))
        // Every codeword has at least one bit: a larger count is corrupt (and must not allocate).
        guard symbolCount <= bitCount else {
            throw .invalidField(name: "Huffman symbol count", value: symbolCount, allowed: "0...\(bitCount) (the bit count)")
        }
        let payload = try reader.readBytes((bitCount + 7) / 8, "Huffman bit stream")
        var bits = BitReader(payload, bitCount: bitCount)
        let symbols = try HuffmanDecoder(code).decode(count: symbolCount, from: &bits)
        guard bits.remainingBitCount == 0 else {
            throw .invalidField(name: "unused Huffman bits", value: bits.remainingBitCount, allowed: "0")
        }
        return symbols
    }
}
