import Quantities
import Soak
import Suites

/// The window table `soak --format table` prints, and the summary under it.
struct SoakTable {
    let outcome: SoakRunner.Outcome

    func render() -> String {
        var rows = [["window", "start", "inferences", "p50", "p90", "busy", "hottest", "MHz max", "throttled", "W"]]
        for window in outcome.windows {
            rows.append([
                String(window.index), DecimalText.fixed(window.startS, 1) + " s", String(window.inferences),
                Progress.formatMicroseconds(window.latencyUs.p50), Progress.formatMicroseconds(window.latencyUs.p90),
                window.cpuBusyPct.map { DecimalText.fixed($0, 0) + "%" } ?? "-",
                window.hottestC.map { DecimalText.fixed($0, 1) + " C" } ?? "-",
                window.frequencyHz.values.map(\.max).max().map { String($0 / 1_000_000) } ?? "-",
                window.throttled.map { $0 ? window.throttleCause.joined(separator: ",") : "no" } ?? "-",
                window.powerW.map { DecimalText.fixed($0, 2) } ?? "-",
            ])
        }
        let summary = outcome.summary
        var text = TextColumns.render(rows) + "\n"
        func line(_ label: String, _ value: String) { text += label + ": " + value + "\n" }
        line("burst p50", summary.burstP50Us.map(Progress.formatMicroseconds) ?? "-")
        line("sustained p50", summary.sustainedP50Us.map(Progress.formatMicroseconds) ?? "-")
        line("sustained / burst", summary.sustainedOverBurst.map { DecimalText.fixed($0, 3) + "x" } ?? "-")
        line("time to throttle", summary.timeToThrottleS.map {
            DecimalText.fixed($0, 1) + " s (" + summary.throttleCause.joined(separator: ", ") + ")"
        } ?? "never")
        line("temperature", "\(summary.startTempC.map { DecimalText.fixed($0, 1) } ?? "-") C at start, \(summary.maxTempC.map { DecimalText.fixed($0, 1) } ?? "-") C max, \(summary.heatingRateCPerMin.map { DecimalText.fixed($0, 2) } ?? "-") C/min")
        line("p90 over the run", "\(summary.p90Us.map(Progress.formatMicroseconds) ?? "-") of \(summary.inferences) inferences (MLPerf SingleStream minimums: queries \(summary.mlperfSingleStream.queriesOk ? "met" : "not met"), duration \(summary.mlperfSingleStream.durationOk ? "met" : "not met"))")
        line("energy per inference", summary.energyPerInferenceJ.map { DecimalText.fixed($0 * 1000, 3) + " mJ" } ?? "- (\(summary.unavailable["energy_per_inference_j"] ?? "unavailable"))")
        if summary.interrupted { text += "interrupted by \(summary.signal ?? "a signal") after \(summary.windows) windows\n" }
        return text
    }
}
