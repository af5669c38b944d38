import Tensors

/// A ready-to-run float32 NHWC convolution layer: picks the kernel for its shape and packs the
/// weights once, at creation.
///
/// Kernels: `pointwise` (1x1, stride 1, no padding: GEMM straight on the NHWC pixels),
/// `depthwise` (groups = C_in = C_out: direct, SIMD over channels) and `indirectGEMM` (anything
/// else, any groups: implicit im2col through an indirection buffer into the packed GEMM, no copies).
/// Bias and activation are fused.
///
/// A layer's geometry and weights are immutable after creation: `forward` may run on several
/// threads at once, each with its own `ThreadPool` (a pool runs one job at a time). The indirect
/// GEMM keeps its indirection table and padded input across calls, one set per concurrent call
/// (`LayerWorkspaces`), and refills the table only when the input buffer changes.
public final class Convolution: ConvolutionShapedKernel, @unchecked Sendable {
    /// Which kernel a `Convolution` runs.
    public enum Algorithm: String, Sendable {
        /// GEMM on NHWC pixels: [H*W, C_in] x [C_in, C_out].
        case pointwise
        /// Direct depthwise convolution, SIMD over channels.
        case depthwise
        /// Implicit im2col (pointers into the input) x packed weights, for every other shape.
        case indirectGEMM
    }

    /// The layer's geometry.
    public let shape: ConvolutionShape
    /// The fused activation.
    public let activation: Activation
    /// The kernel chosen for `shape`.
    public let algorithm: Algorithm
    /// The kernel path the layer runs (GEMM micro-kernels, or the depthwise kernel's).
    public var kernelPath: FloatKernelPath? { gemmWeights?.path ?? depthwiseKernel?.path }
    let gemmWeights: PackedGEMMWeights?
    let depthwiseKernel: DepthwiseKernel?
    /// Zeros the indirection buffer points at for padding (indirect GEMM only).
    private let zeros: AlignedBuffer?
    /// For small padded inputs: the same convolution on an explicitly zero-padded copy of the input,
    /// where every kernel row is one contiguous run (no per-tap bounds checks, which dominate tiny
    /// layers such as 10x10x3). Nil when copying would cost more than it saves.
    private let paddedShape: ConvolutionShape?
    /// Rows of one indirect GEMM tile (its indirection's pointer stride) for the shape the GEMM
    /// runs on (`paddedShape`, else `shape`), chosen once by the kernel path; 0 for the other kernels.
    private let indirectTileRows: Int
    /// Inputs up to this many floats (64 KiB) are copied into a padded buffer.
    private static let paddedCopyLimit = 16 * 1024
    /// The indirection tables and padded inputs kept across calls (indirect GEMM only).
    private let workspaces = LayerWorkspaces<IndirectionWorkspace>()
    /// `shape.inputShape` and `shape.outputShape`, kept: every `forward` on a `Tensor` checks them,
    /// and computing them (two divisions) per call instead, even inlined, made the ~1 µs
    /// course-regular 1.4 % slower (1.092 against 1.077 µs, medians of 6 alternated runs of
    /// `bench --suite conv-default --engine both --threads 1 --min-time 1s`). The other kernels,
    /// which run far longer per call, take `ConvolutionShapedKernel`'s computed defaults.
    public let inputShape: TensorShape
    public let outputShape: TensorShape

    /// Builds the layer. `weights` are laid out [outputChannels][kernelHeight][kernelWidth][inputChannels / groups]
    /// (OHWI, as TFLite); `bias` has one value per output channel, or nil for none. `path` picks the
    /// GEMM micro-kernels of the pointwise and indirect GEMM kernels and the depthwise kernel (tests
    /// force each available one).
    public init(
        shape: ConvolutionShape, weights: [Float], bias: [Float]?, activation: Activation,
        path: FloatKernelPath = .best
    ) throws(ConvolutionError) {
        try shape.validate()
        try shape.checkWeightCount(weights.count)
        try shape.checkBias(bias)
        self.shape = shape
        self.activation = activation
        inputShape = shape.inputShape
        outputShape = shape.outputShape
        if shape.isDepthwise && !shape.isPointwise {
            algorithm = .depthwise
            depthwiseKernel = DepthwiseKernel(shape: shape, weights: weights, bias: bias, activation: activation, path: path)
            gemmWeights = nil
            zeros = nil
        } else {
            algorithm = shape.isPointwise ? .pointwise : .indirectGEMM
            gemmWeights = PackedGEMMWeights(shape: shape, weights: weights, bias: bias, path: path)
            depthwiseKernel = nil
            zeros = algorithm == .indirectGEMM ? AlignedBuffer(count: ConvolutionIndirection.zeroCount(for: shape)) : nil
        }
        if algorithm == .indirectGEMM && shape.groups == 1 && shape.padding != .zero
            && shape.inputShape.elementCount <= Self.paddedCopyLimit {
            var padded = shape
            padded.inputHeight += shape.padding.top + shape.padding.bottom
            padded.inputWidth += shape.padding.left + shape.padding.right
            padded.padding = .zero
            paddedShape = padded
        } else {
            paddedShape = nil
        }
        indirectTileRows = algorithm == .indirectGEMM ? gemmWeights!.indirectTileRows(for: paddedShape ?? shape) : 0
    }

