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
        var text = outcome.benches.isEmpty ? "" : TextColumns.render(layerRows)
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
            text += "\n" + TextColumns.render(pairRows)
        }
        if let end = outcome.end, end.interrupted {
            text += "\ninterrupted after \(end.layersCompleted) of \(end.layersTotal) layers\n"
        }
        return text
    }
}
