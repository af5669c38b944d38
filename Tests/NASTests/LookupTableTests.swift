import Engines
import Foundation
import Measurement
import Models
@testable import NAS
import Profiles
import Reports
import Tensors
import TestSupport
import Testing
import XNNPACKEngine

@Suite(.timeLimit(.minutes(3))) struct LookupTableTests {
    private static let quick = MeasurementPolicy(warmupIterations: 1, minIterations: 3, minTimeS: 0.001, maxIterations: 50)

    /// Builds a table of `space` for the generic board on a thread of its own (measuring holds
    /// no thread of the concurrency pool).
    private static func build(_ builder: LookupTableBuilder, _ space: ArchitectureSearchSpace) async throws -> LookupTableBuilder.Outcome {
        try await onOwnThread {
            try builder.run(
                space: space, board: BoardProfile.load(path: Repository.path("Profiles/boards/generic.yaml")),
                version: "test", telemetry: nil, stopFlag: StopFlag())
        }
    }

    private func tinySpace() throws -> ArchitectureSearchSpace {
        try ArchitectureSearchSpace.load(path: Repository.path("Profiles/spaces/tiny.yaml"))
    }

    @Test func distinctLayersCoverEverySampledArchitecture() throws {
        let space = try tinySpace()
        let keys = Set(try space.distinctLayers().map(\.lookupKey))
        // Per resolution: stem, head conv, pool, and per (kernel, expand) one stage-0 layer (its first layer keeps
        // 8 channels at stride 1, so it is its repeat) and stage 1's first and repeat; the fc layer is shared.
        #expect(keys.count == 2 * 3 + 1 + 2 * 3 * 4)
        var generator = SplitMix64(seed: 3)
        for index in 0..<30 {
            let (plan, depths) = try space.sample(using: &generator, name: "s\(index)")
            #expect(depths.count == 2 && depths.allSatisfy { (1...2).contains($0) })
            #expect(plan.layers.allSatisfy { keys.contains($0.lookupKey) })
        }
        #expect(space.size == 2 * (4 + 16) * (4 + 16))
    }

    @Test func shippedSpaceLoadsAndHasTheDocumentedSize() throws {
        let space = try ArchitectureSearchSpace.load(path: Repository.path("Profiles/spaces/mobilenet-v2-96.yaml"))
        let layers = try space.distinctLayers()
        // stage 0: 1; stages 1-5: (first, repeat) x 3 kernels x 2 expands; stage 6: first x 6; stem, head conv, pool, fc.
        #expect(layers.count == 1 + 5 * 12 + 6 + 4)
        #expect(layers.contains { $0.lookupKey == "expanded_conv-input:48x48x16-output:24x24x24-expand:6-kernel:5-stride:2-idskip:0" })
    }

    @Test func badSpaceFieldsAreNamed() throws {
        let file = TemporaryFile("name: s\nresolutions: [16]\nstem: {cout: 8}\nstages:\n  - {cout: 8, depths: []}\nhead: {classes: 2}\n")
        let error = #expect(throws: ConfigError.self) { try ArchitectureSearchSpace.load(path: file.path) }
        #expect(try #require(error).description.contains("stages[0].depths: expected a non-empty list"))
    }

    @Test func contextNetworksHoldEveryBlockAtLeastTheAskedNumberOfTimes() throws {
        let space = try tinySpace()
        let keys = Set(try space.distinctLayers().map(\.lookupKey))
        let plans = try space.contextPlans(occurrences: 2, seed: 9)
        var uses: [String: Int] = [:]
        for plan in plans { for layer in plan.layers { uses[layer.lookupKey, default: 0] += 1 } }
        #expect(Set(uses.keys) == keys)
        #expect(uses.values.allSatisfy { $0 >= 2 })
        #expect(Set(plans.map(\.spec.input.height)) == [16, 24])
        // The same seed gives the same networks: `lut --check` rebuilds the reference network from it.
        #expect(try space.contextPlans(occurrences: 2, seed: 9).map(\.spec) == plans.map(\.spec))
    }

    @Test func tableRoundTripsThroughYAMLAndPredictsBySumming() async throws {
        let space = try tinySpace()
        let measurement = LatencyMeasurement(threads: 1, cpus: nil, policy: Self.quick, seed: 2)
        let outcome = try await Self.build(LookupTableBuilder(measurement: measurement, context: .network, occurrences: 1), space)
        #expect(outcome.table.entries.count == 31)
        #expect(outcome.table.entries.values.allSatisfy { $0.n >= 3 && $0.mean > 0 })
        let overhead = try #require(outcome.table.networkOverhead)
        let reference = try #require(outcome.table.referenceNetwork)
        #expect(overhead.n >= 3 && reference.n >= 3 && reference.mean > 0)
        #expect(outcome.table.conditions["context"] == "network" && outcome.table.conditions["occurrences_min"] == "1")
        // The engine named as run_start names it, in the record and (version, path) in the table.
        #expect(outcome.record.engineDescription == EngineDescription.describe(.edgeprobe, edgeprobeVersion: "test"))
        #expect(outcome.table.conditions["engine_version"] == "test"
            && outcome.table.conditions["float32_isa"] == outcome.record.engineDescription.float32Isa)
        #expect(outcome.record.unavailable == outcome.record.engineDescription.unavailable())
        let file = TemporaryFile(try outcome.table.yaml())
        let text = try String(contentsOfFile: file.path, encoding: .utf8)
        #expect(text.contains("expanded_conv-input:8x8x8-output:8x8x8-expand:2-kernel:3-stride:1-idskip:1:\n  mean: "))
        #expect(text.contains("\nnetwork_overhead:\n  mean: ") && text.contains("\nreference_network:\n  mean: "))
        let loaded = try LookupTable.load(path: file.path)
        #expect(loaded == outcome.table)
        #expect(loaded.conditions["space"] == "tiny" && loaded.board["profile"] == "generic")

        var generator = SplitMix64(seed: 1)
        let plan = try space.sample(using: &generator, name: "s").plan
        let expected = plan.layers.reduce(overhead.mean) { $0 + loaded.entries[$1.lookupKey]!.mean }
        #expect(try loaded.predictMs(plan) == expected)
        let expectedMin = plan.layers.reduce(overhead.p50) { $0 + loaded.entries[$1.lookupKey]!.min }
        #expect(try loaded.predictMs(plan, statistic: \.min) == expectedMin)
        // Medians: the sum times the median scale, measured over the context networks.
        let scale = try #require(loaded.medianScale)
        #expect(scale.n == Int(loaded.conditions["context_networks"] ?? "") && scale.min <= scale.value && scale.value <= scale.max)
        #expect(text.contains("\nmedian_scale:\n  value: "))
        let sumOfMedians = plan.layers.reduce(overhead.p50) { $0 + loaded.entries[$1.lookupKey]!.p50 }
        #expect(try loaded.predictMs(plan, statistic: \.p50) == sumOfMedians * scale.value)
        var partial = loaded
        partial.entries[plan.layers[1].lookupKey] = nil
        #expect(throws: LookupTableError.missingKey(plan.layers[1].lookupKey)) { try partial.predictMs(plan) }
        #expect(try await SchemaValidator.validateByType(RecordLine.text(outcome.record)).problems == "")
        #expect(try LookupTableBuilder.referencePlan(table: loaded, space: space)?.spec.name == loaded.conditions["reference_network"])
        // Every context network's end-to-end median, by the name the check rebuilds it under.
        let contexts = try #require(try LookupTableBuilder.contextPlans(table: loaded, space: space))
        #expect(Set(loaded.calibrationNetworks.keys) == Set(contexts.map(\.spec.name)) && loaded.calibrationNetworks.values.allSatisfy { $0 > 0 })
        #expect(loaded.calibrationNetworks[contexts[0].spec.name] == reference.p50)
    }

    @Test func isolatedTableHasEveryBlockAndNoNetworkFigures() async throws {
        let space = try tinySpace()
        let measurement = LatencyMeasurement(threads: 1, cpus: nil, policy: Self.quick, seed: 2)
        let table = try await Self.build(LookupTableBuilder(measurement: measurement, context: .isolated), space).table
        #expect(table.entries.count == 31 && table.networkOverhead == nil && table.referenceNetwork == nil)
        #expect(table.medianScale == nil && table.calibrationNetworks.isEmpty)
        #expect(table.conditions["context"] == "isolated")
        #expect(try LookupTableBuilder.referencePlan(table: table, space: space) == nil)
    }

    /// One thread: the two cases run at once, and two XNNPACK thread pools of two spinning
    /// workers on a loaded two-CPU machine made a half-second test take a minute.
    @Test(.timeLimit(.minutes(1)), arguments: [LookupTableBuilder.Context.isolated, .network])
    func xnnpackTablesHoldEveryBlockAndNameTheirEngine(context: LookupTableBuilder.Context) async throws {
        let space = try tinySpace()
        let measurement = LatencyMeasurement(threads: 1, cpus: nil, policy: Self.quick, seed: 2, engine: .xnnpack)
        let outcome = try await Self.build(LookupTableBuilder(measurement: measurement, context: context, occurrences: 1), space)
        #expect(outcome.table.entries.count == 31)
        #expect(outcome.table.entries.values.allSatisfy { $0.n >= 3 && $0.mean > 0 })
        #expect(outcome.table.conditions["engine"] == "xnnpack" && outcome.record.engine == "xnnpack")
        #expect(outcome.record.engineDescription == EngineDescription.describe(.xnnpack))
        #expect(outcome.table.conditions["engine_version"] == XNNPACK.packageVersion ?? "unavailable")
        let report = try await SchemaValidator.validateByType(try RecordLine.text(outcome.record))
        #expect(report.valid, "\(report.problems)")
    }

    @Test(.timeLimit(.minutes(1)))
    func checkMeasuresTheTablesEngine() async throws {
        let space = try tinySpace()
        let measurement = LatencyMeasurement(threads: 1, cpus: nil, policy: Self.quick, seed: 2, engine: .xnnpack)
        let table = try await Self.build(LookupTableBuilder(measurement: measurement, occurrences: 1), space).table
        let record = try await onOwnThread {
            try LookupTableCheck(measurement: measurement, architectures: 2, samplingSeed: 5)
                .run(table: table, tablePath: "t.yaml", space: space, telemetry: nil, stopFlag: StopFlag())
        }
        #expect(record.engine == "xnnpack" && record.architectures.count == 2)
        // The same XNNPACK measured the table: no warning about its version.
        #expect(record.engineDescription == EngineDescription.describe(.xnnpack))
        #expect(!record.warnings.contains { $0.contains("measured with") }, "\(record.warnings)")
        #expect(record.architectures.allSatisfy { $0.measuredP50Ms > 0 && $0.n >= 3 })
        let report = try await SchemaValidator.validateByType(try RecordLine.text(record))
        #expect(report.valid, "\(report.problems)")
    }

    @Test func tablesOfOtherToolsLoadWithoutNetworkFigures() throws {
        let file = TemporaryFile("Conv-input:16x16x3-output:8x8x8-kernel:3-stride:2:\n  mean: 0.5\n  std: 0.1\n  count: 7\n")
        let table = try LookupTable.load(path: file.path)
        #expect(table.entries == ["Conv-input:16x16x3-output:8x8x8-kernel:3-stride:2": .init(mean: 0.5, std: 0.1, p50: 0.5, min: 0.5, n: 7)])
        #expect(table.networkOverhead == nil && table.referenceNetwork == nil)
        let bad = TemporaryFile("network_overhead: {mean: fast, std: 0}\n")
        let error = #expect(throws: ConfigError.self) { try LookupTable.load(path: bad.path) }
        #expect(try #require(error).description.contains("network_overhead"))
        let badScale = TemporaryFile("median_scale: {value: 0, min: 1, max: 1, n: 3}\n")
        let scaleError = #expect(throws: ConfigError.self) { try LookupTable.load(path: badScale.path) }
        #expect(try #require(scaleError).description.contains("median_scale.value"))
        // A scale outside its own range, or over no networks, is not a measured one.
        for (yaml, key) in [("median_scale: {value: 1.2, min: 0.9, max: 1.1, n: 3}\n", "median_scale.value"),
                            ("median_scale: {value: 1.1, min: 1, max: 1.2, n: 0}\n", "median_scale.n")] {
            let file = TemporaryFile(yaml)
            let error = #expect(throws: ConfigError.self) { try LookupTable.load(path: file.path) }
            #expect(try #require(error).description.contains(key), "\(yaml)")
        }
    }

    @Test func checkSummarizesSharesAndRMSE() async throws {
        func architecture(predicted: Double, measured: Double) -> LookupTableCheckRecord.Architecture {
            .init(name: "a", resolution: 16, depths: [1], macs: 1, params: 1, predictedMs: predicted, measuredMs: measured,
                  predictedP50Ms: predicted * 0.9, measuredP50Ms: measured, predictedMinMs: predicted, measuredMinMs: measured * 2,
                  measuredCv: 0, n: 3)
        }
        // Errors on medians (predicted at 0.9x): -5.5% (in), -19% (out), +8% (in), -10% (in, on the edge): 3 of 4.
        let results = [architecture(predicted: 1.05, measured: 1), architecture(predicted: 1.8, measured: 2),
                       architecture(predicted: 1.2, measured: 1), architecture(predicted: 3, measured: 3)]
        #expect(abs(results[0].errorPct + 5.5) < 1e-9 && abs(results[1].errorPct + 19) < 1e-9)
        let record = LookupTableCheckRecord(
            table: "t", space: "s", architectures: results, speedDrift: 1.05, summary: TelemetrySummary(withoutProbe: ()),
            measurement: Self.quick, threads: 1, interrupted: false)
        #expect(record.within10PctShare == 0.75 && !record.meetsTarget)
        // Means: +5%, -10% (edge), +20%, 0%: 3 of 4. Minimums measured at 2x: all about -50%.
        #expect(record.within10PctShareMean == 0.75 && record.within10PctShareMin == 0)
        #expect(record.speedDrift == 1.05 && record.unavailable.keys.filter { !$0.hasPrefix("engine_description.") }.sorted()
            == ["speed_correction", "speed_correction_max", "speed_correction_min", "speed_window_ms", "within_10pct_share_global"])
        // Medians: errors -0.055, -0.38, +0.08, -0.3: sqrt((0.003025 + 0.1444 + 0.0064 + 0.09) / 4) = 0.246893...
        #expect(abs(record.rmseMs - 0.24689319553199515) < 1e-9)
        // Means: sqrt((0.05² + 0.2² + 0.2² + 0) / 4) = sqrt(0.0825 / 4) = 0.143614...
        #expect(abs(record.rmseMeanMs - 0.14361406616345) < 1e-9)
        // (5.5 + 19 + 8 + 10) / 4
        #expect(abs(record.meanAbsErrorPct - 10.625) < 1e-9)
        let noDrift = LookupTableCheckRecord(
            table: "t", space: "s", architectures: results + [architecture(predicted: 1, measured: 1)], speedDrift: nil,
            summary: TelemetrySummary(withoutProbe: ()), measurement: Self.quick, threads: 1, interrupted: false)
        #expect(noDrift.within10PctShare == 0.8 && noDrift.speedDrift == nil)
        #expect(noDrift.unavailable["speed_drift"] != nil)
        #expect(try await SchemaValidator.validateByType(RecordLine.text(noDrift)).problems == "")
    }

    @Test func checkRunsEndToEndAndMatchesItsSchema() async throws {
        let space = try tinySpace()
        let measurement = LatencyMeasurement(threads: 1, cpus: nil, policy: Self.quick, seed: 2)
        let table = try await Self.build(LookupTableBuilder(measurement: measurement, occurrences: 1), space).table
        let (record, lines) = try await onOwnThread {
            var lines: [String] = []
            let record = try LookupTableCheck(measurement: measurement, architectures: 3, samplingSeed: 5)
                .run(table: table, tablePath: "t.yaml", space: space, telemetry: nil, stopFlag: StopFlag()) { lines.append($0) }
            return (record, lines)
        }
        #expect(record.architectures.count == 3 && record.engine == "edgeprobe")
        let blockSums = try record.architectures.indices.map { index in
            var generator = SplitMix64(seed: 5)
            for _ in 0..<index { _ = try space.sample(using: &generator, name: "skip") }
            return try space.sample(using: &generator, name: "s").plan.layers.reduce(0) { $0 + table.entries[$1.lookupKey]!.mean }
        }
        #expect(zip(record.architectures, blockSums).allSatisfy { architecture, blockSum in
            abs(architecture.predictedMs - blockSum - table.networkOverhead!.mean) < 1e-12 && architecture.measuredMs > 0 && architecture.n >= 3
        })
        #expect(try #require(record.speedDrift) > 0 && record.unavailable == record.engineDescription.unavailable())
        // The table was measured by edgeprobe "test", the check runs this build: checked, with a warning.
        #expect(record.warnings.contains {
            $0.hasPrefix("the table was measured with edgeprobe test, and this check runs \(EdgeProbeVersion.current): ")
        }, "\(record.warnings)")
        // Three samples, the calibration networks and the reference network (one of them or not), measured in turns.
        let calibration = min(6, table.calibrationNetworks.count)
        #expect(calibration >= 2 && record.calibrationNetworks == calibration)
        let again = try LookupTableCheck.networksMeasuredAgain(table: table, space: space, calibration: 6)
        #expect(again.count == calibration + (again.contains { $0.isReference && !$0.isCalibration } ? 1 : 0))
        #expect(lines.last?.hasPrefix("\(3 + again.count)/\(3 + again.count) networks measured") == true)
        let correction = try #require(record.speedCorrection)
        #expect(try #require(record.speedCorrectionMin) <= correction && correction <= (try #require(record.speedCorrectionMax)))
        // Each architecture's own correction, from the calibration runs around its runs in time.
        #expect(record.architectures.allSatisfy { $0.speedCorrection > 0 && $0.correctedP50Ms == $0.predictedP50Ms * $0.speedCorrection })
        #expect(record.speedWindowMs == LookupTableCheck.speedWindowMs && record.within10PctShareGlobal != nil)
        // Medians over the runs no other process kept from a CPU: how many is in the record, and in the table's conditions.
        #expect(record.architectures.allSatisfy { architecture in architecture.undisturbedN.map { $0 <= architecture.n } ?? true })
        #expect(table.conditions["undisturbed_share"] != nil)
        #expect(try await SchemaValidator.validateByType(RecordLine.text(record)).problems == "")
        // --calibration 0: the reference network alone, no correction.
        let uncorrected = try LookupTableCheck(measurement: measurement, architectures: 1, samplingSeed: 5, calibration: 0)
            .run(table: table, tablePath: "t.yaml", space: space, telemetry: nil, stopFlag: StopFlag())
        #expect(uncorrected.speedCorrection == nil && uncorrected.speedDrift != nil && uncorrected.calibrationNetworks == 0)
        #expect(uncorrected.architectures.allSatisfy { $0.correctedP50Ms == $0.predictedP50Ms && $0.speedCorrection == 1 })
    }
}
