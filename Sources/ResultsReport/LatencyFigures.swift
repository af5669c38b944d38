import ReportCharts
import Reports
/// The latency statistics the report shows, read from a record's `latency_us` (which also has n,
/// std and max), and the noise threshold edgeprobe's measurements warn at.
struct LatencyFigures {
    /// The coefficient of variation above which edgeprobe's measurements warn "noisy" (10 %).
    static let noisyCV = 0.10

    let min: Double?, mean: Double?, p50: Double?, p90: Double?, p99: Double?
    let cv: Double?

    /// Reads `value` (a `latency_us` object); `nil` when it is not one.
    init?(_ value: JSONLineValue?) {
        guard let value, case .object = value else { return nil }
        min = value["min"]?.number
        mean = value["mean"]?.number
        p50 = value["p50"]?.number
        p90 = value["p90"]?.number
        p99 = value["p99"]?.number
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
