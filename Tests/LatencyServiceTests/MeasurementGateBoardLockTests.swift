import BoardLock
import Glibc
import TestSupport
import Testing
@testable import LatencyService

/// The gate with an inter-process board lock: another holder of the lock (here a second
/// `BoardLock` on the same file, which excludes like another process) keeps admitted callers
/// waiting, deadlines and cancellation give `.timedOut` and leave the in-process queue consistent.
@Suite(.timeLimit(.minutes(1))) struct MeasurementGateBoardLockTests {
    /// A fresh lock-file path, and the lock "another process" (the agent running a suite) holds.
    private static func externalLock() throws -> (path: String, lock: BoardLock) {
        let path = "/tmp/edgeprobe-gate-lock-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        return (path, try BoardLock(path: path))
    }

    /// Polls `status` until `condition` holds (a minute at most: a deadline that only catches a hang).
    private static func waitForStatus(_ gate: MeasurementGate, _ condition: (MeasurementGate.Status) -> Bool) async throws -> MeasurementGate.Status {
        _ = await eventually { condition(await gate.status) }
        return await gate.status
    }

    /// While it waits, the request is observed with a deadline far away and then cancelled; the
    /// timeout is a second request whose short deadline passes with nothing observed in between,
    /// so no step depends on the machine being quick.
    @Test func aHeldExternalLockKeepsAnAdmittedRequestWaitingAndTimesItOut() async throws {
        let (path, external) = try Self.externalLock()
        defer { unlink(path) }
        let gate = MeasurementGate(boardLock: try BoardLock(path: path))
        #expect(external.tryAcquire())
        #expect(await gate.status.holder == .schedule)  // the other process measures
        let request = Task { await gate.enter(as: .request, queueLimit: 1, deadline: .now + .seconds(600)) }
        let waiting = try await Self.waitForStatus(gate) { $0.queuedRequests == 1 }
        #expect(waiting == MeasurementGate.Status(holder: .schedule, queuedRequests: 1, queuedSchedules: 0))
        #expect(await gate.enter(as: .request, queueLimit: 1, deadline: .now + .seconds(1)) == .full)
        request.cancel()
        #expect(await request.value == .timedOut)
        #expect(await gate.status == MeasurementGate.Status(holder: .schedule, queuedRequests: 0, queuedSchedules: 0))
        #expect(await gate.enter(as: .request, queueLimit: 1, deadline: .now + .milliseconds(100)) == .timedOut)
        #expect(await gate.status == MeasurementGate.Status(holder: .schedule, queuedRequests: 0, queuedSchedules: 0))

        external.release()
        #expect(await gate.status == MeasurementGate.Status(holder: nil, queuedRequests: 0, queuedSchedules: 0))
        #expect(await gate.enter(as: .request, queueLimit: 1, deadline: .now + .seconds(60)) == .admitted)
        #expect(!external.tryAcquire())  // the gate's caller holds the board lock while measuring
        await gate.leave()
        #expect(external.tryAcquire())
        external.release()
    }

    /// The first waiter gives up (cancelled, which takes the same path as its deadline passing)
    /// only once the second is queued behind it, so the hand-over is what the test sees.
    @Test func aLockWaiterThatGivesUpHandsTheGateToTheNextWaiter() async throws {
        let (path, external) = try Self.externalLock()
        defer { unlink(path) }
        let gate = MeasurementGate(boardLock: try BoardLock(path: path))
        #expect(external.tryAcquire())
        let first = Task { await gate.enter(as: .request, queueLimit: 2, deadline: .now + .seconds(600)) }
        _ = try await Self.waitForStatus(gate) { $0.queuedRequests == 1 }
        let second = Task { await gate.enter(as: .schedule) }
        let bothWaiting = try await Self.waitForStatus(gate) { $0.queuedSchedules == 1 }
        #expect(bothWaiting == MeasurementGate.Status(holder: .schedule, queuedRequests: 1, queuedSchedules: 1))
        first.cancel()
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
        #expect(await gate.enter(as: .request, queueLimit: 1, deadline: .now + .seconds(60)) == .admitted)
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
        let request = Task { await gate.enter(as: .request, queueLimit: 1, deadline: .now + .seconds(600)) }
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
