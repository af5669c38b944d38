import Measurement
import Reports

/// One benchmarked layer: its shape and cost, latency statistics, and the telemetry around it.
public struct BenchRecord: Record {
    public static let recordType = "bench"

    /// The layer's name in the suite.
    public let name: String
    /// The engine that ran it: `edgeprobe` or `xnnpack`.
    public let engine: String
    /// The number format it computed in: `float32` or `int8` (`--precision`).
    public let precision: String
    /// `conv`, `depthwise`, `pointwise` or `separable`.
    public let op: String
    /// The convolutions run, in order (two for a separable block).
    public let convolutions: [ConvolutionDescription]
    /// Multiply-accumulates per inference.
    public let macs: Int
    /// Floating-point operations per inference, 2 x MACs.
    public let flops: Int
    /// Weights and biases.
    public let params: Int
    /// Bytes read and written once per inference: inputs, weights, outputs.
    public let bytesMoved: Int
    /// Latency of one inference, in microseconds.
    public let latencyUs: LatencyStatistics
    /// FLOPs / median latency, in GFLOP/s.
    public let gflops: Double
    /// Benchmark threads.
    public let threads: Int
    /// The CPU set each benchmark thread actually ran on.
    public let affinity: [[Int]]
    /// The CPU cluster the threads were pinned to (`big`, `little`, `all`, `mixed`), or `null` when unpinned.
    @Nullable public var cluster: String?
    /// Telemetry sampled on its own thread while the layer ran.
    public let telemetry: TelemetrySummary
    /// Seconds spent waiting for the board to cool before the layer ran.
    @Nullable public var cooldownWaitS: Double?
    /// True when SIGINT/SIGTERM cut the measurement short: the figures cover fewer iterations
    /// or less time than asked, and `run_end.layers_completed` does not count the layer.
    public let interrupted: Bool
    /// True when the measurement stopped at the policy's iteration cap before `--min-time`:
    /// the layer ran `latency_us.n` iterations, for less time than asked.
    public let iterationCapReached: Bool
    /// With `--engine both`: edgeprobe's median latency over XNNPACK's for this layer, both measured
    /// interleaved in this process (the same value in both engines' records); null with one engine.
    @Nullable public var p50RatioEdgeprobeToXnnpack: Double?
}

/// The geometry of one convolution, as a record shows it.
public struct ConvolutionDescription: Codable, Sendable, Equatable {
    /// Input channels, height, width.
    public let cin: Int, h: Int, w: Int
    /// Output channels, height, width.
    public let cout: Int, outH: Int, outW: Int
    /// Kernel height and width.
    public let kh: Int, kw: Int
    /// Stride.
    public let stride: Int
    /// Padding: top, left, bottom, right.
    public let padding: [Int]
    /// Groups (equal to the channels for depthwise).
    public let groups: Int
    /// Multiply-accumulates.
    public let macs: Int
}
