// Errors of the compressed model container: every case names the problem and where it is.

/// Why a compressed model file could not be read.
public enum ModelFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file is shorter than its header or its declared length says.
    case truncated(expectedBytes: UInt64, actualBytes: Int)
    /// The file does not start with the container's magic bytes.
    case badMagic(found: [UInt8])
    /// The container version is not one this build reads.
    case unsupportedVersion(found: Int, supported: Int)
    /// The file is longer than its declared length.
    case trailingBytes(declaredBytes: UInt64, actualBytes: Int)
    /// The stored CRC-32 does not match the bytes: the file is corrupt.
    case checksumMismatch(stored: UInt32, computed: UInt32)
    /// A header or section-table field holds an impossible value.
    case malformed(field: String, problem: String)
    /// A section's payload does not decode as its encoding says.
    case invalidPayload(section: String, reason: CodecError)
    /// No section has the requested name.
    case sectionNotFound(name: String)
    /// The file could not be read or written.
    case io(path: String, reason: String)

    /// A one-line explanation naming the problem.
    public var description: String {
        switch self {
        case .truncated(let expected, let actual):
            "compressed model file is truncated: expected \(expected) bytes, found \(actual)"
        case .badMagic(let found):
            "not a compressed model file: wrong magic bytes \(found.map { hex($0) }.joined(separator: " "))"
        case .unsupportedVersion(let found, let supported):
            "compressed model file has version \(found); this build reads version \(supported)"
        case .trailingBytes(let declared, let actual):
            "compressed model file has \(actual) bytes but its header declares \(declared)"
        case .checksumMismatch(let stored, let computed):
            "compressed model file is corrupt: CRC-32 is \(hex(computed)), header says \(hex(stored))"
        case .malformed(let field, let problem):
            "compressed model file: \(field): \(problem)"
        case .invalidPayload(let section, let reason):
            "compressed model file: section \"\(section)\": \(reason)"
        case .sectionNotFound(let name):
            "compressed model file has no section \"\(name)\""
        case .io(let path, let reason):
            "cannot access compressed model file \(path): \(reason)"
        }
    }
}

/// Hexadecimal with a 0x prefix.
private func hex(_ value: some BinaryInteger) -> String {
    "0x" + String(value, radix: 16)
}
