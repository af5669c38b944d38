import Kernels
import Synchronization
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("ThreadPool", .timeLimit(.minutes(5)))
struct ThreadPoolTests {
    @Test("parallelFor runs every index exactly once, on valid workers, job after job", arguments: [1, 2, 4])
    func everyIndexOnce(threads: Int) {
        let pool = ThreadPool(threadCount: threads)
        for count in [1, 2, 7, 1000] {
            let hits = Mutex([Int](repeating: 0, count: count))
            let workers = Mutex(Set<Int>())
            pool.parallelFor(count) { index, worker in
                hits.withLock { $0[index] += 1 }
                workers.withLock { _ = $0.insert(worker) }
            }
            #expect(hits.withLock { $0 } == [Int](repeating: 1, count: count))
            #expect(workers.withLock { $0 }.isSubset(of: Set(0..<threads)))
        }
    }

    @Test("hundreds of back-to-back jobs, more workers than cores: no index lost or repeated")
    func backToBackJobs() {
        let pool = ThreadPool(threadCount: 3)
        let total = Mutex(0)
        var expected = 0
        for job in 0..<300 {
            let count = 1 + job % 37
            expected += count * (count - 1) / 2
            pool.parallelFor(count) { index, _ in total.withLock { $0 += index } }
        }
        #expect(total.withLock { $0 } == expected)
    }

    @Test("pinning to CPU 0 is read back by every worker")
    func pinning() {
        // The creating thread is pinned too: do it on a thread of our own, not a shared test thread.
        let affinity = Mutex<[[Int]]>([])
        runOnNewThread {
            let pool = ThreadPool(threadCount: 2, cpus: [0])
            affinity.withLock { $0 = pool.effectiveAffinity }
        }
        #expect(affinity.withLock { $0 } == [[0], [0]])
    }

    @Test("an unpinned pool reports one non-empty CPU set per worker")
    func unpinnedAffinity() {
        let pool = ThreadPool(threadCount: 3)
        #expect(pool.effectiveAffinity.count == 3)
        #expect(pool.effectiveAffinity.allSatisfy { !$0.isEmpty })
    }

    @Test("the largest pool this machine allows starts (its creator sleeps, not spins) and runs a job",
          .timeLimit(.minutes(1)))
    func largestPoolStarts() {
        let pool = ThreadPool(threadCount: ThreadPool.maximumThreadCount)
        let hits = Mutex(0)
        pool.parallelFor(1000) { _, _ in hits.withLock { $0 += 1 } }
        #expect(hits.withLock { $0 } == 1000)
        #expect(pool.effectiveAffinity.count == ThreadPool.maximumThreadCount)
    }

    @Test("thread counts are bounded by the online CPUs")
    func threadBounds() {
        let maximum = ThreadPool.maximumThreadCount
        #expect(maximum == CPUAffinity.onlineCPUCount * ThreadPool.threadsPerOnlineCPU)
        #expect(ThreadPool.problem(threads: 1) == nil)
        #expect(ThreadPool.problem(threads: maximum) == nil)
        #expect(ThreadPool.problem(threads: 0) == "must be at least 1, got 0")
        #expect(ThreadPool.problem(threads: maximum + 1)?.contains("at most \(maximum)") == true)
    }
}

/// Runs `body` on a fresh pthread and waits for it, so thread-wide side effects (affinity) stay there.
private func runOnNewThread(_ body: @escaping @Sendable () -> Void) {
    final class Box { let body: @Sendable () -> Void; init(_ body: @escaping @Sendable () -> Void) { self.body = body } }
    var thread = pthread_t()
    let box = Unmanaged.passRetained(Box(body)).toOpaque()
    let result = pthread_create(&thread, nil, { argument in
        Unmanaged<Box>.fromOpaque(argument!).takeRetainedValue().body()
        return nil
    }, box)
    precondition(result == 0, "pthread_create failed")
    pthread_join(thread, nil)
}
