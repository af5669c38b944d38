import Kernels
import Measurement
import Models
import Tensors
import XNNPACKEngine

/// A model definition built on one engine, with its input in place, run one inference at a time
/// with each of the definition's steps wrapped (to time the blocks).
public final class EngineNetwork {
    private enum Built {
        case edgeprobe(Network, ThreadPool)
        case xnnpack(XNNPACKNetwork)
    }

    private let built: Built
    private let input: Tensor

    /// Builds `definition` on `engine`'s kernels, running on `threads`.
    /// - Throws: `ModelError` or `XNNPACKError` for a network the engine cannot build.
    public init(_ definition: ModelDefinition, engine: Engine, threads: EngineThreads, input: Tensor) throws {
        self.input = input
        switch engine {
        case .edgeprobe:
            built = .edgeprobe(try definition.denseNetwork(), threads.pool!)
        case .xnnpack:
            let network = try XNNPACKNetwork(definition, threads: threads.xnnpack!)
            input.withUnsafeBufferPointer { source in _ = network.inputValues.update(fromContentsOf: source) }
            built = .xnnpack(network)
        }
    }

    /// Runs one inference.
    public func run() {
        switch built {
        case .edgeprobe(let network, let pool):
            blackHole(network.forward(input, pool: pool))
        case .xnnpack(let network):
            network.run()
            blackHole(network.outputValues.first)
        }
    }

    /// Runs one inference, `around(stepIndex, run)` wrapping each step.
    public func run(around: (Int, () -> Void) -> Void) {
        switch built {
        case .edgeprobe(let network, let pool):
            blackHole(network.forward(input, pool: pool, around: around))
        case .xnnpack(let network):
            network.run(around: around)
            blackHole(network.outputValues.first)
        }
    }
}
