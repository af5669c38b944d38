import ArgumentParser
import Telemetry

/// A `--cpus` value: CPU numbers separated by commas, e.g. `0,1`.
struct CPUListArgument: ExpressibleByArgument, Sendable, Equatable {
    /// The CPU numbers, in the order given.
    let cpus: [Int]

    init?(argument: String) {
        let numbers = argument.split(separator: ",", omittingEmptySubsequences: false).map { Int($0.filter { $0 != " " }) }
        guard !numbers.isEmpty, numbers.allSatisfy({ ($0 ?? -1) >= 0 }) else { return nil }
        cpus = numbers.compactMap { $0 }
    }

    /// Checks that every CPU is online: pinning to a CPU that is not would silently run unpinned.
    /// - Throws: `ValidationError` naming the CPUs that are not online.
    func validateOnline() throws {
        try Self.validateOnline(cpus)
    }

    /// Checks that every CPU of `cpus` is online.
    /// - Throws: `ValidationError` naming the CPUs that are not online.
    static func validateOnline(_ cpus: [Int]) throws {
        guard let online = CPUList.online() else { return }
        let missing = cpus.filter { !online.contains($0) }
        guard missing.isEmpty else {
            let names = missing.map(String.init).joined(separator: ",")
            throw ValidationError("--cpus: CPU \(names) is not online (online: \(online.map(String.init).joined(separator: ",")))")
        }
    }
}
