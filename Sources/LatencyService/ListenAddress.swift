/// Where the latency service listens, written `host:port` (`127.0.0.1:8321`, `[::1]:8321`,
/// `0.0.0.0:0` for a free port), as `latency --serve --listen` and the agent's
/// `latency_service.listen` take it.
public struct ListenAddress: Sendable, Equatable, CustomStringConvertible {
    /// The address to bind (brackets of an IPv6 address removed).
    public var host: String
    /// The TCP port, 0 ... 65535 (0 asks the kernel for a free one).
    public var port: Int

    /// An address as given.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `host:port`; `nil` when there is no host, no port, or the port is out of range.
    public init?(parsing text: String) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
              (0...65_535).contains(port) else { return nil }
        var host = text[..<colon]
        if host.hasPrefix("["), host.hasSuffix("]") { host = host.dropFirst().dropLast() }
        guard !host.isEmpty else { return nil }
        self.init(host: String(host), port: port)
    }

    /// What `init(parsing:)` expects, for error messages.
    public static let expected = "host:port, e.g. 127.0.0.1:8321 or [::1]:8321"

    /// `host:port`, with an IPv6 host in brackets.
    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
