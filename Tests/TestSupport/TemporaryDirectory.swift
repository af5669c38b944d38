import Foundation

/// A fresh directory under /tmp, removed with everything in it when the object goes away.
public final class TemporaryDirectory: Sendable {
    /// The directory's path.
    public let path: String

    /// Creates `/tmp/edgeprobe-<prefix>-<random>`.
    public init(prefix: String = "test") {
        path = "/tmp/edgeprobe-\(prefix)-\(UUID().uuidString.prefix(8))"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// `name` inside the directory.
    public func file(_ name: String) -> String {
        path + "/" + name
    }

    /// Writes `text` to `name` inside the directory; its path.
    @discardableResult
    public func write(_ text: String, to name: String) -> String {
        let file = file(name)
        precondition(FileManager.default.createFile(atPath: file, contents: Data(text.utf8)), "cannot write \(file)")
        return file
    }
}