    // MARK: - Dispatch

    /// The pointer-level forward pass shared by every kernel.
    public func forward(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, pool: ThreadPool) {
        switch algorithm {
        case .depthwise:
            runDepthwise(input: input, output: output, pool: pool)
        case .pointwise:
            runPointwise(input: input, output: output, pool: pool)
        case .indirectGEMM:
            runIndirectGEMM(input: input, output: output, pool: pool)
        }
    }

    private func runDepthwise(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, pool: ThreadPool) {
        let kernel = depthwiseKernel!
        let rowCount = shape.outputHeight
        let rowElements = shape.outputWidth * shape.outputChannels
        let tasks = WorkSplit(items: rowCount, threads: pool.threadCount, granularity: 1,
                              macsPerItem: shape.macs / max(rowCount, 1))
        pool.parallelFor(tasks.count) { task, _ in
            let rows = tasks.range(task)
            kernel.run(rows: rows, input: input, output: output + rows.lowerBound * rowElements)
        }
    }

    private func runPointwise(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, pool: ThreadPool) {
        let weights = gemmWeights!
        let pixels = shape.outputHeight * shape.outputWidth
        let (inputChannels, outputChannels) = (shape.inputChannels, shape.outputChannels)
        let (lower, upper) = (activation.lowerBound, activation.upperBound)
        let tasks = GEMMWorkSplit(rows: pixels, tileRows: weights.tileRows, panels: weights.panelCount, threads: pool.threadCount, macs: shape.macs)
        pool.parallelFor(tasks.count) { task, _ in
            let (rows, panels) = tasks.task(task)
            for group in 0..<weights.groups {
                weights.multiply(
                    group: group, a: input + rows.lowerBound * inputChannels + group * shape.inputChannelsPerGroup,
                    aRowStride: inputChannels, rowCount: rows.count,
                    c: output + rows.lowerBound * outputChannels + group * weights.columns,
                    cRowStride: outputChannels, lower: lower, upper: upper, panels: panels)
            }
        }
    }

    private func runIndirectGEMM(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, pool: ThreadPool) {
        let gemmShape = paddedShape ?? shape
        let tileRows = indirectTileRows
        workspaces.withWorkspace(make: {
            IndirectionWorkspace(
                tiles: (gemmShape.outputHeight * gemmShape.outputWidth + tileRows - 1) / tileRows,
                groups: gemmShape.groups, pointersPerTile: gemmShape.kernelHeight * gemmShape.kernelWidth * tileRows,
                paddedInputCount: paddedShape?.inputShape.elementCount)
        }) { workspace in
            guard let padded = workspace.paddedInput, let paddedShape else {
                runIndirectGEMM(shape: shape, input: input, output: output, workspace: workspace, pool: pool)
                return
            }
            // Only the interior: the borders of the kept buffer are still zero.
            let rowLength = shape.inputWidth * shape.inputChannels
            let paddedRowLength = paddedShape.inputWidth * shape.inputChannels
            var target = padded.pointer + shape.padding.top * paddedRowLength + shape.padding.left * shape.inputChannels
            for y in 0..<shape.inputHeight {
                Self.copyRow(from: input + y * rowLength, to: target, count: rowLength)
                target += paddedRowLength
            }
            runIndirectGEMM(shape: paddedShape, input: padded.pointer, output: output, workspace: workspace, pool: pool)
        }
    }

