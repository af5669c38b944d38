import Synchronization

/// A flag a signal-watching thread raises to ask running benchmarks to stop between iterations.
public final class StopFlag: Sendable {
    private let signal = Atomic<Int32>(0)

    /// A lowered flag.
    public init() {}

    /// Asks every reader to stop, remembering the signal that caused it.
    public func raise(signal number: Int32) {
        signal.store(number, ordering: .releasing)
    }

    /// Whether a stop was asked for.
    public var isRaised: Bool { signal.load(ordering: .acquiring) != 0 }

    /// The signal that raised the flag, or `nil`.
    public var raisedBySignal: Int32? {
        let value = signal.load(ordering: .acquiring)
        return value == 0 ? nil : value
    }
}
