import Kernels
import Tensors

/// The trained digits CNN of Tools/digits: conv3x3 1→8 pad 1 ReLU → conv3x3 8→16 stride 2 pad 1
/// ReLU → dense 256→10, the dense layer a fully connected layer over the 4x4x16 map (its
/// [out][in] weights, `in` in NHWC flatten order, are exactly [out][ky][kx][c]).
public enum DigitsModel {
    /// The input: one 8x8 grey image, pixel / 16.
    public static let inputShape = TensorShape(height: 8, width: 8, channels: 1)

    /// The model with the weights of an `EPDW` file (dense or pruned).
    /// - Throws: `DigitsFileError` naming a missing tensor or a wrong size.
    public static func definition(weightsPath path: String) throws(DigitsFileError) -> ModelDefinition {
        let shapes = layerShapes
        return try ModelDefinition(
            name: "digits-cnn",
            layers: [LayerSpec("conv1", shapes[0], .relu), LayerSpec("conv2", shapes[1], .relu), LayerSpec("dense", shapes[2], .none)],
            weightsPath: path)
    }

    /// The three layers' geometry.
    public static let layerShapes: [ConvolutionShape] = [
        ConvolutionShape(inputChannels: 1, inputHeight: 8, inputWidth: 8, outputChannels: 8,
                         kernelHeight: 3, kernelWidth: 3, padding: .symmetric(1)),
        ConvolutionShape(inputChannels: 8, inputHeight: 8, inputWidth: 8, outputChannels: 16,
                         kernelHeight: 3, kernelWidth: 3, strideY: 2, strideX: 2, padding: .symmetric(1)),
        ConvolutionShape(inputChannels: 16, inputHeight: 4, inputWidth: 4, outputChannels: 10,
                         kernelHeight: 4, kernelWidth: 4),
    ]
}
