import Glibc
import SystemErrors

/// A sink writing each line with a single `write(2)` to a file descriptor: standard output, or
/// a file opened with `O_APPEND` so concurrent writers and crashes never interleave half lines.
public final class FileDescriptorSink: LineSink {
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    /// The file's path, for errors; `nil` for standard output and standard error.
    private let path: String?

    /// Standard output, where machine-readable records go.
    public static let standardOutput = FileDescriptorSink(descriptor: STDOUT_FILENO, owns: false)

    /// Standard error, where error records for people and journald go.
    public static let standardError = FileDescriptorSink(descriptor: STDERR_FILENO, owns: false)

    private init(descriptor: Int32, owns: Bool, path: String? = nil) {
        self.descriptor = descriptor
        self.ownsDescriptor = owns
        self.path = path
    }

    /// Opens (creating if needed) `path` for appending.
    /// - Throws: `SinkError.cannotOpen` naming the path and the system's reason.
    public convenience init(appendingTo path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw SinkError.cannotOpen(path: path, reason: SystemError.current.description)
        }
        self.init(descriptor: descriptor, owns: true, path: path)
    }

    deinit {
        if ownsDescriptor { close(descriptor) }
    }

    /// Writes the line in one `write(2)`; a short write (pipes, signals) is completed, never
    /// dropped. When a file fills up (disk full, file size limit) the part of the line already
    /// written is cut off again, so the file still ends on a whole record.
    public func write(line: [UInt8]) throws {
        var status = stat()
        let startSize: off_t? = path != nil && fstat(descriptor, &status) == 0 && (status.st_mode & S_IFMT) == S_IFREG
            ? status.st_size : nil
        try line.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    let reason = SystemError.current.description
                    if offset > 0, let startSize { _ = ftruncate(descriptor, startSize) }
                    throw SinkError.writeFailed(path: path, reason: reason)
                }
                offset += written
            }
        }
    }
}

/// Why a sink could not take a line.
public enum SinkError: Error, CustomStringConvertible {
    /// The output file could not be opened.
    case cannotOpen(path: String, reason: String)
    /// A `write(2)` failed (disk full, closed pipe, ...); `path` is `nil` for standard output.
    case writeFailed(path: String?, reason: String)

    public var description: String {
        switch self {
        case let .cannotOpen(path, reason): "cannot open '\(path)' for writing: \(reason)"
        case let .writeFailed(path?, reason): "\(path): cannot write a record: \(reason)"
        case let .writeFailed(nil, reason): "cannot write a record: \(reason)"
        }
    }
}
