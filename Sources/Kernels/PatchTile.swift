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
        if shape.isPointwise, count == tile, channels % 8 == 0 {
            // A whole tile of a 1x1 layer is a transpose of 32 contiguous pixels: 8x8 blocks.
            transpose(input + firstPixel * channels, sourceStride: channels, rows: tile, columns: channels,
                      into: patches, targetStride: tile)
            return
        }
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
        if count == tile, channels % 8 == 0 {
            transpose(results, sourceStride: tile, rows: channels, columns: tile,
                      into: output + firstPixel * channels, targetStride: channels)
            return
        }
        for pixel in 0..<count {
            let target = output + (firstPixel + pixel) * channels
            for channel in 0..<channels { target[channel] = results[channel * tile + pixel] }
        }
    }

    /// Writes target[c * targetStride + r] = source[r * sourceStride + c] for a rows x columns
    /// block, both multiples of 8, in 8x8 SIMD blocks.
    static func transpose(
        _ source: UnsafePointer<Float>, sourceStride: Int, rows: Int, columns: Int,
        into target: UnsafeMutablePointer<Float>, targetStride: Int
    ) {
        let from = UnsafeRawPointer(source)
        let to = UnsafeMutableRawPointer(target)
        let float = MemoryLayout<Float>.stride
        for row in stride(from: 0, to: rows, by: 8) {
            for column in stride(from: 0, to: columns, by: 8) {
                func load(_ index: Int) -> SIMD8<Float> {
                    from.loadUnaligned(fromByteOffset: ((row + index) * sourceStride + column) * float, as: SIMD8<Float>.self)
                }
                let (v0, v1, v2, v3, v4, v5, v6, v7) = (load(0), load(1), load(2), load(3), load(4), load(5), load(6), load(7))
                for lane in 0..<8 {
                    let transposed = SIMD8<Float>(v0[lane], v1[lane], v2[lane], v3[lane], v4[lane], v5[lane], v6[lane], v7[lane])
                    to.storeBytes(of: transposed, toByteOffset: ((column + lane) * targetStride + row) * float, as: SIMD8<Float>.self)
                }
            }
        }
    }
}
