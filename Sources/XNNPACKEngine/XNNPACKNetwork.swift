import Kernels
import Models
import Tensors
import XNNPACKShim

/// A whole `ModelDefinition` (an architecture spec's network, MobileNetV2, ...) as a chain of
/// XNNPACK operators: one convolution per convolution, an addition per residual connection, a
/// global average pooling; every operator set up once on buffers the network owns, so an
/// inference runs the operators in order and nothing else, as LiteRT's XNNPACK delegate does.
public final class XNNPACKNetwork: @unchecked Sendable {
    /// The network's name.
    public let name: String
    /// What the network reads.
    public let inputShape: TensorShape
    /// What it writes.
    public let outputShape: TensorShape
    /// Multiply-accumulates of one inference (convolutions only).
    public let macs: Int
    /// The threads every operator runs on.
    public let threads: XNNPACKThreads
    private let input: XNNPACKBuffer<Float>
    private let output: XNNPACKBuffer<Float>
    /// The operators in execution order.
    private let operators: [XNNPACKOperator]
    /// The operators of each of the definition's steps (a layer, a block, the pooling), in order.
    private let stepOperators: [Range<Int>]
    /// Every intermediate buffer, kept alive for the operators set up on them.
    private let buffers: [XNNPACKBuffer<Float>]

    /// Creates and sets up the operators of `definition` (weights copied and packed).
    /// - Throws: `XNNPACKError` naming the layer XNNPACK refused.
    public init(_ definition: ModelDefinition, threads: XNNPACKThreads) throws(XNNPACKError) {
        let inputShape: TensorShape
        switch definition.steps.first {
        case .globalAveragePool(_, let shape): inputShape = shape  // a pooling layer alone (a lookup-table block)
        case nil: throw XNNPACKError(operation: "create network \(definition.name)", problem: "it has no steps")
        default: inputShape = definition.inputShape
        }
        var builder = Builder(threads: threads, input: inputShape)
        var stepOperators: [Range<Int>] = []
        // Only the inference's last operator puts pthreadpool's workers to sleep when it ends.
        let lastStep = definition.steps.count - 1
        for (stepIndex, step) in definition.steps.enumerated() {
            let first = builder.operators.count
            defer { stepOperators.append(first..<builder.operators.count) }
            let isLast = stepIndex == lastStep
            switch step {
            case .convolution(let index):
                try builder.convolution(definition.convolutions[index], yieldsWorkers: isLast)
            case .block(let name, let range, let hasSkip):
                let blockInput = builder.current
                for index in range {
                    try builder.convolution(definition.convolutions[index],
                                            yieldsWorkers: isLast && !hasSkip && index == range.upperBound - 1)
                }
                if hasSkip { try builder.add(blockInput, label: "residual addition of \(name)", yieldsWorkers: isLast) }
            case .globalAveragePool(let name, let shape):
                try builder.globalAveragePool(shape, label: "global average pooling \(name)", yieldsWorkers: isLast)
            case .maxPool(let name, _):
                throw XNNPACKError(operation: "create network \(definition.name)",
                                   problem: "max pooling (\(name)) is not set up on XNNPACK yet; run it on edgeprobe's kernels")
            }
        }
        name = definition.name
        self.inputShape = inputShape
        outputShape = builder.current.shape
        macs = definition.convolutions.reduce(0) { $0 + $1.shape.macs }
        self.threads = threads
        input = builder.buffers[0]
        output = builder.current.buffer
        operators = builder.operators
        self.stepOperators = stepOperators
        buffers = builder.buffers
    }

    /// The input buffer `run()` reads (NHWC).
    public var inputValues: UnsafeMutableBufferPointer<Float> { input.mutableElements }

    /// The output buffer `run()` writes.
    public var outputValues: UnsafeBufferPointer<Float> { output.elements }

    /// Runs one inference on `inputValues`.
    public func run() {
        for op in operators { op.run(threads) }
    }

    /// The number of steps `run(around:)` reports: one per step of the definition.
    public var stepCount: Int { stepOperators.count }

    /// Runs one inference, letting `around(stepIndex, run)` wrap each of the definition's steps
    /// (e.g. to time each block, as `Network.forward(_:pool:around:)` does for its layers).
    public func run(around: (Int, () -> Void) -> Void) {
        for (index, range) in stepOperators.enumerated() {
            around(index) { for op in operators[range] { op.run(threads) } }
        }
    }

