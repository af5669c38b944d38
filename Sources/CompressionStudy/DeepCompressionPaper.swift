/// The figures of one Deep Compression result: the paper's published row, or ours measured.
public struct DeepCompressionFigures: Encodable, Sendable, Equatable {
    /// Size of the original model, kilobytes (1,000 bytes; the paper's as printed in Table 1).
    public let originalKb: Double
    /// Size after compression, kilobytes.
    public let compressedKb: Double
    /// Compression rate α.
    public let compressionRate: Double
    /// Top-1 error of the original, percent.
    public let top1ErrorOriginalPct: Double
    /// Top-1 error after compression, percent.
    public let top1ErrorCompressedPct: Double
    /// Compressed minus original top-1 error, points (negative: compression lowered it).
    public let top1ErrorChangePoints: Double
    /// Weights kept by pruning, percent of all weights.
    public let weightsKeptPct: Double

    /// The figures; the error change is derived.
    public init(originalKb: Double, compressedKb: Double, compressionRate: Double, top1ErrorOriginalPct: Double,
                top1ErrorCompressedPct: Double, weightsKeptPct: Double) {
        self.originalKb = originalKb
        self.compressedKb = compressedKb
        self.compressionRate = compressionRate
        self.top1ErrorOriginalPct = top1ErrorOriginalPct
        self.top1ErrorCompressedPct = top1ErrorCompressedPct
        top1ErrorChangePoints = top1ErrorCompressedPct - top1ErrorOriginalPct
        self.weightsKeptPct = weightsKeptPct
    }
}

/// Deep Compression's published figures for one model: the row edgeprobe's measured result is
/// placed next to (Han, Mao, Dally: "Deep Compression: Compressing Deep Neural Networks with
/// Pruning, Trained Quantization and Huffman Coding", ICLR 2016).
public struct DeepCompressionPaper: Sendable, Equatable {
    /// Where the figures come from.
    public static let citation = "Han, Mao, Dally: Deep Compression, ICLR 2016; Table 1 (sizes, compression rate, top-1 error), Tables 2 and 3 (weights kept after pruning)"

    /// edgeprobe's name of the model (`compress --model`).
    public let model: String
    /// The paper's name of the model.
    public let paperModel: String
    /// The published figures.
    public let figures: DeepCompressionFigures

    /// Table 1 row "LeNet-300-100 Ref / Compressed" with Table 2's total.
    public static let lenet300100 = DeepCompressionPaper(
        model: "lenet-300-100", paperModel: "LeNet-300-100",
        figures: DeepCompressionFigures(originalKb: 1070, compressedKb: 27, compressionRate: 40, top1ErrorOriginalPct: 1.64,
                                        top1ErrorCompressedPct: 1.58, weightsKeptPct: 8))

    /// Table 1 row "LeNet-5 Ref / Compressed" with Table 3's total.
    public static let lenet5 = DeepCompressionPaper(
        model: "lenet5", paperModel: "LeNet-5",
        figures: DeepCompressionFigures(originalKb: 1720, compressedKb: 44, compressionRate: 39, top1ErrorOriginalPct: 0.80,
                                        top1ErrorCompressedPct: 0.74, weightsKeptPct: 8))

    /// The paper's row for edgeprobe's `model`, if the paper has one.
    public static func row(for model: String) -> DeepCompressionPaper? {
        [lenet300100, lenet5].first { $0.model == model }
    }
}
