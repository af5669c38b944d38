/// The kernels that run a measured layer or network: edgeprobe's own, or XNNPACK's (the
/// operator library inside LiteRT), so a number can be read against the engine a board would ship.
public enum Engine: String, Codable, Sendable, CaseIterable, CustomStringConvertible {
    /// edgeprobe's kernels (`Kernels`).
    case edgeprobe
    /// XNNPACK (`XNNPACKEngine`, Debian's libxnnpack).
    case xnnpack

    public var description: String { rawValue }
}

/// What `--engine` asks for: one engine, or both measured side by side in one process.
public enum EngineSelection: String, Codable, Sendable, CaseIterable, CustomStringConvertible {
    case edgeprobe
    case xnnpack
    /// Both engines on each layer or network, interleaved (see `InterleavedRuns`).
    case both

    /// The engines measured, edgeprobe first.
    public var engines: [Engine] {
        switch self {
        case .edgeprobe: [.edgeprobe]
        case .xnnpack: [.xnnpack]
        case .both: [.edgeprobe, .xnnpack]
        }
    }

    public var description: String { rawValue }
}
