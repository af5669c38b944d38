import Kernels
import Tensors

/// A checked architecture spec with every layer's shapes worked out, before any weight is
/// allocated: MACs, parameters and memory are known (and bounded by `ArchitectureLimits`)
/// without building anything.
public struct ArchitecturePlan: Sendable {
    /// The spec this plan was derived from.
    public let spec: ArchitectureSpec
    /// The network's layers in order: stem, one per block repeat, head conv, pool, fully connected.
    public let layers: [ArchitecturePlanLayer]

    /// Multiply-accumulates of one inference.
    public var macs: Int { layers.reduce(0) { $0 + $1.macs } }
    /// Weights and biases.
    public var parameterCount: Int { layers.reduce(0) { $0 + $1.parameterCount } }
    /// Estimated bytes the built network holds: float32 weights, input, every layer's output and
    /// every block's intermediate tensors (packing scratch not included).
    public var memoryBytes: Int {
        let activations = layers.reduce(spec.input.elementCount) { total, layer in
            total + layer.convolutions.reduce(0) { $0 + $1.outputShape.elementCount } + layer.outputShape.elementCount
        }
        return (parameterCount + activations) * MemoryLayout<Float>.stride
    }

    /// The largest height, width, channel count or kernel size a spec may use.
    public static let largestDimension = 65_536

    /// Checks `spec` and derives its layers.
    /// - Throws: `ArchitectureError` naming the entry and field of the first problem.
    public init(_ spec: ArchitectureSpec, limits: ArchitectureLimits = ArchitectureLimits()) throws(ArchitectureError) {
        var planner = Planner(limits: limits)
        try planner.checkInput(spec.input)
        var current = spec.input
        current = try planner.stem(spec.stem, input: current)
        guard !spec.blocks.isEmpty else {
            throw ArchitectureError(entry: "", field: "blocks", problem: "must list at least one block")
        }
        for (index, block) in spec.blocks.enumerated() {
            current = try planner.block(block, index: index, input: current)
        }
        try planner.head(spec.head, input: current)
        self.spec = spec
        layers = planner.layers
        try planner.checkMemory(memoryBytes)
    }

    /// The model with seeded random weights (He-uniform, see `WeightInitializer`): every
    /// convolution as a definition the compression stages can rewrite, wired as the plan's layers.
    public func definition(seed: UInt64) -> ModelDefinition {
        var initializer = WeightInitializer(seed: seed)
        var convolutions: [ConvolutionDefinition] = []
        var steps: [ModelStep] = []
        for layer in layers {
            let definitions = layer.convolutionDefinitions(initializer: &initializer)
            steps.append(layer.step(convolutions: convolutions.count..<convolutions.count + definitions.count))
            convolutions += definitions
        }
        return ModelDefinition(name: spec.name, convolutions: convolutions, steps: steps)
    }

    /// Builds the dense float32 network with seeded random weights (see `definition(seed:)`).
    public func build(seed: UInt64) throws(ModelError) -> Network {
        try definition(seed: seed).denseNetwork()
    }
}

// MARK: - Planning

/// Walks a spec layer by layer, checking each entry and keeping a running MAC total.
private struct Planner {
    let limits: ArchitectureLimits
    var layers: [ArchitecturePlanLayer] = []
    var macs = 0

    mutating func checkInput(_ input: TensorShape) throws(ArchitectureError) {
        try positive(input.height, entry: "input", field: "resolution")
        try positive(input.width, entry: "input", field: "resolution")
        try positive(input.channels, entry: "input", field: "channels")
    }

    mutating func stem(_ stem: ArchitectureSpec.Stem, input: TensorShape) throws(ArchitectureError) -> TensorShape {
        let entry = "stem"
        try positive(stem.outputChannels, entry: entry, field: "cout")
        try positive(stem.kernel, entry: entry, field: "kernel")
        try positive(stem.stride, entry: entry, field: "stride")
        try checkStride(stem.stride, input: input, entry: entry)
        let shape = Self.convolution(input: input, outputChannels: stem.outputChannels, kernel: stem.kernel,
                                     stride: stem.stride, groups: 1)
        return try append(ArchitecturePlanLayer(
            name: "stem", kind: .stem, convolutions: [shape], activations: [.relu6], hasSkip: false,
            expand: 1, kernel: stem.kernel, stride: stem.stride), entry: entry)
    }

