import Reports
/// Records of a type the report has no view for (a newer edgeprobe, another tool): listed with
/// their line and fields, never dropped.
enum UnknownSection {
    /// The most records listed one by one; the rest are counted.
    static let listedRecords = 50

    /// The section for records whose type no other section and not the summary shows.
    static func section(for collection: ResultsCollection, known: Set<String>) -> ReportSection? {
        let unknown = collection.runs.flatMap { run in run.records.filter { !known.contains($0.type) }.map { (run, $0) } }
        guard !unknown.isEmpty else { return nil }
        var table = ReportTable(columns: ["type", "run", "where", "fields"])
        for (run, record) in unknown.prefix(listedRecords) {
            let fields = record.fields.object.filter { !["schema", "type", "ts", "host", "run_id", "seq"].contains($0.key) }
            let text = JSONLineValue.object(fields).compactText
            table.rows.append([ReportCell(record.type), .run(run), ReportCell(record.position.description),
                               ReportCell(text.count > 300 ? String(text.prefix(300)) + "…" : text)])
        }
        var blocks: [ReportBlock] = [.paragraph("\(unknown.count) records of types this report has no view for: \(Set(unknown.map(\.1.type)).sorted().joined(separator: ", ")).")]
        blocks.append(.table(table))
        if unknown.count > listedRecords { blocks.append(.paragraph("\(unknown.count - listedRecords) more not listed.")) }
        return ReportSection(id: "unknown", title: "Other records", blocks: blocks)
    }
}
