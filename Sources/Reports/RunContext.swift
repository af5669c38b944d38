import FoundationEssentials
import Glibc

/// What identifies one run of edgeprobe in every record it writes: the host and a run id.
public struct RunContext: Sendable {
    /// The machine's host name.
    public let host: String
    /// A random identifier shared by every record of this process run.
    public let runId: String

    /// A context for the given host and run id.
    public init(host: String, runId: String) {
        self.host = host
        self.runId = runId
    }

    /// A context for this machine with a fresh run id.
    public static func current() -> RunContext {
        RunContext(host: hostName(), runId: UUID().uuidString.lowercased())
    }

    private static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "unknown" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
