import Kernels
import XNNPACKEngine

/// The worker threads of the engines a run measures, created once: edgeprobe's `ThreadPool` and
/// XNNPACK's pthreadpool, with the same thread count on the same CPUs.
public final class EngineThreads: @unchecked Sendable {
    /// edgeprobe's pool (nil when edgeprobe is not measured).
    public let pool: ThreadPool?
    /// XNNPACK's threads (nil when XNNPACK is not measured).
    public let xnnpack: XNNPACKThreads?

    /// Threads for `engines`: `threadCount` each, pinned to `cpus` where given.
    /// - Throws: `XNNPACKError` when XNNPACK is asked for and cannot initialize on this CPU.
    public init(engines: [Engine], threadCount: Int, cpus: [Int]?) throws(XNNPACKError) {
        if engines.contains(.xnnpack) {
            try XNNPACK.initialize()
            // First, so its threads may run on every CPU of `cpus` before the ThreadPool pins the caller.
            xnnpack = XNNPACKThreads(threadCount: threadCount, cpus: cpus)
        } else {
            xnnpack = nil
        }
        pool = engines.contains(.edgeprobe) ? ThreadPool(threadCount: threadCount, cpus: cpus) : nil
        // The calling thread works too: on the first CPU, as ThreadPool puts it.
        if pool == nil, let first = cpus?.first { CPUAffinity.pinCurrentThread(to: [first]) }
    }

    /// The CPU set each of edgeprobe's threads ran on (XNNPACK's pthreadpool cannot say; its threads
    /// inherit the CPUs given at start-up).
    public var effectiveAffinity: [[Int]] { pool?.effectiveAffinity ?? [] }
}
