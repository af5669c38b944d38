import Configuration
import Models
import Tensors

/// A MobileNetV2-style search space (ProxylessNAS / Once-for-All): a fixed skeleton of stages
/// (output channels, stride), and per layer a choice of kernel size and expansion ratio, per
/// stage a choice of depth, per network a choice of input resolution. `Profiles/spaces/`.
public struct ArchitectureSearchSpace: Sendable, Equatable {
    /// One stage of the skeleton.
    public struct Stage: Sendable, Equatable {
        /// Output channels of every layer in the stage.
        public var outputChannels: Int
        /// Stride of the stage's first layer.
        public var stride: Int
        /// Depths (layer counts) to choose from.
        public var depths: [Int]
        /// Kernel sizes to choose from, per layer.
        public var kernels: [Int]
        /// Expansion ratios to choose from, per layer.
        public var expands: [Int]
    }

    /// The space's name.
    public var name: String
    /// The file it was read from.
    public var path: String
    /// Input resolutions (square) to choose from.
    public var resolutions: [Int]
    /// Input channels.
    public var channels: Int
    /// The fixed stem.
    public var stem: ArchitectureSpec.Stem
    /// The stages in order.
    public var stages: [Stage]
    /// The fixed head.
    public var head: ArchitectureSpec.Head

    /// Every distinct layer any architecture of the space can contain, keyed by its lookup key.
    ///
    /// A layer's shapes depend only on the resolution, its stage and whether it is the stage's
    /// first layer; so networks that use one (kernel, expansion) choice everywhere, at each
    /// stage's largest depth and each resolution, contain every layer the space can produce.
    public func distinctLayers() throws(ArchitectureError) -> [ArchitecturePlanLayer] {
        let kernels = Set(stages.flatMap(\.kernels)).sorted()
        let expands = Set(stages.flatMap(\.expands)).sorted()
        var seen: Set<String> = []
        var layers: [ArchitecturePlanLayer] = []
        for resolution in resolutions {
            for kernel in kernels {
                for expand in expands {
                    let choices = stages.map { stage in
                        (0..<(stage.depths.max() ?? 1)).map { _ in
                            (stage.kernels.contains(kernel) ? kernel : stage.kernels[0],
                             stage.expands.contains(expand) ? expand : stage.expands[0])
                        }
                    }
                    for layer in try plan(resolution: resolution, choices: choices).layers where seen.insert(layer.lookupKey).inserted {
                        layers.append(layer)
                    }
                }
            }
        }
        return layers
    }

    /// A random architecture of the space: a resolution, a depth per stage, a kernel and an
    /// expansion per layer, drawn from `generator`; returned with its depth per stage.
    public func sample(
        using generator: inout SplitMix64, name: String
    ) throws(ArchitectureError) -> (plan: ArchitecturePlan, depths: [Int]) {
        let resolution = resolutions.randomElement(using: &generator)!
        let choices = stages.map { stage in
            (0..<stage.depths.randomElement(using: &generator)!).map { _ in
                (stage.kernels.randomElement(using: &generator)!, stage.expands.randomElement(using: &generator)!)
            }
        }
        return (try plan(resolution: resolution, choices: choices, name: name), choices.map(\.count))
    }

    /// `count` random architectures drawn by `sample` from `seed`, named `<space>-sample<index>`:
    /// the ones `lut --check --sample-seed` measures and `latency sample` writes.
    public func samples(count: Int, seed: UInt64) throws(ArchitectureError) -> [(plan: ArchitecturePlan, depths: [Int])] {
        var generator = SplitMix64(seed: seed)
        var samples: [(plan: ArchitecturePlan, depths: [Int])] = []
        for index in 0..<count {
            samples.append(try sample(using: &generator, name: "\(name)-sample\(index)"))
        }
        return samples
    }

    /// The plan of the network with `choices[stage][layer] = (kernel, expand)` at `resolution`.
    public func plan(resolution: Int, choices: [[(Int, Int)]], name: String? = nil) throws(ArchitectureError) -> ArchitecturePlan {
        var blocks: [ArchitectureSpec.Block] = []
        for (stage, layers) in zip(stages, choices) {
            for (index, (kernel, expand)) in layers.enumerated() {
                blocks.append(ArchitectureSpec.Block(
                    kind: .invertedResidual, kernel: kernel, expand: expand, outputChannels: stage.outputChannels,
                    stride: index == 0 ? stage.stride : 1))
            }
        }
        let spec = ArchitectureSpec(
            name: name ?? "\(self.name)-\(resolution)", input: TensorShape(height: resolution, width: resolution, channels: channels),
            stem: stem, blocks: blocks, head: head)
        return try ArchitecturePlan(spec)
    }

    /// Number of architectures in the space.
    public var size: Double {
        stages.reduce(Double(resolutions.count)) { total, stage in
            let perLayer = Double(stage.kernels.count * stage.expands.count)
            return total * stage.depths.reduce(0) { $0 + Double.pow(perLayer, $1) }
        }
    }
}

extension Double {
    /// `base` to a whole power.
    fileprivate static func pow(_ base: Double, _ exponent: Int) -> Double {
        (0..<exponent).reduce(1) { product, _ in product * base }
    }
}

// MARK: - Loading

extension ArchitectureSearchSpace {
    /// Reads a search space file.
    /// - Throws: `ConfigError` naming the file, entry and field.
    public static func load(path: String) throws(ConfigError) -> ArchitectureSearchSpace {
        var document = try ConfigMapping.document(yaml: try ConfigFile.read(path), file: path)
        let name = try document.requiredString("name")
        guard let resolutions = try document.intList("resolutions"), !resolutions.isEmpty, !resolutions.contains(0) else {
            throw document.error("resolutions", "expected a non-empty list of positive sizes")
        }
        let channels = try document.positiveInt("channels") ?? 3
        let kernels = try document.intList("kernels") ?? [3]
        let expands = try document.intList("expands") ?? [6]
        let stem = try ArchitectureSpec.Stem(&document)
        var stages: [Stage] = []
        for var entry in try document.requiredMappings("stages") {
            let stage = Stage(
                outputChannels: try entry.requiredPositiveInt("cout"),
                stride: try entry.positiveInt("stride") ?? 1,
                depths: try entry.intList("depths") ?? [1],
                kernels: try entry.intList("kernels") ?? kernels,
                expands: try entry.intList("expands") ?? expands)
            for (field, values) in [("depths", stage.depths), ("kernels", stage.kernels), ("expands", stage.expands)]
            where values.isEmpty || values.contains(0) {
                throw entry.error(field, "expected a non-empty list of positive numbers")
            }
            try entry.rejectUnknownKeys()
            stages.append(stage)
        }
        guard !stages.isEmpty else { throw document.error("stages", "must list at least one stage") }
        let head = try ArchitectureSpec.Head(&document, readsPool: false)
        try document.rejectUnknownKeys()
        let space = ArchitectureSearchSpace(
            name: name, path: path, resolutions: resolutions, channels: channels, stem: stem, stages: stages, head: head)
        do {
            _ = try space.distinctLayers()
        } catch {
            throw ConfigError(file: path, error)
        }
        return space
    }
}
