/// A sink that drops every line: for runs whose records nobody asked to keep (`--format table`).
public struct DiscardingSink: LineSink {
    /// A sink that drops lines.
    public init() {}

    /// Drops the line.
    public func write(line: [UInt8]) throws {}
}
