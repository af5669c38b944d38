import CYAML

/// Reads one YAML document into a `YAMLNode` tree with libyaml's event parser.
///
/// A thin layer over libyaml: libyaml does all the syntax; this turns its events into nodes,
/// replaces each alias by a copy of the node its anchor names, and frees libyaml's memory as it
/// goes. Refused, with the line: syntax and encoding errors, an alias whose anchor is undefined or
/// still open (a recursive alias), more than one document, nesting deeper than `maxDepth`, and a
/// document larger than `maxNodes` nodes once aliases are expanded.
public enum YAMLLoader {
    /// Deepest nesting of lists and mappings accepted.
    public static let maxDepth = 256
    /// Most nodes in a document, counting every copy an alias makes.
    public static let maxNodes = 100_000

    /// The document in `text`, or `nil` when the text holds no document (empty, or comments only).
    /// - Throws: `YAMLError` with libyaml's problem and where it was found.
    public static func load(_ text: String) throws(YAMLError) -> YAMLNode? {
        let input = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: text.utf8.count + 1)
        defer { input.deallocate() }
        let count = input.initialize(fromContentsOf: text.utf8)
        let composer = try Composer(input: UnsafeBufferPointer(rebasing: input[..<count]))
        return try composer.document()
    }
}

// MARK: - Composing events into nodes

/// One pass of libyaml's parser over an input buffer, which must outlive it.
private final class Composer {
    private let parser: UnsafeMutablePointer<yaml_parser_t>
    private let input: UnsafeBufferPointer<UInt8>
    /// Complete anchored nodes by anchor name, with their size in nodes.
    private var anchors: [String: (node: YAMLNode, size: Int)] = [:]
    private var nodeCount = 0

    init(input: UnsafeBufferPointer<UInt8>) throws(YAMLError) {
        parser = .allocate(capacity: 1)
        guard yaml_parser_initialize(parser) == 1 else {
            parser.deallocate()
            throw YAMLError(problem: "libyaml cannot allocate a parser", line: nil, column: nil)
        }
        self.input = input
        yaml_parser_set_input_string(parser, input.baseAddress, input.count)
    }

    deinit {
        yaml_parser_delete(parser)
        parser.deallocate()
    }

    /// The stream's only document, `nil` for an empty stream.
    func document() throws(YAMLError) -> YAMLNode? {
        guard case .streamStart = try next().kind else { throw unexpected("the start of the stream") }
        let start = try next()
        if case .streamEnd = start.kind { return nil }
        guard case .documentStart = start.kind else { throw unexpected("a document") }
        let root = try node(from: try next(), depth: 0)
        guard case .documentEnd = try next().kind else { throw unexpected("the end of the document") }
        let after = try next()
        guard case .streamEnd = after.kind else {
            throw YAMLError(problem: "expected a single document, found another", line: after.line, column: after.column)
        }
        return root
    }

    private func node(from event: Event, depth: Int) throws(YAMLError) -> YAMLNode {
        guard depth <= YAMLLoader.maxDepth else {
            throw YAMLError(problem: "nested deeper than \(YAMLLoader.maxDepth) levels", line: event.line, column: event.column)
        }
        let node: YAMLNode
        let size: Int
        let anchor: String?
        switch event.kind {
        case .alias(let name):
            guard let anchored = anchors[name] else {
                throw YAMLError(
                    problem: "alias *\(name) names no anchor defined before it (an alias may not refer to its own enclosing node)",
                    line: event.line, column: event.column)
            }
            try count(anchored.size, at: event)
            return anchored.node
        case .scalar(let scalar, let name):
            try count(1, at: event)
            node = YAMLNode(.scalar(scalar), line: event.line, column: event.column)
            (size, anchor) = (1, name)
        case .sequenceStart(let name):
            let (items, nodes) = try collection(at: event, endsAt: { if case .sequenceEnd = $0 { true } else { false } }) {
                item throws(YAMLError) in try self.node(from: item, depth: depth + 1)
            }
            node = YAMLNode(.sequence(items), line: event.line, column: event.column)
            (size, anchor) = (nodes, name)
        case .mappingStart(let name):
            let (pairs, nodes) = try collection(at: event, endsAt: { if case .mappingEnd = $0 { true } else { false } }) {
                key throws(YAMLError) in
                YAMLPair(key: try self.node(from: key, depth: depth + 1), value: try self.node(from: try self.next(), depth: depth + 1))
            }
            node = YAMLNode(.mapping(pairs), line: event.line, column: event.column)
            (size, anchor) = (nodes, name)
        default:
            throw unexpected("a value", at: event)
        }
        if let anchor { anchors[anchor] = (node, size) }
        return node
    }

