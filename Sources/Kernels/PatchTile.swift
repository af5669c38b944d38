import Tensors

/// The tile steps shared by the kernels that compute `tilePixels` output pixels at once with SIMD
/// over pixels (sparse and shared-weight): gather the patches element-major, scatter the results NHWC.
enum PatchTile {
    /// Output pixels per tile (4 x SIMD8 lanes).
    static let tilePixels = 32

    /// Runs a layer tile by tile across `pool`: each worker gathers a tile's patches into its own
    /// scratch, `multiply` writes the tile's results (channel c of pixel i at c * tilePixels + i)
    /// from the patches, and the results are scattered back into `output` NHWC.
    ///
    /// `macsPerTile` (multiply-adds of one tile) sizes the work split.
    static func forEachTile(
        _ input: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>, shape: ConvolutionShape, pool: ThreadPool,
        macsPerTile: Int,
        multiply: (_ patches: UnsafeMutablePointer<Float>, _ results: UnsafeMutablePointer<Float>) -> Void
    ) {
        let tile = tilePixels
        let patchCount = shape.kernelHeight * shape.kernelWidth * shape.inputChannels
        let scratchFloats = (patchCount + shape.outputChannels) * tile
        let scratch = UnsafeMutableRawPointer.allocate(
            byteCount: scratchFloats * MemoryLayout<Float>.stride * pool.threadCount, alignment: 64)
        defer { scratch.deallocate() }
        let pixels = shape.outputHeight * shape.outputWidth
        let tiles = (pixels + tile - 1) / tile
        let split = WorkSplit(items: tiles, threads: pool.threadCount, granularity: 1, macsPerItem: max(1, macsPerTile))
        pool.parallelFor(split.count) { chunk, worker in
            let base = (scratch + worker * scratchFloats * MemoryLayout<Float>.stride).assumingMemoryBound(to: Float.self)
            for tileIndex in split.range(chunk) {
                let first = tileIndex * tile
                let count = min(tile, pixels - first)
                gather(input, shape: shape, firstPixel: first, count: count, into: base)
                multiply(base, base + patchCount * tile)
                scatter(base + patchCount * tile, channels: shape.outputChannels, firstPixel: first, count: count,
                        into: output)
            }
        }
    }

    /// A tile's multiply step for kernels that take one weight at a time: for each of the
    /// `bias.count` output channels, `accumulate(channel, &sums)` adds that channel's weights times
    /// their patch rows to sums started at its bias, and the sums are stored clamped to
    /// `activation` as the channel's results (results[channel * tilePixels + i]).
    @inline(__always)
    static func multiply(
        patches: UnsafeMutablePointer<Float>, into results: UnsafeMutablePointer<Float>, bias: [Float],
        activation: Activation, accumulate: (_ channel: Int, _ sums: inout Accumulator) -> Void
    ) {
        let lower = SIMD8<Float>(repeating: activation.lowerBound)
        let upper = SIMD8<Float>(repeating: activation.upperBound)
        let rawResults = UnsafeMutableRawPointer(results)
        for channel in bias.indices {
            var sums = Accumulator(bias: bias[channel], patches: UnsafeRawPointer(patches))
            accumulate(channel, &sums)
            sums.store(clampedTo: lower, upper, at: rawResults + channel * Accumulator.rowBytes)
        }
    }

    /// One output channel's sums over a tile: four SIMD8 accumulators (32 pixels), started at the
    /// bias, fed one broadcast weight times one patch row at a time, stored clamped.
    struct Accumulator {
        /// Bytes of one patch row (one patch element of the tile's 32 pixels).
        static let rowBytes = tilePixels * MemoryLayout<Float>.stride
        private var sum0, sum1, sum2, sum3: SIMD8<Float>
        private let patches: UnsafeRawPointer

        /// Sums that start at `bias`, over the element-major `patches` of a tile.
        @inline(__always)
        init(bias: Float, patches: UnsafeRawPointer) {
            let start = SIMD8<Float>(repeating: bias)
            (sum0, sum1, sum2, sum3) = (start, start, start, start)
            self.patches = patches
        }

        /// Adds `weight` times the patch row of patch element `element`.
        @inline(__always)
        mutating func add(_ weight: Float, element: Int) {
            let weight = SIMD8<Float>(repeating: weight)
            let row = patches + element * Self.rowBytes
            let vectorBytes = MemoryLayout<SIMD8<Float>>.stride
            sum0 = sum0.addingProduct(weight, row.load(as: SIMD8<Float>.self))
            sum1 = sum1.addingProduct(weight, row.load(fromByteOffset: vectorBytes, as: SIMD8<Float>.self))
            sum2 = sum2.addingProduct(weight, row.load(fromByteOffset: 2 * vectorBytes, as: SIMD8<Float>.self))
            sum3 = sum3.addingProduct(weight, row.load(fromByteOffset: 3 * vectorBytes, as: SIMD8<Float>.self))
        }

        /// Stores the 32 sums clamped to [lower, upper] at `target`.
        @inline(__always)
        func store(clampedTo lower: SIMD8<Float>, _ upper: SIMD8<Float>, at target: UnsafeMutableRawPointer) {
            let vectorBytes = MemoryLayout<SIMD8<Float>>.stride
            target.storeBytes(of: sum0.clamped(lower, upper), as: SIMD8<Float>.self)
            target.storeBytes(of: sum1.clamped(lower, upper), toByteOffset: vectorBytes, as: SIMD8<Float>.self)
            target.storeBytes(of: sum2.clamped(lower, upper), toByteOffset: 2 * vectorBytes, as: SIMD8<Float>.self)
            target.storeBytes(of: sum3.clamped(lower, upper), toByteOffset: 3 * vectorBytes, as: SIMD8<Float>.self)
        }
    }

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
