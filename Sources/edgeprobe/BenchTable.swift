import CompressionStudy
import Quantities
import Suites


/// The human summary `bench --format table` prints: one row per layer, one per compression
/// stage of the suite's models, one per comparison.
struct BenchTable {
    let outcome: SuiteRunner.Outcome

    func render() -> String {
        var layerRows = [["layer", "engine", "op", "MMACs", "p50", "p90", "cv", "GFLOP/s", "temp max", "edgeprobe/xnnpack"]]
        for bench in outcome.benches {
            layerRows.append([
                bench.name, bench.engine, bench.op, DecimalText.fixed(Double(bench.macs) / 1e6, 2),
                Progress.formatMicroseconds(bench.latencyUs.p50), Progress.formatMicroseconds(bench.latencyUs.p90),
                DecimalText.fixed(bench.latencyUs.cv * 100, 1) + "%", DecimalText.fixed(bench.gflops, 1),
                bench.telemetry.tempCMax.map { DecimalText.fixed($0, 1) + " C" } ?? "-",
                bench.p50RatioEdgeprobeToXnnpack.map { DecimalText.fixed($0, 2) + "x" } ?? "-",
            ])
        }
        var text = outcome.benches.isEmpty ? "" : Self.columns(layerRows)
        if !outcome.compressions.isEmpty {
            text += (text.isEmpty ? "" : "\n") + CompressionRecord.table(outcome.compressions)
        }
        if !outcome.comparisons.isEmpty {
            var pairRows = [["comparison", "engine", "baseline", "candidate", "MAC ratio", "speedup s/s*", "realized"]]
            for pair in outcome.comparisons {
                pairRows.append([
                    pair.name, pair.engine, Progress.formatMicroseconds(pair.baselineP50Us), Progress.formatMicroseconds(pair.candidateP50Us),
                    DecimalText.fixed(pair.theoreticalRatio, 2) + "x", DecimalText.fixed(pair.speedupRate, 2) + "x",
                    DecimalText.fixed(pair.efficiency * 100, 0) + "%",
                ])
            }
            text += "\n" + Self.columns(pairRows)
        }
        if let end = outcome.end, end.interrupted {
            text += "\ninterrupted after \(end.layersCompleted) of \(end.layersTotal) layers\n"
        }
        return text
    }

    /// Left-aligned first column, right-aligned numbers, two spaces between columns.
    static func columns(_ rows: [[String]]) -> String {
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { column, cell in
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                return column == 0 ? cell + padding : padding + cell
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }
}
