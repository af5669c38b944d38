import BoardLock
import Glibc
import Testing
@testable import LatencyService

/// The gate with an inter-process board lock: another holder of the lock (here a second
/// `BoardLock` on the same file, which excludes like another process) keeps admitted callers
/// waiting, deadlines and cancellation give `.timedOut` and leave the in-process queue consistent.
@Suite struct MeasurementGateBoardLockTests {
    /// A fresh lock-file path, and the lock "another process" (the agent running a suite) holds.
    private static func externalLock() throws -> (path: String, lock: BoardLock) {
        let path = "/tmp/edgeprobe-gate-lock-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        return (path, try BoardLock(path: path))
    }

    /// Polls `status` until `condition` holds (at most 2 s).
    private static func waitForStatus(_ gate: MeasurementGate, _ condition: (MeasurementGate.Status) -> Bool) async throws -> MeasurementGate.Status {
        var status = await gate.status
        for _ in 0..<200 where !condition(status) {
            try await Task.sleep(for: .milliseconds(10))
            status = await gate.status
        }
        return status
    }

    @Test func aHeldExternalLockKeepsAnAdmittedRequestWaitingAndTimesItOut() async throws {
        let (path, external) = try Self.externalLock()
        defer { unlink(path) }
        let gate = MeasurementGate(boardLock: try BoardLock(path: path))
        #expect(external.tryAcquire())
        #expect(await gate.status.holder == .schedule)  // the other process measures
        let request = Task { await gate.enter(as: .request, queueLimit: 1, deadline: .now + .milliseconds(300)) }
        let waiting = try await Self.waitForStatus(gate) { $0.queuedRequests == 1 }
        #expect(waiting == MeasurementGate.Status(holder: .schedule, queuedRequests: 1, queuedSchedules: 0))
        #expect(await gate.enter(as: .request, queueLimit: 1, deadline: .now + .seconds(1)) == .full)
        #expect(await request.value == .timedOut)
        #expect(await gate.status == MeasurementGate.Status(holder: .schedule, queuedRequests: 0, queuedSchedules: 0))

        external.release()
        #expect(await gate.status == MeasurementGate.Status(holder: nil, queuedRequests: 0, queuedSchedules: 0))
        #expect(await gate.enter(as: .request, queueLimit: 1, deadline: .now + .seconds(1)) == .admitted)
        #expect(!external.tryAcquire())  // the gate's caller holds the board lock while measuring
        await gate.leave()
        #expect(external.tryAcquire())
        external.release()
    }

    @Test func aTimedOutLockWaiterHandsTheGateToTheNextWaiter() async throws {
        let (path, external) = try Self.externalLock()
        defer { unlink(path) }
        let gate = MeasurementGate(boardLock: try BoardLock(path: path))
        #expect(external.tryAcquire())
        let first = Task { await gate.enter(as: .request, queueLimit: 2, deadline: .now + .milliseconds(200)) }
        _ = try await Self.waitForStatus(gate) { $0.queuedRequests == 1 }
        let second = Task { await gate.enter(as: .schedule) }
        _ = try await Self.waitForStatus(gate) { $0.queuedSchedules == 1 }
        #expect(await first.value == .timedOut)
        // The suite is admitted in this process and now waits for the board lock.
        let suiteWaiting = try await Self.waitForStatus(gate) { $0.queuedRequests == 0 && $0.queuedSchedules == 1 }
        #expect(suiteWaiting == MeasurementGate.Status(holder: .schedule, queuedRequests: 0, queuedSchedules: 1))
        external.release()
        #expect(await second.value == .admitted)
        #expect(!external.tryAcquire())
        await gate.leave()
        #expect(await gate.status == MeasurementGate.Status(holder: nil, queuedRequests: 0, queuedSchedules: 0))
    }

    @Test func cancellingACallerWaitingForTheLockFreesTheGate() async throws {
        let (path, external) = try Self.externalLock()
        defer { unlink(path) }
        let gate = MeasurementGate(boardLock: try BoardLock(path: path))
        #expect(external.tryAcquire())
        let suite = Task { await gate.enter(as: .schedule) }
        _ = try await Self.waitForStatus(gate) { $0.queuedSchedules == 1 }
        suite.cancel()
        #expect(await suite.value == .timedOut)
        external.release()
        #expect(await gate.enter(as: .request, queueLimit: 1, deadline: .now + .seconds(1)) == .admitted)
        await gate.leave()
        #expect(external.tryAcquire())
        external.release()
    }

    @Test func theInProcessQueueStillServesInArrivalOrderWithALock() async throws {
        let (path, external) = try Self.externalLock()
        defer { unlink(path) }
        let gate = MeasurementGate(boardLock: try BoardLock(path: path))
        #expect(await gate.enter(as: .schedule) == .admitted)
        #expect(!external.tryAcquire())
        let request = Task { await gate.enter(as: .request, queueLimit: 1, deadline: .now + .seconds(5)) }
        let queued = try await Self.waitForStatus(gate) { $0.queuedRequests == 1 }
        #expect(queued == MeasurementGate.Status(holder: .schedule, queuedRequests: 1, queuedSchedules: 0))
        await gate.leave()
        #expect(await request.value == .admitted)
        #expect(await gate.status == MeasurementGate.Status(holder: .request, queuedRequests: 0, queuedSchedules: 0))
        #expect(!external.tryAcquire())
        await gate.leave()
        #expect(external.tryAcquire())
        external.release()
    }
}
