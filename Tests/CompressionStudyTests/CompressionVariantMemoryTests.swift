@testable import CompressionStudy
import Kernels
import Models
import Testing

/// The bytes a shared-lookup variant's kernels hold are counted for the kernel each layer runs on.
@Suite struct CompressionVariantMemoryTests {
    /// A pruned 40→30 fully connected layer, every fourth weight kept, the kept ones drawn from `distinct` values.
    private func prunedFullyConnected(distinct: Int) -> ModelDefinition {
        let shape = ConvolutionShape(inputChannels: 40, inputHeight: 1, inputWidth: 1, outputChannels: 30, kernelHeight: 1, kernelWidth: 1)
        let weights = (0..<shape.weightCount).map { index in index % 4 == 0 ? Float(1 + (index / 4) % distinct) / 64 : 0 }
        return ModelDefinition(name: "fc", convolutions: [ConvolutionDefinition(
            name: "fc", shape: shape, activation: .none, weights: weights, bias: [Float](repeating: 0, count: 30))])
    }

    @Test func aPrunedFullyConnectedLayerCountsAsTheKernelItRunsOn() {
        // 3 kept values: CSR of codebook bytes, a column (4 B) and an index (1 B) per kept weight,
        // row starts, the codebook and the bias.
        #expect(CompressionVariant.memoryBytes(prunedFullyConnected(distinct: 3), .sharedLookup) == 5 * 300 + 4 * 31 + 4 * 3 + 4 * 30)
        // 300 kept values do not fit one byte of index: the network runs the layer on the CSR float
        // kernel, and its bytes are that kernel's.
        let manyValues = prunedFullyConnected(distinct: 300)
        #expect(CompressionVariant.memoryBytes(manyValues, .sharedLookup) == CompressionVariant.memoryBytes(manyValues, .sparse))
    }
}
