// Canonical, length-limited Huffman codes (built from frequencies, or from a code-length table).

/// A canonical Huffman code over the symbols `0..<alphabetSize`.
///
/// Canonical means the codewords follow from the code lengths alone (shorter codes first, ties
/// by symbol), so only the lengths need to be stored. Lengths are limited to `maxCodeLength` bits.
public struct HuffmanCode: Sendable, Equatable {
    /// The longest codeword allowed, in bits.
    public static let maxCodeLength = 24
    /// The largest alphabet supported.
    public static let maxAlphabetSize = 1 << 16

    /// Code length of each symbol in bits; 0 means the symbol has no codeword.
    public let codeLengths: [UInt8]
    /// Canonical codeword of each symbol, right-aligned in `codeLengths[symbol]` bits.
    public let codewords: [UInt32]

    /// The number of symbols the code is defined over (used or not).
    public var alphabetSize: Int { codeLengths.count }

    /// The longest codeword in use, in bits (0 for an empty code).
    public var longestCodeLength: Int { Int(codeLengths.max() ?? 0) }

    // MARK: - Construction

    /// Builds an optimal (then length-limited) code for symbols counted `frequencies[symbol]` times.
    ///
    /// Symbols with frequency 0 get no codeword. A single used symbol gets the 1-bit codeword `0`.
    public init(frequencies: [Int]) {
        precondition(frequencies.count <= Self.maxAlphabetSize, "alphabet too large")
        precondition(frequencies.allSatisfy { $0 >= 0 }, "frequencies are counts")
        let lengths = Self.limitedCodeLengths(frequencies: frequencies)
        self.codeLengths = lengths
        self.codewords = Self.canonicalCodewords(lengths: lengths)
    }

    /// Builds the code counting the symbols of `symbols`, over `0..<alphabetSize`.
    public init(fitting symbols: [Int], alphabetSize: Int) {
        var frequencies = [Int](repeating: 0, count: alphabetSize)
        for symbol in symbols {
            precondition(symbol >= 0 && symbol < alphabetSize, "symbol outside the alphabet")
            frequencies[symbol] += 1
        }
        self.init(frequencies: frequencies)
    }

    /// Rebuilds a code from its code lengths, checking they form a prefix code.
    /// - Throws: `CodecError.codeLengthTooLong` or `.oversubscribedCodeLengths`.
    public init(codeLengths: [UInt8]) throws(CodecError) {
        guard codeLengths.count <= Self.maxAlphabetSize else {
            throw .invalidField(
                name: "Huffman alphabet size", value: codeLengths.count, allowed: "0...\(Self.maxAlphabetSize)")
        }
        var kraftSum = 0  // in units of 2^-maxCodeLength
        for (symbol, length) in codeLengths.enumerated() where length > 0 {
            guard Int(length) <= Self.maxCodeLength else {
                throw .codeLengthTooLong(symbol: symbol, length: Int(length))
            }
            kraftSum += 1 << (Self.maxCodeLength - Int(length))
        }
        guard kraftSum <= 1 << Self.maxCodeLength else { throw .oversubscribedCodeLengths }
        self.codeLengths = codeLengths
        self.codewords = Self.canonicalCodewords(lengths: codeLengths)
    }

    // MARK: - Encoding

    /// Appends the codewords of `symbols` to `writer`.
    /// - Throws: `CodecError.symbolNotInCode` for a symbol without a codeword.
    public func encode(_ symbols: [Int], into writer: inout BitWriter) throws(CodecError) {
        for symbol in symbols {
            guard symbol >= 0, symbol < codeLengths.count, codeLengths[symbol] > 0 else {
                throw .symbolNotInCode(symbol: symbol)
            }
            writer.write(codewords[symbol], bitCount: Int(codeLengths[symbol]))
        }
    }

    /// The number of bits `encode` produces for symbols counted `frequencies[symbol]` times.
    public func encodedBitCount(frequencies: [Int]) -> Int {
        zip(frequencies, codeLengths).reduce(0) { $0 + $1.0 * Int($1.1) }
    }

    // MARK: - Code-length table

    /// Appends the code-length table: a varint alphabet size, then 5 bits per length, byte-padded.
    public func serializeCodeLengths(into writer: inout ByteWriter) {
        writer.writeVarint(codeLengths.count)
        var bits = BitWriter()
        for length in codeLengths { bits.write(UInt32(length), bitCount: 5) }
        writer.write(contentsOf: bits.finishedBytes())
    }

