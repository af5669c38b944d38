import Reports

/// The JSON line a record is written as, in a fixed envelope (host `test`, run `run`, sequence 0),
/// for tests that validate records a function returns without writing them.
public enum RecordLine {
    /// `record` as one JSON line, newline included.
    public static func text<R: Record>(_ record: R) throws -> String {
        String(decoding: try RecordWriter.encode(
            record, context: RunContext(host: "test", runId: "run"), sequence: 0, timestamp: "2026-01-01T00:00:00.000Z"), as: UTF8.self)
    }
}
