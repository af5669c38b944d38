import Glibc
import SystemErrors

/// Writes the exposition for node_exporter's textfile collector: the whole text to a temporary
/// file beside the target (`NAME.prom.tmp`, which the collector ignores: it reads `*.prom`), then
/// `rename(2)` over the target, so the collector only ever sees a whole file.
public struct TextfileWriter: Sendable {
    /// A failed write: what was being done and the system's reason.
    public struct Failure: Error, CustomStringConvertible, Equatable {
        /// E.g. `cannot create /var/lib/prometheus/node-exporter/edgeprobe.prom.tmp: No such file or directory`.
        public let description: String
    }

    /// The file node_exporter reads.
    public let path: String
    private var temporaryPath: String { path + ".tmp" }

    /// A writer replacing the file at `path`.
    public init(path: String) {
        self.path = path
    }

    /// Replaces the file's contents with `text`, atomically.
    /// - Throws: `Failure` when the temporary file cannot be written or renamed; the target is left as it was.
    public func write(_ text: [UInt8]) throws(Failure) {
        let descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw failure("cannot create \(temporaryPath)") }
        var written = 0
        while written < text.count {
            let count = text.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + written, $0.count - written) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else {
                let error = failure("cannot write \(temporaryPath)")
                close(descriptor)
                unlink(temporaryPath)
                throw error
            }
            written += count
        }
        guard close(descriptor) == 0 else {
            let error = failure("cannot write \(temporaryPath)")
            unlink(temporaryPath)
            throw error
        }
        guard rename(temporaryPath, path) == 0 else {
            let error = failure("cannot rename \(temporaryPath) to \(path)")
            unlink(temporaryPath)
            throw error
        }
    }

    private func failure(_ what: String) -> Failure {
        Failure(description: "\(what): \(SystemError.current.description)")
    }
}
