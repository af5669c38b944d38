import Glibc

/// A TCP client on loopback that sends exactly the bytes a test gives (malformed, oversized or
/// slow requests included) and reads whatever comes back until the server closes.
public struct RawHTTPClient: Sendable {
    /// The connected socket.
    public let descriptor: Int32

    /// Connects to 127.0.0.1:`port`; reads give up after `timeoutS`: a hang guard, long enough for a
    /// loaded machine whose concurrency pool is starved by other suites (a 20 s guard fired there).
    public init(port: Int, timeoutS: Int = 150) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var timeout = timeval(tv_sec: timeoutS, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard status == 0 else {
            Glibc.close(descriptor)
            throw ClientError(problem: "connect: \(String(cString: strerror(errno)))")
        }
    }

    /// Sends `text`; `false` when the server already closed the connection.
    @discardableResult
    public func send(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } == bytes.count
    }

    /// Everything until the server closes (or the read timeout passes: then `timedOut`).
    /// A reset connection ends the reading like a close. The blocking reads run on a thread of
    /// their own (`onOwnThread`), so a server answering on the concurrency pool is not starved.
    public func readToEnd() async -> (text: String, timedOut: Bool) {
        let descriptor = descriptor
        return await onOwnThread { Self.readToEnd(descriptor) }
    }

    private static func readToEnd(_ descriptor: Int32) -> (text: String, timedOut: Bool) {
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count < 0, errno == EINTR { continue }
            if count < 0 { return (String(decoding: result, as: UTF8.self), errno == EAGAIN || errno == EWOULDBLOCK) }
            if count == 0 { return (String(decoding: result, as: UTF8.self), false) }
            result.append(contentsOf: buffer[..<count])
        }
    }

    /// Closes the socket.
    public func close() {
        Glibc.close(descriptor)
    }

    /// The connection could not be made.
    public struct ClientError: Error {
        /// What went wrong.
        public let problem: String
    }
}
