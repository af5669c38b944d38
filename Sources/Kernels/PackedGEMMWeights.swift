import CFloatKernels

/// Convolution weights re-laid once, at layer creation, into the panels the GEMM micro-kernel reads.
///
/// For each group g and each panel p of 16 output channels: `depth` rows of 16 contiguous floats,
/// row k holding W[g * outG + p * 16 + j][k] for j in 0..<16 (zero past the group's channels),
/// where k runs over (ky, kx, ci) in that order, matching an im2col row of NHWC input.
final class PackedGEMMWeights: @unchecked Sendable {
    /// Reduction length K = kh * kw * (C_in / groups).
    let depth: Int
    /// Output channels per group.
    let columns: Int
    /// Panels of 16 output channels per group.
    let panelCount: Int
    let groups: Int
    /// The micro-kernels `multiply` runs.
    let path: FloatKernelPath
    /// The path's row of the kernel table.
    private let kernels: FloatKernels
    /// Rows of one tile of `multiply` (a thread split in whole tiles leaves no short tile inside).
    var tileRows: Int { kernels.tileRows }
    private let weights: AlignedBuffer
    private let biases: AlignedBuffer

    init(shape: ConvolutionShape, weights source: [Float], bias: [Float]?, path: FloatKernelPath = .best) {
        precondition(path.isAvailable, "PackedGEMMWeights: the \(path) kernels do not run on this CPU")
        self.path = path
        kernels = path.kernels
        depth = shape.kernelHeight * shape.kernelWidth * shape.inputChannelsPerGroup
        columns = shape.outputChannelsPerGroup
        groups = shape.groups
        let width = GEMMMicroKernel.columns
        panelCount = (columns + width - 1) / width
        weights = AlignedBuffer(count: groups * panelCount * depth * width)
        biases = AlignedBuffer(count: groups * panelCount * width)
        for group in 0..<groups {
            for panel in 0..<panelCount {
                let target = self.panel(group: group, index: panel)
                let biasTarget = self.bias(group: group, panel: panel)
                for j in 0..<min(width, columns - panel * width) {
                    let outputChannel = group * columns + panel * width + j
                    biasTarget[j] = bias?[outputChannel] ?? 0
                    for k in 0..<depth {
                        target[k * width + j] = source[outputChannel * depth + k]
                    }
                }
            }
        }
    }

    /// The packed panel `index` of `group`: depth x 16 floats.
    @inline(__always)
    func panel(group: Int, index: Int) -> UnsafeMutablePointer<Float> {
        weights.pointer + (group * panelCount + index) * depth * GEMMMicroKernel.columns
    }

    /// The 16 biases of panel `panel` of `group` (zero past the group's channels).
    @inline(__always)
    func bias(group: Int, panel: Int) -> UnsafeMutablePointer<Float> {
        biases.pointer + (group * panelCount + panel) * GEMMMicroKernel.columns
    }

    /// Bytes of weights above which a few rows are swept panel by panel: re-reading such weights
    /// for every row tile would fetch them from beyond L2 again (late layers: 9 pixels x 1.6 MB).
    static let largeWeightBytes = 512 * 1024
    /// Floats of A up to which the rows count as few (they stay in L1/L2 while the panels stream).
    static let fewRowFloats = 16 * 1024

    /// C[rowCount x columns] of one group = clamp(bias + A * B) for A rows at `a + i * aRowStride`
    /// (contiguous, `depth` long), written to `c` with row stride `cRowStride`; with `panels`, only
    /// those panels' columns.
    ///
    /// Usually each row tile sweeps the panels, so its rows of A stay in L1 while the weights stream
    /// past (`rows(ofTile:of:rowCount:tileRows:even:)` cuts the tiles). A few rows times large
    /// weights go panel by panel instead, so the weights are read once. Every kernel sums each output in k order from its bias, so a row's
    /// result does not depend on the tiles, the order or the path (the thread split cannot change it).
    @inline(__always)
    func multiply(
        group: Int, a: UnsafePointer<Float>, aRowStride: Int, rowCount: Int,
        c: UnsafeMutablePointer<Float>, cRowStride: Int, lower: Float, upper: Float, panels: Range<Int>? = nil
    ) {
        let panels = panels ?? 0..<panelCount
        let tileRows = kernels.tileRows
        let weightBytes = panels.count * depth * GEMMMicroKernel.columns * MemoryLayout<Float>.stride
        let panelOuter = rowCount > tileRows && weightBytes > Self.largeWeightBytes
            && rowCount * depth <= Self.fewRowFloats
        if rowCount == 1 {
            multiplySingleRow(group: group, a: a, c: c, panels: panels, lower: lower, upper: upper)
            return
        }
        let rowTiles = (rowCount + tileRows - 1) / tileRows
        let evenTiles = kernels.tileCostFollowsRows
        // One loop for both orders.
        for step in 0..<rowTiles * panels.count {
            let (rowTile, panelOffset) = panelOuter
                ? (step % rowTiles, step / rowTiles) : (step / panels.count, step % panels.count)
            let rows = Self.rows(ofTile: rowTile, of: rowTiles, rowCount: rowCount, tileRows: tileRows, even: evenTiles)
            multiplyTile(group: group, panel: panels.lowerBound + panelOffset, a: a + rows.lowerBound * aRowStride,
                         aRowStride: aRowStride, rowCount: rows.count,
                         c: c + rows.lowerBound * cRowStride, cRowStride: cRowStride, lower: lower, upper: upper)
        }
    }

