import Algorithms
/// The records of one run, one `run_id` on one host, in the order they were read.
public struct RunGroup: Sendable {
    /// The host that wrote the run.
    public let host: String
    /// The run's id.
    public let runId: String
    /// Its records.
    public internal(set) var records: [ResultRecord]
    /// A short name for legends and tables, unique in the report (host and start time).
    public internal(set) var label: String = ""

    /// The run's `run_start` (a benchmark run) or `agent_start` (an agent), when present.
    public var start: ResultRecord? { records.first { $0.type == "run_start" || $0.type == "agent_start" } }
    /// Its `run_end` or `agent_stop`, when present.
    public var end: ResultRecord? { records.last { $0.type == "run_end" || $0.type == "agent_stop" } }

    /// Records of `type`.
    public func records(of type: String) -> [ResultRecord] { records.filter { $0.type == type } }

    /// The earliest timestamp of the run (timestamps sort as text: all RFC 3339 UTC).
    public var firstTimestamp: String? { records.compactMap(\.ts).min() }
    /// The latest timestamp of the run.
    public var lastTimestamp: String? { records.compactMap(\.ts).max() }

    /// What the run was: `bench conv-default`, `agent`, `sample`, or its record types.
    public var kind: String {
        if let start, start.type == "run_start" { return "bench " + (start["suite"]?.string ?? "") }
        if start?.type == "agent_start" { return "agent" }
        return records.map(\.type).uniqued().joined(separator: ", ")
    }
}

/// Every run found in the inputs, grouped by host and `run_id`, with what the reader skipped.
public struct ResultsCollection: Sendable {
    /// The runs, in the order their first record was read.
    public private(set) var runs: [RunGroup]
    /// Lines skipped while reading.
    public let warnings: [ReportWarning]

    /// Groups `records` into runs.
    public init(records: [ResultRecord], warnings: [ReportWarning]) {
        var runs: [RunGroup] = []
        var index: [String: Int] = [:]
        for record in records {
            let key = record.host + "\u{0}" + record.runId
            if let existing = index[key] {
                runs[existing].records.append(record)
            } else {
                index[key] = runs.count
                runs.append(RunGroup(host: record.host, runId: record.runId, records: [record]))
            }
        }
        for position in runs.indices {
            let run = runs[position]
            let minute = run.firstTimestamp.map { " " + String($0.dropFirst(5).prefix(11)).replacingOccurrences(of: "T", with: " ") } ?? ""
            runs[position].label = run.host + minute
        }
        let labels = runs.map(\.label)
        for position in runs.indices where labels.filter({ $0 == labels[position] }).count > 1 {
            runs[position].label += " #" + runs[position].runId.prefix(6)
        }
        self.runs = runs
        self.warnings = warnings
    }

    /// Runs with at least one record of one of `types`.
    public func runs(withAny types: [String]) -> [RunGroup] { runs.filter { $0.records.contains { types.contains($0.type) } } }
}
