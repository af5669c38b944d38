import Foundation
import Models
import Tensors
import Testing
@testable import Harness

@Suite struct LookupTableTests {
    private static let quick = MeasurementPolicy(warmupIterations: 1, minIterations: 3, minTimeS: 0.001, maxIterations: 50)

    private func tinySpace() throws -> ArchitectureSearchSpace {
        try ArchitectureSearchSpace.load(path: SuiteLoadingTests.profiles + "/spaces/tiny.yaml")
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
        let space = try ArchitectureSearchSpace.load(path: SuiteLoadingTests.profiles + "/spaces/mobilenet-v2-96.yaml")
        let layers = try space.distinctLayers()
        // stage 0: 1; stages 1-5: (first, repeat) x 3 kernels x 2 expands; stage 6: first x 6; stem, head conv, pool, fc.
        #expect(layers.count == 1 + 5 * 12 + 6 + 4)
        #expect(layers.contains { $0.lookupKey == "expanded_conv-input:48x48x16-output:24x24x24-expand:6-kernel:5-stride:2-idskip:0" })
    }

    @Test func badSpaceFieldsAreNamed() throws {
        let file = TemporaryFile("name: s\nresolutions: [16]\nstem: {cout: 8}\nstages:\n  - {cout: 8, depths: []}\nhead: {classes: 2}\n")
        let error = #expect(throws: ProfileError.self) { try ArchitectureSearchSpace.load(path: file.path) }
        #expect(try #require(error).description.contains("stages[0], field 'depths': expected a non-empty list"))
    }

    @Test func tableRoundTripsThroughYAMLAndPredictsBySumming() throws {
        let space = try tinySpace()
        let measurement = LatencyMeasurement(threads: 1, cpus: nil, policy: Self.quick, seed: 2)
        let outcome = try LookupTableBuilder(measurement: measurement).run(
            space: space, board: BoardProfile.load(path: SuiteLoadingTests.profiles + "/boards/generic.yaml"),
            version: "test", telemetry: nil, stopFlag: StopFlag())
        #expect(outcome.table.entries.count == 31)
        #expect(outcome.table.entries.values.allSatisfy { $0.n >= 3 && $0.mean > 0 })
        let file = TemporaryFile(try outcome.table.yaml())
        let text = try String(contentsOfFile: file.path, encoding: .utf8)
        #expect(text.contains("expanded_conv-input:8x8x8-output:8x8x8-expand:2-kernel:3-stride:1-idskip:1:\n  mean: "))
        let loaded = try LookupTable.load(path: file.path)
        #expect(loaded == outcome.table)
        #expect(loaded.conditions["space"] == "tiny" && loaded.board["profile"] == "generic")

        var generator = SplitMix64(seed: 1)
        let plan = try space.sample(using: &generator, name: "s").plan
        let expected = plan.layers.reduce(0) { $0 + loaded.entries[$1.lookupKey]!.mean }
        #expect(try loaded.predictMs(plan) == expected)
        var partial = loaded
        partial.entries[plan.layers[1].lookupKey] = nil
        #expect(throws: LookupTableError.missingKey(plan.layers[1].lookupKey)) { try partial.predictMs(plan) }
        #expect(try RecordSchemaCheck.problems(in: [try RecordSchemaCheck.line(outcome.record)]) == "")
    }

    @Test func checkSummarizesSharesAndRMSE() throws {
        func architecture(predicted: Double, measured: Double) -> LookupTableCheckRecord.Architecture {
            .init(name: "a", resolution: 16, depths: [1], macs: 1, params: 1, predictedMs: predicted, measuredMs: measured,
                  predictedP50Ms: predicted, measuredP50Ms: measured, predictedMinMs: predicted, measuredMinMs: measured, errorPct: (predicted / measured - 1) * 100, measuredCv: 0, n: 3)
        }
        // Errors: +5% (in), -10% (in, on the edge), +20% (out), 0% (in): 3 of 4 within ±10%.
        let results = [architecture(predicted: 1.05, measured: 1), architecture(predicted: 1.8, measured: 2),
                       architecture(predicted: 1.2, measured: 1), architecture(predicted: 3, measured: 3)]
        let record = LookupTableCheckRecord(
            table: "t", space: "s", architectures: results, summary: TelemetrySummary(withoutProbe: ()),
            measurement: Self.quick, threads: 1, interrupted: false)
        #expect(record.within10PctShare == 0.75 && record.within10PctShareMean == 0.75 && record.within10PctShareMin == 0.75)
        #expect(!record.meetsTarget)
        // sqrt((0.05² + 0.2² + 0.2² + 0) / 4) = sqrt(0.0825 / 4) = 0.143614...
        #expect(abs(record.rmseMs - 0.14361406616345) < 1e-9)
        #expect(abs(record.meanAbsErrorPct - 8.75) < 1e-9)
    }

    @Test func checkRunsEndToEndAndMatchesItsSchema() throws {
        let space = try tinySpace()
        let measurement = LatencyMeasurement(threads: 1, cpus: nil, policy: Self.quick, seed: 2)
        let table = try LookupTableBuilder(measurement: measurement).run(
            space: space, board: BoardProfile.load(path: SuiteLoadingTests.profiles + "/boards/generic.yaml"),
            version: "test", telemetry: nil, stopFlag: StopFlag()).table
        let record = try LookupTableCheck(measurement: measurement, architectures: 3, samplingSeed: 5)
            .run(table: table, tablePath: "t.yaml", space: space, telemetry: nil, stopFlag: StopFlag())
        #expect(record.architectures.count == 3)
        #expect(record.architectures.allSatisfy { $0.predictedMs > 0 && $0.measuredMs > 0 })
        #expect(try RecordSchemaCheck.problems(in: [try RecordSchemaCheck.line(record)]) == "")
    }
}
