import Glibc

/// Runs blocking work (a benchmark suite) on a thread of its own, so it never occupies one of
/// the few threads Swift concurrency's cooperative pool has (two on a two-core board).
enum BlockingThread {
    fileprivate final class Job<Value: Sendable>: @unchecked Sendable {
        let body: @Sendable () -> Value
        let continuation: CheckedContinuation<Value, Never>

        init(body: @escaping @Sendable () -> Value, continuation: CheckedContinuation<Value, Never>) {
            self.body = body
            self.continuation = continuation
        }
    }

    /// Runs `body` on a new detached thread and returns its result.
    static func run<Value: Sendable>(_ body: @escaping @Sendable () -> Value) async -> Value {
        await withCheckedContinuation { continuation in
            let job = Job(body: body, continuation: continuation)
            let context = Unmanaged.passRetained(job as AnyObject).toOpaque()
            var attributes = pthread_attr_t()
            pthread_attr_init(&attributes)
            pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
            defer { pthread_attr_destroy(&attributes) }
            var handle = pthread_t()
            let status = pthread_create(&handle, &attributes, { context in
                let job = Unmanaged<AnyObject>.fromOpaque(context!).takeRetainedValue() as! any Runnable
                job.runAndResume()
                return nil
            }, context)
            if status != 0 {
                Unmanaged<AnyObject>.fromOpaque(context).release()
                continuation.resume(returning: body())
            }
        }
    }
}

/// A job the thread entry point can run without knowing its result type.
private protocol Runnable {
    func runAndResume()
}

extension BlockingThread.Job: Runnable {
    func runAndResume() {
        continuation.resume(returning: body())
    }
}
