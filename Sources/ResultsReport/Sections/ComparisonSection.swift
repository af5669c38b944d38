import ReportCharts

/// `comparison`: the theoretical MAC ratio next to the measured speedup s/s* per pair, and the
/// efficiency (measured over theoretical).
enum ComparisonSection: SectionBuilder {
    static let recordTypes = ["comparison"]

    static func section(runs: [RunGroup]) -> ReportSection? {
        var table = ReportTable(columns: ["pair", "run", "baseline", "candidate", "baseline p50", "candidate p50",
                                          "theoretical ratio (MACs)", "measured speedup s/s*", "efficiency"],
                                numeric: [4, 5, 6, 7, 8])
        // One group per pair: its theoretical ratio (the MACs are the same in every run), then
        // the speedup each run measured.
        var pairs: [String] = []
        var theoretical: [String: Double] = [:]
        var measured: [String: [Double?]] = [:]
        for (runIndex, run) in runs.enumerated() {
            for record in run.records(of: "comparison") {
                let name = record["name"]?.string ?? "?"
                if !pairs.contains(name) { pairs.append(name); measured[name] = Array(repeating: nil, count: runs.count) }
                theoretical[name] = theoretical[name] ?? record["theoretical_ratio"]?.number
                let speedup = record["speedup_rate"]?.number
                measured[name]?[runIndex] = speedup
                let efficiency = record["efficiency"]?.number
                table.rows.append([
                    ReportCell(name), .run(run), ReportCell(record["baseline"]?.string ?? "?"), ReportCell(record["candidate"]?.string ?? "?"),
                    .figure(record["baseline_p50_us"]?.number, NumberText.micros), .figure(record["candidate_p50_us"]?.number, NumberText.micros),
                    .figure(record["theoretical_ratio"]?.number) { NumberText.significant($0) + "×" }, .figure(speedup) { NumberText.significant($0) + "×" },
                    efficiency.map { ReportCell(NumberText.percent($0, 2), $0 < 0.5 ? .alert : .none) } ?? ReportCell("n/a", .missing),
                ])
            }
        }
        let categories = pairs.map { pair in
            BarChart.Category(label: pair, bars: [BarChart.Bar(value: theoretical[pair], note: theoretical[pair].map { "theoretical \(NumberText.significant($0))×" })]
                + (measured[pair] ?? []).map { speedup in
                    speedup.map { BarChart.Bar(value: $0, note: "measured \(NumberText.significant($0))×") }
                })
        }
        let series = ["theoretical (MAC ratio)"] + runs.map { runs.count > 1 ? "measured s/s*, \($0.label)" : "measured speedup s/s*" }
        let chart = BarChart(axisTitle: "ratio, baseline over candidate (×)", series: series,
                             categories: categories, reference: (1, "1× (no gain)"),
                             description: "Theoretical MAC ratio and measured speedup per pair").render()
        return ReportSection(id: "comparison", title: "Regular vs cheaper layers (comparison)", blocks: [
            .chart(svg: chart, caption: "From 0: a measured bar shorter than its theoretical one is speedup the MAC count promised but the memory system did not deliver. Efficiency = measured / theoretical."),
            .table(table),
        ])
    }
}
