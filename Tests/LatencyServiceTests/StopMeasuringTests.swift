import BoardLock
import Foundation
import Glibc
@testable import LatencyService
import Measurement
import TestSupport
import Testing

/// Graceful shutdown of the service: the running measurement stops between iterations and is
/// answered 503, and so is every request after it or waiting for the board.
@Suite(.timeLimit(.minutes(2))) struct StopMeasuringTests {
    @Test func theRunningMeasurementStopsWith503AndLaterRequestsGet503() async throws {
        let handler = try LatencyServiceHandler(configuration: LatencyServiceHandlerTests.configuration()) { plan, measurement, stop in
            var endless = measurement
            endless.policy = MeasurementPolicy(warmupIterations: 0, minIterations: 1_000_000_000, minTimeS: 1e9, maxIterations: Int.max)
            return try endless.run(plan: plan, source: "request", telemetry: nil, stopFlag: stop)
        }
        let request = LatencyServiceHandler.Request(
            method: "POST", path: "/v1/latency", body: Array(TinyArchitecture.spec.utf8))
        let running = Task { await handler.handle(request) }
        let busy = try await eventually {
            try await LatencyServiceHandlerTests.health(handler)["busy"] as? Bool == true
        }
        #expect(busy)
        // The measurement would run for 30 years: its answer proves it stopped between iterations.
        handler.stopMeasuring()
        let answer = await running.value
        #expect(answer.status == 503 && answer.headers["Retry-After"] == "5")
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
            configuration: LatencyServiceHandlerTests.configuration { $0.requestTimeoutS = 600 },
            gate: MeasurementGate(boardLock: try BoardLock(path: path)))
        let request = Task {
            await handler.handle(.init(method: "POST", path: "/v1/latency", body: Array(TinyArchitecture.spec.utf8)))
        }
        let queued = try await eventually {
            try await LatencyServiceHandlerTests.health(handler)["queued"] as? Int == 1
        }
        #expect(queued)
        // The request may wait ten minutes for the lock still held: an answer now proves shutdown cut the wait short.
        handler.stopMeasuring()
        let answer = await request.value
        #expect(answer.status == 503)
        external.release()
    }
}
