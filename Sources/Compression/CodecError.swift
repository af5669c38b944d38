// Errors raised while decoding bytes produced by this module's codecs.

/// Why a codec could not decode its input; every case names what was wrong.
public enum CodecError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The input ended before `what` could be read completely.
    case truncated(what: String)
    /// A variable-length integer ran past 10 bytes or past 64 bits.
    case varintTooLong
    /// A Huffman code length larger than the supported maximum.
    case codeLengthTooLong(symbol: Int, length: Int)
    /// The code lengths describe more codes than fit (Kraft sum above 1): not a prefix code.
    case oversubscribedCodeLengths
    /// A bit pattern that is no codeword of the Huffman code.
    case invalidCode(bitOffset: Int)
    /// The input holds a symbol the Huffman code has no codeword for.
    case symbolNotInCode(symbol: Int)
    /// A field holds a value outside its allowed range.
    case invalidField(name: String, value: Int, allowed: String)

    /// A one-line explanation naming the field or the problem.
    public var description: String {
        switch self {
        case .truncated(let what):
            "input ended inside \(what)"
        case .varintTooLong:
            "variable-length integer longer than 64 bits"
        case .codeLengthTooLong(let symbol, let length):
            "Huffman code length \(length) of symbol \(symbol) exceeds the maximum \(HuffmanCode.maxCodeLength)"
        case .oversubscribedCodeLengths:
            "Huffman code lengths are oversubscribed (Kraft sum above 1): not a prefix code"
        case .invalidCode(let bitOffset):
            "no Huffman codeword matches the bits at bit offset \(bitOffset)"
        case .symbolNotInCode(let symbol):
            "symbol \(symbol) has no codeword in this Huffman code"
        case .invalidField(let name, let value, let allowed):
            "field \(name) is \(value), allowed: \(allowed)"
        }
    }
}
