import CompressionStudy
import Quantities
import Suites


/// The human summary `bench --format table` prints: one row per layer, one per compression
/// stage of the suite's models, one per comparison.
struct BenchTable {
    let outcome: SuiteRunner.Outcome

    func render() -> String {
        let layerHeader = ["layer", "engine", "op", "MMACs", "p50", "p90", "cv", "GFLOP/s", "temp max", "edgeprobe/xnnpack"]
        var text = outcome.benches.isEmpty ? "" : TextColumns.render(header: layerHeader, outcome.benches) { bench in
            [
                bench.name, bench.engine, bench.op, DecimalText.fixed(Double(bench.macs) / 1e6, 2),
                Progress.formatMicroseconds(bench.latencyUs.p50), Progress.formatMicroseconds(bench.latencyUs.p90),
                DecimalText.fixed(bench.latencyUs.cv * 100, 1) + "%", DecimalText.fixed(bench.gflops, 1),
                TextColumns.figure(bench.telemetry.tempCMax, 1, " C"),
                TextColumns.figure(bench.p50RatioEdgeprobeToXnnpack, 2, "x"),
            ]
        }
        if !outcome.compressions.isEmpty {
            text += (text.isEmpty ? "" : "\n") + CompressionRecord.table(outcome.compressions)
        }
        if !outcome.comparisons.isEmpty {
            let pairHeader = ["comparison", "engine", "baseline", "candidate", "MAC ratio", "speedup s/s*", "realized"]
            text += "\n" + TextColumns.render(header: pairHeader, outcome.comparisons) { pair in
                [
                    pair.name, pair.engine, Progress.formatMicroseconds(pair.baselineP50Us), Progress.formatMicroseconds(pair.candidateP50Us),
                    DecimalText.fixed(pair.theoreticalRatio, 2) + "x", DecimalText.fixed(pair.speedupRate, 2) + "x",
                    DecimalText.fixed(pair.efficiency * 100, 0) + "%",
                ]
            }
        }
        if let end = outcome.end, end.interrupted {
            text += "\ninterrupted after \(end.layersCompleted) of \(end.layersTotal) layers\n"
        }
        return text
    }
}
