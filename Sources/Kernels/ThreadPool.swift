import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Persistent worker threads running parallel-for loops with low dispatch overhead.
///
/// The thread that calls `parallelFor` is worker 0 and works too; workers 1..<threadCount are
/// pthreads that spin briefly after each job (so back-to-back layers dispatch in well under a
/// microsecond-scale wake-up) and then sleep on a condition variable. One `parallelFor` at a time:
/// the pool is meant to be driven by one benchmark thread.
public final class ThreadPool: Sendable {
    /// Number of workers, including the calling thread.
    public let threadCount: Int
    private let state: ThreadPoolState

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
    /// Spins a waiting worker makes before sleeping (~tens of microseconds).
    static let spinLimit = 20_000

    let workerCount: Int
    let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    let wake = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    let generation = Atomic<Int>(0)
    let nextIndex = Atomic<Int>(0)
    let unfinishedWorkers = Atomic<Int>(0)
    let startedWorkers = Atomic<Int>(0)
    let stopping = Atomic<Bool>(false)
    private let affinities: Mutex<[[Int]]>
    private var threads: [pthread_t] = []
    // Written by `run` before publishing a new generation, read by workers after seeing it.
    private var count = 0
    private var body: ((Int, Int) -> Void)?

    init(workerCount: Int) {
        self.workerCount = workerCount
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

    func waitUntilAllWorkersStarted() {
        while startedWorkers.load(ordering: .acquiring) < workerCount - 1 { sched_yield() }
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
        self.count = count
        self.body = body
        nextIndex.store(0, ordering: .relaxed)
        unfinishedWorkers.store(workerCount - 1, ordering: .relaxed)
        pthread_mutex_lock(mutex)
        generation.add(1, ordering: .releasing)
        pthread_cond_broadcast(wake)
        pthread_mutex_unlock(mutex)
        drain(worker: 0)
        while unfinishedWorkers.load(ordering: .acquiring) > 0 {}
        self.body = nil
    }

    private func drain(worker: Int) {
        guard let body else { return }
        let count = self.count
        while true {
            let index = nextIndex.add(1, ordering: .relaxed).oldValue
            if index >= count { break }
            body(index, worker)
        }
    }

    private func workerLoop(worker: Int, cpu: Int?) {
        if let cpu { CPUAffinity.pinCurrentThread(to: [cpu]) }
        recordAffinity(worker: worker)
        var seen = generation.load(ordering: .acquiring)
        startedWorkers.add(1, ordering: .releasing)
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
            drain(worker: worker)
            unfinishedWorkers.subtract(1, ordering: .releasing)
        }
    }
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
