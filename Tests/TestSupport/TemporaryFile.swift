import Glibc

/// A file under /tmp holding `text`, with the given permissions, removed when the object goes away.
public final class TemporaryFile: Sendable {
    /// The file's path.
    public let path: String

    /// Writes `text` to a fresh file whose name ends with `suffix`, with permissions `mode`.
    public init(_ text: String, suffix: String = ".yaml", mode: mode_t = 0o600) {
        var template = Array("/tmp/edgeprobe-test-XXXXXX\(suffix)".utf8CString)
        let descriptor = mkstemps(&template, Int32(suffix.utf8.count))
        precondition(descriptor >= 0, "mkstemps failed: \(String(cString: strerror(errno)))")
        path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let bytes = Array(text.utf8)
        precondition(write(descriptor, bytes, bytes.count) == bytes.count, "cannot write \(path)")
        fchmod(descriptor, mode)
        close(descriptor)
    }

    deinit {
        unlink(path)
    }
}
