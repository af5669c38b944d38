/// Builds the indirection buffer of implicit im2col: for a tile of up to `rows` output pixels (the
/// GEMM path's tile height), where each run of their receptive field starts in the NHWC input (or
/// in a zero buffer for padding).
///
/// When all pixels of a tile have their kernel window inside the input columns and groups = 1,
/// the kw taps of a kernel row are contiguous pixels, so each kernel row is one run of
/// kw * C_in floats (kh runs). Otherwise each tap is its own run of C_in / groups floats.
/// Either way the runs follow the packed weights' (ky, kx, ci) order.
struct ConvolutionIndirection {
    let shape: ConvolutionShape
    /// Zeros standing in for padded rows and taps; at least one run long.
    let zeros: UnsafePointer<Float>
    /// Rows of a tile: the pointer stride of a run.
    let rows: Int

    /// Length of the zero buffer the indirection needs.
    static func zeroCount(for shape: ConvolutionShape) -> Int { shape.kernelWidth * shape.inputChannelsPerGroup }

    /// Fills `pointers` for output pixels `firstPixel ..< firstPixel + rowCount` (raster order) of
    /// `group`, and returns the run layout to pass to the micro-kernel.
    @inline(__always)
    func fill(
        firstPixel: Int, rowCount: Int, group: Int, input: UnsafePointer<Float>,
        pointers: UnsafeMutablePointer<UnsafePointer<Float>>
    ) -> (segmentCount: Int, segmentLength: Int) {
        let rows = self.rows
        let channels = shape.inputChannels
        let groupChannels = shape.inputChannelsPerGroup
        let (kernelHeight, kernelWidth) = (shape.kernelHeight, shape.kernelWidth)
        let (inputHeight, inputWidth) = (shape.inputHeight, shape.inputWidth)
        let outputWidth = shape.outputWidth
        let groupInput = input + group * groupChannels
        // Fast path: a whole tile of pixels of one output row, all windows inside the input columns. The rows
        // share their input rows, and consecutive pixels are strideX * C_in floats apart.
        let firstY = firstPixel / outputWidth
        let firstX = firstPixel - firstY * outputWidth
        let firstXBase = firstX * shape.strideX - shape.padding.left
        let lastXBase = firstXBase + (rows - 1) * shape.strideX
        if shape.groups == 1 && rowCount == rows && firstX + rows <= outputWidth
            && firstXBase >= 0 && lastXBase + kernelWidth <= inputWidth {
            let pixelStep = shape.strideX * channels
            let inputYBase = firstY * shape.strideY - shape.padding.top
            for ky in 0..<kernelHeight {
                let inputY = inputYBase + ky
                let target = pointers + ky * rows
                if inputY >= 0 && inputY < inputHeight {
                    let start = groupInput + (inputY * inputWidth + firstXBase) * channels
                    for row in 0..<rows { target[row] = start + row * pixelStep }
                } else {
                    for row in 0..<rows { target[row] = zeros }
                }
            }
            return (kernelHeight, kernelWidth * groupChannels)
        }
        // Where each row's window starts; rows past rowCount repeat row 0.
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: 2 * rows) { bases in
            let yBases = bases.baseAddress!
            let xBases = yBases + rows
            var allInside = shape.groups == 1
            var outputY = firstY
            var outputX = firstX
            for row in 0..<rows {
                if row < rowCount {
                    yBases[row] = outputY * shape.strideY - shape.padding.top
                    xBases[row] = outputX * shape.strideX - shape.padding.left
                    if xBases[row] < 0 || xBases[row] + kernelWidth > inputWidth { allInside = false }
                    outputX += 1
                    if outputX == outputWidth { outputX = 0; outputY += 1 }
                } else {
                    yBases[row] = yBases[0]
                    xBases[row] = xBases[0]
                }
            }
            if allInside {
                for ky in 0..<kernelHeight {
                    for row in 0..<rows {
                        let inputY = yBases[row] + ky
                        pointers[ky * rows + row] = inputY >= 0 && inputY < inputHeight
                            ? groupInput + (inputY * inputWidth + xBases[row]) * channels : zeros
                    }
                }
                return (kernelHeight, kernelWidth * groupChannels)
            }
            for ky in 0..<kernelHeight {
                for kx in 0..<kernelWidth {
                    let tap = ky * kernelWidth + kx
                    for row in 0..<rows {
                        let inputY = yBases[row] + ky
                        let inputX = xBases[row] + kx
                        let inside = inputY >= 0 && inputY < inputHeight && inputX >= 0 && inputX < inputWidth
                        pointers[tap * rows + row] = inside ? groupInput + (inputY * inputWidth + inputX) * channels : zeros
                    }
                }
            }
            return (kernelHeight * kernelWidth, groupChannels)
        }
    }
}
