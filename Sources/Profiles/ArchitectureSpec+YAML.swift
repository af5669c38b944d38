import Configuration
import Models

/// Writing architecture specs in the format `parse(yaml:file:)` reads (Docs/nas.md).
extension ArchitectureSpec {
    /// The spec as YAML that reads back as this spec: `name`, `resolution` (`[height, width]`
    /// when not square), `channels`, the stem, every block's `type`, `kernel`, `expand` (inverted
    /// residuals), `cout` and `stride` (`repeats` and `skip` when not their defaults), the head.
    /// - Throws: `YAMLError` with libyaml's problem (e.g. out of memory).
    public func yaml() throws(YAMLError) -> String {
        func scalar(_ text: String) -> YAMLNode { YAMLNode(.scalar(YAMLScalar(text)), line: 0, column: 0) }
        func number(_ value: Int) -> YAMLNode { scalar(String(value)) }
        func mapping(_ pairs: [(String, YAMLNode)]) -> YAMLNode {
            YAMLNode(.mapping(pairs.map { YAMLPair(key: scalar($0.0), value: $0.1) }), line: 0, column: 0)
        }
        func sequence(_ items: [YAMLNode]) -> YAMLNode { YAMLNode(.sequence(items), line: 0, column: 0) }

        let blockNodes = blocks.map { block in
            var fields: [(String, YAMLNode)] = [("type", scalar(block.kind.rawValue)), ("kernel", number(block.kernel))]
            if block.kind == .invertedResidual { fields.append(("expand", number(block.expand))) }
            fields += [("cout", number(block.outputChannels)), ("stride", number(block.stride))]
            if block.repeats != 1 { fields.append(("repeats", number(block.repeats))) }
            switch block.skip {
            case .auto: break
            case .always: fields.append(("skip", scalar("true")))
            case .never: fields.append(("skip", scalar("false")))
            }
            return mapping(fields)
        }
        var headFields: [(String, YAMLNode)] = []
        if let pointwiseChannels = head.pointwiseChannels { headFields.append(("cout", number(pointwiseChannels))) }
        headFields += [("pool", scalar("global_average")), ("classes", number(head.classes))]
        return try YAMLEmitter.text(mapping([
            ("name", scalar(name)),
            ("resolution", input.height == input.width ? number(input.height) : sequence([number(input.height), number(input.width)])),
            ("channels", number(input.channels)),
            ("stem", mapping([("cout", number(stem.outputChannels)), ("kernel", number(stem.kernel)), ("stride", number(stem.stride))])),
            ("blocks", sequence(blockNodes)),
            ("head", mapping(headFields)),
        ]))
    }
}
