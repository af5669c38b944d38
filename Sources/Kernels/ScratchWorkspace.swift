/// Scratch memory a layer keeps between calls (one per concurrent call, see `LayerWorkspaces`):
/// 64-byte aligned, grown when a call needs more (a pool with more threads, say), never shrunk.
final class ScratchWorkspace: @unchecked Sendable {
    private var storage: UnsafeMutableRawPointer?
    private var capacity = 0

    /// At least `byteCount` bytes; what the previous call left there is undefined after a growth.
    func reserve(byteCount: Int) -> UnsafeMutableRawPointer {
        if let storage, capacity >= byteCount { return storage }
        storage?.deallocate()
        let grown = UnsafeMutableRawPointer.allocate(byteCount: max(byteCount, 1), alignment: 64)
        storage = grown
        capacity = byteCount
        return grown
    }

    deinit {
        storage?.deallocate()
    }
}
