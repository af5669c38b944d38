/// One YAML mapping of the agent's configuration, read key by key with errors naming the full
/// dotted key. Keys nobody asked for are reported by `rejectUnknownKeys()`, so a typo such as
/// `intervall: 1s` is an error rather than a silent default; a key written twice is an error too.
struct ConfigMapping {
    /// The file being read.
    let file: String
    /// The dotted path of this mapping, empty at the top level.
    let prefix: String
    /// The line the mapping starts on.
    private let line: Int
    private let pairs: [YAMLPair]
    private var consumed: Set<String> = []

    /// Wraps `node`, which must be a mapping whose keys appear once each.
    init(_ node: YAMLNode, file: String, prefix: String) throws(ConfigError) {
        guard case .mapping(let pairs) = node.content else {
            throw ConfigError(
                file: file, key: prefix, problem: "expected a mapping of keys, got \(node.summary)", line: node.line)
        }
        self.file = file
        self.prefix = prefix
        self.line = node.line
        self.pairs = pairs
        var firstLines: [String: Int] = [:]
        for pair in pairs {
            let name = Self.name(of: pair.key)
            if let first = firstLines[name] {
                throw ConfigError(
                    file: file, key: path(name), problem: "appears twice (first on line \(first))", line: pair.key.line)
            }
            firstLines[name] = pair.key.line
        }
    }

    /// Parses a whole file's top-level mapping.
    static func document(yaml: String, file: String) throws(ConfigError) -> ConfigMapping {
        let node: YAMLNode?
        do {
            node = try YAMLLoader.load(yaml)
        } catch {
            throw ConfigError(file: file, problem: "not valid YAML: \(error)", line: error.line)
        }
        guard let node else { throw ConfigError(file: file, problem: "the file is empty") }
        return try ConfigMapping(node, file: file, prefix: "")
    }

    // MARK: - Values

    /// The node of `key`, or `nil` when it is absent or explicitly null.
    mutating func node(_ key: String) -> YAMLNode? {
        consumed.insert(key)
        guard let value = pairs.first(where: { $0.key.scalar?.text == key })?.value else { return nil }
        if let scalar = value.scalar, scalar.isNull { return nil }
        return value
    }

    /// An optional text value.
    mutating func string(_ key: String) throws(ConfigError) -> String? {
        guard let value = node(key) else { return nil }
        guard let scalar = value.scalar else { throw error(key, "expected text, got \(value.summary)", value) }
        return scalar.text
    }

    /// An optional `true`/`false`.
    mutating func bool(_ key: String) throws(ConfigError) -> Bool? {
        guard let value = node(key) else { return nil }
        guard let flag = value.scalar?.bool else {
            throw error(key, "expected true or false, got \(value.summary)", value)
        }
        return flag
    }

    /// An optional whole number within `range`.
    mutating func int(_ key: String, in range: ClosedRange<Int>) throws(ConfigError) -> Int? {
        guard let value = node(key) else { return nil }
        guard let number = value.scalar?.int else {
            throw error(key, "expected a whole number, got \(value.summary)", value)
        }
        guard range.contains(number) else {
            throw error(key, "must be between \(range.lowerBound) and \(range.upperBound), got \(number)", value)
        }
        return number
    }

    /// An optional number within `range`.
    mutating func double(_ key: String, in range: ClosedRange<Double>) throws(ConfigError) -> Double? {
        guard let value = node(key) else { return nil }
        guard let number = value.scalar?.float, number.isFinite else {
            throw error(key, "expected a number, got \(value.summary)", value)
        }
        guard range.contains(number) else {
            throw error(key, "must be between \(range.lowerBound) and \(range.upperBound), got \(number)", value)
        }
        return number
    }

    /// An optional duration (`250ms`, `1s`, `10m`, `6h`, `1d`, or bare seconds) within `range` seconds.
    mutating func duration(_ key: String, in range: ClosedRange<Double>) throws(ConfigError) -> Double? {
        guard let value = node(key) else { return nil }
        guard let scalar = value.scalar, let seconds = ConfigUnits.seconds(scalar.text) else {
            throw error(key, "expected a duration such as 500ms, 1s, 10m or 6h, got \(value.summary)", value)
        }
        guard range.contains(seconds) else {
            throw error(
                key, "must be between \(ConfigUnits.format(seconds: range.lowerBound)) and "
                    + "\(ConfigUnits.format(seconds: range.upperBound)), got \(scalar.text)", value)
        }
        return seconds
    }

    /// An optional size (`4096`, `512KiB`, `10MiB`, `1GiB`) within `range` bytes.
    mutating func byteCount(_ key: String, in range: ClosedRange<Int>) throws(ConfigError) -> Int? {
        guard let value = node(key) else { return nil }
        guard let scalar = value.scalar, let bytes = ConfigUnits.bytes(scalar.text) else {
            throw error(key, "expected a size such as 4096, 512KiB or 10MiB, got \(value.summary)", value)
        }
        guard range.contains(bytes) else {
            throw error(key, "must be between \(range.lowerBound) and \(range.upperBound) bytes, got \(scalar.text)", value)
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
        guard case .sequence(let items) = value.content else { throw error(key, "expected a list, got \(value.summary)", value) }
        var result: [ConfigMapping] = []
        for (index, item) in items.enumerated() {
            result.append(try ConfigMapping(item, file: file, prefix: "\(path(key))[\(index)]"))
        }
        return result
    }

    /// Fails on the first key no reader asked for.
    func rejectUnknownKeys() throws(ConfigError) {
        for pair in pairs {
            let name = Self.name(of: pair.key)
            if !consumed.contains(name) {
                throw ConfigError(file: file, key: path(name), problem: "unknown key", line: pair.key.line)
            }
        }
    }

    // MARK: - Errors

    /// An error about `key` of this mapping.
    func error(_ key: String, _ problem: String, _ node: YAMLNode? = nil) -> ConfigError {
        ConfigError(file: file, key: path(key), problem: problem, line: node?.line ?? line)
    }

    /// An error for a required key that is absent.
    func missing(_ key: String) -> ConfigError {
        error(key, "is required but missing")
    }

    /// The full dotted path of `key`.
    func path(_ key: String) -> String {
        prefix.isEmpty ? key : "\(prefix).\(key)"
    }

    /// A key's name: its text, or how it reads when it is not a scalar.
    private static func name(of key: YAMLNode) -> String {
        key.scalar?.text ?? key.summary
    }
}
