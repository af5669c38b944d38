/// One request as a `BoundedHTTPServer` hands it to the application.
public struct HTTPServerRequest: Sendable {
    /// `GET`, `POST`, ...
    public var method: String
    /// The path without the query, e.g. `/v1/latency`.
    public var path: String
    /// Query parameters (percent-decoded; `+` is a space); a repeated name keeps its last value.
    public var query: [String: String]
    /// Header fields in the order received, names as sent.
    public var headers: [(name: String, value: String)]
    /// The body, at most `HTTPServerLimits.maxBodyBytes + 1` bytes (more means it was too large);
    /// empty when the declared length alone is over the limit (the body is then never read).
    public var body: [UInt8]
    /// The declared `Content-Length`, if any.
    public var declaredLength: Int?

    /// A request.
    public init(method: String, path: String, query: [String: String] = [:], headers: [(name: String, value: String)] = [],
                body: [UInt8] = [], declaredLength: Int? = nil) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.declaredLength = declaredLength
    }

    /// The first value of header `name` (case-insensitive), if any.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }
}

/// The application's answer to one request.
public struct HTTPServerResponse: Sendable, Equatable {
    /// HTTP status code.
    public var status: Int
    /// The `Content-Type` of `body`.
    public var contentType: String
    /// Further header fields (the server adds `Content-Length` and `Connection`).
    public var headers: [String: String]
    /// The body.
    public var body: [UInt8]

    /// An answer.
    public init(status: Int, contentType: String = "text/plain; charset=utf-8", headers: [String: String] = [:], body: [UInt8]) {
        self.status = status
        self.contentType = contentType
        self.headers = headers
        self.body = body
    }

    /// A plain-text answer.
    public init(status: Int, text: String, headers: [String: String] = [:]) {
        self.init(status: status, headers: headers, body: Array(text.utf8))
    }
}
