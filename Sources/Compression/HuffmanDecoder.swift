// Table-driven decoding of canonical Huffman codes.

/// Decodes a `HuffmanCode` bit stream.
///
/// Codewords up to `lookupBits` long are decoded with one table lookup on the next
/// `lookupBits` bits; longer ones fall back to the canonical per-length search.
public struct HuffmanDecoder: Sendable {
    /// Bits resolved by the lookup table (at most 10: a 1024-entry table).
    public let lookupBits: Int
    /// Entry per `lookupBits`-bit prefix: `symbol << 8 | length`, or 0 when the codeword is longer.
    private let table: [UInt32]
    private let longestCodeLength: Int
    /// Canonical decoding per length: first codeword, codeword count, and start in `sortedSymbols`.
    private let firstCodeword: [UInt32]
    private let codewordCount: [UInt32]
    private let firstIndex: [Int]
    /// Used symbols sorted by (length, symbol): the canonical order.
    private let sortedSymbols: [Int]

    /// Prepares the lookup tables for `code`.
    public init(_ code: HuffmanCode) {
        let longest = code.longestCodeLength
        longestCodeLength = longest
        lookupBits = min(longest, 10)

        var counts = [UInt32](repeating: 0, count: longest + 1)
        for length in code.codeLengths where length > 0 { counts[Int(length)] += 1 }
        var first = [UInt32](repeating: 0, count: longest + 1)
        var start = [Int](repeating: 0, count: longest + 1)
        var codeword: UInt32 = 0
        var index = 0
        for length in stride(from: 1, through: longest, by: 1) {
            first[length] = codeword
            start[length] = index
            codeword = (codeword + counts[length]) << 1
            index += Int(counts[length])
        }
        codewordCount = counts
        firstCodeword = first
        firstIndex = start
        sortedSymbols = code.codeLengths.indices.filter { code.codeLengths[$0] > 0 }
            .sorted { (code.codeLengths[$0], $0) < (code.codeLengths[$1], $1) }

        var table = [UInt32](repeating: 0, count: 1 << lookupBits)
        for symbol in sortedSymbols {
            let length = Int(code.codeLengths[symbol])
            guard length <= lookupBits else { continue }
            let spread = lookupBits - length
            let prefix = Int(code.codewords[symbol]) << spread
            for entry in prefix..<(prefix + (1 << spread)) {
                table[entry] = UInt32(symbol) << 8 | UInt32(length)
            }
        }
        self.table = table
    }

    // MARK: - Decoding

    /// Decodes one symbol.
    /// - Throws: `CodecError.invalidCode` for bits that match no codeword, `.truncated` at the end.
    @inline(__always)
    public func decodeSymbol(from reader: inout BitReader) throws(CodecError) -> Int {
        guard longestCodeLength > 0 else { throw .invalidCode(bitOffset: reader.position) }
        let entry = table[Int(reader.peek(lookupBits))]
        if entry != 0 {
            try reader.consume(Int(entry & 0xFF))
            return Int(entry >> 8)
        }
        return try decodeLongSymbol(from: &reader)
    }

    /// Decodes `count` symbols.
    public func decode(count: Int, from reader: inout BitReader) throws(CodecError) -> [Int] {
        var symbols = [Int]()
        symbols.reserveCapacity(count)
        for _ in 0..<count { symbols.append(try decodeSymbol(from: &reader)) }
        return symbols
    }

    // MARK: - Private

    /// The canonical search over lengths above `lookupBits`.
    private func decodeLongSymbol(from reader: inout BitReader) throws(CodecError) -> Int {
        let bits = reader.peek(longestCodeLength)
        var length = lookupBits + 1
        while length <= longestCodeLength {
            let codeword = bits >> UInt32(longestCodeLength - length)
            let offset = codeword &- firstCodeword[length]
            if codeword >= firstCodeword[length] && offset < codewordCount[length] {
                try reader.consume(length)
                return sortedSymbols[firstIndex[length] + Int(offset)]
            }
            length += 1
        }
        throw .invalidCode(bitOffset: reader.position)
    }
}
