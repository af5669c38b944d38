import Configuration
import Models
import Tensors

/// Reading architecture specs (`Profiles/archs/*.yaml`, or a request body) field by field.
/// The format is documented in Docs/nas.md.
extension ArchitectureSpec {
    /// Reads, parses and plans the spec in `path`.
    /// - Throws: `ConfigError` naming the file, entry and field (YAML problems and spec problems alike).
    public static func loadPlan(path: String, limits: ArchitectureLimits = ArchitectureLimits()) throws(ConfigError) -> ArchitecturePlan {
        try plan(yaml: try ConfigFile.read(path), file: path, limits: limits)
    }

    /// Parses and plans a spec given as text (YAML, or JSON, which YAML reads too).
    /// - Throws: `ConfigError`; `file` names the source in its message.
    public static func plan(yaml: String, file: String, limits: ArchitectureLimits = ArchitectureLimits()) throws(ConfigError) -> ArchitecturePlan {
        let spec = try parse(yaml: yaml, file: file)
        do {
            return try ArchitecturePlan(spec, limits: limits)
        } catch {
            throw ConfigError(file: file, error)
        }
    }

    /// Parses a spec's text without checking how its blocks fit together.
    public static func parse(yaml: String, file: String) throws(ConfigError) -> ArchitectureSpec {
        var document = try ConfigMapping.document(yaml: yaml, file: file)
        let name = try document.requiredString("name")
        let input = try inputShape(&document)
        let stem = try Stem(&document)
        var blocks: [Block] = []
        for var entry in try document.requiredMappings("blocks") {
            blocks.append(try block(&entry))
        }
        let head = try Head(&document, readsPool: true)
        try document.rejectUnknownKeys()
        return ArchitectureSpec(name: name, input: input, stem: stem, blocks: blocks, head: head)
    }

    // MARK: - Parts

    /// `resolution: 96` (square) or `[height, width]`, and `channels` (default 3).
    private static func inputShape(_ document: inout ConfigMapping) throws(ConfigError) -> TensorShape {
        let channels = try document.positiveInt("channels") ?? 3
        guard let node = document.node("resolution") else { throw document.error("resolution", "is required but missing") }
        if case .sequence = node.content {
            guard let sizes = try document.intList("resolution"), sizes.count == 2, sizes.allSatisfy({ $0 > 0 }) else {
                throw document.error("resolution", "expected a positive number or [height, width]", node)
            }
            return TensorShape(height: sizes[0], width: sizes[1], channels: channels)
        }
        let size = try document.requiredPositiveInt("resolution")
        return TensorShape(height: size, width: size, channels: channels)
    }

    /// One block entry; which fields it takes depends on its `type`.
    private static func block(_ entry: inout ConfigMapping) throws(ConfigError) -> Block {
        let kind = try entry.requiredChoice("type", of: BlockKind.self, named: "block type")
        let expand = kind == .invertedResidual ? try entry.requiredPositiveInt("expand") : 1
        let block = Block(
            kind: kind,
            kernel: try entry.positiveInt("kernel") ?? 3,
            expand: expand,
            outputChannels: try entry.requiredPositiveInt("cout"),
            stride: try entry.positiveInt("stride") ?? 1,
            repeats: try entry.positiveInt("repeats") ?? 1,
            skip: try skipRule(&entry))
        try entry.rejectUnknownKeys()
        return block
    }

    /// `skip`: absent or `auto`, `true`, `false`.
    private static func skipRule(_ entry: inout ConfigMapping) throws(ConfigError) -> SkipRule {
        guard let node = entry.node("skip") else { return .auto }
        switch node.scalar?.text {
        case "auto": return .auto
        case "true": return .always
        case "false": return .never
        default: throw entry.error("skip", "expected true, false or auto", node)
        }
    }
}

extension ArchitectureSpec.Stem {
    /// The required `stem` mapping of a spec or a search space: `cout`, `kernel` (default 3), `stride` (default 2).
    init(_ document: inout ConfigMapping) throws(ConfigError) {
        var entry = try document.requiredMapping("stem")
        self.init(
            outputChannels: try entry.requiredPositiveInt("cout"),
            kernel: try entry.positiveInt("kernel") ?? 3,
            stride: try entry.positiveInt("stride") ?? 2)
        try entry.rejectUnknownKeys()
    }
}

extension ArchitectureSpec.Head {
    /// The required `head` mapping of a spec or a search space: `classes`, optional `cout`, and
    /// (specs only) `pool`, of which `global_average` is the one known.
    init(_ document: inout ConfigMapping, readsPool: Bool) throws(ConfigError) {
        var entry = try document.requiredMapping("head")
        self.init(pointwiseChannels: try entry.positiveInt("cout"), classes: try entry.requiredPositiveInt("classes"))
        if readsPool, let pool = try entry.string("pool"), pool != "global_average" {
            throw entry.error("pool", "unknown pool '\(pool)' (known: global_average)")
        }
        try entry.rejectUnknownKeys()
    }
}
