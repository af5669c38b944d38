import Reports

/// edgeprobe's Deep Compression result for one model next to the paper's row: the paper's
/// figures (constants, with the citation), ours (measured: the original and the last stage's
/// `compression` records), and by how much ours falls short where it does.
public struct CompressionPaperRecord: Record {
    public static let recordType = "compression_paper"

    /// edgeprobe's model, e.g. `lenet5`.
    public let model: String
    /// The paper's name of the model, e.g. `LeNet-5`.
    public let paperModel: String
    /// Where the paper's figures come from.
    public let citation: String
    /// Our stage compared (the last one, e.g. `pruned+quantized+huffman`).
    public let stage: String

    /// The paper's original size, kilobytes as printed.
    public let paperOriginalKb: Double
    /// The paper's compressed size, kilobytes.
    public let paperCompressedKb: Double
    /// The paper's compression rate α.
    public let paperCompressionRate: Double
    /// The paper's top-1 error of the original, percent.
    public let paperTop1ErrorOriginalPct: Double
    /// The paper's top-1 error after compression, percent.
    public let paperTop1ErrorCompressedPct: Double
    /// The paper's weights kept by pruning, percent.
    public let paperWeightsKeptPct: Double

    /// Our original's model file (float32), bytes.
    public let originalBytes: Int
    /// Our compressed model file, bytes.
    public let compressedBytes: Int
    /// Our compression rate α on bytes.
    public let compressionRate: Double
    /// Our top-1 error of the original on the held-out split, percent.
    public let top1ErrorOriginalPct: Double
    /// Our top-1 error after compression, percent.
    public let top1ErrorCompressedPct: Double
    /// Our weights kept by pruning, percent of all weights.
    public let weightsKeptPct: Double

    /// Our α over the paper's (1 = the paper's rate; below 1 = less compression).
    public let compressionRateVsPaper: Double
    /// Our change in top-1 error through compression, points (negative = compression lowered it).
    public let top1ErrorChangePoints: Double
    /// The paper's change in top-1 error, points.
    public let paperTop1ErrorChangePoints: Double
    /// For each figure where we fall short of the paper, by how much, in words.
    public let shortOfPaper: [String: String]
    /// Test images the errors were measured on.
    public let evaluationInputs: Int

    /// The comparison of `original` and `compressed` (records of the same study, with accuracy)
    /// with `paper`; `weightsKept` is the share of weights pruning kept, 0...1.
    public init?(paper: DeepCompressionPaper, original: CompressionRecord, compressed: CompressionRecord, weightsKept: Double) {
        guard let originalAccuracy = original.top1Accuracy, let compressedAccuracy = compressed.top1Accuracy else { return nil }
        model = paper.model
        paperModel = paper.paperModel
        citation = DeepCompressionPaper.citation
        stage = compressed.variant
        paperOriginalKb = paper.originalKB
        paperCompressedKb = paper.compressedKB
        paperCompressionRate = paper.compressionRate
        paperTop1ErrorOriginalPct = paper.top1ErrorOriginalPct
        paperTop1ErrorCompressedPct = paper.top1ErrorCompressedPct
        paperWeightsKeptPct = paper.weightsKeptPct
        originalBytes = compressed.diskBytes
        compressedBytes = compressed.compressedDiskBytes
        compressionRate = compressed.compressionRate
        top1ErrorOriginalPct = (1 - originalAccuracy) * 100
        top1ErrorCompressedPct = (1 - compressedAccuracy) * 100
        weightsKeptPct = weightsKept * 100
        compressionRateVsPaper = compressed.compressionRate / paper.compressionRate
        top1ErrorChangePoints = top1ErrorCompressedPct - top1ErrorOriginalPct
        paperTop1ErrorChangePoints = paper.top1ErrorCompressedPct - paper.top1ErrorOriginalPct
        evaluationInputs = compressed.evaluationInputs
        var short: [String: String] = [:]
        if compressionRate < paper.compressionRate {
            short["compression_rate"] = "\(decimalText(compressionRate, digits: 1))x, \(decimalText(paper.compressionRate - compressionRate, digits: 1))x below the paper's \(decimalText(paper.compressionRate, digits: 0))x (\(decimalText((1 - compressionRateVsPaper) * 100, digits: 1)) % less)"
        }
        if top1ErrorChangePoints > paperTop1ErrorChangePoints {
            short["top1_error_change"] = "compression changed the top-1 error by \(Self.signed(top1ErrorChangePoints)) points, the paper's by \(Self.signed(paperTop1ErrorChangePoints)): \(decimalText(top1ErrorChangePoints - paperTop1ErrorChangePoints, digits: 2)) points worse"
        }
        if top1ErrorCompressedPct > paper.top1ErrorCompressedPct {
            short["top1_error"] = "\(decimalText(top1ErrorCompressedPct, digits: 2)) % vs the paper's \(decimalText(paper.top1ErrorCompressedPct, digits: 2)) %: \(decimalText(top1ErrorCompressedPct - paper.top1ErrorCompressedPct, digits: 2)) points higher"
        }
        if weightsKeptPct > paper.weightsKeptPct + 0.05 {
            short["weights_kept"] = "\(decimalText(weightsKeptPct, digits: 1)) % kept vs the paper's \(decimalText(paper.weightsKeptPct, digits: 0)) %"
        }
        shortOfPaper = short
    }

    private static func signed(_ value: Double) -> String { (value >= 0 ? "+" : "") + decimalText(value, digits: 2) }
}
