import Compression

/// How `ModelDefinition.sharedLookupNetwork()` holds a layer whose weights are already shared
/// (trained quantization). The one rule: the network follows it, and so does the count of the
/// bytes its kernels hold.
public enum SharedLookupForm: Sendable, Equatable {
    /// A pruned fully connected layer (density at most `sparseKernelMaximumDensity`) whose
    /// distinct nonzero values fit one byte of index: CSR of codebook bytes, over a codebook of
    /// `codebookEntries` values.
    case sparseShared(codebookEntries: Int)
    /// A layer whose distinct values, the pruned zeros included, fit one byte of index: looked
    /// up on the fly from `shared` (`ConvolutionDefinition.sharedLayer`).
    case shared(SharedWeights)
    /// A layer with more distinct values (e.g. an 8-bit codebook plus the zero): the CSR kernel
    /// (`ConvolutionDefinition.sparseLayer()`, dense when too dense or grouped).
    case sparse
}

extension ConvolutionDefinition {
    /// The form `sharedLookupNetwork()` holds this layer in.
    public var sharedLookupForm: SharedLookupForm {
        if shape.isFullyConnected && density <= Self.sparseKernelMaximumDensity,
           let kept = SharedWeights.exact(weights.filter { $0 != 0 }, maximumEntries: 256) {
            return .sparseShared(codebookEntries: kept.codebook.count)
        }
        if let shared = SharedWeights.exact(weights, maximumEntries: 256) { return .shared(shared) }
        return .sparse
    }
}
