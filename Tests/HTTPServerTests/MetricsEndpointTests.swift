import Dispatch
import Glibc
import HTTPServer
import Synchronization
import TestSupport
import Testing

/// The `/metrics` endpoint on a `BoundedHTTPServer` against real sockets: what it answers, and what it does with
/// malformed, oversized, unauthorised, slow and too many clients. None of them crash it and
/// none keep it from answering the next scrape.
@Suite(.timeLimit(.minutes(3))) struct MetricsEndpointTests {
    static let body = "# HELP edgeprobe_x X.\n# TYPE edgeprobe_x gauge\nedgeprobe_x 1\n"

    /// How many times the server rendered the exposition.
    final class RenderCount: Sendable {
        private let count = Mutex(0)
        func add() { count.withLock { $0 += 1 } }
        var value: Int { count.withLock { $0 } }
    }

    private func withServer(
        token: String? = nil, limits: HTTPServerLimits = HTTPServerLimits(), _ body: (Int, RenderCount) async throws -> Void
    ) async throws {
        let renders = RenderCount()
        let endpoint = MetricsEndpoint(bearerToken: token.map { Array($0.utf8) }) {
            renders.add()
            return Array(Self.body.utf8)
        }
        let server = try BoundedHTTPServer(host: "127.0.0.1", port: 0, limits: limits, responder: .immediate { endpoint.respond(to: $0) })
        do {
            try await body(server.port, renders)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    /// Sends `request` on a new connection and reads the answer until the server closes.
    private func exchange(_ port: Int, _ request: String) async throws -> String {
        let client = try RawHTTPClient(port: port)
        defer { client.close() }
        client.send(request)
        return await client.readToEnd().text
    }

    private func scrape(_ port: Int, authorization: String? = nil) async throws -> String {
        let header = authorization.map { "Authorization: \($0)\r\n" } ?? ""
        return try await exchange(port, "GET /metrics HTTP/1.1\r\nHost: x\r\n\(header)\r\n")
    }

    @Test func getMetricsAnswersTheExpositionInTextFormat004() async throws {
        try await withServer { port, renders in
            let answer = try await scrape(port)
            #expect(answer.hasPrefix("HTTP/1.1 200 OK\r\n"))
            #expect(answer.lowercased().contains("content-type: text/plain; version=0.0.4; charset=utf-8\r\n"))
            #expect(answer.hasSuffix("\r\n\r\n" + Self.body))
            #expect(renders.value == 1)
        }
    }

    @Test func otherPathsAre404AndOtherMethods405() async throws {
        try await withServer { port, renders in
            let answer1 = try await exchange(port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(answer1.hasPrefix("HTTP/1.1 404"))
            let answer2 = try await exchange(port, "GET /metricsx HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(answer2.hasPrefix("HTTP/1.1 404"))
            let answer3 = try await exchange(port, "POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nab")
            #expect(answer3.hasPrefix("HTTP/1.1 405"))
            let answer4 = try await exchange(port, "GET /metrics?x=1 HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(answer4.hasPrefix("HTTP/1.1 200"))
            #expect(renders.value == 1)
        }
    }

    @Test func withATokenOnlyTheRightBearerIsServed() async throws {
        try await withServer(token: "s3cret") { port, renders in
            let answer5 = try await scrape(port)
            #expect(answer5.hasPrefix("HTTP/1.1 401"))
            let answer6 = try await scrape(port, authorization: "Bearer wrong!")
            #expect(answer6.hasPrefix("HTTP/1.1 401"))
            let answer7 = try await scrape(port, authorization: "Basic czNjcmV0")
            #expect(answer7.hasPrefix("HTTP/1.1 401"))
            let answer8 = try await scrape(port, authorization: "Bearer s3cret")
            #expect(answer8.hasPrefix("HTTP/1.1 200"))
            #expect(renders.value == 1)
        }
    }

    @Test func malformedOversizedAndOverlongRequestsGet4xxOrAClosedConnection() async throws {
        try await withServer { port, renders in
            let garbage = try await exchange(port, "\u{01}\u{02}garbage\r\n\r\n")
            #expect(garbage.isEmpty || garbage.hasPrefix("HTTP/1.1 400"), "\(garbage.prefix(80))")
            // The metrics endpoint keeps the server's plain-text refusals (Prometheus shows them as text).
            #expect(garbage.isEmpty || (garbage.contains("text/plain") && garbage.contains("\r\n\r\nmalformed request: ")), "\(garbage)")
            let huge = try await exchange(port, "GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: \(String(repeating: "a", count: 20_000))\r\n\r\n")
            #expect(huge.isEmpty || huge.hasPrefix("HTTP/1.1 431"), "\(huge.prefix(80))")
            let manyHeaders = (0..<100).map { "X-H\($0): v\r\n" }.joined()
            let many = try await exchange(port, "GET /metrics HTTP/1.1\r\nHost: x\r\n\(manyHeaders)\r\n")
            #expect(many.isEmpty || many.hasPrefix("HTTP/1.1 431"), "\(many.prefix(80))")
            #expect(renders.value == 0, "none of them reached the exposition")
            let answer9 = try await scrape(port)
            #expect(answer9.hasPrefix("HTTP/1.1 200"), "the server still answers")
        }
    }

    @Test func aSilentClientIsCutOffAndDoesNotHoldUpOthers() async throws {
        try await withServer(limits: HTTPServerLimits(connectionTimeoutS: 1)) { port, _ in
            let silent = try RawHTTPClient(port: port)
            defer { silent.close() }
            silent.send("GET /metr")  // and nothing more
            let answer10 = try await scrape(port)
            #expect(answer10.hasPrefix("HTTP/1.1 200"), "another client is served meanwhile")
            let (text, timedOut) = await silent.readToEnd()
            #expect(!timedOut, "the server closed the silent connection")
            #expect(text.isEmpty)
        }
    }

    @Test func connectionsBeyondTheLimitAreClosedAtOnce() async throws {
        try await withServer(limits: HTTPServerLimits(idleTimeoutS: 30, connectionTimeoutS: 30, maxConnections: 2)) { port, _ in
            let first = try RawHTTPClient(port: port), second = try RawHTTPClient(port: port)
            first.send("GET")
            second.send("GET")
            // Both are counted once the server has read from them; the next is refused.
            var refused = false
            for _ in 0..<100 where !refused {
                refused = try await exchange(port, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n").isEmpty
                if !refused { try await Task.sleep(for: .milliseconds(10)) }
            }
            #expect(refused)
            first.close()
            second.close()
            var served = false
            for _ in 0..<200 where !served {
                served = try await scrape(port).hasPrefix("HTTP/1.1 200")
                if !served { try await Task.sleep(for: .milliseconds(10)) }
            }
            #expect(served, "once they are gone the next scrape is served")
        }
    }
}