    mutating func block(_ block: ArchitectureSpec.Block, index: Int, input: TensorShape) throws(ArchitectureError) -> TensorShape {
        let entry = "blocks[\(index)]"
        try positive(block.kernel, entry: entry, field: "kernel")
        try positive(block.expand, entry: entry, field: "expand")
        try positive(block.outputChannels, entry: entry, field: "cout")
        try positive(block.stride, entry: entry, field: "stride")
        try positive(block.repeats, entry: entry, field: "repeats")
        if block.kind == .separable {
            if block.expand != 1 {
                throw ArchitectureError(entry: entry, field: "expand", problem: "separable blocks do not expand (got \(block.expand))")
            }
            if block.skip == .always {
                throw ArchitectureError(entry: entry, field: "skip", problem: "separable blocks have no skip connection")
            }
        }
        var current = input
        for repeatIndex in 0..<block.repeats {
            let place = block.repeats == 1 ? entry : "\(entry) repeat \(repeatIndex)"
            let stride = repeatIndex == 0 ? block.stride : 1
            try checkStride(stride, input: current, entry: place)
            let shapesAllowSkip = stride == 1 && current.channels == block.outputChannels
            if block.skip == .always, !shapesAllowSkip {
                let reason = stride != 1
                    ? "stride \(stride) changes the spatial size"
                    : "input channels \(current.channels) differ from output channels \(block.outputChannels)"
                throw ArchitectureError(entry: place, field: "skip", problem: "a skip needs equal input and output shapes, but \(reason)")
            }
            let hasSkip = block.kind == .invertedResidual && block.skip != .never && shapesAllowSkip
            current = try append(
                Self.blockLayer(block, name: "block\(index).\(repeatIndex)", input: current, stride: stride, hasSkip: hasSkip),
                entry: place)
        }
        return current
    }

    mutating func head(_ head: ArchitectureSpec.Head, input: TensorShape) throws(ArchitectureError) {
        var current = input
        if let channels = head.pointwiseChannels {
            try positive(channels, entry: "head", field: "cout")
            let shape = Self.convolution(input: current, outputChannels: channels, kernel: 1, stride: 1, groups: 1)
            current = try append(ArchitecturePlanLayer(
                name: "head.conv", kind: .headConvolution, convolutions: [shape], activations: [.relu6],
                hasSkip: false, expand: 1, kernel: 1, stride: 1), entry: "head")
        }
        try positive(head.classes, entry: "head", field: "classes")
        current = try append(ArchitecturePlanLayer(pool: current), entry: "head")
        let logits = Self.convolution(input: current, outputChannels: head.classes, kernel: 1, stride: 1, groups: 1)
        _ = try append(ArchitecturePlanLayer(
            name: "head.fc", kind: .fullyConnected, convolutions: [logits], activations: [.none],
            hasSkip: false, expand: 1, kernel: 1, stride: 1), entry: "head")
    }

    func checkMemory(_ bytes: Int) throws(ArchitectureError) {
        if bytes > limits.maxMemoryBytes {
            throw ArchitectureError(entry: "", field: "memory",
                                    problem: "needs about \(bytes) bytes, above the limit of \(limits.maxMemoryBytes)")
        }
    }

    // MARK: - Helpers

