import ReportCharts

/// `latency`: an architecture's end-to-end latency and its per-block breakdown (each block's
/// mean inside the end-to-end runs), with the conservative figure and the MnasNet reward.
enum LatencySection: SectionBuilder {
    static let recordTypes = ["latency"]

    static func section(runs: [RunGroup]) -> ReportSection? {
        var blocks: [ReportBlock] = []
        var summary = ReportTable(columns: ["architecture", "run", "MACs", "params", "p50", "p90", "p99", "cv", "conservative",
                                            "block sum", "reward"], numeric: [2, 3, 4, 5, 6, 7, 8, 9, 10])
        var breakdowns: [ReportBlock] = []
        for run in runs {
            for record in run.records(of: "latency") {
                let name = record["name"]?.string ?? "?"
                let latency = LatencyFigures(record["latency_us"])
                let conservative = record["conservative_latency"]
                let reward = record["reward"]?["value"]?.number
                summary.rows.append([
                    ReportCell(name), .run(run),
                    .figure(record["macs"]?.number, NumberText.count), .figure(record["params"]?.number, NumberText.count),
                    .figure(latency?.p50, NumberText.micros), .figure(latency?.p90, NumberText.micros), .figure(latency?.p99, NumberText.micros),
                    latency?.cvCell ?? ReportCell("n/a", .missing),
                    .figure(conservative?["value_us"]?.number) { NumberText.micros($0) + " (p\(conservative?["percentile"]?.int ?? 0), n=\(conservative?["n"]?.int ?? 0))" },
                    .figure(record["block_sum_us"]?.number, NumberText.micros),
                    reward.map { ReportCell(NumberText.significant($0)) } ?? ReportCell("not asked", .missing),
                ])
                let blockRecords = record["blocks"]?.array ?? []
                guard !blockRecords.isEmpty else { continue }
                let categories = blockRecords.map { block in
                    let figures = LatencyFigures(block["latency_us"])
                    return BarChart.Category(
                        label: "\(block["name"]?.string ?? "?") (\(block["kind"]?.string ?? "?"))",
                        bars: [BarChart.Bar(value: figures?.mean, low: figures?.min, high: figures?.p90, noisyCV: figures?.noisyCV,
                                            note: figures?.mean.map(NumberText.micros))])
                }
                breakdowns.append(.subheading("\(name) — \(run.label)"))
                breakdowns.append(.chart(
                    svg: BarChart(axisTitle: "mean latency per block (µs)", series: [], categories: categories,
                                  description: "Per-block latency of \(name)").render(),
                    caption: "Bars: each block's mean inside the end-to-end runs, from 0, so lengths add up to the block sum; whisker: min to p90."))
                var blockTable = ReportTable(columns: ["block", "kind", "MACs", "params", "mean", "p50", "p90", "cv", "share of block sum"],
                                             numeric: [2, 3, 4, 5, 6, 7, 8])
                let sum = record["block_sum_us"]?.number
                for block in blockRecords {
                    let figures = LatencyFigures(block["latency_us"])
                    blockTable.rows.append([
                        ReportCell(block["name"]?.string ?? "?"), ReportCell(block["kind"]?.string ?? "?"),
                        .figure(block["macs"]?.number, NumberText.count), .figure(block["params"]?.number, NumberText.count),
                        .figure(figures?.mean, NumberText.micros), .figure(figures?.p50, NumberText.micros), .figure(figures?.p90, NumberText.micros),
                        figures?.cvCell ?? ReportCell("n/a", .missing),
                        .figure(sum.flatMap { total in figures?.mean.map { $0 / total } }) { NumberText.percent($0, 2) },
                    ])
                }
                breakdowns.append(.table(blockTable))
            }
        }
        blocks.append(.table(summary))
        blocks += breakdowns
        return ReportSection(id: "latency", title: "Architecture latency (latency)", blocks: blocks)
    }
}
