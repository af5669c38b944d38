import BoardLock

/// Admission to the board: one measurement at a time (measurements on one board must not
/// overlap), waiters served in arrival order. The latency service and the agent's scheduled
/// suites share one gate, so a request never runs beside a suite and a suite never beside a
/// request. Requests wait in a bounded queue for a bounded time; the scheduler waits unbounded
/// until graceful shutdown cancels it.
///
/// With a `BoardLock`, a caller admitted here also takes that inter-process lock before it
/// measures (and `leave()` releases it), so measurements never overlap those of other processes
/// on the board. In the agent the other process is its scheduler running a suite, so the gate
/// reports that holder as `.schedule`.
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
        /// A scheduled suite of the agent (in this process, or the process holding the board lock).
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

    /// The caller admitted in this process: `nil` when the gate is free.
    private var holder: Holder?
    /// Whether `holder` still waits for the board lock (another process measures); with
    /// `holderCounted`, whether that caller counts against the queue limit.
    private var waitingForBoardLock = false
    private var holderCounted = false
    private var waiters: [Waiter] = []
    private var nextID: UInt64 = 0
    private let boardLock: BoardLock?

    /// A free gate; with `boardLock`, admission also takes that inter-process lock.
    public init(boardLock: BoardLock? = nil) {
        self.boardLock = boardLock
    }

    /// Who measures now and who waits. A caller admitted here but waiting for the board lock
    /// counts as queued, and the board then reports `.schedule` (another process holds it).
    /// When the gate is free, the board lock is tested with a non-blocking take and release.
    public var status: Status {
        Status(
            holder: waitingForBoardLock || (holder == nil && isBoardLockedElsewhere) ? .schedule : holder,
            queuedRequests: queuedCounted,
            queuedSchedules: waiters.count { $0.holder == .schedule } + (waitingForBoardLock && holder == .schedule ? 1 : 0))
    }

    /// Queue-limited callers not measuring yet.
    private var queuedCounted: Int {
        waiters.count { $0.counted } + (waitingForBoardLock && holderCounted ? 1 : 0)
    }

    /// Whether another process holds the board lock (only asked while this gate holds nothing).
    private var isBoardLockedElsewhere: Bool {
        guard let boardLock else { return false }
        guard boardLock.tryAcquire() else { return true }
        boardLock.release()
        return false
    }

    /// Waits for the board. With a `queueLimit`, `.full` when that many queue-limited callers
    /// already wait; with a `deadline`, `.timedOut` once it passes. Cancelling the waiting task
    /// also gives `.timedOut`.
    public func enter(as holder: Holder, queueLimit: Int? = nil, deadline: ContinuousClock.Instant? = nil) async -> Admission {
        let admission = await enterInProcess(as: holder, queueLimit: queueLimit, deadline: deadline)
        guard admission == .admitted, let boardLock else { return admission }
        if boardLock.tryAcquire() { return .admitted }
        waitingForBoardLock = true
        holderCounted = queueLimit != nil
        let locked = await boardLock.acquire(deadline: deadline)
        waitingForBoardLock = false
        if locked { return .admitted }
        handOver()
        return .timedOut
    }

    /// Releases the board lock (if any) and hands the board to the next waiter, or frees it.
    public func leave() {
        boardLock?.release()
        handOver()
    }

    // MARK: - In-process queue

    /// Admission among the callers of this process, in arrival order.
    private func enterInProcess(as holder: Holder, queueLimit: Int?, deadline: ContinuousClock.Instant?) async -> Admission {
        if self.holder == nil {
            self.holder = holder
            return .admitted
        }
        if let queueLimit, queuedCounted >= queueLimit { return .full }
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
    private func handOver() {
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
