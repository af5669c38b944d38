import Engines
import Foundation
import Kernels
import Measurement
import Models
@testable import NAS
import Profiles
import Reports
import TestSupport
import Testing
import XNNPACKEngine

@Suite(.timeLimit(.minutes(3))) struct LatencyMeasurementTests {
    private static let quick = MeasurementPolicy(warmupIterations: 2, minIterations: 5, minTimeS: 0.01, maxIterations: 200)

    private func tinyPlan() throws -> ArchitecturePlan {
        try ArchitectureSpec.loadPlan(path: Repository.path("Profiles/archs/tiny.yaml"))
    }

    @Test func recordCoversEveryBlockAndTheReward() throws {
        let plan = try tinyPlan()
        let measurement = LatencyMeasurement(
            threads: 1, cpus: nil, policy: Self.quick, seed: 7, percentile: 95,
            reward: .init(accuracy: 0.8, targetMs: 1000, constraint: .hard))
        let record = try measurement.run(plan: plan, source: "tiny.yaml", telemetry: nil)
        #expect(record.latencyUs.n >= 5 && record.latencyUs.n <= 200)
        #expect(record.blocks.map(\.name) == plan.layers.map(\.name))
        #expect(record.blocks.allSatisfy { $0.latencyUs.n == record.latencyUs.n })
        #expect(record.blockSumUs > 0 && record.blockSumUs <= record.latencyUs.mean * 1.01)
        #expect(record.conservativeLatency.percentile == 95 && record.conservativeLatency.n == record.latencyUs.n)
        #expect(record.conservativeLatency.valueUs >= record.latencyUs.p50)
        let reward = try #require(record.reward)
        #expect(reward.latencyBasis == "p95" && reward.latencyMs == record.conservativeLatency.valueMs)
        #expect(reward.value == 0.8)  // hard constraint, far below a 1 s target: w = 0
        #expect(record.telemetry.unavailable["telemetry"] != nil)
    }

    @Test func recordMatchesItsSchema() async throws {
        let plan = try tinyPlan()
        let plain = try LatencyMeasurement(threads: 1, cpus: nil, policy: Self.quick, seed: 1)
            .run(plan: plan, source: "tiny.yaml", telemetry: nil)
        let rewarded = try LatencyMeasurement(
            threads: 1, cpus: nil, policy: Self.quick, seed: 1, reward: .init(accuracy: 0.5, targetMs: 0.001, constraint: .soft))
            .run(plan: plan, source: "tiny.yaml", telemetry: nil)
        #expect(plain.reward == nil && plain.unavailable["reward"] != nil)
        let report = try await SchemaValidator.validateByType(try RecordLine.text(plain) + RecordLine.text(rewarded))
        #expect(report.valid, "\(report.problems)")
    }

    /// Two threads per engine: XNNPACK's workers spin while they wait, so on a loaded machine
    /// this takes far longer than its second on a quiet one; the limit only catches a hang.
    @Test(.timeLimit(.minutes(3)))
    func bothEnginesMeasureTheSameNetworkInTurns() async throws {
        let plan = try tinyPlan()
        let records = try await onOwnThread {
            try LatencyMeasurement(threads: 2, cpus: nil, policy: Self.quick, seed: 3, engine: .both)
                .runEngines(plan: plan, source: "tiny.yaml", telemetry: nil)
        }
        #expect(records.map(\.engine) == ["edgeprobe", "xnnpack"])
        // Each names the float32 path it ran, and its engine as run_start does: version, paths, cap.
        #expect(records.map(\.float32Isa) == [FloatKernelPath.best.instructionSet, XNNPACK.float32ISA])
        #expect(records.map(\.engineDescription) == [EngineDescription.describe(.edgeprobe), .describe(.xnnpack)])
        #expect(records.map(\.engineDescription.version) == [EdgeProbeVersion.current, XNNPACK.packageVersion])
        #expect(records.allSatisfy { $0.engineDescription.engine == $0.engine && $0.engineDescription.float32Isa == $0.float32Isa })
        // A null version or cap says why, keyed by where the record holds it.
        #expect(records[1].engineDescription.maxIsa == nil && records[1].unavailable["engine_description.max_isa"] != nil)
        #expect(records.allSatisfy { ($0.engineDescription.version == nil) == ($0.unavailable["engine_description.version"] != nil) })
        for record in records {
            #expect(record.blocks.map(\.name) == plan.layers.map(\.name))
            // Only the timed iterations' block times are kept, in turns as end to end.
            #expect(record.blocks.allSatisfy { $0.latencyUs.n == record.latencyUs.n }, "\(record.engine)")
            #expect(record.macs == plan.macs)
        }
        let ratio = try #require(records[0].p50RatioEdgeprobeToXnnpack)
        #expect(records[1].p50RatioEdgeprobeToXnnpack == ratio)
        #expect(abs(ratio - records[0].latencyUs.p50 / records[1].latencyUs.p50) < 1e-12)
        let report = try await SchemaValidator.validateByType(try records.map { try RecordLine.text($0) }.joined())
        #expect(report.valid, "\(report.problems)")
    }

    @Test func schemaCheckRejectsABrokenRecord() async throws {
        let plan = try tinyPlan()
        let record = try LatencyMeasurement(threads: 1, cpus: nil, policy: Self.quick, seed: 1)
            .run(plan: plan, source: "tiny.yaml", telemetry: nil)
        let line = try RecordLine.text(record).replacingOccurrences(of: "\"block_sum_us\"", with: "\"block_total_us\"")
        let report = try await SchemaValidator.validateByType(line)
        #expect(!report.valid && report.problems.contains("block_sum_us"), "\(report.problems)")
    }

    @Test func aRaisedStopFlagYieldsNoRecord() throws {
        let flag = StopFlag()
        flag.raise(signal: 15)
        #expect(throws: LatencyMeasurement.Failure.interrupted(completed: 0)) {
            try LatencyMeasurement(threads: 1, cpus: nil, policy: Self.quick, seed: 1)
                .run(plan: try tinyPlan(), source: "tiny.yaml", telemetry: nil, stopFlag: flag)
        }
    }
}
