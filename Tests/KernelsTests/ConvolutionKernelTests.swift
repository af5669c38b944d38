import Kernels
import Testing
import Tensors

@Suite("Optimized convolution kernels match the naive reference", .timeLimit(.minutes(5)))
struct ConvolutionKernelTests {
    // MARK: - Pointwise (GEMM on NHWC pixels)

    static let pointwiseCases: [ConvolutionCase] = [
        (1, 1, 1), (3, 16, 5), (5, 7, 9), (17, 33, 6), (130, 20, 4), (8, 16, 12), (64, 48, 7),
    ].flatMap { inputChannels, outputChannels, size in
        Activation.allCases.map { activation in
            ConvolutionCase(
                shape: ConvolutionShape(inputChannels: inputChannels, inputHeight: size, inputWidth: size + 1,
                                        outputChannels: outputChannels, kernelHeight: 1, kernelWidth: 1),
                activation: activation, hasBias: inputChannels % 2 == 1)
        }
    }

    @Test("pointwise 1x1", arguments: pointwiseCases)
    func pointwise(_ testCase: ConvolutionCase) throws {
        let layer = try Convolution(shape: testCase.shape, weights: testCase.weights(seed: 3), bias: nil, activation: .none)
        #expect(layer.algorithm == .pointwise)
        let (error, bound) = try testCase.maxError()
        #expect(error <= bound, "max abs error \(error) > \(bound) for \(testCase)")
    }

    /// Every tile height of the AVX512 path (1...12 rows and a 13th), narrow and partial panels, one
    /// pixel (the one-row kernel) and 7 pixels (a 6-row tile and a one-row tile on the SIMD path).
    static let kernelPathCases: [ConvolutionCase] = [
        (5, 40, 1, 1), (16, 24, 1, 2), (33, 17, 1, 3), (7, 33, 2, 2), (64, 48, 3, 3), (24, 96, 2, 5),
        (17, 16, 3, 4), (9, 20, 1, 11), (40, 40, 1, 12), (12, 35, 1, 13), (130, 20, 4, 5), (20, 50, 1, 7),
        (70, 100, 1, 1),
    ].flatMap { inputChannels, outputChannels, height, width in
        Activation.allCases.map { activation in
            ConvolutionCase(
                shape: ConvolutionShape(inputChannels: inputChannels, inputHeight: height, inputWidth: width,
                                        outputChannels: outputChannels, kernelHeight: 1, kernelWidth: 1),
                activation: activation, hasBias: outputChannels % 2 == 0)
        }
    }

    @Test("pointwise on every GEMM path this CPU runs, 1 and 2 threads",
          arguments: FloatKernelPath.available, [1, 2])
    func pointwiseOnEveryPath(_ path: FloatKernelPath, threads: Int) throws {
        for testCase in Self.kernelPathCases + Self.pointwiseCases {
            let layer = try Convolution(shape: testCase.shape, weights: testCase.weights(seed: 1), bias: nil,
                                        activation: .none, path: path)
            #expect(layer.kernelPath == path)
            let (error, bound) = try testCase.maxError(threads: threads, path: path)
            #expect(error <= bound, "\(path): max abs error \(error) > \(bound) for \(testCase)")
        }
    }

    /// Every kernel of both paths adds the products of each output in k order with fused
    /// multiply-adds from the bias.
    @Test("every GEMM path gives the same bits as the Swift SIMD path")
    func pathsAgree() throws {
        for testCase in Self.kernelPathCases {
            let outputs = try Self.outputsOfEveryPath(testCase, seed: 9)
            #expect(outputs.allSatisfy { $0 == outputs[0] }, "\(testCase)")
        }
    }

    /// The layer's output on each kernel path this CPU runs, from the same weights and input.
    static func outputsOfEveryPath(_ testCase: ConvolutionCase, seed: UInt64) throws -> [Tensor] {
        let input = Tensor.random(height: testCase.shape.inputHeight, width: testCase.shape.inputWidth,
                                  channels: testCase.shape.inputChannels, seed: seed)
        let pool = ThreadPool(threadCount: 1)
        return try FloatKernelPath.available.map { path in
            try Convolution(shape: testCase.shape, weights: testCase.weights(seed: seed), bias: testCase.bias(seed: seed),
                            activation: testCase.activation, path: path).forward(input, pool: pool)
        }
    }

    // MARK: - Depthwise

