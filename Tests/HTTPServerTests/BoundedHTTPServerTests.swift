import Dispatch
@testable import HTTPServer
import Synchronization
import TestSupport
import Testing

/// What the shared server does for any application: the request it hands over, keep-alive,
/// bodies over the limit, slow answers beside quick ones, and stopping with answers in flight.
@Suite(.timeLimit(.minutes(3))) struct BoundedHTTPServerTests {
    /// The last request the application saw.
    final class Seen: Sendable {
        private let request = Mutex<HTTPServerRequest?>(nil)
        func record(_ value: HTTPServerRequest) { request.withLock { $0 = value } }
        var last: HTTPServerRequest? { request.withLock { $0 } }
    }

    private func exchange(_ port: Int, _ request: String) async throws -> (text: String, timedOut: Bool) {
        let client = try RawHTTPClient(port: port)
        defer { client.close() }
        client.send(request)
        return await client.readToEnd()
    }

    /// An application answering with the body's size, after recording the request.
    private func echoServer(limits: HTTPServerLimits, seen: Seen) throws -> BoundedHTTPServer {
        try BoundedHTTPServer(host: "127.0.0.1", port: 0, limits: limits, responder: .immediate { request in
            seen.record(request)
            return HTTPServerResponse(status: 200, text: "\(request.body.count)")
        })
    }

    @Test func theApplicationGetsMethodPathDecodedQueryHeadersAndBody() async throws {
        let seen = Seen()
        let server = try echoServer(limits: HTTPServerLimits(), seen: seen)
        let answer = try await exchange(
            server.port, "POST /v1/x?a=1&b=x%20y+z&flag HTTP/1.1\r\nHost: h\r\nAuthorization: Bearer t\r\nContent-Length: 3\r\n\r\nabc")
        await server.stop()
        #expect(answer.text.hasPrefix("HTTP/1.1 200") && answer.text.hasSuffix("\r\n\r\n3"), "\(answer.text)")
        #expect(answer.text.lowercased().contains("connection: close"))
        let request = try #require(seen.last)
        #expect(request.method == "POST" && request.path == "/v1/x")
        #expect(request.query == ["a": "1", "b": "x y z", "flag": ""])
        #expect(request.header("authorization") == "Bearer t" && request.declaredLength == 3 && request.body == Array("abc".utf8))
    }

    @Test func aBodyOverTheLimitReachesTheApplicationOneByteOverAndTheConnectionCloses() async throws {
        let seen = Seen()
        let server = try echoServer(limits: HTTPServerLimits(maxBodyBytes: 10, keepAlive: true), seen: seen)
        let chunked = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n14\r\n\(String(repeating: "b", count: 20))\r\n"
        let answer = try await exchange(server.port, chunked)  // the final chunk never comes: the answer must not wait for it
        let declared = try await exchange(server.port, "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 99999\r\n\r\n")
        await server.stop()
        #expect(!answer.timedOut && answer.text.hasSuffix("\r\n\r\n11"), "\(answer.text)")
        #expect(answer.text.lowercased().contains("connection: close"))
        #expect(!declared.timedOut && declared.text.hasSuffix("\r\n\r\n0"), "the body is not read: \(declared.text)")
        #expect(seen.last?.declaredLength == 99999)
    }

    @Test(arguments: ["-5", "99999999999999999999", "12abc"])
    func malformedContentLengthsGet400(length: String) async throws {
        let server = try echoServer(limits: HTTPServerLimits(), seen: Seen())
        let answer = try await exchange(server.port, "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: \(length)\r\n\r\n")
        await server.stop()
        #expect(!answer.timedOut)
        #expect(answer.text.isEmpty || answer.text.hasPrefix("HTTP/1.1 400"), "\(answer.text)")
    }

    @Test func aSlowAnswerHoldsOnlyItsOwnConnection() async throws {
        let release = AsyncStream<Void>.makeStream()
        let server = try BoundedHTTPServer(host: "127.0.0.1", port: 0, limits: HTTPServerLimits(connectionTimeoutS: nil), responder: .awaited { request in
            if request.path == "/slow" { for await _ in release.stream {} }
            return HTTPServerResponse(status: 200, text: request.path)
        })
        let slow = Task { try await exchange(server.port, "GET /slow HTTP/1.1\r\nHost: h\r\n\r\n") }
        let quick = try await exchange(server.port, "GET /quick HTTP/1.1\r\nHost: h\r\n\r\n")
        #expect(quick.text.hasSuffix("/quick"))
        release.continuation.finish()
        #expect(try await slow.value.text.hasSuffix("/slow"))
        await server.stop()
    }

    @Test func stoppingWaitsForAnAnswerInFlightWithinItsGrace() async throws {
        let started = AsyncStream<Void>.makeStream()
        let server = try BoundedHTTPServer(host: "127.0.0.1", port: 0, limits: HTTPServerLimits(connectionTimeoutS: nil), responder: .awaited { _ in
            started.continuation.finish()
            try? await Task.sleep(for: .milliseconds(200))
            return HTTPServerResponse(status: 503, text: "stopping")
        })
        let answer = Task { try await exchange(server.port, "GET / HTTP/1.1\r\nHost: h\r\n\r\n") }
        for await _ in started.stream {}
        await server.stop(grace: .seconds(30))
        #expect(try await answer.value.text.hasPrefix("HTTP/1.1 503"))
    }
}
