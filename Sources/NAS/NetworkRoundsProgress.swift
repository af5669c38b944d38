import Telemetry

/// The progress lines of networks measured in turns (a lookup table's build and check):
/// `3/20 networks done (41 s)`, written when another network finishes and at least every 5 s.
struct NetworkRoundsProgress {
    private let networks: Int
    /// What a finished network is called in the line: `done`, `measured`.
    private let finishedWord: String
    private let report: ((String) -> Void)?
    private let started = MonotonicClock.now()
    private var lastFinished = 0
    private var lastReport: UInt64

    /// Progress over `networks` networks, reported to `report`.
    init(networks: Int, finishedWord: String, report: ((String) -> Void)?) {
        self.networks = networks
        self.finishedWord = finishedWord
        self.report = report
        lastReport = started
    }

    /// Called after each round of turns (`InterleavedRuns`' progress) with the networks finished so far.
    mutating func roundEnded(finished: Int) {
        let now = MonotonicClock.now()
        guard finished != lastFinished || now - lastReport >= 5_000_000_000 else { return }
        (lastFinished, lastReport) = (finished, now)
        report?("\(finished)/\(networks) networks \(finishedWord) (\(Int(Double(now - started) / 1e9)) s)")
    }
}
