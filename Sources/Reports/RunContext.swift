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
        RunContext(host: hostName(), runId: randomUUID())
    }

    /// A random (version 4) UUID in lower-case hex, `8-4-4-4-12`.
    static func randomUUID() -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes = (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        bytes[6] = bytes[6] & 0x0F | 0x40
        bytes[8] = bytes[8] & 0x3F | 0x80
        let hex = bytes.map { byte in
            let digits = String(byte, radix: 16)
            return byte < 16 ? "0" + digits : digits
        }
        return [0..<4, 4..<6, 6..<8, 8..<10, 10..<16].map { hex[$0].joined() }.joined(separator: "-")
    }

    private static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "unknown" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
