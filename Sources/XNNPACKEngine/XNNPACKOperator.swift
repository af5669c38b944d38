import XNNPACKShim

/// One created XNNPACK operator, deleted with its owner.
final class XNNPACKOperator: @unchecked Sendable {
    let pointer: OpaquePointer
    /// What the operator does, for error messages.
    let label: String

    /// Runs `create` and takes ownership of the operator it makes.
    init(_ label: String, create: (UnsafeMutablePointer<OpaquePointer?>) -> Int32) throws(XNNPACKError) {
        try XNNPACK.initialize()
        var made: OpaquePointer?
        let status = create(&made)
        if status != 0 { ep_xnn_delete(made) }
        try XNNPACKError.check(status, "create \(label)")
        guard let made else { throw XNNPACKError(operation: "create \(label)", problem: "no operator returned") }
        pointer = made
        self.label = label
    }

    /// Binds the operator to its buffers with `setup`.
    func setUp(_ setup: (OpaquePointer) -> Int32) throws(XNNPACKError) {
        try XNNPACKError.check(setup(pointer), "set up \(label)")
    }

    /// Runs the set-up operator. XNNPACK fails a run only for an operator never set up, which
    /// `XNNPACKOperator`'s owners rule out, so a failure is a programming error.
    @inline(__always)
    func run(_ threads: XNNPACKThreads) {
        let status = ep_xnn_run(pointer, threads.pool)
        precondition(status == 0, "XNNPACK: run \(label) failed: \(String(cString: ep_xnn_status_name(status)))")
    }

    deinit {
        ep_xnn_delete(pointer)
    }
}
