import Kernels
import Quantities
import Measurement
import Models
import Reports
import Tensors

/// Measures every variant of a model against the first (the original): scores it on the
/// evaluation images, times one inference under the measurement policy while sampling telemetry,
/// and writes one `compression` record per variant.
public struct CompressionStudy {
    /// The model's name in records.
    public let model: String
    /// Variants in order; the first is the original (s, a).
    public let variants: [CompressionVariant]
    /// Inputs for accuracy and fidelity (NHWC values of the network's input shape).
    public let images: [[Float]]
    /// Their labels, or nil for an untrained model or unlabelled inputs (accuracy is then null).
    public let labels: [Int]?
    /// Why accuracy is null when there are no labels (the record's `unavailable` reason).
    public let noLabelsReason: String
    /// The paper's row to compare the last stage with, if the paper has this model.
    public let paper: DeepCompressionPaper?
    /// Share of the weights pruning kept (0...1), for the comparison with the paper.
    public let weightsKept: Double?

    /// A study of `variants` of `model`; with `paper` and `weightsKept`, `paperRecord` compares
    /// the last stage with the paper's row; without `labels`, `noLabelsReason` says why.
    public init(model: String, variants: [CompressionVariant], images: [[Float]], labels: [Int]?,
                noLabelsReason: String = "the model is not trained (random weights)",
                paper: DeepCompressionPaper? = nil, weightsKept: Double? = nil) {
        precondition(!variants.isEmpty && !images.isEmpty, "a study needs variants and images")
        self.model = model
        self.variants = variants
        self.images = images
        self.labels = labels
        self.noLabelsReason = noLabelsReason
        self.paper = paper
        self.weightsKept = weightsKept
    }

    /// The last stage's record next to the paper's row; nil without a paper row, with fewer
    /// than two records (a stop), or without accuracy.
    public func paperRecord(_ records: [CompressionRecord]) -> CompressionPaperRecord? {
        guard let paper, let weightsKept, records.count == variants.count, let first = records.first, let last = records.last,
              records.count > 1 else { return nil }
        return CompressionPaperRecord(paper: paper, original: first, compressed: last, weightsKept: weightsKept)
    }

    /// Runs the study, writing each record as soon as it is measured.
    /// - Returns: the records, or fewer if a stop was asked.
    public func run(
        pool: ThreadPool, runner: BenchmarkRunner, telemetry: any TelemetryProbe, writer: RecordWriter
    ) throws -> [CompressionRecord] {
        let original = variants[0]
        let originalLogits = ClassifierEvaluation.logits(of: original.network, images: images, pool: pool)
        let shape = original.network.inputShape
        let timingInput = Tensor(height: shape.height, width: shape.width, channels: shape.channels, values: images[0])
        var records: [CompressionRecord] = []
        var originalP50: Double?
        for variant in variants where !runner.stopFlag.isRaised {
            let logits = ClassifierEvaluation.logits(of: variant.network, images: images, pool: pool)
            telemetry.begin()
            let latencies = runner.measure { blackHole(variant.network.forward(timingInput, pool: pool)) }
            let summary = telemetry.end()
            guard let statistics = LatencyStatistics(latencies), latencies.count >= runner.policy.minIterations else { break }
            let baseline = originalP50 ?? statistics.p50
            originalP50 = baseline
            var unavailable: [String: String] = [:]
            if labels == nil { unavailable["top1_accuracy"] = noLabelsReason }
            if variant.decodeMs == nil { unavailable["decode_ms"] = "built in memory, not loaded from a model file" }
            let record = CompressionRecord(
                model: model, variant: variant.name, kernel: variant.kernel,
                params: original.parameters, compressedParams: variant.parameters,
                diskBytes: original.diskBytes, compressedDiskBytes: variant.diskBytes,
                memoryBytes: original.memoryBytes, compressedMemoryBytes: variant.memoryBytes,
                compressionRate: Double(original.diskBytes) / Double(variant.diskBytes),
                parameterCompressionRate: Double(original.parameters) / Double(variant.parameters),
                spaceSavingRate: Double(original.diskBytes - variant.diskBytes) / Double(variant.diskBytes),
                sizeReduction: Double(original.diskBytes - variant.diskBytes) / Double(original.diskBytes),
                latencyUs: statistics, speedupRate: baseline / statistics.p50,
                decodeMs: variant.decodeMs,
                top1Accuracy: labels.map { ClassifierEvaluation.accuracy(logits: logits, labels: $0) },
                top1Agreement: ClassifierEvaluation.top1Agreement(reference: originalLogits, candidate: logits),
                klDivergence: ClassifierEvaluation.meanKLDivergence(reference: originalLogits, candidate: logits),
                evaluationInputs: images.count, threads: pool.threadCount, telemetry: summary, unavailable: unavailable)
            try writer.write(record)
            records.append(record)
        }
        return records
    }
}

// MARK: - Table

extension CompressionRecord {
    /// The stage-by-stage table of Deep Compression's papers: stage, size, α, accuracy, latency,
    /// δ; with `paper`, the paper's row and what falls short of it below.
    public static func table(_ records: [CompressionRecord], paper: CompressionPaperRecord? = nil) -> String {
        func cell(_ text: String, _ width: Int) -> String {
            text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
        }
        func fixed(_ value: Double, _ digits: Int) -> String { DecimalText.fixed(value, digits) }
        var lines = ["\(cell("stage", 22)) \(cell("kernel", 18)) \(cell("params", 7)) \(cell("size", 8)) \(cell("α", 6)) \(cell("accuracy", 9)) \(cell("agree", 7)) \(cell("p50 µs", 9)) \(cell("δ", 6)) \(cell("decode ms", 9))"]
        for record in records {
            let accuracy = record.top1Accuracy.map { fixed($0 * 100, 2) + "%" } ?? "-"
            let decode = record.decodeMs.map { fixed($0, 3) } ?? "-"
            lines.append("\(cell(record.variant, 22)) \(cell(record.kernel, 18)) \(cell("\(record.compressedParams)", 7)) \(cell("\(record.compressedDiskBytes) B", 8)) \(cell(fixed(record.compressionRate, 1) + "x", 6)) \(cell(accuracy, 9)) \(cell(fixed(record.top1Agreement * 100, 1) + "%", 7)) \(cell(fixed(record.latencyUs.p50, 1), 9)) \(cell(fixed(record.speedupRate, 2) + "x", 6)) \(cell(decode, 9))")
        }
        if let paper {
            let (theirs, ours) = (paper.paper, paper.measured)
            lines.append("\(cell("paper: " + paper.paperModel, 22)) \(cell("", 18)) \(cell("", 7)) \(cell(fixed(theirs.compressedKb, 0) + " KB", 8)) \(cell(fixed(theirs.compressionRate, 1) + "x", 6)) \(cell(fixed(100 - theirs.top1ErrorCompressedPct, 2) + "%", 9))")
            for (who, figures) in [("paper", theirs), ("ours", ours)] {
                lines.append("  \(who): \(fixed(figures.originalKb, 0)) KB → \(fixed(figures.compressedKb, 1)) KB, α \(fixed(figures.compressionRate, 1))x, top-1 error \(fixed(figures.top1ErrorOriginalPct, 2)) % → \(fixed(figures.top1ErrorCompressedPct, 2)) %, \(fixed(figures.weightsKeptPct, 1)) % of weights kept")
            }
            lines.append("  (\(paper.citation))")
            for (figure, shortfall) in paper.shortOfPaper.sorted(by: { $0.key < $1.key }) {
                lines.append("  short of the paper, \(figure): \(shortfall)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
