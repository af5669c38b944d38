import Kernels
import XNNPACKShim

/// The pthreadpool XNNPACK operators spread their work over: `threadCount` threads, the calling
/// thread included (1 runs everything on the caller, without a pool).
public final class XNNPACKThreads: @unchecked Sendable {
    /// Threads that work on one operator, including the caller.
    public let threadCount: Int
    let pool: OpaquePointer?

    /// Starts `threadCount - 1` pool threads. pthreadpool cannot pin its threads, so with `cpus`
    /// they are started while the calling thread may run on every CPU of `cpus` (they inherit
    /// that set), and the caller's own affinity is restored afterwards.
    public init(threadCount: Int, cpus: [Int]? = nil) {
        precondition(threadCount >= 1, "XNNPACKThreads: threadCount must be at least 1, got \(threadCount)")
        self.threadCount = threadCount
        guard threadCount > 1 else {
            pool = nil
            return
        }
        let callerCPUs = CPUAffinity.currentThreadCPUs()
        if let cpus, !cpus.isEmpty { CPUAffinity.pinCurrentThread(to: cpus) }
        pool = ep_xnn_threads_create(threadCount)
        if let cpus, !cpus.isEmpty, !callerCPUs.isEmpty { CPUAffinity.pinCurrentThread(to: callerCPUs) }
    }

    deinit {
        ep_xnn_threads_destroy(pool)
    }
}
