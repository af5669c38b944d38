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
    private let rows: Int
    private let rowChunk: Int
    private let panels: Int
    private let panelChunk: Int
    private let panelChunkCount: Int

    /// Tasks for `rows` x `panels` costing `macs` multiply-accumulates in all, on `threads` threads.
    /// Row chunks are whole micro-kernel tiles, so a row's tile (and its result, bit for bit) does not
    /// depend on the split.
    init(rows: Int, panels: Int, threads: Int, macs: Int, chunksPerThread: Int = 8) {
        self.rows = rows
        self.panels = panels
        let tile = GEMMMicroKernel.rows
        let rowTiles = (rows + tile - 1) / tile
        let worthwhile = max(1, macs / WorkSplit.minimumMACsPerChunk)
        let wanted = threads == 1 ? 1 : min(threads * chunksPerThread, worthwhile)
        let rowChunks: Int
        let panelChunks: Int
        if rowTiles >= wanted || panels == 1 {
            (rowChunks, panelChunks) = (min(rowTiles, wanted), 1)
        } else {
            panelChunks = min(panels, wanted)
            rowChunks = max(1, min(rowTiles, wanted / panelChunks))
        }
        rowChunk = max(1, (rowTiles + rowChunks - 1) / rowChunks) * tile
        panelChunk = max(1, (panels + panelChunks - 1) / panelChunks)
        panelChunkCount = max(1, (panels + panelChunk - 1) / panelChunk)
        count = max(1, (rows + rowChunk - 1) / rowChunk) * panelChunkCount
    }

    /// The rows and panels of task `index` (neighbouring indices share rows, so a worker's
    /// contiguous share of tasks covers neighbouring panels of the same rows).
    func task(_ index: Int) -> (rows: Range<Int>, panels: Range<Int>) {
        let rowIndex = index / panelChunkCount
        let panelIndex = index % panelChunkCount
        return ((rowIndex * rowChunk)..<min(rows, (rowIndex + 1) * rowChunk),
                (panelIndex * panelChunk)..<min(panels, (panelIndex + 1) * panelChunk))
    }
}
