import Quantities
import Soak
import Suites

/// The window table `soak --format table` prints, and the summary under it (with two engines, an
/// engine column and a summary per engine).
struct SoakTable {
    let outcome: SoakRunner.Outcome

    func render() -> String {
        let engines = outcome.summaries.count > 1
        let header = ["window", "start"] + (engines ? ["engine"] : []) + ["inferences", "p50", "p90", "busy", "hottest", "MHz max", "throttled", "W"]
        var text = TextColumns.render(header: header, outcome.windows) { window in
            let place = [String(window.index), DecimalText.fixed(window.startS, 1) + " s"]
            let figures: [String] = [
                String(window.inferences),
                Progress.formatMicroseconds(window.latencyUs.p50), Progress.formatMicroseconds(window.latencyUs.p90),
                TextColumns.figure(window.cpuBusyPct, 0, "%"),
                TextColumns.figure(window.hottestC, 1, " C"),
                window.frequencyHz.values.map(\.max).max().map { String($0 / 1_000_000) } ?? "-",
                window.throttled.map { $0 ? window.throttleCause.joined(separator: ",") : "no" } ?? "-",
                TextColumns.figure(window.powerW, 2),
            ]
            return place + (engines ? [window.engine] : []) + figures
        }
        for summary in outcome.summaries {
            text += "\n"
            if engines { text += summary.engine + "\n" }
            text += Self.render(summary)
        }
        if let ratio = outcome.summaries.first?.sustainedP50RatioEdgeprobeToXnnpack {
            text += "\nsustained p50, edgeprobe / xnnpack: " + DecimalText.fixed(ratio, 3) + "x\n"
        }
        return text
    }

    /// The summary lines of one engine's `soak` record.
    private static func render(_ summary: SoakRecord) -> String {
        var text = ""
        func line(_ label: String, _ value: String) { text += label + ": " + value + "\n" }
        line("burst p50", TextColumns.microseconds(summary.burstP50Us))
        line("sustained p50", TextColumns.microseconds(summary.sustainedP50Us))
        line("sustained / burst", TextColumns.figure(summary.sustainedOverBurst, 3, "x"))
        line("time to throttle", summary.timeToThrottleS.map {
            DecimalText.fixed($0, 1) + " s (" + summary.throttleCause.joined(separator: ", ") + ")"
        } ?? "never")
        line("temperature", "\(TextColumns.figure(summary.startTempC, 1)) C at start, \(TextColumns.figure(summary.maxTempC, 1)) C max, \(TextColumns.figure(summary.heatingRateCPerMin, 2)) C/min")
        line("p90 over the run", "\(TextColumns.microseconds(summary.p90Us)) of \(summary.inferences) inferences (MLPerf SingleStream minimums: queries \(summary.mlperfSingleStream.queriesOk ? "met" : "not met"), duration \(summary.mlperfSingleStream.durationOk ? "met" : "not met"))")
        line("energy per inference", summary.energyPerInferenceJ.map { DecimalText.fixed($0 * 1000, 3) + " mJ" } ?? "- (\(summary.unavailable["energy_per_inference_j"] ?? "unavailable"))")
        if summary.interrupted { text += "interrupted by \(summary.signal ?? "a signal") after \(summary.windows) windows\n" }
        return text
    }
}
