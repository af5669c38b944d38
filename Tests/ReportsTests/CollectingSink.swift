import Synchronization
import Reports

/// A sink that keeps lines in memory, for tests.
final class CollectingSink: LineSink {
    private let stored = Mutex<[String]>([])

    var lines: [String] { stored.withLock { $0 } }

    func write(line: [UInt8]) throws {
        stored.withLock { $0.append(String(decoding: line, as: UTF8.self)) }
    }
}
