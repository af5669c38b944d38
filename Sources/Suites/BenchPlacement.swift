/// Where a suite's layers run: a thread count on a set of CPUs, and the cluster those CPUs form.
public struct BenchPlacement: Sendable, Equatable {
    /// Benchmark threads.
    public var threads: Int
    /// CPUs to pin them to, or `nil` to leave them to the kernel.
    public var cpus: [Int]?
    /// The cluster of `cpus` (`big`, `little`, `all`, `mixed`), or `nil` when unpinned.
    public var cluster: String?

    /// A placement as given.
    public init(threads: Int, cpus: [Int]?, cluster: String?) {
        self.threads = threads
        self.cpus = cpus
        self.cluster = cluster
    }

    /// `big x2`, `all x4`, `x1` (unpinned): how progress lines name it.
    public var label: String {
        (cluster.map { $0 + " " } ?? "") + "x\(threads)"
    }

    /// Every cluster at every thread count from 1 to its size, the first CPUs of the cluster
    /// taken in order: what `bench --sweep-clusters` measures.
    public static func sweep(_ clusters: [(name: String, cpus: [Int])]) -> [BenchPlacement] {
        clusters.flatMap { cluster in
            (1...Swift.max(1, cluster.cpus.count)).map { count in
                BenchPlacement(threads: count, cpus: Array(cluster.cpus.prefix(count)), cluster: cluster.name)
            }
        }
    }
}
