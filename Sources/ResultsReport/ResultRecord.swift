import Reports
/// Where a record came from: a file (or `-` for standard input) and a 1-based line number.
public struct LinePosition: Sendable, Equatable, CustomStringConvertible {
    /// The file as the user named it.
    public let file: String
    /// The line, counted from 1.
    public let line: Int

    public var description: String { "\(file):\(line)" }
}

/// One edgeprobe record read from JSON lines: its envelope (type, host, run, time) and its fields.
public struct ResultRecord: Sendable {
    /// The record type, e.g. `bench`.
    public let type: String
    /// The host that wrote it (`host` of the envelope).
    public let host: String
    /// The run it belongs to (`run_id` of the envelope).
    public let runId: String
    /// When it was written (RFC 3339, UTC), when present.
    public let ts: String?
    /// The whole record.
    public let fields: JSONLineValue
    /// Where it was read.
    public let position: LinePosition

    /// The member `key` of the record.
    public subscript(key: String) -> JSONLineValue? { fields[key] }

    /// Reads the envelope of a parsed line; `nil` when it is not an object with a string `type`.
    init?(_ value: JSONLineValue, position: LinePosition) {
        guard let type = value["type"]?.string, !type.isEmpty else { return nil }
        self.type = type
        self.host = value["host"]?.string ?? "unknown host"
        self.runId = value["run_id"]?.string ?? "no run_id"
        self.ts = value["ts"]?.string
        self.fields = value
        self.position = position
    }
}

/// Something the reader skipped or doubted, named by file and line.
public struct ReportWarning: Sendable, Equatable, CustomStringConvertible {
    /// Where, when it concerns one line.
    public let position: LinePosition?
    /// What is wrong.
    public let message: String

    public var description: String { position.map { "\($0): \(message)" } ?? message }
}
