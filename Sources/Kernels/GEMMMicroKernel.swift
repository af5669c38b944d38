import CFloatKernels

/// One SIMD register of the micro-kernel: 8 floats (one AVX ymm register, two NEON q registers).
typealias FloatVector = SIMD8<Float>

/// The register-blocked GEMM core: C[6 x 16] = clamp(bias + A[6 x k] * B[k x 16]).
///
/// A is read row-wise with a row stride (so NHWC pixels or an im2col tile can be used in place);
/// B is one packed panel (k rows of 16 contiguous floats); the 12 accumulators stay in registers.
/// `addingProduct` is what lowers to fused multiply-add (`c + a * b` does not fuse).
enum GEMMMicroKernel {
    /// Rows of C per call.
    static let rows = 6
    /// Columns of C per call (one packed weight panel).
    static let columns = 16
    /// Rows up to which `run` uses the 3-row kernel: a 9-pixel layer's second tile and a fully
    /// connected layer's single row would otherwise compute 6 rows for 3 or 1.
    static let halfRows = 3

    /// Computes `rowCount` (1...6) rows and `columnCount` (1...16) columns of C (8 columns or fewer
    /// take `runNarrow`, 3 rows or fewer `runHalf`).
    ///
    /// Row r of A is read as `segmentCount` runs of `segmentLength` contiguous floats, run s starting
    /// at `rowPointers[s * 6 + r]` (an indirection buffer: im2col without copying, with a zero buffer
    /// standing in for padding). All 6 pointers of each run must be valid; rows past `rowCount` may
    /// repeat row 0 and are not stored, columns past `columnCount` are not stored.
    ///
    /// `panel` and `bias` must be 64-byte aligned (packed buffers are): they are read as typed
    /// vectors because `loadUnaligned`, a generic, is sometimes left out-of-line by the optimizer,
    /// which costs more than the arithmetic.
    @inline(__always)
    static func run(
        segmentCount: Int, segmentLength: Int, rowPointers: UnsafePointer<UnsafePointer<Float>>, rowCount: Int,
        panel: UnsafePointer<Float>, bias: UnsafePointer<Float>,
        c: UnsafeMutablePointer<Float>, cRowStride: Int, columnCount: Int,
        lower: Float, upper: Float
    ) {
        if columnCount <= FloatVector.scalarCount {
            runNarrow(segmentCount: segmentCount, segmentLength: segmentLength, rowPointers: rowPointers,
                      rowCount: rowCount, panel: panel, bias: bias, c: c, cRowStride: cRowStride,
                      columnCount: columnCount, lower: lower, upper: upper)
            return
        }
        if rowCount <= halfRows {
            runHalf(segmentCount: segmentCount, segmentLength: segmentLength, rowPointers: rowPointers,
                    rowCount: rowCount, panel: panel, bias: bias, c: c, cRowStride: cRowStride,
                    columnCount: columnCount, lower: lower, upper: upper)
            return
        }
        let biasVectors = UnsafeRawPointer(bias).assumingMemoryBound(to: FloatVector.self)
        let bias0 = biasVectors[0]
        let bias1 = biasVectors[1]
        var c00 = bias0, c01 = bias1, c10 = bias0, c11 = bias1, c20 = bias0, c21 = bias1
        var c30 = bias0, c31 = bias1, c40 = bias0, c41 = bias1, c50 = bias0, c51 = bias1
        var b = UnsafeRawPointer(panel).assumingMemoryBound(to: FloatVector.self)
        var pointers = rowPointers
        for _ in 0..<segmentCount {
            let a0 = pointers[0], a1 = pointers[1], a2 = pointers[2]
            let a3 = pointers[3], a4 = pointers[4], a5 = pointers[5]
            pointers += rows
            for k in 0..<segmentLength {
                let b0 = b[0]
                let b1 = b[1]
                b += 2
                var broadcast = FloatVector(repeating: a0[k])
                c00 = c00.addingProduct(broadcast, b0)
                c01 = c01.addingProduct(broadcast, b1)
                broadcast = FloatVector(repeating: a1[k])
                c10 = c10.addingProduct(broadcast, b0)
                c11 = c11.addingProduct(broadcast, b1)
                broadcast = FloatVector(repeating: a2[k])
                c20 = c20.addingProduct(broadcast, b0)
                c21 = c21.addingProduct(broadcast, b1)
                broadcast = FloatVector(repeating: a3[k])
                c30 = c30.addingProduct(broadcast, b0)
                c31 = c31.addingProduct(broadcast, b1)
                broadcast = FloatVector(repeating: a4[k])
                c40 = c40.addingProduct(broadcast, b0)
                c41 = c41.addingProduct(broadcast, b1)
                broadcast = FloatVector(repeating: a5[k])
                c50 = c50.addingProduct(broadcast, b0)
                c51 = c51.addingProduct(broadcast, b1)
            }
        }
        let low = FloatVector(repeating: lower)
        let high = FloatVector(repeating: upper)
        @inline(__always) func clamp(_ v: FloatVector) -> FloatVector {
            v.clamped(low, high)
        }
        let results = (
            clamp(c00), clamp(c01), clamp(c10), clamp(c11), clamp(c20), clamp(c21),
            clamp(c30), clamp(c31), clamp(c40), clamp(c41), clamp(c50), clamp(c51)
        )
        if rowCount == rows && columnCount == columns {
            @inline(__always) func store(_ row: Int, _ left: FloatVector, _ right: FloatVector) {
                let target = UnsafeMutableRawPointer(c + row * cRowStride)
                target.storeBytes(of: left, as: FloatVector.self)
                target.storeBytes(of: right, toByteOffset: 32, as: FloatVector.self)
            }
            store(0, results.0, results.1)
            store(1, results.2, results.3)
            store(2, results.4, results.5)
            store(3, results.6, results.7)
            store(4, results.8, results.9)
            store(5, results.10, results.11)
        } else {
            storePartial(results, rowFloats: columns, rowCount: rowCount, columnCount: columnCount, c: c, cRowStride: cRowStride)
        }
    }
    /// `run` for a panel's last 1...8 columns (24 output channels = 16 + 8): one vector per row, so
    /// the half of the panel that is zero padding costs no multiply-adds.
    @inline(never)
    static func runNarrow(
        segmentCount: Int, segmentLength: Int, rowPointers: UnsafePointer<UnsafePointer<Float>>, rowCount: Int,
        panel: UnsafePointer<Float>, bias: UnsafePointer<Float>,
        c: UnsafeMutablePointer<Float>, cRowStride: Int, columnCount: Int,
        lower: Float, upper: Float
    ) {
        let bias0 = UnsafeRawPointer(bias).assumingMemoryBound(to: FloatVector.self)[0]
        var c0 = bias0, c1 = bias0, c2 = bias0, c3 = bias0, c4 = bias0, c5 = bias0
        var b = UnsafeRawPointer(panel).assumingMemoryBound(to: FloatVector.self)
        var pointers = rowPointers
        for _ in 0..<segmentCount {
            let a0 = pointers[0]
            let a1 = rowCount > 1 ? pointers[1] : a0
            let a2 = rowCount > 2 ? pointers[2] : a0
            let a3 = rowCount > 3 ? pointers[3] : a0
            let a4 = rowCount > 4 ? pointers[4] : a0
            let a5 = rowCount > 5 ? pointers[5] : a0
            pointers += rows
            for k in 0..<segmentLength {
                let b0 = b[0]
                b += 2
                c0 = c0.addingProduct(FloatVector(repeating: a0[k]), b0)
                c1 = c1.addingProduct(FloatVector(repeating: a1[k]), b0)
                c2 = c2.addingProduct(FloatVector(repeating: a2[k]), b0)
                c3 = c3.addingProduct(FloatVector(repeating: a3[k]), b0)
                c4 = c4.addingProduct(FloatVector(repeating: a4[k]), b0)
                c5 = c5.addingProduct(FloatVector(repeating: a5[k]), b0)
            }
        }
        let low = FloatVector(repeating: lower)
        let high = FloatVector(repeating: upper)
        let results = (c0.clamped(low, high), c1.clamped(low, high), c2.clamped(low, high),
                       c3.clamped(low, high), c4.clamped(low, high), c5.clamped(low, high))
        storePartial(results, rowFloats: FloatVector.scalarCount, rowCount: rowCount, columnCount: columnCount,
                     c: c, cRowStride: cRowStride)
    }

