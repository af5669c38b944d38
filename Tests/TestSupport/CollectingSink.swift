import Reports
import Synchronization

/// A line sink that keeps every line it takes in memory, and fails (as a full disk would)
/// while `failing` is set.
public final class CollectingSink: LineSink {
    /// Set to make every write fail with "No space left on device".
    public let failing = Atomic<Bool>(false)
    private let taken = Mutex<[String]>([])

    public init() {}

    /// The lines taken so far, each with its newline.
    public var lines: [String] { taken.withLock { $0 } }

    public func write(line: [UInt8]) throws {
        if failing.load(ordering: .relaxed) { throw SinkError.writeFailed(path: nil, reason: "No space left on device") }
        taken.withLock { $0.append(String(decoding: line, as: UTF8.self)) }
    }
}
