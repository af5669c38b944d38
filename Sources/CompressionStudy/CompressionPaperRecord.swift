import Quantities
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
    /// The paper's figures.
    public let paper: DeepCompressionFigures
    /// Ours, measured on the held-out test split.
    public let measured: DeepCompressionFigures
    /// Our original's model file (float32), bytes.
    public let originalBytes: Int
    /// Our compressed model file, bytes.
    public let compressedBytes: Int
    /// Our α over the paper's (1 = the paper's rate; below 1 = less compression).
    public let compressionRateVsPaper: Double
    /// For each figure where we fall short of the paper, by how much, in words.
    public let shortOfPaper: [String: String]
    /// Test images the errors were measured on.
    public let evaluationInputs: Int

    /// The comparison of `original` and `compressed` (records of the same study, with accuracy)
    /// with `paper`; `weightsKept` is the share of weights pruning kept, 0...1.
    public init?(paper row: DeepCompressionPaper, original: CompressionRecord, compressed: CompressionRecord, weightsKept: Double) {
        guard let originalAccuracy = original.top1Accuracy, let compressedAccuracy = compressed.top1Accuracy else { return nil }
        model = row.model
        paperModel = row.paperModel
        citation = DeepCompressionPaper.citation
        stage = compressed.variant
        paper = row.figures
        measured = DeepCompressionFigures(
            originalKb: Double(compressed.diskBytes) / 1000, compressedKb: Double(compressed.compressedDiskBytes) / 1000,
            compressionRate: compressed.compressionRate, top1ErrorOriginalPct: (1 - originalAccuracy) * 100,
            top1ErrorCompressedPct: (1 - compressedAccuracy) * 100, weightsKeptPct: weightsKept * 100)
        originalBytes = compressed.diskBytes
        compressedBytes = compressed.compressedDiskBytes
        compressionRateVsPaper = measured.compressionRate / paper.compressionRate
        evaluationInputs = compressed.evaluationInputs
        shortOfPaper = Self.shortfalls(measured, paper)
    }

    /// Each figure of `ours` worse than `paper`'s, with by how much.
    private static func shortfalls(_ ours: DeepCompressionFigures, _ paper: DeepCompressionFigures) -> [String: String] {
        func text(_ value: Double, _ digits: Int) -> String { DecimalText.fixed(value, digits) }
        func signed(_ value: Double) -> String { (value >= 0 ? "+" : "") + text(value, 2) }
        var short: [String: String] = [:]
        if ours.compressionRate < paper.compressionRate {
            short["compression_rate"] = "\(text(ours.compressionRate, 1))x, \(text(paper.compressionRate - ours.compressionRate, 1))x below the paper's \(text(paper.compressionRate, 0))x (\(text((1 - ours.compressionRate / paper.compressionRate) * 100, 1)) % less)"
        }
        if ours.top1ErrorChangePoints > paper.top1ErrorChangePoints {
            short["top1_error_change"] = "compression changed the top-1 error by \(signed(ours.top1ErrorChangePoints)) points, the paper's by \(signed(paper.top1ErrorChangePoints)): \(text(ours.top1ErrorChangePoints - paper.top1ErrorChangePoints, 2)) points worse"
        }
        if ours.top1ErrorCompressedPct > paper.top1ErrorCompressedPct {
            short["top1_error"] = "\(text(ours.top1ErrorCompressedPct, 2)) % vs the paper's \(text(paper.top1ErrorCompressedPct, 2)) %: \(text(ours.top1ErrorCompressedPct - paper.top1ErrorCompressedPct, 2)) points higher"
        }
        if ours.weightsKeptPct > paper.weightsKeptPct + 0.05 {
            short["weights_kept"] = "\(text(ours.weightsKeptPct, 1)) % kept vs the paper's \(text(paper.weightsKeptPct, 0)) %"
        }
        return short
    }
}