    /// How far ahead (in 8-float vectors: 4 KiB) the one-row kernel prefetches each panel: past
    /// the page boundary where the hardware prefetchers stop.
    static let prefetchVectors = 128

    /// Panels `runSingleRow` sweeps at once.
    static let singleRowPanels = 4

    /// One row of C across `panelCount` (1...4) consecutive panels, `panelStride` floats apart
    /// (their biases 16 floats apart): `columnCount` (1...64) columns of clamp(bias + a * panel),
    /// `a` contiguous. Four panels give eight independent FMA chains where one panel would wait on
    /// two; each output is still summed in k order from its bias, so it has the same bits as in a
    /// multi-row tile (a row's result does not depend on how rows were split into tiles).
    @inline(never)
    static func runSingleRow(
        depth: Int, a: UnsafePointer<Float>, panel: UnsafePointer<Float>, panelStride: Int, panelCount: Int,
        bias: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, columnCount: Int, lower: Float, upper: Float
    ) {
        // Panels past `panelCount` repeat the last one (valid memory); their results are not stored.
        func vectors(_ index: Int) -> UnsafePointer<FloatVector> {
            UnsafeRawPointer(panel + min(index, panelCount - 1) * panelStride).assumingMemoryBound(to: FloatVector.self)
        }
        let (p0, p1, p2, p3) = (vectors(0), vectors(1), vectors(2), vectors(3))
        let biasVectors = UnsafeRawPointer(bias).assumingMemoryBound(to: FloatVector.self)
        func initial(_ index: Int) -> FloatVector { biasVectors[min(index, 2 * panelCount - 1)] }
        var c00 = initial(0), c01 = initial(1), c10 = initial(2), c11 = initial(3)
        var c20 = initial(4), c21 = initial(5), c30 = initial(6), c31 = initial(7)
        for k in 0..<depth {
            let offset = 2 * k
            ep_f32_prefetch(p0 + offset + prefetchVectors)
            ep_f32_prefetch(p1 + offset + prefetchVectors)
            ep_f32_prefetch(p2 + offset + prefetchVectors)
            ep_f32_prefetch(p3 + offset + prefetchVectors)
            let x = FloatVector(repeating: a[k])
            c00 = c00.addingProduct(x, p0[offset])
            c01 = c01.addingProduct(x, p0[offset + 1])
            c10 = c10.addingProduct(x, p1[offset])
            c11 = c11.addingProduct(x, p1[offset + 1])
            c20 = c20.addingProduct(x, p2[offset])
            c21 = c21.addingProduct(x, p2[offset + 1])
            c30 = c30.addingProduct(x, p3[offset])
            c31 = c31.addingProduct(x, p3[offset + 1])
        }
        let low = FloatVector(repeating: lower)
        let high = FloatVector(repeating: upper)
        let results = (
            c00.clamped(low, high), c01.clamped(low, high), c10.clamped(low, high), c11.clamped(low, high),
            c20.clamped(low, high), c21.clamped(low, high), c30.clamped(low, high), c31.clamped(low, high)
        )
        withUnsafeBytes(of: results) { bytes in
            let row = bytes.baseAddress!.assumingMemoryBound(to: Float.self)
            c.update(from: row, count: columnCount)
        }
    }

