import Glibc
import SystemErrors

/// Reading the inputs and writing the page: whole files, `-` for standard input, and an
/// output that appears complete or not at all.
public enum ReportFiles {
    /// A file that cannot be read or written, with the reason, in one line.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// The whole text of `path`, or of standard input for `-`.
    public static func read(_ path: String) throws(Failure) -> String {
        let descriptor = path == "-" ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw Failure(description: "\(path): cannot read: \(reason())") }
        defer { if path != "-" { close(descriptor) } }
        var status = stat()
        if fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR {
            throw Failure(description: "\(path): cannot read: is a directory")
        }
        do {
            return String(decoding: try WholeFile.bytes(descriptor: descriptor), as: UTF8.self)
        } catch {
            throw Failure(description: "\(path): cannot read: \(error)")
        }
    }

    /// Writes `text` to `path` through a temporary file in the same directory renamed over it,
    /// so a reader never sees half a page and a failure leaves nothing behind.
    public static func writeAtomically(_ text: String, to path: String) throws(Failure) {
        let directory = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        var template = Array(((directory.isEmpty ? "/" : directory) + "/.edgeprobe-report-XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw Failure(description: "--output \(path): cannot write: \(reason())") }
        let temporary = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var written = true
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { written = false; break }
            offset += count
        }
        let problem = written ? nil : reason()
        // mkstemp creates the file 0600; a report is meant to be shared: 0644 less the umask.
        let mask = umask(0)
        umask(mask)
        let synced = written && fchmod(descriptor, 0o644 & ~mask) == 0 && fsync(descriptor) == 0
        let closed = close(descriptor) == 0
        guard synced, closed, rename(temporary, path) == 0 else {
            let why = problem ?? reason()
            unlink(temporary)
            throw Failure(description: "--output \(path): cannot write: \(why)")
        }
    }

    private static func reason() -> String { SystemError.current.description }
}
