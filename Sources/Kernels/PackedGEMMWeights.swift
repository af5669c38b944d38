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
    private let weights: AlignedBuffer
    private let biases: AlignedBuffer

    init(shape: ConvolutionShape, weights source: [Float], bias: [Float]?) {
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

    /// C[rowCount x columns] of one group = clamp(bias + A * B) for A rows at `a + i * aRowStride`
    /// (contiguous, `depth` long), written to `c` with row stride `cRowStride`.
    @inline(__always)
    func multiply(
        group: Int, a: UnsafePointer<Float>, aRowStride: Int, rowCount: Int,
        c: UnsafeMutablePointer<Float>, cRowStride: Int, lower: Float, upper: Float
    ) {
        withUnsafeTemporaryAllocation(of: UnsafePointer<Float>.self, capacity: GEMMMicroKernel.rows) { pointers in
            var row = 0
            while row < rowCount {
                let tileRows = min(GEMMMicroKernel.rows, rowCount - row)
                for index in 0..<GEMMMicroKernel.rows {
                    pointers[index] = a + (row + (index < tileRows ? index : 0)) * aRowStride
                }
                multiplyTile(group: group, segmentCount: 1, segmentLength: depth,
                             rowPointers: UnsafePointer(pointers.baseAddress!), rowCount: tileRows,
                             c: c + row * cRowStride, cRowStride: cRowStride, lower: lower, upper: upper)
                row += GEMMMicroKernel.rows
            }
        }
    }

    /// One tile of up to 6 rows of C, A given by an indirection buffer (see `GEMMMicroKernel.run`),
    /// swept over every panel of the group.
    @inline(__always)
    func multiplyTile(
        group: Int, segmentCount: Int, segmentLength: Int, rowPointers: UnsafePointer<UnsafePointer<Float>>,
        rowCount: Int, c: UnsafeMutablePointer<Float>, cRowStride: Int, lower: Float, upper: Float
    ) {
        let width = GEMMMicroKernel.columns
        for panelIndex in 0..<panelCount {
            GEMMMicroKernel.run(
                segmentCount: segmentCount, segmentLength: segmentLength, rowPointers: rowPointers,
                rowCount: rowCount, panel: panel(group: group, index: panelIndex),
                bias: bias(group: group, panel: panelIndex), c: c + panelIndex * width, cRowStride: cRowStride,
                columnCount: min(width, columns - panelIndex * width), lower: lower, upper: upper)
        }
    }
}
