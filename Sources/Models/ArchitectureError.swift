/// Why an architecture spec cannot be built, naming the entry and the field at fault.
public struct ArchitectureError: Error, Equatable, CustomStringConvertible {
    /// The part of the spec, e.g. `blocks[3]` or `blocks[3] repeat 2`; empty for the top level.
    public let entry: String
    /// The offending field, e.g. `skip`.
    public let field: String
    /// What is wrong, in words.
    public let problem: String

    public var description: String {
        let place = [entry, "field '\(field)'"].filter { !$0.isEmpty }.joined(separator: ", ")
        return "\(place): \(problem)"
    }
}

/// Bounds on what an architecture may cost, so a typo cannot ask for a network the board cannot hold.
public struct ArchitectureLimits: Sendable, Equatable, Codable {
    /// Most multiply-accumulates of one inference.
    public var maxMacs: Int
    /// Most bytes of weights plus activations (float32), as `ArchitecturePlan.memoryBytes` estimates.
    public var maxMemoryBytes: Int

    /// Limits; the defaults admit MobileNetV2 at 224x224 (300 M MACs, ~40 MB) with room to spare.
    public init(maxMacs: Int = 2_000_000_000, maxMemoryBytes: Int = 512 << 20) {
        self.maxMacs = maxMacs
        self.maxMemoryBytes = maxMemoryBytes
    }
}
