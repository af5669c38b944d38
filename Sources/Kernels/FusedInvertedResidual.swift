import Tensors

/// MobileNetV2's inverted residual (expand 1x1 → depthwise k x k → project 1x1, plus the input
/// when `hasSkip`) run band by band: for a band of output rows, the expanded rows the depthwise
/// window needs are computed into a per-thread buffer, the depthwise result into another, and the
/// projection (with the skip added) goes straight to the output. The expanded tensor, the block's
/// largest (48x48x96 floats = 884 KiB at 96x96 input), never leaves L2, and the block is one
/// parallel-for instead of three.
///
/// The price is the expanded rows two bands share (a k x k window at stride 1 needs k - 1 rows of
/// the band above): the block is only fused (`isFused`) when a band recomputes at most a quarter
/// with enough bands for the threads; otherwise the caller runs the three layers one after the
/// other. Either way each output has the same bits: every kernel computes a row the same way
/// wherever its tile or band starts.
public final class FusedInvertedResidual: TensorKernel, @unchecked Sendable {
    /// The block's input.
    public let inputShape: TensorShape
    /// The block's output.
    public let outputShape: TensorShape
    /// Whether the block adds its input to its output.
    public let hasSkip: Bool
    private let expand: Convolution?
    private let depthwise: Convolution
    private let project: Convolution
    /// Per-thread band buffers, kept between calls (allocating ~0.5 MiB per call costs page faults
    /// whenever the allocator hands it back to the system in between), one set per concurrent call.
    /// Not zeroed: every float a kernel uses is written first (the slack is read, never used).
    private let workspaces = LayerWorkspaces<ScratchWorkspace>()

    /// Bytes of expanded rows a band may hold (half of a 1 MiB L2, with the depthwise band beside it).
    static let expandedBandBytes = 256 * 1024
    /// Most expanded rows a band may recompute, as a fraction of the rows it needs for itself.
    static let maximumRecompute = 0.25

    /// The fused block of `expand` (nil for expansion 1), `depthwise` and `project`, or nil unless
    /// `expand` and `project` are pointwise convolutions (groups 1), `depthwise` runs the depthwise
    /// kernel, the shapes chain, and `hasSkip` joins equal input and output shapes.
    public init?(expand: Convolution?, depthwise: Convolution, project: Convolution, hasSkip: Bool) {
        guard depthwise.algorithm == .depthwise, project.algorithm == .pointwise, project.shape.groups == 1,
              project.shape.inputShape == depthwise.shape.outputShape
        else { return nil }
        if let expand {
            guard expand.algorithm == .pointwise, expand.shape.groups == 1,
                  expand.shape.outputShape == depthwise.shape.inputShape
            else { return nil }
        }
        let inputShape = expand?.shape.inputShape ?? depthwise.shape.inputShape
        guard !hasSkip || inputShape == project.shape.outputShape else { return nil }
        self.inputShape = inputShape
        outputShape = project.shape.outputShape
        self.hasSkip = hasSkip
        self.expand = expand
        self.depthwise = depthwise
        self.project = project
    }

    /// Whether the block runs fused on `threads` threads; when it does not, run its three layers
    /// (through the caller's intermediates) instead of `forward`.
    public func isFused(threads: Int) -> Bool { rowsPerBand(threads: threads) != nil }

    // MARK: - Bands

    /// Output rows per band on `threads` threads, or nil when the block runs unfused.
    func rowsPerBand(threads: Int) -> Int? {
        let shape = depthwise.shape
        let height = shape.outputHeight
        let rowBytes = shape.inputWidth * shape.inputChannels * MemoryLayout<Float>.stride
        // Largest band whose expanded rows, (rows - 1) * strideY + kernelHeight, fit the budget (at
        // least one row), in closed form: this runs twice per block and inference.
        let fitting = Self.expandedBandBytes / rowBytes
        var rows = fitting >= shape.kernelHeight ? min(height, (fitting - shape.kernelHeight) / shape.strideY + 1) : 1
        // Two bands per thread, so a late or preempted thread holds the others back by half its share.
        if threads > 1 { rows = min(rows, max(1, height / (2 * threads))) }
        if expand != nil {
            let own = rows * shape.strideY
            let recomputed = max(0, expandedRows(band: rows) - own)
            if rows < height && Double(recomputed) > Self.maximumRecompute * Double(own) { return nil }
        }
        return rows
    }

