import Glibc
import SystemErrors

/// Reads small procfs and sysfs files whole, with `open`/`read`/`close` and no buffering layer:
/// these files are generated on each read, so one fresh read per sample is the cheapest way.
public enum TextFile {
    /// The bytes of the file at `path`, or `nil` when it does not exist or cannot be read.
    public static func bytes(_ path: String) -> [UInt8]? {
        try? WholeFile.bytes(path)
    }

    /// The text of the file at `path`, or `nil` when it cannot be read.
    public static func text(_ path: String) -> String? {
        bytes(path).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The file's first line without its trailing newline, or `nil`. Reads once into a stack
    /// buffer: meant for one-line sysfs attributes and short procfs files (first line < 4 KiB).
    public static func firstLine(_ path: String) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 4096) { buffer -> String? in
            var count = read(descriptor, buffer.baseAddress, buffer.count)
            while count < 0 && errno == EINTR { count = read(descriptor, buffer.baseAddress, buffer.count) }
            guard count >= 0 else { return nil }
            let line = UnsafeBufferPointer(rebasing: buffer[0..<count]).prefix { $0 != UInt8(ascii: "\n") }
            return String(decoding: line, as: UTF8.self)
        }
    }

    /// Joins a filesystem root and an absolute path: `("/tmp/tree", "/proc/stat")` → `/tmp/tree/proc/stat`.
    public static func path(root: String, _ absolute: String) -> String {
        if root.isEmpty || root == "/" { return absolute }
        return root.hasSuffix("/") ? String(root.dropLast()) + absolute : root + absolute
    }
}
