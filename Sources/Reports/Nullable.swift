/// An optional figure that is written as JSON `null` when absent instead of being left out,
/// so every record of a type has the same keys and a reader can tell "unavailable" from "missing".
@propertyWrapper
public struct Nullable<Value: Sendable>: Sendable {
    /// The figure, or `nil` when it is unavailable.
    public var wrappedValue: Value?

    /// Wraps a figure that may be unavailable.
    public init(wrappedValue: Value?) {
        self.wrappedValue = wrappedValue
    }
}

extension Nullable: Encodable where Value: Encodable {
    /// Encodes the figure, or `null`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let wrappedValue {
            try container.encode(wrappedValue)
        } else {
            try container.encodeNil()
        }
    }
}

extension Nullable: Decodable where Value: Decodable {
    /// Decodes the figure, treating `null` as unavailable.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        wrappedValue = container.decodeNil() ? nil : try container.decode(Value.self)
    }
}

extension Nullable: Equatable where Value: Equatable {}
