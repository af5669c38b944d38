import FlyingFox
import FlyingSocks
import Foundation
import ServiceLifecycle
import Synchronization

/// The HTTP latency service as a swift-service-lifecycle `Service`: `POST /v1/latency` (an
/// architecture spec in, a `latency` record out) and `GET /v1/health`, served by FlyingFox.
/// `run()` returns after a graceful shutdown, once the server has stopped.
public final class LatencyService: Service, Sendable {
    /// The request logic (auth, limits, queue, measurement).
    public let handler: LatencyServiceHandler
    private let server: HTTPServer

    /// A service for `configuration`.
    /// - Throws: `LatencyServiceError.configuration` (bad address, non-loopback without a token, bad token file).
    public convenience init(configuration: LatencyServiceConfiguration) throws(LatencyServiceError) {
        try self.init(handler: LatencyServiceHandler(configuration: configuration))
    }

    /// Longest a client connection may stay silent (idle between requests, or stalled in the
    /// middle of one) before it is closed.
    public static let defaultIdleTimeout: Duration = .seconds(30)

    /// A service around an existing handler (tests pass one with a stand-in measurer), closing
    /// connections silent for `idleTimeout`.
    public init(handler: LatencyServiceHandler, idleTimeout: Duration = defaultIdleTimeout) throws(LatencyServiceError) {
        let configuration = handler.configuration
        let address: any SocketAddress
        do {
            address = configuration.host.contains(":")
                ? try sockaddr_in6.inet6(ip6: configuration.host, port: UInt16(configuration.port))
                : try sockaddr_in.inet(ip4: configuration.host == "localhost" ? "127.0.0.1" : configuration.host,
                                       port: UInt16(configuration.port))
        } catch {
            throw .configuration("cannot listen on '\(configuration.host)': \(error)")
        }
        self.handler = handler
        // The service enforces its own request timeout (504); FlyingFox's is only a backstop.
        server = HTTPServer(
            config: HTTPServer.Configuration(
                address: address, timeout: configuration.requestTimeoutS + 30,
                pool: IdleTimeoutSocketPool(base: HTTPServer.defaultPool(), timeout: idleTimeout), logger: .disabled),
            handler: Adapter(handler: handler, bodyLimit: configuration.maxBodyBytes))
    }

    /// Serves until cancelled or asked to shut down gracefully.
    public func run() async throws {
        let stopping = Atomic<Bool>(false)
        try await withGracefulShutdownHandler { [handler] in
            do {
                try await server.run()
            } catch where stopping.load(ordering: .acquiring) {
                // Stopping closes the listening socket under the accept loop: expected, not a failure.
            } catch {
                throw LatencyServiceError.configuration(
                    "cannot serve on \(handler.configuration.listen): \(error) (is the port taken? Under systemd the unit "
                        + "must allow AF_INET/AF_INET6 and not set PrivateNetwork: see Docs/agent.md)")
            }
        } onGracefulShutdown: { [server, handler] in
            stopping.store(true, ordering: .releasing)
            // A measurement may run for a minute: stop it between iterations, so that it and every
            // waiting request are answered 503 at once. FlyingFox's stop always waits its whole
            // timeout (its accept loop does not notice the closed socket), so wait for the answers
            // here and give the server only the moment it needs to write them.
            handler.stopMeasuring()
            Task {
                let deadline = ContinuousClock.now + Self.answerGrace
                while handler.requestsInFlight > 0, ContinuousClock.now < deadline {
                    try? await Task.sleep(for: .milliseconds(10))
                }
                await server.stop(timeout: 0.2)
            }
        }
    }

    /// Longest a graceful shutdown waits for the requests in flight to be answered (a stopped
    /// measurement ends after its current iteration) before the server stops.
    public static let answerGrace: Duration = .milliseconds(1500)

    /// The port actually bound (useful with port 0), once listening.
    public func boundPort() async throws -> Int {
        try await server.waitUntilListening(timeout: 10)
        switch await server.listeningAddress {
        case .ip4(_, let port), .ip6(_, let port): return Int(port)
        default: return handler.configuration.port
        }
    }

}

// MARK: - HTTP adapter

/// Carries every FlyingFox request to the handler and its answer back.
private struct Adapter: HTTPHandler {
    let handler: LatencyServiceHandler
    let bodyLimit: Int

    /// Translates a request, reading at most `bodyLimit + 1` body bytes.
    func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse {
        var query: [String: String] = [:]
        for item in request.query { query[item.name] = item.value }
        let declared = request.headers[.contentLength].flatMap { Int($0) }
        var body: [UInt8] = []
        if declared.map({ $0 <= bodyLimit }) ?? true {
            do {
                for try await chunk in request.bodySequence {
                    body.append(contentsOf: chunk)
                    if body.count > bodyLimit { break }
                }
            } catch {
                return Self.response(handler.error(400, "cannot read the request body: \(error)", field: "body"))
            }
        }
        let answer = await handler.handle(LatencyServiceHandler.Request(
            method: request.method.rawValue, path: request.path, query: query,
            authorization: request.headers[.authorization], body: body, declaredLength: declared))
        return Self.response(answer)
    }

    private static func response(_ answer: LatencyServiceHandler.Response) -> HTTPResponse {
        var headers = HTTPHeaders()
        headers[.contentType] = "application/json"
        for (name, value) in answer.headers { headers[HTTPHeader(name)] = value }
        return HTTPResponse(statusCode: HTTPStatusCode(answer.status, phrase: phrase(answer.status)), headers: headers,
                            body: Data(answer.body))
    }

    private static func phrase(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 413: "Content Too Large"
        case 422: "Unprocessable Content"
        case 429: "Too Many Requests"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        default: "Error"
        }
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
                announce("serving on http://\(ListenAddress(host: configuration.host, port: bound))")
            }
        }
        var logger = Logger(label: "edgeprobe.latency-service")
        logger.logLevel = .warning
        let group = ServiceGroup(services: [self], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        try await group.run()
    }
}
