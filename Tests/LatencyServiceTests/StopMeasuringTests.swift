import BoardLock
import Foundation
import Glibc
@testable import LatencyService
import Measurement
import Testing

/// Graceful shutdown of the service: the running measurement stops between iterations and is
/// answered 503, and so is every request after it or waiting for the board.
@Suite struct StopMeasuringTests {
    @Test func theRunningMeasurementStopsWith503AndLaterRequestsGet503() async throws {
        let handler = try LatencyServiceHandler(configuration: LatencyServiceHandlerTests.configuration()) { plan, measurement, stop in
            var endless = measurement
            endless.policy = MeasurementPolicy(warmupIterations: 0, minIterations: 1_000_000_000, minTimeS: 1e9, maxIterations: Int.max)
            return try endless.run(plan: plan, source: "request", telemetry: nil, stopFlag: stop)
        }
        let request = LatencyServiceHandler.Request(
            method: "POST", path: "/v1/latency", body: Array(LatencyServiceHandlerTests.tinySpec.utf8))
        let running = Task { await handler.handle(request) }
        var busy = false
        for _ in 0..<400 where !busy {
            let health = await handler.handle(.init(method: "GET", path: "/v1/health"))
            busy = (try JSONSerialization.jsonObject(with: Data(health.body)) as? [String: Any])?["busy"] as? Bool == true
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(busy)
        let started = ContinuousClock.now
        handler.stopMeasuring()
        let answer = await running.value
        #expect(answer.status == 503 && answer.headers["Retry-After"] == "5")
        #expect(ContinuousClock.now - started < .seconds(2), "the measurement did not stop between iterations")
        #expect(String(decoding: answer.body, as: UTF8.self).contains("\"field\":\"service\""))
        #expect(await handler.handle(request).status == 503)
        #expect(await handler.handle(.init(method: "GET", path: "/v1/health")).status == 200)
    }

    /// A request may wait for the board lock another process holds until its deadline: shutdown cuts that short.
    @Test func aRequestWaitingForTheBoardLockIsAnswered503AtOnce() async throws {
        let path = "/tmp/edgeprobe-stop-lock-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        defer { unlink(path) }
        let external = try BoardLock(path: path)
        #expect(external.tryAcquire())
        let handler = try LatencyServiceHandler(
            configuration: LatencyServiceHandlerTests.configuration { $0.requestTimeoutS = 60 },
            gate: MeasurementGate(boardLock: try BoardLock(path: path)))
        let request = Task {
            await handler.handle(.init(method: "POST", path: "/v1/latency", body: Array(LatencyServiceHandlerTests.tinySpec.utf8)))
        }
        var queued = 0
        for _ in 0..<400 where queued != 1 {
            let health = await handler.handle(.init(method: "GET", path: "/v1/health"))
            queued = (try JSONSerialization.jsonObject(with: Data(health.body)) as? [String: Any])?["queued"] as? Int ?? 0
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(queued == 1)
        let started = ContinuousClock.now
        handler.stopMeasuring()
        let answer = await request.value
        #expect(answer.status == 503)
        #expect(ContinuousClock.now - started < .seconds(2), "the request kept waiting for the board lock")
        external.release()
    }
}