    // (channels, height, kernel, stride, padding, width or nil for height + 2)
    static let depthwiseCases: [ConvolutionCase] = [
        (1, 7, 3, 1, Padding.symmetric(1), nil), (3, 10, 3, 1, .symmetric(1), nil),
        (8, 9, 3, 2, Padding(top: 0, left: 1, bottom: 1, right: 0), nil),
        (13, 8, 5, 1, .symmetric(2), nil), (24, 11, 3, 2, .symmetric(1), nil), (40, 6, 7, 1, .symmetric(3), nil),
        (16, 5, 3, 1, .zero, nil), (32, 12, 3, 1, Padding(top: 2, left: 0, bottom: 1, right: 2), nil),
        (21, 9, 5, 2, .symmetric(2), nil),
        // Wide rows: several 8-pixel blocks plus an overlapping last block, for every block kind.
        (24, 4, 3, 2, .symmetric(1), 41), (16, 5, 5, 1, .symmetric(2), 27), (8, 3, 3, 1, .symmetric(1), 29),
        (19, 4, 3, 1, Padding(top: 1, left: 0, bottom: 0, right: 1), 23), (8, 6, 7, 3, .symmetric(3), 50),
        // Many channels, with a tail, on wide rows.
        (75, 4, 3, 1, .symmetric(1), 60), (40, 5, 5, 2, .symmetric(2), 70),
        // 7x7 at stride 2; an even kernel width (no shared columns on the AVX512 path); 1-3 pixel rows.
        (20, 9, 7, 2, .symmetric(3), 19), (5, 6, 2, 1, Padding(top: 0, left: 0, bottom: 1, right: 1), nil),
        (33, 3, 3, 1, .symmetric(1), 3), (17, 2, 3, 2, Padding(top: 0, left: 0, bottom: 1, right: 1), 2),
        // Fewer channels than a vector (AVX2 8, NEON 4) and tails of 1-3 past a multiple of 4 or 8,
        // the last vector overlapping the one before; 4x4 and 6x6 kernels (per-tap loads).
        (4, 6, 5, 2, .symmetric(2), 21), (6, 5, 7, 1, .symmetric(3), 23), (2, 7, 3, 1, .symmetric(1), 19),
        (10, 6, 4, 2, Padding(top: 1, left: 1, bottom: 2, right: 2), 17), (9, 8, 6, 1, .symmetric(2), 15),
    ].flatMap { channels, size, kernel, stride, padding, width in
        Activation.allCases.map { activation in
            ConvolutionCase(
                shape: ConvolutionShape(inputChannels: channels, inputHeight: size, inputWidth: width ?? size + 2,
                                        outputChannels: channels, kernelHeight: kernel, kernelWidth: kernel,
                                        strideY: stride, strideX: stride, padding: padding, groups: channels),
                activation: activation, hasBias: channels % 2 == 0)
        }
    }

    @Test("depthwise on every kernel path this CPU runs", arguments: depthwiseCases)
    func depthwise(_ testCase: ConvolutionCase) throws {
        try expectMatchesReferenceOnEveryPath(testCase, algorithm: .depthwise)
    }

    /// The depthwise kernels of every path (AVX512F, and the `.simd` path's AVX2 + FMA or NEON C
    /// kernel) sum each output from its bias in (ky, kx) order with fused multiply-adds: same bits.
    @Test("every depthwise path gives the same bits")
    func depthwisePathsAgree() throws {
        for testCase in Self.depthwiseCases {
            let outputs = try Self.outputsOfEveryPath(testCase, seed: 6)
            #expect(outputs.allSatisfy { $0 == outputs[0] }, "\(testCase)")
        }
    }

    /// The layer takes `algorithm` and runs each available path (`kernelPath`) within the error bound.
    private func expectMatchesReferenceOnEveryPath(_ testCase: ConvolutionCase, algorithm: Convolution.Algorithm) throws {
        for path in FloatKernelPath.available {
            let layer = try Convolution(shape: testCase.shape, weights: testCase.weights(seed: 3), bias: nil,
                                        activation: .none, path: path)
            #expect(layer.algorithm == algorithm)
            #expect(layer.kernelPath == path)
            let (error, bound) = try testCase.maxError(path: path)
            #expect(error <= bound, "\(path): max abs error \(error) > \(bound) for \(testCase)")
        }
    }

    // MARK: - Regular (im2col + GEMM)

