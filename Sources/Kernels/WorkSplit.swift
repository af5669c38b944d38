/// Splits `items` (rows, pixels) into contiguous chunks for a parallel-for: one chunk on one
/// thread or for tiny layers (where waking a worker costs more than the work), otherwise several
/// per thread so a slow or preempted core does not hold the others back.
///
/// Chunks differ by at most one unit of `granularity` items (only the very last unit may be
/// short), so the thread pool's equal shares of chunks are equal shares of work. Chunks of one
/// size and a short remainder were not: 392 eight-pixel tiles in 16 chunks of 25 left 17 for the
/// last, and on 2 threads one share held 200 tiles, the other 192.
struct WorkSplit: Sendable {
    /// Multiply-accumulates below which a chunk is not worth handing to another thread (~1-2 µs).
    static let minimumMACsPerChunk = 100_000

    /// Number of chunks.
    let count: Int
    private let items: Int
    private let units: Int
    private let granularity: Int

    /// Chunks are whole multiples of `granularity` items (but the layer's last, short unit);
    /// `macsPerItem` sizes the work.
    init(items: Int, threads: Int, granularity: Int, macsPerItem: Int, chunksPerThread: Int = 8) {
        let worthwhile = max(1, items * macsPerItem / Self.minimumMACsPerChunk)
        let wanted = threads == 1 ? 1 : min(threads * chunksPerThread, worthwhile)
        self.init(items: items, granularity: granularity, chunks: wanted)
    }

    /// `chunks` chunks (fewer when there are fewer units) of whole `granularity`-item units.
    init(items: Int, granularity: Int, chunks: Int) {
        self.items = items
        self.granularity = granularity
        units = (items + granularity - 1) / granularity
        count = max(1, min(units, chunks))
    }

    /// The items of chunk `index`.
    func range(_ index: Int) -> Range<Int> {
        // Units start below `items` (count <= units); only the last may end past it.
        (index * units / count * granularity)..<min(items, (index + 1) * units / count * granularity)
    }
}
