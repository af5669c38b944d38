import Foundation

/// Runs `body` on a thread of its own and returns what it returned (or throws what it threw).
///
/// Swift Testing runs tests on the concurrency pool, which has one thread per CPU: two here. A
/// test that blocks (a socket read, a wait for a child process) or measures for seconds (a
/// lookup table, an engine at two threads) would hold a pool thread all that time, and on a
/// loaded machine two of them starved every other test past its time limit. On an own thread
/// it holds none: the awaiting test is suspended. (Not `DispatchQueue.global()`: on Linux its
/// threads are the same few the pool has.)
public func onOwnThread<Value: Sendable, Failure: Error>(
    _ body: @escaping @Sendable () throws(Failure) -> Value
) async throws(Failure) -> Value {
    let result: Result<Value, Failure> = await withCheckedContinuation { continuation in
        Thread.detachNewThread {
            continuation.resume(returning: Result { () throws(Failure) -> Value in try body() })
        }
    }
    return try result.get()
}
