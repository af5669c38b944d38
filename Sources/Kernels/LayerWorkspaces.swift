import Synchronization

/// The idle workspaces of one layer: the scratch a kernel keeps from one call to the next instead
/// of allocating it again (an indirect GEMM's indirection table, an int8 layer's quantized input, a
/// separable block's band buffers). A call takes one (making it on first use) and gives it back when
/// done, so calls running at once on different threads never share a workspace, and a layer
/// called from one thread at a time keeps exactly one.
///
/// The last workspace given back waits in a one-slot atomic: a layer called from one thread at a
/// time takes and returns it with one atomic exchange each, no lock and no array (which cost tiny
/// layers, ~1 µs, a few percent). Workspaces beyond it, from calls running at once, wait in a
/// mutex-guarded list.
final class LayerWorkspaces<Workspace: AnyObject & Sendable>: Sendable {
    /// The address of the most recently returned workspace (held as a +1 reference), or 0.
    private let last = Atomic<UInt>(0)
    private let idle = Mutex<[Workspace]>([])

    /// Runs `body` with a workspace no other call is using, made by `make` if none is idle.
    func withWorkspace<Result>(make: () -> Workspace, _ body: (Workspace) -> Result) -> Result {
        let workspace: Workspace
        if let taken = UnsafeRawPointer(bitPattern: last.exchange(0, ordering: .acquiring)) {
            workspace = Unmanaged<Workspace>.fromOpaque(taken).takeRetainedValue()
        } else {
            workspace = idle.withLock { $0.popLast() } ?? make()
        }
        defer { giveBack(workspace) }
        return body(workspace)
    }

    private func giveBack(_ workspace: Workspace) {
        let reference = Unmanaged.passRetained(workspace)
        let address = UInt(bitPattern: reference.toOpaque())
        let (stored, _) = last.compareExchange(expected: 0, desired: address, ordering: .releasing)
        if !stored {
            reference.release()
            idle.withLock { $0.append(workspace) }
        }
    }

    deinit {
        if let kept = UnsafeRawPointer(bitPattern: last.load(ordering: .acquiring)) {
            Unmanaged<Workspace>.fromOpaque(kept).release()
        }
    }
}

extension LayerWorkspaces where Workspace == ScratchWorkspace {
    /// Runs `body` with at least `byteCount` bytes of 64-byte aligned scratch no other call is
    /// using, kept for the layer's next call. Not zeroed: what a call reads it writes first.
    func withScratch<Result>(byteCount: Int, _ body: (UnsafeMutableRawPointer) -> Result) -> Result {
        withWorkspace(make: ScratchWorkspace.init) { body($0.reserve(byteCount: byteCount)) }
    }
}
