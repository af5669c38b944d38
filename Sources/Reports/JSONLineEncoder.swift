import Synchronization

/// Encodes an `Encodable` value as one line of compact JSON with sorted keys, without Foundation.
///
/// It writes what `JSONEncoder` with `[.sortedKeys, .withoutEscapingSlashes]` writes (and, with
/// `.snakeCase`, `.convertToSnakeCase`), at a fraction of its cost: a long-running sampler
/// encodes a record every second, and Foundation's encoder spent ~250 µs and pulled ~2 MiB of
/// code and heap into the resident set per tick. Like `JSONEncoder`, `String`-keyed dictionaries
/// keep their keys as they are; NaN and infinities throw `EncodingError.invalidValue`.
public struct JSONLineEncoder: Sendable {
    /// How Swift property names become JSON keys.
    public enum KeyStrategy: Sendable {
        /// Keys as the type spells them.
        case unchanged
        /// `latencyUs` → `latency_us`, as `JSONEncoder.KeyEncodingStrategy.convertToSnakeCase`.
        case snakeCase
    }

    /// How property names become keys.
    public var keyStrategy: KeyStrategy

    /// An encoder using `keyStrategy`.
    public init(keyStrategy: KeyStrategy = .snakeCase) {
        self.keyStrategy = keyStrategy
    }

    /// The JSON text of `value` (no trailing newline).
    public func encode<Value: Encodable>(_ value: Value) throws -> [UInt8] {
        let root = JSONNode()
        try TreeEncoder(node: root, codingPath: [], snakeCase: keyStrategy == .snakeCase).encodeValue(value)
        var output: [UInt8] = []
        output.reserveCapacity(1024)
        root.write(to: &output)
        return output
    }
}

/// Recognises the key type `Dictionary.encode(to:)` uses (the standard library's
/// `_DictionaryCodingKey`): a dictionary's keys are data, not property names, and are never
/// converted. One lookup per container type instead of a dynamic cast per value.
enum DictionaryKeys {
    private static let known = Mutex<[ObjectIdentifier: Bool]>([:])

    /// Whether `Key` is the key type of a `Dictionary`'s keyed container.
    static func areData<Key: CodingKey>(_ key: Key.Type) -> Bool {
        let identifier = ObjectIdentifier(key)
        if let answer = known.withLock({ $0[identifier] }) { return answer }
        let answer = String(reflecting: key) == "Swift._DictionaryCodingKey"
        known.withLock { $0[identifier] = answer }
        return answer
    }
}

/// The `Encoder` handed to each value: it writes into one node of the tree.
struct TreeEncoder: Encoder {
    let node: JSONNode
    let codingPath: [any CodingKey]
    /// Whether keys are converted to snake_case.
    let snakeCase: Bool
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        node.makeObject()
        return KeyedEncodingContainer(KeyedContainer<Key>(encoder: self, convertKeys: snakeCase && !DictionaryKeys.areData(Key.self)))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        node.makeArray()
        return UnkeyedContainer(encoder: self)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleValueContainer(encoder: self)
    }

    /// An encoder for a child node at `path`.
    func child(_ node: JSONNode, at path: [any CodingKey]) -> TreeEncoder {
        TreeEncoder(node: node, codingPath: path, snakeCase: snakeCase)
    }

    /// Encodes `value` into this encoder's node.
    func encodeValue<Value: Encodable>(_ value: Value) throws {
        try value.encode(to: self)
    }

    /// `value` encoded on its own at `path`: a scalar as itself, anything else as a node.
    func encodedChild<Value: Encodable>(_ value: Value, at path: [any CodingKey]) throws -> JSONValue {
        let node = JSONNode()
        try child(node, at: path).encodeValue(value)
        if case .value(let scalar) = node.content { return scalar }
        return .node(node)
    }

    /// `value` when JSON can hold it; the error `JSONEncoder` throws for NaN and infinities.
    func finite<F: BinaryFloatingPoint>(_ value: F, at path: @autoclosure () -> [any CodingKey]) throws -> F {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, EncodingError.Context(
                codingPath: path(), debugDescription: "Unable to encode \(F.self).\(value) directly in JSON."))
        }
        return value
    }
}
