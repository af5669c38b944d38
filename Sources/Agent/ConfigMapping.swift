import Yams

/// One YAML mapping of the agent's configuration, read key by key with errors naming the full
/// dotted key. Keys nobody asked for are reported by `rejectUnknownKeys()`, so a typo such as
/// `intervall: 1s` is an error rather than a silent default.
struct ConfigMapping {
    /// The file being read.
    let file: String
    /// The dotted path of this mapping, empty at the top level.
    let prefix: String
    private let mapping: Node.Mapping
    private var consumed: Set<String> = []

    /// Wraps `node`, which must be a mapping.
    init(_ node: Node, file: String, prefix: String) throws(ConfigError) {
        guard let mapping = node.mapping else {
            throw ConfigError(
                file: file, key: prefix, problem: "expected a mapping of keys, got \(Self.describe(node))",
                line: Self.line(of: node))
        }
        self.file = file
        self.prefix = prefix
        self.mapping = mapping
    }

    /// Parses a whole file's top-level mapping.
    static func document(yaml: String, file: String) throws(ConfigError) -> ConfigMapping {
        let node: Node?
        do {
            node = try Yams.compose(yaml: yaml)
        } catch {
            throw ConfigError(file: file, problem: "not valid YAML: \(error)")
        }
        guard let node else { throw ConfigError(file: file, problem: "the file is empty") }
        return try ConfigMapping(node, file: file, prefix: "")
    }

    // MARK: - Values

    /// The node of `key`, or `nil` when it is absent or explicitly null.
    mutating func node(_ key: String) -> Node? {
        consumed.insert(key)
        guard let value = mapping[key] else { return nil }
        if case .scalar(let scalar) = value, scalar.style == .plain, ["", "~", "null"].contains(scalar.string) {
            return nil
        }
        return value
    }

    /// An optional text value.
    mutating func string(_ key: String) throws(ConfigError) -> String? {
        guard let value = node(key) else { return nil }
        guard case .scalar(let scalar) = value else { throw error(key, "expected text, got \(Self.describe(value))", value) }
        return scalar.string
    }

    /// An optional `true`/`false`.
    mutating func bool(_ key: String) throws(ConfigError) -> Bool? {
        guard let value = node(key) else { return nil }
        guard let flag = value.bool, value.scalar?.style == .plain else {
            throw error(key, "expected true or false, got \(Self.describe(value))", value)
        }
        return flag
    }

    /// An optional whole number within `range`.
    mutating func int(_ key: String, in range: ClosedRange<Int>) throws(ConfigError) -> Int? {
        guard let value = node(key) else { return nil }
        guard let number = value.int, value.scalar?.style == .plain else {
            throw error(key, "expected a whole number, got \(Self.describe(value))", value)
        }
        guard range.contains(number) else {
            throw error(key, "must be between \(range.lowerBound) and \(range.upperBound), got \(number)", value)
        }
        return number
    }

    /// An optional number within `range`.
    mutating func double(_ key: String, in range: ClosedRange<Double>) throws(ConfigError) -> Double? {
        guard let value = node(key) else { return nil }
        guard let number = value.float, value.scalar?.style == .plain, number.isFinite else {
            throw error(key, "expected a number, got \(Self.describe(value))", value)
        }
        guard range.contains(number) else {
            throw error(key, "must be between \(range.lowerBound) and \(range.upperBound), got \(number)", value)
        }
        return number
    }

    /// An optional duration (`250ms`, `1s`, `10m`, `6h`, `1d`, or bare seconds) within `range` seconds.
    mutating func duration(_ key: String, in range: ClosedRange<Double>) throws(ConfigError) -> Double? {
        guard let value = node(key) else { return nil }
        guard case .scalar(let scalar) = value, let seconds = ConfigUnits.seconds(scalar.string) else {
            throw error(key, "expected a duration such as 500ms, 1s, 10m or 6h, got \(Self.describe(value))", value)
        }
        guard range.contains(seconds) else {
            throw error(
                key, "must be between \(ConfigUnits.format(seconds: range.lowerBound)) and "
                    + "\(ConfigUnits.format(seconds: range.upperBound)), got \(scalar.string)", value)
        }
        return seconds
    }

    /// An optional size (`4096`, `512KiB`, `10MiB`, `1GiB`) within `range` bytes.
    mutating func byteCount(_ key: String, in range: ClosedRange<Int>) throws(ConfigError) -> Int? {
        guard let value = node(key) else { return nil }
        guard case .scalar(let scalar) = value, let bytes = ConfigUnits.bytes(scalar.string) else {
            throw error(key, "expected a size such as 4096, 512KiB or 10MiB, got \(Self.describe(value))", value)
        }
        guard range.contains(bytes) else {
            throw error(key, "must be between \(range.lowerBound) and \(range.upperBound) bytes, got \(scalar.string)", value)
        }
        return bytes
    }

    /// An optional nested mapping.
    mutating func mapping(_ key: String) throws(ConfigError) -> ConfigMapping? {
        guard let value = node(key) else { return nil }
        return try ConfigMapping(value, file: file, prefix: path(key))
    }

    /// An optional list of mappings, each named `key[i]`.
    mutating func mappings(_ key: String) throws(ConfigError) -> [ConfigMapping]? {
        guard let value = node(key) else { return nil }
        guard case .sequence(let items) = value else { throw error(key, "expected a list, got \(Self.describe(value))", value) }
        var result: [ConfigMapping] = []
        for (index, item) in items.enumerated() {
            result.append(try ConfigMapping(item, file: file, prefix: "\(path(key))[\(index)]"))
        }
        return result
    }

    /// Fails on the first key no reader asked for.
    func rejectUnknownKeys() throws(ConfigError) {
        for (key, _) in mapping {
            let name = key.string ?? Self.describe(key)
            if !consumed.contains(name) {
                throw ConfigError(file: file, key: path(name), problem: "unknown key", line: Self.line(of: key))
            }
        }
    }

    // MARK: - Errors

    /// An error about `key` of this mapping.
    func error(_ key: String, _ problem: String, _ node: Node? = nil) -> ConfigError {
        ConfigError(file: file, key: path(key), problem: problem, line: node.flatMap(Self.line(of:)) ?? Self.line(of: .mapping(mapping)))
    }

    /// An error for a required key that is absent.
    func missing(_ key: String) -> ConfigError {
        error(key, "is required but missing")
    }

    /// The full dotted path of `key`.
    func path(_ key: String) -> String {
        prefix.isEmpty ? key : "\(prefix).\(key)"
    }

    private static func line(of node: Node) -> Int? {
        node.mark.map { $0.line }
    }

    private static func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar): "'\(scalar.string)'"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }
}
