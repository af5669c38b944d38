import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A small HTTP/1.1 server on SwiftNIO's codec, on one event-loop thread of its own, that no
/// client can hold: `HTTPServerLimits` bound the request head (431), the body, the header
/// count, idle and total connection time and the connections open at once. Each request is
/// answered by the `Responder`: at once on the server's thread, or awaited on the concurrency
/// pool, where a slow answer (a measurement) holds only its own connection. Serves the agent's
/// `/metrics` (`MetricsEndpoint`) and the HTTP latency service.
public final class BoundedHTTPServer: Sendable {
    /// The application: one request in, its answer out.
    public enum Responder: Sendable {
        /// Answered at once on the server's own thread, needing nothing else to run: for answers
        /// that take microseconds and must not wait for a busy concurrency pool (a scrape).
        case immediate(@Sendable (HTTPServerRequest) -> HTTPServerResponse)
        /// Answered on the concurrency pool: for answers that wait (for the board, a measurement).
        case awaited(@Sendable (HTTPServerRequest) async -> HTTPServerResponse)
    }

    /// The answer to a request the server refuses itself (malformed, or a head over the limits).
    public typealias RefusalAnswer = @Sendable (HTTPServerRefusal) -> HTTPServerResponse

    private let group: MultiThreadedEventLoopGroup
    private let channel: any Channel
    private let answersInFlight: AnswersInFlight
    /// The port the server listens on (the one the kernel chose when asked for port 0).
    public let port: Int

    /// Binds `host:port` (a numeric address or `localhost`) and starts serving; the requests the
    /// server refuses itself are answered by `refusals` (plain text unless given).
    /// - Throws: the system's error when the address cannot be bound (the thread is stopped again).
    public init(
        host: String, port: Int, limits: HTTPServerLimits = HTTPServerLimits(), responder: Responder,
        refusals: @escaping RefusalAnswer = HTTPServerRefusal.plainText
    ) throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let connections = ConnectionCount()
        let answersInFlight = AnswersInFlight()
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 16)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                guard connections.open(limit: limits.maxConnections) else {
                    return channel.close()
                }
                channel.closeFuture.whenComplete { _ in connections.close() }
                if let connectionTimeoutS = limits.connectionTimeoutS {
                    let timeout = channel.eventLoop.scheduleTask(in: .nanoseconds(Int64(connectionTimeoutS * 1e9))) {
                        channel.close(promise: nil)
                    }
                    channel.closeFuture.whenComplete { _ in timeout.cancel() }
                }
                return channel.eventLoop.makeCompletedFuture {
                    var decoderLimits = NIOHTTPDecoderLimitConfiguration()
                    decoderLimits.maxHeaderFieldCount = limits.maxHeaderCount
                    decoderLimits.maxHeaderFieldSize = limits.maxHeaderBytes
                    decoderLimits.maxHeaderListSize = limits.maxHeaderBytes
                    let pipeline = channel.pipeline.syncOperations
                    try pipeline.addHandler(HTTPResponseEncoder())
                    try pipeline.addHandler(ByteToMessageHandler(HTTPRequestDecoder(
                        leftOverBytesStrategy: .dropBytes, informationalResponseStrategy: .drop, limitConfiguration: decoderLimits)))
                    try pipeline.addHandler(HTTPConnectionHandler(
                        limits: limits, answersInFlight: answersInFlight, responder: responder, refusals: refusals))
                }
            }
            .childChannelOption(.maxMessagesPerRead, value: 1)
        do {
            channel = try bootstrap.bind(host: host, port: port).wait()
        } catch {
            try? group.syncShutdownGracefully()
            throw error
        }
        self.group = group
        self.answersInFlight = answersInFlight
        self.port = channel.localAddress?.port ?? port
    }

    /// Stops listening; waits up to `grace` for the requests being answered to be answered
    /// (their connections then close), then closes every connection and ends the server's thread.
    public func stop(grace: Duration = .zero) async {
        answersInFlight.stop()
        try? await channel.close()
        let deadline = ContinuousClock.now + grace
        while answersInFlight.value > 0, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        try? await group.shutdownGracefully()
    }
}

/// Connections open right now, against `HTTPServerLimits.maxConnections`.
private final class ConnectionCount: Sendable {
    private let count = Atomic<Int>(0)

    /// Counts one more connection, or refuses it when `limit` are open.
    func open(limit: Int) -> Bool {
        if count.wrappingAdd(1, ordering: .relaxed).newValue > limit {
            count.wrappingSubtract(1, ordering: .relaxed)
            return false
        }
        return true
    }

    /// Counts one connection fewer.
    func close() {
        count.wrappingSubtract(1, ordering: .relaxed)
    }
}
