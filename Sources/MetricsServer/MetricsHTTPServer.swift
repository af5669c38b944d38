import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// Serves `GET /metrics` in Prometheus' text exposition format on one SwiftNIO event-loop thread
/// of its own. Every other path is 404, every other method on `/metrics` 405; with a bearer
/// token, a request without `Authorization: Bearer <token>` is 401. One request per connection
/// (`Connection: close`): a scraper connects every scrape interval, so nothing idles open.
///
/// `render` is called on the server's thread for each admitted request; it must only copy what
/// it needs under a short lock, so a slow or hostile client can never stall the caller's
/// sampling. Limits (`MetricsServerLimits`) bound the request size, the header count, the
/// time a connection may take and how many are open at once.
public final class MetricsHTTPServer: Sendable {
    /// The exposition served at `/metrics`.
    public typealias Render = @Sendable () -> [UInt8]

    private let group: MultiThreadedEventLoopGroup
    private let channel: any Channel
    /// The port the server listens on (the one the kernel chose when asked for port 0).
    public let port: Int

    /// Binds `host:port` (a numeric address or `localhost`) and starts serving.
    /// - Throws: the system's error when the address cannot be bound (the thread is stopped again).
    public init(host: String, port: Int, bearerToken: [UInt8]?, limits: MetricsServerLimits = MetricsServerLimits(), render: @escaping Render) throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let connections = ConnectionCount()
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 16)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                guard connections.open(limit: limits.maxConnections) else {
                    return channel.close()
                }
                channel.closeFuture.whenComplete { _ in connections.close() }
                let timeout = channel.eventLoop.scheduleTask(in: .nanoseconds(Int64(limits.connectionTimeoutS * 1e9))) {
                    channel.close(promise: nil)
                }
                channel.closeFuture.whenComplete { _ in timeout.cancel() }
                return channel.eventLoop.makeCompletedFuture {
                    var decoderLimits = NIOHTTPDecoderLimitConfiguration()
                    decoderLimits.maxHeaderFieldCount = limits.maxHeaderCount
                    decoderLimits.maxHeaderFieldSize = limits.maxRequestBytes
                    decoderLimits.maxHeaderListSize = limits.maxRequestBytes
                    let pipeline = channel.pipeline.syncOperations
                    try pipeline.addHandler(RequestSizeLimit(maxBytes: limits.maxRequestBytes))
                    try pipeline.addHandler(HTTPResponseEncoder())
                    try pipeline.addHandler(ByteToMessageHandler(HTTPRequestDecoder(
                        leftOverBytesStrategy: .dropBytes, informationalResponseStrategy: .drop, limitConfiguration: decoderLimits)))
                    try pipeline.addHandler(HTTPServerProtocolErrorHandler())
                    try pipeline.addHandler(MetricsRequestHandler(bearerToken: bearerToken, render: render))
                }
            }
            .childChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 1)
        do {
            channel = try bootstrap.bind(host: host, port: port).wait()
        } catch {
            try? group.syncShutdownGracefully()
            throw error
        }
        self.group = group
        self.port = channel.localAddress?.port ?? port
    }

    /// Stops listening, closes open connections and ends the server's thread.
    public func stop() async {
        try? await channel.close()
        try? await group.shutdownGracefully()
    }
}

/// Connections open right now, against `MetricsServerLimits.maxConnections`.
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
