import Yams

/// One YAML mapping of a profile file, read field by field with errors that name the file, the
/// entry and the field. Fields nobody asked for are reported by `rejectUnknownFields()`, so a
/// typo such as `stide: 2` is an error rather than a silent default.
struct ProfileEntry {
    let file: String
    private(set) var entry: String
    private let mapping: Node.Mapping
    private var consumed: Set<String> = []

    /// Wraps `node`, which must be a mapping.
    init(_ node: Node, file: String, entry: String) throws(ProfileError) {
        guard let mapping = node.mapping else {
            throw ProfileError(file: file, entry: entry, problem: "expected a mapping of fields", line: node.mark?.line)
        }
        self.file = file
        self.entry = entry
        self.mapping = mapping
    }

    /// Parses a whole file's top-level mapping.
    static func document(yaml: String, file: String) throws(ProfileError) -> ProfileEntry {
        let node: Node?
        do {
            node = try Yams.compose(yaml: yaml)
        } catch {
            throw ProfileError(file: file, yamlError: error)
        }
        guard let node else { throw ProfileError(file: file, problem: "the file is empty") }
        return try ProfileEntry(node, file: file, entry: "")
    }

    // MARK: - Fields

    /// The raw node of `field`, or `nil` when it is absent (or explicitly null).
    mutating func node(_ field: String) -> Node? {
        consumed.insert(field)
        guard let value = mapping[field] else { return nil }
        if case .scalar(let scalar) = value, scalar.style == .plain, ["", "~", "null"].contains(scalar.string) {
            return nil
        }
        return value
    }

    /// A required string.
    mutating func string(_ field: String) throws(ProfileError) -> String {
        guard let value = try optionalString(field) else { throw missing(field) }
        return value
    }

    /// An optional string.
    mutating func optionalString(_ field: String) throws(ProfileError) -> String? {
        guard let value = node(field) else { return nil }
        guard case .scalar(let scalar) = value else { throw error(field, "expected text", value) }
        return scalar.string
    }

    /// A required positive integer.
    mutating func positiveInt(_ field: String) throws(ProfileError) -> Int {
        guard let value = try optionalPositiveInt(field) else { throw missing(field) }
        return value
    }

    /// An optional positive integer.
    mutating func optionalPositiveInt(_ field: String) throws(ProfileError) -> Int? {
        guard let value = try optionalInt(field) else { return nil }
        guard value > 0 else { throw error(field, "must be positive, got \(value)", mapping[field]) }
        return value
    }

    /// An optional integer of any sign.
    mutating func optionalInt(_ field: String) throws(ProfileError) -> Int? {
        guard let value = node(field) else { return nil }
        guard let number = value.int, value.scalar?.style == .plain else {
            throw error(field, "expected a whole number, got '\(Self.text(of: value))'", value)
        }
        return number
    }

    /// An optional number (integer or decimal).
    mutating func optionalDouble(_ field: String) throws(ProfileError) -> Double? {
        guard let value = node(field) else { return nil }
        guard let number = value.float, value.scalar?.style == .plain, number.isFinite else {
            throw error(field, "expected a number, got '\(Self.text(of: value))'", value)
        }
        return number
    }

    /// An optional list of non-negative integers.
    mutating func optionalIntList(_ field: String) throws(ProfileError) -> [Int]? {
        guard let value = node(field) else { return nil }
        guard case .sequence(let items) = value else { throw error(field, "expected a list of numbers", value) }
        var numbers: [Int] = []
        for item in items {
            guard let number = item.int, number >= 0 else {
                throw error(field, "expected non-negative whole numbers, got '\(Self.text(of: item))'", item)
            }
            numbers.append(number)
        }
        return numbers
    }

    /// A required list of mappings, each wrapped as an entry named `field[i]`.
    mutating func entries(_ field: String) throws(ProfileError) -> [ProfileEntry] {
        guard let value = node(field) else { throw missing(field) }
        guard case .sequence(let items) = value else { throw error(field, "expected a list", value) }
        guard items.count <= ProfileFile.maxEntries else {
            throw error(field, "lists \(items.count) entries, more than the limit of \(ProfileFile.maxEntries)", value)
        }
        var result: [ProfileEntry] = []
        for (index, item) in items.enumerated() {
            result.append(try ProfileEntry(item, file: file, entry: "\(field)[\(index)]"))
        }
        return result
    }

    /// Fails on the first field no reader asked for.
    func rejectUnknownFields() throws(ProfileError) {
        for (key, _) in mapping {
            let name = key.string ?? Self.text(of: key)
            if !consumed.contains(name) {
                throw ProfileError(file: file, entry: entry, field: name, problem: "unknown field", line: key.mark?.line)
            }
        }
    }

    // MARK: - Errors

    /// An error about `field` of this entry.
    func error(_ field: String, _ problem: String, _ node: Node? = nil) -> ProfileError {
        ProfileError(file: file, entry: entry, field: field, problem: problem, line: node?.mark?.line ?? mapping.mark?.line)
    }

    /// This entry with a more telling name, e.g. `layers[3] 'conv3x3'`.
    func named(_ name: String) -> ProfileEntry {
        var copy = self
        copy.entry = "\(entry) '\(name)'"
        return copy
    }

    private func missing(_ field: String) -> ProfileError {
        ProfileError(file: file, entry: entry, field: field, problem: "is required but missing", line: mapping.mark?.line)
    }

    private static func text(of node: Node) -> String {
        switch node {
        case .scalar(let scalar): scalar.string
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }
}
