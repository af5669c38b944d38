import Engines
import Kernels
import Measurement
import Profiles

extension BenchRecord {
    /// The record of a measured suite layer.
    init(
        layer: SuiteLayer, engine: Engine, precision: Precision, statistics: LatencyStatistics, threads: Int, affinity: [[Int]], cluster: String?,
        telemetry: TelemetrySummary, cooldownWaitS: Double?, p50RatioEdgeprobeToXnnpack: Double?,
        interrupted: Bool = false, iterationCapReached: Bool = false
    ) {
        let shapes = layer.convolutionShapes
        let macs = shapes.reduce(0) { $0 + $1.macs }
        self.init(
            name: layer.name, engine: engine.rawValue, precision: precision.rawValue, op: layer.operation.rawValue,
            convolutions: shapes.map(ConvolutionDescription.init),
            macs: macs, flops: 2 * macs,
            params: shapes.reduce(0) { $0 + $1.parameterCount },
            bytesMoved: shapes.reduce(0) { $0 + $1.bytesMoved },
            latencyUs: statistics,
            gflops: Double(2 * macs) / (statistics.p50 * 1e3),
            threads: threads, affinity: affinity, cluster: cluster, telemetry: telemetry, cooldownWaitS: cooldownWaitS,
            interrupted: interrupted, iterationCapReached: iterationCapReached,
            p50RatioEdgeprobeToXnnpack: p50RatioEdgeprobeToXnnpack)
    }
}

extension ConvolutionDescription {
    /// Describes a convolution shape.
    init(_ shape: ConvolutionShape) {
        self.init(
            cin: shape.inputChannels, h: shape.inputHeight, w: shape.inputWidth,
            cout: shape.outputChannels, outH: shape.outputHeight, outW: shape.outputWidth,
            kh: shape.kernelHeight, kw: shape.kernelWidth, stride: shape.strideY,
            padding: [shape.padding.top, shape.padding.left, shape.padding.bottom, shape.padding.right],
            groups: shape.groups, macs: shape.macs)
    }
}

extension ComparisonRecord {
    /// Compares two measured layers of a pair.
    init(pair: SuitePair, baseline: BenchRecord, candidate: BenchRecord) {
        let theoretical = Double(baseline.macs) / Double(candidate.macs)
        let speedup = baseline.latencyUs.p50 / candidate.latencyUs.p50
        self.init(
            name: pair.name, engine: baseline.engine, baseline: pair.baseline, candidate: pair.candidate,
            baselineMacs: baseline.macs, candidateMacs: candidate.macs,
            theoreticalRatio: theoretical, speedupRate: speedup,
            baselineP50Us: baseline.latencyUs.p50, candidateP50Us: candidate.latencyUs.p50,
            efficiency: speedup / theoretical)
    }
}
