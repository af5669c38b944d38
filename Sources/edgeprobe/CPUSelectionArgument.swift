import ArgumentParser
import Telemetry

/// A `--cpus` value that may name a cluster: `big`, `little` or `all` (big.LITTLE boards, told
/// apart by `cpu_capacity` or `cpuinfo_max_freq`), or CPU numbers separated by commas, e.g. `0,1`.
struct CPUSelectionArgument: ExpressibleByArgument, Sendable, Equatable {
    /// What was asked for.
    enum Selection: Sendable, Equatable {
        case list([Int])
        case cluster(String)
    }

    /// The selection.
    let selection: Selection

    init?(argument: String) {
        if ["big", "little", "all"].contains(argument) {
            selection = .cluster(argument)
        } else if let list = CPUListArgument(argument: argument) {
            selection = .list(list.cpus)
        } else {
            return nil
        }
    }

    /// The CPU numbers on a board with `clusters`, or `nil` when it has no such cluster.
    func cpus(on clusters: CPUClusters) -> [Int]? {
        switch selection {
        case .list(let cpus):
            return cpus
        case .cluster(let name):
            guard let cluster = clusters.cluster(named: name), !cluster.cpus.isEmpty else { return nil }
            return cluster.cpus
        }
    }

    /// Checks that every CPU of a list is online (a cluster's CPUs are found online).
    /// - Throws: `ValidationError` naming the CPUs that are not online.
    func validateOnline() throws {
        if case .list(let cpus) = selection { try CPUListArgument.validateOnline(cpus) }
    }

    /// Checks that the board has the cluster asked for.
    /// - Throws: `ValidationError` naming `--cpus` (`big` on a board whose cores are all alike).
    func validate(on clusters: CPUClusters) throws {
        guard case .cluster(let name) = selection, cpus(on: clusters) == nil else { return }
        let kinds = clusters.clusters.count
        let found = kinds == 1
            ? "one cluster (all cores alike)"
            : "\(kinds) clusters (\(clusters.clusters.map(\.name).joined(separator: ", ")))"
        throw ValidationError("--cpus \(name): this board has \(found) and no \(name) cluster")
    }
}
