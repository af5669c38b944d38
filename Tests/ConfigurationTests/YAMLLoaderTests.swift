import Configuration
import Testing

/// The libyaml document loader: nodes, styles, lines, aliases and libyaml's errors.
@Suite struct YAMLLoaderTests {
    private func load(_ text: String) throws(YAMLError) -> YAMLNode? {
        try YAMLLoader.load(text)
    }

    private func failure(_ text: String) -> YAMLError? {
        #expect(throws: YAMLError.self) { try load(text) }
    }

    private func pairs(_ node: YAMLNode?) -> [YAMLPair] {
        guard case .mapping(let pairs) = node?.content else { return [] }
        return pairs
    }

    // MARK: - Documents

    @Test func anEmptyTextHoldsNoDocument() throws {
        #expect(try load("") == nil)
        #expect(try load("# only a comment\n\n") == nil)
    }

    @Test func nestedMappingsKeepTheirOrderAndLines() throws {
        let root = try load("""
            b: 1
            a:
              z: "two"
              y: [x, 'w']
            """)
        let top = pairs(root)
        #expect(top.map { $0.key.scalar?.text } == ["b", "a"])
        #expect(top[0].value == YAMLNode(.scalar(YAMLScalar("1")), line: 1, column: 4))
        let inner = pairs(top[1].value)
        #expect(top[1].value.line == 3)
        #expect(inner.map { $0.key.scalar?.text } == ["z", "y"])
        #expect(inner[0].value.scalar == YAMLScalar("two", style: .doubleQuoted))
        #expect(inner[1].value.line == 4 && inner[1].value.column == 6)
        #expect(inner[1].value.content == .sequence([
            YAMLNode(.scalar(YAMLScalar("x")), line: 4, column: 7),
            YAMLNode(.scalar(YAMLScalar("w", style: .singleQuoted)), line: 4, column: 10),
        ]))
    }

    @Test func aDocumentMayBeAListOrAScalar() throws {
        let list = try #require(try load("- a\n- b: 1\n"))
        guard case .sequence(let items) = list.content else { Issue.record("not a list: \(list)"); return }
        #expect(items.count == 2)
        #expect(items[0].scalar?.text == "a")
        #expect(pairs(items[1]).first?.key.scalar?.text == "b")
        #expect(try load("just text")?.scalar == YAMLScalar("just text"))
    }

    @Test func blockScalarsAndExplicitTagsAreKept() throws {
        let top = pairs(try load("literal: |\n  one\n  two\nfolded: >\n  one\n  two\ntagged: !!str 5\n"))
        #expect(top[0].value.scalar == YAMLScalar("one\ntwo\n", style: .literal))
        #expect(top[1].value.scalar == YAMLScalar("one two\n", style: .folded))
        #expect(top[2].value.scalar == YAMLScalar("5", tag: YAMLScalar.stringTag))
    }

    @Test func unicodeTextAndEscapesSurvive() throws {
        let top = pairs(try load("naïve: \"Grüße, 東京 \\u00e9 \\U0001F600\"\nplain: ünï\n"))
        #expect(top[0].key.scalar?.text == "naïve")
        #expect(top[0].value.scalar?.text == "Grüße, 東京 é 😀")
        #expect(top[1].value.scalar?.text == "ünï")
    }

    @Test func nullsAreEmptyPlainScalars() throws {
        let top = pairs(try load("a:\nb: ~\nc: null\nd: \"\"\n"))
        #expect(top.map { $0.value.scalar?.isNull } == [true, true, true, false])
    }

    // MARK: - Aliases

    @Test func anAliasIsReplacedByACopyOfItsAnchoredNode() throws {
        let top = pairs(try load("base: &b {x: 1, y: [2]}\ncopy: *b\n"))
        #expect(top[1].value == top[0].value)
        #expect(top[1].value.line == 1)
    }

    @Test func undefinedAndRecursiveAliasesAreRefused() {
        let undefined = failure("a: *missing\n")
        #expect(undefined?.problem.hasPrefix("alias *missing names no anchor defined before it") == true)
        #expect(undefined?.line == 1 && undefined?.column == 4)
        #expect(failure("a: &loop [1, *loop]\n")?.problem.hasPrefix("alias *loop names no anchor") == true)
    }

    @Test func aliasesCannotBlowUpTheDocument() {
        // Each level doubles the previous one: 2^20 nodes from 21 lines.
        var text = "l0: &l0 [x, x]\n"
        for level in 1...20 { text += "l\(level): &l\(level) [*l\(level - 1), *l\(level - 1)]\n" }
        #expect(failure(text)?.problem == "more than \(YAMLLoader.maxNodes) nodes once aliases are expanded")
    }

    // MARK: - Errors

    @Test func syntaxErrorsGiveLibyamlsProblemLineAndColumn() {
        let error = failure("a: 1\nb: [unclosed\n")
        #expect(error?.line == 3)
        #expect(error?.problem == "did not find expected ',' or ']'")
        #expect(error?.context == "while parsing a flow sequence started at line 2 column 4")
        #expect(error?.description
            == "did not find expected ',' or ']' at line 3 column 1 (while parsing a flow sequence started at line 2 column 4)")
        let indent = failure("a:\n  b: 1\n c: 2\n")
        #expect(indent?.line == 3 && indent?.column == 2)
    }

    @Test func controlCharactersAreAReaderErrorWithTheirLine() {
        let error = failure("a: 1\nb: x\u{01}y\n")
        #expect(error?.problem.hasPrefix("control characters are not allowed") == true)
        #expect(error?.line == 2 && error?.column == 5)
    }

    @Test func aSecondDocumentIsRefused() {
        let error = failure("a: 1\n---\nb: 2\n")
        #expect(error?.problem == "expected a single document, found another")
        #expect(error?.line == 2)
    }

    @Test func nestingIsBounded() {
        let deep = String(repeating: "[", count: YAMLLoader.maxDepth + 2) + String(repeating: "]", count: YAMLLoader.maxDepth + 2)
        #expect(failure(deep)?.problem == "nested deeper than \(YAMLLoader.maxDepth) levels")
        let fine = String(repeating: "[", count: 10) + String(repeating: "]", count: 10)
        #expect((try? load(fine)) != nil)
    }
}
