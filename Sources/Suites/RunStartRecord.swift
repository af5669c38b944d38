import Engines
import Measurement
import Profiles
import Reports
import Telemetry

/// The first record of a benchmark run: the machine, the board profile and every option.
public struct RunStartRecord: Record {
    public static let recordType = "run_start"

    /// edgeprobe's version.
    public let edgeprobeVersion: String
    /// The hardware and kernel.
    public let system: HostDescription
    /// CPU frequency governor of CPU 0, where cpufreq exists.
    @Nullable public var governor: String?
    /// The board profile in effect.
    public let board: String
    /// The suite's name and file.
    public let suite: String
    /// The suite file that was read.
    public let suitePath: String
    /// Every option of the run, after profile defaults were applied.
    public let options: BenchOptions
    /// Each engine measured: its version and the instruction-set paths it chose on this CPU.
    public let engines: [EngineDescription]
    /// Why a figure above is null.
    public let unavailable: [String: String]
    /// Where the run differs from what was asked (a board profile asking for CPUs or threads
    /// this machine does not have): `options` holds what really runs.
    public let warnings: [String]
}

extension RunStartRecord {
    /// The record for a run of `suite` on `board`, describing this machine.
    public static func make(
        version: String, board: BoardProfile, suite: Suite, options: BenchOptions, sample: Sample?, warnings: [String] = []
    ) -> RunStartRecord {
        let governor = sample?.cpufreq.compactMap(\.governor).first
        let engines = options.engine.engines.map { EngineDescription.describe($0, edgeprobeVersion: version) }
        var unavailable = governor == nil ? ["governor": "no cpufreq"] : [:]
        unavailable.merge(EngineDescription.unavailable(engines)) { first, _ in first }
        return RunStartRecord(
            edgeprobeVersion: version, system: .current(), governor: governor, board: board.name,
            suite: suite.name, suitePath: suite.path, options: options, engines: engines,
            unavailable: unavailable, warnings: warnings)
    }
}