    /// The items of the sequence or mapping that `event` starts, each read by `item` from its first
    /// event, up to the event `endsAt` recognises; and how many nodes the collection holds, itself
    /// included, aliases expanded.
    private func collection<Item>(
        at event: Event, endsAt isEnd: (Event.Kind) -> Bool, item: (Event) throws(YAMLError) -> Item
    ) throws(YAMLError) -> (items: [Item], nodes: Int) {
        try count(1, at: event)
        let first = nodeCount
        var items: [Item] = []
        while true {
            let next = try self.next()
            if isEnd(next.kind) { break }
            items.append(try item(next))
        }
        return (items, nodeCount - first + 1)
    }

    /// Counts `nodes` more nodes, refusing a document that grows past `YAMLLoader.maxNodes`.
    private func count(_ nodes: Int, at event: Event) throws(YAMLError) {
        nodeCount += nodes
        guard nodeCount <= YAMLLoader.maxNodes else {
            throw YAMLError(
                problem: "more than \(YAMLLoader.maxNodes) nodes once aliases are expanded", line: event.line, column: event.column)
        }
    }

    private func unexpected(_ expected: String, at event: Event? = nil) -> YAMLError {
        YAMLError(problem: "libyaml gave an unexpected event where \(expected) belongs", line: event?.line, column: event?.column)
    }

    // MARK: - libyaml events

    /// What the composer needs of a `yaml_event_t`, copied out so the event can be freed at once.
    private struct Event {
        enum Kind {
            case streamStart, streamEnd, documentStart, documentEnd, sequenceEnd, mappingEnd
            case alias(String)
            case scalar(YAMLScalar, anchor: String?)
            case sequenceStart(anchor: String?)
            case mappingStart(anchor: String?)
        }

        let kind: Kind
        let line: Int
        let column: Int
    }

    /// The next event (`yaml_parser_parse`), its libyaml memory already freed.
    private func next() throws(YAMLError) -> Event {
        var event = yaml_event_t()
        guard yaml_parser_parse(parser, &event) == 1 else { throw parserError() }
        defer { yaml_event_delete(&event) }
        let kind: Event.Kind
        switch event.type {
        case YAML_STREAM_START_EVENT: kind = .streamStart
        case YAML_STREAM_END_EVENT: kind = .streamEnd
        case YAML_DOCUMENT_START_EVENT: kind = .documentStart
        case YAML_DOCUMENT_END_EVENT: kind = .documentEnd
        case YAML_ALIAS_EVENT: kind = .alias(Self.text(event.data.alias.anchor) ?? "")
        case YAML_SCALAR_EVENT:
            let data = event.data.scalar
            let text = String(decoding: UnsafeBufferPointer(start: data.value, count: data.length), as: UTF8.self)
            kind = .scalar(YAMLScalar(text, style: Self.style(data.style), tag: Self.text(data.tag)), anchor: Self.text(data.anchor))
        case YAML_SEQUENCE_START_EVENT: kind = .sequenceStart(anchor: Self.text(event.data.sequence_start.anchor))
        case YAML_SEQUENCE_END_EVENT: kind = .sequenceEnd
        case YAML_MAPPING_START_EVENT: kind = .mappingStart(anchor: Self.text(event.data.mapping_start.anchor))
        case YAML_MAPPING_END_EVENT: kind = .mappingEnd
        default:
            throw YAMLError(
                problem: "libyaml gave an unknown event (type \(event.type.rawValue))",
                line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1)
        }
        return Event(kind: kind, line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1)
    }

    private static func text(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: $0) }
    }

    private static func style(_ style: yaml_scalar_style_t) -> YAMLScalar.Style {
        switch style {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: .singleQuoted
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: .doubleQuoted
        case YAML_LITERAL_SCALAR_STYLE: .literal
        case YAML_FOLDED_SCALAR_STYLE: .folded
        default: .plain
        }
    }

    /// libyaml's error after a failed `yaml_parser_parse`: problem, where, and what it was reading.
    private func parserError() -> YAMLError {
        let state = parser.pointee
        let problem = state.problem.map { String(cString: $0) } ?? "libyaml failed (error \(state.error.rawValue))"
        switch state.error {
        case YAML_MEMORY_ERROR:
            return YAMLError(problem: "libyaml ran out of memory", line: nil, column: nil)
        case YAML_READER_ERROR:
            // The reader reports a byte offset, not a line: count the lines up to it.
            let offset = min(Int(state.problem_offset), input.count)
            let before = input[..<offset]
            let line = before.reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
            let column = offset - (before.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0) + 1
            let value = state.problem_value >= 0 ? " (#x\(String(state.problem_value, radix: 16, uppercase: true)))" : ""
            return YAMLError(problem: problem + value, line: line, column: column)
        default:
            let context = state.context.map {
                "\(String(cString: $0)) started at line \(state.context_mark.line + 1) column \(state.context_mark.column + 1)"
            }
            return YAMLError(
                problem: problem, line: Int(state.problem_mark.line) + 1, column: Int(state.problem_mark.column) + 1,
                context: context)
        }
    }
}
