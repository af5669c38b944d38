import Models
import Profiles
import Tensors

extension ArchitectureSearchSpace {
    /// Random architectures of the space in which every distinct layer occurs at least
    /// `occurrences` times: the networks a lookup table measures its blocks inside, so that each
    /// block meets the cache state a network gives it (its input just written by the previous
    /// block, its own weights and buffers last touched one inference ago).
    ///
    /// Resolutions take turns and each stage's depth is drawn at random, as `sample` does; each
    /// layer takes the (kernel, expansion) choice its position has used least so far (ties drawn at
    /// random), so the blocks are covered with few networks and in varied neighbourhoods.
    /// - Throws: `ArchitectureError` from planning; `limit` bounds the networks drawn.
    public func contextPlans(occurrences: Int, seed: UInt64, limit: Int = 10_000) throws(ArchitectureError) -> [ArchitecturePlan] {
        var generator = SplitMix64(seed: seed)
        var uses: [String: Int] = [:]
        for resolution in resolutions {
            for (index, stage) in stages.enumerated() {
                for first in [true, false] where first || (stage.depths.max() ?? 1) > 1 {
                    for kernel in stage.kernels {
                        for expand in stage.expands { uses[Self.position(resolution, index, first, kernel, expand)] = 0 }
                    }
                }
            }
        }
        var plans: [ArchitecturePlan] = []
        while plans.count < limit, uses.values.contains(where: { $0 < occurrences }) {
            let resolution = resolutions[plans.count % resolutions.count]
            var choices: [[(Int, Int)]] = []
            for (index, stage) in stages.enumerated() {
                let depth = stage.depths.randomElement(using: &generator)!
                choices.append((0..<depth).map { layer in
                    let options = stage.kernels.flatMap { kernel in stage.expands.map { (kernel, $0) } }.shuffled(using: &generator)
                    let best = options.min { left, right in
                        uses[Self.position(resolution, index, layer == 0, left.0, left.1)]!
                            < uses[Self.position(resolution, index, layer == 0, right.0, right.1)]!
                    }!
                    uses[Self.position(resolution, index, layer == 0, best.0, best.1)]! += 1
                    return best
                })
            }
            plans.append(try plan(resolution: resolution, choices: choices, name: "\(name)-context\(plans.count)"))
        }
        return plans
    }

    /// What a layer's lookup key depends on, besides the fixed skeleton.
    private static func position(_ resolution: Int, _ stage: Int, _ first: Bool, _ kernel: Int, _ expand: Int) -> String {
        "\(resolution)/\(stage)/\(first)/\(kernel)/\(expand)"
    }
}
