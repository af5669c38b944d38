import Synchronization

/// The idle workspaces of one layer: the scratch a kernel keeps from one call to the next instead
/// of allocating it again (an indirect GEMM's indirection table, an int8 layer's quantized input, a
/// separable block's band buffers). A call takes one (making it on first use) and gives it back when
/// done, so calls running at once on different threads never share a workspace, and a layer
/// called from one thread at a time keeps exactly one.
final class LayerWorkspaces<Workspace: AnyObject & Sendable>: Sendable {
    private let idle = Mutex<[Workspace]>([])

    /// Runs `body` with a workspace no other call is using, made by `make` if none is idle.
    func withWorkspace<Result>(make: () -> Workspace, _ body: (Workspace) -> Result) -> Result {
        let workspace = idle.withLock { $0.popLast() } ?? make()
        defer { idle.withLock { $0.append(workspace) } }
        return body(workspace)
    }
}

extension LayerWorkspaces where Workspace == ScratchWorkspace {
    /// Runs `body` with at least `byteCount` bytes of 64-byte aligned scratch no other call is
    /// using, kept for the layer's next call. Not zeroed: what a call reads it writes first.
    func withScratch<Result>(byteCount: Int, _ body: (UnsafeMutableRawPointer) -> Result) -> Result {
        withWorkspace(make: ScratchWorkspace.init) { body($0.reserve(byteCount: byteCount)) }
    }
}
