import CYAML

/// Writes a `YAMLNode` tree as YAML text with libyaml's emitter: block style, 2-space indent,
/// 80-column preferred width, non-ASCII escaped, `\n` line breaks, no `---`/`...` markers.
/// Scalars carry no tags: libyaml writes each plain where it reads back as the same text, and
/// quotes it otherwise. (These are the settings Yams' `serialize` used, so files written before
/// the move to this emitter are byte-identical to the ones written now.)
public enum YAMLEmitter {
    /// The document holding `node`.
    /// - Throws: `YAMLError` with libyaml's problem (e.g. out of memory).
    public static func text(_ node: YAMLNode) throws(YAMLError) -> String {
        let writer = Writer()
        try writer.emit { event in yaml_stream_start_event_initialize(&event, YAML_UTF8_ENCODING) }
        try writer.emit { event in yaml_document_start_event_initialize(&event, nil, nil, nil, 1) }
        try writer.write(node)
        try writer.emit { event in yaml_document_end_event_initialize(&event, 1) }
        try writer.emit { event in yaml_stream_end_event_initialize(&event) }
        return String(decoding: writer.output, as: UTF8.self)
    }
}

/// One libyaml emitter writing into a byte buffer.
private final class Writer {
    private var emitter = yaml_emitter_t()
    /// What the emitter wrote so far.
    fileprivate var output: [UInt8] = []

    init() {
        yaml_emitter_initialize(&emitter)
        yaml_emitter_set_output(&emitter, { context, buffer, size in
            guard let context, let buffer else { return 0 }
            let writer = Unmanaged<Writer>.fromOpaque(context).takeUnretainedValue()
            writer.output.append(contentsOf: UnsafeBufferPointer(start: buffer, count: size))
            return 1
        }, Unmanaged.passUnretained(self).toOpaque())
        yaml_emitter_set_canonical(&emitter, 0)
        yaml_emitter_set_indent(&emitter, 0)
        yaml_emitter_set_width(&emitter, 0)
        yaml_emitter_set_unicode(&emitter, 0)
        yaml_emitter_set_break(&emitter, YAML_LN_BREAK)
        yaml_emitter_set_encoding(&emitter, YAML_UTF8_ENCODING)
    }

    deinit {
        yaml_emitter_delete(&emitter)
    }

    /// Emits the event `initialize` fills in (libyaml takes ownership of it).
    func emit(_ initialize: (inout yaml_event_t) -> Int32) throws(YAMLError) {
        var event = yaml_event_t()
        guard initialize(&event) == 1 else { throw YAMLError(problem: "libyaml cannot build an event", line: nil, column: nil) }
        guard yaml_emitter_emit(&emitter, &event) == 1 else {
            let problem = emitter.problem.map { String(cString: $0) } ?? "libyaml failed (error \(emitter.error.rawValue))"
            throw YAMLError(problem: problem, line: nil, column: nil)
        }
    }

    func write(_ node: YAMLNode) throws(YAMLError) {
        switch node.content {
        case .scalar(let scalar):
            var bytes = Array(scalar.text.utf8)
            let count = Int32(bytes.count)
            try emit { event in
                bytes.withUnsafeMutableBufferPointer { value in
                    yaml_scalar_event_initialize(&event, nil, nil, value.baseAddress, count, 1, 1, YAML_ANY_SCALAR_STYLE)
                }
            }
        case .sequence(let items):
            try emit { event in yaml_sequence_start_event_initialize(&event, nil, nil, 1, YAML_ANY_SEQUENCE_STYLE) }
            for item in items { try write(item) }
            try emit { event in yaml_sequence_end_event_initialize(&event) }
        case .mapping(let pairs):
            try emit { event in yaml_mapping_start_event_initialize(&event, nil, nil, 1, YAML_ANY_MAPPING_STYLE) }
            for pair in pairs {
                try write(pair.key)
                try write(pair.value)
            }
            try emit { event in yaml_mapping_end_event_initialize(&event) }
        }
    }
}
