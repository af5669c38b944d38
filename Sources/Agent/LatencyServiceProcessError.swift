/// The latency service's child process could not start or ended on its own.
public struct LatencyServiceProcessError: Error, CustomStringConvertible, Sendable {
    /// What happened, in the child's words where it said something.
    public let problem: String

    public var description: String { "latency service: \(problem)" }
}
