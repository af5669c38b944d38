/// A whole model of a suite, compressed stage by stage and measured (one `compression` record
/// per variant), as written in the suite's `models` list.
public struct SuiteModel: Sendable, Equatable {
    /// Which built-in model, as written in the entry's `model` field.
    public enum Kind: String, Sendable, CaseIterable {
        /// The trained digits CNN (accuracy on its test split).
        case digits
        /// MobileNetV2 at 96x96 (`Profiles/archs/mobilenet-v2-96.yaml`) with seeded weights (latency).
        case mobilenet
    }

    /// Unique name within the suite.
    public let name: String
    /// The model.
    public let kind: Kind
    /// Share of weights magnitude-pruned in the `pruned` stages (random-weight models; the digits
    /// CNN uses its pruned-and-retrained weights).
    public let sparsity: Double
    /// Bits of the k-means codebooks (2^bits shared values per layer).
    public let sharingBits: Int
}
