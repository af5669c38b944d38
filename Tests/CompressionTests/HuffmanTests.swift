import Testing
@testable import Compression

@Suite("Huffman coding")
struct HuffmanTests {
    /// Kraft sum of a code, times 2^maxCodeLength (a prefix code has at most 2^maxCodeLength).
    private func kraftSum(_ code: HuffmanCode) -> Int {
        code.codeLengths.filter { $0 > 0 }.reduce(0) { $0 + 1 << (HuffmanCode.maxCodeLength - Int($1)) }
    }

    // MARK: - Round trips

    @Test("random symbol sequences round-trip exactly", arguments: [
        (seed: UInt64(1), count: 1, alphabet: 2), (2, 10, 3), (3, 1000, 16), (4, 5000, 256), (5, 3000, 4096),
    ])
    func randomRoundTrip(seed: UInt64, count: Int, alphabet: Int) throws {
        var random = SeededGenerator(seed: seed)
        let symbols = (0..<count).map { _ in Int.random(in: 0..<alphabet, using: &random) }
        let block = HuffmanCoding.encode(symbols, alphabetSize: alphabet)
        #expect(try HuffmanCoding.decode(block) == symbols)
    }

    @Test("skewed symbol sequences round-trip and compress below fixed-width coding")
    func skewedRoundTrip() throws {
        var random = SeededGenerator(seed: 6)
        let symbols = random.skewedSymbols(20_000, alphabetSize: 32)
        let block = HuffmanCoding.encode(symbols, alphabetSize: 32)
        #expect(try HuffmanCoding.decode(block) == symbols)
        // 5 bits per symbol fixed width; this source has about 2 bits of entropy per symbol.
        #expect(block.count * 8 < symbols.count * 5 / 2)
    }

    @Test("the empty sequence round-trips")
    func emptyInput() throws {
        let block = HuffmanCoding.encode([], alphabetSize: 0)
        #expect(try HuffmanCoding.decode(block) == [])
        let withAlphabet = HuffmanCoding.encode([], alphabetSize: 16)
        #expect(try HuffmanCoding.decode(withAlphabet) == [])
    }

    @Test("a single-symbol alphabet gets a 1-bit code and round-trips")
    func singleSymbol() throws {
        let symbols = [Int](repeating: 7, count: 1000)
        let code = HuffmanCode(fitting: symbols, alphabetSize: 8)
        #expect(code.codeLengths[7] == 1)
        #expect(code.codeLengths.filter { $0 > 0 }.count == 1)
        #expect(try HuffmanCoding.decode(HuffmanCoding.encode(symbols, alphabetSize: 8)) == symbols)
    }

    // MARK: - Code properties

    @Test("code lengths are optimal: average length within 1 bit of the entropy, Kraft sum 1")
    func optimality() {
        let frequencies = [45, 13, 12, 16, 9, 5]  // the textbook (CLRS) example
        let code = HuffmanCode(frequencies: frequencies)
        #expect(code.codeLengths == [1, 3, 3, 3, 4, 4])
        #expect(code.encodedBitCount(frequencies: frequencies) == 224)
        #expect(kraftSum(code) == 1 << HuffmanCode.maxCodeLength)
    }

    @Test("canonical codewords: shorter first, consecutive within a length, prefix-free")
    func canonicalCodewords() {
        let code = HuffmanCode(frequencies: [45, 13, 12, 16, 9, 5])
        #expect(code.codewords == [0b0, 0b100, 0b101, 0b110, 0b1110, 0b1111])
    }

