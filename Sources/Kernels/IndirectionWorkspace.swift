/// What an indirect-GEMM `Convolution` keeps from one call to the next instead of rebuilding it
/// (XNNPACK builds its indirection buffer once, at setup): the indirection pointers of every tile,
/// valid as long as the input buffer is the same (the layer's shape never changes), and the
/// zero-padded copy of the input for small padded layers, whose borders stay zero.
///
/// One call uses a workspace at a time (see `LayerWorkspaces`); within the call, each tile's
/// slot is written by the one worker that computes that tile.
final class IndirectionWorkspace: @unchecked Sendable {
    /// Tiles per group.
    let tiles: Int
    /// The pointers of tile `t`, group `g` start at `pointers + slot(t, g) * pointersPerSlot`.
    let pointers: UnsafeMutablePointer<UnsafePointer<Float>>
    /// The run layout `fill` returned for each slot: its run count at `2 * slot`, their length at
    /// `2 * slot + 1` (what the tile kernels read, `FloatKernels.IndirectTiles`).
    let layouts: UnsafeMutablePointer<Int>
    /// Pointer stride of a slot: the most a tile needs, rounded up to whole cache lines.
    let pointersPerSlot: Int
    /// The zero-padded copy of the input, or nil when the layer reads its input directly.
    let paddedInput: AlignedBuffer?
    /// The input `pointers` point into; nil until a call has filled them.
    var tableInput: UnsafePointer<Float>?
    private let slotCount: Int
    /// The work split of the last call, and the thread count it was made for.
    private var lastSplit: (threads: Int, split: WorkSplit)?

    /// Room for `tiles` tiles of `groups` groups, each needing up to `pointersPerTile` pointers, and
    /// for a padded input of `paddedInputCount` floats (nil for none).
    init(tiles: Int, groups: Int, pointersPerTile: Int, paddedInputCount: Int?) {
        self.tiles = tiles
        slotCount = max(tiles * groups, 1)
        pointersPerSlot = (pointersPerTile + 7) / 8 * 8
        let pointerCount = slotCount * pointersPerSlot
        pointers = UnsafeMutableRawPointer.allocate(
            byteCount: pointerCount * MemoryLayout<UnsafePointer<Float>>.stride, alignment: 64
        ).bindMemory(to: UnsafePointer<Float>.self, capacity: pointerCount)
        layouts = .allocate(capacity: 2 * slotCount)
        layouts.initialize(repeating: 0, count: 2 * slotCount)
        paddedInput = paddedInputCount.map { AlignedBuffer(count: $0) }
    }

    /// The slot of tile `tile` of group `group`: a group's tiles follow each other, so one kernel
    /// call runs a range of them.
    @inline(__always)
    func slot(tile: Int, group: Int) -> Int { group * tiles + tile }

    /// The work split for `threads` threads: the last call's when it had as many, else `make(threads)`.
    @inline(__always)
    func split(threads: Int, make: (Int) -> WorkSplit) -> WorkSplit {
        if let lastSplit, lastSplit.threads == threads { return lastSplit.split }
        let split = make(threads)
        lastSplit = (threads, split)
        return split
    }

    deinit {
        pointers.deallocate()
        layouts.deallocate()
    }
}
