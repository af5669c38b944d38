/// Why the latency service cannot start.
public enum LatencyServiceError: Error, Equatable, CustomStringConvertible {
    /// The configuration is unusable; the text says why.
    case configuration(String)

    public var description: String {
        switch self {
        case .configuration(let problem): "latency service: \(problem)"
        }
    }
}