    /// Input rows of the depthwise layer that `band` consecutive output rows read (ignoring padding).
    private func expandedRows(band: Int) -> Int {
        (band - 1) * depthwise.shape.strideY + depthwise.shape.kernelHeight
    }

    /// Runs the fused block band by band over `pool`'s threads; `isFused(threads: pool.threadCount)`
    /// must hold.
    public func forward(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, pool: ThreadPool) {
        guard let bandRows = rowsPerBand(threads: pool.threadCount) else {
            preconditionFailure("FusedInvertedResidual.forward: not fused on \(pool.threadCount) threads (check isFused)")
        }
        let shape = depthwise.shape
        let (hidden, inputWidth, width) = (shape.inputChannels, shape.inputWidth, shape.outputWidth)
        let outputChannels = outputShape.channels
        // Each buffer rounded up to 64 bytes; no kernel reads past a buffer's rows (the depthwise
        // kernels stay inside a pixel's channels: Tools/float-kernels/check.c under AddressSanitizer).
        let expandedSize = expand == nil ? 0 : (expandedRows(band: bandRows) * inputWidth * hidden + 15) / 16 * 16
        let depthwiseSize = (bandRows * width * hidden + 15) / 16 * 16
        let bandCount = (shape.outputHeight + bandRows - 1) / bandRows
        let (expand, depthwiseKernel, projectWeights) = (self.expand, depthwise.depthwiseKernel!, project.gemmWeights!)
        let projectBounds = (project.activation.lowerBound, project.activation.upperBound)
        let hasSkip = self.hasSkip
        let scratchBytes = (expandedSize + depthwiseSize) * pool.threadCount * MemoryLayout<Float>.stride
        workspaces.withScratch(byteCount: scratchBytes) { scratch in
            let scratch = scratch.assumingMemoryBound(to: Float.self)
            pool.parallelFor(bandCount) { band, worker in
                let rows = (band * bandRows)..<min(shape.outputHeight, (band + 1) * bandRows)
                let buffers = scratch + worker * (expandedSize + depthwiseSize)
                var depthwiseInput = input
                if let expand {
                    let first = max(0, rows.lowerBound * shape.strideY - shape.padding.top)
                    let end = min(shape.inputHeight, (rows.upperBound - 1) * shape.strideY - shape.padding.top + shape.kernelHeight)
                    let inputChannels = expand.shape.inputChannels
                    expand.gemmWeights!.multiply(
                        group: 0, a: input + first * inputWidth * inputChannels, aRowStride: inputChannels,
                        rowCount: (end - first) * inputWidth, c: buffers, cRowStride: hidden,
                        lower: expand.activation.lowerBound, upper: expand.activation.upperBound)
                    // The depthwise kernel addresses rows of the whole expanded tensor; it reads only
                    // rows first..<end, which the buffer holds. Integer arithmetic: the base itself lies
                    // outside the buffer.
                    let base = UInt(bitPattern: buffers) &- UInt(first * inputWidth * hidden * MemoryLayout<Float>.stride)
                    depthwiseInput = UnsafePointer(bitPattern: base)!
                }
                let depthwiseOutput = buffers + expandedSize
                depthwiseKernel.run(rows: rows, input: depthwiseInput, output: depthwiseOutput)
                let pixels = rows.lowerBound * width..<rows.upperBound * width
                let target = output + pixels.lowerBound * outputChannels
                projectWeights.multiply(
                    group: 0, a: depthwiseOutput, aRowStride: hidden, rowCount: pixels.count,
                    c: target, cRowStride: outputChannels, lower: projectBounds.0, upper: projectBounds.1)
                if hasSkip {
                    let source = input + pixels.lowerBound * outputChannels
                    for index in 0..<pixels.count * outputChannels { target[index] += source[index] }
                }
            }
        }
    }
}
