import Glibc

/// A small `sd_notify(3)` client: sends `READY=1`, `WATCHDOG=1`, `STOPPING=1`, ... as datagrams
/// to the Unix socket systemd names in `NOTIFY_SOCKET` (a path, or an abstract address written
/// with a leading `@`). Without `NOTIFY_SOCKET` it does nothing, so the agent runs unchanged
/// outside systemd. No libsystemd is needed.
public final class SystemdNotifier: Sendable {
    /// The socket address from `NOTIFY_SOCKET`, or `nil` outside systemd.
    public let socketPath: String?
    /// How often systemd expects `WATCHDOG=1`, from `WATCHDOG_USEC` (when `WATCHDOG_PID` is
    /// unset or names this process); `nil` when the watchdog is off.
    public let watchdogIntervalUs: UInt64?
    private let descriptor: Int32

    /// A notifier configured from `environment` (the process's environment by default).
    public init(environment: [String: String] = SystemdNotifier.processEnvironment()) {
        let path = environment["NOTIFY_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
        socketPath = path
        descriptor = path == nil ? -1 : socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        let pidMatches = environment["WATCHDOG_PID"].map { UInt64($0) == UInt64(getpid()) } ?? true
        watchdogIntervalUs = pidMatches ? environment["WATCHDOG_USEC"].flatMap { UInt64($0) }.flatMap { $0 > 0 ? $0 : nil } : nil
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// Whether systemd listens (`NOTIFY_SOCKET` is set).
    public var isEnabled: Bool { socketPath != nil }

    // MARK: - Messages

    /// The service is up: collectors ready and the first sample taken.
    @discardableResult public func ready(status: String? = nil) -> Bool {
        send(["READY=1"] + (status.map { ["STATUS=\($0)"] } ?? []))
    }

    /// The service is alive; sent from the sampling loop itself.
    @discardableResult public func watchdog() -> Bool { send(["WATCHDOG=1"]) }

    /// The service is reloading its configuration (followed by `ready()` when done).
    @discardableResult public func reloading() -> Bool {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let microseconds = UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1000
        return send(["RELOADING=1", "MONOTONIC_USEC=\(microseconds)"])
    }

    /// The service is shutting down.
    @discardableResult public func stopping() -> Bool { send(["STOPPING=1"]) }

    /// A free-form status line shown by `systemctl status`.
    @discardableResult public func status(_ text: String) -> Bool { send(["STATUS=\(text)"]) }

    /// Sends `assignments` (`KEY=value`) as one datagram, newline-separated. The send never
    /// blocks: a Unix datagram socket queues only `net.unix.max_dgram_qlen` unread datagrams
    /// (10 by default), and a manager that is slow to read must not stall the sampling loop or
    /// the shutdown; a notification that does not fit is dropped.
    /// - Returns: whether the datagram was sent; `false` outside systemd, on a send error or
    ///   when the listener's queue was full.
    @discardableResult public func send(_ assignments: [String]) -> Bool {
        guard let socketPath, descriptor >= 0 else { return false }
        let message = Array(assignments.joined(separator: "\n").utf8)
        return Self.withAddress(socketPath) { address, length in
            message.withUnsafeBytes { bytes in
                while true {
                    let sent = sendto(descriptor, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT), address, length)
                    if sent >= 0 { return sent == bytes.count }
                    if errno != EINTR { return false }
                }
            }
        } ?? false
    }

    // MARK: - Addresses

    /// Calls `body` with a `sockaddr_un` for `path`; a leading `@` means the abstract namespace
    /// (first byte NUL, length without a terminator). `nil` when the path does not fit.
    static func withAddress<Result>(
        _ path: String, _ body: (UnsafePointer<sockaddr>, socklen_t) -> Result
    ) -> Result? {
        var bytes = Array(path.utf8)
        let abstract = bytes.first == UInt8(ascii: "@")
        if abstract { bytes[0] = 0 }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard !bytes.isEmpty, bytes.count < capacity || (abstract && bytes.count <= capacity) else { return nil }
        withUnsafeMutableBytes(of: &address.sun_path) { sunPath in
            sunPath.copyBytes(from: bytes)
        }
        let pathOffset = MemoryLayout<sockaddr_un>.offset(of: \.sun_path)!
        let length = socklen_t(pathOffset + bytes.count + (abstract ? 0 : 1))
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, length) }
        }
    }

    /// This process's environment as a dictionary.
    public static func processEnvironment() -> [String: String] {
        var result: [String: String] = [:]
        var entry = environ
        while let pointer = entry.pointee {
            let text = String(cString: pointer)
            if let equals = text.firstIndex(of: "=") {
                result[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            entry += 1
        }
        return result
    }
}
