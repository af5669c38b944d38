import CompressionStudy
import Engines
import Kernels
import Measurement
import Models
import Profiles
import Suites
import Tensors

/// What a soak runs, built and ready: one inference per `run()`.
public struct SoakWorkload {
    /// What it is, for the `soak` record.
    public let description: SoakWorkloadDescription
    /// Runs one inference on `pool`.
    public let run: () -> Void

    /// A problem with what `--arch`, `--variant`, `--suite` or `--layer` named: a usage error.
    public struct UsageError: Error, CustomStringConvertible {
        /// The option at fault, e.g. `--variant`.
        public let option: String
        /// What is wrong.
        public let problem: String
        public var description: String { "\(option): \(problem)" }
    }

    /// A network from an architecture file (`Profiles/archs/<name>.yaml` or a path) with seeded
    /// random weights: the fused network `latency` measures, or with `variant` one of the
    /// stages `compress` builds from it (`original`, `pruned`, `int8`, `shared-4bit`,
    /// `pruned+shared+huffman`; 90 % sparsity where pruned).
    /// - Throws: `UsageError` for an unknown architecture or variant; `ProfileError` for a bad file.
    public static func network(
        arch: String, variant: String?, seed: UInt64, pool: ThreadPool, locator: ProfileLocator = .standard()
    ) throws -> SoakWorkload {
        let path = try locate(arch, kind: "archs", option: "--arch", locator: locator)
        let plan = try ArchitectureSpec.loadPlan(path: path)
        let network: Network
        if let variant {
            let study = try CompressionStudy.randomWeights(plan.definition(seed: seed), seed: seed, sparsity: 0.9, pool: pool)
            guard let chosen = study.variants.first(where: { $0.name == variant }) else {
                let names = study.variants.map(\.name).joined(separator: ", ")
                throw UsageError(option: "--variant", problem: "unknown variant '\(variant)' (variants: \(names))")
            }
            network = chosen.network
        } else {
            network = try plan.build(seed: seed)
        }
        var initializer = WeightInitializer(seed: seed &+ 1)
        let input = initializer.input(network.inputShape)
        return SoakWorkload(
            description: SoakWorkloadDescription(kind: "arch", name: plan.spec.name, variant: variant),
            run: { blackHole(network.forward(input, pool: pool)) })
    }

    /// One layer of a suite (`Profiles/suites/<name>.yaml` or a path) with seeded random weights.
    /// - Throws: `UsageError` for an unknown suite or layer; `ProfileError` for a bad file.
    public static func layer(
        suite: String, layer name: String, seed: UInt64, pool: ThreadPool, locator: ProfileLocator = .standard()
    ) throws -> SoakWorkload {
        let path = try locate(suite, kind: "suites", option: "--suite", locator: locator)
        let loaded = try Suite.load(path: path)
        guard let layer = loaded.layers.first(where: { $0.name == name }) else {
            let names = loaded.layers.map(\.name).joined(separator: ", ")
            throw UsageError(option: "--layer", problem: "no layer '\(name)' in suite \(loaded.name) (layers: \(names))")
        }
        var initializer = WeightInitializer(seed: seed)
        let workload = try LayerWorkload(
            layer: layer, engine: .edgeprobe, threads: EngineThreads(edgeprobe: pool), initializer: &initializer)
        return SoakWorkload(
            description: SoakWorkloadDescription(kind: "layer", name: layer.name, suite: loaded.name, layer: layer.name),
            run: { workload.run() })
    }

    /// The file of profile `name` of `kind` (`archs`, `suites`); a usage error of `option` when
    /// `locator` finds none.
    private static func locate(_ name: String, kind: String, option: String, locator: ProfileLocator) throws(UsageError) -> String {
        do {
            return try locator.locate(name, kind: kind)
        } catch {
            throw UsageError(option: option, problem: error.description)
        }
    }
}
