import Compression
import Kernels
import Models
import Testing

/// `sharedLookupForm` is the rule `sharedLookupNetwork()` builds by: each form on its kernel,
/// including a pruned fully connected layer with more distinct values than one byte indexes.
@Suite("The shared-lookup form of a layer is the kernel its network runs on")
struct SharedLookupFormTests {
    /// A layer of `shape` whose every fourth weight (from the first) is kept, the kept ones drawn
    /// from `distinct` values.
    private func layer(_ shape: ConvolutionShape, distinct: Int) -> ConvolutionDefinition {
        let weights = (0..<shape.weightCount).map { index in
            index % 4 == 0 ? Float(1 + (index / 4) % distinct) / 64 : 0
        }
        return ConvolutionDefinition(name: "layer", shape: shape, activation: .none, weights: weights,
                                     bias: [Float](repeating: 0.5, count: shape.outputChannels))
    }

    private let fullyConnected = ConvolutionShape(inputChannels: 40, inputHeight: 1, inputWidth: 1, outputChannels: 30,
                                                  kernelHeight: 1, kernelWidth: 1)
    private let convolution = ConvolutionShape(inputChannels: 8, inputHeight: 6, inputWidth: 6, outputChannels: 40,
                                               kernelHeight: 3, kernelWidth: 3, padding: .symmetric(1))

    @Test func eachFormRunsOnItsKernel() throws {
        // A pruned fully connected layer whose kept values fit one byte: CSR of codebook bytes.
        let fewValues = layer(fullyConnected, distinct: 3)
        #expect(fewValues.sharedLookupForm == .sparseShared(codebookEntries: 3))
        #expect(try storage(fewValues).map(isSparseShared) == true)

        // 300 distinct kept values do not fit one byte of index: the CSR float kernel.
        let manyValues = layer(fullyConnected, distinct: 300)
        #expect(Set(manyValues.weights.filter { $0 != 0 }).count == 300)
        #expect(manyValues.sharedLookupForm == .sparse)
        #expect(try storage(manyValues).map(isSparseFloat) == true)

        // A convolution whose values (zero included) fit one byte looks them up on the fly, one
        // with more runs on the CSR kernel.
        let sharedConvolution = layer(convolution, distinct: 5)
        guard case .shared(let shared) = sharedConvolution.sharedLookupForm else {
            Issue.record("expected the shared form, got \(sharedConvolution.sharedLookupForm)")
            return
        }
        #expect(shared.codebook.count == 6)
        #expect(try network(sharedConvolution).layers[0] is SharedWeightConvolutionLayer)
        let sparseConvolution = layer(convolution, distinct: 300)
        #expect(sparseConvolution.sharedLookupForm == .sparse)
        #expect(try network(sparseConvolution).layers[0] is SparseConvolutionLayer)
    }

    private func network(_ layer: ConvolutionDefinition) throws -> Network {
        try ModelDefinition(name: "one layer", convolutions: [layer]).sharedLookupNetwork()
    }

    private func storage(_ layer: ConvolutionDefinition) throws -> FullyConnected.Storage? {
        (try network(layer).layers[0] as? FullyConnectedLayer)?.kernel.storage
    }

    private func isSparseShared(_ storage: FullyConnected.Storage) -> Bool {
        if case .sparseShared = storage { true } else { false }
    }

    private func isSparseFloat(_ storage: FullyConnected.Storage) -> Bool {
        if case .sparse = storage { true } else { false }
    }
}
