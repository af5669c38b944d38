import Dispatch
import Foundation
import Glibc
import FoundationNetworking
@testable import LatencyService
import TestSupport
import Testing

/// The service over real HTTP on loopback (a kernel-chosen port).
@Suite(.timeLimit(.minutes(3))) struct LatencyServiceHTTPTests {
    private func start(
        _ configuration: LatencyServiceConfiguration, idleTimeout: Duration = LatencyService.defaultIdleTimeout
    ) async throws -> (LatencyService, Task<Void, any Error>, Int) {
        let service = try LatencyService(handler: LatencyServiceHandler(configuration: configuration), idleTimeout: idleTimeout)
        let task = Task { try await service.run() }
        return (service, task, try await service.boundPort())
    }

    private func send(_ method: String, _ port: Int, _ path: String, body: String? = nil, token: String? = nil) async throws
        -> (Int, [String: String], Data) {
        let answer = try await HTTP.send(method, port: port, path, body: body.map { Data($0.utf8) }, token: token)
        return (answer.status, answer.headers, answer.body)
    }

    @Test func tokenIsRequiredOverHTTP() async throws {
        let token = TemporaryFile("t0ken\n")
        let (_, task, port) = try await start(LatencyServiceHandlerTests.configuration { $0.tokenFile = token.path })
        defer { task.cancel() }
        let (status, headers, _) = try await send("GET", port, "/v1/health")
        #expect(status == 401 && headers["www-authenticate"] == "Bearer")
        #expect(try await send("GET", port, "/v1/health", token: "t0ken").0 == 200)
    }

    @Test func concurrentRequestsNeverOverlapMeasurements() async throws {
        let (_, task, port) = try await start(LatencyServiceHandlerTests.configuration { $0.maxQueue = 8 })
        defer { task.cancel() }
        let results = try await withThrowingTaskGroup(of: (Int, [String: String], Data).self) { group in
            for _ in 0..<4 {
                group.addTask { try await send("POST", port, "/v1/latency?seed=3", body: TinyArchitecture.spec) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.map(\.0) == [200, 200, 200, 200])
        let intervals = try results.map { result in
            (try #require(UInt64(result.1["x-measurement-start-ns"] ?? "")), try #require(UInt64(result.1["x-measurement-end-ns"] ?? "")))
        }.sorted { $0.0 < $1.0 }
        for (earlier, later) in zip(intervals, intervals.dropFirst()) {
            #expect(earlier.1 <= later.0, "measurements overlapped: \(earlier) and \(later)")
        }
        let record = try #require(try JSONSerialization.jsonObject(with: results[0].2) as? [String: Any])
        #expect(record["type"] as? String == "latency" && record["seed"] as? Int == 3)
    }

    @Test func oversizedBodyOverHTTPGets413() async throws {
        let (_, task, port) = try await start(LatencyServiceHandlerTests.configuration { $0.maxBodyBytes = 100 })
        defer { task.cancel() }
        let (status, _, data) = try await send("POST", port, "/v1/latency", body: String(repeating: "#", count: 5000))
        #expect(status == 413)
        #expect(String(decoding: data, as: UTF8.self).contains("exceeds the limit of 100 bytes"))
    }

    /// Sends `bytes` (if any) on a fresh connection and reads until the server answers and
    /// closes, or closes without answering: what came back, `nil` if nothing within 20 s. The
    /// blocking socket calls run on a thread of their own, leaving the server the concurrency pool.
    private func exchange(_ port: Int, _ bytes: String) async throws -> String? {
        try await onOwnThread { try Self.blockingExchange(port, bytes) }
    }

    private static func blockingExchange(_ port: Int, _ bytes: String) throws -> String? {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(descriptor >= 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(connected == 0)
        var timeout = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        _ = bytes.utf8CString.withUnsafeBufferPointer { Glibc.send(descriptor, $0.baseAddress, $0.count - 1, 0) }
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(descriptor, &chunk, chunk.count, 0)
            if count < 0 { return nil }  // nothing within the timeout: the connection was held
            if count == 0 { return String(decoding: received, as: UTF8.self) }
            received += chunk[..<count]
        }
    }

    @Test(.timeLimit(.minutes(3))) func idleConnectionsAreClosed() async throws {
        let (_, task, port) = try await start(LatencyServiceHandlerTests.configuration(), idleTimeout: .milliseconds(300))
        defer { task.cancel() }
        #expect(try await exchange(port, "") == "", "a silent connection must be closed")
        let answered = try await exchange(port, "GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(answered?.hasPrefix("HTTP/1.1 200") == true, "a keep-alive connection is answered, then closed when idle")
    }

    @Test(.timeLimit(.minutes(1)), arguments: ["-5", "99999999999999999999", "12abc"])
    func badContentLengthsAreRefusedOrClosed(length: String) async throws {
        let (_, task, port) = try await start(LatencyServiceHandlerTests.configuration(), idleTimeout: .seconds(5))
        defer { task.cancel() }
        let answer = try await exchange(port, "POST /v1/latency HTTP/1.1\r\nHost: x\r\nContent-Length: \(length)\r\n\r\n")
        let reply = try #require(answer, "the connection was held")
        #expect(reply.isEmpty || reply.hasPrefix("HTTP/1.1 4"), "\(reply)")
    }

    /// A request the HTTP server refuses before the service sees it is answered in the service's
    /// JSON error shape, like every other error (the client sent every byte, so the answer arrives).
    @Test(.timeLimit(.minutes(1))) func aMalformedRequestGetsAJSONError() async throws {
        let (_, task, port) = try await start(LatencyServiceHandlerTests.configuration(), idleTimeout: .seconds(5))
        defer { task.cancel() }
        let reply = try #require(try await exchange(port, "GET /v1/health HTTP/1.1\r\nHost: x\r\nContent-Length: 12abc\r\n\r\n"),
                                 "the connection was held")
        #expect(reply.hasPrefix("HTTP/1.1 400"), "\(reply)")
        #expect(reply.lowercased().contains("content-type: application/json"), "\(reply)")
        let body = try #require(reply.range(of: "\r\n\r\n").map { Data(reply[$0.upperBound...].utf8) })
        let error = try #require((try JSONSerialization.jsonObject(with: body) as? [String: Any])?["error"] as? [String: Any], "\(reply)")
        #expect(error["status"] as? Int == 400)
        #expect(error["field"] as? String == "request")
        #expect((error["problem"] as? String)?.hasPrefix("malformed request: ") == true, "\(error)")
    }

    /// 200 KB of header fields: FlyingFox once parsed them for minutes and held the connection.
    /// The head limit answers 431 (or closes, if the server's close overtakes the client's
    /// sending) as soon as it is passed, and the next request is served.
    @Test(.timeLimit(.minutes(3))) func twoHundredKilobytesOfHeadersGet431AndTheNextRequestIsServed() async throws {
        let (_, task, port) = try await start(LatencyServiceHandlerTests.configuration())
        defer { task.cancel() }
        let fields = (0..<200).map { "X-Padding-\($0): \(String(repeating: "a", count: 1000))\r\n" }.joined()
        let client = try RawHTTPClient(port: port)
        defer { client.close() }
        // Sending blocks while the server reads: on a thread of its own, as the reading.
        _ = await onOwnThread { client.send("GET /v1/health HTTP/1.1\r\nHost: x\r\n\(fields)\r\n") }
        let (reply, timedOut) = await client.readToEnd()
        #expect(!timedOut, "the connection was held")
        #expect(reply.isEmpty || reply.hasPrefix("HTTP/1.1 431"), "\(reply.prefix(80))")
        #expect(reply.isEmpty || reply.contains(#"{"error":{"field":"headers","problem":"the request head exceeds 16384 bytes or 100 fields","status":431}}"#),
                "\(reply)")
        let next = try await exchange(port, "GET /v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        #expect(next?.hasPrefix("HTTP/1.1 200") == true, "\(next ?? "held")")
    }

    /// A keep-alive connection carries several requests, each answered in turn.
    @Test(.timeLimit(.minutes(3))) func aKeepAliveConnectionCarriesSeveralRequests() async throws {
        let (_, task, port) = try await start(LatencyServiceHandlerTests.configuration(), idleTimeout: .milliseconds(300))
        defer { task.cancel() }
        let health = "GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n"
        let answer = try #require(try await exchange(port, health + health + "GET /v1/nothing HTTP/1.1\r\nHost: x\r\n\r\n"))
        #expect(answer.components(separatedBy: "HTTP/1.1 200").count - 1 == 2, "\(answer)")
        #expect(answer.contains("HTTP/1.1 404"), "\(answer)")
    }

    @Test(.timeLimit(.minutes(3))) func aContentLengthAboveTheLimitGets413() async throws {
        let (_, task, port) = try await start(LatencyServiceHandlerTests.configuration(), idleTimeout: .seconds(5))
        defer { task.cancel() }
        let answer = try await exchange(port, "POST /v1/latency HTTP/1.1\r\nHost: x\r\nContent-Length: 9999999999\r\nConnection: close\r\n\r\n")
        #expect(answer?.hasPrefix("HTTP/1.1 413") == true, "\(answer ?? "held")")
    }
}
