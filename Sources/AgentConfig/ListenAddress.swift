import Glibc

/// Where the latency service listens, written `host:port` (`127.0.0.1:8321`, `[::1]:8321`,
/// `0.0.0.0:0` for a free port), as `latency serve --listen` and the agent's
/// `latency_service.listen` take it. Here, below the latency service, so that the agent's
/// configuration reads and checks it without the service's dependencies.
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

    /// Whether `host` is a loopback address (127.0.0.0/8, ::1, localhost).
    public var isLoopback: Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    /// Whether `host` is a numeric IPv4 or IPv6 address or `localhost`: the service binds
    /// addresses, it does not resolve names.
    public var hasBindableHost: Bool {
        var buffer = in6_addr()
        return host == "localhost" || inet_pton(AF_INET, host, &buffer) == 1 || inet_pton(AF_INET6, host, &buffer) == 1
    }

    /// Why the service cannot listen here, or `nil`: it binds numeric addresses and `localhost`.
    public var hostProblem: String? {
        hasBindableHost ? nil : "'\(host)' is not a numeric IPv4 or IPv6 address (or localhost)"
    }

    /// Why listening here without a bearer token is refused, or `nil` (loopback needs none).
    public func tokenProblem(hasTokenFile: Bool) -> String? {
        hasTokenFile || isLoopback ? nil : "listening on \(host) (not loopback) requires a bearer token file"
    }

    /// What a server here says once it listens: `serving on http://HOST:PORT` and `path`, with the
    /// port actually bound (the kernel's choice for port 0), so whoever started it can connect
    /// without guessing. The latency service and the agent's metrics endpoint both say it.
    public func servingAnnouncement(boundPort: Int, path: String = "") -> String {
        "serving on http://\(ListenAddress(host: host, port: boundPort))\(path)"
    }

    /// `host:port`, with an IPv6 host in brackets.
    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}

extension ConfigMapping {
    /// An optional `host:port` address; `expected` (e.g. `ListenAddress.expected`) says in the
    /// error what one looks like.
    mutating func listenAddress(_ key: String, expected: String) throws(ConfigError) -> ListenAddress? {
        guard let text = try string(key) else { return nil }
        guard let address = ListenAddress(parsing: text) else { throw error(key, "expected \(expected), got '\(text)'") }
        return address
    }
}
