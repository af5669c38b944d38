import Kernels
import Testing
import Tensors

@Suite("Fully connected kernels (dense, CSR, shared) and the 2x2 max pool match simple references", .timeLimit(.minutes(2)))
struct FullyConnectedTests {
    /// LeNet's layers (flattened 4x4x50 → 500, 784 → 300, 300 → 100, 500 → 10) and odd sizes
    /// that leave tails in every unrolled loop.
    static let shapes: [ConvolutionShape] = [
        ConvolutionShape(inputChannels: 50, inputHeight: 4, inputWidth: 4, outputChannels: 500, kernelHeight: 4, kernelWidth: 4),
        ConvolutionShape(inputChannels: 1, inputHeight: 28, inputWidth: 28, outputChannels: 300, kernelHeight: 28, kernelWidth: 28),
        ConvolutionShape(inputChannels: 300, inputHeight: 1, inputWidth: 1, outputChannels: 100, kernelHeight: 1, kernelWidth: 1),
        ConvolutionShape(inputChannels: 500, inputHeight: 1, inputWidth: 1, outputChannels: 10, kernelHeight: 1, kernelWidth: 1),
        ConvolutionShape(inputChannels: 3, inputHeight: 3, inputWidth: 5, outputChannels: 7, kernelHeight: 3, kernelWidth: 5),
        ConvolutionShape(inputChannels: 1, inputHeight: 1, inputWidth: 1, outputChannels: 1, kernelHeight: 1, kernelWidth: 1),
    ]

    /// The layer's output and the reference convolution's (the fc layer is a valid convolution
    /// whose kernel covers the input), on weights pruned to `sparsity`.
    static func compare(
        _ shape: ConvolutionShape, sparsity: Double, threads: Int, quantize: Bool = false,
        build: (ConvolutionShape, [Float], [Float]) throws -> FullyConnected
    ) throws -> Float {
        let testCase = ConvolutionCase(shape: shape, activation: .relu, hasBias: true)
        let levels = Float(16 * shape.inputShape.elementCount).squareRoot()
        let weights = SparseConvolutionTests.pruned(testCase.weights(seed: 3), sparsity: sparsity, seed: 17)
            .map { quantize ? ($0 * levels).rounded() / levels : $0 }
        let bias = testCase.bias(seed: 3)!
        let input = Tensor.random(height: shape.inputHeight, width: shape.inputWidth, channels: shape.inputChannels, seed: 29)
        let layer = try build(shape, weights, bias)
        let output = layer.forward(input, pool: ThreadPool(threadCount: threads))
        let expected = ReferenceConvolution.forward(shape: shape, input: input, weights: weights, bias: bias, activation: .relu)
        return maxAbsoluteDifference(output, expected)
    }

    @Test("dense GEMV", arguments: shapes)
    func dense(_ shape: ConvolutionShape) throws {
        for threads in [1, 2] {
            let error = try Self.compare(shape, sparsity: 0, threads: threads) {
                try FullyConnected(shape: $0, weights: $1, bias: $2, activation: .relu)
            }
            #expect(error <= errorBound(shape), "\(shape) on \(threads) threads: max abs error \(error)")
        }
    }

    @Test("CSR at sparsity 0, 0.5, 0.92 and 1", arguments: shapes)
    func sparse(_ shape: ConvolutionShape) throws {
        for (sparsity, threads) in [(0.0, 1), (0.5, 2), (0.92, 1), (1.0, 2)] {
            let error = try Self.compare(shape, sparsity: sparsity, threads: threads) {
                try FullyConnected.sparse(shape: $0, weights: $1, bias: $2, activation: .relu)
            }
            #expect(error <= errorBound(shape), "\(shape) at sparsity \(sparsity): max abs error \(error)")
        }
    }

