import Dispatch
import Foundation
@testable import LatencyService
import Measurement
import Models
import NAS
import Synchronization
import TestSupport
import Testing

@Suite(.timeLimit(.minutes(2))) struct LatencyServiceHandlerTests {
    static let quick = LatencyMeasurement(
        threads: 1, cpus: nil, policy: MeasurementPolicy(warmupIterations: 1, minIterations: 3, minTimeS: 0.005, maxIterations: 100), seed: 1)

    /// The handler's `/v1/health` answer.
    static func health(_ handler: LatencyServiceHandler) async throws -> [String: Any] {
        let response = await handler.handle(.init(method: "GET", path: "/v1/health"))
        return try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
    }

    static func configuration(_ change: (inout LatencyServiceConfiguration) -> Void = { _ in }) -> LatencyServiceConfiguration {
        var configuration = LatencyServiceConfiguration(port: 0, measurement: quick, sampleTelemetry: false)
        change(&configuration)
        return configuration
    }

    private func post(_ body: String, query: [String: String] = [:], authorization: String? = nil) -> LatencyServiceHandler.Request {
        LatencyServiceHandler.Request(method: "POST", path: "/v1/latency", query: query, headers: authorization.map { [("Authorization", $0)] } ?? [],
                                      body: Array(body.utf8), declaredLength: body.utf8.count)
    }

    private func errorField(_ response: LatencyServiceHandler.Response) throws -> (String, String) {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
        let error = try #require(object["error"] as? [String: Any])
        return (try #require(error["field"] as? String), try #require(error["problem"] as? String))
    }

    // MARK: - Configuration and authentication

    @Test func nonLoopbackNeedsATokenFile() {
        #expect(throws: LatencyServiceError.configuration(
            "--token-file: listening on 0.0.0.0 (not loopback) requires a bearer token file")) {
            try LatencyServiceHandler(configuration: Self.configuration { $0.host = "0.0.0.0" })
        }
        let token = TemporaryFile("s3cret\n")
        #expect(throws: Never.self) {
            try LatencyServiceHandler(configuration: Self.configuration { $0.host = "0.0.0.0"; $0.tokenFile = token.path })
        }
    }

    @Test func tokenFileMustBePrivate() {
        let open = TemporaryFile("s3cret\n", mode: 0o644)
        let error = #expect(throws: LatencyServiceError.self) {
            try LatencyServiceHandler(configuration: Self.configuration { $0.tokenFile = open.path })
        }
        #expect(error?.description.contains("has mode 644; it must be 0600") == true)
        let empty = TemporaryFile("")
        #expect(throws: LatencyServiceError.self) {
            try LatencyServiceHandler(configuration: Self.configuration { $0.tokenFile = empty.path })
        }
    }

    @Test func requestsWithoutTheTokenGet401() async throws {
        let token = TemporaryFile("s3cret\n")
        let handler = try LatencyServiceHandler(configuration: Self.configuration { $0.tokenFile = token.path })
        let missing = await handler.handle(.init(method: "GET", path: "/v1/health"))
        #expect(missing.status == 401 && missing.headers["WWW-Authenticate"] == "Bearer")
        #expect(try errorField(missing).0 == "authorization")
        #expect(await handler.handle(.init(method: "GET", path: "/v1/health", headers: [("Authorization", "Bearer s3cre")])).status == 401)
        #expect(await handler.handle(post(TinyArchitecture.spec, authorization: "Bearer wrong!")).status == 401)
        #expect(await handler.handle(.init(method: "GET", path: "/v1/health", headers: [("Authorization", "Bearer s3cret")])).status == 200)
    }

    // MARK: - Limits and validation

    @Test func oversizedBodiesGet413() async throws {
        let handler = try LatencyServiceHandler(configuration: Self.configuration { $0.maxBodyBytes = 64 })
        let declared = await handler.handle(.init(method: "POST", path: "/v1/latency", body: [], declaredLength: 10_000))
        #expect(declared.status == 413)
        #expect(try errorField(declared) == ("body", "the request body of 10000 bytes exceeds the limit of 64 bytes"))
        let chunked = await handler.handle(.init(method: "POST", path: "/v1/latency", body: Array(repeating: 32, count: 65)))
        #expect(chunked.status == 413)
    }

    @Test func invalidSpecsGet422NamingTheField() async throws {
        let handler = try LatencyServiceHandler(configuration: Self.configuration())
        let unknown = await handler.handle(post(TinyArchitecture.spec.replacingOccurrences(of: "inverted_residual", with: "mystery")))
        #expect(unknown.status == 422)
        #expect(try errorField(unknown).0 == "blocks[0].type")
        let skip = await handler.handle(post(TinyArchitecture.spec.replacingOccurrences(of: "expand: 2, cout: 8}", with: "expand: 2, cout: 16, skip: true}")))
        #expect(skip.status == 422)
        #expect(try errorField(skip).0 == "blocks[0].skip")
        let notYAML = await handler.handle(post("{{{"))
        #expect(notYAML.status == 422)
    }

    @Test func architecturesBeyondTheMACLimitGet422() async throws {
        let handler = try LatencyServiceHandler(configuration: Self.configuration { $0.limits = ArchitectureLimits(maxMacs: 10_000) })
        let response = await handler.handle(post(TinyArchitecture.spec))
        #expect(response.status == 422)
        #expect(try errorField(response) == ("stem.macs", "the network exceeds the limit of 10000 multiply-accumulates"))
    }

    @Test func badQueryParametersGet400() async throws {
        let handler = try LatencyServiceHandler(configuration: Self.configuration())
        #expect(try errorField(await handler.handle(post(TinyArchitecture.spec, query: ["accuracy": "0.5"]))).0 == "target_ms")
        #expect(try errorField(await handler.handle(post(TinyArchitecture.spec, query: ["min_time_s": "999"]))).0 == "min_time_s")
        #expect(try errorField(await handler.handle(post(TinyArchitecture.spec, query: ["colour": "red"]))).0 == "colour")
        #expect(await handler.handle(.init(method: "GET", path: "/v1/latency")).status == 405)
        #expect(await handler.handle(.init(method: "GET", path: "/v2")).status == 404)
    }

    @Test func aMeasurementReturnsTheRecordWithTheReward() async throws {
        let handler = try LatencyServiceHandler(configuration: Self.configuration())
        let response = await handler.handle(post(TinyArchitecture.spec, query: ["accuracy": "0.8", "target_ms": "1000", "constraint": "hard"]))
        #expect(response.status == 200)
        let record = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
        #expect(record["type"] as? String == "latency" && record["source"] as? String == "request")
        let reward = try #require(record["reward"] as? [String: Any])
        #expect(reward["value"] as? Double == 0.8 && reward["constraint"] as? String == "hard")
    }

    // MARK: - Queue

    /// A measurer that holds the board until released, counting how many ran at once.
    final class HeldMeasurer: Sendable {
        let release = DispatchSemaphore(value: 0)
        let running = Mutex<(now: Int, most: Int)>((0, 0))

        func measure(_ plan: ArchitecturePlan, _ measurement: LatencyMeasurement, _ stop: StopFlag) throws -> LatencyRecord {
            running.withLock { $0.now += 1; $0.most = max($0.most, $0.now) }
            release.wait()
            running.withLock { $0.now -= 1 }
            return try measurement.run(plan: plan, source: "request", telemetry: nil)
        }
    }

    private func waitFor(_ handler: LatencyServiceHandler, busy: Bool, queued: Int) async throws {
        let reached = try await eventually {
            let health = try await Self.health(handler)
            return health["busy"] as? Bool == busy && health["queued"] as? Int == queued
        }
        #expect(reached, "the service never reached busy=\(busy) queued=\(queued)")
    }

    @Test func aFullQueueGets429AndWaitersRunOneAtATime() async throws {
        let held = HeldMeasurer()
        let handler = try LatencyServiceHandler(configuration: Self.configuration { $0.maxQueue = 1 }, measurer: held.measure)
        let first = Task { await handler.handle(post(TinyArchitecture.spec)) }
        try await waitFor(handler, busy: true, queued: 0)
        let second = Task { await handler.handle(post(TinyArchitecture.spec)) }
        try await waitFor(handler, busy: true, queued: 1)
        let third = await handler.handle(post(TinyArchitecture.spec))
        #expect(third.status == 429 && third.headers["Retry-After"] == "1")
        #expect(try errorField(third).0 == "queue")
        held.release.signal()
        held.release.signal()
        #expect(await first.value.status == 200)
        #expect(await second.value.status == 200)
        #expect(held.running.withLock { $0.most } == 1)
        try await waitFor(handler, busy: false, queued: 0)
    }

    @Test func aRequestPastItsTimeoutGets504() async throws {
        let handler = try LatencyServiceHandler(configuration: Self.configuration { $0.requestTimeoutS = 0.2 }) { plan, measurement, stop in
            var slow = measurement
            slow.policy = MeasurementPolicy(warmupIterations: 0, minIterations: 1_000_000_000, minTimeS: 1e9, maxIterations: Int.max)
            return try slow.run(plan: plan, source: "request", telemetry: nil, stopFlag: stop)
        }
        let response = await handler.handle(post(TinyArchitecture.spec))
        #expect(response.status == 504)
        #expect(try errorField(response).0 == "timeout")
        try await waitFor(handler, busy: false, queued: 0)
    }

    /// A measurement with enough iterations for a record but cut short of its minimum time by
    /// the deadline is not an answer: 504, never a 200 with a truncated measurement; and the
    /// request queued behind it, left little time, likewise.
    @Test(.timeLimit(.minutes(1))) func measurementsCutShortByTheDeadlineGet504() async throws {
        let handler = try LatencyServiceHandler(configuration: Self.configuration { $0.requestTimeoutS = 0.5 }) { plan, measurement, stop in
            var long = measurement
            long.policy = MeasurementPolicy(warmupIterations: 0, minIterations: 1, minTimeS: 1e9, maxIterations: Int.max)
            return try long.run(plan: plan, source: "request", telemetry: nil, stopFlag: stop)
        }
        let first = Task { await handler.handle(post(TinyArchitecture.spec)) }
        try await waitFor(handler, busy: true, queued: 0)
        let queued = await handler.handle(post(TinyArchitecture.spec))
        let answers = [await first.value, queued]
        #expect(answers.map(\.status) == [504, 504])
        for answer in answers { #expect(try errorField(answer).0 == "timeout") }
        try await waitFor(handler, busy: false, queued: 0)
    }
}
