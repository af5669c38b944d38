import Measurement
import Reports

/// One compressed variant of a model M* measured against its original M: sizes, the rates
/// derived from them, latency and the speedup rate, and what was lost (accuracy, fidelity).
public struct CompressionRecord: Record {
    public static let recordType = "compression"

    /// The model, e.g. `digits-cnn`.
    public let model: String
    /// The variant, e.g. `pruned+shared+huffman`.
    public let variant: String
    /// The kernel form it runs on: `dense-fp32`, `sparse-fp32`, `int8`, `shared-on-the-fly`.
    public let kernel: String
    /// Parameters of the original model (a): weights and biases.
    public let params: Int
    /// Parameters the variant stores (a*): kept (nonzero) weights and biases.
    public let compressedParams: Int
    /// The original's weights in the model file (float32), bytes.
    public let diskBytes: Int
    /// The variant's model file, bytes.
    public let compressedDiskBytes: Int
    /// The original's weights in memory as the dense kernels hold them, bytes.
    public let memoryBytes: Int
    /// The variant's weights in memory as its kernels hold them, bytes.
    public let compressedMemoryBytes: Int
    /// Compression rate α = a / a*, on bytes on disk.
    public let compressionRate: Double
    /// Compression rate a / a* on parameter counts.
    public let parameterCompressionRate: Double
    /// Space-saving rate β = (a − a*) / a*, on bytes on disk (equals α − 1).
    public let spaceSavingRate: Double
    /// Size reduction (a − a*) / a, on bytes on disk, 0...1.
    public let sizeReduction: Double
    /// Latency of one inference, in microseconds.
    public let latencyUs: LatencyStatistics
    /// Speedup rate δ = s / s*: the original's median latency over this variant's.
    public let speedupRate: Double
    /// Time to read and decode the model file into weights, in milliseconds (variants loaded from a file).
    @Nullable public var decodeMs: Double?
    /// Top-1 accuracy on the held-out test split, 0...1 (trained models only).
    @Nullable public var top1Accuracy: Double?
    /// Share of inputs whose top-1 class equals the original's, 0...1.
    public let top1Agreement: Double
    /// Mean KL(P‖Q) of the softmax outputs, P the original's and Q the variant's, in nats.
    public let klDivergence: Double
    /// Inputs the accuracy and fidelity were measured on.
    public let evaluationInputs: Int
    /// Benchmark threads.
    public let threads: Int
    /// Telemetry sampled while the variant was timed.
    public let telemetry: TelemetrySummary
    /// Why a null figure is missing.
    public let unavailable: [String: String]
}
