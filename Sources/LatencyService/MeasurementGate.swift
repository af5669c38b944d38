/// Admission to the board: one measurement at a time (measurements on one board must not
/// overlap), at most `maxQueue` requests waiting in arrival order, each for a bounded time.
actor MeasurementGate {
    /// The outcome of asking to measure.
    enum Admission: Equatable {
        /// The caller may measure now and must call `leave()` afterwards.
        case admitted
        /// The queue is full.
        case full
        /// The deadline passed while waiting.
        case timedOut
    }

    private let maxQueue: Int
    private var busy = false
    private var waiters: [(id: UInt64, continuation: CheckedContinuation<Bool, Never>)] = []
    private var nextID: UInt64 = 0

    /// A gate letting `maxQueue` requests wait behind the running one.
    init(maxQueue: Int) {
        self.maxQueue = maxQueue
    }

    /// Whether a measurement runs, and how many requests wait.
    var status: (busy: Bool, queued: Int) { (busy, waiters.count) }

    /// Waits for the board until `deadline`.
    func enter(deadline: ContinuousClock.Instant) async -> Admission {
        if !busy {
            busy = true
            return .admitted
        }
        guard waiters.count < maxQueue else { return .full }
        let id = nextID
        nextID += 1
        let timer = Task {
            try? await Task.sleep(until: deadline, clock: .continuous)
            self.expire(id)
        }
        let admitted = await withCheckedContinuation { continuation in
            waiters.append((id, continuation))
        }
        timer.cancel()
        return admitted ? .admitted : .timedOut
    }

    /// Hands the board to the next waiter, or frees it.
    func leave() {
        if waiters.isEmpty {
            busy = false
        } else {
            waiters.removeFirst().continuation.resume(returning: true)
        }
    }

    private func expire(_ id: UInt64) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: index).continuation.resume(returning: false)
    }
}
