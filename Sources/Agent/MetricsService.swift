import AgentConfig
import HTTPServer
import ServiceLifecycle

/// Serves `GET /metrics` at `metrics.listen` (`MetricsEndpoint` on a `BoundedHTTPServer`, on a thread of its own)
/// until graceful shutdown. A scrape renders `AgentMetrics` at that moment; two samples later
/// the sampling loop drops the code pages the scrape faulted in (`releaseCodePagesSoon`).
///
/// Once it listens it says where through `announce` (the executables pass `printError`, as they
/// do to the latency service): `serving on http://HOST:PORT/metrics`, with the port the kernel
/// chose for port 0.
/// An address that cannot be bound (a taken port) is an error that stops the agent, as a
/// taken latency-service port does: systemd's `Restart=on-failure` tries again.
public struct MetricsService: Service {
    private let context: AgentContext
    private let listen: ListenAddress
    private let bearerToken: [UInt8]?
    private let announce: @Sendable (String) -> Void

    /// A service for `context` listening on `listen`, requiring `bearerToken` when given, telling
    /// `announce` where it serves once it listens.
    public init(context: AgentContext, listen: ListenAddress, bearerToken: [UInt8]?, announce: @escaping @Sendable (String) -> Void) {
        self.context = context
        self.listen = listen
        self.bearerToken = bearerToken
        self.announce = announce
    }

    /// Serves until graceful shutdown.
    /// - Throws: `MetricsServiceError` when the address cannot be bound.
    public func run() async throws {
        let context = self.context
        let endpoint = MetricsEndpoint(bearerToken: bearerToken) {
            let exposition = context.metrics.render()
            // What the scrape ran is not needed until the next one, 15 s away at Prometheus' usual interval.
            context.releaseCodePagesSoon()
            return exposition
        }
        let server: BoundedHTTPServer
        do {
            server = try BoundedHTTPServer(host: listen.host, port: listen.port, responder: .immediate { endpoint.respond(to: $0) })
        } catch {
            throw MetricsServiceError(problem: "cannot serve metrics on \(listen): \(error)")
        }
        announce(listen.servingAnnouncement(boundPort: server.port, path: "/metrics"))
        try? await gracefulShutdown()
        await server.stop()
    }
}

/// The metrics endpoint could not start.
public struct MetricsServiceError: Error, CustomStringConvertible {
    /// What went wrong, naming the address.
    public let problem: String

    public var description: String { problem }
}
