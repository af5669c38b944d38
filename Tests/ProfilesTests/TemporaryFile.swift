import Glibc

/// A file with the given text under /tmp, removed when the test is done with it.
final class TemporaryFile {
    let path: String

    init(_ text: String, suffix: String = ".yaml") {
        var template = Array("/tmp/edgeprobe-test-XXXXXX\(suffix)".utf8CString)
        let descriptor = mkstemps(&template, Int32(suffix.utf8.count))
        precondition(descriptor >= 0, "mkstemps failed")
        path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        _ = text.utf8CString.withUnsafeBufferPointer { write(descriptor, $0.baseAddress, $0.count - 1) }
        close(descriptor)
    }

    deinit {
        unlink(path)
    }
}
