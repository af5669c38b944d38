import NIOCore
import NIOHTTP1

/// Answers one request per connection: `GET /metrics` with the exposition, anything else with
/// the matching 4xx; then closes the connection.
final class MetricsRequestHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    /// The `Content-Type` of the exposition (text format 0.0.4).
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    private let bearerToken: [UInt8]?
    private let render: MetricsHTTPServer.Render
    private var head: HTTPRequestHead?
    private var answered = false

    init(bearerToken: [UInt8]?, render: @escaping MetricsHTTPServer.Render) {
        self.bearerToken = bearerToken
        self.render = render
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
        case .body:
            break
        case .end:
            guard let head, !answered else { return }
            answered = true
            respond(to: head, context: context)
        }
    }

    /// A reset connection or a failed write: nothing to answer, close.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private func respond(to head: HTTPRequestHead, context: ChannelHandlerContext) {
        let path = head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? head.uri
        guard path == "/metrics" else { return send(.notFound, "not found: the exposition is at /metrics\n", context: context) }
        guard head.method == .GET else { return send(.methodNotAllowed, "only GET\n", extra: [("Allow", "GET")], context: context) }
        if let bearerToken, !Self.admits(head.headers["Authorization"].first, token: bearerToken) {
            return send(.unauthorized, "a bearer token is required\n", extra: [("WWW-Authenticate", "Bearer")], context: context)
        }
        send(.ok, render(), contentType: Self.contentType, context: context)
    }

    private func send(_ status: HTTPResponseStatus, _ text: String, extra: [(String, String)] = [], context: ChannelHandlerContext) {
        send(status, Array(text.utf8), contentType: "text/plain; charset=utf-8", extra: extra, context: context)
    }

    private func send(
        _ status: HTTPResponseStatus, _ body: [UInt8], contentType: String, extra: [(String, String)] = [], context: ChannelHandlerContext
    ) {
        var headers = HTTPHeaders([("Content-Type", contentType), ("Content-Length", String(body.count)), ("Connection", "close")])
        headers.add(contentsOf: extra)
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
    }

    /// Whether `authorization` is `Bearer <token>`, compared in constant time.
    static func admits(_ authorization: String?, token: [UInt8]) -> Bool {
        guard let authorization, authorization.hasPrefix("Bearer ") else { return false }
        let offered = Array(authorization.utf8.dropFirst(7))
        guard offered.count == token.count else { return false }
        var difference: UInt8 = 0
        for (left, right) in zip(offered, token) { difference |= left ^ right }
        return difference == 0
    }
}