    /// The indirect GEMM for `shape` (the layer's, or its padded-input twin). The indirection
    /// pointers are filled only when `input` is not the buffer `workspace`'s table points into.
    private func runIndirectGEMM(
        shape: ConvolutionShape, input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>,
        workspace: IndirectionWorkspace, pool: ThreadPool
    ) {
        let weights = gemmWeights!
        let pixels = shape.outputHeight * shape.outputWidth
        let outputChannels = shape.outputChannels
        let (groups, groupColumns) = (weights.groups, weights.columns)
        let (lower, upper) = (activation.lowerBound, activation.upperBound)
        let tileRows = indirectTileRows
        let indirection = ConvolutionIndirection(shape: shape, zeros: zeros!.pointer, rows: tileRows)
        let refill = workspace.tableInput != input
        let (pointers, layouts, pointersPerSlot) = (workspace.pointers, workspace.layouts, workspace.pointersPerSlot)
        // Chunks are whole tiles (but the last), so every tile starts at a multiple of tileRows and
        // a task's tiles are consecutive slots of each group.
        let tasks = workspace.split(threads: pool.threadCount) {
            WorkSplit(items: pixels, threads: $0, granularity: tileRows, macsPerItem: shape.macs / max(pixels, 1))
        }
        pool.parallelFor(tasks.count) { task, _ in
            let rows = tasks.range(task)
            if refill {
                Self.fill(indirection, pixels: rows, groups: groups, depth: weights.depth, input: input, workspace: workspace)
            }
            let firstTile = rows.lowerBound / tileRows
            for group in 0..<groups {
                let slot = workspace.slot(tile: firstTile, group: group)
                weights.multiplyTiles(
                    group: group, rowCount: rows.count, tileRows: tileRows, layouts: layouts + 2 * slot,
                    rowPointers: pointers + slot * pointersPerSlot, pointersPerTile: pointersPerSlot,
                    c: output + rows.lowerBound * outputChannels + group * groupColumns,
                    cRowStride: outputChannels, lower: lower, upper: upper)
            }
        }
        workspace.tableInput = input
    }

    /// Fills the indirection pointers and run layouts of the tiles of `pixels` (whole tiles but the
    /// last), every group, checking that each tile's runs cover the GEMM's `depth`. Out of line:
    /// the tile loop that follows keeps its registers.
    @inline(never)
    private static func fill(
        _ indirection: ConvolutionIndirection, pixels: Range<Int>, groups: Int, depth: Int, input: UnsafePointer<Float>,
        workspace: IndirectionWorkspace
    ) {
        let tileRows = indirection.rows
        for first in stride(from: pixels.lowerBound, to: pixels.upperBound, by: tileRows) {
            for group in 0..<groups {
                let slot = workspace.slot(tile: first / tileRows, group: group)
                let layout = indirection.fill(
                    firstPixel: first, rowCount: min(tileRows, pixels.upperBound - first), group: group, input: input,
                    pointers: workspace.pointers + slot * workspace.pointersPerSlot)
                precondition(layout.segmentCount * layout.segmentLength == depth, "Convolution: a tile's runs must cover the depth")
                workspace.layouts[2 * slot] = layout.segmentCount
                workspace.layouts[2 * slot + 1] = layout.segmentLength
            }
        }
    }

    /// Copies `count` floats inline, eight at a time (the last eight overlapping the previous ones):
    /// a padded layer copies one short row per input row, where a `memmove` call per row cost more
    /// than the copy.
    @inline(__always)
    private static func copyRow(from source: UnsafePointer<Float>, to target: UnsafeMutablePointer<Float>, count: Int) {
        typealias Vector = SIMD8<Float>
        let width = Vector.scalarCount
        guard count >= width else {
            for index in 0..<count { target[index] = source[index] }
            return
        }
        let (from, to) = (UnsafeRawPointer(source), UnsafeMutableRawPointer(target))
        let stride = MemoryLayout<Float>.stride
        var index = 0
        while index < count - width {
            to.storeBytes(of: from.loadUnaligned(fromByteOffset: index * stride, as: Vector.self),
                          toByteOffset: index * stride, as: Vector.self)
            index += width
        }
        let last = (count - width) * stride
        to.storeBytes(of: from.loadUnaligned(fromByteOffset: last, as: Vector.self), toByteOffset: last, as: Vector.self)
    }
}
