/// A JSON-lines record: one object per line, with the envelope fields every record carries.
///
/// Conforming types are plain `Encodable` structs whose Swift property names become snake_case
/// keys (`latencyUs` → `latency_us`). Units live in the names (`_us`, `_c`, `_bytes`, `_pct`).
/// A figure the board cannot give is declared `@Nullable` so it is written as `null`, never
/// omitted and never a fake 0.
public protocol Record: Encodable, Sendable {
    /// The record's `type` field, e.g. `"sample"` or `"bench"`.
    static var recordType: String { get }
}

/// The schema identifier written into every record.
public let recordSchema = "edgeprobe/1"
