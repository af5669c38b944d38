import ReportCharts

/// `sensors` (`edgeprobe sensors`): every temperature, fan and voltage reading of one moment.
enum SensorsSection: SectionBuilder {
    static let recordTypes = ["sensors"]

    static func section(runs: [RunGroup]) -> ReportSection? {
        let records = runs.flatMap { run in run.records(of: "sensors").map { (run, $0) } }
        var table = ReportTable(columns: ["run", "kind", "chip", "label", "reading", "high / critical"], numeric: [4])
        var notes: [String] = []
        for (run, record) in records {
            for temperature in record["temperatures"]?.array ?? [] {
                let limits = [temperature["max_c"]?.number, temperature["crit_c"]?.number].map { $0.map { NumberText.significant($0) + " °C" } ?? "n/a" }
                table.rows.append([.run(run), "temperature", ReportCell(temperature["chip"]?.string ?? "?"), ReportCell(temperature["label"]?.string ?? ""),
                                   .figure(temperature["input_c"]?.number) { NumberText.significant($0) + " °C" }, ReportCell(limits.joined(separator: " / "))])
            }
            for fan in record["fans"]?.array ?? [] {
                table.rows.append([.run(run), "fan", ReportCell(fan["chip"]?.string ?? "?"), ReportCell(fan["label"]?.string ?? ""),
                                   .figure(fan["input_rpm"]?.number) { NumberText.significant($0) + " rpm" }, ""])
            }
            for voltage in record["voltages"]?.array ?? [] {
                table.rows.append([.run(run), "voltage", ReportCell(voltage["chip"]?.string ?? "?"), ReportCell(voltage["label"]?.string ?? ""),
                                   .figure(voltage["input_v"]?.number) { NumberText.significant($0) + " V" }, ""])
            }
            for (figure, reason) in record["unavailable"]?.object.sorted(by: { $0.key < $1.key }) ?? [] {
                notes.append("\(run.label): \(figure) missing: \(reason.string ?? reason.compactText)")
            }
        }
        var blocks: [ReportBlock] = []
        if !table.rows.isEmpty { blocks.append(.table(table)) }
        blocks += notes.map { .paragraph($0) }
        return ReportSection(id: "sensors", title: "Sensors (sensors)", blocks: blocks)
    }
}