    @Test("Fibonacci frequencies are limited to the maximum length and still round-trip")
    func lengthLimit() throws {
        // Fibonacci counts give the deepest possible Huffman tree: 39 symbols -> depth 38.
        var frequencies = [1, 1]
        while frequencies.count < 39 { frequencies.append(frequencies[frequencies.count - 1] + frequencies[frequencies.count - 2]) }
        let code = HuffmanCode(frequencies: frequencies)
        #expect(code.longestCodeLength == HuffmanCode.maxCodeLength)
        #expect(kraftSum(code) <= 1 << HuffmanCode.maxCodeLength)
        #expect(code.codeLengths.allSatisfy { $0 > 0 })

        // Decode through the slow (longer than the lookup table) path with the real code.
        var random = SeededGenerator(seed: 7)
        let symbols = (0..<3000).map { _ in Int.random(in: 0..<39, using: &random) }
        var writer = BitWriter()
        try code.encode(symbols, into: &writer)
        var reader = BitReader(writer.finishedBytes(), bitCount: writer.bitCount)
        #expect(try HuffmanDecoder(code).decode(count: symbols.count, from: &reader) == symbols)
    }

    @Test("the code-length table round-trips")
    func codeLengthTable() throws {
        var random = SeededGenerator(seed: 8)
        let code = HuffmanCode(fitting: random.skewedSymbols(500, alphabetSize: 40), alphabetSize: 300)
        var writer = ByteWriter()
        code.serializeCodeLengths(into: &writer)
        var reader = ByteReader(writer.bytes)
        #expect(try HuffmanCode.deserializeCodeLengths(from: &reader) == code)
        #expect(reader.isAtEnd)
    }

    // MARK: - Bad input

    @Test("oversubscribed or too long code lengths are rejected")
    func invalidLengths() {
        #expect(throws: CodecError.oversubscribedCodeLengths) { try HuffmanCode(codeLengths: [1, 1, 1]) }
        #expect(throws: CodecError.codeLengthTooLong(symbol: 1, length: 25)) { try HuffmanCode(codeLengths: [1, 25]) }
    }

    @Test("bits that are no codeword, or a stream cut short, are errors")
    func invalidStreams() throws {
        // Single-symbol code: only the bit 0 is a codeword.
        let single = try HuffmanCode(codeLengths: [1])
        var ones = BitReader([0xFF])
        #expect(throws: CodecError.invalidCode(bitOffset: 0)) { try HuffmanDecoder(single).decodeSymbol(from: &ones) }

        let code = HuffmanCode(frequencies: [45, 13, 12, 16, 9, 5])
        var writer = BitWriter()
        try code.encode([5, 5, 5], into: &writer)  // 12 bits
        var cut = BitReader(writer.finishedBytes(), bitCount: 10)
        #expect(throws: CodecError.truncated(what: "bit stream")) { try HuffmanDecoder(code).decode(count: 3, from: &cut) }

        #expect(throws: CodecError.symbolNotInCode(symbol: 9)) { try code.encode([9], into: &writer) }
    }

    @Test("every truncation of a block is an error, never a crash or a wrong result")
    func truncatedBlocks() {
        var random = SeededGenerator(seed: 9)
        let block = HuffmanCoding.encode(random.skewedSymbols(300, alphabetSize: 20), alphabetSize: 20)
        for length in 0..<block.count {
            #expect(throws: CodecError.self) { try HuffmanCoding.decode(Array(block[0..<length])) }
        }
    }

    @Test("random bytes and damaged blocks decode or fail cleanly: never a crash")
    func garbageInput() {
        var random = SeededGenerator(seed: 10)
        let valid = HuffmanCoding.encode(random.skewedSymbols(400, alphabetSize: 24), alphabetSize: 24)
        var failures = 0
        for trial in 0..<2000 {
            var bytes: [UInt8]
            if trial % 2 == 0 {
                bytes = (0..<Int.random(in: 0...64, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            } else {
                bytes = valid
                bytes[Int.random(in: 0..<bytes.count, using: &random)] ^= UInt8.random(in: 1...255, using: &random)
            }
            do {
                let symbols = try HuffmanCoding.decode(bytes)
                // A block that happens to decode yields in-alphabet symbols, at most one per bit.
                #expect(symbols.allSatisfy { $0 >= 0 && $0 < HuffmanCode.maxAlphabetSize })
                #expect(symbols.count <= bytes.count * 8)
            } catch {
                failures += 1
            }
        }
        #expect(failures > 1000)
    }
}
