/// A benchmark suite read from a profile file: layers to time, pairs of them to compare, and
/// models to compress stage by stage.
public struct Suite: Sendable {
    /// The suite's name.
    public let name: String
    /// What the suite measures.
    public let description: String
    /// The file it was read from.
    public let path: String
    /// Layers in the order they run.
    public let layers: [SuiteLayer]
    /// Comparisons between layers.
    public let pairs: [SuitePair]
    /// Whole models compressed stage by stage.
    public let models: [SuiteModel]
}
