import Foundation
@testable import LatencyService
import TestSupport
import Testing

/// The service over real HTTP on loopback (a kernel-chosen port).
@Suite(.timeLimit(.minutes(3))) struct LatencyServiceHTTPTests {
    private func start(_ configuration: LatencyServiceConfiguration) async throws -> (LatencyService, Task<Void, any Error>, Int) {
        let service = try LatencyService(configuration: configuration)
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
}
