import Engines
import Foundation
import Measurement
@testable import NAS
import Profiles
import TestSupport
import Testing

/// The verdict of `lut --check` on fixtures: it judges the table's blocks against the networks,
/// corrected for how much faster or slower the machine runs than when the table was measured, and
/// still rejects a wrong table. No timing is asserted: every latency here is a given number.
@Suite struct LookupTableCheckVerdictTests {
    private static let policy = MeasurementPolicy(warmupIterations: 1, minIterations: 3, minTimeS: 0.001, maxIterations: 50)

    /// Architectures whose table predictions are `predicted` and whose medians measured now are `measured`.
    private func architectures(predicted: [Double], measured: [Double], correction: Double) -> [LookupTableCheckRecord.Architecture] {
        zip(predicted, measured).map { predicted, measured in
            .init(name: "a", resolution: 96, depths: [1], macs: 1, params: 1, predictedMs: predicted, measuredMs: measured,
                  predictedP50Ms: predicted, measuredP50Ms: measured, predictedMinMs: predicted, measuredMinMs: measured,
                  measuredCv: 0, n: 20, speedCorrection: correction)
        }
    }

    private func record(_ architectures: [LookupTableCheckRecord.Architecture], correction: LookupTable.Scale?) -> LookupTableCheckRecord {
        LookupTableCheckRecord(table: "t", space: "s", architectures: architectures, speedDrift: correction?.value, speedCorrection: correction,
                               speedWindowMs: LookupTableCheck.speedWindowMs,
                               summary: TelemetrySummary(withoutProbe: ()), measurement: Self.policy, threads: 1, interrupted: false)
    }

    /// A right table's predicted medians, milliseconds, for the machine as it ran when the table was measured.
    private let measuredBlockSums = [2.0, 3.0, 4.0, 2.5, 3.5]

