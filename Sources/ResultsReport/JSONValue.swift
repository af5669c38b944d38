import Foundation

/// One JSON value as a record line holds it: the report reads records generically, so that a
/// record type it does not know, or a field a newer edgeprobe added, is shown rather than lost.
public enum JSONValue: Sendable, Equatable, Decodable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// Parses one line of JSON text.
    public static func parse(_ line: Substring) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(line.utf8))
    }

    /// The member `key` of an object; `nil` for a missing key or a value that is not an object.
    public subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    /// The value as a number; `nil` for `null` or anything else.
    public var number: Double? {
        if case .number(let value) = self { return value }
        return nil
    }

    /// The value as an integer, when it is a whole number.
    public var int: Int? {
        guard let number, number.rounded() == number, abs(number) < 9e15 else { return nil }
        return Int(number)
    }

    /// The value as a string.
    public var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The value as a boolean.
    public var bool: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The elements of an array (empty for anything else).
    public var array: [JSONValue] {
        if case .array(let elements) = self { return elements }
        return []
    }

    /// The members of an object (empty for anything else).
    public var object: [String: JSONValue] {
        if case .object(let members) = self { return members }
        return [:]
    }

    /// Compact JSON text of the value, keys sorted, for showing a value the report has no view for.
    public var compactText: String {
        switch self {
        case .null: return "null"
        case .bool(let value): return value ? "true" : "false"
        case .number(let value): return NumberText.plain(value)
        case .string(let value):
            let escaped = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            return "\"\(escaped)\""
        case .array(let elements): return "[" + elements.map(\.compactText).joined(separator: ",") + "]"
        case .object(let members):
            return "{" + members.keys.sorted().map { "\"\($0)\":" + members[$0]!.compactText }.joined(separator: ",") + "}"
        }
    }
}
