import Foundation
@testable import LatencyService
import TestSupport
import Testing

/// The board gate the latency service shares with the agent's scheduled suites, and the checks
/// `latency serve` and the agent's `latency_service` share.
@Suite(.timeLimit(.minutes(1))) struct SharedGateTests {
    private func health(_ handler: LatencyServiceHandler) async throws -> [String: Any] {
        let response = await handler.handle(.init(method: "GET", path: "/v1/health"))
        return try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
    }

    // MARK: - Gate

    @Test func aRequestWaitsWhileAScheduledSuiteHoldsTheBoard() async throws {
        let gate = MeasurementGate()
        #expect(await gate.enter(as: .schedule) == .admitted)
        let handler = try LatencyServiceHandler(
            configuration: LatencyServiceHandlerTests.configuration { $0.maxQueue = 1 }, gate: gate)
        #expect(try await health(handler)["busy_with"] as? String == "schedule")
        let request = Task {
            await handler.handle(.init(method: "POST", path: "/v1/latency", body: Array(TinyArchitecture.spec.utf8)))
        }
        #expect(try await eventually { try await health(handler)["queued"] as? Int == 1 })
        #expect(await gate.status.holder == .schedule)  // the request did not start beside the suite
        await gate.leave()
        #expect(await request.value.status == 200)
        #expect(await gate.status == MeasurementGate.Status(holder: nil, queuedRequests: 0, queuedSchedules: 0))
    }

    @Test func aWaitingSuiteDoesNotTakeARequestsQueueSlotAndIsServedInOrder() async throws {
        let gate = MeasurementGate()
        #expect(await gate.enter(as: .request, queueLimit: 1) == .admitted)
        let suite = Task { await gate.enter(as: .schedule) }
        try #require(await eventually { await gate.status.queuedSchedules == 1 })
        let request = Task { await gate.enter(as: .request, queueLimit: 1) }
        try #require(await eventually { await gate.status.queuedRequests == 1 })
        #expect(await gate.enter(as: .request, queueLimit: 1) == .full)
        await gate.leave()
        #expect(await suite.value == .admitted)
        #expect(await gate.status.holder == .schedule)
        await gate.leave()
        #expect(await request.value == .admitted)
        #expect(await gate.status.holder == .request)
        await gate.leave()
        #expect(await gate.status.holder == nil)
    }

    @Test func cancellingAWaiterAndPassingADeadlineBothGiveUp() async throws {
        let gate = MeasurementGate()
        #expect(await gate.enter(as: .request) == .admitted)
        let suite = Task { await gate.enter(as: .schedule) }
        try #require(await eventually { await gate.status.queuedSchedules == 1 })
        suite.cancel()
        #expect(await suite.value == .timedOut)
        #expect(await gate.enter(as: .request, queueLimit: 4, deadline: .now + .milliseconds(50)) == .timedOut)
        #expect(await gate.status == MeasurementGate.Status(holder: .request, queuedRequests: 0, queuedSchedules: 0))
        await gate.leave()
        #expect(await gate.enter(as: .schedule) == .admitted)
    }

    // MARK: - Shared checks

    @Test func listenAddressesParse() {
        #expect(ListenAddress(parsing: "127.0.0.1:8321") == ListenAddress(host: "127.0.0.1", port: 8321))
        #expect(ListenAddress(parsing: "[::1]:0") == ListenAddress(host: "::1", port: 0))
        #expect(ListenAddress(host: "::1", port: 80).description == "[::1]:80")
        for bad in ["127.0.0.1", ":80", "127.0.0.1:65536", "127.0.0.1:-1", "host:port", ""] {
            #expect(ListenAddress(parsing: bad) == nil, "\(bad)")
        }
    }

    @Test func validationNamesTheSetting() throws {
        func problem(_ change: (inout LatencyServiceConfiguration) -> Void) -> LatencyServiceConfiguration.Problem? {
            #expect(throws: LatencyServiceConfiguration.Problem.self) {
                try LatencyServiceHandlerTests.configuration(change).validate()
            }
        }
        #expect(problem { $0.host = "example.org" }?.setting == .listen)
        #expect(problem { $0.port = 70_000 }?.setting == .listen)
        #expect(problem { $0.maxQueue = -1 }?.setting == .maxQueue)
        #expect(problem { $0.maxBodyBytes = 0 }?.setting == .maxBodyBytes)
        #expect(problem { $0.requestTimeoutS = 0 }?.setting == .requestTimeout)
        #expect(problem { $0.limits.maxMacs = 0 }?.setting == .maxMacs)
        let open = problem { $0.host = "0.0.0.0" }
        #expect(open == .init(.tokenFile, "listening on 0.0.0.0 (not loopback) requires a bearer token file"))
        #expect(open?.setting.configurationKey == "token_file" && open?.setting.option == "--token-file")
        try LatencyServiceHandlerTests.configuration { $0.host = "::1" }.validate()
        try LatencyServiceHandlerTests.configuration { $0.host = "localhost" }.validate()
    }

    @Test func aTokenFileReadableByOthersIsATokenFileProblem() {
        let open = TemporaryFile("s3cret\n", mode: 0o640)
        let problem = #expect(throws: LatencyServiceConfiguration.Problem.self) {
            try LatencyServiceHandlerTests.configuration { $0.tokenFile = open.path }.checkedToken()
        }
        #expect(problem?.setting == .tokenFile)
        #expect(problem?.problem.contains("has mode 640; it must be 0600") == true)
    }
}
