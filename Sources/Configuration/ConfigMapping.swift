import Quantities

/// One YAML mapping of a configuration or profile file, read key by key with errors naming the
/// file, the line and the full dotted key. Keys nobody asked for are reported by
/// `rejectUnknownKeys()`, so a typo such as `intervall: 1s` or `stide: 2` is an error rather
/// than a silent default; a key written twice is an error too.
public struct ConfigMapping {
    /// Most entries one list may hold: no configuration, suite or space needs more, and a bound
    /// keeps loading, and what runs after it, proportionate.
    public static let maxEntries = 10_000

    /// The file being read.
    public let file: String
    /// The dotted path of this mapping, empty at the top level.
    public private(set) var prefix: String
    /// The line the mapping starts on.
    public let line: Int
    /// The key/value pairs, in the order written.
    public let pairs: [YAMLPair]
    private var consumed: Set<String> = []

    /// Wraps `node`, which must be a mapping whose keys appear once each.
    public init(_ node: YAMLNode, file: String, prefix: String) throws(ConfigError) {
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

    /// The document in `yaml`, which may be empty (`nil`).
    /// - Throws: `ConfigError` with libyaml's problem and its line.
    public static func root(yaml: String, file: String) throws(ConfigError) -> YAMLNode? {
        do {
            return try YAMLLoader.load(yaml)
        } catch {
            throw ConfigError(file: file, problem: "not valid YAML: \(error)", line: error.line)
        }
    }

    /// Parses a whole file's top-level mapping.
    public static func document(yaml: String, file: String) throws(ConfigError) -> ConfigMapping {
        guard let node = try root(yaml: yaml, file: file) else { throw ConfigError(file: file, problem: "the file is empty") }
        return try ConfigMapping(node, file: file, prefix: "")
    }

    // MARK: - Values

    /// The node of `key`, or `nil` when it is absent or explicitly null.
    public mutating func node(_ key: String) -> YAMLNode? {
        consumed.insert(key)
        guard let value = pairs.first(where: { $0.key.scalar?.text == key })?.value else { return nil }
        if let scalar = value.scalar, scalar.isNull { return nil }
        return value
    }

    /// An optional text value.
    public mutating func string(_ key: String) throws(ConfigError) -> String? {
        guard let value = node(key) else { return nil }
        guard let scalar = value.scalar else { throw error(key, "expected text, got \(value.summary)", value) }
        return scalar.text
    }

    /// A required text value.
    public mutating func requiredString(_ key: String) throws(ConfigError) -> String {
        guard let value = try string(key) else { throw missing(key) }
        return value
    }

    /// An optional absolute path (starting with `/`).
    public mutating func absolutePath(_ key: String) throws(ConfigError) -> String? {
        guard let path = try string(key) else { return nil }
        guard path.hasPrefix("/") else { throw error(key, "must be an absolute path, got '\(path)'") }
        return path
    }

    /// An optional `true`/`false`.
    public mutating func bool(_ key: String) throws(ConfigError) -> Bool? {
        guard let value = node(key) else { return nil }
        guard let flag = value.scalar?.bool else {
            throw error(key, "expected true or false, got \(value.summary)", value)
        }
        return flag
    }

    /// An optional whole number of any sign.
    public mutating func int(_ key: String) throws(ConfigError) -> Int? {
        guard let value = node(key) else { return nil }
        guard let number = value.scalar?.int else {
            throw error(key, "expected a whole number, got \(value.summary)", value)
        }
        return number
    }

    /// An optional whole number within `range`.
    public mutating func int(_ key: String, in range: ClosedRange<Int>) throws(ConfigError) -> Int? {
        guard let number = try int(key) else { return nil }
        return try checked(key, number, in: range)
    }

    /// An optional positive whole number.
    public mutating func positiveInt(_ key: String) throws(ConfigError) -> Int? {
        guard let number = try int(key) else { return nil }
        guard number > 0 else { throw error(key, "must be positive, got \(number)", nodeLine(key)) }
        return number
    }

    /// A required positive whole number.
    public mutating func requiredPositiveInt(_ key: String) throws(ConfigError) -> Int {
        guard let number = try positiveInt(key) else { throw missing(key) }
        return number
    }

    /// An optional finite number.
    public mutating func double(_ key: String) throws(ConfigError) -> Double? {
        guard let value = node(key) else { return nil }
        guard let number = value.scalar?.float, number.isFinite else {
            throw error(key, "expected a number, got \(value.summary)", value)
        }
        return number
    }

    /// An optional number within `range`.
    public mutating func double(_ key: String, in range: ClosedRange<Double>) throws(ConfigError) -> Double? {
        guard let number = try double(key) else { return nil }
        return try checked(key, number, in: range)
    }

    /// An optional text value that must be one of `T`'s raw values, e.g. `op: conv`; the error
    /// names the `noun` and lists the known values.
    public mutating func choice<T: RawRepresentable & CaseIterable>(
        _ key: String, of type: T.Type, named noun: String
    ) throws(ConfigError) -> T? where T.RawValue == String {
        guard let text = try string(key) else { return nil }
        guard let value = T(rawValue: text) else {
            let known = T.allCases.map(\.rawValue).joined(separator: ", ")
            throw error(key, "unknown \(noun) '\(text)' (known: \(known))")
        }
        return value
    }

    /// A required `choice`.
    public mutating func requiredChoice<T: RawRepresentable & CaseIterable>(
        _ key: String, of type: T.Type, named noun: String
    ) throws(ConfigError) -> T where T.RawValue == String {
        guard let value = try choice(key, of: type, named: noun) else { throw missing(key) }
        return value
    }

    /// An optional list of non-negative whole numbers.
    public mutating func intList(_ key: String) throws(ConfigError) -> [Int]? {
        guard let value = node(key) else { return nil }
        guard case .sequence(let items) = value.content else { throw error(key, "expected a list of numbers", value) }
        var numbers: [Int] = []
        for item in items {
            guard let number = item.scalar?.int, number >= 0 else {
                throw error(key, "expected non-negative whole numbers, got \(item.summary)", item)
            }
            numbers.append(number)
        }
        return numbers
    }

    /// An optional duration (`250us`, `500ms`, `1s`, `10m`, `6h`, `1d`, or bare seconds; see
    /// `DurationText`) within `range` seconds.
    public mutating func duration(_ key: String, in range: ClosedRange<Double>) throws(ConfigError) -> Double? {
        try quantity(
            key, in: range, parse: DurationText.seconds, example: "a duration such as 500ms, 1s, 10m or 6h",
            bounds: "\(DurationText.format(seconds: range.lowerBound)) and \(DurationText.format(seconds: range.upperBound))")
    }

    /// An optional size (`4096`, `512KiB`, `10MiB`, `1GiB`; see `SizeText`) within `range` bytes.
    public mutating func byteCount(_ key: String, in range: ClosedRange<Int>) throws(ConfigError) -> Int? {
        try quantity(
            key, in: range, parse: SizeText.bytes, example: "a size such as 4096, 512KiB or 10MiB",
            bounds: "\(range.lowerBound) and \(range.upperBound) bytes")
    }

    /// An optional value written with a unit, read by `parse` and held to `range`.
    private mutating func quantity<T: Comparable>(
        _ key: String, in range: ClosedRange<T>, parse: (String) -> T?, example: String, bounds: String
    ) throws(ConfigError) -> T? {
        guard let value = node(key) else { return nil }
        guard let scalar = value.scalar, let parsed = parse(scalar.text) else {
            throw error(key, "expected \(example), got \(value.summary)", value)
        }
        guard range.contains(parsed) else { throw error(key, "must be between \(bounds), got \(scalar.text)", value) }
        return parsed
    }

    /// An optional nested mapping.
    public mutating func mapping(_ key: String) throws(ConfigError) -> ConfigMapping? {
        guard let value = node(key) else { return nil }
        return try ConfigMapping(value, file: file, prefix: path(key))
    }

    /// A required nested mapping.
    public mutating func requiredMapping(_ key: String) throws(ConfigError) -> ConfigMapping {
        guard let value = try mapping(key) else { throw missing(key) }
        return value
    }

    /// An optional list of at most `maxEntries` mappings, each named `key[i]`.
    public mutating func mappings(_ key: String) throws(ConfigError) -> [ConfigMapping]? {
        guard let value = node(key) else { return nil }
        guard case .sequence(let items) = value.content else { throw error(key, "expected a list, got \(value.summary)", value) }
        guard items.count <= Self.maxEntries else {
            throw error(key, "lists \(items.count) entries, more than the limit of \(Self.maxEntries)", value)
        }
        var result: [ConfigMapping] = []
        for (index, item) in items.enumerated() {
            result.append(try ConfigMapping(item, file: file, prefix: "\(path(key))[\(index)]"))
        }
        return result
    }

    /// A required list of mappings (see `mappings`).
    public mutating func requiredMappings(_ key: String) throws(ConfigError) -> [ConfigMapping] {
        guard let value = try mappings(key) else { throw missing(key) }
        return value
    }

    /// Fails on the first key no reader asked for.
    public func rejectUnknownKeys() throws(ConfigError) {
        for pair in pairs {
            let name = Self.name(of: pair.key)
            if !consumed.contains(name) {
                throw ConfigError(file: file, key: path(name), problem: "unknown key", line: pair.key.line)
            }
        }
    }

    /// This mapping with a more telling name in its errors, e.g. `layers[3] 'conv3x3'`.
    public func named(_ name: String) -> ConfigMapping {
        var copy = self
        copy.prefix = "\(prefix) '\(name)'"
        return copy
    }

    // MARK: - Errors

    /// An error about `key` of this mapping, on `node`'s line (the mapping's when `nil`).
    public func error(_ key: String, _ problem: String, _ node: YAMLNode? = nil) -> ConfigError {
        ConfigError(file: file, key: path(key), problem: problem, line: node?.line ?? line)
    }

    /// An error for a required key that is absent.
    public func missing(_ key: String) -> ConfigError {
        error(key, "is required but missing")
    }

    /// The full dotted path of `key`.
    public func path(_ key: String) -> String {
        prefix.isEmpty ? key : "\(prefix).\(key)"
    }

    /// `number` when `range` holds it.
    private func checked<T: Comparable>(_ key: String, _ number: T, in range: ClosedRange<T>) throws(ConfigError) -> T {
        guard range.contains(number) else {
            throw error(key, "must be between \(range.lowerBound) and \(range.upperBound), got \(number)", nodeLine(key))
        }
        return number
    }

    /// The value node of `key`, for an error's line.
    private func nodeLine(_ key: String) -> YAMLNode? {
        pairs.first(where: { $0.key.scalar?.text == key })?.value
    }

    /// A key's name: its text, or how it reads when it is not a scalar.
    private static func name(of key: YAMLNode) -> String {
        key.scalar?.text ?? key.summary
    }
}
