/// Splits `items` (rows, pixels) into contiguous chunks for a parallel-for: one chunk on one
/// thread, otherwise several per thread so a slow core does not hold the others back.
struct WorkSplit: Sendable {
    /// Number of chunks.
    let count: Int
    private let items: Int
    private let chunk: Int

    /// Chunks are multiples of `granularity` items (except the last).
    init(items: Int, threads: Int, granularity: Int, chunksPerThread: Int = 8) {
        self.items = items
        let units = (items + granularity - 1) / granularity
        let wanted = threads == 1 ? 1 : threads * chunksPerThread
        let unitsPerChunk = max(1, (units + wanted - 1) / wanted)
        chunk = unitsPerChunk * granularity
        count = max(1, (items + chunk - 1) / chunk)
    }

    /// The items of chunk `index`.
    func range(_ index: Int) -> Range<Int> {
        (index * chunk)..<min(items, (index + 1) * chunk)
    }
}
