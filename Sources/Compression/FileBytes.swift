// Whole-file reads and writes with plain POSIX calls (no Foundation in the agent's path).

import Glibc

/// Reads and writes whole files, reporting failures as `ModelFileError.io` with the system's reason.
public enum FileBytes {
    /// The contents of the file at `path`.
    public static func read(_ path: String) throws(ModelFileError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .io(path: path, reason: systemError()) }
        defer { close(descriptor) }
        var bytes = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .io(path: path, reason: systemError())
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<count])
        }
    }

    /// Writes `bytes` to `path`, creating or truncating it.
    public static func write(_ bytes: [UInt8], to path: String) throws(ModelFileError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .io(path: path, reason: systemError()) }
        defer { close(descriptor) }
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                throw .io(path: path, reason: systemError())
            }
            offset += written
        }
    }

    private static func systemError() -> String {
        String(cString: strerror(errno))
    }
}
