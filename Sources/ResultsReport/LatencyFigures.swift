/// The latency statistics edgeprobe writes (`latency_us`: n, min, mean, std, p50, p90, p99, max,
/// cv), read from a record, and the noise threshold its measurements warn at.
struct LatencyFigures {
    /// The coefficient of variation above which edgeprobe's measurements warn "noisy" (10 %).
    static let noisyCV = 0.10

    let n: Int?
    let min: Double?, mean: Double?, p50: Double?, p90: Double?, p99: Double?, max: Double?
    let cv: Double?

    /// Reads `value` (a `latency_us` object); `nil` when it is not one.
    init?(_ value: JSONValue?) {
        guard let value, case .object = value else { return nil }
        n = value["n"]?.int
        min = value["min"]?.number
        mean = value["mean"]?.number
        p50 = value["p50"]?.number
        p90 = value["p90"]?.number
        p99 = value["p99"]?.number
        max = value["max"]?.number
        cv = value["cv"]?.number
    }

    /// The cv when it is above the warning threshold.
    var noisyCV: Double? { cv.flatMap { $0 > LatencyFigures.noisyCV ? $0 : nil } }

    /// The cv as a table cell, marked when noisy.
    var cvCell: ReportCell {
        guard let cv else { return ReportCell("n/a", .missing) }
        return ReportCell(NumberText.significant(cv * 100, 2) + " %", noisyCV != nil ? .noisy : .none)
    }
}
