import Kernels
import Tensors
import TestSupport
import Testing
import XNNPACKEngine

/// One layer, its seeded weights and input, and XNNPACK's largest difference from the reference.
struct XNNPACKCase: CustomStringConvertible, Sendable {
    let shape: ConvolutionShape
    let activation: Activation
    let hasBias: Bool

    var description: String { "\(shape) \(activation)\(hasBias ? "" : " no-bias")" }

    /// Largest absolute difference from `ReferenceConvolution`, and the bound edgeprobe's kernels are held to.
    func maxError(threads: Int, seed: UInt64 = 1) throws -> (error: Float, bound: Float) {
        var generator = SplitMix64(seed: seed)
        let depth = shape.kernelHeight * shape.kernelWidth * shape.inputChannelsPerGroup
        let weights = generator.floats(shape.weightCount, scale: 1 / Float(depth).squareRoot())
        let bias = hasBias ? generator.floats(shape.outputChannels) : nil
        let input = Tensor.random(height: shape.inputHeight, width: shape.inputWidth, channels: shape.inputChannels,
                                  seed: seed &+ 7)
        let layer = try XNNPACKConvolution(shape: shape, weights: weights, bias: bias, activation: activation,
                                           threads: XNNPACKThreads(threadCount: threads))
        let output = layer.forward(input)
        let expected = ReferenceConvolution.forward(shape: shape, input: input, weights: weights, bias: bias,
                                                    activation: activation)
        let error = zip(output.values, expected.values).reduce(Float(0)) { max($0, abs($1.0 - $1.1)) }
        return (error, ReferenceConvolution.float32ErrorBound(shape))
    }
}

@Suite("XNNPACK's float32 convolutions match the reference within edgeprobe's bounds", .timeLimit(.minutes(1)))
/// Each layer runs on a thread of its own (`onOwnThread`): pthreadpool's threads spin while they
/// wait, so on a loaded machine a two-thread layer can take long, and must not hold a thread of
/// the concurrency pool that every other test needs.
struct XNNPACKConvolutionTests {
    /// Reproducible random valid shapes: odd sizes, kernels 1-5, strides 1-2, asymmetric padding, groups.
    static let randomCases: [XNNPACKCase] = {
        var generator = SplitMix64(seed: 17)
        var cases: [XNNPACKCase] = []
        while cases.count < 40 {
            let groups = [1, 1, 1, 2, 3].randomElement(using: &generator)!
            let kernel = [1, 2, 3, 5].randomElement(using: &generator)!
            let stride = Int.random(in: 1...2, using: &generator)
            let shape = ConvolutionShape(
                inputChannels: groups * Int.random(in: 1...13, using: &generator),
                inputHeight: Int.random(in: 1...11, using: &generator), inputWidth: Int.random(in: 1...11, using: &generator),
                outputChannels: groups * Int.random(in: 1...21, using: &generator),
                kernelHeight: kernel, kernelWidth: kernel, strideY: stride, strideX: stride,
                padding: Padding(top: Int.random(in: 0...2, using: &generator), left: Int.random(in: 0...2, using: &generator),
                                 bottom: Int.random(in: 0...2, using: &generator), right: Int.random(in: 0...2, using: &generator)),
                groups: groups)
            guard (try? shape.validate()) != nil else { continue }
            cases.append(XNNPACKCase(shape: shape, activation: Activation.allCases.randomElement(using: &generator)!,
                                     hasBias: Bool.random(using: &generator)))
        }
        return cases
    }()

    @Test("random regular and grouped layers, 1 and 2 threads", arguments: [1, 2])
    func randomLayers(threads: Int) async throws {
        let errors = try await onOwnThread { try Self.randomCases.map { try $0.maxError(threads: threads) } }
        for (testCase, (error, bound)) in zip(Self.randomCases, errors) {
            #expect(error <= bound, "max abs error \(error) > \(bound) for \(testCase)")
        }
    }

