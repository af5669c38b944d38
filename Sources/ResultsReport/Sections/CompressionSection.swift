import ReportCharts
import Reports

/// `compression`: the stage table (sizes, rates, latency, what was lost) and size against
/// fidelity: top-1 agreement with the original (and accuracy where the model is a trained one);
/// `compression_paper`: the result next to Deep Compression's published row.
enum CompressionSection: SectionBuilder {
    static let recordTypes = ["compression", "compression_paper"]

    static func section(runs: [RunGroup]) -> ReportSection? {
        var table = ReportTable(columns: ["model", "variant", "run", "kernel", "params kept", "size on disk", "compression rate α",
                                          "size reduction", "p50", "speedup δ", "top-1 accuracy", "top-1 agreement", "KL (nats)", "decode"],
                                numeric: [4, 5, 6, 7, 8, 9, 10, 11, 12, 13])
        var points: [ScatterChart.Point] = []
        var models: [String] = []
        for run in runs {
            for record in run.records(of: "compression") {
                let model = record["model"]?.string ?? "?", variant = record["variant"]?.string ?? "?"
                let seriesName = runs.count > 1 ? "\(model) (\(run.label))" : model
                if !models.contains(seriesName) { models.append(seriesName) }
                let latency = LatencyFigures(record["latency_us"])
                if let bytes = record["compressed_disk_bytes"]?.number, let agreement = record["top1_agreement"]?.number {
                    points.append(ScatterChart.Point(x: bytes / 1024, y: agreement * 100, series: models.firstIndex(of: seriesName)!,
                                                     label: variant, noisy: latency?.noisyCV != nil))
                }
                let accuracy = record["top1_accuracy"]?.number
                table.rows.append([
                    ReportCell(model), ReportCell(variant), .run(run), ReportCell(record["kernel"]?.string ?? "?"),
                    .figure(record["compressed_params"]?.number, NumberText.count),
                    .figure(record["compressed_disk_bytes"]?.number, NumberText.bytes),
                    .figure(record["compression_rate"]?.number) { NumberText.significant($0) + "×" },
                    .figure(record["size_reduction"]?.number) { NumberText.percent($0) },
                    ReportCell(latency?.p50.map(NumberText.micros) ?? "n/a", latency?.p50 == nil ? .missing : (latency?.noisyCV != nil ? .noisy : .none)),
                    .figure(record["speedup_rate"]?.number) { NumberText.significant($0) + "×" },
                    accuracy.map { ReportCell(NumberText.percent($0)) } ?? ReportCell("n/a", .missing),
                    .figure(record["top1_agreement"]?.number) { NumberText.percent($0) },
                    .figure(record["kl_divergence"]?.number) { NumberText.significant($0, 2) },
                    .figure(record["decode_ms"]?.number) { NumberText.significant($0) + " ms" },
                ])
            }
        }
        var blocks: [ReportBlock] = []
        if !points.isEmpty {
            let lowest = points.map(\.y).min() ?? 100
            let chart = ScatterChart(xTitle: "model size on disk (KiB)", yTitle: "top-1 agreement with the original (%)", points: points,
                                     series: models, yFloor: lowest > 50 ? (lowest - 5).rounded(.down) : nil,
                                     yFormat: { NumberText.significant($0) + " %" }, description: "Model size against top-1 agreement")
            blocks.append(.chart(svg: chart.render(),
                                 caption: lowest > 50 ? "Size from 0; agreement on an axis that does not start at 0 (the differences are a few points): read the gaps, not ratios."
                                                      : "Both axes from 0."))
        }
        blocks.append(.table(table))
        if let paper = paperTable(runs) { blocks.append(.table(paper)) }
        return ReportSection(id: "compression", title: "Model compression (compression)", blocks: blocks)
    }

    /// Ours against the paper, one row per `compression_paper` record; nil when there is none.
    private static func paperTable(_ runs: [RunGroup]) -> ReportTable? {
        var table = ReportTable(columns: ["model", "run", "paper α", "our α", "paper top-1 error", "our top-1 error",
                                          "short of the paper"], numeric: [2, 3, 4, 5])
        let rate = { (value: Double) in NumberText.significant(value) + "×" }
        func error(_ figures: JSONLineValue?) -> ReportCell {
            guard let from = figures?["top1_error_original_pct"]?.number, let to = figures?["top1_error_compressed_pct"]?.number else {
                return ReportCell("n/a", .missing)
            }
            return ReportCell("\(NumberText.significant(from)) % → \(NumberText.significant(to)) %")
        }
        for run in runs {
            for record in run.records(of: "compression_paper") {
                let shortfalls = (record["short_of_paper"]?.object ?? [:]).sorted { $0.key < $1.key }
                let short = shortfalls.map { "\($0.key): \($0.value.string ?? "?")" }.joined(separator: "; ")
                table.rows.append([
                    ReportCell(record["paper_model"]?.string ?? "?"), .run(run),
                    .figure(record["paper"]?["compression_rate"]?.number, rate),
                    .figure(record["measured"]?["compression_rate"]?.number, rate),
                    error(record["paper"]), error(record["measured"]),
                    ReportCell(short.isEmpty ? "none" : short),
                ])
            }
        }
        return table.rows.isEmpty ? nil : table
    }
}