    /// `run` for 1...3 rows: 6 accumulators; reads `rowPointers[s * 6 + r]` for r < 3 only.
    @inline(never)
    static func runHalf(
        segmentCount: Int, segmentLength: Int, rowPointers: UnsafePointer<UnsafePointer<Float>>, rowCount: Int,
        panel: UnsafePointer<Float>, bias: UnsafePointer<Float>,
        c: UnsafeMutablePointer<Float>, cRowStride: Int, columnCount: Int,
        lower: Float, upper: Float
    ) {
        let biasVectors = UnsafeRawPointer(bias).assumingMemoryBound(to: FloatVector.self)
        let bias0 = biasVectors[0]
        let bias1 = biasVectors[1]
        var c00 = bias0, c01 = bias1, c10 = bias0, c11 = bias1, c20 = bias0, c21 = bias1
        var b = UnsafeRawPointer(panel).assumingMemoryBound(to: FloatVector.self)
        var pointers = rowPointers
        for _ in 0..<segmentCount {
            let a0 = pointers[0]
            let a1 = rowCount > 1 ? pointers[1] : a0
            let a2 = rowCount > 2 ? pointers[2] : a0
            pointers += rows
            for k in 0..<segmentLength {
                let b0 = b[0]
                let b1 = b[1]
                b += 2
                var broadcast = FloatVector(repeating: a0[k])
                c00 = c00.addingProduct(broadcast, b0)
                c01 = c01.addingProduct(broadcast, b1)
                broadcast = FloatVector(repeating: a1[k])
                c10 = c10.addingProduct(broadcast, b0)
                c11 = c11.addingProduct(broadcast, b1)
                broadcast = FloatVector(repeating: a2[k])
                c20 = c20.addingProduct(broadcast, b0)
                c21 = c21.addingProduct(broadcast, b1)
            }
        }
        let low = FloatVector(repeating: lower)
        let high = FloatVector(repeating: upper)
        let results = (
            c00.clamped(low, high), c01.clamped(low, high), c10.clamped(low, high),
            c11.clamped(low, high), c20.clamped(low, high), c21.clamped(low, high)
        )
        storePartial(results, rowFloats: columns, rowCount: rowCount, columnCount: columnCount, c: c, cRowStride: cRowStride)
    }

    /// Stores the first `rowCount` rows and `columnCount` columns of a tile of clamped results held
    /// in registers (`rowFloats` floats per row) at `c`: the partial tiles at C's edges.
    @inline(__always)
    private static func storePartial<Tile>(
        _ results: Tile, rowFloats: Int, rowCount: Int, columnCount: Int, c: UnsafeMutablePointer<Float>, cRowStride: Int
    ) {
        withUnsafeBytes(of: results) { bytes in
            let tile = bytes.baseAddress!.assumingMemoryBound(to: Float.self)
            for row in 0..<rowCount {
                let target = c + row * cRowStride
                for column in 0..<columnCount { target[column] = tile[row * rowFloats + column] }
            }
        }
    }
}

extension SIMD8<Float> {
    /// Lane-wise clamp to [low, high] with compare-and-select (the generic `pointwiseMin/Max` are
    /// not inlined and cost more than a whole micro-kernel tile).
    @inline(__always)
    func clamped(_ low: SIMD8<Float>, _ high: SIMD8<Float>) -> SIMD8<Float> {
        let raised = replacing(with: low, where: self .< low)
        return raised.replacing(with: high, where: raised .> high)
    }
}
