/// Splits a pointwise GEMM (C = A x B with `rows` pixels and `panels` panels of 16 output channels)
/// into tasks for a parallel-for.
///
/// Layers with enough row tiles for every chunk split along rows only, as `WorkSplit` does. Late
/// layers (a few pixels, hundreds of channels) and fully connected layers (one row) have too few
/// row tiles to keep two threads busy, or to split them evenly (9 pixels = a 6-row and a 3-row
/// tile): they split along panels instead, so each thread streams its own part of the weights,
/// which is what bounds those layers.
struct GEMMWorkSplit: Sendable {
    /// Number of tasks.
    let count: Int
    private let rowChunks: WorkSplit
    private let panelChunks: WorkSplit

    /// Tasks for `rows` x `panels` costing `macs` multiply-accumulates in all, on `threads` threads.
    /// Row chunks are whole tiles of `tileRows` (the kernel path's tile height), so no chunk ends in
    /// a short tile but the last: with 6-row chunks on the 12-row AVX512F tile, 196 rows became 11
    /// chunks of 12 + 6 rows, one thread ran 6 of them and the other 5.
    /// A short last tile never makes a chunk alone (49 rows in tiles of 12: at most 4 row chunks, the
    /// last 12 + 1 rows), since a chunk of a few rows streams every panel of its weights for them.
    init(rows: Int, tileRows tile: Int, panels: Int, threads: Int, macs: Int, chunksPerThread: Int = 8) {
        let rowTiles = (rows + tile - 1) / tile
        let rowChunksAtMost = rows % tile == 0 ? rowTiles : max(1, rowTiles - 1)
        let worthwhile = max(1, macs / WorkSplit.minimumMACsPerChunk)
        let wanted = threads == 1 ? 1 : min(threads * chunksPerThread, worthwhile)
        let (rowChunkCount, panelChunkCount): (Int, Int)
        if rowTiles >= wanted || panels == 1 {
            (rowChunkCount, panelChunkCount) = (wanted, 1)
        } else {
            panelChunkCount = min(panels, wanted)
            rowChunkCount = max(1, min(rowTiles, wanted / panelChunkCount))
        }
        rowChunks = WorkSplit(items: rows, granularity: tile, chunks: min(rowChunkCount, rowChunksAtMost))
        panelChunks = WorkSplit(items: panels, granularity: 1, chunks: panelChunkCount)
        count = rowChunks.count * panelChunks.count
    }

    /// The rows and panels of task `index` (neighbouring indices share rows, so a worker's
    /// contiguous share of tasks covers neighbouring panels of the same rows).
    func task(_ index: Int) -> (rows: Range<Int>, panels: Range<Int>) {
        (rowChunks.range(index / panelChunks.count), panelChunks.range(index % panelChunks.count))
    }
}
