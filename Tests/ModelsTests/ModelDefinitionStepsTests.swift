import Kernels
import Models
import Testing
import Tensors

@Suite("Model definitions built from an architecture plan keep its blocks, skips and pool in every variant", .timeLimit(.minutes(5)))
struct ModelDefinitionStepsTests {
    /// Stem, a separable block, two inverted residual repeats (the second with a skip), head conv, pool, classifier.
    static func plan() throws -> ArchitecturePlan {
        try ArchitecturePlan(ArchitectureSpec(
            name: "steps", input: TensorShape(height: 12, width: 12, channels: 3),
            stem: .init(outputChannels: 8, kernel: 3, stride: 2),
            blocks: [
                .init(kind: .separable, kernel: 3, expand: 1, outputChannels: 16, stride: 1),
                .init(kind: .invertedResidual, kernel: 3, expand: 3, outputChannels: 16, stride: 2, repeats: 2),
            ],
            head: .init(pointwiseChannels: 24, classes: 10)))
    }

    @Test("the definition's dense network has the plan's layers, MACs and parameters, and equals build(seed:)")
    func definitionMatchesThePlan() throws {
        let plan = try Self.plan()
        let definition = plan.definition(seed: 3)
        let network = try definition.denseNetwork()
        #expect(network.layers.map(\.name) == plan.layers.map(\.name))
        #expect(network.macs == plan.macs)
        #expect(network.parameterCount == plan.parameterCount)
        #expect(definition.parameterCount == plan.parameterCount)
        #expect(definition.convolutions.map(\.name).contains("block1.1.expand"))
        let input = Tensor.random(height: 12, width: 12, channels: 3, seed: 4)
        let pool = ThreadPool(threadCount: 1)
        #expect(network.forward(input, pool: pool).values == (try plan.build(seed: 3)).forward(input, pool: pool).values)
    }

    @Test("the skip is kept: the dense network's output changes when the block loses it")
    func skipIsWired() throws {
        let definition = try Self.plan().definition(seed: 5)
        let withoutSkip = ModelDefinition(name: "no-skip", convolutions: definition.convolutions, steps: definition.steps.map {
            if case .block(let name, let range, _) = $0 { return .block(name: name, convolutions: range, hasSkip: false) }
            return $0
        })
        #expect(definition.steps.contains { if case .block(_, _, true) = $0 { true } else { false } })
        let input = Tensor.random(height: 12, width: 12, channels: 3, seed: 6)
        let pool = ThreadPool(threadCount: 1)
        let with = try definition.denseNetwork().forward(input, pool: pool).values
        let without = try withoutSkip.denseNetwork().forward(input, pool: pool).values
        #expect(with != without)
    }

    @Test("int8, sparse and shared-weight networks follow the same steps and stay close to the dense one")
    func variantsFollowTheSteps() throws {
        let definition = try Self.plan().definition(seed: 7)
        let pool = ThreadPool(threadCount: 2)
        let inputs = (0..<3).map { Tensor.random(height: 12, width: 12, channels: 3, seed: 10 + UInt64($0)) }
        let ranges = try definition.calibratedInputRanges(inputs, pool: pool)
        #expect(ranges.count == definition.convolutions.count)
        // Every convolution after the stem reads ReLU6 outputs or a block's linear projection; the stem reads [-1, 1).
        #expect(ranges[0].lowerBound >= -1 && ranges[0].upperBound <= 1)
        let dense = try definition.denseNetwork()
        let int8 = try definition.int8Network(calibrationInputs: inputs, pool: pool)
        let sparse = try definition.magnitudePruned(sparsity: 0.5, minimumWeights: 1).sparseNetwork()
        let shared = try definition.sharedWeightNetwork(bits: 6)
        for network in [int8, sparse, shared] {
            #expect(network.layers.map(\.name) == dense.layers.map(\.name))
            #expect(network.macs == dense.macs)
        }
        let expected = dense.forward(inputs[0], pool: pool).values
        let quantized = int8.forward(inputs[0], pool: pool).values
        let largest = expected.map(abs).max() ?? 0
        let error = zip(expected, quantized).map { abs($0 - $1) }.max() ?? 0
        #expect(largest > 0 && error <= 0.1 * largest, "int8 max abs error \(error), largest logit \(largest)")
    }

    @Test("single-layer models: one per distinct regular or pointwise shape, depthwise layers left out")
    func regularLayerModels() throws {
        let definition = try Self.plan().definition(seed: 1)
        let models = definition.regularLayerModels()
        let shapes = models.map { $0.convolutions[0].shape }
        #expect(models.allSatisfy { $0.convolutions.count == 1 && $0.convolutions[0].shape.groups == 1 })
        #expect(Set(shapes).count == shapes.count)
        #expect(Set(shapes) == Set(definition.convolutions.map(\.shape).filter { $0.groups == 1 }))
        #expect(models[0].name == "stem 12x12x3→8 k3 s2")
    }
}
