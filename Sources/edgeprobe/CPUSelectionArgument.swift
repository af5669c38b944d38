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

    /// The CPU numbers on this board.
    /// - Throws: `ValidationError` naming `--cpus` when the board has no such cluster (`big` on
    ///   a board whose cores are all alike).
    func cpus(on clusters: CPUClusters) throws -> [Int] {
        switch selection {
        case .list(let cpus):
            return cpus
        case .cluster(let name):
            guard let cluster = clusters.cluster(named: name), !cluster.cpus.isEmpty else {
                let kinds = clusters.clusters.count
                throw ValidationError(
                    "--cpus \(name): this board has \(kinds == 1 ? "one cluster (all cores alike)" : "\(kinds) clusters (\(clusters.clusters.map(\.name).joined(separator: ", ")))") and no \(name) cluster")
            }
            return cluster.cpus
        }
    }
}
