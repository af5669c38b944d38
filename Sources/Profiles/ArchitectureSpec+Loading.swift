import Models
import Tensors
import Yams

/// Reading architecture specs (`Profiles/archs/*.yaml`, or a request body) field by field.
/// The format is documented in Docs/nas.md.
extension ArchitectureSpec {
    /// Reads, parses and plans the spec in `path`.
    /// - Throws: `ProfileError` naming the file, entry and field (YAML problems and spec problems alike).
    public static func loadPlan(path: String, limits: ArchitectureLimits = ArchitectureLimits()) throws(ProfileError) -> ArchitecturePlan {
        try plan(yaml: try ProfileFile.read(path), file: path, limits: limits)
    }

    /// Parses and plans a spec given as text (YAML, or JSON, which YAML reads too).
    /// - Throws: `ProfileError`; `file` names the source in its message.
    public static func plan(yaml: String, file: String, limits: ArchitectureLimits = ArchitectureLimits()) throws(ProfileError) -> ArchitecturePlan {
        let spec = try parse(yaml: yaml, file: file)
        do {
            return try ArchitecturePlan(spec, limits: limits)
        } catch {
            throw ProfileError(file: file, entry: error.entry, field: error.field, problem: error.problem)
        }
    }

    /// Parses a spec's text without checking how its blocks fit together.
    public static func parse(yaml: String, file: String) throws(ProfileError) -> ArchitectureSpec {
        var document = try ProfileEntry.document(yaml: yaml, file: file)
        let name = try document.string("name")
        let input = try inputShape(&document)
        guard let stemNode = document.node("stem") else { throw document.error("stem", "is required but missing") }
        var stemEntry = try ProfileEntry(stemNode, file: file, entry: "stem")
        let stem = Stem(
            outputChannels: try stemEntry.positiveInt("cout"),
            kernel: try stemEntry.optionalPositiveInt("kernel") ?? 3,
            stride: try stemEntry.optionalPositiveInt("stride") ?? 2)
        try stemEntry.rejectUnknownFields()
        var blocks: [Block] = []
        for var entry in try document.entries("blocks") {
            blocks.append(try block(&entry))
        }
        guard let headNode = document.node("head") else { throw document.error("head", "is required but missing") }
        var headEntry = try ProfileEntry(headNode, file: file, entry: "head")
        let head = Head(pointwiseChannels: try headEntry.optionalPositiveInt("cout"), classes: try headEntry.positiveInt("classes"))
        if let pool = try headEntry.optionalString("pool"), pool != "global_average" {
            throw headEntry.error("pool", "unknown pool '\(pool)' (known: global_average)")
        }
        try headEntry.rejectUnknownFields()
        try document.rejectUnknownFields()
        return ArchitectureSpec(name: name, input: input, stem: stem, blocks: blocks, head: head)
    }

    // MARK: - Parts

    /// `resolution: 96` (square) or `[height, width]`, and `channels` (default 3).
    private static func inputShape(_ document: inout ProfileEntry) throws(ProfileError) -> TensorShape {
        let channels = try document.optionalPositiveInt("channels") ?? 3
        guard let node = document.node("resolution") else { throw document.error("resolution", "is required but missing") }
        if case .sequence = node {
            guard let sizes = try document.optionalIntList("resolution"), sizes.count == 2, sizes.allSatisfy({ $0 > 0 }) else {
                throw document.error("resolution", "expected a positive number or [height, width]", node)
            }
            return TensorShape(height: sizes[0], width: sizes[1], channels: channels)
        }
        let size = try document.positiveInt("resolution")
        return TensorShape(height: size, width: size, channels: channels)
    }

    /// One block entry; which fields it takes depends on its `type`.
    private static func block(_ entry: inout ProfileEntry) throws(ProfileError) -> Block {
        let typeName = try entry.string("type")
        guard let kind = BlockKind(rawValue: typeName) else {
            let known = BlockKind.allCases.map(\.rawValue).joined(separator: ", ")
            throw entry.error("type", "unknown block type '\(typeName)' (known: \(known))")
        }
        let expand = kind == .invertedResidual ? try entry.positiveInt("expand") : 1
        let block = Block(
            kind: kind,
            kernel: try entry.optionalPositiveInt("kernel") ?? 3,
            expand: expand,
            outputChannels: try entry.positiveInt("cout"),
            stride: try entry.optionalPositiveInt("stride") ?? 1,
            repeats: try entry.optionalPositiveInt("repeats") ?? 1,
            skip: try skipRule(&entry))
        try entry.rejectUnknownFields()
        return block
    }

    /// `skip`: absent or `auto`, `true`, `false`.
    private static func skipRule(_ entry: inout ProfileEntry) throws(ProfileError) -> SkipRule {
        guard let node = entry.node("skip") else { return .auto }
        switch node.scalar?.string {
        case "auto": return .auto
        case "true": return .always
        case "false": return .never
        default: throw entry.error("skip", "expected true, false or auto", node)
        }
    }
}