    /// Depthwise 3x3, 5x5 and 7x7 at strides 1 and 2 with "same" padding (XNNPACK's depthwise
    /// micro-kernels for 3x3 and 5x5, its grouped GEMM for 7x7), on channel counts around its tiles.
    static let depthwiseCases: [XNNPACKCase] = [(3, 1), (3, 2), (5, 1), (5, 2), (7, 1), (7, 2)].flatMap { kernel, stride in
        [(7, 13), (9, 32), (6, 37)].map { size, channels in
            XNNPACKCase(
                shape: ConvolutionShape(
                    inputChannels: channels, inputHeight: size, inputWidth: size + 1, outputChannels: channels,
                    kernelHeight: kernel, kernelWidth: kernel, strideY: stride, strideX: stride,
                    padding: .same(inputHeight: size, inputWidth: size + 1, kernelHeight: kernel, kernelWidth: kernel,
                                   strideY: stride, strideX: stride),
                    groups: channels),
                activation: .relu6, hasBias: true)
        }
    }

    @Test("depthwise layers, 1 and 2 threads", arguments: depthwiseCases, [1, 2])
    func depthwise(_ testCase: XNNPACKCase, threads: Int) async throws {
        let (error, bound) = try await onOwnThread { try testCase.maxError(threads: threads) }
        #expect(error <= bound, "max abs error \(error) > \(bound) for \(testCase)")
    }

    /// The conv-default suite's kinds at reduced sizes: pointwise, regular 3x3, the stem.
    static let suiteShapes: [XNNPACKCase] = [
        XNNPACKCase(shape: ConvolutionShape(inputChannels: 64, inputHeight: 14, inputWidth: 14, outputChannels: 128,
                                            kernelHeight: 1, kernelWidth: 1), activation: .relu6, hasBias: true),
        XNNPACKCase(shape: ConvolutionShape(inputChannels: 64, inputHeight: 14, inputWidth: 14, outputChannels: 64,
                                            kernelHeight: 3, kernelWidth: 3, padding: .symmetric(1)),
                    activation: .relu, hasBias: true),
        XNNPACKCase(shape: ConvolutionShape(inputChannels: 3, inputHeight: 32, inputWidth: 32, outputChannels: 32,
                                            kernelHeight: 3, kernelWidth: 3, strideY: 2, strideX: 2,
                                            padding: Padding(top: 0, left: 0, bottom: 1, right: 1)),
                    activation: .relu6, hasBias: true),
    ]

    @Test("pointwise, regular and stem layers, 1 and 2 threads", arguments: suiteShapes, [1, 2])
    func suiteKinds(_ testCase: XNNPACKCase, threads: Int) async throws {
        let (error, bound) = try await onOwnThread { try testCase.maxError(threads: threads) }
        #expect(error <= bound, "max abs error \(error) > \(bound) for \(testCase)")
    }

    @Test func wrongWeightCountIsRejectedNamingTheLayer() {
        let shape = ConvolutionShape(inputChannels: 4, inputHeight: 5, inputWidth: 5, outputChannels: 8,
                                     kernelHeight: 3, kernelWidth: 3)
        do {
            _ = try XNNPACKConvolution(shape: shape, weights: [Float](repeating: 0, count: 10), bias: nil,
                                       activation: .none, threads: XNNPACKThreads(threadCount: 1))
            Issue.record("a layer with 10 weights instead of 288 was accepted")
        } catch {
            #expect(error.description == "XNNPACK: create convolution \(shape) failed: weights.count is 10, expected 288")
        }
    }

    @Test func enginePathsAndVersionAreNamed() throws {
        try XNNPACK.initialize()
        #expect(["avx512f", "fma3", "avx", "sse", "neonfma", "scalar"].contains(XNNPACK.float32ISA))
        #expect(XNNPACK.libraryPath?.contains("libXNNPACK") == true)
        // Installed by `make deps` from Debian: the loaded library belongs to libxnnpack0.
        #expect(XNNPACK.packageVersion?.hasPrefix("libxnnpack0 ") == true, "\(String(describing: XNNPACK.packageVersion))")
    }
}
