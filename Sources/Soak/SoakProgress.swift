import Glibc
import Suites

/// A line per window on standard error, for people watching a terminal.
public final class SoakProgress {
    /// Progress lines, or `nil` when standard error is not a terminal.
    public static func forTerminal() -> SoakProgress? {
        isatty(STDERR_FILENO) == 1 ? SoakProgress() : nil
    }

    /// The board is cooling before the first window.
    func cooling(temperatureC: Double, limitC: Double) {
        emit("cooling: \(temperatureC) C, waiting for below \(limitC) C\n")
    }

    /// A window finished (one engine's record of it; `engines` take turns through the soak).
    func window(_ record: WindowRecord, totalS: Double, engines: Int) {
        emit(Self.line(record, totalS: totalS, engines: engines) + "\n")
    }

    /// `[  40s/600s] p50 8.21 ms  62.3 C  1500 MHz  throttled: no`; with two engines the engine
    /// and the ratio follow the time: `[  40s/600s] xnnpack p50 9.02 ms (edgeprobe/xnnpack 0.91x) ...`.
    public static func line(_ record: WindowRecord, totalS: Double, engines: Int = 1) -> String {
        func seconds(_ value: Double) -> String { "\(Int(value.rounded()))s" }
        let elapsed = seconds(record.endS), total = seconds(totalS)
        let padded = String(repeating: " ", count: Swift.max(0, total.count - elapsed.count)) + elapsed
        let temperature = record.hottestC.map { "\(($0 * 10).rounded() / 10) C" } ?? "- C"
        let megahertz = record.frequencyHz.values.map(\.max).max().map { "\($0 / 1_000_000) MHz" } ?? "- MHz"
        let throttled: String
        switch record.throttled {
        case true?: throttled = "yes (" + record.throttleCause.joined(separator: ", ") + ")"
        case false?: throttled = "no"
        case nil: throttled = "?"
        }
        let engine = engines > 1 ? " \(record.engine)" : ""
        let ratio = record.p50RatioEdgeprobeToXnnpack.map { " (edgeprobe/xnnpack \(($0 * 100).rounded() / 100)x)" } ?? ""
        return "[\(padded)/\(total)]\(engine) p50 \(Progress.formatMicroseconds(record.latencyUs.p50))\(ratio)  \(temperature)  \(megahertz)  throttled: \(throttled)"
    }

    private func emit(_ text: String) {
        _ = text.utf8CString.withUnsafeBufferPointer { write(STDERR_FILENO, $0.baseAddress, $0.count - 1) }
    }
}
