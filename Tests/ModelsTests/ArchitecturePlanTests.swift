import Kernels
import Tensors
import Testing
@testable import Models

@Suite(.timeLimit(.minutes(5))) struct ArchitecturePlanTests {
    /// A small valid spec: stem, a separable block, two inverted residual repeats, head.
    private func spec(blocks: [ArchitectureSpec.Block]? = nil, resolution: Int = 16) -> ArchitectureSpec {
        ArchitectureSpec(
            name: "test", input: TensorShape(height: resolution, width: resolution, channels: 3),
            stem: .init(outputChannels: 8, kernel: 3, stride: 2),
            blocks: blocks ?? [
                .init(kind: .separable, kernel: 3, expand: 1, outputChannels: 16, stride: 1),
                .init(kind: .invertedResidual, kernel: 5, expand: 3, outputChannels: 16, stride: 2, repeats: 2),
            ],
            head: .init(pointwiseChannels: 32, classes: 10))
    }

    private func error(_ spec: ArchitectureSpec, limits: ArchitectureLimits = ArchitectureLimits()) -> ArchitectureError? {
        do {
            _ = try ArchitecturePlan(spec, limits: limits)
            return nil
        } catch {
            return error
        }
    }

    // MARK: - Shapes and keys

    @Test func plansEveryLayerWithSameShapes() throws {
        let plan = try ArchitecturePlan(spec())
        #expect(plan.layers.map(\.name) == ["stem", "block0.0", "block1.0", "block1.1", "head.conv", "head.pool", "head.fc"])
        #expect(plan.layers.map(\.outputShape.description) == ["8x8x8", "8x8x16", "4x4x16", "4x4x16", "4x4x32", "1x1x32", "1x1x10"])
        #expect(plan.layers.map(\.hasSkip) == [false, false, false, true, false, false, false])
    }

    @Test func lookupKeysFollowProxylessNASFormat() throws {
        let plan = try ArchitecturePlan(spec())
        #expect(plan.layers.map(\.lookupKey) == [
            "Conv-input:16x16x3-output:8x8x8-kernel:3-stride:2",
            "separable_conv-input:8x8x8-output:8x8x16-kernel:3-stride:1",
            "expanded_conv-input:8x8x16-output:4x4x16-expand:3-kernel:5-stride:2-idskip:0",
            "expanded_conv-input:4x4x16-output:4x4x16-expand:3-kernel:5-stride:1-idskip:1",
            "Conv_1-input:4x4x16-output:4x4x32",
            "AvgPool2D-input:4x4x32-output:1x1x32",
            "Logits-input:1x1x32-output:10",
        ])
    }

    @Test func theClassicKeyIsReproduced() throws {
        let classic = ArchitectureSpec(
            name: "k", input: TensorShape(height: 224, width: 224, channels: 3),
            stem: .init(outputChannels: 16, kernel: 3, stride: 2),
            blocks: [.init(kind: .invertedResidual, kernel: 5, expand: 3, outputChannels: 24, stride: 2)],
            head: .init(pointwiseChannels: nil, classes: 10))
        let plan = try ArchitecturePlan(classic)
        #expect(plan.layers[1].lookupKey == "expanded_conv-input:112x112x16-output:56x56x24-expand:3-kernel:5-stride:2-idskip:0")
    }

    @Test func builtNetworkMatchesThePlanAndRuns() throws {
        let plan = try ArchitecturePlan(spec())
        let network = try plan.build(seed: 3)
        #expect(network.macs == plan.macs)
        #expect(network.parameterCount == plan.parameterCount)
        var initializer = WeightInitializer(seed: 4)
        let output = network.forward(initializer.input(network.inputShape), pool: ThreadPool(threadCount: 1))
        #expect(output.shape == TensorShape(height: 1, width: 1, channels: 10))
        #expect(output.values.allSatisfy { $0.isFinite })
        #expect(Set(output.values).count > 1)
    }

    @Test func sameSeedSameWeights() throws {
        let plan = try ArchitecturePlan(spec())
        let input = Tensor.random(height: 16, width: 16, channels: 3, seed: 9)
        let pool = ThreadPool(threadCount: 1)
        let first = try plan.build(seed: 5).forward(input, pool: pool).values
        let again = try plan.build(seed: 5).forward(input, pool: pool).values
        let other = try plan.build(seed: 6).forward(input, pool: pool).values
        #expect(first == again)
        #expect(first != other)
    }

    // MARK: - Bad specs

    @Test func skipRequestedAcrossAChannelChangeIsNamed() throws {
        let bad = spec(blocks: [.init(kind: .invertedResidual, kernel: 3, expand: 6, outputChannels: 24, stride: 1, skip: .always)])
        let found = try #require(error(bad))
        #expect(found.entry == "blocks[0]" && found.field == "skip")
        #expect(found.problem.contains("input channels 8 differ from output channels 24"))
    }

    @Test func skipRequestedWithAStrideIsNamed() throws {
        let bad = spec(blocks: [.init(kind: .invertedResidual, kernel: 3, expand: 6, outputChannels: 8, stride: 2, repeats: 2, skip: .always)])
        let found = try #require(error(bad))
        #expect(found.description == "blocks[0] repeat 0, field 'skip': a skip needs equal input and output shapes, but stride 2 changes the spatial size")
    }

    @Test func separableBlocksRefuseSkipAndExpansion() throws {
        let skip = try #require(error(spec(blocks: [.init(kind: .separable, kernel: 3, expand: 1, outputChannels: 8, stride: 1, skip: .always)])))
        #expect(skip.field == "skip")
        let expand = try #require(error(spec(blocks: [.init(kind: .separable, kernel: 3, expand: 4, outputChannels: 8, stride: 1)])))
        #expect(expand.field == "expand")
    }

    @Test func strideThatCollapsesTheImageIsNamed() throws {
        // 16 → 8 (stem) → 4 → 2 → 1, then a fifth stride 2 on 1x1.
        let blocks = (0..<4).map { _ in ArchitectureSpec.Block(kind: .invertedResidual, kernel: 3, expand: 2, outputChannels: 8, stride: 2) }
        let found = try #require(error(spec(blocks: blocks)))
        #expect(found.entry == "blocks[3]" && found.field == "stride")
        #expect(found.problem == "stride 2 reduces the 1x1 input to a zero spatial size")
    }

    @Test func nonPositiveFieldsAreNamed() throws {
        let found = try #require(error(spec(blocks: [.init(kind: .invertedResidual, kernel: 0, expand: 6, outputChannels: 8, stride: 1)])))
        #expect(found.description == "blocks[0], field 'kernel': must be positive, got 0")
        let repeats = try #require(error(spec(blocks: [.init(kind: .separable, kernel: 3, expand: 1, outputChannels: 8, stride: 1, repeats: 0)])))
        #expect(repeats.field == "repeats")
        #expect(try #require(error(spec(blocks: []))).field == "blocks")
    }

    @Test func macAndMemoryLimitsAreEnforced() throws {
        let plan = try ArchitecturePlan(spec())
        let macs = try #require(error(spec(), limits: ArchitectureLimits(maxMacs: plan.macs - 1)))
        #expect(macs.field == "macs" && macs.problem.contains("\(plan.macs - 1)"))
        #expect(error(spec(), limits: ArchitectureLimits(maxMacs: plan.macs)) == nil)
        let memory = try #require(error(spec(), limits: ArchitectureLimits(maxMemoryBytes: plan.memoryBytes - 1)))
        #expect(memory.field == "memory")
    }

    @Test func absurdSizesFailWithoutOverflow() throws {
        let huge = try #require(error(spec(resolution: 60_000)))
        #expect(huge.field == "macs")
        let beyond = try #require(error(spec(resolution: 1 << 40)))
        #expect(beyond.field == "resolution")
    }
}
