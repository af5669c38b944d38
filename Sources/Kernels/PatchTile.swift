import Tensors

/// The tile steps shared by the kernels that compute `tilePixels` output pixels at once with SIMD
/// over pixels (sparse and shared-weight): gather the patches element-major, scatter the results NHWC.
enum PatchTile {
    /// Output pixels per tile (4 x SIMD8 lanes).
    static let tilePixels = 32

    /// Writes the patches of `count` output pixels element-major: element e of pixel i at
    /// e * tilePixels + i, zeros for padding and for the pixels past `count`.
    static func gather(
        _ input: UnsafePointer<Float>, shape: ConvolutionShape, firstPixel: Int, count: Int,
        into patches: UnsafeMutablePointer<Float>
    ) {
        let tile = tilePixels
        let channels = shape.inputChannels
        let patchCount = shape.kernelHeight * shape.kernelWidth * channels
        if count < tile {
            for element in 0..<patchCount {
                (patches + element * tile + count).initialize(repeating: 0, count: tile - count)
            }
        }
        for pixel in 0..<count {
            let outputY = (firstPixel + pixel) / shape.outputWidth
            let outputX = (firstPixel + pixel) % shape.outputWidth
            for ky in 0..<shape.kernelHeight {
                let inputY = outputY * shape.strideY - shape.padding.top + ky
                for kx in 0..<shape.kernelWidth {
                    let inputX = outputX * shape.strideX - shape.padding.left + kx
                    let row = patches + ((ky * shape.kernelWidth + kx) * channels) * tile + pixel
                    if inputY >= 0, inputY < shape.inputHeight, inputX >= 0, inputX < shape.inputWidth {
                        let pixelValues = input + (inputY * shape.inputWidth + inputX) * channels
                        for channel in 0..<channels { row[channel * tile] = pixelValues[channel] }
                    } else {
                        for channel in 0..<channels { row[channel * tile] = 0 }
                    }
                }
            }
        }
    }

    /// Copies a tile's results (channel c of pixel i at c * tilePixels + i) back to NHWC.
    static func scatter(
        _ results: UnsafeMutablePointer<Float>, channels: Int, firstPixel: Int, count: Int,
        into output: UnsafeMutablePointer<Float>
    ) {
        let tile = tilePixels
        for pixel in 0..<count {
            let target = output + (firstPixel + pixel) * channels
            for channel in 0..<channels { target[channel] = results[channel * tile + pixel] }
        }
    }
}
