// MARK: - Keyed

/// Writes an object's members into the encoder's node.
struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: TreeEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }

    private func member(_ key: Key) -> JSONNode {
        let node = JSONNode()
        encoder.node.setMember(encoder.jsonKey(key), node)
        return node
    }

    private func scalar(_ text: [UInt8], forKey key: Key) {
        member(key).content = .scalar(text)
    }

    mutating func encodeNil(forKey key: Key) throws { scalar(Array("null".utf8), forKey: key) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { scalar(Array((value ? "true" : "false").utf8), forKey: key) }
    mutating func encode(_ value: String, forKey key: Key) throws { scalar(TreeEncoder.string(value), forKey: key) }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        scalar(try encoder.number(value, at: codingPath + [key]), forKey: key)
    }
    mutating func encode(_ value: Float, forKey key: Key) throws {
        scalar(try encoder.number(value, at: codingPath + [key]), forKey: key)
    }
    mutating func encode(_ value: Int, forKey key: Key) throws { scalar(Array(String(value).utf8), forKey: key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { scalar(Array(String(value).utf8), forKey: key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { scalar(Array(String(value).utf8), forKey: key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { scalar(Array(String(value).utf8), forKey: key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { scalar(Array(String(value).utf8), forKey: key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { scalar(Array(String(value).utf8), forKey: key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { scalar(Array(String(value).utf8), forKey: key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { scalar(Array(String(value).utf8), forKey: key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { scalar(Array(String(value).utf8), forKey: key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { scalar(Array(String(value).utf8), forKey: key) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try encoder.child(member(key), at: codingPath + [key]).encodeValue(value)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        encoder.child(member(key), at: codingPath + [key]).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        encoder.child(member(key), at: codingPath + [key]).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        let key = JSONSuperKey()
        let node = JSONNode()
        encoder.node.setMember(key.stringValue, node)
        return encoder.child(node, at: codingPath + [key])
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        encoder.child(member(key), at: codingPath + [key])
    }
}

// MARK: - Unkeyed

/// Appends an array's elements to the encoder's node.
struct UnkeyedContainer: UnkeyedEncodingContainer {
    let encoder: TreeEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }
    var count: Int { encoder.node.elementCount }

    private func element() -> JSONNode {
        let node = JSONNode()
        encoder.node.appendElement(node)
        return node
    }

    private var elementPath: [any CodingKey] { codingPath + [JSONIndexKey(count)] }

    mutating func encodeNil() throws { element().content = .scalar(Array("null".utf8)) }
    mutating func encode(_ value: Bool) throws { element().content = .scalar(Array((value ? "true" : "false").utf8)) }
    mutating func encode(_ value: String) throws { element().content = .scalar(TreeEncoder.string(value)) }
    mutating func encode(_ value: Double) throws {
        let text = try encoder.number(value, at: elementPath)
        element().content = .scalar(text)
    }
    mutating func encode(_ value: Float) throws {
        let text = try encoder.number(value, at: elementPath)
        element().content = .scalar(text)
    }
    mutating func encode(_ value: Int) throws { element().content = .scalar(Array(String(value).utf8)) }
    mutating func encode(_ value: Int64) throws { element().content = .scalar(Array(String(value).utf8)) }
    mutating func encode(_ value: UInt64) throws { element().content = .scalar(Array(String(value).utf8)) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        let path = elementPath
        try encoder.child(element(), at: path).encodeValue(value)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let path = elementPath
        return encoder.child(element(), at: path).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let path = elementPath
        return encoder.child(element(), at: path).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        let path = elementPath
        return encoder.child(element(), at: path)
    }
}

// MARK: - Single value

/// Writes one scalar (or a nested value) into the encoder's node.
struct SingleValueContainer: SingleValueEncodingContainer {
    let encoder: TreeEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }

    mutating func encodeNil() throws { encoder.setScalar(Array("null".utf8)) }
    mutating func encode(_ value: Bool) throws { encoder.setScalar(Array((value ? "true" : "false").utf8)) }
    mutating func encode(_ value: String) throws { encoder.setScalar(TreeEncoder.string(value)) }
    mutating func encode(_ value: Double) throws { encoder.setScalar(try encoder.number(value, at: codingPath)) }
    mutating func encode(_ value: Float) throws { encoder.setScalar(try encoder.number(value, at: codingPath)) }
    mutating func encode(_ value: Int) throws { encoder.setScalar(Array(String(value).utf8)) }
    mutating func encode(_ value: Int8) throws { encoder.setScalar(Array(String(value).utf8)) }
    mutating func encode(_ value: Int16) throws { encoder.setScalar(Array(String(value).utf8)) }
    mutating func encode(_ value: Int32) throws { encoder.setScalar(Array(String(value).utf8)) }
    mutating func encode(_ value: Int64) throws { encoder.setScalar(Array(String(value).utf8)) }
    mutating func encode(_ value: UInt) throws { encoder.setScalar(Array(String(value).utf8)) }
    mutating func encode(_ value: UInt8) throws { encoder.setScalar(Array(String(value).utf8)) }
    mutating func encode(_ value: UInt16) throws { encoder.setScalar(Array(String(value).utf8)) }
    mutating func encode(_ value: UInt32) throws { encoder.setScalar(Array(String(value).utf8)) }
    mutating func encode(_ value: UInt64) throws { encoder.setScalar(Array(String(value).utf8)) }
    mutating func encode<T: Encodable>(_ value: T) throws { try encoder.encodeValue(value) }
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
