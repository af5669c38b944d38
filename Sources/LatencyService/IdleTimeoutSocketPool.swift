import FlyingSocks
import Glibc

/// FlyingFox's socket pool with a bound on how long a client connection may keep the server
/// waiting for it: a connection that sends nothing for `timeout` (an idle keep-alive, a request
/// trickling in, a client that stopped reading its answer) fails its wait, and FlyingFox closes
/// it. The listening socket waits for connections as long as it likes. (FlyingFox's own
/// `timeout` bounds only the handler, not the connection.)
struct IdleTimeoutSocketPool: AsyncSocketPool {
    /// The pool doing the waiting.
    let base: any AsyncSocketPool
    /// Longest one wait of a client connection.
    let timeout: Duration

    /// Thrown into FlyingFox's read or write when a connection has been silent too long.
    struct ConnectionIdle: Error {}

    func prepare() async throws {
        try await base.prepare()
    }

    func run() async throws {
        try await base.run()
    }

    func suspendSocket(_ socket: Socket, untilReadyFor events: Socket.Events) async throws {
        guard !Self.isListening(socket.file.rawValue) else {
            return try await base.suspendSocket(socket, untilReadyFor: events)
        }
        try await withThrowingTaskGroup(of: Bool.self) { [base, timeout] group in
            group.addTask {
                try await base.suspendSocket(socket, untilReadyFor: events)
                return true
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return false
            }
            let ready = try await group.next() ?? false
            group.cancelAll()
            if !ready { throw ConnectionIdle() }
        }
    }

    /// Whether `descriptor` is a listening socket (`SO_ACCEPTCONN`).
    private static func isListening(_ descriptor: Int32) -> Bool {
        var value: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        return getsockopt(descriptor, SOL_SOCKET, SO_ACCEPTCONN, &value, &length) == 0 && value != 0
    }
}
