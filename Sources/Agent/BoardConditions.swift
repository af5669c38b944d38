/// How busy and how hot the board was at the latest sample: what the scheduler checks before
/// starting a suite.
public struct BoardConditions: Sendable, Equatable {
    /// Whole-machine CPU utilization, percent; `nil` before two readings or without `/proc/stat`.
    public var cpuBusyPct: Double?
    /// The hottest sensor, degrees Celsius; `nil` on a board without sensors.
    public var hottestC: Double?
    /// Why a figure above is `nil`.
    public var unavailable: [String: String]

    /// Conditions as measured.
    public init(cpuBusyPct: Double?, hottestC: Double?, unavailable: [String: String]) {
        self.cpuBusyPct = cpuBusyPct
        self.hottestC = hottestC
        self.unavailable = unavailable
    }
}
