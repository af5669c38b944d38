import CFloatKernels

/// The instruction-set path of the float32 GEMMs (pointwise layers and the indirect GEMM, implicit
/// im2col, of regular and grouped layers) and of the depthwise convolution.
///
/// Like the int8 paths, each path is a row of a kernel table (`FloatKernels`): its tile functions
/// and tile height, filled once from the CPU's features; packed weights keep the row of their
/// path and call through it, with no per-call test of the path. `best` is what layers use; tests
/// run every path this CPU supports. The Swift SIMD tile (compiled for AVX2 + FMA on x86-64, NEON
/// on aarch64) and the C depthwise kernel beside it run everywhere; the AVX512F tile and depthwise
/// kernel (`CFloatKernels`) only where the CPU has AVX512F. Cases are declared slowest first
/// (`KernelPath`).
public enum FloatKernelPath: String, Sendable, CaseIterable, CustomStringConvertible, KernelPath {
    /// Swift `SIMD8<Float>` GEMM kernels, 6 x 16 tiles, and the C depthwise kernel written once for
    /// AVX2 + FMA and NEON (`ep_f32_depthwise_rows_simd`): x86-64 AVX2 + FMA, aarch64 NEON.
    case simd
    /// x86-64 AVX512F tiles of up to 12 x 16 (8 x 16 in the indirect GEMM of padded layers) and 8-pixel x 16-channel
    /// depthwise blocks (C, `CFloatKernels`).
    case avx512

    /// The fastest path this CPU and build support that `EDGEPROBE_MAX_ISA` admits (chosen once).
    public static let best: FloatKernelPath = fastest(under: InstructionSetCap.current)

    /// Every path that can run here.
    public static var available: [FloatKernelPath] { allCases.filter(\.isAvailable) }

    /// Whether this CPU (and this build) can run the path.
    public var isAvailable: Bool { FloatKernels.table[self] != nil }

    public var description: String { rawValue }

    /// `avx512` for the AVX512F tiles; the Swift SIMD tiles are the build's baseline, which every
    /// cap admits.
    var capLevel: InstructionSetCap? { self == .avx512 ? .avx512 : nil }

    /// The instruction set the path's kernels use on this build: `avx512f`, or for the Swift SIMD
    /// kernels the build's target (`avx2+fma` on x86-64, `neon` on aarch64).
    public var instructionSet: String {
        switch self {
        case .avx512: "avx512f"
        case .simd:
            #if arch(x86_64)
            "avx2+fma"
            #elseif arch(arm64)
            "neon"
            #else
            "scalar"
            #endif
        }
    }

    /// The path's row of the kernel table; only for available paths.
    var kernels: FloatKernels {
        guard let row = FloatKernels.table[self] else { preconditionFailure("the \(self) float kernels do not run on this CPU") }
        return row
    }
}

/// One row of the float32 kernel table: the tile function of a path and the rows it computes.
struct FloatKernels: Sendable {
    /// C[r][j] = clamp(bias[j] + Σ_k A[r][k] · panel[k · 16 + j], lower, upper) for r < rows
    /// (1...tileRows) and j < columns (1...16), each sum in k order with fused multiply-adds (so
    /// every path gives the same bits). Arguments: rows, depth, a, aStride, panel, bias, c, cStride,
    /// columns, lower, upper — the signature of `ep_f32_gemm_tile_avx512`.
    typealias Tile = @convention(c) (
        Int, Int, UnsafePointer<Float>?, Int, UnsafePointer<Float>?, UnsafePointer<Float>?,
        UnsafeMutablePointer<Float>?, Int, Int, Float, Float
    ) -> Void

    /// Rows 0..<rows of an indirect GEMM (implicit im2col, `Convolution`'s regular layers) across
    /// every panel of a group, in tiles of tileRows: like `Tile`, but row r of tile t's A is
    /// `layouts[2t]` runs of `layouts[2t + 1]` floats, run s starting at
    /// `pointers[t * pointersPerTile + s * tileRows + r]`, and the `panelCount` panels (and their
    /// biases) follow each other. Arguments: rows, tileRows, layouts, pointers, pointersPerTile,
    /// panels, panelCount, biases, c, cStride, columns (of all panels), lower, upper — the signature
    /// of `ep_f32_igemm_avx512`. Every pointer of a run's tileRows must be valid.
    typealias IndirectTiles = @convention(c) (
        Int, Int, UnsafePointer<Int>?, UnsafePointer<UnsafePointer<Float>?>?, Int, UnsafePointer<Float>?, Int,
        UnsafePointer<Float>?, UnsafeMutablePointer<Float>?, Int, Int, Float, Float
    ) -> Void

    /// Output rows `begin..<end` of a depthwise convolution (the signature of
    /// `ep_f32_depthwise_rows_avx512` and `ep_f32_depthwise_rows_simd`: layer, input, begin, end, output).
    typealias DepthwiseRows = @convention(c) (
        UnsafePointer<ep_f32_depthwise>?, UnsafePointer<Float>?, Int, Int, UnsafeMutablePointer<Float>?
    ) -> Void