    @Test("CSR of codebook bytes (pruned and shared) at sparsity 0.5 and 0.92", arguments: shapes)
    func sparseShared(_ shape: ConvolutionShape) throws {
        // Weights rounded to 16 levels, so at most 31 distinct nonzero values: the codebook is exact.
        for (sparsity, threads) in [(0.5, 1), (0.92, 2)] {
            let error = try Self.compare(shape, sparsity: sparsity, threads: threads, quantize: true) {
                try #require(try FullyConnected.sparseShared(shape: $0, weights: $1, bias: $2, activation: .relu))
            }
            #expect(error <= errorBound(shape), "\(shape) at sparsity \(sparsity): max abs error \(error)")
        }
    }

    @Test("shared weights looked up from a codebook", arguments: shapes)
    func shared(_ shape: ConvolutionShape) throws {
        // A 5-bit codebook over the weights' range; the reference sees the looked-up values.
        let codebook = (0..<32).map { Float($0 - 16) / Float(16 * shape.inputShape.elementCount).squareRoot() }
        var generator = SplitMix64(seed: 41)
        let indices = (0..<shape.weightCount).map { _ in UInt8(Int(generator.next() % 32)) }
        let bias = ConvolutionCase(shape: shape, activation: .relu, hasBias: true).bias(seed: 3)!
        let input = Tensor.random(height: shape.inputHeight, width: shape.inputWidth, channels: shape.inputChannels, seed: 29)
        let layer = try FullyConnected(shape: shape, storage: .shared(codebook: codebook, indices: indices), bias: bias, activation: .relu)
        let expected = ReferenceConvolution.forward(shape: shape, input: input, weights: indices.map { codebook[Int($0)] },
                                                    bias: bias, activation: .relu)
        let lookedUp = maxAbsoluteDifference(layer.forward(input, pool: ThreadPool(threadCount: 2)), expected)
        #expect(lookedUp <= errorBound(shape), "\(shape): max abs error \(lookedUp)")
    }

    @Test("a kernel that does not cover the input, or a bad CSR index, is refused naming the field")
    func refused() {
        let convolution = ConvolutionShape(inputChannels: 2, inputHeight: 4, inputWidth: 4, outputChannels: 3, kernelHeight: 3, kernelWidth: 3)
        #expect(throws: ConvolutionError.self) {
            try FullyConnected(shape: convolution, weights: [Float](repeating: 1, count: convolution.weightCount), bias: nil, activation: .none)
        }
        let fc = ConvolutionShape(inputChannels: 4, inputHeight: 1, inputWidth: 1, outputChannels: 2, kernelHeight: 1, kernelWidth: 1)
        #expect(throws: ConvolutionError.self) {
            try FullyConnected(shape: fc, storage: .sparse(rowStarts: [0, 1, 2], columns: [0, 4], values: [1, 1]), bias: nil, activation: .none)
        }
        #expect(throws: ConvolutionError.self) {
            try FullyConnected(shape: fc, storage: .shared(codebook: [0, 1], indices: [0, 1, 2, 0, 0, 0, 0, 0]), bias: nil, activation: .none)
        }
    }

    @Test("2x2 max pool equals the largest of each window, odd edges dropped")
    func maxPool() throws {
        for (height, width, channels) in [(24, 24, 20), (8, 8, 50), (5, 7, 3), (2, 2, 1)] {
            let input = Tensor.random(height: height, width: width, channels: channels, seed: UInt64(height * width))
            let pool = try MaxPool(inputShape: input.shape)
            let output = pool.forward(input)
            #expect(output.shape == TensorShape(height: height / 2, width: width / 2, channels: channels))
            for y in 0..<height / 2 {
                for x in 0..<width / 2 {
                    for c in 0..<channels {
                        let window = [input[2 * y, 2 * x, c], input[2 * y, 2 * x + 1, c],
                                      input[2 * y + 1, 2 * x, c], input[2 * y + 1, 2 * x + 1, c]]
                        #expect(output[y, x, c] == window.max()!)
                    }
                }
            }
        }
        #expect(throws: ConvolutionError.self) { try MaxPool(inputShape: TensorShape(height: 1, width: 4, channels: 1)) }
    }
}
