import Glibc

/// A TCP port on 127.0.0.1 that nothing listens on right now, for a server a test starts that
/// must be told its port and cannot say which it bound when given port 0 (Prometheus,
/// node_exporter, the agent's `metrics.listen`). Released before the server takes it: another
/// process could take it in between, which the test would report as that server failing to start.
enum FreeLoopbackPort {
    /// The port the kernel picks for a socket bound to port 0, released again.
    static func free() -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(descriptor, pointer, length)
                return getsockname(descriptor, pointer, &length)
            }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
