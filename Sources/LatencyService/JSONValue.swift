import Reports

/// A small JSON value for the service's own answers (health, errors), encoded with sorted keys.
enum JSONValue: Encodable, Sendable {
    case text(String)
    case number(Double)
    case flag(Bool)
    case object([String: JSONValue])

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .text(let value): try container.encode(value)
        case .number(let value):
            if value == value.rounded(), abs(value) < 1e15 { try container.encode(Int64(value)) } else { try container.encode(value) }
        case .flag(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// The JSON text, one line, ending in a newline.
    func encoded() -> [UInt8] {
        let text = (try? JSONLineEncoder(keyStrategy: .unchanged).encode(self)) ?? Array("{}".utf8)
        return text + [UInt8(ascii: "\n")]
    }
}
