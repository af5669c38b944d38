import Foundation
import FoundationNetworking
@testable import LatencyService
import Testing

/// The service over real HTTP on loopback (a kernel-chosen port).
@Suite struct LatencyServiceHTTPTests {
    private func start(_ configuration: LatencyServiceConfiguration) async throws -> (LatencyService, Task<Void, any Error>, Int) {
        let service = try LatencyService(configuration: configuration)
        let task = Task { try await service.run() }
        return (service, task, try await service.boundPort())
    }

    private func send(_ method: String, _ port: Int, _ path: String, body: String? = nil, token: String? = nil) async throws
        -> (Int, [String: String], Data) {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = method
        request.httpBody = body.map { Data($0.utf8) }
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        var headers: [String: String] = [:]
        for (key, value) in http.allHeaderFields { headers["\(key)".lowercased()] = "\(value)" }
        return (http.statusCode, headers, data)
    }

    @Test func tokenIsRequiredOverHTTP() async throws {
        let token = TemporaryToken("t0ken")
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
                group.addTask { try await send("POST", port, "/v1/latency?seed=3", body: LatencyServiceHandlerTests.tinySpec) }
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
