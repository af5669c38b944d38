/// What one client may take from the `/metrics` endpoint. Past a limit the client gets a 4xx or
/// its connection is closed; nothing it sends can hold the agent's sampling thread, which never
/// waits on the server.
public struct MetricsServerLimits: Sendable, Equatable {
    /// Largest request (request line, headers and any body), bytes; a scrape is a few hundred.
    public var maxRequestBytes: Int
    /// Most header fields in a request.
    public var maxHeaderCount: Int
    /// Longest a connection may stay open, from accept to the end of the answer, seconds.
    public var connectionTimeoutS: Double
    /// Connections served at once; one more is closed at once.
    public var maxConnections: Int

    /// Limits as given.
    public init(maxRequestBytes: Int = 8192, maxHeaderCount: Int = 64, connectionTimeoutS: Double = 10, maxConnections: Int = 8) {
        self.maxRequestBytes = maxRequestBytes
        self.maxHeaderCount = maxHeaderCount
        self.connectionTimeoutS = connectionTimeoutS
        self.maxConnections = maxConnections
    }
}
