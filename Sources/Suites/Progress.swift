import Glibc

/// Progress for people on standard error, used only when standard error is a terminal.
public final class Progress {
    /// Progress lines, or `nil` when standard error is not a terminal.
    public static func forTerminal() -> Progress? {
        isatty(STDERR_FILENO) == 1 ? Progress() : nil
    }

    /// A layer is about to run.
    func starting(layer: String, index: Int, of total: Int) {
        emit("[\(index + 1)/\(total)] \(layer) ...", newline: false)
    }

    /// The board is cooling before the next layer.
    func cooling(temperatureC: Double, limitC: Double) {
        emit(" cooling (\(temperatureC) C > \(limitC) C)", newline: false)
    }

    /// A layer finished.
    func finished(layer: String, p50Us: Double, cv: Double) {
        emit(" p50 \(Self.formatMicroseconds(p50Us)), cv \(Int((cv * 100).rounded()))%", newline: true)
    }

    private func emit(_ text: String, newline: Bool) {
        let line = newline ? text + "\n" : text
        _ = line.utf8CString.withUnsafeBufferPointer { write(STDERR_FILENO, $0.baseAddress, $0.count - 1) }
    }

    /// `850 us`, `2.96 ms`, `1.20 s`.
    public static func formatMicroseconds(_ value: Double) -> String {
        func fixed(_ number: Double) -> String {
            let hundredths = Int((number * 100).rounded())
            let fraction = String(hundredths % 100)
            return "\(hundredths / 100).\(fraction.count == 1 ? "0" + fraction : fraction)"
        }
        if value < 1000 { return "\(Int(value.rounded())) us" }
        if value < 1_000_000 { return fixed(value / 1000) + " ms" }
        return fixed(value / 1_000_000) + " s"
    }
}
