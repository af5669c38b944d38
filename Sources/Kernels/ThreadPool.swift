import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Persistent worker threads running parallel-for loops with low dispatch overhead.
///
/// The thread that calls `parallelFor` is worker 0 and works too; workers 1..<threadCount are
/// pthreads that spin briefly after each job (so back-to-back layers dispatch without a futex
/// wake-up) and then sleep on a condition variable. Each worker first takes the indices of its
/// own contiguous share, in order, so a layer run again lands on the same cores and finds its rows
/// in their caches; a worker with nothing left takes indices from the others' shares (through the
/// same per-share atomic counters), so a preempted or late worker delays the job by at most the
/// index it holds. A worker must join a job before taking indices, and the caller closes the job
/// once every chunk is taken, so it waits only for workers still finishing a chunk, never for one
/// that has not woken up yet: on a loaded machine a preempted or sleeping worker costs at most the
/// chunk it holds. One `parallelFor` at a time: the pool is meant to be driven by one thread.
///
/// Pinning (`cpus`) puts each worker on one CPU: best on a quiet board, but on a loaded machine a
/// pinned worker cannot move to an idle core. Without `cpus`, workers inherit the creating
/// thread's affinity (so a creator pinned to one CPU puts every worker there).
public final class ThreadPool: Sendable {
    /// Number of workers, including the calling thread.
    public let threadCount: Int
    private let state: ThreadPoolState

    /// How many threads a pool may have per online CPU: a few for experiments with
    /// oversubscription, not the thousands a typo asks for.
    public static let threadsPerOnlineCPU = 4

    /// The most threads a pool may have on this machine: `threadsPerOnlineCPU` per online CPU.
    public static var maximumThreadCount: Int { CPUAffinity.onlineCPUCount * threadsPerOnlineCPU }

    /// Why `threads` cannot be a pool's thread count on this machine (fewer than 1, or more than
    /// `maximumThreadCount`), in words for an error message; `nil` when it can.
    public static func problem(threads: Int) -> String? {
        if threads < 1 { return "must be at least 1, got \(threads)" }
        let maximum = maximumThreadCount
        guard threads <= maximum else {
            return "\(threads) is more than \(threadsPerOnlineCPU) per online CPU (\(CPUAffinity.onlineCPUCount) online): at most \(maximum)"
        }
        return nil
    }

    /// Starts `threadCount - 1` worker threads. With `cpus`, worker i (the creating thread is
    /// worker 0) is pinned with `sched_setaffinity` to `cpus[i % cpus.count]`.
    public init(threadCount: Int, cpus: [Int]? = nil) {
        precondition(threadCount >= 1, "ThreadPool: threadCount must be at least 1, got \(threadCount)")
        self.threadCount = threadCount
        state = ThreadPoolState(workerCount: threadCount)
        let pinning = cpus.flatMap { $0.isEmpty ? nil : $0 }
        if let pinning { CPUAffinity.pinCurrentThread(to: [pinning[0]]) }
        state.recordAffinity(worker: 0)
        for worker in 1..<max(threadCount, 1) {
            state.startWorker(worker, cpu: pinning.map { $0[worker % $0.count] })
        }
        state.waitUntilAllWorkersStarted()
    }

    /// The CPU set each worker actually got, read back with `sched_getaffinity` (index = worker).
    public var effectiveAffinity: [[Int]] { state.affinity }

    /// Runs `body(index, worker)` for every index in 0..<count, spread over the workers; returns
    /// when all are done. `worker` is in 0..<threadCount and lets the body use per-worker scratch.
    public func parallelFor(_ count: Int, _ body: (_ index: Int, _ worker: Int) -> Void) {
        guard count > 0 else { return }
        if threadCount == 1 || count == 1 {
            for index in 0..<count { body(index, 0) }
            return
        }
        withoutActuallyEscaping(body) { escapable in
            state.run(count: count, body: escapable)
        }
    }

    deinit {
        state.shutdown()
    }
}

// MARK: - Shared state

/// The mutable heart of a `ThreadPool`; every field is guarded by the mutex or is atomic.
private final class ThreadPoolState: @unchecked Sendable {
    /// Polls a waiting worker makes before sleeping on the condition variable (~20-50 µs).
    static let spinLimit = 20_000
    /// Polls before the caller, waiting for busy workers, starts yielding its CPU between polls.
    static let spinsBeforeYield = 2_000
    /// Bit of `ticket` set when the caller closes a job to late joiners.
    static let closedBit = 1 << 20
    /// `ticket` = job << jobShift | closedBit? | joined workers.
    static let jobShift = 21

    let workerCount: Int
    let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    let wake = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    /// The latest published job number.
    let generation = Atomic<Int>(0)
    /// Which job workers may join, whether it is closed, and how many joined.
    let ticket = Atomic<Int>(0)
    /// One share of the index range per worker.
    private let shares: [Share]
    /// Joined workers that have finished the current job.
    let finishedWorkers = Atomic<Int>(0)
    let startedWorkers = Atomic<Int>(0)
    let stopping = Atomic<Bool>(false)
    private let affinities: Mutex<[[Int]]>
    private var threads: [pthread_t] = []
    // Written by `run` before publishing a new generation, read by workers after seeing it.
    private var count = 0
    private var body: ((Int, Int) -> Void)?

    init(workerCount: Int) {
        self.workerCount = workerCount
        shares = (0..<workerCount).map { _ in Share() }
        affinities = Mutex(Array(repeating: [], count: workerCount))
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(wake, nil)
    }