    static let regularCases: [ConvolutionCase] = [
        // (cin, cout, h, w, k, stride, padding, groups)
        (3, 32, 15, 13, 3, 2, Padding(top: 0, left: 0, bottom: 1, right: 1), 1),
        (3, 16, 10, 10, 3, 1, .symmetric(1), 1),
        (1, 5, 9, 7, 5, 1, .symmetric(2), 1),
        (7, 9, 11, 9, 7, 2, .symmetric(3), 1),
        (20, 17, 6, 8, 3, 1, Padding(top: 1, left: 2, bottom: 0, right: 1), 1),
        (16, 24, 7, 7, 3, 1, .symmetric(1), 4),
        (6, 12, 8, 5, 3, 2, .symmetric(1), 3),
        (8, 16, 6, 6, 3, 1, .symmetric(1), 8),          // depthwise with channel multiplier 2
        (9, 11, 8, 8, 1, 2, .zero, 1),                   // strided 1x1
        (5, 4, 6, 6, 1, 1, .symmetric(1), 1),            // padded 1x1
        (4, 3, 5, 5, 2, 1, .zero, 1),                    // even kernel
        (70, 40, 5, 6, 3, 1, .symmetric(1), 1),          // K = 630, not a multiple of 8
        // Inputs over 16 Ki floats: padding handled by the indirection (zero runs), not a padded copy.
        (4, 5, 70, 60, 3, 1, Padding(top: 1, left: 0, bottom: 2, right: 1), 1),
        (3, 8, 96, 60, 5, 2, .symmetric(2), 1),
    ].flatMap { inputChannels, outputChannels, height, width, kernel, stride, padding, groups in
        Activation.allCases.map { activation in
            ConvolutionCase(
                shape: ConvolutionShape(inputChannels: inputChannels, inputHeight: height, inputWidth: width,
                                        outputChannels: outputChannels, kernelHeight: kernel, kernelWidth: kernel,
                                        strideY: stride, strideX: stride, padding: padding, groups: groups),
                activation: activation, hasBias: true)
        }
    }

    @Test("regular (indirect im2col + GEMM), groups, strides, padding, on every GEMM path this CPU runs",
          arguments: regularCases)
    func regular(_ testCase: ConvolutionCase) throws {
        try expectMatchesReferenceOnEveryPath(testCase, algorithm: .indirectGEMM)
    }

    @Test("random shapes on every GEMM path this CPU runs", arguments: randomConvolutionCases(count: 60, seed: 2026))
    func randomShape(_ testCase: ConvolutionCase) throws {
        for path in FloatKernelPath.available {
            let (error, bound) = try testCase.maxError(seed: 11, path: path)
            #expect(error <= bound, "\(path): max abs error \(error) > \(bound) for \(testCase)")
        }
    }

    /// The indirect GEMM of every path sums each output in k order with fused multiply-adds from
    /// the bias, like the pointwise kernels: same bits on every path (12-row AVX512 tiles, 6-row
    /// Swift SIMD tiles), including tiles that straddle output rows and padded borders.
    @Test("every indirect GEMM path gives the same bits as the Swift SIMD path")
    func indirectPathsAgree() throws {
        for testCase in Self.regularCases + randomConvolutionCases(count: 20, seed: 7)
        where testCase.shape.isPointwise == false && testCase.shape.isDepthwise == false {
            let outputs = try Self.outputsOfEveryPath(testCase, seed: 4)
            #expect(outputs.allSatisfy { $0 == outputs[0] }, "\(testCase)")
        }
    }

    // MARK: - Threads

    /// Layers big enough (> 100 000 MACs) to be split across threads.
    static let threadedCases: [ConvolutionCase] = [
        ConvolutionCase(shape: ConvolutionShape(inputChannels: 64, inputHeight: 20, inputWidth: 19, outputChannels: 48,
                                                kernelHeight: 1, kernelWidth: 1), activation: .relu, hasBias: true),
        ConvolutionCase(shape: ConvolutionShape(inputChannels: 40, inputHeight: 30, inputWidth: 29, outputChannels: 40,
                                                kernelHeight: 3, kernelWidth: 3, padding: .symmetric(1), groups: 40),
                        activation: .relu6, hasBias: true),
        ConvolutionCase(shape: ConvolutionShape(inputChannels: 16, inputHeight: 24, inputWidth: 23, outputChannels: 24,
                                                kernelHeight: 3, kernelWidth: 3, strideY: 2, strideX: 2,
                                                padding: Padding(top: 0, left: 1, bottom: 1, right: 0), groups: 4),
                        activation: .none, hasBias: false),
        ConvolutionCase(shape: ConvolutionShape(inputChannels: 3, inputHeight: 41, inputWidth: 40, outputChannels: 32,
                                                kernelHeight: 3, kernelWidth: 3, strideY: 2, strideX: 2,
                                                padding: Padding(top: 0, left: 0, bottom: 1, right: 1)),
                        activation: .relu6, hasBias: true),
        // A late layer (3x3 pixels, many channels) and a fully connected one (one pixel): split along panels.
        ConvolutionCase(shape: ConvolutionShape(inputChannels: 96, inputHeight: 3, inputWidth: 3, outputChannels: 250,
                                                kernelHeight: 1, kernelWidth: 1), activation: .relu6, hasBias: true),
        ConvolutionCase(shape: ConvolutionShape(inputChannels: 643, inputHeight: 1, inputWidth: 1, outputChannels: 400,
                                                kernelHeight: 1, kernelWidth: 1), activation: .none, hasBias: true),
        ConvolutionCase(shape: ConvolutionShape(inputChannels: 400, inputHeight: 3, inputWidth: 3, outputChannels: 336,
                                                kernelHeight: 1, kernelWidth: 1), activation: .relu, hasBias: true),
        // 19 pixels: fewer row tiles than chunks wanted on the AVX512F path (split along panels), 6-row
        // tiles and a one-row remainder (the one-row kernel) on the Swift path.
        ConvolutionCase(shape: ConvolutionShape(inputChannels: 140, inputHeight: 19, inputWidth: 1, outputChannels: 160,
                                                kernelHeight: 1, kernelWidth: 1), activation: .relu6, hasBias: true),
        // 37 pixels: on the AVX512F path one thread cuts them into tiles of 9, 9, 9 and 10 rows, two
        // and three threads into chunks of 12, 12 and 13 (7 + 6) rows, so tiles of different heights
        // compute each row.
        ConvolutionCase(shape: ConvolutionShape(inputChannels: 64, inputHeight: 37, inputWidth: 1, outputChannels: 160,
                                                kernelHeight: 1, kernelWidth: 1), activation: .relu, hasBias: true),
    ]

