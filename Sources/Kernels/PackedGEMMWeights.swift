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

    /// C[rows x columns] of one group = clamp(bias + A * B) for `rowCount` rows of A with row
    /// stride `aRowStride`, written to `c` with row stride `cRowStride`.
    @inline(__always)
    func multiply(
        group: Int, a: UnsafePointer<Float>, aRowStride: Int, rowCount: Int,
        c: UnsafeMutablePointer<Float>, cRowStride: Int, lower: Float, upper: Float
    ) {
        let width = GEMMMicroKernel.columns
        var row = 0
        while row < rowCount {
            let tileRows = min(GEMMMicroKernel.rows, rowCount - row)
            for panelIndex in 0..<panelCount {
                GEMMMicroKernel.run(
                    depth: depth, a: a + row * aRowStride, aRowStride: aRowStride, rowCount: tileRows,
                    panel: panel(group: group, index: panelIndex), bias: bias(group: group, panel: panelIndex),
                    c: c + row * cRowStride + panelIndex * width, cRowStride: cRowStride,
                    columnCount: min(width, columns - panelIndex * width), lower: lower, upper: upper)
            }
            row += GEMMMicroKernel.rows
        }
    }
}
