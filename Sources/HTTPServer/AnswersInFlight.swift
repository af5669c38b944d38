import Synchronization

/// Requests a server has handed to its application and not yet answered on the wire, and
/// whether the server is stopping (answers then close their connections): `stop(grace:)`
/// waits for the count to reach zero.
final class AnswersInFlight: Sendable {
    private let count = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)

    func add() { count.add(1, ordering: .acquiringAndReleasing) }
    func remove() { count.subtract(1, ordering: .acquiringAndReleasing) }
    var value: Int { count.load(ordering: .acquiring) }

    /// Set once the server stops taking connections.
    var isStopping: Bool { stopping.load(ordering: .acquiring) }
    func stop() { stopping.store(true, ordering: .releasing) }
}