    /// Reads a table written by `serializeCodeLengths` and rebuilds the code.
    public static func deserializeCodeLengths(from reader: inout ByteReader) throws(CodecError) -> HuffmanCode {
        let alphabetSize = try reader.readVarint("Huffman alphabet size", in: 0...maxAlphabetSize)
        let packed = try reader.readBytes((alphabetSize * 5 + 7) / 8, "Huffman code-length table")
        var bits = BitReader(packed)
        var lengths = [UInt8](repeating: 0, count: alphabetSize)
        for symbol in 0..<alphabetSize { lengths[symbol] = UInt8(try bits.read(5)) }
        return try HuffmanCode(codeLengths: lengths)
    }

    // MARK: - Private: code lengths

    /// Optimal Huffman code lengths (two-queue construction), then limited to `maxCodeLength`.
    private static func limitedCodeLengths(frequencies: [Int]) -> [UInt8] {
        var lengths = [UInt8](repeating: 0, count: frequencies.count)
        // Used symbols by ascending frequency, ties by symbol, so the construction is deterministic.
        let used = frequencies.indices.filter { frequencies[$0] > 0 }
            .sorted { (frequencies[$0], $0) < (frequencies[$1], $1) }
        guard used.count > 1 else {
            if let only = used.first { lengths[only] = 1 }
            return lengths
        }
        let leafCount = used.count
        let nodeCount = 2 * leafCount - 1
        var weight = [UInt64](repeating: 0, count: nodeCount)
        var parent = [Int](repeating: 0, count: nodeCount)
        for (leaf, symbol) in used.enumerated() { weight[leaf] = UInt64(frequencies[symbol]) }

        // Leaves come sorted and internal nodes are created in nondecreasing weight order, so the
        // two lightest nodes are always at the head of one of the two queues.
        var nextLeaf = 0
        var nextInternal = leafCount
        func takeLightest(before newNode: Int) -> Int {
            if nextLeaf < leafCount && (nextInternal >= newNode || weight[nextLeaf] <= weight[nextInternal]) {
                nextLeaf += 1
                return nextLeaf - 1
            }
            nextInternal += 1
            return nextInternal - 1
        }
        for node in leafCount..<nodeCount {
            let first = takeLightest(before: node)
            let second = takeLightest(before: node)
            weight[node] = weight[first] + weight[second]
            parent[first] = node
            parent[second] = node
        }
        // Parents are created after their children, so one backward pass gives every depth.
        var depth = [Int](repeating: 0, count: nodeCount)
        for node in stride(from: nodeCount - 2, through: 0, by: -1) { depth[node] = depth[parent[node]] + 1 }

        var leafLengths = Array(depth[0..<leafCount])
        limit(&leafLengths, to: maxCodeLength)
        for (leaf, symbol) in used.enumerated() { lengths[symbol] = UInt8(leafLengths[leaf]) }
        return lengths
    }

    /// Clamps lengths to `maximum` and lengthens the rarest short codes until the Kraft sum is at
    /// most 1 again. `lengths` are ordered rarest symbol first.
    private static func limit(_ lengths: inout [Int], to maximum: Int) {
        guard lengths.contains(where: { $0 > maximum }) else { return }
        for index in lengths.indices where lengths[index] > maximum { lengths[index] = maximum }
        let capacity = 1 << maximum
        var kraftSum = lengths.reduce(0) { $0 + (1 << (maximum - $1)) }
        while kraftSum > capacity {
            // The rarest symbol among those with the longest code still below the maximum.
            var chosen = -1
            for index in lengths.indices where lengths[index] < maximum {
                if chosen < 0 || lengths[index] > lengths[chosen] { chosen = index }
            }
            lengths[chosen] += 1
            kraftSum -= 1 << (maximum - lengths[chosen])
        }
    }

    /// Canonical codewords: by increasing length, then by symbol, counting up from zero.
    private static func canonicalCodewords(lengths: [UInt8]) -> [UInt32] {
        var codewords = [UInt32](repeating: 0, count: lengths.count)
        let order = lengths.indices.filter { lengths[$0] > 0 }.sorted { (lengths[$0], $0) < (lengths[$1], $1) }
        var code: UInt32 = 0
        var previousLength = order.first.map { Int(lengths[$0]) } ?? 0
        for symbol in order {
            let length = Int(lengths[symbol])
            code <<= UInt32(length - previousLength)
            codewords[symbol] = code
            code += 1
            previousLength = length
        }
        return codewords
    }
}
