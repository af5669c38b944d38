/// The parsers of outside input that `edgeprobe-fuzz` feeds. A target only reports problems the
/// sanitizers or a trap catch: a thrown error is the parser doing its job.
enum FuzzTarget: String, CaseIterable {
    case agentConfig = "agent-config"
    case suite
    case boardProfile = "board-profile"
    case architectureSpec = "architecture-spec"
    case searchSpace = "search-space"
    case lookupTable = "lookup-table"
    case modelFile = "model-file"
    case latencyRequest = "latency-request"

    /// Feeds one input to the parser.
    func run(_ input: UnsafeBufferPointer<UInt8>) {
        switch self {
        case .agentConfig: AgentConfigFuzzing.run(input)
        case .suite: SuiteFuzzing.run(input)
        case .boardProfile: BoardProfileFuzzing.run(input)
        case .architectureSpec: ArchitectureSpecFuzzing.run(input)
        case .searchSpace: SearchSpaceFuzzing.run(input)
        case .lookupTable: LookupTableFuzzing.run(input)
        case .modelFile: ModelFileFuzzing.run(input)
        case .latencyRequest: LatencyRequestFuzzing.run(input)
        }
    }
}
