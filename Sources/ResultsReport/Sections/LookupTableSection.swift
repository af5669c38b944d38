import ReportCharts
import Reports

/// `lut` (a measured lookup table) and `lut_check` (the table's predictions against end-to-end
/// runs): predicted against measured latency per architecture, with the ±10 % band.
enum LookupTableSection: SectionBuilder {
    static let recordTypes = ["lut", "lut_check"]

    static func section(runs: [RunGroup]) -> ReportSection? {
        var blocks: [ReportBlock] = []
        let tables = runs.flatMap { run in run.records(of: "lut").map { (run, $0) } }
        if !tables.isEmpty {
            var table = ReportTable(columns: ["space", "run", "blocks measured", "threads", "took", "written to"], numeric: [2, 3, 4])
            for (run, record) in tables {
                table.rows.append([
                    ReportCell(record["space"]?.string ?? "?"), .run(run), .figure(record["entries"]?.number, NumberText.count),
                    .figure(record["threads"]?.number, NumberText.plain), .figure(record["duration_s"]?.number) { NumberText.significant($0) + " s" },
                    record["output"]?.string.map { ReportCell($0) } ?? ReportCell("n/a", .missing),
                ])
            }
            blocks.append(.subheading("Tables measured (lut)"))
            blocks.append(.table(table))
        }
        let checks = runs.flatMap { run in run.records(of: "lut_check").map { (run, $0) } }
        for (run, check) in checks {
            let architectures = check["architectures"]?.array ?? []
            // Tiny networks take microseconds: the chart uses µs when every latency is below 1 ms.
            let longest = architectures.compactMap { $0["measured_p50_ms"]?.number }.max() ?? 0
            let (unit, factor) = longest < 1 ? ("µs", 1000.0) : ("ms", 1.0)
            let points = architectures.compactMap { architecture -> ScatterChart.Point? in
                guard let predicted = Self.predictedMedian(architecture).map({ $0 * factor }),
                      let measured = architecture["measured_p50_ms"]?.number.map({ $0 * factor }) else { return nil }
                let cv = architecture["measured_cv"]?.number ?? 0
                return ScatterChart.Point(x: measured, y: predicted, label: architectures.count <= 12 ? architecture["name"]?.string : nil,
                                          noisy: cv > LatencyFigures.noisyCV)
            }
            let share = check["within_10pct_share"]?.number
            blocks.append(.subheading("Check of \(check["table"]?.string ?? "a table") — \(run.label)"))
            var lines = ["\(architectures.count) architectures of \(check["space"]?.string ?? "?")"]
            if let share { lines.append("\(NumberText.percent(share, 3)) predicted within ±10 % on medians") }
            if let rmse = check["rmse_ms"]?.number { lines.append("RMSE \(NumberText.significant(rmse)) ms") }
            if let meets = check["meets_target"]?.bool { lines.append(meets ? "meets the target share" : "misses the target share") }
            if let correction = check["speed_correction"]?.number {
                lines.append("overall speed × \(NumberText.significant(correction)) (each prediction corrected by the calibration runs around its own)")
            }
            if let drift = check["speed_drift"]?.number { lines.append("reference network at \(NumberText.significant(drift))× its table-time median") }
            blocks.append(.paragraph(lines.joined(separator: "; ") + "."))
            blocks.append(.chart(
                svg: ScatterChart(xTitle: "measured p50 (\(unit))", yTitle: "predicted p50, sum of the table (\(unit))", points: points, diagonalBand: 0.10,
                                  description: "Predicted against measured latency per architecture").render(),
                caption: "Both axes from 0. Dashed: prediction = measurement; shaded: within ±10 %, nn-Meter's criterion. Hollow points are noisy measurements."))
            var table = ReportTable(columns: ["architecture", "resolution", "MACs", "predicted p50", "measured p50", "error", "measured cv", "runs"],
                                    numeric: [1, 2, 3, 4, 5, 6, 7])
            for architecture in architectures {
                let error = architecture["error_pct"]?.number
                let cv = architecture["measured_cv"]?.number
                table.rows.append([
                    ReportCell(architecture["name"]?.string ?? "?"), .figure(architecture["resolution"]?.number, NumberText.plain),
                    .figure(architecture["macs"]?.number, NumberText.count),
                    .figure(Self.predictedMedian(architecture)) { NumberText.micros($0 * 1000) },
                    .figure(architecture["measured_p50_ms"]?.number) { NumberText.micros($0 * 1000) },
                    error.map { ReportCell(NumberText.significant($0, 2) + " %", abs($0) > 10 ? .alert : .good) } ?? ReportCell("n/a", .missing),
                    cv.map { ReportCell(NumberText.significant($0 * 100, 2) + " %", $0 > LatencyFigures.noisyCV ? .noisy : .none) } ?? ReportCell("n/a", .missing),
                    .figure(architecture["n"]?.number, NumberText.count),
                ])
            }
            blocks.append(.table(table))
        }
        return ReportSection(id: "lut", title: "Latency lookup tables (lut, lut_check)", blocks: blocks)
    }

    /// The median prediction an architecture's `error_pct` judges: corrected for the machine's
    /// speed (`corrected_p50_ms`), or the table's sum in records from before the correction.
    private static func predictedMedian(_ architecture: JSONLineValue) -> Double? {
        architecture["corrected_p50_ms"]?.number ?? architecture["predicted_p50_ms"]?.number
    }
}