    /// Copies `tensor` in, runs one inference and returns a copy of the output.
    public func forward(_ tensor: Tensor) -> Tensor {
        precondition(tensor.shape == inputShape, "XNNPACKNetwork \(name): input is \(tensor.shape), expected \(inputShape)")
        tensor.withUnsafeBufferPointer { source in _ = inputValues.update(fromContentsOf: source) }
        run()
        return Tensor(height: outputShape.height, width: outputShape.width, channels: outputShape.channels,
                      values: Array(outputValues))
    }
}

/// Appends operators, each writing a fresh buffer that the next one reads.
private struct Builder {
    /// A buffer and the tensor shape it holds.
    struct Value {
        let buffer: XNNPACKBuffer<Float>
        let shape: TensorShape
    }

    let threads: XNNPACKThreads
    var operators: [XNNPACKOperator] = []
    var buffers: [XNNPACKBuffer<Float>] = []
    var current: Value

    init(threads: XNNPACKThreads, input: TensorShape) {
        self.threads = threads
        let buffer = XNNPACKBuffer<Float>(count: input.elementCount, zero: 0)
        buffers = [buffer]
        current = Value(buffer: buffer, shape: input)
    }

    private mutating func output(_ shape: TensorShape) -> Value {
        let buffer = XNNPACKBuffer<Float>(count: shape.elementCount, zero: 0)
        buffers.append(buffer)
        return Value(buffer: buffer, shape: shape)
    }

    /// Appends a convolution; `yieldsWorkers` for the inference's last operator (see
    /// `ep_xnn_create_convolution_f32`), as for `add` and `globalAveragePool`.
    mutating func convolution(_ definition: ConvolutionDefinition, yieldsWorkers: Bool) throws(XNNPACKError) {
        let shape = definition.shape
        let label = "convolution \(definition.name) \(shape)"
        guard shape.inputShape == current.shape else {
            throw XNNPACKError(operation: "create \(label)", problem: "reads \(shape.inputShape), the previous layer writes \(current.shape)")
        }
        try XNNPACKConvolution.check(shape, weights: definition.weights.count, bias: definition.bias.count, label: label)
        let (source, target) = (current, output(shape.outputShape))
        var geometry = shape.xnnpackGeometry
        let (weights, bias, activation) = (definition.weights, definition.bias, definition.activation)
        let op = try XNNPACKOperator(label) { made in
            ep_xnn_create_convolution_f32(&geometry, weights, bias, activation.lowerBound, activation.upperBound,
                                          yieldsWorkers ? 1 : 0, made)
        }
        try op.setUp { [threads] pointer in
            ep_xnn_setup_convolution_f32(pointer, &geometry, source.buffer.pointer, target.buffer.pointer, threads.pool)
        }
        operators.append(op)
        current = target
    }

    mutating func add(_ other: Value, label: String, yieldsWorkers: Bool) throws(XNNPACKError) {
        guard other.shape == current.shape else {
            throw XNNPACKError(operation: "create \(label)", problem: "adds \(other.shape) to \(current.shape)")
        }
        let (source, target) = (current, output(current.shape))
        let op = try XNNPACKOperator(label) { made in ep_xnn_create_add_f32(yieldsWorkers ? 1 : 0, made) }
        try op.setUp { [threads] pointer in
            ep_xnn_setup_add_f32(pointer, source.shape.elementCount, source.buffer.pointer, other.buffer.pointer,
                                 target.buffer.pointer, threads.pool)
        }
        operators.append(op)
        current = target
    }

    mutating func globalAveragePool(_ shape: TensorShape, label: String, yieldsWorkers: Bool) throws(XNNPACKError) {
        guard shape == current.shape else {
            throw XNNPACKError(operation: "create \(label)", problem: "pools \(shape), the previous layer writes \(current.shape)")
        }
        let (source, target) = (current, output(TensorShape(height: 1, width: 1, channels: shape.channels)))
        let op = try XNNPACKOperator(label) { made in
            ep_xnn_create_global_average_pooling_f32(shape.channels, yieldsWorkers ? 1 : 0, made)
        }
        try op.setUp { [threads] pointer in
            ep_xnn_setup_global_average_pooling_f32(pointer, shape.height * shape.width, source.buffer.pointer,
                                                    target.buffer.pointer, threads.pool)
        }
        operators.append(op)
        current = target
    }
}
