import Glibc
import Telemetry

/// Waiting for the board to cool below a limit before measuring, so that runs start alike
/// (`bench --cooldown-to`, a soak's `cooldown_to_c`).
public struct Cooldown: Sendable {
    /// The hottest sensor must read below this, in °C.
    public let limitC: Double
    /// How long to wait at most, in seconds.
    public let timeoutS: Double

    /// A cool-down to below `limitC`, waiting at most `timeoutS`.
    public init(limitC: Double, timeoutS: Double) {
        self.limitC = limitC
        self.timeoutS = timeoutS
    }

    /// How a wait ended.
    public struct Outcome: Sendable {
        /// Seconds waited.
        public let waitedS: Double
        /// The hottest reading when the timeout passed; `nil` when the board cooled (or a stop came).
        public let stillC: Double?
    }

    /// Waits until `hottest()` reads below the limit (or reads nothing), the timeout passes, or
    /// `stopFlag` is raised; `announce` hears the first reading at or above the limit, once.
    public func wait(hottest: () -> Double?, stopFlag: StopFlag, announce: (Double) -> Void) -> Outcome {
        let started = MonotonicClock.now()
        func elapsed() -> Double { Double(MonotonicClock.now() - started) / 1e9 }
        var announced = false
        while let temperature = hottest(), temperature >= limitC, !stopFlag.isRaised {
            if elapsed() >= timeoutS { return Outcome(waitedS: elapsed(), stillC: temperature) }
            if !announced {
                announce(temperature)
                announced = true
            }
            usleep(250_000)
        }
        return Outcome(waitedS: elapsed(), stillC: nil)
    }

    /// What a run says when the board was still `stillC` after the whole timeout.
    public func warning(stillC: Double) -> String {
        "still \(stillC) C after waiting \(Int(timeoutS)) s to cool below \(limitC) C"
    }
}
