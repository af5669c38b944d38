/// The summary at the top of the page: one row per run (host, CPU, board profile, kernel,
/// edgeprobe version, when) and every warning, the reader's and the runs' own.
enum RunSummary {
    /// The runs table.
    static func table(_ collection: ResultsCollection) -> ReportTable {
        var table = ReportTable(columns: ["run (host, start)", "what", "CPU", "board profile", "kernel", "edgeprobe", "when (UTC)", "records", "status"],
                                numeric: [7])
        for run in collection.runs {
            let start = run.start
            let system = start?["system"]
            let board = start?["board"]?.string ?? start?["config"]?["board"]?.string
            let cpu = system?["cpu_model"]?.string.map { $0 + (system?["cores"]?.int.map { " ×\($0)" } ?? "") }
            let cpuCell = cpu.map { ReportCell($0) } ?? ReportCell("not recorded", .missing)
            table.rows.append([
                ReportCell(run.label), ReportCell(run.kind), cpuCell,
                board.map { ReportCell($0) } ?? ReportCell("not recorded", .missing),
                system?["kernel"]?.string.map { ReportCell($0) } ?? ReportCell("not recorded", .missing),
                start?["edgeprobe_version"]?.string.map { ReportCell($0) } ?? ReportCell("not recorded", .missing),
                ReportCell(span(run.firstTimestamp, run.lastTimestamp)),
                ReportCell(String(run.records.count)),
                status(run),
            ])
        }
        return table
    }

    /// Every warning: lines the reader skipped, then what the runs recorded (run_end, latency, lut).
    static func warnings(_ collection: ResultsCollection) -> [String] {
        var warnings = collection.warnings.map(\.description)
        for run in collection.runs {
            for record in run.records {
                for warning in record["warnings"]?.array.compactMap(\.string) ?? [] {
                    warnings.append("\(run.label) (\(record.type)): \(warning)")
                }
            }
        }
        return warnings
    }

    private static func status(_ run: RunGroup) -> ReportCell {
        guard let end = run.end else { return ReportCell(run.start == nil ? "—" : "no end record", run.start == nil ? .none : .alert) }
        if end["interrupted"]?.bool == true {
            return ReportCell("interrupted" + (end["signal"]?.string.map { " (\($0))" } ?? ""), .alert)
        }
        if end.type == "agent_stop" { return ReportCell("stopped: " + (end["reason"]?.string ?? "?")) }
        return ReportCell("complete", .good)
    }

    /// `2026-12-05 23:29:36 → 23:31:02`: the end without its date when it is the same day.
    private static func span(_ first: String?, _ last: String?) -> String {
        guard let first else { return "n/a" }
        guard let last, last != first else { return readable(first) }
        let end = readable(last)
        return readable(first) + " → " + (first.prefix(10) == last.prefix(10) ? String(end.dropFirst(11)) : end)
    }

    /// `2026-12-05T23:29:36.509Z` as `2026-12-05 23:29:36`.
    static func readable(_ timestamp: String) -> String {
        String(timestamp.prefix(19)).replacingOccurrences(of: "T", with: " ")
    }
}
