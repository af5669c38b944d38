import Synchronization

/// A sleep another task can cut short: the scheduler sleeps until its next suite is due, and a
/// reload rings the alarm so that a changed schedule takes effect at once. Between two due times
/// an idle agent then runs no scheduling code at all (no periodic wake-up).
final class Alarm: Sendable {
    private struct State {
        var sleeper: Task<Void, Never>?
        var rung = false
    }

    private let state = Mutex(State())

    /// Sleeps until `deadline` (until rung when `nil`), `ring()` or cancellation, whichever comes
    /// first; returns at once when the alarm rang since the previous sleep.
    func sleep(until deadline: ContinuousClock.Instant?) async {
        let sleeper = Task {
            if let deadline {
                try? await Task.sleep(until: deadline, clock: .continuous)
            } else {
                while !Task.isCancelled { try? await Task.sleep(for: .seconds(86_400)) }
            }
        }
        let rung = state.withLock { state in
            if state.rung {
                state.rung = false
                return true
            }
            state.sleeper = sleeper
            return false
        }
        if rung { sleeper.cancel() }
        await withTaskCancellationHandler {
            await sleeper.value
        } onCancel: {
            sleeper.cancel()
        }
        state.withLock { $0.sleeper = nil }
    }

    /// Ends the current sleep, or the next one if nobody sleeps now.
    func ring() {
        let sleeper = state.withLock { state in
            if state.sleeper == nil { state.rung = true }
            return state.sleeper
        }
        sleeper?.cancel()
    }
}
