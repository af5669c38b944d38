// MARK: - Keyed

/// Writes an object's members into the encoder's node.
struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: TreeEncoder
    /// Whether keys become snake_case (property names) or stay as written (dictionary keys).
    let convertKeys: Bool
    var codingPath: [any CodingKey] { encoder.codingPath }

    private func add(_ value: JSONValue, forKey key: Key) {
        encoder.node.addMember(convertKeys ? SnakeCase.convert(key.stringValue) : key.stringValue, value)
    }

    private func nestedNode(forKey key: Key) -> TreeEncoder {
        let node = JSONNode()
        add(.node(node), forKey: key)
        return encoder.child(node, at: codingPath + [key])
    }

    mutating func encodeNil(forKey key: Key) throws { add(.null, forKey: key) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { add(.bool(value), forKey: key) }
    mutating func encode(_ value: String, forKey key: Key) throws { add(.string(value), forKey: key) }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        add(.double(try encoder.finite(value, at: codingPath + [key])), forKey: key)
    }
    mutating func encode(_ value: Float, forKey key: Key) throws {
        add(.float(try encoder.finite(value, at: codingPath + [key])), forKey: key)
    }
    mutating func encode(_ value: Int, forKey key: Key) throws { add(.signed(Int64(value)), forKey: key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { add(.signed(Int64(value)), forKey: key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { add(.signed(Int64(value)), forKey: key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { add(.signed(Int64(value)), forKey: key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { add(.signed(value), forKey: key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { add(.unsigned(UInt64(value)), forKey: key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { add(.unsigned(UInt64(value)), forKey: key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { add(.unsigned(UInt64(value)), forKey: key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { add(.unsigned(UInt64(value)), forKey: key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { add(.unsigned(value), forKey: key) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        add(try encoder.encodedChild(value, at: codingPath + [key]), forKey: key)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        nestedNode(forKey: key).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        nestedNode(forKey: key).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        let key = JSONSuperKey()
        let node = JSONNode()
        encoder.node.addMember(key.stringValue, .node(node))
        return encoder.child(node, at: codingPath + [key])
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        nestedNode(forKey: key)
    }
}

// MARK: - Unkeyed

/// Appends an array's elements to the encoder's node.
struct UnkeyedContainer: UnkeyedEncodingContainer, ScalarEncoding {
    let encoder: TreeEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }
    var count: Int { encoder.node.elementCount }

    var scalarPath: [any CodingKey] { codingPath + [JSONIndexKey(count)] }

    func put(_ value: JSONValue) {
        encoder.node.appendElement(value)
    }

    private func nestedNode() -> TreeEncoder {
        let path = scalarPath
        let node = JSONNode()
        put(.node(node))
        return encoder.child(node, at: path)
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        put(try encoder.encodedChild(value, at: scalarPath))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        nestedNode().container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        nestedNode().unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        nestedNode()
    }
}

// MARK: - Single value

/// Stores one scalar (or a nested value) as the encoder's node.
struct SingleValueContainer: SingleValueEncodingContainer, ScalarEncoding {
    let encoder: TreeEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }
    var scalarPath: [any CodingKey] { codingPath }

    func put(_ value: JSONValue) {
        encoder.node.content = .value(value)
    }

    mutating func encode<T: Encodable>(_ value: T) throws { try encoder.encodeValue(value) }
}

// MARK: - Scalars

/// A container that takes scalars one at a time, as an array's next element or as the single
/// value: how each scalar type becomes a JSON value, once for both.
protocol ScalarEncoding {
    /// The encoder whose node the container writes.
    var encoder: TreeEncoder { get }
    /// The coding path of the scalar written next (for the error of a non-finite number).
    var scalarPath: [any CodingKey] { get }
    /// Writes `value` as the next scalar.
    func put(_ value: JSONValue)
}

extension ScalarEncoding {
    mutating func encodeNil() throws { put(.null) }
    mutating func encode(_ value: Bool) throws { put(.bool(value)) }
    mutating func encode(_ value: String) throws { put(.string(value)) }
    mutating func encode(_ value: Double) throws { put(.double(try encoder.finite(value, at: scalarPath))) }
    mutating func encode(_ value: Float) throws { put(.float(try encoder.finite(value, at: scalarPath))) }
    mutating func encode(_ value: Int) throws { put(.signed(Int64(value))) }
    mutating func encode(_ value: Int8) throws { put(.signed(Int64(value))) }
    mutating func encode(_ value: Int16) throws { put(.signed(Int64(value))) }
    mutating func encode(_ value: Int32) throws { put(.signed(Int64(value))) }
    mutating func encode(_ value: Int64) throws { put(.signed(value)) }
    mutating func encode(_ value: UInt) throws { put(.unsigned(UInt64(value))) }
    mutating func encode(_ value: UInt8) throws { put(.unsigned(UInt64(value))) }
    mutating func encode(_ value: UInt16) throws { put(.unsigned(UInt64(value))) }
    mutating func encode(_ value: UInt32) throws { put(.unsigned(UInt64(value))) }
    mutating func encode(_ value: UInt64) throws { put(.unsigned(value)) }
}

// MARK: - Keys the encoder makes up

/// The key of an array element in a coding path.
struct JSONIndexKey: CodingKey {
    let intValue: Int?
    var stringValue: String { "Index \(intValue ?? 0)" }
    init(_ index: Int) { intValue = index }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { self.intValue = intValue }
}

/// The key `superEncoder()` writes under, as `JSONEncoder` does.
struct JSONSuperKey: CodingKey {
    var stringValue: String { "super" }
    var intValue: Int? { nil }
    init() {}
    init?(stringValue: String) { nil }
    init?(intValue: Int) { nil }
}
