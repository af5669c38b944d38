import ArgumentParser

/// A `--cpus` value: CPU numbers separated by commas, e.g. `0,1`.
struct CPUListArgument: ExpressibleByArgument, Sendable, Equatable {
    /// The CPU numbers, in the order given.
    let cpus: [Int]

    init?(argument: String) {
        let numbers = argument.split(separator: ",", omittingEmptySubsequences: false).map { Int($0.filter { $0 != " " }) }
        guard !numbers.isEmpty, numbers.allSatisfy({ ($0 ?? -1) >= 0 }) else { return nil }
        cpus = numbers.compactMap { $0 }
    }
}
