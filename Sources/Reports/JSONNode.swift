/// One value of the JSON tree a `JSONLineEncoder` builds while an `Encodable` value encodes itself.
///
/// Scalars are stored as values and written only at the end (no buffer per number); objects and
/// arrays are `JSONNode`s, a reference type because nested containers (`nestedContainer`,
/// `superEncoder`) keep writing into a node after their parent has stored it.
enum JSONValue {
    case null
    case bool(Bool)
    case signed(Int64)
    case unsigned(UInt64)
    /// A finite double (the encoder refuses NaN and infinities before storing one).
    case double(Double)
    /// A finite float, written in its own shortest form (`0.1`, not `0.10000000149011612`).
    case float(Float)
    case string(String)
    case node(JSONNode)

    /// Appends the value's JSON text to `output`.
    func write(to output: inout [UInt8]) {
        switch self {
        case .null: output.append(contentsOf: "null".utf8)
        case .bool(let value): output.append(contentsOf: (value ? "true" : "false").utf8)
        case .signed(let value): output.append(contentsOf: String(value).utf8)
        case .unsigned(let value): output.append(contentsOf: String(value).utf8)
        case .double(let value): JSONText.appendNumber(value, to: &output)
        case .float(let value): JSONText.appendNumber(value, to: &output)
        case .string(let value): JSONText.appendString(value, to: &output)
        case .node(let node): node.write(to: &output)
        }
    }
}

/// An object, an array, or the single value a value's `singleValueContainer` stored.
final class JSONNode {
    /// What the node holds so far.
    enum Content {
        /// Nothing was encoded yet; written as `{}`, like an empty keyed container.
        case empty
        /// A single value.
        case value(JSONValue)
        /// Members in the order they were encoded (sorted, last one of a key winning, on write).
        case object([(key: String, value: JSONValue)])
        /// Elements in order.
        case array([JSONValue])
    }

    var content: Content = .empty

    /// Turns an empty node into an object; an object stays as it is (a value may ask for its
    /// keyed container twice, as a record's envelope and body do).
    func makeObject() {
        if case .object = content { return }
        content = .object([])
    }

    /// Turns an empty node into an array; an array stays as it is.
    func makeArray() {
        if case .array = content { return }
        content = .array([])
    }

    /// Adds a member; a later member with the same key replaces it in the output.
    func addMember(_ key: String, _ value: JSONValue) {
        guard case .object(var members) = content else { return }
        content = .empty  // drop the second reference so the array is mutated in place
        members.append((key, value))
        content = .object(members)
    }

    /// Appends an element.
    func appendElement(_ value: JSONValue) {
        guard case .array(var elements) = content else { return }
        content = .empty
        elements.append(value)
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
        case .value(let value):
            value.write(to: &output)
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            // A stable sort keeps encoding order among equal keys; the last of them wins.
            let sorted = members.indices.sorted { members[$0].key < members[$1].key || (members[$0].key == members[$1].key && $0 < $1) }
            var first = true
            for (position, index) in sorted.enumerated() {
                if position + 1 < sorted.count, members[sorted[position + 1]].key == members[index].key { continue }
                if !first { output.append(UInt8(ascii: ",")) }
                first = false
                JSONText.appendString(members[index].key, to: &output)
                output.append(UInt8(ascii: ":"))
                members[index].value.write(to: &output)
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
