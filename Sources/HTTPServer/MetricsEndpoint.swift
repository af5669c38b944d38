/// The agent's `GET /metrics`: the exposition in Prometheus' text format 0.0.4. Every other
/// path is 404, every other method on `/metrics` 405; with a bearer token, a request without
/// `Authorization: Bearer <token>` is 401. Served by a `BoundedHTTPServer` with the default
/// limits (one request per connection: a scraper connects every scrape interval), as an
/// `.immediate` responder: a scrape is answered on the server's thread.
public struct MetricsEndpoint: Sendable {
    /// The exposition served at `/metrics`; it must only copy what it needs under a short lock,
    /// so a slow or hostile client can never stall the caller's sampling.
    public typealias Render = @Sendable () -> [UInt8]

    /// The `Content-Type` of the exposition (text format 0.0.4).
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    private let bearerToken: [UInt8]?
    private let render: Render

    /// An endpoint requiring `bearerToken` when given.
    public init(bearerToken: [UInt8]?, render: @escaping Render) {
        self.bearerToken = bearerToken
        self.render = render
    }

    /// The answer to `request`.
    public func respond(to request: HTTPServerRequest) -> HTTPServerResponse {
        guard request.path == "/metrics" else { return HTTPServerResponse(status: 404, text: "not found: the exposition is at /metrics\n") }
        guard request.method == "GET" else { return HTTPServerResponse(status: 405, text: "only GET\n", headers: ["Allow": "GET"]) }
        if let bearerToken, !BearerAuthorization.admits(request.header("Authorization"), token: bearerToken) {
            return HTTPServerResponse(status: 401, text: "a bearer token is required\n", headers: ["WWW-Authenticate": "Bearer"])
        }
        return HTTPServerResponse(status: 200, contentType: Self.contentType, body: render())
    }
}
