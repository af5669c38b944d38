/// What one client may take from a `BoundedHTTPServer`. Past a limit the client gets a 4xx
/// (431 for headers, 400 for a malformed request; the application answers an oversized body)
/// or its connection is closed; nothing it sends is buffered beyond these bounds.
public struct HTTPServerLimits: Sendable, Equatable {
    /// Largest request head (request line and header fields), bytes; past it 431 and a close.
    public var maxHeaderBytes: Int
    /// Most header fields in a request; past it 431 and a close.
    public var maxHeaderCount: Int
    /// Largest body read; the application sees at most one byte more (so it can tell the body
    /// was too large) and the connection is closed after its answer.
    public var maxBodyBytes: Int
    /// Longest a connection may wait for a request part (or for its answer to be taken) while no
    /// request is being answered, seconds: closes idle keep-alive connections and stalled clients.
    public var idleTimeoutS: Double
    /// Longest a connection may stay open at all, from accept, seconds; `nil`: no bound (a
    /// request's answer may take long, as a measurement does).
    public var connectionTimeoutS: Double?
    /// Connections served at once; one more is closed at once.
    public var maxConnections: Int
    /// Whether a connection may carry more than one request (HTTP/1.1 keep-alive); when not, every
    /// answer says `Connection: close` and the connection is closed after it.
    public var keepAlive: Bool

    /// Limits as given; the defaults suit a scrape endpoint (one small GET per connection).
    public init(
        maxHeaderBytes: Int = 8192, maxHeaderCount: Int = 64, maxBodyBytes: Int = 8192, idleTimeoutS: Double = 10,
        connectionTimeoutS: Double? = 10, maxConnections: Int = 8, keepAlive: Bool = false
    ) {
        self.maxHeaderBytes = maxHeaderBytes
        self.maxHeaderCount = maxHeaderCount
        self.maxBodyBytes = maxBodyBytes
        self.idleTimeoutS = idleTimeoutS
        self.connectionTimeoutS = connectionTimeoutS
        self.maxConnections = maxConnections
        self.keepAlive = keepAlive
    }
}
