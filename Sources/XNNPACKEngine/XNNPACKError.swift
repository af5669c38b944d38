import XNNPACKShim

/// A failed XNNPACK call or a layer XNNPACK cannot be given: what was asked and why it failed.
public struct XNNPACKError: Error, Sendable, CustomStringConvertible {
    /// What edgeprobe asked for, e.g. `create convolution 56x56x64 -> 56x56x64, k3x3 s1x1 p1 g1`.
    public let operation: String
    /// XNNPACK's status name (`invalid_parameter`, `unsupported_hardware`, ...) or the problem found.
    public let problem: String

    /// Throws unless `status` is XNNPACK's success (0).
    static func check(_ status: Int32, _ operation: @autoclosure () -> String) throws(XNNPACKError) {
        if status != 0 { throw XNNPACKError(operation: operation(), problem: String(cString: ep_xnn_status_name(status))) }
    }

    public var description: String { "XNNPACK: \(operation) failed: \(problem)" }
}