    /// The rows of tile `tile` of `tiles` (`rowCount` rows in tiles of at most `tileRows`). Where a
    /// tile costs what its rows do (`even`: `tileCostFollowsRows`) tiles have even heights: 49 rows
    /// in tiles of 12 run as 9 + 10 + 10 + 10 + 10, not 4 x 12 + 1, whose one-row tile would stream
    /// every panel for 1/49 of the work. Otherwise they are full tiles and a remainder, which the
    /// Swift kernel computes in fewer rows when it has 3 or fewer.
    @inline(__always)
    static func rows(ofTile tile: Int, of tiles: Int, rowCount: Int, tileRows: Int, even: Bool) -> Range<Int> {
        even ? (tile * rowCount / tiles)..<((tile + 1) * rowCount / tiles)
            : (tile * tileRows)..<min(rowCount, (tile + 1) * tileRows)
    }

    /// One row of A (a fully connected layer) times `panels`, four panels per kernel call.
    private func multiplySingleRow(
        group: Int, a: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, panels: Range<Int>,
        lower: Float, upper: Float
    ) {
        let width = GEMMMicroKernel.columns
        for first in stride(from: panels.lowerBound, to: panels.upperBound, by: GEMMMicroKernel.singleRowPanels) {
            let count = min(GEMMMicroKernel.singleRowPanels, panels.upperBound - first)
            GEMMMicroKernel.runSingleRow(
                depth: depth, a: a, panel: panel(group: group, index: first), panelStride: depth * width,
                panelCount: count, bias: bias(group: group, panel: first), c: c + first * width,
                columnCount: min(count * width, columns - first * width), lower: lower, upper: upper)
        }
    }

    /// Up to `kernels.tileRows` contiguous rows of A times one panel (a one-row tile, the last row of
    /// a layer, takes the one-row kernel: same bits).
    @inline(__always)
    private func multiplyTile(
        group: Int, panel panelIndex: Int, a: UnsafePointer<Float>, aRowStride: Int, rowCount: Int,
        c: UnsafeMutablePointer<Float>, cRowStride: Int, lower: Float, upper: Float
    ) {
        let width = GEMMMicroKernel.columns
        let columnCount = min(width, columns - panelIndex * width)
        if rowCount == 1 {
            GEMMMicroKernel.runSingleRow(
                depth: depth, a: a, panel: panel(group: group, index: panelIndex), panelStride: depth * width,
                panelCount: 1, bias: bias(group: group, panel: panelIndex), c: c + panelIndex * width,
                columnCount: columnCount, lower: lower, upper: upper)
            return
        }
        kernels.tile(
            rowCount, depth, a, aRowStride, panel(group: group, index: panelIndex),
            bias(group: group, panel: panelIndex), c + panelIndex * width, cRowStride, columnCount, lower, upper)
    }

    /// `rowCount` rows of C in tiles of `tileRows`, A given by an indirection buffer (tile t's runs
    /// at `rowPointers + t * pointersPerTile`, `tileRows` pointers apart, its run layout at
    /// `layouts[2t]`, see `FloatKernels.IndirectTiles`), across every panel of the group.
    @inline(__always)
    func multiplyTiles(
        group: Int, rowCount: Int, tileRows: Int, layouts: UnsafePointer<Int>,
        rowPointers: UnsafePointer<UnsafePointer<Float>>, pointersPerTile: Int,
        c: UnsafeMutablePointer<Float>, cRowStride: Int, lower: Float, upper: Float
    ) {
        let pointers = UnsafeRawPointer(rowPointers).assumingMemoryBound(to: UnsafePointer<Float>?.self)
        kernels.indirectTiles(
            rowCount, tileRows, layouts, pointers, pointersPerTile, panel(group: group, index: 0), panelCount,
            bias(group: group, panel: 0), c, cRowStride, columns, lower, upper)
    }

    /// Rows of C one indirect tile of a layer of `shape` computes at most on this path (its
    /// indirection buffer's pointer stride).
    func indirectTileRows(for shape: ConvolutionShape) -> Int { kernels.indirectTileRows(for: shape) }
}
