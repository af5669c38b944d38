import Glibc

/// Reads and writes whole files with `open`/`read`/`write`/`close`, no buffering layer and no
/// Foundation, failing with the system's reason: the one file reader behind procfs samples,
/// configuration and profile files, lookup tables and model files.
public enum WholeFile {
    /// Why a file could not be read.
    public enum ReadError: Error, Equatable, Sendable, CustomStringConvertible {
        /// A system call failed.
        case system(SystemError)
        /// The file holds more than the `maxBytes` the caller accepts.
        case tooLarge(maxBytes: Int)

        /// The system's reason (`No such file or directory`), or `more than N bytes`.
        public var description: String {
            switch self {
            case .system(let error): error.description
            case .tooLarge(let maxBytes): "more than \(maxBytes) bytes"
            }
        }
    }

    /// The bytes of the file at `path`; reading stops with `.tooLarge` past `maxBytes`.
    public static func bytes(_ path: String, maxBytes: Int = .max) throws(ReadError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .system(.current) }
        defer { close(descriptor) }
        return try bytes(descriptor: descriptor, maxBytes: maxBytes)
    }

    /// The bytes of the open `descriptor` (a file, a pipe, standard input) up to its end; reading
    /// stops with `.tooLarge` past `maxBytes`. The caller keeps and closes the descriptor.
    public static func bytes(descriptor: Int32, maxBytes: Int = .max) throws(ReadError) -> [UInt8] {
        var contents: [UInt8] = []
        let failure = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 1 << 16) { chunk -> ReadError? in
            while true {
                let count = read(descriptor, chunk.baseAddress, chunk.count)
                if count < 0 {
                    if errno == EINTR { continue }
                    return .system(.current)
                }
                if count == 0 { return nil }
                guard contents.count + count <= maxBytes else { return .tooLarge(maxBytes: maxBytes) }
                contents.append(contentsOf: UnsafeBufferPointer(rebasing: chunk[0..<count]))
            }
        }
        if let failure { throw failure }
        return contents
    }

    /// Writes `bytes` to `path`, creating or truncating it (mode 0644).
    public static func write(_ bytes: [UInt8], to path: String) throws(SystemError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .current }
        defer { close(descriptor) }
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                throw .current
            }
            offset += written
        }
    }
}
