/// The JSON spelling of scalars, as `JSONEncoder` writes them with `.withoutEscapingSlashes`.
enum JSONText {
    /// Appends `value` as a JSON string: quotes, backslashes and control characters escaped,
    /// everything else (including `/` and non-ASCII) written as its UTF-8 bytes.
    static func appendString(_ value: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { bytes in
            if bytes.contains(where: needsEscape) {
                for byte in bytes { appendEscaped(byte, to: &output) }
            } else {
                output.append(contentsOf: bytes)
            }
        }
        output.append(UInt8(ascii: "\""))
    }

    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    private static func appendEscaped(_ byte: UInt8, to output: inout [UInt8]) {
        switch byte {
        case UInt8(ascii: "\""): output.append(contentsOf: #"\""#.utf8)
        case UInt8(ascii: "\\"): output.append(contentsOf: #"\\"#.utf8)
        case 0x0A: output.append(contentsOf: #"\n"#.utf8)
        case 0x0D: output.append(contentsOf: #"\r"#.utf8)
        case 0x09: output.append(contentsOf: #"\t"#.utf8)
        case 0x08: output.append(contentsOf: #"\b"#.utf8)
        case 0x0C: output.append(contentsOf: #"\f"#.utf8)
        case 0x00..<0x20:
            output.append(contentsOf: #"\u00"#.utf8)
            output.append(hexDigit(byte >> 4))
            output.append(hexDigit(byte & 0x0F))
        default: output.append(byte)
        }
    }

    /// Appends a finite floating-point number in its shortest round-trip form, without a
    /// trailing `.0` (`48`, `12.5`, `1e-05`). The caller has refused NaN and infinities.
    static func appendNumber<F: BinaryFloatingPoint & LosslessStringConvertible>(_ value: F, to output: inout [UInt8]) {
        let text = value.description
        let utf8 = text.utf8
        if utf8.count > 2, text.hasSuffix(".0") {
            output.append(contentsOf: utf8.dropLast(2))
        } else {
            output.append(contentsOf: utf8)
        }
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }
}
