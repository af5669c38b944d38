import Glibc

/// A token file under /tmp with the given permissions, removed when the test is done with it.
final class TemporaryToken {
    let path: String

    init(_ token: String, mode: mode_t = 0o600) {
        var template = Array("/tmp/edgeprobe-token-XXXXXX".utf8CString)
        let descriptor = mkstemp(&template)
        precondition(descriptor >= 0, "mkstemp failed")
        path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        _ = (token + "\n").utf8CString.withUnsafeBufferPointer { write(descriptor, $0.baseAddress, $0.count - 1) }
        fchmod(descriptor, mode)
        close(descriptor)
    }

    deinit {
        unlink(path)
    }
}
