import ArgumentParser
import CommandLineSupport
import Compression
import CompressionStudy
import Glibc
import Kernels
import Measurement
import Models
import Profiles
import Reports
import Suites
import Tensors

extension EdgeProbe {
    /// `edgeprobe compress`: Deep Compression's stages on the trained digits CNN, measured.
    struct Compress: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compress a trained model stage by stage and measure every variant.",
            discussion: """
                Stages: the float32 original; pruned (CSR kernels); int8 (int32 accumulation, \
                calibrated inputs); 4-bit k-means sharing looked up on the fly; pruned + shared + \
                Huffman-coded model file decoded at load (its decode time reported on its own). \
                Prints the stage-by-stage table (stage, size, α, accuracy, latency, δ) to standard \
                error and writes one `compression` record per variant as JSON lines.

                lenet5 and lenet-300-100 (Deep Compression's Table 1 on real 28x28 MNIST, trained by \
                Tools/mnist): original; pruned with retraining (CSR kernels); trained-quantized \
                (codebooks looked up on the fly); pruned + quantized + Huffman-coded file decoded at \
                load. A final `compression_paper` record places the result next to the paper's row.

                Examples:
                  edgeprobe compress
                  edgeprobe compress --model lenet5 --output lenet5.jsonl
                  edgeprobe compress --file model.epcm --min-time 2s --output compress.jsonl
                """)

        @Option(help: "digits: the trained 8x8 digits CNN (accuracy). lenet5, lenet-300-100: Deep Compression's LeNets trained on 28x28 MNIST (Tools/mnist), compared with the paper. mobilenet: MobileNetV2 at 96x96 (Profiles/archs/mobilenet-v2-96.yaml), random weights, pruned 90 % (latency). layers: each distinct regular and pointwise layer of that model on its own, pruned 90 %.")
        var model: StudyModel = .digits

        @Option(help: ArgumentHelp("Directory of the digits files (default: $EDGEPROBE_DIGITS, share/edgeprobe/digits, or Tools/digits/out of a checkout).", valueName: "path"))
        var digits: String?

        @Option(help: ArgumentHelp("Directory of the MNIST files for lenet5 and lenet-300-100 (default: $EDGEPROBE_MNIST, share/edgeprobe/mnist, or Tools/mnist/out of a checkout).", valueName: "path"))
        var mnist: String?

        @Option(help: ArgumentHelp("A compressed model file (.epcm) of the digits CNN to load as the last stage.", valueName: "path"))
        var file: String?

        @Option(help: ArgumentHelp("Write the pruned + shared + Huffman model file here.", valueName: "path"))
        var writeFile: String?

        @Flag(help: "With lenet5 or lenet-300-100: each layer on its own, original against pruned weights, on seeded random inputs (per-layer speedup of the sparse kernels; no accuracy).")
        var perLayer = false

        @OptionGroup var measurement: MeasurementOptions<CompressionVariantDefaults>

        @OptionGroup var output: OutputOptions

        func validate() throws {
            if model != .digits, file != nil || writeFile != nil {
                throw ValidationError("--file and --write-file apply to --model digits only")
            }
            let isLeNet = model == .lenet5 || model == .lenet300100
            if perLayer, !isLeNet { throw ValidationError("--per-layer applies to --model lenet5 and lenet-300-100 only") }
            if mnist != nil, !isLeNet { throw ValidationError("--mnist applies to --model lenet5 and lenet-300-100 only") }
            if digits != nil, model != .digits { throw ValidationError("--digits applies to --model digits only") }
        }

        func run() throws {
            let resolved = try measurement.resolvedOrExit()
            // Telemetry first: it moves this thread off the benchmark CPUs, and the pool then pins it to them.
            let telemetry = try startTelemetry(interval: resolved.sampleInterval, avoiding: resolved.cpus)
            let pool = ThreadPool(threadCount: resolved.threads, cpus: resolved.cpus)
            let studies: [(CompressionStudy, ThreadPool)]
            switch model {
            case .digits: studies = [try digitsStudy(pool: pool)]
            case .lenet5: studies = try lenetStudies(.lenet5, seed: resolved.seed).map { ($0, pool) }
            case .lenet300100: studies = try lenetStudies(.lenet300100, seed: resolved.seed).map { ($0, pool) }
            case .mobilenet, .layers: studies = try randomWeightStudies(pool: pool, seed: resolved.seed)
            }
            let writer = try output.makeWriter()
            let stopFlag = StopFlag()
            let signals = TerminationSignals { stopFlag.raise(signal: $0) }
            let runner = BenchmarkRunner(policy: resolved.policy, stopFlag: stopFlag)
            for (study, pool) in studies where !stopFlag.isRaised {
                let records = try study.run(pool: pool, runner: runner, telemetry: telemetry, writer: writer)
                let paper = study.paperRecord(records)
                if let paper { try writer.write(paper) }
                let table = "\(study.model)\n" + CompressionRecord.table(records, paper: paper)
                _ = table.utf8CString.withUnsafeBufferPointer { write(STDERR_FILENO, $0.baseAddress, $0.count - 1) }
            }
            withExtendedLifetime(signals) {}
            if let number = stopFlag.raisedBySignal {
                throw ExitCode(TerminationSignals.exitStatus(for: number))
            }
        }

        /// The MobileNet-style model or its single layers, with seeded weights pruned to 90 %.
        private func randomWeightStudies(pool: ThreadPool, seed: UInt64) throws -> [(CompressionStudy, ThreadPool)] {
            let model = try CompressionStudy.mobileNetDefinition(seed: seed)
            let definitions = self.model == .mobilenet ? [model] : model.regularLayerModels()
            return try definitions.map { definition in
                (try CompressionStudy.randomWeights(definition, seed: seed, sparsity: 0.9, pool: pool), pool)
            }
        }

        /// A LeNet's stages from the MNIST files, scored on their test split (or with
        /// `--per-layer`, one study per layer).
        private func lenetStudies(_ lenet: LeNet, seed: UInt64) throws -> [CompressionStudy] {
            guard let directory = mnist ?? LeNet.standardDirectory() else {
                printError("MNIST files not found: pass --mnist DIR or set EDGEPROBE_MNIST (Tools/mnist/out in a checkout)")
                throw ExitCode.failure
            }
            do {
                return perLayer ? try CompressionStudy.lenetLayers(lenet, directory: directory, seed: seed)
                    : [try CompressionStudy.lenet(lenet, directory: directory)]
            } catch {
                printError("error: \(error)")
                throw ExitCode.failure
            }
        }

        /// The digits CNN: dense-trained and pruned-and-retrained weights, scored on the test split.
        private func digitsStudy(pool: ThreadPool) throws -> (CompressionStudy, ThreadPool) {
            guard let directory = digits ?? DigitsFiles.standardDirectory() else {
                printError("digits files not found: pass --digits DIR or set EDGEPROBE_DIGITS (Tools/digits/out in a checkout)")
                throw ExitCode.failure
            }
            var fileBytes: [UInt8]?
            if let file {
                do {
                    let bytes = try FileBytes.read(file)
                    _ = try CompressedModelFile(parsing: bytes)
                    fileBytes = bytes
                } catch {
                    printError("error: \(file): \(error)")
                    throw ExitCode.failure
                }
            }
            do {
                let study = try CompressionStudy.digits(directory: directory, pool: pool, fileBytes: fileBytes)
                if let writeFile {
                    let pruned = try DigitsModel.definition(weightsPath: "\(directory)/\(DigitsFiles.prunedWeightsFile)")
                    try pruned.compressedFile { _ in .sparseSharedWeights(bits: 4, gapBits: 4) }.write(to: writeFile)
                }
                return (study, pool)
            } catch {
                printError("error: \(file.map { "\($0): " } ?? "")\(error)")
                throw ExitCode.failure
            }
        }
    }

    /// Which model `compress` studies.
    enum StudyModel: String, ExpressibleByArgument, CaseIterable {
        case digits, lenet5
        case lenet300100 = "lenet-300-100"
        case mobilenet, layers
    }
}
