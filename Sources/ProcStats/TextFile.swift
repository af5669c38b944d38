import Glibc

/// Reads small procfs and sysfs files whole, with `open`/`read`/`close` and no buffering layer:
/// these files are generated on each read, so one fresh read per sample is the cheapest way.
public enum TextFile {
    /// The bytes of the file at `path`, or `nil` when it does not exist or cannot be read.
    public static func bytes(_ path: String) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var contents: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if count == 0 { break }
            contents.append(contentsOf: chunk[0..<count])
        }
        return contents
    }

    /// The text of the file at `path`, or `nil` when it cannot be read.
    public static func text(_ path: String) -> String? {
        bytes(path).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The file's first line without its trailing newline (sysfs attributes are one line), or `nil`.
    public static func firstLine(_ path: String) -> String? {
        guard let bytes = bytes(path) else { return nil }
        let line = bytes.prefix { $0 != UInt8(ascii: "\n") }
        return String(decoding: line, as: UTF8.self)
    }

    /// Joins a filesystem root and an absolute path: `("/tmp/tree", "/proc/stat")` → `/tmp/tree/proc/stat`.
    public static func path(root: String, _ absolute: String) -> String {
        if root.isEmpty || root == "/" { return absolute }
        return root.hasSuffix("/") ? String(root.dropLast()) + absolute : root + absolute
    }
}
