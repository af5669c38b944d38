import Kernels
import Tensors

/// The LeNet models of Deep Compression's Table 1, trained on real 28x28 MNIST digits by
/// Tools/mnist (layouts and file formats in Tools/mnist/README.md). Fully connected layers are
/// layers whose kernel covers their whole input (`ConvolutionShape.isFullyConnected`): their
/// [out][in] weights, `in` in NHWC flatten order, are exactly [out][ky][kx][c].
public enum LeNet: String, CaseIterable, Sendable {
    /// Caffe's LeNet-5: conv5x5 1→20 → pool → conv5x5 20→50 → pool → fc 800→500 ReLU → fc 500→10
    /// (no activation after the convolutions).
    case lenet5 = "lenet5"
    /// LeNet-300-100: fc 784→300 ReLU → fc 300→100 ReLU → fc 100→10.
    case lenet300100 = "lenet-300-100"

    /// The stages whose weights Tools/mnist trains and writes.
    public enum Stage: String, CaseIterable, Sendable {
        /// The trained weights (float16 values, evaluated in float32): the original.
        case dense
        /// Iteratively pruned with retraining.
        case pruned
        /// Trained quantization: k-means shared weights with fine-tuned centroids, pruned zeros kept.
        case quantized
    }

    /// The held-out test split both models are scored on.
    public static let testSplitFile = "mnist-test.bin"

    /// The input: one 28x28 grey image, pixel / 255.
    public static let inputShape = TensorShape(height: 28, width: 28, channels: 1)

    /// The directory holding the MNIST files: `$EDGEPROBE_MNIST`, else `<prefix>/share/edgeprobe/mnist`
    /// next to an installed binary, else the nearest `Tools/mnist/out` above the binary; nil when
    /// none has the test split.
    public static func standardDirectory() -> String? {
        DigitsFiles.standardDirectory(environment: "EDGEPROBE_MNIST", tool: "mnist", marker: testSplitFile)
    }

    /// The weights file of `stage`, e.g. `lenet5-pruned.weights`.
    public func weightsFile(_ stage: Stage) -> String { "\(rawValue)-\(stage.rawValue).weights" }

    /// The stages the training script writes logits for: each trained stage, and plain k-means
    /// sharing of the pruned weights (what trained quantization is compared with).
    public enum LogitsStage: Sendable, Equatable {
        /// A stage whose weights the script writes.
        case trained(Stage)
        /// Plain k-means sharing of the pruned weights, at the bits trained quantization used.
        case kMeans

        /// How the file names it: the stage's name, or `kmeans`.
        var fileName: String {
            switch self {
            case .trained(let stage): stage.rawValue
            case .kMeans: "kmeans"
            }
        }
    }

    /// The training script's logits on the test split for `stage`, e.g. `lenet5-test-logits-kmeans.bin`.
    public func logitsFile(_ stage: LogitsStage) -> String { "\(rawValue)-test-logits-\(stage.fileName).bin" }

    /// The model with the weights of an `EPDW` file (any stage).
    /// - Throws: `DigitsFileError` naming the file and a missing tensor or a wrong size.
    public func definition(weightsPath path: String) throws(DigitsFileError) -> ModelDefinition {
        try ModelDefinition(name: rawValue, layers: layers, steps: steps, weightsPath: path)
    }

    /// The trained-quantized stage from one read of its `EPDW` file: the model, each layer's
    /// codebook bits by layer name, and the file's size in bytes.
    /// - Throws: `DigitsFileError` naming the file and a missing tensor, a wrong size or a weight
    ///   tensor without a codebook.
    public func quantizedStage(weightsPath path: String) throws(DigitsFileError)
        -> (definition: ModelDefinition, sharingBits: [String: Int], fileBytes: Int) {
        let bytes = try DigitsFiles.readFile(path: path)
        let tensors = try DigitsFiles.weights(bytes: bytes, path: path)
        let definition = try ModelDefinition(name: rawValue, layers: layers, steps: steps, tensors: tensors, path: path)
        return (definition, try sharingBits(tensors: tensors, path: path), bytes.count)
    }

    /// The codebook bits of each layer of a quantized (`EPDW` shared-weights) file, by layer name.
    /// - Throws: `DigitsFileError` naming the file and a weight tensor without a codebook.
    public func sharingBits(weightsPath path: String) throws(DigitsFileError) -> [String: Int] {
        try sharingBits(tensors: try DigitsFiles.readWeights(path: path), path: path)
    }

    /// The codebook bits of each layer in `tensors`, read from the quantized file at `path`.
    private func sharingBits(tensors: [NamedTensor], path: String) throws(DigitsFileError) -> [String: Int] {
        var bits: [String: Int] = [:]
        for layer in layers {
            guard let codebook = tensors.first(where: { $0.name == "\(layer.name).weight" })?.codebook else {
                throw DigitsFileError(path: path, problem: "\(layer.name).weight is not stored as shared weights (no codebook)")
            }
            bits[layer.name] = codebook.count.trailingZeroBitCount
        }
        return bits
    }

    /// The layers in order.
    public var layers: [LayerSpec] {
        switch self {
        case .lenet5:
            [LayerSpec("conv1", ConvolutionShape(inputChannels: 1, inputHeight: 28, inputWidth: 28, outputChannels: 20,
                                                 kernelHeight: 5, kernelWidth: 5), .none),
             LayerSpec("conv2", ConvolutionShape(inputChannels: 20, inputHeight: 12, inputWidth: 12, outputChannels: 50,
                                                 kernelHeight: 5, kernelWidth: 5), .none),
             LayerSpec("fc1", Self.fullyConnected(TensorShape(height: 4, width: 4, channels: 50), 500), .relu),
             LayerSpec("fc2", Self.fullyConnected(TensorShape(height: 1, width: 1, channels: 500), 10), .none)]
        case .lenet300100:
            [LayerSpec("fc1", Self.fullyConnected(Self.inputShape, 300), .relu),
             LayerSpec("fc2", Self.fullyConnected(TensorShape(height: 1, width: 1, channels: 300), 100), .relu),
             LayerSpec("fc3", Self.fullyConnected(TensorShape(height: 1, width: 1, channels: 100), 10), .none)]
        }
    }

    /// How the layers are wired: LeNet-5 pools 2x2 after each convolution.
    public var steps: [ModelStep] {
        switch self {
        case .lenet5:
            [.convolution(0), .maxPool(name: "pool1", input: TensorShape(height: 24, width: 24, channels: 20)),
             .convolution(1), .maxPool(name: "pool2", input: TensorShape(height: 8, width: 8, channels: 50)),
             .convolution(2), .convolution(3)]
        case .lenet300100:
            [.convolution(0), .convolution(1), .convolution(2)]
        }
    }

    /// A fully connected layer over the flattened `input`.
    private static func fullyConnected(_ input: TensorShape, _ outputs: Int) -> ConvolutionShape {
        ConvolutionShape(inputChannels: input.channels, inputHeight: input.height, inputWidth: input.width,
                         outputChannels: outputs, kernelHeight: input.height, kernelWidth: input.width)
    }
}
