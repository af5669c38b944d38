import CompressionStudy
import Engines
import Kernels
import Measurement
import Models
import Profiles
import Suites
import Tensors

/// What a soak runs, built and ready on each engine asked for: one inference per `run()` of an
/// engine's entry. With two engines (`--engine both`) the runner takes them in turns.
public struct SoakWorkload {
    /// One engine's build of the workload.
    public struct EngineRun {
        /// The engine whose kernels run it.
        public let engine: Engine
        /// Runs one inference.
        public let run: () -> Void

        /// `run` on `engine`.
        public init(engine: Engine, run: @escaping () -> Void) {
            self.engine = engine
            self.run = run
        }
    }

    /// What it is, for the `soak` record.
    public let description: SoakWorkloadDescription
    /// Each engine's build, edgeprobe first; never empty.
    public let runs: [EngineRun]

    /// A workload of `runs` (at least one).
    public init(description: SoakWorkloadDescription, runs: [EngineRun]) {
        precondition(!runs.isEmpty, "SoakWorkload: no engine")
        self.description = description
        self.runs = runs
    }

    /// A problem with what `--arch`, `--variant`, `--suite` or `--layer` named: a usage error.
    public struct UsageError: Error, CustomStringConvertible {
        /// The option at fault, e.g. `--variant`.
        public let option: String
        /// What is wrong.
        public let problem: String
        public var description: String { "\(option): \(problem)" }
    }

    /// A network from an architecture file (`Profiles/archs/<name>.yaml` or a path) with seeded
    /// random weights, on each of `engines`: the fused network `latency` measures, or with
    /// `variant` one of the stages `compress` builds from it (`original`, `pruned`, `int8`,
    /// `shared-4bit`, `pruned+shared+huffman`; 90 % sparsity where pruned), which only edgeprobe's
    /// kernels run. Every engine gets the same weights and input.
    /// - Throws: `UsageError` for an unknown architecture or variant, or a variant on XNNPACK;
    ///   `ProfileError` for a bad file; `ModelError` or `XNNPACKError` for a network an engine cannot build.
    public static func network(
        arch: String, variant: String?, seed: UInt64, engines: [Engine], threads: EngineThreads,
        locator: ProfileLocator = .standard()
    ) throws -> SoakWorkload {
        let path = try locate(arch, kind: "archs", option: "--arch", locator: locator)
        let plan = try ArchitectureSpec.loadPlan(path: path)
        var initializer = WeightInitializer(seed: seed &+ 1)
        let description = SoakWorkloadDescription(kind: "arch", name: plan.spec.name, variant: variant)
        guard let variant else {
            let definition = plan.definition(seed: seed)
            let input = initializer.input(definition.inputShape)
            return SoakWorkload(description: description, runs: try engines.map { engine in
                let network = try EngineNetwork(definition, engine: engine, threads: threads, input: input)
                return EngineRun(engine: engine, run: network.run)
            })
        }
        if let other = engines.first(where: { $0 != .edgeprobe }) {
            throw UsageError(option: "--variant", problem: "compressed variants run on edgeprobe's kernels only, not on \(other) (drop --variant, or use --engine edgeprobe)")
        }
        let pool = threads.pool!
        let study = try CompressionStudy.randomWeights(plan.definition(seed: seed), seed: seed, sparsity: 0.9, pool: pool)
        guard let chosen = study.variants.first(where: { $0.name == variant }) else {
            let names = study.variants.map(\.name).joined(separator: ", ")
            throw UsageError(option: "--variant", problem: "unknown variant '\(variant)' (variants: \(names))")
        }
        let network = chosen.network
        let input = initializer.input(network.inputShape)
        return SoakWorkload(description: description, runs: [
            EngineRun(engine: .edgeprobe, run: { blackHole(network.forward(input, pool: pool)) }),
        ])
    }

    /// One layer of a suite (`Profiles/suites/<name>.yaml` or a path) with seeded random weights, on
    /// each of `engines` (the same weights and input on each).
    /// - Throws: `UsageError` for an unknown suite or layer; `ProfileError` for a bad file;
    ///   `ModelError` or `XNNPACKError` for a layer an engine cannot build.
    public static func layer(
        suite: String, layer name: String, seed: UInt64, engines: [Engine], threads: EngineThreads,
        locator: ProfileLocator = .standard()
    ) throws -> SoakWorkload {
        let path = try locate(suite, kind: "suites", option: "--suite", locator: locator)
        let loaded = try Suite.load(path: path)
        guard let layer = loaded.layers.first(where: { $0.name == name }) else {
            let names = loaded.layers.map(\.name).joined(separator: ", ")
            throw UsageError(option: "--layer", problem: "no layer '\(name)' in suite \(loaded.name) (layers: \(names))")
        }
        return SoakWorkload(
            description: SoakWorkloadDescription(kind: "layer", name: layer.name, suite: loaded.name, layer: layer.name),
            runs: try engines.map { engine in
                var initializer = WeightInitializer(seed: seed)
                let workload = try LayerWorkload(layer: layer, engine: engine, threads: threads, initializer: &initializer)
                return EngineRun(engine: engine, run: workload.run)
            })
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
