import Kernels

/// One XNNPACK operator set up once on an input and an output buffer of its own: a convolution
/// layer run alone (`XNNPACKConvolution`, `XNNPACKInt8Convolution`), whose `run()` is all that an
/// engine built on XNNPACK repeats per call. (`XNNPACKNetwork` chains operators on shared buffers.)
/// A struct: its buffers and operator are objects already, so the layer holds them directly.
struct XNNPACKLayerOperator<Element: AdditiveArithmetic>: @unchecked Sendable {
    /// The threads the operator runs on.
    let threads: XNNPACKThreads
    private let input: XNNPACKBuffer<Element>
    private let output: XNNPACKBuffer<Element>
    private let op: XNNPACKOperator

    /// Makes the operator with `create`, then sets it up with `setUp(operator, input, output)` on
    /// buffers sized for `shape`'s input (filled with `inputZero`) and output.
    init(
        _ label: String, shape: ConvolutionShape, inputZero: Element, threads: XNNPACKThreads,
        create: (UnsafeMutablePointer<OpaquePointer?>) -> Int32,
        setUp: (OpaquePointer, UnsafeMutablePointer<Element>, UnsafeMutablePointer<Element>) -> Int32
    ) throws(XNNPACKError) {
        self.threads = threads
        input = XNNPACKBuffer(count: shape.inputShape.elementCount, zero: inputZero)
        output = XNNPACKBuffer(count: shape.outputShape.elementCount, zero: .zero)
        op = try XNNPACKOperator(label, create: create)
        try op.setUp { [input, output] pointer in setUp(pointer, input.pointer, output.pointer) }
    }

    /// The input buffer `run()` reads.
    var inputElements: UnsafeMutableBufferPointer<Element> { input.mutableElements }

    /// The output buffer `run()` writes.
    var outputElements: UnsafeBufferPointer<Element> { output.elements }

    /// Runs the operator on the input buffer, writing the output buffer.
    @inline(__always)
    func run() {
        op.run(threads)
    }
}