    var affinity: [[Int]] { affinities.withLock { $0 } }

    func recordAffinity(worker: Int) {
        let cpus = CPUAffinity.currentThreadCPUs()
        affinities.withLock { $0[worker] = cpus }
    }

    // MARK: Lifecycle

    func startWorker(_ worker: Int, cpu: Int?) {
        let context = Unmanaged.passRetained(WorkerContext(state: self, worker: worker, cpu: cpu))
        var thread = pthread_t()
        let result = pthread_create(&thread, nil, { argument in
            let context = Unmanaged<WorkerContext>.fromOpaque(argument!).takeRetainedValue()
            context.state.workerLoop(worker: context.worker, cpu: context.cpu)
            return nil
        }, context.toOpaque())
        precondition(result == 0, "ThreadPool: pthread_create failed with \(result)")
        threads.append(thread)
    }

    /// Sleeps until every worker has started (each one signals `wake` under the mutex), rather
    /// than spinning: starting many threads on few CPUs needs the CPUs the spin would take.
    func waitUntilAllWorkersStarted() {
        pthread_mutex_lock(mutex)
        while startedWorkers.load(ordering: .acquiring) < workerCount - 1 {
            pthread_cond_wait(wake, mutex)
        }
        pthread_mutex_unlock(mutex)
    }

    func shutdown() {
        pthread_mutex_lock(mutex)
        stopping.store(true, ordering: .releasing)
        pthread_cond_broadcast(wake)
        pthread_mutex_unlock(mutex)
        for thread in threads { pthread_join(thread, nil) }
        pthread_cond_destroy(wake)
        pthread_mutex_destroy(mutex)
        wake.deallocate()
        mutex.deallocate()
    }

    // MARK: Jobs

    func run(count: Int, body: @escaping (Int, Int) -> Void) {
        let job = generation.load(ordering: .relaxed) + 1
        self.count = count
        self.body = body
        for (worker, share) in shares.enumerated() {
            share.next.store(worker * count / workerCount, ordering: .relaxed)
            share.end = (worker + 1) * count / workerCount
        }
        finishedWorkers.store(0, ordering: .relaxed)
        ticket.store(job << Self.jobShift, ordering: .releasing)
        pthread_mutex_lock(mutex)
        generation.store(job, ordering: .releasing)
        pthread_cond_broadcast(wake)
        pthread_mutex_unlock(mutex)
        drain(worker: 0)
        // Every chunk is taken: close the job, then wait only for the workers that joined it.
        let joined = ticket.add(Self.closedBit, ordering: .acquiringAndReleasing).oldValue & (Self.closedBit - 1)
        var spins = 0
        while finishedWorkers.load(ordering: .acquiring) < joined {
            spins += 1
            if spins > Self.spinsBeforeYield { sched_yield() }
        }
        self.body = nil
    }

    /// Joins job `job` unless the caller already closed it (or a newer job replaced it).
    private func join(job: Int) -> Bool {
        var current = ticket.load(ordering: .acquiring)
        while current >> Self.jobShift == job && current & Self.closedBit == 0 {
            let (exchanged, original) = ticket.compareExchange(
                expected: current, desired: current + 1, ordering: .acquiringAndReleasing)
            if exchanged { return true }
            current = original
        }
        return false
    }

    /// Runs indices of the worker's own share, then of the others' shares, until none is left.
    private func drain(worker: Int) {
        guard let body else { return }
        for offset in 0..<workerCount {
            let share = shares[(worker + offset) % workerCount]
            let end = share.end
            while true {
                let index = share.next.add(1, ordering: .relaxed).oldValue
                if index >= end { break }
                body(index, worker)
            }
        }
    }

    private func workerLoop(worker: Int, cpu: Int?) {
        if let cpu { CPUAffinity.pinCurrentThread(to: [cpu]) }
        recordAffinity(worker: worker)
        var seen = generation.load(ordering: .acquiring)
        pthread_mutex_lock(mutex)
        startedWorkers.add(1, ordering: .releasing)
        pthread_cond_broadcast(wake)
        pthread_mutex_unlock(mutex)
        while true {
            var spins = 0
            while generation.load(ordering: .acquiring) == seen && !stopping.load(ordering: .relaxed)
                && spins < Self.spinLimit {
                spins += 1
            }
            if generation.load(ordering: .acquiring) == seen {
                pthread_mutex_lock(mutex)
                while generation.load(ordering: .acquiring) == seen && !stopping.load(ordering: .relaxed) {
                    pthread_cond_wait(wake, mutex)
                }
                pthread_mutex_unlock(mutex)
            }
            if stopping.load(ordering: .acquiring) { return }
            seen = generation.load(ordering: .acquiring)
            if join(job: seen) {
                drain(worker: worker)
                finishedWorkers.add(1, ordering: .releasing)
            }
        }
    }
}

/// A contiguous part of a job's indices: `next` is taken with fetch-add by its owner and by thieves.
private final class Share: @unchecked Sendable {
    let next = Atomic<Int>(0)
    /// Written by `run` before the job is published, read by workers after joining it.
    var end = 0
    /// Keeps two shares' counters off one cache line.
    private let padding: (Int, Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0, 0)
}

/// What a new worker thread needs, passed through pthread_create's single pointer.
private final class WorkerContext {
    let state: ThreadPoolState
    let worker: Int
    let cpu: Int?

    init(state: ThreadPoolState, worker: Int, cpu: Int?) {
        self.state = state
        self.worker = worker
        self.cpu = cpu
    }
}
