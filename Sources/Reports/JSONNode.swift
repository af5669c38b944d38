/// One value of the JSON tree a `JSONLineEncoder` builds while an `Encodable` value encodes itself.
///
/// A reference type because nested containers (`nestedContainer`, `superEncoder`) keep writing
/// into a node after their parent has stored it. Scalars are kept as their finished JSON text.
final class JSONNode {
    /// What the node holds so far.
    enum Content {
        /// Nothing was encoded yet; written as `{}`, like an empty keyed container.
        case empty
        /// A number, string, boolean or `null`, already as JSON text.
        case scalar([UInt8])
        /// Members by their (already converted) key.
        case object([String: JSONNode])
        /// Elements in order.
        case array([JSONNode])
    }

    var content: Content = .empty

    /// Turns an empty node into an object; an object stays as it is (a value may ask for its
    /// keyed container twice).
    func makeObject() {
        if case .object = content { return }
        content = .object([:])
    }

    /// Turns an empty node into an array; an array stays as it is.
    func makeArray() {
        if case .array = content { return }
        content = .array([])
    }

    /// Stores `node` under `key`, replacing an earlier member with the same key.
    func setMember(_ key: String, _ node: JSONNode) {
        guard case .object(var members) = content else { return }
        content = .empty  // drop the second reference so the dictionary is mutated in place
        members[key] = node
        content = .object(members)
    }

    /// Appends `node` as the last element.
    func appendElement(_ node: JSONNode) {
        guard case .array(var elements) = content else { return }
        content = .empty
        elements.append(node)
        content = .array(elements)
    }

    /// The number of elements of an array node.
    var elementCount: Int {
        if case .array(let elements) = content { return elements.count }
        return 0
    }

    /// Appends this node's JSON text to `output`, object members sorted by key.
    func write(to output: inout [UInt8]) {
        switch content {
        case .empty:
            output.append(contentsOf: "{}".utf8)
        case .scalar(let text):
            output.append(contentsOf: text)
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                JSONText.appendString(key, to: &output)
                output.append(UInt8(ascii: ":"))
                members[key]!.write(to: &output)
            }
            output.append(UInt8(ascii: "}"))
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                element.write(to: &output)
            }
            output.append(UInt8(ascii: "]"))
        }
    }
}
