/// Admission to the board: one measurement at a time (measurements on one board must not
/// overlap), waiters served in arrival order. The latency service and the agent's scheduled
/// suites share one gate, so a request never runs beside a suite and a suite never beside a
/// request. Requests wait in a bounded queue for a bounded time; the scheduler waits unbounded
/// until graceful shutdown cancels it.
public actor MeasurementGate {
    /// The outcome of asking to measure.
    public enum Admission: Equatable, Sendable {
        /// The caller may measure now and must call `leave()` afterwards.
        case admitted
        /// The queue is full.
        case full
        /// The deadline passed, or the waiting task was cancelled.
        case timedOut
    }

    /// Who measures (or waits to).
    public enum Holder: String, Sendable {
        /// An HTTP request of the latency service.
        case request
        /// A scheduled suite of the agent.
        case schedule
    }

    /// Whether the board is measuring, for whom, and how many requests wait.
    public struct Status: Sendable, Equatable {
        /// Who measures now, `nil` when the board is free.
        public let holder: Holder?
        /// Requests waiting (queue-limited waiters).
        public let queuedRequests: Int
        /// Scheduled suites waiting.
        public let queuedSchedules: Int
    }

    private struct Waiter {
        let id: UInt64
        let holder: Holder
        let counted: Bool
        let continuation: CheckedContinuation<Bool, Never>
    }

    private var holder: Holder?
    private var waiters: [Waiter] = []
    private var nextID: UInt64 = 0

    /// A free gate.
    public init() {}

    /// Who measures now and who waits.
    public var status: Status {
        Status(
            holder: holder, queuedRequests: waiters.count { $0.counted },
            queuedSchedules: waiters.count { $0.holder == .schedule })
    }

    /// Waits for the board. With a `queueLimit`, `.full` when that many queue-limited callers
    /// already wait; with a `deadline`, `.timedOut` once it passes. Cancelling the waiting task
    /// also gives `.timedOut`.
    public func enter(as holder: Holder, queueLimit: Int? = nil, deadline: ContinuousClock.Instant? = nil) async -> Admission {
        if self.holder == nil {
            self.holder = holder
            return .admitted
        }
        if let queueLimit, waiters.count(where: { $0.counted }) >= queueLimit { return .full }
        let id = nextID
        nextID += 1
        let timer = deadline.map { deadline in
            Task {
                try? await Task.sleep(until: deadline, clock: .continuous)
                self.expire(id)
            }
        }
        let admitted = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                if Task.isCancelled {
                    continuation.resume(returning: false)
                } else {
                    waiters.append(Waiter(id: id, holder: holder, counted: queueLimit != nil, continuation: continuation))
                }
            }
        } onCancel: {
            Task { await self.expire(id) }
        }
        timer?.cancel()
        return admitted ? .admitted : .timedOut
    }

    /// Hands the board to the next waiter, or frees it.
    public func leave() {
        if waiters.isEmpty {
            holder = nil
        } else {
            let next = waiters.removeFirst()
            holder = next.holder
            next.continuation.resume(returning: true)
        }
    }

    private func expire(_ id: UInt64) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: index).continuation.resume(returning: false)
    }
}
