import Foundation
import Glibc
import TestSupport

/// A fake systemd notification socket: a Unix datagram socket the test owns, bound to a path
/// under /tmp or to an abstract address, receiving what the agent sends to `NOTIFY_SOCKET`.
final class NotifySocketListener: @unchecked Sendable {
    /// The value for `NOTIFY_SOCKET`: a path, or `@name` for an abstract address.
    let address: String
    private let descriptor: Int32
    private let path: String?

    init(abstract: Bool = false) throws {
        let name = "edgeprobe-notify-\(UUID().uuidString.prefix(8))"
        address = abstract ? "@" + name : "/tmp/\(name).sock"
        path = abstract ? nil : address
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        var bytes = Array(address.utf8)
        if abstract { bytes[0] = 0 }
        var socketAddress = sockaddr_un()
        socketAddress.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &socketAddress.sun_path) { $0.copyBytes(from: bytes) }
        let length = socklen_t(MemoryLayout<sockaddr_un>.offset(of: \.sun_path)! + bytes.count + (abstract ? 0 : 1))
        let status = withUnsafePointer(to: &socketAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        guard status == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
    }

    deinit {
        close(descriptor)
        if let path { unlink(path) }
    }

    /// The next datagram, or `nil` after `timeoutS` without one. Between looks the task sleeps:
    /// the wait holds no thread of the concurrency pool.
    func receive(timeoutS: Double = 60) async -> String? {
        var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        guard await eventually(within: .seconds(timeoutS), { poll(&poller, 1, 0) > 0 }) else { return nil }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(descriptor, &buffer, buffer.count, 0)
        guard count >= 0 else { return nil }
        return String(decoding: buffer[0..<count], as: UTF8.self)
    }

    /// Reads and drops every datagram waiting, so the socket's queue (10 datagrams,
    /// max_dgram_qlen) has room again: the agent drops a notification it cannot queue.
    func drain() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while recv(descriptor, &buffer, buffer.count, Int32(MSG_DONTWAIT)) >= 0 {}
    }

    /// Datagrams until one satisfies `predicate` (returned with those before it), or `nil` on timeout.
    func receive(until predicate: (String) -> Bool, timeoutS: Double = 60) async -> [String]? {
        let deadline = Date().addingTimeInterval(timeoutS)
        var messages: [String] = []
        while Date() < deadline {
            guard let message = await receive(timeoutS: max(0.01, deadline.timeIntervalSinceNow)) else { return nil }
            messages.append(message)
            if predicate(message) { return messages }
        }
        return nil
    }
}
