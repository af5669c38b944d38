import Glibc
import Reports

/// Error records on standard error: one `write(2)` per line, a short write completed.
public struct StandardErrorSink: LineSink {
    /// The process's standard error.
    public init() {}

    /// Writes the whole line to file descriptor 2.
    public func write(line: [UInt8]) throws {
        try line.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(STDERR_FILENO, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw SinkError.writeFailed(reason: String(cString: strerror(errno)))
                }
                offset += written
            }
        }
    }
}
