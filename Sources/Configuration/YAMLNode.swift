/// One node of a YAML document as libyaml read it, aliases already replaced by the nodes they name.
public struct YAMLNode: Sendable, Equatable {
    /// What a node holds.
    public enum Content: Sendable, Equatable {
        /// A scalar: text, its style and its explicit tag, if any.
        case scalar(YAMLScalar)
        /// A list, in order.
        case sequence([YAMLNode])
        /// Key/value pairs in the order written (duplicates kept: the reader decides).
        case mapping([YAMLPair])
    }

    /// What the node holds.
    public var content: Content
    /// The 1-based line where the node starts.
    public var line: Int
    /// The 1-based column where the node starts.
    public var column: Int

    /// A node as given.
    public init(_ content: Content, line: Int, column: Int) {
        self.content = content
        self.line = line
        self.column = column
    }

    /// The scalar, when the node is one.
    public var scalar: YAMLScalar? {
        if case .scalar(let scalar) = content { return scalar }
        return nil
    }

    /// How the node reads in a message: `'text'`, `a list` or `a mapping`.
    public var summary: String {
        switch content {
        case .scalar(let scalar): "'\(scalar.text)'"
        case .sequence: "a list"
        case .mapping: "a mapping"
        }
    }
}

/// One key and its value in a YAML mapping.
public struct YAMLPair: Sendable, Equatable {
    /// The key (usually a scalar).
    public var key: YAMLNode
    /// The value.
    public var value: YAMLNode

    /// A pair as given.
    public init(key: YAMLNode, value: YAMLNode) {
        self.key = key
        self.value = value
    }
}

/// A YAML scalar: its text exactly as written (quotes and escapes resolved), how it was written,
/// and its explicit tag. Whether it is a number, a boolean or null is decided by the reader
/// (see `YAMLScalar+Resolution.swift`), as YAML's core schema does only for plain scalars.
public struct YAMLScalar: Sendable, Equatable {
    /// How a scalar was written.
    public enum Style: Sendable, Equatable {
        /// Without quotes: `true`, `10MiB`, `hello world`.
        case plain
        /// `'text'`.
        case singleQuoted
        /// `"text"`, with backslash escapes.
        case doubleQuoted
        /// `|` block.
        case literal
        /// `>` block.
        case folded
    }

    /// The scalar's value as text.
    public var text: String
    /// How it was written.
    public var style: Style
    /// The explicit tag, expanded (`!!str` is `tag:yaml.org,2002:str`); `nil` when none was written.
    public var tag: String?

    /// A scalar as given.
    public init(_ text: String, style: Style = .plain, tag: String? = nil) {
        self.text = text
        self.style = style
        self.tag = tag
    }
}