    let path: FloatKernelPath
    /// Rows of C one contiguous tile computes at most.
    let tileRows: Int
    /// Whether `tile` has a kernel per row count, so a tile of r rows costs r rows of arithmetic
    /// (AVX512F). The Swift SIMD kernel computes 6 rows for tiles of 4...6 rows and 3 for 2...3 (6
    /// whenever a panel has 8 columns or fewer), so a layer's rows are best cut into full tiles and
    /// one remainder there: 9 rows as 6 + 3, not 5 + 4.
    let tileCostFollowsRows: Bool
    let tile: Tile
    /// Rows of C one indirect tile computes at most (`indirectTileRows(for:)` picks a layer's).
    let indirectTileRows: Int
    /// The indirect tile height for layers whose tiles may straddle a padded border (see
    /// `indirectTileRows(for:)`); `indirectTileRows` where the path has only one.
    let paddedIndirectTileRows: Int
    let indirectTiles: IndirectTiles
    /// The path's depthwise kernel (`DepthwiseKernel` calls it).
    let depthwiseRows: DepthwiseRows

    /// The rows that run on this CPU, filled once: the Swift SIMD tiles and the C depthwise kernel
    /// for AVX2 + FMA or NEON everywhere, the AVX512F tiles where the CPU has it.
    static let table: [FloatKernelPath: FloatKernels] = {
        // The x86-64 build targets AVX2 + FMA (Package.swift), so a CPU without them cannot run it.
        precondition(ep_f32_depthwise_simd_available() != 0, "edgeprobe's float32 kernels need AVX2 and FMA on x86-64")
        var rows: [FloatKernelPath: FloatKernels] = [
            .simd: FloatKernels(path: .simd, tileRows: GEMMMicroKernel.rows, tileCostFollowsRows: false, tile: simdTile,
                                indirectTileRows: GEMMMicroKernel.rows, paddedIndirectTileRows: GEMMMicroKernel.rows,
                                indirectTiles: simdIndirectTiles, depthwiseRows: ep_f32_depthwise_rows_simd),
        ]
        if ep_f32_avx512_available() != 0 {
            // Indirect tiles of 8 rows on padded layers: MobileNet widths (112, 56, 48, 28, 24, 14,
            // ...) are multiples of 8 or close, so a tile rarely straddles two output rows, where a
            // border pixel's window leaves the input and the indirection takes its slow path (one
            // run per tap): 12-row tiles made the stem 3-5 % slower.
            let maxRows = Int(EP_F32_AVX512_MAX_ROWS)
            rows[.avx512] = FloatKernels(path: .avx512, tileRows: maxRows, tileCostFollowsRows: true, tile: ep_f32_gemm_tile_avx512,
                                         indirectTileRows: maxRows, paddedIndirectTileRows: 8,
                                         indirectTiles: ep_f32_igemm_avx512, depthwiseRows: ep_f32_depthwise_rows_avx512)
        }
        return rows
    }()

    /// The indirect tile height for `shape`: the tallest tile where no window leaves the input (no
    /// padding, e.g. a small layer run on its padded copy: every tile keeps one run per kernel row
    /// however it straddles output rows), else the padded height.
    func indirectTileRows(for shape: ConvolutionShape) -> Int {
        shape.padding == .zero ? indirectTileRows : paddedIndirectTileRows
    }

    /// The Swift SIMD kernel as a tile function: contiguous rows of A as one-segment row pointers.
    private static let simdTile: Tile = { rows, depth, a, aStride, panel, bias, c, cStride, columns, lower, upper in
        withUnsafeTemporaryAllocation(of: UnsafePointer<Float>.self, capacity: GEMMMicroKernel.rows) { pointers in
            for index in 0..<GEMMMicroKernel.rows {
                pointers[index] = a! + (index < rows ? index : 0) * aStride
            }
            GEMMMicroKernel.run(
                segmentCount: 1, segmentLength: depth, rowPointers: UnsafePointer(pointers.baseAddress!), rowCount: rows,
                panel: panel!, bias: bias!, c: c!, cRowStride: cStride, columnCount: columns, lower: lower, upper: upper)
        }
    }

    /// The Swift SIMD kernel as indirect tiles, tile by tile and panel by panel (its tiles are its 6 rows).
    private static let simdIndirectTiles: IndirectTiles = {
        rows, tileRows, layouts, pointers, pointersPerTile, panels, panelCount, biases, c, cStride, columns,
        lower, upper in
        precondition(tileRows == GEMMMicroKernel.rows, "the Swift SIMD indirect tile reads 6 pointers per run")
        let rowPointers = UnsafeRawPointer(pointers!).assumingMemoryBound(to: UnsafePointer<Float>.self)
        let width = GEMMMicroKernel.columns
        for (tile, first) in stride(from: 0, to: rows, by: tileRows).enumerated() {
            let (segmentCount, segmentLength) = (layouts![2 * tile], layouts![2 * tile + 1])
            let panelStride = segmentCount * segmentLength * width
            for panel in 0..<panelCount {
                GEMMMicroKernel.run(
                    segmentCount: segmentCount, segmentLength: segmentLength,
                    rowPointers: rowPointers + tile * pointersPerTile, rowCount: min(tileRows, rows - first),
                    panel: panels! + panel * panelStride, bias: biases! + panel * width,
                    c: c! + first * cStride + panel * width, cRowStride: cStride,
                    columnCount: min(width, columns - panel * width), lower: lower, upper: upper)
            }
        }
    }
}
