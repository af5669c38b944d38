/// Gathers the im2col rows of a few output pixels of one group into a small contiguous tile.
///
/// Row r of the tile is the receptive field of output pixel `firstPixel + r`, ordered (ky, kx, ci)
/// like the packed weights; taps in the padding are zeros. Tiles are small (6 x K floats) so they
/// stay in L1 while the micro-kernel sweeps every weight panel over them.
struct Im2ColTile {
    let shape: ConvolutionShape

    /// Floats per tile row: kh * kw * (C_in / groups).
    var depth: Int { shape.kernelHeight * shape.kernelWidth * shape.inputChannelsPerGroup }

    /// Writes `rowCount` rows for output pixels starting at `firstPixel` (raster order) into `tile`.
    @inline(__always)
    func gather(
        firstPixel: Int, rowCount: Int, group: Int, input: UnsafePointer<Float>, tile: UnsafeMutablePointer<Float>
    ) {
        let channels = shape.inputChannels
        let groupChannels = shape.inputChannelsPerGroup
        let (kernelHeight, kernelWidth) = (shape.kernelHeight, shape.kernelWidth)
        let (inputHeight, inputWidth) = (shape.inputHeight, shape.inputWidth)
        let outputWidth = shape.outputWidth
        let kernelRowLength = kernelWidth * groupChannels
        let depth = self.depth
        for row in 0..<rowCount {
            let pixel = firstPixel + row
            let outputY = pixel / outputWidth
            let outputX = pixel - outputY * outputWidth
            let inputYBase = outputY * shape.strideY - shape.padding.top
            let inputXBase = outputX * shape.strideX - shape.padding.left
            let rowsInside = inputXBase >= 0 && inputXBase + kernelWidth <= inputWidth
            for ky in 0..<kernelHeight {
                let inputY = inputYBase + ky
                let target = tile + row * depth + ky * kernelRowLength
                guard inputY >= 0 && inputY < inputHeight else {
                    FloatCopy.zero(target, count: kernelRowLength)
                    continue
                }
                let inputRow = input + (inputY * inputWidth) * channels + group * groupChannels
                if rowsInside && shape.groups == 1 {
                    // The kw taps of one kernel row are contiguous NHWC pixels.
                    FloatCopy.copy(from: inputRow + inputXBase * channels, to: target, count: kernelRowLength)
                    continue
                }
                for kx in 0..<kernelWidth {
                    let inputX = inputXBase + kx
                    if inputX >= 0 && inputX < inputWidth {
                        FloatCopy.copy(from: inputRow + inputX * channels, to: target + kx * groupChannels,
                                       count: groupChannels)
                    } else {
                        FloatCopy.zero(target + kx * groupChannels, count: groupChannels)
                    }
                }
            }
        }
    }
}

/// Short float copies and fills done inline with vectors (memcpy calls dominate for 3-channel rows).
enum FloatCopy {
    /// Copies `count` floats; the regions must not overlap.
    @inline(__always)
    static func copy(from source: UnsafePointer<Float>, to target: UnsafeMutablePointer<Float>, count: Int) {
        var index = 0
        while index + 8 <= count {
            UnsafeMutableRawPointer(target + index).storeBytes(
                of: UnsafeRawPointer(source + index).loadUnaligned(as: SIMD8<Float>.self), as: SIMD8<Float>.self)
            index += 8
        }
        if index + 4 <= count {
            UnsafeMutableRawPointer(target + index).storeBytes(
                of: UnsafeRawPointer(source + index).loadUnaligned(as: SIMD4<Float>.self), as: SIMD4<Float>.self)
            index += 4
        }
        if index + 2 <= count {
            target[index] = source[index]
            target[index + 1] = source[index + 1]
            index += 2
        }
        if index < count { target[index] = source[index] }
    }

    /// Sets `count` floats to zero.
    @inline(__always)
    static func zero(_ target: UnsafeMutablePointer<Float>, count: Int) {
        var index = 0
        while index + 8 <= count {
            UnsafeMutableRawPointer(target + index).storeBytes(of: SIMD8<Float>(), as: SIMD8<Float>.self)
            index += 8
        }
        while index < count {
            target[index] = 0
            index += 1
        }
    }
}