    @Test("two and three threads give bit-identical results to one", arguments: threadedCases)
    func threadsAgree(_ testCase: ConvolutionCase) throws {
        let input = Tensor.random(height: testCase.shape.inputHeight, width: testCase.shape.inputWidth,
                                  channels: testCase.shape.inputChannels, seed: 5)
        let layer = try Convolution(shape: testCase.shape, weights: testCase.weights(seed: 5),
                                    bias: testCase.bias(seed: 5), activation: testCase.activation)
        #expect(testCase.shape.macs > 100_000)
        let single = layer.forward(input, pool: ThreadPool(threadCount: 1))
        for threads in [2, 3] {
            let pool = ThreadPool(threadCount: threads)
            for _ in 0..<3 {
                #expect(layer.forward(input, pool: pool) == single, "\(threads) threads differ for \(testCase)")
            }
        }
    }

    @Test("a larger layer on two threads matches the reference")
    func largerLayerOnTwoThreads() throws {
        let testCase = ConvolutionCase(
            shape: ConvolutionShape(inputChannels: 32, inputHeight: 20, inputWidth: 19, outputChannels: 40,
                                    kernelHeight: 3, kernelWidth: 3, padding: .symmetric(1)),
            activation: .relu6, hasBias: true)
        let (error, bound) = try testCase.maxError(threads: 2)
        #expect(error <= bound)
    }

    /// One pixel (the one-row kernel: four panels at a time, a partial group and a partial panel), a
    /// few pixels (6-row and 3-row tiles) and a few pixels times > 512 KiB of weights (swept panel
    /// by panel on one thread), on one and two threads, against the reference.
    @Test("fully connected and few-pixel pointwise layers match the reference on every path, 1 and 2 threads",
          arguments: [(403, 300, 1), (400, 17, 1), (5, 40, 1), (96, 170, 3), (130, 33, 2), (400, 336, 3)])
    func fewPixelPointwise(_ channels: (Int, Int, Int)) throws {
        let (inputChannels, outputChannels, size) = channels
        let testCase = ConvolutionCase(
            shape: ConvolutionShape(inputChannels: inputChannels, inputHeight: size, inputWidth: size,
                                    outputChannels: outputChannels, kernelHeight: 1, kernelWidth: 1),
            activation: .relu6, hasBias: true)
        for path in FloatKernelPath.available {
            for threads in [1, 2] {
                let (error, bound) = try testCase.maxError(threads: threads, path: path)
                #expect(error <= bound, "\(path): max abs error \(error) > \(bound) for \(testCase) on \(threads) threads")
            }
        }
    }

    // MARK: - Forward plumbing

    @Test("forward(into:) replaces an output of the wrong shape and overwrites old contents")
    func forwardIntoResizes() throws {
        let shape = ConvolutionShape(inputChannels: 4, inputHeight: 5, inputWidth: 5, outputChannels: 6,
                                     kernelHeight: 3, kernelWidth: 3, padding: .symmetric(1))
        let testCase = ConvolutionCase(shape: shape, activation: .none, hasBias: true)
        let layer = try Convolution(shape: shape, weights: testCase.weights(seed: 1), bias: testCase.bias(seed: 1),
                                    activation: .none)
        let input = Tensor.random(height: 5, width: 5, channels: 4, seed: 2)
        let pool = ThreadPool(threadCount: 1)
        var output = Tensor(height: 1, width: 1, channels: 1)
        layer.forward(input, into: &output, pool: pool)
        #expect(output.shape == shape.outputShape)
        let first = output
        layer.forward(input, into: &output, pool: pool)
        #expect(output == first)
    }
}
