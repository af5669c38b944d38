/// `comparison`: the theoretical MAC ratio next to the measured speedup s/s* per pair, and the
/// efficiency (measured over theoretical).
enum ComparisonSection: SectionBuilder {
    static let recordTypes = ["comparison"]

    static func section(for collection: ResultsCollection) -> ReportSection? {
        let runs = collection.runs(with: "comparison")
        guard !runs.isEmpty else { return nil }
        var categories: [BarChart.Category] = []
        var table = ReportTable(columns: ["pair", "run", "baseline", "candidate", "baseline p50", "candidate p50",
                                          "theoretical ratio (MACs)", "measured speedup s/s*", "efficiency"],
                                numeric: [4, 5, 6, 7, 8])
        for run in runs {
            for record in run.records(of: "comparison") {
                let name = record["name"]?.string ?? "?"
                let theoretical = record["theoretical_ratio"]?.number, speedup = record["speedup_rate"]?.number
                categories.append(BarChart.Category(
                    label: runs.count > 1 ? "\(name) (\(run.label))" : name,
                    bars: [BarChart.Bar(value: theoretical, note: theoretical.map { "theoretical \(NumberText.significant($0))×" }),
                           BarChart.Bar(value: speedup, note: speedup.map { "measured \(NumberText.significant($0))×" })]))
                let efficiency = record["efficiency"]?.number
                table.rows.append([
                    ReportCell(name), .run(run), ReportCell(record["baseline"]?.string ?? "?"), ReportCell(record["candidate"]?.string ?? "?"),
                    .figure(record["baseline_p50_us"]?.number, NumberText.micros), .figure(record["candidate_p50_us"]?.number, NumberText.micros),
                    .figure(theoretical) { NumberText.significant($0) + "×" }, .figure(speedup) { NumberText.significant($0) + "×" },
                    efficiency.map { ReportCell(NumberText.percent($0, 2), $0 < 0.5 ? .alert : .none) } ?? ReportCell("n/a", .missing),
                ])
            }
        }
        let chart = BarChart(axisTitle: "ratio, baseline over candidate (×)", series: ["theoretical (MAC ratio)", "measured speedup s/s*"],
                             categories: categories, reference: (1, "1× (no gain)"),
                             description: "Theoretical MAC ratio and measured speedup per pair").render()
        return ReportSection(id: "comparison", title: "Regular vs cheaper layers (comparison)", blocks: [
            .chart(svg: chart, caption: "From 0: a measured bar shorter than its theoretical one is speedup the MAC count promised but the memory system did not deliver. Efficiency = measured / theoretical."),
            .table(table),
        ])
    }
}