    @Test func aRightTableOnABusierMachinePassesOnceCorrected() async throws {
        // The machine runs 1.3x slower now: the calibration networks' medians now over then are
        // 1.28-1.33; every architecture measures 1.3x its (right) prediction, within 2%.
        let correction = try #require(LookupTable.Scale(ratios: [1.28, 1.3, 1.31, 1.29, 1.33, 1.3]))
        #expect(correction.value == 1.3 && correction.min == 1.28 && correction.max == 1.33 && correction.n == 6)
        let measured = zip(measuredBlockSums, [1.01, 0.99, 1.02, 0.98, 1.0]).map { $0 * 1.3 * $1 }
        let checked = record(architectures(predicted: measuredBlockSums, measured: measured, correction: correction.value), correction: correction)
        #expect(checked.within10PctShare == 1 && checked.meetsTarget)
        // Uncorrected, every prediction is 23% low: the table would be blamed for the load.
        #expect(checked.within10PctShareUncorrected == 0)
        #expect(checked.architectures.allSatisfy { abs($0.errorUncorrectedPct - (1 / 1.3 - 1) * 100) < 2.5 && abs($0.errorPct) < 2.5 })
        #expect(checked.speedCorrection == 1.3 && checked.speedCorrectionMin == 1.28 && checked.speedCorrectionMax == 1.33)
        // Every figure of the check is there: the only reasons are the engine's (an uncapped edgeprobe's max_isa).
        #expect(checked.calibrationNetworks == 6 && checked.unavailable == checked.engineDescription.unavailable()
            && checked.within10PctShareGlobal == 1)
        #expect(try await SchemaValidator.validateByType(RecordLine.text(checked)).problems == "")
    }

    @Test func loadThatChangesDuringTheCheckIsFollowedPerArchitecture() async throws {
        // The first half of the check ran on the machine as fast as when the table was measured,
        // the second half 1.4x slower (a build started): calibration runs at 1.0x, then 1.4x.
        let points = stride(from: 0.0, to: 10_000_000, by: 20_000).enumerated().map { index, time in
            SpeedTrace.Point(timeUs: time, network: index % 6, ratio: time < 5_000_000 ? 1.0 : 1.4)
        }
        let trace = SpeedTrace(points: points, windowUs: 300_000)
        let overall = try #require(LookupTable.Scale(ratios: [1.0, 1.0, 1.0, 1.4, 1.4, 1.4]))
        // Architecture i runs (right table, 1% noise) in the first half for i < 3, else in the second.
        func measured(_ tableScale: Double) -> [LookupTableCheckRecord.Architecture] {
            measuredBlockSums.enumerated().map { index, sum in
                let (start, speed) = index < 3 ? (1_000_000.0, 1.0) : (7_000_000.0, 1.4)
                var runs: [(startUs: Double, latencyUs: Double)] = []
                for run in 0..<9 {
                    let noise: Double = 0.99 + 0.0025 * Double(run)
                    runs.append((startUs: start + Double(run) * 10_000, latencyUs: sum * 1e3 * speed * noise))
                }
                let median = LatencyStatistics(runs.map(\.latencyUs))!.p50 / 1e3
                return .init(name: "a", resolution: 96, depths: [1], macs: 1, params: 1, predictedMs: sum * tableScale, measuredMs: median,
                             predictedP50Ms: sum * tableScale, measuredP50Ms: median, predictedMinMs: sum, measuredMinMs: median, measuredCv: 0,
                             n: runs.count, speedCorrection: trace.correction(for: runs, fallback: overall.value))
            }
        }
        let right = record(measured(1), correction: overall)
        #expect(right.architectures.map(\.speedCorrection) == [1, 1, 1, 1.4, 1.4])
        #expect(right.within10PctShare == 1 && right.meetsTarget)
        // One factor for the whole check (1.2) puts the first half 20% high and the second 14% low.
        #expect(right.within10PctShareGlobal == 0)
        // A table whose entries are 25% high stays 25% high, whatever the load did.
        let high = record(measured(1.25), correction: overall)
        #expect(high.within10PctShare == 0 && high.architectures.allSatisfy { abs($0.errorPct - 25) < 1.5 })
        #expect(try await SchemaValidator.validateByType(RecordLine.text(right)).problems == "")
    }

    @Test func unevenLoadIsNamedInTheWarnings() {
        let steady = record(architectures(predicted: measuredBlockSums, measured: measuredBlockSums, correction: 1),
                            correction: LookupTable.Scale(ratios: [0.9, 1.0, 1.3]))
        #expect(steady.warnings.isEmpty)
        // Calibration networks 1.6x apart: the check's load changed unevenly.
        let uneven = record(architectures(predicted: measuredBlockSums, measured: measuredBlockSums, correction: 1),
                            correction: LookupTable.Scale(ratios: [1.0, 1.2, 1.6]))
        #expect(uneven.warnings.count == 1 && uneven.warnings[0].hasPrefix("the calibration networks ran 1.6x apart"))
        // A table whose networks relate to their block sums 1.9x apart was measured under uneven load.
        let table = LookupTableCheckRecord(table: "t", space: "s", architectures: [], speedDrift: nil, speedCorrection: nil,
                                           tableMedianScale: LookupTable.Scale(ratios: [0.97, 1.19, 1.85]), summary: TelemetrySummary(withoutProbe: ()),
                                           measurement: Self.policy, threads: 2, interrupted: false)
        #expect(table.warnings.count == 1 && table.warnings[0].contains("1.91x apart") && table.warnings[0].contains("measure it again"))
    }

    @Test func aTableWithWrongEntriesFailsWhateverTheCorrection() {
        // Entries 25% high (a corrupted table, or one measured at another thread count): the
        // calibration networks, timed end to end, see the machine at its table-time speed (1.0),
        // so the correction leaves the error in place.
        let steady = LookupTable.Scale(ratios: [0.99, 1.0, 1.01])!
        let high = record(architectures(predicted: measuredBlockSums.map { $0 * 1.25 }, measured: measuredBlockSums, correction: steady.value),
                          correction: steady)
        #expect(high.within10PctShare == 0 && !high.meetsTarget)
        // Entries right on average but wrong relative to each other (+20% and -20% in turn): no
        // single factor repairs them.
        let busier = LookupTable.Scale(ratios: [1.5, 1.5, 1.5])!
        let skewed = zip(measuredBlockSums.indices, measuredBlockSums).map { $0 % 2 == 0 ? $1 * 1.2 : $1 * 0.8 }
        let wrong = record(architectures(predicted: skewed, measured: measuredBlockSums.map { $0 * 1.5 }, correction: busier.value),
                           correction: busier)
        #expect(wrong.within10PctShare == 0 && wrong.within10PctShareUncorrected == 0)
    }

    @Test func withoutCalibrationNetworksTheVerdictIsUncorrectedAndSaysWhy() async throws {
        let plain = record(architectures(predicted: measuredBlockSums, measured: measuredBlockSums.map { $0 * 1.05 }, correction: 1), correction: nil)
        #expect(plain.within10PctShare == 1 && plain.within10PctShareUncorrected == 1 && plain.speedCorrection == nil)
        #expect(plain.calibrationNetworks == 0 && plain.unavailable["speed_correction"]?.contains("calibration") == true)
        #expect(plain.within10PctShareGlobal == nil && plain.speedWindowMs == nil && plain.unavailable["within_10pct_share_global"] != nil)
        #expect(plain.architectures.allSatisfy { $0.correctedP50Ms == $0.predictedP50Ms && $0.errorPct == $0.errorUncorrectedPct })
        #expect(try await SchemaValidator.validateByType(RecordLine.text(plain)).problems == "")
    }

    @Test func aTableIsCheckedOnlyAtItsOwnEngineThreadCountAndKernelPath() {
        let table = LookupTable(entries: [:], board: [:], conditions: ["engine": "xnnpack", "threads": "1", "float32_isa": "avx512f"])
        #expect(LookupTableCheck.mismatch(table: table, engine: .xnnpack, threads: 1, float32Isa: "avx512f") == nil)
        #expect(LookupTableCheck.mismatch(table: table, engine: .xnnpack, threads: 2, float32Isa: "avx512f")
            == "the table was measured at 1 thread(s), not 2; check it with --threads 1")
        #expect(LookupTableCheck.mismatch(table: table, engine: .edgeprobe, threads: 1, float32Isa: "avx512f")?
            .contains("--engine xnnpack") == true)
        let capped = LookupTableCheck.mismatch(table: table, engine: .xnnpack, threads: 1, float32Isa: "fma3")
        #expect(capped?.contains("measured on xnnpack's avx512f kernels, and this run takes fma3") == true)
        #expect(capped?.contains("EDGEPROBE_MAX_ISA") == true)
        // Tables of other tools name none of them: edgeprobe's kernels, any thread count and path.
        let foreign = LookupTable(entries: [:], board: [:], conditions: [:])
        #expect(LookupTableCheck.mismatch(table: foreign, engine: .edgeprobe, threads: 4, float32Isa: "neon") == nil)
        #expect(LookupTableCheck.mismatch(table: foreign, engine: .xnnpack, threads: 4, float32Isa: "neon") != nil)
    }

    /// Another version of the engine is checked all the same (versions change with upgrades), with a warning.
    @Test func aTableOfAnotherEngineVersionIsCheckedWithAWarning() {
        let current = EngineDescription.describe(.edgeprobe, edgeprobeVersion: "0.2.0")
        func warning(_ conditions: [String: String], _ engine: EngineDescription = current) -> String? {
            LookupTableCheck.versionWarning(table: LookupTable(entries: [:], board: [:], conditions: conditions), engine: engine)
        }
        #expect(warning(["engine": "edgeprobe", "engine_version": "0.2.0"]) == nil)
        #expect(warning(["engine": "edgeprobe", "engine_version": "0.1.0"])
            == "the table was measured with edgeprobe 0.1.0, and this check runs 0.2.0: its latencies may not hold for this version; measure the table again to be sure")
        // Tables from before engine_version: edgeprobe's own build is its kernels' version.
        #expect(warning(["engine": "edgeprobe", "edgeprobe_version": "0.1.0"])?.contains("measured with edgeprobe 0.1.0") == true)
        #expect(warning(["engine": "edgeprobe", "edgeprobe_version": "0.2.0"]) == nil)
        // ... but not XNNPACK's; and other tools' tables name no version at all.
        let xnnpack = EngineDescription.describe(.xnnpack)
        #expect(warning(["engine": "xnnpack", "edgeprobe_version": "0.0.1"], xnnpack) == nil)
        #expect(warning([:]) == nil)
        #expect(warning(["engine": "xnnpack", "engine_version": "libxnnpack0 0.0~older"], xnnpack)?
            .hasPrefix("the table was measured with xnnpack libxnnpack0 0.0~older, and this check runs ") == true)
        // A version that could not be told is named as such, not as "unavailable".
        #expect(warning(["engine": "edgeprobe", "engine_version": "unavailable"])?
            .contains("measured with edgeprobe a version that cannot be told, and this check runs 0.2.0") == true)
    }

    @Test func theCorrectionComesFromTheCalibrationNetworksNotTheEntries() throws {
        let space = try ArchitectureSearchSpace.load(path: Repository.path("Profiles/spaces/tiny.yaml"))
        let contexts = try space.contextPlans(occurrences: 1, seed: 2 ^ LookupTableBuilder.contextSeedSalt)
        #expect(contexts.count >= 4)
        // Every block 1 ms: a network's prediction is its layer count. Its median in the table over
        // that: the first network's lowest (0.5), the second's highest (3), the others 1.02, 1.03, ...
        let entries = Dictionary(uniqueKeysWithValues: try space.distinctLayers().map {
            ($0.lookupKey, LookupTable.Entry(mean: 1, std: 0, p50: 1, min: 1, n: 3))
        })
        let ratios = contexts.indices.map { $0 == 0 ? 0.5 : $0 == 1 ? 3 : 1 + Double($0) / 100 }
        let medians = Dictionary(uniqueKeysWithValues: contexts.indices.map {
            (contexts[$0].spec.name, Double(contexts[$0].layers.count) * ratios[$0])
        })
        let table = LookupTable(
            entries: entries, board: [:],
            conditions: ["seed": "2", "occurrences_min": "1", "reference_network": contexts[0].spec.name],
            referenceNetwork: .init(mean: 1, std: 0, p50: 1, min: 1, n: 3), calibrationNetworks: medians)
        // The two networks in the middle of the ratios, not the first two (the outliers): with the
        // first network's ratio 0.5, every prediction would have been corrected 2x too high.
        let byRatio = contexts.indices.sorted { ratios[$0] < ratios[$1] }.map { contexts[$0].spec.name }
        let middle = [byRatio[(byRatio.count - 1) / 2], byRatio[(byRatio.count - 1) / 2 + 1]]
        let again = try LookupTableCheck.networksMeasuredAgain(table: table, space: space, calibration: 2)
        #expect(Set(again.filter(\.isCalibration).map(\.plan.spec.name)) == Set(middle))
        #expect(!middle.contains(contexts[0].spec.name) && !middle.contains(contexts[1].spec.name))
        // Their medians in the table; the reference network, first, measured for speed_drift only.
        #expect(again.filter(\.isCalibration).map(\.thenP50Ms) == again.filter(\.isCalibration).map { medians[$0.plan.spec.name]! })
        #expect(again.first?.plan.spec.name == contexts[0].spec.name && again.first?.isReference == true
            && again.first?.isCalibration == false && again.first?.thenP50Ms == medians[contexts[0].spec.name])
        #expect(again.count == 3)
        // Asked for all of them: every network, the outliers too.
        let all = try LookupTableCheck.networksMeasuredAgain(table: table, space: space, calibration: contexts.count)
        #expect(all.filter(\.isCalibration).count == contexts.count)
        // --calibration 0: only the reference network, for speed_drift.
        let reference = try LookupTableCheck.networksMeasuredAgain(table: table, space: space, calibration: 0)
        #expect(reference.map(\.plan.spec.name) == [contexts[0].spec.name] && reference[0].isCalibration == false)
        // A table of another tool has neither.
        let foreign = LookupTable(entries: table.entries, board: [:], conditions: [:])
        #expect(try LookupTableCheck.networksMeasuredAgain(table: foreign, space: space, calibration: 6).isEmpty)
    }

    @Test func calibrationNetworksRoundTripAndBadMediansAreNamed() throws {
        let table = LookupTable(entries: ["k": .init(mean: 1, std: 0.1, p50: 1, min: 0.9, n: 3)], board: [:], conditions: [:],
                                calibrationNetworks: ["s-context0": 2.5, "s-context1": 3.25])
        let file = TemporaryFile(try table.yaml())
        #expect(try String(contentsOfFile: file.path, encoding: .utf8).contains("\ncalibration_networks:\n  s-context0: 2.5\n  s-context1: 3.25\n"))
        #expect(try LookupTable.load(path: file.path) == table)
        for (yaml, key) in [("calibration_networks: {s-context0: 0}\n", "calibration_networks.s-context0"),
                            ("calibration_networks: {s-context0: fast}\n", "calibration_networks.s-context0"),
                            ("calibration_networks: 3\n", "calibration_networks")] {
            let bad = TemporaryFile(yaml)
            let error = #expect(throws: ConfigError.self) { try LookupTable.load(path: bad.path) }
            #expect(try #require(error).description.contains("\(key):"), "\(yaml)")
        }
    }
}
