import Glibc
import Synchronization
import SystemErrors

/// A sink appending lines to a file that is rotated by size: when the next line would take the
/// file past `maxBytes`, `path` becomes `path.1`, `path.1` becomes `path.2`, ... up to
/// `path.<retainedFiles>`, the oldest is dropped and a new `path` is started.
///
/// Lines are never split: each is written with one `write(2)` to a file opened with `O_APPEND`;
/// rotation only happens between lines; a line longer than `maxBytes` gets a file of its own; and
/// a write cut short by a full disk is truncated away again before the error is thrown, so the
/// file only ever holds whole lines. The file is opened lazily and reopened after any failure, so
/// writing resumes by itself once the disk has room or the file becomes writable again.
public final class RotatingFileSink: LineSink {
    /// The file lines are appended to.
    public let path: String
    /// The size a file may reach before it is rotated, in bytes.
    public let maxBytes: Int
    /// How many rotated files (`path.1` ... `path.N`) are kept; 0 keeps none.
    public let retainedFiles: Int

    private struct OpenFile {
        var descriptor: Int32
        var size: Int
    }

    private let file = Mutex<OpenFile?>(nil)

    /// A sink for `path`, rotated past `maxBytes` and keeping `retainedFiles` older files.
    /// Nothing is opened until the first line is written.
    public init(path: String, maxBytes: Int, retainedFiles: Int) {
        precondition(maxBytes > 0, "maxBytes must be positive")
        precondition(retainedFiles >= 0, "retainedFiles must not be negative")
        self.path = path
        self.maxBytes = maxBytes
        self.retainedFiles = retainedFiles
    }

    deinit {
        file.withLock { open in
            if let descriptor = open?.descriptor { close(descriptor) }
        }
    }

    // MARK: - Writing

    /// Writes one whole line, rotating first when it would not fit.
    /// - Throws: `SinkError.cannotOpen` or `SinkError.writeFailed`; the file then holds no part
    ///   of the line, and the next call tries again from a fresh `open(2)`.
    public func write(line: [UInt8]) throws {
        try file.withLock { open in
            if open == nil { open = try openFile() }
            if var current = open, current.size > 0, current.size + line.count > maxBytes {
                close(current.descriptor)
                open = nil
                rotate()
                current = try openFile()
                open = current
            }
            guard var current = open else { return }
            do {
                try append(line, to: current)
                current.size += line.count
                open = current
            } catch {
                close(current.descriptor)
                open = nil
                throw error
            }
        }
    }

    /// Forces written lines to stable storage (`fsync(2)`), for a clean shutdown.
    public func synchronize() {
        file.withLock { open in
            if let descriptor = open?.descriptor { _ = fsync(descriptor) }
        }
    }

    /// The rotated file names, newest first: `path.1`, `path.2`, ...
    public var rotatedPaths: [String] {
        retainedFiles == 0 ? [] : (1...retainedFiles).map { "\(path).\($0)" }
    }

    // MARK: - Files

    private func openFile() throws -> OpenFile {
        let descriptor = Glibc.open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw SinkError.cannotOpen(path: path, reason: Self.systemError())
        }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let reason = Self.systemError()
            close(descriptor)
            throw SinkError.cannotOpen(path: path, reason: reason)
        }
        return OpenFile(descriptor: descriptor, size: Int(status.st_size))
    }

    /// Shifts `path.N-1` → `path.N` ... `path` → `path.1`; the oldest is overwritten (dropped).
    /// A failed rename leaves the current file in place: lines keep going to it, never lost.
    private func rotate() {
        guard retainedFiles > 0 else {
            unlink(path)
            return
        }
        for index in stride(from: retainedFiles - 1, through: 1, by: -1) {
            rename("\(path).\(index)", "\(path).\(index + 1)")
        }
        rename(path, "\(path).1")
    }

    /// One `write(2)` of the whole line; a short write is completed, and a failure removes the
    /// part already written so the file ends on a line boundary.
    private func append(_ line: [UInt8], to current: OpenFile) throws {
        try line.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(current.descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    let reason = Self.systemError()
                    if offset > 0 { _ = ftruncate(current.descriptor, off_t(current.size)) }
                    throw SinkError.writeFailed(path: path, reason: reason)
                }
                offset += written
            }
        }
    }

    private static func systemError() -> String {
        SystemError.current.description
    }
}