    /// Adds a layer after checking its shapes and the running MAC total; returns its output shape.
    private mutating func append(_ layer: ArchitecturePlanLayer, entry: String) throws(ArchitectureError) -> TensorShape {
        do {
            try limits.check(layer.convolutions, checkMemory: false)
        } catch where error.field == "macs" {
            throw macLimit(entry: entry)
        } catch {
            throw ArchitectureError(entry: entry, field: error.field, problem: error.problem)
        }
        for shape in layer.convolutions {
            do {
                try shape.validate()
            } catch {
                // The spec's own words: its `kernel`, not the convolution's kernelHeight.
                switch error {
                case .invalidShape(let field, let problem) where field.hasPrefix("kernel"):
                    throw ArchitectureError(entry: entry, field: "kernel", problem: problem)
                default:
                    throw ArchitectureError(entry: entry, field: "shape", problem: error.description)
                }
            }
        }
        // Each convolution is within the limit, so the layer's total (skip and pool included) can be taken.
        guard case (let total, false) = macs.addingReportingOverflow(layer.macs), total <= limits.maxMacs else {
            throw macLimit(entry: entry)
        }
        macs = total
        layers.append(layer)
        return layer.outputShape
    }

    private func macLimit(entry: String) -> ArchitectureError {
        ArchitectureError(entry: entry, field: "macs", problem: "the network exceeds the limit of \(limits.maxMacs) multiply-accumulates")
    }

    private func positive(_ value: Int, entry: String, field: String) throws(ArchitectureError) {
        guard value > 0 else { throw ArchitectureError(entry: entry, field: field, problem: "must be positive, got \(value)") }
        do {
            try ArchitectureLimits.checkSize(value, field: field)
        } catch {
            throw ArchitectureError(entry: entry, field: field, problem: error.problem)
        }
    }

    /// A stride larger than the input would leave floor(size / stride) = 0 rows or columns.
    private func checkStride(_ stride: Int, input: TensorShape, entry: String) throws(ArchitectureError) {
        if input.height / stride == 0 || input.width / stride == 0 {
            throw ArchitectureError(entry: entry, field: "stride",
                                    problem: "stride \(stride) reduces the \(input.height)x\(input.width) input to a zero spatial size")
        }
    }

    /// A square convolution with TensorFlow "same" padding (output = ceil(input / stride)).
    static func convolution(input: TensorShape, outputChannels: Int, kernel: Int, stride: Int, groups: Int) -> ConvolutionShape {
        ConvolutionShape(
            inputChannels: input.channels, inputHeight: input.height, inputWidth: input.width,
            outputChannels: outputChannels, kernelHeight: kernel, kernelWidth: kernel, strideY: stride, strideX: stride,
            padding: .same(inputHeight: input.height, inputWidth: input.width, kernelHeight: kernel, kernelWidth: kernel,
                           strideY: stride, strideX: stride),
            groups: groups)
    }

    /// The convolutions of one inverted residual or separable block.
    static func blockLayer(
        _ block: ArchitectureSpec.Block, name: String, input: TensorShape, stride: Int, hasSkip: Bool
    ) -> ArchitecturePlanLayer {
        var shapes: [ConvolutionShape] = []
        var activations: [Activation] = []
        var current = input
        if block.kind == .invertedResidual, block.expand != 1 {
            let expand = convolution(input: current, outputChannels: current.channels * block.expand, kernel: 1, stride: 1, groups: 1)
            shapes.append(expand)
            activations.append(.relu6)
            current = expand.outputShape
        }
        let depthwise = convolution(input: current, outputChannels: current.channels, kernel: block.kernel,
                                    stride: stride, groups: current.channels)
        shapes.append(depthwise)
        activations.append(.relu6)
        current = depthwise.outputShape
        shapes.append(convolution(input: current, outputChannels: block.outputChannels, kernel: 1, stride: 1, groups: 1))
        activations.append(block.kind == .invertedResidual ? .none : .relu6)
        return ArchitecturePlanLayer(
            name: name, kind: block.kind == .invertedResidual ? .invertedResidual : .separable,
            convolutions: shapes, activations: activations, hasSkip: hasSkip,
            expand: block.kind == .invertedResidual ? block.expand : 1, kernel: block.kernel, stride: stride)
    }
}
