import NIOCore
import NIOHTTP1

/// Serves the requests of one connection one at a time. A request is collected (its body up to
/// `maxBodyBytes + 1` bytes), handed to the application (`BoundedHTTPServer.Responder`), and its answer
/// written back; meanwhile nothing more is read from the socket, so a pipelining client cannot
/// make the server buffer. A malformed request gets 400, an oversized head 431 (the decoder's
/// limits), then the connection is closed. While no request is being answered, a connection
/// silent for `idleTimeoutS` (idle keep-alive, a stalled request, an answer not taken) is closed.
final class HTTPConnectionHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private let limits: HTTPServerLimits
    private let responder: BoundedHTTPServer.Responder
    private let refusals: BoundedHTTPServer.RefusalAnswer
    private let answersInFlight: AnswersInFlight
    /// The request being received, if any.
    private var request: HTTPServerRequest?
    /// Whether the client asked to keep the connection after the request being received.
    private var keepAliveRequested = false
    /// From handing a request over until its answer is written (or fails).
    private var answering = false
    /// Whether the connection closes after the answer being prepared (body left unread, a protocol error).
    private var closeAfterAnswer = false
    /// Request parts decoded from bytes read before reading stopped, replayed after the answer.
    private var backlog: [HTTPServerRequestPart] = []
    /// A `read` held back while answering.
    private var readPending = false
    private var idleTimer: Scheduled<Void>?

    init(
        limits: HTTPServerLimits, answersInFlight: AnswersInFlight, responder: BoundedHTTPServer.Responder,
        refusals: @escaping BoundedHTTPServer.RefusalAnswer
    ) {
        self.limits = limits
        self.answersInFlight = answersInFlight
        self.responder = responder
        self.refusals = refusals
    }

    func handlerAdded(context: ChannelHandlerContext) {
        armIdleTimer(context: context)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        idleTimer?.cancel()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        receive(Self.unwrapInboundIn(data), context: context)
    }

    /// Holds reads back while a request is answered: the client's further bytes stay in the socket.
    func read(context: ChannelHandlerContext) {
        if answering {
            readPending = true
        } else {
            context.read()
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parserError = error as? HTTPParserError, !answering else {
            // A reset, a failed write, or a malformed request pipelined behind one being answered.
            closeAfterAnswer = true
            if !answering { context.close(promise: nil) }
            return
        }
        let refusal = parserError == .headerOverflow
            ? HTTPServerRefusal(
                part: .headers, problem: "the request head exceeds \(limits.maxHeaderBytes) bytes or \(limits.maxHeaderCount) fields")
            : HTTPServerRefusal(part: .request, problem: "malformed request: \(parserError)")
        closeAfterAnswer = true
        answering = true
        write(refusals(refusal), context: context)
    }

    // MARK: - Receiving

    private func receive(_ part: HTTPServerRequestPart, context: ChannelHandlerContext) {
        if answering {
            // The rest of an oversized body nobody reads is dropped; another request waits its turn.
            if !closeAfterAnswer { backlog.append(part) }
            return
        }
        armIdleTimer(context: context)
        switch part {
        case .head(let head):
            let (path, query) = RequestTarget.split(head.uri)
            let declared = head.headers["Content-Length"].first.flatMap { Int($0) }
            request = HTTPServerRequest(
                method: head.method.rawValue, path: path, query: query,
                headers: head.headers.map { (name: $0.name, value: $0.value) }, declaredLength: declared)
            keepAliveRequested = head.isKeepAlive
            if let declared, declared > limits.maxBodyBytes {
                closeAfterAnswer = true
                handOver(context: context)
            }
        case .body(var buffer):
            guard request != nil else { return }
            let room = limits.maxBodyBytes + 1 - request!.body.count
            request!.body += buffer.readBytes(length: min(room, buffer.readableBytes)) ?? []
            if request!.body.count > limits.maxBodyBytes {
                closeAfterAnswer = true
                handOver(context: context)
            }
        case .end:
            handOver(context: context)
        }
    }

    /// Gives the request to the application (an awaited one on the concurrency pool); its answer is written on the event loop.
    private func handOver(context: ChannelHandlerContext) {
        guard let request else { return }
        self.request = nil
        answering = true
        idleTimer?.cancel()
        idleTimer = nil
        answersInFlight.add()
        let respond: @Sendable (HTTPServerRequest) async -> HTTPServerResponse
        switch responder {
        case .immediate(let answer):
            return write(answer(request), context: context, counted: true)
        case .awaited(let answer):
            respond = answer
        }
        let loop = context.eventLoop
        let bound = NIOLoopBound((handler: self, context: context), eventLoop: loop)
        Task {
            let answer = await respond(request)
            loop.execute {
                bound.value.handler.write(answer, context: bound.value.context, counted: true)
            }
        }
    }

    // MARK: - Answering

    private func write(_ answer: HTTPServerResponse, context: ChannelHandlerContext, counted: Bool = false) {
        let close = closeAfterAnswer || !limits.keepAlive || !keepAliveRequested || answersInFlight.isStopping
        var headers = HTTPHeaders([
            ("Content-Type", answer.contentType), ("Content-Length", String(answer.body.count)),
            ("Connection", close ? "close" : "keep-alive"),
        ])
        for (name, value) in answer.headers.sorted(by: { $0.key < $1.key }) { headers.add(name: name, value: value) }
        let status = HTTPResponseStatus(statusCode: answer.status)
        armIdleTimer(context: context)
        context.write(Self.wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        context.write(Self.wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: answer.body)))), promise: nil)
        let answersInFlight = self.answersInFlight
        let bound = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
        context.writeAndFlush(Self.wrapOutboundOut(.end(nil))).whenComplete { result in
            if counted { answersInFlight.remove() }
            let (handler, context) = bound.value
            guard case .success = result, !close else {
                context.close(promise: nil)
                return
            }
            handler.answered(context: context)
        }
    }

    /// The answer is written and the connection stays: take the next request.
    private func answered(context: ChannelHandlerContext) {
        answering = false
        let parts = backlog
        backlog = []
        for part in parts { receive(part, context: context) }
        if !answering, readPending {
            readPending = false
            context.read()
        }
    }

    // MARK: - Idle connections

    private func armIdleTimer(context: ChannelHandlerContext) {
        idleTimer?.cancel()
        let bound = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
        idleTimer = context.eventLoop.scheduleTask(in: .nanoseconds(Int64(limits.idleTimeoutS * 1e9))) {
            // Not armed while an answer is being prepared: that is not the client's silence.
            bound.value.context.close(promise: nil)
        }
    }
}
