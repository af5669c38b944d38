import Glibc
import HTTPServer
import ServiceLifecycle
import Synchronization

/// The HTTP latency service as a swift-service-lifecycle `Service`: `POST /v1/latency` (an
/// architecture spec in, a `latency` record out) and `GET /v1/health`, served by the shared
/// `BoundedHTTPServer` (SwiftNIO's HTTP/1 codec) under `limits(for:idleTimeout:)`. `run()`
/// returns after a graceful shutdown, once the server has stopped.
public final class LatencyService: Service, Sendable {
    /// The request logic (auth, limits, queue, measurement).
    public let handler: LatencyServiceHandler
    private let limits: HTTPServerLimits
    /// The port once `run()` listens (or why it could not), and whoever waits for it in `boundPort()`.
    private let listening = Mutex<(port: Result<Int, LatencyServiceError>?, waiters: [CheckedContinuation<Int, any Error>])>((nil, []))

    /// A service for `configuration`.
    /// - Throws: `LatencyServiceError.configuration` (bad address, non-loopback without a token, bad token file).
    public convenience init(configuration: LatencyServiceConfiguration) throws(LatencyServiceError) {
        try self.init(handler: LatencyServiceHandler(configuration: configuration))
    }

    /// Longest a client connection may stay silent (idle between requests, or stalled in the
    /// middle of one) before it is closed.
    public static let defaultIdleTimeout: Duration = .seconds(30)

    /// Largest request head (request line and header fields): a client sends a few hundred bytes.
    public static let maxHeaderBytes = 16 * 1024

    /// What one client may take from the service: a head of `maxHeaderBytes` and 100 fields, the
    /// configured body limit, `idleTimeout` of silence while no request is being answered (an
    /// answer itself may take the whole request timeout); connections for every queued request,
    /// the one measuring and 32 more (health checks).
    public static func limits(for configuration: LatencyServiceConfiguration, idleTimeout: Duration) -> HTTPServerLimits {
        let idle = idleTimeout.components
        return HTTPServerLimits(
            maxHeaderBytes: maxHeaderBytes, maxHeaderCount: 100, maxBodyBytes: configuration.maxBodyBytes,
            idleTimeoutS: Double(idle.seconds) + Double(idle.attoseconds) * 1e-18, connectionTimeoutS: nil,
            maxConnections: configuration.maxQueue + 33, keepAlive: true)
    }

    /// A service around an existing handler (tests pass one with a stand-in measurer), closing
    /// connections silent for `idleTimeout`.
    /// - Throws: `LatencyServiceError.configuration` when the host is not a numeric address or `localhost`.
    public init(handler: LatencyServiceHandler, idleTimeout: Duration = defaultIdleTimeout) throws(LatencyServiceError) {
        let host = handler.configuration.host
        guard host == "localhost" || Self.isNumericAddress(host) else {
            throw .configuration("cannot listen on '\(host)': not a numeric IPv4 or IPv6 address, nor localhost")
        }
        self.handler = handler
        limits = Self.limits(for: handler.configuration, idleTimeout: idleTimeout)
    }

    /// Serves until cancelled or asked to shut down gracefully.
    /// - Throws: `LatencyServiceError.configuration` when the address cannot be bound.
    public func run() async throws {
        let configuration = handler.configuration
        let host = configuration.host == "localhost" ? "127.0.0.1" : configuration.host
        let responder = BoundedHTTPServer.Responder.awaited { [handler] request in
            Self.response(await handler.handle(request))
        }
        let server: BoundedHTTPServer
        do {
            // Requests the server refuses itself (malformed, a head over the limits) get the same JSON error shape.
            server = try BoundedHTTPServer(host: host, port: configuration.port, limits: limits, responder: responder) { [handler] refusal in
                Self.response(handler.error(refusal.status, refusal.problem, field: refusal.part.rawValue))
            }
        } catch {
            let failure = LatencyServiceError.configuration(
                "cannot serve on \(configuration.listen): \(error) (is the port taken? Under systemd the unit "
                    + "must allow AF_INET/AF_INET6 and not set PrivateNetwork: see Docs/agent.md)")
            announce(.failure(failure))
            throw failure
        }
        announce(.success(server.port))
        // Graceful shutdown sends the time to wait for the answers in flight; cancellation ends the wait with none.
        let (stopped, stop) = AsyncStream<Duration>.makeStream()
        var grace = Duration.zero
        await withGracefulShutdownHandler {
            for await value in stopped {
                grace = value
                break
            }
        } onGracefulShutdown: { [handler] in
            // A measurement may run for a minute: stop it between iterations, so that it and every
            // waiting request are answered 503 at once, and give those answers time to be written.
            handler.stopMeasuring()
            stop.yield(Self.answerGrace)
        }
        await server.stop(grace: grace)
    }

    /// Longest a graceful shutdown waits for the requests in flight to be answered (a stopped
    /// measurement ends after its current iteration) before the server stops.
    public static let answerGrace: Duration = .milliseconds(1500)

    /// The port actually bound (useful with port 0), once `run()` listens.
    /// - Throws: the reason `run()` could not listen.
    public func boundPort() async throws -> Int {
        try await withCheckedThrowingContinuation { continuation in
            let known = listening.withLock { state -> Result<Int, LatencyServiceError>? in
                if state.port == nil { state.waiters.append(continuation) }
                return state.port
            }
            if let known { continuation.resume(with: known.mapError { $0 as any Error }) }
        }
    }

    private func announce(_ port: Result<Int, LatencyServiceError>) {
        let waiters = listening.withLock { state in
            state.port = port
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(with: port.mapError { $0 as any Error }) }
    }

    private static func isNumericAddress(_ host: String) -> Bool {
        var storage = [UInt8](repeating: 0, count: 16)
        return inet_pton(host.contains(":") ? AF_INET6 : AF_INET, host, &storage) == 1
    }

    // MARK: - HTTP translation

    private static func response(_ answer: LatencyServiceHandler.Response) -> HTTPServerResponse {
        HTTPServerResponse(status: answer.status, contentType: "application/json", headers: answer.headers, body: answer.body)
    }
}

// MARK: - Standalone

import Logging

extension LatencyService {
    /// Runs this service alone in a `ServiceGroup` until SIGTERM or SIGINT, shutting down gracefully
    /// (what `edgeprobe latency serve` and the agent's latency-service child do). Once the socket
    /// listens, `announce` gets `serving on http://HOST:PORT` with the port actually bound (the
    /// kernel's choice for port 0), so whoever started the process can connect without guessing.
    public func runUntilSignalled(announce: @escaping @Sendable (String) -> Void) async throws {
        let configuration = handler.configuration
        Task {
            if let bound = try? await boundPort() {
                announce(configuration.listen.servingAnnouncement(boundPort: bound))
            }
        }
        var logger = Logger(label: "edgeprobe.latency-service")
        logger.logLevel = .warning
        let group = ServiceGroup(services: [self], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        try await group.run()
    }
}
