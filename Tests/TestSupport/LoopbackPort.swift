import Glibc

/// A loopback TCP port this process holds: a socket bound to 127.0.0.1 port 0 (the kernel picks a
/// free port) and listening, until the object goes away. For tests that need a port taken; a
/// process under test that needs a port of its own is given port 0 and says which it bound, so no
/// port is ever released and taken again (another process could take it in between).
public final class LoopbackPort: Sendable {
    /// The port number.
    public let port: Int
    private let descriptor: Int32

    public init() throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw TestSupportError("socket: \(String(cString: strerror(errno)))") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let descriptor = descriptor
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, length) == 0 && listen(descriptor, 1) == 0 && getsockname(descriptor, $0, &length) == 0
            }
        }
        guard bound else {
            let problem = String(cString: strerror(errno))
            close(descriptor)
            throw TestSupportError("cannot listen on 127.0.0.1:0: \(problem)")
        }
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit {
        close(descriptor)
    }
}
