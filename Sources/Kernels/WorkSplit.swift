/// Splits `items` (rows, pixels) into contiguous chunks for a parallel-for: one chunk on one
/// thread or for tiny layers (where waking a worker costs more than the work), otherwise several
/// per thread so a slow or preempted core does not hold the others back.
struct WorkSplit: Sendable {
    /// Multiply-accumulates below which a chunk is not worth handing to another thread (~1-2 µs).
    static let minimumMACsPerChunk = 100_000

    /// Number of chunks.
    let count: Int
    private let items: Int
    private let chunk: Int

    /// Chunks are multiples of `granularity` items (except the last); `macsPerItem` sizes the work.
    init(items: Int, threads: Int, granularity: Int, macsPerItem: Int, chunksPerThread: Int = 8) {
        self.items = items
        let units = (items + granularity - 1) / granularity
        let worthwhile = max(1, items * macsPerItem / Self.minimumMACsPerChunk)
        let wanted = threads == 1 ? 1 : min(threads * chunksPerThread, worthwhile)
        let unitsPerChunk = max(1, (units + wanted - 1) / wanted)
        chunk = unitsPerChunk * granularity
        count = max(1, (items + chunk - 1) / chunk)
    }

    /// The items of chunk `index`.
    func range(_ index: Int) -> Range<Int> {
        (index * chunk)..<min(items, (index + 1) * chunk)
    }
}
